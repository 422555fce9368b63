//! A hash map kept in a few tables by key hash, so that the tables can be
//! filled side by side.
//!
//! Building one big map is a single thread's work; [`Sharded`] splits the
//! keys over [`SHARDS`] `FxHashMap`s by two bits of their hash, sizes each
//! table exactly before filling it (no growing and rehashing on the way),
//! and fills the tables on rayon's threads when asked. A lookup is one
//! hash for the shard and one lookup in its table. The values are owned
//! (the keys are cloned in), so this is a map, not an index-only table.

use std::hash::{Hash, Hasher};

use super::hash::{FxHashMap, FxHasher};

/// The number of tables (a power of two).
pub(crate) const SHARDS: usize = 4;

/// Which of the [`SHARDS`] tables holds `key`: two bits of its Fx hash that
/// the tables themselves use little (they place by the low bits and tag by
/// the top seven).
pub(crate) fn shard_of<K: Hash + ?Sized>(key: &K) -> usize {
    let mut h = FxHasher::default();
    key.hash(&mut h);
    (h.finish() >> 40) as usize & (SHARDS - 1)
}

/// An entry to put in a [`Sharded`] map, with its table worked out once.
#[derive(Debug)]
pub(crate) struct Entry<'k, K, V> {
    key: &'k K,
    value: V,
    shard: usize,
}

impl<'k, K: Hash, V> Entry<'k, K, V> {
    /// `key` with `value`.
    pub(crate) fn new(key: &'k K, value: V) -> Entry<'k, K, V> {
        Entry {
            key,
            value,
            shard: shard_of(key),
        }
    }
}

/// A map from `K` to `V` in [`SHARDS`] tables.
#[derive(Debug)]
pub(crate) struct Sharded<K, V> {
    shards: Vec<FxHashMap<K, V>>,
}

impl<K, V> Sharded<K, V>
where
    K: Hash + Eq + Clone + Send + Sync,
    V: Clone + Send + Sync,
{
    /// The map of `parts`' entries, taken in order (a key given twice
    /// keeps its last value). With `parallel` and the `parallel` feature,
    /// the tables are filled on rayon's threads; the map is the same
    /// either way.
    pub(crate) fn new(parts: &[Vec<Entry<'_, K, V>>], parallel: bool) -> Sharded<K, V> {
        let mut sizes = [0usize; SHARDS];
        for e in parts.iter().flatten() {
            if let Some(n) = sizes.get_mut(e.shard) {
                // bound: counts entries held in memory (a capacity only).
                *n = n.saturating_add(1);
            }
        }
        let fill = |(shard, size): (usize, &usize)| {
            let mut map = FxHashMap::with_capacity_and_hasher(*size, Default::default());
            map.extend(
                parts
                    .iter()
                    .flatten()
                    .filter(|e| e.shard == shard)
                    .map(|e| (e.key.clone(), e.value.clone())),
            );
            map
        };
        #[cfg(feature = "parallel")]
        if parallel {
            use rayon::prelude::*;
            return Sharded {
                shards: sizes.par_iter().enumerate().map(fill).collect(),
            };
        }
        let _ = parallel;
        Sharded {
            shards: sizes.iter().enumerate().map(fill).collect(),
        }
    }

    /// `key`'s value.
    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        self.shards.get(shard_of(key)).and_then(|m| m.get(key))
    }

    /// Whether `key` has a value.
    pub(crate) fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn reads_as_a_plain_map(
            parts in prop::collection::vec(
                prop::collection::vec((0u16..200, any::<i32>()), 0..50),
                0..6,
            ),
            parallel: bool,
        ) {
            // The plain reference: one map, filled in order.
            let mut reference: HashMap<u16, i32> = HashMap::new();
            for (k, v) in parts.iter().flatten() {
                reference.insert(*k, *v);
            }
            let entries: Vec<Vec<Entry<'_, u16, i32>>> = parts
                .iter()
                .map(|p| p.iter().map(|(k, v)| Entry::new(k, *v)).collect())
                .collect();
            let sharded = Sharded::new(&entries, parallel);
            for k in 0u16..250 {
                prop_assert_eq!(sharded.get(&k), reference.get(&k));
                prop_assert_eq!(sharded.contains_key(&k), reference.contains_key(&k));
            }
            let held = sharded.shards.iter().flat_map(HashMap::keys).count();
            prop_assert_eq!(held, reference.len());
        }
    }

    #[test]
    fn every_key_has_one_shard() {
        for k in 0..1000u32 {
            assert!(shard_of(&k) < SHARDS);
            assert_eq!(shard_of(&k), Entry::new(&k, ()).shard);
        }
    }
}
