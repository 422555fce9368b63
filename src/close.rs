//! A period's close as one call, for an embedding payroll program: a thin
//! composition of the crate's own steps, in the order a comp team runs
//! them.
//!
//! 1. **Credit** the feed under the credit plan, with its FX rates. Sales
//!    whose rate is missing are set aside with what refers to them and
//!    reported as pending ([`Pending::missing_rates`]), so one missing rate
//!    does not hold up everyone's pay; sales waiting for an invoice,
//!    payment or rate date are pending too ([`Pending::transactions`]).
//! 2. **Roll up** the period's direct credit over the org, each sale by
//!    the chain in force on its booking date (a rep moved mid-year counts
//!    for the manager they reported to when they sold), against each
//!    seat's target from the quota plan ([`RollupRow`]).
//! 3. **Team progress** for every manager, with activity where it was
//!    logged; a seated rep without a log is pending
//!    ([`Pending::missing_logs`]).
//! 4. **Statements** for each person on the commission plan (or on the
//!    plans their [plan assignments](Close::assignments) put them on), with
//!    their locked earlier periods, the other measures' credit
//!    ([`Close::also_credit`]), approved [adjustments](Close::adjustments)
//!    and, as asked, [capped pay carried](Close::carry_capped) forward.
//! 5. **Bonuses** that depend on the roll-up: each manager's attainment is
//!    their subtree's credit over their seat's target, taken from step 2,
//!    never typed in.
//!
//! A year close is the same call over the fiscal year (`period` the year,
//! `as_of` its last day): the quotas' period targets, the year's
//! statements and the year's bonuses follow from the period given.
//!
//! Nothing here is a new rule: each step is the function named in its
//! field's documentation, and the close's output is theirs.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::activity::ActivityKind;
use crate::bonus::{BonusInputs, BonusPayout, TargetBonus};
use crate::calendar::Period;
use crate::comp::{
    ApprovedAdjustment, AssignedCommissions, Commissions, CompPlan, Deals, InForce,
    PlanAssignments, PlanSplit, Quotas, Statement, apply_adjustments, carry_capped_in_force,
};
use crate::credit::{
    CreditKind, CreditPlan, CreditRun, CreditTotals, Crediting, MissingRate, Transaction,
};
use crate::error::Error;
use crate::ids::{PersonId, PositionId, TransactionId};
use crate::money::{Money, RateTable};
use crate::org::{Org, OrgSnapshot};
use crate::perf::{
    KindTotals, PaceCurve, ProgressOptions, Ratio, TeamProgress, TeamReport, period_targets,
};
use crate::quota::QuotaTargets;
use crate::rollup::{MoneyRollup, NodeValues, SumOptions, sum_credits};

/// Activity kinds with their weights, and the totals logged per seat.
type Logged = (Vec<(ActivityKind, Decimal)>, Vec<(PositionId, KindTotals)>);

