//! What can go wrong here (bonuses, contests, discretionary bonuses and
//! authority), with the ids and values involved.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::allocation::AllocationError;
use crate::calendar::{CalendarError, Period};
use crate::ids::{PersonId, PlanId, PositionId, RoleId};
use crate::money::{Money, MoneyError, Percent, Rate};
use crate::org::OrgError;
use crate::rollup::RollupError;

/// Bonuses and authority (see [`crate::bonus`]).
/// Every variant names the ids and values involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BonusError {
    /// A payout curve without points.
    #[error("a payout curve needs at least one point")]
    EmptyCurve,
    /// Curve points out of order: point `index` is not above the one
    /// before it (`[(100%, 100%), (80%, 50%)]`).
    #[error("curve point {index} at {attainment} is not above the previous point at {previous}")]
    UnsortedCurve {
        /// The point's position in the list.
        index: usize,
        /// The previous point's attainment.
        previous: Rate,
        /// This point's attainment.
        attainment: Rate,
    },
    /// A curve point paying more than the curve's cap.
    #[error("the curve pays {payout} at {attainment}, above its cap of {cap}")]
    PointAboveCap {
        /// The point's attainment.
        attainment: Rate,
        /// Its payout.
        payout: Rate,
        /// The cap.
        cap: Rate,
    },
    /// Arithmetic overflow, or amounts in different currencies.
    #[error(transparent)]
    Arithmetic {
        /// Why.
        #[from]
        source: MoneyError,
    },
    /// Proration could not count the period's days.
    #[error(transparent)]
    Calendar {
        /// Why.
        source: CalendarError,
    },
    /// A negative target bonus.
    #[error("the target bonus of {person} is negative: {target}")]
    NegativeTarget {
        /// The person.
        person: PersonId,
        /// The target given.
        target: Money,
    },
    /// A gate checks a figure the inputs do not give.
    #[error("no figure {name:?} for {person}, which a gate checks")]
    MissingFigure {
        /// The person.
        person: PersonId,
        /// The figure's name.
        name: String,
    },
    /// One person twice in one computation.
    #[error("{person} appears twice")]
    DuplicatePerson {
        /// The person.
        person: PersonId,
    },
    /// An MBO scorecard without objectives.
    #[error("a scorecard needs at least one objective")]
    EmptyScorecard,
    /// MBO weights that do not add up to exactly 100% (`50% + 30% + 10%`).
    #[error("the scorecard's weights add up to {sum}, not 1")]
    WeightsNotWhole {
        /// Their sum, as a fraction.
        sum: Decimal,
    },
    /// Two objectives, or two scores, with one name.
    #[error("objective {name:?} appears twice")]
    DuplicateObjective {
        /// The name.
        name: String,
    },
    /// An objective without a score.
    #[error("objective {name:?} has no score")]
    MissingScore {
        /// The objective.
        name: String,
    },
    /// A score for an objective the card does not have.
    #[error("no objective {name:?} on the scorecard")]
    UnknownObjective {
        /// The name scored.
        name: String,
    },
    /// A position not in the org snapshot used.
    #[error("position {position} is not in the org snapshot")]
    UnknownPosition {
        /// The position.
        position: PositionId,
    },
    /// A team member outside the manager's subtree.
    #[error("{member} is not in {manager}'s team")]
    MemberOutsideTeam {
        /// The manager.
        manager: PositionId,
        /// The member.
        member: PositionId,
    },
    /// A team with no members.
    #[error("the team under {manager} has no members")]
    NoMembers {
        /// The manager.
        manager: PositionId,
    },
    /// A member listed twice.
    #[error("{member} is listed twice")]
    DuplicateMember {
        /// The member.
        member: PositionId,
    },
    /// A team quota of zero: the team has no attainment.
    #[error("the team under {manager} has no quota")]
    NoTeamQuota {
        /// The manager.
        manager: PositionId,
    },
    /// A share split with a member without a share.
    #[error("team member {member} has no share")]
    MissingShare {
        /// The member.
        member: PositionId,
    },
    /// An attainment split with a member without a quota.
    #[error("team member {member} has no quota")]
    MissingQuota {
        /// The member.
        member: PositionId,
    },
    /// Members' shares that do not add up to exactly 100%.
    #[error("the shares of {manager}'s team add up to {sum}, not 1")]
    SharesNotWhole {
        /// The manager.
        manager: PositionId,
        /// Their sum, as a fraction.
        sum: Decimal,
    },
    /// A team pool that could not be split (every member weighs zero).
    #[error("splitting the pool of {manager}'s team: {source}")]
    Team {
        /// The manager.
        manager: PositionId,
        /// Why.
        source: Box<AllocationError>,
    },
    /// The rollup could not give a total or an attainment.
    #[error(transparent)]
    Rollup {
        /// Why.
        source: Box<RollupError>,
    },
    /// A top-N contest without prizes.
    #[error("contest {contest} has no prizes")]
    NoPrizes {
        /// The contest.
        contest: PlanId,
    },
    /// A negative prize, one with fractions of a minor unit, or prizes in
    /// several currencies.
    #[error("contest {contest} has an unusable prize {prize}")]
    BadPrize {
        /// The contest.
        contest: PlanId,
        /// The prize.
        prize: Money,
    },
    /// More entrants than a contest's `u32` ranks can number.
    #[error("contest {contest} has {count} entrants, more than its ranks can number")]
    TooManyEntrants {
        /// The contest.
        contest: PlanId,
        /// How many entrants there were.
        count: usize,
    },
    /// A tied prize that could not be split.
    #[error("sharing a prize of contest {contest}: {source}")]
    Contest {
        /// The contest.
        contest: PlanId,
        /// Why.
        source: Box<AllocationError>,
    },
    /// A discretionary bonus id used twice.
    #[error("discretionary bonus {bonus} already exists")]
    DuplicateBonus {
        /// The id.
        bonus: PlanId,
    },
    /// A discretionary bonus not in the ledger.
    #[error("no discretionary bonus {bonus}")]
    UnknownBonus {
        /// The id.
        bonus: PlanId,
    },
    /// A discretionary bonus of zero or less.
    #[error("discretionary bonus {bonus} of {amount}: it must be positive")]
    NonPositiveBonus {
        /// The id.
        bonus: PlanId,
        /// The amount.
        amount: Money,
    },
    /// A state change that the bonus's state does not allow (approving a
    /// rejected bonus).
    #[error("discretionary bonus {bonus} is {from}; it cannot become {to}")]
    InvalidTransition {
        /// The bonus.
        bonus: PlanId,
        /// Its state.
        from: &'static str,
        /// The state asked for.
        to: &'static str,
    },
    /// A negative budget.
    #[error("{manager}'s budget of {amount} is negative")]
    NegativeBudget {
        /// The manager.
        manager: PersonId,
        /// The amount.
        amount: Money,
    },
    /// Two budgets of one manager over overlapping periods.
    #[error("{manager} has overlapping budgets for {first} and {second}")]
    OverlappingBudgets {
        /// The manager.
        manager: PersonId,
        /// The existing budget's period.
        first: Period,
        /// The new one's.
        second: Period,
    },
    /// No budget for the proposer on the proposal date.
    #[error("{manager} has no discretionary budget on {date}")]
    NoBudget {
        /// The manager.
        manager: PersonId,
        /// The date.
        date: NaiveDate,
    },
    /// Approving the bonus would take its proposer's approved bonuses over
    /// the budget.
    #[error(
        "approving {bonus} ({requested}) would take {manager}'s approved bonuses from {committed} over the budget of {budget}"
    )]
    OverBudget {
        /// The bonus.
        bonus: PlanId,
        /// The manager whose budget it is charged to.
        manager: PersonId,
        /// The budget, in the bonus's currency.
        budget: Decimal,
        /// Already approved, in the bonus's currency.
        committed: Decimal,
        /// This bonus.
        requested: Money,
    },
    /// The approver may not approve the bonus.
    #[error("{approver} may not approve {bonus}{}", needs.as_ref().map(|n| format!("; {n} can")).unwrap_or_default())]
    NotAuthorized {
        /// The bonus.
        bonus: PlanId,
        /// Who tried.
        approver: PersonId,
        /// Who could, when someone above can.
        needs: Option<PersonId>,
    },
    /// A custom role the org does not declare, named by the policy.
    #[error("the authority policy names role {role}, which the org does not declare")]
    UnknownRole {
        /// The role.
        role: RoleId,
    },
    /// Two pre-approved plans with one id.
    #[error("action plan {plan} appears twice in the policy")]
    DuplicatePlan {
        /// The plan.
        plan: PlanId,
    },
    /// A plan approved from a position whose role may not approve plans.
    #[error("action plan {plan} is approved from {position}, whose role may not approve plans")]
    PlanNotAuthorized {
        /// The plan.
        plan: PlanId,
        /// The approver's position.
        position: PositionId,
    },
    /// An action plan the policy does not hold.
    #[error("no action plan {plan} in the policy")]
    UnknownActionPlan {
        /// The plan.
        plan: PlanId,
    },
    /// A check on another date than the snapshot's.
    #[error("asked as of {as_of}, but the org snapshot is of {snapshot}")]
    SnapshotDate {
        /// The date asked.
        as_of: NaiveDate,
        /// The snapshot's date.
        snapshot: NaiveDate,
    },
    /// A person who holds no position on the date.
    #[error("{person} holds no position on {date}")]
    NotInOrg {
        /// The person.
        person: PersonId,
        /// The date.
        date: NaiveDate,
    },
    /// An actor who is not above the subject: nobody has authority outside
    /// their own subtree, nor over themselves.
    #[error("{actor} is not above {subject} in the org")]
    ActorOutsideChain {
        /// The actor.
        actor: PersonId,
        /// The subject.
        subject: PersonId,
    },
    /// The org has no valid snapshot on the date.
    #[error(transparent)]
    Org {
        /// Why.
        source: Box<OrgError>,
    },
    /// A commission adjustment its approver may not approve (no
    /// authority, over their limit, or outside their scope).
    #[error("{} may not approve {}'s adjustment of {}: {}", .0.approver, .0.person, .0.amount, .0.reason)]
    AdjustmentRefused(Box<super::AdjustmentRefusal>),
    /// A commission adjustment approved by the person who proposed it.
    #[error("{person} proposed the adjustment and may not approve it too")]
    OwnAdjustment {
        /// The proposer and would-be approver.
        person: PersonId,
    },
    /// A quota change the approver may not approve (no power, over the
    /// limit, or outside their subtree).
    #[error("{approver} may not {action} for {subject}{}{}", limit.map(|l| format!(" (their limit is {l})")).unwrap_or_default(), needs.as_ref().map(|n| format!("; {n} can")).unwrap_or_default())]
    QuotaChangeNotAuthorized {
        /// Who tried.
        approver: PersonId,
        /// Whose quota it changes.
        subject: PersonId,
        /// The action, in words ("approve a quota relief of 20%").
        action: Box<str>,
        /// The approver's largest relief, when that is what stops them.
        limit: Option<Percent>,
        /// Who could, when someone above can.
        needs: Option<PersonId>,
    },
    /// A quota change on a seat nobody holds on the authority's date, or
    /// one that changes no held seat: there is nobody whose manager's
    /// authority could be checked.
    #[error("nobody holds {position} on {date}, so no authority over its quota can be checked")]
    QuotaSeatVacant {
        /// The seat.
        position: PositionId,
        /// The authority's date.
        date: NaiveDate,
    },
    /// A quota change on a version it was not proposed against, or one the
    /// version refuses (an unknown position).
    #[error(transparent)]
    Quota {
        /// Why.
        source: Box<crate::quota::QuotaError>,
    },
}
