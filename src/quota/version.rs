//! Versions of a quota plan: what-if changes proposed, approved by the
//! authority policy, applied from their effective date, and diffs between
//! versions that say what changed and why.
//!
//! A [`QuotaVersion`] is every position's twelve monthly targets, by
//! position id (so it outlives the org snapshot it was cascaded on, and a
//! reorg can change the org under it), with the history of approved changes
//! that made it. A change is a [`QuotaChange`], a proposal against one
//! version; [`Authority::approve_quota_change`](crate::bonus::Authority::approve_quota_change)
//! turns it into an [`ApprovedQuotaChange`] or refuses it, and only an
//! approved change can be applied ([`QuotaVersion::apply`]), giving the next
//! version.
//!
//! A version of a cascade in another measure is made from its steps
//! ([`MeasureTargets::in_steps`](crate::quota::MeasureTargets::in_steps)):
//! its amounts are then whole steps, in the carrier currency `QTY:0`.
//!
//! The rule of the effective date: a change takes effect from the first
//! plan month that starts on or after its effective date. A month that has
//! begun is never rewritten, so every earlier period keeps the figures it
//! had (a change effective on 15 March starts in April).
//!
//! A reorg sets every position's months from its effective month to the
//! new org's cascade: changes approved earlier for those months (a relief
//! for November) are superseded, and the diff says so (the line names the
//! reorg); re-apply them on the new version to keep them.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::plan::QuotaTargets;
use crate::allocation::Split;
use crate::calendar::Period;
use crate::ids::{PersonId, PositionId};
use crate::money::{Currency, Money};
use crate::quota::QuotaError;

/// A year of monthly targets, in minor units.
type Months = [i128; 12];

/// Why a target changed between versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum ChangeReason {
    /// Target moved from one position to another.
    Transfer,
    /// Target taken off a position.
    Relief,
    /// Target given to a newly filled or new seat.
    NewHire,
    /// The rest of the year re-cascaded over a new org.
    Reorg,
}

impl fmt::Display for ChangeReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChangeReason::Transfer => "transfer",
            ChangeReason::Relief => "relief",
            ChangeReason::NewHire => "new hire",
            ChangeReason::Reorg => "reorg",
        })
    }
}

/// The targets a reorg sets for the rest of the year: every position's
/// months from the cascade of the plan over the new org.
///
/// With the `serde` feature it reads and writes as its `currency` and,
/// by position id, twelve `months` in minor units; a negative month is
/// refused ([`QuotaError::NegativeTarget`]), as is a year that overflows.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawReorgTargets"))]
pub struct ReorgTargets {
    currency: Currency,
    months: BTreeMap<PositionId, Months>,
}

crate::validated::via_raw! {
    RawReorgTargets => ReorgTargets, QuotaError {
        currency: Currency,
        months: BTreeMap<PositionId, Months>,
    } => {
        for (position, figures) in &months {
            total(figures, position)?;
            if let Some(minor) = figures.iter().find(|m| **m < 0) {
                return Err(QuotaError::NegativeTarget {
                    amount: Money::from_minor(*minor, currency)
                        .map_err(|source| QuotaError::Amount { source })?,
                });
            }
        }
        Ok(ReorgTargets { currency, months })
    }
}

impl ReorgTargets {
    /// The months of every position of a cascade over the new org (after
    /// its adjustments, if any).
    ///
    /// # Errors
    ///
    /// [`QuotaError::NodeOutOfRange`] only for a cascade inconsistent with
    /// its snapshot.
    pub fn from_targets(targets: &QuotaTargets<'_>) -> Result<ReorgTargets, QuotaError> {
        Ok(ReorgTargets {
            currency: targets.currency(),
            months: months_by_position(targets)?,
        })
    }

    /// The positions of the new org.
    pub fn positions(&self) -> impl Iterator<Item = &PositionId> {
        self.months.keys()
    }
}

/// Every node's months, by position id.
fn months_by_position(
    targets: &QuotaTargets<'_>,
) -> Result<BTreeMap<PositionId, Months>, QuotaError> {
    let snapshot = targets.snapshot();
    let mut out = BTreeMap::new();
    let mut missing = None;
    targets.for_each_month(|node, months| match snapshot.node_at(node) {
        Some(n) => {
            out.insert(n.id().clone(), *months);
        }
        None => missing = Some(node.index()),
    });
    match missing {
        Some(index) => Err(QuotaError::NodeOutOfRange { index }),
        None => Ok(out),
    }
}

