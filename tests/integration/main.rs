//! The crate's one integration-test binary.
//!
//! - `properties/`: proptest invariants from DESIGN.md, one file per area;
//!   `PROPTEST_CASES` raises the number of cases (CI uses more).
//! - `errors/`: one table of bad inputs per area, each asserting the error
//!   variant and the ids and values it names.
//! - `scenarios/`: worked examples as table-driven tests.
//! - `serde_round_trip`: every public data type through JSON and back.
//! - `meta`: compile-time trait assertions.
//! - `golden`: the main example's results against `tests/golden/`.

#![allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "test code: a panic is a failed test, and expected values use plain arithmetic and sums"
)]

#[cfg(feature = "arrow")]
mod arrow;
#[cfg(feature = "arrow")]
mod arrow_outputs;
#[cfg(feature = "arrow")]
mod arrow_pipeline;
mod columns;
mod common;
mod comp_columns;
mod comp_quota_columns;
mod comp_totals;
#[cfg(feature = "serde")]
mod contract;
mod errors;
#[cfg(feature = "serde")]
mod golden;
mod meta;
mod pipeline;
mod pipeline_columns;
mod properties;
mod regressions;
mod rollup_attainment;
mod scenarios;
#[cfg(feature = "serde")]
mod serde_round_trip;
mod support;
#[cfg(feature = "proptest")]
mod synthetic;
#[cfg(feature = "proptest")]
mod testing;
