//! What can go wrong here (quota plans, seasonality, ramps and
//! adjustments), with the ids and values involved.

use crate::allocation::AllocationError;
use crate::calendar::{CalendarError, Period};
use crate::ids::{PositionId, TerritoryId};
use crate::money::{Money, MoneyError};
use crate::org::OrgError;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Quota plans: seasonality, cascades, ramps, adjustments, person quotas.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QuotaError {
    /// A seasonality profile that is not 4, 12, 52 or 53 weights (or a
    /// weekly profile that does not match the year's weeks): 11 or 13
    /// months.
    #[error("a seasonality profile needs 4, 12 or 52/53 weights, not {len}")]
    ProfileLength {
        /// How many weights were given.
        len: usize,
    },
    /// A weekly profile on a month-based calendar, whose weeks cross month
    /// ends (use a retail calendar, or a monthly profile).
    #[error("a weekly profile needs a calendar whose weeks nest in its months")]
    WeeksCrossMonths,
    /// A negative seasonality weight.
    #[error("seasonality weight {index} is negative: {weight}")]
    NegativeProfileWeight {
        /// Its position in the profile.
        index: usize,
        /// The weight.
        weight: Decimal,
    },
    /// A seasonality profile whose weights are all zero.
    #[error("every seasonality weight is zero")]
    ZeroProfile,
    /// A quarter shared among its months by working days that has none.
    #[error("quarter {quarter} has no working day to share its target by")]
    NoWorkingDays {
        /// The quarter.
        quarter: Period,
    },
    /// A profile split that cannot be prepared.
    #[error("cannot split by the profile: {source}")]
    Split {
        /// Why.
        source: Box<AllocationError>,
    },
    /// A period whose parts cannot be split.
    #[error("cannot split {period}: {source}")]
    SplitPeriod {
        /// The period.
        period: Period,
        /// Why.
        source: Box<AllocationError>,
    },
    /// A date computation failed (a year out of range).
    #[error(transparent)]
    Calendar {
        /// Why.
        #[from]
        source: CalendarError,
    },
    /// An amount in another currency, with fractions of a minor unit, or out
    /// of range.
    #[error("amount: {source}")]
    Amount {
        /// Why.
        source: MoneyError,
    },
    /// A negative quota target.
    #[error("the target {amount} is negative")]
    NegativeTarget {
        /// The target given.
        amount: Money,
    },
    /// A basis naming a measure that was not given.
    #[error("no measure named {name:?}")]
    UnknownMeasure {
        /// The name.
        name: String,
    },
    /// A measure without exactly one figure per declared position.
    #[error("measure {name:?} has {found} figures for {expected} positions")]
    MeasureLength {
        /// The measure.
        name: String,
        /// Declared positions.
        expected: usize,
        /// Figures given.
        found: usize,
    },
    /// A manager's target could not be split among the reports.
    #[error("splitting {manager}'s target{}: {source}", report.as_ref().map(|r| format!(" (at {r})")).unwrap_or_default())]
    Allocation {
        /// The manager whose target was being split.
        manager: PositionId,
        /// The report the problem is with, when there is one.
        report: Option<PositionId>,
        /// What went wrong.
        source: Box<AllocationError>,
    },
    /// A territory's target could not be split among its children (or a
    /// leaf's among its primaries).
    #[error("splitting territory {parent}'s target: {source}")]
    TerritorySplit {
        /// The territory whose target was being split.
        parent: TerritoryId,
        /// What went wrong.
        source: Box<AllocationError>,
    },
    /// A territory tree with no territory to carry the target.
    #[error("the territory tree is empty")]
    EmptyTerritoryTree,
    /// Capacity periods that are not months in order: a period of other
    /// than 28 to 35 days, or one that does not start where the one
    /// before it ends.
    #[error("{period} is not the month after the one before it")]
    NotMonthByMonth {
        /// The first such period.
        period: Period,
    },
    /// A leaf measure given for a territory with children (its weight is
    /// its leaves' sum).
    #[error("territory {territory} has children: its weight is the sum of its leaves' measures")]
    MeasureOnInnerTerritory {
        /// The territory.
        territory: TerritoryId,
    },
    /// A measure naming a territory that is not in the tree.
    #[error("territory {territory} is not in the tree")]
    UnknownTerritory {
        /// The territory.
        territory: TerritoryId,
    },
    /// A position not in the plan's snapshot.
    #[error("position {position} is not in the plan")]
    UnknownPosition {
        /// The position.
        position: PositionId,
    },
    /// A node index past the end of the plan's snapshot.
    #[error("node {index} is not in the plan's snapshot")]
    NodeOutOfRange {
        /// The index.
        index: usize,
    },
    /// A node index issued by another snapshot than the plan's: it names
    /// nothing in the plan, even where a node has that number.
    #[error("node {index} belongs to another snapshot than the plan's")]
    ForeignNode {
        /// The index, as numbered in the snapshot that issued it.
        index: usize,
    },
    /// An adjustment or query for a period outside the plan's year.
    #[error("{period} is outside the plan's year")]
    PeriodOutsidePlan {
        /// The period.
        period: Period,
    },
    /// A month index past the twelfth.
    #[error("month {month} is not one of the plan's twelve (0-11)")]
    MonthOutOfRange {
        /// The month asked for.
        month: usize,
    },
    /// A relief or transfer of zero or less (a relief raises no target: add
    /// a transfer from elsewhere).
    #[error("an adjustment of {amount}: adjustments must be positive")]
    NonPositiveAdjustment {
        /// The amount given.
        amount: Money,
    },
    /// The plan excludes the role of the top position, which would leave
    /// the whole org without quota.
    #[error("the top position {position} has an excluded role")]
    TopExcluded {
        /// The top position.
        position: PositionId,
    },
    /// A total overflowed while rolling targets up.
    #[error("the total of {position} overflows")]
    Overflow {
        /// Where.
        position: PositionId,
    },
    /// A relief or transfer that would take a position below zero.
    #[error("taking {amount} from {position} would leave it below zero")]
    ReliefExceedsTarget {
        /// The position.
        position: PositionId,
        /// The amount.
        amount: Money,
    },
    /// A hire date after the period asked about (nobody carries quota before
    /// they are hired).
    #[error("hired on {hire}, after {period}")]
    HireOutsidePeriod {
        /// The hire date.
        hire: NaiveDate,
        /// The period.
        period: Period,
    },
    /// The org could not answer (an unknown person).
    #[error(transparent)]
    Org {
        /// Why.
        #[from]
        source: OrgError,
    },
    /// Figures of a period that do not add up in 128 bits: months set one
    /// by one ([`YearSplitter::from_months`](crate::quota::YearSplitter::from_months))
    /// whose quarter or year overflows.
    #[error("the figures of {period} overflow when added up")]
    SumOverflow {
        /// The quarter or year being added up.
        period: Period,
    },
    /// The stretches a seat was held in one month add up to more units
    /// (days, working days, months) than the month has: the org's
    /// assignments overlap where they must not.
    #[error("the stretches {position} was held in {month} add up to more than its {total} units")]
    HeldUnits {
        /// The seat.
        position: PositionId,
        /// The plan month.
        month: Period,
        /// The month's units.
        total: u32,
    },
    /// The periods given to [`Ramp::factor_over`](crate::quota::Ramp::factor_over)
    /// add up to more days than a `u32` counts.
    #[error("the {periods} periods of a ramp from {hire} add up to more days than a u32 counts")]
    RampDaysOverflow {
        /// The hire date.
        hire: NaiveDate,
        /// How many periods were given.
        periods: usize,
    },
    /// A measure's rounding unit that is zero or negative.
    #[error("a measure's rounding unit must be positive, not {step}")]
    NonPositiveUnit {
        /// The step given.
        step: Decimal,
    },
    /// A target, floor or cap that is not a whole number of its measure's
    /// steps.
    #[error("{value} of {measure} is not a whole number of steps of {step}")]
    NotWholeUnits {
        /// The measure.
        measure: String,
        /// The figure.
        value: Decimal,
        /// The measure's step.
        step: Decimal,
    },
    /// A count of steps beyond a `Decimal`.
    #[error("{steps} steps do not fit a decimal figure")]
    StepsOverflow {
        /// The count.
        steps: i128,
    },
    /// A change, diff or version made from another version than the one it
    /// is applied to or compared with.
    #[error("version {newer} does not follow from version {older}")]
    VersionDoesNotChain {
        /// The version it is applied to, or the older one compared.
        older: u32,
        /// The version it was made for or from.
        newer: u32,
    },
    /// More versions than a `u32` counts.
    #[error("too many versions")]
    VersionOverflow,
    /// A change effective after the last month of the plan has begun.
    #[error("effective on {date}, after the plan's last month began ({last})")]
    EffectiveAfterPlan {
        /// The effective date.
        date: NaiveDate,
        /// The start of the plan's last month.
        last: NaiveDate,
    },
    /// A reorg whose cascade gives the rest of the year another company
    /// target than the version has.
    #[error("the reorg gives {position} {found} for the rest of the year, not {expected}")]
    ReorgChangesTotal {
        /// The top of the plan.
        position: PositionId,
        /// What the version has left for the year.
        expected: Money,
        /// What the reorg's cascade has.
        found: Money,
    },
    /// A negative target in a measure.
    #[error("a target of {value} {measure} is negative")]
    NegativeMeasureTarget {
        /// The measure.
        measure: String,
        /// The target.
        value: Decimal,
    },
}
