//! Territory benchmarks.
//!
//! `cargo bench --bench territory`. `SALESPLAN_BENCH=small` uses 100,000
//! accounts over 500 territories for the assignment instead of the large
//! size.
//!
//! 1. `book/1M`: validating and sorting 1,000,000 shuffled accounts into
//!    an account book (the load step before assignment);
//! 2. `assign/1M_accounts/5000_territories`: assigning them by 10,000
//!    postal-prefix rules, 5,000 industry rules and one unindexable rule,
//!    with 1,000 named accounts (see `support/accounts.rs`);
//! 3. `rebalance/100k_accounts/500_territories`: a skewed alignment (loads
//!    1 : 7) brought within ±10% of the mean potential, named accounts
//!    locked;
//! 4. `quota_cascade/5000_territories`: a year's target cascaded down a
//!    5,000-territory tree (4 levels, fan-out 10-ish) by a leaf measure,
//!    exact at every level.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::print_stderr,
    reason = "benchmark harness, not library code; it reports what it measured"
)]

#[path = "support/gen.rs"]
mod generator;

#[path = "support/accounts.rs"]
mod accounts;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use salesplan::Currency;
use salesplan::territory::{AccountBook, Assigner, Rebalance, RebalanceOptions};

fn large() -> bool {
    std::env::var("SALESPLAN_BENCH").as_deref() != Ok("small")
}

fn assign(c: &mut Criterion) {
    let (label, n_accounts, n_territories) = if large() {
        ("1M_accounts/5000_territories", 1_000_000, 5_000)
    } else {
        ("100k_accounts/500_territories", 100_000, 500)
    };
    let map = accounts::map(n_territories);
    let rules = accounts::rules(n_territories, n_accounts);
    let tree = map.as_of(accounts::start()).unwrap();
    let assigner = Assigner::new(&tree, &rules).unwrap();
    let list = accounts::accounts(n_accounts, 7);
    let mut group = c.benchmark_group("territory");
    group.sample_size(10);
    group.bench_function(format!("book/{label}"), |b| {
        b.iter_batched(
            || list.clone(),
            |l| black_box(AccountBook::new(Currency::USD, l).unwrap().len()),
            criterion::BatchSize::LargeInput,
        );
    });
    let book = AccountBook::new(Currency::USD, list).unwrap();
    group.bench_function(format!("assign/{label}"), |b| {
        b.iter(|| black_box(assigner.assign(&book).unwrap().counts()));
    });
    let counts = assigner.assign(&book).unwrap().counts();
    eprintln!("assignment outcome: {counts:?}");
    group.finish();
}

fn rebalance(c: &mut Criterion) {
    let list = accounts::accounts(100_000, 11);
    let (alignment, territories) = accounts::skewed_alignment(&list, 500, 3);
    let book = AccountBook::new(Currency::USD, list).unwrap();
    let options = RebalanceOptions::new("10%".parse().unwrap());
    let mut group = c.benchmark_group("territory");
    group.sample_size(10);
    group.bench_function("rebalance/100k_accounts/500_territories", |b| {
        b.iter(|| {
            black_box(
                Rebalance::propose(&book, &alignment, &territories, &options)
                    .unwrap()
                    .moves()
                    .len(),
            )
        });
    });
    let proposal = Rebalance::propose(&book, &alignment, &territories, &options).unwrap();
    eprintln!(
        "rebalance: {} moves, worst deviation {:?} -> {:?}, within tolerance: {}",
        proposal.moves().len(),
        proposal.worst_before(),
        proposal.worst_after(),
        proposal.within_tolerance()
    );
    group.finish();
}

fn territory_quotas(c: &mut Criterion) {
    use salesplan::calendar::DateRange;
    use salesplan::quota::{TerritoryBasis, TerritoryTargets};
    use salesplan::territory::{Territory, TerritoryLine, TerritoryMap};
    use salesplan::{Money, TerritoryId};
    let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let always = DateRange::starting(day);
    let id = |i: usize| TerritoryId::new(&format!("T{i:05}")).unwrap();
    // Territory i > 0 under (i - 1) / 10: a 10-way tree of 5,000.
    let n = 5_000;
    let map = TerritoryMap::builder()
        .territories((0..n).map(|i| Territory::new(id(i))))
        .line(TerritoryLine::top(id(0), always))
        .lines((1..n).map(|i| TerritoryLine::new(id(i), id((i - 1) / 10), always)))
        .build()
        .unwrap();
    let tree = map.as_of(day).unwrap();
    let measure = tree
        .leaves()
        .into_iter()
        .enumerate()
        .map(|(k, leaf)| (leaf, rust_decimal::Decimal::from(1 + (k * 7919) % 1000)))
        .collect();
    let basis = TerritoryBasis::LeafMeasure(measure);
    let target = Money::parse("123456789.01", Currency::USD).unwrap();
    let mut group = c.benchmark_group("territory");
    group.sample_size(10);
    group.bench_function("quota_cascade/5000_territories", |b| {
        b.iter(|| {
            black_box(
                TerritoryTargets::cascade(&tree, target, &basis)
                    .unwrap()
                    .targets()
                    .len(),
            )
        });
    });
    group.finish();
}

criterion_group!(benches, assign, rebalance, territory_quotas);
criterion_main!(benches);
