//! Team bonuses: a pool set by the team's attainment, split exactly among
//! its members.

use std::fmt;

use rust_decimal::Decimal;

use super::curve::{CurveReading, PayoutCurve, approx, percent};
use crate::allocation::{Recipient, allocate};
use crate::bonus::BonusError;
use crate::ids::{PersonId, PlanId, PositionId};
use crate::money::{Attainment, Money, Percent, RoundingPolicy, add};
use crate::org::Node;
use crate::rollup::{MoneyRollup, RollupError};

/// How a team pool is split among the members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum TeamSplit {
    /// Equally.
    Equal,
    /// By each member's declared share ([`TeamMember::share`]); the shares
    /// add up to exactly 100%.
    ByShare,
    /// In proportion to each member's own attainment: their subtree's
    /// credited total against their quota ([`TeamMember::quota`]). A
    /// negative attainment, or a zero quota, weighs zero.
    ByAttainment,
}

impl fmt::Display for TeamSplit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TeamSplit::Equal => "equally",
            TeamSplit::ByShare => "by share",
            TeamSplit::ByAttainment => "by attainment",
        })
    }
}

/// A member of a team pool: a position in the manager's subtree (the
/// manager's own position included), with its share or its quota when the
/// split needs one.
///
/// In JSON, `{"position": .., "share": "40%", "quota": "5000.00 USD"}`;
/// `share` and `quota` may be left out (the split says which it needs).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TeamMember {
    position: PositionId,
    #[cfg_attr(feature = "serde", serde(default))]
    share: Option<Percent>,
    #[cfg_attr(feature = "serde", serde(default))]
    quota: Option<Money>,
}

impl TeamMember {
    /// A member.
    pub const fn new(position: PositionId) -> TeamMember {
        TeamMember {
            position,
            share: None,
            quota: None,
        }
    }

    /// The member's share of the pool ([`TeamSplit::ByShare`]).
    #[must_use]
    pub const fn share(mut self, share: Percent) -> Self {
        self.share = Some(share);
        self
    }

    /// The member's quota ([`TeamSplit::ByAttainment`]).
    #[must_use]
    pub const fn quota(mut self, quota: Money) -> Self {
        self.quota = Some(quota);
        self
    }

    /// The position.
    pub const fn position(&self) -> &PositionId {
        &self.position
    }
}

