//! Statements: what a person is paid for a pay period, line by line, each
//! line with the explanation that produced it.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::plan::PayRate;
use crate::calendar::Period;
use crate::credit::Conversion;
use crate::ids::{IdText, PersonId, PlanId, TransactionId};
use crate::list::List;
use crate::money::{Currency, Money, Rate};

/// A component's name, as statement lines carry it: cheap to clone (kept
/// inline up to 22 bytes, shared beyond), so a million statements do not
/// allocate a string per line. It reads, prints, compares and serializes
/// as the plain text.
///
/// ```
/// use salesplan::comp::ComponentName;
///
/// let name = ComponentName::new("Revenue");
/// assert_eq!(name, "Revenue");
/// assert_eq!("Revenue", name);
/// assert_eq!(name.to_string(), "Revenue");
/// assert!(name.starts_with("Rev")); // a `str` underneath
///
/// let long = ComponentName::new("New-logo revenue, enterprise segment");
/// assert_eq!(long.as_str(), "New-logo revenue, enterprise segment");
/// assert!(long < name); // in the order of `str`
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(from = "String", into = "String"))]
pub struct ComponentName(IdText);

impl ComponentName {
    /// The name `text`.
    pub fn new(text: &str) -> ComponentName {
        ComponentName(IdText::stored(text))
    }

    /// The name's text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl std::ops::Deref for ComponentName {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for ComponentName {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for ComponentName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for ComponentName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&str> for ComponentName {
    fn from(text: &str) -> ComponentName {
        ComponentName::new(text)
    }
}

impl From<String> for ComponentName {
    fn from(text: String) -> ComponentName {
        ComponentName::new(&text)
    }
}

impl From<ComponentName> for String {
    fn from(name: ComponentName) -> String {
        name.as_str().to_owned()
    }
}

