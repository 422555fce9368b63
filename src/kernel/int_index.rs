//! Integer key -> row number: an open-addressing table for `u64` ids
//! (employee numbers, CRM keys), and sums by key that keep its probes in
//! the cache.
//!
//! A key's slot is the top bits of its mixed value (the SplitMix64
//! finaliser, a bijection of `u64`, so the table stores mixed keys and
//! compares them directly; `0`, the mix of key `0` alone, marks an empty
//! slot, and key `0` is kept beside the table); collisions probe the next
//! slots. The table is at most two thirds full. The mixed keys are one
//! array (8 bytes a slot, all a probe reads), the rows another.
//!
//! Because a key's slot is the top bits of its mix, the keys whose mixes
//! share their top bits live in one region of the table. [`sum_by_key`]
//! uses that: it cuts a chunk of a column into partitions by those bits (a
//! counting sort, sequential writes), then, for each partition, reads its
//! region of the table and of the sums in order (which the processor
//! fetches ahead) and sums the partition's rows there, in the cache.
//! Against one probe at a random place of a table of a million keys per
//! row (a cache miss each), this reads every row twice more and the table
//! once per chunk, all in order.

use crate::kernel::id_table::ABSENT;
use crate::kernel::prefetch::stream;

/// Rows of a table by `u64` key.
#[derive(Debug, Clone)]
pub(crate) struct IntIndex {
    /// `log2` of the number of slots.
    bits: u32,
    /// Mixed key of each slot, `0` when empty.
    keys: Vec<u64>,
    /// Row of each slot.
    rows: Vec<u32>,
    /// Row of key `0` (whose mix is `0`), [`ABSENT`] when absent; its
    /// slot is the one past the table's.
    zero_row: u32,
    len: usize,
}

