//! Payout curves: piecewise-linear payout percentages over attainment.

use std::fmt;

use rust_decimal::Decimal;

use crate::bonus::BonusError;

use crate::money::{Money, MoneyError, Rate, div, mul, sub};

/// One point of a [`PayoutCurve`]: at `attainment`, pay `payout` of the
/// target (both as rates: 100% attainment, 50% payout).
///
/// In JSON, `{"attainment": "80%", "payout": "50%"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct CurvePoint {
    attainment: Rate,
    payout: Rate,
}

impl CurvePoint {
    /// At `attainment`, pay `payout` of the target.
    pub const fn new(attainment: Rate, payout: Rate) -> CurvePoint {
        CurvePoint { attainment, payout }
    }

    /// The attainment.
    pub const fn attainment(&self) -> Rate {
        self.attainment
    }

    /// The payout at that attainment.
    pub const fn payout(&self) -> Rate {
        self.payout
    }
}

impl fmt::Display for CurvePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} pays {}", self.attainment, self.payout)
    }
}

/// A payout curve: a target bonus is paid at `payout × target`, where the
/// payout depends on attainment.
///
/// The curve is a list of points sorted by attainment, strictly increasing,
/// and a declared cap:
///
/// - below the first point's attainment the payout is **zero** (the
///   threshold: "nothing below 80%");
/// - from the first point to the last, the payout is interpolated linearly
///   between the two points around the attainment, as one fraction
///   `(y0 × (x1 - x0) + (x - x0) × (y1 - y0)) / (x1 - x0)`;
/// - beyond the last point, the last segment's slope continues (a single
///   point stays flat), never below zero and never above the cap;
/// - no point may pay more than the cap.
///
/// Payouts are [`Rate`]s, so they are never negative. Nothing is rounded
/// here: the amount of a bonus is rounded once, where it is paid (see
/// [`TargetBonus`](super::TargetBonus)). A [`CurveReading`] shows the
/// payout as a rate (correct to 28 digits when the fraction does not
/// terminate); the amounts of [`TargetBonus`](super::TargetBonus) and
/// [`TeamBonus`](super::TeamBonus) apply the fraction itself, multiplying
/// before the one division, so a payout of 5/6 of 7,500.00 is exactly
/// 6,250.00.
///
/// ```
/// use salesplan::bonus::PayoutCurve;
/// use salesplan::Rate;
///
/// let r = |s: &str| s.parse::<Rate>().unwrap();
/// // 0 below 80%, 50% at 80% rising to 100% at 100%, 200% at 150%, capped there.
/// let curve = PayoutCurve::new(
///     [(r("80%"), r("50%")), (r("100%"), r("100%")), (r("150%"), r("200%"))],
///     r("200%"),
/// )?;
/// let pay = |a: &str| curve.payout(r(a).fraction()).unwrap().payout().to_string();
/// assert_eq!(pay("79%"), "0%");
/// assert_eq!(pay("90%"), "75%");
/// assert_eq!(pay("120%"), "140%");
/// assert_eq!(pay("180%"), "200%");
/// # Ok::<(), salesplan::BonusError>(())
/// ```
///
/// In JSON, `{"points": [point, ..], "cap": "200%"}`, checked as by
/// [`PayoutCurve::new`] (points sorted by attainment, none above the cap):
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::bonus::PayoutCurve;
/// let curve: PayoutCurve = serde_json::from_str(r#"{
///     "points": [
///         {"attainment": "80%", "payout": "50%"},
///         {"attainment": "100%", "payout": "100%"},
///         {"attainment": "150%", "payout": "200%"}
///     ],
///     "cap": "200%"
/// }"#)?;
/// assert_eq!(curve.points().len(), 3);
/// // An unknown field is refused, naming it; so is a point above the cap.
/// let err = serde_json::from_str::<PayoutCurve>(
///     r#"{"points": [{"attainment": "80%", "payout": "50%"}], "cap": "200%", "floor": "0%"}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("unknown field `floor`"));
/// let err = serde_json::from_str::<PayoutCurve>(
///     r#"{"points": [{"attainment": "80%", "payout": "250%"}], "cap": "200%"}"#,
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("above its cap"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawCurve", into = "RawCurve"))]
pub struct PayoutCurve {
    points: Vec<CurvePoint>,
    cap: Rate,
}

/// Where on the curve an attainment fell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum Segment {
    /// Below the first point: nothing is paid.
    BelowThreshold {
        /// The first point.
        first: CurvePoint,
    },
    /// Exactly on a point.
    AtPoint {
        /// The point.
        point: CurvePoint,
    },
    /// Between two points, interpolated linearly.
    Between {
        /// The point below.
        from: CurvePoint,
        /// The point above.
        to: CurvePoint,
    },
    /// Beyond the last point, on the extension of the last segment (or
    /// flat after a single point).
    Beyond {
        /// The last point.
        last: CurvePoint,
    },
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Segment::BelowThreshold { first } => {
                write!(f, "below the threshold of {}", first.attainment)
            }
            Segment::AtPoint { point } => write!(f, "on the point {point}"),
            Segment::Between { from, to } => {
                write!(f, "between {from} and {to}, interpolated linearly")
            }
            Segment::Beyond { last } => write!(f, "beyond the last point ({last})"),
        }
    }
}

