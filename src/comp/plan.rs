//! Commission plans as data: components, rate tables, tiers, multipliers,
//! gates, cliffs, caps, minimums, kickers, SPIFF windows and draws.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::calendar::{DateRange, FiscalCalendar, Period};
use crate::comp::CompError;
use crate::credit::{CreditBasis, CreditKind};
use crate::ids::{AccountId, PlanId, ProductGroupId, ProductId};
use crate::money::{Currency, Money, Rate, RoundingPolicy};

/// The period a component measures and pays over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum CompPeriod {
    /// A fiscal month.
    Month,
    /// A fiscal quarter.
    Quarter,
    /// The plan year.
    Year,
}

impl CompPeriod {
    /// The periods of `year` on `calendar`, in order.
    pub(crate) fn periods(
        self,
        calendar: &FiscalCalendar,
        year: i32,
    ) -> Result<Vec<Period>, CompError> {
        Ok(match self {
            CompPeriod::Month => calendar.months(year)?.to_vec(),
            CompPeriod::Quarter => calendar.quarters(year)?.to_vec(),
            CompPeriod::Year => vec![calendar.year(year)?],
        })
    }
}

/// How a component's periods relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Accumulation {
    /// Each period stands alone: its measure against its quota, its own
    /// tiers, caps and minimums.
    #[default]
    PerPeriod,
    /// Year to date: the measure and quota accumulate from the start of
    /// the plan year, tiers apply to the totals so far, and each period
    /// pays what was earned to date minus what was earned before it, so a
    /// late deal is trued up in the next period.
    YearToDate,
}

/// A rate: a percentage of a money measure (revenue, margin) or an
/// amount per unit of a quantity measure (units, deals, a measure of your
/// own, for example 250 USD per deal for a SPIFF).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum PayRate {
    /// A share of a money measure: 10% of revenue.
    Percent(Rate),
    /// An amount per unit of a quantity measure: 250 USD per deal.
    PerUnit(Money),
}

impl PayRate {
    /// What one unit of the measure pays: the rate's fraction, or the
    /// amount per unit.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::comp::PayRate;
    /// use salesplan::{Currency, Money};
    ///
    /// assert_eq!(PayRate::Percent("12.5%".parse()?).factor(), Decimal::new(125, 3));
    /// let per_deal = PayRate::PerUnit(Money::parse("250.00", Currency::USD)?);
    /// assert_eq!(per_deal.factor(), Decimal::new(25000, 2));
    /// assert_eq!(per_deal.to_string(), "250.00 USD each");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn factor(&self) -> Decimal {
        match self {
            PayRate::Percent(rate) => rate.fraction(),
            PayRate::PerUnit(money) => money.amount(),
        }
    }
}

impl std::fmt::Display for PayRate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PayRate::Percent(rate) => write!(f, "{rate}"),
            PayRate::PerUnit(money) => write!(f, "{money} each"),
        }
    }
}

/// What tier bounds are measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum TierBasis {
    /// The measure itself: tiers of 0-5,000 and 5,000 up.
    Measure,
    /// Attainment of quota as a fraction: tiers of 0-1 and 1 up (0-100%,
    /// 100% up). The bounds become measure amounts by multiplying them by
    /// the period's quota.
    Attainment,
}

/// How tiers pay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum TierMethod {
    /// Graduated: each slice of the measure at its own tier's rate.
    Marginal,
    /// Flat: the whole measure at the rate of the highest tier reached.
    Retroactive,
}

/// One tier: the measure above `from` and up to `to` (open-ended when
/// `None`, only in the last tier).
///
/// A tier covers `(from, to]`: the measure *reaches* a tier when it exceeds
/// the tier's lower bound, so with tiers of 10% up to 5,000 and 12% above,
/// 5,000 exactly is paid at 10% under retroactive tiers. (Marginal tiers
/// pay the same either way.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Tier {
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    from: Decimal,
    #[cfg_attr(feature = "serde", serde(default, with = "crate::money::dec_opt"))]
    to: Option<Decimal>,
    rate: PayRate,
}

impl Tier {
    /// A tier from `from` up to `to` (open-ended when `None`) at `rate`.
    ///
    /// # Examples
    ///
    /// Retroactive tiers on attainment: the whole measure at the rate of the
    /// highest tier reached, and exactly 100% is still in the first tier.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Component, PayRate, RateTable, Tier, TierBasis, TierMethod};
    /// use salesplan::credit::CreditBasis;
    /// use salesplan::{Currency, Money, PlanId, Rate};
    ///
    /// let rate = |s: &str| s.parse::<Rate>().unwrap();
    /// let tiers = RateTable::Tiered {
    ///     basis: TierBasis::Attainment,
    ///     method: TierMethod::Retroactive,
    ///     tiers: vec![
    ///         Tier::new(Decimal::ZERO, Some(Decimal::ONE), PayRate::Percent(rate("5%"))),
    ///         Tier::new(Decimal::ONE, None, PayRate::Percent(rate("8%"))),
    ///     ],
    /// };
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter, tiers))
    ///     .build()?;
    /// let quota = Money::parse("100000", Currency::USD)?;
    /// let curve = plan.payout_curve("Revenue", quota, &[rate("100%"), rate("110%")])?;
    /// let paid: Vec<String> = curve.iter().map(|p| p.payout.to_string()).collect();
    /// assert_eq!(paid, ["5000.00 USD", "8800.00 USD"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn new(from: Decimal, to: Option<Decimal>, rate: PayRate) -> Tier {
        Tier { from, to, rate }
    }

    /// The lower bound.
    pub const fn from(&self) -> Decimal {
        self.from
    }

    /// The upper bound, `None` when open-ended.
    pub const fn to(&self) -> Option<Decimal> {
        self.to
    }

    /// The rate.
    pub const fn rate(&self) -> PayRate {
        self.rate
    }
}

