//! Org rollup benchmarks (issue: org hierarchy and fast rollups).
//!
//! `cargo bench --bench rollup` runs both sizes; `SALESPLAN_BENCH=small`
//! runs only the small one. Sizes: small = 100k positions / 1M credits,
//! large = 1.14M positions (1M reps) / 10M credits over 2025.
//!
//! 1. cold: snapshot as of a date, credits resolved from position ids and
//!    summed for the year, rolled up, attainment for every node;
//! 2. warm: the same for the first half-year, snapshot already built;
//! 3. tree pass only: own totals given;
//! 4. snapshot build (validation included), and building the `Org` itself.

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
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use salesplan::rollup::{Execution, NodeValues, SumOptions, sum_credits};
use salesplan::{Currency, Money, Period};

fn sizes() -> Vec<(&'static str, (usize, usize))> {
    match std::env::var("SALESPLAN_BENCH").as_deref() {
        Ok("small") => vec![("small", generator::SMALL)],
        Ok("large") => vec![("large", generator::LARGE)],
        _ => vec![("small", generator::SMALL), ("large", generator::LARGE)],
    }
}

fn rollup(c: &mut Criterion) {
    for (size, (reps, n_credits)) in sizes() {
        let synth = generator::org(reps, 20_250_101);
        let org = synth.builder().build().unwrap();
        let credits = synth.credits(n_credits, 7);
        let quotas: Vec<Money> = synth
            .quota_cents
            .iter()
            .map(|c| Money::from_minor(i128::from(*c), Currency::USD).unwrap())
            .collect();
        let as_of = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        let year = Period::year(2025).unwrap();
        let first_half =
            Period::new(year.start(), NaiveDate::from_ymd_opt(2025, 7, 1).unwrap()).unwrap();

        let mut group = c.benchmark_group(format!("rollup/{size}"));
        group.sample_size(10);
        for execution in [Execution::Sequential, Execution::Parallel] {
            let label = match execution {
                Execution::Parallel => "parallel",
                _ => "sequential",
            };
            group.bench_function(format!("cold/{label}"), |b| {
                b.iter(|| {
                    let snapshot = org.as_of(as_of).unwrap();
                    let options = SumOptions::new(Currency::USD)
                        .period(year)
                        .execution(execution);
                    let totals = sum_credits(&snapshot, &credits, options).unwrap();
                    let mut reached = 0usize;
                    for node in snapshot.nodes() {
                        let a = totals
                            .attainment(node.index(), quotas[node.declared_index()])
                            .unwrap();
                        reached +=
                            usize::from(a.ratio().is_some_and(|r| r >= rust_decimal::Decimal::ONE));
                    }
                    black_box(reached)
                });
            });
            let snapshot = org.as_of(as_of).unwrap();
            group.bench_function(format!("warm/{label}"), |b| {
                b.iter(|| {
                    let options = SumOptions::new(Currency::USD)
                        .period(first_half)
                        .execution(execution);
                    let totals = sum_credits(&snapshot, &credits, options).unwrap();
                    let mut reached = 0usize;
                    for node in snapshot.nodes() {
                        let a = totals
                            .attainment(node.index(), quotas[node.declared_index()])
                            .unwrap();
                        reached +=
                            usize::from(a.ratio().is_some_and(|r| r >= rust_decimal::Decimal::ONE));
                    }
                    black_box(reached)
                });
            });
        }
        let snapshot = org.as_of(as_of).unwrap();
        let own: Vec<i128> = {
            let totals = sum_credits(
                &snapshot,
                &credits,
                SumOptions::new(Currency::USD).period(year),
            )
            .unwrap();
            snapshot
                .nodes()
                .map(|n| totals.own(n.index()).unwrap().to_minor().unwrap())
                .collect()
        };
        group.bench_function("tree_pass", |b| {
            b.iter_batched(
                || own.clone(),
                |own| {
                    let mut values = own.into_iter();
                    let node_values =
                        NodeValues::from_fn(&snapshot, |_| values.next().unwrap_or(0));
                    black_box(
                        node_values
                            .roll_up()
                            .unwrap()
                            .get(snapshot.root().index())
                            .copied(),
                    )
                },
                BatchSize::LargeInput,
            );
        });
        group.bench_function("snapshot_build", |b| {
            b.iter(|| black_box(org.as_of(as_of).unwrap().len()));
        });
        group.bench_function("org_build", |b| {
            b.iter_batched(
                || synth.builder(),
                |builder| black_box(builder.build().unwrap()),
                BatchSize::LargeInput,
            );
        });
        group.finish();
    }
}

criterion_group!(benches, rollup);
criterion_main!(benches);
