//! Opportunities as columns (issue #29): the columnar pipeline equals the
//! row pipeline, and every bad column or row is an error naming the row
//! and the value.

#![allow(
    clippy::inconsistent_digit_grouping,
    clippy::type_complexity,
    reason = "cents written as dollars_cents; table-driven cases"
)]

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::org::{OrgColumns, OrgSnapshot, Role};
use salesplan::pipeline::{
    Closed, ForecastCategory, Opportunity, OpportunityColumns, OpportunityId, Outcome, Owner,
    Pipeline, PipelineColumns, PipelineError, PipelineOptions, ProbabilityColumn, Stage, Stages,
};
use salesplan::{Currency, Execution, Money, Percent, Period, PositionId, RoundingPolicy};

const EPOCH_2025: i32 = 20_089; // 2025-01-01

fn day(n: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .unwrap()
        .checked_add_signed(chrono::TimeDelta::days(i64::from(n)))
        .unwrap()
}

fn stages() -> Stages {
    let p = |s: &str| s.parse::<Percent>().unwrap();
    Stages::new(vec![
        Stage::new("qualify", p("10%")).unwrap(),
        Stage::new("demo", p("33.3%")).unwrap(),
        Stage::new("proposal", p("60%")).unwrap(),
        Stage::new("negotiate", p("80%")).unwrap(),
    ])
    .unwrap()
}

fn q1() -> Period {
    Period::new(day(EPOCH_2025), day(EPOCH_2025 + 90)).unwrap()
}

/// An org of `parents.len()` positions with ids 1.., parent 0 for the top.
fn snapshot(parents: &[u64]) -> OrgSnapshot {
    let ids: Vec<u64> = (1..=parents.len() as u64).collect();
    let roles = vec![Role::SalesRep; ids.len()];
    let org = OrgColumns::new(&ids, parents, &0, &roles).build().unwrap();
    org.as_of(day(EPOCH_2025)).unwrap()
}

/// One generated row.
#[derive(Debug, Clone)]
struct Row {
    owner: u64,
    stage: u8,
    amount: i64,
    created: i32,
    close: i32,
    own: Option<Percent>,
    category: ForecastCategory,
    outcome: Option<Outcome>,
    closed_day: i32,
    closed_amount: i64,
}

fn percent() -> impl Strategy<Value = Percent> {
    prop_oneof![
        (0_u8..=100).prop_map(|p| Percent::from_points(Decimal::from(p)).unwrap()),
        (0_i64..=100_000).prop_map(|p| Percent::from_points(Decimal::new(p, 3)).unwrap()),
    ]
}

fn row(positions: u64) -> impl Strategy<Value = Row> {
    (
        (1..=positions, 0_u8..4, 0_i64..5_000_000_000, -40_i32..100),
        (0_i32..60, proptest::option::of(percent()), 0_usize..4),
        (0_u8..3, 0_i32..80, 0_i64..1_000_000),
    )
        .prop_map(
            |(
                (owner, stage, amount, created),
                (wait, own, category),
                (state, late, closed_amount),
            )| {
                let created = EPOCH_2025 + created;
                Row {
                    owner,
                    stage,
                    amount,
                    created,
                    close: created + wait,
                    own,
                    category: ForecastCategory::ALL[category],
                    outcome: [None, Some(Outcome::Won), Some(Outcome::Lost)][state as usize],
                    closed_day: created + late,
                    closed_amount,
                }
            },
        )
}

