//! Exact money: amounts, currencies, rounding, ratios and FX.
//!
//! A [`Money`] is a `rust_decimal::Decimal` amount with its [`Currency`].
//! Everything is exact (no floating point anywhere) and every operation that
//! can fail returns a [`MoneyError`] instead of panicking:
//!
//! - amounts in different currencies never combine silently
//!   ([`MoneyError::CurrencyMismatch`]);
//! - overflow and division by zero are errors;
//! - values keep full `Decimal` precision (28 decimal places) until they are
//!   rounded, explicitly, with a [`RoundingPolicy`], to the currency's minor
//!   units.
//!
//! ```
//! use salesplan::{Currency, Money, Rate, RoundingPolicy};
//!
//! let deal = Money::parse("12345.67", Currency::USD)?;
//! let rate: Rate = "7.5%".parse()?;
//! let commission = rate.of(deal)?;
//! assert_eq!(commission.to_string(), "925.92525 USD");
//! assert_eq!(commission.round(RoundingPolicy::HalfEven).to_string(), "925.93 USD");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
pub use self::error::{ArithOp, MoneyError, ParseProblem};

mod attainment;
mod currency;
mod fx;
mod parse;
mod ratio;
mod rounding;
#[cfg(feature = "serde")]
pub(crate) mod serde_dec;
/// Short paths for `#[serde(with = "..")]` on decimal fields: a decimal
/// as a strict string, and an optional one.
#[cfg(feature = "serde")]
pub(crate) use serde_dec::{decimal_opt as dec_opt, decimal_str as dec};

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

pub use self::attainment::Attainment;
pub use self::currency::{Currency, MAX_MINOR_UNITS};
pub use self::fx::{FxQuote, RateTable};
pub use self::parse::parse_decimal;
pub(crate) use self::parse::{add, div, mul, neg, sub};
pub use self::ratio::{Percent, Rate};
pub use self::rounding::RoundingPolicy;

