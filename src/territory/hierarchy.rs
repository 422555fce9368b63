//! The territory hierarchy: territories, effective-dated parent lines, and
//! the validated tree on one date.

use std::fmt;

use chrono::NaiveDate;

use crate::calendar::DateRange;
use crate::ids::TerritoryId;
use crate::kernel::hash::{FxHashMap, map_with_capacity};
use crate::territory::TerritoryError;

/// Marks "none" in the dense arrays.
pub(crate) const NONE: u32 = u32::MAX;

/// A territory: an id and an optional display name ("Bay Area").
///
/// In JSON, `{"id": "bay", "name": "Bay Area"}`, `name` optional.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Territory {
    id: TerritoryId,
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    name: Option<Box<str>>,
}

impl Territory {
    /// A territory without a display name.
    pub fn new(id: TerritoryId) -> Territory {
        Territory { id, name: None }
    }

    /// Gives the territory a display name.
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Territory {
        self.name = Some(name.into().into_boxed_str());
        self
    }

    /// Its id.
    pub fn id(&self) -> &TerritoryId {
        &self.id
    }

    /// Its display name, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

/// Where a territory sits in the hierarchy over a date range: under
/// `parent`, or at the top when there is none. A territory is in the map on
/// the days one of its lines is in effect.
///
/// In JSON, `{"territory": .., "parent": .., "effective": date range}`,
/// `parent` optional (the root).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TerritoryLine {
    territory: TerritoryId,
    #[cfg_attr(feature = "serde", serde(default))]
    parent: Option<TerritoryId>,
    effective: DateRange,
}

impl TerritoryLine {
    /// `territory` sits under `parent` while `effective`.
    pub fn new(territory: TerritoryId, parent: TerritoryId, effective: DateRange) -> TerritoryLine {
        TerritoryLine {
            territory,
            parent: Some(parent),
            effective,
        }
    }

    /// `territory` is the root while `effective`.
    pub fn top(territory: TerritoryId, effective: DateRange) -> TerritoryLine {
        TerritoryLine {
            territory,
            parent: None,
            effective,
        }
    }

    /// `territory` under `parent` (the root when `None`) from `from` until
    /// `until` (excluded; open-ended when `None`).
    ///
    /// # Errors
    ///
    /// [`TerritoryError::EmptyRange`] naming the territory when `until` is
    /// not after `from`.
    pub fn between(
        territory: TerritoryId,
        parent: Option<TerritoryId>,
        from: NaiveDate,
        until: Option<NaiveDate>,
    ) -> Result<TerritoryLine, TerritoryError> {
        let effective = match until {
            Some(end) if end <= from => {
                return Err(TerritoryError::EmptyRange {
                    territory,
                    from,
                    until: end,
                });
            }
            Some(end) => {
                DateRange::new(from, Some(end)).map_err(|_| TerritoryError::EmptyRange {
                    territory: territory.clone(),
                    from,
                    until: end,
                })?
            }
            None => DateRange::starting(from),
        };
        Ok(TerritoryLine {
            territory,
            parent,
            effective,
        })
    }

    /// The territory.
    pub fn territory(&self) -> &TerritoryId {
        &self.territory
    }

    /// Its parent; `None` at the top.
    pub fn parent(&self) -> Option<&TerritoryId> {
        self.parent.as_ref()
    }

    /// When the line is in effect.
    pub const fn effective(&self) -> DateRange {
        self.effective
    }
}

/// Everything a [`TerritoryMap`] is made of, before validation: load it
/// from serde or fill it with the builder methods, then
/// [`build`](Self::build).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TerritoryMapBuilder {
    #[cfg_attr(feature = "serde", serde(default))]
    territories: Vec<Territory>,
    #[cfg_attr(feature = "serde", serde(default))]
    lines: Vec<TerritoryLine>,
}

impl TerritoryMapBuilder {
    /// Declares a territory.
    #[must_use]
    pub fn territory(mut self, territory: Territory) -> Self {
        self.territories.push(territory);
        self
    }

    /// Declares many territories.
    #[must_use]
    pub fn territories(mut self, territories: impl IntoIterator<Item = Territory>) -> Self {
        self.territories.extend(territories);
        self
    }

    /// Adds a parent line.
    #[must_use]
    pub fn line(mut self, line: TerritoryLine) -> Self {
        self.lines.push(line);
        self
    }

