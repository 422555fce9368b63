//! Validated ratios: [`Percent`] (a share of a whole) and [`Rate`] (a
//! non-negative rate or multiplier).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::parse::{self, parse_decimal};
use super::{Money, RoundingPolicy};
use crate::money::{MoneyError, ParseProblem};

/// A share of a whole, from 0% to 100% inclusive: a split share, a coverage
/// share, a weight declared in percent.
///
/// Stored exactly as a fraction (72.68% is `0.7268`). Its text form is the
/// percentage with a `%` sign (`"72.68%"`); the sign is required so that
/// `"10"` can never be read as 10 (1000%) by mistake.
///
/// ```
/// use salesplan::Percent;
///
/// let share = Percent::from_points("72.68".parse()?)?;
/// assert_eq!(share.fraction().to_string(), "0.7268");
/// assert_eq!(share.to_string(), "72.68%");
/// assert_eq!("72.68%".parse::<Percent>()?, share);
/// assert!(Percent::from_points("100.01".parse()?).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct Percent(Decimal);

/// A non-negative rate or multiplier with no upper bound: a commission rate
/// (10%), an accelerator (150%), a quota over-assignment factor (110%).
///
/// Stored exactly as a fraction (12.5% is `0.125`); the text form is the
/// percentage with a `%` sign (`"12.5%"`).
///
/// ```
/// use salesplan::Rate;
///
/// let accelerator = Rate::from_points("150".parse()?)?;
/// assert_eq!(accelerator.fraction().to_string(), "1.50");
/// assert_eq!(accelerator.to_string(), "150%");
/// assert!(Rate::new("-0.1".parse()?).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct Rate(Decimal);

fn points_to_fraction(points: Decimal) -> Result<Decimal, MoneyError> {
    parse::shift_left(points, 2).ok_or(MoneyError::Parse {
        input: points.to_string(),
        problem: ParseProblem::TooManyDecimals {
            // A `Decimal`'s scale is at most 28: two more places fit.
            places: usize::try_from(points.scale())
                .ok()
                .and_then(|s| s.checked_add(2))
                .unwrap_or(usize::MAX),
            max: parse::MAX_SCALE,
        },
    })
}

fn fraction_to_points(fraction: Decimal) -> Decimal {
    // A fraction times 100 only fails to be exact for values near
    // `Decimal::MAX`, which no ratio reaches; fall back to the fraction.
    fraction
        .checked_mul(Decimal::ONE_HUNDRED)
        .map_or(fraction, |p| p.normalize())
}

fn parse_points(text: &str) -> Result<Decimal, MoneyError> {
    let digits = text.strip_suffix('%').ok_or_else(|| MoneyError::Parse {
        input: text.to_owned(),
        problem: ParseProblem::Format {
            expected: "a percentage such as \"12.5%\"",
        },
    })?;
    parse_decimal(digits).map_err(|e| match e {
        MoneyError::Parse { problem, .. } => MoneyError::Parse {
            input: text.to_owned(),
            problem,
        },
        other => other,
    })
}

impl Percent {
    /// 0%.
    pub const ZERO: Percent = Percent(Decimal::ZERO);
    /// 100%.
    pub const HUNDRED: Percent = Percent(Decimal::ONE);

    /// A share from a fraction in `[0, 1]` (`0.25` is 25%).
    ///
    /// # Errors
    ///
    /// [`MoneyError::OutOfRange`] outside `[0, 1]`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::Percent;
    ///
    /// let quarter = Percent::from_fraction(Decimal::new(25, 2))?; // 0.25
    /// assert_eq!(quarter.to_string(), "25%");
    /// assert_eq!(quarter.points().to_string(), "25");
    /// assert!(Percent::from_fraction(Decimal::new(11, 1)).is_err()); // 1.1
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    pub fn from_fraction(fraction: Decimal) -> Result<Percent, MoneyError> {
        if fraction.is_sign_negative() && !fraction.is_zero() || fraction > Decimal::ONE {
            return Err(MoneyError::OutOfRange {
                value: fraction,
                min: Decimal::ZERO,
                max: Decimal::ONE,
            });
        }
        Ok(Percent(fraction))
    }

    /// A share from percentage points in `[0, 100]` (`25` is 25%). Exact:
    /// the decimal point is moved, nothing is divided.
    ///
    /// # Errors
    ///
    /// [`MoneyError::OutOfRange`] outside `[0, 100]`;
    /// [`MoneyError::Parse`] when the value has more than 26 decimal places
    /// (its fraction would need more than 28).
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::{Currency, Money, Percent};
    ///
    /// let share = Percent::from_points(Decimal::new(125, 1))?; // 12.5
    /// assert_eq!(share.to_string(), "12.5%");
    /// assert_eq!(share.fraction().to_string(), "0.125");
    /// assert_eq!(share.of(Money::parse("800.00", Currency::USD)?)?.to_string(), "100.00000 USD");
    /// assert!(Percent::from_points(Decimal::from(101)).is_err());
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    pub fn from_points(points: Decimal) -> Result<Percent, MoneyError> {
        if points.is_sign_negative() && !points.is_zero() || points > Decimal::ONE_HUNDRED {
            return Err(MoneyError::OutOfRange {
                value: points,
                min: Decimal::ZERO,
                max: Decimal::ONE_HUNDRED,
            });
        }
        points_to_fraction(points).map(Percent)
    }

