//! Worked examples, as table-driven tests.

mod activity;
mod bonus;
mod calendar;
mod close;
mod comp;
mod credit;
mod currency;
mod org;
mod perf;
mod progress;
mod quota;
mod territory;
