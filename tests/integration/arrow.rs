//! Arrow record batches in and out (issue #29, the `arrow` feature): the
//! org and the roll-up from batches agree with the slice API whatever the
//! id layout (int64 with nulls, utf8, dictionaries, uint64), results come
//! back as batches, and each bad batch is refused by name.

#![allow(
    clippy::inconsistent_digit_grouping,
    reason = "cents written as dollars_cents"
)]

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Decimal128Type, Int32Type};
use arrow_array::{
    Array, ArrayRef, Date32Array, Decimal128Array, DictionaryArray, Int64Array, RecordBatch,
    StringArray, UInt64Array,
};
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::arrow::{BatchError, OrgBatch, payouts_batch, rollup_batch, sum_credit_batch};
use salesplan::calendar::FiscalCalendar;
use salesplan::comp::{
    Commissions, CompPeriod, CompPlan, Component, PayRate, PersonInput, Quotas, RateTable,
};
use salesplan::credit::{CreditBasis, CreditLine, CreditRule, CreditRun};
use salesplan::org::{OrgColumns, OrgError, Role};
use salesplan::rollup::{
    AmountColumn, CreditColumns, NodeValues, RollupError, SumOptions, sum_credit_columns,
};
use salesplan::{Currency, Money, Period, PersonId, PlanId, PositionId, TransactionId};

use crate::columns::{TOP, day, org_rows};

fn role_name(role: &Role) -> &'static str {
    match role {
        Role::SalesRep => "sales_rep",
        Role::TeamLead => "team_lead",
        _ => "director",
    }
}

fn batch(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    RecordBatch::try_from_iter(columns).unwrap()
}

/// The org's rows as a batch, ids laid out as `layout` says.
fn org_batch(ids: &[i64], parents: &[i64], roles: &[Role], layout: u8) -> RecordBatch {
    let parent = |p: &i64| (*p != TOP).then_some(*p);
    let roles: ArrayRef = Arc::new(StringArray::from(
        roles.iter().map(role_name).collect::<Vec<_>>(),
    ));
    let (id_col, parent_col): (ArrayRef, ArrayRef) = match layout % 4 {
        0 => (
            Arc::new(Int64Array::from(ids.to_vec())),
            Arc::new(Int64Array::from(
                parents.iter().map(parent).collect::<Vec<_>>(),
            )),
        ),
        1 => (
            Arc::new(StringArray::from(
                ids.iter().map(i64::to_string).collect::<Vec<_>>(),
            )),
            Arc::new(StringArray::from(
                parents
                    .iter()
                    .map(|p| parent(p).map(|p| p.to_string()))
                    .collect::<Vec<_>>(),
            )),
        ),
        2 => {
            let text = |v: Vec<Option<String>>| -> ArrayRef {
                Arc::new(
                    v.iter()
                        .map(|s| s.as_deref())
                        .collect::<DictionaryArray<Int32Type>>(),
                )
            };
            (
                text(ids.iter().map(|i| Some(i.to_string())).collect()),
                text(
                    parents
                        .iter()
                        .map(|p| parent(p).map(|p| p.to_string()))
                        .collect(),
                ),
            )
        }
        _ => (
            Arc::new(UInt64Array::from(
                ids.iter().map(|i| *i as u64).collect::<Vec<_>>(),
            )),
            Arc::new(UInt64Array::from(
                parents
                    .iter()
                    .map(|p| parent(p).map(|p| p as u64))
                    .collect::<Vec<_>>(),
            )),
        ),
    };
    batch(vec![
        ("id", id_col),
        ("parent_id", parent_col),
        ("role", roles),
    ])
}

