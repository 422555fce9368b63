//! Quotas in any measure: revenue, margin, units, deal count, new logos or
//! a measure of the user's own, each counted in its own rounding unit and
//! cascaded by the same exact machinery as money.
//!
//! A measure's target is a whole number of steps of its [`MeasureUnit`]
//! (one deal, one unit, one cent of margin). The cascade counts in steps:
//! it runs the money cascade of [`QuotaPlan`] on the number of steps, in a
//! carrier currency without minor units (`QTY:0`), so over-assignment rounds
//! once per manager to a whole step, splits among reports go through the
//! [allocation core](crate::allocation) by largest remainder within floors
//! and caps, and the months round the running total once. Every figure is
//! then a whole number of steps, and every split adds up exactly in steps.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;

use super::plan::{Basis, LevelRule, Measures, QuotaPlan, QuotaTargets};
use super::season::Seasonality;
use crate::calendar::FiscalCalendar;
use crate::money::{Currency, Money, RoundingPolicy};
use crate::org::{NodeIx, OrgSnapshot, Role};
use crate::quota::QuotaError;

/// What a quota counts.
///
/// With the `serde` feature it reads and writes as `"units"`, `"deals"`,
/// `"new_logos"`, `{"revenue": "USD"}`, `{"margin": "EUR"}` or
/// `{"named": "demos"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum QuotaMeasure {
    /// Booked revenue, in a currency.
    Revenue(Currency),
    /// Gross margin, in a currency.
    Margin(Currency),
    /// Units sold.
    Units,
    /// Deals closed.
    Deals,
    /// New customers won.
    NewLogos,
    /// A measure of the user's own (meetings held, demos, points).
    Named(String),
}

impl QuotaMeasure {
    /// The unit a measure rounds to unless told otherwise: the currency's
    /// minor unit for money, one whole unit for counts and named measures.
    ///
    /// # Errors
    ///
    /// As [`MeasureUnit::minor_of`].
    pub fn default_unit(&self) -> Result<MeasureUnit, QuotaError> {
        match self {
            QuotaMeasure::Revenue(c) | QuotaMeasure::Margin(c) => MeasureUnit::minor_of(*c),
            QuotaMeasure::Units
            | QuotaMeasure::Deals
            | QuotaMeasure::NewLogos
            | QuotaMeasure::Named(_) => Ok(MeasureUnit::WHOLE),
        }
    }
}

impl fmt::Display for QuotaMeasure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuotaMeasure::Revenue(c) => write!(f, "revenue ({c})"),
            QuotaMeasure::Margin(c) => write!(f, "margin ({c})"),
            QuotaMeasure::Units => f.write_str("units"),
            QuotaMeasure::Deals => f.write_str("deals"),
            QuotaMeasure::NewLogos => f.write_str("new logos"),
            QuotaMeasure::Named(name) => f.write_str(name),
        }
    }
}

/// The rounding unit of a measure: every target is a whole number of these
/// steps (1 for counts, 0.01 for cents, 0.5 for half units, 5 for packs).
///
/// With the `serde` feature it reads and writes as its step, through
/// [`MeasureUnit::new`], so a step of zero or below is refused:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::quota::MeasureUnit;
///
/// let half: MeasureUnit = serde_json::from_str(r#""0.5""#)?;
/// assert_eq!(half.step().to_string(), "0.5");
/// let err = serde_json::from_str::<MeasureUnit>(r#""0""#).unwrap_err();
/// assert!(err.to_string().contains("rounding unit must be positive, not 0"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "Decimal", into = "Decimal"))]
pub struct MeasureUnit {
    step: Decimal,
}

impl MeasureUnit {
    /// Whole units (deals, logos, units).
    pub const WHOLE: MeasureUnit = MeasureUnit { step: Decimal::ONE };

    /// A step of `step`.
    ///
    /// # Errors
    ///
    /// [`QuotaError::NonPositiveUnit`] for a step that is zero or negative.
    pub fn new(step: Decimal) -> Result<MeasureUnit, QuotaError> {
        if step <= Decimal::ZERO {
            return Err(QuotaError::NonPositiveUnit { step });
        }
        Ok(MeasureUnit {
            step: step.normalize(),
        })
    }

    /// The minor unit of a currency (0.01 for USD, 1 for JPY).
    ///
    /// # Errors
    ///
    /// [`QuotaError::Amount`] only for a currency with more minor units
    /// than a `Decimal` holds (the crate's currencies have at most 18).
    pub fn minor_of(currency: Currency) -> Result<MeasureUnit, QuotaError> {
        Money::from_minor(1, currency)
            .map(|m| MeasureUnit { step: m.amount() })
            .map_err(|source| QuotaError::Amount { source })
    }

