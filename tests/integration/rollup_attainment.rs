//! `MoneyRollup::attainments_minor` on orgs of a few thousand positions
//! (its quotas are gathered a block of nodes at a time, so these cross
//! several blocks and cut them across threads), against the plain
//! reference: each node's naive subtree total divided by its quota with
//! `Decimal::checked_div`, digit for digit and scale for scale, and
//! "no target" for a zero quota.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::money::{Attainment, Money};
use salesplan::org::{OrgColumns, Role};
use salesplan::rollup::{AmountColumn, CreditColumns, SumOptions, sum_credit_columns};
use salesplan::{Currency, Execution};

/// The "no manager" marker.
const TOP: i64 = -1;

/// A random tree: row `i` (id `1000 + 7i`) reports to an earlier row, the
/// rows then shuffled so that they are in no tree order.
fn tree() -> impl Strategy<Value = (Vec<i64>, Vec<i64>)> {
    (1500usize..3500).prop_flat_map(|n| {
        (
            prop::collection::vec(any::<prop::sample::Index>(), n),
            Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
        )
            .prop_map(|(up, order)| {
                let id = |i: usize| 1000 + 7 * i64::try_from(i).unwrap();
                let parent = |i: usize| if i == 0 { TOP } else { id(up[i].index(i)) };
                (
                    order.iter().map(|&i| id(i)).collect(),
                    order.iter().map(|&i| parent(i)).collect(),
                )
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn attainments_minor_equal_decimal_division(
        (ids, parents) in tree(),
        credits in prop::collection::vec((any::<prop::sample::Index>(), -50_000i64..2_000_000), 1..4000),
        quotas in prop::collection::vec(prop_oneof![Just(0i64), 1i64..10, 1i64..5_000_000, 1i64..1_000_000_000_000, -1_000_000i64..0], 3500),
    ) {
        let roles = vec![Role::SalesRep; ids.len()];
        let org = OrgColumns::new(&ids, &parents, &TOP, &roles).build().unwrap();
        let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()).unwrap();
        let reps: Vec<i64> = credits.iter().map(|c| ids[c.0.index(ids.len())]).collect();
        let cents: Vec<i64> = credits.iter().map(|c| c.1).collect();
        let quotas = &quotas[..ids.len()];
        // Naive subtree totals by row.
        let row_of: std::collections::HashMap<i64, usize> = ids.iter().enumerate().map(|(r, id)| (*id, r)).collect();
        let mut total = vec![0i128; ids.len()];
        for (rep, c) in reps.iter().zip(&cents) {
            let mut at = *rep;
            while at != TOP {
                let r = row_of[&at];
                total[r] += i128::from(*c);
                at = parents[r];
            }
        }
        let mut results = Vec::new();
        for execution in [Execution::Sequential, Execution::Parallel] {
            let options = SumOptions::new(Currency::USD).execution(execution);
            let totals = sum_credit_columns(&snapshot, CreditColumns::new(&reps, AmountColumn::Minor(&cents)), options).unwrap();
            let att = totals.attainments_minor(quotas).unwrap();
            prop_assert_eq!(att.len(), snapshot.len());
            for node in snapshot.nodes() {
                let r = node.declared_index();
                let (t, q) = (total[r], i128::from(quotas[r]));
                let got = &att[node.index().index()];
                if q == 0 {
                    prop_assert_eq!(got, &Attainment::ZeroTarget { actual: Money::from_minor(t, Currency::USD).unwrap() });
                } else {
                    let want = Decimal::from_i128_with_scale(t, 0).checked_div(Decimal::from_i128_with_scale(q, 0)).unwrap();
                    let ratio = got.ratio().unwrap();
                    prop_assert_eq!(ratio, want);
                    prop_assert_eq!(ratio.serialize(), want.serialize(), "{} / {}", t, q);
                }
            }
            results.push(att);
        }
        prop_assert_eq!(&results[0], &results[1]);
    }
}
