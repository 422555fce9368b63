//! The org on one date: a validated tree in flat arrays.

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};

use chrono::NaiveDate;

use super::{Line, NONE, Org, Position, Role, effective_on};
use crate::ids::{PersonId, PositionId};
use crate::kernel::preorder;
use crate::kernel::rows::{Rows, TooMany};
use crate::org::OrgError;

/// The dense index of a node in one [`OrgSnapshot`]: `0` is the root and
/// nodes are numbered in pre-order, so every node comes after its parent and
/// a node's descendants are the nodes right after it.
///
/// An index only means something for the snapshot that issued it, and it
/// carries that snapshot's stamp: every lookup by index (in the snapshot,
/// its rollups, quota targets, team reports) compares the stamp first, and
/// an index of another snapshot finds nothing (`None`, or an error naming
/// the index) instead of some other node's value.
///
/// ```
/// # use chrono::NaiveDate;
/// # use salesplan::calendar::DateRange;
/// # use salesplan::org::{Org, Position, ReportingLine, Role};
/// # use salesplan::PositionId;
/// # let pos = |s: &str| PositionId::new(s).unwrap();
/// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// # let org = Org::builder()
/// #     .positions(["vp", "rep"].map(|p| Position::new(pos(p), Role::SalesRep)))
/// #     .line(ReportingLine::top(pos("vp"), DateRange::starting(d(1, 1))))
/// #     .line(ReportingLine::new(pos("rep"), pos("vp"), DateRange::starting(d(1, 1))))
/// #     .build()?;
/// let (june, july) = (org.as_of(d(6, 30))?, org.as_of(d(7, 1))?);
/// let rep = june.node(&pos("rep")).unwrap().index();
/// assert_eq!(june.node_at(rep).map(|n| n.id().as_str()), Some("rep"));
/// // Same org, same shape, but another snapshot: not accepted.
/// assert!(july.node_at(rep).is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeIx {
    /// The stamp of the snapshot that issued it.
    snapshot: u32,
    ix: u32,
}

impl NodeIx {
    /// The index, for indexing per-node arrays of the snapshot that issued
    /// it (such as [`Rollup::into_vec`](crate::rollup::Rollup::into_vec)).
    pub const fn index(self) -> usize {
        self.ix as usize
    }
}

/// Snapshot stamps handed out so far, process-wide. After four billion
/// snapshots a stamp comes round again; by then the snapshot that first
/// had it is long gone.
static STAMPS: AtomicU32 = AtomicU32::new(0);

/// A stamp for a new snapshot.
fn next_stamp() -> u32 {
    STAMPS.fetch_add(1, Ordering::Relaxed)
}

/// The org as of one date: a tree with one root and no cycles, numbered in
/// pre-order into flat arrays.
///
/// Built by [`Org::as_of`]. Every query is an array lookup or a walk up the
/// tree; "is A in B's subtree" is O(1) because B's subtree is the range of
/// nodes `B .. B + size(B)`.
pub struct OrgSnapshot {
    /// Issued to this snapshot alone: its [`NodeIx`]es carry it.
    stamp: u32,
    org: Org,
    date: NaiveDate,
    /// Node -> position index.
    node_pos: Vec<u32>,
    /// Position index -> node, `NONE` when not in the org that day.
    pos_node: Vec<u32>,
    /// Node -> parent node, `NONE` for the root.
    parent: Vec<u32>,
    /// Node -> number of nodes in its subtree, itself included.
    size: Vec<u32>,
    /// Node -> distance from the root.
    depth: Vec<u32>,
    /// Node -> person index of the holder, `NONE` when vacant; empty when
    /// the org has no assignments at all.
    holder: Vec<u32>,
    /// A copy of the root's position (see `position_of`).
    root_position: Position,
}

/// `v[i]`, or `NONE` (absent: no parent, no node, no holder) past its end.
fn get(v: &[u32], i: u32) -> u32 {
    v.get(i as usize).copied().unwrap_or(NONE)
}

