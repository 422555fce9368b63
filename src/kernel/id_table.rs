//! A sorted table of ids by hash: finds repeated ids, and where each of a
//! batch of ids is, with sequential passes and small sorts.
//!
//! Each row `i` of a table (a transaction, say) is one [`entry`]: the top
//! 32 bits of its id's hash (the entry's [`key`]) above `i`. The entries
//! are sorted by a radix pass on their top bits and a sort of each bucket
//! within the cache; repeats are then neighbours, and a batch of lookups,
//! sorted by key, is one merge with the table. Ids that share a key (about
//! ten thousand pairs among ten million ids) are told apart by the caller's
//! comparison of the ids themselves.
//!
//! Kept instead of a `hashbrown::HashTable<u32>` of row indexes because it
//! measured about twice as fast: a hash table probes at a random place
//! per id, a cache miss each once it outgrows the cache (plus the id
//! compared at each probe), where this table's passes are sequential.
//! Side by side (2026-12-07, one thread, release build, interleaved runs,
//! medians of five; the feed's work: every id checked for a repeat, then
//! one lookup for each of 5% of the rows, ids like `SO-00012345`), the
//! `HashTable` (`entry` per id with `spread` as the hash, then `find`)
//! took 1.94× as long as this table at one million ids (0.406 s against
//! 0.209 s) and 2.31× at ten million (6.53 s against 2.83 s).

/// No row: a key not in the table.
pub(crate) const ABSENT: u32 = u32::MAX;

/// The entry of row `i` whose id hashes to `hash`: the hash's top 32 bits
/// (its [`key`]), then the row.
#[inline]
pub(crate) const fn entry(hash: u64, i: u32) -> u64 {
    (hash & 0xFFFF_FFFF_0000_0000) | i as u64
}

/// The key of an entry or of a hash: its top 32 bits.
#[inline]
pub(crate) const fn key(entry: u64) -> u64 {
    entry >> 32
}

/// The row of an entry.
#[inline]
pub(crate) const fn index_of(entry: u64) -> u32 {
    (entry & 0xFFFF_FFFF) as u32
}

/// Entries, sorted.
#[derive(Debug)]
pub(crate) struct IdTable {
    entries: Vec<u64>,
}

impl IdTable {
    /// The table of `entries` (in any order), sorted: put into buckets by
    /// their top bits, then each bucket sorted within the cache, on
    /// rayon's threads when `parallel` (and the `parallel` feature).
    pub(crate) fn new(entries: Vec<u64>, parallel: bool) -> IdTable {
        // About 2,000 ids a bucket, at most 2^20 buckets.
        let bits = (0u32..20)
            .find(|b| (entries.len() >> b) <= 2048)
            .unwrap_or(20);
        // An entry's bucket: its top `bits` bits (none when `bits` is 0).
        let bucket = |e: u64| ((u128::from(e) << bits) >> 64) as usize;
        let ends = bucket_ends(&entries, 1usize << bits, bucket);
        let mut sorted = vec![0u64; entries.len()];
        // Each entry into its bucket's next place.
        let mut next = ends.clone();
        for e in &entries {
            if let Some(at) = next.get_mut(bucket(*e)) {
                if let Some(slot) = sorted.get_mut(*at) {
                    *slot = *e;
                }
                // bound: `at` stays below where its bucket ends, at most
                // `entries.len()`.
                *at = at.saturating_add(1);
            }
        }
        drop(entries);
        sort_buckets(&mut sorted, &ends, parallel);
        IdTable { entries: sorted }
    }

