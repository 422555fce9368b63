//! The quota plan: the company target cascaded down the org, level by
//! level, then into periods, with the derivation of every figure.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;

use super::season::{Seasonality, YearSplit, YearSplitter};
use crate::allocation::{AllocationError, Bound, Recipient, Split, allocate, blend, over_assign};
use crate::calendar::{FiscalCalendar, Period};
use crate::ids::PositionId;
use crate::money::{Currency, Money, Percent, Rate, RoundingPolicy};
use crate::org::{Node, NodeIx, OrgSnapshot, Role};
use crate::quota::QuotaError;
use crate::rollup::NodeValues;

/// What a manager's target is split by among their direct reports.
///
/// In JSON: `"equal"`, `{"measure": "prior_year"}` or
/// `{"blend": [["50%", "prior_year"], ["50%", "potential"]]}` (the blend's
/// percentages must add up to 100%, which the cascade checks).
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::quota::Basis;
///
/// let basis: Basis = serde_json::from_str(r#"{"blend": [["60%", "prior_year"], ["40%", "potential"]]}"#)?;
/// assert_eq!(basis.to_string(), "blend of 60% prior_year + 40% potential");
/// assert_eq!(serde_json::from_str::<Basis>(r#""equal""#)?, Basis::Equal);
/// assert!(serde_json::from_str::<Basis>(r#"{"measures": "prior_year"}"#).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Basis {
    /// Equal shares.
    Equal,
    /// In proportion to a named measure (prior-year sales, trailing twelve
    /// months, market potential, account count, headcount...) given in
    /// [`Measures`].
    Measure(String),
    /// Several measures, each normalised to shares of its own total, then
    /// mixed: for example 50% prior year + 50% potential.
    Blend(Vec<(Percent, String)>),
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Basis::Equal => f.write_str("equal shares"),
            Basis::Measure(m) => write!(f, "{m}"),
            Basis::Blend(parts) => {
                let parts: Vec<String> = parts.iter().map(|(p, m)| format!("{p} {m}")).collect();
                write!(f, "blend of {}", parts.join(" + "))
            }
        }
    }
}

/// How one level of managers splits their targets: the basis, and the
/// over-assignment factor (110% gives the reports 10% more than the
/// manager's own target, so the manager still makes it if some miss).
///
/// # JSON
///
/// `basis` is required (see [`Basis`]); `over_assignment` defaults to
/// `"100%"`, as [`LevelRule::new`]. Unknown fields are refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::quota::{Basis, LevelRule};
///
/// let rule: LevelRule = serde_json::from_str(r#"{"basis": "equal", "over_assignment": "110%"}"#)?;
/// assert_eq!(rule, LevelRule::new(Basis::Equal).over_assign("110%".parse()?));
/// let plain: LevelRule = serde_json::from_str(r#"{"basis": {"measure": "potential"}}"#)?;
/// assert_eq!(plain, LevelRule::new(Basis::Measure("potential".into())));
/// let err = serde_json::from_str::<LevelRule>(r#"{"basis": "equal", "overassignment": "110%"}"#)
///     .unwrap_err();
/// assert!(err.to_string().contains("unknown field `overassignment`"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct LevelRule {
    basis: Basis,
    #[cfg_attr(feature = "serde", serde(default = "no_over_assignment"))]
    over_assignment: Rate,
}

/// 100%: the over-assignment a level rule has unless told otherwise.
#[cfg(feature = "serde")]
fn no_over_assignment() -> Rate {
    Rate::ONE
}

impl LevelRule {
    /// Splits by `basis`, without over-assignment.
    pub fn new(basis: Basis) -> LevelRule {
        LevelRule {
            basis,
            over_assignment: Rate::ONE,
        }
    }

    /// Gives the reports `factor` times the manager's target (110%: 10%
    /// more).
    #[must_use]
    pub fn over_assign(mut self, factor: Rate) -> LevelRule {
        self.over_assignment = factor;
        self
    }

    /// The basis.
    pub fn basis(&self) -> &Basis {
        &self.basis
    }

    /// The over-assignment factor.
    pub const fn over_assignment(&self) -> Rate {
        self.over_assignment
    }
}

/// Figures per position, in the order of
/// [`Org::positions`](crate::org::Org::positions), that plans split by;
/// plus optional floors and caps on positions' annual targets.
///
/// # JSON
///
/// `named` maps each measure to its figures (decimal strings), and
/// `floors` and `caps` list an optional amount per position; each defaults
/// to empty. Their lengths are checked against the org when the plan is
/// cascaded ([`QuotaError::MeasureLength`]). Unknown fields are refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use rust_decimal::Decimal;
/// use salesplan::quota::Measures;
/// use salesplan::{Currency, Money};
///
/// let measures: Measures = serde_json::from_str(r#"{
///     "named": {"prior_year": ["0", "1200.50", "800"]},
///     "floors": [null, "100000.00 USD", null]
/// }"#)?;
/// let usd = |a| Money::parse(a, Currency::USD).unwrap();
/// let built = Measures::new()
///     .with("prior_year", vec![Decimal::ZERO, "1200.50".parse()?, Decimal::from(800)])
///     .with_floors(vec![None, Some(usd("100000.00")), None]);
/// assert_eq!(measures, built);
/// let err = serde_json::from_str::<Measures>(r#"{"named": {}, "cap": []}"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `cap`"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Measures {
    #[cfg_attr(feature = "serde", serde(default))]
    #[cfg_attr(
        feature = "serde",
        serde(with = "crate::money::serde_dec::decimal_map")
    )]
    named: BTreeMap<String, Vec<Decimal>>,
    #[cfg_attr(feature = "serde", serde(default))]
    floors: Vec<Option<Money>>,
    #[cfg_attr(feature = "serde", serde(default))]
    caps: Vec<Option<Money>>,
}

impl Measures {
    /// No measures.
    pub fn new() -> Measures {
        Measures::default()
    }

    /// Adds a measure: one figure per declared position.
    #[must_use]
    pub fn with(mut self, name: impl Into<String>, by_position: Vec<Decimal>) -> Measures {
        self.named.insert(name.into(), by_position);
        self
    }

