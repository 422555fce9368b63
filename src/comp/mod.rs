//! Commission plans and statements, with an explanation for every line.
//!
//! A [`CompPlan`] is data (serde, validated when built): [`Component`]s,
//! each with a measure (a [`CreditBasis`](crate::credit::CreditBasis)), a
//! [`CompPeriod`] (month, quarter, year), an [`Accumulation`] (per period
//! or year to date) and a [`RateTable`] (flat, or [`Tier`]s by measure or
//! by attainment, [marginal or retroactive](TierMethod)), plus
//! [`Multiplier`] bands (accelerators, decelerators), a [`Gate`] (on the
//! component's period or on the year), a cliff, [`Cap`]s, a minimum,
//! [`Kicker`]s on qualifying deals and SPIFF windows
//! ([`Component::spiff`]); and an optional [`Draw`].
//!
//! [`Commissions`] applies a plan to the [`CreditRun`](crate::credit::CreditRun)s
//! of the measures it uses, a person's [`Quotas`] and their locked
//! statements, and gives one [`Statement`] per pay period:
//!
//! - every line carries an [`Explanation`] as data (the transactions, the
//!   quota and attainment, each [`Slice`] with its tier, rate and
//!   multiplier, the gate, caps and minimum, the rounding, and for
//!   year-to-date components what was earned before), whose parts add up
//!   exactly to the line; `Display` prints the statement as a rep reads it;
//! - for payroll over a whole sales force, [`Commissions::payouts_for`]
//!   gives each person's pay per pay period and component ([`Payouts`])
//!   by the same rules, on the same path, without keeping the
//!   explanations; any one person's explained statements are made on
//!   demand and agree to the cent;
//! - **year to date** components pay earned-to-date minus earned before,
//!   so a late deal is trued up in the next period;
//! - **locked** statements are never changed: what they would pay
//!   differently now is paid as an adjustment in the first open period;
//! - **clawbacks**: a return, credit note or refund dated after the
//!   component period its deal was paid in takes back, in the reversal's
//!   pay period, what that period would not have paid without the
//!   reversed credit: the period is worked out again from its own window
//!   (quota, tiers, gate, caps, minimum) with the credit taken out, so a
//!   deal and its full return net to exactly zero. The deal keeps counting
//!   toward the attainment of the period it was paid in, which is closed.
//!   A reversal inside the deal's own period simply nets in that period's
//!   measure, and so does any reversal of a year-to-date component (its
//!   window holds the deal). What a clawback takes back is no longer paid
//!   this year: a cap per year has that much more room;
//! - **earlier plan years**: a return, credit note or refund in this plan
//!   year of a deal credited in an earlier one is handled in this year's
//!   statements, taken back at the rate the earlier year paid the deal:
//!   its period's pay (less what a minimum added) over what the period
//!   [sold](Calculation::sold), or, for a year-to-date component, what its
//!   window paid to date over what the window's periods sold, as the
//!   person's locked statements of that year show it (that year's plan is
//!   closed). Pass the credit run holding the deal's lines (a run over
//!   both years' feed does), the deal among the [`Deals`] when a component
//!   qualifies deals, and, among `locked`, the person's final statements
//!   of the earlier year. When they do not show the rate (no statement of
//!   the deal's period, a window with periods missing, or a deal paid by
//!   an adjustment after its period was locked), the error
//!   [`PriorPayUnknown`](crate::comp::CompError::PriorPayUnknown) names it;
//! - **signs**: a return or credit note that refers to no sale is a
//!   negative credit of its own, in the measure of its period. For rates,
//!   multipliers and kickers (never negative): a period whose own net
//!   measure is negative pays zero or less (one slice from zero down to the
//!   measure, at the rate and band that pay the first unit above zero, so
//!   marginal, retroactive and flat rates all take back what the same
//!   credit earns there; a cliff means nothing is taken back, since nothing
//!   below it was paid; a closed gate holds back only what is earned; caps
//!   never raise it; a minimum does not apply to such a period). Year to
//!   date, such a period pays nothing more even when its window's grown
//!   quota would (a cap on attainment lifted, a decelerator left): that
//!   waits for the next period whose own credits are not net returns, or
//!   the year's last period, which trues the year up and pays it even if
//!   it has net returns itself ([`Limit::Held`]). Pay never
//!   rises when credit falls, over the year, for marginal tiers at any
//!   rates and retroactive tiers (whose rates may not fall: a plan where
//!   they do is refused), with any multipliers, gates, cliffs, caps and
//!   minimums (a year-to-date component's minimum or cap per period is a
//!   floor or ceiling on each period's difference, so there credit moved
//!   between periods can move the year's pay). A clawback never pays. A
//!   draw is a guarantee, not a commission: it is paid whatever was earned;
//! - **draws**: a recoverable draw advances the shortfall and recovers it
//!   later, above a floor; a non-recoverable one tops pay up to a
//!   guaranteed minimum.
//!
//! A year of closes adds, around those statements:
//!
//! - **plan changes inside a period**: [`AssignedCommissions`] puts each
//!   person on the plans [`PlanAssignments`] give them, each plan paying
//!   the days it was in force: the credits dated in them, against the
//!   quotas prorated by days ([`PlanSplit::ByDays`], the shares of a
//!   quota adding up to it exactly), or, as a policy, whole pay periods
//!   to the plan in force at their end ([`PlanSplit::PeriodEnd`]);
//! - **adjustments with an audit trail**: an [`Adjustment`] (a manual
//!   payment or deduction, credit moved from one rep to another, the
//!   resolution of a [`Dispute`] raised against a statement line) is a
//!   proposal; only
//!   [`Authority::approve_adjustment`](crate::bonus::Authority::approve_adjustment)
//!   makes it an [`ApprovedAdjustment`], and [`apply_adjustments`] puts it
//!   on its statement as a line of its own with its [`AuditTrail`],
//!   changing nothing else;
//! - **caps carried forward**: [`carry_capped`] pays what a cap per period
//!   took off in later periods with room under the cap (with a cap per
//!   year too, at the year-end true-up), and shows what is forfeited at
//!   the year's end, or at the plan's end for a person who leaves it
//!   ([`carry_capped_in_force`] knows it from the plan stretches)
//!   ([`CarriedCap`]);
//! - **holds**: a [`HoldPolicy`] holds a share of each earned line until
//!   the customer pays for its deals, and pays each [`Release`] on the
//!   statement of the pay period it falls in ([`HoldLine`]).
//!
//! Each of the last three is a step on finished statements, reading only
//! their earned lines, so they combine in any order; each adds lines
//! without changing any other. [`Commissions::payouts_for`] gives the
//! statements' pay before them.
//!
//! Rounding happens once per line, to the currency's minor unit, with the
//! plan's [`RoundingPolicy`](crate::RoundingPolicy); slices keep full
//! precision. Everything is a pure function of its inputs, so a what-if is
//! a loop: [`CompPlan::payout_curve`] evaluates a component over a range
//! of attainment, and [`StatementDiff::between`] compares two plans'
//! statements on the same credits.

