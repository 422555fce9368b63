//! Seasonality profiles and the split of a year's target into quarters,
//! months and weeks.

use rust_decimal::Decimal;

use crate::allocation::Split;
use crate::calendar::{FiscalCalendar, Period};
use crate::error::QuotaError;
use crate::money::Money;

/// The grain a seasonality profile is given at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "RawSeasonality", into = "RawSeasonality")
)]
pub struct Seasonality {
    grain: Grain,
    weights: Vec<Decimal>,
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct RawSeasonality {
    #[serde(with = "crate::serde_util::decimal_vec")]
    weights: Vec<Decimal>,
}

#[cfg(feature = "serde")]
impl TryFrom<RawSeasonality> for Seasonality {
    type Error = QuotaError;
    fn try_from(raw: RawSeasonality) -> Result<Seasonality, QuotaError> {
        Seasonality::from_weights(&raw.weights)
    }
}

#[cfg(feature = "serde")]
impl From<Seasonality> for RawSeasonality {
    fn from(s: Seasonality) -> RawSeasonality {
        RawSeasonality { weights: s.weights }
    }
}

impl Seasonality {
    /// Every month alike.
    pub fn flat() -> Seasonality {
        Seasonality {
            grain: Grain::Monthly,
            weights: vec![Decimal::ONE; 12],
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
        })
    }

