//! Rows grouped by the row they point at (a return by the sale it
//! reverses), with a counting sort.
//!
//! The few rows that point somewhere are kept as (target, row) pairs and
//! sorted by target with a two-pass radix sort (a counting sort on the low
//! 16 bits of the target, then a stable one on the high 16), so the rows
//! of one target end up together, in row order. Nothing is kept per target
//! that no row points at: a few hundred thousand returns of ten million
//! sales take two arrays of their own length. A pass over the targets in
//! order walks the pairs with a cursor ([`ByTarget::first_from`] to start
//! it). The plain reference it is tested against is a `BTreeMap` from
//! target to rows.

/// The rows pointing at each target (each row a `T`: its index, and
/// whatever the caller reads of it later, carried along so that it is
/// read in order), sorted by target, then row.
#[derive(Debug, Clone, Default)]
pub(crate) struct ByTarget<T = u32> {
    targets: Vec<u32>,
    rows: Vec<T>,
}

/// One stable counting-sort pass of `pairs` by 16 bits of the target from
/// bit `shift`.
fn pass<T: Copy + Default>(pairs: &[(u32, T)], shift: u32) -> Vec<(u32, T)> {
    let digit = |t: u32| ((t >> shift) & 0xFFFF) as usize;
    let mut starts = vec![0_usize; 1 << 16];
    for (t, _) in pairs {
        if let Some(c) = starts.get_mut(digit(*t)) {
            *c = c.saturating_add(1); // bound: at most pairs.len()
        }
    }
    let mut sum = 0_usize;
    for slot in &mut starts {
        let count = *slot;
        *slot = sum;
        sum = sum.saturating_add(count); // bound: at most pairs.len()
    }
    let mut out = vec![(0_u32, T::default()); pairs.len()];
    for pair in pairs {
        if let Some(at) = starts.get_mut(digit(pair.0)) {
            if let Some(slot) = out.get_mut(*at) {
                *slot = *pair;
            }
            *at = at.saturating_add(1); // bound: below pairs.len()
        }
    }
    out
}

impl<T: Copy + Default> ByTarget<T> {
    /// Groups `pairs` of (target, row), given in row order, by target.
    pub(crate) fn new(pairs: &[(u32, T)]) -> ByTarget<T> {
        let sorted = pass(&pass(pairs, 0), 16);
        let (targets, rows) = sorted.into_iter().unzip();
        ByTarget { targets, rows }
    }

    /// How many pairs.
    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The index of the first pair whose target is `target` or after it.
    pub(crate) fn first_from(&self, target: u32) -> usize {
        self.targets.partition_point(|t| *t < target)
    }

    /// Pair `i`: (target, row).
    #[inline]
    pub(crate) fn pair(&self, i: usize) -> Option<(u32, T)> {
        Some((*self.targets.get(i)?, *self.rows.get(i)?))
    }

    /// The rows pointing at `target`, in row order, from pair `from` (a
    /// cursor at or before the target's first pair), and the cursor past
    /// them.
    #[inline]
    pub(crate) fn rows_of(&self, target: u32, mut from: usize) -> (&[T], usize) {
        while self.targets.get(from).is_some_and(|t| *t < target) {
            from = from.saturating_add(1); // bound: below len
        }
        let start = from;
        while self.targets.get(from).is_some_and(|t| *t == target) {
            from = from.saturating_add(1); // bound: below len
        }
        (self.rows.get(start..from).unwrap_or_default(), from)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    /// The plain reference: a map from target to its rows.
    fn reference(pairs: &[(u32, u32)]) -> BTreeMap<u32, Vec<u32>> {
        let mut map: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for &(t, row) in pairs {
            map.entry(t).or_default().push(row);
        }
        map
    }

    proptest! {
        #[test]
        fn agrees_with_a_map(raw in prop::collection::vec(prop_oneof![0_u32..50, any::<u32>()], 0..300)) {
            let pairs: Vec<(u32, u32)> = (0_u32..).zip(raw).map(|(row, t)| (t, row)).collect();
            let grouped: ByTarget = ByTarget::new(&pairs);
            let want = reference(&pairs);
            prop_assert_eq!(grouped.len(), pairs.len());
            // A walk over the targets in order with one cursor.
            let mut cursor = grouped.first_from(0);
            for (t, rows) in &want {
                let (got, next) = grouped.rows_of(*t, cursor);
                prop_assert_eq!(got, rows.as_slice());
                cursor = next;
            }
            prop_assert_eq!(cursor, pairs.len());
            for (t, rows) in &want {
                let (got, _) = grouped.rows_of(*t, grouped.first_from(*t));
                prop_assert_eq!(got, rows.as_slice());
                prop_assert_eq!(grouped.pair(grouped.first_from(*t)), Some((*t, rows[0])));
            }
            prop_assert_eq!(grouped.rows_of(7, grouped.first_from(7)).0, want.get(&7).map_or(&[][..], Vec::as_slice));
        }
    }
}
