//! Weighted pipeline per node, through the roll-up engine.

use std::collections::HashMap;

use super::book::Pipeline;
use super::error::PipelineError;
use super::opportunity::{ForecastCategory, Opportunity, Outcome, Owner};
use crate::calendar::Period;
use crate::execution::Execution;
use crate::ids::{PersonId, PositionId};
use crate::money::{Currency, Money, MoneyError, RoundingPolicy};
use crate::org::OrgSnapshot;
use crate::rollup::{Aggregate, NodeRef, NodeValues, Overflow, RollupError, Scatter};

/// What [`Pipeline::roll_up`] counts: the period, how a weighted amount is
/// rounded, how to run. With the `serde` feature it reads and writes as its
/// `period` and `rounding` (half away from zero unless given); how it runs
/// is not data: it reads back sequential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct PipelineOptions {
    period: Period,
    #[cfg_attr(feature = "serde", serde(default))]
    rounding: RoundingPolicy,
    /// How the work runs, not what it computes: never written, and
    /// sequential when read.
    #[cfg_attr(feature = "serde", serde(skip))]
    execution: Execution,
}

impl PipelineOptions {
    /// Opportunities expected to close (open) or closed within `period`;
    /// weighted amounts rounded half away from zero; sequential.
    pub const fn new(period: Period) -> PipelineOptions {
        PipelineOptions {
            period,
            rounding: RoundingPolicy::HalfAwayFromZero,
            execution: Execution::Sequential,
        }
    }

    /// How each opportunity's weighted amount is rounded to minor units.
    #[must_use]
    pub const fn rounding(mut self, rounding: RoundingPolicy) -> PipelineOptions {
        self.rounding = rounding;
        self
    }

    /// How to run the scatter; the result is the same either way.
    #[must_use]
    pub const fn execution(mut self, execution: Execution) -> PipelineOptions {
        self.execution = execution;
        self
    }

    /// The period counted.
    pub const fn period(&self) -> Period {
        self.period
    }

    /// How each weighted amount is rounded.
    pub(super) const fn rounding_policy(&self) -> RoundingPolicy {
        self.rounding
    }

    /// How the work runs.
    pub(super) const fn execution_mode(&self) -> Execution {
        self.execution
    }
}

/// One node's (or one opportunity's) counts, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Tally {
    pub(super) open: i128,
    pub(super) weighted: i128,
    pub(super) open_count: u64,
    pub(super) categories: [i128; 4],
    pub(super) won: i128,
    pub(super) won_count: u64,
    pub(super) lost: i128,
    pub(super) lost_count: u64,
}

impl Aggregate for Tally {
    fn empty() -> Tally {
        Tally::default()
    }

    fn merge(&mut self, other: &Tally) -> Result<(), Overflow> {
        self.open.merge(&other.open)?;
        self.weighted.merge(&other.weighted)?;
        self.open_count.merge(&other.open_count)?;
        self.categories.merge(&other.categories)?;
        self.won.merge(&other.won)?;
        self.won_count.merge(&other.won_count)?;
        self.lost.merge(&other.lost)?;
        self.lost_count.merge(&other.lost_count)
    }
}

/// One opportunity's part of its owner's tally for `options`' period, or
/// `None` when it does not fall in the period.
fn tally_of(
    opp: &Opportunity,
    probability: crate::money::Percent,
    options: &PipelineOptions,
) -> Result<Option<Tally>, MoneyError> {
    let mut t = Tally::default();
    match opp.closed() {
        Some(closed) if options.period.contains(closed.date()) => {
            let minor = closed.amount().to_minor()?;
            match closed.outcome() {
                Outcome::Won => (t.won, t.won_count) = (minor, 1),
                Outcome::Lost => (t.lost, t.lost_count) = (minor, 1),
            }
        }
        None if options.period.contains(opp.expected_close()) => {
            let minor = opp.amount().to_minor()?;
            t.open = minor;
            t.open_count = 1;
            t.weighted = probability
                .of(opp.amount())?
                .round(options.rounding)
                .to_minor()?;
            if let Some(slot) = t.categories.get_mut(opp.category().index()) {
                *slot = minor;
            }
        }
        _ => return Ok(None),
    }
    Ok(Some(t))
}

