//! What crediting asks of territories: who covers an account on a date.

use chrono::NaiveDate;

use crate::error::TerritoryError;
use crate::ids::{AccountId, PositionId};
use crate::money::Percent;

/// How a position covers a territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum CoverageKind {
    /// Owns the territory: the primaries' shares sum to exactly 100%.
    Primary,
    /// Covers it in addition to the primaries (a specialist); overlay shares
    /// need not sum to 100%.
    Overlay,
}

/// One position credited for a deal on an account: the answer of
/// [`CoverageSource::coverage`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CoverageShare {
    position: PositionId,
    kind: CoverageKind,
    share: Percent,
}

impl CoverageShare {
    /// `position` covers with `kind` and gets `share` of the credit.
    pub const fn new(position: PositionId, kind: CoverageKind, share: Percent) -> Self {
        CoverageShare {
            position,
            kind,
            share,
        }
    }

    /// The position credited.
    pub const fn position(&self) -> &PositionId {
        &self.position
    }

    /// Primary or overlay.
    pub const fn kind(&self) -> CoverageKind {
        self.kind
    }

    /// Its share of the credit.
    pub const fn share(&self) -> Percent {
        self.share
    }
}

/// Who covers an account on a date: the territory-based crediting helper.
///
/// The crate's territory map implements it; implement it for your own
/// territory system to credit through it.
pub trait CoverageSource {
    /// The positions to credit for a deal on `account` dated `date`, with
    /// their shares: the primaries of the account's territory (shares
    /// summing to exactly 100%) and its overlays. An account covered by
    /// nobody on that date gives an empty list.
    ///
    /// # Errors
    ///
    /// Whatever stops the source answering (an account it cannot place).
    fn coverage(
        &self,
        account: &AccountId,
        date: NaiveDate,
    ) -> Result<Vec<CoverageShare>, TerritoryError>;
}
