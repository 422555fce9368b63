//! A credit run's lines grouped by person, for the statements.
//!
//! The lines are bucketed by the top bits of their person's id hash, with
//! a counting sort: one pass hashes every line's person (8 bytes a line),
//! one counts the buckets, one places each line, filling each bucket from
//! its end (so no copy of the bucket starts is needed). Each entry keeps
//! 31 more bits of the hash (its tag), so a person's lookup reads only the
//! lines whose tag matches, and confirms each against the line's person.
//! No table of people is built: a million-person run is grouped in three
//! passes over flat arrays, with no lookup per line.

use crate::credit::{CreditLine, CreditRun};
use crate::execution::Execution;
use crate::ids::PersonId;
use crate::kernel::hash::spread;
use crate::kernel::mem::written_zeros;

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
            hash: person_hash(id),
        }
    }
}

/// One line of the run, in its person's bucket.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The low 32 bits of the person's hash (the lowest always set).
    tag: u32,
    /// The line's index in the run.
    line: u32,
}

/// A run's lines, bucketed by person.
#[derive(Debug)]
pub(super) struct LineIndex<'a> {
    run: &'a CreditRun,
    /// `64 - log2(buckets)`: a hash's bucket is its top bits.
    shift: u32,
    /// Where each bucket starts in `entries`, and one past the last.
    starts: Vec<u32>,
    /// The lines with a person, by bucket, in line order within one.
    entries: Vec<Entry>,
}

