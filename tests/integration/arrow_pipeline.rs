//! Opportunities from a record batch (issue #29, the `arrow` feature): the
//! batch rolls up as the same columns do through `PipelineColumns` (and so
//! as the row API), whatever the layout (integer or text ids, stage names
//! or indexes, minor units or decimals, nullable columns), and each bad
//! batch is refused by name.

#![allow(
    clippy::inconsistent_digit_grouping,
    clippy::type_complexity,
    reason = "cents written as dollars_cents; table-driven cases"
)]

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Decimal128Type, Int32Type, Int64Type, UInt64Type};
use arrow_array::{
    ArrayRef, Date32Array, Decimal128Array, DictionaryArray, Int32Array, Int64Array, RecordBatch,
    StringArray, UInt8Array,
};
use chrono::NaiveDate;
use proptest::prelude::*;
use salesplan::arrow::{BatchError, opportunities_from_batch, pipeline_batch};
use salesplan::org::{OrgColumns, OrgSnapshot, Role};
use salesplan::pipeline::{
    ForecastCategory, OpportunityColumns, Outcome, PipelineColumns, PipelineError, PipelineOptions,
    ProbabilityColumn, Stage, Stages,
};
use salesplan::{Currency, Money, Percent, Period};

const JAN_1: i32 = 20_089; // 2025-01-01

fn day(n: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .unwrap()
        .checked_add_signed(chrono::TimeDelta::days(i64::from(n)))
        .unwrap()
}

const NAMES: [&str; 3] = ["qualify", "demo", "proposal"];

fn stages() -> Stages {
    let p = |s: &str| s.parse::<Percent>().unwrap();
    Stages::new(vec![
        Stage::new(NAMES[0], p("10%")).unwrap(),
        Stage::new(NAMES[1], p("33.3%")).unwrap(),
        Stage::new(NAMES[2], p("60%")).unwrap(),
    ])
    .unwrap()
}

fn q1() -> Period {
    Period::new(day(JAN_1), day(JAN_1 + 90)).unwrap()
}

/// 1 <- (2, 3).
fn snapshot() -> OrgSnapshot {
    let roles = [Role::TeamLead, Role::SalesRep, Role::SalesRep];
    let org = OrgColumns::new(&[1_i64, 2, 3], &[-1, 1, 1], &-1, &roles)
        .build()
        .unwrap();
    org.as_of(day(JAN_1)).unwrap()
}

fn batch(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    RecordBatch::try_from_iter(columns).unwrap()
}

#[derive(Debug, Clone)]
struct Row {
    owner: i64,
    stage: u8,
    cents: i64,
    created: i32,
    close: i32,
    points: Option<u8>,
    category: usize,
    outcome: usize,
    closed: Option<i32>,
}

fn row() -> impl Strategy<Value = Row> {
    (
        (
            2_i64..4,
            0_u8..3,
            0_i64..100_000_000,
            -20_i32..100,
            0_i32..40,
        ),
        (proptest::option::of(0_u8..=100), 0_usize..4, 0_usize..3),
        proptest::option::of(0_i32..50),
    )
        .prop_map(
            |((owner, stage, cents, created, wait), (points, category, outcome), late)| Row {
                owner,
                stage,
                cents,
                created: JAN_1 + created,
                close: JAN_1 + created + wait,
                points,
                category,
                outcome,
                closed: late.map(|l| JAN_1 + created + l),
            },
        )
}

const CATEGORIES: [&str; 4] = ["commit", "best_case", "pipeline", "omitted"];

