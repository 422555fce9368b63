//! Worked examples, as table-driven tests.

mod activity;
mod bonus;
mod calendar;
mod comp;
mod credit;
mod org;
mod perf;
mod quota;
mod quota_versions;
mod territory;
