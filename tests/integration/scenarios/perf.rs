//! Worked performance examples: seasonal pacing, status from revenue and
//! activity, ranking, the escalation ladder with a new hire in ramp, and a
//! region's team progress reports.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use salesplan::activity::ActivityKind;
use salesplan::calendar::{FiscalCalendar, WorkCalendar};
use salesplan::perf::{
    Action, ActionDue, EscalationPolicy, KindTotals, PaceCurve, PeriodKind, PeriodResult,
    ProgressOptions, Ratio, Status, StatusBands, TeamProgress, TenureBands, attainment, pace,
    period_targets, rank, rank_within,
};
use salesplan::quota::{Measures, QuotaPlan, Ramp};
use salesplan::rollup::{NodeValues, SumOptions, sum_credits};
use salesplan::{Currency, Money, Period};

use crate::common::{date, dec};
use crate::support::credit::usd;
use crate::support::perf::{holder, q1, region};
use crate::support::{person, pos};

fn seasonal_q1() -> PaceCurve {
    let months =
        [(1, "20"), (2, "20"), (3, "60")].map(|(m, w)| (Period::month(2025, m).unwrap(), dec(w)));
    PaceCurve::weighted(months, WorkCalendar::monday_to_friday()).unwrap()
}

fn flat_q1() -> PaceCurve {
    PaceCurve::working_days(q1(), WorkCalendar::monday_to_friday())
}

#[test]
fn a_rep_at_45_percent_halfway_through_a_back_loaded_quarter_is_on_pace() {
    let as_of = date(2025, 2, 14);
    let seasonal = pace(dec("100000"), dec("45000"), &seasonal_q1(), as_of).unwrap();
    // January's 20% plus 10 of February's 20 working days of its 20%.
    assert_eq!(seasonal.expected_fraction, dec("0.3"));
    assert_eq!(seasonal.expected, dec("30000"));
    assert_eq!(seasonal.attainment.to_string(), "45%");
    assert_eq!(seasonal.pace.to_string(), "150%");
    assert_eq!(seasonal.projection.value().unwrap(), dec("150000"));
    let bands = StatusBands::default();
    assert_eq!(bands.status(&seasonal.pace, None), Status::OnTrack);
    // The same figures on an even pace: 33 of 64 working days elapsed.
    let flat = pace(dec("100000"), dec("45000"), &flat_q1(), as_of).unwrap();
    assert_eq!(flat.expected_fraction, dec("0.515625"));
    assert_eq!(flat.pace.to_string(), "87.27%");
    assert_eq!(bands.status(&flat.pace, None), Status::AtRisk);
}

#[test]
fn expected_to_date_through_the_quarter() {
    // (as of, seasonal fraction, working-day fraction)
    let table = [
        ("2025-01-01", "0.0086956521739130434782608696", "0.015625"),
        ("2025-01-31", "0.2", "0.359375"),
        ("2025-02-01", "0.2", "0.359375"), // a Saturday: nothing more expected
        ("2025-02-28", "0.4", "0.671875"),
        ("2025-03-31", "1", "1"),
    ];
    for (day, seasonal, flat) in table {
        let as_of: NaiveDate = day.parse().unwrap();
        assert_eq!(
            seasonal_q1().expected_fraction(as_of).unwrap(),
            dec(seasonal),
            "{day}"
        );
        assert_eq!(
            flat_q1().expected_fraction(as_of).unwrap(),
            dec(flat),
            "{day}"
        );
    }
    // Before anything is expected, pace and projection have no ratio.
    let curve = PaceCurve::working_days(
        Period::new(date(2025, 3, 1), date(2025, 4, 1)).unwrap(),
        WorkCalendar::monday_to_friday(),
    );
    let p = pace(dec("100"), dec("5"), &curve, date(2025, 3, 1)).unwrap();
    assert_eq!(
        p.pace,
        Ratio::ZeroDenominator {
            numerator: dec("5")
        }
    );
    assert_eq!(p.projection.value(), None);
}

#[test]
fn attainment_of_any_measure() {
    // (actual, target, attainment)
    let table = [
        ("80", "100", Some("0.8")),
        ("6", "5", Some("1.2")),
        ("-50", "200", Some("-0.25")),
        ("1", "3", Some("0.3333333333333333333333333333")),
        ("0", "0", None),
        ("12", "0", None),
    ];
    for (actual, target, want) in table {
        let a = attainment(dec(actual), dec(target)).unwrap();
        assert_eq!(a.value(), want.map(dec), "{actual}/{target}");
    }
}

