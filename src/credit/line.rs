//! Credit lines: the output of a crediting run, each traceable to its rule.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::plan::CreditBasis;
use crate::calendar::Period;
use crate::ids::{PersonId, PositionId, TransactionId};
use crate::money::{Currency, Percent};

/// Why a line was credited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum CreditKind {
    /// The position sold the deal (an owner, or a primary of the account's
    /// territory).
    Direct,
    /// A specialist credited on top of the direct credit.
    Overlay,
    /// A manager credited for a direct line below them.
    RollUp,
}

/// The rule a line comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
pub enum CreditRule {
    /// An owner named on the sale, with their share.
    Owner {
        /// The owner's share.
        share: Percent,
    },
    /// A primary covering the account's territory on the deal date.
    TerritoryPrimary {
        /// The coverage share.
        share: Percent,
    },
    /// An overlay covering the account's territory on the deal date.
    TerritoryOverlay {
        /// The coverage share.
        share: Percent,
    },
    /// An overlay rule of the plan.
    Overlay {
        /// The rule's index in [`CreditPlan::overlays`](super::CreditPlan::overlays).
        rule: usize,
        /// The rule's share.
        share: Percent,
    },
    /// Roll-up from a direct line of a position below.
    RollUp {
        /// The position whose direct credit this is.
        from: PositionId,
    },
}

/// One credit: who, for which transaction, why, how much, when.
///
/// `amount` is in the run's [basis](super::CreditRun::basis): money in the
/// plan's currency for revenue and margin, a quantity for units, deal count
/// and measures. A line is credited on `date` (which decides its period) to
/// the people and positions of the org on `as_of`: the sale's booking date,
/// also for the returns and payments that refer to it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CreditLine {
    pub(super) person: Option<PersonId>,
    pub(super) position: PositionId,
    pub(super) transaction: TransactionId,
    pub(super) sale: TransactionId,
    pub(super) kind: CreditKind,
    pub(super) rule: CreditRule,
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::decimal_str"))]
    pub(super) amount: Decimal,
    pub(super) date: NaiveDate,
    pub(super) as_of: NaiveDate,
}

impl CreditLine {
    /// Who held the position on the deal date; `None` when it was vacant
    /// (the credit stays with the seat).
    pub const fn person(&self) -> Option<&PersonId> {
        self.person.as_ref()
    }

    /// The position credited.
    pub const fn position(&self) -> &PositionId {
        &self.position
    }

    /// The transaction that earned this line: the sale, or the return,
    /// credit note or payment that refers to it.
    pub const fn transaction(&self) -> &TransactionId {
        &self.transaction
    }

    /// The sale whose credit this is (for a return or payment, its
    /// original).
    pub const fn sale(&self) -> &TransactionId {
        &self.sale
    }

    /// Direct, overlay or roll-up.
    pub const fn kind(&self) -> CreditKind {
        self.kind
    }

    /// The rule behind the line.
    pub const fn rule(&self) -> &CreditRule {
        &self.rule
    }

    /// The amount credited (negative for reversals).
    pub const fn amount(&self) -> Decimal {
        self.amount
    }

    /// When it is credited.
    pub const fn date(&self) -> NaiveDate {
        self.date
    }

    /// The org date: who sat where, and who managed whom.
    pub const fn as_of(&self) -> NaiveDate {
        self.as_of
    }
}

/// The result of crediting a feed: the lines, and what could not be
/// credited yet.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CreditRun {
    pub(super) basis: CreditBasis,
    pub(super) currency: Currency,
    pub(super) scale: u32,
    pub(super) lines: Vec<CreditLine>,
    pub(super) pending: Vec<TransactionId>,
}

impl CreditRun {
    /// What the amounts measure.
    pub const fn basis(&self) -> &CreditBasis {
        &self.basis
    }

    /// The plan's currency (the unit of money bases).
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// Decimal places of the amounts.
    pub const fn scale(&self) -> u32 {
        self.scale
    }

    /// Every line, ordered by date, transaction, kind, position.
    pub fn lines(&self) -> &[CreditLine] {
        &self.lines
    }

    /// Sales not (wholly) credited yet: not invoiced under invoice timing,
    /// not paid in full under payment timing. By id.
    pub fn pending(&self) -> &[TransactionId] {
        &self.pending
    }

    /// The lines credited in `period`.
    pub fn lines_in(&self, period: Period) -> impl Iterator<Item = &CreditLine> + '_ {
        self.lines.iter().filter(move |l| period.contains(l.date))
    }

    /// The lines into owned data.
    pub fn into_lines(self) -> Vec<CreditLine> {
        self.lines
    }
}
