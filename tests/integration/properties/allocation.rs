//! The allocation core's guarantees (DESIGN.md, "Allocation"), each a
//! property over random totals (negative and zero included), weights (zeros
//! and huge values included), recipient counts and currencies with 0, 2 and
//! 3 minor units.

use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::allocation::{Bound, Recipient, Split, allocate, blend, over_assign};
use salesplan::{Currency, Money, Percent, Rate, RoundingPolicy};

/// Currencies with 0, 2 and 3 minor units.
fn currency() -> impl Strategy<Value = Currency> {
    prop_oneof![
        Just(Currency::JPY),
        Just(Currency::USD),
        Just(Currency::KWD)
    ]
}

/// Integer weights, a quarter of them zero, at least one positive.
fn weights(max_len: usize, max_weight: u64) -> impl Strategy<Value = Vec<u64>> {
    proptest::collection::vec(
        prop_oneof![1 => Just(0u64), 3 => 0..=max_weight],
        1..max_len,
    )
    .prop_filter("some weight is positive", |w| w.iter().any(|x| *x > 0))
}

fn recipients(ws: &[u64]) -> Vec<Recipient<usize>> {
    ws.iter()
        .enumerate()
        .map(|(i, w)| Recipient::new(i, Decimal::from(*w)))
        .collect()
}

fn minor(m: Money) -> i128 {
    m.to_minor().unwrap()
}

