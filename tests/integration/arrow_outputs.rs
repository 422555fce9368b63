//! Credit totals and team progress as record batches (issue #29, the
//! `arrow` feature): every row is the figure the row API reads back, and
//! each mismatch is refused by name.

#![allow(
    clippy::inconsistent_digit_grouping,
    clippy::type_complexity,
    reason = "cents written as dollars_cents; table-driven cases"
)]

use arrow_array::cast::AsArray;
use arrow_array::types::{Decimal128Type, Int64Type, UInt32Type};
use arrow_array::{Array, RecordBatch};
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::activity::Ratio;
use salesplan::arrow::{
    BatchError, Holders, credit_column_totals_batch, credit_totals_batch, team_progress_batch,
};
use salesplan::calendar::WorkCalendar;
use salesplan::credit::{
    CreditBasis, CreditLine, CreditPlan, CreditRule, CreditRun, CreditTotals, Crediting,
    TransactionColumns, TransactionKind,
};
use salesplan::org::{Org, OrgColumns, Role};
use salesplan::perf::{PaceCurve, ProgressOptions, TeamProgress};
use salesplan::rollup::{AmountColumn, CreditColumns, NodeValues, SumOptions, sum_credit_columns};
use salesplan::{Currency, Money, Period, PersonId, PositionId, TransactionId};

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, day).unwrap()
}

fn quarters() -> Vec<Period> {
    vec![
        Period::new(d(1, 1), d(4, 1)).unwrap(),
        Period::new(d(4, 1), d(7, 1)).unwrap(),
    ]
}

/// Positions 1..=n (parents given, 0 the top), held by people 100+i
/// where `held[i]`.
fn org(parents: &[u64], held: &[bool]) -> Org {
    let ids: Vec<u64> = (1..=parents.len() as u64).collect();
    let holders: Vec<u64> = ids
        .iter()
        .zip(held)
        .map(|(i, h)| if *h { 100 + i } else { 0 })
        .collect();
    let roles = vec![Role::SalesRep; ids.len()];
    OrgColumns::new(&ids, parents, &0, &roles)
        .holders(&holders, &0)
        .build()
        .unwrap()
}

fn parents(max: usize) -> impl Strategy<Value = Vec<u64>> {
    (1..max).prop_flat_map(|n| {
        (0..n)
            .map(|i| {
                if i == 0 {
                    Just(0_u64).boxed()
                } else {
                    (1..=i as u64).boxed()
                }
            })
            .collect::<Vec<_>>()
    })
}

fn decimal(batch: &RecordBatch, column: &str, row: usize) -> Option<Decimal> {
    let a = batch
        .column_by_name(column)
        .unwrap()
        .as_primitive::<Decimal128Type>();
    let scale = u32::try_from(a.scale()).unwrap();
    (!a.is_null(row)).then(|| Decimal::from_i128_with_scale(a.value(row), scale))
}

fn int_id(batch: &RecordBatch, column: &str, row: usize) -> Option<i64> {
    let a = batch
        .column_by_name(column)
        .unwrap()
        .as_primitive::<Int64Type>();
    (!a.is_null(row)).then(|| a.value(row))
}

fn case() -> impl Strategy<Value = (Vec<u64>, Vec<bool>, Vec<(usize, i64, u32)>)> {
    parents(10).prop_flat_map(|p| {
        let n = p.len();
        (
            Just(p),
            prop::collection::vec(any::<bool>(), n),
            prop::collection::vec((0..n, -1_000_000_i64..10_000_000, 0_u32..180), 0..30),
        )
    })
}

