//! Worked quota examples from real plans, as tables.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use salesplan::calendar::{DateRange, FiscalCalendar, ProrationBasis, WorkCalendar};
use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
use salesplan::quota::{
    Basis, LevelRule, Measures, MonthSplit, PersonQuotaOptions, QuotaPlan, Ramp, Seasonality,
    YearSplitter,
};
use salesplan::{Currency, Money, Period};

use crate::common::date;
use crate::support::{always, person, pos};

fn usd(a: &str) -> Money {
    Money::parse(a, Currency::USD).unwrap()
}

#[test]
fn an_annual_target_split_by_seasonality_into_months() {
    let w = |x: i64| Decimal::from(x);
    let profile = Seasonality::monthly([6, 6, 8, 7, 7, 8, 7, 7, 8, 10, 12, 14].map(w)).unwrap();
    let split = YearSplitter::new(&FiscalCalendar::gregorian(), 2025, &profile)
        .unwrap()
        .split(usd("1200000.00"))
        .unwrap();
    let months: Vec<String> = split
        .months()
        .iter()
        .map(|(_, m)| m.amount().to_string())
        .collect();
    assert_eq!(
        months,
        [
            "72000.00",
            "72000.00",
            "96000.00",
            "84000.00",
            "84000.00",
            "96000.00",
            "84000.00",
            "84000.00",
            "96000.00",
            "120000.00",
            "144000.00",
            "168000.00"
        ]
    );
    let quarters: Vec<String> = split
        .quarters()
        .iter()
        .map(|(_, q)| q.amount().to_string())
        .collect();
    assert_eq!(
        quarters,
        ["240000.00", "264000.00", "264000.00", "432000.00"]
    );
    // Last year's actuals give the profile directly.
    let actuals = [
        "50000", "50000", "70000", "60000", "60000", "70000", "60000", "60000", "70000", "80000",
        "90000", "100000",
    ]
    .map(usd);
    let from_actuals = Seasonality::from_actuals(&actuals).unwrap();
    let split = YearSplitter::new(&FiscalCalendar::gregorian(), 2025, &from_actuals)
        .unwrap()
        .split(usd("1000000.00"))
        .unwrap();
    assert_eq!(split.months()[11].1, usd("121951.22")); // 100 / 820 of the year
    let sum = Money::checked_sum(Currency::USD, split.months().iter().map(|(_, m)| *m)).unwrap();
    assert_eq!(sum, usd("1000000.00"));
}

/// One seat under a manager; `who` holds it from `from`. Annual 360,000
/// spread flat: 30,000 a month.
/// A team lead `mgr` over vacant rep seats.
fn team<const N: usize>(reps: [&str; N]) -> Org {
    Org::builder()
        .position(Position::new(pos("mgr"), Role::TeamLead))
        .positions(reps.map(|r| Position::new(pos(r), Role::SalesRep)))
        .line(ReportingLine::top(pos("mgr"), always()))
        .lines(reps.map(|r| ReportingLine::new(pos(r), pos("mgr"), always())))
        .build()
        .unwrap()
}

fn one_rep(from: NaiveDate) -> (Org, QuotaPlan) {
    let org = Org::builder()
        .position(Position::new(pos("mgr"), Role::TeamLead))
        .position(Position::new(pos("rep"), Role::SalesRep))
        .line(ReportingLine::top(pos("mgr"), always()))
        .line(ReportingLine::new(pos("rep"), pos("mgr"), always()))
        .assignment(Assignment::new(
            person("new"),
            pos("rep"),
            DateRange::starting(from),
        ))
        .build()
        .unwrap();
    let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("360000.00"));
    (org, plan)
}