/// SplitMix64's finaliser: every output bit depends on every input bit,
/// and it is a bijection, so two keys are equal exactly when their mixes
/// are.
#[inline]
pub(crate) const fn mix(key: u64) -> u64 {
    let mut z = key;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl IntIndex {
    /// Indexes `keys` (row `i` has key `keys[i]`); `Err(i)` when row `i`
    /// repeats an earlier key, or when there are too many rows to number
    /// below [`ABSENT`] (then `i` is the number of rows).
    pub(crate) fn new(keys: impl ExactSizeIterator<Item = u64>) -> Result<IntIndex, usize> {
        let n = keys.len();
        IntIndex::from_pairs(n, keys.zip(0u32..))
    }

    /// Indexes `n` `(key, row)` pairs; `Err(row)` for the first pair
    /// whose key repeats an earlier one, `Err(n)` when `n` reaches
    /// [`ABSENT`].
    pub(crate) fn from_pairs(
        n: usize,
        pairs: impl Iterator<Item = (u64, u32)>,
    ) -> Result<IntIndex, usize> {
        if u32::try_from(n).map_or(true, |n| n == ABSENT) {
            return Err(n);
        }
        // Smallest power of two with `n` at most two thirds of it.
        let want = n.checked_mul(3).map(|x| x / 2).ok_or(n)?.max(16);
        let bits = want.checked_next_power_of_two().ok_or(n)?.trailing_zeros();
        let mut index = IntIndex::with_bits(bits);
        for (key, row) in pairs.take(n) {
            if !index.insert(mix(key), row) {
                return Err(row as usize);
            }
            index.len = index.len.wrapping_add(1);
        }
        Ok(index)
    }

    fn with_bits(bits: u32) -> IntIndex {
        IntIndex {
            bits,
            keys: vec![0; 1usize << bits],
            rows: vec![ABSENT; 1usize << bits],
            zero_row: ABSENT,
            len: 0,
        }
    }

    /// A table of no keys.
    pub(crate) fn empty() -> IntIndex {
        IntIndex::with_bits(4)
    }

    /// The home slot of a mixed key.
    #[inline]
    const fn home(&self, mixed: u64) -> usize {
        // `bits` is between 4 and 33: the shift is in range.
        (mixed >> 64u32.wrapping_sub(self.bits)) as usize
    }

    #[inline]
    const fn mask(&self) -> usize {
        self.keys.len().wrapping_sub(1)
    }

    /// False when the key is already there.
    fn insert(&mut self, mixed: u64, row: u32) -> bool {
        if mixed == 0 {
            let fresh = self.zero_row == ABSENT;
            if fresh {
                self.zero_row = row;
            }
            return fresh;
        }
        let mask = self.mask();
        let mut at = self.home(mixed);
        while let Some(key) = self.keys.get_mut(at) {
            if *key == 0 {
                *key = mixed;
                if let Some(r) = self.rows.get_mut(at) {
                    *r = row;
                }
                return true;
            }
            if *key == mixed {
                return false;
            }
            at = at.wrapping_add(1) & mask;
        }
        false
    }

    /// `log2` of the number of slots (without the one of key `0`).
    pub(crate) const fn bits(&self) -> u32 {
        self.bits
    }

    /// The mixed key of every slot (`0`: empty), without the slot of key
    /// `0` (the last of [`slot_rows`](Self::slot_rows)).
    pub(crate) fn mixed_keys(&self) -> &[u64] {
        &self.keys
    }

    /// The slot of a mixed key, if it is in the table.
    #[inline]
    pub(crate) fn slot_of(&self, mixed: u64) -> Option<usize> {
        if mixed == 0 {
            return (self.zero_row != ABSENT).then_some(self.keys.len());
        }
        let mask = self.mask();
        let mut at = self.home(mixed);
        loop {
            let key = *self.keys.get(at)?;
            if key == mixed {
                return Some(at);
            }
            if key == 0 {
                return None;
            }
            at = at.wrapping_add(1) & mask;
        }
    }

    /// The row at a slot.
    #[inline]
    pub(crate) fn row_at(&self, slot: usize) -> u32 {
        if slot == self.keys.len() {
            self.zero_row
        } else {
            self.rows.get(slot).copied().unwrap_or(ABSENT)
        }
    }

    /// Number of keys.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The row of `key`, if it is in the table.
    pub(crate) fn get_one(&self, key: u64) -> Option<u32> {
        self.slot_of(mix(key)).map(|s| self.row_at(s))
    }

    /// The row of every key, [`ABSENT`] for a key not in the table. The
    /// keys of a batch are mixed first so that their probes are
    /// independent and their cache misses overlap.
    pub(crate) fn get_many(&self, keys: impl Iterator<Item = u64>, out: &mut Vec<u32>) {
        const BATCH: usize = 16;
        let mut mixed = [0u64; BATCH];
        let mut keys = keys.peekable();
        while keys.peek().is_some() {
            let mut filled = 0usize;
            for (slot, key) in mixed.iter_mut().zip(keys.by_ref()) {
                *slot = mix(key);
                filled = filled.wrapping_add(1);
            }
            out.extend(
                mixed
                    .iter()
                    .take(filled)
                    .map(|m| self.slot_of(*m).map_or(ABSENT, |s| self.row_at(s))),
            );
        }
    }

    /// The row in each slot ([`ABSENT`] for an empty one): what the sums
    /// of [`sum_by_key`] are indexed by.
    pub(crate) fn slot_rows(&self) -> impl Iterator<Item = u32> + '_ {
        self.rows
            .iter()
            .copied()
            .chain(std::iter::once(self.zero_row))
    }

    /// Number of slots (with the one of key `0`).
    pub(crate) fn slot_count(&self) -> usize {
        self.keys.len().wrapping_add(1)
    }
}

