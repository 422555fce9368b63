//! Seasonality profiles and the split of a year's target into quarters,
//! months and weeks.

use rust_decimal::Decimal;

use crate::allocation::wide::mul_div_rem;
use crate::allocation::{scaled_weights, with_sign};
use crate::calendar::{FiscalCalendar, Period, WorkCalendar};
use crate::money::{Currency, Money};
use crate::quota::QuotaError;

/// The grain a seasonality profile is given at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Grain {
    /// Four quarterly weights.
    Quarterly,
    /// Twelve monthly weights.
    Monthly,
    /// 52 or 53 weekly weights (retail calendars, whose weeks nest in
    /// months).
    Weekly,
}

/// How a quarterly profile shares each quarter among its three months: a
/// stated choice, because the months of a quarter differ in length.
///
/// Proration and the month split should agree: a person prorated by whole
/// months ([`ProrationBasis::WholeMonths`](crate::calendar::ProrationBasis::WholeMonths))
/// who holds a seat for the last month of a quarter gets exactly that
/// month's figure, which is a third of the quarter under
/// [`EqualMonths`](MonthSplit::EqualMonths) but 31/90 of a January to March
/// quarter under [`CalendarDays`](MonthSplit::CalendarDays). Pair whole-month
/// proration with equal months, day proration with calendar days, and
/// working-day proration with working days of the same calendar.
///
/// Monthly and weekly profiles give their months themselves: the choice
/// has no effect on them. Within a month, weeks always share it by days.
///
/// In JSON, `"calendar_days"`, `"equal_months"` or `{"working_days":
/// {"weekdays": [..], "holidays": [..]}}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum MonthSplit {
    /// By calendar days: 31, 28 and 31 of a 90-day quarter. The default.
    #[default]
    CalendarDays,
    /// A third each, whatever their length.
    EqualMonths,
    /// By the calendar's working days in each month.
    WorkingDays(WorkCalendar),
}

impl MonthSplit {
    /// Whether this is the default, calendar days.
    pub const fn is_calendar_days(&self) -> bool {
        matches!(self, MonthSplit::CalendarDays)
    }

    /// The month's weight within its quarter.
    fn units(&self, month: &Period) -> u128 {
        match self {
            MonthSplit::CalendarDays => days_u128(month),
            MonthSplit::EqualMonths => 1,
            MonthSplit::WorkingDays(work) => u128::from(work.working_days(month)),
        }
    }
}

/// How a year's target is spread over its periods: relative weights at one
/// grain, not necessarily normalised (`[8, 8, 10, ...]` and `[0.08, 0.08,
/// 0.10, ...]` are the same profile).
///
/// ```
/// use rust_decimal::Decimal;
/// use salesplan::quota::Seasonality;
///
/// // December twice as busy as any other month.
/// let mut months = [Decimal::ONE; 12];
/// months[11] = Decimal::TWO;
/// let profile = Seasonality::monthly(months)?;
/// assert_eq!(profile.weights()[11], Decimal::TWO);
/// assert!(Seasonality::from_weights(&[Decimal::ONE; 11]).is_err());
/// # Ok::<(), salesplan::QuotaError>(())
/// ```
///
/// # JSON
///
/// `{"weights": [..]}`, the weights as decimal strings; their number sets
/// the grain, and they are validated as by [`Seasonality::from_weights`]
/// (4, 12, 52 or 53 of them, none negative, not all zero), and
/// `"months_by"`, how a quarterly profile's quarters are shared among their
/// months ([`MonthSplit`], calendar days when left out). Unknown fields are
/// refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::quota::{Grain, Seasonality};
///
/// let back_loaded: Seasonality = serde_json::from_str(r#"{"weights": ["20", "20", "25", "35"]}"#)?;
/// assert_eq!(back_loaded.grain(), Grain::Quarterly);
/// // Eleven months are refused, as is a misspelled field.
/// let eleven = r#"{"weights": ["1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1"]}"#;
/// assert!(serde_json::from_str::<Seasonality>(eleven).is_err());
/// let err = serde_json::from_str::<Seasonality>(r#"{"weigths": ["1", "1", "1", "1"]}"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `weigths`"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawSeasonality"))]
#[cfg_attr(feature = "serde", serde(into = "RawSeasonality"))]
pub struct Seasonality {
    grain: Grain,
    weights: Vec<Decimal>,
    months: MonthSplit,
}

