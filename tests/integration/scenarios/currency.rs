//! Worked examples: a EUR deal credited under a USD plan, by rate date.
//!
//! Rates EUR->USD: 1.0400 from 1 January, 1.0850 from 1 February, 1.1000
//! from 1 March. The deal: 10,000.05 EUR booked 20 January, invoiced 10
//! February, paid 5 March, split 70/30 between r1 and r2, with a return
//! of 2,500.00 EUR booked 15 March.

use rust_decimal::Decimal;
use salesplan::credit::{
    CreditBasis, CreditKind, CreditPlan, CreditTiming, Crediting, Owner, RateDate, Transaction,
    TransactionKind,
};
use salesplan::money::{RateTable, RoundingPolicy};
use salesplan::{Currency, Money};

use crate::common::date;
use crate::support::credit::{account, region, tid};
use crate::support::pos;

fn rates() -> RateTable {
    RateTable::new()
        .with(
            Currency::EUR,
            Currency::USD,
            date(2025, 1, 1),
            Decimal::new(10400, 4),
        )
        .unwrap()
        .with(
            Currency::EUR,
            Currency::USD,
            date(2025, 2, 1),
            Decimal::new(10850, 4),
        )
        .unwrap()
        .with(
            Currency::EUR,
            Currency::USD,
            date(2025, 3, 1),
            Decimal::new(11000, 4),
        )
        .unwrap()
}

fn deal(invoiced: bool, paid: bool) -> Vec<Transaction> {
    let mut sale = Transaction::new(
        tid("SO-1"),
        TransactionKind::Order,
        date(2025, 1, 20),
        account("ACME"),
        Money::parse("10000.05", Currency::EUR).unwrap(),
    )
    .with_owners(vec![
        Owner::new(pos("r1"), "70%".parse().unwrap()),
        Owner::new(pos("r2"), "30%".parse().unwrap()),
    ]);
    if invoiced {
        sale = sale.with_invoiced(date(2025, 2, 10));
    }
    if paid {
        sale = sale.with_paid(date(2025, 3, 5));
    }
    let ret = Transaction::new(
        tid("RT-1"),
        TransactionKind::Return,
        date(2025, 3, 15),
        account("ACME"),
        Money::parse("-2500.00", Currency::EUR).unwrap(),
    )
    .with_original(tid("SO-1"));
    vec![sale, ret]
}

/// (rate date, invoiced, paid, sale in USD, r1's line, r2's line, return
/// in USD, rate date used or `None` for pending)
type Row = (
    RateDate,
    bool,
    bool,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<chrono::NaiveDate>,
);

#[test]
fn a_eur_deal_under_a_usd_plan_by_rate_date() {
    // (rate date, invoiced, paid, sale in USD, r1's line, r2's line,
    //  return in USD, rate date used, pending)
    let table: [Row; 6] = [
        // 10,000.05 × 1.04 = 10,400.052 -> 10,400.05; 70/30 split exact.
        (
            RateDate::Booking,
            true,
            true,
            "10400.05",
            "7280.04",
            "3120.01",
            "-2600.00",
            Some(date(2025, 1, 20)),
        ),
        // × 1.085 = 10,850.05425 -> 10,850.05.
        (
            RateDate::Invoice,
            true,
            true,
            "10850.05",
            "7595.04",
            "3255.01",
            "-2712.50",
            Some(date(2025, 2, 10)),
        ),
        // × 1.10 = 11,000.055 -> 11,000.06 (half away from zero).
        (
            RateDate::Payment,
            true,
            true,
            "11000.06",
            "7700.04",
            "3300.02",
            "-2750.00",
            Some(date(2025, 3, 5)),
        ),
        // The plan rate of 1 January, whatever the deal's dates.
        (
            RateDate::Fixed(date(2025, 1, 1)),
            false,
            false,
            "10400.05",
            "7280.04",
            "3120.01",
            "-2600.00",
            Some(date(2025, 1, 1)),
        ),
        // Not invoiced yet: waits, pending, with its return.
        (RateDate::Invoice, false, false, "", "", "", "", None),
        // Not paid yet: waits, pending.
        (RateDate::Payment, true, false, "", "", "", "", None),
    ];
    let org = region();
    let rates = rates();
    for (on, invoiced, paid, sale, r1, r2, ret, rate_date) in table {
        let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD).rate_date(on);
        let run = Crediting::new(&org, &plan)
            .with_rates(&rates)
            .run(&deal(invoiced, paid))
            .unwrap();
        let Some(rate_date) = rate_date else {
            assert!(run.lines().is_empty(), "{on:?}");
            assert_eq!(run.pending(), [tid("SO-1")], "{on:?}");
            assert!(run.conversions().is_empty());
            continue;
        };
        let fx = run.conversion(&tid("SO-1")).unwrap();
        assert_eq!(fx.converted().amount().to_string(), sale, "{on:?}");
        assert_eq!(fx.rate_date, rate_date, "{on:?}");
        let lines: Vec<String> = run
            .lines()
            .iter()
            .filter(|l| l.transaction() == &tid("SO-1") && l.kind() == CreditKind::Direct)
            .map(|l| l.amount().to_string())
            .collect();
        assert_eq!(lines, [r1, r2], "{on:?}");
        // The return converts at the sale's rate, not its own day's.
        let back = run.conversion(&tid("RT-1")).unwrap();
        assert_eq!(back.rate(), fx.rate(), "{on:?}");
        assert_eq!(back.converted().amount().to_string(), ret, "{on:?}");
        assert!(back.to_string().contains("(rate of sale SO-1)"), "{back}");
    }
}

