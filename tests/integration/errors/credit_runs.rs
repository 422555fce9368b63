//! Credit lines and runs handed in from outside (a CRM that credits on
//! its own, or a stored run): every check `Crediting::run` makes of its own
//! runs, each bad input refused with its variant and the ids and values it
//! names (issue #27: a `CreditRun` from JSON was not validated).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use salesplan::credit::{CreditBasis, CreditKind, CreditLine, CreditRule, CreditRun};
use salesplan::{CreditError, Currency, PersonId, PositionId, TransactionId};

use crate::common::{date, dec};

fn line(position: &str, tx: &str, rule: CreditRule, amount: &str, day: NaiveDate) -> CreditLine {
    CreditLine::new(
        PositionId::new(position).unwrap(),
        TransactionId::new(tx).unwrap(),
        rule,
        dec(amount),
        day,
    )
    .with_person(PersonId::new("ana").unwrap())
}

fn owner() -> CreditRule {
    CreditRule::Owner {
        share: "100%".parse().unwrap(),
    }
}

fn roll_up(from: &str) -> CreditRule {
    CreditRule::RollUp {
        from: PositionId::new(from).unwrap(),
    }
}

fn tid(s: &str) -> TransactionId {
    TransactionId::new(s).unwrap()
}

fn pid(s: &str) -> PositionId {
    PositionId::new(s).unwrap()
}

fn revenue(lines: Vec<CreditLine>) -> Result<CreditRun, CreditError> {
    CreditRun::from_lines(CreditBasis::Revenue, Currency::USD, lines)
}

#[test]
fn lines_that_do_not_hold_together_are_refused_naming_them() {
    let d = date(2025, 3, 14);
    let cases: Vec<(Vec<CreditLine>, CreditError)> = vec![
        // More decimals than the currency keeps.
        (
            vec![line("r1", "SO-1", owner(), "1000.001", d)],
            CreditError::Precision {
                transaction: tid("SO-1"),
                field: "amount".into(),
                value: dec("1000.001"),
                places: 2,
            },
        ),
        // A roll-up from the position itself.
        (
            vec![line("lead", "SO-1", roll_up("lead"), "10", d)],
            CreditError::LineRule {
                transaction: tid("SO-1"),
                position: pid("lead"),
                kind: CreditKind::RollUp,
                rule: roll_up("lead"),
            },
        ),
        // An org date (the sale's booking) after the credit date.
        (
            vec![
                line("r1", "CN-1", owner(), "-10", date(2025, 3, 1))
                    .with_sale(tid("SO-1"), date(2025, 3, 14)),
            ],
            CreditError::LineDates {
                transaction: tid("CN-1"),
                position: pid("r1"),
                as_of: date(2025, 3, 14),
                date: date(2025, 3, 1),
            },
        ),
        // Two lines of one sale with two booking dates.
        (
            vec![
                line("r1", "SO-1", owner(), "100", d),
                line("r1", "CN-1", owner(), "-10", date(2025, 4, 1))
                    .with_sale(tid("SO-1"), date(2025, 3, 20)),
            ],
            CreditError::SaleDates {
                sale: tid("SO-1"),
                first: d,
                second: date(2025, 3, 20),
            },
        ),
        // One credit given twice (a join that doubled a row).
        (
            vec![
                line("r1", "SO-1", owner(), "100", d),
                line("r2", "SO-1", owner(), "50", d),
                line("r1", "SO-1", owner(), "100", d),
            ],
            CreditError::DuplicateLine {
                transaction: tid("SO-1"),
                position: pid("r1"),
                kind: CreditKind::Direct,
                date: d,
            },
        ),
    ];
    for (lines, expected) in cases {
        assert_eq!(revenue(lines).unwrap_err(), expected);
    }
    // A manager credited from two reps below on one deal is two credits,
    // not one twice.
    let run = revenue(vec![
        line("lead", "SO-1", roll_up("r1"), "60", d),
        line("lead", "SO-1", roll_up("r2"), "40", d),
    ])
    .unwrap();
    assert_eq!(run.lines().len(), 2);
}

#[test]
fn a_runs_scale_is_its_currencys_for_money_and_bounded_for_quantities() {
    let d = date(2025, 3, 14);
    // Quantities keep the most decimals any line has, up to twelve.
    let units = CreditRun::from_lines(
        CreditBasis::Units,
        Currency::USD,
        vec![
            line("r1", "SO-1", owner(), "1.5", d),
            line("r1", "SO-2", owner(), "2.125", d),
        ],
    )
    .unwrap();
    assert_eq!(units.scale(), 3);
    assert_eq!(units.lines()[0].amount().to_string(), "1.500");
    let fine = CreditRun::from_lines(
        CreditBasis::Units,
        Currency::USD,
        vec![line("r1", "SO-1", owner(), "0.0000000000001", d)],
    )
    .unwrap_err();
    assert_eq!(
        fine,
        CreditError::QuantityScale {
            places: 13,
            max: 12
        }
    );
    // Money is written to its minor units.
    let run = revenue(vec![line("r1", "SO-1", owner(), "1000", d)]).unwrap();
    assert_eq!(run.lines()[0].amount(), Decimal::new(100_000, 2));
    assert_eq!(run.lines()[0].amount().to_string(), "1000.00");
}

#[cfg(feature = "serde")]
#[test]
fn a_money_run_read_with_another_scale_is_refused() {
    let err = serde_json::from_str::<CreditRun>(
        r#"{"basis": "margin", "currency": "JPY", "scale": 2, "lines": []}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("a Margin credit run in JPY keeps 0 decimal places, not 2"),
        "{err}"
    );
    let _ = CreditError::RunScale {
        basis: CreditBasis::Margin,
        currency: Currency::JPY,
        scale: 2,
    };
}
