//! The crediting side-by-side (/tmp/peers/credit_side_by_side/README.md, copied in ../README.md)
//! with the salesplan crate's columnar crediting, on gen_credit.py's
//! columns (<peers>/data/credit-<size>/bin).
//!
//! Usage: crate_credit <small|large> <sequential|parallel> [--iters N] [--out DIR] [--no-people]
//! (--no-people: the org without its people, as the crate's own benchmark builds it; a side check,
//! not part of run.sh)
//!
//! The job: every position's and person's direct and roll-up credit per
//! quarter of 2025, under a revenue `CreditPlan` in USD, by the same rules as
//! `Crediting::totals` (exact 60/40 splits, returns credited cumulatively).
//!
//! Timed separately:
//! - load: read the columns; build the crate's `Org` from them in one call
//!   (`OrgColumns`: the i64 ids as they are, -1 as "no manager", a role per
//!   row from export_roles.py's codes, each position's holder joined on
//!   from the people table, -1 for a vacant seat, in effect from
//!   1 January 2025);
//! - encode: nothing is encoded any more (0);
//! - compute: the transaction kinds' u8 codes as `TransactionKind`s, then
//!   `Crediting::totals_from_columns` on the user's columns as they are
//!   (i64 transaction and owner ids, basis-point shares, i32 days, i64
//!   cents, the original's row): the owners' ids are resolved inside the
//!   crate; the totals come back as columns;
//! - extract: the output's id columns: the positions' are the org
//!   table's own (the totals are in its row order); the people's are the
//!   org's people's ids, in the org's order of people (nothing permuted).
//! In `--iters N` runs compute and extract are done N times.
//!
//! Later runs' totals must equal the first's (compared by a digest of every
//! column); only the last run's are kept (so that the process's peak
//! memory is one run's), and after the runs they are checked, position by
//! position and person by person (matched by id), all four quarters,
//! direct and roll-up, against a computation here that uses no crate code
//! (integer cents: largest-remainder splits, returns credited
//! cumulatively, a bottom-up pass over the parents). Only then is a RESULT
//! printed.

use std::io::Write as _;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use rustc_hash::FxHashMap;
use salesplan::calendar::DateRange;
use salesplan::credit::{CreditBasis, CreditColumnTotals, CreditPlan, Crediting, TransactionColumns, TransactionKind};
use salesplan::org::{Org, OrgColumns, Role};
use salesplan::Execution;
use salesplan::{Currency, Period};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// The file's values, read straight into the vector's memory.
fn read_vec<T: Copy>(path: &str) -> Res<Vec<T>> {
    use std::io::Read as _;
    let mut file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let bytes = usize::try_from(file.metadata()?.len())?;
    let n = bytes / std::mem::size_of::<T>();
    let mut v = Vec::<T>::with_capacity(n);
    // SAFETY: T is a plain integer type here (i64, i32, u8), valid for any
    // bytes; the slice covers the vector's capacity, filled before set_len.
    unsafe {
        let buf = std::slice::from_raw_parts_mut(v.as_mut_ptr() as *mut u8, n * std::mem::size_of::<T>());
        file.read_exact(buf).map_err(|e| format!("{path}: {e}"))?;
        v.set_len(n);
    }
    Ok(v)
}

struct Columns {
    org_id: Vec<i64>,
    org_par: Vec<i64>, // -1 = root
    org_role: Vec<u8>,
    person_id: Vec<i64>,
    person_pos: Vec<i64>,
    tx_id: Vec<i64>,
    tx_kind: Vec<u8>, // 0 sale (order), 1 return
    tx_day: Vec<i32>, // days since 1970-01-01
    tx_cents: Vec<i64>,
    tx_owner1: Vec<i64>, // -1: none
    tx_share1: Vec<i32>, // basis points
    tx_owner2: Vec<i64>,
    tx_share2: Vec<i32>,
    tx_orig: Vec<i64>, // row of the original, -1: none
}

