//! Holds: part of what a deal earns is held back when it is earned (on
//! booking) and paid when the customer pays (50% on booking and 50% on
//! payment; or, holding all of it, nothing until the customer pays).
//!
//! A step after the statements are made, like
//! [`apply_adjustments`](super::apply_adjustments): [`HoldPolicy::apply`]
//! adds a line taking the held part off each earned line it holds, and a
//! line paying each release on the statement of the pay period it falls
//! in. No other line changes.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::CompError;
use super::calc::round;
use super::plan::CompPlan;
use super::statement::{Calculation, ComponentName, Explanation, Statement, StatementLine};
use crate::credit::CreditRun;
use crate::ids::{PersonId, TransactionId};
use crate::list::List;
use crate::money::{Money, MoneyError, Percent, add, div, mul, sub};

/// Which components hold part of what they earn, and how much.
///
/// In JSON, `{"share": "50%", "components": ["Revenue"]}` (`components`
/// optional: every component); a customer's payment releasing a deal's
/// hold is a [`Release`], `{"transaction": "SO-7", "date": "2025-04-15"}`:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::comp::{HoldPolicy, Release};
///
/// let half: HoldPolicy = serde_json::from_str(r#"{"share": "50%", "components": ["Revenue"]}"#)?;
/// assert_eq!(half, HoldPolicy::new("50%".parse()?).component("Revenue"));
/// let paid: Release = serde_json::from_str(r#"{"transaction": "SO-7", "date": "2025-04-15"}"#)?;
/// assert_eq!(paid.transaction.as_str(), "SO-7");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct HoldPolicy {
    /// The share of each earned line held until its deals are paid for
    /// (50%: half on booking, half on payment; 100%: all on payment).
    pub share: Percent,
    /// The components it holds (empty: every component).
    #[cfg_attr(feature = "serde", serde(default))]
    pub components: Vec<String>,
}

/// A customer's payment for a deal, releasing what its hold keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Release {
    /// The deal (the sale a hold names).
    pub transaction: TransactionId,
    /// When the customer paid: the statement of the pay period holding it
    /// pays the release.
    pub date: NaiveDate,
}

/// A held part of one deal's pay.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct HeldDeal {
    /// The deal.
    pub transaction: TransactionId,
    /// Its credit in the line's window.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub credit: Decimal,
    /// What is held of its pay.
    pub held: Money,
}

/// Why a hold's line has its amount.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum HoldLine {
    /// `share` of the earned line held back (the line is minus the sum of
    /// the deals' parts), spread over its deals by their credit.
    Held {
        /// The share held.
        share: Percent,
        /// The earned line's amount.
        earned: Money,
        /// Each deal's held part.
        deals: Vec<HeldDeal>,
    },
    /// A deal's held part paid, the customer having paid on `paid_on`.
    Released {
        /// The deal.
        transaction: TransactionId,
        /// When the customer paid.
        paid_on: NaiveDate,
        /// The pay period the part was held in.
        held_in: crate::calendar::Period,
    },
}

/// One open hold.
struct Open {
    person: PersonId,
    component: ComponentName,
    amount: Money,
    held_in: crate::calendar::Period,
}

impl HoldPolicy {
    /// `share` of every component's earnings held until the customer pays.
    pub fn new(share: Percent) -> HoldPolicy {
        HoldPolicy {
            share,
            components: Vec::new(),
        }
    }

    /// Holds only `component` (call again for more).
    #[must_use]
    pub fn component(mut self, component: impl Into<String>) -> HoldPolicy {
        self.components.push(component.into());
        self
    }

    fn holds(&self, component: &str) -> bool {
        self.components.is_empty() || self.components.iter().any(|c| c == component)
    }