    /// Floors on positions' targets, one per declared position.
    #[must_use]
    pub fn with_floors(mut self, floors: Vec<Option<Money>>) -> Measures {
        self.floors = floors;
        self
    }

    /// Caps on positions' targets, one per declared position.
    #[must_use]
    pub fn with_caps(mut self, caps: Vec<Option<Money>>) -> Measures {
        self.caps = caps;
        self
    }

    /// Floors and caps, when given, have one entry per declared position.
    fn check_bounds_length(&self, declared: usize) -> Result<(), QuotaError> {
        for (name, list) in [("floors", &self.floors), ("caps", &self.caps)] {
            if !list.is_empty() && list.len() != declared {
                return Err(QuotaError::MeasureLength {
                    name: name.to_owned(),
                    expected: declared,
                    found: list.len(),
                });
            }
        }
        Ok(())
    }

    /// Whether any position has a floor or a cap.
    pub(crate) fn has_bounds(&self) -> bool {
        self.floors.iter().chain(&self.caps).any(Option::is_some)
    }

    fn figures(&self, name: &str, positions: usize) -> Result<&[Decimal], QuotaError> {
        let values = self
            .named
            .get(name)
            .ok_or_else(|| QuotaError::UnknownMeasure {
                name: name.to_owned(),
            })?;
        if values.len() != positions {
            return Err(QuotaError::MeasureLength {
                name: name.to_owned(),
                expected: positions,
                found: values.len(),
            });
        }
        Ok(values)
    }
}

/// An annual quota plan: the company target, how each level splits it, how
/// the year is split into periods.
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::calendar::{DateRange, FiscalCalendar};
/// use salesplan::org::{Org, Position, ReportingLine, Role};
/// use salesplan::quota::{Basis, LevelRule, Measures, QuotaPlan};
/// use salesplan::{Currency, Money, PositionId};
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
/// // 110% over-assignment across three equal reps.
/// let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), Money::parse("1000000.00", Currency::USD)?)
///     .level(0, LevelRule::new(Basis::Equal).over_assign("110%".parse()?));
/// let targets = plan.cascade(&snapshot, &Measures::new())?;
/// let rep = |id: &str| targets.annual(snapshot.node(&pos(id)).unwrap().index()).unwrap();
/// assert_eq!(rep("a").to_string(), "366666.67 USD");
/// assert_eq!(rep("b").to_string(), "366666.67 USD");
/// assert_eq!(rep("c").to_string(), "366666.66 USD");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # JSON
///
/// `year`, `calendar` (a [`FiscalCalendar`]) and `target` are required, as
/// in [`QuotaPlan::new`]; everything else defaults as `new` sets it: a flat
/// `seasonality`, no `levels` (a map from depth to [`LevelRule`]), an equal
/// `default_rule` without over-assignment, `excluded_roles`
/// `["sales_administrator"]`, `rounding` `"half_away_from_zero"`. Unknown
/// fields are refused. The figures a plan splits by come apart, as
/// [`Measures`].
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use chrono::Month;
/// use salesplan::calendar::{FiscalCalendar, YearNaming};
/// use salesplan::quota::{Basis, LevelRule, QuotaPlan, Seasonality};
/// use salesplan::{Currency, Money};
///
/// let plan: QuotaPlan = serde_json::from_str(r#"{
///     "year": 2025,
///     "calendar": {"kind": {"monthly": {"start": "April"}}, "naming": "by_start_year"},
///     "target": "12000000.00 USD",
///     "seasonality": {"weights": ["20", "25", "25", "30"]},
///     "levels": {"0": {"basis": {"measure": "prior_year"}, "over_assignment": "110%"}}
/// }"#)?;
/// let built = QuotaPlan::new(
///     2025,
///     FiscalCalendar::starting(Month::April, YearNaming::ByStartYear),
///     Money::parse("12000000.00", Currency::USD)?,
/// )
/// .seasonality(Seasonality::quarterly(["20", "25", "25", "30"].map(|w| w.parse().unwrap()))?)
/// .level(0, LevelRule::new(Basis::Measure("prior_year".into())).over_assign("110%".parse()?));
/// assert_eq!(plan, built);
/// // A misspelled field is refused, by name.
/// let err = serde_json::from_str::<QuotaPlan>(r#"{
///     "year": 2025,
///     "calendar": {"kind": {"monthly": {"start": "January"}}, "naming": "by_start_year"},
///     "target": "1000.00 USD",
///     "seasonalty": {"weights": ["1", "1", "1", "1"]}
/// }"#)
/// .unwrap_err();
/// assert!(err.to_string().contains("unknown field `seasonalty`"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct QuotaPlan {
    year: i32,
    calendar: FiscalCalendar,
    target: Money,
    #[cfg_attr(feature = "serde", serde(default = "Seasonality::flat"))]
    seasonality: Seasonality,
    #[cfg_attr(feature = "serde", serde(default))]
    levels: BTreeMap<u32, LevelRule>,
    #[cfg_attr(feature = "serde", serde(default = "equal_split"))]
    default_rule: LevelRule,
    #[cfg_attr(feature = "serde", serde(default = "default_excluded_roles"))]
    excluded_roles: Vec<Role>,
    #[cfg_attr(feature = "serde", serde(default))]
    rounding: RoundingPolicy,
}

/// Equal shares without over-assignment: a plan's rule unless told
/// otherwise.
fn equal_split() -> LevelRule {
    LevelRule::new(Basis::Equal)
}

/// The roles that carry no quota unless told otherwise.
fn default_excluded_roles() -> Vec<Role> {
    vec![Role::SalesAdministrator]
}

impl QuotaPlan {
    /// A plan for fiscal `year` of `calendar` with the company `target`:
    /// equal splits at every level, a flat year, no over-assignment; sales
    /// administrators carry no quota.
    pub fn new(year: i32, calendar: FiscalCalendar, target: Money) -> QuotaPlan {
        QuotaPlan {
            year,
            calendar,
            target,
            seasonality: Seasonality::flat(),
            levels: BTreeMap::new(),
            default_rule: equal_split(),
            excluded_roles: default_excluded_roles(),
            rounding: RoundingPolicy::HalfAwayFromZero,
        }
    }

