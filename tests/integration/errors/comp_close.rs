//! Bad inputs to a year of closes, commission side.

use salesplan::calendar::DateRange;
use salesplan::comp::{
    Accumulation, AssignedCommissions, CompPeriod, Component, PlanAssignment, PlanAssignments,
    RateTable,
};
use salesplan::credit::CreditBasis;
use salesplan::{CompError, PlanId};

use crate::scenarios::comp_close::{ana_on, quarterly_plan};
use crate::support::comp::*;
use crate::support::credit::sale;
use crate::support::person;

#[test]
fn overlapping_plan_assignments_name_both_plans_and_the_day() {
    let on = |p: &str, from, until| PlanAssignment {
        person: person("ana"),
        plan: PlanId::new(p).unwrap(),
        during: DateRange::new(from, until).unwrap(),
    };
    let err = PlanAssignments::new(vec![
        on("v2", d(2, 1), None),
        on("v1", d(1, 1), Some(d(3, 1))),
    ])
    .unwrap_err();
    assert_eq!(
        err,
        CompError::OverlappingAssignments {
            person: ana(),
            first: PlanId::new("v1").unwrap(),
            second: PlanId::new("v2").unwrap(),
            day: d(2, 1),
        }
    );
}

#[test]
fn a_person_with_no_plan_in_force_is_named_with_the_date() {
    let v1 = quarterly_plan("v1", "10%");
    let revenue = run(
        CreditBasis::Revenue,
        &[sale("T1", d(1, 10), "100", &[("r1", "100%")])],
    );
    // On a plan from March only: the January sale has none.
    let on = ana_on(&[("v1", d(3, 1), None)]);
    let comp = AssignedCommissions::new(&[&v1], &on, &[&revenue]).unwrap();
    let err = comp
        .statements(&ana(), &quarterly("1000"), &[], d(3, 31))
        .unwrap_err();
    assert_eq!(
        err,
        CompError::NoPlanInForce {
            person: ana(),
            date: d(1, 10)
        }
    );
    // On no plan at all.
    let err = comp
        .statements(&person("ben"), &quarterly("1000"), &[], d(3, 31))
        .unwrap_err();
    assert_eq!(
        err,
        CompError::NoPlanInForce {
            person: person("ben"),
            date: d(1, 1)
        }
    );
}

#[test]
fn an_assignment_to_a_plan_not_given_and_plans_of_two_years() {
    let v1 = quarterly_plan("v1", "10%");
    let revenue = run(CreditBasis::Revenue, &[]);
    let on = ana_on(&[("v9", d(1, 1), None)]);
    let err = AssignedCommissions::new(&[&v1], &on, &[&revenue]).unwrap_err();
    assert_eq!(
        err,
        CompError::UnknownPlan {
            person: ana(),
            plan: PlanId::new("v9").unwrap()
        }
    );
    let next = salesplan::comp::CompPlan::builder(
        PlanId::new("v2026").unwrap(),
        salesplan::Currency::USD,
        salesplan::calendar::FiscalCalendar::gregorian(),
        2026,
    )
    .component(Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Quarter,
        RateTable::Flat(pct("10%")),
    ))
    .build()
    .unwrap();
    let on = ana_on(&[("v1", d(1, 1), None)]);
    let err = AssignedCommissions::new(&[&v1, &next], &on, &[&revenue]).unwrap_err();
    assert!(
        matches!(&err, CompError::PlanYears { plan, .. } if plan.as_str() == "v2026"),
        "{err}"
    );
}

#[test]
fn a_year_to_date_plan_taking_over_mid_year_is_refused() {
    let v1 = quarterly_plan("v1", "10%");
    let ytd = plan(vec![
        Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Quarter,
            RateTable::Flat(pct("10%")),
        )
        .accumulate(Accumulation::YearToDate)
        .multiplier(salesplan::comp::Multiplier::above(
            rate("100%"),
            rate("200%"),
        )),
    ]);
    let revenue = run(CreditBasis::Revenue, &[]);
    let on = ana_on(&[("v1", d(1, 1), Some(d(7, 1))), ("AE-2025", d(7, 1), None)]);
    let comp = AssignedCommissions::new(&[&v1, &ytd], &on, &[&revenue]).unwrap();
    let err = comp
        .statements(&ana(), &quarterly("1000"), &[], d(9, 30))
        .unwrap_err();
    assert_eq!(
        err,
        CompError::PlanChangeYearToDate {
            person: ana(),
            plan: PlanId::new("AE-2025").unwrap(),
            component: "Revenue".to_owned(),
            from: d(7, 1),
        }
    );
}

