//! Bottom-up capacity: what a team can carry, from its headcount, ramp,
//! expected attainment and attrition, set against the top-down target.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::ramp::Ramp;
use super::season::YearSplit;
use crate::calendar::Period;
use crate::money::{self, Money, MoneyError, Percent, Rate, RoundingPolicy};
use crate::quota::QuotaError;

/// Reps hired on one date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Cohort {
    hired: NaiveDate,
    reps: u32,
}

impl Cohort {
    /// `reps` reps hired on `hired`.
    pub const fn new(hired: NaiveDate, reps: u32) -> Cohort {
        Cohort { hired, reps }
    }

    /// The hire date.
    pub const fn hired(&self) -> NaiveDate {
        self.hired
    }

    /// How many reps.
    pub const fn reps(&self) -> u32 {
        self.reps
    }
}

/// What a fully ramped rep is expected to sell, and how a team's headcount
/// moves: the inputs of a bottom-up capacity plan.
///
/// # The rule
///
/// A [`Cohort`] is a number of reps hired on one date (reps hired before
/// the plan year are a cohort hired then, fully ramped if long enough
/// ago). For each month of the year, a cohort is expected to carry
///
/// ```text
/// reps × survival × ramp factor × monthly quota × expected attainment
/// ```
///
/// where
///
/// - the **ramp factor** is the [`Ramp`]'s exact day-weighted factor for
///   the month ([`Ramp::factor`]; days before the hire date count zero);
/// - **survival** is `(1 − attrition)^k`, `k` the number of whole plan
///   months the cohort has been in place before this one (the month of
///   the hire, or the first month of the year for earlier hires, counts
///   `k = 0`): attrition is an expected monthly rate, leavers are not
///   replaced unless a later cohort says so;
/// - a month's capacity is the sum over cohorts, rounded once to the
///   currency's minor unit by the model's [`RoundingPolicy`]; quarters and
///   the year are sums of their months, so they nest exactly.
///
/// Survival factors are carried at `Decimal` precision (28 significant
/// digits) before the month is rounded.
///
/// Against a target ([`CapacityModel::against`]), each month, quarter and
/// the year show the target, the capacity and the gap `target − capacity`
/// (positive: the team is expected to fall short by that much).
///
/// # JSON
///
/// `{"monthly_quota": "30000.00 USD", "expected_attainment": "85%",
/// "monthly_attrition": "2%", "ramp": {"steps": [..]}, "rounding":
/// "half_even"}`; the last three may be left out (no attrition, no ramp,
/// halves away from zero). A negative quota and unknown fields are refused.
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::quota::CapacityModel;
///
/// let model: CapacityModel = serde_json::from_str(
///     r#"{"monthly_quota": "30000.00 USD", "expected_attainment": "85%", "monthly_attrition": "2%"}"#,
/// )?;
/// assert_eq!(model.monthly_attrition().to_string(), "2%");
/// assert!(serde_json::from_str::<CapacityModel>(
///     r#"{"monthly_quota": "-1.00 USD", "expected_attainment": "85%"}"#
/// ).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawCapacityModel"))]
pub struct CapacityModel {
    monthly_quota: Money,
    expected_attainment: Rate,
    monthly_attrition: Percent,
    ramp: Ramp,
    rounding: RoundingPolicy,
}

crate::validated::via_raw! {
    /// A capacity model on the wire; validated by [`CapacityModel::new`].
    RawCapacityModel => CapacityModel, QuotaError {
        monthly_quota: Money,
        expected_attainment: Rate,
        #[serde(default)]
        monthly_attrition: Option<Percent>,
        #[serde(default)]
        ramp: Ramp,
        #[serde(default)]
        rounding: RoundingPolicy,
    } => {
        Ok(CapacityModel::new(monthly_quota, expected_attainment)?
            .attrition(monthly_attrition.unwrap_or(Percent::ZERO))
            .ramp(ramp)
            .rounding(rounding))
    }
}

/// One month of capacity.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct CapacityMonth {
    month: Period,
    reps: Decimal,
    capacity: Money,
}

impl CapacityMonth {
    /// The month.
    pub const fn month(&self) -> Period {
        self.month
    }

    /// The expected number of fully productive reps: heads still there,
    /// weighted by their ramp (unrounded).
    pub const fn reps(&self) -> Decimal {
        self.reps
    }

