//! Credit rules: what is credited, when, and to whom.

use crate::calendar::DateRange;
use crate::credit::CreditError;
use crate::ids::{AccountId, PositionId, ProductGroupId, ProductId};
use crate::money::{Currency, Percent, RoundingPolicy};

/// What a credit line measures.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum CreditBasis {
    /// The transaction's amount.
    Revenue,
    /// The transaction's margin (required on every sale).
    Margin,
    /// The transaction's units (required on every sale).
    Units,
    /// One per deal: a sale counts 1; a reversal that takes its original
    /// to zero counts −1; partial returns count 0.
    DealCount,
    /// A caller-defined measure on each sale
    /// ([`Transaction::with_measure`](super::Transaction::with_measure)).
    Measure(String),
}

impl CreditBasis {
    /// Revenue and margin are money; the rest are quantities.
    pub const fn is_money(&self) -> bool {
        matches!(self, CreditBasis::Revenue | CreditBasis::Margin)
    }
}

/// When a sale is credited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum CreditTiming {
    /// On the booking date. Returns and credit notes credit negatively on
    /// their booking date; payments credit nothing.
    Booking,
    /// On the invoice date; an order not yet invoiced is pending (and so
    /// are its returns), and an [`Invoice`](super::TransactionKind::Invoice)
    /// without its invoice date is an error
    /// ([`CreditError::MissingInvoiceDate`](crate::credit::CreditError::MissingInvoiceDate)).
    /// Returns and credit notes credit on their own invoice date, or their
    /// booking date without one.
    Invoice,
    /// Credit follows cash: each payment credits its share of the sale it
    /// pays, on the payment's date (500 paid on a 1,000 invoice credits 500
    /// now); a sale's [`paid`](super::Transaction::paid) date credits
    /// whatever remains unpaid; a refund is a negative payment. Returns and
    /// credit notes credit nothing themselves: they lower what remains to
    /// be paid.
    Payment,
}

/// Which day's FX rate converts a sale in another currency than the
/// plan's (see [`Crediting::with_rates`](super::Crediting::with_rates)).
///
/// One rate converts a sale and everything that refers to it: its returns,
/// credit notes and payments convert at the rate of the sale they reverse
/// or pay, whatever their own date, so a sale returned in full nets to
/// exactly zero in the plan's currency. A return without an original
/// converts at the rate of its own date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum RateDate {
    /// The sale's booking date (the default).
    Booking,
    /// The sale's invoice date. A sale not yet invoiced waits, pending,
    /// with everything that refers to it.
    Invoice,
    /// The sale's [`paid`](super::Transaction::paid) date, else the date of
    /// its first payment in the feed. A sale with neither waits, pending.
    Payment,
    /// A fixed plan rate: the table's rate in force on this date for every
    /// sale (load the plan's budget rates effective on, say, the plan
    /// year's first day and name that day).
    Fixed(chrono::NaiveDate),
}

/// Where a sale's direct credit comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum DirectSource {
    /// The owners named on the transaction (required).
    Owners,
    /// The primaries covering the account's territory on the deal date
    /// (their overlays are credited as overlay credit).
    Territory,
    /// The owners when the transaction names any, the territory otherwise.
    OwnersElseTerritory,
}

/// Which sales an overlay rule credits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum OverlayScope {
    /// Every sale.
    Everything,
    /// Sales of one product group (a product specialist).
    ProductGroup(ProductGroupId),
    /// Sales of one product.
    Product(ProductId),
    /// Sales to one account (a key-account manager).
    Account(AccountId),
}

/// Overlay credit: a specialist credited `share` of every sale in scope
/// booked in `during`, on top of the direct credit.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct OverlayRule {
    position: PositionId,
    share: Percent,
    scope: OverlayScope,
    during: DateRange,
}

impl OverlayRule {
    /// `position` gets `share` of the sales in `scope` booked in `during`.
    pub const fn new(
        position: PositionId,
        share: Percent,
        scope: OverlayScope,
        during: DateRange,
    ) -> OverlayRule {
        OverlayRule {
            position,
            share,
            scope,
            during,
        }
    }