    /// The first row, in row order, whose id an earlier row has, where
    /// `id(i)` is row `i`'s id.
    pub(crate) fn first_repeat<K: Ord>(&self, id: impl Fn(u32) -> K) -> Option<u32> {
        let mut first: Option<u32> = None;
        let mut same: Vec<(K, u32)> = Vec::new();
        for run in self.entries.chunk_by(|x, y| key(*x) == key(*y)) {
            if run.len() < 2 {
                continue;
            }
            // Same key: sort by id, then row; a repeat follows its first
            // occurrence.
            same.clear();
            same.extend(run.iter().map(|e| (id(index_of(*e)), index_of(*e))));
            same.sort_unstable();
            for w in same.windows(2) {
                if let [(a, _), (b, later)] = w
                    && a == b
                {
                    first = Some(first.map_or(*later, |f| f.min(*later)));
                }
            }
        }
        first
    }

    /// For each of `keys`, where its entries start in the table (where
    /// they would be, when there are none). The keys are sorted first and
    /// merged with the table: one sequential sweep instead of a binary
    /// search at a random place per key.
    pub(crate) fn starts_of(&self, keys: &[u64]) -> Vec<u32> {
        let mut wanted: Vec<(u64, u32)> = keys.iter().copied().zip(0u32..).collect();
        wanted.sort_unstable();
        let mut starts = vec![ABSENT; keys.len()];
        let mut at = 0usize;
        for (k, q) in wanted {
            while self.entries.get(at).is_some_and(|e| key(*e) < k) {
                // bound: `at` indexes `entries`, so `at + 1 <= len`.
                at = at.saturating_add(1);
            }
            if let Some(slot) = starts.get_mut(q as usize) {
                // One entry per row, rows are `u32`: `at` fits, unless
                // the table is full to `ABSENT` (then nothing is found
                // from there, never a wrong row).
                *slot = u32::try_from(at).unwrap_or(ABSENT);
            }
        }
        starts
    }

    /// The row of the entry at `start` (a place [`starts_of`](Self::starts_of)
    /// gave): the first candidate for its key; [`ABSENT`] past the end.
    pub(crate) fn row_at(&self, start: u32) -> u32 {
        self.entries
            .get(start as usize)
            .map_or(ABSENT, |e| index_of(*e))
    }

    /// The first row with key `k`, looking from `from` (where the key
    /// starts), that `is` the id wanted.
    pub(crate) fn find_from(&self, k: u64, from: u32, is: impl Fn(u32) -> bool) -> Option<u32> {
        self.entries
            .get(from as usize..)?
            .iter()
            .take_while(|e| key(**e) == k)
            .map(|e| index_of(*e))
            .find(|i| is(*i))
    }
}

/// Where each of `buckets` buckets of `entries` ends, once they are laid
/// out in order: `ends[b]` is where bucket `b` starts, `ends[b + 1]` where
/// it ends.
fn bucket_ends(entries: &[u64], buckets: usize, bucket: impl Fn(u64) -> usize) -> Vec<usize> {
    // `ends[b + 1]` counts bucket `b`, then (summed) is where it ends.
    // bound: buckets <= 2^20.
    let mut ends = vec![0usize; buckets.saturating_add(1)];
    if let Some(counts) = ends.get_mut(1..) {
        for e in entries {
            if let Some(c) = counts.get_mut(bucket(*e)) {
                // bound: a bucket counts at most `entries.len()` entries.
                *c = c.saturating_add(1);
            }
        }
    }
    let mut total = 0usize;
    for s in &mut ends {
        // bound: the counts add up to `entries.len()`.
        total = total.saturating_add(*s);
        *s = total;
    }
    debug_assert_eq!(total, entries.len());
    ends
}

