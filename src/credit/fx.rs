//! Crediting deals in other currencies: each sale converted into the plan's
//! currency at one rate, on the day its plan's [`RateDate`] names.
//!
//! The rule, in order:
//!
//! 1. A sale (order or invoice) in another currency converts at the rate
//!    in force on its rate date: booking (the default), invoice, payment,
//!    or a fixed plan date. A sale whose rate date is not known yet (not
//!    invoiced, not paid) waits, pending, with everything that refers to
//!    it.
//! 2. Its returns, credit notes and payments convert at the sale's rate,
//!    whatever their own date, and must be in the sale's currency.
//! 3. Rounding happens once per converted figure, to the plan currency's
//!    minor units, with the plan's rounding policy, applied to the
//!    magnitude (so a return rounds exactly as the sale did). A sale's
//!    later transactions are rounded on their running total: each one
//!    converts to `round(total after × rate) − round(total before × rate)`,
//!    in feed order, so a sale returned in full nets to exactly zero and
//!    partial payments add up to the converted sale.
//! 4. The split among owners, overlays and roll-ups then works on the
//!    converted amount exactly as on a sale booked in the plan's currency.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::plan::{CreditPlan, RateDate};
use super::transaction::{Transaction, TransactionKind};
use crate::credit::CreditError;
use crate::ids::TransactionId;
use crate::kernel::hash::{FxHashMap, map_with_capacity};
use crate::money::{self, Currency, Money, MoneyError, RateTable};

/// How one transaction in another currency was converted into the plan's.
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::calendar::DateRange;
/// use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
/// use salesplan::money::RateTable;
/// use salesplan::org::{Org, Position, ReportingLine, Role};
/// use salesplan::{AccountId, Currency, Money, PositionId, TransactionId};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let rep = PositionId::new("rep")?;
/// let org = Org::builder()
///     .position(Position::new(rep.clone(), Role::SalesRep))
///     .line(ReportingLine::top(rep.clone(), DateRange::starting(d(1, 1))))
///     .build()?;
/// let rates = RateTable::new().with(Currency::EUR, Currency::USD, d(1, 1), "1.0850".parse()?)?;
/// let deal = Transaction::new(TransactionId::new("SO-7")?, TransactionKind::Order, d(3, 3),
///     AccountId::new("ACME")?, Money::parse("10000.00", Currency::EUR)?).with_owner(rep);
/// let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
/// let run = Crediting::new(&org, &plan).with_rates(&rates).run(&[deal])?;
/// assert_eq!(run.lines()[0].amount().to_string(), "10850.00");
/// let fx = run.conversion(run.lines()[0].transaction()).unwrap();
/// assert_eq!(fx.original().to_string(), "10000.00 EUR");
/// assert_eq!(fx.to_string(), "SO-7: 10000.00 EUR at 1.0850 EUR/USD of 2025-03-03 = 10850.00 USD");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Conversion {
    /// The transaction converted.
    pub transaction: TransactionId,
    /// The sale whose rate it took (itself, for a sale).
    pub sale: TransactionId,
    /// Its amount as booked.
    pub original: Money,
    /// Its margin as booked, if any.
    #[cfg_attr(feature = "serde", serde(default))]
    pub original_margin: Option<Money>,
    /// Units of the plan's currency per unit of the original's.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub rate: Decimal,
    /// The day whose rate was used.
    pub rate_date: NaiveDate,
    /// The amount credited, in the plan's currency.
    pub converted: Money,
    /// The margin credited, in the plan's currency.
    #[cfg_attr(feature = "serde", serde(default))]
    pub converted_margin: Option<Money>,
}

impl Conversion {
    /// The amount as booked, in its own currency.
    pub const fn original(&self) -> Money {
        self.original
    }

    /// The rate used.
    pub const fn rate(&self) -> Decimal {
        self.rate
    }

    /// The amount in the plan's currency.
    pub const fn converted(&self) -> Money {
        self.converted
    }
}

impl fmt::Display for Conversion {
    /// `SO-7: 10000.00 EUR at 1.0850 EUR/USD of 2025-03-03 = 10850.00 USD`
    /// (a return names the sale whose rate it took).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} at {} ",
            self.transaction, self.original, self.rate
        )?;
        write!(
            f,
            "{}/{} of {}",
            self.original.currency(),
            self.converted.currency(),
            self.rate_date
        )?;
        if self.sale != self.transaction {
            write!(f, " (rate of sale {})", self.sale)?;
        }
        write!(f, " = {}", self.converted)
    }
}

/// A rate the crediting needs and the table lacks: the sale (or a return
/// without an original), its currency, the plan's, and the rate date.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub struct MissingRate {
    /// The transaction whose rate is missing.
    pub transaction: TransactionId,
    /// Its currency.
    pub from: Currency,
    /// The plan's currency.
    pub to: Currency,
    /// The rate date.
    pub date: NaiveDate,
}

impl fmt::Display for MissingRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: no {}->{} rate effective on {}",
            self.transaction, self.from, self.to, self.date
        )
    }
}