    /// The position credited.
    pub const fn position(&self) -> &PositionId {
        &self.position
    }

    /// Its share of each sale.
    pub const fn share(&self) -> Percent {
        self.share
    }

    /// Which sales.
    pub const fn scope(&self) -> &OverlayScope {
        &self.scope
    }

    /// When (by booking date).
    pub const fn during(&self) -> DateRange {
        self.during
    }
}

/// Whether managers get explicit roll-up lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum RollUpLines {
    /// No roll-up lines: [`CreditTotals`](super::CreditTotals) computes
    /// every manager's roll-up credit in one pass over the org instead.
    Totals,
    /// One roll-up line per manager above each direct line, as of the deal
    /// date: the audit view (depth × lines).
    Lines,
}

/// A credit plan: the basis, the timing, where direct credit comes from,
/// the overlays, and how amounts are rounded.
///
/// ```
/// use salesplan::credit::{CreditBasis, CreditPlan, CreditTiming, DirectSource};
/// use salesplan::Currency;
///
/// let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD)
///     .timing(CreditTiming::Invoice)
///     .direct(DirectSource::OwnersElseTerritory);
/// assert_eq!(plan.basis(), &CreditBasis::Revenue);
/// ```
///
/// # JSON
///
/// `basis` and `currency` are required; the rest default as
/// [`CreditPlan::new`] sets them (`"timing": "booking"`, `"direct":
/// "owners"`, no `"overlays"`, `"roll_up": "totals"`, `"quantity_scale": 2`,
/// `"rounding": "half_away_from_zero"`, `"rate_date": "booking"`, or
/// `{"fixed": "2025-01-01"}` for a plan rate). Unknown fields are refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::credit::{CreditBasis, CreditPlan, CreditTiming, DirectSource};
/// use salesplan::Currency;
///
/// let plan: CreditPlan = serde_json::from_str(
///     r#"{"basis": "revenue", "currency": "USD", "timing": "invoice", "direct": "owners_else_territory"}"#,
/// )?;
/// assert_eq!(
///     plan,
///     CreditPlan::new(CreditBasis::Revenue, Currency::USD)
///         .timing(CreditTiming::Invoice)
///         .direct(DirectSource::OwnersElseTerritory)
/// );
/// let err = serde_json::from_str::<CreditPlan>(r#"{"basis": "revenue", "currency": "USD", "timimg": "invoice"}"#)
///     .unwrap_err();
/// assert!(err.to_string().contains("unknown field `timimg`"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawPlan", into = "RawPlan"))]
pub struct CreditPlan {
    basis: CreditBasis,
    currency: Currency,
    timing: CreditTiming,
    direct: DirectSource,
    overlays: Vec<OverlayRule>,
    roll_up: RollUpLines,
    quantity_scale: u32,
    rounding: RoundingPolicy,
    rate_date: RateDate,
}

/// The most decimal places a quantity basis may keep.
pub const MAX_QUANTITY_SCALE: u32 = 12;

impl CreditPlan {
    /// Credits `basis` in `currency` (amounts in other currencies are
    /// converted at the rates given to
    /// [`Crediting::with_rates`](super::Crediting::with_rates), on the
    /// booking date unless [`rate_date`](Self::rate_date) says otherwise;
    /// without rates they are refused), on booking, to the transaction's
    /// owners, without overlays or roll-up lines; quantities to 2 decimal
    /// places; derived amounts rounded half away from zero.
    pub const fn new(basis: CreditBasis, currency: Currency) -> CreditPlan {
        CreditPlan {
            basis,
            currency,
            timing: CreditTiming::Booking,
            direct: DirectSource::Owners,
            overlays: Vec::new(),
            roll_up: RollUpLines::Totals,
            quantity_scale: 2,
            rounding: RoundingPolicy::HalfAwayFromZero,
            rate_date: RateDate::Booking,
        }
    }

