//! Stage-to-stage conversion from the funnel.

use rust_decimal::Decimal;

use super::book::Pipeline;
use super::error::PipelineError;
use super::opportunity::{Opportunity, Outcome, Owner};
use crate::calendar::Period;
use crate::execution::Execution;
use crate::org::OrgSnapshot;
use crate::rollup::{Aggregate, NodeValues, Overflow, RollupError, Scatter};

/// How many opportunities reached each stage, and how many were won and
/// lost.
///
/// The rule: an opportunity has reached its own stage and every stage
/// before it (a deal that skipped a stage is counted as having passed
/// it); a won opportunity has reached every stage. So
/// `reached(k + 1) ≤ reached(k)`, and every rate below is in `[0, 1]`.
/// Open opportunities count at the stage they are at: a young cohort
/// converts less than it will; hand in only closed ones (or filter by
/// creation date) for a settled cohort.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Funnel {
    names: Vec<String>,
    reached: Vec<u64>,
    won: u64,
    lost: u64,
}

/// Counts in progress (merged up the org).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Counts {
    reached: Vec<u64>,
    won: u64,
    lost: u64,
}

impl Aggregate for Counts {
    fn empty() -> Counts {
        Counts::default()
    }

    fn merge(&mut self, other: &Counts) -> Result<(), Overflow> {
        if self.reached.len() < other.reached.len() {
            self.reached.resize(other.reached.len(), 0);
        }
        for (a, b) in self.reached.iter_mut().zip(&other.reached) {
            a.merge(b)?;
        }
        self.won.merge(&other.won)?;
        self.lost.merge(&other.lost)
    }
}

impl Counts {
    /// One opportunity at stage `stage` of `stages`.
    fn of(opp: &Opportunity, stage: usize, stages: usize) -> Counts {
        let outcome = opp.closed().map(|c| c.outcome());
        let reached = match outcome {
            Some(Outcome::Won) => stages,
            _ => stage.checked_add(1).unwrap_or(stages).min(stages),
        };
        let mut counts = vec![0; stages];
        for slot in counts.iter_mut().take(reached) {
            *slot = 1;
        }
        Counts {
            reached: counts,
            won: u64::from(outcome == Some(Outcome::Won)),
            lost: u64::from(outcome == Some(Outcome::Lost)),
        }
    }
}

/// From one stage to the next (or to a win, from the last stage).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Conversion {
    from: String,
    to: Option<String>,
    entered: u64,
    advanced: u64,
    rate: Option<Decimal>,
    win_rate: Option<Decimal>,
}

impl Conversion {
    /// The stage converted from.
    pub fn from(&self) -> &str {
        &self.from
    }

    /// The next stage; `None` from the last stage, whose next step is a win.
    pub fn to(&self) -> Option<&str> {
        self.to.as_deref()
    }

    /// How many reached the stage.
    pub const fn entered(&self) -> u64 {
        self.entered
    }

    /// How many of them reached the next stage (or, from the last, won).
    pub const fn advanced(&self) -> u64 {
        self.advanced
    }

    /// `advanced / entered`, in `[0, 1]`; `None` when none entered.
    pub const fn rate(&self) -> Option<Decimal> {
        self.rate
    }

    /// `won / entered`: how many that reached this stage were won, in
    /// `[0, 1]`; `None` when none entered.
    pub const fn win_rate(&self) -> Option<Decimal> {
        self.win_rate
    }
}

fn ratio(part: u64, whole: u64) -> Option<Decimal> {
    Decimal::from(part)
        .checked_div(Decimal::from(whole))
        .map(|r| r.normalize())
}

impl Funnel {
    fn new(pipeline: &Pipeline, counts: Counts) -> Funnel {
        let names: Vec<String> = pipeline
            .stages()
            .iter()
            .map(|s| s.name().to_owned())
            .collect();
        let mut reached = counts.reached;
        reached.resize(names.len(), 0);
        Funnel {
            names,
            reached,
            won: counts.won,
            lost: counts.lost,
        }
    }

    /// How many opportunities reached stage `index` (0 is the first).
    pub fn reached(&self, index: usize) -> Option<u64> {
        self.reached.get(index).copied()
    }

    /// How many were won.
    pub const fn won(&self) -> u64 {
        self.won
    }

    /// How many were lost.
    pub const fn lost(&self) -> u64 {
        self.lost
    }

