//! Crediting invariants: exact splits, reversals netting to zero, roll-up
//! equal to the subtree's direct credit (lines and totals), order
//! independence.

use std::collections::BTreeMap;

use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::credit::{
    CreditBasis, CreditKind, CreditPlan, CreditTotals, Crediting, Owner, RollUpLines, Transaction,
    TransactionKind,
};
use salesplan::money::Percent;
use salesplan::{Currency, Money, Period};

use crate::common::date;
use crate::support::credit::{account, tid};
use crate::support::{RandomTree, random_tree};

/// A deal: owners (node, basis points summing to 10,000), cents, day, and
/// the returns against it (cents each, summing to at most the deal).
#[derive(Debug, Clone)]
struct Deal {
    owners: Vec<(usize, i64)>,
    cents: i64,
    day: u32,
    returns: Vec<i64>,
    full: bool,
}

fn deal(nodes: usize) -> impl Strategy<Value = Deal> {
    (
        proptest::sample::subsequence((0..nodes).collect::<Vec<_>>(), 1..=nodes.min(3)),
        proptest::collection::vec(1i64..100, 3),
        0i64..10_000_000,
        0u32..80,
        0usize..3,
        any::<bool>(),
    )
        .prop_map(|(owners, raw, cents, day, parts, full)| {
            let weights: Vec<i64> = raw.into_iter().take(owners.len()).collect();
            let sum: i64 = weights.iter().sum();
            let mut bps: Vec<i64> = weights.iter().map(|w| w * 10_000 / sum).collect();
            let given: i64 = bps.iter().sum();
            bps[0] += 10_000 - given;
            let reversed = if full { cents } else { cents / 3 };
            let mut returns = Vec::new();
            if parts > 0 && reversed > 0 {
                let each = reversed / parts as i64;
                for _ in 1..parts {
                    returns.push(each);
                }
                returns.push(reversed - each * (parts as i64 - 1));
            }
            Deal {
                owners: owners.into_iter().zip(bps).collect(),
                cents,
                day,
                full: full && parts > 0 && cents > 0,
                returns,
            }
        })
}

fn feed(deals: &[Deal]) -> Vec<Transaction> {
    let mut out = Vec::new();
    for (i, d) in deals.iter().enumerate() {
        let booked = date(2025, 1, 1) + chrono::Days::new(u64::from(d.day));
        let owners = d
            .owners
            .iter()
            .map(|(n, bp)| {
                Owner::new(
                    RandomTree::id(*n),
                    Percent::from_points(Decimal::new(*bp, 2)).unwrap(),
                )
            })
            .collect();
        out.push(
            Transaction::new(
                tid(&format!("S{i}")),
                TransactionKind::Order,
                booked,
                account("A"),
                Money::from_minor(d.cents.into(), Currency::USD).unwrap(),
            )
            .with_owners(owners),
        );
        for (j, r) in d.returns.iter().enumerate() {
            out.push(
                Transaction::new(
                    tid(&format!("S{i}-R{j}")),
                    TransactionKind::Return,
                    booked + chrono::Days::new(j as u64 + 1),
                    account("A"),
                    Money::from_minor((-r).into(), Currency::USD).unwrap(),
                )
                .with_original(tid(&format!("S{i}"))),
            );
        }
    }
    out
}

fn year() -> Period {
    Period::new(date(2025, 1, 1), date(2026, 1, 1)).unwrap()
}

proptest! {

    #[test]
    fn credit_invariants(
        (tree, deals) in random_tree(12).prop_flat_map(|t| {
            let n = t.parents.len();
            (Just(t), proptest::collection::vec(deal(n), 1..8))
        }),
        seed in any::<u64>(),
    ) {
        let org = tree.org();
        let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD).roll_up(RollUpLines::Lines);
        let crediting = Crediting::new(&org, &plan);
        let txs = feed(&deals);
        let run = crediting.run(&txs).unwrap();

        // Direct lines of each sale's own booking sum to its amount.
        for (i, d) in deals.iter().enumerate() {
            let direct: Decimal = run.lines().iter()
                .filter(|l| l.kind() == CreditKind::Direct && l.transaction() == &tid(&format!("S{i}")))
                .map(|l| l.amount()).sum();
            prop_assert_eq!(direct, Decimal::new(d.cents, 2), "deal {}", i);
            // A full reversal nets to zero for every position.
            if d.full {
                let mut net: BTreeMap<String, Decimal> = BTreeMap::new();
                for l in run.lines().iter().filter(|l| l.sale() == &tid(&format!("S{i}"))) {
                    *net.entry(format!("{}/{:?}", l.position(), l.kind())).or_default() += l.amount();
                }
                prop_assert!(net.values().all(|v| v.is_zero()), "deal {}: {:?}", i, net);
            }
        }

        // Roll-up lines of every node equal the direct credit strictly
        // below it; the totals engine agrees.
        let totals = crediting.totals(&txs, &[year()]).unwrap();
        let n = tree.parents.len();
        for m in 0..n {
            let id = RandomTree::id(m);
            let below: Decimal = run.lines().iter()
                .filter(|l| l.kind() == CreditKind::Direct)
                .filter(|l| {
                    let k = (0..n).find(|k| &RandomTree::id(*k) == l.position()).unwrap();
                    k != m && tree.is_within(k, m)
                })
                .map(|l| l.amount()).sum();
            let lines: Decimal = run.lines().iter()
                .filter(|l| l.kind() == CreditKind::RollUp && l.position() == &id)
                .map(|l| l.amount()).sum();
            prop_assert_eq!(lines, below, "lines of {}", id);
            prop_assert_eq!(totals.position(&id, 0).unwrap().roll_up(), below, "totals of {}", id);
        }
        let from_lines = CreditTotals::from_run(&org, &run, &[year()]).unwrap();
        for m in 0..n {
            let id = RandomTree::id(m);
            prop_assert_eq!(from_lines.position(&id, 0), totals.position(&id, 0));
        }

        // Order does not matter.
        let mut shuffled = txs.clone();
        let mut rng = crate::support::generator::Rng::new(seed);
        rng.shuffle(&mut shuffled);
        let again = crediting.run(&shuffled).unwrap();
        prop_assert_eq!(again.lines(), run.lines());
        let totals_again = crediting.totals(&shuffled, &[year()]).unwrap();
        for m in 0..n {
            let id = RandomTree::id(m);
            prop_assert_eq!(totals_again.position(&id, 0), totals.position(&id, 0));
        }
    }
}
