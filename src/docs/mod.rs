//! Guides: the domain and how the crate reads its data, in long form.
//! Nothing here is code to call; every example is compiled and run as a
//! test.
//!
//! - [`glossary`]: the words of sales compensation and the types that
//!   hold them;
//! - [`commissions`]: tier methods, year to date, returns and clawbacks,
//!   signs, with the numbers;
//! - [`crediting`]: who gets credit for a deal, and when;
//! - [`proration`]: people who join or leave mid-period, new hires' ramps,
//!   and the split of a year into quarters and months;
//! - [`json`]: the JSON formats and the data contract.

#[doc = include_str!("glossary.md")]
pub mod glossary {}

#[doc = include_str!("commissions.md")]
pub mod commissions {}

#[doc = include_str!("crediting.md")]
pub mod crediting {}

#[doc = include_str!("proration.md")]
pub mod proration {}

#[doc = include_str!("json.md")]
pub mod json {}
