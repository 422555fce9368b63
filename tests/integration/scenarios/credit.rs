//! Worked crediting examples: splits, units, credit notes, a rep who
//! changes managers mid-quarter, payment timing, overlays, territories,
//! deal counts.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use salesplan::Execution;
use salesplan::calendar::DateRange;
use salesplan::credit::{
    CreditBasis, CreditKind, CreditPlan, CreditRule, CreditTiming, CreditTotals, Crediting,
    DirectSource, OverlayRule, OverlayScope, RollUpLines, Transaction, TransactionKind,
};
use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
use salesplan::territory::CoverageKind;
use salesplan::{Currency, Period, ProductGroupId};

use crate::common::{date, dec};
use crate::support::credit::{Table, account, refund, region, sale, tid, usd};
use crate::support::{always, person, pos, range};

fn revenue() -> CreditPlan {
    CreditPlan::new(CreditBasis::Revenue, Currency::USD)
}

/// Sum of lines per (position, kind), as text.
fn by_position(run: &salesplan::credit::CreditRun) -> BTreeMap<(String, CreditKind), Decimal> {
    let mut out = BTreeMap::new();
    for l in run.lines() {
        *out.entry((l.position().to_string(), l.kind()))
            .or_insert(Decimal::ZERO) += l.amount();
    }
    out
}

fn q1() -> Period {
    Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap()
}

