//! From a plan, credits, quotas and locked statements to statements.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::calc::{Parts, Window, evaluate, round};
use super::index::{Key, LineIndex};
use super::payouts::Payouts;
use super::plan::{Accumulation, CompPlan, Component, Draw, GatePeriod, Qualifier};
use super::quota_columns::QuotaColumns;
use super::statement::{
    Calculation, Clawback, ComponentName, Correction, DrawLine, Explanation, Statement,
    StatementLine,
};
use crate::calendar::Period;
use crate::comp::{CompError, Overdrawn, PriorPay};
use crate::credit::{
    Conversion, CreditBasis, CreditLine, CreditLineColumns, CreditRun, Transaction,
};
use crate::execution::Execution;
use crate::ids::{PersonId, TransactionId};
use crate::kernel::hash::FxHashMap;
use crate::kernel::loads::Loads;
use crate::kernel::shards::{Entry, Sharded};
use crate::list::{List, Shelf};
use crate::money::{Currency, Money, MoneyError, add, div, mul, sub};

/// A person's quotas, per measure and period, for the plan year.
///
/// A component's quota for a window is the sum of the entries for its
/// measure inside the window, which must cover it exactly: give months or
/// quarters (or the year), and the plan adds them up as it needs.
///
/// In JSON, a list of entries, each a measure, a period and an amount (a
/// plain decimal), with the currency for money measures:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::comp::Quotas;
/// use salesplan::{Currency, Money, Period};
///
/// let quotas: Quotas = serde_json::from_str(r#"{"entries": [
///     {"basis": "revenue", "period": {"start": "2025-01-01", "end": "2025-04-01"},
///      "amount": "30000.00", "currency": "USD"},
///     {"basis": "deal_count", "period": {"start": "2025-01-01", "end": "2025-04-01"},
///      "amount": "6"}
/// ]}"#)?;
/// let q1 = Period::new(
///     chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
///     chrono::NaiveDate::from_ymd_opt(2025, 4, 1).unwrap(),
/// )?;
/// assert_eq!(
///     quotas,
///     Quotas::new()
///         .revenue(q1, Money::parse("30000.00", Currency::USD)?)
///         .quantity(salesplan::credit::CreditBasis::DealCount, q1, "6".parse()?)
/// );
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Quotas {
    #[cfg_attr(feature = "serde", serde(default))]
    entries: Vec<QuotaEntry>,
}

/// One quota entry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
struct QuotaEntry {
    basis: CreditBasis,
    period: Period,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    amount: Decimal,
    #[cfg_attr(feature = "serde", serde(default))]
    currency: Option<Currency>,
}

impl Quotas {
    /// No quotas.
    pub fn new() -> Quotas {
        Quotas::default()
    }

    /// A revenue quota for `period` (for example a
    /// [`PersonQuota::total`](crate::quota::PersonQuota)).
    ///
    /// # Examples
    ///
    /// An accelerator needs a quota: ×2 above 100% of a quarter's 8,000.
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, Multiplier, PayRate, Quotas, RateTable};
    /// use salesplan::{CompError, Period, PlanId};
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// # use salesplan::{AccountId, Currency, Money, PersonId, PositionId, TransactionId};
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let rep = PositionId::new("rep")?;
    /// # let ann = PersonId::new("ann")?;
    /// # let org = Org::builder()
    /// #     .position(Position::new(rep.clone(), Role::SalesRep))
    /// #     .line(ReportingLine::top(rep.clone(), DateRange::starting(d(1, 1))))
    /// #     .assignment(Assignment::new(ann.clone(), rep.clone(), DateRange::starting(d(1, 1))))
    /// #     .build()?;
    /// # let sale = |id: &str, m, amount: &str| Transaction::new(TransactionId::new(id).unwrap(),
    /// #     TransactionKind::Order, d(m, 10), AccountId::new("acme").unwrap(),
    /// #     Money::parse(amount, Currency::USD).unwrap()).with_owner(rep.clone());
    /// // `run` credits Ann (at position `rep`) 4,000 sold in January and 6,000 in February.
    /// # let feed = [sale("T1", 1, "4000.00"), sale("T2", 2, "6000.00")];
    /// # let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD)).run(&feed)?;
    ///
    /// let ten_percent = RateTable::Flat(PayRate::Percent("10%".parse()?));
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter, ten_percent)
    ///         .multiplier(Multiplier::above("100%".parse()?, "200%".parse()?)))
    ///     .build()?;
    /// let comp = Commissions::new(&plan, &[&run])?;
    /// let q1 = Period::new(d(1, 1), d(4, 1))?;
    /// let quotas = Quotas::new().revenue(q1, Money::parse("8000.00", Currency::USD)?);
    /// let statements = comp.statements(&ann, &quotas, &[], d(3, 31))?;
    /// assert_eq!(statements[0].total.to_string(), "1200.00 USD"); // 800 + 2 x 200
    /// let err = comp.statements(&ann, &Quotas::new(), &[], d(3, 31)).unwrap_err();
    /// assert!(matches!(err, CompError::MissingQuota { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn revenue(self, period: Period, amount: Money) -> Quotas {
        self.money(CreditBasis::Revenue, period, amount)
    }

    /// A money quota (revenue or margin) for `period`.
    #[must_use]
    pub fn money(mut self, basis: CreditBasis, period: Period, amount: Money) -> Quotas {
        self.entries.push(QuotaEntry {
            basis,
            period,
            amount: amount.amount(),
            currency: Some(amount.currency()),
        });
        self
    }

    /// A quantity quota (units, deals, a measure of your own) for `period`.
    #[must_use]
    pub fn quantity(mut self, basis: CreditBasis, period: Period, amount: Decimal) -> Quotas {
        self.entries.push(QuotaEntry {
            basis,
            period,
            amount,
            currency: None,
        });
        self
    }

    /// These quotas for the days of `days` (see
    /// [`PlanSplit::ByDays`](super::PlanSplit::ByDays)): entries that
    /// `days` holds part of prorated by days, the others whole.
    pub(crate) fn prorated(&self, days: Period) -> Result<Quotas, MoneyError> {
        let mut out = self.clone();
        for e in &mut out.entries {
            e.amount = super::assigned::quota_share(e.amount, e.period, days)?;
        }
        Ok(out)
    }

    /// The quota for `basis` over `window`: `None` when no entry for the
    /// measure lies in it.
    fn over(
        &self,
        person: &PersonId,
        basis: &CreditBasis,
        window: Period,
        currency: Currency,
    ) -> Result<Option<Decimal>, CompError> {
        let entries = self
            .entries
            .iter()
            .map(|e| (&e.basis, e.period, e.amount, e.currency));
        quota_over(person, (basis, window, currency), entries)
    }
}

/// A person's quotas: their own, and their entries of the engine's quota
/// columns (see [`Commissions::quota_columns`]).
#[derive(Clone, Copy)]
struct PersonQuotas<'p> {
    own: &'p Quotas,
    columns: Option<(&'p QuotaColumns, usize)>,
}

impl<'p> PersonQuotas<'p> {
    /// Only `own`.
    fn own(own: &'p Quotas) -> PersonQuotas<'p> {
        PersonQuotas { own, columns: None }
    }

    /// As [`Quotas::over`], on both.
    fn over(
        &self,
        person: &PersonId,
        basis: &CreditBasis,
        window: Period,
        currency: Currency,
    ) -> Result<Option<Decimal>, CompError> {
        let Some((cols, key)) = self.columns else {
            return self.own.over(person, basis, window, currency);
        };
        let own = self
            .own
            .entries
            .iter()
            .map(|e| (&e.basis, e.period, e.amount, e.currency));
        let more = cols
            .entries_of(key)
            .map(|(b, p, a)| (b, p, a, Some(cols.currency())));
        quota_over(person, (basis, window, currency), own.chain(more))
    }
}

/// The quota for `basis` over `window` from `entries` (measure, period,
/// amount, currency): `None` when no entry for the measure lies in it.
fn quota_over<'q>(
    person: &PersonId,
    (basis, window, currency): (&CreditBasis, Period, Currency),
    entries: impl Iterator<Item = (&'q CreditBasis, Period, Decimal, Option<Currency>)>,
) -> Result<Option<Decimal>, CompError> {
    let mut total = Decimal::ZERO;
    let mut days: u32 = 0;
    let mut any = false;
    for (_, period, amount, e_currency) in entries.filter(|e| e.0 == basis) {
        let bad = || CompError::BadQuota {
            person: person.clone(),
            period,
            amount: Money::new(amount, e_currency.unwrap_or(currency)),
        };
        if amount.is_sign_negative() && !amount.is_zero()
            || e_currency.is_some_and(|c| c != currency)
        {
            return Err(bad());
        }
        if window.encloses(&period) {
            total = add(total, amount)?;
            // Days past `u32` can only come from entries that overlap
            // in the window: they do not cover it exactly.
            days = days
                .checked_add(period.days())
                .ok_or_else(|| CompError::MissingQuota {
                    person: person.clone(),
                    period: window,
                })?;
            any = true;
        } else if window.overlaps(&period) && !period.encloses(&window) {
            return Err(CompError::MissingQuota {
                person: person.clone(),
                period: window,
            });
        }
    }
    if !any {
        return Ok(None);
    }
    if days != window.days() {
        return Err(CompError::MissingQuota {
            person: person.clone(),
            period: window,
        });
    }
    Ok(Some(total))
}

/// Facts about deals, for kickers and qualifying components: the sales
/// (orders and invoices) among the transactions given, and the returns
/// and credit notes that refer to no sale (each a negative credit of its
/// own, qualified by its own product, group, account and measures). A
/// component that qualifies deals must find every deal it is credited
/// for among them: one missing is [`CompError::UnknownDeal`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Deals<'t> {
    transactions: &'t [Transaction],
}

impl<'t> Deals<'t> {
    /// The sales among `transactions`, and the returns and credit notes
    /// that refer to no sale.
    pub const fn new(transactions: &'t [Transaction]) -> Deals<'t> {
        Deals { transactions }
    }
}

/// For a component that qualifies deals: every deal given, with the
/// factor it counts at (the product of its kickers' factors), or `None`
/// when it does not count (the component's own qualifiers refuse it). A
/// credited deal not in it is unknown: an error, never a guess.
type Qualified = Sharded<TransactionId, Option<Decimal>>;

fn qualified(
    component: &Component,
    deals: &Deals<'_>,
    execution: Execution,
) -> Result<Qualified, CompError> {
    // The deals that qualify first, in parts in deal order (so the first
    // overflow reported is the first deal's), then the table, filled side
    // by side with `Execution::Parallel`.
    let parts: Vec<Result<Vec<Found<'_>>, CompError>> = match execution {
        #[cfg(feature = "parallel")]
        Execution::Parallel => {
            use rayon::prelude::*;
            deals
                .transactions
                .par_chunks(DEAL_CHUNK)
                .map(|part| qualifying(component, part))
                .collect()
        }
        _ => vec![qualifying(component, deals.transactions)],
    };
    let parts = parts.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok(Sharded::new(&parts, execution == Execution::Parallel))
}

/// A deal, with the factor it counts at (`None`: it does not count).
type Found<'t> = Entry<'t, TransactionId, Option<Decimal>>;

/// Every deal among `deals` (the sales, and the returns and credit notes
/// that refer to no sale), with the factor `component` counts it at.
fn qualifying<'t>(
    component: &Component,
    deals: &'t [Transaction],
) -> Result<Vec<Found<'t>>, CompError> {
    let mut found = Vec::new();
    let own_credit =
        |t: &&Transaction| t.kind().is_sale() || t.kind().is_reversal() && t.original().is_none();
    for t in deals.iter().filter(own_credit) {
        let factor = if component.qualifiers().iter().all(|q| qualifies(q, t)) {
            let mut k = Decimal::ONE;
            for kicker in component.kickers() {
                if kicker.qualifies().iter().all(|q| qualifies(q, t)) {
                    k = mul(k, kicker.factor().fraction())?;
                }
            }
            Some(k)
        } else {
            None
        };
        found.push(Found::new(t.id(), factor));
    }
    Ok(found)
}

/// Deals per work item when finding the qualifying ones.
#[cfg(feature = "parallel")]
const DEAL_CHUNK: usize = 4096;

fn qualifies(q: &Qualifier, t: &Transaction) -> bool {
    match q {
        Qualifier::Product(p) => t.product() == Some(p),
        Qualifier::ProductGroup(g) => t.product_group() == Some(g),
        Qualifier::Account(a) => t.account() == a,
        Qualifier::MeasureAtLeast { name, value } => t.measure(name).is_some_and(|v| v >= *value),
    }
}

