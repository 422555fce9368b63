//! The org from a record batch.

use arrow_array::RecordBatch;

use super::BatchError;
use super::input::{self, Ids, NO_INT, NO_TEXT, Nulls};
use crate::calendar::DateRange;
use crate::ids::{ColumnId, RoleId};
use crate::kernel::hash::FxHashMap;
use crate::org::{CustomRole, Org, OrgColumns, Role};

/// An org from a record batch of positions (schema in the
/// [module docs](super)): one row per position, with the id it reports to
/// and its role, and optionally who holds it.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, Int64Array, StringArray};
/// use chrono::NaiveDate;
/// use salesplan::arrow::{OrgBatch, RecordBatch};
///
/// let batch = RecordBatch::try_from_iter([
///     ("id", Arc::new(Int64Array::from(vec![1, 20, 21])) as ArrayRef),
///     ("parent_id", Arc::new(Int64Array::from(vec![None, Some(1), Some(1)])) as ArrayRef),
///     ("role", Arc::new(StringArray::from(vec!["director", "sales_rep", "sales_rep"])) as ArrayRef),
///     ("holder_id", Arc::new(Int64Array::from(vec![Some(7001), Some(7002), None])) as ArrayRef),
/// ])?;
/// let org = OrgBatch::new(&batch).build()?;
/// let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 6, 30).unwrap())?;
/// assert_eq!(snapshot.len(), 3);
/// assert_eq!(snapshot.root().holder().map(|p| p.as_str()), Some("7001"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct OrgBatch<'a> {
    batch: &'a RecordBatch,
    custom_roles: Vec<CustomRole>,
    effective: Option<DateRange>,
    allow_concurrent_positions: bool,
}

impl<'a> OrgBatch<'a> {
    /// The positions of `batch`.
    pub const fn new(batch: &'a RecordBatch) -> Self {
        OrgBatch {
            batch,
            custom_roles: Vec::new(),
            effective: None,
            allow_concurrent_positions: false,
        }
    }

    /// The custom roles the `role` column may name by id.
    pub fn custom_roles(mut self, roles: impl IntoIterator<Item = CustomRole>) -> Self {
        self.custom_roles.extend(roles);
        self
    }

    /// When the lines and holdings are in effect (by default, always).
    pub const fn effective(mut self, effective: DateRange) -> Self {
        self.effective = Some(effective);
        self
    }

    /// Whether one person may hold several positions.
    pub const fn allow_concurrent_positions(mut self, allow: bool) -> Self {
        self.allow_concurrent_positions = allow;
        self
    }

    /// The org, validated as [`OrgColumns::build`] validates it.
    ///
    /// # Errors
    ///
    /// [`BatchError::MissingColumn`], [`BatchError::UnknownColumn`],
    /// [`BatchError::ColumnType`] (an `id`
    /// and `parent_id` of different kinds among them),
    /// [`BatchError::Null`] for a null `id` or `role`,
    /// [`BatchError::NegativeId`], [`BatchError::IdOutOfRange`],
    /// [`BatchError::Id`] for a role that is not a valid id; then
    /// [`BatchError::Org`] with every error of [`OrgColumns::build`].
    pub fn build(self) -> Result<Org, BatchError> {
        let batch = self.batch;
        input::known_columns(batch, &["id", "parent_id", "role", "holder_id"])?;
        let ids = input::ids(input::column(batch, "id")?, "id", Nulls::Refused)?;
        let parent_column = input::column(batch, "parent_id")?;
        let parents = input::ids(parent_column, "parent_id", Nulls::None)?;
        let roles = roles(&input::texts(input::column(batch, "role")?, "role")?)?;
        let holders = match batch.column_by_name("holder_id") {
            Some(c) => Some(input::ids(c, "holder_id", Nulls::None)?),
            None => None,
        };
        match (&ids, &parents) {
            (Ids::Int(i), Ids::Int(p)) => {
                self.with_holders(OrgColumns::new(i, p, &NO_INT, &roles), holders.as_ref())
            }
            (Ids::Text(i), Ids::Text(p)) => {
                self.with_holders(OrgColumns::new(i, p, &NO_TEXT, &roles), holders.as_ref())
            }
            _ => Err(BatchError::ColumnType {
                column: "parent_id",
                found: parent_column.data_type().to_string(),
                expected: "integers when `id` is integers, text when it is text",
            }),
        }
    }

    fn with_holders<K: ColumnId>(
        self,
        columns: OrgColumns<'_, K>,
        holders: Option<&Ids<'_>>,
    ) -> Result<Org, BatchError> {
        match holders {
            None => self.finish(columns),
            Some(Ids::Int(h)) => self.finish(columns.holders(h, &NO_INT)),
            Some(Ids::Text(h)) => self.finish(columns.holders(h, &NO_TEXT)),
        }
    }

    fn finish<K: ColumnId, H: ColumnId>(
        self,
        columns: OrgColumns<'_, K, H>,
    ) -> Result<Org, BatchError> {
        let mut columns = columns
            .custom_roles(self.custom_roles)
            .allow_concurrent_positions(self.allow_concurrent_positions);
        if let Some(effective) = self.effective {
            columns = columns.effective(effective);
        }
        Ok(columns.build()?)
    }
}

/// Each row's role: a built-in role by its snake-case name, or a custom
/// role's id; each distinct text parsed once.
fn roles(texts: &[&str]) -> Result<Vec<Role>, BatchError> {
    let mut seen: FxHashMap<&str, Role> = FxHashMap::default();
    let mut out = Vec::with_capacity(texts.len());
    for (row, text) in texts.iter().enumerate() {
        if let Some(role) = seen.get(text) {
            out.push(role.clone());
            continue;
        }
        let role = match *text {
            "executive" => Role::Executive,
            "director" => Role::Director,
            "regional_manager" => Role::RegionalManager,
            "sales_administrator" => Role::SalesAdministrator,
            "assistant_manager" => Role::AssistantManager,
            "supervisor" => Role::Supervisor,
            "team_lead" => Role::TeamLead,
            "sales_rep" => Role::SalesRep,
            custom => Role::Custom(RoleId::new(custom).map_err(|source| BatchError::Id {
                column: "role",
                row,
                source,
            })?),
        };
        seen.insert(text, role.clone());
        out.push(role);
    }
    Ok(out)
}
