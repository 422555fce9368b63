//! Bottom-up aggregation over an org snapshot.
//!
//! Every node has its own value; a rollup gives every node the merge of its
//! whole subtree. Any value that can be merged works, through one trait,
//! [`Aggregate`]: money sums (as whole minor units), counts, tallies, or
//! several at once as a tuple or an array.
//!
//! The engine is built for million-node orgs:
//!
//! - values live in one flat array indexed by the snapshot's pre-order node
//!   numbers, so a rollup is one reverse pass (children before parents) with
//!   no allocation per node;
//! - partial results merge: scatter shard A and shard B of the input
//!   separately, [`merge`](NodeValues::merge) them, and roll up: the result
//!   is the same as from all of the input at once, so a huge run can be split
//!   over threads or machines;
//! - with the `parallel` feature, [`Execution::Parallel`] scatters the input
//!   over rayon's threads; the result is identical to a sequential run.
//!
//! Every merge is checked: an overflow is an error naming the position,
//! never a wrap.
//!
//! ```
//! use chrono::NaiveDate;
//! use salesplan::calendar::DateRange;
//! use salesplan::org::{Org, Position, ReportingLine, Role};
//! use salesplan::rollup::Scatter;
//! use salesplan::Execution;
//! use salesplan::PositionId;
//!
//! let pos = |s: &str| PositionId::new(s).unwrap();
//! let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
//! let org = Org::builder()
//!     .positions(["boss", "a", "b"].map(|p| Position::new(pos(p), Role::SalesRep)))
//!     .line(ReportingLine::top(pos("boss"), always))
//!     .line(ReportingLine::new(pos("a"), pos("boss"), always))
//!     .line(ReportingLine::new(pos("b"), pos("boss"), always))
//!     .build()?;
//! let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap())?;
//!
//! // (deals won, calls made) per rep.
//! let activity = [("a", (2u64, 40u64)), ("b", (1, 95))];
//! let own = Scatter::new(&snapshot)
//!     .execution(Execution::Sequential)
//!     .run(&activity, |(p, v)| Ok(Some((pos(p), *v))))?;
//! let totals = own.roll_up()?;
//! assert_eq!(totals.of(&pos("boss")), Some(&(3, 135)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use chrono::NaiveDate;

mod columns;
pub use self::columns::{AmountColumn, CreditColumns, sum_credit_columns};

use crate::calendar::Period;
use crate::execution::Execution;
use crate::ids::PositionId;
use crate::kernel::fill::try_fill;
use crate::money::{Attainment, Currency, Money, MoneyError};
use crate::org::{NONE, Node, NodeIx, OrgSnapshot};

/// The sum would not fit: returned by [`Aggregate::merge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

/// A value that can be merged bottom-up: the subtree of a node holds the
/// merge of its nodes' own values.
///
/// `merge` must be associative and commutative, with [`empty`](Self::empty)
/// as its identity, so that the result does not depend on the order of the
/// input or on how it was split into shards.
pub trait Aggregate: Clone + Send + Sync {
    /// The value of a node with nothing of its own.
    fn empty() -> Self;

    /// Adds `other` into `self`.
    ///
    /// # Errors
    ///
    /// [`Overflow`] when the result does not fit; `self` may then hold a
    /// partial result and is discarded.
    fn merge(&mut self, other: &Self) -> Result<(), Overflow>;
}

macro_rules! checked_int_aggregate {
    ($($t:ty),*) => {$(
        impl Aggregate for $t {
            #[inline]
            fn empty() -> Self {
                0
            }
            #[inline]
            fn merge(&mut self, other: &Self) -> Result<(), Overflow> {
                *self = self.checked_add(*other).ok_or(Overflow)?;
                Ok(())
            }
        }
    )*};
}

checked_int_aggregate!(u32, u64, usize, i64, i128);

macro_rules! tuple_aggregate {
    ($($name:ident $idx:tt),+) => {
        impl<$($name: Aggregate),+> Aggregate for ($($name,)+) {
            #[inline]
            fn empty() -> Self {
                ($($name::empty(),)+)
            }
            #[inline]
            fn merge(&mut self, other: &Self) -> Result<(), Overflow> {
                $(self.$idx.merge(&other.$idx)?;)+
                Ok(())
            }
        }
    };
}

tuple_aggregate!(A 0, B 1);
tuple_aggregate!(A 0, B 1, C 2);
tuple_aggregate!(A 0, B 1, C 2, D 3);

impl<A: Aggregate, const N: usize> Aggregate for [A; N] {
    fn empty() -> Self {
        std::array::from_fn(|_| A::empty())
    }

    fn merge(&mut self, other: &Self) -> Result<(), Overflow> {
        for (a, b) in self.iter_mut().zip(other) {
            a.merge(b)?;
        }
        Ok(())
    }
}

/// Own values of every node of one snapshot, before the rollup: the result
/// of scattering input onto nodes ([`Scatter`]). Shards merge with
/// [`merge`](Self::merge).
pub struct NodeValues<'s, A> {
    snapshot: &'s OrgSnapshot,
    values: Vec<A>,
}

impl<'s, A: Aggregate> NodeValues<'s, A> {
    /// Every node empty.
    pub fn new(snapshot: &'s OrgSnapshot) -> Self {
        NodeValues {
            snapshot,
            values: vec![A::empty(); snapshot.len()],
        }
    }

