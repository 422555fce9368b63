//! Discretionary bonuses: proposed, approved or rejected, payable; within a
//! budget per manager per period.

use std::fmt;

use chrono::NaiveDate;

use super::authority::{Action, Authority, Outcome};
use crate::bonus::BonusError;
use crate::calendar::Period;
use crate::ids::{PersonId, PlanId};
use crate::money::Money;

/// Where a discretionary bonus stands.
///
/// In JSON, `"proposed"`, `{"approved": {"by": person, "on": date}}`,
/// `{"rejected": {"by": person, "on": date}}` or `{"payable":
/// {"approved_by": person, "approved_on": date, "payable_on": date}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum BonusState {
    /// Proposed, waiting for a decision.
    Proposed,
    /// Approved: counts against the proposer's budget.
    Approved {
        /// Who approved it.
        by: PersonId,
        /// When.
        on: NaiveDate,
    },
    /// Rejected: counts against nothing.
    Rejected {
        /// Who rejected it.
        by: PersonId,
        /// When.
        on: NaiveDate,
    },
    /// Approved and released to payroll: still counts against the budget.
    Payable {
        /// Who approved it.
        approved_by: PersonId,
        /// When.
        approved_on: NaiveDate,
        /// When it was released.
        payable_on: NaiveDate,
    },
}

impl BonusState {
    const fn name(&self) -> &'static str {
        match self {
            BonusState::Proposed => "proposed",
            BonusState::Approved { .. } => "approved",
            BonusState::Rejected { .. } => "rejected",
            BonusState::Payable { .. } => "payable",
        }
    }

    /// Whether it counts against a budget (approved or payable).
    pub const fn is_committed(&self) -> bool {
        matches!(
            self,
            BonusState::Approved { .. } | BonusState::Payable { .. }
        )
    }
}

impl fmt::Display for BonusState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BonusState::Proposed => f.write_str("proposed"),
            BonusState::Approved { by, on } => write!(f, "approved by {by} on {on}"),
            BonusState::Rejected { by, on } => write!(f, "rejected by {by} on {on}"),
            BonusState::Payable {
                approved_by,
                approved_on,
                payable_on,
            } => write!(
                f,
                "approved by {approved_by} on {approved_on}, payable from {payable_on}"
            ),
        }
    }
}

/// A discretionary bonus, as data: who proposed it for whom, how much,
/// why, and its state.
///
/// In JSON, `{"id": .., "proposed_by": person, "recipient": person,
/// "amount": "700.00 USD", "reason": .., "proposed_on": "YYYY-MM-DD",
/// "state": ..}`, `state` optional (proposed). A [`BonusLedger`] checks
/// its bonuses when it is read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct DiscretionaryBonus {
    id: PlanId,
    proposed_by: PersonId,
    recipient: PersonId,
    amount: Money,
    reason: String,
    proposed_on: NaiveDate,
    #[cfg_attr(feature = "serde", serde(default = "proposed"))]
    state: BonusState,
}

#[cfg(feature = "serde")]
const fn proposed() -> BonusState {
    BonusState::Proposed
}

impl DiscretionaryBonus {
    /// A proposal: `proposed_by` proposes `amount` for `recipient` on
    /// `proposed_on`, because `reason`. Its id is a [`PlanId`] (a one-off
    /// bonus plan).
    pub fn propose(
        id: PlanId,
        proposed_by: PersonId,
        recipient: PersonId,
        amount: Money,
        reason: impl Into<String>,
        proposed_on: NaiveDate,
    ) -> DiscretionaryBonus {
        DiscretionaryBonus {
            id,
            proposed_by,
            recipient,
            amount,
            reason: reason.into(),
            proposed_on,
            state: BonusState::Proposed,
        }
    }

    /// The id.
    pub const fn id(&self) -> &PlanId {
        &self.id
    }

    /// Who proposed it (whose budget it is charged to).
    pub const fn proposed_by(&self) -> &PersonId {
        &self.proposed_by
    }

    /// For whom.
    pub const fn recipient(&self) -> &PersonId {
        &self.recipient
    }

    /// How much.
    pub const fn amount(&self) -> Money {
        self.amount
    }

    /// Why.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// When it was proposed (which budget period it falls in).
    pub const fn proposed_on(&self) -> NaiveDate {
        self.proposed_on
    }

