//! Territories: the territory hierarchy, accounts and the rules that assign
//! them, coverage by positions, balancing and realignment.
//!
//! (Being built: see issue 5.)

mod account;
mod assign;
mod coverage;
mod hierarchy;
mod rules;
#[cfg(feature = "serde")]
mod serde_dec;

pub use self::account::{Account, AccountBook, Attribute, AttributeType, Value};
pub use self::assign::{
    AssignedBy, Assigner, Assignment, Alignment, Outcome, OutcomeCounts, Placement,
};
pub use self::coverage::{
    Coverage, CoverageKind, CoverageShare, CoverageSource, CoverageTable, TerritoryCoverage,
};
pub use self::hierarchy::{Territory, TerritoryLine, TerritoryMap, TerritoryMapBuilder, TerritoryTree};
pub use self::rules::{
    MAX_PREDICATE_DEPTH, NamedAccount, Predicate, Rule, RuleBook, RuleBookBuilder,
};