    /// Adds `value` to the node of `position`.
    ///
    /// # Errors
    ///
    /// [`RollupError::UnknownPosition`] for a position not in the snapshot;
    /// [`RollupError::Overflow`] when its total overflows.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::rollup::NodeValues;
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Org, Position, ReportingLine, Role};
    /// # use salesplan::PositionId;
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    /// // boss <- a, boss <- b
    /// # let org = Org::builder()
    /// #     .positions(["boss", "a", "b"].map(|p| Position::new(pos(p), Role::SalesRep)))
    /// #     .line(ReportingLine::top(pos("boss"), always))
    /// #     .line(ReportingLine::new(pos("a"), pos("boss"), always))
    /// #     .line(ReportingLine::new(pos("b"), pos("boss"), always))
    /// #     .build()?;
    /// # let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap())?;
    /// let mut own = NodeValues::<u64>::new(&snapshot);
    /// own.add(&pos("a"), &3)?;
    /// own.add(&pos("a"), &1)?;
    /// own.add(&pos("b"), &4)?;
    /// assert!(own.add(&pos("nobody"), &1).is_err());
    /// let totals = own.roll_up()?;
    /// assert_eq!((totals.of(&pos("a")), totals.of(&pos("boss"))), (Some(&4), Some(&8)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add(&mut self, position: &PositionId, value: &A) -> Result<(), RollupError> {
        add_at(self.snapshot, &mut self.values, position, value)
    }

    /// Merges another shard of the same snapshot into this one.
    ///
    /// # Errors
    ///
    /// [`RollupError::SnapshotMismatch`] when `other` belongs to another
    /// snapshot; [`RollupError::Overflow`] naming the position that
    /// overflowed.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::rollup::NodeValues;
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Org, Position, ReportingLine, Role};
    /// # use salesplan::PositionId;
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    /// // boss <- a, boss <- b
    /// # let org = Org::builder()
    /// #     .positions(["boss", "a", "b"].map(|p| Position::new(pos(p), Role::SalesRep)))
    /// #     .line(ReportingLine::top(pos("boss"), always))
    /// #     .line(ReportingLine::new(pos("a"), pos("boss"), always))
    /// #     .line(ReportingLine::new(pos("b"), pos("boss"), always))
    /// #     .build()?;
    /// # let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap())?;
    /// // Two shards of the input, scattered separately (on two machines, say).
    /// let mut first = NodeValues::<u64>::new(&snapshot);
    /// first.add(&pos("a"), &2)?;
    /// let mut second = NodeValues::<u64>::new(&snapshot);
    /// second.add(&pos("a"), &1)?;
    /// second.add(&pos("b"), &5)?;
    /// first.merge(&second)?;
    /// let totals: Vec<(&str, u64)> = first.roll_up()?.iter().map(|(n, v)| (n.id().as_str(), *v)).collect();
    /// assert_eq!(totals, [("boss", 8), ("a", 3), ("b", 5)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn merge(&mut self, other: &NodeValues<'_, A>) -> Result<(), RollupError> {
        merge_all(
            self.snapshot,
            &mut self.values,
            other.snapshot,
            &other.values,
        )
    }

    /// Rolls the values up: every node gets the merge of its subtree. One
    /// reverse pass over the nodes, in place.
    ///
    /// # Errors
    ///
    /// [`RollupError::Overflow`] naming the position whose subtree total
    /// overflowed.
    pub fn roll_up(self) -> Result<Rollup<'s, A>, RollupError> {
        let NodeValues {
            snapshot,
            mut values,
        } = self;
        roll_up_in_place(snapshot, &mut values)?;
        Ok(Rollup { snapshot, values })
    }
}

impl<'s, T> NodeValues<'s, T> {
    /// The snapshot the values belong to.
    pub fn snapshot(&self) -> &'s OrgSnapshot {
        self.snapshot
    }

    /// How many values there are (one per node of the snapshot).
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Each node's value from `f`, in node order.
    pub fn from_fn(snapshot: &'s OrgSnapshot, f: impl FnMut(Node<'s>) -> T) -> Self {
        NodeValues {
            snapshot,
            values: snapshot.nodes().map(f).collect(),
        }
    }

    /// A node's value; `None` for an index of another snapshot.
    pub fn get(&self, node: NodeIx) -> Option<&T> {
        self.values.get(self.snapshot.slot(node)?)
    }

    /// The values, indexed by [`NodeIx::index`].
    pub fn into_vec(self) -> Vec<T> {
        self.values
    }
}

impl<'s, T: Clone> NodeValues<'s, T> {
    /// Per-position data kept in declaration order ([`Org::positions`]'s
    /// order: quotas, targets, anything loaded alongside the positions),
    /// rearranged into the snapshot's node order in one tight pass.
    /// Positions not in the snapshot are left out.
    ///
    /// [`Org::positions`]: crate::org::Org::positions
    ///
    /// # Errors
    ///
    /// [`RollupError::SnapshotMismatch`] unless there is one value per
    /// declared position.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::rollup::NodeValues;
    /// use salesplan::{Currency, Money};
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Org, Position, ReportingLine, Role};
    /// # use salesplan::PositionId;
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    /// // boss <- a, boss <- b
    /// # let org = Org::builder()
    /// #     .positions(["boss", "a", "b"].map(|p| Position::new(pos(p), Role::SalesRep)))
    /// #     .line(ReportingLine::top(pos("boss"), always))
    /// #     .line(ReportingLine::new(pos("a"), pos("boss"), always))
    /// #     .line(ReportingLine::new(pos("b"), pos("boss"), always))
    /// #     .build()?;
    /// # let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap())?;
    /// // One quota per position, in the order the positions were declared.
    /// let quotas = ["3000.00", "1000.00", "2000.00"].map(|q| Money::parse(q, Currency::USD).unwrap());
    /// let by_node = NodeValues::from_declared(&snapshot, &quotas)?;
    /// let b = snapshot.node(&pos("b")).unwrap().index();
    /// assert_eq!(by_node.get(b).map(|q| q.to_string()).as_deref(), Some("2000.00 USD"));
    /// assert!(NodeValues::from_declared(&snapshot, &quotas[..2]).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_declared(
        snapshot: &'s OrgSnapshot,
        by_position: &[T],
    ) -> Result<Self, RollupError> {
        let declared = snapshot.org().positions().len();
        if by_position.len() != declared {
            return Err(RollupError::SnapshotMismatch {
                expected: declared,
                found: by_position.len(),
            });
        }
        let order = snapshot.declared_order();
        let mut values = Vec::with_capacity(order.len());
        values.extend(
            order
                .iter()
                .filter_map(|&p| by_position.get(p as usize).cloned()),
        );
        Ok(NodeValues { snapshot, values })
    }
}

/// Scatters input onto the nodes of a snapshot: each item's value is added
/// to the node of its position, giving the [`NodeValues`] to roll up.
///
/// Sequential unless told otherwise with [`execution`](Self::execution);
/// the result is the same either way.
///
/// # Examples
///
/// ```
/// use salesplan::rollup::Scatter;
/// use salesplan::Execution;
/// # use chrono::NaiveDate;
/// # use salesplan::calendar::DateRange;
/// # use salesplan::org::{Org, Position, ReportingLine, Role};
/// # use salesplan::PositionId;
/// # let pos = |s: &str| PositionId::new(s).unwrap();
/// # let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
/// // boss <- a, boss <- b
/// # let org = Org::builder()
/// #     .positions(["boss", "a", "b"].map(|p| Position::new(pos(p), Role::SalesRep)))
/// #     .line(ReportingLine::top(pos("boss"), always))
/// #     .line(ReportingLine::new(pos("a"), pos("boss"), always))
/// #     .line(ReportingLine::new(pos("b"), pos("boss"), always))
/// #     .build()?;
/// # let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap())?;
/// let calls = [("a", 40u64), ("b", 95), ("a", 5)];
/// let own = Scatter::new(&snapshot)
///     .execution(Execution::Parallel)
///     .run(&calls, |(p, n)| Ok(Some((pos(p), *n))))?;
/// assert_eq!(own.roll_up()?.of(&pos("boss")), Some(&140));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Scatter<'s> {
    snapshot: &'s OrgSnapshot,
    execution: Execution,
}

