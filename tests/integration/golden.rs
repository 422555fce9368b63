//! The main example's results, kept as JSON by each chapter, checked byte
//! for byte against `tests/golden/small_company.json`.
//!
//! Regenerate after an intended change (and review the diff):
//!
//! ```text
//! UPDATE_GOLDEN=1 cargo test --test integration golden
//! ```

use serde_json::Value;

#[allow(
    dead_code,
    reason = "the example's `main` is not called here, only its story"
)]
#[path = "../../examples/small_company.rs"]
mod small_company;

const GOLDEN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/golden/small_company.json"
);

/// Decimals written as text lose trailing zeros, so the file pins values,
/// not the scale they were carried at.
fn normalised(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(normal_decimal(&s).unwrap_or(s)),
        Value::Array(items) => Value::Array(items.into_iter().map(normalised).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, normalised(v))).collect())
        }
        other => other,
    }
}

/// `"12.50"` to `"12.5"`, and money too: `"12.50 USD"` to `"12.5 USD"`.
fn normal_decimal(s: &str) -> Option<String> {
    if let Some((number, currency)) = s.split_once(' ')
        && currency.len() == 3
        && currency.bytes().all(|b| b.is_ascii_uppercase())
    {
        return normal_decimal(number).map(|n| format!("{n} {currency}"));
    }
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = digits.split_once('.')?;
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    let trimmed = s.trim_end_matches('0').trim_end_matches('.');
    Some(if trimmed == "-0" {
        "0".to_string()
    } else {
        trimmed.to_string()
    })
}

#[test]
fn the_main_example_matches_its_golden_file() {
    small_company::run().unwrap();
    let kept: Vec<Value> = small_company::record::take()
        .into_iter()
        .map(|(name, value)| serde_json::json!({ "name": name, "value": normalised(value) }))
        .collect();
    let got = serde_json::to_string_pretty(&kept).unwrap() + "\n";
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(GOLDEN, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(GOLDEN).unwrap();
    if got != want {
        let (line, (g, w)) = (1..)
            .zip(got.lines().zip(want.lines()))
            .find(|(_, (g, w))| g != w)
            .unwrap_or((0, ("(length differs)", "")));
        panic!(
            "the example's results differ from {GOLDEN} at line {line}:\n  got:  {g}\n  want: {w}\n\
             if the change is intended: UPDATE_GOLDEN=1 cargo test --test integration golden"
        );
    }
}

#[test]
fn decimals_are_normalised_and_nothing_else() {
    for (text, want) in [
        ("12.50", "12.5"),
        ("12.00", "12"),
        ("-0.00", "0"),
        ("-3.140", "-3.14"),
        ("100", "100"),
        ("SO-1.0", "SO-1.0"),
        ("2025-04-01", "2025-04-01"),
        ("1.", "1."),
        ("12.50 USD", "12.5 USD"),
        ("12.50 usd", "12.50 usd"),
        ("7.5%", "7.5%"),
    ] {
        assert_eq!(
            normal_decimal(text).unwrap_or(text.to_string()),
            want,
            "{text}"
        );
    }
}
