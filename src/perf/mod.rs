//! Performance evaluation: attainment, pacing, status bands, ranking,
//! escalation and team progress.
//!
//! Everything here is a function of data handed in, as of a date handed
//! in: the library reads no clock and decides nothing; it reports what the
//! figures and the policies given to it say.
//!
//! - [`attainment`]: actual / target for any measure, exactly; a zero
//!   target is a [`Ratio::ZeroDenominator`], never a division;
//! - [`PaceCurve`] and [`pace`]: expected-to-date from elapsed working days
//!   or a seasonality profile, pace = actual / expected, projection by run
//!   rate;
//! - [`StatusBands`]: on track / at risk / behind, from revenue pace and
//!   activity attainment together (the worse of the two);
//! - [`rank`]: ranks with ties shared, percentiles and quartiles, within
//!   any peer groups;
//! - [`EscalationPolicy`]: consecutive misses to coaching, warning,
//!   improvement plan, as data, giving the [`ActionDue`]s with their
//!   reasons;
//! - [`TeamProgress`]: every manager's team report as of a date, rolled up
//!   the whole org in one pass.
//!
//! ```
//! use chrono::NaiveDate;
//! use rust_decimal::Decimal;
//! use salesplan::calendar::WorkCalendar;
//! use salesplan::perf::{pace, PaceCurve, Status, StatusBands};
//! use salesplan::Period;
//!
//! let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
//! let work = WorkCalendar::monday_to_friday();
//! // 20% of the quarter's quota in January, 20% in February, 60% in March.
//! let months = [(Period::month(2025, 1)?, Decimal::from(20)),
//!               (Period::month(2025, 2)?, Decimal::from(20)),
//!               (Period::month(2025, 3)?, Decimal::from(60))];
//! let seasonal = PaceCurve::weighted(months, work.clone())?;
//! // Halfway through February, a rep at 45% of quota.
//! let p = pace(Decimal::from(100), Decimal::from(45), &seasonal, d(2, 14))?;
//! assert_eq!(p.expected, Decimal::from(30));
//! assert_eq!(p.pace.to_string(), "150%");
//! assert_eq!(StatusBands::default().status(&p.pace, None), Status::OnTrack);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::calendar::{Period, WorkCalendar};
use crate::error::{MoneyError, PerfError};

mod escalation;
mod rank;
mod team;

pub use self::escalation::{
    Action, ActionDue, EscalationPolicy, EscalationRule, Figure, PeriodKind, PeriodResult,
};
pub use self::rank::{Ranked, TenureBands, rank, rank_within};
pub use self::team::{
    KindTotals, MAX_REPORT_KINDS, MemberRow, ProgressOptions, TeamProgress, TeamReport,
    period_targets,
};
pub use crate::activity::Ratio;

fn overflow(what: &'static str) -> impl Fn(MoneyError) -> PerfError {
    move |_| PerfError::Overflow { what }
}

/// Attainment of any measure (revenue, margin, units, activities):
/// `actual / target` exactly; a zero target gives
/// [`Ratio::ZeroDenominator`]. A negative actual (net returns) gives a
/// negative ratio. For money, [`crate::money::Attainment`] does the same
/// with currencies checked.
///
/// # Errors
///
/// [`PerfError::NegativeTarget`] for a target below zero;
/// [`PerfError::Overflow`] beyond a `Decimal`.
///
/// ```
/// use rust_decimal::Decimal;
/// use salesplan::perf::attainment;
/// assert_eq!(attainment(Decimal::from(45), Decimal::from(60))?.to_string(), "75%");
/// assert_eq!(attainment(Decimal::from(5), Decimal::ZERO)?.value(), None);
/// # Ok::<(), salesplan::PerfError>(())
/// ```
pub fn attainment(actual: Decimal, target: Decimal) -> Result<Ratio, PerfError> {
    if target.is_sign_negative() && !target.is_zero() {
        return Err(PerfError::NegativeTarget { target });
    }
    Ratio::of(actual, target).map_err(overflow("attainment"))
}

