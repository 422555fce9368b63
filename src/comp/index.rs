//! A credit run's lines grouped by person, for the statements: the
//! kernel's [`Groups`] over the lines' people, each lookup confirmed
//! against the line's person.

use crate::credit::{CreditLine, CreditRun};
use crate::execution::Execution;
use crate::ids::PersonId;
use crate::kernel::group::{Groups, key_hash};

/// A person as the index looks them up: their id and its hash.
#[derive(Debug, Clone, Copy)]
pub(super) struct Key<'p> {
    pub(super) id: &'p PersonId,
    hash: u64,
}

impl<'p> Key<'p> {
    pub(super) fn new(id: &'p PersonId) -> Key<'p> {
        Key {
            id,
            hash: key_hash(id),
        }
    }
}

/// A run's lines, grouped by person.
#[derive(Debug)]
pub(super) struct LineIndex<'a> {
    run: &'a CreditRun,
    groups: Groups,
}

impl<'a> LineIndex<'a> {
    /// Groups `run`'s lines by person (lines of a vacant seat have none
    /// and are left out). The run has fewer than 2^32 lines
    /// ([`Commissions::new`](super::Commissions::new) checks it). The
    /// lines' hashes are worked out on rayon's threads with
    /// [`Execution::Parallel`] and the `parallel` feature.
    pub(super) fn new(run: &'a CreditRun, execution: Execution) -> LineIndex<'a> {
        let lines = run.lines();
        // Each line's person's hash, 0 for a vacant seat's line: one read
        // of the lines, and eight bytes a line.
        let hash = |l: &CreditLine| l.person().map_or(0, key_hash);
        let hashes: Vec<u64> = match execution {
            #[cfg(feature = "parallel")]
            Execution::Parallel => {
                use rayon::prelude::*;
                lines.par_iter().map(hash).collect()
            }
            _ => lines.iter().map(hash).collect(),
        };
        LineIndex {
            run,
            groups: Groups::new(&hashes),
        }
    }

    /// `key`'s lines, in run order.
    pub(super) fn lines_of<'k>(
        &'k self,
        key: &'k Key<'_>,
    ) -> impl Iterator<Item = &'a CreditLine> + 'k {
        self.candidates(key)
            .filter(move |l| l.person() == Some(key.id))
    }

