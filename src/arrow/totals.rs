//! Credit totals and team progress as record batches.

use std::sync::Arc;

use arrow_array::{ArrayRef, Date32Array, Int64Array, RecordBatch, StringArray, UInt32Array};
use rust_decimal::Decimal;

use super::BatchError;
use super::output::{ATTAINMENT_SCALE, day_number, decimals, minor, ratio_value, scale_of};
use crate::activity::Ratio;
use crate::calendar::Period;
use crate::credit::{CreditColumnTotals, CreditTotal, CreditTotals};
use crate::ids::IdKey;
use crate::money::{Currency, Money};
use crate::org::Org;
use crate::perf::{Status, StatusDriver, TeamReport};

/// Whose credit totals a batch holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Holders {
    /// One row per person of the org ([`Org::people`]) and period: the
    /// credit of whichever seat they held on each sale's date.
    People,
    /// One row per position of the org, in declaration order
    /// ([`Org::positions`]), and period.
    Positions,
}

impl Holders {
    const fn column(self) -> &'static str {
        match self {
            Holders::People => "person_id",
            Holders::Positions => "position_id",
        }
    }

    fn ids(self, org: &Org) -> Vec<&str> {
        match self {
            Holders::People => org.people().iter().map(|p| p.as_str()).collect(),
            Holders::Positions => org.positions().iter().map(|p| p.id().as_str()).collect(),
        }
    }
}

/// An id column: `int64` when every id is an integer (an org built from
/// integer columns), `utf8` otherwise; a null where there is no id.
pub(super) fn id_column(ids: &[Option<&str>]) -> ArrayRef {
    let int = |t: &str| match IdKey::Text(t).canonical() {
        IdKey::Int(n) => i64::try_from(n).ok(),
        _ => None,
    };
    let ints: Option<Vec<Option<i64>>> = ids
        .iter()
        .map(|id| id.map_or(Some(None), |t| int(t).map(Some)))
        .collect();
    match ints {
        Some(ints) => Arc::new(Int64Array::from(ints)),
        None => Arc::new(StringArray::from(ids.to_vec())),
    }
}

