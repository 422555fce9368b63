//! Quotas in any measure conserve exactly in their own unit; versions of a
//! plan: a diff applied to the older version gives the newer, and an
//! approved change never touches a month before its effective month.

use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::bonus::{Authority, AuthorityPolicy, Grant, Power};
use salesplan::calendar::FiscalCalendar;
use salesplan::org::{Assignment, Org, Role};
use salesplan::quota::{
    Basis, LevelRule, MeasurePlan, MeasureUnit, Measures, QuotaChange, QuotaChangeKind,
    QuotaMeasure, QuotaPlan, QuotaVersion, ReorgTargets,
};
use salesplan::{Currency, Money, QuotaError, Rate, RoundingPolicy};

use crate::common::date;
use crate::support::{RandomTree, always, person, random_tree};

fn usd(minor: i64) -> Money {
    Money::from_minor(minor.into(), Currency::USD).unwrap()
}

/// (measure, step) pairs: whole counts, packs of five, halves, cents, yen.
fn measure() -> impl Strategy<Value = (QuotaMeasure, Decimal)> {
    prop_oneof![
        Just((QuotaMeasure::Deals, Decimal::ONE)),
        Just((QuotaMeasure::NewLogos, Decimal::ONE)),
        Just((QuotaMeasure::Units, Decimal::from(5))),
        Just((QuotaMeasure::Named("demos".into()), Decimal::new(5, 1))),
        Just((QuotaMeasure::Margin(Currency::USD), Decimal::new(1, 2))),
        Just((QuotaMeasure::Revenue(Currency::JPY), Decimal::ONE)),
    ]
}

/// The tree with `E{i}` holding `P{i}` from 1 January 2025.
fn staffed(tree: &RandomTree) -> Org {
    let mut b = tree.builder();
    for i in 0..tree.parents.len() {
        b = b.assignment(Assignment::new(
            person(&format!("E{i:05}")),
            RandomTree::id(i),
            always(),
        ));
    }
    b.build().unwrap()
}

/// Reps may relieve and reorg anything below them (the root approves).
fn policy() -> AuthorityPolicy {
    AuthorityPolicy::new().grants([
        Grant::new(
            Role::SalesRep,
            Power::ApproveQuotaRelief {
                up_to: salesplan::Percent::HUNDRED,
            },
        ),
        Grant::new(
            Role::SalesRep,
            Power::Custom(Authority::NEW_HIRE_QUOTA.into()),
        ),
        Grant::new(Role::SalesRep, Power::Custom(Authority::QUOTA_REORG.into())),
    ])
}

fn steps(value: Decimal, step: Decimal) -> i128 {
    let q = value / step;
    assert!(q.fract().is_zero(), "{value} is not whole steps of {step}");
    q.normalize().mantissa()
}

