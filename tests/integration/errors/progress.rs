//! Team progress by person and in a reporting currency: each bad input
//! names the person or position and the values involved.

use rust_decimal::Decimal;
use salesplan::calendar::{DateRange, FiscalCalendar, WorkCalendar};
use salesplan::money::{RateTable, RoundingPolicy};
use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
use salesplan::perf::{
    PaceCurve, PerfError, ProgressOptions, TeamProgress, period_targets, targets_in,
};
use salesplan::quota::{Measures, PersonQuotaOptions, QuotaPlan};
use salesplan::rollup::{SumOptions, sum_credits};
use salesplan::{Currency, Error, Money, Period};

use crate::common::date;
use crate::support::credit::usd;
use crate::support::{always, person, pos};

fn org() -> Org {
    Org::builder()
        .position(Position::new(pos("lead"), Role::TeamLead))
        .position(Position::new(pos("r1"), Role::SalesRep))
        .line(ReportingLine::top(pos("lead"), always()))
        .line(ReportingLine::new(pos("r1"), pos("lead"), always()))
        .assignment(Assignment::new(person("lea"), pos("lead"), always()))
        .assignment(Assignment::new(person("ana"), pos("r1"), always()))
        // Gone before the report's date.
        .assignment(Assignment::new(
            person("old"),
            pos("r1"),
            DateRange::new(date(2024, 1, 1), Some(date(2025, 1, 1))).unwrap(),
        ))
        .build()
        .unwrap()
}

fn q1() -> Period {
    Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap()
}

/// Measures `who`'s quota for `period` with `actual`, as of 14 March.
fn measure(who: &str, period: Period, actual: Money) -> PerfError {
    let org = org();
    let snapshot = org.as_of(date(2025, 3, 14)).unwrap();
    let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("1200000.00"));
    let quotas = plan.cascade(&snapshot, &Measures::new()).unwrap();
    let targets = period_targets(&quotas, &q1()).unwrap();
    let actual_rollup = sum_credits(
        &snapshot,
        &[] as &[(salesplan::PositionId, chrono::NaiveDate, Money)],
        SumOptions::new(Currency::USD),
    )
    .unwrap();
    let curve = PaceCurve::working_days(q1(), WorkCalendar::monday_to_friday());
    let progress = TeamProgress::new(
        &targets,
        &actual_rollup,
        ProgressOptions::new(date(2025, 3, 14), curve),
    )
    .unwrap();
    let quota = quotas
        .person_quota(&person(who), &period, &PersonQuotaOptions::new())
        .unwrap();
    let err = progress.measure_person(&quota, actual).unwrap_err();
    assert_eq!(PerfError::try_from(Error::from(err.clone())).unwrap(), err);
    err
}

#[test]
fn a_person_without_a_seat_on_the_date_is_named() {
    assert_eq!(
        measure("old", q1(), usd("0.00")),
        PerfError::NotSeated {
            person: person("old"),
            as_of: date(2025, 3, 14)
        }
    );
}

#[test]
fn a_team_lead_is_measured_as_a_team() {
    assert_eq!(
        measure("lea", q1(), usd("0.00")),
        PerfError::LeadsTeam {
            person: person("lea"),
            position: pos("lead")
        }
    );
}

#[test]
fn a_quota_of_another_period_is_refused() {
    let february = Period::month(2025, 2).unwrap();
    assert_eq!(
        measure("ana", february, usd("0.00")),
        PerfError::QuotaPeriod {
            person: person("ana"),
            quota: february,
            progress: q1()
        }
    );
}

#[test]
fn a_credit_in_another_currency_is_refused() {
    let err = measure("ana", q1(), Money::parse("10.00", Currency::EUR).unwrap());
    assert_eq!(
        err,
        PerfError::PersonCurrency {
            person: person("ana"),
            expected: Currency::USD,
            found: Currency::EUR
        }
    );
    assert_eq!(
        err.to_string(),
        "ana's figures are in EUR, the progress report is in USD"
    );
}

#[test]
fn a_target_without_a_rate_into_the_reporting_currency_names_its_position() {
    let org = org();
    let snapshot = org.as_of(date(2025, 3, 14)).unwrap();
    let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("1200000.00"));
    let quotas = plan.cascade(&snapshot, &Measures::new()).unwrap();
    let targets = period_targets(&quotas, &q1()).unwrap();
    let rates = RateTable::new()
        .with(
            Currency::USD,
            Currency::EUR,
            date(2025, 2, 1),
            Decimal::new(92, 2),
        )
        .unwrap();
    let err = targets_in(
        &targets,
        Currency::EUR,
        &rates,
        date(2025, 1, 1),
        RoundingPolicy::HalfEven,
    )
    .unwrap_err();
    assert_eq!(
        err,
        PerfError::NoFxRate {
            position: pos("lead"),
            from: Currency::USD,
            to: Currency::EUR,
            date: date(2025, 1, 1)
        }
    );
    assert_eq!(
        err.to_string(),
        "lead: no USD->EUR rate effective on 2025-01-01"
    );
    // From February the rate is there.
    let eur = targets_in(
        &targets,
        Currency::EUR,
        &rates,
        date(2025, 2, 1),
        RoundingPolicy::HalfEven,
    )
    .unwrap();
    assert_eq!(
        eur.get(snapshot.root().index()).unwrap().to_string(),
        "276000.00 EUR"
    );
}