#[test]
fn a_ramped_new_hires_first_quarter() {
    let ramp = Ramp::new(["0%", "25%", "50%", "75%"].map(|p| p.parse().unwrap()));
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    // (hire date, Q1 quota, ramp relief)
    let table = [
        // Hired on the first day: 0% of January, 25% of February, 50% of March.
        (date(2025, 1, 1), "22500.00", "67500.00"),
        // Hired mid-January: holds 17 days of January (at 0%); February is
        // half in tenure month 1 and half in month 2; March mixes months 2
        // and 3: 30,000 x (14 x 25% + 17 x 50%) / 31 = 11,612.90.
        (date(2025, 1, 15), "15362.90", "61088.71"),
        // Hired on 31 January, a month end: tenure month 2 starts on 28
        // February and month 3 on 31 March. February: one day at 25% of
        // 30,000 / 28 = 267.86; March: 30 days at 25% and one at 50%,
        // 30,000 x 8 / 31 = 7,741.94; January's one day is at 0%.
        (date(2025, 1, 31), "8009.80", "52957.94"),
    ];
    for (hired, quota, relief) in table {
        let (org, plan) = one_rep(hired);
        let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
        let targets = plan.cascade(&snapshot, &Measures::new()).unwrap();
        let options = PersonQuotaOptions::new().ramp(ramp.clone(), hired);
        let q = targets.person_quota(&person("new"), &q1, &options).unwrap();
        assert_eq!(
            (q.total, q.ramp_relief),
            (usd(quota), usd(relief)),
            "hired {hired}"
        );
        assert!(q.lines.iter().all(|l| l.position == pos("rep")));
        if hired == date(2025, 1, 15) {
            // March: 14 days at 25% and 17 at 50%, over 31 days.
            let march = &q.lines[2].ramp;
            assert_eq!(
                (march.weighted_days(), march.days()),
                (Decimal::new(1200, 2), 31)
            );
            assert_eq!(march.to_string(), "ramp 38.71%");
        }
    }
    assert_eq!(ramp.steps().len(), 4);
    assert_eq!(ramp.steps()[3].to_string(), "75%");
    assert!(Ramp::none().steps().is_empty());
    assert!(
        ramp.is_ramping(date(2025, 1, 15), date(2025, 5, 14))
            .unwrap()
    );
    assert!(
        !ramp
            .is_ramping(date(2025, 1, 15), date(2025, 5, 15))
            .unwrap()
    );
}

#[test]
fn a_rep_who_starts_on_the_first_of_the_quarters_last_month() {
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let work = WorkCalendar::monday_to_friday();
    // (start date, basis, Q1 quota): 30,000 a month.
    let table = [
        (date(2025, 3, 1), ProrationBasis::CalendarDays, "30000.00"),
        (date(2025, 3, 1), ProrationBasis::WorkingDays, "30000.00"),
        (date(2025, 3, 1), ProrationBasis::WholeMonths, "30000.00"),
        // Mid-month: 17 of 31 days; 11 of 21 working days; no whole month.
        (date(2025, 3, 15), ProrationBasis::CalendarDays, "16451.61"),
        (date(2025, 3, 15), ProrationBasis::WorkingDays, "15714.29"),
        (date(2025, 3, 15), ProrationBasis::WholeMonths, "0.00"),
    ];
    for (start, basis, quota) in table {
        let (org, plan) = one_rep(start);
        let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
        let targets = plan.cascade(&snapshot, &Measures::new()).unwrap();
        let options = PersonQuotaOptions::new()
            .basis(basis)
            .work_calendar(work.clone());
        let q = targets.person_quota(&person("new"), &q1, &options).unwrap();
        assert_eq!(q.total, usd(quota), "{start} by {basis}");
    }
}

