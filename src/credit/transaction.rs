//! Transactions: the sales events that earn credit.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::ids::{AccountId, PositionId, ProductGroupId, ProductId, TransactionId};
use crate::money::{Money, Percent};

/// What a transaction is. The sign of its amount follows from it: sales
/// are positive, returns and credit notes negative, payments either (a
/// negative payment is a refund).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum TransactionKind {
    /// A booked order. Amount ≥ 0.
    Order,
    /// An invoice line. Amount ≥ 0.
    Invoice,
    /// Money received against an order or invoice (its
    /// [`original`](Transaction::original)). Amount ≠ 0.
    Payment,
    /// Goods returned: reverses (part of) its original, or, without one,
    /// is credited by its own owners. Amount ≤ 0.
    Return,
    /// A credit note: as [`Return`](Self::Return). Amount ≤ 0.
    CreditNote,
}

impl TransactionKind {
    /// Orders and invoices: the transactions that are credited in their
    /// own right.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::credit::TransactionKind;
    ///
    /// assert!(TransactionKind::Invoice.is_sale());
    /// assert!(!TransactionKind::Payment.is_sale());
    /// assert!(TransactionKind::CreditNote.is_reversal());
    /// ```
    pub const fn is_sale(self) -> bool {
        matches!(self, TransactionKind::Order | TransactionKind::Invoice)
    }

    /// Returns and credit notes.
    pub const fn is_reversal(self) -> bool {
        matches!(self, TransactionKind::Return | TransactionKind::CreditNote)
    }
}

/// One position's share of a deal's direct credit, as the transaction
/// names it (the deal's owners, in the CRM).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Owner {
    position: PositionId,
    share: Percent,
}

impl Owner {
    /// `position` gets `share` of the deal.
    pub const fn new(position: PositionId, share: Percent) -> Owner {
        Owner { position, share }
    }

    /// Sole owner: 100% of the deal.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::credit::Owner;
    /// use salesplan::{Percent, PositionId};
    ///
    /// let owner = Owner::sole(PositionId::new("rep-1")?);
    /// assert_eq!(owner.share(), Percent::HUNDRED);
    /// assert_eq!(owner, Owner::new(PositionId::new("rep-1")?, "100%".parse()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn sole(position: PositionId) -> Owner {
        Owner {
            position,
            share: Percent::HUNDRED,
        }
    }

    /// The position credited.
    pub const fn position(&self) -> &PositionId {
        &self.position
    }

    /// Its share.
    pub const fn share(&self) -> Percent {
        self.share
    }
}

/// A sales transaction, as data: an order, invoice line, payment, return or
/// credit note.
///
/// Built with [`Transaction::new`] and the `with_*` methods; everything is
/// checked when it is credited ([`Crediting`](super::Crediting)), against
/// the whole feed (duplicate ids, originals, amounts).
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::credit::{Owner, Transaction, TransactionKind};
/// use salesplan::{AccountId, Currency, Money, PositionId, TransactionId};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let order = Transaction::new(
///     TransactionId::new("SO-1001")?,
///     TransactionKind::Order,
///     d(3, 14),
///     AccountId::new("ACME")?,
///     Money::parse("100000.00", Currency::USD)?,
/// )
/// .with_owners(vec![
///     Owner::new(PositionId::new("rep-1")?, "70%".parse()?),
///     Owner::new(PositionId::new("rep-2")?, "30%".parse()?),
/// ])
/// .with_invoiced(d(3, 31));
/// assert_eq!(order.invoiced(), Some(d(3, 31)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # JSON
///
/// `id`, `kind`, `booked`, `account` and `amount` are required; the dates
/// `invoiced` and `paid`, `product`, `product_group`, `margin`, `units`,
/// `measures` (named decimals), `owners` and `original` are optional.
/// Unknown fields are refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::credit::{Transaction, TransactionKind};
///
/// let note: Transaction = serde_json::from_str(r#"{
///     "id": "CN-17", "kind": "credit_note", "booked": "2025-05-02", "account": "ACME",
///     "amount": "-2500.00 USD", "original": "SO-1001"
/// }"#)?;
/// assert_eq!(note.kind(), TransactionKind::CreditNote);
/// assert_eq!(note.original().map(|o| o.as_str()), Some("SO-1001"));
/// let err = serde_json::from_str::<Transaction>(r#"{"id": "SO-1", "kind": "order",
///     "booked": "2025-05-02", "account": "ACME", "amount": "10.00 USD", "orignal": "SO-0"}"#)
///     .unwrap_err();
/// assert!(err.to_string().contains("unknown field `orignal`"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Transaction {
    id: TransactionId,
    kind: TransactionKind,
    booked: NaiveDate,
    #[cfg_attr(feature = "serde", serde(default))]
    invoiced: Option<NaiveDate>,
    #[cfg_attr(feature = "serde", serde(default))]
    paid: Option<NaiveDate>,
    account: AccountId,
    #[cfg_attr(feature = "serde", serde(default))]
    product: Option<ProductId>,
    #[cfg_attr(feature = "serde", serde(default))]
    product_group: Option<ProductGroupId>,
    amount: Money,
    #[cfg_attr(feature = "serde", serde(default))]
    margin: Option<Money>,
    #[cfg_attr(feature = "serde", serde(default, with = "crate::money::dec_opt"))]
    units: Option<Decimal>,
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(
        feature = "serde",
        serde(with = "crate::money::serde_dec::decimal_named")
    )]
    measures: BTreeMap<String, Decimal>,
    #[cfg_attr(feature = "serde", serde(default))]
    owners: Vec<Owner>,
    #[cfg_attr(feature = "serde", serde(default))]
    original: Option<TransactionId>,
}

