//! Errors.
//!
//! Each area has its own narrow error enum ([`IdError`], [`MoneyError`],
//! [`CalendarError`], ...), returned by that area's functions. All of them
//! convert into the crate-wide [`Error`] with `?`, and back with `TryFrom`.
//! Every variant carries the ids and values involved as data, never only as
//! formatted text, so a caller can show them, log them or act on them.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::calendar::{DateRange, Period};
use crate::ids::{PersonId, PositionId, RoleId};
use crate::money::{Currency, Money};

mod activity;
mod bonus;
mod comp;
mod credit;
mod perf;
mod territory;

pub use self::activity::ActivityError;
pub use self::bonus::BonusError;
pub use self::comp::{CompError, Overdrawn, PriorPay};
pub use self::credit::CreditError;
pub use self::perf::PerfError;
pub use self::territory::TerritoryError;

/// The crate-wide error: one variant per area.
///
/// ```
/// use salesplan::{Error, Money, Currency, MoneyError};
///
/// fn total() -> Result<Money, Error> {
///     let usd = Money::parse("10.00", Currency::USD)?;
///     let eur = Money::parse("10.00", Currency::EUR)?;
///     Ok(usd.checked_add(eur)?)
/// }
/// let err = total().unwrap_err();
/// assert!(matches!(
///     MoneyError::try_from(err),
///     Ok(MoneyError::CurrencyMismatch { .. })
/// ));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An id failed validation.
    #[error(transparent)]
    Id(#[from] IdError),
    /// Money arithmetic, parsing, currencies, rates or FX.
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// Dates, periods, fiscal calendars, working days and proration.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// The org: positions, reporting lines, assignments, snapshots.
    #[error(transparent)]
    Org(#[from] OrgError),
    /// Bottom-up aggregation over an org snapshot.
    #[error(transparent)]
    Rollup(#[from] RollupError),
    /// Splitting a total over recipients.
    #[error(transparent)]
    Allocation(#[from] AllocationError),
    /// Quota plans, seasonality, ramps and adjustments.
    #[error(transparent)]
    Quota(#[from] QuotaError),
    /// Territories: hierarchy, rules, coverage, balancing.
    #[error(transparent)]
    Territory(#[from] TerritoryError),
    /// Crediting transactions to people and positions.
    #[error(transparent)]
    Credit(#[from] CreditError),
    /// Activity kinds, targets and logs.
    #[error(transparent)]
    Activity(#[from] ActivityError),
    /// Commission plans and statements.
    #[error(transparent)]
    Comp(#[from] CompError),
    /// Performance evaluation: attainment, pacing, status, ranking, escalation.
    #[error(transparent)]
    Perf(#[from] PerfError),
    /// Bonuses, contests, discretionary bonuses and authority.
    #[error(transparent)]
    Bonus(#[from] BonusError),
}

macro_rules! narrow_from_umbrella {
    ($($variant:ident => $narrow:ty),* $(,)?) => {$(
        impl TryFrom<Error> for $narrow {
            type Error = Error;
            /// Recovers the narrow error, or gives the umbrella back unchanged.
            fn try_from(error: Error) -> Result<Self, Error> {
                match error {
                    Error::$variant(inner) => Ok(inner),
                    other => Err(other),
                }
            }
        }
    )*};
}

narrow_from_umbrella!(
    Id => IdError,
    Money => MoneyError,
    Calendar => CalendarError,
    Org => OrgError,
    Rollup => RollupError,
    Allocation => AllocationError,
    Quota => QuotaError,
    Territory => TerritoryError,
    Credit => CreditError,
    Activity => ActivityError,
    Comp => CompError,
    Perf => PerfError,
    Bonus => BonusError,
);

/// An id was rejected: which kind of id, the text given, and why.
///
/// ```
/// use salesplan::{PositionId, IdProblem};
///
/// let err = PositionId::new(" P1").unwrap_err();
/// assert_eq!(err.kind, "position");
/// assert_eq!(err.value, " P1");
/// assert_eq!(err.problem, IdProblem::SurroundingWhitespace);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} id {value:?}: {problem}")]
#[non_exhaustive]
pub struct IdError {
    /// The kind of id (`"person"`, `"position"`, ...).
    pub kind: &'static str,
    /// The text that was rejected.
    pub value: String,
    /// What is wrong with it.
    pub problem: IdProblem,
}

/// Why an id was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdProblem {
    /// The text is empty: `""`.
    #[error("it is empty")]
    Empty,
    /// The text is only whitespace: `"  "`.
    #[error("it is only whitespace")]
    Blank,
    /// The text starts or ends with whitespace: `" P1"`.
    #[error("it starts or ends with whitespace")]
    SurroundingWhitespace,
    /// The text contains a control character: `"P\n1"`.
    #[error("it contains a control character")]
    ControlCharacter,
    /// The text is longer than the limit.
    #[error("it is longer than {max} bytes")]
    TooLong {
        /// The limit, in bytes.
        max: usize,
    },
}

/// An arithmetic operation, as named in overflow errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ArithOp {
    /// `left + right`
    Add,
    /// `left - right`
    Sub,
    /// `left * right`
    Mul,
    /// `left / right`
    Div,
}

impl std::fmt::Display for ArithOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        })
    }
}

/// Money arithmetic, currencies, parsing, rates and FX conversion.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// Two amounts in different currencies were combined:
    /// `10 USD + 10 EUR`.
    #[error("currency mismatch: {left} and {right}")]
    CurrencyMismatch {
        /// The currency of the left operand.
        left: Currency,
        /// The currency of the right operand.
        right: Currency,
    },
    /// The exact result does not fit in a `Decimal` (about ±7.9 × 10^28):
    /// `79228162514264337593543950335 + 1`.
    #[error("overflow: {left} {op} {right}")]
    Overflow {
        /// The operation.
        op: ArithOp,
        /// Its left operand.
        left: Decimal,
        /// Its right operand.
        right: Decimal,
    },
    /// A division by zero: `10 USD / 0`.
    #[error("division of {dividend} by zero")]
    DivisionByZero {
        /// The amount that was to be divided.
        dividend: Decimal,
    },
    /// A currency code that is well formed but not built in: `"XYZ"`.
    /// Declare it with [`Currency::custom`].
    #[error("unknown currency {code:?}")]
    UnknownCurrency {
        /// The code given.
        code: String,
    },
    /// A currency code that is not three ASCII capital letters: `"usd"`,
    /// `"US"`.
    #[error("malformed currency code {code:?}: expected three capital letters")]
    MalformedCurrencyCode {
        /// The code given.
        code: String,
    },
    /// A custom currency reuses an ISO 4217 code with other minor units:
    /// `Currency::custom("JPY", 2)`.
    #[error("currency {code} has {expected} minor units, not {given}")]
    MinorUnitsMismatch {
        /// The code.
        code: Currency,
        /// The minor units ISO 4217 gives it.
        expected: u8,
        /// The minor units declared.
        given: u8,
    },
    /// Minor units beyond the supported maximum: `Currency::custom("XQQ", 19)`.
    #[error("currency {code:?} declares {given} minor units; at most {max} are supported")]
    MinorUnitsOutOfRange {
        /// The code given.
        code: String,
        /// The minor units declared.
        given: u8,
        /// The supported maximum.
        max: u8,
    },
    /// An integer (a count of minor units, a total) beyond a `Decimal`'s 96
    /// bits: `Money::from_minor(1 << 100, USD)`.
    #[error("{value} does not fit in a Decimal")]
    IntegerTooLarge {
        /// The integer.
        value: i128,
    },
    /// An amount is not a whole number of minor units where one is required:
    /// `1.005 USD` as cents.
    #[error("{amount} {currency} is not a whole number of minor units")]
    NotInMinorUnits {
        /// The amount.
        amount: Decimal,
        /// Its currency.
        currency: Currency,
    },
    /// Text that is not a plain decimal number: `"1e3"`, `"1_000"`, `"NaN"`,
    /// `""`, or more than 28 decimal places.
    #[error("cannot parse {input:?}: {problem}")]
    Parse {
        /// The text given.
        input: String,
        /// What is wrong with it.
        problem: ParseProblem,
    },
    /// A percentage or share outside its documented range:
    /// `Percent::from_points(120)`.
    #[error("{value} is outside [{min}, {max}]")]
    OutOfRange {
        /// The value given.
        value: Decimal,
        /// The smallest value allowed.
        min: Decimal,
        /// The largest value allowed.
        max: Decimal,
    },
    /// A rate that must not be negative is: `Rate::new(-0.1)`.
    #[error("rate {value} is negative")]
    NegativeRate {
        /// The value given.
        value: Decimal,
    },
    /// No FX rate from `from` to `to` is effective on `date`.
    #[error("no {from}->{to} rate effective on {date}")]
    NoFxRate {
        /// Source currency.
        from: Currency,
        /// Target currency.
        to: Currency,
        /// The date a rate was needed for.
        date: NaiveDate,
    },
    /// An FX rate that is zero or negative.
    #[error("{from}->{to} rate {rate} effective {date} is not positive")]
    NonPositiveFxRate {
        /// Source currency.
        from: Currency,
        /// Target currency.
        to: Currency,
        /// Effective date of the rate.
        date: NaiveDate,
        /// The rate given.
        rate: Decimal,
    },
    /// Two FX rates for one pair and one effective date.
    #[error("two {from}->{to} rates effective {date}")]
    DuplicateFxRate {
        /// Source currency.
        from: Currency,
        /// Target currency.
        to: Currency,
        /// The effective date given twice.
        date: NaiveDate,
    },
    /// An FX rate from a currency to itself.
    #[error("an FX rate from {currency} to itself")]
    SameCurrencyFxRate {
        /// The currency.
        currency: Currency,
    },
}

/// Why text did not parse as a decimal number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseProblem {
    /// Nothing to parse: `""`.
    #[error("it is empty")]
    Empty,
    /// Leading or trailing whitespace: `" 1.5"`.
    #[error("it has surrounding whitespace")]
    Whitespace,
    /// Scientific notation: `"1e3"`.
    #[error("exponents are not accepted")]
    Exponent,
    /// Digit grouping: `"1_000"`, `"1,000"`.
    #[error("digit separators are not accepted")]
    DigitSeparator,
    /// Not a number at all: `"NaN"`, `"inf"`.
    #[error("it is not a finite number")]
    NotANumber,
    /// A sign or point without digits around it: `"-"`, `"1."`, `".5"`.
    #[error("digits are missing")]
    MissingDigits,
    /// A character that has no place in a number: `"12a"`.
    #[error("unexpected character {found:?}")]
    UnexpectedCharacter {
        /// The character found.
        found: char,
    },
    /// More decimal places than a `Decimal` holds: 29 or more.
    #[error("{places} decimal places; at most {max} are supported")]
    TooManyDecimals {
        /// Decimal places given.
        places: usize,
        /// The maximum (28).
        max: u32,
    },
    /// More significant digits than a `Decimal` holds exactly.
    #[error("the value does not fit exactly in a 96-bit decimal")]
    TooLarge,
    /// A money string without a currency, or a rate without its `%` sign:
    /// `"12.50"` where `"12.50 USD"` is expected.
    #[error("expected {expected}")]
    Format {
        /// What the text should look like.
        expected: &'static str,
    },
}

/// Dates, periods, fiscal calendars, working days and proration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// A period whose end is not after its start: `[2025-03-01, 2025-03-01)`.
    #[error("period [{start}, {end}) is empty or inverted")]
    EmptyPeriod {
        /// The start given.
        start: NaiveDate,
        /// The end given (exclusive).
        end: NaiveDate,
    },
    /// A calendar date that does not exist: 29 February 2025, month 13.
    #[error("{year:04}-{month:02}-{day:02} is not a date")]
    InvalidDate {
        /// Year.
        year: i32,
        /// Month (1-12).
        month: u32,
        /// Day of month.
        day: u32,
    },
    /// A date computation left the range `chrono` supports (about ±262,000
    /// years), for example the day after `NaiveDate::MAX`.
    #[error("date out of range: {what} from {from}")]
    DateOutOfRange {
        /// What was being computed.
        what: &'static str,
        /// The date it was computed from.
        from: NaiveDate,
    },
    /// A fiscal year whose dates fall outside the supported range.
    #[error("fiscal year {year} is out of range")]
    YearOutOfRange {
        /// The fiscal year asked for.
        year: i32,
    },
    /// An ISO week that does not exist: week 53 of 2025.
    #[error("ISO week {week} of {year} does not exist")]
    InvalidIsoWeek {
        /// ISO week-numbering year.
        year: i32,
        /// Week number given.
        week: u32,
    },
    /// A working-day calendar with no working weekday.
    #[error("a work week needs at least one working weekday")]
    NoWorkingWeekdays,
    /// Proration by working days over a period without any.
    #[error("{period} has no working days")]
    NoWorkingDays {
        /// The period.
        period: Period,
    },
    /// Proration by whole months over a period that is not made of whole
    /// calendar months: `[2025-01-15, 2025-04-15)`.
    #[error("{period} is not a run of whole calendar months")]
    NotWholeMonths {
        /// The period.
        period: Period,
    },
    /// A proration read from data that covers more units than its whole, or
    /// a whole of no units: `{"covered": 4, "total": 3}`.
    #[error("a proration covers 0 to {total} units of a positive total, not {covered} of {total}")]
    ProrationOutOfRange {
        /// The units covered, as given.
        covered: u32,
        /// The units of the whole, as given.
        total: u32,
    },
}

/// The org: positions, reporting lines, assignments and snapshots.
///
/// Building an [`Org`](crate::org::Org) checks everything that does not depend
/// on a date; [`Org::as_of`](crate::org::Org::as_of) checks the tree of that
/// day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OrgError {
    /// Two custom roles with one id.
    #[error("role {role} is declared twice")]
    DuplicateRole {
        /// The repeated id.
        role: RoleId,
    },
    /// Two positions with one id.
    #[error("position {position} is declared twice")]
    DuplicatePosition {
        /// The repeated id.
        position: PositionId,
    },
    /// A position whose custom role is not declared.
    #[error("position {position} has undeclared role {role}")]
    UnknownRole {
        /// The position.
        position: PositionId,
        /// The role it names.
        role: RoleId,
    },
    /// A reporting line or assignment for a position that is not declared.
    #[error("{context} names undeclared position {position}")]
    UnknownPosition {
        /// The position named.
        position: PositionId,
        /// What named it: `"reporting line"`, `"assignment"`, `"query"`.
        context: &'static str,
    },
    /// A person the org has never assigned.
    #[error("person {person} holds no position in the org")]
    UnknownPerson {
        /// The person named.
        person: PersonId,
    },
    /// A reporting line to a position that is not declared.
    #[error("position {position} reports to undeclared position {parent}")]
    UnknownParent {
        /// The reporting position.
        position: PositionId,
        /// The parent it names.
        parent: PositionId,
    },
    /// A position reporting to itself.
    #[error("position {position} reports to itself")]
    SelfParent {
        /// The position.
        position: PositionId,
    },
    /// Two reporting lines of one position in effect on the same day (two
    /// managers on one day).
    #[error("position {position} has overlapping reporting lines {first} and {second}")]
    OverlappingLines {
        /// The position.
        position: PositionId,
        /// The earlier line's range.
        first: DateRange,
        /// The later line's range.
        second: DateRange,
    },
    /// One person assigned to one position twice over overlapping ranges.
    #[error("person {person} is assigned to {position} twice: {first} and {second}")]
    OverlappingAssignments {
        /// The person.
        person: PersonId,
        /// The position.
        position: PositionId,
        /// The earlier range.
        first: DateRange,
        /// The later range.
        second: DateRange,
    },
    /// Two people holding one position on the same day.
    #[error("position {position} is held by both {first} and {second} on {date}")]
    PositionHeldTwice {
        /// The position.
        position: PositionId,
        /// The earlier holder.
        first: PersonId,
        /// The later holder.
        second: PersonId,
        /// The first day both hold it.
        date: NaiveDate,
    },
    /// One person in two positions on the same day, in an org that does not
    /// allow it.
    #[error("person {person} holds both {first} and {second} on {date}")]
    ConcurrentPositions {
        /// The person.
        person: PersonId,
        /// One position.
        first: PositionId,
        /// The other position.
        second: PositionId,
        /// The first day they hold both.
        date: NaiveDate,
    },
    /// A position in the org on `date` whose parent is not.
    #[error("position {position} reports to {parent}, which is not in the org on {date}")]
    ParentNotInOrg {
        /// The position.
        position: PositionId,
        /// Its parent.
        parent: PositionId,
        /// The snapshot date.
        date: NaiveDate,
    },
    /// No position in the org on `date`. (Positions that are all in
    /// cycles give [`OrgError::Cycle`], naming them.)
    #[error("the org has no top position on {date}")]
    NoRoot {
        /// The snapshot date.
        date: NaiveDate,
    },
    /// Several positions at the top on `date`.
    #[error("the org has {} top positions on {date}: {}", roots.len(), list(roots))]
    SeveralRoots {
        /// The snapshot date.
        date: NaiveDate,
        /// Every position without a parent that day.
        roots: Vec<PositionId>,
    },
    /// Reporting lines that go round in a circle on `date`.
    #[error("reporting lines form a cycle on {date}: {}", list(cycle))]
    Cycle {
        /// The snapshot date.
        date: NaiveDate,
        /// The positions of the cycle, each reporting to the next, the last
        /// to the first.
        cycle: Vec<PositionId>,
    },
    /// More records than dense `u32` indexes can number (four billion).
    #[error("too many {what}: {count}")]
    TooManyRecords {
        /// What was counted.
        what: &'static str,
        /// How many were given.
        count: usize,
    },
    /// A position that is not in the snapshot.
    #[error("position {position} is not in the org on {date}")]
    NotInSnapshot {
        /// The position.
        position: PositionId,
        /// The snapshot date.
        date: NaiveDate,
    },
}

