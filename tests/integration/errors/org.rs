//! The org: every rejected input, its variant and the ids it names.

use salesplan::calendar::DateRange;
use salesplan::org::{Assignment, CustomRole, Org, OrgBuilder, Position, ReportingLine, Role};
use salesplan::rollup::NodeValues;
use salesplan::{OrgError, PositionId, RoleId};

use crate::common::date;
use crate::support::{always, person, pos, range};

fn seat(id: &str) -> Position {
    Position::new(pos(id), Role::SalesRep)
}

/// `top` at the top, `a` and `b` below it.
fn base() -> OrgBuilder {
    Org::builder()
        .position(seat("top"))
        .position(seat("a"))
        .position(seat("b"))
        .line(ReportingLine::top(pos("top"), always()))
        .line(ReportingLine::new(pos("a"), pos("top"), always()))
}

#[test]
fn duplicate_ids() {
    let vp = RoleId::new("vp").unwrap();
    assert_eq!(
        Org::builder()
            .role(CustomRole::new(vp.clone(), "VP", 65))
            .role(CustomRole::new(vp.clone(), "Vice President", 66))
            .build()
            .unwrap_err(),
        OrgError::DuplicateRole { role: vp }
    );
    assert_eq!(
        base().position(seat("a")).build().unwrap_err(),
        OrgError::DuplicatePosition { position: pos("a") }
    );
}

#[test]
fn unknown_role_position_and_parent() {
    let ghost = RoleId::new("ghost").unwrap();
    assert_eq!(
        base()
            .position(Position::new(pos("c"), Role::Custom(ghost.clone())))
            .build()
            .unwrap_err(),
        OrgError::UnknownRole {
            position: pos("c"),
            role: ghost
        }
    );
    assert_eq!(
        base()
            .line(ReportingLine::new(pos("nobody"), pos("top"), always()))
            .build()
            .unwrap_err(),
        OrgError::UnknownPosition {
            position: pos("nobody"),
            context: "reporting line"
        }
    );
    assert_eq!(
        base()
            .assignment(Assignment::new(person("p"), pos("nobody"), always()))
            .build()
            .unwrap_err(),
        OrgError::UnknownPosition {
            position: pos("nobody"),
            context: "assignment"
        }
    );
    assert_eq!(
        base()
            .line(ReportingLine::new(pos("b"), pos("nobody"), always()))
            .build()
            .unwrap_err(),
        OrgError::UnknownParent {
            position: pos("b"),
            parent: pos("nobody")
        }
    );
}

#[test]
fn self_parent() {
    assert_eq!(
        base()
            .line(ReportingLine::new(pos("b"), pos("b"), always()))
            .build()
            .unwrap_err(),
        OrgError::SelfParent { position: pos("b") }
    );
}

#[test]
fn two_managers_on_one_day_are_overlapping_lines() {
    let first = range(date(2025, 1, 1), date(2025, 7, 1));
    let second = DateRange::starting(date(2025, 6, 1));
    let err = base()
        .line(ReportingLine::new(pos("b"), pos("top"), first))
        .line(ReportingLine::new(pos("b"), pos("a"), second))
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        OrgError::OverlappingLines {
            position: pos("b"),
            first,
            second
        }
    );
    // Back to back is fine.
    base()
        .line(ReportingLine::new(pos("b"), pos("top"), first))
        .line(ReportingLine::new(
            pos("b"),
            pos("a"),
            DateRange::starting(date(2025, 7, 1)),
        ))
        .build()
        .unwrap();
}

#[test]
fn overlapping_assignments() {
    let first = range(date(2025, 1, 1), date(2025, 3, 1));
    let second = range(date(2025, 2, 1), date(2025, 4, 1));
    // One person on one seat twice at once.
    assert_eq!(
        base()
            .assignment(Assignment::new(person("ann"), pos("a"), first))
            .assignment(Assignment::new(person("ann"), pos("a"), second))
            .build()
            .unwrap_err(),
        OrgError::OverlappingAssignments {
            person: person("ann"),
            position: pos("a"),
            first,
            second
        }
    );
    // Two people on one seat at once.
    assert_eq!(
        base()
            .assignment(Assignment::new(person("ann"), pos("a"), first))
            .assignment(Assignment::new(person("bob"), pos("a"), second))
            .build()
            .unwrap_err(),
        OrgError::PositionHeldTwice {
            position: pos("a"),
            first: person("ann"),
            second: person("bob"),
            date: date(2025, 2, 1)
        }
    );
    // One person in two seats on one day, unless the org allows it.
    let two_seats = base()
        .assignment(Assignment::new(person("ann"), pos("a"), first))
        .assignment(Assignment::new(person("ann"), pos("b"), second));
    assert_eq!(
        two_seats.clone().build().unwrap_err(),
        OrgError::ConcurrentPositions {
            person: person("ann"),
            first: pos("a"),
            second: pos("b"),
            date: date(2025, 2, 1)
        }
    );
    let org = two_seats.allow_concurrent_positions(true).build().unwrap();
    assert!(org.allows_concurrent_positions());
}

