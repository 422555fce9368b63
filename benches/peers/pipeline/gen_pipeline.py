#!/usr/bin/env python3
"""5M opportunities over the peers' large org (issue #31), and the numpy reference.

Usage: python gen_pipeline.py <peers-dir> [size] [count]   (default: large 5000000)
Reads <peers-dir>/data/<size>/org.parquet; writes <peers-dir>/data/<size>/pipeline/:
  opps.parquet (id, rep_id, stage, points, cents, category, close_day, state)
  op_rep.i64 op_points.u8 op_cents.i64 op_cat.u8 op_day.i32 op_state.u8 (binary columns)
  reference.txt: per metric (open, weighted, won): root, sum over nodes, checksum
Period: H1 2025, [2025-01-01, 2025-07-01). An open opportunity (state 0) counts when its
expected close day is in the period, a won one (state 1) when its close day is; lost (2)
only count as lost. weighted = round(cents * points / 100) half away from zero (per opp).
checksum = sum(((total mod M) * (id mod 9973)) mod M) mod M, M = 1_000_000_007.
"""
import os, sys, datetime as dt
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

peers = sys.argv[1]
size = sys.argv[2] if len(sys.argv) > 2 else "large"
count = int(sys.argv[3]) if len(sys.argv) > 3 else 5_000_000
d = os.path.join(peers, "data", size)
out = os.path.join(d, "pipeline")
os.makedirs(out, exist_ok=True)
org = pq.read_table(os.path.join(d, "org.parquet"), columns=["id", "parent_id"])
ids = org["id"].to_numpy()
par = pc.fill_null(org["parent_id"], -1).to_numpy()
is_parent = np.isin(ids, par)
reps = ids[~is_parent]
rng = np.random.default_rng(31)
rep = reps[rng.integers(0, len(reps), count)]
stage = rng.integers(0, 5, count).astype(np.uint8)
default = np.array([10, 20, 40, 60, 80], dtype=np.uint8)
own = rng.integers(0, 101, count).astype(np.uint8)
points = np.where(rng.integers(0, 3, count) == 0, own, default[stage]).astype(np.uint8)
cents = rng.integers(100_000, 10_000_000, count).astype(np.int64)
cat = rng.integers(0, 4, count).astype(np.uint8)
epoch = dt.date(1970, 1, 1)
y0 = (dt.date(2025, 1, 1) - epoch).days
created = y0 + rng.integers(0, 200, count)
close = (created + rng.integers(0, 165, count)).astype(np.int32)
s = rng.integers(0, 30, count)
state = np.where(s < 2, 1, np.where(s == 2, 2, 0)).astype(np.uint8)
pq.write_table(pa.table({
    "id": np.arange(count, dtype=np.int64), "rep_id": rep, "stage": stage, "points": points,
    "cents": cents, "category": cat,
    "created_day": pa.array(created.astype(np.int32), pa.int32()).cast(pa.date32()),
    "close_day": pa.array(close, pa.int32()).cast(pa.date32()), "state": state}),
    os.path.join(out, "opps.parquet"))
for name, arr in [("op_rep.i64", rep), ("op_points.u8", points), ("op_cents.i64", cents),
                  ("op_cat.u8", cat), ("op_day.i32", close), ("op_created.i32", created.astype(np.int32)),
                  ("op_state.u8", state)]:
    np.ascontiguousarray(arr).tofile(os.path.join(out, name))

# Reference: own figures per node, then pushed up level by level.
lo, hi = y0, (dt.date(2025, 7, 1) - epoch).days
inp = (close >= lo) & (close < hi)
pos = np.searchsorted(np.sort(ids), rep)  # map rep id -> node index via a sorted order
order = np.argsort(ids)
node = order[pos]
pidx = np.full(len(ids), -1, dtype=np.int64)
has = par >= 0
pidx[has] = order[np.searchsorted(ids[order], par[has])]
depth = np.zeros(len(ids), dtype=np.int64)
cur = pidx.copy()
while (cur >= 0).any():
    depth += cur >= 0
    cur = np.where(cur >= 0, pidx[np.maximum(cur, 0)], -1)
M = 1_000_000_007
lines = []
metrics = {
    "open": np.where(inp & (state == 0), cents, 0),
    "weighted": np.where(inp & (state == 0), (cents * points.astype(np.int64) + 50) // 100, 0),
    "won": np.where(inp & (state == 1), cents, 0),
}
for name, vals in metrics.items():
    tot = np.zeros(len(ids), dtype=np.int64)
    np.add.at(tot, node, vals)
    for dd in range(int(depth.max()), 0, -1):
        at = np.nonzero(depth == dd)[0]
        np.add.at(tot, pidx[at], tot[at])
    root = int(tot[pidx < 0][0])
    chk = int(((tot % M) * (ids % 9973) % M).sum() % M)
    lines.append(f"{name} root={root} sum={int(tot.sum())} checksum={chk}")
with open(os.path.join(out, "reference.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")
print(size, "opportunities", count, "reps", len(reps))
print("\n".join(lines))