/// Every rate `txs` need under `plan` that `rates` lacks, by transaction
/// (sales whose rate date is not known yet need none yet).
pub(super) fn missing_rates(
    plan: &CreditPlan,
    rates: Option<&RateTable>,
    txs: &[Transaction],
) -> Vec<MissingRate> {
    let to = plan.currency();
    let first_payment = first_payments(txs);
    let mut missing: Vec<MissingRate> = txs
        .iter()
        .filter(|t| t.amount().currency() != to)
        .filter(|t| t.kind().is_sale() || t.original().is_none())
        .filter_map(|t| {
            let on = if t.kind().is_sale() {
                rate_date(plan.rate_date_rule(), t, &first_payment)?
            } else {
                t.booked()
            };
            let from = t.amount().currency();
            let known = rates.is_some_and(|r| r.rate(from, to, on).is_ok());
            (!known).then(|| MissingRate {
                transaction: t.id().clone(),
                from,
                to,
                date: on,
            })
        })
        .collect();
    missing.sort();
    missing
}

/// A feed with every amount in the plan's currency.
#[derive(Debug)]
pub(super) struct Converted<'t> {
    /// The transactions to credit (the feed itself when nothing is foreign).
    pub(super) transactions: Cow<'t, [Transaction]>,
    /// How each foreign transaction was converted, by transaction id.
    pub(super) conversions: Vec<Conversion>,
    /// Sales whose rate date is not known yet, by id.
    pub(super) waiting: Vec<TransactionId>,
}

/// The rate and date that convert one sale (and what refers to it).
#[derive(Debug, Clone, Copy)]
struct SaleRate {
    from: Currency,
    rate: Decimal,
    on: NaiveDate,
}

/// The running totals of one sale's later transactions: (returns,
/// payments), in the original currency.
type Running = (Decimal, Decimal);

/// The rate of every sale of `txs` in another currency (`None` while its
/// rate date is not known).
fn sale_rates<'t>(
    plan: &CreditPlan,
    rates: &RateTable,
    txs: &'t [Transaction],
    foreign: &dyn Fn(&Transaction) -> bool,
) -> Result<FxHashMap<&'t TransactionId, Option<SaleRate>>, CreditError> {
    let to = plan.currency();
    let first_payment = first_payments(txs);
    let mut sales = map_with_capacity(txs.len());
    for tx in txs.iter().filter(|t| t.kind().is_sale() && foreign(t)) {
        let on = rate_date(plan.rate_date_rule(), tx, &first_payment);
        let rate = on.map(|on| sale_rate(rates, tx, to, on)).transpose()?;
        sales.insert(tx.id(), rate);
    }
    Ok(sales)
}

/// Why `tx`, in another currency and referring to `sale`, cannot be
/// converted: the sale is not in the feed (its rate is not known), or it
/// is in the plan's currency (and `tx` must be too).
fn unconvertible(
    tx: &Transaction,
    sale: &TransactionId,
    txs: &[Transaction],
    to: Currency,
) -> CreditError {
    if !txs.iter().any(|t| t.id() == sale) {
        return CreditError::UnknownOriginal {
            transaction: tx.id().clone(),
            original: sale.clone(),
        };
    }
    let found = std::iter::once(tx.amount())
        .chain(tx.margin())
        .map(|m| m.currency())
        .find(|c| *c != to)
        .unwrap_or(to);
    CreditError::Currency {
        transaction: tx.id().clone(),
        expected: to,
        found,
    }
}

/// Converts every transaction not in `plan`'s currency with `rates` (no
/// rates: the feed as given, refused later if anything is foreign).
pub(super) fn convert<'t>(
    plan: &CreditPlan,
    rates: Option<&RateTable>,
    txs: &'t [Transaction],
) -> Result<Converted<'t>, CreditError> {
    let to = plan.currency();
    let foreign = |t: &Transaction| {
        t.amount().currency() != to || t.margin().is_some_and(|m| m.currency() != to)
    };
    let unchanged = Converted {
        transactions: Cow::Borrowed(txs),
        conversions: Vec::new(),
        waiting: Vec::new(),
    };
    let Some(rates) = rates else {
        return Ok(unchanged);
    };
    if !txs.iter().any(foreign) {
        return Ok(unchanged);
    }
    let sales = sale_rates(plan, rates, txs, &foreign)?;
    let mut out = Vec::with_capacity(txs.len());
    let mut conversions = Vec::new();
    let mut waiting = Vec::new();
    let mut running: FxHashMap<&TransactionId, Running> = FxHashMap::default();
    for tx in txs {
        let sale_id = tx.original().filter(|_| !tx.kind().is_sale());
        let rate = match sale_id {
            Some(sale) => match sales.get(sale) {
                Some(Some(rate)) => Some(*rate),
                Some(None) => continue,
                None => None,
            },
            None => match sales.get(tx.id()) {
                Some(Some(rate)) => Some(*rate),
                Some(None) => {
                    waiting.push(tx.id().clone());
                    continue;
                }
                None => None,
            },
        };
        let rate = match (rate, sale_id) {
            (Some(rate), _) => rate,
            (None, _) if !foreign(tx) => {
                out.push(tx.clone());
                continue;
            }
            // A return without an original: its own date's rate.
            (None, None) => sale_rate(rates, tx, to, tx.booked())?,
            (None, Some(sale)) => return Err(unconvertible(tx, sale, txs, to)),
        };
        let sale = sale_id.unwrap_or(tx.id());
        let before = running.entry(sale).or_default();
        let conversion = convert_one(plan, tx, sale, rate, before)?;
        out.push(tx.converted(conversion.converted, conversion.converted_margin));
        conversions.push(conversion);
    }
    conversions.sort_by(|a, b| a.transaction.cmp(&b.transaction));
    waiting.sort_unstable();
    waiting.dedup();
    Ok(Converted {
        transactions: Cow::Owned(out),
        conversions,
        waiting,
    })
}