/// The rate structure of a component.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum RateTable {
    /// One rate on the whole measure.
    Flat(PayRate),
    /// Tiers, sorted, contiguous, starting at zero, open-ended only in the
    /// last (checked when the plan is built).
    Tiered {
        /// What the bounds measure.
        basis: TierBasis,
        /// Marginal or retroactive.
        method: TierMethod,
        /// The tiers, lowest first.
        tiers: Vec<Tier>,
    },
}

/// A multiplier on the rate for the part of the measure between two
/// attainment levels: an accelerator (`factor` above 1, for example ×1.5
/// above 100% of quota) or a decelerator (below 1, for example ×0.5 below
/// 50%). Bands apply marginally, like tiers: only the slice of the measure
/// inside the band is multiplied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Multiplier {
    from: Rate,
    #[cfg_attr(feature = "serde", serde(default))]
    to: Option<Rate>,
    factor: Rate,
}

impl Multiplier {
    /// `factor` on the measure between `from` and `to` of quota.
    pub const fn new(from: Rate, to: Option<Rate>, factor: Rate) -> Multiplier {
        Multiplier { from, to, factor }
    }

    /// An accelerator: `factor` on everything above `threshold` of quota.
    pub const fn above(threshold: Rate, factor: Rate) -> Multiplier {
        Multiplier::new(threshold, None, factor)
    }

    /// A decelerator: `factor` on the measure up to `threshold` of quota,
    /// whatever the attainment (bands apply marginally: the slice below
    /// the threshold stays at `factor` when attainment passes it, and
    /// what lies above is paid at full rate).
    ///
    /// # Examples
    ///
    /// Half rate on the measure up to 50% of quota (at 80%: 50,000 at 5%
    /// and 30,000 at 10%):
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Component, PayRate, RateTable, Multiplier};
    /// use salesplan::credit::CreditBasis;
    /// use salesplan::{Currency, Money, PlanId, Rate};
    ///
    /// let rate = |s: &str| s.parse::<Rate>().unwrap();
    /// let ten_percent = RateTable::Flat(PayRate::Percent(rate("10%")));
    /// let revenue = Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter, ten_percent)
    ///     .multiplier(Multiplier::below(rate("50%"), rate("50%")));
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(revenue)
    ///     .build()?;
    /// let quota = Money::parse("100000", Currency::USD)?;
    /// let curve = plan.payout_curve("Revenue", quota, &[rate("40%"), rate("80%")])?;
    /// let paid: Vec<String> = curve.iter().map(|p| p.payout.to_string()).collect();
    /// assert_eq!(paid, ["2000.00 USD", "5500.00 USD"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const fn below(threshold: Rate, factor: Rate) -> Multiplier {
        Multiplier::new(Rate::ZERO, Some(threshold), factor)
    }

    /// The lower attainment bound.
    pub const fn from(&self) -> Rate {
        self.from
    }

    /// The upper attainment bound, `None` when open-ended.
    pub const fn to(&self) -> Option<Rate> {
        self.to
    }

    /// The factor on the rate.
    pub const fn factor(&self) -> Rate {
        self.factor
    }
}

/// Where a gate's attainment is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum GatePeriod {
    /// The component's own period (or its year to date).
    Component,
    /// The plan year: the measure from the start of the year to the end of
    /// the component period, against the whole year's quota.
    Year,
}

/// What a closed gate holds back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum GateHolds {
    /// The whole component: nothing is paid.
    Everything,
    /// Only the accelerators: multipliers above 1 count as 1.
    Accelerators,
}

/// A gate: below `threshold` attainment, nothing is paid (or no
/// accelerator); at or above it, the component pays in full, from the
/// first unit. With [`Accumulation::YearToDate`], what a closed gate held
/// back is paid when it opens, since the period pays earned-to-date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Gate {
    threshold: Rate,
    measured_on: GatePeriod,
    holds: GateHolds,
}

impl Gate {
    /// Holds `holds` back while attainment on `measured_on` is below
    /// `threshold`.
    pub const fn new(threshold: Rate, measured_on: GatePeriod, holds: GateHolds) -> Gate {
        Gate {
            threshold,
            measured_on,
            holds,
        }
    }

    /// The attainment that opens the gate.
    pub const fn threshold(&self) -> Rate {
        self.threshold
    }

    /// Where attainment is measured.
    pub const fn measured_on(&self) -> GatePeriod {
        self.measured_on
    }

    /// What a closed gate holds back.
    pub const fn holds(&self) -> GateHolds {
        self.holds
    }
}

/// A cap on what a component pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Cap {
    /// At most this much per period.
    PerPeriod(Money),
    /// At most this much over the plan year: once reached, later periods
    /// pay nothing more.
    PerYear(Money),
    /// Measure above this attainment earns nothing.
    Attainment(Rate),
}

/// What a deal must be for a kicker or a component's scope to take it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Qualifier {
    /// A sale of this product.
    Product(ProductId),
    /// A sale of this product group.
    ProductGroup(ProductGroupId),
    /// A sale to this account.
    Account(AccountId),
    /// A sale whose caller-named measure is at least `value`
    /// (for example `contract_years` ≥ 2 for multi-year deals).
    MeasureAtLeast {
        /// The measure's name.
        name: String,
        /// The smallest qualifying value.
        #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
        value: Decimal,
    },
}

/// A kicker: qualifying deals count `factor` times their credit in the
/// component's measure (multi-year deals ×1.1). A deal that qualifies for
/// several kickers counts the product of their factors. Its returns count
/// the same, so they claw back what the kicker paid.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Kicker {
    name: String,
    #[cfg_attr(feature = "serde", serde(default))]
    qualifies: Vec<Qualifier>,
    factor: Rate,
}