impl<'a> LineIndex<'a> {
    /// Groups `run`'s lines by person (lines of a vacant seat have none
    /// and are left out). The run has fewer than 2^32 lines
    /// ([`Commissions::new`](super::Commissions::new) checks it). The
    /// lines' hashes are worked out on rayon's threads with
    /// [`Execution::Parallel`] and the `parallel` feature.
    pub(super) fn new(run: &'a CreditRun, execution: Execution) -> LineIndex<'a> {
        let lines = run.lines();
        // At least half as many buckets as lines (one or two lines a
        // bucket), rounded up to a power of two; at least 16, at most 2^30.
        const MAX_BUCKETS: usize = 1 << 30;
        let buckets = (lines.len() / 2)
            .max(16)
            .checked_next_power_of_two()
            .map_or(MAX_BUCKETS, |b| b.min(MAX_BUCKETS));
        // 4 <= bits <= 30: a bucket is the top `bits` bits of a hash.
        let bits = buckets.trailing_zeros();
        debug_assert!((4..=30).contains(&bits));
        // bound: bits <= 30.
        let shift = 64u32.saturating_sub(bits);
        // Each line's person's hash, 0 for a vacant seat's line (a
        // person's hash has its low bit set, see `person_hash`): one read
        // of the lines, and eight bytes a line.
        let hash = |l: &CreditLine| l.person().map_or(0, person_hash);
        let hashes: Vec<u64> = match execution {
            #[cfg(feature = "parallel")]
            Execution::Parallel => {
                use rayon::prelude::*;
                lines.par_iter().map(hash).collect()
            }
            _ => lines.iter().map(hash).collect(),
        };
        // `starts[b]` counts bucket `b`, then (summed) is where it ends.
        // The run has fewer than 2^32 lines (checked by `Commissions::new`),
        // so no count or sum of counts below reaches `u32::MAX`.
        debug_assert!(u32::try_from(lines.len()).is_ok());
        // bound: buckets <= 2^30.
        let mut starts: Vec<u32> = written_zeros(buckets.saturating_add(1));
        for h in hashes.iter().filter(|h| **h != 0) {
            if let Some(c) = starts.get_mut(bucket(*h, shift)) {
                // bound: a bucket counts at most the run's lines.
                *c = c.saturating_add(1);
            }
        }
        let mut at = 0u32;
        for c in &mut starts {
            // bound: the counts add up to at most the run's lines.
            at = at.saturating_add(*c);
            *c = at;
        }
        // Placed from the last line back, each bucket filled from its end:
        // every `starts[b]` ends where bucket `b` starts, and each bucket
        // holds its lines in run order.
        let mut entries = vec![Entry { tag: 0, line: 0 }; at as usize];
        for (i, h) in hashes.iter().enumerate().rev() {
            if *h == 0 {
                continue;
            }
            if let Some(end) = starts.get_mut(bucket(*h, shift)) {
                // bound: the line was counted in its bucket, so the
                // bucket's end is above where the line goes.
                *end = end.saturating_sub(1);
                if let Some(e) = entries.get_mut(*end as usize) {
                    *e = Entry {
                        tag: *h as u32,
                        // Below 2^32 (see above): the fallback, a line no
                        // run has, is never taken.
                        line: u32::try_from(i).unwrap_or(u32::MAX),
                    };
                }
            }
        }
        LineIndex {
            run,
            shift,
            starts,
            entries,
        }
    }

    /// The entries of `key`'s bucket.
    fn bucket_of(&self, key: &Key<'_>) -> &[Entry] {
        let b = bucket(key.hash, self.shift);
        match self.starts.get(b..) {
            Some([start, end, ..]) => self
                .entries
                .get(*start as usize..*end as usize)
                .unwrap_or(&[]),
            _ => &[],
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

    /// The lines whose tag is `key`'s (its lines, and rarely another
    /// person's), unconfirmed: for bringing them into the cache without
    /// waiting on them.
    pub(super) fn candidates<'k>(
        &'k self,
        key: &'k Key<'_>,
    ) -> impl Iterator<Item = &'a CreditLine> + 'k {
        let lines = self.run.lines();
        let tag = key.hash as u32;
        self.bucket_of(key)
            .iter()
            .filter(move |e| e.tag == tag)
            .filter_map(move |e| lines.get(e.line as usize))
    }

    /// A cheap read of `key`'s bucket, to bring it into the cache.
    pub(super) fn touch_bucket(&self, key: &Key<'_>) -> u32 {
        let b = bucket(key.hash, self.shift);
        // What is read does not matter, only that it is.
        self.starts.get(b).copied().unwrap_or_default()
    }

    /// A cheap read of `key`'s entries, to bring them into the cache.
    pub(super) fn touch_entries(&self, key: &Key<'_>) -> u32 {
        self.bucket_of(key).first().map_or(0, |e| e.line)
    }
}

/// A person's id hash, its low bit set (so that no person's is 0). The
/// bucket comes from the top bits and the tag from the low 32, so the tag
/// keeps 31 bits of the hash; every line it finds is confirmed.
#[inline]
fn person_hash(id: &PersonId) -> u64 {
    spread(id) | 1
}

#[inline]
fn bucket(hash: u64, shift: u32) -> usize {
    // bound: `shift` is 64 - bits with 4 <= bits <= 30 (see `new`), so the
    // shift is in range and the bucket, below 2^30, fits a `usize`.
    usize::try_from(hash.checked_shr(shift).unwrap_or(0)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use chrono::NaiveDate;

    use super::{Execution, Key, LineIndex, bucket, person_hash};
    use crate::calendar::DateRange;
    use crate::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
    use crate::org::{Assignment, Org, Position, ReportingLine, Role};
    use crate::{AccountId, Currency, Money, PersonId, PositionId, TransactionId};

    #[test]
    fn each_person_gets_exactly_their_lines_in_run_order() {
        // 300 people on 300 seats, 2,000 sales spread over them (and a
        // few vacant seats): every person's lines from the index are the
        // run's lines of that person, in run order.
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
        let index = LineIndex::new(&run, Execution::Sequential);
        assert_eq!(index.shift, 64 - 10);
        // Hashed on several threads, the same index.
        let parallel = LineIndex::new(&run, Execution::Parallel);
        assert_eq!(parallel.starts, index.starts);
        let entries = |i: &LineIndex<'_>| -> Vec<(u32, u32)> {
            i.entries.iter().map(|e| (e.tag, e.line)).collect()
        };
        assert_eq!(entries(&parallel), entries(&index));
        let nobody = PersonId::new("nobody").unwrap();
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

    #[test]
    fn people_sharing_a_bucket_and_tag_are_told_apart() {
        // A run of four lines has 16 buckets (the top 4 bits): find two
        // people whose hashes share those and the tag.
        let mut seen: HashMap<(usize, u32), PersonId> = HashMap::new();
        let (a, b) = (0..4_000_000u32)
            .find_map(|i| {
                let id = PersonId::new(&format!("E{i}")).unwrap();
                let hash = person_hash(&id);
                seen.insert((bucket(hash, 60), hash as u32), id.clone())
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
        assert_eq!(index.entries.len(), 3);
        let (ka, kb) = (Key::new(&a), Key::new(&b));
        assert_eq!(index.shift, 60);
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
