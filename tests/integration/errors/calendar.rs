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

#[test]
fn leap_days_and_month_end_hires_prorate_exactly() {
    use salesplan::{Currency, Money, RoundingPolicy};
    let work = WorkCalendar::monday_to_friday();
    let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
    // 29 February exists in 2024 only; February's length follows.
    assert_eq!(Period::month(2024, 2).unwrap().days(), 29);
    assert_eq!(Period::month(2025, 2).unwrap().days(), 28);
    assert_eq!(Period::year(2024).unwrap().days(), 366);
    // (whole, part, basis, covered, total, share of 366,000.00 to the cent)
    let year24 = Period::year(2024).unwrap();
    let h1_24 = Period::new(date(2024, 1, 1), date(2024, 7, 1)).unwrap();
    let cases = [
        // The leap day alone: one day in 366.
        (
            year24,
            Period::day(date(2024, 2, 29)).unwrap(),
            ProrationBasis::CalendarDays,
            1,
            366,
            "1000.00",
        ),
        // Across the leap day, from 28 February to 1 March inclusive.
        (
            year24,
            Period::inclusive(date(2024, 2, 28), date(2024, 3, 1)).unwrap(),
            ProrationBasis::CalendarDays,
            3,
            366,
            "3000.00",
        ),
        // A hire on 31 January, a month end: one day of January counts by
        // days; by whole months only February to June.
        (
            h1_24,
            Period::new(date(2024, 1, 31), date(2024, 7, 1)).unwrap(),
            ProrationBasis::CalendarDays,
            152,
            182,
            "305670.33",
        ),
        (
            h1_24,
            Period::new(date(2024, 1, 31), date(2024, 7, 1)).unwrap(),
            ProrationBasis::WholeMonths,
            5,
            6,
            "305000.00",
        ),
        // A hire on 29 February (the last day of a leap February).
        (
            h1_24,
            Period::new(date(2024, 2, 29), date(2024, 7, 1)).unwrap(),
            ProrationBasis::WholeMonths,
            4,
            6,
            "244000.00",
        ),
    ];
    for (whole, part, basis, covered, total, share) in cases {
        let p = Proration::new(&whole, &part, basis, &work).unwrap();
        assert_eq!((p.covered(), p.total()), (covered, total), "{part} {basis}");
        let exact = p.apply(usd("366000.00")).unwrap();
        assert_eq!(
            exact.round(RoundingPolicy::HalfEven),
            usd(share),
            "{part} {basis}"
        );
    }
}

#[cfg(feature = "serde")]
#[test]
fn the_29th_of_february_of_a_common_year_is_rejected_when_read() {
    let leap: Period =
        serde_json::from_str(r#"{"start":"2024-02-29","end":"2024-03-01"}"#).unwrap();
    assert_eq!(leap.days(), 1);
    let err =
        serde_json::from_str::<Period>(r#"{"start":"2025-02-29","end":"2025-03-01"}"#).unwrap_err();
    assert!(err.to_string().contains("input is out of range"), "{err}");
    // An inverted period is rejected when read, too.
    let err =
        serde_json::from_str::<Period>(r#"{"start":"2025-03-01","end":"2025-02-01"}"#).unwrap_err();
    assert!(err.to_string().contains("2025-03-01"), "{err}");
}

/// Serializes `value`, adds a field it does not have at the top level, and
/// checks that reading it back is refused naming the field (and that the
/// value itself reads back unchanged).
#[cfg(feature = "serde")]
pub(crate) fn refuses_an_unknown_field<T>(value: &T)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let json = serde_json::to_value(value).unwrap();
    assert_eq!(&serde_json::from_value::<T>(json.clone()).unwrap(), value);
    let mut extra = json;
    extra
        .as_object_mut()
        .unwrap_or_else(|| panic!("{} is not an object", std::any::type_name::<T>()))
        .insert("surplus".into(), serde_json::json!(1));
    let err = serde_json::from_value::<T>(extra).unwrap_err();
    assert!(
        err.to_string().contains("unknown field `surplus`"),
        "{}: {err}",
        std::any::type_name::<T>()
    );
}

/// Issue #27, defect 2: every calendar type read from JSON refuses a field
/// it does not know, naming it, at the top and inside. Failed before: the
/// unknown field was dropped and the value read as if it were absent.
#[cfg(feature = "serde")]
#[test]
fn unknown_fields_are_refused_by_every_calendar_type() {
    use salesplan::calendar::{
        DateRange, FiscalCalendar, RetailPattern, RetailYearEnd, YearEndRule, YearNaming,
    };
    let work = WorkCalendar::monday_to_friday().with_holidays([date(2025, 12, 25)]);
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let year_end = RetailYearEnd {
        weekday: chrono::Weekday::Sat,
        month: chrono::Month::January,
        rule: YearEndRule::NearestMonthEnd,
    };
    refuses_an_unknown_field(&q1);
    refuses_an_unknown_field(&DateRange::new(date(2025, 1, 1), Some(date(2025, 7, 1))).unwrap());
    refuses_an_unknown_field(&DateRange::starting(date(2025, 1, 1)));
    refuses_an_unknown_field(&work);
    refuses_an_unknown_field(&year_end);
    refuses_an_unknown_field(&FiscalCalendar::gregorian());
    refuses_an_unknown_field(&FiscalCalendar::retail(
        RetailPattern::P445,
        year_end,
        YearNaming::ByStartYear,
    ));
    refuses_an_unknown_field(
        &Proration::new(
            &q1,
            &Period::month(2025, 3).unwrap(),
            ProrationBasis::WorkingDays,
            &work,
        )
        .unwrap(),
    );
    // Inside a fiscal calendar's kind, too.
    for json in [
        r#"{"kind": {"monthly": {"start": "April", "surplus": 1}}, "naming": "by_start_year"}"#,
        r#"{"kind": {"retail": {"pattern": "p445", "surplus": 1, "year_end":
            {"weekday": "Sat", "month": "January", "rule": "nearest_month_end"}}}, "naming": "by_start_year"}"#,
        r#"{"kind": {"retail": {"pattern": "p445", "year_end":
            {"weekday": "Sat", "month": "January", "rule": "nearest_month_end", "surplus": 1}}},
            "naming": "by_start_year"}"#,
    ] {
        let err = serde_json::from_str::<FiscalCalendar>(json).unwrap_err();
        assert!(err.to_string().contains("unknown field `surplus`"), "{err}");
    }
}

