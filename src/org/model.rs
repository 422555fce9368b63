//! The org's input records: roles, positions, reporting lines, assignments.

use std::fmt;

use crate::calendar::DateRange;
use crate::ids::{PersonId, PositionId, RoleId};

/// What a position does, and how senior it is.
///
/// The built-in ladder covers the usual sales structures; an org can add
/// its own roles with a [`CustomRole`] declaring their rank. Ranks order
/// seniority (higher is more senior) and are what authority rules and peer
/// rankings compare.
///
/// | role | rank |
/// |---|---|
/// | `Executive` | 70 |
/// | `Director` | 60 |
/// | `RegionalManager`, `SalesAdministrator` | 50 |
/// | `AssistantManager` | 40 |
/// | `Supervisor` | 30 |
/// | `TeamLead` | 20 |
/// | `SalesRep` | 10 |
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Role {
    /// Runs the sales organisation (VP of sales, CSO).
    Executive,
    /// Runs a large part of it (country, division).
    Director,
    /// Regional sales manager: runs a region's teams.
    RegionalManager,
    /// Sales administrator: a region's operations lead, at the regional
    /// manager's level.
    SalesAdministrator,
    /// Assists a regional manager.
    AssistantManager,
    /// Supervises a group of teams or reps.
    Supervisor,
    /// Leads a team of reps while selling.
    TeamLead,
    /// Sells.
    SalesRep,
    /// A role the org declares itself, with a [`CustomRole`].
    Custom(RoleId),
}

impl Role {
    /// The rank of a built-in role; `None` for custom roles (ask the
    /// [`Org`](super::Org)).
    pub const fn builtin_rank(&self) -> Option<u16> {
        match self {
            Role::Executive => Some(70),
            Role::Director => Some(60),
            Role::RegionalManager | Role::SalesAdministrator => Some(50),
            Role::AssistantManager => Some(40),
            Role::Supervisor => Some(30),
            Role::TeamLead => Some(20),
            Role::SalesRep => Some(10),
            Role::Custom(_) => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Role::Executive => f.write_str("executive"),
            Role::Director => f.write_str("director"),
            Role::RegionalManager => f.write_str("regional sales manager"),
            Role::SalesAdministrator => f.write_str("sales administrator"),
            Role::AssistantManager => f.write_str("assistant manager"),
            Role::Supervisor => f.write_str("supervisor"),
            Role::TeamLead => f.write_str("team lead"),
            Role::SalesRep => f.write_str("sales rep"),
            Role::Custom(id) => write!(f, "{id}"),
        }
    }
}

/// A role the org declares itself: an id, a display name and a rank.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::org::{CustomRole, Role};
///
/// let vp: CustomRole = serde_json::from_str(r#"{"id": "vp", "name": "Vice President", "rank": 65}"#)?;
/// assert_eq!(vp.rank(), 65);
/// // A position refers to it by id.
/// let role: Role = serde_json::from_str(r#"{"custom": "vp"}"#)?;
/// assert_eq!(role.to_string(), "vp");
/// assert_eq!(serde_json::from_str::<Role>(r#""regional_manager""#)?, Role::RegionalManager);
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct CustomRole {
    id: RoleId,
    name: String,
    rank: u16,
}

impl CustomRole {
    /// A role named `name` with seniority `rank` (compare the built-in
    /// ranks on [`Role`]).
    pub fn new(id: RoleId, name: impl Into<String>, rank: u16) -> CustomRole {
        CustomRole {
            id,
            name: name.into(),
            rank,
        }
    }

    /// Its id.
    pub fn id(&self) -> &RoleId {
        &self.id
    }

    /// Its display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its rank.
    pub const fn rank(&self) -> u16 {
        self.rank
    }
}

