//! A year of closes, commission side: plan changes inside a period,
//! adjustments with an audit trail, caps carried forward and holds.

use salesplan::calendar::DateRange;
use salesplan::comp::{
    AssignedCommissions, CompPeriod, CompPlan, Component, Explanation, Multiplier, PlanAssignment,
    PlanAssignments, PlanSplit, RateTable, Statement,
};
use salesplan::credit::{CreditBasis, Transaction};
use salesplan::{Currency, PlanId};

use crate::common::dec;
use crate::support::comp::*;
use crate::support::credit::{sale, usd};
use crate::support::person;

/// A quarterly plan `id` paying `percent` of revenue, doubled above 100%
/// of quota.
pub(crate) fn quarterly_plan(id: &str, percent: &str) -> CompPlan {
    CompPlan::builder(
        PlanId::new(id).unwrap(),
        Currency::USD,
        salesplan::calendar::FiscalCalendar::gregorian(),
        2025,
    )
    .component(
        Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Quarter,
            RateTable::Flat(pct(percent)),
        )
        .multiplier(Multiplier::above(rate("100%"), rate("200%"))),
    )
    .build()
    .unwrap()
}

/// Ana on `plans`, each `(plan, from, until)`.
pub(crate) fn ana_on(
    plans: &[(&str, chrono::NaiveDate, Option<chrono::NaiveDate>)],
) -> PlanAssignments {
    PlanAssignments::new(
        plans
            .iter()
            .map(|(p, from, until)| PlanAssignment {
                person: person("ana"),
                plan: PlanId::new(p).unwrap(),
                during: DateRange::new(*from, *until).unwrap(),
            })
            .collect(),
    )
    .unwrap()
}

fn ana_sales() -> Vec<Transaction> {
    vec![
        sale("T1", d(1, 10), "10000", &[("r1", "100%")]),
        sale("T2", d(2, 20), "20000", &[("r1", "100%")]),
    ]
}

fn plan_lines(statements: &[Statement]) -> Vec<(String, String, String)> {
    statements
        .iter()
        .map(|s| {
            let quota = s.lines().iter().find_map(|l| match &l.explanation {
                Explanation::Earned(c) => c.quota,
                _ => None,
            });
            (
                s.plan.to_string(),
                quota
                    .map(|q| q.round_dp(2).normalize().to_string())
                    .unwrap_or_default(),
                s.total.amount().to_string(),
            )
        })
        .collect()
}

/// Ana moves from v1 (10%) to v2 (12%) on February 15th, 45 of Q1's 90
/// days in: v1 pays January's 10,000 against half the quarter's 30,000
/// (66.67%: 1,000), v2 February's 20,000 against the other half (133.33%:
/// 15,000 at 12% and 5,000 at 24%, 3,000). With the plan in force at the
/// period's end, v2 pays the whole quarter: 30,000 at 100%, 3,600.
#[test]
fn a_plan_change_mid_quarter_splits_credits_by_date_and_quota_by_days() {
    let (v1, v2) = (quarterly_plan("v1", "10%"), quarterly_plan("v2", "12%"));
    let on = ana_on(&[("v1", d(1, 1), Some(d(2, 15))), ("v2", d(2, 15), None)]);
    let txs = ana_sales();
    let revenue = run(CreditBasis::Revenue, &txs);
    let comp = AssignedCommissions::new(&[&v1, &v2], &on, &[&revenue]).unwrap();
    let by_days = comp
        .statements(&ana(), &quarterly("30000"), &[], d(3, 31))
        .unwrap();
    let row = |p: &str, q: &str, t: &str| (p.to_owned(), q.to_owned(), t.to_owned());
    assert_eq!(
        plan_lines(&by_days),
        [row("v1", "15000", "1000.00"), row("v2", "15000", "3000.00")]
    );
    let stretches: Vec<String> = comp
        .in_force(&ana())
        .iter()
        .map(|s| s.days.to_string())
        .collect();
    assert_eq!(
        stretches,
        ["[2025-01-01, 2025-02-15)", "[2025-02-15, 2026-01-01)"]
    );

    let at_end = AssignedCommissions::new(&[&v1, &v2], &on, &[&revenue])
        .unwrap()
        .split(PlanSplit::PeriodEnd);
    let statements = at_end
        .statements(&ana(), &quarterly("30000"), &[], d(3, 31))
        .unwrap();
    assert_eq!(plan_lines(&statements), [row("v2", "30000", "3600.00")]);
    assert_eq!(dec("3600"), statements[0].total.amount());
    // Through a later quarter, v2 alone goes on.
    let later = comp
        .statements(&ana(), &quarterly("30000"), &[], d(6, 30))
        .unwrap();
    assert_eq!(later.len(), 3);
    assert_eq!(later[2].plan.as_str(), "v2");
    assert_eq!(later[2].total, usd("0.00"));
}

