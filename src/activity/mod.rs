//! Activity kinds, targets, logs and attainment: the early signal.
//!
//! Revenue shows a problem late; activity (calls, appointments) shows it
//! early. This module holds:
//!
//! - [`ActivityKind`]: built-in kinds (cold call, call, email,
//!   meeting/appointment, demo, proposal, site visit) and user-defined ones,
//!   each with a [`Unit`] (count or minutes);
//! - [`ActivityTarget`] and [`TargetPlan`]: a quantity per kind per
//!   [`Cadence`] (day, week, month), set per role and overridden per person;
//! - proration of a target for holidays and leave ([`ActivityTarget::over`],
//!   [`ProratedTarget`]), with the rounding rule below;
//! - [`ActivityEntry`] (person, kind, date, quantity), [`review`] (a week's
//!   activity against target per person, submitted or missing), the
//!   weighted [`ScoreWeights::score`], [`FunnelCounts::ratios`] and the time
//!   log's [`time_shares`];
//! - [`Ratio`]: an exact quotient, or an explicit zero denominator.
//!
//! # Proration and rounding of whole counts
//!
//! A target of `q` per cadence period (a week, say) over a cadence period
//! `C` is prorated by the working days the person is available:
//!
//! ```text
//! target(C) = round(q × available(C) / scheduled(C))
//! ```
//!
//! where `scheduled(C)` counts the days of `C` on the work calendar's
//! working weekdays (holidays ignored) and `available(C)` those that are
//! also not holidays and not within one of the person's absences. The
//! result is rounded **half away from zero to a whole unit**, once per
//! cadence period: `100 × 4/5 = 80`, `5 × 4/5 = 4`, `5 × 3/5 = 3`,
//! `3 × 1/2 = 1.5 → 2`. A period with no scheduled days has a target of 0.
//! A target over a longer span (a quarter to date) is the sum of the
//! rounded targets of the cadence periods it touches, each counted only
//! for its days within the span.
//!
//! ```
//! use chrono::NaiveDate;
//! use salesplan::activity::{ActivityKind, ActivityTarget, Cadence};
//! use salesplan::calendar::WorkCalendar;
//! use salesplan::Period;
//!
//! let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
//! let calls = ActivityTarget::new(ActivityKind::ColdCall, Cadence::Week, 100)?;
//! let meetings = ActivityTarget::new(ActivityKind::Meeting, Cadence::Week, 5)?;
//! // Good Friday 2025 is a holiday: 4 of 5 working days.
//! let work = WorkCalendar::monday_to_friday().with_holidays([d(4, 18)]);
//! let week = Period::new(d(4, 14), d(4, 21))?;
//! assert_eq!(calls.over(&week, &work, &[])?.quantity(), 80);
//! assert_eq!(meetings.over(&week, &work, &[])?.quantity(), 4);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
pub use self::error::ActivityError;

use std::fmt;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::calendar::{CalendarError, Period, WorkCalendar};
use crate::ids::PersonId;
use crate::money::MoneyError;
use crate::org::Role;

mod grid;
mod log;

pub use self::grid::WeekGrid;

pub use self::log::{
    ActivityEntry, FunnelCounts, FunnelRatios, KindLine, PersonWeek, ReviewOptions, ScoreWeights,
    TaskCategory, TimeEntry, TimeShare, TimeShares, WeekStatus, WeeklyTally, aggregate, review,
    time_shares,
};

/// What an activity is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Unit {
    /// How many times (calls, meetings).
    Count,
    /// How many minutes (time on the phone, time travelling).
    Minutes,
}

