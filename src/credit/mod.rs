//! Crediting: from transactions to credited amounts per person and
//! position, with splits, overlays, roll-ups and reversals.
//!
//! A [`CreditPlan`] says what is credited (the [`CreditBasis`]: revenue,
//! margin, units, deal count or a measure of your own), when
//! ([`CreditTiming`]: on booking, invoice or payment), and to whom
//! ([`DirectSource`]: the owners named on each sale, or the positions
//! covering the account's territory, plus [`OverlayRule`]s). [`Crediting`]
//! applies it to a feed of [`Transaction`]s against an [`Org`](crate::org::Org):
//!
//! - **exact splits**: a sale's direct credit is split over its owners by
//!   their shares with the [allocation core](crate::allocation), so the
//!   lines sum to the sale exactly; owners' shares must sum to exactly 100%;
//! - **overlays** get their share of each sale in scope on top of it
//!   (rounded by the plan's policy; overlay shares need not sum to 100%);
//! - **roll-up**: every manager above a direct line, as of the sale's
//!   booking date, is credited the same amount, either as explicit lines
//!   ([`RollUpLines::Lines`]) or in one pass over the org
//!   ([`Crediting::totals`]); both views agree;
//! - **reversals and payments** credit the same people as their sale did,
//!   on their own date. Credit is cumulative: after each event, each
//!   recipient holds their share of the sale's credited value so far, so a
//!   sale reversed in full nets to exactly zero for everyone, however many
//!   partial returns it took, and partial payments add up to the full
//!   credit.
//!
//! - **currencies**: with a [`RateTable`](crate::money::RateTable)
//!   ([`Crediting::with_rates`]), a sale in another currency is converted
//!   into the plan's at the rate of the day its plan's [`RateDate`] names
//!   (booking by default; invoice, payment or a fixed plan rate), rounded
//!   once; its returns and payments convert at the sale's rate. The run
//!   keeps each [`Conversion`] (original amount, currency, rate, date). To
//!   credit in a reporting currency, credit under a plan in that
//!   currency.
//!
//! Who sat where is taken from the org on the sale's booking date, also for
//! its later returns and payments: a rep who moved teams credits the
//! manager of the day of the deal.

mod error;
pub use self::error::CreditError;

mod columnar;
mod engine;
mod feed;
mod fx;
mod line;
mod line_columns;
mod plan;
mod totals;
mod transaction;

pub use self::columnar::{CreditColumnTotals, CreditColumnsError, TransactionColumns};
pub use self::engine::Crediting;
pub use self::fx::{Conversion, MissingRate};
pub use self::line::{CreditKind, CreditLine, CreditRule, CreditRun};
pub(crate) use self::line_columns::{
    ColumnLine, date_day as line_columns_day, day_date as line_columns_date,
    decimal as line_columns_decimal,
};
pub use self::line_columns::{CreditLineColumns, LineColumnsBuilder, LineColumnsError};
pub use self::plan::{
    CreditBasis, CreditPlan, CreditTiming, DirectSource, MAX_QUANTITY_SCALE, OverlayRule,
    OverlayScope, RateDate, RollUpLines,
};
pub use self::totals::{CreditTotal, CreditTotals};
pub use self::transaction::{Owner, Transaction, TransactionKind};
