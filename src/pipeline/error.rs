//! What can go wrong with opportunities, stages, calls and the pipeline's
//! roll-ups, with the ids and values involved.

use chrono::NaiveDate;

use super::opportunity::{OpportunityId, Owner};
use crate::ids::{IdError, PersonId, PositionId};
use crate::money::{Currency, Money, MoneyError};
use crate::rollup::RollupError;

/// Pipeline and forecast (see [`crate::pipeline`]). Every variant names the
/// ids and values involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineError {
    /// A stage list with no stage in it.
    #[error("a stage list needs at least one stage")]
    NoStages,
    /// A stage name that is empty, has surrounding whitespace or control
    /// characters, or is longer than 64 bytes.
    #[error("invalid stage name {name:?}")]
    InvalidStageName {
        /// The name given.
        name: String,
    },
    /// Two stages with one name.
    #[error("stage {stage:?} is listed twice")]
    DuplicateStage {
        /// The name given twice.
        stage: String,
    },
    /// A stage's default probability that is not a percentage in
    /// `[0%, 100%]`.
    #[error("stage {stage:?}: probability: {source}")]
    StageProbability {
        /// The stage.
        stage: String,
        /// Why it was refused, with the value given.
        source: MoneyError,
    },
    /// An opportunity's probability that is not a percentage in
    /// `[0%, 100%]`.
    #[error("opportunity {opportunity}: probability: {source}")]
    Probability {
        /// The opportunity.
        opportunity: OpportunityId,
        /// Why it was refused, with the value given.
        source: MoneyError,
    },
    /// An opportunity whose stage is not in the pipeline's stage list.
    #[error("opportunity {opportunity} is at unknown stage {stage:?}")]
    UnknownStage {
        /// The opportunity.
        opportunity: OpportunityId,
        /// The stage it names.
        stage: String,
    },
    /// An opportunity expected to close, or closed, before it was created.
    #[error("opportunity {opportunity} closes on {close}, before it was created on {created}")]
    CloseBeforeCreation {
        /// The opportunity.
        opportunity: OpportunityId,
        /// When it was created.
        created: NaiveDate,
        /// The (expected or actual) close date.
        close: NaiveDate,
    },
    /// A negative amount on an opportunity or its close: a pipeline holds
    /// what may be sold, never a return.
    #[error("opportunity {opportunity}: amount {amount} is negative")]
    NegativeAmount {
        /// The opportunity.
        opportunity: OpportunityId,
        /// The amount given.
        amount: Money,
    },
    /// An opportunity amount that is not a whole number of minor units.
    #[error("opportunity {opportunity}: {source}")]
    Amount {
        /// The opportunity.
        opportunity: OpportunityId,
        /// Why the amount was refused.
        source: MoneyError,
    },
    /// An opportunity (or its close) in another currency than the
    /// pipeline's.
    #[error("opportunity {opportunity} is in {found}, the pipeline in {expected}")]
    CurrencyMismatch {
        /// The opportunity.
        opportunity: OpportunityId,
        /// The pipeline's currency.
        expected: Currency,
        /// The opportunity's.
        found: Currency,
    },
    /// Two opportunities with one id.
    #[error("opportunity {opportunity} is listed twice")]
    DuplicateOpportunity {
        /// The id given twice.
        opportunity: OpportunityId,
    },
    /// An opportunity whose owner holds no position in the org snapshot.
    #[error("opportunity {opportunity}: owner {owner} is not in the org on {date}")]
    OwnerNotInOrg {
        /// The opportunity.
        opportunity: OpportunityId,
        /// Its owner.
        owner: Owner,
        /// The snapshot's date.
        date: NaiveDate,
    },
    /// An opportunity owned by a person who holds two positions in the
    /// snapshot: name the position instead.
    #[error("opportunity {opportunity}: owner {person} holds both {} and {}", positions.0, positions.1)]
    AmbiguousOwner {
        /// The opportunity.
        opportunity: OpportunityId,
        /// The person.
        person: PersonId,
        /// Two positions they hold (boxed: errors stay small).
        positions: Box<(PositionId, PositionId)>,
    },
    /// A figure given for a position (a quota, an attained amount, a
    /// forecast call) in another currency or not in whole minor units.
    #[error("{position}: {source}")]
    Figure {
        /// The position.
        position: PositionId,
        /// Why the figure was refused.
        source: MoneyError,
    },
    /// A forecast call below zero, or with a commit above its best case.
    #[error(
        "call of {position}: commit {commit} and best case {best_case} must satisfy 0 <= commit <= best case"
    )]
    CallOutOfOrder {
        /// The position calling.
        position: PositionId,
        /// The commit call.
        commit: Money,
        /// The best-case call.
        best_case: Money,
    },
    /// Two forecast calls for one position.
    #[error("position {position} made two calls")]
    DuplicateCall {
        /// The position.
        position: PositionId,
    },
    /// A forecast call by a position that is not in the org snapshot.
    #[error("call by {position}, which is not in the org on {date}")]
    CallerNotInOrg {
        /// The position.
        position: PositionId,
        /// The snapshot's date.
        date: NaiveDate,
    },
    /// A funnel count past `u64`, at the opportunity named.
    #[error("the funnel's counts overflow at opportunity {opportunity}")]
    FunnelOverflow {
        /// The opportunity being counted.
        opportunity: OpportunityId,
    },
    /// The roll-up failed: a figure of another snapshot, an overflow.
    #[error(transparent)]
    Rollup {
        /// Why (boxed: rollup errors are large).
        source: Box<RollupError>,
    },
    /// Opportunity columns of different lengths
    /// ([`OpportunityColumns`](super::OpportunityColumns)).
    #[error("column `{column}` has {found} rows; the ids have {expected}")]
    ColumnLength {
        /// The column.
        column: &'static str,
        /// The number of ids.
        expected: usize,
        /// The column's length.
        found: usize,
    },
    /// A row of opportunity columns that the row API refuses: the error
    /// an [`Opportunity`](super::Opportunity) built from that row would
    /// give, with the row.
    #[error("row {row}: {source}")]
    Row {
        /// The row (0 is the first).
        row: usize,
        /// Why (boxed: errors stay small).
        source: Box<PipelineError>,
    },
    /// An id in an opportunity or owner column that is not an id
    /// (negative, empty, blank, too long).
    #[error("column `{column}` at row {row}: {source}")]
    ColumnId {
        /// The column.
        column: &'static str,
        /// The row.
        row: usize,
        /// Why.
        source: IdError,
    },
    /// A stage index past the pipeline's stages.
    #[error("row {row}: stage {index} is past the {stages} stages")]
    StageIndex {
        /// The row.
        row: usize,
        /// The index given.
        index: u8,
        /// How many stages there are.
        stages: usize,
    },
    /// A day number (from 1970-01-01) beyond the dates the crate handles.
    #[error("column `{column}` at row {row}: day {day} is out of range")]
    DayOutOfRange {
        /// The column.
        column: &'static str,
        /// The row.
        row: usize,
        /// The day number.
        day: i32,
    },
}

impl From<RollupError> for PipelineError {
    fn from(source: RollupError) -> PipelineError {
        PipelineError::Rollup {
            source: Box::new(source),
        }
    }
}
