//! Foreign-exchange rates as data, effective from a date.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Currency, Money, RoundingPolicy};
use crate::money::MoneyError;

/// One FX quote: one unit of `from` is worth `rate` units of `to`, from
/// `effective` on (until the next quote for the same pair).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct FxQuote {
    /// Source currency.
    pub from: Currency,
    /// Target currency.
    pub to: Currency,
    /// First day the rate applies.
    pub effective: NaiveDate,
    /// Units of `to` per unit of `from`; must be positive.
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    pub rate: Decimal,
}

/// A table of FX rates, each effective from a date.
///
/// The embedding program loads the rates it trusts (month-end, daily, plan
/// rates) and hands them in; the table never fetches anything. A conversion
/// uses the latest rate for the pair on or before the conversion date. Only
/// the direct pair is used: the table neither inverts nor triangulates, so
/// a conversion always uses a rate someone actually published. Add both
/// directions if both are needed.
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::{Currency, Money, RoundingPolicy};
/// use salesplan::money::RateTable;
///
/// let jan = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
/// let feb = NaiveDate::from_ymd_opt(2025, 2, 1).unwrap();
/// let rates = RateTable::new()
///     .with(Currency::EUR, Currency::USD, jan, "1.0350".parse()?)?
///     .with(Currency::EUR, Currency::USD, feb, "1.0400".parse()?)?;
/// let deal = Money::parse("1000.00", Currency::EUR)?;
/// let mid_jan = NaiveDate::from_ymd_opt(2025, 1, 20).unwrap();
/// let usd = rates.convert(deal, Currency::USD, mid_jan, RoundingPolicy::HalfEven)?;
/// assert_eq!(usd.to_string(), "1035.00 USD");
/// let dec_2024 = NaiveDate::from_ymd_opt(2024, 12, 31).unwrap();
/// assert!(rates.convert(deal, Currency::USD, dec_2024, RoundingPolicy::HalfEven).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// In JSON, a table is a list of [`FxQuote`]s, rates as strings; a rate
/// that is not positive, or two quotes for one pair and day, are refused:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::money::RateTable;
///
/// let rates: RateTable = serde_json::from_str(r#"[
///     {"from": "EUR", "to": "USD", "effective": "2025-01-01", "rate": "1.0350"},
///     {"from": "EUR", "to": "USD", "effective": "2025-02-01", "rate": "1.0400"}
/// ]"#)?;
/// assert_eq!(serde_json::to_value(&rates)?.as_array().map(Vec::len), Some(2));
/// assert!(serde_json::from_str::<RateTable>(
///     r#"[{"from": "EUR", "to": "USD", "effective": "2025-01-01", "rate": "0"}]"#
/// ).is_err());
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "Vec<FxQuote>"))]
#[cfg_attr(feature = "serde", serde(into = "Vec<FxQuote>"))]
pub struct RateTable {
    /// Per pair, `(effective, rate)` sorted by date, dates unique.
    pairs: BTreeMap<(Currency, Currency), Vec<(NaiveDate, Decimal)>>,
}

impl RateTable {
    /// An empty table.
    pub fn new() -> RateTable {
        RateTable::default()
    }

    /// Adds a quote.
    ///
    /// # Errors
    ///
    /// [`MoneyError::NonPositiveFxRate`] for a zero or negative rate;
    /// [`MoneyError::SameCurrencyFxRate`] when `from == to`;
    /// [`MoneyError::DuplicateFxRate`] when the pair already has a rate
    /// effective that day.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use rust_decimal::Decimal;
    /// use salesplan::Currency;
    /// use salesplan::money::{FxQuote, RateTable};
    ///
    /// let effective = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    /// let quote = FxQuote { from: Currency::EUR, to: Currency::USD, effective, rate: Decimal::new(10350, 4) };
    /// let mut rates = RateTable::new();
    /// rates.insert(quote)?;
    /// assert_eq!(rates.quotes().count(), 1);
    /// // A second rate for the same pair and day is refused.
    /// assert!(rates.insert(FxQuote { rate: Decimal::new(104, 2), ..quote }).is_err());
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    pub fn insert(&mut self, quote: FxQuote) -> Result<(), MoneyError> {
        let FxQuote {
            from,
            to,
            effective,
            rate,
        } = quote;
        if rate.is_sign_negative() || rate.is_zero() {
            return Err(MoneyError::NonPositiveFxRate {
                from,
                to,
                date: effective,
                rate,
            });
        }
        if from == to {
            return Err(MoneyError::SameCurrencyFxRate { currency: from });
        }
        let series = self.pairs.entry((from, to)).or_default();
        match series.binary_search_by(|(d, _)| d.cmp(&effective)) {
            Ok(_) => Err(MoneyError::DuplicateFxRate {
                from,
                to,
                date: effective,
            }),
            Err(at) => {
                series.insert(at, (effective, rate));
                Ok(())
            }
        }
    }