/// Each sale's first payment date in the feed.
fn first_payments(txs: &[Transaction]) -> FxHashMap<&TransactionId, NaiveDate> {
    let mut first: FxHashMap<&TransactionId, NaiveDate> = FxHashMap::default();
    for tx in txs.iter().filter(|t| t.kind() == TransactionKind::Payment) {
        if let Some(sale) = tx.original() {
            let day = first.entry(sale).or_insert(tx.booked());
            *day = (*day).min(tx.booked());
        }
    }
    first
}

/// The day whose rate converts `sale`, if it is known yet.
fn rate_date(
    rule: RateDate,
    sale: &Transaction,
    first_payment: &FxHashMap<&TransactionId, NaiveDate>,
) -> Option<NaiveDate> {
    match rule {
        RateDate::Booking => Some(sale.booked()),
        RateDate::Invoice => sale.invoiced(),
        RateDate::Payment => {
            let paid = sale.paid();
            let first = first_payment.get(sale.id()).copied();
            match (paid, first) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            }
        }
        RateDate::Fixed(on) => Some(on),
    }
}

fn sale_rate(
    rates: &RateTable,
    tx: &Transaction,
    to: Currency,
    on: NaiveDate,
) -> Result<SaleRate, CreditError> {
    let from = tx.amount().currency();
    let rate = rates
        .rate(from, to, on)
        .map_err(|source| fx_error(tx, source))?;
    Ok(SaleRate { from, rate, on })
}

fn fx_error(tx: &Transaction, source: MoneyError) -> CreditError {
    match source {
        MoneyError::NoFxRate { from, to, date } => CreditError::NoFxRate {
            transaction: tx.id().clone(),
            from,
            to,
            date,
        },
        source => CreditError::Amount {
            transaction: tx.id().clone(),
            source,
        },
    }
}

/// Converts `tx` at `rate`, on the running totals of its sale's later
/// transactions (`before`, updated).
fn convert_one(
    plan: &CreditPlan,
    tx: &Transaction,
    sale: &TransactionId,
    rate: SaleRate,
    before: &mut Running,
) -> Result<Conversion, CreditError> {
    let to = plan.currency();
    for m in std::iter::once(tx.amount()).chain(tx.margin()) {
        if m.currency() != rate.from {
            return Err(CreditError::Currency {
                transaction: tx.id().clone(),
                expected: rate.from,
                found: m.currency(),
            });
        }
    }
    let err = |source| fx_error(tx, source);
    let amount = tx.amount().amount();
    let converted = if tx.kind().is_sale() || tx.original().is_none() {
        round(plan, amount, rate.rate, to).map_err(err)?
    } else {
        let total = if tx.kind() == TransactionKind::Payment {
            &mut before.1
        } else {
            &mut before.0
        };
        let after = money::add(*total, amount).map_err(err)?;
        let now = round(plan, after, rate.rate, to).map_err(err)?;
        let then = round(plan, *total, rate.rate, to).map_err(err)?;
        *total = after;
        money::sub(now, then).map_err(err)?
    };
    let converted_margin = tx
        .margin()
        .map(|m| round(plan, m.amount(), rate.rate, to).map(|d| Money::new(d, to)))
        .transpose()
        .map_err(err)?;
    Ok(Conversion {
        transaction: tx.id().clone(),
        sale: sale.clone(),
        original: tx.amount(),
        original_margin: tx.margin(),
        rate: rate.rate,
        rate_date: rate.on,
        converted: Money::new(converted, to),
        converted_margin,
    })
}

/// `value × rate`, rounded once on its magnitude to `to`'s minor units
/// with the plan's policy (so a negative figure rounds as its positive
/// counterpart does).
fn round(
    plan: &CreditPlan,
    value: Decimal,
    rate: Decimal,
    to: Currency,
) -> Result<Decimal, MoneyError> {
    let exact = money::mul(value.abs(), rate)?;
    let rounded = Money::new(exact, to).round(plan.rounding_policy()).amount();
    Ok(if value.is_sign_negative() {
        money::neg(rounded)
    } else {
        rounded
    })
}
