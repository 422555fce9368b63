//! Worked examples, as table-driven tests.

mod calendar;
mod credit;
mod org;
mod quota;
mod territory;
