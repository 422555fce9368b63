//! Unsigned 256-bit integers: just enough for exact `a × b / c` with
//! 128-bit operands, when the product does not fit in 128 bits.

use std::cmp::Ordering;

/// `hi × 2^128 + lo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct U256 {
    hi: u128,
    lo: u128,
}

const LOW64: u128 = u64::MAX as u128;

impl U256 {
    pub(crate) const ZERO: U256 = U256 { hi: 0, lo: 0 };

    #[cfg(test)]
    pub(crate) const fn from_u128(v: u128) -> U256 {
        U256 { hi: 0, lo: v }
    }

    /// The full product of two 128-bit numbers.
    pub(crate) fn mul(a: u128, b: u128) -> U256 {
        let (a1, a0) = (a >> 64, a & LOW64);
        let (b1, b0) = (b >> 64, b & LOW64);
        // Each partial product of 64-bit halves fits in 128 bits.
        let p00 = a0.wrapping_mul(b0);
        let p01 = a0.wrapping_mul(b1);
        let p10 = a1.wrapping_mul(b0);
        let p11 = a1.wrapping_mul(b1);
        // Middle column: high half of p00 plus the low halves of the cross
        // products; at most 3 × (2^64 - 1), no overflow.
        let mid = (p00 >> 64)
            .wrapping_add(p01 & LOW64)
            .wrapping_add(p10 & LOW64);
        let lo = (p00 & LOW64) | (mid << 64);
        let hi = p11
            .wrapping_add(p01 >> 64)
            .wrapping_add(p10 >> 64)
            .wrapping_add(mid >> 64);
        U256 { hi, lo }
    }

    /// `self + other`, or `None` on overflow.
    pub(crate) fn checked_add(self, other: U256) -> Option<U256> {
        let (lo, carry) = self.lo.overflowing_add(other.lo);
        let hi = self
            .hi
            .checked_add(other.hi)?
            .checked_add(u128::from(carry))?;
        Some(U256 { hi, lo })
    }

    /// `self - other`, or `None` when `other > self`.
    pub(crate) fn checked_sub(self, other: U256) -> Option<U256> {
        let (lo, borrow) = self.lo.overflowing_sub(other.lo);
        let hi = self
            .hi
            .checked_sub(other.hi)?
            .checked_sub(u128::from(borrow))?;
        Some(U256 { hi, lo })
    }

    /// `(self / d, self % d)` when the quotient fits in 128 bits; `None`
    /// when `d` is zero or the quotient is too large.
    pub(crate) fn div_rem(self, d: u128) -> Option<(u128, u128)> {
        if d == 0 || self.hi >= d {
            return None;
        }
        if self.hi == 0 {
            return Some((self.lo.checked_div(d)?, self.lo.checked_rem(d)?));
        }
        // Shift-subtract long division over the low 128 bits; the running
        // remainder stays below `d` before each shift, so it fits in 129
        // bits, tracked with a carry flag.
        let mut rem = self.hi;
        let mut quot = 0u128;
        for bit in (0..128).rev() {
            let carry = rem >> 127;
            rem = (rem << 1) | ((self.lo >> bit) & 1);
            quot <<= 1;
            if carry == 1 || rem >= d {
                rem = rem.wrapping_sub(d);
                quot |= 1;
            }
        }
        Some((quot, rem))
    }
}

impl PartialOrd for U256 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for U256 {
    fn cmp(&self, other: &Self) -> Ordering {
        self.hi.cmp(&other.hi).then(self.lo.cmp(&other.lo))
    }
}

/// `(a × b / d, a × b % d)`, exactly, when the quotient fits in 128 bits.
#[inline]
pub(crate) fn mul_div_rem(a: u128, b: u128, d: u128) -> Option<(u128, u128)> {
    if d == 0 {
        return None;
    }
    // Hardware 64-bit division where everything fits (the usual case).
    if let (Ok(a64), Ok(b64), Ok(d64)) = (u64::try_from(a), u64::try_from(b), u64::try_from(d))
        && let Some(p) = a64.checked_mul(b64)
    {
        return Some((
            u128::from(p.checked_div(d64)?),
            u128::from(p.checked_rem(d64)?),
        ));
    }
    match a.checked_mul(b) {
        Some(p) => Some((p.checked_div(d)?, p.checked_rem(d)?)),
        None => U256::mul(a, b).div_rem(d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_and_quotients_match_u128_where_it_fits() {
        let samples = [
            0u128,
            1,
            2,
            7,
            1 << 63,
            (1 << 64) - 1,
            1 << 64,
            12_345_678_901_234_567_890,
            u128::MAX >> 1,
            u128::MAX,
        ];
        for &a in &samples {
            for &b in &samples {
                let p = U256::mul(a, b);
                if let Some(q) = a.checked_mul(b) {
                    assert_eq!(p, U256::from_u128(q));
                }
                for &d in &samples {
                    if let (Some(q), true) = (a.checked_mul(b), d != 0) {
                        assert_eq!(mul_div_rem(a, b, d), Some((q / d, q % d)));
                    }
                }
            }
        }
    }

    #[test]
    fn wide_division_is_exact() {
        // (2^127 + 5) × 3 / (2^64 + 1): check q × d + r == a × b.
        let a = (1u128 << 127) + 5;
        let b = 3u128;
        let d = (1u128 << 64) + 1;
        let (q, r) = mul_div_rem(a, b, d).unwrap();
        assert!(r < d);
        let back = U256::mul(q, d).checked_add(U256::from_u128(r)).unwrap();
        assert_eq!(back, U256::mul(a, b));
        // A quotient that does not fit is refused, not wrapped.
        assert_eq!(mul_div_rem(u128::MAX, u128::MAX, 2), None);
    }

    #[test]
    fn sub_and_add_round_trip() {
        let x = U256::mul(u128::MAX, 3);
        let y = U256::mul(1 << 100, 1 << 27);
        assert_eq!(x.checked_sub(y).unwrap().checked_add(y).unwrap(), x);
        assert_eq!(y.checked_sub(x), None);
        assert_eq!(U256::ZERO.checked_add(U256::ZERO), Some(U256::ZERO));
    }
}
