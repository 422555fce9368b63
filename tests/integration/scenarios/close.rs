//! A quarter's close as one call: the region of `support::credit`, deals
//! in USD and EUR (one EUR deal without a rate), a regional manager whose
//! bonus attainment comes from the roll-up, and a rep with no activity
//! logged.

use rust_decimal::Decimal;
use salesplan::activity::ActivityKind;
use salesplan::bonus::{PayoutCurve, TargetBonus};
use salesplan::calendar::{FiscalCalendar, WorkCalendar};
use salesplan::close::Close;
use salesplan::comp::{CompPeriod, CompPlan, Component, PayRate, Quotas, RateTable as PayTable};
use salesplan::credit::{CreditBasis, CreditPlan, Transaction, TransactionKind};
use salesplan::money::RateTable;
use salesplan::perf::{KindTotals, PaceCurve};
use salesplan::quota::{Measures, QuotaPlan};
use salesplan::{Currency, Money, Period, PlanId, Rate};

use crate::common::date;
use crate::support::credit::{account, region, tid, usd};
use crate::support::{person, pos};

fn eur_sale(id: &str, m: u32, d: u32, amount: &str, owner: &str) -> Transaction {
    Transaction::new(
        tid(id),
        TransactionKind::Order,
        date(2025, m, d),
        account("ACME"),
        Money::parse(amount, Currency::EUR).unwrap(),
    )
    .with_owner(pos(owner))
}

/// A quarterly plan `id` paying `percent` of `basis` as component `name`.
fn flat_plan(id: &str, name: &str, basis: CreditBasis, percent: &str) -> CompPlan {
    CompPlan::builder(
        PlanId::new(id).unwrap(),
        Currency::USD,
        FiscalCalendar::gregorian(),
        2025,
    )
    .component(Component::new(
        name,
        basis,
        CompPeriod::Quarter,
        PayTable::Flat(PayRate::Percent(percent.parse().unwrap())),
    ))
    .build()
    .unwrap()
}

/// A bonus curve paying the attainment itself, capped at 200%.
fn linear_curve() -> PayoutCurve {
    let r = |s: &str| s.parse::<Rate>().unwrap();
    PayoutCurve::new([(r("0%"), r("0%")), (r("100%"), r("100%"))], r("200%")).unwrap()
}

