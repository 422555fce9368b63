//! Approving quota changes: the authority policy decides who may relieve,
//! transfer, give a new hire's target or re-cascade a reorg, and only an
//! approved change reaches a quota version.
//!
//! The rules:
//!
//! - A relief needs [`Power::ApproveQuotaRelief`] over the holder of the
//!   seat, for the relief's share of the seat's annual target in the
//!   version (a relief above the whole target counts as 100%).
//! - A transfer is a relief of the giving seat: the same power, for the
//!   same share, over the holders of both seats (the approver must be above
//!   the giver and the taker).
//! - A new hire's target needs the custom power
//!   [`Authority::NEW_HIRE_QUOTA`] over the new hire (the seat must be held
//!   on the authority's date: approve it as of the start date).
//! - A reorg needs the custom power [`Authority::QUOTA_REORG`] over the
//!   holder of every seat whose target it moves (vacant seats, and the
//!   approver's own, are not checked; at least one seat must be).

use crate::bonus::{Action, Authority, BonusError, Outcome, Power, Reason};
use crate::ids::{PersonId, PositionId};
use crate::money::Percent;
use crate::quota::{ApprovedQuotaChange, QuotaChange, QuotaChangeKind, QuotaError, QuotaVersion};

fn quota(source: QuotaError) -> BonusError {
    BonusError::Quota {
        source: Box::new(source),
    }
}

