//! Position id -> dense index: an open-addressing table built for batches.
//!
//! Each slot holds the full id next to its index, so a lookup that hits its
//! home slot touches one cache line. Lookups come in batches: a first pass
//! hashes every key of the batch and touches its home slot, so the memory
//! loads of the whole batch are in flight together; a second pass compares
//! and probes, now from cache. On a million-position org this is what makes
//! resolving ten million credits cheap.

use crate::hash::spread;
use crate::ids::PositionId;

use super::NONE;

/// How many lookups are in flight together.
const BATCH: usize = 32;

#[derive(Clone)]
struct Slot {
    /// `NONE` marks an empty slot.
    index: u32,
    id: Option<PositionId>,
}

#[derive(Clone)]
pub(crate) struct PositionIndex {
    slots: Vec<Slot>,
    /// `64 - log2(slots.len())`: a key's home is its hash's top bits.
    shift: u32,
    mask: usize,
}

/// The id's hash, spread over every bit ([`spread`]): the table's home
/// slot is its top bits.
#[inline]
fn hash(id: &PositionId) -> u64 {
    spread(id)
}

impl PositionIndex {
    /// Indexes `ids` by position; `Err(i)` when `ids[i]` repeats an earlier
    /// id.
    pub(crate) fn new<'a>(
        ids: impl ExactSizeIterator<Item = &'a PositionId>,
    ) -> Result<PositionIndex, usize> {
        // Load factor at most 2/3 (linear probing stays short), at least
        // 16 slots.
        let wanted = ids.len().saturating_add(ids.len() / 2).max(16);
        let bits = usize::BITS.saturating_sub(wanted.saturating_sub(1).leading_zeros());
        let len = 1usize.checked_shl(bits).unwrap_or(usize::MAX);
        let mut index = PositionIndex {
            slots: vec![
                Slot {
                    index: NONE,
                    id: None
                };
                len
            ],
            shift: 64u32.saturating_sub(bits),
            mask: len.saturating_sub(1),
        };
        for (i, id) in ids.enumerate() {
            let ix = u32::try_from(i).map_err(|_| i)?;
            let mut at = index.home(hash(id));
            loop {
                match index.slots.get_mut(at) {
                    Some(slot) if slot.index == NONE => {
                        slot.index = ix;
                        slot.id = Some(id.clone());
                        break;
                    }
                    Some(slot) if slot.id.as_ref() == Some(id) => return Err(i),
                    Some(_) => at = at.wrapping_add(1) & index.mask,
                    None => return Err(i),
                }
            }
        }
        Ok(index)
    }

    #[inline]
    fn home(&self, hash: u64) -> usize {
        usize::try_from(hash.checked_shr(self.shift).unwrap_or(0)).unwrap_or(0) & self.mask
    }

    /// Probes from `at` for `id`.
    #[inline]
    fn probe(&self, id: &PositionId, mut at: usize) -> Option<u32> {
        // At most two thirds of the slots are full, so an empty slot ends
        // the probe.
        loop {
            let slot = self.slots.get(at)?;
            if slot.index == NONE {
                return None;
            }
            if slot.id.as_ref() == Some(id) {
                return Some(slot.index);
            }
            at = at.wrapping_add(1) & self.mask;
        }
    }

    /// The index of `id`.
    #[inline]
    pub(crate) fn get(&self, id: &PositionId) -> Option<u32> {
        self.probe(id, self.home(hash(id)))
    }

    /// Looks up every key, in batches; `out[i]` is the index of `keys[i]`
    /// or `NONE`.
    pub(crate) fn get_many<K>(
        &self,
        keys: &[K],
        key: impl Fn(&K) -> &PositionId,
        out: &mut Vec<u32>,
    ) {
        out.clear();
        out.reserve(keys.len());
        for batch in keys.chunks(BATCH) {
            let mut homes = [0usize; BATCH];
            // Pass 1: hash every key (its bytes may need fetching too).
            for (home, k) in homes.iter_mut().zip(batch) {
                *home = self.home(hash(key(k)));
            }
            // Pass 2: touch every home slot; the loads overlap.
            let mut touched = 0u32;
            for home in &homes {
                touched ^= self.slots.get(*home).map_or(0, |s| s.index);
            }
            std::hint::black_box(touched);
            // Pass 3: compare and probe, from cache.
            for (home, k) in homes.iter().zip(batch) {
                out.push(self.probe(key(k), *home).unwrap_or(NONE));
            }
        }
    }
}
