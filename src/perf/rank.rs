//! Ranking by attainment: ties shared, percentiles, quartiles, peer groups.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::{Ratio, overflow};
use crate::perf::PerfError;

/// One entry's place among its peers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct Ranked<K> {
    /// Who (a person or a position).
    pub key: K,
    /// Their attainment.
    pub attainment: Ratio,
    /// 1 for the best; ties share the better rank and the next rank is
    /// skipped (1, 2, 2, 4). `None` for an entry without a target (a zero
    /// denominator), which is not ranked.
    #[cfg_attr(feature = "serde", serde(default))]
    pub rank: Option<u32>,
    /// How many were ranked.
    pub of: u32,
    /// `(of - rank) / (of - 1)`: 1 for the best, 0 for the worst, 1 when
    /// alone.
    #[cfg_attr(feature = "serde", serde(default))]
    pub percentile: Option<Decimal>,
    /// 1 (top quarter) to 4: `⌊4 (rank - 1) / of⌋ + 1`.
    #[cfg_attr(feature = "serde", serde(default))]
    pub quartile: Option<u8>,
}

/// Ranks entries by attainment, best first. The output is sorted by rank,
/// then key, with unranked entries (zero denominators) last by key; the
/// same entries in any order give the same output.
///
/// # Errors
///
/// [`PerfError::Overflow`] for four billion entries or more.
///
/// ```
/// use rust_decimal::Decimal;
/// use salesplan::perf::{rank, Ratio};
///
/// let r = |p: i64| Ratio::Value(Decimal::from(p));
/// let ranked = rank(&[("ana", r(90)), ("bo", r(120)), ("cy", r(90)), ("di", r(50))])?;
/// let ranks: Vec<_> = ranked.iter().map(|x| (x.key, x.rank.unwrap(), x.quartile.unwrap())).collect();
/// assert_eq!(ranks, [("bo", 1, 1), ("ana", 2, 2), ("cy", 2, 2), ("di", 4, 4)]);
/// # Ok::<(), salesplan::PerfError>(())
/// ```
pub fn rank<K: Ord + Clone>(entries: &[(K, Ratio)]) -> Result<Vec<Ranked<K>>, PerfError> {
    rank_cached(entries, &mut Percentiles::default())
}

/// Percentiles already worked out, by `(of, rank)`: teams of one size share
/// them, which spares a division per member over a whole org.
#[derive(Debug, Default)]
pub(crate) struct Percentiles {
    by_size: Vec<Vec<Option<Decimal>>>,
}

impl Percentiles {
    fn get(&mut self, of: u32, rank: u32) -> Result<Decimal, PerfError> {
        let (o, r) = (of as usize, rank as usize);
        if let Some(Some(p)) = self.by_size.get(o).and_then(|v| v.get(r)) {
            return Ok(*p);
        }
        let ranking = PerfError::Overflow { what: "ranking" };
        let below = of.checked_sub(rank).ok_or(ranking.clone())?;
        let p = match of.checked_sub(1) {
            Some(0) | None => Decimal::ONE,
            Some(others) => crate::money::div(Decimal::from(below), Decimal::from(others))
                .map_err(overflow("percentile"))?,
        };
        if o < 4096 {
            if self.by_size.len() <= o {
                self.by_size
                    .resize(o.checked_add(1).ok_or(ranking.clone())?, Vec::new());
            }
            if let Some(row) = self.by_size.get_mut(o) {
                if row.len() <= r {
                    row.resize(r.checked_add(1).ok_or(ranking)?, None);
                }
                if let Some(slot) = row.get_mut(r) {
                    *slot = Some(p);
                }
            }
        }
        Ok(p)
    }
}

/// [`rank`] with a percentile cache shared across calls.
pub(crate) fn rank_cached<K: Ord + Clone>(
    entries: &[(K, Ratio)],
    percentiles: &mut Percentiles,
) -> Result<Vec<Ranked<K>>, PerfError> {
    let mut ranked: Vec<(&K, Decimal, Ratio)> = Vec::with_capacity(entries.len());
    let mut unranked: Vec<(&K, Ratio)> = Vec::new();
    for (k, r) in entries {
        match r.value() {
            Some(v) => ranked.push((k, v, *r)),
            None => unranked.push((k, *r)),
        }
    }
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    unranked.sort_by(|a, b| a.0.cmp(b.0));
    let of = u32::try_from(ranked.len()).map_err(|_| PerfError::Overflow { what: "ranking" })?;
    let mut out = Vec::with_capacity(entries.len());
    let mut rank = 0u32;
    let mut previous: Option<Decimal> = None;
    for (i, (k, v, r)) in ranked.into_iter().enumerate() {
        if previous != Some(v) {
            rank = u32::try_from(i)
                .ok()
                .and_then(|i| i.checked_add(1))
                .ok_or(PerfError::Overflow { what: "ranking" })?;
            previous = Some(v);
        }
        let percentile = percentiles.get(of, rank)?;
        out.push(Ranked {
            key: k.clone(),
            attainment: r,
            rank: Some(rank),
            of,
            percentile: Some(percentile),
            quartile: Some(quartile(rank, of)?),
        });
    }
    for (k, r) in unranked {
        out.push(Ranked {
            key: k.clone(),
            attainment: r,
            rank: None,
            of,
            percentile: None,
            quartile: None,
        });
    }
    Ok(out)
}