/// A reading of a [`PayoutCurve`]: the attainment, the segment used, the
/// payout and whether the cap bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct CurveReading {
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    attainment: Decimal,
    segment: Segment,
    payout: Rate,
    capped: bool,
}

impl CurveReading {
    /// The attainment read (1 is 100%).
    pub const fn attainment(&self) -> Decimal {
        self.attainment
    }

    /// The segment of the curve used.
    pub const fn segment(&self) -> Segment {
        self.segment
    }

    /// The payout, as a rate of the target.
    pub const fn payout(&self) -> Rate {
        self.payout
    }

    /// Whether the cap decided the payout.
    pub const fn capped(&self) -> bool {
        self.capped
    }
}

impl fmt::Display for CurveReading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "attainment {} is {}: payout {}",
            percent(self.attainment),
            self.segment,
            percent(self.payout.fraction())
        )?;
        if self.capped {
            write!(f, " (capped)")?;
        }
        Ok(())
    }
}

/// A ratio as a percentage for people (`0.8` is `80%`), to two decimal
/// places (display only; the data stays exact).
pub(crate) fn percent(ratio: Decimal) -> String {
    ratio.checked_mul(Decimal::ONE_HUNDRED).map_or_else(
        || format!("{ratio}x"),
        |p| {
            let shown = p.round_dp(2).normalize();
            if shown == p.normalize() {
                format!("{shown}%")
            } else {
                format!("about {shown}%")
            }
        },
    )
}

/// An unrounded amount for people: exact when it has at most four places
/// beyond the currency's minor units, otherwise "about" and cut there
/// (display only).
pub(crate) fn approx(m: Money) -> String {
    // bound: minor units are at most MAX_MINOR_UNITS (a u8), far below
    // u32::MAX - 4.
    let places = u32::from(m.currency().minor_units()).saturating_add(4);
    let shown = m.amount().round_dp(places);
    if shown == m.amount() {
        m.to_string()
    } else {
        format!("about {} {}", shown.normalize(), m.currency())
    }
}