#[test]
fn splits_are_exact_and_sum_to_the_deal() {
    // (amount, owners with shares, expected amounts in owner order)
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [&'a str]);
    let table: [Case; 4] = [
        (
            "100000.00",
            &[("r1", "70%"), ("r2", "30%")],
            &["70000.00", "30000.00"],
        ),
        (
            "100.00",
            &[("r1", "33.33%"), ("r2", "33.33%"), ("r4", "33.34%")],
            &["33.33", "33.33", "33.34"],
        ),
        ("0.01", &[("r1", "50%"), ("r2", "50%")], &["0.01", "0"]),
        (
            "1000.00",
            &[
                ("r1", "72.68%"),
                ("r2", "10.93%"),
                ("r3", "2.73%"),
                ("r4", "13.66%"),
            ],
            &["726.80", "109.30", "27.30", "136.60"],
        ),
    ];
    let org = region();
    let plan = revenue();
    for (amount, owners, expected) in table {
        let deal = sale("SO-1", date(2025, 3, 1), amount, owners);
        let run = Crediting::new(&org, &plan).run(&[deal]).unwrap();
        let got: BTreeMap<String, Decimal> = run
            .lines()
            .iter()
            .map(|l| (l.position().to_string(), l.amount()))
            .collect();
        let mut total = Decimal::ZERO;
        for ((p, _), want) in owners.iter().zip(expected) {
            let credited = got.get(*p).copied().unwrap_or(Decimal::ZERO);
            assert_eq!(credited, dec(want), "{amount}: {p}");
            total += credited;
        }
        assert_eq!(total, dec(amount), "{amount}: lines sum to the deal");
    }
}

#[test]
fn units_follow_the_shares() {
    // A rep with 100% of a 5-unit order and 50% of a 10-unit order is
    // credited 10 units.
    let org = region();
    let plan = CreditPlan::new(CreditBasis::Units, Currency::USD);
    let feed = [
        sale("SO-1", date(2025, 1, 10), "500.00", &[("r1", "100%")]).with_units(dec("5")),
        sale(
            "SO-2",
            date(2025, 1, 20),
            "900.00",
            &[("r1", "50%"), ("r2", "50%")],
        )
        .with_units(dec("10")),
    ];
    let run = Crediting::new(&org, &plan).run(&feed).unwrap();
    let totals = by_position(&run);
    assert_eq!(totals[&("r1".to_owned(), CreditKind::Direct)], dec("10"));
    assert_eq!(totals[&("r2".to_owned(), CreditKind::Direct)], dec("5"));
}

#[test]
fn credit_notes_lower_the_base() {
    // Invoices of 1,000 with credit notes of 200 give a base of 800, under
    // every timing that credits invoices.
    let org = region();
    let inv = |id: &str, day| {
        Transaction::new(
            tid(id),
            TransactionKind::Invoice,
            day,
            account("ACME"),
            usd("1000.00"),
        )
        .with_owner(pos("r1"))
        .with_invoiced(day)
    };
    let feed = [
        inv("INV-1", date(2025, 1, 5)),
        refund("CN-1", date(2025, 2, 1), "-200.00", "INV-1"),
    ];
    for timing in [CreditTiming::Booking, CreditTiming::Invoice] {
        let plan = revenue().timing(timing);
        let run = Crediting::new(&org, &plan).run(&feed).unwrap();
        let base: Decimal = run.lines().iter().map(|l| l.amount()).sum();
        assert_eq!(base, dec("800.00"), "{timing:?}");
        // The credit note credits r1 negatively, in its own period.
        let cn: Vec<_> = run
            .lines()
            .iter()
            .filter(|l| l.transaction() == &tid("CN-1"))
            .collect();
        assert_eq!(cn.len(), 1);
        assert_eq!(
            (cn[0].amount(), cn[0].date(), cn[0].sale()),
            (dec("-200.00"), date(2025, 2, 1), &tid("INV-1"))
        );
    }
}

#[test]
fn a_rep_who_changes_managers_credits_each_only_for_their_days() {
    // r3 (noah) reports to lead-a until 15 February, then to lead-b; lead-b
    // was held by bea until then, by carl after.
    let org = region();
    let feed = [
        sale("SO-JAN", date(2025, 1, 20), "1000.00", &[("r3", "100%")]),
        sale("SO-MAR", date(2025, 3, 3), "3000.00", &[("r3", "100%")]),
        // A return in March of the January deal still belongs to lead-a.
        refund("CN-JAN", date(2025, 3, 10), "-100.00", "SO-JAN"),
    ];
    let plan = revenue().roll_up(RollUpLines::Lines);
    let crediting = Crediting::new(&org, &plan);
    let run = crediting.run(&feed).unwrap();
    let roll = by_position(&run);
    // (position, expected roll-up)
    let table = [
        ("lead-a", "900.00"),
        ("lead-b", "3000.00"),
        ("rsm", "3900.00"),
    ];
    for (p, want) in table {
        assert_eq!(roll[&(p.to_owned(), CreditKind::RollUp)], dec(want), "{p}");
    }
    let totals = crediting.totals(&feed, &[q1()]).unwrap();
    for (p, want) in table {
        assert_eq!(
            totals.position(&pos(p), 0).unwrap().roll_up(),
            dec(want),
            "{p} (totals)"
        );
    }
    // People: bea had no deal of her days, carl had the March one.
    let table = [
        ("ali", "900.00"),
        ("bea", "0"),
        ("carl", "3000.00"),
        ("maria", "3900.00"),
    ];
    for (who, want) in table {
        assert_eq!(
            totals.person(&person(who), 0).unwrap().roll_up(),
            dec(want),
            "{who}"
        );
    }
    assert_eq!(
        totals.person(&person("noah"), 0).unwrap().direct(),
        dec("3900.00")
    );
    // The same totals from the lines.
    let from_lines = CreditTotals::from_run(&org, &run, &[q1()]).unwrap();
    for p in ["rsm", "lead-a", "lead-b", "r3"] {
        assert_eq!(
            from_lines.position(&pos(p), 0),
            totals.position(&pos(p), 0),
            "{p}"
        );
    }
    // Roll-up lines name the line they come from.
    let l = run
        .lines()
        .iter()
        .find(|l| l.kind() == CreditKind::RollUp && l.position() == &pos("lead-b"))
        .unwrap();
    assert_eq!(l.rule(), &CreditRule::RollUp { from: pos("r3") });
    assert_eq!(l.person(), Some(&person("carl")));
}

#[test]
fn payment_timing_credits_cash_as_it_comes() {
    // 500 paid on a 1,000 invoice credits 500 now, the rest when paid.
    let org = region();
    let invoice = Transaction::new(
        tid("INV-9"),
        TransactionKind::Invoice,
        date(2025, 1, 10),
        account("ACME"),
        usd("1000.00"),
    )
    .with_owners(vec![
        salesplan::credit::Owner::new(pos("r1"), "50%".parse().unwrap()),
        salesplan::credit::Owner::new(pos("r2"), "50%".parse().unwrap()),
    ])
    .with_paid(date(2025, 4, 2));
    let payment = Transaction::new(
        tid("PAY-1"),
        TransactionKind::Payment,
        date(2025, 2, 1),
        account("ACME"),
        usd("500.00"),
    )
    .with_original(tid("INV-9"));
    let plan = revenue().timing(CreditTiming::Payment);
    let run = Crediting::new(&org, &plan)
        .run(&[invoice.clone(), payment.clone()])
        .unwrap();
    // (date, transaction, position, amount)
    let got: Vec<_> = run
        .lines()
        .iter()
        .map(|l| {
            (
                l.date(),
                l.transaction().to_string(),
                l.position().to_string(),
                l.amount(),
            )
        })
        .collect();
    let want = vec![
        (
            date(2025, 2, 1),
            "PAY-1".to_owned(),
            "r1".to_owned(),
            dec("250.00"),
        ),
        (
            date(2025, 2, 1),
            "PAY-1".to_owned(),
            "r2".to_owned(),
            dec("250.00"),
        ),
        (
            date(2025, 4, 2),
            "INV-9".to_owned(),
            "r1".to_owned(),
            dec("250.00"),
        ),
        (
            date(2025, 4, 2),
            "INV-9".to_owned(),
            "r2".to_owned(),
            dec("250.00"),
        ),
    ];
    assert_eq!(got, want);
    assert!(run.pending().is_empty());
    // Without the paid date, half is still pending.
    let unpaid = Transaction::new(
        invoice.id().clone(),
        invoice.kind(),
        invoice.booked(),
        invoice.account().clone(),
        invoice.amount(),
    )
    .with_owners(invoice.owners().to_vec());
    let run = Crediting::new(&org, &plan)
        .run(&[unpaid.clone(), payment.clone()])
        .unwrap();
    assert_eq!(run.pending(), &[tid("INV-9")]);
    assert_eq!(
        run.lines().iter().map(|l| l.amount()).sum::<Decimal>(),
        dec("500.00")
    );
    // A refund of the whole payment takes what was paid back to zero,
    // which is allowed, and takes the credit back with it.
    let refund = Transaction::new(
        tid("PAY-2"),
        TransactionKind::Payment,
        date(2025, 3, 1),
        account("ACME"),
        usd("-500.00"),
    )
    .with_original(tid("INV-9"));
    let run = Crediting::new(&org, &plan)
        .run(&[unpaid, payment, refund])
        .unwrap();
    let march: Vec<_> = run
        .lines()
        .iter()
        .filter(|l| l.date() == date(2025, 3, 1))
        .map(|l| (l.position().to_string(), l.amount()))
        .collect();
    assert_eq!(
        march,
        [
            ("r1".to_owned(), dec("-250.00")),
            ("r2".to_owned(), dec("-250.00"))
        ]
    );
    assert_eq!(
        run.lines().iter().map(|l| l.amount()).sum::<Decimal>(),
        Decimal::ZERO
    );
}

#[test]
fn a_return_without_an_original_is_credited_on_its_own() {
    // A credit note naming no sale is the only transaction credited with a
    // negative amount of its own (and the only one whose credit is a
    // proportion of a negative whole: nothing can name it as an original,
    // so it is always credited in full). Its date follows the timing.
    let org = region();
    let note = Transaction::new(
        tid("CN-LONE"),
        TransactionKind::CreditNote,
        date(2025, 2, 1),
        account("ACME"),
        usd("-300.00"),
    )
    .with_owners(vec![
        salesplan::credit::Owner::new(pos("r1"), "60%".parse().unwrap()),
        salesplan::credit::Owner::new(pos("r2"), "40%".parse().unwrap()),
    ])
    .with_invoiced(date(2025, 2, 5))
    .with_paid(date(2025, 2, 10));
    let cases = [
        (CreditTiming::Booking, date(2025, 2, 1)),
        (CreditTiming::Invoice, date(2025, 2, 5)),
        (CreditTiming::Payment, date(2025, 2, 10)),
    ];
    for (timing, day) in cases {
        let run = Crediting::new(&org, &revenue().timing(timing))
            .run(std::slice::from_ref(&note))
            .unwrap();
        let got: Vec<_> = run
            .lines()
            .iter()
            .map(|l| (l.date(), l.position().to_string(), l.amount()))
            .collect();
        let want = vec![
            (day, "r1".to_owned(), dec("-180.00")),
            (day, "r2".to_owned(), dec("-120.00")),
        ];
        assert_eq!(got, want, "{timing:?}");
        assert!(run.pending().is_empty(), "{timing:?}");
    }
}

#[test]
fn invoice_timing_waits_for_the_invoice() {
    let org = region();
    let plan = revenue().timing(CreditTiming::Invoice);
    let feed = [
        sale("SO-1", date(2025, 1, 10), "100.00", &[("r1", "100%")])
            .with_invoiced(date(2025, 2, 3)),
        sale("SO-2", date(2025, 1, 11), "100.00", &[("r1", "100%")]),
    ];
    let run = Crediting::new(&org, &plan).run(&feed).unwrap();
    assert_eq!(run.lines().len(), 1);
    assert_eq!(run.lines()[0].date(), date(2025, 2, 3));
    assert_eq!(run.lines()[0].as_of(), date(2025, 1, 10));
    assert_eq!(run.pending(), &[tid("SO-2")]);
}

#[test]
fn overlays_come_on_top_of_direct_credit() {
    let org = region();
    let cloud = ProductGroupId::new("cloud").unwrap();
    let plan = revenue().overlay(OverlayRule::new(
        pos("spec"),
        "10%".parse().unwrap(),
        OverlayScope::ProductGroup(cloud.clone()),
        always(),
    ));
    let feed = [
        sale("SO-1", date(2025, 1, 10), "1000.05", &[("r1", "100%")]).with_product_group(cloud),
        sale("SO-2", date(2025, 1, 11), "500.00", &[("r2", "100%")]),
    ];
    let run = Crediting::new(&org, &plan).run(&feed).unwrap();
    let overlays: Vec<_> = run
        .lines()
        .iter()
        .filter(|l| l.kind() == CreditKind::Overlay)
        .collect();
    assert_eq!(overlays.len(), 1);
    // 10% of 1000.05 is 100.005: half away from zero.
    assert_eq!(overlays[0].amount(), dec("100.01"));
    assert_eq!(overlays[0].person(), Some(&person("sia")));
    assert_eq!(
        overlays[0].rule(),
        &CreditRule::Overlay {
            rule: 0,
            share: "10%".parse().unwrap()
        }
    );
    // Direct credit is untouched.
    let direct: Decimal = run
        .lines()
        .iter()
        .filter(|l| l.kind() == CreditKind::Direct)
        .map(|l| l.amount())
        .sum();
    assert_eq!(direct, dec("1500.05"));
    // A full return takes the overlay back too.
    let mut feed = feed.to_vec();
    feed.push(refund("CN-1", date(2025, 2, 1), "-1000.05", "SO-1"));
    let run = Crediting::new(&org, &plan).run(&feed).unwrap();
    let spec: Decimal = run
        .lines()
        .iter()
        .filter(|l| l.position() == &pos("spec"))
        .map(|l| l.amount())
        .sum();
    assert_eq!(spec, Decimal::ZERO);
}

#[test]
fn territory_credit_uses_coverage_on_the_deal_date() {
    let org = region();
    let coverage = Table::default().with(
        "ACME",
        &[
            ("r1", CoverageKind::Primary, "60%"),
            ("r4", CoverageKind::Primary, "40%"),
            ("spec", CoverageKind::Overlay, "5%"),
        ],
    );
    let plan = revenue().direct(DirectSource::Territory);
    let deal = Transaction::new(
        tid("SO-T"),
        TransactionKind::Order,
        date(2025, 1, 15),
        account("ACME"),
        usd("2000.00"),
    );
    let run = Crediting::new(&org, &plan)
        .with_coverage(&coverage)
        .run(std::slice::from_ref(&deal))
        .unwrap();
    let got = by_position(&run);
    let table = [
        ("r1", CreditKind::Direct, "1200.00"),
        ("r4", CreditKind::Direct, "800.00"),
        ("spec", CreditKind::Overlay, "100.00"),
    ];
    for (p, kind, want) in table {
        assert_eq!(got[&(p.to_owned(), kind)], dec(want), "{p}");
    }
    // Owners named on the deal win under OwnersElseTerritory; the
    // territory's overlay still applies.
    let plan = revenue().direct(DirectSource::OwnersElseTerritory);
    let owned = deal.with_owner(pos("r2"));
    let run = Crediting::new(&org, &plan)
        .with_coverage(&coverage)
        .run(&[owned])
        .unwrap();
    let got = by_position(&run);
    assert_eq!(got.len(), 2);
    assert_eq!(got[&("r2".to_owned(), CreditKind::Direct)], dec("2000.00"));
    assert_eq!(
        got[&("spec".to_owned(), CreditKind::Overlay)],
        dec("100.00")
    );
}

#[test]
fn deal_counts_drop_only_when_a_deal_is_fully_returned() {
    let org = region();
    let plan = CreditPlan::new(CreditBasis::DealCount, Currency::USD);
    let feed = [
        sale("SO-1", date(2025, 1, 10), "100.00", &[("r1", "100%")]),
        sale(
            "SO-2",
            date(2025, 1, 11),
            "100.00",
            &[("r1", "50%"), ("r2", "50%")],
        ),
        sale("SO-3", date(2025, 1, 12), "100.00", &[("r1", "100%")]),
        refund("CN-2", date(2025, 2, 1), "-40.00", "SO-2"),
        refund("CN-3a", date(2025, 2, 1), "-40.00", "SO-3"),
        refund("CN-3b", date(2025, 2, 2), "-60.00", "SO-3"),
    ];
    let run = Crediting::new(&org, &plan).run(&feed).unwrap();
    let got = by_position(&run);
    assert_eq!(got[&("r1".to_owned(), CreditKind::Direct)], dec("1.5"));
    assert_eq!(got[&("r2".to_owned(), CreditKind::Direct)], dec("0.5"));
}

#[test]
fn margin_of_a_partial_return_is_proportional() {
    let org = region();
    let plan = CreditPlan::new(CreditBasis::Margin, Currency::USD);
    let feed = [
        sale("SO-1", date(2025, 1, 10), "300.00", &[("r1", "100%")]).with_margin(usd("100.00")),
        refund("CN-1", date(2025, 2, 1), "-100.00", "SO-1"),
        refund("CN-2", date(2025, 2, 2), "-100.00", "SO-1"),
        refund("CN-3", date(2025, 2, 3), "-100.00", "SO-1"),
    ];
    let run = Crediting::new(&org, &plan).run(&feed).unwrap();
    let amounts: Vec<Decimal> = run.lines().iter().map(|l| l.amount()).collect();
    // 100 × 1/3 = 33.33, × 2/3 = 66.67, × 3/3 = 100: the returns take
    // 33.33, 33.34 and 33.33, netting to zero.
    assert_eq!(
        amounts,
        [dec("100.00"), dec("-33.33"), dec("-33.34"), dec("-33.33")]
    );
}

#[test]
fn a_vacant_seat_keeps_its_credit() {
    let org = region();
    let run = Crediting::new(&org, &revenue())
        .run(&[sale("SO-1", date(2025, 1, 10), "10.00", &[("r5", "100%")])])
        .unwrap();
    assert_eq!(run.lines()[0].person(), None);
    assert_eq!(run.lines()[0].position(), &pos("r5"));
}

#[test]
fn totals_are_per_period() {
    let org = region();
    let feed = [
        sale("SO-1", date(2025, 1, 10), "10.00", &[("r1", "100%")]),
        sale("SO-2", date(2025, 2, 10), "20.00", &[("r1", "100%")]),
        sale("SO-3", date(2025, 5, 10), "40.00", &[("r1", "100%")]),
    ];
    let months: Vec<Period> = (1..=3).map(|m| Period::month(2025, m).unwrap()).collect();
    let totals = Crediting::new(&org, &revenue())
        .totals(&feed, &months)
        .unwrap();
    let got: Vec<Decimal> = (0..3)
        .map(|p| totals.position(&pos("r1"), p).unwrap().direct())
        .collect();
    assert_eq!(got, [dec("10.00"), dec("20.00"), dec("0")]);
    assert_eq!(
        totals.position(&pos("rsm"), 1).unwrap().roll_up(),
        dec("20.00")
    );
    assert!(totals.position(&pos("r1"), 3).is_none());
    assert!(totals.position(&pos("nobody"), 0).is_none());
}

#[test]
fn a_range_limited_overlay_only_credits_inside_it() {
    let org = region();
    let plan = revenue().overlay(OverlayRule::new(
        pos("spec"),
        "5%".parse().unwrap(),
        OverlayScope::Account(account("ACME")),
        DateRange::new(date(2025, 2, 1), Some(date(2025, 3, 1))).unwrap(),
    ));
    let feed = [
        sale("SO-1", date(2025, 1, 31), "100.00", &[("r1", "100%")]),
        sale("SO-2", date(2025, 2, 1), "100.00", &[("r1", "100%")]),
        sale("SO-3", date(2025, 3, 1), "100.00", &[("r1", "100%")]),
    ];
    let run = Crediting::new(&org, &plan).run(&feed).unwrap();
    let spec: Vec<_> = run
        .lines()
        .iter()
        .filter(|l| l.kind() == CreditKind::Overlay)
        .map(|l| l.sale().to_string())
        .collect();
    assert_eq!(spec, ["SO-2"]);
}

#[test]
fn a_deal_counts_once_paid_net_of_its_returns() {
    // Payment timing, deal count: an invoice of 1,000 with 200 returned
    // counts as a deal once 800 is paid, and is no longer pending.
    let org = region();
    let invoice = sale("INV-1", date(2025, 1, 10), "1000.00", &[("r1", "100%")]);
    let payment = |id: &str, day: u32, amount: &str| {
        Transaction::new(
            tid(id),
            TransactionKind::Payment,
            date(2025, 2, day),
            account("ACME"),
            usd(amount),
        )
        .with_original(tid("INV-1"))
    };
    let plan = CreditPlan::new(CreditBasis::DealCount, Currency::USD).timing(CreditTiming::Payment);
    let direct = |feed: &[Transaction]| {
        let run = Crediting::new(&org, &plan).run(feed).unwrap();
        let counted: Decimal = run
            .lines()
            .iter()
            .filter(|l| l.kind() == CreditKind::Direct)
            .map(|l| l.amount())
            .sum();
        (counted, run.pending().len())
    };
    let ret = refund("CN-1", date(2025, 1, 20), "-200.00", "INV-1");
    let half = [invoice.clone(), ret.clone(), payment("PAY-1", 1, "400.00")];
    assert_eq!(direct(&half), (dec("0"), 1));
    let paid = [
        invoice.clone(),
        ret,
        payment("PAY-1", 1, "400.00"),
        payment("PAY-2", 3, "400.00"),
    ];
    assert_eq!(direct(&paid), (dec("1"), 0));
}

#[test]
fn an_overlay_on_a_product_credits_only_that_product() {
    use salesplan::ProductId;
    let org = region();
    let analyzer = ProductId::new("analyzer").unwrap();
    let plan = revenue().overlay(OverlayRule::new(
        pos("spec"),
        "10%".parse().unwrap(),
        OverlayScope::Product(analyzer.clone()),
        always(),
    ));
    let feed = [
        sale("SO-1", date(2025, 1, 10), "1000.00", &[("r1", "100%")]).with_product(analyzer),
        sale("SO-2", date(2025, 1, 11), "500.00", &[("r2", "100%")])
            .with_product(ProductId::new("pipette").unwrap()),
        sale("SO-3", date(2025, 1, 12), "300.00", &[("r2", "100%")]),
    ];
    let run = Crediting::new(&org, &plan).run(&feed).unwrap();
    let overlays: Vec<(String, Decimal)> = run
        .lines()
        .iter()
        .filter(|l| l.kind() == CreditKind::Overlay)
        .map(|l| (l.transaction().to_string(), l.amount()))
        .collect();
    assert_eq!(overlays, [("SO-1".to_string(), dec("100.00"))]);
}

#[test]
fn amounts_beyond_64_bits_credit_exactly() {
    // The feed keeps amounts in 64 bits and the rest aside: a sale of
    // 10^21 dollars, half returned, and a return of exactly -2^63 cents
    // (the 64-bit marker itself) against a sale of 2^63 cents.
    let org = region();
    let plan = revenue();
    let feed = [
        sale(
            "BIG",
            date(2025, 1, 10),
            "1000000000000000000000.00",
            &[("r1", "100%")],
        ),
        refund(
            "BIG-CN",
            date(2025, 2, 1),
            "-500000000000000000000.00",
            "BIG",
        ),
        sale(
            "EDGE",
            date(2025, 1, 11),
            "92233720368547758.08",
            &[("r2", "100%")],
        ),
        refund("EDGE-CN", date(2025, 3, 1), "-92233720368547758.08", "EDGE"),
        sale(
            "SMALL",
            date(2025, 1, 12),
            "1.00",
            &[("r1", "60%"), ("r2", "40%")],
        ),
    ];
    let run = Crediting::new(&org, &plan).run(&feed).unwrap();
    let lines = by_position(&run);
    assert_eq!(
        lines[&("r1".to_owned(), CreditKind::Direct)],
        dec("500000000000000000000.60")
    );
    assert_eq!(lines[&("r2".to_owned(), CreditKind::Direct)], dec("0.40"));
    for execution in [Execution::Sequential, Execution::Parallel] {
        let crediting = Crediting::new(&org, &plan).execution(execution);
        let totals = crediting.totals(&feed, &[q1()]).unwrap();
        let lead = totals.position(&pos("lead-a"), 0).unwrap();
        assert_eq!(
            lead.roll_up(),
            dec("500000000000000000001.00"),
            "{execution:?}"
        );
        let r2 = totals.position(&pos("r2"), 0).unwrap();
        assert_eq!(r2.direct(), dec("0.40"), "{execution:?}");
    }
}

/// A region of 3,000 reps under ten managers (three blocks of positions,
/// so that with `parallel` each half of the blocks is added on its own
/// thread): some reps change managers on 15 February and one manager
/// changes holder then (other shapes of the org), some seats change
/// holder on 1 February, some are vacant, and most of p0..p99 move on
/// 1 February from a seat in the first block to one in the last (their
/// totals gathered from both threads).
fn large_region() -> (Org, Vec<String>) {
    let before = range(date(2025, 1, 1), date(2025, 2, 15));
    let after = DateRange::starting(date(2025, 2, 15));
    let mut b = Org::builder()
        .position(Position::new(pos("vp"), Role::RegionalManager))
        .line(ReportingLine::top(pos("vp"), always()))
        .assignment(Assignment::new(person("vera"), pos("vp"), always()));
    for m in 0..10 {
        let id = format!("m{m}");
        b = b
            .position(Position::new(pos(&id), Role::TeamLead))
            .line(ReportingLine::new(pos(&id), pos("vp"), always()));
        b = if m == 3 {
            b.assignment(Assignment::new(person("pm3"), pos(&id), before))
                .assignment(Assignment::new(person("pm3b"), pos(&id), after))
        } else {
            b.assignment(Assignment::new(
                person(&format!("pm{m}")),
                pos(&id),
                always(),
            ))
        };
    }
    let mut reps = Vec::new();
    for i in 0..3_000 {
        let id = format!("r{i}");
        let manager = format!("m{}", i % 10);
        b = b.position(Position::new(pos(&id), Role::SalesRep));
        b = if i % 97 == 0 {
            let next = format!("m{}", (i + 1) % 10);
            b.line(ReportingLine::new(pos(&id), pos(&manager), before))
                .line(ReportingLine::new(pos(&id), pos(&next), after))
        } else {
            b.line(ReportingLine::new(pos(&id), pos(&manager), always()))
        };
        let jan = range(date(2025, 1, 1), date(2025, 2, 1));
        let from_feb = DateRange::starting(date(2025, 2, 1));
        b = if i % 31 == 0 {
            b
        } else if i >= 2_900 {
            // p0..p99 move here from their seat in the first block.
            let holder = format!("p{}", i - 2_900);
            b.assignment(Assignment::new(person(&holder), pos(&id), from_feb))
        } else if i < 100 || i % 13 == 0 {
            b.assignment(Assignment::new(person(&format!("p{i}")), pos(&id), jan))
                .assignment(Assignment::new(
                    person(&format!("q{i}")),
                    pos(&id),
                    from_feb,
                ))
        } else {
            b.assignment(Assignment::new(
                person(&format!("p{i}")),
                pos(&id),
                always(),
            ))
        };
        reps.push(id);
    }
    (b.build().unwrap(), reps)
}

#[test]
fn totals_on_two_threads_match_one_thread_and_the_lines() {
    let (org, reps) = large_region();
    let cloud = ProductGroupId::new("cloud").unwrap();
    // Overlays in both halves: p7 holds r7 in January and r2907 from
    // February. Roll-up lines, to check the roll-up against.
    let plan = revenue()
        .roll_up(RollUpLines::Lines)
        .overlay(OverlayRule::new(
            pos("r7"),
            "10%".parse().unwrap(),
            OverlayScope::ProductGroup(cloud.clone()),
            always(),
        ))
        .overlay(OverlayRule::new(
            pos("r2907"),
            "5%".parse().unwrap(),
            OverlayScope::ProductGroup(cloud.clone()),
            always(),
        ));
    let mut rng = crate::support::generator::Rng::new(42);
    let mut feed: Vec<Transaction> = Vec::new();
    let mut days: Vec<NaiveDate> = Vec::new();
    for i in 0..9_000u64 {
        let day = date(2025, 1, 1) + chrono::Days::new(rng.range(0, 88));
        if i > 0 && rng.range(0, 20) == 0 {
            // A return of half of an earlier sale, on or after its day.
            let of = rng.range(0, i) as usize;
            let half = feed[of].amount().to_minor().unwrap() / 2;
            if feed[of].kind() == TransactionKind::Order && half > 0 {
                let on = days[of].max(day);
                let id = format!("T{i}");
                let original = feed[of].id().to_string();
                feed.push(refund(
                    &id,
                    on,
                    &format!("-{}", Decimal::new(half as i64, 2)),
                    &original,
                ));
                // Returned once at most: the sale becomes an invoice.
                let sale = feed[of].clone();
                feed[of] = Transaction::new(
                    sale.id().clone(),
                    TransactionKind::Invoice,
                    sale.booked(),
                    sale.account().clone(),
                    sale.amount(),
                )
                .with_owners(sale.owners().to_vec());
                days.push(on);
                continue;
            }
        }
        let rep = &reps[rng.range(0, reps.len() as u64) as usize];
        let cents = rng.range(1, 1_000_000);
        let amount = Decimal::new(cents as i64, 2).to_string();
        let mut tx = if rng.range(0, 10) == 0 {
            let other = &reps[rng.range(0, reps.len() as u64) as usize];
            sale(
                &format!("T{i}"),
                day,
                &amount,
                &[(rep, "60%"), (other, "40%")],
            )
        } else {
            sale(&format!("T{i}"), day, &amount, &[(rep, "100%")])
        };
        if rng.range(0, 50) == 0 {
            tx = tx.with_product_group(cloud.clone());
        }
        feed.push(tx);
        days.push(day);
    }
    let months: Vec<Period> = (1..=3)
        .map(|m| Period::new(date(2025, m, 1), date(2025, m + 1, 1)).unwrap())
        .collect();
    let run = Crediting::new(&org, &plan).run(&feed).unwrap();
    let from_run = CreditTotals::from_run(&org, &run, &months).unwrap();
    let mut people: Vec<String> = Vec::new();
    for i in 0..3_000 {
        people.push(format!("p{i}"));
        people.push(format!("q{i}"));
    }
    people.extend(["vera", "pm3", "pm3b"].map(String::from));
    people.extend((0..10).map(|m| format!("pm{m}")));
    let positions: Vec<String> = reps
        .iter()
        .cloned()
        .chain((0..10).map(|m| format!("m{m}")))
        .chain(["vp".to_owned()])
        .collect();
    for execution in [Execution::Sequential, Execution::Parallel] {
        let totals = Crediting::new(&org, &plan)
            .execution(execution)
            .totals(&feed, &months)
            .unwrap();
        for period in 0..months.len() {
            for p in &positions {
                assert_eq!(
                    totals.position(&pos(p), period),
                    from_run.position(&pos(p), period),
                    "{execution:?}: position {p}, period {period}"
                );
            }
            for p in &people {
                assert_eq!(
                    totals.person(&person(p), period),
                    from_run.person(&person(p), period),
                    "{execution:?}: person {p}, period {period}"
                );
            }
        }
    }
    // The roll-up totals are the run's roll-up lines, period by period.
    let mut lines: BTreeMap<(String, usize), Decimal> = BTreeMap::new();
    for line in run
        .lines()
        .iter()
        .filter(|l| l.kind() == CreditKind::RollUp)
    {
        if let Some(p) = months.iter().position(|m| m.contains(line.date())) {
            *lines.entry((line.position().to_string(), p)).or_default() += line.amount();
        }
    }
    assert!(lines.len() > 30);
    for p in &positions {
        for period in 0..months.len() {
            let expected = lines.get(&(p.clone(), period)).copied().unwrap_or_default();
            let total = from_run.position(&pos(p), period).unwrap().roll_up();
            assert_eq!(total, expected, "roll-up of {p}, period {period}");
        }
    }
    let spec = from_run.person(&person("p7"), 1).unwrap().overlay();
    assert!(spec > Decimal::ZERO, "p7's overlay from the second half");

    // A sale on a seat of the last block before the org begins: the fast
    // way gives up on both threads, and the error is the run's.
    let mut faulty = feed.clone();
    faulty.insert(
        4_500,
        sale("EARLY", date(2024, 12, 20), "10.00", &[("r2950", "100%")]),
    );
    let error = Crediting::new(&org, &plan).run(&faulty).unwrap_err();
    for execution in [Execution::Sequential, Execution::Parallel] {
        let totals = Crediting::new(&org, &plan)
            .execution(execution)
            .totals(&faulty, &months);
        assert_eq!(totals.unwrap_err(), error, "{execution:?}");
    }
}
