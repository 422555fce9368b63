//! Territories: the territory hierarchy, accounts and the rules that assign
//! them, coverage by positions, balancing and realignment.
//!
//! (Being built: see issue 5.)

mod coverage;

pub use self::coverage::{CoverageKind, CoverageShare, CoverageSource};
