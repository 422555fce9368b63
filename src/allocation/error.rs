//! What can go wrong here (splitting a total over recipients), with the ids
//! and values involved.

use crate::money::{Money, MoneyError};
use rust_decimal::Decimal;

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