/// A kind of activity: built in, or defined by the user with its unit.
///
/// Built-in kinds are counted ([`Unit::Count`]).
///
/// In JSON a built-in kind is its snake-case name (`"cold_call"`), a custom
/// kind `{"custom": {"name": .., "unit": "count" | "minutes"}}`, with its
/// name checked as by [`ActivityKind::custom`]:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::activity::{ActivityKind, Unit};
/// let calls: ActivityKind = serde_json::from_str(r#""cold_call""#)?;
/// assert_eq!(calls, ActivityKind::ColdCall);
/// let webinar: ActivityKind =
///     serde_json::from_str(r#"{"custom": {"name": "webinar", "unit": "minutes"}}"#)?;
/// assert_eq!(webinar.unit(), Unit::Minutes);
/// // An unknown field is refused, naming it; so is a blank name.
/// let err = serde_json::from_str::<ActivityKind>(
///     r#"{"custom": {"name": "webinar", "unit": "minutes", "colour": "red"}}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("unknown field `colour`"));
/// assert!(serde_json::from_str::<ActivityKind>(r#"{"custom": {"name": " ", "unit": "count"}}"#).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum ActivityKind {
    /// A call to someone who is not yet a customer.
    ColdCall,
    /// Any other call.
    Call,
    /// An email.
    Email,
    /// A meeting or appointment with a prospect or customer.
    Meeting,
    /// A product demonstration.
    Demo,
    /// A proposal or quote sent.
    Proposal,
    /// A visit to a customer's site.
    SiteVisit,
    /// A kind the user defines (see [`ActivityKind::custom`]).
    Custom(CustomKind),
}

/// A user-defined activity kind: a name and a unit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawCustomKind"))]
pub struct CustomKind {
    name: String,
    unit: Unit,
}

crate::validated::via_raw! {
    RawCustomKind => CustomKind, ActivityError {
        name: String,
        unit: Unit,
    } => {
        match ActivityKind::custom(&name, unit)? {
            ActivityKind::Custom(c) => Ok(c),
            _ => Err(ActivityError::InvalidKindName { name }),
        }
    }
}

impl CustomKind {
    /// The kind's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its unit.
    pub const fn unit(&self) -> Unit {
        self.unit
    }
}

impl ActivityKind {
    /// Every built-in kind, in order.
    pub const BUILTIN: [ActivityKind; 7] = [
        ActivityKind::ColdCall,
        ActivityKind::Call,
        ActivityKind::Email,
        ActivityKind::Meeting,
        ActivityKind::Demo,
        ActivityKind::Proposal,
        ActivityKind::SiteVisit,
    ];

    /// A user-defined kind.
    ///
    /// # Errors
    ///
    /// [`ActivityError::InvalidKindName`] for an empty name, one with
    /// surrounding whitespace or control characters, or one longer than
    /// 64 bytes.
    ///
    /// ```
    /// use salesplan::activity::{ActivityKind, Unit};
    /// let webinar = ActivityKind::custom("webinar", Unit::Minutes)?;
    /// assert_eq!(webinar.unit(), Unit::Minutes);
    /// assert_eq!(webinar.to_string(), "webinar");
    /// assert!(ActivityKind::custom(" ", Unit::Count).is_err());
    /// # Ok::<(), salesplan::ActivityError>(())
    /// ```
    pub fn custom(name: &str, unit: Unit) -> Result<ActivityKind, ActivityError> {
        let bad = name.is_empty()
            || name.len() > 64
            || name.trim() != name
            || name.chars().any(char::is_control);
        if bad {
            return Err(ActivityError::InvalidKindName {
                name: name.to_string(),
            });
        }
        Ok(ActivityKind::Custom(CustomKind {
            name: name.to_string(),
            unit,
        }))
    }

    /// What the kind is measured in.
    pub const fn unit(&self) -> Unit {
        match self {
            ActivityKind::Custom(c) => c.unit,
            _ => Unit::Count,
        }
    }

    /// The kind's name (`"cold call"`, or a custom kind's own).
    pub fn name(&self) -> &str {
        match self {
            ActivityKind::ColdCall => "cold call",
            ActivityKind::Call => "call",
            ActivityKind::Email => "email",
            ActivityKind::Meeting => "meeting",
            ActivityKind::Demo => "demo",
            ActivityKind::Proposal => "proposal",
            ActivityKind::SiteVisit => "site visit",
            ActivityKind::Custom(c) => &c.name,
        }
    }
}

impl fmt::Display for ActivityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How often a target recurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Cadence {
    /// Every day.
    Day,
    /// Every ISO week (Monday to Sunday).
    Week,
    /// Every calendar month.
    Month,
}