proptest! {
    /// Every figure is a whole number of steps; each manager's reports add
    /// up to exactly round(f × own target) steps, each within one step of
    /// its exact share; each target's months add up to it.
    #[test]
    fn any_measure_cascades_conserve_exactly_in_their_own_unit(
        tree in random_tree(120), (m, step) in measure(), target in 0i64..10_000_000, f0 in 100u32..130, seed in any::<u64>(),
    ) {
        let org = tree.org();
        let snapshot = org.as_of(date(2025, 6, 1))?;
        let mut rng = crate::support::generator::Rng::new(seed);
        let sales: Vec<Decimal> = org.positions().iter().map(|_| Decimal::from(rng.range(1, 1000))).collect();
        let plan = MeasurePlan::new(2025, FiscalCalendar::gregorian(), m.clone(), Decimal::from(target) * step)
            .unit(MeasureUnit::new(step)?)
            .exclude_none()
            .level(0, LevelRule::new(Basis::Equal).over_assign(Rate::from_points(f0.into())?))
            .default_rule(LevelRule::new(Basis::Measure("sales".into())));
        let targets = plan.cascade(&snapshot, &Measures::new().with("sales", sales.clone()))?;
        prop_assert_eq!(steps(targets.annual(snapshot.root().index())?, step), i128::from(target));
        for node in snapshot.nodes() {
            let own = steps(targets.annual(node.index())?, step);
            let months: Vec<i128> = targets.months(node.index())?.iter().map(|v| steps(*v, step)).collect();
            prop_assert_eq!(months.iter().sum::<i128>(), own);
            let reports: Vec<_> = node.children().collect();
            if reports.is_empty() { continue; }
            let f = if node.depth() == 0 { Decimal::from(f0) / Decimal::ONE_HUNDRED } else { Decimal::ONE };
            let stretched = (Decimal::from(own) * f).round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero).mantissa();
            let shares: Vec<i128> = reports.iter().map(|r| steps(targets.annual(r.index()).unwrap(), step)).collect();
            prop_assert_eq!(shares.iter().sum::<i128>(), stretched);
            let weight = |r: &salesplan::org::Node<'_>| if node.depth() == 0 { 1 } else { sales[r.declared_index()].mantissa() };
            let w_sum: i128 = reports.iter().map(weight).sum();
            for (r, share) in reports.iter().zip(&shares) {
                prop_assert!((share * w_sum - stretched * weight(r)).abs() < w_sum);
            }
        }
    }

    /// A cascade in a measure is the money cascade of the same plan on the
    /// number of steps: same shares, same months.
    #[test]
    fn a_measure_cascade_is_the_money_cascade_in_steps(tree in random_tree(80), target in 0i64..1_000_000_000) {
        let org = tree.org();
        let snapshot = org.as_of(date(2025, 6, 1))?;
        let rule = LevelRule::new(Basis::Equal).over_assign("107%".parse()?);
        let money = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd(target)).level(0, rule.clone())
            .rounding(RoundingPolicy::HalfEven).cascade(&snapshot, &Measures::new())?;
        let margin = MeasurePlan::new(2025, FiscalCalendar::gregorian(), QuotaMeasure::Margin(Currency::USD), usd(target).amount())
            .level(0, rule).rounding(RoundingPolicy::HalfEven).cascade(&snapshot, &Measures::new())?;
        for node in snapshot.nodes() {
            prop_assert_eq!(margin.annual(node.index())?, money.annual(node.index())?.amount());
            let months: Vec<Decimal> = money.split(node.index())?.months().iter().map(|(_, m)| m.amount()).collect();
            prop_assert_eq!(margin.months(node.index())?, months);
        }
    }

    /// Versions made by approved reliefs, transfers and new hires: each
    /// change leaves every month before its effective month as it was and
    /// moves exactly its amount; the diff between any two versions of the
    /// chain, applied to the older, gives the newer; a later version does
    /// not chain back to an earlier one.
    #[test]
    fn version_diffs_replay_and_changes_keep_earlier_periods(
        tree in random_tree(30), target in 100_000_000i64..1_000_000_000,
        cuts in proptest::collection::vec((0u8..3, 0usize..30, 0usize..30, 1i64..500_000, 1u32..=12, 1u32..=28), 1..6),
    ) {
        let org = staffed(&tree);
        let n = tree.parents.len();
        let snapshot = org.as_of(date(2025, 1, 1))?;
        let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd(target)).exclude_none();
        let mut versions = vec![QuotaVersion::from_targets(&plan.cascade(&snapshot, &Measures::new())?)?];
        let policy = policy();
        let authority = Authority::new(&policy, &snapshot)?;
        let root = person("E00000");
        for (kind, a, b, amount, month, day) in &cuts {
            let (a, b) = (RandomTree::id(a % n), RandomTree::id(b % n));
            if a == RandomTree::id(0) || b == RandomTree::id(0) || a == b { continue; }
            let kind = match kind {
                0 => QuotaChangeKind::Relief { position: a, amount: usd(*amount) },
                1 => QuotaChangeKind::Transfer { from: a, to: b, amount: usd(*amount) },
                _ => QuotaChangeKind::NewHire { position: a, amount: usd(*amount) },
            };
            let last = versions.last().unwrap();
            let change = QuotaChange::new(last.number(), kind, date(2025, *month, *day), "what-if");
            let approved = match authority.approve_quota_change(&root, change, last) {
                Ok(a) => a,
                // After the last month has begun.
                Err(salesplan::BonusError::Quota { source }) if matches!(*source, QuotaError::EffectiveAfterPlan { .. }) => continue,
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            };
            let next = match last.apply(&approved) {
                Ok(v) => v,
                // A relief or transfer bigger than what is left.
                Err(QuotaError::ReliefExceedsTarget { .. }) => continue,
                Err(e) => return Err(TestCaseError::fail(e.to_string())),
            };
            let from = last.first_month_from(approved.change().effective())?;
            for p in last.positions() {
                for m in 0..from {
                    prop_assert_eq!(next.month(p, m)?, last.month(p, m)?);
                }
            }
            let total = |v: &QuotaVersion| Money::checked_sum(Currency::USD, v.positions().map(|p| v.annual(p).unwrap())).unwrap();
            let moved = match approved.change().kind() {
                QuotaChangeKind::Relief { amount, .. } => usd(0).checked_sub(*amount)?,
                QuotaChangeKind::NewHire { amount, .. } => *amount,
                _ => usd(0),
            };
            prop_assert_eq!(total(&next), total(last).checked_add(moved)?);
            versions.push(next);
        }
        for i in 0..versions.len() {
            for j in i..versions.len() {
                let diff = versions[i].diff(&versions[j])?;
                prop_assert_eq!(&versions[i].apply_diff(&diff)?, &versions[j]);
                prop_assert_eq!(diff.changes().len(), j - i);
                // Every changed target is explained.
                for line in diff.lines() {
                    prop_assert!(!line.why().is_empty(), "{line}");
                }
                if j > i {
                    let back = versions[j].diff(&versions[i]);
                    prop_assert!(matches!(back, Err(QuotaError::VersionDoesNotChain { .. })), "{back:?}");
                }
            }
        }
    }

    /// A mid-year reorg re-cascades the rest of the year over the new org:
    /// every month before the effective month stays, the top's year is
    /// unchanged, and from the effective month every position has the new
    /// cascade's months.
    #[test]
    fn a_reorg_recascades_the_rest_of_the_year_only(
        tree in random_tree(30), moved in random_tree(30), target in 0i64..1_000_000_000, month in 1u32..=12,
    ) {
        let (old, new) = (staffed(&tree), staffed(&moved));
        let (s_old, s_new) = (old.as_of(date(2025, 1, 1))?, new.as_of(date(2025, 1, 1))?);
        let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd(target)).exclude_none();
        let v1 = QuotaVersion::from_targets(&plan.cascade(&s_old, &Measures::new())?)?;
        let recast = plan.cascade(&s_new, &Measures::new())?;
        let v_new = QuotaVersion::from_targets(&recast)?;
        let policy = policy();
        let authority = Authority::new(&policy, &s_old)?;
        let change = QuotaChange::new(1, QuotaChangeKind::Reorg(ReorgTargets::from_targets(&recast)?), date(2025, month, 1), "new regions");
        let approved = match authority.approve_quota_change(&person("E00000"), change, &v1) {
            Ok(a) => a,
            // Nothing moved, or only the root's own seat.
            Err(salesplan::BonusError::QuotaSeatVacant { .. }) => return Ok(()),
            Err(e) => return Err(TestCaseError::fail(e.to_string())),
        };
        let v2 = v1.apply(&approved)?;
        let from = (month - 1) as usize;
        let root = RandomTree::id(0);
        prop_assert_eq!(v2.annual(&root)?, v1.annual(&root)?);
        for p in v2.positions() {
            for m in 0..12 {
                let expected = if m < from { v1.month(p, m).unwrap_or(usd(0)) } else { v_new.month(p, m).unwrap_or(usd(0)) };
                prop_assert_eq!(v2.month(p, m)?, expected);
            }
        }
    }
}
