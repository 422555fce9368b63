//! Issue #27's defects in crediting, statements and the org, each
//! reproduced as it was found: every test here failed before its fix.

use rust_decimal::Decimal;
use salesplan::calendar::FiscalCalendar;
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
            TierBasis::Measure,
            TierMethod::Marginal,
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
    let Explanation::Clawback(c) = &s[0].lines()[1].explanation else {
        panic!("{:?}", s[0].lines())
    };
    assert_eq!((c.transaction.as_str(), c.sale.as_str()), ("CN-1", "SO-1"));
    assert_eq!(c.paid_in(), [quarter(4)]);
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
    let Explanation::Clawback(c) = &s[0].lines()[1].explanation else {
        panic!("{:?}", s[0].lines())
    };
    assert_eq!(c.paid_in(), [quarter(4)]);
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
        for l in s.lines() {
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
            .contains("held for a later period (net returns here): -1490.00 USD"),
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

/// Ana's plan of `year` with `component`, and her credit run over `txs`
/// (both years' feed), her statements of `year` through `through`.
fn year_of(
    year: i32,
    component: &Component,
    txs: &[Transaction],
    quotas: &salesplan::comp::Quotas,
    locked: &[Statement],
    through: chrono::NaiveDate,
) -> Result<Vec<Statement>, CompError> {
    let plan = CompPlan::builder(
        PlanId::new(&format!("AE-{year}")).unwrap(),
        Currency::USD,
        FiscalCalendar::gregorian(),
        year,
    )
    .component(component.clone())
    .build()
    .unwrap();
    let run = Crediting::new(
        &region(),
        &CreditPlan::new(CreditBasis::Revenue, Currency::USD),
    )
    .run(txs)
    .unwrap();
    let deals = salesplan::comp::Deals::new(txs);
    Commissions::new(&plan, &[&run])?
        .with_deals(&deals)?
        .statements(&ana(), quotas, locked, through)
}

/// Revenue quotas of `amount` for every month of 2025 and 2026.
fn monthly_both_years(amount: &str) -> salesplan::comp::Quotas {
    [2025, 2026]
        .into_iter()
        .flat_map(|y| (1..=12).map(move |m| salesplan::calendar::Period::month(y, m).unwrap()))
        .fold(salesplan::comp::Quotas::new(), |q, p| {
            q.revenue(p, usd(amount))
        })
}

/// Found in review (issue #27): year to date, a deal of an earlier year
/// was taken back at its month's pay over its month's sales. With a cap
/// at 150% of quota, February 2025 sold 100.00 and paid 1,500.00 (the
/// window's grown quota lifted January's cap), so a return of that deal
/// in 2026 took back 1,500.00 for a 100.00 deal. The rate is now what
/// the window paid to date over what its months sold: 3,000.00 for
/// 60,100.00 (the cap on attainment held it to 15,000.00 a month of
/// quota), so 4.99.
#[test]
fn a_year_to_date_deal_of_an_earlier_year_is_taken_back_at_its_windows_rate() {
    let component = Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Month,
        RateTable::Flat(pct("10%")),
    )
    .accumulate(Accumulation::YearToDate)
    .cap(Cap::Attainment(rate("150%")));
    let txs = vec![
        sale("S1", date(2025, 1, 10), "60000.00", &[("r1", "100%")]),
        sale("S2", date(2025, 2, 10), "100.00", &[("r1", "100%")]),
        Transaction::new(
            tid("R2"),
            TransactionKind::Return,
            date(2026, 1, 20),
            account("ACME"),
            usd("-100.00"),
        )
        .with_original(tid("S2")),
    ];
    let quotas = monthly_both_years("10000.00");
    let last_year = year_of(2025, &component, &txs, &quotas, &[], date(2025, 12, 31)).unwrap();
    assert_eq!(last_year[1].total.to_string(), "1500.00 USD");
    let s = year_of(
        2026,
        &component,
        &txs,
        &quotas,
        &last_year,
        date(2026, 1, 31),
    )
    .unwrap();
    let Some(Explanation::Clawback(c)) = s[0].lines().iter().map(|l| &l.explanation).nth(1) else {
        panic!("{}", s[0])
    };
    let rate = Decimal::from(3000) / Decimal::from(60100);
    assert_eq!((c.sale.as_str(), c.rate), ("S2", rate));
    assert_eq!(s[0].total.to_string(), "-4.99 USD");
    assert!(crate::support::comp::parts_add_up(&s[0]));
}