    /// How managers at `depth` (0 is the top) split their targets.
    #[must_use]
    pub fn level(mut self, depth: u32, rule: LevelRule) -> QuotaPlan {
        self.levels.insert(depth, rule);
        self
    }

    /// How managers at depths without their own rule split their targets.
    #[must_use]
    pub fn default_rule(mut self, rule: LevelRule) -> QuotaPlan {
        self.default_rule = rule;
        self
    }

    /// How the year is spread over its periods.
    #[must_use]
    pub fn seasonality(mut self, profile: Seasonality) -> QuotaPlan {
        self.seasonality = profile;
        self
    }

    /// Positions with this role carry no quota (nor does anyone below them).
    #[must_use]
    pub fn exclude(mut self, role: Role) -> QuotaPlan {
        if !self.excluded_roles.contains(&role) {
            self.excluded_roles.push(role);
        }
        self
    }

    /// Every role carries quota.
    #[must_use]
    pub fn exclude_none(mut self) -> QuotaPlan {
        self.excluded_roles.clear();
        self
    }

    /// How over-assigned targets are rounded to minor units (once per
    /// manager).
    #[must_use]
    pub fn rounding(mut self, policy: RoundingPolicy) -> QuotaPlan {
        self.rounding = policy;
        self
    }

    /// The same plan with another company target (the measure plans run
    /// the money cascade on a target counted in whole steps).
    pub(crate) fn with_target(mut self, target: Money) -> QuotaPlan {
        self.target = target;
        self
    }

    /// The fiscal calendar.
    pub const fn calendar(&self) -> &FiscalCalendar {
        &self.calendar
    }

    /// The fiscal year.
    pub const fn year(&self) -> i32 {
        self.year
    }

    /// The company target.
    pub const fn target(&self) -> Money {
        self.target
    }

    fn rule(&self, depth: u32) -> &LevelRule {
        self.levels.get(&depth).unwrap_or(&self.default_rule)
    }