crate::validated::via_raw! {
    /// A profile on the wire; validated by [`Seasonality::from_weights`].
    #[derive(serde::Serialize)]
    RawSeasonality => Seasonality, QuotaError {
        #[serde(with = "crate::money::serde_dec::decimal_vec")]
        weights: Vec<Decimal>,
        #[serde(default, skip_serializing_if = "MonthSplit::is_calendar_days")]
        months_by: MonthSplit,
    } => {
        Ok(Seasonality::from_weights(&weights)?.months_by(months_by))
    }
}

#[cfg(feature = "serde")]
impl From<Seasonality> for RawSeasonality {
    fn from(s: Seasonality) -> RawSeasonality {
        RawSeasonality {
            weights: s.weights,
            months_by: s.months,
        }
    }
}

impl Seasonality {
    /// Every month alike.
    pub fn flat() -> Seasonality {
        Seasonality {
            grain: Grain::Monthly,
            weights: vec![Decimal::ONE; 12],
            months: MonthSplit::CalendarDays,
        }
    }

    /// Twelve monthly weights, in fiscal order.
    ///
    /// # Errors
    ///
    /// [`QuotaError::NegativeProfileWeight`] or [`QuotaError::ZeroProfile`].
    pub fn monthly(weights: [Decimal; 12]) -> Result<Seasonality, QuotaError> {
        Seasonality::from_weights(&weights)
    }

    /// Four quarterly weights, in fiscal order.
    ///
    /// # Errors
    ///
    /// [`QuotaError::NegativeProfileWeight`] or [`QuotaError::ZeroProfile`].
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::quota::{Grain, Seasonality};
    ///
    /// // A back-loaded year: 20/20/25/35.
    /// let profile = Seasonality::quarterly([20, 20, 25, 35].map(Decimal::from))?;
    /// assert_eq!(profile.grain(), Grain::Quarterly);
    /// assert!(Seasonality::quarterly([Decimal::ZERO; 4]).is_err());
    /// # Ok::<(), salesplan::QuotaError>(())
    /// ```
    pub fn quarterly(weights: [Decimal; 4]) -> Result<Seasonality, QuotaError> {
        Seasonality::from_weights(&weights)
    }

    /// A profile from 4 (quarterly), 12 (monthly) or 52/53 (weekly) weights.
    ///
    /// # Errors
    ///
    /// [`QuotaError::ProfileLength`] for any other count;
    /// [`QuotaError::NegativeProfileWeight`] naming the entry;
    /// [`QuotaError::ZeroProfile`] when every weight is zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::quota::{Grain, Seasonality};
    ///
    /// assert_eq!(Seasonality::from_weights(&[Decimal::ONE; 12])?.grain(), Grain::Monthly);
    /// assert_eq!(Seasonality::from_weights(&[Decimal::ONE; 53])?.grain(), Grain::Weekly);
    /// let err = Seasonality::from_weights(&[Decimal::ONE; 5]).unwrap_err();
    /// assert_eq!(err.to_string(), "a seasonality profile needs 4, 12 or 52/53 weights, not 5");
    /// # Ok::<(), salesplan::QuotaError>(())
    /// ```
    pub fn from_weights(weights: &[Decimal]) -> Result<Seasonality, QuotaError> {
        let grain = match weights.len() {
            4 => Grain::Quarterly,
            12 => Grain::Monthly,
            52 | 53 => Grain::Weekly,
            len => return Err(QuotaError::ProfileLength { len }),
        };
        if let Some((index, weight)) = weights
            .iter()
            .enumerate()
            .find(|(_, w)| w.is_sign_negative() && !w.is_zero())
        {
            return Err(QuotaError::NegativeProfileWeight {
                index,
                weight: *weight,
            });
        }
        if weights.iter().all(Decimal::is_zero) {
            return Err(QuotaError::ZeroProfile);
        }
        Ok(Seasonality {
            grain,
            weights: weights.to_vec(),
            months: MonthSplit::CalendarDays,
        })
    }

