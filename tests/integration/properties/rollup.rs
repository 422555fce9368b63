//! Rollups: every subtree total equals the naive sum over its descendants;
//! shards merge; order and parallelism change nothing.

use proptest::prelude::*;
use salesplan::Execution;
use salesplan::rollup::{NodeValues, Scatter, SumOptions, sum_credits};
use salesplan::{Currency, Money, PositionId};

use crate::common::date;
use crate::support::{RandomTree, random_tree};

fn credits_strategy(max_nodes: usize) -> impl Strategy<Value = Vec<(usize, i64, u32)>> {
    proptest::collection::vec((0..max_nodes, -1_000_000i64..5_000_000, 0u32..365), 0..400)
}

fn to_credits(
    tree: &RandomTree,
    raw: &[(usize, i64, u32)],
) -> Vec<(PositionId, chrono::NaiveDate, Money)> {
    let n = tree.parents.len();
    raw.iter()
        .map(|(i, cents, day)| {
            (
                RandomTree::id(i % n),
                date(2025, 1, 1)
                    .checked_add_days(chrono::Days::new(u64::from(*day)))
                    .unwrap(),
                Money::from_minor(i128::from(*cents), Currency::USD).unwrap(),
            )
        })
        .collect()
}

proptest! {
    #[test]
    fn subtree_totals_equal_naive_sums_over_descendants(tree in random_tree(3000), raw in credits_strategy(3000)) {
        let org = tree.org();
        let snapshot = org.as_of(date(2025, 6, 1))?;
        let credits = to_credits(&tree, &raw);
        let q2 = salesplan::Period::new(date(2025, 4, 1), date(2025, 7, 1))?;
        let totals = sum_credits(&snapshot, &credits, SumOptions::new(Currency::USD).period(q2))?;
        let n = tree.parents.len();
        let mut own = vec![0i128; n];
        for ((i, cents, _), (_, d, _)) in raw.iter().zip(&credits) {
            if q2.contains(*d) {
                own[i % n] += i128::from(*cents);
            }
        }
        // Naive: add every node's own total to itself and each ancestor.
        let mut naive_totals = vec![0i128; n];
        for (j, own_j) in own.iter().enumerate() {
            let mut at = Some(j);
            while let Some(x) = at {
                naive_totals[x] += own_j;
                at = tree.parents[x];
            }
        }
        for i in 0..n {
            let naive = naive_totals[i];
            let node = snapshot.node(&RandomTree::id(i)).unwrap().index();
            prop_assert_eq!(totals.subtree(node)?, Money::from_minor(naive, Currency::USD)?);
            prop_assert_eq!(totals.subtree_minor(node), Some(naive));
            prop_assert_eq!(totals.own(node)?, Money::from_minor(own[i], Currency::USD)?);
        }
    }

    #[test]
    fn merged_shards_equal_the_whole(tree in random_tree(500), raw in credits_strategy(500), cut in any::<proptest::sample::Index>()) {
        let org = tree.org();
        let snapshot = org.as_of(date(2025, 6, 1))?;
        let credits = to_credits(&tree, &raw);
        let cut = if credits.is_empty() { 0 } else { cut.index(credits.len() + 1) };
        let (a, b) = credits.split_at(cut);
        let value = |c: &(PositionId, chrono::NaiveDate, Money)| Ok(Some((c.0.clone(), c.2.to_minor().unwrap())));
        let whole = Scatter::new(&snapshot).execution(Execution::Sequential).run(&credits, value)?.roll_up()?;
        // Merge before rolling up...
        let mut left = Scatter::new(&snapshot).execution(Execution::Sequential).run(a, value)?;
        let right = Scatter::new(&snapshot).execution(Execution::Sequential).run(b, value)?;
        left.merge(&right)?;
        let merged_early = left.roll_up()?;
        // ...or after.
        let mut merged_late = Scatter::new(&snapshot).execution(Execution::Sequential).run(a, value)?.roll_up()?;
        merged_late.merge(&Scatter::new(&snapshot).execution(Execution::Sequential).run(b, value)?.roll_up()?)?;
        prop_assert_eq!(whole.into_vec(), merged_early.into_vec());
        let whole = Scatter::new(&snapshot).execution(Execution::Sequential).run(&credits, value)?.roll_up()?;
        prop_assert_eq!(whole.into_vec(), merged_late.into_vec());
    }

    #[test]
    fn totals_do_not_depend_on_input_order(tree in random_tree(500), raw in credits_strategy(500), seed in any::<u64>()) {
        let org = tree.org();
        let snapshot = org.as_of(date(2025, 6, 1))?;
        let credits = to_credits(&tree, &raw);
        let mut shuffled = credits.clone();
        let mut rng = crate::support::generator::Rng::new(seed);
        rng.shuffle(&mut shuffled);
        let mut reordered_tree = tree.clone();
        rng.shuffle(&mut reordered_tree.order);
        let org2 = reordered_tree.org();
        let snapshot2 = org2.as_of(date(2025, 6, 1))?;
        let a = sum_credits(&snapshot, &credits, SumOptions::new(Currency::USD))?;
        let b = sum_credits(&snapshot2, &shuffled, SumOptions::new(Currency::USD))?;
        for x in snapshot.nodes() {
            let y = snapshot2.node(x.id()).unwrap();
            prop_assert_eq!(a.subtree(x.index())?, b.subtree(y.index())?);
        }
    }

    /// Identical with and without parallelism (with the `parallel` feature
    /// the second run really is parallel: more than 4096 credits).
    #[test]
    fn parallel_and_sequential_agree(tree in random_tree(2000), seed in any::<u64>()) {
        let org = tree.org();
        let snapshot = org.as_of(date(2025, 6, 1))?;
        let mut rng = crate::support::generator::Rng::new(seed);
        let raw: Vec<(usize, i64, u32)> = (0..10_000)
            .map(|_| (rng.range(0, 2000) as usize, rng.range(0, 2_000_000) as i64 - 500_000, rng.range(0, 365) as u32))
            .collect();
        let credits = to_credits(&tree, &raw);
        let options = SumOptions::new(Currency::USD);
        let seq = sum_credits(&snapshot, &credits, options.execution(Execution::Sequential))?;
        let par = sum_credits(&snapshot, &credits, options.execution(Execution::Parallel))?;
        for x in snapshot.nodes() {
            prop_assert_eq!(seq.subtree(x.index())?, par.subtree(x.index())?);
            prop_assert_eq!(seq.own(x.index())?, par.own(x.index())?);
        }
    }
}