    /// The same plan, crediting in `currency`: to report credit and
    /// roll-ups in a reporting currency, credit the same feed under the
    /// plan in that currency with the same rates
    /// ([`Crediting::with_rates`](super::Crediting::with_rates)), so each
    /// deal is converted once, at its own rate date, by the rule that
    /// converts it for pay, rather than converting totals.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::calendar::DateRange;
    /// use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
    /// use salesplan::money::RateTable;
    /// use salesplan::org::{Org, Position, ReportingLine, Role};
    /// use salesplan::{AccountId, Currency, Money, Period, PositionId, TransactionId};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let pos = |s: &str| PositionId::new(s).unwrap();
    /// let always = DateRange::starting(d(1, 1));
    /// let org = Org::builder()
    ///     .position(Position::new(pos("lead"), Role::TeamLead))
    ///     .position(Position::new(pos("rep"), Role::SalesRep))
    ///     .line(ReportingLine::top(pos("lead"), always))
    ///     .line(ReportingLine::new(pos("rep"), pos("lead"), always))
    ///     .build()?;
    /// let rates = RateTable::new()
    ///     .with(Currency::USD, Currency::EUR, d(1, 1), "0.9200".parse()?)?
    ///     .with(Currency::USD, Currency::EUR, d(3, 1), "0.9000".parse()?)?;
    /// let deal = |id: &str, day, usd: &str| Transaction::new(TransactionId::new(id).unwrap(),
    ///     TransactionKind::Order, day, AccountId::new("ACME").unwrap(),
    ///     Money::parse(usd, Currency::USD).unwrap()).with_owner(pos("rep"));
    /// let feed = [deal("SO-1", d(2, 3), "1000.00"), deal("SO-2", d(3, 3), "1000.00")];
    /// let pay = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    /// let report = pay.clone().in_currency(Currency::EUR);
    /// let q1 = Period::new(d(1, 1), d(4, 1))?;
    /// let totals = Crediting::new(&org, &report).with_rates(&rates).totals(&feed, &[q1])?;
    /// // 920.00 + 900.00: each deal at its own booking date's rate.
    /// assert_eq!(totals.position(&pos("lead"), 0).unwrap().roll_up().to_string(), "1820.00");
    /// assert_eq!(totals.currency(), Currency::EUR);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn in_currency(mut self, currency: Currency) -> Self {
        self.currency = currency;
        self
    }

    /// Which day's FX rate converts a sale in another currency (booking
    /// by default). The converted amount is rounded once, to the plan
    /// currency's minor units, with the plan's
    /// [rounding policy](Self::rounding).
    #[must_use]
    pub const fn rate_date(mut self, rate_date: RateDate) -> Self {
        self.rate_date = rate_date;
        self
    }

    /// Which day's FX rate converts a sale in another currency.
    pub const fn rate_date_rule(&self) -> RateDate {
        self.rate_date
    }

    /// When sales are credited.
    #[must_use]
    pub const fn timing(mut self, timing: CreditTiming) -> Self {
        self.timing = timing;
        self
    }

    /// Where direct credit comes from.
    #[must_use]
    pub const fn direct(mut self, direct: DirectSource) -> Self {
        self.direct = direct;
        self
    }

    /// Adds an overlay rule.
    ///
    /// # Examples
    ///
    /// A product specialist credited 10% of every sale of their group, on top of
    /// the rep's full credit:
    ///
    /// ```
    /// use salesplan::calendar::DateRange;
    /// use salesplan::credit::{CreditBasis, CreditPlan, Crediting, OverlayRule, OverlayScope};
    /// use salesplan::credit::{Transaction, TransactionKind};
    /// use salesplan::{AccountId, Currency, Money, PositionId, ProductGroupId, TransactionId};
    /// # use chrono::NaiveDate;
    /// # use salesplan::org::{Org, Position, ReportingLine, Role};
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let always = DateRange::starting(d(1, 1));
    /// # let org = Org::builder()
    /// #     .position(Position::new(pos("rep"), Role::SalesRep))
    /// #     .position(Position::new(pos("cloud-specialist"), Role::SalesRep))
    /// #     .line(ReportingLine::top(pos("rep"), always))
    /// #     .line(ReportingLine::top(pos("cloud-specialist"), always))
    /// #     .build()?;
    ///
    /// let cloud = ProductGroupId::new("cloud")?;
    /// let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD).overlay(OverlayRule::new(
    ///     pos("cloud-specialist"), "10%".parse()?, OverlayScope::ProductGroup(cloud.clone()), always,
    /// ));
    /// let sale = Transaction::new(TransactionId::new("SO-1")?, TransactionKind::Order, d(3, 3),
    ///     AccountId::new("ACME")?, Money::parse("4500.00", Currency::USD)?)
    ///     .with_owner(pos("rep"))
    ///     .with_product_group(cloud);
    /// let run = Crediting::new(&org, &plan).run(&[sale])?;
    /// let lines: Vec<String> = run.lines().iter()
    ///     .map(|l| format!("{} {:?} {}", l.position(), l.kind(), l.amount())).collect();
    /// assert_eq!(lines, ["rep Direct 4500.00", "cloud-specialist Overlay 450.00"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn overlay(mut self, rule: OverlayRule) -> Self {
        self.overlays.push(rule);
        self
    }

    /// Whether to write roll-up lines.
    ///
    /// # Examples
    ///
    /// With [`RollUpLines::Lines`] every manager above a direct line gets a
    /// roll-up line of their own:
    ///
    /// ```
    /// use salesplan::credit::{CreditBasis, CreditKind, CreditPlan, Crediting, RollUpLines};
    /// use salesplan::credit::{Transaction, TransactionKind};
    /// use salesplan::{AccountId, Currency, Money, PositionId, TransactionId};
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Org, Position, ReportingLine, Role};
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let always = DateRange::starting(d(1, 1));
    /// # let org = Org::builder()
    /// #     .position(Position::new(pos("vp"), Role::Executive))
    /// #     .position(Position::new(pos("lead"), Role::TeamLead))
    /// #     .position(Position::new(pos("ana"), Role::SalesRep))
    /// #     .line(ReportingLine::top(pos("vp"), always))
    /// #     .line(ReportingLine::new(pos("lead"), pos("vp"), always))
    /// #     .line(ReportingLine::new(pos("ana"), pos("lead"), always))
    /// #     .build()?;
    ///
    /// let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD).roll_up(RollUpLines::Lines);
    /// let sale = Transaction::new(TransactionId::new("SO-1")?, TransactionKind::Order, d(3, 3),
    ///     AccountId::new("ACME")?, Money::parse("900.00", Currency::USD)?).with_owner(pos("ana"));
    /// let run = Crediting::new(&org, &plan).run(&[sale])?;
    /// let roll_up: Vec<&str> = run.lines().iter()
    ///     .filter(|l| l.kind() == CreditKind::RollUp)
    ///     .map(|l| l.position().as_str())
    ///     .collect();
    /// assert_eq!(roll_up, ["lead", "vp"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn roll_up(mut self, roll_up: RollUpLines) -> Self {
        self.roll_up = roll_up;
        self
    }

    /// Decimal places kept by quantity bases (units, deal count, measures):
    /// splits are exact at this precision.
    ///
    /// # Errors
    ///
    /// [`CreditError::QuantityScale`] above [`MAX_QUANTITY_SCALE`].
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::credit::{CreditBasis, CreditPlan};
    /// use salesplan::{CreditError, Currency};
    ///
    /// let units = CreditPlan::new(CreditBasis::Units, Currency::USD).quantity_scale(4)?;
    /// assert_eq!(units.scale(), 4);
    /// let err = CreditPlan::new(CreditBasis::Units, Currency::USD).quantity_scale(13).unwrap_err();
    /// assert!(matches!(err, CreditError::QuantityScale { places: 13, max: 12 }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn quantity_scale(mut self, places: u32) -> Result<Self, CreditError> {
        if places > MAX_QUANTITY_SCALE {
            return Err(CreditError::QuantityScale {
                places,
                max: MAX_QUANTITY_SCALE,
            });
        }
        self.quantity_scale = places;
        Ok(self)
    }

    /// How derived amounts are rounded: overlay shares, and the margin,
    /// units or measure of a partial return or payment.
    #[must_use]
    pub const fn rounding(mut self, rounding: RoundingPolicy) -> Self {
        self.rounding = rounding;
        self
    }

    /// The basis.
    pub const fn basis(&self) -> &CreditBasis {
        &self.basis
    }

    /// The currency of money bases (and of every transaction).
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The timing.
    pub const fn timing_rule(&self) -> CreditTiming {
        self.timing
    }

    /// The direct source.
    pub const fn direct_source(&self) -> DirectSource {
        self.direct
    }

    /// The overlay rules.
    pub fn overlays(&self) -> &[OverlayRule] {
        &self.overlays
    }

    /// Whether roll-up lines are written.
    pub const fn roll_up_lines(&self) -> RollUpLines {
        self.roll_up
    }

    /// Decimal places of a credited amount: the currency's minor units for
    /// money bases, the quantity scale otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::credit::{CreditBasis, CreditPlan};
    /// use salesplan::Currency;
    ///
    /// // Money is kept to the currency's minor units; the quantity scale is
    /// // for quantities only.
    /// let revenue = CreditPlan::new(CreditBasis::Revenue, Currency::JPY).quantity_scale(6)?;
    /// assert_eq!(revenue.scale(), 0);
    /// let deals = CreditPlan::new(CreditBasis::DealCount, Currency::JPY);
    /// assert_eq!(deals.scale(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn scale(&self) -> u32 {
        if self.basis.is_money() {
            u32::from(self.currency.minor_units())
        } else {
            self.quantity_scale
        }
    }

    /// The rounding policy.
    pub const fn rounding_policy(&self) -> RoundingPolicy {
        self.rounding
    }
}