    /// A monthly profile from last year's monthly actuals (a negative month,
    /// net of returns, is an error: clamp it first if that is the policy).
    ///
    /// # Errors
    ///
    /// [`QuotaError::Amount`] when the months are in different currencies;
    /// otherwise as [`from_weights`](Seasonality::from_weights).
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::quota::Seasonality;
    /// use salesplan::{Currency, Money};
    ///
    /// // Last year: 100.00 a month, and 300.00 in the last month.
    /// let mut actuals = [Money::parse("100.00", Currency::USD)?; 12];
    /// actuals[11] = Money::parse("300.00", Currency::USD)?;
    /// let profile = Seasonality::from_actuals(&actuals)?;
    /// assert_eq!(profile.weights()[11].to_string(), "300.00");
    /// actuals[3] = Money::parse("100.00", Currency::EUR)?;
    /// assert!(Seasonality::from_actuals(&actuals).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_actuals(actuals: &[Money; 12]) -> Result<Seasonality, QuotaError> {
        if let [first, rest @ ..] = actuals
            && let Some(other) = rest.iter().find(|m| m.currency() != first.currency())
        {
            return Err(QuotaError::Amount {
                source: crate::money::MoneyError::CurrencyMismatch {
                    left: first.currency(),
                    right: other.currency(),
                },
            });
        }
        Seasonality::from_weights(&actuals.map(|m| m.amount()))
    }

    /// The grain.
    pub const fn grain(&self) -> Grain {
        self.grain
    }

    /// The weights, in fiscal order.
    pub fn weights(&self) -> &[Decimal] {
        &self.weights
    }

    /// Shares each quarter of a quarterly profile among its months by
    /// `split` (calendar days unless set).
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::quota::{MonthSplit, Seasonality, YearSplitter};
    /// use salesplan::{Currency, Money};
    ///
    /// let profile = Seasonality::quarterly([Decimal::ONE; 4])?.months_by(MonthSplit::EqualMonths);
    /// let splitter = YearSplitter::new(&FiscalCalendar::gregorian(), 2025, &profile)?;
    /// let split = splitter.split(Money::parse("1200.00", Currency::USD)?)?;
    /// // February is a third of the first quarter, not 28/90 of it.
    /// assert_eq!(split.months()[1].1.to_string(), "100.00 USD");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn months_by(mut self, split: MonthSplit) -> Seasonality {
        self.months = split;
        self
    }

    /// How a quarter is shared among its months.
    pub const fn month_split(&self) -> &MonthSplit {
        &self.months
    }
}

/// A target split over the periods of one fiscal year: quarters, months
/// and weeks that nest exactly (weeks sum to their month, months to their
/// quarter, quarters to the year), each within one minor unit of its exact
/// share of the year.
///
/// The split is cumulative: the running total at the end of every period
/// is rounded once, to the nearest minor unit (halves away from zero), and
/// each period gets the difference between its end and its start. A
/// boundary shared by a week, a month and a quarter is the same number at
/// every level, so there is one answer however the year is cut.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct YearSplit {
    year: (Period, Money),
    quarters: Vec<(Period, Money)>,
    months: Vec<(Period, Money)>,
    weeks: Vec<(Period, Money)>,
}

impl YearSplit {
    /// The year and its total.
    pub const fn year(&self) -> (Period, Money) {
        self.year
    }

    /// The four quarters.
    pub fn quarters(&self) -> &[(Period, Money)] {
        &self.quarters
    }

    /// The twelve months.
    pub fn months(&self) -> &[(Period, Money)] {
        &self.months
    }

    /// The weeks: whole weeks in a retail calendar; in a month-based one,
    /// ISO weeks cut at month ends (a week across a month end is two parts,
    /// one in each month).
    pub fn weeks(&self) -> &[(Period, Money)] {
        &self.weeks
    }
}

/// A point in the year (or a month) as an exact fraction of it:
/// `num / den`, with `0 < den` and `num <= den`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fraction {
    num: u128,
    den: u128,
}

impl Fraction {
    /// `num / den`, or an error unless `0 < den` and `num <= den`.
    fn new(num: u128, den: u128) -> Result<Fraction, QuotaError> {
        if den == 0 || num > den {
            return Err(overflow());
        }
        Ok(Fraction { num, den })
    }

