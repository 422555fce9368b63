//! Attainment: actual against target, as an exact ratio.

use std::fmt;

use rust_decimal::Decimal;

use super::Money;
use crate::error::MoneyError;

/// How far an actual figure is toward its target: `actual / target` as a
/// `Decimal` (1 is 100%), or, when the target is zero, no ratio at all.
///
/// A zero target is reported as such instead of being divided by: a new
/// hire with no quota yet is neither at 0% nor at infinity.
///
/// The ratio is exact when it terminates and otherwise correct to 28
/// decimal places (`Decimal`'s precision); it is never rounded further.
///
/// ```
/// use salesplan::{Currency, Money};
/// use salesplan::money::Attainment;
///
/// let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
/// let a = Attainment::of(usd("45000"), usd("60000"))?;
/// assert_eq!(a.ratio().map(|r| r.to_string()), Some("0.75".to_string()));
/// assert_eq!(a.to_string(), "75%");
/// let none = Attainment::of(usd("1200"), usd("0"))?;
/// assert_eq!(none.ratio(), None);
/// assert_eq!(none.to_string(), "no target (actual 1200 USD)");
/// # Ok::<(), salesplan::MoneyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum Attainment {
    /// `actual / target`, where 1 is 100%. Negative when net returns exceed
    /// sales.
    Ratio(#[cfg_attr(feature = "serde", serde(with = "crate::serde_util::decimal_str"))] Decimal),
    /// The target is zero, so there is no ratio.
    ZeroTarget {
        /// What was achieved anyway.
        actual: Money,
    },
}

impl Attainment {
    /// `actual` against `target`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] when the currencies differ;
    /// [`MoneyError::Overflow`] when the ratio exceeds a `Decimal`.
    pub fn of(actual: Money, target: Money) -> Result<Attainment, MoneyError> {
        if target.is_zero() {
            if actual.currency() != target.currency() {
                return Err(MoneyError::CurrencyMismatch {
                    left: actual.currency(),
                    right: target.currency(),
                });
            }
            return Ok(Attainment::ZeroTarget { actual });
        }
        actual.ratio_to(target).map(Attainment::Ratio)
    }

    /// Attainment from two counts in the same minor units (the rollup's hot
    /// path); `actual_money` is used only to report a zero target.
    pub(crate) fn of_minor(
        actual: i128,
        target: i128,
        actual_money: impl FnOnce() -> Result<Money, MoneyError>,
    ) -> Result<Attainment, MoneyError> {
        if target == 0 {
            return actual_money().map(|actual| Attainment::ZeroTarget { actual });
        }
        super::div(super::integer(actual)?, super::integer(target)?).map(Attainment::Ratio)
    }

    /// The ratio (1 is 100%), if the target was not zero.
    pub const fn ratio(&self) -> Option<Decimal> {
        match self {
            Attainment::Ratio(r) => Some(*r),
            Attainment::ZeroTarget { .. } => None,
        }
    }
}

impl fmt::Display for Attainment {
    /// Percent to two decimal places (display only), or "no target".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Attainment::Ratio(r) => {
                let pct = r
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .map(|p| p.round_dp(2).normalize());
                match pct {
                    Some(p) => write!(f, "{p}%"),
                    None => write!(f, "{r}x"),
                }
            }
            Attainment::ZeroTarget { actual } => write!(f, "no target (actual {actual})"),
        }
    }
}