/// The `period_start` and `period_end` columns of `periods`, each repeated
/// `rows` times, period by period.
fn period_columns(periods: &[Period], rows: usize) -> [(&'static str, ArrayRef); 2] {
    let repeat = |day: fn(&Period) -> chrono::NaiveDate| {
        let days = periods
            .iter()
            .flat_map(|p| std::iter::repeat_n(day_number(day(p)), rows));
        Arc::new(Date32Array::from(days.collect::<Vec<_>>())) as ArrayRef
    };
    [
        ("period_start", repeat(Period::start)),
        ("period_end", repeat(Period::end)),
    ]
}

/// Credit totals as a record batch, one row per period and holder, period
/// by period, holders in the org's order: the id (`person_id` or
/// `position_id`: `int64` when every id is an integer, `utf8` otherwise),
/// `period_start` and `period_end` (`date32`, the end exclusive), and
/// `direct`, `overlay` and `roll_up` (`decimal128(38, s)`, `s` the
/// totals' scale: the currency's minor units for a money basis).
///
/// `org` is the org the totals were credited over.
///
/// # Errors
///
/// [`BatchError::NotInTotals`] for a holder of `org` the totals do not
/// have (totals of another org); [`BatchError::Overflow`] for a total
/// beyond its column.
///
/// # Examples
///
/// ```
/// use arrow_array::cast::AsArray;
/// use arrow_array::types::{Decimal128Type, Int64Type};
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
/// use salesplan::arrow::{Holders, credit_totals_batch};
/// use salesplan::credit::{CreditBasis, CreditLine, CreditRule, CreditRun, CreditTotals};
/// use salesplan::org::{OrgColumns, Role};
/// use salesplan::{Currency, PersonId, Period, PositionId, TransactionId};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let org = OrgColumns::new(&[1_u64, 20], &[0, 1], &0, &[Role::TeamLead, Role::SalesRep])
///     .holders(&[0_u64, 7001], &0)
///     .build()?;
/// let share = "100%".parse()?;
/// let line = |t: &str, amount: i64, day| CreditLine::new(PositionId::from(20_u64), TransactionId::new(t).unwrap(),
///     CreditRule::Owner { share }, Decimal::new(amount, 2), day).with_person(PersonId::from(7001_u64));
/// let run = CreditRun::from_lines(CreditBasis::Revenue, Currency::USD, vec![line("T1", 150_00, d(1, 10)), line("T2", 50_00, d(4, 2))])?;
/// let quarters = [Period::new(d(1, 1), d(4, 1))?, Period::new(d(4, 1), d(7, 1))?];
/// let totals = CreditTotals::from_run(&org, &run, &quarters)?;
/// let batch = credit_totals_batch(&totals, &org, Holders::People)?;
/// assert_eq!(batch.num_rows(), 2); // one person, two quarters
/// assert_eq!(batch.column_by_name("person_id").unwrap().as_primitive::<Int64Type>().value(1), 7001);
/// let direct = batch.column_by_name("direct").unwrap().as_primitive::<Decimal128Type>();
/// assert_eq!((direct.value_as_string(0), direct.value_as_string(1)), ("150.00".into(), "50.00".into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn credit_totals_batch(
    totals: &CreditTotals,
    org: &Org,
    holders: Holders,
) -> Result<RecordBatch, BatchError> {
    let ids = holders.ids(org);
    let periods = totals.periods();
    let mut rows: Vec<CreditTotal> = Vec::new();
    for period in 0..periods.len() {
        for id in &ids {
            let total = match holders {
                Holders::People => crate::ids::PersonId::new(id)
                    .ok()
                    .and_then(|p| totals.person(&p, period)),
                Holders::Positions => crate::ids::PositionId::new(id)
                    .ok()
                    .and_then(|p| totals.position(&p, period)),
            };
            rows.push(total.ok_or_else(|| BatchError::NotInTotals {
                id: (*id).to_owned(),
            })?);
        }
    }
    let all = rows
        .iter()
        .flat_map(|t| [t.direct(), t.overlay(), t.roll_up()]);
    let least = if totals.basis().is_money() {
        scale_of(totals.currency())
    } else {
        0
    };
    let scale = all.map(|d| d.scale()).fold(least, u32::max);
    let column = |name: &'static str, of: fn(&CreditTotal) -> Decimal| {
        let values = rows.iter().zip(ids.iter().cycle()).map(|(t, id)| {
            scaled(of(t), scale)
                .map(Some)
                .ok_or_else(|| BatchError::Overflow {
                    column: name,
                    id: (*id).to_owned(),
                    value: of(t).to_string(),
                    scale,
                })
        });
        decimals(values.collect::<Result<Vec<_>, _>>()?, scale)
    };
    let id_values: Vec<Option<&str>> = ids.iter().map(|id| Some(*id)).collect();
    let [start, end] = period_columns(periods, ids.len());
    let repeated: Vec<Option<&str>> = periods
        .iter()
        .flat_map(|_| id_values.iter().copied())
        .collect();
    let columns: Vec<(&str, ArrayRef)> = vec![
        (holders.column(), id_column(&repeated)),
        start,
        end,
        ("direct", column("direct", CreditTotal::direct)?),
        ("overlay", column("overlay", CreditTotal::overlay)?),
        ("roll_up", column("roll_up", CreditTotal::roll_up)?),
    ];
    Ok(RecordBatch::try_from_iter(columns)?)
}

/// `value`'s mantissa at `scale` places, when it has no more.
fn scaled(value: Decimal, scale: u32) -> Option<i128> {
    let mut v = value;
    v.rescale(scale);
    (v.scale() == scale && v == value).then(|| v.mantissa())
}

