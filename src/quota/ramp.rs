//! Ramp schedules for new hires.

use std::fmt;

use chrono::{Months, NaiveDate};
use rust_decimal::Decimal;

use crate::calendar::Period;
use crate::money::{self, Money, Percent, RoundingPolicy};
use crate::quota::QuotaError;

/// The share of full quota a new hire carries in each month of tenure:
/// `[0%, 25%, 50%, 75%]` means nothing in the first month from the hire
/// date, a quarter in the second, and so on; full quota from the fifth
/// month on.
///
/// Tenure months run from the hire date (a hire on 15 March is in tenure
/// month 1 until 14 April), so a calendar month can straddle two steps; its
/// factor is then the day-weighted mix of both.
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::quota::Ramp;
/// use salesplan::{Currency, Money, Period, RoundingPolicy};
///
/// let ramp = Ramp::new(["0%", "25%", "50%", "75%"].map(|p| p.parse().unwrap()));
/// let hired = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
/// let feb = Period::month(2025, 2)?;
/// let full = Money::parse("30000.00", Currency::USD)?;
/// assert_eq!(ramp.apply(full, hired, &feb, RoundingPolicy::HalfEven)?.to_string(), "7500.00 USD");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// A period's factor is the exact fraction `weighted days / days`, applied
/// by multiplying first and dividing once ([`RampFactor::apply`]).
///
/// # JSON
///
/// `{"steps": [..]}`, each step a percentage string from `"0%"` to
/// `"100%"`; `steps` defaults to none (no ramp). Unknown fields are
/// refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::quota::Ramp;
///
/// let ramp: Ramp = serde_json::from_str(r#"{"steps": ["0%", "25%", "50%", "75%"]}"#)?;
/// assert_eq!(ramp.step(2).map(|p| p.to_string()), Some("25%".into()));
/// assert_eq!(serde_json::from_str::<Ramp>("{}")?, Ramp::none());
/// // A step above 100% is refused, and so is an unknown field.
/// assert!(serde_json::from_str::<Ramp>(r#"{"steps": ["120%"]}"#).is_err());
/// let err = serde_json::from_str::<Ramp>(r#"{"step": ["50%"]}"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `step`"), "{err}");
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Ramp {
    #[cfg_attr(feature = "serde", serde(default))]
    steps: Vec<Percent>,
}

/// A ramp's effect on one period: `weighted_days / days`, where each day of
/// the period counts at its tenure month's step (days before the hire date
/// count zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RampFactor {
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    weighted_days: Decimal,
    days: u32,
}

impl RampFactor {
    /// Full quota.
    pub const FULL: RampFactor = RampFactor {
        weighted_days: Decimal::ONE,
        days: 1,
    };

    /// The days weighted by their steps.
    pub const fn weighted_days(&self) -> Decimal {
        self.weighted_days
    }

    /// The days of the period.
    pub const fn days(&self) -> u32 {
        self.days
    }

    /// Whether the ramp changes nothing.
    pub fn is_full(&self) -> bool {
        self.weighted_days == Decimal::from(self.days)
    }

    /// `amount × factor`, multiplying before dividing, unrounded.
    ///
    /// # Errors
    ///
    /// [`QuotaError::Amount`] on overflow.
    pub fn apply(&self, amount: Money) -> Result<Money, QuotaError> {
        if self.is_full() {
            return Ok(amount);
        }
        money::mul(amount.amount(), self.weighted_days)
            .and_then(|x| money::div(x, Decimal::from(self.days)))
            .map(|a| Money::new(a, amount.currency()))
            .map_err(|source| QuotaError::Amount { source })
    }
}

impl fmt::Display for RampFactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = self
            .weighted_days
            .checked_mul(Decimal::ONE_HUNDRED)
            .and_then(|x| x.checked_div(Decimal::from(self.days)))
            .map_or(Decimal::ZERO, |x| x.round_dp(2).normalize());
        write!(f, "ramp {pct}%")
    }
}

impl Ramp {
    /// A ramp with a step per tenure month; full quota after the last.
    pub fn new(steps: impl IntoIterator<Item = Percent>) -> Ramp {
        Ramp {
            steps: steps.into_iter().collect(),
        }
    }

    /// No ramp: full quota from the first day.
    pub fn none() -> Ramp {
        Ramp::default()
    }

    /// The steps.
    pub fn steps(&self) -> &[Percent] {
        &self.steps
    }

    /// The step of tenure month `month`: 1 is the first, and every month
    /// after the last step is full quota (100%). `None` for month 0,
    /// which is not a tenure month (nobody is measured before they start).
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::quota::Ramp;
    ///
    /// let ramp = Ramp::new(["0%".parse()?, "50%".parse()?]);
    /// let pct = |month| ramp.step(month).map(|p| p.to_string());
    /// assert_eq!([pct(1), pct(2), pct(3)], [Some("0%".into()), Some("50%".into()), Some("100%".into())]);
    /// assert_eq!(pct(0), None);
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    pub fn step(&self, month: usize) -> Option<Percent> {
        let i = month.checked_sub(1)?;
        Some(self.steps.get(i).copied().unwrap_or(Percent::HUNDRED))
    }