mod error;
pub use self::error::{CompError, Overdrawn, PriorPay, UnshownForfeit};

mod adjustment;
mod assigned;
mod calc;
mod carry;
mod engine;
mod holds;
mod index;
mod payouts;
mod plan;
mod quota_columns;
mod statement;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use self::adjustment::{
    Adjustment, AdjustmentKind, ApprovedAdjustment, AuditTrail, Dispute, apply_adjustments,
};
pub use self::assigned::{AssignedCommissions, InForce, PlanSplit};
pub use self::carry::{CarriedCap, carry_capped, carry_capped_in_force};
pub use self::engine::{Commissions, Deals, PersonInput, Quotas};
pub use self::holds::{HeldDeal, HoldLine, HoldPolicy, Release};
pub use self::payouts::Payouts;
pub use self::plan::{
    Accumulation, Cap, CompPeriod, CompPlan, CompPlanBuilder, Component, Draw, Gate, GateHolds,
    GatePeriod, Kicker, Multiplier, PayRate, Qualifier, RateTable, Tier, TierBasis, TierMethod,
};
pub use self::quota_columns::QuotaColumns;
pub use self::statement::{
    Calculation, Clawback, ComponentName, Correction, DrawLine, Explanation, GateCheck, Limit,
    Slice, Statement, StatementLine,
};

use self::calc::{Parts, Window, evaluate};
use crate::calendar::{DateRange, Period};
use crate::ids::{PersonId, PlanId};
use crate::money::{Money, Rate, mul};

/// One point of a payout curve.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct CurvePoint {
    /// The attainment.
    pub attainment: Rate,
    /// What the component pays for the period at that attainment.
    pub payout: Money,
}

