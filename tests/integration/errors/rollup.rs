//! Rollups: unknown positions, foreign currencies, overflow, mixed snapshots.

use salesplan::Execution;
use salesplan::error::MoneyError;
use salesplan::rollup::{NodeValues, Scatter, SumOptions, sum_credits};
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
    let own = Scatter::new(&snapshot)
        .execution(Execution::Sequential)
        .run(&items, |(p, v)| Ok(Some((p.clone(), *v))))
        .unwrap();
    assert_eq!(
        own.roll_up().unwrap_err(),
        RollupError::Overflow {
            position: mid.clone()
        }
    );
    let twice = [(leaf.clone(), i128::MAX), (leaf.clone(), 1)];
    assert_eq!(
        Scatter::new(&snapshot)
            .execution(Execution::Sequential)
            .run(&twice, |(p, v)| Ok(Some((p.clone(), *v))))
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
        totals.attainments(&quotas).unwrap_err(),
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
    let foreign = RollupError::ForeignNode { index: 3 };
    assert_eq!(totals.own(far), Err(foreign.clone()));
    assert_eq!(totals.subtree(far), Err(foreign.clone()));
    assert_eq!(
        totals.attainment(far, Money::zero(Currency::USD)),
        Err(foreign)
    );
    assert_eq!(totals.subtree_minor(far), None);
    // An index in range, of a snapshot of the same org on the same day: it
    // still names nothing here, rather than whichever node has its number.
    let again = org.as_of(date(2025, 5, 1)).unwrap();
    let root = again.root().index();
    assert_eq!(root.index(), 0);
    assert_eq!(
        totals.subtree(root),
        Err(RollupError::ForeignNode { index: 0 })
    );
    assert_eq!(
        totals.subtree(root).unwrap_err().to_string(),
        "node 0 belongs to another snapshot"
    );
    assert!(snapshot.node_at(root).is_none());
    let own = NodeValues::<u64>::new(&snapshot);
    assert_eq!(own.get(root), None);
    assert_eq!(own.roll_up().unwrap().get(root), None);
    // By node or by position id, in this snapshot: found.
    assert_eq!(
        totals.subtree(snapshot.root()),
        Ok(Money::zero(Currency::USD))
    );
    assert_eq!(
        totals.subtree(snapshot.root().id()),
        Ok(Money::zero(Currency::USD))
    );
    let nobody = salesplan::PositionId::new("nobody").unwrap();
    assert!(matches!(
        totals.own(&nobody),
        Err(RollupError::UnknownPosition { .. })
    ));
}

/// A row of a dictionary-encoded feed, with any amount.
struct Row {
    key: usize,
    amount: Money,
}

impl salesplan::rollup::KeyedCredit for Row {
    fn key(&self) -> usize {
        self.key
    }
    fn date(&self) -> chrono::NaiveDate {
        date(2025, 5, 1)
    }
    fn amount(&self) -> Money {
        self.amount
    }
}

proptest::proptest! {
    /// A keyed feed with faults in it (a key beyond the table, a key whose
    /// position is not in the org, even for a zero amount, an amount in
    /// another currency or below a cent) reports the first faulty row, in
    /// input order, as that row alone would; a clean feed, with amounts
    /// beyond 64 bits too, gives the totals of the same rows carrying
    /// their ids.
    #[test]
    fn keyed_feeds_report_their_first_fault(
        rows in proptest::collection::vec((0_u8..120, -1_000_000_i64..1_000_000), 0..60),
        pad in proptest::bool::weighted(0.2),
    ) {
        use salesplan::rollup::sum_keyed_credits;
        let org = chain().org();
        let snapshot = org.as_of(date(2025, 5, 1)).unwrap();
        let keys = [RandomTree::id(0), RandomTree::id(1), RandomTree::id(2), pos("elsewhere")];
        let usd = |minor: i128| Money::from_minor(minor, Currency::USD).unwrap();
        let padding = if pad { 5_000 } else { 0 };
        let mut feed: Vec<Row> = (0..padding).map(|i| Row { key: i % 3, amount: usd(1) }).collect();
        feed.extend(rows.iter().map(|&(kind, cents)| match kind {
            0 => Row { key: 4, amount: usd(cents.into()) },
            1 => Row { key: 3, amount: usd(cents.into()) },
            2 => Row { key: 3, amount: usd(0) },
            3 => Row { key: 1, amount: Money::from_minor(cents.into(), Currency::EUR).unwrap() },
            4 => Row { key: 2, amount: Money::parse("0.001", Currency::USD).unwrap() },
            5 => Row { key: 0, amount: usd(i128::from(cents) << 70) },
            k => Row { key: usize::from(k) % 3, amount: usd(cents.into()) },
        }));
        let alone = |row: &Row| {
            sum_keyed_credits(&snapshot, &keys, std::slice::from_ref(row), SumOptions::new(Currency::USD)).err()
        };
        let first_fault = feed.iter().find_map(alone);
        let by_id: Vec<_> = feed
            .iter()
            .map(|r| (keys.get(r.key).cloned().unwrap_or_else(|| pos("beyond")), date(2025, 5, 1), r.amount))
            .collect();
        for execution in [Execution::Sequential, Execution::Parallel] {
            let options = SumOptions::new(Currency::USD).execution(execution);
            match (sum_keyed_credits(&snapshot, &keys, &feed, options), &first_fault) {
                (Err(got), Some(want)) => proptest::prop_assert_eq!(&got, want),
                (Ok(got), None) => {
                    let want = sum_credits(&snapshot, &by_id, options).unwrap();
                    for node in snapshot.nodes() {
                        proptest::prop_assert_eq!(got.own(node.index()), want.own(node.index()));
                        proptest::prop_assert_eq!(got.subtree(node.index()), want.subtree(node.index()));
                    }
                }
                (got, want) => proptest::prop_assert!(false, "got {:?}, want {:?}", got.err(), want),
            }
        }
    }
}