impl Kicker {
    /// Deals meeting every qualifier count `factor` times.
    ///
    /// # Examples
    ///
    /// Cloud deals count one and a half times; the deals' facts come in
    /// through [`Commissions::with_deals`](crate::comp::Commissions::with_deals):
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, Deals, Kicker, PayRate, Qualifier};
    /// use salesplan::comp::{Quotas, RateTable};
    /// use salesplan::{PlanId, ProductId};
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
    /// // The facts of the sales credited: the first was a cloud deal.
    /// let sold = [sale("T1", 1, "4000.00").with_product(cloud.clone()), sale("T2", 2, "6000.00")];
    /// let ten_percent = RateTable::Flat(PayRate::Percent("10%".parse()?));
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month, ten_percent)
    ///         .kicker(Kicker::new("cloud", vec![Qualifier::Product(cloud)], "150%".parse()?)))
    ///     .build()?;
    /// let comp = Commissions::new(&plan, &[&run])?.with_deals(&Deals::new(&sold))?;
    /// let statements = comp.statements(&ann, &Quotas::new(), &[], d(2, 28))?;
    /// let totals: Vec<String> = statements.iter().map(|s| s.total.to_string()).collect();
    /// assert_eq!(totals, ["600.00 USD", "600.00 USD"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(name: impl Into<String>, qualifies: Vec<Qualifier>, factor: Rate) -> Kicker {
        Kicker {
            name: name.into(),
            qualifies,
            factor,
        }
    }

    /// The kicker's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What a deal must meet (all of it).
    pub fn qualifies(&self) -> &[Qualifier] {
        &self.qualifies
    }

    /// The factor on a qualifying deal's credit.
    pub const fn factor(&self) -> Rate {
        self.factor
    }
}

/// One component of a plan: a measure, a period, a rate structure and the
/// modifiers around it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Component {
    name: String,
    measure: CreditBasis,
    period: CompPeriod,
    #[cfg_attr(feature = "serde", serde(default))]
    accumulation: Accumulation,
    rates: RateTable,
    #[cfg_attr(feature = "serde", serde(default))]
    kinds: Vec<CreditKind>,
    #[cfg_attr(feature = "serde", serde(default))]
    multipliers: Vec<Multiplier>,
    #[cfg_attr(feature = "serde", serde(default))]
    gate: Option<Gate>,
    #[cfg_attr(feature = "serde", serde(default))]
    cliff: Option<Rate>,
    #[cfg_attr(feature = "serde", serde(default))]
    caps: Vec<Cap>,
    #[cfg_attr(feature = "serde", serde(default))]
    minimum: Option<Money>,
    #[cfg_attr(feature = "serde", serde(default))]
    kickers: Vec<Kicker>,
    #[cfg_attr(feature = "serde", serde(default))]
    qualifies: Vec<Qualifier>,
    #[cfg_attr(feature = "serde", serde(default))]
    window: Option<DateRange>,
}

impl Component {
    /// `name` pays `rates` on `measure` per `period`, each period on its
    /// own, counting every kind of credit the person receives.
    pub fn new(
        name: impl Into<String>,
        measure: CreditBasis,
        period: CompPeriod,
        rates: RateTable,
    ) -> Component {
        Component {
            name: name.into(),
            measure,
            period,
            accumulation: Accumulation::PerPeriod,
            rates,
            kinds: Vec::new(),
            multipliers: Vec::new(),
            gate: None,
            cliff: None,
            caps: Vec::new(),
            minimum: None,
            kickers: Vec::new(),
            qualifies: Vec::new(),
            window: None,
        }
    }

