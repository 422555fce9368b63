//! Attainment: actual against target, as an exact ratio.

use std::fmt;

use rust_decimal::Decimal;

use super::Money;
use crate::money::MoneyError;

/// How far an actual figure is toward its target: `actual / target` as a
/// `Decimal` (1 is 100%), or, when the target is zero, no ratio at all.
///
/// A zero target is reported as such instead of being divided by: a new
/// hire with no quota yet is neither at 0% nor at infinity.
///
/// The ratio is exact when it terminates and otherwise correct to 28
/// decimal places (`Decimal`'s precision); it is never rounded further.
///
/// ```
/// use salesplan::{Currency, Money};
/// use salesplan::money::Attainment;
///
/// let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
/// let a = Attainment::of(usd("45000"), usd("60000"))?;
/// assert_eq!(a.ratio().map(|r| r.to_string()), Some("0.75".to_string()));
/// assert_eq!(a.to_string(), "75%");
/// let none = Attainment::of(usd("1200"), usd("0"))?;
/// assert_eq!(none.ratio(), None);
/// assert_eq!(none.to_string(), "no target (actual 1200 USD)");
/// # Ok::<(), salesplan::MoneyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub enum Attainment {
    /// `actual / target`, where 1 is 100%. Negative when net returns exceed
    /// sales.
    Ratio(#[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))] Decimal),
    /// The target is zero, so there is no ratio.
    ZeroTarget {
        /// What was achieved anyway.
        actual: Money,
    },
}

impl Attainment {
    /// `actual` against `target`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] when the currencies differ;
    /// [`MoneyError::Overflow`] when the ratio exceeds a `Decimal`.
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::money::Attainment;
    /// use salesplan::{Currency, Money};
    ///
    /// let usd = |a: &str| Money::parse(a, Currency::USD);
    /// let a = Attainment::of(usd("66000")?, usd("60000")?)?;
    /// assert_eq!(a.to_string(), "110%");
    /// assert_eq!(a.ratio().map(|r| r.to_string()).as_deref(), Some("1.10"));
    /// assert!(Attainment::of(usd("1")?, Money::parse("1", Currency::EUR)?).is_err());
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    pub fn of(actual: Money, target: Money) -> Result<Attainment, MoneyError> {
        if target.is_zero() {
            if actual.currency() != target.currency() {
                return Err(MoneyError::CurrencyMismatch {
                    left: actual.currency(),
                    right: target.currency(),
                });
            }
            return Ok(Attainment::ZeroTarget { actual });
        }
        actual.ratio_to(target).map(Attainment::Ratio)
    }

    /// Attainment from two counts in the same minor units (the rollup's hot
    /// path); `actual_money` is used only to report a zero target.
    pub(crate) fn of_minor(
        actual: i128,
        target: i128,
        actual_money: impl FnOnce() -> Result<Money, MoneyError>,
    ) -> Result<Attainment, MoneyError> {
        if target == 0 {
            return actual_money().map(|actual| Attainment::ZeroTarget { actual });
        }
        match integer_ratio(actual, target) {
            Some(ratio) => Ok(Attainment::Ratio(ratio)),
            None => {
                super::div(super::integer(actual)?, super::integer(target)?).map(Attainment::Ratio)
            }
        }
    }

    /// The ratio (1 is 100%), if the target was not zero.
    pub const fn ratio(&self) -> Option<Decimal> {
        match self {
            Attainment::Ratio(r) => Some(*r),
            Attainment::ZeroTarget { .. } => None,
        }
    }
}

/// The largest `actual / target` (in absolute value) that
/// [`integer_ratio`] computes itself: at 28 decimal places the quotient
/// then stays below 2^96, so `Decimal` never shortens the scale.
const FAST_RATIO_LIMIT: u128 = 7;