/// What a close needs; see the [module docs](self) for the steps.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::calendar::{DateRange, FiscalCalendar, WorkCalendar};
/// use salesplan::close::Close;
/// use salesplan::comp::{CompPeriod, CompPlan, Component, PayRate, Quotas, RateTable as PayTable};
/// use salesplan::credit::{CreditBasis, CreditPlan, Transaction, TransactionKind};
/// use salesplan::money::RateTable;
/// use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
/// use salesplan::perf::PaceCurve;
/// use salesplan::quota::{Measures, QuotaPlan};
/// use salesplan::{AccountId, Currency, Money, Period, PersonId, PlanId, PositionId, TransactionId};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let pos = |s: &str| PositionId::new(s).unwrap();
/// let always = DateRange::starting(d(1, 1));
/// let ana = PersonId::new("ana")?;
/// let org = Org::builder()
///     .position(Position::new(pos("lead"), Role::TeamLead))
///     .position(Position::new(pos("r1"), Role::SalesRep))
///     .line(ReportingLine::top(pos("lead"), always))
///     .line(ReportingLine::new(pos("r1"), pos("lead"), always))
///     .assignment(Assignment::new(ana.clone(), pos("r1"), always))
///     .build()?;
/// let q1 = Period::new(d(1, 1), d(4, 1))?;
/// let snapshot = org.as_of(d(1, 1))?;
/// let quotas = QuotaPlan::new(2025, FiscalCalendar::gregorian(), Money::parse("120000.00", Currency::USD)?)
///     .cascade(&snapshot, &Measures::new())?;
/// let rates = RateTable::new().with(Currency::EUR, Currency::USD, d(1, 1), "1.10".parse()?)?;
/// let deal = |id: &str, m, amount: &str, cur| Transaction::new(TransactionId::new(id).unwrap(),
///     TransactionKind::Order, d(m, 10), AccountId::new("ACME").unwrap(),
///     Money::parse(amount, cur).unwrap()).with_owner(pos("r1"));
/// let feed = [deal("SO-1", 2, "10000.00", Currency::EUR), deal("SO-2", 3, "5000.00", Currency::USD)];
/// let credit_plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
/// let pay = PayTable::Flat(PayRate::Percent("10%".parse()?));
/// let comp = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter, pay))
///     .build()?;
/// let quarter = Close::new(&org, q1, d(3, 31))
///     .credit(&credit_plan, Some(&rates), &feed)
///     .quotas(&quotas, PaceCurve::working_days(q1, WorkCalendar::monday_to_friday()))
///     .commissions(&comp)
///     .person(ana.clone(), Quotas::new(), &[])
///     .run()?;
/// assert_eq!(quarter.statements[0].total.to_string(), "1600.00 USD");
/// // The statement shows the FX trail: the EUR deal's original, rate and date.
/// let statement = quarter.statements[0].to_string();
/// assert!(statement.contains(
///     "converted SO-1: 10000.00 EUR at 1.10 EUR/USD of 2025-02-10 = 11000.00 USD"
/// ), "{statement}");
/// let lead = quarter.rollup.iter().find(|r| r.position == pos("lead")).unwrap();
/// assert_eq!(lead.credited.to_string(), "16000.00 USD");
/// assert_eq!(quarter.reports.len(), 1);
/// // Ana logged no activity: pending.
/// assert_eq!(quarter.pending.missing_logs, [ana]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Close<'a> {
    org: &'a Org,
    period: Period,
    as_of: NaiveDate,
    credit: Option<(&'a CreditPlan, Option<&'a RateTable>, &'a [Transaction])>,
    quotas: Option<(&'a QuotaTargets<'a>, PaceCurve)>,
    activity: Option<Logged>,
    comp: Option<&'a CompPlan>,
    people: Vec<(PersonId, Quotas, &'a [Statement])>,
    bonuses: Vec<(PositionId, &'a TargetBonus, Money)>,
    also: Vec<&'a CreditPlan>,
    assigned: Option<(&'a [&'a CompPlan], &'a PlanAssignments, PlanSplit)>,
    adjustments: &'a [ApprovedAdjustment],
    carry: bool,
}

/// One seat's line of the close's roll-up: its direct credit and what
/// rolled up to it in the period, against its target.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RollupRow {
    /// The seat.
    pub position: PositionId,
    /// Its holder on the close date.
    pub holder: Option<PersonId>,
    /// Its direct credit and what rolled up to it in the period, by the
    /// chain in force on each sale's booking date.
    pub credited: Money,
    /// The seat's target for the period.
    pub target: Money,
    /// `credited / target`.
    pub attainment: Ratio,
}

/// What a close could not finish.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Pending {
    /// Sales set aside for a missing FX rate (with what refers to them).
    pub missing_rates: Vec<MissingRate>,
    /// Sales not credited yet (not invoiced, not paid, no rate date).
    pub transactions: Vec<TransactionId>,
    /// Seated reps with no activity logged (when activity was given).
    pub missing_logs: Vec<PersonId>,
}

/// A closed period: every figure the steps produced.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Closed {
    /// The period closed.
    pub period: Period,
    /// The credit run (sales with missing rates left out).
    pub run: CreditRun,
    /// The runs of [`Close::also_credit`]'s plans, in the order given.
    pub runs: Vec<CreditRun>,
    /// The roll-up, one row per seat, in the org's order from the top.
    pub rollup: Vec<RollupRow>,
    /// Every manager's team progress, from the top: the team as it stands
    /// on the close date (a rep moved during the period counts wholly for
    /// their manager of that date, while the roll-up and the bonuses
    /// count each sale for the manager of its date).
    pub reports: Vec<TeamReport>,
    /// Each person's statements overlapping the period.
    pub statements: Vec<Statement>,
    /// The bonuses that depend on the roll-up, in the order given.
    pub bonuses: Vec<BonusPayout>,
    /// What is pending.
    pub pending: Pending,
}