    /// A SPIFF: `amount` per qualifying deal (the person's share of it)
    /// booked in `window`, paid per `period`. Measured on
    /// [`CreditBasis::DealCount`], so a returned deal claws it back.
    ///
    /// # Examples
    ///
    /// 250 USD per deal booked in February:
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, Quotas};
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
    /// let deals = Crediting::new(&org, &CreditPlan::new(CreditBasis::DealCount, Currency::USD)).run(&feed)?;
    /// let february = DateRange::new(d(2, 1), Some(d(3, 1)))?;
    /// let spiff = Component::spiff("Feb SPIFF", Money::parse("250.00", Currency::USD)?, february, vec![],
    ///     CompPeriod::Month);
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(spiff)
    ///     .build()?;
    /// let statements = Commissions::new(&plan, &[&run, &deals])?.statements(&ann, &Quotas::new(), &[], d(3, 31))?;
    /// let totals: Vec<String> = statements.iter().map(|s| s.total.to_string()).collect();
    /// assert_eq!(totals, ["0.00 USD", "250.00 USD", "0.00 USD"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn spiff(
        name: impl Into<String>,
        amount: Money,
        window: DateRange,
        qualifies: Vec<Qualifier>,
        period: CompPeriod,
    ) -> Component {
        let mut c = Component::new(
            name,
            CreditBasis::DealCount,
            period,
            RateTable::Flat(PayRate::PerUnit(amount)),
        );
        c.window = Some(window);
        c.qualifies = qualifies;
        c
    }

    /// Per period or year to date.
    ///
    /// # Examples
    ///
    /// Year to date, February's tiers apply to January and February together,
    /// and February pays the year's earnings so far less January's:
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{Accumulation, CompPeriod, CompPlan, Commissions, Component, PayRate, Quotas};
    /// use salesplan::comp::{RateTable, Tier, TierBasis, TierMethod};
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
    /// let pct = |s: &str| PayRate::Percent(s.parse().unwrap());
    /// let tiers = RateTable::Tiered {
    ///     basis: TierBasis::Measure,
    ///     method: TierMethod::Marginal,
    ///     tiers: vec![
    ///         Tier::new(Decimal::ZERO, Some(Decimal::from(5000)), pct("10%")),
    ///         Tier::new(Decimal::from(5000), None, pct("12%")),
    ///     ],
    /// };
    /// let component = Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month, tiers);
    /// let totals = |component: Component| -> Result<Vec<String>, Box<dyn std::error::Error>> {
    ///     let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///         .component(component)
    ///         .build()?;
    ///     let statements = Commissions::new(&plan, &[&run])?.statements(&ann, &Quotas::new(), &[], d(2, 28))?;
    ///     Ok(statements.iter().map(|s| s.total.to_string()).collect())
    /// };
    /// assert_eq!(totals(component.clone())?, ["400.00 USD", "620.00 USD"]);
    /// assert_eq!(totals(component.accumulate(Accumulation::YearToDate))?, ["400.00 USD", "700.00 USD"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn accumulate(mut self, accumulation: Accumulation) -> Component {
        self.accumulation = accumulation;
        self
    }

    /// Counts only these kinds of credit (all kinds by default: a rep's
    /// direct credit, a specialist's overlay, a manager's roll-up).
    #[must_use]
    pub fn kinds(mut self, kinds: Vec<CreditKind>) -> Component {
        self.kinds = kinds;
        self
    }

    /// Adds an accelerator or decelerator band.
    #[must_use]
    pub fn multiplier(mut self, band: Multiplier) -> Component {
        self.multipliers.push(band);
        self
    }

    /// Sets the gate.
    ///
    /// # Examples
    ///
    /// Nothing is paid below 50% of quota; from 50% on, everything is:
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Component, PayRate, RateTable, Gate, GateHolds, GatePeriod};
    /// use salesplan::credit::CreditBasis;
    /// use salesplan::{Currency, Money, PlanId, Rate};
    ///
    /// let rate = |s: &str| s.parse::<Rate>().unwrap();
    /// let ten_percent = RateTable::Flat(PayRate::Percent(rate("10%")));
    /// let revenue = Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter, ten_percent)
    ///     .gate(Gate::new(rate("50%"), GatePeriod::Component, GateHolds::Everything));
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(revenue)
    ///     .build()?;
    /// let quota = Money::parse("100000", Currency::USD)?;
    /// let curve = plan.payout_curve("Revenue", quota, &[rate("49%"), rate("50%"), rate("80%")])?;
    /// let paid: Vec<String> = curve.iter().map(|p| p.payout.to_string()).collect();
    /// assert_eq!(paid, ["0.00 USD", "5000.00 USD", "8000.00 USD"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn gate(mut self, gate: Gate) -> Component {
        self.gate = Some(gate);
        self
    }

    /// A cliff at `threshold` attainment: the measure up to it is never
    /// paid, only what lies beyond it (the rep must climb the cliff before
    /// earning, and the climb itself earns nothing).
    ///
    /// # Examples
    ///
    /// With a cliff at 50%, only the measure beyond half the quota is paid:
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Component, PayRate, RateTable};
    /// use salesplan::credit::CreditBasis;
    /// use salesplan::{Currency, Money, PlanId, Rate};
    ///
    /// let rate = |s: &str| s.parse::<Rate>().unwrap();
    /// let ten_percent = RateTable::Flat(PayRate::Percent(rate("10%")));
    /// let revenue = Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter, ten_percent)
    ///     .cliff(rate("50%"));
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(revenue)
    ///     .build()?;
    /// let quota = Money::parse("100000", Currency::USD)?;
    /// let curve = plan.payout_curve("Revenue", quota, &[rate("40%"), rate("60%"), rate("100%")])?;
    /// let paid: Vec<String> = curve.iter().map(|p| p.payout.to_string()).collect();
    /// assert_eq!(paid, ["0.00 USD", "1000.00 USD", "5000.00 USD"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn cliff(mut self, threshold: Rate) -> Component {
        self.cliff = Some(threshold);
        self
    }

    /// Adds a cap.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Component, PayRate, RateTable, Cap};
    /// use salesplan::credit::CreditBasis;
    /// use salesplan::{Currency, Money, PlanId, Rate};
    ///
    /// let rate = |s: &str| s.parse::<Rate>().unwrap();
    /// let ten_percent = RateTable::Flat(PayRate::Percent(rate("10%")));
    /// let revenue = Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter, ten_percent)
    ///     .cap(Cap::PerPeriod(Money::parse("12000.00", Currency::USD)?))
    ///     .cap(Cap::Attainment(rate("150%")));
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(revenue)
    ///     .build()?;
    /// let quota = Money::parse("100000", Currency::USD)?;
    /// let curve = plan.payout_curve("Revenue", quota, &[rate("100%"), rate("130%"), rate("200%")])?;
    /// let paid: Vec<String> = curve.iter().map(|p| p.payout.to_string()).collect();
    /// assert_eq!(paid, ["10000.00 USD", "12000.00 USD", "12000.00 USD"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn cap(mut self, cap: Cap) -> Component {
        self.caps.push(cap);
        self
    }

    /// A minimum the component pays per period (before clawbacks).
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Component, PayRate, RateTable};
    /// use salesplan::credit::CreditBasis;
    /// use salesplan::{Currency, Money, PlanId, Rate};
    ///
    /// let rate = |s: &str| s.parse::<Rate>().unwrap();
    /// let ten_percent = RateTable::Flat(PayRate::Percent(rate("10%")));
    /// let revenue = Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter, ten_percent)
    ///     .minimum(Money::parse("2500.00", Currency::USD)?);
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(revenue)
    ///     .build()?;
    /// let quota = Money::parse("100000", Currency::USD)?;
    /// let curve = plan.payout_curve("Revenue", quota, &[rate("0%"), rate("20%"), rate("50%")])?;
    /// let paid: Vec<String> = curve.iter().map(|p| p.payout.to_string()).collect();
    /// assert_eq!(paid, ["2500.00 USD", "2500.00 USD", "5000.00 USD"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn minimum(mut self, amount: Money) -> Component {
        self.minimum = Some(amount);
        self
    }

    /// Adds a kicker.
    #[must_use]
    pub fn kicker(mut self, kicker: Kicker) -> Component {
        self.kickers.push(kicker);
        self
    }

    /// Counts only deals meeting every qualifier.
    #[must_use]
    pub fn qualifies(mut self, qualifies: Vec<Qualifier>) -> Component {
        self.qualifies = qualifies;
        self
    }

    /// Counts only deals booked in `window`.
    #[must_use]
    pub fn window(mut self, window: DateRange) -> Component {
        self.window = Some(window);
        self
    }

    /// The component's name (unique within its plan).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The measure.
    pub const fn measure(&self) -> &CreditBasis {
        &self.measure
    }

    /// The period.
    pub const fn period(&self) -> CompPeriod {
        self.period
    }

    /// Per period or year to date.
    pub const fn accumulation(&self) -> Accumulation {
        self.accumulation
    }

    /// The rate structure.
    pub const fn rates(&self) -> &RateTable {
        &self.rates
    }

    /// The credit kinds counted; empty means all.
    pub fn credit_kinds(&self) -> &[CreditKind] {
        &self.kinds
    }

    /// The multiplier bands.
    pub fn multipliers(&self) -> &[Multiplier] {
        &self.multipliers
    }

    /// The gate.
    pub const fn gate_rule(&self) -> Option<&Gate> {
        self.gate.as_ref()
    }

    /// The cliff.
    pub const fn cliff_threshold(&self) -> Option<Rate> {
        self.cliff
    }

    /// The caps.
    pub fn caps(&self) -> &[Cap] {
        &self.caps
    }

    /// The minimum per period.
    pub const fn minimum_amount(&self) -> Option<Money> {
        self.minimum
    }

    /// The kickers.
    pub fn kickers(&self) -> &[Kicker] {
        &self.kickers
    }

    /// The qualifiers a deal must meet to count.
    pub fn qualifiers(&self) -> &[Qualifier] {
        &self.qualifies
    }

    /// The booking window a deal must fall in to count.
    pub const fn booking_window(&self) -> Option<&DateRange> {
        self.window.as_ref()
    }

    /// Whether anything in the component depends on attainment (and so
    /// needs a quota).
    pub(crate) fn needs_quota(&self) -> bool {
        matches!(
            self.rates,
            RateTable::Tiered {
                basis: TierBasis::Attainment,
                ..
            }
        ) || !self.multipliers.is_empty()
            || self.gate.is_some()
            || self.cliff.is_some()
            || self.caps.iter().any(|c| matches!(c, Cap::Attainment(_)))
    }

    /// Whether deal facts are needed to decide what counts.
    pub(crate) fn needs_deals(&self) -> bool {
        !self.qualifies.is_empty() || self.kickers.iter().any(|k| !k.qualifies.is_empty())
    }

    /// Whether a credit kind counts.
    pub(crate) fn counts(&self, kind: CreditKind) -> bool {
        self.kinds.is_empty() || self.kinds.contains(&kind)
    }

    fn validate(&self, currency: Currency) -> Result<(), CompError> {
        if self.name.trim().is_empty() {
            return Err(CompError::UnnamedComponent);
        }
        // The attainment thresholds the plan pays from: an attainment cap
        // must lie above them all.
        let mut thresholds: Vec<Decimal> = Vec::new();
        match &self.rates {
            RateTable::Flat(rate) => self.check_rate(None, rate, currency)?,
            RateTable::Tiered {
                basis,
                method,
                tiers,
            } => {
                self.check_tiers(*method, tiers, currency)?;
                if *basis == TierBasis::Attainment {
                    thresholds.extend(tiers.iter().map(|t| t.from));
                }
            }
        }
        self.check_bands(&mut thresholds)?;
        if let Some(gate) = &self.gate {
            thresholds.push(gate.threshold.fraction());
        }
        if let Some(cliff) = self.cliff {
            thresholds.push(cliff.fraction());
        }
        let top = thresholds.iter().copied().max().unwrap_or(Decimal::ZERO);
        self.check_caps(top, currency)?;
        if let Some(min) = self.minimum {
            self.check_amount(&min, currency)?;
        }
        Ok(())
    }

    /// A rate fits the measure (a percentage of money, an amount per unit
    /// of a count) and is an amount in the plan's currency, not negative.
    fn check_rate(
        &self,
        tier: Option<usize>,
        rate: &PayRate,
        currency: Currency,
    ) -> Result<(), CompError> {
        let name = || self.name.clone();
        let money_measure = self.measure.is_money();
        match rate {
            PayRate::Percent(_) if !money_measure => Err(CompError::RateUnit {
                component: name(),
                measure: self.measure.clone(),
            }),
            PayRate::PerUnit(_) if money_measure => Err(CompError::RateUnit {
                component: name(),
                measure: self.measure.clone(),
            }),
            PayRate::PerUnit(m) if m.currency() != currency => Err(CompError::Currency {
                component: name(),
                expected: currency,
                found: m.currency(),
            }),
            PayRate::PerUnit(m) if m.is_negative() => Err(CompError::NegativeRate {
                component: name(),
                tier,
                rate: m.amount(),
            }),
            _ => Ok(()),
        }
    }

    /// The tiers start at zero, follow on without gap or overlap, and only
    /// the last is open; retroactive rates never fall.
    fn check_tiers(
        &self,
        method: TierMethod,
        tiers: &[Tier],
        currency: Currency,
    ) -> Result<(), CompError> {
        let name = || self.name.clone();
        if tiers.is_empty() {
            return Err(CompError::NoTiers { component: name() });
        }
        let mut expected = Decimal::ZERO;
        let mut previous_rate: Option<&PayRate> = None;
        for (i, tier) in tiers.iter().enumerate() {
            let is_last = i.checked_add(1) == Some(tiers.len());
            self.check_rate(Some(i), &tier.rate, currency)?;
            // Retroactive tiers pay the whole measure at the rate
            // reached: a falling rate would pay less for more.
            if method == TierMethod::Retroactive
                && let Some(previous) = previous_rate
                && tier.rate.factor() < previous.factor()
            {
                return Err(CompError::FallingRetroactiveRate {
                    component: name(),
                    tier: i,
                    rate: tier.rate,
                    previous: *previous,
                });
            }
            previous_rate = Some(&tier.rate);
            if tier.from != expected {
                return Err(self.misplaced_tier(i, tier.from, expected));
            }
            match tier.to {
                Some(to) if to <= tier.from => {
                    return Err(CompError::TierOrder {
                        component: name(),
                        tier: i,
                        from: tier.from,
                        to,
                    });
                }
                Some(to) if is_last => {
                    return Err(CompError::ClosedLastTier {
                        component: name(),
                        to,
                    });
                }
                Some(to) => expected = to,
                None if !is_last => {
                    return Err(CompError::OpenTier {
                        component: name(),
                        tier: i,
                    });
                }
                None => {}
            }
        }
        Ok(())
    }

    /// The error for tier `i` starting at `from` where `expected` (zero,
    /// or the previous tier's end) was due.
    fn misplaced_tier(&self, i: usize, from: Decimal, expected: Decimal) -> CompError {
        let component = self.name.clone();
        if i == 0 {
            CompError::TierStart { component, from }
        } else if from < expected {
            CompError::TierOverlap {
                component,
                tier: i,
                from,
                previous_to: expected,
            }
        } else {
            CompError::TierGap {
                component,
                tier: i,
                from,
                previous_to: expected,
            }
        }
    }

    /// The multiplier bands, in order of where they start, do not overlap
    /// and each ends above its start; their starts join `thresholds`.
    fn check_bands(&self, thresholds: &mut Vec<Decimal>) -> Result<(), CompError> {
        let name = || self.name.clone();
        let mut bands: Vec<&Multiplier> = self.multipliers.iter().collect();
        bands.sort_by_key(|b| b.from.fraction());
        let mut end = Decimal::ZERO;
        for (i, band) in bands.iter().enumerate() {
            let from = band.from.fraction();
            let next = bands.get(i..).and_then(|rest| rest.get(1));
            if i > 0 && from < end {
                return Err(CompError::MultiplierOverlap {
                    component: name(),
                    from,
                    previous_to: end,
                });
            }
            match band.to {
                Some(to) if to.fraction() <= from => {
                    return Err(CompError::MultiplierOrder {
                        component: name(),
                        from,
                        to: to.fraction(),
                    });
                }
                Some(to) => end = to.fraction(),
                None if next.is_some() => {
                    return Err(CompError::MultiplierOverlap {
                        component: name(),
                        from: next.map_or(from, |b| b.from.fraction()),
                        previous_to: from,
                    });
                }
                None => end = Decimal::MAX,
            }
            thresholds.push(from);
        }
        Ok(())
    }

    /// An attainment cap lies above every threshold (`top`) and zero; an
    /// amount cap is a valid amount no lower than the minimum.
    fn check_caps(&self, top: Decimal, currency: Currency) -> Result<(), CompError> {
        for cap in &self.caps {
            match cap {
                Cap::Attainment(at) if at.fraction() <= top || at.fraction().is_zero() => {
                    return Err(CompError::CapBelowThreshold {
                        component: self.name.clone(),
                        cap: at.fraction(),
                        threshold: top,
                    });
                }
                Cap::PerPeriod(m) | Cap::PerYear(m) => {
                    self.check_amount(m, currency)?;
                    if let Some(min) = self.minimum
                        && min.amount() > m.amount()
                    {
                        return Err(CompError::MinimumAboveCap {
                            component: self.name.clone(),
                            minimum: min.amount(),
                            cap: m.amount(),
                        });
                    }
                }
                Cap::Attainment(_) => {}
            }
        }
        Ok(())
    }

    /// A cap or minimum is whole minor units of the plan's currency, not
    /// negative.
    fn check_amount(&self, m: &Money, currency: Currency) -> Result<(), CompError> {
        m.to_minor()?;
        if m.currency() != currency {
            return Err(CompError::Currency {
                component: self.name.clone(),
                expected: currency,
                found: m.currency(),
            });
        }
        if m.is_negative() {
            return Err(CompError::NegativeAmount {
                component: self.name.clone(),
                amount: *m,
            });
        }
        Ok(())
    }
}