/// How a target is expected to accrue over its period: parts (months, or
/// the whole period) each weighted by its share of the target, and within
/// each part linearly by elapsed working days.
///
/// Use [`PaceCurve::working_days`] for an even pace, and
/// [`PaceCurve::weighted`] with the quota's monthly figures (from
/// [`crate::quota::YearSplit::months`], or the seasonality profile's
/// weights) for a seasonal one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "RawCurve")
)]
pub struct PaceCurve {
    parts: Vec<CurvePart>,
    work: WorkCalendar,
    total: CurveWeight,
    period: Period,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
struct CurvePart {
    period: Period,
    weight: CurveWeight,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(transparent)
)]
struct CurveWeight(
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::decimal_str"))] Decimal,
);

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct RawCurve {
    parts: Vec<CurvePart>,
    work: WorkCalendar,
}

#[cfg(feature = "serde")]
impl TryFrom<RawCurve> for PaceCurve {
    type Error = PerfError;
    fn try_from(raw: RawCurve) -> Result<PaceCurve, PerfError> {
        PaceCurve::weighted(
            raw.parts.into_iter().map(|p| (p.period, p.weight.0)),
            raw.work,
        )
    }
}

impl PaceCurve {
    /// An even pace over `period`: expected-to-date is the share of its
    /// working days elapsed.
    pub fn working_days(period: Period, work: WorkCalendar) -> PaceCurve {
        PaceCurve {
            parts: vec![CurvePart {
                period,
                weight: CurveWeight(Decimal::ONE),
            }],
            work,
            total: CurveWeight(Decimal::ONE),
            period,
        }
    }

    /// A seasonal pace: `parts` are back-to-back periods (the months of a
    /// quarter, say) with their weights (their targets, or profile
    /// weights); the curve's period runs from the first part's start to the
    /// last part's end.
    ///
    /// # Errors
    ///
    /// [`PerfError::EmptyCurve`] without parts;
    /// [`PerfError::CurveGap`] for parts not back to back;
    /// [`PerfError::NegativeWeight`]; [`PerfError::ZeroWeights`] when they
    /// sum to zero.
    pub fn weighted(
        parts: impl IntoIterator<Item = (Period, Decimal)>,
        work: WorkCalendar,
    ) -> Result<PaceCurve, PerfError> {
        let parts: Vec<CurvePart> = parts
            .into_iter()
            .map(|(period, weight)| CurvePart {
                period,
                weight: CurveWeight(weight),
            })
            .collect();
        if parts.is_empty() {
            return Err(PerfError::EmptyCurve);
        }
        let mut total = Decimal::ZERO;
        let mut previous: Option<Period> = None;
        for p in &parts {
            if p.weight.0.is_sign_negative() && !p.weight.0.is_zero() {
                return Err(PerfError::NegativeWeight {
                    period: p.period,
                    weight: p.weight.0,
                });
            }
            if let Some(prev) = previous
                && prev.end() != p.period.start()
            {
                return Err(PerfError::CurveGap {
                    before: prev,
                    after: p.period,
                });
            }
            previous = Some(p.period);
            total = crate::money::add(total, p.weight.0).map_err(overflow("curve"))?;
        }
        if total.is_zero() {
            return Err(PerfError::ZeroWeights);
        }
        let period = match (parts.first(), parts.last()) {
            (Some(a), Some(b)) => {
                Period::new(a.period.start(), b.period.end()).map_err(|_| PerfError::EmptyCurve)?
            }
            _ => return Err(PerfError::EmptyCurve),
        };
        Ok(PaceCurve {
            parts,
            work,
            total: CurveWeight(total),
            period,
        })
    }

