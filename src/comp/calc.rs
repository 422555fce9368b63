//! Evaluating one component over one window: slices, gate, caps,
//! minimum, rounding. Pure arithmetic on exact decimals.

use rust_decimal::Decimal;

use super::plan::{
    Accumulation, Cap, Component, GateHolds, GatePeriod, PayRate, RateTable, Tier, TierBasis,
    TierMethod,
};
use super::statement::{Calculation, GateCheck, Limit, Slice};
use crate::calendar::Period;
use crate::comp::CompError;
use crate::list::{List, Shelf};
use crate::money::{Currency, Money, MoneyError, Rate, RoundingPolicy, add, div, mul, sub};

/// What one evaluation needs besides the component.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    /// The component period.
    pub(crate) period: Period,
    /// The period measured (the period, or the year to its end).
    pub(crate) window: Period,
    /// The measure in the window, kickers included.
    pub(crate) measure: Decimal,
    /// The period's own net measure (the window's, for a component paid
    /// per period): when it is negative, the minimum does not apply, and
    /// year to date nothing more is paid.
    pub(crate) period_measure: Decimal,
    /// Whether this is the component's last period of the plan year, which
    /// pays whatever year-to-date earnings were held back before it.
    pub(crate) closes_year: bool,
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
    /// The explanation (without its transactions and kicker uplift, which
    /// the caller adds).
    pub(crate) calculation: Calculation,
}

/// Vectors an evaluation works in, reused from one evaluation to the next:
/// the slices and limits it fills and then keeps on the batch's shelves
/// (a batch of statements keeps millions of them; all its slices then
/// share one allocation, and so do its limits), and the tiers' and bands'
/// bounds.
#[derive(Debug, Default)]
pub(crate) struct Parts {
    slices: Vec<Slice>,
    limits: Vec<Limit>,
    /// The slices and limits kept, until the batch's statements are made.
    pub(crate) kept_slices: Shelf<Slice>,
    pub(crate) kept_limits: Shelf<Limit>,
    /// Where each tier starts, in measure units.
    tier_starts: Vec<Decimal>,
    /// Each multiplier band's bounds, in measure units, or the overflow
    /// working them out (reported where the band is first looked at).
    band_bounds: Vec<Result<(Decimal, Option<Decimal>), MoneyError>>,
}

impl Parts {
    /// Takes back the slices and limits `calculation` kept (the last ones
    /// kept), for a calculation only its amount is needed of; its lists
    /// are left empty.
    pub(crate) fn take_back(&mut self, calculation: &mut Calculation) {
        self.kept_slices
            .take_back(std::mem::take(&mut calculation.slices));
        self.kept_limits
            .take_back(std::mem::take(&mut calculation.limits));
    }
}

/// `value` rounded to the currency's minor units and written with exactly
/// that many decimals.
pub(crate) fn round(value: Decimal, currency: Currency, policy: RoundingPolicy) -> Decimal {
    Money::new(value, currency).round(policy).amount()
}

/// Evaluates `component` over `w`, with `parts` to work in.
pub(crate) fn evaluate(
    component: &Component,
    w: &Window,
    currency: Currency,
    rounding: RoundingPolicy,
    parts: &mut Parts,
) -> Result<Evaluated, CompError> {
    let Parts {
        slices,
        limits,
        kept_slices,
        kept_limits,
        tier_starts,
        band_bounds,
    } = parts;
    slices.clear();
    limits.clear();
    let m = w.measure;
    let quota = Quota(w.quota.filter(|q| !q.is_zero()));
    let attainment = quota.0.map(|q| div(m, q)).transpose()?;
    let mut gate = Gated::check(component, w, attainment)?;
    let (lo, hi) = paid_range(component, m, quota)?;
    let schedule = Schedule::new(
        component,
        quota,
        hi,
        gate.withhold_accelerators,
        (tier_starts, band_bounds),
    )?;
    schedule.slice_measure(m, lo, slices)?;
    let mut total = Decimal::ZERO;
    for s in slices.iter() {
        total = add(total, s.pay)?;
    }
    total = gate.hold(total)?;
    let limiting = Limiting {
        component,
        w,
        currency,
        rounding,
    };
    let (amount, earned_to_date, rounding_applied) = match component.accumulation() {
        Accumulation::YearToDate => limiting.year_to_date(total, limits)?,
        Accumulation::PerPeriod => limiting.per_period(total, limits)?,
    };
    Ok(Evaluated {
        amount,
        earned_to_date,
        calculation: Calculation {
            period: w.period,
            window: w.window,
            measure: m,
            kicker_uplift: Decimal::ZERO,
            sold: Decimal::ZERO,
            transactions: List::new(),
            conversions: List::new(),
            quota: w.quota,
            attainment,
            slices: kept_slices.keep(slices),
            gate: gate.check.map(Box::new),
            limits: kept_limits.keep(limits),
            rounding: rounding_applied,
            earned_before: w.earned_before,
        },
    })
}