    /// Cascades the company target down `snapshot`: each manager's target
    /// (times its level's over-assignment, rounded once) is split among the
    /// direct reports that carry quota, by the level's basis, within their
    /// floors and caps. Then every target can be split into periods.
    ///
    /// # Errors
    ///
    /// [`QuotaError::NegativeTarget`] for a negative company target;
    /// [`QuotaError::UnknownMeasure`] and [`QuotaError::MeasureLength`] for
    /// a basis whose figures are missing; [`QuotaError::Allocation`] naming
    /// the manager (and the report, where there is one) when a split fails
    /// (all-zero or negative figures, infeasible floors or caps);
    /// [`QuotaError::Calendar`] and the profile errors of
    /// [`YearSplitter::new`].
    pub fn cascade<'s>(
        &self,
        snapshot: &'s OrgSnapshot,
        measures: &Measures,
    ) -> Result<QuotaTargets<'s>, QuotaError> {
        if self.target.is_negative() {
            return Err(QuotaError::NegativeTarget {
                amount: self.target,
            });
        }
        let currency = self.target.currency();
        let splitter = YearSplitter::new(&self.calendar, self.year, &self.seasonality)?;
        let declared = snapshot.org().positions().len();
        let root_target = self
            .target
            .to_minor()
            .map_err(|source| QuotaError::Amount { source })?;
        measures.check_bounds_length(declared)?;
        let excluded = self.excluded_nodes(snapshot)?;
        let is_excluded = |x: &Node<'_>| excluded.get(x.index().index()).copied().unwrap_or(true);
        let inputs = SplitInputs {
            measures,
            declared,
            has_bounds: measures.has_bounds(),
        };
        let n = snapshot.len();
        let mut out = Cascaded {
            annual: vec![0i128; n],
            why: vec![Derivation::TOP; n],
        };
        if let Some(slot) = out.annual.first_mut() {
            *slot = root_target;
        }
        let mut carries = vec![false; n];
        for node in snapshot.nodes() {
            let ix = node.index().index();
            // A position carries quota when its manager does and its role
            // is not excluded.
            let parent_carries = node
                .parent()
                .is_none_or(|p| carries.get(p.index().index()).copied().unwrap_or(false));
            let carry = parent_carries && !is_excluded(&node);
            if let Some(slot) = carries.get_mut(ix) {
                *slot = carry;
            }
            if !carry {
                if let Some(slot) = out.annual.get_mut(ix) {
                    *slot = 0;
                }
                continue;
            }
            let reports: Vec<Node<'_>> = node.children().filter(|c| !is_excluded(c)).collect();
            if !reports.is_empty() {
                self.split_down(&node, &reports, &inputs, &mut out)?;
            }
        }
        Ok(QuotaTargets {
            snapshot,
            plan: self.clone(),
            currency,
            splitter,
            annual: out.annual,
            carries,
            why: out.why,
            adjusted: BTreeMap::new(),
            adjustments: Vec::new(),
        })
    }

    /// Whether each node's role carries no quota, in node order; an error
    /// when the top of the org is excluded.
    fn excluded_nodes(&self, snapshot: &OrgSnapshot) -> Result<Vec<bool>, QuotaError> {
        // Each node's role is looked at once (positions are in declaration
        // order, so this is a gather).
        let excluded: Vec<bool> = if self.excluded_roles.is_empty() {
            vec![false; snapshot.len()]
        } else {
            snapshot
                .nodes()
                .map(|x| self.excluded_roles.contains(x.role()))
                .collect()
        };
        if excluded.first().copied().unwrap_or(true) {
            return Err(QuotaError::TopExcluded {
                position: snapshot.root().id().clone(),
            });
        }
        Ok(excluded)
    }

    /// Splits `manager`'s target (already in `out`) among its `reports`:
    /// over-assignment, then the level's basis within floors and caps; each
    /// report's target and its derivation go into `out`.
    fn split_down(
        &self,
        manager: &Node<'_>,
        reports: &[Node<'_>],
        inputs: &SplitInputs<'_>,
        out: &mut Cascaded,
    ) -> Result<(), QuotaError> {
        let currency = self.target.currency();
        let rule = self.rule(manager.depth());
        let ix = manager.index().index();
        let own_minor = out
            .annual
            .get(ix)
            .copied()
            .ok_or(QuotaError::NodeOutOfRange { index: ix })?;
        let own = Money::from_minor(own_minor, currency)
            .map_err(|source| QuotaError::Amount { source })?;
        let stretched =
            over_assign(own, rule.over_assignment, self.rounding).map_err(|source| {
                QuotaError::Allocation {
                    manager: manager.id().clone(),
                    report: None,
                    source: Box::new(source),
                }
            })?;
        let weights = self.weights(
            &rule.basis,
            manager,
            reports,
            inputs.measures,
            inputs.declared,
        )?;
        let split = split_target(manager, reports, &weights, stretched, inputs)?;
        let stretched_minor = stretched
            .to_minor()
            .map_err(|source| QuotaError::Amount { source })?;
        let (pool, pool_weight) = proportional_pool(manager, &split, &weights, stretched_minor)?;
        // One share, weight, bound and mark per report, in order.
        let per_report = split
            .shares
            .iter()
            .zip(&weights)
            .zip(split.bounds.iter().zip(&split.extra));
        for (report, ((share, weight), (bound, extra_unit))) in reports.iter().zip(per_report) {
            let r = report.index().index();
            if let Some(slot) = out.annual.get_mut(r) {
                *slot = *share;
            }
            if let Some(slot) = out.why.get_mut(r) {
                *slot = Derivation {
                    stretched: stretched_minor,
                    factor: rule.over_assignment,
                    pool,
                    weight: *weight,
                    pool_weight,
                    bound: *bound,
                    extra_unit: *extra_unit,
                };
            }
        }
        Ok(())
    }

    /// Each report's weight under `basis`.
    fn weights(
        &self,
        basis: &Basis,
        manager: &Node<'_>,
        reports: &[Node<'_>],
        measures: &Measures,
        declared: usize,
    ) -> Result<Vec<Decimal>, QuotaError> {
        match basis {
            Basis::Equal => Ok(vec![Decimal::ONE; reports.len()]),
            Basis::Measure(name) => {
                let figures = measures.figures(name, declared)?;
                reports
                    .iter()
                    .map(|r| figure_of(figures, r, name, declared))
                    .collect()
            }
            Basis::Blend(parts) => {
                let columns: Vec<(Percent, Vec<Decimal>)> = parts
                    .iter()
                    .map(|(share, name)| {
                        let figures = measures.figures(name, declared)?;
                        Ok((
                            *share,
                            reports
                                .iter()
                                .map(|r| figure_of(figures, r, name, declared))
                                .collect::<Result<_, _>>()?,
                        ))
                    })
                    .collect::<Result<_, QuotaError>>()?;
                let bases: Vec<(Percent, &[Decimal])> =
                    columns.iter().map(|(p, v)| (*p, v.as_slice())).collect();
                blend(&bases).map_err(|source| QuotaError::Allocation {
                    manager: manager.id().clone(),
                    report: recipient_of(&source)
                        .and_then(|i| reports.get(i))
                        .map(|r| r.id().clone()),
                    source: Box::new(source),
                })
            }
        }
    }
}

/// A report's figure in a measure (one figure per declared position,
/// checked by [`Measures::figures`]).
fn figure_of(
    figures: &[Decimal],
    report: &Node<'_>,
    name: &str,
    declared: usize,
) -> Result<Decimal, QuotaError> {
    figures
        .get(report.declared_index())
        .copied()
        .ok_or_else(|| QuotaError::MeasureLength {
            name: name.to_owned(),
            expected: declared,
            found: figures.len(),
        })
}

/// The recipient an allocation error names, if any.
fn recipient_of(e: &AllocationError) -> Option<usize> {
    match e {
        AllocationError::NegativeWeight { index, .. }
        | AllocationError::WeightsOutOfRange { index, .. }
        | AllocationError::Bound { index, .. }
        | AllocationError::NegativeBound { index, .. }
        | AllocationError::FloorAboveCap { index, .. }
        | AllocationError::NegativeFigure { index, .. } => Some(*index),
        // Recipients are a snapshot's distinct positions: never duplicates.
        _ => None,
    }
}

/// How a report's annual target came from its manager's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Derivation {
    /// The manager's target after over-assignment, in minor units.
    stretched: i128,
    factor: Rate,
    /// What was shared in proportion: `stretched` less the shares held at a
    /// floor or cap.
    pool: i128,
    weight: Decimal,
    /// The weight of everyone the pool was shared among.
    pool_weight: Decimal,
    bound: Bound,
    extra_unit: bool,
}

impl Derivation {
    const TOP: Derivation = Derivation {
        stretched: 0,
        factor: Rate::ONE,
        pool: 0,
        weight: Decimal::ONE,
        pool_weight: Decimal::ONE,
        bound: Bound::Proportional,
        extra_unit: false,
    };
}

/// What a cascade has given out so far, per node: annual targets in minor
/// units, and how each came from its manager's.
struct Cascaded {
    annual: Vec<i128>,
    why: Vec<Derivation>,
}

/// What every manager's split reads besides its own target.
struct SplitInputs<'m> {
    measures: &'m Measures,
    /// Positions declared in the org (the length of every measure).
    declared: usize,
    /// Whether any position has a floor or a cap.
    has_bounds: bool,
}

/// A manager's target split among its reports, in the reports' order.
struct ReportShares {
    /// Minor units.
    shares: Vec<i128>,
    /// Whether each got an extra unit of the remainder.
    extra: Vec<bool>,
    bounds: Vec<Bound>,
}

