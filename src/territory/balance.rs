//! Balance metrics of a territory alignment: per-territory totals and how
//! unequal they are.

use rust_decimal::Decimal;

use super::account::AccountBook;
use super::assign::Alignment;
use crate::ids::TerritoryId;
use crate::kernel::hash::{FxHashMap, map_with_capacity};
use crate::money::{self, Money, MoneyError};
use crate::territory::TerritoryError;

/// What a territory's size is measured by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum BalanceBasis {
    /// Total market potential.
    #[default]
    Potential,
    /// Total workload hours.
    Workload,
    /// Number of accounts.
    Accounts,
}

/// One territory's totals.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TerritoryLoad {
    territory: TerritoryId,
    accounts: u64,
    potential: Money,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    workload_hours: Decimal,
    last_year_sales: Money,
}

impl TerritoryLoad {
    /// The territory.
    pub fn territory(&self) -> &TerritoryId {
        &self.territory
    }

    /// How many accounts it has.
    pub const fn accounts(&self) -> u64 {
        self.accounts
    }

    /// Their total potential (unknown potentials count as zero).
    pub const fn potential(&self) -> Money {
        self.potential
    }

    /// Their total workload in hours.
    pub const fn workload_hours(&self) -> Decimal {
        self.workload_hours
    }

    /// Their total sales last year.
    pub const fn last_year_sales(&self) -> Money {
        self.last_year_sales
    }

    /// The figure balancing by `basis` looks at.
    pub fn figure(&self, basis: BalanceBasis) -> Decimal {
        match basis {
            BalanceBasis::Potential => self.potential.amount(),
            BalanceBasis::Workload => self.workload_hours,
            BalanceBasis::Accounts => Decimal::from(self.accounts),
        }
    }
}

/// How unequal one figure is across territories.
///
/// Every ratio with a zero denominator is `None`, never a division by
/// zero: `max_min_ratio` when the smallest territory is at zero, the
/// coefficient of variation and the deviations when the mean is zero.
/// Ratios are exact when they terminate and otherwise correct to
/// `Decimal`'s 28 places; the coefficient of variation takes a square root
/// (Newton's method in `Decimal`, stopped when it no longer decreases),
/// correct to about 26 significant digits.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Spread {
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    total: Decimal,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    mean: Decimal,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    min: Decimal,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    max: Decimal,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec_opt"))]
    max_min_ratio: Option<Decimal>,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec_opt"))]
    coefficient_of_variation: Option<Decimal>,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec_opt"))]
    worst_deviation: Option<Decimal>,
    deviations: Vec<Deviation>,
}

/// One territory's deviation from the mean, as a fraction of the mean
/// (`0.1` is 10% above, `-0.25` a quarter below); `None` when the mean is
/// zero.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Deviation {
    territory: TerritoryId,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec_opt"))]
    fraction: Option<Decimal>,
}

impl Deviation {
    /// The territory.
    pub fn territory(&self) -> &TerritoryId {
        &self.territory
    }

    /// `(figure - mean) / mean`; `None` when the mean is zero.
    pub const fn fraction(&self) -> Option<Decimal> {
        self.fraction
    }
}

impl Spread {
    /// The sum over territories.
    pub const fn total(&self) -> Decimal {
        self.total
    }

    /// The mean per territory.
    pub const fn mean(&self) -> Decimal {
        self.mean
    }

    /// The smallest territory's figure.
    pub const fn min(&self) -> Decimal {
        self.min
    }

    /// The largest territory's figure.
    pub const fn max(&self) -> Decimal {
        self.max
    }

    /// `max / min`; `None` when `min` is zero.
    pub const fn max_min_ratio(&self) -> Option<Decimal> {
        self.max_min_ratio
    }

    /// Population standard deviation over the mean; `None` when the mean
    /// is zero.
    pub const fn coefficient_of_variation(&self) -> Option<Decimal> {
        self.coefficient_of_variation
    }

    /// The largest deviation from the mean in either direction, as a
    /// fraction of the mean; `None` when the mean is zero.
    pub const fn worst_deviation(&self) -> Option<Decimal> {
        self.worst_deviation
    }

    /// Each territory's deviation from the mean, by territory id.
    pub fn deviations(&self) -> &[Deviation] {
        &self.deviations
    }