/// The window's quota, when it has a non-zero one.
#[derive(Debug, Clone, Copy)]
struct Quota(Option<Decimal>);

impl Quota {
    /// The measure at an attainment `fraction`; zero when there is no
    /// quota (the caller refuses components needing one without it).
    fn at(self, fraction: Decimal) -> Result<Decimal, MoneyError> {
        self.0.map_or(Ok(Decimal::ZERO), |q| mul(fraction, q))
    }
}

/// The gate's verdict on a window.
struct Gated {
    /// What the explanation shows (no gate: `None`).
    check: Option<GateCheck>,
    /// Closed, holding back the accelerators.
    withhold_accelerators: bool,
    /// Closed, holding back everything earned.
    closed_all: bool,
}

impl Gated {
    /// Whether `component`'s gate is open over `w`, on the component's
    /// window or on the year.
    fn check(
        component: &Component,
        w: &Window,
        attainment: Option<Decimal>,
    ) -> Result<Gated, MoneyError> {
        let mut gated = Gated {
            check: None,
            withhold_accelerators: false,
            closed_all: false,
        };
        let Some(gate) = component.gate_rule() else {
            return Ok(gated);
        };
        let (att, on) = match gate.measured_on() {
            GatePeriod::Component => (attainment.unwrap_or(Decimal::ZERO), w.window),
            GatePeriod::Year => match w.year {
                Some((measure, q, year)) if !q.is_zero() => (div(measure, q)?, year),
                Some((_, _, year)) => (Decimal::ZERO, year),
                None => (attainment.unwrap_or(Decimal::ZERO), w.window),
            },
        };
        let open = att >= gate.threshold().fraction();
        if !open {
            match gate.holds() {
                GateHolds::Everything => gated.closed_all = true,
                GateHolds::Accelerators => gated.withhold_accelerators = true,
            }
        }
        gated.check = Some(GateCheck {
            measured_on: on,
            attainment: att,
            threshold: gate.threshold(),
            open,
            effect: Decimal::ZERO,
        });
        Ok(gated)
    }

    /// What is paid of `total` earned: a closed gate holds back what the
    /// period earns; the returns of a period of net returns are still
    /// taken back.
    fn hold(&mut self, total: Decimal) -> Result<Decimal, MoneyError> {
        if self.closed_all
            && total > Decimal::ZERO
            && let Some(g) = self.check.as_mut()
        {
            g.effect = sub(Decimal::ZERO, total)?;
            return Ok(Decimal::ZERO);
        }
        Ok(total)
    }
}

/// The paid range of measure `m`: from the cliff (or zero) to the
/// measure, or the lowest attainment cap below it.
fn paid_range(
    component: &Component,
    m: Decimal,
    quota: Quota,
) -> Result<(Decimal, Decimal), MoneyError> {
    let lo = match component.cliff_threshold() {
        Some(c) => quota.at(c.fraction())?,
        None => Decimal::ZERO,
    };
    let mut hi = m;
    for cap in component.caps() {
        if let Cap::Attainment(c) = cap {
            hi = hi.min(quota.at(c.fraction())?);
        }
    }
    Ok((lo, hi))
}

/// A multiplier band's bounds in measure units, or the overflow working
/// them out (reported where the band is first looked at).
type BandBounds = Result<(Decimal, Option<Decimal>), MoneyError>;

