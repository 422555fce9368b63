//! Org fixtures shared by the tests.

use chrono::NaiveDate;
use proptest::prelude::*;
use salesplan::calendar::DateRange;
use salesplan::org::{Org, OrgBuilder, Position, ReportingLine, Role};
use salesplan::{PersonId, PositionId};

use crate::common::date;

pub(crate) mod bonus;
pub(crate) mod comp;
pub(crate) mod credit;

pub(crate) mod perf;

#[path = "../../../benches/support/gen.rs"]
pub(crate) mod generator;

pub(crate) mod territory;

pub(crate) fn pos(s: &str) -> PositionId {
    PositionId::new(s).unwrap()
}

pub(crate) fn person(s: &str) -> PersonId {
    PersonId::new(s).unwrap()
}

/// Open-ended from 1 January 2025.
pub(crate) fn always() -> DateRange {
    DateRange::starting(date(2025, 1, 1))
}

pub(crate) fn range(from: NaiveDate, until: NaiveDate) -> DateRange {
    DateRange::new(from, Some(until)).unwrap()
}

/// A random tree: `parents[i]` is the parent of node `i` (`None` for the
/// root at 0), every parent before its child; plus a declaration order.
#[derive(Debug, Clone)]
pub(crate) struct RandomTree {
    pub(crate) parents: Vec<Option<usize>>,
    pub(crate) order: Vec<usize>,
}

impl RandomTree {
    pub(crate) fn id(i: usize) -> PositionId {
        pos(&format!("P{i:05}"))
    }

    pub(crate) fn builder(&self) -> OrgBuilder {
        let mut b = Org::builder();
        for &i in &self.order {
            b = b.position(Position::new(Self::id(i), Role::SalesRep)).line(
                match self.parents[i] {
                    Some(p) => ReportingLine::new(Self::id(i), Self::id(p), always()),
                    None => ReportingLine::top(Self::id(i), always()),
                },
            );
        }
        b
    }

    pub(crate) fn org(&self) -> Org {
        self.builder().build().unwrap()
    }

    /// Whether `a` is `b` or below it.
    pub(crate) fn is_within(&self, mut a: usize, b: usize) -> bool {
        loop {
            if a == b {
                return true;
            }
            match self.parents[a] {
                Some(p) => a = p,
                None => return false,
            }
        }
    }
}

pub(crate) fn random_tree(max: usize) -> impl Strategy<Value = RandomTree> {
    (1..max)
        .prop_flat_map(|n| {
            let parents = (1..n)
                .map(|i| (0..i).prop_map(Some).boxed())
                .collect::<Vec<_>>();
            (Just(n), parents)
        })
        .prop_flat_map(|(n, rest)| {
            let mut parents = vec![None];
            parents.extend(rest);
            let order: Vec<usize> = (0..n).collect();
            (Just(parents), Just(order).prop_shuffle())
        })
        .prop_map(|(parents, order)| RandomTree { parents, order })
}
