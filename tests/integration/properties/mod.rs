//! Invariants from DESIGN.md, as property tests.

mod allocation;
mod calendar;
mod credit;
mod money;
mod org;
mod quota;
mod rollup;
mod territory;
