//! Target bonuses: a target amount on a payout curve, with gates and
//! proration, for a quarter, a year or any period.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;

use super::curve::{CurveReading, PayoutCurve, approx, percent};
use crate::bonus::BonusError;
use crate::calendar::{DateRange, Period, Proration, ProrationBasis, WorkCalendar};
use crate::ids::{PersonId, PlanId};
use crate::money::{Money, Rate, RoundingPolicy};

/// A condition that must hold for a bonus to be paid at all: a named figure
/// (an attainment) at or above a minimum. "No annual bonus unless the
/// annual quota is met" is `Gate::new("annual quota", 100%)`.
///
/// In JSON, `{"name": "annual quota", "minimum": "100%"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Gate {
    name: String,
    minimum: Rate,
}

impl Gate {
    /// The figure called `name` must be at least `minimum`.
    pub fn new(name: impl Into<String>, minimum: Rate) -> Gate {
        Gate {
            name: name.into(),
            minimum,
        }
    }

    /// The figure's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The minimum.
    pub const fn minimum(&self) -> Rate {
        self.minimum
    }
}

/// A gate checked against a person's figure.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct GateCheck {
    gate: Gate,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    figure: Decimal,
    passed: bool,
}

impl GateCheck {
    /// The gate.
    pub const fn gate(&self) -> &Gate {
        &self.gate
    }

    /// The person's figure (1 is 100%).
    pub const fn figure(&self) -> Decimal {
        self.figure
    }

    /// Whether the figure met the minimum.
    pub const fn passed(&self) -> bool {
        self.passed
    }
}

impl fmt::Display for GateCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "gate {:?}: {} against a minimum of {} ({})",
            self.gate.name,
            percent(self.figure),
            self.gate.minimum,
            if self.passed { "passed" } else { "failed" }
        )
    }
}

/// A target-bonus plan for one period: a payout curve, gates, and how
/// people who joined or left during the period are prorated.
///
/// A person's bonus is computed in this order, with one rounding at the
/// end:
///
/// 1. every gate is checked; if one fails, the bonus is zero;
/// 2. the payout is read off the curve at the person's attainment;
/// 3. `target × payout × proration` is computed exactly, where the
///    proration is the share of the period the person was employed
///    (calendar days by default): `target × payout numerator × covered /
///    (payout denominator × total)`, multiplying first and dividing once
///    (see [`PayoutCurve`]), so exact inputs give an exact amount;
/// 4. the result is rounded once to the currency's minor units with the
///    plan's [`RoundingPolicy`] (half away from zero by default).
///
/// ```
/// use salesplan::bonus::{BonusInputs, Gate, PayoutCurve, TargetBonus};
/// use salesplan::calendar::DateRange;
/// use salesplan::{Currency, Money, Period, PersonId, PlanId, Rate};
/// use chrono::NaiveDate;
///
/// let r = |s: &str| s.parse::<Rate>().unwrap();
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let curve = PayoutCurve::new([(r("80%"), r("50%")), (r("100%"), r("100%")), (r("150%"), r("200%"))], r("200%"))?;
/// let year = Period::new(d(2025, 1, 1), d(2026, 1, 1))?;
/// let plan = TargetBonus::new(PlanId::new("annual-2025")?, year, curve)
///     .gate(Gate::new("annual quota", r("100%")));
///
/// // Joined on 1 July, 120% of quota: 140% of a 10,000 target, for 184 of 365 days.
/// let ada = BonusInputs::new(PersonId::new("ada")?, Money::parse("10000", Currency::USD)?, r("120%").fraction())
///     .figure("annual quota", r("120%").fraction())
///     .employed(DateRange::starting(d(2025, 7, 1)));
/// let bonus = plan.compute(&ada)?;
/// assert_eq!(bonus.amount().to_string(), "7057.53 USD");
/// println!("{bonus}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// In JSON, `{"id": .., "period": .., "curve": .., "gates": [..],
/// "proration": .., "work": .., "rounding": ..}`; `gates` (none),
/// `proration` (`"calendar_days"`), `work` (Monday to Friday) and
/// `rounding` (`"half_away_from_zero"`) may be left out:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::bonus::TargetBonus;
/// use salesplan::RoundingPolicy;
/// let plan: TargetBonus = serde_json::from_str(r#"{
///     "id": "annual-2025",
///     "period": {"start": "2025-01-01", "end": "2026-01-01"},
///     "curve": {"points": [{"attainment": "80%", "payout": "50%"}, {"attainment": "100%", "payout": "100%"}], "cap": "150%"},
///     "gates": [{"name": "annual quota", "minimum": "100%"}]
/// }"#)?;
/// assert_eq!(plan.gates().len(), 1);
/// assert_eq!(plan.rounding_policy(), RoundingPolicy::HalfAwayFromZero);
/// // An unknown field is refused, naming it.
/// let err = serde_json::from_str::<TargetBonus>(r#"{
///     "id": "annual-2025",
///     "period": {"start": "2025-01-01", "end": "2026-01-01"},
///     "curve": {"points": [{"attainment": "80%", "payout": "50%"}], "cap": "150%"},
///     "gate": [{"name": "annual quota", "minimum": "100%"}]
/// }"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `gate`"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TargetBonus {
    id: PlanId,
    period: Period,
    curve: PayoutCurve,
    #[cfg_attr(feature = "serde", serde(default))]
    gates: Vec<Gate>,
    #[cfg_attr(feature = "serde", serde(default))]
    proration: ProrationBasis,
    #[cfg_attr(feature = "serde", serde(default))]
    work: WorkCalendar,
    #[cfg_attr(feature = "serde", serde(default))]
    rounding: RoundingPolicy,
}

