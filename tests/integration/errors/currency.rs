//! Crediting in several currencies: a missing rate names the pair, the
//! date and the sale; a return in another currency than its sale is
//! refused; without a rate table a foreign deal is refused as before.

use rust_decimal::Decimal;
use salesplan::credit::{
    CreditBasis, CreditPlan, Crediting, RateDate, Transaction, TransactionKind,
};
use salesplan::money::RateTable;
use salesplan::{CreditError, Currency, Error, Money, Period};

use crate::common::date;
use crate::support::credit::{account, region, tid};
use crate::support::pos;

fn eur(id: &str, m: u32, d: u32, amount: &str) -> Transaction {
    Transaction::new(
        tid(id),
        TransactionKind::Order,
        date(2025, m, d),
        account("ACME"),
        Money::parse(amount, Currency::EUR).unwrap(),
    )
    .with_owner(pos("r1"))
}

fn rates() -> RateTable {
    RateTable::new()
        .with(
            Currency::EUR,
            Currency::USD,
            date(2025, 2, 1),
            Decimal::new(10850, 4),
        )
        .unwrap()
}

fn run(plan: &CreditPlan, rates: Option<&RateTable>, feed: &[Transaction]) -> CreditError {
    let org = region();
    let mut crediting = Crediting::new(&org, plan);
    if let Some(rates) = rates {
        crediting = crediting.with_rates(rates);
    }
    let from_run = crediting.run(feed).unwrap_err();
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    assert_eq!(crediting.totals(feed, &[q1]).unwrap_err(), from_run);
    assert_eq!(
        CreditError::try_from(Error::from(from_run.clone())).unwrap(),
        from_run
    );
    from_run
}

fn usd_plan() -> CreditPlan {
    CreditPlan::new(CreditBasis::Revenue, Currency::USD)
}

#[test]
fn a_missing_rate_names_the_sale_the_pair_and_the_date() {
    // Booked before the first EUR->USD quote.
    let feed = [eur("SO-1", 1, 20, "100.00")];
    let err = run(&usd_plan(), Some(&rates()), &feed);
    assert_eq!(
        err,
        CreditError::NoFxRate {
            transaction: tid("SO-1"),
            from: Currency::EUR,
            to: Currency::USD,
            date: date(2025, 1, 20),
        }
    );
    assert_eq!(
        err.to_string(),
        "SO-1: no EUR->USD rate effective on 2025-01-20"
    );
    // A pair with no quote at all (GBP), on a fixed plan date.
    let gbp = Transaction::new(
        tid("SO-2"),
        TransactionKind::Order,
        date(2025, 3, 3),
        account("ACME"),
        Money::parse("5.00", Currency::GBP).unwrap(),
    )
    .with_owner(pos("r1"));
    let plan = usd_plan().rate_date(RateDate::Fixed(date(2025, 2, 1)));
    assert_eq!(
        run(&plan, Some(&rates()), &[gbp]),
        CreditError::NoFxRate {
            transaction: tid("SO-2"),
            from: Currency::GBP,
            to: Currency::USD,
            date: date(2025, 2, 1),
        }
    );
    // The invoice date names the invoice's day, not the booking's.
    let plan = usd_plan().rate_date(RateDate::Invoice);
    let sale = eur("SO-3", 2, 10, "1.00").with_invoiced(date(2025, 1, 31));
    assert_eq!(
        run(&plan, Some(&rates()), &[sale]),
        CreditError::NoFxRate {
            transaction: tid("SO-3"),
            from: Currency::EUR,
            to: Currency::USD,
            date: date(2025, 1, 31),
        }
    );
}

#[test]
fn a_return_in_another_currency_than_its_sale_is_refused() {
    let sale = eur("SO-1", 2, 10, "100.00");
    let gbp_return = Transaction::new(
        tid("RT-1"),
        TransactionKind::Return,
        date(2025, 2, 20),
        account("ACME"),
        Money::parse("-10.00", Currency::GBP).unwrap(),
    )
    .with_original(tid("SO-1"));
    assert_eq!(
        run(&usd_plan(), Some(&rates()), &[sale, gbp_return.clone()]),
        CreditError::Currency {
            transaction: tid("RT-1"),
            expected: Currency::EUR,
            found: Currency::GBP,
        }
    );
    // Against a USD sale, a EUR return is refused too.
    let usd_sale = Transaction::new(
        tid("SO-2"),
        TransactionKind::Order,
        date(2025, 2, 10),
        account("ACME"),
        Money::parse("100.00", Currency::USD).unwrap(),
    )
    .with_owner(pos("r1"));
    let eur_return = Transaction::new(
        tid("RT-2"),
        TransactionKind::Return,
        date(2025, 2, 20),
        account("ACME"),
        Money::parse("-10.00", Currency::EUR).unwrap(),
    )
    .with_original(tid("SO-2"));
    assert_eq!(
        run(&usd_plan(), Some(&rates()), &[usd_sale, eur_return]),
        CreditError::Currency {
            transaction: tid("RT-2"),
            expected: Currency::USD,
            found: Currency::EUR,
        }
    );
}

#[test]
fn without_rates_a_foreign_deal_is_refused_as_before() {
    assert_eq!(
        run(&usd_plan(), None, &[eur("SO-1", 2, 10, "100.00")]),
        CreditError::Currency {
            transaction: tid("SO-1"),
            expected: Currency::USD,
            found: Currency::EUR,
        }
    );
}

#[test]
fn a_margin_in_another_currency_than_its_amount_is_refused() {
    let sale =
        eur("SO-1", 2, 10, "100.00").with_margin(Money::parse("30.00", Currency::GBP).unwrap());
    let plan = CreditPlan::new(CreditBasis::Margin, Currency::USD);
    assert_eq!(
        run(&plan, Some(&rates()), &[sale]),
        CreditError::Currency {
            transaction: tid("SO-1"),
            expected: Currency::EUR,
            found: Currency::GBP,
        }
    );
}

#[cfg(feature = "serde")]
#[test]
fn a_stored_run_with_a_conversion_into_another_currency_is_refused() {
    let rates = rates();
    let plan = usd_plan();
    let run = Crediting::new(&region(), &plan)
        .with_rates(&rates)
        .run(&[eur("SO-1", 2, 10, "100.00")])
        .unwrap();
    let mut json = serde_json::to_value(&run).unwrap();
    // Round trip first: the conversion is kept.
    let back: salesplan::credit::CreditRun = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(back, run);
    json["conversions"][0]["converted"] = serde_json::json!("108.50 GBP");
    let err = serde_json::from_value::<salesplan::credit::CreditRun>(json).unwrap_err();
    assert!(
        err.to_string()
            .contains("SO-1 is in GBP, the plan credits USD"),
        "{err}"
    );
}

/// A return in another currency whose sale is not in the feed (a deal of
/// an earlier feed): the sale's rate, at which the return converts, is not
/// known, and the error says so instead of a currency mismatch.
#[test]
fn a_foreign_return_of_a_sale_not_in_the_feed_names_the_sale() {
    let eur_return = Transaction::new(
        tid("RT-1"),
        TransactionKind::Return,
        date(2025, 2, 20),
        account("ACME"),
        Money::parse("-10.00", Currency::EUR).unwrap(),
    )
    .with_original(tid("SO-OLD"));
    assert_eq!(
        run(&usd_plan(), Some(&rates()), &[eur_return]),
        CreditError::UnknownOriginal {
            transaction: tid("RT-1"),
            original: tid("SO-OLD"),
        }
    );
}
