//! The commission side-by-side (the peers' comp_side_by_side/README.md)
//! with the salesplan crate's comp module, on gen_comp.py's columns
//! (<PEERS_DATA>/comp-<size>/bin), from the credited lines as they are.
//!
//! Usage: crate_comp <small|large> <sequential|parallel> [--mode totals|statements]
//!        [--iters N] [--out FILE]
//! (`--mode` defaults to the environment's CRATE_COMP_MODE, else totals.)
//!
//! The plan: one quarterly revenue component, tiered on attainment,
//! marginal: 5% to 100% of quota, 8% to 150%, 12% above; credit counted up
//! to 250% of quota (`Cap::Attainment`), the quarter's commission capped at
//! 2,000 USD (`Cap::PerPeriod`), rounded half-even to the cent (the plan's
//! default). Payouts through 31 March 2025.
//!
//! Timed separately:
//! - load: read the columns, and each rep's person id;
//! - lines: the credited lines handed in as columns (each line's rep id
//!   resolved to the rep's key, then `CreditLineColumns::builder(..).build()`,
//!   which checks them as `CreditRun::from_lines` checks rows and groups
//!   them by person): nothing is credited again, and no row is built.
//!   Reported, not part of compute;
//! - compute: inputs (the reps' Q1 quotas as a `QuotaColumns` column of
//!   cents, and a `PersonInput` per rep), then
//!   `Commissions::from_columns(..).quota_columns(..)` and either `payouts_from_columns` (totals
//!   mode: each rep's pay per component and pay period, no explanations)
//!   or `statements_from_columns` (every statement, with explanations), the
//!   payouts summed. In `--iters N` runs the inputs and results are made
//!   again each time (the columns once).
//!
//! The total payout must equal, to the cent, the one computed here
//! independently (integer cents and exact decimals, no crate code), and so
//! must every rep's; only then is a RESULT printed.

use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rustc_hash::FxHashMap;
use salesplan::calendar::FiscalCalendar;
use salesplan::comp::{
    Cap, Commissions, CompPeriod, CompPlan, Component, PayRate, PersonInput, QuotaColumns, Quotas, RateTable, Tier,
    TierBasis, TierMethod,
};
use salesplan::credit::{CreditBasis, CreditLineColumns};
use salesplan::Execution;
use salesplan::{Currency, Money, PersonId, PlanId, RoundingPolicy};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn read_vec<T: Copy>(path: &str) -> Res<Vec<T>> {
    let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
    let n = bytes.len() / std::mem::size_of::<T>();
    let mut v = Vec::<T>::with_capacity(n);
    // SAFETY: T is a plain integer type (i64, i32); n * size_of::<T>() <= bytes.len().
    unsafe {
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), v.as_mut_ptr() as *mut u8, n * std::mem::size_of::<T>());
        v.set_len(n);
    }
    Ok(v)
}

fn date(y: i32, m: u32, d: u32) -> Res<NaiveDate> {
    Ok(NaiveDate::from_ymd_opt(y, m, d).ok_or("date")?)
}