/// Sorts each bucket of `entries` (bucket `b` from `ends[b]` to
/// `ends[b + 1]`), on rayon's threads when `parallel`.
fn sort_buckets(entries: &mut [u64], ends: &[usize], parallel: bool) {
    let mut groups = Vec::with_capacity(ends.len());
    let mut rest: &mut [u64] = entries;
    for w in ends.windows(2) {
        let len = match w {
            // bound: `ends` is a running total, so `a <= b`.
            [a, b] => b.saturating_sub(*a),
            _ => 0,
        };
        let all = std::mem::take(&mut rest);
        let (group, tail) = all.split_at_mut(len.min(all.len()));
        groups.push(group);
        rest = tail;
    }
    #[cfg(feature = "parallel")]
    if parallel && groups.len() > 1 {
        use rayon::prelude::*;
        groups.into_par_iter().for_each(|g| g.sort_unstable());
        return;
    }
    #[cfg(not(feature = "parallel"))]
    let _ = parallel;
    groups.into_iter().for_each(|g| g.sort_unstable());
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    /// A table of rows with ids `ids`, hashes chosen so that many share a
    /// key (the low bits of the id only).
    fn table(ids: &[u16], parallel: bool) -> IdTable {
        let entries = (0u32..)
            .zip(ids)
            .map(|(i, id)| entry(hash(*id), i))
            .collect();
        IdTable::new(entries, parallel)
    }

    /// Keys shared by many ids (`id % 1024` in the top bits, spreading
    /// the ids over the table's radix buckets, and `id % 7` below it), so
    /// both the buckets and the runs of one key are exercised.
    fn hash(id: u16) -> u64 {
        (u64::from(id % 1024) << 54) | (u64::from(id % 7) << 32) | 0xABCD
    }

    /// The reference: the first row whose id a `HashMap` has seen.
    fn first_repeat_plain(ids: &[u16]) -> Option<u32> {
        let mut seen = HashMap::new();
        (0u32..)
            .zip(ids)
            .find_map(|(i, id)| seen.insert(*id, i).map(|_| i))
    }

    #[test]
    fn parts_of_an_entry() {
        let e = entry(0x1234_5678_9ABC_DEF0, 42);
        assert_eq!(key(e), 0x1234_5678);
        assert_eq!(index_of(e), 42);
        assert_eq!(key(0x1234_5678_9ABC_DEF0), 0x1234_5678);
    }

    #[test]
    fn an_empty_table_finds_nothing() {
        let t = IdTable::new(Vec::new(), false);
        assert_eq!(t.first_repeat(|i| i), None);
        assert_eq!(t.starts_of(&[3]), vec![0]);
        assert_eq!(t.row_at(0), ABSENT);
        assert_eq!(t.find_from(3, 0, |_| true), None);
    }

    proptest! {
        /// The first repeat is the one a `HashMap` of seen ids finds, on
        /// one thread or several.
        #[test]
        fn first_repeat_is_the_first_seen_twice(
            ids in prop::collection::vec(any::<u16>(), 0..10_000),
            parallel: bool,
        ) {
            let t = table(&ids, parallel);
            let id = |i: u32| ids.get(i as usize).copied();
            prop_assert_eq!(t.first_repeat(id), first_repeat_plain(&ids));
        }

        /// Looking up unique ids from where their key starts finds the
        /// row a `HashMap` from id to row has; an id not in the table is
        /// not found.
        #[test]
        fn lookups_find_what_a_map_has(
            ids in prop::collection::hash_set(any::<u16>(), 0..6_000),
            wanted in prop::collection::vec(any::<u16>(), 0..200),
            parallel: bool,
        ) {
            let ids: Vec<u16> = ids.into_iter().collect();
            let map: HashMap<u16, u32> = ids.iter().copied().zip(0u32..).collect();
            let t = table(&ids, parallel);
            let keys: Vec<u64> = wanted.iter().map(|w| key(hash(*w))).collect();
            let starts = t.starts_of(&keys);
            for ((w, k), from) in wanted.iter().zip(&keys).zip(&starts) {
                let found = t.find_from(*k, *from, |i| ids.get(i as usize) == Some(w));
                prop_assert_eq!(found, map.get(w).copied());
                if let Some(row) = found {
                    // The first candidate is a row with the same key.
                    let first = t.row_at(*from);
                    prop_assert_eq!(ids.get(first as usize).map(|f| f % 7), Some(w % 7));
                    prop_assert_eq!(ids.get(row as usize), Some(w));
                }
            }
        }
    }
}