crate::validated::via_raw! {
    #[derive(serde::Serialize)]
    RawPlan => CreditPlan, CreditError {
        basis: CreditBasis,
        currency: Currency,
        #[serde(default = "booking")]
        timing: CreditTiming,
        #[serde(default = "owners")]
        direct: DirectSource,
        #[serde(default)]
        overlays: Vec<OverlayRule>,
        #[serde(default = "totals")]
        roll_up: RollUpLines,
        #[serde(default = "two_places")]
        quantity_scale: u32,
        #[serde(default)]
        rounding: RoundingPolicy,
        #[serde(default = "booking_rate")]
        rate_date: RateDate,
    } => {
        let plan = CreditPlan {
            overlays,
            ..CreditPlan::new(basis, currency)
        };
        plan.timing(timing)
            .direct(direct)
            .roll_up(roll_up)
            .rounding(rounding)
            .rate_date(rate_date)
            .quantity_scale(quantity_scale)
    }
}

// What `CreditPlan::new` gives a field a plan's JSON leaves out.
#[cfg(feature = "serde")]
fn booking() -> CreditTiming {
    CreditTiming::Booking
}
#[cfg(feature = "serde")]
fn booking_rate() -> RateDate {
    RateDate::Booking
}
#[cfg(feature = "serde")]
fn owners() -> DirectSource {
    DirectSource::Owners
}
#[cfg(feature = "serde")]
fn totals() -> RollUpLines {
    RollUpLines::Totals
}
#[cfg(feature = "serde")]
fn two_places() -> u32 {
    2
}

#[cfg(feature = "serde")]
impl From<CreditPlan> for RawPlan {
    fn from(plan: CreditPlan) -> RawPlan {
        RawPlan {
            basis: plan.basis,
            currency: plan.currency,
            timing: plan.timing,
            direct: plan.direct,
            overlays: plan.overlays,
            roll_up: plan.roll_up,
            quantity_scale: plan.quantity_scale,
            rounding: plan.rounding,
            rate_date: plan.rate_date,
        }
    }
}
