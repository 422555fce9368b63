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

mod error;
pub use self::error::PerfError;

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::calendar::{Period, WorkCalendar};
use crate::money::MoneyError;

mod escalation;
mod rank;
mod team;

pub use self::escalation::{
    Action, ActionDue, EscalationPolicy, EscalationRule, Figure, PeriodKind, PeriodResult,
};
pub use self::rank::{Ranked, TenureBands, rank, rank_within};

pub use self::team::{
    KindTotals, MAX_REPORT_KINDS, MemberRow, ProgressOptions, TeamProgress, TeamReport,
    period_targets, targets_in,
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
///
/// The share expected by a date is kept as one exact fraction (whole parts
/// done plus the current part's elapsed working days, over the total), and
/// [`pace`] applies it to a target by multiplying first and dividing once:
/// exact inputs give exact expected-to-date, pace and projection.
///
/// # JSON
///
/// A curve is its parts and its working-day calendar; the parts are
/// validated as by [`PaceCurve::weighted`] (at least one, back to back,
/// weights not negative and not all zero). Unknown fields are refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use chrono::NaiveDate;
/// use salesplan::perf::PaceCurve;
///
/// let json = r#"{
///     "parts": [
///         {"period": {"start": "2025-01-01", "end": "2025-02-01"}, "weight": "20"},
///         {"period": {"start": "2025-02-01", "end": "2025-03-01"}, "weight": "20"},
///         {"period": {"start": "2025-03-01", "end": "2025-04-01"}, "weight": "60"}
///     ],
///     "work": {"weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri"], "holidays": []}
/// }"#;
/// let curve: PaceCurve = serde_json::from_str(json)?;
/// let end_of_february = NaiveDate::from_ymd_opt(2025, 2, 28).unwrap();
/// assert_eq!(curve.expected_fraction(end_of_february)?, "0.4".parse::<rust_decimal::Decimal>()?);
/// // Parts that are not back to back are refused.
/// let gap = json.replace("2025-02-01\", \"end\": \"2025-03-01", "2025-02-02\", \"end\": \"2025-03-01");
/// assert!(serde_json::from_str::<PaceCurve>(&gap).is_err());
/// // So is an unknown field, by name.
/// let typo = json.replace("\"weight\": \"60\"", "\"wieght\": \"60\"");
/// let err = serde_json::from_str::<PaceCurve>(&typo).unwrap_err();
/// assert!(err.to_string().contains("unknown field `wieght`"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawCurve", into = "RawCurve"))]
pub struct PaceCurve {
    parts: Vec<CurvePart>,
    work: WorkCalendar,
    total: CurveWeight,
    period: Period,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
struct CurvePart {
    period: Period,
    weight: CurveWeight,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
struct CurveWeight(#[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))] Decimal);

crate::validated::via_raw! {
    /// A curve on the wire: its parts and its calendar (the total and the
    /// period follow from the parts).
    #[derive(serde::Serialize)]
    RawCurve => PaceCurve, PerfError {
        parts: Vec<CurvePart>,
        work: WorkCalendar,
    } => {
        PaceCurve::weighted(
            parts.into_iter().map(|p| (p.period, p.weight.0)),
            work,
        )
    }
}

#[cfg(feature = "serde")]
impl From<PaceCurve> for RawCurve {
    fn from(curve: PaceCurve) -> RawCurve {
        RawCurve {
            parts: curve.parts,
            work: curve.work,
        }
    }
}

/// The share of a target expected by a date, as one exact fraction
/// `num / den` (`den > 0`): applying it multiplies first and divides once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Share {
    num: Decimal,
    den: Decimal,
}

impl Share {
    /// `num / den` (exact when it terminates, else to 28 places).
    pub(crate) fn fraction(self) -> Result<Decimal, PerfError> {
        crate::money::div(self.num, self.den).map_err(overflow("expected"))
    }

    /// `value × num / den`: the expected part of `value`.
    pub(crate) fn of(self, value: Decimal) -> Result<Decimal, PerfError> {
        crate::money::mul(value, self.num)
            .and_then(|x| crate::money::div(x, self.den))
            .map_err(overflow("expected"))
    }

    /// Pace: `actual / (target × num / den)`, computed as
    /// `actual × den / (target × num)`; a zero denominator (nothing
    /// expected yet) keeps `actual` as its numerator.
    pub(crate) fn pace(self, actual: Decimal, target: Decimal) -> Result<Ratio, PerfError> {
        let expected = crate::money::mul(target, self.num).map_err(overflow("pace"))?;
        scaled_ratio(actual, self.den, expected, "pace")
    }

    /// Projection at the run rate: `actual / (num / den)`, computed as
    /// `actual × den / num`.
    pub(crate) fn projection(self, actual: Decimal) -> Result<Ratio, PerfError> {
        scaled_ratio(actual, self.den, self.num, "projection")
    }
}

/// `actual × scale / denominator`, one division; a zero denominator gives
/// [`Ratio::ZeroDenominator`] naming `actual`.
fn scaled_ratio(
    actual: Decimal,
    scale: Decimal,
    denominator: Decimal,
    what: &'static str,
) -> Result<Ratio, PerfError> {
    if denominator.is_zero() {
        return Ok(Ratio::ZeroDenominator { numerator: actual });
    }
    crate::money::mul(actual, scale)
        .and_then(|x| crate::money::div(x, denominator))
        .map(Ratio::Value)
        .map_err(overflow(what))
}

impl PaceCurve {
    /// An even pace over `period`: expected-to-date is the share of its
    /// working days elapsed.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use rust_decimal::Decimal;
    /// use salesplan::calendar::WorkCalendar;
    /// use salesplan::perf::PaceCurve;
    /// use salesplan::Period;
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// // Two working weeks; the first ends on Friday 10 January.
    /// let fortnight = Period::new(d(1, 6), d(1, 20))?;
    /// let curve = PaceCurve::working_days(fortnight, WorkCalendar::monday_to_friday());
    /// assert_eq!(curve.expected_fraction(d(1, 10))?, Decimal::new(5, 1));
    /// assert_eq!(curve.expected_fraction(d(1, 12))?, Decimal::new(5, 1)); // the weekend adds nothing
    /// assert_eq!(curve.period(), fortnight);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::calendar::WorkCalendar;
    /// use salesplan::perf::{PaceCurve, PerfError};
    /// use salesplan::Period;
    ///
    /// let work = WorkCalendar::monday_to_friday();
    /// let jan_and_mar = [(Period::month(2025, 1)?, Decimal::ONE), (Period::month(2025, 3)?, Decimal::ONE)];
    /// let err = PaceCurve::weighted(jan_and_mar, work.clone()).unwrap_err();
    /// assert!(matches!(err, PerfError::CurveGap { .. }));
    /// let nothing = [(Period::month(2025, 1)?, Decimal::ZERO)];
    /// assert!(matches!(PaceCurve::weighted(nothing, work).unwrap_err(), PerfError::ZeroWeights));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
    ///
    /// # Examples
    ///
    /// A quarter weighted by its months' targets:
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use rust_decimal::Decimal;
    /// use salesplan::calendar::WorkCalendar;
    /// use salesplan::perf::{PaceCurve, PerfError};
    /// use salesplan::{Currency, Money, Period};
    ///
    /// let usd = |s: &str| Money::parse(s, Currency::USD).unwrap();
    /// let months = [
    ///     (Period::month(2025, 1)?, usd("10000.00")),
    ///     (Period::month(2025, 2)?, usd("10000.00")),
    ///     (Period::month(2025, 3)?, usd("30000.00")),
    ///     (Period::month(2025, 4)?, usd("20000.00")),
    /// ];
    /// let q1 = Period::new(Period::month(2025, 1)?.start(), Period::month(2025, 4)?.start())?;
    /// let curve = PaceCurve::from_months(&months, &q1, WorkCalendar::monday_to_friday())?;
    /// let end_of_february = NaiveDate::from_ymd_opt(2025, 2, 28).unwrap();
    /// assert_eq!(curve.expected_fraction(end_of_february)?, Decimal::new(4, 1));
    /// // A period that splits a month is refused.
    /// let mid = Period::new(q1.start(), NaiveDate::from_ymd_opt(2025, 2, 15).unwrap())?;
    /// let err = PaceCurve::from_months(&months, &mid, WorkCalendar::monday_to_friday()).unwrap_err();
    /// assert!(matches!(err, PerfError::NotWholeMonths { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
            .try_fold(0u32, |n, (m, _)| n.checked_add(m.days()))
            .ok_or(PerfError::Overflow { what: "curve" })?;
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
    /// plus the current part's weight times its elapsed working days (or
    /// calendar days, for a part without working days), over the total.
    ///
    /// The share is worked out as one fraction and divided once, so it is
    /// exact whenever it terminates (20 of 60 working days is not
    /// `0.333…`, but [`pace`] never uses this rounded form: it applies the
    /// fraction to the target by multiplying first).
    ///
    /// # Errors
    ///
    /// [`PerfError::AsOfOutsidePeriod`] for a date outside the period;
    /// [`PerfError::Overflow`].
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use rust_decimal::Decimal;
    /// use salesplan::calendar::WorkCalendar;
    /// use salesplan::perf::{PaceCurve, PerfError};
    /// use salesplan::Period;
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let q1 = Period::new(d(1, 1), d(4, 1))?;
    /// let work = WorkCalendar::monday_to_friday().with_holidays([d(1, 1)]);
    /// let curve = PaceCurve::working_days(q1, work);
    /// // 22 of the quarter's 63 working days are in January.
    /// assert_eq!(curve.expected_fraction(d(1, 31))?.round_dp(4).to_string(), "0.3492");
    /// assert_eq!(curve.expected_fraction(d(3, 31))?, Decimal::ONE);
    /// let err = curve.expected_fraction(d(4, 1)).unwrap_err();
    /// assert!(matches!(err, PerfError::AsOfOutsidePeriod { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn expected_fraction(&self, as_of: NaiveDate) -> Result<Decimal, PerfError> {
        self.expected_share(as_of)?.fraction()
    }

    /// The share expected by the end of `as_of`, as an exact fraction:
    /// with `F` the weights of the parts over, `w` the current part's
    /// weight, `e` of its `d` working days elapsed, and `W` the total, it
    /// is `(F × d + w × e) / (W × d)`.
    /// The working-day calendar.
    pub(crate) const fn work(&self) -> &WorkCalendar {
        &self.work
    }

    pub(crate) fn expected_share(&self, as_of: NaiveDate) -> Result<Share, PerfError> {
        let period = self.period();
        if !period.contains(as_of) {
            return Err(PerfError::AsOfOutsidePeriod { as_of, period });
        }
        // `as_of` is before the period's end, so it has a next day.
        let through = as_of.succ_opt().unwrap_or(as_of);
        let mut done = Decimal::ZERO;
        let mut current = None;
        for p in &self.parts {
            let part = p.period;
            if part.end() <= through {
                done = crate::money::add(done, p.weight.0).map_err(overflow("expected"))?;
            } else if part.start() < through {
                // The one part `as_of` falls in, before its last day.
                let elapsed = Period::new(part.start(), through).unwrap_or(part);
                let (elapsed, days) = match self.work.working_days(&part) {
                    0 => (elapsed.days(), part.days()),
                    w => (self.work.working_days(&elapsed), w),
                };
                current = Some((p.weight.0, elapsed, days));
            }
        }
        let Some((weight, elapsed, days)) = current else {
            return Ok(Share {
                num: done,
                den: self.total.0,
            });
        };
        let (elapsed, days) = (Decimal::from(elapsed), Decimal::from(days));
        let whole = crate::money::mul(done, days).map_err(overflow("expected"))?;
        let part = crate::money::mul(weight, elapsed).map_err(overflow("expected"))?;
        Ok(Share {
            num: crate::money::add(whole, part).map_err(overflow("expected"))?,
            den: crate::money::mul(self.total.0, days).map_err(overflow("expected"))?,
        })
    }
}

/// Pacing of one figure against its target as of a date.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Pacing {
    /// The period.
    pub period: Period,
    /// The as-of date.
    pub as_of: NaiveDate,
    /// The target for the whole period.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub target: Decimal,
    /// The actual to date.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub actual: Decimal,
    /// Share of the target expected by now (1 is all of it).
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub expected_fraction: Decimal,
    /// `target × expected_fraction`, multiplied before it is divided.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub expected: Decimal,
    /// `actual / target`.
    pub attainment: Ratio,
    /// `actual / expected`, with one division; a zero denominator before
    /// anything is expected.
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
/// `as_of` (inclusive). The expected share is applied as one fraction,
/// multiplying first: expected-to-date is `target × num / den`, pace
/// `actual × den / (target × num)` and projection `actual × den / num`, so
/// each is exact whenever its one division is.
///
/// ```
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
/// use salesplan::calendar::WorkCalendar;
/// use salesplan::perf::{pace, PaceCurve};
/// use salesplan::Period;
///
/// // 60 working days from Monday 3 March 2025; the 20th is 28 March.
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let quarter = Period::new(d(3, 3), d(5, 24))?;
/// let curve = PaceCurve::working_days(quarter, WorkCalendar::monday_to_friday());
/// let p = pace("300000.00".parse()?, Decimal::from(90_000), &curve, d(3, 28))?;
/// assert_eq!(p.expected, Decimal::from(100_000));
/// assert_eq!(p.pace.value(), Some("0.9".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
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
    let share = curve.expected_share(as_of)?;
    let attained = attainment(actual, target)?;
    Ok(Pacing {
        period: curve.period(),
        as_of,
        target,
        actual,
        expected_fraction: share.fraction()?,
        expected: share.of(target)?,
        attainment: attained,
        pace: share.pace(actual, target)?,
        projection: share.projection(actual)?,
    })
}

/// Where someone stands, worst first (so `Behind < AtRisk < OnTrack`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
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
///
/// # JSON
///
/// Both thresholds are required, as decimal strings, and validated as by
/// [`StatusBands::new`] (`0 <= at_risk < on_track`). Unknown fields are
/// refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::perf::StatusBands;
/// let bands: StatusBands = serde_json::from_str(r#"{"on_track": "1", "at_risk": "0.85"}"#)?;
/// assert_eq!(bands.at_risk().to_string(), "0.85");
/// // Thresholds out of order are refused.
/// assert!(serde_json::from_str::<StatusBands>(r#"{"on_track": "0.8", "at_risk": "0.9"}"#).is_err());
/// // An unknown field is refused, naming it.
/// let err = serde_json::from_str::<StatusBands>(r#"{"on_track": "1", "at_rsk": "0.85"}"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `at_rsk`"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawBands"))]
pub struct StatusBands {
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    on_track: Decimal,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    at_risk: Decimal,
}

crate::validated::via_raw! {
    RawBands => StatusBands, PerfError {
        #[serde(with = "crate::money::dec")]
        on_track: Decimal,
        #[serde(with = "crate::money::dec")]
        at_risk: Decimal,
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
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::perf::{PerfError, Status, StatusBands};
    /// use salesplan::activity::Ratio;
    ///
    /// let bands = StatusBands::new(Decimal::new(95, 2), Decimal::new(75, 2))?;
    /// assert_eq!(bands.band(&Ratio::Value(Decimal::new(80, 2))), Status::AtRisk);
    /// let err = StatusBands::new(Decimal::new(75, 2), Decimal::new(95, 2)).unwrap_err();
    /// assert!(matches!(err, PerfError::ThresholdsOutOfOrder { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
    ///
    /// # Examples
    ///
    /// Revenue on pace, activity lagging: the worse band wins.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::activity::Ratio;
    /// use salesplan::perf::{Status, StatusBands};
    ///
    /// let bands = StatusBands::default(); // on track at 100%, at risk at 85%
    /// let pace = Ratio::Value(Decimal::new(110, 2));
    /// let activity = Ratio::Value(Decimal::new(60, 2));
    /// assert_eq!(bands.status(&pace, None), Status::OnTrack);
    /// assert_eq!(bands.status(&pace, Some(&activity)), Status::Behind);
    /// // Nothing expected yet does not pull the status down.
    /// let nothing_expected = Ratio::ZeroDenominator { numerator: Decimal::ZERO };
    /// assert_eq!(bands.status(&nothing_expected, None), Status::OnTrack);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn status(&self, pace: &Ratio, activity: Option<&Ratio>) -> Status {
        self.status_and_driver(pace, activity).0
    }

    /// The status, as [`status`](Self::status), and what drove it.
    ///
    /// Revenue decides unless activity's band is worse. A projection at the
    /// run rate against the target is `pace` itself (`actual / share` over
    /// `target` is `actual` over `share × target`), so it bands exactly as
    /// the pace does and is reported as [`StatusDriver::Pace`].
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::activity::Ratio;
    /// use salesplan::perf::{Status, StatusBands, StatusDriver};
    ///
    /// let bands = StatusBands::default();
    /// let pace = Ratio::Value(Decimal::new(90, 2));
    /// let calls = Ratio::Value(Decimal::new(60, 2));
    /// assert_eq!(bands.status_and_driver(&pace, None), (Status::AtRisk, StatusDriver::Pace));
    /// assert_eq!(bands.status_and_driver(&pace, Some(&calls)), (Status::Behind, StatusDriver::Activity));
    /// let nothing = Ratio::ZeroDenominator { numerator: Decimal::ZERO };
    /// assert_eq!(bands.status_and_driver(&nothing, None), (Status::OnTrack, StatusDriver::NothingExpectedYet));
    /// ```
    pub fn status_and_driver(
        &self,
        pace: &Ratio,
        activity: Option<&Ratio>,
    ) -> (Status, StatusDriver) {
        let revenue = self.band(pace);
        match activity.map(|a| self.band(a)) {
            Some(band) if band < revenue => (band, StatusDriver::Activity),
            _ if pace.value().is_none() => (revenue, StatusDriver::NothingExpectedYet),
            _ => (revenue, StatusDriver::Pace),
        }
    }
}

/// What decided a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum StatusDriver {
    /// Revenue pace: actual against expected to date (equivalently, the
    /// projection at the run rate against the target).
    #[default]
    Pace,
    /// Activity attainment, whose band was worse than revenue pace's.
    Activity,
    /// Nothing was expected yet (pace has a zero denominator): on track by
    /// default, unless activity is worse.
    NothingExpectedYet,
}

impl fmt::Display for StatusDriver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StatusDriver::Pace => "revenue pace",
            StatusDriver::Activity => "activity",
            StatusDriver::NothingExpectedYet => "nothing expected yet",
        })
    }
}
