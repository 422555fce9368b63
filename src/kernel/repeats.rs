//! The first value of a column seen before: a duplicate-id check over
//! millions of rows.
//!
//! Integers whose range is at most 64 times the number of rows (ids
//! numbered from a sequence, as CRM exports carry them) are checked
//! against a bitmap of the range: one bit per possible id, a few cache
//! lines per thousand rows; other integers and text through a hash set.

use std::hash::Hash;

use hashbrown::HashSet;

use super::hash::FxHasher;

type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// The row of the first value of `values` equal to an earlier one, or
/// `None` when they are all distinct. `values` is walked twice (its range,
/// then the check), hence `Clone`.
pub(crate) fn first_repeat_int<I>(values: I) -> Option<usize>
where
    I: Iterator<Item = u64> + Clone,
{
    let (mut lo, mut hi, mut len) = (u64::MAX, 0_u64, 0_u64);
    for v in values.clone() {
        lo = lo.min(v);
        hi = hi.max(v);
        len = len.wrapping_add(1);
    }
    if len == 0 {
        return None;
    }
    // bound: `hi >= lo` once a value was seen.
    let span = hi.wrapping_sub(lo);
    if span / 64 <= len
        && let Some(words) = (span / 64)
            .checked_add(1)
            .and_then(|w| usize::try_from(w).ok())
    {
        let mut bits = vec![0_u64; words];
        for (row, v) in values.enumerate() {
            // bound: `lo <= v <= hi`, so the word is within `bits`.
            let at = v.wrapping_sub(lo);
            let word = bits.get_mut(usize::try_from(at / 64).ok()?)?;
            let bit = 1_u64 << (at % 64);
            if *word & bit != 0 {
                return Some(row);
            }
            *word |= bit;
        }
        return None;
    }
    first_repeat(values)
}

/// The row of the first value of `values` equal to an earlier one, by a
/// hash set.
pub(crate) fn first_repeat<T: Hash + Eq>(values: impl Iterator<Item = T>) -> Option<usize> {
    let (low, _) = values.size_hint();
    let mut seen: HashSet<T, FxBuild> = HashSet::with_capacity_and_hasher(low, FxBuild::default());
    for (row, v) in values.enumerate() {
        if !seen.insert(v) {
            return Some(row);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The plain reference: each value against every earlier one.
    fn reference(values: &[u64]) -> Option<usize> {
        (0..values.len()).find(|&i| values[..i].contains(&values[i]))
    }

    proptest! {
        #[test]
        fn agrees_with_the_reference(
            dense in prop::collection::vec(0_u64..300, 0..200),
            base in prop_oneof![Just(0_u64), Just(u64::MAX - 400), any::<u64>().prop_map(|b| b / 2)],
            sparse in prop::collection::vec(any::<u64>(), 0..50),
        ) {
            let shifted: Vec<u64> = dense.iter().map(|v| base.wrapping_add(*v)).collect();
            prop_assert_eq!(first_repeat_int(shifted.iter().copied()), reference(&shifted));
            prop_assert_eq!(first_repeat_int(dense.iter().copied()), reference(&dense));
            let mut mixed = sparse.clone();
            mixed.extend(sparse.iter().take(3));
            prop_assert_eq!(first_repeat_int(mixed.iter().copied()), reference(&mixed));
            prop_assert_eq!(first_repeat(mixed.iter()), reference(&mixed));
        }
    }
}
