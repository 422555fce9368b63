//! Opportunities as columns, as a CRM export or a Parquet file holds
//! them: ids as integers or text, amounts in minor units, days from
//! 1970-01-01. Checked as strictly as [`Opportunity`](super::Opportunity)'s builder and
//! [`Pipeline::new`](super::Pipeline::new), rolled up by the same rules as
//! [`Pipeline::roll_up`](super::Pipeline::roll_up), with no row built.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::error::PipelineError;
use super::opportunity::{ForecastCategory, OpportunityId, Outcome, Owner};
use super::stages::Stages;
use super::totals::{PipelineOptions, PipelineRollup, Tally};
use crate::execution::Execution;
use crate::ids::{ColumnId, IdError, IdKey, PositionId};
use crate::kernel::fill::try_fill;
use crate::kernel::repeats::{first_repeat, first_repeat_int};
use crate::money::{Currency, Money, Percent, RoundingPolicy};
use crate::org::OrgSnapshot;
use crate::rollup::{NodeValues, RollupError};

/// The probability column of [`OpportunityColumns`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum ProbabilityColumn<'a> {
    /// Every row's own probability in whole percentage points, 0 to 100
    /// (`60` is 60%).
    Points(&'a [u8]),
    /// Each row's own probability, or `None` for its stage's default.
    Own(&'a [Option<Percent>]),
}

impl ProbabilityColumn<'_> {
    fn len(&self) -> usize {
        match self {
            ProbabilityColumn::Points(v) => v.len(),
            ProbabilityColumn::Own(v) => v.len(),
        }
    }
}

/// Opportunities as columns, one row per opportunity: row `i` is the
/// opportunity `ids[i]` owned by the position `owners[i]` (integers or
/// text, see [`ColumnId`]), at stage `stages[i]` (its index in the
/// pipeline's [`Stages`], 0 the first), for `amounts[i]` whole minor units
/// of the pipeline's currency, expected to close on day
/// `expected_close[i]` (days from 1970-01-01, Arrow's `date32`).
///
/// The other columns are optional, each with the row API's default:
/// [`created`](Self::created) (without it, no creation date is checked),
/// [`probabilities`](Self::probabilities) (the stage's default),
/// [`categories`](Self::categories) ([`ForecastCategory::Pipeline`]),
/// [`outcomes`](Self::outcomes) (open), and for closed rows
/// [`closed_days`](Self::closed_days) and
/// [`closed_amounts`](Self::closed_amounts) (the expected close day and
/// the amount). Check and roll them up with [`PipelineColumns`].
#[derive(Debug)]
#[must_use]
pub struct OpportunityColumns<'a, K, O> {
    ids: &'a [K],
    owners: &'a [O],
    stages: &'a [u8],
    amounts: &'a [i64],
    expected_close: &'a [i32],
    created: Option<&'a [i32]>,
    probabilities: Option<ProbabilityColumn<'a>>,
    categories: Option<&'a [ForecastCategory]>,
    outcomes: Option<&'a [Option<Outcome>]>,
    closed_days: Option<&'a [i32]>,
    closed_amounts: Option<&'a [i64]>,
}

impl<K, O> Clone for OpportunityColumns<'_, K, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K, O> Copy for OpportunityColumns<'_, K, O> {}

impl<'a, K: ColumnId, O: ColumnId> OpportunityColumns<'a, K, O> {
    /// Opportunities `ids`, owned by the positions `owners`, at `stages`
    /// (indexes in the pipeline's stages), of `amounts` (minor units),
    /// expected to close on `expected_close` (days from 1970-01-01).
    pub const fn new(
        ids: &'a [K],
        owners: &'a [O],
        stages: &'a [u8],
        amounts: &'a [i64],
        expected_close: &'a [i32],
    ) -> Self {
        OpportunityColumns {
            ids,
            owners,
            stages,
            amounts,
            expected_close,
            created: None,
            probabilities: None,
            categories: None,
            outcomes: None,
            closed_days: None,
            closed_amounts: None,
        }
    }