    /// Its state.
    pub const fn state(&self) -> &BonusState {
        &self.state
    }
}

impl fmt::Display for DiscretionaryBonus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} for {}, proposed by {} on {} ({:?}); {}",
            self.id,
            self.amount,
            self.recipient,
            self.proposed_by,
            self.proposed_on,
            self.reason,
            self.state
        )
    }
}

/// A manager's budget for discretionary bonuses over a period.
///
/// In JSON, `{"amount": "1000.00 USD", "period": {"start": .., "end":
/// ..}}`; a [`BonusLedger`] checks it (not negative, not overlapping
/// another of the manager's) when it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Budget {
    amount: Money,
    period: Period,
}

impl Budget {
    /// `amount` to spend over `period`.
    pub const fn new(amount: Money, period: Period) -> Budget {
        Budget { amount, period }
    }

    /// The amount.
    pub const fn amount(&self) -> Money {
        self.amount
    }

    /// The period.
    pub const fn period(&self) -> Period {
        self.period
    }
}

/// Discretionary bonuses and the budgets they are charged to.
///
/// A bonus is charged to its proposer's budget for the period containing
/// the proposal date. Approving checks, in this order: the bonus is still
/// proposed; the approver has the authority ([`Authority::authorize`],
/// as of the authority's snapshot date, which is recorded as the approval
/// date); and the approved and payable bonuses charged to the budget,
/// plus this one, stay within it. So approved bonuses never exceed a
/// budget.
///
/// Deserializing a ledger checks its budgets (not negative, no overlaps,
/// approved bonuses within them), its bonuses (positive, ids unique), but
/// not who approved what: the org is not at hand there.
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::bonus::{Authority, AuthorityPolicy, Budget, BonusLedger, DiscretionaryBonus, Grant, Power};
/// use salesplan::calendar::DateRange;
/// use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
/// use salesplan::{BonusError, Currency, Money, Period, PersonId, PlanId, PositionId};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let pos = |s: &str| PositionId::new(s).unwrap();
/// let who = |s: &str| PersonId::new(s).unwrap();
/// let usd = |s: &str| Money::parse(s, Currency::USD).unwrap();
/// let always = DateRange::starting(d(1, 1));
/// let org = Org::builder()
///     .position(Position::new(pos("rsm"), Role::RegionalManager))
///     .position(Position::new(pos("rep"), Role::SalesRep))
///     .line(ReportingLine::top(pos("rsm"), always))
///     .line(ReportingLine::new(pos("rep"), pos("rsm"), always))
///     .assignments([("rui", "rsm"), ("ria", "rep")].map(|(p, s)| Assignment::new(who(p), pos(s), always)))
///     .build()?;
/// let policy = AuthorityPolicy::new()
///     .grant(Grant::new(Role::RegionalManager, Power::ApproveDiscretionaryBonus { up_to: None }));
/// let snapshot = org.as_of(d(4, 10))?;
/// let authority = Authority::new(&policy, &snapshot)?;
///
/// let q2 = Period::new(d(4, 1), d(7, 1))?;
/// let mut ledger = BonusLedger::new().budget(who("rui"), Budget::new(usd("1000.00"), q2))?;
/// let id = |s: &str| PlanId::new(s).unwrap();
/// ledger.propose(DiscretionaryBonus::propose(id("db-1"), who("rui"), who("ria"), usd("700.00"), "saved the Acme renewal", d(4, 9)))?;
/// ledger.propose(DiscretionaryBonus::propose(id("db-2"), who("rui"), who("ria"), usd("400.00"), "trade show", d(4, 9)))?;
/// ledger.approve(&id("db-1"), &who("rui"), &authority)?;
/// let over = ledger.approve(&id("db-2"), &who("rui"), &authority).unwrap_err();
/// assert!(matches!(over, BonusError::OverBudget { .. }));
/// assert_eq!(ledger.remaining(&who("rui"), d(5, 1))?.to_string(), "300.00 USD");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// In JSON, `{"budgets": [[manager, budget], ..], "bonuses": [bonus,
/// ..]}`, either list optional (empty):
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use chrono::NaiveDate;
/// use salesplan::bonus::BonusLedger;
/// use salesplan::PersonId;
/// let ledger: BonusLedger = serde_json::from_str(r#"{
///     "budgets": [["rui", {"amount": "1000.00 USD", "period": {"start": "2025-04-01", "end": "2025-07-01"}}]],
///     "bonuses": [{
///         "id": "db-1", "proposed_by": "rui", "recipient": "ria", "amount": "700.00 USD",
///         "reason": "saved the Acme renewal", "proposed_on": "2025-04-09",
///         "state": {"approved": {"by": "rui", "on": "2025-04-10"}}
///     }]
/// }"#)?;
/// let may = NaiveDate::from_ymd_opt(2025, 5, 1).unwrap();
/// assert_eq!(ledger.remaining(&PersonId::new("rui")?, may)?.to_string(), "300.00 USD");
/// // An unknown field is refused, naming it; so is a negative budget.
/// let err = serde_json::from_str::<BonusLedger>(r#"{"budget": []}"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `budget`"));
/// let err = serde_json::from_str::<BonusLedger>(
///     r#"{"budgets": [["rui", {"amount": "-1.00 USD", "period": {"start": "2025-04-01", "end": "2025-07-01"}}]]}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("is negative"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawLedger", into = "RawLedger"))]
pub struct BonusLedger {
    /// By manager, then period start.
    budgets: Vec<(PersonId, Budget)>,
    /// By id.
    bonuses: Vec<DiscretionaryBonus>,
}