proptest! {
    /// The batch (text ids in a dictionary, stage names, decimal amounts,
    /// nullable probabilities, codes, closes) rolls up as the same
    /// columns given to `PipelineColumns`.
    #[test]
    fn the_batch_rolls_up_as_the_columns(rows in prop::collection::vec(row(), 0..30)) {
        let n = rows.len();
        let ids: Vec<String> = (0..n).map(|i| format!("opp-{i}")).collect();
        let keys: Vec<i32> = (0..n as i32).collect();
        let dictionary = DictionaryArray::<Int32Type>::try_new(
            Int32Array::from(keys),
            Arc::new(StringArray::from(ids.clone())),
        ).unwrap();
        let cents: Vec<i64> = rows.iter().map(|r| r.cents).collect();
        let closes: Vec<i32> = rows.iter().map(|r| r.close).collect();
        let closed: Vec<i32> = rows.iter().map(|r| r.closed.unwrap_or(r.close)).collect();
        let outcomes: Vec<Option<Outcome>> =
            rows.iter().map(|r| [None, Some(Outcome::Won), Some(Outcome::Lost)][r.outcome]).collect();
        let b = batch(vec![
            ("id", Arc::new(dictionary) as ArrayRef),
            ("owner_id", Arc::new(Int64Array::from(rows.iter().map(|r| r.owner).collect::<Vec<_>>()))),
            ("stage", Arc::new(StringArray::from(rows.iter().map(|r| NAMES[r.stage as usize]).collect::<Vec<_>>()))),
            ("amount", Arc::new(Decimal128Array::from(rows.iter().map(|r| i128::from(r.cents) * 10).collect::<Vec<_>>())
                .with_precision_and_scale(38, 3).unwrap())),
            ("expected_close", Arc::new(Date32Array::from(closes.clone()))),
            ("created", Arc::new(Date32Array::from(rows.iter().map(|r| r.created).collect::<Vec<_>>()))),
            ("probability", Arc::new(UInt8Array::from(rows.iter().map(|r| r.points).collect::<Vec<_>>()))),
            ("category", Arc::new(StringArray::from(rows.iter().map(|r| CATEGORIES[r.category]).collect::<Vec<_>>()))),
            ("outcome", Arc::new(StringArray::from(rows.iter().map(|r| [None, Some("won"), Some("lost")][r.outcome]).collect::<Vec<_>>()))),
            ("closed", Arc::new(Date32Array::from(rows.iter().map(|r| r.closed).collect::<Vec<_>>()))),
        ]);
        let snapshot = snapshot();
        let options = PipelineOptions::new(q1());
        let from_batch = opportunities_from_batch(&b, Currency::USD, stages()).unwrap();
        prop_assert_eq!(from_batch.len(), n);
        let from_batch = from_batch.roll_up(&snapshot, options).unwrap();

        let owners: Vec<i64> = rows.iter().map(|r| r.owner).collect();
        let stage: Vec<u8> = rows.iter().map(|r| r.stage).collect();
        let created: Vec<i32> = rows.iter().map(|r| r.created).collect();
        let own: Vec<Option<Percent>> = rows
            .iter()
            .map(|r| r.points.map(|p| Percent::from_points(p.into()).unwrap()))
            .collect();
        let categories: Vec<ForecastCategory> = rows.iter().map(|r| ForecastCategory::ALL[r.category]).collect();
        let columns = OpportunityColumns::new(&ids, &owners, &stage, &cents, &closes)
            .created(&created)
            .probabilities(ProbabilityColumn::Own(&own))
            .categories(&categories)
            .outcomes(&outcomes)
            .closed_days(&closed);
        let from_columns = PipelineColumns::new(Currency::USD, stages(), columns).unwrap();
        let from_columns = from_columns.roll_up(&snapshot, options).unwrap();
        let out = pipeline_batch(&from_batch).unwrap();
        prop_assert_eq!(out.num_rows(), snapshot.len());
        let money = |column: &str, row: usize| {
            let a = out.column_by_name(column).unwrap().as_primitive::<Decimal128Type>();
            Money::from_minor(a.value(row), Currency::USD).unwrap()
        };
        let count = |column: &str, row: usize| out.column_by_name(column).unwrap().as_primitive::<UInt64Type>().value(row);
        let ids = out.column_by_name("position_id").unwrap().as_primitive::<Int64Type>();
        for (row, node) in snapshot.nodes().enumerate() {
            prop_assert_eq!(from_batch.own(node.index()).unwrap(), from_columns.own(node.index()).unwrap());
            let f = from_batch.subtree(node.index()).unwrap();
            prop_assert_eq!(f, from_columns.subtree(node.index()).unwrap());
            prop_assert_eq!(ids.value(row).to_string(), node.id().to_string());
            prop_assert_eq!(money("open", row), f.open());
            prop_assert_eq!(money("weighted", row), f.weighted());
            for (name, c) in CATEGORIES.iter().zip(ForecastCategory::ALL) {
                prop_assert_eq!(money(name, row), f.category(c));
            }
            prop_assert_eq!(money("won", row), f.won());
            prop_assert_eq!(money("lost", row), f.lost());
            prop_assert_eq!(count("open_count", row), f.open_count());
            prop_assert_eq!(count("won_count", row), f.won_count());
            prop_assert_eq!(count("lost_count", row), f.lost_count());
        }
    }
}