/// An exact amount of money in one currency.
///
/// Equality is numeric within a currency (`1.5 USD == 1.50 USD`); amounts in
/// different currencies are never equal. There is deliberately no `Ord` and no
/// `+`: comparing or adding across currencies has no answer, so
/// [`compare`](Money::compare) and [`checked_add`](Money::checked_add) return
/// a `Result`.
///
/// The text form is `"<amount> <currency>"` (`"1234.50 USD"`), parsed
/// strictly by [`FromStr`]; serde uses the same text.
///
/// ```
/// use salesplan::{Currency, Money};
///
/// let a: Money = "1234.50 USD".parse()?;
/// let b = Money::parse("0.50", Currency::USD)?;
/// assert_eq!(a.checked_add(b)?.to_string(), "1235.00 USD");
/// assert!(a.checked_add(Money::zero(Currency::EUR)).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// `amount` in `currency`, with all its precision.
    #[inline]
    pub const fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    /// Zero in `currency`, written with the currency's minor units
    /// (`0.00 USD`, `0 JPY`), as a parsed amount would be.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::{Currency, Money};
    ///
    /// assert_eq!(Money::zero(Currency::USD).to_string(), "0.00 USD");
    /// assert_eq!(Money::zero(Currency::USD), Money::parse("0", Currency::USD)?);
    /// assert_eq!(Money::zero(Currency::JPY).to_string(), "0 JPY");
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    #[allow(
        clippy::disallowed_methods,
        reason = "the scale is a currency's minor units, at most MAX_MINOR_UNITS (18): never clamped"
    )]
    pub const fn zero(currency: Currency) -> Money {
        let scale = currency.minor_units() as u32;
        Money::new(Decimal::from_parts(0, 0, 0, false, scale), currency)
    }

    /// Parses a plain decimal amount (`"1234.50"`) in `currency`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Parse`] for anything but a plain decimal number: see
    /// [`parse_decimal`].
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::{Currency, Money};
    /// assert_eq!(Money::parse("0.10", Currency::EUR)?.to_string(), "0.10 EUR");
    /// assert!(Money::parse("1e3", Currency::EUR).is_err());
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    pub fn parse(amount: &str, currency: Currency) -> Result<Money, MoneyError> {
        parse_decimal(amount).map(|a| Money::new(a, currency))
    }

    /// An amount given in minor units: `from_minor(1050, USD)` is 10.50 USD.
    ///
    /// # Errors
    ///
    /// [`MoneyError::IntegerTooLarge`] beyond a `Decimal`'s 96 bits.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::{Currency, Money};
    ///
    /// assert_eq!(Money::from_minor(1050, Currency::USD)?.to_string(), "10.50 USD");
    /// // The yen has no minor units: 1050 minor units are 1050 JPY.
    /// assert_eq!(Money::from_minor(1050, Currency::JPY)?.to_string(), "1050 JPY");
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    #[inline]
    pub fn from_minor(minor: i128, currency: Currency) -> Result<Money, MoneyError> {
        Decimal::try_from_i128_with_scale(minor, u32::from(currency.minor_units()))
            .map(|a| Money::new(a, currency))
            .map_err(|_| MoneyError::IntegerTooLarge { value: minor })
    }

    /// The amount, with all its precision.
    #[inline]
    pub const fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    #[inline]
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// Whether the amount is zero.
    #[inline]
    pub const fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// Whether the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    /// Whether the amount is above zero.
    pub fn is_positive(&self) -> bool {
        self.amount.is_sign_positive() && !self.amount.is_zero()
    }

    /// The amount negated (exact).
    #[must_use]
    pub fn negated(self) -> Money {
        Money::new(neg(self.amount), self.currency)
    }

    /// The absolute amount (exact).
    #[must_use]
    pub fn abs(self) -> Money {
        Money::new(self.amount.abs(), self.currency)
    }

    fn same_currency(&self, other: &Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            })
        }
    }

    /// `self + other`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] across currencies;
    /// [`MoneyError::Overflow`] beyond `Decimal`'s range.
    #[inline]
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(&other)?;
        add(self.amount, other.amount).map(|a| Money::new(a, self.currency))
    }

    /// `self - other`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] across currencies;
    /// [`MoneyError::Overflow`] beyond `Decimal`'s range.
    #[inline]
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(&other)?;
        sub(self.amount, other.amount).map(|a| Money::new(a, self.currency))
    }

    /// `self × factor`, unrounded.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`] beyond `Decimal`'s range.
    pub fn checked_mul(self, factor: Decimal) -> Result<Money, MoneyError> {
        mul(self.amount, factor).map(|a| Money::new(a, self.currency))
    }

    /// `self ÷ divisor`, unrounded (to `Decimal`'s 28 places).
    ///
    /// # Errors
    ///
    /// [`MoneyError::DivisionByZero`] when `divisor` is zero;
    /// [`MoneyError::Overflow`] beyond `Decimal`'s range.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::{Currency, Money, RoundingPolicy};
    ///
    /// let pool = Money::parse("100.00", Currency::USD)?;
    /// let third = pool.checked_div(Decimal::from(3))?;
    /// assert_eq!(third.to_string(), "33.333333333333333333333333333 USD");
    /// assert_eq!(third.round(RoundingPolicy::HalfEven).to_string(), "33.33 USD");
    /// assert!(pool.checked_div(Decimal::ZERO).is_err());
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    pub fn checked_div(self, divisor: Decimal) -> Result<Money, MoneyError> {
        div(self.amount, divisor).map(|a| Money::new(a, self.currency))
    }

    /// `self ÷ other` as a plain ratio (attainment, shares), unrounded.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] across currencies;
    /// [`MoneyError::DivisionByZero`] when `other` is zero;
    /// [`MoneyError::Overflow`] beyond `Decimal`'s range.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::{Currency, Money};
    ///
    /// let sold = Money::parse("45000", Currency::USD)?;
    /// let quota = Money::parse("60000", Currency::USD)?;
    /// assert_eq!(sold.ratio_to(quota)?.to_string(), "0.75");
    /// assert!(sold.ratio_to(Money::zero(Currency::USD)).is_err());
    /// assert!(sold.ratio_to(Money::parse("60000", Currency::EUR)?).is_err());
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    pub fn ratio_to(self, other: Money) -> Result<Decimal, MoneyError> {
        self.same_currency(&other)?;
        div(self.amount, other.amount)
    }

    /// Orders two amounts of one currency.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] across currencies.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::cmp::Ordering;
    /// use salesplan::{Currency, Money};
    /// let a = Money::parse("1.5", Currency::USD)?;
    /// let b = Money::parse("1.50", Currency::USD)?;
    /// assert_eq!(a.compare(&b)?, Ordering::Equal);
    /// assert!(a.compare(&Money::zero(Currency::EUR)).is_err());
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    pub fn compare(&self, other: &Money) -> Result<Ordering, MoneyError> {
        self.same_currency(other)?;
        Ok(self.amount.cmp(&other.amount))
    }

    /// The sum of `amounts`, all in `currency` (zero when empty): a checked
    /// fold, since `Iterator::sum` over `Decimal` panics on overflow.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] for an amount in another currency;
    /// [`MoneyError::Overflow`] when the running total leaves `Decimal`'s
    /// range.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::{Currency, Money};
    /// let lines = ["10.00", "20.50", "-5.25"].map(|a| Money::parse(a, Currency::GBP));
    /// let lines = lines.into_iter().collect::<Result<Vec<_>, _>>()?;
    /// assert_eq!(Money::checked_sum(Currency::GBP, lines)?.to_string(), "25.25 GBP");
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    pub fn checked_sum<I>(currency: Currency, amounts: I) -> Result<Money, MoneyError>
    where
        I: IntoIterator<Item = Money>,
    {
        amounts
            .into_iter()
            .try_fold(Money::zero(currency), Money::checked_add)
    }

    /// Rounded to the currency's minor units with `policy`, and written
    /// with exactly that many decimal places (`7 USD` becomes `7.00 USD`).
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::{Currency, Money, RoundingPolicy};
    ///
    /// let x = Money::parse("10.005", Currency::USD)?;
    /// assert_eq!(x.round(RoundingPolicy::HalfEven).to_string(), "10.00 USD");
    /// assert_eq!(x.round(RoundingPolicy::HalfAwayFromZero).to_string(), "10.01 USD");
    /// // Whole amounts gain the currency's decimal places.
    /// assert_eq!(Money::parse("7", Currency::USD)?.round(RoundingPolicy::HalfEven).to_string(), "7.00 USD");
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    #[must_use]
    pub fn round(self, policy: RoundingPolicy) -> Money {
        let places = u32::from(self.currency.minor_units());
        let mut amount = policy.round(self.amount, places);
        // Widening the scale never changes the value (rust_decimal caps it
        // where the mantissa would not fit).
        amount.rescale(places);
        Money::new(amount, self.currency)
    }

    /// Whether the amount is a whole number of minor units.
    pub fn is_rounded(&self) -> bool {
        self.amount.normalize().scale() <= u32::from(self.currency.minor_units())
    }

    /// The amount as a whole number of minor units (1050 for 10.50 USD).
    ///
    /// # Errors
    ///
    /// [`MoneyError::NotInMinorUnits`] when the amount has more precision
    /// than the currency (round it first); [`MoneyError::Overflow`] when the
    /// count does not fit in an `i128`.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::{Currency, Money, RoundingPolicy};
    ///
    /// assert_eq!(Money::parse("10.50", Currency::USD)?.to_minor()?, 1050);
    /// let x = Money::parse("10.005", Currency::USD)?;
    /// assert!(x.to_minor().is_err());
    /// assert_eq!(x.round(RoundingPolicy::HalfAwayFromZero).to_minor()?, 1001);
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    #[inline]
    pub fn to_minor(&self) -> Result<i128, MoneyError> {
        self.minor_units().ok_or_else(|| self.minor_units_error())
    }

    /// The amount as whole minor units, if it is one (hot paths: no error
    /// to build).
    #[inline]
    pub(crate) fn minor_units(&self) -> Option<i128> {
        scaled_integer(self.amount, u32::from(self.currency.minor_units()))
    }

    #[cold]
    fn minor_units_error(&self) -> MoneyError {
        if self.amount.scale() > u32::from(self.currency.minor_units()) {
            MoneyError::NotInMinorUnits {
                amount: self.amount,
                currency: self.currency,
            }
        } else {
            MoneyError::Overflow {
                op: ArithOp::Mul,
                left: self.amount,
                right: Decimal::ONE,
            }
        }
    }
}

