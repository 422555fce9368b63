//! Rows grouped by key, for looking up every row of one key.
//!
//! [`Groups`] buckets rows by the top bits of their key's hash, with a
//! counting sort: one pass counts the buckets, one places each row,
//! filling each bucket from its end (so no copy of the bucket starts is
//! needed). Each entry keeps the low 32 bits of the hash (its tag), so a
//! key's lookup reads only the rows whose tag matches, which the caller
//! confirms against the row's own key. No table of keys is built: a
//! million rows are grouped in two passes over flat arrays, with no lookup
//! per row.
//!
//! This is a grouping (rows laid out by bucket, as in a CSR matrix), not a
//! hash table of keys: it has no `hashbrown::HashTable` counterpart to
//! compare against. The plain reference it is tested against is a
//! `BTreeMap` from key hash to the rows' indexes.

use std::hash::Hash;

use super::hash::spread;
use super::mem::written_zeros;

/// A key's hash as [`Groups`] takes it: never 0 (0 marks a row without a
/// key). The bucket comes from the top bits and the tag from the low 32,
/// so the tag keeps 31 bits of the hash.
#[inline]
pub(crate) fn key_hash<K: Hash + ?Sized>(key: &K) -> u64 {
    spread(key) | 1
}

/// One row, in its key's bucket.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The low 32 bits of the key's hash (the lowest always set).
    tag: u32,
    /// The row's index.
    row: u32,
}

/// Rows bucketed by their key's hash.
#[derive(Debug)]
pub(crate) struct Groups {
    /// `64 - log2(buckets)`: a hash's bucket is its top bits.
    shift: u32,
    /// Where each bucket starts in `entries`, and one past the last.
    starts: Vec<u32>,
    /// The rows with a key, by bucket, in row order within one.
    entries: Vec<Entry>,
}

impl Groups {
    /// Groups rows by `hashes`, row `i`'s key hash from [`key_hash`], or 0
    /// for a row without a key (left out). There are fewer than 2^32 rows
    /// (the caller checks it; a row past that is left out).
    pub(crate) fn new(hashes: &[u64]) -> Groups {
        // At least half as many buckets as rows (one or two rows a
        // bucket), rounded up to a power of two; at least 16, at most 2^30.
        const MAX_BUCKETS: usize = 1 << 30;
        let buckets = (hashes.len() / 2)
            .max(16)
            .checked_next_power_of_two()
            .map_or(MAX_BUCKETS, |b| b.min(MAX_BUCKETS));
        // 4 <= bits <= 30: a bucket is the top `bits` bits of a hash.
        let bits = buckets.trailing_zeros();
        debug_assert!((4..=30).contains(&bits));
        // bound: bits <= 30.
        let shift = 64u32.saturating_sub(bits);
        // The rows that fit a `u32` index (all, see above).
        let hashes = hashes.get(..u32::MAX as usize).unwrap_or(hashes);
        // `starts[b]` counts bucket `b`, then (summed) is where it ends.
        // Fewer than 2^32 rows are counted, so no count or sum of counts
        // below reaches `u32::MAX`.
        // bound: buckets <= 2^30.
        let mut starts: Vec<u32> = written_zeros(buckets.saturating_add(1));
        for h in hashes.iter().filter(|h| **h != 0) {
            if let Some(c) = starts.get_mut(bucket(*h, shift)) {
                // bound: a bucket counts at most the rows.
                *c = c.saturating_add(1);
            }
        }
        let mut at = 0u32;
        for c in &mut starts {
            // bound: the counts add up to at most the rows.
            at = at.saturating_add(*c);
            *c = at;
        }
        // Placed from the last row back, each bucket filled from its end:
        // every `starts[b]` ends where bucket `b` starts, and each bucket
        // holds its rows in row order.
        let mut entries = vec![Entry { tag: 0, row: 0 }; at as usize];
        for (i, h) in hashes.iter().enumerate().rev() {
            if *h == 0 {
                continue;
            }
            if let Some(end) = starts.get_mut(bucket(*h, shift)) {
                // bound: the row was counted in its bucket, so the
                // bucket's end is above where the row goes.
                *end = end.saturating_sub(1);
                if let Some(e) = entries.get_mut(*end as usize) {
                    *e = Entry {
                        tag: *h as u32,
                        // Below 2^32 (see above): never the fallback.
                        row: u32::try_from(i).unwrap_or(u32::MAX),
                    };
                }
            }
        }
        Groups {
            shift,
            starts,
            entries,
        }
    }

