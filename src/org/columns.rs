//! The org from columns, and columns of ids resolved to the org's keys.
//!
//! HR systems export the org as a table: one row per position, with its
//! id, its manager's id and its role (and who holds it). [`OrgColumns`]
//! takes those columns as they are (integers or text, see
//! [`ColumnId`]) and builds the [`Org`] in one call, validated exactly as
//! [`OrgBuilder::build`] validates the same positions and lines (the same
//! checks in the same order, the same errors naming the same ids: text
//! ids, holders and custom roles go through the builder itself, and
//! all-integer tables through a faster path that the tests hold to the
//! builder's results and errors), then cut at a date
//! with [`Org::as_of`] (cycles and roots are checked there, as for any
//! org).
//!
//! A snapshot hands out its dense keys ([`NodeIx`]) for a whole column of
//! ids in one batched call ([`OrgSnapshot::resolve`]): each id is looked up
//! once, inside the crate, and the first id that is not in the org that
//! day is named with its row.

use chrono::NaiveDate;

use super::{Assignment, CustomRole, NONE, NodeIx, Org, OrgBuilder, OrgError, OrgSnapshot};
use super::{Position, ReportingLine, Role};
use crate::calendar::DateRange;
use crate::ids::{ColumnId, IdError, IdKey, PersonId, PositionId};
use crate::kernel::int_index::IntIndex;

/// An org given as columns, one row per position: build it with
/// [`OrgColumns::build`].
///
/// Every position reports to the position of its `parents` row, or to
/// nobody when that value is the `top` marker (`-1`, `0`, `""`: whatever
/// the export uses for "no manager"; it is compared as an id, so `-1`
/// works for any integer column). Lines and holdings are in effect over
/// one range, from the beginning of time unless
/// [`effective`](Self::effective) says otherwise.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::org::{OrgColumns, Role};
///
/// // Employee numbers as an HR export carries them; -1: no manager.
/// let ids: [i64; 4] = [1001, 2001, 2002, 3001];
/// let parents: [i64; 4] = [-1, 1001, 1001, 2002];
/// let roles = [Role::Executive, Role::RegionalManager, Role::RegionalManager, Role::SalesRep];
/// let org = OrgColumns::new(&ids, &parents, &-1, &roles).build()?;
/// let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 6, 30).unwrap())?;
///
/// // A column of credits' rep ids, resolved in one call.
/// let keys = snapshot.resolve(&[3001_u64, 3001, 2001])?;
/// let rep = snapshot.node_at(keys[0]).unwrap();
/// assert_eq!(rep.parent().unwrap().id().as_str(), "2002");
///
/// // The first id not in the org is named, with its row.
/// let err = snapshot.resolve(&[3001_u64, 4242]).unwrap_err();
/// assert_eq!(err.to_string(), "id 4242 (row 1) is not in the org on 2025-06-30");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct OrgColumns<'a, K, H = K> {
    ids: &'a [K],
    parents: &'a [K],
    top: &'a K,
    roles: &'a [Role],
    holders: Option<(&'a [H], &'a H)>,
    custom_roles: Vec<CustomRole>,
    effective: DateRange,
    allow_concurrent_positions: bool,
}

impl<'a, K: ColumnId> OrgColumns<'a, K, K> {
    /// The positions `ids`, each reporting to its row of `parents` (`top`:
    /// to nobody), with its row of `roles`.
    pub fn new(ids: &'a [K], parents: &'a [K], top: &'a K, roles: &'a [Role]) -> Self {
        OrgColumns {
            ids,
            parents,
            top,
            roles,
            holders: None,
            custom_roles: Vec::new(),
            effective: DateRange::starting(NaiveDate::MIN),
            allow_concurrent_positions: false,
        }
    }
}