    /// The day each opportunity was created: no close, expected or
    /// actual, may come before it.
    pub const fn created(mut self, days: &'a [i32]) -> Self {
        self.created = Some(days);
        self
    }

    /// Each opportunity's own probability.
    pub const fn probabilities(mut self, probabilities: ProbabilityColumn<'a>) -> Self {
        self.probabilities = Some(probabilities);
        self
    }

    /// Each opportunity's forecast category.
    pub const fn categories(mut self, categories: &'a [ForecastCategory]) -> Self {
        self.categories = Some(categories);
        self
    }

    /// How each opportunity closed: `None` while it is open.
    pub const fn outcomes(mut self, outcomes: &'a [Option<Outcome>]) -> Self {
        self.outcomes = Some(outcomes);
        self
    }

    /// The day each closed opportunity closed (read on closed rows only).
    pub const fn closed_days(mut self, days: &'a [i32]) -> Self {
        self.closed_days = Some(days);
        self
    }

    /// What each closed opportunity was won or lost for, in minor units
    /// (read on closed rows only).
    pub const fn closed_amounts(mut self, amounts: &'a [i64]) -> Self {
        self.closed_amounts = Some(amounts);
        self
    }

    /// How many rows.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no rows.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// The stages and the opportunities of [`OpportunityColumns`], checked
/// together: the columnar form of [`Pipeline`](super::Pipeline).
#[derive(Debug, Clone)]
pub struct PipelineColumns<'a, K, O> {
    currency: Currency,
    stages: Stages,
    columns: OpportunityColumns<'a, K, O>,
    /// Each stage's default probability in whole points, when it is one.
    stage_points: Vec<Option<u8>>,
    /// The first and last day numbers of the calendar.
    calendar: (i32, i32),
}