impl<'a> Close<'a> {
    /// Closes `period` of `org`, as of `as_of` (the org's shape, the
    /// progress date and the statements' `through`).
    pub const fn new(org: &'a Org, period: Period, as_of: NaiveDate) -> Close<'a> {
        Close {
            org,
            period,
            as_of,
            credit: None,
            quotas: None,
            activity: None,
            comp: None,
            people: Vec::new(),
            bonuses: Vec::new(),
            also: Vec::new(),
            assigned: None,
            adjustments: &[],
            carry: false,
        }
    }

    /// Step 1, more measures: the same feed credited under `plan` too (a
    /// margin or deal-count plan), with the same rates, for commission
    /// plans that pay on it ([`Closed::runs`]). The roll-up, progress and
    /// bonuses read the first plan's credit.
    #[must_use]
    pub fn also_credit(mut self, plan: &'a CreditPlan) -> Self {
        self.also.push(plan);
        self
    }

    /// Step 4 under plan assignments: each person paid by the plans
    /// `assignments` put them on over the period, split by days unless
    /// [`plan_split`](Self::plan_split) says otherwise
    /// ([`AssignedCommissions`]), instead of one
    /// [`commissions`](Self::commissions) plan (given both, the
    /// assignments are used).
    #[must_use]
    pub const fn assignments(
        mut self,
        plans: &'a [&'a CompPlan],
        assignments: &'a PlanAssignments,
    ) -> Self {
        self.assigned = Some((plans, assignments, PlanSplit::ByDays));
        self
    }

    /// Step 4 under plan assignments: how a pay period a plan change cuts
    /// is shared ([`PlanSplit`]; by days unless set).
    #[must_use]
    pub const fn plan_split(mut self, split: PlanSplit) -> Self {
        if let Some((plans, assignments, _)) = self.assigned {
            self.assigned = Some((plans, assignments, split));
        }
        self
    }

    /// Step 4, then: approved adjustments added to the statements of
    /// their pay periods ([`apply_adjustments`]).
    #[must_use]
    pub const fn adjustments(mut self, adjustments: &'a [ApprovedAdjustment]) -> Self {
        self.adjustments = adjustments;
        self
    }

    /// Step 4, then: what a cap per period took off is carried to later
    /// periods with room ([`carry_capped`](crate::comp::carry_capped)),
    /// plan by plan. With [`assignments`](Close::assignments), a plan that
    /// stops paying a person before the year's end forfeits their carry
    /// at its last pay period for them, shown there
    /// ([`carry_capped_in_force`]), even when the next plan's statements
    /// are not in the close yet.
    #[must_use]
    pub const fn carry_capped(mut self) -> Self {
        self.carry = true;
        self
    }

    /// Step 1: credits `feed` under `plan`, converting with `rates`
    /// ([`Crediting::run`]).
    #[must_use]
    pub fn credit(
        mut self,
        plan: &'a CreditPlan,
        rates: Option<&'a RateTable>,
        feed: &'a [Transaction],
    ) -> Self {
        self.credit = Some((plan, rates, feed));
        self
    }

    /// Steps 2 and 3: the seats' targets ([`period_targets`]) and the pace
    /// curve of the team progress ([`TeamProgress`]).
    #[must_use]
    pub fn quotas(mut self, quotas: &'a QuotaTargets<'a>, curve: PaceCurve) -> Self {
        self.quotas = Some((quotas, curve));
        self
    }

    /// Step 3: activity logged per seat, with the kinds' weights
    /// ([`TeamProgress::with_activity`]).
    #[must_use]
    pub fn activity(
        mut self,
        kinds: Vec<(ActivityKind, Decimal)>,
        logged: Vec<(PositionId, KindTotals)>,
    ) -> Self {
        self.activity = Some((kinds, logged));
        self
    }

