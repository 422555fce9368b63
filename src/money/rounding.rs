//! Rounding policies.

use rust_decimal::{Decimal, RoundingStrategy};

/// How a value is rounded to a currency's minor units (or to whole counts).
///
/// Rounding happens only at documented points (per allocation share, per
/// payout line); intermediate values keep full precision. Each function that
/// rounds takes a policy, and its explanation records which one it used.
///
/// | policy | 2.5 | -2.5 | 2.4 | -2.6 |
/// |---|---|---|---|---|
/// | `HalfAwayFromZero` | 3 | -3 | 2 | -3 |
/// | `HalfEven` | 2 | -2 | 2 | -3 |
/// | `TowardZero` | 2 | -2 | 2 | -2 |
/// | `AwayFromZero` | 3 | -3 | 3 | -3 |
/// | `Floor` | 2 | -3 | 2 | -3 |
/// | `Ceiling` | 3 | -2 | 3 | -2 |
///
/// ```
/// use rust_decimal::Decimal;
/// use salesplan::RoundingPolicy;
///
/// let x: Decimal = "2.345".parse()?;
/// assert_eq!(RoundingPolicy::HalfEven.round(x, 2).to_string(), "2.34");
/// assert_eq!(RoundingPolicy::HalfAwayFromZero.round(x, 2).to_string(), "2.35");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum RoundingPolicy {
    /// Round half away from zero ("commercial rounding"; 2.5 → 3, -2.5 → -3).
    /// The default, and what most payroll systems do.
    #[default]
    HalfAwayFromZero,
    /// Round half to even ("banker's rounding"; 2.5 → 2, 3.5 → 4).
    HalfEven,
    /// Truncate toward zero (2.9 → 2, -2.9 → -2).
    TowardZero,
    /// Round away from zero (2.1 → 3, -2.1 → -3).
    AwayFromZero,
    /// Round toward negative infinity (2.9 → 2, -2.1 → -3).
    Floor,
    /// Round toward positive infinity (2.1 → 3, -2.9 → -2).
    Ceiling,
}

impl RoundingPolicy {
    /// Every policy, for tests and menus.
    pub const ALL: [RoundingPolicy; 6] = [
        RoundingPolicy::HalfAwayFromZero,
        RoundingPolicy::HalfEven,
        RoundingPolicy::TowardZero,
        RoundingPolicy::AwayFromZero,
        RoundingPolicy::Floor,
        RoundingPolicy::Ceiling,
    ];

    pub(crate) fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingPolicy::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
            RoundingPolicy::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingPolicy::TowardZero => RoundingStrategy::ToZero,
            RoundingPolicy::AwayFromZero => RoundingStrategy::AwayFromZero,
            RoundingPolicy::Floor => RoundingStrategy::ToNegativeInfinity,
            RoundingPolicy::Ceiling => RoundingStrategy::ToPositiveInfinity,
        }
    }

    /// Rounds `value` to `places` decimal places. Values with fewer places
    /// are returned unchanged. Never overflows.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::RoundingPolicy;
    ///
    /// let x = Decimal::new(2345, 3); // 2.345
    /// assert_eq!(RoundingPolicy::HalfEven.round(x, 2).to_string(), "2.34");
    /// assert_eq!(RoundingPolicy::HalfAwayFromZero.round(x, 2).to_string(), "2.35");
    /// assert_eq!(RoundingPolicy::Floor.round(-x, 2).to_string(), "-2.35");
    /// // Fewer places than asked: unchanged.
    /// assert_eq!(RoundingPolicy::Ceiling.round(Decimal::new(25, 1), 2).to_string(), "2.5");
    /// ```
    pub fn round(self, value: Decimal, places: u32) -> Decimal {
        value.round_dp_with_strategy(places, self.strategy())
    }
}

impl std::fmt::Display for RoundingPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RoundingPolicy::HalfAwayFromZero => "half away from zero",
            RoundingPolicy::HalfEven => "half to even",
            RoundingPolicy::TowardZero => "toward zero",
            RoundingPolicy::AwayFromZero => "away from zero",
            RoundingPolicy::Floor => "down (floor)",
            RoundingPolicy::Ceiling => "up (ceiling)",
        })
    }
}
