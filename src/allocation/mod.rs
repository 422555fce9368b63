//! Splitting a total exactly: the allocation core used by quota planning,
//! split credit and team bonus pools.
//!
//! [`allocate`] splits a [`Money`] total over recipients in proportion to
//! their weights, in the currency's minor units, by the largest-remainder
//! method. It guarantees:
//!
//! - the shares sum to the total exactly;
//! - every share differs from its exact proportional value by less than one
//!   minor unit (unless a floor or cap binds);
//! - a zero weight gets zero, and every share has the sign of the total;
//! - ties between equal remainders go to the smaller key, so the result does
//!   not depend on the order of the recipients: permuting the input permutes
//!   the output the same way.
//!
//! Floors and caps are met by water-filling: a recipient whose proportional
//! share is below its floor gets the floor, one above its cap gets the cap,
//! and the rest is shared in proportion among the others, until every
//! bound holds. Infeasible bounds are an error.
//!
//! Arithmetic is exact: weights are scaled to integers and every share is
//! `total × weight / sum of weights` computed in integers (256 bits where
//! 128 do not suffice), never in floating point and never rounded before
//! the last step.
//!
//! ```
//! use rust_decimal::Decimal;
//! use salesplan::allocation::{allocate, Recipient};
//! use salesplan::{Currency, Money};
//!
//! // One cent over weights [0, 1, 1]: the zero weight gets nothing, and
//! // the tie goes to the smaller key.
//! let total = Money::parse("0.01", Currency::USD)?;
//! let recipients = [
//!     Recipient::new("a", Decimal::ZERO),
//!     Recipient::new("b", Decimal::ONE),
//!     Recipient::new("c", Decimal::ONE),
//! ];
//! let shares = allocate(total, &recipients)?;
//! let amounts: Vec<String> = shares.iter().map(|s| s.amount().to_string()).collect();
//! assert_eq!(amounts, ["0.00 USD", "0.01 USD", "0.00 USD"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod error;
pub use self::error::AllocationError;

pub(crate) mod wide;

use std::fmt;

use rust_decimal::Decimal;

use self::wide::{U256, mul_div_rem};
use crate::money::{self, Currency, Money, MoneyError, Percent, Rate, RoundingPolicy};

/// One recipient of an allocation: a key (an id; it breaks ties), a weight,
/// and optionally a floor and a cap on its share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient<K> {
    key: K,
    weight: Decimal,
    floor: Option<Money>,
    cap: Option<Money>,
}

impl<K> Recipient<K> {
    /// A recipient with a weight (any non-negative number: prior-year sales,
    /// potential, headcount, a percentage).
    pub const fn new(key: K, weight: Decimal) -> Self {
        Recipient {
            key,
            weight,
            floor: None,
            cap: None,
        }
    }

    /// Gets at least `floor` (in magnitude, for a negative total).
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::allocation::{allocate, Recipient};
    /// use salesplan::{Currency, Money};
    ///
    /// let usd = |a: &str| Money::parse(a, Currency::USD);
    /// let recipients = [
    ///     Recipient::new("a", Decimal::from(1)).with_floor(usd("300.00")?),
    ///     Recipient::new("b", Decimal::from(4)),
    ///     Recipient::new("c", Decimal::from(5)),
    /// ];
    /// // "a" would get 100.00: it gets its floor, and b and c share the rest 4:5.
    /// let shares: Vec<String> = allocate(usd("1000.00")?, &recipients)?.iter().map(|s| s.to_string()).collect();
    /// assert_eq!(shares, ["300.00 USD (floor)", "311.11 USD", "388.89 USD (+1 largest remainder)"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_floor(mut self, floor: Money) -> Self {
        self.floor = Some(floor);
        self
    }

    /// Gets at most `cap` (in magnitude, for a negative total).
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::allocation::{allocate, Recipient};
    /// use salesplan::{Currency, Money};
    ///
    /// let usd = |a: &str| Money::parse(a, Currency::USD);
    /// let capped = |cap| Recipient::new("a", Decimal::from(8)).with_cap(cap);
    /// let others = [Recipient::new("b", Decimal::ONE), Recipient::new("c", Decimal::ONE)];
    /// let shares = allocate(usd("1000.00")?, &[capped(usd("500.00")?), others[0].clone(), others[1].clone()])?;
    /// let amounts: Vec<String> = shares.iter().map(|s| s.amount().to_string()).collect();
    /// assert_eq!(amounts, ["500.00 USD", "250.00 USD", "250.00 USD"]);
    /// // Caps that cannot hold the total are an error.
    /// let tight = [Recipient::new("a", Decimal::ONE).with_cap(usd("400.00")?), Recipient::new("b", Decimal::ONE).with_cap(usd("400.00")?)];
    /// assert!(allocate(usd("1000.00")?, &tight).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_cap(mut self, cap: Money) -> Self {
        self.cap = Some(cap);
        self
    }

    /// The key.
    pub const fn key(&self) -> &K {
        &self.key
    }

    /// The weight.
    pub const fn weight(&self) -> Decimal {
        self.weight
    }

    /// The floor, if any.
    pub const fn floor(&self) -> Option<Money> {
        self.floor
    }

    /// The cap, if any.
    pub const fn cap(&self) -> Option<Money> {
        self.cap
    }
}

