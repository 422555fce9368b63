//! Team progress by person: measuring a holder on their own figures never
//! changes the team's figures or anyone else's row; what a person is
//! expected to have done by a date never exceeds their quota, grows with
//! the date and reaches the quota on the period's last day; a status is
//! the worse band of pace and activity, and says which one decided;
//! percentages show exactly two decimals.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::activity::Ratio;
use salesplan::calendar::{DateRange, FiscalCalendar, WorkCalendar};
use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
use salesplan::perf::{
    PaceCurve, ProgressOptions, StatusBands, StatusDriver, TeamProgress, TeamReport, period_targets,
};
use salesplan::quota::{Measures, PersonQuotaOptions, QuotaPlan, Ramp};
use salesplan::rollup::{SumOptions, sum_credits};
use salesplan::{Currency, Money, Percent, Period};

use crate::common::date;
use crate::support::credit::usd;
use crate::support::{always, person, pos};

fn q1() -> Period {
    Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap()
}

fn day(offset: u32) -> NaiveDate {
    date(2025, 1, 1) + Days::new(u64::from(offset))
}

/// The lead's report as of `as_of`, with `priya` (hired on `hired`, on
/// `ramp`) measured as a person when `measure` says so.
fn report(
    hired: NaiveDate,
    as_of: NaiveDate,
    ramp: &Ramp,
    own: Money,
    measure: bool,
) -> TeamReport {
    let org = Org::builder()
        .position(Position::new(pos("lead"), Role::TeamLead))
        .positions(["r1", "r2"].map(|p| Position::new(pos(p), Role::SalesRep)))
        .line(ReportingLine::top(pos("lead"), always()))
        .line(ReportingLine::new(pos("r1"), pos("lead"), always()))
        .line(ReportingLine::new(pos("r2"), pos("lead"), always()))
        .assignment(Assignment::new(person("ana"), pos("r1"), always()))
        .assignment(Assignment::new(
            person("priya"),
            pos("r2"),
            DateRange::starting(hired),
        ))
        .build()
        .unwrap();
    let snapshot = org.as_of(as_of).unwrap();
    let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("1234567.89"));
    let quotas = plan.cascade(&snapshot, &Measures::new()).unwrap();
    let targets = period_targets(&quotas, &q1()).unwrap();
    let credits = [
        (pos("r2"), date(2025, 1, 2), usd("7777.77")),
        (pos("r2"), as_of, own),
        (pos("r1"), date(2025, 1, 2), usd("31415.92")),
    ];
    let actual = sum_credits(
        &snapshot,
        &credits,
        SumOptions::new(Currency::USD).period(q1()),
    )
    .unwrap();
    let curve = PaceCurve::working_days(q1(), WorkCalendar::monday_to_friday());
    let mut progress =
        TeamProgress::new(&targets, &actual, ProgressOptions::new(as_of, curve)).unwrap();
    if measure {
        let options = PersonQuotaOptions::new().ramp(ramp.clone(), hired);
        let quota = quotas
            .person_quota(&person("priya"), &q1(), &options)
            .unwrap();
        progress = progress.measure_person(&quota, own).unwrap();
    }
    progress
        .report(snapshot.node(&pos("lead")).unwrap().index())
        .unwrap()
}

fn ramp() -> impl Strategy<Value = Ramp> {
    proptest::collection::vec(0u32..=100, 0..4).prop_map(|steps| {
        Ramp::new(
            steps
                .into_iter()
                .map(|p| Percent::from_points(Decimal::from(p)).unwrap()),
        )
    })
}

fn two_decimals(text: &str) -> bool {
    text == "n/a"
        || text.strip_suffix('%').is_some_and(|n| {
            n.split_once('.')
                .is_some_and(|(_, f)| f.len() == 2 && f.bytes().all(|b| b.is_ascii_digit()))
        })
}

