//! Evaluating one component over one window: slices, gate, caps,
//! minimum, rounding. Pure arithmetic on exact decimals.

use rust_decimal::Decimal;

use super::plan::{
    Accumulation, Cap, Component, GateHolds, GatePeriod, PayRate, RateTable, TierBasis, TierMethod,
};
use super::statement::{Calculation, GateCheck, Limit, Slice};
use crate::calendar::Period;
use crate::error::CompError;
use crate::error::MoneyError;
use crate::money::{Currency, Rate, RoundingPolicy, add, div, mul, sub};

/// What one evaluation needs besides the component.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    /// The component period.
    pub(crate) period: Period,
    /// The period measured (the period, or the year to its end).
    pub(crate) window: Period,
    /// The measure in the window, kickers included.
    pub(crate) measure: Decimal,
    /// The window's quota (required when the component needs attainment).
    pub(crate) quota: Option<Decimal>,
    /// For a gate on the year: the year's measure to the end of the period,
    /// the year's quota, and the year.
    pub(crate) year: Option<(Decimal, Decimal, Period)>,
    /// Year to date: what was earned (rounded) to the previous period's
    /// end. Per period: zero.
    pub(crate) earned_before: Decimal,
    /// Per period: what earlier periods of the year paid (for a yearly
    /// cap).
    pub(crate) paid_this_year: Decimal,
}

/// The evaluated line: its amount and why.
#[derive(Debug)]
pub(crate) struct Evaluated {
    /// The line's amount, rounded.
    pub(crate) amount: Decimal,
    /// For year-to-date components: the rounded earnings to date (the next
    /// period's `earned_before`).
    pub(crate) earned_to_date: Decimal,
    /// What the minimum added (not part of the deal rate of clawbacks).
    pub(crate) minimum: Decimal,
    /// The explanation (without its transactions and kicker uplift, which
    /// the caller adds).
    pub(crate) calculation: Calculation,
}

/// One multiplier band in measure units.
struct Band {
    from: Decimal,
    to: Option<Decimal>,
    factor: Rate,
}

/// `value` rounded to the currency's minor units and written with exactly
/// that many decimals.
pub(crate) fn round(value: Decimal, currency: Currency, policy: RoundingPolicy) -> Decimal {
    crate::money::Money::new(value, currency)
        .round(policy)
        .amount()
}

fn ratio(measure: Decimal, quota: Decimal) -> Result<Decimal, MoneyError> {
    div(measure, quota)
}