/// `value` as a whole number of `10^-places` (`1.25` at 2 places is
/// `125`), if it is one and fits in an `i128`.
#[inline]
pub(crate) fn scaled_integer(value: Decimal, places: u32) -> Option<i128> {
    let scale = value.scale();
    let mantissa = value.mantissa();
    if scale == places {
        // The usual case (amounts kept at the currency's scale).
        Some(mantissa)
    } else if let Some(more) = places.checked_sub(scale) {
        10i128
            .checked_pow(more)
            .and_then(|p| mantissa.checked_mul(p))
    } else {
        let p = 10i128.checked_pow(scale.checked_sub(places)?)?;
        match (mantissa.checked_rem(p), mantissa.checked_div(p)) {
            (Some(0), Some(v)) => Some(v),
            _ => None,
        }
    }
}

/// `value` as a `Decimal`.
pub(crate) fn integer(value: i128) -> Result<Decimal, MoneyError> {
    Decimal::try_from_i128_with_scale(value, 0).map_err(|_| MoneyError::IntegerTooLarge { value })
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({self})")
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    /// Parses `"<amount> <currency>"`, exactly one space between them:
    /// `"1234.50 USD"`, `"-3 JPY"`, `"1.2345 XPT:4"`.
    fn from_str(text: &str) -> Result<Money, MoneyError> {
        let (amount, currency) = text.split_once(' ').ok_or_else(|| MoneyError::Parse {
            input: text.to_owned(),
            problem: ParseProblem::Format {
                expected: "an amount and a currency, such as \"1234.50 USD\"",
            },
        })?;
        let currency = currency.parse::<Currency>()?;
        let amount = parse_decimal(amount).map_err(|e| match e {
            MoneyError::Parse { problem, .. } => MoneyError::Parse {
                input: text.to_owned(),
                problem,
            },
            other => other,
        })?;
        Ok(Money::new(amount, currency))
    }
}

