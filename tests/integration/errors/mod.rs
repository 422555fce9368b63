//! One table of bad inputs per area.

mod allocation;
mod calendar;
mod ids;
mod money;
mod org;
mod quota;
mod rollup;
