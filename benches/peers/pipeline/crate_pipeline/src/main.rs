//! The pipeline roll-up of issue #31 with the `salesplan` crate's public API, from the
//! binary columns `gen_pipeline.py` writes (the data DuckDB reads from parquet).
//!
//! Usage: crate_pipeline <peers-dir> <size> <sequential|parallel> [--iters N]
//!
//! Timed separately:
//! - load: read the columns and build the crate's `Org` from them
//!   (`OrgColumns`, integer ids as they are);
//! - encode: what a user does before the crate takes the columns: the stage
//!   index of each row (the stage whose default its probability is, else the
//!   first), its forecast category and outcome from their codes; then
//!   `PipelineColumns::new` (every row checked as the row API checks an
//!   `Opportunity`, ids unique). The opportunity ids are the row numbers,
//!   as the generator writes them; rep ids, points, cents and days are read
//!   in place;
//! - compute: `Org::as_of` + `PipelineColumns::roll_up` for H1 2025 (open,
//!   weighted, per category, won and lost per node, rolled up), then every
//!   node's subtree open, weighted and won read back as minor units.
//!
//! The first iteration's per-node figures are checked against reference.txt (root, sum,
//! checksum per metric) before any time is printed; on a difference the exit status is 1.

use std::fmt::Write as _;
use std::time::Instant;

use chrono::NaiveDate;
use salesplan::org::{Org, OrgColumns, Role};
use salesplan::pipeline::{
    ForecastCategory, OpportunityColumns, Outcome, PipelineColumns, PipelineOptions, ProbabilityColumn, Stage, Stages,
};
use salesplan::{Currency, Execution, Percent, Period};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn read_vec<T: Copy + Default>(path: &str, from: fn(&[u8]) -> T) -> Res<Vec<T>> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let size = std::mem::size_of::<T>();
    Ok(bytes.chunks_exact(size).map(from).collect())
}

fn i64s(path: &str) -> Res<Vec<i64>> {
    read_vec(path, |b| i64::from_le_bytes(b.try_into().unwrap_or_default()))
}
fn i32s(path: &str) -> Res<Vec<i32>> {
    read_vec(path, |b| i32::from_le_bytes(b.try_into().unwrap_or_default()))
}
fn u8s(path: &str) -> Res<Vec<u8>> {
    Ok(std::fs::read(path).map_err(|e| format!("{path}: {e}"))?)
}

fn build_org(ids: &[i64], parents: &[i64]) -> Res<Org> {
    let roles = vec![Role::SalesRep; ids.len()];
    Ok(OrgColumns::new(ids, parents, &-1, &roles).build()?)
}

const STAGES: [(&str, &str); 5] =
    [("qualify", "10%"), ("discover", "20%"), ("demo", "40%"), ("proposal", "60%"), ("negotiate", "80%")];

struct Opps {
    rep: Vec<i64>,
    points: Vec<u8>,
    cents: Vec<i64>,
    cat: Vec<u8>,
    close: Vec<i32>,
    created: Vec<i32>,
    state: Vec<u8>,
}

/// The user's part: codes to the crate's types.
struct Encoded {
    ids: Vec<u64>,
    stages: Vec<u8>,
    categories: Vec<ForecastCategory>,
    outcomes: Vec<Option<Outcome>>,
}

