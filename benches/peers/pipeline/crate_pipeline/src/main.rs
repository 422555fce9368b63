//! The pipeline roll-up of issue #31 with the `salesplan` crate's public API, from the
//! binary columns `gen_pipeline.py` writes (the data DuckDB reads from parquet).
//!
//! Usage: crate_pipeline <peers-dir> <size> <sequential|parallel> [--iters N]
//!
//! Timed separately:
//! - load: read the columns and build the crate's `Org` (as crate_rollup does);
//! - encode: what a user must do before the crate can take the rows: one
//!   `Opportunity` per row (an `OpportunityId` from its number, the owner's
//!   `PositionId` looked up by rep id, stage name, probability in points, amount,
//!   dates, category, close), then `Pipeline::new` (every row checked);
//! - compute: `Org::as_of` + `Pipeline::roll_up` for H1 2025 (open, weighted, per
//!   category, won and lost per node, rolled up), then every node's subtree open,
//!   weighted and won read back as minor units.
//!
//! The first iteration's per-node figures are checked against reference.txt (root, sum,
//! checksum per metric) before any time is printed; on a difference the exit status is 1.

use std::fmt::Write as _;
use std::time::Instant;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use salesplan::calendar::DateRange;
use salesplan::org::{Org, Position, ReportingLine, Role};
use salesplan::pipeline::{
    Closed, ForecastCategory, Opportunity, OpportunityId, Owner, Pipeline, PipelineOptions, Stage, Stages,
};
use salesplan::{Currency, Execution, Money, Percent, Period, PositionId};

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

fn position_id(buf: &mut String, id: i64) -> Res<PositionId> {
    buf.clear();
    write!(buf, "{id}")?;
    Ok(PositionId::new(buf)?)
}

fn build_org(ids_raw: &[i64], parents: &[i64]) -> Res<(Org, Vec<PositionId>)> {
    let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).ok_or("date")?);
    let mut buf = String::with_capacity(24);
    let ids: Vec<PositionId> = ids_raw.iter().map(|&id| position_id(&mut buf, id)).collect::<Res<_>>()?;
    let mut lines = Vec::with_capacity(ids.len());
    for (id, &p) in ids.iter().zip(parents) {
        lines.push(if p < 0 {
            ReportingLine::top(id.clone(), always)
        } else {
            ReportingLine::new(id.clone(), position_id(&mut buf, p)?, always)
        });
    }
    let org = Org::builder()
        .positions(ids.iter().map(|id| Position::new(id.clone(), Role::SalesRep)))
        .lines(lines)
        .build()?;
    Ok((org, ids))
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

fn day(epoch: NaiveDate, days: i32) -> Res<NaiveDate> {
    epoch.checked_add_days(chrono::Days::new(u64::try_from(days)?)).ok_or_else(|| "day".into())
}

fn encode(o: &Opps, org_ids: &[i64], ids: &[PositionId]) -> Res<Pipeline> {
    let index: FxHashMap<i64, u32> = org_ids.iter().enumerate().map(|(i, &id)| (id, i as u32)).collect();
    let mut list = Vec::new();
    for (name, p) in STAGES {
        list.push(Stage::new(name, p.parse::<Percent>()?)?);
    }
    let stages = Stages::new(list)?;
    let defaults = [10u8, 20, 40, 60, 80];
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).ok_or("date")?;
    let mut buf = String::with_capacity(16);
    let mut opps = Vec::with_capacity(o.rep.len());
    for i in 0..o.rep.len() {
        let key = *index.get(&o.rep[i]).ok_or("unknown rep")? as usize;
        let amount = Money::from_minor(i128::from(o.cents[i]), Currency::USD)?;
        let close = day(epoch, o.close[i])?;
        buf.clear();
        write!(buf, "o{i}")?;
        // The data carries every probability; the stage default stands where it agrees.
        let points = o.points[i];
        let stage = defaults.iter().position(|&p| p == points).unwrap_or(0);
        let mut b = Opportunity::builder(
            OpportunityId::new(&buf)?,
            Owner::Position(ids[key].clone()),
            STAGES[stage].0,
            amount,
            day(epoch, o.created[i])?,
            close,
        )
        .category(ForecastCategory::ALL[o.cat[i] as usize]);
        if defaults[stage] != points {
            b = b.probability_points(Decimal::from(points));
        }
        b = match o.state[i] {
            1 => b.closed(Closed::won(close, amount)),
            2 => b.closed(Closed::lost(close, amount)),
            _ => b,
        };
        opps.push(b.build()?);
    }
    Ok(Pipeline::new(Currency::USD, stages, opps)?)
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
    let (org, ids) = build_org(&org_ids, &parents)?;
    let load = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let pipeline = encode(&opps, &org_ids, &ids)?;
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
