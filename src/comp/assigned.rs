//! Plan changes inside a period: [`PlanAssignments`] choose the plan, and
//! each plan pays the stretch of the year it was in force.
//!
//! A composition of [`Commissions`]: for each stretch, the plan is run on
//! the person's credits dated in it, against their quotas prorated by the
//! stretch's days, and keeps the statements of the pay periods the stretch
//! touches.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::engine::{Commissions, Deals, Quotas};
use super::index::{Key, LineIndex};
use super::statement::{Explanation, Statement};
use super::{Cap, CompError, CompPlan, PlanAssignments, RateTable, TierBasis};
use crate::calendar::Period;
use crate::credit::{CreditLine, CreditRun};
use crate::execution::Execution;
use crate::ids::{PersonId, PlanId, TransactionId};
use crate::list::List;
use crate::money::{Money, MoneyError, div, mul, sub};

/// How a pay period is shared when a person's plan changes inside it.
///
/// In JSON, `"by_days"` or `"period_end"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PlanSplit {
    /// Each plan pays the credits dated while it was in force (by credit
    /// date), measured against the person's quotas prorated by the days
    /// it was in force: a quota entry of `q` over `D` days that the plan
    /// holds from day `a` to day `b` of it gives `q × b / D − q × a / D`
    /// (each term to 12 decimals), so the shares of a period's plans add
    /// up to `q` exactly. Amounts the days do not prorate (a draw, a cap
    /// per period, a minimum, tiers bounded by amounts) would apply whole
    /// to each plan's part: a split period under such a plan is refused
    /// ([`CompError::SplitPeriodLimit`]).
    #[default]
    ByDays,
    /// The plan in force on the last day of a pay period pays the whole
    /// pay period, as if it had been in force all of it (the plans of one
    /// person share a pay calendar).
    PeriodEnd,
}

/// One plan's stretch of a person's plan year.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct InForce {
    /// The person.
    pub person: PersonId,
    /// The plan.
    pub plan: PlanId,
    /// The days it pays, inside the plan year.
    pub days: Period,
}

/// Commissions under the plans [`PlanAssignments`] put each person on,
/// changing mid-period (see [`PlanSplit`] for how a period is shared).
///
/// Each stretch of a person's year on one plan is worked out by
/// [`Commissions`] on the credits dated in it (a return, credit note or
/// refund counts on its deal's credit date: the plan that paid the deal
/// takes it back, on a statement of that plan for the pay period of the
/// reversal holding only the clawback), with quota entries that overlap the stretch in part prorated
/// by its days and entries wholly outside it kept as they are (no credit
/// of the stretch falls in them, and their pay periods are not shown).
/// Pay periods wholly before the stretch count as locked at zero. A
/// person gets one statement per plan and pay period it touches, by pay
/// period then plan start.
///
/// # Examples
///
/// Ann moves from plan v1 (10%) to v2 (12%) on February 15th: January and
/// the first half of February are paid at 10%, the rest at 12%.
///
/// ```
/// use salesplan::calendar::{DateRange, FiscalCalendar};
/// use salesplan::comp::{AssignedCommissions, CompPeriod, CompPlan, Component, PayRate, PlanAssignment, PlanAssignments, Quotas, RateTable};
/// use salesplan::PlanId;
/// # use chrono::NaiveDate;
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
/// # let sale = |id: &str, m, day, amount: &str| Transaction::new(TransactionId::new(id).unwrap(),
/// #     TransactionKind::Order, d(m, day), AccountId::new("acme").unwrap(),
/// #     Money::parse(amount, Currency::USD).unwrap()).with_owner(rep.clone());
/// // `run` credits Ann 1,000 on February 10th and 2,000 on February 20th.
/// # let feed = [sale("T1", 2, 10, "1000.00"), sale("T2", 2, 20, "2000.00")];
/// # let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD)).run(&feed)?;
///
/// let plan = |id: &str, rate: &str| -> Result<CompPlan, Box<dyn std::error::Error>> {
///     let rates = RateTable::Flat(PayRate::Percent(rate.parse()?));
///     Ok(CompPlan::builder(PlanId::new(id)?, Currency::USD, FiscalCalendar::gregorian(), 2025)
///         .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month, rates))
///         .build()?)
/// };
/// let (v1, v2) = (plan("v1", "10%")?, plan("v2", "12%")?);
/// let on = PlanAssignments::new(vec![
///     PlanAssignment { person: ann.clone(), plan: PlanId::new("v1")?, during: DateRange::new(d(1, 1), Some(d(2, 15)))? },
///     PlanAssignment { person: ann.clone(), plan: PlanId::new("v2")?, during: DateRange::starting(d(2, 15)) },
/// ])?;
/// let comp = AssignedCommissions::new(&[&v1, &v2], &on, &[&run])?;
/// let february: Vec<String> = comp
///     .statements(&ann, &Quotas::new(), &[], d(2, 28))?
///     .iter()
///     .filter(|s| s.period.start() == d(2, 1))
///     .map(|s| format!("{} {}", s.plan, s.total))
///     .collect();
/// assert_eq!(february, ["v1 100.00 USD", "v2 240.00 USD"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct AssignedCommissions<'a> {
    plans: Vec<&'a CompPlan>,
    assignments: &'a PlanAssignments,
    runs: Vec<&'a CreditRun>,
    /// Each of `runs`' lines grouped by person.
    indexes: Vec<LineIndex<'a>>,
    split: PlanSplit,
    /// The facts of the deals credited, for plans whose components
    /// qualify deals (kickers, SPIFFs on products).
    deals: Option<&'a Deals<'a>>,
}

