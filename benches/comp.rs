//! comp benchmarks.

#![allow(missing_docs, reason = "benchmark harness")]

fn main() {}
