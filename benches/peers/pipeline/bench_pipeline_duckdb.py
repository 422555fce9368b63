#!/usr/bin/env python3
"""DuckDB: the pipeline roll-up for every org node (issue #31), verified, then timed.

Usage: python bench_pipeline_duckdb.py <peers-dir> [size] [runs]
Per node, for H1 2025: open amount, weighted amount (round(cents * points / 100) per
opportunity), won amount, and the open amount in each of the 4 forecast categories, summed
over the node's subtree (recursive CTE re-aggregating one level per step: the peers'
fastest rollup variant, rec_agg). The result's root, sum and checksum of open, weighted and
won are checked against gen_pipeline.py's reference before any time is printed.
load = CREATE TABLE from parquet; compute = CREATE TABLE res AS <rollup>.
"""
import os, sys, json, statistics, time
import duckdb

peers = sys.argv[1]
size = sys.argv[2] if len(sys.argv) > 2 else "large"
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
d = os.path.join(peers, "data", size)
IN = "close_day >= DATE '2025-01-01' AND close_day < DATE '2025-07-01'"
OPEN = "state = 0"
SQL = f"""
WITH RECURSIVE up(node, open, weighted, won, c0, c1, c2, c3) AS (
  SELECT rep_id,
    SUM(CASE WHEN {OPEN} THEN cents ELSE 0 END)::HUGEINT,
    SUM(CASE WHEN {OPEN} THEN (cents * points + 50) // 100 ELSE 0 END)::HUGEINT,
    SUM(CASE WHEN state = 1 THEN cents ELSE 0 END)::HUGEINT,
    SUM(CASE WHEN {OPEN} AND category = 0 THEN cents ELSE 0 END)::HUGEINT,
    SUM(CASE WHEN {OPEN} AND category = 1 THEN cents ELSE 0 END)::HUGEINT,
    SUM(CASE WHEN {OPEN} AND category = 2 THEN cents ELSE 0 END)::HUGEINT,
    SUM(CASE WHEN {OPEN} AND category = 3 THEN cents ELSE 0 END)::HUGEINT
  FROM opps WHERE {IN} GROUP BY rep_id
  UNION ALL
  SELECT o.parent_id, SUM(u.open), SUM(u.weighted), SUM(u.won), SUM(u.c0), SUM(u.c1), SUM(u.c2), SUM(u.c3)
  FROM up u JOIN org o ON o.id = u.node WHERE o.parent_id IS NOT NULL GROUP BY o.parent_id),
s AS (SELECT node, SUM(open) open, SUM(weighted) weighted, SUM(won) won,
             SUM(c0) c0, SUM(c1) c1, SUM(c2) c2, SUM(c3) c3 FROM up GROUP BY node)
SELECT o.id, COALESCE(s.open, 0) open, COALESCE(s.weighted, 0) weighted, COALESCE(s.won, 0) won,
       COALESCE(s.c0, 0) c0, COALESCE(s.c1, 0) c1, COALESCE(s.c2, 0) c2, COALESCE(s.c3, 0) c3
FROM org o LEFT JOIN s ON s.node = o.id"""

con = duckdb.connect()
con.execute("SET threads=2")
con.execute("SET preserve_insertion_order=false")
expected = open(os.path.join(d, "pipeline", "reference.txt")).read().split()
rows = []
for r in range(runs):
    con.execute("DROP TABLE IF EXISTS res; DROP TABLE IF EXISTS org; DROP TABLE IF EXISTS opps")
    t0 = time.perf_counter()
    con.execute(f"CREATE TABLE org AS SELECT id, parent_id FROM read_parquet('{d}/org.parquet')")
    con.execute(f"""CREATE TABLE opps AS SELECT rep_id, points, cents, category, close_day, state
                    FROM read_parquet('{d}/pipeline/opps.parquet')""")
    t1 = time.perf_counter()
    con.execute(f"CREATE TABLE res AS {SQL}")
    t2 = time.perf_counter()
    if r == 0:
        got = []
        for m in ["open", "weighted", "won"]:
            root, total, chk = con.execute(f"""SELECT
                (SELECT {m} FROM res JOIN org USING (id) WHERE org.parent_id IS NULL),
                SUM({m}), SUM((({m} % 1000000007) * (id % 9973)) % 1000000007) % 1000000007 FROM res""").fetchone()
            got += [m, f"root={root}", f"sum={total}", f"checksum={chk}"]
        got = " ".join(got).replace("open root", "open root").split()
        if [g for g in got if "=" in g] != [e for e in expected if "=" in e]:
            print("MISMATCH", got, expected)
            sys.exit(1)
        print("verified against reference.txt", flush=True)
    rows.append((t1 - t0, t2 - t1))
    print(f"  run {r + 1}: load={t1 - t0:.3f}s compute={t2 - t1:.3f}s", flush=True)
print("RESULT " + json.dumps({"tool": "duckdb", "size": size, "runs": runs, "version": duckdb.__version__,
                             "load_median_s": statistics.median(x[0] for x in rows),
                             "compute_median_s": statistics.median(x[1] for x in rows)}))