fn read_columns(dir: &str) -> Res<Columns> {
    let r = |name: &str| format!("{dir}/{name}");
    let c = Columns {
        org_id: read_vec(&r("org_id.i64"))?,
        org_par: read_vec(&r("org_parent.i64"))?,
        org_role: read_vec(&r("org_role.u8"))?,
        person_id: read_vec(&r("person_id.i64"))?,
        person_pos: read_vec(&r("person_pos.i64"))?,
        tx_id: read_vec(&r("tx_id.i64"))?,
        tx_kind: read_vec(&r("tx_kind.u8"))?,
        tx_day: read_vec(&r("tx_day.i32"))?,
        tx_cents: read_vec(&r("tx_cents.i64"))?,
        tx_owner1: read_vec(&r("tx_owner1.i64"))?,
        tx_share1: read_vec(&r("tx_share1.i32"))?,
        tx_owner2: read_vec(&r("tx_owner2.i64"))?,
        tx_share2: read_vec(&r("tx_share2.i32"))?,
        tx_orig: read_vec(&r("tx_orig.i64"))?,
    };
    let (n, p) = (c.org_id.len(), c.person_id.len());
    let same = [c.org_par.len(), c.org_role.len()].iter().all(|&l| l == n) && c.person_pos.len() == p;
    if !same {
        return Err("org or people column lengths differ".into());
    }
    // The transaction columns' lengths are the crate's to check.
    Ok(c)
}

/// export_roles.py's codes (gen.py's role names) as the crate's roles (as crate_rollup).
fn role_of(code: u8) -> Role {
    match code {
        0 => Role::SalesRep,
        1 => Role::TeamLead,
        2 => Role::Supervisor,
        3 => Role::AssistantManager,
        4 => Role::RegionalManager,
        5 => Role::Director,
        _ => Role::Executive,
    }
}

fn date(y: i32, m: u32, d: u32) -> Res<NaiveDate> {
    Ok(NaiveDate::from_ymd_opt(y, m, d).ok_or("date")?)
}

/// The org from its columns, with each position's holder joined on from
/// the people table (-1: vacant).
fn build_org(c: &Columns, with_people: bool) -> Res<Org> {
    let always = DateRange::starting(date(2025, 1, 1)?);
    let roles: Vec<Role> = c.org_role.iter().map(|&r| role_of(r)).collect();
    let columns = OrgColumns::new(&c.org_id, &c.org_par, &-1, &roles).effective(always);
    if !with_people {
        return Ok(columns.build()?);
    }
    let row: FxHashMap<i64, usize> = c.org_id.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let mut holders = vec![-1_i64; c.org_id.len()];
    for (&person, pos) in c.person_id.iter().zip(&c.person_pos) {
        let at = *row.get(pos).ok_or_else(|| format!("person {person} holds unknown position {pos}"))?;
        holders[at] = person;
    }
    Ok(columns.holders(&holders, &-1).build()?)
}

/// The kinds' codes as the crate's kinds.
fn kinds(codes: &[u8]) -> Res<Vec<TransactionKind>> {
    codes
        .iter()
        .map(|k| match k {
            0 => Ok(TransactionKind::Order),
            1 => Ok(TransactionKind::Return),
            k => Err(format!("kind {k}").into()),
        })
        .collect()
}

/// 8 values a row: direct Q1..Q4, then roll-up Q1..Q4, in cents.
type Row8 = [i64; 8];

/// Rows of 8 from the quarters' direct and roll-up columns.
fn rows<'t>(len: usize, direct: impl Fn(usize) -> Option<&'t [i64]>, roll: impl Fn(usize) -> Option<&'t [i64]>) -> Res<Vec<Row8>> {
    let mut out = vec![[0i64; 8]; len];
    for q in 0..4 {
        let (d, r) = (direct(q).ok_or("no quarter")?, roll(q).ok_or("no quarter")?);
        if d.len() != len || r.len() != len {
            return Err("a column of another length".into());
        }
        for (row, (d, r)) in out.iter_mut().zip(d.iter().zip(r)) {
            row[q] = *d;
            row[4 + q] = *r;
        }
    }
    Ok(out)
}