impl PayoutCurve {
    /// A curve through `points` (attainment, payout), capped at `cap`.
    ///
    /// # Errors
    ///
    /// [`BonusError::EmptyCurve`] without points;
    /// [`BonusError::UnsortedCurve`] when a point's attainment is not above
    /// the previous one's; [`BonusError::PointAboveCap`] when a point pays
    /// more than the cap.
    ///
    /// # Examples
    ///
    ///
    /// ```
    /// use salesplan::bonus::PayoutCurve;
    /// use salesplan::{BonusError, Rate};
    ///
    /// let r = |s: &str| s.parse::<Rate>().unwrap();
    /// let unsorted = PayoutCurve::new([(r("100%"), r("100%")), (r("80%"), r("50%"))], r("150%"));
    /// assert!(matches!(unsorted, Err(BonusError::UnsortedCurve { index: 1, .. })));
    /// let above_cap = PayoutCurve::new([(r("100%"), r("100%")), (r("150%"), r("200%"))], r("150%"));
    /// assert!(matches!(above_cap, Err(BonusError::PointAboveCap { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        points: impl IntoIterator<Item = (Rate, Rate)>,
        cap: Rate,
    ) -> Result<PayoutCurve, BonusError> {
        let points: Vec<CurvePoint> = points
            .into_iter()
            .map(|(a, p)| CurvePoint::new(a, p))
            .collect();
        if points.is_empty() {
            return Err(BonusError::EmptyCurve);
        }
        // Point `index` against the one before it.
        for (index, pair) in (1usize..).zip(points.windows(2)) {
            if let [before, after] = pair
                && after.attainment <= before.attainment
            {
                return Err(BonusError::UnsortedCurve {
                    index,
                    previous: before.attainment,
                    attainment: after.attainment,
                });
            }
        }
        if let Some(p) = points.iter().find(|p| p.payout > cap) {
            return Err(BonusError::PointAboveCap {
                attainment: p.attainment,
                payout: p.payout,
                cap,
            });
        }
        Ok(PayoutCurve { points, cap })
    }

    /// The points, by attainment.
    pub fn points(&self) -> &[CurvePoint] {
        &self.points
    }

    /// The cap.
    pub const fn cap(&self) -> Rate {
        self.cap
    }

    /// The payout at `attainment` (a ratio: 1 is 100%; negative when
    /// returns exceed sales, which pays nothing), with the segment used.
    ///
    /// # Errors
    ///
    /// [`BonusError::Arithmetic`] when extending the last segment
    /// overflows a `Decimal` (an attainment around 10^26).
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::bonus::PayoutCurve;
    /// use salesplan::Rate;
    ///
    /// let r = |s: &str| s.parse::<Rate>().unwrap();
    /// let curve = PayoutCurve::new([(r("80%"), r("50%")), (r("100%"), r("100%"))], r("150%"))?;
    /// let at = |a: &str| curve.payout(r(a).fraction()).map(|reading| reading.to_string());
    /// assert_eq!(at("70%")?, "attainment 70% is below the threshold of 80%: payout 0%");
    /// assert_eq!(
    ///     at("90%")?,
    ///     "attainment 90% is between 80% pays 50% and 100% pays 100%, interpolated linearly: payout 75%"
    /// );
    /// // Past the last point the last segment goes on, up to the cap.
    /// assert_eq!(at("110%")?, "attainment 110% is beyond the last point (100% pays 100%): payout 125%");
    /// assert_eq!(
    ///     at("200%")?,
    ///     "attainment 200% is beyond the last point (100% pays 100%): payout 150% (capped)"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn payout(&self, attainment: Decimal) -> Result<CurveReading, BonusError> {
        self.read(attainment).map(|(reading, _)| reading)
    }

    /// The reading at `attainment`, and its payout as an exact fraction
    /// for amounts.
    pub(crate) fn read(&self, attainment: Decimal) -> Result<(CurveReading, Share), BonusError> {
        self.read_fraction(attainment, attainment, Decimal::ONE)
    }

    /// The reading at the attainment `actual / target` (a team's credited
    /// total against its quota), compared and interpolated without
    /// dividing first; the payout as an exact fraction for amounts.
    /// `attainment` is that ratio as the caller shows it (the reading
    /// carries it).
    pub(crate) fn read_fraction(
        &self,
        attainment: Decimal,
        actual: Decimal,
        target: Decimal,
    ) -> Result<(CurveReading, Share), BonusError> {
        if target.is_zero() {
            return Err(arith(MoneyError::DivisionByZero { dividend: actual }));
        }
        let (n, d) = if target.is_sign_negative() {
            (crate::money::neg(actual), crate::money::neg(target))
        } else {
            (actual, target)
        };
        let (segment, share) = self.segment(n, d)?;
        let cap = self.cap.fraction();
        // share > cap  <=>  numerator > cap × denominator (denominator > 0).
        let over = share.numerator > mul(cap, share.denominator).map_err(arith)?;
        let (share, capped) = if over {
            (Share::whole(cap), true)
        } else if share.numerator.is_sign_negative() && !share.numerator.is_zero() {
            (Share::whole(Decimal::ZERO), false)
        } else {
            (share, false)
        };
        let payout = div(share.numerator, share.denominator)
            .map(|p| p.normalize())
            .map_err(arith)?;
        let reading = CurveReading {
            attainment,
            segment,
            payout: Rate::new(payout).map_err(arith)?,
            capped,
        };
        Ok((reading, share))
    }

    /// The segment the attainment `n / d` (`d > 0`) falls in, and the
    /// payout it reads there before the cap and the floor at zero.
    fn segment(&self, n: Decimal, d: Decimal) -> Result<(Segment, Share), BonusError> {
        // How many points are at or below n / d (d > 0: no division).
        let mut at = 0usize;
        for (count, p) in (1usize..).zip(&self.points) {
            if mul(p.attainment.fraction(), d).map_err(arith)? > n {
                break;
            }
            at = count;
        }
        let (Some(first), Some(last)) = (self.points.first(), self.points.last()) else {
            return Err(BonusError::EmptyCurve);
        };
        let Some(below) = at.checked_sub(1).and_then(|i| self.points.get(i)) else {
            return Ok((
                Segment::BelowThreshold { first: *first },
                Share::whole(Decimal::ZERO),
            ));
        };
        if mul(below.attainment.fraction(), d).map_err(arith)? == n {
            return Ok((
                Segment::AtPoint { point: *below },
                Share::whole(below.payout.fraction()),
            ));
        }
        Ok(match self.points.get(at) {
            Some(above) => (
                Segment::Between {
                    from: *below,
                    to: *above,
                },
                interpolate(below, above, n, d)?,
            ),
            None => {
                let before_last = self
                    .points
                    .len()
                    .checked_sub(2)
                    .and_then(|i| self.points.get(i));
                let share = match before_last {
                    Some(prev) => interpolate(prev, last, n, d)?,
                    None => Share::whole(last.payout.fraction()),
                };
                (Segment::Beyond { last: *last }, share)
            }
        })
    }
}

