//! Quota planning: the regional manager's main job.
//!
//! A [`QuotaPlan`] cascades the company's annual target down an
//! [`OrgSnapshot`](crate::org::OrgSnapshot), level by level: each manager's
//! target, over-assigned by the level's factor, is split among the direct
//! reports by the level's [`Basis`] (equal, a measure such as prior-year
//! sales or market potential, or a blend), within floors and caps. Every
//! position's annual target is then split into quarters, months and weeks
//! by a [`Seasonality`] profile on the plan's fiscal calendar. Splits among
//! people use the [allocation core](crate::allocation); splits over time
//! round the running total once at the end of each period
//! ([`YearSplit`]). Either way every figure adds up exactly, is within one
//! minor unit of its exact share, and can be explained
//! ([`QuotaTargets::explain`]).
//!
//! People carry the quota of the positions they hold, for the days they
//! hold them ([`QuotaTargets::person_quota`]), reduced by a [`Ramp`] while
//! they are new. Reliefs and transfers are [`Adjustment`]s: data with a
//! reason, applied to the plan to give the adjusted plan.
//!
//! A quarterly profile shares each quarter among its months by a stated
//! [`MonthSplit`] (calendar days, equal months or working days). Bottom
//! up, a [`CapacityModel`] works out what a team can carry from its
//! headcount ([`Cohort`]s), ramp, expected attainment and attrition, and
//! sets it against the top-down target ([`CapacityModel::against`]).
//!
//! The same cascade runs in any measure ([`MeasurePlan`]): revenue,
//! margin, units, deals, new logos or a measure of the user's own, each
//! with its own rounding unit ([`MeasureUnit`]: whole deals, cents,
//! packs of five). It counts in whole steps of the unit and runs the money
//! cascade on them, so it has the same guarantees: exact, largest
//! remainder, over-assignment rounded once per manager to a whole step.
//!
//! A plan has versions ([`QuotaVersion`]). A change (a relief, a transfer,
//! a new hire's target, a mid-year reorg that re-cascades the rest of the
//! year over the new org) is a proposal ([`QuotaChange`]) that the
//! authority policy approves or refuses
//! ([`Authority::approve_quota_change`](crate::bonus::Authority::approve_quota_change));
//! an approved change applies from the first month that starts on or
//! after its effective date, never rewriting a month that has begun, and
//! the diff between two versions ([`VersionDiff`]) lists every target
//! that changed and why.
//!
//! The same exact cascade runs down a territory tree
//! ([`TerritoryTargets::cascade`], equally or by a leaf measure such as
//! market potential), and each position's quota follows from the
//! territories it covers, by its coverage share
//! ([`TerritoryTargets::positions`]).
//!
//! ```
//! use rust_decimal::Decimal;
//! use salesplan::calendar::FiscalCalendar;
//! use salesplan::quota::{Seasonality, YearSplitter};
//! use salesplan::{Currency, Money};
//!
//! // A year of 1,000,000.01 that puts 36% in the last quarter. Each
//! // period ends where the running total, rounded once, says: the stray
//! // cent lands in August, where the running total first passes half a
//! // cent, and every figure is within a cent of its exact share.
//! let w = |x: i64| Decimal::from(x);
//! let profile = Seasonality::monthly([6, 6, 8, 7, 7, 8, 7, 7, 8, 10, 12, 14].map(w))?;
//! let year = YearSplitter::new(&FiscalCalendar::gregorian(), 2025, &profile)?;
//! let split = year.split(Money::parse("1000000.01", Currency::USD)?)?;
//! let quarters: Vec<String> = split.quarters().iter().map(|(_, q)| q.to_string()).collect();
//! assert_eq!(quarters, ["200000.00 USD", "220000.00 USD", "220000.01 USD", "360000.00 USD"]);
//! let q3: Vec<String> = split.months()[6..9].iter().map(|(_, m)| m.to_string()).collect();
//! assert_eq!(q3, ["70000.00 USD", "70000.01 USD", "80000.00 USD"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
pub use self::error::QuotaError;

mod capacity;
mod measure;
mod people;
mod plan;
mod ramp;
mod season;
mod territory;
mod version;

pub use self::capacity::{CapacityGap, CapacityLine, CapacityModel, CapacityMonth, Cohort};
pub use self::measure::{MeasurePlan, MeasureTargets, MeasureUnit, QuotaMeasure};
pub use self::people::{PersonQuota, PersonQuotaLine, PersonQuotaOptions};
pub use self::plan::{
    Adjustment, Basis, GapRow, LevelRule, Measures, QuotaPlan, QuotaTargets, TargetExplanation,
};
pub use self::ramp::{Ramp, RampFactor};
pub use self::season::{Grain, MonthSplit, Seasonality, YearSplit, YearSplitter};
pub use self::territory::{CoveredQuotas, TerritoryBasis, TerritoryTargets};
pub use self::version::{
    ApprovedQuotaChange, ChangeNote, ChangeReason, DiffLine, QuotaChange, QuotaChangeKind,
    QuotaVersion, ReorgTargets, VersionDiff,
};