#[test]
fn an_adjustment_by_someone_without_authority_or_over_the_limit_is_refused() {
    use crate::support::credit::usd;
    use salesplan::BonusError;
    use salesplan::bonus::{Authority, AuthorityPolicy, Reason};
    use salesplan::comp::Adjustment;
    let org = crate::support::credit::region();
    let policy = crate::scenarios::comp_close::adjustment_policy();
    let snapshot = org.as_of(d(3, 28)).unwrap();
    let authority = Authority::new(&policy, &snapshot).unwrap();
    let adj =
        |amount: &str| Adjustment::manual(ana(), usd(amount), d(3, 28), "by hand", person("ops"));
    // Over the team lead's 500 (a deduction by its size): maria may.
    let err = authority
        .approve_adjustment(adj("-800.00"), &person("ali"))
        .unwrap_err();
    let BonusError::AdjustmentRefused(r) = &err else {
        panic!("{err}")
    };
    assert_eq!(
        (r.approver.as_str(), r.person.as_str(), r.amount),
        ("ali", "ana", usd("800.00"))
    );
    assert!(matches!(&r.reason, Reason::OverLimit { .. }), "{err}");
    assert_eq!(
        r.who_may.as_ref().and_then(|a| a.person()),
        Some(&person("maria"))
    );
    assert!(err.to_string().contains("up to 500.00 USD"), "{err}");
    // No grant at all.
    let none = AuthorityPolicy::new();
    let authority = Authority::new(&none, &snapshot).unwrap();
    let err = authority
        .approve_adjustment(adj("10.00"), &person("maria"))
        .unwrap_err();
    let BonusError::AdjustmentRefused(r) = &err else {
        panic!("{err}")
    };
    assert!(matches!(&r.reason, Reason::NoPower { .. }), "{err}");
    assert_eq!(r.who_may, None);
    // Nobody approves what they proposed, nor for someone not below them.
    let authority = Authority::new(&policy, &snapshot).unwrap();
    let own = Adjustment::manual(ana(), usd("10.00"), d(3, 28), "by hand", person("maria"));
    assert_eq!(
        authority
            .approve_adjustment(own, &person("maria"))
            .unwrap_err(),
        BonusError::OwnAdjustment {
            person: person("maria")
        }
    );
    let err = authority
        .approve_adjustment(adj("10.00"), &person("ben"))
        .unwrap_err();
    assert!(matches!(err, BonusError::ActorOutsideChain { .. }), "{err}");
}

#[test]
fn an_adjustment_on_the_wrong_statement_and_a_dispute_on_a_missing_line() {
    use crate::support::credit::usd;
    use salesplan::bonus::Authority;
    use salesplan::comp::{Adjustment, Dispute, apply_adjustments};
    let v1 = quarterly_plan("v1", "10%");
    let revenue = run(
        CreditBasis::Revenue,
        &[sale("T1", d(1, 10), "100", &[("r1", "100%")])],
    );
    let q1 = salesplan::comp::Commissions::new(&v1, &[&revenue])
        .unwrap()
        .statements(&ana(), &quarterly("1000"), &[], d(3, 31))
        .unwrap();
    let err = Dispute::new(&q1[0], 3, ana(), d(3, 1), "?").unwrap_err();
    assert_eq!(
        err,
        CompError::NoSuchLine {
            person: ana(),
            period: quarter(1),
            line: 3,
            lines: 1
        }
    );
    let org = crate::support::credit::region();
    let policy = crate::scenarios::comp_close::adjustment_policy();
    let snapshot = org.as_of(d(3, 28)).unwrap();
    let authority = Authority::new(&policy, &snapshot).unwrap();
    let april = Adjustment::manual(ana(), usd("10.00"), d(4, 2), "by hand", person("ops"));
    let approved = authority
        .approve_adjustment(april, &person("maria"))
        .unwrap();
    assert_eq!(
        q1[0].adjust(&approved).unwrap_err(),
        CompError::AdjustmentElsewhere {
            person: ana(),
            date: d(4, 2),
            statement_person: ana(),
            period: quarter(1),
        }
    );
    assert_eq!(
        apply_adjustments(&q1, &[approved]).unwrap_err(),
        CompError::NoStatementForAdjustment {
            person: ana(),
            date: d(4, 2)
        }
    );
}