    fn of(loads: &[TerritoryLoad], basis: BalanceBasis) -> Result<Spread, TerritoryError> {
        let arith = |what: &str| {
            let what = format!("{what} of the {basis:?} spread");
            move |source: MoneyError| TerritoryError::Arithmetic {
                what: what.clone(),
                source,
            }
        };
        let figures: Vec<Decimal> = loads.iter().map(|l| l.figure(basis)).collect();
        let total = figures
            .iter()
            .try_fold(Decimal::ZERO, |acc, f| money::add(acc, *f))
            .map_err(arith("total"))?;
        let n = Decimal::from(figures.len());
        let min = figures.iter().copied().min().unwrap_or(Decimal::ZERO);
        let max = figures.iter().copied().max().unwrap_or(Decimal::ZERO);
        let mean = if figures.is_empty() {
            Decimal::ZERO
        } else {
            money::div(total, n).map_err(arith("mean"))?.normalize()
        };
        let max_min_ratio = if min.is_zero() {
            None
        } else {
            Some(money::div(max, min).map_err(arith("max/min"))?.normalize())
        };
        // Deviation (n x - total) / total: one exact product, one division.
        let mut deviations = Vec::with_capacity(loads.len());
        let mut squares = Decimal::ZERO;
        let mut worst: Option<Decimal> = None;
        for (l, f) in loads.iter().zip(&figures) {
            let fraction = if total.is_zero() {
                None
            } else {
                let d = money::mul(n, *f)
                    .and_then(|nf| money::sub(nf, total))
                    .and_then(|over| money::div(over, total))
                    .map_err(arith("deviation"))?;
                squares = money::mul(d, d)
                    .and_then(|sq| money::add(squares, sq))
                    .map_err(arith("variance"))?;
                worst = Some(worst.map_or(d.abs(), |w| w.max(d.abs())));
                Some(d.normalize())
            };
            deviations.push(Deviation {
                territory: l.territory.clone(),
                fraction,
            });
        }
        let coefficient_of_variation = if total.is_zero() {
            None
        } else {
            let variance = money::div(squares, n).map_err(arith("variance"))?;
            Some(sqrt(variance).map_err(arith("square root"))?)
        };
        Ok(Spread {
            total,
            mean,
            min,
            max,
            max_min_ratio,
            coefficient_of_variation,
            worst_deviation: worst.map(|w| w.normalize()),
            deviations,
        })
    }
}

/// The square root of a non-negative `Decimal` by Newton's method, started
/// above the root and stopped when an iterate no longer decreases.
pub(crate) fn sqrt(a: Decimal) -> Result<Decimal, MoneyError> {
    if a.is_sign_negative() && !a.is_zero() {
        return Err(MoneyError::OutOfRange {
            value: a,
            min: Decimal::ZERO,
            max: Decimal::MAX,
        });
    }
    if a.is_zero() {
        return Ok(Decimal::ZERO);
    }
    let two = Decimal::TWO;
    let mut x = a.max(Decimal::ONE);
    for _ in 0..400 {
        // x - (x - a/x) / 2 rather than (x + a/x) / 2: no overflow near
        // Decimal::MAX, since a/x <= x above the root.
        let q = money::div(a, x)?;
        let next = money::sub(x, money::div(money::sub(x, q)?, two)?)?;
        if next >= x {
            break;
        }
        x = next;
    }
    Ok(x.normalize())
}

/// Per-territory totals and how unequal they are, by potential, workload
/// and account count.
///
/// # Examples
///
/// ```
/// use salesplan::territory::{Account, AccountBook, Alignment, BalanceReport};
/// use salesplan::{AccountId, Currency, Money, TerritoryId};
///
/// let t = |s: &str| TerritoryId::new(s).unwrap();
/// let account = |id: &str, potential: &str| {
///     Account::new(AccountId::new(id).unwrap())
///         .with_potential(Money::parse(potential, Currency::USD).unwrap())
/// };
/// let book = AccountBook::new(Currency::USD, vec![
///     account("a", "300"), account("b", "100"), account("c", "200"),
/// ])?;
/// let alignment = Alignment::new([
///     (AccountId::new("a")?, t("east")),
///     (AccountId::new("b")?, t("west")),
///     (AccountId::new("c")?, t("west")),
/// ])?;
/// let report = BalanceReport::new(&book, &alignment, &[t("east"), t("west"), t("north")])?;
/// let potential = report.potential();
/// assert_eq!(potential.mean().to_string(), "200");
/// assert_eq!(potential.max_min_ratio(), None); // north is empty
/// let east = &potential.deviations()[0];
/// assert_eq!(east.fraction().map(|d| d.to_string()), Some("0.5".into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct BalanceReport {
    loads: Vec<TerritoryLoad>,
    potential: Spread,
    workload: Spread,
    accounts: Spread,
}

/// Resolves the territory list: unique, sorted by id, indexed.
pub(crate) fn territory_table(
    territories: &[TerritoryId],
) -> Result<(Vec<TerritoryId>, FxHashMap<TerritoryId, u32>), TerritoryError> {
    let mut sorted = territories.to_vec();
    sorted.sort();
    if let Some([a, _]) = sorted.windows(2).find(|w| matches!(w, [a, b] if a == b)) {
        return Err(TerritoryError::DuplicateTerritory {
            territory: a.clone(),
        });
    }
    if u32::try_from(sorted.len()).is_err() {
        return Err(TerritoryError::TooManyRecords {
            what: "territories",
            count: sorted.len(),
        });
    }
    let mut index = map_with_capacity(sorted.len());
    for (i, t) in (0u32..).zip(&sorted) {
        index.insert(t.clone(), i);
    }
    Ok((sorted, index))
}

