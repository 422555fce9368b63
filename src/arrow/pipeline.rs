//! Opportunities from a record batch.

use std::borrow::Cow;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Decimal128Type, Int32Type, Int64Type, UInt8Type};
use arrow_array::{Array, ArrayRef, RecordBatch, UInt64Array};
use arrow_schema::DataType;
use rust_decimal::Decimal;

use super::BatchError;
use super::input::{self, Amounts, Ids, NO_TEXT, Nulls};
use super::output::{decimals, minor, scale_of};
use super::totals::id_column;
use crate::ids::ColumnId;
use crate::money::{Currency, Money, Percent};
use crate::org::OrgSnapshot;
use crate::pipeline::{
    ForecastCategory, OpportunityColumns, Outcome, PipelineColumns, PipelineOptions,
    PipelineRollup, ProbabilityColumn, Stages,
};

const COLUMNS: [&str; 11] = [
    "id",
    "owner_id",
    "stage",
    "amount",
    "expected_close",
    "created",
    "probability",
    "category",
    "outcome",
    "closed",
    "closed_amount",
];

/// The probability column, read.
#[derive(Debug)]
enum Probabilities<'b> {
    Points(Cow<'b, [u8]>),
    Own(Vec<Option<Percent>>),
}

/// Opportunities read from a record batch and checked
/// ([`opportunities_from_batch`]); roll them up with
/// [`roll_up`](Self::roll_up). Columns are borrowed from the batch where
/// their layout is the crate's (`int64` ids and amounts without nulls,
/// `date32`, `uint8` probabilities), copied once otherwise.
#[derive(Debug)]
pub struct OpportunityBatch<'b> {
    currency: Currency,
    stages: Stages,
    ids: Ids<'b>,
    owners: Ids<'b>,
    stage: Vec<u8>,
    amounts: Cow<'b, [i64]>,
    expected_close: &'b [i32],
    created: Option<&'b [i32]>,
    probabilities: Option<Probabilities<'b>>,
    categories: Option<Vec<ForecastCategory>>,
    outcomes: Option<Vec<Option<Outcome>>>,
    closed: Option<Vec<i32>>,
    closed_amounts: Option<Vec<i64>>,
}

/// Runs `$body` with `$c` bound to the batch's columns, whatever the types
/// of its two id columns.
macro_rules! with_columns {
    ($batch:expr, |$c:ident| $body:expr) => {
        match (&$batch.ids, &$batch.owners) {
            (Ids::Int(i), Ids::Int(o)) => {
                let $c = $batch.columns(i.as_ref(), o.as_ref());
                $body
            }
            (Ids::Int(i), Ids::Text(o)) => {
                let $c = $batch.columns(i.as_ref(), o.as_slice());
                $body
            }
            (Ids::Text(i), Ids::Int(o)) => {
                let $c = $batch.columns(i.as_slice(), o.as_ref());
                $body
            }
            (Ids::Text(i), Ids::Text(o)) => {
                let $c = $batch.columns(i.as_slice(), o.as_slice());
                $body
            }
        }
    };
}