proptest! {
    /// An org from a batch is the org from the same columns as slices,
    /// with the same errors, whatever the ids' layout.
    #[test]
    fn org_batch_equals_org_columns((ids, parents, roles) in org_rows(), layout in 0u8..4) {
        let expected = OrgColumns::new(&ids, &parents, &TOP, &roles).build();
        let got = OrgBatch::new(&org_batch(&ids, &parents, &roles, layout)).build();
        match (expected, got) {
            (Ok(want), Ok(got)) => prop_assert_eq!(got.to_builder(), want.to_builder()),
            (Err(want), Err(BatchError::Org(got))) => {
                // Text columns name the same ids; the column names differ.
                prop_assert_eq!(std::mem::discriminant(&want), std::mem::discriminant(&got));
            }
            (want, got) => prop_assert!(false, "{:?} vs {:?}", want.err(), got.err()),
        }
    }

    /// The roll-up of a batch is the roll-up of the same columns as
    /// slices, for int64 and decimal128 amounts and text or integer ids.
    #[test]
    fn credit_batch_equals_credit_columns(
        (ids, parents, roles) in org_rows(),
        credits in prop::collection::vec((any::<prop::sample::Index>(), -50_000i64..50_000, 20_000i32..20_200), 0..80),
        text in any::<bool>(),
        decimal in any::<bool>(),
    ) {
        let Ok(org) = OrgColumns::new(&ids, &parents, &TOP, &roles).build() else { return Ok(()) };
        let Ok(snapshot) = org.as_of(day()) else { return Ok(()) };
        let reps: Vec<i64> = credits.iter().map(|(i, _, _)| ids[i.index(ids.len())]).collect();
        let cents: Vec<i64> = credits.iter().map(|c| c.1).collect();
        let days: Vec<i32> = credits.iter().map(|c| c.2).collect();
        let period = Period::new(
            NaiveDate::from_ymd_opt(2024, 11, 1).unwrap(),
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        ).unwrap();
        let options = SumOptions::new(Currency::USD).period(period);
        let want = sum_credit_columns(&snapshot, CreditColumns::new(&reps, AmountColumn::Minor(&cents)).days(&days), options).unwrap();
        let id_col: ArrayRef = if text {
            Arc::new(StringArray::from(reps.iter().map(i64::to_string).collect::<Vec<_>>()))
        } else {
            Arc::new(Int64Array::from(reps.clone()))
        };
        let amount_col: ArrayRef = if decimal {
            Arc::new(Decimal128Array::from(cents.iter().map(|c| i128::from(*c) * 10).collect::<Vec<_>>())
                .with_precision_and_scale(20, 3).unwrap())
        } else {
            Arc::new(Int64Array::from(cents.clone()))
        };
        let credits = batch(vec![("position_id", id_col), ("amount", amount_col), ("date", Arc::new(Date32Array::from(days)))]);
        let got = sum_credit_batch(&snapshot, &credits, options).unwrap();
        for node in snapshot.nodes() {
            prop_assert_eq!(got.subtree(node.index()).unwrap(), want.subtree(node.index()).unwrap());
            prop_assert_eq!(got.own(node.index()).unwrap(), want.own(node.index()).unwrap());
        }
    }
}

fn small_org() -> salesplan::org::Org {
    let ids: [i64; 3] = [1, 20, 21];
    let roles = [Role::Director, Role::SalesRep, Role::SalesRep];
    OrgColumns::new(&ids, &[TOP, 1, 1], &TOP, &roles)
        .build()
        .unwrap()
}

#[test]
fn results_come_back_as_batches() {
    let org = small_org();
    let snapshot = org.as_of(day()).unwrap();
    let usd = |s: &str| Money::parse(s, Currency::USD).unwrap();
    let credits = batch(vec![
        ("position_id", Arc::new(Int64Array::from(vec![20, 21, 21]))),
        (
            "amount",
            Arc::new(Int64Array::from(vec![100_00, 50_00, 25_00])),
        ),
    ]);
    let totals = sum_credit_batch(&snapshot, &credits, SumOptions::new(Currency::USD)).unwrap();
    let quotas =
        NodeValues::from_declared(&snapshot, &[usd("700.00"), usd("0.00"), usd("300.00")]).unwrap();
    let out = rollup_batch(&totals, Some(&quotas)).unwrap();
    let ids = out
        .column_by_name("position_id")
        .unwrap()
        .as_string::<i32>();
    let subtree = out
        .column_by_name("subtree")
        .unwrap()
        .as_primitive::<Decimal128Type>();
    let attainment = out
        .column_by_name("attainment")
        .unwrap()
        .as_primitive::<Decimal128Type>();
    let rows: Vec<(String, String, Option<String>)> = (0..out.num_rows())
        .map(|i| {
            (
                ids.value(i).to_string(),
                subtree.value_as_string(i),
                (!attainment.is_null(i)).then(|| attainment.value_as_string(i)),
            )
        })
        .collect();
    let expected = [
        ("1", "175.00", Some("0.250000000000")),
        ("20", "100.00", None),
        ("21", "75.00", Some("0.250000000000")),
    ];
    for (got, want) in rows.iter().zip(expected) {
        assert_eq!((got.0.as_str(), got.1.as_str(), got.2.as_deref()), want);
    }
    // Without quotas, no quota or attainment columns.
    let plain = rollup_batch(&totals, None).unwrap();
    assert_eq!(plain.num_columns(), 3);
}

