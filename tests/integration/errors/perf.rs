//! Performance: every bad input names the dates, periods and values
//! involved.

use rust_decimal::Decimal;
use salesplan::calendar::{FiscalCalendar, WorkCalendar};
use salesplan::perf::{
    Action, EscalationPolicy, EscalationRule, PaceCurve, PeriodKind, PeriodResult, ProgressOptions,
    Ratio, StatusBands, TeamProgress, TenureBands, attainment, pace, period_targets,
};
use salesplan::quota::{Measures, QuotaPlan};
use salesplan::rollup::{NodeValues, SumOptions, sum_credits};
use salesplan::{Currency, Error, Money, PerfError, Period};

use crate::common::{date, dec};
use crate::support::credit::usd;
use crate::support::perf::{q1, region};
use crate::support::person;

fn checked(e: PerfError) -> PerfError {
    assert_eq!(PerfError::try_from(Error::from(e.clone())).unwrap(), e);
    assert!(!e.to_string().is_empty());
    e
}

#[test]
fn thresholds_out_of_order_are_rejected() {
    // (on track, at risk)
    for (on, risk) in [("0.85", "1"), ("1", "1"), ("1", "-0.1")] {
        let e = checked(StatusBands::new(dec(on), dec(risk)).unwrap_err());
        assert_eq!(
            e,
            PerfError::ThresholdsOutOfOrder {
                on_track: dec(on),
                at_risk: dec(risk)
            }
        );
    }
    assert!(StatusBands::new(dec("1"), Decimal::ZERO).is_ok());
}

#[test]
fn an_as_of_date_outside_the_period_is_rejected() {
    let curve = PaceCurve::working_days(q1(), WorkCalendar::monday_to_friday());
    for as_of in [date(2024, 12, 31), date(2025, 4, 1)] {
        let e = checked(pace(dec("100"), dec("5"), &curve, as_of).unwrap_err());
        assert_eq!(
            e,
            PerfError::AsOfOutsidePeriod {
                as_of,
                period: q1()
            }
        );
    }
    // The team report checks it too.
    let org = region();
    let snapshot = org.as_of(date(2025, 2, 1)).unwrap();
    let targets = NodeValues::from_fn(&snapshot, |_| usd("100.00"));
    let actual = sum_credits::<(salesplan::PositionId, chrono::NaiveDate, Money)>(
        &snapshot,
        &[],
        SumOptions::new(Currency::USD),
    )
    .unwrap();
    let e = checked(
        TeamProgress::new(
            &targets,
            &actual,
            ProgressOptions::new(date(2025, 4, 1), curve),
        )
        .unwrap_err(),
    );
    assert_eq!(
        e,
        PerfError::AsOfOutsidePeriod {
            as_of: date(2025, 4, 1),
            period: q1()
        }
    );
}

#[test]
fn negative_targets_are_rejected() {
    let e = checked(attainment(dec("5"), dec("-10")).unwrap_err());
    assert_eq!(e, PerfError::NegativeTarget { target: dec("-10") });
    let curve = PaceCurve::working_days(q1(), WorkCalendar::monday_to_friday());
    let e = checked(pace(dec("-1"), dec("5"), &curve, date(2025, 2, 1)).unwrap_err());
    assert_eq!(e, PerfError::NegativeTarget { target: dec("-1") });
    let org = region();
    let snapshot = org.as_of(date(2025, 2, 1)).unwrap();
    let targets = NodeValues::from_fn(&snapshot, |n| {
        if n.id().as_str() == "a2" {
            usd("-5.00")
        } else {
            usd("5.00")
        }
    });
    let actual = sum_credits::<(salesplan::PositionId, chrono::NaiveDate, Money)>(
        &snapshot,
        &[],
        SumOptions::new(Currency::USD),
    )
    .unwrap();
    let e = checked(
        TeamProgress::new(
            &targets,
            &actual,
            ProgressOptions::new(date(2025, 2, 1), curve),
        )
        .unwrap_err(),
    );
    assert_eq!(
        e,
        PerfError::NegativeTarget {
            target: dec("-5.00")
        }
    );
}

