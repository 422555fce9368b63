//! Key -> row number for a table of rows that carry their own keys: an
//! index-only hash table.
//!
//! The keys stay in the caller's rows; the index holds only each row's
//! number (4 bytes a slot plus hashbrown's control byte), so on a
//! million-row table it costs a few megabytes instead of a copy of every
//! key. A lookup hashes the key with [`spread`], finds the candidate rows
//! through `hashbrown::HashTable`'s tag groups, and confirms each candidate
//! against its row's key.
//!
//! This replaced a hand-written open-addressing table with 32-bit tags and
//! batched prefetching passes (`org/index.rs`, with a `black_box` warm-up);
//! the side-by-side criterion run on the rollup benches (small org: 100k
//! positions, 1M credits) is in the commit that made the change and in
//! `BENCHMARKS.md`-style notes of its message.

use std::hash::Hash;

use hashbrown::HashTable;

use super::hash::spread;

/// Marks a key that is not in the index, in [`RowIndex::get_many`]'s
/// output.
pub(crate) const MISSING: u32 = u32::MAX;

/// Row numbers of a table's rows by key.
#[derive(Clone, Default)]
pub(crate) struct RowIndex {
    rows: HashTable<u32>,
}

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
        let rehash = |at: &u32| rows.get(*at as usize).map_or(0, |r| spread(key(r)));
        for (at, row) in (0u32..).zip(rows) {
            let k = key(row);
            let hash = spread(k);
            let same = |other: &u32| rows.get(*other as usize).is_some_and(|r| key(r) == k);
            match index.rows.entry(hash, same, rehash) {
                hashbrown::hash_table::Entry::Occupied(_) => return Err(at as usize),
                hashbrown::hash_table::Entry::Vacant(slot) => {
                    slot.insert(at);
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
            .find(hash, |at| {
                rows.get(*at as usize).is_some_and(|r| key(r) == wanted)
            })
            .copied()
    }

    /// Looks up the key of every query: `out[i]` is the row of
    /// `query_key(&queries[i])`, or [`MISSING`].
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
        out.extend(queries.iter().map(|q| {
            let wanted = query_key(q);
            self.find(rows, &key, spread(wanted), wanted)
                .unwrap_or(MISSING)
        }));
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
