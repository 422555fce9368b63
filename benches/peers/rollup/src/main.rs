//! The peers' org rollup (see ../README.md) done with the `salesplan` crate's
//! public API, from the flat binary columns that `export_bin.py` writes (the
//! same data DuckDB and Polars read from parquet).
//!
//! Usage: crate_rollup <small|large> <sequential|parallel> [--iters N] [--warm N] [--out FILE]
//! (--iters: cold runs in this process, default 1; --warm: warm runs after them, default 3, 0 = none)
//!
//! Timed separately, on the crate's columnar API (issue #29):
//! - load: read the columns (page cache) and build the crate's `Org` from
//!   them in one call (`OrgColumns`: the i64 ids as they are, -1 as the
//!   "no manager" marker, a role per row mapped from export_roles.py's
//!   codes); the files are mapped (`mmap` with `MAP_POPULATE`: the page
//!   cache's pages mapped at once, read in place, no copy);
//! - compute: `Org::as_of` -> `sum_credit_columns` (the i64 rep ids, the
//!   days and the cents as columns; ids resolved inside the crate) ->
//!   `MoneyRollup::attainments_minor` (quotas as a cents column, exact
//!   `Decimal` ratios). Nothing is encoded on the user's side any more, so
//!   "encode" is 0 and compute = cold.
//! - warm (after the cold iterations): `sum_credit_columns` + attainments
//!   with the snapshot built, for the year and for H1.
//!
//! Every iteration's per-node totals are checked against the data's
//! reference (reference.txt: root, sum over nodes, checksum sum(total *
//! (id % 9973))); the first iteration's totals are also compared node by
//! node with an independent plain-integer rollup, and every attainment with
//! `rust_decimal`'s own `checked_div`. On any difference nothing is
//! reported and the exit status is 1.
//!
//! Output: progress lines, then `RESULT {json}` in the format the Python
//! benchmarks print (common.py), which summarize.py reads.

use std::hint::black_box;
use std::io::Write as _;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use salesplan::money::Attainment;
use salesplan::org::{Org, OrgColumns, OrgSnapshot, Role};
use salesplan::Execution;
use salesplan::rollup::{AmountColumn, CreditColumns, MoneyRollup, SumOptions, sum_credit_columns};
use salesplan::{Currency, Period};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

// ---------- loading ----------
/// A column of a file's values, mapped from the page cache (`mmap`, every
/// page mapped at once with `MAP_POPULATE`): no copy, no zeroed buffer;
/// the values are read in place as a slice.
struct Col<T> {
    ptr: *const T,
    len: usize,
    bytes: usize,
}

// SAFETY: the mapping is private and read-only, owned by the `Col`.
unsafe impl<T: Sync> Sync for Col<T> {}
unsafe impl<T: Send> Send for Col<T> {}

impl<T: Copy> Col<T> {
    fn map(path: &str) -> Res<Col<T>> {
        use std::os::fd::AsRawFd as _;
        let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
        let bytes = usize::try_from(file.metadata()?.len())?;
        let len = bytes / std::mem::size_of::<T>();
        if len == 0 {
            return Ok(Col { ptr: std::ptr::NonNull::dangling().as_ptr(), len: 0, bytes: 0 });
        }
        // SAFETY: a fresh private read-only mapping of the whole file; the
        // file is not written while the program runs. T is a plain integer
        // type (i64, i32, u8), valid for any bytes, and the mapping is
        // page-aligned.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                bytes,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_POPULATE,
                file.as_raw_fd(),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(format!("{path}: mmap: {}", std::io::Error::last_os_error()).into());
        }
        Ok(Col { ptr: ptr.cast::<T>(), len, bytes })
    }
}

impl<T> std::ops::Deref for Col<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        // SAFETY: `len` values of T in the live mapping (or none).
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl<T> Drop for Col<T> {
    fn drop(&mut self) {
        if self.bytes > 0 {
            // SAFETY: the mapping made in `map`, unmapped once.
            unsafe { libc::munmap(self.ptr as *mut libc::c_void, self.bytes) };
        }
    }
}