#[test]
fn a_quarter_shared_among_its_months_by_a_stated_rule() {
    // 1,200.00 a year, a quarter alike: 300.00 for January to March (31,
    // 28 and 31 days; 23, 20 and 21 working days Monday to Friday).
    let work = WorkCalendar::monday_to_friday();
    let table = [
        (MonthSplit::CalendarDays, ["103.33", "93.34", "103.33"]),
        (MonthSplit::EqualMonths, ["100.00", "100.00", "100.00"]),
        (MonthSplit::WorkingDays(work), ["107.81", "93.75", "98.44"]),
    ];
    for (rule, months) in table {
        let profile = Seasonality::quarterly([Decimal::ONE; 4])
            .unwrap()
            .months_by(rule.clone());
        let split = YearSplitter::new(&FiscalCalendar::gregorian(), 2025, &profile)
            .unwrap()
            .split(usd("1200.00"))
            .unwrap();
        let got: Vec<String> = split.months()[..3]
            .iter()
            .map(|(_, m)| m.amount().to_string())
            .collect();
        assert_eq!(got, months, "{rule:?}");
        assert_eq!(split.quarters()[0].1, usd("300.00"), "{rule:?}");
    }
    // A quarter that weighs nothing needs no working day to share nothing.
    let sundays = (0..13).map(|w| date(2025, 1, 5) + chrono::Days::new(7 * w));
    let no_days = WorkCalendar::new([chrono::Weekday::Sun])
        .unwrap()
        .with_holidays(sundays);
    let profile = Seasonality::quarterly([0, 1, 1, 1].map(Decimal::from))
        .unwrap()
        .months_by(MonthSplit::WorkingDays(no_days));
    let split = YearSplitter::new(&FiscalCalendar::gregorian(), 2025, &profile)
        .unwrap()
        .split(usd("300.00"))
        .unwrap();
    assert_eq!(split.quarters()[0].1, usd("0.00"));
}

#[test]
fn whole_month_proration_agrees_with_equal_months() {
    // A rep who starts on 1 March, prorated by whole months, under a
    // quarterly profile (90,000.00 a quarter): a third of the quarter when
    // the quarter is shared equally, 31/90 of it when shared by days.
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let work = WorkCalendar::monday_to_friday();
    let table = [
        (MonthSplit::EqualMonths, "30000.00"),
        (MonthSplit::CalendarDays, "31000.00"),
        (MonthSplit::WorkingDays(work.clone()), "29531.25"),
    ];
    for (rule, quota) in table {
        let (org, plan) = one_rep(date(2025, 3, 1));
        let profile = Seasonality::quarterly([Decimal::ONE; 4])
            .unwrap()
            .months_by(rule.clone());
        let plan = plan.seasonality(profile);
        let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
        let targets = plan.cascade(&snapshot, &Measures::new()).unwrap();
        let options = PersonQuotaOptions::new()
            .basis(ProrationBasis::WholeMonths)
            .work_calendar(work.clone());
        let q = targets.person_quota(&person("new"), &q1, &options).unwrap();
        assert_eq!(q.total, usd(quota), "{rule:?}");
    }
}

#[test]
fn over_assignment_of_110_percent_across_three_equal_reps() {
    let org = Org::builder()
        .position(Position::new(pos("mgr"), Role::RegionalManager))
        .positions(["a", "b", "c"].map(|r| Position::new(pos(r), Role::SalesRep)))
        .line(ReportingLine::top(pos("mgr"), always()))
        .lines(["a", "b", "c"].map(|r| ReportingLine::new(pos(r), pos("mgr"), always())))
        .build()
        .unwrap();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("1000000.00")).level(
        0,
        LevelRule::new(Basis::Equal).over_assign("110%".parse().unwrap()),
    );
    let targets = plan.cascade(&snapshot, &Measures::new()).unwrap();
    let t = |id: &str| {
        targets
            .annual(snapshot.node(&pos(id)).unwrap().index())
            .unwrap()
    };
    assert_eq!(
        [t("a"), t("b"), t("c")],
        [usd("366666.67"), usd("366666.67"), usd("366666.66")]
    );
    let gap = targets.gap_report().unwrap();
    assert_eq!(gap.len(), 1);
    assert_eq!(gap[0].reports, usd("1100000.00"));
    assert_eq!(gap[0].over_assignment, Some(Decimal::new(11, 1)));
    assert_eq!(gap[0].gap, usd("100000.00"));
    // Every rep is vacant on the snapshot date: all of it is uncovered.
    assert_eq!(gap[0].uncovered, usd("1100000.00"));
    let why = targets
        .explain(snapshot.node(&pos("a")).unwrap().index())
        .unwrap();
    assert_eq!(
        why.to_string(),
        "a: 366666.67 USD = 1 / 3 of 110% x mgr's 1000000.00 USD = 1100000.00 USD by equal shares, +1 minor unit (largest remainder)"
    );
}