#[test]
fn a_quarter_closes_in_one_call_with_its_pending_items() {
    let org = region();
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let plan_snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let quotas = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("2400000.00"))
        .cascade(&plan_snapshot, &Measures::new())
        .unwrap();
    // EUR from 1 February only: the January EUR deal has no rate.
    let rates = RateTable::new()
        .with(
            Currency::EUR,
            Currency::USD,
            date(2025, 2, 1),
            Decimal::new(110, 2),
        )
        .unwrap();
    let feed = [
        crate::support::credit::sale("SO-1", date(2025, 1, 15), "50000.00", &[("r1", "100%")]),
        eur_sale("SO-2", 2, 10, "20000.00", "r2"),
        eur_sale("SO-3", 1, 20, "9999.00", "r4"),
        Transaction::new(
            tid("RT-3"),
            TransactionKind::Return,
            date(2025, 2, 20),
            account("ACME"),
            Money::parse("-999.00", Currency::EUR).unwrap(),
        )
        .with_original(tid("SO-3")),
    ];
    let credit_plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    let comp = flat_plan("AE", "Revenue", CreditBasis::Revenue, "5%");
    let curve = linear_curve();
    let rsm_bonus = TargetBonus::new(PlanId::new("RSM").unwrap(), q1, curve);
    let mut logged = KindTotals::new();
    logged.add(0, 90, 100).unwrap();
    let closed = Close::new(&org, q1, date(2025, 3, 31))
        .credit(&credit_plan, Some(&rates), &feed)
        .quotas(
            &quotas,
            PaceCurve::working_days(q1, WorkCalendar::monday_to_friday()),
        )
        .activity(
            vec![(ActivityKind::ColdCall, Decimal::ONE)],
            vec![(pos("r1"), logged)],
        )
        .commissions(&comp)
        .person(person("ana"), Quotas::new(), &[])
        .person(person("ben"), Quotas::new(), &[])
        .bonus(pos("rsm"), &rsm_bonus, usd("10000.00"))
        .run()
        .unwrap();

    // The EUR deal without a rate, and its return, are set aside.
    assert_eq!(closed.pending.missing_rates.len(), 1);
    assert_eq!(
        closed.pending.missing_rates[0].to_string(),
        "SO-3: no EUR->USD rate effective on 2025-01-20"
    );
    assert!(closed.run.lines().iter().all(|l| l.sale() != &tid("SO-3")));
    // SO-2 at 1.10: 22,000.00, with its conversion kept.
    assert_eq!(
        closed.run.conversion(&tid("SO-2")).unwrap().converted(),
        usd("22000.00")
    );

    // The roll-up: the region credited 72,000.00 against its 600,000.00.
    let rsm = closed
        .rollup
        .iter()
        .find(|row| row.position == pos("rsm"))
        .unwrap();
    assert_eq!(
        (rsm.credited, rsm.target),
        (usd("72000.00"), usd("600000.00"))
    );
    assert_eq!(rsm.attainment.to_string(), "12%");
    // Maria's bonus attainment is the roll-up's, not typed in: 12% of
    // 10,000 on a linear curve.
    assert_eq!(closed.bonuses.len(), 1);
    assert_eq!(closed.bonuses[0].person(), &person("maria"));
    assert_eq!(closed.bonuses[0].amount(), usd("1200.00"));

    // Every manager's team progress, from the top.
    let managers: Vec<&str> = closed.reports.iter().map(|r| r.manager.as_str()).collect();
    assert_eq!(managers, ["rsm", "lead-a", "lead-b"]);

    // Statements: Ana 5% of 50,000; Ben 5% of 22,000.
    let totals: Vec<String> = closed
        .statements
        .iter()
        .map(|s| format!("{} {}", s.person, s.total))
        .collect();
    assert_eq!(totals, ["ana 2500.00 USD", "ben 1100.00 USD"]);

    // Only r1 logged activity: every other seated rep is pending.
    let missing: Vec<&str> = closed
        .pending
        .missing_logs
        .iter()
        .map(|p| p.as_str())
        .collect();
    assert_eq!(missing, ["ben", "ida", "noah", "sia"]);
}

#[test]
fn a_year_closes_with_the_same_call() {
    let org = region();
    let year = Period::new(date(2025, 1, 1), date(2026, 1, 1)).unwrap();
    let plan_snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let quotas = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("1200000.00"))
        .cascade(&plan_snapshot, &Measures::new())
        .unwrap();
    let feed = [
        crate::support::credit::sale("SO-1", date(2025, 2, 15), "100000.00", &[("r1", "100%")]),
        crate::support::credit::sale("SO-2", date(2025, 11, 3), "20000.00", &[("r1", "100%")]),
    ];
    let credit_plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    let comp = flat_plan("AE", "Revenue", CreditBasis::Revenue, "5%");
    let curve = linear_curve();
    let annual = TargetBonus::new(PlanId::new("TL").unwrap(), year, curve);
    let closed = Close::new(&org, year, date(2025, 12, 31))
        .credit(&credit_plan, None, &feed)
        .quotas(
            &quotas,
            PaceCurve::working_days(year, WorkCalendar::monday_to_friday()),
        )
        .commissions(&comp)
        .person(person("ana"), Quotas::new(), &[])
        .bonus(pos("lead-a"), &annual, usd("8000.00"))
        .run()
        .unwrap();
    // Four quarterly statements; the year's pay is 5% of 120,000.
    let totals: Vec<String> = closed
        .statements
        .iter()
        .map(|s| s.total.to_string())
        .collect();
    assert_eq!(
        totals,
        ["5000.00 USD", "0.00 USD", "0.00 USD", "1000.00 USD"]
    );
    // Lead A's year: 120,000 against her seat's year target, from the roll-up.
    let lead = closed
        .rollup
        .iter()
        .find(|row| row.position == pos("lead-a"))
        .unwrap();
    assert_eq!(lead.credited, usd("120000.00"));
    let expected = lead.attainment.value().unwrap() * Decimal::from(8000);
    assert_eq!(
        closed.bonuses[0].amount(),
        Money::new(expected, Currency::USD).round(salesplan::RoundingPolicy::HalfAwayFromZero)
    );
    assert!(closed.pending.missing_rates.is_empty());
}

