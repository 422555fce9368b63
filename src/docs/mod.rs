//! Guides: how the crate reads its data, in long form. Nothing here is
//! code to call; every example is compiled and run as a test.

#[doc = include_str!("json.md")]
pub mod json {}
