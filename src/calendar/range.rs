//! Effective-dated ranges: `[from, until)` with an optional end, written
//! `{"start": .., "end": ..}` in JSON like a [`Period`].

use std::fmt;

use chrono::NaiveDate;

use super::Period;
use crate::calendar::CalendarError;

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
///
/// # JSON
///
/// The same half-open shape as a [`Period`]: `{"start": .., "end": ..}`,
/// where `end` (excluded) may be `null` or left out for an open end. The
/// end must be after the start, as in [`DateRange::new`]; unknown fields are
/// refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use chrono::NaiveDate;
/// use salesplan::calendar::DateRange;
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let h1: DateRange = serde_json::from_str(r#"{"start": "2025-01-01", "end": "2025-07-01"}"#)?;
/// assert_eq!(h1, DateRange::new(d(1, 1), Some(d(7, 1)))?);
/// let open: DateRange = serde_json::from_str(r#"{"start": "2025-07-01"}"#)?;
/// assert_eq!(open, DateRange::starting(d(7, 1)));
/// assert_eq!(serde_json::to_string(&open)?, r#"{"start":"2025-07-01","end":null}"#);
/// // An end that is not after the start is refused.
/// assert!(serde_json::from_str::<DateRange>(r#"{"start": "2025-07-01", "end": "2025-07-01"}"#).is_err());
/// // So are the old names, by name.
/// let err = serde_json::from_str::<DateRange>(r#"{"start": "2025-01-01", "until": "2025-07-01"}"#)
///     .unwrap_err();
/// assert!(err.to_string().contains("unknown field `until`"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawDateRange"))]
pub struct DateRange {
    #[cfg_attr(feature = "serde", serde(rename = "start"))]
    from: NaiveDate,
    #[cfg_attr(feature = "serde", serde(rename = "end"))]
    until: Option<NaiveDate>,
}

crate::validated::via_raw! {
    /// The unchecked form of a [`DateRange`], for deserialization.
    RawDateRange => DateRange, CalendarError {
        start: NaiveDate,
        #[serde(default)]
        end: Option<NaiveDate>,
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
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::calendar::DateRange;
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let old = DateRange::new(d(3, 1), Some(d(9, 1)))?;
    /// assert_eq!(old.first_common_day(&DateRange::starting(d(6, 15))), Some(d(6, 15)));
    /// assert_eq!(old.first_common_day(&DateRange::starting(d(9, 1))), None);
    /// # Ok::<(), salesplan::CalendarError>(())
    /// ```
    pub fn first_common_day(&self, other: &DateRange) -> Option<NaiveDate> {
        self.overlaps(other).then(|| self.from.max(other.from))
    }

    /// The days of `period` on which the range is in effect, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::Period;
    /// use salesplan::calendar::DateRange;
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let assignment = DateRange::new(d(3, 1), Some(d(9, 1)))?;
    /// let q1 = Period::new(d(1, 1), d(4, 1))?;
    /// assert_eq!(assignment.clip(&q1), Some(Period::month(2025, 3)?));
    /// assert_eq!(assignment.clip(&Period::month(2025, 10)?), None);
    /// # Ok::<(), salesplan::CalendarError>(())
    /// ```
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