impl<'s> Scatter<'s> {
    /// A sequential scatter onto `snapshot`.
    pub const fn new(snapshot: &'s OrgSnapshot) -> Scatter<'s> {
        Scatter {
            snapshot,
            execution: Execution::Sequential,
        }
    }

    /// How to run the scatter.
    #[must_use]
    pub const fn execution(mut self, execution: Execution) -> Scatter<'s> {
        self.execution = execution;
        self
    }

    /// Adds each item's value to the node of its position. `f` maps an item
    /// to `Ok(Some((position, value)))`, to `Ok(None)` to skip it (for
    /// example outside the period), or to an error that stops the scatter.
    ///
    /// # Errors
    ///
    /// [`RollupError::UnknownPosition`] for a position not in the snapshot;
    /// [`RollupError::Overflow`] naming the position whose total overflowed;
    /// any error `f` returns.
    pub fn run<T, A, F>(self, items: &[T], f: F) -> Result<NodeValues<'s, A>, RollupError>
    where
        T: Sync,
        A: Aggregate,
        F: Fn(&T) -> Result<Option<(PositionId, A)>, RollupError> + Sync,
    {
        let snapshot = self.snapshot;
        scatter_with(snapshot, items, self.execution, |chunk, values| {
            let mut pairs = Vec::with_capacity(chunk.len());
            for item in chunk {
                pairs.extend(f(item)?);
            }
            let mut nodes = Vec::with_capacity(pairs.len());
            snapshot.node_indexes(&pairs, |(p, _)| p, &mut nodes);
            for ((position, value), node) in pairs.iter().zip(nodes) {
                add_to_node(snapshot, values, node, position, value)?;
            }
            Ok(())
        })
    }
}

fn overflow_at(snapshot: &OrgSnapshot, node: usize) -> RollupError {
    let id = u32::try_from(node)
        .ok()
        .and_then(|ix| snapshot.node_at_raw(ix))
        .map_or_else(|| snapshot.root().id().clone(), |n| n.id().clone());
    RollupError::Overflow { position: id }
}

#[inline]
fn add_at<A: Aggregate>(
    snapshot: &OrgSnapshot,
    values: &mut [A],
    position: &PositionId,
    value: &A,
) -> Result<(), RollupError> {
    // `NONE`: not in the snapshot, reported by `add_to_node`.
    let node = snapshot.node_index(position).unwrap_or(NONE);
    add_to_node(snapshot, values, node, position, value)
}

/// Adds `value` at `node` (resolved from `position`; `NONE` if it was not
/// found).
#[inline]
fn add_to_node<A: Aggregate>(
    snapshot: &OrgSnapshot,
    values: &mut [A],
    node: u32,
    position: &PositionId,
    value: &A,
) -> Result<(), RollupError> {
    if node == NONE {
        return Err(RollupError::UnknownPosition {
            position: position.clone(),
            date: snapshot.date(),
        });
    }
    match values.get_mut(node as usize) {
        Some(slot) => slot.merge(value).map_err(|Overflow| RollupError::Overflow {
            position: position.clone(),
        }),
        None => Err(RollupError::SnapshotMismatch {
            expected: snapshot.len(),
            found: values.len(),
        }),
    }
}

fn merge_all<A: Aggregate>(
    snapshot: &OrgSnapshot,
    values: &mut [A],
    other_snapshot: &OrgSnapshot,
    other: &[A],
) -> Result<(), RollupError> {
    if !std::ptr::eq(snapshot, other_snapshot) || values.len() != other.len() {
        return Err(RollupError::SnapshotMismatch {
            expected: snapshot.len(),
            found: other_snapshot.len(),
        });
    }
    for (node, (a, b)) in values.iter_mut().zip(other).enumerate() {
        a.merge(b).map_err(|Overflow| overflow_at(snapshot, node))?;
    }
    Ok(())
}

/// Merges every node into its parent, children first.
fn roll_up_in_place<A: Aggregate>(
    snapshot: &OrgSnapshot,
    values: &mut [A],
) -> Result<(), RollupError> {
    let parents = snapshot.parents();
    if parents.len() != values.len() {
        return Err(RollupError::SnapshotMismatch {
            expected: parents.len(),
            found: values.len(),
        });
    }
    // Pre-order: every parent index is below its child's, so splitting at
    // the child gives the parent in the head and the child first in the tail.
    for (node, &parent) in parents.iter().enumerate().skip(1).rev() {
        let parent = parent as usize;
        let (head, tail) = values.split_at_mut(node);
        if let (Some(p), Some(c)) = (head.get_mut(parent), tail.first()) {
            p.merge(c)
                .map_err(|Overflow| overflow_at(snapshot, parent))?;
        }
    }
    Ok(())
}

/// Items handed to a scatter's `add` at a time: enough for the id lookups of
/// a chunk to overlap, small enough to stay in cache.
const CHUNK: usize = 1024;

/// Runs `add` over `items`, a chunk at a time, into fresh per-node values;
/// one shard per thread when parallel, merged in shard order.
fn scatter_with<'s, T, A, F>(
    snapshot: &'s OrgSnapshot,
    items: &[T],
    execution: Execution,
    add: F,
) -> Result<NodeValues<'s, A>, RollupError>
where
    T: Sync,
    A: Aggregate,
    F: Fn(&[T], &mut [A]) -> Result<(), RollupError> + Sync,
{
    let shard = |part: &[T]| -> Result<Vec<A>, RollupError> {
        let mut values = vec![A::empty(); snapshot.len()];
        for chunk in part.chunks(CHUNK) {
            add(chunk, &mut values)?;
        }
        Ok(values)
    };
    let values = match execution {
        #[cfg(feature = "parallel")]
        Execution::Parallel if items.len() > 4096 => {
            use rayon::prelude::*;
            let threads = rayon::current_num_threads().max(1);
            let chunk = items.len().div_ceil(threads).max(1);
            // Shards are merged in input order, and the first failing shard
            // in input order reports its error, so the outcome does not
            // depend on thread timing.
            let shards: Vec<Result<Vec<A>, RollupError>> =
                items.par_chunks(chunk).map(shard).collect();
            let mut shards = shards.into_iter();
            let mut first = shards
                .next()
                .unwrap_or_else(|| Ok(vec![A::empty(); snapshot.len()]))?;
            for other in shards {
                merge_all(snapshot, &mut first, snapshot, &other?)?;
            }
            first
        }
        _ => shard(items)?,
    };
    Ok(NodeValues { snapshot, values })
}