/// Splits `stretched` among `reports` by `weights`: within their floors and
/// caps when there are any, by largest remainder otherwise.
fn split_target(
    manager: &Node<'_>,
    reports: &[Node<'_>],
    weights: &[Decimal],
    stretched: Money,
    inputs: &SplitInputs<'_>,
) -> Result<ReportShares, QuotaError> {
    let fail = |source: AllocationError| {
        let report = recipient_of(&source)
            .and_then(|i| reports.get(i))
            .map(|r| r.id().clone());
        QuotaError::Allocation {
            manager: manager.id().clone(),
            report,
            source: Box::new(source),
        }
    };
    let mut out = ReportShares {
        shares: Vec::with_capacity(reports.len()),
        extra: Vec::with_capacity(reports.len()),
        bounds: vec![Bound::Proportional; reports.len()],
    };
    if !inputs.has_bounds {
        let pairs: Vec<(&PositionId, Decimal)> = reports
            .iter()
            .map(|r| r.id())
            .zip(weights.iter().copied())
            .collect();
        let split = Split::new(&pairs).map_err(fail)?;
        let total = stretched
            .to_minor()
            .map_err(|source| QuotaError::Amount { source })?;
        split.apply_minor(total, &mut out.shares, Some(&mut out.extra));
        return Ok(out);
    }
    let (floors, caps) = (&inputs.measures.floors, &inputs.measures.caps);
    let recipients: Vec<Recipient<&PositionId>> = reports
        .iter()
        .zip(weights)
        .map(|(r, w)| {
            let mut rec = Recipient::new(r.id(), *w);
            if let Some(f) = floors.get(r.declared_index()).copied().flatten() {
                rec = rec.with_floor(f);
            }
            if let Some(c) = caps.get(r.declared_index()).copied().flatten() {
                rec = rec.with_cap(c);
            }
            rec
        })
        .collect();
    let result = allocate(stretched, &recipients).map_err(fail)?;
    for (share, bound) in result.iter().zip(out.bounds.iter_mut()) {
        out.shares.push(
            share
                .amount()
                .to_minor()
                .map_err(|source| QuotaError::Amount { source })?,
        );
        out.extra.push(share.extra_unit());
        *bound = share.bound();
    }
    Ok(out)
}

/// The pool shared in proportion, and its weight: everyone not held at a
/// floor or cap.
fn proportional_pool(
    manager: &Node<'_>,
    split: &ReportShares,
    weights: &[Decimal],
    stretched_minor: i128,
) -> Result<(i128, Decimal), QuotaError> {
    let overflow = || QuotaError::Overflow {
        position: manager.id().clone(),
    };
    let mut pool = stretched_minor;
    let mut pool_weight = Decimal::ZERO;
    for ((bound, share), weight) in split.bounds.iter().zip(&split.shares).zip(weights) {
        if *bound == Bound::Proportional {
            pool_weight = pool_weight.checked_add(*weight).ok_or_else(overflow)?;
        } else {
            pool = pool.checked_sub(*share).ok_or_else(overflow)?;
        }
    }
    Ok((pool, pool_weight))
}

/// A change to the plan recorded as data, with its reason, so that the plan
/// after changes is the plan before plus the list.
///
/// In JSON every field of a relief or transfer is required; the amount is
/// checked when the adjustment is applied ([`QuotaTargets::adjusted`]).
/// Unknown fields are refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::quota::Adjustment;
///
/// let relief: Adjustment = serde_json::from_str(r#"{"relief": {
///     "position": "rep-3",
///     "period": {"start": "2025-07-01", "end": "2025-10-01"},
///     "amount": "15000.00 USD",
///     "reason": "parental leave"
/// }}"#)?;
/// assert!(matches!(relief, Adjustment::Relief { .. }));
/// let err = serde_json::from_str::<Adjustment>(r#"{"transfer": {
///     "from": "rep-3", "to": "rep-4", "period": {"start": "2025-07-01", "end": "2025-10-01"},
///     "amount": "15000.00 USD", "reason": "account moved", "approved_by": "vp"
/// }}"#)
/// .unwrap_err();
/// assert!(err.to_string().contains("unknown field `approved_by`"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Adjustment {
    /// Lowers a position's target by `amount` over the months of `period`
    /// (a lost territory, a long absence), in proportion to those months'
    /// targets. Managers' targets do not change; the gap report shows it.
    Relief {
        /// The position relieved.
        position: PositionId,
        /// The months affected (every month overlapping it).
        period: Period,
        /// How much less, in total over those months.
        amount: Money,
        /// Why.
        reason: String,
    },
    /// Moves `amount` of target from one position to another over the
    /// months of `period` (an account changing hands).
    Transfer {
        /// The position giving target.
        from: PositionId,
        /// The position taking it.
        to: PositionId,
        /// The months affected.
        period: Period,
        /// How much, in total over those months.
        amount: Money,
        /// Why.
        reason: String,
    },
}

/// One row of the gap report: a manager's target against what their direct
/// reports carry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct GapRow {
    /// The manager's position.
    pub position: PositionId,
    /// Its annual target (after adjustments).
    pub target: Money,
    /// The sum of its direct reports' annual targets.
    pub reports: Money,
    /// `reports / target`: the over-assignment achieved (1.1 for 110%);
    /// `None` for a zero target.
    #[cfg_attr(feature = "serde", serde(default))]
    pub over_assignment: Option<Decimal>,
    /// `reports - target`: positive when over-assigned.
    pub gap: Money,
    /// Targets of vacant seats (nobody holds them on the snapshot date) in
    /// the manager's subtree: quota nobody is working.
    pub uncovered: Money,
}

/// Every position's annual target from a [`QuotaPlan`], with the way it was
/// derived; split into periods on demand.
#[derive(Debug)]
pub struct QuotaTargets<'s> {
    snapshot: &'s OrgSnapshot,
    plan: QuotaPlan,
    currency: Currency,
    splitter: YearSplitter,
    annual: Vec<i128>,
    carries: Vec<bool>,
    why: Vec<Derivation>,
    /// Months of positions changed by adjustments.
    adjusted: BTreeMap<u32, [i128; 12]>,
    adjustments: Vec<Adjustment>,
}

