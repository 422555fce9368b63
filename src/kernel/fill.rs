//! Filling an output in parts, on rayon's threads when asked.

/// Fills `out` by calling `fill(from, part)` on consecutive parts of it,
/// where `part` is `out[from..from + part.len()]`: one part in all when
/// `parallel` is false (or without the `parallel` feature), one part per
/// thread otherwise. The output is filled in place, so it is held once.
///
/// # Errors
///
/// The error of the first failing part in output order, whatever the
/// threads' timing: the outcome does not depend on the execution.
pub(crate) fn try_fill<T, E, F>(out: &mut [T], parallel: bool, fill: F) -> Result<(), E>
where
    T: Send,
    E: Send,
    F: Fn(usize, &mut [T]) -> Result<(), E> + Sync,
{
    #[cfg(feature = "parallel")]
    if parallel {
        use rayon::prelude::*;
        let chunk = out
            .len()
            .div_ceil(rayon::current_num_threads().max(1))
            .max(1);
        let parts: Vec<Result<(), E>> = out
            .par_chunks_mut(chunk)
            .enumerate()
            // bound: part `k` starts at `k × chunk`, within `out`.
            .map(|(k, part)| fill(k.saturating_mul(chunk), part))
            .collect();
        return parts.into_iter().collect();
    }
    let _ = parallel;
    fill(0, out)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The plain reference: one element at a time, in order.
    fn reference(len: usize, bad: Option<usize>) -> Result<Vec<usize>, usize> {
        (0..len)
            .map(|i| {
                if Some(i) == bad {
                    Err(i)
                } else {
                    Ok(i.wrapping_mul(3))
                }
            })
            .collect()
    }

    fn filled(len: usize, bad: Option<usize>, parallel: bool) -> Result<Vec<usize>, usize> {
        let mut out = vec![0; len];
        try_fill(&mut out, parallel, |from, part| {
            for (i, slot) in (from..).zip(part.iter_mut()) {
                if Some(i) == bad {
                    return Err(i);
                }
                *slot = i.wrapping_mul(3);
            }
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn empty_output() {
        assert_eq!(filled(0, None, true), Ok(vec![]));
    }

    proptest! {
        #[test]
        fn same_as_one_at_a_time(len in 0usize..5000, bad in proptest::option::of(0usize..5000), parallel: bool) {
            prop_assert_eq!(filled(len, bad, parallel), reference(len, bad));
        }
    }
}