#[test]
fn parent_not_in_the_org_that_day() {
    let org = base()
        .line(ReportingLine::new(pos("b"), pos("a"), always()))
        // `a` leaves the org at the end of June; `b` still reports to it.
        .build()
        .unwrap();
    org.as_of(date(2025, 8, 1)).unwrap();
    let org = Org::builder()
        .position(seat("top"))
        .position(seat("a"))
        .position(seat("b"))
        .line(ReportingLine::top(pos("top"), always()))
        .line(ReportingLine::new(
            pos("a"),
            pos("top"),
            range(date(2025, 1, 1), date(2025, 7, 1)),
        ))
        .line(ReportingLine::new(pos("b"), pos("a"), always()))
        .build()
        .unwrap();
    assert_eq!(
        org.as_of(date(2025, 7, 1)).unwrap_err(),
        OrgError::ParentNotInOrg {
            position: pos("b"),
            parent: pos("a"),
            date: date(2025, 7, 1)
        }
    );
}

#[test]
fn zero_or_several_roots() {
    let d = date(2025, 3, 1);
    assert_eq!(
        Org::builder().build().unwrap().as_of(d).unwrap_err(),
        OrgError::NoRoot { date: d }
    );
    // Positions exist, but none is in the org before 2025.
    assert_eq!(
        base()
            .build()
            .unwrap()
            .as_of(date(2024, 12, 31))
            .unwrap_err(),
        OrgError::NoRoot {
            date: date(2024, 12, 31)
        }
    );
    assert_eq!(
        base()
            .line(ReportingLine::top(pos("b"), always()))
            .build()
            .unwrap()
            .as_of(d)
            .unwrap_err(),
        OrgError::SeveralRoots {
            date: d,
            roots: vec![pos("top"), pos("b")]
        }
    );
}

#[test]
fn cycles_of_any_length_name_their_positions() {
    let d = date(2025, 3, 1);
    for len in [2usize, 3, 7, 1000] {
        let ids: Vec<PositionId> = (0..len).map(|i| pos(&format!("c{i}"))).collect();
        let mut b = base();
        for (i, id) in ids.iter().enumerate() {
            b = b.position(seat(id.as_str())).line(ReportingLine::new(
                id.clone(),
                ids[(i + 1) % len].clone(),
                always(),
            ));
        }
        // A tail hanging below the cycle does not hide it.
        b = b.line(ReportingLine::new(pos("b"), ids[0].clone(), always()));
        match b.build().unwrap().as_of(d).unwrap_err() {
            OrgError::Cycle { date: at, cycle } => {
                assert_eq!(at, d);
                let mut got = cycle.clone();
                got.sort();
                let mut want = ids.clone();
                want.sort();
                assert_eq!(got, want, "cycle of {len}");
                // Each reports to the next.
                for (i, id) in cycle.iter().enumerate() {
                    let k = ids.iter().position(|x| x == id).unwrap();
                    assert_eq!(cycle[(i + 1) % len], ids[(k + 1) % len]);
                }
            }
            other => panic!("expected a cycle, got {other:?}"),
        }
    }
}

#[test]
fn queries_about_unknown_positions_and_people() {
    let org = base().build().unwrap();
    assert_eq!(
        org.holder(&pos("nobody"), date(2025, 1, 1)).unwrap_err(),
        OrgError::UnknownPosition {
            position: pos("nobody"),
            context: "query"
        }
    );
    let q1 = salesplan::Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    assert_eq!(
        org.segments(&person("ghost"), &q1).unwrap_err(),
        OrgError::UnknownPerson {
            person: person("ghost")
        }
    );
}

#[test]
fn a_million_deep_chain_is_accepted_without_recursion() {
    let n = 1_000_000usize;
    let ids: Vec<_> = (0..n).map(|i| pos(&format!("L{i}"))).collect();
    let org = Org::builder()
        .positions(
            ids.iter()
                .map(|id| Position::new(id.clone(), Role::SalesRep)),
        )
        .line(ReportingLine::top(ids[0].clone(), always()))
        .lines(
            ids.windows(2)
                .map(|w| ReportingLine::new(w[1].clone(), w[0].clone(), always())),
        )
        .build()
        .unwrap();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let deepest = snapshot.node(&ids[n - 1]).unwrap();
    assert_eq!(deepest.depth() as usize, n - 1);
    assert_eq!(snapshot.root().total_reports() as usize, n - 1);
    assert!(deepest.is_within(&snapshot.root()));
    let ones = NodeValues::from_fn(&snapshot, |_| 1u64).roll_up().unwrap();
    assert_eq!(ones.get(snapshot.root().index()), Some(&(n as u64)));
}
