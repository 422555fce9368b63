//! Totals added at scattered places of a dense table, a part of the rows
//! per thread, and totals of everything below each node of a tree.
//!
//! [`scatter`] cuts the rows into one part per thread; each part adds its
//! rows into a table of its own (no locks, no atomics), and the tables are
//! then added together in part order. With one part it is a plain loop
//! over the rows into one table. Every addition is checked: an overflow is
//! reported as the caller's error, the first in row order within a part,
//! the first part's before a later one's, so the outcome is the same on
//! one thread or several. The plain reference it is tested against adds
//! every row into a `BTreeMap`.
//!
//! [`below`] adds, for a tree whose nodes come after their parents (pre-
//! order), every node's values into each of its ancestors' totals of what
//! is below them, in one pass from the last node to the first. The plain
//! reference walks each node's chain of ancestors.

use std::ops::Range;

use super::columns::map_chunks;
use super::mem::written_zeros;

/// A table of totals that a part of the rows adds into.
#[derive(Debug)]
pub(crate) struct Table<'t> {
    values: &'t mut [i64],
}

impl Table<'_> {
    /// Adds `amount` to slot `slot`; `false` (and nothing added) when the
    /// slot is out of range or the total would overflow.
    #[inline]
    pub(crate) fn add(&mut self, slot: usize, amount: i64) -> bool {
        match self.values.get_mut(slot) {
            Some(total) => match total.checked_add(amount) {
                Some(sum) => {
                    *total = sum;
                    true
                }
                None => false,
            },
            None => false,
        }
    }
}

impl Table<'_> {
    /// The total at `slot` (0 out of range): read to load it ahead.
    #[inline]
    pub(crate) fn peek(&self, slot: usize) -> i64 {
        // bound: not a figure, a load to warm the cache (0 past the end).
        self.values.get(slot).copied().unwrap_or(0)
    }
}

/// How many parts to cut `rows` rows into: one per thread when `parallel`
/// (and built with the `parallel` feature), at least `min_rows` rows each.
fn parts(rows: usize, parallel: bool, min_rows: usize) -> usize {
    #[cfg(feature = "parallel")]
    if parallel {
        let threads = rayon::current_num_threads().clamp(1, 16);
        return threads.min(rows.checked_div(min_rows.max(1)).unwrap_or(1).max(1));
    }
    let _ = (rows, parallel, min_rows);
    1
}

