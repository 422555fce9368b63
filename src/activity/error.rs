//! What can go wrong here (activity kinds, targets and logs), with the ids
//! and values involved.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::activity::ActivityKind;
use crate::calendar::CalendarError;
use crate::ids::PersonId;
use crate::org::Role;

/// Activity kinds, targets and logs (see [`crate::activity`]).
/// Every variant names the ids and values involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ActivityError {
    /// A target of zero or less (or beyond `u32`): leave the kind out
    /// instead of targeting zero.
    #[error("a target of {quantity} {kind} is not allowed: targets are above zero")]
    NonPositiveTarget {
        /// The kind.
        kind: ActivityKind,
        /// The quantity given.
        quantity: i64,
    },
    /// A logged quantity below zero (or beyond `u32`).
    #[error("{person} logged {quantity} {kind} on {date}: quantities are zero or more")]
    NegativeQuantity {
        /// Who.
        person: PersonId,
        /// What.
        kind: ActivityKind,
        /// When.
        date: NaiveDate,
        /// The quantity given.
        quantity: i64,
    },
    /// Minutes below zero (or beyond `u32`) in the time log.
    #[error("{person} logged {minutes} minutes on {date}: minutes are zero or more")]
    NegativeMinutes {
        /// Who.
        person: PersonId,
        /// When.
        date: NaiveDate,
        /// The minutes given.
        minutes: i64,
    },
    /// Activity logged for someone the review does not know.
    #[error("activity on {date} for unknown person {person}")]
    UnknownPerson {
        /// The person named by the entry.
        person: PersonId,
        /// The entry's date.
        date: NaiveDate,
    },
    /// A custom kind's name that is empty, padded, has control characters
    /// or is longer than 64 bytes.
    #[error("invalid activity kind name {name:?}")]
    InvalidKindName {
        /// The name given.
        name: String,
    },
    /// A score weight below zero (`kind` is `None` for the default weight).
    #[error("score weight {weight} for {kind:?} is negative")]
    NegativeWeight {
        /// The kind, or `None` for the default.
        kind: Option<ActivityKind>,
        /// The weight.
        weight: Decimal,
    },
    /// A role given two targets for one kind in a
    /// [`crate::activity::TargetPlan`] read from data (the builder replaces
    /// the first; data that says both is refused).
    #[error("role {role} has two targets for {kind}")]
    DuplicateRoleTarget {
        /// The role.
        role: Role,
        /// The kind targeted twice.
        kind: ActivityKind,
    },
    /// A person given two target overrides for one kind in a
    /// [`crate::activity::TargetPlan`] read from data.
    #[error("{person} has two targets for {kind}")]
    DuplicatePersonTarget {
        /// The person.
        person: PersonId,
        /// The kind targeted twice.
        kind: ActivityKind,
    },
    /// A kind weighted twice in [`crate::activity::ScoreWeights`] read from
    /// data (the builder replaces the first weight; data that says both is
    /// refused).
    #[error("{kind} is weighted twice: {first} and {second}")]
    DuplicateWeight {
        /// The kind.
        kind: ActivityKind,
        /// The first weight given.
        first: Decimal,
        /// The second.
        second: Decimal,
    },
    /// A person or kind key past a [`crate::activity::WeekGrid`].
    #[error(
        "key (person {person}, kind {kind}) is outside the grid of {people} people and {kinds} kinds"
    )]
    UnknownKey {
        /// The person key.
        person: usize,
        /// The kind key.
        kind: usize,
        /// People in the grid.
        people: usize,
        /// Kinds in the grid.
        kinds: usize,
    },
    /// A date outside a [`crate::activity::WeekGrid`]'s weeks.
    #[error("{date} is outside the {weeks} weeks from {first}")]
    OutsideGrid {
        /// The date.
        date: NaiveDate,
        /// The grid's first Monday.
        first: NaiveDate,
        /// How many weeks it covers.
        weeks: usize,
    },
    /// A date computation at the edge of `chrono`'s range.
    #[error(transparent)]
    Calendar {
        /// Why.
        #[from]
        source: CalendarError,
    },
    /// A total beyond its type.
    #[error("{what} overflows")]
    Overflow {
        /// Which total.
        what: &'static str,
    },
}