/// The close's roll-up counts each sale for the chain in force on its
/// booking date: r3 moved from lead-a to lead-b on 15 February, so its
/// January sale is lead-a's and its March sale lead-b's. Under plan
/// assignments, with a margin run beside the revenue one, the close pays
/// what `AssignedCommissions` pays.
#[test]
fn a_close_rolls_up_by_the_chain_on_each_sale_date_and_pays_under_assignments() {
    use salesplan::calendar::DateRange;
    use salesplan::comp::{AssignedCommissions, PlanAssignment, PlanAssignments};
    let org = region();
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let plan_snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let quotas = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("2400000.00"))
        .cascade(&plan_snapshot, &Measures::new())
        .unwrap();
    let sale = |id: &str, m, d, amount: &str, owner: &str| {
        crate::support::credit::sale(id, date(2025, m, d), amount, &[(owner, "100%")])
            .with_margin(usd("1000.00"))
    };
    let feed = [
        sale("SO-1", 1, 20, "10000.00", "r3"),
        sale("SO-2", 3, 10, "5000.00", "r3"),
        sale("SO-3", 2, 1, "8000.00", "r1"),
    ];
    let plan = |id: &str, basis: CreditBasis, percent: &str| flat_plan(id, "Pay", basis, percent);
    let (v1, v2) = (
        plan("v1", CreditBasis::Revenue, "5%"),
        plan("v2", CreditBasis::Margin, "10%"),
    );
    let assignments = PlanAssignments::new(vec![
        PlanAssignment {
            person: person("noah"),
            plan: PlanId::new("v1").unwrap(),
            during: DateRange::new(date(2025, 1, 1), Some(date(2025, 3, 1))).unwrap(),
        },
        PlanAssignment {
            person: person("noah"),
            plan: PlanId::new("v2").unwrap(),
            during: DateRange::starting(date(2025, 3, 1)),
        },
    ])
    .unwrap();
    let revenue = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    let margin = CreditPlan::new(CreditBasis::Margin, Currency::USD);
    let plans = [&v1, &v2];
    let closed = Close::new(&org, q1, date(2025, 3, 31))
        .credit(&revenue, None, &feed)
        .also_credit(&margin)
        .quotas(
            &quotas,
            PaceCurve::working_days(q1, WorkCalendar::monday_to_friday()),
        )
        .assignments(&plans, &assignments)
        .person(person("noah"), Quotas::new(), &[])
        .run()
        .unwrap();
    let credited = |seat: &str| {
        closed
            .rollup
            .iter()
            .find(|r| r.position == pos(seat))
            .unwrap()
            .credited
    };
    assert_eq!(credited("lead-a"), usd("18000.00"));
    assert_eq!(credited("lead-b"), usd("5000.00"));
    assert_eq!(credited("rsm"), usd("23000.00"));
    assert_eq!(closed.runs.len(), 1);
    let direct = AssignedCommissions::new(&plans, &assignments, &[&closed.run, &closed.runs[0]])
        .unwrap()
        .statements(&person("noah"), &Quotas::new(), &[], date(2025, 3, 31))
        .unwrap();
    assert_eq!(closed.statements, direct);
    // v1 pays January's 10,000 at 5%, v2 March's 1,000 of margin at 10%.
    let totals: Vec<String> = closed
        .statements
        .iter()
        .map(|s| s.total.to_string())
        .collect();
    assert_eq!(totals, ["500.00 USD", "100.00 USD"]);
}

