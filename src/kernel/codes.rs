//! Codes for distinct values: each value seen gets the next small number,
//! the same number every time it is seen again.
//!
//! Lets a column hold a `u32` code per row instead of a wider value (or a
//! pointer to one), with the distinct values kept once beside it. Runs of
//! the same value (most rows repeat the row before) are answered without
//! hashing.

use std::hash::Hash;

use super::hash::FxHashMap;

/// The codes given so far.
#[derive(Debug, Clone)]
pub(crate) struct Codes<K> {
    codes: FxHashMap<K, u32>,
    /// The value looked up last, and its code.
    last: Option<(K, u32)>,
}

impl<K> Default for Codes<K> {
    fn default() -> Self {
        Codes {
            codes: FxHashMap::default(),
            last: None,
        }
    }
}

impl<K: Hash + Eq + Copy> Codes<K> {
    /// `value`'s code, and whether it is new (codes count up from 0 in the
    /// order values are first seen); `None` when a new code is needed and
    /// every `u32` below `u32::MAX` is taken.
    pub(crate) fn code(&mut self, value: K) -> Option<(u32, bool)> {
        if let Some((last, code)) = self.last
            && last == value
        {
            return Some((code, false));
        }
        let fresh = u32::try_from(self.codes.len())
            .ok()
            .filter(|n| *n != u32::MAX);
        let (code, new) = match self.codes.get(&value) {
            Some(code) => (*code, false),
            None => {
                let code = fresh?;
                self.codes.insert(value, code);
                (code, true)
            }
        };
        self.last = Some((value, code));
        Some((code, new))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// A value's code is the place of its first sight among the
        /// distinct values, as a plain list of them gives it.
        #[test]
        fn codes_are_places_in_the_list_of_distinct_values(
            values in prop::collection::vec(0u8..20, 0..300),
        ) {
            let mut codes = Codes::default();
            let mut distinct: Vec<u8> = Vec::new();
            for v in values {
                let plain = match distinct.iter().position(|d| *d == v) {
                    Some(p) => (p as u32, false),
                    None => {
                        let code = distinct.len() as u32;
                        distinct.push(v);
                        (code, true)
                    }
                };
                prop_assert_eq!(codes.code(v), Some(plain));
            }
        }
    }
}