#[test]
fn a_release_of_a_hold_that_does_not_exist() {
    use crate::support::credit::tid;
    use salesplan::comp::{HoldPolicy, Release};
    let v1 = quarterly_plan("v1", "10%");
    let revenue = run(
        CreditBasis::Revenue,
        &[sale("T1", d(1, 10), "1000", &[("r1", "100%")])],
    );
    let made = salesplan::comp::Commissions::new(&v1, &[&revenue])
        .unwrap()
        .statements(&ana(), &quarterly("1000"), &[], d(6, 30))
        .unwrap();
    let half = HoldPolicy::new("50%".parse().unwrap());
    // Never held.
    let err = half
        .apply(
            &[&v1],
            &[&revenue],
            &made,
            &[Release {
                transaction: tid("T9"),
                date: d(4, 2),
            }],
        )
        .unwrap_err();
    assert_eq!(
        err,
        CompError::UnknownHold {
            transaction: tid("T9"),
            date: d(4, 2)
        }
    );
    // Released twice: the second finds nothing held.
    let twice = [
        Release {
            transaction: tid("T1"),
            date: d(4, 2),
        },
        Release {
            transaction: tid("T1"),
            date: d(5, 2),
        },
    ];
    let err = half.apply(&[&v1], &[&revenue], &made, &twice).unwrap_err();
    assert_eq!(
        err,
        CompError::UnknownHold {
            transaction: tid("T1"),
            date: d(5, 2)
        }
    );
    // A release after the statements' last period waits: not an error.
    let later = [Release {
        transaction: tid("T1"),
        date: d(8, 2),
    }];
    assert!(half.apply(&[&v1], &[&revenue], &made, &later).is_ok());
}

/// A quarter split between two plans by days, where a cap per period
/// would apply whole to each plan's part (and so twice to the quarter):
/// refused, naming the person, the plan, the quarter and the cap. Split at
/// the period's end, the plan in force then pays the quarter under its cap.
#[test]
fn a_cap_per_period_in_a_split_period_is_refused() {
    use salesplan::Currency;
    use salesplan::comp::{Cap, CompPlan, PlanSplit};
    let capped = |id: &str| -> CompPlan {
        let plan = quarterly_plan(id, "10%");
        let mut component = plan.components()[0].clone();
        component = component.cap(Cap::PerPeriod(crate::support::credit::usd("1000.00")));
        CompPlan::builder(
            PlanId::new(id).unwrap(),
            Currency::USD,
            salesplan::calendar::FiscalCalendar::gregorian(),
            2025,
        )
        .component(component)
        .build()
        .unwrap()
    };
    let (v1, v2) = (capped("v1"), capped("v2"));
    let on = ana_on(&[("v1", d(1, 1), Some(d(2, 15))), ("v2", d(2, 15), None)]);
    let txs = vec![
        sale("T1", d(1, 10), "20000", &[("r1", "100%")]),
        sale("T2", d(2, 20), "20000", &[("r1", "100%")]),
    ];
    let revenue = run(CreditBasis::Revenue, &txs);
    let err = AssignedCommissions::new(&[&v1, &v2], &on, &[&revenue])
        .unwrap()
        .statements(&ana(), &quarterly("30000"), &[], d(3, 31))
        .unwrap_err();
    assert!(
        matches!(
            &err,
            CompError::SplitPeriodLimit { plan, what: "a cap per period", .. } if plan.as_str() == "v1"
        ),
        "{err:?}"
    );
    let at_end = AssignedCommissions::new(&[&v1, &v2], &on, &[&revenue])
        .unwrap()
        .split(PlanSplit::PeriodEnd)
        .statements(&ana(), &quarterly("30000"), &[], d(3, 31))
        .unwrap();
    assert_eq!(at_end[0].total, crate::support::credit::usd("1000.00"));
}

/// A deal returned while half its pay is held: the clawback would take
/// back the held half too, which was never paid; refused, naming the
/// deal. Released first, the return is taken back as usual.
#[test]
fn a_return_of_a_deal_with_pay_held_is_refused() {
    use salesplan::comp::{Commissions, HoldPolicy, Release};
    use salesplan::credit::{Transaction, TransactionKind};
    use salesplan::{Currency, Money};
    let v1 = quarterly_plan("v1", "10%");
    let mut txs = vec![sale("T1", d(1, 10), "10000", &[("r1", "100%")])];
    txs.push(
        Transaction::new(
            crate::support::credit::tid("RT-1"),
            TransactionKind::Return,
            d(4, 20),
            crate::support::credit::account("ACME"),
            Money::parse("-10000", Currency::USD).unwrap(),
        )
        .with_original(crate::support::credit::tid("T1")),
    );
    let revenue = run(CreditBasis::Revenue, &txs);
    let made = Commissions::new(&v1, &[&revenue])
        .unwrap()
        .statements(&ana(), &quarterly("30000"), &[], d(6, 30))
        .unwrap();
    let half = HoldPolicy::new("50%".parse().unwrap()).component("Revenue");
    let err = half.apply(&[&v1], &[&revenue], &made, &[]).unwrap_err();
    assert!(
        matches!(&err, CompError::HeldDealReturned { sale, .. } if sale.as_str() == "T1"),
        "{err:?}"
    );
    let paid = [Release {
        transaction: crate::support::credit::tid("T1"),
        date: d(3, 15),
    }];
    assert!(half.apply(&[&v1], &[&revenue], &made, &paid).is_ok());
}