/// Sums row `i`'s amount (`amount(i)`) at its key's slot (`key(i)`) over
/// the rows `0..rows` that `keep(i)` accepts, into one total per slot of
/// `index` (see [`IntIndex::slot_rows`]), a chunk of rows at a time. With
/// `parallel`, two threads cut each chunk's halves into regions, then
/// each adds the rows of half the regions of the table (both halves'),
/// into its own half of the one array of sums.
///
/// `None` on any fault (a kept row without a key or an amount, a key not
/// in the index, a total beyond `i64`): the caller finds and names the
/// first one in row order, which the partitioned passes do not see in
/// order.
pub(crate) fn sum_by_key<K, A, P>(
    index: &IntIndex,
    rows: usize,
    key: K,
    amount: A,
    keep: P,
    parallel: bool,
) -> Option<Vec<i64>>
where
    K: Fn(usize) -> Option<u64> + Sync,
    A: Fn(usize) -> Option<i64> + Sync,
    P: Fn(usize) -> bool + Sync,
{
    let columns = (&key, &amount, &keep);
    let mut sums = vec![0i64; index.slot_count()];
    let (mut first, mut second) = (Buffers::default(), Buffers::default());
    let two = parallel && cfg!(feature = "parallel") && rows > CHUNK / 4;
    let mut start = 0usize;
    while start < rows {
        // bound: `start < rows`, a row count: adding a chunk cannot pass
        // `usize::MAX` on any real column, and is cut at `rows`.
        let end = start
            .saturating_add(if two { TWO_CHUNKS } else { CHUNK })
            .min(rows);
        if two {
            let mid = start.checked_add(end.checked_sub(start)? / 2)?;
            let (a, b) = crate::kernel::columns::join(
                true,
                || partition(index, start..mid, columns, &mut first),
                || partition(index, mid..end, columns, &mut second),
            );
            a?;
            b?;
            add_split(index, [&first, &second], &mut sums)?;
        } else {
            partition(index, start..end, columns, &mut first)?;
            let mut spill = Vec::new();
            add_regions(index, &[&first], 0, &mut sums, &mut spill)?;
            add_spill(&spill, &mut sums)?;
        }
        start = end;
    }
    Some(sums)
}

/// Adds two threads' partitioned rows: the first thread the regions of
/// the first half of the table, the second the others, each into its
/// half of `sums`.
fn add_split(index: &IntIndex, buffers: [&Buffers; 2], sums: &mut [i64]) -> Option<()> {
    let (region_bits, _) = regions(index);
    let half_regions = (1usize << region_bits) / 2;
    let region = 1usize << index.bits.min(REGION_BITS);
    let cut = half_regions.checked_mul(region)?;
    let (low, high) = sums.split_at_mut(cut);
    let (mut spill_low, mut spill_high) = (Vec::new(), Vec::new());
    let (a, b) = crate::kernel::columns::join(
        true,
        || add_regions(index, &buffers, 0, low, &mut spill_low),
        || add_regions(index, &buffers, half_regions, high, &mut spill_high),
    );
    a?;
    b?;
    add_spill(&spill_low, sums)?;
    add_spill(&spill_high, sums)
}

/// Adds the sums whose slot was outside a thread's part of the table.
fn add_spill(spill: &[(usize, i64)], sums: &mut [i64]) -> Option<()> {
    for (slot, amount) in spill {
        let sum = sums.get_mut(*slot)?;
        *sum = sum.checked_add(*amount)?;
    }
    Some(())
}

/// Slots in a region [`sum_by_key`] sums in at once: 512 KiB of keys and
/// 512 KiB of sums, in a core's L2 cache.
const REGION_BITS: u32 = 16;

/// Rows a thread partitions at a time: a copy of 16 MiB, then grouped.
const CHUNK: usize = 1 << 20;

/// Rows of a chunk two threads share.
const TWO_CHUNKS: usize = 2 * CHUNK;

/// Room reused from chunk to chunk: the kept rows in row order, then
/// grouped by region, and where each region's rows start (one more entry,
/// the end).
#[derive(Default)]
struct Buffers {
    starts: Vec<usize>,
    flat: Vec<(u64, i64)>,
    grouped: Vec<(u64, i64)>,
}

/// The number of regions of `index` and a mixed key's region.
fn regions(index: &IntIndex) -> (u32, impl Fn(u64) -> usize) {
    // bound: a table smaller than a region is one region (0 bits).
    let region_bits = index.bits.saturating_sub(REGION_BITS);
    // The top `region_bits` bits (none when the table is small).
    (region_bits, move |mixed: u64| {
        ((u128::from(mixed) << region_bits) >> 64) as usize
    })
}