    /// The lines whose hash tag is `key`'s (its lines, and rarely another
    /// person's), unconfirmed: for bringing them into the cache without
    /// waiting on them.
    pub(super) fn candidates<'k>(
        &'k self,
        key: &'k Key<'_>,
    ) -> impl Iterator<Item = &'a CreditLine> + 'k {
        let lines = self.run.lines();
        self.groups
            .candidates(key.hash)
            .filter_map(move |i| lines.get(i))
    }

    /// A cheap read of `key`'s bucket, to bring it into the cache.
    pub(super) fn touch_bucket(&self, key: &Key<'_>) -> u32 {
        self.groups.touch_bucket(key.hash)
    }

    /// A cheap read of `key`'s entries, to bring them into the cache.
    pub(super) fn touch_entries(&self, key: &Key<'_>) -> u32 {
        self.groups.touch_entries(key.hash)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use chrono::NaiveDate;

    use super::{Execution, Key, LineIndex, key_hash};
    use crate::calendar::DateRange;
    use crate::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
    use crate::org::{Assignment, Org, Position, ReportingLine, Role};
    use crate::{AccountId, Currency, Money, PersonId, PositionId, TransactionId};

    #[test]
    fn each_person_gets_exactly_their_lines_in_run_order() {
        // 300 people on 300 seats, 2,000 sales spread over them (and a
        // few vacant seats): every person's lines from the index are the
        // run's lines of that person, in run order, built on one thread
        // or several.
        let day = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let seat = |i: usize| PositionId::new(&format!("S{i}")).unwrap();
        let people: Vec<PersonId> = (0..300)
            .map(|i| PersonId::new(&format!("E{i}")).unwrap())
            .collect();
        let mut org = Org::builder();
        for i in 0..310 {
            org = org
                .position(Position::new(seat(i), Role::SalesRep))
                .line(ReportingLine::top(seat(i), DateRange::starting(day)));
        }
        for (i, p) in people.iter().enumerate() {
            org = org.assignment(Assignment::new(
                p.clone(),
                seat(i),
                DateRange::starting(day),
            ));
        }
        let org = org.build().unwrap();
        let txs: Vec<Transaction> = (0..2000usize)
            .map(|t| {
                Transaction::new(
                    TransactionId::new(&format!("T{t}")).unwrap(),
                    TransactionKind::Order,
                    day,
                    AccountId::new("acme").unwrap(),
                    Money::from_minor(100, Currency::USD).unwrap(),
                )
                .with_owner(seat(t.wrapping_mul(7919) % 310))
            })
            .collect();
        let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD))
            .run(&txs)
            .unwrap();
        let nobody = PersonId::new("nobody").unwrap();
        for execution in [Execution::Sequential, Execution::Parallel] {
            let index = LineIndex::new(&run, execution);
            for p in people.iter().chain([&nobody]) {
                let from_index: Vec<*const _> = index
                    .lines_of(&Key::new(p))
                    .map(std::ptr::from_ref)
                    .collect();
                let plain: Vec<*const _> = run
                    .lines()
                    .iter()
                    .filter(|l| l.person() == Some(p))
                    .map(std::ptr::from_ref)
                    .collect();
                assert_eq!(from_index, plain, "{p}");
            }
        }
    }

    #[test]
    fn people_sharing_a_bucket_and_tag_are_told_apart() {
        // A run of four lines has 16 buckets (the top 4 bits): find two
        // people whose hashes share those and the tag.
        let mut seen: HashMap<(u64, u32), PersonId> = HashMap::new();
        let (a, b) = (0..4_000_000u32)
            .find_map(|i| {
                let id = PersonId::new(&format!("E{i}")).unwrap();
                let hash = key_hash(&id);
                seen.insert((hash >> 60, hash as u32), id.clone())
                    .map(|earlier| (earlier, id))
            })
            .unwrap();
        let day = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let seat = |s: &str| PositionId::new(s).unwrap();
        let org = Org::builder()
            .position(Position::new(seat("A"), Role::SalesRep))
            .position(Position::new(seat("B"), Role::SalesRep))
            .position(Position::new(seat("C"), Role::SalesRep))
            .line(ReportingLine::top(seat("A"), DateRange::starting(day)))
            .line(ReportingLine::top(seat("B"), DateRange::starting(day)))
            .line(ReportingLine::top(seat("C"), DateRange::starting(day)))
            .assignment(Assignment::new(
                a.clone(),
                seat("A"),
                DateRange::starting(day),
            ))
            .assignment(Assignment::new(
                b.clone(),
                seat("B"),
                DateRange::starting(day),
            ))
            .build()
            .unwrap();
        let sale = |id: &str, owner: &str, cents: i128| {
            Transaction::new(
                TransactionId::new(id).unwrap(),
                TransactionKind::Order,
                day,
                AccountId::new("acme").unwrap(),
                Money::from_minor(cents, Currency::USD).unwrap(),
            )
            .with_owner(seat(owner))
        };
        // C is vacant: its line has no person and is left out.
        let txs = [
            sale("T1", "A", 100),
            sale("T2", "B", 200),
            sale("T3", "A", 300),
            sale("T4", "C", 400),
        ];
        let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD))
            .run(&txs)
            .unwrap();
        assert_eq!(run.lines().len(), 4);
        let index = LineIndex::new(&run, Execution::Sequential);
        let (ka, kb) = (Key::new(&a), Key::new(&b));
        assert_eq!(index.candidates(&ka).count(), 3, "the two share a tag");
        let ids = |k: &Key<'_>| -> Vec<String> {
            index
                .lines_of(k)
                .map(|l| l.transaction().to_string())
                .collect()
        };
        assert_eq!(ids(&ka), ["T1", "T3"]);
        assert_eq!(ids(&kb), ["T2"]);
    }
}
