//! Money, currencies, parsing, ratios and FX: every bad input and its error.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use salesplan::error::{ArithOp, ParseProblem};
use salesplan::money::{FxQuote, RateTable, parse_decimal};
use salesplan::{Currency, Money, MoneyError, Percent, Rate, RoundingPolicy};

use crate::common::{date, dec};

fn usd(a: &str) -> Money {
    Money::parse(a, Currency::USD).unwrap()
}

#[test]
fn adding_two_currencies_is_a_mismatch_naming_both() {
    let eur = Money::parse("1", Currency::EUR).unwrap();
    let expected = MoneyError::CurrencyMismatch {
        left: Currency::USD,
        right: Currency::EUR,
    };
    assert_eq!(usd("1").checked_add(eur), Err(expected.clone()));
    assert_eq!(usd("1").checked_sub(eur), Err(expected.clone()));
    assert_eq!(usd("1").compare(&eur), Err(expected.clone()));
    assert_eq!(usd("1").ratio_to(eur), Err(expected));
    assert_eq!(
        Money::checked_sum(Currency::EUR, [eur, usd("2")]),
        Err(MoneyError::CurrencyMismatch {
            left: Currency::EUR,
            right: Currency::USD
        })
    );
}

#[test]
fn overflow_is_an_error_naming_the_operands() {
    let max = Money::new(Decimal::MAX, Currency::USD);
    assert_eq!(
        max.checked_add(usd("1")),
        Err(MoneyError::Overflow {
            op: ArithOp::Add,
            left: Decimal::MAX,
            right: Decimal::ONE
        })
    );
    assert_eq!(
        Money::new(Decimal::MIN, Currency::USD).checked_sub(usd("1")),
        Err(MoneyError::Overflow {
            op: ArithOp::Sub,
            left: Decimal::MIN,
            right: Decimal::ONE
        })
    );
    assert_eq!(
        max.checked_mul(Decimal::TWO),
        Err(MoneyError::Overflow {
            op: ArithOp::Mul,
            left: Decimal::MAX,
            right: Decimal::TWO
        })
    );
    assert_eq!(
        max.checked_div(dec("0.5")),
        Err(MoneyError::Overflow {
            op: ArithOp::Div,
            left: Decimal::MAX,
            right: dec("0.5")
        })
    );
}

#[test]
fn summing_a_million_amounts_of_ten_to_the_23_overflows_cleanly() {
    let big = Money::new(dec("100000000000000000000000"), Currency::USD);
    let result = Money::checked_sum(Currency::USD, std::iter::repeat_n(big, 1_000_000));
    assert!(
        matches!(
            result,
            Err(MoneyError::Overflow {
                op: ArithOp::Add,
                ..
            })
        ),
        "{result:?}"
    );
}

#[test]
fn division_by_zero_names_the_dividend() {
    assert_eq!(
        usd("10").checked_div(Decimal::ZERO),
        Err(MoneyError::DivisionByZero {
            dividend: dec("10")
        })
    );
    assert_eq!(
        usd("10").ratio_to(usd("0")),
        Err(MoneyError::DivisionByZero {
            dividend: dec("10")
        })
    );
}

#[test]
fn bad_decimal_text_is_rejected_with_its_problem() {
    use ParseProblem::*;
    let cases: &[(&str, ParseProblem)] = &[
        ("", Empty),
        ("   ", Whitespace),
        ("1e3", Exponent),
        ("1_000", DigitSeparator),
        ("1,000.00", DigitSeparator),
        ("NaN", NotANumber),
        ("nan", NotANumber),
        ("inf", NotANumber),
        ("-Infinity", NotANumber),
        (
            "0.12345678901234567890123456789",
            TooManyDecimals {
                places: 29,
                max: 28,
            },
        ),
        ("99999999999999999999999999999", TooLarge),
        ("+", MissingDigits),
        ("12.", MissingDigits),
        ("$12", UnexpectedCharacter { found: '$' }),
    ];
    for (text, problem) in cases {
        let expected = MoneyError::Parse {
            input: (*text).to_owned(),
            problem: *problem,
        };
        assert_eq!(parse_decimal(text), Err(expected.clone()), "{text:?}");
        assert_eq!(Money::parse(text, Currency::USD), Err(expected), "{text:?}");
    }
}