impl Cadence {
    /// The cadence period containing `date`: its day, ISO week or month.
    ///
    /// # Errors
    ///
    /// [`CalendarError`] at the edges of `chrono`'s range.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::activity::Cadence;
    ///
    /// let wednesday = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    /// // The ISO week of 1 January 2025 starts on Monday 30 December 2024.
    /// assert_eq!(Cadence::Week.period_of(wednesday)?.to_string(), "[2024-12-30, 2025-01-06)");
    /// assert_eq!(Cadence::Month.period_of(wednesday)?.to_string(), "[2025-01-01, 2025-02-01)");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn period_of(self, date: NaiveDate) -> Result<Period, CalendarError> {
        match self {
            Cadence::Day => Period::day(date),
            Cadence::Week => {
                let w = date.iso_week();
                Period::iso_week(w.year(), w.week())
            }
            Cadence::Month => Period::month(date.year(), date.month()),
        }
    }

    /// The cadence periods that overlap `span`, in order.
    fn periods(self, span: &Period) -> Result<Vec<Period>, CalendarError> {
        let mut out = Vec::new();
        let mut at = span.start();
        while at < span.end() {
            let p = self.period_of(at)?;
            at = p.end();
            out.push(p);
        }
        Ok(out)
    }
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Cadence::Day => "day",
            Cadence::Week => "week",
            Cadence::Month => "month",
        })
    }
}

/// An exact quotient, or a zero denominator reported as such (never
/// divided by): attainment, pace, shares of time, funnel ratios.
///
/// ```
/// use rust_decimal::Decimal;
/// use salesplan::activity::Ratio;
///
/// let r = Ratio::of(Decimal::from(80), Decimal::from(100))?;
/// assert_eq!(r.value(), Some("0.8".parse()?));
/// assert_eq!(r.to_string(), "80%");
/// let none = Ratio::of(Decimal::from(3), Decimal::ZERO)?;
/// assert_eq!(none.value(), None);
/// assert_eq!(none.to_string(), "n/a (3 over zero)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub enum Ratio {
    /// `numerator / denominator` (1 is 100%), exact when it terminates,
    /// else to 28 decimal places.
    Value(#[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))] Decimal),
    /// The denominator is zero.
    ZeroDenominator {
        /// The numerator, kept for display.
        #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
        numerator: Decimal,
    },
}