/// Whether a bound decided a share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Bound {
    /// The share is proportional to the weight.
    Proportional,
    /// The recipient's floor bound: it gets exactly its floor.
    Floor,
    /// The recipient's cap bound: it gets exactly its cap.
    Cap,
}

/// One recipient's share, with how it came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Share {
    amount: Money,
    bound: Bound,
    extra_unit: bool,
}

impl Share {
    /// The share, in whole minor units.
    pub const fn amount(&self) -> Money {
        self.amount
    }

    /// Whether a floor or cap decided it.
    pub const fn bound(&self) -> Bound {
        self.bound
    }

    /// Whether the share got one extra minor unit for having one of the
    /// largest remainders (otherwise it is its exact value rounded toward
    /// zero).
    pub const fn extra_unit(&self) -> bool {
        self.extra_unit
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.amount)?;
        match self.bound {
            Bound::Floor => write!(f, " (floor)")?,
            Bound::Cap => write!(f, " (cap)")?,
            Bound::Proportional if self.extra_unit => write!(f, " (+1 largest remainder)")?,
            Bound::Proportional => {}
        }
        Ok(())
    }
}

/// Weights scaled to integers with a common number of decimal places, and
/// their sum (checked, so every partial sum fits too).
pub(crate) fn scaled_weights(
    weights: impl ExactSizeIterator<Item = Decimal>,
) -> Result<(Vec<u128>, u128), AllocationError> {
    let weights: Vec<Decimal> = weights.map(|w| w.normalize()).collect();
    for (index, w) in weights.iter().enumerate() {
        if w.is_sign_negative() && !w.is_zero() {
            return Err(AllocationError::NegativeWeight { index, weight: *w });
        }
    }
    let scale = weights.iter().fold(0, |s, w| s.max(w.scale()));
    let mut total = 0u128;
    let mut scaled = Vec::with_capacity(weights.len());
    for (index, w) in weights.iter().enumerate() {
        let out_of_range = AllocationError::WeightsOutOfRange { index, weight: *w };
        // Not negative (checked above), so the magnitude is the value.
        let m = w.mantissa().unsigned_abs();
        let v = scale
            .checked_sub(w.scale())
            .and_then(|places| 10u128.checked_pow(places))
            .and_then(|p| m.checked_mul(p))
            .ok_or_else(|| out_of_range.clone())?;
        total = total.checked_add(v).ok_or(out_of_range)?;
        scaled.push(v);
    }
    Ok((scaled, total))
}

/// A split prepared once and applied to many totals: integer weights, their
/// sum, and the tie-break order of the recipients.
///
/// Splitting the same profile over a million totals (every position's year
/// into months) prepares the weights once.
///
/// ```
/// use rust_decimal::Decimal;
/// use salesplan::allocation::Split;
/// use salesplan::{Currency, Money};
///
/// // Three months weighted 30/30/40. The odd cent's exact shares are 0.3,
/// // 0.3 and 0.4 of a cent: it goes to the largest, the third month.
/// let split = Split::new(&[(1, Decimal::from(30)), (2, Decimal::from(30)), (3, Decimal::from(40))])?;
/// let q = Money::parse("1000.01", Currency::USD)?;
/// let months: Vec<String> = split.apply(q)?.iter().map(|m| m.to_string()).collect();
/// assert_eq!(months, ["300.00 USD", "300.00 USD", "400.01 USD"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    weights: Vec<u128>,
    total: u128,
    /// Each recipient's place in tie-break (key) order.
    rank: Vec<u32>,
}

impl Split {
    /// Prepares a split over `(key, weight)` pairs.
    ///
    /// # Errors
    ///
    /// [`AllocationError::NoRecipients`], [`AllocationError::NegativeWeight`],
    /// [`AllocationError::ZeroWeights`],
    /// [`AllocationError::DuplicateRecipient`],
    /// [`AllocationError::WeightsOutOfRange`] (weights spanning more than
    /// 38 orders of magnitude).
    pub fn new<K: Ord>(recipients: &[(K, Decimal)]) -> Result<Split, AllocationError> {
        let order = key_order(recipients.iter().map(|(k, _)| k))?;
        let (weights, total) = scaled_weights(recipients.iter().map(|(_, w)| *w))?;
        Split::from_parts(weights, total, order)
    }

