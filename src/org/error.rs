//! What can go wrong here (the org: positions, reporting lines,
//! assignments, snapshots), with the ids and values involved.

use crate::calendar::DateRange;
use crate::ids::{IdError, PersonId, PositionId, RoleId};
use chrono::NaiveDate;

/// The org: positions, reporting lines, assignments and snapshots.
///
/// Building an [`Org`](crate::org::Org) checks everything that does not depend
/// on a date; [`Org::as_of`](crate::org::Org::as_of) checks the tree of that
/// day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OrgError {
    /// Two custom roles with one id.
    #[error("role {role} is declared twice")]
    DuplicateRole {
        /// The repeated id.
        role: RoleId,
    },
    /// Two positions with one id.
    #[error("position {position} is declared twice")]
    DuplicatePosition {
        /// The repeated id.
        position: PositionId,
    },
    /// A position whose custom role is not declared.
    #[error("position {position} has undeclared role {role}")]
    UnknownRole {
        /// The position.
        position: PositionId,
        /// The role it names.
        role: RoleId,
    },
    /// A reporting line or assignment for a position that is not declared.
    #[error("{context} names undeclared position {position}")]
    UnknownPosition {
        /// The position named.
        position: PositionId,
        /// What named it: `"reporting line"`, `"assignment"`, `"query"`.
        context: &'static str,
    },
    /// A person the org has never assigned.
    #[error("person {person} holds no position in the org")]
    UnknownPerson {
        /// The person named.
        person: PersonId,
    },
    /// A reporting line to a position that is not declared.
    #[error("position {position} reports to undeclared position {parent}")]
    UnknownParent {
        /// The reporting position.
        position: PositionId,
        /// The parent it names.
        parent: PositionId,
    },
    /// A position reporting to itself.
    #[error("position {position} reports to itself")]
    SelfParent {
        /// The position.
        position: PositionId,
    },
    /// Two reporting lines of one position in effect on the same day (two
    /// managers on one day).
    #[error("position {position} has overlapping reporting lines {first} and {second}")]
    OverlappingLines {
        /// The position.
        position: PositionId,
        /// The earlier line's range.
        first: DateRange,
        /// The later line's range.
        second: DateRange,
    },
    /// One person assigned to one position twice over overlapping ranges.
    #[error("person {person} is assigned to {position} twice: {first} and {second}")]
    OverlappingAssignments {
        /// The person.
        person: PersonId,
        /// The position.
        position: PositionId,
        /// The earlier range.
        first: DateRange,
        /// The later range.
        second: DateRange,
    },
    /// Two people holding one position on the same day.
    #[error("position {position} is held by both {first} and {second} on {date}")]
    PositionHeldTwice {
        /// The position.
        position: PositionId,
        /// The earlier holder.
        first: PersonId,
        /// The later holder.
        second: PersonId,
        /// The first day both hold it.
        date: NaiveDate,
    },
    /// One person in two positions on the same day, in an org that does not
    /// allow it.
    #[error("person {person} holds both {first} and {second} on {date}")]
    ConcurrentPositions {
        /// The person.
        person: PersonId,
        /// One position.
        first: PositionId,
        /// The other position.
        second: PositionId,
        /// The first day they hold both.
        date: NaiveDate,
    },
    /// A position in the org on `date` whose parent is not.
    #[error("position {position} reports to {parent}, which is not in the org on {date}")]
    ParentNotInOrg {
        /// The position.
        position: PositionId,
        /// Its parent.
        parent: PositionId,
        /// The snapshot date.
        date: NaiveDate,
    },
    /// No position in the org on `date`. (Positions that are all in
    /// cycles give [`OrgError::Cycle`], naming them.)
    #[error("the org has no top position on {date}")]
    NoRoot {
        /// The snapshot date.
        date: NaiveDate,
    },
    /// Several positions at the top on `date`.
    #[error("the org has {} top positions on {date}: {}", roots.len(), list(roots, ", "))]
    SeveralRoots {
        /// The snapshot date.
        date: NaiveDate,
        /// Every position without a parent that day.
        roots: Vec<PositionId>,
    },
    /// Reporting lines that go round in a circle on `date`.
    #[error("reporting lines form a cycle on {date}: {}", list(cycle, " -> "))]
    Cycle {
        /// The snapshot date.
        date: NaiveDate,
        /// The positions of the cycle, each reporting to the next, the last
        /// to the first.
        cycle: Vec<PositionId>,
    },
    /// More records than dense `u32` indexes can number (four billion).
    #[error("too many {what}: {count}")]
    TooManyRecords {
        /// What was counted.
        what: &'static str,
        /// How many were given.
        count: usize,
    },
    /// Columns of one table (an org given as columns) of different
    /// lengths.
    #[error("column {column} has {found} rows where {expected} were expected")]
    ColumnLength {
        /// The column that differs.
        column: &'static str,
        /// The length of the first column (the ids).
        expected: usize,
        /// Its length.
        found: usize,
    },
    /// A value of an id column that is not a valid id.
    #[error("row {row} of column {column}: {source}")]
    InvalidId {
        /// The column.
        column: &'static str,
        /// The row, from 0.
        row: usize,
        /// What is wrong with the value.
        source: IdError,
    },
    /// An id, in a column resolved to the org's keys, that is not in the
    /// org on the snapshot's date (never declared, or not in the tree
    /// that day).
    #[error("id {id} (row {row}) is not in the org on {date}")]
    UnknownId {
        /// The id, as text.
        id: String,
        /// Its row in the column, from 0: the first unknown one.
        row: usize,
        /// The snapshot date.
        date: NaiveDate,
    },
    /// A position that is not in the snapshot.
    #[error("position {position} is not in the org on {date}")]
    NotInSnapshot {
        /// The position.
        position: PositionId,
        /// The snapshot date.
        date: NaiveDate,
    },
}

fn list(ids: &[PositionId], separator: &str) -> String {
    ids.iter()
        .map(PositionId::as_str)
        .collect::<Vec<_>>()
        .join(separator)
}