/// A locked quarter under the first plan is kept as it is; the second
/// plan's first quarter is worked out again with the earlier quarters
/// counted as locked at zero.
#[test]
fn locked_statements_of_each_plan_are_kept() {
    let (v1, v2) = (quarterly_plan("v1", "10%"), quarterly_plan("v2", "12%"));
    let on = ana_on(&[("v1", d(1, 1), Some(d(5, 1))), ("v2", d(5, 1), None)]);
    let txs = ana_sales();
    let revenue = run(CreditBasis::Revenue, &txs);
    let comp = AssignedCommissions::new(&[&v1, &v2], &on, &[&revenue]).unwrap();
    let q1 = comp
        .statements(&ana(), &quarterly("30000"), &[], d(3, 31))
        .unwrap();
    assert_eq!(totals(&q1), ["3000.00"]);
    let q2 = comp
        .statements(&ana(), &quarterly("30000"), &q1, d(6, 30))
        .unwrap();
    assert_eq!(q2[0], q1[0]);
    let plans: Vec<&str> = q2.iter().map(|s| s.plan.as_str()).collect();
    assert_eq!(plans, ["v1", "v1", "v2"]);
}

/// The region's authority over adjustments: a team lead up to 500, the
/// regional manager any amount.
pub(crate) fn adjustment_policy() -> salesplan::bonus::AuthorityPolicy {
    use salesplan::bonus::{AuthorityPolicy, Grant, Power};
    use salesplan::org::Role;
    AuthorityPolicy::new()
        .grant(Grant::new(
            Role::TeamLead,
            Power::ApproveAdjustment {
                up_to: Some(usd("500.00")),
            },
        ))
        .grant(Grant::new(
            Role::RegionalManager,
            Power::ApproveAdjustment { up_to: None },
        ))
}

/// Ana disputes her Q1 Revenue line (a deal booked to Ben was hers); the
/// regional manager approves moving its credit's pay, and a manual
/// payment her team lead may approve. Each shows on the statement with
/// its audit trail; the earned line and the rest stay as they were.
#[test]
fn an_approved_adjustment_resolves_a_dispute_and_shows_its_audit_trail() {
    use salesplan::bonus::Authority;
    use salesplan::comp::{Adjustment, Dispute, apply_adjustments};
    let v1 = quarterly_plan("v1", "10%");
    let txs = ana_sales();
    let revenue = run(CreditBasis::Revenue, &txs);
    let q1 = salesplan::comp::Commissions::new(&v1, &[&revenue])
        .unwrap()
        .statements(&ana(), &quarterly("30000"), &[], d(3, 31))
        .unwrap();
    let dispute =
        Dispute::new(&q1[0], 0, ana(), d(3, 20), "T9 was my deal, booked to Ben").unwrap();
    let org = crate::support::credit::region();
    let policy = adjustment_policy();
    let snapshot = org.as_of(d(3, 28)).unwrap();
    let authority = Authority::new(&policy, &snapshot).unwrap();
    let resolution = Adjustment::resolving(
        dispute,
        usd("700.00"),
        d(3, 28),
        "T9's credit moved from Ben to Ana: 7,000 at 10%",
        person("ops"),
    );
    let payment = Adjustment::manual(
        ana(),
        usd("-50.00"),
        d(3, 28),
        "Duplicate expense refund",
        person("ops"),
    );
    let approved = [
        authority
            .approve_adjustment(resolution, &person("maria"))
            .unwrap(),
        authority
            .approve_adjustment(payment, &person("ali"))
            .unwrap(),
    ];
    let adjusted = apply_adjustments(&q1, &approved).unwrap();
    assert_eq!(adjusted[0].lines()[0], q1[0].lines()[0]);
    assert_eq!(adjusted[0].total, usd("3650.00"));
    assert_eq!(
        adjusted[0].to_string(),
        "Commission statement for ana, plan v1, 2025-01-01 to 2025-03-31
  Revenue: 3000.00 USD
    measured 2025-01-01 to 2025-03-31: 30000 from 2 transactions
    quota 30000, attainment 100%
    0 to 30000: 30000 at 10% = 3000.00 USD
  Revenue: 700.00 USD
    resolves the dispute ana raised on 2025-03-20 against Revenue (3000.00 USD, 2025-01-01 to 2025-03-31): T9 was my deal, booked to Ben
    resolution: T9's credit moved from Ben to Ana: 7,000 at 10%
    proposed by ops, approved by maria on 2025-03-28 (a regional sales manager may approve commission adjustments of any amount for their subtree)
  Adjustment: -50.00 USD
    adjustment: Duplicate expense refund
    proposed by ops, approved by ali on 2025-03-28 (a team lead may approve commission adjustments up to 500.00 USD for their subtree)
  Total payable: 3650.00 USD"
    );
}

