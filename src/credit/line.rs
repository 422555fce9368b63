//! Credit lines: the output of a crediting run, each traceable to its rule.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::fx::Conversion;
use super::plan::{CreditBasis, MAX_QUANTITY_SCALE};
use crate::calendar::Period;
use crate::credit::CreditError;
use crate::ids::{PersonId, PositionId, TransactionId};
use crate::kernel::hash::FxHashMap;
use crate::money::{Currency, Percent};

/// Why a line was credited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
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

impl CreditRule {
    /// The kind of line the rule gives: direct for an owner's share or a
    /// territory's primary, overlay for an overlay, roll-up for a roll-up.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::credit::{CreditKind, CreditRule};
    /// use salesplan::PositionId;
    ///
    /// let overlay = CreditRule::Overlay { rule: 0, share: "10%".parse()? };
    /// assert_eq!(overlay.kind(), CreditKind::Overlay);
    /// let roll_up = CreditRule::RollUp { from: PositionId::new("rep-1")? };
    /// assert_eq!(roll_up.kind(), CreditKind::RollUp);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn kind(&self) -> CreditKind {
        match self {
            CreditRule::Owner { .. } | CreditRule::TerritoryPrimary { .. } => CreditKind::Direct,
            CreditRule::TerritoryOverlay { .. } | CreditRule::Overlay { .. } => CreditKind::Overlay,
            CreditRule::RollUp { .. } => CreditKind::RollUp,
        }
    }
}

/// One credit: who, for which transaction, why, how much, when.
///
/// `amount` is in the run's [basis](super::CreditRun::basis): money in the
/// plan's currency for revenue and margin, a quantity for units, deal count
/// and measures. A line is credited on `date` (which decides its period) to
/// the people and positions of the org on `as_of`: the sale's booking date,
/// also for the returns and payments that refer to it.
///
/// [`Crediting::run`](super::Crediting::run) makes them; a program that
/// credits in its own CRM builds them with [`CreditLine::new`] and hands
/// them in through [`CreditRun::from_lines`], which checks them as a run.
///
/// # JSON
///
/// `person`, `sale` (the transaction itself when absent), `kind` (the
/// rule's when absent) and `as_of` (the credit date when absent) are
/// optional; every other field is required, and an unknown field is an
/// error. A line's kind must be its rule's, and its org date cannot be
/// after its credit date.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::credit::{CreditKind, CreditLine};
///
/// let line: CreditLine = serde_json::from_str(r#"{
///     "person": "ana", "position": "rep-1", "transaction": "CN-7", "sale": "SO-7",
///     "rule": {"owner": {"share": "100%"}}, "amount": "-250.00",
///     "date": "2025-05-02", "as_of": "2025-03-14"
/// }"#)?;
/// assert_eq!(line.kind(), CreditKind::Direct);
/// assert_eq!(line.sale().as_str(), "SO-7");
/// let roll_up_from_owner = r#"{"position": "lead", "transaction": "SO-7", "kind": "roll_up",
///     "rule": {"owner": {"share": "100%"}}, "amount": "1.00", "date": "2025-03-14"}"#;
/// assert!(serde_json::from_str::<CreditLine>(roll_up_from_owner).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawCreditLine"))]
pub struct CreditLine {
    pub(super) person: Option<PersonId>,
    pub(super) position: PositionId,
    pub(super) transaction: TransactionId,
    pub(super) sale: TransactionId,
    pub(super) kind: CreditKind,
    pub(super) rule: CreditRule,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub(super) amount: Decimal,
    pub(super) date: NaiveDate,
    pub(super) as_of: NaiveDate,
}

crate::validated::via_raw! {
    /// A credit line as JSON gives it, before its checks.
    RawCreditLine => CreditLine, CreditError {
        #[serde(default)]
        person: Option<PersonId>,
        position: PositionId,
        transaction: TransactionId,
        #[serde(default)]
        sale: Option<TransactionId>,
        #[serde(default)]
        kind: Option<CreditKind>,
        rule: CreditRule,
        #[serde(with = "crate::money::dec")]
        amount: Decimal,
        date: NaiveDate,
        #[serde(default)]
        as_of: Option<NaiveDate>,
    } => {
        let line = CreditLine {
            person,
            position,
            sale: sale.unwrap_or_else(|| transaction.clone()),
            transaction,
            kind: kind.unwrap_or(rule.kind()),
            rule,
            amount,
            date,
            as_of: as_of.unwrap_or(date),
        };
        line.check()?;
        Ok(line)
    }
}