impl Authority<'_> {
    /// The name of the custom power ([`Power::Custom`]) that approves a new
    /// hire's quota.
    pub const NEW_HIRE_QUOTA: &'static str = "approve a new hire's quota";

    /// The name of the custom power ([`Power::Custom`]) that approves a
    /// reorg's re-cascade of the rest of the year.
    pub const QUOTA_REORG: &'static str = "approve a quota reorg";

    /// Approves a proposed change to `version` on behalf of `approver`, as
    /// of the authority's snapshot date (approve as of the effective date,
    /// so that the org is the one the change applies to).
    ///
    /// - A relief needs [`Power::ApproveQuotaRelief`] over the holder of
    ///   the seat, for the relief's share of the seat's annual target in
    ///   the version (a relief above the whole target counts as 100%).
    /// - A transfer is a relief of the giving seat: the same power, for the
    ///   same share, over the holders of both seats.
    /// - A new hire's target needs the custom power
    ///   [`Authority::NEW_HIRE_QUOTA`] over the new hire (the seat must be
    ///   held on the authority's date).
    /// - A reorg needs the custom power [`Authority::QUOTA_REORG`] over the
    ///   holder of every seat whose target it moves (vacant seats and the
    ///   approver's own are not checked; at least one seat must be).
    ///
    /// "Over" is [`Authority::authorize`]'s: the approver's role has the
    /// grant, the seat's holder is in the grant's scope below the approver,
    /// and the share is within the grant's limit.
    ///
    /// # Errors
    ///
    /// [`BonusError::Quota`] with [`QuotaError::VersionDoesNotChain`] for a
    /// change proposed against another version, or the version's errors
    /// (an unknown position, an effective date after the plan);
    /// [`BonusError::QuotaSeatVacant`] for a seat nobody holds;
    /// [`BonusError::QuotaChangeNotAuthorized`] naming the approver, the
    /// subject, the action, the approver's limit when over it, and who
    /// could approve; any error of [`Authority::authorize`] (an approver
    /// who is not above the subject).
    ///
    /// # Examples
    ///
    /// Max may relieve up to 10% of a rep's year; Ana goes on leave from
    /// July:
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::bonus::{Authority, AuthorityPolicy, Grant, Power};
    /// use salesplan::calendar::{DateRange, FiscalCalendar};
    /// use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// use salesplan::quota::{Measures, QuotaChange, QuotaChangeKind, QuotaPlan, QuotaVersion};
    /// use salesplan::{BonusError, Currency, Money, PersonId, PositionId};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let always = DateRange::starting(d(1, 1));
    /// let pos = |s: &str| PositionId::new(s).unwrap();
    /// let who = |s: &str| PersonId::new(s).unwrap();
    /// let usd = |s: &str| Money::parse(s, Currency::USD).unwrap();
    /// // max (team lead) > ana, ben: 600,000 each of the team's 1,200,000.
    /// let org = Org::builder()
    ///     .position(Position::new(pos("lead"), Role::TeamLead))
    ///     .positions(["a", "b"].map(|r| Position::new(pos(r), Role::SalesRep)))
    ///     .line(ReportingLine::top(pos("lead"), always))
    ///     .lines(["a", "b"].map(|r| ReportingLine::new(pos(r), pos("lead"), always)))
    ///     .assignments([("max", "lead"), ("ana", "a"), ("ben", "b")].map(|(p, s)| Assignment::new(who(p), pos(s), always)))
    ///     .build()?;
    /// let snapshot = org.as_of(d(1, 1))?;
    /// let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("1200000.00"));
    /// let v1 = QuotaVersion::from_targets(&plan.cascade(&snapshot, &Measures::new())?)?;
    /// let policy = AuthorityPolicy::new()
    ///     .grant(Grant::new(Role::TeamLead, Power::ApproveQuotaRelief { up_to: "10%".parse()? }));
    /// let authority = Authority::new(&policy, &snapshot)?;
    /// let relief = |amount| QuotaChange::new(1, QuotaChangeKind::Relief { position: pos("a"), amount: usd(amount) }, d(7, 1), "leave");
    ///
    /// let approved = authority.approve_quota_change(&who("max"), relief("30000.00"), &v1)?;
    /// let v2 = v1.apply(&approved)?;
    /// assert_eq!(v2.annual(&pos("a"))?, usd("570000.00"));
    /// assert_eq!(v2.month(&pos("a"), 0)?, v1.month(&pos("a"), 0)?); // months before July stay
    /// // 120,000 is 20% of Ana's year: over Max's limit.
    /// let err = authority.approve_quota_change(&who("max"), relief("120000.00"), &v1).unwrap_err();
    /// assert!(matches!(err, BonusError::QuotaChangeNotAuthorized { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn approve_quota_change(
        &self,
        approver: &PersonId,
        change: QuotaChange,
        version: &QuotaVersion,
    ) -> Result<ApprovedQuotaChange, BonusError> {
        if change.version() != version.number() {
            return Err(quota(QuotaError::VersionDoesNotChain {
                older: version.number(),
                newer: change.version(),
            }));
        }
        version
            .first_month_from(change.effective())
            .map_err(quota)?;
        for (seat, action) in self.quota_checks(approver, &change, version)? {
            self.check_quota_action(approver, &seat, &action)?;
        }
        Ok(ApprovedQuotaChange::new(
            change,
            approver.clone(),
            self.date(),
        ))
    }

    /// The seats to check and the action each needs.
    fn quota_checks(
        &self,
        approver: &PersonId,
        change: &QuotaChange,
        version: &QuotaVersion,
    ) -> Result<Vec<(PositionId, Action)>, BonusError> {
        let relief = |position: &PositionId, amount: crate::money::Money| {
            let annual = version.annual(position).map_err(quota)?;
            let share = amount
                .amount()
                .checked_div(annual.amount())
                .and_then(|f| Percent::from_fraction(f).ok())
                .unwrap_or(Percent::HUNDRED);
            Ok::<_, BonusError>(Action::ApproveQuotaRelief { relief: share })
        };
        Ok(match change.kind() {
            QuotaChangeKind::Relief { position, amount } => {
                vec![(position.clone(), relief(position, *amount)?)]
            }
            QuotaChangeKind::Transfer { from, to, amount } => {
                let action = relief(from, *amount)?;
                vec![(from.clone(), action.clone()), (to.clone(), action)]
            }
            QuotaChangeKind::NewHire { position, .. } => vec![(
                position.clone(),
                Action::Custom(Self::NEW_HIRE_QUOTA.to_owned()),
            )],
            QuotaChangeKind::Reorg(_) => {
                let snapshot = self.snapshot();
                let seats: Vec<(PositionId, Action)> = version
                    .affected(change)
                    .map_err(quota)?
                    .into_iter()
                    .filter(|seat| {
                        snapshot
                            .node(seat)
                            .and_then(|n| n.holder())
                            .is_some_and(|h| h != approver)
                    })
                    .map(|seat| (seat, Action::Custom(Self::QUOTA_REORG.to_owned())))
                    .collect();
                if seats.is_empty() {
                    return Err(BonusError::QuotaSeatVacant {
                        position: snapshot.root().id().clone(),
                        date: self.date(),
                    });
                }
                seats
            }
        })
    }

    /// Whether `approver` may take `action` on the holder of `seat`.
    fn check_quota_action(
        &self,
        approver: &PersonId,
        seat: &PositionId,
        action: &Action,
    ) -> Result<(), BonusError> {
        let subject = self
            .snapshot()
            .node(seat)
            .and_then(|n| n.holder())
            .ok_or_else(|| BonusError::QuotaSeatVacant {
                position: seat.clone(),
                date: self.date(),
            })?;
        let decision = self.authorize(approver, action, subject, self.date())?;
        if let Outcome::Allowed = decision.outcome() {
            return Ok(());
        }
        let limit = match decision.reason() {
            Reason::OverLimit {
                power: Power::ApproveQuotaRelief { up_to },
                ..
            } => Some(*up_to),
            _ => None,
        };
        Err(BonusError::QuotaChangeNotAuthorized {
            approver: approver.clone(),
            subject: subject.clone(),
            action: action.to_string().into_boxed_str(),
            limit,
            needs: decision.approver().and_then(|a| a.person()).cloned(),
        })
    }
}