impl Ratio {
    /// `numerator / denominator`, or [`Ratio::ZeroDenominator`].
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`] when the quotient exceeds a `Decimal`.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::activity::Ratio;
    ///
    /// let third = Ratio::of(Decimal::ONE, Decimal::from(3))?;
    /// assert_eq!(third.to_string(), "33.33%");
    /// let none_expected = Ratio::of(Decimal::from(12), Decimal::ZERO)?;
    /// assert_eq!(none_expected.value(), None);
    /// assert_eq!(none_expected.to_string(), "n/a (12 over zero)");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of(numerator: Decimal, denominator: Decimal) -> Result<Ratio, MoneyError> {
        if denominator.is_zero() {
            return Ok(Ratio::ZeroDenominator { numerator });
        }
        crate::money::div(numerator, denominator).map(Ratio::Value)
    }

    /// [`Ratio::of`] for counts.
    ///
    /// # Errors
    ///
    /// As [`Ratio::of`].
    pub fn of_counts(numerator: u64, denominator: u64) -> Result<Ratio, MoneyError> {
        Ratio::of(Decimal::from(numerator), Decimal::from(denominator))
    }

    /// The quotient, unless the denominator was zero.
    pub const fn value(&self) -> Option<Decimal> {
        match self {
            Ratio::Value(v) => Some(*v),
            Ratio::ZeroDenominator { .. } => None,
        }
    }
}

impl fmt::Display for Ratio {
    /// Percent to two decimal places (display only), or "n/a".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ratio::Value(r) => match r.checked_mul(Decimal::ONE_HUNDRED) {
                Some(p) => write!(f, "{}%", p.round_dp(2).normalize()),
                None => write!(f, "{r}x"),
            },
            Ratio::ZeroDenominator { numerator } => write!(f, "n/a ({numerator} over zero)"),
        }
    }
}

/// A quantity of one kind to do per cadence period: "100 cold calls per
/// week".
///
/// In JSON, `{"kind": .., "cadence": "day" | "week" | "month", "quantity":
/// ..}`; the quantity is checked as by [`ActivityTarget::new`] (above zero,
/// within `u32`):
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::activity::{ActivityKind, ActivityTarget, Cadence};
/// let calls: ActivityTarget =
///     serde_json::from_str(r#"{"kind": "cold_call", "cadence": "week", "quantity": 100}"#)?;
/// assert_eq!((calls.kind(), calls.cadence(), calls.quantity()), (&ActivityKind::ColdCall, Cadence::Week, 100));
/// // An unknown field is refused, naming it; so is a target of zero.
/// let err = serde_json::from_str::<ActivityTarget>(
///     r#"{"kind": "cold_call", "cadence": "week", "quantity": 100, "per": "rep"}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("unknown field `per`"));
/// let err = serde_json::from_str::<ActivityTarget>(r#"{"kind": "call", "cadence": "week", "quantity": 0}"#)
///     .unwrap_err();
/// assert!(err.to_string().contains("targets are above zero"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawTarget"))]
pub struct ActivityTarget {
    kind: ActivityKind,
    cadence: Cadence,
    quantity: u32,
}

crate::validated::via_raw! {
    RawTarget => ActivityTarget, ActivityError {
        kind: ActivityKind,
        cadence: Cadence,
        quantity: i64,
    }
}

impl ActivityTarget {
    /// `quantity` of `kind` per `cadence` period.
    ///
    /// # Errors
    ///
    /// [`ActivityError::NonPositiveTarget`] for a quantity of zero or less
    /// (leave the kind out instead), or one beyond `u32`.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::activity::{ActivityKind, ActivityTarget, Cadence};
    /// use salesplan::ActivityError;
    ///
    /// let demos = ActivityTarget::new(ActivityKind::Demo, Cadence::Month, 8)?;
    /// assert_eq!((demos.cadence(), demos.quantity()), (Cadence::Month, 8));
    /// let err = ActivityTarget::new(ActivityKind::Demo, Cadence::Month, 0).unwrap_err();
    /// assert!(matches!(err, ActivityError::NonPositiveTarget { quantity: 0, .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        kind: ActivityKind,
        cadence: Cadence,
        quantity: i64,
    ) -> Result<ActivityTarget, ActivityError> {
        match u32::try_from(quantity) {
            Ok(q) if q > 0 => Ok(ActivityTarget {
                kind,
                cadence,
                quantity: q,
            }),
            _ => Err(ActivityError::NonPositiveTarget { kind, quantity }),
        }
    }

    /// The kind.
    pub const fn kind(&self) -> &ActivityKind {
        &self.kind
    }

    /// The cadence.
    pub const fn cadence(&self) -> Cadence {
        self.cadence
    }

    /// The full quantity per cadence period.
    pub const fn quantity(&self) -> u32 {
        self.quantity
    }

    /// The target over `span`, prorated for holidays (from `work`) and the
    /// person's `absences`, per the rule in the [module docs](self): per
    /// cadence period touched, `round_half_away(quantity × available /
    /// scheduled)`, summed. Each proration multiplies before it divides, in
    /// whole numbers, so `quantity() × scheduled == full × available`
    /// whenever the division is exact.
    ///
    /// # Errors
    ///
    /// [`ActivityError::Calendar`] at the edges of `chrono`'s range;
    /// [`ActivityError::Overflow`] for totals beyond `u64` (days beyond
    /// `u32`).
    ///
    /// # Examples
    ///
    /// A week of 100 cold calls for a rep away on Monday and Tuesday:
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::activity::{ActivityKind, ActivityTarget, Cadence};
    /// use salesplan::calendar::WorkCalendar;
    /// use salesplan::Period;
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let calls = ActivityTarget::new(ActivityKind::ColdCall, Cadence::Week, 100)?;
    /// let week = Period::new(d(4, 7), d(4, 14))?;
    /// let away = [Period::new(d(4, 7), d(4, 9))?];
    /// let target = calls.over(&week, &WorkCalendar::monday_to_friday(), &away)?;
    /// assert_eq!(target.quantity(), 60);
    /// assert_eq!(target.to_string(), "100 cold call per week × 3/5 days = 60");
    /// // A span that touches two weeks counts each week's days within it.
    /// let fortnight_middle = Period::new(d(4, 10), d(4, 16))?;
    /// assert_eq!(calls.over(&fortnight_middle, &WorkCalendar::monday_to_friday(), &[])?.quantity(), 80);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn over(
        &self,
        span: &Period,
        work: &WorkCalendar,
        absences: &[Period],
    ) -> Result<ProratedTarget, ActivityError> {
        let overflow = |what| move || ActivityError::Overflow { what };
        // The weekday mask alone: scheduled days ignore holidays.
        let weekdays = WorkCalendar::new(work.weekdays())?;
        let mut total: u64 = 0;
        let mut available: u32 = 0;
        let mut scheduled: u32 = 0;
        for c in self.cadence.periods(span)? {
            let sched = weekdays.working_days(&c);
            let avail = match c.intersection(span) {
                Some(part) => available_days(work, &part, absences)?,
                None => 0,
            };
            let part = prorate(self.quantity, avail, sched).ok_or_else(overflow("target"))?;
            total = total.checked_add(part).ok_or_else(overflow("target"))?;
            available = available
                .checked_add(avail)
                .ok_or_else(overflow("available days"))?;
            scheduled = scheduled
                .checked_add(sched)
                .ok_or_else(overflow("scheduled days"))?;
        }
        Ok(ProratedTarget {
            target: self.clone(),
            span: *span,
            available_days: available,
            scheduled_days: scheduled,
            quantity: total,
        })
    }
}