impl<'a, K: ColumnId, O: ColumnId> PipelineColumns<'a, K, O> {
    /// The pipeline of `columns` through `stages`, in `currency`, every
    /// row checked as [`OpportunityBuilder::build`](super::OpportunityBuilder::build)
    /// and [`Pipeline::new`](super::Pipeline::new) check an opportunity.
    ///
    /// # Errors
    ///
    /// [`PipelineError::ColumnLength`] for a column not as long as the
    /// ids; then, at the first faulty row: [`PipelineError::ColumnId`] for
    /// an opportunity or owner id that is not an id,
    /// [`PipelineError::StageIndex`] for a stage past the stages,
    /// [`PipelineError::DayOutOfRange`] for a day beyond the calendar,
    /// and [`PipelineError::Row`] wrapping the row API's error
    /// ([`PipelineError::Probability`] above 100 points,
    /// [`PipelineError::NegativeAmount`],
    /// [`PipelineError::CloseBeforeCreation`]); last,
    /// [`PipelineError::Row`] with
    /// [`PipelineError::DuplicateOpportunity`] at the first id given
    /// before.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::org::{OrgColumns, Role};
    /// use salesplan::pipeline::{ForecastCategory, OpportunityColumns, Outcome, PipelineColumns, PipelineOptions, ProbabilityColumn, Stage, Stages};
    /// use salesplan::{Currency, Money, Percent, Period};
    ///
    /// let org = OrgColumns::new(&[1_u64, 20, 21], &[0, 1, 1], &0, &[Role::TeamLead, Role::SalesRep, Role::SalesRep]).build()?;
    /// let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 3, 31).unwrap())?;
    /// let p = |s: &str| s.parse::<Percent>().unwrap();
    /// let stages = Stages::new(vec![Stage::new("qualify", p("10%"))?, Stage::new("proposal", p("60%"))?])?;
    ///
    /// // Four deals, the last one won; 20_162 is 2025-03-15.
    /// let ids: [u64; 4] = [101, 102, 103, 104];
    /// let owners: [u64; 4] = [20, 21, 21, 20];
    /// let stage = [1, 0, 0, 1];
    /// let cents = [10_000_00, 5_000_00, 333_33, 2_000_00];
    /// let close = [20_162; 4];
    /// let points = [60, 10, 33, 60];
    /// let categories = [ForecastCategory::Commit, ForecastCategory::Pipeline, ForecastCategory::Pipeline, ForecastCategory::Commit];
    /// let outcomes = [None, None, None, Some(Outcome::Won)];
    /// let columns = OpportunityColumns::new(&ids, &owners, &stage, &cents, &close)
    ///     .created(&[20_090; 4])
    ///     .probabilities(ProbabilityColumn::Points(&points))
    ///     .categories(&categories)
    ///     .outcomes(&outcomes);
    /// let pipeline = PipelineColumns::new(Currency::USD, stages, columns)?;
    /// let q1 = Period::new(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2025, 4, 1).unwrap())?;
    /// let totals = pipeline.roll_up(&snapshot, PipelineOptions::new(q1))?;
    /// let team = totals.subtree(snapshot.root())?;
    /// let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
    /// assert_eq!(team.open(), usd("15333.33"));
    /// // 6000 + 500 + 110.00 (333.33 × 33% = 109.9989, rounded once).
    /// assert_eq!(team.weighted(), usd("6610.00"));
    /// assert_eq!(team.category(ForecastCategory::Commit), usd("10000.00"));
    /// assert_eq!(team.won(), usd("2000.00"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        currency: Currency,
        stages: Stages,
        columns: OpportunityColumns<'a, K, O>,
    ) -> Result<PipelineColumns<'a, K, O>, PipelineError> {
        check_lengths(&columns)?;
        let pipeline = PipelineColumns::checked(currency, stages, columns);
        for row in 0..pipeline.columns.len() {
            pipeline.check_row(row)?;
        }
        if let Some(row) = first_repeated_id(pipeline.columns.ids) {
            return Err(row_error(&pipeline.columns, row, |opportunity| {
                PipelineError::DuplicateOpportunity { opportunity }
            }));
        }
        Ok(pipeline)
    }

    /// The pipeline of columns already checked by [`new`](Self::new).
    pub(crate) fn checked(
        currency: Currency,
        stages: Stages,
        columns: OpportunityColumns<'a, K, O>,
    ) -> PipelineColumns<'a, K, O> {
        let stage_points = stages
            .iter()
            .map(|s| whole_points(s.probability()))
            .collect();
        PipelineColumns {
            currency,
            stages,
            columns,
            stage_points,
            calendar: (day_number(NaiveDate::MIN), day_number(NaiveDate::MAX)),
        }
    }

    /// The pipeline's currency.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The stages.
    pub const fn stages(&self) -> &Stages {
        &self.stages
    }

    /// The columns.
    pub const fn columns(&self) -> &OpportunityColumns<'a, K, O> {
        &self.columns
    }

    /// Row `row`'s checks, in the order the row API makes them.
    fn check_row(&self, row: usize) -> Result<(), PipelineError> {
        let c = &self.columns;
        let id = c.ids.get(row).map(ColumnId::column_key);
        check_id(id, "ids", row, OpportunityId::KIND, |t| {
            OpportunityId::new(t).map(|_| ())
        })?;
        let owner = c.owners.get(row).map(ColumnId::column_key);
        check_id(owner, "owners", row, PositionId::KIND, |t| {
            PositionId::new(t).map(|_| ())
        })?;
        let stage = c.stages.get(row).copied().unwrap_or(u8::MAX);
        if usize::from(stage) >= self.stages.len() {
            return Err(PipelineError::StageIndex {
                row,
                index: stage,
                stages: self.stages.len(),
            });
        }
        if let Some(ProbabilityColumn::Points(points)) = c.probabilities
            && let Some(p) = points.get(row).filter(|p| **p > 100)
            && let Err(source) = Percent::from_points(Decimal::from(*p))
        {
            return Err(row_error(c, row, |opportunity| {
                PipelineError::Probability {
                    opportunity,
                    source,
                }
            }));
        }
        self.check_amount(c.amounts, row)?;
        let created = c
            .created
            .map(|d| self.day_at(d, "created", row))
            .transpose()?;
        self.check_close(row, created, c.expected_close, "expected_close")?;
        if self.outcome(row).is_some() {
            if let Some(amounts) = c.closed_amounts {
                self.check_amount(amounts, row)?;
            }
            if let Some(days) = c.closed_days {
                self.check_close(row, created, days, "closed_days")?;
            }
        }
        Ok(())
    }

    /// Row `row` of the day column `column`, within the calendar.
    #[inline]
    fn day_at(&self, column: &[i32], name: &'static str, row: usize) -> Result<i32, PipelineError> {
        let d = column.get(row).copied().unwrap_or_default();
        if d < self.calendar.0 || d > self.calendar.1 {
            return Err(PipelineError::DayOutOfRange {
                column: name,
                row,
                day: d,
            });
        }
        Ok(d)
    }

    /// The close day (expected or actual) of row `row` in `column` is in
    /// the calendar and not before its creation.
    #[inline]
    fn check_close(
        &self,
        row: usize,
        created: Option<i32>,
        column: &[i32],
        name: &'static str,
    ) -> Result<(), PipelineError> {
        let close = self.day_at(column, name, row)?;
        match created {
            Some(created) if close < created => {
                let created = day(created, "created", row)?;
                let close = day(close, name, row)?;
                Err(row_error(&self.columns, row, |opportunity| {
                    PipelineError::CloseBeforeCreation {
                        opportunity,
                        created,
                        close,
                    }
                }))
            }
            _ => Ok(()),
        }
    }

    fn check_amount(&self, amounts: &[i64], row: usize) -> Result<(), PipelineError> {
        match amounts.get(row) {
            Some(a) if *a < 0 => {
                let amount = Money::from_minor(i128::from(*a), self.currency);
                let amount = amount.unwrap_or(Money::zero(self.currency));
                Err(row_error(&self.columns, row, |opportunity| {
                    PipelineError::NegativeAmount {
                        opportunity,
                        amount,
                    }
                }))
            }
            _ => Ok(()),
        }
    }

    fn outcome(&self, row: usize) -> Option<Outcome> {
        self.columns
            .outcomes
            .and_then(|o| o.get(row).copied().flatten())
    }

    /// Rolls the opportunities up `snapshot` for `options`' period, by the
    /// rules of [`Pipeline::roll_up`](super::Pipeline::roll_up): an open
    /// opportunity counts when its expected close day is in the period, a
    /// closed one when its close day is, at its owner's position and at
    /// every manager above. The owner ids are resolved in one batched call;
    /// with [`Execution::Parallel`] each thread adds the rows of its own
    /// range of nodes, in row order, so the result is the same.
    ///
    /// # Errors
    ///
    /// [`PipelineError::Row`] with [`PipelineError::OwnerNotInOrg`] at the
    /// first row counted in the period whose owner is not in the
    /// snapshot; [`PipelineError::Rollup`] for a total that overflows.
    pub fn roll_up<'s>(
        &self,
        snapshot: &'s OrgSnapshot,
        options: PipelineOptions,
    ) -> Result<PipelineRollup<'s>, PipelineError> {
        let c = &self.columns;
        let period = options.period();
        let (lo, hi) = (day_number(period.start()), day_number(period.end()));
        let mut nodes = Vec::new();
        snapshot.node_rows(c.owners, &mut nodes);
        let window = Window {
            lo,
            hi,
            rounding: options.rounding_policy(),
        };
        let mut own = vec![Tally::default(); snapshot.len()];
        let parallel = options.execution_mode() == Execution::Parallel;
        let scatter =
            |from: usize, part: &mut [Tally]| self.scatter(snapshot, &nodes, window, from, part);
        if let Err(e) = try_fill(&mut own, parallel, scatter) {
            // The first fault in row order, as one pass over the rows
            // names it (each thread saw only its own nodes' rows).
            own.fill(Tally::default());
            try_fill(&mut own, false, scatter)?;
            return Err(e);
        }
        let subtree = NodeValues::from_fn(snapshot, |n| {
            own.get(n.index().index()).copied().unwrap_or_default()
        })
        .roll_up()?
        .into_vec();
        Ok(PipelineRollup {
            snapshot,
            currency: self.currency,
            period,
            own,
            subtree,
        })
    }

    /// Adds every row owned by a node of `part` (the nodes from `from` on)
    /// to its node's tally, in row order; the part holding the first node
    /// also names the rows whose owner is not in the snapshot.
    fn scatter(
        &self,
        snapshot: &OrgSnapshot,
        nodes: &[u32],
        window: Window,
        from: usize,
        part: &mut [Tally],
    ) -> Result<(), PipelineError> {
        for (row, node) in nodes.iter().enumerate() {
            // bound: not a figure; a node before `from` wraps past the part.
            let at = (*node as usize).wrapping_sub(from);
            let outside = at >= part.len();
            if outside && (from != 0 || (*node as usize) < snapshot.len()) {
                continue;
            }
            let Some(p) = self.part(row, window)? else {
                continue;
            };
            let Some(slot) = part.get_mut(at) else {
                return Err(self.owner_error(snapshot, row));
            };
            p.add_to(slot).ok_or_else(|| overflow(snapshot, *node))?;
        }
        Ok(())
    }

    /// Row `row`'s part of its owner's tally, or `None` when it does not
    /// fall in the window.
    #[inline]
    fn part(&self, row: usize, window: Window) -> Result<Option<Part>, PipelineError> {
        let Window { lo, hi, rounding } = window;
        let c = &self.columns;
        let amount = |column: Option<&[i64]>| {
            let v = column.unwrap_or(c.amounts);
            v.get(row).map(|a| i128::from(*a)).unwrap_or_default()
        };
        if let Some(outcome) = self.outcome(row) {
            let day = c.closed_days.unwrap_or(c.expected_close).get(row);
            if !day.is_some_and(|d| *d >= lo && *d < hi) {
                return Ok(None);
            }
            let minor = amount(c.closed_amounts);
            return Ok(Some(match outcome {
                Outcome::Won => Part::Won(minor),
                Outcome::Lost => Part::Lost(minor),
            }));
        }
        if !c
            .expected_close
            .get(row)
            .is_some_and(|d| *d >= lo && *d < hi)
        {
            return Ok(None);
        }
        let minor = amount(None);
        let category = c.categories.and_then(|v| v.get(row)).copied();
        Ok(Some(Part::Open {
            minor,
            weighted: self.weighted(row, minor, rounding)?,
            category: category.unwrap_or_default(),
        }))
    }

    /// Row `row`'s weighted amount: `minor` × its probability, rounded once
    /// to minor units; in integers when the probability is whole points.
    #[inline]
    fn weighted(
        &self,
        row: usize,
        minor: i128,
        rounding: RoundingPolicy,
    ) -> Result<i128, PipelineError> {
        let stage = self.columns.stages.get(row).map(|s| usize::from(*s));
        let default = || {
            let stage = stage.and_then(|s| self.stages.get(s));
            stage.map(|s| s.probability()).unwrap_or(Percent::ZERO)
        };
        let (points, percent) = match self.columns.probabilities {
            Some(ProbabilityColumn::Points(v)) => (v.get(row).copied(), None),
            Some(ProbabilityColumn::Own(v)) => match v.get(row).copied().flatten() {
                Some(p) => (None, Some(p)),
                None => (None, None),
            },
            None => (None, None),
        };
        let points = match (points, percent) {
            (Some(p), _) => Some(p),
            (None, Some(p)) => whole_points(p),
            (None, None) => stage.and_then(|s| self.stage_points.get(s).copied().flatten()),
        };
        if let Some(w) =
            points.and_then(|p| hundredths(minor.checked_mul(i128::from(p))?, rounding))
        {
            return Ok(w);
        }
        let probability = percent.unwrap_or_else(default);
        let exact = Money::from_minor(minor, self.currency)
            .and_then(|m| probability.of(m))
            .and_then(|w| w.round(rounding).to_minor());
        exact.map_err(|source| {
            let position = self
                .owner_id(row)
                .unwrap_or_else(|_| PositionId::from(0_u64));
            RollupError::Amount { position, source }.into()
        })
    }

    /// The owner's position id at `row`.
    fn owner_id(&self, row: usize) -> Result<PositionId, IdError> {
        match self.columns.owners.get(row).map(ColumnId::column_key) {
            Some(IdKey::Int(n)) => Ok(PositionId::from(n)),
            Some(IdKey::Text(t)) => PositionId::new(t),
            Some(IdKey::Negative(n)) => Err(IdError::negative(PositionId::KIND, n)),
            _ => PositionId::new(""),
        }
    }

    /// The error for row `row`, whose owner is not in `snapshot`.
    #[cold]
    fn owner_error(&self, snapshot: &OrgSnapshot, row: usize) -> PipelineError {
        match self.owner_id(row) {
            Ok(position) => row_error(&self.columns, row, |opportunity| {
                PipelineError::OwnerNotInOrg {
                    opportunity,
                    owner: Owner::Position(position),
                    date: snapshot.date(),
                }
            }),
            Err(source) => PipelineError::ColumnId {
                column: "owners",
                row,
                source,
            },
        }
    }
}

