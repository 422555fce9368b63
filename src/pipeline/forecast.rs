//! Coverage of the remaining quota, forecast calls beside the team's, and
//! forecast accuracy.

use rust_decimal::Decimal;

use super::error::PipelineError;
use super::totals::{PipelineFigures, PipelineRollup};
use crate::activity::Ratio;
use crate::ids::PositionId;
use crate::money::{ArithOp, Money, MoneyError};
use crate::rollup::{MoneyRollup, NodeRef, NodeValues, RollupError};

/// How far the open pipeline covers what is left of a quota.
///
/// `remaining = quota − attained`; `ratio = open / remaining` and
/// `weighted_ratio = weighted / remaining`, exact to 28 decimal places and
/// normalized (1
/// is 100%, usually read as "1×" coverage). When nothing remains (the
/// quota is met or exceeded, `remaining ≤ 0`) there is no ratio: both are
/// `None`, and `remaining` says by how much the quota was passed.
///
/// The **projected attainment** ([`Coverage::projected`]) is
/// `(attained + weighted) / quota`: where the node ends the period if
/// the weighted pipeline closes as weighted. It is the forecast's answer to
/// the status bands, beside the run rate's: read a status from it with
/// [`StatusBands::band`](crate::perf::StatusBands::band), and take the worse
/// of that and the run-rate band (`bands.band(&pace).min(bands.band(&projected))`)
/// for a status that uses both. A zero quota gives
/// [`Ratio::ZeroDenominator`], which the bands read as on track.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct Coverage {
    open: Money,
    weighted: Money,
    remaining: Money,
    ratio: Option<Decimal>,
    weighted_ratio: Option<Decimal>,
    projected: Ratio,
}

impl Coverage {
    /// Coverage of `quota − attained` by `open` (and `weighted`) pipeline.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] for figures in two currencies;
    /// [`MoneyError::Overflow`] beyond a `Decimal`.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::pipeline::Coverage;
    /// use salesplan::{Currency, Money};
    ///
    /// let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
    /// let c = Coverage::of(usd("90000"), usd("30000"), usd("100000"), usd("70000"))?;
    /// assert_eq!(c.remaining(), usd("30000"));
    /// assert_eq!(c.ratio().map(|r| r.to_string()).as_deref(), Some("3"));
    /// assert_eq!(c.weighted_ratio().map(|r| r.to_string()).as_deref(), Some("1"));
    /// // Where it ends if the weighted pipeline closes: (70000 + 30000) / 100000.
    /// assert_eq!(c.projected().value().map(|r| r.to_string()).as_deref(), Some("1"));
    /// // Quota met: nothing left to cover, no ratio.
    /// let met = Coverage::of(usd("90000"), usd("30000"), usd("100000"), usd("120000"))?;
    /// assert_eq!((met.ratio(), met.remaining()), (None, usd("-20000")));
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    pub fn of(
        open: Money,
        weighted: Money,
        quota: Money,
        attained: Money,
    ) -> Result<Coverage, MoneyError> {
        let remaining = quota.checked_sub(attained)?;
        let (ratio, weighted_ratio) = if remaining.is_positive() {
            (
                Some(open.ratio_to(remaining)?.normalize()),
                Some(weighted.ratio_to(remaining)?.normalize()),
            )
        } else {
            // Currencies are still checked when there is nothing to divide.
            open.checked_add(weighted)?.compare(&remaining)?;
            (None, None)
        };
        let projected = match Ratio::of(attained.checked_add(weighted)?.amount(), quota.amount())? {
            Ratio::Value(v) => Ratio::Value(v.normalize()),
            other => other,
        };
        Ok(Coverage {
            open,
            weighted,
            remaining,
            ratio,
            weighted_ratio,
            projected,
        })
    }

    /// The projected attainment, `(attained + weighted) / quota` (1 is
    /// 100%): what the status bands read for a status from the forecast.
    pub const fn projected(&self) -> Ratio {
        self.projected
    }

    /// The open pipeline.
    pub const fn open(&self) -> Money {
        self.open
    }

    /// The weighted pipeline.
    pub const fn weighted(&self) -> Money {
        self.weighted
    }

    /// `quota − attained`; zero or negative when the quota is met.
    pub const fn remaining(&self) -> Money {
        self.remaining
    }

    /// `open / remaining`; `None` when nothing remains.
    pub const fn ratio(&self) -> Option<Decimal> {
        self.ratio
    }

