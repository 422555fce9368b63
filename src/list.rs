//! [`List`]: a list that never changes once made, and may share one
//! allocation with other lists made together (the storage behind a
//! statement's slices).

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A list that never changes once made. It reads as a slice (through
/// [`Deref`]), compares, prints and serializes as one, and clones by
/// sharing. Statements keep their lists in it and hand them out as
/// slices; it is not part of the public API.
///
/// Statements are made by the million and each holds several short
/// lists (its lines; each line's transactions, slices and limits). As a
/// `Vec` each would be an allocation of its own, made on a worker thread
/// and freed one by one by whoever drops the result. The statements of a
/// batch of people instead keep all their lists of one kind in one shared
/// allocation, each list a range of it: the allocation is freed when the
/// last list in it is dropped. A list kept on its own (from a `Vec`, or
/// deserialized) has an allocation of its own; an empty list has none.
pub(crate) struct List<T> {
    /// The shared elements; `None` when the list is empty, or (inside the
    /// crate only) while its elements are still on a [`Shelf`].
    all: Option<Arc<[T]>>,
    /// The list's range of `all`.
    start: usize,
    end: usize,
}

impl<T> List<T> {
    /// The empty list (no allocation).
    pub(crate) const fn new() -> List<T> {
        List {
            all: None,
            start: 0,
            end: 0,
        }
    }

    /// The elements, as a slice.
    pub(crate) fn as_slice(&self) -> &[T] {
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
        assert_eq!(*a, [1, 2]);
        assert_eq!(*b, [3, 4, 5]);
        assert!(empty.is_empty() && empty.all.is_none());
        assert!(Arc::ptr_eq(
            a.all.as_ref().unwrap(),
            b.all.as_ref().unwrap()
        ));
        // Attaching twice, or a list made elsewhere, changes nothing.
        let mut other: List<i32> = vec![9].into();
        other.attach(frozen.as_ref());
        a.attach(None);
        assert_eq!(*other, [9]);
        assert_eq!(*a, [1, 2]);
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
    fn reads_and_compares_as_its_elements() {
        let mut shelf = Shelf::default();
        let _ = shelf.keep_all([0, 0]);
        let mut shared = shelf.keep_all([1, 2]);
        shared.attach(shelf.freeze().as_ref());
        let own: List<i32> = vec![1, 2].into();
        assert_eq!(shared, own);
        assert_eq!(format!("{shared:?}"), "[1, 2]");
        assert_eq!(shared.iter().copied().collect::<Vec<i32>>(), [1, 2]);
        assert_ne!(shared, List::from(vec![1, 1]));
        assert!(List::<i32>::new().is_empty());
        assert!(List::<i32>::from(Vec::new()).all.is_none());
    }
}