/// What a change does.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum QuotaChangeKind {
    /// Lowers `position`'s target by `amount` over the rest of the year,
    /// in proportion to its monthly targets.
    Relief {
        /// The position relieved.
        position: PositionId,
        /// How much less, in total.
        amount: Money,
    },
    /// Moves `amount` of target from one position to another over the rest
    /// of the year, month by month in proportion to the giver's targets.
    Transfer {
        /// The position giving target.
        from: PositionId,
        /// The position taking it (a new seat starts at zero).
        to: PositionId,
        /// How much, in total.
        amount: Money,
    },
    /// Gives `amount` of target to a seat (new, or filled by a new hire)
    /// over the rest of the year, following the seasonality of the top of
    /// the plan (by days when the top's months are all zero).
    NewHire {
        /// The seat.
        position: PositionId,
        /// Its target for the rest of the year.
        amount: Money,
    },
    /// Re-cascades the rest of the year over a new org: from the
    /// effective month every position takes the new cascade's months (zero
    /// for a position the new org does not have); earlier months stay.
    Reorg(ReorgTargets),
}

impl QuotaChangeKind {
    /// Why a target changes.
    pub const fn reason(&self) -> ChangeReason {
        match self {
            QuotaChangeKind::Relief { .. } => ChangeReason::Relief,
            QuotaChangeKind::Transfer { .. } => ChangeReason::Transfer,
            QuotaChangeKind::NewHire { .. } => ChangeReason::NewHire,
            QuotaChangeKind::Reorg(_) => ChangeReason::Reorg,
        }
    }
}

/// A proposed change to one version of a quota plan, to be approved by
/// [`Authority::approve_quota_change`](crate::bonus::Authority::approve_quota_change).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct QuotaChange {
    version: u32,
    kind: QuotaChangeKind,
    effective: NaiveDate,
    note: String,
}

impl QuotaChange {
    /// A change to version `version`, effective from `effective` (from the
    /// first month starting on or after it), with a note saying why.
    pub fn new(
        version: u32,
        kind: QuotaChangeKind,
        effective: NaiveDate,
        note: impl Into<String>,
    ) -> QuotaChange {
        QuotaChange {
            version,
            kind,
            effective,
            note: note.into(),
        }
    }

    /// The version it changes.
    pub const fn version(&self) -> u32 {
        self.version
    }

    /// What it does.
    pub const fn kind(&self) -> &QuotaChangeKind {
        &self.kind
    }

    /// Its effective date.
    pub const fn effective(&self) -> NaiveDate {
        self.effective
    }

    /// Why, in words.
    pub fn note(&self) -> &str {
        &self.note
    }
}

/// A change the authority policy approved: the only kind
/// [`QuotaVersion::apply`] takes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ApprovedQuotaChange {
    change: QuotaChange,
    approved_by: PersonId,
    approved_on: NaiveDate,
}

impl ApprovedQuotaChange {
    /// Made only by the authority check.
    pub(crate) fn new(
        change: QuotaChange,
        approved_by: PersonId,
        approved_on: NaiveDate,
    ) -> ApprovedQuotaChange {
        ApprovedQuotaChange {
            change,
            approved_by,
            approved_on,
        }
    }

    /// The change.
    pub const fn change(&self) -> &QuotaChange {
        &self.change
    }

    /// Who approved it.
    pub const fn approved_by(&self) -> &PersonId {
        &self.approved_by
    }

    /// When (the authority's snapshot date).
    pub const fn approved_on(&self) -> NaiveDate {
        self.approved_on
    }
}