/// The same rows through the row API.
fn row_pipeline(rows: &[Row], ids: &[u64]) -> Pipeline {
    let stages = stages();
    let usd = |minor: i64| Money::from_minor(i128::from(minor), Currency::USD).unwrap();
    let opps = rows
        .iter()
        .zip(ids)
        .map(|(r, id)| {
            let name = stages.get(r.stage as usize).unwrap().name();
            let mut b = Opportunity::builder(
                OpportunityId::from(*id),
                Owner::Position(PositionId::from(r.owner)),
                name,
                usd(r.amount),
                day(r.created),
                day(r.close),
            )
            .category(r.category);
            if let Some(p) = r.own {
                b = b.probability(p);
            }
            b = match r.outcome {
                Some(Outcome::Won) => {
                    b.closed(Closed::won(day(r.closed_day), usd(r.closed_amount)))
                }
                Some(Outcome::Lost) => {
                    b.closed(Closed::lost(day(r.closed_day), usd(r.closed_amount)))
                }
                None => b,
            };
            b.build().unwrap()
        })
        .collect();
    Pipeline::new(Currency::USD, stages, opps).unwrap()
}

/// The rows as columns.
struct Columns {
    ids: Vec<u64>,
    owners: Vec<u64>,
    stages: Vec<u8>,
    amounts: Vec<i64>,
    created: Vec<i32>,
    close: Vec<i32>,
    own: Vec<Option<Percent>>,
    points: Vec<u8>,
    categories: Vec<ForecastCategory>,
    outcomes: Vec<Option<Outcome>>,
    closed_days: Vec<i32>,
    closed_amounts: Vec<i64>,
}

impl Columns {
    fn of(rows: &[Row], ids: &[u64]) -> Columns {
        Columns {
            ids: ids.to_vec(),
            owners: rows.iter().map(|r| r.owner).collect(),
            stages: rows.iter().map(|r| r.stage).collect(),
            amounts: rows.iter().map(|r| r.amount).collect(),
            created: rows.iter().map(|r| r.created).collect(),
            close: rows.iter().map(|r| r.close).collect(),
            own: rows.iter().map(|r| r.own).collect(),
            points: rows.iter().map(|r| (r.amount % 101) as u8).collect(),
            categories: rows.iter().map(|r| r.category).collect(),
            outcomes: rows.iter().map(|r| r.outcome).collect(),
            closed_days: rows.iter().map(|r| r.closed_day).collect(),
            closed_amounts: rows.iter().map(|r| r.closed_amount).collect(),
        }
    }

    fn columns(&self) -> OpportunityColumns<'_, u64, u64> {
        OpportunityColumns::new(
            &self.ids,
            &self.owners,
            &self.stages,
            &self.amounts,
            &self.close,
        )
        .created(&self.created)
        .probabilities(ProbabilityColumn::Own(&self.own))
        .categories(&self.categories)
        .outcomes(&self.outcomes)
        .closed_days(&self.closed_days)
        .closed_amounts(&self.closed_amounts)
    }
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

fn case() -> impl Strategy<Value = (Vec<u64>, Vec<Row>, RoundingPolicy)> {
    parents(12).prop_flat_map(|p| {
        let n = p.len() as u64;
        (
            Just(p),
            prop::collection::vec(row(n), 0..40),
            prop::sample::select(RoundingPolicy::ALL.to_vec()),
        )
    })
}

fn assert_same(
    snapshot: &OrgSnapshot,
    rows: &salesplan::pipeline::PipelineRollup<'_>,
    cols: &salesplan::pipeline::PipelineRollup<'_>,
) -> Result<(), TestCaseError> {
    for node in snapshot.nodes() {
        prop_assert_eq!(
            rows.own(node.index()).unwrap(),
            cols.own(node.index()).unwrap()
        );
        prop_assert_eq!(
            rows.subtree(node.index()).unwrap(),
            cols.subtree(node.index()).unwrap()
        );
    }
    Ok(())
}