/// A seat in the org. It exists whether or not someone holds it; a vacant
/// position keeps its place, its quota and its reporting line.
///
/// In JSON, `title` is optional (and left out when there is none):
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::org::{Position, Role};
///
/// let seat: Position = serde_json::from_str(r#"{"id": "rsm-north", "role": "regional_manager",
///     "title": "Sales Manager, North"}"#)?;
/// assert_eq!(seat.role(), &Role::RegionalManager);
/// let err = serde_json::from_str::<Position>(r#"{"id": "r1", "role": "sales_rep", "titel": "Rep"}"#)
///     .unwrap_err();
/// assert!(err.to_string().contains("unknown field `titel`"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Position {
    id: PositionId,
    role: Role,
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    title: Option<Box<str>>,
}

impl Position {
    /// A position with a role.
    pub fn new(id: PositionId, role: Role) -> Position {
        Position {
            id,
            role,
            title: None,
        }
    }

    /// Gives the position a display title ("Sales Manager, North").
    #[must_use]
    pub fn with_title(mut self, title: impl Into<String>) -> Position {
        self.title = Some(title.into().into_boxed_str());
        self
    }

    /// Its id.
    pub fn id(&self) -> &PositionId {
        &self.id
    }

    /// Its role.
    pub fn role(&self) -> &Role {
        &self.role
    }

    /// Its display title, if any.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }
}

/// Who a position reports to, over a date range. A position is part of the
/// org on the days one of its lines is in effect; a line without a parent
/// makes it the root.
///
/// In JSON, `reports_to` is left out (or `null`) at the top; `effective`
/// is a half-open range whose `end` may be left out:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::org::ReportingLine;
///
/// let line: ReportingLine = serde_json::from_str(r#"{"position": "r1", "reports_to": "lead-a",
///     "effective": {"start": "2025-01-01", "end": "2025-07-01"}}"#)?;
/// assert_eq!(line.reports_to().map(|p| p.as_str()), Some("lead-a"));
/// let top: ReportingLine = serde_json::from_str(r#"{"position": "vp", "effective": {"start": "2025-01-01"}}"#)?;
/// assert!(top.reports_to().is_none());
/// // A range that ends before it starts is refused when read.
/// assert!(serde_json::from_str::<ReportingLine>(r#"{"position": "r1",
///     "effective": {"start": "2025-07-01", "end": "2025-01-01"}}"#).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ReportingLine {
    position: PositionId,
    #[cfg_attr(feature = "serde", serde(default))]
    reports_to: Option<PositionId>,
    effective: DateRange,
}

impl ReportingLine {
    /// `position` reports to `reports_to` while `effective`.
    pub fn new(
        position: PositionId,
        reports_to: PositionId,
        effective: DateRange,
    ) -> ReportingLine {
        ReportingLine {
            position,
            reports_to: Some(reports_to),
            effective,
        }
    }

    /// `position` is the top of the org while `effective`.
    pub fn top(position: PositionId, effective: DateRange) -> ReportingLine {
        ReportingLine {
            position,
            reports_to: None,
            effective,
        }
    }

    /// The reporting position.
    pub fn position(&self) -> &PositionId {
        &self.position
    }

    /// The position it reports to; `None` at the top.
    pub fn reports_to(&self) -> Option<&PositionId> {
        self.reports_to.as_ref()
    }

    /// When the line is in effect.
    pub const fn effective(&self) -> DateRange {
        self.effective
    }
}

/// A person holding a position over a date range.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::org::Assignment;
///
/// let held: Assignment = serde_json::from_str(r#"{"person": "ana", "position": "r1",
///     "effective": {"start": "2025-02-01"}}"#)?;
/// assert_eq!(held.person().as_str(), "ana");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Assignment {
    person: PersonId,
    position: PositionId,
    effective: DateRange,
}

impl Assignment {
    /// `person` holds `position` while `effective`.
    pub fn new(person: PersonId, position: PositionId, effective: DateRange) -> Assignment {
        Assignment {
            person,
            position,
            effective,
        }
    }

    /// The person.
    pub fn person(&self) -> &PersonId {
        &self.person
    }

    /// The position held.
    pub fn position(&self) -> &PositionId {
        &self.position
    }

    /// When it is held.
    pub const fn effective(&self) -> DateRange {
        self.effective
    }
}