proptest! {
    /// Every row of the batch is the total `CreditTotals` reads back, for
    /// people and for positions, period by period.
    #[test]
    fn credit_rows_are_the_totals((parents, held, sales) in case()) {
        let org = org(&parents, &held);
        let lines: Vec<CreditLine> = sales
            .iter()
            .enumerate()
            .map(|(i, (at, cents, day))| {
                let position = PositionId::from(*at as u64 + 1);
                let line = CreditLine::new(position, TransactionId::new(&format!("T{i}")).unwrap(),
                    CreditRule::Owner { share: "100%".parse().unwrap() }, Decimal::new(*cents, 2),
                    d(1, 1) + chrono::Days::new(u64::from(*day)));
                if held[*at] { line.with_person(PersonId::from(*at as u64 + 101)) } else { line }
            })
            .collect();
        let run = CreditRun::from_lines(CreditBasis::Revenue, Currency::USD, lines).unwrap();
        let totals = CreditTotals::from_run(&org, &run, &quarters()).unwrap();
        for holders in [Holders::People, Holders::Positions] {
            let batch = credit_totals_batch(&totals, &org, holders).unwrap();
            let ids: Vec<String> = match holders {
                Holders::People => org.people().iter().map(|p| p.to_string()).collect(),
                _ => org.positions().iter().map(|p| p.id().to_string()).collect(),
            };
            prop_assert_eq!(batch.num_rows(), ids.len() * 2);
            let column = if holders == Holders::People { "person_id" } else { "position_id" };
            for (row, (period, id)) in (0..2).flat_map(|p| ids.iter().map(move |i| (p, i))).enumerate() {
                let total = match holders {
                    Holders::People => totals.person(&PersonId::new(id).unwrap(), period),
                    _ => totals.position(&PositionId::new(id).unwrap(), period),
                }.unwrap();
                prop_assert_eq!(int_id(&batch, column, row).unwrap().to_string(), id.clone());
                prop_assert_eq!(decimal(&batch, "direct", row), Some(total.direct()));
                prop_assert_eq!(decimal(&batch, "overlay", row), Some(total.overlay()));
                prop_assert_eq!(decimal(&batch, "roll_up", row), Some(total.roll_up()));
                let start = batch.column_by_name("period_start").unwrap().as_primitive::<arrow_array::types::Date32Type>();
                prop_assert_eq!(start.value_as_date(row), Some(quarters()[period].start()));
            }
        }
    }

    /// Every row of the columnar totals' batch is the totals' column value.
    #[test]
    fn column_credit_rows_are_the_columns((parents, held, sales) in case()) {
        let org = org(&parents, &held);
        let tx: Vec<u64> = (0..sales.len() as u64).collect();
        let kinds = vec![TransactionKind::Order; sales.len()];
        let days: Vec<i32> = sales.iter().map(|s| 20_089 + s.2 as i32).collect();
        let cents: Vec<i64> = sales.iter().map(|s| s.1.abs()).collect();
        let owners: Vec<u64> = sales.iter().map(|s| s.0 as u64 + 1).collect();
        let shares = vec![10_000; sales.len()];
        let feed = TransactionColumns::new(&tx, &kinds, &days, &cents).owner(&owners, &shares, &0);
        let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
        let totals = Crediting::new(&org, &plan).totals_from_columns(&feed, &quarters()).unwrap();
        for holders in [Holders::People, Holders::Positions] {
            let batch = credit_column_totals_batch(&totals, &org, holders).unwrap();
            let mut row = 0;
            for period in 0..2 {
                let (direct, roll_up) = match holders {
                    Holders::People => (totals.person_direct(period).unwrap(), totals.person_roll_up(period).unwrap()),
                    _ => (totals.direct(period).unwrap(), totals.roll_up(period).unwrap()),
                };
                for (dv, rv) in direct.iter().zip(roll_up) {
                    prop_assert_eq!(decimal(&batch, "direct", row), Some(Decimal::new(*dv, 2)));
                    prop_assert_eq!(decimal(&batch, "roll_up", row), Some(Decimal::new(*rv, 2)));
                    row += 1;
                }
            }
            prop_assert_eq!(batch.num_rows(), row);
        }
    }

    /// One team row per report, then one row per member, with the
    /// report's figures.
    #[test]
    fn progress_rows_are_the_reports(
        (parents, held, sales) in case(),
        targets in prop::collection::vec(0_i64..5_000_000, 10),
    ) {
        let org = org(&parents, &held);
        let snapshot = org.as_of(d(3, 31)).unwrap();
        let q1 = quarters()[0];
        let usd = |c: i64| Money::from_minor(i128::from(c), Currency::USD).unwrap();
        let by_node = NodeValues::from_fn(&snapshot, |n| usd(targets[n.declared_index()]));
        let reps: Vec<u64> = sales.iter().map(|s| s.0 as u64 + 1).collect();
        let cents: Vec<i64> = sales.iter().map(|s| s.1).collect();
        let days: Vec<i32> = sales.iter().map(|s| 20_089 + (s.2 % 89) as i32).collect();
        let credits = CreditColumns::new(&reps, AmountColumn::Minor(&cents)).days(&days);
        let actual = sum_credit_columns(&snapshot, credits, SumOptions::new(Currency::USD).period(q1)).unwrap();
        let curve = PaceCurve::working_days(q1, WorkCalendar::monday_to_friday());
        let progress = TeamProgress::new(&by_node, &actual, ProgressOptions::new(d(2, 14), curve)).unwrap();
        let reports = progress.reports().unwrap();
        let batch = team_progress_batch(&reports).unwrap();
        let kinds = batch.column_by_name("row").unwrap().as_string::<i32>();
        let ranks = batch.column_by_name("rank").unwrap().as_primitive::<UInt32Type>();
        let ratio = |r: Ratio| match r {
            Ratio::Value(v) => Some(v.round_dp_with_strategy(12, rust_decimal::RoundingStrategy::MidpointNearestEven)),
            Ratio::ZeroDenominator { .. } => None,
        };
        let mut row = 0;
        for report in &reports {
            prop_assert_eq!(kinds.value(row), "team");
            prop_assert_eq!(int_id(&batch, "position_id", row).unwrap().to_string(), report.manager.to_string());
            prop_assert_eq!(decimal(&batch, "target", row), Some(report.target.amount()));
            prop_assert_eq!(decimal(&batch, "actual", row), Some(report.actual.amount()));
            prop_assert_eq!(decimal(&batch, "attainment", row), ratio(report.attainment));
            prop_assert_eq!(decimal(&batch, "pace", row), ratio(report.pace));
            prop_assert!(ranks.is_null(row));
            row += 1;
            for m in &report.members {
                prop_assert_eq!(kinds.value(row), "member");
                prop_assert_eq!(int_id(&batch, "team_id", row).unwrap().to_string(), report.manager.to_string());
                prop_assert_eq!(int_id(&batch, "position_id", row).unwrap().to_string(), m.position.to_string());
                prop_assert_eq!(int_id(&batch, "holder_id", row).map(|h| h.to_string()), m.holder.as_ref().map(|h| h.to_string()));
                prop_assert_eq!(decimal(&batch, "actual", row), Some(m.actual.amount()));
                prop_assert_eq!(decimal(&batch, "attainment", row), ratio(m.attainment));
                prop_assert_eq!((!ranks.is_null(row)).then(|| ranks.value(row)), m.rank);
                let status = batch.column_by_name("status").unwrap().as_string::<i32>().value(row);
                prop_assert_eq!(status, m.status.to_string().replace(' ', "_"));
                row += 1;
            }
        }
        prop_assert_eq!(batch.num_rows(), row);
    }
}

