//! [`List`]: a list that never changes once made, and may share one
//! allocation with other lists made together.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// A list that never changes once made. It reads as a slice (`len`,
/// `iter`, `get`, indexing, `to_vec` through [`Deref`]), compares,
/// hashes, prints and serializes as one, and clones by sharing.
///
/// Statements are made by the million and each holds several short
/// lists (its lines; each line's transactions, slices and limits). As a
/// `Vec` each would be an allocation of its own, made on a worker thread
/// and freed one by one by whoever drops the result. The statements of a
/// batch of people instead keep all their lists of one kind in one shared
/// allocation, each list a range of it: the allocation is freed when the
/// last list in it is dropped. A list kept on its own (from a `Vec`, or
/// deserialized) has an allocation of its own, as before; an empty list
/// has none.
///
/// Statements' lists used to be `Vec`s. Build a list with `.into()` or
/// `collect()`, iterate it by reference (`for line in &statement.lines`),
/// and call `to_vec()` for an owned copy to change.
///
/// ```
/// use salesplan::List;
///
/// let ids: List<u32> = vec![3, 1, 2].into();
/// assert_eq!(ids.len(), 3);
/// assert_eq!(ids[0], 3);
/// assert_eq!(ids, [3, 1, 2]);
/// assert_eq!(ids, vec![3, 1, 2]);
/// assert_eq!(ids.iter().sum::<u32>(), 6);
/// assert_eq!(format!("{ids:?}"), "[3, 1, 2]");
///
/// let same = ids.clone(); // shares, does not copy
/// assert_eq!(same, ids);
/// assert!(List::<u32>::new().is_empty());
/// ```
pub struct List<T> {
    /// The shared elements; `None` when the list is empty, or (inside the
    /// crate only) while its elements are still on a [`Shelf`].
    all: Option<Arc<[T]>>,
    /// The list's range of `all`.
    start: usize,
    end: usize,
}

impl<T> List<T> {
    /// The empty list (no allocation).
    pub const fn new() -> List<T> {
        List {
            all: None,
            start: 0,
            end: 0,
        }
    }

    /// The elements, as a slice.
    pub fn as_slice(&self) -> &[T] {
        self.all
            .as_deref()
            .and_then(|all| all.get(self.start..self.end))
            .unwrap_or_default()
    }

    /// Points a list made by [`Shelf::keep`] at its shelf's elements,
    /// once they are frozen; any other list is left as it is.
    pub(crate) fn attach(&mut self, frozen: Option<&Arc<[T]>>) {
        if self.all.is_none() && self.start < self.end {
            self.all = frozen.cloned();
        }
    }
}

impl<T> Default for List<T> {
    fn default() -> List<T> {
        List::new()
    }
}

impl<T> Clone for List<T> {
    fn clone(&self) -> List<T> {
        List {
            all: self.all.clone(),
            start: self.start,
            end: self.end,
        }
    }
}

impl<T> Deref for List<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> AsRef<[T]> for List<T> {
    fn as_ref(&self) -> &[T] {
        self.as_slice()
    }
}

impl<T> From<Vec<T>> for List<T> {
    fn from(items: Vec<T>) -> List<T> {
        let end = items.len();
        List {
            all: (end > 0).then(|| Arc::from(items)),
            start: 0,
            end,
        }
    }
}

impl<T: Clone> From<&[T]> for List<T> {
    fn from(items: &[T]) -> List<T> {
        items.to_vec().into()
    }
}

impl<T, const N: usize> From<[T; N]> for List<T> {
    fn from(items: [T; N]) -> List<T> {
        Vec::from(items).into()
    }
}

impl<T> FromIterator<T> for List<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> List<T> {
        items.into_iter().collect::<Vec<T>>().into()
    }
}

impl<'l, T> IntoIterator for &'l List<T> {
    type Item = &'l T;
    type IntoIter = std::slice::Iter<'l, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().iter()
    }
}

impl<T: fmt::Debug> fmt::Debug for List<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_slice(), f)
    }
}