/// Found in review (issue #27): a clawback of an earlier year's deal was
/// counted as pay taken back from this year, so it lifted this year's cap
/// per year: with a cap of 1,000.00 a year, a 2026 quarter that earned
/// 2,000.00 paid 1,400.00 beside a clawback of 400.00 for 2025. This
/// year's cap now stands: 1,000.00 earned, 400.00 taken back.
#[test]
fn an_earlier_years_clawback_leaves_this_years_cap_as_it_was() {
    let component = Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Quarter,
        RateTable::Flat(pct("10%")),
    )
    .cap(Cap::PerYear(usd("1000.00")));
    let txs = vec![
        sale("S1", date(2025, 12, 10), "10000.00", &[("r1", "100%")]),
        Transaction::new(
            tid("R1"),
            TransactionKind::Return,
            date(2026, 1, 20),
            account("ACME"),
            usd("-4000.00"),
        )
        .with_original(tid("S1")),
        sale("S2", date(2026, 2, 1), "20000.00", &[("r1", "100%")]),
    ];
    let quotas = salesplan::comp::Quotas::new();
    let last_year = year_of(2025, &component, &txs, &quotas, &[], date(2025, 12, 31)).unwrap();
    assert_eq!(last_year[3].total.to_string(), "1000.00 USD");
    let s = year_of(
        2026,
        &component,
        &txs,
        &quotas,
        &last_year,
        date(2026, 3, 31),
    )
    .unwrap();
    let amounts: Vec<String> = s[0].lines().iter().map(|l| l.amount.to_string()).collect();
    assert_eq!(amounts, ["1000.00 USD", "-400.00 USD"], "{}", s[0]);
}

/// Found in review (issue #27): a deal that arrived after its quarter was
/// locked is paid by an adjustment in a later quarter; its quarter's
/// earned line does not count it, so that line's rate says nothing about
/// it. A return of it the next year is an error naming it, not a guess.
#[test]
fn a_return_of_a_deal_paid_by_an_adjustment_last_year_asks_for_its_rate() {
    let component = Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Quarter,
        RateTable::Flat(pct("10%")),
    );
    let quotas = salesplan::comp::Quotas::new();
    let on_time = vec![sale("S1", date(2025, 7, 10), "5000.00", &[("r1", "100%")])];
    let q1_to_q3 = year_of(2025, &component, &on_time, &quotas, &[], date(2025, 9, 30)).unwrap();
    let mut txs = on_time.clone();
    txs.push(sale("S2", date(2025, 8, 10), "3000.00", &[("r1", "100%")]));
    txs.push(
        Transaction::new(
            tid("R2"),
            TransactionKind::Return,
            date(2026, 1, 20),
            account("ACME"),
            usd("-3000.00"),
        )
        .with_original(tid("S2")),
    );
    let last_year = year_of(
        2025,
        &component,
        &txs,
        &quotas,
        &q1_to_q3,
        date(2025, 12, 31),
    )
    .unwrap();
    assert!(
        matches!(
            last_year[3].lines()[1].explanation,
            Explanation::Adjustment(_)
        ),
        "{}",
        last_year[3]
    );
    let err = year_of(
        2026,
        &component,
        &txs,
        &quotas,
        &last_year,
        date(2026, 3, 31),
    )
    .unwrap_err();
    let CompError::PriorPayUnknown(missing) = &err else {
        panic!("{err:?}")
    };
    assert_eq!((&missing.sale, missing.period), (&tid("S2"), quarter(3)));
}

