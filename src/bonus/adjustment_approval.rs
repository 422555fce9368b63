//! Approving a commission adjustment under the authority policy.

use super::authority::{Action, Approver, Authority, Reason};
use super::error::BonusError;
use crate::comp::{Adjustment, ApprovedAdjustment};
use crate::ids::PersonId;
use crate::money::Money;

/// Why an adjustment was not approved (see
/// [`BonusError::AdjustmentRefused`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AdjustmentRefusal {
    /// Who tried to approve it.
    pub approver: PersonId,
    /// For whom.
    pub person: PersonId,
    /// Its size (a deduction's too).
    pub amount: Money,
    /// Why they may not: no authority, over their limit (the limit named),
    /// or outside their scope.
    pub reason: Reason,
    /// The nearest person above them who may, if any.
    pub who_may: Option<Approver>,
}

impl Authority<'_> {
    /// `adjustment` approved by `approver` on the snapshot's date, when
    /// the policy lets them: a grant of
    /// [`Power::ApproveAdjustment`](super::Power::ApproveAdjustment) to
    /// their role, up to at least the adjustment's size (a deduction's
    /// size is its amount without the sign), over the adjustment's person
    /// (in the grant's scope). Nobody approves their own proposal, nor an
    /// adjustment of their own pay.
    ///
    /// # Errors
    ///
    /// [`BonusError::OwnAdjustment`] when the approver proposed it;
    /// [`BonusError::Arithmetic`] for an amount with a fraction of a
    /// minor unit;
    /// [`BonusError::AdjustmentRefused`] naming the approver, the person,
    /// the amount, the reason (the limit when over it) and who above may
    /// approve it; what [`Authority::authorize`] refuses (an approver who
    /// is not above the person, someone not in the org).
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::bonus::{Authority, AuthorityPolicy, Grant, Power};
    /// use salesplan::calendar::DateRange;
    /// use salesplan::comp::Adjustment;
    /// use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// use salesplan::{BonusError, Currency, Money, PersonId, PositionId};
    ///
    /// let day = NaiveDate::from_ymd_opt(2025, 3, 28).unwrap();
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
    ///     .grant(Grant::new(Role::RegionalManager, Power::ApproveAdjustment { up_to: Some(usd("500")) }))
    ///     .grant(Grant::new(Role::Director, Power::ApproveAdjustment { up_to: None }));
    /// let snapshot = org.as_of(day)?;
    /// let authority = Authority::new(&policy, &snapshot)?;
    /// let spiff = Adjustment::manual(who("ria"), usd("800"), day, "March SPIFF paid by hand", who("ops"));
    ///
    /// let err = authority.approve_adjustment(spiff.clone(), &who("rui")).unwrap_err();
    /// assert!(matches!(err, BonusError::AdjustmentRefused(_)));
    /// let approved = authority.approve_adjustment(spiff, &who("dana"))?;
    /// assert_eq!(approved.trail().approved_by, who("dana"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn approve_adjustment(
        &self,
        adjustment: Adjustment,
        approver: &PersonId,
    ) -> Result<ApprovedAdjustment, BonusError> {
        if &adjustment.proposed_by == approver {
            return Err(BonusError::OwnAdjustment {
                person: approver.clone(),
            });
        }
        // Pay is whole minor units: a fraction of a cent is refused.
        adjustment.amount.to_minor()?;
        let amount = if adjustment.amount.amount().is_sign_negative() {
            adjustment.amount.negated()
        } else {
            adjustment.amount
        };
        let day = self.date();
        let action = Action::ApproveAdjustment { amount };
        let decision = self.authorize(approver, &action, &adjustment.person, day)?;
        if !decision.is_allowed() {
            return Err(BonusError::AdjustmentRefused(Box::new(AdjustmentRefusal {
                approver: approver.clone(),
                person: adjustment.person.clone(),
                amount,
                reason: decision.reason().clone(),
                who_may: decision.approver().cloned(),
            })));
        }
        let authority = decision.reason().to_string();
        Ok(ApprovedAdjustment::new(
            adjustment,
            approver.clone(),
            day,
            authority,
        ))
    }
}
