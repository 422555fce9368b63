//! Reading the schema's columns out of a batch, checked.

use std::borrow::Cow;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Decimal128Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;
use rust_decimal::Decimal;

use super::BatchError;

/// An id column as the crate takes it: integers (`-1` where the column
/// was null, when nulls are allowed) or text (`""` there).
#[derive(Debug)]
pub(super) enum Ids<'a> {
    /// Integer ids.
    Int(Cow<'a, [i64]>),
    /// Text ids.
    Text(Vec<&'a str>),
}

impl Ids<'_> {
    pub(super) fn len(&self) -> usize {
        match self {
            Ids::Int(v) => v.len(),
            Ids::Text(v) => v.len(),
        }
    }
}

/// What a null in a column means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Nulls {
    /// It is an error.
    Refused,
    /// It is "none": `-1` or `""`.
    None,
}

/// The integer written where an integer id column is null.
pub(super) const NO_INT: i64 = -1;
/// The text written where a text id column is null.
pub(super) const NO_TEXT: &str = "";

const ID_TYPES: &str = "int64, int32, uint64, uint32, utf8, large_utf8 or a dictionary of them";

/// Refuses a column of `batch` not among `known`.
pub(super) fn known_columns(batch: &RecordBatch, known: &[&str]) -> Result<(), BatchError> {
    let schema = batch.schema();
    match schema
        .fields()
        .iter()
        .find(|f| !known.contains(&f.name().as_str()))
    {
        Some(f) => Err(BatchError::UnknownColumn {
            column: f.name().clone(),
        }),
        None => Ok(()),
    }
}

/// The column `name`.
pub(super) fn column<'a>(
    batch: &'a RecordBatch,
    name: &'static str,
) -> Result<&'a ArrayRef, BatchError> {
    batch
        .column_by_name(name)
        .ok_or(BatchError::MissingColumn { column: name })
}

fn wrong(column: &'static str, found: &DataType, expected: &'static str) -> BatchError {
    BatchError::ColumnType {
        column,
        found: found.to_string(),
        expected,
    }
}

/// The first null row of `array`, if nulls are refused.
fn check_nulls(array: &dyn Array, column: &'static str, nulls: Nulls) -> Result<(), BatchError> {
    if nulls == Nulls::Refused
        && let Some(n) = array.logical_nulls()
        && let Some(row) = (0..n.len()).find(|&i| n.is_null(i))
    {
        return Err(BatchError::Null { column, row });
    }
    Ok(())
}

/// An id column: read in place when it is `int64` without nulls.
pub(super) fn ids<'a>(
    array: &'a ArrayRef,
    column: &'static str,
    nulls: Nulls,
) -> Result<Ids<'a>, BatchError> {
    check_nulls(array.as_ref(), column, nulls)?;
    if let Some(dict) = array.as_any_dictionary_opt() {
        let values = plain_ids(dict.values(), column)?;
        let keys = dictionary_keys(dict.keys(), column)?;
        let present = array.logical_nulls();
        let is_null = |row: usize| present.as_ref().is_some_and(|n| n.is_null(row));
        let size = values.len();
        let past = |row: usize| BatchError::DictionaryKey {
            column,
            row,
            values: size,
        };
        return match values {
            Ids::Int(v) => {
                let mut out = Vec::with_capacity(keys.len());
                for (row, k) in keys.iter().enumerate() {
                    out.push(match k {
                        _ if is_null(row) => NO_INT,
                        Some(k) => v.get(*k).copied().ok_or_else(|| past(row))?,
                        None => return Err(past(row)),
                    });
                }
                Ok(Ids::Int(Cow::Owned(out)))
            }
            Ids::Text(v) => {
                let mut out = Vec::with_capacity(keys.len());
                for (row, k) in keys.iter().enumerate() {
                    out.push(match k {
                        _ if is_null(row) => NO_TEXT,
                        Some(k) => v.get(*k).copied().ok_or_else(|| past(row))?,
                        None => return Err(past(row)),
                    });
                }
                Ok(Ids::Text(out))
            }
        };
    }
    plain_ids(array, column)
}

/// A dictionary's keys as indexes (`None` for a negative key: it points
/// nowhere), read from whichever integer type they have.
fn dictionary_keys(
    keys: &dyn Array,
    column: &'static str,
) -> Result<Vec<Option<usize>>, BatchError> {
    fn index<T: TryInto<usize> + Copy>(values: &[T]) -> Vec<Option<usize>> {
        values.iter().map(|k| (*k).try_into().ok()).collect()
    }
    Ok(match keys.data_type() {
        DataType::Int8 => index(keys.as_primitive::<Int8Type>().values()),
        DataType::Int16 => index(keys.as_primitive::<Int16Type>().values()),
        DataType::Int32 => index(keys.as_primitive::<Int32Type>().values()),
        DataType::Int64 => index(keys.as_primitive::<Int64Type>().values()),
        DataType::UInt8 => index(keys.as_primitive::<UInt8Type>().values()),
        DataType::UInt16 => index(keys.as_primitive::<UInt16Type>().values()),
        DataType::UInt32 => index(keys.as_primitive::<UInt32Type>().values()),
        DataType::UInt64 => index(keys.as_primitive::<UInt64Type>().values()),
        other => return Err(wrong(column, other, "a dictionary with integer keys")),
    })
}

