//! Fiscal calendars: month-based fiscal years with any start month, and
//! 52/53-week retail calendars (4-4-5, 4-5-4, 5-4-4).

use chrono::{Datelike, Month, Months, NaiveDate, Weekday};

use super::{Period, add_days, month_start, ymd};
use crate::calendar::CalendarError;

/// How a fiscal year is numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum YearNaming {
    /// Named by the calendar year its first month falls in (Japan's FY2025 is
    /// April 2025 to March 2026; the NRF retail year 2025 starts in February
    /// 2025).
    ByStartYear,
    /// Named by the calendar year its last month falls in (the US federal
    /// FY2025 is October 2024 to September 2025).
    ByEndYear,
}

/// Which retail month of each quarter takes the 5-week month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RetailPattern {
    /// 4, 4 and 5 weeks.
    P445,
    /// 4, 5 and 4 weeks.
    P454,
    /// 5, 4 and 4 weeks.
    P544,
}

impl RetailPattern {
    /// The days of the quarter's three months: 4 or 5 weeks each.
    fn days(self) -> [u64; 3] {
        match self {
            RetailPattern::P445 => [28, 28, 35],
            RetailPattern::P454 => [28, 35, 28],
            RetailPattern::P544 => [35, 28, 28],
        }
    }
}

/// How a retail year's last day is chosen within its year-end month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum YearEndRule {
    /// The last such weekday in the month.
    LastInMonth,
    /// The such weekday nearest the month's last day (it may fall up to
    /// three days into the next month).
    NearestMonthEnd,
}

/// The last day of a retail year: for example the Saturday nearest the end
/// of January.
///
/// In JSON every field is required; weekdays and months are written as
/// `chrono` writes them (`"Sat"`, `"January"`). Unknown fields are refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use chrono::{Month, Weekday};
/// use salesplan::calendar::{RetailYearEnd, YearEndRule};
///
/// let end: RetailYearEnd = serde_json::from_str(
///     r#"{"weekday": "Sat", "month": "January", "rule": "nearest_month_end"}"#,
/// )?;
/// assert_eq!(end, RetailYearEnd { weekday: Weekday::Sat, month: Month::January, rule: YearEndRule::NearestMonthEnd });
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct RetailYearEnd {
    /// The weekday every retail week ends on.
    pub weekday: Weekday,
    /// The month the year ends in (or nearest the end of).
    pub month: Month,
    /// Last in the month, or nearest its end.
    pub rule: YearEndRule,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
enum Kind {
    Monthly {
        start: Month,
    },
    Retail {
        pattern: RetailPattern,
        year_end: RetailYearEnd,
    },
}

/// A fiscal calendar: how years, quarters, months and weeks are laid out.
///
/// Two families:
///
/// - **Month-based**: the year starts on the first day of any month; quarters
///   are three calendar months; weeks are ISO weeks (Monday to Sunday),
///   clipped at the year's ends so they partition the year.
/// - **Retail (52/53-week)**: the year ends on a fixed weekday in or near a
///   given month; quarters are 13 weeks, months 4 or 5 weeks following the
///   pattern. In a 53-week year the extra week goes to the last month of the
///   fourth quarter.
///
/// Years, quarters, months and weeks always partition each other exactly.
///
/// ```
/// use chrono::{Month, Weekday};
/// use salesplan::calendar::{
///     FiscalCalendar, RetailPattern, RetailYearEnd, YearEndRule, YearNaming,
/// };
///
/// // The NRF 4-5-4 calendar: years end on the Saturday nearest 31 January.
/// let nrf = FiscalCalendar::retail(
///     RetailPattern::P454,
///     RetailYearEnd { weekday: Weekday::Sat, month: Month::January, rule: YearEndRule::NearestMonthEnd },
///     YearNaming::ByStartYear,
/// );
/// assert_eq!(nrf.year(2023)?.to_string(), "[2023-01-29, 2024-02-04)");
/// assert_eq!(nrf.weeks(2023)?.len(), 53);
/// assert_eq!(nrf.months(2024)?[1].days(), 35);
/// # Ok::<(), salesplan::CalendarError>(())
/// ```
///
/// # JSON
///
/// Both fields are required: `kind` is `{"monthly": {"start": month}}` or
/// `{"retail": {"pattern": .., "year_end": ..}}` (see [`RetailYearEnd`]),
/// and `naming` is `"by_start_year"` or `"by_end_year"`. Every combination
/// is valid; unknown fields are refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use chrono::Month;
/// use salesplan::calendar::{FiscalCalendar, YearNaming};
///
/// // A fiscal year from April, named by its start (Japan's FY2025).
/// let japan: FiscalCalendar = serde_json::from_str(
///     r#"{"kind": {"monthly": {"start": "April"}}, "naming": "by_start_year"}"#,
/// )?;
/// assert_eq!(japan, FiscalCalendar::starting(Month::April, YearNaming::ByStartYear));
/// assert_eq!(japan.year(2025)?.to_string(), "[2025-04-01, 2026-04-01)");
/// // The NRF 4-5-4 retail calendar.
/// let nrf: FiscalCalendar = serde_json::from_str(r#"{
///     "kind": {"retail": {
///         "pattern": "p454",
///         "year_end": {"weekday": "Sat", "month": "January", "rule": "nearest_month_end"}
///     }},
///     "naming": "by_start_year"
/// }"#)?;
/// assert_eq!(nrf.weeks(2023)?.len(), 53);
/// // A misspelled field is refused, by name.
/// let err = serde_json::from_str::<FiscalCalendar>(
///     r#"{"kind": {"monthly": {"start": "April"}}, "namig": "by_start_year"}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("unknown field `namig`"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct FiscalCalendar {
    kind: Kind,
    naming: YearNaming,
}

