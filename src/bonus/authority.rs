//! Authority: which role may do what, up to which amount, for whom; and
//! action plans approved in advance.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::bonus::BonusError;
use crate::calendar::DateRange;
use crate::ids::{PersonId, PlanId, PositionId};
use crate::kernel::hash::FxHashMap;
use crate::money::{Money, Percent, Rate};
use crate::org::{Node, Org, OrgSnapshot, Role};

/// Something a manager wants to do to (or for) someone below them.
///
/// In JSON, a name (`"issue_warning"`) or, for actions with data, an
/// object: `{"approve_discretionary_bonus": {"amount": "800.00 USD"}}`,
/// `{"approve_quota_relief": {"relief": "5%"}}`, `{"deploy_action_plan":
/// {"plan": .., "recent_attainment": ["0.5", ..]}}` (`recent_attainment`
/// optional, none), `{"custom": "name"}`:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::bonus::Action;
/// let a: Action = serde_json::from_str(r#"{"approve_discretionary_bonus": {"amount": "800.00 USD"}}"#)?;
/// assert_eq!(a.to_string(), "approve a discretionary bonus of 800.00 USD");
/// // An unknown field is refused, naming it.
/// let err = serde_json::from_str::<Action>(r#"{"approve_quota_relief": {"relief": "5%", "for": "ana"}}"#)
///     .unwrap_err();
/// assert!(err.to_string().contains("unknown field `for`"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Action {
    /// Approve a discretionary bonus of `amount`.
    ApproveDiscretionaryBonus {
        /// The bonus.
        amount: Money,
    },
    /// Issue a formal warning.
    IssueWarning,
    /// Open a performance improvement plan.
    OpenImprovementPlan,
    /// Relieve `relief` of the person's quota.
    ApproveQuotaRelief {
        /// The share of the quota relieved.
        relief: Percent,
    },
    /// Deploy an action plan (training, a coaching programme). When a
    /// pre-approved [`ActionPlan`] with this id covers the case, no
    /// further approval is needed; `recent_attainment` is the subject's
    /// attainment for the latest periods, oldest first (1 is 100%), which
    /// the plan's qualification checks.
    DeployActionPlan {
        /// The plan.
        plan: PlanId,
        /// The subject's recent attainment, oldest first.
        #[cfg_attr(feature = "serde", serde(default))]
        recent_attainment: Vec<Decimal>,
    },
    /// Assign coaching.
    Coaching,
    /// Approve an action plan in advance for a whole subtree.
    ApproveActionPlan,
    /// Anything else, by name.
    Custom(String),
    /// Approve a one-off commission adjustment of `amount` (a payment or,
    /// as its size, a deduction).
    ApproveAdjustment {
        /// The adjustment's size.
        amount: Money,
    },
}

impl From<&crate::perf::Action> for Action {
    /// The authority needed for an escalation action from
    /// [`perf`](crate::perf).
    fn from(action: &crate::perf::Action) -> Action {
        match action {
            crate::perf::Action::Coaching => Action::Coaching,
            crate::perf::Action::WrittenWarning => Action::IssueWarning,
            crate::perf::Action::ImprovementPlan => Action::OpenImprovementPlan,
            crate::perf::Action::Custom(name) => Action::Custom(name.clone()),
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::ApproveDiscretionaryBonus { amount } => {
                write!(f, "approve a discretionary bonus of {amount}")
            }
            Action::IssueWarning => f.write_str("issue a warning"),
            Action::OpenImprovementPlan => f.write_str("open an improvement plan"),
            Action::ApproveQuotaRelief { relief } => {
                write!(f, "approve a quota relief of {relief}")
            }
            Action::DeployActionPlan { plan, .. } => write!(f, "deploy action plan {plan}"),
            Action::Coaching => f.write_str("assign coaching"),
            Action::ApproveActionPlan => f.write_str("approve an action plan in advance"),
            Action::Custom(name) => f.write_str(name),
            Action::ApproveAdjustment { amount } => {
                write!(f, "approve a commission adjustment of {amount}")
            }
        }
    }
}

/// What a grant lets a role do, with its limit where the action has an
/// amount.
///
/// In JSON like [`Action`]: `"issue_warning"`,
/// `{"approve_discretionary_bonus": {"up_to": "1000.00 USD"}}` (`up_to`
/// optional: any amount), `{"approve_quota_relief": {"up_to": "5%"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Power {
    /// Approve discretionary bonuses up to an amount (`None`: any amount).
    ApproveDiscretionaryBonus {
        /// The most one bonus may be.
        #[cfg_attr(feature = "serde", serde(default))]
        up_to: Option<Money>,
    },
    /// Issue warnings.
    IssueWarning,
    /// Open improvement plans.
    OpenImprovementPlan,
    /// Approve quota reliefs up to a share of the quota.
    ApproveQuotaRelief {
        /// The largest relief.
        up_to: Percent,
    },
    /// Deploy any action plan without a pre-approval.
    DeployActionPlan,
    /// Approve action plans in advance for one's subtree.
    ApproveActionPlan,
    /// Assign coaching.
    Coaching,
    /// A custom action, by name.
    Custom(String),
    /// Approve commission adjustments up to an amount each (`None`: any
    /// amount).
    ApproveAdjustment {
        /// The most one adjustment may be, either way.
        #[cfg_attr(feature = "serde", serde(default))]
        up_to: Option<Money>,
    },
}

