//! Caps carried forward: what a cap per period takes off is kept, and paid
//! in a later period of the year whose pay leaves room under its cap.
//!
//! Beside discarding the excess (what [`Commissions`](super::Commissions)
//! does), [`carry_capped`] carries it: a step after the statements are
//! made, like [`apply_adjustments`](super::apply_adjustments), adding a
//! line of its own to each statement the carry touches and changing no
//! other line.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::CompError;
use super::assigned::InForce;
use super::calc::round;
use super::error::UnshownForfeit;
use super::plan::{Accumulation, Cap, CompPlan};
use super::statement::{ComponentName, Explanation, Limit, Statement, StatementLine};
use crate::calendar::Period;
use crate::ids::{PersonId, PlanId};
use crate::list::List;
use crate::money::{Money, add, sub};

/// A capped excess carried forward, as a statement line explains it: the
/// line pays `released`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct CarriedCap {
    /// The cap per period.
    pub cap: Money,
    /// Carried from earlier periods, before this one.
    pub carried_before: Money,
    /// The room this period's pay leaves under the cap (and under a cap
    /// per year, if the component has one).
    pub room: Money,
    /// Paid now: the carried amount, up to the room.
    pub released: Money,
    /// What the cap took off this period, rounded to the minor unit: added
    /// to the carry.
    pub excess: Money,
    /// Carried on to later periods.
    pub carried_after: Money,
    /// Lost at the year's end (or at the plan's end, see `ended`): what
    /// no period had room for.
    pub forfeited: Money,
    /// The plan whose end, before the year's, forfeited the carry: the
    /// statement's own plan on its last statement for the person, or the
    /// ended plan on the next statement of the person under another plan
    /// when that last statement was locked still carrying it (the line
    /// then pays nothing). `None` at the year's end.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub ended: Option<PlanId>,
}

/// A person's component's running state.
#[derive(Default)]
struct Running {
    carried: Decimal,
    paid: Decimal,
}

/// `statements` (one or more people's, each person's in pay-period
/// order) with capped excess carried forward under `plan` (statements of
/// other plans are returned as they are): for each
/// component of `plan` paid per period with a [`Cap::PerPeriod`], what the
/// cap takes off a period (rounded with the plan's rounding) is carried,
/// and paid in the next periods whose own pay for the component leaves
/// room under the cap (its earned lines' pay below it), first carried
/// first paid. When the component also
/// has a [`Cap::PerYear`], the carry waits for the year-end true-up (the
/// plan year's last pay period, or the plan's last for the person when it
/// ends before), and is paid there up to the room left
/// under both caps. What is still carried after the
/// plan year's last pay period is forfeited, and shown there. A statement
/// the carry touches gets one line per component, last, explained by a
/// [`CarriedCap`]; its total moves by what is released, and nothing else
/// changes. So over the year the component never pays more than it would
/// uncapped, and never more in a period than its cap. A statement that
/// already shows its carry (a locked one given again) is kept as it is,
/// and the carry goes on from it.
///
/// A plan that stops paying a person before the year's end (a plan
/// change) forfeits their carry at its last pay period for them, shown
/// there ("forfeited at the plan's end"). Here the plan's end is known
/// from the statements given: the person's statements under `plan` stop
/// at pay period `p` while their statements under another plan start in
/// `p` or later and go on past it (counting only statements with earned
/// lines: one holding only a clawback pays nothing under its plan; a
/// plan paying beside `plan` over the same periods is not a change). The end of a plan whose successor's
/// statements are not given yet (a change at the close's period end, or
/// a period shared by days up to it) is known only from the plan
/// assignments: give them to [`carry_capped_in_force`].
///
/// # Errors
///
/// [`CompError::Money`] on overflow or a statement in another currency;
/// [`CompError::CarryForfeitUnshown`] as [`carry_capped_in_force`].
///
/// # Examples
///
/// ```
/// use salesplan::calendar::FiscalCalendar;
/// use salesplan::comp::{carry_capped, Cap, CompPeriod, CompPlan, Commissions, Component, PayRate, Quotas, RateTable};
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
/// // `run` credits Ann 4,000 sold in January and 6,000 in February.
/// # let feed = [sale("T1", 1, "4000.00"), sale("T2", 2, "6000.00")];
/// # let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD)).run(&feed)?;
///
/// let ten_percent = RateTable::Flat(PayRate::Percent("10%".parse()?));
/// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month, ten_percent)
///         .cap(Cap::PerPeriod(Money::parse("500.00", Currency::USD)?)))
///     .build()?;
/// let statements = Commissions::new(&plan, &[&run])?.statements(&ann, &Quotas::new(), &[], d(3, 31))?;
/// let totals = |s: &[salesplan::comp::Statement]| s.iter().map(|s| s.total.to_string()).collect::<Vec<_>>();
/// assert_eq!(totals(&statements), ["400.00 USD", "500.00 USD", "0.00 USD"]);
/// // February's 100 over the cap is paid in March, which has room.
/// assert_eq!(totals(&carry_capped(&plan, &statements)?), ["400.00 USD", "500.00 USD", "100.00 USD"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn carry_capped(
    plan: &CompPlan,
    statements: &[Statement],
) -> Result<Vec<Statement>, CompError> {
    carry_capped_in_force(plan, statements, &[])
}

