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
