//! Adjustments with an audit trail: a one-off line (a manual payment, a
//! deduction, credit moved from one rep to another, the resolution of a
//! dispute) with its reason, who proposed it and who approved it.
//!
//! An [`Adjustment`] is a proposal. Only an [`ApprovedAdjustment`] goes on
//! a statement, and only the authority check
//! ([`Authority::approve_adjustment`](crate::bonus::Authority::approve_adjustment),
//! against the [`AuthorityPolicy`](crate::bonus::AuthorityPolicy)) makes
//! one. [`Statement::adjust`] adds it as a line of its own, with its
//! explanation, and changes nothing else: every other line, and the draw,
//! stay as they were; the total moves by the adjustment's amount.

use chrono::NaiveDate;

use super::CompError;
use super::statement::{ComponentName, Explanation, Statement, StatementLine};
use crate::calendar::Period;
use crate::ids::{PersonId, PlanId, TransactionId};
use crate::list::List;
use rust_decimal::Decimal;

use crate::money::{Money, MoneyError, add};

/// What an adjustment is for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum AdjustmentKind {
    /// A one-off payment (or, negative, a deduction) decided by hand.
    Manual,
    /// Credit for `transaction` moved from `from` to `to`: paid to one,
    /// taken from the other (two adjustments, one each).
    MovedCredit {
        /// The deal.
        transaction: TransactionId,
        /// Who loses the credit.
        from: PersonId,
        /// Who gains it.
        to: PersonId,
    },
    /// The resolution of a dispute raised against a statement line.
    Resolves(Box<Dispute>),
}

/// A dispute raised against one line of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Dispute {
    /// Whose statement.
    pub person: PersonId,
    /// Under which plan.
    pub plan: PlanId,
    /// The statement's pay period.
    pub period: Period,
    /// The line's component.
    pub component: ComponentName,
    /// The line's amount when disputed.
    pub amount: Money,
    /// Who raised it.
    pub raised_by: PersonId,
    /// When.
    pub raised_on: NaiveDate,
    /// What they say is wrong.
    pub note: String,
}

impl Dispute {
    /// A dispute raised by `raised_by` on `raised_on` against line `line`
    /// (its index in [`Statement::lines`]) of `statement`.
    ///
    /// # Errors
    ///
    /// [`CompError::NoSuchLine`] when the statement has no such line.
    pub fn new(
        statement: &Statement,
        line: usize,
        raised_by: PersonId,
        raised_on: NaiveDate,
        note: impl Into<String>,
    ) -> Result<Dispute, CompError> {
        let l = statement
            .lines()
            .get(line)
            .ok_or_else(|| CompError::NoSuchLine {
                person: statement.person.clone(),
                period: statement.period,
                line,
                lines: statement.lines().len(),
            })?;
        Ok(Dispute {
            person: statement.person.clone(),
            plan: statement.plan.clone(),
            period: statement.period,
            component: l.component.clone(),
            amount: l.amount,
            raised_by,
            raised_on,
            note: note.into(),
        })
    }
}

/// A proposed one-off line: for `person`, paid on the statement of the pay
/// period holding `date`, with why and who proposed it. Positive pays,
/// negative deducts.
///
/// In JSON (`kind` is `"manual"`, `{"moved_credit": {"transaction", "from",
/// "to"}}` or `{"resolves": dispute}`):
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::comp::{Adjustment, AdjustmentKind};
///
/// let a: Adjustment = serde_json::from_str(r#"{"person": "ana", "amount": "-50.00 USD",
///     "date": "2025-03-28", "kind": "manual", "reason": "duplicate refund",
///     "proposed_by": "ops"}"#)?;
/// assert_eq!(a.kind, AdjustmentKind::Manual);
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Adjustment {
    /// Who is paid (or deducted).
    pub person: PersonId,
    /// The amount, signed.
    pub amount: Money,
    /// The pay date: the statement of the pay period holding it takes the
    /// line.
    pub date: NaiveDate,
    /// What it is for.
    pub kind: AdjustmentKind,
    /// Why, in words.
    pub reason: String,
    /// Who proposed it.
    pub proposed_by: PersonId,
}

impl Adjustment {
    /// A manual payment (or, negative, deduction) of `amount` to `person`
    /// on the statement holding `date`, for `reason`, proposed by
    /// `proposed_by`.
    pub fn manual(
        person: PersonId,
        amount: Money,
        date: NaiveDate,
        reason: impl Into<String>,
        proposed_by: PersonId,
    ) -> Adjustment {
        Adjustment {
            person,
            amount,
            date,
            kind: AdjustmentKind::Manual,
            reason: reason.into(),
            proposed_by,
        }
    }