struct Columns {
    org_id: Col<i64>,
    org_par: Col<i64>, // -1 = root
    org_quota: Col<i64>,
    org_role: Col<u8>, // export_roles.py codes
    cr_rep: Col<i64>,
    cr_day: Col<i32>, // days since 1970-01-01
    cr_cents: Col<i64>,
}

fn read_columns(dir: &str) -> Res<Columns> {
    let c = Columns {
        org_id: Col::map(&format!("{dir}/org_id.i64"))?,
        org_par: Col::map(&format!("{dir}/org_parent.i64"))?,
        org_quota: Col::map(&format!("{dir}/org_quota_cents.i64"))?,
        org_role: Col::map(&format!("{dir}/org_role.u8"))?,
        cr_rep: Col::map(&format!("{dir}/cr_rep.i64"))?,
        cr_day: Col::map(&format!("{dir}/cr_day.i32"))?,
        cr_cents: Col::map(&format!("{dir}/cr_cents.i64"))?,
    };
    let n = c.org_id.len();
    let m = c.cr_rep.len();
    if c.org_par.len() != n || c.org_quota.len() != n || c.org_role.len() != n || c.cr_day.len() != m || c.cr_cents.len() != m {
        return Err("column lengths differ".into());
    }
    Ok(c)
}

/// export_roles.py's codes (gen.py's role names) as the crate's roles.
fn role_of(code: u8) -> Role {
    match code {
        0 => Role::SalesRep,         // REP
        1 => Role::TeamLead,         // TL
        2 => Role::Supervisor,       // MGR (first line)
        3 => Role::AssistantManager, // DIR
        4 => Role::RegionalManager,  // RVP
        5 => Role::Director,         // VP, SVP
        _ => Role::Executive,        // EVP, EVP2, CEO
    }
}

/// The crate's org from the columns, in one call: the i64 ids as they
/// are, -1 for "no manager".
fn build_org(c: &Columns) -> Res<Org> {
    let roles: Vec<Role> = c.org_role.iter().map(|&r| role_of(r)).collect();
    Ok(OrgColumns::new(&c.org_id, &c.org_par, &-1, &roles).build()?)
}

/// The credits as the crate takes them: the user's columns.
fn credits(c: &Columns) -> CreditColumns<'_, i64> {
    CreditColumns::new(&c.cr_rep, AmountColumn::Minor(&c.cr_cents)).days(&c.cr_day)
}

// ---------- verification ----------
struct Reference {
    root: i128,
    sum: i128,
    checksum: i128,
}

fn read_reference(path: &str) -> Res<Reference> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let get = |k: &str| -> Res<i128> {
        Ok(text
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{k}=")))
            .ok_or_else(|| format!("{k} missing in {path}"))?
            .trim()
            .parse()?)
    };
    Ok(Reference { root: get("root_total_cents")?, sum: get("sum_all_nodes_cents")?, checksum: get("checksum")? })
}

/// (root, sum over nodes, checksum) of the crate's subtree totals.
fn summary(snapshot: &OrgSnapshot, totals: &MoneyRollup<'_>, org_id: &[i64]) -> (i128, i128, i128) {
    let (mut sum, mut chk) = (0i128, 0i128);
    for node in snapshot.nodes() {
        let t = totals.subtree_minor(node.index()).unwrap_or(i128::MIN);
        sum += t;
        chk += t * i128::from(org_id[node.declared_index()] % 9973);
    }
    (totals.subtree_minor(snapshot.root().index()).unwrap_or(i128::MIN), sum, chk)
}

