//! Invariants from DESIGN.md, as property tests.

mod activity;
mod allocation;
mod bonus;
mod calendar;
mod comp;
mod credit;
mod money;
mod org;
mod perf;
mod pipeline_status;
mod quota;
mod quota_versions;
mod rollup;
mod territory;
