//! Results as record batches.

use std::sync::Arc;

use arrow_array::{ArrayRef, Date32Array, Decimal128Array, RecordBatch, StringArray};
use rust_decimal::{Decimal, RoundingStrategy};

use super::BatchError;
use crate::comp::{Payouts, PersonInput};
use crate::money::{Attainment, Currency, Money};
use crate::rollup::{MoneyRollup, NodeValues};

/// The scale of an attainment column.
pub(super) const ATTAINMENT_SCALE: u32 = 12;

/// Days from 1970-01-01, as `date32` counts them.
pub(super) fn day_number(date: chrono::NaiveDate) -> Option<i32> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from(date.signed_duration_since(epoch).num_days()).ok()
}

/// `money` in whole minor units, for a `decimal128(38, minor units)`.
pub(super) fn minor(
    money: Money,
    column: &'static str,
    id: &dyn Fn() -> String,
) -> Result<i128, BatchError> {
    money.to_minor().map_err(|_| BatchError::Overflow {
        column,
        id: id(),
        value: money.to_string(),
        scale: u32::from(money.currency().minor_units()),
    })
}

/// `ratio` at the attainment column's scale, rounded half to even.
pub(super) fn attainment_value(
    ratio: Decimal,
    id: &dyn Fn() -> String,
) -> Result<i128, BatchError> {
    ratio_value(ratio, "attainment", id)
}

/// `ratio` at the ratio columns' scale (as attainment), for `column`.
pub(super) fn ratio_value(
    ratio: Decimal,
    column: &'static str,
    id: &dyn Fn() -> String,
) -> Result<i128, BatchError> {
    let mut scaled =
        ratio.round_dp_with_strategy(ATTAINMENT_SCALE, RoundingStrategy::MidpointNearestEven);
    scaled.rescale(ATTAINMENT_SCALE);
    if scaled.scale() != ATTAINMENT_SCALE {
        return Err(BatchError::Overflow {
            column,
            id: id(),
            value: ratio.to_string(),
            scale: ATTAINMENT_SCALE,
        });
    }
    Ok(scaled.mantissa())
}

/// A `decimal128(38, scale)` column.
pub(super) fn decimals(values: Vec<Option<i128>>, scale: u32) -> Result<ArrayRef, BatchError> {
    let scale = i8::try_from(scale).map_err(|_| BatchError::Arrow(format!("scale {scale}")))?;
    Ok(Arc::new(
        Decimal128Array::from(values).with_precision_and_scale(38, scale)?,
    ))
}

pub(super) fn scale_of(currency: Currency) -> u32 {
    u32::from(currency.minor_units())
}

/// A roll-up as a record batch, one row per position in the snapshot's
/// order: `position_id` (`utf8`), `own` and `subtree` (`decimal128(38, s)`,
/// `s` the currency's minor units) and, with `quotas`, `quota` and
/// `attainment` (`decimal128(38, 12)`: the fraction, 1 is 100%, rounded
/// half to even at 12 places; null when the quota is zero).
///
/// # Errors
///
/// [`BatchError::Rollup`] for quotas of another snapshot or currency;
/// [`BatchError::Overflow`] for a figure that does not fit its column.
///
/// # Examples
///
/// ```
/// use arrow_array::Array;
/// use arrow_array::cast::AsArray;
/// use arrow_array::types::Decimal128Type;
/// use chrono::NaiveDate;
/// use salesplan::arrow::rollup_batch;
/// use salesplan::org::{OrgColumns, Role};
/// use salesplan::rollup::{AmountColumn, CreditColumns, NodeValues, SumOptions, sum_credit_columns};
/// use salesplan::{Currency, Money};
///
/// let ids: [i64; 2] = [1, 20];
/// let org = OrgColumns::new(&ids, &[-1, 1], &-1, &[Role::TeamLead, Role::SalesRep]).build()?;
/// let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())?;
/// let totals = sum_credit_columns(&snapshot, CreditColumns::new(&[20_i64], AmountColumn::Minor(&[150_00])), SumOptions::new(Currency::USD))?;
/// let quotas = NodeValues::from_declared(&snapshot, &[Money::parse("300.00", Currency::USD)?, Money::parse("0.00", Currency::USD)?])?;
/// let batch = rollup_batch(&totals, Some(&quotas))?;
/// let attainment = batch.column_by_name("attainment").unwrap().as_primitive::<Decimal128Type>();
/// assert_eq!(attainment.value_as_string(0), "0.500000000000");
/// assert!(attainment.is_null(1)); // no quota
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn rollup_batch(
    totals: &MoneyRollup<'_>,
    quotas: Option<&NodeValues<'_, Money>>,
) -> Result<RecordBatch, BatchError> {
    let snapshot = totals.snapshot();
    let attainments = quotas.map(|q| totals.attainments(q)).transpose()?;
    let (mut ids, mut own, mut subtree) = (Vec::new(), Vec::new(), Vec::new());
    let (mut quota_column, mut attainment_column) = (Vec::new(), Vec::new());
    let mut currency = None;
    for node in snapshot.nodes() {
        let id = || node.id().to_string();
        let o = totals.own(node.index())?;
        currency = Some(o.currency());
        own.push(Some(minor(o, "own", &id)?));
        subtree.push(Some(minor(totals.subtree(node.index())?, "subtree", &id)?));
        if let Some(q) = quotas.and_then(|q| q.get(node.index())) {
            quota_column.push(Some(minor(*q, "quota", &id)?));
        }
        if let Some(all) = &attainments {
            let ratio = match all.get(node.index().index()) {
                Some(Attainment::ZeroTarget { .. }) | None => None,
                Some(a) => a.ratio(),
            };
            attainment_column.push(ratio.map(|r| attainment_value(r, &id)).transpose()?);
        }
        ids.push(node.id().as_str());
    }
    let scale = currency.map_or(2, scale_of);
    let mut columns: Vec<(&str, ArrayRef)> = vec![
        ("position_id", Arc::new(StringArray::from(ids))),
        ("own", decimals(own, scale)?),
        ("subtree", decimals(subtree, scale)?),
    ];
    if quotas.is_some() {
        columns.push(("quota", decimals(quota_column, scale)?));
        columns.push(("attainment", decimals(attainment_column, ATTAINMENT_SCALE)?));
    }
    Ok(RecordBatch::try_from_iter(columns)?)
}

