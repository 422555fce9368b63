//! Activity: every bad input names the person, kind and value involved.

use rust_decimal::Decimal;
use salesplan::activity::{
    ActivityEntry, ActivityKind, ActivityTarget, Cadence, ReviewOptions, ScoreWeights,
    TaskCategory, TimeEntry, Unit, review,
};
use salesplan::org::Role;
use salesplan::{ActivityError, Error};

use crate::common::{date, dec};
use crate::support::perf::{plain_week, rep_plan};
use crate::support::person;

/// Converts into the umbrella error and back unchanged.
fn checked(e: ActivityError) -> ActivityError {
    assert_eq!(ActivityError::try_from(Error::from(e.clone())).unwrap(), e);
    assert!(!e.to_string().is_empty());
    e
}

#[test]
fn zero_or_negative_targets_are_rejected() {
    for q in [0, -5, i64::from(u32::MAX) + 1] {
        let e = checked(ActivityTarget::new(ActivityKind::ColdCall, Cadence::Week, q).unwrap_err());
        assert_eq!(
            e,
            ActivityError::NonPositiveTarget {
                kind: ActivityKind::ColdCall,
                quantity: q
            }
        );
    }
}

#[test]
fn negative_activity_counts_are_rejected() {
    let e = checked(
        ActivityEntry::new(person("ana"), ActivityKind::Meeting, date(2025, 4, 7), -2).unwrap_err(),
    );
    assert_eq!(
        e,
        ActivityError::NegativeQuantity {
            person: person("ana"),
            kind: ActivityKind::Meeting,
            date: date(2025, 4, 7),
            quantity: -2
        }
    );
    let e = checked(
        TimeEntry::new(person("mia"), TaskCategory::Travel, date(2025, 4, 8), -30).unwrap_err(),
    );
    assert_eq!(
        e,
        ActivityError::NegativeMinutes {
            person: person("mia"),
            date: date(2025, 4, 8),
            minutes: -30
        }
    );
}

#[test]
fn activity_for_an_unknown_person_is_rejected() {
    let log = [
        ActivityEntry::new(person("ana"), ActivityKind::Call, date(2025, 4, 7), 3).unwrap(),
        // Outside the week, but still nobody the review knows.
        ActivityEntry::new(person("zed"), ActivityKind::Call, date(2025, 5, 7), 3).unwrap(),
    ];
    let e = checked(
        review(
            &[(person("ana"), Role::SalesRep)],
            &rep_plan(),
            &log,
            &plain_week(),
            &ReviewOptions::new(),
        )
        .unwrap_err(),
    );
    assert_eq!(
        e,
        ActivityError::UnknownPerson {
            person: person("zed"),
            date: date(2025, 5, 7)
        }
    );
}

#[test]
fn bad_kind_names_and_weights_are_rejected() {
    for name in ["", " webinar", "web\ninar", &"x".repeat(65)] {
        let e = checked(ActivityKind::custom(name, Unit::Count).unwrap_err());
        assert_eq!(
            e,
            ActivityError::InvalidKindName {
                name: name.to_string()
            }
        );
    }
    let e = checked(
        ScoreWeights::equal()
            .with(ActivityKind::Demo, dec("-1"))
            .unwrap_err(),
    );
    assert_eq!(
        e,
        ActivityError::NegativeWeight {
            kind: Some(ActivityKind::Demo),
            weight: dec("-1")
        }
    );
    // Zero is a weight (the kind does not count).
    assert!(
        ScoreWeights::equal()
            .with(ActivityKind::Demo, Decimal::ZERO)
            .is_ok()
    );
}

#[test]
fn week_grid_keys_and_dates_outside_the_table_are_rejected() {
    use salesplan::activity::WeekGrid;
    let mut grid = WeekGrid::new(date(2025, 1, 1), 2, 3, 2).unwrap();
    // The weeks run from Monday 30 December 2024 to Sunday 12 January.
    let e = checked(grid.add(0, date(2025, 1, 13), 0, 1).unwrap_err());
    assert_eq!(
        e,
        ActivityError::OutsideGrid {
            date: date(2025, 1, 13),
            first: date(2024, 12, 30),
            weeks: 2
        }
    );
    let e = checked(grid.add(3, date(2025, 1, 2), 1, 1).unwrap_err());
    assert_eq!(
        e,
        ActivityError::UnknownKey {
            person: 3,
            kind: 1,
            people: 3,
            kinds: 2
        }
    );
    // A stream stops at its first bad entry, keeping those before it.
    let stream = [
        (0, date(2025, 1, 2), 0, 5),
        (1, date(2025, 1, 2), 2, 5),
        (2, date(2025, 1, 2), 0, 5),
    ];
    let e = checked(grid.extend(stream).unwrap_err());
    assert_eq!(
        e,
        ActivityError::UnknownKey {
            person: 1,
            kind: 2,
            people: 3,
            kinds: 2
        }
    );
    assert_eq!((grid.week(0, 0, 0), grid.week(2, 0, 0)), (Some(5), Some(0)));
    // A key outside the table is no count, not a count of zero.
    assert_eq!((grid.week(3, 0, 0), grid.week(0, 0, 2)), (None, None));
    assert_eq!(grid.through(3, 0, chrono::NaiveDate::MAX), None);
}

