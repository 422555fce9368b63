//! Crediting from columns agrees to the cent with crediting
//! `Transaction`s (`Crediting::totals`): every position's and person's
//! direct and roll-up credit per quarter, on random orgs that change
//! during the year (a line moved, a rep changing seats) and random feeds
//! of split sales, partial and full returns and refunds, on one thread or
//! two.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::calendar::DateRange;
use salesplan::credit::{
    CreditBasis, CreditColumnTotals, CreditPlan, CreditTotals, Crediting, Owner, Transaction,
    TransactionColumns, TransactionKind,
};
use salesplan::money::Percent;
use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
use salesplan::{Currency, Execution, Money, Period, PersonId, PositionId};

use crate::common::date;
use crate::support::credit::{account, tid};

/// An org: parents (node 0 the top), which seats are held, a line moved
/// and a rep moving seats during the year.
#[derive(Debug, Clone)]
struct Shape {
    parents: Vec<usize>,
    held: Vec<bool>,
    /// (node, new parent, day): the node reports to the new parent from
    /// that day.
    moved_line: Option<(usize, usize, u64)>,
    /// (from, to, day): the holder of `from` holds `to` from that day.
    moved_rep: Option<(usize, usize, u64)>,
}

fn shape() -> impl Strategy<Value = Shape> {
    (2_usize..9)
        .prop_flat_map(|n| {
            (
                proptest::collection::vec(any::<prop::sample::Index>(), n),
                proptest::collection::vec(any::<bool>(), n),
                (
                    any::<prop::sample::Index>(),
                    any::<prop::sample::Index>(),
                    1_u64..360,
                    any::<bool>(),
                ),
                (
                    any::<prop::sample::Index>(),
                    any::<prop::sample::Index>(),
                    1_u64..360,
                    any::<bool>(),
                ),
            )
        })
        .prop_map(|(parents, held, line, rep)| {
            let n = parents.len();
            let parents: Vec<usize> = parents
                .iter()
                .enumerate()
                .map(|(i, p)| if i == 0 { 0 } else { p.index(i) })
                .collect();
            let mut held = held;
            held[0] = true;
            // A line moved: node c (not the top) to an earlier node.
            let c = line.0.index(n - 1) + 1;
            let moved_line = line.3.then(|| (c, line.1.index(c), line.2));
            // A rep moved to a vacant seat.
            let (from, to) = (rep.0.index(n), rep.1.index(n));
            let moved_rep =
                (rep.3 && held[from] && !held[to] && from != to).then_some((from, to, rep.2));
            Shape {
                parents,
                held,
                moved_line,
                moved_rep,
            }
        })
}

fn pid(i: usize) -> PositionId {
    PositionId::from(100 + i as u64)
}

fn person(i: usize) -> PersonId {
    PersonId::new(&format!("h{i}")).unwrap()
}

fn day(offset: u64) -> NaiveDate {
    date(2025, 1, 1) + Days::new(offset)
}

impl Shape {
    fn org(&self) -> Org {
        let start = date(2025, 1, 1);
        let always = DateRange::starting(start);
        let mut b = Org::builder();
        for i in 0..self.parents.len() {
            b = b.position(Position::new(
                pid(i),
                if i == 0 {
                    Role::Executive
                } else {
                    Role::SalesRep
                },
            ));
            let line = |from: NaiveDate, until: Option<NaiveDate>, parent: usize| {
                let range = DateRange::new(from, until).unwrap();
                if i == 0 {
                    ReportingLine::top(pid(0), range)
                } else {
                    ReportingLine::new(pid(i), pid(parent), range)
                }
            };
            match self.moved_line {
                Some((c, p, d)) if c == i => {
                    b = b
                        .line(line(start, Some(day(d)), self.parents[i]))
                        .line(line(day(d), None, p));
                }
                _ => b = b.line(line(start, None, self.parents[i])),
            }
            if self.held[i] {
                match self.moved_rep {
                    Some((from, to, d)) if from == i => {
                        b = b
                            .assignment(Assignment::new(
                                person(i),
                                pid(i),
                                DateRange::new(start, Some(day(d))).unwrap(),
                            ))
                            .assignment(Assignment::new(
                                person(i),
                                pid(to),
                                DateRange::starting(day(d)),
                            ));
                    }
                    _ => b = b.assignment(Assignment::new(person(i), pid(i), always)),
                }
            }
        }
        b.build().unwrap()
    }
}

/// One row of the feed.
#[derive(Debug, Clone)]
struct Row {
    kind: TransactionKind,
    day: u64,
    cents: i64,
    /// (node, basis points); empty for a return of a sale.
    owners: Vec<(usize, i32)>,
    original: Option<usize>,
}

