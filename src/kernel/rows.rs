//! Records grouped by a dense key, in one flat array (compressed sparse
//! rows): group `k` is `items[start[k]..start[k + 1]]`.
//!
//! One allocation for all the groups instead of one per key, built by a
//! counting sort in two passes; looking a group up is two reads.

/// Records grouped by a dense key `0..groups`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rows<T> {
    /// `start[k]..start[k + 1]` is group `k` in `items`; one more entry
    /// than there are groups (a running total, so never decreasing).
    start: Vec<u32>,
    items: Vec<T>,
}

/// Too many records to number with a `u32` (below `u32::MAX`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooMany;

impl<T: Copy> Rows<T> {
    /// Groups `keyed` by key, keeping each group in the order given.
    /// Records with a key `>= groups` are left out. `keyed` is read twice
    /// (a count, then a fill), so that no copy of it is needed.
    ///
    /// # Errors
    ///
    /// [`TooMany`] for `u32::MAX` records or more.
    pub(crate) fn new(
        groups: usize,
        keyed: impl Iterator<Item = (u32, T)> + Clone,
    ) -> Result<Rows<T>, TooMany> {
        // `start[k + 1]` counts group `k`, then (summed) is where it ends.
        let mut start = vec![0u32; groups.checked_add(1).ok_or(TooMany)?];
        let mut records = 0u32;
        if let Some(counts) = start.get_mut(1..) {
            for (key, _) in keyed.clone() {
                records = records
                    .checked_add(1)
                    .filter(|n| *n != u32::MAX)
                    .ok_or(TooMany)?;
                if let Some(count) = counts.get_mut(key as usize) {
                    *count = count.checked_add(1).ok_or(TooMany)?;
                }
            }
        }
        let mut total = 0u32;
        for s in &mut start {
            total = total.checked_add(*s).ok_or(TooMany)?;
            *s = total;
        }
        let mut next = start.clone();
        let Some((_, first)) = keyed.clone().next() else {
            return Ok(Rows {
                start,
                items: Vec::new(),
            });
        };
        let mut items = vec![first; total as usize];
        for (key, item) in keyed {
            if let Some(at) = next.get_mut(key as usize) {
                if let Some(slot) = items.get_mut(*at as usize) {
                    *slot = item;
                }
                *at = at.checked_add(1).ok_or(TooMany)?;
            }
        }
        Ok(Rows { start, items })
    }
}

impl<T> Rows<T> {
    /// The group's bounds in `items`, `(0, 0)` for a key out of range.
    #[inline]
    fn bounds(&self, key: u32) -> (u32, u32) {
        match self.start.get(key as usize..) {
            Some([from, to, ..]) => (*from, *to),
            _ => (0, 0),
        }
    }

    #[inline]
    fn slice(&self, (from, to): (u32, u32)) -> &[T] {
        // Bounds are a running total: `from <= to <= items.len()`.
        self.items
            .get(from as usize..to as usize)
            .unwrap_or_default()
    }

    /// Group `key`; empty for a key out of range.
    #[inline]
    pub(crate) fn get(&self, key: u32) -> &[T] {
        self.slice(self.bounds(key))
    }

    /// The groups of many keys, in order. Two passes (every group's bounds,
    /// then the groups), so that the memory loads of the whole batch are in
    /// flight together instead of one after the other.
    pub(crate) fn get_many(&self, keys: impl Iterator<Item = u32>) -> impl Iterator<Item = &[T]> {
        let bounds: Vec<(u32, u32)> = keys.map(|key| self.bounds(key)).collect();
        bounds.into_iter().map(|b| self.slice(b))
    }

    /// Every record, group after group.
    pub(crate) fn items(&self) -> &[T] {
        &self.items
    }

    /// Every group, in key order, to sort or check in place.
    pub(crate) fn groups_mut(&mut self) -> impl Iterator<Item = &mut [T]> {
        let mut rest: &mut [T] = &mut self.items;
        let mut lens = self.start.windows(2).map(|w| match w {
            // bound: `start` is a running total, so `a <= b`.
            [a, b] => b.saturating_sub(*a) as usize,
            _ => 0,
        });
        std::iter::from_fn(move || {
            let len = lens.next()?;
            let all = std::mem::take(&mut rest);
            let (group, tail) = all.split_at_mut(len.min(all.len()));
            rest = tail;
            Some(group)
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The plain reference: one vector per group.
    fn reference(groups: usize, keyed: &[(u32, u16)]) -> Vec<Vec<u16>> {
        let mut out = vec![Vec::new(); groups];
        for (k, v) in keyed {
            if let Some(g) = out.get_mut(*k as usize) {
                g.push(*v);
            }
        }
        out
    }

    #[test]
    fn empty_and_out_of_range() {
        let rows: Rows<u8> = Rows::new(3, std::iter::empty()).unwrap();
        assert!(rows.get(0).is_empty() && rows.get(7).is_empty());
        let rows = Rows::new(2, [(1, 'a'), (5, 'b'), (0, 'c'), (1, 'd')].into_iter()).unwrap();
        assert_eq!(rows.get(1), ['a', 'd']);
        assert_eq!(rows.get(0), ['c']);
        assert_eq!(rows.items(), ['c', 'a', 'd']);
        assert!(rows.get(5).is_empty());
    }

    proptest! {
        #[test]
        fn same_as_one_vector_per_group(
            groups in 0usize..20,
            keyed in proptest::collection::vec((0u32..25, any::<u16>()), 0..200),
        ) {
            let want = reference(groups, &keyed);
            let mut rows = Rows::new(groups, keyed.iter().copied()).unwrap();
            for (k, g) in (0u32..).zip(&want) {
                prop_assert_eq!(rows.get(k), g.as_slice());
            }
            prop_assert!(rows.get(u32::try_from(groups).unwrap()).is_empty());
            let keys: Vec<u32> = keyed.iter().map(|(k, _)| *k).collect();
            for (k, g) in keys.iter().zip(rows.get_many(keys.iter().copied())) {
                let expected: &[u16] = want.get(*k as usize).map_or(&[], Vec::as_slice);
                prop_assert_eq!(g, expected);
            }
            let mut sorted = want.clone();
            for (g, mine) in sorted.iter_mut().zip(rows.groups_mut()) {
                g.sort_unstable();
                mine.sort_unstable();
            }
            prop_assert_eq!(rows.groups_mut().count(), groups);
            for (k, g) in (0u32..).zip(&sorted) {
                prop_assert_eq!(rows.get(k), g.as_slice());
            }
        }
    }
}