/// One version of a quota plan: every position's monthly targets, and the
/// approved changes that made it from the first version.
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::calendar::{DateRange, FiscalCalendar};
/// use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
/// use salesplan::quota::{Measures, QuotaChange, QuotaChangeKind, QuotaPlan, QuotaVersion};
/// use salesplan::bonus::{Authority, AuthorityPolicy, Grant, Power};
/// use salesplan::{Currency, Money, PersonId, PositionId};
///
/// let pos = |s: &str| PositionId::new(s).unwrap();
/// let who = |s: &str| PersonId::new(s).unwrap();
/// let day = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap();
/// let from = DateRange::starting(day(1, 1));
/// let org = Org::builder()
///     .position(Position::new(pos("mgr"), Role::RegionalManager))
///     .positions(["a", "b"].map(|r| Position::new(pos(r), Role::SalesRep)))
///     .line(ReportingLine::top(pos("mgr"), from))
///     .lines(["a", "b"].map(|r| ReportingLine::new(pos(r), pos("mgr"), from)))
///     .assignments([("ann", "mgr"), ("bob", "a"), ("cat", "b")].map(|(p, s)| Assignment::new(who(p), pos(s), from)))
///     .build()?;
/// let snapshot = org.as_of(day(1, 1))?;
/// let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
/// let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("1200000.00"));
/// let v1 = QuotaVersion::from_targets(&plan.cascade(&snapshot, &Measures::new())?)?;
///
/// // The manager may relieve up to 10% of a rep's quota.
/// let policy = AuthorityPolicy::new()
///     .grant(Grant::new(Role::RegionalManager, Power::ApproveQuotaRelief { up_to: "10%".parse()? }));
/// let at_july = org.as_of(day(7, 1))?;
/// let authority = Authority::new(&policy, &at_july)?;
/// let relief = QuotaChange::new(v1.number(), QuotaChangeKind::Relief { position: pos("a"), amount: usd("30000.00") }, day(7, 1), "parental leave");
/// // What it would do, before anyone approves it.
/// assert_eq!(v1.what_if(&relief)?[0].to_string(), "a: 600000.00 USD -> 570000.00 USD (relief: parental leave)");
/// let approved = authority.approve_quota_change(&who("ann"), relief, &v1)?;
/// let v2 = v1.apply(&approved)?;
///
/// // June is as it was; the second half lost 5,000 a month.
/// assert_eq!(v2.month(&pos("a"), 5)?, v1.month(&pos("a"), 5)?);
/// assert_eq!(v2.month(&pos("a"), 6)?.to_string(), "45000.00 USD");
/// let diff = v1.diff(&v2)?;
/// assert_eq!(diff.lines().len(), 1);
/// assert_eq!(diff.lines()[0].to_string(), "a: 600000.00 USD -> 570000.00 USD (relief: parental leave)");
/// assert_eq!(v1.apply_diff(&diff)?, v2);
///
/// // 20% is over the manager's limit.
/// let big = QuotaChange::new(v1.number(), QuotaChangeKind::Relief { position: pos("b"), amount: usd("120000.00") }, day(7, 1), "territory lost");
/// assert!(authority.approve_quota_change(&who("ann"), big, &v1).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct QuotaVersion {
    number: u32,
    currency: Currency,
    periods: [Period; 12],
    top: PositionId,
    targets: BTreeMap<PositionId, Months>,
    history: Vec<ApprovedQuotaChange>,
    /// The positions each change of the history moved, in its order.
    moved: Vec<Vec<PositionId>>,
}

impl QuotaVersion {
    /// Version 1: the months of every position of a cascade (after its
    /// adjustments, if any).
    ///
    /// # Errors
    ///
    /// [`QuotaError::NodeOutOfRange`] only for a cascade inconsistent with
    /// its snapshot.
    pub fn from_targets(targets: &QuotaTargets<'_>) -> Result<QuotaVersion, QuotaError> {
        let mut periods = [targets.splitter().year(); 12];
        for (slot, month) in periods.iter_mut().zip(targets.splitter().months()) {
            *slot = *month;
        }
        Ok(QuotaVersion {
            number: 1,
            currency: targets.currency(),
            periods,
            top: targets.snapshot().root().id().clone(),
            targets: months_by_position(targets)?,
            history: Vec::new(),
            moved: Vec::new(),
        })
    }

    /// Its number: 1 for the first, one more for each change.
    pub const fn number(&self) -> u32 {
        self.number
    }

    /// The currency (or carrier of steps) of its figures.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// The approved changes that made it, oldest first.
    pub fn history(&self) -> &[ApprovedQuotaChange] {
        &self.history
    }