/// The days counted, `lo <= day < hi`, and how weighted amounts round.
#[derive(Debug, Clone, Copy)]
struct Window {
    lo: i32,
    hi: i32,
    rounding: RoundingPolicy,
}

/// One row's part of its owner's tally.
#[derive(Debug, Clone, Copy)]
enum Part {
    /// Open, expected to close in the period: its amount and weighted
    /// amount, in its category.
    Open {
        minor: i128,
        weighted: i128,
        category: ForecastCategory,
    },
    /// Won in the period, for that much.
    Won(i128),
    /// Lost in the period, for that much.
    Lost(i128),
}

impl Part {
    /// Adds the part to `tally`; `None` on overflow.
    #[inline]
    fn add_to(self, tally: &mut Tally) -> Option<()> {
        match self {
            Part::Open {
                minor,
                weighted,
                category,
            } => {
                tally.open = tally.open.checked_add(minor)?;
                tally.weighted = tally.weighted.checked_add(weighted)?;
                tally.open_count = tally.open_count.checked_add(1)?;
                let slot = tally.categories.get_mut(category.index())?;
                *slot = slot.checked_add(minor)?;
            }
            Part::Won(minor) => {
                tally.won = tally.won.checked_add(minor)?;
                tally.won_count = tally.won_count.checked_add(1)?;
            }
            Part::Lost(minor) => {
                tally.lost = tally.lost.checked_add(minor)?;
                tally.lost_count = tally.lost_count.checked_add(1)?;
            }
        }
        Some(())
    }
}