    /// Credit for `transaction` moved from `from` to `to`: `amount` (what
    /// the credit is worth in pay, positive) paid to `to` and taken from
    /// `from`, as two adjustments (each approved on its own).
    pub fn moved_credit(
        transaction: TransactionId,
        (from, to): (PersonId, PersonId),
        amount: Money,
        date: NaiveDate,
        reason: impl Into<String>,
        proposed_by: PersonId,
    ) -> [Adjustment; 2] {
        let reason = reason.into();
        let kind = AdjustmentKind::MovedCredit {
            transaction,
            from: from.clone(),
            to: to.clone(),
        };
        let one = |person, amount| Adjustment {
            person,
            amount,
            date,
            kind: kind.clone(),
            reason: reason.clone(),
            proposed_by: proposed_by.clone(),
        };
        [one(from, amount.negated()), one(to, amount)]
    }

    /// The resolution of `dispute`: `amount` to its person, on the
    /// statement holding `date`.
    pub fn resolving(
        dispute: Dispute,
        amount: Money,
        date: NaiveDate,
        reason: impl Into<String>,
        proposed_by: PersonId,
    ) -> Adjustment {
        Adjustment {
            person: dispute.person.clone(),
            amount,
            date,
            kind: AdjustmentKind::Resolves(Box::new(dispute)),
            reason: reason.into(),
            proposed_by,
        }
    }
}

/// An approved adjustment's audit trail, as a statement line keeps it:
/// the adjustment, who approved it, when, and under which authority.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct AuditTrail {
    /// The adjustment.
    pub adjustment: Adjustment,
    /// Who approved it.
    pub approved_by: PersonId,
    /// When.
    pub approved_on: NaiveDate,
    /// Why they could: the grant that gave them the authority, in words.
    pub authority: String,
}

/// An adjustment approved under the authority policy: only
/// [`Authority::approve_adjustment`](crate::bonus::Authority::approve_adjustment)
/// makes one (it does not deserialize: an approval is checked, never
/// read in).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ApprovedAdjustment(AuditTrail);

impl ApprovedAdjustment {
    /// `adjustment` approved by `approved_by` on `approved_on` under
    /// `authority` (the check is the caller's).
    pub(crate) fn new(
        adjustment: Adjustment,
        approved_by: PersonId,
        approved_on: NaiveDate,
        authority: String,
    ) -> ApprovedAdjustment {
        ApprovedAdjustment(AuditTrail {
            adjustment,
            approved_by,
            approved_on,
            authority,
        })
    }

    /// The audit trail: the adjustment and its approval.
    pub const fn trail(&self) -> &AuditTrail {
        &self.0
    }
}