/// A team-bonus plan: the pool is `pool target × payout`, the payout read
/// off a curve at the team's attainment (the manager's subtree total from
/// a credit [`MoneyRollup`] against the team quota), rounded once to
/// minor units, then split among the members exactly by the allocation
/// core (largest remainder; ties to the smaller position id): the shares
/// always add up to the pool. The unrounded pool applies the curve's
/// payout fraction to the pool target multiplying first, one division at
/// the end (see [`PayoutCurve`]).
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::bonus::{PayoutCurve, TeamBonus, TeamInputs, TeamMember, TeamSplit};
/// use salesplan::calendar::DateRange;
/// use salesplan::org::{Org, Position, ReportingLine, Role};
/// use salesplan::rollup::{sum_credits, SumOptions};
/// use salesplan::{Currency, Money, PlanId, PositionId, Rate};
///
/// let d = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
/// let pos = |s: &str| PositionId::new(s).unwrap();
/// let usd = |s: &str| Money::parse(s, Currency::USD).unwrap();
/// let r = |s: &str| s.parse::<Rate>().unwrap();
/// let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
/// let org = Org::builder()
///     .position(Position::new(pos("lead"), Role::TeamLead))
///     .positions(["a", "b"].map(|p| Position::new(pos(p), Role::SalesRep)))
///     .line(ReportingLine::top(pos("lead"), always))
///     .lines(["a", "b"].map(|p| ReportingLine::new(pos(p), pos("lead"), always)))
///     .build()?;
/// let snapshot = org.as_of(d)?;
/// let credits = vec![(pos("a"), d, usd("600.00")), (pos("b"), d, usd("500.00"))];
/// let totals = sum_credits(&snapshot, &credits, SumOptions::new(Currency::USD))?;
///
/// let curve = PayoutCurve::new([(r("0%"), r("0%")), (r("100%"), r("100%"))], r("150%"))?;
/// let plan = TeamBonus::new(PlanId::new("team-q1")?, curve, TeamSplit::Equal);
/// let inputs = TeamInputs::new(pos("lead"), usd("1000.00"), usd("1000.00"))
///     .members([TeamMember::new(pos("a")), TeamMember::new(pos("b"))]);
/// let team = plan.compute(&totals, &inputs)?;
/// assert_eq!(team.pool().to_string(), "1100.00 USD"); // 110% attainment
/// assert_eq!(team.shares()[0].amount().to_string(), "550.00 USD");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// In JSON, `{"id": .., "curve": .., "split": "equal" | "by_share" |
/// "by_attainment", "rounding": ..}`, `rounding` optional (half away from
/// zero):
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::bonus::{TeamBonus, TeamSplit};
/// let plan: TeamBonus = serde_json::from_str(r#"{
///     "id": "team-q1",
///     "curve": {"points": [{"attainment": "0%", "payout": "0%"}, {"attainment": "100%", "payout": "100%"}], "cap": "150%"},
///     "split": "by_share"
/// }"#)?;
/// assert_eq!(plan.split(), TeamSplit::ByShare);
/// // An unknown field is refused, naming it.
/// let err = serde_json::from_str::<TeamBonus>(r#"{
///     "id": "team-q1",
///     "curve": {"points": [{"attainment": "0%", "payout": "0%"}], "cap": "150%"},
///     "split": "equal", "pool": "1000.00 USD"
/// }"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `pool`"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TeamBonus {
    id: PlanId,
    curve: PayoutCurve,
    split: TeamSplit,
    #[cfg_attr(feature = "serde", serde(default))]
    rounding: RoundingPolicy,
}

/// One team's figures for a [`TeamBonus`]: the manager, the pool at 100%,
/// the team quota, the members.
///
/// In JSON, `{"manager": .., "pool_target": "1000.00 USD", "team_quota":
/// "1000.00 USD", "members": [member, ..]}`, `members` optional (none;
/// computing a pool without members is an error):
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::bonus::TeamInputs;
/// let team: TeamInputs = serde_json::from_str(r#"{
///     "manager": "lead", "pool_target": "1000.00 USD", "team_quota": "1000.00 USD",
///     "members": [{"position": "a", "share": "60%"}, {"position": "b", "share": "40%"}]
/// }"#)?;
/// # let _ = team;
/// // An unknown field is refused, naming it.
/// let err = serde_json::from_str::<TeamInputs>(r#"{
///     "manager": "lead", "pool_target": "1000.00 USD", "team_quota": "1000.00 USD",
///     "members": [{"position": "a", "shares": "60%"}]
/// }"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `shares`"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TeamInputs {
    manager: PositionId,
    pool_target: Money,
    team_quota: Money,
    #[cfg_attr(feature = "serde", serde(default))]
    members: Vec<TeamMember>,
}

impl TeamInputs {
    /// The team under `manager`: a pool of `pool_target` at 100% of
    /// `team_quota`, no members yet.
    pub const fn new(manager: PositionId, pool_target: Money, team_quota: Money) -> TeamInputs {
        TeamInputs {
            manager,
            pool_target,
            team_quota,
            members: Vec::new(),
        }
    }

    /// Adds members.
    #[must_use]
    pub fn members(mut self, members: impl IntoIterator<Item = TeamMember>) -> Self {
        self.members.extend(members);
        self
    }
}

impl TeamBonus {
    /// A plan paying on `curve`, split by `split`, the pool rounded half
    /// away from zero.
    pub const fn new(id: PlanId, curve: PayoutCurve, split: TeamSplit) -> TeamBonus {
        TeamBonus {
            id,
            curve,
            split,
            rounding: RoundingPolicy::HalfAwayFromZero,
        }
    }