/// Every position's (org order) and person's (people table order) totals,
/// from the crate's columns and the id of each of the org's people.
fn rows_of(totals: &CreditColumnTotals, person_ids: &[i64], c: &Columns, with_people: bool) -> Res<(Vec<Row8>, Vec<Row8>)> {
    let positions = rows(c.org_id.len(), |q| totals.direct(q), |q| totals.roll_up(q))?;
    if !with_people {
        return Ok((positions, Vec::new()));
    }
    let index: FxHashMap<i64, usize> = person_ids.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let mut people = vec![[0i64; 8]; c.person_id.len()];
    for q in 0..4 {
        let (d, r) = (totals.person_direct(q).ok_or("no quarter")?, totals.person_roll_up(q).ok_or("no quarter")?);
        for (row, p) in people.iter_mut().zip(&c.person_id) {
            let i = *index.get(p).ok_or_else(|| format!("person {p} not in the org"))?;
            row[q] = d[i];
            row[4 + q] = r[i];
        }
    }
    Ok((positions, people))
}

/// The output's id columns: positions' are the org table's own, in its
/// order; people's are the org's people's ids, in the org's order of people.
fn extract(org: &Org) -> Res<Vec<i64>> {
    org.people().iter().map(|p| p.as_u64().and_then(|n| i64::try_from(n).ok()).ok_or_else(|| format!("person {p} is not an integer").into())).collect()
}

/// A digest of every column of the totals, to compare later runs with the first.
fn digest(totals: &CreditColumnTotals) -> (u64, u64) {
    let (mut a, mut b) = (0x9e37_79b9_7f4a_7c15_u64, 0x0123_4567_89ab_cdef_u64);
    for q in 0..4 {
        for col in [totals.direct(q), totals.roll_up(q), totals.person_direct(q), totals.person_roll_up(q)].into_iter().flatten() {
            for &x in col {
                a = (a ^ x as u64).wrapping_mul(0x100_0000_01b3).rotate_left(23);
                b = b.wrapping_add(x as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(31);
            }
        }
    }
    (a, b)
}

/// Largest-remainder split of `v` minor units over `shares` (basis points,
/// summing to 10,000), ties to the lower `keys` (the crate breaks them by
/// the position's place in the org). No crate code.
fn split(v: i64, shares: &[(i64, i64)], out: &mut Vec<i64>) {
    out.clear();
    let mag = v.unsigned_abs() as i128;
    let mut given = 0i128;
    let mut rem: Vec<(i128, i64, usize)> = Vec::with_capacity(shares.len());
    for (i, &(key, s)) in shares.iter().enumerate() {
        let x = mag * i128::from(s);
        out.push((x / 10_000) as i64);
        given += x / 10_000;
        rem.push((x % 10_000, key, i));
    }
    let left = (mag - given) as usize;
    rem.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, _, i) in rem.iter().take(left) {
        out[i] += 1;
    }
    if v < 0 {
        out.iter_mut().for_each(|x| *x = -*x);
    }
}

