//! A fast, deterministic hasher for id lookups: `rustc-hash`'s `FxHasher`
//! (the multiply-rotate hash rustc uses: a few cycles per word, no
//! per-process random seed, so lookups cost the same on every run). Ids
//! come from the embedding program's own data, not from an adversary; a
//! program that hashes untrusted ids elsewhere should keep using `std`'s
//! SipHash there.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

pub(crate) use rustc_hash::{FxHashMap, FxHasher};

/// An empty [`FxHashMap`] with room for `capacity` entries.
pub(crate) fn map_with_capacity<K, V>(capacity: usize) -> FxHashMap<K, V> {
    HashMap::with_capacity_and_hasher(capacity, Default::default())
}

/// `value`'s Fx hash, finished with the SplitMix64 finaliser so that every
/// output bit depends on every input bit. Fx alone only carries bits
/// upward: its top bits would see just the first bytes of an id, and ids
/// that share a prefix (employee numbers, order numbers) would pile into one
/// cluster of a table indexed by the top bits.
#[inline]
pub(crate) fn spread<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = FxHasher::default();
    value.hash(&mut h);
    let mut z = h.finish();
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
