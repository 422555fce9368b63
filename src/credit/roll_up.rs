//! The roll-up: one bottom-up pass over a shape of the org, from each
//! node's own direct credit to what is below every manager.

use chrono::NaiveDate;

use super::{Rows, add_bounded, slots};
use crate::credit::CreditError;
use crate::credit::engine::NONE;
use crate::kernel::hash::FxHashMap;
use crate::kernel::mem::written_zeros;
use crate::org::{Org, OrgSnapshot};

/// One shape of the org, rolled up over `n` periods: a node's subtree is
/// its own credit and what is below it, added to what is below its
/// parent.
pub(super) struct ShapePass<'s> {
    snapshot: &'s OrgSnapshot,
    /// Each node's position, in pre-order.
    nodes: &'s [u32],
    /// Each node's parent node.
    parents: &'s [u32],
    /// Each manager's (a node some node reports to) row of what is below
    /// it, numbered in pre-order; `NONE` for the others.
    row_of: Vec<u32>,
    /// The managers' nodes, by row.
    managers: Vec<usize>,
    n: usize,
}

impl<'s> ShapePass<'s> {
    pub(super) fn new(snapshot: &'s OrgSnapshot, n: usize) -> Result<ShapePass<'s>, CreditError> {
        let nodes = snapshot.declared_order();
        let parents = snapshot.parents();
        let mut row_of = vec![NONE; nodes.len()];
        for parent in parents.iter().skip(1) {
            if let Some(r) = row_of.get_mut(*parent as usize) {
                *r = 0;
            }
        }
        let mut managers: Vec<usize> = Vec::new();
        for (node, r) in row_of.iter_mut().enumerate() {
            if *r != NONE {
                // Fewer managers than positions, fewer than `NONE`.
                *r = u32::try_from(managers.len())
                    .ok()
                    .filter(|m| *m != NONE)
                    .ok_or(CreditError::TooManyTotals {
                        keys: nodes.len(),
                        periods: n,
                    })?;
                managers.push(node);
            }
        }
        Ok(ShapePass {
            snapshot,
            nodes,
            parents,
            row_of,
            managers,
            n,
        })
    }

    /// A node's own row, or a manager's row of what is below it: `n`
    /// totals from `row × n` (every row is there: the arrays are sized
    /// so).
    fn row_at(&self, row: usize) -> Option<std::ops::Range<usize>> {
        let from = row.checked_mul(self.n)?;
        Some(from..from.checked_add(self.n)?)
    }

    /// The overflow of node `node`'s total.
    fn node_overflow(&self, node: usize) -> CreditError {
        // Fewer nodes than `NONE`: the fallback (the root) is never taken.
        total_overflow(self.snapshot, u32::try_from(node).unwrap_or(NONE))
    }

    /// What is below each manager, a row of `n` each. One pass over the
    /// tree, children first (pre-order backwards), `GATHER` nodes at a
    /// time: `own(nodes, rows)` puts the own credit of `nodes` in `rows`,
    /// then each is carried up to its parent.
    pub(super) fn below(
        &self,
        carry: &mut [i128],
        mut own: impl FnMut(std::ops::Range<usize>, &mut [i128]) -> Result<(), CreditError>,
    ) -> Result<Vec<i128>, CreditError> {
        let n = self.n;
        let mut below = written_zeros(slots(self.managers.len(), n)?);
        let mut rows = vec![0i128; slots(GATHER, n)?];
        let mut end = self.nodes.len();
        while end > 1 {
            // The next `GATHER` nodes down to node 1 (the root reports
            // to nobody).
            let start = end.checked_sub(GATHER).map_or(1, |s| s.max(1));
            own(start..end, &mut rows)?;
            self.carry_up(start..end, &rows, &mut below, carry)?;
            end = start;
        }
        Ok(below)
    }

    /// The own credit in the first shape of `nodes` (at most `GATHER`),
    /// gathered into `rows` in a tight loop (each position at no
    /// predictable place in `first_own`, so their cache misses are in
    /// flight together).
    pub(super) fn gather(
        &self,
        first_own: &[i128],
        nodes: std::ops::Range<usize>,
        rows: &mut [i128],
    ) -> Result<(), CreditError> {
        for (node, row) in nodes.zip(rows.chunks_exact_mut(self.n.max(1))) {
            let mine = self
                .nodes
                .get(node)
                .and_then(|pos| self.row_at(*pos as usize))
                .and_then(|r| first_own.get(r))
                .ok_or_else(|| self.node_overflow(node))?;
            row.copy_from_slice(mine);
        }
        Ok(())
    }

    /// A later shape's own credit of `nodes` (at most `GATHER`), from
    /// its few credits `later` (sorted by node), into `rows`.
    pub(super) fn scatter(
        &self,
        later: &[(usize, u32, i128)],
        nodes: std::ops::Range<usize>,
        rows: &mut [i128],
    ) -> Result<(), CreditError> {
        // One entry per node and period (`others` is keyed so).
        rows.fill(0);
        let (start, end) = (nodes.start, nodes.end);
        let lo = later.partition_point(|(l, _, _)| *l < start);
        let hi = later.partition_point(|(l, _, _)| *l < end);
        // `lo <= hi`: both cut the same sorted list, at `start < end`.
        for (node, p, amount) in later.get(lo..hi).unwrap_or_default() {
            let v = node
                .checked_sub(start)
                .and_then(|r| self.row_at(r))
                .and_then(|r| rows.get_mut(r))
                .and_then(|row| row.get_mut(*p as usize))
                .ok_or_else(|| self.node_overflow(*node))?;
            *v = *amount;
        }
        Ok(())
    }

    /// Carries the subtree of each of `nodes` (last first; their own
    /// credit in `rows`) up to what is below its parent.
    fn carry_up(
        &self,
        nodes: std::ops::Range<usize>,
        rows: &[i128],
        below: &mut [i128],
        carry: &mut [i128],
    ) -> Result<(), CreditError> {
        let n = self.n;
        for (node, mine) in nodes.zip(rows.chunks_exact(n.max(1))).rev() {
            let (Some(&parent), Some(mine)) = (self.parents.get(node), mine.get(..n)) else {
                continue;
            };
            carry.copy_from_slice(mine);
            if let Some(r) = self.row_of.get(node).filter(|r| **r != NONE) {
                let mine_below = self
                    .row_at(*r as usize)
                    .and_then(|r| below.get(r))
                    .ok_or_else(|| self.node_overflow(node))?;
                for (slot, value) in carry.iter_mut().zip(mine_below) {
                    *slot = add_bounded(*slot, *value).ok_or_else(|| self.node_overflow(node))?;
                }
            }
            if carry.iter().all(|v| *v == 0) {
                continue;
            }
            let overflow = || total_overflow(self.snapshot, parent);
            let up = self
                .row_of
                .get(parent as usize)
                .filter(|r| **r != NONE)
                .and_then(|r| self.row_at(*r as usize))
                .and_then(|r| below.get_mut(r))
                .ok_or_else(overflow)?;
            for (slot, value) in up.iter_mut().zip(&*carry) {
                *slot = add_bounded(*slot, *value).ok_or_else(overflow)?;
            }
        }
        Ok(())
    }

    /// A later shape's own credits (`epoch`'s of `by_epoch`), by node:
    /// few, sorted.
    pub(super) fn later_credits(
        &self,
        by_epoch: &[((usize, u32, u32), i128)],
        epoch: usize,
    ) -> Vec<(usize, u32, i128)> {
        let node_of: FxHashMap<u32, usize> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(node, pos)| (*pos, node))
            .collect();
        let start = by_epoch.partition_point(|((ep, _, _), _)| *ep < epoch);
        let mut later: Vec<(usize, u32, i128)> = by_epoch
            .iter()
            .skip(start)
            .take_while(|((ep, _, _), _)| *ep == epoch)
            .filter_map(|((_, position, p), amount)| Some((*node_of.get(position)?, *p, *amount)))
            .collect();
        later.sort_unstable_by_key(|(node, p, _)| (*node, *p));
        later
    }