impl BonusLedger {
    /// An empty ledger.
    pub fn new() -> BonusLedger {
        BonusLedger::default()
    }

    /// Adds `manager`'s budget.
    ///
    /// # Errors
    ///
    /// [`BonusError::NegativeBudget`]; [`BonusError::OverlappingBudgets`]
    /// when the manager already has a budget overlapping the period.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::bonus::{BonusLedger, Budget};
    /// use salesplan::{BonusError, Currency, Money, Period, PersonId};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let usd = |s: &str| Money::parse(s, Currency::USD).unwrap();
    /// let rui = PersonId::new("rui")?;
    /// let ledger = BonusLedger::new()
    ///     .budget(rui.clone(), Budget::new(usd("1000.00"), Period::new(d(4, 1), d(7, 1))?))?
    ///     .budget(rui.clone(), Budget::new(usd("800.00"), Period::new(d(7, 1), d(10, 1))?))?;
    /// assert_eq!(ledger.budget_on(&rui, d(8, 15))?.amount().to_string(), "800.00 USD");
    /// let overlapping = ledger.budget(rui, Budget::new(usd("50.00"), Period::month(2025, 9)?)).unwrap_err();
    /// assert!(matches!(overlapping, BonusError::OverlappingBudgets { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn budget(mut self, manager: PersonId, budget: Budget) -> Result<Self, BonusError> {
        self.add_budget(manager, budget)?;
        Ok(self)
    }

    fn add_budget(&mut self, manager: PersonId, budget: Budget) -> Result<(), BonusError> {
        if budget.amount.is_negative() {
            return Err(BonusError::NegativeBudget {
                manager,
                amount: budget.amount,
            });
        }
        if let Some((_, other)) = self
            .budgets
            .iter()
            .find(|(m, b)| *m == manager && b.period.overlaps(&budget.period))
        {
            return Err(BonusError::OverlappingBudgets {
                manager,
                first: other.period,
                second: budget.period,
            });
        }
        let at = self
            .budgets
            .partition_point(|(m, b)| (m, b.period.start()) < (&manager, budget.period.start()));
        self.budgets.insert(at, (manager, budget));
        Ok(())
    }

    /// Records a proposal (its state is set to proposed).
    ///
    /// # Errors
    ///
    /// [`BonusError::DuplicateBonus`] for an id already in the ledger;
    /// [`BonusError::NonPositiveBonus`] for an amount of zero or less.
    pub fn propose(&mut self, mut bonus: DiscretionaryBonus) -> Result<(), BonusError> {
        if !bonus.amount.is_positive() {
            return Err(BonusError::NonPositiveBonus {
                bonus: bonus.id,
                amount: bonus.amount,
            });
        }
        match self.bonuses.binary_search_by(|b| b.id.cmp(&bonus.id)) {
            Ok(_) => Err(BonusError::DuplicateBonus { bonus: bonus.id }),
            Err(at) => {
                bonus.state = BonusState::Proposed;
                self.bonuses.insert(at, bonus);
                Ok(())
            }
        }
    }

    fn find(&self, id: &PlanId) -> Result<usize, BonusError> {
        self.bonuses
            .binary_search_by(|b| b.id.cmp(id))
            .map_err(|_| BonusError::UnknownBonus { bonus: id.clone() })
    }

    /// The bonus `id`.
    fn entry(&self, id: &PlanId) -> Result<&DiscretionaryBonus, BonusError> {
        let at = self.find(id)?;
        self.bonuses
            .get(at)
            .ok_or_else(|| BonusError::UnknownBonus { bonus: id.clone() })
    }

    /// The bonus `id`, to change.
    fn entry_mut(&mut self, id: &PlanId) -> Result<&mut DiscretionaryBonus, BonusError> {
        let at = self.find(id)?;
        self.bonuses
            .get_mut(at)
            .ok_or_else(|| BonusError::UnknownBonus { bonus: id.clone() })
    }

    fn transition(bonus: &DiscretionaryBonus, to: &'static str) -> BonusError {
        BonusError::InvalidTransition {
            bonus: bonus.id.clone(),
            from: bonus.state.name(),
            to,
        }
    }

    /// `manager`'s budget for the period containing `date`.
    ///
    /// # Errors
    ///
    /// [`BonusError::NoBudget`] when there is none.
    pub fn budget_on(&self, manager: &PersonId, date: NaiveDate) -> Result<Budget, BonusError> {
        self.budgets
            .iter()
            .find(|(m, b)| m == manager && b.period.contains(date))
            .map(|(_, b)| *b)
            .ok_or_else(|| BonusError::NoBudget {
                manager: manager.clone(),
                date,
            })
    }

    /// What approved and payable bonuses take of `manager`'s budget for
    /// the period containing `date`.
    ///
    /// # Errors
    ///
    /// [`BonusError::NoBudget`]; [`BonusError::Arithmetic`] for a bonus
    /// in another currency than the budget.
    pub fn committed(&self, manager: &PersonId, date: NaiveDate) -> Result<Money, BonusError> {
        let budget = self.budget_on(manager, date)?;
        Money::checked_sum(
            budget.amount.currency(),
            self.bonuses
                .iter()
                .filter(|b| {
                    b.state.is_committed()
                        && b.proposed_by == *manager
                        && budget.period.contains(b.proposed_on)
                })
                .map(|b| b.amount),
        )
        .map_err(|source| BonusError::Arithmetic { source })
    }

    /// What is left of `manager`'s budget for the period containing
    /// `date`.
    ///
    /// # Errors
    ///
    /// As [`committed`](Self::committed).
    pub fn remaining(&self, manager: &PersonId, date: NaiveDate) -> Result<Money, BonusError> {
        let budget = self.budget_on(manager, date)?;
        budget
            .amount
            .checked_sub(self.committed(manager, date)?)
            .map_err(|source| BonusError::Arithmetic { source })
    }

    /// Approves a proposed bonus, as of the authority's snapshot date.
    ///
    /// # Errors
    ///
    /// [`BonusError::UnknownBonus`]; [`BonusError::InvalidTransition`]
    /// unless it is proposed; [`BonusError::NotAuthorized`] when the
    /// approver may not approve it (naming who could); any error of
    /// [`Authority::authorize`]; [`BonusError::NoBudget`];
    /// [`BonusError::OverBudget`] when it would take the proposer's
    /// approved bonuses over the budget.
    pub fn approve(
        &mut self,
        id: &PlanId,
        approver: &PersonId,
        authority: &Authority<'_>,
    ) -> Result<&DiscretionaryBonus, BonusError> {
        let bonus = self.entry(id)?;
        if bonus.state != BonusState::Proposed {
            return Err(Self::transition(bonus, "approved"));
        }
        let on = authority.date();
        let decision = authority.authorize(
            approver,
            &Action::ApproveDiscretionaryBonus {
                amount: bonus.amount,
            },
            &bonus.recipient,
            on,
        )?;
        if let Outcome::NeedsApproval { .. } | Outcome::Denied = decision.outcome() {
            return Err(BonusError::NotAuthorized {
                bonus: id.clone(),
                approver: approver.clone(),
                needs: decision.approver().and_then(|a| a.person()).cloned(),
            });
        }
        let budget = self.budget_on(&bonus.proposed_by, bonus.proposed_on)?;
        let committed = self.committed(&bonus.proposed_by, bonus.proposed_on)?;
        let after = committed
            .checked_add(bonus.amount)
            .map_err(|source| BonusError::Arithmetic { source })?;
        if after
            .compare(&budget.amount)
            .map_err(|source| BonusError::Arithmetic { source })?
            .is_gt()
        {
            return Err(BonusError::OverBudget {
                bonus: id.clone(),
                manager: bonus.proposed_by.clone(),
                budget: budget.amount.amount(),
                committed: committed.amount(),
                requested: bonus.amount,
            });
        }
        let slot = self.entry_mut(id)?;
        slot.state = BonusState::Approved {
            by: approver.clone(),
            on,
        };
        Ok(slot)
    }

    /// Rejects a proposed bonus.
    ///
    /// # Errors
    ///
    /// [`BonusError::UnknownBonus`]; [`BonusError::InvalidTransition`]
    /// unless it is proposed.
    pub fn reject(
        &mut self,
        id: &PlanId,
        by: &PersonId,
        on: NaiveDate,
    ) -> Result<&DiscretionaryBonus, BonusError> {
        let slot = self.entry_mut(id)?;
        if slot.state != BonusState::Proposed {
            return Err(Self::transition(slot, "rejected"));
        }
        slot.state = BonusState::Rejected { by: by.clone(), on };
        Ok(slot)
    }

    /// Releases an approved bonus to payroll from `on`.
    ///
    /// # Errors
    ///
    /// [`BonusError::UnknownBonus`]; [`BonusError::InvalidTransition`]
    /// unless it is approved, or when `on` is before the approval.
    pub fn make_payable(
        &mut self,
        id: &PlanId,
        on: NaiveDate,
    ) -> Result<&DiscretionaryBonus, BonusError> {
        let slot = self.entry_mut(id)?;
        match &slot.state {
            BonusState::Approved { by, on: approved } if *approved <= on => {
                slot.state = BonusState::Payable {
                    approved_by: by.clone(),
                    approved_on: *approved,
                    payable_on: on,
                };
                Ok(slot)
            }
            _ => Err(Self::transition(slot, "payable")),
        }
    }

    /// Every bonus, by id.
    pub fn bonuses(&self) -> &[DiscretionaryBonus] {
        &self.bonuses
    }

    /// Every budget, by manager and period.
    pub fn budgets(&self) -> &[(PersonId, Budget)] {
        &self.budgets
    }

    /// The bonuses payable, by id.
    pub fn payable(&self) -> impl Iterator<Item = &DiscretionaryBonus> + '_ {
        self.bonuses
            .iter()
            .filter(|b| matches!(b.state, BonusState::Payable { .. }))
    }
}

