//! Arrow record batches in and out (the `arrow` feature): the org, credits
//! for the roll-up, and the results as columns, for programs that hold
//! their data as Arrow or Parquet (Polars, DuckDB, DataFusion exports).
//!
//! Only `arrow-array` and `arrow-schema` are used, not the whole of arrow.
//! A batch is validated as strictly as the row API: a missing column, a
//! column the schema does not know (a misspelled optional one), a column
//! of the wrong type, a null where none may be, an id that is not valid
//! are each a [`BatchError`] naming the column (and the row); what the org
//! or the roll-up refuse is their own error, wrapped.
//!
//! # Schemas
//!
//! **Ids** (positions, parents, holders): an integer column (`int64`,
//! `int32`, `uint64`, `uint32`; integer ids are the decimal text of the
//! number, see [`PositionId`](crate::PositionId)), a text column (`utf8`,
//! `large_utf8`), or a dictionary of either (any integer key type). An
//! `int64` column without nulls is read in place; other layouts are copied
//! once into a column of the crate's own.
//!
//! The org, [`OrgBatch`]:
//!
//! | column | type | null means |
//! |---|---|---|
//! | `id` | ids | not allowed |
//! | `parent_id` | ids, integers if `id` is, text if it is text | the top of the org |
//! | `role` | `utf8`, `large_utf8` or a dictionary of them: `executive`, `director`, `regional_manager`, `sales_administrator`, `assistant_manager`, `supervisor`, `team_lead`, `sales_rep`, or a custom role's id | not allowed |
//! | `holder_id` (optional) | ids | a vacant seat |
//!
//! Credits for the roll-up, [`sum_credit_batch`]:
//!
//! | column | type | null means |
//! |---|---|---|
//! | `position_id` | ids | not allowed |
//! | `amount` | `int64` (whole minor units of the currency) or `decimal128` (any precision and scale up to 28 places; each a whole number of minor units) | not allowed |
//! | `date` (needed for a period) | `date32` | not allowed |
//!
//! Credited lines ([`credit_run_from_batch`]), quotas
//! ([`quotas_from_batch`]), activity logs ([`activity_from_batch`]) and
//! opportunities ([`opportunities_from_batch`]): see each function.
//!
//! Results: [`rollup_batch`] (one row per position: `position_id`, `own`,
//! `subtree` and, with quotas, `quota` and `attainment`) and
//! [`payouts_batch`] (one row per person, pay period and component).
//! Amounts are `decimal128(38, s)` with `s` the currency's minor units;
//! attainment is `decimal128(38, 12)`, the fraction (1 is 100%) rounded
//! half to even at 12 places, null when the quota is zero. Credit totals
//! per holder and period ([`credit_totals_batch`],
//! [`credit_column_totals_batch`]) and team progress rows
//! ([`team_progress_batch`]) have the same amounts and ratios; their ids
//! are `int64` when every id is an integer (an org built from integer
//! columns), `utf8` otherwise; so are the pipeline's figures per node
//! ([`pipeline_batch`]).

mod error;
mod input;
mod lines;
mod org;
mod output;
mod pipeline;
mod rollup;
mod totals;

pub use self::error::BatchError;
pub use self::lines::{activity_from_batch, credit_run_from_batch, quotas_from_batch};
pub use self::org::OrgBatch;
pub use self::output::{payouts_batch, rollup_batch};
pub use self::pipeline::{OpportunityBatch, opportunities_from_batch, pipeline_batch};
pub use self::rollup::sum_credit_batch;
pub use self::totals::{
    Holders, credit_column_totals_batch, credit_totals_batch, team_progress_batch,
};

/// The arrow-rs types the batches are made of, re-exported so a caller
/// needs no version of its own to agree with the crate's.
pub use arrow_array::RecordBatch;
