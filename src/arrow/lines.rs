//! Credited lines, quotas and activity logs from record batches.

use arrow_array::RecordBatch;
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::BatchError;
use super::input::{self, Amounts, Ids, NO_INT, NO_TEXT, Nulls};
use crate::activity::{ActivityEntry, ActivityKind, CustomKind};
use crate::credit::{CreditBasis, CreditLine, CreditRule, CreditRun};
use crate::ids::{PersonId, PositionId, TransactionId};
use crate::money::{Currency, Money, Percent};
use crate::org::OrgSnapshot;
use crate::rollup::NodeValues;

/// The date of day number `day` (days from 1970-01-01).
pub(super) fn date_of(day: i32, column: &'static str, row: usize) -> Result<NaiveDate, BatchError> {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .zip(chrono::TimeDelta::try_days(i64::from(day)))
        .and_then(|(epoch, days)| epoch.checked_add_signed(days))
        .ok_or(BatchError::DateOutOfRange { column, row, day })
}

/// Row `row` of an id column as an id of type `T`; `None` where the
/// column was null.
fn id_at<T>(ids: &Ids<'_>, row: usize, column: &'static str) -> Result<Option<T>, BatchError>
where
    T: TryFrom<i64, Error = crate::ids::IdError>
        + for<'t> TryFrom<&'t str, Error = crate::ids::IdError>,
{
    let id = match ids {
        Ids::Int(v) => match v.get(row).copied() {
            None | Some(NO_INT) => return Ok(None),
            Some(n) => T::try_from(n),
        },
        Ids::Text(v) => match v.get(row).copied() {
            None | Some(NO_TEXT) => return Ok(None),
            Some(t) => T::try_from(t),
        },
    };
    id.map(Some).map_err(|source| BatchError::Id {
        column,
        row,
        source,
    })
}

/// Row `row` of an amount column: an integer column holds units of
/// `10^-scale`.
fn amount_at(amounts: &Amounts<'_>, row: usize, scale: u32) -> Option<Decimal> {
    match amounts {
        Amounts::Minor(v) => v.get(row).and_then(|m| Decimal::try_new(*m, scale).ok()),
        Amounts::Decimal(v) => v.get(row).copied(),
    }
}