/// Ana's dispute of her Q1 Revenue line.
#[cfg(feature = "serde")]
pub(crate) fn a_dispute() -> salesplan::comp::Dispute {
    let v1 = quarterly_plan("v1", "10%");
    let revenue = run(CreditBasis::Revenue, &ana_sales());
    let q1 = salesplan::comp::Commissions::new(&v1, &[&revenue])
        .unwrap()
        .statements(&ana(), &quarterly("30000"), &[], d(3, 31))
        .unwrap();
    salesplan::comp::Dispute::new(&q1[0], 0, ana(), d(3, 20), "T9 was my deal").unwrap()
}

/// Approved adjustments of each kind, as audit trails: a dispute's
/// resolution, a manual payment, and credit moved from Ben to Ana.
#[cfg(feature = "serde")]
pub(crate) fn audit_trails() -> Vec<salesplan::comp::AuditTrail> {
    use salesplan::comp::Adjustment;
    let org = crate::support::credit::region();
    let policy = adjustment_policy();
    let snapshot = org.as_of(d(3, 28)).unwrap();
    let authority = salesplan::bonus::Authority::new(&policy, &snapshot).unwrap();
    let ops = person("ops");
    let [_, moved] = Adjustment::moved_credit(
        crate::support::credit::tid("T9"),
        (person("ben"), ana()),
        usd("700.00"),
        d(3, 28),
        "T9 was Ana's",
        ops.clone(),
    );
    [
        Adjustment::resolving(a_dispute(), usd("700.00"), d(3, 28), "moved", ops.clone()),
        Adjustment::manual(ana(), usd("-50.00"), d(3, 28), "refund", ops),
        moved,
    ]
    .into_iter()
    .map(|a| {
        authority
            .approve_adjustment(a, &person("maria"))
            .unwrap()
            .trail()
            .clone()
    })
    .collect()
}

/// Capped at 500 a month: February's 700 pays 500 and carries 200;
/// March's 100 leaves room for it all; May's 400 over is paid in June;
/// December's 100 over has no later period and is forfeited.
#[test]
fn a_capped_excess_is_carried_to_a_period_with_room_and_forfeited_at_year_end() {
    let capped = plan(vec![
        Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Month,
            RateTable::Flat(pct("10%")),
        )
        .cap(salesplan::comp::Cap::PerPeriod(usd("500.00"))),
    ]);
    let txs = vec![
        sale("T1", d(2, 10), "7000", &[("r1", "100%")]),
        sale("T2", d(3, 10), "1000", &[("r1", "100%")]),
        sale("T3", d(5, 10), "9000", &[("r1", "100%")]),
        sale("T4", d(12, 10), "6000", &[("r1", "100%")]),
    ];
    let revenue = run(CreditBasis::Revenue, &txs);
    let made = salesplan::comp::Commissions::new(&capped, &[&revenue])
        .unwrap()
        .statements(&ana(), &salesplan::comp::Quotas::new(), &[], d(12, 31))
        .unwrap();
    let carried = salesplan::comp::carry_capped(&capped, &made).unwrap();
    assert_eq!(
        totals(&carried),
        [
            "0.00", "500.00", "300.00", "0.00", "500.00", "400.00", "0.00", "0.00", "0.00", "0.00",
            "0.00", "500.00"
        ]
    );
    assert_eq!(
        carried[11].to_string(),
        "Commission statement for ana, plan AE-2025, 2025-12-01 to 2025-12-31
  Revenue: 500.00 USD
    measured 2025-12-01 to 2025-12-31: 6000 from 1 transaction
    0 to 6000: 6000 at 10% = 600.00 USD
    capped at 500.00 USD per period: -100.00 USD
  Revenue: 0.00 USD
    carried forward from this period: 100.00 USD
    forfeited at the year's end: 100.00 USD
  Total payable: 500.00 USD"
    );
}