    /// What they are expected to sell, rounded to the minor unit.
    pub const fn capacity(&self) -> Money {
        self.capacity
    }
}

/// A period's target beside the capacity to carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct CapacityLine {
    period: Period,
    target: Money,
    capacity: Money,
    gap: Money,
}

impl CapacityLine {
    /// The period.
    pub const fn period(&self) -> Period {
        self.period
    }

    /// The top-down target.
    pub const fn target(&self) -> Money {
        self.target
    }

    /// The bottom-up capacity.
    pub const fn capacity(&self) -> Money {
        self.capacity
    }

    /// `target − capacity`: positive when capacity falls short.
    pub const fn gap(&self) -> Money {
        self.gap
    }
}

/// Target against capacity for every month, quarter and the year.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct CapacityGap {
    months: Vec<CapacityLine>,
    quarters: Vec<CapacityLine>,
    year: CapacityLine,
}

impl CapacityGap {
    /// The months, in order.
    pub fn months(&self) -> &[CapacityLine] {
        &self.months
    }

    /// The quarters, in order (sums of their months).
    pub fn quarters(&self) -> &[CapacityLine] {
        &self.quarters
    }

    /// The year (the sum of the months).
    pub const fn year(&self) -> CapacityLine {
        self.year
    }
}

impl CapacityModel {
    /// A model where a fully ramped rep carries `monthly_quota` a month and
    /// is expected to reach `expected_attainment` of it; no attrition, no
    /// ramp, halves rounded away from zero until set.
    ///
    /// # Errors
    ///
    /// [`QuotaError::NegativeTarget`] for a negative quota.
    pub fn new(
        monthly_quota: Money,
        expected_attainment: Rate,
    ) -> Result<CapacityModel, QuotaError> {
        if monthly_quota.is_negative() {
            return Err(QuotaError::NegativeTarget {
                amount: monthly_quota,
            });
        }
        Ok(CapacityModel {
            monthly_quota,
            expected_attainment,
            monthly_attrition: Percent::ZERO,
            ramp: Ramp::none(),
            rounding: RoundingPolicy::HalfAwayFromZero,
        })
    }

    /// The expected share of heads that leave each month.
    #[must_use]
    pub fn attrition(mut self, monthly: Percent) -> CapacityModel {
        self.monthly_attrition = monthly;
        self
    }

    /// The ramp of a new hire.
    #[must_use]
    pub fn ramp(mut self, ramp: Ramp) -> CapacityModel {
        self.ramp = ramp;
        self
    }

    /// How each month's capacity is rounded.
    #[must_use]
    pub fn rounding(mut self, policy: RoundingPolicy) -> CapacityModel {
        self.rounding = policy;
        self
    }

    /// A fully ramped rep's monthly quota.
    pub const fn monthly_quota(&self) -> Money {
        self.monthly_quota
    }

    /// The expected attainment.
    pub const fn expected_attainment(&self) -> Rate {
        self.expected_attainment
    }

    /// The expected monthly attrition.
    pub const fn monthly_attrition(&self) -> Percent {
        self.monthly_attrition
    }