    /// The plan's twelve months.
    pub const fn periods(&self) -> &[Period; 12] {
        &self.periods
    }

    /// The positions it has targets for.
    pub fn positions(&self) -> impl Iterator<Item = &PositionId> {
        self.targets.keys()
    }

    fn months_of(&self, position: &PositionId) -> Result<&Months, QuotaError> {
        self.targets
            .get(position)
            .ok_or_else(|| QuotaError::UnknownPosition {
                position: position.clone(),
            })
    }

    fn money(&self, minor: i128) -> Result<Money, QuotaError> {
        Money::from_minor(minor, self.currency).map_err(|source| QuotaError::Amount { source })
    }

    /// A position's target for month `month` (0 is the first fiscal month).
    ///
    /// # Errors
    ///
    /// [`QuotaError::UnknownPosition`]; [`QuotaError::MonthOutOfRange`].
    pub fn month(&self, position: &PositionId, month: usize) -> Result<Money, QuotaError> {
        let months = self.months_of(position)?;
        self.money(
            *months
                .get(month)
                .ok_or(QuotaError::MonthOutOfRange { month })?,
        )
    }

    /// A position's annual target.
    ///
    /// # Errors
    ///
    /// [`QuotaError::UnknownPosition`]; [`QuotaError::Overflow`].
    pub fn annual(&self, position: &PositionId) -> Result<Money, QuotaError> {
        self.money(total(self.months_of(position)?, position)?)
    }

    /// The first month a change effective on `date` reaches.
    ///
    /// # Errors
    ///
    /// [`QuotaError::EffectiveAfterPlan`] when no month starts on or after
    /// `date`.
    pub fn first_month_from(&self, date: NaiveDate) -> Result<usize, QuotaError> {
        self.periods
            .iter()
            .position(|m| m.start() >= date)
            .ok_or_else(|| QuotaError::EffectiveAfterPlan {
                date,
                last: self.periods.last().map_or(date, Period::start),
            })
    }

    /// The next version: this one with an approved change applied from its
    /// effective month; earlier months are never touched.
    ///
    /// # Errors
    ///
    /// [`QuotaError::VersionDoesNotChain`] for a change proposed against
    /// another version; [`QuotaError::EffectiveAfterPlan`];
    /// [`QuotaError::UnknownPosition`] for a relief or transfer of a
    /// position not in the version; [`QuotaError::NonPositiveAdjustment`];
    /// [`QuotaError::Amount`] for an amount in another currency;
    /// [`QuotaError::ReliefExceedsTarget`] when a month would go below
    /// zero; [`QuotaError::ReorgChangesTotal`] when a reorg's cascade does
    /// not carry the rest of the year's company target.
    pub fn apply(&self, approved: &ApprovedQuotaChange) -> Result<QuotaVersion, QuotaError> {
        let mut next = self.changed(&approved.change)?;
        next.number = self
            .number
            .checked_add(1)
            .ok_or(QuotaError::VersionOverflow)?;
        next.history.push(approved.clone());
        let moved = self
            .lines_to(&next, |_| Vec::new())
            .into_iter()
            .map(|line| line.position)
            .collect();
        next.moved.push(moved);
        Ok(next)
    }

    /// What a proposed change would do to this version, before anyone
    /// approves it (a what-if): the lines of every target it would move,
    /// each naming the change, with no approver. Nothing is applied.
    ///
    /// # Errors
    ///
    /// As [`QuotaVersion::apply`].
    pub fn what_if(&self, change: &QuotaChange) -> Result<Vec<DiffLine>, QuotaError> {
        let next = self.changed(change)?;
        Ok(self.lines_to(&next, |_| {
            vec![ChangeNote {
                reason: change.kind.reason(),
                note: change.note.clone(),
                approved_by: None,
            }]
        }))
    }