/// A valid batch of two opportunities, then `change` applied to its
/// columns.
fn base(change: impl FnOnce(&mut Vec<(&'static str, ArrayRef)>)) -> RecordBatch {
    let mut columns: Vec<(&'static str, ArrayRef)> = vec![
        ("id", Arc::new(Int64Array::from(vec![10, 11]))),
        ("owner_id", Arc::new(Int64Array::from(vec![2, 3]))),
        ("stage", Arc::new(UInt8Array::from(vec![0, 2]))),
        ("amount", Arc::new(Int64Array::from(vec![100_00, 200_00]))),
        (
            "expected_close",
            Arc::new(Date32Array::from(vec![JAN_1 + 5, JAN_1 + 6])),
        ),
        ("created", Arc::new(Date32Array::from(vec![JAN_1, JAN_1]))),
    ];
    change(&mut columns);
    batch(columns)
}

fn set(columns: &mut Vec<(&'static str, ArrayRef)>, name: &'static str, array: ArrayRef) {
    columns.retain(|(n, _)| *n != name);
    columns.push((name, array));
}

#[test]
fn the_base_batch_rolls_up() {
    let b = base(|_| {});
    let snapshot = snapshot();
    let opportunities = opportunities_from_batch(&b, Currency::USD, stages()).unwrap();
    let totals = opportunities
        .roll_up(&snapshot, PipelineOptions::new(q1()))
        .unwrap();
    assert_eq!(
        totals
            .subtree(snapshot.root())
            .unwrap()
            .weighted()
            .to_string(),
        "130.00 USD"
    );
}

#[test]
fn each_bad_batch_is_refused_by_name() {
    type Change = Box<dyn FnOnce(&mut Vec<(&'static str, ArrayRef)>)>;
    let cases: Vec<(&str, Change, fn(BatchError))> = vec![
        (
            "an unknown column",
            Box::new(|c| set(c, "probabilty", Arc::new(UInt8Array::from(vec![1, 2])))),
            |e| {
                assert!(matches!(e, BatchError::UnknownColumn { column } if column == "probabilty"))
            },
        ),
        (
            "no amount",
            Box::new(|c| c.retain(|(n, _)| *n != "amount")),
            |e| assert!(matches!(e, BatchError::MissingColumn { column: "amount" })),
        ),
        (
            "text amounts",
            Box::new(|c| set(c, "amount", Arc::new(StringArray::from(vec!["1", "2"])))),
            |e| {
                assert!(matches!(
                    e,
                    BatchError::ColumnType {
                        column: "amount",
                        ..
                    }
                ))
            },
        ),
        (
            "a null owner",
            Box::new(|c| {
                set(
                    c,
                    "owner_id",
                    Arc::new(Int64Array::from(vec![Some(2), None])),
                )
            }),
            |e| {
                assert!(matches!(
                    e,
                    BatchError::Null {
                        column: "owner_id",
                        row: 1
                    }
                ))
            },
        ),
        (
            "a negative id",
            Box::new(|c| set(c, "id", Arc::new(Int64Array::from(vec![10, -1])))),
            |e| {
                assert!(matches!(
                    e,
                    BatchError::NegativeId {
                        column: "id",
                        row: 1,
                        value: -1
                    }
                ))
            },
        ),
        (
            "an unknown stage name",
            Box::new(|c| {
                set(
                    c,
                    "stage",
                    Arc::new(StringArray::from(vec!["qualify", "won"])),
                )
            }),
            |e| {
                assert!(
                    matches!(e, BatchError::Code { column: "stage", row: 1, value, .. } if value == "won")
                )
            },
        ),
        (
            "a stage index past the stages",
            Box::new(|c| set(c, "stage", Arc::new(UInt8Array::from(vec![0, 3])))),
            |e| {
                assert!(matches!(
                    *pipeline(e),
                    PipelineError::StageIndex {
                        row: 1,
                        index: 3,
                        stages: 3
                    }
                ))
            },
        ),
        (
            "an unknown category",
            Box::new(|c| {
                set(
                    c,
                    "category",
                    Arc::new(StringArray::from(vec!["commit", "maybe"])),
                )
            }),
            |e| {
                assert!(
                    matches!(e, BatchError::Code { column: "category", row: 1, value, .. } if value == "maybe")
                )
            },
        ),
        (
            "an unknown outcome",
            Box::new(|c| {
                set(
                    c,
                    "outcome",
                    Arc::new(StringArray::from(vec![Some("won"), Some("open")])),
                )
            }),
            |e| {
                assert!(
                    matches!(e, BatchError::Code { column: "outcome", row: 1, value, .. } if value == "open")
                )
            },
        ),
        (
            "a fraction of a cent",
            Box::new(|c| {
                set(
                    c,
                    "amount",
                    Arc::new(
                        Decimal128Array::from(vec![1000, 1005])
                            .with_precision_and_scale(10, 3)
                            .unwrap(),
                    ),
                )
            }),
            |e| {
                assert!(
                    matches!(e, BatchError::MinorUnits { column: "amount", row: 1, value } if value.to_string() == "1.005")
                )
            },
        ),
        (
            "a probability above 100 points",
            Box::new(|c| set(c, "probability", Arc::new(Int32Array::from(vec![50, 101])))),
            |e| {
                assert!(
                    matches!(e, BatchError::Probability { row: 1, value } if value.to_string() == "101")
                )
            },
        ),
        (
            "uint8 points above 100",
            Box::new(|c| set(c, "probability", Arc::new(UInt8Array::from(vec![200, 1])))),
            |e| assert!(matches!(*pipeline(e), PipelineError::Row { row: 0, .. })),
        ),
        (
            "a close before creation",
            Box::new(|c| {
                set(
                    c,
                    "expected_close",
                    Arc::new(Date32Array::from(vec![JAN_1, JAN_1 - 1])),
                )
            }),
            |e| {
                assert!(
                    matches!(*pipeline(e), PipelineError::Row { row: 1, ref source }
                if matches!(**source, PipelineError::CloseBeforeCreation { .. }))
                )
            },
        ),
        (
            "an id given twice",
            Box::new(|c| set(c, "id", Arc::new(Int64Array::from(vec![10, 10])))),
            |e| {
                assert!(
                    matches!(*pipeline(e), PipelineError::Row { row: 1, ref source }
                if matches!(**source, PipelineError::DuplicateOpportunity { .. }))
                )
            },
        ),
    ];
    for (name, change, check) in cases {
        let b = base(change);
        let e = opportunities_from_batch(&b, Currency::USD, stages()).err();
        check(e.unwrap_or_else(|| panic!("{name}: accepted")));
    }
}

fn pipeline(e: BatchError) -> Box<PipelineError> {
    match e {
        BatchError::Pipeline(e) => e,
        other => panic!("not a pipeline error: {other:?}"),
    }
}

#[test]
fn a_fraction_above_one_is_refused() {
    let b = base(|c| {
        let fractions = Decimal128Array::from(vec![Some(5), Some(15)])
            .with_precision_and_scale(5, 1)
            .unwrap();
        set(c, "probability", Arc::new(fractions));
    });
    match opportunities_from_batch(&b, Currency::USD, stages()) {
        Err(BatchError::Probability { row: 1, value }) => assert_eq!(value.to_string(), "1.5"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_owner_not_in_the_org_is_named_at_roll_up() {
    let b = base(|c| set(c, "owner_id", Arc::new(Int64Array::from(vec![2, 42]))));
    let opportunities = opportunities_from_batch(&b, Currency::USD, stages()).unwrap();
    match opportunities
        .roll_up(&snapshot(), PipelineOptions::new(q1()))
        .map_err(pipeline)
    {
        Err(e) => assert!(
            matches!(*e, PipelineError::Row { row: 1, ref source }
            if matches!(**source, PipelineError::OwnerNotInOrg { .. })),
            "{e:?}"
        ),
        Ok(_) => panic!("accepted"),
    }
}
