//! Invariants of a year of closes, commission side.

use std::collections::BTreeMap;

use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::comp::{
    AssignedCommissions, Commissions, CompPeriod, Component, Explanation, Quotas, RateTable,
};
use salesplan::credit::{CreditBasis, Transaction};

use crate::common::dec;
use crate::scenarios::comp_close::{ana_on, quarterly_plan};
use crate::support::comp::*;
use crate::support::credit::sale;

fn day_of_year(n: u32) -> chrono::NaiveDate {
    d(1, 1) + chrono::Days::new(u64::from(n))
}

fn sales(rows: &[(u32, u32)]) -> Vec<Transaction> {
    rows.iter()
        .enumerate()
        .map(|(i, (day, amount))| {
            sale(
                &format!("T{i}"),
                day_of_year(*day),
                &amount.to_string(),
                &[("r1", "100%")],
            )
        })
        .collect()
}

fn by_period(statements: &[salesplan::comp::Statement]) -> BTreeMap<chrono::NaiveDate, Decimal> {
    let mut out = BTreeMap::new();
    for s in statements {
        *out.entry(s.period.start()).or_insert(Decimal::ZERO) += s.total.amount();
    }
    out
}

proptest! {
    /// A plan change splits a period so the parts add up to what a single
    /// plan pays for the same credits and days, stated for what is
    /// additive: the same plan on both sides of the change, at a flat rate
    /// (whole-dollar sales at 10%, so no line rounds), pays per pay period
    /// exactly what the plan alone pays, under either split. (Rates by
    /// attainment are not additive: each part is measured against its
    /// prorated quota; that the quota shares add up to the quota is the
    /// next property.)
    #[test]
    fn a_plan_change_to_the_same_flat_plan_pays_what_the_plan_alone_pays(
        rows in proptest::collection::vec((0u32..365, 1u32..100_000), 0..12),
        cuts in proptest::collection::btree_set(1u32..365, 1..3),
        period_end in any::<bool>(),
    ) {
        let flat = plan(vec![Component::new(
            "Revenue", CreditBasis::Revenue, CompPeriod::Quarter, RateTable::Flat(pct("10%")),
        )]);
        let txs = sales(&rows);
        let revenue = run(CreditBasis::Revenue, &txs);
        let alone = Commissions::new(&flat, &[&revenue]).unwrap()
            .statements(&ana(), &Quotas::new(), &[], d(12, 31)).unwrap();
        let mut bounds: Vec<_> = cuts.iter().map(|c| Some(day_of_year(*c))).collect();
        bounds.push(None);
        let mut from = d(1, 1);
        let stretches: Vec<_> = bounds.iter().map(|until| {
            let s = ("AE-2025", from, *until);
            from = until.unwrap_or(from);
            s
        }).collect();
        let on = ana_on(&stretches);
        let mut comp = AssignedCommissions::new(&[&flat], &on, &[&revenue]).unwrap();
        if period_end {
            comp = comp.split(salesplan::comp::PlanSplit::PeriodEnd);
        }
        let split = comp.statements(&ana(), &Quotas::new(), &[], d(12, 31)).unwrap();
        prop_assert_eq!(by_period(&split), by_period(&alone));
    }

    /// Under a split by days, the quotas the stretches of a quarter are
    /// measured against add up to the quarter's quota exactly.
    #[test]
    fn the_quota_shares_of_a_split_quarter_add_up_to_its_quota(
        rows in proptest::collection::vec((0u32..365, 1u32..100_000), 0..8),
        cut in 1u32..365,
        cents in 1u64..10_000_000_000,
    ) {
        let (v1, v2) = (quarterly_plan("v1", "10%"), quarterly_plan("v2", "12%"));
        let on = ana_on(&[("v1", d(1, 1), Some(day_of_year(cut))), ("v2", day_of_year(cut), None)]);
        let txs = sales(&rows);
        let revenue = run(CreditBasis::Revenue, &txs);
        let quota = Decimal::new(i64::try_from(cents).unwrap(), 2);
        let quotas = quarterly(&quota.to_string());
        let comp = AssignedCommissions::new(&[&v1, &v2], &on, &[&revenue]).unwrap();
        let statements = comp.statements(&ana(), &quotas, &[], d(12, 31)).unwrap();
        let mut per_quarter: BTreeMap<chrono::NaiveDate, Decimal> = BTreeMap::new();
        for s in &statements {
            for l in s.lines() {
                if let Explanation::Earned(c) = &l.explanation {
                    *per_quarter.entry(c.period.start()).or_default() += c.quota.unwrap();
                }
            }
        }
        prop_assert_eq!(per_quarter.len(), 4);
        for q in per_quarter.values() {
            prop_assert_eq!(*q, quota);
        }
    }
}