/// The expected rows, from the columns alone (no crate code).
fn independent(c: &Columns) -> Res<(Vec<Row8>, Vec<Row8>)> {
    let n = c.org_id.len();
    let index: FxHashMap<i64, u32> = c.org_id.iter().enumerate().map(|(i, &id)| (id, i as u32)).collect();
    let ix = |id: i64| index.get(&id).map(|&i| i as usize).ok_or_else(|| format!("unknown position {id}"));
    let epoch = date(1970, 1, 1)?.num_days_from_ce();
    let bounds: Vec<i32> = [(4, 1), (7, 1), (10, 1)].iter().map(|&(m, d)| Ok(date(2025, m, d)?.num_days_from_ce() - epoch)).collect::<Res<_>>()?;
    let (start, end) = (date(2025, 1, 1)?.num_days_from_ce() - epoch, date(2026, 1, 1)?.num_days_from_ce() - epoch);
    let quarter = |d: i32| -> Option<usize> { (d >= start && d < end).then(|| bounds.iter().filter(|&&b| d >= b).count()) };
    let mut direct = vec![[0i64; 4]; n];
    let (mut owners, mut before, mut after) = (Vec::new(), Vec::new(), Vec::new());
    let owners_of = |s: usize, owners: &mut Vec<(i64, i64)>| -> Result<Vec<usize>, String> {
        owners.clear();
        let mut at = Vec::new();
        for (o, sh) in [(c.tx_owner1[s], c.tx_share1[s]), (c.tx_owner2[s], c.tx_share2[s])] {
            if o >= 0 {
                let p = ix(o)?;
                owners.push((p as i64, i64::from(sh)));
                at.push(p);
            }
        }
        Ok(at)
    };
    for i in 0..c.tx_id.len() {
        let Some(q) = quarter(c.tx_day[i]) else { continue };
        if c.tx_kind[i] == 0 {
            let at = owners_of(i, &mut owners)?;
            split(c.tx_cents[i], &owners, &mut after);
            for (p, x) in at.iter().zip(&after) {
                direct[*p][q] += x;
            }
        } else {
            // Cumulative: the owners go from their split of the sale to
            // their split of what is left of it.
            let s = c.tx_orig[i] as usize;
            let at = owners_of(s, &mut owners)?;
            let a = c.tx_cents[s];
            split(a, &owners, &mut before);
            split(a + c.tx_cents[i], &owners, &mut after);
            for ((p, x), y) in at.iter().zip(&after).zip(&before) {
                direct[*p][q] += x - y;
            }
        }
    }
    // Roll-up strictly below: subtree sums added child to parent, deepest first.
    let parent: Vec<Option<usize>> = c.org_par.iter().map(|&p| if p < 0 { Ok(None) } else { ix(p).map(Some) }).collect::<Result<_, _>>()?;
    let mut depth: Vec<Option<u32>> = vec![None; n];
    for x in 0..n {
        let mut chain = Vec::new();
        let mut y = x;
        // The depth above the chain: a known node's, or the root's parent (-1).
        let mut d: i64 = loop {
            if let Some(k) = depth[y] {
                break i64::from(k);
            }
            chain.push(y);
            if chain.len() > n {
                return Err("cycle in the org".into());
            }
            match parent[y] {
                Some(p) => y = p,
                None => break -1,
            }
        };
        for &z in chain.iter().rev() {
            d += 1;
            depth[z] = Some(d as u32);
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&x| std::cmp::Reverse(depth[x]));
    let mut sub = direct.clone();
    for &x in &order {
        if let Some(p) = parent[x] {
            for q in 0..4 {
                sub[p][q] += sub[x][q];
            }
        }
    }
    let rows: Vec<Row8> = (0..n)
        .map(|x| {
            let mut r = [0i64; 8];
            for q in 0..4 {
                r[q] = direct[x][q];
                r[4 + q] = sub[x][q] - direct[x][q];
            }
            r
        })
        .collect();
    // A person's totals are their seat's (one seat each, all year).
    let people = c.person_pos.iter().map(|&p| ix(p).map(|x| rows[x])).collect::<Result<Vec<_>, _>>()?;
    Ok((rows, people))
}

/// The process's peak and current resident memory, MiB (Linux), for the log.
fn mem() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status.lines().find(|l| l.starts_with(name)).and_then(|l| l.split_whitespace().nth(1)).and_then(|k| k.parse::<u64>().ok()).map_or(0, |k| k / 1024)
    };
    format!("peak {} MiB, now {} MiB", field("VmHWM:"), field("VmRSS:"))
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() { f64::NAN } else if v.len() % 2 == 1 { v[v.len() / 2] } else { (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0 }
}

