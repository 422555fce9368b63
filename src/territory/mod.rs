//! Territories: the territory hierarchy, accounts and the rules that assign
//! them, coverage by positions, balancing and realignment.
//!
//! The pieces, in the order a planner uses them:
//!
//! | step | type |
//! |---|---|
//! | the hierarchy over time (country > region > territory), effective-dated | [`TerritoryMap`] ([`TerritoryMap::builder`]) |
//! | the hierarchy on a date: one root, no cycles | [`TerritoryTree`] ([`TerritoryMap::as_of`]) |
//! | the accounts: attributes and measures, validated | [`Account`], [`AccountBook`] |
//! | rules as data: predicates with priorities, named-account overrides | [`Predicate`], [`Rule`], [`RuleBook`] |
//! | rules compiled and indexed against the tree of a date | [`Assigner`] |
//! | where each account went: assigned, unassigned or in conflict | [`Assignment`], [`Outcome`] |
//! | account -> territory, the map everything else reads | [`Alignment`] |
//! | who covers a territory when, and crediting's question | [`CoverageTable`], [`TerritoryCoverage`] ([`CoverageSource`]) |
//! | totals and imbalance per territory | [`BalanceReport`], [`Spread`] |
//! | a proposal of moves within a tolerance | [`Rebalance::propose`] |
//! | a new region: assign the unassigned | [`Assignment::expand`] |
//! | the diff between two alignments, per territory and position | [`Realignment`], [`Alignment::apply`] |
//!
//! ## Assignment semantics
//!
//! - A named-account override beats every rule.
//! - Otherwise the matching rules of highest priority (the larger number)
//!   decide. If they all name one territory, the account is assigned
//!   there; if they name several, the account is a **conflict** listing
//!   them (never resolved silently); if no rule matches, it is
//!   **unassigned**. Every account ends in exactly one of the three.
//! - Text compares exactly (case and spaces matter); numbers compare
//!   numerically; ranges are half-open `[from, to)`. A test on an
//!   attribute the account lacks is false, so `not` of it is true.
//! - Rules are type-checked when the [`RuleBook`] is built: a prefix on a
//!   number, a range on text, a value of the wrong type, an undeclared
//!   free attribute or an empty range is an error naming the territory
//!   and the attribute.
//! - The result lists accounts by id and does not depend on the order of
//!   the rules or the accounts.
//!
//! ## Example
//!
//! ```
//! use chrono::NaiveDate;
//! use salesplan::calendar::DateRange;
//! use salesplan::territory::*;
//! use salesplan::{AccountId, Currency, Money, PositionId, TerritoryId};
//!
//! let t = |s: &str| TerritoryId::new(s).unwrap();
//! let day = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
//! let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
//! let map = TerritoryMap::builder()
//!     .territories(["west", "sf", "east-bay", "health"].map(|s| Territory::new(t(s))))
//!     .line(TerritoryLine::top(t("west"), always))
//!     .lines(["sf", "east-bay", "health"].map(|s| TerritoryLine::new(t(s), t("west"), always)))
//!     .build()?;
//! let rules = RuleBook::builder()
//!     .rule(Rule::new(t("sf"), 10, Predicate::prefix(Attribute::PostalCode, "941")))
//!     .rule(Rule::new(t("east-bay"), 10, Predicate::prefix(Attribute::PostalCode, "945")))
//!     // Healthcare anywhere in 94xxx, over the postal rules.
//!     .rule(Rule::new(t("health"), 20, Predicate::all([
//!         Predicate::prefix(Attribute::PostalCode, "94"),
//!         Predicate::is(Attribute::Industry, "62"),
//!     ])))
//!     .build()?;
//! let account = |id: &str, zip: &str, industry: &str, potential: &str| {
//!     Account::new(AccountId::new(id).unwrap())
//!         .with_postal_code(zip)
//!         .with_industry(industry)
//!         .with_potential(Money::parse(potential, Currency::USD).unwrap())
//! };
//! let book = AccountBook::new(Currency::USD, vec![
//!     account("acme", "94107", "33", "400000"),
//!     account("delta", "94501", "31", "120000"),
//!     account("echo", "94110", "62", "300000"),
//!     account("hotel", "10001", "33", "90000"),
//! ])?;
//! let assignment = Assigner::new(&map.as_of(day)?, &rules)?.assign(&book)?;
//! assert_eq!(assignment.territory_of(&AccountId::new("echo")?), Some(&t("health")));
//! assert_eq!(assignment.unassigned().count(), 1);
//!
//! // Coverage, and the question crediting asks.
//! let coverage = CoverageTable::new(vec![
//!     Coverage::primary(t("sf"), PositionId::new("rep-sf")?, always),
//! ])?;
//! let source = TerritoryCoverage::new(assignment.alignment(), coverage);
//! let shares = source.coverage(&AccountId::new("acme")?, day)?;
//! assert_eq!(shares[0].position().as_str(), "rep-sf");
//!
//! // Balance over the leaf territories.
//! let report = BalanceReport::new(&book, &assignment.alignment(), &map.as_of(day)?.leaves())?;
//! assert_eq!(report.potential().max_min_ratio().map(|r| r.to_string()), Some("3.3333333333333333333333333333".into()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
pub use self::error::TerritoryError;

mod account;
mod assign;
mod balance;
mod coverage;
mod hierarchy;
mod realign;
mod rebalance;
mod rules;

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