    /// `weighted / remaining`; `None` when nothing remains.
    pub const fn weighted_ratio(&self) -> Option<Decimal> {
        self.weighted_ratio
    }
}

/// How close a forecast came to what closed.
///
/// `error = forecast − actual` (positive: over-forecast);
/// `accuracy = 1 − |error| / actual`, exact to 28 decimal places: 1 is a
/// perfect call, 0.9 a call 10% off either way, and it goes below zero
/// for a call off by more than what closed. With nothing closed
/// (`actual ≤ 0`) there is no accuracy (`None`); the error still says by
/// how much the call missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct ForecastAccuracy {
    forecast: Money,
    actual: Money,
    error: Money,
    accuracy: Option<Decimal>,
}

impl ForecastAccuracy {
    /// The accuracy of `forecast` against `actual`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`]; [`MoneyError::Overflow`].
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::pipeline::ForecastAccuracy;
    /// use salesplan::{Currency, Money};
    ///
    /// let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
    /// let a = ForecastAccuracy::of(usd("110000"), usd("100000"))?;
    /// assert_eq!(a.error(), usd("10000"));
    /// assert_eq!(a.accuracy().map(|r| r.to_string()).as_deref(), Some("0.9"));
    /// assert_eq!(ForecastAccuracy::of(usd("5"), usd("0"))?.accuracy(), None);
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    pub fn of(forecast: Money, actual: Money) -> Result<ForecastAccuracy, MoneyError> {
        let error = forecast.checked_sub(actual)?;
        let accuracy = if actual.is_positive() {
            let miss = error.abs().ratio_to(actual)?;
            Some(
                Decimal::ONE
                    .checked_sub(miss)
                    .ok_or(MoneyError::Overflow {
                        op: ArithOp::Sub,
                        left: Decimal::ONE,
                        right: miss,
                    })?
                    .normalize(),
            )
        } else {
            None
        };
        Ok(ForecastAccuracy {
            forecast,
            actual,
            error,
            accuracy,
        })
    }

    /// The forecast.
    pub const fn forecast(&self) -> Money {
        self.forecast
    }

    /// What closed.
    pub const fn actual(&self) -> Money {
        self.actual
    }

    /// `forecast − actual`.
    pub const fn error(&self) -> Money {
        self.error
    }

    /// `1 − |error| / actual`; `None` when nothing closed.
    pub const fn accuracy(&self) -> Option<Decimal> {
        self.accuracy
    }
}

/// A position's own call for the period: what it commits to close, and
/// its best case. `0 ≤ commit ≤ best case`, in one currency, in whole
/// minor units.
///
/// As JSON: `{"position": "mgr", "commit": "50000.00 USD", "best_case": "80000.00 USD"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawForecastCall"))]
pub struct ForecastCall {
    position: PositionId,
    commit: Money,
    best_case: Money,
}

crate::validated::via_raw! {
    RawForecastCall => ForecastCall, PipelineError {
        position: PositionId,
        commit: Money,
        best_case: Money,
    }
}

impl ForecastCall {
    /// `position`'s call.
    ///
    /// # Errors
    ///
    /// [`PipelineError::Figure`] for amounts in two currencies or not in
    /// whole minor units; [`PipelineError::CallOutOfOrder`] unless
    /// `0 ≤ commit ≤ best_case`.
    pub fn new(
        position: PositionId,
        commit: Money,
        best_case: Money,
    ) -> Result<ForecastCall, PipelineError> {
        let figure = |source| PipelineError::Figure {
            position: position.clone(),
            source,
        };
        commit.to_minor().map_err(figure)?;
        best_case.to_minor().map_err(figure)?;
        let order = commit.compare(&best_case).map_err(figure)?;
        if commit.is_negative() || order.is_gt() {
            return Err(PipelineError::CallOutOfOrder {
                position,
                commit,
                best_case,
            });
        }
        Ok(ForecastCall {
            position,
            commit,
            best_case,
        })
    }

    /// Who calls.
    pub fn position(&self) -> &PositionId {
        &self.position
    }

    /// The commit call.
    pub const fn commit(&self) -> Money {
        self.commit
    }

    /// The best-case call.
    pub const fn best_case(&self) -> Money {
        self.best_case
    }
}