impl Default for FiscalCalendar {
    fn default() -> Self {
        FiscalCalendar::gregorian()
    }
}

impl FiscalCalendar {
    /// The calendar year: January to December.
    pub const fn gregorian() -> FiscalCalendar {
        FiscalCalendar {
            kind: Kind::Monthly {
                start: Month::January,
            },
            naming: YearNaming::ByStartYear,
        }
    }

    /// A fiscal year starting on the first day of `start`.
    pub const fn starting(start: Month, naming: YearNaming) -> FiscalCalendar {
        FiscalCalendar {
            kind: Kind::Monthly { start },
            naming,
        }
    }

    /// A 52/53-week retail calendar.
    pub const fn retail(
        pattern: RetailPattern,
        year_end: RetailYearEnd,
        naming: YearNaming,
    ) -> FiscalCalendar {
        FiscalCalendar {
            kind: Kind::Retail { pattern, year_end },
            naming,
        }
    }

    /// How years are named.
    pub const fn naming(&self) -> YearNaming {
        self.naming
    }

    /// Fiscal year `year`.
    ///
    /// # Errors
    ///
    /// [`CalendarError::YearOutOfRange`] when its dates are beyond `chrono`'s
    /// range.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::Month;
    /// use salesplan::calendar::{FiscalCalendar, YearNaming};
    ///
    /// // The US federal fiscal year: October to September, named by its end.
    /// let federal = FiscalCalendar::starting(Month::October, YearNaming::ByEndYear);
    /// assert_eq!(federal.year(2025)?.to_string(), "[2024-10-01, 2025-10-01)");
    /// // Japan's: April to March, named by its start.
    /// let japan = FiscalCalendar::starting(Month::April, YearNaming::ByStartYear);
    /// assert_eq!(japan.year(2025)?.to_string(), "[2025-04-01, 2026-04-01)");
    /// # Ok::<(), salesplan::CalendarError>(())
    /// ```
    pub fn year(&self, year: i32) -> Result<Period, CalendarError> {
        let out_of_range = |_| CalendarError::YearOutOfRange { year };
        match self.kind {
            Kind::Monthly { start } => {
                let first_year = match (self.naming, start) {
                    (YearNaming::ByEndYear, m) if m != Month::January => year.checked_sub(1),
                    _ => Some(year),
                }
                .ok_or(CalendarError::YearOutOfRange { year })?;
                let from = ymd(first_year, start.number_from_month(), 1).map_err(out_of_range)?;
                let to = from
                    .checked_add_months(Months::new(12))
                    .ok_or(CalendarError::YearOutOfRange { year })?;
                Period::new(from, to)
            }
            Kind::Retail { year_end, .. } => {
                let end_year = match (self.naming, year_end.month) {
                    (YearNaming::ByStartYear, m) if m != Month::December => year.checked_add(1),
                    _ => Some(year),
                }
                .ok_or(CalendarError::YearOutOfRange { year })?;
                let before = end_year
                    .checked_sub(1)
                    .ok_or(CalendarError::YearOutOfRange { year })?;
                let last = retail_year_end(year_end, end_year).map_err(out_of_range)?;
                let previous_last = retail_year_end(year_end, before).map_err(out_of_range)?;
                Period::new(
                    add_days(previous_last, 1).map_err(out_of_range)?,
                    add_days(last, 1).map_err(out_of_range)?,
                )
            }
        }
    }

