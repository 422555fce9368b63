//! Invariants from DESIGN.md, as property tests.

mod calendar;
mod money;
mod org;
mod rollup;