/// Half on booking, half on payment: Ana's Q1 line of 3,000 holds 1,500,
/// spread over T1 (10,000: 500) and T2 (20,000: 1,000); the customer pays
/// T2 in April and T1 in July, each release on its own quarter's
/// statement.
#[test]
fn a_hold_is_released_on_the_statement_of_the_period_the_customer_pays_in() {
    use salesplan::comp::{HoldPolicy, Release};
    let v1 = quarterly_plan("v1", "10%");
    let revenue = run(CreditBasis::Revenue, &ana_sales());
    let made = salesplan::comp::Commissions::new(&v1, &[&revenue])
        .unwrap()
        .statements(&ana(), &quarterly("30000"), &[], d(9, 30))
        .unwrap();
    let paid = [
        Release {
            transaction: crate::support::credit::tid("T2"),
            date: d(4, 15),
        },
        Release {
            transaction: crate::support::credit::tid("T1"),
            date: d(7, 1),
        },
    ];
    let half = HoldPolicy::new("50%".parse().unwrap()).component("Revenue");
    let held = half.apply(&[&v1], &[&revenue], &made, &paid).unwrap();
    assert_eq!(totals(&held), ["1500.00", "1000.00", "500.00"]);
    assert_eq!(
        held[0].to_string(),
        "Commission statement for ana, plan v1, 2025-01-01 to 2025-03-31
  Revenue: 3000.00 USD
    measured 2025-01-01 to 2025-03-31: 30000 from 2 transactions
    quota 30000, attainment 100%
    0 to 30000: 30000 at 10% = 3000.00 USD
  Revenue: -1500.00 USD
    held until the customer pays: 50% of 3000.00 USD
      T1 (credit 10000): 500.00 USD
      T2 (credit 20000): 1000.00 USD
  Total payable: 1500.00 USD"
    );
    assert!(held[1].to_string().contains(
        "  Revenue: 1000.00 USD\n    released: T2 paid for on 2025-04-15 (held 2025-01-01 to 2025-03-31)"
    ));
}

/// One close after another: Q1's statements get an approved adjustment,
/// their capped excess carried and half of each deal held; locked, they
/// come back unchanged in the next close, which neither corrects the
/// added lines nor adds them twice, and pays what is released later.
#[test]
fn closed_periods_with_adjustments_carries_and_holds_are_kept_at_the_next_close() {
    use salesplan::bonus::Authority;
    use salesplan::comp::{
        Adjustment, Cap, HoldPolicy, Quotas, Release, apply_adjustments, carry_capped,
    };
    let capped = plan(vec![
        Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Month,
            RateTable::Flat(pct("10%")),
        )
        .cap(Cap::PerPeriod(usd("500.00"))),
    ]);
    let txs = vec![
        sale("T1", d(1, 10), "7000", &[("r1", "100%")]),
        sale("T2", d(2, 10), "1000", &[("r1", "100%")]),
    ];
    let revenue = run(CreditBasis::Revenue, &txs);
    let comp = salesplan::comp::Commissions::new(&capped, &[&revenue]).unwrap();
    let org = crate::support::credit::region();
    let policy = adjustment_policy();
    let snapshot = org.as_of(d(2, 20)).unwrap();
    let authority = Authority::new(&policy, &snapshot).unwrap();
    let bonus = Adjustment::manual(
        ana(),
        usd("100.00"),
        d(2, 20),
        "Trade-show bonus",
        person("ops"),
    );
    let approved = [authority
        .approve_adjustment(bonus, &person("maria"))
        .unwrap()];
    let half = HoldPolicy::new("50%".parse().unwrap());
    let tid = crate::support::credit::tid;
    let paid = [
        Release {
            transaction: tid("T1"),
            date: d(3, 5),
        },
        Release {
            transaction: tid("T2"),
            date: d(4, 3),
        },
    ];
    let close = |locked: &[Statement], through| {
        let made = comp
            .statements(&ana(), &Quotas::new(), locked, through)
            .unwrap();
        let adjusted = apply_adjustments(&made, &approved).unwrap();
        let carried = carry_capped(&capped, &adjusted).unwrap();
        half.apply(&[&capped], &[&revenue], &carried, &paid)
            .unwrap()
    };
    let q1 = close(&[], d(3, 31));
    assert_eq!(totals(&q1), ["250.00", "350.00", "250.00"]);
    let q2 = close(&q1, d(6, 30));
    assert_eq!(&q2[..3], &q1[..]);
    assert_eq!(
        totals(&q2),
        ["250.00", "350.00", "250.00", "50.00", "0.00", "0.00"]
    );
    assert!(
        q2[3]
            .lines()
            .iter()
            .all(|l| !matches!(l.explanation, Explanation::Adjustment(_)))
    );
}