#[test]
fn bad_money_text_is_rejected() {
    let cases: &[(&str, MoneyError)] = &[
        (
            "12.50",
            MoneyError::Parse {
                input: "12.50".into(),
                problem: ParseProblem::Format {
                    expected: "an amount and a currency, such as \"1234.50 USD\"",
                },
            },
        ),
        (
            "12.50 usd",
            MoneyError::MalformedCurrencyCode { code: "usd".into() },
        ),
        (
            "12.50  USD",
            MoneyError::MalformedCurrencyCode {
                code: " USD".into(),
            },
        ),
        (
            "12.50 XYZ",
            MoneyError::UnknownCurrency { code: "XYZ".into() },
        ),
        (
            "1e3 USD",
            MoneyError::Parse {
                input: "1e3 USD".into(),
                problem: ParseProblem::Exponent,
            },
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(text.parse::<Money>().as_ref(), Err(expected), "{text:?}");
    }
}

#[test]
fn unknown_malformed_and_mis_declared_currencies() {
    for code in ["", "US", "USDX", "usd", "U$D", "ÜSD"] {
        assert_eq!(
            Currency::from_code(code),
            Err(MoneyError::MalformedCurrencyCode { code: code.into() }),
            "{code:?}"
        );
    }
    assert_eq!(
        Currency::from_code("XYZ"),
        Err(MoneyError::UnknownCurrency { code: "XYZ".into() })
    );
    assert_eq!(
        Currency::custom("JPY", 2),
        Err(MoneyError::MinorUnitsMismatch {
            code: Currency::JPY,
            expected: 0,
            given: 2
        })
    );
    assert_eq!(
        Currency::custom("XQQ", 19),
        Err(MoneyError::MinorUnitsOutOfRange {
            code: "XQQ".into(),
            given: 19,
            max: 18
        })
    );
    assert_eq!(
        "XQQ:x".parse::<Currency>(),
        Err(MoneyError::MalformedCurrencyCode {
            code: "XQQ:x".into()
        })
    );
    assert_eq!(
        "USD:3".parse::<Currency>(),
        Err(MoneyError::MinorUnitsMismatch {
            code: Currency::USD,
            expected: 2,
            given: 3
        })
    );
}

#[test]
fn unrounded_amounts_have_no_minor_unit_count() {
    assert_eq!(
        usd("0.005").to_minor(),
        Err(MoneyError::NotInMinorUnits {
            amount: dec("0.005"),
            currency: Currency::USD
        })
    );
    let yen = Money::parse("1.5", Currency::JPY).unwrap();
    assert!(matches!(
        yen.to_minor(),
        Err(MoneyError::NotInMinorUnits { .. })
    ));
}

#[test]
fn percents_and_rates_outside_their_ranges() {
    assert_eq!(
        Percent::from_points(dec("100.01")),
        Err(MoneyError::OutOfRange {
            value: dec("100.01"),
            min: Decimal::ZERO,
            max: Decimal::ONE_HUNDRED
        })
    );
    assert_eq!(
        Percent::from_fraction(dec("-0.01")),
        Err(MoneyError::OutOfRange {
            value: dec("-0.01"),
            min: Decimal::ZERO,
            max: Decimal::ONE
        })
    );
    assert_eq!(
        Rate::new(dec("-0.1")),
        Err(MoneyError::NegativeRate { value: dec("-0.1") })
    );
    assert_eq!(
        Rate::from_points(dec("-5")),
        Err(MoneyError::NegativeRate { value: dec("-5") })
    );
    assert!(matches!(
        "12.5".parse::<Rate>(),
        Err(MoneyError::Parse {
            problem: ParseProblem::Format { .. },
            ..
        })
    ));
    assert!(matches!(
        "1e1%".parse::<Percent>(),
        Err(MoneyError::Parse {
            problem: ParseProblem::Exponent,
            ..
        })
    ));
    // 27 decimal places of points need 29 as a fraction.
    assert!(matches!(
        Rate::from_points(dec("0.000000000000000000000000001")),
        Err(MoneyError::Parse {
            problem: ParseProblem::TooManyDecimals { .. },
            ..
        })
    ));
}

#[test]
fn fx_missing_non_positive_duplicate_and_same_currency_rates() {
    let jan = date(2025, 1, 1);
    let quote = |rate: &str| FxQuote {
        from: Currency::EUR,
        to: Currency::USD,
        effective: jan,
        rate: dec(rate),
    };
    let mut table = RateTable::new();
    for bad in ["0", "-1.05"] {
        assert_eq!(
            table.insert(quote(bad)),
            Err(MoneyError::NonPositiveFxRate {
                from: Currency::EUR,
                to: Currency::USD,
                date: jan,
                rate: dec(bad)
            })
        );
    }
    table.insert(quote("1.05")).unwrap();
    assert_eq!(
        table.insert(quote("1.06")),
        Err(MoneyError::DuplicateFxRate {
            from: Currency::EUR,
            to: Currency::USD,
            date: jan
        })
    );
    assert_eq!(
        table.insert(FxQuote {
            to: Currency::EUR,
            ..quote("1")
        }),
        Err(MoneyError::SameCurrencyFxRate {
            currency: Currency::EUR
        })
    );
    let eur = Money::parse("100", Currency::EUR).unwrap();
    let before: NaiveDate = date(2024, 12, 31);
    assert_eq!(
        table.convert(eur, Currency::USD, before, RoundingPolicy::HalfEven),
        Err(MoneyError::NoFxRate {
            from: Currency::EUR,
            to: Currency::USD,
            date: before
        })
    );
    // No inverse and no triangulation: USD->EUR is a different pair.
    assert_eq!(
        table.convert(usd("100"), Currency::EUR, jan, RoundingPolicy::HalfEven),
        Err(MoneyError::NoFxRate {
            from: Currency::USD,
            to: Currency::EUR,
            date: jan
        })
    );
}

#[test]
fn repeated_division_stays_within_28_places_and_rounds_only_when_asked() {
    // Dividing by 3 again and again never grows the scale past Decimal's 28
    // places and never errs: each quotient is exact to the 28th place.
    let exact_after_10 = dec("0.0016935087808430286711036597");
    let mut x = usd("100.00");
    for step in 1..=60u32 {
        x = x.checked_div(dec("3")).unwrap();
        assert!(x.amount().scale() <= 28, "step {step}: {}", x.amount());
        if step == 10 {
            let error = (x.amount() - exact_after_10).abs();
            assert!(
                error <= dec("0.0000000000000000000000001"),
                "{}",
                x.amount()
            );
            // Rounding happens only when asked for, to the minor unit.
            assert_eq!(x.round(RoundingPolicy::HalfEven), usd("0.00"));
            assert!(matches!(
                x.to_minor(),
                Err(MoneyError::NotInMinorUnits { .. })
            ));
        }
    }
    // 100 / 3^60 is 2.36e-27: still representable, still positive.
    assert!(x.amount() > Decimal::ZERO);
    assert!(x.amount() < dec("0.00000000000000000000000001"));
}

#[test]
fn trailing_zeros_beyond_96_bits_are_dropped_not_refused() {
    // 10 at 28 decimal places needs 10^29 in the mantissa (more than 96
    // bits): the zeros carry no value, so the text still reads as 10.
    let ten = format!("10.{}", "0".repeat(28));
    assert_eq!(parse_decimal(&ten), Ok(dec("10")));
    // A digit that is not zero cannot be dropped.
    let not_ten = format!("10.{}1", "0".repeat(27));
    assert_eq!(
        parse_decimal(&not_ten),
        Err(MoneyError::Parse {
            input: not_ten.clone(),
            problem: ParseProblem::TooLarge
        })
    );
}
