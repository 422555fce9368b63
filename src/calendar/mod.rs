//! Dates and periods: half-open [`Period`]s, fiscal and retail calendars,
//! working-day calendars and exact proration.
//!
//! Every period is half-open, `[start, end)`: the quarter starting 1 January
//! 2025 is `[2025-01-01, 2025-04-01)`, so consecutive periods share a boundary
//! and never a day. Nothing here reads the clock: dates come in as arguments.
//!
//! ```
//! use chrono::{Month, NaiveDate};
//! use salesplan::calendar::{FiscalCalendar, YearNaming};
//!
//! // A fiscal year that starts in February and is named by the year it ends in.
//! let fy = FiscalCalendar::starting(Month::February, YearNaming::ByEndYear);
//! let q1 = fy.quarters(2026)?[0];
//! assert_eq!(q1.to_string(), "[2025-02-01, 2025-05-01)");
//! assert_eq!(fy.year_of(NaiveDate::from_ymd_opt(2026, 1, 31).unwrap())?, 2026);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
pub use self::error::CalendarError;

mod fiscal;
mod range;
mod work;

use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate};

pub use self::fiscal::{FiscalCalendar, RetailPattern, RetailYearEnd, YearEndRule, YearNaming};
pub use self::range::DateRange;
pub use self::work::{Proration, ProrationBasis, WorkCalendar};

/// A half-open date range `[start, end)` with at least one day.
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::Period;
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let q1 = Period::new(d(1, 1), d(4, 1))?;
/// let feb = Period::month(2025, 2)?;
/// assert_eq!(q1.days(), 90);
/// assert!(q1.contains(d(3, 31)) && !q1.contains(d(4, 1)));
/// assert_eq!(q1.intersection(&feb), Some(feb));
/// assert!(Period::new(d(4, 1), d(1, 1)).is_err());
/// # Ok::<(), salesplan::CalendarError>(())
/// ```
///
/// # JSON
///
/// `{"start": .., "end": ..}`, `end` excluded; both are required and the
/// end must be after the start, as in [`Period::new`]. Unknown fields are
/// refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::Period;
///
/// let q1: Period = serde_json::from_str(r#"{"start": "2025-01-01", "end": "2025-04-01"}"#)?;
/// assert_eq!(q1.days(), 90);
/// assert!(serde_json::from_str::<Period>(r#"{"start": "2025-04-01", "end": "2025-01-01"}"#).is_err());
/// let err = serde_json::from_str::<Period>(r#"{"start": "2025-01-01", "until": "2025-04-01"}"#)
///     .unwrap_err();
/// assert!(err.to_string().contains("unknown field `until`"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawPeriod"))]
pub struct Period {
    start: NaiveDate,
    end: NaiveDate,
}

crate::validated::via_raw! {
    /// The unchecked form of a [`Period`], for deserialization.
    RawPeriod => Period, CalendarError {
        start: NaiveDate,
        end: NaiveDate,
    }
}

/// `date` plus `days` days.
pub(crate) fn add_days(date: NaiveDate, days: u64) -> Result<NaiveDate, CalendarError> {
    date.checked_add_days(Days::new(days))
        .ok_or(CalendarError::DateOutOfRange {
            what: "adding days",
            from: date,
        })
}

/// The date `year-month-day`.
pub(crate) fn ymd(year: i32, month: u32, day: u32) -> Result<NaiveDate, CalendarError> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or(CalendarError::InvalidDate { year, month, day })
}

/// The first day of the month `months` months after January of `year`
/// (`months` may exceed 11).
pub(crate) fn month_start(year: i32, months: u32) -> Result<NaiveDate, CalendarError> {
    let extra_years =
        i32::try_from(months / 12).map_err(|_| CalendarError::YearOutOfRange { year })?;
    let y = year
        .checked_add(extra_years)
        .ok_or(CalendarError::YearOutOfRange { year })?;
    // January 1 is always a date, and adding fewer than twelve months to it
    // stays in the year, so a failure is the year's range.
    ymd(y, 1, 1)
        .ok()
        .and_then(|january| january.checked_add_months(Months::new(months % 12)))
        .ok_or(CalendarError::YearOutOfRange { year: y })
}

/// Days from `a` to `b` (negative when `b` is earlier).
pub(crate) fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    b.signed_duration_since(a).num_days()
}