/// Every column as long as the ids.
fn check_lengths<K, O>(c: &OpportunityColumns<'_, K, O>) -> Result<(), PipelineError> {
    let optional = [
        ("created", c.created.map(<[i32]>::len)),
        ("probabilities", c.probabilities.map(|p| p.len())),
        ("categories", c.categories.map(<[ForecastCategory]>::len)),
        ("outcomes", c.outcomes.map(<[Option<Outcome>]>::len)),
        ("closed_days", c.closed_days.map(<[i32]>::len)),
        ("closed_amounts", c.closed_amounts.map(<[i64]>::len)),
    ];
    let required = [
        ("owners", Some(c.owners.len())),
        ("stages", Some(c.stages.len())),
        ("amounts", Some(c.amounts.len())),
        ("expected_close", Some(c.expected_close.len())),
    ];
    let expected = c.ids.len();
    for (column, found) in required.into_iter().chain(optional) {
        if let Some(found) = found
            && found != expected
        {
            return Err(PipelineError::ColumnLength {
                column,
                expected,
                found,
            });
        }
    }
    Ok(())
}

/// An id column's value checked as the row API's id type checks it.
fn check_id(
    key: Option<IdKey<'_>>,
    column: &'static str,
    row: usize,
    kind: &'static str,
    text: impl Fn(&str) -> Result<(), IdError>,
) -> Result<(), PipelineError> {
    let checked = match key {
        Some(IdKey::Int(_)) => Ok(()),
        Some(IdKey::Negative(n)) => Err(IdError::negative(kind, n)),
        Some(IdKey::Text(t)) => text(t),
        _ => text(""),
    };
    checked.map_err(|source| PipelineError::ColumnId {
        column,
        row,
        source,
    })
}

