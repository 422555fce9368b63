//! A person's quota: the targets of the positions they held, for the days
//! they held them, ramped while they are new.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::plan::QuotaTargets;
use super::ramp::{Ramp, RampFactor};
use crate::allocation::Split;
use crate::calendar::{Period, Proration, ProrationBasis, WorkCalendar};
use crate::ids::{PersonId, PositionId};
use crate::money::{Money, RoundingPolicy};
use crate::quota::QuotaError;

/// How a person's quota is worked out: what proration counts, which days
/// are worked, and the ramp for a new hire.
///
/// # JSON
///
/// Every field may be left out and defaults as [`PersonQuotaOptions::new`]
/// does: `basis` `"calendar_days"`, `work` Monday to Friday without
/// holidays, `ramp` none (else `[ramp, hire date]`), `rounding`
/// `"half_away_from_zero"`. Unknown fields are refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use chrono::NaiveDate;
/// use salesplan::calendar::ProrationBasis;
/// use salesplan::quota::{PersonQuotaOptions, Ramp};
///
/// let options: PersonQuotaOptions = serde_json::from_str(r#"{
///     "basis": "working_days",
///     "ramp": [{"steps": ["0%", "50%"]}, "2025-03-17"]
/// }"#)?;
/// let hired = NaiveDate::from_ymd_opt(2025, 3, 17).unwrap();
/// let ramp = Ramp::new(["0%", "50%"].map(|p| p.parse().unwrap()));
/// assert_eq!(
///     options,
///     PersonQuotaOptions::new().basis(ProrationBasis::WorkingDays).ramp(ramp, hired)
/// );
/// assert_eq!(serde_json::from_str::<PersonQuotaOptions>("{}")?, PersonQuotaOptions::new());
/// let err = serde_json::from_str::<PersonQuotaOptions>(r#"{"rounding_policy": "half_even"}"#)
///     .unwrap_err();
/// assert!(err.to_string().contains("unknown field `rounding_policy`"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default, deny_unknown_fields))]
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
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct PersonQuotaLine {
    /// The position held.
    pub position: PositionId,
    /// The plan month.
    pub month: Period,
    /// The position's target for that month.
    pub position_target: Money,
    /// The stretches of the month the person held the seat, within the
    /// period asked about (usually one).
    pub held: Vec<Period>,
    /// Those stretches as a share of the month, counted by the basis.
    pub proration: Proration,
    /// Their share of the month's target. The month's target is split, in
    /// one largest-remainder step, among everyone who held the seat that
    /// month (the person's days outside the period counted apart) and the
    /// vacancy, so the parts always add up to the target.
    pub prorated: Money,
    /// The ramp over the stretches held.
    pub ramp: RampFactor,
    /// What the person carries: the prorated share times the ramp, rounded
    /// once with `rounding`.
    pub amount: Money,
    /// How the ramped amount was rounded.
    pub rounding: RoundingPolicy,
}

impl fmt::Display for PersonQuotaLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let held: Vec<String> = self
            .held
            .iter()
            .map(|p| format!("{} to {}", p.start(), p.last_day()))
            .collect();
        write!(
            f,
            "{} (held {}): {} of {}'s {} = {}",
            self.month.start().format("%Y-%m"),
            held.join(", "),
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
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
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
    /// working-day basis over a month without working days;
    /// [`QuotaError::HeldUnits`] if the org's stretches for a seat add up
    /// to more than its month; [`QuotaError::RampDaysOverflow`] and
    /// [`QuotaError::Amount`] for a ramp beyond its types.
    ///
    /// # Examples
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
                if let Some(line) = self.line(person, position, m, month, period, options)? {
                    lines.push(line);
                }
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

/// Merges back-to-back stretches (a contract change on the same seat).
fn merged(mut stretches: Vec<Period>) -> Vec<Period> {
    stretches.sort();
    let mut out: Vec<Period> = Vec::with_capacity(stretches.len());
    for p in stretches {
        match out.last_mut() {
            Some(last) if last.end() >= p.start() => {
                *last = Period::new(last.start(), last.end().max(p.end())).unwrap_or(*last);
            }
            _ => out.push(p),
        }
    }
    out
}

impl QuotaTargets<'_> {
    /// The person's line for one seat and one plan month, if they held it
    /// within the period.
    fn line(
        &self,
        person: &PersonId,
        position: &PositionId,
        m: usize,
        month: &Period,
        period: &Period,
        options: &PersonQuotaOptions,
    ) -> Result<Option<PersonQuotaLine>, QuotaError> {
        let org = self.snapshot().org();
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
        let units = MonthUnits {
            position,
            month,
            options,
            total: Proration::new(month, month, options.basis, &options.work)?.total(),
        };
        let by_person = holders_by_person(org.holders_during(position, month)?);
        let shared = SeatMonth::new(person, &by_person, period, &units)?;
        if shared.held_in_period.is_empty() {
            return Ok(None);
        }
        let share = shared.share_of(person, target_minor, month)?;
        let prorated = Money::from_minor(share, target.currency())
            .map_err(|source| QuotaError::Amount { source })?;
        let ramp = match &options.ramp {
            Some((ramp, hired)) => ramp.factor_over(*hired, &shared.held_in_period)?,
            None => RampFactor::FULL,
        };
        let amount = ramp.apply(prorated)?.round(options.rounding);
        Ok(Some(PersonQuotaLine {
            position: position.clone(),
            month: *month,
            position_target: target,
            held: shared.held_in_period,
            proration: Proration::from_units(shared.inside_units, units.total, options.basis),
            prorated,
            ramp,
            amount,
            rounding: options.rounding,
        }))
    }
}

