//! Orgs from arbitrary positions, reporting lines and assignments.
//!
//! Ids come from small alphabets, so duplicates, unknown parents,
//! self-parents, cycles, several roots and overlaps happen often. Building
//! and cutting snapshots may fail but must not panic. A snapshot that is
//! cut is checked against a reference worked out from the input: exactly
//! the positions with a line in effect that day, each under the parent
//! its line names, held by the person assigned that day; one root; the
//! pre-order numbering, ancestors, depth, subtree ranges, children and
//! lowest common managers all agree with a plain walk up the parents.
#![no_main]

use arbitrary::Arbitrary;
use chrono::{Days, NaiveDate};
use libfuzzer_sys::fuzz_target;
use salesplan::calendar::{DateRange, Period};
use salesplan::org::{Assignment, CustomRole, Org, Position, ReportingLine, Role};
use salesplan::{PersonId, PositionId, RoleId};

#[derive(Debug, Arbitrary)]
struct Input {
    positions: Vec<(u8, u8)>,
    lines: Vec<LineIn>,
    assignments: Vec<(u8, u8, RangeIn)>,
    custom_roles: Vec<(u8, u16)>,
    concurrent: bool,
    probes: Vec<u8>,
}

#[derive(Debug, Arbitrary)]
struct LineIn {
    position: u8,
    parent: Option<u8>,
    range: RangeIn,
}

#[derive(Debug, Arbitrary, Clone, Copy)]
struct RangeIn {
    from: u8,
    until: Option<u8>,
}

/// Dates on a coarse grid, so that ranges meet and overlap often; a few
/// at the ends of `NaiveDate`.
fn day(d: u8) -> NaiveDate {
    let base = NaiveDate::from_ymd_opt(2025, 1, 1).expect("valid date");
    match d {
        250 => NaiveDate::MIN,
        251 => NaiveDate::MAX,
        252 => NaiveDate::MAX.pred_opt().expect("valid date"),
        253 => NaiveDate::MIN.succ_opt().expect("valid date"),
        _ => base + Days::new(u64::from(d % 16) * 10),
    }
}

fn range(r: RangeIn) -> Option<DateRange> {
    DateRange::new(day(r.from), r.until.map(day)).ok()
}

fn pos(i: u8) -> PositionId {
    PositionId::new(&format!("P{}", i % 12)).expect("valid id")
}

fn person(i: u8) -> PersonId {
    PersonId::new(&format!("who{}", i % 6)).expect("valid id")
}

fn role(i: u8) -> Role {
    match i % 10 {
        0 => Role::Executive,
        1 => Role::Director,
        2 => Role::RegionalManager,
        3 => Role::TeamLead,
        4 | 5 => Role::SalesRep,
        6 => Role::Supervisor,
        r => {
            Role::Custom(RoleId::new(&format!("role{}", r.wrapping_add(i) % 3)).expect("valid id"))
        }
    }
}

fuzz_target!(|input: Input| {
    let mut b = Org::builder().allow_concurrent_positions(input.concurrent);
    for (id, rank) in input.custom_roles.iter().take(3) {
        let id = RoleId::new(&format!("role{}", id % 3)).expect("valid id");
        b = b.role(CustomRole::new(id, "custom", *rank));
    }
    for (id, r) in input.positions.iter().take(16) {
        b = b.position(Position::new(pos(*id), role(*r)));
    }
    let mut lines = Vec::new();
    for l in input.lines.iter().take(24) {
        let Some(effective) = range(l.range) else {
            continue;
        };
        let line = match l.parent {
            Some(p) => ReportingLine::new(pos(l.position), pos(p), effective),
            None => ReportingLine::top(pos(l.position), effective),
        };
        lines.push((pos(l.position), l.parent.map(pos), effective));
        b = b.line(line);
    }
    let mut holds = Vec::new();
    for (who, at, r) in input.assignments.iter().take(12) {
        let Some(effective) = range(*r) else { continue };
        holds.push((person(*who), pos(*at), effective));
        b = b.assignment(Assignment::new(person(*who), pos(*at), effective));
    }
    let Ok(org) = b.build() else { return };

    // The org's text round-trips.
    let json = serde_json::to_string(&org).expect("an org serializes");
    let back: Org = serde_json::from_str(&json).expect("an org's own text deserializes");
    assert_eq!(back.to_builder(), org.to_builder());

    for probe in input.probes.iter().take(4) {
        let date = day(*probe);
        for p in org.positions() {
            let expected = holds
                .iter()
                .filter(|(_, at, r)| at == p.id() && r.contains(date))
                .map(|(who, _, _)| who)
                .collect::<Vec<_>>();
            let got = org.holder(p.id(), date).expect("declared position");
            assert!(
                expected.len() <= 1,
                "build let a position be held twice: {expected:?}"
            );
            assert_eq!(
                got,
                expected.first().copied(),
                "holder of {} on {date}",
                p.id()
            );
        }
        for who in org.people() {
            if let Some(end) = date.checked_add_days(Days::new(45)) {
                if let Ok(period) = Period::new(date, end) {
                    let _ = org.segments(who, &period);
                }
            }
        }
        let Ok(snap) = org.as_of(date) else { continue };
        check_snapshot(&org, &snap, date, &lines);
    }
});

