//! Strict decimal parsing and the checked `Decimal` helpers the crate uses.

use rust_decimal::Decimal;

use crate::money::ArithOp;

use crate::money::MoneyError;

use crate::money::ParseProblem;

/// The most decimal places a `Decimal` holds.
pub(crate) const MAX_SCALE: u32 = 28;

/// Parses a plain decimal number: an optional sign, digits, and optionally a
/// point followed by digits. Nothing else is accepted: no whitespace,
/// exponents, digit separators, `NaN` or infinities, no bare point, and no
/// value that a `Decimal` cannot hold exactly.
///
/// # Errors
///
/// [`MoneyError::Parse`] naming the input and the problem.
///
/// # Examples
///
/// ```
/// use salesplan::money::parse_decimal;
///
/// assert_eq!(parse_decimal("-1234.50")?.to_string(), "-1234.50");
/// for bad in ["", "1e3", "1_000", "1,000", "NaN", " 1", "1.", ".5", "0.00000000000000000000000000001"] {
///     assert!(parse_decimal(bad).is_err(), "{bad}");
/// }
/// # Ok::<(), salesplan::MoneyError>(())
/// ```
pub fn parse_decimal(input: &str) -> Result<Decimal, MoneyError> {
    parse_problem(input).map_err(|problem| MoneyError::Parse {
        input: input.to_owned(),
        problem,
    })
}

fn parse_problem(input: &str) -> Result<Decimal, ParseProblem> {
    if input.is_empty() {
        return Err(ParseProblem::Empty);
    }
    if input.trim() != input {
        return Err(ParseProblem::Whitespace);
    }
    let lower = input.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if ["nan", "inf", "infinity"].contains(&body) {
        return Err(ParseProblem::NotANumber);
    }
    let (negative, digits) = match input.as_bytes().first() {
        Some(b'-') => (true, input.get(1..).unwrap_or_default()),
        Some(b'+') => (false, input.get(1..).unwrap_or_default()),
        _ => (false, input),
    };
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    for c in digits.chars() {
        match c {
            '0'..='9' | '.' => {}
            'e' | 'E' => return Err(ParseProblem::Exponent),
            '_' | ',' | '\'' | ' ' => return Err(ParseProblem::DigitSeparator),
            found => return Err(ParseProblem::UnexpectedCharacter { found }),
        }
    }
    if int_part.is_empty() || frac_part.is_some_and(str::is_empty) {
        return Err(ParseProblem::MissingDigits);
    }
    let frac = frac_part.unwrap_or_default();
    if frac.contains('.') {
        return Err(ParseProblem::UnexpectedCharacter { found: '.' });
    }
    if frac.len() > MAX_SCALE as usize {
        return Err(ParseProblem::TooManyDecimals {
            places: frac.len(),
            max: MAX_SCALE,
        });
    }
    // Exactly as written; if that needs more than 96 bits, the trailing
    // zeros after the point carry no value and may go ("10.000...0" with
    // 28 zeros is 10).
    exact(negative, int_part, frac).or_else(|e| {
        let trimmed = frac.trim_end_matches('0');
        if trimmed.len() < frac.len() {
            exact(negative, int_part, trimmed)
        } else {
            Err(e)
        }
    })
}

/// The decimal `int_part.frac` with the scale of `frac`, if it fits exactly.
fn exact(negative: bool, int_part: &str, frac: &str) -> Result<Decimal, ParseProblem> {
    // Accumulate the mantissa; anything beyond 96 bits cannot be exact.
    let mut mantissa: u128 = 0;
    for b in int_part.bytes().chain(frac.bytes()) {
        mantissa = mantissa
            .checked_mul(10)
            .and_then(|m| m.checked_add(u128::from(b.wrapping_sub(b'0'))))
            .ok_or(ParseProblem::TooLarge)?;
    }
    let signed = i128::try_from(mantissa).map_err(|_| ParseProblem::TooLarge)?;
    let signed = if negative {
        signed.checked_neg().ok_or(ParseProblem::TooLarge)?
    } else {
        signed
    };
    // `frac.len() <= 28` was checked by the caller.
    let scale = u32::try_from(frac.len()).map_err(|_| ParseProblem::TooLarge)?;
    Decimal::try_from_i128_with_scale(signed, scale).map_err(|_| ParseProblem::TooLarge)
}

pub(crate) fn add(left: Decimal, right: Decimal) -> Result<Decimal, MoneyError> {
    left.checked_add(right).ok_or(MoneyError::Overflow {
        op: ArithOp::Add,
        left,
        right,
    })
}

pub(crate) fn sub(left: Decimal, right: Decimal) -> Result<Decimal, MoneyError> {
    left.checked_sub(right).ok_or(MoneyError::Overflow {
        op: ArithOp::Sub,
        left,
        right,
    })
}

pub(crate) fn mul(left: Decimal, right: Decimal) -> Result<Decimal, MoneyError> {
    left.checked_mul(right).ok_or(MoneyError::Overflow {
        op: ArithOp::Mul,
        left,
        right,
    })
}

pub(crate) fn div(left: Decimal, right: Decimal) -> Result<Decimal, MoneyError> {
    if right.is_zero() {
        return Err(MoneyError::DivisionByZero { dividend: left });
    }
    left.checked_div(right).ok_or(MoneyError::Overflow {
        op: ArithOp::Div,
        left,
        right,
    })
}

/// `value` negated; exact for every `Decimal`.
pub(crate) fn neg(value: Decimal) -> Decimal {
    let mut out = value;
    out.set_sign_negative(!value.is_sign_negative());
    out
}

/// Shifts the decimal point `places` to the left without any rounding:
/// `shift_left(7268, 2) == 72.68`.
pub(crate) fn shift_left(value: Decimal, places: u32) -> Option<Decimal> {
    let value = value.normalize();
    let scale = value.scale().checked_add(places)?;
    if scale <= MAX_SCALE {
        Decimal::try_from_i128_with_scale(value.mantissa(), scale).ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_numbers() {
        for (text, expected) in [
            ("0", "0"),
            ("-0.00", "0.00"),
            ("+12.5", "12.5"),
            ("007", "7"),
            (
                "79228162514264337593543950335",
                "79228162514264337593543950335",
            ),
            (
                "-0.0000000000000000000000000001",
                "-0.0000000000000000000000000001",
            ),
        ] {
            assert_eq!(parse_decimal(text).unwrap().to_string(), expected, "{text}");
        }
    }

    #[test]
    fn rejects_everything_else() {
        use ParseProblem::*;
        for (text, problem) in [
            ("", Empty),
            (" 1", Whitespace),
            ("1 ", Whitespace),
            ("1e3", Exponent),
            ("1E3", Exponent),
            ("1_000", DigitSeparator),
            ("1,000", DigitSeparator),
            ("NaN", NotANumber),
            ("-inf", NotANumber),
            ("-", MissingDigits),
            ("1.", MissingDigits),
            (".5", MissingDigits),
            ("1.2.3", UnexpectedCharacter { found: '.' }),
            ("12a", UnexpectedCharacter { found: 'a' }),
            ("--1", UnexpectedCharacter { found: '-' }),
            ("79228162514264337593543950336", TooLarge),
            (
                "0.00000000000000000000000000001",
                TooManyDecimals {
                    places: 29,
                    max: 28,
                },
            ),
        ] {
            assert_eq!(
                parse_decimal(text),
                Err(MoneyError::Parse {
                    input: text.to_owned(),
                    problem
                }),
                "{text:?}"
            );
        }
    }
}
