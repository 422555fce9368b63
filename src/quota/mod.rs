//! Quota planning: the regional manager's main job.
//!
//! A [`QuotaPlan`] cascades the company's annual target down an
//! [`OrgSnapshot`](crate::org::OrgSnapshot), level by level: each manager's
//! target, over-assigned by the level's factor, is split among the direct
//! reports by the level's [`Basis`] (equal, a measure such as prior-year
//! sales or market potential, or a blend), within floors and caps. Every
//! position's annual target is then split into quarters, months and weeks
//! by a [`Seasonality`] profile on the plan's fiscal calendar. All splits
//! use the [allocation core](crate::allocation), so every figure adds up
//! exactly and every figure can be explained ([`QuotaTargets::explain`]).
//!
//! People carry the quota of the positions they hold, for the days they
//! hold them ([`QuotaTargets::person_quota`]), reduced by a [`Ramp`] while
//! they are new. Reliefs and transfers are [`Adjustment`]s: data with a
//! reason, applied to the plan to give the adjusted plan.
//!
//! ```
//! use rust_decimal::Decimal;
//! use salesplan::calendar::FiscalCalendar;
//! use salesplan::quota::{Seasonality, YearSplitter};
//! use salesplan::{Currency, Money};
//!
//! // A year of 1,000,000.01 that puts 36% in the last quarter: the stray
//! // cent lands where the largest remainder is, and everything adds up.
//! let w = |x: i64| Decimal::from(x);
//! let profile = Seasonality::monthly([6, 6, 8, 7, 7, 8, 7, 7, 8, 10, 12, 14].map(w))?;
//! let year = YearSplitter::new(&FiscalCalendar::gregorian(), 2025, &profile)?;
//! let split = year.split(Money::parse("1000000.01", Currency::USD)?)?;
//! let q4 = split.quarters()[3].1;
//! assert_eq!(q4.to_string(), "360000.01 USD");
//! let months: Vec<String> = split.months()[9..].iter().map(|(_, m)| m.to_string()).collect();
//! assert_eq!(months, ["100000.00 USD", "120000.00 USD", "140000.01 USD"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod people;
mod plan;
mod ramp;
mod season;

pub use self::people::{PersonQuota, PersonQuotaLine, PersonQuotaOptions};
pub use self::plan::{
    Adjustment, Basis, GapRow, LevelRule, Measures, QuotaPlan, QuotaTargets, TargetExplanation,
};
pub use self::ramp::{Ramp, RampFactor};
pub use self::season::{Grain, Seasonality, YearSplit, YearSplitter};