/// An opportunity's figures, in money: the open amount and its weighted
/// value, the open amount in each forecast category, and what closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct PipelineFigures {
    open: Money,
    weighted: Money,
    open_count: u64,
    categories: [Money; 4],
    won: Money,
    won_count: u64,
    lost: Money,
    lost_count: u64,
}

impl PipelineFigures {
    pub(super) fn of(
        tally: &Tally,
        currency: Currency,
        position: &PositionId,
    ) -> Result<Self, PipelineError> {
        let money = |minor: i128| {
            Money::from_minor(minor, currency).map_err(|source| PipelineError::Figure {
                position: position.clone(),
                source,
            })
        };
        let [c, b, p, o] = tally.categories;
        Ok(PipelineFigures {
            open: money(tally.open)?,
            weighted: money(tally.weighted)?,
            open_count: tally.open_count,
            categories: [money(c)?, money(b)?, money(p)?, money(o)?],
            won: money(tally.won)?,
            won_count: tally.won_count,
            lost: money(tally.lost)?,
            lost_count: tally.lost_count,
        })
    }

    /// Every figure zero.
    pub(super) const fn zero(currency: Currency) -> PipelineFigures {
        let zero = Money::zero(currency);
        PipelineFigures {
            open: zero,
            weighted: zero,
            open_count: 0,
            categories: [zero; 4],
            won: zero,
            won_count: 0,
            lost: zero,
            lost_count: 0,
        }
    }

    /// The amount of open opportunities expected to close in the period.
    pub const fn open(&self) -> Money {
        self.open
    }

    /// Their weighted amount: each amount × its probability, rounded once
    /// per opportunity to minor units, then summed exactly.
    pub const fn weighted(&self) -> Money {
        self.weighted
    }

    /// How many open opportunities.
    pub const fn open_count(&self) -> u64 {
        self.open_count
    }

    /// The open amount in one forecast category.
    pub const fn category(&self, category: ForecastCategory) -> Money {
        let [commit, best_case, pipeline, omitted] = self.categories;
        match category {
            ForecastCategory::Commit => commit,
            ForecastCategory::BestCase => best_case,
            ForecastCategory::Pipeline => pipeline,
            ForecastCategory::Omitted => omitted,
        }
    }

    /// The amount won in the period.
    pub const fn won(&self) -> Money {
        self.won
    }

    /// How many opportunities were won in the period.
    pub const fn won_count(&self) -> u64 {
        self.won_count
    }

    /// The amount lost in the period.
    pub const fn lost(&self) -> Money {
        self.lost
    }

    /// How many opportunities were lost in the period.
    pub const fn lost_count(&self) -> u64 {
        self.lost_count
    }
}

/// Pipeline figures of every node of one snapshot for one period: each
/// position's own opportunities, and its whole subtree's.
#[derive(Debug)]
pub struct PipelineRollup<'s> {
    pub(super) snapshot: &'s OrgSnapshot,
    pub(super) currency: Currency,
    pub(super) period: Period,
    pub(super) own: Vec<Tally>,
    pub(super) subtree: Vec<Tally>,
}