impl<'s> QuotaTargets<'s> {
    /// The snapshot the plan was cascaded over.
    pub fn snapshot(&self) -> &'s OrgSnapshot {
        self.snapshot
    }

    /// The plan.
    pub fn plan(&self) -> &QuotaPlan {
        &self.plan
    }

    /// The currency of the targets (`QTY:0` for a cascade in steps).
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The year's periods.
    pub fn splitter(&self) -> &YearSplitter {
        &self.splitter
    }

    /// The adjustments applied, in order.
    pub fn adjustments(&self) -> &[Adjustment] {
        &self.adjustments
    }

    fn money(&self, minor: i128) -> Result<Money, QuotaError> {
        Money::from_minor(minor, self.currency).map_err(|source| QuotaError::Amount { source })
    }

    /// The key of the node's adjusted months (`u32::MAX`, matching none,
    /// for an index of another snapshot).
    fn raw(&self, node: NodeIx) -> u32 {
        self.snapshot
            .slot(node)
            .and_then(|at| u32::try_from(at).ok())
            .unwrap_or(u32::MAX)
    }

    /// Where the node sits in the per-node vectors, or an error naming an
    /// index of another snapshot.
    fn slot(&self, node: NodeIx) -> Result<usize, QuotaError> {
        self.snapshot.slot(node).ok_or(QuotaError::ForeignNode {
            index: node.index(),
        })
    }

    /// Whether the node's position carries quota (false for an index of
    /// another snapshot).
    pub fn carries_quota(&self, node: NodeIx) -> bool {
        self.snapshot
            .slot(node)
            .and_then(|at| self.carries.get(at))
            .copied()
            .unwrap_or(false)
    }

    /// A node's annual target (after adjustments).
    ///
    /// # Errors
    ///
    /// [`QuotaError::ForeignNode`] for an index of another snapshot;
    /// [`QuotaError::Amount`] only if the target exceeds a `Decimal`.
    pub fn annual(&self, node: NodeIx) -> Result<Money, QuotaError> {
        self.node(node)?;
        self.money(self.annual_minor(node)?)
    }

    /// A node's annual target as cascaded, before adjustments.
    fn planned_minor(&self, node: NodeIx) -> Result<i128, QuotaError> {
        self.annual
            .get(self.slot(node)?)
            .copied()
            .ok_or(QuotaError::NodeOutOfRange {
                index: node.index(),
            })
    }

    /// A node's annual target after adjustments.
    fn annual_minor(&self, node: NodeIx) -> Result<i128, QuotaError> {
        match self.adjusted.get(&self.raw(node)) {
            Some(months) => months
                .iter()
                .try_fold(0i128, |a, b| a.checked_add(*b))
                .ok_or(QuotaError::SumOverflow {
                    period: self.splitter.year(),
                }),
            None => self.planned_minor(node),
        }
    }

    /// A node's twelve monthly targets, in minor units, from its planned
    /// annual target unless adjustments set its months.
    fn months_of(&self, node: NodeIx, planned: i128, out: &mut [i128; 12]) {
        match self.adjusted.get(&self.raw(node)) {
            Some(months) => *out = *months,
            None => self.splitter.months_minor(planned, out),
        }
    }

    /// A node's twelve monthly targets, in minor units.
    fn months_minor(&self, node: NodeIx, out: &mut [i128; 12]) -> Result<(), QuotaError> {
        self.months_of(node, self.planned_minor(node)?, out);
        Ok(())
    }

    /// Every node's twelve months, in node order, through `f` (the whole
    /// plan in periods, without materialising it).
    pub fn for_each_month(&self, mut f: impl FnMut(NodeIx, &[i128; 12])) {
        let mut months = [0i128; 12];
        // One planned target per node, in node order.
        for (node, planned) in self.snapshot.nodes().zip(&self.annual) {
            self.months_of(node.index(), *planned, &mut months);
            f(node.index(), &months);
        }
    }

    /// A node's target split over the year: quarters, months, weeks, each
    /// within one minor unit of its exact share of the year (adjusted
    /// months stand as adjusted, and their weeks follow them).
    ///
    /// # Errors
    ///
    /// [`QuotaError::ForeignNode`] for an index of another snapshot;
    /// [`QuotaError::Amount`] only for amounts beyond a `Decimal`.
    pub fn split(&self, node: NodeIx) -> Result<YearSplit, QuotaError> {
        self.node(node)?;
        match self.adjusted.get(&self.raw(node)) {
            Some(months) => self.splitter.from_months(months, self.currency),
            None => self.splitter.split(self.annual(node)?),
        }
    }

    /// The target of a node's position for one of the plan's months
    /// (`month` 0 is the first fiscal month).
    ///
    /// # Errors
    ///
    /// [`QuotaError::ForeignNode`] for an index of another snapshot;
    /// [`QuotaError::MonthOutOfRange`] for a month past the twelfth;
    /// [`QuotaError::Amount`] only for amounts beyond a `Decimal`.
    pub fn month(&self, node: NodeIx, month: usize) -> Result<Money, QuotaError> {
        self.node(node)?;
        let mut months = [0i128; 12];
        self.months_minor(node, &mut months)?;
        self.money(
            *months
                .get(month)
                .ok_or(QuotaError::MonthOutOfRange { month })?,
        )
    }

    /// How a node's annual target was derived, as data with a `Display` a
    /// person can read.
    ///
    /// # Errors
    ///
    /// [`QuotaError::ForeignNode`] for an index of another snapshot;
    /// [`QuotaError::Amount`] only for amounts beyond a `Decimal`.
    pub fn explain(&self, node: NodeIx) -> Result<TargetExplanation, QuotaError> {
        let n = self.node(node)?;
        let why = self
            .why
            .get(self.slot(node)?)
            .copied()
            .unwrap_or(Derivation::TOP);
        let manager = n.parent();
        let at_top = |m: i128| -> Result<Option<Money>, QuotaError> {
            manager.map(|_| self.money(m)).transpose()
        };
        Ok(TargetExplanation {
            position: n.id().clone(),
            manager: manager.map(|p| p.id().clone()),
            manager_target: manager
                .map(|p| self.money(self.planned_minor(p.index())?))
                .transpose()?,
            over_assignment: why.factor,
            split_total: at_top(why.stretched)?,
            pool: at_top(why.pool)?,
            // The rule of the manager's level split it.
            basis: manager.map(|p| self.plan.rule(p.depth()).basis.clone()),
            weight: why.weight,
            pool_weight: why.pool_weight,
            bound: why.bound,
            extra_unit: why.extra_unit,
            planned: self.money(self.planned_minor(node)?)?,
            target: self.annual(node)?,
            carries_quota: self.carries_quota(node),
            rounding: self.plan.rounding,
        })
    }

    /// The node at `node`, or an error for an index of another snapshot.
    fn node(&self, node: NodeIx) -> Result<Node<'s>, QuotaError> {
        self.slot(node)?;
        self.snapshot
            .node_at(node)
            .ok_or(QuotaError::NodeOutOfRange {
                index: node.index(),
            })
    }

    /// The plan after `adjustments`, applied in order to a copy.
    ///
    /// # Errors
    ///
    /// [`QuotaError::UnknownPosition`] for a position not in the plan;
    /// [`QuotaError::PeriodOutsidePlan`] for a period that covers none of
    /// its months; [`QuotaError::NonPositiveAdjustment`] for an amount that
    /// is zero or negative; [`QuotaError::ReliefExceedsTarget`] when a
    /// position would go below zero in some month; [`QuotaError::Amount`]
    /// for an amount in another currency or with fractions of a minor unit.
    pub fn adjusted(&self, adjustments: &[Adjustment]) -> Result<QuotaTargets<'s>, QuotaError> {
        let mut out = QuotaTargets {
            snapshot: self.snapshot,
            plan: self.plan.clone(),
            currency: self.currency,
            splitter: self.splitter.clone(),
            annual: self.annual.clone(),
            carries: self.carries.clone(),
            why: self.why.clone(),
            adjusted: self.adjusted.clone(),
            adjustments: self.adjustments.clone(),
        };
        for adjustment in adjustments {
            match adjustment {
                Adjustment::Relief {
                    position,
                    period,
                    amount,
                    ..
                } => {
                    let (node, parts) = out.spread(position, period, *amount)?;
                    out.apply(node, &parts, true, position, *amount)?;
                }
                Adjustment::Transfer {
                    from,
                    to,
                    period,
                    amount,
                    ..
                } => {
                    // The same parts leave one seat and reach the other, so
                    // every month's total is unchanged.
                    let (giver, parts) = out.spread(from, period, *amount)?;
                    let taker = out.node_of(to)?;
                    out.apply(giver, &parts, true, from, *amount)?;
                    out.apply(taker, &parts, false, to, *amount)?;
                }
            }
            out.adjustments.push(adjustment.clone());
        }
        Ok(out)
    }

    fn node_of(&self, position: &PositionId) -> Result<NodeIx, QuotaError> {
        self.snapshot
            .node(position)
            .map(|n| n.index())
            .ok_or_else(|| QuotaError::UnknownPosition {
                position: position.clone(),
            })
    }

    /// `amount` spread over `position`'s months that overlap `period`, in
    /// proportion to their targets (by days when those are all zero).
    fn spread(
        &self,
        position: &PositionId,
        period: &Period,
        amount: Money,
    ) -> Result<(NodeIx, Vec<(usize, i128)>), QuotaError> {
        let node = self.node_of(position)?;
        if amount.currency() != self.currency {
            return Err(QuotaError::Amount {
                source: crate::money::MoneyError::CurrencyMismatch {
                    left: self.currency,
                    right: amount.currency(),
                },
            });
        }
        if !amount.is_positive() {
            return Err(QuotaError::NonPositiveAdjustment { amount });
        }
        let minor = amount
            .to_minor()
            .map_err(|source| QuotaError::Amount { source })?;
        let mut months = [0i128; 12];
        self.months_minor(node, &mut months)?;
        // (month index, its target, its days) of the months in `period`.
        let affected: Vec<(usize, i128, u32)> = months
            .iter()
            .zip(self.splitter.months())
            .enumerate()
            .filter(|(_, (_, m))| m.overlaps(period))
            .map(|(i, (target, m))| (i, *target, m.days()))
            .collect();
        if affected.is_empty() {
            return Err(QuotaError::PeriodOutsidePlan { period: *period });
        }
        let mut weights: Vec<(usize, Decimal)> = affected
            .iter()
            .map(|(m, target, _)| Ok((*m, crate::money::integer((*target).max(0))?)))
            .collect::<Result<_, crate::money::MoneyError>>()
            .map_err(|source| QuotaError::Amount { source })?;
        if weights.iter().all(|(_, w)| w.is_zero()) {
            weights = affected
                .iter()
                .map(|(m, _, days)| (*m, Decimal::from(*days)))
                .collect();
        }
        let split = Split::new(&weights).map_err(|source| QuotaError::Split {
            source: Box::new(source),
        })?;
        let mut parts = Vec::new();
        split.apply_minor(minor, &mut parts, None);
        Ok((
            node,
            affected.into_iter().map(|(m, _, _)| m).zip(parts).collect(),
        ))
    }

    /// Takes (`remove`) or gives `parts` to a node's months; no month may
    /// end below zero.
    fn apply(
        &mut self,
        node: NodeIx,
        parts: &[(usize, i128)],
        remove: bool,
        position: &PositionId,
        amount: Money,
    ) -> Result<(), QuotaError> {
        let below_zero = || QuotaError::ReliefExceedsTarget {
            position: position.clone(),
            amount,
        };
        let mut months = [0i128; 12];
        self.months_minor(node, &mut months)?;
        for (m, part) in parts {
            if let Some(slot) = months.get_mut(*m) {
                let new = if remove {
                    slot.checked_sub(*part)
                } else {
                    slot.checked_add(*part)
                };
                *slot = new.filter(|v| *v >= 0).ok_or_else(below_zero)?;
            }
        }
        // The year of adjusted months must still add up.
        months
            .iter()
            .try_fold(0i128, |a, b| a.checked_add(*b))
            .ok_or(QuotaError::Overflow {
                position: position.clone(),
            })?;
        self.adjusted.insert(self.raw(node), months);
        Ok(())
    }

    /// For every manager: own target, what the direct reports carry, the
    /// over-assignment achieved, and the uncovered quota of vacant seats
    /// below.
    ///
    /// # Errors
    ///
    /// [`QuotaError::Overflow`] naming the manager whose uncovered total
    /// overflows; [`QuotaError::Amount`] only for amounts beyond a
    /// `Decimal`.
    pub fn gap_report(&self) -> Result<Vec<GapRow>, QuotaError> {
        let snapshot = self.snapshot;
        // Vacant seats that carry quota and have no one below carrying it.
        let mut vacant_minor = Vec::with_capacity(snapshot.len());
        for n in snapshot.nodes() {
            let ix = n.index();
            let leaf = !n.children().any(|c| self.carries_quota(c.index()));
            vacant_minor.push(if self.carries_quota(ix) && leaf && n.holder().is_none() {
                self.annual_minor(ix)?
            } else {
                0
            });
        }
        let mut vacant_minor = vacant_minor.into_iter();
        // bound: one value per node, in node order, as `from_fn` asks.
        let vacant = NodeValues::from_fn(snapshot, |_| vacant_minor.next().unwrap_or(0));
        let uncovered = vacant.roll_up().map_err(|e| match e {
            crate::rollup::RollupError::Overflow { position } => QuotaError::Overflow { position },
            _ => QuotaError::Overflow {
                position: snapshot.root().id().clone(),
            },
        })?;
        let mut rows = Vec::new();
        for node in snapshot.nodes() {
            let ix = node.index();
            let reports: Vec<NodeIx> = node
                .children()
                .map(|c| c.index())
                .filter(|c| self.carries_quota(*c))
                .collect();
            if !self.carries_quota(ix) || reports.is_empty() {
                continue;
            }
            let overflow = || QuotaError::Overflow {
                position: node.id().clone(),
            };
            let target = self.annual_minor(ix)?;
            let mut carried = 0i128;
            for r in &reports {
                carried = carried
                    .checked_add(self.annual_minor(*r)?)
                    .ok_or_else(overflow)?;
            }
            rows.push(GapRow {
                position: node.id().clone(),
                target: self.money(target)?,
                reports: self.money(carried)?,
                over_assignment: (target != 0)
                    .then(|| {
                        crate::money::integer(carried)
                            .ok()
                            .zip(crate::money::integer(target).ok())
                    })
                    .flatten()
                    .and_then(|(c, t)| c.checked_div(t)),
                gap: self.money(carried.checked_sub(target).ok_or_else(overflow)?)?,
                uncovered: self.money(
                    uncovered
                        .get(ix)
                        .copied()
                        .ok_or(QuotaError::NodeOutOfRange { index: ix.index() })?,
                )?,
            });
        }
        Ok(rows)
    }
}