    /// The step.
    pub const fn step(&self) -> Decimal {
        self.step
    }

    /// `value` as a whole number of steps.
    fn steps(self, measure: &QuotaMeasure, value: Decimal) -> Result<i128, QuotaError> {
        let not_whole = || QuotaError::NotWholeUnits {
            measure: measure.to_string(),
            value,
            step: self.step,
        };
        let count = value.checked_div(self.step).ok_or_else(not_whole)?;
        if count.fract() != Decimal::ZERO {
            return Err(not_whole());
        }
        let count = count.normalize();
        // A whole number: the mantissa at scale 0 is the count.
        if count.scale() != 0 {
            return Err(not_whole());
        }
        Ok(count.mantissa())
    }

    /// A whole number of steps as a figure of the measure.
    fn value(self, steps: i128) -> Result<Decimal, QuotaError> {
        crate::money::integer(steps)
            .ok()
            .and_then(|s| s.checked_mul(self.step))
            .map(|d| d.normalize())
            .ok_or(QuotaError::StepsOverflow { steps })
    }
}

impl TryFrom<Decimal> for MeasureUnit {
    type Error = QuotaError;
    fn try_from(step: Decimal) -> Result<MeasureUnit, QuotaError> {
        MeasureUnit::new(step)
    }
}

impl From<MeasureUnit> for Decimal {
    fn from(unit: MeasureUnit) -> Decimal {
        unit.step
    }
}

impl fmt::Display for MeasureUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.step)
    }
}

/// The currency the cascade counts steps in: no minor units, so every
/// figure is a whole number of steps.
pub(crate) fn carrier() -> Result<Currency, QuotaError> {
    Currency::custom("QTY", 0).map_err(|source| QuotaError::Amount { source })
}

/// An annual quota plan in any measure: a target in the measure's unit,
/// cascaded down the org by the same rules as a [`QuotaPlan`] (levels,
/// bases, over-assignment, exclusions, seasonality), exact in whole steps.
///
/// ```
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
/// use salesplan::calendar::{DateRange, FiscalCalendar};
/// use salesplan::org::{Org, Position, ReportingLine, Role};
/// use salesplan::quota::{Basis, LevelRule, Measures, MeasurePlan, QuotaMeasure};
/// use salesplan::PositionId;
///
/// let pos = |s: &str| PositionId::new(s).unwrap();
/// let from = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
/// let org = Org::builder()
///     .position(Position::new(pos("mgr"), Role::RegionalManager))
///     .positions(["a", "b", "c"].map(|r| Position::new(pos(r), Role::SalesRep)))
///     .line(ReportingLine::top(pos("mgr"), from))
///     .lines(["a", "b", "c"].map(|r| ReportingLine::new(pos(r), pos("mgr"), from)))
///     .build()?;
/// let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())?;
///
/// // 100 new logos, over-assigned by 110%: 110 whole logos among three reps.
/// let plan = MeasurePlan::new(2025, FiscalCalendar::gregorian(), QuotaMeasure::NewLogos, Decimal::from(100))
///     .level(0, LevelRule::new(Basis::Equal).over_assign("110%".parse()?));
/// let targets = plan.cascade(&snapshot, &Measures::new())?;
/// let rep = |id: &str| targets.annual(snapshot.node(&pos(id)).unwrap().index()).unwrap();
/// assert_eq!([rep("a"), rep("b"), rep("c")].map(|d| d.to_string()), ["37", "37", "36"]);
/// // Months are whole logos too, and add up to the year.
/// let months = targets.months(snapshot.node(&pos("c")).unwrap().index())?;
/// assert!(months.iter().all(|m| m.fract().is_zero()));
/// assert_eq!(months.iter().copied().sum::<Decimal>(), Decimal::from(36));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// With the `serde` feature it reads and writes as the fields of a
/// [`QuotaPlan`] (`year`, `calendar`, and, optional, `seasonality`,
/// `levels`, `default_rule`, `excluded_roles`, `rounding`, with the same
/// defaults), `measure`, `target` and, optional, `unit`, `floors`, `caps`;
/// unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct MeasurePlan {
    year: i32,
    calendar: FiscalCalendar,
    measure: QuotaMeasure,
    /// `None`: the measure's default unit.
    #[cfg_attr(feature = "serde", serde(default))]
    unit: Option<MeasureUnit>,
    #[cfg_attr(
        feature = "serde",
        serde(with = "crate::money::serde_dec::decimal_str")
    )]
    target: Decimal,
    #[cfg_attr(feature = "serde", serde(default = "Seasonality::flat"))]
    seasonality: Seasonality,
    #[cfg_attr(feature = "serde", serde(default))]
    levels: BTreeMap<u32, LevelRule>,
    #[cfg_attr(feature = "serde", serde(default = "equal_split"))]
    default_rule: LevelRule,
    #[cfg_attr(feature = "serde", serde(default = "default_excluded_roles"))]
    excluded_roles: Vec<Role>,
    #[cfg_attr(feature = "serde", serde(default = "default_rounding"))]
    rounding: RoundingPolicy,
    #[cfg_attr(feature = "serde", serde(default))]
    floors: Vec<Option<Decimal>>,
    #[cfg_attr(feature = "serde", serde(default))]
    caps: Vec<Option<Decimal>>,
}

