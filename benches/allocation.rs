//! Allocation and quota-cascade benchmarks.
//!
//! `cargo bench --bench allocation`. `SALESPLAN_BENCH=small` uses the 100k
//! org and 100k recipients instead of the large sizes.
//!
//! 1. `allocate/1M`: split a target over 1,000,000 weighted recipients
//!    (keys, validation, largest remainder);
//! 2. `split_apply/1M`: the same split prepared once, applied;
//! 3. `cascade/1.14M`: a full plan over the 1.14M-position org from the
//!    rollup benchmark (equal split at the top with 105% over-assignment,
//!    then prior-year weights with 110% at every level), and every
//!    position's target split into 12 months by a seasonality profile;
//! 4. `cascade/1.14M/deals_whole_units`: the same plan in a count measure
//!    (5,000,000 deals, whole deals at every level and in every month).

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

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use salesplan::allocation::{Recipient, Split, allocate};
use salesplan::calendar::FiscalCalendar;
use salesplan::quota::{
    Basis, LevelRule, MeasurePlan, Measures, QuotaMeasure, QuotaPlan, Seasonality,
};
use salesplan::{Currency, Money};

fn large() -> bool {
    std::env::var("SALESPLAN_BENCH").as_deref() != Ok("small")
}

fn allocation(c: &mut Criterion) {
    let (label, n) = if large() {
        ("1M", 1_000_000u32)
    } else {
        ("100k", 100_000)
    };
    let mut rng = generator::Rng::new(42);
    let recipients: Vec<Recipient<u32>> = (0..n)
        .map(|i| Recipient::new(i, Decimal::from(rng.range(0, 1_000_000))))
        .collect();
    let total = Money::parse("123456789012.34", Currency::USD).unwrap();
    let mut group = c.benchmark_group("allocation");
    group.sample_size(10);
    group.bench_function(format!("allocate/{label}"), |b| {
        b.iter(|| black_box(allocate(total, &recipients).unwrap().len()));
    });
    let pairs: Vec<(u32, Decimal)> = recipients.iter().map(|r| (*r.key(), r.weight())).collect();
    let split = Split::new(&pairs).unwrap();
    group.bench_function(format!("split_apply/{label}"), |b| {
        b.iter(|| black_box(split.apply(total).unwrap().len()));
    });
    group.finish();
}

fn cascade(c: &mut Criterion) {
    let (label, reps) = if large() {
        ("1.14M", generator::LARGE.0)
    } else {
        ("100k", generator::SMALL.0)
    };
    let synth = generator::org(reps, 20_250_101);
    let org = synth.builder().build().unwrap();
    let snapshot = org
        .as_of(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap())
        .unwrap();
    let prior: Vec<Decimal> = synth
        .quota_cents
        .iter()
        .map(|c| Decimal::from(*c))
        .collect();
    let measures = Measures::new().with("prior_year", prior);
    let profile =
        Seasonality::monthly([6, 6, 8, 7, 7, 8, 7, 7, 8, 10, 12, 14].map(Decimal::from)).unwrap();
    let plan = QuotaPlan::new(
        2025,
        FiscalCalendar::gregorian(),
        Money::parse("40000000000.00", Currency::USD).unwrap(),
    )
    .seasonality(profile.clone())
    .level(
        0,
        LevelRule::new(Basis::Equal).over_assign("105%".parse().unwrap()),
    )
    .default_rule(
        LevelRule::new(Basis::Measure("prior_year".into())).over_assign("110%".parse().unwrap()),
    );
    let mut group = c.benchmark_group("quota");
    group.sample_size(10);
    group.bench_function(format!("cascade/{label}/12_months"), |b| {
        b.iter(|| {
            let targets = plan.cascade(&snapshot, &measures).unwrap();
            let mut checksum = 0i128;
            targets.for_each_month(|_, months| {
                checksum = checksum.wrapping_add(months[0] ^ months[11])
            });
            black_box(checksum)
        });
    });
    let deals = MeasurePlan::new(
        2025,
        FiscalCalendar::gregorian(),
        QuotaMeasure::Deals,
        Decimal::from(5_000_000),
    )
    .seasonality(profile)
    .level(
        0,
        LevelRule::new(Basis::Equal).over_assign("105%".parse().unwrap()),
    )
    .default_rule(
        LevelRule::new(Basis::Measure("prior_year".into())).over_assign("110%".parse().unwrap()),
    );
    group.bench_function(format!("cascade/{label}/deals_whole_units"), |b| {
        b.iter(|| {
            let targets = deals.cascade(&snapshot, &measures).unwrap();
            let mut checksum = 0i128;
            targets.in_steps().for_each_month(|_, months| {
                checksum = checksum.wrapping_add(months[0] ^ months[11])
            });
            black_box(checksum)
        });
    });
    group.finish();
}

criterion_group!(benches, allocation, cascade);
criterion_main!(benches);