/// A table of `slots` totals, each the sum of what `add` adds into it for
/// each part (a range) of the rows `0..rows`.
///
/// # Errors
///
/// The first error of `add`, in row order; `merged(slot)` when adding the
/// parts' tables together overflows at `slot`.
pub(crate) fn scatter<E: Send>(
    rows: usize,
    slots: usize,
    parallel: bool,
    add: impl Fn(Range<usize>, &mut Table<'_>) -> Result<(), E> + Sync + Send,
    merged: impl Fn(usize) -> E,
) -> Result<Vec<i64>, E> {
    // Below this many rows a part's table costs more than it saves.
    let n = parts(rows, parallel, slots.max(1 << 16));
    let chunk = rows.div_ceil(n).max(1);
    // One zero-sized mark a row: the chunks' rows, without a column.
    let marks = vec![(); rows];
    let tables = map_chunks(marks.as_slice(), rows, chunk, n > 1, |c, _| {
        let start = c.saturating_mul(chunk); // bound: c < rows / chunk + 1
        let end = start.saturating_add(chunk).min(rows); // bound: clamped to rows
        let mut values = if n > 1 {
            written_zeros(slots)
        } else {
            vec![0_i64; slots]
        };
        add(
            start..end,
            &mut Table {
                values: &mut values,
            },
        )
        .map(|()| values)
    });
    let mut tables = tables.into_iter();
    let mut total = match tables.next() {
        Some(first) => first?,
        None => vec![0_i64; slots],
    };
    for table in tables {
        let table = table?;
        for (slot, (t, v)) in total.iter_mut().zip(&table).enumerate() {
            if *v != 0 {
                *t = t.checked_add(*v).ok_or_else(|| merged(slot))?;
            }
        }
    }
    Ok(total)
}

/// For `values` of `width` columns a node (nodes in pre-order: `parent[i]
/// < i`, the root's parent `NONE`), every node's total of the values of all
/// the nodes below it. `Err(node)` naming a node whose total overflows, or
/// whose parent does not come before it.
#[cfg(test)]
pub(crate) fn below(parent: &[u32], values: &[i64], width: usize) -> Result<Vec<i64>, usize> {
    below_by(parent, width, |node| {
        let at = node.checked_mul(width)?;
        values.get(at..at.checked_add(width)?)
    })
    .map_err(|(node, _)| node)
}

/// [`below`] with each node's `width` values given by `own(node)` (read
/// from wherever the caller keeps them: a node's values are read once,
/// as its total is added to its parent's). `Err((node, column))` naming
/// a node whose total overflows in that column, or whose parent does not
/// come before it, or whose values are missing (column `0`).
pub(crate) fn below_by<'v>(
    parent: &[u32],
    width: usize,
    own: impl Fn(usize) -> Option<&'v [i64]>,
) -> Result<Vec<i64>, (usize, usize)> {
    let mut below = written_zeros(parent.len().checked_mul(width).ok_or((0, 0))?);
    for node in (0..parent.len()).rev() {
        let Some(&p) = parent.get(node) else { continue };
        if p == u32::MAX {
            continue;
        }
        let p = p as usize;
        if p >= node {
            return Err((node, 0));
        }
        let values = own(node).filter(|v| v.len() == width).ok_or((node, 0))?;
        // bound: node < parent.len() and width columns a node.
        let (at, to) = (node.saturating_mul(width), p.saturating_mul(width));
        for (k, value) in values.iter().enumerate() {
            // bound: indexes below below.len(), checked by `get`.
            let (here, there) = (at.saturating_add(k), to.saturating_add(k));
            let under = *below.get(here).ok_or((node, k))?;
            let add = value.checked_add(under).ok_or((node, k))?;
            let slot = below.get_mut(there).ok_or((node, k))?;
            *slot = slot.checked_add(add).ok_or((p, k))?;
        }
    }
    Ok(below)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::arithmetic_side_effects,
        reason = "test code: the reference adds in plain arithmetic"
    )]

    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    fn reference(slots: usize, adds: &[(usize, i64)]) -> Option<Vec<i64>> {
        let mut map: BTreeMap<usize, i128> = BTreeMap::new();
        for &(slot, amount) in adds {
            *map.entry(slot).or_default() += i128::from(amount);
        }
        (0..slots)
            .map(|s| i64::try_from(map.get(&s).copied().unwrap_or(0)).ok())
            .collect()
    }

    fn scattered(slots: usize, adds: &[(usize, i64)], parallel: bool) -> Result<Vec<i64>, usize> {
        scatter(
            adds.len(),
            slots,
            parallel,
            |rows, table| {
                for row in rows {
                    let (slot, amount) = adds[row];
                    if !table.add(slot, amount) {
                        return Err(row);
                    }
                }
                Ok(())
            },
            |slot| usize::MAX - slot,
        )
    }

    proptest! {
        #[test]
        fn scatter_agrees_with_a_map(slots in 1_usize..50, adds in prop::collection::vec((0_usize..50, -1_000_000_i64..1_000_000), 0..400)) {
            let adds: Vec<(usize, i64)> = adds.into_iter().map(|(s, a)| (s % slots, a)).collect();
            let want = reference(slots, &adds);
            for parallel in [false, true] {
                prop_assert_eq!(scattered(slots, &adds, parallel).ok(), want.clone());
            }
        }

        #[test]
        fn below_agrees_with_walking_up(raw in prop::collection::vec((0_u32..1000, -1000_i64..1000, -1000_i64..1000), 1..60)) {
            // Node 0 is the root; node i's parent is some node before it.
            let parent: Vec<u32> = raw.iter().enumerate().map(|(i, (p, _, _))| if i == 0 { u32::MAX } else { p % i as u32 }).collect();
            let values: Vec<i64> = raw.iter().flat_map(|(_, a, b)| [*a, *b]).collect();
            let mut want = vec![0_i64; values.len()];
            for node in 0..parent.len() {
                let mut up = parent[node];
                while up != u32::MAX {
                    for k in 0..2 {
                        want[up as usize * 2 + k] += values[node * 2 + k];
                    }
                    up = parent[up as usize];
                }
            }
            prop_assert_eq!(below(&parent, &values, 2), Ok(want));
        }
    }

    #[test]
    fn overflow_is_an_error() {
        let adds = [(0, i64::MAX), (0, 1)];
        assert_eq!(scattered(1, &adds, false), Err(1));
        assert_eq!(below(&[u32::MAX, 0, 0], &[0, i64::MAX, 1], 1), Err(0));
        assert_eq!(below(&[u32::MAX, 2, 0], &[0, 0, 0], 1), Err(1));
    }
}
