//! Working-day calendars and exact proration.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use rust_decimal::Decimal;

use super::Period;
use crate::calendar::CalendarError;
use crate::money::{self, Money, MoneyError};

/// Which weekdays are worked, plus holidays, as data.
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::Period;
/// use salesplan::calendar::WorkCalendar;
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let cal = WorkCalendar::monday_to_friday().with_holidays([d(12, 25), d(12, 26)]);
/// let december = Period::month(2025, 12)?;
/// assert_eq!(cal.working_days(&december), 21);
/// assert!(!cal.is_working_day(d(12, 25)));
/// # Ok::<(), salesplan::CalendarError>(())
/// ```
///
/// # JSON
///
/// `weekdays` (as `chrono` writes them: `"Mon"` to `"Sun"`) is required
/// and must name at least one day, as in [`WorkCalendar::new`];
/// `holidays` defaults to none. Unknown fields are refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use chrono::NaiveDate;
/// use salesplan::calendar::WorkCalendar;
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let cal: WorkCalendar = serde_json::from_str(r#"{
///     "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri"],
///     "holidays": ["2025-12-25", "2025-12-26"]
/// }"#)?;
/// assert_eq!(cal, WorkCalendar::monday_to_friday().with_holidays([d(12, 25), d(12, 26)]));
/// let plain: WorkCalendar = serde_json::from_str(r#"{"weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri"]}"#)?;
/// assert_eq!(plain, WorkCalendar::monday_to_friday());
/// // A week without working days is refused.
/// assert!(serde_json::from_str::<WorkCalendar>(r#"{"weekdays": []}"#).is_err());
/// // So is a misspelled field, by name.
/// let err = serde_json::from_str::<WorkCalendar>(r#"{"weekdays": ["Mon"], "holiday": []}"#)
///     .unwrap_err();
/// assert!(err.to_string().contains("unknown field `holiday`"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawWorkCalendar"))]
#[cfg_attr(feature = "serde", serde(into = "RawWorkCalendar"))]
pub struct WorkCalendar {
    /// Bit `n` set: weekday `n` (Monday = 0) is worked.
    mask: u8,
    holidays: BTreeSet<NaiveDate>,
}

crate::validated::via_raw! {
    /// A work calendar on the wire; validated by [`WorkCalendar::new`].
    #[derive(serde::Serialize)]
    RawWorkCalendar => WorkCalendar, CalendarError {
        weekdays: Vec<Weekday>,
        #[serde(default)]
        holidays: BTreeSet<NaiveDate>,
    } => {
        Ok(WorkCalendar::new(weekdays)?.with_holidays(holidays))
    }
}

#[cfg(feature = "serde")]
impl From<WorkCalendar> for RawWorkCalendar {
    fn from(cal: WorkCalendar) -> RawWorkCalendar {
        RawWorkCalendar {
            weekdays: cal.weekdays().collect(),
            holidays: cal.holidays,
        }
    }
}

const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// The weekday's bit in a mask: Monday is bit 0.
fn bit(day: Weekday) -> u8 {
    match day {
        Weekday::Mon => 0b000_0001,
        Weekday::Tue => 0b000_0010,
        Weekday::Wed => 0b000_0100,
        Weekday::Thu => 0b000_1000,
        Weekday::Fri => 0b001_0000,
        Weekday::Sat => 0b010_0000,
        Weekday::Sun => 0b100_0000,
    }
}

impl WorkCalendar {
    /// A calendar working on `weekdays`, without holidays.
    ///
    /// # Errors
    ///
    /// [`CalendarError::NoWorkingWeekdays`] when `weekdays` is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::Weekday;
    /// use salesplan::Period;
    /// use salesplan::calendar::WorkCalendar;
    ///
    /// // A Sunday-to-Thursday week.
    /// let cal = WorkCalendar::new([Weekday::Sun, Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu])?;
    /// assert_eq!(cal.working_days(&Period::month(2025, 3)?), 22);
    /// // Weekdays come back Monday first.
    /// assert_eq!(cal.weekdays().next(), Some(Weekday::Mon));
    /// assert!(WorkCalendar::new([]).is_err());
    /// # Ok::<(), salesplan::CalendarError>(())
    /// ```
    pub fn new(weekdays: impl IntoIterator<Item = Weekday>) -> Result<WorkCalendar, CalendarError> {
        let mask = weekdays.into_iter().fold(0u8, |m, d| m | bit(d));
        if mask == 0 {
            return Err(CalendarError::NoWorkingWeekdays);
        }
        Ok(WorkCalendar {
            mask,
            holidays: BTreeSet::new(),
        })
    }

    /// Monday to Friday, without holidays.
    pub fn monday_to_friday() -> WorkCalendar {
        WorkCalendar {
            mask: 0b0001_1111,
            holidays: BTreeSet::new(),
        }
    }

    /// Adds holidays, builder style. Holidays on non-working weekdays change
    /// nothing.
    #[must_use]
    pub fn with_holidays(mut self, holidays: impl IntoIterator<Item = NaiveDate>) -> WorkCalendar {
        self.holidays.extend(holidays);
        self
    }

    /// Adds one holiday.
    pub fn add_holiday(&mut self, date: NaiveDate) {
        self.holidays.insert(date);
    }

    /// The working weekdays, Monday first.
    pub fn weekdays(&self) -> impl Iterator<Item = Weekday> + '_ {
        WEEK.into_iter().filter(|d| self.mask & bit(*d) != 0)
    }

    /// The holidays, in order.
    pub fn holidays(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.holidays.iter().copied()
    }

    /// Whether `date` is worked: a working weekday and not a holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.mask & bit(date.weekday()) != 0 && !self.holidays.contains(&date)
    }

    /// Working days in `period`. Takes time proportional to the number of
    /// holidays in the period, not to its length.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::Period;
    /// use salesplan::calendar::WorkCalendar;
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let mut cal = WorkCalendar::monday_to_friday();
    /// assert_eq!(cal.working_days(&Period::month(2025, 1)?), 23);
    /// cal.add_holiday(d(1, 1));
    /// // 4 January 2025 is a Saturday: that holiday changes nothing.
    /// cal.add_holiday(d(1, 4));
    /// assert_eq!(cal.working_days(&Period::month(2025, 1)?), 22);
    /// # Ok::<(), salesplan::CalendarError>(())
    /// ```
    pub fn working_days(&self, period: &Period) -> u32 {
        let days = period.days();
        let per_week = self.mask.count_ones();
        let whole_weeks = days / 7;
        let rest = days % 7;
        // The last `rest` days, after the whole weeks, start on the same
        // weekday as the period.
        let rest_days = std::iter::successors(Some(period.start().weekday()), |d| Some(d.succ()))
            .zip(0..rest)
            .filter(|(d, _)| self.mask & bit(*d) != 0)
            .count();
        let holidays = self
            .holidays
            .range(period.start()..period.end())
            .filter(|d| self.mask & bit(d.weekday()) != 0)
            .count();
        // Every count here is of days of the period, which has at most
        // `days <= u32::MAX` of them: `whole_weeks × per_week + rest_days`
        // counts its working weekdays (at most `whole_weeks × 7 + rest`),
        // and each holiday counted is one of those, so nothing overflows
        // and the difference is not negative.
        #[expect(
            clippy::arithmetic_side_effects,
            reason = "counts of the period's own days, bounded by `days` (see above)"
        )]
        let worked =
            u64::from(whole_weeks) * u64::from(per_week) + rest_days as u64 - holidays as u64;
        debug_assert!(worked <= u64::from(days));
        // bound: `worked <= days`, a u32.
        u32::try_from(worked).unwrap_or(days)
    }
}