/// Columnar credit totals
/// ([`Crediting::totals_from_columns`](crate::credit::Crediting::totals_from_columns))
/// as a record batch, one row per period and holder, period by period,
/// holders in the org's order: the id (as in [`credit_totals_batch`]),
/// `period_start` and `period_end` (`date32`), and `direct` and `roll_up`
/// (`decimal128(38, s)`, `s` the currency's minor units).
///
/// `org` is the org the totals were credited over.
///
/// # Errors
///
/// [`BatchError::Length`] when the totals do not have one value per
/// holder of `org` (totals of another org).
///
/// # Examples
///
/// ```
/// use arrow_array::cast::AsArray;
/// use arrow_array::types::{Decimal128Type, Int64Type};
/// use chrono::NaiveDate;
/// use salesplan::arrow::{Holders, credit_column_totals_batch};
/// use salesplan::credit::{CreditBasis, CreditPlan, Crediting, TransactionColumns, TransactionKind};
/// use salesplan::org::{OrgColumns, Role};
/// use salesplan::{Currency, Period};
///
/// let org = OrgColumns::new(&[1_u64, 20, 21], &[0, 1, 1], &0, &[Role::TeamLead, Role::SalesRep, Role::SalesRep]).build()?;
/// let (owner, share) = ([20_u64], [10_000]);
/// let feed = TransactionColumns::new(&[5001_u64], &[TransactionKind::Order], &[20_120], &[1_000_01])
///     .owner(&owner, &share, &0);
/// let d = |m| NaiveDate::from_ymd_opt(2025, m, 1).unwrap();
/// let quarters = [Period::new(d(1), d(4))?, Period::new(d(4), d(7))?];
/// let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
/// let totals = Crediting::new(&org, &plan).totals_from_columns(&feed, &quarters)?;
/// let batch = credit_column_totals_batch(&totals, &org, Holders::Positions)?;
/// assert_eq!(batch.num_rows(), 6); // three positions, two quarters
/// let ids = batch.column_by_name("position_id").unwrap().as_primitive::<Int64Type>();
/// let roll_up = batch.column_by_name("roll_up").unwrap().as_primitive::<Decimal128Type>();
/// assert_eq!((ids.value(0), roll_up.value_as_string(0)), (1, "1000.01".to_owned()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn credit_column_totals_batch(
    totals: &CreditColumnTotals,
    org: &Org,
    holders: Holders,
) -> Result<RecordBatch, BatchError> {
    let ids = holders.ids(org);
    let periods = totals.periods();
    let (mut direct, mut roll_up) = (Vec::new(), Vec::new());
    for period in 0..periods.len() {
        let (d, r) = match holders {
            Holders::People => (totals.person_direct(period), totals.person_roll_up(period)),
            Holders::Positions => (totals.direct(period), totals.roll_up(period)),
        };
        for values in [d, r] {
            let found = values.map_or(0, <[i64]>::len);
            if found != ids.len() {
                return Err(BatchError::Length {
                    column: holders.column(),
                    found,
                    expected: ids.len(),
                });
            }
        }
        let widen = |v: &[i64]| v.iter().map(|m| Some(i128::from(*m))).collect::<Vec<_>>();
        direct.extend(widen(d.unwrap_or_default()));
        roll_up.extend(widen(r.unwrap_or_default()));
    }
    let repeated: Vec<Option<&str>> = periods
        .iter()
        .flat_map(|_| ids.iter().map(|id| Some(*id)))
        .collect();
    let scale = scale_of(totals.currency());
    let [start, end] = period_columns(periods, ids.len());
    let columns: Vec<(&str, ArrayRef)> = vec![
        (holders.column(), id_column(&repeated)),
        start,
        end,
        ("direct", decimals(direct, scale)?),
        ("roll_up", decimals(roll_up, scale)?),
    ];
    Ok(RecordBatch::try_from_iter(columns)?)
}

/// The columns of [`team_progress_batch`], row by row.
#[derive(Default)]
struct ProgressRows<'r> {
    team: Vec<Option<&'r str>>,
    position: Vec<Option<&'r str>>,
    holder: Vec<Option<&'r str>>,
    kind: Vec<&'static str>,
    start: Vec<Option<i32>>,
    end: Vec<Option<i32>>,
    as_of: Vec<Option<i32>>,
    target: Vec<Option<i128>>,
    actual: Vec<Option<i128>>,
    attainment: Vec<Option<i128>>,
    pace: Vec<Option<i128>>,
    status: Vec<&'static str>,
    driver: Vec<&'static str>,
    rank: Vec<Option<u32>>,
}

