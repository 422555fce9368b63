//! Position id -> dense index: a compact open-addressing table built for
//! batches.
//!
//! Each slot is eight bytes: the position's index and 32 bits of its id's
//! hash (the tag). The ids themselves stay in the org's position table, so
//! the index costs 8 bytes a slot instead of a copy of every id: on a
//! million-position org, 17 MB instead of 67 MB. A lookup finds the first
//! slot with its tag (almost always the right one) and confirms it against
//! the position's id.
//!
//! Lookups come in batches: one pass hashes every key of the batch and
//! touches its home slot, so the memory loads of the whole batch are in
//! flight together; the next finds each key's candidate, now from cache,
//! and touches its position; the last confirms and, rarely, probes on.

use crate::ids::PositionId;
use crate::kernel::hash::spread;

use super::NONE;
use super::model::{Position, Role};

/// How many lookups are in flight together.
const BATCH: usize = 32;

#[derive(Clone, Copy)]
struct Slot {
    /// `NONE` marks an empty slot.
    index: u32,
    /// The low 32 bits of the id's hash.
    tag: u32,
}

const EMPTY: Slot = Slot {
    index: NONE,
    tag: 0,
};

#[derive(Clone)]
pub(crate) struct PositionIndex {
    slots: Vec<Slot>,
    /// `64 - log2(slots.len())`: a key's home is its hash's top bits.
    shift: u32,
    mask: usize,
}

/// Where a probe stands: the slot reached, and the index it holds.
#[derive(Clone, Copy)]
struct Candidate {
    at: usize,
    index: u32,
}

impl PositionIndex {
    /// Indexes `positions` by id; `Err(i)` when `positions[i]` repeats an
    /// earlier id, `Err(positions.len())` when there are too many to index.
    pub(crate) fn new(positions: &[Position]) -> Result<PositionIndex, usize> {
        let too_many = positions.len();
        // Load factor at most 2/3 (linear probing stays short), at least
        // 16 slots, a power of two.
        let len = positions
            .len()
            .checked_add(positions.len() / 2)
            .and_then(|w| w.max(16).checked_next_power_of_two())
            .ok_or(too_many)?;
        // A key's home is the top `bits` bits of its hash (`4 <= bits < 64`).
        let bits = len.trailing_zeros();
        let mut index = PositionIndex {
            slots: vec![EMPTY; len],
            shift: 64u32.checked_sub(bits).ok_or(too_many)?,
            mask: len.checked_sub(1).ok_or(too_many)?,
        };
        debug_assert!((4..64).contains(&bits));
        for (i, position) in positions.iter().enumerate() {
            let ix = u32::try_from(i).map_err(|_| i)?;
            let hash = spread(position.id());
            let mut at = index.home(hash);
            loop {
                match index.slots.get_mut(at) {
                    Some(slot) if slot.index == NONE => {
                        *slot = Slot {
                            index: ix,
                            tag: tag(hash),
                        };
                        break;
                    }
                    Some(slot)
                        if slot.tag == tag(hash)
                            && id_at(positions, slot.index) == Some(position.id()) =>
                    {
                        return Err(i);
                    }
                    Some(_) => at = index.next(at),
                    None => return Err(i),
                }
            }
        }
        Ok(index)
    }

    #[inline]
    fn home(&self, hash: u64) -> usize {
        // bound: `shift` is 64 - bits with 4 <= bits < 64 (see `new`), so
        // the shift is in range, and the result is below the slot count,
        // a `usize`.
        usize::try_from(hash.checked_shr(self.shift).unwrap_or(0)).unwrap_or(0) & self.mask
    }

    #[inline]
    fn next(&self, at: usize) -> usize {
        at.wrapping_add(1) & self.mask
    }

    /// The first slot from `at` holding `tag`, or `None` at an empty slot
    /// (at most two thirds of the slots are full, so there is one).
    #[inline]
    fn candidate(&self, tag: u32, mut at: usize) -> Option<Candidate> {
        loop {
            let slot = self.slots.get(at)?;
            if slot.index == NONE {
                return None;
            }
            if slot.tag == tag {
                return Some(Candidate {
                    at,
                    index: slot.index,
                });
            }
            at = self.next(at);
        }
    }

    /// Probes from `at` for `id`, confirming each candidate.
    #[inline]
    fn probe(&self, positions: &[Position], id: &PositionId, tag: u32, at: usize) -> Option<u32> {
        let mut found = self.candidate(tag, at)?;
        loop {
            if id_at(positions, found.index) == Some(id) {
                return Some(found.index);
            }
            found = self.candidate(tag, self.next(found.at))?;
        }
    }

