//! Issue #27's defects in crediting, statements and the org, each
//! reproduced as it was found: every test here failed before its fix.

use salesplan::calendar::FiscalCalendar;
use salesplan::comp::{Commissions, CompPeriod, CompPlan, Component, Explanation, RateTable};
use salesplan::credit::{
    CreditBasis, CreditPlan, CreditTiming, Crediting, Owner, Transaction, TransactionKind,
};
use salesplan::org::{Org, Position, ReportingLine, Role};
use salesplan::{CompError, CreditError, Currency, OrgError, PlanId};

use crate::common::date;
use crate::support::comp::{ana, pct, quarter, tiers};
use crate::support::credit::{account, region, sale, tid, usd};
use crate::support::{always, pos};

/// Defect 1: a credit note of -6,000.00 with an owner and no original,
/// under marginal tiers (10% to 5,000, 12% above), paid +600.00
/// ("-6000 to 0: 6000 at 10%"). Now it is a negative credit in the
/// measure, and the period pays -600.00.
#[test]
fn an_unlinked_credit_note_takes_pay_away_and_never_adds_it() {
    let note = Transaction::new(
        tid("CN-9"),
        TransactionKind::CreditNote,
        date(2025, 2, 10),
        account("ACME"),
        usd("-6000.00"),
    )
    .with_owner(pos("r1"));
    let run = Crediting::new(
        &region(),
        &CreditPlan::new(CreditBasis::Revenue, Currency::USD),
    )
    .run(&[note])
    .unwrap();
    let plan = crate::support::comp::plan(vec![Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Quarter,
        tiers(
            salesplan::comp::TierBasis::Measure,
            salesplan::comp::TierMethod::Marginal,
            &[("0", "5000", "10%"), ("5000", "", "12%")],
        ),
    )]);
    let s = Commissions::new(&plan, &[&run])
        .unwrap()
        .statements(
            &ana(),
            &salesplan::comp::Quotas::new(),
            &[],
            date(2025, 3, 31),
        )
        .unwrap();
    assert_eq!(s[0].total.to_string(), "-600.00 USD");
    assert!(crate::support::comp::parts_add_up(&s[0]));
    assert!(
        s[0].to_string()
            .contains("0 to -6000: -6000 at 10% = -600.00 USD"),
        "{}",
        s[0]
    );
}

/// Defect 2: a misspelled field in a plan's JSON was ignored, and the plan
/// paid as if it were absent.
#[cfg(feature = "serde")]
#[test]
fn a_misspelled_field_in_a_plan_is_refused_by_name() {
    let plan = crate::support::comp::plan(vec![Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Quarter,
        RateTable::Flat(pct("10%")),
    )]);
    let good = serde_json::to_value(&plan).unwrap();
    for (field, value) in [
        ("minimun", serde_json::json!("100.00 USD")),
        ("cpas", serde_json::json!([{"per_period": "100.00 USD"}])),
    ] {
        let mut bad = good.clone();
        bad["components"][0][field] = value;
        let err = serde_json::from_value::<CompPlan>(bad).unwrap_err();
        assert!(
            err.to_string()
                .contains(&format!("unknown field `{field}`")),
            "{field}: {err}"
        );
    }
}

/// Defect 3: a `CreditRun` from JSON was not validated: a scale of 99, an
/// amount with six decimals in USD, a roll-up line with an owner's rule or
/// an org date after the credit date all deserialized and paid.
#[cfg(feature = "serde")]
#[test]
fn a_credit_run_from_json_is_validated() {
    use salesplan::credit::{CreditRun, RollUpLines};
    let txs = [sale(
        "SO-1",
        date(2025, 2, 10),
        "1000.00",
        &[("r1", "100%")],
    )];
    let run = Crediting::new(
        &region(),
        &CreditPlan::new(CreditBasis::Revenue, Currency::USD).roll_up(RollUpLines::Lines),
    )
    .run(&txs)
    .unwrap();
    let good = serde_json::to_value(&run).unwrap();
    let back: CreditRun = serde_json::from_value(good.clone()).unwrap();
    assert_eq!(back, run);
    let roll_up = good["lines"]
        .as_array()
        .unwrap()
        .iter()
        .position(|l| l["kind"] == "roll_up")
        .unwrap();
    type Edit = fn(&mut serde_json::Value, usize);
    let edits: [(&str, Edit, &str); 5] = [
        ("scale", |v, _| v["scale"] = 99.into(), "not 99"),
        (
            "six decimals",
            |v, _| v["lines"][0]["amount"] = "1000.000001".into(),
            "1000.000001",
        ),
        (
            "roll-up with an owner's rule",
            |v, i| v["lines"][i]["rule"] = serde_json::json!({"owner": {"share": "100%"}}),
            "a RollUp line cannot come from Owner",
        ),
        (
            "org date after the credit date",
            |v, _| v["lines"][0]["as_of"] = "2031-02-10".into(),
            "2031-02-10",
        ),
        (
            "unknown field",
            |v, _| v["lines"][0]["amout"] = "1.00".into(),
            "unknown field `amout`",
        ),
    ];
    for (what, edit, named) in edits {
        let mut bad = good.clone();
        edit(&mut bad, roll_up);
        let err = serde_json::from_value::<CreditRun>(bad).unwrap_err();
        assert!(err.to_string().contains(named), "{what}: {err}");
    }
}