/// [`carry_capped`], with the plan's end for each person also known from
/// `in_force`: the stretches of the year each plan pays each person (as
/// [`AssignedCommissions::in_force`](super::AssignedCommissions::in_force)
/// gives them; the close, `salesplan::close::Close`, passes them). A stretch of `plan`
/// ending before the plan year's last pay period ends it at the pay
/// period holding the stretch's last day: the carry still carried there
/// is forfeited and shown on that statement, unless another stretch of
/// the same plan and person takes on from the next day (two assignments
/// back to back are one stretch). Stretches of other plans and people
/// are ignored.
///
/// When that last statement is a locked one already showing the carry
/// still carried (locked before the plan change was known), it is kept
/// as it is, and the forfeit is shown on the person's next statement
/// given under another plan: a line of the ended plan's component paying
/// nothing, whose [`CarriedCap::ended`] names the ended plan (not added
/// again when that statement, locked in turn, already shows it). A
/// payroll user cannot change a locked statement, and an error would
/// stop every statement of the run for an amount nobody is owed: the
/// next statement is where the person and the admin see what became of
/// it.
///
/// # Errors
///
/// [`CompError::Money`] on overflow or a statement in another currency;
/// [`CompError::CarryForfeitUnshown`] when such a locked last statement
/// has no later statement of the person under another plan given to
/// show the forfeit.
///
/// # Examples
///
/// ```
/// use salesplan::calendar::{DateRange, FiscalCalendar};
/// use salesplan::comp::{carry_capped_in_force, AssignedCommissions, Cap, CompPeriod, CompPlan, Component, PayRate, PlanAssignment, PlanAssignments, Quotas, RateTable};
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
/// # let sale = Transaction::new(TransactionId::new("T1")?, TransactionKind::Order, d(5, 10),
/// #     AccountId::new("acme")?, Money::parse("8000.00", Currency::USD)?).with_owner(rep.clone());
/// // `run` credits Ann 8,000 sold in May.
/// # let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD)).run(&[sale])?;
/// let plan = |id: &str| -> Result<CompPlan, Box<dyn std::error::Error>> {
///     let rates = RateTable::Flat(PayRate::Percent("10%".parse()?));
///     let cap = Cap::PerPeriod(Money::parse("500.00", Currency::USD)?);
///     Ok(CompPlan::builder(PlanId::new(id)?, Currency::USD, FiscalCalendar::gregorian(), 2025)
///         .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month, rates).cap(cap))
///         .build()?)
/// };
/// let (v1, v2) = (plan("v1")?, plan("v2")?);
/// // Ann moves to v2 on June 1st: May is v1's last pay period for her.
/// let on = PlanAssignments::new(vec![
///     PlanAssignment { person: ann.clone(), plan: PlanId::new("v1")?, during: DateRange::new(d(1, 1), Some(d(6, 1)))? },
///     PlanAssignment { person: ann.clone(), plan: PlanId::new("v2")?, during: DateRange::starting(d(6, 1)) },
/// ])?;
/// let comp = AssignedCommissions::new(&[&v1, &v2], &on, &[&run])?;
/// let may = comp.statements(&ann, &Quotas::new(), &[], d(5, 31))?;
/// let carried = carry_capped_in_force(&v1, &may, &comp.in_force(&ann))?;
/// // May's 300 over the cap is forfeited there, shown on May's statement.
/// assert_eq!(carried[4].total.to_string(), "500.00 USD");
/// assert!(carried[4].to_string().contains("forfeited at the plan's end (v1): 300.00 USD"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn carry_capped_in_force(
    plan: &CompPlan,
    statements: &[Statement],
    in_force: &[InForce],
) -> Result<Vec<Statement>, CompError> {
    let carried: Vec<(&str, Money, Option<Money>)> = plan
        .components()
        .iter()
        .filter(|c| c.accumulation() == Accumulation::PerPeriod)
        .filter_map(|c| {
            let per_period = c.caps().iter().find_map(|cap| match cap {
                Cap::PerPeriod(m) => Some(*m),
                _ => None,
            })?;
            let per_year = c.caps().iter().find_map(|cap| match cap {
                Cap::PerYear(m) => Some(*m),
                _ => None,
            });
            Some((c.name(), per_period, per_year))
        })
        .collect();
    let last_pay = plan.pay_periods().last().copied();
    let ends = plan_ends(plan, statements, in_force);
    let mut running: BTreeMap<(PersonId, &str), Running> = BTreeMap::new();
    let mut unshown: Vec<Unshown<'_>> = Vec::new();
    let mut out = Vec::with_capacity(statements.len());
    for (at, s) in statements.iter().enumerate() {
        if &s.plan != plan.id() {
            // Another plan's (a plan change): its own carry, if any.
            out.push(s.clone());
            continue;
        }
        let closes = if last_pay == Some(s.period) {
            Some(None)
        } else if ends.contains(&(&s.person, s.period.start())) {
            Some(Some(plan.id()))
        } else {
            None
        };
        let mut lines: Vec<StatementLine> = s.lines().to_vec();
        let mut total = s.total;
        for (name, cap, year_cap) in &carried {
            let r = running.entry((s.person.clone(), name)).or_default();
            if let Some(line) = carry_line(plan, s, (name, *cap, *year_cap), r, closes)? {
                total = total.checked_add(line.amount)?;
                lines.push(line);
            } else if closes == Some(Some(plan.id())) && !r.carried.is_zero() {
                // Locked still carrying it: shown on the next statement.
                unshown.push((at, name, *cap, r.carried));
                r.carried = Decimal::ZERO;
            }
            if closes.is_some() {
                // A plan taken up again later starts afresh.
                *r = Running::default();
            }
        }
        out.push(Statement {
            lines: List::from(lines),
            total,
            ..s.clone()
        });
    }
    for u in unshown {
        show_forfeit(plan, &mut out, u)?;
    }
    Ok(out)
}