proptest! {
    #[test]
    fn measuring_a_person_changes_their_row_only_and_expects_at_most_their_quota(
        hire in 0u32..89,
        later in 0u32..89,
        cents in 0i64..5_000_000,
        ramp in ramp(),
    ) {
        let hired = day(hire);
        let as_of = day(hire.max(later));
        let own = Money::from_minor(i128::from(cents), Currency::USD).unwrap();
        let seat = report(hired, as_of, &ramp, own, false);
        let by_person = report(hired, as_of, &ramp, own, true);
        // The team's figures, and Ana's row, are the same either way.
        prop_assert_eq!(
            (&seat.target, &seat.actual, &seat.attainment, &seat.pace, seat.status, &seat.projection),
            (&by_person.target, &by_person.actual, &by_person.attainment, &by_person.pace, by_person.status, &by_person.projection)
        );
        let row = |r: &TeamReport, p: &str| r.members.iter().find(|m| m.position.as_str() == p).unwrap().clone();
        let (ana_seat, ana) = (row(&seat, "r1"), row(&by_person, "r1"));
        prop_assert_eq!((&ana_seat.attainment, &ana_seat.pace, ana_seat.status), (&ana.attainment, &ana.pace, ana.status));
        prop_assert_eq!(ana.measured_from, None);
        let priya = row(&by_person, "r2");
        prop_assert_eq!(priya.actual, own);
        prop_assert_eq!(priya.seat_actual, Some(row(&seat, "r2").actual));
        prop_assert_eq!(priya.measured_from, Some(hired));
        // Expected never exceeds the quota: pace is at least attainment.
        if let (Some(p), Some(a)) = (priya.pace.value(), priya.attainment.value()) {
            prop_assert!(p >= a, "pace {} below attainment {}", p, a);
        }
        // Every percentage shows two decimals.
        for line in by_person.to_string().lines().filter(|l| l.contains("attainment")) {
            let words: Vec<&str> = line.split_whitespace().collect();
            for key in ["attainment", "pace", "share"] {
                if let Some(i) = words.iter().position(|w| *w == key) {
                    prop_assert!(two_decimals(words[i + 1]), "{}", line);
                }
            }
        }
    }

    #[test]
    fn what_a_person_is_expected_grows_with_the_date_and_is_the_quota_at_the_end(
        hire in 0u32..80,
        a in 0u32..89,
        b in 0u32..89,
        cents in 1i64..5_000_000,
        ramp in ramp(),
    ) {
        let hired = day(hire);
        let (early, late) = (day(hire.max(a.min(b))), day(hire.max(a.max(b))));
        let own = Money::from_minor(i128::from(cents), Currency::USD).unwrap();
        let pace = |as_of| {
            let r = report(hired, as_of, &ramp, own, true);
            r.members.iter().find(|m| m.position.as_str() == "r2").unwrap().clone()
        };
        let (first, second) = (pace(early), pace(late));
        // Same credit, more expected later: pace never rises.
        if let (Some(p1), Some(p2)) = (first.pace.value(), second.pace.value()) {
            prop_assert!(p2 <= p1, "{} then {}", p1, p2);
        }
        if first.pace.value().is_some() {
            prop_assert!(second.pace.value().is_some());
        }
        // On the last day everything is expected: pace is attainment.
        let end = pace(date(2025, 3, 31));
        prop_assert_eq!(end.pace, end.attainment);
    }

    #[test]
    fn a_status_is_the_worse_band_and_names_its_driver(
        pace in proptest::option::of(0i64..300),
        activity in proptest::option::of(0i64..300),
    ) {
        let ratio = |v: Option<i64>| match v {
            Some(p) => Ratio::Value(Decimal::new(p, 2)),
            None => Ratio::ZeroDenominator { numerator: Decimal::ZERO },
        };
        let bands = StatusBands::default();
        let pace = ratio(pace);
        let activity = activity.map(|a| ratio(Some(a)));
        let (status, driver) = bands.status_and_driver(&pace, activity.as_ref());
        prop_assert_eq!(status, bands.status(&pace, activity.as_ref()));
        let revenue = bands.band(&pace);
        let worse_activity = activity.as_ref().map(|a| bands.band(a)).filter(|b| *b < revenue);
        match driver {
            StatusDriver::Activity => prop_assert_eq!(Some(status), worse_activity),
            StatusDriver::Pace => {
                prop_assert_eq!(status, revenue);
                prop_assert!(worse_activity.is_none() && pace.value().is_some());
            }
            StatusDriver::NothingExpectedYet => {
                prop_assert!(worse_activity.is_none() && pace.value().is_none());
            }
            _ => prop_assert!(false, "unknown driver"),
        }
    }
}

proptest! {
    /// Targets in a reporting currency: each seat's target converted once
    /// at the stated date's rate, within half a minor unit of the exact
    /// product (half-even), in the reporting currency, sign kept.
    #[test]
    fn targets_convert_once_per_seat_at_the_stated_rate(
        cents in proptest::collection::vec(0i64..10_000_000_000, 10),
        rate in 5_000i64..20_000,
    ) {
        use salesplan::money::{RateTable, RoundingPolicy};
        use salesplan::perf::targets_in;
        use salesplan::rollup::NodeValues;
        let org = crate::support::credit::region();
        let snapshot = org.as_of(date(2025, 3, 1)).unwrap();
        let mut given = cents.iter().cycle();
        let usd = NodeValues::from_fn(&snapshot, |_| {
            Money::from_minor(i128::from(*given.next().unwrap()), Currency::USD).unwrap()
        });
        let rate = Decimal::new(rate, 4);
        let rates = RateTable::new().with(Currency::USD, Currency::EUR, date(2025, 1, 1), rate).unwrap();
        let eur = targets_in(&usd, Currency::EUR, &rates, date(2025, 2, 1), RoundingPolicy::HalfEven).unwrap();
        for node in snapshot.nodes() {
            let (from, to) = (usd.get(node.index()).unwrap(), eur.get(node.index()).unwrap());
            prop_assert_eq!(to.currency(), Currency::EUR);
            let exact = from.amount() * rate;
            prop_assert!((to.amount() - exact).abs() <= Decimal::new(5, 3), "{} -> {}", from, to);
            prop_assert!(to.is_rounded());
        }
    }
}
