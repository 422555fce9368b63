//! Errors.
//!
//! Each area has its own narrow error enum ([`IdError`], [`MoneyError`],
//! [`CalendarError`], ...), returned by that area's functions. All of them
//! convert into the crate-wide [`Error`] with `?`, and back with `TryFrom`.
//! Every variant carries the ids and values involved as data, never only as
//! formatted text, so a caller can show them, log them or act on them.
//!
//! Each area's error lives in its own module; this module gathers them
//! (they are re-exported here and at the crate root).

pub use crate::activity::ActivityError;
pub use crate::allocation::AllocationError;
#[cfg(feature = "arrow")]
pub use crate::arrow::BatchError;
pub use crate::bonus::BonusError;
pub use crate::calendar::CalendarError;
pub use crate::comp::{CompError, Overdrawn, PriorPay};
pub use crate::credit::CreditError;
pub use crate::ids::{IdError, IdProblem};
pub use crate::money::{ArithOp, MoneyError, ParseProblem};
pub use crate::org::OrgError;
pub use crate::perf::PerfError;
pub use crate::pipeline::PipelineError;
pub use crate::quota::QuotaError;
pub use crate::rollup::RollupError;
pub use crate::territory::TerritoryError;

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
    /// Opportunities, stages, pipeline roll-ups and forecasts.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    /// Arrow record batches in and out (the `arrow` feature).
    #[cfg(feature = "arrow")]
    #[error(transparent)]
    Batch(#[from] BatchError),
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
    Pipeline => PipelineError,
);

#[cfg(feature = "arrow")]
narrow_from_umbrella!(Batch => BatchError);
