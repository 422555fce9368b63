//! Quotas held as columns (`QuotaColumns`, `Commissions::quota_columns`)
//! against the same quotas as a `Quotas` per person: a property that
//! payouts and explained statements agree exactly, or fail alike; and
//! the errors of bad quota columns.

use proptest::prelude::*;
use salesplan::comp::{Commissions, PersonInput, QuotaColumns, Quotas};
use salesplan::credit::CreditBasis;
use salesplan::{CompError, Currency, Execution, Money, PersonId};

use crate::comp_columns::{columns_of, rows, run_of, who};
use crate::comp_totals::{lines, shape};
use crate::support::comp::{builder, d, month, quarter};

const PEOPLE: usize = 4;

/// Person `i` with the `i`-th quotas, nothing locked.
fn input<'p>(ids: &'p [PersonId], quotas: &'p [Quotas]) -> Vec<PersonInput<'p>> {
    ids.iter()
        .zip(quotas)
        .map(|(person, quotas)| PersonInput {
            person,
            quotas,
            locked: &[],
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Each person's monthly quotas (zero ones too), from a month on in
    /// columns and before it in their `Quotas`: the payouts, every
    /// person's statements and one person's on demand are those of the
    /// same quotas all in `Quotas`, or the same error.
    #[test]
    fn quota_columns_agree_with_quotas(
        first in shape(),
        second in prop::option::of(shape()),
        lines in lines(PEOPLE),
        cents in prop::collection::vec(prop::collection::vec(0i64..4_000_000, 12), PEOPLE),
        from_month in 1u32..=13,
        through in 1u32..=12,
        parallel in any::<bool>(),
    ) {
        let mut b = builder().component(first.component("Revenue"));
        if let Some(s) = &second {
            b = b.component(s.component("Bonus"));
        }
        let Ok(plan) = b.build() else {
            return Ok(());
        };
        let execution = if parallel { Execution::Parallel } else { Execution::Sequential };
        let columns = columns_of(&rows(&lines), PEOPLE, execution);
        let usd = |c: i64| Money::from_minor(i128::from(c), Currency::USD).unwrap();
        let mut quota_columns = QuotaColumns::new(Currency::USD, PEOPLE);
        for m in from_month..=12 {
            let column: Vec<i64> = cents.iter().map(|p| p[m as usize - 1]).collect();
            quota_columns = quota_columns.revenue_minor(month(m), &column).unwrap();
        }
        // Per person: every month in `Quotas`; the months before `from_month` only.
        let (mut all, mut own) = (Vec::new(), Vec::new());
        for p in &cents {
            let of = |upto: u32| {
                (1..upto).zip(p).fold(Quotas::new(), |q, (m, c)| q.revenue(month(m), usd(*c)))
            };
            all.push(of(13));
            own.push(of(from_month));
        }
        let ids: Vec<PersonId> = (0..PEOPLE).map(who).collect();
        let (plain, mixed) = (input(&ids, &all), input(&ids, &own));
        let through = d(through, 28);
        let by_quotas = Commissions::from_columns(&plan, &[&columns]).unwrap().execution(execution);
        let by_columns = Commissions::from_columns(&plan, &[&columns]).unwrap()
            .quota_columns(&quota_columns)
            .execution(execution);
        prop_assert_eq!(
            by_columns.payouts_from_columns(&mixed, through),
            by_quotas.payouts_from_columns(&plain, through)
        );
        prop_assert_eq!(
            by_columns.statements_from_columns(&mixed, through),
            by_quotas.statements_from_columns(&plain, through)
        );
        for (i, (m, p)) in mixed.iter().zip(&plain).enumerate() {
            prop_assert_eq!(
                by_columns.statements_of_key(i as u32, m, through),
                by_quotas.statements_of_key(i as u32, p, through)
            );
        }
    }
}

/// Each bad quota column or call is named: its length, the first
/// negative value and its person key, the currency, the people's count,
/// and an engine made from runs.
#[test]
fn bad_quota_columns_are_named() {
    let q1 = quarter(1);
    let err = QuotaColumns::new(Currency::USD, 3)
        .revenue_minor(q1, &[1, 2])
        .unwrap_err();
    assert_eq!(
        err,
        CompError::QuotaColumnLength {
            measure: CreditBasis::Revenue,
            period: q1,
            len: 2,
            people: 3
        }
    );
    let err = QuotaColumns::new(Currency::USD, 3)
        .revenue_minor(q1, &[1, -5, -7])
        .unwrap_err();
    assert_eq!(
        err,
        CompError::BadQuotaColumn {
            key: 1,
            measure: CreditBasis::Revenue,
            period: q1,
            minor: -5
        }
    );
    assert!(err.to_string().contains("person key 1"), "{err}");

    let plan = crate::comp_totals::peers_plan();
    let lines = crate::comp_totals::Lines {
        sales: vec![(0, 1, 100_000)],
        returns: vec![],
        notes: vec![],
    };
    let all = rows(&lines);
    let columns = columns_of(&all, 2, Execution::Sequential);
    let ids = [who(0), who(1)];
    let none = Quotas::new();
    let people: Vec<PersonInput<'_>> = ids
        .iter()
        .map(|person| PersonInput {
            person,
            quotas: &none,
            locked: &[],
        })
        .collect();
    let euros = QuotaColumns::new(Currency::EUR, 2)
        .revenue_minor(q1, &[1, 2])
        .unwrap();
    let comp = Commissions::from_columns(&plan, &[&columns])
        .unwrap()
        .quota_columns(&euros);
    assert_eq!(
        comp.payouts_from_columns(&people, d(3, 31)).unwrap_err(),
        CompError::QuotaColumnCurrency {
            quotas: Currency::EUR,
            plan: Currency::USD
        }
    );
    let three = QuotaColumns::new(Currency::USD, 3)
        .revenue_minor(q1, &[1, 2, 3])
        .unwrap();
    let comp = Commissions::from_columns(&plan, &[&columns])
        .unwrap()
        .quota_columns(&three);
    assert_eq!(
        comp.payouts_from_columns(&people, d(3, 31)).unwrap_err(),
        CompError::QuotaColumnPeople {
            quotas: 3,
            people: 2
        }
    );
    let two = QuotaColumns::new(Currency::USD, 2)
        .revenue_minor(q1, &[100_000, 0])
        .unwrap();
    let comp = Commissions::from_columns(&plan, &[&columns])
        .unwrap()
        .quota_columns(&two);
    assert!(comp.statements_of_key(1, &people[1], d(3, 31)).is_err());
    assert!(matches!(
        comp.statements_of_key(2, &people[1], d(3, 31)),
        Err(CompError::ColumnPeople { .. } | CompError::QuotaColumnPeople { .. })
    ));
    assert!(comp.statements_of_key(0, &people[0], d(3, 31)).is_ok());
    let run = run_of(&all);
    let by_rows = Commissions::new(&plan, &[&run])
        .unwrap()
        .quota_columns(&two);
    assert!(matches!(
        by_rows.payouts_for(&people, d(3, 31)),
        Err(CompError::WrongLines { .. })
    ));
}