impl fmt::Display for Power {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Power::ApproveDiscretionaryBonus { up_to: Some(limit) } => {
                write!(f, "approve discretionary bonuses up to {limit}")
            }
            Power::ApproveDiscretionaryBonus { up_to: None } => {
                f.write_str("approve discretionary bonuses of any amount")
            }
            Power::IssueWarning => f.write_str("issue warnings"),
            Power::OpenImprovementPlan => f.write_str("open improvement plans"),
            Power::ApproveQuotaRelief { up_to } => write!(f, "approve quota reliefs up to {up_to}"),
            Power::DeployActionPlan => f.write_str("deploy action plans"),
            Power::ApproveActionPlan => f.write_str("approve action plans in advance"),
            Power::Coaching => f.write_str("assign coaching"),
            Power::Custom(name) => f.write_str(name),
            Power::ApproveAdjustment { up_to: Some(limit) } => {
                write!(f, "approve commission adjustments up to {limit}")
            }
            Power::ApproveAdjustment { up_to: None } => {
                f.write_str("approve commission adjustments of any amount")
            }
        }
    }
}

/// How a power applies to an action: not at all, fully, or only below the
/// amount asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fit {
    OtherAction,
    Within,
    OverLimit,
}

impl Power {
    fn fit(&self, action: &Action) -> Result<Fit, BonusError> {
        let within = |ok: bool| if ok { Fit::Within } else { Fit::OverLimit };
        Ok(match (self, action) {
            (
                Power::ApproveDiscretionaryBonus { up_to },
                Action::ApproveDiscretionaryBonus { amount },
            )
            | (Power::ApproveAdjustment { up_to }, Action::ApproveAdjustment { amount }) => {
                match up_to {
                    None => Fit::Within,
                    Some(limit) => within(
                        amount
                            .compare(limit)
                            .map_err(|source| BonusError::Arithmetic { source })?
                            .is_le(),
                    ),
                }
            }
            (Power::ApproveQuotaRelief { up_to }, Action::ApproveQuotaRelief { relief }) => {
                within(relief <= up_to)
            }
            (Power::IssueWarning, Action::IssueWarning)
            | (Power::OpenImprovementPlan, Action::OpenImprovementPlan)
            | (Power::DeployActionPlan, Action::DeployActionPlan { .. })
            | (Power::ApproveActionPlan, Action::ApproveActionPlan)
            | (Power::Coaching, Action::Coaching) => Fit::Within,
            (Power::Custom(a), Action::Custom(b)) if a == b => Fit::Within,
            _ => Fit::OtherAction,
        })
    }

    /// How permissive the power is, for choosing among a role's grants:
    /// unlimited beats any limit, a larger limit beats a smaller one.
    fn reach(&self) -> (bool, Decimal) {
        match self {
            Power::ApproveDiscretionaryBonus { up_to: Some(m) }
            | Power::ApproveAdjustment { up_to: Some(m) } => (false, m.amount()),
            Power::ApproveQuotaRelief { up_to } => (false, up_to.fraction()),
            _ => (true, Decimal::ZERO),
        }
    }
}

/// For whom a grant holds: everyone below the holder, or direct reports
/// only. Nobody ever has authority outside their own subtree, nor over
/// themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Scope {
    /// Direct reports only.
    DirectReports,
    /// Everyone below, at any depth.
    Subtree,
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scope::DirectReports => "their direct reports",
            Scope::Subtree => "their subtree",
        })
    }
}

/// One entry of an [`AuthorityPolicy`]: holders of `role` have `power`
/// over people in `scope`.
///
/// In JSON, `{"role": .., "power": .., "scope": "direct_reports" |
/// "subtree"}`, `scope` optional (the subtree).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Grant {
    role: Role,
    power: Power,
    #[cfg_attr(feature = "serde", serde(default = "subtree"))]
    scope: Scope,
}

#[cfg(feature = "serde")]
const fn subtree() -> Scope {
    Scope::Subtree
}

impl Grant {
    /// Holders of `role` have `power` over their whole subtree.
    pub const fn new(role: Role, power: Power) -> Grant {
        Grant {
            role,
            power,
            scope: Scope::Subtree,
        }
    }

    /// Restricts the grant to `scope`.
    ///
    /// # Examples
    ///
    /// A team lead may coach their own reps only, not their reps' reps:
    ///
    /// ```
    /// use salesplan::bonus::{Action, AuthorityPolicy, Grant, Power, Reason, Scope};
    /// use salesplan::org::Role;
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine};
    /// # use salesplan::{PersonId, PositionId};
    /// # let day = NaiveDate::from_ymd_opt(2025, 6, 2).unwrap();
    /// # let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let who = |s: &str| PersonId::new(s).unwrap();
    /// // dana (director) > rui (regional manager) > tom (team lead) > ria (rep)
    /// # let org = Org::builder()
    /// #     .position(Position::new(pos("dir"), Role::Director))
    /// #     .position(Position::new(pos("rsm"), Role::RegionalManager))
    /// #     .position(Position::new(pos("lead"), Role::TeamLead))
    /// #     .position(Position::new(pos("rep"), Role::SalesRep))
    /// #     .line(ReportingLine::top(pos("dir"), always))
    /// #     .line(ReportingLine::new(pos("rsm"), pos("dir"), always))
    /// #     .line(ReportingLine::new(pos("lead"), pos("rsm"), always))
    /// #     .line(ReportingLine::new(pos("rep"), pos("lead"), always))
    /// #     .assignments([("dana", "dir"), ("rui", "rsm"), ("tom", "lead"), ("ria", "rep")]
    /// #         .map(|(p, s)| Assignment::new(who(p), pos(s), always)))
    /// #     .build()?;
    ///
    /// let policy = AuthorityPolicy::new()
    ///     .grant(Grant::new(Role::RegionalManager, Power::Coaching).scope(Scope::DirectReports))
    ///     .grant(Grant::new(Role::Director, Power::Coaching));
    /// let decision = policy.authorize(&org, &who("rui"), &Action::Coaching, &who("ria"), day)?;
    /// assert!(matches!(decision.reason(), Reason::OutOfScope { .. }));
    /// assert_eq!(decision.reason().to_string(), "a regional sales manager has this authority only for their direct reports");
    /// assert_eq!(decision.approver().and_then(|a| a.person()), Some(&who("dana")));
    /// assert!(policy.authorize(&org, &who("rui"), &Action::Coaching, &who("tom"), day)?.is_allowed());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn scope(mut self, scope: Scope) -> Self {
        self.scope = scope;
        self
    }

    /// The role.
    pub const fn role(&self) -> &Role {
        &self.role
    }

    /// The power.
    pub const fn power(&self) -> &Power {
        &self.power
    }

    /// For whom.
    pub const fn for_whom(&self) -> Scope {
        self.scope
    }
}