impl Pipeline {
    /// Rolls the pipeline up `snapshot` for `options`' period: every open
    /// opportunity expected to close in the period, and every opportunity
    /// closed in it, is counted at its owner's position and at every
    /// manager above.
    ///
    /// # Errors
    ///
    /// [`PipelineError::OwnerNotInOrg`] for an owner with no position in
    /// the snapshot; [`PipelineError::AmbiguousOwner`] for a person who
    /// holds two; [`PipelineError::Rollup`] for a total that overflows.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::calendar::DateRange;
    /// use salesplan::org::{Org, Position, ReportingLine, Role};
    /// use salesplan::pipeline::{ForecastCategory, Opportunity, OpportunityId, Owner, Pipeline, PipelineOptions, Stage, Stages};
    /// use salesplan::{Currency, Money, Percent, Period, PositionId};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let pos = |s: &str| PositionId::new(s).unwrap();
    /// let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
    /// let always = DateRange::starting(d(1, 1));
    /// let org = Org::builder()
    ///     .position(Position::new(pos("mgr"), Role::TeamLead))
    ///     .positions(["r1", "r2"].map(|p| Position::new(pos(p), Role::SalesRep)))
    ///     .line(ReportingLine::top(pos("mgr"), always))
    ///     .lines(["r1", "r2"].map(|p| ReportingLine::new(pos(p), pos("mgr"), always)))
    ///     .build()?;
    /// let snapshot = org.as_of(d(3, 31))?;
    /// let p = |s: &str| s.parse::<Percent>().unwrap();
    /// let stages = Stages::new(vec![Stage::new("qualify", p("10%"))?, Stage::new("proposal", p("60%"))?])?;
    /// let opp = |id: &str, rep: &str, stage: &str, amount: &str| {
    ///     Opportunity::builder(OpportunityId::new(id).unwrap(), Owner::Position(pos(rep)), stage, usd(amount), d(1, 5), d(3, 15))
    /// };
    /// let pipeline = Pipeline::new(Currency::USD, stages, vec![
    ///     opp("o1", "r1", "proposal", "10000.00").category(ForecastCategory::Commit).build()?,
    ///     opp("o2", "r2", "qualify", "5000.00").build()?,
    ///     opp("o3", "r2", "qualify", "333.33").probability(p("33.3%")).build()?,
    /// ])?;
    /// let q1 = Period::new(d(1, 1), d(4, 1))?;
    /// let totals = pipeline.roll_up(&snapshot, PipelineOptions::new(q1))?;
    /// let team = totals.subtree(&pos("mgr"))?;
    /// assert_eq!(team.open(), usd("15333.33"));
    /// // 6000 + 500 + 111.00 (333.33 × 33.3% = 110.99889, rounded once).
    /// assert_eq!(team.weighted(), usd("6611.00"));
    /// assert_eq!(team.category(ForecastCategory::Commit), usd("10000.00"));
    /// assert_eq!(totals.own(&pos("mgr"))?.open(), usd("0.00"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn roll_up<'s>(
        &self,
        snapshot: &'s OrgSnapshot,
        options: PipelineOptions,
    ) -> Result<PipelineRollup<'s>, PipelineError> {
        let seats = self.person_seats(snapshot)?;
        let items: Vec<usize> = (0..self.opportunities().len()).collect();
        let unreachable = || RollupError::SnapshotMismatch {
            expected: snapshot.len(),
            found: 0,
        };
        let scattered = Scatter::new(snapshot)
            .execution(options.execution)
            .run(&items, |&i| {
                let opp = self.opportunities().get(i).ok_or_else(unreachable)?;
                let probability = self.probability(i).ok_or_else(unreachable)?;
                let position = match opp.owner() {
                    Owner::Position(p) => p,
                    // Every person was found by `person_seats`.
                    Owner::Person(p) => seats.get(p).copied().ok_or_else(unreachable)?,
                };
                let tally =
                    tally_of(opp, probability, &options).map_err(|source| RollupError::Amount {
                        position: position.clone(),
                        source,
                    })?;
                Ok(tally.map(|t| (position.clone(), t)))
            })
            .map_err(|e| self.owner_error(e))?;
        let own = scattered.into_vec();
        let mut values = own.iter().copied();
        let subtree = NodeValues::from_fn(snapshot, |_| values.next().unwrap_or_default())
            .roll_up()?
            .into_vec();
        Ok(PipelineRollup {
            snapshot,
            currency: self.currency(),
            period: options.period,
            own,
            subtree,
        })
    }

    /// The position each person owning an opportunity holds in `snapshot`.
    pub(super) fn person_seats<'s>(
        &self,
        snapshot: &'s OrgSnapshot,
    ) -> Result<HashMap<&'s PersonId, &'s PositionId>, PipelineError> {
        let mut seats = HashMap::new();
        let people = self.opportunities().iter().filter_map(|o| match o.owner() {
            Owner::Person(p) => Some((o, p)),
            Owner::Position(_) => None,
        });
        let mut people = people.peekable();
        if people.peek().is_none() {
            return Ok(seats);
        }
        let mut twice: HashMap<&PersonId, (&PositionId, &PositionId)> = HashMap::new();
        for node in snapshot.nodes() {
            if let Some(person) = node.holder()
                && let Some(first) = seats.insert(person, node.id())
            {
                twice.entry(person).or_insert((first, node.id()));
            }
        }
        for (opp, person) in people {
            if let Some((first, second)) = twice.get(person) {
                return Err(PipelineError::AmbiguousOwner {
                    opportunity: opp.id().clone(),
                    person: person.clone(),
                    positions: Box::new(((*first).clone(), (*second).clone())),
                });
            }
            if !seats.contains_key(person) {
                return Err(PipelineError::OwnerNotInOrg {
                    opportunity: opp.id().clone(),
                    owner: opp.owner().clone(),
                    date: snapshot.date(),
                });
            }
        }
        Ok(seats)
    }

    /// Names the opportunity behind a position not in the snapshot.
    #[cold]
    pub(super) fn owner_error(&self, error: RollupError) -> PipelineError {
        if let RollupError::UnknownPosition { position, date } = &error {
            let owner = Owner::Position(position.clone());
            if let Some(opp) = self.opportunities().iter().find(|o| *o.owner() == owner) {
                return PipelineError::OwnerNotInOrg {
                    opportunity: opp.id().clone(),
                    owner,
                    date: *date,
                };
            }
        }
        error.into()
    }
}

