//! What can go wrong here (performance evaluation: attainment, pacing,
//! status, ranking, escalation), with the ids and values involved.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::calendar::Period;
use crate::ids::{PersonId, PositionId};
use crate::money::Currency;
use crate::rollup::RollupError;

/// Performance evaluation (see [`crate::perf`]).
/// Every variant names the ids and values involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PerfError {
    /// An as-of date outside the period evaluated.
    #[error("as-of date {as_of} is outside {period}")]
    AsOfOutsidePeriod {
        /// The date given.
        as_of: NaiveDate,
        /// The period.
        period: Period,
    },
    /// A target below zero.
    #[error("target {target} is negative")]
    NegativeTarget {
        /// The target.
        target: Decimal,
    },
    /// Status thresholds not in order: `0 <= at_risk < on_track` must hold.
    #[error("status thresholds out of order: on track at {on_track}, at risk at {at_risk}")]
    ThresholdsOutOfOrder {
        /// The on-track threshold given.
        on_track: Decimal,
        /// The at-risk threshold given.
        at_risk: Decimal,
    },
    /// A pace curve without parts.
    #[error("a pace curve needs at least one period")]
    EmptyCurve,
    /// Pace curve parts that are not back to back.
    #[error("pace curve period {after} does not start where {before} ends")]
    CurveGap {
        /// The earlier part.
        before: Period,
        /// The part that does not follow it.
        after: Period,
    },
    /// A negative weight (of a pace curve part, or of an activity kind in
    /// a report over `period`).
    #[error("weight {weight} for {period} is negative")]
    NegativeWeight {
        /// The part's (or report's) period.
        period: Period,
        /// The weight.
        weight: Decimal,
    },
    /// Pace curve weights summing to zero.
    #[error("pace curve weights sum to zero")]
    ZeroWeights,
    /// A period that is not a run of whole plan months.
    #[error("{period} is not a run of whole plan months")]
    NotWholeMonths {
        /// The period.
        period: Period,
    },
    /// An escalation rule with a threshold of zero or less or a count of
    /// zero.
    #[error("escalation rule below {below} for {consecutive} periods is invalid")]
    InvalidRule {
        /// The threshold given.
        below: Decimal,
        /// The count given.
        consecutive: u32,
    },
    /// Two periods of one kind in a history that overlap.
    #[error("history periods {first} and {second} overlap")]
    HistoryOverlap {
        /// The earlier.
        first: Period,
        /// The one overlapping it.
        second: Period,
    },
    /// Tenure band boundaries not strictly increasing from above zero.
    #[error("tenure band boundaries {months:?} are not strictly increasing from above zero")]
    TenureBandsOutOfOrder {
        /// The boundaries given, in months.
        months: Vec<u32>,
    },
    /// An activity kind slot past the report's maximum.
    #[error("activity kind slot {slot} is past the maximum of {max}")]
    KindSlot {
        /// The slot (or count) given.
        slot: usize,
        /// The maximum.
        max: usize,
    },
    /// The roll-up failed: a position not in the snapshot, an amount in
    /// the wrong currency, an overflow.
    #[error(transparent)]
    Rollup {
        /// Why (boxed: rollup errors are large).
        source: Box<RollupError>,
    },
    /// A figure beyond its type.
    #[error("{what} overflows")]
    Overflow {
        /// Which figure.
        what: &'static str,
    },
    /// A person measured on their own figures who holds no seat in the
    /// team progress's snapshot.
    #[error("{person} holds no seat on {as_of}")]
    NotSeated {
        /// The person.
        person: PersonId,
        /// The snapshot's date.
        as_of: NaiveDate,
    },
    /// A person measured on their own figures whose seat has direct
    /// reports: a team is measured as a team.
    #[error("{person} leads a team at {position}: a team is measured as a team")]
    LeadsTeam {
        /// The person.
        person: PersonId,
        /// Their seat.
        position: PositionId,
    },
    /// A person's quota for another period than the progress report's.
    #[error("{person}'s quota is for {quota}, the progress report covers {progress}")]
    QuotaPeriod {
        /// The person.
        person: PersonId,
        /// The quota's period.
        quota: Period,
        /// The report's period.
        progress: Period,
    },
    /// A person's quota or credit in another currency than the report's.
    #[error("{person}'s figures are in {found}, the progress report is in {expected}")]
    PersonCurrency {
        /// The person.
        person: PersonId,
        /// The report's currency.
        expected: Currency,
        /// The figure's.
        found: Currency,
    },
    /// A figure of a seat's holder asked of a seat vacant on the date (a
    /// manager's bonus at a close).
    #[error("{position} is vacant on {as_of}")]
    VacantSeat {
        /// The seat.
        position: PositionId,
        /// The date.
        as_of: NaiveDate,
    },
    /// No FX rate to convert a figure into the reporting currency.
    #[error("{position}: no {from}->{to} rate effective on {date}")]
    NoFxRate {
        /// The position whose figure it is.
        position: PositionId,
        /// The figure's currency.
        from: Currency,
        /// The reporting currency.
        to: Currency,
        /// The rate date.
        date: NaiveDate,
    },
    /// A figure measured against a target a seat does not have (a
    /// manager's bonus at a close, for a seat the quota plan gives no
    /// target in the period).
    #[error("{position} has no target in {period}")]
    NoTarget {
        /// The seat.
        position: PositionId,
        /// The period.
        period: Period,
    },
}