/// Issue #27, defect 8: a grid of zero weeks accepted any number of people
/// and kinds (their product was never checked), and `totals_through` then
/// asked for a vector of `usize::MAX` totals and panicked. A grid beyond
/// `u32::MAX` weeks is refused too, which keeps every sum over its weeks
/// within `u64`.
#[test]
fn week_grids_too_large_to_count_are_refused() {
    use salesplan::activity::WeekGrid;
    let e = checked(WeekGrid::new(date(2025, 1, 1), 0, usize::MAX, 2).unwrap_err());
    assert_eq!(e, ActivityError::Overflow { what: "week grid" });
    let weeks = usize::try_from(u64::from(u32::MAX) + 1).unwrap();
    let e = checked(WeekGrid::new(date(2025, 1, 1), weeks, 0, 0).unwrap_err());
    assert_eq!(e, ActivityError::Overflow { what: "week grid" });
    // Up to u32::MAX weeks of nobody is fine (and holds nothing).
    let empty = WeekGrid::new(date(2025, 1, 1), 10, 0, 3).unwrap();
    assert!(empty.totals_through(date(2025, 3, 1)).is_empty());
}

/// Issue #27, defect 2: a target plan or score weights read from data that
/// give one role, person or kind twice are refused, naming them, instead
/// of the later silently replacing the earlier.
#[cfg(feature = "serde")]
#[test]
fn data_that_says_two_things_at_once_is_refused() {
    use salesplan::activity::TargetPlan;
    let expect = |err: serde_json::Error, want: ActivityError| {
        let want = checked(want);
        assert!(
            err.to_string().starts_with(&want.to_string()),
            "{err} does not report {want}"
        );
    };
    let plan = |json: &str| serde_json::from_str::<TargetPlan>(json).unwrap_err();
    expect(
        plan(
            r#"{"roles": [
            ["team_lead", {"kind": "demo", "cadence": "week", "quantity": 2}],
            ["sales_rep", {"kind": "call", "cadence": "week", "quantity": 10}],
            ["sales_rep", {"kind": "call", "cadence": "day", "quantity": 2}]
        ]}"#,
        ),
        ActivityError::DuplicateRoleTarget {
            role: Role::SalesRep,
            kind: ActivityKind::Call,
        },
    );
    expect(
        plan(
            r#"{"people": [
            ["ana", {"kind": "meeting", "cadence": "week", "quantity": 4}],
            ["ana", {"kind": "meeting", "cadence": "month", "quantity": 15}]
        ]}"#,
        ),
        ActivityError::DuplicatePersonTarget {
            person: person("ana"),
            kind: ActivityKind::Meeting,
        },
    );
    expect(
        serde_json::from_str::<ScoreWeights>(
            r#"{"weights": [["demo", "2"], ["call", "1"], ["demo", "3"]]}"#,
        )
        .unwrap_err(),
        ActivityError::DuplicateWeight {
            kind: ActivityKind::Demo,
            first: dec("2"),
            second: dec("3"),
        },
    );
}

/// Issue #27, defect 2: every activity input type refuses an unknown field
/// and names it (a misspelled field used to be dropped silently).
#[cfg(feature = "serde")]
#[test]
fn unknown_fields_are_refused_on_every_activity_input() {
    use salesplan::activity::{FunnelCounts, TargetPlan};
    use serde::de::DeserializeOwned;
    fn refuses<T: DeserializeOwned + std::fmt::Debug>(json: &str, field: &str) {
        let err = serde_json::from_str::<T>(json).unwrap_err().to_string();
        assert!(
            err.contains(&format!("unknown field `{field}`")),
            "{}: {err}",
            std::any::type_name::<T>()
        );
    }
    refuses::<ActivityKind>(
        r#"{"custom": {"name": "webinar", "unit": "minutes", "units": "count"}}"#,
        "units",
    );
    refuses::<ActivityTarget>(
        r#"{"kind": "call", "cadence": "week", "quantity": 5, "quantities": 6}"#,
        "quantities",
    );
    refuses::<TargetPlan>(r#"{"roles": [], "persons": []}"#, "persons");
    refuses::<ActivityEntry>(
        r#"{"person": "ana", "kind": "call", "date": "2025-04-07", "quantity": 1, "qty": 2}"#,
        "qty",
    );
    refuses::<TimeEntry>(
        r#"{"person": "ana", "category": "travel", "date": "2025-04-07", "minutes": 1, "hours": 2}"#,
        "hours",
    );
    refuses::<ScoreWeights>(r#"{"default": "1", "weight": []}"#, "weight");
    refuses::<ReviewOptions>(r#"{"calendar": {}}"#, "calendar");
    refuses::<FunnelCounts>(
        r#"{"calls": 1, "appointments": 1, "opportunities": 1, "wins": 1, "losses": 0}"#,
        "losses",
    );
    refuses::<salesplan::activity::Ratio>(
        r#"{"zero_denominator": {"numerator": "3", "denominator": "0"}}"#,
        "denominator",
    );
}