/// `(mixed key, amount)` of every kept row of `rows`, grouped by region of
/// the table (a stable counting sort on the top bits of the mix), into
/// `buffers`: one pass over the rows (each key mixed once), one over
/// their copy to place them. `None` when a kept row has no key or no
/// amount.
fn partition(
    index: &IntIndex,
    rows: std::ops::Range<usize>,
    (key, amount, keep): (
        &impl Fn(usize) -> Option<u64>,
        &impl Fn(usize) -> Option<i64>,
        &impl Fn(usize) -> bool,
    ),
    buffers: &mut Buffers,
) -> Option<()> {
    let (region_bits, part_of) = regions(index);
    let Buffers {
        starts,
        flat,
        grouped,
    } = buffers;
    starts.clear();
    starts.resize((1usize << region_bits).checked_add(1)?, 0);
    flat.clear();
    for i in rows {
        if keep(i) {
            let m = mix(key(i)?);
            flat.push((m, amount(i)?));
            let c = starts.get_mut(part_of(m).checked_add(1)?)?;
            *c = c.checked_add(1)?;
        }
    }
    for i in 1..starts.len() {
        let before = *starts.get(i.wrapping_sub(1))?;
        let c = starts.get_mut(i)?;
        *c = c.checked_add(before)?;
    }
    grouped.clear();
    grouped.resize(flat.len(), (0, 0));
    let mut next = starts.clone();
    for (m, a) in flat.iter() {
        let at = next.get_mut(part_of(*m))?;
        *grouped.get_mut(*at)? = (*m, *a);
        *at = at.checked_add(1)?;
    }
    Some(())
}

