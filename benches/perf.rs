//! Performance-evaluation benchmarks.
//!
//! `cargo bench --bench perf`. `SALESPLAN_BENCH=small` uses the 100k org,
//! 1M credits and 5M activity entries instead of the large sizes.
//!
//! On the 1.14M-position org of the rollup benchmark (1M reps), as of
//! Friday 14 February 2025 in Q1 2025 (back-loaded seasonality 20/20/60):
//!
//! 1. `aggregate/50M`: 50,000,000 activity log entries (rep, day, kind,
//!    quantity: cold calls and meetings, 1 January to 14 February, in date
//!    order) streamed into a `WeekGrid` of per-rep, per-ISO-week tallies;
//!    the entries are generated on the fly (SplitMix64), so the figure
//!    includes generating them;
//! 2. `report/1.14M`: every manager's team progress report from the quota
//!    plan's quarter targets, 10,000,000 credits (summed to date and rolled
//!    up) and the weekly tallies (activity to date against the prorated
//!    weekly targets, 100 calls and 5 meetings): the credit roll-up, the
//!    activity roll-up, and for each of the ~140k managers the team's
//!    target, actual, pace, projection, status, activity score, uncovered
//!    quota, and a row per direct report with attainment, pace, status,
//!    activity, rank, percentile, quartile and contribution.

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
use salesplan::activity::{ActivityKind, ActivityTarget, Cadence, WeekGrid};
use salesplan::calendar::WorkCalendar;
use salesplan::org::OrgSnapshot;
use salesplan::perf::{KindTotals, PaceCurve, ProgressOptions, TeamProgress};
use salesplan::rollup::{NodeValues, SumOptions, sum_keyed_credits};
use salesplan::{Currency, Money, Period};

fn large() -> bool {
    std::env::var("SALESPLAN_BENCH").as_deref() != Ok("small")
}

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, day).unwrap()
}

const WEEKS: usize = 14;

/// Streams `count` entries into a fresh grid, in date order (as a log
/// export comes): each day from 1 January to `as_of` gets its share, with
/// reps uniform, 95% calls (1-25 each) and 5% meetings (1-2 each).
fn aggregate(reps: usize, count: usize, as_of: NaiveDate) -> WeekGrid {
    let mut grid = WeekGrid::new(d(1, 1), WEEKS, reps, 2).unwrap();
    let mut rng = generator::Rng::new(99);
    let days = (as_of - d(1, 1)).num_days() as usize + 1;
    let entries = (0..days).flat_map(|i| {
        let day = d(1, 1) + chrono::Days::new(i as u64);
        let today = count * (i + 1) / days - count * i / days;
        (0..today).map(move |_| day)
    });
    let log = entries.map(|day| {
        let r = rng.next_u64();
        let rep = (r % reps as u64) as usize;
        if (r >> 48).is_multiple_of(20) {
            (rep, day, 1, 1 + ((r >> 56) % 2) as u32)
        } else {
            (rep, day, 0, 1 + ((r >> 53) % 25) as u32)
        }
    });
    grid.extend(log).unwrap();
    grid
}

struct Inputs<'s> {
    snapshot: &'s OrgSnapshot,
    synth: &'s generator::SyntheticOrg,
    credits: Vec<generator::Credit>,
    targets: NodeValues<'s, Money>,
    weekly: [Vec<u64>; 2],
    curve: PaceCurve,
    as_of: NaiveDate,
}

