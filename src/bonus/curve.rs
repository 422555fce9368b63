//! Payout curves: piecewise-linear payout percentages over attainment.

use std::fmt;

use rust_decimal::Decimal;

use crate::error::BonusError;
use crate::money::{Rate, add, div, mul, sub};

/// One point of a [`PayoutCurve`]: at `attainment`, pay `payout` of the
/// target (both as rates: 100% attainment, 50% payout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
///   between the two points around the attainment (exactly, in `Decimal`;
///   a division that does not terminate is correct to 28 digits);
/// - beyond the last point, the last segment's slope continues (a single
///   point stays flat), never below zero and never above the cap;
/// - no point may pay more than the cap.
///
/// Payouts are [`Rate`]s, so they are never negative. Nothing is rounded
/// here: the amount of a bonus is rounded once, where it is paid (see
/// [`TargetBonus`](super::TargetBonus)).
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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "RawCurve", into = "RawCurve")
)]
pub struct PayoutCurve {
    points: Vec<CurvePoint>,
    cap: Rate,
}

/// Where on the curve an attainment fell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
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
pub struct CurveReading {
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_util::decimal_str"))]
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
pub(crate) fn approx(m: crate::money::Money) -> String {
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
        for (index, pair) in points.windows(2).enumerate() {
            if let [before, after] = pair
                && after.attainment <= before.attainment
            {
                return Err(BonusError::UnsortedCurve {
                    index: index.saturating_add(1),
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
    pub fn payout(&self, attainment: Decimal) -> Result<CurveReading, BonusError> {
        let reading = |segment, payout: Decimal| -> Result<CurveReading, BonusError> {
            let (payout, capped) = if payout > self.cap.fraction() {
                (self.cap.fraction(), true)
            } else {
                (payout.max(Decimal::ZERO), false)
            };
            Ok(CurveReading {
                attainment,
                segment,
                payout: Rate::new(payout).map_err(arith)?,
                capped,
            })
        };
        let (Some(first), Some(last)) = (self.points.first(), self.points.last()) else {
            return Err(BonusError::EmptyCurve);
        };
        if attainment < first.attainment.fraction() {
            return reading(Segment::BelowThreshold { first: *first }, Decimal::ZERO);
        }
        // The last point at or below the attainment.
        let at = self
            .points
            .partition_point(|p| p.attainment.fraction() <= attainment);
        let below = at
            .checked_sub(1)
            .and_then(|i| self.points.get(i))
            .unwrap_or(first);
        if below.attainment.fraction() == attainment {
            return reading(Segment::AtPoint { point: *below }, below.payout.fraction());
        }
        match self.points.get(at) {
            Some(above) => reading(
                Segment::Between {
                    from: *below,
                    to: *above,
                },
                interpolate(below, above, attainment)?,
            ),
            None => {
                let before_last = self
                    .points
                    .len()
                    .checked_sub(2)
                    .and_then(|i| self.points.get(i));
                let payout = match before_last {
                    Some(prev) => interpolate(prev, last, attainment)?,
                    None => last.payout.fraction(),
                };
                reading(Segment::Beyond { last: *last }, payout)
            }
        }
    }
}

fn arith(source: crate::error::MoneyError) -> BonusError {
    BonusError::Arithmetic { source }
}

/// The payout on the line through `a` and `b` at `x`, multiplying before
/// dividing.
fn interpolate(a: &CurvePoint, b: &CurvePoint, x: Decimal) -> Result<Decimal, BonusError> {
    let (x0, y0) = (a.attainment.fraction(), a.payout.fraction());
    let (x1, y1) = (b.attainment.fraction(), b.payout.fraction());
    let rise = mul(sub(x, x0).map_err(arith)?, sub(y1, y0).map_err(arith)?).map_err(arith)?;
    let step = div(rise, sub(x1, x0).map_err(arith)?).map_err(arith)?;
    add(y0, step).map(|v| v.normalize()).map_err(arith)
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

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct RawCurve {
    points: Vec<CurvePoint>,
    cap: Rate,
}

#[cfg(feature = "serde")]
impl TryFrom<RawCurve> for PayoutCurve {
    type Error = BonusError;
    fn try_from(raw: RawCurve) -> Result<PayoutCurve, BonusError> {
        PayoutCurve::new(raw.points.iter().map(|p| (p.attainment, p.payout)), raw.cap)
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