#[test]
fn totals_of_another_org_are_refused() {
    let small = org(&[0, 1], &[true, true]);
    let large = org(&[0, 1, 1], &[true, true, true]);
    let line = CreditLine::new(
        PositionId::from(2_u64),
        TransactionId::new("T1").unwrap(),
        CreditRule::Owner {
            share: "100%".parse().unwrap(),
        },
        Decimal::new(100, 0),
        d(1, 5),
    );
    let run = CreditRun::from_lines(CreditBasis::Revenue, Currency::USD, vec![line]).unwrap();
    let totals = CreditTotals::from_run(&small, &run, &quarters()).unwrap();
    match credit_totals_batch(&totals, &large, Holders::Positions) {
        Err(BatchError::NotInTotals { id }) => assert_eq!(id, "3"),
        other => panic!("{other:?}"),
    }
    match credit_totals_batch(&totals, &large, Holders::People) {
        Err(BatchError::NotInTotals { id }) => assert_eq!(id, "103"),
        other => panic!("{other:?}"),
    }
    let feed_tx = [1_u64];
    let (owners, shares) = ([2_u64], [10_000]);
    let feed = TransactionColumns::new(&feed_tx, &[TransactionKind::Order], &[20_100], &[100])
        .owner(&owners, &shares, &0);
    let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    let columns = Crediting::new(&small, &plan)
        .totals_from_columns(&feed, &quarters())
        .unwrap();
    match credit_column_totals_batch(&columns, &large, Holders::Positions) {
        Err(BatchError::Length {
            column: "position_id",
            found: 2,
            expected: 3,
        }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn reports_in_two_currencies_are_refused() {
    let org = org(&[0, 1], &[true, true]);
    let snapshot = org.as_of(d(3, 31)).unwrap();
    let q1 = quarters()[0];
    let report_in = |currency| {
        let targets = NodeValues::from_fn(&snapshot, |_| Money::from_minor(100, currency).unwrap());
        let credits = CreditColumns::new(&[2_u64], AmountColumn::Minor(&[50])).days(&[20_100]);
        let actual =
            sum_credit_columns(&snapshot, credits, SumOptions::new(currency).period(q1)).unwrap();
        let curve = PaceCurve::working_days(q1, WorkCalendar::monday_to_friday());
        let progress =
            TeamProgress::new(&targets, &actual, ProgressOptions::new(d(2, 14), curve)).unwrap();
        progress.reports().unwrap()
    };
    let mut reports = report_in(Currency::USD);
    reports.extend(report_in(Currency::EUR));
    match team_progress_batch(&reports) {
        Err(BatchError::CurrencyMismatch {
            id,
            expected,
            found,
        }) => {
            assert_eq!(
                (id.as_str(), expected, found),
                ("1", Currency::USD, Currency::EUR)
            );
        }
        other => panic!("{other:?}"),
    }
    // Text ids come out as text.
    let text = OrgColumns::new(
        &["boss", "rep"],
        &["", "boss"],
        &"",
        &[Role::TeamLead, Role::SalesRep],
    )
    .build()
    .unwrap();
    let snapshot = text.as_of(d(3, 31)).unwrap();
    let targets = NodeValues::from_fn(&snapshot, |_| {
        Money::from_minor(100, Currency::USD).unwrap()
    });
    let credits = CreditColumns::new(&["rep"], AmountColumn::Minor(&[50])).days(&[20_100]);
    let actual = sum_credit_columns(
        &snapshot,
        credits,
        SumOptions::new(Currency::USD).period(q1),
    )
    .unwrap();
    let curve = PaceCurve::working_days(q1, WorkCalendar::monday_to_friday());
    let progress =
        TeamProgress::new(&targets, &actual, ProgressOptions::new(d(2, 14), curve)).unwrap();
    let batch = team_progress_batch(&progress.reports().unwrap()).unwrap();
    let ids = batch
        .column_by_name("position_id")
        .unwrap()
        .as_string::<i32>();
    assert_eq!((ids.value(0), ids.value(1)), ("boss", "rep"));
}