    /// `magnitude × num / den` (one division), rounded to the nearest
    /// unit, halves up: at most `magnitude`.
    fn of(self, magnitude: u128) -> u128 {
        // bound: `0 < den` and `num <= den` (checked in `new`), so the
        // quotient exists and is at most `magnitude`.
        let (q, r) = mul_div_rem(magnitude, self.num, self.den).unwrap_or((magnitude, 0));
        // bound: `r < den`, so `den - r > 0`; halves and more round up.
        let up = r > 0 && r >= self.den.saturating_sub(r);
        // bound: rounding up happens only with a remainder, and then
        // `q < magnitude`, so `q + 1 <= magnitude`.
        q.saturating_add(u128::from(up))
    }
}

/// The periods of one fiscal year and where each of them ends, as an exact
/// fraction of the year under a profile: built once, applied to every
/// position's target.
#[derive(Debug, Clone)]
pub struct YearSplitter {
    year: Period,
    quarters: [Period; 4],
    months: [Period; 12],
    /// Weeks (or month-cut week parts), each with its month.
    weeks: Vec<(Period, usize)>,
    /// The fraction of the year done at the end of each month.
    month_ends: [Fraction; 12],
    /// The fraction of the year done at the end of each week.
    week_ends: Vec<Fraction>,
    /// The fraction of its month done at the end of each week (for months
    /// whose figures were set one by one).
    week_in_month: Vec<Fraction>,
}

/// Each month's span of the year: `(start, end, denominator)`, exact.
type Spans = [(u128, u128, u128); 12];

/// The year's weeks cut at month ends, each with the month it belongs to.
fn weeks_by_month(months: &[Period; 12], calendar_weeks: &[Period]) -> Vec<(Period, usize)> {
    let mut weeks = Vec::with_capacity(64);
    for (m, month) in months.iter().enumerate() {
        for w in calendar_weeks {
            if let Some(part) = w.intersection(month) {
                weeks.push((part, m));
            }
        }
    }
    weeks
}

/// Month spans from a profile of twelve monthly weights.
fn monthly_spans(weights: &[u128], total: u128) -> Result<Spans, QuotaError> {
    let mut spans = [(0u128, 0u128, 1u128); 12];
    let mut done = 0u128;
    for (span, w) in spans.iter_mut().zip(weights) {
        let end = done.checked_add(*w).ok_or_else(overflow)?;
        *span = (done, end, total);
        done = end;
    }
    Ok(spans)
}

/// Month spans from a profile of four quarterly weights, each quarter
/// shared among its months by `split`: month m of quarter k ends at
/// (Q_{k-1}·D_k + q_k·c_m) / (W·D_k), where D_k is the quarter's units
/// (days, months or working days) and c_m its units up to the month's end.
fn quarterly_spans(
    weights: &[u128],
    total: u128,
    quarters: &[Period; 4],
    months: &[Period; 12],
    split: &MonthSplit,
) -> Result<Spans, QuotaError> {
    let mut spans = [(0u128, 0u128, 1u128); 12];
    let mut before = 0u128;
    for ((three, q), (quarter, quarter_months)) in spans
        .chunks_mut(3)
        .zip(weights)
        .zip(quarters.iter().zip(months.chunks(3)))
    {
        let quarter_units = quarter_months
            .iter()
            .try_fold(0u128, |sum, m| sum.checked_add(split.units(m)))
            .ok_or_else(overflow)?;
        // A quarter that weighs nothing has nothing to share: any units do.
        let quarter_units = match (quarter_units, *q) {
            (0, 0) => 1,
            (0, _) => return Err(QuotaError::NoWorkingDays { quarter: *quarter }),
            (units, _) => units,
        };
        let den = total.checked_mul(quarter_units).ok_or_else(overflow)?;
        let base = before.checked_mul(quarter_units).ok_or_else(overflow)?;
        let mut elapsed = 0u128;
        for (span, month) in three.iter_mut().zip(quarter_months) {
            let start = q
                .checked_mul(elapsed)
                .and_then(|x| x.checked_add(base))
                .ok_or_else(overflow)?;
            elapsed = elapsed
                .checked_add(split.units(month))
                .ok_or_else(overflow)?;
            let end = q
                .checked_mul(elapsed)
                .and_then(|x| x.checked_add(base))
                .ok_or_else(overflow)?;
            *span = (start, end, den);
        }
        before = before.checked_add(*q).ok_or_else(overflow)?;
    }
    Ok(spans)
}

