//! Pipeline and forecast: what lies between a lead and a closed deal.
//!
//! # The rules
//!
//! - **An opportunity** ([`Opportunity`]) is owned by a position or a
//!   person ([`Owner`]; a person counts at the one position they hold in
//!   the snapshot), is at a stage of the process ([`Stages`]: ordered, each
//!   with a default probability), has a probability (its own, or its
//!   stage's default; a [`Percent`](crate::Percent), so 0% to 100%), an
//!   amount (not negative, in whole minor units, in the pipeline's
//!   currency), a creation date, an expected close date (not before its
//!   creation), a forecast category ([`ForecastCategory`]: commit, best
//!   case, pipeline, omitted) and, once closed, a [`Closed`] outcome (won
//!   or lost, on a date not before its creation, for an amount).
//! - **For a period** ([`PipelineOptions`]), an open opportunity counts
//!   when its expected close date is in the period, a closed one when its
//!   close date is. Every figure counts at the owner's position and at
//!   every manager above it ([`Pipeline::roll_up`], through the
//!   [`rollup`](crate::rollup) engine): a manager's subtree figure is
//!   exactly the sum of the figures of the opportunities owned in the
//!   subtree.
//! - **Weighted pipeline** = Σ round(amount × probability), each product
//!   exact (within a `Decimal`'s 28 significant digits: a probability
//!   given to many decimals on a very large amount is cut there first) and
//!   rounded once, per opportunity, to the currency's minor
//!   units with the options' [`RoundingPolicy`](crate::RoundingPolicy)
//!   (half away from zero unless told); the sum is exact. It never exceeds
//!   the open amount.
//! - **Coverage** ([`Coverage`]) of a node's remaining quota:
//!   `open / (quota − attained)`, `quota` the node's own quota for the
//!   period and `attained` what its subtree was credited
//!   ([`sum_credits`](crate::rollup::sum_credits)). When nothing remains
//!   (`quota − attained ≤ 0`) there is no ratio, only the surplus.
//! - **Conversion** ([`Funnel`]): an opportunity has reached its own stage
//!   and every earlier one; a won one has reached them all. The conversion
//!   from stage k is `reached(k + 1) / reached(k)` (from the last stage,
//!   `won / reached(k)`), and the win rate from k is `won / reached(k)`,
//!   both in `[0, 1]`.
//! - **Forecast** ([`PipelineRollup::forecast`]): per node, its subtree's
//!   open amount in each category and what it won and lost in the period,
//!   its own [`ForecastCall`] beside the sum of its direct reports' calls,
//!   and the [`ForecastAccuracy`] of its commit call against what its
//!   subtree won: `1 − |call − won| / won`.
//!
//! Nothing here reads a clock or a file: the caller hands in the pipeline
//! as it stands (from the CRM), the org snapshot, quotas and credits.
//!
//! **Millions of opportunities** are handed in as columns, as a CRM export
//! holds them ([`OpportunityColumns`]: integer or text ids, minor units,
//! day numbers), checked row by row as the row API checks them and rolled
//! up by the same rules with no [`Opportunity`] built
//! ([`PipelineColumns`]; with the `arrow` feature, from a record batch).
//! Their [`PipelineRollup`] gives coverage and forecasts as the row
//! pipeline's does; the funnel is the row pipeline's.
//!
//! ```
//! use chrono::NaiveDate;
//! use salesplan::calendar::DateRange;
//! use salesplan::org::{Org, Position, ReportingLine, Role};
//! use salesplan::pipeline::{ForecastCategory, Opportunity, OpportunityId, Owner, Pipeline, PipelineOptions, Stage, Stages};
//! use salesplan::{Currency, Money, Percent, Period, PositionId};
//!
//! let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
//! let pos = |s: &str| PositionId::new(s).unwrap();
//! let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
//! let always = DateRange::starting(d(1, 1));
//! let org = Org::builder()
//!     .position(Position::new(pos("mgr"), Role::TeamLead))
//!     .position(Position::new(pos("rep"), Role::SalesRep))
//!     .line(ReportingLine::top(pos("mgr"), always))
//!     .line(ReportingLine::new(pos("rep"), pos("mgr"), always))
//!     .build()?;
//! let snapshot = org.as_of(d(3, 31))?;
//! let p = |s: &str| s.parse::<Percent>().unwrap();
//! let stages = Stages::new(vec![Stage::new("qualify", p("10%"))?, Stage::new("proposal", p("60%"))?])?;
//! let opp = |id: &str, stage: &str, amount: &str, created| {
//!     Opportunity::builder(OpportunityId::new(id).unwrap(), Owner::Position(pos("rep")), stage, usd(amount), created, d(3, 15))
//! };
//! let pipeline = Pipeline::new(Currency::USD, stages, vec![
//!     opp("o1", "proposal", "10000.00", d(1, 5)).category(ForecastCategory::Commit).build()?,
//!     opp("o2", "qualify", "4000.00", d(2, 1)).probability(p("25%")).build()?,
//! ])?;
//! let q1 = Period::new(d(1, 1), d(4, 1))?;
//! let totals = pipeline.roll_up(&snapshot, PipelineOptions::new(q1))?;
//! let team = totals.subtree(&pos("mgr"))?;
//! assert_eq!(team.open(), usd("14000.00"));
//! assert_eq!(team.weighted(), usd("7000.00")); // 6000 + 1000
//! assert_eq!(team.category(ForecastCategory::Commit), usd("10000.00"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The same pipeline as JSON (see [`Pipeline`]):
//!
//! ```json
//! {"currency": "USD",
//!  "stages": [{"name": "qualify", "probability": "10%"}, {"name": "proposal", "probability": "60%"}],
//!  "opportunities": [
//!    {"id": "o1", "owner": {"position": "rep"}, "stage": "proposal", "amount": "10000.00 USD",
//!     "created": "2025-01-05", "expected_close": "2025-03-15", "category": "commit"},
//!    {"id": "o2", "owner": {"position": "rep"}, "stage": "qualify", "probability": "25%",
//!     "amount": "4000.00 USD", "created": "2025-02-01", "expected_close": "2025-03-15"}]}
//! ```

mod book;
mod columns;
mod error;
mod forecast;
mod funnel;
mod opportunity;
mod stages;
mod totals;

pub use self::book::Pipeline;
pub use self::columns::{OpportunityColumns, PipelineColumns, ProbabilityColumn};
pub use self::error::PipelineError;
pub use self::forecast::{Coverage, ForecastAccuracy, ForecastCall, ForecastView};
pub use self::funnel::{Conversion, Funnel};
pub use self::opportunity::{
    Closed, ForecastCategory, Opportunity, OpportunityBuilder, OpportunityId, Outcome, Owner,
};
pub use self::stages::{Stage, Stages};
pub use self::totals::{PipelineFigures, PipelineOptions, PipelineRollup};
