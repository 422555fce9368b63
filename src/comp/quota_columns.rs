//! Quotas held as columns: per measure and period, each person's quota in
//! minor units, keyed like the credited lines' columns
//! ([`CreditLineColumns`](crate::credit::CreditLineColumns)). The same
//! rules as [`Quotas`](super::Quotas) entries: a person's quota of a
//! component period is the sum of the entries the period encloses, which
//! must cover it exactly.

use rust_decimal::Decimal;

use crate::calendar::Period;
use crate::comp::CompError;
use crate::credit::CreditBasis;
use crate::money::Currency;

/// Quotas as columns of minor units, one column per measure and period,
/// value `i` the quota of the person of key `i` (the `i`-th person given
/// to [`Commissions::payouts_from_columns`](super::Commissions::payouts_from_columns)).
/// Given to an engine with
/// [`Commissions::quota_columns`](super::Commissions::quota_columns):
/// each person's entries here count as if added to their
/// [`Quotas`](super::Quotas).
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::comp::QuotaColumns;
/// use salesplan::{CompError, Currency, Period};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let q1 = Period::new(d(1, 1), d(4, 1))?;
/// // Ann (key 0) 8,000.00 USD, Bob (key 1) 5,000.00 USD.
/// let quotas = QuotaColumns::new(Currency::USD, 2).revenue_minor(q1, &[800_000, 500_000])?;
/// assert_eq!(quotas.people(), 2);
/// let err = QuotaColumns::new(Currency::USD, 2).revenue_minor(q1, &[800_000, -1]).unwrap_err();
/// assert!(matches!(err, CompError::BadQuotaColumn { key: 1, minor: -1, .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaColumns {
    currency: Currency,
    people: usize,
    columns: Vec<QuotaColumn>,
}

/// One measure's quotas of one period, per person key.
#[derive(Debug, Clone, PartialEq, Eq)]
struct QuotaColumn {
    basis: CreditBasis,
    period: Period,
    minor: Vec<i64>,
}

impl QuotaColumns {
    /// No columns yet, for `people` people (keys `0..people`), in
    /// `currency` (the plan's).
    pub fn new(currency: Currency, people: usize) -> QuotaColumns {
        QuotaColumns {
            currency,
            people,
            columns: Vec::new(),
        }
    }

    /// A money quota column (revenue, margin) for `period`: `minor[i]` is
    /// the quota of the person of key `i`, in minor units of the
    /// currency (cents for USD).
    ///
    /// # Errors
    ///
    /// [`CompError::QuotaColumnLength`] when `minor` does not hold one
    /// value per person; [`CompError::BadQuotaColumn`] naming the first
    /// negative value and its person key.
    pub fn money_minor(
        mut self,
        basis: CreditBasis,
        period: Period,
        minor: &[i64],
    ) -> Result<QuotaColumns, CompError> {
        if minor.len() != self.people {
            return Err(CompError::QuotaColumnLength {
                measure: basis,
                period,
                len: minor.len(),
                people: self.people,
            });
        }
        if let Some((key, &value)) = minor.iter().enumerate().find(|(_, v)| **v < 0) {
            return Err(CompError::BadQuotaColumn {
                key,
                measure: basis,
                period,
                minor: value,
            });
        }
        self.columns.push(QuotaColumn {
            basis,
            period,
            minor: minor.to_vec(),
        });
        Ok(self)
    }

    /// A revenue quota column for `period` (see
    /// [`money_minor`](Self::money_minor)).
    ///
    /// # Errors
    ///
    /// As [`money_minor`](Self::money_minor).
    pub fn revenue_minor(self, period: Period, minor: &[i64]) -> Result<QuotaColumns, CompError> {
        self.money_minor(CreditBasis::Revenue, period, minor)
    }

    /// How many people the columns key.
    pub fn people(&self) -> usize {
        self.people
    }

    /// The columns' currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// The entries of the person of key `key`: measure, period and
    /// amount (none past the columns' people).
    pub(super) fn entries_of(
        &self,
        key: usize,
    ) -> impl Iterator<Item = (&CreditBasis, Period, Decimal)> + '_ {
        let scale = u32::from(self.currency.minor_units());
        self.columns.iter().filter_map(move |c| {
            let minor = c.minor.get(key)?;
            let amount = Decimal::try_new(*minor, scale).ok()?;
            Some((&c.basis, c.period, amount))
        })
    }
}