    /// Equal weights over `keys`.
    ///
    /// # Errors
    ///
    /// [`AllocationError::NoRecipients`] and
    /// [`AllocationError::DuplicateRecipient`].
    ///
    /// # Examples
    ///
    /// ```
    /// use salesplan::allocation::Split;
    /// use salesplan::{Currency, Money};
    ///
    /// let split = Split::equal(&["ada", "bo", "cy"])?;
    /// let shares: Vec<String> = split.apply(Money::parse("100.00", Currency::USD)?)?.iter().map(|m| m.to_string()).collect();
    /// // The odd cent goes to the smallest key.
    /// assert_eq!(shares, ["33.34 USD", "33.33 USD", "33.33 USD"]);
    /// assert!(Split::equal(&["ada", "ada"]).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn equal<K: Ord>(keys: &[K]) -> Result<Split, AllocationError> {
        let order = key_order(keys.iter())?;
        let n = u128::try_from(keys.len())
            .map_err(|_| AllocationError::TooManyRecipients { count: keys.len() })?;
        Split::from_parts(vec![1; keys.len()], n, order)
    }

    fn from_parts(
        weights: Vec<u128>,
        total: u128,
        order: Vec<u32>,
    ) -> Result<Split, AllocationError> {
        if total == 0 {
            return Err(AllocationError::ZeroWeights);
        }
        Ok(Split {
            weights,
            total,
            rank: ranks(&order),
        })
    }

    /// How many recipients.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Never true: a split has recipients.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Splits `total` minor units into `out` (cleared first), and marks in
    /// `extra` (when given) which shares got an extra unit.
    pub(crate) fn apply_minor(
        &self,
        total: i128,
        out: &mut Vec<i128>,
        extra: Option<&mut Vec<bool>>,
    ) {
        out.clear();
        out.resize(self.weights.len(), 0);
        match extra {
            Some(flags) => {
                flags.clear();
                flags.resize(self.weights.len(), false);
                self.apply_into(total, out, Some(flags));
            }
            None => self.apply_into(total, out, None),
        }
    }

    /// Splits `total` minor units into `out` (one slot per recipient),
    /// marking in `extra` which shares got an extra unit. No allocation for
    /// up to 32 recipients.
    ///
    /// Nothing here can overflow: a `Split`'s weights are positive in sum
    /// and add up to `self.total` (checked when it was built), so each
    /// share `|total| × w / self.total` is at most `|total|`, the shares
    /// rounded down add up to at most `|total|`, and the units left over
    /// are fewer than the shares with a remainder.
    pub(crate) fn apply_into(&self, total: i128, out: &mut [i128], mut extra: Option<&mut [bool]>) {
        const STACK: usize = 32;
        let magnitude = total.unsigned_abs();
        let negative = total < 0;
        // (remainder, rank, index) of every share with a remainder.
        let mut stack = [(0u128, 0u32, 0u32); STACK];
        let mut heap = Vec::new();
        let mut count = 0usize;
        let mut given = 0u128;
        for (i, ((w, slot), rank)) in
            (0u32..).zip(self.weights.iter().zip(out.iter_mut()).zip(&self.rank))
        {
            debug_assert!(*w <= self.total && self.total > 0);
            // bound: `w <= self.total` and `self.total > 0`, so the quotient
            // exists and is at most `magnitude`; (0, 0) is never used.
            let (q, r) = mul_div_rem(magnitude, *w, self.total).unwrap_or((0, 0));
            // bound: the shares rounded down add up to at most `magnitude`.
            given = given.saturating_add(q);
            *slot = with_sign(q, negative);
            if r > 0 {
                let entry = (r, *rank, i);
                match stack.get_mut(count) {
                    Some(s) if heap.is_empty() => *s = entry,
                    _ => {
                        if heap.is_empty() {
                            heap.extend_from_slice(&stack);
                        }
                        heap.push(entry);
                    }
                }
                // bound: one per recipient, and `count` counts into a Vec.
                count = count.saturating_add(1);
            }
        }
        debug_assert!(given <= magnitude);
        // bound: `given <= magnitude` (above), and the rest is below
        // `count`, a usize: the exact remainders, each under one unit, add
        // up to it.
        let leftover = usize::try_from(magnitude.saturating_sub(given)).unwrap_or(count);
        if leftover > 0 {
            let remainders: &mut [(u128, u32, u32)] = if heap.is_empty() {
                stack.get_mut(..count).unwrap_or_default()
            } else {
                &mut heap
            };
            // The `leftover` largest remainders, equal remainders in key
            // order. (`leftover` is below the number of remainders: their
            // fractions sum to it.)
            let by_size =
                |a: &(u128, u32, u32), b: &(u128, u32, u32)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
            if leftover < remainders.len() {
                remainders.select_nth_unstable_by(leftover, by_size);
            }
            let unit = if negative { -1 } else { 1 };
            for &(_, _, i) in remainders.iter().take(leftover) {
                if let Some(share) = out.get_mut(i as usize) {
                    // bound: a share with a remainder is below its exact
                    // value, which is at most `magnitude` in size.
                    *share = share.saturating_add(unit);
                }
                if let Some(flag) = extra.as_deref_mut().and_then(|e| e.get_mut(i as usize)) {
                    *flag = true;
                }
            }
        }
    }

    /// Splits `total`, in its currency's minor units.
    ///
    /// # Errors
    ///
    /// [`AllocationError::Total`] when `total` is not a whole number of
    /// minor units.
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::allocation::Split;
    /// use salesplan::{Currency, Money};
    ///
    /// let split = Split::new(&[("north", Decimal::from(2)), ("south", Decimal::from(1))])?;
    /// let usd = |a: &str| Money::parse(a, Currency::USD);
    /// let shares: Vec<String> = split.apply(usd("-100.00")?)?.iter().map(|m| m.to_string()).collect();
    /// assert_eq!(shares, ["-66.67 USD", "-33.33 USD"]); // a clawback splits the same way
    /// assert!(split.apply(usd("1.005")?).is_err()); // not whole cents
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply(&self, total: Money) -> Result<Vec<Money>, AllocationError> {
        let minor = total
            .to_minor()
            .map_err(|source| AllocationError::Total { source })?;
        let mut out = Vec::with_capacity(self.weights.len());
        self.apply_minor(minor, &mut out, None);
        out.into_iter()
            .map(|m| Money::from_minor(m, total.currency()))
            .collect::<Result<_, _>>()
            .map_err(|source| AllocationError::Total { source })
    }
}