/// Subtree totals of every node of one snapshot: the result of a rollup.
pub struct Rollup<'s, A> {
    snapshot: &'s OrgSnapshot,
    values: Vec<A>,
}

impl<'s, A: Aggregate> Rollup<'s, A> {
    /// The snapshot rolled up.
    pub fn snapshot(&self) -> &'s OrgSnapshot {
        self.snapshot
    }

    /// A node's subtree total; `None` for an index of another snapshot.
    pub fn get(&self, node: NodeIx) -> Option<&A> {
        self.values.get(self.snapshot.slot(node)?)
    }

    /// The subtree total of a position, if it is in the snapshot.
    pub fn of(&self, position: &PositionId) -> Option<&A> {
        self.snapshot
            .node_index(position)
            .and_then(|n| self.values.get(n as usize))
    }

    /// Every node with its subtree total, in pre-order.
    pub fn iter(&self) -> impl Iterator<Item = (Node<'s>, &A)> + '_ {
        self.snapshot.nodes().zip(&self.values)
    }

    /// Merges the rollup of another shard of the same snapshot: rolling up
    /// shards and merging gives the same totals as rolling up everything.
    ///
    /// # Errors
    ///
    /// [`RollupError::SnapshotMismatch`] for another snapshot;
    /// [`RollupError::Overflow`] naming the position that overflowed.
    pub fn merge(&mut self, other: &Rollup<'_, A>) -> Result<(), RollupError> {
        merge_all(
            self.snapshot,
            &mut self.values,
            other.snapshot,
            &other.values,
        )
    }

    /// The totals, indexed by [`NodeIx::index`].
    pub fn into_vec(self) -> Vec<A> {
        self.values
    }
}

impl<A> fmt::Debug for NodeValues<'_, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NodeValues")
            .field("nodes", &self.values.len())
            .finish_non_exhaustive()
    }
}

impl<A> fmt::Debug for Rollup<'_, A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rollup")
            .field("nodes", &self.values.len())
            .finish_non_exhaustive()
    }
}

/// An amount credited to a position on a date: what [`sum_credits`] adds
/// up. Implement it for your own row type to roll rows up without copying
/// them.
pub trait Credited {
    /// The position credited.
    fn position(&self) -> &PositionId;
    /// When the amount counts.
    fn date(&self) -> NaiveDate;
    /// The amount; it must be a whole number of the currency's minor units.
    fn amount(&self) -> Money;
    /// The amount as whole minor units of `currency`, or `None` when it is
    /// in another currency or not a whole number of them. The default
    /// derives it from [`amount`](Self::amount); a row that keeps integer
    /// minor units can return them directly and spare a decimal conversion
    /// per row. It must agree with `amount`.
    #[inline]
    fn amount_minor(&self, currency: Currency) -> Option<i128> {
        minor_of(self.amount(), currency)
    }
}

/// `amount` as whole minor units of `currency`, if it is one.
#[inline]
fn minor_of(amount: Money, currency: Currency) -> Option<i128> {
    if amount.currency() == currency {
        amount.minor_units()
    } else {
        None
    }
}

impl Credited for (PositionId, NaiveDate, Money) {
    fn position(&self) -> &PositionId {
        &self.0
    }
    fn date(&self) -> NaiveDate {
        self.1
    }
    fn amount(&self) -> Money {
        self.2
    }
}

/// What [`sum_credits`] adds up: which currency, which period, how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SumOptions {
    currency: Currency,
    period: Option<Period>,
    execution: Execution,
}

impl SumOptions {
    /// Every credit, in `currency`, sequentially.
    pub const fn new(currency: Currency) -> SumOptions {
        SumOptions {
            currency,
            period: None,
            execution: Execution::Sequential,
        }
    }

    /// Only credits dated within `period`.
    #[must_use]
    pub const fn period(mut self, period: Period) -> SumOptions {
        self.period = Some(period);
        self
    }

    /// How to run the scatter.
    #[must_use]
    pub const fn execution(mut self, execution: Execution) -> SumOptions {
        self.execution = execution;
        self
    }
}

/// Credited money per node: each node's own total and its subtree's, in
/// one currency.
///
/// Totals are kept as whole minor units in `i128` (checked) and become
/// [`Money`] at the edge.
pub struct MoneyRollup<'s> {
    currency: Currency,
    /// How the sums were run: [`attainments`](Self::attainments) runs
    /// the same way.
    execution: Execution,
    /// Subtree totals only: a node's own total is its subtree's less its
    /// children's, found when asked (this halves the rollup's memory).
    subtree: Rollup<'s, i128>,
}

/// Sums credited amounts per position and rolls them up the snapshot: the
/// usual "managers get credit for their team" view, in one pass.
///
/// # Errors
///
/// [`RollupError::UnknownPosition`] for a credit to a position not in the
/// snapshot; [`RollupError::Amount`] for an amount in another currency or
/// not in whole minor units; [`RollupError::Overflow`] naming the position
/// whose total overflowed.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::calendar::DateRange;
/// use salesplan::org::{Org, Position, ReportingLine, Role};
/// use salesplan::rollup::{sum_credits, SumOptions};
/// use salesplan::{Currency, Money, Period, PositionId};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let pos = |s: &str| PositionId::new(s).unwrap();
/// let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
/// let always = DateRange::starting(d(1, 1));
/// let org = Org::builder()
///     .position(Position::new(pos("mgr"), Role::TeamLead))
///     .position(Position::new(pos("rep"), Role::SalesRep))
///     .line(ReportingLine::top(pos("mgr"), always))
///     .line(ReportingLine::new(pos("rep"), pos("mgr"), always))
///     .build()?;
/// let snapshot = org.as_of(d(3, 31))?;
/// let credits = vec![
///     (pos("rep"), d(1, 15), usd("1000.00")),
///     (pos("rep"), d(2, 10), usd("-200.00")),
///     (pos("mgr"), d(3, 1), usd("50.00")),
///     (pos("rep"), d(4, 2), usd("999.00")), // next quarter
/// ];
/// let q1 = Period::new(d(1, 1), d(4, 1))?;
/// let totals = sum_credits(&snapshot, &credits, SumOptions::new(Currency::USD).period(q1))?;
/// let mgr = pos("mgr");
/// assert_eq!(totals.own(&mgr)?, usd("50.00"));
/// assert_eq!(totals.subtree(&mgr)?, usd("850.00"));
/// assert_eq!(totals.attainment(&mgr, usd("1700.00"))?.to_string(), "50%");
/// // Or by node, while walking the snapshot.
/// assert_eq!(totals.subtree(snapshot.root())?, usd("850.00"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sum_credits<'s, C: Credited + Sync>(
    snapshot: &'s OrgSnapshot,
    credits: &[C],
    options: SumOptions,
) -> Result<MoneyRollup<'s>, RollupError> {
    let currency = options.currency;
    scatter_credits(
        snapshot,
        credits,
        options,
        C::date,
        |selected, out| snapshot.node_indexes(selected, |c| c.position(), out),
        |c| c.amount_minor(currency),
        |c, node| credit_error(snapshot, c.position(), node, c.amount(), currency),
    )
}