impl Transaction {
    /// A transaction booked on `booked` for `account`.
    pub const fn new(
        id: TransactionId,
        kind: TransactionKind,
        booked: NaiveDate,
        account: AccountId,
        amount: Money,
    ) -> Transaction {
        Transaction {
            id,
            kind,
            booked,
            invoiced: None,
            paid: None,
            account,
            product: None,
            product_group: None,
            amount,
            margin: None,
            units: None,
            measures: BTreeMap::new(),
            owners: Vec::new(),
            original: None,
        }
    }

    /// Invoiced on `date`.
    #[must_use]
    pub fn with_invoiced(mut self, date: NaiveDate) -> Self {
        self.invoiced = Some(date);
        self
    }

    /// Paid in full (what remains of it) on `date`.
    #[must_use]
    pub fn with_paid(mut self, date: NaiveDate) -> Self {
        self.paid = Some(date);
        self
    }

    /// The product sold.
    #[must_use]
    pub fn with_product(mut self, product: ProductId) -> Self {
        self.product = Some(product);
        self
    }

    /// The product group sold.
    #[must_use]
    pub fn with_product_group(mut self, group: ProductGroupId) -> Self {
        self.product_group = Some(group);
        self
    }

    /// The deal's margin.
    #[must_use]
    pub fn with_margin(mut self, margin: Money) -> Self {
        self.margin = Some(margin);
        self
    }

    /// Units sold (negative on a return).
    #[must_use]
    pub fn with_units(mut self, units: Decimal) -> Self {
        self.units = Some(units);
        self
    }

