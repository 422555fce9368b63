//! Invariants from DESIGN.md, as property tests.

mod activity;
mod allocation;
mod bonus;
mod calendar;
mod comp;
mod comp_close;
mod credit;
mod currency;
mod money;
mod org;
mod perf;
mod progress;
mod quota;
mod rollup;
mod territory;
