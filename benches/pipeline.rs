//! Pipeline roll-up benchmark (issue #31).
//!
//! `cargo bench --bench pipeline` rolls 5M opportunities up a 1.14M-position
//! org (1M reps, `support/gen.rs`'s shape); `SALESPLAN_BENCH=small` uses the
//! small org (90k reps) and 500k opportunities. Opportunities: owned by reps
//! chosen uniformly, 5 stages, amounts 1,000-100,000 USD, one in three with
//! its own probability, expected close spread over 2025, one in ten closed
//! (two thirds of them won). Cases:
//!
//! 1. `roll_up`: every node's open, weighted (rounded per opportunity),
//!    per-category and won/lost totals for 2025;
//! 2. `coverage`: the same, then every node's coverage of its remaining
//!    quota (nothing credited yet, so remaining = quota);
//! 3. `funnels`: every node's funnel (counts per stage).
//!
//! The `parallel` cases use rayon with `--features parallel`.

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
use salesplan::Execution;
use salesplan::pipeline::{
    Closed, ForecastCategory, Opportunity, OpportunityId, Owner, Pipeline, PipelineOptions, Stage,
    Stages,
};
use salesplan::rollup::{SumOptions, sum_credits};
use salesplan::{Currency, Money, Percent, Period};

fn sizes() -> Vec<(&'static str, (usize, usize))> {
    match std::env::var("SALESPLAN_BENCH").as_deref() {
        Ok("small") => vec![("small", (generator::SMALL.0, 500_000))],
        _ => vec![("large", (generator::LARGE.0, 5_000_000))],
    }
}

const STAGES: [(&str, &str); 5] = [
    ("qualify", "10%"),
    ("discover", "20%"),
    ("demo", "40%"),
    ("proposal", "60%"),
    ("negotiate", "80%"),
];

fn pipeline(synth: &generator::SyntheticOrg, count: usize, seed: u64) -> Pipeline {
    let mut rng = generator::Rng::new(seed);
    let stages = Stages::new(
        STAGES
            .iter()
            .map(|(n, p)| Stage::new(n, p.parse::<Percent>().unwrap()).unwrap())
            .collect(),
    )
    .unwrap();
    let start = generator::year_start();
    let opps = (0..count)
        .map(|i| {
            let rep = synth.reps[rng.range(0, synth.reps.len() as u64) as usize] as usize;
            let stage = rng.range(0, 5) as usize;
            let cents = rng.range(100_000, 10_000_000);
            let amount = Money::from_minor(i128::from(cents), Currency::USD).unwrap();
            let created = start + chrono::Days::new(rng.range(0, 200));
            let close = created + chrono::Days::new(rng.range(0, 165));
            let mut b = Opportunity::builder(
                OpportunityId::new(&format!("opp-{i}")).unwrap(),
                Owner::Position(synth.ids[rep].clone()),
                STAGES[stage].0,
                amount,
                created,
                close,
            )
            .category(ForecastCategory::ALL[rng.range(0, 4) as usize]);
            if rng.range(0, 3) == 0 {
                b = b.probability_points(Decimal::from(rng.range(0, 101)));
            }
            match rng.range(0, 30) {
                0 | 1 => b = b.closed(Closed::won(close, amount)),
                2 => b = b.closed(Closed::lost(close, amount)),
                _ => {}
            }
            b.build().unwrap()
        })
        .collect();
    Pipeline::new(Currency::USD, stages, opps).unwrap()
}

fn label(execution: Execution) -> &'static str {
    match execution {
        Execution::Parallel => "parallel",
        _ => "sequential",
    }
}

fn bench(c: &mut Criterion) {
    for (size, (reps, count)) in sizes() {
        let synth = generator::org(reps, 20_250_101);
        let org = synth.builder().build().unwrap();
        let snapshot = org
            .as_of(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap())
            .unwrap();
        let book = pipeline(&synth, count, 31);
        let year = Period::year(2025).unwrap();
        let quotas = synth.node_quotas(&snapshot);
        let none: Vec<(salesplan::PositionId, NaiveDate, Money)> = Vec::new();
        let sold = sum_credits(&snapshot, &none, SumOptions::new(Currency::USD)).unwrap();
        let mut group = c.benchmark_group(format!("pipeline/{size}"));
        group.sample_size(10);
        for execution in [Execution::Sequential, Execution::Parallel] {
            let options = PipelineOptions::new(year).execution(execution);
            group.bench_function(format!("roll_up/{}", label(execution)), |b| {
                b.iter(|| {
                    let totals = book.roll_up(&snapshot, options).unwrap();
                    black_box(totals.subtree(snapshot.root()).unwrap().weighted())
                });
            });
            group.bench_function(format!("coverage/{}", label(execution)), |b| {
                b.iter(|| {
                    let totals = book.roll_up(&snapshot, options).unwrap();
                    black_box(totals.coverages(&quotas, &sold).unwrap().len())
                });
            });
            group.bench_function(format!("funnels/{}", label(execution)), |b| {
                b.iter(|| black_box(book.funnels(&snapshot, None, execution).unwrap().len()));
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