/// Issue #27 (one shape for half-open ranges): a `DateRange` reads and
/// writes `{"start", "end"}` like a `Period`, `end` optional. Failed
/// before: it was `{"from", "until"}`.
#[cfg(feature = "serde")]
#[test]
fn a_date_range_is_start_and_end_like_a_period() {
    use salesplan::calendar::DateRange;
    let h1 = DateRange::new(date(2025, 1, 1), Some(date(2025, 7, 1))).unwrap();
    assert_eq!(
        serde_json::to_string(&h1).unwrap(),
        r#"{"start":"2025-01-01","end":"2025-07-01"}"#
    );
    let open = DateRange::starting(date(2025, 7, 1));
    assert_eq!(
        serde_json::to_string(&open).unwrap(),
        r#"{"start":"2025-07-01","end":null}"#
    );
    for (json, want) in [
        (r#"{"start":"2025-01-01","end":"2025-07-01"}"#, h1),
        (r#"{"start":"2025-07-01","end":null}"#, open),
        (r#"{"start":"2025-07-01"}"#, open),
    ] {
        assert_eq!(
            serde_json::from_str::<DateRange>(json).unwrap(),
            want,
            "{json}"
        );
    }
    // The old names are refused by name; an empty range by its dates.
    let err =
        serde_json::from_str::<DateRange>(r#"{"from":"2025-01-01","until":null}"#).unwrap_err();
    assert!(err.to_string().contains("unknown field `from`"), "{err}");
    let err = serde_json::from_str::<DateRange>(r#"{"start":"2025-07-01","end":"2025-01-01"}"#)
        .unwrap_err();
    assert!(
        err.to_string().contains("[2025-07-01, 2025-01-01)"),
        "{err}"
    );
}

/// Optional fields of calendar types default as their constructors do:
/// a work calendar without holidays, a proration by calendar days.
#[cfg(feature = "serde")]
#[test]
fn optional_calendar_fields_default_like_the_constructors() {
    let cal: WorkCalendar = serde_json::from_str(r#"{"weekdays": ["Mon", "Wed"]}"#).unwrap();
    assert_eq!(
        cal,
        WorkCalendar::new([chrono::Weekday::Mon, chrono::Weekday::Wed]).unwrap()
    );
    let p: Proration = serde_json::from_str(r#"{"covered": 31, "total": 90}"#).unwrap();
    assert_eq!(
        (p.covered(), p.total(), p.basis()),
        (31, 90, ProrationBasis::CalendarDays)
    );
    // The required ones are named when missing.
    let err = serde_json::from_str::<WorkCalendar>(r#"{"holidays": []}"#).unwrap_err();
    assert!(
        err.to_string().contains("missing field `weekdays`"),
        "{err}"
    );
}

/// `CalendarError::ProrationOutOfRange`: a proration read from data that
/// covers more than its whole, or a whole of nothing, names both counts.
#[test]
fn a_proration_covering_more_than_its_whole_is_out_of_range() {
    let e = CalendarError::ProrationOutOfRange {
        covered: 4,
        total: 3,
    };
    assert_eq!(
        CalendarError::try_from(salesplan::Error::from(e.clone())).unwrap(),
        e
    );
    #[cfg(feature = "serde")]
    for (json, named) in [
        (r#"{"covered": 4, "total": 3}"#, "not 4 of 3"),
        (
            r#"{"covered": 0, "total": 0, "basis": "whole_months"}"#,
            "not 0 of 0",
        ),
    ] {
        let err = serde_json::from_str::<Proration>(json).unwrap_err();
        assert!(err.to_string().contains(named), "{err}");
    }
    assert_eq!(
        e.to_string(),
        "a proration covers 0 to 3 units of a positive total, not 4 of 3"
    );
}
