//! Columns read or filled a chunk at a time, on one thread or several.
//!
//! A pass over millions of rows that fills several columns (amounts, keys,
//! dates, …) cuts the rows and every column into the same chunks, and
//! runs one function per chunk: on rayon's threads when asked (and built
//! with the `parallel` feature), each chunk writing only its own part of
//! each column. The results come back in chunk order, whichever thread
//! made them, so that the first fault in row order is the first in the
//! results.

/// Something that can be cut at a row, as a slice can: a slice, shared or
/// not, or a pair of them (nest pairs for more columns).
pub(crate) trait Split: Sized {
    /// The rows before `at`, and the rest (everything when `at` is past
    /// the end).
    fn split(self, at: usize) -> (Self, Self);
}

impl<T> Split for &[T] {
    fn split(self, at: usize) -> (Self, Self) {
        self.split_at(at.min(self.len()))
    }
}

impl<T> Split for &mut [T] {
    fn split(self, at: usize) -> (Self, Self) {
        let at = at.min(self.len());
        self.split_at_mut(at)
    }
}

impl<A: Split, B: Split> Split for (A, B) {
    fn split(self, at: usize) -> (Self, Self) {
        let (a, rest_a) = self.0.split(at);
        let (b, rest_b) = self.1.split(at);
        ((a, b), (rest_a, rest_b))
    }
}

/// `f(c, chunk)` for each chunk `c` of `chunk` rows of `columns` (`len`
/// rows in all), in chunk order; on rayon's threads when `parallel`, the
/// `parallel` feature is on and there is more than one chunk.
pub(crate) fn map_chunks<C, R>(
    columns: C,
    len: usize,
    chunk: usize,
    parallel: bool,
    f: impl Fn(usize, C) -> R + Sync + Send,
) -> Vec<R>
where
    C: Split + Send,
    R: Send,
{
    let chunk = chunk.max(1);
    let mut chunks = Vec::with_capacity(len.div_ceil(chunk));
    let mut rest = columns;
    for _ in 0..len.div_ceil(chunk) {
        let (head, tail) = rest.split(chunk);
        chunks.push(head);
        rest = tail;
    }
    #[cfg(feature = "parallel")]
    if parallel && len > chunk {
        use rayon::prelude::*;
        return chunks
            .into_par_iter()
            .enumerate()
            .map(|(c, x)| f(c, x))
            .collect();
    }
    #[cfg(not(feature = "parallel"))]
    let _ = parallel;
    chunks
        .into_iter()
        .enumerate()
        .map(|(c, x)| f(c, x))
        .collect()
}

/// `(a(), b())`, on two of rayon's threads when `parallel` and the
/// `parallel` feature is on.
pub(crate) fn join<A, B>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B)
where
    A: Send,
    B: Send,
{
    #[cfg(feature = "parallel")]
    if parallel {
        return rayon::join(a, b);
    }
    #[cfg(not(feature = "parallel"))]
    let _ = parallel;
    (a(), b())
}

/// The first of `n` items, from the start, whose weights (`weight(i)`)
/// reach half of them all: cut there, each side has about half the
/// weight. `None` when a weight is `None` or the sum overflows.
#[cfg_attr(
    not(feature = "parallel"),
    allow(
        dead_code,
        reason = "only the parallel apply of credit totals cuts in halves"
    )
)]
pub(crate) fn half_by_weight(n: usize, weight: impl Fn(usize) -> Option<usize>) -> Option<usize> {
    let total = (0..n).try_fold(0usize, |sum, i| sum.checked_add(weight(i)?))?;
    let mut seen = 0usize;
    for i in 0..n {
        if seen >= total / 2 {
            return Some(i);
        }
        seen = seen.checked_add(weight(i)?)?;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Filling two columns a chunk at a time, on one thread or
        /// several, fills them as one loop over the rows does, and the
        /// chunks come back in order.
        #[test]
        fn chunks_fill_what_one_loop_fills(
            rows in prop::collection::vec(any::<u32>(), 0..2_000),
            chunk in 1usize..300,
            parallel: bool,
        ) {
            let n = rows.len();
            let (mut doubled, mut odd) = (vec![0u64; n], vec![false; n]);
            let firsts = map_chunks(
                (rows.as_slice(), (doubled.as_mut_slice(), odd.as_mut_slice())),
                n,
                chunk,
                parallel,
                |c, (rows, (doubled, odd))| {
                    for ((r, d), o) in rows.iter().zip(doubled).zip(odd) {
                        *d = u64::from(*r) * 2;
                        *o = r % 2 == 1;
                    }
                    (c, rows.first().copied())
                },
            );
            let plain_doubled: Vec<u64> = rows.iter().map(|r| u64::from(*r) * 2).collect();
            let plain_odd: Vec<bool> = rows.iter().map(|r| r % 2 == 1).collect();
            prop_assert_eq!(doubled, plain_doubled);
            prop_assert_eq!(odd, plain_odd);
            let plain_firsts: Vec<(usize, Option<u32>)> =
                rows.chunks(chunk).enumerate().map(|(c, x)| (c, x.first().copied())).collect();
            prop_assert_eq!(firsts, plain_firsts);
        }

        /// The cut is where a running sum first reaches half the total.
        #[test]
        fn half_by_weight_is_where_the_running_sum_reaches_half(
            weights in prop::collection::vec(0usize..1_000, 0..50),
        ) {
            let total = weights.iter().fold(0usize, |t, w| t.checked_add(*w).unwrap());
            let mut seen = 0;
            let mut plain = weights.len();
            for (i, w) in weights.iter().enumerate() {
                if seen >= total / 2 {
                    plain = i;
                    break;
                }
                seen = seen.checked_add(*w).unwrap();
            }
            prop_assert_eq!(half_by_weight(weights.len(), |i| weights.get(i).copied()), Some(plain));
        }
    }

    #[test]
    fn join_runs_both() {
        assert_eq!(join(false, || 1, || 2), (1, 2));
        assert_eq!(join(true, || 1, || 2), (1, 2));
        assert_eq!(half_by_weight(3, |_| None), None);
    }
}