impl CompPlan {
    /// What `component` pays for one period at each of `attainments` of
    /// `quota`: the payout curve (measure = attainment × quota; a year gate
    /// is taken at the same attainment; no kickers, nothing earned
    /// before).
    ///
    /// # Errors
    ///
    /// [`CompError::UnknownComponent`] when the plan has no such component;
    /// [`CompError::Money`] on overflow.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Component, Multiplier, PayRate, RateTable};
    /// use salesplan::credit::CreditBasis;
    /// use salesplan::{Currency, Money, PlanId, Rate};
    ///
    /// let rate = |s: &str| s.parse::<Rate>().unwrap();
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(
    ///         Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter,
    ///             RateTable::Flat(PayRate::Percent(rate("10%"))))
    ///             .multiplier(Multiplier::above(rate("100%"), rate("150%"))),
    ///     )
    ///     .build()?;
    /// let quota = Money::parse("100000", Currency::USD)?;
    /// let curve = plan.payout_curve("Revenue", quota, &[rate("50%"), rate("100%"), rate("120%")])?;
    /// let paid: Vec<String> = curve.iter().map(|p| p.payout.to_string()).collect();
    /// assert_eq!(paid, ["5000.00 USD", "10000.00 USD", "13000.00 USD"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn payout_curve(
        &self,
        component: &str,
        quota: Money,
        attainments: &[Rate],
    ) -> Result<Vec<CurvePoint>, CompError> {
        let c = self
            .component(component)
            .ok_or_else(|| CompError::UnknownComponent {
                component: component.to_owned(),
            })?;
        let period = c
            .period()
            .periods(self.calendar(), self.year())?
            .first()
            .copied()
            .unwrap_or(self.year_period());
        let q = quota.amount();
        let mut parts = Parts::default();
        attainments
            .iter()
            .map(|a| {
                let measure = mul(a.fraction(), q)?;
                let w = Window {
                    period,
                    window: period,
                    measure,
                    period_measure: measure,
                    closes_year: true,
                    quota: Some(q),
                    year: Some((measure, q, self.year_period())),
                    earned_before: Decimal::ZERO,
                    paid_this_year: Decimal::ZERO,
                };
                let mut e = evaluate(c, &w, self.currency(), self.rounding(), &mut parts)?;
                // Only the amount is needed: nothing is kept.
                parts.take_back(&mut e.calculation);
                Ok(CurvePoint {
                    attainment: *a,
                    payout: Money::new(e.amount, self.currency()),
                })
            })
            .collect()
    }
}

/// One row of a comparison of two sets of statements.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct StatementDiff {
    /// The person.
    pub person: PersonId,
    /// The pay period.
    pub period: Period,
    /// The total under the first set (`None` when it has no statement).
    #[cfg_attr(feature = "serde", serde(default))]
    pub before: Option<Money>,
    /// The total under the second.
    #[cfg_attr(feature = "serde", serde(default))]
    pub after: Option<Money>,
    /// `after − before` (a missing side counts as zero).
    pub change: Money,
}

impl StatementDiff {
    /// Per person and pay period, the totals of `before` and `after` (two
    /// plan versions run on the same credits) and the change; by person
    /// and period.
    ///
    /// # Errors
    ///
    /// [`CompError::Money`] when the statements' currencies differ or on
    /// overflow.
    ///
    /// # Examples
    ///
    /// Two plan versions on the same credits:
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, PayRate, Quotas, RateTable, StatementDiff};
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
    /// let statements = |id: &str, rate: &str| -> Result<_, Box<dyn std::error::Error>> {
    ///     let rates = RateTable::Flat(PayRate::Percent(rate.parse()?));
    ///     let plan = CompPlan::builder(PlanId::new(id)?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///         .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month, rates))
    ///         .build()?;
    ///     Ok(Commissions::new(&plan, &[&run])?.statements(&ann, &Quotas::new(), &[], d(2, 28))?)
    /// };
    /// let diff = StatementDiff::between(&statements("v1", "10%")?, &statements("v2", "12%")?)?;
    /// let changes: Vec<String> = diff.iter().map(|r| format!("{} {}", r.period.start(), r.change)).collect();
    /// assert_eq!(changes, ["2025-01-01 80.00 USD", "2025-02-01 120.00 USD"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn between(
        before: &[Statement],
        after: &[Statement],
    ) -> Result<Vec<StatementDiff>, CompError> {
        // Each side's totals by person and period (summed if a side has
        // several statements for one), then one pass over the union.
        type Totals<'s> = BTreeMap<(&'s PersonId, Period), (Option<Money>, Option<Money>)>;
        let mut totals: Totals<'_> = BTreeMap::new();
        for (side, set) in [(0, before), (1, after)] {
            for s in set {
                let entry = totals.entry((&s.person, s.period)).or_default();
                let slot = if side == 0 {
                    &mut entry.0
                } else {
                    &mut entry.1
                };
                *slot = Some(match *slot {
                    Some(sum) => sum.checked_add(s.total)?,
                    None => s.total,
                });
            }
        }
        totals
            .into_iter()
            .map(|((person, period), (b, a))| {
                let change = match (b, a) {
                    (Some(b), Some(a)) => a.checked_sub(b)?,
                    (Some(b), None) => b.negated(),
                    (None, Some(a)) => a,
                    (None, None) => Money::zero(crate::Currency::USD),
                };
                Ok(StatementDiff {
                    person: person.clone(),
                    period,
                    before: b,
                    after: a,
                    change,
                })
            })
            .collect()
    }
}