#[test]
fn payouts_come_back_as_batches() {
    let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    let ann = PersonId::new("ann").unwrap();
    let owner = CreditRule::Owner {
        share: "100%".parse().unwrap(),
    };
    let line = |id: &str, date, cents| {
        CreditLine::new(
            PositionId::new("rep-1").unwrap(),
            TransactionId::new(id).unwrap(),
            owner.clone(),
            Decimal::new(cents, 2),
            date,
        )
        .with_person(ann.clone())
    };
    let run = CreditRun::from_lines(
        CreditBasis::Revenue,
        Currency::USD,
        vec![line("T1", d(1, 10), 400_000), line("T2", d(2, 10), 600_000)],
    )
    .unwrap();
    let rate = RateTable::Flat(PayRate::Percent("10%".parse().unwrap()));
    let plan = CompPlan::builder(
        PlanId::new("AE").unwrap(),
        Currency::USD,
        FiscalCalendar::gregorian(),
        2025,
    )
    .component(Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Month,
        rate,
    ))
    .build()
    .unwrap();
    let comp = Commissions::new(&plan, &[&run]).unwrap();
    let quotas = Quotas::new();
    let people = [PersonInput {
        person: &ann,
        quotas: &quotas,
        locked: &[],
    }];
    let payouts = comp.payouts_for(&people, d(2, 28)).unwrap();
    let out = payouts_batch(&payouts, &people).unwrap();
    assert_eq!(out.num_rows(), 2);
    let amount = out
        .column_by_name("amount")
        .unwrap()
        .as_primitive::<Decimal128Type>();
    assert_eq!(amount.value_as_string(0), "400.00");
    assert_eq!(amount.value_as_string(1), "600.00");
    let start = out
        .column_by_name("period_start")
        .unwrap()
        .as_primitive::<arrow_array::types::Date32Type>();
    assert_eq!(start.value_as_date(1), Some(d(2, 1)));
    assert!(matches!(
        payouts_batch(&payouts, &[]),
        Err(BatchError::Length {
            column: "people",
            found: 0,
            expected: 1
        })
    ));
}