/// A dictionary-encoded row: a key into a table of position ids.
struct Keyed {
    key: usize,
    day: chrono::NaiveDate,
    amount: Money,
}

impl salesplan::rollup::KeyedCredit for Keyed {
    fn key(&self) -> usize {
        self.key
    }
    fn date(&self) -> chrono::NaiveDate {
        self.day
    }
    fn amount(&self) -> Money {
        self.amount
    }
}

proptest! {
    /// The dictionary-encoded path gives the same totals as rows carrying
    /// their ids, whatever the key table's order and repeats.
    #[test]
    fn keyed_and_id_carrying_credits_agree(tree in random_tree(400), raw in credits_strategy(400), seed in any::<u64>()) {
        use salesplan::rollup::sum_keyed_credits;
        let org = tree.org();
        let snapshot = org.as_of(date(2025, 6, 1))?;
        let credits = to_credits(&tree, &raw);
        // A key table with every position once or twice, shuffled.
        let mut keys: Vec<PositionId> = (0..tree.parents.len()).map(RandomTree::id).collect();
        let mut rng = crate::support::generator::Rng::new(seed);
        let extra = rng.range(0, keys.len() as u64) as usize;
        keys.extend(keys.clone().into_iter().take(extra));
        rng.shuffle(&mut keys);
        let keyed: Vec<Keyed> = credits
            .iter()
            .map(|(p, day, amount)| Keyed { key: keys.iter().position(|k| k == p).unwrap(), day: *day, amount: *amount })
            .collect();
        let q3 = salesplan::Period::new(date(2025, 7, 1), date(2025, 10, 1))?;
        for execution in [Execution::Sequential, Execution::Parallel] {
            let options = SumOptions::new(Currency::USD).period(q3).execution(execution);
            let a = sum_credits(&snapshot, &credits, options)?;
            let b = sum_keyed_credits(&snapshot, &keys, &keyed, options)?;
            for x in snapshot.nodes() {
                prop_assert_eq!(a.subtree(x.index())?, b.subtree(x.index())?);
                prop_assert_eq!(a.own(x.index())?, b.own(x.index())?);
            }
        }
    }

    /// Quotas given in declaration order line up with the nodes, and bulk
    /// attainment equals one-by-one attainment.
    #[test]
    fn declared_values_line_up_and_attainments_match(tree in random_tree(300), raw in credits_strategy(300), zeros in any::<u64>()) {
        let org = tree.org();
        let snapshot = org.as_of(date(2025, 6, 1))?;
        let credits = to_credits(&tree, &raw);
        // Quota of a position: its number in cents, zero for some.
        let quotas: Vec<Money> = org
            .positions()
            .iter()
            .enumerate()
            .map(|(i, _)| Money::from_minor(if zeros >> (i % 64) & 1 == 1 { 0 } else { 1000 + i as i128 }, Currency::USD).unwrap())
            .collect();
        let aligned = NodeValues::from_declared(&snapshot, &quotas)?;
        for execution in [Execution::Sequential, Execution::Parallel] {
            let totals = sum_credits(&snapshot, &credits, SumOptions::new(Currency::USD).execution(execution))?;
            let all = totals.attainments(&aligned)?;
            prop_assert_eq!(all.len(), snapshot.len());
            for (node, a) in snapshot.nodes().zip(&all) {
                let quota = quotas[node.declared_index()];
                prop_assert_eq!(aligned.get(node.index()), Some(&quota));
                prop_assert_eq!(org.positions()[node.declared_index()].id(), node.id());
                prop_assert_eq!(*a, totals.attainment(node.index(), quota)?);
                prop_assert_eq!(a.ratio().is_none(), quota.is_zero());
            }
        }
    }
}
