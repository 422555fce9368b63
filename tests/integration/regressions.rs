//! Issue #27's defects in crediting, statements and the org, each
//! reproduced as it was found: every test here failed before its fix.

use salesplan::calendar::FiscalCalendar;
use rust_decimal::Decimal;
use salesplan::comp::{
    Accumulation, Cap, Commissions, CompPeriod, CompPlan, Component, Explanation, Multiplier,
    RateTable, Statement, TierBasis, TierMethod,
};
use salesplan::credit::{
    CreditBasis, CreditPlan, CreditTiming, Crediting, Owner, Transaction, TransactionKind,
};
use salesplan::org::{Org, Position, ReportingLine, Role};
use salesplan::{CompError, CreditError, Currency, OrgError, PlanId};

use crate::common::date;
use crate::support::comp::{ana, d, pct, quarter, rate, tiers};
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

/// Each earned line of the (only) component of `statements`, as its
/// period's own net measure (year to date: its window's measure less the
/// previous window's) and its amount.
fn own_and_paid(statements: &[Statement], ytd: bool) -> Vec<(Decimal, Decimal)> {
    let mut previous = Decimal::ZERO;
    let mut out = Vec::new();
    for s in statements {
        for l in &s.lines {
            if let Explanation::Earned(c) = &l.explanation {
                let own = if ytd { c.measure - previous } else { c.measure };
                previous = c.measure;
                out.push((own, l.amount.amount()));
            }
        }
    }
    out
}

/// Ana's statements for January to March on `component` (monthly quotas
/// of 10,000.00), with `txs`.
fn first_quarter(component: Component, txs: &[Transaction]) -> Vec<Statement> {
    let plan = crate::support::comp::plan(vec![component]);
    crate::support::comp::statements(
        &plan,
        txs,
        &crate::support::comp::monthly("10000"),
        &[],
        d(3, 31),
    )
    .unwrap()
}

/// A credit note of `amount` (negative text) on the 15th of `m`, owned by
/// r1 (ana), that refers to no sale.
fn note(m: u32, amount: &str) -> Transaction {
    Transaction::new(
        tid("N1"),
        TransactionKind::CreditNote,
        d(m, 15),
        account("ACME"),
        usd(amount),
    )
    .with_owner(pos("r1"))
}

/// The sign rule of issue #27 ("a period whose net measure is negative
/// never pays a positive amount"), for a year-to-date component: every
/// month whose own net measure is negative pays nothing or less.
fn assert_no_net_negative_month_pays(statements: &[Statement]) {
    for (own, paid) in own_and_paid(statements, true) {
        assert!(
            own >= Decimal::ZERO || paid <= Decimal::ZERO,
            "a month of net returns ({own}) pays {paid}:\n{}",
            statements
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// Found writing the fuzz oracle (issue #27, sign rule); failed before
/// the hold-back ([`salesplan::comp::Limit::Held`]).
/// Year to date, with a cap at 150% of quota: January sells 30,000.00
/// against 10,000.00 (capped at 15,000.00, pays 1,500.00); February has
/// only a credit note of 100.00, but its window's quota doubles and lifts
/// the cap, so February pays 1,490.00 on net returns.
#[test]
fn a_year_to_date_month_of_net_returns_never_pays_under_a_cap_on_attainment() {
    let component = Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Month,
        RateTable::Flat(pct("10%")),
    )
    .accumulate(Accumulation::YearToDate)
    .cap(Cap::Attainment(rate("150%")));
    let txs = [
        sale("S1", d(1, 10), "30000", &[("r1", "100%")]),
        note(2, "-100"),
    ];
    assert_no_net_negative_month_pays(&first_quarter(component.clone(), &txs));
    // What February's grown quota would have paid waits for March, which
    // sells: the year still pays what its last window earned.
    let mut sold = txs.to_vec();
    sold.push(sale("S2", d(3, 10), "100", &[("r1", "100%")]));
    let s = first_quarter(component, &sold);
    assert_eq!(
        crate::support::comp::totals(&s),
        ["1500.00", "0.00", "1500.00"]
    );
    assert!(s.iter().all(crate::support::comp::parts_add_up));
    assert!(
        s[1].to_string()
            .contains("held for the next period that sells (net returns here): -1490.00 USD"),
        "{}",
        s[1]
    );
}

/// Found writing the fuzz oracle (issue #27, sign rule); failed before
/// the hold-back ([`salesplan::comp::Limit::Held`]).
/// Year to date, with a decelerator (50%) above 100% of quota: January
/// sells 20,000.00 against 10,000.00 and pays 1,500.00; February has only
/// a credit note of 100.00, but its window's quota doubles and moves the
/// credit out of the decelerator, so February pays 490.00 on net returns.
#[test]
fn a_year_to_date_month_of_net_returns_never_pays_under_a_decelerator_above_quota() {
    let component = Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Month,
        RateTable::Flat(pct("10%")),
    )
    .accumulate(Accumulation::YearToDate)
    .multiplier(Multiplier::above(rate("100%"), rate("50%")));
    let txs = [
        sale("S1", d(1, 10), "20000", &[("r1", "100%")]),
        note(2, "-100"),
    ];
    assert_no_net_negative_month_pays(&first_quarter(component, &txs));
}

/// Found writing the fuzz oracle (issue #27, sign rule): retroactive
/// tiers whose rate falls (10% up to 10,000, 5% above) pay less for more,
/// so per period a credit note raised pay (January's 15,000.00 paid 750.00,
/// with a credit note of 5,001.00 999.90), and year to date a month of net
/// returns paid. Such a plan is now refused when built.
#[test]
fn retroactive_tiers_whose_rate_falls_are_refused() {
    let falling = Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Month,
        tiers(
            TierBasis::Measure,
            TierMethod::Retroactive,
            &[("0", "10000", "10%"), ("10000", "", "5%")],
        ),
    );
    let err = crate::support::comp::builder()
        .component(falling)
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        CompError::FallingRetroactiveRate {
            component: "Revenue".into(),
            tier: 1,
            rate: pct("5%"),
            previous: pct("10%"),
        }
    );
    assert_eq!(
        err.to_string(),
        "component \"Revenue\": retroactive tier 1 pays 5%, less than the tier below it (10%): more credit would pay less"
    );
}