#[test]
fn a_region_split_by_a_blend_of_prior_year_and_potential() {
    let org = Org::builder()
        .position(Position::new(pos("region"), Role::RegionalManager))
        .positions(["north", "south"].map(|r| Position::new(pos(r), Role::TeamLead)))
        .position(Position::new(pos("ops"), Role::SalesAdministrator))
        .line(ReportingLine::top(pos("region"), always()))
        .lines(
            ["north", "south", "ops"].map(|r| ReportingLine::new(pos(r), pos("region"), always())),
        )
        .build()
        .unwrap();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    // Declared order: region, north, south, ops.
    let prior = [0, 600, 400, 0].map(Decimal::from).to_vec();
    let potential = [0, 1, 3, 0].map(Decimal::from).to_vec();
    let half = "50%".parse().unwrap();
    let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("1000000.00")).level(
        0,
        LevelRule::new(Basis::Blend(vec![
            (half, "prior_year".into()),
            (half, "potential".into()),
        ])),
    );
    let measures = Measures::new()
        .with("prior_year", prior)
        .with("potential", potential);
    let targets = plan.cascade(&snapshot, &measures).unwrap();
    let t = |id: &str| {
        targets
            .annual(snapshot.node(&pos(id)).unwrap().index())
            .unwrap()
    };
    // North: 50% x 0.6 + 50% x 0.25 = 42.5%; South: 57.5%; ops carries none.
    assert_eq!(
        [t("north"), t("south"), t("ops")],
        [usd("425000.00"), usd("575000.00"), usd("0")]
    );
    assert!(!targets.carries_quota(snapshot.node(&pos("ops")).unwrap().index()));
}

#[test]
fn a_contract_change_on_the_same_seat_mid_month_changes_nothing() {
    // One record, or two back to back on 10 March: the same quota.
    let build = |split: bool| {
        let mut b = Org::builder()
            .position(Position::new(pos("rep"), Role::SalesRep))
            .line(ReportingLine::top(pos("rep"), always()));
        b = if split {
            b.assignment(Assignment::new(
                person("ana"),
                pos("rep"),
                crate::support::range(date(2025, 1, 1), date(2025, 3, 10)),
            ))
            .assignment(Assignment::new(
                person("ana"),
                pos("rep"),
                DateRange::starting(date(2025, 3, 10)),
            ))
        } else {
            b.assignment(Assignment::new(person("ana"), pos("rep"), always()))
        };
        b.build().unwrap()
    };
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let quota = |org: &Org| {
        let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
        let targets = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("360000.00"))
            .cascade(&snapshot, &Measures::new())
            .unwrap();
        targets
            .person_quota(&person("ana"), &q1, &PersonQuotaOptions::new())
            .unwrap()
    };
    let (one, two) = (quota(&build(false)), quota(&build(true)));
    assert_eq!(one.total, usd("90000.00"));
    assert_eq!(two.total, one.total);
    assert_eq!(two.lines.len(), 3);
    assert_eq!(two.lines[2].held, [Period::month(2025, 3).unwrap()]);
}

#[test]
fn a_period_cut_mid_month_prorates_within_one_split() {
    let (org, plan) = one_rep(date(2025, 1, 1));
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let targets = plan.cascade(&snapshot, &Measures::new()).unwrap();
    let first_half = Period::new(date(2025, 3, 1), date(2025, 3, 16)).unwrap();
    let q = targets
        .person_quota(&person("new"), &first_half, &PersonQuotaOptions::new())
        .unwrap();
    assert_eq!(q.lines.len(), 1);
    let line = &q.lines[0];
    assert_eq!((line.proration.covered(), line.proration.total()), (15, 31));
    assert_eq!(line.held, [first_half]);
    // 30,000 x 15 / 31 = 14,516.129...
    assert_eq!(q.total, usd("14516.13"));
    assert_eq!(
        line.to_string(),
        "2025-03 (held 2025-03-01 to 2025-03-15): 15/31 calendar days of rep's 30000.00 USD = 14516.13 USD"
    );
}

