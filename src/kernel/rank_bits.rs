//! Sparse rows over a dense range of keys: a bit per key, and a rank
//! (count of the bits set before each word) to find a key's row.
//!
//! For data that only a few of many keys have (the returns of a few sales
//! among millions), a row start for every key would be a fresh page and a
//! cache miss per lookup; a bit per key is 64 times smaller, and keys
//! without a row are answered from the bits alone.

/// One bit per key in `0..n`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Bits {
    /// Bit `i % 64` of word `i / 64` is key `i`'s.
    words: Vec<u64>,
    /// How many keys.
    len: usize,
}

impl Bits {
    /// `n` bits, all clear.
    pub(crate) fn new(n: usize) -> Bits {
        Bits {
            words: vec![0; n.div_ceil(64)],
            len: n,
        }
    }

    /// Sets key `i`'s bit (none past the end).
    #[inline]
    pub(crate) fn set(&mut self, i: u32) {
        if (i as usize) >= self.len {
            return;
        }
        if let Some(word) = self.words.get_mut((i as usize) / 64) {
            *word |= 1u64 << (i % 64);
        }
    }

    /// Key `i`'s bit; `None` past the end.
    #[inline]
    pub(crate) fn get(&self, i: u32) -> Option<bool> {
        if (i as usize) >= self.len {
            return None;
        }
        let word = self.words.get((i as usize) / 64)?;
        Some(word & (1u64 << (i % 64)) != 0)
    }
}

/// Rows of items for some of the keys `0..n`: the items of key `k` are a
/// range of the caller's items, sorted by key.
#[derive(Debug, Clone, Default)]
pub(crate) struct SparseRows {
    /// Whether key `k` has a row.
    has: Bits,
    /// How many keys with a row come before each word of bits.
    before: Vec<u32>,
    /// Row `r`'s items are `start[r]..start[r + 1]`.
    start: Vec<u32>,
}

impl SparseRows {
    /// The rows of items whose keys are `keys` (sorted; each below `n`),
    /// over keys `0..n`. There are fewer than `u32::MAX` items (the
    /// caller indexes them by `u32`).
    pub(crate) fn new(n: usize, keys: impl IntoIterator<Item = u32>) -> SparseRows {
        let mut has = Bits::new(n);
        let mut start = Vec::new();
        let mut last = None;
        let mut count = 0u32;
        for (k, key) in (0u32..).zip(keys) {
            if last != Some(key) {
                debug_assert!(last.is_none_or(|l| l < key), "keys are sorted");
                last = Some(key);
                start.push(k);
                has.set(key);
            }
            count = k;
        }
        // One past the last item: `count + 1`, or 0 for none.
        let items = if last.is_some() {
            // bound: the items are counted in a `u32`, below `u32::MAX`
            // (the caller's items are indexed by `u32`).
            count.saturating_add(1)
        } else {
            0
        };
        start.push(items);
        let mut seen = 0u32;
        let before = has
            .words
            .iter()
            .map(|word| {
                let here = seen;
                // bound: one bit per key with a row, at most one per item.
                seen = seen.saturating_add(word.count_ones());
                here
            })
            .collect();
        SparseRows { has, before, start }
    }

    /// Key `key`'s items; `None` for a key without a row.
    pub(crate) fn range(&self, key: u32) -> Option<std::ops::Range<usize>> {
        let w = (key as usize) / 64;
        let bit = 1u64 << (key % 64);
        let word = *self.has.words.get(w)?;
        if word & bit == 0 {
            return None;
        }
        let row = self
            .before
            .get(w)?
            // bound: the rows before this one, fewer than the keys with a
            // row (counted in `new` without reaching `u32::MAX`).
            .saturating_add((word & bit.wrapping_sub(1)).count_ones()) as usize;
        match self.start.get(row..)? {
            [from, to, ..] => Some(*from as usize..*to as usize),
            _ => None,
        }
    }

    /// Every row's items, in key order.
    pub(crate) fn rows(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        self.start.windows(2).filter_map(|w| match w {
            [a, b] => Some(*a as usize..*b as usize),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// A bit set is what a `Vec<bool>` holds.
        #[test]
        fn bits_are_a_vec_of_bools(n in 0usize..300, set in prop::collection::vec(0u32..400, 0..100)) {
            let mut bits = Bits::new(n);
            let mut plain = vec![false; n];
            for i in &set {
                bits.set(*i);
                if let Some(b) = plain.get_mut(*i as usize) {
                    *b = true;
                }
            }
            for i in 0..470u32 {
                prop_assert_eq!(bits.get(i), plain.get(i as usize).copied());
            }
        }

        /// Each key's items are where a `BTreeMap` from key to its item
        /// range puts them; keys without items have no row.
        #[test]
        fn rows_are_what_a_map_of_ranges_holds(
            n in 1usize..400,
            mut keys in prop::collection::vec(0u32..400, 0..300),
        ) {
            keys.retain(|k| (*k as usize) < n);
            keys.sort_unstable();
            let rows = SparseRows::new(n, keys.iter().copied());
            let mut plain: BTreeMap<u32, std::ops::Range<usize>> = BTreeMap::new();
            for (i, k) in keys.iter().enumerate() {
                plain.entry(*k).or_insert(i..i).end = i.checked_add(1).unwrap();
            }
            for key in 0..470u32 {
                prop_assert_eq!(rows.range(key), plain.get(&key).cloned());
            }
            prop_assert_eq!(rows.rows().collect::<Vec<_>>(), plain.into_values().collect::<Vec<_>>());
        }
    }
}
