//! The fast way to credit totals: credits kept by blocks of positions,
//! then checked and added block by block (on two threads with
//! [`Execution::Parallel`]), every lookup within the cache.

use chrono::NaiveDate;

use super::{Accumulator, Credit, Sums, epoch_in, period_in};
#[cfg(feature = "parallel")]
use super::{Shapes, add_bounded};
use crate::calendar::Period;
use crate::credit::CreditError;
use crate::credit::engine::{Crediting, Raw, Sink};
use crate::credit::feed::Feed;
use crate::credit::line::CreditKind;
use crate::execution::Execution;
#[cfg(feature = "parallel")]
use crate::kernel::columns;
#[cfg(feature = "parallel")]
use crate::kernel::mem::written_zeros;
use crate::kernel::prefetch;
use crate::org::Org;

impl Crediting<'_> {
    /// Runs the engine over `feed` into [`Blocks`], on several threads with
    /// [`Execution::Parallel`] (each with its own blocks, for a range of
    /// the sales); `None` when it gives up.
    pub(super) fn blocks<'p>(
        &self,
        feed: &Feed<'_>,
        periods: &'p [Period],
        changes: &'p [NaiveDate],
    ) -> Option<Vec<Blocks<'p>>> {
        let (positions, _) = self.org.counts();
        let expected = feed.len() as usize;
        match self.execution {
            #[cfg(feature = "parallel")]
            Execution::Parallel if self.is_shareable() && expected > 1 << 12 => {
                use rayon::prelude::*;
                let (org, plan) = (self.org, self.plan);
                let threads = u32::try_from(rayon::current_num_threads().max(1)).ok()?;
                let (len, each) = (feed.len(), feed.len().div_ceil(threads));
                // Each thread's range of sales, clamped to the feed (a
                // product past `u32` is past its end).
                let ranges: Vec<std::ops::Range<u32>> = (0..threads)
                    .map(|t| {
                        let from = t.checked_mul(each).map_or(len, |f| f.min(len));
                        from..from.checked_add(each).map_or(len, |to| to.min(len))
                    })
                    .collect();
                let kept: Vec<Option<Blocks>> = ranges
                    .into_par_iter()
                    .map(|sales| {
                        // A capacity hint only (`threads >= 1`).
                        let per = expected.checked_div(threads as usize).unwrap_or(expected);
                        let mut blocks = Blocks::new(periods, changes, positions, per);
                        Crediting::new(org, plan)
                            .credit_range(feed, sales, &mut blocks)
                            .ok()
                            .map(|_| blocks)
                    })
                    .collect();
                kept.into_iter().collect()
            }
            _ => {
                let mut blocks = Blocks::new(periods, changes, positions, expected);
                self.credit(feed, &mut blocks).ok().map(|_| vec![blocks])
            }
        }
    }
}

/// The people's totals and the other shapes of a range of blocks, added
/// apart from the rest (on another thread).
#[cfg(feature = "parallel")]
struct Apart {
    person_direct: Vec<i128>,
    person_overlay: Vec<i128>,
    shapes: Shapes,
}

#[cfg(feature = "parallel")]
impl Apart {
    /// Zero totals for `person_slots` people, with the first shape
    /// `first`.
    fn new(person_slots: usize, first: Option<(usize, NaiveDate)>) -> Apart {
        Apart {
            person_direct: written_zeros(person_slots),
            person_overlay: vec![0; person_slots],
            shapes: Shapes {
                first,
                ..Shapes::default()
            },
        }
    }

    /// Where the credits of the positions from `base` on are added: their
    /// `(direct, overlay)` totals, and these people and shapes.
    fn sums<'a>(
        &'a mut self,
        periods: &'a [Period],
        base: u32,
        (direct, overlay): (&'a mut [i128], &'a mut [i128]),
        changes: &'a [NaiveDate],
    ) -> Sums<'a> {
        Sums {
            periods,
            base,
            direct,
            overlay,
            person_direct: &mut self.person_direct,
            person_overlay: &mut self.person_overlay,
            changes,
            shapes: &mut self.shapes,
        }
    }
}

