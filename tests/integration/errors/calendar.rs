//! Periods, calendars and proration: every bad input and its error.

use chrono::{Datelike, NaiveDate};
use salesplan::calendar::{Proration, ProrationBasis, WorkCalendar};
use salesplan::{CalendarError, Period};

use crate::common::date;

#[test]
fn a_period_must_end_after_it_starts() {
    for (start, end) in [
        (date(2025, 4, 1), date(2025, 1, 1)),
        (date(2025, 1, 1), date(2025, 1, 1)),
    ] {
        assert_eq!(
            Period::new(start, end),
            Err(CalendarError::EmptyPeriod { start, end })
        );
    }
    assert_eq!(
        Period::inclusive(date(2025, 1, 2), date(2025, 1, 1)),
        Err(CalendarError::EmptyPeriod {
            start: date(2025, 1, 2),
            end: date(2025, 1, 1)
        })
    );
}

#[test]
fn dates_that_do_not_exist() {
    assert_eq!(
        Period::month(2025, 13),
        Err(CalendarError::InvalidDate {
            year: 2025,
            month: 13,
            day: 1
        })
    );
    assert_eq!(
        Period::iso_week(2025, 53),
        Err(CalendarError::InvalidIsoWeek {
            year: 2025,
            week: 53
        })
    );
    assert!(Period::iso_week(2026, 53).is_ok());
    assert!(NaiveDate::from_ymd_opt(2025, 2, 29).is_none());
}

#[test]
fn dates_at_the_limits_of_chrono_are_errors_not_panics() {
    assert_eq!(
        Period::day(NaiveDate::MAX),
        Err(CalendarError::DateOutOfRange {
            what: "adding days",
            from: NaiveDate::MAX
        })
    );
    assert!(Period::day(NaiveDate::MIN).is_ok());
    assert!(matches!(
        Period::year(NaiveDate::MAX.year()),
        Err(CalendarError::YearOutOfRange { .. })
    ));
    let fy = salesplan::calendar::FiscalCalendar::gregorian();
    assert!(fy.year_of(NaiveDate::MAX).is_err());
    assert!(fy.year(i32::MAX).is_err());
    assert!(fy.year(i32::MIN).is_err());
    assert!(fy.weeks(i32::MAX).is_err());
}

#[test]
fn a_work_week_needs_a_working_day() {
    assert_eq!(WorkCalendar::new([]), Err(CalendarError::NoWorkingWeekdays));
}

#[test]
fn proration_over_a_period_without_units_is_an_error() {
    let weekend = Period::new(date(2025, 1, 4), date(2025, 1, 6)).unwrap();
    let work = WorkCalendar::monday_to_friday();
    assert_eq!(
        Proration::new(&weekend, &weekend, ProrationBasis::WorkingDays, &work),
        Err(CalendarError::NoWorkingDays { period: weekend })
    );
    let mid_month = Period::new(date(2025, 1, 15), date(2025, 4, 15)).unwrap();
    assert_eq!(
        Proration::new(&mid_month, &mid_month, ProrationBasis::WholeMonths, &work),
        Err(CalendarError::NotWholeMonths { period: mid_month })
    );
}
