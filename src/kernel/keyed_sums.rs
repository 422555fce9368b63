//! Sums in several columns per integer key, the keys looked up and the
//! sums added with the table in the cache.
//!
//! A caller turns its rows into entries `(key, code, amount)`, a part of
//! the rows at a time (each row any number of entries); every entry's key
//! is looked up in an [`IntIndex`] and its amount added to the key's
//! column `code`. Done an entry at a time, each entry costs two cache
//! misses on tables of a million keys (the probe, then the total). Here,
//! as in [`int_index::sum_by_key`](super::int_index::sum_by_key), the
//! entries of a part are first grouped by region of the index (the top
//! bits of the key's mix, a counting sort), then each region's keys and
//! totals are read in order (which the processor fetches ahead) and its
//! entries looked up and added there, in the cache. The totals are kept
//! by *rank* (occupied slots numbered in slot order), so they take no
//! room for the index's empty slots.
//!
//! With two threads, each emits half of every part's rows into its own
//! buffer; then each adds the entries of both buffers of one half of the
//! regions into its own half of the one table of totals (an entry whose
//! probe ran past its half's end is added afterwards), so the table is
//! not doubled.
//!
//! Every lookup and addition is checked: a key not in the index, an
//! entry the caller's `accept` refuses, a code beyond the columns, a
//! total beyond `i64`, or a part the caller could not turn into entries,
//! and the whole is `None`: the caller then finds and names the first
//! fault in row order its own way (the grouped passes do not see the rows
//! in order). The plain reference it is tested against looks every entry
//! up in a `BTreeMap`.
//!
//! Measured on the crediting side-by-side (10M transactions, 1.14M
//! positions, 2026-12-07, one process after the other on a busy 2-core
//! machine): crediting the rows took 1.1 s against 3.8 s row by row, with
//! the ids looked up in batches in the same index
//! ([`IntIndex::get_many`]) and the totals loaded ahead
//! (`credit::columnar`'s fallback), the same work otherwise.

use std::ops::Range;

use super::columns::join;
use super::id_table::ABSENT;
use super::int_index::{IntIndex, mix};
use super::mem::written_zeros;
use super::prefetch::stream;

/// A code with this bit set: the entry's key is looked up and offered to
/// `accept`, and nothing is added.
pub(crate) const CHECK: u32 = 1 << 31;

/// Slots of a region: 32 KiB of keys, 16 KiB of ranks, and the totals of
/// their keys (about 85 KiB at four columns).
const REGION_BITS: u32 = 12;

/// Rows a thread turns into entries at a time: about 13 MiB of entries,
/// twice (as emitted, and grouped).
const PART_ROWS: usize = 1 << 19;

/// One entry: a key (mixed), the column, the amount.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    mixed: u64,
    amount: i64,
    code: u32,
}

/// Where a part's entries go, counted by region as they come.
#[derive(Debug)]
pub(crate) struct Sink {
    region_bits: u32,
    entries: Vec<Entry>,
    /// Entries per region, then (after grouping) where each starts.
    starts: Vec<usize>,
    grouped: Vec<Entry>,
}

/// The region of a mixed key: its top `region_bits` bits.
#[inline]
fn region_of(mixed: u64, region_bits: u32) -> usize {
    ((u128::from(mixed) << region_bits) >> 64) as usize
}

impl Sink {
    fn new(region_bits: u32) -> Sink {
        Sink {
            region_bits,
            entries: Vec::new(),
            starts: Vec::new(),
            grouped: Vec::new(),
        }
    }

    /// Adds `amount` to column `code` of `key` (with [`CHECK`]: looks
    /// `key` up, adds nothing).
    #[inline]
    pub(crate) fn push(&mut self, key: u64, code: u32, amount: i64) {
        let mixed = mix(key);
        if let Some(c) = self.starts.get_mut(region_of(mixed, self.region_bits)) {
            *c = c.wrapping_add(1); // bound: at most the entries' count
        }
        self.entries.push(Entry {
            mixed,
            amount,
            code,
        });
    }