impl Sums<'_> {
    /// Checks and adds the credits kept in blocks `blocks` of every part of
    /// `kept`, in order; `None` on a fault.
    fn apply(
        &mut self,
        org: &Org,
        kept: &[Blocks<'_>],
        blocks: std::ops::Range<usize>,
    ) -> Option<()> {
        let mut queries = Vec::new();
        let mut persons = Vec::new();
        let n = self.periods.len();
        for block in blocks {
            // The block's direct totals, read in order first (a stream the
            // cache fetches ahead), rather than each line on its first
            // credit, at random.
            let from = block
                .checked_mul(BLOCK)?
                .checked_sub(self.base as usize)?
                .checked_mul(n)?;
            let to = from.checked_add(n.checked_mul(BLOCK)?)?;
            // Past the last block, nothing to read ahead.
            let ahead = self.direct.get(from..to.min(self.direct.len()));
            prefetch::stream(ahead.unwrap_or_default(), 4);
            for b in kept {
                let (booked, other) = (b.booked.get(block)?, b.other.get(block)?);
                // The credits' own positions are checked with the rest.
                queries.clear();
                queries.extend(booked.iter().map(|k| (k.position, k.as_of)));
                queries.extend(other.iter().map(|k| (k.position, k.as_of)));
                if org.first_not_in_org(b.checks.get(block)?).is_some()
                    || org.first_not_in_org(&queries).is_some()
                {
                    return None;
                }
                org.holders_on(&queries, &mut persons);
                let (on_booked, on_other) = persons.split_at(booked.len().min(persons.len()));
                for (k, person) in booked.iter().zip(on_booked) {
                    let period = period_in(self.periods, k.as_of)?;
                    let kind = CreditKind::Direct;
                    self.add(k.credit(*person, kind), period)?;
                }
                for (k, person) in other.iter().zip(on_other) {
                    let kind = if k.overlay {
                        CreditKind::Overlay
                    } else {
                        CreditKind::Direct
                    };
                    self.add(k.credit(*person, kind), usize::from(k.period))?;
                }
            }
        }
        Some(())
    }
}

