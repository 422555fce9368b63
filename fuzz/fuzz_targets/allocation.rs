//! Exact splits with arbitrary totals, weights, floors and caps.
//!
//! Through `allocate`, `Split::new`/`apply`, `Split::equal`, `blend` and
//! `over_assign`. When a split succeeds, checks what the allocation module
//! documents: the shares sum exactly to the total, every share is whole
//! minor units with the total's sign, a zero weight gets nothing, bounds
//! hold, every proportional share is within one minor unit of its exact
//! share of what the bounds left, and permuting the recipients permutes
//! the shares.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;
use salesplan::allocation::{Bound, Recipient, Split, allocate, blend, over_assign};
use salesplan::{Currency, Money, Percent, Rate, RoundingPolicy};

#[derive(Debug, Arbitrary)]
struct Input {
    total: i128,
    /// Low bits: extra scale on the total (usually none, so it is whole
    /// minor units); high bit: a wide total.
    total_flags: u8,
    currency: u8,
    recipients: Vec<In>,
    /// Weights of up to 96 bits and 28 places instead of small ones.
    wide: bool,
    policy: u8,
    factor: u32,
    mix: Vec<(u8, Vec<i64>)>,
}

#[derive(Debug, Arbitrary)]
struct In {
    key: u8,
    weight: i128,
    scale: u8,
    floor: Option<i64>,
    cap: Option<i64>,
    other_currency: bool,
}

fn currency(b: u8) -> Currency {
    match b % 5 {
        0 => Currency::USD,
        1 => Currency::JPY,
        2 => Currency::BHD,
        3 => Currency::custom("XPT", 6).expect("valid custom currency"),
        _ => Currency::custom("XZZ", 18).expect("valid custom currency"),
    }
}

fn minor(m: Money) -> i128 {
    m.to_minor().expect("a share is whole minor units")
}

fuzz_target!(|input: Input| {
    let cur = currency(input.currency);
    let places = u32::from(cur.minor_units());
    let raw_total = if input.total_flags & 0x80 != 0 {
        input.total
    } else {
        i128::from(input.total as i64)
    };
    let extra = u32::from(input.total_flags & 0x7f) % 40;
    let extra = if extra < 30 { 0 } else { extra - 29 };
    let Ok(amount) = Decimal::try_from_i128_with_scale(raw_total, (places + extra).min(28)) else {
        return;
    };
    let total = Money::new(amount, cur);
    let other = if cur == Currency::USD {
        Currency::EUR
    } else {
        Currency::USD
    };

    let recipients: Vec<Recipient<u8>> = input
        .recipients
        .iter()
        .take(48)
        .filter_map(|r| {
            let weight = if input.wide {
                Decimal::try_from_i128_with_scale(r.weight, u32::from(r.scale) % 29).ok()?
            } else {
                Decimal::new(i64::from(r.weight as i32), u32::from(r.scale) % 9)
            };
            let bound_cur = if r.other_currency { other } else { cur };
            let mut out = Recipient::new(r.key % 32, weight);
            if let Some(f) = r.floor {
                out = out.with_floor(Money::from_minor(i128::from(f), bound_cur).ok()?);
            }
            if let Some(c) = r.cap {
                out = out.with_cap(Money::from_minor(i128::from(c), bound_cur).ok()?);
            }
            Some(out)
        })
        .collect();

    if let Ok(shares) = allocate(total, &recipients) {
        check_shares(total, &recipients, &shares, !input.wide);
        // Permuting the input permutes the output the same way.
        let mut reversed = recipients.clone();
        reversed.reverse();
        let back = allocate(total, &reversed).expect("the same recipients, reversed");
        let mut back: Vec<_> = back.into_iter().map(|s| s.amount()).collect();
        back.reverse();
        let forward: Vec<_> = shares.iter().map(|s| s.amount()).collect();
        assert_eq!(back, forward, "order changed the shares");
    }

    // The same split without bounds, prepared once.
    let pairs: Vec<(u8, Decimal)> = recipients.iter().map(|r| (*r.key(), r.weight())).collect();
    if let Ok(split) = Split::new(&pairs) {
        assert_eq!(split.len(), pairs.len());
        if let Ok(parts) = split.apply(total) {
            assert_eq!(parts.len(), pairs.len());
            let sum = parts
                .iter()
                .try_fold(0i128, |acc, p| acc.checked_add(minor(*p)));
            assert_eq!(
                sum,
                Some(minor(total)),
                "split parts do not sum to the total"
            );
            let unbounded: Vec<Recipient<u8>> =
                pairs.iter().map(|(k, w)| Recipient::new(*k, *w)).collect();
            let shares = allocate(total, &unbounded).expect("Split accepted the same input");
            check_shares(total, &unbounded, &shares, !input.wide);
            let amounts: Vec<Money> = shares.iter().map(|s| s.amount()).collect();
            assert_eq!(parts, amounts, "Split and allocate disagree");
        }
    }
    let keys: Vec<u8> = pairs.iter().map(|(k, _)| *k).collect();
    if let Ok(split) = Split::equal(&keys) {
        if let Ok(parts) = split.apply(total) {
            let m: Vec<i128> = parts.iter().map(|p| minor(*p)).collect();
            let (lo, hi) = (m.iter().min().copied(), m.iter().max().copied());
            if let (Some(lo), Some(hi)) = (lo, hi) {
                assert!(
                    hi - lo <= 1,
                    "equal split differs by more than a unit: {m:?}"
                );
            }
        }
    }

    // Blended weights.
    let bases: Vec<(Percent, Vec<Decimal>)> = input
        .mix
        .iter()
        .take(4)
        .filter_map(|(p, figures)| {
            let share = Percent::from_points(Decimal::from(*p % 101)).ok()?;
            Some((
                share,
                figures
                    .iter()
                    .take(16)
                    .map(|f| Decimal::new(*f, 2))
                    .collect(),
            ))
        })
        .collect();
    let borrowed: Vec<(Percent, &[Decimal])> =
        bases.iter().map(|(p, f)| (*p, f.as_slice())).collect();
    if let Ok(weights) = blend(&borrowed) {
        assert_eq!(Some(weights.len()), bases.first().map(|(_, f)| f.len()));
        assert!(
            weights.iter().all(|w| !w.is_sign_negative() || w.is_zero()),
            "{weights:?}"
        );
    }

    let policy = RoundingPolicy::ALL[usize::from(input.policy) % RoundingPolicy::ALL.len()];
    if let Ok(factor) = Rate::from_points(Decimal::new(i64::from(input.factor), 2)) {
        if let Ok(target) = over_assign(total, factor, policy) {
            assert!(target.is_rounded(), "{target}");
            assert_eq!(target.currency(), cur);
        }
    }
});