    fn clear(&mut self) {
        self.entries.clear();
        self.starts.clear();
        self.starts.resize(1usize << self.region_bits, 0);
    }

    /// The entries grouped by region (a stable counting sort); `starts`
    /// then holds each region's start, and one more entry, the end.
    fn group(&mut self) -> Option<()> {
        let mut sum = 0_usize;
        for c in &mut self.starts {
            let count = *c;
            *c = sum;
            sum = sum.checked_add(count)?;
        }
        self.starts.push(sum);
        self.grouped.clear();
        self.grouped.resize(self.entries.len(), Entry::default());
        let mut next = self.starts.clone();
        for e in &self.entries {
            let at = next.get_mut(region_of(e.mixed, self.region_bits))?;
            *self.grouped.get_mut(*at)? = *e;
            *at = at.checked_add(1)?;
        }
        Some(())
    }

    /// The grouped entries of region `r`.
    fn region(&self, r: usize) -> &[Entry] {
        let (Some(&from), Some(&to)) = (self.starts.get(r), self.starts.get(r.wrapping_add(1)))
        else {
            return &[];
        };
        self.grouped.get(from..to).unwrap_or_default()
    }
}

/// The totals of every key that has a row in the index: `width` columns
/// a key, in rank order, with each rank's row.
#[derive(Debug)]
pub(crate) struct KeyedSums {
    sums: Vec<i64>,
    rows: Vec<u32>,
    width: usize,
}

impl KeyedSums {
    /// The rank of each row `0..rows` ([`ABSENT`]: no key of the index
    /// has that row), to read a row's totals with [`get`](Self::get).
    pub(crate) fn ranks_of_rows(&self, rows: usize) -> Vec<u32> {
        let mut ranks = vec![ABSENT; rows];
        for (rank, row) in (0_u32..).zip(&self.rows) {
            if let Some(slot) = ranks.get_mut(*row as usize) {
                *slot = rank;
            }
        }
        ranks
    }

    /// Columns `columns` of the totals of rank `rank`.
    #[inline]
    pub(crate) fn get(&self, rank: u32, columns: Range<usize>) -> Option<&[i64]> {
        let at = (rank as usize).checked_mul(self.width)?;
        let end = at.checked_add(columns.end)?;
        if columns.end > self.width {
            return None;
        }
        self.sums.get(at.checked_add(columns.start)?..end)
    }

    /// Each key's row (as the index gives it) and its `width` totals.
    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u32, &[i64])> {
        self.rows
            .iter()
            .copied()
            .zip(self.sums.chunks_exact(self.width.max(1)))
    }
}

/// Occupied slots numbered in slot order.
struct Ranks {
    /// Rank of each slot ([`ABSENT`]: empty), the slot of key `0` last.
    of_slot: Vec<u32>,
    /// Row of each rank.
    rows: Vec<u32>,
    /// First rank of each region, and one more entry, the count.
    region_starts: Vec<usize>,
}

impl Ranks {
    fn new(index: &IntIndex, region_slots: usize) -> Ranks {
        let mut of_slot = Vec::with_capacity(index.slot_count());
        let mut rows = Vec::new();
        let mut region_starts = Vec::new();
        for (slot, row) in index.slot_rows().enumerate() {
            if slot.checked_rem(region_slots) == Some(0) && slot < index.mixed_keys().len() {
                region_starts.push(rows.len());
            }
            if row == ABSENT {
                of_slot.push(ABSENT);
            } else {
                // bound: fewer slots than `ABSENT` (an index numbers rows
                // below it).
                of_slot.push(u32::try_from(rows.len()).unwrap_or(ABSENT));
                rows.push(row);
            }
        }
        region_starts.push(rows.len());
        Ranks {
            of_slot,
            rows,
            region_starts,
        }
    }
}

