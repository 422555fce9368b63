//! What can go wrong here (dates, periods, fiscal calendars, working days
//! and proration), with the ids and values involved.

use crate::calendar::Period;
use chrono::NaiveDate;

/// Dates, periods, fiscal calendars, working days and proration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// A period whose end is not after its start: `[2025-03-01, 2025-03-01)`.
    #[error("period [{start}, {end}) is empty or inverted")]
    EmptyPeriod {
        /// The start given.
        start: NaiveDate,
        /// The end given (exclusive).
        end: NaiveDate,
    },
    /// A calendar date that does not exist: 29 February 2025, month 13.
    #[error("{year:04}-{month:02}-{day:02} is not a date")]
    InvalidDate {
        /// Year.
        year: i32,
        /// Month (1-12).
        month: u32,
        /// Day of month.
        day: u32,
    },
    /// A date computation left the range `chrono` supports (about ±262,000
    /// years), for example the day after `NaiveDate::MAX`.
    #[error("date out of range: {what} from {from}")]
    DateOutOfRange {
        /// What was being computed.
        what: &'static str,
        /// The date it was computed from.
        from: NaiveDate,
    },
    /// A fiscal year whose dates fall outside the supported range.
    #[error("fiscal year {year} is out of range")]
    YearOutOfRange {
        /// The fiscal year asked for.
        year: i32,
    },
    /// An ISO week that does not exist: week 53 of 2025.
    #[error("ISO week {week} of {year} does not exist")]
    InvalidIsoWeek {
        /// ISO week-numbering year.
        year: i32,
        /// Week number given.
        week: u32,
    },
    /// A working-day calendar with no working weekday.
    #[error("a work week needs at least one working weekday")]
    NoWorkingWeekdays,
    /// Proration by working days over a period without any.
    #[error("{period} has no working days")]
    NoWorkingDays {
        /// The period.
        period: Period,
    },
    /// Proration by whole months over a period that is not made of whole
    /// calendar months: `[2025-01-15, 2025-04-15)`.
    #[error("{period} is not a run of whole calendar months")]
    NotWholeMonths {
        /// The period.
        period: Period,
    },
    /// A proration read from data that covers more units than its whole, or
    /// a whole of no units: `{"covered": 4, "total": 3}`.
    #[error("a proration covers 0 to {total} units of a positive total, not {covered} of {total}")]
    ProrationOutOfRange {
        /// The units covered, as given.
        covered: u32,
        /// The units of the whole, as given.
        total: u32,
    },
}