/// Month spans and week ends from a profile of one weight per week (weeks
/// that do not cross a month end).
fn weekly_spans(
    weeks: &[(Period, usize)],
    weights: &[u128],
    total: u128,
) -> Result<(Spans, Vec<Fraction>), QuotaError> {
    if weights.len() != weeks.len() {
        return Err(QuotaError::ProfileLength { len: weights.len() });
    }
    let mut spans = [(0u128, 0u128, 1u128); 12];
    let mut week_ends = Vec::with_capacity(weeks.len());
    let mut done = 0u128;
    let mut starts = [None; 12];
    for ((_, m), w) in weeks.iter().zip(weights) {
        let end = done.checked_add(*w).ok_or_else(overflow)?;
        if let Some(span) = spans.get_mut(*m) {
            let start = *starts
                .get(*m)
                .and_then(|s: &Option<u128>| s.as_ref())
                .unwrap_or(&done);
            if let Some(s) = starts.get_mut(*m) {
                *s = Some(start);
            }
            *span = (start, end, total);
        }
        week_ends.push(Fraction::new(end, total)?);
        done = end;
    }
    Ok((spans, week_ends))
}

/// Week ends of the year when the profile has no weekly grain: weeks share
/// their month by days, so a week part ending on day t of a D-day month
/// ends at (start·D + (end − start)·t) / (den·D).
fn week_ends_by_days(
    months: &[Period; 12],
    spans: &Spans,
    weeks: &[(Period, usize)],
) -> Result<Vec<Fraction>, QuotaError> {
    let mut week_ends = Vec::with_capacity(weeks.len());
    for (m, (month, (start, end, den))) in months.iter().zip(spans).enumerate() {
        let d = days_u128(month);
        let wide = den.checked_mul(d).ok_or_else(overflow)?;
        let mut elapsed = 0u128;
        for (part, _) in weeks.iter().filter(|(_, wm)| *wm == m) {
            elapsed = elapsed.checked_add(days_u128(part)).ok_or_else(overflow)?;
            let num = start
                .checked_mul(d)
                .zip(
                    end.checked_sub(*start)
                        .and_then(|span| span.checked_mul(elapsed)),
                )
                .and_then(|(a, b)| a.checked_add(b))
                .ok_or_else(overflow)?;
            week_ends.push(Fraction::new(num, wide)?);
        }
    }
    Ok(week_ends)
}

/// Each week's end within its own month: by the profile's weeks where they
/// weigh something, otherwise by days.
fn weeks_within_months(
    months: &[Period; 12],
    spans: &Spans,
    weeks: &[(Period, usize)],
    weights: &[u128],
    grain: Grain,
) -> Result<Vec<Fraction>, QuotaError> {
    let mut week_in_month = Vec::with_capacity(weeks.len());
    for (m, (month, (start, end, _))) in months.iter().zip(spans).enumerate() {
        let mut elapsed_days = 0u128;
        let mut elapsed_weight = 0u128;
        for ((part, _), w) in weeks
            .iter()
            .zip(weights.iter().chain(std::iter::repeat(&0)))
            .filter(|((_, wm), _)| *wm == m)
        {
            elapsed_days = elapsed_days
                .checked_add(days_u128(part))
                .ok_or_else(overflow)?;
            elapsed_weight = elapsed_weight.checked_add(*w).ok_or_else(overflow)?;
            week_in_month.push(match end.checked_sub(*start) {
                Some(span) if grain == Grain::Weekly && span > 0 => {
                    Fraction::new(elapsed_weight, span)?
                }
                _ => Fraction::new(elapsed_days, days_u128(month))?,
            });
        }
    }
    Ok(week_in_month)
}

fn overflow() -> QuotaError {
    QuotaError::Split {
        source: Box::new(crate::allocation::AllocationError::WeightsOutOfRange {
            index: 0,
            weight: Decimal::MAX,
        }),
    }
}

fn days_u128(p: &Period) -> u128 {
    u128::from(p.days())
}

