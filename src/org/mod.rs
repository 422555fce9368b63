//! The org: positions (seats) with roles, people assigned to them over time,
//! and effective-dated reporting lines.
//!
//! An [`Org`] holds the whole history; [`Org::as_of`] cuts it at one date into
//! an [`OrgSnapshot`]: a validated tree (one root, no cycles, no dangling
//! parents) laid out as flat arrays in pre-order, which every query and
//! every rollup reads.
//!
//! ```
//! use chrono::NaiveDate;
//! use salesplan::calendar::DateRange;
//! use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
//! use salesplan::{PersonId, PositionId};
//!
//! let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
//! let pos = |s: &str| PositionId::new(s).unwrap();
//! let always = DateRange::starting(d(1, 1));
//!
//! let org = Org::builder()
//!     .position(Position::new(pos("vp"), Role::Executive))
//!     .position(Position::new(pos("north"), Role::RegionalManager))
//!     .position(Position::new(pos("south"), Role::RegionalManager))
//!     .position(Position::new(pos("rep-1"), Role::SalesRep))
//!     .line(ReportingLine::top(pos("vp"), always))
//!     .line(ReportingLine::new(pos("north"), pos("vp"), always))
//!     .line(ReportingLine::new(pos("south"), pos("vp"), always))
//!     // rep-1 moves from North to South on 1 July.
//!     .line(ReportingLine::new(pos("rep-1"), pos("north"), DateRange::new(d(1, 1), Some(d(7, 1)))?))
//!     .line(ReportingLine::new(pos("rep-1"), pos("south"), DateRange::starting(d(7, 1))))
//!     .assignment(Assignment::new(PersonId::new("ada")?, pos("rep-1"), always))
//!     .build()?;
//!
//! let june = org.as_of(d(6, 30))?;
//! let rep = june.node(&pos("rep-1")).unwrap();
//! assert_eq!(rep.parent().unwrap().id(), &pos("north"));
//! assert_eq!(rep.holder().map(|p| p.as_str()), Some("ada"));
//!
//! let july = org.as_of(d(7, 1))?;
//! let south = july.node(&pos("south")).unwrap();
//! assert_eq!(south.total_reports(), 1);
//! assert!(july.node(&pos("rep-1")).unwrap().is_within(&south));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
pub use self::error::OrgError;

mod columns;
mod model;
mod segments;
mod snapshot;

use std::fmt;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;

pub use self::columns::OrgColumns;
pub use self::model::{Assignment, CustomRole, Position, ReportingLine, Role};
pub use self::segments::Segment;
pub use self::snapshot::{Node, NodeIx, OrgSnapshot};
use crate::calendar::{DateRange, Period};
use crate::ids::{PersonId, PositionId, RoleId};
use crate::kernel::hash::{FxHashMap, map_with_capacity};
use crate::kernel::int_index::IntIndex;
use crate::kernel::row_index::RowIndex;
use crate::kernel::rows::{Rows, TooMany};

/// Marks "no index" in the dense arrays (no parent, no holder, not in the
/// snapshot).
pub(crate) const NONE: u32 = u32::MAX;

/// Everything an [`Org`] is made of, before validation. Load it from serde,
/// or fill it in code with the builder methods, then [`build`](Self::build).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct OrgBuilder {
    #[cfg_attr(feature = "serde", serde(default))]
    roles: Vec<CustomRole>,
    positions: Vec<Position>,
    lines: Vec<ReportingLine>,
    #[cfg_attr(feature = "serde", serde(default))]
    assignments: Vec<Assignment>,
    #[cfg_attr(feature = "serde", serde(default))]
    allow_concurrent_positions: bool,
}