    /// A seasonal pace from a target's monthly figures (for example
    /// [`crate::quota::YearSplit::months`] of the quota plan): the months
    /// within `period`, weighted by their amounts.
    ///
    /// # Errors
    ///
    /// As [`weighted`](Self::weighted), and [`PerfError::NotWholeMonths`]
    /// unless the months within `period` cover it exactly.
    pub fn from_months(
        months: &[(Period, crate::money::Money)],
        period: &Period,
        work: WorkCalendar,
    ) -> Result<PaceCurve, PerfError> {
        let parts: Vec<(Period, Decimal)> = months
            .iter()
            .filter(|(m, _)| period.encloses(m))
            .map(|(m, amount)| (*m, amount.amount()))
            .collect();
        let covered = parts
            .iter()
            .fold(0u32, |n, (m, _)| n.saturating_add(m.days()));
        if covered != period.days() {
            return Err(PerfError::NotWholeMonths { period: *period });
        }
        PaceCurve::weighted(parts, work)
    }

    /// The period the curve covers.
    pub const fn period(&self) -> Period {
        self.period
    }

    /// The share of the target expected by the end of `as_of` (so on the
    /// period's last day it is 1): the weights of the parts already over,
    /// plus each current part's weight times its elapsed working days (or
    /// calendar days, for a part without working days), over the total.
    ///
    /// # Errors
    ///
    /// [`PerfError::AsOfOutsidePeriod`] for a date outside the period;
    /// [`PerfError::Overflow`].
    pub fn expected_fraction(&self, as_of: NaiveDate) -> Result<Decimal, PerfError> {
        let period = self.period();
        if !period.contains(as_of) {
            return Err(PerfError::AsOfOutsidePeriod { as_of, period });
        }
        let through = as_of.succ_opt().unwrap_or(as_of);
        let mut expected = Decimal::ZERO;
        for p in &self.parts {
            let part = p.period;
            let share = if part.end() <= through {
                Decimal::ONE
            } else if part.start() >= through {
                Decimal::ZERO
            } else {
                let elapsed = Period::new(part.start(), through).unwrap_or(part);
                let (num, den) = match self.work.working_days(&part) {
                    0 => (elapsed.days(), part.days()),
                    w => (self.work.working_days(&elapsed), w),
                };
                crate::money::div(Decimal::from(num), Decimal::from(den))
                    .map_err(overflow("expected"))?
            };
            let add = crate::money::mul(p.weight.0, share).map_err(overflow("expected"))?;
            expected = crate::money::add(expected, add).map_err(overflow("expected"))?;
        }
        crate::money::div(expected, self.total.0).map_err(overflow("expected"))
    }
}

/// Pacing of one figure against its target as of a date.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Pacing {
    /// The period.
    pub period: Period,
    /// The as-of date.
    pub as_of: NaiveDate,
    /// The target for the whole period.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::decimal_str"))]
    pub target: Decimal,
    /// The actual to date.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::decimal_str"))]
    pub actual: Decimal,
    /// Share of the target expected by now (1 is all of it).
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::decimal_str"))]
    pub expected_fraction: Decimal,
    /// `target × expected_fraction`.
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::decimal_str"))]
    pub expected: Decimal,
    /// `actual / target`.
    pub attainment: Ratio,
    /// `actual / expected`; a zero denominator before anything is expected.
    pub pace: Ratio,
    /// Projection to the period's end at the run rate so far:
    /// `actual / expected_fraction` (a zero denominator before anything is
    /// expected).
    pub projection: Ratio,
}

impl fmt::Display for Pacing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} of {} as of {}: attainment {}, expected {} so far, pace {}",
            self.actual, self.target, self.as_of, self.attainment, self.expected, self.pace
        )?;
        if let Some(p) = self.projection.value() {
            write!(f, ", projected {}", p.round_dp(2).normalize())?;
        }
        Ok(())
    }
}