    /// This version's targets with `change` made (number and history
    /// unchanged).
    fn changed(&self, change: &QuotaChange) -> Result<QuotaVersion, QuotaError> {
        if change.version != self.number {
            return Err(QuotaError::VersionDoesNotChain {
                older: self.number,
                newer: change.version,
            });
        }
        let from = self.first_month_from(change.effective)?;
        let mut next = self.clone();
        match &change.kind {
            QuotaChangeKind::Relief { position, amount } => {
                let parts = self.spread(self.months_of(position)?, from, *amount)?;
                next.shift(position, &parts, true, *amount)?;
            }
            QuotaChangeKind::Transfer {
                from: giver,
                to,
                amount,
            } => {
                let parts = self.spread(self.months_of(giver)?, from, *amount)?;
                next.shift(giver, &parts, true, *amount)?;
                next.shift(to, &parts, false, *amount)?;
            }
            QuotaChangeKind::NewHire { position, amount } => {
                let parts = self.spread(self.months_of(&self.top)?, from, *amount)?;
                next.shift(position, &parts, false, *amount)?;
            }
            QuotaChangeKind::Reorg(reorg) => next.reorg(reorg, from)?,
        }
        Ok(next)
    }

    /// A line for every position whose months differ in `newer`, by
    /// position id, explained by `why`.
    fn lines_to(
        &self,
        newer: &QuotaVersion,
        why: impl Fn(&PositionId) -> Vec<ChangeNote>,
    ) -> Vec<DiffLine> {
        let none = [0; 12];
        newer
            .targets
            .iter()
            .filter(|(p, after)| self.targets.get(*p).unwrap_or(&none) != *after)
            .map(|(position, after)| DiffLine {
                position: position.clone(),
                currency: self.currency,
                before: self.targets.get(position).copied().unwrap_or(none),
                after: *after,
                why: why(position),
            })
            .collect()
    }

    /// The positions whose months `change` would move (for a reorg, every
    /// position whose months from the effective month differ from the
    /// reorg's; a position of the new org only counts when it gets some
    /// target).
    ///
    /// # Errors
    ///
    /// [`QuotaError::EffectiveAfterPlan`].
    pub fn affected(&self, change: &QuotaChange) -> Result<Vec<PositionId>, QuotaError> {
        let from = self.first_month_from(change.effective)?;
        Ok(match &change.kind {
            QuotaChangeKind::Relief { position, .. }
            | QuotaChangeKind::NewHire { position, .. } => {
                vec![position.clone()]
            }
            QuotaChangeKind::Transfer { from, to, .. } => vec![from.clone(), to.clone()],
            QuotaChangeKind::Reorg(reorg) => {
                let none = [0; 12];
                let mut seats: Vec<PositionId> = self
                    .targets
                    .keys()
                    .chain(reorg.months.keys())
                    .filter(|p| {
                        let old = self.targets.get(*p).unwrap_or(&none);
                        let new = reorg.months.get(*p).unwrap_or(&none);
                        rest_of(old, from) != rest_of(new, from)
                    })
                    .cloned()
                    .collect();
                seats.sort();
                seats.dedup();
                seats
            }
        })
    }

    /// `amount` spread over `months` from month `from` on, in proportion to
    /// them (by days when they are all zero): (month, part) pairs.
    fn spread(
        &self,
        months: &Months,
        from: usize,
        amount: Money,
    ) -> Result<Vec<(usize, i128)>, QuotaError> {
        if amount.currency() != self.currency {
            return Err(QuotaError::Amount {
                source: crate::money::MoneyError::CurrencyMismatch {
                    left: self.currency,
                    right: amount.currency(),
                },
            });
        }
        if !amount.is_positive() {
            return Err(QuotaError::NonPositiveAdjustment { amount });
        }
        let minor = amount
            .to_minor()
            .map_err(|source| QuotaError::Amount { source })?;
        let rest: Vec<usize> = (from..12).collect();
        let mut weights: Vec<(usize, Decimal)> = months
            .iter()
            .enumerate()
            .skip(from)
            .map(|(m, v)| crate::money::integer((*v).max(0)).map(|w| (m, w)))
            .collect::<Result<_, _>>()
            .map_err(|source| QuotaError::Amount { source })?;
        if weights.iter().all(|(_, w)| w.is_zero()) {
            weights = rest
                .iter()
                .map(|m| {
                    (
                        *m,
                        Decimal::from(self.periods.get(*m).map_or(0, Period::days)),
                    )
                })
                .collect();
        }
        let split = Split::new(&weights).map_err(|source| QuotaError::Split {
            source: Box::new(source),
        })?;
        let mut parts = Vec::new();
        split.apply_minor(minor, &mut parts, None);
        Ok(rest.into_iter().zip(parts).collect())
    }

