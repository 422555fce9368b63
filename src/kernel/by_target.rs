//! Rows grouped by the row they point at, with a counting sort.
//!
//! Each row may point at another (a return at the sale it reverses): one
//! pass counts the rows pointing at each target, one places each row in
//! its target's group. Within a group the rows keep their order. The
//! result is laid out as a CSR matrix (a start per target, the rows after
//! each other), two flat arrays and no table per target. The plain
//! reference it is tested against is a `BTreeMap` from target to rows.

/// No target.
pub(crate) const NO_TARGET: u32 = u32::MAX;

/// The rows pointing at each target, in row order.
#[derive(Debug, Clone, Default)]
pub(crate) struct ByTarget {
    /// Target `t`'s rows are `rows[starts[t]..starts[t + 1]]`.
    starts: Vec<u32>,
    rows: Vec<u32>,
}

impl ByTarget {
    /// Groups the rows of `targets` (each a target below `n`, or
    /// [`NO_TARGET`]) by target. `None` when a target is out of range or
    /// there are more rows than a `u32` counts.
    pub(crate) fn new(targets: &[u32], n: usize) -> Option<ByTarget> {
        let mut starts = vec![0_u32; n.checked_add(1)?];
        let mut grouped = 0_u32;
        for &t in targets {
            if t == NO_TARGET {
                continue;
            }
            let count = starts.get_mut(t as usize)?;
            *count = count.checked_add(1)?;
            grouped = grouped.checked_add(1)?;
        }
        // Counts into starts (exclusive prefix sums; the last is the total).
        let mut sum = 0_u32;
        for slot in &mut starts {
            let count = *slot;
            *slot = sum;
            sum = sum.checked_add(count)?;
        }
        let mut next = starts.clone();
        let mut rows = vec![0_u32; grouped as usize];
        for (row, &t) in (0_u32..).zip(targets) {
            if t == NO_TARGET {
                continue;
            }
            let at = next.get_mut(t as usize)?;
            *rows.get_mut(*at as usize)? = row;
            *at = at.checked_add(1)?;
        }
        Some(ByTarget { starts, rows })
    }

    /// The rows pointing at `target`, in row order (none for a target out
    /// of range).
    pub(crate) fn of(&self, target: u32) -> &[u32] {
        let t = target as usize;
        match (self.starts.get(t), t.checked_add(1).and_then(|u| self.starts.get(u))) {
            (Some(&a), Some(&b)) => self.rows.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    /// The targets some row points at, in order.
    pub(crate) fn targets(&self) -> impl Iterator<Item = u32> + '_ {
        (0_u32..)
            .zip(self.starts.windows(2))
            .filter(|(_, w)| matches!(w, [a, b] if a < b))
            .map(|(t, _)| t)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    /// The plain reference: a map from target to its rows.
    fn reference(targets: &[u32]) -> BTreeMap<u32, Vec<u32>> {
        let mut map: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for (row, &t) in (0_u32..).zip(targets) {
            if t != NO_TARGET {
                map.entry(t).or_default().push(row);
            }
        }
        map
    }

    proptest! {
        #[test]
        fn agrees_with_a_map(n in 1_usize..40, raw in prop::collection::vec(0_u32..60, 0..200)) {
            // Values past `n` stand for rows without a target.
            let targets: Vec<u32> = raw.iter().map(|&t| if (t as usize) < n { t } else { NO_TARGET }).collect();
            let grouped = ByTarget::new(&targets, n).unwrap();
            let want = reference(&targets);
            for t in 0..u32::try_from(n).unwrap() {
                prop_assert_eq!(grouped.of(t), want.get(&t).map_or(&[][..], Vec::as_slice));
            }
            prop_assert_eq!(grouped.targets().collect::<Vec<_>>(), want.keys().copied().collect::<Vec<_>>());
        }
    }

    #[test]
    fn refuses_a_target_out_of_range() {
        assert!(ByTarget::new(&[0, 5], 3).is_none());
        assert_eq!(ByTarget::new(&[], 0).unwrap().of(0), &[] as &[u32]);
    }
}