/// A component's layout over the year.
#[derive(Debug, Clone)]
struct Layout {
    /// Its periods.
    periods: Vec<Period>,
    /// For each, the pay period it is paid in.
    pay: Vec<usize>,
    /// Which credit run it reads.
    run: usize,
    /// The kicker factor of every deal, when no kicker qualifies deals.
    kick: Decimal,
    /// The component's name, as its lines carry it.
    name: ComponentName,
}

/// Computes statements under one plan from credit runs.
///
/// ```
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
/// use salesplan::calendar::FiscalCalendar;
/// use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, PayRate, Quotas, RateTable, Tier, TierBasis, TierMethod};
/// use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
/// use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
/// use salesplan::calendar::DateRange;
/// use salesplan::{AccountId, Currency, Money, PersonId, PlanId, PositionId, Rate, TransactionId};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let rep = PositionId::new("rep")?;
/// let ann = PersonId::new("ann")?;
/// let org = Org::builder()
///     .position(Position::new(rep.clone(), Role::SalesRep))
///     .line(ReportingLine::top(rep.clone(), DateRange::starting(d(1, 1))))
///     .assignment(Assignment::new(ann.clone(), rep.clone(), DateRange::starting(d(1, 1))))
///     .build()?;
/// let usd = |s: &str| Money::parse(s, Currency::USD).unwrap();
/// let sale = Transaction::new(TransactionId::new("T1")?, TransactionKind::Order, d(2, 10),
///     AccountId::new("acme")?, usd("6000.00")).with_owner(rep);
/// let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD)).run(&[sale])?;
///
/// // 10% up to 5,000 and 12% above, per quarter.
/// let pct = |p: &str| PayRate::Percent(p.parse::<Rate>().unwrap());
/// let tiers = RateTable::Tiered {
///     basis: TierBasis::Measure,
///     method: TierMethod::Marginal,
///     tiers: vec![
///         Tier::new(Decimal::ZERO, Some(Decimal::from(5000)), pct("10%")),
///         Tier::new(Decimal::from(5000), None, pct("12%")),
///     ],
/// };
/// let plan = CompPlan::builder(PlanId::new("AE-2025")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter, tiers))
///     .build()?;
/// let comp = Commissions::new(&plan, &[&run])?;
/// let statements = comp.statements(&ann, &Quotas::new(), &[], d(3, 31))?;
/// assert_eq!(statements[0].total.to_string(), "620.00 USD"); // 500 + 120
/// println!("{}", statements[0]);
///
/// // A whole sales force at once, made ready and worked out on rayon's
/// // threads (with the `parallel` feature; on this thread without it).
/// use salesplan::comp::PersonInput;
/// use salesplan::Execution;
/// let comp = Commissions::new(&plan, &[&run])?.execution(Execution::Parallel);
/// let quotas = Quotas::new();
/// let people = [PersonInput { person: &ann, quotas: &quotas, locked: &[] }];
/// let all = comp.statements_for(&people, d(3, 31))?;
/// assert_eq!(all[0], statements);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Execution
///
/// How the work is spread is set once, on the engine, with
/// [`execution`](Self::execution) ([`Execution::Sequential`] unless
/// set), and everything the engine does after that follows it: grouping
/// each run's lines by person (done on first use, so
/// `Commissions::new(..)?.execution(Execution::Parallel)` groups them in
/// parallel), the deals' table of [`with_deals`](Self::with_deals) (built
/// when it is called: set the execution first), and
/// [`statements_for`](Self::statements_for). Parallel work needs the
/// `parallel` feature. The results are identical either way.
#[derive(Debug)]
pub struct Commissions<'a> {
    plan: &'a CompPlan,
    /// How the indexes, the deals' table and many people's statements
    /// are worked out.
    execution: Execution,
    /// The runs the components read, by [`Layout::run`].
    runs: Vec<&'a CreditRun>,
    /// Each of `runs` with its lines grouped by person: built on first
    /// use, with the execution then set.
    indexes: OnceLock<Vec<LineIndex<'a>>>,
    layouts: Vec<Layout>,
    /// Per component that qualifies deals, once deals are given.
    qualified: Vec<Option<Arc<Qualified>>>,
    /// The credited lines the components read when the engine was made
    /// [`from_columns`](Self::from_columns) (by [`Layout::run`]; `runs`
    /// then holds the lines of the people who reverse deals, see
    /// [`columns`]).
    columns: Vec<&'a CreditLineColumns>,
    /// Quotas as columns, read by the columns' calls (see
    /// [`quota_columns`](Self::quota_columns)).
    quota_columns: Option<&'a QuotaColumns>,
}

/// The most periods a component has in a year (months).
const MAX_PERIODS: usize = 12;

/// People per work item of a batch.
const BATCH: usize = 256;

/// People whose data is brought into the cache together.
const WARM: usize = 32;

/// One person's inputs to [`Commissions::statements_for`].
#[derive(Debug, Clone, Copy)]
pub struct PersonInput<'p> {
    /// The person.
    pub person: &'p PersonId,
    /// Their quotas.
    pub quotas: &'p Quotas,
    /// Their locked statements: the first pay periods of the year, and
    /// those of earlier plan years that deals reversed this year were paid
    /// in (see [`Commissions::statements`]).
    pub locked: &'p [Statement],
}

/// Who and up to when.
#[derive(Clone, Copy)]
struct PersonCtx<'p> {
    key: &'p Key<'p>,
    quotas: PersonQuotas<'p>,
    last: usize,
    /// The pay periods before this one are locked: their lines are
    /// worked out for the adjustments, and never kept.
    open: usize,
    /// The person's locked statements of earlier plan years: what a deal
    /// of theirs reversed this year was paid.
    earlier: &'p [&'p Statement],
    /// Whether the open periods' explanations are kept (statements), or
    /// only their amounts (payouts): the rules are the same either way.
    explain: bool,
}

/// Vectors a person's statements are worked out in, reused from one
/// person to the next (a batch keeps one), and the shelves the lists of
/// the batch's statements are kept on until [`settle`] gives each kind of
/// list one allocation.
#[derive(Default)]
struct Scratch<'a> {
    /// Per pay period, the lines made so far.
    lines: Vec<Vec<StatementLine>>,
    /// A component's credited transactions, with their component period:
    /// a run's own, or made from a column's integers.
    txs: Vec<(usize, Cow<'a, TransactionId>)>,
    /// A year-to-date window's transactions.
    ytd: Vec<Cow<'a, TransactionId>>,
    /// An evaluation's working vectors, with the slices and limits kept.
    parts: Parts,
    /// The transactions of the lines made so far.
    kept_txs: Shelf<TransactionId>,
    /// The lines of the statements made so far.
    kept_lines: Shelf<StatementLine>,
}

/// Pay period `p`'s lines made in `scratch`: their sum (from a zero of
/// the plan's rounding), each component's pay and the total into `row`
/// when given, and the lines kept for its statement (none when
/// `amounts_only`: the lines go back to the scratch).
fn period_lines(
    plan: &CompPlan,
    scratch: &mut Scratch<'_>,
    p: usize,
    row: Option<&mut [Decimal]>,
    amounts_only: bool,
) -> Result<(Decimal, List<StatementLine>), CompError> {
    let mut earned = round(Decimal::ZERO, plan.currency(), plan.rounding());
    let Some(bucket) = scratch.lines.get_mut(p) else {
        return Ok((earned, List::new()));
    };
    for l in bucket.iter() {
        earned = add(earned, l.amount.amount())?;
    }
    if let Some(row) = row {
        open_sums(plan, bucket, row)?;
    }
    if amounts_only {
        bucket.clear();
        return Ok((earned, List::new()));
    }
    Ok((earned, scratch.kept_lines.keep(bucket)))
}

/// What clawbacks need to work a period out again: each period's window
/// once evaluated, and the credit taken back from it so far.
#[derive(Default)]
struct Rework {
    windows: [Option<Window>; MAX_PERIODS],
    taken_back: [Decimal; MAX_PERIODS],
}

/// A component's running totals over the year, period by period.
#[derive(Default)]
struct SoFar {
    /// Year to date: what was earned (rounded) to the previous period's
    /// end.
    earned_before: Decimal,
    /// What this year's periods paid so far, less what clawbacks took
    /// back from them.
    paid_this_year: Decimal,
    /// The measure to date.
    ytd: Decimal,
    /// The kickers' uplift to date.
    ytd_uplift: Decimal,
}

/// A component period being paid: its index, the period, the pay period
/// it is paid in, and its transactions' range of `Scratch::txs`.
struct PeriodAt {
    k: usize,
    period: Period,
    pay: usize,
    txs: std::ops::Range<usize>,
}

/// What a component period is measured over ([`Commissions::measured`]).
struct Measured {
    window: Period,
    m: Decimal,
    u: Decimal,
    transactions: List<TransactionId>,
    conversions: List<Conversion>,
}

/// A pending clawback.
struct Reversal<'a> {
    line: &'a CreditLine,
    /// The credit it takes back from each earlier period the deal was
    /// counted in (negative).
    parts: Vec<(CountedIn<'a>, Decimal)>,
    /// The component period the reversal falls in.
    period: usize,
    /// The pay period it is paid in.
    pay: usize,
}

/// `credit` (a reversal's) split over the periods a deal was counted in,
/// in proportion to its credit in each (`by_period`, summing to
/// `credited`): each share is `credit × part / credited`, and the last
/// takes what is left, so the shares sum to `credit` exactly.
fn split<'a>(
    credit: Decimal,
    credited: Decimal,
    by_period: &[(CountedIn<'a>, Decimal)],
) -> Result<Vec<(CountedIn<'a>, Decimal)>, MoneyError> {
    if let [(at, _)] = by_period {
        return Ok(vec![(*at, credit)]);
    }
    let mut shares = Vec::with_capacity(by_period.len());
    let mut left = credit;
    for (i, (at, part)) in by_period.iter().enumerate() {
        let share = if i.checked_add(1) == Some(by_period.len()) || credited.is_zero() {
            left
        } else {
            div(mul(credit, *part)?, credited)?
        };
        left = sub(left, share)?;
        shares.push((*at, share));
    }
    Ok(shares)
}

/// For a gate on the year: the year's measure to date, its quota and the
/// year.
type YearGate = (Decimal, Decimal, Period);

/// Where a deal's credit was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CountedIn<'a> {
    /// A component period of the plan year, by index.
    Period(usize),
    /// An earlier plan year: the credit line's date and transaction.
    Earlier(NaiveDate, &'a TransactionId),
}

/// What a sale credited a person in one component.
#[derive(Default)]
struct SaleCredit<'a> {
    /// The date of its first credit.
    first: Option<NaiveDate>,
    credited: Decimal,
    reversed: Decimal,
    by_period: Vec<(CountedIn<'a>, Decimal)>,
}

/// A component's credits for one person over the plan year, before any
/// evaluation: per component period (at most twelve, so no allocation),
/// and the reversals of deals, to be netted or clawed back.
struct Credits<'a> {
    measure: [Decimal; MAX_PERIODS],
    uplift: [Decimal; MAX_PERIODS],
    /// The credits of sales and payments alone (see [`Calculation::sold`]).
    sold: [Decimal; MAX_PERIODS],
    reversals: Vec<(&'a CreditLine, Decimal)>,
    /// What each reversed deal credited (only filled when there are
    /// reversals).
    sales: FxHashMap<&'a TransactionId, SaleCredit<'a>>,
    /// The reversals taken back at their deal's rate.
    clawbacks: Vec<Reversal<'a>>,
}

impl Credits<'_> {
    /// Component period `k`'s measure, kicker uplift and sold credits
    /// (`k < MAX_PERIODS`, the arrays' length: never the default).
    fn at(&self, k: usize) -> (Decimal, Decimal, Decimal) {
        debug_assert!(k < MAX_PERIODS);
        let get = |a: &[Decimal; MAX_PERIODS]| a.get(k).copied().unwrap_or_default();
        (get(&self.measure), get(&self.uplift), get(&self.sold))
    }
}