/// `magnitude` with a sign: exact for any `magnitude <= |total|` of an
/// `i128` total, since `-2^127 <= -magnitude` and a positive total is at
/// most `i128::MAX`.
pub(crate) fn with_sign(magnitude: u128, negative: bool) -> i128 {
    // bound: `magnitude` is at most the size of the total it is part of.
    if negative {
        0i128.checked_sub_unsigned(magnitude).unwrap_or(i128::MIN)
    } else {
        i128::try_from(magnitude).unwrap_or(i128::MAX)
    }
}

/// Each recipient's place in `order`.
fn ranks(order: &[u32]) -> Vec<u32> {
    let mut rank = vec![0u32; order.len()];
    for (r, &i) in (0u32..).zip(order) {
        if let Some(slot) = rank.get_mut(i as usize) {
            *slot = r;
        }
    }
    rank
}

/// Recipient indexes sorted by key; an error names two recipients with the
/// same key.
fn key_order<'k, K: Ord + 'k>(
    keys: impl ExactSizeIterator<Item = &'k K>,
) -> Result<Vec<u32>, AllocationError> {
    let keys: Vec<&K> = keys.collect();
    if keys.is_empty() {
        return Err(AllocationError::NoRecipients);
    }
    let mut order: Vec<u32> = (0..u32::try_from(keys.len())
        .map_err(|_| AllocationError::TooManyRecipients { count: keys.len() })?)
        .collect();
    let key = |i: &u32| keys.get(*i as usize).copied();
    order.sort_by(|a, b| key(a).cmp(&key(b)));
    for pair in order.windows(2) {
        if let [a, b] = pair
            && key(a) == key(b)
        {
            let (first, second) = (*a.min(b) as usize, *a.max(b) as usize);
            return Err(AllocationError::DuplicateRecipient { first, second });
        }
    }
    Ok(order)
}

/// A bound in minor units, checked: same currency as the total, whole
/// minor units, not negative.
fn bound_minor(index: usize, bound: Money, currency: Currency) -> Result<u128, AllocationError> {
    if bound.currency() != currency {
        return Err(AllocationError::Bound {
            index,
            source: MoneyError::CurrencyMismatch {
                left: currency,
                right: bound.currency(),
            },
        });
    }
    let minor = bound
        .to_minor()
        .map_err(|source| AllocationError::Bound { index, source })?;
    u128::try_from(minor).map_err(|_| AllocationError::NegativeBound { index, bound })
}

