//! The `proptest` feature's strategies yield values the crate accepts,
//! and the rules hold on them.

use proptest::prelude::*;
use salesplan::comp::{Commissions, Quotas};
use salesplan::credit::{CreditBasis, CreditKind, CreditPlan, Crediting};
use salesplan::quota::Measures;
use salesplan::testing;
use salesplan::{Currency, Money};

use crate::common::date;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A random org is whole, a random plan cascades over it, and a random
    /// feed credits every cent once to its owners.
    #[test]
    fn strategies_yield_what_the_crate_accepts(
        org in testing::org(1..=30, date(2025, 1, 1)),
        plan in testing::quota_plan(2025, 0..=1_000_000_000),
        feed in testing::sales(30, 0..=40, 2025, 10_000_000),
        comp in testing::comp_plan(2025),
    ) {
        let snapshot = org.as_of(date(2025, 1, 1))?;
        prop_assert_eq!(snapshot.len(), org.positions().len());
        plan.cascade(&snapshot, &Measures::new())?;
        // The feed names p0..p29; keep the sales of positions this org has.
        let feed: Vec<_> = feed
            .into_iter()
            .filter(|t| t.owners().iter().all(|o| org.position(o.position()).is_some()))
            .collect();
        let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD)).run(&feed)?;
        let direct: rust_decimal::Decimal = run
            .lines()
            .iter()
            .filter(|l| l.kind() == CreditKind::Direct)
            .map(|l| l.amount())
            .sum();
        let sold = Money::checked_sum(Currency::USD, feed.iter().map(|t| t.amount()))?;
        prop_assert_eq!(direct, sold.amount());
        let commissions = Commissions::new(&comp, &[&run])?;
        let mut quotas = Quotas::new();
        for quarter in salesplan::calendar::FiscalCalendar::gregorian().quarters(2025)? {
            quotas = quotas.revenue(quarter, Money::parse("100000.00", Currency::USD)?);
        }
        for i in 0..org.positions().len() {
            let person = testing::person_id(i).unwrap();
            commissions.statements(&person, &quotas, &[], date(2025, 12, 31))?;
        }
    }
}