/// Equal shares without over-assignment, as a [`QuotaPlan`]'s default.
fn equal_split() -> LevelRule {
    LevelRule::new(Basis::Equal)
}

/// The roles that carry no quota unless told otherwise, as a
/// [`QuotaPlan`]'s default.
fn default_excluded_roles() -> Vec<Role> {
    vec![Role::SalesAdministrator]
}

/// The rounding of over-assigned targets unless told otherwise, as a
/// [`QuotaPlan`]'s default.
const fn default_rounding() -> RoundingPolicy {
    RoundingPolicy::HalfAwayFromZero
}

impl MeasurePlan {
    /// A plan of `target` in `measure` for fiscal `year`, in the measure's
    /// [default unit](QuotaMeasure::default_unit), split equally at every
    /// level over a flat year, as [`QuotaPlan::new`].
    pub fn new(
        year: i32,
        calendar: FiscalCalendar,
        measure: QuotaMeasure,
        target: Decimal,
    ) -> MeasurePlan {
        MeasurePlan {
            year,
            calendar,
            measure,
            unit: None,
            target,
            seasonality: Seasonality::flat(),
            levels: BTreeMap::new(),
            default_rule: equal_split(),
            excluded_roles: default_excluded_roles(),
            rounding: default_rounding(),
            floors: Vec::new(),
            caps: Vec::new(),
        }
    }

    /// Rounds to `unit` instead of the measure's default.
    #[must_use]
    pub fn unit(mut self, unit: MeasureUnit) -> MeasurePlan {
        self.unit = Some(unit);
        self
    }

    /// How managers at `depth` split their targets (as
    /// [`QuotaPlan::level`]).
    #[must_use]
    pub fn level(mut self, depth: u32, rule: LevelRule) -> MeasurePlan {
        self.levels.insert(depth, rule);
        self
    }

    /// How levels without a rule split (as [`QuotaPlan::default_rule`]).
    #[must_use]
    pub fn default_rule(mut self, rule: LevelRule) -> MeasurePlan {
        self.default_rule = rule;
        self
    }

    /// How the year is spread over its periods.
    #[must_use]
    pub fn seasonality(mut self, profile: Seasonality) -> MeasurePlan {
        self.seasonality = profile;
        self
    }

    /// Positions with this role carry no quota (as [`QuotaPlan::exclude`]).
    #[must_use]
    pub fn exclude(mut self, role: Role) -> MeasurePlan {
        if !self.excluded_roles.contains(&role) {
            self.excluded_roles.push(role);
        }
        self
    }

    /// Every role carries quota.
    #[must_use]
    pub fn exclude_none(mut self) -> MeasurePlan {
        self.excluded_roles.clear();
        self
    }

    /// How over-assigned targets round to whole steps (once per manager).
    #[must_use]
    pub fn rounding(mut self, policy: RoundingPolicy) -> MeasurePlan {
        self.rounding = policy;
        self
    }

    /// Floors on positions' targets in the measure, one per declared
    /// position (whole steps).
    #[must_use]
    pub fn floors(mut self, floors: Vec<Option<Decimal>>) -> MeasurePlan {
        self.floors = floors;
        self
    }

    /// Caps on positions' targets in the measure, one per declared
    /// position (whole steps).
    #[must_use]
    pub fn caps(mut self, caps: Vec<Option<Decimal>>) -> MeasurePlan {
        self.caps = caps;
        self
    }

    /// The measure.
    pub const fn measure(&self) -> &QuotaMeasure {
        &self.measure
    }

    /// The rounding unit.
    ///
    /// # Errors
    ///
    /// As [`QuotaMeasure::default_unit`] when none was set.
    pub fn rounding_unit(&self) -> Result<MeasureUnit, QuotaError> {
        self.unit.map_or_else(|| self.measure.default_unit(), Ok)
    }

    /// The company target in the measure.
    pub const fn target(&self) -> Decimal {
        self.target
    }