/// A component's tiers and multiplier bands in measure units, for one
/// window: what each slice of the measure is paid at.
struct Schedule<'a> {
    component: &'a Component,
    method: TierMethod,
    tiers: &'a [Tier],
    /// Where each tier starts (one start, zero, for a flat rate).
    tier_starts: &'a [Decimal],
    band_bounds: &'a [BandBounds],
    /// The top of the paid range.
    hi: Decimal,
    /// Retroactive: the tier the measure reached.
    reached: usize,
    /// A closed gate holds back the accelerators.
    withhold_accelerators: bool,
}

impl<'a> Schedule<'a> {
    /// The tiers' starts and the bands' bounds, worked out once into
    /// `starts` and `bounds` (each slice looks at them several times).
    fn new(
        component: &'a Component,
        quota: Quota,
        hi: Decimal,
        withhold_accelerators: bool,
        (starts, bounds): (&'a mut Vec<Decimal>, &'a mut Vec<BandBounds>),
    ) -> Result<Schedule<'a>, MoneyError> {
        let (method, basis, tiers): (TierMethod, TierBasis, &[Tier]) = match component.rates() {
            RateTable::Flat(_) => (TierMethod::Marginal, TierBasis::Measure, &[]),
            RateTable::Tiered {
                basis,
                method,
                tiers,
            } => (*method, *basis, tiers.as_slice()),
        };
        starts.clear();
        for i in 0..tiers.len().max(1) {
            let from = tiers.get(i).map_or(Decimal::ZERO, Tier::from);
            starts.push(match basis {
                TierBasis::Measure => from,
                TierBasis::Attainment => quota.at(from)?,
            });
        }
        bounds.clear();
        bounds.extend(component.multipliers().iter().map(|b| {
            let from = quota.at(b.from().fraction())?;
            let to = b.to().map(|t| quota.at(t.fraction())).transpose()?;
            Ok((from, to))
        }));
        let mut schedule = Schedule {
            component,
            method,
            tiers,
            tier_starts: starts,
            band_bounds: bounds,
            hi,
            reached: 0,
            withhold_accelerators,
        };
        schedule.reached = schedule.tier_below(hi, true);
        Ok(schedule)
    }

    /// The last tier starting at or below `x` (strictly below with
    /// `strict`).
    fn tier_below(&self, x: Decimal, strict: bool) -> usize {
        let mut found = 0;
        for (i, from) in self.tier_starts.iter().enumerate() {
            if *from < x || (!strict && *from == x) {
                found = i;
            }
        }
        found
    }

    fn rate_of(&self, tier: usize) -> PayRate {
        match self.component.rates() {
            RateTable::Flat(rate) => *rate,
            RateTable::Tiered { .. } => self
                .tiers
                .get(tier)
                .map_or(PayRate::Percent(Rate::ZERO), Tier::rate),
        }
    }

    /// The multiplier of the band holding `x` (one outside every band).
    fn band_at(&self, x: Decimal) -> Result<Rate, MoneyError> {
        for (b, bounds) in self.component.multipliers().iter().zip(self.band_bounds) {
            let (from, to) = bounds.clone()?;
            if from <= x && to.is_none_or(|t| x < t) {
                return Ok(b.factor());
            }
        }
        Ok(Rate::ONE)
    }

    /// The next tier or band bound above `x`, or the top of the paid
    /// range.
    fn next_bound(&self, x: Decimal) -> Result<Decimal, MoneyError> {
        let mut next = self.hi;
        let mut consider = |p: Decimal| {
            if p > x && p < next {
                next = p;
            }
        };
        if self.method == TierMethod::Marginal {
            for from in self.tier_starts {
                consider(*from);
            }
        }
        for bounds in self.band_bounds {
            let (from, to) = bounds.clone()?;
            consider(from);
            if let Some(t) = to {
                consider(t);
            }
        }
        Ok(next)
    }

    /// The slice of the measure from `from` to `to`, at the tier and band
    /// of `at_point`.
    fn slice(&self, from: Decimal, to: Decimal, at_point: Decimal) -> Result<Slice, MoneyError> {
        let tier = match self.method {
            TierMethod::Retroactive => self.reached,
            TierMethod::Marginal => self.tier_below(at_point, false),
        };
        let rate = self.rate_of(tier);
        let mut factor = self.band_at(at_point)?;
        let withheld = self.withhold_accelerators && factor > Rate::ONE;
        if withheld {
            factor = Rate::ONE;
        }
        let pay = mul(mul(sub(to, from)?, rate.factor())?, factor.fraction())?;
        Ok(Slice {
            from,
            to,
            tier,
            rate,
            multiplier: factor,
            withheld,
            pay,
        })
    }

    /// The slices paying measure `m` from `lo`, into `slices`.
    fn slice_measure(
        &self,
        m: Decimal,
        lo: Decimal,
        slices: &mut Vec<Slice>,
    ) -> Result<(), MoneyError> {
        if m < Decimal::ZERO {
            // Net returns in the window: one negative slice from zero down
            // to the measure, at the rate (and band) that pays the first
            // unit above zero, so it pays back exactly what the same
            // credit earns there. Nothing, when a cliff means nothing
            // below it was paid.
            if self.component.cliff_threshold().is_none() {
                slices.push(self.slice(Decimal::ZERO, m, Decimal::ZERO)?);
            }
            return Ok(());
        }
        let mut from = lo;
        while from < self.hi {
            let to = self.next_bound(from)?;
            slices.push(self.slice(from, to, from)?);
            from = to;
        }
        Ok(())
    }
}