impl Statement {
    /// This statement with `adjustment` as a line of its own, last, with
    /// its audit trail as the explanation; its component is the disputed
    /// line's for a dispute's resolution, `"Adjustment"` otherwise.
    /// Nothing else changes: the other lines and the draw stay as they
    /// are, and the total moves by the adjustment's amount. A statement
    /// that already shows the same approved adjustment is returned as it
    /// is, so a locked statement given again is not adjusted twice; and
    /// the commission engine never corrects such a line in a locked
    /// statement.
    ///
    /// # Errors
    ///
    /// [`CompError::AdjustmentElsewhere`] when the adjustment is for
    /// another person or its date is outside the statement's pay period;
    /// [`CompError::Money`] for an amount with a fraction of a minor unit,
    /// another currency, or on overflow.
    ///
    /// # Examples
    ///
    /// Ria disputes her Q1 line (a 2,000 deal booked to someone else was
    /// hers); the resolution Ops proposes, Rui approves:
    ///
    /// ```
    /// use salesplan::comp::{Adjustment, Dispute};
    /// # use chrono::NaiveDate;
    /// # use salesplan::bonus::{Authority, AuthorityPolicy, Grant, Power};
    /// # use salesplan::calendar::{DateRange, FiscalCalendar};
    /// # use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, PayRate, Quotas, RateTable};
    /// # use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// # use salesplan::{AccountId, Currency, Money, Period, PersonId, PlanId, PositionId, TransactionId};
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let always = DateRange::starting(d(1, 1));
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let who = |s: &str| PersonId::new(s).unwrap();
    /// # let usd = |s: &str| Money::parse(s, Currency::USD).unwrap();
    /// // rui (regional manager) > ria (rep), who sold 30,000 in Q1 at 10%.
    /// # let org = Org::builder()
    /// #     .position(Position::new(pos("rsm"), Role::RegionalManager))
    /// #     .position(Position::new(pos("rep"), Role::SalesRep))
    /// #     .line(ReportingLine::top(pos("rsm"), always))
    /// #     .line(ReportingLine::new(pos("rep"), pos("rsm"), always))
    /// #     .assignments([("rui", "rsm"), ("ria", "rep")].map(|(p, s)| Assignment::new(who(p), pos(s), always)))
    /// #     .build()?;
    /// # let sale = Transaction::new(TransactionId::new("T1")?, TransactionKind::Order, d(2, 10),
    /// #     AccountId::new("acme")?, usd("30000.00")).with_owner(pos("rep"));
    /// # let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD)).run(&[sale])?;
    /// # let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
    /// #     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter,
    /// #         RateTable::Flat(PayRate::Percent("10%".parse()?))))
    /// #     .build()?;
    /// # let quotas = Quotas::new().revenue(Period::new(d(1, 1), d(4, 1))?, usd("30000.00"));
    /// let q1 = Commissions::new(&plan, &[&run])?.statements(&who("ria"), &quotas, &[], d(3, 31))?;
    /// let policy = AuthorityPolicy::new()
    ///     .grant(Grant::new(Role::RegionalManager, Power::ApproveAdjustment { up_to: Some(usd("500.00")) }));
    /// let snapshot = org.as_of(d(3, 28))?;
    /// let authority = Authority::new(&policy, &snapshot)?;
    /// let dispute = Dispute::new(&q1[0], 0, who("ria"), d(3, 20), "T7 was my deal")?;
    /// let resolution = Adjustment::resolving(dispute, usd("200.00"), d(3, 28), "T7 moved to Ria: 2,000 at 10%", who("ops"));
    /// let approved = authority.approve_adjustment(resolution, &who("rui"))?;
    ///
    /// let adjusted = q1[0].adjust(&approved)?;
    /// assert_eq!(adjusted.total, usd("3200.00"));
    /// assert_eq!(adjusted.lines()[0], q1[0].lines()[0]); // the earned line is untouched
    /// assert!(adjusted.to_string().contains("proposed by ops, approved by rui on 2025-03-28"));
    /// // Given again, the same approved adjustment is not added twice.
    /// assert_eq!(adjusted.adjust(&approved)?, adjusted);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn adjust(&self, adjustment: &ApprovedAdjustment) -> Result<Statement, CompError> {
        let a = &adjustment.0.adjustment;
        if a.person != self.person || !self.period.contains(a.date) {
            return Err(CompError::AdjustmentElsewhere {
                person: a.person.clone(),
                date: a.date,
                statement_person: self.person.clone(),
                period: self.period,
            });
        }
        // Pay is whole minor units: a fraction of a cent is refused.
        a.amount.to_minor()?;
        if self
            .lines
            .iter()
            .any(|l| matches!(&l.explanation, Explanation::Approved(t) if **t == adjustment.0))
        {
            // Already on it (a locked statement given again).
            return Ok(self.clone());
        }
        let total = self.total.checked_add(a.amount)?;
        let component = match &a.kind {
            AdjustmentKind::Resolves(d) => d.component.clone(),
            _ => ComponentName::new("Adjustment"),
        };
        let mut lines: Vec<StatementLine> = self.lines.to_vec();
        lines.push(StatementLine {
            component,
            amount: a.amount,
            explanation: Explanation::Approved(Box::new(adjustment.0.clone())),
        });
        Ok(Statement {
            lines: List::from(lines),
            total,
            ..self.clone()
        })
    }
}