fn encode(o: &Opps) -> Res<(Stages, Encoded)> {
    let mut list = Vec::new();
    for (name, p) in STAGES {
        list.push(Stage::new(name, p.parse::<Percent>()?)?);
    }
    let defaults = [10u8, 20, 40, 60, 80];
    let mut stage_of = [0u8; 256];
    for (i, d) in defaults.iter().enumerate() {
        stage_of[*d as usize] = i as u8;
    }
    let encoded = Encoded {
        ids: (0..o.rep.len() as u64).collect(),
        stages: o.points.iter().map(|p| stage_of[*p as usize]).collect(),
        categories: o.cat.iter().map(|c| ForecastCategory::ALL[*c as usize]).collect(),
        outcomes: o
            .state
            .iter()
            .map(|s| match s {
                1 => Some(Outcome::Won),
                2 => Some(Outcome::Lost),
                _ => None,
            })
            .collect(),
    };
    Ok((Stages::new(list)?, encoded))
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let (peers, size, mode) = (&args[1], &args[2], &args[3]);
    let iters: usize = args.iter().position(|a| a == "--iters").and_then(|i| args.get(i + 1)).map_or(Ok(1), |s| s.parse())?;
    let execution = if mode == "parallel" { Execution::Parallel } else { Execution::Sequential };
    let d = format!("{peers}/data/{size}");
    let t = Instant::now();
    let org_ids = i64s(&format!("{d}/bin/org_id.i64"))?;
    let parents = i64s(&format!("{d}/bin/org_parent.i64"))?;
    let p = format!("{d}/pipeline");
    let opps = Opps {
        rep: i64s(&format!("{p}/op_rep.i64"))?,
        points: u8s(&format!("{p}/op_points.u8"))?,
        cents: i64s(&format!("{p}/op_cents.i64"))?,
        cat: u8s(&format!("{p}/op_cat.u8"))?,
        close: i32s(&format!("{p}/op_day.i32"))?,
        created: i32s(&format!("{p}/op_created.i32"))?,
        state: u8s(&format!("{p}/op_state.u8"))?,
    };
    let org = build_org(&org_ids, &parents)?;
    let load = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let (stages, e) = encode(&opps)?;
    let columns = OpportunityColumns::new(&e.ids, &opps.rep, &e.stages, &opps.cents, &opps.close)
        .created(&opps.created)
        .probabilities(ProbabilityColumn::Points(&opps.points))
        .categories(&e.categories)
        .outcomes(&e.outcomes);
    let pipeline = PipelineColumns::new(Currency::USD, stages, columns)?;
    let encode_s = t.elapsed().as_secs_f64();
    let h1 = Period::new(NaiveDate::from_ymd_opt(2025, 1, 1).ok_or("date")?, NaiveDate::from_ymd_opt(2025, 7, 1).ok_or("date")?)?;
    let expected = std::fs::read_to_string(format!("{p}/reference.txt"))?;
    let mut computes = Vec::new();
    for it in 0..iters {
        let t = Instant::now();
        let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 6, 30).ok_or("date")?)?;
        let totals = pipeline.roll_up(&snapshot, PipelineOptions::new(h1).execution(execution))?;
        let mut figures = Vec::with_capacity(snapshot.len());
        for node in snapshot.nodes() {
            let f = totals.subtree(node)?;
            figures.push((node.id(), [f.open().to_minor()?, f.weighted().to_minor()?, f.won().to_minor()?]));
        }
        computes.push(t.elapsed().as_secs_f64());
        if it == 0 {
            const M: i128 = 1_000_000_007;
            let mut got = String::new();
            for (k, name) in ["open", "weighted", "won"].iter().enumerate() {
                let root = figures[0].1[k];
                let (mut sum, mut chk) = (0i128, 0i128);
                for (id, v) in &figures {
                    let id: i128 = id.as_str().parse()?;
                    sum += v[k];
                    chk = (chk + (v[k] % M) * (id % 9973) % M) % M;
                }
                writeln!(got, "{name} root={root} sum={sum} checksum={chk}")?;
            }
            if got != expected {
                eprintln!("MISMATCH\n{got}expected\n{expected}");
                std::process::exit(1);
            }
            println!("verified against reference.txt");
        }
    }
    computes.sort_by(f64::total_cmp);
    let median = computes[computes.len() / 2];
    println!(
        "RESULT {{\"tool\": \"salesplan\", \"mode\": \"{mode}\", \"size\": \"{size}\", \"opportunities\": {}, \"load_s\": {load:.3}, \"encode_s\": {encode_s:.3}, \"compute_median_s\": {median:.3}, \"compute_min_s\": {:.3}}}",
        opps.rep.len(),
        computes[0]
    );
    Ok(())
}
