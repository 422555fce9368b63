//! One table of bad inputs per area.

mod allocation;
mod calendar;
mod credit;
mod ids;
mod money;
mod org;
mod quota;
mod rollup;
mod territory;