/// Which people an action plan can be deployed for without waiting:
/// holders of the given roles (any role when empty) whose attainment was
/// below `below` in each of the last `periods` periods.
///
/// In JSON, `{"roles": [..], "below": "60%", "periods": 2}`, `roles`
/// optional (any role).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Qualification {
    #[cfg_attr(feature = "serde", serde(default))]
    roles: Vec<Role>,
    below: Rate,
    periods: u32,
}

impl Qualification {
    /// Attainment below `below` for the last `periods` periods, any role.
    pub const fn below_for(below: Rate, periods: u32) -> Qualification {
        Qualification {
            roles: Vec::new(),
            below,
            periods,
        }
    }

    /// Only holders of `roles`.
    #[must_use]
    pub fn roles(mut self, roles: impl IntoIterator<Item = Role>) -> Self {
        self.roles = roles.into_iter().collect();
        self
    }

    fn met_by(&self, recent: &[Decimal]) -> bool {
        let n = usize::try_from(self.periods).unwrap_or(usize::MAX);
        recent.len() >= n
            && recent
                .iter()
                .rev()
                .take(n)
                .all(|a| *a < self.below.fraction())
    }
}

impl fmt::Display for Qualification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.roles.is_empty() {
            f.write_str("anyone")?;
        } else {
            let roles: Vec<String> = self.roles.iter().map(ToString::to_string).collect();
            f.write_str(&roles.join(" or "))?;
        }
        write!(
            f,
            " below {} for the last {} periods",
            self.below, self.periods
        )
    }
}

/// An action plan approved in advance ("a rep below 60% for two months may
/// be sent to sales training"): the approver's position bounds its scope;
/// any manager in that scope may deploy it for a qualifying person below
/// them while it is in effect, without further approval.
///
/// In JSON, `{"id": .., "name": .., "approved_by": person, "scope":
/// position, "approved_on": "YYYY-MM-DD", "effective": date range,
/// "qualification": ..}`, `effective` optional (from `approved_on` on, as
/// [`ActionPlan::new`] sets it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(from = "RawActionPlan"))]
pub struct ActionPlan {
    id: PlanId,
    name: String,
    approved_by: PersonId,
    scope: PositionId,
    approved_on: NaiveDate,
    effective: DateRange,
    qualification: Qualification,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawActionPlan {
    id: PlanId,
    name: String,
    approved_by: PersonId,
    scope: PositionId,
    approved_on: NaiveDate,
    #[serde(default)]
    effective: Option<DateRange>,
    qualification: Qualification,
}

#[cfg(feature = "serde")]
impl From<RawActionPlan> for ActionPlan {
    fn from(raw: RawActionPlan) -> ActionPlan {
        let plan = ActionPlan::new(
            raw.id,
            raw.name,
            raw.approved_by,
            raw.scope,
            raw.approved_on,
            raw.qualification,
        );
        match raw.effective {
            Some(effective) => plan.effective(effective),
            None => plan,
        }
    }
}

impl ActionPlan {
    /// Plan `id` (`name`: "sales training"), approved by `approved_by`,
    /// who holds `scope`, on `approved_on`, for people who meet
    /// `qualification`; in effect from `approved_on` on.
    pub fn new(
        id: PlanId,
        name: impl Into<String>,
        approved_by: PersonId,
        scope: PositionId,
        approved_on: NaiveDate,
        qualification: Qualification,
    ) -> ActionPlan {
        ActionPlan {
            id,
            name: name.into(),
            approved_by,
            scope,
            approved_on,
            effective: DateRange::starting(approved_on),
            qualification,
        }
    }

    /// In effect over `effective` only.
    #[must_use]
    pub const fn effective(mut self, effective: DateRange) -> Self {
        self.effective = effective;
        self
    }

