//! # salesplan
//!
//! The rules of running a sales force, as a pure library: who reports to whom,
//! who covers which territory, what each unit and person must sell and do,
//! what they are paid for it, and how they are doing.
//!
//! The crate does no I/O, reads no clock and uses no randomness: every
//! function is a deterministic function of its arguments. The embedding
//! program (payroll, CRM, planning tool) loads its data and hands it in.
//!
//! Money is exact: a [`Money`] is a `rust_decimal::Decimal` with its
//! [`Currency`]; there is no floating point on any money path, currencies
//! never mix silently, overflow is an error rather than a panic, and rounding
//! happens only where a function documents it, with an explicit
//! [`RoundingPolicy`].
//!
//! ## A first example
//!
//! Split a quarter's target over its months, and prorate it for a rep who
//! joins on 1 March:
//!
//! ```
//! use chrono::Month;
//! use salesplan::calendar::{FiscalCalendar, Proration, ProrationBasis, WorkCalendar, YearNaming};
//! use salesplan::{Currency, Money, RoundingPolicy};
//!
//! let fy = FiscalCalendar::starting(Month::January, YearNaming::ByStartYear);
//! let q1 = fy.quarters(2025)?[0];
//! let march = fy.months(2025)?[2];
//! let target = Money::parse("120000.00", Currency::USD)?;
//!
//! let work = WorkCalendar::monday_to_friday();
//! let joined_march_1 = Proration::new(&q1, &march, ProrationBasis::WholeMonths, &work)?;
//! let prorated = joined_march_1.apply(target)?.round(RoundingPolicy::HalfAwayFromZero);
//! assert_eq!(prorated.to_string(), "40000.00 USD");
//!
//! let by_days = Proration::new(&q1, &march, ProrationBasis::CalendarDays, &work)?;
//! assert_eq!(by_days.to_string(), "31/90 calendar days");
//! assert_eq!(by_days.apply(target)?.round(RoundingPolicy::HalfAwayFromZero).to_string(), "41333.33 USD");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Cookbook
//!
//! | to ... | use |
//! |---|---|
//! | parse an amount strictly | [`Money::parse`], `"1234.50 USD".parse::<Money>()` |
//! | add amounts, failing on mixed currencies or overflow | [`Money::checked_add`], [`Money::checked_sum`] |
//! | round to cents with a stated policy | [`Money::round`], [`RoundingPolicy`] |
//! | express a share or a rate | [`Percent`] (0-100%), [`Rate`] (≥ 0, may exceed 100%) |
//! | convert currencies as of a date | [`money::RateTable::convert`] |
//! | lay out a fiscal or 4-4-5 year | [`calendar::FiscalCalendar`] |
//! | count working days, prorate by days, working days or months | [`calendar::WorkCalendar`], [`calendar::Proration`] |
//! | build the org and see it on a date | [`org::Org::builder`], [`org::Org::as_of`], [`org::Node`] |
//! | know where someone was, for proration | [`org::Org::segments`] |
//! | roll anything up the org | [`rollup::NodeValues`], [`rollup::Aggregate`] |
//! | total credited sales per manager, with attainment | [`rollup::sum_credits`], [`rollup::sum_keyed_credits`] |
//! | split a total exactly, with floors and caps | [`allocation::allocate`], [`allocation::Split`] |
//! | cascade the annual target down the org and into months | [`quota::QuotaPlan::cascade`], [`quota::QuotaTargets`] |
//! | explain a target, find the gaps | [`quota::QuotaTargets::explain`], [`quota::QuotaTargets::gap_report`] |
//! | a person's quota across moves, with a ramp | [`quota::QuotaTargets::person_quota`], [`quota::Ramp`] |
//! | share a quarter among its months by days, equally or by working days | [`quota::MonthSplit`], [`quota::Seasonality::months_by`] |
//! | a target down the territory tree, and to the reps who cover it | [`quota::TerritoryTargets::cascade`], [`quota::TerritoryTargets::positions`] |
//! | what a team can carry (headcount, ramp, attrition) against its target | [`quota::CapacityModel::against`] |
//! | an org from columns with integer ids; a column of ids to keys | [`org::OrgColumns`], [`org::OrgSnapshot::resolve`] |
//! | every node's total and attainment from the user's columns | [`rollup::sum_credit_columns`] |
//! | credit deals to reps, with splits, overlays and returns | [`credit::Crediting::run`], [`credit::CreditPlan`] |
//! | credited totals per person and position per period, with roll-up | [`credit::Crediting::totals`], [`credit::CreditTotals`] |
//! | credit by territory coverage | [`credit::DirectSource::Territory`], [`territory::CoverageSource`] |
//! | set activity targets per role, override per person | [`activity::TargetPlan`], [`activity::ActivityTarget`] |
//! | prorate a week's target for holidays and leave | [`activity::ActivityTarget::over`] |
//! | review a team's week: activity vs target, missing logs | [`activity::review`] |
//! | weighted activity score, funnel ratios, share of time | [`activity::ScoreWeights::score`], [`activity::FunnelCounts::ratios`], [`activity::time_shares`] |
//! | tally a huge activity log per person and week | [`activity::WeekGrid::extend`] |
//! | attainment, pace and projection as of a date | [`perf::attainment`], [`perf::pace`], [`perf::PaceCurve`] |
//! | on track / at risk / behind | [`perf::StatusBands`] |
//! | rank peers with ties, percentiles, quartiles | [`perf::rank`], [`perf::rank_within`] |
//! | which escalations are due, and why | [`perf::EscalationPolicy::evaluate`], [`perf::ActionDue`] |
//! | every manager's team progress report | [`perf::TeamProgress`], [`perf::period_targets`] |
//! | weighted pipeline, coverage of the remaining quota, funnel conversion, forecast calls and accuracy per manager | [`pipeline::Pipeline::roll_up`], [`pipeline::PipelineRollup::coverages`], [`pipeline::Pipeline::funnel`], [`pipeline::PipelineRollup::forecast`] |
//! | write a commission plan: tiers, accelerators, gates, caps, kickers, SPIFFs, draws | [`comp::CompPlan::builder`], [`comp::Component`] |
//! | read a plan, a credit plan or a quota plan from JSON | [`docs::json`] |
//! | hand in credit lines made by your CRM | [`credit::CreditRun::from_lines`], [`credit::CreditLine::new`] |
//! | a rep's statement with every line explained | [`comp::Commissions::statements`], [`comp::Statement`], [`comp::Explanation`] |
//! | statements for a whole sales force, collected or streamed | [`comp::Commissions::execution`], [`comp::Commissions::statements_for`], [`comp::Commissions::each_statement`] |
//! | payouts per person, period and component without the explanations | [`comp::Commissions::payouts_for`], [`comp::Payouts`] |
//! | the payout curve, or two plan versions compared | [`comp::CompPlan::payout_curve`], [`comp::StatementDiff::between`] |
//! | who is on which plan when, and statements across a plan change | [`comp::PlanAssignments`], [`comp::AssignedCommissions`] |
//! | an approved adjustment, a dispute, a carried cap, a hold | [`bonus::Authority::approve_adjustment`], [`comp::Dispute`], [`comp::carry_capped`], [`comp::HoldPolicy`] |
//! | credit deals in other currencies at a stated rate date | [`credit::Crediting::with_rates`], [`credit::RateDate`] |
//! | credit 10M transactions from the user's columns | [`credit::Crediting::totals_from_columns`], [`credit::TransactionColumns`] |
//! | a quarter's or a year's close in one call | [`close::Close`] |
//! | quotas in units, deals or logos; plan versions, diffs and approved changes | [`quota::MeasurePlan`], [`quota::QuotaVersion`], [`bonus::Authority::approve_quota_change`] |
//! | pay a target bonus on a payout curve, with gates and proration | [`bonus::PayoutCurve`], [`bonus::TargetBonus::compute`] |
//! | split a team's bonus pool by attainment, share or equally | [`bonus::TeamBonus::compute`] |
//! | score an MBO card | [`bonus::Scorecard::evaluate`] |
//! | rank a sales contest, ties sharing prizes | [`bonus::Contest::run`] |
//! | propose, approve and pay discretionary bonuses within a budget | [`bonus::BonusLedger`] |
//! | check who may approve what, or deploy a pre-approved plan | [`bonus::Authority::authorize`], [`bonus::Authority::authorize_all`] |
//! | check the escalations a performance policy says are due against the authority policy | [`bonus::Authority::authorize_escalations`] |
//!
//! ## Modules
//!
//! Data flows one way: [`money`] and [`calendar`] at the bottom, with the
//! [`allocation`] core on money; then [`org`] and [`territory`]; the
//! [`rollup`] engine over org snapshots; [`quota`], [`credit`] and
//! [`activity`]; then [`comp`], [`perf`] and [`pipeline`]; [`bonus`]; the
//! adapters (`arrow`, `testing`, each behind its feature) and [`error`];
//! [`close`], the one composition of them all, on top. No module reaches
//! up or sideways (a test reads `src/` and checks it). [`docs`] holds
//! guides, no code.
//!
//! ## Errors
//!
//! Each area returns its own narrow error ([`MoneyError`], [`CalendarError`],
//! [`IdError`], [`OrgError`], [`RollupError`], [`AllocationError`],
//! [`QuotaError`], [`TerritoryError`], [`CreditError`], [`ActivityError`],
//! [`CompError`], [`PerfError`], [`PipelineError`], [`BonusError`]), defined in that area's
//! module; all convert into the crate-wide [`Error`] with `?`, and the
//! [`error`] module gathers them. Every variant carries the ids and values
//! involved.
//!
//! ## Feature flags
//!
//! - `serde` (default): `Serialize`/`Deserialize` for every public data type.
//!   Deserialization runs the same validation as the constructors and
//!   refuses unknown fields, naming them; amounts and rates are written as
//!   strings (`"1234.50 USD"`, `"12.5%"`), never as floats. The formats
//!   and the whole data contract: [`docs::json`].
//! - `parallel`: crediting, roll-ups, statements and attainment
//!   computations run on rayon's thread pool when asked
//!   ([`Execution::Parallel`]); the results are identical with and
//!   without it.
//! - `proptest`: the `testing` module's proptest strategies for the
//!   crate's inputs (money, weights, orgs of any shape, quota plans, credit
//!   feeds, comp plans), for programs that property-test their own rules.
//! - `arrow`: the `arrow` module: an org and credits from Arrow record
//!   batches (integer, text or dictionary ids; int64 minor units or
//!   decimal128 amounts; date32 days), read in place where the layout
//!   allows and validated as strictly as the row API, and roll-ups and
//!   payouts back as record batches. Only arrow-rs's `arrow-array` and
//!   `arrow-schema`.