impl Accumulator<'_> {
    /// Checks and adds the credits kept, block by block; `None` on a fault.
    /// With `execution` parallel, the first half of the blocks and the
    /// second are added on two threads ([`apply_in_halves`](Self::apply_in_halves)).
    pub(super) fn apply(&mut self, kept: Vec<Blocks<'_>>, execution: Execution) -> Option<()> {
        if kept.iter().any(|b| b.gave_up) {
            return None;
        }
        // The org's shape on the first direct credit's date, as the
        // one-by-one way sees it first.
        self.shapes.first = kept.iter().find_map(|b| b.first);
        let blocks = kept.first().map_or(0, |b| b.other.len());
        match execution {
            #[cfg(feature = "parallel")]
            Execution::Parallel if blocks > 1 => self.apply_in_halves(kept, blocks),
            _ => {
                let org = self.org;
                self.sums().apply(org, &kept, 0..blocks)
            }
        }
    }

    /// [`apply`](Self::apply) on two threads: the first blocks up to about
    /// half the credits on one, the rest on the other (each position's
    /// totals are in one half), the second half's people and other shapes
    /// apart and then added in: the same sums in another order, and an
    /// overflow on the way still gives up, for the one-by-one way to name.
    #[cfg(feature = "parallel")]
    fn apply_in_halves(&mut self, kept: Vec<Blocks<'_>>, blocks: usize) -> Option<()> {
        // (Counts of credits held in memory: they add up, checked all the
        // same.)
        let weight = |block: usize| {
            kept.iter().try_fold(0usize, |sum, k| {
                let booked = k.booked.get(block).map_or(0, Vec::len);
                let other = k.other.get(block).map_or(0, Vec::len);
                sum.checked_add(booked)?.checked_add(other)
            })
        };
        // At least one block a side (`blocks > 1` here).
        let half = columns::half_by_weight(blocks, weight)?.clamp(1, blocks.checked_sub(1)?);
        let org = self.org;
        let periods = self.periods.as_slice();
        let split = half
            .checked_mul(BLOCK)?
            .checked_mul(periods.len())?
            .min(self.direct.len());
        let (direct, later_direct) = self.direct.split_at_mut(split);
        let (overlay, later_overlay) = self.overlay.split_at_mut(split);
        let mut first = Sums {
            periods,
            base: 0,
            direct,
            overlay,
            person_direct: &mut self.person_direct,
            person_overlay: &mut self.person_overlay,
            changes: &self.changes,
            shapes: &mut self.shapes,
        };
        let base = u32::try_from(half.checked_mul(BLOCK)?).ok()?;
        // The second half's people and other shapes apart (no people when
        // the org has no holders).
        let mut apart = Apart::new(first.person_direct.len(), first.shapes.first);
        let (a, b) = columns::join(
            true,
            || first.apply(org, &kept, 0..half),
            || {
                apart
                    .sums(periods, base, (later_direct, later_overlay), &self.changes)
                    .apply(org, &kept, half..blocks)
            },
        );
        a?;
        b?;
        drop(kept);
        self.add_apart(apart)
    }

    /// Adds the people's totals and other shapes added apart.
    #[cfg(feature = "parallel")]
    fn add_apart(&mut self, apart: Apart) -> Option<()> {
        for (totals, more) in [
            (&mut self.person_direct, apart.person_direct),
            (&mut self.person_overlay, apart.person_overlay),
        ] {
            for (total, more) in totals.iter_mut().zip(more) {
                if more != 0 {
                    *total = add_bounded(*total, more)?;
                }
            }
        }
        self.shapes.merge(apart.shapes)
    }
}

/// Positions `b << BLOCK_SHIFT ..` make block `b`: a block's reporting
/// lines, holders and totals fit in the cache.
const BLOCK_SHIFT: u32 = 10;
/// Positions a block.
const BLOCK: usize = 1 << BLOCK_SHIFT;

/// A direct credit kept for its block, dated in the period of its sale's
/// booking date: the most compact form of a [`Raw`] (16 bytes).
#[derive(Debug, Clone, Copy)]
struct Booked {
    position: u32,
    as_of: NaiveDate,
    amount: i64,
}

/// Any other credit kept for its block: the compact form of a [`Raw`].
#[derive(Debug, Clone, Copy)]
struct Kept {
    position: u32,
    as_of: NaiveDate,
    amount: i64,
    period: u16,
    overlay: bool,
}

/// The credit of a kept one (a [`Booked`] or [`Kept`]), to `person`, of
/// `kind`.
macro_rules! credit_of_kept {
    ($($t:ty),*) => {$(
        impl $t {
            fn credit(&self, person: u32, kind: CreditKind) -> Credit {
                Credit {
                    position: self.position,
                    person,
                    kind,
                    amount: i128::from(self.amount),
                    as_of: self.as_of,
                }
            }
        }
    )*};
}
credit_of_kept!(Booked, Kept);

/// The fast way to totals: the engine hands over every credit and in-org
/// check unchecked, each is kept with its block of positions, and then the
/// blocks are checked and added one after the other ([`Sums::apply`]; with
/// [`Execution::Parallel`], each half of them on its own thread), every
/// lookup within the cache (instead of a cache miss per credit on a large
/// org). Any fault (a position not in the
/// org that day, an overflow, an amount beyond 64 bits) gives up: the
/// one-by-one way then names the first fault exactly.
///
/// Every credit kept has its position checked on its sale's booking date,
/// so the engine need not hand over the check of a position it credits
/// ([`Sink::checks_credited`]).
pub(super) struct Blocks<'p> {
    periods: &'p [Period],
    changes: &'p [NaiveDate],
    checks: Vec<Vec<(u32, NaiveDate)>>,
    booked: Vec<Vec<Booked>>,
    other: Vec<Vec<Kept>>,
    /// The epoch and date of the first direct credit kept.
    first: Option<(usize, NaiveDate)>,
    gave_up: bool,
}

