//! Worked examples, as table-driven tests.

mod calendar;
mod org;
mod quota;