impl TargetBonus {
    /// A plan for `period` paying on `curve`, without gates, prorated by
    /// calendar days, rounded half away from zero.
    pub fn new(id: PlanId, period: Period, curve: PayoutCurve) -> TargetBonus {
        TargetBonus {
            id,
            period,
            curve,
            gates: Vec::new(),
            proration: ProrationBasis::CalendarDays,
            work: WorkCalendar::monday_to_friday(),
            rounding: RoundingPolicy::HalfAwayFromZero,
        }
    }

    /// Adds a gate.
    ///
    /// # Examples
    ///
    /// No annual bonus without 90% of the new-logo target, however the
    /// revenue went:
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::bonus::{BonusInputs, Gate, PayoutCurve, TargetBonus};
    /// use salesplan::{Currency, Money, Period, PersonId, PlanId, Rate};
    ///
    /// let r = |s: &str| s.parse::<Rate>().unwrap();
    /// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    /// let curve = PayoutCurve::new([(r("0%"), r("0%")), (r("100%"), r("100%"))], r("150%"))?;
    /// let year = Period::new(d(2025, 1, 1), d(2026, 1, 1))?;
    /// let target = Money::parse("10000.00", Currency::USD)?;
    /// let plan = TargetBonus::new(PlanId::new("annual")?, year, curve)
    ///     .gate(Gate::new("new logos", r("90%")));
    /// let short = BonusInputs::new(PersonId::new("ana")?, target, r("110%").fraction())
    ///     .figure("new logos", r("80%").fraction());
    /// let bonus = plan.compute(&short)?;
    /// assert!(!bonus.gates_passed());
    /// assert_eq!(bonus.amount().to_string(), "0.00 USD");
    /// let met = short.clone().figure("new logos", r("95%").fraction());
    /// assert_eq!(plan.compute(&met)?.amount().to_string(), "11000.00 USD");
    /// let missing = BonusInputs::new(PersonId::new("bo")?, target, r("110%").fraction());
    /// assert!(plan.compute(&missing).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn gate(mut self, gate: Gate) -> Self {
        self.gates.push(gate);
        self
    }

    /// Prorates partial periods by `basis` (`work` counts working days).
    ///
    /// # Examples
    ///
    /// Someone who joined on 1 July, prorated by working days instead of
    /// calendar days:
    ///
    /// ```
    /// use salesplan::calendar::{DateRange, ProrationBasis, WorkCalendar};
    /// use chrono::NaiveDate;
    /// use salesplan::bonus::{BonusInputs, PayoutCurve, TargetBonus};
    /// use salesplan::{Currency, Money, Period, PersonId, PlanId, Rate};
    ///
    /// let r = |s: &str| s.parse::<Rate>().unwrap();
    /// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    /// let curve = PayoutCurve::new([(r("0%"), r("0%")), (r("100%"), r("100%"))], r("150%"))?;
    /// let year = Period::new(d(2025, 1, 1), d(2026, 1, 1))?;
    /// let target = Money::parse("10000.00", Currency::USD)?;
    /// let ana = BonusInputs::new(PersonId::new("ana")?, target, r("100%").fraction())
    ///     .employed(DateRange::starting(d(2025, 7, 1)));
    /// let by_days = TargetBonus::new(PlanId::new("annual")?, year, curve.clone());
    /// assert_eq!(by_days.compute(&ana)?.amount().to_string(), "5041.10 USD"); // 184/365
    /// let by_work = TargetBonus::new(PlanId::new("annual")?, year, curve)
    ///     .prorate_by(ProrationBasis::WorkingDays, WorkCalendar::monday_to_friday());
    /// assert_eq!(by_work.compute(&ana)?.amount().to_string(), "5057.47 USD"); // 132/261
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn prorate_by(mut self, basis: ProrationBasis, work: WorkCalendar) -> Self {
        self.proration = basis;
        self.work = work;
        self
    }

    /// How the bonus is rounded.
    #[must_use]
    pub const fn rounding(mut self, policy: RoundingPolicy) -> Self {
        self.rounding = policy;
        self
    }

    /// The plan's id.
    pub const fn id(&self) -> &PlanId {
        &self.id
    }

    /// The period.
    pub const fn period(&self) -> Period {
        self.period
    }

    /// The curve.
    pub const fn curve(&self) -> &PayoutCurve {
        &self.curve
    }

    /// The gates.
    pub fn gates(&self) -> &[Gate] {
        &self.gates
    }

    /// The rounding policy.
    pub const fn rounding_policy(&self) -> RoundingPolicy {
        self.rounding
    }

    /// One person's bonus, with its explanation.
    ///
    /// # Errors
    ///
    /// [`BonusError::MissingFigure`] when a gate's figure is not given;
    /// [`BonusError::NegativeTarget`] for a negative target;
    /// [`BonusError::Calendar`] when working days cannot be counted;
    /// [`BonusError::Arithmetic`] on overflow.
    pub fn compute(&self, inputs: &BonusInputs) -> Result<BonusPayout, BonusError> {
        if inputs.target.is_negative() {
            return Err(BonusError::NegativeTarget {
                person: inputs.person.clone(),
                target: inputs.target,
            });
        }
        let mut gates = Vec::with_capacity(self.gates.len());
        for gate in &self.gates {
            let figure =
                *inputs
                    .figures
                    .get(&gate.name)
                    .ok_or_else(|| BonusError::MissingFigure {
                        person: inputs.person.clone(),
                        name: gate.name.clone(),
                    })?;
            gates.push(GateCheck {
                passed: figure >= gate.minimum.fraction(),
                gate: gate.clone(),
                figure,
            });
        }
        let (reading, share) = self.curve.read(inputs.attainment)?;
        let proration = match inputs.employed {
            Some(range) => {
                let part = clip(&range, &self.period);
                let prorated = match part {
                    Some(p) => Proration::new(&self.period, &p, self.proration, &self.work),
                    // Not employed at all during the period: a whole period
                    // counted against nothing covered.
                    None => Proration::new(&self.period, &self.period, self.proration, &self.work)
                        .map(|full| zero_of(&full)),
                };
                Some(prorated.map_err(|source| BonusError::Calendar { source })?)
            }
            None => None,
        };
        let gated = gates.iter().all(GateCheck::passed);
        let unrounded = if gated {
            // target × payout × covered / total, one division at the end.
            let (covered, total) = proration.map_or((1, 1), |p| (p.covered(), p.total()));
            share.of(inputs.target, covered, total).map_err(arith)?
        } else {
            Money::zero(inputs.target.currency())
        };
        Ok(BonusPayout {
            plan: self.id.clone(),
            person: inputs.person.clone(),
            target: inputs.target,
            reading,
            gates,
            proration,
            unrounded,
            amount: unrounded.round(self.rounding),
            rounding: self.rounding,
        })
    }

    /// Everyone's bonus, sorted by person.
    ///
    /// # Errors
    ///
    /// [`BonusError::DuplicatePerson`] when a person appears twice; any
    /// error of [`compute`](Self::compute), for the first person (by id)
    /// it concerns.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::bonus::{BonusInputs, PayoutCurve, TargetBonus};
    /// use salesplan::{Currency, Money, Period, PersonId, PlanId, Rate};
    ///
    /// let r = |s: &str| s.parse::<Rate>().unwrap();
    /// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    /// let curve = PayoutCurve::new([(r("0%"), r("0%")), (r("100%"), r("100%"))], r("150%"))?;
    /// let year = Period::new(d(2025, 1, 1), d(2026, 1, 1))?;
    /// let target = Money::parse("10000.00", Currency::USD)?;
    /// let plan = TargetBonus::new(PlanId::new("annual")?, year, curve);
    /// let inputs = [
    ///     BonusInputs::new(PersonId::new("zoe")?, target, r("50%").fraction()),
    ///     BonusInputs::new(PersonId::new("ana")?, target, r("120%").fraction()),
    /// ];
    /// let paid: Vec<String> = plan.compute_all(&inputs)?.iter()
    ///     .map(|b| format!("{} {}", b.person(), b.amount())).collect();
    /// assert_eq!(paid, ["ana 12000.00 USD", "zoe 5000.00 USD"]);
    /// let twice = [inputs[0].clone(), inputs[0].clone()];
    /// assert!(plan.compute_all(&twice).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn compute_all(&self, inputs: &[BonusInputs]) -> Result<Vec<BonusPayout>, BonusError> {
        let mut sorted: Vec<&BonusInputs> = inputs.iter().collect();
        sorted.sort_by(|a, b| a.person.cmp(&b.person));
        if let Some(pair) = sorted
            .windows(2)
            .find(|w| matches!(w, [a, b] if a.person == b.person))
            && let Some(first) = pair.first()
        {
            return Err(BonusError::DuplicatePerson {
                person: first.person.clone(),
            });
        }
        sorted.into_iter().map(|i| self.compute(i)).collect()
    }
}