impl<'p> Blocks<'p> {
    /// Blocks for an org of `positions`, sized for about `expected`
    /// credits.
    fn new(
        periods: &'p [Period],
        changes: &'p [NaiveDate],
        positions: usize,
        expected: usize,
    ) -> Blocks<'p> {
        // bound: positions are `u32` indexes, so at most `2^22` blocks.
        let blocks = (positions >> BLOCK_SHIFT).saturating_add(1);
        // About one credit per sale, and a few more: splits and returns (a
        // capacity hint only: the sale count when that would not fit).
        let each = expected
            .checked_add(expected / 4)
            .and_then(|e| e.checked_div(blocks))
            .unwrap_or(expected);
        let few = each / 8;
        Blocks {
            periods,
            changes,
            checks: (0..blocks).map(|_| Vec::with_capacity(few)).collect(),
            booked: (0..blocks).map(|_| Vec::with_capacity(each)).collect(),
            other: (0..blocks).map(|_| Vec::with_capacity(few)).collect(),
            first: None,
            gave_up: false,
        }
    }

    /// The epoch and date of the first direct credit kept.
    #[cfg(feature = "parallel")]
    pub(super) const fn first(&self) -> Option<(usize, NaiveDate)> {
        self.first
    }

    fn block(position: u32) -> usize {
        (position >> BLOCK_SHIFT) as usize
    }
}

impl Sink for Blocks<'_> {
    fn wants_roll_up_lines(&self) -> bool {
        false
    }

    fn keeps_checks(&self) -> bool {
        true
    }

    fn checks_credited(&self) -> bool {
        true
    }

    fn keep_checks(&mut self, checks: &[(u32, NaiveDate)]) {
        for check in checks {
            match self.checks.get_mut(Blocks::block(check.0)) {
                Some(block) => block.push(*check),
                None => self.gave_up = true,
            }
        }
    }

    fn credit(&mut self, raw: Raw<'_>) -> Result<(), CreditError> {
        let block = Blocks::block(raw.position);
        let Some(period) = period_in(self.periods, raw.date) else {
            // Not counted, but its position is still checked.
            match self.checks.get_mut(block) {
                Some(checks) => checks.push((raw.position, raw.as_of)),
                None => self.gave_up = true,
            }
            return Ok(());
        };
        let overlay = match raw.kind {
            CreditKind::Direct => false,
            CreditKind::Overlay => true,
            CreditKind::RollUp => return Ok(()),
        };
        let (Ok(amount), Ok(period)) = (i64::try_from(raw.amount), u16::try_from(period)) else {
            self.gave_up = true;
            return Ok(());
        };
        if !overlay && self.first.is_none() {
            self.first = Some((epoch_in(self.changes, raw.as_of), raw.as_of));
        }
        let in_booking_period = !overlay
            && (raw.date == raw.as_of
                || period_in(self.periods, raw.as_of) == Some(usize::from(period)));
        let kept = match (
            in_booking_period,
            self.booked.get_mut(block),
            self.other.get_mut(block),
        ) {
            (true, Some(booked), _) => {
                booked.push(Booked {
                    position: raw.position,
                    as_of: raw.as_of,
                    amount,
                });
                true
            }
            (false, _, Some(other)) => {
                other.push(Kept {
                    position: raw.position,
                    as_of: raw.as_of,
                    amount,
                    period,
                    overlay,
                });
                true
            }
            _ => false,
        };
        self.gave_up |= !kept;
        Ok(())
    }
}