#[test]
fn explanations_show_the_pool_left_after_a_cap() {
    let org = team(["ann", "bob", "cy"]);
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    // Declared order: mgr, ann, bob, cy.
    let measures = Measures::new()
        .with("sales", [0, 700, 200, 100].map(Decimal::from).to_vec())
        .with_caps(vec![None, Some(usd("40000")), None, None]);
    let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("100000.00"))
        .level(0, LevelRule::new(Basis::Measure("sales".into())));
    let targets = plan.cascade(&snapshot, &measures).unwrap();
    let explain = |id: &str| {
        targets
            .explain(snapshot.node(&pos(id)).unwrap().index())
            .unwrap()
    };
    assert_eq!(explain("ann").to_string(), "ann: 40000.00 USD = its cap");
    let bob = explain("bob");
    assert_eq!(
        (bob.pool, bob.pool_weight),
        (Some(usd("60000.00")), Decimal::from(300))
    );
    assert_eq!(
        bob.to_string(),
        "bob: 40000.00 USD = 200 / 300 of the 60000.00 USD left after floors and caps of mgr's 100000.00 USD by sales, rounded down to the minor unit"
    );
}

#[test]
fn a_transfer_moves_the_same_amount_every_month() {
    let org = team(["a", "b"]);
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let measures = Measures::new().with("sales", [0, 1, 0].map(Decimal::from).to_vec());
    let w = |x: i64| Decimal::from(x);
    let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("120000.00"))
        .seasonality(Seasonality::monthly([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3].map(w)).unwrap())
        .level(0, LevelRule::new(Basis::Measure("sales".into())));
    let before = plan.cascade(&snapshot, &measures).unwrap();
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let after = before
        .adjusted(&[salesplan::quota::Adjustment::Transfer {
            from: pos("a"),
            to: pos("b"),
            period: q1,
            amount: usd("6000.00"),
            reason: "key account moves to b".into(),
        }])
        .unwrap();
    let node = |id: &str| snapshot.node(&pos(id)).unwrap().index();
    for m in 0..12 {
        let sum = |t: &salesplan::quota::QuotaTargets<'_>| {
            t.month(node("a"), m)
                .unwrap()
                .checked_add(t.month(node("b"), m).unwrap())
                .unwrap()
        };
        assert_eq!(sum(&after), sum(&before), "month {m}");
    }
    // b had no target at all; it now has a's Q1 months' share of 6,000.
    let b: Vec<Money> = (0..3).map(|m| after.month(node("b"), m).unwrap()).collect();
    assert_eq!(b, [usd("1000.00"), usd("2000.00"), usd("3000.00")]);
    // The adjusted months' weeks follow them: each month's weeks add up to
    // the month, and the year keeps all its weeks.
    let split = after.split(node("b")).unwrap();
    let unadjusted = before.split(node("b")).unwrap();
    assert_eq!(split.weeks().len(), unadjusted.weeks().len());
    for (month, amount) in split.months() {
        let weeks = split
            .weeks()
            .iter()
            .filter(|(w, _)| month.encloses(w))
            .map(|(_, m)| *m);
        assert_eq!(
            Money::checked_sum(Currency::USD, weeks).unwrap(),
            *amount,
            "{month}"
        );
    }
    // The targets remember what was applied to them.
    assert!(before.adjustments().is_empty());
    assert_eq!(after.adjustments().len(), 1);
    assert!(matches!(
        &after.adjustments()[0],
        salesplan::quota::Adjustment::Transfer { amount, .. } if *amount == usd("6000.00")
    ));
}