crate::validated::via_form!(text Money, MoneyError);

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn rounding_policy_table() {
        use RoundingPolicy::*;
        let rows = [
            (HalfAwayFromZero, ["3", "-3", "2", "-3"]),
            (HalfEven, ["2", "-2", "2", "-3"]),
            (TowardZero, ["2", "-2", "2", "-2"]),
            (AwayFromZero, ["3", "-3", "3", "-3"]),
            (Floor, ["2", "-3", "2", "-3"]),
            (Ceiling, ["3", "-2", "3", "-2"]),
        ];
        for (policy, expected) in rows {
            for (input, want) in ["2.5", "-2.5", "2.4", "-2.6"].iter().zip(expected) {
                assert_eq!(policy.round(d(input), 0), d(want), "{policy:?} {input}");
            }
        }
    }

    #[test]
    fn rounding_writes_exactly_the_minor_units() {
        let m = |a: &str, c: Currency| {
            Money::parse(a, c)
                .unwrap()
                .round(RoundingPolicy::HalfEven)
                .to_string()
        };
        assert_eq!(m("7", Currency::USD), "7.00 USD");
        assert_eq!(m("0", Currency::KWD), "0.000 KWD");
        assert_eq!(m("2.5", Currency::JPY), "2 JPY");
        assert_eq!(m("1.005", Currency::USD), "1.00 USD");
        // Too many digits to widen: the value is kept, the scale is not forced.
        let max = Money::new(Decimal::MAX, Currency::USD).round(RoundingPolicy::HalfEven);
        assert_eq!(max.amount(), Decimal::MAX);
    }

    #[test]
    fn minor_units_round_trip() {
        let m = Money::from_minor(-1050, Currency::USD).unwrap();
        assert_eq!(m.to_string(), "-10.50 USD");
        assert_eq!(m.to_minor().unwrap(), -1050);
        let yen = Money::parse("1200", Currency::JPY).unwrap();
        assert_eq!(yen.to_minor().unwrap(), 1200);
        let kwd = Money::parse("1.5", Currency::KWD).unwrap();
        assert_eq!(kwd.to_minor().unwrap(), 1500);
        let unrounded = Money::parse("1.005", Currency::USD).unwrap();
        assert!(matches!(
            unrounded.to_minor(),
            Err(MoneyError::NotInMinorUnits { .. })
        ));
    }
}