impl<'a> AssignedCommissions<'a> {
    /// Commissions under `plans` (one plan year, each plan by its id), as
    /// `assignments` put people on them, from `runs`. The split is
    /// [`PlanSplit::ByDays`] unless [`split`](Self::split) says otherwise.
    ///
    /// # Errors
    ///
    /// [`CompError::PlanYears`] for plans of different plan years;
    /// [`CompError::UnknownPlan`] for an assignment to a plan not given;
    /// and what [`Commissions::new`] refuses of each plan and the runs.
    pub fn new(
        plans: &[&'a CompPlan],
        assignments: &'a PlanAssignments,
        runs: &[&'a CreditRun],
    ) -> Result<AssignedCommissions<'a>, CompError> {
        if let Some(first) = plans.first()
            && let Some(other) = plans
                .iter()
                .find(|p| p.year_period() != first.year_period())
        {
            return Err(CompError::PlanYears {
                plan: other.id().clone(),
                year: other.year_period(),
                expected: first.year_period(),
            });
        }
        if let Some(a) = assignments
            .all()
            .iter()
            .find(|a| !plans.iter().any(|p| p.id() == &a.plan))
        {
            return Err(CompError::UnknownPlan {
                person: a.person.clone(),
                plan: a.plan.clone(),
            });
        }
        for p in plans {
            Commissions::new(p, runs)?;
        }
        Ok(AssignedCommissions {
            plans: plans.to_vec(),
            assignments,
            runs: runs.to_vec(),
            indexes: runs
                .iter()
                .map(|r| LineIndex::new(r, Execution::Sequential))
                .collect(),
            split: PlanSplit::ByDays,
            deals: None,
        })
    }

    /// The facts of the deals credited, for components that qualify deals,
    /// as [`Commissions::with_deals`] takes them; each plan is checked
    /// against them when its statements are made.
    #[must_use]
    pub const fn with_deals(mut self, deals: &'a Deals<'a>) -> AssignedCommissions<'a> {
        self.deals = Some(deals);
        self
    }