    /// Adds a quote, builder style.
    ///
    /// # Errors
    ///
    /// As [`insert`](RateTable::insert).
    pub fn with(
        mut self,
        from: Currency,
        to: Currency,
        effective: NaiveDate,
        rate: Decimal,
    ) -> Result<RateTable, MoneyError> {
        self.insert(FxQuote {
            from,
            to,
            effective,
            rate,
        })?;
        Ok(self)
    }

    /// The rate from `from` to `to` effective on `date`: the latest quote on
    /// or before it. One for a currency to itself.
    ///
    /// # Errors
    ///
    /// [`MoneyError::NoFxRate`] when the pair has no quote on or before
    /// `date`.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use rust_decimal::Decimal;
    /// use salesplan::Currency;
    /// use salesplan::money::RateTable;
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let rates = RateTable::new()
    ///     .with(Currency::EUR, Currency::USD, d(1, 1), Decimal::new(10350, 4))?
    ///     .with(Currency::EUR, Currency::USD, d(2, 1), Decimal::new(10400, 4))?;
    /// assert_eq!(rates.rate(Currency::EUR, Currency::USD, d(1, 31))?.to_string(), "1.0350");
    /// assert_eq!(rates.rate(Currency::EUR, Currency::USD, d(3, 3))?.to_string(), "1.0400");
    /// // Only the direct pair: no inverse.
    /// assert!(rates.rate(Currency::USD, Currency::EUR, d(3, 3)).is_err());
    /// assert_eq!(rates.rate(Currency::USD, Currency::USD, d(3, 3))?, Decimal::ONE);
    /// # Ok::<(), salesplan::MoneyError>(())
    /// ```
    pub fn rate(
        &self,
        from: Currency,
        to: Currency,
        date: NaiveDate,
    ) -> Result<Decimal, MoneyError> {
        if from == to {
            return Ok(Decimal::ONE);
        }
        self.pairs
            .get(&(from, to))
            .and_then(|series| {
                let after = series.partition_point(|(d, _)| *d <= date);
                after.checked_sub(1).and_then(|i| series.get(i))
            })
            .map(|(_, rate)| *rate)
            .ok_or(MoneyError::NoFxRate { from, to, date })
    }

    /// Converts `money` into `to` at the rate effective on `date`, rounded
    /// once, to `to`'s minor units, with `policy`. Converting to the same
    /// currency only rounds.
    ///
    /// # Errors
    ///
    /// [`MoneyError::NoFxRate`] when no rate applies;
    /// [`MoneyError::Overflow`] when the product exceeds a `Decimal`.
    pub fn convert(
        &self,
        money: Money,
        to: Currency,
        date: NaiveDate,
        policy: RoundingPolicy,
    ) -> Result<Money, MoneyError> {
        let rate = self.rate(money.currency(), to, date)?;
        let amount = super::mul(money.amount(), rate)?;
        Ok(Money::new(amount, to).round(policy))
    }

    /// Every quote, by pair and date.
    pub fn quotes(&self) -> impl Iterator<Item = FxQuote> + '_ {
        self.pairs.iter().flat_map(|(&(from, to), series)| {
            series.iter().map(move |&(effective, rate)| FxQuote {
                from,
                to,
                effective,
                rate,
            })
        })
    }
}

impl TryFrom<Vec<FxQuote>> for RateTable {
    type Error = MoneyError;
    fn try_from(quotes: Vec<FxQuote>) -> Result<RateTable, MoneyError> {
        let mut table = RateTable::new();
        for quote in quotes {
            table.insert(quote)?;
        }
        Ok(table)
    }
}

impl From<RateTable> for Vec<FxQuote> {
    fn from(table: RateTable) -> Vec<FxQuote> {
        table.quotes().collect()
    }
}