proptest! {
    /// Every node's own and subtree figures are the row path's, with own
    /// probabilities (any precision) or the stage's default, any rounding,
    /// sequential or parallel.
    #[test]
    fn columns_equal_rows((parents, rows, rounding) in case(), spread in 1_u64..1000) {
        let snapshot = snapshot(&parents);
        let ids: Vec<u64> = (0..rows.len() as u64).map(|i| i * spread).collect();
        let options = PipelineOptions::new(q1()).rounding(rounding);
        let by_rows = row_pipeline(&rows, &ids).roll_up(&snapshot, options).unwrap();
        let data = Columns::of(&rows, &ids);
        for execution in [Execution::Sequential, Execution::Parallel] {
            let pipeline = PipelineColumns::new(Currency::USD, stages(), data.columns()).unwrap();
            let by_columns = pipeline.roll_up(&snapshot, options.execution(execution)).unwrap();
            assert_same(&snapshot, &by_rows, &by_columns)?;
        }
    }

    /// Whole points as a `u8` column are the row path's own probabilities.
    #[test]
    fn points_equal_rows((parents, rows, rounding) in case()) {
        let snapshot = snapshot(&parents);
        let ids: Vec<u64> = (0..rows.len() as u64).collect();
        let data = Columns::of(&rows, &ids);
        let with_points: Vec<Row> = rows
            .iter()
            .zip(&data.points)
            .map(|(r, p)| Row { own: Some(Percent::from_points(Decimal::from(*p)).unwrap()), ..r.clone() })
            .collect();
        let options = PipelineOptions::new(q1()).rounding(rounding);
        let by_rows = row_pipeline(&with_points, &ids).roll_up(&snapshot, options).unwrap();
        let columns = data.columns().probabilities(ProbabilityColumn::Points(&data.points));
        let by_columns = PipelineColumns::new(Currency::USD, stages(), columns)
            .unwrap()
            .roll_up(&snapshot, options)
            .unwrap();
        assert_same(&snapshot, &by_rows, &by_columns)?;
    }

    /// Text ids name the same opportunities and owners as integers.
    #[test]
    fn text_ids_equal_integer_ids((parents, rows, _rounding) in case()) {
        let snapshot = snapshot(&parents);
        let ids: Vec<u64> = (0..rows.len() as u64).collect();
        let data = Columns::of(&rows, &ids);
        let text_ids: Vec<String> = ids.iter().map(|i| format!("opp-{i}")).collect();
        let text_owners: Vec<String> = data.owners.iter().map(u64::to_string).collect();
        let options = PipelineOptions::new(q1());
        let ints = PipelineColumns::new(Currency::USD, stages(), data.columns()).unwrap();
        let ints = ints.roll_up(&snapshot, options).unwrap();
        let texts = OpportunityColumns::new(&text_ids, &text_owners, &data.stages, &data.amounts, &data.close)
            .created(&data.created)
            .probabilities(ProbabilityColumn::Own(&data.own))
            .categories(&data.categories)
            .outcomes(&data.outcomes)
            .closed_days(&data.closed_days)
            .closed_amounts(&data.closed_amounts);
        let texts = PipelineColumns::new(Currency::USD, stages(), texts).unwrap();
        let texts = texts.roll_up(&snapshot, options).unwrap();
        assert_same(&snapshot, &ints, &texts)?;
    }
}

/// A valid base case: two reps (2, 3) under 1, three opportunities.
struct Base {
    ids: Vec<i64>,
    owners: Vec<i64>,
    stages: Vec<u8>,
    amounts: Vec<i64>,
    created: Vec<i32>,
    close: Vec<i32>,
    points: Vec<u8>,
    outcomes: Vec<Option<Outcome>>,
    closed_days: Vec<i32>,
    closed_amounts: Vec<i64>,
}

fn base() -> Base {
    Base {
        ids: vec![7, 8, 9],
        owners: vec![2, 3, 2],
        stages: vec![0, 1, 2],
        amounts: vec![100_00, 200_00, 300_00],
        created: vec![EPOCH_2025; 3],
        close: vec![EPOCH_2025 + 10; 3],
        points: vec![10, 20, 30],
        outcomes: vec![None, None, Some(Outcome::Won)],
        closed_days: vec![EPOCH_2025 + 5; 3],
        closed_amounts: vec![0, 0, 250_00],
    }
}