impl<'a> Commissions<'a> {
    /// Statements under `plan` from `runs`, one per measure the plan's
    /// components use (runs for other measures are ignored).
    ///
    /// # Errors
    ///
    /// [`CompError::MissingMeasure`] when a component's measure has no
    /// run; [`CompError::DuplicateMeasure`] for two runs of one measure;
    /// [`CompError::CreditCurrency`] for a money run in another currency;
    /// [`CompError::TooManyLines`] for a run of 2^32 lines or more;
    /// [`CompError::OutsideYear`] naming the last day of a component
    /// period that no pay period holds (never with a plan's own pay
    /// calendar, which covers its year like its components' periods).
    ///
    /// # Examples
    ///
    /// Every measure the plan's components use needs its run:
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, PayRate, RateTable};
    /// use salesplan::CompError;
    /// use salesplan::PlanId;
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// # use salesplan::{AccountId, Currency, Money, PersonId, PositionId, TransactionId};
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let rep = PositionId::new("rep")?;
    /// # let ann = PersonId::new("ann")?;
    /// # let org = Org::builder()
    /// #     .position(Position::new(rep.clone(), Role::SalesRep))
    /// #     .line(ReportingLine::top(rep.clone(), DateRange::starting(d(1, 1))))
    /// #     .assignment(Assignment::new(ann.clone(), rep.clone(), DateRange::starting(d(1, 1))))
    /// #     .build()?;
    /// # let sale = |id: &str, m, amount: &str| Transaction::new(TransactionId::new(id).unwrap(),
    /// #     TransactionKind::Order, d(m, 10), AccountId::new("acme").unwrap(),
    /// #     Money::parse(amount, Currency::USD).unwrap()).with_owner(rep.clone());
    /// // `run` credits Ann (at position `rep`) 4,000 sold in January and 6,000 in February.
    /// # let feed = [sale("T1", 1, "4000.00"), sale("T2", 2, "6000.00")];
    /// # let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD)).run(&feed)?;
    ///
    /// let per_deal = RateTable::Flat(PayRate::PerUnit(Money::parse("100.00", Currency::USD)?));
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(Component::new("Deals", CreditBasis::DealCount, CompPeriod::Month, per_deal))
    ///     .build()?;
    /// let err = Commissions::new(&plan, &[&run]).unwrap_err();
    /// assert!(matches!(err, CompError::MissingMeasure { .. }));
    /// let deals = Crediting::new(&org, &CreditPlan::new(CreditBasis::DealCount, Currency::USD)).run(&feed)?;
    /// assert!(Commissions::new(&plan, &[&run, &deals]).is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(plan: &'a CompPlan, runs: &[&'a CreditRun]) -> Result<Commissions<'a>, CompError> {
        for (i, r) in runs.iter().enumerate() {
            if runs.iter().take(i).any(|o| o.basis() == r.basis()) {
                return Err(CompError::DuplicateMeasure {
                    measure: r.basis().clone(),
                });
            }
        }
        // The runs the components read, each once, in the order first read.
        let mut used: Vec<&'a CreditRun> = Vec::new();
        let mut layouts = Vec::with_capacity(plan.components().len());
        for c in plan.components() {
            let run = source_for(plan, c, runs, |r| (r.basis(), r.currency()))?;
            let slot = match used.iter().position(|u| std::ptr::eq(*u, run)) {
                Some(s) => s,
                None => {
                    let s = used.len();
                    used.push(run);
                    s
                }
            };
            layouts.push(Layout::new(plan, c, slot)?);
        }
        if let Some(r) = used
            .iter()
            .find(|r| u32::try_from(r.lines().len()).is_err())
        {
            return Err(CompError::TooManyLines {
                measure: r.basis().clone(),
                count: r.lines().len(),
            });
        }
        Ok(Commissions {
            plan,
            execution: Execution::Sequential,
            runs: used,
            indexes: OnceLock::new(),
            layouts,
            qualified: Vec::new(),
            columns: Vec::new(),
            quota_columns: None,
        })
    }

    /// The same engine, working with `execution` from now on (see
    /// [Execution](Self#execution)): the line indexes, unless already
    /// built, the deals' table of a later [`with_deals`](Self::with_deals),
    /// and [`statements_for`](Self::statements_for). The results are the
    /// same either way.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, PayRate, Quotas, RateTable};
    /// use salesplan::{Execution, PlanId};
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// # use salesplan::{AccountId, Currency, Money, PersonId, PositionId, TransactionId};
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let rep = PositionId::new("rep")?;
    /// # let ann = PersonId::new("ann")?;
    /// # let org = Org::builder()
    /// #     .position(Position::new(rep.clone(), Role::SalesRep))
    /// #     .line(ReportingLine::top(rep.clone(), DateRange::starting(d(1, 1))))
    /// #     .assignment(Assignment::new(ann.clone(), rep.clone(), DateRange::starting(d(1, 1))))
    /// #     .build()?;
    /// # let sale = |id: &str, m, amount: &str| Transaction::new(TransactionId::new(id).unwrap(),
    /// #     TransactionKind::Order, d(m, 10), AccountId::new("acme").unwrap(),
    /// #     Money::parse(amount, Currency::USD).unwrap()).with_owner(rep.clone());
    /// // `run` credits Ann (at position `rep`) 4,000 sold in January and 6,000 in February.
    /// # let feed = [sale("T1", 1, "4000.00"), sale("T2", 2, "6000.00")];
    /// # let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD)).run(&feed)?;
    ///
    /// let ten_percent = RateTable::Flat(PayRate::Percent("10%".parse()?));
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month, ten_percent))
    ///     .build()?;
    /// let sequential = Commissions::new(&plan, &[&run])?;
    /// let parallel = Commissions::new(&plan, &[&run])?.execution(Execution::Parallel);
    /// let quotas = Quotas::new();
    /// assert_eq!(
    ///     parallel.statements(&ann, &quotas, &[], d(2, 28))?,
    ///     sequential.statements(&ann, &quotas, &[], d(2, 28))?,
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn execution(mut self, execution: Execution) -> Commissions<'a> {
        self.execution = execution;
        self
    }

    /// Each run the components read, its lines grouped by person (built
    /// on first use, in parallel with [`Execution::Parallel`]).
    ///
    /// The indexes are built outside the cell's lock and then stored: a
    /// build on rayon's threads may run another of the caller's rayon
    /// tasks meanwhile, and a task that asks for the indexes inside the
    /// cell's initialiser would deadlock. Two threads that race build the
    /// same indexes; the first stored is kept.
    fn indexes(&self) -> &[LineIndex<'a>] {
        if let Some(built) = self.indexes.get() {
            return built;
        }
        let execution = self.execution;
        let built: Vec<LineIndex<'a>> = match execution {
            #[cfg(feature = "parallel")]
            Execution::Parallel => {
                use rayon::prelude::*;
                self.runs
                    .par_iter()
                    .map(|r| LineIndex::new(r, execution))
                    .collect()
            }
            _ => self
                .runs
                .iter()
                .map(|r| LineIndex::new(r, execution))
                .collect(),
        };
        self.indexes.get_or_init(|| built)
    }

    /// Facts about the deals, needed when a component or kicker qualifies
    /// deals by product, group, account or measure. Give every deal the
    /// credit runs hold, including last year's deals whose returns fall in
    /// this year: a credited deal that is not among them is
    /// [`CompError::UnknownDeal`] when its statement is worked out, never
    /// taken as one that does not qualify.
    ///
    /// # Errors
    ///
    /// [`CompError::Money`] when kicker factors overflow.
    ///
    /// # Examples
    ///
    /// A component that counts cloud deals only: it must know every deal it
    /// is credited for.
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, Deals, PayRate, Qualifier};
    /// use salesplan::comp::{Quotas, RateTable};
    /// use salesplan::{CompError, PlanId, ProductId};
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// # use salesplan::{AccountId, Currency, Money, PersonId, PositionId, TransactionId};
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let rep = PositionId::new("rep")?;
    /// # let ann = PersonId::new("ann")?;
    /// # let org = Org::builder()
    /// #     .position(Position::new(rep.clone(), Role::SalesRep))
    /// #     .line(ReportingLine::top(rep.clone(), DateRange::starting(d(1, 1))))
    /// #     .assignment(Assignment::new(ann.clone(), rep.clone(), DateRange::starting(d(1, 1))))
    /// #     .build()?;
    /// # let sale = |id: &str, m, amount: &str| Transaction::new(TransactionId::new(id).unwrap(),
    /// #     TransactionKind::Order, d(m, 10), AccountId::new("acme").unwrap(),
    /// #     Money::parse(amount, Currency::USD).unwrap()).with_owner(rep.clone());
    /// // `run` credits Ann (at position `rep`) 4,000 sold in January and 6,000 in February.
    /// # let feed = [sale("T1", 1, "4000.00"), sale("T2", 2, "6000.00")];
    /// # let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD)).run(&feed)?;
    ///
    /// let cloud = ProductId::new("cloud")?;
    /// let ten_percent = RateTable::Flat(PayRate::Percent("10%".parse()?));
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(Component::new("Cloud", CreditBasis::Revenue, CompPeriod::Month, ten_percent)
    ///         .qualifies(vec![Qualifier::Product(cloud.clone())]))
    ///     .build()?;
    /// // The facts of the sales credited: the second was a cloud deal.
    /// let sold = [sale("T1", 1, "4000.00"), sale("T2", 2, "6000.00").with_product(cloud)];
    /// let comp = Commissions::new(&plan, &[&run])?.with_deals(&Deals::new(&sold))?;
    /// let statements = comp.statements(&ann, &Quotas::new(), &[], d(2, 28))?;
    /// let totals: Vec<String> = statements.iter().map(|s| s.total.to_string()).collect();
    /// assert_eq!(totals, ["0.00 USD", "600.00 USD"]);
    /// // Without the first sale's facts, its credit cannot be judged.
    /// let comp = Commissions::new(&plan, &[&run])?.with_deals(&Deals::new(&sold[1..]))?;
    /// let err = comp.statements(&ann, &Quotas::new(), &[], d(2, 28)).unwrap_err();
    /// assert!(matches!(err, CompError::UnknownDeal { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_deals(mut self, deals: &Deals<'_>) -> Result<Commissions<'a>, CompError> {
        self.qualified = self
            .plan
            .components()
            .iter()
            .map(|c| {
                c.needs_deals()
                    .then(|| qualified(c, deals, self.execution).map(Arc::new))
                    .transpose()
            })
            .collect::<Result<_, _>>()?;
        Ok(self)
    }

    /// The plan.
    pub const fn plan(&self) -> &'a CompPlan {
        self.plan
    }

    /// `person`'s statements for every pay period of the plan year up to
    /// the one containing `through`.
    ///
    /// `locked` are statements already paid and final, for the first pay
    /// periods of the year (in any order); they are returned unchanged,
    /// and whatever they would pay differently now (a late deal, a
    /// reversal dated in them) is paid as an adjustment line in the first
    /// open period. A recoverable draw's balance carries on from the last
    /// locked statement. `locked` may also hold the person's statements of
    /// earlier plan years (under earlier plans): a return or credit note
    /// this year of a deal credited in an earlier year is taken back at the
    /// rate the locked statement of the deal's period shows (see the
    /// [module docs](crate::comp)).
    ///
    /// # Errors
    ///
    /// [`CompError::OutsideYear`] when `through` is not in the plan year;
    /// [`CompError::ForeignStatement`] for a locked statement of another
    /// person, plan or period, or one not among the first pay periods;
    /// [`CompError::MissingQuota`], [`CompError::BadQuota`],
    /// [`CompError::ZeroQuota`] when a component needing attainment has no
    /// usable quota; [`CompError::UnknownDeal`] when a qualifying component
    /// or kicker meets a deal the [`Deals`] do not hold;
    /// [`CompError::ClawbackUnknownDeal`], [`CompError::ClawbackExceeds`],
    /// [`CompError::ClawbackBeforeDeal`] for reversals that do not fit
    /// their deal; [`CompError::PriorPayUnknown`] for a reversal of an
    /// earlier year's deal whose rate the locked statements do not show;
    /// [`CompError::Money`] on overflow.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, PayRate, Quotas, RateTable};
    /// use salesplan::PlanId;
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// # use salesplan::{AccountId, Currency, Money, PersonId, PositionId, TransactionId};
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let rep = PositionId::new("rep")?;
    /// # let ann = PersonId::new("ann")?;
    /// # let org = Org::builder()
    /// #     .position(Position::new(rep.clone(), Role::SalesRep))
    /// #     .line(ReportingLine::top(rep.clone(), DateRange::starting(d(1, 1))))
    /// #     .assignment(Assignment::new(ann.clone(), rep.clone(), DateRange::starting(d(1, 1))))
    /// #     .build()?;
    /// # let sale = |id: &str, m, amount: &str| Transaction::new(TransactionId::new(id).unwrap(),
    /// #     TransactionKind::Order, d(m, 10), AccountId::new("acme").unwrap(),
    /// #     Money::parse(amount, Currency::USD).unwrap()).with_owner(rep.clone());
    /// // `run` credits Ann (at position `rep`) 4,000 sold in January and 6,000 in February.
    /// # let feed = [sale("T1", 1, "4000.00"), sale("T2", 2, "6000.00")];
    /// # let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD)).run(&feed)?;
    ///
    /// let ten_percent = RateTable::Flat(PayRate::Percent("10%".parse()?));
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month, ten_percent))
    ///     .build()?;
    /// let comp = Commissions::new(&plan, &[&run])?;
    /// let statements = comp.statements(&ann, &Quotas::new(), &[], d(3, 31))?;
    /// let totals: Vec<String> = statements.iter().map(|s| s.total.to_string()).collect();
    /// assert_eq!(totals, ["400.00 USD", "600.00 USD", "0.00 USD"]);
    /// // January locked (paid and final) comes back unchanged: anything that would
    /// // change it now is paid as an adjustment in the first open period.
    /// let again = comp.statements(&ann, &Quotas::new(), &statements[..1], d(2, 28))?;
    /// assert_eq!(again[0], statements[0]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn statements(
        &self,
        person: &PersonId,
        quotas: &Quotas,
        locked: &[Statement],
        through: NaiveDate,
    ) -> Result<Vec<Statement>, CompError> {
        self.reads_runs()?;
        let mut scratch = Scratch::default();
        let mut out = self.statements_at(
            &Key::new(person),
            (quotas, locked),
            through,
            &mut scratch,
            None,
        )?;
        settle(&mut scratch, std::slice::from_mut(&mut out));
        Ok(out)
    }

    /// [`statements`](Self::statements) for a person already hashed, with
    /// their lists still on `scratch`'s shelves (see [`settle`]). With
    /// `sums`, the open periods' explanations are not kept, and each pay
    /// period's pay per component and total go to `sums` (see
    /// [`Commissions::pay`]).
    fn statements_at(
        &self,
        key: &Key<'_>,
        (quotas, locked): (&Quotas, &[Statement]),
        through: NaiveDate,
        scratch: &mut Scratch<'a>,
        sums: Option<&mut [Decimal]>,
    ) -> Result<Vec<Statement>, CompError> {
        self.statements_with(
            key,
            (PersonQuotas::own(quotas), locked),
            through,
            scratch,
            sums,
            |ctx, n, scratch| self.all_lines(ctx, n, scratch),
        )
    }

    /// [`statements_at`](Self::statements_at), with each pay period's
    /// lines made by `lines` (given the person, the number of pay periods
    /// and the scratch to fill).
    fn statements_with(
        &self,
        key: &Key<'_>,
        (quotas, locked): (PersonQuotas<'_>, &[Statement]),
        through: NaiveDate,
        scratch: &mut Scratch<'a>,
        sums: Option<&mut [Decimal]>,
        lines: impl FnOnce(&PersonCtx<'_>, usize, &mut Scratch<'a>) -> Result<(), CompError>,
    ) -> Result<Vec<Statement>, CompError> {
        let person = key.id;
        let plan = self.plan;
        let pays = plan.pay_periods();
        let outside = || CompError::OutsideYear {
            date: through,
            year: plan.year_period(),
        };
        let last = period_index(pays, through).ok_or_else(outside)?;
        // The pay periods up to the one containing `through`.
        let to_pay = pays.get(..=last).ok_or_else(outside)?;
        let (locked_by, earlier) = self.sort_locked(person, locked)?;
        let n_locked = locked_by.iter().take_while(|s| s.is_some()).count();
        let ctx = PersonCtx {
            key,
            quotas,
            last,
            open: n_locked,
            earlier: &earlier,
            explain: sums.is_none(),
        };
        lines(&ctx, to_pay.len(), scratch)?;
        self.pay(person, to_pay, &locked_by, scratch, sums)
    }

    /// Every line of every pay period up to `ctx.last`, recomputed, into
    /// `scratch.lines` by pay period (locked ones too: they are summed for
    /// the adjustments).
    fn all_lines(
        &self,
        ctx: &PersonCtx<'_>,
        n_pays: usize,
        scratch: &mut Scratch<'a>,
    ) -> Result<(), CompError> {
        clear_lines(scratch, n_pays);
        for (ci, component) in self.plan.components().iter().enumerate() {
            let (Some(layout), Some(index)) = (
                self.layouts.get(ci),
                self.layouts.get(ci).and_then(|l| self.indexes().get(l.run)),
            ) else {
                continue;
            };
            self.component_lines(ctx, (ci, component), (layout, index), scratch)?;
        }
        Ok(())
    }

    /// The statements of pay periods `to_pay`: the locked ones as they
    /// are, the open ones from the lines in `scratch.lines` (the first
    /// with the adjustments to the locked ones), each with the draw.
    ///
    /// With `sums` (the components' count plus one per pay period), each
    /// period's pay per component (its lines' sum, as
    /// [`Statement::component_total`] gives it) and its total go there,
    /// and no statement is made (the list returned is empty).
    fn pay(
        &self,
        person: &PersonId,
        to_pay: &[Period],
        locked_by: &[Option<&Statement>],
        scratch: &mut Scratch<'a>,
        mut sums: Option<&mut [Decimal]>,
    ) -> Result<Vec<Statement>, CompError> {
        // bound: a plan's components are few.
        let stride = self.plan.components().len().saturating_add(1);
        let plan = self.plan;
        let currency = plan.currency();
        let n_locked = locked_by.iter().take_while(|s| s.is_some()).count();
        // With `sums`, only the amounts are wanted: no statement is made.
        let amounts_only = sums.is_some();
        let mut out = Vec::with_capacity(if amounts_only { 0 } else { to_pay.len() });
        let mut balance = Decimal::ZERO;
        for (p, period) in to_pay.iter().enumerate() {
            if let Some(Some(s)) = locked_by.get(p) {
                balance = s
                    .draw
                    .as_ref()
                    .map_or(Decimal::ZERO, |d| d.balance_after.amount());
                if let Some(row) = sums
                    .as_deref_mut()
                    .and_then(|v| v.chunks_mut(stride).nth(p))
                {
                    locked_sums(plan, s, row)?;
                }
                if !amounts_only {
                    out.push((*s).clone());
                }
                continue;
            }
            if p == n_locked && n_locked > 0 {
                let adjustments = self.adjustments(locked_by, &scratch.lines, n_locked)?;
                if let Some(bucket) = scratch.lines.get_mut(p) {
                    bucket.extend(adjustments);
                    sort_lines(plan, bucket);
                }
            }
            let mut row = sums
                .as_deref_mut()
                .and_then(|v| v.chunks_mut(stride).nth(p));
            let (earned, period_lines) =
                period_lines(plan, scratch, p, row.as_deref_mut(), amounts_only)?;
            let (draw, total, next_balance) =
                draw_line(plan.draw(), period, earned, balance, currency)?;
            let total = round(total, currency, plan.rounding());
            if let Some(slot) = row.and_then(|r| r.last_mut()) {
                *slot = total;
            }
            balance = next_balance;
            if amounts_only {
                continue;
            }
            out.push(Statement {
                person: person.clone(),
                plan: plan.id().clone(),
                period: *period,
                lines: period_lines,
                draw: draw.map(Box::new),
                total: Money::new(total, currency),
            });
        }
        Ok(out)
    }

    /// Statements for many people at once: for each entry, what
    /// [`statements`](Self::statements) gives, in the same order. With
    /// the `parallel` feature and the engine's
    /// [`execution`](Self::execution) set to [`Execution::Parallel`],
    /// people are spread over rayon's threads; the result is identical
    /// either way, and so is the error: the first failing person in input
    /// order.
    ///
    /// The statements of a batch of a few hundred people share their
    /// lists' memory: each kind of list is one allocation
    /// per batch, not one per list, so a million statements are quick to
    /// make and to drop. Keeping one person's statements keeps their
    /// batch's lists.
    ///
    /// # Errors
    ///
    /// As [`statements`](Self::statements), for the first person in input
    /// order that fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::comp::PersonInput;
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, PayRate, Quotas, RateTable};
    /// use salesplan::PlanId;
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// # use salesplan::{AccountId, Currency, Money, PersonId, PositionId, TransactionId};
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let rep = PositionId::new("rep")?;
    /// # let ann = PersonId::new("ann")?;
    /// # let org = Org::builder()
    /// #     .position(Position::new(rep.clone(), Role::SalesRep))
    /// #     .line(ReportingLine::top(rep.clone(), DateRange::starting(d(1, 1))))
    /// #     .assignment(Assignment::new(ann.clone(), rep.clone(), DateRange::starting(d(1, 1))))
    /// #     .build()?;
    /// # let sale = |id: &str, m, amount: &str| Transaction::new(TransactionId::new(id).unwrap(),
    /// #     TransactionKind::Order, d(m, 10), AccountId::new("acme").unwrap(),
    /// #     Money::parse(amount, Currency::USD).unwrap()).with_owner(rep.clone());
    /// // `run` credits Ann (at position `rep`) 4,000 sold in January and 6,000 in February.
    /// # let feed = [sale("T1", 1, "4000.00"), sale("T2", 2, "6000.00")];
    /// # let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD)).run(&feed)?;
    ///
    /// let ten_percent = RateTable::Flat(PayRate::Percent("10%".parse()?));
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month, ten_percent))
    ///     .build()?;
    /// let comp = Commissions::new(&plan, &[&run])?;
    /// let (quotas, bob) = (Quotas::new(), PersonId::new("bob")?);
    /// let people = [
    ///     PersonInput { person: &ann, quotas: &quotas, locked: &[] },
    ///     PersonInput { person: &bob, quotas: &quotas, locked: &[] },
    /// ];
    /// let all = comp.statements_for(&people, d(2, 28))?;
    /// assert_eq!(all[0][1].total.to_string(), "600.00 USD");
    /// // Someone without credit has statements too, for nothing.
    /// assert_eq!(all[1][1].total.to_string(), "0.00 USD");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn statements_for(
        &self,
        people: &[PersonInput<'_>],
        through: NaiveDate,
    ) -> Result<Vec<Vec<Statement>>, CompError> {
        self.reads_runs()?;
        // Each batch of people fills its own part of the result in place
        // (no list of results to copy from), stopping at its first
        // failure; the first failure of the earliest failing batch is the
        // first in input order.
        // A thread's working vectors and shelves are reused from one batch
        // to the next (settling leaves them empty with their room): grown
        // afresh each batch, they were a fifth of a call's page faults.
        let fill = |scratch: &mut Scratch<'a>,
                    (batch, out): (&[PersonInput<'_>], &mut [Vec<Statement>])| {
            let mut slots = out.iter_mut();
            for group in batch.chunks(WARM) {
                let keys = self.warm(group);
                for (p, key) in group.iter().zip(&keys) {
                    match self.statements_at(key, (p.quotas, p.locked), through, scratch, None) {
                        Ok(statements) => {
                            if let Some(slot) = slots.next() {
                                *slot = statements;
                            }
                        }
                        Err(e) => {
                            // What the failing batch left behind is not
                            // carried into the next one.
                            *scratch = Scratch::default();
                            return Err(e);
                        }
                    }
                }
            }
            settle(scratch, out);
            Ok(())
        };
        let mut all: Vec<Vec<Statement>> = Vec::new();
        all.resize_with(people.len(), Vec::new);
        // The line indexes are built once, before the people are spread.
        let _ = self.indexes();
        let first_failure = match self.execution {
            #[cfg(feature = "parallel")]
            Execution::Parallel if people.len() > 64 => {
                use rayon::prelude::*;
                let failures: Vec<Result<(), CompError>> = people
                    .par_chunks(BATCH)
                    .zip(all.par_chunks_mut(BATCH))
                    .map_init(Scratch::default, fill)
                    .collect();
                failures.into_iter().find_map(Result::err)
            }
            _ => {
                let mut scratch = Scratch::default();
                people
                    .chunks(BATCH)
                    .zip(all.chunks_mut(BATCH))
                    .map(|item| fill(&mut scratch, item))
                    .find_map(Result::err)
            }
        };
        match first_failure {
            Some(e) => Err(e),
            None => Ok(all),
        }
    }

    /// What [`statements_for`](Self::statements_for) pays, per person, pay
    /// period and component, without building the explanations: the same
    /// rules on the same path (the lines are worked out and summed; the
    /// transactions, slices and limits that explain them are not kept).
    /// For payroll over a whole sales force; any one person's explained
    /// statements are [`statements`](Self::statements) or
    /// [`statements_for`](Self::statements_for) on demand, and agree to
    /// the cent. Spread over rayon's threads as `statements_for` is.
    ///
    /// # Errors
    ///
    /// As [`statements_for`](Self::statements_for): the first failing
    /// person in input order, with the same error;
    /// [`CompError::TooManyPayouts`] when the people's amounts are more
    /// than an index can count.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::comp::{PersonInput, Quotas};
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, PayRate, RateTable};
    /// use salesplan::credit::{CreditBasis, CreditLine, CreditRule, CreditRun};
    /// use salesplan::{Currency, PersonId, PlanId, PositionId, TransactionId};
    /// use chrono::NaiveDate;
    /// use rust_decimal::Decimal;
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let ann = PersonId::new("ann")?;
    /// // Lines credited in the CRM, handed in as they are.
    /// let owner = CreditRule::Owner { share: "100%".parse()? };
    /// let line = |id: &str, date, cents| CreditLine::new(PositionId::new("rep-1").unwrap(),
    ///     TransactionId::new(id).unwrap(), owner.clone(), Decimal::new(cents, 2), date)
    ///     .with_person(ann.clone());
    /// let run = CreditRun::from_lines(CreditBasis::Revenue, Currency::USD,
    ///     vec![line("T1", d(1, 10), 400_000), line("T2", d(2, 10), 600_000)])?;
    /// let ten_percent = RateTable::Flat(PayRate::Percent("10%".parse()?));
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month, ten_percent))
    ///     .build()?;
    /// let comp = Commissions::new(&plan, &[&run])?;
    /// let quotas = Quotas::new();
    /// let people = [PersonInput { person: &ann, quotas: &quotas, locked: &[] }];
    /// let payouts = comp.payouts_for(&people, d(2, 28))?;
    /// let revenue = payouts.component_index("Revenue").unwrap();
    /// assert_eq!(payouts.pay(0, 1, revenue).unwrap().to_string(), "600.00 USD");
    /// assert_eq!(payouts.person_total(0).unwrap().to_string(), "1000.00 USD");
    /// // The explained statements, on demand, pay the same.
    /// let statements = comp.statements(&ann, &quotas, &[], d(2, 28))?;
    /// assert_eq!(statements[1].total, payouts.total(0, 1).unwrap());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn payouts_for(
        &self,
        people: &[PersonInput<'_>],
        through: NaiveDate,
    ) -> Result<Payouts, CompError> {
        self.reads_runs()?;
        let plan = self.plan;
        let (periods, per_person, stride) = self.payout_shape(people.len(), through)?;
        // bound: `payout_shape` checked that the product does not overflow.
        let mut amounts = vec![Decimal::ZERO; people.len().saturating_mul(per_person)];
        // bound: a batch's share of `amounts`, a chunk length only. It
        // saturates only past `usize::MAX`, and then the people fit in one
        // batch (more would overflow `size`), as `amounts` in one chunk.
        let batch_len = BATCH.saturating_mul(per_person).max(1);
        let mut person_totals = vec![Decimal::ZERO; people.len()];
        let fill = |scratch: &mut Scratch<'a>,
                    (batch, (out, totals)): (
            &[PersonInput<'_>],
            (&mut [Decimal], &mut [Decimal]),
        )| {
            self.fill_payouts(scratch, batch, (out, totals), (per_person, stride), through)
        };
        let _ = self.indexes();
        let first_failure = match self.execution {
            #[cfg(feature = "parallel")]
            Execution::Parallel if people.len() > 64 => {
                use rayon::prelude::*;
                let failures: Vec<Result<(), CompError>> = people
                    .par_chunks(BATCH)
                    .zip(
                        amounts
                            .par_chunks_mut(batch_len)
                            .zip(person_totals.par_chunks_mut(BATCH)),
                    )
                    .map_init(Scratch::default, fill)
                    .collect();
                failures.into_iter().find_map(Result::err)
            }
            _ => {
                let mut scratch = Scratch::default();
                people
                    .chunks(BATCH)
                    .zip(
                        amounts
                            .chunks_mut(batch_len)
                            .zip(person_totals.chunks_mut(BATCH)),
                    )
                    .map(|item| fill(&mut scratch, item))
                    .find_map(Result::err)
            }
        };
        if let Some(e) = first_failure {
            return Err(e);
        }
        let components = plan
            .components()
            .iter()
            .map(|c| ComponentName::new(c.name()))
            .collect();
        Ok(Payouts::new(
            plan.currency(),
            periods,
            components,
            amounts,
            person_totals,
        ))
    }

    /// The pay periods through `through`, and for each person how many
    /// amounts (a row of `stride`, the components and the total, per pay
    /// period).
    fn payout_shape(
        &self,
        people: usize,
        through: NaiveDate,
    ) -> Result<(Vec<Period>, usize, usize), CompError> {
        let plan = self.plan;
        let last = period_index(plan.pay_periods(), through).ok_or(CompError::OutsideYear {
            date: through,
            year: plan.year_period(),
        })?;
        let periods = plan.pay_periods().get(..=last).unwrap_or_default().to_vec();
        // bound: a plan's components and pay periods are few.
        let stride = plan.components().len().saturating_add(1);
        // bound: a row per pay period (at most 366) of a few components.
        let per_person = stride.saturating_mul(periods.len());
        people
            .checked_mul(per_person)
            .ok_or(CompError::TooManyPayouts {
                people,
                amounts: per_person,
            })?;
        Ok((periods, per_person, stride))
    }

    /// One batch of [`payouts_for`](Self::payouts_for): each person's
    /// amounts into their row of `out` (`per_person` wide, a row of
    /// `stride` per pay period) and their total into `totals`.
    fn fill_payouts(
        &self,
        scratch: &mut Scratch<'a>,
        batch: &[PersonInput<'_>],
        (out, totals): (&mut [Decimal], &mut [Decimal]),
        (per_person, stride): (usize, usize),
        through: NaiveDate,
    ) -> Result<(), CompError> {
        let mut rows = out.chunks_mut(per_person).zip(totals.iter_mut());
        for group in batch.chunks(WARM) {
            let keys = self.warm(group);
            for (p, key) in group.iter().zip(&keys) {
                let Some((row, total)) = rows.next() else {
                    break;
                };
                let made = self.statements_at(
                    key,
                    (p.quotas, p.locked),
                    through,
                    scratch,
                    Some(&mut *row),
                );
                let made = match made {
                    Ok(made) => made,
                    Err(e) => {
                        // Nothing of a failing batch is carried on.
                        *scratch = Scratch::default();
                        return Err(e);
                    }
                };
                // Only the amounts were wanted: the lines go back (the
                // last kept first).
                for s in made.into_iter().rev() {
                    scratch.kept_lines.take_back(s.lines);
                }
                *total = sum_totals(row, stride)?;
            }
        }
        Ok(())
    }

    /// Statements for many people, handed to `sink` one person at a time
    /// (with the person's index in `people`) instead of collected: for a
    /// payroll run that writes each statement out, so the whole sales
    /// force's statements never sit in memory together. Stops at the first
    /// error, from the statements or from `sink`; everyone before the
    /// first failing person is handed to `sink` first.
    ///
    /// People are worked out a few dozen at a time, whose statements share
    /// their lists' memory: a statement `sink` keeps keeps
    /// that memory.
    ///
    /// # Errors
    ///
    /// As [`statements`](Self::statements), or whatever `sink` returns.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::comp::PersonInput;
    /// use salesplan::CompError;
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, PayRate, Quotas, RateTable};
    /// use salesplan::PlanId;
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// # use salesplan::{AccountId, Currency, Money, PersonId, PositionId, TransactionId};
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let rep = PositionId::new("rep")?;
    /// # let ann = PersonId::new("ann")?;
    /// # let org = Org::builder()
    /// #     .position(Position::new(rep.clone(), Role::SalesRep))
    /// #     .line(ReportingLine::top(rep.clone(), DateRange::starting(d(1, 1))))
    /// #     .assignment(Assignment::new(ann.clone(), rep.clone(), DateRange::starting(d(1, 1))))
    /// #     .build()?;
    /// # let sale = |id: &str, m, amount: &str| Transaction::new(TransactionId::new(id).unwrap(),
    /// #     TransactionKind::Order, d(m, 10), AccountId::new("acme").unwrap(),
    /// #     Money::parse(amount, Currency::USD).unwrap()).with_owner(rep.clone());
    /// // `run` credits Ann (at position `rep`) 4,000 sold in January and 6,000 in February.
    /// # let feed = [sale("T1", 1, "4000.00"), sale("T2", 2, "6000.00")];
    /// # let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD)).run(&feed)?;
    ///
    /// let ten_percent = RateTable::Flat(PayRate::Percent("10%".parse()?));
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month, ten_percent))
    ///     .build()?;
    /// let comp = Commissions::new(&plan, &[&run])?;
    /// let quotas = Quotas::new();
    /// let people = [PersonInput { person: &ann, quotas: &quotas, locked: &[] }];
    /// let mut written = Vec::new();
    /// comp.each_statement(&people, d(3, 31), |i, statements| {
    ///     for s in statements {
    ///         written.push(format!("{} {} {}", i, s.period.start(), s.total));
    ///     }
    ///     Ok::<(), CompError>(())
    /// })?;
    /// assert_eq!(written, ["0 2025-01-01 400.00 USD", "0 2025-02-01 600.00 USD", "0 2025-03-01 0.00 USD"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn each_statement<E: From<CompError>>(
        &self,
        people: &[PersonInput<'_>],
        through: NaiveDate,
        mut sink: impl FnMut(usize, Vec<Statement>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.reads_runs().map_err(E::from)?;
        // Each person's index in `people`, handed to `sink` in order.
        let mut indexes = 0..people.len();
        let mut scratch = Scratch::default();
        let mut made: Vec<Vec<Statement>> = Vec::with_capacity(WARM);
        for group in people.chunks(WARM) {
            let keys = self.warm(group);
            let mut failure = None;
            for (p, key) in group.iter().zip(&keys) {
                match self.statements_at(key, (p.quotas, p.locked), through, &mut scratch, None) {
                    Ok(statements) => made.push(statements),
                    Err(e) => {
                        failure = Some(e);
                        break;
                    }
                }
            }
            // What a failing person left on the shelves is frozen with the
            // rest: it is never read, and lives as long as the group's
            // statements.
            settle(&mut scratch, &mut made);
            // One statement list per person of the group: an index each.
            // (The statements first: `zip` then takes no index past them.)
            for (statements, i) in made.drain(..).zip(indexes.by_ref()) {
                sink(i, statements)?;
            }
            if let Some(e) = failure {
                return Err(e.into());
            }
        }
        Ok(())
    }

    /// Hashes a group of people, and brings what their statements read
    /// into the cache: their quotas, their index entries, their credit
    /// lines and their deals' kicker factors.
    ///
    /// A person's lines lie anywhere in the runs, so reading them is a
    /// chain of cache misses (bucket, entries, line, deal). Taken one
    /// person at a time, each miss waits for the one before; here each
    /// step runs over the whole group in a loop of loads alone, so the
    /// group's misses are in flight together. The statements that follow
    /// read the same data from the cache.
    fn warm<'p>(&self, people: &[PersonInput<'p>]) -> Vec<Key<'p>> {
        let keys: Vec<Key<'p>> = people.iter().map(|p| Key::new(p.person)).collect();
        let mut loads = Loads::default();
        // Each person's quotas are a block of their own, anywhere.
        loads.step(people, |p| {
            p.quotas
                .entries
                .first()
                .map_or(0, |e| e.period.start().ordinal())
        });
        for index in self.indexes() {
            loads.step(&keys, |key| index.touch_bucket(key));
        }
        for index in self.indexes() {
            loads.step(&keys, |key| index.touch_entries(key));
        }
        for index in self.indexes() {
            loads.step(&keys, |key| {
                let mut touched = 0;
                for line in index.candidates(key) {
                    touched ^= line.date().ordinal()
                        ^ line.as_of().ordinal()
                        ^ line.amount().scale()
                        ^ u32::from(line.transaction() == line.sale());
                }
                touched
            });
        }
        // Only components that need deals have a qualified set.
        for (layout, qualified) in self.layouts.iter().zip(&self.qualified) {
            let (Some(qualified), Some(index)) = (qualified, self.indexes().get(layout.run)) else {
                continue;
            };
            loads.step(&keys, |key| {
                let mut touched = 0;
                for line in index.lines_of(key) {
                    touched ^= u32::from(qualified.contains_key(line.sale()));
                }
                touched
            });
        }
        loads.done();
        keys
    }

    /// `person`'s locked statements: those of this plan's pay periods, by
    /// pay period (a prefix of them; nothing allocated when there are
    /// none), and those of earlier plan years, under any plan.
    fn sort_locked<'s>(
        &self,
        person: &PersonId,
        locked: &'s [Statement],
    ) -> Result<(Vec<Option<&'s Statement>>, Vec<&'s Statement>), CompError> {
        let plan = self.plan;
        let pays = plan.pay_periods();
        let foreign = |s: &Statement| CompError::ForeignStatement {
            person: person.clone(),
            plan: plan.id().clone(),
            period: s.period,
        };
        let mut locked_by: Vec<Option<&Statement>> = Vec::new();
        let mut earlier = Vec::new();
        if !locked.is_empty() {
            locked_by.resize(pays.len(), None);
        }
        for s in locked {
            if &s.person != person {
                return Err(foreign(s));
            }
            if s.period.end() <= plan.year_period().start() {
                earlier.push(s);
                continue;
            }
            let slot = pays
                .iter()
                .position(|p| *p == s.period)
                .filter(|_| &s.plan == plan.id())
                .and_then(|i| locked_by.get_mut(i));
            match slot {
                Some(slot @ None) => *slot = Some(s),
                _ => return Err(foreign(s)),
            }
        }
        let n_locked = locked_by.iter().take_while(|s| s.is_some()).count();
        if let Some(s) = locked_by.iter().skip(n_locked).flatten().next() {
            return Err(foreign(s));
        }
        Ok((locked_by, earlier))
    }

    /// Adjustment lines for the first open period: per component, what
    /// the locked periods would pay now minus what they paid.
    fn adjustments(
        &self,
        locked_by: &[Option<&Statement>],
        recomputed: &[Vec<StatementLine>],
        n_locked: usize,
    ) -> Result<Vec<StatementLine>, CompError> {
        let currency = self.plan.currency();
        let mut out = Vec::new();
        for layout in &self.layouts {
            let name = &layout.name;
            let mut corrections = Vec::new();
            let mut total = Decimal::ZERO;
            for p in 0..n_locked {
                let Some(Some(s)) = locked_by.get(p) else {
                    continue;
                };
                let mut now = Decimal::ZERO;
                for l in recomputed.get(p).into_iter().flatten() {
                    if &l.component == name {
                        now = add(now, l.amount.amount())?;
                    }
                }
                // What the engine paid: lines added after it (approved
                // adjustments, carried caps, holds) are not corrected.
                let paid = s.computed_total(name.as_str())?;
                if now != paid {
                    total = add(total, sub(now, paid)?)?;
                    corrections.push(Correction {
                        period: s.period,
                        now: Money::new(now, currency),
                        paid: Money::new(paid, currency),
                    });
                }
            }
            if !corrections.is_empty() {
                out.push(StatementLine {
                    component: name.clone(),
                    amount: Money::new(total, currency),
                    explanation: Explanation::Adjustment(corrections.into()),
                });
            }
        }
        Ok(out)
    }

    /// One component's earned and clawback lines, into `scratch.lines` by
    /// pay period.
    fn component_lines(
        &self,
        ctx: &PersonCtx<'_>,
        (ci, component): (usize, &Component),
        (layout, index): (&Layout, &LineIndex<'a>),
        scratch: &mut Scratch<'a>,
    ) -> Result<(), CompError> {
        scratch.txs.clear();
        scratch.ytd.clear();
        let mut credits = Credits {
            measure: [Decimal::ZERO; MAX_PERIODS],
            uplift: [Decimal::ZERO; MAX_PERIODS],
            sold: [Decimal::ZERO; MAX_PERIODS],
            reversals: Vec::new(),
            sales: FxHashMap::default(),
            clawbacks: Vec::new(),
        };
        self.gather(
            ctx.key,
            (ci, component),
            (layout, index),
            scratch,
            &mut credits,
        )?;
        if !credits.reversals.is_empty() {
            self.sale_credits(
                ctx.key,
                (ci, component),
                (layout, index),
                &mut credits.sales,
            )?;
            let year_to_date = component.accumulation() == Accumulation::YearToDate;
            self.net_reversals(ctx.key.id, year_to_date, layout, &mut credits, scratch)?;
        }
        self.earned_lines(ctx, component, layout, &credits, scratch)
    }

    /// The credit `line` counts for `component`, kickers included, or
    /// `None` when the component does not count it (whatever its date).
    fn counted(
        &self,
        (ci, component): (usize, &Component),
        line: &CreditLine,
    ) -> Result<Option<Decimal>, CompError> {
        if !component.counts(line.kind())
            || line.amount().is_zero()
            || component
                .booking_window()
                .is_some_and(|w| !w.contains(line.as_of()))
        {
            return Ok(None);
        }
        match self.kick(ci, component, line.sale())? {
            Some(kick) => Ok(Some(kicked(line.amount(), kick)?)),
            None => Ok(None),
        }
    }

    /// The person's credits of the plan year in `credits`, by component
    /// period, and their transactions in `scratch.txs`; reversals of deals
    /// are set apart.
    fn gather(
        &self,
        key: &Key<'_>,
        component: (usize, &Component),
        (layout, index): (&Layout, &LineIndex<'a>),
        scratch: &mut Scratch<'a>,
        credits: &mut Credits<'a>,
    ) -> Result<(), CompError> {
        let year = self.plan.year_period();
        for line in index.lines_of(key) {
            if !year.contains(line.date()) {
                continue;
            }
            let Some(credit) = self.counted(component, line)? else {
                continue;
            };
            if is_reversal(line) {
                credits.reversals.push((line, credit));
                continue;
            }
            let k = year_period_index(&layout.periods, line.date());
            add_to(&mut credits.measure, k, credit)?;
            if credit > Decimal::ZERO {
                add_to(&mut credits.sold, k, credit)?;
            }
            add_uplift(&mut credits.uplift, k, credit, line.amount())?;
            scratch.txs.push((k, Cow::Borrowed(line.transaction())));
        }
        Ok(())
    }

    /// What each deal credited the person up to the end of the plan year,
    /// by component period (or date, before the year), net of the
    /// reversals of earlier plan years.
    fn sale_credits(
        &self,
        key: &Key<'_>,
        component: (usize, &Component),
        (layout, index): (&Layout, &LineIndex<'a>),
        sales: &mut FxHashMap<&'a TransactionId, SaleCredit<'a>>,
    ) -> Result<(), CompError> {
        let year = self.plan.year_period();
        for line in index.lines_of(key) {
            if line.date() >= year.end() {
                continue;
            }
            let Some(credit) = self.counted(component, line)? else {
                continue;
            };
            let before = line.date() < year.start();
            if is_reversal(line) {
                if before {
                    let sale = sales.entry(line.sale()).or_default();
                    sale.reversed = sub(sale.reversed, credit)?;
                }
                continue;
            }
            let at = if before {
                CountedIn::Earlier(line.date(), line.transaction())
            } else {
                CountedIn::Period(year_period_index(&layout.periods, line.date()))
            };
            let sale = sales.entry(line.sale()).or_default();
            sale.credited = add(sale.credited, credit)?;
            if sale.first.is_none_or(|d| line.date() < d) {
                sale.first = Some(line.date());
            }
            match sale.by_period.iter_mut().find(|(p, _)| *p == at) {
                Some((_, a)) => *a = add(*a, credit)?,
                None => sale.by_period.push((at, credit)),
            }
        }
        Ok(())
    }

    /// The reversals, in date order: netted in their deal's own period
    /// (in the period they fall in, year to date), or set apart in
    /// `clawbacks` to be taken back at the deal's rate (always, for a deal
    /// of an earlier plan year).
    fn net_reversals(
        &self,
        person: &PersonId,
        year_to_date: bool,
        layout: &Layout,
        credits: &mut Credits<'a>,
        scratch: &mut Scratch<'a>,
    ) -> Result<(), CompError> {
        let unknown = |line: &CreditLine| CompError::ClawbackUnknownDeal {
            person: person.clone(),
            transaction: line.transaction().clone(),
            sale: line.sale().clone(),
        };
        credits
            .reversals
            .sort_by(|a, b| (a.0.date(), a.0.transaction()).cmp(&(b.0.date(), b.0.transaction())));
        for &(line, credit) in &credits.reversals {
            let Some(sale) = credits.sales.get_mut(line.sale()) else {
                return Err(unknown(line));
            };
            let Some(first) = sale.first else {
                return Err(unknown(line));
            };
            if line.date() < first {
                return Err(CompError::ClawbackBeforeDeal {
                    person: person.clone(),
                    transaction: line.transaction().clone(),
                    sale: line.sale().clone(),
                    date: line.date(),
                    sale_date: first,
                });
            }
            sale.reversed = sub(sale.reversed, credit)?;
            if sale.reversed > sale.credited {
                return Err(CompError::ClawbackExceeds(Box::new(Overdrawn {
                    person: person.clone(),
                    transaction: line.transaction().clone(),
                    sale: line.sale().clone(),
                    reversed: sale.reversed,
                    credited: sale.credited,
                })));
            }
            let k = year_period_index(&layout.periods, line.date());
            // The reversal takes back its share of each period's credit of
            // the deal. What falls in its own period or later nets there;
            // year to date, the window holds the deal from its period on,
            // so all of this year's nets (the true-up takes back what the
            // deal earned). The rest is taken back from the periods, or
            // the earlier plan year, the deal was paid in.
            let mut own = Decimal::ZERO;
            let mut parts = Vec::new();
            for (at, share) in split(credit, sale.credited, &sale.by_period)? {
                match at {
                    CountedIn::Period(p) if p >= k || year_to_date => own = add(own, share)?,
                    _ => parts.push((at, share)),
                }
            }
            if !own.is_zero() {
                add_to(&mut credits.measure, k, own)?;
                if own == credit {
                    add_uplift(&mut credits.uplift, k, credit, line.amount())?;
                } else {
                    // The kickers' part of this share: `own × (1 − amount / credit)`.
                    let kicked_by = sub(credit, line.amount())?;
                    add_to(&mut credits.uplift, k, div(mul(kicked_by, own)?, credit)?)?;
                }
                scratch.txs.push((k, Cow::Borrowed(line.transaction())));
            }
            if !parts.is_empty() {
                credits.clawbacks.push(Reversal {
                    line,
                    parts,
                    period: k,
                    pay: year_period_index(self.plan.pay_periods(), line.date()),
                });
            }
        }
        Ok(())
    }

    /// The earned line of every component period paid by the last pay
    /// period due, and the clawback of every reversal set apart, into
    /// `scratch.lines`. A period's clawbacks are taken before it is
    /// evaluated: what they take back is no longer paid this year (a cap
    /// per year has that much more room). Each period's window is kept:
    /// a clawback works the period out again without the reversed credit.
    fn earned_lines(
        &self,
        ctx: &PersonCtx<'_>,
        component: &Component,
        layout: &Layout,
        credits: &Credits<'_>,
        scratch: &mut Scratch<'a>,
    ) -> Result<(), CompError> {
        // Only with clawbacks to take: each period's window once evaluated,
        // and the credit taken back from it so far.
        let mut rework: Option<Box<Rework>> =
            (!credits.clawbacks.is_empty()).then(|| Box::new(Rework::default()));
        scratch.txs.sort_unstable();
        scratch.txs.dedup();
        let mut txs_at = 0usize;
        let mut so_far = SoFar::default();
        // The clawback lines, kept to follow the earned ones.
        let mut taken: Vec<(&Reversal<'_>, StatementLine)> = Vec::new();
        let n = layout.periods.len().min(MAX_PERIODS);
        for k in 0..n {
            if let Some(rework) = rework.as_deref_mut() {
                for c in credits.clawbacks.iter().filter(|c| c.period == k) {
                    if c.pay > ctx.last {
                        continue;
                    }
                    let (line, this_year) =
                        self.clawback(ctx, (component, layout), rework, &mut scratch.parts, c)?;
                    // What is taken back from this year's periods is no
                    // longer paid this year; what is taken back from an
                    // earlier one leaves this year's cap as it was.
                    so_far.paid_this_year = add(so_far.paid_this_year, this_year)?;
                    taken.push((c, line));
                }
            }
            let (Some(period), Some(&pay)) = (layout.periods.get(k), layout.pay.get(k)) else {
                continue;
            };
            if pay > ctx.last {
                break;
            }
            // The period's transactions: the next run of `txs`.
            let from = txs_at;
            while scratch.txs.get(txs_at).is_some_and(|(tk, _)| *tk == k) {
                // bound: `txs_at` indexes `txs`, so it is below its length.
                txs_at = txs_at.saturating_add(1);
            }
            let at = PeriodAt {
                k,
                period: *period,
                pay,
                txs: from..txs_at,
            };
            let (line, w) =
                self.earned_line(ctx, (component, layout), credits, at, &mut so_far, scratch)?;
            if let Some(slot) = rework.as_deref_mut().and_then(|r| r.windows.get_mut(k)) {
                *slot = Some(w);
            }
            // A SPIFF whose window is over (or not open yet) has nothing to
            // say in this period: no line, unless it pays something.
            let closed = component
                .booking_window()
                .is_some_and(|b| b.clip(period).is_none());
            if closed && line.amount.is_zero() {
                continue;
            }
            if let Some(bucket) = scratch.lines.get_mut(pay) {
                bucket.push(line);
            }
        }
        // Clawbacks follow the earned lines, by transaction and sale.
        taken.sort_by(|(a, _), (b, _)| {
            (a.line.transaction(), a.line.sale()).cmp(&(b.line.transaction(), b.line.sale()))
        });
        for (c, line) in taken {
            if let Some(bucket) = scratch.lines.get_mut(c.pay) {
                bucket.push(line);
            }
        }
        Ok(())
    }

    /// The earned line of component period `at.k` (its lists kept only
    /// when its pay period is open), and the window it was evaluated over;
    /// `so_far` moves on past the period.
    fn earned_line(
        &self,
        ctx: &PersonCtx<'_>,
        (component, layout): (&Component, &Layout),
        credits: &Credits<'_>,
        at: PeriodAt,
        so_far: &mut SoFar,
        scratch: &mut Scratch<'a>,
    ) -> Result<(StatementLine, Window), CompError> {
        let plan = self.plan;
        let k = at.k;
        let (m_k, u_k, sold_k) = credits.at(k);
        // A locked period's line is only summed for the adjustments:
        // none of its lists is kept.
        let kept = ctx.explain && at.pay >= ctx.open;
        so_far.ytd = add(so_far.ytd, m_k)?;
        so_far.ytd_uplift = add(so_far.ytd_uplift, u_k)?;
        let Measured {
            window,
            m,
            u,
            transactions,
            conversions,
        } = self.measured((component, layout), &at, kept, (m_k, u_k), so_far, scratch)?;
        let (quota, year_gate) = self.quotas_for(ctx, component, window, so_far.ytd)?;
        let w = Window {
            period: at.period,
            window,
            measure: m,
            period_measure: m_k,
            closes_year: k.checked_add(1) == Some(layout.periods.len()),
            quota,
            year: year_gate,
            earned_before: so_far.earned_before,
            paid_this_year: so_far.paid_this_year,
        };
        let parts = &mut scratch.parts;
        let mut evaluated = evaluate(component, &w, plan.currency(), plan.rounding(), parts)?;
        if !kept {
            parts.take_back(&mut evaluated.calculation);
        }
        so_far.paid_this_year = add(so_far.paid_this_year, evaluated.amount)?;
        if component.accumulation() == Accumulation::YearToDate {
            so_far.earned_before = evaluated.earned_to_date;
        }
        let mut calculation = Calculation {
            kicker_uplift: u,
            sold: sold_k,
            transactions,
            conversions,
            ..evaluated.calculation
        };
        // A SPIFF counts only the deals booked in its window: it was
        // measured over the part of the period the window covers.
        if let Some(open) = component
            .booking_window()
            .and_then(|b| b.clip(&calculation.window))
        {
            calculation.window = open;
        }
        let line = StatementLine {
            component: layout.name.clone(),
            amount: Money::new(evaluated.amount, plan.currency()),
            explanation: Explanation::Earned(calculation),
        };
        Ok((line, w))
    }

    /// What component period `at` is measured over: its window (the
    /// period, or the year to its end), measure and kickers' uplift, and,
    /// when its lists are `kept`, the transactions counted and how the
    /// ones in another currency were converted.
    fn measured(
        &self,
        (component, layout): (&Component, &Layout),
        at: &PeriodAt,
        kept: bool,
        (m_k, u_k): (Decimal, Decimal),
        so_far: &SoFar,
        scratch: &mut Scratch<'a>,
    ) -> Result<Measured, CompError> {
        let t_k = scratch.txs.get(at.txs.clone()).unwrap_or_default();
        let kept_txs = kept.then_some(&mut scratch.kept_txs);
        // Deals booked in another currency, for the explanation.
        let fx = self
            .runs
            .get(layout.run)
            .copied()
            .filter(|r| kept && !r.conversions().is_empty());
        Ok(match component.accumulation() {
            Accumulation::PerPeriod => Measured {
                window: at.period,
                m: m_k,
                u: u_k,
                transactions: kept_txs.map_or_else(List::new, |shelf| {
                    shelf.keep_all(t_k.iter().map(|(_, t)| TransactionId::clone(t)))
                }),
                conversions: converted(fx, t_k.iter().map(|(_, t)| &**t)),
            },
            Accumulation::YearToDate => {
                let ytd_txs = &mut scratch.ytd;
                ytd_txs.extend(t_k.iter().map(|(_, t)| t.clone()));
                ytd_txs.sort_unstable();
                ytd_txs.dedup();
                Measured {
                    window: Period::new(self.plan.year_period().start(), at.period.end())?,
                    m: so_far.ytd,
                    u: so_far.ytd_uplift,
                    transactions: kept_txs.map_or_else(List::new, |shelf| {
                        shelf.keep_all(ytd_txs.iter().map(|t| TransactionId::clone(t)))
                    }),
                    conversions: converted(fx, ytd_txs.iter().map(|t| &**t)),
                }
            }
        })
    }

    /// The quota of `window`, and for a gate on the year the year's
    /// measure to date, quota and period; checked where the component
    /// needs them.
    fn quotas_for(
        &self,
        ctx: &PersonCtx<'_>,
        component: &Component,
        window: Period,
        ytd: Decimal,
    ) -> Result<(Option<Decimal>, Option<YearGate>), CompError> {
        let person = ctx.key.id;
        let currency = self.plan.currency();
        let year = self.plan.year_period();
        let zero_quota = |period| CompError::ZeroQuota {
            person: person.clone(),
            component: component.name().to_owned(),
            period,
        };
        let quota = ctx
            .quotas
            .over(person, component.measure(), window, currency)?;
        let year_gate = match component.gate_rule() {
            Some(g) if g.measured_on() == GatePeriod::Year => {
                let yq = ctx
                    .quotas
                    .over(person, component.measure(), year, currency)?
                    .ok_or_else(|| CompError::MissingQuota {
                        person: person.clone(),
                        period: year,
                    })?;
                if yq.is_zero() {
                    return Err(zero_quota(year));
                }
                Some((ytd, yq, year))
            }
            _ => None,
        };
        if component.needs_quota() {
            match quota {
                None => {
                    return Err(CompError::MissingQuota {
                        person: person.clone(),
                        period: window,
                    });
                }
                Some(q) if q.is_zero() => return Err(zero_quota(window)),
                Some(_) => {}
            }
        }
        Ok((quota, year_gate))
    }

    /// The clawback line of reversal `c`: what each period it takes
    /// credit back from would have paid without that credit, less what it
    /// paid (the period worked out again from its window, with what
    /// earlier clawbacks took from it); for a deal of an earlier plan
    /// year, the credit at the rate its locked statement shows. With it,
    /// the part taken back from this plan year's periods.
    fn clawback(
        &self,
        ctx: &PersonCtx<'_>,
        (component, layout): (&Component, &Layout),
        Rework {
            windows,
            taken_back,
        }: &mut Rework,
        parts: &mut Parts,
        c: &Reversal<'_>,
    ) -> Result<(StatementLine, Decimal), CompError> {
        let plan = self.plan;
        let currency = plan.currency();
        let pay_without = |w: &Window, credit: Decimal, parts: &mut Parts| {
            let w = Window {
                measure: add(w.measure, credit)?,
                period_measure: add(w.period_measure, credit)?,
                year: match w.year {
                    Some((measure, quota, year)) => Some((add(measure, credit)?, quota, year)),
                    None => None,
                },
                ..*w
            };
            let mut e = evaluate(component, &w, currency, plan.rounding(), parts)?;
            parts.take_back(&mut e.calculation);
            Ok::<_, CompError>(e.amount)
        };
        let mut exact = Decimal::ZERO;
        let mut this_year = Decimal::ZERO;
        let mut credit = Decimal::ZERO;
        let mut paid_in = Vec::with_capacity(c.parts.len());
        for (at, share) in &c.parts {
            credit = add(credit, *share)?;
            match *at {
                CountedIn::Period(p) => {
                    let (Some(Some(w)), Some(taken)) = (windows.get(p), taken_back.get_mut(p))
                    else {
                        continue;
                    };
                    let before = pay_without(w, *taken, parts)?;
                    *taken = add(*taken, *share)?;
                    let after = pay_without(w, *taken, parts)?;
                    exact = add(exact, sub(after, before)?)?;
                    this_year = add(this_year, sub(after, before)?)?;
                    paid_in.push(w.period);
                }
                CountedIn::Earlier(date, transaction) => {
                    let (period, rate) =
                        self.earlier_rate(ctx, component, (c.line, transaction), date)?;
                    exact = add(exact, mul(*share, rate)?)?;
                    paid_in.push(period);
                }
            }
        }
        paid_in.sort();
        paid_in.dedup();
        let rounded = round(exact, currency, plan.rounding());
        let rate = if credit.is_zero() {
            Decimal::ZERO
        } else {
            div(exact, credit)?
        };
        let line = StatementLine {
            component: layout.name.clone(),
            amount: Money::new(rounded, currency),
            explanation: Explanation::Clawback(Box::new(Clawback {
                transaction: c.line.transaction().clone(),
                sale: c.line.sale().clone(),
                date: c.line.date(),
                credit,
                paid_in: paid_in.into(),
                taken: exact,
                rate,
                rounding: sub(rounded, exact)?,
            })),
        };
        Ok((line, this_year))
    }

    /// The component period of an earlier plan year that a deal's credit
    /// on `date` (by the credit line of `credited`) was counted in, and the
    /// rate it paid, from the person's locked statements of that year.
    fn earlier_rate(
        &self,
        ctx: &PersonCtx<'_>,
        component: &Component,
        (reversal, credited): (&CreditLine, &TransactionId),
        date: NaiveDate,
    ) -> Result<(Period, Decimal), CompError> {
        if let Some(found) = paid_rate(ctx.earlier, component.name(), date, credited)? {
            return Ok(found);
        }
        let calendar = self.plan.calendar();
        let year = calendar.year_of(date)?;
        let periods = component.period().periods(calendar, year)?;
        let period = match period_index(&periods, date).and_then(|i| periods.get(i)) {
            Some(p) => *p,
            // A year's periods cover it: not reached.
            None => calendar.year(year)?,
        };
        Err(CompError::PriorPayUnknown(Box::new(PriorPay {
            person: ctx.key.id.clone(),
            component: component.name().to_owned(),
            transaction: reversal.transaction().clone(),
            sale: reversal.sale().clone(),
            period,
        })))
    }

    /// The kicker factor of a deal for `component`, or `None` when the
    /// deal does not count for it.
    fn kick(
        &self,
        ci: usize,
        component: &Component,
        sale: &TransactionId,
    ) -> Result<Option<Decimal>, CompError> {
        if !component.needs_deals() {
            return Ok(self.layouts.get(ci).map(|l| l.kick));
        }
        let Some(Some(qualified)) = self.qualified.get(ci) else {
            return Err(CompError::UnknownDeal {
                component: component.name().to_owned(),
                sale: sale.clone(),
            });
        };
        match qualified.get(sale) {
            Some(k) => Ok(*k),
            None => Err(CompError::UnknownDeal {
                component: component.name().to_owned(),
                sale: sale.clone(),
            }),
        }
    }
}

/// How each of `ids` was converted into the plan's currency, for the ones
/// `run` converted (none without a run).
fn converted<'t>(
    run: Option<&CreditRun>,
    ids: impl Iterator<Item = &'t TransactionId>,
) -> List<Conversion> {
    let Some(run) = run else {
        return List::new();
    };
    List::from(
        ids.filter_map(|id| run.conversion(id).cloned())
            .collect::<Vec<_>>(),
    )
}

/// The one of `sources` (credit runs, or credited lines as columns)
/// measuring `component`'s measure, in the plan's currency when it is
/// money; `of` gives a source's measure and currency.
pub(super) fn source_for<'a, T: ?Sized>(
    plan: &CompPlan,
    component: &Component,
    sources: &[&'a T],
    of: impl Fn(&T) -> (&CreditBasis, Currency),
) -> Result<&'a T, CompError> {
    let Some(source) = sources
        .iter()
        .copied()
        .find(|s| of(s).0 == component.measure())
    else {
        return Err(CompError::MissingMeasure {
            component: component.name().to_owned(),
            measure: component.measure().clone(),
        });
    };
    let (basis, currency) = of(source);
    if basis.is_money() && currency != plan.currency() {
        return Err(CompError::CreditCurrency {
            measure: basis.clone(),
            expected: plan.currency(),
            found: currency,
        });
    }
    Ok(source)
}

impl Layout {
    /// `component`'s layout under `plan`, reading run `run`.
    fn new(plan: &CompPlan, component: &Component, run: usize) -> Result<Layout, CompError> {
        let periods = component.period().periods(plan.calendar(), plan.year())?;
        // The pay period each component period is paid in (the one of
        // its last day): a pay calendar that does not cover a
        // component's period is an error, never the first period.
        let pay = periods
            .iter()
            .map(|p| {
                period_index(plan.pay_periods(), p.last_day()).ok_or(CompError::OutsideYear {
                    date: p.last_day(),
                    year: plan.year_period(),
                })
            })
            .collect::<Result<_, _>>()?;
        let mut kick = Decimal::ONE;
        for kicker in component.kickers() {
            kick = mul(kick, kicker.factor().fraction())?;
        }
        Ok(Layout {
            periods,
            pay,
            run,
            kick,
            name: ComponentName::new(component.name()),
        })
    }
}

/// Empties `scratch.lines`, with room for `n_pays` pay periods.
fn clear_lines(scratch: &mut Scratch<'_>, n_pays: usize) {
    for period_lines in &mut scratch.lines {
        period_lines.clear();
    }
    if scratch.lines.len() < n_pays {
        scratch.lines.resize_with(n_pays, Vec::new);
    }
}

fn add_to(v: &mut [Decimal], k: usize, amount: Decimal) -> Result<(), MoneyError> {
    if let Some(x) = v.get_mut(k) {
        *x = add(*x, amount)?;
    }
    Ok(())
}

/// Adds to `v[k]` what a kicker added to a line (`credit - amount`),
/// with the result [`add`] and [`sub`] would give, digit for digit: a
/// zero plus `d` is `d`, and a nonzero value plus a zero is itself, so
/// most lines (no kicker) skip one operation or both.
fn add_uplift(
    v: &mut [Decimal],
    k: usize,
    credit: Decimal,
    amount: Decimal,
) -> Result<(), MoneyError> {
    if let Some(x) = v.get_mut(k) {
        if x.is_zero() {
            *x = sub(credit, amount)?;
        } else if credit != amount {
            *x = add(*x, sub(credit, amount)?)?;
        }
    }
    Ok(())
}

/// `amount` times a kicker's factor, as [`mul`] gives it, digit for
/// digit: times 1 written without decimals (no kicker, most lines), a
/// nonzero amount is itself, so the multiplication is skipped.
fn kicked(amount: Decimal, factor: Decimal) -> Result<Decimal, MoneyError> {
    if factor.scale() == 0 && factor.mantissa() == 1 && !amount.is_zero() {
        Ok(amount)
    } else {
        mul(amount, factor)
    }
}

/// The period (sorted, contiguous) containing `date`.
fn period_index(periods: &[Period], date: NaiveDate) -> Option<usize> {
    let i = periods.partition_point(|p| p.end() <= date);
    periods.get(i).filter(|p| p.contains(date)).map(|_| i)
}

/// The period among `periods` (sorted, contiguous, covering the plan
/// year: a component's periods or the pay periods) containing `date`, a
/// date of the plan year.
fn year_period_index(periods: &[Period], date: NaiveDate) -> usize {
    let found = period_index(periods, date);
    debug_assert!(found.is_some(), "{date} outside {periods:?}");
    // bound: the periods cover the plan year and `date` is in it, so the
    // fallback is never taken.
    found.unwrap_or(0)
}

/// A return, credit note or refund of a deal (a negative credit whose
/// transaction is not the sale itself); an unlinked credit note is a
/// negative credit of its own, counted in its period's measure.
fn is_reversal(line: &CreditLine) -> bool {
    line.amount().is_sign_negative() && line.transaction() != line.sale()
}

/// The rate a period paid its deals: its pay (less what a minimum added)
/// over what it sold (its sales' and payments' credit, before returns and
/// credit notes), and never below zero: a period that paid less than
/// nothing on its credits (a year-to-date true-up after a gate closed)
/// paid its deals nothing, so a reversal of one of them takes nothing
/// back, and never pays. Spread over what was sold rather than over the
/// net measure, a later return takes back no more than its share of what
/// the period paid, however many credit notes netted against it.
fn paid_rate_of(pay: Decimal, sold: Decimal) -> Result<Decimal, MoneyError> {
    if sold <= Decimal::ZERO {
        return Ok(Decimal::ZERO);
    }
    Ok(div(pay, sold)?.max(Decimal::ZERO))
}

/// What the component period containing `date` paid for the credit of
/// `transaction` in it, as `statements` (a person's locked statements of
/// an earlier plan year) show it: the period, and the rate its pay was
/// spread over what it sold. Per period, the earned line's amount (less
/// what a minimum added) over the period's [sold](Calculation::sold); year
/// to date, the window's earnings to date (the line's amount and what was
/// earned before, less what caps per period, a minimum or a hold changed
/// on the line) over what every period of the window sold. `None` when the
/// statements do not show it: no earned line of `component` for the date,
/// one that does not count `transaction` (a deal paid by an adjustment
/// after its period was locked), or a window whose periods are not all
/// there.
fn paid_rate(
    statements: &[&Statement],
    component: &str,
    date: NaiveDate,
    transaction: &TransactionId,
) -> Result<Option<(Period, Decimal)>, MoneyError> {
    use super::statement::Limit;
    let earned = || {
        statements
            .iter()
            .flat_map(|s| s.lines.iter())
            .filter(|l| l.component.as_str() == component)
            .filter_map(|l| match &l.explanation {
                Explanation::Earned(c) => Some((l.amount.amount(), c)),
                _ => None,
            })
    };
    let Some((amount, c)) = earned().find(|(_, c)| c.period.contains(date)) else {
        return Ok(None);
    };
    if !c.transactions.contains(transaction) {
        return Ok(None);
    }
    let mut pay = amount;
    let year_to_date = c.window.start() < c.period.start();
    if year_to_date {
        pay = add(pay, c.earned_before)?;
    }
    for limit in &c.limits {
        match limit {
            Limit::Minimum { effect, .. } => pay = sub(pay, *effect)?,
            Limit::PeriodCap { effect, .. } | Limit::Held { effect } if year_to_date => {
                pay = sub(pay, *effect)?;
            }
            _ => {}
        }
    }
    let mut sold = c.sold;
    if year_to_date {
        sold = Decimal::ZERO;
        let mut days: u32 = 0;
        let in_window = earned().filter(|(_, w)| {
            w.window.start() == c.window.start() && w.period.end() <= c.period.end()
        });
        for (_, w) in in_window {
            sold = add(sold, w.sold)?;
            let Some(more) = days.checked_add(w.period.days()) else {
                return Ok(None);
            };
            days = more;
        }
        // Every period of the window, once: otherwise what it sold is not
        // known.
        if days != c.window.days() {
            return Ok(None);
        }
    }
    Ok(Some((c.period, paid_rate_of(pay, sold)?)))
}

/// Gives each kind of list kept on `scratch`'s shelves one allocation,
/// and attaches the lists of `people`'s statements (the ones made since
/// the last settling) to it. Locked statements handed back unchanged
/// already have their lists, and keep them.
fn settle(scratch: &mut Scratch<'_>, people: &mut [Vec<Statement>]) {
    let txs = scratch.kept_txs.freeze();
    let slices = scratch.parts.kept_slices.freeze();
    let limits = scratch.parts.kept_limits.freeze();
    for line in scratch.kept_lines.kept_mut() {
        if let Explanation::Earned(c) = &mut line.explanation {
            c.transactions.attach(txs.as_ref());
            c.slices.attach(slices.as_ref());
            c.limits.attach(limits.as_ref());
        }
    }
    let lines = scratch.kept_lines.freeze();
    for statement in people.iter_mut().flatten() {
        statement.lines.attach(lines.as_ref());
    }
}

/// The sum of the totals of a person's `rows` (each `stride` long, its
/// total last).
fn sum_totals(rows: &[Decimal], stride: usize) -> Result<Decimal, MoneyError> {
    let mut sum = Decimal::ZERO;
    for row in rows.chunks(stride) {
        if let Some(t) = row.last() {
            sum = add(sum, *t)?;
        }
    }
    Ok(sum)
}

/// A locked statement's pay per component of `plan` into `row`, and its
/// total after them.
fn locked_sums(plan: &CompPlan, s: &Statement, row: &mut [Decimal]) -> Result<(), CompError> {
    for (slot, c) in row.iter_mut().zip(plan.components()) {
        *slot = s.component_total(c.name())?.amount();
    }
    if let Some(slot) = row.last_mut() {
        *slot = s.total.amount();
    }
    Ok(())
}

/// An open period's `lines` summed per component of `plan` into `row`
/// (the total, its last slot, is the caller's).
fn open_sums(
    plan: &CompPlan,
    lines: &[StatementLine],
    row: &mut [Decimal],
) -> Result<(), CompError> {
    let zero = round(Decimal::ZERO, plan.currency(), plan.rounding());
    row.fill(zero);
    for l in lines {
        let at = plan
            .components()
            .iter()
            .position(|c| c.name() == l.component.as_str());
        if let Some(slot) = at.and_then(|c| row.get_mut(c)) {
            *slot = add(*slot, l.amount.amount())?;
        }
    }
    Ok(())
}

/// Lines in plan order: per component, earned, adjustments, clawbacks.
fn sort_lines(plan: &CompPlan, lines: &mut [StatementLine]) {
    let rank = |l: &StatementLine| {
        let c = plan
            .components()
            .iter()
            .position(|c| c.name() == l.component.as_str())
            .unwrap_or(usize::MAX);
        let kind = match &l.explanation {
            Explanation::Earned(_) => 0,
            Explanation::Adjustment(_) => 1,
            Explanation::Clawback(_) => 2,
            Explanation::Approved(_) | Explanation::Carried(_) | Explanation::Hold(_) => 3,
        };
        (c, kind)
    };
    lines.sort_by_key(|l| rank(l));
}

/// The draw for a pay period: its line, the total payable and the balance
/// after it.
fn draw_line(
    draw: Option<&Draw>,
    period: &Period,
    earned: Decimal,
    balance: Decimal,
    currency: Currency,
) -> Result<(Option<DrawLine>, Decimal, Decimal), CompError> {
    // Every amount here is in whole minor units: written with that scale.
    let money = |d: Decimal| Money::new(d, currency).round(crate::money::RoundingPolicy::default());
    let Some(draw) = draw else {
        return Ok((None, earned, balance));
    };
    let amount = draw.amount().amount();
    let running = draw.during().contains(period.start());
    let (advanced, recovered, recoverable) = match draw {
        Draw::Recoverable {
            recover_from,
            floor,
            ..
        } => {
            if running && earned < amount {
                (sub(amount, earned)?, Decimal::ZERO, true)
            } else if balance > Decimal::ZERO && recover_from.is_none_or(|d| period.start() >= d) {
                let room = sub(earned, floor.amount())?.max(Decimal::ZERO);
                (Decimal::ZERO, balance.min(room), true)
            } else {
                (Decimal::ZERO, Decimal::ZERO, true)
            }
        }
        Draw::NonRecoverable { .. } => {
            if running && earned < amount {
                (sub(amount, earned)?, Decimal::ZERO, false)
            } else {
                (Decimal::ZERO, Decimal::ZERO, false)
            }
        }
    };
    if !running && !recoverable {
        return Ok((None, earned, balance));
    }
    if !running && recoverable && balance.is_zero() {
        return Ok((None, earned, balance));
    }
    let after = if recoverable {
        sub(add(balance, advanced)?, recovered)?
    } else {
        balance
    };
    let total = sub(add(earned, advanced)?, recovered)?;
    Ok((
        Some(DrawLine {
            recoverable,
            amount: money(amount),
            earned: money(earned),
            advanced: money(advanced),
            recovered: money(recovered),
            balance_before: money(balance),
            balance_after: money(after),
        }),
        total,
        after,
    ))
}

/// The engine on credited lines held as columns: a child of this module
/// (it reads the engine's private parts), in a file of its own.
#[path = "engine_columns.rs"]
mod columns;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Any `Decimal` the crate can hold: a 96-bit mantissa, either sign,
    /// scale 0 to 28, zeros of every scale included.
    fn decimal() -> impl Strategy<Value = Decimal> {
        const MAX: i128 = (1 << 96) - 1;
        let make = |(m, s, neg): (i128, u32, bool)| {
            let mut d = Decimal::try_from_i128_with_scale(m, s).unwrap();
            d.set_sign_negative(neg);
            d
        };
        prop_oneof![
            (-1_000_000_i128..=1_000_000, 0_u32..=6, Just(false)).prop_map(make),
            (-MAX..=MAX, 0_u32..=28, Just(false)).prop_map(make),
            (Just(0_i128), 0_u32..=28, any::<bool>()).prop_map(make),
        ]
    }

    proptest! {
        // The shortcuts give what the full operations give, bit for bit
        // (scale and sign of zero included): the JSON of a statement must
        // not depend on them. Checked here in case `rust_decimal` changes.
        #[test]
        fn uplift_shortcut_matches_add_and_sub(x in decimal(), amount in decimal(), kick in decimal(), same: bool, zero_x: bool) {
            let credit = if same { amount } else { kick };
            let x = if zero_x { Decimal::ZERO } else { x };
            let full = sub(credit, amount).and_then(|d| add(x, d));
            let mut v = [x];
            let short = add_uplift(&mut v, 0, credit, amount).map(|()| v[0]);
            match (full, short) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a.serialize(), b.serialize(), "{} {} {}", x, credit, amount),
                (a, b) => prop_assert_eq!(a.is_ok(), b.is_ok()),
            }
        }

        #[test]
        fn kicked_matches_mul(amount in decimal(), factor in decimal(), one: bool) {
            let factor = if one { Decimal::ONE } else { factor };
            let full = mul(amount, factor);
            let short = kicked(amount, factor);
            match (full, short) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a.serialize(), b.serialize(), "{} {}", amount, factor),
                (a, b) => prop_assert_eq!(a.is_ok(), b.is_ok()),
            }
        }
    }
}