impl Org {
    /// The org on `date`: every position with a reporting line in effect
    /// that day, as one validated tree.
    ///
    /// Runs in time linear in the number of positions, without recursion (a
    /// chain a million positions deep is fine).
    ///
    /// # Errors
    ///
    /// [`OrgError::ParentNotInOrg`] when a position reports to one that is
    /// not in the org that day; [`OrgError::NoRoot`] when no position is
    /// in the org that day, [`OrgError::SeveralRoots`] when more than one
    /// is at the top; [`OrgError::Cycle`] naming the positions of a cycle
    /// (also when the org that day is nothing but cycles).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::calendar::DateRange;
    /// use salesplan::org::{Org, Position, ReportingLine, Role};
    /// use salesplan::PositionId;
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let (a, b) = (PositionId::new("a")?, PositionId::new("b")?);
    /// let org = Org::builder()
    ///     .position(Position::new(a.clone(), Role::Executive))
    ///     .position(Position::new(b.clone(), Role::Executive))
    ///     .line(ReportingLine::top(a, DateRange::starting(d(1, 1))))
    ///     // From July, b is a second top position.
    ///     .line(ReportingLine::top(b, DateRange::starting(d(7, 1))))
    ///     .build()?;
    /// assert_eq!(org.as_of(d(6, 30))?.len(), 1);
    /// assert!(org.as_of(d(7, 1)).is_err()); // two roots
    /// assert!(org.as_of(d(1, 1).pred_opt().unwrap()).is_err()); // no root yet
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_of(&self, date: NaiveDate) -> Result<OrgSnapshot, OrgError> {
        let day = self.lines_on(date)?;
        self.check_parents(&day, date)?;
        let root = self.single_root(&day, date)?;
        let children = Rows::new(
            day.parent_pos.len(),
            (0u32..)
                .zip(&day.parent_pos)
                .filter(|(_, parent)| **parent != NONE)
                .map(|(pos, parent)| (*parent, pos)),
        )
        .map_err(|TooMany| super::too_many("positions", day.parent_pos.len()))?;
        let too_many = || super::too_many("positions", day.parent_pos.len());
        let preorder::Numbered {
            node_vertex: node_pos,
            vertex_node: pos_node,
            parent,
            depth,
        } = preorder::number(root, &children, day.parent_pos.len(), day.active_count)
            .ok_or_else(too_many)?;
        // Anything in the org but not reached hangs below a cycle.
        if node_pos.len() < day.active_count {
            return Err(self.cycle_error(&day, &pos_node, date)?);
        }
        let size = preorder::subtree_sizes(&parent).ok_or_else(too_many)?;
        // An org without assignments keeps no holder column (`get` reads a
        // missing entry as vacant).
        let holder = if self.has_assignments() {
            // Looked up in position order (the holdings' order), then
            // read in the tree's.
            let by_pos: Vec<u32> = (0u32..)
                .zip(&day.active)
                .map(|(pos, active)| {
                    // `NONE`: a vacant seat (or one not in the org).
                    (*active)
                        .then(|| self.holder_index_on(pos, date))
                        .flatten()
                        .unwrap_or(NONE)
                })
                .collect();
            node_pos.iter().map(|&pos| get(&by_pos, pos)).collect()
        } else {
            Vec::new()
        };
        let root_position = self
            .position_at(root)
            .cloned()
            .ok_or(OrgError::NoRoot { date })?;
        Ok(OrgSnapshot {
            stamp: next_stamp(),
            root_position,
            org: self.clone(),
            date,
            node_pos,
            pos_node,
            parent,
            size,
            depth,
            holder,
        })
    }

    /// The id of position `p`, for an error on `date`.
    fn position_id(&self, p: u32, date: NaiveDate) -> Result<PositionId, OrgError> {
        self.position_at(p)
            .map(|x| x.id().clone())
            .ok_or(OrgError::NoRoot { date })
    }

    /// Each position's line on `date`: in the org or not, and its parent.
    fn lines_on(&self, date: NaiveDate) -> Result<DayLines, OrgError> {
        let n_pos = self.inner.positions.len();
        // Fewer positions than `NONE` (checked when the org was built):
        // every count and index below is smaller.
        let too_many = || super::too_many("positions", n_pos);
        let mut day = DayLines {
            parent_pos: vec![NONE; n_pos],
            active: vec![false; n_pos],
            roots: Vec::new(),
            active_count: 0,
        };
        for (pos, (slot, is_active)) in
            (0u32..).zip(day.parent_pos.iter_mut().zip(day.active.iter_mut()))
        {
            if let Some(line) =
                effective_on(self.inner.lines.get(pos), date, |l: &Line| l.effective)
            {
                *is_active = true;
                day.active_count = day.active_count.checked_add(1).ok_or_else(too_many)?;
                *slot = line.parent;
                if line.parent == NONE {
                    day.roots.push(pos);
                }
            }
        }
        Ok(day)
    }

