//! What can go wrong here (money arithmetic, parsing, currencies, rates and
//! FX), with the ids and values involved.

use crate::money::Currency;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// An arithmetic operation, as named in overflow errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ArithOp {
    /// `left + right`
    Add,
    /// `left - right`
    Sub,
    /// `left * right`
    Mul,
    /// `left / right`
    Div,
}

impl std::fmt::Display for ArithOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        })
    }
}

/// Money arithmetic, currencies, parsing, rates and FX conversion.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// Two amounts in different currencies were combined:
    /// `10 USD + 10 EUR`.
    #[error("currency mismatch: {left} and {right}")]
    CurrencyMismatch {
        /// The currency of the left operand.
        left: Currency,
        /// The currency of the right operand.
        right: Currency,
    },
    /// The exact result does not fit in a `Decimal` (about ±7.9 × 10^28):
    /// `79228162514264337593543950335 + 1`.
    #[error("overflow: {left} {op} {right}")]
    Overflow {
        /// The operation.
        op: ArithOp,
        /// Its left operand.
        left: Decimal,
        /// Its right operand.
        right: Decimal,
    },
    /// A division by zero: `10 USD / 0`.
    #[error("division of {dividend} by zero")]
    DivisionByZero {
        /// The amount that was to be divided.
        dividend: Decimal,
    },
    /// A currency code that is well formed but not built in: `"XYZ"`.
    /// Declare it with [`Currency::custom`].
    #[error("unknown currency {code:?}")]
    UnknownCurrency {
        /// The code given.
        code: String,
    },
    /// A currency code that is not three ASCII capital letters: `"usd"`,
    /// `"US"`.
    #[error("malformed currency code {code:?}: expected three capital letters")]
    MalformedCurrencyCode {
        /// The code given.
        code: String,
    },
    /// A custom currency reuses an ISO 4217 code with other minor units:
    /// `Currency::custom("JPY", 2)`.
    #[error("currency {code} has {expected} minor units, not {given}")]
    MinorUnitsMismatch {
        /// The code.
        code: Currency,
        /// The minor units ISO 4217 gives it.
        expected: u8,
        /// The minor units declared.
        given: u8,
    },
    /// Minor units beyond the supported maximum: `Currency::custom("XQQ", 19)`.
    #[error("currency {code:?} declares {given} minor units; at most {max} are supported")]
    MinorUnitsOutOfRange {
        /// The code given.
        code: String,
        /// The minor units declared.
        given: u8,
        /// The supported maximum.
        max: u8,
    },
    /// An integer (a count of minor units, a total) beyond a `Decimal`'s 96
    /// bits: `Money::from_minor(1 << 100, USD)`.
    #[error("{value} does not fit in a Decimal")]
    IntegerTooLarge {
        /// The integer.
        value: i128,
    },
    /// An amount is not a whole number of minor units where one is required:
    /// `1.005 USD` as cents.
    #[error("{amount} {currency} is not a whole number of minor units")]
    NotInMinorUnits {
        /// The amount.
        amount: Decimal,
        /// Its currency.
        currency: Currency,
    },
    /// Text that is not a plain decimal number: `"1e3"`, `"1_000"`, `"NaN"`,
    /// `""`, or more than 28 decimal places.
    #[error("cannot parse {input:?}: {problem}")]
    Parse {
        /// The text given.
        input: String,
        /// What is wrong with it.
        problem: ParseProblem,
    },
    /// A percentage or share outside its documented range:
    /// `Percent::from_points(120)`.
    #[error("{value} is outside [{min}, {max}]")]
    OutOfRange {
        /// The value given.
        value: Decimal,
        /// The smallest value allowed.
        min: Decimal,
        /// The largest value allowed.
        max: Decimal,
    },
    /// A rate that must not be negative is: `Rate::new(-0.1)`.
    #[error("rate {value} is negative")]
    NegativeRate {
        /// The value given.
        value: Decimal,
    },
    /// No FX rate from `from` to `to` is effective on `date`.
    #[error("no {from}->{to} rate effective on {date}")]
    NoFxRate {
        /// Source currency.
        from: Currency,
        /// Target currency.
        to: Currency,
        /// The date a rate was needed for.
        date: NaiveDate,
    },
    /// An FX rate that is zero or negative.
    #[error("{from}->{to} rate {rate} effective {date} is not positive")]
    NonPositiveFxRate {
        /// Source currency.
        from: Currency,
        /// Target currency.
        to: Currency,
        /// Effective date of the rate.
        date: NaiveDate,
        /// The rate given.
        rate: Decimal,
    },
    /// Two FX rates for one pair and one effective date.
    #[error("two {from}->{to} rates effective {date}")]
    DuplicateFxRate {
        /// Source currency.
        from: Currency,
        /// Target currency.
        to: Currency,
        /// The effective date given twice.
        date: NaiveDate,
    },
    /// An FX rate from a currency to itself.
    #[error("an FX rate from {currency} to itself")]
    SameCurrencyFxRate {
        /// The currency.
        currency: Currency,
    },
}

/// Why text did not parse as a decimal number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseProblem {
    /// Nothing to parse: `""`.
    #[error("it is empty")]
    Empty,
    /// Leading or trailing whitespace: `" 1.5"`.
    #[error("it has surrounding whitespace")]
    Whitespace,
    /// Scientific notation: `"1e3"`.
    #[error("exponents are not accepted")]
    Exponent,
    /// Digit grouping: `"1_000"`, `"1,000"`.
    #[error("digit separators are not accepted")]
    DigitSeparator,
    /// Not a number at all: `"NaN"`, `"inf"`.
    #[error("it is not a finite number")]
    NotANumber,
    /// A sign or point without digits around it: `"-"`, `"1."`, `".5"`.
    #[error("digits are missing")]
    MissingDigits,
    /// A character that has no place in a number: `"12a"`.
    #[error("unexpected character {found:?}")]
    UnexpectedCharacter {
        /// The character found.
        found: char,
    },
    /// More decimal places than a `Decimal` holds: 29 or more.
    #[error("{places} decimal places; at most {max} are supported")]
    TooManyDecimals {
        /// Decimal places given.
        places: usize,
        /// The maximum (28).
        max: u32,
    },
    /// More significant digits than a `Decimal` holds exactly.
    #[error("the value does not fit exactly in a 96-bit decimal")]
    TooLarge,
    /// A money string without a currency, or a rate without its `%` sign:
    /// `"12.50"` where `"12.50 USD"` is expected.
    #[error("expected {expected}")]
    Format {
        /// What the text should look like.
        expected: &'static str,
    },
}