/// How the rows are cut: rows a part, and the largest region (tests use
/// small ones).
#[derive(Debug, Clone, Copy)]
struct Shape {
    part_rows: usize,
    region_bits: u32,
}

/// Sums the entries that `emit` makes of the rows `0..rows` (called on
/// consecutive ranges of them, each with a fresh [`Sink`]; `false` is a
/// fault) into `width` columns per key of `index`, on two of rayon's
/// threads when `parallel`. `accept(row, code)` is asked of every entry,
/// with the row its key has in the index.
///
/// `None` on any fault: `emit` failed, a key is not in the index,
/// `accept` refused an entry, a code (without [`CHECK`]) is `width` or
/// more, a total overflows.
pub(crate) fn sum_keyed(
    index: &IntIndex,
    rows: usize,
    width: usize,
    parallel: bool,
    emit: impl Fn(Range<usize>, &mut Sink) -> bool + Sync,
    accept: impl Fn(u32, u32) -> bool + Sync,
) -> Option<KeyedSums> {
    let shape = Shape {
        part_rows: PART_ROWS,
        region_bits: REGION_BITS,
    };
    sum_keyed_in(shape, index, rows, width, parallel, emit, accept)
}

/// [`sum_keyed`] cut as `shape` says.
fn sum_keyed_in(
    shape: Shape,
    index: &IntIndex,
    rows: usize,
    width: usize,
    parallel: bool,
    emit: impl Fn(Range<usize>, &mut Sink) -> bool + Sync,
    accept: impl Fn(u32, u32) -> bool + Sync,
) -> Option<KeyedSums> {
    // bound: a table smaller than a region is one region (0 bits).
    let region_bits = index.bits().saturating_sub(shape.region_bits);
    let region_slots = 1usize << index.bits().min(shape.region_bits);
    let ranks = Ranks::new(index, region_slots);
    let mut sums = written_zeros(ranks.rows.len().checked_mul(width)?);
    let two = parallel && cfg!(feature = "parallel") && rows > shape.part_rows;
    let regions = 1usize << region_bits;
    let mid = if two { regions / 2 } else { regions };
    let mid_rank = *ranks.region_starts.get(mid)?;
    let (mut a, mut b) = (Sink::new(region_bits), Sink::new(region_bits));
    let adder = Adder {
        index,
        ranks: &ranks,
        width,
        region_slots,
        accept: &accept,
    };
    let fill = |sink: &mut Sink, part: Range<usize>| -> Option<()> {
        sink.clear();
        if part.is_empty() {
            return sink.group();
        }
        emit(part, sink).then_some(())?;
        sink.group()
    };
    let step = shape.part_rows.max(1);
    let mut start = 0_usize;
    while start < rows {
        if two {
            let cut = start.checked_add(step)?.min(rows);
            let end = cut.checked_add(step)?.min(rows);
            let (x, y) = join(true, || fill(&mut a, start..cut), || fill(&mut b, cut..end));
            x.and(y)?;
            let cut = mid_rank.checked_mul(width)?.min(sums.len());
            let (low, high) = sums.split_at_mut(cut);
            let sinks = [&a, &b];
            let (x, y) = join(
                true,
                || adder.add(0..mid, &sinks, low, 0),
                || adder.add(mid..regions, &sinks, high, mid_rank),
            );
            for (rank, code, amount) in x?.into_iter().chain(y?) {
                let at = (rank as usize)
                    .checked_mul(width)?
                    .checked_add(code as usize)?;
                let total = sums.get_mut(at)?;
                *total = total.checked_add(amount)?;
            }
            start = end;
        } else {
            let end = start.checked_add(step)?.min(rows);
            fill(&mut a, start..end)?;
            let spilled = adder.add(0..regions, &[&a], &mut sums, 0)?;
            spilled.is_empty().then_some(())?;
            start = end;
        }
    }
    Some(KeyedSums {
        sums,
        rows: ranks.rows,
        width,
    })
}

