//! A person's quota: the targets of the positions they held, for the days
//! they held them, ramped while they are new.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::plan::QuotaTargets;
use super::ramp::{Ramp, RampFactor};
use crate::allocation::Split;
use crate::calendar::{Period, Proration, ProrationBasis, WorkCalendar};
use crate::error::QuotaError;
use crate::ids::{PersonId, PositionId};
use crate::money::{Money, RoundingPolicy};

/// How a person's quota is worked out: what proration counts, which days
/// are worked, and the ramp for a new hire.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonQuotaOptions {
    basis: ProrationBasis,
    work: WorkCalendar,
    ramp: Option<(Ramp, NaiveDate)>,
    rounding: RoundingPolicy,
}

impl PersonQuotaOptions {
    /// Calendar days, Monday-to-Friday weeks, no ramp, half away from zero.
    pub fn new() -> PersonQuotaOptions {
        PersonQuotaOptions::default()
    }

    /// What proration counts: calendar days, working days, whole months.
    #[must_use]
    pub fn basis(mut self, basis: ProrationBasis) -> PersonQuotaOptions {
        self.basis = basis;
        self
    }

    /// The working days, for [`ProrationBasis::WorkingDays`].
    #[must_use]
    pub fn work_calendar(mut self, work: WorkCalendar) -> PersonQuotaOptions {
        self.work = work;
        self
    }

    /// A ramp for someone hired on `hired`.
    #[must_use]
    pub fn ramp(mut self, ramp: Ramp, hired: NaiveDate) -> PersonQuotaOptions {
        self.ramp = Some((ramp, hired));
        self
    }

    /// How ramped amounts are rounded (once per line).
    #[must_use]
    pub fn rounding(mut self, policy: RoundingPolicy) -> PersonQuotaOptions {
        self.rounding = policy;
        self
    }
}

/// One line of a person's quota: a position, a month, and how the person's
/// part of that month's target was worked out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PersonQuotaLine {
    /// The position held.
    pub position: PositionId,
    /// The plan month.
    pub month: Period,
    /// The position's target for that month.
    pub position_target: Money,
    /// The days of the month the person held it, within the period asked.
    pub held: Period,
    /// The person's share of the month, counted by the plan's basis.
    pub proration: Proration,
    /// Their share of the month's target: the month's target split among
    /// everyone who held the seat that month, and the vacancy, by largest
    /// remainder, so the parts always add up to the target.
    pub prorated: Money,
    /// The ramp over the days held.
    pub ramp: RampFactor,
    /// What the person carries: the prorated share times the ramp, rounded
    /// once.
    pub amount: Money,
}

impl fmt::Display for PersonQuotaLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (held {} to {}): {} of {}'s {} = {}",
            self.month.start().format("%Y-%m"),
            self.held.start(),
            self.held.last_day(),
            self.proration,
            self.position,
            self.position_target,
            self.prorated
        )?;
        if !self.ramp.is_full() {
            write!(f, "; {} = {}", self.ramp, self.amount)?;
        }
        Ok(())
    }
}

/// A person's quota for a period, line by line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PersonQuota {
    /// The person.
    pub person: PersonId,
    /// The period asked about.
    pub period: Period,
    /// One line per position and month.
    pub lines: Vec<PersonQuotaLine>,
    /// The sum of the lines.
    pub total: Money,
    /// What the ramp took off (the prorated shares minus the lines).
    pub ramp_relief: Money,
}