impl PartialEq<str> for ComponentName {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ComponentName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for ComponentName {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<ComponentName> for str {
    fn eq(&self, other: &ComponentName) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<ComponentName> for &str {
    fn eq(&self, other: &ComponentName) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<ComponentName> for String {
    fn eq(&self, other: &ComponentName) -> bool {
        self == other.as_str()
    }
}

// No `Borrow<str>`: the hash is of the stored form, not of the `str`, so a
// map keyed by names could not be searched by `&str`.

/// One slice of a measure paid at one rate: `measure × rate × multiplier`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Slice {
    /// Where the slice starts (in measure units).
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub from: Decimal,
    /// Where it ends.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub to: Decimal,
    /// The tier whose rate applies (index in the rate table; 0 for a flat
    /// rate).
    pub tier: usize,
    /// The tier's rate.
    pub rate: PayRate,
    /// The multiplier band's factor (1 outside every band).
    pub multiplier: Rate,
    /// Whether an accelerator was held back by a closed gate (the factor
    /// shown is then 1).
    pub withheld: bool,
    /// `(to − from) × rate × multiplier`, exact.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub pay: Decimal,
}

/// A gate's check.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct GateCheck {
    /// The period attainment was measured on.
    pub measured_on: Period,
    /// The attainment found.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub attainment: Decimal,
    /// The threshold.
    pub threshold: Rate,
    /// Whether it is open.
    pub open: bool,
    /// What the gate takes off the line (zero or negative).
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub effect: Decimal,
}

/// What a cap or minimum did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Limit {
    /// A cap per period took `effect` off (zero or negative).
    PeriodCap {
        /// The cap.
        cap: Money,
        /// What it took off.
        #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
        effect: Decimal,
    },
    /// A cap per plan year: `remaining` was left of it before this period.
    YearCap {
        /// The cap.
        cap: Money,
        /// What was left of it.
        #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
        remaining: Decimal,
        /// What it took off.
        #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
        effect: Decimal,
    },
    /// Year to date, a period of net returns (its own credits below zero)
    /// pays nothing more: what its window earned to date beyond what was
    /// paid for before (`−effect`) waits for the next period whose own
    /// credits are not net returns, or the year's last period, and is paid
    /// there.
    Held {
        /// What it held back (negative).
        #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
        effect: Decimal,
    },
    /// A minimum added `effect` (zero or positive).
    Minimum {
        /// The minimum.
        minimum: Money,
        /// What it added.
        #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
        effect: Decimal,
    },
}

impl Limit {
    /// What the limit changed, signed.
    pub const fn effect(&self) -> Decimal {
        match self {
            Limit::PeriodCap { effect, .. }
            | Limit::YearCap { effect, .. }
            | Limit::Held { effect }
            | Limit::Minimum { effect, .. } => *effect,
        }
    }
}

/// How a component's earnings for a period were worked out.
///
/// The parts add up exactly to the line's amount:
/// `Σ slices.pay + gate.effect + Σ limits.effect + rounding − earned_before`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Calculation {
    /// The component's period.
    pub period: Period,
    /// The window measured: the period, or the year to its end.
    pub window: Period,
    /// The credits counted in the window, kickers included.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub measure: Decimal,
    /// What kickers added to the credits.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub kicker_uplift: Decimal,
    /// The credit of the period's own sales and payments, kickers
    /// included, before its returns and credit notes: what the period's
    /// pay is spread over when one of its deals is reversed later (see
    /// [`Clawback::rate`]).
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub sold: Decimal,
    /// The transactions credited in the window, by id.
    #[cfg_attr(feature = "serde", serde(default))]
    pub(crate) transactions: List<TransactionId>,
    /// How the transactions booked in another currency were converted
    /// into the plan's: each one's original amount, rate and rate date.
    #[cfg_attr(feature = "serde", serde(default))]
    pub(crate) conversions: List<Conversion>,
    /// The window's quota, when the component needs one.
    #[cfg_attr(feature = "serde", serde(default, with = "crate::money::dec_opt"))]
    pub quota: Option<Decimal>,
    /// `measure / quota` (1 is 100%), when there is a quota.
    #[cfg_attr(feature = "serde", serde(default, with = "crate::money::dec_opt"))]
    pub attainment: Option<Decimal>,
    /// The slices paid.
    #[cfg_attr(feature = "serde", serde(default))]
    pub(crate) slices: List<Slice>,
    /// The gate, if the component has one (boxed: most components have
    /// none, and a statement line keeps the calculation inline).
    #[cfg_attr(feature = "serde", serde(default))]
    pub gate: Option<Box<GateCheck>>,
    /// Caps and minimums, in the order applied.
    #[cfg_attr(feature = "serde", serde(default))]
    pub(crate) limits: List<Limit>,
    /// Rounding to the currency's minor unit.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub rounding: Decimal,
    /// Earned to the end of the last period that paid (year-to-date
    /// components; zero otherwise), subtracted.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub earned_before: Decimal,
}

impl Calculation {
    /// The transactions credited in the window, by id.
    pub fn transactions(&self) -> &[TransactionId] {
        &self.transactions
    }

    /// How the transactions booked in another currency were converted
    /// into the plan's currency (original amount, rate, rate date, amount
    /// credited), in the order of [`transactions`](Self::transactions).
    pub fn conversions(&self) -> &[Conversion] {
        &self.conversions
    }

    /// The slices paid.
    pub fn slices(&self) -> &[Slice] {
        &self.slices
    }

    /// Caps and minimums, in the order applied.
    pub fn limits(&self) -> &[Limit] {
        &self.limits
    }
}

