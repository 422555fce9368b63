//! Worked examples, as table-driven tests.

mod activity;
mod bonus;
mod calendar;
mod comp;
pub(crate) mod comp_close;
mod credit;
mod org;
mod perf;
mod quota;
mod territory;