    /// Step 4: the commission plan ([`Commissions`]).
    #[must_use]
    pub const fn commissions(mut self, plan: &'a CompPlan) -> Self {
        self.comp = Some(plan);
        self
    }

    /// Step 4: a person paid on the plan, their quotas and their locked
    /// statements ([`Commissions::statements`]).
    #[must_use]
    pub fn person(mut self, person: PersonId, quotas: Quotas, locked: &'a [Statement]) -> Self {
        self.people.push((person, quotas, locked));
        self
    }

    /// Step 5: the holder of `manager` on the close date earns `plan`,
    /// whose 100% is `target`, on their roll-up attainment
    /// ([`TargetBonus::compute`]).
    #[must_use]
    pub fn bonus(mut self, manager: PositionId, plan: &'a TargetBonus, target: Money) -> Self {
        self.bonuses.push((manager, plan, target));
        self
    }

    /// Runs the steps.
    ///
    /// # Errors
    ///
    /// The first step's error, as the crate's [`Error`]: the org on the
    /// close date ([`Error::Org`]), the crediting ([`Error::Credit`]), the
    /// roll-up ([`Error::Rollup`]), the targets and progress
    /// ([`Error::Perf`]), the statements ([`Error::Comp`]), a bonus
    /// ([`Error::Bonus`]; [`PerfError::VacantSeat`](crate::perf::PerfError::VacantSeat)
    /// for a bonus of a seat vacant on the close date). A step left out is
    /// skipped; the roll-up, progress and bonuses need the quotas.
    pub fn run(&self) -> Result<Closed, Error> {
        let snapshot = self.org.as_of(self.as_of)?;
        let (run, runs, mut pending) = self.credited()?;
        let credits: Vec<(PositionId, NaiveDate, Money)> = run
            .lines()
            .iter()
            .filter(|l| l.kind() == CreditKind::Direct)
            .map(|l| {
                (
                    l.position().clone(),
                    l.date(),
                    Money::new(l.amount(), run.currency()),
                )
            })
            .collect();
        let actual = sum_credits(
            &snapshot,
            &credits,
            SumOptions::new(run.currency()).period(self.period),
        )?;
        let mut closed = Closed {
            period: self.period,
            statements: self.statements(&run, &runs)?,
            run,
            runs,
            rollup: Vec::new(),
            reports: Vec::new(),
            bonuses: Vec::new(),
            pending: Pending::default(),
        };
        if let Some((quotas, curve)) = &self.quotas {
            let targets = seat_targets(&snapshot, quotas, self.period)?;
            closed.rollup = rollup_rows(self.org, &snapshot, &targets, &closed.run, self.period)?;
            closed.reports = self.progress(&snapshot, &targets, &actual, curve, &mut pending)?;
            closed.bonuses = self.bonuses(&snapshot, &closed.rollup)?;
        }
        closed.pending = pending;
        Ok(closed)
    }

    /// Step 1, with the sales whose rate is missing set aside: the first
    /// plan's run, the other plans' runs, and what is pending.
    fn credited(&self) -> Result<(CreditRun, Vec<CreditRun>, Pending), Error> {
        let Some((plan, rates, feed)) = self.credit else {
            let empty = CreditRun::from_lines(
                crate::credit::CreditBasis::Revenue,
                self.org_currency(),
                Vec::new(),
            )?;
            return Ok((empty, Vec::new(), Pending::default()));
        };
        let crediting = |plan| {
            let c = Crediting::new(self.org, plan);
            match rates {
                Some(rates) => c.with_rates(rates),
                None => c,
            }
        };
        let mut missing = crediting(plan).missing_rates(feed);
        for other in &self.also {
            for m in crediting(other).missing_rates(feed) {
                if !missing.contains(&m) {
                    missing.push(m);
                }
            }
        }
        let aside = |id: &TransactionId| missing.iter().any(|m| m.transaction == *id);
        let kept: Vec<Transaction>;
        let feed = if missing.is_empty() {
            feed
        } else {
            kept = feed
                .iter()
                .filter(|t| !aside(t.id()) && !t.original().is_some_and(aside))
                .cloned()
                .collect();
            &kept
        };
        let run = crediting(plan).run(feed)?;
        let mut runs = Vec::with_capacity(self.also.len());
        for other in &self.also {
            runs.push(crediting(other).run(feed)?);
        }
        let mut waiting = run.pending().to_vec();
        for other in &runs {
            for t in other.pending() {
                if !waiting.contains(t) {
                    waiting.push(t.clone());
                }
            }
        }
        let pending = Pending {
            transactions: waiting,
            missing_rates: missing,
            missing_logs: Vec::new(),
        };
        Ok((run, runs, pending))
    }