/// Working days of `work` in `period` outside every absence.
///
/// # Errors
///
/// [`ActivityError::Overflow`] beyond `u32` days (not reachable within
/// `chrono`'s range, kept for a checked path).
pub(crate) fn available_days(
    work: &WorkCalendar,
    period: &Period,
    absences: &[Period],
) -> Result<u32, ActivityError> {
    let days = period
        .iter_days()
        .filter(|d| work.is_working_day(*d) && !absences.iter().any(|a| a.contains(*d)))
        .count();
    u32::try_from(days).map_err(|_| ActivityError::Overflow {
        what: "available days",
    })
}

/// `round_half_away(quantity × available / scheduled)`, multiplying
/// first: `(2 × quantity × available + scheduled) / (2 × scheduled)` in
/// whole numbers (all non-negative); 0 without scheduled days. `None` only
/// if the quotient does not fit a `u64`, which `available <= scheduled`
/// rules out.
pub(crate) fn prorate(quantity: u32, available: u32, scheduled: u32) -> Option<u64> {
    if scheduled == 0 {
        return Some(0);
    }
    let num = u128::from(quantity)
        .checked_mul(u128::from(available))?
        .checked_mul(2)?
        .checked_add(u128::from(scheduled))?;
    let den = u128::from(scheduled).checked_mul(2)?;
    u64::try_from(num.checked_div(den)?).ok()
}

/// A target over a span, prorated: how it was worked out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ProratedTarget {
    target: ActivityTarget,
    span: Period,
    available_days: u32,
    scheduled_days: u32,
    quantity: u64,
}

impl ProratedTarget {
    /// The full target.
    pub const fn target(&self) -> &ActivityTarget {
        &self.target
    }

    /// The span.
    pub const fn span(&self) -> Period {
        self.span
    }

    /// Working days the person was available within the span.
    pub const fn available_days(&self) -> u32 {
        self.available_days
    }

    /// Scheduled days of the cadence periods touched (weekday mask only).
    pub const fn scheduled_days(&self) -> u32 {
        self.scheduled_days
    }