    /// Adds what is `below` each manager into the roll-up totals of its
    /// position and of who held it on `date`.
    pub(super) fn record(
        &self,
        org: &Org,
        date: NaiveDate,
        below: &[i128],
        (roll_up, person_roll_up): (&mut Rows, &mut Rows),
    ) -> Result<(), CreditError> {
        for (rows, node) in below.chunks_exact(self.n.max(1)).zip(&self.managers) {
            let Some(&pos) = self.nodes.get(*node) else {
                continue;
            };
            if rows.iter().all(|v| *v == 0) {
                continue;
            }
            let overflow = || self.node_overflow(*node);
            let person = org.holder_index_on(pos, date);
            for (period, amount) in rows.iter().enumerate() {
                if *amount == 0 {
                    continue;
                }
                roll_up.add(pos, period, *amount).ok_or_else(overflow)?;
                if let Some(person) = person {
                    person_roll_up
                        .add(person, period, *amount)
                        .ok_or_else(overflow)?;
                }
            }
        }
        Ok(())
    }
}

/// The overflow of node `node`'s total.
fn total_overflow(snapshot: &OrgSnapshot, node: u32) -> CreditError {
    let node = snapshot
        .node_at_raw(node)
        .unwrap_or_else(|| snapshot.root());
    CreditError::TotalOverflow {
        position: node.id().clone(),
    }
}

/// Nodes whose own credit the roll-up gathers together.
const GATHER: usize = 64;