fn arith(source: crate::money::MoneyError) -> BonusError {
    BonusError::Arithmetic { source }
}

/// The days of `range` within `period`.
fn clip(range: &DateRange, period: &Period) -> Option<Period> {
    range.clip(period)
}

/// A proration covering nothing of `like`'s whole.
fn zero_of(like: &Proration) -> Proration {
    Proration::from_units(0, like.total(), like.basis())
}

/// What a person brings to a [`TargetBonus`]: their target amount, their
/// attainment (1 is 100%), the figures the gates check, and when they were
/// employed (omit it for the whole period).
///
/// In JSON, `{"person": .., "target": "10000.00 USD", "attainment": "1.2",
/// "figures": {"annual quota": "1.2"}, "employed": date range}`; `figures`
/// (none) and `employed` (the whole period) may be left out:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::bonus::BonusInputs;
/// let ana: BonusInputs = serde_json::from_str(
///     r#"{"person": "ana", "target": "10000.00 USD", "attainment": "1.2", "figures": {"annual quota": "1.2"}}"#,
/// )?;
/// assert_eq!(ana.person().as_str(), "ana");
/// // An unknown field is refused, naming it.
/// let err = serde_json::from_str::<BonusInputs>(
///     r#"{"person": "ana", "target": "10000.00 USD", "attainment": "1.2", "figure": {}}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("unknown field `figure`"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct BonusInputs {
    person: PersonId,
    target: Money,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    attainment: Decimal,
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(
        feature = "serde",
        serde(with = "crate::money::serde_dec::decimal_named")
    )]
    figures: BTreeMap<String, Decimal>,
    #[cfg_attr(feature = "serde", serde(default))]
    employed: Option<DateRange>,
}

