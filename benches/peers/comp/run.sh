#!/usr/bin/env bash
# Commission side-by-side: DuckDB SQL (bench_comp_duckdb.py) and the salesplan crate's comp module
# (this package, both on 2 threads, from credited lines as columns (`CreditLineColumns`): totals
# mode `payouts_from_columns` and full statements `statements_from_columns`)
# on the same generated data, interleaved, in one invocation. A copy of the peers'
# comp_side_by_side/run.sh (which runs one program, sequential and parallel) with the crate's two
# modes as its tools; the rest as there.
# Usage: bash run.sh [small|large] [rounds]     (default: large 3)
#   PEERS_DIR: the peers' harness (default ../../../../shared/peers from here), whose
#   comp_side_by_side/ holds bench_comp_duckdb.py and gen_comp.py, and data/ the data.
#   CRATE_BIN: this package's binary (default: built here with cargo build --release).
#   Each round runs each tool once in a fresh process under /usr/bin/time -v, with 3 computes in
#   that process (the first one is reported as "compute", the other two as "later").
#   Before the rounds: per-rep payouts of DuckDB and the crate compared, and the totals to the cent.
# Output: ../logs/comp/<size>-<stamp>/ and the table.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${CRATE_BIN:-}" ]; then (cd "$here" && cargo build --release -q); fi
CRATE=${CRATE_BIN:-${CARGO_TARGET_DIR:-$here/target}/release/crate_comp}
cd "${PEERS_DIR:-$here/../../../../shared/peers}/comp_side_by_side"
export PEERS_DATA=${PEERS_DATA:-$(cd ../data && pwd)}
size=${1:-large}
rounds=${2:-3}
. "${PEERS_VENV:-../venv}/bin/activate"   # PEERS_VENV: a venv with requirements.txt installed
[ -f ../data/comp-$size/bin/line_cents.i64 ] || python gen_comp.py $size
dir=../logs/comp/$size-$(date +%Y%m%d-%H%M%S)
mkdir -p "$dir"
note() { echo "$*" | tee -a "$dir/env.txt"; }
note "comp side_by_side $size rounds=$rounds start $(date '+%Y-%m-%d %H:%M:%S %Z')"
note "uptime at start: $(uptime)"
note "salesplan: $(git -C "$here" log -1 --format='%h %cs' 2>/dev/null || echo '?')"

# per-rep cross-check (refuses to go on when they differ)
python bench_comp_duckdb.py $size --runs 1 --out "$dir/duck.parquet" > "$dir/verify-duckdb.log"
$CRATE $size parallel --mode totals --out "$dir/crate.bin" > "$dir/verify-crate.log"
python - "$dir" <<'PY' | tee "$dir/verify.log"
import sys, numpy as np, polars as pl
d = sys.argv[1]
raw = np.fromfile(f"{d}/crate.bin", dtype=np.int64); n = len(raw) // 2
crate = pl.DataFrame({"rep_id": raw[:n], "crate": raw[n:]})
duck = pl.read_parquet(f"{d}/duck.parquet").rename({"payout_cents": "duck"})
j = crate.join(duck, on="rep_id", how="full", coalesce=True)
diff = j.filter(pl.col("crate").ne_missing(pl.col("duck"))).height
tc, td = int(j["crate"].sum()), int(j["duck"].sum())
ok = diff == 0 and j.height == n == duck.height and tc == td
print(f"{'OK ' if ok else 'BAD'} per rep: {j.height} reps, {diff} payouts differ; total payout crate {tc/100:.2f} "
      f"duckdb {td/100:.2f} USD ({'equal to the cent' if tc == td else 'DIFFERENT'})")
sys.exit(0 if ok else 1)
PY
rm -f "$dir/crate.bin" "$dir/duck.parquet"

