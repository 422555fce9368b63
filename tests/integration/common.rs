//! Shared helpers and proptest strategies.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::Currency;

/// A date from its parts; panics on a bad date (tests only).
pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A decimal from text; panics on bad text (tests only).
pub(crate) fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// Any `Decimal` at all: every 96-bit mantissa, sign and scale.
pub(crate) fn any_decimal() -> impl Strategy<Value = Decimal> {
    let max = (1i128 << 96) - 1;
    (-max..=max, 0u32..=28).prop_map(|(m, s)| Decimal::try_from_i128_with_scale(m, s).unwrap())
}

/// Decimals whose sums of up to three stay exact: 64-bit mantissas with at
/// most 8 decimal places.
pub(crate) fn exact_decimal() -> impl Strategy<Value = Decimal> {
    (any::<i64>(), 0u32..=8)
        .prop_map(|(m, s)| Decimal::try_from_i128_with_scale(i128::from(m), s).unwrap())
}

/// Any built-in currency or a custom one.
pub(crate) fn any_currency() -> impl Strategy<Value = Currency> {
    prop_oneof![
        proptest::sample::select(Currency::builtin()),
        ("X[A-Z]{2}", 0u8..=18).prop_filter_map("custom code", |(code, units)| Currency::custom(
            &code, units
        )
        .ok()),
    ]
}

/// A date between 1800 and 2300.
pub(crate) fn any_date() -> impl Strategy<Value = NaiveDate> {
    let lo = date(1800, 1, 1).to_epoch_days();
    let hi = date(2300, 1, 1).to_epoch_days();
    (lo..hi).prop_map(|d| NaiveDate::from_epoch_days(d).unwrap())
}