/// Evaluates `component` over `w`.
pub(crate) fn evaluate(
    component: &Component,
    w: &Window,
    currency: Currency,
    rounding: RoundingPolicy,
) -> Result<Evaluated, CompError> {
    let m = w.measure;
    let quota = w.quota.filter(|q| !q.is_zero());
    let attainment = quota.map(|q| ratio(m, q)).transpose()?;
    // Measure amount at an attainment fraction; zero when there is no quota
    // (the caller refuses components needing one without it).
    let at = |fraction: Decimal| -> Result<Decimal, MoneyError> {
        quota.map_or(Ok(Decimal::ZERO), |q| mul(fraction, q))
    };

    // Gate.
    let mut gate_check = None;
    let mut withhold_accelerators = false;
    let mut gate_closed_all = false;
    if let Some(gate) = component.gate_rule() {
        let (att, on) = match gate.measured_on() {
            GatePeriod::Component => (attainment.unwrap_or(Decimal::ZERO), w.window),
            GatePeriod::Year => match w.year {
                Some((measure, q, year)) if !q.is_zero() => (ratio(measure, q)?, year),
                Some((_, _, year)) => (Decimal::ZERO, year),
                None => (attainment.unwrap_or(Decimal::ZERO), w.window),
            },
        };
        let open = att >= gate.threshold().fraction();
        if !open {
            match gate.holds() {
                GateHolds::Everything => gate_closed_all = true,
                GateHolds::Accelerators => withhold_accelerators = true,
            }
        }
        gate_check = Some(GateCheck {
            measured_on: on,
            attainment: att,
            threshold: gate.threshold(),
            open,
            effect: Decimal::ZERO,
        });
    }

    // The tiers in measure units.
    let (method, tiers): (TierMethod, Vec<(Decimal, Option<Decimal>, PayRate)>) =
        match component.rates() {
            RateTable::Flat(rate) => (TierMethod::Marginal, vec![(Decimal::ZERO, None, *rate)]),
            RateTable::Tiered {
                basis,
                method,
                tiers,
            } => {
                let mut out = Vec::with_capacity(tiers.len());
                for t in tiers {
                    let (from, to) = match basis {
                        TierBasis::Measure => (t.from(), t.to()),
                        TierBasis::Attainment => (at(t.from())?, t.to().map(at).transpose()?),
                    };
                    out.push((from, to, t.rate()));
                }
                (*method, out)
            }
        };
    let mut bands = Vec::with_capacity(component.multipliers().len());
    for b in component.multipliers() {
        bands.push(Band {
            from: at(b.from().fraction())?,
            to: b.to().map(|t| at(t.fraction())).transpose()?,
            factor: b.factor(),
        });
    }
    bands.sort_by_key(|b| b.from);

    // The paid range of the measure.
    let lo = match component.cliff_threshold() {
        Some(c) => at(c.fraction())?,
        None => Decimal::ZERO,
    };
    let mut hi = m;
    for cap in component.caps() {
        if let Cap::Attainment(c) = cap {
            hi = hi.min(at(c.fraction())?);
        }
    }
    // Retroactive: the tier the measure reached.
    let reached = tiers
        .iter()
        .rposition(|(from, _, _)| *from < hi)
        .unwrap_or(0);
    let tier_at = |x: Decimal| -> usize {
        match method {
            TierMethod::Retroactive => reached,
            TierMethod::Marginal => tiers
                .iter()
                .rposition(|(from, _, _)| *from <= x)
                .unwrap_or(0),
        }
    };
    let band_at = |x: Decimal| -> Rate {
        bands
            .iter()
            .find(|b| b.from <= x && b.to.is_none_or(|t| x < t))
            .map_or(Rate::ONE, |b| b.factor)
    };
    let rate_of = |tier: usize| -> PayRate {
        tiers
            .get(tier)
            .map_or(PayRate::Percent(Rate::ZERO), |(_, _, r)| *r)
    };

    let mut slices = Vec::new();
    let mut push = |from: Decimal, to: Decimal, at_point: Decimal| -> Result<(), CompError> {
        let tier = tier_at(at_point);
        let rate = rate_of(tier);
        let mut factor = band_at(at_point);
        let withheld = withhold_accelerators && factor > Rate::ONE;
        if withheld {
            factor = Rate::ONE;
        }
        let pay = mul(mul(sub(to, from)?, rate.factor())?, factor.fraction())?;
        slices.push(Slice {
            from,
            to,
            tier,
            rate,
            multiplier: factor,
            withheld,
            pay,
        });
        Ok(())
    };
    if m < Decimal::ZERO {
        // Net returns in the window: claw back at the base rate, unless a
        // cliff means nothing below it was ever paid.
        if component.cliff_threshold().is_none() {
            push(m, Decimal::ZERO, Decimal::ZERO)?;
        }
    } else if hi > lo {
        let mut points = vec![lo, hi];
        if method == TierMethod::Marginal {
            for (from, to, _) in &tiers {
                points.push(*from);
                if let Some(t) = to {
                    points.push(*t);
                }
            }
        }
        for b in &bands {
            points.push(b.from);
            if let Some(t) = b.to {
                points.push(t);
            }
        }
        points.retain(|p| *p >= lo && *p <= hi);
        points.sort();
        points.dedup();
        for pair in points.windows(2) {
            if let [from, to] = pair {
                push(*from, *to, *from)?;
            }
        }
    }

    let mut total = Decimal::ZERO;
    for s in &slices {
        total = add(total, s.pay)?;
    }
    if gate_closed_all && let Some(g) = gate_check.as_mut() {
        g.effect = sub(Decimal::ZERO, total)?;
        total = Decimal::ZERO;
    }

    let mut limits = Vec::new();
    let mut minimum_added = Decimal::ZERO;
    let (amount, earned_to_date, rounding_applied) = match component.accumulation() {
        Accumulation::YearToDate => {
            for cap in component.caps() {
                if let Cap::PerYear(c) = cap {
                    let effect = sub(c.amount(), total)?.min(Decimal::ZERO);
                    total = add(total, effect)?;
                    limits.push(Limit::YearCap {
                        cap: *c,
                        remaining: c.amount(),
                        effect,
                    });
                }
            }
            let rounded = round(total, currency, rounding);
            let rounding_applied = sub(rounded, total)?;
            let mut due = sub(rounded, w.earned_before)?;
            for cap in component.caps() {
                if let Cap::PerPeriod(c) = cap {
                    let effect = sub(c.amount(), due)?.min(Decimal::ZERO);
                    due = add(due, effect)?;
                    limits.push(Limit::PeriodCap { cap: *c, effect });
                }
            }
            if let Some(min) = component.minimum_amount() {
                let effect = sub(min.amount(), due)?.max(Decimal::ZERO);
                due = add(due, effect)?;
                minimum_added = effect;
                limits.push(Limit::Minimum {
                    minimum: min,
                    effect,
                });
            }
            (due, rounded, rounding_applied)
        }
        Accumulation::PerPeriod => {
            for cap in component.caps() {
                match cap {
                    Cap::PerPeriod(c) => {
                        let effect = sub(c.amount(), total)?.min(Decimal::ZERO);
                        total = add(total, effect)?;
                        limits.push(Limit::PeriodCap { cap: *c, effect });
                    }
                    Cap::PerYear(c) => {
                        let remaining = sub(c.amount(), w.paid_this_year)?.max(Decimal::ZERO);
                        let effect = sub(remaining, total)?.min(Decimal::ZERO);
                        total = add(total, effect)?;
                        limits.push(Limit::YearCap {
                            cap: *c,
                            remaining,
                            effect,
                        });
                    }
                    Cap::Attainment(_) => {}
                }
            }
            if let Some(min) = component.minimum_amount() {
                let effect = sub(min.amount(), total)?.max(Decimal::ZERO);
                total = add(total, effect)?;
                minimum_added = effect;
                limits.push(Limit::Minimum {
                    minimum: min,
                    effect,
                });
            }
            let rounded = round(total, currency, rounding);
            (rounded, Decimal::ZERO, sub(rounded, total)?)
        }
    };

    Ok(Evaluated {
        amount,
        earned_to_date,
        minimum: minimum_added,
        calculation: Calculation {
            period: w.period,
            window: w.window,
            measure: m,
            kicker_uplift: Decimal::ZERO,
            transactions: Vec::new(),
            quota: w.quota,
            attainment,
            slices,
            gate: gate_check,
            limits,
            rounding: rounding_applied,
            earned_before: w.earned_before,
        },
    })
}