    /// The money plan the cascade runs: this plan's rules, its target
    /// set, in steps, when the plan is cascaded.
    fn shape(&self) -> QuotaPlan {
        let mut plan = QuotaPlan::new(self.year, self.calendar, Money::zero(Currency::USD))
            .seasonality(self.seasonality.clone())
            .default_rule(self.default_rule.clone())
            .rounding(self.rounding)
            .exclude_none();
        for (depth, rule) in &self.levels {
            plan = plan.level(*depth, rule.clone());
        }
        for role in &self.excluded_roles {
            plan = plan.exclude(role.clone());
        }
        plan
    }

    /// Cascades the target down `snapshot` in whole steps, by the rules of
    /// [`QuotaPlan::cascade`]; `measures` gives the figures the bases split
    /// by (its money floors and caps are not used: the plan's own, in the
    /// measure, are).
    ///
    /// # Errors
    ///
    /// [`QuotaError::NotWholeUnits`] for a target, floor or cap that is
    /// not a whole number of steps; [`QuotaError::NegativeMeasureTarget`]
    /// for a negative target; any error of [`QuotaPlan::cascade`].
    pub fn cascade<'s>(
        &self,
        snapshot: &'s OrgSnapshot,
        measures: &Measures,
    ) -> Result<MeasureTargets<'s>, QuotaError> {
        if self.target.is_sign_negative() && !self.target.is_zero() {
            return Err(QuotaError::NegativeMeasureTarget {
                measure: self.measure.to_string(),
                value: self.target,
            });
        }
        let carrier = carrier()?;
        let unit = self.rounding_unit()?;
        let in_steps = |value: Decimal| -> Result<Money, QuotaError> {
            let steps = unit.steps(&self.measure, value)?;
            Money::from_minor(steps, carrier).map_err(|source| QuotaError::Amount { source })
        };
        let bounds = |list: &[Option<Decimal>]| -> Result<Vec<Option<Money>>, QuotaError> {
            list.iter().map(|b| b.map(in_steps).transpose()).collect()
        };
        let plan = self.shape().with_target(in_steps(self.target)?);
        // The plan's own bounds, in steps, replace any money bounds (the
        // figures are copied only then).
        let steps = if self.floors.is_empty() && self.caps.is_empty() && !measures.has_bounds() {
            plan.cascade(snapshot, measures)?
        } else {
            let measures = measures
                .clone()
                .with_floors(bounds(&self.floors)?)
                .with_caps(bounds(&self.caps)?);
            plan.cascade(snapshot, &measures)?
        };
        Ok(MeasureTargets {
            measure: self.measure.clone(),
            unit,
            steps,
        })
    }
}

/// Every position's target in a measure, from a [`MeasurePlan`].
#[derive(Debug)]
pub struct MeasureTargets<'s> {
    measure: QuotaMeasure,
    unit: MeasureUnit,
    steps: QuotaTargets<'s>,
}

impl<'s> MeasureTargets<'s> {
    /// The measure.
    pub const fn measure(&self) -> &QuotaMeasure {
        &self.measure
    }

    /// The rounding unit.
    pub const fn unit(&self) -> MeasureUnit {
        self.unit
    }

    /// The cascade counted in whole steps, as money of the carrier
    /// currency `QTY:0` (one minor unit per step): its explanations, gap
    /// report, adjustments and versions read in steps.
    pub const fn in_steps(&self) -> &QuotaTargets<'s> {
        &self.steps
    }

    fn figure(&self, money: Money) -> Result<Decimal, QuotaError> {
        let steps = money
            .to_minor()
            .map_err(|source| QuotaError::Amount { source })?;
        self.unit.value(steps)
    }

    /// A node's annual target in the measure.
    ///
    /// # Errors
    ///
    /// [`QuotaError::ForeignNode`] for an index of another snapshot.
    pub fn annual(&self, node: NodeIx) -> Result<Decimal, QuotaError> {
        self.figure(self.steps.annual(node)?)
    }

    /// A node's twelve monthly targets in the measure (month 0 is the
    /// first fiscal month); they add up to [`MeasureTargets::annual`].
    ///
    /// # Errors
    ///
    /// [`QuotaError::ForeignNode`] for an index of another snapshot.
    pub fn months(&self, node: NodeIx) -> Result<Vec<Decimal>, QuotaError> {
        let split = self.steps.split(node)?;
        split
            .months()
            .iter()
            .map(|(_, m)| self.figure(*m))
            .collect()
    }

    /// A node's four quarterly targets in the measure.
    ///
    /// # Errors
    ///
    /// [`QuotaError::ForeignNode`] for an index of another snapshot.
    pub fn quarters(&self, node: NodeIx) -> Result<Vec<Decimal>, QuotaError> {
        let split = self.steps.split(node)?;
        split
            .quarters()
            .iter()
            .map(|(_, q)| self.figure(*q))
            .collect()
    }
}