/// `due` under a cap of `c` per period.
fn cap_per_period(c: &Money, due: Decimal, limits: &mut Vec<Limit>) -> Result<Decimal, MoneyError> {
    let effect = sub(c.amount(), due)?.min(Decimal::ZERO);
    limits.push(Limit::PeriodCap { cap: *c, effect });
    add(due, effect)
}

/// `due` under `remaining` of a cap of `c` per year.
fn cap_per_year(
    c: &Money,
    remaining: Decimal,
    due: Decimal,
    limits: &mut Vec<Limit>,
) -> Result<Decimal, MoneyError> {
    let effect = sub(remaining, due)?.min(Decimal::ZERO);
    limits.push(Limit::YearCap {
        cap: *c,
        remaining,
        effect,
    });
    add(due, effect)
}

/// What limits a component's pay for a window: its caps and minimum,
/// and the rounding.
struct Limiting<'a> {
    component: &'a Component,
    w: &'a Window,
    currency: Currency,
    rounding: RoundingPolicy,
}

/// The pay for a window, the earnings to date (year to date; zero per
/// period) and the rounding applied.
type Limited = (Decimal, Decimal, Decimal);

impl Limiting<'_> {
    /// `due` raised to the component's minimum, if it has one; a period
    /// whose own net measure is negative gets no minimum.
    fn minimum(&self, due: Decimal, limits: &mut Vec<Limit>) -> Result<Decimal, MoneyError> {
        let Some(min) = self.component.minimum_amount() else {
            return Ok(due);
        };
        let effect = if self.w.period_measure < Decimal::ZERO {
            Decimal::ZERO
        } else {
            sub(min.amount(), due)?.max(Decimal::ZERO)
        };
        limits.push(Limit::Minimum {
            minimum: min,
            effect,
        });
        add(due, effect)
    }

    /// A year-to-date component: `total` earned to date under the cap per
    /// year, rounded, less what was earned before, held back for a period
    /// of net returns, under the cap per period and raised to the minimum.
    fn year_to_date(
        &self,
        mut total: Decimal,
        limits: &mut Vec<Limit>,
    ) -> Result<Limited, MoneyError> {
        let (w, currency, rounding) = (self.w, self.currency, self.rounding);
        for cap in self.component.caps() {
            if let Cap::PerYear(c) = cap {
                total = cap_per_year(c, c.amount(), total, limits)?;
            }
        }
        let rounded = round(total, currency, rounding);
        let rounding_applied = sub(rounded, total)?;
        let mut due = sub(rounded, w.earned_before)?;
        let mut earned_to_date = rounded;
        // A period of net returns pays nothing more: what its window
        // earned to date beyond what was paid for before (its quota
        // grew and lifted a cap or left a decelerator) waits for the
        // next period whose own credits are not net returns, or the
        // year's last period, which pays it as part of its own.
        if w.period_measure < Decimal::ZERO && due > Decimal::ZERO && !w.closes_year {
            limits.push(Limit::Held {
                effect: sub(Decimal::ZERO, due)?,
            });
            due = round(Decimal::ZERO, currency, rounding);
            earned_to_date = w.earned_before;
        }
        for cap in self.component.caps() {
            if let Cap::PerPeriod(c) = cap {
                due = cap_per_period(c, due, limits)?;
            }
        }
        due = self.minimum(due, limits)?;
        Ok((due, earned_to_date, rounding_applied))
    }

    /// A per-period component: `total` under its caps, in the order
    /// given, raised to the minimum, then rounded.
    fn per_period(
        &self,
        mut total: Decimal,
        limits: &mut Vec<Limit>,
    ) -> Result<Limited, MoneyError> {
        for cap in self.component.caps() {
            match cap {
                Cap::PerPeriod(c) => total = cap_per_period(c, total, limits)?,
                Cap::PerYear(c) => {
                    let remaining = sub(c.amount(), self.w.paid_this_year)?.max(Decimal::ZERO);
                    total = cap_per_year(c, remaining, total, limits)?;
                }
                Cap::Attainment(_) => {}
            }
        }
        total = self.minimum(total, limits)?;
        let rounded = round(total, self.currency, self.rounding);
        Ok((rounded, Decimal::ZERO, sub(rounded, total)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::comp::{CompPeriod, Multiplier};
    use crate::credit::CreditBasis;
    use crate::money::ArithOp;

    fn rate(p: &str) -> Rate {
        p.parse().unwrap()
    }

    fn pct(p: &str) -> PayRate {
        PayRate::Percent(rate(p))
    }

    /// Tiers at 0% and 300% of quota and an accelerator from 300%: with a
    /// quota of half a `Decimal`'s range, each bound from 300% on
    /// overflows when worked out.
    fn component() -> Component {
        Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Quarter,
            RateTable::Tiered {
                basis: TierBasis::Attainment,
                method: TierMethod::Marginal,
                tiers: vec![
                    Tier::new(Decimal::ZERO, Some(Decimal::from(3)), pct("10%")),
                    Tier::new(Decimal::from(3), None, pct("12%")),
                ],
            },
        )
        .multiplier(Multiplier::above(rate("300%"), rate("150%")))
    }

    fn window(measure: Decimal) -> Window {
        let period = Period::month(2025, 1).unwrap();
        Window {
            period,
            window: period,
            measure,
            period_measure: measure,
            closes_year: false,
            quota: Decimal::MAX.checked_div(Decimal::TWO),
            year: None,
            earned_before: Decimal::ZERO,
            paid_this_year: Decimal::ZERO,
        }
    }

    fn overflow_of(e: CompError) -> Decimal {
        match e {
            CompError::Money(MoneyError::Overflow {
                op: ArithOp::Mul,
                left,
                ..
            }) => left,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bounds_that_overflow_are_reported_where_they_were_before() {
        let eval = |c: &Component, m: Decimal| {
            evaluate(
                c,
                &window(m),
                Currency::USD,
                RoundingPolicy::HalfEven,
                &mut Parts::default(),
            )
        };
        // The tier starting at 300% is worked out for every evaluation.
        let tiered = component();
        assert_eq!(
            overflow_of(eval(&tiered, Decimal::ZERO).unwrap_err()),
            Decimal::from(3)
        );
        // A band's bound only where a slice looks at it: not for a zero
        // measure (no slice), but for net returns (one slice, at zero).
        let flat = Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Quarter,
            RateTable::Flat(pct("10%")),
        )
        .multiplier(Multiplier::above(rate("300%"), rate("150%")));
        assert!(eval(&flat, Decimal::ZERO).is_ok());
        assert_eq!(
            overflow_of(eval(&flat, Decimal::NEGATIVE_ONE).unwrap_err()),
            Decimal::from(3)
        );
        // An attainment cap is worked out before the tiers.
        let capped = component().cap(Cap::Attainment(rate("400%")));
        assert_eq!(
            overflow_of(eval(&capped, Decimal::ZERO).unwrap_err()),
            Decimal::from(4)
        );
    }
}