fn plan() -> Res<CompPlan> {
    let tier = |from: &str, to: Option<&str>, r: &str| -> Res<Tier> {
        Ok(Tier::new(from.parse()?, to.map(str::parse).transpose()?, PayRate::Percent(r.parse()?)))
    };
    Ok(CompPlan::builder(PlanId::new("SIDE-BY-SIDE-2025")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
        .component(
            Component::new(
                "Revenue",
                CreditBasis::Revenue,
                CompPeriod::Quarter,
                RateTable::Tiered {
                    basis: TierBasis::Attainment,
                    method: TierMethod::Marginal,
                    tiers: vec![tier("0", Some("1"), "5%")?, tier("1", Some("1.5"), "8%")?, tier("1.5", None, "12%")?],
                },
            )
            .cap(Cap::Attainment("250%".parse()?))
            .cap(Cap::PerPeriod(Money::parse("2000", Currency::USD)?)),
        )
        .rounding(RoundingPolicy::HalfEven)
        .build()?)
}

/// The same plan with integers and exact decimals only: per rep, Q1 cents.
fn independent_payout(m: i64, q: i64) -> Decimal {
    let d = |c: i64| Decimal::new(c, 2);
    let (m, q) = (d(m), d(q));
    let hi = m.min(q * Decimal::new(25, 1));
    let t1 = hi.min(q);
    let t2 = (hi.min(q * Decimal::new(15, 1)) - q).max(Decimal::ZERO);
    let t3 = (hi - q * Decimal::new(15, 1)).max(Decimal::ZERO);
    let pay = t1 * Decimal::new(5, 2) + t2 * Decimal::new(8, 2) + t3 * Decimal::new(12, 2);
    pay.min(Decimal::new(2000, 0)).round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointNearestEven)
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() { f64::NAN } else if v.len() % 2 == 1 { v[v.len() / 2] } else { (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0 }
}

fn main() {
    if let Err(e) = run() {
        eprintln!("crate_comp: {e}");
        std::process::exit(1);
    }
}

fn run() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: crate_comp <small|large> <sequential|parallel> [--mode totals|statements] [--iters N] [--out FILE]";
    let size = args.get(1).ok_or(usage)?.clone();
    let (variant, execution) = match args.get(2).map(String::as_str) {
        Some("sequential") => ("sequential", Execution::Sequential),
        Some("parallel") => ("parallel", Execution::Parallel),
        _ => return Err(usage.into()),
    };
    let (mut iters, mut out) = (1usize, None::<String>);
    let mut mode = std::env::var("CRATE_COMP_MODE").unwrap_or_else(|_| "totals".to_string());
    let mut k = 3;
    while k < args.len() {
        match args[k].as_str() {
            "--iters" => { iters = args.get(k + 1).ok_or(usage)?.parse()?; k += 2; }
            "--out" => { out = Some(args.get(k + 1).ok_or(usage)?.clone()); k += 2; }
            "--mode" => { mode = args.get(k + 1).ok_or(usage)?.clone(); k += 2; }
            _ => return Err(usage.into()),
        }
    }
    let totals_mode = match mode.as_str() {
        "totals" => true,
        "statements" => false,
        _ => return Err(usage.into()),
    };
    let base = std::env::var("PEERS_DATA").unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../../shared/peers/data").to_string());
    let dir = format!("{base}/comp-{size}/bin");
    println!("crate_comp salesplan size={size} variant={variant} mode={mode} iters={iters}");

    // ---- load ----
    let t = Instant::now();
    let rep_id: Vec<i64> = read_vec(&format!("{dir}/rep_id.i64"))?;
    let quota: Vec<i64> = read_vec(&format!("{dir}/rep_quota_cents.i64"))?;
    let line_rep: Vec<i64> = read_vec(&format!("{dir}/line_rep.i64"))?;
    let line_day: Vec<i32> = read_vec(&format!("{dir}/line_day.i32"))?;
    let line_cents: Vec<i64> = read_vec(&format!("{dir}/line_cents.i64"))?;
    let t_read = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let people: Vec<PersonId> = rep_id.iter().map(|id| PersonId::new(&format!("P{id}"))).collect::<Result<_, _>>()?;
    let t_org = t.elapsed().as_secs_f64();
    let load = t_read + t_org;
    println!("  load: read {t_read:.3}s, ids {t_org:.3}s ({} reps, {} credit lines)", rep_id.len(), line_rep.len());

    // ---- the credited lines, handed in as columns ----
    let t = Instant::now();
    // Each rep id's key (its row in the reps' file): a dense table over
    // the ids' range when it is small (employee numbers usually are), a
    // hash map otherwise.
    let (lo_id, hi_id) = (rep_id.iter().copied().min().unwrap_or(0), rep_id.iter().copied().max().unwrap_or(0));
    let dense: Option<Vec<u32>> = (hi_id.checked_sub(lo_id).is_some_and(|r| r < 1 << 26)).then(|| {
        let mut v = vec![u32::MAX; (hi_id - lo_id + 1) as usize];
        for (i, &id) in rep_id.iter().enumerate() { v[(id - lo_id) as usize] = i as u32; }
        v
    });
    let map: FxHashMap<i64, u32> = if dense.is_some() { FxHashMap::default() } else {
        rep_id.iter().enumerate().map(|(i, &id)| (id, i as u32)).collect()
    };
    let row_of = |r: i64| -> Option<u32> {
        match &dense {
            Some(v) => r.checked_sub(lo_id).and_then(|k| v.get(k as usize)).copied().filter(|&i| i != u32::MAX),
            None => map.get(&r).copied(),
        }
    };
    let keys: Vec<u32> = line_rep.iter().map(|&r| row_of(r).ok_or_else(|| format!("unknown rep {r}"))).collect::<Result<_, _>>()?;
    // The seat is the rep's own; the CRM's line ids are the rows.
    let seats: Vec<u64> = line_rep.iter().map(|&r| r as u64).collect();
    let tx: Vec<u64> = (0..line_rep.len() as u64).collect();
    let t_lines = t.elapsed().as_secs_f64();
    let revenue = CreditLineColumns::builder(CreditBasis::Revenue, Currency::USD, rep_id.len())
        .person_keys(&keys)
        .positions(&seats)
        .transactions(&tx)
        .amounts_minor(&line_cents)
        .days(&line_day)
        .execution(execution)
        .build()?;
    drop((keys, seats, tx));
    let t_credit = t.elapsed().as_secs_f64();
    println!("  lines: keys {t_lines:.3}s, columns checked and grouped {:.3}s ({} lines)", t_credit - t_lines, revenue.len());

    // ---- compute ----
    let plan = plan()?;
    let q1 = FiscalCalendar::gregorian().quarters(2025)?[0];
    let through = date(2025, 3, 31)?;
    let (mut compute_s, mut inputs_s, mut statements_s) = (Vec::new(), Vec::new(), Vec::new());
    let mut payouts: Vec<i64> = Vec::new();
    let mut total = Decimal::ZERO;
    for it in 0..iters {
        let t = Instant::now();
        // Each rep's Q1 quota as a column of cents (key i: the i-th rep).
        let quotas = QuotaColumns::new(Currency::USD, rep_id.len()).revenue_minor(q1, &quota)?;
        let none = Quotas::new();
        let inputs: Vec<PersonInput<'_>> = people.iter().map(|person| PersonInput { person, quotas: &none, locked: &[] }).collect();
        let t_in = t.elapsed().as_secs_f64();
        let comp = Commissions::from_columns(&plan, &[&revenue])?.quota_columns(&quotas).execution(execution);
        let mut sum = Decimal::ZERO;
        let mut per_rep = Vec::with_capacity(inputs.len());
        if totals_mode {
            let payouts = comp.payouts_from_columns(&inputs, through)?;
            for mine in payouts.person_totals() {
                sum = sum.checked_add(mine.amount()).ok_or("overflow")?;
                per_rep.push(mine.amount());
            }
        } else {
            let all = comp.statements_from_columns(&inputs, through)?;
            for statements in &all {
                let mut mine = Decimal::ZERO;
                for s in statements {
                    mine = mine.checked_add(s.total.amount()).ok_or("overflow")?;
                }
                sum = sum.checked_add(mine).ok_or("overflow")?;
                per_rep.push(mine);
            }
        }
        let t_all = t.elapsed().as_secs_f64();
        println!("  run {}: inputs {t_in:.3}s + {mode} + summed {:.3}s: compute {t_all:.3}s; total payout {sum}", it + 1, t_all - t_in);
        compute_s.push(t_all);
        inputs_s.push(t_in);
        statements_s.push(t_all - t_in);
        if it == 0 {
            total = sum;
            payouts = per_rep.iter().map(|p| (*p * Decimal::ONE_HUNDRED).to_i64().ok_or("payout beyond i64 cents")).collect::<Result<_, _>>()?;
        } else if sum != total {
            return Err(format!("run {} total {sum} differs from run 1 {total}", it + 1).into());
        }
    }

    // ---- independent check ----
    let epoch = date(1970, 1, 1)?.num_days_from_ce();
    let (lo, hi) = ((q1.start().num_days_from_ce() - epoch), (q1.end().num_days_from_ce() - epoch));
    let mut m = vec![0i64; rep_id.len()];
    for ((r, &d), &c) in line_rep.iter().zip(&line_day).zip(&line_cents) {
        if d >= lo && d < hi {
            m[row_of(*r).ok_or("rep")? as usize] += c;
        }
    }
    let mut expect = Decimal::ZERO;
    let mut bad = 0usize;
    for (i, (&mi, &qi)) in m.iter().zip(&quota).enumerate() {
        let p = independent_payout(mi, qi);
        expect += p;
        if Decimal::new(payouts[i], 2) != p {
            if bad < 5 { eprintln!("rep {}: crate {} independent {p}", rep_id[i], Decimal::new(payouts[i], 2)); }
            bad += 1;
        }
    }
    if expect != total || bad > 0 {
        println!("VERIFY FAILED: crate total {total}, independent {expect}, {bad} reps differ: no time reported");
        std::process::exit(1);
    }
    println!("  verify: total payout {total} = independent computation, every rep equal: OK");
    if let Some(path) = out {
        use std::io::Write as _;
        let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
        for x in &rep_id { f.write_all(&x.to_le_bytes())?; }
        for x in &payouts { f.write_all(&x.to_le_bytes())?; }
        f.flush()?;
    }
    println!(
        "RESULT {{\"tool\": \"crate_comp\", \"variant\": \"{variant}\", \"size\": \"{size}\", \"runs\": {iters}, \
\"load_median_s\": {load:.6}, \"compute_median_s\": {:.6}, \"total_median_s\": {:.6}, \"min_compute_s\": {:.6}, \
\"first_compute_s\": {:.6}, \"inputs_median_s\": {:.6}, \"statements_median_s\": {:.6}, \
\"mode\": \"{mode}\", \"crediting_s\": {t_credit:.6}, \"lines_made_s\": {t_lines:.6}, \"load_read_s\": {t_read:.6}, \"load_org_s\": {t_org:.6}, \
\"total_payout\": \"{total}\", \"verified\": true}}",
        median(&compute_s),
        load + median(&compute_s),
        compute_s.iter().copied().fold(f64::INFINITY, f64::min),
        compute_s[0],
        median(&inputs_s),
        median(&statements_s),
    );
    Ok(())
}