/// Sums credits a chunk at a time: in each chunk, the credits dated in the
/// period are selected, `resolve` finds their nodes (`NONE` when not
/// found) and their amounts in minor units are added. The first fault in
/// input order is named by `fail(credit, node)`.
fn scatter_credits<'s, C: Sync>(
    snapshot: &'s OrgSnapshot,
    credits: &[C],
    options: SumOptions,
    date: impl Fn(&C) -> NaiveDate + Sync,
    resolve: impl Fn(&[&C], &mut Vec<u32>) + Sync,
    minor: impl Fn(&C) -> Option<i128> + Sync,
    fail: impl Fn(&C, Option<u32>) -> RollupError + Sync,
) -> Result<MoneyRollup<'s>, RollupError> {
    let period = options.period;
    let own = scatter_with(
        snapshot,
        credits,
        options.execution,
        |chunk, values: &mut [i128]| {
            // Only credits in the period are resolved and added.
            let selected: Vec<&C> = chunk
                .iter()
                .filter(|c| period.is_none_or(|p| p.contains(date(c))))
                .collect();
            let mut nodes = Vec::with_capacity(selected.len());
            resolve(&selected, &mut nodes);
            let amounts = selected.iter().map(|c| minor(c));
            add_money_chunk(values, &nodes, amounts, |i| match selected.get(i) {
                Some(c) => fail(c, nodes.get(i).copied()),
                None => unreachable_item(snapshot),
            })
        },
    )?;
    MoneyRollup::new(options, own)
}

/// Adds one chunk of credited amounts: item `i` goes to node `nodes[i]`
/// (`NONE` when its position was not found). The first bad item, in input
/// order, is named by `fail(i)`.
fn add_money_chunk(
    values: &mut [i128],
    nodes: &[u32],
    amounts: impl Iterator<Item = Option<i128>>,
    fail: impl Fn(usize) -> RollupError,
) -> Result<(), RollupError> {
    let first_bad = nodes.iter().position(|n| *n == NONE);
    let (minors, bad_amount) = chunk_minors(amounts);
    if let Some(i) = first_of(first_bad, bad_amount) {
        return Err(fail(i));
    }
    scatter_minor(values, nodes, &minors).map_err(fail)
}

/// Why a credit to `position` (found at `node`) could not be added: its
/// position is not in the snapshot, its amount does not fit, or the total
/// overflowed.
#[cold]
fn credit_error(
    snapshot: &OrgSnapshot,
    position: &PositionId,
    node: Option<u32>,
    amount: Money,
    currency: Currency,
) -> RollupError {
    if node.is_none_or(|n| n == NONE) {
        return RollupError::UnknownPosition {
            position: position.clone(),
            date: snapshot.date(),
        };
    }
    match minor_units(amount, currency, position) {
        Err(e) => e,
        Ok(_) => RollupError::Overflow {
            position: position.clone(),
        },
    }
}

/// Failing items are always named by their index in the chunk they came
/// from, so this is never returned; it spares a panic path.
#[cold]
fn unreachable_item(snapshot: &OrgSnapshot) -> RollupError {
    RollupError::SnapshotMismatch {
        expected: snapshot.len(),
        found: 0,
    }
}