/// A node's forecast: its subtree's pipeline by category and what closed,
/// its own call beside the sum of its direct reports' calls, and the
/// accuracy of its own commit call against what its subtree won.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct ForecastView {
    position: PositionId,
    figures: PipelineFigures,
    own_call: Option<ForecastCall>,
    team_commit: Money,
    team_best_case: Money,
    reports: u32,
    reports_without_call: u32,
    accuracy: Option<ForecastAccuracy>,
}

impl ForecastView {
    /// The position.
    pub fn position(&self) -> &PositionId {
        &self.position
    }

    /// The subtree's figures: open amount per category, won and lost.
    pub const fn figures(&self) -> &PipelineFigures {
        &self.figures
    }

    /// The position's own call, if it made one.
    pub const fn own_call(&self) -> Option<&ForecastCall> {
        self.own_call.as_ref()
    }

    /// The sum of the commit calls of its direct reports that called.
    pub const fn team_commit(&self) -> Money {
        self.team_commit
    }

    /// The sum of their best-case calls.
    pub const fn team_best_case(&self) -> Money {
        self.team_best_case
    }

    /// How many direct reports it has.
    pub const fn reports(&self) -> u32 {
        self.reports
    }

    /// How many of them made no call (so are not in the team's sums).
    pub const fn reports_without_call(&self) -> u32 {
        self.reports_without_call
    }

    /// Its own commit call against what its subtree won in the period, if
    /// it called.
    pub const fn accuracy(&self) -> Option<&ForecastAccuracy> {
        self.accuracy.as_ref()
    }
}

/// Per node: own call, and the sums of direct reports' calls.
#[derive(Debug, Clone, Default)]
struct Calls<'c> {
    own: Option<&'c ForecastCall>,
    commit: i128,
    best_case: i128,
    reports: u32,
    without: u32,
}

impl<'s> PipelineRollup<'s> {
    /// The coverage of one node's remaining quota by its subtree's open
    /// pipeline: `quota` is the node's quota for the period, `attained`
    /// what its subtree has sold toward it.
    ///
    /// # Errors
    ///
    /// [`PipelineError::Rollup`] for a node not in the snapshot;
    /// [`PipelineError::Figure`] naming the position for figures in
    /// another currency.
    pub fn coverage(
        &self,
        node: impl NodeRef,
        quota: Money,
        attained: Money,
    ) -> Result<Coverage, PipelineError> {
        let slot = node.locate(self.snapshot)?;
        self.coverage_at(slot, quota, attained)
    }