impl YearSplitter {
    /// Lays out fiscal year `year` of `calendar` and works out where each
    /// period ends under `profile`. A quarterly profile's quarter is shared
    /// among its months as the profile's [`MonthSplit`] says (by calendar
    /// days unless set, so a 35-day month gets more than a 28-day one);
    /// weeks share their month by days; a weekly profile's weeks sum into
    /// months and quarters.
    ///
    /// # Errors
    ///
    /// [`QuotaError::Calendar`] for a year out of range;
    /// [`QuotaError::ProfileLength`] for a weekly profile whose length is
    /// not the year's number of weeks; [`QuotaError::WeeksCrossMonths`] for a
    /// weekly profile on a month-based calendar (its weeks cross month
    /// ends); [`QuotaError::NoWorkingDays`] for a quarter with a weight
    /// but no working day under [`MonthSplit::WorkingDays`]; [`QuotaError::Split`] for
    /// weights too large to combine exactly.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::Month;
    /// use salesplan::calendar::{FiscalCalendar, YearNaming};
    /// use salesplan::quota::{Seasonality, YearSplitter};
    ///
    /// let fiscal = FiscalCalendar::starting(Month::April, YearNaming::ByStartYear);
    /// let splitter = YearSplitter::new(&fiscal, 2025, &Seasonality::flat())?;
    /// assert_eq!(splitter.year().to_string(), "[2025-04-01, 2026-04-01)");
    /// assert_eq!(splitter.quarters()[3].to_string(), "[2026-01-01, 2026-04-01)");
    /// # Ok::<(), salesplan::QuotaError>(())
    /// ```
    pub fn new(
        calendar: &FiscalCalendar,
        year: i32,
        profile: &Seasonality,
    ) -> Result<YearSplitter, QuotaError> {
        let whole = calendar.year(year)?;
        let quarters = calendar.quarters(year)?;
        let months = calendar.months(year)?;
        let calendar_weeks = calendar.weeks(year)?;
        let weeks = weeks_by_month(&months, &calendar_weeks);
        let (weights, total) =
            scaled_weights(profile.weights.iter().copied()).map_err(|source| {
                QuotaError::Split {
                    source: Box::new(source),
                }
            })?;
        if total == 0 {
            return Err(QuotaError::ZeroProfile);
        }
        let (spans, week_ends) = match profile.grain {
            Grain::Monthly => (monthly_spans(&weights, total)?, Vec::new()),
            Grain::Quarterly => (
                quarterly_spans(&weights, total, &quarters, &months, &profile.months)?,
                Vec::new(),
            ),
            Grain::Weekly => {
                if calendar_weeks.len() != weeks.len() {
                    return Err(QuotaError::WeeksCrossMonths);
                }
                weekly_spans(&weeks, &weights, total)?
            }
        };
        let week_ends = if week_ends.is_empty() {
            week_ends_by_days(&months, &spans, &weeks)?
        } else {
            week_ends
        };
        let week_in_month = weeks_within_months(&months, &spans, &weeks, &weights, profile.grain)?;
        let mut month_ends = [Fraction { num: 1, den: 1 }; 12];
        for (slot, (_, end, den)) in month_ends.iter_mut().zip(&spans) {
            *slot = Fraction::new(*end, *den)?;
        }
        Ok(YearSplitter {
            year: whole,
            quarters,
            months,
            weeks,
            month_ends,
            week_ends,
            week_in_month,
        })
    }

    /// The year.
    pub const fn year(&self) -> Period {
        self.year
    }

    /// The quarters.
    pub const fn quarters(&self) -> &[Period; 4] {
        &self.quarters
    }

    /// The months.
    pub const fn months(&self) -> &[Period; 12] {
        &self.months
    }

    /// Differences of cumulative rounded boundaries, signed like `annual`.
    fn cut(annual: i128, ends: impl Iterator<Item = Fraction>, mut put: impl FnMut(i128)) {
        let magnitude = annual.unsigned_abs();
        let mut before = 0u128;
        for end in ends {
            let at = end.of(magnitude);
            debug_assert!(before <= at && at <= magnitude);
            // bound: the ends only grow and rounding keeps their order, so
            // `before <= at <= magnitude` and the part is at most `magnitude`.
            put(with_sign(at.saturating_sub(before), annual < 0));
            before = at;
        }
    }

    /// The twelve monthly figures of `annual` minor units, into `out`.
    pub(crate) fn months_minor(&self, annual: i128, out: &mut [i128; 12]) {
        let mut slots = out.iter_mut();
        YearSplitter::cut(annual, self.month_ends.iter().copied(), |part| {
            if let Some(slot) = slots.next() {
                *slot = part;
            }
        });
    }