impl CreditLine {
    /// `amount` credited to `position` for `transaction` on `date`, by
    /// `rule` (whose [kind](CreditRule::kind) is the line's). The line is
    /// its sale's own, with no person, and the org date is `date`; the
    /// `with_*` methods say otherwise.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use rust_decimal::Decimal;
    /// use salesplan::credit::{CreditKind, CreditLine, CreditRule};
    /// use salesplan::{PersonId, PositionId, TransactionId};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// // A return on 2 May of part of a sale booked on 14 March.
    /// let line = CreditLine::new(
    ///     PositionId::new("rep-1")?,
    ///     TransactionId::new("CN-7")?,
    ///     CreditRule::Owner { share: "100%".parse()? },
    ///     Decimal::new(-25000, 2),
    ///     d(5, 2),
    /// )
    /// .with_person(PersonId::new("ana")?)
    /// .with_sale(TransactionId::new("SO-7")?, d(3, 14));
    /// assert_eq!(line.kind(), CreditKind::Direct);
    /// assert_eq!(line.as_of(), d(3, 14));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        position: PositionId,
        transaction: TransactionId,
        rule: CreditRule,
        amount: Decimal,
        date: NaiveDate,
    ) -> CreditLine {
        CreditLine {
            person: None,
            position,
            sale: transaction.clone(),
            transaction,
            kind: rule.kind(),
            rule,
            amount,
            date,
            as_of: date,
        }
    }

    /// Held by `person` on the deal date.
    #[must_use]
    pub fn with_person(mut self, person: PersonId) -> CreditLine {
        self.person = Some(person);
        self
    }

    /// For a return, credit note or payment: the sale it refers to, and
    /// that sale's booking date (the org date: who sat where, and who
    /// managed whom). For a sale credited after its booking (on invoice or
    /// payment), the sale itself and its booking date.
    #[must_use]
    pub fn with_sale(mut self, sale: TransactionId, booked: NaiveDate) -> CreditLine {
        self.sale = sale;
        self.as_of = booked;
        self
    }

    /// The checks of one line on its own: its kind is its rule's, a
    /// roll-up is from another position, and its org date is not after
    /// its credit date.
    fn check(&self) -> Result<(), CreditError> {
        let rolls_up_from_itself =
            matches!(&self.rule, CreditRule::RollUp { from } if *from == self.position);
        if self.kind != self.rule.kind() || rolls_up_from_itself {
            return Err(CreditError::LineRule {
                transaction: self.transaction.clone(),
                position: self.position.clone(),
                kind: self.kind,
                rule: self.rule.clone(),
            });
        }
        if self.as_of > self.date {
            return Err(CreditError::LineDates {
                transaction: self.transaction.clone(),
                position: self.position.clone(),
                as_of: self.as_of,
                date: self.date,
            });
        }
        Ok(())
    }

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

    /// The order of a run's lines: date, transaction, kind, position (two
    /// lines with the same key differ only by their rule).
    pub(super) fn order_key(&self) -> (NaiveDate, &TransactionId, CreditKind, &PositionId) {
        (self.date, &self.transaction, self.kind, &self.position)
    }
}

/// The result of crediting a feed: the lines, and what could not be
/// credited yet.
///
/// Made by [`Crediting::run`](super::Crediting::run), or from lines
/// credited elsewhere with [`CreditRun::from_lines`]; deserializing runs
/// the same checks.
///
/// # JSON
///
/// `basis`, `currency`, `scale` and `lines` are required, `pending`
/// optional; an unknown field is an error. A money run's `scale` is its
/// currency's minor units, a quantity run's at most
/// [`MAX_QUANTITY_SCALE`]; every amount fits the scale and is written to
/// it.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::credit::CreditRun;
///
/// let run: CreditRun = serde_json::from_str(r#"{
///     "basis": "revenue", "currency": "USD", "scale": 2,
///     "lines": [
///         {"person": "ana", "position": "rep-1", "transaction": "SO-7",
///          "rule": {"owner": {"share": "100%"}}, "amount": "1000", "date": "2025-03-14"},
///         {"person": "li", "position": "lead", "transaction": "SO-7",
///          "rule": {"roll_up": {"from": "rep-1"}}, "amount": "1000", "date": "2025-03-14"}
///     ]
/// }"#)?;
/// assert_eq!(run.lines()[0].amount().to_string(), "1000.00");
/// // A scale that is not the currency's is refused.
/// let err = serde_json::from_str::<CreditRun>(
///     r#"{"basis": "revenue", "currency": "USD", "scale": 99, "lines": []}"#,
/// ).unwrap_err();
/// assert!(err.to_string().contains("not 99"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawCreditRun"))]
pub struct CreditRun {
    pub(super) basis: CreditBasis,
    pub(super) currency: Currency,
    pub(super) scale: u32,
    pub(super) lines: Vec<CreditLine>,
    pub(super) pending: Vec<TransactionId>,
    /// How each transaction in another currency was converted, by
    /// transaction id.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Vec::is_empty")
    )]
    pub(super) conversions: Vec<Conversion>,
}