/// An advance against commissions, per pay period while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Draw {
    /// Advanced, then recovered. In a pay period that starts inside
    /// `during` and earns less than `amount`, the difference is advanced
    /// and added to the balance. In a pay period that starts on or after
    /// `recover_from` (every period when `None`) and advances nothing, the
    /// balance is recovered from that period's earnings, never taking its
    /// pay below `floor`. The balance carries forward.
    Recoverable {
        /// The draw per pay period.
        amount: Money,
        /// The pay periods it is advanced in (by their start).
        during: DateRange,
        /// Recovery starts with the pay period starting on or after this.
        #[cfg_attr(feature = "serde", serde(default))]
        recover_from: Option<NaiveDate>,
        /// Recovery never takes a period's pay below this.
        floor: Money,
    },
    /// A guaranteed minimum: in a pay period that starts inside `during`,
    /// pay is at least `amount`; the top-up is never recovered.
    NonRecoverable {
        /// The guaranteed pay per pay period.
        amount: Money,
        /// The pay periods it applies to (by their start).
        during: DateRange,
    },
}

impl Draw {
    fn validate(&self, plan: &PlanId, currency: Currency) -> Result<(), CompError> {
        let amounts: &[Money] = match self {
            Draw::Recoverable { amount, floor, .. } => &[*amount, *floor],
            Draw::NonRecoverable { amount, .. } => &[*amount],
        };
        for m in amounts {
            m.to_minor()?;
            if m.currency() != currency {
                return Err(CompError::Currency {
                    component: String::from("draw"),
                    expected: currency,
                    found: m.currency(),
                });
            }
            if m.is_negative() {
                return Err(CompError::NegativeDraw {
                    plan: plan.clone(),
                    amount: *m,
                });
            }
        }
        Ok(())
    }