    /// The entries of `hash`'s bucket.
    fn bucket_of(&self, hash: u64) -> &[Entry] {
        match self.starts.get(bucket(hash, self.shift)..) {
            Some([start, end, ..]) => self
                .entries
                .get(*start as usize..*end as usize)
                .unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The rows whose tag is `hash`'s, in row order: every row of its
    /// key, and rarely a row of another key, for the caller to confirm.
    pub(crate) fn candidates(&self, hash: u64) -> impl Iterator<Item = usize> + '_ {
        let tag = hash as u32;
        self.bucket_of(hash)
            .iter()
            .filter(move |e| e.tag == tag)
            .map(|e| e.row as usize)
    }

    /// A cheap read of `hash`'s bucket start, to bring it into the cache.
    pub(crate) fn touch_bucket(&self, hash: u64) -> u32 {
        // What is read does not matter, only that it is.
        self.starts
            .get(bucket(hash, self.shift))
            .copied()
            .unwrap_or_default()
    }

    /// A cheap read of `hash`'s entries, to bring them into the cache.
    pub(crate) fn touch_entries(&self, hash: u64) -> u32 {
        self.bucket_of(hash).first().map_or(0, |e| e.row)
    }
}

#[inline]
fn bucket(hash: u64, shift: u32) -> usize {
    // bound: `shift` is 64 - bits with 4 <= bits <= 30 (see `new`), so the
    // shift is in range and the bucket, below 2^30, fits a `usize`.
    usize::try_from(hash.checked_shr(shift).unwrap_or(0)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    /// The plain reference: each hash's rows, in row order.
    fn reference(hashes: &[u64]) -> BTreeMap<u64, Vec<usize>> {
        let mut by: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
        for (i, h) in hashes.iter().enumerate().filter(|(_, h)| **h != 0) {
            by.entry(*h).or_default().push(i);
        }
        by
    }

    /// The rows of `hash`, confirmed against the rows' own hashes (as a
    /// caller confirms against its keys).
    fn rows_of(groups: &Groups, hashes: &[u64], hash: u64) -> Vec<usize> {
        groups
            .candidates(hash)
            .filter(|r| hashes.get(*r) == Some(&hash))
            .collect()
    }

    proptest! {
        #[test]
        fn groups_as_a_map_from_key_to_rows(
            keys in prop::collection::vec(prop::option::of(0u16..64), 0..400),
            absent in 64u16..128,
        ) {
            let hashes: Vec<u64> = keys.iter().map(|k| k.map_or(0, |k| key_hash(&k))).collect();
            let groups = Groups::new(&hashes);
            let expected = reference(&hashes);
            for (hash, rows) in &expected {
                prop_assert_eq!(&rows_of(&groups, &hashes, *hash), rows);
            }
            prop_assert!(rows_of(&groups, &hashes, key_hash(&absent)).is_empty());
            // Every row with a key is placed exactly once.
            let placed = expected.values().flatten().count();
            prop_assert_eq!(groups.entries.len(), placed);
        }

        #[test]
        fn hashes_sharing_a_bucket_and_tag_are_told_apart_by_the_caller(
            rows in prop::collection::vec(0u64..4, 0..64),
        ) {
            // Four hashes that differ only between the top bits and the
            // tag: one bucket, one tag, four keys.
            let hash = |k: u64| (k << 40) | 1;
            let hashes: Vec<u64> = rows.iter().map(|k| hash(*k)).collect();
            let groups = Groups::new(&hashes);
            for k in 0..4 {
                let expected = reference(&hashes).remove(&hash(k)).unwrap_or_default();
                prop_assert_eq!(rows_of(&groups, &hashes, hash(k)), expected);
                prop_assert_eq!(groups.candidates(hash(k)).count(), rows.len());
            }
        }
    }

    #[test]
    fn buckets_grow_with_the_rows() {
        let hashes: Vec<u64> = (0..2000u32).map(|i| key_hash(&(i % 300))).collect();
        let groups = Groups::new(&hashes);
        assert_eq!(groups.shift, 64 - 10);
        assert_eq!(Groups::new(&[]).shift, 60);
        for (h, rows) in reference(&hashes) {
            assert_eq!(rows_of(&groups, &hashes, h), rows);
            let _ = (groups.touch_bucket(h), groups.touch_entries(h));
        }
    }
}