/// Found in review (issue #27): year to date, what a quarter of net
/// returns held back waited for a later quarter that sold; when the
/// year's last quarter had net returns too, it was never paid. The last
/// quarter now trues the year up: the year pays 10% of what it sold net.
#[test]
fn what_year_to_date_held_back_is_paid_at_the_years_end() {
    let component = Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Quarter,
        RateTable::Flat(pct("10%")),
    )
    .accumulate(Accumulation::YearToDate)
    .cap(Cap::Attainment(rate("150%")));
    let q3 = Transaction::new(
        tid("N3"),
        TransactionKind::CreditNote,
        d(8, 15),
        account("ACME"),
        usd("-100"),
    )
    .with_owner(pos("r1"));
    let txs = [
        sale("S1", d(1, 10), "60000", &[("r1", "100%")]),
        q3,
        note(11, "-100"),
    ];
    let plan = crate::support::comp::plan(vec![component]);
    let s = crate::support::comp::statements(
        &plan,
        &txs,
        &crate::support::comp::quarterly("10000"),
        &[],
        d(12, 31),
    )
    .unwrap();
    assert_eq!(
        crate::support::comp::totals(&s),
        ["1500.00", "1500.00", "0.00", "2980.00"]
    );
    assert!(
        s[2].to_string().contains("held for a later period"),
        "{}",
        s[2]
    );
    assert!(!s[3].to_string().contains("held"), "{}", s[3]);
    assert!(s.iter().all(crate::support::comp::parts_add_up));
}

/// Found in review (issue #27): a component that qualifies deals counted
/// a credited deal missing from the [`Deals`](salesplan::comp::Deals) as
/// one that does not qualify (its pay silently dropped). It is now the
/// error naming the deal.
#[test]
fn a_credited_deal_missing_from_the_deals_is_an_error() {
    let component = Component::new(
        "Widgets",
        CreditBasis::Revenue,
        CompPeriod::Quarter,
        RateTable::Flat(pct("10%")),
    )
    .qualifies(vec![salesplan::comp::Qualifier::Product(
        salesplan::ProductId::new("widget").unwrap(),
    )]);
    let txs = [
        sale("S1", d(1, 10), "1000", &[("r1", "100%")])
            .with_product(salesplan::ProductId::new("widget").unwrap()),
        sale("S2", d(2, 10), "1000", &[("r1", "100%")]),
    ];
    let plan = crate::support::comp::plan(vec![component]);
    let run = crate::support::comp::run(CreditBasis::Revenue, &txs);
    let only_first = salesplan::comp::Deals::new(&txs[..1]);
    let err = Commissions::new(&plan, &[&run])
        .unwrap()
        .with_deals(&only_first)
        .unwrap()
        .statements(&ana(), &salesplan::comp::Quotas::new(), &[], d(3, 31))
        .unwrap_err();
    assert!(
        matches!(&err, CompError::UnknownDeal { component, sale } if component == "Widgets" && sale == &tid("S2")),
        "{err:?}"
    );
    // With every deal given, S2 simply does not qualify.
    let all = salesplan::comp::Deals::new(&txs);
    let s = Commissions::new(&plan, &[&run])
        .unwrap()
        .with_deals(&all)
        .unwrap()
        .statements(&ana(), &salesplan::comp::Quotas::new(), &[], d(3, 31))
        .unwrap();
    assert_eq!(s[0].total.to_string(), "100.00 USD");
}

/// Found in review (issue #27): a credit line of 10.500 USD (a trailing
/// zero, as some exports write money) was refused as more precise than
/// cents. Only digits that are not zero are precision.
#[test]
fn trailing_zeros_are_not_precision() {
    use salesplan::credit::{CreditLine, CreditRule, CreditRun};
    let line = |amount: &str| {
        CreditLine::new(
            pos("r1"),
            tid("S1"),
            CreditRule::Owner {
                share: "100%".parse().unwrap(),
            },
            amount.parse().unwrap(),
            d(3, 14),
        )
        .with_person(ana())
    };
    let run =
        CreditRun::from_lines(CreditBasis::Revenue, Currency::USD, vec![line("10.500")]).unwrap();
    assert_eq!(run.lines()[0].amount().to_string(), "10.50");
    let err = CreditRun::from_lines(CreditBasis::Revenue, Currency::USD, vec![line("10.505")])
        .unwrap_err();
    assert!(matches!(err, CreditError::Precision { .. }), "{err:?}");
}