    /// The share as a fraction in `[0, 1]`.
    pub const fn fraction(self) -> Decimal {
        self.0
    }

    /// The share in percentage points, in `[0, 100]`.
    pub fn points(self) -> Decimal {
        fraction_to_points(self.0)
    }

    /// This share of `amount`, unrounded.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`] only when the product exceeds a `Decimal`.
    pub fn of(self, amount: Money) -> Result<Money, MoneyError> {
        amount.checked_mul(self.0)
    }
}

impl Rate {
    /// 0%.
    pub const ZERO: Rate = Rate(Decimal::ZERO);
    /// 100% (a multiplier of one).
    pub const ONE: Rate = Rate(Decimal::ONE);

    /// A rate from a non-negative fraction (`0.1` is 10%, `1.5` is 150%).
    ///
    /// # Errors
    ///
    /// [`MoneyError::NegativeRate`] when `fraction` is negative;
    /// [`MoneyError::OutOfRange`] when it is so large (above
    /// `Decimal::MAX / 100`) that its percentage points, the rate's text
    /// form, would not fit in a `Decimal`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::Rate;
    ///
    /// // Rates may exceed 100%: an accelerator pays 1.5 times the base rate.
    /// let accelerator = Rate::new(Decimal::new(15, 1))?;
    /// assert_eq!(accelerator.to_string(), "150%");
    /// assert_eq!(accelerator.points().to_string(), "150");
    /// assert!(Rate::new(Decimal::new(-1, 1)).is_err());
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    pub fn new(fraction: Decimal) -> Result<Rate, MoneyError> {
        if fraction.is_sign_negative() && !fraction.is_zero() {
            return Err(MoneyError::NegativeRate { value: fraction });
        }
        // Multiplying by 100 is exact or overflows: a rate must print as
        // the points it holds, or it would read back as another rate.
        if fraction.checked_mul(Decimal::ONE_HUNDRED).is_none() {
            return Err(MoneyError::OutOfRange {
                value: fraction,
                min: Decimal::ZERO,
                max: Decimal::MAX
                    .checked_div(Decimal::ONE_HUNDRED)
                    .unwrap_or(Decimal::MAX),
            });
        }
        Ok(Rate(fraction))
    }

    /// A rate from non-negative percentage points (`10` is 10%). Exact.
    ///
    /// # Errors
    ///
    /// [`MoneyError::NegativeRate`] when negative; [`MoneyError::Parse`] when
    /// the value has more than 26 decimal places.
    pub fn from_points(points: Decimal) -> Result<Rate, MoneyError> {
        if points.is_sign_negative() && !points.is_zero() {
            return Err(MoneyError::NegativeRate { value: points });
        }
        points_to_fraction(points).map(Rate)
    }

    /// The rate as a fraction (`0.1` for 10%).
    pub const fn fraction(self) -> Decimal {
        self.0
    }

    /// The rate in percentage points (`10` for 10%).
    pub fn points(self) -> Decimal {
        fraction_to_points(self.0)
    }

    /// `amount` times this rate, unrounded.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`] when the product exceeds a `Decimal`.
    pub fn of(self, amount: Money) -> Result<Money, MoneyError> {
        amount.checked_mul(self.0)
    }

    /// `amount` times this rate, rounded to the currency's minor units.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`] when the product exceeds a `Decimal`.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::{Currency, Money, Rate, RoundingPolicy};
    ///
    /// let rate: Rate = "7.5%".parse()?;
    /// let deal = Money::parse("12345.67", Currency::USD)?;
    /// assert_eq!(rate.of(deal)?.to_string(), "925.92525 USD");
    /// assert_eq!(rate.of_rounded(deal, RoundingPolicy::HalfEven)?.to_string(), "925.93 USD");
    /// assert_eq!(rate.of_rounded(deal, RoundingPolicy::Floor)?.to_string(), "925.92 USD");
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    pub fn of_rounded(self, amount: Money, policy: RoundingPolicy) -> Result<Money, MoneyError> {
        self.of(amount).map(|m| m.round(policy))
    }
}

impl From<Percent> for Rate {
    fn from(p: Percent) -> Rate {
        Rate(p.0)
    }
}

macro_rules! ratio_text {
    ($ty:ident) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}%", self.points())
            }
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({self})", stringify!($ty))
            }
        }

        impl FromStr for $ty {
            type Err = MoneyError;
            /// Parses a percentage with its sign: `"12.5%"`.
            fn from_str(text: &str) -> Result<$ty, MoneyError> {
                $ty::from_points(parse_points(text)?)
            }
        }

        $crate::validated::via_form!(text $ty, MoneyError);
    };
}

ratio_text!(Percent);
ratio_text!(Rate);