    /// The plan's id.
    pub const fn id(&self) -> &PlanId {
        &self.id
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Who approved it.
    pub const fn approved_by(&self) -> &PersonId {
        &self.approved_by
    }

    /// The position whose subtree it covers.
    pub const fn scope(&self) -> &PositionId {
        &self.scope
    }
}

/// The authority policy, as data: grants per role, and action plans
/// approved in advance.
///
/// **Resolution rule.** The entries form a set: their order never
/// matters. An actor may act on a subject when the subject is strictly
/// below the actor and *any* grant to the actor's role covers the action
/// (same action, amount within the limit, subject within the grant's
/// scope); the most permissive such grant (unlimited, then the largest
/// limit, then the widest scope) is reported as the reason. Grants never
/// add up: two grants of 1,000 do not allow 2,000.
///
/// In JSON, `{"grants": [grant, ..], "plans": [action plan, ..]}`, either
/// list optional (empty). The roles and plans are checked against an org
/// when the policy is used ([`Authority::new`]), since the org is not at
/// hand when it is read:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::bonus::AuthorityPolicy;
/// let policy: AuthorityPolicy = serde_json::from_str(r#"{
///     "grants": [
///         {"role": "regional_manager", "power": {"approve_discretionary_bonus": {"up_to": "1000.00 USD"}}},
///         {"role": "team_lead", "power": "coaching", "scope": "direct_reports"},
///         {"role": "director", "power": "approve_action_plan"}
///     ],
///     "plans": [{
///         "id": "sales-training", "name": "sales training", "approved_by": "dana", "scope": "dir",
///         "approved_on": "2025-03-01",
///         "qualification": {"roles": ["sales_rep"], "below": "60%", "periods": 2}
///     }]
/// }"#)?;
/// assert_eq!((policy.grant_list().len(), policy.plans().len()), (3, 1));
/// // An unknown field is refused, naming it, at any depth.
/// let err = serde_json::from_str::<AuthorityPolicy>(
///     r#"{"grants": [{"role": "director", "power": "coaching", "scopes": "subtree"}]}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("unknown field `scopes`"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct AuthorityPolicy {
    #[cfg_attr(feature = "serde", serde(default))]
    grants: Vec<Grant>,
    #[cfg_attr(feature = "serde", serde(default))]
    plans: Vec<ActionPlan>,
}

impl AuthorityPolicy {
    /// An empty policy: nobody may do anything.
    pub fn new() -> AuthorityPolicy {
        AuthorityPolicy::default()
    }

    /// Adds a grant.
    #[must_use]
    pub fn grant(mut self, grant: Grant) -> Self {
        self.grants.push(grant);
        self
    }

    /// Adds many grants.
    #[must_use]
    pub fn grants(mut self, grants: impl IntoIterator<Item = Grant>) -> Self {
        self.grants.extend(grants);
        self
    }

    /// Adds a pre-approved action plan.
    ///
    /// # Examples
    ///
    /// Dana approves sales training in advance for reps below 60% two
    /// periods running; any manager under her may then deploy it for them:
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::bonus::{Action, ActionPlan, AuthorityPolicy, Grant, PlanMiss, Power, Qualification};
    /// use salesplan::org::Role;
    /// use salesplan::PlanId;
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine};
    /// # use salesplan::{PersonId, PositionId};
    /// # let day = NaiveDate::from_ymd_opt(2025, 6, 2).unwrap();
    /// # let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let who = |s: &str| PersonId::new(s).unwrap();
    /// // dana (director) > rui (regional manager) > tom (team lead) > ria (rep)
    /// # let org = Org::builder()
    /// #     .position(Position::new(pos("dir"), Role::Director))
    /// #     .position(Position::new(pos("rsm"), Role::RegionalManager))
    /// #     .position(Position::new(pos("lead"), Role::TeamLead))
    /// #     .position(Position::new(pos("rep"), Role::SalesRep))
    /// #     .line(ReportingLine::top(pos("dir"), always))
    /// #     .line(ReportingLine::new(pos("rsm"), pos("dir"), always))
    /// #     .line(ReportingLine::new(pos("lead"), pos("rsm"), always))
    /// #     .line(ReportingLine::new(pos("rep"), pos("lead"), always))
    /// #     .assignments([("dana", "dir"), ("rui", "rsm"), ("tom", "lead"), ("ria", "rep")]
    /// #         .map(|(p, s)| Assignment::new(who(p), pos(s), always)))
    /// #     .build()?;
    ///
    /// let training = ActionPlan::new(PlanId::new("sales-training")?, "sales training", who("dana"), pos("dir"),
    ///     day, Qualification::below_for("60%".parse()?, 2).roles([Role::SalesRep]));
    /// let policy = AuthorityPolicy::new()
    ///     .grant(Grant::new(Role::Director, Power::ApproveActionPlan))
    ///     .grant(Grant::new(Role::Director, Power::DeployActionPlan))
    ///     .plan(training);
    /// let deploy = |recent: &[i64]| Action::DeployActionPlan {
    ///     plan: PlanId::new("sales-training").unwrap(),
    ///     recent_attainment: recent.iter().map(|p| Decimal::new(*p, 2)).collect(),
    /// };
    /// let ok = policy.authorize(&org, &who("tom"), &deploy(&[70, 55, 50]), &who("ria"), day)?;
    /// assert!(ok.is_allowed());
    /// assert_eq!(ok.reason().to_string(), "plan sales-training was approved in advance by dana on 2025-06-02");
    /// let not_yet = policy.authorize(&org, &who("tom"), &deploy(&[55, 65]), &who("ria"), day)?;
    /// assert_eq!(not_yet.plan_miss(), Some(PlanMiss::NotQualified));
    /// assert_eq!(not_yet.approver().and_then(|a| a.person()), Some(&who("dana")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn plan(mut self, plan: ActionPlan) -> Self {
        self.plans.push(plan);
        self
    }

    /// The grants, as given.
    pub fn grant_list(&self) -> &[Grant] {
        &self.grants
    }

    /// The pre-approved plans, as given.
    pub fn plans(&self) -> &[ActionPlan] {
        &self.plans
    }

    /// Checks one action against the org as of `as_of` (cutting a snapshot:
    /// for many checks, build an [`Authority`] once).
    ///
    /// # Errors
    ///
    /// [`BonusError::Org`] when the org has no valid snapshot on `as_of`;
    /// any error of [`Authority::new`] and [`Authority::authorize`].
    pub fn authorize(
        &self,
        org: &Org,
        actor: &PersonId,
        action: &Action,
        subject: &PersonId,
        as_of: NaiveDate,
    ) -> Result<Decision, BonusError> {
        let snapshot = org.as_of(as_of).map_err(|source| BonusError::Org {
            source: Box::new(source),
        })?;
        Authority::new(self, &snapshot)?.authorize(actor, action, subject, as_of)
    }
}

