//! Worked activity examples: the 100 calls / 5 appointments week, holiday
//! and leave proration, person overrides, missing logs, funnel ratios,
//! the time log.

use rust_decimal::Decimal;
use salesplan::activity::{
    ActivityEntry, ActivityKind, ActivityTarget, Cadence, FunnelCounts, Ratio, ReviewOptions,
    ScoreWeights, TaskCategory, TimeEntry, Unit, WeekStatus, aggregate, review, time_shares,
};
use salesplan::org::Role;
use salesplan::{Period, PersonId};

use crate::common::{date, dec};
use crate::support::perf::{easter_week, plain_week, rep_plan, work};
use crate::support::person;

fn entry(who: &PersonId, kind: ActivityKind, day: u32, qty: i64) -> ActivityEntry {
    ActivityEntry::new(who.clone(), kind, date(2025, 4, day), qty).unwrap()
}

#[test]
fn the_100_calls_5_appointments_week() {
    let ana = person("ana");
    let log = [
        entry(&ana, ActivityKind::ColdCall, 7, 30),
        entry(&ana, ActivityKind::ColdCall, 9, 50),
        entry(&ana, ActivityKind::Meeting, 8, 4),
        entry(&ana, ActivityKind::Meeting, 10, 2),
    ];
    let rows = review(
        &[(ana.clone(), Role::SalesRep)],
        &rep_plan(),
        &log,
        &plain_week(),
        &ReviewOptions::new().work_calendar(work()),
    )
    .unwrap();
    let row = &rows[0];
    assert_eq!(row.status, WeekStatus::Submitted);
    let got: Vec<(String, u64, u64, String)> = row
        .lines
        .iter()
        .map(|l| {
            (
                l.kind.to_string(),
                l.actual.unwrap(),
                l.target.as_ref().unwrap().quantity(),
                l.attainment.unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("cold call".into(), 80, 100, "80%".into()),
            ("meeting".into(), 6, 5, "120%".into()),
        ]
    );
    // Equal weights: (0.8 + 1.2) / 2.
    assert_eq!(row.score, Some(Ratio::Value(Decimal::ONE)));
}

#[test]
fn holidays_and_leave_prorate_the_week() {
    // (week, absences, calls target, meetings target)
    let one_day = |d| Period::day(date(2025, 4, d)).unwrap();
    let table: [(Period, Vec<Period>, u64, u64); 5] = [
        (plain_week(), vec![], 100, 5),
        // Good Friday: 4 of 5 days.
        (easter_week(), vec![], 80, 4),
        // Good Friday and a day of leave: 3 of 5 -> 60 and 3.
        (easter_week(), vec![one_day(14)], 60, 3),
        // Leave on the holiday itself changes nothing.
        (easter_week(), vec![one_day(18)], 80, 4),
        // Monday and Tuesday off as well: 2 of 5 -> 40 and 2.
        (
            easter_week(),
            vec![Period::new(date(2025, 4, 14), date(2025, 4, 16)).unwrap()],
            40,
            2,
        ),
    ];
    let ana = person("ana");
    for (week, absences, calls, meetings) in table {
        let mut options = ReviewOptions::new().work_calendar(work());
        for a in &absences {
            options = options.absence(ana.clone(), *a);
        }
        let log =
            [ActivityEntry::new(ana.clone(), ActivityKind::ColdCall, week.start(), 1).unwrap()];
        let rows = review(
            &[(ana.clone(), Role::SalesRep)],
            &rep_plan(),
            &log,
            &week,
            &options,
        )
        .unwrap();
        let targets: Vec<u64> = rows[0]
            .lines
            .iter()
            .map(|l| l.target.as_ref().unwrap().quantity())
            .collect();
        assert_eq!(targets, [calls, meetings], "{week} {absences:?}");
    }
}

#[test]
fn proration_rounds_half_away_from_zero_to_whole_counts() {
    // (weekly quantity, days of leave in a plain Mon-Fri week, target)
    let table = [
        (100, 1, 80),
        (5, 1, 4),
        (5, 2, 3), // 3.0
        (3, 2, 2), // 1.8
        (7, 1, 6), // 5.6
        (7, 3, 3), // 2.8
        (1, 3, 0), // 0.4
        (1, 2, 1), // 0.6
        (9, 5, 0), // away all week
        (25, 1, 20),
    ];
    let week = plain_week();
    for (qty, leave, want) in table {
        let t = ActivityTarget::new(ActivityKind::Call, Cadence::Week, qty).unwrap();
        let away = if leave == 0 {
            vec![]
        } else {
            vec![Period::new(date(2025, 4, 7), date(2025, 4, 7 + leave)).unwrap()]
        };
        let p = t.over(&week, &work(), &away).unwrap();
        assert_eq!(p.quantity(), want, "{qty} with {leave} days off");
        assert_eq!(p.scheduled_days(), 5);
    }
    // Exact halves go away from zero: 3 a week on a Monday-Tuesday work
    // week, with the Tuesday off, is 1.5 -> 2.
    let two_days =
        salesplan::calendar::WorkCalendar::new([chrono::Weekday::Mon, chrono::Weekday::Tue])
            .unwrap();
    let t = ActivityTarget::new(ActivityKind::Call, Cadence::Week, 3).unwrap();
    let tuesday = [Period::day(date(2025, 4, 8)).unwrap()];
    assert_eq!(t.over(&week, &two_days, &tuesday).unwrap().quantity(), 2);
}

#[test]
fn monthly_and_daily_cadences_over_a_week() {
    let week = easter_week();
    // 4 a day over 4 working days; 42 a month (April has 22 weekdays, 21
    // working after Good Friday; the week has 4 available): 42 × 4/22.
    let daily = ActivityTarget::new(ActivityKind::Email, Cadence::Day, 4).unwrap();
    assert_eq!(daily.over(&week, &work(), &[]).unwrap().quantity(), 16);
    let monthly = ActivityTarget::new(ActivityKind::Demo, Cadence::Month, 42).unwrap();
    let p = monthly.over(&week, &work(), &[]).unwrap();
    assert_eq!((p.available_days(), p.scheduled_days()), (4, 22));
    assert_eq!(p.quantity(), 8); // 7.63 -> 8
    assert_eq!(p.to_string(), "42 demo per month × 4/22 days = 8");
}

#[test]
fn person_overrides_replace_the_role_target_for_their_kind() {
    let ana = person("ana");
    let plan = rep_plan()
        .person(
            ana.clone(),
            ActivityTarget::new(ActivityKind::ColdCall, Cadence::Week, 60).unwrap(),
        )
        .person(
            ana.clone(),
            ActivityTarget::new(ActivityKind::Demo, Cadence::Week, 2).unwrap(),
        );
    let mine: Vec<(ActivityKind, u32)> = plan
        .targets(&Role::SalesRep, &ana)
        .iter()
        .map(|t| (t.kind().clone(), t.quantity()))
        .collect();
    assert_eq!(
        mine,
        [
            (ActivityKind::ColdCall, 60),
            (ActivityKind::Meeting, 5),
            (ActivityKind::Demo, 2)
        ]
    );
    let theirs = plan.targets(&Role::SalesRep, &person("bo"));
    assert_eq!(theirs.len(), 2);
    assert!(plan.targets(&Role::TeamLead, &person("bo")).is_empty());
}

#[test]
fn a_rep_with_no_log_is_flagged_not_zero() {
    let (ana, bo, cy) = (person("ana"), person("bo"), person("cy"));
    let log = [
        entry(&ana, ActivityKind::ColdCall, 7, 100),
        // Cy submitted, with nothing in it: zero, not missing.
        entry(&cy, ActivityKind::ColdCall, 7, 0),
        // Bo logged, but the week after.
        entry(&bo, ActivityKind::ColdCall, 14, 90),
    ];
    let people = [
        (cy.clone(), Role::SalesRep),
        (bo.clone(), Role::SalesRep),
        (ana.clone(), Role::SalesRep),
    ];
    let rows = review(
        &people,
        &rep_plan(),
        &log,
        &plain_week(),
        &ReviewOptions::new(),
    )
    .unwrap();
    let status: Vec<(&str, WeekStatus)> =
        rows.iter().map(|r| (r.person.as_str(), r.status)).collect();
    assert_eq!(
        status,
        [
            ("ana", WeekStatus::Submitted),
            ("bo", WeekStatus::Missing),
            ("cy", WeekStatus::Submitted)
        ]
    );
    assert!(
        rows[1]
            .lines
            .iter()
            .all(|l| l.actual.is_none() && l.attainment.is_none())
    );
    assert_eq!(rows[1].score, None);
    assert_eq!(rows[1].to_string(), "bo (sales rep): NO LOG SUBMITTED");
    assert_eq!(rows[2].lines[0].attainment.unwrap().to_string(), "0%");
    // Activity of a kind without a target: a zero denominator, shown.
    let extra = [entry(&ana, ActivityKind::SiteVisit, 8, 2)];
    let rows = review(
        &people[2..],
        &rep_plan(),
        &extra,
        &plain_week(),
        &ReviewOptions::new(),
    )
    .unwrap();
    let visit = rows[0].lines.last().unwrap();
    assert_eq!(visit.kind, ActivityKind::SiteVisit);
    assert_eq!(
        visit.attainment,
        Some(Ratio::ZeroDenominator {
            numerator: Decimal::from(2)
        })
    );
}

#[test]
fn weighted_score_across_kinds() {
    // (weights: calls, meetings; calls, meetings logged; score)
    let table = [
        ("1", "1", 80, 6, "100%"),
        ("1", "3", 80, 6, "110%"),
        ("0", "1", 10, 5, "100%"),
        ("2", "0", 50, 0, "50%"),
    ];
    for (wc, wm, calls, meetings, want) in table {
        let w = ScoreWeights::only()
            .with(ActivityKind::ColdCall, dec(wc))
            .unwrap()
            .with(ActivityKind::Meeting, dec(wm))
            .unwrap();
        let s = w
            .score(&[
                (ActivityKind::ColdCall, calls, 100),
                (ActivityKind::Meeting, meetings, 5),
            ])
            .unwrap();
        assert_eq!(s.to_string(), want);
    }
    // No targets at all: a zero denominator.
    let none = ScoreWeights::equal()
        .score(&[(ActivityKind::Call, 5, 0)])
        .unwrap();
    assert_eq!(none.value(), None);
}

/// Issue #27, defect 7: the score divided each kind's actual by its target
/// before weighting, and again by the total weight, so 245 of 42 calls at
/// weight 8 and 190 of 300 meetings at weight 4 scored
/// 4.0999999999999999999999999999 instead of exactly 4.1 (410%). It is
/// now one fraction over the targets' common multiple, divided once.
#[test]
fn the_weighted_score_is_exact_when_its_value_is() {
    let w = ScoreWeights::only()
        .with(ActivityKind::ColdCall, dec("8"))
        .unwrap()
        .with(ActivityKind::Meeting, dec("4"))
        .unwrap();
    let lines = [
        (ActivityKind::ColdCall, 245, 42),
        (ActivityKind::Meeting, 190, 300),
    ];
    // (8 × 245/42 + 4 × 190/300) / 12 = 103320 / 25200 = 4.1
    assert_eq!(w.score(&lines).unwrap(), Ratio::Value(dec("4.1")));
    // Decimal weights too: (0.3 × 1/3 + 0.7 × 0/1) / 1 = 0.1 exactly.
    let w = ScoreWeights::only()
        .with(ActivityKind::Call, dec("0.3"))
        .unwrap()
        .with(ActivityKind::Demo, dec("0.7"))
        .unwrap();
    let s = w
        .score(&[(ActivityKind::Call, 1, 3), (ActivityKind::Demo, 0, 1)])
        .unwrap();
    assert_eq!(s.value().map(|v| v.normalize()), Some(dec("0.1")));
}

/// A common denominator too large for a `Decimal` (targets whose least
/// common multiple passes 10^28) still scores: each term divides once.
#[test]
fn a_score_over_huge_coprime_targets_still_comes_out() {
    let kinds = [
        ActivityKind::Call,
        ActivityKind::ColdCall,
        ActivityKind::Email,
        ActivityKind::Meeting,
    ];
    // Four primes near 10^9: their product is about 10^36.
    let targets = [
        1_000_000_007u64,
        1_000_000_009,
        1_000_000_021,
        1_000_000_033,
    ];
    let lines: Vec<(ActivityKind, u64, u64)> = kinds
        .iter()
        .zip(targets)
        .map(|(k, t)| (k.clone(), t, t))
        .collect();
    // Every kind at exactly 100%: the score is 1.
    let s = ScoreWeights::equal().score(&lines).unwrap();
    assert_eq!(s.value().map(|v| v.normalize()), Some(Decimal::ONE));
}

#[test]
fn funnel_ratios_per_person_and_team() {
    let ana = FunnelCounts {
        calls: 400,
        appointments: 20,
        opportunities: 8,
        wins: 2,
    };
    let bo = FunnelCounts {
        calls: 100,
        appointments: 0,
        opportunities: 0,
        wins: 0,
    };
    let r = ana.ratios().unwrap();
    assert_eq!(
        [
            r.call_to_appointment,
            r.appointment_to_opportunity,
            r.opportunity_to_win,
            r.call_to_win
        ]
        .map(|x| x.to_string()),
        ["5%", "40%", "25%", "0.5%"]
    );
    let b = bo.ratios().unwrap();
    assert_eq!(b.call_to_appointment.to_string(), "0%");
    assert_eq!(
        b.appointment_to_opportunity,
        Ratio::ZeroDenominator {
            numerator: Decimal::ZERO
        }
    );
    let team = ana.checked_add(bo).unwrap().ratios().unwrap();
    assert_eq!(team.call_to_appointment.to_string(), "4%");
}

#[test]
fn the_managers_week_in_paperwork() {
    let mia = person("mia");
    let d = |day| date(2025, 4, day);
    let log = [
        (TaskCategory::Administration, 7, 240),
        (TaskCategory::Reporting, 7, 180),
        (TaskCategory::Coaching, 8, 120),
        (TaskCategory::Meetings, 9, 300),
        (TaskCategory::Selling, 10, 240),
        (TaskCategory::Travel, 11, 120),
        (TaskCategory::Administration, 11, 240),
        (TaskCategory::Selling, 14, 480), // next week
    ]
    .map(|(c, day, m)| TimeEntry::new(mia.clone(), c, d(day), m).unwrap());
    let shares = time_shares(&log, &mia, &plain_week()).unwrap();
    assert_eq!(shares.total_minutes, 1440);
    let got: Vec<(String, u64, String)> = shares
        .shares
        .iter()
        .map(|s| (s.category.to_string(), s.minutes, s.share.to_string()))
        .collect();
    assert_eq!(
        got,
        [
            ("selling".to_string(), 240, "16.67%".to_string()),
            ("coaching".into(), 120, "8.33%".into()),
            ("administration".into(), 480, "33.33%".into()),
            ("reporting".into(), 180, "12.5%".into()),
            ("meetings".into(), 300, "20.83%".into()),
            ("travel".into(), 120, "8.33%".into()),
        ]
    );
    let nobody = time_shares(&log, &person("zed"), &plain_week()).unwrap();
    assert!(nobody.shares.iter().all(|s| s.share.value().is_none()));
}

#[test]
fn weekly_tallies_and_custom_kinds() {
    let ana = person("ana");
    let webinar = ActivityKind::custom("webinar", Unit::Minutes).unwrap();
    assert_eq!(webinar.unit(), Unit::Minutes);
    assert_eq!(ActivityKind::Demo.unit(), Unit::Count);
    let log = [
        entry(&ana, webinar.clone(), 7, 45),
        entry(&ana, webinar.clone(), 13, 30),
        entry(&ana, webinar.clone(), 14, 60),
        entry(&ana, ActivityKind::Call, 8, 12),
    ];
    let weeks = aggregate(&log).unwrap();
    let got: Vec<(String, String, u64)> = weeks
        .iter()
        .map(|w| (w.week.start().to_string(), w.kind.to_string(), w.quantity))
        .collect();
    assert_eq!(
        got,
        [
            ("2025-04-07".to_string(), "call".to_string(), 12),
            ("2025-04-07".into(), "webinar".into(), 75),
            ("2025-04-14".into(), "webinar".into(), 60),
        ]
    );
}

#[cfg(feature = "serde")]
#[test]
fn activity_types_round_trip_through_json() {
    fn round<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
        v: &T,
    ) {
        let json = serde_json::to_string(v).unwrap();
        let back: T = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, v, "{json}");
    }
    let ana = person("ana");
    let webinar = ActivityKind::custom("webinar", Unit::Minutes).unwrap();
    round(&webinar);
    round(&rep_plan());
    round(&entry(&ana, ActivityKind::Call, 7, 3));
    round(&TimeEntry::new(ana.clone(), TaskCategory::Travel, date(2025, 4, 7), 30).unwrap());
    round(
        &ScoreWeights::equal()
            .with(ActivityKind::Meeting, dec("3"))
            .unwrap(),
    );
    round(
        &ReviewOptions::new()
            .work_calendar(work())
            .absence(ana.clone(), plain_week()),
    );
    let rows = review(
        &[(ana.clone(), Role::SalesRep)],
        &rep_plan(),
        &[entry(&ana, ActivityKind::ColdCall, 7, 80)],
        &plain_week(),
        &ReviewOptions::new(),
    )
    .unwrap();
    round(&rows);
    // Deserialization validates.
    let bad = r#"{"person":"ana","kind":"call","date":"2025-04-07","quantity":-1}"#;
    assert!(serde_json::from_str::<ActivityEntry>(bad).is_err());
    let bad = r#"{"kind":"call","cadence":"week","quantity":0}"#;
    assert!(serde_json::from_str::<ActivityTarget>(bad).is_err());
    let bad = r#"{"custom":{"name":"","unit":"count"}}"#;
    assert!(serde_json::from_str::<ActivityKind>(bad).is_err());
}