#[test]
fn shared_seats_returns_and_manager_changes_within_a_month() {
    use crate::support::range;
    use salesplan::RoundingPolicy;
    // top -> m1, m2; seat a moves from m1 to m2 on 15 February (ana holds
    // it all year); seat b passes from ben to cara on 16 January; ida
    // leaves seat c on 11 January and comes back on 21 January.
    let org = Org::builder()
        .position(Position::new(pos("top"), Role::Director))
        .positions(["m1", "m2"].map(|m| Position::new(pos(m), Role::TeamLead)))
        .positions(["a", "b", "c"].map(|r| Position::new(pos(r), Role::SalesRep)))
        .line(ReportingLine::top(pos("top"), always()))
        .lines(["m1", "m2"].map(|m| ReportingLine::new(pos(m), pos("top"), always())))
        .line(ReportingLine::new(
            pos("a"),
            pos("m1"),
            range(date(2025, 1, 1), date(2025, 2, 15)),
        ))
        .line(ReportingLine::new(
            pos("a"),
            pos("m2"),
            DateRange::starting(date(2025, 2, 15)),
        ))
        .lines(["b", "c"].map(|r| ReportingLine::new(pos(r), pos("m1"), always())))
        .assignment(Assignment::new(person("ana"), pos("a"), always()))
        .assignment(Assignment::new(
            person("ben"),
            pos("b"),
            range(date(2025, 1, 1), date(2025, 1, 16)),
        ))
        .assignment(Assignment::new(
            person("cara"),
            pos("b"),
            DateRange::starting(date(2025, 1, 16)),
        ))
        .assignment(Assignment::new(
            person("ida"),
            pos("c"),
            range(date(2025, 1, 1), date(2025, 1, 11)),
        ))
        .assignment(Assignment::new(
            person("ida"),
            pos("c"),
            DateRange::starting(date(2025, 1, 21)),
        ))
        .build()
        .unwrap();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("1200000.00"));
    assert_eq!(plan.year(), 2025);
    let targets = plan.cascade(&snapshot, &Measures::new()).unwrap();
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let january = Period::month(2025, 1).unwrap();
    let quota = |who: &str, period: &Period, options: &PersonQuotaOptions| {
        targets.person_quota(&person(who), period, options).unwrap()
    };
    let plain = PersonQuotaOptions::new();

    // Two managers in February, one seat: one line a month.
    let ana = quota("ana", &q1, &plain);
    assert_eq!(ana.lines.len(), 3);
    assert!(ana.lines.iter().all(|l| l.proration.is_full()));

    // (person, days held in January, stretches)
    let table = [
        ("ben", 15, vec![range(date(2025, 1, 1), date(2025, 1, 16))]),
        ("cara", 16, vec![range(date(2025, 1, 16), date(2025, 2, 1))]),
        (
            "ida",
            21,
            vec![
                range(date(2025, 1, 1), date(2025, 1, 11)),
                range(date(2025, 1, 21), date(2025, 2, 1)),
            ],
        ),
    ];
    for (who, days, stretches) in table {
        let q = quota(who, &january, &plain);
        assert_eq!(q.lines.len(), 1, "{who}");
        let line = &q.lines[0];
        assert_eq!(
            (line.proration.covered(), line.proration.total()),
            (days, 31),
            "{who}"
        );
        let held: Vec<Period> = stretches
            .iter()
            .map(|r| r.clip(&january).unwrap())
            .collect();
        assert_eq!(line.held, held, "{who}");
    }

    // Rounding is the caller's: cara's 16/31 of the seat's January target,
    // at a third on her ramp.
    let ramp = Ramp::new(vec!["33.3%".parse().unwrap()]);
    let line = |policy| {
        let options = PersonQuotaOptions::new()
            .ramp(ramp.clone(), date(2025, 1, 16))
            .rounding(policy);
        quota("cara", &january, &options).lines.remove(0)
    };
    let (down, up) = (line(RoundingPolicy::Floor), line(RoundingPolicy::Ceiling));
    assert_eq!(down.rounding, RoundingPolicy::Floor);
    assert_eq!(up.rounding, RoundingPolicy::Ceiling);
    assert_eq!(down.prorated, up.prorated);
    assert_eq!(up.amount.checked_sub(down.amount).unwrap(), usd("0.01"));
}