fn flat_plan(year: i32) -> CompPlan {
    CompPlan::builder(
        PlanId::new(&format!("AE-{year}")).unwrap(),
        Currency::USD,
        FiscalCalendar::gregorian(),
        year,
    )
    .component(Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Quarter,
        RateTable::Flat(pct("10%")),
    ))
    .build()
    .unwrap()
}

/// Defect 4: a sale booked 2025-12-10 and returned 2026-01-20 stopped the
/// FY2026 statements with `ClawbackUnknownDeal` ("CN-1 reverses SO-1,
/// which never credited them"). The return is clawed back in 2026 at the
/// rate the deal was paid in 2025, from the person's locked 2025
/// statements.
#[test]
fn a_return_in_the_next_plan_year_is_clawed_back_at_last_years_rate() {
    let txs = vec![
        sale("SO-1", date(2025, 12, 10), "10000.00", &[("r1", "100%")]),
        Transaction::new(
            tid("CN-1"),
            TransactionKind::CreditNote,
            date(2026, 1, 20),
            account("ACME"),
            usd("-4000.00"),
        )
        .with_original(tid("SO-1")),
        sale("SO-2", date(2026, 2, 1), "3000.00", &[("r1", "100%")]),
    ];
    let run = Crediting::new(
        &region(),
        &CreditPlan::new(CreditBasis::Revenue, Currency::USD),
    )
    .run(&txs)
    .unwrap();
    let quotas = salesplan::comp::Quotas::new();
    let (fy25, fy26) = (flat_plan(2025), flat_plan(2026));
    let last_year = Commissions::new(&fy25, &[&run])
        .unwrap()
        .statements(&ana(), &quotas, &[], date(2025, 12, 31))
        .unwrap();
    assert_eq!(last_year[3].total.to_string(), "1000.00 USD");

    let this_year = Commissions::new(&fy26, &[&run]).unwrap();
    let s = this_year
        .statements(&ana(), &quotas, &last_year, date(2026, 3, 31))
        .unwrap();
    assert_eq!(s.len(), 1);
    // 300.00 on SO-2, and 4,000 of SO-1 back at the 10% it was paid.
    assert_eq!(s[0].total.to_string(), "-100.00 USD");
    let Explanation::Clawback(c) = &s[0].lines[1].explanation else {
        panic!("{:?}", s[0].lines)
    };
    assert_eq!((c.transaction.as_str(), c.sale.as_str()), ("CN-1", "SO-1"));
    assert_eq!(c.paid_in, [quarter(4)]);
    assert!(crate::support::comp::parts_add_up(&s[0]));

    // Without last year's statements, the error says what is missing.
    let err = this_year
        .statements(&ana(), &quotas, &[], date(2026, 3, 31))
        .unwrap_err();
    let CompError::PriorPayUnknown(missing) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (
            &missing.person,
            missing.component.as_str(),
            &missing.transaction
        ),
        (&ana(), "Revenue", &tid("CN-1"))
    );
    assert_eq!((&missing.sale, missing.period), (&tid("SO-1"), quarter(4)));
    assert_eq!(
        err.to_string(),
        "ana: CN-1 reverses SO-1, paid under \"Revenue\" in 2025-10-01 to 2025-12-31 \
         of an earlier plan year: pass that period's locked statement"
    );
}