impl BonusInputs {
    /// `person`, whose bonus at 100% is `target`, attained `attainment`.
    pub const fn new(person: PersonId, target: Money, attainment: Decimal) -> BonusInputs {
        BonusInputs {
            person,
            target,
            attainment,
            figures: BTreeMap::new(),
            employed: None,
        }
    }

    /// The figure a gate called `name` checks (1 is 100%).
    #[must_use]
    pub fn figure(mut self, name: impl Into<String>, value: Decimal) -> Self {
        self.figures.insert(name.into(), value);
        self
    }

    /// The days the person was employed (or eligible): the bonus is
    /// prorated to their share of the period.
    #[must_use]
    pub const fn employed(mut self, range: DateRange) -> Self {
        self.employed = Some(range);
        self
    }

    /// The person.
    pub const fn person(&self) -> &PersonId {
        &self.person
    }
}

/// A computed target bonus, with its explanation: the attainment, the
/// curve segment and payout, the gates, the proration and the rounding.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct BonusPayout {
    plan: PlanId,
    person: PersonId,
    target: Money,
    reading: CurveReading,
    gates: Vec<GateCheck>,
    proration: Option<Proration>,
    unrounded: Money,
    amount: Money,
    rounding: RoundingPolicy,
}

impl BonusPayout {
    /// The plan.
    pub const fn plan(&self) -> &PlanId {
        &self.plan
    }

