//! Crediting from columns: each bad input is refused, naming the row and
//! the ids and values involved.

use salesplan::calendar::DateRange;
use salesplan::credit::{
    CreditBasis, CreditColumnTotals, CreditColumnsError, CreditPlan, CreditTiming, Crediting,
    TransactionColumns, TransactionKind,
};
use salesplan::org::{Org, Position, ReportingLine, Role};
use salesplan::{Currency, Period, PositionId};

use crate::common::date;

const ORDER: TransactionKind = TransactionKind::Order;
const RETURN: TransactionKind = TransactionKind::Return;

/// 100 at the top, 101 and 102 below it; 102 leaves the org on 1 June.
fn org() -> Org {
    let pos = |n: u64| PositionId::from(n);
    let always = DateRange::starting(date(2025, 1, 1));
    Org::builder()
        .positions([100, 101, 102].map(|n| Position::new(pos(n), Role::SalesRep)))
        .line(ReportingLine::top(pos(100), always))
        .line(ReportingLine::new(pos(101), pos(100), always))
        .line(ReportingLine::new(
            pos(102),
            pos(100),
            DateRange::new(date(2025, 1, 1), Some(date(2025, 6, 1))).unwrap(),
        ))
        .build()
        .unwrap()
}

/// Day numbers (from 1970-01-01) in 2025: 20_089 is 1 January.
const JAN_10: i32 = 20_098;
const FEB_1: i32 = 20_120;
const JUL_1: i32 = 20_270;

/// A feed of sales and returns: (kind, day, cents, owner 1 and share,
/// owner 2 and share, original row).
type Row = (TransactionKind, i32, i64, u64, i32, u64, i32, i64);
type Rows = [Row];
/// A bad feed and the error it must get.
type Case = (
    &'static str,
    Vec<Row>,
    Box<dyn Fn(&CreditColumnsError) -> bool>,
);

fn credit(
    rows: &Rows,
    plan: &CreditPlan,
    periods: &[Period],
) -> Result<CreditColumnTotals, CreditColumnsError> {
    let org = org();
    let ids: Vec<u64> = (0..rows.len() as u64).map(|i| 5000 + i).collect();
    let kinds: Vec<TransactionKind> = rows.iter().map(|r| r.0).collect();
    let days: Vec<i32> = rows.iter().map(|r| r.1).collect();
    let cents: Vec<i64> = rows.iter().map(|r| r.2).collect();
    let (o1, s1): (Vec<u64>, Vec<i32>) = rows.iter().map(|r| (r.3, r.4)).unzip();
    let (o2, s2): (Vec<u64>, Vec<i32>) = rows.iter().map(|r| (r.5, r.6)).unzip();
    let originals: Vec<i64> = rows.iter().map(|r| r.7).collect();
    let feed = TransactionColumns::new(&ids, &kinds, &days, &cents)
        .owner(&o1, &s1, &0)
        .owner(&o2, &s2, &0)
        .originals(&originals);
    Crediting::new(&org, plan).totals_from_columns(&feed, periods)
}

fn year() -> Vec<Period> {
    vec![Period::new(date(2025, 1, 1), date(2026, 1, 1)).unwrap()]
}

fn usd() -> CreditPlan {
    CreditPlan::new(CreditBasis::Revenue, Currency::USD)
}