#[test]
fn bad_pace_curves_are_rejected() {
    let work = WorkCalendar::monday_to_friday();
    let m = |month| Period::month(2025, month).unwrap();
    let e = checked(PaceCurve::weighted([], work.clone()).unwrap_err());
    assert_eq!(e, PerfError::EmptyCurve);
    let e = checked(
        PaceCurve::weighted([(m(1), dec("1")), (m(3), dec("1"))], work.clone()).unwrap_err(),
    );
    assert_eq!(
        e,
        PerfError::CurveGap {
            before: m(1),
            after: m(3)
        }
    );
    let e = checked(
        PaceCurve::weighted([(m(1), dec("1")), (m(2), dec("-1"))], work.clone()).unwrap_err(),
    );
    assert_eq!(
        e,
        PerfError::NegativeWeight {
            period: m(2),
            weight: dec("-1")
        }
    );
    let e = checked(PaceCurve::weighted([(m(1), dec("0"))], work.clone()).unwrap_err());
    assert_eq!(e, PerfError::ZeroWeights);
    let half = Period::new(date(2025, 1, 1), date(2025, 2, 15)).unwrap();
    let months: Vec<(Period, Money)> = (1..=3).map(|i| (m(i), usd("10.00"))).collect();
    let e = checked(PaceCurve::from_months(&months, &half, work).unwrap_err());
    assert_eq!(e, PerfError::NotWholeMonths { period: half });
}

#[test]
fn period_targets_need_whole_plan_months() {
    let org = region();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("1200000.00"));
    let quota = plan.cascade(&snapshot, &Measures::new()).unwrap();
    let half = Period::new(date(2025, 1, 1), date(2025, 2, 15)).unwrap();
    let e = checked(period_targets(&quota, &half).map(|_| ()).unwrap_err());
    assert_eq!(e, PerfError::NotWholeMonths { period: half });
}

#[test]
fn bad_escalation_rules_and_histories_are_rejected() {
    for (below, n) in [("0", 2), ("-0.5", 2), ("0.7", 0)] {
        let e = checked(
            EscalationRule::new(PeriodKind::Month, dec(below), n, Action::Coaching).unwrap_err(),
        );
        assert_eq!(
            e,
            PerfError::InvalidRule {
                below: dec(below),
                consecutive: n
            }
        );
    }
    let m = |month| PeriodResult {
        kind: PeriodKind::Month,
        period: Period::month(2025, month).unwrap(),
        attainment: Ratio::Value(dec("0.5")),
    };
    let mut overlapping = m(2);
    overlapping.period = Period::new(date(2025, 1, 15), date(2025, 2, 15)).unwrap();
    let e = checked(
        EscalationPolicy::standard()
            .evaluate(&person("ana"), &[m(1), overlapping], date(2025, 6, 1), None)
            .unwrap_err(),
    );
    assert_eq!(
        e,
        PerfError::HistoryOverlap {
            first: m(1).period,
            second: overlapping.period
        }
    );
    let e = checked(TenureBands::new(vec![12, 12]).unwrap_err());
    assert_eq!(
        e,
        PerfError::TenureBandsOutOfOrder {
            months: vec![12, 12]
        }
    );
    let e = checked(TenureBands::new(vec![0, 12]).unwrap_err());
    assert_eq!(
        e,
        PerfError::TenureBandsOutOfOrder {
            months: vec![0, 12]
        }
    );
}

#[test]
fn too_many_activity_kinds_are_rejected() {
    let curve = PaceCurve::working_days(q1(), WorkCalendar::monday_to_friday());
    let kinds: Vec<_> = (0..9)
        .map(|i| {
            (
                salesplan::activity::ActivityKind::custom(
                    &format!("k{i}"),
                    salesplan::activity::Unit::Count,
                )
                .unwrap(),
                dec("1"),
            )
        })
        .collect();
    let e = checked(
        ProgressOptions::new(date(2025, 2, 1), curve)
            .activity(kinds)
            .unwrap_err(),
    );
    assert_eq!(e, PerfError::KindSlot { slot: 9, max: 8 });
    let mut t = salesplan::perf::KindTotals::new();
    let e = checked(t.add(8, 1, 1).unwrap_err());
    assert_eq!(e, PerfError::KindSlot { slot: 8, max: 8 });
}