/// A reversal clawing back what its deal earned.
///
/// The line is `taken + rounding`. In this plan year, `taken` is what the
/// periods the deal was paid in would have paid without the reversed
/// credit, less what they paid: each period worked out again, with its own
/// quota, tiers, gate, caps and minimum, as if the credit had been reversed
/// in it (so a deal and its full return net to zero). A deal of an earlier
/// plan year, whose plan is closed, is taken back at the rate its locked
/// statement shows (see [`Calculation::sold`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Clawback {
    /// The return, credit note or refund.
    pub transaction: TransactionId,
    /// The deal it reverses.
    pub sale: TransactionId,
    /// When the reversal was credited.
    pub date: NaiveDate,
    /// The credit taken back from earlier periods (negative), kickers
    /// included. (A part of the reversal that falls in a period the deal
    /// was credited in nets in that period's measure instead.)
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub credit: Decimal,
    /// The component periods the deal was paid in.
    pub(crate) paid_in: List<Period>,
    /// What those periods pay less without the credit (zero or negative).
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub taken: Decimal,
    /// `taken / credit`: the rate the reversed credit was paid at. For a
    /// deal of an earlier plan year, its period's pay (less what a minimum
    /// added) over what it [sold](Calculation::sold), never below zero.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub rate: Decimal,
    /// Rounding of `taken` to the minor unit.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub rounding: Decimal,
}

impl Clawback {
    /// The component periods the deal was paid in.
    pub fn paid_in(&self) -> &[Period] {
        &self.paid_in
    }
}

/// A correction to a locked period, paid in the open one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Correction {
    /// The locked pay period.
    pub period: Period,
    /// What the component pays for it now, with every credit known.
    pub now: Money,
    /// What was paid for it.
    pub paid: Money,
}

/// Why a statement line has its amount.
#[expect(
    clippy::large_enum_variant,
    reason = "nearly every line is earned: boxing its calculation would allocate once per line"
)]
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Explanation {
    /// Earned in a component period.
    Earned(Calculation),
    /// A deal reversed after the period it was paid in.
    Clawback(Box<Clawback>),
    /// Locked periods that would pay differently now; the line is the sum
    /// of the differences.
    Adjustment(Box<[Correction]>),
    /// An approved one-off adjustment, with its audit trail (see
    /// [`Statement::adjust`]).
    Approved(Box<super::AuditTrail>),
    /// Pay a cap per period took off, carried forward (see
    /// [`carry_capped`](super::carry_capped)).
    Carried(Box<super::CarriedCap>),
    /// Part of an earned line held until the customer pays, or its
    /// release (see [`HoldPolicy`](super::HoldPolicy)).
    Hold(Box<super::HoldLine>),
}

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct StatementLine {
    /// The component.
    pub component: ComponentName,
    /// The amount, in whole minor units.
    pub amount: Money,
    /// How it came to be.
    pub explanation: Explanation,
}

/// The draw's effect on a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct DrawLine {
    /// Whether the draw is recoverable.
    pub recoverable: bool,
    /// The draw per pay period.
    pub amount: Money,
    /// The period's earnings before the draw (the sum of the lines).
    pub earned: Money,
    /// Advanced (recoverable) or guaranteed (non-recoverable) on top.
    pub advanced: Money,
    /// Recovered from the earnings.
    pub recovered: Money,
    /// The balance still to recover before this period.
    pub balance_before: Money,
    /// And after it.
    pub balance_after: Money,
}

/// A person's statement for one pay period.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Statement {
    /// The person.
    pub person: PersonId,
    /// The plan.
    pub plan: PlanId,
    /// The pay period.
    pub period: Period,
    /// The lines: per component (in plan order), earnings, then
    /// adjustments, then clawbacks by transaction.
    pub(crate) lines: List<StatementLine>,
    /// The draw, when the plan has one and it ran this period (boxed:
    /// most plans have none).
    #[cfg_attr(feature = "serde", serde(default))]
    pub draw: Option<Box<DrawLine>>,
    /// Total payable: the lines, plus advanced, minus recovered. Negative
    /// when clawbacks exceed earnings.
    pub total: Money,
}

impl Statement {
    /// The lines: per component (in plan order), earnings, then
    /// adjustments, then clawbacks by transaction.
    pub fn lines(&self) -> &[StatementLine] {
        &self.lines
    }

    /// The currency.
    pub const fn currency(&self) -> Currency {
        self.total.currency()
    }