#[test]
fn conversion_rounds_once_by_the_plan_policy_and_returns_in_full_net_to_zero() {
    // 0.05 EUR × 1.0850 = 0.05425 USD: each policy rounds it once.
    let cases = [
        (RoundingPolicy::HalfAwayFromZero, "0.05"),
        (RoundingPolicy::HalfEven, "0.05"),
        (RoundingPolicy::TowardZero, "0.05"),
        (RoundingPolicy::AwayFromZero, "0.06"),
        (RoundingPolicy::Floor, "0.05"),
        (RoundingPolicy::Ceiling, "0.06"),
    ];
    let org = region();
    let rates = rates();
    for (policy, usd) in cases {
        let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD)
            .rounding(policy)
            .rate_date(RateDate::Fixed(date(2025, 2, 1)));
        let eur = |s: &str| Money::parse(s, Currency::EUR).unwrap();
        let sale = Transaction::new(
            tid("SO-9"),
            TransactionKind::Order,
            date(2025, 2, 3),
            account("ACME"),
            eur("0.05"),
        )
        .with_owner(pos("r1"));
        // Returned in five one-cent returns: each rounds on the running total.
        let mut feed = vec![sale];
        for i in 0..5 {
            feed.push(
                Transaction::new(
                    tid(&format!("RT-{i}")),
                    TransactionKind::Return,
                    date(2025, 2, 4 + i),
                    account("ACME"),
                    eur("-0.01"),
                )
                .with_original(tid("SO-9")),
            );
        }
        let run = Crediting::new(&org, &plan)
            .with_rates(&rates)
            .run(&feed)
            .unwrap();
        assert_eq!(
            run.conversion(&tid("SO-9"))
                .unwrap()
                .converted()
                .amount()
                .to_string(),
            usd,
            "{policy:?}"
        );
        let net: Decimal = run.lines().iter().map(|l| l.amount()).sum();
        assert_eq!(net, Decimal::ZERO, "{policy:?}");
    }
}

#[test]
fn payment_timing_credits_cash_at_the_sale_rate() {
    // Credit follows cash; each payment converts at the sale's rate (its
    // booking date), and the payments add up to the converted sale.
    let org = region();
    let rates = rates();
    let eur = |s: &str| Money::parse(s, Currency::EUR).unwrap();
    let sale = Transaction::new(
        tid("SO-1"),
        TransactionKind::Invoice,
        date(2025, 1, 20),
        account("ACME"),
        eur("100.01"),
    )
    .with_invoiced(date(2025, 1, 20))
    .with_owner(pos("r1"));
    let pay = |id: &str, d, a| {
        Transaction::new(
            tid(id),
            TransactionKind::Payment,
            d,
            account("ACME"),
            eur(a),
        )
        .with_original(tid("SO-1"))
    };
    let feed = [
        sale,
        pay("P-1", date(2025, 2, 2), "33.33"),
        pay("P-2", date(2025, 3, 3), "66.68"),
    ];
    let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD).timing(CreditTiming::Payment);
    let run = Crediting::new(&org, &plan)
        .with_rates(&rates)
        .run(&feed)
        .unwrap();
    let lines: Vec<String> = run
        .lines()
        .iter()
        .map(|l| format!("{} {}", l.date(), l.amount()))
        .collect();
    // 100.01 × 1.04 = 104.0104 -> 104.01: 33.33 × 1.04 = 34.6632 -> 34.66,
    // then 104.01 − 34.66 = 69.35.
    assert_eq!(lines, ["2025-02-02 34.66", "2025-03-03 69.35"]);
}

/// A statement's explanation shows how each deal booked in another
/// currency was converted: its original amount, the rate and its date.
#[test]
fn a_statement_shows_the_conversions_of_its_deals() {
    use salesplan::PlanId;
    use salesplan::calendar::FiscalCalendar;
    use salesplan::comp::{
        Commissions, CompPeriod, CompPlan, Component, Explanation, PayRate, Quotas,
        RateTable as Pay,
    };
    use salesplan::credit::{CreditBasis, CreditPlan, Crediting};
    let org = region();
    let feed = deal(false, false);
    let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD))
        .with_rates(&rates())
        .run(&feed)
        .unwrap();
    let plan = CompPlan::builder(
        PlanId::new("AE").unwrap(),
        Currency::USD,
        FiscalCalendar::gregorian(),
        2025,
    )
    .component(Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Quarter,
        Pay::Flat(PayRate::Percent("10%".parse().unwrap())),
    ))
    .build()
    .unwrap();
    let statements = Commissions::new(&plan, &[&run])
        .unwrap()
        .statements(
            &crate::support::person("ana"),
            &Quotas::new(),
            &[],
            date(2025, 3, 31),
        )
        .unwrap();
    let Explanation::Earned(c) = &statements[0].lines()[0].explanation else {
        panic!("an earned line")
    };
    let converted: Vec<String> = c.conversions().iter().map(ToString::to_string).collect();
    assert_eq!(
        converted,
        [
            "RT-1: -2500.00 EUR at 1.0400 EUR/USD of 2025-01-20 (rate of sale SO-1) = -2600.00 USD",
            "SO-1: 10000.05 EUR at 1.0400 EUR/USD of 2025-01-20 = 10400.05 USD",
        ]
    );
    assert!(statements[0].to_string().contains(
        "    converted SO-1: 10000.05 EUR at 1.0400 EUR/USD of 2025-01-20 = 10400.05 USD"
    ));
}
