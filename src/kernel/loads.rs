//! Loads issued together: bringing a group's scattered data into the
//! cache step by step, before the group is worked on.
//!
//! Reading one item's data is often a chain of cache misses (an index
//! bucket, its entries, the rows they point at, a table the rows name).
//! Taken one item at a time, each miss waits for the one before. Run as
//! one step over the whole group at a time, a loop of loads alone, the
//! group's misses of a step are in flight together, and the work that
//! follows reads the same data from the cache.
//!
//! What is read is folded into a [`Loads`] and handed to
//! [`std::hint::black_box`] at the end, so the compiler keeps the reads.
//! Nothing depends on the values: leaving the warm-up out changes no
//! result, only how long the work after it waits on memory.

/// The reads of a warm-up, kept so the compiler cannot drop them.
#[derive(Debug, Default)]
pub(crate) struct Loads(u32);

impl Loads {
    /// Keeps `value`, read from the data being warmed.
    #[inline]
    pub(crate) fn read(&mut self, value: u32) {
        self.0 ^= value;
    }

    /// Runs `step` over every item of `group`, keeping what it reads: one
    /// step of a chain of loads, for the whole group at once.
    #[inline]
    pub(crate) fn step<T>(&mut self, group: &[T], mut step: impl FnMut(&T) -> u32) {
        for item in group {
            self.read(step(item));
        }
    }

    /// Ends the warm-up: the reads are handed to `black_box`.
    pub(crate) fn done(self) {
        std::hint::black_box(self.0);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// The plain reference: reading each item in turn.
        #[test]
        fn a_step_reads_every_item_once(items in prop::collection::vec(any::<u32>(), 0..100)) {
            let mut seen = Vec::new();
            let mut loads = Loads::default();
            loads.step(&items, |x| {
                seen.push(*x);
                *x
            });
            prop_assert_eq!(&seen, &items);
            prop_assert_eq!(loads.0, items.iter().fold(0, |a, x| a ^ x));
            loads.done();
        }
    }
}