    /// The same, sharing periods by `split`.
    #[must_use]
    pub fn split(mut self, split: PlanSplit) -> AssignedCommissions<'a> {
        self.split = split;
        self
    }

    /// The stretches of the plan year each of `person`'s plans pays, in
    /// order (with [`PlanSplit::PeriodEnd`], whole pay periods).
    pub fn in_force(&self, person: &PersonId) -> Vec<InForce> {
        let mut out = Vec::new();
        for a in self.assignments.of(person) {
            let Some(plan) = self.plan(&a.plan) else {
                continue;
            };
            let year = plan.year_period();
            let until = a.during.until().unwrap_or(year.end());
            let raw = Period::new(a.during.from().max(year.start()), until.min(year.end()));
            let days = match self.split {
                PlanSplit::ByDays => raw.ok(),
                PlanSplit::PeriodEnd => whole_pay_periods(plan, a.during.from(), until),
            };
            if let Some(days) = days {
                out.push(InForce {
                    person: person.clone(),
                    plan: a.plan.clone(),
                    days,
                });
            }
        }
        out
    }

    /// `person`'s statements through the pay period holding `through`:
    /// per pay period, one per plan in force in it, in the order the plans
    /// took over. `locked` holds the person's locked statements of any of
    /// the plans (see [`Commissions::statements`]).
    ///
    /// # Errors
    ///
    /// [`CompError::NoPlanInForce`] when no plan is in force for the
    /// person in the year up to `through`, or on the date of one of their
    /// credits; [`CompError::PlanChangeYearToDate`] for a plan taking
    /// over after the year starts with a year-to-date component that
    /// needs a quota (its window would reach back before the plan);
    /// [`CompError::Credit`] should a run's lines no longer check; and
    /// what [`Commissions::statements`] refuses.
    pub fn statements(
        &self,
        person: &PersonId,
        quotas: &Quotas,
        locked: &[Statement],
        through: NaiveDate,
    ) -> Result<Vec<Statement>, CompError> {
        let stretches = self.in_force(person);
        let key = Key::new(person);
        let sold_on = self.sale_dates(&key);
        let owner = |l: &CreditLine| {
            let day = counted_on(l, &sold_on);
            stretches.iter().position(|s| s.days.contains(day))
        };
        self.check_covered(person, &stretches, through, &owner)?;
        let mut out: Vec<Statement> = Vec::new();
        for (i, s) in stretches.iter().enumerate() {
            if s.days.start() <= through {
                let mine = |l: &CreditLine| owner(l) == Some(i);
                out.extend(self.stretch(s, &mine, quotas, locked, through)?);
            }
        }
        // By pay period; within one, in the order the plans took over
        // (a stable sort keeps the stretches' order).
        out.sort_by_key(|s| s.period.start());
        Ok(out)
    }

    /// When each of the person's sales was credited (its first line).
    fn sale_dates(&self, key: &Key<'_>) -> BTreeMap<TransactionId, NaiveDate> {
        let mut out = BTreeMap::new();
        for l in self.indexes.iter().flat_map(|i| i.lines_of(key)) {
            if l.transaction() == l.sale() {
                out.entry(l.sale().clone())
                    .and_modify(|d: &mut NaiveDate| *d = (*d).min(l.date()))
                    .or_insert(l.date());
            }
        }
        out
    }

    /// The plan of `id`.
    fn plan(&self, id: &PlanId) -> Option<&'a CompPlan> {
        self.plans.iter().copied().find(|p| p.id() == id)
    }

    /// A plan in force for every credit of `person` up to `through` (a
    /// reversal's being its sale's), and in the year at all.
    fn check_covered(
        &self,
        person: &PersonId,
        stretches: &[InForce],
        through: NaiveDate,
        owner: &dyn Fn(&CreditLine) -> Option<usize>,
    ) -> Result<(), CompError> {
        let Some(year) = self.plans.first().map(|p| p.year_period()) else {
            return Err(CompError::NoPlanInForce {
                person: person.clone(),
                date: through,
            });
        };
        if !stretches.iter().any(|s| s.days.start() <= through) {
            return Err(CompError::NoPlanInForce {
                person: person.clone(),
                date: year.start(),
            });
        }
        let key = Key::new(person);
        let uncovered = self
            .indexes
            .iter()
            .flat_map(|i| i.lines_of(&key))
            .filter(|l| year.contains(l.date()) && l.date() <= through)
            .find(|l| owner(l).is_none());
        match uncovered {
            Some(l) => Err(CompError::NoPlanInForce {
                person: person.clone(),
                date: l.date(),
            }),
            None => Ok(()),
        }
    }

    /// The statements of one stretch: its plan on its credits (`mine`),
    /// against the prorated quotas, for the pay periods it touches, and,
    /// after it, the clawbacks of its deals returned later.
    fn stretch(
        &self,
        s: &InForce,
        mine: &dyn Fn(&CreditLine) -> bool,
        quotas: &Quotas,
        locked: &[Statement],
        through: NaiveDate,
    ) -> Result<Vec<Statement>, CompError> {
        let Some(plan) = self.plan(&s.plan) else {
            return Ok(Vec::new());
        };
        check_year_to_date(plan, s)?;
        let key = Key::new(&s.person);
        let mut last = s.days.last_day();
        let mut runs = Vec::with_capacity(self.runs.len());
        for (r, i) in self.runs.iter().zip(&self.indexes) {
            let lines: Vec<CreditLine> = i.lines_of(&key).filter(|l| mine(l)).cloned().collect();
            last = lines
                .iter()
                .map(CreditLine::date)
                .fold(last, NaiveDate::max);
            runs.push(
                CreditRun::from_lines(r.basis().clone(), r.currency(), lines)?.keep_conversions(r),
            );
        }
        let run_refs: Vec<&CreditRun> = runs.iter().collect();
        let mut comp = Commissions::new(plan, &run_refs)?;
        if let Some(deals) = self.deals {
            comp = comp.with_deals(deals)?;
        }
        let mut locked_here: Vec<Statement> = plan
            .pay_periods()
            .iter()
            .filter(|p| p.end() <= s.days.start())
            .map(|p| zero_statement(plan, &s.person, *p))
            .collect();
        locked_here.extend(
            locked
                .iter()
                .filter(|l| l.plan == s.plan && l.period.end() > s.days.start())
                .cloned(),
        );
        let all = comp.statements(
            &s.person,
            &quotas.prorated(s.days)?,
            &locked_here,
            through.min(last),
        )?;
        let mut out = Vec::with_capacity(all.len());
        for st in all {
            if st.period.overlaps(&s.days) {
                if !s.days.encloses(&st.period) {
                    unprorated(plan, &st)?;
                }
                out.push(st);
            } else if let Some(c) = clawbacks_only(&st)? {
                out.push(c);
            }
        }
        Ok(out)
    }
}