impl<'a, K: ColumnId, H: ColumnId> OrgColumns<'a, K, H> {
    /// Who holds each position: a person id per row, `vacant` for a seat
    /// nobody holds.
    pub fn holders<P: ColumnId>(self, holders: &'a [P], vacant: &'a P) -> OrgColumns<'a, K, P> {
        OrgColumns {
            ids: self.ids,
            parents: self.parents,
            top: self.top,
            roles: self.roles,
            holders: Some((holders, vacant)),
            custom_roles: self.custom_roles,
            effective: self.effective,
            allow_concurrent_positions: self.allow_concurrent_positions,
        }
    }

    /// The custom roles that [`Role::Custom`] values of the roles column
    /// name.
    pub fn custom_roles(mut self, roles: impl IntoIterator<Item = CustomRole>) -> Self {
        self.custom_roles.extend(roles);
        self
    }

    /// When the lines and holdings are in effect (by default, always).
    pub fn effective(mut self, effective: DateRange) -> Self {
        self.effective = effective;
        self
    }

    /// Whether one person may hold several positions (see
    /// [`OrgBuilder::allow_concurrent_positions`]).
    pub fn allow_concurrent_positions(mut self, allow: bool) -> Self {
        self.allow_concurrent_positions = allow;
        self
    }

    /// The org, validated as [`OrgBuilder::build`] validates the same
    /// positions, lines and assignments.
    ///
    /// # Errors
    ///
    /// [`OrgError::ColumnLength`] for columns of different lengths,
    /// [`OrgError::InvalidId`] naming the column and row of a value that
    /// is not an id (negative, empty, ...); then every error of
    /// [`OrgBuilder::build`]: [`OrgError::DuplicatePosition`],
    /// [`OrgError::UnknownParent`], [`OrgError::SelfParent`], ...
    pub fn build(self) -> Result<Org, OrgError> {
        let n = self.ids.len();
        check_length("parents", n, self.parents.len())?;
        check_length("roles", n, self.roles.len())?;
        if let Some((holders, _)) = self.holders {
            check_length("holders", n, holders.len())?;
        }
        let (positions, ints) = self.positions()?;
        if let Some(ints) = &ints
            && self.holders.is_none()
            && let Some(parents) = self.int_parents()
        {
            return self.build_by_int(positions, ints, &parents);
        }
        let lines = self.lines(&positions)?;
        let assignments = self.assignments(&positions)?;
        let org = OrgBuilder {
            roles: self.custom_roles,
            positions,
            lines,
            assignments,
            allow_concurrent_positions: self.allow_concurrent_positions,
        }
        .build()?;
        // Integer ids: the index by integer comes from the column itself.
        if let Some(ints) = ints
            && let Ok(index) = IntIndex::new(ints.into_iter())
        {
            let _ = org.inner.int_ix.set(index);
        }
        Ok(org)
    }

    /// The positions, and the integer of each when every id is one.
    fn positions(&self) -> Result<(Vec<Position>, Option<Vec<u64>>), OrgError> {
        let mut ints = Some(Vec::with_capacity(self.ids.len()));
        let mut positions = Vec::with_capacity(self.ids.len());
        for (row, (id, role)) in self.ids.iter().zip(self.roles).enumerate() {
            let key = id.column_key().canonical();
            match (key, ints.as_mut()) {
                (IdKey::Int(n), Some(ints)) => ints.push(n),
                _ => ints = None,
            }
            let id = id_of(key, PositionId::KIND).map_err(|e| invalid("ids", row, e))?;
            positions.push(Position::new(id, role.clone()));
        }
        Ok((positions, ints))
    }

    /// Every row's parent as an integer (`None` at the top), when every
    /// parent is an integer or the top marker.
    fn int_parents(&self) -> Option<Vec<Option<u64>>> {
        let top = self.top.column_key().canonical();
        let top_int = self.top.int_key();
        self.parents
            .iter()
            .map(|p| match (p.int_key(), top_int) {
                (Some(n), Some(t)) if n == t => Some(None),
                (Some(n), _) => Some(Some(n)),
                (None, _) if p.column_key().canonical() == top => Some(None),
                (None, _) => None,
            })
            .collect()
    }

    /// [`build`](Self::build) for integer ids and parents and no holders:
    /// the same checks in the same order as [`OrgBuilder::build`], with
    /// the ids resolved by integer (the index by text is built at the
    /// first lookup by text, if any).
    fn build_by_int(
        self,
        positions: Vec<Position>,
        ints: &[u64],
        parents: &[Option<u64>],
    ) -> Result<Org, OrgError> {
        let role_ids = super::declared_roles(&self.custom_roles)?;
        let int_ix = IntIndex::new(ints.iter().copied()).map_err(|i| {
            positions
                .get(i)
                .map_or(super::too_many("positions", i), |p| {
                    OrgError::DuplicatePosition {
                        position: p.id().clone(),
                    }
                })
        })?;
        super::check_position_roles(&positions, &role_ids)?;
        // Every parent looked up in one batch (the top's placeholder is
        // never read).
        let mut found = Vec::with_capacity(parents.len());
        // bound: not a figure; `0` is a placeholder for the top's parent,
        // whose lookup is never read.
        int_ix.get_many(parents.iter().map(|p| p.unwrap_or(0)), &mut found);
        let mut keyed_lines = Vec::with_capacity(positions.len());
        for ((pos, position), ((own, parent), at)) in (0u32..)
            .zip(&positions)
            .zip(ints.iter().zip(parents).zip(found))
        {
            let parent = match parent {
                None => NONE,
                Some(p) if p == own => {
                    return Err(OrgError::SelfParent {
                        position: position.id().clone(),
                    });
                }
                Some(p) if at == NONE => {
                    return Err(OrgError::UnknownParent {
                        position: position.id().clone(),
                        parent: PositionId::from(*p),
                    });
                }
                Some(_) => at,
            };
            keyed_lines.push((
                pos,
                super::Line {
                    effective: self.effective,
                    parent,
                },
            ));
        }
        // One line per position: none can overlap another.
        let lines = super::group(positions.len(), &keyed_lines, "reporting lines")?;
        let holds = super::group(positions.len(), &[], "assignments")?;
        let held = super::group(0, &[], "assignments")?;
        let inner = super::OrgInner {
            roles: self.custom_roles,
            positions,
            position_ix: std::sync::OnceLock::new(),
            lines,
            people: Vec::new(),
            person_ix: crate::kernel::hash::map_with_capacity(0),
            holds,
            held,
            allow_concurrent_positions: self.allow_concurrent_positions,
            int_ix: std::sync::OnceLock::from(int_ix),
        };
        Ok(Org {
            inner: std::sync::Arc::new(inner),
        })
    }

    /// One line per row: to the parent's position, or at the top.
    fn lines(&self, positions: &[Position]) -> Result<Vec<ReportingLine>, OrgError> {
        let top = self.top.column_key().canonical();
        let mut lines = Vec::with_capacity(positions.len());
        for (row, (position, parent)) in positions.iter().zip(self.parents).enumerate() {
            let key = parent.column_key().canonical();
            let id = position.id().clone();
            lines.push(if key == top {
                ReportingLine::top(id, self.effective)
            } else {
                let parent =
                    id_of(key, PositionId::KIND).map_err(|e| invalid("parents", row, e))?;
                ReportingLine::new(id, parent, self.effective)
            });
        }
        Ok(lines)
    }

    /// One assignment per row with a holder.
    fn assignments(&self, positions: &[Position]) -> Result<Vec<Assignment>, OrgError> {
        let Some((holders, vacant)) = self.holders else {
            return Ok(Vec::new());
        };
        let vacant = vacant.column_key().canonical();
        let mut out = Vec::new();
        for (row, (position, holder)) in positions.iter().zip(holders).enumerate() {
            let key = holder.column_key().canonical();
            if key != vacant {
                let person = person_of(key).map_err(|e| invalid("holders", row, e))?;
                out.push(Assignment::new(
                    person,
                    position.id().clone(),
                    self.effective,
                ));
            }
        }
        Ok(out)
    }
}

