//! Org rollup benchmarks.
//!
//! `cargo bench --bench rollup` runs both sizes; `SALESPLAN_BENCH=small` or
//! `=large` runs one. Sizes: small = 100k positions / 1M credits, large =
//! 1.14M positions (1M reps) / 10M credits over 2025 (see
//! `support/gen.rs` for the shape). The `parallel` cases use rayon when the
//! crate is built with `--features parallel`, and are sequential otherwise.
//!
//! 1. `cold`: from ids to every node's subtree total and attainment for
//!    2025: snapshot as of 31 December, each credit's position resolved from
//!    its id (a dictionary-encoded feed: 10M rows naming 1M distinct ids),
//!    summed and rolled up, quotas lined up with the nodes, attainment as an
//!    exact `Decimal` for every node;
//! 2. `warm`: the same for the first half-year, snapshot and node-aligned
//!    quotas already built;
//! 3. `by_id`: the sum alone, with every row carrying its own id reference
//!    (one hash lookup per row instead of one per distinct id);
//! 4. `tree_pass`: the bottom-up pass alone, own totals given;
//! 5. `snapshot_build`: `Org::as_of`, validation included;
//! 6. `org_build`: `OrgBuilder::build` from 1.14M positions and lines.

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
use rust_decimal::Decimal;
use salesplan::Execution;
use salesplan::money::Attainment;
use salesplan::org::OrgSnapshot;
use salesplan::rollup::{MoneyRollup, NodeValues, SumOptions, sum_credits, sum_keyed_credits};
use salesplan::{Currency, Money, Period};

fn sizes() -> Vec<(&'static str, (usize, usize))> {
    match std::env::var("SALESPLAN_BENCH").as_deref() {
        Ok("small") => vec![("small", generator::SMALL)],
        Ok("large") => vec![("large", generator::LARGE)],
        _ => vec![("small", generator::SMALL), ("large", generator::LARGE)],
    }
}

/// Attainment for every node; returns how many reached 100%.
fn attain(totals: &MoneyRollup<'_>, quotas: &NodeValues<'_, Money>) -> usize {
    let all: Vec<Attainment> = totals.attainments(quotas).unwrap();
    all.iter()
        .filter(|a| a.ratio().is_some_and(|r| r >= Decimal::ONE))
        .count()
}

fn label(execution: Execution) -> &'static str {
    match execution {
        Execution::Parallel => "parallel",
        _ => "sequential",
    }
}

fn rollup(c: &mut Criterion) {
    for (size, (reps, n_credits)) in sizes() {
        let synth = generator::org(reps, 20_250_101);
        let org = synth.builder().build().unwrap();
        let credits = synth.credits(n_credits, 7);
        let as_of = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        let year = Period::year(2025).unwrap();
        let first_half =
            Period::new(year.start(), NaiveDate::from_ymd_opt(2025, 7, 1).unwrap()).unwrap();

        let mut group = c.benchmark_group(format!("rollup/{size}"));
        group.sample_size(10);
        for execution in [Execution::Sequential, Execution::Parallel] {
            group.bench_function(format!("cold/{}", label(execution)), |b| {
                b.iter(|| {
                    let snapshot = org.as_of(as_of).unwrap();
                    let options = SumOptions::new(Currency::USD)
                        .period(year)
                        .execution(execution);
                    let totals =
                        sum_keyed_credits(&snapshot, &synth.ids, &credits, options).unwrap();
                    let node_quotas = synth.node_quotas(&snapshot);
                    black_box(attain(&totals, &node_quotas))
                });
            });
            let snapshot: OrgSnapshot = org.as_of(as_of).unwrap();
            let node_quotas = synth.node_quotas(&snapshot);
            group.bench_function(format!("warm/{}", label(execution)), |b| {
                b.iter(|| {
                    let options = SumOptions::new(Currency::USD)
                        .period(first_half)
                        .execution(execution);
                    let totals =
                        sum_keyed_credits(&snapshot, &synth.ids, &credits, options).unwrap();
                    black_box(attain(&totals, &node_quotas))
                });
            });
        }
        {
            let by_id = synth.with_ids(&credits);
            let snapshot = org.as_of(as_of).unwrap();
            for execution in [Execution::Sequential, Execution::Parallel] {
                group.bench_function(format!("by_id/{}", label(execution)), |b| {
                    b.iter(|| {
                        let options = SumOptions::new(Currency::USD)
                            .period(year)
                            .execution(execution);
                        black_box(
                            sum_credits(&snapshot, &by_id, options)
                                .unwrap()
                                .subtree_minor(snapshot.root().index()),
                        )
                    });
                });
            }
        }
        let snapshot = org.as_of(as_of).unwrap();
        let own: Vec<i128> = {
            let totals = sum_keyed_credits(
                &snapshot,
                &synth.ids,
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
                || {
                    let mut own = own.iter();
                    NodeValues::from_fn(&snapshot, |_| own.next().copied().unwrap_or(0))
                },
                |values| {
                    black_box(
                        values
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
