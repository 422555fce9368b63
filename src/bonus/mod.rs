//! Bonuses and authority.
//!
//! Managers are paid a base plus bonuses that depend on performance, and
//! the regional manager usually decides whether a bonus is paid. This
//! module models both halves:
//!
//! **Bonuses.**
//! - [`PayoutCurve`]: a piecewise-linear payout over attainment, with a
//!   threshold and a cap; [`TargetBonus`] pays a target amount on it, for
//!   a quarter or a year, with [`Gate`]s ("no annual bonus unless the
//!   annual quota is met") and proration for people who joined or left
//!   during the period; every [`BonusPayout`] carries its explanation.
//! - [`TeamBonus`]: a pool set by the team's attainment (the manager's
//!   subtree, from a credit [`MoneyRollup`](crate::rollup::MoneyRollup)),
//!   split exactly among the members by share, by attainment or equally.
//! - [`Scorecard`]: MBO objectives weighted to exactly 100%, scored with
//!   caps, giving a bonus percentage.
//! - [`Contest`]: rank people by a measure over a date window, award the
//!   top N or everyone over a threshold; ties share exactly.
//! - [`BonusLedger`]: discretionary bonuses as data, proposed -> approved
//!   or rejected -> payable, within a budget per manager per period.
//!
//! **Authority.**
//! - [`AuthorityPolicy`]: grants (which role may do what, up to which
//!   amount, for whom) and [`ActionPlan`]s approved in advance.
//! - [`Authority::authorize`]: allowed, or the chain of people who must
//!   approve up to the nearest ancestor with enough authority, with the
//!   reason; [`Authority::authorize_all`] checks a batch (a week's
//!   escalation actions) in one call.
//!
//! The figures a bonus depends on (attainment, scores, measures) are
//! inputs: compute them with [`rollup`](crate::rollup),
//! [`credit`](crate::credit) and [`quota`](crate::quota), or take them from
//! the performance module.
//!
//! **Rounding.** Curves, scorecards and prorations are exact `Decimal`s;
//! each payout is rounded once, to the currency's minor units, with the
//! plan's [`RoundingPolicy`](crate::RoundingPolicy) (half away from zero
//! unless set). Team pools are rounded once and then split in whole minor
//! units, so the shares add up to the pool; tied contest prizes likewise.
//!
//! ```
//! use salesplan::bonus::PayoutCurve;
//! use salesplan::{Currency, Money, Rate, RoundingPolicy};
//!
//! let r = |s: &str| s.parse::<Rate>().unwrap();
//! let curve = PayoutCurve::new([(r("80%"), r("50%")), (r("100%"), r("100%")), (r("150%"), r("200%"))], r("200%"))?;
//! let reading = curve.payout(r("90%").fraction())?;
//! let target = Money::parse("12000", Currency::USD)?;
//! assert_eq!(reading.payout().of_rounded(target, RoundingPolicy::HalfEven)?.to_string(), "9000.00 USD");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
pub use self::error::BonusError;

mod adjustment_approval;
mod authority;
mod contest;
mod curve;
mod discretionary;
mod mbo;
mod quota_approval;
mod target;
mod team;

pub use self::adjustment_approval::AdjustmentRefusal;
pub use self::authority::{
    Action, ActionPlan, Approver, Authority, AuthorityPolicy, Decision, Grant, Outcome, PlanMiss,
    Power, Qualification, Reason, Request, Scope,
};
pub use self::contest::{
    Award, Contest, ContestEvent, ContestMeasure, ContestResult, Eligibility, Standing,
};
pub use self::curve::{CurvePoint, CurveReading, PayoutCurve, Segment};
pub use self::discretionary::{BonusLedger, BonusState, Budget, DiscretionaryBonus};
pub use self::mbo::{MboResult, Objective, ObjectiveScore, Scorecard};
pub use self::target::{BonusInputs, BonusPayout, Gate, GateCheck, TargetBonus};
pub use self::team::{MemberShare, TeamBonus, TeamInputs, TeamMember, TeamPayout, TeamSplit};