fn check_length(column: &'static str, expected: usize, found: usize) -> Result<(), OrgError> {
    if expected == found {
        Ok(())
    } else {
        Err(OrgError::ColumnLength {
            column,
            expected,
            found,
        })
    }
}

fn invalid(column: &'static str, row: usize, source: IdError) -> OrgError {
    OrgError::InvalidId {
        column,
        row,
        source,
    }
}

/// The position id a column value names.
fn id_of(key: IdKey<'_>, kind: &'static str) -> Result<PositionId, IdError> {
    match key {
        IdKey::Int(n) => Ok(PositionId::from(n)),
        IdKey::Negative(n) => Err(IdError::negative(kind, n)),
        IdKey::Text(text) => PositionId::new(text),
    }
}

/// The person id a column value names.
fn person_of(key: IdKey<'_>) -> Result<PersonId, IdError> {
    match key {
        IdKey::Int(n) => Ok(PersonId::from(n)),
        IdKey::Negative(n) => Err(IdError::negative(PersonId::KIND, n)),
        IdKey::Text(text) => PersonId::new(text),
    }
}

impl Org {
    /// The declaration index of the position each id of `ids` names,
    /// `NONE` when none does: integers (and canonical integer text) through
    /// the index by integer, in batches; other text through the index by
    /// text.
    pub(crate) fn position_rows<K: ColumnId>(&self, ids: &[K], out: &mut Vec<u32>) {
        out.clear();
        out.reserve(ids.len());
        let ints = self.int_index();
        // Rows that are not integers get a placeholder here, replaced below.
        // bound: not a figure; `0` is a placeholder for a text id, whose
        // lookup is replaced below.
        ints.get_many(ids.iter().map(|k| k.int_key().unwrap_or(0)), out);
        for (slot, id) in out.iter_mut().zip(ids) {
            match id.column_key().canonical() {
                IdKey::Int(_) => {}
                IdKey::Text(text) => {
                    *slot = PositionId::new(text)
                        .ok()
                        .and_then(|p| self.position_index(&p))
                        .unwrap_or(NONE);
                }
                _ => *slot = NONE,
            }
        }
    }
}

