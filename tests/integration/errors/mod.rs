//! One table of bad inputs per area.

mod activity;
mod allocation;
mod bonus;
mod calendar;
mod comp;
mod credit;
mod fuzz;
mod ids;
mod money;
mod org;
mod perf;
mod quota;
mod rollup;
mod territory;
