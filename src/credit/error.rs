//! What can go wrong here (crediting transactions to people and positions),
//! with the ids and values involved.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::calendar::Period;
use crate::credit::{CreditBasis, CreditKind, CreditRule, TransactionKind};
use crate::ids::{AccountId, PositionId, TransactionId};
use crate::money::{ArithOp, Currency, Money, MoneyError};
use crate::org::OrgError;
use crate::territory::TerritoryError;

/// Crediting transactions to people and positions (see [`crate::credit`]).
/// Every variant names the transactions, positions and values involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CreditError {
    /// Two transactions with one id.
    #[error("transaction {transaction} appears twice")]
    DuplicateTransaction {
        /// The id.
        transaction: TransactionId,
    },
    /// A return, credit note or payment whose original is not in the feed.
    #[error("{transaction} refers to {original}, which is not in the feed")]
    UnknownOriginal {
        /// The referring transaction.
        transaction: TransactionId,
        /// The id it refers to.
        original: TransactionId,
    },
    /// A reference to something that is not a sale (an order or invoice):
    /// reversing a payment, paying a credit note, ...
    #[error("{transaction} refers to {original}, a {kind:?}, not an order or invoice")]
    OriginalNotASale {
        /// The referring transaction.
        transaction: TransactionId,
        /// The id it refers to.
        original: TransactionId,
        /// What the original is.
        kind: TransactionKind,
    },
    /// An invoice without its invoice date, credited on invoice: an order
    /// not invoiced yet waits (see
    /// [`CreditRun::pending`](crate::credit::CreditRun::pending)), but an
    /// invoice always has a date, and crediting it without one would leave
    /// it earning nothing.
    #[error(
        "invoice {transaction} has no invoice date, and the plan credits on invoice: give it with_invoiced(date)"
    )]
    MissingInvoiceDate {
        /// The invoice.
        transaction: TransactionId,
    },
    /// A payment that names no invoice or order.
    #[error("payment {transaction} does not say what it pays")]
    MissingOriginal {
        /// The payment.
        transaction: TransactionId,
    },
    /// A sale that refers to an original (only returns, credit notes and
    /// payments do).
    #[error("{transaction} is a {kind:?} but refers to {original}")]
    UnexpectedOriginal {
        /// The sale.
        transaction: TransactionId,
        /// What it is.
        kind: TransactionKind,
        /// The id it refers to.
        original: TransactionId,
    },
    /// A reversal or payment dated before the sale it refers to.
    #[error("{transaction} ({date}) is dated before its original {original} ({original_date})")]
    BeforeOriginal {
        /// The reversal or payment.
        transaction: TransactionId,
        /// Its date.
        date: NaiveDate,
        /// The original.
        original: TransactionId,
        /// The original's booking date.
        original_date: NaiveDate,
    },
    /// Reversals (or payments) of a sale adding up to more than the sale,
    /// or payments adding up to less than zero. `transaction` is the first
    /// one, in date then id order, that takes the total out of bounds.
    #[error(
        "{transaction} takes the total against {original} to {total}, outside 0 to {original_amount}"
    )]
    ExceedsOriginal {
        /// The reversal or payment that goes too far.
        transaction: TransactionId,
        /// The original.
        original: TransactionId,
        /// The running total it reaches (reversals in magnitude), in the
        /// original's currency.
        total: Decimal,
        /// The original's amount.
        original_amount: Decimal,
    },
    /// An amount whose sign does not fit the transaction's kind (a negative
    /// order, a positive credit note, a zero payment).
    #[error("{transaction} is a {kind:?} of {amount}: wrong sign")]
    WrongSign {
        /// The transaction.
        transaction: TransactionId,
        /// Its kind.
        kind: TransactionKind,
        /// Its amount.
        amount: Money,
    },
    /// An amount in another currency than the plan's.
    #[error("{transaction} is in {found}, the plan credits {expected}")]
    Currency {
        /// The transaction.
        transaction: TransactionId,
        /// The plan's currency.
        expected: Currency,
        /// The amount's currency.
        found: Currency,
    },
    /// A value with more decimals than the basis keeps (an amount below a
    /// cent, units beyond the plan's quantity scale).
    #[error("{transaction}: {field} {value} has more than {places} decimal places")]
    Precision {
        /// The transaction.
        transaction: TransactionId,
        /// Which value (`"amount"`, `"margin"`, `"units"`, or a measure's name).
        field: String,
        /// The value.
        value: Decimal,
        /// The places the basis keeps.
        places: u32,
    },
    /// A sale without the value the basis credits (no margin on a margin
    /// plan, no units on a units plan).
    #[error("{transaction} has no {field}, which the plan credits")]
    MissingValue {
        /// The transaction.
        transaction: TransactionId,
        /// The missing value's name.
        field: String,
    },
    /// A sale with no owners, under a plan that credits owners.
    #[error("{transaction} names no owners")]
    NoOwners {
        /// The transaction.
        transaction: TransactionId,
    },
    /// Owners' shares that do not sum to exactly 100%.
    #[error("the owners of {transaction} have shares summing to {total}%, not 100%")]
    SharesNotWhole {
        /// The transaction.
        transaction: TransactionId,
        /// Their sum, in percentage points.
        total: Decimal,
    },
    /// A position named twice among a sale's owners.
    #[error("{position} is named twice among the owners of {transaction}")]
    DuplicateOwner {
        /// The transaction.
        transaction: TransactionId,
        /// The position.
        position: PositionId,
    },
    /// A position the org does not declare.
    #[error("{transaction} credits {position}, which is not in the org")]
    UnknownPosition {
        /// The transaction.
        transaction: TransactionId,
        /// The position.
        position: PositionId,
    },
    /// A position with no reporting line on the deal date.
    #[error("{transaction} credits {position}, which is not in the org on {date}")]
    NotInOrg {
        /// The transaction.
        transaction: TransactionId,
        /// The position.
        position: PositionId,
        /// The deal date.
        date: NaiveDate,
    },
    /// An overlay rule for a position the org does not declare.
    #[error("overlay rule {rule} credits {position}, which is not in the org")]
    UnknownOverlayPosition {
        /// The rule's index in the plan.
        rule: usize,
        /// The position.
        position: PositionId,
    },
    /// Territory-based credit without a coverage source.
    #[error("{transaction} needs territory coverage, and none was given")]
    NoCoverageSource {
        /// The transaction.
        transaction: TransactionId,
    },
    /// An account with no primary coverage on the deal date.
    #[error("{transaction}: account {account} has no primary coverage on {date}")]
    Uncovered {
        /// The transaction.
        transaction: TransactionId,
        /// The account.
        account: AccountId,
        /// The deal date.
        date: NaiveDate,
    },
    /// Primary coverage shares that do not sum to exactly 100%.
    #[error("{transaction}: the primaries of account {account} have shares summing to {total}%")]
    CoverageShares {
        /// The transaction.
        transaction: TransactionId,
        /// The account.
        account: AccountId,
        /// Their sum, in percentage points.
        total: Decimal,
    },
    /// The coverage source could not answer.
    #[error("{transaction}: {source}")]
    Territory {
        /// The transaction.
        transaction: TransactionId,
        /// Why (boxed: territory errors are large).
        source: Box<TerritoryError>,
    },
    /// A credited total that no longer fits.
    #[error("a credit total overflows at {transaction}")]
    Overflow {
        /// The transaction being credited.
        transaction: TransactionId,
    },
    /// A feed of four billion transactions or more.
    #[error("too many transactions: {count}")]
    TooManyTransactions {
        /// How many were given.
        count: usize,
    },
    /// A total that no longer fits, at a position.
    #[error("the credit total of {position} overflows")]
    TotalOverflow {
        /// The position.
        position: PositionId,
    },
    /// A sale's running total of returns, credit notes or payments, or
    /// what is left of the sale after them, beyond 128 bits: `left op
    /// right`, in units of the plan's scale (cents for a USD revenue
    /// plan), at `transaction` (the return or payment, or the sale
    /// itself). The feed's checks keep every such total between zero and
    /// the sale's amount ([`CreditError::ExceedsOriginal`]), so this marks
    /// a broken invariant rather than bad input; it is reported instead of
    /// a silently clamped figure.
    #[error(
        "{transaction}: the running total against sale {sale} overflows at {left} {op} {right}"
    )]
    RunningTotalOverflow {
        /// The transaction being credited.
        transaction: TransactionId,
        /// The sale whose running total it is.
        sale: TransactionId,
        /// The operation.
        op: ArithOp,
        /// Its left operand.
        left: i128,
        /// Its right operand.
        right: i128,
    },
    /// A position's credit total in one period that does not fit while the
    /// totals are worked out: `left op right`, in units of the plan's
    /// scale (taking the direct credit of later shapes of the org from
    /// the position's direct total, for the roll-up).
    #[error("the credit total of {position} in {period} overflows at {left} {op} {right}")]
    PeriodTotalOverflow {
        /// The position.
        position: PositionId,
        /// The period.
        period: Period,
        /// The operation.
        op: ArithOp,
        /// Its left operand.
        left: i128,
        /// Its right operand.
        right: i128,
    },
    /// More totals than memory can index: one per position (or person)
    /// and period.
    #[error(
        "{keys} positions or people by {periods} periods are more totals than memory can index"
    )]
    TooManyTotals {
        /// The positions (or people) totalled.
        keys: usize,
        /// The periods asked for.
        periods: usize,
    },
    /// More owners than the feed's `u32` offsets count: the transactions
    /// of one block of the feed (4,096 in feed order), up to and including
    /// `transaction`, name `count` owners in all.
    #[error(
        "{transaction} brings the owners named in its block of the feed to {count}, more than a u32 counts"
    )]
    TooManyOwners {
        /// The transaction whose owners go past the count.
        transaction: TransactionId,
        /// How many owners its block names up to it.
        count: usize,
    },
    /// A quantity scale beyond the maximum.
    #[error("quantity scale {places} is above the maximum of {max}")]
    QuantityScale {
        /// The places asked for.
        places: u32,
        /// The maximum.
        max: u32,
    },
    /// Periods to total over that overlap or are out of order.
    #[error("period {second} does not start after {first} ends")]
    Periods {
        /// The earlier period.
        first: Period,
        /// The one that overlaps it or comes before it.
        second: Period,
    },
    /// An amount that is not valid money (not in whole minor units).
    #[error("{transaction}: {source}")]
    Amount {
        /// The transaction.
        transaction: TransactionId,
        /// Why.
        source: MoneyError,
    },
    /// A money credit run whose scale is not its currency's minor units.
    #[error("a {basis:?} credit run in {currency} keeps {} decimal places, not {scale}", currency.minor_units())]
    RunScale {
        /// What the run measures.
        basis: CreditBasis,
        /// Its currency.
        currency: Currency,
        /// The scale given.
        scale: u32,
    },
    /// A credit line whose kind is not the kind of its rule (a roll-up
    /// line from an owner's share, say), or a roll-up from the position
    /// itself.
    #[error(
        "credit line of {transaction} to {position}: a {kind:?} line cannot come from {rule:?}"
    )]
    LineRule {
        /// The line's transaction.
        transaction: TransactionId,
        /// The position credited.
        position: PositionId,
        /// The kind given.
        kind: CreditKind,
        /// The rule given.
        rule: CreditRule,
    },
    /// A credit line whose org date (its sale's booking date) is after the
    /// date it is credited on.
    #[error(
        "credit line of {transaction} to {position}: its org date {as_of} is after its credit date {date}"
    )]
    LineDates {
        /// The line's transaction.
        transaction: TransactionId,
        /// The position credited.
        position: PositionId,
        /// The org date.
        as_of: NaiveDate,
        /// The credit date.
        date: NaiveDate,
    },
    /// Lines of one sale that disagree on its booking date (the org date
    /// of all of them).
    #[error("lines of sale {sale} give two org dates, {first} and {second}")]
    SaleDates {
        /// The sale.
        sale: TransactionId,
        /// The org date of its first line.
        first: NaiveDate,
        /// Another line's.
        second: NaiveDate,
    },
    /// The same credit twice: one transaction, position, kind, rule and
    /// date.
    #[error("credit line of {transaction} to {position} ({kind:?}, {date}) appears twice")]
    DuplicateLine {
        /// The line's transaction.
        transaction: TransactionId,
        /// The position credited.
        position: PositionId,
        /// The kind.
        kind: CreditKind,
        /// The credit date.
        date: NaiveDate,
    },
    /// The org could not be seen on a deal date (a cycle, no root, ...).
    #[error(transparent)]
    Org {
        /// Why.
        #[from]
        source: OrgError,
    },
    /// A transaction in another currency with no FX rate to the plan's
    /// currency on the day its plan's
    /// [`RateDate`](crate::credit::RateDate) names.
    #[error("{transaction}: no {from}->{to} rate effective on {date}")]
    NoFxRate {
        /// The transaction (the sale whose rate is needed).
        transaction: TransactionId,
        /// Its currency.
        from: Currency,
        /// The plan's currency.
        to: Currency,
        /// The rate date.
        date: NaiveDate,
    },
}
