//! Invariants from DESIGN.md, as property tests.

mod calendar;
mod money;