/// Someone on an approval chain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Approver {
    position: PositionId,
    person: Option<PersonId>,
    role: Role,
    decides: bool,
}

impl Approver {
    /// The position.
    pub const fn position(&self) -> &PositionId {
        &self.position
    }

    /// Who holds it (`None` when vacant).
    pub const fn person(&self) -> Option<&PersonId> {
        self.person.as_ref()
    }

    /// Its role.
    pub const fn role(&self) -> &Role {
        &self.role
    }

    /// Whether this approver has the authority to decide (the last one of
    /// a chain).
    pub const fn decides(&self) -> bool {
        self.decides
    }
}

impl fmt::Display for Approver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let who = self.person.as_ref().map_or("vacant", PersonId::as_str);
        write!(f, "{} ({}, {who})", self.position, self.role)
    }
}

/// Why a pre-approved plan did not apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PlanMiss {
    /// The plan is not in effect on the date.
    NotInEffect,
    /// The actor or the subject is outside the approver's subtree.
    OutsideScope,
    /// The subject's role is not one the plan names.
    SubjectRole,
    /// The subject's recent attainment does not qualify.
    NotQualified,
}

impl fmt::Display for PlanMiss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PlanMiss::NotInEffect => "it is not in effect that day",
            PlanMiss::OutsideScope => "it does not cover this part of the org",
            PlanMiss::SubjectRole => "it does not cover the subject's role",
            PlanMiss::NotQualified => "the subject's recent attainment does not qualify",
        })
    }
}

/// Why an action is allowed, or not.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Reason {
    /// A grant to the actor's role covers it.
    Granted {
        /// The actor's role.
        role: Role,
        /// The most permissive grant's power.
        power: Power,
        /// Its scope.
        scope: Scope,
    },
    /// A plan approved in advance covers it: no approval needed.
    PreApproved {
        /// The plan.
        plan: PlanId,
        /// Who approved it.
        approved_by: PersonId,
        /// When.
        approved_on: NaiveDate,
    },
    /// The actor's role has no grant for this action.
    NoPower {
        /// The actor's role.
        role: Role,
    },
    /// The actor's role has the power, but not for this amount.
    OverLimit {
        /// The actor's role.
        role: Role,
        /// The most permissive grant's power.
        power: Power,
    },
    /// The actor's role has the power only for direct reports.
    OutOfScope {
        /// The actor's role.
        role: Role,
        /// The grant's scope.
        scope: Scope,
    },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Granted { role, power, scope } => {
                write!(f, "a {role} may {power} for {scope}")
            }
            Reason::PreApproved {
                plan,
                approved_by,
                approved_on,
            } => write!(
                f,
                "plan {plan} was approved in advance by {approved_by} on {approved_on}"
            ),
            Reason::NoPower { role } => write!(f, "a {role} has no authority for this"),
            Reason::OverLimit { role, power } => {
                write!(f, "a {role} may only {power}")
            }
            Reason::OutOfScope { role, scope } => {
                write!(f, "a {role} has this authority only for {scope}")
            }
        }
    }
}

/// The outcome of an authorisation check.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Outcome {
    /// The actor may go ahead.
    Allowed,
    /// Someone above must approve: the chain from the actor's manager up
    /// to the nearest ancestor with enough authority (the last, who
    /// decides).
    NeedsApproval {
        /// The chain, nearest first.
        chain: Vec<Approver>,
    },
    /// Nobody above the actor has the authority.
    Denied,
}

/// An authorisation decision, with its reason as data.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Decision {
    actor: PersonId,
    subject: PersonId,
    action: Action,
    outcome: Outcome,
    reason: Reason,
    plan_miss: Option<PlanMiss>,
}

impl Decision {
    /// Whether the actor may go ahead without waiting.
    pub const fn is_allowed(&self) -> bool {
        matches!(self.outcome, Outcome::Allowed)
    }

    /// The outcome.
    pub const fn outcome(&self) -> &Outcome {
        &self.outcome
    }

    /// Why: the grant or plan that allows it, or what the actor lacks.
    pub const fn reason(&self) -> &Reason {
        &self.reason
    }

    /// For an action plan that was not pre-approved for this case, why.
    pub const fn plan_miss(&self) -> Option<PlanMiss> {
        self.plan_miss
    }

    /// The approver who decides, when approval is needed.
    pub fn approver(&self) -> Option<&Approver> {
        match &self.outcome {
            Outcome::NeedsApproval { chain } => chain.last(),
            Outcome::Allowed | Outcome::Denied => None,
        }
    }

    /// The action.
    pub const fn action(&self) -> &Action {
        &self.action
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} wants to {} for {}: ",
            self.actor, self.action, self.subject
        )?;
        match &self.outcome {
            Outcome::Allowed => write!(f, "allowed, no approval needed ({})", self.reason)?,
            Outcome::NeedsApproval { chain } => {
                let names: Vec<String> = chain.iter().map(ToString::to_string).collect();
                write!(
                    f,
                    "needs approval from {} ({})",
                    names.join(" then "),
                    self.reason
                )?;
            }
            Outcome::Denied => write!(
                f,
                "denied: nobody above has the authority ({})",
                self.reason
            )?,
        }
        if let Some(miss) = self.plan_miss {
            write!(f, "; the pre-approved plan does not apply: {miss}")?;
        }
        Ok(())
    }
}

/// One request of a batch for [`Authority::authorize_all`].
///
/// In JSON, `{"actor": person, "action": action, "subject": person}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Request {
    actor: PersonId,
    action: Action,
    subject: PersonId,
}