    /// The currency of a close without a crediting step: the commission
    /// plan's, else US dollars (nothing is credited either way).
    fn org_currency(&self) -> crate::money::Currency {
        self.comp
            .map_or(crate::money::Currency::USD, CompPlan::currency)
    }

    /// Step 3.
    fn progress(
        &self,
        snapshot: &OrgSnapshot,
        targets: &NodeValues<'_, Money>,
        actual: &MoneyRollup<'_>,
        curve: &PaceCurve,
        pending: &mut Pending,
    ) -> Result<Vec<TeamReport>, Error> {
        let mut options = ProgressOptions::new(self.as_of, curve.clone());
        let mut logs = None;
        if let Some((kinds, logged)) = &self.activity {
            options = options.activity(kinds.clone())?;
            let mut own = NodeValues::<KindTotals>::new(snapshot);
            for (position, totals) in logged {
                own.add(position, totals)?;
            }
            pending.missing_logs = snapshot
                .nodes()
                .filter(|n| n.direct_reports() == 0)
                .filter(|n| !logged.iter().any(|(p, _)| p == n.id()))
                .filter_map(|n| n.holder().cloned())
                .collect();
            logs = Some(own);
        } else {
            pending.missing_logs = snapshot
                .nodes()
                .filter(|n| n.direct_reports() == 0)
                .filter_map(|n| n.holder().cloned())
                .collect();
        }
        pending.missing_logs.sort();
        let mut progress = TeamProgress::new(targets, actual, options)?;
        if let Some(own) = logs {
            progress = progress.with_activity(own)?;
        }
        Ok(progress.reports()?)
    }

    /// Step 4, with the steps on finished statements after it.
    fn statements(&self, run: &CreditRun, others: &[CreditRun]) -> Result<Vec<Statement>, Error> {
        let mut runs = vec![run];
        runs.extend(others);
        let feed = self.credit.map_or(&[][..], |(_, _, feed)| feed);
        let deals = Deals::new(feed);
        // Each person's statements, and the stretches of their plans.
        let mut per_person: Vec<(Vec<Statement>, Vec<InForce>)> = Vec::new();
        let plans: Vec<&CompPlan> = match (self.assigned, self.comp) {
            (Some((plans, assignments, split)), _) => {
                let comp = AssignedCommissions::new(plans, assignments, &runs)?
                    .with_deals(&deals)
                    .split(split);
                for (person, quotas, locked) in &self.people {
                    per_person.push((
                        comp.statements(person, quotas, locked, self.as_of)?,
                        comp.in_force(person),
                    ));
                }
                plans.to_vec()
            }
            (None, Some(plan)) => {
                let comp = Commissions::new(plan, &runs)?.with_deals(&deals)?;
                for (person, quotas, locked) in &self.people {
                    per_person.push((
                        comp.statements(person, quotas, locked, self.as_of)?,
                        Vec::new(),
                    ));
                }
                vec![plan]
            }
            (None, None) => return Ok(Vec::new()),
        };
        // An adjustment for someone the close does not pay is not dropped.
        if let Some(a) = self.adjustments.iter().find(|a| {
            !self
                .people
                .iter()
                .any(|(p, _, _)| *p == a.trail().adjustment.person)
        }) {
            let a = &a.trail().adjustment;
            return Err(crate::comp::CompError::NoStatementForAdjustment {
                person: a.person.clone(),
                date: a.date,
            }
            .into());
        }
        let mut out = Vec::new();
        for (mut statements, in_force) in per_person {
            if self.carry {
                statements = carried(&plans, statements, &in_force)?;
            }
            // Each person's statements take that person's adjustments.
            let theirs: Vec<ApprovedAdjustment> = self
                .adjustments
                .iter()
                .filter(|a| {
                    statements
                        .first()
                        .is_some_and(|s| a.trail().adjustment.person == s.person)
                })
                .cloned()
                .collect();
            if !theirs.is_empty() {
                statements = apply_adjustments(&statements, &theirs)?;
            }
            out.extend(
                statements
                    .into_iter()
                    .filter(|s| s.period.overlaps(&self.period)),
            );
        }
        Ok(out)
    }