/// Each bad batch, and the error that names it.
#[test]
fn bad_batches_are_refused_by_name() {
    let ints = |v: Vec<Option<i64>>| -> ArrayRef { Arc::new(Int64Array::from(v)) };
    let texts = |v: Vec<Option<&str>>| -> ArrayRef { Arc::new(StringArray::from(v)) };
    let reps = || texts(vec![Some("director"), Some("sales_rep")]);
    let org = |cols: Vec<(&str, ArrayRef)>| OrgBatch::new(&batch(cols)).build().err();
    let cases: Vec<(&str, Option<BatchError>, BatchError)> = vec![
        (
            "no parent column",
            org(vec![("id", ints(vec![Some(1), Some(2)])), ("role", reps())]),
            BatchError::MissingColumn {
                column: "parent_id",
            },
        ),
        (
            "a null id",
            org(vec![
                ("id", ints(vec![Some(1), None])),
                ("parent_id", ints(vec![None, Some(1)])),
                ("role", reps()),
            ]),
            BatchError::Null {
                column: "id",
                row: 1,
            },
        ),
        (
            "a negative parent (write a null for none)",
            org(vec![
                ("id", ints(vec![Some(1), Some(2)])),
                ("parent_id", ints(vec![Some(-1), Some(1)])),
                ("role", reps()),
            ]),
            BatchError::NegativeId {
                column: "parent_id",
                row: 0,
                value: -1,
            },
        ),
        (
            "a null role",
            org(vec![
                ("id", ints(vec![Some(1), Some(2)])),
                ("parent_id", ints(vec![None, Some(1)])),
                ("role", texts(vec![Some("director"), None])),
            ]),
            BatchError::Null {
                column: "role",
                row: 1,
            },
        ),
        (
            "a uint64 id beyond i64",
            org(vec![
                ("id", Arc::new(UInt64Array::from(vec![1, u64::MAX]))),
                (
                    "parent_id",
                    Arc::new(UInt64Array::from(vec![None, Some(1)])),
                ),
                ("role", reps()),
            ]),
            BatchError::IdOutOfRange {
                column: "id",
                row: 1,
                value: u64::MAX,
            },
        ),
        (
            "an undeclared custom role",
            org(vec![
                ("id", ints(vec![Some(1), Some(2)])),
                ("parent_id", ints(vec![None, Some(1)])),
                ("role", texts(vec![Some("director"), Some("hunter")])),
            ]),
            BatchError::Org(OrgError::UnknownRole {
                position: PositionId::from(2_u64),
                role: salesplan::RoleId::new("hunter").unwrap(),
            }),
        ),
    ];
    for (what, got, want) in cases {
        assert_eq!(got.as_ref(), Some(&want), "{what}");
    }
    // A misspelled optional column is refused, not ignored.
    assert_eq!(
        org(vec![
            ("id", ints(vec![Some(1), Some(2)])),
            ("parent_id", ints(vec![None, Some(1)])),
            ("role", reps()),
            ("holder", ints(vec![None, None])),
        ]),
        Some(BatchError::UnknownColumn {
            column: "holder".into()
        })
    );
    // Integer ids and text parents do not mix.
    let mixed = org(vec![
        ("id", ints(vec![Some(1), Some(2)])),
        ("parent_id", texts(vec![None, Some("1")])),
        ("role", reps()),
    ]);
    assert!(
        matches!(
            mixed,
            Some(BatchError::ColumnType {
                column: "parent_id",
                ..
            })
        ),
        "{mixed:?}"
    );

    let org = small_org();
    let snapshot = org.as_of(day()).unwrap();
    let sum = |cols: Vec<(&str, ArrayRef)>, options| {
        sum_credit_batch(&snapshot, &batch(cols), options).err()
    };
    let usd = SumOptions::new(Currency::USD);
    let year = usd.period(Period::year(2025).unwrap());
    assert_eq!(
        sum(
            vec![
                ("position_id", ints(vec![Some(20), Some(99)])),
                ("amount", ints(vec![Some(1), Some(2)]))
            ],
            usd
        ),
        Some(BatchError::Rollup(RollupError::UnknownId {
            id: "99".into(),
            row: 1,
            date: day()
        })),
        "an unknown id names its row"
    );
    assert_eq!(
        sum(
            vec![
                ("position_id", ints(vec![Some(20)])),
                ("amount", ints(vec![None]))
            ],
            usd
        ),
        Some(BatchError::Null {
            column: "amount",
            row: 0
        })
    );
    assert!(matches!(
        sum(
            vec![
                ("position_id", ints(vec![Some(20)])),
                ("amount", texts(vec![Some("1.00")]))
            ],
            usd
        ),
        Some(BatchError::ColumnType {
            column: "amount",
            ..
        })
    ));
    assert_eq!(
        sum(
            vec![
                ("position_id", ints(vec![Some(20)])),
                ("amount", ints(vec![Some(1)]))
            ],
            year
        ),
        Some(BatchError::Rollup(RollupError::MissingDays)),
        "a period needs a date column"
    );
    let fraction: ArrayRef = Arc::new(
        Decimal128Array::from(vec![1005_i128])
            .with_precision_and_scale(10, 3)
            .unwrap(),
    );
    assert!(
        matches!(
            sum(
                vec![("position_id", ints(vec![Some(20)])), ("amount", fraction)],
                usd
            ),
            Some(BatchError::Rollup(_))
        ),
        "1.005 USD is not whole cents"
    );
}