    /// `statements` (each person's in pay-period order, under `plans`,
    /// made from `runs`; a statement of another plan is not held, but
    /// takes releases) with holds: of each earned line of a held
    /// component that pays more than zero, `share` (rounded with the
    /// plan's rounding) is taken off by a line of its own, spread over the
    /// line's deals by their net credit in its window (each part rounded
    /// so the parts add up to the whole); a release pays back each part
    /// held for its deal, on the statement of the pay period holding its
    /// date (a part held later than its release is paid at once). A
    /// release dated after the last statement waits for a later call. A
    /// statement that already shows holds or releases (a locked one given
    /// again) is kept as it is, and the holds go on from it.
    ///
    /// # Errors
    ///
    /// [`CompError::UnknownHold`] for a release of a deal nothing is held
    /// for (never held, or already released) by the statement of its
    /// date; [`CompError::HeldDealReturned`] for a deal returned while
    /// part of its pay is held (release it first); [`CompError::Money`]
    /// on overflow.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, HoldPolicy, PayRate, Quotas, RateTable, Release};
    /// use salesplan::{PlanId, TransactionId};
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// # use salesplan::{AccountId, Currency, Money, PersonId, PositionId};
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
    /// // `run` credits Ann 4,000 sold in January (T1) and 6,000 in February (T2).
    /// # let feed = [sale("T1", 1, "4000.00"), sale("T2", 2, "6000.00")];
    /// # let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD)).run(&feed)?;
    ///
    /// let ten_percent = RateTable::Flat(PayRate::Percent("10%".parse()?));
    /// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    ///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month, ten_percent))
    ///     .build()?;
    /// let statements = Commissions::new(&plan, &[&run])?.statements(&ann, &Quotas::new(), &[], d(3, 31))?;
    /// // Half on booking, half when the customer pays: T1 is paid for on March 3rd.
    /// let half = HoldPolicy::new("50%".parse()?);
    /// let paid = [Release { transaction: TransactionId::new("T1")?, date: d(3, 3) }];
    /// let held = half.apply(&[&plan], &[&run], &statements, &paid)?;
    /// let totals: Vec<String> = held.iter().map(|s| s.total.to_string()).collect();
    /// assert_eq!(totals, ["200.00 USD", "300.00 USD", "200.00 USD"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(
        &self,
        plans: &[&CompPlan],
        runs: &[&CreditRun],
        statements: &[Statement],
        releases: &[Release],
    ) -> Result<Vec<Statement>, CompError> {
        let mut open: BTreeMap<TransactionId, Vec<Open>> = BTreeMap::new();
        let mut released = vec![false; releases.len()];
        let mut out = Vec::with_capacity(statements.len());
        for s in statements {
            let plan = plans.iter().copied().find(|p| p.id() == &s.plan);
            if s.lines()
                .iter()
                .any(|l| matches!(l.explanation, Explanation::Hold(_)))
            {
                // Held already (a locked statement given again): go on
                // from it.
                adopt(s, &mut open, releases, &mut released);
                out.push(s.clone());
                continue;
            }
            // A deal returned while part of its pay is held: the clawback
            // takes back the whole of what it earned, held part included,
            // which was never paid. Refused rather than charged twice.
            for l in s.lines() {
                if let Explanation::Clawback(c) = &l.explanation
                    && open.get(&c.sale).is_some_and(|parts| {
                        parts
                            .iter()
                            .any(|o| o.person == s.person && !o.amount.is_zero())
                    })
                {
                    return Err(CompError::HeldDealReturned {
                        person: s.person.clone(),
                        sale: c.sale.clone(),
                        date: c.date,
                    });
                }
            }
            let mut lines: Vec<StatementLine> = s.lines().to_vec();
            if let Some(plan) = plan {
                for l in s.lines() {
                    if let Some(line) = self.hold_line(plan, runs, s, l, &mut open)? {
                        lines.push(line);
                    }
                }
            }
            for (r, done) in releases.iter().zip(&mut released) {
                if r.date < s.period.end() {
                    let paid = release_lines(s, r, &mut open);
                    *done |= !paid.is_empty();
                    lines.extend(paid);
                }
            }
            let total = lines
                .iter()
                .skip(s.lines().len())
                .try_fold(s.total, |t, l| t.checked_add(l.amount))?;
            out.push(Statement {
                lines: List::from(lines),
                total,
                ..s.clone()
            });
        }
        check_releases(statements, releases, &released)?;
        Ok(out)
    }

    /// The line holding `share` of earned line `l` of `s`, if it holds.
    fn hold_line(
        &self,
        plan: &CompPlan,
        runs: &[&CreditRun],
        s: &Statement,
        l: &StatementLine,
        open: &mut BTreeMap<TransactionId, Vec<Open>>,
    ) -> Result<Option<StatementLine>, CompError> {
        let Explanation::Earned(c) = &l.explanation else {
            return Ok(None);
        };
        if !self.holds(&l.component) || !l.amount.is_positive() {
            return Ok(None);
        }
        let cur = s.currency();
        let held = round(
            mul(l.amount.amount(), self.share.fraction())?,
            cur,
            plan.rounding(),
        );
        let credits = deal_credits(plan, runs, &s.person, &l.component, c)?;
        let total = credits
            .iter()
            .try_fold(Decimal::ZERO, |t, (_, c)| add(t, *c))?;
        if total.is_zero() {
            // No deal with a positive credit: nothing to hold it for.
            return Ok(None);
        }
        let mut deals = Vec::with_capacity(credits.len());
        let (mut cumulative, mut before) = (Decimal::ZERO, Decimal::ZERO);
        for (tx, credit) in credits {
            cumulative = add(cumulative, credit)?;
            // Telescoping: each part is the rounded running share less
            // the one before, so the parts add up to `held`.
            let upto = round(div(mul(held, cumulative)?, total)?, cur, plan.rounding());
            let part = Money::new(sub(upto, before)?, cur);
            before = upto;
            open.entry(tx.clone()).or_default().push(Open {
                person: s.person.clone(),
                component: l.component.clone(),
                amount: part,
                held_in: s.period,
            });
            deals.push(HeldDeal {
                transaction: tx,
                credit,
                held: part,
            });
        }
        Ok(Some(StatementLine {
            component: l.component.clone(),
            amount: Money::new(held, cur).negated(),
            explanation: Explanation::Hold(Box::new(HoldLine::Held {
                share: self.share,
                earned: l.amount,
                deals,
            })),
        }))
    }
}