    /// Step 5: each manager's attainment from the roll-up.
    fn bonuses(
        &self,
        snapshot: &OrgSnapshot,
        rollup: &[RollupRow],
    ) -> Result<Vec<BonusPayout>, Error> {
        let mut out = Vec::with_capacity(self.bonuses.len());
        for (manager, plan, target) in &self.bonuses {
            let row = rollup.iter().find(|r| r.position == *manager);
            let holder = row.and_then(|r| r.holder.clone());
            let (Some(row), Some(holder)) = (row, holder) else {
                return Err(crate::perf::PerfError::VacantSeat {
                    position: manager.clone(),
                    as_of: snapshot.date(),
                }
                .into());
            };
            // No target: no attainment to pay a bonus on.
            let Some(attainment) = row.attainment.value().filter(|_| !row.target.is_zero()) else {
                return Err(crate::perf::PerfError::NoTarget {
                    position: manager.clone(),
                    period: self.period,
                }
                .into());
            };
            out.push(plan.compute(&BonusInputs::new(holder, *target, attainment))?);
        }
        Ok(out)
    }
}

/// Each seat's target for `period`, on the close's snapshot (a seat the
/// quota plan does not know has none).
fn seat_targets<'s>(
    snapshot: &'s OrgSnapshot,
    quotas: &QuotaTargets<'_>,
    period: Period,
) -> Result<NodeValues<'s, Money>, Error> {
    let planned = period_targets(quotas, &period)?;
    let plan_snapshot = quotas.snapshot();
    let currency = quotas.plan().target().currency();
    Ok(NodeValues::from_fn(snapshot, |n| {
        plan_snapshot
            .node(n.id())
            .and_then(|p| planned.get(p.index()).copied())
            .unwrap_or(Money::zero(currency))
    }))
}

/// `statements` with what each plan's caps per period took off carried
/// to its later periods with room, plan by plan, each plan's carry
/// forfeited at its end for the person (known from `in_force`, the
/// stretches the plan assignments give).
fn carried(
    plans: &[&CompPlan],
    mut statements: Vec<Statement>,
    in_force: &[InForce],
) -> Result<Vec<Statement>, Error> {
    for plan in plans {
        if statements.iter().any(|s| &s.plan == plan.id()) {
            statements = carry_capped_in_force(plan, &statements, in_force)?;
        }
    }
    Ok(statements)
}

/// Step 2: each seat's credit in the period (its own direct credit and
/// what rolled up to it by the chain in force on each sale's booking
/// date, as [`CreditTotals`] works it out) against its target, for the
/// seats of the close date's org.
fn rollup_rows(
    org: &Org,
    snapshot: &OrgSnapshot,
    targets: &NodeValues<'_, Money>,
    run: &CreditRun,
    period: Period,
) -> Result<Vec<RollupRow>, Error> {
    let totals = CreditTotals::from_run(org, run, &[period])?;
    let mut rows = Vec::with_capacity(snapshot.len());
    for node in snapshot.nodes() {
        // The same org and one period: every seat has a total.
        let total = totals.position(node.id(), 0).ok_or_else(|| {
            crate::rollup::RollupError::UnknownPosition {
                position: node.id().clone(),
                date: snapshot.date(),
            }
        })?;
        let amount = crate::money::add(total.direct(), total.roll_up())?;
        let credited = Money::new(amount, run.currency());
        let target = targets
            .get(node.index())
            .copied()
            .unwrap_or(Money::zero(credited.currency()));
        let attainment = crate::perf::attainment(credited.amount(), target.amount())?;
        rows.push(RollupRow {
            position: node.id().clone(),
            holder: node.holder().cloned(),
            credited,
            target,
            attainment,
        });
    }
    Ok(rows)
}