    /// The draw per pay period.
    pub const fn amount(&self) -> Money {
        match self {
            Draw::Recoverable { amount, .. } | Draw::NonRecoverable { amount, .. } => *amount,
        }
    }

    /// The pay periods it runs in (by their start).
    pub const fn during(&self) -> &DateRange {
        match self {
            Draw::Recoverable { during, .. } | Draw::NonRecoverable { during, .. } => during,
        }
    }
}

/// A validated commission plan for one plan year.
///
/// Statements are per *pay period*: the shortest period among the
/// components. A component with a longer period is paid on the statement
/// of the pay period its own period ends in.
///
/// Built with [`CompPlan::builder`]; deserializing runs the same checks,
/// and refuses unknown fields. The JSON of a whole plan, with every
/// optional field, is in [the JSON guide](crate::docs::json); a plan needs
/// only its `id`, `currency`, `calendar`, `year` and `components`, and a
/// component its `name`, `measure`, `period` and `rates`:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::comp::CompPlan;
///
/// let plan: CompPlan = serde_json::from_str(r#"{
///     "id": "AE-2025", "currency": "USD", "year": 2025,
///     "calendar": {"kind": {"monthly": {"start": "January"}}, "naming": "by_start_year"},
///     "components": [{"name": "Revenue", "measure": "revenue", "period": "month",
///                     "rates": {"flat": {"percent": "10%"}}}]
/// }"#)?;
/// assert_eq!(plan.pay_periods().len(), 12);
/// // Tiers that overlap are refused when read, as when built.
/// let overlapping = r#"{"id": "AE", "currency": "USD", "year": 2025,
///     "calendar": {"kind": {"monthly": {"start": "January"}}, "naming": "by_start_year"},
///     "components": [{"name": "Revenue", "measure": "revenue", "period": "month",
///       "rates": {"tiered": {"basis": "measure", "method": "marginal", "tiers": [
///         {"from": "0", "to": "5000", "rate": {"percent": "10%"}},
///         {"from": "4000", "rate": {"percent": "12%"}}]}}}]}"#;
/// assert!(serde_json::from_str::<CompPlan>(overlapping).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawCompPlan"))]
#[cfg_attr(feature = "serde", serde(into = "RawCompPlan"))]
pub struct CompPlan {
    id: PlanId,
    currency: Currency,
    calendar: FiscalCalendar,
    year: i32,
    components: Vec<Component>,
    draw: Option<Draw>,
    rounding: RoundingPolicy,
    pay_periods: Vec<Period>,
    year_period: Period,
}