/// Optional fields default uniformly: a plan without people, weights
/// without a default (1) or without weights, options without anything.
#[cfg(feature = "serde")]
#[test]
fn activity_data_leaves_optional_fields_out() {
    use salesplan::activity::TargetPlan;
    let plan: TargetPlan = serde_json::from_str(
        r#"{"roles": [["sales_rep", {"kind": "meeting", "cadence": "week", "quantity": 5}]]}"#,
    )
    .unwrap();
    assert_eq!(
        plan,
        TargetPlan::new().role(
            Role::SalesRep,
            ActivityTarget::new(ActivityKind::Meeting, Cadence::Week, 5).unwrap()
        )
    );
    assert_eq!(
        serde_json::from_str::<TargetPlan>("{}").unwrap(),
        TargetPlan::new()
    );
    let w: ScoreWeights = serde_json::from_str(r#"{"weights": [["demo", "2"]]}"#).unwrap();
    assert_eq!(
        w,
        ScoreWeights::equal()
            .with(ActivityKind::Demo, dec("2"))
            .unwrap()
    );
    let only: ScoreWeights = serde_json::from_str(r#"{"default": "0"}"#).unwrap();
    assert_eq!(only, ScoreWeights::only());
    assert_eq!(
        serde_json::from_str::<ReviewOptions>("{}").unwrap(),
        ReviewOptions::new()
    );
    // A plan read back keeps the builder's order whatever the order given.
    let shuffled: TargetPlan = serde_json::from_str(
        r#"{"people": [["bo", {"kind": "call", "cadence": "week", "quantity": 1}],
                       ["ana", {"kind": "demo", "cadence": "week", "quantity": 2}],
                       ["ana", {"kind": "call", "cadence": "week", "quantity": 3}]]}"#,
    )
    .unwrap();
    let built = TargetPlan::new()
        .person(
            PersonId::new("bo").unwrap(),
            ActivityTarget::new(ActivityKind::Call, Cadence::Week, 1).unwrap(),
        )
        .person(
            PersonId::new("ana").unwrap(),
            ActivityTarget::new(ActivityKind::Demo, Cadence::Week, 2).unwrap(),
        )
        .person(
            PersonId::new("ana").unwrap(),
            ActivityTarget::new(ActivityKind::Call, Cadence::Week, 3).unwrap(),
        );
    assert_eq!(shuffled, built);
}