    /// How the pool is rounded (once, before the split).
    #[must_use]
    pub const fn rounding(mut self, policy: RoundingPolicy) -> Self {
        self.rounding = policy;
        self
    }

    /// The plan's id.
    pub const fn id(&self) -> &PlanId {
        &self.id
    }

    /// The split.
    pub const fn split(&self) -> TeamSplit {
        self.split
    }

    /// The team's pool and every member's share, members sorted by
    /// position.
    ///
    /// # Errors
    ///
    /// [`BonusError::UnknownPosition`] for a manager or member not in the
    /// rollup's snapshot; [`BonusError::MemberOutsideTeam`] for a member
    /// not in the manager's subtree; [`BonusError::NoMembers`];
    /// [`BonusError::DuplicateMember`];
    /// [`BonusError::NoTeamQuota`] for a zero team quota;
    /// [`BonusError::MissingShare`] / [`BonusError::MissingQuota`] when the
    /// split needs a figure a member lacks; [`BonusError::SharesNotWhole`];
    /// [`BonusError::Team`] when the pool cannot be split (every member at
    /// zero attainment); [`BonusError::Rollup`] for a quota in another
    /// currency.
    ///
    /// # Examples
    ///
    /// Split by attainment: each member's share weighs their own attainment.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::bonus::{PayoutCurve, TeamBonus, TeamInputs, TeamMember, TeamSplit};
    /// use salesplan::calendar::DateRange;
    /// use salesplan::org::{Org, Position, ReportingLine, Role};
    /// use salesplan::rollup::{sum_credits, SumOptions};
    /// use salesplan::{Currency, Money, PlanId, PositionId, Rate};
    ///
    /// let d = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
    /// let pos = |s: &str| PositionId::new(s).unwrap();
    /// let usd = |s: &str| Money::parse(s, Currency::USD).unwrap();
    /// let r = |s: &str| s.parse::<Rate>().unwrap();
    /// # let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
    /// # let org = Org::builder()
    /// #     .position(Position::new(pos("lead"), Role::TeamLead))
    /// #     .positions(["a", "b"].map(|p| Position::new(pos(p), Role::SalesRep)))
    /// #     .line(ReportingLine::top(pos("lead"), always))
    /// #     .lines(["a", "b"].map(|p| ReportingLine::new(pos(p), pos("lead"), always)))
    /// #     .build()?;
    /// let snapshot = org.as_of(d)?;
    /// let credits = vec![(pos("a"), d, usd("600.00")), (pos("b"), d, usd("300.00"))];
    /// let totals = sum_credits(&snapshot, &credits, SumOptions::new(Currency::USD))?;
    /// let curve = PayoutCurve::new([(r("0%"), r("0%")), (r("100%"), r("100%"))], r("150%"))?;
    /// let plan = TeamBonus::new(PlanId::new("team-q1")?, curve, TeamSplit::ByAttainment);
    /// let inputs = TeamInputs::new(pos("lead"), usd("1000.00"), usd("1000.00")).members([
    ///     TeamMember::new(pos("a")).quota(usd("500.00")),
    ///     TeamMember::new(pos("b")).quota(usd("500.00")),
    /// ]);
    /// let team = plan.compute(&totals, &inputs)?;
    /// assert_eq!(team.pool().to_string(), "900.00 USD"); // 90% of the team quota
    /// let shares: Vec<String> = team.shares().iter().map(|s| s.amount().to_string()).collect();
    /// assert_eq!(shares, ["600.00 USD", "300.00 USD"]); // 120% and 60%
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn compute(
        &self,
        totals: &MoneyRollup<'_>,
        inputs: &TeamInputs,
    ) -> Result<TeamPayout, BonusError> {
        let manager = node_of(totals, &inputs.manager)?;
        let team_attainment = match totals
            .attainment(manager.index(), inputs.team_quota)
            .map_err(rollup)?
        {
            Attainment::Ratio(r) => r,
            Attainment::ZeroTarget { .. } => {
                return Err(BonusError::NoTeamQuota {
                    manager: inputs.manager.clone(),
                });
            }
        };
        let members = inputs.sorted_members()?;
        let (weights, holders) = self.weights(totals, inputs, manager, &members)?;
        // The curve is read at credited / quota as a fraction, so the pool
        // multiplies before its one division.
        let credited = totals.subtree(manager.index()).map_err(rollup)?;
        let (reading, share) = self.curve.read_fraction(
            team_attainment,
            credited.amount(),
            inputs.team_quota.amount(),
        )?;
        let unrounded = share
            .of(inputs.pool_target, 1, 1)
            .map_err(|source| BonusError::Arithmetic { source })?;
        let pool = unrounded.round(self.rounding);
        let amounts = split_pool(pool, &inputs.manager, &members, &weights)?;
        let shares = members
            .iter()
            .zip(holders)
            .zip(weights)
            .zip(amounts)
            .map(|(((m, holder), weight), amount)| MemberShare {
                position: m.position.clone(),
                holder,
                weight,
                amount,
            })
            .collect();
        Ok(TeamPayout {
            plan: self.id.clone(),
            manager: inputs.manager.clone(),
            reading,
            split: self.split,
            pool_target: inputs.pool_target,
            unrounded,
            pool,
            rounding: self.rounding,
            shares,
        })
    }

