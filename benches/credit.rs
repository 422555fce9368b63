//! Crediting benchmarks.
//!
//! `cargo bench --features parallel --bench credit` (both cores;
//! `Crediting::execution(Execution::Parallel)` is on the calling thread
//! without the feature). `SALESPLAN_BENCH=small` uses the 100k org and 1M
//! transactions instead of the large sizes.
//!
//! 1. `totals/10M`: credit 10,000,000 transactions on the 1.14M-position
//!    org of the rollup benchmark (one direct rep each, 10% split 60/40
//!    between two reps, 5% returns of an earlier sale) and produce every
//!    position's and person's direct and roll-up credit per quarter of 2025:
//!    feed validation (ids, originals, amounts), owner lookups, exact
//!    splits, the returns' cumulative credit, and the roll-up pass;
//! 2. `lines/1M`: the audit view (every credit line, with ids, sorted) for
//!    the first million transactions;
//! 3. `columns/10M`: the same feed as columns (`TransactionColumns`: row
//!    numbers as transaction ids, the owners' ids as text, basis-point
//!    shares, day numbers, cents, the original's row), credited by
//!    `Crediting::totals_from_columns` into the same totals as columns.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    reason = "benchmark harness, not library code"
)]

#[path = "support/gen.rs"]
mod generator;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use salesplan::Execution;
use salesplan::credit::{
    CreditBasis, CreditPlan, Crediting, Owner, Transaction, TransactionColumns, TransactionKind,
};
use salesplan::{AccountId, Currency, Money, Period, TransactionId};

fn large() -> bool {
    std::env::var("SALESPLAN_BENCH").as_deref() != Ok("small")
}

/// `count` transactions over 2025 on `synth`'s reps.
fn feed(synth: &generator::SyntheticOrg, count: usize) -> Vec<Transaction> {
    let mut rng = generator::Rng::new(7);
    let credits = synth.credits(count, 11);
    let account = AccountId::new("ACME").unwrap();
    let sixty = "60%".parse().unwrap();
    let forty = "40%".parse().unwrap();
    let mut out: Vec<Transaction> = Vec::with_capacity(count);
    for (i, c) in credits.iter().enumerate() {
        let id = TransactionId::new(&format!("T{i:09}")).unwrap();
        let cents = i128::from(c.cents.unsigned_abs().max(1));
        if i > 0 && rng.unit() < 0.05 {
            // A return of (part of) an earlier sale, after it.
            let of = rng.range(0, i as u64) as usize;
            let orig = &out[of];
            if orig.kind() == TransactionKind::Order && orig.booked() <= c.day {
                let whole = orig.amount().to_minor().unwrap();
                let part = if rng.unit() < 0.5 { whole } else { whole / 2 };
                out.push(
                    Transaction::new(
                        id,
                        TransactionKind::Return,
                        c.day,
                        account.clone(),
                        Money::from_minor(-part, Currency::USD).unwrap(),
                    )
                    .with_original(orig.id().clone()),
                );
                // Each sale is returned at most once (a second return could
                // exceed it): mark it by turning it into an invoice.
                let sale = out[of].clone();
                out[of] = Transaction::new(
                    sale.id().clone(),
                    TransactionKind::Invoice,
                    sale.booked(),
                    sale.account().clone(),
                    sale.amount(),
                )
                .with_owners(sale.owners().to_vec());
                continue;
            }
        }
        let rep = synth.ids[c.key as usize].clone();
        let owners = if rng.unit() < 0.10 {
            let other = synth.reps[rng.range(0, synth.reps.len() as u64) as usize];
            if other == c.key {
                vec![Owner::sole(rep)]
            } else {
                vec![
                    Owner::new(rep, sixty),
                    Owner::new(synth.ids[other as usize].clone(), forty),
                ]
            }
        } else {
            vec![Owner::sole(rep)]
        };
        out.push(
            Transaction::new(
                id,
                TransactionKind::Order,
                c.day,
                account.clone(),
                Money::from_minor(cents, Currency::USD).unwrap(),
            )
            .with_owners(owners),
        );
    }
    out
}

/// The feed as the columns a user holds.
struct Columns {
    ids: Vec<u64>,
    kinds: Vec<TransactionKind>,
    days: Vec<i32>,
    cents: Vec<i64>,
    owners: [(Vec<String>, Vec<i32>); 2],
    originals: Vec<i64>,
}

fn columns(txs: &[Transaction]) -> Columns {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    let row: std::collections::HashMap<&TransactionId, i64> = txs
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id(), i as i64))
        .collect();
    let owner = |k: usize| -> (Vec<String>, Vec<i32>) {
        txs.iter()
            .map(|t| match t.owners().get(k) {
                Some(o) => {
                    let bp = o.share().fraction() * rust_decimal::Decimal::from(10_000);
                    (
                        o.position().to_string(),
                        i32::try_from(bp.normalize().mantissa()).unwrap(),
                    )
                }
                None => (String::new(), 0),
            })
            .unzip()
    };
    Columns {
        ids: (0..txs.len() as u64).collect(),
        kinds: txs.iter().map(Transaction::kind).collect(),
        days: txs
            .iter()
            .map(|t| (t.booked() - epoch).num_days() as i32)
            .collect(),
        cents: txs
            .iter()
            .map(|t| i64::try_from(t.amount().to_minor().unwrap()).unwrap())
            .collect(),
        owners: [owner(0), owner(1)],
        originals: txs
            .iter()
            .map(|t| t.original().map_or(-1, |o| row[o]))
            .collect(),
    }
}

fn crediting(c: &mut Criterion) {
    let (label, reps, count) = if large() {
        ("10M", generator::LARGE.0, generator::LARGE.1)
    } else {
        ("1M", generator::SMALL.0, generator::SMALL.1)
    };
    let synth = generator::org(reps, 20_250_101);
    let org = synth.builder().build().unwrap();
    let txs = feed(&synth, count);
    let quarters: Vec<Period> = (0..4)
        .map(|q| {
            let start = chrono::NaiveDate::from_ymd_opt(2025, 1 + 3 * q, 1).unwrap();
            let end = if q == 3 {
                chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
            } else {
                chrono::NaiveDate::from_ymd_opt(2025, 4 + 3 * q, 1).unwrap()
            };
            Period::new(start, end).unwrap()
        })
        .collect();
    let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    let crediting = Crediting::new(&org, &plan).execution(Execution::Parallel);
    let mut group = c.benchmark_group("credit");
    group.sample_size(10);
    group.bench_function(format!("totals/{label}"), |b| {
        b.iter(|| {
            let totals = crediting.totals(&txs, &quarters).unwrap();
            black_box(totals.position(&synth.ids[0], 0))
        });
    });
    let first = &txs[..txs.len().min(1_000_000)];
    group.bench_function("lines/1M", |b| {
        b.iter(|| black_box(crediting.run(first).unwrap().lines().len()));
    });
    let cols = columns(&txs);
    drop(txs);
    let none = String::new();
    group.bench_function(format!("columns/{label}"), |b| {
        b.iter(|| {
            let [(o1, s1), (o2, s2)] = &cols.owners;
            let feed = TransactionColumns::new(&cols.ids, &cols.kinds, &cols.days, &cols.cents)
                .owner(o1, s1, &none)
                .owner(o2, s2, &none)
                .originals(&cols.originals);
            let totals = crediting.totals_from_columns(&feed, &quarters).unwrap();
            black_box(totals.direct(0).map(|d| d.len()))
        });
    });
    group.finish();
}

criterion_group!(benches, crediting);
criterion_main!(benches);
