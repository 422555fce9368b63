//! Calendars partition time exactly; proration of a partition sums to one.

use chrono::{Datelike, Month, NaiveDate, Weekday};
use proptest::prelude::*;
use salesplan::Period;
use salesplan::calendar::{
    FiscalCalendar, Proration, ProrationBasis, RetailPattern, RetailYearEnd, WorkCalendar,
    YearEndRule, YearNaming,
};

use crate::common::any_date;

const MONTHS: [Month; 12] = [
    Month::January,
    Month::February,
    Month::March,
    Month::April,
    Month::May,
    Month::June,
    Month::July,
    Month::August,
    Month::September,
    Month::October,
    Month::November,
    Month::December,
];
const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// Every month-based fiscal calendar and every retail calendar, with whether
/// it is a retail one.
fn any_fiscal_calendar() -> impl Strategy<Value = (FiscalCalendar, bool)> {
    let naming = prop_oneof![Just(YearNaming::ByStartYear), Just(YearNaming::ByEndYear)];
    let monthly = (proptest::sample::select(&MONTHS[..]), naming.clone())
        .prop_map(|(m, n)| (FiscalCalendar::starting(m, n), false));
    let retail = (
        prop_oneof![
            Just(RetailPattern::P445),
            Just(RetailPattern::P454),
            Just(RetailPattern::P544)
        ],
        proptest::sample::select(&WEEKDAYS[..]),
        proptest::sample::select(&MONTHS[..]),
        prop_oneof![
            Just(YearEndRule::LastInMonth),
            Just(YearEndRule::NearestMonthEnd)
        ],
        naming,
    )
        .prop_map(|(pattern, weekday, month, rule, naming)| {
            (
                FiscalCalendar::retail(
                    pattern,
                    RetailYearEnd {
                        weekday,
                        month,
                        rule,
                    },
                    naming,
                ),
                true,
            )
        });
    prop_oneof![monthly, retail]
}

/// Asserts that `parts` tile `whole`: contiguous, in order, no gap, no overlap.
fn assert_partition(whole: Period, parts: &[Period]) -> Result<(), TestCaseError> {
    prop_assert_eq!(parts.first().map(Period::start), Some(whole.start()));
    prop_assert_eq!(parts.last().map(Period::end), Some(whole.end()));
    for pair in parts.windows(2) {
        prop_assert_eq!(
            pair[0].end(),
            pair[1].start(),
            "gap or overlap at {:?}",
            pair
        );
    }
    Ok(())
}