    /// Each month's capacity for `cohorts`, over `months` (the plan's
    /// months in order: the first is where attrition starts counting).
    ///
    /// # Errors
    ///
    /// [`QuotaError::NotMonthByMonth`] naming the first period that is not
    /// a month (28 to 35 days, as calendar and retail months are) starting
    /// where the one before it ends; [`QuotaError::Calendar`] from the ramp
    /// near the end of `chrono`'s range; [`QuotaError::Amount`] when a
    /// figure overflows a `Decimal`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::quota::{CapacityModel, Cohort, Ramp};
    /// use salesplan::{Currency, Money, Period};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let model = CapacityModel::new(Money::parse("10000.00", Currency::USD)?, "80%".parse()?)?
    ///     .ramp(Ramp::new(["0%".parse()?, "50%".parse()?]));
    /// // Ten reps from last year, two more hired on 1 February.
    /// let team = [Cohort::new(d(1, 1) - chrono::Days::new(365), 10), Cohort::new(d(2, 1), 2)];
    /// let months: Vec<Period> = (1..=3).map(|m| Period::month(2025, m)).collect::<Result<_, _>>()?;
    /// let capacity = model.capacity(&months, &team)?;
    /// let figures: Vec<String> = capacity.iter().map(|m| m.capacity().to_string()).collect();
    /// // 10 × 8,000; February the hires carry nothing; March half each.
    /// assert_eq!(figures, ["80000.00 USD", "80000.00 USD", "88000.00 USD"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn capacity(
        &self,
        months: &[Period],
        cohorts: &[Cohort],
    ) -> Result<Vec<CapacityMonth>, QuotaError> {
        let amount = |source| QuotaError::Amount { source };
        // Attrition counts months: the periods must be months, back to back.
        let mut previous: Option<&Period> = None;
        for month in months {
            let back_to_back = previous.is_none_or(|p| p.end() == month.start());
            if !back_to_back || !(28..=35).contains(&month.days()) {
                return Err(QuotaError::NotMonthByMonth { period: *month });
            }
            previous = Some(month);
        }
        let per_rep = money::mul(
            self.monthly_quota.amount(),
            self.expected_attainment.fraction(),
        )
        .map_err(amount)?;
        let keep = money::sub(Decimal::ONE, self.monthly_attrition.fraction()).map_err(amount)?;
        // Each cohort's survival so far, and whether it is in place yet.
        let mut survival: Vec<Option<Decimal>> = vec![None; cohorts.len()];
        let mut out = Vec::with_capacity(months.len());
        for month in months {
            let mut reps = Decimal::ZERO;
            for (cohort, alive) in cohorts.iter().zip(survival.iter_mut()) {
                if cohort.hired >= month.end() {
                    continue;
                }
                let now = match *alive {
                    None => Decimal::ONE,
                    Some(before) => money::mul(before, keep).map_err(amount)?,
                };
                *alive = Some(now);
                let factor = self.ramp.factor(cohort.hired, month)?;
                let heads = money::mul(Decimal::from(cohort.reps), now).map_err(amount)?;
                let weighted = money::mul(heads, factor.weighted_days())
                    .and_then(|x| money::div(x, Decimal::from(factor.days())))
                    .map_err(amount)?;
                reps = money::add(reps, weighted).map_err(amount)?;
            }
            let capacity = money::mul(reps, per_rep).map_err(amount)?;
            out.push(CapacityMonth {
                month: *month,
                reps: reps.normalize(),
                capacity: Money::new(capacity, self.monthly_quota.currency()).round(self.rounding),
            });
        }
        Ok(out)
    }

    /// `target`'s months, quarters and year beside the capacity of
    /// `cohorts` over the same months.
    ///
    /// # Errors
    ///
    /// [`QuotaError::Amount`] when the target is in another currency than
    /// the model's quota, or a sum overflows; otherwise as
    /// [`capacity`](CapacityModel::capacity).
    pub fn against(
        &self,
        target: &YearSplit,
        cohorts: &[Cohort],
    ) -> Result<CapacityGap, QuotaError> {
        let amount = |source| QuotaError::Amount { source };
        let (year, year_target) = target.year();
        if year_target.currency() != self.monthly_quota.currency() {
            return Err(amount(MoneyError::CurrencyMismatch {
                left: year_target.currency(),
                right: self.monthly_quota.currency(),
            }));
        }
        let periods: Vec<Period> = target.months().iter().map(|(p, _)| *p).collect();
        let capacity = self.capacity(&periods, cohorts)?;
        let months = target
            .months()
            .iter()
            .zip(&capacity)
            .map(|((period, t), c)| line(*period, *t, c.capacity))
            .collect::<Result<Vec<_>, _>>()?;
        let quarters = target
            .quarters()
            .iter()
            .map(|(period, t)| {
                let inside = months.iter().filter(|m| period.encloses(&m.period));
                line(*period, *t, sum(*t, inside.map(|m| m.capacity))?)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let year = line(
            year,
            year_target,
            sum(year_target, months.iter().map(|m| m.capacity))?,
        )?;
        Ok(CapacityGap {
            months,
            quarters,
            year,
        })
    }
}

fn sum(like: Money, parts: impl Iterator<Item = Money>) -> Result<Money, QuotaError> {
    Money::checked_sum(like.currency(), parts).map_err(|source| QuotaError::Amount { source })
}

fn line(period: Period, target: Money, capacity: Money) -> Result<CapacityLine, QuotaError> {
    Ok(CapacityLine {
        period,
        target,
        capacity,
        gap: target
            .checked_sub(capacity)
            .map_err(|source| QuotaError::Amount { source })?,
    })
}