/// Refuses a statement of a pay period a plan holds only part of, when
/// the plan has an amount the days do not prorate: a draw, a cap per
/// period, a minimum, or tiers bounded by amounts. Each plan would apply
/// the whole amount to its part, and a period split between two plans
/// would pay (or allow) it twice.
fn unprorated(plan: &CompPlan, st: &Statement) -> Result<(), CompError> {
    let refuse = |what: &'static str| CompError::SplitPeriodLimit {
        person: st.person.clone(),
        plan: plan.id().clone(),
        period: st.period,
        what,
    };
    if plan.draw().is_some() {
        return Err(refuse("a draw"));
    }
    for c in plan.components() {
        if c.caps().iter().any(|cap| matches!(cap, Cap::PerPeriod(_))) {
            return Err(refuse("a cap per period"));
        }
        if c.minimum_amount().is_some() {
            return Err(refuse("a minimum per period"));
        }
        if matches!(
            c.rates(),
            RateTable::Tiered {
                basis: TierBasis::Measure,
                ..
            }
        ) {
            return Err(refuse("tiers bounded by amounts"));
        }
    }
    Ok(())
}

/// The day a line counts on for choosing its plan: a reversal's sale's
/// credit date when the person has the sale this year (a return is taken
/// back by the plan that paid its deal), its own date otherwise.
fn counted_on(l: &CreditLine, sold_on: &BTreeMap<TransactionId, NaiveDate>) -> NaiveDate {
    if l.transaction() != l.sale()
        && let Some(day) = sold_on.get(l.sale())
    {
        return *day;
    }
    l.date()
}

/// A pay period after a plan's stretch, with only the clawbacks of its
/// deals returned then (none: no statement).
fn clawbacks_only(st: &Statement) -> Result<Option<Statement>, CompError> {
    let lines: Vec<_> = st
        .lines()
        .iter()
        .filter(|l| matches!(l.explanation, Explanation::Clawback(_)))
        .cloned()
        .collect();
    if lines.is_empty() {
        return Ok(None);
    }
    let total = lines
        .iter()
        .try_fold(Money::zero(st.currency()), |t, l| t.checked_add(l.amount))?;
    Ok(Some(Statement {
        lines: List::from(lines),
        draw: None,
        total,
        ..st.clone()
    }))
}