/// Opportunities from a record batch, checked as strictly as
/// [`PipelineColumns::new`] checks columns (and so as the row API checks
/// an [`Opportunity`](crate::pipeline::Opportunity)), in `currency`,
/// through `stages`.
///
/// | column | type | null means |
/// |---|---|---|
/// | `id` | ids | not allowed |
/// | `owner_id` | ids: the owning position | not allowed |
/// | `stage` | a stage's name (`utf8`, `large_utf8` or a dictionary of them), or its index in `stages` (`uint8`) | not allowed |
/// | `amount` | `int64` (minor units) or `decimal128` (whole minor units) | not allowed |
/// | `expected_close` | `date32` | not allowed |
/// | `created` (optional) | `date32` | not allowed |
/// | `probability` (optional) | `uint8`, `int32` or `int64` whole percentage points (`60` is 60%), or `decimal128` the fraction (1 is 100%) | the stage's default |
/// | `category` (optional) | text: `commit`, `best_case`, `pipeline`, `omitted` | `pipeline` |
/// | `outcome` (optional) | text: `won`, `lost` | open |
/// | `closed` (optional) | `date32`: when a closed one closed | the expected close |
/// | `closed_amount` (optional) | as `amount`: what a closed one was won or lost for | the amount |
///
/// Ids are read as the org's are (see [the module](crate::arrow)).
///
/// # Errors
///
/// [`BatchError::UnknownColumn`], [`BatchError::MissingColumn`],
/// [`BatchError::ColumnType`], [`BatchError::Null`],
/// [`BatchError::NegativeId`], [`BatchError::IdOutOfRange`],
/// [`BatchError::DictionaryKey`], [`BatchError::Decimal`];
/// [`BatchError::Code`] for a stage, category or outcome not among those
/// allowed; [`BatchError::MinorUnits`] for an amount that is not a whole
/// number of minor units within `int64`; [`BatchError::Probability`] for
/// a probability outside 0 to 100%; then [`BatchError::Pipeline`] with
/// every error of [`PipelineColumns::new`], naming the row.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, Date32Array, Int64Array, StringArray, UInt8Array};
/// use chrono::NaiveDate;
/// use salesplan::arrow::{RecordBatch, opportunities_from_batch};
/// use salesplan::org::{OrgColumns, Role};
/// use salesplan::pipeline::{PipelineOptions, Stage, Stages};
/// use salesplan::{Currency, Percent, Period};
///
/// let org = OrgColumns::new(&[1_i64, 20], &[-1, 1], &-1, &[Role::TeamLead, Role::SalesRep]).build()?;
/// let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 3, 31).unwrap())?;
/// let p = |s: &str| s.parse::<Percent>().unwrap();
/// let stages = Stages::new(vec![Stage::new("qualify", p("10%"))?, Stage::new("proposal", p("60%"))?])?;
/// let batch = RecordBatch::try_from_iter([
///     ("id", Arc::new(StringArray::from(vec!["opp-1", "opp-2"])) as ArrayRef),
///     ("owner_id", Arc::new(Int64Array::from(vec![20, 20])) as ArrayRef),
///     ("stage", Arc::new(StringArray::from(vec!["proposal", "qualify"])) as ArrayRef),
///     ("amount", Arc::new(Int64Array::from(vec![10_000_00, 4_000_00])) as ArrayRef),
///     ("expected_close", Arc::new(Date32Array::from(vec![20_162, 20_162])) as ArrayRef),
///     ("probability", Arc::new(UInt8Array::from(vec![None, Some(25)])) as ArrayRef),
/// ])?;
/// let opportunities = opportunities_from_batch(&batch, Currency::USD, stages)?;
/// let q1 = Period::new(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2025, 4, 1).unwrap())?;
/// let totals = opportunities.roll_up(&snapshot, PipelineOptions::new(q1))?;
/// assert_eq!(totals.subtree(snapshot.root())?.weighted().to_string(), "7000.00 USD"); // 6000 + 1000
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn opportunities_from_batch(
    batch: &RecordBatch,
    currency: Currency,
    stages: Stages,
) -> Result<OpportunityBatch<'_>, BatchError> {
    input::known_columns(batch, &COLUMNS)?;
    let column = |name| input::column(batch, name);
    let optional = |name| batch.column_by_name(name);
    let amount = |name| -> Result<_, BatchError> {
        minor_units(input::amounts(column(name)?, name)?, currency, name)
    };
    let opportunities = OpportunityBatch {
        ids: input::ids(column("id")?, "id", Nulls::Refused)?,
        owners: input::ids(column("owner_id")?, "owner_id", Nulls::Refused)?,
        stage: stage_indexes(column("stage")?, &stages)?,
        amounts: amount("amount")?,
        expected_close: input::days(column("expected_close")?, "expected_close")?,
        created: optional("created")
            .map(|c| input::days(c, "created"))
            .transpose()?,
        probabilities: optional("probability").map(probabilities).transpose()?,
        categories: optional("category").map(categories).transpose()?,
        outcomes: optional("outcome").map(outcomes).transpose()?,
        closed: None,
        closed_amounts: None,
        currency,
        stages,
    };
    let closed = optional("closed")
        .map(|c| {
            or_else(
                input::optional_days(c, "closed")?,
                opportunities.expected_close,
            )
        })
        .transpose()?;
    let closed_amounts = optional("closed_amount")
        .map(|c| closed_amounts(c, currency, &opportunities.amounts))
        .transpose()?;
    let opportunities = OpportunityBatch {
        closed,
        closed_amounts,
        ..opportunities
    };
    opportunities.check()?;
    Ok(opportunities)
}