proptest! {
    /// An adjustment never changes any other line: on any statements, an
    /// approved adjustment adds one line to the statement of its person
    /// and pay period, and every other line, every other statement and
    /// the draw stay as they were; the total moves by its amount.
    #[test]
    fn an_adjustment_never_changes_any_other_line(
        rows in proptest::collection::vec((0u32..365, 1u32..100_000), 0..10),
        day in 0u32..365,
        cents in -100_000i64..100_000,
    ) {
        use salesplan::bonus::Authority;
        use salesplan::comp::{Adjustment, apply_adjustments};
        let v1 = quarterly_plan("v1", "10%");
        let txs = sales(&rows);
        let revenue = run(CreditBasis::Revenue, &txs);
        let before = Commissions::new(&v1, &[&revenue]).unwrap()
            .statements(&ana(), &quarterly("30000"), &[], d(12, 31)).unwrap();
        let org = crate::support::credit::region();
        let policy = crate::scenarios::comp_close::adjustment_policy();
        let snapshot = org.as_of(d(3, 28)).unwrap();
        let authority = Authority::new(&policy, &snapshot).unwrap();
        let amount = salesplan::Money::new(Decimal::new(cents, 2), salesplan::Currency::USD);
        let adj = Adjustment::manual(ana(), amount, day_of_year(day), "by hand", crate::support::person("ops"));
        let approved = authority.approve_adjustment(adj, &crate::support::person("maria")).unwrap();
        let after = apply_adjustments(&before, &[approved]).unwrap();
        prop_assert_eq!(after.len(), before.len());
        let mut touched = 0;
        for (b, a) in before.iter().zip(&after) {
            if b.period.contains(day_of_year(day)) {
                touched += 1;
                prop_assert_eq!(&a.lines()[..b.lines().len()], b.lines());
                prop_assert_eq!(a.lines().len(), b.lines().len() + 1);
                prop_assert_eq!(&a.draw, &b.draw);
                prop_assert_eq!(a.total.amount(), b.total.amount() + amount.amount());
            } else {
                prop_assert_eq!(a, b);
            }
        }
        prop_assert_eq!(touched, 1);
    }
}

/// A monthly 10% plan capped at `cap` per month (and `year_cap` per year).
fn capped_plan(cap: Option<&str>, year_cap: Option<&str>) -> salesplan::comp::CompPlan {
    let mut c = Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Month,
        RateTable::Flat(pct("10%")),
    );
    if let Some(cap) = cap {
        c = c.cap(salesplan::comp::Cap::PerPeriod(
            crate::support::credit::usd(cap),
        ));
    }
    if let Some(y) = year_cap {
        c = c.cap(salesplan::comp::Cap::PerYear(crate::support::credit::usd(
            y,
        )));
    }
    plan(vec![c])
}

proptest! {
    /// Carried caps never pay more over the year than the uncapped total,
    /// nor more in a period than its cap (nor, with a cap per year, more
    /// than it); without a cap per year, what is paid and what is
    /// forfeited at the year's end add up to the uncapped total exactly.
    #[test]
    fn carried_caps_never_pay_more_than_uncapped_nor_than_the_cap(
        rows in proptest::collection::vec((0u32..365, 1u32..20_000), 0..20),
        with_year_cap in any::<bool>(),
        through in 1u32..=12,
    ) {
        let year_cap = with_year_cap.then_some("3000.00");
        let capped = capped_plan(Some("500.00"), year_cap);
        let uncapped = capped_plan(None, None);
        let txs = sales(&rows);
        let revenue = run(CreditBasis::Revenue, &txs);
        let last = month(through).last_day();
        let made = |p| Commissions::new(p, &[&revenue]).unwrap()
            .statements(&ana(), &Quotas::new(), &[], last).unwrap();
        let free: Decimal = made(&uncapped).iter().map(|s| s.total.amount()).sum();
        let carried = salesplan::comp::carry_capped(&capped, &made(&capped)).unwrap();
        let mut paid = Decimal::ZERO;
        let mut forfeited = Decimal::ZERO;
        for s in &carried {
            prop_assert!(s.total.amount() <= dec("500.00"), "{s}");
            paid += s.total.amount();
            for l in s.lines() {
                if let Explanation::Carried(c) = &l.explanation {
                    forfeited += c.forfeited.amount();
                }
            }
        }
        prop_assert!(paid <= free);
        if let Some(y) = year_cap {
            prop_assert!(paid <= dec(y));
        } else if through == 12 {
            prop_assert_eq!(paid + forfeited, free);
        }
    }
}

proptest! {
    /// Holds only move pay to later periods: through any period, what a
    /// held plan has paid is at most what it would have paid without, and
    /// the difference is exactly what is still held; once every deal is
    /// released within the year, the year pays exactly the same.
    #[test]
    fn holds_move_pay_later_and_never_change_the_total_once_released(
        rows in proptest::collection::vec((0u32..300, 1u32..20_000), 0..12),
        share in 0u32..=100,
        lag in 0u32..60,
    ) {
        use salesplan::comp::{HoldPolicy, Release};
        let monthly_plan = capped_plan(None, None);
        let txs = sales(&rows);
        let revenue = run(CreditBasis::Revenue, &txs);
        let made = Commissions::new(&monthly_plan, &[&revenue]).unwrap()
            .statements(&ana(), &Quotas::new(), &[], d(12, 31)).unwrap();
        let releases: Vec<Release> = rows.iter().enumerate()
            .map(|(i, (day, _))| Release {
                transaction: crate::support::credit::tid(&format!("T{i}")),
                date: day_of_year(day + lag),
            })
            .collect();
        let policy = HoldPolicy::new(salesplan::Percent::from_points(Decimal::from(share)).unwrap());
        let held = policy.apply(&[&monthly_plan], &[&revenue], &made, &releases).unwrap();
        let (mut without, mut with) = (Decimal::ZERO, Decimal::ZERO);
        for (a, b) in made.iter().zip(&held) {
            without += a.total.amount();
            with += b.total.amount();
            prop_assert!(with <= without);
        }
        prop_assert_eq!(with, without);
    }
}