proptest! {
    #[test]
    fn fiscal_quarters_months_and_weeks_partition_the_year(
        (cal, retail) in any_fiscal_calendar(), year in 1900i32..2200
    ) {
        let whole = cal.year(year)?;
        let quarters = cal.quarters(year)?;
        let months = cal.months(year)?;
        let weeks = cal.weeks(year)?;
        assert_partition(whole, &quarters)?;
        assert_partition(whole, &months)?;
        assert_partition(whole, &weeks)?;
        for (q, three) in quarters.iter().zip(months.chunks(3)) {
            assert_partition(*q, three)?;
        }
        // Consecutive years tile time too.
        prop_assert_eq!(whole.end(), cal.year(year + 1)?.start());
        prop_assert_eq!(cal.year_of(whole.start())?, year);
        prop_assert_eq!(cal.year_of(whole.last_day())?, year);
        if retail {
            prop_assert!(whole.days() == 364 || whole.days() == 371, "{} days", whole.days());
            prop_assert!(weeks.iter().all(|w| w.days() == 7));
            prop_assert_eq!(weeks.len() as u32 * 7, whole.days());
            let quarter_days: Vec<u32> = quarters.iter().map(Period::days).collect();
            let expected: &[u32] = if weeks.len() == 53 { &[91, 91, 91, 98] } else { &[91, 91, 91, 91] };
            prop_assert_eq!(&quarter_days[..], expected);
            prop_assert!(months.iter().all(|m| m.days() % 7 == 0 && (28..=42).contains(&m.days())));
        } else {
            prop_assert!(whole.days() == 365 || whole.days() == 366, "{} days", whole.days());
            prop_assert!(weeks.iter().all(|w| w.days() <= 7));
            // Every week but the first starts on a Monday.
            prop_assert!(weeks[1..].iter().all(|w| w.start().weekday() == Weekday::Mon));
        }
    }

    #[test]
    fn proration_of_a_partition_sums_to_exactly_one(
        start in any_date(),
        len in 1u32..800,
        cuts in proptest::collection::vec(0u32..800, 0..8),
        mask in 1u8..128,
        holidays in proptest::collection::vec(0u32..800, 0..20),
    ) {
        let end = start.checked_add_days(chrono::Days::new(len.into())).unwrap();
        let whole = Period::new(start, end)?;
        let mut bounds: Vec<NaiveDate> = cuts
            .iter()
            .filter(|c| **c > 0 && **c < len)
            .map(|c| start.checked_add_days(chrono::Days::new((*c).into())).unwrap())
            .collect();
        bounds.push(start);
        bounds.push(end);
        bounds.sort();
        bounds.dedup();
        let parts: Vec<Period> = bounds.windows(2).map(|w| Period::new(w[0], w[1]).unwrap()).collect();
        let weekdays = WEEKDAYS.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, d)| *d);
        let work = WorkCalendar::new(weekdays)?.with_holidays(
            holidays.iter().map(|h| start.checked_add_days(chrono::Days::new((*h).into())).unwrap()),
        );
        for basis in [ProrationBasis::CalendarDays, ProrationBasis::WorkingDays] {
            let Ok(first) = Proration::new(&whole, &parts[0], basis, &work) else {
                prop_assert_eq!(work.working_days(&whole), 0);
                continue;
            };
            let mut covered = 0u32;
            for part in &parts {
                let p = Proration::new(&whole, part, basis, &work)?;
                prop_assert_eq!(p.total(), first.total());
                covered += p.covered();
            }
            prop_assert_eq!(covered, first.total(), "{:?}", basis);
        }
    }

    #[test]
    fn whole_month_proration_of_a_month_aligned_partition_sums_to_one(
        year in 1900i32..2200, first in 1u32..=12, months in 1u32..30,
        cuts in proptest::collection::vec(1u32..30, 0..5),
    ) {
        let month = |offset: u32| {
            let m0 = first - 1 + offset;
            NaiveDate::from_ymd_opt(year + (m0 / 12) as i32, m0 % 12 + 1, 1).unwrap()
        };
        let whole = Period::new(month(0), month(months))?;
        let mut bounds: Vec<u32> = cuts.into_iter().filter(|c| *c < months).collect();
        bounds.extend([0, months]);
        bounds.sort();
        bounds.dedup();
        let work = WorkCalendar::monday_to_friday();
        let mut covered = 0;
        for w in bounds.windows(2) {
            let part = Period::new(month(w[0]), month(w[1]))?;
            let p = Proration::new(&whole, &part, ProrationBasis::WholeMonths, &work)?;
            prop_assert_eq!(p.total(), months);
            prop_assert_eq!(p.covered(), w[1] - w[0]);
            covered += p.covered();
        }
        prop_assert_eq!(covered, months);
    }

    #[test]
    fn working_days_add_up_over_a_split(start in any_date(), a in 1u32..400, b in 1u32..400, mask in 1u8..128) {
        let mid = start.checked_add_days(chrono::Days::new(a.into())).unwrap();
        let end = mid.checked_add_days(chrono::Days::new(b.into())).unwrap();
        let weekdays = WEEKDAYS.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, d)| *d);
        let work = WorkCalendar::new(weekdays)?;
        let whole = Period::new(start, end)?;
        let naive = whole.iter_days().filter(|d| work.is_working_day(*d)).count() as u32;
        prop_assert_eq!(work.working_days(&whole), naive);
        prop_assert_eq!(
            work.working_days(&Period::new(start, mid)?) + work.working_days(&Period::new(mid, end)?),
            naive
        );
    }
}