    /// Each member's weight in the split, and who holds their position:
    /// members must be in the manager's subtree, and have the figure the
    /// split needs (declared shares adding up to exactly 100%).
    fn weights(
        &self,
        totals: &MoneyRollup<'_>,
        inputs: &TeamInputs,
        manager: Node<'_>,
        members: &[&TeamMember],
    ) -> Result<(Vec<Decimal>, Vec<Option<PersonId>>), BonusError> {
        let mut weights = Vec::with_capacity(members.len());
        let mut holders = Vec::with_capacity(members.len());
        let mut share_sum = Decimal::ZERO;
        for m in members {
            let node = node_of(totals, &m.position)?;
            if !node.is_within(&manager) {
                return Err(BonusError::MemberOutsideTeam {
                    manager: inputs.manager.clone(),
                    member: m.position.clone(),
                });
            }
            holders.push(node.holder().cloned());
            let weight = match self.split {
                TeamSplit::Equal => Decimal::ONE,
                TeamSplit::ByShare => {
                    let share = m.share.ok_or_else(|| BonusError::MissingShare {
                        member: m.position.clone(),
                    })?;
                    share_sum = add(share_sum, share.fraction())
                        .map_err(|source| BonusError::Arithmetic { source })?;
                    share.fraction()
                }
                TeamSplit::ByAttainment => {
                    let quota = m.quota.ok_or_else(|| BonusError::MissingQuota {
                        member: m.position.clone(),
                    })?;
                    match totals.attainment(node.index(), quota).map_err(rollup)? {
                        Attainment::Ratio(r) => r.max(Decimal::ZERO),
                        Attainment::ZeroTarget { .. } => Decimal::ZERO,
                    }
                }
            };
            weights.push(weight);
        }
        if self.split == TeamSplit::ByShare && share_sum != Decimal::ONE {
            return Err(BonusError::SharesNotWhole {
                manager: inputs.manager.clone(),
                sum: share_sum,
            });
        }
        Ok((weights, holders))
    }
}

/// `position`'s node in the rollup's snapshot.
fn node_of<'s>(totals: &MoneyRollup<'s>, position: &PositionId) -> Result<Node<'s>, BonusError> {
    totals
        .snapshot()
        .node(position)
        .ok_or_else(|| BonusError::UnknownPosition {
            position: position.clone(),
        })
}

fn rollup(source: RollupError) -> BonusError {
    BonusError::Rollup {
        source: Box::new(source),
    }
}

