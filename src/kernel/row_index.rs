//! Key -> row number for a table of rows that carry their own keys: an
//! index-only hash table over `hashbrown::HashTable`.
//!
//! The keys stay in the caller's rows; each entry holds the row's number
//! and 32 bits of its key's hash (8 bytes plus hashbrown's control byte),
//! so on a million-row table the index costs about 10 MB instead of a copy
//! of every key. A lookup hashes the key with [`spread`], finds candidates
//! through hashbrown's 7-bit control tags, passes over those whose 32-bit
//! tag differs without reading their row, and confirms the rest against
//! the row's key. Batches hash all their keys first, so that their probes
//! are independent and their memory loads overlap.
//!
//! It replaced a hand-written open-addressing table (`org/index.rs`: 8-byte
//! slots with a 32-bit tag, three passes per batch of 32 with a
//! `black_box` warm-up that touched every home slot and candidate row).
//! Measured side by side (`SALESPLAN_BENCH=small`, 100k positions and 1M
//! credits, both bench binaries run in turn three times, 7 December 2026;
//! median times, quiet rounds): `cold/sequential` 15.7 / 16.6 ms against
//! the hand-written 15.7 / 16.0 ms, `by_id/sequential` (one lookup per
//! credit row) 35.9 / 46.0 ms against 41.9 / 39.8 ms, `org_build` 7.5 /
//! 8.4 ms against 7.0 / 8.4 ms: the same within the machine's noise. A
//! first version that kept only the row number (hashbrown's 7-bit tags
//! alone, so about one candidate in ten read a row it did not need) and
//! probed each key as it was hashed was 20 to 30% slower on `by_id` and
//! `cold`; the 32-bit tag and the batched hashing are what close the gap.

use std::hash::Hash;

use hashbrown::HashTable;

use super::hash::spread;

/// Marks a key that is not in the index, in [`RowIndex::get_many`]'s
/// output.
pub(crate) const MISSING: u32 = u32::MAX;

/// Row numbers of a table's rows by key.
#[derive(Clone, Default)]
pub(crate) struct RowIndex {
    rows: HashTable<Entry>,
}

/// A row number and 32 bits of its key's hash: a candidate whose bits
/// differ is passed over without reading its row.
#[derive(Clone, Copy)]
struct Entry {
    row: u32,
    tag: u32,
}

/// The tag of a hash: its low 32 bits (hashbrown's buckets and control
/// bytes come from the top).
#[inline]
fn tag(hash: u64) -> u32 {
    hash as u32
}

/// Lookups whose hashes are computed together before any is probed.
const BATCH: usize = 32;

impl RowIndex {
    /// Indexes `rows` by `key`; `Err(i)` when `rows[i]` repeats an earlier
    /// key, `Err(rows.len())` when there are too many rows to number with
    /// a `u32` below [`MISSING`].
    pub(crate) fn new<R, K>(rows: &[R], key: impl Fn(&R) -> &K) -> Result<RowIndex, usize>
    where
        K: Hash + Eq + ?Sized,
    {
        if u32::try_from(rows.len()).map_or(true, |n| n == MISSING) {
            return Err(rows.len());
        }
        let mut index = RowIndex {
            rows: HashTable::with_capacity(rows.len()),
        };
        let rehash = |e: &Entry| rows.get(e.row as usize).map_or(0, |r| spread(key(r)));
        for (at, row) in (0u32..).zip(rows) {
            let k = key(row);
            let hash = spread(k);
            let same = |e: &Entry| {
                e.tag == tag(hash) && rows.get(e.row as usize).is_some_and(|r| key(r) == k)
            };
            match index.rows.entry(hash, same, rehash) {
                hashbrown::hash_table::Entry::Occupied(_) => return Err(at as usize),
                hashbrown::hash_table::Entry::Vacant(slot) => {
                    slot.insert(Entry {
                        row: at,
                        tag: tag(hash),
                    });
                }
            }
        }
        Ok(index)
    }