/// Adds grouped entries into a range of the totals.
struct Adder<'x, A> {
    index: &'x IntIndex,
    ranks: &'x Ranks,
    width: usize,
    region_slots: usize,
    accept: &'x A,
}

impl<A: Fn(u32, u32) -> bool> Adder<'_, A> {
    /// Adds the entries of `regions` of every sink into `totals`, the
    /// totals of the ranks from `first` on; the entries whose rank is not
    /// there, as `(rank, code, amount)`.
    fn add(
        &self,
        regions: Range<usize>,
        sinks: &[&Sink],
        totals: &mut [i64],
        first: usize,
    ) -> Option<Vec<(u32, u32, i64)>> {
        let mut spilled = Vec::new();
        let width = self.width;
        for r in regions {
            if sinks.iter().all(|s| s.region(r).is_empty()) {
                continue;
            }
            self.warm(r, totals, first);
            for entry in sinks.iter().flat_map(|s| s.region(r)) {
                let slot = self.index.slot_of(entry.mixed)?;
                let rank = *self.ranks.of_slot.get(slot)?;
                let row = *self.ranks.rows.get(rank as usize)?;
                if !(self.accept)(row, entry.code) {
                    return None;
                }
                if entry.code & CHECK != 0 {
                    continue;
                }
                let code = entry.code as usize;
                if code >= width {
                    return None;
                }
                let local = (rank as usize)
                    .checked_sub(first)
                    .map(|l| l.checked_mul(width));
                match local
                    .flatten()
                    .and_then(|l| totals.get_mut(l.checked_add(code)?))
                {
                    Some(total) => *total = total.checked_add(entry.amount)?,
                    None => spilled.push((rank, entry.code, entry.amount)),
                }
            }
        }
        Some(spilled)
    }

    /// Reads region `r`'s keys, ranks, rows and totals in order, so that
    /// its lookups and additions find them in the cache.
    fn warm(&self, r: usize, totals: &[i64], first: usize) {
        let slots =
            r.wrapping_mul(self.region_slots)..r.wrapping_add(1).wrapping_mul(self.region_slots);
        stream(
            self.index
                .mixed_keys()
                .get(slots.clone())
                .unwrap_or_default(),
            8,
        );
        stream(self.ranks.of_slot.get(slots).unwrap_or_default(), 16);
        let starts = &self.ranks.region_starts;
        let (Some(&from), Some(&to)) = (starts.get(r), starts.get(r.wrapping_add(1))) else {
            return;
        };
        stream(self.ranks.rows.get(from..to).unwrap_or_default(), 16);
        let (from, to) = (from.wrapping_sub(first), to.wrapping_sub(first));
        let w = self.width;
        let range = from.wrapping_mul(w)..to.wrapping_mul(w);
        stream(totals.get(range).unwrap_or_default(), 8);
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::arithmetic_side_effects,
        clippy::indexing_slicing,
        reason = "test code: the reference adds in plain arithmetic"
    )]

    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    /// The entries of each row: `(key, code, amount)`.
    type Rows = Vec<Vec<(u64, u32, i64)>>;

    /// Every entry looked up and added in a `BTreeMap`, in `i128`.
    fn reference(
        index: &IntIndex,
        rows: &Rows,
        width: usize,
        accept: impl Fn(u32, u32) -> bool,
    ) -> Option<BTreeMap<(u32, usize), i64>> {
        let mut map: BTreeMap<(u32, usize), i128> = BTreeMap::new();
        for (key, code, amount) in rows.iter().flatten() {
            let row = index.get_one(*key)?;
            if !accept(row, *code) {
                return None;
            }
            if code & CHECK != 0 {
                continue;
            }
            if *code as usize >= width {
                return None;
            }
            *map.entry((row, *code as usize)).or_default() += i128::from(*amount);
        }
        map.into_iter()
            .filter(|(_, v)| *v != 0)
            .map(|(k, v)| i64::try_from(v).ok().map(|v| (k, v)))
            .collect()
    }

    fn summed(
        shape: Shape,
        index: &IntIndex,
        rows: &Rows,
        width: usize,
        parallel: bool,
        accept: impl Fn(u32, u32) -> bool + Sync,
    ) -> Option<BTreeMap<(u32, usize), i64>> {
        let sums = sum_keyed_in(
            shape,
            index,
            rows.len(),
            width,
            parallel,
            |part, sink| {
                for row in &rows[part] {
                    for (key, code, amount) in row {
                        sink.push(*key, *code, *amount);
                    }
                }
                true
            },
            accept,
        )?;
        let mut map = BTreeMap::new();
        for (row, values) in sums.iter() {
            for (code, v) in values.iter().enumerate() {
                if *v != 0 {
                    map.insert((row, code), *v);
                }
            }
        }
        Some(map)
    }

    proptest! {
        #[test]
        fn agrees_with_a_map(
            keys in prop::collection::btree_set(0u64..3000, 0..400),
            raw in prop::collection::vec(prop::collection::vec((0usize..500, 0u32..5, -1_000_000i64..1_000_000, any::<bool>()), 0..4), 0..300),
            width in 1usize..5,
            part_rows in 1usize..40,
            region_bits in 0u32..6,
            refuse in 0u32..40,
        ) {
            let keys: Vec<u64> = keys.into_iter().collect();
            let index = IntIndex::new(keys.iter().copied()).unwrap();
            // Mostly keys of the index, sometimes one that is not (4000+).
            let rows: Rows = raw.iter().map(|r| r.iter().map(|(k, code, amount, check)| {
                let key = keys.get(*k).copied().unwrap_or(4000 + *k as u64);
                (key, if *check { code | CHECK } else { *code }, *amount)
            }).collect()).collect();
            let accept = |row: u32, code: u32| row != refuse || code & CHECK == 0;
            let want = reference(&index, &rows, width, accept);
            for parallel in [false, true] {
                let shape = Shape { part_rows, region_bits };
                prop_assert_eq!(summed(shape, &index, &rows, width, parallel, accept), want.clone());
            }
        }
    }

    #[test]
    fn faults_are_none() {
        let index = IntIndex::new([0u64, 5, 9].into_iter()).unwrap();
        let shape = Shape {
            part_rows: 1,
            region_bits: 1,
        };
        let ok = |_: u32, _: u32| true;
        let rows: Rows = vec![vec![(5, 0, i64::MAX)], vec![(5, 0, 1)]];
        assert_eq!(summed(shape, &index, &rows, 1, false, ok), None);
        let rows: Rows = vec![vec![(0, 1, 7)], vec![(9, 0, -2)]];
        let want = BTreeMap::from([((0, 1), 7), ((2, 0), -2)]);
        assert_eq!(summed(shape, &index, &rows, 2, true, ok), Some(want));
        assert_eq!(summed(shape, &index, &rows, 1, false, ok), None);
        let sums = sum_keyed_in(
            shape,
            &index,
            rows.len(),
            2,
            false,
            |part, sink| {
                for (key, code, amount) in rows[part].iter().flatten() {
                    sink.push(*key, *code, *amount);
                }
                true
            },
            ok,
        )
        .unwrap();
        let ranks = sums.ranks_of_rows(4);
        assert_eq!(ranks[3], ABSENT);
        assert_eq!(sums.get(ranks[0], 0..2), Some(&[0, 7][..]));
        assert_eq!(sums.get(ranks[2], 0..1), Some(&[-2][..]));
        assert_eq!(sums.get(ranks[2], 1..3), None);
        let failed = sum_keyed_in(shape, &index, 2, 1, false, |_, _| false, ok);
        assert!(failed.is_none());
    }
}