/// Issue #27, defect 2: every performance type read from JSON refuses a
/// field it does not know, naming it. Failed before: the field was dropped
/// (a misspelled `exempt_ramp` left ramping exempt).
#[cfg(feature = "serde")]
#[test]
fn unknown_fields_are_refused_by_every_perf_type() {
    use super::calendar::refuses_an_unknown_field;
    use salesplan::perf::{Figure, rank};
    let work = WorkCalendar::monday_to_friday();
    let m = |month| Period::month(2025, month).unwrap();
    let curve = PaceCurve::weighted(
        [(m(1), dec("20")), (m(2), dec("20")), (m(3), dec("60"))],
        work,
    )
    .unwrap();
    refuses_an_unknown_field(&curve);
    refuses_an_unknown_field(&StatusBands::default());
    let rule = EscalationRule::new(PeriodKind::Month, dec("0.7"), 2, Action::Coaching).unwrap();
    refuses_an_unknown_field(&rule);
    refuses_an_unknown_field(&EscalationPolicy::standard());
    let result = PeriodResult {
        kind: PeriodKind::Month,
        period: m(1),
        attainment: Ratio::Value(dec("0.5")),
    };
    refuses_an_unknown_field(&result);
    refuses_an_unknown_field(&Figure {
        period: m(1),
        attainment: Ratio::Value(dec("0.5")),
    });
    let history = [
        result,
        PeriodResult {
            period: m(2),
            ..result
        },
    ];
    for due in EscalationPolicy::standard()
        .evaluate(&person("ana"), &history, date(2025, 3, 1), None)
        .unwrap()
    {
        refuses_an_unknown_field(&due);
    }
    refuses_an_unknown_field(&pace(dec("100"), dec("45"), &curve, date(2025, 2, 14)).unwrap());
    let r = |s: &str| Ratio::Value(dec(s));
    for ranked in rank(&[("a".to_string(), r("1")), ("b".to_string(), r("2"))]).unwrap() {
        refuses_an_unknown_field(&ranked);
    }
    let org = region();
    let snapshot = org.as_of(date(2025, 2, 1)).unwrap();
    let targets = NodeValues::from_fn(&snapshot, |_| usd("100.00"));
    let actual = sum_credits(
        &snapshot,
        &[(
            salesplan::PositionId::new("a1").unwrap(),
            date(2025, 1, 9),
            usd("30.00"),
        )],
        SumOptions::new(Currency::USD),
    )
    .unwrap();
    let progress = TeamProgress::new(
        &targets,
        &actual,
        ProgressOptions::new(date(2025, 2, 14), curve.clone()),
    )
    .unwrap();
    for report in progress.reports().unwrap() {
        for member in &report.members {
            refuses_an_unknown_field(member);
        }
        refuses_an_unknown_field(&report);
    }
    // Inside a curve's parts, and the issue's misspelling of a policy.
    let json = serde_json::to_string(&curve).unwrap().replacen(
        r#""weight":"#,
        r#""surplus":1,"weight":"#,
        1,
    );
    let err = serde_json::from_str::<PaceCurve>(&json).unwrap_err();
    assert!(err.to_string().contains("unknown field `surplus`"), "{err}");
    let err = serde_json::from_str::<EscalationPolicy>(r#"{"rules": [], "exempt_ramps": false}"#)
        .unwrap_err();
    assert!(
        err.to_string().contains("unknown field `exempt_ramps`"),
        "{err}"
    );
}

/// A policy's optional fields default as `EscalationPolicy::new`: no rules,
/// ramping exempt.
#[cfg(feature = "serde")]
#[test]
fn optional_policy_fields_default_like_the_constructor() {
    assert_eq!(
        serde_json::from_str::<EscalationPolicy>("{}").unwrap(),
        EscalationPolicy::new()
    );
    let no_exemption: EscalationPolicy = serde_json::from_str(r#"{"exempt_ramp": false}"#).unwrap();
    assert_eq!(no_exemption, EscalationPolicy::new().exempt_ramp(false));
}