/// Splits `total` over `recipients` in proportion to their weights, within
/// their floors and caps, in whole minor units; see the [module
/// documentation](self) for the guarantees.
///
/// The shares come back in the order of `recipients`.
///
/// # Errors
///
/// - [`AllocationError::NoRecipients`] for an empty list;
/// - [`AllocationError::NegativeWeight`] naming the recipient;
/// - [`AllocationError::ZeroWeights`] when every weight is zero;
/// - [`AllocationError::DuplicateRecipient`] naming both recipients;
/// - [`AllocationError::Total`] for a total with fractions of a minor unit;
/// - [`AllocationError::Bound`] and [`AllocationError::NegativeBound`] for a
///   floor or cap in another currency, with fractions of a minor unit, or
///   negative; [`AllocationError::FloorAboveCap`];
/// - [`AllocationError::FloorsExceedTotal`] when the floors add up to more
///   than the total, [`AllocationError::CapsBelowTotal`] when the recipients
///   cannot take it all;
/// - [`AllocationError::WeightsOutOfRange`] for weights spanning more than
///   38 orders of magnitude.
///
/// # Examples
///
/// ```
/// use rust_decimal::Decimal;
/// use salesplan::allocation::{allocate, Bound, Recipient};
/// use salesplan::{Currency, Money};
///
/// let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
/// // Split 100,000 by prior-year sales, but nobody gets more than 40,000.
/// let recipients = [
///     Recipient::new("ann", Decimal::from(700)).with_cap(usd("40000")),
///     Recipient::new("bob", Decimal::from(200)),
///     Recipient::new("cy", Decimal::from(100)),
/// ];
/// let shares = allocate(usd("100000.00"), &recipients)?;
/// assert_eq!(shares[0].amount(), usd("40000.00"));
/// assert_eq!(shares[0].bound(), Bound::Cap);
/// // The other 60,000 is shared 2:1.
/// assert_eq!(shares[1].amount(), usd("40000.00"));
/// assert_eq!(shares[2].amount(), usd("20000.00"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn allocate<K: Ord>(
    total: Money,
    recipients: &[Recipient<K>],
) -> Result<Vec<Share>, AllocationError> {
    let currency = total.currency();
    let order = key_order(recipients.iter().map(Recipient::key))?;
    // The checked total bounds every partial sum of weights below.
    let (weights, weight_total) = scaled_weights(recipients.iter().map(Recipient::weight))?;
    if weight_total == 0 {
        return Err(AllocationError::ZeroWeights);
    }
    let total_minor = total
        .to_minor()
        .map_err(|source| AllocationError::Total { source })?;
    let magnitude = total_minor.unsigned_abs();
    let (lo, hi) = minor_bounds(recipients, &weights, currency)?;
    check_feasible(&lo, &hi, magnitude, total)?;
    let (fixed, fixed_total) = water_fill(&weights, &lo, &hi, magnitude);
    let negative = total_minor < 0;
    // bound: the fixed recipients never take more than the total (see
    // `water_fill`).
    let rest = with_sign(magnitude.saturating_sub(fixed_total), negative);
    let (amounts, extra) = split_free(&weights, &fixed, &order, rest);
    fixed
        .iter()
        .zip(amounts.iter().zip(&extra))
        .map(|(f, (amount, extra_unit))| {
            let (minor, bound) = match f {
                // bound: each fixed share is part of what the fixed take,
                // at most the total.
                Some((v, kind)) => (with_sign(*v, negative), *kind),
                None => (*amount, Bound::Proportional),
            };
            Ok(Share {
                amount: Money::from_minor(minor, currency)
                    .map_err(|source| AllocationError::Total { source })?,
                bound,
                extra_unit: *extra_unit,
            })
        })
        .collect()
}

/// Every recipient's floor and cap in minor units (no floor is 0, no cap
/// is `None`); a zero weight can take only its floor.
fn minor_bounds<K>(
    recipients: &[Recipient<K>],
    weights: &[u128],
    currency: Currency,
) -> Result<(Vec<u128>, Vec<Option<u128>>), AllocationError> {
    let mut lo = Vec::with_capacity(recipients.len());
    let mut hi = Vec::with_capacity(recipients.len());
    for (index, (r, w)) in recipients.iter().zip(weights).enumerate() {
        let floor = match r.floor {
            Some(f) => bound_minor(index, f, currency)?,
            None => 0,
        };
        let cap = r.cap.map(|c| bound_minor(index, c, currency)).transpose()?;
        if let (Some(f), Some(c)) = (r.floor, r.cap)
            && cap.is_some_and(|c| floor > c)
        {
            return Err(AllocationError::FloorAboveCap {
                index,
                floor: f,
                cap: c,
            });
        }
        lo.push(floor);
        hi.push(if *w == 0 { Some(floor) } else { cap });
    }
    Ok((lo, hi))
}