    /// Takes (`remove`) or gives `parts` to a position's months (a new
    /// position starts at zero); no month may go below zero.
    fn shift(
        &mut self,
        position: &PositionId,
        parts: &[(usize, i128)],
        remove: bool,
        amount: Money,
    ) -> Result<(), QuotaError> {
        let months = self.targets.entry(position.clone()).or_insert([0; 12]);
        for (m, part) in parts {
            if let Some(slot) = months.get_mut(*m) {
                let new = if remove {
                    slot.checked_sub(*part)
                } else {
                    slot.checked_add(*part)
                };
                *slot = new
                    .filter(|v| *v >= 0)
                    .ok_or_else(|| QuotaError::ReliefExceedsTarget {
                        position: position.clone(),
                        amount,
                    })?;
            }
        }
        total(months, position)?;
        Ok(())
    }

    /// From month `from` on, every position takes the reorg's months.
    fn reorg(&mut self, reorg: &ReorgTargets, from: usize) -> Result<(), QuotaError> {
        if reorg.currency != self.currency {
            return Err(QuotaError::Amount {
                source: crate::money::MoneyError::CurrencyMismatch {
                    left: self.currency,
                    right: reorg.currency,
                },
            });
        }
        let rest = |months: &Months| -> Result<i128, QuotaError> {
            total(&rest_of(months, from), &self.top)
        };
        let before = rest(self.months_of(&self.top)?)?;
        let new_top = reorg.months.get(&self.top).copied().unwrap_or([0; 12]);
        let after = rest(&new_top)?;
        if before != after {
            return Err(QuotaError::ReorgChangesTotal {
                position: self.top.clone(),
                expected: self.money(before)?,
                found: self.money(after)?,
            });
        }
        for position in reorg.months.keys() {
            self.targets.entry(position.clone()).or_insert([0; 12]);
        }
        for (position, months) in &mut self.targets {
            let new = reorg.months.get(position).copied().unwrap_or([0; 12]);
            for (slot, value) in months.iter_mut().zip(new).skip(from) {
                *slot = value;
            }
        }
        Ok(())
    }

    /// What changed from this version to `newer`, position by position,
    /// with the changes that explain each line.
    ///
    /// # Errors
    ///
    /// [`QuotaError::VersionDoesNotChain`] unless `newer` was made from
    /// this version by approved changes (its history extends this one's,
    /// on the same plan months and currency).
    pub fn diff(&self, newer: &QuotaVersion) -> Result<VersionDiff, QuotaError> {
        let chains = newer.currency == self.currency
            && newer.periods == self.periods
            && newer.top == self.top
            && newer.history.starts_with(&self.history)
            && u32::try_from(newer.history.len()).ok()
                == u32::try_from(self.history.len())
                    .ok()
                    .and_then(|n| n.checked_add(newer.number.checked_sub(self.number)?));
        if !chains {
            return Err(QuotaError::VersionDoesNotChain {
                older: self.number,
                newer: newer.number,
            });
        }
        let base = self.history.len();
        let changes: Vec<ApprovedQuotaChange> =
            newer.history.get(base..).unwrap_or_default().to_vec();
        let moved: Vec<Vec<PositionId>> = newer.moved.get(base..).unwrap_or_default().to_vec();
        let lines = self.lines_to(newer, |position| {
            changes
                .iter()
                .zip(&moved)
                .filter(|(_, moved)| moved.binary_search(position).is_ok())
                .map(|(c, _)| ChangeNote {
                    reason: c.change.kind.reason(),
                    note: c.change.note.clone(),
                    approved_by: Some(c.approved_by.clone()),
                })
                .collect()
        });
        Ok(VersionDiff {
            from: self.number,
            to: newer.number,
            base,
            lines,
            changes,
            moved,
        })
    }