    fn coverage_at(
        &self,
        slot: usize,
        quota: Money,
        attained: Money,
    ) -> Result<Coverage, PipelineError> {
        let (tally, position) = self.at(&self.subtree, slot)?;
        let figures = PipelineFigures::of(tally, self.currency, position)?;
        let figure = |source| PipelineError::Figure {
            position: position.clone(),
            source,
        };
        if quota.currency() != self.currency {
            return Err(figure(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: quota.currency(),
            }));
        }
        Coverage::of(figures.open(), figures.weighted(), quota, attained).map_err(figure)
    }

    /// Every node's coverage: `quotas` holds each node's quota for the
    /// period (as [`NodeValues::from_declared`] lines them up), `attained`
    /// the credited totals ([`crate::rollup::sum_credits`]) of the period,
    /// whose subtree total is what each node attained.
    ///
    /// # Errors
    ///
    /// [`PipelineError::Rollup`] for values of another snapshot;
    /// [`PipelineError::Figure`] naming the position of a quota or an
    /// attained amount in another currency.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::calendar::DateRange;
    /// use salesplan::org::{Org, Position, ReportingLine, Role};
    /// use salesplan::pipeline::{Opportunity, OpportunityId, Owner, Pipeline, PipelineOptions, Stage, Stages};
    /// use salesplan::rollup::{sum_credits, NodeValues, SumOptions};
    /// use salesplan::{Currency, Money, Percent, Period, PositionId};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let pos = |s: &str| PositionId::new(s).unwrap();
    /// let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
    /// let always = DateRange::starting(d(1, 1));
    /// let org = Org::builder()
    ///     .position(Position::new(pos("mgr"), Role::TeamLead))
    ///     .position(Position::new(pos("rep"), Role::SalesRep))
    ///     .line(ReportingLine::top(pos("mgr"), always))
    ///     .line(ReportingLine::new(pos("rep"), pos("mgr"), always))
    ///     .build()?;
    /// let snapshot = org.as_of(d(3, 31))?;
    /// let stages = Stages::new(vec![Stage::new("proposal", "50%".parse::<Percent>()?)?])?;
    /// let opp = Opportunity::builder(OpportunityId::new("o1")?, Owner::Position(pos("rep")), "proposal",
    ///     usd("60000.00"), d(1, 5), d(3, 15)).build()?;
    /// let pipeline = Pipeline::new(Currency::USD, stages, vec![opp])?;
    /// let q1 = Period::new(d(1, 1), d(4, 1))?;
    /// let totals = pipeline.roll_up(&snapshot, PipelineOptions::new(q1))?;
    /// let sold = sum_credits(&snapshot, &[(pos("rep"), d(2, 1), usd("30000.00"))], SumOptions::new(Currency::USD).period(q1))?;
    /// // Quotas of mgr and rep, in declaration order.
    /// let quotas = NodeValues::from_declared(&snapshot, &[usd("100000.00"), usd("50000.00")])?;
    /// let coverage = totals.coverages(&quotas, &sold)?;
    /// let ratio = |p: &str| coverage.get(snapshot.node(&pos(p)).unwrap().index()).and_then(|c| c.ratio()).map(|r| r.to_string());
    /// assert_eq!(ratio("rep").as_deref(), Some("3")); // 60000 / (50000 - 30000)
    /// assert_eq!(ratio("mgr").as_deref(), Some("0.8571428571428571428571428571")); // 60000 / 70000
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn coverages(
        &self,
        quotas: &NodeValues<'s, Money>,
        attained: &MoneyRollup<'s>,
    ) -> Result<NodeValues<'s, Coverage>, PipelineError> {
        let n = self.snapshot.len();
        for (other, found) in [(quotas.snapshot(), quotas.len()), (attained.snapshot(), n)] {
            if !std::ptr::eq(other, self.snapshot) || found != n {
                return Err(RollupError::SnapshotMismatch { expected: n, found }.into());
            }
        }
        let mut all = Vec::with_capacity(n);
        for node in self.snapshot.nodes() {
            let ix = node.index();
            let quota = quotas
                .get(ix)
                .copied()
                .ok_or(RollupError::ForeignNode { index: ix.index() })?;
            let sold = attained.subtree(ix)?;
            all.push(self.coverage_at(ix.index(), quota, sold)?);
        }
        let mut all = all.into_iter();
        Ok(NodeValues::from_fn(self.snapshot, |_| {
            all.next().unwrap_or(Coverage {
                open: Money::zero(self.currency),
                weighted: Money::zero(self.currency),
                remaining: Money::zero(self.currency),
                ratio: None,
                weighted_ratio: None,
                projected: Ratio::ZeroDenominator {
                    numerator: Decimal::ZERO,
                },
            })
        }))
    }

    /// Every node's forecast: its subtree's open pipeline by category and
    /// what it won and lost in the period, its own call (from `calls`),
    /// the sum of its direct reports' calls beside it, and the accuracy of
    /// its own commit call against what its subtree won.
    ///
    /// # Errors
    ///
    /// [`PipelineError::CallerNotInOrg`] for a call by a position not in
    /// the snapshot; [`PipelineError::DuplicateCall`];
    /// [`PipelineError::Figure`] for a call in another currency;
    /// [`PipelineError::Rollup`] for a sum that overflows.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::calendar::DateRange;
    /// use salesplan::org::{Org, Position, ReportingLine, Role};
    /// use salesplan::pipeline::{Closed, ForecastCall, Opportunity, OpportunityId, Owner, Pipeline, PipelineOptions, Stage, Stages};
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
    /// let stages = Stages::new(vec![Stage::new("proposal", "50%".parse::<Percent>()?)?])?;
    /// let won = |id: &str, rep: &str, amount: &str| Opportunity::builder(OpportunityId::new(id).unwrap(),
    ///     Owner::Position(pos(rep)), "proposal", usd(amount), d(1, 5), d(3, 15))
    ///     .closed(Closed::won(d(3, 10), usd(amount))).build();
    /// let pipeline = Pipeline::new(Currency::USD, stages, vec![won("o1", "r1", "40000.00")?, won("o2", "r2", "50000.00")?])?;
    /// let totals = pipeline.roll_up(&snapshot, PipelineOptions::new(Period::new(d(1, 1), d(4, 1))?))?;
    /// let calls = [
    ///     ForecastCall::new(pos("mgr"), usd("100000.00"), usd("120000.00"))?,
    ///     ForecastCall::new(pos("r1"), usd("45000.00"), usd("60000.00"))?,
    /// ];
    /// let forecast = totals.forecast(&calls)?;
    /// let mgr = forecast.get(snapshot.root().index()).unwrap();
    /// assert_eq!(mgr.team_commit(), usd("45000.00")); // r2 did not call
    /// assert_eq!(mgr.reports_without_call(), 1);
    /// let accuracy = mgr.accuracy().unwrap(); // 100000 called, 90000 won
    /// assert_eq!(accuracy.accuracy().map(|a| a.to_string()).as_deref(), Some("0.8888888888888888888888888889"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn forecast(
        &self,
        calls: &[ForecastCall],
    ) -> Result<NodeValues<'s, ForecastView>, PipelineError> {
        let calls = self.calls_by_node(calls)?;
        let mut views = Vec::with_capacity(calls.len());
        for (slot, c) in calls.iter().enumerate() {
            let (tally, position) = self.at(&self.subtree, slot)?;
            let figures = PipelineFigures::of(tally, self.currency, position)?;
            let money = |minor| {
                Money::from_minor(minor, self.currency).map_err(|source| PipelineError::Figure {
                    position: position.clone(),
                    source,
                })
            };
            let accuracy = match c.own {
                Some(call) => Some(ForecastAccuracy::of(call.commit, figures.won()).map_err(
                    |source| PipelineError::Figure {
                        position: position.clone(),
                        source,
                    },
                )?),
                None => None,
            };
            views.push(ForecastView {
                position: position.clone(),
                figures,
                own_call: c.own.cloned(),
                team_commit: money(c.commit)?,
                team_best_case: money(c.best_case)?,
                reports: c.reports,
                reports_without_call: c.without,
                accuracy,
            });
        }
        let mut views = views.into_iter();
        let mut fallback = Vec::new();
        let out = NodeValues::from_fn(self.snapshot, |node| {
            views.next().unwrap_or_else(|| {
                fallback.push(node.index().index());
                ForecastView {
                    position: node.id().clone(),
                    figures: PipelineFigures::zero(self.currency),
                    own_call: None,
                    team_commit: Money::zero(self.currency),
                    team_best_case: Money::zero(self.currency),
                    reports: 0,
                    reports_without_call: 0,
                    accuracy: None,
                }
            })
        });
        match fallback.first() {
            Some(&index) => Err(RollupError::NodeOutOfRange { index }.into()),
            None => Ok(out),
        }
    }

    /// Each node's own call and its direct reports' sums.
    fn calls_by_node<'c>(
        &self,
        calls: &'c [ForecastCall],
    ) -> Result<Vec<Calls<'c>>, PipelineError> {
        let mut by_node = vec![Calls::default(); self.snapshot.len()];
        for call in calls {
            let slot =
                call.position
                    .locate(self.snapshot)
                    .map_err(|_| PipelineError::CallerNotInOrg {
                        position: call.position.clone(),
                        date: self.snapshot.date(),
                    })?;
            if call.commit.currency() != self.currency {
                return Err(PipelineError::Figure {
                    position: call.position.clone(),
                    source: MoneyError::CurrencyMismatch {
                        left: self.currency,
                        right: call.commit.currency(),
                    },
                });
            }
            match by_node.get_mut(slot) {
                Some(c) if c.own.is_some() => {
                    return Err(PipelineError::DuplicateCall {
                        position: call.position.clone(),
                    });
                }
                Some(c) => c.own = Some(call),
                None => return Err(RollupError::NodeOutOfRange { index: slot }.into()),
            }
        }
        for node in self.snapshot.nodes().skip(1) {
            let Some(parent) = node.parent() else {
                continue;
            };
            let own = by_node
                .get(node.index().index())
                .and_then(|c| c.own)
                .map(|c| (c.commit.to_minor(), c.best_case.to_minor()));
            let overflow = || RollupError::Overflow {
                position: parent.id().clone(),
            };
            let Some(team) = by_node.get_mut(parent.index().index()) else {
                continue;
            };
            team.reports = team.reports.checked_add(1).ok_or_else(overflow)?;
            match own {
                Some((Ok(commit), Ok(best))) => {
                    team.commit = team.commit.checked_add(commit).ok_or_else(overflow)?;
                    team.best_case = team.best_case.checked_add(best).ok_or_else(overflow)?;
                }
                Some(_) => return Err(overflow().into()),
                None => team.without = team.without.checked_add(1).ok_or_else(overflow)?,
            }
        }
        Ok(by_node)
    }
}