/// A person on a plan over a date range.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct PlanAssignment {
    /// The person.
    pub person: PersonId,
    /// The plan (version).
    pub plan: PlanId,
    /// When.
    pub during: DateRange,
}

/// Who is on which plan when: effective-dated, never two plans for one
/// person on one day.
///
/// In JSON, a list of assignments, checked as [`PlanAssignments::new`]
/// checks them:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::comp::PlanAssignments;
///
/// let on: PlanAssignments = serde_json::from_str(r#"[
///     {"person": "ana", "plan": "AE-2025-v1", "during": {"start": "2025-01-01", "end": "2025-07-01"}},
///     {"person": "ana", "plan": "AE-2025-v2", "during": {"start": "2025-07-01"}}
/// ]"#)?;
/// assert_eq!(on.all().len(), 2);
/// let overlapping = r#"[
///     {"person": "ana", "plan": "v1", "during": {"start": "2025-01-01", "end": "2025-08-01"}},
///     {"person": "ana", "plan": "v2", "during": {"start": "2025-07-01"}}
/// ]"#;
/// assert!(serde_json::from_str::<PlanAssignments>(overlapping).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "Vec<PlanAssignment>"))]
#[cfg_attr(feature = "serde", serde(into = "Vec<PlanAssignment>"))]
pub struct PlanAssignments {
    by_person: Vec<PlanAssignment>,
}

impl TryFrom<Vec<PlanAssignment>> for PlanAssignments {
    type Error = CompError;
    fn try_from(v: Vec<PlanAssignment>) -> Result<Self, CompError> {
        PlanAssignments::new(v)
    }
}

impl From<PlanAssignments> for Vec<PlanAssignment> {
    fn from(a: PlanAssignments) -> Self {
        a.by_person
    }
}

impl PlanAssignments {
    /// Checks and indexes `assignments`.
    ///
    /// # Errors
    ///
    /// [`CompError::OverlappingAssignments`] when two assignments of one
    /// person share a day, naming both plans and the first common day.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::calendar::DateRange;
    /// use salesplan::comp::{PlanAssignment, PlanAssignments};
    /// use salesplan::{CompError, PersonId, PlanId};
    ///
    /// let d = |m| NaiveDate::from_ymd_opt(2025, m, 1).unwrap();
    /// let ann = PersonId::new("ann")?;
    /// let on = |plan: &str, from: u32, until: Option<u32>| PlanAssignment {
    ///     person: ann.clone(),
    ///     plan: PlanId::new(plan).unwrap(),
    ///     during: DateRange::new(d(from), until.map(d)).unwrap(),
    /// };
    /// let ok = PlanAssignments::new(vec![on("v2", 7, None), on("v1", 1, Some(7))])?;
    /// assert_eq!(ok.plan_on(&ann, d(8)).map(|p| p.as_str()), Some("v2"));
    /// let err = PlanAssignments::new(vec![on("v1", 1, Some(8)), on("v2", 7, None)]).unwrap_err();
    /// assert!(matches!(err, CompError::OverlappingAssignments { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(mut assignments: Vec<PlanAssignment>) -> Result<PlanAssignments, CompError> {
        assignments.sort_by(|a, b| {
            (&a.person, a.during.from(), &a.plan).cmp(&(&b.person, b.during.from(), &b.plan))
        });
        for pair in assignments.windows(2) {
            if let [a, b] = pair
                && a.person == b.person
                && let Some(day) = a.during.first_common_day(&b.during)
            {
                return Err(CompError::OverlappingAssignments {
                    person: a.person.clone(),
                    first: a.plan.clone(),
                    second: b.plan.clone(),
                    day,
                });
            }
        }
        Ok(PlanAssignments {
            by_person: assignments,
        })
    }

    /// The plan `person` is on on `date`.
    pub fn plan_on(&self, person: &PersonId, date: NaiveDate) -> Option<&PlanId> {
        self.of(person)
            .iter()
            .find(|a| a.during.contains(date))
            .map(|a| &a.plan)
    }

    /// `person`'s assignments, oldest first.
    pub fn of(&self, person: &PersonId) -> &[PlanAssignment] {
        let start = self.by_person.partition_point(|a| &a.person < person);
        let end = self.by_person.partition_point(|a| &a.person <= person);
        self.by_person.get(start..end).unwrap_or(&[])
    }

    /// Every assignment, by person and start.
    pub fn all(&self) -> &[PlanAssignment] {
        &self.by_person
    }
}