/// Adds every grouped `(mixed key, amount)` of the regions from `first`
/// on (as many as `sums` covers) at its key's slot, a region at a time:
/// the region's keys and sums are first read in order, so that the
/// probes find them in the cache. `sums` starts at region `first`'s first
/// slot; a slot outside it (a probe run past its end, or key `0`) goes to
/// `spill`.
fn add_regions(
    index: &IntIndex,
    buffers: &[&Buffers],
    first: usize,
    sums: &mut [i64],
    spill: &mut Vec<(usize, i64)>,
) -> Option<()> {
    let region = 1usize << index.bits.min(REGION_BITS);
    let offset = first.checked_mul(region)?;
    let count = sums.len().div_ceil(region);
    for r in first..first.checked_add(count)? {
        let lo = r.checked_mul(region)?;
        let hi = lo.checked_add(region)?.min(index.keys.len());
        if lo >= hi {
            continue;
        }
        stream(index.keys.get(lo..hi)?, 8);
        stream(
            sums.get(lo.checked_sub(offset)?..hi.checked_sub(offset)?)?,
            8,
        );
        for b in buffers {
            let from = *b.starts.get(r)?;
            let to = *b.starts.get(r.checked_add(1)?)?;
            for (mixed, amount) in b.grouped.get(from..to)? {
                let slot = index.slot_of(*mixed)?;
                match slot.checked_sub(offset).and_then(|s| sums.get_mut(s)) {
                    Some(sum) => *sum = sum.checked_add(*amount)?,
                    None => spill.push((slot, *amount)),
                }
            }
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn finds_every_key_and_nothing_else() {
        let keys: Vec<u64> = (0..5000).map(|i| i * 7919 + 3).collect();
        let index = IntIndex::new(keys.iter().copied()).unwrap();
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(index.get_one(*k), Some(u32::try_from(i).unwrap()));
        }
        assert_eq!(index.get_one(4), None);
        assert_eq!(
            IntIndex::new([0u64, 9].into_iter()).unwrap().get_one(0),
            Some(0)
        );
        let mut out = Vec::new();
        index.get_many([3u64, 4, 7922].into_iter(), &mut out);
        assert_eq!(out, [0, ABSENT, 1]);
        assert_eq!(index.len(), 5000);
        assert_eq!(IntIndex::new([5u64, 6, 5].into_iter()).err(), Some(2));
    }

    /// A table of several regions and enough rows for two threads: the
    /// split sums (probe runs past a thread's half, past the table's end,
    /// key `0`) against a plain loop over a `HashMap`.
    #[test]
    fn split_sums_match_a_plain_loop() {
        let keys: Vec<u64> = (0..200_000u64)
            .map(|i| i.wrapping_mul(0x9e37_79b9))
            .collect();
        let index = IntIndex::new(keys.iter().copied()).unwrap();
        assert!(index.bits() > REGION_BITS + 1);
        let rows = 3 * CHUNK;
        let key = |i: usize| keys.get(i.wrapping_mul(7919) % keys.len()).copied();
        let amount = |i: usize| i64::try_from(i % 1000).ok().map(|a| a - 400);
        let keep = |i: usize| !i.is_multiple_of(5);
        let mut plain: HashMap<u32, i64> = HashMap::new();
        for i in (0..rows).filter(|i| keep(*i)) {
            *plain
                .entry(index.get_one(key(i).unwrap()).unwrap())
                .or_default() += amount(i).unwrap();
        }
        plain.retain(|_, s| *s != 0);
        for parallel in [false, true] {
            let sums = sum_by_key(&index, rows, key, amount, keep, parallel).unwrap();
            let got: HashMap<u32, i64> = index
                .slot_rows()
                .zip(sums)
                .filter(|(row, s)| *row != ABSENT && *s != 0)
                .collect();
            assert_eq!(got, plain);
        }
    }

    proptest! {
        /// Against the plain reference: a `HashMap` from key to first row,
        /// and sums by key with a plain loop.
        #[test]
        fn same_as_a_hash_map(
            keys in prop::collection::vec(0u64..400, 0..300),
            queries in prop::collection::vec((0u64..500, -1000i64..1000, any::<bool>()), 0..400),
            parallel in any::<bool>(),
        ) {
            let mut reference: HashMap<u64, u32> = HashMap::new();
            let mut repeat = None;
            for (i, k) in keys.iter().enumerate() {
                if reference.insert(*k, u32::try_from(i).unwrap()).is_some() {
                    repeat = Some(i);
                    break;
                }
            }
            match IntIndex::new(keys.iter().copied()) {
                Err(i) => prop_assert_eq!(Some(i), repeat),
                Ok(index) => {
                    prop_assert_eq!(repeat, None);
                    let mut out = Vec::new();
                    index.get_many(queries.iter().map(|q| q.0), &mut out);
                    for (q, found) in queries.iter().zip(&out) {
                        let expected = reference.get(&q.0).copied();
                        prop_assert_eq!(index.get_one(q.0), expected);
                        prop_assert_eq!(*found, expected.unwrap_or(ABSENT));
                    }
                    // Sums by row, the plain way; `None` when a kept key is unknown.
                    let mut plain: Option<HashMap<u32, i64>> = Some(HashMap::new());
                    for (k, a, keep) in &queries {
                        if !keep { continue; }
                        match (reference.get(k), plain.as_mut()) {
                            (Some(row), Some(p)) => { let e = p.entry(*row).or_default(); *e = e.checked_add(*a).unwrap(); }
                            _ => plain = None,
                        }
                    }
                    let qk: Vec<u64> = queries.iter().map(|q| q.0).collect();
                    let qa: Vec<i64> = queries.iter().map(|q| q.1).collect();
                    let got = sum_by_key(&index, qk.len(), |i| qk.get(i).copied(), |i| qa.get(i).copied(), |i| queries[i].2, parallel);
                    let got = got.map(|sums| {
                        let mut by_row = HashMap::new();
                        for (row, s) in index.slot_rows().zip(sums) {
                            if row != ABSENT && s != 0 { by_row.insert(row, s); }
                        }
                        by_row
                    });
                    let plain = plain.map(|p| p.into_iter().filter(|(_, s)| *s != 0).collect::<HashMap<_, _>>());
                    prop_assert_eq!(got, plain);
                }
            }
        }
    }
}