impl OrgSnapshot {
    /// The key of the node an id names: a position id, an integer, text.
    ///
    /// `None` when the id is not in the org that day.
    pub fn key<K: ColumnId + ?Sized>(&self, id: &K) -> Option<NodeIx> {
        let mut out = Vec::with_capacity(1);
        self.org().position_rows(&[id], &mut out);
        let pos = out.first().copied().unwrap_or(NONE);
        let node = self
            .position_nodes()
            .get(pos as usize)
            .copied()
            .unwrap_or(NONE);
        (node != NONE).then(|| self.key_at(node))
    }

    /// The key of the node each id of a column names, in one batched call
    /// (integer ids never become text on the way).
    ///
    /// # Errors
    ///
    /// [`OrgError::UnknownId`] naming the first id, in row order, that is
    /// not in the org that day, and its row.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::org::{OrgColumns, Role};
    ///
    /// let ids = ["ceo", "rep-1", "rep-2"];
    /// let parents = ["", "ceo", "ceo"];
    /// let roles = [Role::Executive, Role::SalesRep, Role::SalesRep];
    /// let org = OrgColumns::new(&ids, &parents, &"", &roles).build()?;
    /// let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 1, 31).unwrap())?;
    /// let keys = snapshot.resolve(&["rep-2", "rep-1", "rep-2"])?;
    /// assert_eq!(keys[0], keys[2]);
    /// assert_eq!(snapshot.node_at(keys[1]).map(|n| n.id().as_str()), Some("rep-1"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve<K: ColumnId>(&self, ids: &[K]) -> Result<Vec<NodeIx>, OrgError> {
        let mut out = Vec::new();
        self.resolve_into(ids, &mut out)?;
        Ok(out)
    }

    /// [`resolve`](Self::resolve) into `out` (cleared first), to reuse
    /// its allocation.
    ///
    /// # Errors
    ///
    /// As [`resolve`](Self::resolve); `out` is then left empty.
    pub fn resolve_into<K: ColumnId>(
        &self,
        ids: &[K],
        out: &mut Vec<NodeIx>,
    ) -> Result<(), OrgError> {
        out.clear();
        let mut nodes = Vec::new();
        self.node_rows(ids, &mut nodes);
        if let Some(row) = nodes.iter().position(|n| *n == NONE) {
            return Err(self.unknown_id(ids, row));
        }
        out.extend(nodes.into_iter().map(|n| self.key_at(n)));
        Ok(())
    }

    /// The node of each id (`NONE` when it is not in the org that day).
    pub(crate) fn node_rows<K: ColumnId>(&self, ids: &[K], out: &mut Vec<u32>) {
        self.org().position_rows(ids, out);
        let nodes = self.position_nodes();
        for slot in out.iter_mut() {
            *slot = nodes.get(*slot as usize).copied().unwrap_or(NONE);
        }
    }

    /// The error for the id at `row` of `ids`, not in the org that day.
    #[cold]
    pub(crate) fn unknown_id<K: ColumnId>(&self, ids: &[K], row: usize) -> OrgError {
        OrgError::UnknownId {
            id: ids
                .get(row)
                .map_or_else(String::new, |k| k.column_key().to_string()),
            row,
            date: self.date(),
        }
    }
}
