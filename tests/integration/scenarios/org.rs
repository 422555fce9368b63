//! Worked org examples: a mid-year reorganisation, a deep chain, rollups of
//! several measures at once.

use salesplan::Execution;
use salesplan::calendar::DateRange;
use salesplan::money::Attainment;
use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
use salesplan::rollup::{Scatter, SumOptions, sum_credits};
use salesplan::{Currency, Money, Period};

use crate::common::date;
use crate::support::{always, person, pos, range};

/// A region with two teams; on 1 July rep `r3` moves from team A to team B
/// and team B's lead changes.
fn reorganised_region() -> Org {
    let h1 = range(date(2025, 1, 1), date(2025, 7, 1));
    let h2 = DateRange::starting(date(2025, 7, 1));
    Org::builder()
        .position(
            Position::new(pos("rsm"), Role::RegionalManager).with_title("Regional Sales Manager"),
        )
        .position(Position::new(pos("lead-a"), Role::TeamLead))
        .position(Position::new(pos("lead-b"), Role::TeamLead))
        .positions(["r1", "r2", "r3", "r4"].map(|r| Position::new(pos(r), Role::SalesRep)))
        .line(ReportingLine::top(pos("rsm"), always()))
        .line(ReportingLine::new(pos("lead-a"), pos("rsm"), always()))
        .line(ReportingLine::new(pos("lead-b"), pos("rsm"), always()))
        .line(ReportingLine::new(pos("r1"), pos("lead-a"), always()))
        .line(ReportingLine::new(pos("r2"), pos("lead-a"), always()))
        .line(ReportingLine::new(pos("r3"), pos("lead-a"), h1))
        .line(ReportingLine::new(pos("r3"), pos("lead-b"), h2))
        .line(ReportingLine::new(pos("r4"), pos("lead-b"), always()))
        .assignment(Assignment::new(person("maria"), pos("rsm"), always()))
        .assignment(Assignment::new(person("ali"), pos("lead-a"), always()))
        .assignment(Assignment::new(person("bea"), pos("lead-b"), h1))
        .assignment(Assignment::new(person("carl"), pos("lead-b"), h2))
        .assignment(Assignment::new(person("dan"), pos("r3"), always()))
        .build()
        .unwrap()
}

#[test]
fn a_reorganisation_changes_the_tree_from_its_date_without_rewriting_history() {
    let org = reorganised_region();
    // (date, position, expected parent, expected span of control of lead-b)
    let table = [
        (date(2025, 6, 30), "r3", "lead-a", 1u32),
        (date(2025, 7, 1), "r3", "lead-b", 2),
        (date(2025, 12, 31), "r3", "lead-b", 2),
        (date(2025, 3, 1), "r4", "lead-b", 1),
    ];
    for (day, rep, parent, span) in table {
        let snapshot = org.as_of(day).unwrap();
        let node = snapshot.node(&pos(rep)).unwrap();
        assert_eq!(node.parent().unwrap().id(), &pos(parent), "{rep} on {day}");
        assert_eq!(
            snapshot.node(&pos("lead-b")).unwrap().total_reports(),
            span,
            "{day}"
        );
        let chain: Vec<&str> = node.chain_to_top().map(|n| n.id().as_str()).collect();
        assert_eq!(chain, [rep, parent, "rsm"]);
    }
    assert_eq!(
        org.holder(&pos("lead-b"), date(2025, 6, 30)).unwrap(),
        Some(&person("bea"))
    );
    assert_eq!(
        org.holder(&pos("lead-b"), date(2025, 7, 1)).unwrap(),
        Some(&person("carl"))
    );
    assert_eq!(org.holder(&pos("r1"), date(2025, 7, 1)).unwrap(), None);
}

#[test]
fn segments_split_the_year_at_the_reorganisation() {
    let org = reorganised_region();
    let year = Period::year(2025).unwrap();
    let segments = org.segments(&person("dan"), &year).unwrap();
    let got: Vec<(&str, &str, &str, u32)> = segments
        .iter()
        .map(|s| {
            (
                s.position().as_str(),
                s.reports_to().unwrap().as_str(),
                s.manager().unwrap().as_str(),
                s.period().days(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("r3", "lead-a", "ali", 181), ("r3", "lead-b", "carl", 184)]
    );
}

#[test]
fn lowest_common_manager_and_subtree_membership() {
    let org = reorganised_region();
    let snapshot = org.as_of(date(2025, 3, 1)).unwrap();
    let n = |id: &str| snapshot.node(&pos(id)).unwrap();
    assert_eq!(
        n("r1").lowest_common_manager(&n("r2")).unwrap().id(),
        &pos("lead-a")
    );
    assert_eq!(
        n("r1").lowest_common_manager(&n("r4")).unwrap().id(),
        &pos("rsm")
    );
    assert_eq!(
        n("r1").lowest_common_manager(&n("lead-a")).unwrap().id(),
        &pos("lead-a")
    );
    assert!(n("r3").is_within(&n("lead-a")) && !n("r3").is_within(&n("lead-b")));
    // A node of another snapshot, even of the same org on the same day, is
    // neither within nor a manager of this one's nodes.
    let again = org.as_of(date(2025, 3, 1)).unwrap();
    let other = again.node(&pos("rsm")).unwrap();
    assert!(!n("r1").is_within(&other));
    assert!(n("r1").lowest_common_manager(&other).is_none());
    assert_eq!(n("rsm").direct_reports(), 2);
    assert_eq!(n("rsm").total_reports(), 6);
    assert_eq!(n("lead-a").holder(), Some(&person("ali")));
    assert_eq!(n("rsm").position().title(), Some("Regional Sales Manager"));
    assert_eq!(org.rank(n("rsm").role()), Some(50));
}

#[test]
fn several_measures_roll_up_at_once() {
    let org = reorganised_region();
    let snapshot = org.as_of(date(2025, 8, 1)).unwrap();
    // (deals, calls, [new logos, renewals]) per rep.
    let facts = [
        ("r1", (1u64, 100u64, [1u32, 0])),
        ("r3", (2, 40, [0, 2])),
        ("r4", (1, 75, [1, 1])),
    ];
    let own = Scatter::new(&snapshot)
        .execution(Execution::Sequential)
        .run(&facts, |(p, v)| Ok(Some((pos(p), *v))))
        .unwrap();
    let totals = own.roll_up().unwrap();
    assert_eq!(totals.of(&pos("lead-b")), Some(&(3, 115, [1, 3])));
    assert_eq!(totals.of(&pos("rsm")), Some(&(4, 215, [2, 3])));
}

#[test]
fn attainment_per_node_with_a_zero_quota_reported_as_such() {
    let org = reorganised_region();
    let snapshot = org.as_of(date(2025, 8, 1)).unwrap();
    let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
    let credits = vec![
        (pos("r3"), date(2025, 8, 2), usd("30000.00")),
        (pos("r4"), date(2025, 8, 3), usd("15000.00")),
    ];
    let totals = sum_credits(&snapshot, &credits, SumOptions::new(Currency::USD)).unwrap();
    let node = |id: &str| snapshot.node(&pos(id)).unwrap().index();
    assert_eq!(
        totals.attainment(node("lead-b"), usd("60000.00")).unwrap(),
        Attainment::Ratio("0.75".parse().unwrap())
    );
    assert_eq!(
        totals.attainment(node("r3"), usd("0")).unwrap(),
        Attainment::ZeroTarget {
            actual: usd("30000.00")
        }
    );
    assert!(
        totals
            .attainment(node("r3"), Money::zero(Currency::EUR))
            .is_err()
    );
}