    /// Every stage's conversion to the next, in stage order; the last
    /// stage's is to a win.
    pub fn conversions(&self) -> Vec<Conversion> {
        let next = self.reached.iter().skip(1).map(Some).chain([None]);
        self.names
            .iter()
            .zip(&self.reached)
            .zip(next)
            .enumerate()
            .map(|(k, ((name, &entered), next))| {
                let advanced = next.copied().unwrap_or(self.won);
                Conversion {
                    from: name.clone(),
                    to: k.checked_add(1).and_then(|n| self.names.get(n)).cloned(),
                    entered,
                    advanced,
                    rate: ratio(advanced, entered),
                    win_rate: ratio(self.won, entered),
                }
            })
            .collect()
    }
}

impl Pipeline {
    /// The funnel of the whole pipeline: opportunities created in
    /// `created_in` (every one with `None`).
    ///
    /// # Errors
    ///
    /// [`PipelineError::Rollup`] only for a count that overflows.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::pipeline::{Closed, Opportunity, OpportunityId, Owner, Pipeline, Stage, Stages};
    /// use salesplan::{Currency, Money, Percent, PositionId};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let usd = Money::parse("100.00", Currency::USD)?;
    /// let p = |s: &str| s.parse::<Percent>().unwrap();
    /// let stages = Stages::new(vec![Stage::new("qualify", p("10%"))?, Stage::new("proposal", p("50%"))?])?;
    /// let opp = |id: &str, stage: &str, closed: Option<Closed>| {
    ///     let b = Opportunity::builder(OpportunityId::new(id).unwrap(), Owner::Position(PositionId::new("rep").unwrap()), stage, usd, d(1, 1), d(3, 1));
    ///     match closed { Some(c) => b.closed(c), None => b }.build()
    /// };
    /// let pipeline = Pipeline::new(Currency::USD, stages, vec![
    ///     opp("a", "qualify", Some(Closed::lost(d(2, 1), usd)))?,
    ///     opp("b", "qualify", None)?,
    ///     opp("c", "proposal", None)?,
    ///     opp("d", "proposal", Some(Closed::won(d(2, 1), usd)))?,
    /// ])?;
    /// let steps = pipeline.funnel(None)?.conversions();
    /// // 4 reached qualify, 2 of them proposal; 1 of those 2 won.
    /// assert_eq!((steps[0].entered(), steps[0].advanced()), (4, 2));
    /// assert_eq!(steps[0].rate().map(|r| r.to_string()).as_deref(), Some("0.5"));
    /// assert_eq!(steps[1].to(), None);
    /// assert_eq!(steps[1].win_rate().map(|r| r.to_string()).as_deref(), Some("0.5"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn funnel(&self, created_in: Option<Period>) -> Result<Funnel, PipelineError> {
        let mut total = Counts::empty();
        for (i, opp) in self.opportunities().iter().enumerate() {
            if created_in.is_some_and(|p| !p.contains(opp.created())) {
                continue;
            }
            let stage = self.stage_index(i).ok_or(PipelineError::Rollup {
                source: Box::new(RollupError::NodeOutOfRange { index: i }),
            })?;
            total
                .merge(&Counts::of(opp, stage, self.stages().len()))
                .map_err(|Overflow| PipelineError::FunnelOverflow {
                    opportunity: opp.id().clone(),
                })?;
        }
        Ok(Funnel::new(self, total))
    }

    /// The funnel of every node's subtree: each opportunity created in
    /// `created_in` (every one with `None`) counts at its owner's position
    /// and every manager above.
    ///
    /// # Errors
    ///
    /// As [`Pipeline::roll_up`].
    pub fn funnels<'s>(
        &self,
        snapshot: &'s OrgSnapshot,
        created_in: Option<Period>,
        execution: Execution,
    ) -> Result<NodeValues<'s, Funnel>, PipelineError> {
        let seats = self.person_seats(snapshot)?;
        let items: Vec<usize> = (0..self.opportunities().len()).collect();
        let stages = self.stages().len();
        let unreachable = || RollupError::SnapshotMismatch {
            expected: snapshot.len(),
            found: 0,
        };
        let own = Scatter::new(snapshot)
            .execution(execution)
            .run(&items, |&i| {
                let opp = self.opportunities().get(i).ok_or_else(unreachable)?;
                if created_in.is_some_and(|p| !p.contains(opp.created())) {
                    return Ok(None);
                }
                let position = match opp.owner() {
                    Owner::Position(p) => p,
                    Owner::Person(p) => seats.get(p).copied().ok_or_else(unreachable)?,
                };
                let stage = self.stage_index(i).ok_or_else(unreachable)?;
                Ok(Some((position.clone(), Counts::of(opp, stage, stages))))
            })
            .map_err(|e| self.owner_error(e))?;
        let subtree = own.roll_up()?.into_vec();
        let mut all = subtree.into_iter();
        Ok(NodeValues::from_fn(snapshot, |_| {
            Funnel::new(self, all.next().unwrap_or_default())
        }))
    }
}
