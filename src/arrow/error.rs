//! What a record batch can get wrong.

use thiserror::Error;

use rust_decimal::Decimal;

use crate::activity::ActivityError;
use crate::credit::CreditError;
use crate::ids::IdError;
use crate::money::Currency;
use crate::org::OrgError;
use crate::pipeline::PipelineError;
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
    /// A column the schema does not know (a misspelled optional column
    /// would otherwise be ignored).
    #[error("the batch has a column `{column}` the schema does not know")]
    UnknownColumn {
        /// The column's name.
        column: String,
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
    /// A day number beyond the dates the crate handles.
    #[error("column `{column}` at row {row}: day {day} is out of range")]
    DateOutOfRange {
        /// The column's name.
        column: &'static str,
        /// The row.
        row: usize,
        /// The day number (from 1970-01-01).
        day: i32,
    },
    /// An owner's share outside 0 to 100%.
    #[error("column `share` at row {row}: {value} is not a fraction from 0 to 1")]
    Share {
        /// The row.
        row: usize,
        /// The value.
        value: Decimal,
    },
    /// A quota that is negative or has a fraction of a minor unit.
    #[error(
        "column `amount` at row {row}: {value} is not a quota (negative, or a fraction of a minor unit)"
    )]
    Quota {
        /// The row.
        row: usize,
        /// The value, in the currency's major unit.
        value: Decimal,
    },
    /// An id given twice where each may appear once.
    #[error("column `{column}`: the id at row {row} was given before")]
    DuplicateId {
        /// The column's name.
        column: &'static str,
        /// The second row.
        row: usize,
    },
    /// An activity kind that is neither built in nor among the custom
    /// kinds given.
    #[error("column `kind` at row {row}: unknown activity kind {kind:?}")]
    UnknownKind {
        /// The row.
        row: usize,
        /// The kind's text.
        kind: String,
    },
    /// An activity entry the log refuses.
    #[error("activity at row {row}: {source}")]
    Activity {
        /// The row.
        row: usize,
        /// Why (boxed: the batch error stays small).
        source: Box<ActivityError>,
    },
    /// The credited lines refused by [`CreditRun::from_lines`](crate::credit::CreditRun::from_lines).
    #[error(transparent)]
    Credit(Box<CreditError>),
    /// Arrow refused to build the output (its message).
    #[error("arrow: {0}")]
    Arrow(String),
    /// The org refused the columns.
    #[error(transparent)]
    Org(#[from] OrgError),
    /// The roll-up refused the credits.
    #[error(transparent)]
    Rollup(#[from] RollupError),
    /// A text code (a stage, a forecast category, an outcome) not among
    /// those allowed.
    #[error("column `{column}` at row {row}: {value:?} is not {expected}")]
    Code {
        /// The column's name.
        column: &'static str,
        /// The row.
        row: usize,
        /// The text given.
        value: String,
        /// What is allowed.
        expected: &'static str,
    },
    /// An amount that is not a whole number of the currency's minor units
    /// within `int64`.
    #[error(
        "column `{column}` at row {row}: {value} is not a whole number of minor units within int64"
    )]
    MinorUnits {
        /// The column's name.
        column: &'static str,
        /// The row.
        row: usize,
        /// The value, in the currency's major unit.
        value: Decimal,
    },
    /// A probability outside 0 to 100% (whole points, or a fraction).
    #[error(
        "column `probability` at row {row}: {value} is not from 0 to 100% (points) or 0 to 1 (a fraction)"
    )]
    Probability {
        /// The row.
        row: usize,
        /// The value as given.
        value: Decimal,
    },
    /// A holder of the org that the credit totals do not have: totals
    /// credited over another org.
    #[error("the credit totals have no {id}: were they credited over this org?")]
    NotInTotals {
        /// The holder's id.
        id: String,
    },
    /// Figures in another currency than the batch's first.
    #[error("{id}: a figure in {found}, the batch in {expected}")]
    CurrencyMismatch {
        /// The row's id.
        id: String,
        /// The batch's currency.
        expected: Currency,
        /// The figure's.
        found: Currency,
    },
    /// The opportunities refused by
    /// [`PipelineColumns`](crate::pipeline::PipelineColumns), each naming
    /// the row.
    #[error(transparent)]
    Pipeline(Box<PipelineError>),
}

impl From<arrow_schema::ArrowError> for BatchError {
    fn from(e: arrow_schema::ArrowError) -> Self {
        BatchError::Arrow(e.to_string())
    }
}