    /// Every position in the org that day reports to one that is too.
    fn check_parents(&self, day: &DayLines, date: NaiveDate) -> Result<(), OrgError> {
        for (pos, &parent) in (0u32..).zip(&day.parent_pos) {
            if parent != NONE && !day.active.get(parent as usize).copied().unwrap_or(false) {
                return Err(OrgError::ParentNotInOrg {
                    position: self.position_id(pos, date)?,
                    parent: self.position_id(parent, date)?,
                    date,
                });
            }
        }
        Ok(())
    }

    /// The one position at the top that day.
    fn single_root(&self, day: &DayLines, date: NaiveDate) -> Result<u32, OrgError> {
        match day.roots.as_slice() {
            // Positions in the org and none at the top: they hang below a
            // cycle, or are one.
            [] if day.active_count > 0 => {
                Err(self.cycle_error(day, &vec![NONE; day.parent_pos.len()], date)?)
            }
            [] => Err(OrgError::NoRoot { date }),
            [root] => Ok(*root),
            several => Err(OrgError::SeveralRoots {
                date,
                roots: several
                    .iter()
                    .map(|p| self.position_id(*p, date))
                    .collect::<Result<_, _>>()?,
            }),
        }
    }

    /// The cycle that some position in the org that day, not numbered in
    /// `pos_node`, hangs below.
    fn cycle_error(
        &self,
        day: &DayLines,
        pos_node: &[u32],
        date: NaiveDate,
    ) -> Result<OrgError, OrgError> {
        Ok(OrgError::Cycle {
            date,
            cycle: find_cycle(&day.parent_pos, &day.active, pos_node)
                .into_iter()
                .map(|p| self.position_id(p, date))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// Every position's reporting line on one day.
struct DayLines {
    /// Position -> parent position, `NONE` at the top or not in the org.
    parent_pos: Vec<u32>,
    /// Position -> in the org that day.
    active: Vec<bool>,
    /// Positions at the top.
    roots: Vec<u32>,
    /// Positions in the org that day.
    active_count: usize,
}

/// The positions of a cycle, given that some position in the org was not
/// reached from the root: following parents from it must end in a cycle.
fn find_cycle(parent_pos: &[u32], active: &[bool], pos_node: &[u32]) -> Vec<u32> {
    let Some(start) = (0u32..)
        .zip(active.iter().zip(pos_node))
        .find(|(_, (a, n))| **a && **n == NONE)
        .map(|(p, _)| p)
    else {
        return Vec::new();
    };
    let mut seen = vec![false; parent_pos.len()];
    let mut x = start;
    while let Some(s) = seen.get_mut(x as usize) {
        if *s {
            break;
        }
        *s = true;
        x = get(parent_pos, x);
    }
    // `x` is on the cycle: walk it once.
    let mut cycle = vec![x];
    let mut y = get(parent_pos, x);
    while y != x && y != NONE && cycle.len() <= parent_pos.len() {
        cycle.push(y);
        y = get(parent_pos, y);
    }
    cycle
}

impl OrgSnapshot {
    /// The date of the snapshot.
    pub const fn date(&self) -> NaiveDate {
        self.date
    }

    /// The org it was cut from.
    pub fn org(&self) -> &Org {
        &self.org
    }

    /// Number of positions in the org that day.
    pub fn len(&self) -> usize {
        self.node_pos.len()
    }

    /// Always false: a snapshot has a root.
    pub fn is_empty(&self) -> bool {
        self.node_pos.is_empty()
    }

    /// The top of the org.
    pub fn root(&self) -> Node<'_> {
        Node { snap: self, ix: 0 }
    }

    /// The node of a position, if it is in the org that day.
    ///
    /// # Examples
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Org, Position, ReportingLine, Role};
    /// # use salesplan::PositionId;
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let pos = |s: &str| PositionId::new(s);
    /// // vp <- rep-1, with rep-2 joining on 1 July.
    /// # let org = Org::builder()
    /// #     .position(Position::new(pos("vp")?, Role::Executive))
    /// #     .position(Position::new(pos("rep-1")?, Role::SalesRep))
    /// #     .position(Position::new(pos("rep-2")?, Role::SalesRep))
    /// #     .line(ReportingLine::top(pos("vp")?, DateRange::starting(d(1, 1))))
    /// #     .line(ReportingLine::new(pos("rep-1")?, pos("vp")?, DateRange::starting(d(1, 1))))
    /// #     .line(ReportingLine::new(pos("rep-2")?, pos("vp")?, DateRange::starting(d(7, 1))))
    /// #     .build()?;
    /// let june = org.as_of(d(6, 30))?;
    /// assert_eq!(june.node(&pos("rep-1")?).map(|n| n.depth()), Some(1));
    /// // Declared, but not in the org yet.
    /// assert!(june.node(&pos("rep-2")?).is_none());
    /// assert!(org.as_of(d(7, 1))?.node(&pos("rep-2")?).is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn node(&self, id: &PositionId) -> Option<Node<'_>> {
        self.node_index(id).map(|ix| Node { snap: self, ix })
    }

    /// The node at a dense index of this snapshot.
    ///
    /// `None` for an index of another snapshot.
    pub fn node_at(&self, ix: NodeIx) -> Option<Node<'_>> {
        let at = self.slot(ix)?;
        (at < self.len()).then_some(Node {
            snap: self,
            ix: ix.ix,
        })
    }