/// A return after a plan change is taken back by the plan that paid its
/// deal, at its rate: T1 was paid under v1 (10%) in Q1; returned in May,
/// under v2, it shows as v1's clawback on a Q2 statement of v1 holding
/// only it, and v2's Q2 pays its own credits (none).
#[test]
fn a_return_after_a_plan_change_is_clawed_back_by_the_plan_that_paid_the_deal() {
    use crate::support::credit::refund;
    let (v1, v2) = (quarterly_plan("v1", "10%"), quarterly_plan("v2", "12%"));
    let on = ana_on(&[("v1", d(1, 1), Some(d(4, 1))), ("v2", d(4, 1), None)]);
    let mut txs = ana_sales();
    txs.push(refund("CN1", d(5, 10), "-1000", "T1"));
    let revenue = run(CreditBasis::Revenue, &txs);
    let comp = AssignedCommissions::new(&[&v1, &v2], &on, &[&revenue]).unwrap();
    let statements = comp
        .statements(&ana(), &quarterly("30000"), &[], d(6, 30))
        .unwrap();
    let rows: Vec<(String, usize, String)> = statements
        .iter()
        .map(|s| {
            (
                s.plan.to_string(),
                s.lines().len(),
                s.total.amount().to_string(),
            )
        })
        .collect();
    let row = |p: &str, n, t: &str| (p.to_owned(), n, t.to_owned());
    assert_eq!(
        rows,
        [
            row("v1", 1, "3000.00"),
            row("v1", 1, "-100.00"),
            row("v2", 1, "0.00")
        ]
    );
    assert!(matches!(
        statements[1].lines()[0].explanation,
        Explanation::Clawback(_)
    ));
}

/// Held under v1 in Q1, T1 is paid for in May, after Ana moved to v2: the
/// release shows on her Q2 statement (v2's, the only one she has then).
#[test]
fn a_hold_under_one_plan_is_released_after_a_plan_change() {
    use salesplan::comp::{HoldPolicy, Release};
    let (v1, v2) = (quarterly_plan("v1", "10%"), quarterly_plan("v2", "12%"));
    let on = ana_on(&[("v1", d(1, 1), Some(d(4, 1))), ("v2", d(4, 1), None)]);
    let revenue = run(CreditBasis::Revenue, &ana_sales());
    let comp = AssignedCommissions::new(&[&v1, &v2], &on, &[&revenue]).unwrap();
    let made = comp
        .statements(&ana(), &quarterly("30000"), &[], d(6, 30))
        .unwrap();
    let paid = [Release {
        transaction: crate::support::credit::tid("T1"),
        date: d(5, 2),
    }];
    let half = HoldPolicy::new("50%".parse().unwrap());
    let held = half.apply(&[&v1, &v2], &[&revenue], &made, &paid).unwrap();
    let rows: Vec<(&str, String)> = held
        .iter()
        .map(|s| (s.plan.as_str(), s.total.amount().to_string()))
        .collect();
    assert_eq!(
        rows,
        [("v1", "1500.00".to_owned()), ("v2", "500.00".to_owned())]
    );
}

/// A plan whose kicker qualifies deals works under plan assignments once
/// the deals' facts are given, and pays what `Commissions` pays with them:
/// T2 is a service sale, so its credit counts 150%.
#[test]
fn assigned_commissions_qualify_deals_as_commissions_do() {
    use salesplan::ProductGroupId;
    use salesplan::comp::{Commissions, Deals, Kicker, Qualifier};
    let service = ProductGroupId::new("service").unwrap();
    let plan = CompPlan::builder(
        PlanId::new("v1").unwrap(),
        Currency::USD,
        salesplan::calendar::FiscalCalendar::gregorian(),
        2025,
    )
    .component(
        Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Quarter,
            RateTable::Flat(pct("10%")),
        )
        .kicker(Kicker::new(
            "service",
            vec![Qualifier::ProductGroup(service.clone())],
            rate("150%"),
        )),
    )
    .build()
    .unwrap();
    let mut txs = ana_sales();
    txs[1] = txs[1].clone().with_product_group(service);
    let revenue = run(CreditBasis::Revenue, &txs);
    let deals = Deals::new(&txs);
    let on = ana_on(&[("v1", d(1, 1), None)]);
    let assigned = AssignedCommissions::new(&[&plan], &on, &[&revenue])
        .unwrap()
        .with_deals(&deals)
        .statements(&ana(), &quarterly("30000"), &[], d(3, 31))
        .unwrap();
    let single = Commissions::new(&plan, &[&revenue])
        .unwrap()
        .with_deals(&deals)
        .unwrap()
        .statements(&ana(), &quarterly("30000"), &[], d(3, 31))
        .unwrap();
    assert_eq!(assigned[0].total, usd("4000.00"));
    assert_eq!(assigned[0].total, single[0].total);
}
