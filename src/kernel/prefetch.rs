//! Warm-ups: loads issued ahead of the loop that needs them.
//!
//! A loop that reads, for each item, something at no predictable place
//! (another heap block, a row of a large table) waits for each cache miss
//! in turn when the reads depend on its own work. Running the same reads
//! first in a loop of loads alone, whose results only feed a value the
//! compiler cannot see through, lets the processor keep many of them in
//! flight at once; the real loop then finds the lines in the cache.
//!
//! These only move time around: they compute nothing. They were added for
//! the crediting benchmarks on a two-core virtual machine, where cache
//! misses are dear; they are kept here, apart from the rules, until a
//! side-by-side measurement says whether they pay elsewhere.

use std::hint::black_box;
use std::ops::BitXor;

/// Runs `load` on every item of `items`, in one loop of loads alone, and
/// keeps the results from being optimised away.
#[inline]
pub(crate) fn touch<I, R>(items: I, mut load: impl FnMut(I::Item) -> R)
where
    I: IntoIterator,
    R: Copy + Default + BitXor<Output = R>,
{
    let touched = items
        .into_iter()
        .fold(R::default(), |acc, item| acc ^ load(item));
    black_box(touched);
}

/// At every `window`-th row (`row` a multiple of `window`), [`touch`]es
/// the `window` items of `items` from `row` on: called once per row of a
/// loop, it keeps the loop's next window of items loaded.
#[inline]
pub(crate) fn touch_window<T, R>(items: &[T], row: usize, window: usize, load: impl FnMut(&T) -> R)
where
    R: Copy + Default + BitXor<Output = R>,
{
    if row.checked_rem(window) != Some(0) {
        return;
    }
    let ahead = items.get(row..).unwrap_or_default();
    touch(ahead.get(..window).unwrap_or(ahead), load);
}

/// Reads one value of every `step` of `values`, in order: a stream the
/// cache fetches ahead, so that the lines are there when `values` is then
/// read and written at random.
#[inline]
pub(crate) fn stream<T>(values: &[T], step: usize)
where
    T: Copy + Default + BitXor<Output = T>,
{
    touch(values.iter().step_by(step.max(1)), |v| *v);
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// `touch` loads every item once, in order: what a plain loop
        /// over them reads.
        #[test]
        fn touch_loads_every_item(items in prop::collection::vec(any::<u32>(), 0..500)) {
            let seen = RefCell::new(Vec::new());
            touch(&items, |x| { seen.borrow_mut().push(*x); *x });
            prop_assert_eq!(seen.into_inner(), items);
        }

        /// `touch_window` loads the window from a row that starts one,
        /// cut at the end, and nothing from any other row.
        #[test]
        fn touch_window_loads_the_window_ahead(
            items in prop::collection::vec(any::<u32>(), 0..500),
            row in 0usize..600,
            window in 1usize..64,
        ) {
            let seen = RefCell::new(Vec::new());
            touch_window(&items, row, window, |x| { seen.borrow_mut().push(*x); *x });
            let plain: Vec<u32> = if row.checked_rem(window) == Some(0) {
                items.iter().skip(row).take(window).copied().collect()
            } else {
                Vec::new()
            };
            prop_assert_eq!(seen.into_inner(), plain);
        }
    }

    #[test]
    fn stream_reads_any_slice() {
        stream::<i128>(&[], 4);
        stream(&[1i128, 2, 3, 4, 5], 4);
        stream(&[1u8], 0);
    }
}