    /// The last day of the ramp for someone hired on `hire` (the day before
    /// full quota), or `None` without a ramp.
    ///
    /// # Errors
    ///
    /// [`QuotaError::Calendar`] near the end of `chrono`'s range.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::quota::Ramp;
    ///
    /// let ramp = Ramp::new(["0%", "25%", "50%", "75%"].map(|p| p.parse().unwrap()));
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// // Four tenure months from 15 March: full quota from 15 July.
    /// assert_eq!(ramp.ends(d(3, 15))?, Some(d(7, 14)));
    /// assert!(ramp.is_ramping(d(3, 15), d(7, 14))? && !ramp.is_ramping(d(3, 15), d(7, 15))?);
    /// assert_eq!(Ramp::none().ends(d(3, 15))?, None);
    /// # Ok::<(), salesplan::QuotaError>(())
    /// ```
    pub fn ends(&self, hire: NaiveDate) -> Result<Option<NaiveDate>, QuotaError> {
        if self.steps.is_empty() {
            return Ok(None);
        }
        let end = u32::try_from(self.steps.len())
            .ok()
            .and_then(|months| hire.checked_add_months(Months::new(months)))
            .ok_or(QuotaError::Calendar {
                source: crate::calendar::CalendarError::DateOutOfRange {
                    what: "end of ramp",
                    from: hire,
                },
            })?;
        Ok(end.pred_opt())
    }

    /// Whether someone hired on `hire` is still ramping on `date`.
    ///
    /// # Errors
    ///
    /// As [`ends`](Ramp::ends).
    pub fn is_ramping(&self, hire: NaiveDate, date: NaiveDate) -> Result<bool, QuotaError> {
        Ok(self
            .ends(hire)?
            .is_some_and(|last| hire <= date && date <= last))
    }

    /// The ramp's factor over `period` for someone hired on `hire`: each
    /// day counts at its tenure month's step (exactly: whole days times
    /// exact percentages), over the period's days.
    ///
    /// # Errors
    ///
    /// [`QuotaError::Calendar`] near the end of `chrono`'s range;
    /// [`QuotaError::Amount`] if the weighted days overflow a `Decimal`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::quota::Ramp;
    /// use salesplan::{Currency, Money, Period};
    ///
    /// let ramp = Ramp::new(["0%", "25%", "50%", "75%"].map(|p| p.parse().unwrap()));
    /// let hired = NaiveDate::from_ymd_opt(2025, 3, 15).unwrap();
    /// // April: 14 days of tenure month 1 at 0%, then 16 days at 25%.
    /// let april = ramp.factor(hired, &Period::month(2025, 4)?)?;
    /// assert_eq!((april.weighted_days().to_string(), april.days()), ("4.00".to_string(), 30));
    /// assert_eq!(april.to_string(), "ramp 13.33%");
    /// assert_eq!(april.apply(Money::parse("30000.00", Currency::USD)?)?.to_string(), "4000.0000 USD");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn factor(&self, hire: NaiveDate, period: &Period) -> Result<RampFactor, QuotaError> {
        let amount = |source| QuotaError::Amount { source };
        let mut weighted = Decimal::ZERO;
        // Days before the hire date count zero; then each tenure month at
        // its step, until the steps run out.
        let mut from = period.start().max(hire);
        for (months, step) in (1..=u32::MAX).zip(&self.steps) {
            if from >= period.end() {
                break;
            }
            let month_end =
                hire.checked_add_months(Months::new(months))
                    .ok_or(QuotaError::Calendar {
                        source: crate::calendar::CalendarError::DateOutOfRange {
                            what: "tenure month",
                            from: hire,
                        },
                    })?;
            if let Ok(part) = Period::new(from, month_end.min(period.end())) {
                let days =
                    money::mul(Decimal::from(part.days()), step.fraction()).map_err(amount)?;
                weighted = money::add(weighted, days).map_err(amount)?;
                from = part.end();
            }
        }
        if let Ok(rest) = Period::new(from, period.end()) {
            weighted = money::add(weighted, Decimal::from(rest.days())).map_err(amount)?;
        }
        Ok(RampFactor {
            weighted_days: weighted,
            days: period.days(),
        })
    }

    /// The ramp's factor over several periods together (the stretches
    /// someone held a seat in one month).
    ///
    /// # Errors
    ///
    /// As [`factor`](Ramp::factor); [`QuotaError::RampDaysOverflow`] when the
    /// periods' days add up beyond a `u32`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::quota::Ramp;
    /// use salesplan::Period;
    ///
    /// let ramp = Ramp::new(["0%", "25%", "50%", "75%"].map(|p| p.parse().unwrap()));
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// // In the seat 1-9 April (0%) and 20-30 April (25%): 2.75 of 20 days.
    /// let stints = [Period::new(d(4, 1), d(4, 10))?, Period::new(d(4, 20), d(5, 1))?];
    /// let f = ramp.factor_over(d(3, 15), &stints)?;
    /// assert_eq!((f.weighted_days().to_string(), f.days()), ("2.75".to_string(), 20));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn factor_over(
        &self,
        hire: NaiveDate,
        periods: &[Period],
    ) -> Result<RampFactor, QuotaError> {
        let mut total = RampFactor {
            weighted_days: Decimal::ZERO,
            days: 0,
        };
        for p in periods {
            let f = self.factor(hire, p)?;
            total.weighted_days = money::add(total.weighted_days, f.weighted_days)
                .map_err(|source| QuotaError::Amount { source })?;
            total.days = total
                .days
                .checked_add(f.days)
                .ok_or(QuotaError::RampDaysOverflow {
                    hire,
                    periods: periods.len(),
                })?;
        }
        if total.days == 0 {
            return Ok(RampFactor::FULL);
        }
        Ok(total)
    }

    /// `full` over `period` for someone hired on `hire`, rounded once to
    /// minor units with `policy`.
    ///
    /// # Errors
    ///
    /// [`QuotaError::Calendar`] near the end of `chrono`'s range;
    /// [`QuotaError::Amount`] on overflow.
    pub fn apply(
        &self,
        full: Money,
        hire: NaiveDate,
        period: &Period,
        policy: RoundingPolicy,
    ) -> Result<Money, QuotaError> {
        Ok(self.factor(hire, period)?.apply(full)?.round(policy))
    }
}