    /// The four quarters of fiscal year `year`, in order.
    ///
    /// # Errors
    ///
    /// As [`year`](FiscalCalendar::year).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{Month, Weekday};
    /// use salesplan::calendar::{FiscalCalendar, RetailPattern, RetailYearEnd, YearEndRule, YearNaming};
    ///
    /// let federal = FiscalCalendar::starting(Month::October, YearNaming::ByEndYear);
    /// let [q1, _, _, q4] = federal.quarters(2025)?;
    /// assert_eq!(q1.to_string(), "[2024-10-01, 2025-01-01)");
    /// assert_eq!(q4.to_string(), "[2025-07-01, 2025-10-01)");
    /// // Retail quarters are 13 weeks.
    /// let end = RetailYearEnd { weekday: Weekday::Sat, month: Month::January, rule: YearEndRule::NearestMonthEnd };
    /// let retail = FiscalCalendar::retail(RetailPattern::P445, end, YearNaming::ByStartYear);
    /// assert_eq!(retail.quarters(2025)?[0].to_string(), "[2025-02-02, 2025-05-04)");
    /// assert_eq!(retail.quarters(2025)?[0].days(), 91);
    /// # Ok::<(), salesplan::CalendarError>(())
    /// ```
    pub fn quarters(&self, year: i32) -> Result<[Period; 4], CalendarError> {
        let months = self.months(year)?;
        let mut quarters = [months[0]; 4];
        for (quarter, three) in quarters.iter_mut().zip(months.chunks_exact(3)) {
            if let [first, _, last] = three {
                *quarter = Period::new(first.start(), last.end())?;
            }
        }
        Ok(quarters)
    }

    /// The twelve months of fiscal year `year`, in order.
    ///
    /// # Errors
    ///
    /// As [`year`](FiscalCalendar::year).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{Month, Weekday};
    /// use salesplan::calendar::{FiscalCalendar, RetailPattern, RetailYearEnd, YearEndRule, YearNaming};
    ///
    /// let federal = FiscalCalendar::starting(Month::October, YearNaming::ByEndYear);
    /// let months = federal.months(2025)?;
    /// assert_eq!(months[0].to_string(), "[2024-10-01, 2024-11-01)");
    /// assert_eq!(months[11].to_string(), "[2025-09-01, 2025-10-01)");
    /// // A 4-4-5 retail year: four weeks, four weeks, five weeks.
    /// let end = RetailYearEnd { weekday: Weekday::Sat, month: Month::January, rule: YearEndRule::NearestMonthEnd };
    /// let retail = FiscalCalendar::retail(RetailPattern::P445, end, YearNaming::ByStartYear);
    /// let days: Vec<u32> = retail.months(2025)?.iter().take(3).map(|m| m.days()).collect();
    /// assert_eq!(days, [28, 28, 35]);
    /// # Ok::<(), salesplan::CalendarError>(())
    /// ```
    pub fn months(&self, year: i32) -> Result<[Period; 12], CalendarError> {
        let whole = self.year(year)?;
        let mut bounds = [whole.start(); 13];
        match self.kind {
            Kind::Monthly { .. } => {
                // The year starts on the first of a month: its months
                // start 0 to 12 months later.
                for (i, bound) in (0u32..).zip(bounds.iter_mut()) {
                    *bound = whole
                        .start()
                        .checked_add_months(Months::new(i))
                        .ok_or(CalendarError::YearOutOfRange { year })?;
                }
            }
            Kind::Retail { pattern, .. } => {
                let extra_week = whole.days() > 364;
                let mut cursor = whole.start();
                let lengths = pattern.days().into_iter().cycle();
                for (month, (bound, days)) in bounds.iter_mut().skip(1).zip(lengths).enumerate() {
                    cursor = add_days(cursor, days)
                        .map_err(|_| CalendarError::YearOutOfRange { year })?;
                    // The 53rd week goes to the last month.
                    if month == 11 && extra_week {
                        cursor = add_days(cursor, 7)
                            .map_err(|_| CalendarError::YearOutOfRange { year })?;
                    }
                    *bound = cursor;
                }
            }
        }
        let mut months = [whole; 12];
        for (month, pair) in months.iter_mut().zip(bounds.windows(2)) {
            if let [from, to] = pair {
                *month = Period::new(*from, *to)?;
            }
        }
        Ok(months)
    }