/// The earlier of two optional indexes.
fn first_of(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Every amount as whole minor units (zero where it is not one), and the
/// index of the first that is not.
#[inline]
fn chunk_minors(amounts: impl Iterator<Item = Option<i128>>) -> (Vec<i128>, Option<usize>) {
    let mut bad = None;
    let minors = amounts
        .enumerate()
        .map(|(i, minor)| {
            minor.unwrap_or_else(|| {
                bad = bad.or(Some(i));
                0
            })
        })
        .collect();
    (minors, bad)
}

/// Adds `minors[i]` at `nodes[i]`. A tight loop of its own, so that many of
/// its cache misses are in flight at once. On an unknown node or an
/// overflow, gives the index of the item, for the caller to name.
#[inline]
fn scatter_minor(values: &mut [i128], nodes: &[u32], minors: &[i128]) -> Result<(), usize> {
    for (i, (&node, &minor)) in nodes.iter().zip(minors).enumerate() {
        match values.get_mut(node as usize) {
            Some(v) => *v = v.checked_add(minor).ok_or(i)?,
            None => return Err(i),
        }
    }
    Ok(())
}

/// `amount` as whole minor units of `currency`.
#[inline]
fn minor_units(
    amount: Money,
    currency: Currency,
    position: &PositionId,
) -> Result<i128, RollupError> {
    if amount.currency() == currency {
        amount.to_minor()
    } else {
        Err(MoneyError::CurrencyMismatch {
            left: currency,
            right: amount.currency(),
        })
    }
    .map_err(|source| RollupError::Amount {
        position: position.clone(),
        source,
    })
}

/// A credit that names its position by an index into a table of position
/// ids: a dictionary-encoded feed, where many rows share few ids (an Arrow
/// or Parquet dictionary column, a CRM export with an owner lookup).
pub trait KeyedCredit {
    /// Index of the credited position in the key table.
    fn key(&self) -> usize;
    /// When the amount counts.
    fn date(&self) -> NaiveDate;
    /// The amount; it must be a whole number of the currency's minor units.
    fn amount(&self) -> Money;
    /// The amount as whole minor units of `currency`, or `None` when it is
    /// in another currency or not a whole number of them. The default
    /// derives it from [`amount`](Self::amount); a row that keeps integer
    /// minor units can return them directly and spare a decimal conversion
    /// per row. It must agree with `amount`.
    #[inline]
    fn amount_minor(&self, currency: Currency) -> Option<i128> {
        minor_of(self.amount(), currency)
    }
}

/// [`sum_credits`] for a dictionary-encoded feed: every id in `keys` is
/// resolved once, then each credit finds its node by its key. With ten
/// credits per position this does a tenth of the id lookups.
///
/// # Errors
///
/// As [`sum_credits`], and [`RollupError::UnknownKey`] for a key outside
/// `keys`. A key whose position is not in the snapshot is an error only if
/// a credit in the period uses it.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::calendar::DateRange;
/// use salesplan::org::{Org, Position, ReportingLine, Role};
/// use salesplan::rollup::{sum_keyed_credits, KeyedCredit, SumOptions};
/// use salesplan::{Currency, Money, PositionId};
///
/// struct Row { owner: u32, cents: i64 }
/// impl KeyedCredit for Row {
///     fn key(&self) -> usize { self.owner as usize }
///     fn date(&self) -> NaiveDate { NaiveDate::from_ymd_opt(2025, 3, 1).unwrap() }
///     fn amount(&self) -> Money { Money::from_minor(self.cents.into(), Currency::USD).unwrap() }
/// }
///
/// let pos = |s: &str| PositionId::new(s).unwrap();
/// let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
/// let org = Org::builder()
///     .position(Position::new(pos("mgr"), Role::TeamLead))
///     .position(Position::new(pos("rep"), Role::SalesRep))
///     .line(ReportingLine::top(pos("mgr"), always))
///     .line(ReportingLine::new(pos("rep"), pos("mgr"), always))
///     .build()?;
/// let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 3, 31).unwrap())?;
/// let owners = [pos("rep"), pos("mgr")];
/// let rows = [Row { owner: 0, cents: 150_00 }, Row { owner: 0, cents: 50_00 }, Row { owner: 1, cents: 1_00 }];
/// let totals = sum_keyed_credits(&snapshot, &owners, &rows, SumOptions::new(Currency::USD))?;
/// assert_eq!(totals.subtree(snapshot.root())?.to_string(), "201.00 USD");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sum_keyed_credits<'s, K: KeyedCredit + Sync>(
    snapshot: &'s OrgSnapshot,
    keys: &[PositionId],
    credits: &[K],
    options: SumOptions,
) -> Result<MoneyRollup<'s>, RollupError> {
    let currency = options.currency;
    let nodes = resolve_keys(snapshot, keys, options.execution);
    if let Some(own) = sum_by_key(snapshot, &nodes, credits, options) {
        return MoneyRollup::new(options, own);
    }
    // Something is wrong with the feed: credit it again one chunk at a
    // time, which names the first fault in input order.
    scatter_credits(
        snapshot,
        credits,
        options,
        K::date,
        |selected, out| {
            out.clear();
            // `NONE`: a key past the table, reported as unknown.
            out.extend(
                selected
                    .iter()
                    .map(|c| nodes.get(c.key()).copied().unwrap_or(NONE)),
            );
        },
        |c| c.amount_minor(currency),
        |credit, node| match keys.get(credit.key()) {
            Some(position) => credit_error(snapshot, position, node, credit.amount(), currency),
            None => RollupError::UnknownKey {
                key: credit.key(),
                keys: keys.len(),
            },
        },
    )
}

/// The fast path of [`sum_keyed_credits`]: every credit in the period is
/// added to its key's total (64-bit, so the totals' array stays small and
/// the random writes cache-friendly), then every key's total to its node.
/// `None` on any fault (a key out of range or not in the snapshot, an
/// amount not in whole minor units or beyond 64 bits, an overflow), for the
/// caller to report exactly; a clean feed is read once.
fn sum_by_key<'s, K: KeyedCredit + Sync>(
    snapshot: &'s OrgSnapshot,
    nodes: &[u32],
    credits: &[K],
    options: SumOptions,
) -> Option<NodeValues<'s, i128>> {
    let SumOptions {
        currency,
        period,
        execution,
    } = options;
    // Keys whose position is not in the snapshot are a fault only when a
    // credit in the period uses them, so they are marked, if there are any.
    let missing: Option<Vec<bool>> = nodes
        .contains(&NONE)
        .then(|| nodes.iter().map(|n| *n == NONE).collect());
    // Adds every credit whose key is in `from..from + sums.len()` (or
    // beyond, for the last range, where a key past the table is a fault).
    let add_range = |sums: &mut [i64], from: usize, last: bool| -> Option<()> {
        for credit in credits {
            if period.is_some_and(|p| !p.contains(credit.date())) {
                continue;
            }
            let key = credit.key();
            let Some(at) = key.checked_sub(from) else {
                continue;
            };
            if at >= sums.len() && !last {
                continue;
            }
            let minor = i64::try_from(credit.amount_minor(currency)?).ok()?;
            if missing.as_ref().is_some_and(|m| m.get(key) != Some(&false)) {
                return None;
            }
            let sum = sums.get_mut(at)?;
            *sum = sum.checked_add(minor)?;
        }
        Some(())
    };
    let mut sums = vec![0_i64; nodes.len()];
    match execution {
        // Each thread reads every credit but adds only those of its own
        // range of keys: one array of totals, and each thread's random
        // writes stay within its part of it.
        #[cfg(feature = "parallel")]
        Execution::Parallel if credits.len() > 4096 && !nodes.is_empty() => {
            use rayon::prelude::*;
            let span = nodes
                .len()
                .div_ceil(rayon::current_num_threads().max(1))
                .max(1);
            let ranges = sums.len().div_ceil(span);
            let parts: Vec<Option<()>> = sums
                .par_chunks_mut(span)
                .enumerate()
                .map(|(k, part)| {
                    // bound: part `k` of `ranges` starts at `k × span`,
                    // within the sums (so `k + 1 <= ranges` too).
                    let last = k.saturating_add(1) >= ranges;
                    // bound: as above.
                    add_range(part, k.saturating_mul(span), last)
                })
                .collect();
            parts.into_iter().collect::<Option<()>>()?;
        }
        _ => add_range(&mut sums, 0, true)?,
    }
    let mut values = vec![0_i128; snapshot.len()];
    for (&node, &sum) in nodes.iter().zip(&sums) {
        // A key not in the snapshot has no credit (checked above).
        if sum != 0 {
            let value = values.get_mut(node as usize)?;
            *value = value.checked_add(i128::from(sum))?;
        }
    }
    Some(NodeValues { snapshot, values })
}