/// The net credit of each deal (by sale) of `person` in `c`'s window for
/// `component`'s measure, the deals with a positive credit only, by id.
fn deal_credits(
    plan: &CompPlan,
    runs: &[&CreditRun],
    person: &PersonId,
    component: &str,
    c: &Calculation,
) -> Result<Vec<(TransactionId, Decimal)>, MoneyError> {
    let Some(measure) = plan.component(component).map(super::Component::measure) else {
        return Ok(Vec::new());
    };
    let mut by_sale: BTreeMap<TransactionId, Decimal> = BTreeMap::new();
    for l in runs
        .iter()
        .filter(|r| r.basis() == measure)
        .flat_map(|r| r.lines())
        .filter(|l| l.person() == Some(person) && c.window.contains(l.date()))
        .filter(|l| c.transactions().contains(l.transaction()))
    {
        let entry = by_sale.entry(l.sale().clone()).or_default();
        *entry = add(*entry, l.amount())?;
    }
    Ok(by_sale
        .into_iter()
        .filter(|(_, c)| c.is_sign_positive() && !c.is_zero())
        .collect())
}

/// The holds and releases `s` already shows, into `open` and `released`.
fn adopt(
    s: &Statement,
    open: &mut BTreeMap<TransactionId, Vec<Open>>,
    releases: &[Release],
    released: &mut [bool],
) {
    for l in s.lines() {
        let Explanation::Hold(h) = &l.explanation else {
            continue;
        };
        match &**h {
            HoldLine::Held { deals, .. } => {
                for d in deals {
                    open.entry(d.transaction.clone()).or_default().push(Open {
                        person: s.person.clone(),
                        component: l.component.clone(),
                        amount: d.held,
                        held_in: s.period,
                    });
                }
            }
            HoldLine::Released {
                transaction,
                paid_on,
                held_in,
            } => {
                if let Some(parts) = open.get_mut(transaction) {
                    parts.retain(|o| {
                        !(o.person == s.person
                            && o.held_in == *held_in
                            && o.component == l.component)
                    });
                }
                for (r, done) in releases.iter().zip(released.iter_mut()) {
                    *done |= &r.transaction == transaction && r.date == *paid_on;
                }
            }
        }
    }
}

/// The lines paying release `r`'s open parts of `s`'s person.
fn release_lines(
    s: &Statement,
    r: &Release,
    open: &mut BTreeMap<TransactionId, Vec<Open>>,
) -> Vec<StatementLine> {
    let Some(parts) = open.get_mut(&r.transaction) else {
        return Vec::new();
    };
    let (mine, rest): (Vec<Open>, Vec<Open>) = parts.drain(..).partition(|o| o.person == s.person);
    *parts = rest;
    mine.into_iter()
        .map(|o| StatementLine {
            component: o.component,
            amount: o.amount,
            explanation: Explanation::Hold(Box::new(HoldLine::Released {
                transaction: r.transaction.clone(),
                paid_on: r.date,
                held_in: o.held_in,
            })),
        })
        .collect()
}

/// Every release within the statements' pay periods released something.
fn check_releases(
    statements: &[Statement],
    releases: &[Release],
    released: &[bool],
) -> Result<(), CompError> {
    let Some(end) = statements.iter().map(|s| s.period.end()).max() else {
        return Ok(());
    };
    match releases
        .iter()
        .zip(released)
        .find(|(r, done)| r.date < end && !**done)
        .map(|(r, _)| r)
    {
        Some(r) => Err(CompError::UnknownHold {
            transaction: r.transaction.clone(),
            date: r.date,
        }),
        None => Ok(()),
    }
}

/// The explanation of a hold's line.
pub(super) fn write_hold(f: &mut std::fmt::Formatter<'_>, h: &HoldLine) -> std::fmt::Result {
    match h {
        HoldLine::Held {
            share,
            earned,
            deals,
        } => {
            writeln!(f, "    held until the customer pays: {share} of {earned}")?;
            for d in deals {
                writeln!(
                    f,
                    "      {} (credit {}): {}",
                    d.transaction,
                    d.credit.normalize(),
                    d.held
                )?;
            }
            Ok(())
        }
        HoldLine::Released {
            transaction,
            paid_on,
            held_in,
        } => writeln!(
            f,
            "    released: {transaction} paid for on {paid_on} (held {} to {})",
            held_in.start(),
            held_in.last_day()
        ),
    }
}