/// A run of lines credited elsewhere (a CRM), from a record batch, through
/// [`CreditRun::from_lines`]'s checks; statements and payouts are then
/// made from it with nothing re-credited.
///
/// | column | type | null means |
/// |---|---|---|
/// | `position_id` | ids | not allowed |
/// | `transaction_id` | ids | not allowed |
/// | `person_id` (optional) | ids | a vacant seat |
/// | `amount` | `int64` (minor units of `currency` for a money basis, whole units for counts and quantities) or `decimal128` | not allowed |
/// | `date` | `date32`, the credit date | not allowed |
/// | `share` (optional; without it, 100%) | `decimal128`, the owner's share as a fraction (1 is 100%) | not allowed |
/// | `sale_id` (optional) | ids: for a return, credit note or payment, the sale it refers to | the line's own transaction |
/// | `booked` (optional) | `date32`: the sale's booking date (the org date) | the credit date |
///
/// Every line is an owner's direct credit; managers' roll-up credit is
/// worked out over the org where it is needed.
///
/// # Errors
///
/// [`BatchError::MissingColumn`], [`BatchError::ColumnType`],
/// [`BatchError::Null`], [`BatchError::Id`], [`BatchError::NegativeId`],
/// [`BatchError::IdOutOfRange`], [`BatchError::Decimal`],
/// [`BatchError::DateOutOfRange`], [`BatchError::Share`]; then
/// [`BatchError::Credit`] with every error of [`CreditRun::from_lines`].
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, Date32Array, Int64Array, StringArray};
/// use salesplan::arrow::{RecordBatch, credit_run_from_batch};
/// use salesplan::credit::CreditBasis;
/// use salesplan::Currency;
///
/// // Two deals credited in the CRM, the second to a vacant seat.
/// let lines = RecordBatch::try_from_iter([
///     ("position_id", Arc::new(Int64Array::from(vec![20, 21])) as ArrayRef),
///     ("transaction_id", Arc::new(StringArray::from(vec!["SO-1", "SO-2"])) as ArrayRef),
///     ("person_id", Arc::new(Int64Array::from(vec![Some(7001), None])) as ArrayRef),
///     ("amount", Arc::new(Int64Array::from(vec![250_000, 120_050])) as ArrayRef),
///     ("date", Arc::new(Date32Array::from(vec![20_089, 20_100])) as ArrayRef),
/// ])?;
/// let run = credit_run_from_batch(&lines, CreditBasis::Revenue, Currency::USD)?;
/// assert_eq!(run.lines()[1].amount().to_string(), "1200.50");
/// assert_eq!(run.lines()[0].person().map(|p| p.as_str()), Some("7001"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn credit_run_from_batch(
    batch: &RecordBatch,
    basis: CreditBasis,
    currency: Currency,
) -> Result<CreditRun, BatchError> {
    input::known_columns(
        batch,
        &[
            "position_id",
            "transaction_id",
            "person_id",
            "amount",
            "date",
            "share",
            "sale_id",
            "booked",
        ],
    )?;
    let cols = LineColumns {
        positions: input::ids(
            input::column(batch, "position_id")?,
            "position_id",
            Nulls::Refused,
        )?,
        transactions: input::ids(
            input::column(batch, "transaction_id")?,
            "transaction_id",
            Nulls::Refused,
        )?,
        people: optional_ids(batch, "person_id")?,
        sales: optional_ids(batch, "sale_id")?,
        amounts: input::amounts(input::column(batch, "amount")?, "amount")?,
        days: input::days(input::column(batch, "date")?, "date")?,
        booked: batch
            .column_by_name("booked")
            .map(|c| input::optional_days(c, "booked"))
            .transpose()?,
        shares: batch
            .column_by_name("share")
            .map(|c| input::amounts(c, "share"))
            .transpose()?,
        scale: if basis.is_money() {
            u32::from(currency.minor_units())
        } else {
            0
        },
    };
    let lines = (0..batch.num_rows())
        .map(|row| cols.line(row))
        .collect::<Result<Vec<_>, _>>()?;
    CreditRun::from_lines(basis, currency, lines).map_err(|e| BatchError::Credit(Box::new(e)))
}

/// The columns of a batch of credited lines, read.
struct LineColumns<'a> {
    positions: Ids<'a>,
    transactions: Ids<'a>,
    people: Option<Ids<'a>>,
    sales: Option<Ids<'a>>,
    amounts: Amounts<'a>,
    days: &'a [i32],
    booked: Option<Vec<Option<i32>>>,
    shares: Option<Amounts<'a>>,
    /// An integer amount is in units of `10^-scale`.
    scale: u32,
}

impl LineColumns<'_> {
    /// Row `row` as a credited line.
    fn line(&self, row: usize) -> Result<CreditLine, BatchError> {
        let null = |column| BatchError::Null { column, row };
        let position: PositionId =
            id_at(&self.positions, row, "position_id")?.ok_or(null("position_id"))?;
        let transaction: TransactionId =
            id_at(&self.transactions, row, "transaction_id")?.ok_or(null("transaction_id"))?;
        let share = match &self.shares {
            None => Percent::HUNDRED,
            Some(Amounts::Decimal(v)) => {
                let fraction = v.get(row).copied().ok_or(null("share"))?;
                Percent::from_fraction(fraction).map_err(|_| BatchError::Share {
                    row,
                    value: fraction,
                })?
            }
            Some(Amounts::Minor(_)) => {
                return Err(BatchError::ColumnType {
                    column: "share",
                    found: "int64".to_owned(),
                    expected: "decimal128 (a fraction, 1 is 100%)",
                });
            }
        };
        let amount = amount_at(&self.amounts, row, self.scale).ok_or(null("amount"))?;
        let day = self.days.get(row).copied().ok_or(null("date"))?;
        let date = date_of(day, "date", row)?;
        let rule = CreditRule::Owner { share };
        let mut line = CreditLine::new(position, transaction, rule, amount, date);
        let person = self
            .people
            .as_ref()
            .map(|p| id_at::<PersonId>(p, row, "person_id"));
        if let Some(person) = person.transpose()?.flatten() {
            line = line.with_person(person);
        }
        let sale = self
            .sales
            .as_ref()
            .map(|s| id_at::<TransactionId>(s, row, "sale_id"));
        let sale = sale.transpose()?.flatten();
        let booked_on = match self
            .booked
            .as_ref()
            .and_then(|b| b.get(row).copied().flatten())
        {
            Some(day) => Some(date_of(day, "booked", row)?),
            None => None,
        };
        if sale.is_some() || booked_on.is_some() {
            let sale = sale.unwrap_or_else(|| line.transaction().clone());
            line = line.with_sale(sale, booked_on.unwrap_or(date));
        }
        Ok(line)
    }
}