    /// Where `node` sits in this snapshot's per-node arrays; `None` for an
    /// index issued by another snapshot. One comparison: the caller's
    /// array lookup checks the range.
    #[inline]
    pub(crate) fn slot(&self, node: NodeIx) -> Option<usize> {
        (node.snapshot == self.stamp).then_some(node.ix as usize)
    }

    /// Every node in pre-order (each parent before its children).
    ///
    /// # Examples
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Org, Position, ReportingLine, Role};
    /// # use salesplan::PositionId;
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    /// // vp <- north <- rep-1, vp <- south <- rep-2
    /// # let org = Org::builder()
    /// #     .positions(["vp", "north", "south", "rep-1", "rep-2"].map(|p| Position::new(pos(p), Role::SalesRep)))
    /// #     .line(ReportingLine::top(pos("vp"), always))
    /// #     .line(ReportingLine::new(pos("north"), pos("vp"), always))
    /// #     .line(ReportingLine::new(pos("south"), pos("vp"), always))
    /// #     .line(ReportingLine::new(pos("rep-1"), pos("north"), always))
    /// #     .line(ReportingLine::new(pos("rep-2"), pos("south"), always))
    /// #     .build()?;
    /// let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 6, 30).unwrap())?;
    /// let order: Vec<&str> = snapshot.nodes().map(|n| n.id().as_str()).collect();
    /// assert_eq!(order, ["vp", "north", "rep-1", "south", "rep-2"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = Node<'_>> + '_ {
        // bound: fewer nodes than `u32::MAX`, numbered as `u32` in `as_of`.
        (0..u32::try_from(self.len()).unwrap_or(0)).map(move |ix| Node { snap: self, ix })
    }

    pub(crate) fn node_at_raw(&self, ix: u32) -> Option<Node<'_>> {
        ((ix as usize) < self.len()).then_some(Node { snap: self, ix })
    }

    /// The node of a position, as a raw index (hot paths).
    #[inline]
    pub(crate) fn node_index(&self, id: &PositionId) -> Option<u32> {
        let pos = self.org.position_index(id)?;
        Some(get(&self.pos_node, pos)).filter(|n| *n != NONE)
    }

    /// Nodes of many positions at once, in batches: `out[i]` is the node of
    /// `keys[i]`, or `NONE` when it is not in the snapshot.
    pub(crate) fn node_indexes<K>(
        &self,
        keys: &[K],
        key: impl Fn(&K) -> &PositionId,
        out: &mut Vec<u32>,
    ) {
        self.org.position_indexes(keys, key, out);
        for slot in out.iter_mut() {
            *slot = get(&self.pos_node, *slot);
        }
    }

    /// The node of every declared position (`NONE` when not in the org
    /// that day), in declaration order.
    pub(crate) fn position_nodes(&self) -> &[u32] {
        &self.pos_node
    }

    /// The branded key of node `ix` of this snapshot (which the caller has
    /// checked is below [`len`](Self::len)).
    #[inline]
    pub(crate) const fn key_at(&self, ix: u32) -> NodeIx {
        NodeIx {
            snapshot: self.stamp,
            ix,
        }
    }

    /// The declaration index of every node's position, in pre-order.
    pub(crate) fn declared_order(&self) -> &[u32] {
        &self.node_pos
    }

    /// Parent of every node (`NONE` for the root), in pre-order.
    pub(crate) fn parents(&self) -> &[u32] {
        &self.parent
    }

    /// The person index of every node's holder (`NONE` when vacant), in
    /// pre-order; empty when the org has no assignments at all.
    pub(crate) fn holders(&self) -> &[u32] {
        &self.holder
    }

    fn position_of(&self, ix: u32) -> &Position {
        // Every node maps to a declared position, so the fallback is never
        // taken; it spares a panic path.
        self.org
            .position_at(get(&self.node_pos, ix))
            .unwrap_or(&self.root_position)
    }
}