impl<T: PartialEq> PartialEq for List<T> {
    fn eq(&self, other: &List<T>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: Eq> Eq for List<T> {}

impl<T: PartialEq> PartialEq<[T]> for List<T> {
    fn eq(&self, other: &[T]) -> bool {
        self.as_slice() == other
    }
}

impl<T: PartialEq> PartialEq<&[T]> for List<T> {
    fn eq(&self, other: &&[T]) -> bool {
        self.as_slice() == *other
    }
}

impl<T: PartialEq, const N: usize> PartialEq<[T; N]> for List<T> {
    fn eq(&self, other: &[T; N]) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: PartialEq> PartialEq<Vec<T>> for List<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: PartialEq> PartialEq<List<T>> for [T] {
    fn eq(&self, other: &List<T>) -> bool {
        self == other.as_slice()
    }
}

impl<T: PartialEq> PartialEq<List<T>> for &[T] {
    fn eq(&self, other: &List<T>) -> bool {
        *self == other.as_slice()
    }
}

impl<T: PartialEq, const N: usize> PartialEq<List<T>> for [T; N] {
    fn eq(&self, other: &List<T>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: PartialEq> PartialEq<List<T>> for Vec<T> {
    fn eq(&self, other: &List<T>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: PartialOrd> PartialOrd for List<T> {
    fn partial_cmp(&self, other: &List<T>) -> Option<std::cmp::Ordering> {
        self.as_slice().partial_cmp(other.as_slice())
    }
}

impl<T: Ord> Ord for List<T> {
    fn cmp(&self, other: &List<T>) -> std::cmp::Ordering {
        self.as_slice().cmp(other.as_slice())
    }
}

impl<T: Hash> Hash for List<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

#[cfg(feature = "serde")]
impl<T: serde::Serialize> serde::Serialize for List<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(serializer)
    }
}

#[cfg(feature = "serde")]
impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for List<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<List<T>, D::Error> {
        Vec::<T>::deserialize(deserializer).map(List::from)
    }
}

/// Where the lists of one kind made together wait, before they share one
/// allocation.
///
/// [`keep`](Self::keep) moves a list's elements onto the shelf and gives
/// the list, still detached (it reads as empty); [`freeze`](Self::freeze)
/// moves everything kept into one allocation, which each kept list is then
/// [`attach`](List::attach)ed to. The shelf keeps its room for the next
/// batch.
#[derive(Debug)]
pub(crate) struct Shelf<T> {
    items: Vec<T>,
}

impl<T> Default for Shelf<T> {
    fn default() -> Shelf<T> {
        Shelf { items: Vec::new() }
    }
}

impl<T> Shelf<T> {
    /// `scratch`'s elements, kept (`scratch` is left empty with its room).
    pub(crate) fn keep(&mut self, scratch: &mut Vec<T>) -> List<T> {
        let start = self.items.len();
        self.items.append(scratch);
        self.kept_since(start)
    }

    /// `items`, kept.
    pub(crate) fn keep_all(&mut self, items: impl IntoIterator<Item = T>) -> List<T> {
        let start = self.items.len();
        self.items.extend(items);
        self.kept_since(start)
    }

    /// The detached list of what was kept from `start` on.
    fn kept_since(&self, start: usize) -> List<T> {
        List {
            all: None,
            start,
            end: self.items.len(),
        }
    }

    /// Takes back `list`'s elements, when it was the last list kept (a
    /// list that will never be attached); any other list is left alone.
    pub(crate) fn take_back(&mut self, list: List<T>) {
        if list.all.is_none() && list.end == self.items.len() && list.start <= list.end {
            self.items.truncate(list.start);
        }
    }

    /// The elements kept so far, to attach the lists they hold before
    /// they are frozen.
    pub(crate) fn kept_mut(&mut self) -> &mut [T] {
        &mut self.items
    }

    /// Everything kept, in one allocation of exactly its size (none when
    /// nothing was kept); the shelf is left empty with its room.
    pub(crate) fn freeze(&mut self) -> Option<Arc<[T]>> {
        if self.items.is_empty() {
            return None;
        }
        // A draining iterator knows its length: one allocation, no copy
        // through a `Vec`.
        Some(self.items.drain(..).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_lists_read_empty_until_attached_then_share_one_allocation() {
        let mut shelf = Shelf::default();
        let mut scratch = vec![1, 2];
        let mut a = shelf.keep(&mut scratch);
        assert!(scratch.is_empty());
        let mut empty = shelf.keep(&mut scratch);
        let mut b = shelf.keep_all([3, 4, 5]);
        assert!(a.is_empty() && b.is_empty());
        let frozen = shelf.freeze();
        for l in [&mut a, &mut empty, &mut b] {
            l.attach(frozen.as_ref());
        }
        assert_eq!(a, [1, 2]);
        assert_eq!(b, [3, 4, 5]);
        assert!(empty.is_empty() && empty.all.is_none());
        assert!(Arc::ptr_eq(
            a.all.as_ref().unwrap(),
            b.all.as_ref().unwrap()
        ));
        // Attaching twice, or a list made elsewhere, changes nothing.
        let mut other: List<i32> = vec![9].into();
        other.attach(frozen.as_ref());
        a.attach(None);
        assert_eq!(other, [9]);
        assert_eq!(a, [1, 2]);
        // The shelf starts again from empty, with its room.
        assert!(shelf.freeze().is_none());
        // A list never to be attached gives its elements back, when it is
        // the last kept; any other list cannot.
        let first = shelf.keep_all([1, 2]);
        let last = shelf.keep_all([3]);
        shelf.take_back(first.clone());
        assert_eq!(shelf.items, [1, 2, 3]);
        shelf.take_back(last);
        shelf.take_back(b.clone());
        assert_eq!(shelf.items, [1, 2]);
        shelf.take_back(first);
        assert!(shelf.items.is_empty());
        let c = shelf.keep_all([7]);
        assert_eq!((c.start, c.end), (0, 1));
    }

    #[test]
    fn compares_orders_and_hashes_as_its_elements() {
        use std::collections::hash_map::DefaultHasher;
        let hash = |h: &dyn Fn(&mut DefaultHasher)| {
            let mut s = DefaultHasher::new();
            h(&mut s);
            s.finish()
        };
        let mut shelf = Shelf::default();
        let _ = shelf.keep_all([0, 0]);
        let mut shared = shelf.keep_all([1, 2]);
        shared.attach(shelf.freeze().as_ref());
        let own: List<i32> = vec![1, 2].into();
        assert_eq!(shared, own);
        assert_eq!(shared.cmp(&own), std::cmp::Ordering::Equal);
        let smaller: List<i32> = vec![1, 1].into();
        assert!(smaller < shared);
        assert_eq!(
            hash(&|s| shared.hash(s)),
            hash(&|s| [1, 2].as_slice().hash(s))
        );
        assert!(vec![1, 2] == shared && [1, 2] == shared);
        assert!(*[1, 2].as_slice() == shared && [1, 2].as_slice() == shared);
        let collected: List<i32> = (1..=2).collect();
        assert_eq!(collected, shared);
        assert_eq!(List::from(&[1, 2][..]), shared);
    }
}