/// Every manager's report; returns the number of member rows.
fn report(inputs: &Inputs<'_>, grid: &WeekGrid) -> usize {
    let Inputs {
        snapshot,
        synth,
        credits,
        targets,
        weekly,
        curve,
        as_of,
    } = inputs;
    let to_date = Period::new(d(1, 1), as_of.succ_opt().unwrap()).unwrap();
    let actual = sum_keyed_credits(
        snapshot,
        &synth.ids,
        credits,
        SumOptions::new(Currency::USD).period(to_date),
    )
    .unwrap();
    // Activity to date per rep, against the weekly targets to date.
    let started = (*as_of - grid.first_monday()).num_days() as usize / 7 + 1;
    let target_to_date = [0, 1].map(|k| {
        weekly[k][..started]
            .iter()
            .try_fold(0u64, |a, b| a.checked_add(*b))
            .unwrap()
    });
    let done = grid.totals_through(*as_of);
    let mut own = vec![KindTotals::new(); synth.len()];
    for (ordinal, &declared) in synth.reps.iter().enumerate() {
        let t = &mut own[declared as usize];
        for (k, target) in target_to_date.iter().enumerate() {
            t.add(k, done[ordinal * 2 + k], *target).unwrap();
        }
    }
    let own = NodeValues::from_declared(snapshot, &own).unwrap();
    let options = ProgressOptions::new(*as_of, curve.clone())
        .activity(vec![
            (ActivityKind::ColdCall, Decimal::ONE),
            (ActivityKind::Meeting, Decimal::ONE),
        ])
        .unwrap();
    let progress = TeamProgress::new(targets, &actual, options)
        .unwrap()
        .with_activity(own)
        .unwrap();
    let mut rows = 0;
    progress
        .for_each_report(|r| {
            rows += r.members.len();
            black_box(&r);
            Ok(())
        })
        .unwrap();
    rows
}

fn perf(c: &mut Criterion) {
    let (label, reps, credit_count, entries) = if large() {
        ("1.14M", generator::LARGE.0, generator::LARGE.1, 50_000_000)
    } else {
        ("100k", generator::SMALL.0, generator::SMALL.1, 5_000_000)
    };
    let as_of = d(2, 14);
    let synth = generator::org(reps, 20_250_101);
    let org = synth.builder().build().unwrap();
    let snapshot = org.as_of(as_of).unwrap();
    let credits = synth.credits(credit_count, 11);
    // The quota plan's quarter: a quarter of each annual quota.
    let quarter: Vec<Money> = synth
        .quota_cents
        .iter()
        .map(|c| Money::from_minor(i128::from(*c / 4), Currency::USD).unwrap())
        .collect();
    let targets = NodeValues::from_declared(&snapshot, &quarter).unwrap();
    let work = WorkCalendar::monday_to_friday().with_holidays([d(1, 1)]);
    let q1 = Period::new(d(1, 1), d(4, 1)).unwrap();
    let curve = PaceCurve::weighted(
        [(1, 20), (2, 20), (3, 60)]
            .map(|(m, w)| (Period::month(2025, m).unwrap(), Decimal::from(w))),
        work.clone(),
    )
    .unwrap();
    // Weekly targets, prorated for the New Year holiday and clipped to Q1.
    let plans = [
        ActivityTarget::new(ActivityKind::ColdCall, Cadence::Week, 100).unwrap(),
        ActivityTarget::new(ActivityKind::Meeting, Cadence::Week, 5).unwrap(),
    ];
    let grid = aggregate(reps.min(1000), 1000, as_of); // for the week list only
    let weekly = [0, 1].map(|k| {
        grid.weeks()
            .iter()
            .map(|w| {
                w.intersection(&q1).map_or(0, |part| {
                    plans[k].over(&part, &work, &[]).unwrap().quantity()
                })
            })
            .collect::<Vec<u64>>()
    });
    let inputs = Inputs {
        snapshot: &snapshot,
        synth: &synth,
        credits,
        targets,
        weekly,
        curve,
        as_of,
    };
    let entries_label = if large() { "50M" } else { "5M" };
    let mut group = c.benchmark_group("perf");
    group.sample_size(10);
    group.bench_function(format!("aggregate/{entries_label}"), |b| {
        b.iter(|| black_box(aggregate(reps, entries, as_of)));
    });
    let grid = aggregate(reps, entries, as_of);
    group.bench_function(format!("report/{label}"), |b| {
        b.iter(|| black_box(report(&inputs, &grid)));
    });
    group.finish();
}

criterion_group!(benches, perf);
criterion_main!(benches);