/// Builds a [`CompPlan`]; [`build`](CompPlanBuilder::build) checks it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct CompPlanBuilder {
    id: PlanId,
    currency: Currency,
    calendar: FiscalCalendar,
    year: i32,
    components: Vec<Component>,
    #[cfg_attr(feature = "serde", serde(default))]
    draw: Option<Draw>,
    #[cfg_attr(feature = "serde", serde(default))]
    rounding: RoundingPolicy,
}

#[cfg(feature = "serde")]
type RawCompPlan = CompPlanBuilder;

#[cfg(feature = "serde")]
impl TryFrom<RawCompPlan> for CompPlan {
    type Error = CompError;
    fn try_from(raw: RawCompPlan) -> Result<Self, CompError> {
        raw.build()
    }
}

#[cfg(feature = "serde")]
impl From<CompPlan> for RawCompPlan {
    fn from(plan: CompPlan) -> RawCompPlan {
        CompPlanBuilder {
            id: plan.id,
            currency: plan.currency,
            calendar: plan.calendar,
            year: plan.year,
            components: plan.components,
            draw: plan.draw,
            rounding: plan.rounding,
        }
    }
}

impl CompPlanBuilder {
    /// Adds a component.
    #[must_use]
    pub fn component(mut self, component: Component) -> CompPlanBuilder {
        self.components.push(component);
        self
    }