/// `actual / target` for two integers, digit for digit and scale for scale
/// what `Decimal::checked_div` gives (the rollup divides a million of them,
/// and this is several times as fast), or `None` outside the range it
/// covers: a target beyond 64 bits, a ratio beyond 7, a zero target. The
/// caller then divides with `Decimal`.
///
/// `Decimal` divides by long division, nine digits at a time (scales 0, 9,
/// 18, 27, then one more digit to 28), stops as soon as the remainder is
/// zero, rounds the 28th digit half to even, and then strips trailing zeros
/// the way its `unscale` does (by 10^8 only while the low 32 bits are
/// zero, then once each by 10^4, 10^2 and 10, so some zeros may stay). The
/// property test below checks this against `Decimal` on random and
/// terminating ratios.
pub(crate) fn integer_ratio(actual: i128, target: i128) -> Option<Decimal> {
    let a = actual.unsigned_abs();
    let b = target.unsigned_abs();
    if b == 0 || b > u128::from(u64::MAX) || a > b.checked_mul(FAST_RATIO_LIMIT)? {
        return None;
    }
    if a == 0 {
        return Some(Decimal::ZERO);
    }
    let (q, scale) = match (u64::try_from(a), u64::try_from(b)) {
        (Ok(a), Ok(b)) if b <= SMALL_DIVISOR => digits_u64(a, b)?,
        _ => digits_u128(a, b)?,
    };
    let signed = i128::try_from(q).ok()?;
    let signed = if (actual < 0) == (target < 0) {
        signed
    } else {
        signed.checked_neg()?
    };
    Decimal::try_from_i128_with_scale(signed, scale).ok()
}

/// Divisors up to 2^34 (170 million dollars in cents) keep every partial
/// remainder times 10^9 within 64 bits, so [`digits_u64`] divides with the
/// machine's 64-bit division; larger ones take [`digits_u128`].
const SMALL_DIVISOR: u64 = 1 << 34;