/// Sales (1 to 3 owners), returns of them (partial or full, on the same
/// day or later, maybe in a later quarter or after the year) and refunds.
fn feed(nodes: usize) -> impl Strategy<Value = Vec<Row>> {
    let sale = (
        proptest::sample::subsequence((0..nodes).collect::<Vec<_>>(), 1..=nodes.min(3)),
        proptest::collection::vec(1_i32..100, 3),
        0_i64..2_000_000,
        0_u64..380,
        proptest::collection::vec((0_u64..200, 0_i64..4), 0..3),
        any::<bool>(),
    );
    proptest::collection::vec(sale, 1..12).prop_map(|sales| {
        let mut rows = Vec::new();
        let mut later = Vec::new();
        for (owners, weights, cents, d, returns, refund) in sales {
            let sum: i32 = weights.iter().take(owners.len()).sum();
            let mut bps: Vec<i32> = weights
                .iter()
                .take(owners.len())
                .map(|w| w * 10_000 / sum)
                .collect();
            let given: i32 = bps.iter().sum();
            bps[0] += 10_000 - given;
            let owners: Vec<(usize, i32)> = owners.into_iter().zip(bps).collect();
            if refund {
                rows.push(Row {
                    kind: TransactionKind::CreditNote,
                    day: d,
                    cents: -cents / 7,
                    owners,
                    original: None,
                });
                continue;
            }
            let at = rows.len();
            rows.push(Row {
                kind: TransactionKind::Order,
                day: d,
                cents,
                owners,
                original: None,
            });
            let mut left = cents;
            for (wait, part) in returns {
                // A quarter, a half, all that is left, or nothing.
                let r = match part {
                    0 => left / 4,
                    1 => left / 2,
                    2 => left,
                    _ => 0,
                };
                left -= r;
                later.push(Row {
                    kind: TransactionKind::Return,
                    day: d + wait,
                    cents: -r,
                    owners: Vec::new(),
                    original: Some(at),
                });
            }
        }
        rows.extend(later);
        rows
    })
}

fn quarters() -> Vec<Period> {
    (0..4)
        .map(|q| {
            Period::new(
                date(2025, 1 + 3 * q, 1),
                if q == 3 {
                    date(2026, 1, 1)
                } else {
                    date(2025, 4 + 3 * q, 1)
                },
            )
            .unwrap()
        })
        .collect()
}

fn transactions(rows: &[Row]) -> Vec<Transaction> {
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let t = Transaction::new(
                tid(&format!("T{i}")),
                r.kind,
                day(r.day),
                account("A"),
                Money::from_minor(r.cents.into(), Currency::USD).unwrap(),
            );
            match r.original {
                Some(o) => t.with_original(tid(&format!("T{o}"))),
                None => t.with_owners(
                    r.owners
                        .iter()
                        .map(|(n, bp)| {
                            Owner::new(
                                pid(*n),
                                Percent::from_points(Decimal::new(i64::from(*bp), 2)).unwrap(),
                            )
                        })
                        .collect(),
                ),
            }
        })
        .collect()
}

/// The rows as columns (integer ids, 3 owner columns, 0 for nobody), credited.
fn by_columns(org: &Org, rows: &[Row], execution: Execution) -> CreditColumnTotals {
    let ids: Vec<u64> = (0..rows.len() as u64).map(|i| 9000 + i).collect();
    let kinds: Vec<TransactionKind> = rows.iter().map(|r| r.kind).collect();
    let days: Vec<i32> = rows
        .iter()
        .map(|r| (day(r.day) - NaiveDate::default()).num_days() as i32)
        .collect();
    let cents: Vec<i64> = rows.iter().map(|r| r.cents).collect();
    let originals: Vec<i64> = rows
        .iter()
        .map(|r| r.original.map_or(-1, |o| o as i64))
        .collect();
    let owner = |k: usize| -> (Vec<u64>, Vec<i32>) {
        rows.iter()
            .map(|r| {
                r.owners
                    .get(k)
                    .map_or((0, 0), |(n, bp)| (100 + *n as u64, *bp))
            })
            .unzip()
    };
    let (o1, o2, o3) = (owner(0), owner(1), owner(2));
    let feed = TransactionColumns::new(&ids, &kinds, &days, &cents)
        .owner(&o1.0, &o1.1, &0)
        .owner(&o2.0, &o2.1, &0)
        .owner(&o3.0, &o3.1, &0)
        .originals(&originals);
    let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    Crediting::new(org, &plan)
        .execution(execution)
        .totals_from_columns(&feed, &quarters())
        .unwrap()
}

fn cents(d: Decimal) -> i64 {
    i64::try_from((d * Decimal::ONE_HUNDRED).normalize().mantissa()).unwrap()
}

fn agree(org: &Org, want: &CreditTotals, got: &CreditColumnTotals) -> Result<(), TestCaseError> {
    for q in 0..4 {
        for (i, p) in org.positions().iter().enumerate() {
            let w = want.position(p.id(), q).unwrap();
            prop_assert_eq!(
                got.direct(q).unwrap()[i],
                cents(w.direct()),
                "direct of {} in Q{}",
                p.id(),
                q + 1
            );
            prop_assert_eq!(
                got.roll_up(q).unwrap()[i],
                cents(w.roll_up()),
                "roll-up of {} in Q{}",
                p.id(),
                q + 1
            );
        }
        for (i, who) in org.people().iter().enumerate() {
            let w = want.person(who, q).unwrap();
            prop_assert_eq!(
                got.person_direct(q).unwrap()[i],
                cents(w.direct()),
                "direct of {} in Q{}",
                who,
                q + 1
            );
            prop_assert_eq!(
                got.person_roll_up(q).unwrap()[i],
                cents(w.roll_up()),
                "roll-up of {} in Q{}",
                who,
                q + 1
            );
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn columns_agree_with_transactions_to_the_cent(
        (shape, rows) in shape().prop_flat_map(|s| { let n = s.parents.len(); (Just(s), feed(n)) }),
    ) {
        let org = shape.org();
        let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
        let want = Crediting::new(&org, &plan).totals(&transactions(&rows), &quarters()).unwrap();
        for execution in [Execution::Sequential, Execution::Parallel] {
            let got = by_columns(&org, &rows, execution);
            agree(&org, &want, &got)?;
        }
    }
}