#[test]
fn explanations_write_long_fractions_as_a_share() {
    let org = team(["a", "b"]);
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let node = |id: &str| snapshot.node(&pos(id)).unwrap().index();
    // (weights of a and b, how a's share reads)
    let table = [
        ([1i64, 3], "1 / 4 of"),
        // Rounded to four places of a percent.
        ([1, 9_999_999_999_999], ": 0.00 USD = 0% of"),
        ([9_999_999_999_999, 1], "100% of"),
    ];
    for (weights, reads) in table {
        let measures = Measures::new().with(
            "sales",
            [0, weights[0], weights[1]].map(Decimal::from).to_vec(),
        );
        let targets = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("120000.00"))
            .level(0, LevelRule::new(Basis::Measure("sales".into())))
            .cascade(&snapshot, &measures)
            .unwrap();
        let text = targets.explain(node("a")).unwrap().to_string();
        assert!(text.contains(reads), "{weights:?}: {text}");
    }
}

#[test]
fn a_teams_capacity_from_headcount_ramp_and_attrition() {
    use salesplan::quota::{CapacityModel, Cohort};
    let months: Vec<Period> = (1..=4).map(|m| Period::month(2025, m).unwrap()).collect();
    let last_year = date(2024, 1, 1);
    // (model, cohorts, capacity of January to April): 1,000.00 a rep a
    // month at 100% unless said.
    let base = || CapacityModel::new(usd("1000.00"), "100%".parse().unwrap()).unwrap();
    let table: [(CapacityModel, Vec<Cohort>, [&str; 4]); 4] = [
        // Ten reps, nothing moves.
        (base(), vec![Cohort::new(last_year, 10)], ["10000.00"; 4]),
        // 10% leave a month: 10, 9, 8.1, 7.29 heads.
        (
            base().attrition("10%".parse().unwrap()),
            vec![Cohort::new(last_year, 10)],
            ["10000.00", "9000.00", "8100.00", "7290.00"],
        ),
        // Two hires on 16 February with a 0% / 50% ramp: nothing in
        // February; in March 15 days at 0% (tenure month 1 runs to 15
        // March) and 16 at 50%, 8/31 of a rep each; in April 15 days at
        // 50% and 15 at full, three quarters each.
        (
            base().ramp(Ramp::new(["0%", "50%"].map(|p| p.parse().unwrap()))),
            vec![Cohort::new(last_year, 5), Cohort::new(date(2025, 2, 16), 2)],
            ["5000.00", "5000.00", "5516.13", "6500.00"],
        ),
        // Expected attainment of 85%, rounded half-even.
        (
            CapacityModel::new(usd("333.33"), "85%".parse().unwrap())
                .unwrap()
                .rounding(salesplan::RoundingPolicy::HalfEven),
            vec![Cohort::new(last_year, 3)],
            ["849.99"; 4],
        ),
    ];
    for (model, cohorts, want) in table {
        let got: Vec<Money> = model
            .capacity(&months, &cohorts)
            .unwrap()
            .iter()
            .map(|m| m.capacity())
            .collect();
        assert_eq!(got, want.map(usd), "{model:?}");
    }
}

#[test]
fn capacity_set_against_the_top_down_target() {
    use salesplan::quota::{CapacityModel, Cohort};
    // 1,200,000.00 a year, flat: 100,000.00 a month. Eight reps at
    // 12,000.00 and 90% carry 86,400.00 a month.
    let split = YearSplitter::new(&FiscalCalendar::gregorian(), 2025, &Seasonality::flat())
        .unwrap()
        .split(usd("1200000.00"))
        .unwrap();
    let model = CapacityModel::new(usd("12000.00"), "90%".parse().unwrap()).unwrap();
    let gap = model
        .against(&split, &[Cohort::new(date(2024, 6, 1), 8)])
        .unwrap();
    assert_eq!(gap.months().len(), 12);
    assert_eq!(gap.months()[0].capacity(), usd("86400.00"));
    assert_eq!(gap.months()[0].gap(), usd("13600.00"));
    assert_eq!(gap.quarters()[0].target(), usd("300000.00"));
    assert_eq!(gap.quarters()[0].gap(), usd("40800.00"));
    assert_eq!(gap.year().capacity(), usd("1036800.00"));
    assert_eq!(gap.year().gap(), usd("163200.00"));
}

