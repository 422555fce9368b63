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
    assert_eq!((grid.week(0, 0, 0), grid.week(2, 0, 0)), (5, 0));
}