/// Defines a function giving the quotient's digits and scale as `Decimal`
/// leaves them: nine digits at a time to scale 27, then one more, stopping
/// when the remainder is zero; the last digit rounded half to even;
/// trailing zeros stripped as its `unscale` does. The remainders are kept
/// in `$t` (the divisor's width).
macro_rules! long_division {
    ($(#[$doc:meta])* $name:ident, $t:ty) => {
        $(#[$doc])*
        fn $name(a: $t, b: $t) -> Option<(u128, u32)> {
            let mut q = u128::from(a.checked_div(b)?);
            let mut r = a.checked_rem(b)?;
            if r == 0 {
                return Some((q, 0));
            }
            let mut scale = 0_u32;
            while r != 0 && scale < 28 {
                let (step, power): (u32, $t) = if scale <= 19 {
                    (9, 1_000_000_000)
                } else {
                    (1, 10)
                };
                // r < b and power < 2^30, and the caller keeps b small
                // enough for r * power to fit.
                let x = r.checked_mul(power)?;
                q = q
                    .checked_mul(u128::from(power))?
                    .checked_add(u128::from(x.checked_div(b)?))?;
                r = x.checked_rem(b)?;
                scale = scale.checked_add(step)?;
            }
            if r != 0 {
                let twice = r.checked_mul(2)?;
                if twice > b || (twice == b && q & 1 == 1) {
                    q = q.checked_add(1)?;
                }
            }
            Some(unscale(q, scale))
        }
    };
}

long_division!(
    /// The quotient in the machine's 64-bit division: for divisors up to
    /// [`SMALL_DIVISOR`].
    digits_u64,
    u64
);
long_division!(
    /// The quotient in 128-bit division: for divisors up to 2^64.
    digits_u128,
    u128
);

/// Trailing zeros stripped as `Decimal`'s division does after a remainder.
fn unscale(mut q: u128, mut scale: u32) -> (u128, u32) {
    let mut strip = |mask: u128, places: u32, power: u32| {
        let shorter = (q & mask == 0 && rem_u32(q, power) == Some(0))
            .then(|| {
                Some((
                    q.checked_div(u128::from(power))?,
                    scale.checked_sub(places)?,
                ))
            })
            .flatten();
        if let Some((shorter, fewer)) = shorter {
            (q, scale) = (shorter, fewer);
            true
        } else {
            false
        }
    };
    while strip(0xFFFF_FFFF, 8, 100_000_000) {}
    strip(0xF, 4, 10_000);
    strip(0x3, 2, 100);
    strip(0x1, 1, 10);
    (q, scale)
}

/// `q % m` in 64-bit steps of 32 bits each: `%` on `u128` is a library
/// call, and this is asked for half of all quotients.
#[inline]
fn rem_u32(q: u128, m: u32) -> Option<u64> {
    let m = u64::from(m);
    let mut r = 0_u64;
    // The four 32-bit chunks of `q`, most significant first.
    for chunk in [q >> 96, q >> 64, q >> 32, q] {
        let chunk = (chunk as u64) & 0xFFFF_FFFF;
        // r < m < 2^32, so the shifted r and the chunk fit in 64 bits.
        r = (r.checked_shl(32)? | chunk).checked_rem(m)?;
    }
    Some(r)
}

impl fmt::Display for Attainment {
    /// Percent to two decimal places (display only), or "no target".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Attainment::Ratio(r) => {
                let pct = r
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .map(|p| p.round_dp(2).normalize());
                match pct {
                    Some(p) => write!(f, "{p}%"),
                    None => write!(f, "{r}x"),
                }
            }
            Attainment::ZeroTarget { actual } => write!(f, "no target (actual {actual})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What `Decimal` gives, with its scale.
    fn reference(a: i128, b: i128) -> Option<(i128, u32)> {
        let whole = |v: i128| Decimal::try_from_i128_with_scale(v, 0).unwrap();
        let q = whole(a).checked_div(whole(b))?;
        Some((q.mantissa(), q.scale()))
    }

    fn fast(a: i128, b: i128) -> Option<(i128, u32)> {
        integer_ratio(a, b).map(|q| (q.mantissa(), q.scale()))
    }

    #[test]
    fn worked_ratios_match_decimal() {
        let rows: [(i128, i128); 15] = [
            (3, 4),
            (1, 2),
            (1, 8),
            (1, 3),
            (2, 3),
            (-2, 3),
            (2, -3),
            (-5, -2),
            (7, 1),
            (0, 5),
            (1, 1 << 40),
            (4_500_000, 6_000_000),
            (u64::MAX as i128, u64::MAX as i128),
            (7 * (u64::MAX as i128), u64::MAX as i128),
            (6 * (u64::MAX as i128) + 1, u64::MAX as i128),
        ];
        for (a, b) in rows {
            assert_eq!(fast(a, b), reference(a, b), "{a} / {b}");
        }
        assert_eq!(fast(8, 1), None);
        assert_eq!(fast(100, 1), None);
        assert_eq!(fast(1, 0), None);
        assert_eq!(fast(1, 1 << 64), None);
    }

    /// `v`, negated when `flag` is set.
    fn signed(v: i128, flag: bool) -> i128 {
        if flag { v.checked_neg().unwrap() } else { v }
    }

    proptest! {
        #[test]
        fn random_ratios_match_decimal(b in 1..=i128::from(u64::MAX), num in 0_u64..=7_000_000, neg_a: bool, neg_b: bool) {
            // a anywhere in [0, 7b].
            let a = b.checked_mul(i128::from(num)).unwrap().checked_div(1_000_000).unwrap();
            let (a, b) = (signed(a, neg_a), signed(b, neg_b));
            prop_assert_eq!(fast(a, b), reference(a, b), "{} / {}", a, b);
        }

        #[test]
        fn ratios_either_side_of_the_64_bit_path_match_decimal(b in 1_i128..=(1 << 35), num in 0_u64..=7_000_000_000, neg: bool) {
            let a = signed(b.checked_mul(i128::from(num)).unwrap().checked_div(1_000_000_000).unwrap(), neg);
            prop_assert_eq!(fast(a, b), reference(a, b), "{} / {}", a, b);
        }

        #[test]
        fn remainders_in_64_bit_steps_match(q: u128, m in 1_u32..) {
            let want = q.checked_rem(u128::from(m)).map(|r| r as u64);
            prop_assert_eq!(rem_u32(q, m), want);
        }

        #[test]
        fn small_ratios_match_decimal(a in -700_000_i128..=700_000, b in 1_i128..=100_000) {
            prop_assert_eq!(fast(a, b).is_some(), a.abs() <= b.checked_mul(7).unwrap());
            if let Some(q) = fast(a, b) {
                prop_assert_eq!(Some(q), reference(a, b), "{} / {}", a, b);
            }
        }

        #[test]
        fn terminating_ratios_match_decimal(k in 1_i128..=1_000_000, twos in 0_u32..40, fives in 0_u32..20, mul in 1_i128..=7) {
            // b = 2^twos * 5^fives, so that many quotients terminate, at
            // every length.
            let b = (1_i128 << twos).checked_mul(5_i128.pow(fives)).unwrap();
            let a = mul.checked_mul(b).unwrap().checked_mul(k).unwrap().checked_div(1_000_000).unwrap();
            if b <= i128::from(u64::MAX) {
                prop_assert_eq!(fast(a, b), reference(a, b), "{} / {}", a, b);
            } else {
                prop_assert_eq!(fast(a, b), None);
            }
        }
    }
}