#[test]
fn each_bad_row_is_named() {
    use CreditColumnsError as E;
    let sale = (ORDER, JAN_10, 10_000, 101, 10_000, 0, 0, -1);
    let cases: Vec<Case> = vec![
        (
            "unknown owner id",
            vec![sale, (ORDER, JAN_10, 500, 777, 10_000, 0, 0, -1)],
            Box::new(
                |e| matches!(e, E::UnknownPosition { row: 1, transaction, position } if transaction == "5001" && position == "777"),
            ),
        ),
        (
            "shares not summing to 100%",
            vec![(ORDER, JAN_10, 500, 101, 6_000, 102, 3_000, -1)],
            Box::new(|e| {
                matches!(
                    e,
                    E::SharesNotWhole {
                        row: 0,
                        basis_points: 9_000,
                        ..
                    }
                )
            }),
        ),
        (
            "a negative share",
            vec![(ORDER, JAN_10, 500, 101, 11000, 102, -1000, -1)],
            Box::new(|e| {
                matches!(
                    e,
                    E::SharesNotWhole {
                        row: 0,
                        basis_points: 10_000,
                        ..
                    }
                )
            }),
        ),
        (
            "an owner named twice",
            vec![(ORDER, JAN_10, 500, 101, 5000, 101, 5000, -1)],
            Box::new(
                |e| matches!(e, E::DuplicateOwner { row: 0, position, .. } if position == "101"),
            ),
        ),
        (
            "a sale without owners",
            vec![(ORDER, JAN_10, 500, 0, 0, 0, 0, -1)],
            Box::new(|e| matches!(e, E::NoOwners { row: 0, .. })),
        ),
        (
            "an owner not in the org that day",
            vec![(ORDER, JUL_1, 500, 102, 10_000, 0, 0, -1)],
            Box::new(
                |e| matches!(e, E::NotInOrg { row: 0, position, date: d, .. } if position == "102" && *d == date(2025, 7, 1)),
            ),
        ),
        (
            "a return of an unknown sale",
            vec![sale, (RETURN, FEB_1, -500, 0, 0, 0, 0, 99)],
            Box::new(
                |e| matches!(e, E::UnknownOriginal { row: 1, original: 99, transaction } if transaction == "5001"),
            ),
        ),
        (
            "a return of a return",
            vec![
                sale,
                (RETURN, FEB_1, -500, 0, 0, 0, 0, 0),
                (RETURN, FEB_1, -500, 0, 0, 0, 0, 1),
            ],
            Box::new(
                |e| matches!(e, E::OriginalNotASale { row: 2, original, .. } if original == "5001"),
            ),
        ),
        (
            "a sale naming an original",
            vec![sale, (ORDER, FEB_1, 500, 101, 10_000, 0, 0, 0)],
            Box::new(
                |e| matches!(e, E::UnexpectedOriginal { row: 1, original, .. } if original == "5000"),
            ),
        ),
        (
            "a return before its sale",
            vec![sale, (RETURN, JAN_10 - 1, -500, 0, 0, 0, 0, 0)],
            Box::new(
                |e| matches!(e, E::BeforeOriginal { row: 1, day, original_day, .. } if *day == JAN_10 - 1 && *original_day == JAN_10),
            ),
        ),
        (
            "returns beyond the sale",
            vec![
                sale,
                (RETURN, FEB_1, -6_000, 0, 0, 0, 0, 0),
                (RETURN, FEB_1, -6_000, 0, 0, 0, 0, 0),
            ],
            Box::new(|e| {
                matches!(
                    e,
                    E::ExceedsOriginal {
                        row: 2,
                        total: 12_000,
                        original_amount: 10_000,
                        ..
                    }
                )
            }),
        ),
        (
            "a negative sale",
            vec![(ORDER, JAN_10, -500, 101, 10_000, 0, 0, -1)],
            Box::new(|e| {
                matches!(
                    e,
                    E::WrongSign {
                        row: 0,
                        amount: -500,
                        ..
                    }
                )
            }),
        ),
        (
            "a positive return",
            vec![sale, (RETURN, FEB_1, 500, 0, 0, 0, 0, 0)],
            Box::new(|e| {
                matches!(
                    e,
                    E::WrongSign {
                        row: 1,
                        amount: 500,
                        ..
                    }
                )
            }),
        ),
        (
            "a payment",
            vec![sale, (TransactionKind::Payment, FEB_1, 500, 0, 0, 0, 0, 0)],
            Box::new(|e| {
                matches!(
                    e,
                    E::UnsupportedKind {
                        row: 1,
                        kind: TransactionKind::Payment,
                        ..
                    }
                )
            }),
        ),
        (
            "a total beyond an i64",
            vec![
                (ORDER, JAN_10, i64::MAX, 101, 10_000, 0, 0, -1),
                (ORDER, JAN_10, 1, 101, 10_000, 0, 0, -1),
            ],
            Box::new(|e| matches!(e, E::Overflow { position, .. } if position == "101")),
        ),
        // A day past chrono's range is named wherever it is: alone, beside
        // a sale of 2025, or as a return's day.
        (
            "a sale's day that is not a date",
            vec![(ORDER, i32::MAX, 500, 101, 10_000, 0, 0, -1)],
            Box::new(|e| {
                matches!(
                    e,
                    E::DayOutOfRange {
                        row: 0,
                        day: i32::MAX
                    }
                )
            }),
        ),
        (
            "a day that is not a date beside a sale of 2025",
            vec![sale, (ORDER, i32::MAX, 500, 101, 10_000, 0, 0, -1)],
            Box::new(|e| {
                matches!(
                    e,
                    E::DayOutOfRange {
                        row: 1,
                        day: i32::MAX
                    }
                )
            }),
        ),
        (
            "a return's day that is not a date",
            vec![sale, (RETURN, i32::MIN, -500, 0, 0, 0, 0, 0)],
            Box::new(|e| {
                matches!(
                    e,
                    E::DayOutOfRange {
                        row: 1,
                        day: i32::MIN
                    }
                )
            }),
        ),
    ];
    for (case, rows, expected) in cases {
        let err = credit(&rows, &usd(), &year()).expect_err(case);
        assert!(expected(&err), "{case}: {err:?}");
        assert!(!err.to_string().is_empty());
    }
}

#[test]
fn bad_columns_periods_and_plans_are_refused() {
    // A column of another length.
    let org = org();
    let plan = usd();
    let feed = TransactionColumns::new(&[1_u64, 2], &[ORDER, ORDER], &[JAN_10, JAN_10], &[100])
        .owner(&[101_u64, 101], &[10_000, 10_000], &0);
    let err = Crediting::new(&org, &plan)
        .totals_from_columns(&feed, &year())
        .unwrap_err();
    assert_eq!(
        err,
        CreditColumnsError::ColumnLength {
            column: "amounts".to_owned(),
            expected: 2,
            found: 1
        }
    );
    // Overlapping periods.
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let sale = [(ORDER, JAN_10, 10_000, 101, 10_000, 0, 0, -1)];
    let err = credit(&sale, &usd(), &[q1, q1]).unwrap_err();
    assert!(matches!(err, CreditColumnsError::Periods { .. }), "{err:?}");
    // A plan the columns are not credited under.
    let invoice = usd().timing(CreditTiming::Invoice);
    let err = credit(&sale, &invoice, &year()).unwrap_err();
    assert!(
        matches!(err, CreditColumnsError::Unsupported { .. }),
        "{err:?}"
    );
    // Text ids: the unknown one is named as given.
    let plan = usd();
    let feed = TransactionColumns::new(
        &["SO-1", "SO-2"],
        &[ORDER, ORDER],
        &[JAN_10, JAN_10],
        &[100, 200],
    )
    .owner(&["101", "rep-9"], &[10_000, 10_000], &"");
    let err = Crediting::new(&org, &plan)
        .totals_from_columns(&feed, &year())
        .unwrap_err();
    assert!(
        matches!(&err, CreditColumnsError::UnknownPosition { row: 1, transaction, position } if transaction == "SO-2" && position == "rep-9"),
        "{err:?}"
    );
}