fn build(b: &Base) -> Result<PipelineColumns<'_, i64, i64>, PipelineError> {
    let columns = OpportunityColumns::new(&b.ids, &b.owners, &b.stages, &b.amounts, &b.close)
        .created(&b.created)
        .probabilities(ProbabilityColumn::Points(&b.points))
        .outcomes(&b.outcomes)
        .closed_days(&b.closed_days)
        .closed_amounts(&b.closed_amounts);
    PipelineColumns::new(Currency::USD, stages(), columns)
}

fn row_source(e: PipelineError) -> (usize, PipelineError) {
    match e {
        PipelineError::Row { row, source } => (row, *source),
        other => panic!("not a row error: {other:?}"),
    }
}

#[test]
fn the_base_case_rolls_up() {
    let snapshot = snapshot(&[0, 1, 1]);
    let b = base();
    let totals = build(&b)
        .unwrap()
        .roll_up(&snapshot, PipelineOptions::new(q1()))
        .unwrap();
    let top = totals.subtree(snapshot.root()).unwrap();
    assert_eq!(top.open().to_string(), "300.00 USD");
    assert_eq!(top.weighted().to_string(), "50.00 USD");
    assert_eq!(top.won().to_string(), "250.00 USD");
}

#[test]
fn each_bad_column_or_row_is_named() {
    type Break = fn(&mut Base);
    let cases: Vec<(&str, Break, fn(PipelineError))> = vec![
        (
            "short owner column",
            |b| {
                b.owners.pop();
            },
            |e| {
                assert!(matches!(
                    e,
                    PipelineError::ColumnLength {
                        column: "owners",
                        expected: 3,
                        found: 2
                    }
                ))
            },
        ),
        (
            "short closed days",
            |b| {
                b.closed_days.pop();
            },
            |e| {
                assert!(matches!(
                    e,
                    PipelineError::ColumnLength {
                        column: "closed_days",
                        expected: 3,
                        found: 2
                    }
                ))
            },
        ),
        (
            "negative opportunity id",
            |b| b.ids[1] = -4,
            |e| match e {
                PipelineError::ColumnId {
                    column: "ids",
                    row: 1,
                    source,
                } => assert_eq!(source.value, "-4"),
                other => panic!("{other:?}"),
            },
        ),
        (
            "negative owner id",
            |b| b.owners[2] = -1,
            |e| match e {
                PipelineError::ColumnId {
                    column: "owners",
                    row: 2,
                    source,
                } => assert_eq!(source.kind, "position"),
                other => panic!("{other:?}"),
            },
        ),
        (
            "stage past the stages",
            |b| b.stages[1] = 4,
            |e| {
                assert!(matches!(
                    e,
                    PipelineError::StageIndex {
                        row: 1,
                        index: 4,
                        stages: 4
                    }
                ))
            },
        ),
        (
            "probability above 100 points",
            |b| b.points[0] = 101,
            |e| match row_source(e) {
                (0, PipelineError::Probability { opportunity, .. }) => {
                    assert_eq!(opportunity.as_str(), "7")
                }
                other => panic!("{other:?}"),
            },
        ),
        (
            "negative amount",
            |b| b.amounts[1] = -1,
            |e| match row_source(e) {
                (
                    1,
                    PipelineError::NegativeAmount {
                        opportunity,
                        amount,
                    },
                ) => {
                    assert_eq!(
                        (opportunity.as_str(), amount.to_string().as_str()),
                        ("8", "-0.01 USD")
                    );
                }
                other => panic!("{other:?}"),
            },
        ),
        (
            "negative close amount",
            |b| b.closed_amounts[2] = -5,
            |e| match row_source(e) {
                (2, PipelineError::NegativeAmount { opportunity, .. }) => {
                    assert_eq!(opportunity.as_str(), "9")
                }
                other => panic!("{other:?}"),
            },
        ),
        (
            "expected close before creation",
            |b| b.close[1] = EPOCH_2025 - 1,
            |e| match row_source(e) {
                (
                    1,
                    PipelineError::CloseBeforeCreation {
                        opportunity,
                        created,
                        close,
                    },
                ) => {
                    assert_eq!(
                        (opportunity.as_str(), created, close),
                        ("8", day(EPOCH_2025), day(EPOCH_2025 - 1))
                    );
                }
                other => panic!("{other:?}"),
            },
        ),
        (
            "closed before creation",
            |b| b.closed_days[2] = EPOCH_2025 - 3,
            |e| match row_source(e) {
                (2, PipelineError::CloseBeforeCreation { close, .. }) => {
                    assert_eq!(close, day(EPOCH_2025 - 3))
                }
                other => panic!("{other:?}"),
            },
        ),
        (
            "day beyond the calendar",
            |b| b.close[0] = i32::MAX,
            |e| {
                assert!(matches!(
                    e,
                    PipelineError::DayOutOfRange {
                        column: "expected_close",
                        row: 0,
                        day: i32::MAX
                    }
                ))
            },
        ),
        (
            "created beyond the calendar",
            |b| b.created[2] = i32::MIN,
            |e| {
                assert!(matches!(
                    e,
                    PipelineError::DayOutOfRange {
                        column: "created",
                        row: 2,
                        ..
                    }
                ))
            },
        ),
        (
            "an id given twice",
            |b| b.ids[2] = 7,
            |e| match row_source(e) {
                (2, PipelineError::DuplicateOpportunity { opportunity }) => {
                    assert_eq!(opportunity.as_str(), "7")
                }
                other => panic!("{other:?}"),
            },
        ),
        (
            "a sparse id given twice",
            |b| b.ids = vec![1 << 60, 5, 1 << 60],
            |e| match row_source(e) {
                (2, PipelineError::DuplicateOpportunity { opportunity }) => {
                    assert_eq!(opportunity.as_str(), (1_u64 << 60).to_string());
                }
                other => panic!("{other:?}"),
            },
        ),
    ];
    for (name, breaks, check) in cases {
        let mut b = base();
        breaks(&mut b);
        let e = build(&b)
            .err()
            .unwrap_or_else(|| panic!("{name}: accepted"));
        check(e);
    }
}

