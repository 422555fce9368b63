//! Effective-dated ranges: `[from, until)` with an optional end.

use std::fmt;

use chrono::NaiveDate;

use super::Period;
use crate::error::CalendarError;

/// When something is in effect: from `from` (included) until `until`
/// (excluded), or open-ended when `until` is `None`.
///
/// Reporting lines, assignments, coverage and plan versions are all
/// effective-dated this way, so a change on 1 July is a new range starting
/// on 1 July and history is never rewritten.
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::calendar::DateRange;
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let first_half = DateRange::new(d(1, 1), Some(d(7, 1)))?;
/// let from_july = DateRange::starting(d(7, 1));
/// assert!(first_half.contains(d(6, 30)) && !first_half.contains(d(7, 1)));
/// assert!(!first_half.overlaps(&from_july));
/// assert!(DateRange::new(d(7, 1), Some(d(7, 1))).is_err());
/// # Ok::<(), salesplan::CalendarError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "RawDateRange")
)]
pub struct DateRange {
    from: NaiveDate,
    until: Option<NaiveDate>,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct RawDateRange {
    from: NaiveDate,
    #[serde(default)]
    until: Option<NaiveDate>,
}

#[cfg(feature = "serde")]
impl TryFrom<RawDateRange> for DateRange {
    type Error = CalendarError;
    fn try_from(raw: RawDateRange) -> Result<DateRange, CalendarError> {
        DateRange::new(raw.from, raw.until)
    }
}

impl DateRange {
    /// `[from, until)`, open-ended when `until` is `None`.
    ///
    /// # Errors
    ///
    /// [`CalendarError::EmptyPeriod`] when `until` is not after `from`.
    pub fn new(from: NaiveDate, until: Option<NaiveDate>) -> Result<DateRange, CalendarError> {
        match until {
            Some(end) if end <= from => Err(CalendarError::EmptyPeriod { start: from, end }),
            _ => Ok(DateRange { from, until }),
        }
    }

    /// In effect from `from` on, with no end.
    pub const fn starting(from: NaiveDate) -> DateRange {
        DateRange { from, until: None }
    }

    /// First day in effect.
    pub const fn from(&self) -> NaiveDate {
        self.from
    }

    /// First day no longer in effect, if any.
    pub const fn until(&self) -> Option<NaiveDate> {
        self.until
    }

    /// Whether the range is in effect on `date`.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date < u)
    }

    /// Whether the two ranges share a day.
    pub fn overlaps(&self, other: &DateRange) -> bool {
        self.until.is_none_or(|u| other.from < u) && other.until.is_none_or(|u| self.from < u)
    }

    /// The first day both ranges are in effect, if any.
    pub fn first_common_day(&self, other: &DateRange) -> Option<NaiveDate> {
        self.overlaps(other).then(|| self.from.max(other.from))
    }

    /// The days of `period` on which the range is in effect, if any.
    pub fn clip(&self, period: &Period) -> Option<Period> {
        let end = match self.until {
            Some(u) => u.min(period.end()),
            None => period.end(),
        };
        Period::new(self.from.max(period.start()), end).ok()
    }
}

impl From<Period> for DateRange {
    fn from(p: Period) -> DateRange {
        DateRange {
            from: p.start(),
            until: Some(p.end()),
        }
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.until {
            Some(u) => write!(f, "[{}, {})", self.from, u),
            None => write!(f, "[{}, ...)", self.from),
        }
    }
}

impl fmt::Debug for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateRange{self}")
    }
}