/// One row's figures.
struct Figures<'r> {
    position: &'r str,
    holder: Option<&'r str>,
    kind: &'static str,
    target: Money,
    actual: Money,
    attainment: Ratio,
    pace: Ratio,
    status: Status,
    driver: StatusDriver,
    rank: Option<u32>,
}

impl<'r> ProgressRows<'r> {
    fn push(
        &mut self,
        report: &'r TeamReport,
        f: Figures<'r>,
        currency: Currency,
    ) -> Result<(), BatchError> {
        let id = || f.position.to_owned();
        for money in [f.target, f.actual] {
            if money.currency() != currency {
                return Err(BatchError::CurrencyMismatch {
                    id: id(),
                    expected: currency,
                    found: money.currency(),
                });
            }
        }
        let ratio = |r: Ratio, column| match r {
            Ratio::Value(v) => ratio_value(v, column, &id).map(Some),
            Ratio::ZeroDenominator { .. } => Ok(None),
        };
        self.team.push(Some(report.manager.as_str()));
        self.position.push(Some(f.position));
        self.holder.push(f.holder);
        self.kind.push(f.kind);
        self.start.push(day_number(report.period.start()));
        self.end.push(day_number(report.period.end()));
        self.as_of.push(day_number(report.as_of));
        self.target.push(Some(minor(f.target, "target", &id)?));
        self.actual.push(Some(minor(f.actual, "actual", &id)?));
        self.attainment.push(ratio(f.attainment, "attainment")?);
        self.pace.push(ratio(f.pace, "pace")?);
        self.status.push(match f.status {
            Status::Behind => "behind",
            Status::AtRisk => "at_risk",
            Status::OnTrack => "on_track",
        });
        self.driver.push(match f.driver {
            StatusDriver::Pace => "pace",
            StatusDriver::Activity => "activity",
            StatusDriver::NothingExpectedYet => "nothing_expected_yet",
        });
        self.rank.push(f.rank);
        Ok(())
    }
}