impl fmt::Debug for OrgSnapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OrgSnapshot")
            .field("date", &self.date)
            .field("positions", &self.len())
            .field("root", &self.root().id())
            .finish_non_exhaustive()
    }
}

/// One position in an [`OrgSnapshot`], with the queries a manager asks.
#[derive(Clone, Copy)]
pub struct Node<'a> {
    snap: &'a OrgSnapshot,
    ix: u32,
}

impl<'a> Node<'a> {
    fn at(&self, ix: u32) -> Node<'a> {
        Node {
            snap: self.snap,
            ix,
        }
    }

    /// Its dense index in the snapshot.
    pub const fn index(&self) -> NodeIx {
        NodeIx {
            snapshot: self.snap.stamp,
            ix: self.ix,
        }
    }

    /// The position.
    pub fn position(&self) -> &'a Position {
        self.snap.position_of(self.ix)
    }

    /// The position's index in [`Org::positions`] (declaration order), for
    /// per-position data the caller keeps in the same order.
    pub fn declared_index(&self) -> usize {
        get(&self.snap.node_pos, self.ix) as usize
    }

    /// The position's id.
    pub fn id(&self) -> &'a PositionId {
        self.position().id()
    }

    /// The position's role.
    pub fn role(&self) -> &'a Role {
        self.position().role()
    }

    /// Who holds the position that day; `None` when vacant.
    pub fn holder(&self) -> Option<&'a PersonId> {
        self.snap.org.person_at(get(&self.snap.holder, self.ix))
    }

    /// The position it reports to; `None` for the root.
    pub fn parent(&self) -> Option<Node<'a>> {
        let p = get(&self.snap.parent, self.ix);
        (p != NONE).then(|| self.at(p))
    }

    /// Its direct reports, in the order their positions were declared.
    pub fn children(&self) -> impl Iterator<Item = Node<'a>> + 'a {
        let snap = self.snap;
        let end = self.subtree_end();
        // bound: the node's subtree ends at `end <= len < u32::MAX`, and
        // its first child (if any) is the node right after it.
        let mut next = self.ix.saturating_add(1);
        std::iter::from_fn(move || {
            (next < end).then(|| {
                let child = next;
                // bound: a child's subtree ends within its parent's, at
                // most `end`.
                next = child.saturating_add(get(&snap.size, child).max(1));
                Node { snap, ix: child }
            })
        })
    }

    /// Its managers, nearest first, up to the root (itself excluded).
    ///
    /// # Examples
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Org, Position, ReportingLine, Role};
    /// # use salesplan::PositionId;
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    /// // vp <- north <- rep-1, vp <- south <- rep-2
    /// # let org = Org::builder()
    /// #     .positions(["vp", "north", "south", "rep-1", "rep-2"].map(|p| Position::new(pos(p), Role::SalesRep)))
    /// #     .line(ReportingLine::top(pos("vp"), always))
    /// #     .line(ReportingLine::new(pos("north"), pos("vp"), always))
    /// #     .line(ReportingLine::new(pos("south"), pos("vp"), always))
    /// #     .line(ReportingLine::new(pos("rep-1"), pos("north"), always))
    /// #     .line(ReportingLine::new(pos("rep-2"), pos("south"), always))
    /// #     .build()?;
    /// let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 6, 30).unwrap())?;
    /// let rep = snapshot.node(&pos("rep-1")).unwrap();
    /// let managers: Vec<&str> = rep.ancestors().map(|n| n.id().as_str()).collect();
    /// assert_eq!(managers, ["north", "vp"]);
    /// assert_eq!(snapshot.root().ancestors().count(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn ancestors(&self) -> impl Iterator<Item = Node<'a>> + 'a {
        std::iter::successors(self.parent(), Node::parent)
    }

    /// Itself, then its managers up to the root: the chain from a rep to the
    /// top.
    pub fn chain_to_top(&self) -> impl Iterator<Item = Node<'a>> + 'a {
        std::iter::successors(Some(*self), Node::parent)
    }

    /// Everyone below it, in pre-order (itself excluded).
    ///
    /// # Examples
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Org, Position, ReportingLine, Role};
    /// # use salesplan::PositionId;
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    /// // vp <- north <- rep-1, vp <- south <- rep-2
    /// # let org = Org::builder()
    /// #     .positions(["vp", "north", "south", "rep-1", "rep-2"].map(|p| Position::new(pos(p), Role::SalesRep)))
    /// #     .line(ReportingLine::top(pos("vp"), always))
    /// #     .line(ReportingLine::new(pos("north"), pos("vp"), always))
    /// #     .line(ReportingLine::new(pos("south"), pos("vp"), always))
    /// #     .line(ReportingLine::new(pos("rep-1"), pos("north"), always))
    /// #     .line(ReportingLine::new(pos("rep-2"), pos("south"), always))
    /// #     .build()?;
    /// let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 6, 30).unwrap())?;
    /// let below: Vec<&str> = snapshot.root().descendants().map(|n| n.id().as_str()).collect();
    /// assert_eq!(below, ["north", "rep-1", "south", "rep-2"]);
    /// assert_eq!(snapshot.node(&pos("south")).unwrap().descendants().len(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn descendants(&self) -> impl ExactSizeIterator<Item = Node<'a>> + 'a {
        let snap = self.snap;
        // bound: `ix < subtree_end() <= len < u32::MAX`.
        (self.ix.saturating_add(1)..self.subtree_end()).map(move |ix| Node { snap, ix })
    }

    /// One past the last node of its subtree.
    fn subtree_end(&self) -> u32 {
        let size = get(&self.snap.size, self.ix);
        debug_assert!(
            size >= 1
                && (self.ix as usize)
                    .checked_add(size as usize)
                    .is_some_and(|end| end <= self.snap.len())
        );
        // bound: its subtree is the nodes `ix .. ix + size`, all in the
        // snapshot (fewer than `u32::MAX`, numbered in `as_of`).
        self.ix.saturating_add(size)
    }

    /// Distance from the root (the root is 0).
    pub fn depth(&self) -> u32 {
        get(&self.snap.depth, self.ix)
    }

    /// Span of control: direct reports.
    pub fn direct_reports(&self) -> usize {
        self.children().count()
    }

    /// Span of control: everyone below, at any depth.
    pub fn total_reports(&self) -> u32 {
        let size = get(&self.snap.size, self.ix);
        debug_assert!(size >= 1 && size != NONE);
        // bound: a node's subtree holds itself, so its size is at least 1.
        size.saturating_sub(1)
    }

    /// Whether this node is `other` or below it (never, for a node of
    /// another snapshot). O(1).
    pub fn is_within(&self, other: &Node<'_>) -> bool {
        std::ptr::eq(self.snap, other.snap) && other.ix <= self.ix && self.ix < other.subtree_end()
    }

    /// The lowest node that both nodes are within: their nearest common
    /// manager (one of them, when one is within the other); `None` for a
    /// node of another snapshot.
    ///
    /// # Examples
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Org, Position, ReportingLine, Role};
    /// # use salesplan::PositionId;
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    /// // vp <- north <- rep-1, vp <- south <- rep-2
    /// # let org = Org::builder()
    /// #     .positions(["vp", "north", "south", "rep-1", "rep-2"].map(|p| Position::new(pos(p), Role::SalesRep)))
    /// #     .line(ReportingLine::top(pos("vp"), always))
    /// #     .line(ReportingLine::new(pos("north"), pos("vp"), always))
    /// #     .line(ReportingLine::new(pos("south"), pos("vp"), always))
    /// #     .line(ReportingLine::new(pos("rep-1"), pos("north"), always))
    /// #     .line(ReportingLine::new(pos("rep-2"), pos("south"), always))
    /// #     .build()?;
    /// let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 6, 30).unwrap())?;
    /// let node = |s: &str| snapshot.node(&pos(s)).unwrap();
    /// let lcm = |a: &str, b: &str| node(a).lowest_common_manager(&node(b)).map(|n| n.id().as_str());
    /// assert_eq!(lcm("rep-1", "rep-2"), Some("vp"));
    /// // When one is within the other, it is the higher one.
    /// assert_eq!(lcm("rep-1", "north"), Some("north"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lowest_common_manager(&self, other: &Node<'_>) -> Option<Node<'a>> {
        // Walk up from self until the subtree contains other: O(depth).
        // The root contains every node of its snapshot.
        self.chain_to_top().find(|n| other.is_within(n))
    }
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.ix == other.ix && std::ptr::eq(self.snap, other.snap)
    }
}

impl Eq for Node<'_> {}

impl fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Node({}, {:?})", self.ix, self.id().as_str())
    }
}