tools=(duckdb crate_totals crate_statements)
for r in $(seq 1 "$rounds"); do
  for k in 0 1 2; do
    tool=${tools[$(( (k + r - 1) % 3 ))]}
    case $tool in
      duckdb)    cmd=(python bench_comp_duckdb.py $size --runs 3) ;;
      crate_totals)     cmd=($CRATE $size parallel --mode totals --iters 3) ;;
      crate_statements) cmd=($CRATE $size parallel --mode statements --iters 3) ;;
    esac
    if /usr/bin/time -v "${cmd[@]}" > "$dir/$tool-$r.log" 2> "$dir/$tool-$r.time"; then
      echo "round $r $tool: $(grep -h 'run 1:' "$dir/$tool-$r.log" | sed 's/^ *//')"
    else
      echo "round $r $tool FAILED (see $dir/$tool-$r.log): no time reported"
    fi
  done
done
note "uptime at end: $(uptime)"
echo
python - "$dir" "$size" <<'PY' | tee "$dir/TABLE.md"
import glob, json, re, statistics, sys
d, size = sys.argv[1], sys.argv[2]
med = statistics.median
rows, totals = {}, set()
for tool in ("duckdb", "crate_totals", "crate_statements"):
    rs = []
    for log in sorted(glob.glob(f"{d}/{tool}-*.log")):
        res = [json.loads(l[7:]) for l in open(log) if l.startswith("RESULT ")]
        if not res:
            continue
        r = res[0]
        runs = [float(x) for x in re.findall(r"compute[= ]([0-9.]+)s", open(log).read())]
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(log[:-4] + ".time").read())
        r["first"], r["later"], r["rss"] = runs[0], runs[1:], int(m.group(1)) / 1024
        totals.add(r["total_payout"])
        rs.append(r)
    rows[tool] = rs
ref = med([r["first"] for r in rows["duckdb"]]) if rows["duckdb"] else float("nan")
label = {"duckdb": "DuckDB SQL (2 threads, DECIMAL, CASE)", "crate_totals": "crate payouts_from_columns, totals (2 threads)",
         "crate_statements": "crate statements_from_columns, explained (2 threads)"}
print(f"| tool ({size}) | median compute s (1st in process) | min | median later computes s | median load s | "
      f"crate: handing the lines in s | peak RSS MiB | time / DuckDB's | rounds |")
print("|---|---|---|---|---|---|---|---|---|")
for tool, rs in rows.items():
    if not rs:
        print(f"| {label[tool]} | - | - | - | - | - | - | - | 0 |"); continue
    f = [r["first"] for r in rs]
    later = [x for r in rs for x in r["later"]]
    cred = f"{med([r['crediting_s'] for r in rs]):.1f}" if "crediting_s" in rs[0] else "-"
    print(f"| {label[tool]} | {med(f):.3f} | {min(f):.3f} | {med(later) if later else float('nan'):.3f} | "
          f"{med([r['load_median_s'] for r in rs]):.3f} | {cred} | {med([r['rss'] for r in rs]):.0f} | "
          f"{med(f) / ref:.2f}x | {len(rs)} |")
print(f"\ntotal payout: {', '.join(sorted(totals))} USD "
      f"({'all runs of all tools agree to the cent' if len(totals) == 1 else 'DISAGREE'})")
for tool in ("crate_totals", "crate_statements"):
    if rows["duckdb"] and rows[tool]:
        c = med([r["first"] for r in rows[tool]])
        print(f"commission {size}, {tool}: crate {c:.2f}s, duckdb {ref:.2f}s (crate / duckdb {c / ref:.2f}x)")
# The whole job: load (and for the crate, handing the lines in as columns) plus the first compute.
whole = lambda r: r["load_median_s"] + r.get("crediting_s", 0.0) + r["first"]
if rows["duckdb"]:
    wref = med([whole(r) for r in rows["duckdb"]])
    for tool in ("crate_totals", "crate_statements"):
        if rows[tool]:
            w = med([whole(r) for r in rows[tool]])
            print(f"whole job {size}, {tool}: crate {w:.2f}s, duckdb {wref:.2f}s (crate / duckdb {w / wref:.2f}x)")
PY