proptest! {
    #[test]
    fn shares_sum_to_the_total_exactly(total in any::<i64>(), ws in weights(200, u64::MAX), cur in currency()) {
        let total = Money::from_minor(total.into(), cur)?;
        let shares = allocate(total, &recipients(&ws))?;
        let sum = Money::checked_sum(cur, shares.iter().map(|s| s.amount()))?;
        prop_assert_eq!(sum, total);
    }

    #[test]
    fn each_share_is_within_one_minor_unit_of_its_exact_value(
        total in -1_000_000_000_000_000i64..1_000_000_000_000_000, ws in weights(200, 1_000_000_000_000_000_000), cur in currency(),
    ) {
        let shares = allocate(Money::from_minor(total.into(), cur)?, &recipients(&ws))?;
        let w_sum: i128 = ws.iter().map(|w| i128::from(*w)).sum();
        for (share, w) in shares.iter().zip(&ws) {
            // |share - T·w/W| < 1  <=>  |share·W - T·w| < W
            let diff = minor(share.amount()) * w_sum - i128::from(total) * i128::from(*w);
            prop_assert!(diff.abs() < w_sum, "share {} weight {}", share.amount(), w);
        }
    }

    #[test]
    fn a_zero_weight_gets_zero_and_every_share_has_the_sign_of_the_total(
        total in any::<i64>(), ws in weights(100, u64::MAX), cur in currency(),
    ) {
        let shares = allocate(Money::from_minor(total.into(), cur)?, &recipients(&ws))?;
        for (share, w) in shares.iter().zip(&ws) {
            let m = minor(share.amount());
            if *w == 0 {
                prop_assert_eq!(m, 0);
            }
            prop_assert!(m == 0 || m.signum() == i128::from(total.signum()));
        }
    }

    #[test]
    fn permuting_the_recipients_permutes_the_shares(
        total in any::<i64>(), ws in weights(300, 1000), seed in any::<u64>(), cur in currency(),
    ) {
        let total = Money::from_minor(total.into(), cur)?;
        let original = allocate(total, &recipients(&ws))?;
        let mut shuffled = recipients(&ws);
        let mut rng = crate::support::generator::Rng::new(seed);
        rng.shuffle(&mut shuffled);
        let permuted = allocate(total, &shuffled)?;
        for (r, s) in shuffled.iter().zip(&permuted) {
            prop_assert_eq!(s, &original[*r.key()]);
        }
    }

    #[test]
    fn ties_go_to_the_smallest_keys(n in 2usize..50, units in 0usize..50, seed in any::<u64>()) {
        let units = units % n;
        let mut keys: Vec<usize> = (0..n).collect();
        crate::support::generator::Rng::new(seed).shuffle(&mut keys);
        let rs: Vec<Recipient<usize>> = keys.iter().map(|k| Recipient::new(*k, Decimal::ONE)).collect();
        // `units` cents over n equal weights: the n smallest keys get one each.
        let shares = allocate(Money::from_minor(units as i128, Currency::USD)?, &rs)?;
        for (r, s) in rs.iter().zip(&shares) {
            prop_assert_eq!(minor(s.amount()), i128::from(*r.key() < units));
            prop_assert_eq!(s.extra_unit(), *r.key() < units);
        }
    }

    #[test]
    fn a_prepared_split_agrees_with_allocate(total in any::<i64>(), ws in weights(100, 1 << 40), cur in currency()) {
        let total = Money::from_minor(total.into(), cur)?;
        let pairs: Vec<(usize, Decimal)> = ws.iter().enumerate().map(|(i, w)| (i, Decimal::from(*w))).collect();
        let split = Split::new(&pairs)?;
        let a: Vec<Money> = allocate(total, &recipients(&ws))?.iter().map(|s| s.amount()).collect();
        prop_assert_eq!(split.apply(total)?, a);
    }

    #[test]
    fn decimal_weights_split_like_their_scaled_integers(
        total in any::<i64>(), ws in weights(60, 1_000_000_000), scale in 0u32..=9,
    ) {
        let total = Money::from_minor(total.into(), Currency::USD)?;
        let decimals: Vec<Recipient<usize>> = ws
            .iter()
            .enumerate()
            .map(|(i, w)| Recipient::new(i, Decimal::try_from_i128_with_scale(i128::from(*w), scale).unwrap()))
            .collect();
        prop_assert_eq!(allocate(total, &decimals)?, allocate(total, &recipients(&ws))?);
    }

    #[test]
    fn over_assignment_sums_to_exactly_the_rounded_factor_times_the_target(
        target in 0i64..1_000_000_000_000, factor_points in 100u32..150, n in 1usize..40,
    ) {
        let target = Money::from_minor(target.into(), Currency::USD)?;
        let factor = Rate::from_points(factor_points.into())?;
        let stretched = over_assign(target, factor, RoundingPolicy::HalfAwayFromZero)?;
        let expected = factor.of(target)?.round(RoundingPolicy::HalfAwayFromZero);
        prop_assert_eq!(stretched, expected);
        let shares = allocate(stretched, &(0..n).map(|i| Recipient::new(i, Decimal::ONE)).collect::<Vec<_>>())?;
        prop_assert_eq!(Money::checked_sum(Currency::USD, shares.iter().map(|s| s.amount()))?, expected);
    }

    /// Floors and caps hold, the total is kept, the free recipients share
    /// the rest in proportion (within one unit), and the water level is
    /// right: nobody is held at a cap its proportional share would not
    /// reach, nor at a floor its share would exceed.
    #[test]
    fn floors_and_caps_hold_and_the_rest_is_shared_in_proportion(
        total in 0i64..10_000_000, raw in proptest::collection::vec((0u64..1000, 0i64..200_000, 0i64..4_000_000, any::<bool>(), any::<bool>()), 1..60),
    ) {
        let usd = |m: i64| Money::from_minor(m.into(), Currency::USD).unwrap();
        let rs: Vec<Recipient<usize>> = raw
            .iter()
            .enumerate()
            .map(|(i, (w, floor, cap, has_floor, has_cap))| {
                let mut r = Recipient::new(i, Decimal::from(*w));
                if *has_floor { r = r.with_floor(usd(*floor)); }
                if *has_cap { r = r.with_cap(usd((*cap).max(*floor))); }
                r
            })
            .collect();
        let result = allocate(usd(total), &rs);
        let Ok(shares) = result else {
            // Only infeasible bounds or all-zero weights may fail.
            let err = result.unwrap_err();
            prop_assert!(matches!(
                err,
                salesplan::AllocationError::FloorsExceedTotal { .. }
                    | salesplan::AllocationError::CapsBelowTotal { .. }
                    | salesplan::AllocationError::ZeroWeights
            ), "{err:?}");
            return Ok(());
        };
        let got: Vec<i128> = shares.iter().map(|s| minor(s.amount())).collect();
        prop_assert_eq!(got.iter().sum::<i128>(), i128::from(total));
        for (r, m) in rs.iter().zip(&got) {
            if let Some(f) = r.floor() { prop_assert!(*m >= minor(f)); }
            if let Some(c) = r.cap() { prop_assert!(*m <= minor(c)); }
        }
        let free: Vec<usize> = (0..rs.len()).filter(|i| shares[*i].bound() == Bound::Proportional).collect();
        let rest: i128 = free.iter().map(|i| got[*i]).sum();
        let w_free: i128 = free.iter().map(|i| raw[*i].0 as i128).sum();
        if w_free > 0 {
            for i in &free {
                let diff = got[*i] * w_free - rest * raw[*i].0 as i128;
                prop_assert!(diff.abs() < w_free);
            }
            for (i, s) in shares.iter().enumerate() {
                let level = rest * raw[i].0 as i128; // proportional share × w_free
                match s.bound() {
                    Bound::Cap => prop_assert!(got[i] * w_free <= level),
                    Bound::Floor => prop_assert!(got[i] * w_free >= level),
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn many_recipients_still_sum_exactly(n in 1usize..10_000, total in any::<i64>(), seed in any::<u64>()) {
        let mut rng = crate::support::generator::Rng::new(seed);
        let ws: Vec<u64> = (0..n).map(|_| rng.range(0, 1_000_000)).collect();
        prop_assume!(ws.iter().any(|w| *w > 0));
        let total = Money::from_minor(total.into(), Currency::EUR)?;
        let shares = allocate(total, &recipients(&ws))?;
        prop_assert_eq!(Money::checked_sum(Currency::EUR, shares.iter().map(|s| s.amount()))?, total);
    }

    #[test]
    fn blended_weights_are_normalised_mixes(a in proptest::collection::vec(1u32..10_000, 1..30), mix in 0u32..=100) {
        let b: Vec<Decimal> = a.iter().rev().map(|x| Decimal::from(*x)).collect();
        let a: Vec<Decimal> = a.iter().map(|x| Decimal::from(*x)).collect();
        let p = Percent::from_points(mix.into())?;
        let q = Percent::from_points((100 - mix).into())?;
        let w = blend(&[(p, &a), (q, &b)])?;
        // Blended weights sum to one, within Decimal's last digit per weight.
        let sum: Decimal = w.iter().copied().fold(Decimal::ZERO, |x, y| x + y);
        prop_assert!((sum - Decimal::ONE).abs() < Decimal::new(w.len() as i64, 27));
    }
}

#[test]
fn huge_totals_and_weights_take_the_wide_path_and_stay_exact() {
    // 10^20 minor units over weights near 10^28: products need 256 bits.
    let total = Money::from_minor(100_000_000_000_000_000_000, Currency::USD).unwrap();
    let big = Decimal::from_i128_with_scale_checked(9_999_999_999_999_999_999_999_999_999);
    let rs = [
        Recipient::new(0, big),
        Recipient::new(1, big),
        Recipient::new(2, Decimal::ONE),
    ];
    let shares = allocate(total, &rs).unwrap();
    let amounts: Vec<i128> = shares.iter().map(|s| minor(s.amount())).collect();
    assert_eq!(amounts.iter().sum::<i128>(), 100_000_000_000_000_000_000);
    // Two equal halves (the third weight is 10^-28 of the others).
    assert_eq!(
        amounts,
        [50_000_000_000_000_000_000, 50_000_000_000_000_000_000, 0]
    );
}

/// A checked constructor for tests.
trait DecimalExt {
    fn from_i128_with_scale_checked(m: i128) -> Decimal;
}

impl DecimalExt for Decimal {
    fn from_i128_with_scale_checked(m: i128) -> Decimal {
        Decimal::try_from_i128_with_scale(m, 0).unwrap()
    }
}

/// Issue #27, defect 7, for blended weights: 20% × [9, 17, 2] + 30% ×
/// [11, 2, 22] + 50% × [1, 26, 8] gives the second recipient exactly 0.51.
/// Failed before: each basis's share was divided on its own and cut at 28
/// places, and the pieces added up to 0.5099999999999999999999999999.
#[test]
fn blended_weights_are_exact_when_their_one_division_is() {
    let d = |v: &[i64]| v.iter().map(|x| Decimal::from(*x)).collect::<Vec<_>>();
    let (a, b, c) = (d(&[9, 17, 2]), d(&[11, 2, 22]), d(&[1, 26, 8]));
    let pct = |p: &str| p.parse::<Percent>().unwrap();
    let bases = [
        (pct("20%"), &a[..]),
        (pct("30%"), &b[..]),
        (pct("50%"), &c[..]),
    ];
    let weights = blend(&bases).unwrap();
    assert_eq!(weights[1], "0.51".parse::<Decimal>().unwrap());
    // What dividing basis by basis gave.
    let piecewise = bases
        .iter()
        .map(|(p, v)| p.fraction() * v[1] / v.iter().sum::<Decimal>())
        .sum::<Decimal>();
    assert_eq!(piecewise.to_string(), "0.5099999999999999999999999999");
}

/// How many decimal places `num / den` needs, if it terminates.
fn places(num: i128, den: i128) -> Option<u32> {
    fn gcd(a: i128, b: i128) -> i128 {
        if b == 0 { a.abs() } else { gcd(b, a % b) }
    }
    let mut d = (den / gcd(num, den).max(1)).abs();
    let mut count = [0u32; 2];
    for (p, c) in [2, 5].into_iter().zip(&mut count) {
        while d % p == 0 {
            d /= p;
            *c += 1;
        }
    }
    (d == 1).then(|| count[0].max(count[1]))
}

proptest! {
    /// Blended weights over one common denominator: a weight whose exact
    /// value terminates in a few places comes out exactly, and equal exact
    /// weights come out equal (a tie stays a tie).
    #[test]
    fn blended_weights_are_exact_and_keep_ties(
        a in proptest::collection::vec(0u32..50, 2..6),
        b in proptest::collection::vec(0u32..50, 2..6),
        c in proptest::collection::vec(0u32..50, 2..6),
        mix in (0u32..=100, 0u32..=100),
    ) {
        let n = a.len().min(b.len()).min(c.len());
        let bases: Vec<Vec<u32>> = [a, b, c].into_iter().map(|v| v[..n].to_vec()).collect();
        prop_assume!(bases.iter().all(|v| v.iter().any(|x| *x > 0)));
        let (p, q) = (mix.0.min(mix.1), mix.0.max(mix.1));
        let points = [p, q - p, 100 - q];
        let decimals: Vec<Vec<Decimal>> =
            bases.iter().map(|v| v.iter().map(|x| Decimal::from(*x)).collect()).collect();
        let input: Vec<(Percent, &[Decimal])> = points
            .iter()
            .zip(&decimals)
            .map(|(pts, v)| (Percent::from_points(Decimal::from(*pts)).unwrap(), &v[..]))
            .collect();
        let weights = blend(&input).unwrap();
        // Exact weights as fractions num / den over i128.
        let totals: Vec<i128> = bases.iter().map(|v| v.iter().map(|x| i128::from(*x)).sum()).collect();
        let den: i128 = 100 * totals.iter().product::<i128>();
        let exact: Vec<i128> = (0..n)
            .map(|i| {
                (0..3)
                    .map(|k| {
                        let others: i128 = (0..3).filter(|j| *j != k).map(|j| totals[j]).product();
                        i128::from(points[k]) * i128::from(bases[k][i]) * others
                    })
                    .sum()
            })
            .collect();
        for i in 0..n {
            // Exact in at most 12 places: then the check below multiplies
            // back without rounding of its own.
            if places(exact[i], den).is_some_and(|p| p <= 12) {
                prop_assert_eq!(weights[i] * Decimal::from(den), Decimal::from(exact[i]));
            }
            for j in 0..n {
                if exact[i] == exact[j] {
                    prop_assert_eq!(weights[i], weights[j]);
                }
            }
        }
    }
}
