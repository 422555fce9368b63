//! What can go wrong here (territories: hierarchy, rules, coverage,
//! balancing), with the ids and values involved.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::calendar::DateRange;
use crate::ids::{AccountId, PositionId, TerritoryId};
use crate::money::{Currency, MoneyError};
use crate::territory::AttributeType;

/// Territories: the hierarchy, accounts, assignment rules, coverage,
/// balancing and realignment (see [`crate::territory`]).
///
/// Every variant names the territories, accounts, positions, attributes and
/// values involved, as data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TerritoryError {
    /// A territory that is not in the map, the list or the assignment it
    /// was looked up in.
    #[error("territory {territory} is not in the map")]
    UnknownTerritory {
        /// The territory.
        territory: TerritoryId,
    },
    /// A territory declared twice.
    #[error("territory {territory} is declared twice")]
    DuplicateTerritory {
        /// The territory.
        territory: TerritoryId,
    },
    /// A parent line naming a territory that is not declared.
    #[error("territory {territory} has undeclared parent {parent}")]
    UnknownParent {
        /// The territory.
        territory: TerritoryId,
        /// The parent it names.
        parent: TerritoryId,
    },
    /// A territory that is its own parent.
    #[error("territory {territory} is its own parent")]
    SelfParent {
        /// The territory.
        territory: TerritoryId,
    },
    /// A date range that ends on or before its start.
    #[error("territory {territory}: the range from {from} until {until} is empty")]
    EmptyRange {
        /// The territory.
        territory: TerritoryId,
        /// The first day given.
        from: NaiveDate,
        /// The end given, on or before `from`.
        until: NaiveDate,
    },
    /// Two parent lines of one territory in effect on the same day.
    #[error("territory {territory} has overlapping parent lines {first} and {second}")]
    OverlappingLines {
        /// The territory.
        territory: TerritoryId,
        /// The earlier line's range.
        first: DateRange,
        /// The later line's range.
        second: DateRange,
    },
    /// A territory in the map on `date` whose parent is not.
    #[error("territory {territory} has parent {parent}, which is not in the map on {date}")]
    ParentNotInMap {
        /// The territory.
        territory: TerritoryId,
        /// Its parent.
        parent: TerritoryId,
        /// The date.
        date: NaiveDate,
    },
    /// No territory at the top on `date` (or no territory at all).
    #[error("the territory map has no root on {date}")]
    NoRoot {
        /// The date.
        date: NaiveDate,
    },
    /// Several territories at the top on `date`.
    #[error("the territory map has {} roots on {date}: {}", roots.len(), list(roots, ", "))]
    SeveralRoots {
        /// The date.
        date: NaiveDate,
        /// Every territory without a parent that day, by id.
        roots: Vec<TerritoryId>,
    },
    /// Parent lines that go round in a circle on `date`.
    #[error(
        "territory parent lines form a cycle on {date}: {}",
        list(cycle, " -> ")
    )]
    Cycle {
        /// The date.
        date: NaiveDate,
        /// The territories of the cycle, each the child of the next, the
        /// last of the first.
        cycle: Vec<TerritoryId>,
    },
    /// A rule or named account for a territory that is not in the map on
    /// the date the rules are compiled for.
    #[error("territory {territory} is not in the map on {date}")]
    NotInMap {
        /// The territory.
        territory: TerritoryId,
        /// The date.
        date: NaiveDate,
    },
    /// A rule on a custom attribute that the rule book does not declare.
    #[error("a rule of territory {territory} refers to undeclared attribute {attribute:?}")]
    UnknownAttribute {
        /// The territory whose rule it is.
        territory: TerritoryId,
        /// The attribute's name.
        attribute: String,
    },
    /// A rule applying an operation to an attribute of the wrong type: a
    /// prefix on the employee count, a numeric range on the country, or
    /// comparing the postal code with a number.
    #[error(
        "a rule of territory {territory} applies {operation} to attribute {attribute:?}, \
         which holds {actual}"
    )]
    AttributeType {
        /// The territory whose rule it is.
        territory: TerritoryId,
        /// The attribute's name.
        attribute: String,
        /// The type the attribute holds.
        actual: AttributeType,
        /// The operation (`"prefix"`, `"range"`, `"equals"`, `"one_of"`).
        operation: &'static str,
    },
    /// A numeric range whose lower bound is not below its upper bound.
    #[error("a rule of territory {territory} has the empty range [{from}, {to}) on {attribute:?}")]
    InvertedRange {
        /// The territory whose rule it is.
        territory: TerritoryId,
        /// The attribute's name.
        attribute: String,
        /// The lower bound (included).
        from: Decimal,
        /// The upper bound (excluded), at or below `from`.
        to: Decimal,
    },
    /// A rule whose `all`/`any`/`not` nest deeper than the limit.
    #[error("a rule of territory {territory} nests deeper than {max} levels")]
    PredicateTooDeep {
        /// The territory whose rule it is.
        territory: TerritoryId,
        /// The limit.
        max: usize,
    },
    /// An account given two named-account overrides.
    #[error("account {account} is named to both {first} and {second}")]
    DuplicateNamedAccount {
        /// The account.
        account: AccountId,
        /// One territory.
        first: TerritoryId,
        /// The other (possibly the same, named twice).
        second: TerritoryId,
    },
    /// An account given twice.
    #[error("account {account} is given twice")]
    DuplicateAccount {
        /// The account.
        account: AccountId,
    },
    /// An account that is not in the account book or the alignment.
    #[error("account {account} is not known")]
    UnknownAccount {
        /// The account.
        account: AccountId,
    },
    /// An account holding a custom attribute with a value of another type
    /// than the rule book declares.
    #[error("account {account} has {attribute:?} of the wrong type: the rules expect {expected}")]
    AccountAttributeType {
        /// The account.
        account: AccountId,
        /// The attribute's name.
        attribute: String,
        /// The declared type.
        expected: AttributeType,
    },
    /// A money measure in another currency than the account book's.
    #[error("account {account} has its {measure} in {found}, not {expected}")]
    MeasureCurrency {
        /// The account.
        account: AccountId,
        /// `"potential"`, `"last_year_sales"`.
        measure: &'static str,
        /// The book's currency.
        expected: Currency,
        /// The measure's currency.
        found: Currency,
    },
    /// A negative potential, workload or last year's sales.
    #[error("account {account} has negative {measure} {value}")]
    NegativeMeasure {
        /// The account.
        account: AccountId,
        /// `"potential"`, `"workload"`, `"last_year_sales"`.
        measure: &'static str,
        /// The value.
        value: Decimal,
    },
    /// The primaries of a territory have shares that do not add up to
    /// exactly 100% on some day.
    #[error(
        "the primaries of territory {territory} have shares adding up to {sum} on {date}, not 1"
    )]
    PrimaryShares {
        /// The territory.
        territory: TerritoryId,
        /// The first day the sum is wrong.
        date: NaiveDate,
        /// The sum of the shares that day, as a fraction (1 is 100%).
        sum: Decimal,
    },
    /// One position covering one territory twice on overlapping dates.
    #[error("position {position} covers territory {territory} twice: {first} and {second}")]
    OverlappingCoverage {
        /// The territory.
        territory: TerritoryId,
        /// The position.
        position: PositionId,
        /// The earlier range.
        first: DateRange,
        /// The later range.
        second: DateRange,
    },
    /// An account the alignment does not place in any territory (it was
    /// unassigned, in conflict, or never given), asked about by crediting.
    #[error("account {account} is not placed in any territory")]
    UnplacedAccount {
        /// The account.
        account: AccountId,
    },
    /// A realignment move that does not start where the alignment has the
    /// account (the diff was made against another alignment).
    #[error("account {account} is in {}, but the move starts from {}", show(found.as_ref()), show(expected.as_ref()))]
    StaleMove {
        /// The account.
        account: AccountId,
        /// Where the move says it is.
        expected: Option<TerritoryId>,
        /// Where the alignment has it.
        found: Option<TerritoryId>,
    },
    /// A total that overflows, or a figure that does not fit the exact
    /// integer scale used for balancing.
    #[error("{what}: {source}")]
    Arithmetic {
        /// What was being computed (`"potential of T-7"`, ...).
        what: String,
        /// The overflow.
        source: MoneyError,
    },
    /// More records than dense `u32` indexes can number.
    #[error("too many {what}: {count}")]
    TooManyRecords {
        /// What was counted.
        what: &'static str,
        /// How many were given.
        count: usize,
    },
}

fn list(ids: &[TerritoryId], sep: &str) -> String {
    ids.iter()
        .map(TerritoryId::as_str)
        .collect::<Vec<_>>()
        .join(sep)
}

fn show(t: Option<&TerritoryId>) -> &str {
    t.map_or("no territory", TerritoryId::as_str)
}