    /// Splits `annual` over the year: months and weeks are cut at once from
    /// the year, quarters are their months' sums.
    ///
    /// # Errors
    ///
    /// [`QuotaError::Amount`] when `annual` is not a whole number of minor
    /// units.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::calendar::FiscalCalendar;
    /// use salesplan::quota::{Seasonality, YearSplitter};
    /// use salesplan::{Currency, Money};
    ///
    /// let profile = Seasonality::quarterly([20, 20, 25, 35].map(Decimal::from))?;
    /// let splitter = YearSplitter::new(&FiscalCalendar::gregorian(), 2025, &profile)?;
    /// let split = splitter.split(Money::parse("1000000.00", Currency::USD)?)?;
    /// let quarters: Vec<String> = split.quarters().iter().map(|(_, q)| q.to_string()).collect();
    /// assert_eq!(quarters, ["200000.00 USD", "200000.00 USD", "250000.00 USD", "350000.00 USD"]);
    /// // Within a quarter, months share it by their days: 31, 28 and 31 of 90.
    /// assert_eq!(split.months()[1].1.to_string(), "62222.22 USD");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn split(&self, annual: Money) -> Result<YearSplit, QuotaError> {
        let currency = annual.currency();
        let minor = annual
            .to_minor()
            .map_err(|source| QuotaError::Amount { source })?;
        let mut months = [0i128; 12];
        self.months_minor(minor, &mut months);
        let mut parts = Vec::with_capacity(self.weeks.len());
        YearSplitter::cut(minor, self.week_ends.iter().copied(), |p| parts.push(p));
        self.assemble(&months, &parts, currency)
    }

    /// The year built up from twelve monthly figures (in minor units of
    /// `currency`), for months set one by one (adjusted plans): quarters
    /// and the year are their sums, and each month is cut into its weeks
    /// cumulatively, by the profile's week weights or by days.
    ///
    /// # Errors
    ///
    /// [`QuotaError::SumOverflow`] for months whose quarter or year does not
    /// add up in 128 bits; [`QuotaError::Amount`] for sums beyond a
    /// `Decimal`.
    pub fn from_months(
        &self,
        months: &[i128; 12],
        currency: Currency,
    ) -> Result<YearSplit, QuotaError> {
        let mut parts = Vec::with_capacity(self.weeks.len());
        let mut shares = self.week_in_month.iter().copied();
        for (m, figure) in months.iter().enumerate() {
            let count = self.weeks.iter().filter(|(_, wm)| *wm == m).count();
            YearSplitter::cut(*figure, shares.by_ref().take(count), |p| parts.push(p));
        }
        self.assemble(months, &parts, currency)
    }

    fn assemble(
        &self,
        months: &[i128; 12],
        weeks: &[i128],
        currency: Currency,
    ) -> Result<YearSplit, QuotaError> {
        let money = |m: i128| {
            Money::from_minor(m, currency).map_err(|source| QuotaError::Amount { source })
        };
        let sum = |figures: &[i128], period: Period| {
            figures
                .iter()
                .try_fold(0i128, |a, b| a.checked_add(*b))
                .ok_or(QuotaError::SumOverflow { period })
        };
        let quarter_sums: Vec<i128> = months
            .chunks(3)
            .zip(&self.quarters)
            .map(|(three, quarter)| sum(three, *quarter))
            .collect::<Result<_, _>>()?;
        let year = sum(&quarter_sums, self.year)?;
        Ok(YearSplit {
            year: (self.year, money(year)?),
            quarters: self
                .quarters
                .iter()
                .zip(&quarter_sums)
                .map(|(p, m)| Ok((*p, money(*m)?)))
                .collect::<Result<_, QuotaError>>()?,
            months: self
                .months
                .iter()
                .zip(months)
                .map(|(p, m)| Ok((*p, money(*m)?)))
                .collect::<Result<_, QuotaError>>()?,
            weeks: self
                .weeks
                .iter()
                .zip(weeks)
                .map(|((p, _), m)| Ok((*p, money(*m)?)))
                .collect::<Result<_, QuotaError>>()?,
        })
    }
}