fn list(ids: &[PositionId]) -> String {
    ids.iter()
        .map(PositionId::as_str)
        .collect::<Vec<_>>()
        .join(" -> ")
}

/// Bottom-up aggregation over an org snapshot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RollupError {
    /// A value for a position that is not in the snapshot.
    #[error("position {position} is not in the org on {date}")]
    UnknownPosition {
        /// The position.
        position: PositionId,
        /// The snapshot date.
        date: NaiveDate,
    },
    /// A total that no longer fits while merging into a position.
    #[error("the total of {position} overflows")]
    Overflow {
        /// The position whose total overflowed.
        position: PositionId,
    },
    /// An amount that cannot join the rollup: another currency, or not a
    /// whole number of minor units.
    #[error("amount credited to {position}: {source}")]
    Amount {
        /// The position credited.
        position: PositionId,
        /// What is wrong with the amount.
        source: MoneyError,
    },
    /// A node index of another snapshot.
    #[error("node {index} is not in the snapshot")]
    NodeOutOfRange {
        /// The index.
        index: usize,
    },
    /// A credit's key outside the key table it indexes.
    #[error("key {key} is outside the table of {keys} positions")]
    UnknownKey {
        /// The key given.
        key: usize,
        /// How many keys the table has.
        keys: usize,
    },
    /// Per-node values built for a different snapshot.
    #[error("values for {found} nodes given to a snapshot of {expected}")]
    SnapshotMismatch {
        /// Nodes in the snapshot.
        expected: usize,
        /// Values given.
        found: usize,
    },
}

