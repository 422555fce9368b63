//! Memory for totals added to at random places.

/// `n` zeros whose pages are already written.
///
/// A fresh zeroed allocation is mapped lazily: the first read of a page maps
/// the shared zero page, and the first write then faults a second time and
/// flushes that page from the TLB of every core the process runs on (on a
/// virtual machine, several microseconds a page). Totals added to at random
/// places read before they write, so they pay that on every page. Writing
/// one element of every page up front, in order, pays one plain fault a
/// page instead.
pub(crate) fn written_zeros<T: Copy + Default>(n: usize) -> Vec<T> {
    let mut v = vec![T::default(); n];
    // 4 KiB pages; larger pages are only written more often than needed.
    let per_page = 4096usize.checked_div(size_of::<T>()).unwrap_or(1).max(1);
    for page in v.chunks_mut(per_page) {
        if let Some(first) = page.first_mut() {
            // A value the compiler cannot see is zero, so the write stays.
            *first = std::hint::black_box(T::default());
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeros_of_any_length() {
        for n in [0, 1, 255, 256, 257, 10_000] {
            let v: Vec<i128> = written_zeros(n);
            assert_eq!(v.len(), n);
            assert!(v.iter().all(|x| *x == 0));
        }
    }
}
