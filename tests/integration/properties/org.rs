//! Snapshot queries agree with naive walks over random trees; segments
//! cover exactly the days a person held a position.

use proptest::prelude::*;
use salesplan::Period;
use salesplan::calendar::DateRange;
use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};

use crate::common::date;
use crate::support::{RandomTree, person, pos, random_tree};

proptest! {
    #[test]
    fn snapshot_queries_match_naive_walks(tree in random_tree(300)) {
        let org = tree.org();
        let snapshot = org.as_of(date(2025, 6, 1))?;
        let n = tree.parents.len();
        prop_assert_eq!(snapshot.len(), n);
        prop_assert_eq!(snapshot.root().id(), &RandomTree::id(0));
        let node = |i: usize| snapshot.node(&RandomTree::id(i)).unwrap();
        for i in 0..n {
            let x = node(i);
            prop_assert_eq!(x.parent().map(|p| p.id().clone()), tree.parents[i].map(RandomTree::id));
            let depth = std::iter::successors(tree.parents[i], |p| tree.parents[*p]).count();
            prop_assert_eq!(x.depth() as usize, depth);
            prop_assert_eq!(x.ancestors().count(), depth);
            prop_assert_eq!(x.chain_to_top().last().unwrap(), snapshot.root());
            let below: Vec<usize> = (0..n).filter(|&j| j != i && tree.is_within(j, i)).collect();
            prop_assert_eq!(x.total_reports() as usize, below.len());
            let mut got: Vec<_> = x.descendants().map(|d| d.id().clone()).collect();
            got.sort();
            let mut want: Vec<_> = below.iter().map(|j| RandomTree::id(*j)).collect();
            want.sort();
            prop_assert_eq!(got, want);
            let direct = (0..n).filter(|&j| tree.parents[j] == Some(i)).count();
            prop_assert_eq!(x.direct_reports(), direct);
            for c in x.children() {
                prop_assert_eq!(c.parent(), Some(x));
            }
        }
        // Pairs: subtree membership and the lowest common manager.
        for i in (0..n).step_by(7) {
            for j in (0..n).step_by(5) {
                let (a, b) = (node(i), node(j));
                prop_assert_eq!(a.is_within(&b), tree.is_within(i, j));
                let lcm = a.lowest_common_manager(&b).unwrap();
                prop_assert!(a.is_within(&lcm) && b.is_within(&lcm));
                // No child of the LCM contains both.
                for c in lcm.children() {
                    prop_assert!(!(a.is_within(&c) && b.is_within(&c)));
                }
            }
        }
    }

    #[test]
    fn snapshots_do_not_depend_on_declaration_order(tree in random_tree(200), seed in any::<u64>()) {
        let mut shuffled = tree.clone();
        let mut rng = crate::support::generator::Rng::new(seed);
        rng.shuffle(&mut shuffled.order);
        let (a, b) = (tree.org(), shuffled.org());
        let (sa, sb) = (a.as_of(date(2025, 6, 1))?, b.as_of(date(2025, 6, 1))?);
        for x in sa.nodes() {
            let y = sb.node(x.id()).unwrap();
            prop_assert_eq!(x.parent().map(|p| p.id().clone()), y.parent().map(|p| p.id().clone()));
            prop_assert_eq!(x.total_reports(), y.total_reports());
            prop_assert_eq!(x.depth(), y.depth());
        }
    }

    /// A person moving between random seats, under managers who change, gets
    /// segments that tile exactly the days they held a seat in the period.
    #[test]
    fn segments_cover_the_held_days_exactly(
        moves in proptest::collection::vec((1u64..60, 0usize..3), 1..8),
        boss_change in 1u64..200,
        period_start in 0u64..100,
        period_len in 1u64..300,
    ) {
        let day = |n: u64| date(2025, 1, 1).checked_add_days(chrono::Days::new(n)).unwrap();
        let mut b = Org::builder()
            .position(Position::new(pos("boss"), Role::Director))
            .line(ReportingLine::top(pos("boss"), DateRange::starting(day(0))))
            .assignment(Assignment::new(person("b1"), pos("boss"), DateRange::new(day(0), Some(day(boss_change))).unwrap()))
            .assignment(Assignment::new(person("b2"), pos("boss"), DateRange::starting(day(boss_change))));
        for s in 0..3 {
            b = b.position(Position::new(pos(&format!("s{s}")), Role::SalesRep))
                .line(ReportingLine::new(pos(&format!("s{s}")), pos("boss"), DateRange::starting(day(0))));
        }
        // Consecutive stints with gaps of one day every other move.
        let mut t = 0u64;
        let mut held = Vec::new();
        for (i, (len, seat)) in moves.iter().enumerate() {
            let range = DateRange::new(day(t), Some(day(t + len))).unwrap();
            b = b.assignment(Assignment::new(person("x"), pos(&format!("s{seat}")), range));
            held.push(range);
            t += len + (i as u64 % 2);
        }
        let org = b.build()?;
        let period = Period::new(day(period_start), day(period_start + period_len))?;
        let segments = org.segments(&person("x"), &period)?;
        let held_days: u32 = held.iter().filter_map(|r| r.clip(&period)).map(|p| p.days()).sum();
        let seg_days: u32 = segments.iter().map(|s| s.period().days()).sum();
        prop_assert_eq!(seg_days, held_days);
        for pair in segments.windows(2) {
            prop_assert!(pair[0].period().end() <= pair[1].period().start());
            // Adjacent segments differ in something.
            if pair[0].period().end() == pair[1].period().start() {
                prop_assert!(pair[0] != pair[1]);
                prop_assert!(
                    pair[0].position() != pair[1].position() || pair[0].manager() != pair[1].manager()
                );
            }
        }
        for s in &segments {
            prop_assert!(period.encloses(&s.period()));
            let expected = if s.period().start() < day(boss_change) { "b1" } else { "b2" };
            prop_assert_eq!(s.manager().map(|m| m.as_str()), Some(expected));
            prop_assert!(s.period().end() <= day(boss_change) || s.period().start() >= day(boss_change));
        }
    }
}