    /// The prorated quantity, rounded per the module's rule.
    pub const fn quantity(&self) -> u64 {
        self.quantity
    }
}

impl fmt::Display for ProratedTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} per {} × {}/{} days = {}",
            self.target.quantity,
            self.target.kind,
            self.target.cadence,
            self.available_days,
            self.scheduled_days,
            self.quantity
        )
    }
}

/// Activity targets set per role and overridden per person, one per kind.
///
/// ```
/// use salesplan::activity::{ActivityKind, ActivityTarget, Cadence, TargetPlan};
/// use salesplan::org::Role;
/// use salesplan::PersonId;
///
/// let ana = PersonId::new("ana")?;
/// let plan = TargetPlan::new()
///     .role(Role::SalesRep, ActivityTarget::new(ActivityKind::ColdCall, Cadence::Week, 100)?)
///     .role(Role::SalesRep, ActivityTarget::new(ActivityKind::Meeting, Cadence::Week, 5)?)
///     .person(ana.clone(), ActivityTarget::new(ActivityKind::ColdCall, Cadence::Week, 60)?);
/// let ana_targets = plan.targets(&Role::SalesRep, &ana);
/// assert_eq!(ana_targets.iter().map(|t| t.quantity()).collect::<Vec<_>>(), [60, 5]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// In JSON, `{"roles": [[role, target], ..], "people": [[person, target],
/// ..]}`, either list optional (empty). Each target is checked as by
/// [`ActivityTarget::new`], and a role or person given two targets for one
/// kind is refused ([`ActivityError::DuplicateRoleTarget`],
/// [`ActivityError::DuplicatePersonTarget`]) instead of keeping one of
/// them:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::activity::TargetPlan;
/// use salesplan::org::Role;
/// use salesplan::PersonId;
///
/// let plan: TargetPlan = serde_json::from_str(r#"{
///     "roles": [
///         ["sales_rep", {"kind": "cold_call", "cadence": "week", "quantity": 100}],
///         ["sales_rep", {"kind": "meeting", "cadence": "week", "quantity": 5}]
///     ],
///     "people": [["ana", {"kind": "cold_call", "cadence": "week", "quantity": 60}]]
/// }"#)?;
/// let ana = plan.targets(&Role::SalesRep, &PersonId::new("ana")?);
/// assert_eq!(ana.iter().map(|t| t.quantity()).collect::<Vec<_>>(), [60, 5]);
/// // An unknown field is refused, naming it; so is a kind targeted twice.
/// let err = serde_json::from_str::<TargetPlan>(r#"{"role": []}"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `role`"));
/// let twice = r#"{"roles": [
///     ["sales_rep", {"kind": "call", "cadence": "week", "quantity": 10}],
///     ["sales_rep", {"kind": "call", "cadence": "day", "quantity": 2}]
/// ]}"#;
/// let err = serde_json::from_str::<TargetPlan>(twice).unwrap_err();
/// assert!(err.to_string().contains("two targets for call"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawTargetPlan"))]
pub struct TargetPlan {
    /// By role, then kind; one per (role, kind).
    roles: Vec<(Role, ActivityTarget)>,
    /// By person, then kind; one per (person, kind).
    people: Vec<(PersonId, ActivityTarget)>,
}

crate::validated::via_raw! {
    RawTargetPlan => TargetPlan, ActivityError {
        #[serde(default)]
        roles: Vec<(Role, ActivityTarget)>,
        #[serde(default)]
        people: Vec<(PersonId, ActivityTarget)>,
    } => {
        // The plan the builder methods would give, refusing a second target
        // for one role (or person) and kind where they would replace it.
        let mut roles = roles;
        roles.sort_by(|a, b| (&a.0, &a.1.kind).cmp(&(&b.0, &b.1.kind)));
        if let Some([(role, target), _]) = roles
            .windows(2)
            .find(|w| matches!(w, [a, b] if a.0 == b.0 && a.1.kind == b.1.kind))
        {
            return Err(ActivityError::DuplicateRoleTarget {
                role: role.clone(),
                kind: target.kind.clone(),
            });
        }
        let mut people = people;
        people.sort_by(|a, b| (&a.0, &a.1.kind).cmp(&(&b.0, &b.1.kind)));
        if let Some([(person, target), _]) = people
            .windows(2)
            .find(|w| matches!(w, [a, b] if a.0 == b.0 && a.1.kind == b.1.kind))
        {
            return Err(ActivityError::DuplicatePersonTarget {
                person: person.clone(),
                kind: target.kind.clone(),
            });
        }
        Ok(TargetPlan { roles, people })
    }
}