    /// The index of `id` among `positions` (the table this index was built
    /// from).
    #[inline]
    pub(crate) fn get(&self, positions: &[Position], id: &PositionId) -> Option<u32> {
        let hash = spread(id);
        self.probe(positions, id, tag(hash), self.home(hash))
    }

    /// Looks up every key, in batches; `out[i]` is the index of `keys[i]`
    /// or `NONE`.
    pub(crate) fn get_many<K>(
        &self,
        positions: &[Position],
        keys: &[K],
        key: impl Fn(&K) -> &PositionId,
        out: &mut Vec<u32>,
    ) {
        out.clear();
        out.reserve(keys.len());
        for batch in keys.chunks(BATCH) {
            let mut hashes = [0u64; BATCH];
            // Pass 1: hash every key (its bytes may need fetching too),
            // then touch every home slot in a tight loop, so that many
            // loads are in flight at once.
            for (hash, k) in hashes.iter_mut().zip(batch) {
                *hash = spread(key(k));
            }
            let mut touched = 0u32;
            for hash in hashes.iter().take(batch.len()) {
                touched ^= self.slots.get(self.home(*hash)).map_or(0, |s| s.index);
            }
            // Pass 2: each key's candidate, from cache; touch its position.
            let mut found = [None; BATCH];
            for (slot, hash) in found.iter_mut().zip(&hashes) {
                *slot = self.candidate(tag(*hash), self.home(*hash));
                if let Some(c) = slot {
                    // A plain load of the position's first bytes: cheap, so
                    // that the next keys' loads start at once.
                    touched ^= positions
                        .get(c.index as usize)
                        .map_or(0, |p| u32::from(matches!(p.role(), Role::SalesRep)));
                }
            }
            std::hint::black_box(touched);
            // Pass 3: confirm, and probe on past a tag that matched another
            // id (about one lookup in a billion).
            for ((c, hash), k) in found.iter().zip(&hashes).zip(batch) {
                let id = key(k);
                let index = match c {
                    Some(c) if id_at(positions, c.index) == Some(id) => Some(c.index),
                    Some(c) => self.probe(positions, id, tag(*hash), self.next(c.at)),
                    None => None,
                };
                // `NONE`: not found, as documented.
                out.push(index.unwrap_or(NONE));
            }
        }
    }
}

/// The tag of a hash: its low 32 bits (the home slot comes from the top).
#[inline]
fn tag(hash: u64) -> u32 {
    hash as u32
}

#[inline]
fn id_at(positions: &[Position], index: u32) -> Option<&PositionId> {
    positions.get(index as usize).map(Position::id)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn position(id: &str) -> Position {
        Position::new(PositionId::new(id).unwrap(), Role::SalesRep)
    }

    /// Two ids whose hashes share the tag and the home slot of a 16-slot
    /// table, found by search (the hash is deterministic).
    fn colliding_pair() -> (String, String) {
        let mut seen: HashMap<u64, String> = HashMap::new();
        for i in 0..4_000_000_u32 {
            let id = format!("p{i}");
            let hash = spread(&PositionId::new(&id).unwrap());
            let key = (hash >> 60) << 32 | u64::from(tag(hash));
            if let Some(other) = seen.insert(key, id.clone()) {
                return (other, id);
            }
        }
        panic!("no colliding pair found");
    }

    #[test]
    fn ids_sharing_a_tag_are_told_apart() {
        let (a, b) = colliding_pair();
        let positions = [position(&a), position(&b), position("other")];
        let index = PositionIndex::new(&positions).unwrap();
        assert_eq!(index.get(&positions, positions[0].id()), Some(0));
        assert_eq!(index.get(&positions, positions[1].id()), Some(1));
        assert_eq!(
            index.get(&positions, &PositionId::new("nope").unwrap()),
            None
        );
        let keys = [
            positions[1].id().clone(),
            positions[0].id().clone(),
            PositionId::new("nope").unwrap(),
        ];
        let mut out = Vec::new();
        index.get_many(&positions, &keys, |k| k, &mut out);
        assert_eq!(out, [1, 0, NONE]);
        // A repeat of the second is found as a repeat, past the first.
        let repeated = [position(&a), position(&b), position(&b)];
        assert_eq!(PositionIndex::new(&repeated).err(), Some(2));
    }
}