#![doc(test(attr(deny(warnings))))]

pub mod activity;
pub mod allocation;
#[cfg(feature = "arrow")]
pub mod arrow;
pub mod bonus;
pub mod calendar;
pub mod close;
pub mod comp;
pub mod credit;
pub mod docs;
pub mod error;
mod execution;
pub mod ids;
mod kernel;
mod list;
pub mod money;
pub mod org;
pub mod perf;
pub mod pipeline;
pub mod quota;
pub mod rollup;
pub mod territory;
#[cfg(feature = "proptest")]
pub mod testing;
mod validated;

pub use crate::activity::ActivityError;
pub use crate::allocation::AllocationError;
pub use crate::bonus::BonusError;
pub use crate::calendar::{CalendarError, Period};
pub use crate::comp::CompError;
pub use crate::credit::CreditError;
pub use crate::error::Error;
pub use crate::execution::Execution;
pub use crate::ids::{
    AccountId, IdError, IdProblem, PersonId, PlanId, PositionId, ProductGroupId, ProductId, RoleId,
    TerritoryId, TransactionId, UnitId,
};
pub use crate::money::{Currency, Money, MoneyError, Percent, Rate, RoundingPolicy};
pub use crate::org::OrgError;
pub use crate::perf::PerfError;
pub use crate::pipeline::PipelineError;
pub use crate::quota::QuotaError;
pub use crate::rollup::RollupError;
pub use crate::territory::TerritoryError;

/// The README's code blocks, compiled and run as doctests (its example
/// reads JSON, so with the `serde` feature).
#[cfg(all(doctest, feature = "serde"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