    /// The person.
    pub const fn person(&self) -> &PersonId {
        &self.person
    }

    /// The target at 100%.
    pub const fn target(&self) -> Money {
        self.target
    }

    /// The curve reading: attainment, segment, payout.
    pub const fn reading(&self) -> &CurveReading {
        &self.reading
    }

    /// Every gate, checked.
    pub fn gates(&self) -> &[GateCheck] {
        &self.gates
    }

    /// Whether every gate passed.
    pub fn gates_passed(&self) -> bool {
        self.gates.iter().all(GateCheck::passed)
    }

    /// The proration, when the person was not employed for the whole
    /// period.
    pub const fn proration(&self) -> Option<Proration> {
        self.proration
    }

    /// The exact amount before rounding.
    pub const fn unrounded(&self) -> Money {
        self.unrounded
    }

    /// The bonus, rounded once to minor units.
    pub const fn amount(&self) -> Money {
        self.amount
    }

    /// The rounding policy used.
    pub const fn rounding(&self) -> RoundingPolicy {
        self.rounding
    }
}

impl fmt::Display for BonusPayout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} for {}: {}", self.plan, self.person, self.amount)?;
        for gate in &self.gates {
            writeln!(f, "  {gate}")?;
        }
        if !self.gates_passed() {
            return write!(f, "  a gate failed, so no bonus is paid");
        }
        writeln!(f, "  {}", self.reading)?;
        writeln!(
            f,
            "  target {} x {}",
            self.target,
            percent(self.reading.payout().fraction())
        )?;
        if let Some(p) = &self.proration {
            writeln!(f, "  prorated {p} employed")?;
        }
        write!(
            f,
            "  = {}, rounded {} to {}",
            approx(self.unrounded),
            self.rounding,
            self.amount
        )
    }
}