/// `statements` with each of `adjustments` on the statement of its person
/// whose pay period holds its date: for a dispute's resolution, the
/// disputed plan's if there is one; otherwise the first such, by the order
/// given (with a plan change inside the period, the earlier plan's).
///
/// # Errors
///
/// [`CompError::NoStatementForAdjustment`] for an adjustment no
/// statement takes; what [`Statement::adjust`] refuses.
///
/// # Examples
///
/// A manual payment lands on the statement of its person and date; one
/// for a date no statement covers is refused:
///
/// ```
/// use salesplan::comp::{Adjustment, apply_adjustments};
/// # use chrono::NaiveDate;
/// # use salesplan::bonus::{Authority, AuthorityPolicy, Grant, Power};
/// # use salesplan::calendar::{DateRange, FiscalCalendar};
/// # use salesplan::comp::{CompPeriod, CompPlan, Commissions, Component, PayRate, Quotas, RateTable};
/// # use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
/// # use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
/// # use salesplan::{AccountId, Currency, Money, Period, PersonId, PlanId, PositionId, TransactionId};
/// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// # let always = DateRange::starting(d(1, 1));
/// # let pos = |s: &str| PositionId::new(s).unwrap();
/// # let who = |s: &str| PersonId::new(s).unwrap();
/// # let usd = |s: &str| Money::parse(s, Currency::USD).unwrap();
/// // rui (regional manager) > ria (rep), who sold 30,000 in Q1 at 10%.
/// # let org = Org::builder()
/// #     .position(Position::new(pos("rsm"), Role::RegionalManager))
/// #     .position(Position::new(pos("rep"), Role::SalesRep))
/// #     .line(ReportingLine::top(pos("rsm"), always))
/// #     .line(ReportingLine::new(pos("rep"), pos("rsm"), always))
/// #     .assignments([("rui", "rsm"), ("ria", "rep")].map(|(p, s)| Assignment::new(who(p), pos(s), always)))
/// #     .build()?;
/// # let sale = Transaction::new(TransactionId::new("T1")?, TransactionKind::Order, d(2, 10),
/// #     AccountId::new("acme")?, usd("30000.00")).with_owner(pos("rep"));
/// # let run = Crediting::new(&org, &CreditPlan::new(CreditBasis::Revenue, Currency::USD)).run(&[sale])?;
/// # let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
/// #     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter,
/// #         RateTable::Flat(PayRate::Percent("10%".parse()?))))
/// #     .build()?;
/// # let quotas = Quotas::new().revenue(Period::new(d(1, 1), d(4, 1))?, usd("30000.00"));
/// let q1 = Commissions::new(&plan, &[&run])?.statements(&who("ria"), &quotas, &[], d(3, 31))?;
/// let policy = AuthorityPolicy::new()
///     .grant(Grant::new(Role::RegionalManager, Power::ApproveAdjustment { up_to: Some(usd("500.00")) }));
/// let snapshot = org.as_of(d(3, 28))?;
/// let authority = Authority::new(&policy, &snapshot)?;
/// let refund = Adjustment::manual(who("ria"), usd("-50.00"), d(3, 28), "Duplicate expense refund", who("ops"));
/// let later = Adjustment::manual(who("ria"), usd("100.00"), d(4, 2), "April SPIFF", who("ops"));
/// let approved = [refund, later].map(|a| authority.approve_adjustment(a, &who("rui")));
/// let [refund, later] = approved;
///
/// let adjusted = apply_adjustments(&q1, &[refund?])?;
/// assert_eq!(adjusted[0].total, usd("2950.00"));
/// let err = apply_adjustments(&q1, &[later?]).unwrap_err();
/// assert!(matches!(err, salesplan::CompError::NoStatementForAdjustment { .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn apply_adjustments(
    statements: &[Statement],
    adjustments: &[ApprovedAdjustment],
) -> Result<Vec<Statement>, CompError> {
    let mut out = statements.to_vec();
    for adj in adjustments {
        let a = &adj.0.adjustment;
        // A dispute's resolution goes on the disputed plan's statement.
        let plan = match &a.kind {
            AdjustmentKind::Resolves(d) => Some(&d.plan),
            _ => None,
        };
        let fits = |s: &Statement| s.person == a.person && s.period.contains(a.date);
        let Some(s) = out
            .iter()
            .position(|s| fits(s) && plan.is_none_or(|p| &s.plan == p))
            .or_else(|| out.iter().position(fits))
            .and_then(|i| out.get_mut(i))
        else {
            return Err(CompError::NoStatementForAdjustment {
                person: a.person.clone(),
                date: a.date,
            });
        };
        *s = s.adjust(adj)?;
    }
    Ok(out)
}

impl Statement {
    /// The sum of `component`'s lines the commission engine made (earned,
    /// clawed back, corrected), without the lines added to its statements
    /// afterwards (approved adjustments, carried caps, holds).
    pub(crate) fn computed_total(&self, component: &str) -> Result<Decimal, MoneyError> {
        self.lines
            .iter()
            .filter(|l| l.component.as_str() == component)
            .filter(|l| {
                matches!(
                    l.explanation,
                    Explanation::Earned(_) | Explanation::Clawback(_) | Explanation::Adjustment(_)
                )
            })
            .try_fold(Decimal::ZERO, |t, l| add(t, l.amount.amount()))
    }
}

/// The explanation of an approved adjustment's line.
pub(super) fn write_trail(f: &mut std::fmt::Formatter<'_>, t: &AuditTrail) -> std::fmt::Result {
    let a = &t.adjustment;
    match &a.kind {
        AdjustmentKind::Manual => writeln!(f, "    adjustment: {}", a.reason)?,
        AdjustmentKind::MovedCredit {
            transaction,
            from,
            to,
        } => writeln!(
            f,
            "    credit for {transaction} moved from {from} to {to}: {}",
            a.reason
        )?,
        AdjustmentKind::Resolves(d) => {
            writeln!(
                f,
                "    resolves the dispute {} raised on {} against {} ({}, {} to {}): {}",
                d.raised_by,
                d.raised_on,
                d.component,
                d.amount,
                d.period.start(),
                d.period.last_day(),
                d.note
            )?;
            writeln!(f, "    resolution: {}", a.reason)?;
        }
    }
    writeln!(
        f,
        "    proposed by {}, approved by {} on {} ({})",
        a.proposed_by, t.approved_by, t.approved_on, t.authority
    )
}