impl<'b> OpportunityBatch<'b> {
    /// The columns, with ids of the types given.
    fn columns<'c, K: ColumnId, O: ColumnId>(
        &'c self,
        ids: &'c [K],
        owners: &'c [O],
    ) -> OpportunityColumns<'c, K, O> {
        let mut c =
            OpportunityColumns::new(ids, owners, &self.stage, &self.amounts, self.expected_close);
        if let Some(days) = self.created {
            c = c.created(days);
        }
        c = match &self.probabilities {
            Some(Probabilities::Points(v)) => c.probabilities(ProbabilityColumn::Points(v)),
            Some(Probabilities::Own(v)) => c.probabilities(ProbabilityColumn::Own(v)),
            None => c,
        };
        if let Some(v) = &self.categories {
            c = c.categories(v);
        }
        if let Some(v) = &self.outcomes {
            c = c.outcomes(v);
        }
        if let Some(v) = &self.closed {
            c = c.closed_days(v);
        }
        if let Some(v) = &self.closed_amounts {
            c = c.closed_amounts(v);
        }
        c
    }

    fn check(&self) -> Result<(), BatchError> {
        with_columns!(self, |c| PipelineColumns::new(
            self.currency,
            self.stages.clone(),
            c
        )
        .map(|_| ())
        .map_err(|e| BatchError::Pipeline(Box::new(e))))
    }

    /// How many opportunities.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.len() == 0
    }

    /// Rolls the opportunities up `snapshot`, as
    /// [`PipelineColumns::roll_up`].
    ///
    /// # Errors
    ///
    /// [`BatchError::Pipeline`] with the errors of
    /// [`PipelineColumns::roll_up`] (an owner not in the snapshot, named
    /// with its row; an overflow).
    pub fn roll_up<'s>(
        &self,
        snapshot: &'s OrgSnapshot,
        options: PipelineOptions,
    ) -> Result<PipelineRollup<'s>, BatchError> {
        with_columns!(self, |c| PipelineColumns::checked(
            self.currency,
            self.stages.clone(),
            c
        )
        .roll_up(snapshot, options)
        .map_err(|e| BatchError::Pipeline(Box::new(e))))
    }
}

/// Amounts as whole minor units of `currency`.
fn minor_units<'b>(
    amounts: Amounts<'b>,
    currency: Currency,
    column: &'static str,
) -> Result<Cow<'b, [i64]>, BatchError> {
    match amounts {
        Amounts::Minor(v) => Ok(Cow::Borrowed(v)),
        Amounts::Decimal(v) => v
            .iter()
            .enumerate()
            .map(|(row, d)| minor_unit(*d, currency, column, row))
            .collect::<Result<Vec<_>, _>>()
            .map(Cow::Owned),
    }
}

fn minor_unit(
    value: Decimal,
    currency: Currency,
    column: &'static str,
    row: usize,
) -> Result<i64, BatchError> {
    let minor = Money::new(value, currency).to_minor().ok();
    minor
        .and_then(|m| i64::try_from(m).ok())
        .ok_or(BatchError::MinorUnits { column, row, value })
}

/// Closed amounts, the amount where null.
fn closed_amounts(
    array: &ArrayRef,
    currency: Currency,
    amounts: &[i64],
) -> Result<Vec<i64>, BatchError> {
    let column = "closed_amount";
    let nulls = array.logical_nulls();
    let is_null = |row: usize| nulls.as_ref().is_some_and(|n| n.is_null(row));
    let mut out = Vec::with_capacity(array.len());
    for (row, amount) in amounts.iter().enumerate().take(array.len()) {
        out.push(match array.data_type() {
            _ if is_null(row) => *amount,
            DataType::Int64 => array.as_primitive::<Int64Type>().value(row),
            DataType::Decimal128(_, scale) => {
                let v = array.as_primitive::<Decimal128Type>().value(row);
                let d = u32::try_from(*scale)
                    .ok()
                    .and_then(|s| Decimal::try_from_i128_with_scale(v, s).ok())
                    .ok_or(BatchError::Decimal {
                        column,
                        row,
                        value: v,
                        scale: *scale,
                    })?;
                minor_unit(d, currency, column, row)?
            }
            other => {
                return Err(BatchError::ColumnType {
                    column,
                    found: other.to_string(),
                    expected: "int64 (minor units) or decimal128",
                });
            }
        });
    }
    Ok(out)
}

/// Days, `fallback`'s where null.
fn or_else(days: Vec<Option<i32>>, fallback: &[i32]) -> Result<Vec<i32>, BatchError> {
    Ok(days
        .iter()
        .zip(fallback)
        .map(|(d, f)| d.unwrap_or(*f))
        .collect())
}