fn check_shares(
    total: Money,
    recipients: &[Recipient<u8>],
    shares: &[salesplan::allocation::Share],
    exact: bool,
) {
    assert_eq!(shares.len(), recipients.len());
    let total_minor = minor(total);
    let mut sum: i128 = 0;
    for (r, s) in recipients.iter().zip(shares) {
        let m = minor(s.amount());
        assert_eq!(s.amount().currency(), total.currency());
        sum = sum.checked_add(m).expect("shares sum within the total");
        assert!(
            m == 0 || (m > 0) == (total_minor > 0),
            "share {m} against total {total_minor}"
        );
        if r.weight().is_zero() && s.bound() == Bound::Proportional {
            assert_eq!(m, 0, "a zero weight got {m}");
        }
        let magnitude = m.unsigned_abs();
        if let Some(f) = r.floor() {
            assert!(magnitude >= minor(f).unsigned_abs(), "{m} below floor {f}");
        }
        if let Some(c) = r.cap() {
            assert!(magnitude <= minor(c).unsigned_abs(), "{m} above cap {c}");
        }
        match s.bound() {
            Bound::Floor => assert_eq!(Some(magnitude), r.floor().map(|f| minor(f).unsigned_abs())),
            Bound::Cap => assert_eq!(Some(magnitude), r.cap().map(|c| minor(c).unsigned_abs())),
            _ => {}
        }
    }
    assert_eq!(sum, total_minor, "shares do not sum to the total");

    // Each proportional share is within one unit of its exact share of
    // what the bounded shares left (small weights only: the reference is
    // plain i128 arithmetic).
    if !exact {
        return;
    }
    let common = recipients
        .iter()
        .map(|r| r.weight().scale())
        .max()
        .unwrap_or(0);
    let scaled = |w: Decimal| -> i128 { w.mantissa() * 10i128.pow(common - w.scale()) };
    let mut rest = total_minor;
    let mut weight_sum: i128 = 0;
    for (r, s) in recipients.iter().zip(shares) {
        if s.bound() == Bound::Proportional {
            weight_sum += scaled(r.weight());
        } else {
            rest -= minor(s.amount());
        }
    }
    if weight_sum == 0 {
        return;
    }
    for (r, s) in recipients.iter().zip(shares) {
        if s.bound() != Bound::Proportional {
            continue;
        }
        let Some(diff) = minor(s.amount())
            .checked_mul(weight_sum)
            .zip(rest.checked_mul(scaled(r.weight())))
            .and_then(|(lhs, rhs)| lhs.checked_sub(rhs))
        else {
            continue;
        };
        assert!(
            diff.unsigned_abs() < weight_sum.unsigned_abs(),
            "share {} is a unit or more from {rest} x {} / {weight_sum}",
            minor(s.amount()),
            scaled(r.weight())
        );
    }
}
