//! A plan change never makes carried caps disappear: for each plan, what
//! it pays, what is forfeited (at the year's end or at the plan's end,
//! wherever shown) and what is still carried add up to its capped pay and
//! what its caps took off.

use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::comp::{
    AssignedCommissions, Commissions, Explanation, InForce, PlanSplit, Quotas, Statement,
    carry_capped, carry_capped_in_force,
};
use salesplan::credit::{CreditBasis, Transaction};

use crate::scenarios::carry_plan_change::capped;
use crate::scenarios::comp_close::ana_on;
use crate::support::comp::*;
use crate::support::credit::sale;

fn sales(rows: &[(u32, u32)]) -> Vec<Transaction> {
    rows.iter()
        .enumerate()
        .map(|(i, (day, amount))| {
            let day = d(1, 1) + chrono::Days::new(u64::from(*day));
            sale(
                &format!("T{i}"),
                day,
                &amount.to_string(),
                &[("r1", "100%")],
            )
        })
        .collect()
}

/// Plan `plan`'s figures over `made` (before the carry) and `carried`
/// (after): capped pay + excess, paid + forfeited + still carried, and
/// still carried (a forfeit shown on another plan's statement takes what
/// a locked last statement showed still carried).
fn accounts(plan: &str, made: &[Statement], carried: &[Statement]) -> (Decimal, Decimal, Decimal) {
    let earned: Decimal = made
        .iter()
        .filter(|s| s.plan.as_str() == plan)
        .flat_map(|s| s.lines().iter())
        .filter(|l| matches!(l.explanation, Explanation::Earned(_)))
        .map(|l| l.amount.amount())
        .sum();
    let (mut excess, mut paid, mut forfeited, mut still) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for s in carried {
        let mine = s.plan.as_str() == plan;
        if mine {
            paid += s.total.amount();
            still = Decimal::ZERO;
        }
        for l in s.lines() {
            let Explanation::Carried(c) = &l.explanation else {
                continue;
            };
            let ended = c.ended.as_ref().map(|p| p.as_str());
            if (mine && ended.is_none_or(|p| p == plan)) || (!mine && ended == Some(plan)) {
                forfeited += c.forfeited.amount();
            }
            if !mine && ended == Some(plan) {
                still = Decimal::ZERO;
            }
            if mine && ended.is_none_or(|p| p == plan) {
                excess += c.excess.amount();
                still = c.carried_after.amount();
            }
        }
    }
    (earned + excess, paid + forfeited + still, still)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Ana changes from v1 to v2 (both 10% capped at 500 a month) at the
    /// start of month `change`; statements through `through`, January to
    /// `locked` perhaps locked before the change was known (carried under
    /// v1 alone). For each plan nothing disappears; v1's end, once known
    /// (from the stretches, or v2's statements going on past it), leaves
    /// nothing carried; v1's carry pass leaves v2's statements alone.
    #[test]
    fn nothing_carried_disappears_at_a_plan_change(
        rows in proptest::collection::vec((0u32..365, 1u32..12_000), 0..16),
        change in 2u32..=12,
        through in 1u32..=12,
        locked in proptest::option::of(1u32..=11),
        with_stretches in any::<bool>(),
        period_end in any::<bool>(),
    ) {
        let (v1, v2) = (capped("v1"), capped("v2"));
        let txs = sales(&rows);
        let revenue = run(CreditBasis::Revenue, &txs);
        let on = ana_on(&[("v1", d(1, 1), Some(d(change, 1))), ("v2", d(change, 1), None)]);
        let split = if period_end { PlanSplit::PeriodEnd } else { PlanSplit::ByDays };
        let comp = AssignedCommissions::new(&[&v1, &v2], &on, &[&revenue]).unwrap().split(split);
        // Locked before the change was known: v1's months, under v1 alone.
        let locked = locked.map(|l| l.min(change - 1)).filter(|l| *l < through || through >= change);
        let through = through.max(locked.unwrap_or(1));
        let before: Vec<Statement> = match locked {
            Some(l) => {
                let alone = Commissions::new(&v1, &[&revenue]).unwrap()
                    .statements(&ana(), &Quotas::new(), &[], month(l).last_day()).unwrap();
                carry_capped(&v1, &alone).unwrap()
            }
            None => Vec::new(),
        };
        let made = comp.statements(&ana(), &Quotas::new(), &before, month(through).last_day()).unwrap();
        let in_force: Vec<InForce> = if with_stretches { comp.in_force(&ana()) } else { Vec::new() };
        let after_v1 = match carry_capped_in_force(&v1, &made, &in_force) {
            Ok(s) => s,
            Err(salesplan::comp::CompError::CarryForfeitUnshown(u)) => {
                // Only a locked last statement with nothing after it.
                prop_assert_eq!(Some(change - 1), locked);
                prop_assert_eq!(through, change - 1);
                prop_assert!(!u.amount.is_zero());
                return Ok(());
            }
            Err(e) => panic!("{e}"),
        };
        let of = |all: &[Statement], p: &str| -> Vec<Statement> {
            all.iter().filter(|s| s.plan.as_str() == p).cloned().collect()
        };
        let untouched = |s: &Statement| s.lines().iter().all(|l| !matches!(&l.explanation,
            Explanation::Carried(c) if c.ended.as_ref().is_some_and(|p| p.as_str() == "v1")));
        for (a, b) in of(&after_v1, "v2").iter().zip(of(&made, "v2").iter()) {
            if untouched(a) {
                prop_assert_eq!(a, b);
            } else {
                prop_assert_eq!(a.total, b.total);
            }
        }
        let carried = carry_capped_in_force(&v2, &after_v1, &in_force).unwrap();
        for plan in ["v1", "v2"] {
            let (owed, accounted, _) = accounts(plan, &made, &carried);
            prop_assert_eq!(owed, accounted, "{}", plan);
        }
        // v1's end known: nothing of its carry is left carried.
        if through >= change || (with_stretches && through + 1 == change) {
            let (_, _, still) = accounts("v1", &made, &carried);
            prop_assert!(still.is_zero(), "{}", still);
        }
    }
}