impl Default for WorkCalendar {
    fn default() -> Self {
        WorkCalendar::monday_to_friday()
    }
}

impl fmt::Debug for WorkCalendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkCalendar")
            .field("weekdays", &self.weekdays().collect::<Vec<_>>())
            .field("holidays", &self.holidays)
            .finish()
    }
}

/// What proration counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ProrationBasis {
    /// Calendar days.
    #[default]
    CalendarDays,
    /// Working days of a [`WorkCalendar`].
    WorkingDays,
    /// Whole calendar months: a month counts only when the part covers all
    /// of it (someone who starts on 1 March has one of the quarter's three
    /// months; someone who starts on 2 March has none).
    WholeMonths,
}

impl fmt::Display for ProrationBasis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ProrationBasis::CalendarDays => "calendar days",
            ProrationBasis::WorkingDays => "working days",
            ProrationBasis::WholeMonths => "whole months",
        })
    }
}

/// The exact share of a period covered by a part of it: `covered / total`
/// units (days, working days or months).
///
/// The fraction is kept as two whole numbers, so the prorations of the parts
/// of a partition always add up to exactly one; [`apply`](Proration::apply)
/// multiplies before it divides.
///
/// In JSON a proration is `{"covered": .., "total": .., "basis": ..}`, with
/// `basis` one of `"calendar_days"` (the default when left out),
/// `"working_days"` or `"whole_months"`; it must cover 0 to `total` of a
/// positive `total` ([`CalendarError::ProrationOutOfRange`] otherwise).
/// Unknown fields are refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::calendar::{Proration, ProrationBasis};
/// use salesplan::{Currency, Money};
///
/// let p: Proration = serde_json::from_str(r#"{"covered": 1, "total": 3, "basis": "whole_months"}"#)?;
/// assert_eq!((p.covered(), p.total(), p.basis()), (1, 3, ProrationBasis::WholeMonths));
/// assert_eq!(p.apply(Money::parse("90000.00", Currency::USD)?)?.to_string(), "30000.00 USD");
/// let by_days: Proration = serde_json::from_str(r#"{"covered": 31, "total": 90}"#)?;
/// assert_eq!(by_days.basis(), ProrationBasis::CalendarDays);
/// // More than the whole is refused.
/// let err = serde_json::from_str::<Proration>(r#"{"covered": 4, "total": 3}"#).unwrap_err();
/// assert!(err.to_string().contains("4 of 3"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::{Currency, Money, Period};
/// use salesplan::calendar::{Proration, ProrationBasis, WorkCalendar};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let q1 = Period::new(d(1, 1), d(4, 1))?;
/// let from_march = Period::new(d(3, 1), d(4, 1))?;
/// let work = WorkCalendar::monday_to_friday();
///
/// let by_days = Proration::new(&q1, &from_march, ProrationBasis::CalendarDays, &work)?;
/// assert_eq!((by_days.covered(), by_days.total()), (31, 90));
/// let by_months = Proration::new(&q1, &from_march, ProrationBasis::WholeMonths, &work)?;
/// assert_eq!((by_months.covered(), by_months.total()), (1, 3));
///
/// let quota = Money::parse("90000.00", Currency::USD)?;
/// assert_eq!(by_months.apply(quota)?.to_string(), "30000.00 USD");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawProration"))]
pub struct Proration {
    covered: u32,
    total: u32,
    basis: ProrationBasis,
}