#[test]
fn a_target_down_the_territory_tree_and_to_the_reps_who_cover_it() {
    use salesplan::quota::{TerritoryBasis, TerritoryTargets};
    use salesplan::territory::{
        Coverage, CoverageKind, CoverageTable, Territory, TerritoryLine, TerritoryMap,
    };
    use salesplan::{Percent, TerritoryId};
    let t = |s: &str| TerritoryId::new(s).unwrap();
    // west: north (wa, or) and ca.
    let map = TerritoryMap::builder()
        .territories(["west", "north", "ca", "wa", "or"].map(|s| Territory::new(t(s))))
        .line(TerritoryLine::top(t("west"), always()))
        .lines(
            [
                ("north", "west"),
                ("ca", "west"),
                ("wa", "north"),
                ("or", "north"),
            ]
            .map(|(c, p)| TerritoryLine::new(t(c), t(p), always())),
        )
        .build()
        .unwrap();
    let tree = map.as_of(date(2025, 1, 1)).unwrap();
    let potential = [("ca", 600), ("wa", 300), ("or", 100)]
        .map(|(k, v)| (t(k), Decimal::from(v)))
        .into_iter()
        .collect();
    // (basis, targets of north, ca, wa, or) of 1,000,000.00.
    let table = [
        (
            TerritoryBasis::Equal,
            ["500000.00", "500000.00", "250000.00", "250000.00"],
        ),
        (
            TerritoryBasis::LeafMeasure(potential),
            ["400000.00", "600000.00", "300000.00", "100000.00"],
        ),
    ];
    for (basis, want) in table {
        let targets = TerritoryTargets::cascade(&tree, usd("1000000.00"), &basis).unwrap();
        let got = ["north", "ca", "wa", "or"].map(|k| targets.target(&t(k)).unwrap());
        assert_eq!(got, want.map(usd), "{basis:?}");
    }
    // By potential: ann covers ca alone and 60% of wa; bo 40% of wa; or
    // is vacant; an overlay specialist carries 10% of ca beside ann.
    let targets = TerritoryTargets::cascade(
        &tree,
        usd("1000000.00"),
        &TerritoryBasis::LeafMeasure(
            [("ca", 600), ("wa", 300), ("or", 100)]
                .map(|(k, v)| (t(k), Decimal::from(v)))
                .into_iter()
                .collect(),
        ),
    )
    .unwrap();
    let share = |p: &str| p.parse::<Percent>().unwrap();
    let coverage = CoverageTable::new(vec![
        Coverage::primary(t("ca"), pos("ann"), always()),
        Coverage::new(
            t("wa"),
            pos("ann"),
            CoverageKind::Primary,
            share("60%"),
            always(),
        ),
        Coverage::new(
            t("wa"),
            pos("bo"),
            CoverageKind::Primary,
            share("40%"),
            always(),
        ),
        Coverage::new(
            t("ca"),
            pos("sam"),
            CoverageKind::Overlay,
            share("10%"),
            always(),
        ),
    ])
    .unwrap();
    let quotas = targets.positions(&coverage, date(2025, 6, 1)).unwrap();
    assert_eq!(quotas.primary()[&pos("ann")], usd("780000.00"));
    assert_eq!(quotas.primary()[&pos("bo")], usd("120000.00"));
    assert_eq!(quotas.overlay()[&pos("sam")], usd("60000.00"));
    assert_eq!(quotas.uncovered(), [(t("or"), usd("100000.00"))]);
}
