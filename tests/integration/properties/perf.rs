//! Performance invariants: attainment and pace do not depend on the order
//! of the input; a team's actual is its manager's own plus its members'
//! subtrees; status is monotone in attainment; escalation never acts on
//! someone above every threshold; ranks do not depend on input order.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::calendar::WorkCalendar;
use salesplan::perf::{
    Action, EscalationPolicy, EscalationRule, PaceCurve, PeriodKind, PeriodResult, ProgressOptions,
    Ratio, StatusBands, TeamProgress, rank,
};
use salesplan::rollup::{NodeValues, SumOptions, sum_credits};
use salesplan::{Currency, Money, Period, PositionId};

use crate::common::date;
use crate::support::perf::q1;
use crate::support::{RandomTree, person, random_tree};

fn shuffle<T>(v: &mut [T], seed: u64) {
    let mut s = seed;
    for i in (1..v.len()).rev() {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        v.swap(i, (s >> 33) as usize % (i + 1));
    }
}

fn ratio(points: i64) -> Ratio {
    Ratio::Value(Decimal::new(points, 2))
}

proptest! {
    #[test]
    fn team_figures_are_order_free_and_teams_sum_their_members(
        tree in random_tree(30),
        raw in proptest::collection::vec((0usize..30, 0u32..89, -5_000i64..100_000), 0..60),
        targets in proptest::collection::vec(0i64..1_000_000, 30),
        seed in any::<u64>(),
        as_of in 0u32..89,
    ) {
        let org = tree.org();
        let n = tree.parents.len();
        let snapshot = org.as_of(date(2025, 2, 1)).unwrap();
        let mut credits: Vec<(PositionId, NaiveDate, Money)> = raw
            .iter()
            .map(|(p, d, c)| (
                RandomTree::id(p % n),
                date(2025, 1, 1) + chrono::Days::new(u64::from(*d)),
                Money::from_minor(i128::from(*c), Currency::USD).unwrap(),
            ))
            .collect();
        let targets = NodeValues::from_fn(&snapshot, |node| {
            let i: usize = node.id().as_str()[1..].parse().unwrap();
            Money::from_minor(i128::from(targets[i]), Currency::USD).unwrap()
        });
        let as_of = date(2025, 1, 1) + chrono::Days::new(u64::from(as_of));
        let curve = PaceCurve::working_days(q1(), WorkCalendar::monday_to_friday());
        let run = |credits: &[(PositionId, NaiveDate, Money)]| {
            let actual = sum_credits(&snapshot, credits, SumOptions::new(Currency::USD)).unwrap();
            let progress =
                TeamProgress::new(&targets, &actual, ProgressOptions::new(as_of, curve.clone())).unwrap();
            progress.reports().unwrap()
        };
        let a = run(&credits);
        shuffle(&mut credits, seed);
        let b = run(&credits);
        prop_assert_eq!(&a, &b);
        for report in &a {
            let members = report
                .members
                .iter()
                .fold(report.own_actual, |acc, m| acc.checked_add(m.actual).unwrap());
            prop_assert_eq!(members, report.actual);
            let shares: Decimal = report.members.iter().filter_map(|m| m.contribution.value()).sum();
            if !report.actual.is_zero() && report.own_actual.is_zero() {
                prop_assert!((shares - Decimal::ONE).abs() < Decimal::new(1, 20));
            }
        }
    }

    #[test]
    fn status_is_monotone_in_attainment(
        a in -50i64..300, b in -50i64..300,
        on in 1i64..200, gap in 1i64..100,
        activity in proptest::option::of(0i64..200),
    ) {
        let at_risk = (on - gap).max(0);
        let bands = StatusBands::new(Decimal::new(on, 2), Decimal::new(at_risk, 2)).unwrap();
        let (lo, hi) = (a.min(b), a.max(b));
        let act = activity.map(ratio);
        prop_assert!(bands.status(&ratio(lo), act.as_ref()) <= bands.status(&ratio(hi), act.as_ref()));
        prop_assert!(bands.band(&ratio(lo)) <= bands.band(&ratio(hi)));
    }

    #[test]
    fn nobody_above_every_threshold_is_escalated(
        rules in proptest::collection::vec((any::<bool>(), 1i64..150, 1u32..4), 1..5),
        history in proptest::collection::vec(0i64..100, 1..12),
        quarters in proptest::collection::vec(0i64..100, 0..4),
    ) {
        let mut policy = EscalationPolicy::new();
        let mut top = 0i64;
        for (monthly, below, n) in &rules {
            let kind = if *monthly { PeriodKind::Month } else { PeriodKind::Quarter };
            policy = policy.rule(
                EscalationRule::new(kind, Decimal::new(*below, 2), *n, Action::Coaching).unwrap(),
            );
            top = top.max(*below);
        }
        let mut results: Vec<PeriodResult> = history
            .iter()
            .enumerate()
            .map(|(m, extra)| PeriodResult {
                kind: PeriodKind::Month,
                period: Period::month(2025, m as u32 + 1).unwrap(),
                attainment: ratio(top + extra),
            })
            .collect();
        for (q, extra) in quarters.iter().enumerate() {
            let start = date(2025, 3 * q as u32 + 1, 1);
            let end = if q == 3 { date(2026, 1, 1) } else { date(2025, 3 * q as u32 + 4, 1) };
            results.push(PeriodResult {
                kind: PeriodKind::Quarter,
                period: Period::new(start, end).unwrap(),
                attainment: ratio(top + extra),
            });
        }
        let due = policy.evaluate(&person("ana"), &results, date(2026, 1, 1), None).unwrap();
        prop_assert!(due.is_empty());
    }

    #[test]
    fn ranks_do_not_depend_on_input_order(
        points in proptest::collection::vec(proptest::option::of(0i64..20), 0..30),
        seed in any::<u64>(),
    ) {
        let mut entries: Vec<(usize, Ratio)> = points
            .iter()
            .enumerate()
            .map(|(i, p)| (i, p.map_or(Ratio::ZeroDenominator { numerator: Decimal::ONE }, ratio)))
            .collect();
        let a = rank(&entries).unwrap();
        shuffle(&mut entries, seed);
        let b = rank(&entries).unwrap();
        prop_assert_eq!(&a, &b);
        // A better attainment never has a worse rank.
        for x in &a {
            for y in &a {
                if let (Some(vx), Some(vy), Some(rx), Some(ry)) =
                    (x.attainment.value(), y.attainment.value(), x.rank, y.rank)
                {
                    prop_assert!(vx <= vy || rx <= ry);
                    prop_assert_eq!(vx == vy, rx == ry);
                }
            }
        }
    }
}