crate::validated::via_raw! {
    /// The unchecked form of a [`Proration`], for deserialization.
    RawProration => Proration, CalendarError {
        covered: u32,
        total: u32,
        #[serde(default)]
        basis: ProrationBasis,
    } => {
        if total == 0 || covered > total {
            return Err(CalendarError::ProrationOutOfRange {
                covered,
                total,
            });
        }
        Ok(Proration::from_units(covered, total, basis))
    }
}

impl Proration {
    /// The share of `whole` that `part` covers (only the days of `part`
    /// inside `whole` count), counted by `basis`. `work` is used only for
    /// [`ProrationBasis::WorkingDays`].
    ///
    /// # Errors
    ///
    /// [`CalendarError::NoWorkingDays`] when counting working days over a
    /// `whole` that has none; [`CalendarError::NotWholeMonths`] when counting
    /// months over a `whole` that does not start and end on the first of a
    /// month.
    pub fn new(
        whole: &Period,
        part: &Period,
        basis: ProrationBasis,
        work: &WorkCalendar,
    ) -> Result<Proration, CalendarError> {
        let inside = whole.intersection(part);
        let (covered, total) = match basis {
            ProrationBasis::CalendarDays => (inside.map_or(0, |p| p.days()), whole.days()),
            ProrationBasis::WorkingDays => {
                let total = work.working_days(whole);
                if total == 0 {
                    return Err(CalendarError::NoWorkingDays { period: *whole });
                }
                (inside.map_or(0, |p| work.working_days(&p)), total)
            }
            ProrationBasis::WholeMonths => {
                if whole.start().day() != 1 || whole.end().day() != 1 {
                    return Err(CalendarError::NotWholeMonths { period: *whole });
                }
                (
                    count(whole.months().filter(|m| part.encloses(m))),
                    count(whole.months()),
                )
            }
        };
        Ok(Proration {
            covered,
            total,
            basis,
        })
    }