/// The stage of each row, as its index in `stages`.
fn stage_indexes(array: &ArrayRef, stages: &Stages) -> Result<Vec<u8>, BatchError> {
    let column = "stage";
    if let DataType::UInt8 = array.data_type() {
        if let Some(row) = array
            .logical_nulls()
            .and_then(|n| (0..n.len()).find(|&r| n.is_null(r)))
        {
            return Err(BatchError::Null { column, row });
        }
        return Ok(array.as_primitive::<UInt8Type>().values().to_vec());
    }
    let names = input::texts(array, column).map_err(|e| match e {
        BatchError::ColumnType { found, .. } => BatchError::ColumnType {
            column,
            found,
            expected: "utf8, large_utf8 or a dictionary of them (names), or uint8 (indexes)",
        },
        other => other,
    })?;
    let known: Vec<&str> = stages.iter().map(|s| s.name()).collect();
    names
        .iter()
        .enumerate()
        .map(|(row, name)| {
            known
                .iter()
                .position(|k| k == name)
                .and_then(|i| u8::try_from(i).ok())
                .ok_or_else(|| BatchError::Code {
                    column,
                    row,
                    value: (*name).to_owned(),
                    expected: "the name of one of the stages",
                })
        })
        .collect()
}

/// Text codes (nulls read as `""`) through `decode`.
fn codes<T>(
    array: &ArrayRef,
    column: &'static str,
    expected: &'static str,
    decode: impl Fn(&str) -> Option<T>,
) -> Result<Vec<T>, BatchError> {
    let Ids::Text(texts) = input::ids(array, column, Nulls::None)? else {
        return Err(BatchError::ColumnType {
            column,
            found: array.data_type().to_string(),
            expected: "utf8, large_utf8 or a dictionary of them",
        });
    };
    texts
        .iter()
        .enumerate()
        .map(|(row, t)| {
            decode(t).ok_or_else(|| BatchError::Code {
                column,
                row,
                value: (*t).to_owned(),
                expected,
            })
        })
        .collect()
}

fn categories(array: &ArrayRef) -> Result<Vec<ForecastCategory>, BatchError> {
    codes(
        array,
        "category",
        "commit, best_case, pipeline or omitted",
        |t| match t {
            "commit" => Some(ForecastCategory::Commit),
            "best_case" => Some(ForecastCategory::BestCase),
            "pipeline" | NO_TEXT => Some(ForecastCategory::Pipeline),
            "omitted" => Some(ForecastCategory::Omitted),
            _ => None,
        },
    )
}

fn outcomes(array: &ArrayRef) -> Result<Vec<Option<Outcome>>, BatchError> {
    codes(array, "outcome", "won or lost", |t| match t {
        "won" => Some(Some(Outcome::Won)),
        "lost" => Some(Some(Outcome::Lost)),
        NO_TEXT => Some(None),
        _ => None,
    })
}

/// The probability column: whole points read in place when `uint8`
/// without nulls.
fn probabilities(array: &ArrayRef) -> Result<Probabilities<'_>, BatchError> {
    let column = "probability";
    let nulls = array.logical_nulls();
    let is_null = |row: usize| nulls.as_ref().is_some_and(|n| n.is_null(row));
    let points = |row: usize, p: i64| {
        let d = Decimal::from(p);
        Percent::from_points(d).map_err(|_| BatchError::Probability { row, value: d })
    };
    let fraction = |row: usize, d: Decimal| {
        Percent::from_fraction(d).map_err(|_| BatchError::Probability { row, value: d })
    };
    let own: Vec<Option<Percent>> = match array.data_type() {
        DataType::UInt8 if nulls.is_none() => {
            let v = array.as_primitive::<UInt8Type>().values();
            return Ok(Probabilities::Points(Cow::Borrowed(v.as_ref())));
        }
        DataType::UInt8 => read(
            array.as_primitive::<UInt8Type>().values(),
            &is_null,
            |r, v| points(r, i64::from(*v)),
        )?,
        DataType::Int32 => read(
            array.as_primitive::<Int32Type>().values(),
            &is_null,
            |r, v| points(r, i64::from(*v)),
        )?,
        DataType::Int64 => read(
            array.as_primitive::<Int64Type>().values(),
            &is_null,
            |r, v| points(r, *v),
        )?,
        DataType::Decimal128(_, scale) => {
            let scale = *scale;
            read(
                array.as_primitive::<Decimal128Type>().values(),
                &is_null,
                |row, v| {
                    let d = u32::try_from(scale)
                        .ok()
                        .and_then(|s| Decimal::try_from_i128_with_scale(*v, s).ok())
                        .ok_or(BatchError::Decimal {
                            column,
                            row,
                            value: *v,
                            scale,
                        })?;
                    fraction(row, d)
                },
            )?
        }
        other => {
            return Err(BatchError::ColumnType {
                column,
                found: other.to_string(),
                expected: "uint8, int32 or int64 (points) or decimal128 (a fraction)",
            });
        }
    };
    Ok(Probabilities::Own(own))
}