crate::validated::via_raw! {
    /// A credit run as JSON gives it, before its checks.
    RawCreditRun => CreditRun, CreditError {
        basis: CreditBasis,
        currency: Currency,
        scale: u32,
        lines: Vec<CreditLine>,
        #[serde(default)]
        pending: Vec<TransactionId>,
        #[serde(default)]
        conversions: Vec<Conversion>,
    } => {
        let mut run = CreditRun::checked(basis, currency, scale, lines)?;
        run.pending = pending;
        // A conversion is into the run's currency.
        if let Some(c) = conversions.iter().find(|c| c.converted.currency() != currency) {
            return Err(CreditError::Currency {
                transaction: c.transaction.clone(),
                expected: currency,
                found: c.converted.currency(),
            });
        }
        run.conversions = conversions;
        run.conversions.sort_by(|a, b| a.transaction.cmp(&b.transaction));
        run.pending.sort_unstable();
        run.pending.dedup();
        Ok(run)
    }
}

impl CreditRun {
    /// A run of `lines` credited elsewhere (a CRM that credits on its
    /// own), in `basis` and, for money, `currency`: checked as
    /// [`Crediting::run`](super::Crediting::run)'s runs are made, so the
    /// commission engine can take it. Amounts are kept to the currency's
    /// minor units for money, and to the most decimals any line has for
    /// quantities; lines are put in the run's order (date, transaction,
    /// kind, position; otherwise as given).
    ///
    /// # Errors
    ///
    /// [`CreditError::Precision`] for an amount with more decimals than
    /// the currency's minor units; [`CreditError::QuantityScale`] for a
    /// quantity with more than [`MAX_QUANTITY_SCALE`];
    /// [`CreditError::LineRule`] for a roll-up line from an owner's share
    /// (any kind that is not its rule's) or from the position itself;
    /// [`CreditError::LineDates`] for an org date after the credit date;
    /// [`CreditError::SaleDates`] for lines of one sale with two org
    /// dates; [`CreditError::DuplicateLine`] for one credit given twice.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use rust_decimal::Decimal;
    /// use salesplan::credit::{CreditBasis, CreditLine, CreditRule, CreditRun};
    /// use salesplan::{CreditError, Currency, PersonId, PositionId, TransactionId};
    ///
    /// let d = NaiveDate::from_ymd_opt(2025, 3, 14).unwrap();
    /// let owner = CreditRule::Owner { share: "100%".parse()? };
    /// let line = |amount| CreditLine::new(
    ///     PositionId::new("rep-1").unwrap(), TransactionId::new("SO-7").unwrap(),
    ///     owner.clone(), amount, d,
    /// ).with_person(PersonId::new("ana").unwrap());
    /// let run = CreditRun::from_lines(CreditBasis::Revenue, Currency::USD, vec![line(Decimal::from(1000))])?;
    /// assert_eq!(run.lines()[0].amount().to_string(), "1000.00");
    /// let err = CreditRun::from_lines(CreditBasis::Revenue, Currency::USD, vec![line(Decimal::new(1, 3))])
    ///     .unwrap_err();
    /// assert!(matches!(err, CreditError::Precision { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_lines(
        basis: CreditBasis,
        currency: Currency,
        lines: Vec<CreditLine>,
    ) -> Result<CreditRun, CreditError> {
        let scale = if basis.is_money() {
            u32::from(currency.minor_units())
        } else {
            lines
                .iter()
                .map(|l| l.amount.normalize().scale())
                .max()
                .unwrap_or_default()
        };
        CreditRun::checked(basis, currency, scale, lines)
    }

    /// The run of `lines` at `scale`, every check made.
    fn checked(
        basis: CreditBasis,
        currency: Currency,
        scale: u32,
        mut lines: Vec<CreditLine>,
    ) -> Result<CreditRun, CreditError> {
        check_scale(&basis, currency, scale)?;
        check_lines(&lines, scale)?;
        for line in &mut lines {
            // Fewer decimals than the scale, or zeros beyond it: written
            // to it (exact).
            line.amount.rescale(scale);
        }
        // Lines given in the run's order (a CRM export by date and
        // transaction) are not sorted again: no sort's scratch copy.
        if !lines.is_sorted_by(|a, b| a.order_key() <= b.order_key()) {
            lines.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        }
        check_given_once(&lines)?;
        Ok(CreditRun {
            basis,
            currency,
            scale,
            lines,
            pending: Vec::new(),
            conversions: Vec::new(),
        })
    }

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

    /// How each transaction in another currency than the run's was
    /// converted, by transaction id (empty when every deal was in the
    /// run's currency).
    pub fn conversions(&self) -> &[Conversion] {
        &self.conversions
    }

    /// The conversions of `transactions` (those in another currency), in
    /// their order: the FX trail of a statement line, whose calculation
    /// lists the transactions it counted
    /// ([`Calculation::transactions`](crate::comp::Calculation::transactions)).
    pub fn conversions_of<'r>(
        &'r self,
        transactions: &'r [TransactionId],
    ) -> impl Iterator<Item = &'r Conversion> + 'r {
        transactions.iter().filter_map(|t| self.conversion(t))
    }

    /// The run with `from`'s conversions of its own lines' transactions:
    /// a run rebuilt from some of `from`'s lines keeps how they were
    /// converted.
    #[must_use]
    pub(crate) fn keep_conversions(mut self, from: &CreditRun) -> CreditRun {
        if from.conversions.is_empty() {
            return self;
        }
        let mut ids: Vec<&TransactionId> = self.lines.iter().map(CreditLine::transaction).collect();
        ids.sort_unstable();
        ids.dedup();
        self.conversions = ids
            .into_iter()
            .filter_map(|id| from.conversion(id).cloned())
            .collect();
        self
    }

    /// How `transaction` was converted, if it was in another currency.
    pub fn conversion(&self, transaction: &TransactionId) -> Option<&Conversion> {
        self.conversions
            .binary_search_by(|c| c.transaction.cmp(transaction))
            .ok()
            .and_then(|i| self.conversions.get(i))
    }

    /// The lines credited in `period`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::credit::{CreditBasis, CreditLine, CreditRule, CreditRun};
    /// use salesplan::{Currency, Period, PositionId, TransactionId};
    /// # use chrono::NaiveDate;
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    ///
    /// let owner = CreditRule::Owner { share: "100%".parse()? };
    /// let line = |id: &str, date| CreditLine::new(PositionId::new("rep").unwrap(),
    ///     TransactionId::new(id).unwrap(), owner.clone(), Decimal::from(100), date);
    /// let run = CreditRun::from_lines(CreditBasis::Revenue, Currency::USD,
    ///     vec![line("SO-2", d(2, 14)), line("SO-1", d(1, 5))])?;
    /// let february = Period::month(2025, 2)?;
    /// let ids: Vec<&str> = run.lines_in(february).map(|l| l.transaction().as_str()).collect();
    /// assert_eq!(ids, ["SO-2"]);
    /// // The run's lines are in date order, whatever order they were given in.
    /// assert_eq!(run.lines()[0].transaction().as_str(), "SO-1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn lines_in(&self, period: Period) -> impl Iterator<Item = &CreditLine> + '_ {
        self.lines.iter().filter(move |l| period.contains(l.date))
    }

    /// The lines into owned data.
    pub fn into_lines(self) -> Vec<CreditLine> {
        self.lines
    }
}