/// A forfeit at a plan's end its locked last statement does not show:
/// the statement's index, the component, its cap and the amount.
type Unshown<'c> = (usize, &'c str, Money, Decimal);

/// Each person's pay periods (by start) at which `plan` ends for them
/// before the plan year's last: from `in_force`, and from `statements`
/// (theirs under `plan` stop at a period while theirs under another plan
/// start in it or later and go on past it).
fn plan_ends<'s>(
    plan: &CompPlan,
    statements: &'s [Statement],
    in_force: &'s [InForce],
) -> BTreeSet<(&'s PersonId, chrono::NaiveDate)> {
    let last_pay = plan.pay_periods().last().copied();
    let pay_period_of = |day| plan.pay_periods().iter().find(|p| p.contains(day)).copied();
    let mut ends = BTreeSet::new();
    let stretches = || in_force.iter().filter(|f| &f.plan == plan.id());
    for f in stretches() {
        // A stretch the person's next stretch of the same plan takes on
        // from the day after (two assignments back to back) is no end.
        let goes_on = stretches().any(|g| g.person == f.person && g.days.contains(f.days.end()));
        if goes_on {
            continue;
        }
        if let Some(p) = pay_period_of(f.days.last_day()).filter(|p| Some(*p) != last_pay) {
            ends.insert((&f.person, p.start()));
        }
    }
    // Per person and plan: the first and the last period paid (a
    // statement holding only clawbacks, of a deal returned after the
    // change, pays nothing under the plan).
    let mut spans: BTreeMap<(&PersonId, &PlanId), (Period, Period)> = BTreeMap::new();
    let pays = |s: &Statement| {
        s.lines()
            .iter()
            .any(|l| matches!(l.explanation, Explanation::Earned(_)))
    };
    for s in statements.iter().filter(|s| pays(s)) {
        spans
            .entry((&s.person, &s.plan))
            .and_modify(|(first, last)| {
                *first = if s.period.start() < first.start() {
                    s.period
                } else {
                    *first
                };
                *last = if s.period.start() > last.start() {
                    s.period
                } else {
                    *last
                };
            })
            .or_insert((s.period, s.period));
    }
    let mut by_person: BTreeMap<&PersonId, Vec<(&PlanId, Period, Period)>> = BTreeMap::new();
    for ((person, id), (first, last)) in &spans {
        by_person
            .entry(*person)
            .or_default()
            .push((*id, *first, *last));
    }
    for (person, plans) in &by_person {
        for (_, _, last) in plans.iter().filter(|(id, _, _)| *id == plan.id()) {
            let followed = plans.iter().any(|(other, first, their_last)| {
                *other != plan.id()
                    && first.start() >= last.start()
                    && their_last.start() > last.start()
            });
            if followed && Some(*last) != last_pay {
                ends.insert((*person, last.start()));
            }
        }
    }
    ends
}