    /// This version with a diff from it applied: the newer version the
    /// diff was taken to.
    ///
    /// # Errors
    ///
    /// [`QuotaError::VersionDoesNotChain`] for a diff taken from another
    /// version.
    pub fn apply_diff(&self, diff: &VersionDiff) -> Result<QuotaVersion, QuotaError> {
        if diff.from != self.number || diff.base != self.history.len() {
            return Err(QuotaError::VersionDoesNotChain {
                older: self.number,
                newer: diff.to,
            });
        }
        let mut next = self.clone();
        for line in &diff.lines {
            next.targets.insert(line.position.clone(), line.after);
        }
        next.history.extend(diff.changes.iter().cloned());
        next.moved.extend(diff.moved.iter().cloned());
        next.number = diff.to;
        Ok(next)
    }
}

/// The months before `from` set to zero.
fn rest_of(months: &Months, from: usize) -> Months {
    let mut out = *months;
    for slot in out.iter_mut().take(from) {
        *slot = 0;
    }
    out
}

fn total(months: &Months, position: &PositionId) -> Result<i128, QuotaError> {
    months
        .iter()
        .try_fold(0i128, |a, b| a.checked_add(*b))
        .ok_or_else(|| QuotaError::Overflow {
            position: position.clone(),
        })
}

/// One change behind a diff line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct ChangeNote {
    /// The kind of change.
    pub reason: ChangeReason,
    /// Its note.
    pub note: String,
    /// Who approved it (`None` in a [what-if](QuotaVersion::what_if)).
    pub approved_by: Option<PersonId>,
}

/// One position whose target changed between two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct DiffLine {
    position: PositionId,
    currency: Currency,
    before: Months,
    after: Months,
    why: Vec<ChangeNote>,
}

impl DiffLine {
    /// The position.
    pub const fn position(&self) -> &PositionId {
        &self.position
    }

    /// The changes that explain it, oldest first.
    pub fn why(&self) -> &[ChangeNote] {
        &self.why
    }

    fn money(&self, months: &Months) -> Result<Vec<Money>, QuotaError> {
        months
            .iter()
            .map(|m| Money::from_minor(*m, self.currency))
            .collect::<Result<_, _>>()
            .map_err(|source| QuotaError::Amount { source })
    }

    /// The twelve months before.
    ///
    /// # Errors
    ///
    /// [`QuotaError::Amount`] only for figures beyond a `Decimal`.
    pub fn before(&self) -> Result<Vec<Money>, QuotaError> {
        self.money(&self.before)
    }

    /// The twelve months after.
    ///
    /// # Errors
    ///
    /// [`QuotaError::Amount`] only for figures beyond a `Decimal`.
    pub fn after(&self) -> Result<Vec<Money>, QuotaError> {
        self.money(&self.after)
    }

    /// The annual target before and after.
    ///
    /// # Errors
    ///
    /// [`QuotaError::Overflow`]; [`QuotaError::Amount`].
    pub fn annual(&self) -> Result<(Money, Money), QuotaError> {
        let money = |m: i128| {
            Money::from_minor(m, self.currency).map_err(|source| QuotaError::Amount { source })
        };
        Ok((
            money(total(&self.before, &self.position)?)?,
            money(total(&self.after, &self.position)?)?,
        ))
    }
}

impl fmt::Display for DiffLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.annual() {
            Ok((before, after)) => write!(f, "{}: {before} -> {after}", self.position)?,
            Err(e) => write!(f, "{}: {e}", self.position)?,
        }
        let why: Vec<String> = self
            .why
            .iter()
            .map(|n| format!("{}: {}", n.reason, n.note))
            .collect();
        if !why.is_empty() {
            write!(f, " ({})", why.join("; "))?;
        }
        Ok(())
    }
}

/// What changed between two versions of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VersionDiff {
    from: u32,
    to: u32,
    /// How many changes the older version had.
    base: usize,
    lines: Vec<DiffLine>,
    changes: Vec<ApprovedQuotaChange>,
    /// The positions each of the changes moved.
    moved: Vec<Vec<PositionId>>,
}

impl VersionDiff {
    /// The older version's number.
    pub const fn from(&self) -> u32 {
        self.from
    }

    /// The newer version's number.
    pub const fn to(&self) -> u32 {
        self.to
    }

    /// Every position whose target changed, by position id.
    pub fn lines(&self) -> &[DiffLine] {
        &self.lines
    }

    /// The approved changes between the two, oldest first.
    pub fn changes(&self) -> &[ApprovedQuotaChange] {
        &self.changes
    }
}