/// Pacing of `actual` against `target` over `curve`'s period as of
/// `as_of` (inclusive).
///
/// # Errors
///
/// [`PerfError::AsOfOutsidePeriod`]; [`PerfError::NegativeTarget`];
/// [`PerfError::Overflow`].
pub fn pace(
    target: Decimal,
    actual: Decimal,
    curve: &PaceCurve,
    as_of: NaiveDate,
) -> Result<Pacing, PerfError> {
    let fraction = curve.expected_fraction(as_of)?;
    let attained = attainment(actual, target)?;
    let expected = crate::money::mul(target, fraction).map_err(overflow("expected"))?;
    Ok(Pacing {
        period: curve.period(),
        as_of,
        target,
        actual,
        expected_fraction: fraction,
        expected,
        attainment: attained,
        pace: Ratio::of(actual, expected).map_err(overflow("pace"))?,
        projection: Ratio::of(actual, fraction).map_err(overflow("projection"))?,
    })
}

/// Where someone stands, worst first (so `Behind < AtRisk < OnTrack`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
pub enum Status {
    /// Below the at-risk threshold.
    Behind,
    /// At or above the at-risk threshold, below on-track.
    AtRisk,
    /// At or above the on-track threshold.
    OnTrack,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Behind => "behind",
            Status::AtRisk => "at risk",
            Status::OnTrack => "on track",
        })
    }
}

/// Status thresholds, as fractions of pace (1 is 100%): on track at or
/// above `on_track`, at risk at or above `at_risk`, behind below.
///
/// Revenue pace and activity attainment are banded with the same
/// thresholds and the worse band wins, so a rep whose activity dropped is
/// at risk while revenue still looks fine. A zero denominator (nothing
/// expected yet, no activity target) does not pull the status down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "RawBands")
)]
pub struct StatusBands {
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::decimal_str"))]
    on_track: Decimal,
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::decimal_str"))]
    at_risk: Decimal,
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct RawBands {
    #[serde(with = "crate::serde_util::decimal_str")]
    on_track: Decimal,
    #[serde(with = "crate::serde_util::decimal_str")]
    at_risk: Decimal,
}

#[cfg(feature = "serde")]
impl TryFrom<RawBands> for StatusBands {
    type Error = PerfError;
    fn try_from(raw: RawBands) -> Result<StatusBands, PerfError> {
        StatusBands::new(raw.on_track, raw.at_risk)
    }
}

impl Default for StatusBands {
    /// On track at 100% of pace, at risk at 85%.
    fn default() -> StatusBands {
        StatusBands {
            on_track: Decimal::ONE,
            at_risk: Decimal::try_new(85, 2).unwrap_or(Decimal::ZERO),
        }
    }
}

impl StatusBands {
    /// Thresholds as fractions (`1` and `0.85` for 100% and 85%).
    ///
    /// # Errors
    ///
    /// [`PerfError::ThresholdsOutOfOrder`] unless `0 <= at_risk < on_track`.
    pub fn new(on_track: Decimal, at_risk: Decimal) -> Result<StatusBands, PerfError> {
        if at_risk.is_sign_negative() && !at_risk.is_zero() || at_risk >= on_track {
            return Err(PerfError::ThresholdsOutOfOrder { on_track, at_risk });
        }
        Ok(StatusBands { on_track, at_risk })
    }

    /// The on-track threshold.
    pub const fn on_track(&self) -> Decimal {
        self.on_track
    }

    /// The at-risk threshold.
    pub const fn at_risk(&self) -> Decimal {
        self.at_risk
    }

    /// The band of one ratio (a zero denominator is on track).
    pub fn band(&self, ratio: &Ratio) -> Status {
        match ratio.value() {
            None => Status::OnTrack,
            Some(v) if v >= self.on_track => Status::OnTrack,
            Some(v) if v >= self.at_risk => Status::AtRisk,
            Some(_) => Status::Behind,
        }
    }

    /// The status from revenue pace and, if given, activity attainment:
    /// the worse of their bands.
    pub fn status(&self, pace: &Ratio, activity: Option<&Ratio>) -> Status {
        let revenue = self.band(pace);
        activity.map_or(revenue, |a| revenue.min(self.band(a)))
    }
}