    /// The row whose key is `wanted`, among `rows` (the table this index
    /// was built from).
    #[inline]
    pub(crate) fn get<R, K>(&self, rows: &[R], key: impl Fn(&R) -> &K, wanted: &K) -> Option<u32>
    where
        K: Hash + Eq + ?Sized,
    {
        self.find(rows, &key, spread(wanted), wanted)
    }

    #[inline]
    fn find<R, K>(&self, rows: &[R], key: &impl Fn(&R) -> &K, hash: u64, wanted: &K) -> Option<u32>
    where
        K: Hash + Eq + ?Sized,
    {
        self.rows
            .find(hash, |e| {
                e.tag == tag(hash) && rows.get(e.row as usize).is_some_and(|r| key(r) == wanted)
            })
            .map(|e| e.row)
    }

    /// Looks up the key of every query: `out[i]` is the row of
    /// `query_key(&queries[i])`, or [`MISSING`]. The keys of a batch are
    /// hashed first, so that the probes that follow are independent of
    /// each other and their memory loads overlap.
    pub(crate) fn get_many<R, Q, K>(
        &self,
        rows: &[R],
        key: impl Fn(&R) -> &K,
        queries: &[Q],
        query_key: impl Fn(&Q) -> &K,
        out: &mut Vec<u32>,
    ) where
        K: Hash + Eq + ?Sized,
    {
        out.clear();
        out.reserve(queries.len());
        let mut hashes = [0u64; BATCH];
        for batch in queries.chunks(BATCH) {
            for (hash, q) in hashes.iter_mut().zip(batch) {
                *hash = spread(query_key(q));
            }
            out.extend(batch.iter().zip(&hashes).map(|(q, hash)| {
                self.find(rows, &key, *hash, query_key(q))
                    .unwrap_or(MISSING)
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    fn id(s: &String) -> &String {
        s
    }

    #[test]
    fn finds_every_row_and_nothing_else() {
        let rows: Vec<String> = (0..1000).map(|i| format!("p{i}")).collect();
        let index = RowIndex::new(&rows, id).unwrap();
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(index.get(&rows, id, r), Some(u32::try_from(i).unwrap()));
        }
        assert_eq!(index.get(&rows, id, &"p1000".to_owned()), None);
        let queries = ["p3", "nope", "p999"].map(String::from);
        let mut out = vec![7, 7, 7, 7];
        index.get_many(&rows, id, &queries, id, &mut out);
        assert_eq!(out, [3, MISSING, 999]);
    }

    #[test]
    fn a_repeated_key_is_named() {
        let rows = ["a", "b", "a", "b"].map(String::from);
        assert_eq!(RowIndex::new(&rows, id).err(), Some(2));
        let empty: [String; 0] = [];
        let index = RowIndex::new(&empty, id).unwrap();
        assert_eq!(index.get(&empty, id, &"a".to_owned()), None);
    }

    proptest! {
        /// Against the plain reference: a `HashMap` from key to first row.
        #[test]
        fn same_as_a_hash_map(
            keys in proptest::collection::vec("[a-d]{0,3}", 0..200),
            queries in proptest::collection::vec("[a-e]{0,3}", 0..50),
        ) {
            let mut reference: HashMap<&String, u32> = HashMap::new();
            let mut repeat = None;
            for (i, k) in keys.iter().enumerate() {
                if reference.insert(k, u32::try_from(i).unwrap()).is_some() {
                    repeat = Some(i);
                    break;
                }
            }
            match RowIndex::new(&keys, id) {
                Err(i) => prop_assert_eq!(Some(i), repeat),
                Ok(index) => {
                    prop_assert_eq!(repeat, None);
                    let mut out = Vec::new();
                    index.get_many(&keys, id, &queries, id, &mut out);
                    for (q, found) in queries.iter().zip(&out) {
                        let expected = reference.get(q).copied();
                        prop_assert_eq!(index.get(&keys, id, q), expected);
                        prop_assert_eq!(*found, expected.unwrap_or(MISSING));
                    }
                }
            }
        }
    }
}