/// A run's scale fits its basis: the currency's minor units for money,
/// at most [`MAX_QUANTITY_SCALE`] places for quantities.
fn check_scale(basis: &CreditBasis, currency: Currency, scale: u32) -> Result<(), CreditError> {
    if basis.is_money() && scale != u32::from(currency.minor_units()) {
        return Err(CreditError::RunScale {
            basis: basis.clone(),
            currency,
            scale,
        });
    }
    if scale > MAX_QUANTITY_SCALE {
        return Err(CreditError::QuantityScale {
            places: scale,
            max: MAX_QUANTITY_SCALE,
        });
    }
    Ok(())
}

/// Each line is well formed, within `scale`, and every line of one sale
/// has the same org date.
fn check_lines(lines: &[CreditLine], scale: u32) -> Result<(), CreditError> {
    let mut org_dates: FxHashMap<&TransactionId, NaiveDate> = FxHashMap::default();
    org_dates.reserve(lines.len());
    for line in lines {
        line.check()?;
        // Trailing zeros are not precision: 10.500 is 10.50.
        if line.amount.normalize().scale() > scale {
            return Err(CreditError::Precision {
                transaction: line.transaction.clone(),
                field: "amount".to_owned(),
                value: line.amount,
                places: scale,
            });
        }
        let first = *org_dates.entry(&line.sale).or_insert(line.as_of);
        if first != line.as_of {
            return Err(CreditError::SaleDates {
                sale: line.sale.clone(),
                first,
                second: line.as_of,
            });
        }
    }
    Ok(())
}

/// No credit is given twice: among `lines` (sorted by
/// [`CreditLine::order_key`]), no two with the same key have the same
/// rule.
fn check_given_once(lines: &[CreditLine]) -> Result<(), CreditError> {
    for (i, line) in lines.iter().enumerate() {
        let twice = lines
            .get(i..)
            .unwrap_or_default()
            .iter()
            .skip(1)
            .take_while(|other| other.order_key() == line.order_key())
            .any(|other| other.rule == line.rule);
        if twice {
            return Err(CreditError::DuplicateLine {
                transaction: line.transaction.clone(),
                position: line.position.clone(),
                kind: line.kind,
                date: line.date,
            });
        }
    }
    Ok(())
}