    /// The weeks of fiscal year `year`, in order. Retail years have 52 or 53
    /// whole weeks; month-based years are cut into ISO weeks (Monday to
    /// Sunday), with a shorter first or last week where the year does not
    /// start on a Monday or end on a Sunday.
    ///
    /// # Errors
    ///
    /// As [`year`](FiscalCalendar::year).
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    ///
    /// // 2025 starts on a Wednesday and ends on a Wednesday: short first and last weeks.
    /// let weeks = FiscalCalendar::gregorian().weeks(2025)?;
    /// assert_eq!(weeks.len(), 53);
    /// assert_eq!(weeks[0].to_string(), "[2025-01-01, 2025-01-06)");
    /// assert_eq!(weeks[1].days(), 7);
    /// assert_eq!(weeks[52].to_string(), "[2025-12-29, 2026-01-01)");
    /// # Ok::<(), salesplan::CalendarError>(())
    /// ```
    pub fn weeks(&self, year: i32) -> Result<Vec<Period>, CalendarError> {
        let whole = self.year(year)?;
        let mut weeks = Vec::with_capacity(54);
        let mut start = whole.start();
        while start < whole.end() {
            let to_boundary = match self.kind {
                Kind::Retail { .. } => 7,
                // Days to the next Monday: a whole week from a Monday.
                Kind::Monthly { .. } => match Weekday::Mon.days_since(start.weekday()) {
                    0 => 7,
                    days => u64::from(days),
                },
            };
            let end = add_days(start, to_boundary)?.min(whole.end());
            weeks.push(Period::new(start, end)?);
            start = end;
        }
        Ok(weeks)
    }

    /// The fiscal year containing `date`.
    ///
    /// # Errors
    ///
    /// [`CalendarError::YearOutOfRange`] at the very ends of `chrono`'s
    /// range.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::{Month, NaiveDate};
    /// use salesplan::calendar::{FiscalCalendar, YearNaming};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let federal = FiscalCalendar::starting(Month::October, YearNaming::ByEndYear);
    /// assert_eq!(federal.year_of(d(9, 30))?, 2025);
    /// assert_eq!(federal.year_of(d(10, 1))?, 2026);
    /// # Ok::<(), salesplan::CalendarError>(())
    /// ```
    pub fn year_of(&self, date: NaiveDate) -> Result<i32, CalendarError> {
        let y = date.year();
        [y.checked_sub(1), Some(y), y.checked_add(1)]
            .into_iter()
            .flatten()
            .find(|candidate| self.year(*candidate).is_ok_and(|p| p.contains(date)))
            .ok_or(CalendarError::YearOutOfRange { year: y })
    }
}

/// The last day of the retail year that ends in or near `year_end.month` of
/// calendar year `year`.
fn retail_year_end(year_end: RetailYearEnd, year: i32) -> Result<NaiveDate, CalendarError> {
    let month = year_end.month.number_from_month();
    let month_last = month_start(year, month)?
        .pred_opt()
        .ok_or(CalendarError::YearOutOfRange { year })?;
    // Days back from the month's last day to the weekday on or before it.
    let back = month_last.weekday().days_since(year_end.weekday);
    let last_in_month = month_last
        .checked_sub_days(chrono::Days::new(u64::from(back)))
        .ok_or(CalendarError::YearOutOfRange { year })?;
    match year_end.rule {
        YearEndRule::LastInMonth => Ok(last_in_month),
        YearEndRule::NearestMonthEnd if back > 3 => add_days(last_in_month, 7),
        YearEndRule::NearestMonthEnd => Ok(last_in_month),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{days_between, ymd};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn nrf_years() {
        let nrf = FiscalCalendar::retail(
            RetailPattern::P454,
            RetailYearEnd {
                weekday: Weekday::Sat,
                month: Month::January,
                rule: YearEndRule::NearestMonthEnd,
            },
            YearNaming::ByStartYear,
        );
        // Published NRF calendar: FY2024 is 2 Feb 2025 back to 4 Feb 2024.
        assert_eq!(
            nrf.year(2024).unwrap(),
            Period::new(d(2024, 2, 4), d(2025, 2, 2)).unwrap()
        );
        assert_eq!(
            nrf.year(2025).unwrap(),
            Period::new(d(2025, 2, 2), d(2026, 2, 1)).unwrap()
        );
        assert_eq!(days_between(d(2024, 2, 4), d(2025, 2, 2)), 364);
    }

    #[test]
    fn ymd_rejects_february_29_in_common_years() {
        assert!(ymd(2025, 2, 29).is_err());
        assert!(ymd(2024, 2, 29).is_ok());
    }
}