impl TargetPlan {
    /// No targets.
    pub fn new() -> TargetPlan {
        TargetPlan::default()
    }

    /// Sets `role`'s target for the target's kind (replacing an earlier one).
    #[must_use]
    pub fn role(mut self, role: Role, target: ActivityTarget) -> TargetPlan {
        self.roles
            .retain(|(r, t)| !(r == &role && t.kind == target.kind));
        self.roles.push((role, target));
        self.roles
            .sort_by(|a, b| (&a.0, &a.1.kind).cmp(&(&b.0, &b.1.kind)));
        self
    }

    /// Overrides `person`'s target for the target's kind.
    #[must_use]
    pub fn person(mut self, person: PersonId, target: ActivityTarget) -> TargetPlan {
        self.people
            .retain(|(p, t)| !(p == &person && t.kind == target.kind));
        self.people.push((person, target));
        self.people
            .sort_by(|a, b| (&a.0, &a.1.kind).cmp(&(&b.0, &b.1.kind)));
        self
    }

    /// The targets of `person` in `role`, one per kind, sorted by kind:
    /// the role's, each replaced by the person's override for its kind,
    /// plus the person's overrides for kinds the role has none for.
    ///
    /// # Examples
    ///
    /// A person's override replaces the role's target for its kind, and a kind
    /// only the person has is added:
    ///
    /// ```
    /// use salesplan::activity::{ActivityKind, ActivityTarget, Cadence, TargetPlan};
    /// use salesplan::org::Role;
    /// use salesplan::PersonId;
    ///
    /// let ana = PersonId::new("ana")?;
    /// let plan = TargetPlan::new()
    ///     .role(Role::SalesRep, ActivityTarget::new(ActivityKind::Call, Cadence::Day, 20)?)
    ///     .person(ana.clone(), ActivityTarget::new(ActivityKind::Call, Cadence::Day, 12)?)
    ///     .person(ana.clone(), ActivityTarget::new(ActivityKind::SiteVisit, Cadence::Week, 2)?);
    /// let targets: Vec<String> = plan.targets(&Role::SalesRep, &ana).iter()
    ///     .map(|t| format!("{} {} per {}", t.quantity(), t.kind(), t.cadence())).collect();
    /// assert_eq!(targets, ["12 call per day", "2 site visit per week"]);
    /// // Someone else in the role gets the role's targets.
    /// assert_eq!(plan.targets(&Role::SalesRep, &PersonId::new("bo")?)[0].quantity(), 20);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn targets(&self, role: &Role, person: &PersonId) -> Vec<ActivityTarget> {
        let mut out: Vec<ActivityTarget> = self
            .people
            .iter()
            .filter(|(p, _)| p == person)
            .map(|(_, t)| t.clone())
            .collect();
        for (r, t) in &self.roles {
            if r == role && !out.iter().any(|o| o.kind == t.kind) {
                out.push(t.clone());
            }
        }
        out.sort_by(|a, b| a.kind.cmp(&b.kind));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prorate_rounds_half_away_from_zero() {
        assert_eq!(prorate(100, 4, 5), Some(80));
        assert_eq!(prorate(5, 4, 5), Some(4));
        assert_eq!(prorate(5, 3, 5), Some(3));
        assert_eq!(prorate(3, 1, 2), Some(2));
        assert_eq!(prorate(1, 1, 3), Some(0));
        assert_eq!(prorate(7, 0, 0), Some(0));
        assert_eq!(
            prorate(u32::MAX, u32::MAX, u32::MAX),
            Some(u64::from(u32::MAX))
        );
    }
}