fn main() {
    if let Err(e) = run() {
        eprintln!("crate_credit: {e}");
        std::process::exit(1);
    }
}

fn run() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: crate_credit <small|large> <sequential|parallel> [--iters N] [--out DIR] [--no-people]";
    let size = args.get(1).ok_or(usage)?.clone();
    let (variant, execution) = match args.get(2).map(String::as_str) {
        Some("sequential") => ("sequential", Execution::Sequential),
        Some("parallel") => ("parallel", Execution::Parallel),
        _ => return Err(usage.into()),
    };
    let (mut iters, mut out, mut with_people) = (1usize, None::<String>, true);
    let mut k = 3;
    while k < args.len() {
        match args[k].as_str() {
            "--iters" => { iters = args.get(k + 1).ok_or(usage)?.parse()?; k += 2; }
            "--out" => { out = Some(args.get(k + 1).ok_or(usage)?.clone()); k += 2; }
            "--no-people" => { with_people = false; k += 1; }
            _ => return Err(usage.into()),
        }
    }
    let base = std::env::var("PEERS_DATA").unwrap_or_else(|_| "/tmp/peers/data".to_string());
    let dir = format!("{base}/credit-{size}/bin");
    println!("crate_credit salesplan size={size} variant={variant} iters={iters} people={with_people} threads={}", rayon::current_num_threads());

    // ---- load ----
    let t = Instant::now();
    let c = read_columns(&dir)?;
    let t_read = t.elapsed().as_secs_f64();
    println!("  memory after reading the columns: {}", mem());
    let t = Instant::now();
    let org = build_org(&c, with_people)?;
    let t_org = t.elapsed().as_secs_f64();
    let load = t_read + t_org;
    println!("  load: read {t_read:.3}s, org built {t_org:.3}s ({} positions, {} people, {} transactions)", org.positions().len(), org.people().len(), c.tx_id.len());
    println!("  memory after the org: {}", mem());
    let t_encode = 0.0;

    // ---- compute (and extract) ----
    let quarters: Vec<Period> = (0..4u32)
        .map(|q| {
            let start = date(2025, 1 + 3 * q, 1)?;
            let end = if q == 3 { date(2026, 1, 1)? } else { date(2025, 4 + 3 * q, 1)? };
            Ok(Period::new(start, end)?)
        })
        .collect::<Res<_>>()?;
    let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    let crediting = Crediting::new(&org, &plan).execution(execution);
    let crediting = &crediting;
    let (mut compute_s, mut extract_s) = (Vec::new(), Vec::new());
    // Only the last run's totals are kept (for the check below); the
    // others are compared with the first by a digest of every column.
    let mut first: Option<(u64, u64)> = None;
    let mut last: Option<(CreditColumnTotals, Vec<i64>)> = None;
    for it in 0..iters {
        drop(last.take());
        let t = Instant::now();
        let kinds = kinds(&c.tx_kind)?;
        let feed = TransactionColumns::new(&c.tx_id, &kinds, &c.tx_day, &c.tx_cents)
            .owner(&c.tx_owner1, &c.tx_share1, &-1)
            .owner(&c.tx_owner2, &c.tx_share2, &-1)
            .originals(&c.tx_orig);
        let totals = crediting.totals_from_columns(&feed, &quarters)?;
        let t_compute = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let person_ids = extract(&org)?;
        let t_extract = t.elapsed().as_secs_f64();
        let t = Instant::now();
        drop(kinds);
        let t_drop = t.elapsed().as_secs_f64();
        println!("  run {}: compute {t_compute:.3}s (Crediting::totals_from_columns), extract {t_extract:.3}s, drop {t_drop:.3}s; memory {}", it + 1, mem());
        compute_s.push(t_compute);
        extract_s.push(t_extract);
        let d = digest(&totals);
        match first {
            None => first = Some(d),
            Some(f) if f != d => return Err(format!("run {} totals differ from run 1", it + 1).into()),
            Some(_) => {}
        }
        last = Some((totals, person_ids));
    }
    // The check needs only the columns and the results: the org goes
    // first, so that the process's peak memory is the job's, not the
    // check's on top of it.
    drop(org);
    let (totals, person_ids) = last.ok_or("no runs")?;
    let (pos_rows, person_rows) = rows_of(&totals, &person_ids, &c, with_people)?;
    drop(totals);

    // ---- independent check ----
    let t = Instant::now();
    let (want_pos, mut want_people) = independent(&c)?;
    if !with_people {
        want_people.clear();
    }
    println!("  memory after the independent computation: {}", mem());
    let mut bad = 0usize;
    for (i, (g, w)) in pos_rows.iter().zip(&want_pos).enumerate() {
        if g != w {
            if bad < 5 { eprintln!("position {}: crate {g:?} independent {w:?}", c.org_id[i]); }
            bad += 1;
        }
    }
    let mut bad_people = 0usize;
    for (i, (g, w)) in person_rows.iter().zip(&want_people).enumerate() {
        if g != w {
            if bad_people < 5 { eprintln!("person {}: crate {g:?} independent {w:?}", c.person_id[i]); }
            bad_people += 1;
        }
    }
    let sum = |rows: &[Row8], k: usize| rows.iter().map(|r| i128::from(r[k])).sum::<i128>();
    let dq: Vec<String> = (0..4).map(|q| sum(&pos_rows, q).to_string()).collect();
    let roll: i128 = (4..8).map(|q| sum(&pos_rows, q)).sum();
    let checksum: i128 = pos_rows.iter().zip(&c.org_id).map(|(r, &id)| {
        (0..8).map(|k| i128::from(r[k]) * (k as i128 + 1)).sum::<i128>() * i128::from(id % 9973)
    }).sum();
    if bad > 0 || bad_people > 0 || pos_rows.len() != want_pos.len() || person_rows.len() != want_people.len() {
        println!("VERIFY FAILED: {bad} positions and {bad_people} people differ from the independent computation: no time reported");
        std::process::exit(1);
    }
    println!("  verify ({:.3}s): every position ({}) and person ({}), 4 quarters, direct and roll-up = independent computation: OK; \
direct per quarter {dq:?} cents, roll-up sum {roll}, checksum {checksum}", t.elapsed().as_secs_f64(), pos_rows.len(), person_rows.len());
    if let Some(d) = out {
        std::fs::create_dir_all(&d)?;
        for (name, keys, rows) in [("positions.bin", &c.org_id, &pos_rows), ("people.bin", &c.person_id, &person_rows)] {
            let mut f = std::io::BufWriter::new(std::fs::File::create(format!("{d}/{name}"))?);
            for (k, r) in keys.iter().zip(rows.iter()) {
                f.write_all(&k.to_le_bytes())?;
                for x in r { f.write_all(&x.to_le_bytes())?; }
            }
            f.flush()?;
        }
    }
    println!(
        "RESULT {{\"tool\": \"crate_credit\", \"variant\": \"{variant}\", \"people\": {with_people}, \"size\": \"{size}\", \"runs\": {iters}, \
\"load_median_s\": {load:.6}, \"load_read_s\": {t_read:.6}, \"load_org_s\": {t_org:.6}, \"encode_s\": {t_encode:.6}, \
\"compute_median_s\": {:.6}, \"min_compute_s\": {:.6}, \"first_compute_s\": {:.6}, \"extract_median_s\": {:.6}, \
\"positions\": {}, \"direct_q_cents\": [{}], \"rollup_sum_cents\": \"{roll}\", \"checksum\": \"{checksum}\", \"verified\": true}}",
        median(&compute_s),
        compute_s.iter().copied().fold(f64::INFINITY, f64::min),
        compute_s[0],
        median(&extract_s),
        pos_rows.len(),
        dq.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", "),
    );
    Ok(())
}