crate::validated::via_raw! {
    #[derive(serde::Serialize)]
    RawLedger => BonusLedger, BonusError {
        #[serde(default)]
        budgets: Vec<(PersonId, Budget)>,
        #[serde(default)]
        bonuses: Vec<DiscretionaryBonus>,
    } => {
        let mut ledger = BonusLedger::new();
        for (manager, budget) in budgets {
            ledger.add_budget(manager, budget)?;
        }
        for bonus in bonuses {
            let state = bonus.state.clone();
            let id = bonus.id.clone();
            ledger.propose(bonus)?;
            ledger.entry_mut(&id)?.state = state;
        }
        // Stored approvals must still fit their budgets.
        for b in ledger.bonuses.iter().filter(|b| b.state.is_committed()) {
            let budget = ledger.budget_on(&b.proposed_by, b.proposed_on)?;
            let committed = ledger.committed(&b.proposed_by, b.proposed_on)?;
            if committed
                .compare(&budget.amount)
                .map_err(|source| BonusError::Arithmetic { source })?
                .is_gt()
            {
                // What the others took before this one: it was added in.
                let before = committed
                    .checked_sub(b.amount)
                    .map_err(|source| BonusError::Arithmetic { source })?;
                return Err(BonusError::OverBudget {
                    bonus: b.id.clone(),
                    manager: b.proposed_by.clone(),
                    budget: budget.amount.amount(),
                    committed: before.amount(),
                    requested: b.amount,
                });
            }
        }
        Ok(ledger)
    }
}

#[cfg(feature = "serde")]
impl From<BonusLedger> for RawLedger {
    fn from(l: BonusLedger) -> RawLedger {
        RawLedger {
            budgets: l.budgets,
            bonuses: l.bonuses,
        }
    }
}
