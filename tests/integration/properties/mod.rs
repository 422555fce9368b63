//! Invariants from DESIGN.md, as property tests.

mod activity;
mod allocation;
mod bonus;
mod calendar;
mod carry_plan_change;
mod comp;
mod comp_close;
mod credit;
mod credit_columns;
mod credit_columns_ties;
mod currency;
mod money;
mod org;
mod perf;
mod pipeline_status;
mod progress;
mod quota;
mod quota_versions;
mod rollup;
mod territory;