/// How one position's annual target was derived.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct TargetExplanation {
    /// The position.
    pub position: PositionId,
    /// Its manager; `None` at the top.
    #[cfg_attr(feature = "serde", serde(default))]
    pub manager: Option<PositionId>,
    /// The manager's annual target.
    #[cfg_attr(feature = "serde", serde(default))]
    pub manager_target: Option<Money>,
    /// The manager's level's over-assignment factor.
    pub over_assignment: Rate,
    /// The manager's target times the factor, rounded once: what was split
    /// among the reports. `None` at the top.
    #[cfg_attr(feature = "serde", serde(default))]
    pub split_total: Option<Money>,
    /// What was shared in proportion to the weights: the split total less
    /// the shares of reports held at a floor or cap. `None` at the top.
    #[cfg_attr(feature = "serde", serde(default))]
    pub pool: Option<Money>,
    /// What it was split by; `None` at the top.
    #[cfg_attr(feature = "serde", serde(default))]
    pub basis: Option<Basis>,
    /// This position's weight under the basis.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub weight: Decimal,
    /// The weight of everyone the pool was shared among.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub pool_weight: Decimal,
    /// Whether a floor or cap decided it.
    pub bound: Bound,
    /// Whether it got an extra minor unit from the largest-remainder step.
    pub extra_unit: bool,
    /// The target as cascaded.
    pub planned: Money,
    /// The target after adjustments.
    pub target: Money,
    /// Whether the position carries quota at all.
    pub carries_quota: bool,
    /// The rounding policy of the over-assignment.
    pub rounding: RoundingPolicy,
}