/// The node of every key (`NONE` when not in the snapshot).
fn resolve_keys(snapshot: &OrgSnapshot, keys: &[PositionId], execution: Execution) -> Vec<u32> {
    match execution {
        #[cfg(feature = "parallel")]
        Execution::Parallel if keys.len() > 4096 => {
            use rayon::prelude::*;
            let threads = rayon::current_num_threads().max(1);
            let chunk = keys.len().div_ceil(threads).max(1);
            // Filled in place: collecting parts would hold the output twice.
            let mut out = vec![NONE; keys.len()];
            out.par_chunks_mut(chunk)
                .zip(keys.par_chunks(chunk))
                .for_each(|(out, part)| {
                    let mut found = Vec::with_capacity(part.len());
                    snapshot.node_indexes(part, |k| k, &mut found);
                    for (slot, node) in out.iter_mut().zip(found) {
                        *slot = node;
                    }
                });
            out
        }
        _ => {
            let mut out = Vec::with_capacity(keys.len());
            snapshot.node_indexes(keys, |k| k, &mut out);
            out
        }
    }
}

impl<'s> MoneyRollup<'s> {
    fn new(options: SumOptions, own: NodeValues<'s, i128>) -> Result<MoneyRollup<'s>, RollupError> {
        Ok(MoneyRollup {
            currency: options.currency,
            execution: options.execution,
            subtree: own.roll_up()?,
        })
    }

    /// The currency of every total.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The snapshot rolled up.
    pub fn snapshot(&self) -> &'s OrgSnapshot {
        self.subtree.snapshot()
    }

    /// The node's position.
    fn position(&self, slot: usize) -> Result<&'s PositionId, RollupError> {
        self.node(slot).map(|n| n.id())
    }

    fn node(&self, slot: usize) -> Result<Node<'s>, RollupError> {
        u32::try_from(slot)
            .ok()
            .and_then(|ix| self.snapshot().node_at_raw(ix))
            .ok_or(RollupError::NodeOutOfRange { index: slot })
    }

    fn money(&self, slot: usize, minor: i128) -> Result<Money, RollupError> {
        let position = self.position(slot)?;
        Money::from_minor(minor, self.currency).map_err(|source| RollupError::Amount {
            position: position.clone(),
            source,
        })
    }

    /// The subtree total at `slot`, in minor units.
    fn subtree_at(&self, slot: usize) -> Result<i128, RollupError> {
        self.subtree
            .values
            .get(slot)
            .copied()
            .ok_or(RollupError::NodeOutOfRange { index: slot })
    }

    /// What was credited to the node's position itself.
    ///
    /// # Errors
    ///
    /// [`RollupError::ForeignNode`] for an index of another snapshot,
    /// [`RollupError::UnknownPosition`] for a position not in it;
    /// [`RollupError::Amount`] when the total exceeds a `Decimal`.
    pub fn own(&self, node: impl NodeRef) -> Result<Money, RollupError> {
        let slot = node.locate(self.snapshot())?;
        let at = self.node(slot)?;
        // The subtree total was summed with checks from the own total and
        // the children's, so taking them away again cannot overflow.
        let own = at
            .children()
            .try_fold(self.subtree_at(slot)?, |own, child| {
                own.checked_sub(self.subtree_at(child.index().index())?)
                    .ok_or_else(|| RollupError::Overflow {
                        position: at.id().clone(),
                    })
            })?;
        self.money(slot, own)
    }

    /// What was credited to the node's whole subtree, itself included.
    ///
    /// # Errors
    ///
    /// [`RollupError::ForeignNode`] for an index of another snapshot,
    /// [`RollupError::UnknownPosition`] for a position not in it;
    /// [`RollupError::Amount`] when the total exceeds a `Decimal`.
    pub fn subtree(&self, node: impl NodeRef) -> Result<Money, RollupError> {
        let slot = node.locate(self.snapshot())?;
        self.money(slot, self.subtree_at(slot)?)
    }

    /// Subtree total in minor units (hot paths); `None` for an index of
    /// another snapshot or a position not in it.
    pub fn subtree_minor(&self, node: impl NodeRef) -> Option<i128> {
        let slot = node.locate(self.snapshot()).ok()?;
        self.subtree.values.get(slot).copied()
    }

    /// The node's subtree total against `quota`, exactly; a zero quota is
    /// reported as [`Attainment::ZeroTarget`].
    ///
    /// # Errors
    ///
    /// [`RollupError::ForeignNode`] for an index of another snapshot,
    /// [`RollupError::UnknownPosition`] for a position not in it;
    /// [`RollupError::Amount`] naming the position for a quota in another
    /// currency or with fractions of a minor unit.
    pub fn attainment(&self, node: impl NodeRef, quota: Money) -> Result<Attainment, RollupError> {
        let slot = node.locate(self.snapshot())?;
        self.attainment_at(slot, quota)
    }

    fn attainment_at(&self, slot: usize, quota: Money) -> Result<Attainment, RollupError> {
        let position = self.position(slot)?;
        let amount_error = |source| RollupError::Amount {
            position: position.clone(),
            source,
        };
        if quota.currency() != self.currency {
            return Err(amount_error(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: quota.currency(),
            }));
        }
        let actual = self.subtree_at(slot)?;
        let target = quota.to_minor().map_err(amount_error)?;
        Attainment::of_minor(actual, target, || Money::from_minor(actual, self.currency))
            .map_err(amount_error)
    }
}

/// Names a node of a snapshot: its [`NodeIx`], the [`Node`] itself, or its
/// position's id. The lookups of a [`MoneyRollup`] take any of them, so
/// `totals.subtree(&pos("ana"))` and `totals.subtree(node.index())` both
/// read naturally, and a key of another snapshot is an error, never some
/// other node's total.
pub trait NodeRef {
    /// Where the node sits in `snapshot`'s per-node arrays.
    ///
    /// # Errors
    ///
    /// [`RollupError::ForeignNode`] for an index or node of another
    /// snapshot; [`RollupError::UnknownPosition`] for a position not in
    /// the snapshot.
    fn locate(&self, snapshot: &OrgSnapshot) -> Result<usize, RollupError>;
}

impl NodeRef for NodeIx {
    #[inline]
    fn locate(&self, snapshot: &OrgSnapshot) -> Result<usize, RollupError> {
        snapshot
            .slot(*self)
            .filter(|at| *at < snapshot.len())
            .ok_or(RollupError::ForeignNode {
                index: self.index(),
            })
    }
}

impl NodeRef for Node<'_> {
    #[inline]
    fn locate(&self, snapshot: &OrgSnapshot) -> Result<usize, RollupError> {
        self.index().locate(snapshot)
    }
}

impl NodeRef for PositionId {
    #[inline]
    fn locate(&self, snapshot: &OrgSnapshot) -> Result<usize, RollupError> {
        snapshot
            .node_index(self)
            .map(|n| n as usize)
            .ok_or_else(|| RollupError::UnknownPosition {
                position: self.clone(),
                date: snapshot.date(),
            })
    }
}