/// Defect 5: under invoice timing, an invoice without an invoice date was
/// left pending and its statement showed 0.00 without an error.
#[test]
fn an_invoice_without_its_invoice_date_is_an_error_under_invoice_timing() {
    let invoice = Transaction::new(
        tid("INV-1"),
        TransactionKind::Invoice,
        date(2025, 2, 10),
        account("ACME"),
        usd("1000.00"),
    )
    .with_owners(vec![Owner::sole(pos("r1"))]);
    let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD).timing(CreditTiming::Invoice);
    let err = Crediting::new(&region(), &plan)
        .run(std::slice::from_ref(&invoice))
        .unwrap_err();
    assert_eq!(
        err,
        CreditError::MissingInvoiceDate {
            transaction: tid("INV-1")
        }
    );
    // An order not invoiced yet is pending, as before.
    let order = sale("SO-1", date(2025, 2, 10), "1000.00", &[("r1", "100%")]);
    let run = Crediting::new(&region(), &plan).run(&[order]).unwrap();
    assert_eq!(run.pending(), [tid("SO-1")]);
}

/// Defect 6: an org that is only a cycle (A -> B -> C -> A) gave
/// `NoRoot { date }` and named no ids.
#[test]
fn an_org_that_is_only_a_cycle_names_the_cycle() {
    let org = Org::builder()
        .positions(["A", "B", "C"].map(|p| Position::new(pos(p), Role::SalesRep)))
        .line(ReportingLine::new(pos("A"), pos("B"), always()))
        .line(ReportingLine::new(pos("B"), pos("C"), always()))
        .line(ReportingLine::new(pos("C"), pos("A"), always()))
        .build()
        .unwrap();
    let err = org.as_of(date(2025, 6, 1)).unwrap_err();
    let OrgError::Cycle { cycle, date: d } = err else {
        panic!("{err:?}")
    };
    assert_eq!(d, date(2025, 6, 1));
    let mut names: Vec<&str> = cycle.iter().map(|p| p.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["A", "B", "C"]);
}

/// Issue #27: payments in the next plan year of a sale invoiced in this
/// one are credited, under payment timing, in the year they are paid, and
/// paid there at that year's rates; a refund in the next year of what was
/// paid this year is clawed back at the rate this year's statement shows.
#[test]
fn payments_and_refunds_across_a_year_end_are_paid_in_their_own_year() {
    let invoice = sale("INV-9", date(2025, 11, 20), "10000.00", &[("r1", "100%")]);
    let payment = |id: &str, day, amount: &str| {
        Transaction::new(
            tid(id),
            TransactionKind::Payment,
            day,
            account("ACME"),
            usd(amount),
        )
        .with_original(tid("INV-9"))
    };
    let txs = vec![
        invoice,
        payment("PAY-1", date(2025, 12, 15), "4000.00"),
        payment("PAY-2", date(2026, 1, 15), "6000.00"),
        payment("REF-1", date(2026, 2, 10), "-1000.00"),
    ];
    let run = Crediting::new(
        &region(),
        &CreditPlan::new(CreditBasis::Revenue, Currency::USD).timing(CreditTiming::Payment),
    )
    .run(&txs)
    .unwrap();
    let quotas = salesplan::comp::Quotas::new();
    let (fy25, fy26) = (flat_plan(2025), flat_plan(2026));
    let last_year = Commissions::new(&fy25, &[&run])
        .unwrap()
        .statements(&ana(), &quotas, &[], date(2025, 12, 31))
        .unwrap();
    assert_eq!(last_year[3].total.to_string(), "400.00 USD");
    let s = Commissions::new(&fy26, &[&run])
        .unwrap()
        .statements(&ana(), &quotas, &last_year, date(2026, 3, 31))
        .unwrap();
    // 600.00 on January's payment. The refund takes its share of the deal
    // back from each period that credited it: 400 of 2025's 4,000 (at the
    // 10% Q4 paid) is clawed back, and 600 of Q1's 6,000 nets in Q1.
    assert_eq!(s[0].total.to_string(), "500.00 USD");
    let Explanation::Clawback(c) = &s[0].lines[1].explanation else {
        panic!("{:?}", s[0].lines)
    };
    assert_eq!(c.paid_in, [quarter(4)]);
    assert_eq!(c.credit.to_string(), "-400.00");
    assert!(crate::support::comp::parts_add_up(&s[0]));
}