/// Whether the floors fit in the total and the caps can hold it.
fn check_feasible(
    lo: &[u128],
    hi: &[Option<u128>],
    magnitude: u128,
    total: Money,
) -> Result<(), AllocationError> {
    let currency = total.currency();
    let sum = |v: &[u128]| v.iter().try_fold(0u128, |a, b| a.checked_add(*b));
    // Floors beyond 128 bits are beyond the total too.
    if sum(lo).is_none_or(|floors| floors > magnitude) {
        return Err(AllocationError::FloorsExceedTotal {
            floors: bounds_money(lo, currency)?,
            total,
        });
    }
    // Caps beyond 128 bits hold any total.
    if let Some(caps) = hi.iter().copied().collect::<Option<Vec<u128>>>()
        && sum(&caps).is_some_and(|c| c < magnitude)
    {
        return Err(AllocationError::CapsBelowTotal {
            caps: bounds_money(&caps, currency)?,
            total,
        });
    }
    Ok(())
}

/// A recipient held at one of its bounds, with the amount it takes there.
type Fixed = Option<(u128, Bound)>;

/// The sum of the weights of the recipients not fixed yet.
fn free_weight(weights: &[u128], fixed: &[Fixed]) -> u128 {
    weights
        .iter()
        .zip(fixed)
        .filter(|(_, f)| f.is_none())
        // bound: part of the weights, whose whole sum fits (checked).
        .fold(0u128, |a, (w, _)| a.saturating_add(*w))
}

/// Water-filling: fix whoever is outside its bounds at the level that
/// shares the rest, and repeat. When the shortfall below floors exceeds the
/// excess above caps, the true level is lower, so everyone below a floor
/// stays there (and symmetrically for caps); at least one recipient is
/// fixed per round. Gives each recipient's fixed amount, if any, and what
/// the fixed take together.
///
/// What the fixed recipients take never exceeds the total (`magnitude`):
/// the free recipients' floors always fit in what is left (true at the
/// start, checked by `check_feasible`; fixing those below their floors
/// takes only their floors; fixing those above their caps happens only when
/// the excess above caps outweighs the shortfall below floors, which leaves
/// more than the free floors).
fn water_fill(
    weights: &[u128],
    lo: &[u128],
    hi: &[Option<u128>],
    magnitude: u128,
) -> (Vec<Fixed>, u128) {
    let mut fixed: Vec<Fixed> = vec![None; weights.len()];
    let mut fixed_total = 0u128;
    loop {
        debug_assert!(fixed_total <= magnitude);
        // bound: the fixed recipients never take more than the total (above).
        let rest = magnitude.saturating_sub(fixed_total);
        let Some((set, kind)) = out_of_bounds(weights, lo, hi, &fixed, rest) else {
            return (fixed, fixed_total);
        };
        for (i, v) in set {
            if let Some(slot) = fixed.get_mut(i) {
                *slot = Some((v, kind));
                // bound: the fixed recipients never take more than the
                // total (above).
                fixed_total = fixed_total.saturating_add(v);
            }
        }
    }
}

/// One round of [`water_fill`]: the free recipients to fix at their floors
/// or at their caps when `rest` is shared by weight, or `None` when every
/// free recipient is within its bounds. Weighted sums are of at most the
/// total times at most the total weight, both below 2^128, so they fit in
/// 256 bits.
fn out_of_bounds(
    weights: &[u128],
    lo: &[u128],
    hi: &[Option<u128>],
    fixed: &[Fixed],
    rest: u128,
) -> Option<(Vec<(usize, u128)>, Bound)> {
    let level = free_weight(weights, fixed);
    let mut below = U256::ZERO;
    let mut above = U256::ZERO;
    let mut low = Vec::new();
    let mut high = Vec::new();
    for (i, (((w, floor), cap), f)) in weights.iter().zip(lo).zip(hi).zip(fixed).enumerate() {
        if f.is_some() {
            continue;
        }
        let target = U256::mul(rest, *w);
        if let Some(short) = U256::mul(*floor, level).checked_sub(target)
            && short != U256::ZERO
        {
            // bound: shortfalls add up to at most the floors times the
            // free weight, below 2^256.
            below = below.checked_add(short).unwrap_or(below);
            low.push((i, *floor));
        }
        if let Some(cap) = *cap
            && let Some(excess) = target.checked_sub(U256::mul(cap, level))
            && excess != U256::ZERO
        {
            // bound: excesses add up to at most `rest` times the free
            // weight, below 2^256.
            above = above.checked_add(excess).unwrap_or(above);
            high.push((i, cap));
        }
    }
    if low.is_empty() && high.is_empty() {
        return None;
    }
    let fix_low = below >= above && !low.is_empty() || high.is_empty();
    Some(if fix_low {
        (low, Bound::Floor)
    } else {
        (high, Bound::Cap)
    })
}