impl QuotaTargets<'_> {
    /// `person`'s quota over `period`: for each plan month and each
    /// position they held in it, their share of the position's month target
    /// by the days (or working days, or whole months) they held it, ramped
    /// when `options` carries a ramp. The months and positions come from the
    /// org's [segments](crate::org::Org::segments), so a move, a hire or a
    /// departure mid-month is prorated exactly.
    ///
    /// # Errors
    ///
    /// [`QuotaError::Org`] for a person the org never assigned;
    /// [`QuotaError::PeriodOutsidePlan`] for a period outside the plan's
    /// year; [`QuotaError::HireOutsidePeriod`] for a ramp hire date after
    /// the period; [`QuotaError::UnknownPosition`] for a position held that
    /// is not in the plan's snapshot; [`QuotaError::Calendar`] for a
    /// working-day basis over a month without working days.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::calendar::{DateRange, FiscalCalendar};
    /// use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// use salesplan::quota::{Measures, PersonQuotaOptions, QuotaPlan};
    /// use salesplan::{Currency, Money, Period, PersonId, PositionId};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let seat = PositionId::new("rep")?;
    /// let ana = PersonId::new("ana")?;
    /// let org = Org::builder()
    ///     .position(Position::new(seat.clone(), Role::SalesRep))
    ///     .line(ReportingLine::top(seat.clone(), DateRange::starting(d(1, 1))))
    ///     // Ana starts on the first of the quarter's last month.
    ///     .assignment(Assignment::new(ana.clone(), seat.clone(), DateRange::starting(d(3, 1))))
    ///     .build()?;
    /// let snapshot = org.as_of(d(1, 1))?;
    /// let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), Money::parse("1200000.00", Currency::USD)?);
    /// let targets = plan.cascade(&snapshot, &Measures::new())?;
    /// let q1 = Period::new(d(1, 1), d(4, 1))?;
    /// let quota = targets.person_quota(&ana, &q1, &PersonQuotaOptions::new())?;
    /// assert_eq!(quota.total.to_string(), "100000.00 USD"); // March only
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn person_quota(
        &self,
        person: &PersonId,
        period: &Period,
        options: &PersonQuotaOptions,
    ) -> Result<PersonQuota, QuotaError> {
        let org = self.snapshot().org();
        let year = self.splitter().year();
        if !year.overlaps(period) {
            return Err(QuotaError::PeriodOutsidePlan { period: *period });
        }
        if let Some((_, hired)) = &options.ramp
            && *hired >= period.end()
        {
            return Err(QuotaError::HireOutsidePeriod {
                hire: *hired,
                period: *period,
            });
        }
        let segments = org.segments(person, period)?;
        let currency = self.plan().target().currency();
        let money = |m: i128| {
            Money::from_minor(m, currency).map_err(|source| QuotaError::Amount { source })
        };
        let mut lines = Vec::new();
        for (m, month) in self.splitter().months().iter().enumerate() {
            let Some(month_in_period) = month.intersection(period) else {
                continue;
            };
            // Positions the person held this month, in order, once each.
            let mut positions: Vec<&PositionId> = Vec::new();
            for s in &segments {
                if s.period().overlaps(&month_in_period) && !positions.contains(&s.position()) {
                    positions.push(s.position());
                }
            }
            for position in positions {
                let node = self
                    .snapshot()
                    .node(position)
                    .map(|n| n.index())
                    .ok_or_else(|| QuotaError::UnknownPosition {
                        position: position.clone(),
                    })?;
                let target = self.month(node, m)?;
                let target_minor = target
                    .to_minor()
                    .map_err(|source| QuotaError::Amount { source })?;
                // Everyone who held the seat this month, and the vacancy.
                let holders = org.holders_during(position, month)?;
                let mut units = Vec::with_capacity(holders.len().saturating_add(1));
                let mut mine = None;
                let mut covered = 0u32;
                let mut whole = 0u32;
                for (holder, held) in &holders {
                    let p = Proration::new(month, held, options.basis, &options.work)?;
                    whole = p.total();
                    covered = covered.saturating_add(p.covered());
                    if holder == person {
                        mine = Some((*held, p));
                    }
                    units.push((Some(holder), Decimal::from(p.covered())));
                }
                if whole == 0 {
                    whole = Proration::new(month, month, options.basis, &options.work)?.total();
                }
                units.push((None, Decimal::from(whole.saturating_sub(covered))));
                let Some((held, proration)) = mine else {
                    continue;
                };
                let share = if units.iter().all(|(_, u)| u.is_zero()) {
                    0
                } else {
                    let split = Split::new(&units).map_err(|source| QuotaError::SplitPeriod {
                        period: *month,
                        source: Box::new(source),
                    })?;
                    let mut parts = Vec::new();
                    split.apply_minor(target_minor, &mut parts, None);
                    let index = units
                        .iter()
                        .position(|(h, _)| *h == Some(person))
                        .unwrap_or(usize::MAX);
                    parts.get(index).copied().unwrap_or(0)
                };
                // Only the days inside the period asked about.
                let Some(held_in_period) = held.intersection(period) else {
                    continue;
                };
                let share = if held_in_period == held {
                    share
                } else {
                    let inside =
                        Proration::new(&held, &held_in_period, options.basis, &options.work)?;
                    let pairs = [
                        (0u8, Decimal::from(inside.covered())),
                        (
                            1u8,
                            Decimal::from(inside.total().saturating_sub(inside.covered())),
                        ),
                    ];
                    match Split::new(&pairs) {
                        Ok(split) => {
                            let mut parts = Vec::new();
                            split.apply_minor(share, &mut parts, None);
                            parts.first().copied().unwrap_or(0)
                        }
                        Err(_) => 0,
                    }
                };
                let prorated = money(share)?;
                let ramp = match &options.ramp {
                    Some((ramp, hired)) => ramp.factor(*hired, &held_in_period)?,
                    None => RampFactor::FULL,
                };
                let amount = ramp.apply(prorated)?.round(options.rounding);
                lines.push(PersonQuotaLine {
                    position: position.clone(),
                    month: *month,
                    position_target: target,
                    held: held_in_period,
                    proration,
                    prorated,
                    ramp,
                    amount,
                });
            }
        }
        let total = Money::checked_sum(currency, lines.iter().map(|l| l.amount))
            .map_err(|source| QuotaError::Amount { source })?;
        let before = Money::checked_sum(currency, lines.iter().map(|l| l.prorated))
            .map_err(|source| QuotaError::Amount { source })?;
        Ok(PersonQuota {
            person: person.clone(),
            period: *period,
            lines,
            total,
            ramp_relief: before
                .checked_sub(total)
                .map_err(|source| QuotaError::Amount { source })?,
        })
    }
}