    /// Adds many parent lines.
    #[must_use]
    pub fn lines(mut self, lines: impl IntoIterator<Item = TerritoryLine>) -> Self {
        self.lines.extend(lines);
        self
    }

    /// Validates everything that does not depend on a date.
    ///
    /// # Errors
    ///
    /// [`TerritoryError::DuplicateTerritory`],
    /// [`TerritoryError::UnknownTerritory`] (a line for an undeclared
    /// territory), [`TerritoryError::UnknownParent`],
    /// [`TerritoryError::SelfParent`] and
    /// [`TerritoryError::OverlappingLines`], each naming the ids. The shape
    /// of the tree (one root, no cycles) depends on the date and is checked
    /// by [`TerritoryMap::as_of`].
    pub fn build(self) -> Result<TerritoryMap, TerritoryError> {
        let n = self.territories.len();
        if u32::try_from(n).map_or(true, |n| n == NONE) {
            return Err(TerritoryError::TooManyRecords {
                what: "territories",
                count: n,
            });
        }
        let mut index: FxHashMap<TerritoryId, u32> = map_with_capacity(n);
        for (i, t) in (0u32..).zip(&self.territories) {
            if index.insert(t.id.clone(), i).is_some() {
                return Err(TerritoryError::DuplicateTerritory {
                    territory: t.id.clone(),
                });
            }
        }
        let mut lines: Vec<Vec<Line>> = vec![Vec::new(); n];
        for line in &self.lines {
            let Some(&at) = index.get(&line.territory) else {
                return Err(TerritoryError::UnknownTerritory {
                    territory: line.territory.clone(),
                });
            };
            let parent = match &line.parent {
                None => NONE,
                Some(p) if *p == line.territory => {
                    return Err(TerritoryError::SelfParent {
                        territory: p.clone(),
                    });
                }
                Some(p) => *index.get(p).ok_or_else(|| TerritoryError::UnknownParent {
                    territory: line.territory.clone(),
                    parent: p.clone(),
                })?,
            };
            if let Some(group) = lines.get_mut(at as usize) {
                group.push(Line {
                    effective: line.effective,
                    parent,
                });
            }
        }
        for (group, t) in lines.iter_mut().zip(&self.territories) {
            group.sort_by_key(|l| l.effective);
            if let Some([a, b]) = group
                .windows(2)
                .find(|w| matches!(w, [a, b] if a.effective.overlaps(&b.effective)))
            {
                return Err(TerritoryError::OverlappingLines {
                    territory: t.id.clone(),
                    first: a.effective,
                    second: b.effective,
                });
            }
        }
        Ok(TerritoryMap {
            territories: self.territories,
            index,
            lines,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Line {
    effective: DateRange,
    parent: u32,
}

/// A validated territory hierarchy over time (country > region > district >
/// territory, or any depth), with effective-dated parent lines `[from,
/// until)`.
///
/// Build it with [`TerritoryMap::builder`]; cut it at a date with
/// [`TerritoryMap::as_of`].
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::calendar::DateRange;
/// use salesplan::territory::{Territory, TerritoryLine, TerritoryMap};
/// use salesplan::TerritoryId;
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let t = |s: &str| TerritoryId::new(s).unwrap();
/// let always = DateRange::starting(d(1, 1));
/// let map = TerritoryMap::builder()
///     .territories(["us", "west", "east", "bay"].map(|s| Territory::new(t(s))))
///     .line(TerritoryLine::top(t("us"), always))
///     .line(TerritoryLine::new(t("west"), t("us"), always))
///     .line(TerritoryLine::new(t("east"), t("us"), always))
///     // The Bay Area moves from West to East on 1 July.
///     .line(TerritoryLine::new(t("bay"), t("west"), DateRange::new(d(1, 1), Some(d(7, 1)))?))
///     .line(TerritoryLine::new(t("bay"), t("east"), DateRange::starting(d(7, 1))))
///     .build()?;
/// let june = map.as_of(d(6, 30))?;
/// assert_eq!(june.parent(&t("bay")), Some(&t("west")));
/// assert_eq!(map.as_of(d(7, 1))?.parent(&t("bay")), Some(&t("east")));
/// assert_eq!(june.leaves(), [t("bay"), t("east")]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// In JSON, `{"territories": [territory, ..], "lines": [line, ..]}`,
/// either list optional (empty), checked as by
/// [`TerritoryMapBuilder::build`] (the shape on a date is checked by
/// [`as_of`](Self::as_of)):
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use chrono::NaiveDate;
/// use salesplan::calendar::DateRange;
/// use salesplan::territory::TerritoryMap;
/// use salesplan::TerritoryId;
///
/// // A date range open from 1 January 2025, in its JSON form.
/// let always = serde_json::to_string(&DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()))?;
/// let json = r#"{
///     "territories": [{"id": "us"}, {"id": "west", "name": "West"}],
///     "lines": [
///         {"territory": "us", "effective": ALWAYS},
///         {"territory": "west", "parent": "us", "effective": ALWAYS}
///     ]
/// }"#;
/// let map: TerritoryMap = serde_json::from_str(&json.replace("ALWAYS", &always))?;
/// let tree = map.as_of(NaiveDate::from_ymd_opt(2025, 3, 1).unwrap())?;
/// assert_eq!(tree.parent(&TerritoryId::new("west")?), Some(&TerritoryId::new("us")?));
/// // An unknown field is refused, naming it; so is a territory declared twice.
/// let err = serde_json::from_str::<TerritoryMap>(
///     &r#"{"territories": [{"id": "us"}], "lines": [{"territory": "us", "parnet": "us", "effective": ALWAYS}]}"#
///         .replace("ALWAYS", &always),
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("unknown field `parnet`"));
/// let err = serde_json::from_str::<TerritoryMap>(r#"{"territories": [{"id": "us"}, {"id": "us"}]}"#)
///     .unwrap_err();
/// assert!(err.to_string().contains("declared twice"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "TerritoryMapBuilder"))]
#[cfg_attr(feature = "serde", serde(into = "TerritoryMapBuilder"))]
pub struct TerritoryMap {
    territories: Vec<Territory>,
    index: FxHashMap<TerritoryId, u32>,
    /// Per territory, its lines sorted by start, not overlapping.
    lines: Vec<Vec<Line>>,
}

impl TerritoryMap {
    /// An empty builder.
    pub fn builder() -> TerritoryMapBuilder {
        TerritoryMapBuilder::default()
    }

    /// The map's data, as it could be rebuilt (territories in their
    /// original order, lines grouped by territory): the starting point for
    /// an expansion.
    pub fn to_builder(&self) -> TerritoryMapBuilder {
        let mut lines = Vec::new();
        for (t, group) in self.territories.iter().zip(&self.lines) {
            for line in group {
                let parent = self
                    .territories
                    .get(line.parent as usize)
                    .map(|p| p.id.clone());
                lines.push(TerritoryLine {
                    territory: t.id.clone(),
                    parent,
                    effective: line.effective,
                });
            }
        }
        TerritoryMapBuilder {
            territories: self.territories.clone(),
            lines,
        }
    }

    /// Every territory, in the order declared.
    pub fn territories(&self) -> &[Territory] {
        &self.territories
    }

    /// The territory with this id.
    pub fn territory(&self, id: &TerritoryId) -> Option<&Territory> {
        self.index
            .get(id)
            .and_then(|i| self.territories.get(*i as usize))
    }

    fn id(&self, ix: u32) -> Option<TerritoryId> {
        self.territories.get(ix as usize).map(|t| t.id.clone())
    }

    /// The map on `date`: every territory with a line in effect that day,
    /// as one tree. Runs in linear time, without recursion.
    ///
    /// # Errors
    ///
    /// [`TerritoryError::ParentNotInMap`] when a territory's parent is not
    /// in the map that day; [`TerritoryError::NoRoot`] or
    /// [`TerritoryError::SeveralRoots`] unless exactly one territory is at
    /// the top; [`TerritoryError::Cycle`] naming the territories of a
    /// cycle.
    ///
    /// # Examples
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::territory::{Territory, TerritoryLine, TerritoryMap};
    /// # use salesplan::TerritoryId;
    /// # let t = |s: &str| TerritoryId::new(s).unwrap();
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let always = DateRange::starting(d(1, 1));
    /// // us > west > sf, us > east, and nyc under east from 1 July.
    /// # let map = TerritoryMap::builder()
    /// #     .territories(["us", "west", "east", "sf", "nyc"].map(|s| Territory::new(t(s))))
    /// #     .line(TerritoryLine::top(t("us"), always))
    /// #     .lines(["west", "east"].map(|s| TerritoryLine::new(t(s), t("us"), always)))
    /// #     .line(TerritoryLine::new(t("sf"), t("west"), always))
    /// #     .line(TerritoryLine::new(t("nyc"), t("east"), DateRange::starting(d(7, 1))))
    /// #     .build()?;
    /// let (june, july) = (map.as_of(d(6, 30))?, map.as_of(d(7, 1))?);
    /// assert_eq!((june.len(), july.len()), (4, 5));
    /// assert!(!june.contains(&t("nyc")) && july.contains(&t("nyc")));
    /// assert!(map.as_of(d(1, 1).pred_opt().unwrap()).is_err()); // no root yet
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_of(&self, date: NaiveDate) -> Result<TerritoryTree, TerritoryError> {
        let (parent, active) = self.lines_on(date);
        let root = self.single_root(date, &parent, &active)?;
        let active_count = active.iter().filter(|on| **on).count();
        let (order, node_of) = self.pre_order(root, &parent, active_count)?;
        if order.len() < active_count {
            let cycle = find_cycle(&parent, &active, &node_of);
            return Err(TerritoryError::Cycle {
                date,
                cycle: cycle
                    .into_iter()
                    .map(|t| self.id(t).ok_or(TerritoryError::NoRoot { date }))
                    .collect::<Result<_, _>>()?,
            });
        }
        let (nodes, index) = self.nodes(date, &order, &parent, &node_of)?;
        Ok(TerritoryTree { date, nodes, index })
    }

    /// Each territory's parent on `date` (`NONE` for a root or one not in
    /// the map then), and whether it is in the map then.
    fn lines_on(&self, date: NaiveDate) -> (Vec<u32>, Vec<bool>) {
        let n = self.territories.len();
        let mut parent = vec![NONE; n];
        let mut active = vec![false; n];
        for (group, (slot, on)) in self.lines.iter().zip(parent.iter_mut().zip(&mut active)) {
            if let Some(line) = group.iter().find(|l| l.effective.contains(date)) {
                *on = true;
                *slot = line.parent;
            }
        }
        (parent, active)
    }

    /// The one root on `date`, every parent being in the map then.
    fn single_root(
        &self,
        date: NaiveDate,
        parent: &[u32],
        active: &[bool],
    ) -> Result<u32, TerritoryError> {
        let id_of = |ix: u32| self.id(ix).ok_or(TerritoryError::NoRoot { date });
        for (t, &p) in (0u32..).zip(parent) {
            if p != NONE && !active.get(p as usize).copied().unwrap_or(false) {
                return Err(TerritoryError::ParentNotInMap {
                    territory: id_of(t)?,
                    parent: id_of(p)?,
                    date,
                });
            }
        }
        let roots: Vec<u32> = (0u32..)
            .zip(parent.iter().zip(active))
            .filter(|(_, (p, on))| **on && **p == NONE)
            .map(|(t, _)| t)
            .collect();
        match roots.as_slice() {
            [] => Err(TerritoryError::NoRoot { date }),
            [root] => Ok(*root),
            several => {
                let mut ids = several
                    .iter()
                    .map(|r| id_of(*r))
                    .collect::<Result<Vec<_>, _>>()?;
                ids.sort();
                Err(TerritoryError::SeveralRoots { date, roots: ids })
            }
        }
    }

    /// The territories reached from `root` in pre-order, children by id
    /// (so the order does not depend on declaration order), and each
    /// territory's place in it (`NONE` when not reached).
    fn pre_order(
        &self,
        root: u32,
        parent: &[u32],
        active_count: usize,
    ) -> Result<(Vec<u32>, Vec<u32>), TerritoryError> {
        let n = self.territories.len();
        let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (t, &p) in (0u32..).zip(parent) {
            if let Some(kids) = children.get_mut(p as usize) {
                kids.push(t);
            }
        }
        for kids in &mut children {
            kids.sort_by(|a, b| {
                let ta = self.territories.get(*a as usize).map(|t| &t.id);
                let tb = self.territories.get(*b as usize).map(|t| &t.id);
                ta.cmp(&tb)
            });
        }
        // An explicit stack, not recursion.
        let mut order: Vec<u32> = Vec::with_capacity(active_count);
        let mut node_of = vec![NONE; n];
        let mut stack = vec![root];
        while let Some(t) = stack.pop() {
            if let Some(slot) = node_of.get_mut(t as usize) {
                *slot = u32::try_from(order.len()).map_err(|_| self.too_many())?;
            }
            order.push(t);
            if let Some(kids) = children.get(t as usize) {
                stack.extend(kids.iter().rev());
            }
        }
        Ok((order, node_of))
    }

    /// The tree's nodes in `order`, with parents, depths and child counts,
    /// and the index from id to node.
    fn nodes(
        &self,
        date: NaiveDate,
        order: &[u32],
        parent: &[u32],
        node_of: &[u32],
    ) -> Result<(Vec<NodeData>, FxHashMap<TerritoryId, u32>), TerritoryError> {
        let mut nodes: Vec<NodeData> = Vec::with_capacity(order.len());
        let mut index = map_with_capacity(order.len());
        for (node, &t) in (0u32..).zip(order) {
            let territory = self
                .territories
                .get(t as usize)
                .cloned()
                .ok_or(TerritoryError::NoRoot { date })?;
            let p = parent.get(t as usize).copied().unwrap_or(NONE);
            let parent_node = node_of.get(p as usize).copied().unwrap_or(NONE);
            let depth = match nodes.get(parent_node as usize) {
                Some(p) => p.depth.checked_add(1).ok_or_else(|| self.too_many())?,
                None => 0,
            };
            index.insert(territory.id.clone(), node);
            nodes.push(NodeData {
                territory,
                parent: parent_node,
                depth,
                children: 0,
            });
        }
        for i in 0..nodes.len() {
            let p = nodes.get(i).map_or(NONE, |n| n.parent);
            if let Some(parent) = nodes.get_mut(p as usize) {
                parent.children = parent
                    .children
                    .checked_add(1)
                    .ok_or_else(|| self.too_many())?;
            }
        }
        Ok((nodes, index))
    }

    fn too_many(&self) -> TerritoryError {
        TerritoryError::TooManyRecords {
            what: "territories",
            count: self.territories.len(),
        }
    }
}

/// The territories of a cycle that `active` territories not reached from
/// the root hang below, found by walking parents from an unreached one.
fn find_cycle(parent: &[u32], active: &[bool], node_of: &[u32]) -> Vec<u32> {
    let start = (0u32..)
        .zip(active.iter().zip(node_of))
        .find(|(_, (on, node))| **on && **node == NONE)
        .map(|(t, _)| t);
    let Some(start) = start else {
        return Vec::new();
    };
    // Walk up until a territory repeats; the repeat closes the cycle.
    let mut seen = vec![false; parent.len()];
    let mut at = start;
    while let Some(s) = seen.get_mut(at as usize) {
        if *s {
            break;
        }
        *s = true;
        at = parent.get(at as usize).copied().unwrap_or(NONE);
    }
    let first = at;
    let mut cycle = vec![first];
    let mut next = parent.get(first as usize).copied().unwrap_or(NONE);
    while next != first && next != NONE && cycle.len() <= parent.len() {
        cycle.push(next);
        next = parent.get(next as usize).copied().unwrap_or(NONE);
    }
    cycle
}

crate::validated::via_form!(builder TerritoryMap, TerritoryMapBuilder, TerritoryError, |map| map.to_builder());

impl fmt::Debug for TerritoryMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TerritoryMap")
            .field("territories", &self.territories.len())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
struct NodeData {
    territory: Territory,
    parent: u32,
    depth: u32,
    children: u32,
}

/// The territory hierarchy on one date: one root, no cycles, every parent
/// in the tree. Territories are held in pre-order, children by id.
#[derive(Clone)]
pub struct TerritoryTree {
    date: NaiveDate,
    nodes: Vec<NodeData>,
    index: FxHashMap<TerritoryId, u32>,
}

impl TerritoryTree {
    /// The date of the tree.
    pub const fn date(&self) -> NaiveDate {
        self.date
    }

    /// How many territories are in the tree.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the tree is empty (never: a tree has a root).
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The root territory.
    pub fn root(&self) -> Option<&TerritoryId> {
        self.nodes.first().map(|n| &n.territory.id)
    }

    /// Whether the territory is in the tree.
    pub fn contains(&self, territory: &TerritoryId) -> bool {
        self.index.contains_key(territory)
    }

    /// The territory's record (its display name).
    pub fn territory(&self, territory: &TerritoryId) -> Option<&Territory> {
        self.node(territory).map(|n| &n.territory)
    }

    fn node(&self, territory: &TerritoryId) -> Option<&NodeData> {
        self.index
            .get(territory)
            .and_then(|i| self.nodes.get(*i as usize))
    }

    /// The territory's parent; `None` at the root or for a territory not in
    /// the tree.
    pub fn parent(&self, territory: &TerritoryId) -> Option<&TerritoryId> {
        self.node(territory)
            .and_then(|n| self.nodes.get(n.parent as usize))
            .map(|p| &p.territory.id)
    }

    /// The territory's distance from the root (0 at the root).
    pub fn depth(&self, territory: &TerritoryId) -> Option<u32> {
        self.node(territory).map(|n| n.depth)
    }

    /// The territory's children, by id.
    pub fn children<'a>(
        &'a self,
        territory: &TerritoryId,
    ) -> impl Iterator<Item = &'a TerritoryId> + 'a {
        let at = self.index.get(territory).copied().unwrap_or(NONE);
        self.nodes
            .iter()
            .filter(move |n| n.parent == at && at != NONE)
            .map(|n| &n.territory.id)
    }

    /// The territory's ancestors, from its parent up to the root.
    ///
    /// # Examples
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::territory::{Territory, TerritoryLine, TerritoryMap};
    /// # use salesplan::TerritoryId;
    /// # let t = |s: &str| TerritoryId::new(s).unwrap();
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let always = DateRange::starting(d(1, 1));
    /// // us > west > sf, us > east, and nyc under east from 1 July.
    /// # let map = TerritoryMap::builder()
    /// #     .territories(["us", "west", "east", "sf", "nyc"].map(|s| Territory::new(t(s))))
    /// #     .line(TerritoryLine::top(t("us"), always))
    /// #     .lines(["west", "east"].map(|s| TerritoryLine::new(t(s), t("us"), always)))
    /// #     .line(TerritoryLine::new(t("sf"), t("west"), always))
    /// #     .line(TerritoryLine::new(t("nyc"), t("east"), DateRange::starting(d(7, 1))))
    /// #     .build()?;
    /// let tree = map.as_of(d(7, 1))?;
    /// let up: Vec<&str> = tree.ancestors(&t("nyc")).map(|a| a.as_str()).collect();
    /// assert_eq!(up, ["east", "us"]);
    /// assert_eq!(tree.depth(&t("nyc")), Some(2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn ancestors<'a>(
        &'a self,
        territory: &TerritoryId,
    ) -> impl Iterator<Item = &'a TerritoryId> + 'a {
        let start = self.node(territory).map_or(NONE, |n| n.parent);
        std::iter::successors(self.nodes.get(start as usize), move |n| {
            self.nodes.get(n.parent as usize)
        })
        .map(|n| &n.territory.id)
    }

    /// Every territory in pre-order (each after its parent, siblings by
    /// id), with its depth.
    pub fn territories(&self) -> impl Iterator<Item = (&Territory, u32)> {
        self.nodes.iter().map(|n| (&n.territory, n.depth))
    }

    /// The territories without children, by id: where accounts usually
    /// go.
    ///
    /// # Examples
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::territory::{Territory, TerritoryLine, TerritoryMap};
    /// # use salesplan::TerritoryId;
    /// # let t = |s: &str| TerritoryId::new(s).unwrap();
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let always = DateRange::starting(d(1, 1));
    /// // us > west > sf, us > east, and nyc under east from 1 July.
    /// # let map = TerritoryMap::builder()
    /// #     .territories(["us", "west", "east", "sf", "nyc"].map(|s| Territory::new(t(s))))
    /// #     .line(TerritoryLine::top(t("us"), always))
    /// #     .lines(["west", "east"].map(|s| TerritoryLine::new(t(s), t("us"), always)))
    /// #     .line(TerritoryLine::new(t("sf"), t("west"), always))
    /// #     .line(TerritoryLine::new(t("nyc"), t("east"), DateRange::starting(d(7, 1))))
    /// #     .build()?;
    /// // Before nyc exists, east has no children: it is a leaf.
    /// assert_eq!(map.as_of(d(6, 30))?.leaves(), [t("east"), t("sf")]);
    /// assert_eq!(map.as_of(d(7, 1))?.leaves(), [t("nyc"), t("sf")]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn leaves(&self) -> Vec<TerritoryId> {
        let mut out: Vec<TerritoryId> = self
            .nodes
            .iter()
            .filter(|n| n.children == 0)
            .map(|n| n.territory.id.clone())
            .collect();
        out.sort();
        out
    }
}

impl fmt::Debug for TerritoryTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TerritoryTree")
            .field("date", &self.date)
            .field("territories", &self.nodes.len())
            .finish_non_exhaustive()
    }
}