impl Request {
    /// `actor` wants to do `action` for `subject`.
    pub const fn new(actor: PersonId, action: Action, subject: PersonId) -> Request {
        Request {
            actor,
            action,
            subject,
        }
    }
}

/// A policy checked against one org snapshot: validated once, then any
/// number of checks, each a walk up the tree.
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::bonus::{Action, Authority, AuthorityPolicy, Grant, Power};
/// use salesplan::calendar::DateRange;
/// use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
/// use salesplan::{Currency, Money, PersonId, PositionId};
///
/// let day = NaiveDate::from_ymd_opt(2025, 6, 2).unwrap();
/// let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
/// let pos = |s: &str| PositionId::new(s).unwrap();
/// let who = |s: &str| PersonId::new(s).unwrap();
/// let org = Org::builder()
///     .position(Position::new(pos("dir"), Role::Director))
///     .position(Position::new(pos("rsm"), Role::RegionalManager))
///     .position(Position::new(pos("rep"), Role::SalesRep))
///     .line(ReportingLine::top(pos("dir"), always))
///     .line(ReportingLine::new(pos("rsm"), pos("dir"), always))
///     .line(ReportingLine::new(pos("rep"), pos("rsm"), always))
///     .assignments([("dana", "dir"), ("rui", "rsm"), ("ria", "rep")].map(|(p, s)| Assignment::new(who(p), pos(s), always)))
///     .build()?;
/// let usd = |s: &str| Money::parse(s, Currency::USD).unwrap();
/// let policy = AuthorityPolicy::new()
///     .grant(Grant::new(Role::RegionalManager, Power::ApproveDiscretionaryBonus { up_to: Some(usd("1000")) }))
///     .grant(Grant::new(Role::Director, Power::ApproveDiscretionaryBonus { up_to: Some(usd("10000")) }));
/// let snapshot = org.as_of(day)?;
/// let authority = Authority::new(&policy, &snapshot)?;
/// let bonus = |a: &str| Action::ApproveDiscretionaryBonus { amount: usd(a) };
///
/// assert!(authority.authorize(&who("rui"), &bonus("800"), &who("ria"), day)?.is_allowed());
/// let big = authority.authorize(&who("rui"), &bonus("2500"), &who("ria"), day)?;
/// assert_eq!(big.approver().and_then(|a| a.person()), Some(&who("dana")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Authority<'s> {
    policy: &'s AuthorityPolicy,
    snapshot: &'s OrgSnapshot,
    /// Person -> the nodes they hold, in pre-order.
    people: FxHashMap<PersonId, Vec<Node<'s>>>,
}