#[test]
fn status_takes_the_worse_of_revenue_pace_and_activity() {
    let bands = StatusBands::new(dec("1"), dec("0.85")).unwrap();
    let r = |s: &str| Ratio::Value(dec(s));
    // (revenue pace, activity attainment, status)
    let table = [
        ("1.05", None, Status::OnTrack),
        ("1.05", Some("1.0"), Status::OnTrack),
        ("1.05", Some("0.9"), Status::AtRisk),
        ("1.05", Some("0.7"), Status::Behind),
        ("0.85", Some("1.2"), Status::AtRisk),
        ("0.8499", None, Status::Behind),
    ];
    for (revenue, activity, want) in table {
        let a = activity.map(r);
        assert_eq!(
            bands.status(&r(revenue), a.as_ref()),
            want,
            "{revenue} {activity:?}"
        );
    }
    // Nothing expected yet, no activity target: not held against anyone.
    let none = Ratio::ZeroDenominator {
        numerator: Decimal::ZERO,
    };
    assert_eq!(bands.status(&none, Some(&none)), Status::OnTrack);
}

#[test]
fn ranks_share_ties_with_percentiles_and_quartiles() {
    let r = |s: &str| Ratio::Value(dec(s));
    let entries = [
        ("e", r("0.7")),
        ("a", r("1.2")),
        ("c", r("0.9")),
        ("b", r("0.9")),
        (
            "f",
            Ratio::ZeroDenominator {
                numerator: dec("5"),
            },
        ),
        ("d", r("0.8")),
    ];
    let ranked = rank(&entries).unwrap();
    type Row<'a> = (&'a str, Option<u32>, Option<Decimal>, Option<u8>);
    let got: Vec<Row> = ranked
        .iter()
        .map(|x| (x.key, x.rank, x.percentile, x.quartile))
        .collect();
    assert_eq!(
        got,
        [
            ("a", Some(1), Some(dec("1")), Some(1)),
            ("b", Some(2), Some(dec("0.75")), Some(1)),
            ("c", Some(2), Some(dec("0.75")), Some(1)),
            ("d", Some(4), Some(dec("0.25")), Some(3)),
            ("e", Some(5), Some(dec("0")), Some(4)),
            ("f", None, None, None),
        ]
    );
    assert!(ranked.iter().all(|x| x.of == 5));
}

#[test]
fn peers_of_equal_role_and_tenure_band() {
    let bands = TenureBands::new(vec![12, 36]).unwrap();
    let as_of = date(2025, 6, 30);
    // (person, hired, attainment)
    let people = [
        ("new1", date(2025, 1, 15), "0.6"),
        ("new2", date(2024, 9, 1), "0.9"),
        ("mid1", date(2023, 3, 1), "1.1"),
        ("mid2", date(2024, 6, 30), "0.8"), // exactly 12 months: band 1
        ("old1", date(2019, 1, 1), "1.3"),
    ];
    let entries: Vec<((u8,), &str, Ratio)> = people
        .iter()
        .map(|(p, hired, a)| ((bands.band(*hired, as_of),), *p, Ratio::Value(dec(a))))
        .collect();
    let ranked = rank_within(&entries).unwrap();
    let got: Vec<(u8, &str, u32, u32)> = ranked
        .iter()
        .map(|(g, r)| (g.0, r.key, r.rank.unwrap(), r.of))
        .collect();
    assert_eq!(
        got,
        [
            (0, "new2", 1, 2),
            (0, "new1", 2, 2),
            (1, "mid1", 1, 2),
            (1, "mid2", 2, 2),
            (2, "old1", 1, 1),
        ]
    );
}

fn month(m: u32, pct: &str) -> PeriodResult {
    PeriodResult {
        kind: PeriodKind::Month,
        period: Period::month(2025, m).unwrap(),
        attainment: Ratio::Value(dec(pct) / Decimal::ONE_HUNDRED),
    }
}

fn quarter(q: u32, pct: &str) -> PeriodResult {
    let start = date(2025, 3 * q - 2, 1);
    let end = if q == 4 {
        date(2026, 1, 1)
    } else {
        date(2025, 3 * q + 1, 1)
    };
    PeriodResult {
        kind: PeriodKind::Quarter,
        period: Period::new(start, end).unwrap(),
        attainment: Ratio::Value(dec(pct) / Decimal::ONE_HUNDRED),
    }
}