fn arith(source: MoneyError) -> BonusError {
    BonusError::Arithmetic { source }
}

/// A payout as an exact fraction `numerator / denominator` (the
/// denominator above zero), so that amounts multiply before they divide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Share {
    numerator: Decimal,
    denominator: Decimal,
}

impl Share {
    /// `value / 1`.
    const fn whole(value: Decimal) -> Share {
        Share {
            numerator: value,
            denominator: Decimal::ONE,
        }
    }

    /// `amount × numerator × covered / (denominator × total)`: the payout
    /// of `amount` for `covered` of `total` units, one division at the
    /// end, unrounded. `total` must be above zero.
    pub(crate) fn of(self, amount: Money, covered: u32, total: u32) -> Result<Money, MoneyError> {
        let numerator =
            mul(amount.amount(), self.numerator).and_then(|x| mul(x, Decimal::from(covered)))?;
        let denominator = mul(self.denominator, Decimal::from(total))?;
        div(numerator, denominator).map(|v| Money::new(v, amount.currency()))
    }
}

/// The payout on the line through `a` and `b` at `x = n / d` (`d > 0`),
/// as one fraction: `y0 + (x - x0) × (y1 - y0) / (x1 - x0)` is
/// `(y0 × (x1 - x0) × d + (n - x0 × d) × (y1 - y0)) / ((x1 - x0) × d)`.
fn interpolate(
    a: &CurvePoint,
    b: &CurvePoint,
    n: Decimal,
    d: Decimal,
) -> Result<Share, BonusError> {
    let (x0, y0) = (a.attainment.fraction(), a.payout.fraction());
    let (x1, y1) = (b.attainment.fraction(), b.payout.fraction());
    let run = sub(x1, x0).map_err(arith)?;
    let base = mul(y0, run).and_then(|v| mul(v, d)).map_err(arith)?;
    let past = mul(x0, d).and_then(|v| sub(n, v)).map_err(arith)?;
    let rise = mul(past, sub(y1, y0).map_err(arith)?).map_err(arith)?;
    Ok(Share {
        numerator: crate::money::add(base, rise).map_err(arith)?,
        denominator: mul(run, d).map_err(arith)?,
    })
}

impl fmt::Display for PayoutCurve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "0 below {}",
            self.points.first().map_or(Rate::ZERO, |p| p.attainment)
        )?;
        for p in &self.points {
            write!(f, "; {p}")?;
        }
        write!(f, "; capped at {}", self.cap)
    }
}

crate::validated::via_raw! {
    #[derive(serde::Serialize)]
    RawCurve => PayoutCurve, BonusError {
        points: Vec<CurvePoint>,
        cap: Rate,
    } => {
        PayoutCurve::new(points.iter().map(|p| (p.attainment, p.payout)), cap)
    }
}

#[cfg(feature = "serde")]
impl From<PayoutCurve> for RawCurve {
    fn from(curve: PayoutCurve) -> RawCurve {
        RawCurve {
            points: curve.points,
            cap: curve.cap,
        }
    }
}
