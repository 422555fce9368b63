//! Worked examples: team progress by person, not seat.
//!
//! A team lead over two seats, a 1,200,000 year split evenly (the
//! gregorian year, equal months): each seat carries 50,000 a month,
//! 150,000 in Q1. `r1` is Ana's all quarter; `r2` was vacant until a hire
//! on the date each row names, on a 0/25/50/75% ramp. Before the hire, the
//! seat booked 20,000 on 10 January (a deal the team keeps, not the hire's).

use chrono::NaiveDate;
use salesplan::calendar::{DateRange, FiscalCalendar, WorkCalendar};
use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
use salesplan::perf::{
    KindTotals, PaceCurve, ProgressOptions, Status, StatusDriver, TeamProgress, period_targets,
};
use salesplan::quota::{Measures, PersonQuotaOptions, QuotaPlan, Ramp};
use salesplan::rollup::{NodeValues, SumOptions, sum_credits};
use salesplan::{Currency, Money, Period, PositionId};

use crate::common::date;
use crate::support::credit::usd;
use crate::support::{always, person, pos};

fn org(hired: NaiveDate) -> Org {
    Org::builder()
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
        .unwrap()
}

fn ramp() -> Ramp {
    Ramp::new(["0%", "25%", "50%", "75%"].map(|p| p.parse().unwrap()))
}

struct Case {
    hired: NaiveDate,
    as_of: NaiveDate,
    /// Priya's own credit (she booked it after her hire).
    own: &'static str,
    /// Activity (done, target) for Priya, if any.
    activity: Option<(u64, u64)>,
    /// Her quota, pace and attainment shown, status and its driver.
    quota: &'static str,
    pace: &'static str,
    attainment: &'static str,
    status: Status,
    driver: StatusDriver,
}

fn report(case: &Case) -> salesplan::perf::TeamReport {
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let org = org(case.hired);
    let snapshot = org.as_of(case.as_of).unwrap();
    let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("1200000.00"));
    let quotas = plan.cascade(&snapshot, &Measures::new()).unwrap();
    let targets = period_targets(&quotas, &q1).unwrap();
    let credits = [
        (pos("r2"), date(2025, 1, 10), usd("20000.00")),
        (pos("r2"), case.as_of, usd(case.own)),
        (pos("r1"), date(2025, 2, 1), usd("60000.00")),
    ];
    let actual = sum_credits(
        &snapshot,
        &credits,
        SumOptions::new(Currency::USD).period(q1),
    )
    .unwrap();
    let work = WorkCalendar::monday_to_friday();
    let curve = PaceCurve::working_days(q1, work);
    let options = ProgressOptions::new(case.as_of, curve)
        .activity(vec![(
            salesplan::activity::ActivityKind::ColdCall,
            rust_decimal::Decimal::ONE,
        )])
        .unwrap();
    let quota = quotas
        .person_quota(
            &person("priya"),
            &q1,
            &PersonQuotaOptions::new().ramp(ramp(), case.hired),
        )
        .unwrap();
    assert_eq!(quota.total.to_string(), format!("{} USD", case.quota));
    let mut progress = TeamProgress::new(&targets, &actual, options).unwrap();
    if let Some((done, target)) = case.activity {
        let mut activity = NodeValues::<KindTotals>::new(&snapshot);
        let mut t = KindTotals::new();
        t.add(0, done, target).unwrap();
        activity.add(&pos("r2"), &t).unwrap();
        progress = progress.with_activity(activity).unwrap();
    }
    let progress = progress.measure_person(&quota, usd(case.own)).unwrap();
    let lead = snapshot.node(&pos("lead")).unwrap().index();
    progress.report(lead).unwrap()
}

#[test]
fn a_mid_quarter_hire_is_measured_on_her_own_ramped_prorated_quota() {
    let cases = [
        // Hired 1 February: February at 0%, March at 25% of 50,000.
        // As of 14 March, 10 of March's 21 working days are done:
        // expected 12,500 × 10/21 = 5,952.38...; 3,000 booked: 50.40%.
        Case {
            hired: date(2025, 2, 1),
            as_of: date(2025, 3, 14),
            own: "3000.00",
            activity: None,
            quota: "12500.00",
            pace: "50.40%",
            attainment: "24.00%",
            status: Status::Behind,
            driver: StatusDriver::Pace,
        },
        // Hired 17 March: the first ramp month is 0%, so nothing is
        // expected of her this quarter; her activity decides.
        Case {
            hired: date(2025, 3, 17),
            as_of: date(2025, 3, 28),
            own: "0.00",
            activity: Some((45, 100)),
            quota: "0.00",
            pace: "n/a",
            attainment: "n/a",
            status: Status::Behind,
            driver: StatusDriver::Activity,
        },
        // Hired 1 January (no ramp month passed yet in January: 0%), then
        // 25% and 50%: 0 + 12,500 + 25,000 = 37,500. As of 31 March all is
        // expected; 40,000 booked is 106.67%, on track by pace.
        Case {
            hired: date(2025, 1, 1),
            as_of: date(2025, 3, 31),
            own: "40000.00",
            activity: Some((100, 100)),
            quota: "37500.00",
            pace: "106.67%",
            attainment: "106.67%",
            status: Status::OnTrack,
            driver: StatusDriver::Pace,
        },
    ];
    for case in &cases {
        let report = report(case);
        let row = report
            .members
            .iter()
            .find(|m| m.position == PositionId::new("r2").unwrap())
            .unwrap();
        let shown = report.to_string();
        let line = shown.lines().find(|l| l.contains(" r2 ")).unwrap();
        assert!(
            line.contains(&format!("attainment {:>8}", case.attainment)),
            "{line}"
        );
        assert!(line.contains(&format!("pace {:>8}", case.pace)), "{line}");
        assert_eq!(
            (row.status, row.driver),
            (case.status, case.driver),
            "{shown}"
        );
        assert!(line.contains(&format!("({})", case.driver)), "{line}");
        assert_eq!(row.target.to_string(), format!("{} USD", case.quota));
        assert_eq!(row.actual, usd(case.own));
        assert_eq!(row.measured_from, Some(case.hired.max(date(2025, 1, 1))));
        // The seat's deal before her hire stays the team's and the seat's,
        // never hers.
        let seat: Money = usd(case.own).checked_add(usd("20000.00")).unwrap();
        assert_eq!(row.seat_actual, Some(seat));
        assert_eq!(report.actual, seat.checked_add(usd("60000.00")).unwrap());
        // The team is measured against the plan's seats: 450,000 (its own
        // quarter target).
        assert_eq!(report.target, usd("300000.00"));
        assert!(shown.contains("measured as a person from"), "{shown}");
    }
}

#[test]
fn percentages_show_two_decimals_and_the_status_says_what_drove_it() {
    let report = report(&Case {
        hired: date(2025, 2, 1),
        as_of: date(2025, 3, 14),
        own: "3000.00",
        activity: None,
        quota: "12500.00",
        pace: "",
        attainment: "",
        status: Status::Behind,
        driver: StatusDriver::Pace,
    });
    let shown = report.to_string();
    let header = shown.lines().nth(1).unwrap();
    // 83,000 of 300,000: 27.67%; share of the team in two decimals too.
    assert!(header.contains("actual 83000.00 USD (27.67%)"), "{header}");
    assert!(header.contains("(revenue pace)"), "{header}");
    let ana = shown.lines().find(|l| l.contains(" r1 ")).unwrap();
    assert!(ana.contains("attainment   40.00%"), "{ana}");
    assert!(ana.contains("share 72.29%"), "{ana}");
}