impl<'s> PipelineRollup<'s> {
    /// The snapshot rolled up.
    pub fn snapshot(&self) -> &'s OrgSnapshot {
        self.snapshot
    }

    /// The currency of every figure.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The period counted.
    pub const fn period(&self) -> Period {
        self.period
    }

    /// The figures of the node's own opportunities (a rep's, or a
    /// manager's own deals).
    ///
    /// # Errors
    ///
    /// [`PipelineError::Rollup`] for a node of another snapshot or a
    /// position not in it; [`PipelineError::Figure`] for a total beyond a
    /// `Decimal`.
    pub fn own(&self, node: impl NodeRef) -> Result<PipelineFigures, PipelineError> {
        self.figures(&self.own, node)
    }

    /// The figures of the node's whole subtree, its own included.
    ///
    /// # Errors
    ///
    /// As [`own`](Self::own).
    pub fn subtree(&self, node: impl NodeRef) -> Result<PipelineFigures, PipelineError> {
        self.figures(&self.subtree, node)
    }

    fn figures(&self, of: &[Tally], node: impl NodeRef) -> Result<PipelineFigures, PipelineError> {
        let slot = node.locate(self.snapshot)?;
        let (tally, position) = self.at(of, slot)?;
        PipelineFigures::of(tally, self.currency, position)
    }

    /// The tally at `slot` and its position.
    pub(super) fn at<'a>(
        &'a self,
        of: &'a [Tally],
        slot: usize,
    ) -> Result<(&'a Tally, &'s PositionId), PipelineError> {
        let position = u32::try_from(slot)
            .ok()
            .and_then(|ix| self.snapshot.node_at_raw(ix))
            .map(|n| n.id());
        match (of.get(slot), position) {
            (Some(t), Some(p)) => Ok((t, p)),
            _ => Err(RollupError::NodeOutOfRange { index: slot }.into()),
        }
    }
}