/// Splitting a total over recipients (see [`crate::allocation`]).
/// Recipients are named by their index in the list given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AllocationError {
    /// Nothing to split over.
    #[error("no recipients to allocate to")]
    NoRecipients,
    /// More recipients than a `u32` counts.
    #[error("too many recipients: {count}")]
    TooManyRecipients {
        /// How many were given.
        count: usize,
    },
    /// A negative weight: `-5`.
    #[error("recipient {index} has negative weight {weight}")]
    NegativeWeight {
        /// The recipient.
        index: usize,
        /// Its weight.
        weight: Decimal,
    },
    /// A negative figure in one of the bases of a blend.
    #[error("basis {basis} of the blend has negative figure {figure} for recipient {index}")]
    NegativeFigure {
        /// Which basis (its position in the blend).
        basis: usize,
        /// The recipient.
        index: usize,
        /// The figure.
        figure: Decimal,
    },
    /// Every weight is zero: there is no proportion to split by.
    #[error("every weight is zero")]
    ZeroWeights,
    /// Two recipients with the same key.
    #[error("recipients {first} and {second} have the same key")]
    DuplicateRecipient {
        /// The first of the two.
        first: usize,
        /// The second of the two.
        second: usize,
    },
    /// Weights that cannot share one integer scale: they span more than 38
    /// orders of magnitude (`10^30` next to `10^-10`).
    #[error("weight {weight} of recipient {index} is out of range of the others")]
    WeightsOutOfRange {
        /// The recipient.
        index: usize,
        /// Its weight.
        weight: Decimal,
    },
    /// The total is not a whole number of minor units, or overflowed.
    #[error("total: {source}")]
    Total {
        /// What is wrong with it.
        source: MoneyError,
    },
    /// A floor or cap in another currency or with fractions of a minor unit.
    #[error("bound of recipient {index}: {source}")]
    Bound {
        /// The recipient.
        index: usize,
        /// What is wrong with the bound.
        source: MoneyError,
    },
    /// A negative floor or cap.
    #[error("recipient {index} has negative bound {bound}")]
    NegativeBound {
        /// The recipient.
        index: usize,
        /// The bound.
        bound: Money,
    },
    /// A floor above the same recipient's cap.
    #[error("recipient {index} has floor {floor} above cap {cap}")]
    FloorAboveCap {
        /// The recipient.
        index: usize,
        /// Its floor.
        floor: Money,
        /// Its cap.
        cap: Money,
    },
    /// The floors add up to more than the total.
    #[error("floors add up to {floors}, more than the total {total}")]
    FloorsExceedTotal {
        /// Sum of the floors.
        floors: Money,
        /// The total.
        total: Money,
    },
    /// The recipients cannot take the whole total: every one is capped (a
    /// zero weight takes only its floor) and the caps fall short.
    #[error("caps add up to {caps}, less than the total {total}")]
    CapsBelowTotal {
        /// What the recipients can take.
        caps: Money,
        /// The total.
        total: Money,
    },
    /// A blend whose mix does not add up to exactly 100%.
    #[error("the blend's shares add up to {sum}, not 1")]
    BlendNotWhole {
        /// The sum of the shares, as a fraction.
        sum: Decimal,
    },
    /// Blended bases of different lengths.
    #[error("blended bases differ in length: {expected} and {found}")]
    BlendLengths {
        /// Length of the first basis.
        expected: usize,
        /// Length of the other.
        found: usize,
    },
    /// The floors (or caps) add up to more than a `Money` holds: two
    /// floors of 5 × 10^28 USD. Names the recipient whose bound took the
    /// sum past it.
    #[error("the floors or caps overflow at recipient {index}")]
    BoundsOverflow {
        /// The recipient.
        index: usize,
    },
}

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
    /// A position not in the plan's snapshot.
    #[error("position {position} is not in the plan")]
    UnknownPosition {
        /// The position.
        position: PositionId,
    },
    /// A node index from another snapshot.
    #[error("node {index} is not in the plan's snapshot")]
    NodeOutOfRange {
        /// The index.
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
}