fn optional_ids<'a>(
    batch: &'a RecordBatch,
    column: &'static str,
) -> Result<Option<Ids<'a>>, BatchError> {
    batch
        .column_by_name(column)
        .map(|c| input::ids(c, column, Nulls::None))
        .transpose()
}

/// Each node's quota from a record batch of `position_id` (ids) and
/// `amount` (`int64` minor units of `currency` or `decimal128`), both
/// without nulls; a position not in the batch has a zero quota. For
/// [`rollup_batch`](super::rollup_batch) and the roll-up's attainments.
///
/// # Errors
///
/// [`BatchError::MissingColumn`], [`BatchError::ColumnType`],
/// [`BatchError::Null`], [`BatchError::UnknownColumn`],
/// [`BatchError::DuplicateId`] for a position given twice (naming the
/// second row); [`BatchError::Quota`] for a negative quota or one with a
/// fraction of a minor unit; [`BatchError::Org`] naming the first
/// id not in the snapshot and its row.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, Int64Array};
/// use chrono::NaiveDate;
/// use salesplan::arrow::{RecordBatch, quotas_from_batch};
/// use salesplan::org::{OrgColumns, Role};
/// use salesplan::Currency;
///
/// let ids: [i64; 3] = [1, 20, 21];
/// let org = OrgColumns::new(&ids, &[-1, 1, 1], &-1, &[Role::Director, Role::SalesRep, Role::SalesRep]).build()?;
/// let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())?;
/// let quotas = RecordBatch::try_from_iter([
///     ("position_id", Arc::new(Int64Array::from(vec![21, 20])) as ArrayRef),
///     ("amount", Arc::new(Int64Array::from(vec![50_000_00, 40_000_00])) as ArrayRef),
/// ])?;
/// let values = quotas_from_batch(&snapshot, &quotas, Currency::USD)?;
/// let rep = snapshot.node(&salesplan::PositionId::from(21_u64)).unwrap();
/// assert_eq!(values.get(rep.index()).unwrap().to_string(), "50000.00 USD");
/// assert!(values.get(snapshot.root().index()).unwrap().is_zero()); // not in the batch
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn quotas_from_batch<'s>(
    snapshot: &'s OrgSnapshot,
    batch: &RecordBatch,
    currency: Currency,
) -> Result<NodeValues<'s, Money>, BatchError> {
    input::known_columns(batch, &["position_id", "amount"])?;
    let ids = input::ids(
        input::column(batch, "position_id")?,
        "position_id",
        Nulls::Refused,
    )?;
    let amounts = input::amounts(input::column(batch, "amount")?, "amount")?;
    let keys = match &ids {
        Ids::Int(v) => snapshot.resolve(v)?,
        Ids::Text(v) => snapshot.resolve(v)?,
    };
    let mut quota: Vec<Option<Money>> = vec![None; snapshot.len()];
    for (row, key) in keys.iter().enumerate() {
        let scale = u32::from(currency.minor_units());
        let amount = amount_at(&amounts, row, scale).ok_or(BatchError::Null {
            column: "amount",
            row,
        })?;
        let slot = quota.get_mut(key.index()).ok_or(BatchError::Null {
            column: "position_id",
            row,
        })?;
        if slot.is_some() {
            return Err(BatchError::DuplicateId {
                column: "position_id",
                row,
            });
        }
        let quota = Money::new(amount, currency);
        // A quota is whole minor units, and not negative.
        if quota.to_minor().is_err() || quota.is_negative() {
            return Err(BatchError::Quota { row, value: amount });
        }
        *slot = Some(quota);
    }
    Ok(NodeValues::from_fn(snapshot, |n| {
        quota
            .get(n.index().index())
            .copied()
            .flatten()
            .unwrap_or(Money::zero(currency))
    }))
}