impl fmt::Display for TargetExplanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.carries_quota {
            return write!(f, "{}: carries no quota", self.position);
        }
        match (
            &self.manager,
            &self.manager_target,
            &self.basis,
            self.split_total,
            self.pool,
        ) {
            (Some(manager), Some(mt), Some(basis), Some(split), Some(pool)) => {
                write!(f, "{}: {} = ", self.position, self.planned)?;
                match self.bound {
                    Bound::Floor => write!(f, "its floor")?,
                    Bound::Cap => write!(f, "its cap")?,
                    Bound::Proportional => {
                        let (w, total) = (self.weight.normalize(), self.pool_weight.normalize());
                        if w.to_string().len() <= 12 && total.to_string().len() <= 12 {
                            write!(f, "{w} / {total} of ")?;
                        } else {
                            // Long fractions (blends) read better as a share.
                            let pct = w
                                .checked_mul(Decimal::ONE_HUNDRED)
                                .and_then(|x| x.checked_div(total))
                                .map_or(Decimal::ZERO, |x| x.round_dp(4).normalize());
                            write!(f, "{pct}% of ")?;
                        }
                        if pool != split {
                            write!(f, "the {pool} left after floors and caps of ")?;
                        }
                        if self.over_assignment == Rate::ONE {
                            write!(f, "{manager}'s {mt}")?;
                        } else {
                            write!(f, "{} x {manager}'s {mt} = {split}", self.over_assignment)?;
                        }
                        write!(f, " by {basis}")?;
                        if self.extra_unit {
                            write!(f, ", +1 minor unit (largest remainder)")?;
                        } else {
                            write!(f, ", rounded down to the minor unit")?;
                        }
                    }
                }
            }
            _ => write!(f, "{}: {} (the plan's target)", self.position, self.planned)?,
        }
        if self.target != self.planned {
            write!(f, "; {} after adjustments", self.target)?;
        }
        Ok(())
    }
}