/// How many decimal places `num / den` needs, if it terminates (the
/// denominator in lowest terms has no prime factor but 2 and 5).
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

/// Whether `num / den` is exact in a few decimal places: then the checks
/// below multiply it back without any rounding of their own.
fn exact(num: i128, den: i128) -> bool {
    places(num, den).is_some_and(|p| p <= 8)
}

/// The `n`-th working day (1 is the first) from Monday `monday`, Monday to
/// Friday.
fn working_day(monday: NaiveDate, n: u32) -> NaiveDate {
    let k = n - 1;
    monday + chrono::Days::new(u64::from(k / 5 * 7 + k % 5))
}

proptest! {
    /// Issue #27, defect 7: over random targets and working-day counts,
    /// `expected_to_date × total_days == target × elapsed_days` exactly
    /// whenever the division is exact, and pace and projection are exact
    /// likewise. Failed before the fix: the elapsed share was cut at 28
    /// decimals before it multiplied (20/60 of 300,000.00 gave
    /// 99,999.99999999999999999999999).
    #[test]
    fn expected_to_date_is_exact_whenever_its_division_is(
        cents in 0i64..10_000_000_000,
        booked in 0i64..10_000_000_000,
        days in 1u32..=260,
        elapsed in 1u32..=260,
        weeks in 0u64..520,
    ) {
        let elapsed = (elapsed - 1) % days + 1;
        // 1 January 2024 is a Monday.
        let monday = date(2024, 1, 1) + chrono::Days::new(7 * weeks);
        let end = working_day(monday, days) + chrono::Days::new(1);
        let period = Period::new(monday, end).unwrap();
        let work = WorkCalendar::monday_to_friday();
        prop_assert_eq!(work.working_days(&period), days);
        let curve = PaceCurve::working_days(period, work);
        let target = Decimal::new(cents, 2);
        let actual = Decimal::new(booked, 2);
        let p = salesplan::perf::pace(target, actual, &curve, working_day(monday, elapsed)).unwrap();
        let (d, e) = (i128::from(days), i128::from(elapsed));
        let (cents, booked) = (i128::from(cents), i128::from(booked));
        let (days, elapsed) = (Decimal::from(days), Decimal::from(elapsed));
        if exact(cents * e, 100 * d) {
            prop_assert_eq!(p.expected * days, target * elapsed);
        }
        if exact(e, d) {
            prop_assert_eq!(p.expected_fraction * days, elapsed);
        }
        // pace = actual × days / (target × elapsed)
        if cents > 0 && exact(booked * d, cents * e) {
            let pace = p.pace.value().unwrap();
            prop_assert_eq!(pace * target * elapsed, actual * days);
        }
        // projection = actual × days / elapsed
        if exact(booked * d, 100 * e) {
            let projection = p.projection.value().unwrap();
            prop_assert_eq!(projection * elapsed, actual * days);
        }
    }

    /// Issue #27, defect 7, on a seasonal curve: with `F` the weight of the
    /// months over, `w` the current month's of `W` in all, and `e` of its
    /// `d` working days elapsed, expected-to-date × `W·d` is exactly
    /// target × `(F·d + w·e)` whenever that division is exact.
    #[test]
    fn seasonal_expected_to_date_is_exact_whenever_its_division_is(
        cents in 0i64..10_000_000_000,
        weights in proptest::collection::vec(0i64..1000, 3),
        day in 0u32..90,
    ) {
        prop_assume!(weights.iter().any(|w| *w > 0));
        let months: Vec<(Period, Decimal)> = (1..=3)
            .zip(&weights)
            .map(|(m, w)| (Period::month(2025, m).unwrap(), Decimal::from(*w)))
            .collect();
        let work = WorkCalendar::monday_to_friday();
        let curve = PaceCurve::weighted(months.clone(), work.clone()).unwrap();
        let as_of = date(2025, 1, 1) + chrono::Days::new(u64::from(day));
        let target = Decimal::new(cents, 2);
        let p = salesplan::perf::pace(target, Decimal::ZERO, &curve, as_of).unwrap();
        let total: i64 = weights.iter().sum();
        let (mut done, mut num, mut den) = (0i64, 0i64, 1i64);
        for ((month, _), w) in months.iter().zip(&weights) {
            if month.last_day() <= as_of {
                done += w;
            } else if month.start() <= as_of {
                let elapsed = Period::new(month.start(), as_of + chrono::Days::new(1)).unwrap();
                let (e, d) = (work.working_days(&elapsed), work.working_days(month));
                num = w * i64::from(e);
                den = i64::from(d);
            }
        }
        // expected = target × (F·d + w·e) / (W·d)
        let share_num = i128::from(done * den + num);
        let share_den = i128::from(total * den);
        if exact(i128::from(cents) * share_num, 100 * share_den) {
            prop_assert_eq!(
                p.expected * Decimal::from(share_den),
                target * Decimal::from(share_num)
            );
        }
    }
}