/// Each value through `f`, `None` where null.
fn read<T>(
    values: &[T],
    is_null: &dyn Fn(usize) -> bool,
    f: impl Fn(usize, &T) -> Result<Percent, BatchError>,
) -> Result<Vec<Option<Percent>>, BatchError> {
    values
        .iter()
        .enumerate()
        .map(|(row, v)| (!is_null(row)).then(|| f(row, v)).transpose())
        .collect()
}

/// A pipeline roll-up as a record batch, one row per position in the
/// snapshot's order, with its subtree's figures (its own and everything
/// below it): `position_id` (`int64` when every id is an integer, `utf8`
/// otherwise); `open`, `weighted`, the open amount per forecast category
/// (`commit`, `best_case`, `pipeline`, `omitted`), `won` and `lost`
/// (`decimal128(38, s)`, `s` the currency's minor units); `open_count`,
/// `won_count` and `lost_count` (`uint64`). A position's own figures are
/// [`PipelineRollup::own`].
///
/// # Errors
///
/// [`BatchError::Pipeline`] for a figure beyond a `Decimal`;
/// [`BatchError::Overflow`] for one beyond its column.
///
/// # Examples
///
/// ```
/// use arrow_array::cast::AsArray;
/// use arrow_array::types::{Decimal128Type, UInt64Type};
/// use chrono::NaiveDate;
/// use salesplan::arrow::pipeline_batch;
/// use salesplan::org::{OrgColumns, Role};
/// use salesplan::pipeline::{OpportunityColumns, PipelineColumns, PipelineOptions, Stage, Stages};
/// use salesplan::{Currency, Percent, Period};
///
/// let org = OrgColumns::new(&[1_u64, 20], &[0, 1], &0, &[Role::TeamLead, Role::SalesRep]).build()?;
/// let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 3, 31).unwrap())?;
/// let stages = Stages::new(vec![Stage::new("proposal", "60%".parse::<Percent>()?)?])?;
/// let columns = OpportunityColumns::new(&[1_u64, 2], &[20_u64, 20], &[0, 0], &[100_00, 50_00], &[20_162, 20_163]);
/// let pipeline = PipelineColumns::new(Currency::USD, stages, columns)?;
/// let q1 = Period::new(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2025, 4, 1).unwrap())?;
/// let batch = pipeline_batch(&pipeline.roll_up(&snapshot, PipelineOptions::new(q1))?)?;
/// let weighted = batch.column_by_name("weighted").unwrap().as_primitive::<Decimal128Type>();
/// assert_eq!(weighted.value_as_string(0), "90.00"); // the lead's subtree
/// assert_eq!(batch.column_by_name("open_count").unwrap().as_primitive::<UInt64Type>().value(1), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn pipeline_batch(totals: &PipelineRollup<'_>) -> Result<RecordBatch, BatchError> {
    let snapshot = totals.snapshot();
    let mut ids = Vec::with_capacity(snapshot.len());
    let mut money: [Vec<Option<i128>>; 8] = Default::default();
    let mut counts: [Vec<u64>; 3] = Default::default();
    for node in snapshot.nodes() {
        let f = totals
            .subtree(node.index())
            .map_err(|e| BatchError::Pipeline(Box::new(e)))?;
        let figures = [
            ("open", f.open()),
            ("weighted", f.weighted()),
            ("commit", f.category(ForecastCategory::Commit)),
            ("best_case", f.category(ForecastCategory::BestCase)),
            ("pipeline", f.category(ForecastCategory::Pipeline)),
            ("omitted", f.category(ForecastCategory::Omitted)),
            ("won", f.won()),
            ("lost", f.lost()),
        ];
        let id = || node.id().to_string();
        for (column, (name, value)) in money.iter_mut().zip(figures) {
            column.push(Some(minor(value, name, &id)?));
        }
        for (column, value) in
            counts
                .iter_mut()
                .zip([f.open_count(), f.won_count(), f.lost_count()])
        {
            column.push(value);
        }
        ids.push(Some(node.id().as_str()));
    }
    let scale = scale_of(totals.currency());
    let names = [
        "open",
        "weighted",
        "commit",
        "best_case",
        "pipeline",
        "omitted",
        "won",
        "lost",
    ];
    let mut columns: Vec<(&str, ArrayRef)> = vec![("position_id", id_column(&ids))];
    for (name, values) in names.into_iter().zip(money) {
        columns.push((name, decimals(values, scale)?));
    }
    for (name, values) in ["open_count", "won_count", "lost_count"]
        .into_iter()
        .zip(counts)
    {
        columns.push((name, Arc::new(UInt64Array::from(values))));
    }
    Ok(RecordBatch::try_from_iter(columns)?)
}