/// `⌊4 (rank - 1) / of⌋ + 1` for `1 <= rank <= of`: 1 to 4.
fn quartile(rank: u32, of: u32) -> Result<u8, PerfError> {
    let ranking = PerfError::Overflow { what: "ranking" };
    let above = u64::from(rank.checked_sub(1).ok_or(ranking.clone())?);
    let quarter = above
        .checked_mul(4)
        .and_then(|x| x.checked_div(u64::from(of)))
        .and_then(|x| x.checked_add(1))
        .ok_or(ranking.clone())?;
    u8::try_from(quarter).map_err(|_| ranking)
}

/// [`rank`] within peer groups: entries are ranked only against others of
/// the same group (a team, a region, a role, or a role and tenure band as
/// a tuple). The output is sorted by group, then as [`rank`].
///
/// # Errors
///
/// As [`rank`].
///
/// ```
/// use rust_decimal::Decimal;
/// use salesplan::org::Role;
/// use salesplan::perf::{rank_within, Ratio};
///
/// let r = |p: i64| Ratio::Value(Decimal::from(p));
/// // Peers: same role and tenure band (0: first year, 1: after).
/// let entries = [
///     ((Role::SalesRep, 0), "new", r(70)),
///     ((Role::SalesRep, 1), "old", r(90)),
///     ((Role::SalesRep, 1), "vet", r(110)),
/// ];
/// let ranked = rank_within(&entries)?;
/// assert_eq!((ranked[0].1.key, ranked[0].1.rank), ("new", Some(1)));
/// assert_eq!((ranked[2].1.key, ranked[2].1.rank), ("old", Some(2)));
/// # Ok::<(), salesplan::PerfError>(())
/// ```
pub fn rank_within<G: Ord + Clone, K: Ord + Clone>(
    entries: &[(G, K, Ratio)],
) -> Result<Vec<(G, Ranked<K>)>, PerfError> {
    let mut sorted: Vec<&(G, K, Ratio)> = entries.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::with_capacity(entries.len());
    for group in sorted.chunk_by(|a, b| a.0 == b.0) {
        let Some(first) = group.first() else {
            continue;
        };
        let members: Vec<(K, Ratio)> = group.iter().map(|(_, k, r)| (k.clone(), *r)).collect();
        for r in rank(&members)? {
            out.push((first.0.clone(), r));
        }
    }
    Ok(out)
}

/// Tenure bands by whole months of service: boundaries `[6, 12, 24]` give
/// band 0 below 6 months, 1 from 6 to 12, 2 from 12 to 24, 3 from 24 on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "Vec<u32>", into = "Vec<u32>"))]
pub struct TenureBands {
    months: Vec<u32>,
}

impl TryFrom<Vec<u32>> for TenureBands {
    type Error = PerfError;
    fn try_from(months: Vec<u32>) -> Result<TenureBands, PerfError> {
        TenureBands::new(months)
    }
}

impl From<TenureBands> for Vec<u32> {
    fn from(bands: TenureBands) -> Vec<u32> {
        bands.months
    }
}

impl TenureBands {
    /// Bands from their boundaries in months.
    ///
    /// # Errors
    ///
    /// [`PerfError::TenureBandsOutOfOrder`] unless the boundaries are
    /// strictly increasing and above zero.
    pub fn new(months: Vec<u32>) -> Result<TenureBands, PerfError> {
        let ordered = months.first().is_none_or(|m| *m > 0)
            && months.windows(2).all(|w| matches!(w, [a, b] if a < b));
        if !ordered {
            return Err(PerfError::TenureBandsOutOfOrder { months });
        }
        Ok(TenureBands { months })
    }

    /// The band of someone hired on `hired`, as of `as_of`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::perf::TenureBands;
    ///
    /// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    /// let bands = TenureBands::new(vec![6, 12, 24])?;
    /// let hired = d(2024, 3, 15);
    /// assert_eq!(bands.band(hired, d(2024, 9, 14)), 0); // 5 whole months
    /// assert_eq!(bands.band(hired, d(2024, 9, 15)), 1); // 6
    /// assert_eq!(bands.band(hired, d(2026, 3, 15)), 3); // 24
    /// assert!(TenureBands::new(vec![12, 6]).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn band(&self, hired: NaiveDate, as_of: NaiveDate) -> u8 {
        let months = whole_months(hired, as_of);
        let band = self.months.iter().filter(|m| **m <= months).count();
        u8::try_from(band).unwrap_or(u8::MAX)
    }
}

/// Whole months from `from` to `to` (0 when `to` is earlier).
fn whole_months(from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from {
        return 0;
    }
    // `chrono`'s years lie within ±262,143, so these months are within
    // ±6.3 million: nothing here comes near the limits of an i64 or a u32.
    #[expect(
        clippy::arithmetic_side_effects,
        reason = "years and months of chrono dates, far inside i64"
    )]
    let months = (i64::from(to.year()) - i64::from(from.year())) * 12 + i64::from(to.month())
        - i64::from(from.month())
        - i64::from(to.day() < from.day());
    debug_assert!((0..=i64::from(u32::MAX)).contains(&months));
    u32::try_from(months.max(0)).unwrap_or(u32::MAX)
}