/// For each alignment entry, its account's index in `book` and its
/// territory's index in the table.
pub(crate) fn resolve_alignment(
    book: &AccountBook,
    alignment: &Alignment,
    index: &FxHashMap<TerritoryId, u32>,
) -> Result<Vec<(usize, u32)>, TerritoryError> {
    // Both lists are sorted by account id: merge instead of searching.
    let accounts = book.accounts();
    let mut at = 0usize;
    alignment
        .entries()
        .iter()
        .map(|(account, territory)| {
            while accounts.get(at).is_some_and(|a| a.id() < account) {
                // bound: `accounts.get(at)` is Some, so at < accounts.len().
                at = at.saturating_add(1);
            }
            if accounts.get(at).is_none_or(|a| a.id() != account) {
                return Err(TerritoryError::UnknownAccount {
                    account: account.clone(),
                });
            }
            let t = index
                .get(territory)
                .ok_or_else(|| TerritoryError::UnknownTerritory {
                    territory: territory.clone(),
                })?;
            Ok((at, *t))
        })
        .collect()
}

impl BalanceReport {
    /// The totals of each of `territories` (empty ones included) under
    /// `alignment`, with measures from `book`, and their spreads.
    ///
    /// # Errors
    ///
    /// [`TerritoryError::DuplicateTerritory`] for a territory listed twice;
    /// [`TerritoryError::UnknownTerritory`] for an aligned territory not in
    /// the list; [`TerritoryError::UnknownAccount`] for an aligned account
    /// not in the book; [`TerritoryError::Arithmetic`] on overflow.
    pub fn new(
        book: &AccountBook,
        alignment: &Alignment,
        territories: &[TerritoryId],
    ) -> Result<BalanceReport, TerritoryError> {
        let (sorted, index) = territory_table(territories)?;
        let zero = Money::zero(book.currency());
        let mut loads: Vec<TerritoryLoad> = sorted
            .into_iter()
            .map(|territory| TerritoryLoad {
                territory,
                accounts: 0,
                potential: zero,
                workload_hours: Decimal::ZERO,
                last_year_sales: zero,
            })
            .collect();
        for (a, t) in resolve_alignment(book, alignment, &index)? {
            let (Some(account), Some(load)) = (book.accounts().get(a), loads.get_mut(t as usize))
            else {
                continue;
            };
            let overflow = |source| TerritoryError::Arithmetic {
                what: format!("totals of {}", load.territory),
                source,
            };
            load.accounts = load
                .accounts
                .checked_add(1)
                .ok_or(TerritoryError::TooManyRecords {
                    what: "accounts",
                    count: book.len(),
                })?;
            load.potential = load
                .potential
                .checked_add(book.potential_of(account))
                .map_err(overflow)?;
            load.last_year_sales = load
                .last_year_sales
                .checked_add(book.sales_of(account))
                .map_err(overflow)?;
            load.workload_hours = money::add(
                load.workload_hours,
                account.workload_hours().unwrap_or(Decimal::ZERO),
            )
            .map_err(overflow)?;
        }
        Ok(BalanceReport {
            potential: Spread::of(&loads, BalanceBasis::Potential)?,
            workload: Spread::of(&loads, BalanceBasis::Workload)?,
            accounts: Spread::of(&loads, BalanceBasis::Accounts)?,
            loads,
        })
    }

    /// Each territory's totals, by territory id.
    pub fn loads(&self) -> &[TerritoryLoad] {
        &self.loads
    }

    /// The spread of potential.
    pub const fn potential(&self) -> &Spread {
        &self.potential
    }

    /// The spread of workload hours.
    pub const fn workload(&self) -> &Spread {
        &self.workload
    }

    /// The spread of account counts.
    pub const fn accounts(&self) -> &Spread {
        &self.accounts
    }

    /// The spread by `basis`.
    pub const fn spread(&self, basis: BalanceBasis) -> &Spread {
        match basis {
            BalanceBasis::Potential => &self.potential,
            BalanceBasis::Workload => &self.workload,
            BalanceBasis::Accounts => &self.accounts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn square_roots() {
        assert_eq!(sqrt(d("4")).unwrap(), d("2"));
        assert_eq!(sqrt(d("0.25")).unwrap(), d("0.5"));
        assert_eq!(sqrt(Decimal::ZERO).unwrap(), Decimal::ZERO);
        let two = sqrt(d("2")).unwrap();
        assert!((two * two - d("2")).abs() < d("0.0000000000000000000000001"));
        let big = sqrt(Decimal::MAX).unwrap();
        assert!(big > d("281474976710655") && big < d("281474976710657"));
        assert!(sqrt(d("-1")).is_err());
    }
}