impl Period {
    /// `[start, end)`.
    ///
    /// # Errors
    ///
    /// [`CalendarError::EmptyPeriod`] unless `start < end`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Period, CalendarError> {
        if start < end {
            Ok(Period { start, end })
        } else {
            Err(CalendarError::EmptyPeriod { start, end })
        }
    }

    /// The period from `first` to `last`, both included.
    ///
    /// # Errors
    ///
    /// [`CalendarError::EmptyPeriod`] when `last < first`;
    /// [`CalendarError::DateOutOfRange`] when `last` is the last date
    /// `chrono` supports.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::Period;
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let q1 = Period::inclusive(d(1, 1), d(3, 31))?;
    /// assert_eq!(q1.to_string(), "[2025-01-01, 2025-04-01)");
    /// assert_eq!(q1.days(), 90);
    /// assert_eq!(Period::inclusive(d(5, 1), d(5, 1))?.days(), 1);
    /// assert!(Period::inclusive(d(3, 31), d(1, 1)).is_err());
    /// # Ok::<(), salesplan::CalendarError>(())
    /// ```
    pub fn inclusive(first: NaiveDate, last: NaiveDate) -> Result<Period, CalendarError> {
        if last < first {
            return Err(CalendarError::EmptyPeriod {
                start: first,
                end: last,
            });
        }
        Period::new(first, add_days(last, 1)?)
    }

    /// The single day `date`.
    ///
    /// # Errors
    ///
    /// [`CalendarError::DateOutOfRange`] for the last date `chrono` supports.
    pub fn day(date: NaiveDate) -> Result<Period, CalendarError> {
        Period::new(date, add_days(date, 1)?)
    }

    /// Calendar month `month` (1-12) of `year`.
    ///
    /// # Errors
    ///
    /// [`CalendarError::InvalidDate`] for a month outside 1-12;
    /// [`CalendarError::YearOutOfRange`] beyond `chrono`'s range.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::Period;
    ///
    /// let feb = Period::month(2024, 2)?;
    /// assert_eq!(feb.to_string(), "[2024-02-01, 2024-03-01)");
    /// assert_eq!(feb.days(), 29);
    /// assert_eq!(feb.last_day().to_string(), "2024-02-29");
    /// assert!(Period::month(2024, 13).is_err());
    /// # Ok::<(), salesplan::CalendarError>(())
    /// ```
    pub fn month(year: i32, month: u32) -> Result<Period, CalendarError> {
        if !(1..=12).contains(&month) {
            return Err(CalendarError::InvalidDate {
                year,
                month,
                day: 1,
            });
        }
        Period::new(ymd(year, month, 1)?, month_start(year, month)?)
    }

    /// Calendar year `year`.
    ///
    /// # Errors
    ///
    /// [`CalendarError::YearOutOfRange`] beyond `chrono`'s range.
    pub fn year(year: i32) -> Result<Period, CalendarError> {
        Period::new(
            ymd(year, 1, 1).map_err(|_| CalendarError::YearOutOfRange { year })?,
            month_start(year, 12)?,
        )
    }

    /// ISO 8601 week `week` of ISO week-numbering year `year`, Monday to
    /// Sunday.
    ///
    /// # Errors
    ///
    /// [`CalendarError::InvalidIsoWeek`] for a week the year does not have.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::Period;
    ///
    /// // ISO week 1 of 2025 starts in December 2024.
    /// assert_eq!(Period::iso_week(2025, 1)?.to_string(), "[2024-12-30, 2025-01-06)");
    /// assert_eq!(Period::iso_week(2026, 53)?.to_string(), "[2026-12-28, 2027-01-04)");
    /// assert!(Period::iso_week(2025, 53).is_err());
    /// # Ok::<(), salesplan::CalendarError>(())
    /// ```
    pub fn iso_week(year: i32, week: u32) -> Result<Period, CalendarError> {
        let monday = NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon)
            .ok_or(CalendarError::InvalidIsoWeek { year, week })?;
        Period::new(monday, add_days(monday, 7)?)
    }

    /// First day.
    pub const fn start(&self) -> NaiveDate {
        self.start
    }

    /// First day after the period (exclusive end).
    pub const fn end(&self) -> NaiveDate {
        self.end
    }

    /// Last day in the period.
    pub fn last_day(&self) -> NaiveDate {
        // `end > start`, so `end` has a predecessor.
        self.end.pred_opt().unwrap_or(self.start)
    }

    /// Number of days.
    pub fn days(&self) -> u32 {
        // At most about 191 million days fit in chrono's range.
        u32::try_from(days_between(self.start, self.end)).unwrap_or(u32::MAX)
    }

    /// Whether `date` is in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date < self.end
    }

    /// Whether `other` lies entirely inside this period.
    pub fn encloses(&self, other: &Period) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two periods share at least one day.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The days the two periods share, if any.
    pub fn intersection(&self, other: &Period) -> Option<Period> {
        Period::new(self.start.max(other.start), self.end.min(other.end)).ok()
    }

    /// Every day of the period, in order.
    pub fn iter_days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let end = self.end;
        self.start.iter_days().take_while(move |d| *d < end)
    }

    /// The calendar months the period touches, each clipped to the period.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::Period;
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let stint = Period::new(d(1, 15), d(3, 10))?;
    /// let months: Vec<String> = stint.months().map(|m| m.to_string()).collect();
    /// assert_eq!(
    ///     months,
    ///     ["[2025-01-15, 2025-02-01)", "[2025-02-01, 2025-03-01)", "[2025-03-01, 2025-03-10)"],
    /// );
    /// # Ok::<(), salesplan::CalendarError>(())
    /// ```
    pub fn months(&self) -> impl Iterator<Item = Period> + use<> {
        let end = self.end;
        let mut next = Some(self.start);
        std::iter::from_fn(move || {
            let start = next?;
            let month_end = month_start(start.year(), start.month0().checked_add(1)?).ok()?;
            let stop = month_end.min(end);
            next = (stop < end).then_some(stop);
            Period::new(start, stop).ok()
        })
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}, {})", self.start, self.end)
    }
}

impl fmt::Debug for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Period{self}")
    }
}