/// Payouts as a record batch, one row per person, pay period and
/// component, people in the order of `people`, the inputs
/// [`Commissions::payouts_for`](crate::comp::Commissions::payouts_for)
/// was given: `person_id` (`utf8`), `period_start` and `period_end`
/// (`date32`, the end exclusive), `component` (`utf8`) and `amount`
/// (`decimal128(38, s)`). A statement's total is the sum of its rows,
/// unless the plan has a draw: see [`Payouts::total`].
///
/// # Errors
///
/// [`BatchError::Length`] when `people` is not as long as the payouts'
/// people; [`BatchError::Overflow`] for an amount beyond its column.
///
/// # Examples
///
/// ```
/// use arrow_array::cast::AsArray;
/// use arrow_array::types::Decimal128Type;
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
/// use salesplan::arrow::payouts_batch;
/// use salesplan::calendar::FiscalCalendar;
/// use salesplan::comp::{Commissions, CompPeriod, CompPlan, Component, PayRate, PersonInput, Quotas, RateTable};
/// use salesplan::credit::{CreditBasis, CreditLine, CreditRule, CreditRun};
/// use salesplan::{Currency, PersonId, PlanId, PositionId, TransactionId};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let ann = PersonId::new("ann")?;
/// let owner = CreditRule::Owner { share: "100%".parse()? };
/// let line = CreditLine::new(PositionId::new("rep-1")?, TransactionId::new("T1")?, owner,
///     Decimal::from(4000), d(1, 10)).with_person(ann.clone());
/// let run = CreditRun::from_lines(CreditBasis::Revenue, Currency::USD, vec![line])?;
/// let plan = CompPlan::builder(PlanId::new("AE")?, Currency::USD, FiscalCalendar::gregorian(), 2025)
///     .component(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month,
///         RateTable::Flat(PayRate::Percent("10%".parse()?))))
///     .build()?;
/// let quotas = Quotas::new();
/// let people = [PersonInput { person: &ann, quotas: &quotas, locked: &[] }];
/// let payouts = Commissions::new(&plan, &[&run])?.payouts_for(&people, d(1, 31))?;
/// let batch = payouts_batch(&payouts, &people)?;
/// let amount = batch.column_by_name("amount").unwrap().as_primitive::<Decimal128Type>();
/// assert_eq!(amount.value_as_string(0), "400.00");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn payouts_batch(
    payouts: &Payouts,
    people: &[PersonInput<'_>],
) -> Result<RecordBatch, BatchError> {
    if people.len() != payouts.people() {
        return Err(BatchError::Length {
            column: "people",
            found: people.len(),
            expected: payouts.people(),
        });
    }
    let (mut who, mut starts, mut ends, mut names, mut amounts) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (i, person) in people.iter().map(|p| p.person).enumerate() {
        for (p, period) in payouts.periods().iter().enumerate() {
            for (c, component) in payouts.components().iter().enumerate() {
                let Some(pay) = payouts.pay(i, p, c) else {
                    continue;
                };
                let id = || person.to_string();
                who.push(person.as_str());
                starts.push(day_number(period.start()));
                ends.push(day_number(period.end()));
                names.push(component.as_str());
                amounts.push(Some(minor(pay, "amount", &id)?));
            }
        }
    }
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("person_id", Arc::new(StringArray::from(who))),
        ("period_start", Arc::new(Date32Array::from(starts))),
        ("period_end", Arc::new(Date32Array::from(ends))),
        ("component", Arc::new(StringArray::from(names))),
        ("amount", decimals(amounts, scale_of(payouts.currency()))?),
    ];
    Ok(RecordBatch::try_from_iter(columns)?)
}