impl<K: NodeRef + ?Sized> NodeRef for &K {
    #[inline]
    fn locate(&self, snapshot: &OrgSnapshot) -> Result<usize, RollupError> {
        (**self).locate(snapshot)
    }
}

impl MoneyRollup<'_> {
    /// Every node's subtree total against its quota, in node order (see
    /// [`NodeValues::from_declared`] to line quotas up with the nodes),
    /// run as the sums were ([`SumOptions::execution`]).
    ///
    /// # Errors
    ///
    /// [`RollupError::SnapshotMismatch`] for quotas of another snapshot;
    /// [`RollupError::Amount`] naming the position of a quota in another
    /// currency or with fractions of a minor unit.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::rollup::{sum_credits, NodeValues, SumOptions};
    /// use salesplan::{Currency, Money};
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Org, Position, ReportingLine, Role};
    /// # use salesplan::PositionId;
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    /// // boss <- a, boss <- b
    /// # let org = Org::builder()
    /// #     .positions(["boss", "a", "b"].map(|p| Position::new(pos(p), Role::SalesRep)))
    /// #     .line(ReportingLine::top(pos("boss"), always))
    /// #     .line(ReportingLine::new(pos("a"), pos("boss"), always))
    /// #     .line(ReportingLine::new(pos("b"), pos("boss"), always))
    /// #     .build()?;
    /// # let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap())?;
    /// let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
    /// let day = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    /// let credits = vec![(pos("a"), day, usd("1500.00")), (pos("b"), day, usd("600.00"))];
    /// let totals = sum_credits(&snapshot, &credits, SumOptions::new(Currency::USD))?;
    /// // Quotas of boss, a and b, in declaration order; b has none.
    /// let quotas = NodeValues::from_declared(&snapshot, &[usd("3000.00"), usd("1000.00"), usd("0.00")])?;
    /// let all: Vec<String> = totals.attainments(&quotas)?.iter().map(|a| a.to_string()).collect();
    /// assert_eq!(all, ["70%", "150%", "no target (actual 600.00 USD)"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn attainments(
        &self,
        quotas: &NodeValues<'_, Money>,
    ) -> Result<Vec<Attainment>, RollupError> {
        let execution = self.execution;
        let snapshot = self.snapshot();
        // One total per node, read alongside the quotas.
        let totals = self.subtree.values.as_slice();
        if !std::ptr::eq(snapshot, quotas.snapshot)
            || quotas.values.len() != snapshot.len()
            || totals.len() != quotas.values.len()
        {
            return Err(RollupError::SnapshotMismatch {
                expected: snapshot.len(),
                found: quotas.values.len(),
            });
        }
        let mut all = vec![Attainment::Ratio(rust_decimal::Decimal::ZERO); quotas.values.len()];
        let parallel = execution == Execution::Parallel && quotas.values.len() > 4096;
        try_fill(&mut all, parallel, |from, out| {
            let nodes = from..;
            let quotas = quotas.values.get(from..).unwrap_or_default();
            let totals = totals.get(from..).unwrap_or_default();
            for (((node, slot), quota), actual) in nodes.zip(out).zip(quotas).zip(totals) {
                *slot = self.attainment_with(node, *quota, *actual)?;
            }
            Ok(())
        })?;
        Ok(all)
    }

    /// The attainment of the node at `slot`, whose subtree total is
    /// `actual`, against `quota`.
    #[inline]
    fn attainment_with(
        &self,
        slot: usize,
        quota: Money,
        actual: i128,
    ) -> Result<Attainment, RollupError> {
        let fast = minor_of(quota, self.currency).and_then(|target| {
            Attainment::of_minor(actual, target, || Money::from_minor(actual, self.currency)).ok()
        });
        match fast {
            Some(attainment) => Ok(attainment),
            // Found again the slow way, to name the position.
            None => self.attainment_at(slot, quota),
        }
    }
}

impl fmt::Debug for MoneyRollup<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MoneyRollup")
            .field("currency", &self.currency)
            .field("nodes", &self.subtree.values.len())
            .finish_non_exhaustive()
    }
}

/// Bottom-up aggregation over an org snapshot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RollupError {
    /// A value for a position that is not in the snapshot.
    #[error("position {position} is not in the org on {date}")]
    UnknownPosition {
        /// The position.
        position: PositionId,
        /// The snapshot date.
        date: NaiveDate,
    },
    /// A total that no longer fits while merging into a position.
    #[error("the total of {position} overflows")]
    Overflow {
        /// The position whose total overflowed.
        position: PositionId,
    },
    /// An amount that cannot join the rollup: another currency, or not a
    /// whole number of minor units.
    #[error("amount credited to {position}: {source}")]
    Amount {
        /// The position credited.
        position: PositionId,
        /// What is wrong with the amount.
        source: MoneyError,
    },
    /// A node index past the end of the snapshot.
    #[error("node {index} is not in the snapshot")]
    NodeOutOfRange {
        /// The index.
        index: usize,
    },
    /// A node index (or node) issued by another snapshot: it names nothing
    /// in this one, even where a node has that number.
    #[error("node {index} belongs to another snapshot")]
    ForeignNode {
        /// The index, as numbered in the snapshot that issued it.
        index: usize,
    },
    /// A credit's key outside the key table it indexes.
    #[error("key {key} is outside the table of {keys} positions")]
    UnknownKey {
        /// The key given.
        key: usize,
        /// How many keys the table has.
        keys: usize,
    },
    /// Columns of one table of different lengths.
    #[error("column {column} has {found} rows where {expected} were expected")]
    ColumnLength {
        /// The column that differs.
        column: &'static str,
        /// The length of the id column.
        expected: usize,
        /// Its length.
        found: usize,
    },
    /// A sum for a period over credit columns without a day column.
    #[error("a period needs a day column to select the credits in it")]
    MissingDays,
    /// A credit, in a column of ids, whose id is not in the snapshot.
    #[error("id {id} (row {row}) is not in the org on {date}")]
    UnknownId {
        /// The id, as text.
        id: String,
        /// Its row, from 0: the first such credit.
        row: usize,
        /// The snapshot date.
        date: NaiveDate,
    },
    /// Per-node values built for a different snapshot, or per-position
    /// values ([`NodeValues::from_declared`]) for a different org.
    #[error(
        "{found} values given where {expected} were expected (one per node of the snapshot, or per position declared in its org)"
    )]
    SnapshotMismatch {
        /// Values expected: nodes in the snapshot, or positions declared
        /// in its org.
        expected: usize,
        /// Values given.
        found: usize,
    },
}