    /// A caller-defined measure (points, new logos, ...), credited when the
    /// plan's basis is [`CreditBasis::Measure`](super::CreditBasis::Measure)
    /// with this name. Setting a name twice keeps the last value.
    ///
    /// # Examples
    ///
    /// A measure of your own, credited when the plan's basis names it:
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
    /// use salesplan::{AccountId, Currency, Money, PositionId, TransactionId};
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Org, Position, ReportingLine, Role};
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let rep = PositionId::new("rep")?;
    /// # let org = Org::builder()
    /// #     .position(Position::new(rep.clone(), Role::SalesRep))
    /// #     .line(ReportingLine::top(rep.clone(), DateRange::starting(d(1, 1))))
    /// #     .build()?;
    ///
    /// let sale = Transaction::new(TransactionId::new("SO-1")?, TransactionKind::Order, d(3, 3),
    ///     AccountId::new("ACME")?, Money::parse("1200.00", Currency::USD)?)
    ///     .with_owner(rep)
    ///     .with_measure("points", Decimal::from(3))
    ///     .with_measure("points", Decimal::from(5));
    /// assert_eq!(sale.measure("points"), Some(Decimal::from(5)));
    /// assert_eq!(sale.measure("logos"), None);
    /// let plan = CreditPlan::new(CreditBasis::Measure("points".into()), Currency::USD);
    /// let run = Crediting::new(&org, &plan).run(&[sale])?;
    /// assert_eq!(run.lines()[0].amount().to_string(), "5.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_measure(mut self, name: &str, value: Decimal) -> Self {
        self.measures.insert(name.to_owned(), value);
        self
    }

    /// The positions credited directly, with their shares (which must sum
    /// to exactly 100%).
    #[must_use]
    pub fn with_owners(mut self, owners: Vec<Owner>) -> Self {
        self.owners = owners;
        self
    }

    /// One owner with 100%.
    #[must_use]
    pub fn with_owner(self, position: PositionId) -> Self {
        self.with_owners(vec![Owner::sole(position)])
    }

    /// The transaction this one reverses (a return or credit note) or pays
    /// (a payment).
    ///
    /// # Examples
    ///
    /// A partial return credits the sale's owners negatively, on its own date:
    ///
    /// ```
    /// use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
    /// use salesplan::{AccountId, Currency, Money, PositionId, TransactionId};
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Org, Position, ReportingLine, Role};
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let rep = PositionId::new("rep")?;
    /// # let org = Org::builder()
    /// #     .position(Position::new(rep.clone(), Role::SalesRep))
    /// #     .line(ReportingLine::top(rep.clone(), DateRange::starting(d(1, 1))))
    /// #     .build()?;
    ///
    /// let usd = |s: &str| Money::parse(s, Currency::USD).unwrap();
    /// let order = Transaction::new(TransactionId::new("SO-1")?, TransactionKind::Order, d(3, 3),
    ///     AccountId::new("ACME")?, usd("1200.00")).with_owner(rep);
    /// let ret = Transaction::new(TransactionId::new("RT-1")?, TransactionKind::Return, d(4, 2),
    ///     AccountId::new("ACME")?, usd("-200.00")).with_original(order.id().clone());
    /// let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    /// let run = Crediting::new(&org, &plan).run(&[order, ret])?;
    /// let lines: Vec<String> = run.lines().iter()
    ///     .map(|l| format!("{} {} {}", l.date(), l.transaction(), l.amount())).collect();
    /// assert_eq!(lines, ["2025-03-03 SO-1 1200.00", "2025-04-02 RT-1 -200.00"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_original(mut self, original: TransactionId) -> Self {
        self.original = Some(original);
        self
    }

    /// The same transaction with its amount and margin in another currency
    /// (the crediting's conversion).
    pub(super) fn converted(&self, amount: Money, margin: Option<Money>) -> Transaction {
        Transaction {
            amount,
            margin,
            ..self.clone()
        }
    }

    /// The id.
    pub const fn id(&self) -> &TransactionId {
        &self.id
    }

    /// The kind.
    pub const fn kind(&self) -> TransactionKind {
        self.kind
    }

    /// The booking date (for a payment, the day the money came in).
    pub const fn booked(&self) -> NaiveDate {
        self.booked
    }

    /// The invoice date, if invoiced.
    pub const fn invoiced(&self) -> Option<NaiveDate> {
        self.invoiced
    }

    /// The day it was paid in full, if known.
    pub const fn paid(&self) -> Option<NaiveDate> {
        self.paid
    }

    /// The account.
    pub const fn account(&self) -> &AccountId {
        &self.account
    }

    /// The product, if given.
    pub const fn product(&self) -> Option<&ProductId> {
        self.product.as_ref()
    }

    /// The product group, if given.
    pub const fn product_group(&self) -> Option<&ProductGroupId> {
        self.product_group.as_ref()
    }

    /// The amount.
    pub const fn amount(&self) -> Money {
        self.amount
    }

    /// The margin, if given.
    pub const fn margin(&self) -> Option<Money> {
        self.margin
    }

    /// The units, if given.
    pub const fn units(&self) -> Option<Decimal> {
        self.units
    }

    /// A caller-defined measure, if given.
    pub fn measure(&self, name: &str) -> Option<Decimal> {
        self.measures.get(name).copied()
    }

    /// The owners named on the transaction.
    pub fn owners(&self) -> &[Owner] {
        &self.owners
    }

    /// The transaction reversed or paid, if any.
    pub const fn original(&self) -> Option<&TransactionId> {
        self.original.as_ref()
    }
}
