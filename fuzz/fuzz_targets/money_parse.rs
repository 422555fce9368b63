//! Strict parsing of amounts, currencies and ratios.
//!
//! Arbitrary text goes through `parse_decimal`, `Money::parse`,
//! `Money::from_str`, `Currency::from_str`, `Percent`/`Rate::from_str`;
//! whatever parses must print back to text that parses to the same value
//! (same scale and currency too). The first bytes also give an arbitrary
//! `Decimal`, which goes through the ratio constructors and rounding.
#![no_main]

use std::str::FromStr;

use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;
use salesplan::money::parse_decimal;
use salesplan::{Currency, Money, Percent, Rate, RoundingPolicy};

/// Plain decimal text: an optional sign, digits, at most one point.
fn plain(text: &str) -> bool {
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

fn same(a: Decimal, b: Decimal) -> bool {
    a == b && a.scale() == b.scale()
}

fn check_text(text: &str) {
    if let Ok(d) = parse_decimal(text) {
        assert!(plain(text), "accepted {text:?} as {d}");
        let back = parse_decimal(&d.to_string()).expect("a parsed decimal prints back parseable");
        assert!(same(back, d), "{text:?}: {d} then {back}");
        let m = Money::parse(text, Currency::USD).expect("parse_decimal accepted it");
        assert!(same(m.amount(), d));
    } else {
        assert!(Money::parse(text, Currency::USD).is_err());
    }

    if let Ok(c) = Currency::from_str(text) {
        assert_eq!(c.code().len(), 3);
        assert!(c.code().bytes().all(|b| b.is_ascii_uppercase()));
        let back = Currency::from_str(&c.to_string()).expect("a currency prints back parseable");
        assert_eq!(back, c);
        assert_eq!(back.minor_units(), c.minor_units());
    }

    if let Ok(m) = Money::from_str(text) {
        let printed = m.to_string();
        let back = Money::from_str(&printed).expect("money prints back parseable");
        assert!(same(back.amount(), m.amount()), "{text:?}: {printed}");
        assert_eq!(back.currency(), m.currency());
        let json = serde_json::to_string(&m).expect("money serializes");
        let from_json: Money = serde_json::from_str(&json).expect("money deserializes");
        assert!(same(from_json.amount(), m.amount()));
        check_rounding(m);
    }

    if let Ok(p) = Percent::from_str(text) {
        assert!(
            p.fraction() >= Decimal::ZERO && p.fraction() <= Decimal::ONE,
            "{p:?}"
        );
        let back = Percent::from_str(&p.to_string()).expect("a percent prints back parseable");
        assert_eq!(back, p, "{text:?}");
    }
    if let Ok(r) = Rate::from_str(text) {
        assert!(!r.fraction().is_sign_negative() || r.fraction().is_zero());
        let back = Rate::from_str(&r.to_string()).expect("a rate prints back parseable");
        assert_eq!(back, r, "{text:?}");
    }
}

fn check_rounding(m: Money) {
    let places = u32::from(m.currency().minor_units());
    let unit = Decimal::new(1, places);
    for policy in RoundingPolicy::ALL {
        let r = m.round(policy);
        assert!(r.is_rounded(), "{m} rounded {policy} is {r}");
        assert_eq!(r.currency(), m.currency());
        if let Some(diff) = r.amount().checked_sub(m.amount()) {
            assert!(diff.abs() < unit, "{m} rounded {policy} is {r}");
        }
    }
}

/// An arbitrary `Decimal` from 13 bytes: 12 of mantissa, one of sign and
/// scale.
fn decimal(bytes: &[u8]) -> Option<Decimal> {
    let (mantissa, rest) = bytes.split_first_chunk::<12>()?;
    let flags = *rest.first()?;
    let mut wide = [0u8; 16];
    wide[..12].copy_from_slice(mantissa);
    let value = i128::from_le_bytes(wide);
    let value = if flags & 0x80 != 0 { -value } else { value };
    Decimal::try_from_i128_with_scale(value, u32::from(flags & 0x1f) % 29).ok()
}

fn check_decimal(d: Decimal) {
    if let Ok(r) = Rate::new(d) {
        let back = Rate::from_str(&r.to_string()).expect("a rate prints back parseable");
        assert_eq!(back, r, "Rate::new({d}) prints as {r}");
        let json = serde_json::to_string(&r).expect("a rate serializes");
        let from_json: Rate = serde_json::from_str(&json).expect("a rate deserializes");
        assert_eq!(from_json, r, "Rate::new({d}) serializes as {json}");
    }
    if let Ok(p) = Percent::from_fraction(d) {
        let back = Percent::from_str(&p.to_string()).expect("a percent prints back parseable");
        assert_eq!(back, p, "Percent::from_fraction({d}) prints as {p}");
    }
    for cur in [Currency::USD, Currency::JPY, Currency::BHD] {
        let m = Money::new(d, cur);
        let back = Money::from_str(&m.to_string()).expect("money prints back parseable");
        assert!(same(back.amount(), d));
        check_rounding(m);
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some(d) = decimal(data) {
        check_decimal(d);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        check_text(text);
    }
});