fn due(actions: &[ActionDue]) -> Vec<(Action, Vec<String>)> {
    actions
        .iter()
        .map(|a| {
            (
                a.action.clone(),
                a.periods
                    .iter()
                    .map(|p| p.period.start().format("%Y-%m").to_string())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn consecutive_misses_escalate_and_a_recovery_resets() {
    let policy = EscalationPolicy::standard();
    let ana = person("ana");
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    // (history, as of, actions due)
    type Case = (Vec<PeriodResult>, NaiveDate, Vec<(Action, Vec<String>)>);
    let table: Vec<Case> = vec![
        (
            vec![month(1, "95"), month(2, "60")],
            date(2025, 3, 1),
            vec![],
        ),
        (
            vec![month(1, "95"), month(2, "60"), month(3, "65")],
            date(2025, 4, 1),
            vec![(Action::Coaching, s(&["2025-02", "2025-03"]))],
        ),
        // The third miss: a written warning (the ladder's higher rung).
        (
            vec![month(1, "60"), month(2, "65"), month(3, "50")],
            date(2025, 4, 1),
            vec![(
                Action::WrittenWarning,
                s(&["2025-01", "2025-02", "2025-03"]),
            )],
        ),
        // A recovery resets the counter.
        (
            vec![
                month(1, "60"),
                month(2, "65"),
                month(3, "80"),
                month(4, "60"),
            ],
            date(2025, 5, 1),
            vec![],
        ),
        // March is not over on 15 March: January and February count.
        (
            vec![month(1, "60"), month(2, "65"), month(3, "10")],
            date(2025, 3, 15),
            vec![(Action::Coaching, s(&["2025-01", "2025-02"]))],
        ),
        // Exactly 70% is not below 70%.
        (
            vec![month(1, "70"), month(2, "70")],
            date(2025, 3, 1),
            vec![],
        ),
        // A gap breaks the run.
        (
            vec![month(1, "60"), month(3, "60")],
            date(2025, 4, 1),
            vec![],
        ),
        // Two quarters below 60%: an improvement plan, besides the months.
        (
            vec![
                quarter(1, "50"),
                quarter(2, "55"),
                month(5, "90"),
                month(6, "40"),
            ],
            date(2025, 7, 1),
            vec![(Action::ImprovementPlan, s(&["2025-01", "2025-04"]))],
        ),
    ];
    for (history, as_of, want) in table {
        let got = policy.evaluate(&ana, &history, as_of, None).unwrap();
        assert_eq!(due(&got), want, "{history:?} as of {as_of}");
        assert!(got.iter().all(|a| a.person == ana && a.as_of == as_of));
    }
    // Any order of the history gives the same answer.
    let mut shuffled = vec![month(3, "50"), month(1, "60"), month(2, "65")];
    let a = policy
        .evaluate(&ana, &shuffled, date(2025, 4, 1), None)
        .unwrap();
    shuffled.reverse();
    assert_eq!(
        policy
            .evaluate(&ana, &shuffled, date(2025, 4, 1), None)
            .unwrap(),
        a
    );
    assert_eq!(
        a[0].to_string(),
        "written warning for ana as of 2025-04-01: 3 months in a row below 70% (2025-01: 60%, 2025-02: 65%, 2025-03: 50%)"
    );
}

#[test]
fn a_new_hire_in_ramp_is_exempt() {
    let policy = EscalationPolicy::standard();
    let ramp = Ramp::new(["0%", "25%", "50%"].map(|p| p.parse().unwrap()));
    let hired = date(2025, 1, 1); // ramping to 31 March
    let ben = person("ben");
    let history = [
        month(1, "0"),
        month(2, "20"),
        month(3, "40"),
        month(4, "60"),
        month(5, "50"),
    ];
    // During the ramp: nothing, however low.
    let during = policy
        .evaluate(&ben, &history[..3], date(2025, 4, 1), Some((&ramp, hired)))
        .unwrap();
    assert!(during.is_empty());
    // After it, April and May count; March (ramping) breaks the run.
    let after = policy
        .evaluate(&ben, &history, date(2025, 6, 1), Some((&ramp, hired)))
        .unwrap();
    assert_eq!(
        due(&after),
        [(
            Action::Coaching,
            vec!["2025-04".to_string(), "2025-05".to_string()]
        )]
    );
    // Without the exemption the ramp months count too.
    let strict = policy
        .clone()
        .exempt_ramp(false)
        .evaluate(&ben, &history, date(2025, 6, 1), Some((&ramp, hired)))
        .unwrap();
    assert_eq!(due(&strict)[0].0, Action::WrittenWarning);
}

/// The region's quarter as of 14 February, on the back-loaded curve:
/// targets, credits, activity and actions.
fn region_progress_inputs() -> (salesplan::org::Org, Vec<(&'static str, &'static str)>) {
    let targets = vec![
        ("vp", "300000.00"),
        ("m1", "180000.00"),
        ("m2", "120000.00"),
        ("a1", "60000.00"),
        ("a2", "60000.00"),
        ("a3", "60000.00"),
        ("b1", "60000.00"),
        ("b2", "60000.00"),
    ];
    (region(), targets)
}

#[test]
fn team_progress_for_every_manager_of_the_region() {
    let (org, targets) = region_progress_inputs();
    let snapshot = org.as_of(date(2025, 2, 14)).unwrap();
    let targets = NodeValues::from_fn(&snapshot, |n| {
        usd(targets
            .iter()
            .find(|(p, _)| *p == n.id().as_str())
            .unwrap()
            .1)
    });
    let credits = vec![
        (pos("a1"), date(2025, 1, 20), usd("30000.00")),
        (pos("a2"), date(2025, 2, 3), usd("45000.00")),
        (pos("a3"), date(2025, 1, 9), usd("9000.00")),
        (pos("b1"), date(2025, 2, 10), usd("27000.00")),
        (pos("m1"), date(2025, 2, 11), usd("1000.00")),
        (pos("a1"), date(2025, 4, 2), usd("99999.00")), // next quarter
    ];
    let actual = sum_credits(
        &snapshot,
        &credits,
        SumOptions::new(Currency::USD).period(q1()),
    )
    .unwrap();
    let options = ProgressOptions::new(date(2025, 2, 14), seasonal_q1())
        .activity(vec![
            (ActivityKind::ColdCall, dec("1")),
            (ActivityKind::Meeting, dec("1")),
        ])
        .unwrap();
    // Calls and meetings to date (actual, prorated target).
    let mut activity = NodeValues::<KindTotals>::new(&snapshot);
    for (p, calls, meetings) in [
        ("a1", (600, 600), (31, 30)),
        ("a2", (540, 600), (24, 30)), // 90% and 80%: at risk
        ("a3", (240, 600), (6, 30)),
        ("b1", (600, 600), (30, 30)),
    ] {
        let mut t = KindTotals::new();
        t.add(0, calls.0, calls.1).unwrap();
        t.add(1, meetings.0, meetings.1).unwrap();
        activity.add(&pos(p), &t).unwrap();
    }
    let history = [
        PeriodResult {
            kind: PeriodKind::Month,
            period: Period::month(2024, 12).unwrap(),
            attainment: Ratio::Value(dec("0.5")),
        },
        month(1, "40"),
    ];
    let coaching = EscalationPolicy::standard()
        .evaluate(&holder("a3"), &history, date(2025, 2, 14), None)
        .unwrap();
    assert_eq!(coaching.len(), 1);
    let progress = TeamProgress::new(&targets, &actual, options)
        .unwrap()
        .with_activity(activity)
        .unwrap()
        .with_actions(coaching);
    assert_eq!(progress.expected_fraction(), dec("0.3"));
    let reports = progress.reports().unwrap();
    let managers: Vec<&str> = reports.iter().map(|r| r.manager.as_str()).collect();
    assert_eq!(managers, ["vp", "m1", "m2"]);

    let vp = &reports[0];
    assert_eq!(vp.actual, usd("112000.00"));
    assert_eq!(vp.expected, usd("90000.00"));
    assert_eq!(vp.pace.to_string(), "124.44%");
    assert_eq!(vp.projection, Some(usd("373333.33")));
    assert_eq!(vp.uncovered, usd("60000.00"));
    let vp_rows: Vec<(&str, String, String)> = vp
        .members
        .iter()
        .map(|m| {
            (
                m.position.as_str(),
                m.actual.to_string(),
                m.contribution.to_string(),
            )
        })
        .collect();
    assert_eq!(
        vp_rows,
        [
            ("m1", "85000.00 USD".to_string(), "75.89%".to_string()),
            ("m2", "27000.00 USD".into(), "24.11%".into()),
        ]
    );

    let m1 = &reports[1];
    assert_eq!(m1.holder, Some(holder("m1")));
    assert_eq!(m1.own_actual, usd("1000.00"));
    assert_eq!(m1.actual, usd("85000.00"));
    assert_eq!(m1.attainment.to_string(), "47.22%");
    type Row<'a> = (&'a str, Option<u32>, String, String, Status, String, usize);
    let rows: Vec<Row> = m1
        .members
        .iter()
        .map(|m| {
            (
                m.position.as_str(),
                m.rank,
                m.attainment.to_string(),
                m.pace.to_string(),
                m.status,
                m.activity.unwrap().to_string(),
                m.actions.len(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "a2",
                Some(1),
                "75%".into(),
                "250%".into(),
                Status::AtRisk,
                "85%".into(),
                0
            ),
            (
                "a1",
                Some(2),
                "50%".into(),
                "166.67%".into(),
                Status::OnTrack,
                "101.67%".into(),
                0
            ),
            (
                "a3",
                Some(3),
                "15%".into(),
                "50%".into(),
                Status::Behind,
                "30%".into(),
                1
            ),
        ]
    );
    assert_eq!(m1.uncovered, usd("0.00"));

    let m2 = &reports[2];
    assert_eq!(m2.uncovered, usd("60000.00"));
    let b2 = m2.members.iter().find(|m| m.position == pos("b2")).unwrap();
    assert_eq!(
        (b2.holder.as_ref(), b2.status, b2.rank),
        (None, Status::Behind, Some(2))
    );
    let text = m2.to_string();
    assert!(
        text.contains("uncovered quota (vacant seats): 60000.00 USD"),
        "{text}"
    );

    // One report on its own is the same as in the full run.
    let one = progress
        .report(snapshot.node(&pos("m1")).unwrap().index())
        .unwrap();
    assert_eq!(&one, m1);
}

#[test]
fn targets_and_seasonality_from_the_quota_plan() {
    let org = region();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let plan = QuotaPlan::new(
        2025,
        FiscalCalendar::gregorian(),
        Money::parse("1400000.00", Currency::USD).unwrap(),
    )
    .seasonality(
        salesplan::quota::Seasonality::monthly(
            [1, 1, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1].map(Decimal::from),
        )
        .unwrap(),
    );
    let quota = plan.cascade(&snapshot, &Measures::new()).unwrap();
    let targets = period_targets(&quota, &q1()).unwrap();
    for node in snapshot.nodes() {
        let want = (0..3)
            .map(|m| quota.month(node.index(), m).unwrap())
            .fold(Money::zero(Currency::USD), |a, b| a.checked_add(b).unwrap());
        assert_eq!(targets.get(node.index()), Some(&want), "{}", node.id());
    }
    let root = quota.split(snapshot.root().index()).unwrap();
    let curve =
        PaceCurve::from_months(root.months(), &q1(), WorkCalendar::monday_to_friday()).unwrap();
    // January and February are a fifth each of the quarter, March three.
    assert_eq!(
        curve.expected_fraction(date(2025, 2, 28)).unwrap(),
        dec("0.4")
    );
}

#[cfg(feature = "serde")]
#[test]
fn perf_types_round_trip_through_json() {
    fn round<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
        v: &T,
    ) {
        let json = serde_json::to_string(v).unwrap();
        let back: T = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, v, "{json}");
    }
    round(&seasonal_q1());
    round(&StatusBands::default());
    round(&EscalationPolicy::standard());
    round(&TenureBands::new(vec![6, 12]).unwrap());
    round(&pace(dec("100"), dec("45"), &seasonal_q1(), date(2025, 2, 14)).unwrap());
    let due = EscalationPolicy::standard()
        .evaluate(
            &person("ana"),
            &[month(1, "10"), month(2, "10")],
            date(2025, 3, 1),
            None,
        )
        .unwrap();
    round(&due);
    let r = |s: &str| Ratio::Value(dec(s));
    round(&rank(&[("a".to_string(), r("1")), ("b".to_string(), r("2"))]).unwrap());
    // Deserialization validates.
    assert!(serde_json::from_str::<StatusBands>(r#"{"on_track":"0.8","at_risk":"0.9"}"#).is_err());
    assert!(serde_json::from_str::<TenureBands>("[12, 6]").is_err());
    let bad_rule = r#"{"rules":[{"kind":"month","below":"0","consecutive":2,"action":"coaching"}],"exempt_ramp":true}"#;
    assert!(serde_json::from_str::<EscalationPolicy>(bad_rule).is_err());
}

/// Issue #27, defect 7: a quarterly target of 300,000.00 paced over 60
/// working days. At day 20 the expected-to-date is exactly a third of the
/// target and 90,000 booked is exactly 90% of pace. Before the fix the
/// elapsed share 20/60 was cut at 28 decimals before it multiplied, giving
/// 99,999.99999999999999999999999 and a pace of
/// 0.9000000000000000000000000001.
#[test]
fn pacing_300000_over_60_working_days_is_exact_at_day_20() {
    // 3 March 2025 (a Monday) to 23 May: twelve whole weeks, 60 working
    // days; the 20th ends on Friday 28 March.
    let quarter = Period::new(date(2025, 3, 3), date(2025, 5, 24)).unwrap();
    let work = WorkCalendar::monday_to_friday();
    assert_eq!(work.working_days(&quarter), 60);
    let day_20 = date(2025, 3, 28);
    let elapsed = Period::new(quarter.start(), date(2025, 3, 29)).unwrap();
    assert_eq!(work.working_days(&elapsed), 20);
    let curve = PaceCurve::working_days(quarter, work);
    let p = pace(dec("300000.00"), dec("90000"), &curve, day_20).unwrap();
    assert_eq!(p.expected, dec("100000"));
    assert_eq!(p.pace, Ratio::Value(dec("0.9")));
    assert_eq!(p.projection, Ratio::Value(dec("270000")));
    // A seasonal curve over the same days, by months of unequal weight:
    // the share is still one fraction, applied with one division.
    let months = [
        (
            Period::new(date(2025, 3, 3), date(2025, 4, 1)).unwrap(),
            dec("1"),
        ),
        (
            Period::new(date(2025, 4, 1), date(2025, 5, 24)).unwrap(),
            dec("2"),
        ),
    ];
    let seasonal = PaceCurve::weighted(months, WorkCalendar::monday_to_friday()).unwrap();
    // March has 21 working days from the 3rd, 20 of them done, and weighs
    // a third: 20/63 of 630,000 is exactly 200,000.
    let p = pace(dec("630000.00"), dec("180000"), &seasonal, day_20).unwrap();
    assert_eq!(p.expected, dec("200000"));
    assert_eq!(p.pace, Ratio::Value(dec("0.9")));
}

/// Issue #27, defect 7, in team reports: every seat's target 300,000.00
/// over 60 working days, a1 has booked 90,000 by the 20th. Pace is exactly
/// 90% (one division, the share applied first) and the team's expected and
/// projection are exact before they are rounded. Failed before: pace was
/// 0.9000000000000000000000000001.
#[test]
fn team_pace_over_60_working_days_is_exact_at_day_20() {
    let org = region();
    let snapshot = org.as_of(date(2025, 3, 28)).unwrap();
    let targets = NodeValues::from_fn(&snapshot, |_| usd("300000.00"));
    let credits = vec![(pos("a1"), date(2025, 3, 10), usd("90000.00"))];
    let actual = sum_credits(&snapshot, &credits, SumOptions::new(Currency::USD)).unwrap();
    let quarter = Period::new(date(2025, 3, 3), date(2025, 5, 24)).unwrap();
    let curve = PaceCurve::working_days(quarter, WorkCalendar::monday_to_friday());
    let progress = TeamProgress::new(
        &targets,
        &actual,
        ProgressOptions::new(date(2025, 3, 28), curve),
    )
    .unwrap();
    let m1 = progress
        .report(snapshot.node(&pos("m1")).unwrap().index())
        .unwrap();
    assert_eq!(m1.expected, usd("100000.00"));
    assert_eq!(m1.pace, Ratio::Value(dec("0.9")));
    assert_eq!(m1.projection, Some(usd("270000.00")));
    let a1 = m1.members.iter().find(|m| m.position == pos("a1")).unwrap();
    assert_eq!(a1.pace, Ratio::Value(dec("0.9")));
    assert_eq!(a1.status, Status::AtRisk);
}
