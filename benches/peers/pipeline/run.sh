#!/usr/bin/env bash
# The pipeline roll-up (issue #31): DuckDB and the crate (sequential, parallel) on the
# same 5M opportunities over the peers' large org, interleaved, in one invocation.
# Usage: bash run.sh <peers-dir> [size] [rounds]     (peers-dir: a writable copy of the
#   peers harness with data/<size>/org.parquet and data/<size>/bin/ from export_bin.py)
# Needs PEERS_VENV (default /tmp/peers-venv) with duckdb, numpy, pyarrow.
# Each round runs every tool once, each in a fresh process; each program verifies its
# per-node result against reference.txt before printing a time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
peers=$1; size=${2:-large}; rounds=${3:-3}
. "${PEERS_VENV:-/tmp/peers-venv}/bin/activate"
[ -f "$peers/data/$size/pipeline/reference.txt" ] || python "$here/gen_pipeline.py" "$peers" "$size"
(cd "$here/crate_pipeline" && cargo build --release -q)
CRATE=${CRATE_BIN:-${CARGO_TARGET_DIR:-$here/crate_pipeline/target}/release/crate_pipeline}
echo "pipeline side by side, $size, $rounds rounds, start $(date -u '+%Y-%m-%d %H:%M:%S UTC'); $(uptime)"
for r in $(seq 1 "$rounds"); do
  python "$here/bench_pipeline_duckdb.py" "$peers" "$size" 1 | grep RESULT
  "$CRATE" "$peers" "$size" sequential --iters 3 | grep RESULT
  "$CRATE" "$peers" "$size" parallel --iters 3 | grep RESULT
done
echo "end $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