/// A close with an adjustment for one of two people pays the other as
/// before; a bonus on a seat without a target is refused, not paid at 0%;
/// an adjustment with a fraction of a cent is refused at approval.
#[test]
fn a_close_applies_each_persons_adjustments_and_refuses_a_bonus_without_target() {
    use salesplan::Error;
    use salesplan::bonus::{Authority, BonusError};
    use salesplan::comp::Adjustment;
    use salesplan::perf::PerfError;
    let org = region();
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let plan_snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let quotas = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("2400000.00"))
        .cascade(&plan_snapshot, &Measures::new())
        .unwrap();
    let feed = [
        crate::support::credit::sale("SO-1", date(2025, 1, 15), "10000.00", &[("r1", "100%")]),
        crate::support::credit::sale("SO-2", date(2025, 2, 15), "20000.00", &[("r2", "100%")]),
    ];
    let comp = flat_plan("AE", "Revenue", CreditBasis::Revenue, "5%");
    let policy = crate::scenarios::comp_close::adjustment_policy();
    let snapshot = org.as_of(date(2025, 3, 28)).unwrap();
    let authority = Authority::new(&policy, &snapshot).unwrap();
    let bonus = |amount: &str| {
        Adjustment::manual(
            person("ana"),
            Money::parse(amount, Currency::USD).unwrap(),
            date(2025, 3, 28),
            "trade show bonus",
            person("ops"),
        )
    };
    let approved = [authority
        .approve_adjustment(bonus("100.00"), &person("ali"))
        .unwrap()];
    let credit_plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    let close = || {
        Close::new(&org, q1, date(2025, 3, 31))
            .credit(&credit_plan, None, &feed)
            .quotas(
                &quotas,
                PaceCurve::working_days(q1, WorkCalendar::monday_to_friday()),
            )
            .commissions(&comp)
            .person(person("ana"), Quotas::new(), &[])
            .person(person("ben"), Quotas::new(), &[])
    };
    // An adjustment for someone the close does not pay is refused.
    let only_ben = Close::new(&org, q1, date(2025, 3, 31))
        .credit(&credit_plan, None, &feed)
        .commissions(&comp)
        .person(person("ben"), Quotas::new(), &[])
        .adjustments(&approved)
        .run()
        .unwrap_err();
    assert!(
        matches!(
            only_ben,
            Error::Comp(salesplan::comp::CompError::NoStatementForAdjustment { .. })
        ),
        "{only_ben:?}"
    );
    let closed = close().adjustments(&approved).run().unwrap();
    let totals: Vec<String> = closed
        .statements
        .iter()
        .map(|s| s.total.to_string())
        .collect();
    assert_eq!(totals, ["600.00 USD", "1000.00 USD"]);

    // A seat the plan gives no target: team leads carry none here.
    let curve = linear_curve();
    let plan = TargetBonus::new(PlanId::new("b").unwrap(), q1, curve);
    let no_leads = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("2400000.00"))
        .exclude(salesplan::org::Role::TeamLead)
        .cascade(&plan_snapshot, &Measures::new())
        .unwrap();
    let err = Close::new(&org, q1, date(2025, 3, 31))
        .credit(&credit_plan, None, &feed)
        .quotas(
            &no_leads,
            PaceCurve::working_days(q1, WorkCalendar::monday_to_friday()),
        )
        .bonus(pos("lead-a"), &plan, usd("1000.00"))
        .run()
        .unwrap_err();
    assert!(
        matches!(err, Error::Perf(PerfError::NoTarget { .. })),
        "{err:?}"
    );

    let err = authority
        .approve_adjustment(bonus("100.005"), &person("ali"))
        .unwrap_err();
    assert!(matches!(err, BonusError::Arithmetic { .. }), "{err:?}");
}
