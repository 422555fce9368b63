//! Invariants from DESIGN.md, as property tests.

mod activity;
mod allocation;
mod bonus;
mod calendar;
mod comp;
mod credit;
mod credit_columns;
mod money;
mod org;
mod perf;
mod quota;
mod rollup;
mod territory;