/// Subtree totals by declaration index, with plain integers (no crate code).
fn independent_totals(c: &Columns, lo: i32, hi: i32) -> Vec<i128> {
    let n = c.org_id.len();
    let index: FxHashMap<i64, u32> = c.org_id.iter().enumerate().map(|(i, &id)| (id, i as u32)).collect();
    let par: Vec<u32> = c.org_par.iter().map(|p| if *p < 0 { u32::MAX } else { index[p] }).collect();
    let mut tot = vec![0i128; n];
    for ((r, &d), &cents) in c.cr_rep.iter().zip(c.cr_day.iter()).zip(c.cr_cents.iter()) {
        if d >= lo && d < hi {
            tot[index[r] as usize] += i128::from(cents);
        }
    }
    // children after parents (BFS), then one reverse pass
    let mut start = vec![0u32; n + 1];
    let mut root = u32::MAX;
    for (v, &p) in par.iter().enumerate() {
        if p == u32::MAX { root = v as u32 } else { start[p as usize + 1] += 1 }
    }
    for i in 0..n { start[i + 1] += start[i]; }
    let mut fill = start.clone();
    let mut kids = vec![0u32; n];
    for (v, &p) in par.iter().enumerate() {
        if p != u32::MAX { kids[fill[p as usize] as usize] = v as u32; fill[p as usize] += 1; }
    }
    let mut order = vec![root];
    let mut h = 0;
    while h < order.len() {
        let v = order[h] as usize;
        order.extend_from_slice(&kids[start[v] as usize..start[v + 1] as usize]);
        h += 1;
    }
    assert_eq!(order.len(), n, "not a tree");
    for &v in order.iter().skip(1).rev() {
        let x = tot[v as usize];
        tot[par[v as usize] as usize] += x;
    }
    tot
}

/// Every node: total equal to the independent one, attainment equal (digit
/// for digit and scale for scale) to rust_decimal's checked_div.
fn check_nodes(snapshot: &OrgSnapshot, totals: &MoneyRollup<'_>, att: &[Attainment], expect: &[i128], quota: &[i64]) -> Vec<String> {
    let mut bad = Vec::new();
    if snapshot.len() != expect.len() || att.len() != expect.len() {
        bad.push(format!("node count: snapshot {} attainments {} positions {}", snapshot.len(), att.len(), expect.len()));
        return bad;
    }
    let (mut total_bad, mut att_bad, mut att_scale) = (0usize, 0usize, 0usize);
    for node in snapshot.nodes() {
        let d = node.declared_index();
        let t = totals.subtree_minor(node.index());
        if t != Some(expect[d]) {
            if total_bad < 5 { bad.push(format!("{}: total {:?} expected {}", node.id(), t, expect[d])); }
            total_bad += 1;
        }
        let want = Decimal::from_i128_with_scale(expect[d], 0).checked_div(Decimal::from_i128_with_scale(i128::from(quota[d]), 0));
        match (att.get(node.index().index()), want) {
            (Some(Attainment::Ratio(r)), Some(w)) if *r == w => {
                if r.serialize() != w.serialize() { att_scale += 1; }
            }
            (got, _) => {
                if att_bad < 5 { bad.push(format!("{}: attainment {:?} expected {:?}", node.id(), got, want)); }
                att_bad += 1;
            }
        }
    }
    if total_bad + att_bad > 0 {
        bad.push(format!("{total_bad} totals and {att_bad} attainments differ"));
    }
    if att_scale > 0 {
        eprintln!("note: {att_scale} attainments equal in value but not in scale to Decimal::checked_div");
    }
    bad
}

// ---------- main ----------
fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() { f64::NAN } else if v.len() % 2 == 1 { v[v.len() / 2] } else { (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0 }
}

/// JSON number, or null for NaN (no runs).
fn opt(x: f64) -> String {
    if x.is_nan() { "null".to_string() } else { format!("{x:.6}") }
}

fn json_list(xs: &[f64]) -> String {
    format!("[{}]", xs.iter().map(|x| format!("{x:.6}")).collect::<Vec<_>>().join(", "))
}

fn main() {
    if let Err(e) = run() {
        eprintln!("crate_rollup: {e}");
        std::process::exit(1);
    }
}