    /// The sum of the lines of `component`.
    ///
    /// # Errors
    ///
    /// [`MoneyError`](crate::money::MoneyError) on overflow.
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
    /// let rate = |s: &str| RateTable::Flat(PayRate::Percent(s.parse().unwrap()));
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month, rate("10%")))
    ///     .component(Component::new("Growth", CreditBasis::Revenue, CompPeriod::Month, rate("2%")))
    ///     .build()?;
    /// let january = &Commissions::new(&plan, &[&run])?.statements(&ann, &Quotas::new(), &[], d(1, 31))?[0];
    /// assert_eq!(january.component_total("Growth")?.to_string(), "80.00 USD");
    /// assert_eq!(january.total.to_string(), "480.00 USD");
    /// assert!(january.component_total("Other")?.is_zero());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn component_total(&self, component: &str) -> Result<Money, crate::money::MoneyError> {
        Money::checked_sum(
            self.total.currency(),
            self.lines
                .iter()
                .filter(|l| l.component.as_str() == component)
                .map(|l| l.amount),
        )
    }
}

/// A percentage with two decimals, for reading.
struct Pct(Decimal);

impl fmt::Display for Pct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let points = self
            .0
            .checked_mul(Decimal::ONE_HUNDRED)
            .map_or(self.0, |p| p.round_dp(2).normalize());
        write!(f, "{points}%")
    }
}

/// A decimal shown to `places` decimal places, with "about" in front when
/// that rounds it (an effective rate or a rounding difference can run to
/// 28 places; the line's data keeps them all).
struct About(Decimal, u32);

impl fmt::Display for About {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = self.0.round_dp(self.1);
        if shown == self.0 {
            write!(f, "{}", shown.normalize())
        } else {
            write!(f, "about {}", shown.normalize())
        }
    }
}

/// A decimal trimmed of trailing zeros.
struct Num(Decimal);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

impl fmt::Display for Statement {
    /// A statement as a rep would read it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cur = self.total.currency();
        writeln!(
            f,
            "Commission statement for {}, plan {}, {} to {}",
            self.person,
            self.plan,
            self.period.start(),
            self.period.last_day()
        )?;
        for line in &self.lines {
            writeln!(f, "  {}: {}", line.component, line.amount)?;
            match &line.explanation {
                Explanation::Earned(c) => write_calculation(f, c, cur)?,
                Explanation::Clawback(c) => {
                    writeln!(
                        f,
                        "    clawback: {} on {} reverses {} of deal {} (paid in {}): {} at {}%",
                        c.transaction,
                        c.date,
                        Num(c.credit),
                        c.sale,
                        join_periods(&c.paid_in),
                        Num(c.taken),
                        About(
                            c.rate.checked_mul(Decimal::ONE_HUNDRED).unwrap_or(c.rate),
                            2
                        )
                    )?;
                    if !c.rounding.is_zero() {
                        writeln!(f, "    rounded by {}", About(c.rounding, 6))?;
                    }
                }
                Explanation::Approved(t) => super::adjustment::write_trail(f, t)?,
                Explanation::Carried(c) => super::carry::write_carried(f, c)?,
                Explanation::Hold(h) => super::holds::write_hold(f, h)?,
                Explanation::Adjustment(corrections) => {
                    for c in corrections {
                        writeln!(
                            f,
                            "    correction to locked {} to {}: now {}, paid {}",
                            c.period.start(),
                            c.period.last_day(),
                            c.now,
                            c.paid
                        )?;
                    }
                }
            }
        }
        if let Some(d) = &self.draw {
            let kind = if d.recoverable {
                "recoverable draw"
            } else {
                "guaranteed minimum"
            };
            writeln!(f, "  {kind} of {}: earned {}", d.amount, d.earned)?;
            if !d.advanced.is_zero() {
                writeln!(f, "    advanced {}", d.advanced)?;
            }
            if !d.recovered.is_zero() {
                writeln!(f, "    recovered {}", d.recovered)?;
            }
            if d.recoverable {
                writeln!(
                    f,
                    "    balance to recover: {} before, {} after",
                    d.balance_before, d.balance_after
                )?;
            }
        }
        write!(f, "  Total payable: {}", self.total)
    }
}