/// Shows the forfeit `u` on the next statement in `out` of the same
/// person under another plan, unless it shows it already.
fn show_forfeit(
    plan: &CompPlan,
    out: &mut [Statement],
    (at, name, cap, amount): Unshown<'_>,
) -> Result<(), CompError> {
    let Some(last) = out.get(at).cloned() else {
        return Ok(());
    };
    let next = out
        .iter_mut()
        .skip(at)
        .find(|s| s.person == last.person && s.plan != last.plan);
    let Some(next) = next else {
        return Err(CompError::CarryForfeitUnshown(Box::new(UnshownForfeit {
            person: last.person.clone(),
            plan: plan.id().clone(),
            component: name.to_owned(),
            period: last.period,
            amount: Money::new(amount, last.currency()),
        })));
    };
    let shown = next.lines().iter().any(|l| match &l.explanation {
        Explanation::Carried(c) => {
            l.component.as_str() == name && c.ended.as_ref() == Some(plan.id())
        }
        _ => false,
    });
    if !shown {
        let money = Money::new(amount, last.currency());
        let zero = Money::zero(last.currency());
        let mut lines = next.lines().to_vec();
        lines.push(StatementLine {
            component: ComponentName::new(name),
            amount: zero,
            explanation: Explanation::Carried(Box::new(CarriedCap {
                cap,
                carried_before: money,
                room: zero,
                released: zero,
                excess: zero,
                carried_after: zero,
                forfeited: money,
                ended: Some(plan.id().clone()),
            })),
        });
        next.lines = List::from(lines);
    }
    Ok(())
}