impl TeamInputs {
    /// The members by position, refusing none and a position twice.
    fn sorted_members(&self) -> Result<Vec<&TeamMember>, BonusError> {
        let mut members: Vec<&TeamMember> = self.members.iter().collect();
        if members.is_empty() {
            return Err(BonusError::NoMembers {
                manager: self.manager.clone(),
            });
        }
        members.sort_by(|a, b| a.position.cmp(&b.position));
        if let Some([a, _]) = members
            .windows(2)
            .find(|w| matches!(w, [a, b] if a.position == b.position))
        {
            return Err(BonusError::DuplicateMember {
                member: a.position.clone(),
            });
        }
        Ok(members)
    }
}

/// `pool` split among `members` by `weights`, exactly (a zero pool gives
/// every member zero).
fn split_pool(
    pool: Money,
    manager: &PositionId,
    members: &[&TeamMember],
    weights: &[Decimal],
) -> Result<Vec<Money>, BonusError> {
    if pool.is_zero() {
        return Ok(vec![Money::zero(pool.currency()); members.len()]);
    }
    let recipients: Vec<Recipient<&PositionId>> = members
        .iter()
        .zip(weights)
        .map(|(m, w)| Recipient::new(&m.position, *w))
        .collect();
    Ok(allocate(pool, &recipients)
        .map_err(|source| BonusError::Team {
            manager: manager.clone(),
            source: Box::new(source),
        })?
        .iter()
        .map(|s| s.amount())
        .collect())
}

/// One member's share of a team pool.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct MemberShare {
    position: PositionId,
    holder: Option<PersonId>,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    weight: Decimal,
    amount: Money,
}

impl MemberShare {
    /// The member's position.
    pub const fn position(&self) -> &PositionId {
        &self.position
    }

    /// Who held it on the snapshot's date (`None` when vacant).
    pub const fn holder(&self) -> Option<&PersonId> {
        self.holder.as_ref()
    }

    /// The weight it was split by (1 for equal, the share's fraction, or
    /// the attainment).
    pub const fn weight(&self) -> Decimal {
        self.weight
    }

    /// The share, in whole minor units.
    pub const fn amount(&self) -> Money {
        self.amount
    }
}

/// A computed team bonus: the team's reading of the curve, the pool, and
/// each member's share (by position), which add up to the pool exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TeamPayout {
    plan: PlanId,
    manager: PositionId,
    reading: CurveReading,
    split: TeamSplit,
    pool_target: Money,
    unrounded: Money,
    pool: Money,
    rounding: RoundingPolicy,
    shares: Vec<MemberShare>,
}

impl TeamPayout {
    /// The manager whose subtree is the team.
    pub const fn manager(&self) -> &PositionId {
        &self.manager
    }

    /// The team's attainment on the curve.
    pub const fn reading(&self) -> &CurveReading {
        &self.reading
    }

    /// The pool, rounded once.
    pub const fn pool(&self) -> Money {
        self.pool
    }

    /// The pool before rounding.
    pub const fn unrounded(&self) -> Money {
        self.unrounded
    }

    /// Every member's share, by position.
    pub fn shares(&self) -> &[MemberShare] {
        &self.shares
    }
}

impl fmt::Display for TeamPayout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} for the team under {}:", self.plan, self.manager)?;
        writeln!(f, "  {}", self.reading)?;
        writeln!(
            f,
            "  pool {} x {} = {}, rounded {} to {}",
            self.pool_target,
            percent(self.reading.payout().fraction()),
            approx(self.unrounded),
            self.rounding,
            self.pool
        )?;
        write!(f, "  split {}:", self.split)?;
        for s in &self.shares {
            let who = s.holder.as_ref().map_or("vacant", PersonId::as_str);
            let weight = match self.split {
                TeamSplit::Equal => String::new(),
                TeamSplit::ByShare | TeamSplit::ByAttainment => {
                    format!(" at {}", percent(s.weight))
                }
            };
            write!(f, "\n    {} ({who}){weight}: {}", s.position, s.amount)?;
        }
        Ok(())
    }
}
