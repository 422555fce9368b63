//! One cold rollup of a synthetic million-rep org, with phase timings: the
//! benchmark's job run once, so that its memory can be measured.
//!
//! ```sh
//! cargo run --release --features parallel --example org_rollup -- large
//! /usr/bin/time -v target/release/examples/org_rollup large parallel   # peak memory
//! ```
//!
//! `small` (default) is 100k positions and 1M credits; `large` is 1.14M
//! positions (1M reps) and 10M credits over 2025. The org and credits come
//! from the benchmarks' deterministic generator. A second argument,
//! `sequential` or `parallel`, runs that mode alone (default: one run of
//! each, one after the other).

#![allow(
    clippy::print_stdout,
    clippy::disallowed_methods,
    reason = "an example that prints how long each phase took"
)]

#[path = "../benches/support/gen.rs"]
mod generator;

use std::time::Instant;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use salesplan::Execution;
use salesplan::rollup::{SumOptions, sum_keyed_credits};
use salesplan::{CalendarError, Currency, Error, Period};

fn main() -> Result<(), Error> {
    let large = std::env::args().nth(1).as_deref() == Some("large");
    let modes = match std::env::args().nth(2).as_deref() {
        Some("sequential") => vec![Execution::Sequential],
        Some("parallel") => vec![Execution::Parallel],
        _ => vec![Execution::Sequential, Execution::Parallel],
    };
    let (reps, n_credits) = if large {
        generator::LARGE
    } else {
        generator::SMALL
    };
    let t = Instant::now();
    let synth = generator::org(reps, 20_250_101);
    let org = synth.builder().build()?;
    println!("org generated, built and validated in {:.2?}", t.elapsed());
    let t = Instant::now();
    let credits = synth.credits(n_credits, 7);
    println!(
        "generated {} credits for {} positions in {:.2?}",
        credits.len(),
        synth.len(),
        t.elapsed()
    );

    let as_of = NaiveDate::from_ymd_opt(2025, 12, 31)
        .ok_or(CalendarError::YearOutOfRange { year: 2025 })?;
    let year = Period::year(2025)?;
    for execution in modes {
        let t = Instant::now();
        let snapshot = org.as_of(as_of)?;
        let t_snapshot = t.elapsed();
        let options = SumOptions::new(Currency::USD)
            .period(year)
            .execution(execution);
        let totals = sum_keyed_credits(&snapshot, &synth.ids, &credits, options)?;
        let t_sum = t.elapsed();
        let node_quotas = synth.node_quotas(&snapshot);
        let attainment = totals.attainments(&node_quotas)?;
        let t_all = t.elapsed();
        let at_goal = attainment
            .iter()
            .filter(|a| a.ratio().is_some_and(|r| r >= Decimal::ONE))
            .count();
        println!(
            "{execution:?}: snapshot {t_snapshot:.2?}, credits summed and rolled up {:.2?}, attainment {:.2?}: cold total {t_all:.2?}",
            t_sum.saturating_sub(t_snapshot),
            t_all.saturating_sub(t_sum),
        );
        println!(
            "  company total {}, {at_goal} of {} positions at or above quota",
            totals.subtree(snapshot.root().index())?,
            snapshot.len()
        );
    }
    Ok(())
}
