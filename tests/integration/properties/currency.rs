//! Crediting in several currencies: converted credit adds up per currency
//! and in the plan's currency, each converted figure rounded once (the
//! plan's policy, on the magnitude), a return at its sale's rate, and a
//! sale returned in full nets to exactly zero.

use std::collections::BTreeMap;

use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::credit::{
    CreditBasis, CreditKind, CreditPlan, Crediting, Owner, RateDate, Transaction, TransactionKind,
};
use salesplan::money::{Percent, RateTable, RoundingPolicy};
use salesplan::{Currency, Money, Period};

use crate::common::date;
use crate::support::credit::{account, region, tid};
use crate::support::pos;

const CURRENCIES: [Currency; 3] = [Currency::USD, Currency::EUR, Currency::GBP];

/// A deal: currency index, cents, day of the year (0..90), owners' split
/// (r1's basis points, the rest to r2), and returns (cents each).
#[derive(Debug, Clone)]
struct Deal {
    currency: usize,
    cents: i64,
    day: u32,
    r1_bps: i64,
    returns: Vec<i64>,
}

fn deal() -> impl Strategy<Value = Deal> {
    (
        0usize..3,
        0i64..5_000_000,
        0u32..90,
        0i64..=10_000,
        0usize..4,
        any::<bool>(),
    )
        .prop_map(|(currency, cents, day, r1_bps, parts, full)| {
            let reversed = if full { cents } else { cents / 3 };
            let mut returns = Vec::new();
            if parts > 0 && reversed > 0 {
                let each = reversed / parts as i64;
                returns.extend(std::iter::repeat_n(each, parts - 1));
                returns.push(reversed - each * (parts as i64 - 1));
            }
            Deal {
                currency,
                cents,
                day,
                r1_bps,
                returns,
            }
        })
}

/// Monthly EUR->USD and GBP->USD rates from 1 January (4 decimal places).
fn rates() -> impl Strategy<Value = RateTable> {
    proptest::collection::vec((9_000i64..14_000, 11_000i64..15_000), 3).prop_map(|months| {
        let mut table = RateTable::new();
        for (m, (eur, gbp)) in months.into_iter().enumerate() {
            let on = date(2025, m as u32 + 1, 1);
            table = table
                .with(Currency::EUR, Currency::USD, on, Decimal::new(eur, 4))
                .unwrap()
                .with(Currency::GBP, Currency::USD, on, Decimal::new(gbp, 4))
                .unwrap();
        }
        table
    })
}

fn feed(deals: &[Deal]) -> Vec<Transaction> {
    let mut txs = Vec::new();
    for (i, d) in deals.iter().enumerate() {
        let cur = CURRENCIES[d.currency];
        let day = date(2025, 1, 1) + chrono::Days::new(u64::from(d.day));
        let owners = vec![
            Owner::new(
                pos("r1"),
                Percent::from_points(Decimal::new(d.r1_bps, 2)).unwrap(),
            ),
            Owner::new(
                pos("r2"),
                Percent::from_points(Decimal::new(10_000 - d.r1_bps, 2)).unwrap(),
            ),
        ]
        .into_iter()
        .filter(|o| !o.share().fraction().is_zero())
        .collect();
        let id = format!("SO-{i}");
        txs.push(
            Transaction::new(
                tid(&id),
                TransactionKind::Order,
                day,
                account("ACME"),
                Money::from_minor(i128::from(d.cents), cur).unwrap(),
            )
            .with_owners(owners),
        );
        for (j, r) in d.returns.iter().enumerate() {
            txs.push(
                Transaction::new(
                    tid(&format!("RT-{i}-{j}")),
                    TransactionKind::Return,
                    day + chrono::Days::new(j as u64 + 1),
                    account("ACME"),
                    Money::from_minor(-i128::from(*r), cur).unwrap(),
                )
                .with_original(tid(&id)),
            );
        }
    }
    txs
}

fn policy() -> impl Strategy<Value = RoundingPolicy> {
    proptest::sample::select(RoundingPolicy::ALL.to_vec())
}

fn rate_date() -> impl Strategy<Value = RateDate> {
    prop_oneof![
        Just(RateDate::Booking),
        Just(RateDate::Fixed(date(2025, 1, 1))),
        Just(RateDate::Fixed(date(2025, 2, 14))),
    ]
}