/// Everyone who held a seat in a month, with their stretches, in order of
/// first holding.
fn holders_by_person(held: Vec<(PersonId, Period)>) -> Vec<(PersonId, Vec<Period>)> {
    let mut by_person: Vec<(PersonId, Vec<Period>)> = Vec::new();
    for (holder, stretch) in held {
        match by_person.iter_mut().find(|(p, _)| *p == holder) {
            Some((_, stretches)) => stretches.push(stretch),
            None => by_person.push((holder, vec![stretch])),
        }
    }
    by_person
}

/// The units (days or working days) of one month of one seat.
struct MonthUnits<'a> {
    position: &'a PositionId,
    month: &'a Period,
    options: &'a PersonQuotaOptions,
    /// The month's units.
    total: u32,
}

impl MonthUnits<'_> {
    /// Stretches that add up to more than the month (nobody holds a seat
    /// twice on one day, so this is never returned for a valid org).
    fn held_units(&self) -> QuotaError {
        QuotaError::HeldUnits {
            position: self.position.clone(),
            month: *self.month,
            total: self.total,
        }
    }

    /// The units a list of stretches covers.
    fn of(&self, stretches: &[Period]) -> Result<u32, QuotaError> {
        stretches.iter().try_fold(0u32, |acc, p| {
            let more =
                Proration::new(self.month, p, self.options.basis, &self.options.work)?.covered();
            acc.checked_add(more)
                .filter(|sum| *sum <= self.total)
                .ok_or_else(|| self.held_units())
        })
    }
}

/// How one month of a seat is shared: the person's units inside the period
/// (part 0) and outside it (part 1), everyone else's units, and the
/// vacancy.
struct SeatMonth<'p> {
    recipients: Vec<((Option<&'p PersonId>, u8), Decimal)>,
    /// The person's stretches inside the period.
    held_in_period: Vec<Period>,
    /// Their units.
    inside_units: u32,
}

impl<'p> SeatMonth<'p> {
    fn new(
        person: &PersonId,
        by_person: &'p [(PersonId, Vec<Period>)],
        period: &Period,
        units: &MonthUnits<'_>,
    ) -> Result<SeatMonth<'p>, QuotaError> {
        let mut out = SeatMonth {
            recipients: Vec::new(),
            held_in_period: Vec::new(),
            inside_units: 0,
        };
        let mut covered = 0u32;
        for (holder, stretches) in by_person {
            let stretches = merged(stretches.clone());
            let all = units.of(&stretches)?;
            covered = covered
                .checked_add(all)
                .filter(|sum| *sum <= units.total)
                .ok_or_else(|| units.held_units())?;
            if holder == person {
                out.held_in_period = stretches
                    .iter()
                    .filter_map(|p| p.intersection(period))
                    .collect();
                out.inside_units = units.of(&out.held_in_period)?;
                // The days inside the period are some of all the days held.
                let outside = all
                    .checked_sub(out.inside_units)
                    .ok_or_else(|| units.held_units())?;
                out.recipients
                    .push(((Some(holder), 0), Decimal::from(out.inside_units)));
                out.recipients
                    .push(((Some(holder), 1), Decimal::from(outside)));
            } else {
                out.recipients.push(((Some(holder), 0), Decimal::from(all)));
            }
        }
        // `covered <= units.total`, checked as it was added up.
        let vacant = units
            .total
            .checked_sub(covered)
            .ok_or_else(|| units.held_units())?;
        out.recipients.push(((None, 0), Decimal::from(vacant)));
        Ok(out)
    }

    /// The person's share of `target_minor` for their units inside the
    /// period.
    fn share_of(
        &self,
        person: &PersonId,
        target_minor: i128,
        month: &Period,
    ) -> Result<i128, QuotaError> {
        if self.recipients.iter().all(|(_, u)| u.is_zero()) {
            return Ok(0);
        }
        let split = Split::new(&self.recipients).map_err(|source| QuotaError::SplitPeriod {
            period: *month,
            source: Box::new(source),
        })?;
        let mut parts = Vec::new();
        split.apply_minor(target_minor, &mut parts, None);
        // The person is a recipient (their part 0), so the fallback is
        // never taken.
        Ok(self
            .recipients
            .iter()
            .zip(parts)
            .find(|(((h, part), _), _)| *h == Some(person) && *part == 0)
            .map_or(0, |(_, share)| share))
    }
}