    /// Sets the draw.
    ///
    /// # Examples
    ///
    /// A guaranteed 500 a month: a month that earns less is topped up.
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, Draw, PayRate, Quotas, RateTable};
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
    ///     .draw(Draw::NonRecoverable {
    ///         amount: Money::parse("500.00", Currency::USD)?,
    ///         during: DateRange::starting(d(1, 1)),
    ///     })
    ///     .build()?;
    /// let statements = Commissions::new(&plan, &[&run])?.statements(&ann, &Quotas::new(), &[], d(3, 31))?;
    /// let totals: Vec<String> = statements.iter().map(|s| s.total.to_string()).collect();
    /// assert_eq!(totals, ["500.00 USD", "600.00 USD", "500.00 USD"]);
    /// assert_eq!(statements[0].draw.as_ref().map(|d| d.advanced.to_string()), Some("100.00 USD".into()));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn draw(mut self, draw: Draw) -> CompPlanBuilder {
        self.draw = Some(draw);
        self
    }

    /// How each payout line is rounded to the currency's minor unit
    /// (half away from zero by default).
    #[must_use]
    pub fn rounding(mut self, policy: RoundingPolicy) -> CompPlanBuilder {
        self.rounding = policy;
        self
    }

    /// Checks the plan.
    ///
    /// # Errors
    ///
    /// [`CompError::NoComponents`], [`CompError::DuplicateComponent`];
    /// for tiers [`CompError::NoTiers`], [`CompError::TierStart`],
    /// [`CompError::TierGap`], [`CompError::TierOverlap`],
    /// [`CompError::TierOrder`], [`CompError::OpenTier`],
    /// [`CompError::FallingRetroactiveRate`],
    /// [`CompError::ClosedLastTier`]; [`CompError::NegativeRate`],
    /// [`CompError::RateUnit`] (a percentage on a quantity or an amount per
    /// unit on money); [`CompError::MultiplierOrder`],
    /// [`CompError::MultiplierOverlap`]; [`CompError::CapBelowThreshold`]
    /// (an attainment cap at or below a tier, multiplier, gate or cliff
    /// threshold); [`CompError::NegativeAmount`],
    /// [`CompError::MinimumAboveCap`], [`CompError::NegativeDraw`],
    /// [`CompError::Currency`]; [`CompError::Calendar`] when the calendar
    /// cannot lay out the year.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Component, PayRate, RateTable, Tier, TierBasis, TierMethod};
    /// use salesplan::credit::CreditBasis;
    /// use salesplan::{CompError, Currency, PlanId};
    ///
    /// let pct = |s: &str| PayRate::Percent(s.parse().unwrap());
    /// let with_gap = RateTable::Tiered {
    ///     basis: TierBasis::Measure,
    ///     method: TierMethod::Marginal,
    ///     tiers: vec![
    ///         Tier::new(Decimal::ZERO, Some(Decimal::from(5000)), pct("10%")),
    ///         Tier::new(Decimal::from(6000), None, pct("12%")),
    ///     ],
    /// };
    /// let builder = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025);
    /// let err = builder.clone()
    ///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month, with_gap))
    ///     .build()
    ///     .unwrap_err();
    /// assert!(matches!(err, CompError::TierGap { .. }));
    /// assert_eq!(err.to_string(), "component \"Revenue\": tier 1 starts at 6000, leaving a gap after 5000");
    /// assert!(matches!(builder.build(), Err(CompError::NoComponents { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(mut self) -> Result<CompPlan, CompError> {
        if self.components.is_empty() {
            return Err(CompError::NoComponents { plan: self.id });
        }
        for c in &mut self.components {
            c.multipliers.sort_by_key(|b| b.from.fraction());
        }
        for (i, c) in self.components.iter().enumerate() {
            c.validate(self.currency)?;
            if self
                .components
                .iter()
                .take(i)
                .any(|other| other.name == c.name)
            {
                return Err(CompError::DuplicateComponent {
                    plan: self.id,
                    component: c.name.clone(),
                });
            }
        }
        if let Some(draw) = &self.draw {
            draw.validate(&self.id, self.currency)?;
        }
        let pay = self
            .components
            .iter()
            .map(|c| c.period)
            .min()
            .unwrap_or(CompPeriod::Year);
        let pay_periods = pay.periods(&self.calendar, self.year)?;
        let year_period = self.calendar.year(self.year)?;
        Ok(CompPlan {
            id: self.id,
            currency: self.currency,
            calendar: self.calendar,
            year: self.year,
            components: self.components,
            draw: self.draw,
            rounding: self.rounding,
            pay_periods,
            year_period,
        })
    }
}

impl CompPlan {
    /// A plan `id` paying in `currency` for fiscal `year` of `calendar`.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Component, PayRate, RateTable};
    /// use salesplan::credit::CreditBasis;
    /// use salesplan::{Currency, PlanId};
    ///
    /// let ten_percent = RateTable::Flat(PayRate::Percent("10%".parse()?));
    /// let plan = CompPlan::builder(PlanId::new("AE-2025")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter, ten_percent.clone()))
    ///     .component(Component::new("Annual", CreditBasis::Margin, CompPeriod::Year, ten_percent))
    ///     .build()?;
    /// // Paid per quarter: the shortest period among the components.
    /// assert_eq!(plan.pay_periods().len(), 4);
    /// assert_eq!(plan.pay_periods()[0].to_string(), "[2025-01-01, 2025-04-01)");
    /// assert_eq!(plan.component("Annual").map(|c| c.measure()), Some(&CreditBasis::Margin));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder(
        id: PlanId,
        currency: Currency,
        calendar: FiscalCalendar,
        year: i32,
    ) -> CompPlanBuilder {
        CompPlanBuilder {
            id,
            currency,
            calendar,
            year,
            components: Vec::new(),
            draw: None,
            rounding: RoundingPolicy::default(),
        }
    }

    /// The plan's id.
    pub const fn id(&self) -> &PlanId {
        &self.id
    }

    /// The currency it pays in.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The fiscal calendar.
    pub const fn calendar(&self) -> &FiscalCalendar {
        &self.calendar
    }

    /// The fiscal year.
    pub const fn year(&self) -> i32 {
        self.year
    }

    /// The plan year as a period.
    pub const fn year_period(&self) -> Period {
        self.year_period
    }

    /// The components, in the order given.
    pub fn components(&self) -> &[Component] {
        &self.components
    }

    /// The component called `name`.
    pub fn component(&self, name: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.name == name)
    }

    /// The draw.
    pub const fn draw(&self) -> Option<&Draw> {
        self.draw.as_ref()
    }

    /// The rounding policy of payout lines.
    pub const fn rounding(&self) -> RoundingPolicy {
        self.rounding
    }

    /// The pay periods of the year, in order.
    pub fn pay_periods(&self) -> &[Period] {
        &self.pay_periods
    }
}