/// The carry line of component `name` on `s`, if the carry touches it,
/// with `r` brought forward past it.
fn carry_line(
    plan: &CompPlan,
    s: &Statement,
    (name, cap, year_cap): (&str, Money, Option<Money>),
    r: &mut Running,
    closes: Option<Option<&PlanId>>,
) -> Result<Option<StatementLine>, CompError> {
    let cur = s.currency();
    // `None`: the carry goes on; `Some(None)`: the year's end;
    // `Some(Some(plan))`: the plan's, its true-up as the year's end is.
    let closes_year = closes.is_some();
    if let Some(done) = s.lines().iter().find_map(|l| match &l.explanation {
        Explanation::Carried(c)
            if l.component.as_str() == name && c.ended.as_ref().is_none_or(|p| p == plan.id()) =>
        {
            Some(c)
        }
        _ => None,
    }) {
        // Carried already (a locked statement given again): go on from it.
        r.paid = add(
            add(r.paid, s.computed_total(name)?)?,
            done.released.amount(),
        )?;
        r.carried = done.carried_after.amount();
        return Ok(None);
    }
    let (paid, excess, capped) = earned_and_excess(s, name)?;
    let excess = round(excess, cur, plan.rounding());
    let mut room = if capped {
        sub(cap.amount(), paid)?.max(Decimal::ZERO)
    } else {
        Decimal::ZERO
    };
    if let Some(y) = year_cap {
        // Later periods' pay is not known yet, and the cap per year does
        // not count releases: with one, the carry waits for the year-end
        // true-up, when the room left under it is.
        room = if closes_year {
            room.min(sub(y.amount(), add(r.paid, paid)?)?.max(Decimal::ZERO))
        } else {
            Decimal::ZERO
        };
    }
    let before = r.carried;
    let released = before.min(room);
    r.paid = add(add(r.paid, paid)?, released)?;
    let mut after = add(sub(before, released)?, excess)?;
    let forfeited = if closes.is_some() {
        after
    } else {
        Decimal::ZERO
    };
    after = sub(after, forfeited)?;
    r.carried = after;
    if before.is_zero() && excess.is_zero() && forfeited.is_zero() {
        return Ok(None);
    }
    // Every figure is in whole minor units already: written to them.
    let money = |d: Decimal| Money::new(round(d, cur, plan.rounding()), cur);
    Ok(Some(StatementLine {
        component: ComponentName::new(name),
        amount: money(released),
        explanation: Explanation::Carried(Box::new(CarriedCap {
            cap,
            carried_before: money(before),
            room: money(room),
            released: money(released),
            excess: money(excess),
            carried_after: money(after),
            forfeited: money(forfeited),
            ended: closes.flatten().filter(|_| !forfeited.is_zero()).cloned(),
        })),
    }))
}

/// `s`'s earned pay for component `name`, what its cap per period took
/// off (exact), and whether the cap applied. Earned lines only: an
/// adjustment, a hold or a clawback neither makes room nor takes it.
fn earned_and_excess(s: &Statement, name: &str) -> Result<(Decimal, Decimal, bool), CompError> {
    let mut paid = Decimal::ZERO;
    let mut excess = Decimal::ZERO;
    let mut capped = false;
    for l in s.lines().iter().filter(|l| l.component.as_str() == name) {
        let Explanation::Earned(c) = &l.explanation else {
            continue;
        };
        paid = add(paid, l.amount.amount())?;
        for limit in c.limits() {
            if let Limit::PeriodCap { effect, .. } = limit {
                capped = true;
                excess = sub(excess, *effect)?;
            }
        }
    }
    Ok((paid, excess, capped))
}

/// The explanation of a carried cap's line.
pub(super) fn write_carried(f: &mut std::fmt::Formatter<'_>, c: &CarriedCap) -> std::fmt::Result {
    if !c.carried_before.is_zero() {
        writeln!(
            f,
            "    carried from earlier periods over the cap of {}: {}; room this period {}, paid {}",
            c.cap, c.carried_before, c.room, c.released
        )?;
    }
    if !c.excess.is_zero() {
        writeln!(f, "    carried forward from this period: {}", c.excess)?;
    }
    if let Some(plan) = c.ended.as_ref().filter(|_| !c.forfeited.is_zero()) {
        writeln!(
            f,
            "    forfeited at the plan's end ({plan}): {}",
            c.forfeited
        )?;
    } else if !c.forfeited.is_zero() {
        writeln!(f, "    forfeited at the year's end: {}", c.forfeited)?;
    } else if !c.carried_after.is_zero() {
        writeln!(f, "    still carried: {}", c.carried_after)?;
    }
    Ok(())
}