/// An id column that is not a dictionary; nulls read as none.
fn plain_ids<'a>(array: &'a ArrayRef, column: &'static str) -> Result<Ids<'a>, BatchError> {
    let nulls = array.logical_nulls();
    let is_null = |row: usize| nulls.as_ref().is_some_and(|n| n.is_null(row));
    match array.data_type() {
        DataType::Int64 => {
            let values = array.as_primitive::<Int64Type>().values();
            if let Some(row) = values
                .iter()
                .enumerate()
                .position(|(r, v)| *v < 0 && !is_null(r))
            {
                let value = values.get(row).copied().unwrap_or(NO_INT);
                return Err(BatchError::NegativeId { column, row, value });
            }
            if nulls.is_none() {
                return Ok(Ids::Int(Cow::Borrowed(values.as_ref())));
            }
            let out = values
                .iter()
                .enumerate()
                .map(|(r, v)| if is_null(r) { NO_INT } else { *v });
            Ok(Ids::Int(Cow::Owned(out.collect())))
        }
        DataType::Int32 => {
            let values = array.as_primitive::<Int32Type>().values();
            widen(values.iter().map(|v| i64::from(*v)), column, &is_null)
        }
        DataType::UInt32 => {
            let values = array.as_primitive::<UInt32Type>().values();
            widen(values.iter().map(|v| i64::from(*v)), column, &is_null)
        }
        DataType::UInt64 => {
            let values = array.as_primitive::<UInt64Type>().values();
            let mut out = Vec::with_capacity(values.len());
            for (row, v) in values.iter().enumerate() {
                if is_null(row) {
                    out.push(NO_INT);
                } else {
                    let id = i64::try_from(*v).map_err(|_| BatchError::IdOutOfRange {
                        column,
                        row,
                        value: *v,
                    })?;
                    out.push(id);
                }
            }
            Ok(Ids::Int(Cow::Owned(out)))
        }
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            Ok(Ids::Text(
                (0..a.len())
                    .map(|r| if is_null(r) { NO_TEXT } else { a.value(r) })
                    .collect(),
            ))
        }
        DataType::LargeUtf8 => {
            let a = array.as_string::<i64>();
            Ok(Ids::Text(
                (0..a.len())
                    .map(|r| if is_null(r) { NO_TEXT } else { a.value(r) })
                    .collect(),
            ))
        }
        other => Err(wrong(column, other, ID_TYPES)),
    }
}

/// Narrower integers widened to `i64`, negatives refused.
fn widen<'a>(
    values: impl Iterator<Item = i64>,
    column: &'static str,
    is_null: &dyn Fn(usize) -> bool,
) -> Result<Ids<'a>, BatchError> {
    let mut out = Vec::new();
    for (row, v) in values.enumerate() {
        if is_null(row) {
            out.push(NO_INT);
        } else if v < 0 {
            return Err(BatchError::NegativeId {
                column,
                row,
                value: v,
            });
        } else {
            out.push(v);
        }
    }
    Ok(Ids::Int(Cow::Owned(out)))
}

/// A text column (roles), nulls refused: `utf8`, `large_utf8` or a
/// dictionary of them, as one `&str` per row.
pub(super) fn texts<'a>(
    array: &'a ArrayRef,
    column: &'static str,
) -> Result<Vec<&'a str>, BatchError> {
    check_nulls(array.as_ref(), column, Nulls::Refused)?;
    match ids(array, column, Nulls::Refused)? {
        Ids::Text(v) => Ok(v),
        Ids::Int(_) => Err(wrong(
            column,
            array.data_type(),
            "utf8, large_utf8 or a dictionary of them",
        )),
    }
}

/// An amount column: whole minor units (`int64`, read in place) or
/// `decimal128` values as `Decimal`s.
#[derive(Debug)]
pub(super) enum Amounts<'a> {
    /// Whole minor units.
    Minor(&'a [i64]),
    /// Decimals in the major unit.
    Decimal(Vec<Decimal>),
}

/// The amount column `name`, nulls refused.
pub(super) fn amounts<'a>(
    array: &'a ArrayRef,
    column: &'static str,
) -> Result<Amounts<'a>, BatchError> {
    check_nulls(array.as_ref(), column, Nulls::Refused)?;
    match array.data_type() {
        DataType::Int64 => Ok(Amounts::Minor(
            array.as_primitive::<Int64Type>().values().as_ref(),
        )),
        DataType::Decimal128(_, scale) => {
            let scale = *scale;
            let values = array.as_primitive::<Decimal128Type>().values();
            let mut out = Vec::with_capacity(values.len());
            for (row, v) in values.iter().enumerate() {
                let places = u32::try_from(scale).ok();
                let d = places.and_then(|s| Decimal::try_from_i128_with_scale(*v, s).ok());
                out.push(d.ok_or(BatchError::Decimal {
                    column,
                    row,
                    value: *v,
                    scale,
                })?);
            }
            Ok(Amounts::Decimal(out))
        }
        other => Err(wrong(column, other, "int64 (minor units) or decimal128")),
    }
}

/// A `date32` column, read in place, nulls refused.
pub(super) fn days<'a>(array: &'a ArrayRef, column: &'static str) -> Result<&'a [i32], BatchError> {
    check_nulls(array.as_ref(), column, Nulls::Refused)?;
    match array.data_type() {
        DataType::Date32 => Ok(array.as_primitive::<Date32Type>().values().as_ref()),
        other => Err(wrong(column, other, "date32")),
    }
}

/// A `date32` column whose nulls mean "none".
pub(super) fn optional_days(
    array: &ArrayRef,
    column: &'static str,
) -> Result<Vec<Option<i32>>, BatchError> {
    match array.data_type() {
        DataType::Date32 => {
            let a = array.as_primitive::<Date32Type>();
            Ok((0..a.len())
                .map(|r| (!a.is_null(r)).then(|| a.value(r)))
                .collect())
        }
        other => Err(wrong(column, other, "date32")),
    }
}