/// An activity log from a record batch: `person_id` (ids), `kind`
/// (`utf8` or a dictionary: `cold_call`, `call`, `email`, `meeting`,
/// `demo`, `proposal`, `site_visit`, or the name of one of `custom`),
/// `date` (`date32`) and `quantity` (`int64`), none null; each entry
/// checked as [`ActivityEntry::new`] checks it.
///
/// # Errors
///
/// [`BatchError::MissingColumn`], [`BatchError::ColumnType`],
/// [`BatchError::Null`], [`BatchError::Id`], [`BatchError::UnknownKind`],
/// [`BatchError::DateOutOfRange`], [`BatchError::Activity`] naming the
/// row (a negative quantity, ...).
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, Date32Array, Int64Array, StringArray};
/// use salesplan::activity::ActivityKind;
/// use salesplan::arrow::{RecordBatch, activity_from_batch};
///
/// let log = RecordBatch::try_from_iter([
///     ("person_id", Arc::new(Int64Array::from(vec![7001, 7001])) as ArrayRef),
///     ("kind", Arc::new(StringArray::from(vec!["cold_call", "meeting"])) as ArrayRef),
///     ("date", Arc::new(Date32Array::from(vec![20_100, 20_101])) as ArrayRef),
///     ("quantity", Arc::new(Int64Array::from(vec![42, 2])) as ArrayRef),
/// ])?;
/// let entries = activity_from_batch(&log, &[])?;
/// assert_eq!(entries[1].kind(), &ActivityKind::Meeting);
/// assert_eq!(entries[0].person().as_str(), "7001");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn activity_from_batch(
    batch: &RecordBatch,
    custom: &[CustomKind],
) -> Result<Vec<ActivityEntry>, BatchError> {
    input::known_columns(batch, &["person_id", "kind", "date", "quantity"])?;
    let people = input::ids(
        input::column(batch, "person_id")?,
        "person_id",
        Nulls::Refused,
    )?;
    let kinds = input::texts(input::column(batch, "kind")?, "kind")?;
    let days = input::days(input::column(batch, "date")?, "date")?;
    let quantities = match input::amounts(input::column(batch, "quantity")?, "quantity")? {
        Amounts::Minor(v) => v,
        Amounts::Decimal(_) => {
            return Err(BatchError::ColumnType {
                column: "quantity",
                found: "decimal128".to_owned(),
                expected: "int64",
            });
        }
    };
    let mut out = Vec::with_capacity(kinds.len());
    for (row, text) in kinds.iter().enumerate() {
        let kind = match *text {
            "cold_call" => ActivityKind::ColdCall,
            "call" => ActivityKind::Call,
            "email" => ActivityKind::Email,
            "meeting" => ActivityKind::Meeting,
            "demo" => ActivityKind::Demo,
            "proposal" => ActivityKind::Proposal,
            "site_visit" => ActivityKind::SiteVisit,
            name => match custom.iter().find(|k| k.name() == name) {
                Some(k) => ActivityKind::Custom(k.clone()),
                None => {
                    return Err(BatchError::UnknownKind {
                        row,
                        kind: name.to_owned(),
                    });
                }
            },
        };
        let person: Option<PersonId> = id_at(&people, row, "person_id")?;
        let person = person.ok_or(BatchError::Null {
            column: "person_id",
            row,
        })?;
        let day = days.get(row).copied().ok_or(BatchError::Null {
            column: "date",
            row,
        })?;
        let quantity = quantities.get(row).copied().ok_or(BatchError::Null {
            column: "quantity",
            row,
        })?;
        let entry = ActivityEntry::new(person, kind, date_of(day, "date", row)?, quantity)
            .map_err(|source| BatchError::Activity {
                row,
                source: Box::new(source),
            })?;
        out.push(entry);
    }
    Ok(out)
}
