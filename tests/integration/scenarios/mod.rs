//! Worked examples, as table-driven tests.

mod activity;
mod bonus;
mod calendar;
pub(crate) mod carry_plan_change;
mod close;
mod comp;
pub(crate) mod comp_close;
mod credit;
mod currency;
mod org;
mod perf;
mod progress;
mod quota;
mod quota_versions;
mod territory;