    /// A monthly profile from last year's monthly actuals (a negative month,
    /// net of returns, is an error: clamp it first if that is the policy).
    ///
    /// # Errors
    ///
    /// As [`from_weights`](Seasonality::from_weights).
    pub fn from_actuals(actuals: &[Money; 12]) -> Result<Seasonality, QuotaError> {
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
}

/// A target split over the periods of one fiscal year. Every level is
/// allocated from the level above by largest remainder, top down (year,
/// quarters, months, weeks), so each level sums exactly to its parent and
/// there is one answer: splitting the year "straight to months" and
/// "through quarters" are the same computation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

/// The periods of one fiscal year and the prepared splits of a profile over
/// them: built once, applied to every position's target.
#[derive(Debug, Clone)]
pub struct YearSplitter {
    year: Period,
    quarters: [Period; 4],
    months: [Period; 12],
    /// Weeks (or month-cut week parts), each with its month.
    weeks: Vec<(Period, usize)>,
    /// Year -> quarters.
    to_quarters: Split,
    /// Quarter -> its three months.
    to_months: [Split; 4],
    /// Month -> its weeks.
    to_weeks: Vec<Split>,
}

fn days(p: &Period) -> Decimal {
    Decimal::from(p.days())
}

fn by_days(periods: &[Period]) -> Vec<Decimal> {
    periods.iter().map(days).collect()
}

fn split_of(weights: &[Decimal]) -> Result<Split, QuotaError> {
    let pairs: Vec<(usize, Decimal)> = weights.iter().copied().enumerate().collect();
    Split::new(&pairs).map_err(|source| QuotaError::Split {
        source: Box::new(source),
    })
}

impl YearSplitter {
    /// Lays out fiscal year `year` of `calendar` and prepares `profile` over
    /// it. Within a profile's unit, finer periods share it in proportion to
    /// their length in days (a quarterly profile gives a 35-day month more
    /// than a 28-day one); a weekly profile's weeks sum into months and
    /// quarters.
    ///
    /// # Errors
    ///
    /// [`QuotaError::Calendar`] for a year out of range;
    /// [`QuotaError::ProfileLength`] for a weekly profile whose length is
    /// not the year's number of weeks, or a weekly profile on a month-based
    /// calendar (its weeks cross month ends); [`QuotaError::Split`] when a
    /// unit's weights are all zero where something must be split (a quarter
    /// whose weeks all weigh zero).
    pub fn new(
        calendar: &FiscalCalendar,
        year: i32,
        profile: &Seasonality,
    ) -> Result<YearSplitter, QuotaError> {
        let whole = calendar.year(year)?;
        let quarters = calendar.quarters(year)?;
        let months = calendar.months(year)?;
        // Weeks cut at month ends, each with the month it belongs to.
        let mut weeks = Vec::with_capacity(64);
        let calendar_weeks = calendar.weeks(year)?;
        for (m, month) in months.iter().enumerate() {
            for w in &calendar_weeks {
                if let Some(part) = w.intersection(month) {
                    weeks.push((part, m));
                }
            }
        }
        let nested = calendar_weeks.len() == weeks.len();
        let sum = |ws: &[Decimal]| ws.iter().fold(Decimal::ZERO, |a, b| a.saturating_add(*b));
        // Weights of the quarters, of the months within each quarter, and
        // of the weeks within each month: all exact, no division.
        let (quarter_weights, month_weights, week_weights): (
            Vec<Decimal>,
            Vec<Decimal>,
            Vec<Decimal>,
        ) = match profile.grain {
            Grain::Quarterly => (
                profile.weights.clone(),
                months.iter().map(days).collect(),
                weeks.iter().map(|(p, _)| days(p)).collect(),
            ),
            Grain::Monthly => (
                profile.weights.chunks(3).map(sum).collect(),
                profile.weights.clone(),
                weeks.iter().map(|(p, _)| days(p)).collect(),
            ),
            Grain::Weekly => {
                if !nested || profile.weights.len() != weeks.len() {
                    return Err(QuotaError::ProfileLength {
                        len: profile.weights.len(),
                    });
                }
                let mut month_weights = vec![Decimal::ZERO; 12];
                for ((_, m), w) in weeks.iter().zip(&profile.weights) {
                    if let Some(slot) = month_weights.get_mut(*m) {
                        *slot = slot.saturating_add(*w);
                    }
                }
                (
                    month_weights.chunks(3).map(sum).collect(),
                    month_weights,
                    profile.weights.clone(),
                )
            }
        };
        let to_quarters = split_of(&quarter_weights)?;
        let mut to_months = Vec::with_capacity(4);
        for (three, three_months) in month_weights.chunks(3).zip(months.chunks(3)) {
            // A quarter whose months all weigh zero gets nothing, but still
            // needs a split: by days.
            if three.iter().all(Decimal::is_zero) {
                to_months.push(split_of(&by_days(three_months))?);
            } else {
                to_months.push(split_of(three)?);
            }
        }
        let to_months: [Split; 4] = to_months
            .try_into()
            .map_err(|_| QuotaError::ProfileLength { len: 4 })?;
        let mut to_weeks = Vec::with_capacity(12);
        for (m, month) in months.iter().enumerate() {
            let mine: Vec<Decimal> = weeks
                .iter()
                .zip(&week_weights)
                .filter(|((_, wm), _)| *wm == m)
                .map(|(_, w)| *w)
                .collect();
            let split = if mine.iter().all(Decimal::is_zero) {
                let parts: Vec<Period> = weeks
                    .iter()
                    .filter(|(_, wm)| *wm == m)
                    .map(|(p, _)| *p)
                    .collect();
                split_of(&by_days(&parts))
            } else {
                split_of(&mine)
            };
            to_weeks.push(split.map_err(|e| match e {
                QuotaError::Split { source } => QuotaError::SplitPeriod {
                    period: *month,
                    source,
                },
                other => other,
            })?);
        }
        Ok(YearSplitter {
            year: whole,
            quarters,
            months,
            weeks,
            to_quarters,
            to_months,
            to_weeks,
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

    /// The twelve monthly figures of `annual` minor units, into `out`.
    pub(crate) fn months_minor(&self, annual: i128, out: &mut [i128; 12]) {
        let mut quarters = [0i128; 4];
        self.to_quarters.apply_into(annual, &mut quarters, None);
        for ((split, quarter), three) in self.to_months.iter().zip(&quarters).zip(out.chunks_mut(3))
        {
            split.apply_into(*quarter, three, None);
        }
    }

    /// Splits `annual` over the year.
    ///
    /// # Errors
    ///
    /// [`QuotaError::Amount`] when `annual` is not a whole number of minor
    /// units.
    pub fn split(&self, annual: Money) -> Result<YearSplit, QuotaError> {
        let minor = annual
            .to_minor()
            .map_err(|source| QuotaError::Amount { source })?;
        let mut months = [0i128; 12];
        self.months_minor(minor, &mut months);
        self.from_months(&months, annual.currency())
    }

    /// The year built up from twelve monthly figures (in minor units of
    /// `currency`): quarters and the year are their sums, weeks split each
    /// month. For a split of an annual figure, the same as
    /// [`split`](YearSplitter::split) (quarters are allocated top down and
    /// the months sum to them).
    ///
    /// # Errors
    ///
    /// [`QuotaError::Amount`] for sums beyond a `Decimal`.
    pub fn from_months(
        &self,
        months: &[i128; 12],
        currency: crate::money::Currency,
    ) -> Result<YearSplit, QuotaError> {
        let money = |m: i128| {
            Money::from_minor(m, currency).map_err(|source| QuotaError::Amount { source })
        };
        let quarter_sums: Vec<i128> = months
            .chunks(3)
            .map(|c| c.iter().fold(0i128, |a, b| a.saturating_add(*b)))
            .collect();
        let year = quarter_sums.iter().fold(0i128, |a, b| a.saturating_add(*b));
        let mut weeks = Vec::with_capacity(self.weeks.len());
        let mut parts = Vec::new();
        for (m, split) in self.to_weeks.iter().enumerate() {
            split.apply_minor(months.get(m).copied().unwrap_or(0), &mut parts, None);
            let periods = self
                .weeks
                .iter()
                .filter(|(_, wm)| *wm == m)
                .map(|(p, _)| *p);
            for (period, amount) in periods.zip(&parts) {
                weeks.push((period, money(*amount)?));
            }
        }
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
            weeks,
        })
    }
}
