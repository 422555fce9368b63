//! Worked calendar examples: fiscal layouts, working days, proration.

use chrono::{Month, Weekday};
use salesplan::calendar::{
    DateRange, FiscalCalendar, Proration, ProrationBasis, RetailPattern, RetailYearEnd,
    WorkCalendar, YearEndRule, YearNaming,
};
use salesplan::{Currency, Money, Period, RoundingPolicy};

use crate::common::date;

#[test]
fn fiscal_years_by_start_month_and_naming() {
    // (start month, naming, fiscal year, expected [start, end))
    let table = [
        (
            Month::January,
            YearNaming::ByStartYear,
            2025,
            (date(2025, 1, 1), date(2026, 1, 1)),
        ),
        (
            Month::January,
            YearNaming::ByEndYear,
            2025,
            (date(2025, 1, 1), date(2026, 1, 1)),
        ),
        (
            Month::April,
            YearNaming::ByStartYear,
            2025,
            (date(2025, 4, 1), date(2026, 4, 1)),
        ),
        (
            Month::October,
            YearNaming::ByEndYear,
            2025,
            (date(2024, 10, 1), date(2025, 10, 1)),
        ),
        (
            Month::July,
            YearNaming::ByEndYear,
            2025,
            (date(2024, 7, 1), date(2025, 7, 1)),
        ),
        (
            Month::February,
            YearNaming::ByEndYear,
            2026,
            (date(2025, 2, 1), date(2026, 2, 1)),
        ),
    ];
    for (start, naming, fy, (from, to)) in table {
        let cal = FiscalCalendar::starting(start, naming);
        assert_eq!(
            cal.year(fy).unwrap(),
            Period::new(from, to).unwrap(),
            "{start:?} {naming:?} {fy}"
        );
    }
}

#[test]
fn retail_calendars_from_published_years() {
    let sat_nearest_jan = RetailYearEnd {
        weekday: Weekday::Sat,
        month: Month::January,
        rule: YearEndRule::NearestMonthEnd,
    };
    let nrf = FiscalCalendar::retail(
        RetailPattern::P454,
        sat_nearest_jan,
        YearNaming::ByStartYear,
    );
    // NRF 4-5-4: fiscal 2023 had 53 weeks, ending 3 February 2024.
    let y2023 = nrf.year(2023).unwrap();
    assert_eq!(
        (y2023.start(), y2023.last_day()),
        (date(2023, 1, 29), date(2024, 2, 3))
    );
    let months = nrf.months(2023).unwrap();
    let weeks: Vec<u32> = months.iter().map(|m| m.days() / 7).collect();
    assert_eq!(weeks, [4, 5, 4, 4, 5, 4, 4, 5, 4, 4, 5, 5]);

    let last_sat_dec = RetailYearEnd {
        weekday: Weekday::Sat,
        month: Month::December,
        rule: YearEndRule::LastInMonth,
    };
    let cal = FiscalCalendar::retail(RetailPattern::P445, last_sat_dec, YearNaming::ByEndYear);
    let y = cal.year(2025).unwrap();
    assert_eq!(
        (y.start(), y.last_day()),
        (date(2024, 12, 29), date(2025, 12, 27))
    );
    let q = cal.quarters(2025).unwrap();
    assert!(q.iter().all(|q| q.days() == 91));
    let weeks: Vec<u32> = cal
        .months(2025)
        .unwrap()
        .iter()
        .map(|m| m.days() / 7)
        .collect();
    assert_eq!(weeks, [4, 4, 5, 4, 4, 5, 4, 4, 5, 4, 4, 5]);
}

#[test]
fn month_based_weeks_are_clipped_iso_weeks() {
    let cal = FiscalCalendar::gregorian();
    let weeks = cal.weeks(2025).unwrap();
    // 2025 starts on a Wednesday and ends on a Wednesday.
    assert_eq!(
        weeks.first().unwrap(),
        &Period::new(date(2025, 1, 1), date(2025, 1, 6)).unwrap()
    );
    assert_eq!(
        weeks.last().unwrap(),
        &Period::new(date(2025, 12, 29), date(2026, 1, 1)).unwrap()
    );
    assert_eq!(weeks.len(), 53);
    assert_eq!(weeks[1], Period::iso_week(2025, 2).unwrap());
}