fn run() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: crate_rollup <small|large> <sequential|parallel> [--iters N] [--warm N] [--out FILE]";
    let size = args.get(1).ok_or(usage)?.clone();
    let (variant, execution) = match args.get(2).map(String::as_str) {
        Some("sequential") => ("sequential", Execution::Sequential),
        Some("parallel") => ("parallel", Execution::Parallel),
        _ => return Err(usage.into()),
    };
    let mut iters = 1usize;
    let mut out: Option<String> = None;
    let mut warm_runs = 3usize;
    let mut k = 3;
    while k < args.len() {
        match args[k].as_str() {
            "--iters" => { iters = args.get(k + 1).ok_or(usage)?.parse()?; k += 2; }
            "--warm" => { warm_runs = args.get(k + 1).ok_or(usage)?.parse()?; k += 2; }
            "--out" => { out = Some(args.get(k + 1).ok_or(usage)?.clone()); k += 2; }
            _ => return Err(usage.into()),
        }
    }
    let iters = iters.max(1);
    // side_by_side.sh runs the program from the peers' folder, beside data/.
    let base = std::env::var("PEERS_DATA").unwrap_or_else(|_| "data".to_string());
    let threads = match execution { Execution::Parallel => rayon::current_num_threads(), _ => 1 };
    println!("crate_rollup salesplan size={size} variant={variant} threads={threads} iters={iters}");
    let reference = read_reference(&format!("{base}/{size}/reference.txt"))?;

    // ---- (a) load ----
    let t = Instant::now();
    let cols = read_columns(&format!("{base}/{size}/bin"))?;
    let t_read = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let org = build_org(&cols)?;
    let t_org = t.elapsed().as_secs_f64();
    let load = t_read + t_org;
    let n_pos = org.positions().len();
    println!("  load: read columns {t_read:.3}s, Org built from columns {t_org:.3}s ({n_pos} positions, {} credits)", cols.cr_rep.len());

    let as_of = NaiveDate::from_ymd_opt(2025, 12, 31).ok_or("date")?;
    let year = Period::year(2025)?;
    let h1 = Period::new(year.start(), NaiveDate::from_ymd_opt(2025, 7, 1).ok_or("date")?)?;
    let day0 = |d: NaiveDate| (d.num_days_from_ce() - NaiveDate::from_ymd_opt(1970, 1, 1).map_or(0, |e| e.num_days_from_ce())) as i32;
    let (ylo, yhi) = (day0(year.start()), day0(year.end()));

    // ---- (b) compute = encode + cold, `iters` times ----
    let (mut encode_s, mut cold_s, mut compute_s) = (Vec::new(), Vec::new(), Vec::new());
    let mut phases_first = String::new();
    let mut failures: Vec<String> = Vec::new();
    for it in 0..iters {
        let t_enc = 0.0;
        let t = Instant::now();
        let snapshot = org.as_of(as_of)?;
        let t_snap = t.elapsed().as_secs_f64();
        let options = SumOptions::new(Currency::USD).period(year).execution(execution);
        let totals = sum_credit_columns(&snapshot, credits(&cols), options)?;
        let t_sum = t.elapsed().as_secs_f64();
        let attainment = totals.attainments_minor(&cols.org_quota)?;
        let t_cold = t.elapsed().as_secs_f64();
        black_box(&attainment);
        encode_s.push(t_enc);
        cold_s.push(t_cold);
        compute_s.push(t_enc + t_cold);
        let phases = format!(
            "\"encode\": 0.0, \"snapshot\": {t_snap:.6}, \"sum_credit_columns\": {:.6}, \"attainments_minor\": {:.6}",
            t_sum - t_snap, t_cold - t_sum
        );
        println!("  run {}: encode={t_enc:.3}s cold={t_cold:.3}s compute={:.3}s  ({})", it + 1, t_enc + t_cold, phases.replace('"', ""));
        // untimed checks
        let (root, sum, chk) = summary(&snapshot, &totals, &cols.org_id);
        if (root, sum, chk) != (reference.root, reference.sum, reference.checksum) {
            failures.push(format!("run {}: root {root} sum {sum} checksum {chk} vs reference {} {} {}", it + 1, reference.root, reference.sum, reference.checksum));
        }
        if it == 0 {
            phases_first = phases;
            let expect = independent_totals(&cols, ylo, yhi);
            let (eroot, esum): (i128, i128) = (expect[snapshot.root().declared_index()], expect.iter().sum());
            if (eroot, esum) != (reference.root, reference.sum) {
                failures.push(format!("independent rollup disagrees with reference.txt: {eroot} {esum}"));
            }
            failures.extend(check_nodes(&snapshot, &totals, &attainment, &expect, &cols.org_quota));
            if let Some(path) = &out {
                // declaration order: id i64, total_cents i64, attainment f64 (3 flat columns, one after another)
                let mut tot = vec![0i64; n_pos];
                let mut att = vec![f64::NAN; n_pos];
                for node in snapshot.nodes() {
                    let d = node.declared_index();
                    tot[d] = i64::try_from(totals.subtree_minor(node.index()).unwrap_or(0))?;
                    att[d] = attainment.get(node.index().index()).and_then(|a| a.ratio()).map_or(f64::NAN, |r| f64::try_from(r).unwrap_or(f64::NAN));
                }
                let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
                for x in cols.org_id.iter() { f.write_all(&x.to_le_bytes())?; }
                for x in &tot { f.write_all(&x.to_le_bytes())?; }
                for x in &att { f.write_all(&x.to_le_bytes())?; }
                f.flush()?;
            }
        }
        if !failures.is_empty() {
            break;
        }
    }

    // ---- (c) warm: snapshot and node quotas built, rows encoded ----
    let (mut warm_year, mut warm_h1) = (Vec::new(), Vec::new());
    if failures.is_empty() && warm_runs > 0 {
        let snapshot = org.as_of(as_of)?;
        for _ in 0..warm_runs {
            for (period, list) in [(year, &mut warm_year), (h1, &mut warm_h1)] {
                let t = Instant::now();
                let totals = sum_credit_columns(&snapshot, credits(&cols), SumOptions::new(Currency::USD).period(period).execution(execution))?;
                let att = totals.attainments_minor(&cols.org_quota)?;
                list.push(t.elapsed().as_secs_f64());
                black_box(&att);
                if period == year {
                    let s = summary(&snapshot, &totals, &cols.org_id);
                    if s != (reference.root, reference.sum, reference.checksum) {
                        failures.push(format!("warm run: {s:?} vs reference"));
                    }
                }
            }
        }
        println!("  warm (snapshot built): year median {:.3}s, H1 median {:.3}s", median(&warm_year), median(&warm_h1));
    }

    if !failures.is_empty() {
        for f in &failures {
            eprintln!("VERIFY FAILED: {f}");
        }
        println!("VERIFY FAILED: no time reported");
        std::process::exit(1);
    }
    println!("  verify: every iteration's root/sum/checksum = reference.txt; run 1 node by node = independent rollup; attainments = Decimal::checked_div: OK");
    let later: Vec<f64> = compute_s.iter().skip(1).copied().collect();
    let later_cold: Vec<f64> = cold_s.iter().skip(1).copied().collect();
    println!(
        "RESULT {{\"tool\": \"crate_rollup\", \"variant\": \"{variant}\", \"size\": \"{size}\", \"runs\": {iters}, \
\"load_median_s\": {load:.6}, \"compute_median_s\": {:.6}, \"total_median_s\": {:.6}, \"min_compute_s\": {:.6}, \
\"first_compute_s\": {:.6}, \"first_cold_s\": {:.6}, \"cold_median_s\": {:.6}, \"cold_min_s\": {:.6}, \
\"later_compute_median_s\": {}, \"later_cold_median_s\": {}, \"encode_median_s\": {:.6}, \
\"load_read_s\": {t_read:.6}, \"load_org_build_s\": {t_org:.6}, \"first_phases\": {{{phases_first}}}, \
\"warm_year_median_s\": {}, \"warm_h1_median_s\": {}, \"compute_all\": {}, \"cold_all\": {}, \
\"threads\": {threads}, \"decimal\": \"i64 cents column -> i64/i128 sums (crate), exact Decimal attainment\", \"verified\": true}}",
        median(&compute_s),
        load + median(&compute_s),
        compute_s.iter().copied().fold(f64::INFINITY, f64::min),
        compute_s[0],
        cold_s[0],
        median(&cold_s),
        cold_s.iter().copied().fold(f64::INFINITY, f64::min),
        if later.is_empty() { "null".to_string() } else { format!("{:.6}", median(&later)) },
        if later_cold.is_empty() { "null".to_string() } else { format!("{:.6}", median(&later_cold)) },
        median(&encode_s),
        opt(median(&warm_year)),
        opt(median(&warm_h1)),
        json_list(&compute_s),
        json_list(&cold_s),
    );
    Ok(())
}