/// Largest remainder of `rest` (signed like the total) over the free
/// recipients, keeping their key order: each recipient's amount (0 when
/// fixed) and whether it got an extra unit.
fn split_free(
    weights: &[u128],
    fixed: &[Fixed],
    order: &[u32],
    rest: i128,
) -> (Vec<i128>, Vec<bool>) {
    let n = weights.len();
    let free: Vec<(usize, u128)> = weights
        .iter()
        .zip(fixed)
        .enumerate()
        .filter(|(_, (_, f))| f.is_none())
        .map(|(i, (w, _))| (i, *w))
        .collect();
    let mut amounts = vec![0i128; n];
    let mut extra = vec![false; n];
    if free.is_empty() {
        return (amounts, extra);
    }
    // The free recipients' own split, keeping their key order.
    let mut place = vec![u32::MAX; n];
    for (p, (i, _)) in (0u32..).zip(&free) {
        if let Some(slot) = place.get_mut(*i) {
            *slot = p;
        }
    }
    let free_order: Vec<u32> = order
        .iter()
        .filter_map(|i| place.get(*i as usize).copied())
        .filter(|p| *p != u32::MAX)
        .collect();
    let split = Split {
        total: free_weight(weights, fixed),
        weights: free.iter().map(|(_, w)| *w).collect(),
        rank: ranks(&free_order),
    };
    // A zero free weight means only zero weights are left, with nothing
    // left to share (feasibility was checked).
    if split.total > 0 {
        let mut out = Vec::new();
        let mut marks = Vec::new();
        split.apply_minor(rest, &mut out, Some(&mut marks));
        for (((i, _), v), m) in free.iter().zip(out).zip(marks) {
            if let Some(slot) = amounts.get_mut(*i) {
                *slot = v;
            }
            if let Some(slot) = extra.get_mut(*i) {
                *slot = m;
            }
        }
    }
    (amounts, extra)
}

/// The sum of floors (or caps) given in minor units, as money, for an
/// error; or an error naming the recipient whose bound takes the sum past
/// what a `Money` of the currency holds.
fn bounds_money(bounds: &[u128], currency: Currency) -> Result<Money, AllocationError> {
    let mut sum = 0u128;
    let mut money = Money::zero(currency);
    for (index, bound) in bounds.iter().enumerate() {
        sum = sum
            .checked_add(*bound)
            .ok_or(AllocationError::BoundsOverflow { index })?;
        money = i128::try_from(sum)
            .ok()
            .and_then(|m| Money::from_minor(m, currency).ok())
            .ok_or(AllocationError::BoundsOverflow { index })?;
    }
    Ok(money)
}

/// Weights from several bases blended: each basis is normalised to shares
/// of its own total, then the shares are mixed by `mix` (which must add up
/// to exactly 100%). For example 50% prior-year sales + 50% market
/// potential.
///
/// Each weight is worked out over one common denominator, the product of
/// the bases' totals, and divided once: `Σ mix_b × figure_b × Π_{c≠b}
/// total_c / Π_c total_c`. So a blended weight is exact whenever that one
/// division terminates, and recipients whose exact weights are equal get
/// equal weights (a tie stays a tie, broken by key). Where the product of
/// the totals is beyond a `Decimal`, the shares are mixed one basis at a
/// time instead, each correct to 28 significant digits. The weights depend
/// only on each recipient's own figures and the bases' totals, so
/// reordering the recipients reorders the weights.
///
/// # Errors
///
/// [`AllocationError::BlendNotWhole`] when the mix does not add up to 100%;
/// [`AllocationError::BlendLengths`] when the bases differ in length;
/// [`AllocationError::NegativeFigure`] for a negative figure, naming the
/// basis and the recipient; [`AllocationError::ZeroWeights`] for a basis
/// whose figures are all zero; [`AllocationError::WeightsOutOfRange`] for
/// figures beyond a `Decimal`.
///
/// # Examples
///
/// ```
/// use rust_decimal::Decimal;
/// use salesplan::allocation::blend;
/// use salesplan::Percent;
///
/// let prior_year = [Decimal::from(300), Decimal::from(100)];
/// let potential = [Decimal::from(1), Decimal::from(3)];
/// let half: Percent = "50%".parse()?;
/// let weights = blend(&[(half, &prior_year[..]), (half, &potential[..])])?;
/// assert_eq!(weights, [Decimal::new(5, 1), Decimal::new(5, 1)]);
/// // Thirds of each basis, mixed: still exactly a half each.
/// let a = [Decimal::from(1), Decimal::from(2)];
/// let b = [Decimal::from(2), Decimal::from(1)];
/// assert_eq!(blend(&[(half, &a[..]), (half, &b[..])])?, [Decimal::new(5, 1), Decimal::new(5, 1)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn blend(bases: &[(Percent, &[Decimal])]) -> Result<Vec<Decimal>, AllocationError> {
    let mix = bases
        .iter()
        .try_fold(Decimal::ZERO, |acc, (p, _)| acc.checked_add(p.fraction()))
        .unwrap_or(Decimal::MAX);
    if mix != Decimal::ONE {
        return Err(AllocationError::BlendNotWhole { sum: mix });
    }
    let len = bases.first().map_or(0, |(_, b)| b.len());
    if let Some((_, other)) = bases.iter().find(|(_, b)| b.len() != len) {
        return Err(AllocationError::BlendLengths {
            expected: len,
            found: other.len(),
        });
    }
    let mut totals = Vec::with_capacity(bases.len());
    for (b, (_, basis)) in bases.iter().enumerate() {
        if let Some((index, figure)) = basis
            .iter()
            .enumerate()
            .find(|(_, w)| w.is_sign_negative() && !w.is_zero())
        {
            return Err(AllocationError::NegativeFigure {
                basis: b,
                index,
                figure: *figure,
            });
        }
        let mut total = Decimal::ZERO;
        for (index, figure) in basis.iter().enumerate() {
            total = total
                .checked_add(*figure)
                .ok_or(AllocationError::WeightsOutOfRange {
                    index,
                    weight: *figure,
                })?;
        }
        if total.is_zero() {
            return Err(AllocationError::ZeroWeights);
        }
        totals.push(total);
    }
    match blend_over_one_denominator(bases, &totals, len) {
        Some(weights) => Ok(weights),
        None => blend_basis_by_basis(bases, &totals, len),
    }
}