proptest! {
    #[test]
    fn converted_credit_adds_up_per_currency_and_in_the_plan_currency(
        deals in proptest::collection::vec(deal(), 0..25),
        rates in rates(),
        rounding in policy(),
        on in rate_date(),
    ) {
        let org = region();
        let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD)
            .rounding(rounding)
            .rate_date(on);
        let txs = feed(&deals);
        let crediting = Crediting::new(&org, &plan).with_rates(&rates);
        let run = crediting.run(&txs).unwrap();
        let currency_of: BTreeMap<_, _> =
            txs.iter().map(|t| (t.id().clone(), t.amount().currency())).collect();

        // Per original currency: the lines add up to the converted
        // transactions, and the conversions keep every original amount.
        let mut lines_by: BTreeMap<Currency, Decimal> = BTreeMap::new();
        for l in run.lines().iter().filter(|l| l.kind() == CreditKind::Direct) {
            *lines_by.entry(currency_of[l.transaction()]).or_default() += l.amount();
        }
        let mut converted_by: BTreeMap<Currency, Decimal> = BTreeMap::new();
        let mut original_by: BTreeMap<Currency, Decimal> = BTreeMap::new();
        for tx in &txs {
            let cur = tx.amount().currency();
            let usd = match run.conversion(tx.id()) {
                Some(c) => {
                    prop_assert_eq!(c.original(), tx.amount());
                    prop_assert_eq!(c.converted().currency(), Currency::USD);
                    c.converted().amount()
                }
                None => {
                    prop_assert_eq!(cur, Currency::USD);
                    tx.amount().amount()
                }
            };
            *converted_by.entry(cur).or_default() += usd;
            *original_by.entry(cur).or_default() += tx.amount().amount();
        }
        for cur in CURRENCIES {
            prop_assert_eq!(
                lines_by.get(&cur).copied().unwrap_or_default(),
                converted_by.get(&cur).copied().unwrap_or_default(),
                "{}", cur
            );
        }
        let originals: Decimal = run.conversions().iter().map(|c| c.original().amount()).sum();
        prop_assert_eq!(
            originals,
            original_by.iter().filter(|(c, _)| **c != Currency::USD).map(|(_, v)| *v).sum::<Decimal>()
        );
        // In the plan currency: the whole is the sum of the currencies'.
        let all: Decimal = run.lines().iter().map(|l| l.amount()).sum();
        prop_assert_eq!(all, lines_by.values().copied().sum::<Decimal>());

        // Each sale rounded once; its returns at its rate, on their running
        // total, so together they are the rounded total reversed.
        let minor = Decimal::new(1, 2);
        for (i, d) in deals.iter().enumerate() {
            let Some(c) = run.conversion(&tid(&format!("SO-{i}"))) else { continue };
            let exact = c.original().amount() * c.rate();
            prop_assert!((c.converted().amount() - exact).abs() < minor);
            let expected_day = match on {
                RateDate::Fixed(day) => day,
                _ => date(2025, 1, 1) + chrono::Days::new(u64::from(d.day)),
            };
            prop_assert_eq!(c.rate_date, expected_day);
            let mut returned = Decimal::ZERO;
            let mut returned_usd = Decimal::ZERO;
            for j in 0..d.returns.len() {
                let r = run.conversion(&tid(&format!("RT-{i}-{j}"))).unwrap();
                prop_assert_eq!(r.rate(), c.rate());
                prop_assert_eq!(r.rate_date, c.rate_date);
                returned += r.original().amount();
                returned_usd += r.converted().amount();
            }
            let whole = Money::new(returned.abs() * c.rate(), Currency::USD).round(rounding);
            prop_assert_eq!(returned_usd, -whole.amount());
            if returned.abs() == c.original().amount() {
                prop_assert_eq!(returned_usd, -c.converted().amount());
            }
        }

        // The totals path credits the same converted amounts.
        let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 4)).unwrap();
        let totals = crediting.totals(&txs, &[q1]).unwrap();
        let rsm = totals.position(&pos("rsm"), 0).map(|t| t.roll_up()).unwrap_or_default();
        prop_assert_eq!(rsm, all);
    }
}
