//! Territories: the territory hierarchy, accounts and the rules that assign
//! them, coverage by positions, balancing and realignment.
//!
//! (Being built: see issue 5.)

mod account;
mod assign;
mod balance;
mod coverage;
mod hierarchy;
mod realign;
mod rebalance;
mod rules;
#[cfg(feature = "serde")]
mod serde_dec;
mod text;

pub use self::account::{Account, AccountBook, Attribute, AttributeType, Value};
pub use self::assign::{
    Alignment, AssignedBy, Assigner, Assignment, Outcome, OutcomeCounts, Placement,
};
pub use self::balance::{BalanceBasis, BalanceReport, Deviation, Spread, TerritoryLoad};
pub use self::coverage::{
    Coverage, CoverageKind, CoverageShare, CoverageSource, CoverageTable, TerritoryCoverage,
};
pub use self::hierarchy::{
    Territory, TerritoryLine, TerritoryMap, TerritoryMapBuilder, TerritoryTree,
};
pub use self::realign::{RealignOptions, Realignment, Shift};
pub use self::rebalance::{Move, Rebalance, RebalanceOptions};
pub use self::rules::{
    MAX_PREDICATE_DEPTH, NamedAccount, Predicate, Rule, RuleBook, RuleBookBuilder,
};