/// Each weight as `Σ mix_b × figure_b × others_b / product`, where
/// `others_b` is the product of every total but basis `b`'s: one division
/// per weight. `None` when a product is beyond a `Decimal`.
fn blend_over_one_denominator(
    bases: &[(Percent, &[Decimal])],
    totals: &[Decimal],
    len: usize,
) -> Option<Vec<Decimal>> {
    let product = totals
        .iter()
        .try_fold(Decimal::ONE, |acc, t| acc.checked_mul(*t))?;
    let others: Vec<Decimal> = (0..totals.len())
        .map(|b| {
            totals
                .iter()
                .enumerate()
                .filter(|(c, _)| *c != b)
                .try_fold(Decimal::ONE, |acc, (_, t)| acc.checked_mul(*t))
        })
        .collect::<Option<_>>()?;
    let mut numerators = vec![Decimal::ZERO; len];
    for ((share, basis), other) in bases.iter().zip(&others) {
        let scale = share.fraction().checked_mul(*other)?;
        for (slot, figure) in numerators.iter_mut().zip(*basis) {
            *slot = slot.checked_add(figure.checked_mul(scale)?)?;
        }
    }
    numerators
        .into_iter()
        .map(|n| n.checked_div(product))
        .collect()
}

/// Each weight as `Σ (figure_b × mix_b / total_b)`: one division per basis.
fn blend_basis_by_basis(
    bases: &[(Percent, &[Decimal])],
    totals: &[Decimal],
    len: usize,
) -> Result<Vec<Decimal>, AllocationError> {
    let mut out = vec![Decimal::ZERO; len];
    for ((share, basis), total) in bases.iter().zip(totals) {
        for (index, (slot, figure)) in out.iter_mut().zip(*basis).enumerate() {
            *slot = money::mul(*figure, share.fraction())
                .and_then(|p| money::div(p, *total))
                .and_then(|p| money::add(*slot, p))
                .map_err(|_| AllocationError::WeightsOutOfRange {
                    index,
                    weight: *figure,
                })?;
        }
    }
    Ok(out)
}

/// Over-assignment: `total × factor`, rounded once to minor units with
/// `policy`, so that children of a manager with target T and factor 110%
/// sum to exactly round(1.1 × T).
///
/// # Errors
///
/// [`AllocationError::Total`] when the product overflows.
///
/// # Examples
///
/// ```
/// use salesplan::allocation::over_assign;
/// use salesplan::{Currency, Money, Rate, RoundingPolicy};
///
/// let factor: Rate = "110%".parse()?;
/// let manager = Money::parse("333.33", Currency::USD)?;
/// // 366.663, rounded once: the reps' targets must add up to this.
/// assert_eq!(over_assign(manager, factor, RoundingPolicy::HalfEven)?.to_string(), "366.66 USD");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn over_assign(
    total: Money,
    factor: Rate,
    policy: RoundingPolicy,
) -> Result<Money, AllocationError> {
    factor
        .of(total)
        .map(|m| m.round(policy))
        .map_err(|source| AllocationError::Total { source })
}