/// Builder methods that add one record, or many, to a list of the builder.
macro_rules! adders {
    ($($field:ident: $ty:ty => $(#[$one_doc:meta])* $one:ident, $(#[$many_doc:meta])* $many:ident;)*) => {$(
        $(#[$one_doc])*
        #[must_use]
        pub fn $one(mut self, $one: $ty) -> Self {
            self.$field.push($one);
            self
        }

        $(#[$many_doc])*
        #[must_use]
        pub fn $many(mut self, $many: impl IntoIterator<Item = $ty>) -> Self {
            self.$field.extend($many);
            self
        }
    )*};
}

impl OrgBuilder {
    adders! {
        roles: CustomRole =>
            /// Declares a custom role.
            role,
            /// Declares many custom roles.
            roles;
        positions: Position =>
            /// Declares a position.
            position,
            /// Declares many positions.
            positions;
        lines: ReportingLine =>
            /// Adds a reporting line.
            line,
            /// Adds many reporting lines.
            lines;
        assignments: Assignment =>
            /// Assigns a person to a position.
            assignment,
            /// Adds many assignments.
            assignments;
    }

    /// Whether one person may hold several positions on one day (an interim
    /// manager covering a vacancy). Off by default: it is then an error.
    #[must_use]
    pub fn allow_concurrent_positions(mut self, allow: bool) -> Self {
        self.allow_concurrent_positions = allow;
        self
    }

    /// Validates everything that does not depend on a date and indexes it.
    ///
    /// # Errors
    ///
    /// [`OrgError::DuplicateRole`], [`OrgError::DuplicatePosition`],
    /// [`OrgError::UnknownRole`], [`OrgError::UnknownPosition`],
    /// [`OrgError::UnknownParent`], [`OrgError::SelfParent`],
    /// [`OrgError::OverlappingLines`], [`OrgError::OverlappingAssignments`],
    /// [`OrgError::PositionHeldTwice`] and, unless allowed,
    /// [`OrgError::ConcurrentPositions`]; each names the ids and ranges
    /// involved. Tree-shape problems (cycles, roots) depend on the date and
    /// are reported by [`Org::as_of`].
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::calendar::DateRange;
    /// use salesplan::org::{Org, Position, ReportingLine, Role};
    /// use salesplan::PositionId;
    ///
    /// let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    /// let (vp, rep) = (PositionId::new("vp")?, PositionId::new("rep-1")?);
    /// let builder = Org::builder()
    ///     .position(Position::new(rep.clone(), Role::SalesRep))
    ///     .line(ReportingLine::new(rep, vp.clone(), always));
    /// // rep-1 reports to a position nobody declared: refused, by name.
    /// let err = builder.clone().build().unwrap_err();
    /// assert_eq!(err.to_string(), "position rep-1 reports to undeclared position vp");
    /// let org = builder
    ///     .position(Position::new(vp.clone(), Role::Executive))
    ///     .line(ReportingLine::top(vp, always))
    ///     .build()?;
    /// assert_eq!(org.positions().len(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(self) -> Result<Org, OrgError> {
        OrgInner::build(self).map(|inner| Org {
            inner: Arc::new(inner),
        })
    }
}

/// Records grouped by a dense key (a position or a person), each group
/// sorted by start date.
type Groups<T> = Rows<T>;

/// Groups `keyed` by key (`key < groups`); [`OrgError::TooManyRecords`]
/// naming `what` beyond what a `u32` numbers.
fn group<T: Copy>(
    groups: usize,
    keyed: &[(u32, T)],
    what: &'static str,
) -> Result<Groups<T>, OrgError> {
    Rows::new(groups, keyed.iter().copied()).map_err(|TooMany| too_many(what, keyed.len()))
}

/// The record of each `(key, date)` of `queries` in effect that day, into
/// `out`, in order, looking the groups up as one batch.
fn effective_batch<T: Copy>(
    groups: &Groups<T>,
    queries: &[(u32, NaiveDate)],
    range: impl Fn(&T) -> DateRange,
    out: &mut Vec<Option<T>>,
) {
    out.clear();
    out.extend(
        groups
            .get_many(queries.iter().map(|(key, _)| *key))
            .zip(queries)
            .map(|(group, (_, date))| effective_on(group, *date, &range)),
    );
}

/// A reporting line, resolved: its range and its parent's position index.
#[derive(Debug, Clone, Copy)]
struct Line {
    effective: DateRange,
    parent: u32,
}

/// A holding of a position by a person, resolved.
#[derive(Debug, Clone, Copy)]
struct Hold {
    effective: DateRange,
    /// Person index in a position's group; position index in a person's.
    other: u32,
}

/// The record of `group` in effect on `date`, if any (groups are sorted by
/// start and do not overlap).
fn effective_on<T: Copy>(
    group: &[T],
    date: NaiveDate,
    range: impl Fn(&T) -> DateRange,
) -> Option<T> {
    let after = group.partition_point(|r| range(r).from() <= date);
    after
        .checked_sub(1)
        .and_then(|i| group.get(i))
        .filter(|r| range(r).contains(date))
        .copied()
}

struct OrgInner {
    roles: Vec<CustomRole>,
    positions: Vec<Position>,
    /// Positions by id: built with the org, or, for an org built from
    /// integer columns (which resolves its ids by integer), at the first
    /// lookup by text. `None` only if the positions could not be indexed,
    /// which a validated org rules out.
    position_ix: OnceLock<Option<RowIndex>>,
    lines: Groups<Line>,
    people: Vec<PersonId>,
    person_ix: FxHashMap<PersonId, u32>,
    /// By position; `other` is the person.
    holds: Groups<Hold>,
    /// By person; `other` is the position.
    held: Groups<Hold>,
    allow_concurrent_positions: bool,
    /// Positions whose id is an integer, by that integer: built when the
    /// org is built from integer columns, or at the first integer lookup.
    int_ix: OnceLock<IntIndex>,
}

/// Dense indexes are `u32` (with `u32::MAX` reserved), so an org holds fewer
/// than four billion positions and people.
fn too_many(what: &'static str, count: usize) -> OrgError {
    OrgError::TooManyRecords { what, count }
}

impl OrgInner {
    fn build(b: OrgBuilder) -> Result<OrgInner, OrgError> {
        let role_ids = declared_roles(&b.roles)?;
        let position_ix = index_positions(&b.positions)?;
        check_position_roles(&b.positions, &role_ids)?;
        let lines = resolve_lines(&b, &position_ix)?;
        let assigned = resolve_assignments(&b, &position_ix)?;
        let holds = holds_by_position(&b.positions, &assigned)?;
        let held = holdings_by_person(&b, &assigned)?;
        Ok(OrgInner {
            roles: b.roles,
            positions: b.positions,
            position_ix: OnceLock::from(Some(position_ix)),
            lines,
            people: assigned.people,
            person_ix: assigned.person_ix,
            holds,
            held,
            allow_concurrent_positions: b.allow_concurrent_positions,
            int_ix: OnceLock::new(),
        })
    }
}

/// The ids of the custom roles, sorted; each is declared once.
fn declared_roles(roles: &[CustomRole]) -> Result<Vec<&RoleId>, OrgError> {
    let mut role_ids: Vec<&RoleId> = roles.iter().map(CustomRole::id).collect();
    role_ids.sort_unstable();
    if let Some(pair) = role_ids.windows(2).find(|w| w.first() == w.get(1))
        && let Some(role) = pair.first()
    {
        return Err(OrgError::DuplicateRole {
            role: (*role).clone(),
        });
    }
    Ok(role_ids)
}

/// Every position's custom role is declared (in `role_ids`, sorted).
fn check_position_roles(positions: &[Position], role_ids: &[&RoleId]) -> Result<(), OrgError> {
    for p in positions {
        if let Role::Custom(role) = p.role()
            && role_ids.binary_search(&role).is_err()
        {
            return Err(OrgError::UnknownRole {
                position: p.id().clone(),
                role: role.clone(),
            });
        }
    }
    Ok(())
}

/// Indexes positions by id; each is declared once.
fn index_positions(positions: &[Position]) -> Result<RowIndex, OrgError> {
    if u32::try_from(positions.len()).map_or(true, |n| n == NONE) {
        return Err(too_many("positions", positions.len()));
    }
    RowIndex::new(positions, Position::id).map_err(|i| {
        positions
            .get(i)
            .map_or(too_many("positions", i), |p| OrgError::DuplicatePosition {
                position: p.id().clone(),
            })
    })
}

/// Every reporting line, resolved (its position and parent declared, not
/// its own parent) and grouped by position; a position's lines do not
/// overlap.
fn resolve_lines(b: &OrgBuilder, position_ix: &RowIndex) -> Result<Groups<Line>, OrgError> {
    // Resolve every line's position and parent, in batches.
    let mut line_pos = Vec::new();
    position_ix.get_many(
        &b.positions,
        Position::id,
        &b.lines,
        ReportingLine::position,
        &mut line_pos,
    );
    let parents: Vec<&PositionId> = b
        .lines
        .iter()
        .filter_map(ReportingLine::reports_to)
        .collect();
    let mut parent_pos = Vec::new();
    position_ix.get_many(&b.positions, Position::id, &parents, |p| p, &mut parent_pos);
    let mut parent_pos = parent_pos.into_iter();
    let mut keyed_lines = Vec::with_capacity(b.lines.len());
    for (line, &pos) in b.lines.iter().zip(&line_pos) {
        if pos == NONE {
            return Err(OrgError::UnknownPosition {
                position: line.position().clone(),
                context: "reporting line",
            });
        }
        let parent = match line.reports_to() {
            None => NONE,
            // One lookup per line with a parent, in order: the fallback
            // (reported as an unknown parent) is never taken.
            Some(parent) => resolved_parent(line, parent, parent_pos.next().unwrap_or(NONE))?,
        };
        keyed_lines.push((
            pos,
            Line {
                effective: line.effective(),
                parent,
            },
        ));
    }
    let mut lines = group(b.positions.len(), &keyed_lines, "reporting lines")?;
    for (group, position) in lines.groups_mut().zip(&b.positions) {
        group.sort_by_key(|l| l.effective);
        if let Some([a, c]) = group
            .windows(2)
            .find(|w| matches!(w, [a, c] if a.effective.overlaps(&c.effective)))
        {
            return Err(OrgError::OverlappingLines {
                position: position.id().clone(),
                first: a.effective,
                second: c.effective,
            });
        }
    }
    Ok(lines)
}

/// The parent of `line`, found at `found` (`NONE` when undeclared).
fn resolved_parent(line: &ReportingLine, parent: &PositionId, found: u32) -> Result<u32, OrgError> {
    if parent == line.position() {
        return Err(OrgError::SelfParent {
            position: parent.clone(),
        });
    }
    if found == NONE {
        return Err(OrgError::UnknownParent {
            position: line.position().clone(),
            parent: parent.clone(),
        });
    }
    Ok(found)
}

/// Every assignment, resolved: people numbered in order of first
/// assignment, and each holding keyed by its position.
struct Assigned {
    people: Vec<PersonId>,
    person_ix: FxHashMap<PersonId, u32>,
    /// `(position, hold of a person)`, in the order given.
    keyed_holds: Vec<(u32, Hold)>,
}

fn resolve_assignments(b: &OrgBuilder, position_ix: &RowIndex) -> Result<Assigned, OrgError> {
    let mut out = Assigned {
        people: Vec::new(),
        person_ix: map_with_capacity(b.assignments.len()),
        keyed_holds: Vec::with_capacity(b.assignments.len()),
    };
    let mut held_pos = Vec::new();
    position_ix.get_many(
        &b.positions,
        Position::id,
        &b.assignments,
        Assignment::position,
        &mut held_pos,
    );
    for (a, &pos) in b.assignments.iter().zip(&held_pos) {
        if pos == NONE {
            return Err(OrgError::UnknownPosition {
                position: a.position().clone(),
                context: "assignment",
            });
        }
        let next = u32::try_from(out.people.len())
            .ok()
            .filter(|n| *n != NONE)
            .ok_or_else(|| too_many("people", out.people.len()))?;
        let person = *out.person_ix.entry(a.person().clone()).or_insert(next);
        if person == next {
            out.people.push(a.person().clone());
        }
        out.keyed_holds.push((
            pos,
            Hold {
                effective: a.effective(),
                other: person,
            },
        ));
    }
    Ok(out)
}

/// Holdings grouped by position; a seat has one holder at a time, and a
/// person's holdings of one seat do not overlap.
fn holds_by_position(
    positions: &[Position],
    assigned: &Assigned,
) -> Result<Groups<Hold>, OrgError> {
    let people = &assigned.people;
    let mut holds = group(positions.len(), &assigned.keyed_holds, "assignments")?;
    for (group, position) in holds.groups_mut().zip(positions) {
        group.sort_by_key(|h| (h.effective, h.other));
        for pair in group.windows(2) {
            let [a, c] = pair else { continue };
            let Some(date) = a.effective.first_common_day(&c.effective) else {
                continue;
            };
            let person = |h: &Hold| people.get(h.other as usize).cloned();
            let (Some(first), Some(second)) = (person(a), person(c)) else {
                continue;
            };
            return Err(if a.other == c.other {
                OrgError::OverlappingAssignments {
                    person: first,
                    position: position.id().clone(),
                    first: a.effective,
                    second: c.effective,
                }
            } else {
                OrgError::PositionHeldTwice {
                    position: position.id().clone(),
                    first,
                    second,
                    date,
                }
            });
        }
    }
    Ok(holds)
}

/// Holdings grouped by person; unless allowed, nobody holds two positions
/// on one day.
fn holdings_by_person(b: &OrgBuilder, assigned: &Assigned) -> Result<Groups<Hold>, OrgError> {
    let keyed_held: Vec<(u32, Hold)> = assigned
        .keyed_holds
        .iter()
        .map(|(pos, h)| {
            (
                h.other,
                Hold {
                    effective: h.effective,
                    other: *pos,
                },
            )
        })
        .collect();
    let mut held = group(assigned.people.len(), &keyed_held, "assignments")?;
    for (group, person) in held.groups_mut().zip(&assigned.people) {
        group.sort_by_key(|h| (h.effective, h.other));
        if b.allow_concurrent_positions {
            continue;
        }
        for pair in group.windows(2) {
            let [a, c] = pair else { continue };
            if let Some(date) = a.effective.first_common_day(&c.effective) {
                let position = |h: &Hold| b.positions.get(h.other as usize).map(|p| p.id().clone());
                if let (Some(first), Some(second)) = (position(a), position(c)) {
                    return Err(OrgError::ConcurrentPositions {
                        person: person.clone(),
                        first,
                        second,
                        date,
                    });
                }
            }
        }
    }
    Ok(held)
}

/// A validated org: every position, reporting line and assignment over
/// time. Cheap to clone (shared).
///
/// Build one with [`Org::builder`]; cut it at a date with [`Org::as_of`].
#[derive(Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "OrgBuilder", into = "OrgBuilder"))]
pub struct Org {
    inner: Arc<OrgInner>,
}

impl Org {
    /// An empty builder.
    pub fn builder() -> OrgBuilder {
        OrgBuilder::default()
    }

    /// The org's data, as it could be rebuilt (positions in their original
    /// order; lines and assignments grouped by position).
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
    /// let vp = PositionId::new("vp")?;
    /// let org = Org::builder()
    ///     .position(Position::new(vp.clone(), Role::Executive))
    ///     .line(ReportingLine::top(vp.clone(), DateRange::starting(d(1, 1))))
    ///     .build()?;
    /// // A new seat from July: the same org plus one position and its line.
    /// let rep = PositionId::new("rep-1")?;
    /// let grown = org
    ///     .to_builder()
    ///     .position(Position::new(rep.clone(), Role::SalesRep))
    ///     .line(ReportingLine::new(rep, vp, DateRange::starting(d(7, 1))))
    ///     .build()?;
    /// assert_eq!((grown.as_of(d(6, 30))?.len(), grown.as_of(d(7, 1))?.len()), (1, 2));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_builder(&self) -> OrgBuilder {
        let o = &self.inner;
        let mut lines = Vec::with_capacity(o.lines.items().len());
        let mut assignments = Vec::with_capacity(o.holds.items().len());
        for (ix, p) in (0u32..).zip(&o.positions) {
            for line in o.lines.get(ix) {
                let parent = o
                    .positions
                    .get(line.parent as usize)
                    .map(|q| q.id().clone());
                lines.push(match parent {
                    Some(parent) => ReportingLine::new(p.id().clone(), parent, line.effective),
                    None => ReportingLine::top(p.id().clone(), line.effective),
                });
            }
            for hold in o.holds.get(ix) {
                if let Some(person) = o.people.get(hold.other as usize) {
                    assignments.push(Assignment::new(
                        person.clone(),
                        p.id().clone(),
                        hold.effective,
                    ));
                }
            }
        }
        OrgBuilder {
            roles: o.roles.clone(),
            positions: o.positions.clone(),
            lines,
            assignments,
            allow_concurrent_positions: o.allow_concurrent_positions,
        }
    }

    /// Every position, in the order declared.
    pub fn positions(&self) -> &[Position] {
        &self.inner.positions
    }

    /// The position with this id.
    pub fn position(&self, id: &PositionId) -> Option<&Position> {
        self.position_index(id)
            .and_then(|i| self.inner.positions.get(i as usize))
    }

    /// Every person ever assigned, in order of first assignment.
    pub fn people(&self) -> &[PersonId] {
        &self.inner.people
    }

    /// The declared custom roles.
    pub fn custom_roles(&self) -> &[CustomRole] {
        &self.inner.roles
    }

    /// The rank of a role: built-in or declared.
    pub fn rank(&self, role: &Role) -> Option<u16> {
        match role {
            Role::Custom(id) => self
                .inner
                .roles
                .iter()
                .find(|r| r.id() == id)
                .map(CustomRole::rank),
            builtin => builtin.builtin_rank(),
        }
    }

    /// Whether a person may hold several positions on one day.
    pub fn allows_concurrent_positions(&self) -> bool {
        self.inner.allow_concurrent_positions
    }

    /// The index of positions by id (see `OrgInner::position_ix`).
    fn position_ix(&self) -> Option<&RowIndex> {
        self.inner
            .position_ix
            .get_or_init(|| RowIndex::new(&self.inner.positions, Position::id).ok())
            .as_ref()
    }

    pub(crate) fn position_index(&self, id: &PositionId) -> Option<u32> {
        self.position_ix()?
            .get(&self.inner.positions, Position::id, id)
    }

    /// Positions by integer id (see [Integer ids](crate::ids#integer-ids)),
    /// built at the first call unless the org was built from integers.
    pub(crate) fn int_index(&self) -> &IntIndex {
        self.inner.int_ix.get_or_init(|| {
            let ints: Vec<(u64, u32)> = (0u32..)
                .zip(&self.inner.positions)
                .filter_map(|(row, p)| Some((p.id().as_u64()?, row)))
                .collect();
            // Distinct positions have distinct texts, so distinct integers:
            // there is no repeat, and fewer rows than `NONE`.
            IntIndex::from_pairs(ints.len(), ints.into_iter()).unwrap_or_else(|_| IntIndex::empty())
        })
    }

    /// Whether anyone holds any position, ever.
    pub(crate) fn has_assignments(&self) -> bool {
        !self.inner.holds.items().is_empty()
    }

    /// Position indexes of many ids at once (`NONE` when undeclared).
    pub(crate) fn position_indexes<K>(
        &self,
        keys: &[K],
        key: impl Fn(&K) -> &PositionId,
        out: &mut Vec<u32>,
    ) {
        match self.position_ix() {
            Some(index) => index.get_many(&self.inner.positions, Position::id, keys, key, out),
            None => {
                out.clear();
                out.resize(keys.len(), NONE);
            }
        }
    }

    pub(crate) fn position_at(&self, ix: u32) -> Option<&Position> {
        self.inner.positions.get(ix as usize)
    }

    pub(crate) fn person_at(&self, ix: u32) -> Option<&PersonId> {
        self.inner.people.get(ix as usize)
    }

    /// The position that `position` reports to on `date` (`Ok(None)` at the
    /// top or when it has no line that day).
    pub(crate) fn parent_index_on(&self, position: u32, date: NaiveDate) -> Option<u32> {
        effective_on(self.inner.lines.get(position), date, |l| l.effective)
            .map(|l| l.parent)
            .filter(|p| *p != NONE)
    }

    /// Whether `position` has a reporting line (is in the org) on `date`.
    pub(crate) fn in_org_on(&self, position: u32, date: NaiveDate) -> bool {
        effective_on(self.inner.lines.get(position), date, |l| l.effective).is_some()
    }

    pub(crate) fn person_index(&self, id: &PersonId) -> Option<u32> {
        self.inner.person_ix.get(id).copied()
    }

    /// How many positions and people the org declares.
    pub(crate) fn counts(&self) -> (usize, usize) {
        (self.inner.positions.len(), self.inner.people.len())
    }

    /// Every date on which the shape of the org or the holder of a manager
    /// seat (a position some line reports to) changes, sorted, unique.
    /// Between two of them, every snapshot has the same tree and the same
    /// managers.
    pub(crate) fn change_dates(&self) -> Vec<NaiveDate> {
        let mut is_parent = vec![false; self.inner.positions.len()];
        let mut dates = Vec::new();
        for line in self.inner.lines.items() {
            if let Some(flag) = is_parent.get_mut(line.parent as usize) {
                *flag = true;
            }
            dates.push(line.effective.from());
            dates.extend(line.effective.until());
        }
        for (position, parent) in (0u32..).zip(&is_parent) {
            if *parent {
                for hold in self.holds_of(position) {
                    dates.push(hold.effective.from());
                    dates.extend(hold.effective.until());
                }
            }
        }
        dates.sort_unstable();
        dates.dedup();
        dates
    }

    /// Every date on which some position's holder changes, sorted,
    /// unique.
    pub(crate) fn holding_dates(&self) -> Vec<NaiveDate> {
        let holds = self.inner.holds.items();
        let mut dates: Vec<NaiveDate> = holds.iter().map(|h| h.effective.from()).collect();
        dates.extend(holds.iter().filter_map(|h| h.effective.until()));
        dates.sort_unstable();
        dates.dedup();
        dates
    }

    /// The index of the first `(position, date)` of `queries` whose
    /// position is not in the org that day, looked up as one batch.
    pub(crate) fn first_not_in_org(&self, queries: &[(u32, NaiveDate)]) -> Option<usize> {
        let mut found = Vec::with_capacity(queries.len());
        effective_batch(&self.inner.lines, queries, |l| l.effective, &mut found);
        found.iter().position(Option::is_none)
    }

    /// Who held each `(position, date)` of `queries` (`NONE` when vacant),
    /// into `out`, looked up as one batch.
    pub(crate) fn holders_on(&self, queries: &[(u32, NaiveDate)], out: &mut Vec<u32>) {
        out.clear();
        if self.inner.holds.items().is_empty() {
            out.resize(queries.len(), NONE);
            return;
        }
        let mut found = Vec::with_capacity(queries.len());
        effective_batch(&self.inner.holds, queries, |h| h.effective, &mut found);
        out.extend(found.iter().map(|h| h.map_or(NONE, |h| h.other)));
    }

    pub(crate) fn holder_index_on(&self, position: u32, date: NaiveDate) -> Option<u32> {
        if self.inner.holds.items().is_empty() {
            // An org of seats only: nothing to look up.
            return None;
        }
        effective_on(self.inner.holds.get(position), date, |h| h.effective).map(|h| h.other)
    }

    /// Who held `position` on `date`; `Ok(None)` when it was vacant.
    ///
    /// # Errors
    ///
    /// [`OrgError::UnknownPosition`] for an undeclared position.
    ///
    /// # Examples
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// # use salesplan::{PersonId, PositionId};
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let seat = PositionId::new("rep-7")?;
    /// let org = Org::builder()
    ///     .position(Position::new(seat.clone(), Role::SalesRep))
    ///     .line(ReportingLine::top(seat.clone(), DateRange::starting(d(1, 1))))
    ///     .assignment(Assignment::new(PersonId::new("bo")?, seat.clone(), DateRange::new(d(1, 1), Some(d(3, 1)))?))
    ///     .build()?;
    /// assert_eq!(org.holder(&seat, d(2, 28))?.map(|p| p.as_str()), Some("bo"));
    /// assert_eq!(org.holder(&seat, d(3, 1))?, None); // vacant from March
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn holder(
        &self,
        position: &PositionId,
        date: NaiveDate,
    ) -> Result<Option<&PersonId>, OrgError> {
        let ix = self.queried_position(position)?;
        Ok(self
            .holder_index_on(ix, date)
            .and_then(|p| self.person_at(p)))
    }

    /// Everyone who held `position` during `period`, with the days they
    /// held it there, by start date.
    ///
    /// # Errors
    ///
    /// [`OrgError::UnknownPosition`] for an undeclared position.
    ///
    /// # Examples
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// # use salesplan::{Period, PersonId, PositionId};
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let seat = PositionId::new("rep-1")?;
    /// let org = Org::builder()
    ///     .position(Position::new(seat.clone(), Role::SalesRep))
    ///     .line(ReportingLine::top(seat.clone(), DateRange::starting(d(1, 1))))
    ///     .assignment(Assignment::new(PersonId::new("ada")?, seat.clone(), DateRange::new(d(1, 1), Some(d(4, 15)))?))
    ///     .assignment(Assignment::new(PersonId::new("bo")?, seat.clone(), DateRange::starting(d(5, 1))))
    ///     .build()?;
    /// let q2 = Period::new(d(4, 1), d(7, 1))?;
    /// let held: Vec<String> = org.holders_during(&seat, &q2)?.iter().map(|(p, days)| format!("{p} {days}")).collect();
    /// // Vacant from 15 April to 1 May.
    /// assert_eq!(held, ["ada [2025-04-01, 2025-04-15)", "bo [2025-05-01, 2025-07-01)"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn holders_during(
        &self,
        position: &PositionId,
        period: &Period,
    ) -> Result<Vec<(PersonId, Period)>, OrgError> {
        let ix = self.queried_position(position)?;
        Ok(self
            .holds_of(ix)
            .iter()
            .filter_map(|h| {
                let days = h.effective.clip(period)?;
                Some((self.person_at(h.other)?.clone(), days))
            })
            .collect())
    }

    /// The index of a position a query names, or an error naming it.
    fn queried_position(&self, position: &PositionId) -> Result<u32, OrgError> {
        self.position_index(position)
            .ok_or_else(|| OrgError::UnknownPosition {
                position: position.clone(),
                context: "query",
            })
    }

    /// Positions held by `person` (index), each with its range, by start.
    fn holdings(&self, person: u32) -> &[Hold] {
        self.inner.held.get(person)
    }

    fn holdings_of(&self, person: &PersonId) -> Result<&[Hold], OrgError> {
        let ix = self
            .inner
            .person_ix
            .get(person)
            .ok_or_else(|| OrgError::UnknownPerson {
                person: person.clone(),
            })?;
        Ok(self.holdings(*ix))
    }

    fn lines_of(&self, position: u32) -> &[Line] {
        self.inner.lines.get(position)
    }

    fn holds_of(&self, position: u32) -> &[Hold] {
        self.inner.holds.get(position)
    }
}

crate::validated::via_form!(builder Org, OrgBuilder, OrgError, |org| org.to_builder());

impl fmt::Debug for Org {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Org")
            .field("positions", &self.inner.positions.len())
            .field("lines", &self.inner.lines.items().len())
            .field("people", &self.inner.people.len())
            .finish_non_exhaustive()
    }
}
