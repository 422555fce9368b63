//! What can go wrong here (commission plans and statements), with the ids
//! and values involved.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::calendar::{CalendarError, Period};
use crate::comp::PayRate;
use crate::credit::{CreditBasis, CreditError};
use crate::ids::{PersonId, PlanId, TransactionId};
use crate::money::{Currency, Money, MoneyError};

/// Commission plans and statements (see [`crate::comp`]). Every variant
/// names the plan, component, person, transactions and values involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CompError {
    /// A plan without components.
    #[error("plan {plan} has no components")]
    NoComponents {
        /// The plan.
        plan: PlanId,
    },
    /// A component with an empty or blank name.
    #[error("a component has no name")]
    UnnamedComponent,
    /// Two components with one name.
    #[error("plan {plan} has two components called {component:?}")]
    DuplicateComponent {
        /// The plan.
        plan: PlanId,
        /// The name.
        component: String,
    },
    /// A tiered rate table without tiers.
    #[error("component {component:?} has no tiers")]
    NoTiers {
        /// The component.
        component: String,
    },
    /// The first tier does not start at zero.
    #[error("component {component:?}: the first tier starts at {from}, not 0")]
    TierStart {
        /// The component.
        component: String,
        /// Where it starts.
        from: Decimal,
    },
    /// A tier starting after the previous one ends.
    #[error(
        "component {component:?}: tier {tier} starts at {from}, leaving a gap after {previous_to}"
    )]
    TierGap {
        /// The component.
        component: String,
        /// The tier's index.
        tier: usize,
        /// Where it starts.
        from: Decimal,
        /// Where the previous tier ends.
        previous_to: Decimal,
    },
    /// A tier starting before the previous one ends (overlapping, or out of
    /// order).
    #[error(
        "component {component:?}: tier {tier} starts at {from}, inside the previous tier ending at {previous_to}"
    )]
    TierOverlap {
        /// The component.
        component: String,
        /// The tier's index.
        tier: usize,
        /// Where it starts.
        from: Decimal,
        /// Where the previous tier ends.
        previous_to: Decimal,
    },
    /// Retroactive tiers whose rate falls: the whole measure is paid at the
    /// rate reached, so selling past the tier's bound would pay less in
    /// all (marginal tiers may have any rates).
    #[error(
        "component {component:?}: retroactive tier {tier} pays {rate}, less than the tier below it ({previous}): more credit would pay less"
    )]
    FallingRetroactiveRate {
        /// The component.
        component: String,
        /// The tier's index.
        tier: usize,
        /// Its rate.
        rate: PayRate,
        /// The rate of the tier below.
        previous: PayRate,
    },
    /// A tier whose upper bound is not above its lower bound.
    #[error("component {component:?}: tier {tier} runs from {from} to {to}")]
    TierOrder {
        /// The component.
        component: String,
        /// The tier's index.
        tier: usize,
        /// Its lower bound.
        from: Decimal,
        /// Its upper bound.
        to: Decimal,
    },
    /// An open-ended tier that is not the last.
    #[error("component {component:?}: tier {tier} is open-ended but not the last")]
    OpenTier {
        /// The component.
        component: String,
        /// The tier's index.
        tier: usize,
    },
    /// A last tier with an upper bound (use a cap to stop paying).
    #[error(
        "component {component:?}: the last tier ends at {to}; it must be open-ended (use a cap to stop paying)"
    )]
    ClosedLastTier {
        /// The component.
        component: String,
        /// Its upper bound.
        to: Decimal,
    },
    /// A negative rate.
    #[error("component {component:?}: rate {rate} (tier {tier:?}) is negative")]
    NegativeRate {
        /// The component.
        component: String,
        /// The tier's index; `None` for a flat rate.
        tier: Option<usize>,
        /// The rate.
        rate: Decimal,
    },
    /// A percentage on a quantity measure, or an amount per unit on a
    /// money measure.
    #[error(
        "component {component:?}: the rate's unit does not fit the measure {measure:?} (percentages for money, amounts per unit for quantities)"
    )]
    RateUnit {
        /// The component.
        component: String,
        /// Its measure.
        measure: CreditBasis,
    },
    /// Multiplier bands out of order.
    #[error("component {component:?}: a multiplier band runs from {from} to {to}")]
    MultiplierOrder {
        /// The component.
        component: String,
        /// The band's lower bound (attainment).
        from: Decimal,
        /// Its upper bound.
        to: Decimal,
    },
    /// Multiplier bands that overlap.
    #[error(
        "component {component:?}: a multiplier band starting at {from} overlaps one ending at {previous_to}"
    )]
    MultiplierOverlap {
        /// The component.
        component: String,
        /// Where the later band starts.
        from: Decimal,
        /// Where the earlier one ends.
        previous_to: Decimal,
    },
    /// An attainment cap at or below a tier, multiplier, gate or cliff
    /// threshold, which could never be reached.
    #[error(
        "component {component:?}: the cap at {cap} attainment is not above the threshold {threshold}"
    )]
    CapBelowThreshold {
        /// The component.
        component: String,
        /// The cap (attainment fraction).
        cap: Decimal,
        /// The highest threshold (attainment fraction).
        threshold: Decimal,
    },
    /// A component the plan does not have.
    #[error("the plan has no component {component:?}")]
    UnknownComponent {
        /// The name asked for.
        component: String,
    },
    /// A negative cap or minimum.
    #[error("component {component:?}: {amount} is negative")]
    NegativeAmount {
        /// The component.
        component: String,
        /// The amount.
        amount: Money,
    },
    /// A minimum above a cap.
    #[error("component {component:?}: minimum {minimum} is above the cap {cap}")]
    MinimumAboveCap {
        /// The component.
        component: String,
        /// The minimum.
        minimum: Decimal,
        /// The cap.
        cap: Decimal,
    },
    /// A negative draw or floor.
    #[error("plan {plan}: draw amount {amount} is negative")]
    NegativeDraw {
        /// The plan.
        plan: PlanId,
        /// The amount.
        amount: Money,
    },
    /// An amount in another currency than the plan's.
    #[error("component {component:?}: {found} amount in a {expected} plan")]
    Currency {
        /// The component (or `"draw"`).
        component: String,
        /// The plan's currency.
        expected: Currency,
        /// The amount's.
        found: Currency,
    },
    /// A deal returned (clawed back) while part of its pay is still held:
    /// the clawback would take back the held part too, which was never
    /// paid. Release the deal's held part first (or forfeit it).
    #[error("{person}: {sale} is returned on {date} while part of its pay is held")]
    HeldDealReturned {
        /// The person.
        person: PersonId,
        /// The deal.
        sale: TransactionId,
        /// The return's date.
        date: NaiveDate,
    },
    /// A pay period split between plans (a plan change inside it, split
    /// by days) under a plan with an amount the days do not prorate: a
    /// draw, a cap per period, a minimum, or tiers bounded by amounts.
    /// Split such plans at the period's end ([`PlanSplit::PeriodEnd`](super::PlanSplit::PeriodEnd))
    /// or change plans on a period boundary.
    #[error(
        "{person}'s {period} is split between plans, and {what} of plan {plan} would apply whole to its part"
    )]
    SplitPeriodLimit {
        /// The person.
        person: PersonId,
        /// The plan whose amount would not be prorated.
        plan: PlanId,
        /// The pay period.
        period: Period,
        /// What: "a draw", "a cap per period", "a minimum per period",
        /// "tiers bounded by amounts".
        what: &'static str,
    },
    /// Two plan assignments of one person that overlap.
    #[error("{person} is on plans {first} and {second} on {day}")]
    OverlappingAssignments {
        /// The person.
        person: PersonId,
        /// The earlier assignment's plan.
        first: PlanId,
        /// The later one's.
        second: PlanId,
        /// The first day both apply.
        day: NaiveDate,
    },
    /// A component whose measure the credits do not provide.
    #[error("component {component:?} measures {measure:?}, which the credits do not provide")]
    MissingMeasure {
        /// The component.
        component: String,
        /// Its measure.
        measure: CreditBasis,
    },
    /// Two credit runs for one measure.
    #[error("two credit runs measure {measure:?}")]
    DuplicateMeasure {
        /// The measure.
        measure: CreditBasis,
    },
    /// A credit run of four billion lines or more.
    #[error("the credit run for {measure:?} has too many lines: {count}")]
    TooManyLines {
        /// The run's measure.
        measure: CreditBasis,
        /// How many lines it has.
        count: usize,
    },
    /// Payouts for more people, pay periods and components than an index
    /// can count.
    #[error("payouts for {people} people over {amounts} amounts each are too many to hold")]
    TooManyPayouts {
        /// How many people.
        people: usize,
        /// The amounts of one person: each pay period's per component and
        /// total.
        amounts: usize,
    },
    /// Money credits in another currency than the plan's.
    #[error("credits for {measure:?} are in {found}, the plan pays in {expected}")]
    CreditCurrency {
        /// The measure.
        measure: CreditBasis,
        /// The plan's currency.
        expected: Currency,
        /// The credits'.
        found: Currency,
    },
    /// A person's quota entries do not cover a period the plan needs
    /// exactly (a gap, an entry straddling its edge, or entries that
    /// overlap).
    #[error("{person} has no quota covering {period}")]
    MissingQuota {
        /// The person.
        person: PersonId,
        /// The period.
        period: Period,
    },
    /// A quota entry in another currency, or negative.
    #[error("{person}: quota {amount} for {period} is invalid (another currency, or negative)")]
    BadQuota {
        /// The person.
        person: PersonId,
        /// The entry's period.
        period: Period,
        /// Its amount.
        amount: Money,
    },
    /// A component that depends on attainment, for a period with zero
    /// quota.
    #[error(
        "{person}: component {component:?} needs attainment but the quota for {period} is zero"
    )]
    ZeroQuota {
        /// The person.
        person: PersonId,
        /// The component.
        component: String,
        /// The period.
        period: Period,
    },
    /// A component that qualifies deals, without facts about this deal.
    #[error("component {component:?} must qualify deal {sale}, which is not among the deals given")]
    UnknownDeal {
        /// The component.
        component: String,
        /// The sale.
        sale: TransactionId,
    },
    /// A reversal of a deal that no line of the credit runs credits to the
    /// person (the runs given do not hold the sale's lines, or the sale
    /// credited someone else).
    #[error("{person}: {transaction} reverses {sale}, but no credit line credits {sale} to them")]
    ClawbackUnknownDeal {
        /// The person.
        person: PersonId,
        /// The reversal.
        transaction: TransactionId,
        /// The deal.
        sale: TransactionId,
    },
    /// Reversals of a deal taking back more than it credited the person.
    #[error("{}: {} reverses {} of {}, which credited only {}", .0.person, .0.transaction, .0.reversed, .0.sale, .0.credited)]
    ClawbackExceeds(Box<Overdrawn>),
    /// A reversal dated before the deal's credit.
    #[error("{person}: {transaction} on {date} reverses {sale}, credited only on {sale_date}")]
    ClawbackBeforeDeal {
        /// The person.
        person: PersonId,
        /// The reversal.
        transaction: TransactionId,
        /// The deal.
        sale: TransactionId,
        /// The reversal's date.
        date: NaiveDate,
        /// The deal's first credit date.
        sale_date: NaiveDate,
    },
    /// A reversal in this plan year of a deal paid in an earlier one,
    /// without the locked statement that shows what the deal was paid:
    /// pass the person's statements of that period among the locked ones.
    #[error(
        "{}: {} reverses {}, paid under {:?} in {} to {} of an earlier plan year: pass that period's locked statement",
        .0.person,
        .0.transaction,
        .0.sale,
        .0.component,
        .0.period.start(),
        .0.period.last_day()
    )]
    PriorPayUnknown(Box<PriorPay>),
    /// A locked statement that does not belong to this plan and person, or
    /// to none of the plan's pay periods.
    #[error(
        "{person}: the locked statement for {period} is not one of plan {plan}'s pay periods for them"
    )]
    ForeignStatement {
        /// The person.
        person: PersonId,
        /// The plan computing.
        plan: PlanId,
        /// The statement's period.
        period: Period,
    },
    /// A date outside the plan year.
    #[error("{date} is outside plan year {year}")]
    OutsideYear {
        /// The date.
        date: NaiveDate,
        /// The plan year.
        year: Period,
    },
    /// Money arithmetic failed (overflow).
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// The calendar could not lay out the plan year.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// A credit run's lines that no longer check when taken apart.
    #[error(transparent)]
    Credit(#[from] CreditError),
    /// Plans of different plan years given together.
    #[error("plan {plan} is for {year}, the others for {expected}")]
    PlanYears {
        /// The plan.
        plan: PlanId,
        /// Its year.
        year: Period,
        /// The first plan's year.
        expected: Period,
    },
    /// A plan assignment to a plan that was not given.
    #[error("{person} is assigned to plan {plan}, which was not given")]
    UnknownPlan {
        /// The person.
        person: PersonId,
        /// The plan.
        plan: PlanId,
    },
    /// No plan in force for a person on a date they have credit, or in
    /// the year at all.
    #[error("{person} is on no plan on {date}")]
    NoPlanInForce {
        /// The person.
        person: PersonId,
        /// The date (the year's first day when no plan is in force in it).
        date: NaiveDate,
    },
    /// A plan taking over after the year starts, with a year-to-date
    /// component measured against a quota.
    #[error(
        "{person} moves to plan {plan} on {from}, but its year-to-date component {component:?} would measure a quota from before"
    )]
    PlanChangeYearToDate {
        /// The person.
        person: PersonId,
        /// The plan.
        plan: PlanId,
        /// The component.
        component: String,
        /// When the plan takes over.
        from: NaiveDate,
    },
    /// A dispute against a line a statement does not have.
    #[error("{person}'s statement for {period} has {lines} lines, not a line {line}")]
    NoSuchLine {
        /// The person.
        person: PersonId,
        /// The pay period.
        period: Period,
        /// The line asked for (from 0).
        line: usize,
        /// How many lines it has.
        lines: usize,
    },
    /// An adjustment put on a statement of another person or pay period.
    #[error(
        "the adjustment for {person} on {date} does not belong on {statement_person}'s statement for {period}"
    )]
    AdjustmentElsewhere {
        /// The adjustment's person.
        person: PersonId,
        /// Its date.
        date: NaiveDate,
        /// The statement's person.
        statement_person: PersonId,
        /// The statement's pay period.
        period: Period,
    },
    /// An adjustment whose person has no statement for its date.
    #[error("no statement of {person} holds {date}, the date of an adjustment for them")]
    NoStatementForAdjustment {
        /// The person.
        person: PersonId,
        /// The adjustment's date.
        date: NaiveDate,
    },
    /// A release of a deal nothing is held for.
    #[error("nothing is held for {transaction} to release on {date}")]
    UnknownHold {
        /// The deal.
        transaction: TransactionId,
        /// The release's date.
        date: NaiveDate,
    },
    /// A carried cap forfeited at a plan's end that no statement can show:
    /// the plan's last statement for the person is locked showing it still
    /// carried, and no statement of the person under another plan follows
    /// it in the statements given (see
    /// [`carry_capped_in_force`](super::carry_capped_in_force)).
    #[error(
        "{}'s carry of {} under plan {} ({}) is forfeited at the plan's end, but its last statement ({}) is locked and no later statement of {} is given to show it",
        .0.person, .0.amount, .0.plan, .0.component, .0.period.start(), .0.person
    )]
    CarryForfeitUnshown(Box<UnshownForfeit>),
    /// An engine asked to read credit lines from where it was not made
    /// to: rows from an engine made from columns, or the reverse.
    #[error("this engine reads credited lines from {built}: call {instead}")]
    WrongLines {
        /// Where the engine reads its lines from (`runs` or `columns`).
        built: &'static str,
        /// The method to call instead.
        instead: &'static str,
    },
    /// People given to an engine made from columns who are not the
    /// columns' people (person key `i` is the `i`-th person given).
    #[error("the {measure:?} columns key {keys} people, {people} were given")]
    ColumnPeople {
        /// The columns' measure.
        measure: CreditBasis,
        /// How many people their keys number.
        keys: usize,
        /// How many people were given.
        people: usize,
    },
    /// A quota column (see [`QuotaColumns`](super::QuotaColumns)) whose
    /// length is not the number of people the columns key.
    #[error("the {measure:?} quota column of {period:?} has {len} values for {people} people")]
    QuotaColumnLength {
        /// The column's measure.
        measure: CreditBasis,
        /// The column's period.
        period: Period,
        /// How many values it has.
        len: usize,
        /// How many people the quota columns key.
        people: usize,
    },
    /// A negative quota in a quota column, in minor units of the
    /// columns' currency.
    #[error("person key {key}'s {measure:?} quota of {period:?} is negative: {minor} minor units")]
    BadQuotaColumn {
        /// The person's key (their row in the column).
        key: usize,
        /// The column's measure.
        measure: CreditBasis,
        /// The column's period.
        period: Period,
        /// The value, in minor units.
        minor: i64,
    },
    /// Quota columns in a currency other than the plan's.
    #[error("the quota columns are in {quotas}, the plan pays in {plan}")]
    QuotaColumnCurrency {
        /// The quota columns' currency.
        quotas: Currency,
        /// The plan's currency.
        plan: Currency,
    },
    /// Quota columns given to an engine whose people are not as many as
    /// the columns key.
    #[error("the quota columns key {quotas} people, {people} were given")]
    QuotaColumnPeople {
        /// How many people the quota columns key.
        quotas: usize,
        /// How many people were given.
        people: usize,
    },
    /// Two person keys of columns given the same person id, both with a
    /// returned or reversed deal: their lines would be mixed.
    #[error("person {person} is given for keys {} and {}, both reversing deals", .keys.0, .keys.1)]
    DuplicatePersonKeys {
        /// The person id given twice.
        person: PersonId,
        /// The first key and the second.
        keys: (u32, u32),
    },
}

/// A deal reversed by more than it credited (see
/// [`CompError::ClawbackExceeds`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Overdrawn {
    /// The person.
    pub person: PersonId,
    /// The reversal that goes past the original.
    pub transaction: TransactionId,
    /// The deal.
    pub sale: TransactionId,
    /// What its reversals take back so far (a positive amount).
    pub reversed: Decimal,
    /// What it credited.
    pub credited: Decimal,
}

/// A deal of an earlier plan year reversed in this one, whose pay no
/// locked statement shows (see [`CompError::PriorPayUnknown`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PriorPay {
    /// The person.
    pub person: PersonId,
    /// The component.
    pub component: String,
    /// The reversal.
    pub transaction: TransactionId,
    /// The deal.
    pub sale: TransactionId,
    /// The component period the deal was credited in.
    pub period: Period,
}

/// A carry forfeited at a plan's end that no statement can show (see
/// [`CompError::CarryForfeitUnshown`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnshownForfeit {
    /// The person.
    pub person: PersonId,
    /// The plan that ended.
    pub plan: PlanId,
    /// The component.
    pub component: String,
    /// The plan's last pay period for the person (locked).
    pub period: Period,
    /// What is forfeited.
    pub amount: Money,
}