fn check_snapshot(
    org: &Org,
    snap: &salesplan::org::OrgSnapshot,
    date: NaiveDate,
    lines: &[(PositionId, Option<PositionId>, DateRange)],
) {
    // The reference: the line in effect for each position that day.
    let in_effect: Vec<_> = lines.iter().filter(|(_, _, r)| r.contains(date)).collect();
    assert_eq!(
        snap.len(),
        in_effect.len(),
        "positions in the org on {date}"
    );
    assert!(!snap.is_empty());
    let roots = snap.nodes().filter(|n| n.parent().is_none()).count();
    assert_eq!(roots, 1);
    let root = snap.root();
    assert!(root.parent().is_none());
    assert_eq!(root.depth(), 0);
    assert_eq!(root.total_reports() as usize, snap.len() - 1);

    for (id, parent, _) in &in_effect {
        let node = snap
            .node(id)
            .expect("a position with a line that day is in the snapshot");
        assert_eq!(node.id(), id);
        assert_eq!(
            node.parent().map(|p| p.id().clone()),
            *parent,
            "parent of {id}"
        );
        assert_eq!(snap.node_at(node.index()).map(|n| n.id()), Some(id));
    }

    let nodes: Vec<_> = snap.nodes().collect();
    let mut direct = 0;
    for (i, n) in nodes.iter().enumerate() {
        assert_eq!(n.index().index(), i);
        assert_eq!(n.holder(), org.holder(n.id(), date).expect("declared"));
        assert_eq!(Some(n.position()), org.position(n.id()));
        let chain: Vec<_> = n.ancestors().collect();
        assert_eq!(chain.len(), n.depth() as usize);
        if let Some(top) = chain.last() {
            assert_eq!(*top, root, "{:?} does not end at the root", n.id());
        } else {
            assert_eq!(*n, root);
        }
        if let Some(p) = n.parent() {
            assert!(p.index() < n.index(), "pre-order: parent after child");
            assert_eq!(p.depth() + 1, n.depth());
        }
        for c in n.children() {
            assert_eq!(c.parent(), Some(*n));
        }
        direct += n.direct_reports();
        let below: Vec<_> = n.descendants().collect();
        assert_eq!(below.len(), n.total_reports() as usize);
        if nodes.len() <= 24 {
            for m in &nodes {
                let walked = m.chain_to_top().any(|a| a == *n);
                assert_eq!(m.is_within(n), walked, "{:?} within {:?}", m.id(), n.id());
                assert_eq!(below.contains(m), walked && m != n);
                let lcm = n.lowest_common_manager(m);
                assert!(n.is_within(&lcm) && m.is_within(&lcm));
                assert!(
                    lcm.children()
                        .all(|c| !(n.is_within(&c) && m.is_within(&c))),
                    "lowest common manager of {:?} and {:?} is not the lowest",
                    n.id(),
                    m.id()
                );
            }
        }
    }
    assert_eq!(direct, snap.len() - 1);
}