#[test]
fn credited_lines_quotas_and_activity_from_batches() {
    use salesplan::activity::ActivityKind;
    use salesplan::arrow::{activity_from_batch, credit_run_from_batch, quotas_from_batch};
    let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    let day_number = |date: NaiveDate| {
        i32::try_from((date - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days()).unwrap()
    };
    // Two sales and a return of half the first, as a CRM exports them.
    let lines = batch(vec![
        ("position_id", Arc::new(Int64Array::from(vec![20, 21, 20]))),
        (
            "transaction_id",
            Arc::new(StringArray::from(vec!["SO-1", "SO-2", "RT-1"])),
        ),
        (
            "person_id",
            Arc::new(Int64Array::from(vec![Some(7001), None, Some(7001)])),
        ),
        (
            "amount",
            Arc::new(Int64Array::from(vec![1_000_00, 500_00, -500_00])),
        ),
        (
            "date",
            Arc::new(Date32Array::from(vec![
                day_number(d(1, 10)),
                day_number(d(1, 12)),
                day_number(d(2, 3)),
            ])),
        ),
        (
            "sale_id",
            Arc::new(StringArray::from(vec![None, None, Some("SO-1")])),
        ),
        (
            "booked",
            Arc::new(Date32Array::from(vec![
                None,
                None,
                Some(day_number(d(1, 10))),
            ])),
        ),
    ]);
    let run = credit_run_from_batch(&lines, CreditBasis::Revenue, Currency::USD).unwrap();
    let owner = CreditRule::Owner {
        share: "100%".parse().unwrap(),
    };
    let pos = |n: u64| PositionId::from(n);
    let ann = PersonId::from(7001_u64);
    let expected = CreditRun::from_lines(
        CreditBasis::Revenue,
        Currency::USD,
        vec![
            CreditLine::new(
                pos(20),
                TransactionId::new("SO-1").unwrap(),
                owner.clone(),
                Decimal::from(1000),
                d(1, 10),
            )
            .with_person(ann.clone()),
            CreditLine::new(
                pos(21),
                TransactionId::new("SO-2").unwrap(),
                owner.clone(),
                Decimal::from(500),
                d(1, 12),
            ),
            CreditLine::new(
                pos(20),
                TransactionId::new("RT-1").unwrap(),
                owner,
                Decimal::from(-500),
                d(2, 3),
            )
            .with_person(ann)
            .with_sale(TransactionId::new("SO-1").unwrap(), d(1, 10)),
        ],
    )
    .unwrap();
    assert_eq!(run.lines(), expected.lines());

    // A share outside 0-100% is refused by row.
    let shares = batch(vec![
        ("position_id", Arc::new(Int64Array::from(vec![20]))),
        ("transaction_id", Arc::new(StringArray::from(vec!["SO-1"]))),
        ("amount", Arc::new(Int64Array::from(vec![100]))),
        ("date", Arc::new(Date32Array::from(vec![20_000]))),
        (
            "share",
            Arc::new(
                Decimal128Array::from(vec![1_500_i128])
                    .with_precision_and_scale(10, 3)
                    .unwrap(),
            ),
        ),
    ]);
    assert!(matches!(
        credit_run_from_batch(&shares, CreditBasis::Revenue, Currency::USD),
        Err(BatchError::Share { row: 0, .. })
    ));

    // Quotas by position id; a position given twice is refused.
    let org = small_org();
    let snapshot = org.as_of(day()).unwrap();
    let quotas = batch(vec![
        ("position_id", Arc::new(Int64Array::from(vec![21, 1]))),
        ("amount", Arc::new(Int64Array::from(vec![300_00, 900_00]))),
    ]);
    let values = quotas_from_batch(&snapshot, &quotas, Currency::USD).unwrap();
    let of = |id: u64| {
        *values
            .get(snapshot.node(&pos(id)).unwrap().index())
            .unwrap()
    };
    assert_eq!(of(1).to_string(), "900.00 USD");
    assert!(of(20).is_zero());
    assert_eq!(of(21).to_string(), "300.00 USD");
    let twice = batch(vec![
        ("position_id", Arc::new(Int64Array::from(vec![21, 21]))),
        ("amount", Arc::new(Int64Array::from(vec![1, 2]))),
    ]);
    assert_eq!(
        quotas_from_batch(&snapshot, &twice, Currency::USD).err(),
        Some(BatchError::DuplicateId {
            column: "position_id",
            row: 1
        })
    );
    let negative = batch(vec![
        ("position_id", Arc::new(Int64Array::from(vec![21, 1]))),
        ("amount", Arc::new(Int64Array::from(vec![300_00, -1]))),
    ]);
    assert!(matches!(
        quotas_from_batch(&snapshot, &negative, Currency::USD),
        Err(BatchError::Quota { row: 1, .. })
    ));

    // An activity log; an unknown kind and a negative quantity are refused by row.
    let log = |kinds: Vec<&str>, quantities: Vec<i64>| {
        batch(vec![
            (
                "person_id",
                Arc::new(Int64Array::from(vec![7001; kinds.len()])),
            ),
            ("kind", Arc::new(StringArray::from(kinds.clone()))),
            (
                "date",
                Arc::new(Date32Array::from(vec![20_000; kinds.len()])),
            ),
            ("quantity", Arc::new(Int64Array::from(quantities))),
        ])
    };
    let entries =
        activity_from_batch(&log(vec!["cold_call", "meeting"], vec![40, 2]), &[]).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].kind(), &ActivityKind::Meeting);
    assert_eq!(
        activity_from_batch(&log(vec!["cold_call", "golf"], vec![1, 1]), &[]).err(),
        Some(BatchError::UnknownKind {
            row: 1,
            kind: "golf".into()
        })
    );
    assert!(matches!(
        activity_from_batch(&log(vec!["call"], vec![-3]), &[]),
        Err(BatchError::Activity { row: 0, .. })
    ));
}