fn join_periods(periods: &[Period]) -> String {
    periods
        .iter()
        .map(|p| format!("{} to {}", p.start(), p.last_day()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `d` exact, without trailing zeros beyond the currency's minor units.
fn exact(d: Decimal, cur: Currency) -> Money {
    let mut d = d.normalize();
    if d.scale() < u32::from(cur.minor_units()) {
        d.rescale(u32::from(cur.minor_units()));
    }
    Money::new(d, cur)
}

fn write_calculation(f: &mut fmt::Formatter<'_>, c: &Calculation, cur: Currency) -> fmt::Result {
    write!(
        f,
        "    measured {} to {}: {} from {} transaction{}",
        c.window.start(),
        c.window.last_day(),
        Num(c.measure),
        c.transactions.len(),
        if c.transactions.len() == 1 { "" } else { "s" }
    )?;
    if !c.kicker_uplift.is_zero() {
        write!(f, " (kickers added {})", Num(c.kicker_uplift))?;
    }
    writeln!(f)?;
    for fx in &c.conversions {
        writeln!(f, "    converted {fx}")?;
    }
    if let (Some(q), Some(a)) = (c.quota, c.attainment) {
        writeln!(f, "    quota {}, attainment {}", Num(q), Pct(a))?;
    }
    for s in &c.slices {
        write_slice(f, s, cur)?;
    }
    if let Some(g) = &c.gate {
        write_gate(f, g, cur)?;
    }
    for l in &c.limits {
        write_limit(f, l, cur)?;
    }
    if !c.rounding.is_zero() {
        writeln!(f, "    rounding: {}", Num(c.rounding))?;
    }
    if !c.earned_before.is_zero() {
        writeln!(f, "    less earned before: {}", exact(c.earned_before, cur))?;
    }
    Ok(())
}

fn write_slice(f: &mut fmt::Formatter<'_>, s: &Slice, cur: Currency) -> fmt::Result {
    write!(
        f,
        "    {} to {}: {} at {}",
        Num(s.from),
        Num(s.to),
        Num(s.to.checked_sub(s.from).unwrap_or_default()),
        s.rate
    )?;
    if s.multiplier != Rate::ONE {
        write!(f, " x{}", Num(s.multiplier.fraction()))?;
    }
    if s.withheld {
        write!(f, " (accelerator held back by the gate)")?;
    }
    writeln!(f, " = {}", exact(s.pay, cur))
}

fn write_gate(f: &mut fmt::Formatter<'_>, g: &GateCheck, cur: Currency) -> fmt::Result {
    writeln!(
        f,
        "    gate at {} on {} to {}: attainment {}, {}",
        g.threshold,
        g.measured_on.start(),
        g.measured_on.last_day(),
        Pct(g.attainment),
        if g.open { "open" } else { "closed" }
    )?;
    if !g.effect.is_zero() {
        writeln!(f, "    held back by the gate: {}", exact(g.effect, cur))?;
    }
    Ok(())
}

/// A limit that changed the pay; one that did not is left out.
fn write_limit(f: &mut fmt::Formatter<'_>, l: &Limit, cur: Currency) -> fmt::Result {
    let money = |d: Decimal| exact(d, cur);
    match l {
        Limit::PeriodCap { cap, effect } if !effect.is_zero() => {
            writeln!(f, "    capped at {cap} per period: {}", money(*effect))
        }
        Limit::YearCap {
            cap,
            remaining,
            effect,
        } if !effect.is_zero() => writeln!(
            f,
            "    capped at {cap} per year ({} left): {}",
            money(*remaining),
            money(*effect)
        ),
        Limit::Held { effect } if !effect.is_zero() => writeln!(
            f,
            "    held for a later period (net returns here): {}",
            money(*effect)
        ),
        Limit::Minimum { minimum, effect } if !effect.is_zero() => writeln!(
            f,
            "    raised to the minimum {minimum}: +{}",
            money(*effect)
        ),
        _ => Ok(()),
    }
}