/// The id of the opportunity at `row` (checked before any row error).
fn opportunity_id<K: ColumnId, O>(c: &OpportunityColumns<'_, K, O>, row: usize) -> OpportunityId {
    let fallback = || OpportunityId::from(0_u64);
    match c.ids.get(row).map(ColumnId::column_key) {
        Some(IdKey::Int(n)) => OpportunityId::from(n),
        Some(IdKey::Text(t)) => OpportunityId::new(t).unwrap_or_else(|_| fallback()),
        _ => fallback(),
    }
}

/// The row API's error for the opportunity at `row`, with the row.
#[cold]
fn row_error<K: ColumnId, O>(
    c: &OpportunityColumns<'_, K, O>,
    row: usize,
    error: impl FnOnce(OpportunityId) -> PipelineError,
) -> PipelineError {
    PipelineError::Row {
        row,
        source: Box::new(error(opportunity_id(c, row))),
    }
}

/// The row of the first id given before.
fn first_repeated_id<K: ColumnId>(ids: &[K]) -> Option<usize> {
    /// An id as hashed: every row of a column is checked before, so
    /// negative integers do not occur.
    #[derive(PartialEq, Eq, Hash)]
    enum Key<'a> {
        Int(u64),
        Text(&'a str),
        Other,
    }
    let key = |k: &'_ K| match k.column_key() {
        IdKey::Int(n) => Some(n),
        _ => None,
    };
    if ids.iter().all(|k| key(k).is_some()) {
        return first_repeat_int(ids.iter().map(|k| key(k).unwrap_or_default()));
    }
    first_repeat(ids.iter().map(|k| match k.column_key() {
        IdKey::Int(n) => Key::Int(n),
        IdKey::Text(t) => Key::Text(t),
        IdKey::Negative(_) => Key::Other,
    }))
}