/// The pay periods of `plan` whose last day falls in `[from, until)`, as
/// one period.
fn whole_pay_periods(plan: &CompPlan, from: NaiveDate, until: NaiveDate) -> Option<Period> {
    let mut held = plan
        .pay_periods()
        .iter()
        .filter(|p| from <= p.last_day() && p.last_day() < until);
    let first = held.next()?;
    let last = held.next_back().unwrap_or(first);
    Period::new(first.start(), last.end()).ok()
}

/// A plan that takes over after its year starts cannot measure a
/// year-to-date window against a quota: the window reaches back before it.
fn check_year_to_date(plan: &CompPlan, s: &InForce) -> Result<(), CompError> {
    if s.days.start() <= plan.year_period().start() {
        return Ok(());
    }
    match plan
        .components()
        .iter()
        .find(|c| c.accumulation() == super::Accumulation::YearToDate && c.needs_quota())
    {
        Some(c) => Err(CompError::PlanChangeYearToDate {
            person: s.person.clone(),
            plan: s.plan.clone(),
            component: c.name().to_owned(),
            from: s.days.start(),
        }),
        None => Ok(()),
    }
}

/// A statement that paid nothing: a pay period before a plan took over.
fn zero_statement(plan: &CompPlan, person: &PersonId, period: Period) -> Statement {
    Statement {
        person: person.clone(),
        plan: plan.id().clone(),
        period,
        lines: List::default(),
        draw: None,
        total: Money::zero(plan.currency()),
    }
}

/// The decimals a prorated quota share keeps.
const SHARE_PLACES: u32 = 12;

/// `amount`, a quota over `period`, for the days of `days`: prorated by
/// days when `days` holds part of `period`, whole otherwise (a period
/// wholly inside `days`, or wholly outside it, which no credit of `days`
/// falls in). The share from day `a` to day `b` of the `D` days is
/// `amount × b / D − amount × a / D`, each term rounded to 12 decimals
/// (half to even), so the shares of adjoining stretches add up to
/// `amount` exactly.
pub(crate) fn quota_share(
    amount: Decimal,
    period: Period,
    days: Period,
) -> Result<Decimal, MoneyError> {
    if !period.overlaps(&days) || days.encloses(&period) {
        return Ok(amount);
    }
    let offset = |date: NaiveDate| {
        Period::new(period.start(), date.min(period.end())).map_or(0, |p| p.days())
    };
    let total = Decimal::from(period.days());
    // Each running share kept to `SHARE_PLACES` decimals, so the
    // differences (and their sums) are exact in 28 digits.
    let upto = |date| -> Result<Decimal, MoneyError> {
        Ok(
            div(mul(amount, Decimal::from(offset(date)))?, total)?.round_dp_with_strategy(
                SHARE_PLACES,
                rust_decimal::RoundingStrategy::MidpointNearestEven,
            ),
        )
    };
    sub(upto(days.end())?, upto(days.start())?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 1, 1)
            .and_then(|d| d.checked_add_days(chrono::Days::new(u64::from(n))))
            .unwrap()
    }

    proptest! {
        /// Adjoining stretches' shares of a quota add up to it exactly.
        #[test]
        fn shares_add_up(cents in 0i64..10_000_000_000, len in 2u32..200, cuts in proptest::collection::btree_set(1u32..199, 0..4)) {
            let amount = Decimal::try_new(cents, 2).unwrap();
            let period = Period::new(day(0), day(len)).unwrap();
            let mut bounds = vec![0];
            bounds.extend(cuts.into_iter().filter(|c| *c < len));
            bounds.push(len);
            let mut sum = Decimal::ZERO;
            for w in bounds.windows(2) {
                let (Some(a), Some(b)) = (w.first(), w.get(1)) else { continue };
                let days = Period::new(day(*a), day(*b)).unwrap();
                sum = sum.checked_add(quota_share(amount, period, days).unwrap()).unwrap();
            }
            prop_assert_eq!(sum, amount);
        }
    }
}
