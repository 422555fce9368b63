//! The roll-up of a record batch of credits.

use arrow_array::RecordBatch;

use super::BatchError;
use super::input::{self, Amounts, Ids, Nulls};
use crate::ids::ColumnId;
use crate::org::OrgSnapshot;
use crate::rollup::{AmountColumn, CreditColumns, MoneyRollup, SumOptions, sum_credit_columns};

/// Every node's own and subtree total of a batch of credits (schema in the
/// [module docs](super)): [`sum_credit_columns`] on the batch's columns,
/// read in place where their layout allows (an `int64` id column without
/// nulls, `int64` amounts, `date32` days).
///
/// The `date` column is optional when `options` has no period.
///
/// # Errors
///
/// [`BatchError::MissingColumn`], [`BatchError::UnknownColumn`],
/// [`BatchError::ColumnType`], [`BatchError::Null`],
/// [`BatchError::NegativeId`],
/// [`BatchError::IdOutOfRange`], [`BatchError::Decimal`]; then
/// [`BatchError::Rollup`] with every error of [`sum_credit_columns`]
/// (an unknown id naming its row, an amount that is not whole minor
/// units, an overflow, no `date` column for a period).
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, Date32Array, Int64Array};
/// use chrono::NaiveDate;
/// use salesplan::arrow::{RecordBatch, sum_credit_batch};
/// use salesplan::org::{OrgColumns, Role};
/// use salesplan::rollup::SumOptions;
/// use salesplan::{Currency, Period};
///
/// let ids: [i64; 3] = [1, 20, 21];
/// let parents: [i64; 3] = [-1, 1, 1];
/// let roles = [Role::Director, Role::SalesRep, Role::SalesRep];
/// let org = OrgColumns::new(&ids, &parents, &-1, &roles).build()?;
/// let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap())?;
///
/// let credits = RecordBatch::try_from_iter([
///     ("position_id", Arc::new(Int64Array::from(vec![20, 21, 20])) as ArrayRef),
///     ("amount", Arc::new(Int64Array::from(vec![100_00, 250_00, -10_00])) as ArrayRef),
///     ("date", Arc::new(Date32Array::from(vec![20089, 20100, 20454])) as ArrayRef),
/// ])?;
/// let options = SumOptions::new(Currency::USD).period(Period::year(2025)?);
/// let totals = sum_credit_batch(&snapshot, &credits, options)?;
/// assert_eq!(totals.subtree(snapshot.root())?.to_string(), "350.00 USD");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sum_credit_batch<'s>(
    snapshot: &'s OrgSnapshot,
    batch: &RecordBatch,
    options: SumOptions,
) -> Result<MoneyRollup<'s>, BatchError> {
    input::known_columns(batch, &["position_id", "amount", "date"])?;
    let ids = input::ids(
        input::column(batch, "position_id")?,
        "position_id",
        Nulls::Refused,
    )?;
    let amounts = input::amounts(input::column(batch, "amount")?, "amount")?;
    let days = batch
        .column_by_name("date")
        .map(|c| input::days(c, "date"))
        .transpose()?;
    match &ids {
        Ids::Int(i) => sum(snapshot, i, &amounts, days, options),
        Ids::Text(i) => sum(snapshot, i, &amounts, days, options),
    }
}

fn sum<'s, K: ColumnId>(
    snapshot: &'s OrgSnapshot,
    ids: &[K],
    amounts: &Amounts<'_>,
    days: Option<&[i32]>,
    options: SumOptions,
) -> Result<MoneyRollup<'s>, BatchError> {
    let amounts = match amounts {
        Amounts::Minor(m) => AmountColumn::Minor(m),
        Amounts::Decimal(d) => AmountColumn::Decimal(d),
    };
    let mut credits = CreditColumns::new(ids, amounts);
    if let Some(days) = days {
        credits = credits.days(days);
    }
    Ok(sum_credit_columns(snapshot, credits, options)?)
}