impl<'s> Authority<'s> {
    /// Validates `policy` against the snapshot's org and indexes who holds
    /// which position.
    ///
    /// # Errors
    ///
    /// [`BonusError::UnknownRole`] for a custom role the org does not
    /// declare, in a grant or a plan's qualification;
    /// [`BonusError::DuplicatePlan`] for two plans with one id;
    /// [`BonusError::UnknownPosition`] for a plan whose scope is not in the
    /// org that day; [`BonusError::PlanNotAuthorized`] for a plan whose
    /// approver's role has no [`Power::ApproveActionPlan`] grant.
    pub fn new(
        policy: &'s AuthorityPolicy,
        snapshot: &'s OrgSnapshot,
    ) -> Result<Authority<'s>, BonusError> {
        let org = snapshot.org();
        let known = |role: &Role| -> Result<(), BonusError> {
            match role {
                Role::Custom(id) if org.rank(role).is_none() => {
                    Err(BonusError::UnknownRole { role: id.clone() })
                }
                _ => Ok(()),
            }
        };
        for grant in &policy.grants {
            known(&grant.role)?;
        }
        let mut ids: Vec<&PlanId> = policy.plans.iter().map(|p| &p.id).collect();
        ids.sort();
        if let Some([a, _]) = ids.windows(2).find(|w| matches!(w, [a, b] if a == b)) {
            return Err(BonusError::DuplicatePlan { plan: (*a).clone() });
        }
        for plan in &policy.plans {
            for role in &plan.qualification.roles {
                known(role)?;
            }
            let scope = snapshot
                .node(&plan.scope)
                .ok_or_else(|| BonusError::UnknownPosition {
                    position: plan.scope.clone(),
                })?;
            let may_approve = policy
                .grants
                .iter()
                .any(|g| g.role == *scope.role() && g.power == Power::ApproveActionPlan);
            if !may_approve {
                return Err(BonusError::PlanNotAuthorized {
                    plan: plan.id.clone(),
                    position: plan.scope.clone(),
                });
            }
        }
        let mut people: FxHashMap<PersonId, Vec<Node<'s>>> = FxHashMap::default();
        for node in snapshot.nodes() {
            if let Some(p) = node.holder() {
                people.entry(p.clone()).or_default().push(node);
            }
        }
        Ok(Authority {
            policy,
            snapshot,
            people,
        })
    }

    /// The org snapshot it checks against.
    pub(crate) const fn snapshot(&self) -> &'s OrgSnapshot {
        self.snapshot
    }

    /// The snapshot's date.
    pub fn date(&self) -> NaiveDate {
        self.snapshot.date()
    }

    fn node_of(&self, person: &PersonId) -> Result<&[Node<'s>], BonusError> {
        self.people
            .get(person)
            .map(Vec::as_slice)
            .ok_or_else(|| BonusError::NotInOrg {
                person: person.clone(),
                date: self.snapshot.date(),
            })
    }

    /// The most permissive grant to `role` for `action`, for a subject
    /// `depth` levels below the grant holder: `Ok(Ok(grant))` when one
    /// covers it, `Ok(Err(reason))` otherwise.
    fn resolve(
        &self,
        role: &Role,
        action: &Action,
        direct: bool,
    ) -> Result<Result<&'s Grant, Reason>, BonusError> {
        let mut best_within: Option<&Grant> = None;
        let mut best_over: Option<&Grant> = None;
        let mut narrow: Option<&Grant> = None;
        let policy: &'s AuthorityPolicy = self.policy;
        for grant in policy.grants.iter().filter(|g| g.role == *role) {
            // Every grant is checked (a currency mismatch is an error
            // whatever the order).
            let fit = grant.power.fit(action)?;
            let in_scope = direct || grant.scope == Scope::Subtree;
            let better = |best: Option<&Grant>| {
                best.is_none_or(|b| (grant.power.reach(), grant.scope) > (b.power.reach(), b.scope))
            };
            match (fit, in_scope) {
                (Fit::OtherAction, _) => {}
                (Fit::Within, true) => {
                    if better(best_within) {
                        best_within = Some(grant);
                    }
                }
                (Fit::OverLimit, true) => {
                    if better(best_over) {
                        best_over = Some(grant);
                    }
                }
                (_, false) => {
                    if better(narrow) {
                        narrow = Some(grant);
                    }
                }
            }
        }
        Ok(match (best_within, best_over, narrow) {
            (Some(g), _, _) => Ok(g),
            (None, Some(g), _) => Err(Reason::OverLimit {
                role: role.clone(),
                power: g.power.clone(),
            }),
            (None, None, Some(g)) => Err(Reason::OutOfScope {
                role: role.clone(),
                scope: g.scope,
            }),
            (None, None, None) => Err(Reason::NoPower { role: role.clone() }),
        })
    }

    fn pre_approved(
        &self,
        actor: Node<'s>,
        subject: Node<'s>,
        plan_id: &PlanId,
        recent: &[Decimal],
        as_of: NaiveDate,
    ) -> Result<Result<&'s ActionPlan, PlanMiss>, BonusError> {
        let Some(plan) = self.policy.plans.iter().find(|p| &p.id == plan_id) else {
            return Err(BonusError::UnknownActionPlan {
                plan: plan_id.clone(),
            });
        };
        let Some(scope) = self.snapshot.node(&plan.scope) else {
            return Err(BonusError::UnknownPosition {
                position: plan.scope.clone(),
            });
        };
        let q = &plan.qualification;
        Ok(
            if !plan.effective.contains(as_of) || as_of < plan.approved_on {
                Err(PlanMiss::NotInEffect)
            } else if !actor.is_within(&scope) || !subject.is_within(&scope) {
                Err(PlanMiss::OutsideScope)
            } else if !q.roles.is_empty() && !q.roles.contains(subject.role()) {
                Err(PlanMiss::SubjectRole)
            } else if !q.met_by(recent) {
                Err(PlanMiss::NotQualified)
            } else {
                Ok(plan)
            },
        )
    }

    /// Whether `actor` may do `action` for `subject` on `as_of`: allowed
    /// (by a grant or a pre-approved plan), or the chain of people who must
    /// approve, up to the nearest ancestor of the actor with enough
    /// authority, or denied when nobody above has it; with the reason.
    ///
    /// The actor acts from the position they hold nearest above the
    /// subject (the subject's first position, in pre-order, when they hold
    /// several). Vacant positions on the chain are listed but never decide.
    ///
    /// # Errors
    ///
    /// [`BonusError::SnapshotDate`] when `as_of` is not the snapshot's
    /// date; [`BonusError::NotInOrg`] for an actor or subject who holds no
    /// position that day; [`BonusError::ActorOutsideChain`] when the actor
    /// is not above the subject (nobody has authority outside their
    /// subtree, or over themselves); [`BonusError::UnknownActionPlan`] for
    /// a plan the policy does not hold; [`BonusError::Arithmetic`] for a
    /// bonus limit in another currency than the bonus.
    pub fn authorize(
        &self,
        actor: &PersonId,
        action: &Action,
        subject: &PersonId,
        as_of: NaiveDate,
    ) -> Result<Decision, BonusError> {
        let (actor_node, subject_node) = self.acting_positions(actor, subject, as_of)?;
        let decision = |outcome, reason, plan_miss| Decision {
            actor: actor.clone(),
            subject: subject.clone(),
            action: action.clone(),
            outcome,
            reason,
            plan_miss,
        };
        let mut plan_miss = None;
        if let Action::DeployActionPlan {
            plan,
            recent_attainment,
        } = action
        {
            match self.pre_approved(actor_node, subject_node, plan, recent_attainment, as_of)? {
                Ok(p) => {
                    return Ok(decision(
                        Outcome::Allowed,
                        Reason::PreApproved {
                            plan: p.id.clone(),
                            approved_by: p.approved_by.clone(),
                            approved_on: p.approved_on,
                        },
                        None,
                    ));
                }
                Err(miss) => plan_miss = Some(miss),
            }
        }
        let is_direct = subject_node.parent().is_some_and(|p| p == actor_node);
        let own = match self.resolve(actor_node.role(), action, is_direct)? {
            Ok(grant) => {
                return Ok(decision(
                    Outcome::Allowed,
                    Reason::Granted {
                        role: grant.role.clone(),
                        power: grant.power.clone(),
                        scope: grant.scope,
                    },
                    plan_miss,
                ));
            }
            Err(reason) => reason,
        };
        let outcome = self.escalate(actor_node, subject_node, action)?;
        Ok(decision(outcome, own, plan_miss))
    }

    /// The subject's position (their first, in pre-order) and the actor's
    /// position nearest above it, on `as_of` (the snapshot's date).
    fn acting_positions(
        &self,
        actor: &PersonId,
        subject: &PersonId,
        as_of: NaiveDate,
    ) -> Result<(Node<'s>, Node<'s>), BonusError> {
        if as_of != self.snapshot.date() {
            return Err(BonusError::SnapshotDate {
                as_of,
                snapshot: self.snapshot.date(),
            });
        }
        let subject_node = *self
            .node_of(subject)?
            .first()
            .ok_or_else(|| BonusError::NotInOrg {
                person: subject.clone(),
                date: as_of,
            })?;
        // The actor's position nearest above the subject (the deepest).
        let actor_node = self
            .node_of(actor)?
            .iter()
            .filter(|n| subject_node.is_within(n) && **n != subject_node)
            .max_by_key(|n| n.depth())
            .copied()
            .ok_or_else(|| BonusError::ActorOutsideChain {
                actor: actor.clone(),
                subject: subject.clone(),
            })?;
        Ok((actor_node, subject_node))
    }

    /// The positions above `actor_node` up to the nearest held one with
    /// authority for `action` over the subject: it must approve; `Denied`
    /// when none has it.
    fn escalate(
        &self,
        actor_node: Node<'s>,
        subject_node: Node<'s>,
        action: &Action,
    ) -> Result<Outcome, BonusError> {
        let mut chain = Vec::new();
        for above in actor_node.ancestors() {
            let is_direct = subject_node.parent().is_some_and(|p| p == above);
            let decides =
                above.holder().is_some() && self.resolve(above.role(), action, is_direct)?.is_ok();
            chain.push(Approver {
                position: above.id().clone(),
                person: above.holder().cloned(),
                role: above.role().clone(),
                decides,
            });
            if decides {
                return Ok(Outcome::NeedsApproval { chain });
            }
        }
        Ok(Outcome::Denied)
    }

    /// Checks the escalation actions a [`perf::EscalationPolicy`](crate::perf::EscalationPolicy)
    /// says are due, all by one `actor` (usually the manager reviewing
    /// their team), in one call: each as [`authorize`](Self::authorize)
    /// on the snapshot's date, in the order given. A due coaching is
    /// checked as [`Action::Coaching`], a written warning as
    /// [`Action::IssueWarning`], an improvement plan as
    /// [`Action::OpenImprovementPlan`], a custom action by its name.
    pub fn authorize_escalations(
        &self,
        actor: &PersonId,
        due: &[crate::perf::ActionDue],
    ) -> Vec<Result<Decision, BonusError>> {
        let requests: Vec<Request> = due
            .iter()
            .map(|d| Request::new(actor.clone(), Action::from(&d.action), d.person.clone()))
            .collect();
        self.authorize_all(&requests)
    }

    /// Checks many requests at once (a week's escalation actions), each as
    /// [`authorize`](Self::authorize) on the snapshot's date; the results
    /// come back in the order of the requests.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::bonus::{Action, Authority, AuthorityPolicy, Decision, Grant, Outcome, Power, Request};
    /// use salesplan::org::Role;
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine};
    /// # use salesplan::{PersonId, PositionId};
    /// # let day = NaiveDate::from_ymd_opt(2025, 6, 2).unwrap();
    /// # let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let who = |s: &str| PersonId::new(s).unwrap();
    /// // dana (director) > rui (regional manager) > tom (team lead) > ria (rep)
    /// # let org = Org::builder()
    /// #     .position(Position::new(pos("dir"), Role::Director))
    /// #     .position(Position::new(pos("rsm"), Role::RegionalManager))
    /// #     .position(Position::new(pos("lead"), Role::TeamLead))
    /// #     .position(Position::new(pos("rep"), Role::SalesRep))
    /// #     .line(ReportingLine::top(pos("dir"), always))
    /// #     .line(ReportingLine::new(pos("rsm"), pos("dir"), always))
    /// #     .line(ReportingLine::new(pos("lead"), pos("rsm"), always))
    /// #     .line(ReportingLine::new(pos("rep"), pos("lead"), always))
    /// #     .assignments([("dana", "dir"), ("rui", "rsm"), ("tom", "lead"), ("ria", "rep")]
    /// #         .map(|(p, s)| Assignment::new(who(p), pos(s), always)))
    /// #     .build()?;
    ///
    /// let policy = AuthorityPolicy::new()
    ///     .grant(Grant::new(Role::TeamLead, Power::Coaching))
    ///     .grant(Grant::new(Role::RegionalManager, Power::IssueWarning));
    /// let snapshot = org.as_of(day)?;
    /// let authority = Authority::new(&policy, &snapshot)?;
    /// let requests = [
    ///     Request::new(who("tom"), Action::Coaching, who("ria")),
    ///     Request::new(who("tom"), Action::IssueWarning, who("ria")),
    ///     Request::new(who("tom"), Action::OpenImprovementPlan, who("ria")),
    ///     Request::new(who("ria"), Action::Coaching, who("tom")),
    /// ];
    /// let results = authority.authorize_all(&requests);
    /// assert!(results[3].is_err()); // a rep is not above their team lead
    /// let decisions: Vec<&Decision> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    /// assert!(decisions[0].is_allowed());
    /// assert_eq!(decisions[1].approver().and_then(|a| a.person()), Some(&who("rui")));
    /// assert_eq!(decisions[2].outcome(), &Outcome::Denied);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn authorize_all(&self, requests: &[Request]) -> Vec<Result<Decision, BonusError>> {
        let date = self.snapshot.date();
        requests
            .iter()
            .map(|r| self.authorize(&r.actor, &r.action, &r.subject, date))
            .collect()
    }
}