#[test]
fn a_bad_text_id_is_named() {
    let ids = ["o1", " o2"];
    let owners = ["2", "3"];
    let columns = OpportunityColumns::new(&ids, &owners, &[0, 0], &[1, 1], &[EPOCH_2025; 2]);
    match PipelineColumns::new(Currency::USD, stages(), columns) {
        Err(PipelineError::ColumnId {
            column: "ids",
            row: 1,
            source,
        }) => assert_eq!(source.value, " o2"),
        other => panic!("{other:?}"),
    }
    let dup = ["o1", "o1"];
    let columns = OpportunityColumns::new(&dup, &owners, &[0, 0], &[1, 1], &[EPOCH_2025; 2]);
    match PipelineColumns::new(Currency::USD, stages(), columns).map_err(row_source) {
        Err((1, PipelineError::DuplicateOpportunity { opportunity })) => {
            assert_eq!(opportunity.as_str(), "o1")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_owner_not_in_the_org_is_named_when_counted() {
    let snapshot = snapshot(&[0, 1, 1]);
    let mut b = base();
    b.owners[1] = 99;
    let pipeline = build(&b).unwrap();
    match pipeline
        .roll_up(&snapshot, PipelineOptions::new(q1()))
        .map_err(row_source)
    {
        Err((
            1,
            PipelineError::OwnerNotInOrg {
                opportunity,
                owner,
                date,
            },
        )) => {
            assert_eq!(opportunity.as_str(), "8");
            assert_eq!(owner, Owner::Position(PositionId::from(99_u64)));
            assert_eq!(date, day(EPOCH_2025));
        }
        other => panic!("{other:?}"),
    }
    // Outside the period it is not counted, as in the row API.
    let later = Period::new(day(EPOCH_2025 + 200), day(EPOCH_2025 + 300)).unwrap();
    assert!(
        pipeline
            .roll_up(&snapshot, PipelineOptions::new(later))
            .is_ok()
    );
}
