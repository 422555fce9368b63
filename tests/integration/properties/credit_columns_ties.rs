//! Crediting from integer columns splits a sale among equal shares as the
//! rules say: the minor unit left over goes to the position declared
//! first, whatever the order of the owner columns and of the ids. The
//! reference here is a plain computation: largest remainders, ties by
//! declaration row, returns credited cumulatively (split of what is left
//! less split of the sale), on one thread and two.

use proptest::prelude::*;
use salesplan::credit::{CreditBasis, CreditPlan, Crediting, TransactionColumns, TransactionKind};
use salesplan::org::{OrgColumns, Role};
use salesplan::{Currency, Execution, Period};

use crate::common::date;

/// Rep ids in declaration order (rows 1..): neither sorted nor the
/// columns' order.
const REPS: [i64; 5] = [50, 20, 40, 10, 30];
/// A row of the feed: kind, day, cents, owners (id, share), original row.
type Row = (TransactionKind, i32, i64, Vec<(i64, i32)>, i64);
/// 2025-01-01, from 1970-01-01.
const JAN_1: i32 = 20_089;

/// One sale: its owners (indexes into `REPS`, in column order), an odd
/// amount, a day of 2025, and the part returned later (0: none).
#[derive(Debug, Clone)]
struct Sale {
    owners: Vec<usize>,
    cents: i64,
    day: i32,
    returned: i64,
}

fn sales() -> impl Strategy<Value = Vec<Sale>> {
    let sale = (
        prop::sample::subsequence((0..REPS.len()).collect::<Vec<_>>(), 2..=3).prop_shuffle(),
        0_i64..5_000,
        0_i32..365,
        0_i64..3,
    );
    prop::collection::vec(sale, 1..25).prop_map(|sales| {
        sales
            .into_iter()
            .map(|(owners, half, day, part)| {
                let cents = 2 * half + 1;
                Sale {
                    owners,
                    cents,
                    day,
                    returned: [0, cents / 3, cents][part as usize],
                }
            })
            .collect()
    })
}

/// Equal shares in basis points: the first column takes the odd one.
fn shares(n: usize) -> Vec<i32> {
    let each = 10_000 / n as i32;
    let mut s = vec![each; n];
    s[0] += 10_000 - each * n as i32;
    s
}

/// `cents` split by `shares` over owners declared at `rows`.
fn split(cents: i64, shares: &[i32], rows: &[usize]) -> Vec<i64> {
    let exact: Vec<i64> = shares.iter().map(|s| cents * i64::from(*s)).collect();
    let mut parts: Vec<i64> = exact.iter().map(|e| e / 10_000).collect();
    let left = cents - parts.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by_key(|&k| (std::cmp::Reverse(exact[k] % 10_000), rows[k]));
    for &k in order.iter().take(left as usize) {
        parts[k] += 1;
    }
    parts
}

fn quarter(day: i32) -> usize {
    let bounds = [JAN_1 + 90, JAN_1 + 181, JAN_1 + 273];
    bounds.iter().filter(|b| day >= **b).count()
}

/// Every rep's direct credit per quarter, `[quarter][declaration row]`.
fn reference(sales: &[Sale]) -> Vec<Vec<i64>> {
    let mut direct = vec![vec![0_i64; REPS.len() + 1]; 4];
    for s in sales {
        let rows: Vec<usize> = s.owners.iter().map(|o| o + 1).collect();
        let shares = shares(s.owners.len());
        let sold = split(s.cents, &shares, &rows);
        for (row, part) in rows.iter().zip(&sold) {
            direct[quarter(JAN_1 + s.day)][*row] += part;
        }
        if s.returned > 0 {
            let left = split(s.cents - s.returned, &shares, &rows);
            for ((row, now), before) in rows.iter().zip(&left).zip(&sold) {
                direct[quarter(JAN_1 + s.day)][*row] += now - before;
            }
        }
    }
    direct
}

fn credited(sales: &[Sale], execution: Execution) -> Vec<Vec<i64>> {
    let mut ids: Vec<i64> = vec![1];
    ids.extend(REPS);
    let parents: Vec<i64> = ids.iter().map(|i| if *i == 1 { -1 } else { 1 }).collect();
    let mut roles = vec![Role::TeamLead];
    roles.extend(REPS.map(|_| Role::SalesRep));
    let org = OrgColumns::new(&ids, &parents, &-1, &roles)
        .build()
        .unwrap();
    // The sales, then their returns (on the sale's day), as columns.
    let mut rows: Vec<Row> = Vec::new();
    for s in sales {
        let owners = s
            .owners
            .iter()
            .map(|o| REPS[*o])
            .zip(shares(s.owners.len()));
        rows.push((
            TransactionKind::Order,
            JAN_1 + s.day,
            s.cents,
            owners.collect(),
            -1,
        ));
    }
    for (at, s) in sales.iter().enumerate() {
        if s.returned > 0 {
            rows.push((
                TransactionKind::Return,
                JAN_1 + s.day,
                -s.returned,
                Vec::new(),
                at as i64,
            ));
        }
    }
    let tx: Vec<i64> = (0..rows.len() as i64).map(|i| 7_000 + i).collect();
    let kinds: Vec<TransactionKind> = rows.iter().map(|r| r.0).collect();
    let days: Vec<i32> = rows.iter().map(|r| r.1).collect();
    let cents: Vec<i64> = rows.iter().map(|r| r.2).collect();
    let originals: Vec<i64> = rows.iter().map(|r| r.4).collect();
    let owner = |k: usize| -> (Vec<i64>, Vec<i32>) {
        rows.iter()
            .map(|r| r.3.get(k).copied().unwrap_or((-1, 0)))
            .unzip()
    };
    let (o1, o2, o3) = (owner(0), owner(1), owner(2));
    let feed = TransactionColumns::new(&tx, &kinds, &days, &cents)
        .owner(&o1.0, &o1.1, &-1)
        .owner(&o2.0, &o2.1, &-1)
        .owner(&o3.0, &o3.1, &-1)
        .originals(&originals);
    let quarters: Vec<Period> = [(1, 4), (4, 7), (7, 10)]
        .iter()
        .map(|&(a, b)| Period::new(date(2025, a, 1), date(2025, b, 1)).unwrap())
        .chain([Period::new(date(2025, 10, 1), date(2026, 1, 1)).unwrap()])
        .collect();
    let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    let totals = Crediting::new(&org, &plan)
        .execution(execution)
        .totals_from_columns(&feed, &quarters)
        .unwrap();
    (0..4).map(|q| totals.direct(q).unwrap().to_vec()).collect()
}

proptest! {
    #[test]
    fn equal_shares_leave_the_odd_cent_to_the_position_declared_first(sales in sales()) {
        let want = reference(&sales);
        for execution in [Execution::Sequential, Execution::Parallel] {
            prop_assert_eq!(credited(&sales, execution), want.clone());
        }
    }
}
