//! Territory benchmarks (being built).

#![allow(missing_docs, reason = "benchmark harness, not library code")]

use criterion::{Criterion, criterion_group, criterion_main};

fn placeholder(_c: &mut Criterion) {}

criterion_group!(benches, placeholder);
criterion_main!(benches);