    /// A proration from counted units (`total` must be positive).
    pub(crate) const fn from_units(covered: u32, total: u32, basis: ProrationBasis) -> Proration {
        Proration {
            covered,
            total,
            basis,
        }
    }

    /// Units of the whole that the part covers.
    pub const fn covered(&self) -> u32 {
        self.covered
    }

    /// Units in the whole (never zero).
    pub const fn total(&self) -> u32 {
        self.total
    }

    /// What was counted.
    pub const fn basis(&self) -> ProrationBasis {
        self.basis
    }

    /// Whether the part covers the whole.
    pub const fn is_full(&self) -> bool {
        self.covered == self.total
    }

    /// The fraction as a `Decimal`: exact when it terminates, otherwise
    /// correct to 28 decimal places. Prefer [`apply`](Proration::apply) for
    /// amounts.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::Period;
    /// use salesplan::calendar::{Proration, ProrationBasis, WorkCalendar};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let q1 = Period::new(d(1, 1), d(4, 1))?;
    /// let from_feb = Period::new(d(2, 1), d(4, 1))?;
    /// let work = WorkCalendar::monday_to_friday();
    /// let p = Proration::new(&q1, &from_feb, ProrationBasis::CalendarDays, &work)?;
    /// assert_eq!((p.covered(), p.total()), (59, 90));
    /// assert_eq!(p.fraction().to_string(), "0.6555555555555555555555555556");
    /// # Ok::<(), salesplan::CalendarError>(())
    /// ```
    pub fn fraction(&self) -> Decimal {
        Decimal::from(self.covered)
            .checked_div(Decimal::from(self.total))
            .unwrap_or(Decimal::ZERO)
    }

    /// `amount × covered / total`, multiplying first, unrounded.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`] when the product exceeds a `Decimal`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::calendar::{Proration, ProrationBasis, WorkCalendar};
    /// use salesplan::{Currency, Money, Period};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let q1 = Period::new(d(1, 1), d(4, 1))?;
    /// let from_feb = Period::new(d(2, 1), d(4, 1))?;
    /// let work = WorkCalendar::monday_to_friday();
    /// let p = Proration::new(&q1, &from_feb, ProrationBasis::CalendarDays, &work)?;
    /// // 90000 × 59 / 90, multiplied first: exactly 59000.
    /// let quota = Money::parse("90000.00", Currency::USD)?;
    /// assert_eq!(p.apply(quota)?.to_string(), "59000.00 USD");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&self, amount: Money) -> Result<Money, MoneyError> {
        if self.is_full() {
            return Ok(amount);
        }
        let scaled = money::mul(amount.amount(), Decimal::from(self.covered))?;
        let share = money::div(scaled, Decimal::from(self.total))?;
        Ok(Money::new(share, amount.currency()))
    }
}

/// How many items `items` yields, for the months of a period: at most
/// about 6.3 million (`chrono`'s range is ±262,143 years), far inside a
/// `u32`.
fn count<T>(items: impl Iterator<Item = T>) -> u32 {
    // bound: `zip` stops at the shorter side, and a period has fewer than
    // u32::MAX months, so the counter never runs out.
    items.zip(1..=u32::MAX).last().map_or(0, |(_, n)| n)
}

impl fmt::Display for Proration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{} {}", self.covered, self.total, self.basis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_days_match_a_day_by_day_count() {
        let cal = WorkCalendar::new([Weekday::Mon, Weekday::Wed, Weekday::Sat])
            .unwrap()
            .with_holidays([NaiveDate::from_ymd_opt(2025, 1, 8).unwrap()]);
        let start = NaiveDate::from_ymd_opt(2024, 12, 20).unwrap();
        for len in 1..60u64 {
            let end = start.checked_add_days(chrono::Days::new(len)).unwrap();
            let p = Period::new(start, end).unwrap();
            let naive = p.iter_days().filter(|d| cal.is_working_day(*d)).count();
            assert_eq!(cal.working_days(&p) as usize, naive, "{p}");
        }
    }
}
