//! Rollups: unknown positions, foreign currencies, overflow, mixed snapshots.

use salesplan::error::MoneyError;
use salesplan::rollup::{Execution, NodeValues, SumOptions, sum_credits};
use salesplan::{Currency, Money, RollupError};

use crate::common::date;
use crate::support::{RandomTree, pos};

fn chain() -> RandomTree {
    RandomTree {
        parents: vec![None, Some(0), Some(1)],
        order: vec![0, 1, 2],
    }
}

#[test]
fn a_credit_to_a_position_not_in_the_snapshot() {
    let org = chain().org();
    let snapshot = org.as_of(date(2025, 5, 1)).unwrap();
    let credits = vec![(
        pos("nope"),
        date(2025, 5, 1),
        Money::parse("1", Currency::USD).unwrap(),
    )];
    assert_eq!(
        sum_credits(&snapshot, &credits, SumOptions::new(Currency::USD)).unwrap_err(),
        RollupError::UnknownPosition {
            position: pos("nope"),
            date: date(2025, 5, 1)
        }
    );
}

#[test]
fn amounts_in_another_currency_or_below_a_cent() {
    let org = chain().org();
    let snapshot = org.as_of(date(2025, 5, 1)).unwrap();
    let p = RandomTree::id(2);
    let eur = vec![(
        p.clone(),
        date(2025, 5, 1),
        Money::parse("1", Currency::EUR).unwrap(),
    )];
    assert_eq!(
        sum_credits(&snapshot, &eur, SumOptions::new(Currency::USD)).unwrap_err(),
        RollupError::Amount {
            position: p.clone(),
            source: MoneyError::CurrencyMismatch {
                left: Currency::USD,
                right: Currency::EUR
            }
        }
    );
    let fraction = vec![(
        p.clone(),
        date(2025, 5, 1),
        Money::parse("1.005", Currency::USD).unwrap(),
    )];
    assert!(matches!(
        sum_credits(&snapshot, &fraction, SumOptions::new(Currency::USD)).unwrap_err(),
        RollupError::Amount {
            source: MoneyError::NotInMinorUnits { .. },
            ..
        }
    ));
}

#[test]
fn overflow_names_the_position_and_never_wraps() {
    let org = chain().org();
    let snapshot = org.as_of(date(2025, 5, 1)).unwrap();
    let leaf = RandomTree::id(2);
    let mid = RandomTree::id(1);
    let items = [(leaf.clone(), i128::MAX), (mid.clone(), 1)];
    let own = NodeValues::scatter(&snapshot, &items, Execution::Sequential, |(p, v)| {
        Ok(Some((p.clone(), *v)))
    })
    .unwrap();
    assert_eq!(
        own.roll_up().unwrap_err(),
        RollupError::Overflow {
            position: mid.clone()
        }
    );
    let twice = [(leaf.clone(), i128::MAX), (leaf.clone(), 1)];
    assert_eq!(
        NodeValues::scatter(&snapshot, &twice, Execution::Sequential, |(p, v)| Ok(Some(
            (p.clone(), *v)
        )))
        .unwrap_err(),
        RollupError::Overflow { position: leaf }
    );
}

#[test]
fn shards_of_different_snapshots_do_not_merge() {
    let org = chain().org();
    let a = org.as_of(date(2025, 5, 1)).unwrap();
    let b = org.as_of(date(2025, 5, 2)).unwrap();
    let mut x = NodeValues::<u64>::new(&a);
    let y = NodeValues::<u64>::new(&b);
    assert_eq!(
        x.merge(&y).unwrap_err(),
        RollupError::SnapshotMismatch {
            expected: 3,
            found: 3
        }
    );
}

struct Keyed(usize);

impl salesplan::rollup::KeyedCredit for Keyed {
    fn key(&self) -> usize {
        self.0
    }
    fn date(&self) -> chrono::NaiveDate {
        date(2025, 5, 1)
    }
    fn amount(&self) -> Money {
        Money::parse("1", Currency::USD).unwrap()
    }
}

#[test]
fn keyed_credits_outside_the_table_or_the_snapshot() {
    use salesplan::rollup::sum_keyed_credits;
    let org = chain().org();
    let snapshot = org.as_of(date(2025, 5, 1)).unwrap();
    let keys = [RandomTree::id(2), pos("elsewhere")];
    let options = SumOptions::new(Currency::USD);
    assert_eq!(
        sum_keyed_credits(&snapshot, &keys, &[Keyed(0), Keyed(2)], options).unwrap_err(),
        RollupError::UnknownKey { key: 2, keys: 2 }
    );
    assert_eq!(
        sum_keyed_credits(&snapshot, &keys, &[Keyed(0), Keyed(1)], options).unwrap_err(),
        RollupError::UnknownPosition {
            position: pos("elsewhere"),
            date: date(2025, 5, 1)
        }
    );
    // An unused key that is not in the org is no error.
    sum_keyed_credits(&snapshot, &keys, &[Keyed(0)], options).unwrap();
}

#[test]
fn declared_values_must_cover_every_position_and_quotas_share_the_currency() {
    let org = chain().org();
    let snapshot = org.as_of(date(2025, 5, 1)).unwrap();
    assert_eq!(
        NodeValues::from_declared(&snapshot, &[1u64, 2]).unwrap_err(),
        RollupError::SnapshotMismatch {
            expected: 3,
            found: 2
        }
    );
    let totals = sum_credits(
        &snapshot,
        &Vec::<(salesplan::PositionId, chrono::NaiveDate, Money)>::new(),
        SumOptions::new(Currency::USD),
    )
    .unwrap();
    let eur = [Money::zero(Currency::EUR); 3];
    let quotas = NodeValues::from_declared(&snapshot, &eur).unwrap();
    assert_eq!(
        totals
            .attainments(&quotas, Execution::Sequential)
            .unwrap_err(),
        RollupError::Amount {
            position: RandomTree::id(0),
            source: MoneyError::CurrencyMismatch {
                left: Currency::USD,
                right: Currency::EUR
            }
        }
    );
}

#[test]
fn money_totals_of_a_node_of_another_snapshot() {
    let org = chain().org();
    let snapshot = org.as_of(date(2025, 5, 1)).unwrap();
    let totals = sum_credits(
        &snapshot,
        &Vec::<(salesplan::PositionId, chrono::NaiveDate, Money)>::new(),
        SumOptions::new(Currency::USD),
    )
    .unwrap();
    let bigger = RandomTree {
        parents: vec![None, Some(0), Some(1), Some(2)],
        order: vec![0, 1, 2, 3],
    }
    .org();
    let other = bigger.as_of(date(2025, 5, 1)).unwrap();
    let far = other.node(&RandomTree::id(3)).unwrap().index();
    assert_eq!(
        totals.own(far),
        Err(RollupError::NodeOutOfRange { index: 3 })
    );
    assert_eq!(
        totals.subtree(far),
        Err(RollupError::NodeOutOfRange { index: 3 })
    );
    assert_eq!(
        totals.attainment(far, Money::zero(Currency::USD)),
        Err(RollupError::NodeOutOfRange { index: 3 })
    );
}