/// Team progress reports ([`TeamProgress::reports`](crate::perf::TeamProgress::reports)
/// or any of them) as a record batch: for each report, one `team` row (the
/// manager's position, the team's figures) then one `member` row per
/// direct report, in the report's order.
///
/// | column | type | |
/// |---|---|---|
/// | `team_id` | ids: `int64` when every id is an integer, `utf8` otherwise | the manager's position |
/// | `position_id` | ids | the row's position (the manager's on a `team` row) |
/// | `holder_id` | ids, null when vacant | who holds it |
/// | `row` | `utf8`: `team` or `member` | |
/// | `period_start`, `period_end`, `as_of` | `date32` | the period (end exclusive) and the report's date |
/// | `target`, `actual` | `decimal128(38, s)`, `s` the currency's minor units | the period's target and the subtree's credit to date |
/// | `attainment`, `pace` | `decimal128(38, 12)`: the fraction (1 is 100%), rounded half to even; null for a zero denominator | actual against target, and against expected to date |
/// | `status` | `utf8`: `behind`, `at_risk`, `on_track` | |
/// | `driver` | `utf8`: `pace`, `activity`, `nothing_expected_yet` | what decided the status |
/// | `rank` | `uint32`, null on team rows and without a target | rank by attainment within the team |
///
/// # Errors
///
/// [`BatchError::CurrencyMismatch`] for reports in more than one
/// currency; [`BatchError::Overflow`] for a figure beyond its column.
///
/// # Examples
///
/// ```
/// use arrow_array::cast::AsArray;
/// use arrow_array::types::{Decimal128Type, Int64Type};
/// use chrono::NaiveDate;
/// use salesplan::arrow::team_progress_batch;
/// use salesplan::calendar::WorkCalendar;
/// use salesplan::org::{OrgColumns, Role};
/// use salesplan::perf::{PaceCurve, ProgressOptions, TeamProgress};
/// use salesplan::rollup::{AmountColumn, CreditColumns, NodeValues, SumOptions, sum_credit_columns};
/// use salesplan::{Currency, Money, Period};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let org = OrgColumns::new(&[1_u64, 20, 21], &[0, 1, 1], &0, &[Role::TeamLead, Role::SalesRep, Role::SalesRep]).build()?;
/// let snapshot = org.as_of(d(3, 31))?;
/// let q1 = Period::new(d(1, 1), d(4, 1))?;
/// let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
/// let targets = NodeValues::from_fn(&snapshot, |n| if n.id().as_str() == "1" { usd("0.00") } else { usd("1000.00") });
/// let credits = CreditColumns::new(&[20_u64, 21], AmountColumn::Minor(&[900_00, 300_00])).days(&[20_100, 20_110]);
/// let actual = sum_credit_columns(&snapshot, credits, SumOptions::new(Currency::USD).period(q1))?;
/// let curve = PaceCurve::working_days(q1, WorkCalendar::monday_to_friday());
/// let progress = TeamProgress::new(&targets, &actual, ProgressOptions::new(d(3, 31), curve))?;
/// let batch = team_progress_batch(&progress.reports()?)?;
/// assert_eq!(batch.num_rows(), 3); // the team, then its two reps by rank
/// let position = batch.column_by_name("position_id").unwrap().as_primitive::<Int64Type>();
/// assert_eq!((position.value(0), position.value(1), position.value(2)), (1, 20, 21));
/// let attainment = batch.column_by_name("attainment").unwrap().as_primitive::<Decimal128Type>();
/// assert_eq!(attainment.value_as_string(1), "0.900000000000");
/// assert_eq!(batch.column_by_name("status").unwrap().as_string::<i32>().value(2), "behind");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn team_progress_batch(reports: &[TeamReport]) -> Result<RecordBatch, BatchError> {
    let currency = reports
        .first()
        .map_or(Currency::USD, |r| r.target.currency());
    let mut rows = ProgressRows::default();
    for report in reports {
        let team = Figures {
            position: report.manager.as_str(),
            holder: report.holder.as_ref().map(|h| h.as_str()),
            kind: "team",
            target: report.target,
            actual: report.actual,
            attainment: report.attainment,
            pace: report.pace,
            status: report.status,
            driver: report.driver,
            rank: None,
        };
        rows.push(report, team, currency)?;
        for m in &report.members {
            let member = Figures {
                position: m.position.as_str(),
                holder: m.holder.as_ref().map(|h| h.as_str()),
                kind: "member",
                target: m.target,
                actual: m.actual,
                attainment: m.attainment,
                pace: m.pace,
                status: m.status,
                driver: m.driver,
                rank: m.rank,
            };
            rows.push(report, member, currency)?;
        }
    }
    let scale = scale_of(currency);
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("team_id", id_column(&rows.team)),
        ("position_id", id_column(&rows.position)),
        ("holder_id", id_column(&rows.holder)),
        ("row", Arc::new(StringArray::from(rows.kind))),
        ("period_start", Arc::new(Date32Array::from(rows.start))),
        ("period_end", Arc::new(Date32Array::from(rows.end))),
        ("as_of", Arc::new(Date32Array::from(rows.as_of))),
        ("target", decimals(rows.target, scale)?),
        ("actual", decimals(rows.actual, scale)?),
        ("attainment", decimals(rows.attainment, ATTAINMENT_SCALE)?),
        ("pace", decimals(rows.pace, ATTAINMENT_SCALE)?),
        ("status", Arc::new(StringArray::from(rows.status))),
        ("driver", Arc::new(StringArray::from(rows.driver))),
        ("rank", Arc::new(UInt32Array::from(rows.rank))),
    ];
    Ok(RecordBatch::try_from_iter(columns)?)
}