/// The date of day number `d` of column `name` at `row`.
fn day(d: i32, name: &'static str, row: usize) -> Result<NaiveDate, PipelineError> {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .zip(chrono::TimeDelta::try_days(i64::from(d)))
        .and_then(|(epoch, days)| epoch.checked_add_signed(days))
        .ok_or(PipelineError::DayOutOfRange {
            column: name,
            row,
            day: d,
        })
}

/// Days from 1970-01-01 to `date` (every `NaiveDate` is within `i32`
/// days of it).
fn day_number(date: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(NaiveDate::MIN);
    let days = date.signed_duration_since(epoch).num_days();
    i32::try_from(days).unwrap_or(if days < 0 { i32::MIN } else { i32::MAX })
}

/// `p` in whole percentage points, when it is a whole number of them.
fn whole_points(p: Percent) -> Option<u8> {
    let points = p.fraction().checked_mul(Decimal::ONE_HUNDRED)?.normalize();
    if points.scale() != 0 {
        return None;
    }
    u8::try_from(points.mantissa()).ok()
}

/// `x / 100` rounded by `policy`, for `x >= 0` (`None` otherwise).
fn hundredths(x: i128, policy: RoundingPolicy) -> Option<i128> {
    if x < 0 {
        return None;
    }
    let (q, r) = (x.checked_div(100)?, x.checked_rem(100)?);
    let up = match policy {
        RoundingPolicy::HalfAwayFromZero => r >= 50,
        RoundingPolicy::HalfEven => r > 50 || r == 50 && q.checked_rem(2) == Some(1),
        RoundingPolicy::TowardZero | RoundingPolicy::Floor => false,
        RoundingPolicy::AwayFromZero | RoundingPolicy::Ceiling => r > 0,
    };
    q.checked_add(i128::from(up))
}

/// The error for a total at `node` that overflowed.
#[cold]
fn overflow(snapshot: &OrgSnapshot, node: u32) -> PipelineError {
    let position = snapshot
        .node_at_raw(node)
        .map_or_else(|| snapshot.root().id().clone(), |n| n.id().clone());
    RollupError::Overflow { position }.into()
}