#[test]
fn proration_table() {
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let leap_q1 = Period::new(date(2024, 1, 1), date(2024, 4, 1)).unwrap();
    let work = WorkCalendar::monday_to_friday().with_holidays([date(2025, 1, 1)]);
    // (whole, part, basis, covered, total)
    let table = [
        (
            q1,
            (date(2025, 3, 1), date(2025, 4, 1)),
            ProrationBasis::WholeMonths,
            1,
            3,
        ),
        (
            q1,
            (date(2025, 3, 2), date(2025, 4, 1)),
            ProrationBasis::WholeMonths,
            0,
            3,
        ),
        (
            q1,
            (date(2025, 1, 1), date(2025, 3, 31)),
            ProrationBasis::WholeMonths,
            2,
            3,
        ),
        (
            q1,
            (date(2025, 3, 1), date(2025, 4, 1)),
            ProrationBasis::CalendarDays,
            31,
            90,
        ),
        (
            q1,
            (date(2024, 12, 1), date(2025, 1, 11)),
            ProrationBasis::CalendarDays,
            10,
            90,
        ),
        // A hire on 31 January (a month end) covers that one day of January.
        (
            q1,
            (date(2025, 1, 31), date(2025, 2, 1)),
            ProrationBasis::CalendarDays,
            1,
            90,
        ),
        // Across a leap day: February 2024 has 29 days.
        (
            leap_q1,
            (date(2024, 2, 1), date(2024, 3, 1)),
            ProrationBasis::CalendarDays,
            29,
            91,
        ),
        // 64 weekdays in Q1 2025, less New Year's Day.
        (
            q1,
            (date(2025, 1, 1), date(2025, 1, 8)),
            ProrationBasis::WorkingDays,
            4,
            63,
        ),
        (
            q1,
            (date(2025, 6, 1), date(2025, 7, 1)),
            ProrationBasis::WorkingDays,
            0,
            63,
        ),
    ];
    for (whole, (from, to), basis, covered, total) in table {
        let part = Period::new(from, to).unwrap();
        let p = Proration::new(&whole, &part, basis, &work).unwrap();
        assert_eq!(
            (p.covered(), p.total()),
            (covered, total),
            "{whole} {part} {basis}"
        );
    }
}

#[test]
fn proration_applies_exactly_and_rounds_only_when_asked() {
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let work = WorkCalendar::monday_to_friday();
    let target = Money::parse("100000.00", Currency::USD).unwrap();
    let thirds: Vec<Money> = q1
        .months()
        .map(|m| {
            Proration::new(&q1, &m, ProrationBasis::WholeMonths, &work)
                .unwrap()
                .apply(target)
                .unwrap()
        })
        .collect();
    // Each third keeps full precision; their exact sum is within 28 places of the target.
    let sum = Money::checked_sum(Currency::USD, thirds.iter().copied()).unwrap();
    assert_eq!(sum.round(RoundingPolicy::HalfEven), target);
    assert_eq!(
        thirds[0].round(RoundingPolicy::HalfEven).to_string(),
        "33333.33 USD"
    );
}

#[test]
fn date_ranges_overlap_when_they_share_a_day() {
    let r = |from: (u32, u32), until: Option<(u32, u32)>| {
        DateRange::new(
            date(2025, from.0, from.1),
            until.map(|(m, d)| date(2025, m, d)),
        )
        .unwrap()
    };
    // (a, b, first common day): overlap is symmetric; `until` is exclusive.
    let table = [
        (r((1, 5), None), r((1, 1), Some((2, 1))), Some((1, 5))),
        (r((1, 1), Some((2, 1))), r((2, 1), None), None),
        (
            r((1, 1), Some((2, 1))),
            r((1, 31), Some((3, 1))),
            Some((1, 31)),
        ),
        (r((1, 1), None), r((6, 1), None), Some((6, 1))),
        (r((3, 1), Some((4, 1))), r((1, 1), Some((2, 1))), None),
        (
            r((1, 10), Some((1, 20))),
            r((1, 1), Some((3, 1))),
            Some((1, 10)),
        ),
    ];
    for (a, b, first) in table {
        let first = first.map(|(m, d)| date(2025, m, d));
        assert_eq!(a.overlaps(&b), first.is_some(), "{a:?} {b:?}");
        assert_eq!(b.overlaps(&a), first.is_some(), "{b:?} {a:?}");
        assert_eq!(a.first_common_day(&b), first, "{a:?} {b:?}");
    }
}

#[test]
fn holidays_added_one_by_one_count_like_those_given_at_once() {
    let week = Period::new(date(2025, 4, 14), date(2025, 4, 21)).unwrap();
    let mut work = WorkCalendar::monday_to_friday();
    assert_eq!(work.working_days(&week), 5);
    work.add_holiday(date(2025, 4, 18));
    assert!(!work.is_working_day(date(2025, 4, 18)));
    assert_eq!(work.working_days(&week), 4);
    let at_once = WorkCalendar::monday_to_friday().with_holidays([date(2025, 4, 18)]);
    assert_eq!(work, at_once);
}
