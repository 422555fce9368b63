//! What a record batch can get wrong.

use thiserror::Error;

use crate::ids::IdError;
use crate::org::OrgError;
use crate::rollup::RollupError;

/// A record batch the crate cannot take, or a result it cannot write.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum BatchError {
    /// The batch has no column of that name.
    #[error("the batch has no column `{column}`")]
    MissingColumn {
        /// The column's name.
        column: &'static str,
    },
    /// The column's type is not one the schema allows.
    #[error("column `{column}` is {found}; expected {expected}")]
    ColumnType {
        /// The column's name.
        column: &'static str,
        /// Its type, as arrow names it.
        found: String,
        /// What the schema allows.
        expected: &'static str,
    },
    /// A null where the schema allows none.
    #[error("column `{column}` is null at row {row}")]
    Null {
        /// The column's name.
        column: &'static str,
        /// The row.
        row: usize,
    },
    /// An integer id beyond `i64` (ids are kept as `i64`).
    #[error("column `{column}` holds {value} at row {row}, beyond the largest id {max}", max = i64::MAX)]
    IdOutOfRange {
        /// The column's name.
        column: &'static str,
        /// The row.
        row: usize,
        /// The value.
        value: u64,
    },
    /// A negative integer id (exports use -1 or 0 for "none": write a null).
    #[error("column `{column}` holds the negative id {value} at row {row}; write a null for none")]
    NegativeId {
        /// The column's name.
        column: &'static str,
        /// The row.
        row: usize,
        /// The value.
        value: i64,
    },
    /// A text id or role the crate refuses (empty, blank, too long).
    #[error("column `{column}` at row {row}: {source}")]
    Id {
        /// The column's name.
        column: &'static str,
        /// The row.
        row: usize,
        /// Why.
        source: IdError,
    },
    /// A dictionary key that points past the dictionary's values.
    #[error("column `{column}` at row {row}: dictionary key past its {values} values")]
    DictionaryKey {
        /// The column's name.
        column: &'static str,
        /// The row.
        row: usize,
        /// How many values the dictionary has.
        values: usize,
    },
    /// A decimal column whose scale `Decimal` cannot hold (more than 28
    /// places), or a value beyond 28 digits.
    #[error("column `{column}` at row {row}: {value} at scale {scale} is beyond 28 digits")]
    Decimal {
        /// The column's name.
        column: &'static str,
        /// The row.
        row: usize,
        /// The unscaled value.
        value: i128,
        /// The column's scale.
        scale: i8,
    },
    /// Two inputs that must be as long as each other are not.
    #[error("`{column}` has {found} rows; expected {expected}")]
    Length {
        /// The input's name.
        column: &'static str,
        /// Its length.
        found: usize,
        /// The length it must have.
        expected: usize,
    },
    /// A figure that does not fit the output column (beyond 38 digits, or
    /// an attainment beyond 26 digits before the point).
    #[error("`{column}` for {id}: {value} does not fit decimal128(38, {scale})")]
    Overflow {
        /// The output column.
        column: &'static str,
        /// The row's id.
        id: String,
        /// The figure.
        value: String,
        /// The column's scale.
        scale: u32,
    },
    /// Arrow refused to build the output (its message).
    #[error("arrow: {0}")]
    Arrow(String),
    /// The org refused the columns.
    #[error(transparent)]
    Org(#[from] OrgError),
    /// The roll-up refused the credits.
    #[error(transparent)]
    Rollup(#[from] RollupError),
}

impl From<arrow_schema::ArrowError> for BatchError {
    fn from(e: arrow_schema::ArrowError) -> Self {
        BatchError::Arrow(e.to_string())
    }
}
