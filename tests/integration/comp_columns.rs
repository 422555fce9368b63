//! Commissions from credited lines held as columns
//! (`CreditLineColumns`, `Commissions::from_columns`) against the row path
//! (`CreditRun::from_lines`, `Commissions::new`): a property that payouts
//! and explained statements agree exactly, or fail alike; worked examples;
//! and the errors of bad columns.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::comp::{Commissions, CompPlan, PersonInput, Quotas, Statement};
use salesplan::credit::{
    CreditBasis, CreditKind, CreditLine, CreditLineColumns, CreditRule, CreditRun, LineColumnsError,
};
use salesplan::{CompError, Currency, Execution, PersonId, PositionId, TransactionId};

use crate::comp_totals::{Lines, lines, peers_plan, shape};
use crate::support::comp::{builder, d, monthly, quarterly};

pub(crate) fn who(i: usize) -> PersonId {
    PersonId::new(&format!("p{i}")).unwrap()
}

/// Days from 1970-01-01.
fn day(date: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    i32::try_from((date - epoch).num_days()).unwrap()
}

/// One credited line with integer ids: person, transaction, sale, credit
/// date, org date, cents.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    person: usize,
    transaction: u64,
    sale: u64,
    date: NaiveDate,
    as_of: NaiveDate,
    cents: i64,
}

/// `lines`' sales (transactions 100 + k), returns of some of them (200 +
/// k, linked to their sale) and credit notes of their own (300 + k).
pub(crate) fn rows(lines: &Lines) -> Vec<Row> {
    let mut out: Vec<Row> = Vec::new();
    for (k, (i, m, c)) in lines.sales.iter().enumerate() {
        let t = 100 + k as u64;
        out.push(Row {
            person: *i,
            transaction: t,
            sale: t,
            date: d(*m, 10),
            as_of: d(*m, 10),
            cents: *c,
        });
    }
    let mut returned = std::collections::BTreeSet::new();
    for (k, (which, later, percent)) in lines.returns.iter().enumerate() {
        let Some((i, m, c)) = lines.sales.get(*which) else {
            continue;
        };
        let back = c * percent / 100;
        if back == 0 || !returned.insert(*which) {
            continue;
        }
        out.push(Row {
            person: *i,
            transaction: 200 + k as u64,
            sale: 100 + *which as u64,
            date: d((m + later).min(12), 20),
            as_of: d(*m, 10),
            cents: -back,
        });
    }
    for (k, (i, m, c)) in lines.notes.iter().enumerate() {
        let t = 300 + k as u64;
        out.push(Row {
            person: *i,
            transaction: t,
            sale: t,
            date: d(*m, 15),
            as_of: d(*m, 15),
            cents: -c,
        });
    }
    out
}

/// The rows as a run (seat `i` for person `i`, an owner's full share).
pub(crate) fn run_of(rows: &[Row]) -> CreditRun {
    let lines = rows
        .iter()
        .map(|r| {
            let line = CreditLine::new(
                PositionId::from(r.person as u64),
                TransactionId::from(r.transaction),
                CreditRule::Owner {
                    share: "100%".parse().unwrap(),
                },
                Decimal::new(r.cents, 2),
                r.date,
            )
            .with_person(who(r.person));
            if r.sale == r.transaction {
                line
            } else {
                line.with_sale(TransactionId::from(r.sale), r.as_of)
            }
        })
        .collect();
    CreditRun::from_lines(CreditBasis::Revenue, Currency::USD, lines).unwrap()
}

/// The rows as columns of `people` people, grouped with `execution`.
pub(crate) fn columns_of(rows: &[Row], people: usize, execution: Execution) -> CreditLineColumns {
    let keys: Vec<u32> = rows.iter().map(|r| r.person as u32).collect();
    let seats: Vec<u64> = rows.iter().map(|r| r.person as u64).collect();
    let txs: Vec<u64> = rows.iter().map(|r| r.transaction).collect();
    let sales: Vec<u64> = rows.iter().map(|r| r.sale).collect();
    let cents: Vec<i64> = rows.iter().map(|r| r.cents).collect();
    let days: Vec<i32> = rows.iter().map(|r| day(r.date)).collect();
    let booked: Vec<i32> = rows.iter().map(|r| day(r.as_of)).collect();
    CreditLineColumns::builder(CreditBasis::Revenue, Currency::USD, people)
        .person_keys(&keys)
        .positions(&seats)
        .transactions(&txs)
        .sales(&sales, &booked)
        .amounts_minor(&cents)
        .days(&days)
        .execution(execution)
        .build()
        .unwrap()
}

const PEOPLE: usize = 4;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Payouts, every person's explained statements, and one person's on
    /// demand agree exactly between columns and rows, or fail alike: for
    /// random plans of one or two components, lines with returns and
    /// credit notes, quotas, pay-through dates, locked periods, on one
    /// thread or several.
    #[test]
    fn columns_agree_with_rows(
        first in shape(),
        second in prop::option::of(shape()),
        lines in lines(PEOPLE),
        quota in prop_oneof![Just(None), (1u32..40).prop_map(Some)],
        through in 1u32..=12,
        locked_months in 0u32..3,
        parallel in any::<bool>(),
    ) {
        let mut b = builder().component(first.component("Revenue"));
        if let Some(s) = &second {
            b = b.component(s.component("Bonus"));
        }
        let Ok(plan) = b.build() else {
            return Ok(());
        };
        let all = rows(&lines);
        let run = run_of(&all);
        let execution = if parallel { Execution::Parallel } else { Execution::Sequential };
        let columns = columns_of(&all, PEOPLE, execution);
        let quotas = match quota {
            Some(k) => monthly(&(k * 1000).to_string()),
            None => Quotas::new(),
        };
        let ids: Vec<PersonId> = (0..PEOPLE).map(who).collect();
        let through = d(through, 28);
        let by_rows = Commissions::new(&plan, &[&run]).unwrap();
        let by_columns = Commissions::from_columns(&plan, &[&columns]).unwrap().execution(execution);
        // Locked: each person's first months, as paid before the last line.
        let locked_through = d(locked_months.max(1), 28);
        let earlier = run_of(&all[..all.len().saturating_sub(1)]);
        let before = Commissions::new(&plan, &[&earlier]).unwrap();
        let locked: Vec<Vec<Statement>> = ids
            .iter()
            .map(|p| {
                if locked_months == 0 || locked_through > through {
                    return Vec::new();
                }
                before.statements(p, &quotas, &[], locked_through).unwrap_or_default()
            })
            .collect();
        let people: Vec<PersonInput<'_>> = ids
            .iter()
            .zip(&locked)
            .map(|(person, locked)| PersonInput { person, quotas: &quotas, locked })
            .collect();
        prop_assert_eq!(
            by_columns.payouts_from_columns(&people, through),
            by_rows.payouts_for(&people, through)
        );
        prop_assert_eq!(
            by_columns.statements_from_columns(&people, through),
            by_rows.statements_for(&people, through)
        );
        for (i, p) in people.iter().enumerate() {
            prop_assert_eq!(
                by_columns.statements_of_key(i as u32, p, through),
                by_rows.statements(p.person, p.quotas, p.locked, through)
            );
        }
    }
}

/// The peers' plan over a sales force spread over threads: the payouts
/// are the rows' and the statements', to the cent.
#[test]
fn a_sales_force_from_columns() {
    let plan = peers_plan();
    let n = 700;
    let all: Vec<Row> = (0..n * 3)
        .map(|k| Row {
            person: k % n,
            transaction: k as u64,
            sale: k as u64,
            date: d(1 + (k % 4) as u32, 10),
            as_of: d(1 + (k % 4) as u32, 10),
            cents: 100_000 * (k as i64 % 17),
        })
        .collect();
    let run = run_of(&all);
    let columns = columns_of(&all, n, Execution::Sequential);
    let halves = columns_of(&all, n, Execution::Parallel);
    let quotas = quarterly("5000");
    let ids: Vec<PersonId> = (0..n).map(who).collect();
    let people: Vec<PersonInput<'_>> = ids
        .iter()
        .map(|person| PersonInput {
            person,
            quotas: &quotas,
            locked: &[],
        })
        .collect();
    let by_rows = Commissions::new(&plan, &[&run]).unwrap();
    for (execution, columns) in [
        (Execution::Sequential, &columns),
        (Execution::Parallel, &halves),
    ] {
        assert_eq!(columns.lines_of(0), 3);
        let by_columns = Commissions::from_columns(&plan, &[columns])
            .unwrap()
            .execution(execution);
        let payouts = by_columns.payouts_from_columns(&people, d(6, 30)).unwrap();
        assert_eq!(payouts, by_rows.payouts_for(&people, d(6, 30)).unwrap());
        assert_eq!(
            by_columns
                .statements_from_columns(&people, d(6, 30))
                .unwrap(),
            by_rows.statements_for(&people, d(6, 30)).unwrap()
        );
    }
}

/// Worked examples on the peers' plan (quota 10,000 a quarter): each
/// person's Q1 pay from their lines (person, cents), all in February.
#[test]
fn worked_examples() {
    // name, lines (person key, cents), each person's pay.
    type Case = (&'static str, &'static [(u32, i64)], &'static [&'static str]);
    let cases: &[Case] = &[
        ("under quota: 5% of 8,000", &[(0, 800_000)], &["400.00"]),
        (
            "three tiers: 20,000 is 500 + 400 + 600",
            &[(0, 1_500_000), (0, 500_000)],
            &["1500.00"],
        ),
        ("capped at 2,000", &[(0, 10_000_000)], &["2000.00"]),
        (
            "a vacant seat's line pays no one; a person without lines nothing",
            &[(0, 100_000), (CreditLineColumns::VACANT, 900_000)],
            &["50.00", "0.00"],
        ),
    ];
    let plan = peers_plan();
    let quotas = quarterly("10000");
    for (name, lines, expected) in cases {
        let n = expected.len();
        let keys: Vec<u32> = lines.iter().map(|(k, _)| *k).collect();
        let cents: Vec<i64> = lines.iter().map(|(_, c)| *c).collect();
        let txs: Vec<u64> = (0..lines.len() as u64).collect();
        let days = vec![day(d(2, 10)); lines.len()];
        let columns = CreditLineColumns::builder(CreditBasis::Revenue, Currency::USD, n)
            .person_keys(&keys)
            .positions(&txs)
            .transactions(&txs)
            .amounts_minor(&cents)
            .days(&days)
            .build()
            .unwrap();
        let ids: Vec<PersonId> = (0..n).map(who).collect();
        let people: Vec<PersonInput<'_>> = ids
            .iter()
            .map(|person| PersonInput {
                person,
                quotas: &quotas,
                locked: &[],
            })
            .collect();
        let comp = Commissions::from_columns(&plan, &[&columns]).unwrap();
        let payouts = comp.payouts_from_columns(&people, d(3, 31)).unwrap();
        let got: Vec<String> = payouts
            .person_totals()
            .map(|m| m.amount().to_string())
            .collect();
        assert_eq!(&got, expected, "{name}");
    }
}

/// Five lines of two people, as columns, to spoil one at a time.
struct Given {
    keys: Vec<u32>,
    seats: Vec<u64>,
    txs: Vec<u64>,
    sales: Vec<u64>,
    booked: Vec<i32>,
    cents: Vec<i64>,
    days: Vec<i32>,
    kinds: Vec<CreditKind>,
}

fn given() -> Given {
    let feb = day(d(2, 10));
    Given {
        keys: vec![0, 1, 0, 1, 0],
        seats: vec![10, 11, 10, 11, 10],
        txs: vec![1, 2, 3, 4, 5],
        sales: vec![1, 2, 3, 4, 1],
        booked: vec![feb, feb, feb, feb, feb],
        cents: vec![100, 200, 300, 400, -50],
        days: vec![feb, feb, feb, feb, feb + 20],
        kinds: vec![CreditKind::Direct; 5],
    }
}

fn build(g: &Given) -> Result<CreditLineColumns, LineColumnsError> {
    CreditLineColumns::builder(CreditBasis::Revenue, Currency::USD, 2)
        .person_keys(&g.keys)
        .positions(&g.seats)
        .transactions(&g.txs)
        .sales(&g.sales, &g.booked)
        .amounts_minor(&g.cents)
        .days(&g.days)
        .kinds(&g.kinds)
        .build()
}

#[test]
fn bad_columns_are_named_by_row_and_value() {
    assert!(build(&given()).is_ok());
    let feb = day(d(2, 10));
    let date =
        |days: i32| NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Days::new(days as u64);
    type Spoil = fn(&mut Given);
    let cases: Vec<(Spoil, LineColumnsError)> = vec![
        (
            |g| g.cents.truncate(4),
            LineColumnsError::Length {
                column: "amount",
                expected: 5,
                found: 4,
            },
        ),
        (
            |g| g.keys[3] = 2,
            LineColumnsError::PersonKey {
                row: 3,
                key: 2,
                people: 2,
            },
        ),
        (
            |g| g.days[2] = i32::MAX,
            LineColumnsError::Day {
                row: 2,
                column: "date",
                days: i32::MAX,
            },
        ),
        (
            |g| g.booked[1] += 1,
            LineColumnsError::LineDates {
                row: 1,
                transaction: 2,
                as_of: date(feb + 1),
                date: date(feb),
            },
        ),
        (
            |g| g.booked[4] -= 3,
            LineColumnsError::SaleDates {
                row: 4,
                sale: 1,
                first: date(feb),
                second: date(feb - 3),
            },
        ),
        (
            |g| {
                g.txs[2] = 1;
                g.sales[2] = 1;
            },
            LineColumnsError::DuplicateLine {
                row: 2,
                transaction: 1,
                position: 10,
                kind: CreditKind::Direct,
                date: date(feb),
            },
        ),
        // The same credit given to two people, or to a vacant seat and a
        // person (row 1 holds it for person 1).
        (
            |g| {
                (g.keys[3], g.seats[3], g.txs[3], g.sales[3]) = (0, 11, 2, 2);
            },
            LineColumnsError::DuplicateLine {
                row: 3,
                transaction: 2,
                position: 11,
                kind: CreditKind::Direct,
                date: date(feb),
            },
        ),
        (
            |g| {
                (g.keys[3], g.seats[3], g.txs[3], g.sales[3]) =
                    (CreditLineColumns::VACANT, 11, 2, 2);
            },
            LineColumnsError::DuplicateLine {
                row: 3,
                transaction: 2,
                position: 11,
                kind: CreditKind::Direct,
                date: date(feb),
            },
        ),
    ];
    for (spoil, want) in cases {
        let mut g = given();
        spoil(&mut g);
        assert_eq!(build(&g).unwrap_err(), want);
        for execution in [Execution::Sequential, Execution::Parallel] {
            let err = CreditLineColumns::builder(CreditBasis::Revenue, Currency::USD, 2)
                .person_keys(&g.keys)
                .positions(&g.seats)
                .transactions(&g.txs)
                .sales(&g.sales, &g.booked)
                .amounts_minor(&g.cents)
                .days(&g.days)
                .kinds(&g.kinds)
                .execution(execution)
                .build()
                .unwrap_err();
            assert_eq!(err, want);
        }
    }
    let missing = CreditLineColumns::builder(CreditBasis::Revenue, Currency::USD, 2)
        .person_keys(&[0])
        .positions(&[1])
        .amounts_minor(&[1])
        .days(&[feb])
        .build()
        .unwrap_err();
    assert_eq!(
        missing,
        LineColumnsError::MissingColumn {
            column: "transaction"
        }
    );
    let scale = CreditLineColumns::builder(CreditBasis::Revenue, Currency::USD, 2)
        .quantity_scale(4)
        .build()
        .unwrap_err();
    assert!(matches!(scale, LineColumnsError::Scale { scale: 4, .. }));
}

/// The repeat named is the first bad row, the smallest row repeating an
/// earlier one, however many lines the person has: rows 0 and 5 repeat
/// one credit, rows 1 and 2 another (that sorts first): row 2 is named.
#[test]
fn a_credit_given_twice_is_named_by_its_first_repeating_row() {
    let feb = day(d(2, 10));
    for n in [16_u64, 17, 40] {
        let mut txs: Vec<u64> = (100..100 + n).collect();
        txs[5] = txs[0];
        txs[1] = 50;
        txs[2] = 50;
        let len = txs.len();
        let err = CreditLineColumns::builder(CreditBasis::Revenue, Currency::USD, 1)
            .person_keys(&vec![0; len])
            .positions(&vec![7; len])
            .transactions(&txs)
            .amounts_minor(&vec![100; len])
            .days(&vec![feb; len])
            .build()
            .unwrap_err();
        assert!(
            matches!(
                err,
                LineColumnsError::DuplicateLine {
                    row: 2,
                    transaction: 50,
                    ..
                }
            ),
            "{n} lines: {err:?}"
        );
    }
}

#[test]
fn the_engine_reads_its_lines_from_where_it_was_made() {
    let plan: CompPlan = peers_plan();
    let columns = build(&given()).unwrap();
    let by_columns = Commissions::from_columns(&plan, &[&columns]).unwrap();
    let quotas = quarterly("10000");
    let ann = who(0);
    let one = [PersonInput {
        person: &ann,
        quotas: &quotas,
        locked: &[],
    }];
    // Two people keyed, one given.
    assert_eq!(
        by_columns.payouts_from_columns(&one, d(3, 31)).unwrap_err(),
        CompError::ColumnPeople {
            measure: CreditBasis::Revenue,
            keys: 2,
            people: 1,
        }
    );
    assert!(matches!(
        by_columns.statements_of_key(2, &one[0], d(3, 31)),
        Err(CompError::ColumnPeople { .. })
    ));
    assert!(matches!(
        by_columns.payouts_for(&one, d(3, 31)),
        Err(CompError::WrongLines {
            built: "columns",
            ..
        })
    ));
    let run = CreditRun::from_lines(CreditBasis::Revenue, Currency::USD, Vec::new()).unwrap();
    let by_rows = Commissions::new(&plan, &[&run]).unwrap();
    assert!(matches!(
        by_rows.statements_from_columns(&one, d(3, 31)),
        Err(CompError::WrongLines { built: "runs", .. })
    ));
    // A measure without columns.
    let units = CreditLineColumns::builder(CreditBasis::Units, Currency::USD, 0)
        .person_keys(&[])
        .positions(&[])
        .transactions(&[])
        .amounts_minor(&[])
        .days(&[])
        .build()
        .unwrap();
    assert!(matches!(
        Commissions::from_columns(&plan, &[&units]),
        Err(CompError::MissingMeasure { .. })
    ));
}

/// Two keys given the same person id, both returning a deal: their lines
/// would be mixed (each paid on both's), so it is refused, naming the id
/// and both keys; one id for a key that reverses nothing is harmless.
#[test]
fn one_person_id_for_two_keys_that_reverse_deals_is_refused() {
    let plan: CompPlan = peers_plan();
    let mut g = given();
    let feb = day(d(2, 10));
    g.keys.push(1);
    g.seats.push(11);
    g.txs.push(6);
    g.sales.push(2);
    g.booked.push(feb);
    g.cents.push(-20);
    g.days.push(feb + 20);
    g.kinds.push(CreditKind::Direct);
    let columns = build(&g).unwrap();
    let comp = Commissions::from_columns(&plan, &[&columns]).unwrap();
    let quotas = quarterly("10000");
    let (ann, bob) = (who(0), who(1));
    let input = |p| PersonInput {
        person: p,
        quotas: &quotas,
        locked: &[],
    };
    let err = comp
        .payouts_from_columns(&[input(&ann), input(&ann)], d(3, 31))
        .unwrap_err();
    assert_eq!(
        err,
        CompError::DuplicatePersonKeys {
            person: ann.clone(),
            keys: (0, 1),
        }
    );
    assert!(matches!(
        comp.statements_from_columns(&[input(&ann), input(&ann)], d(3, 31)),
        Err(CompError::DuplicatePersonKeys { .. })
    ));
    assert!(
        comp.payouts_from_columns(&[input(&ann), input(&bob)], d(3, 31))
            .is_ok()
    );
}

/// A component that qualifies deals, with a kicker: the columns' integer
/// sale ids are the deals' ids (`TransactionId::from(5_u64)` is `"5"`),
/// and the pay is the rows'; a deal the facts miss is unknown alike.
#[test]
fn deals_qualified_and_kicked_from_columns() {
    use salesplan::comp::{CompPeriod, Component, Deals, Kicker, PayRate, Qualifier, RateTable};
    use salesplan::credit::{Transaction, TransactionKind};
    use salesplan::{AccountId, Money, ProductId};
    let cloud = ProductId::new("cloud").unwrap();
    let plan = builder()
        .component(
            Component::new(
                "Cloud",
                CreditBasis::Revenue,
                CompPeriod::Month,
                RateTable::Flat(PayRate::Percent("10%".parse().unwrap())),
            )
            .qualifies(vec![Qualifier::Account(AccountId::new("acme").unwrap())])
            .kicker(Kicker::new(
                "cloud",
                vec![Qualifier::Product(cloud.clone())],
                "150%".parse().unwrap(),
            )),
        )
        .build()
        .unwrap();
    let all: Vec<Row> = (0..6u64)
        .map(|t| Row {
            person: (t % 2) as usize,
            transaction: t + 1,
            sale: t + 1,
            date: d(2, 10),
            as_of: d(2, 10),
            cents: 100_000 + t as i64,
        })
        .collect();
    let deal = |t: u64, account: &str| {
        let sale = Transaction::new(
            TransactionId::from(t),
            TransactionKind::Order,
            d(2, 10),
            AccountId::new(account).unwrap(),
            Money::from_minor(1, Currency::USD).unwrap(),
        );
        if t.is_multiple_of(3) {
            sale.with_product(cloud.clone())
        } else {
            sale
        }
    };
    let facts: Vec<Transaction> = (1..=6u64)
        .map(|t| deal(t, if t == 4 { "other" } else { "acme" }))
        .collect();
    let run = run_of(&all);
    let columns = columns_of(&all, 2, Execution::Sequential);
    let quotas = Quotas::new();
    let ids: Vec<PersonId> = (0..2).map(who).collect();
    let people: Vec<PersonInput<'_>> = ids
        .iter()
        .map(|person| PersonInput {
            person,
            quotas: &quotas,
            locked: &[],
        })
        .collect();
    for known in [&facts[..], &facts[1..]] {
        let by_rows = Commissions::new(&plan, &[&run])
            .unwrap()
            .with_deals(&Deals::new(known))
            .unwrap();
        let by_columns = Commissions::from_columns(&plan, &[&columns])
            .unwrap()
            .with_deals(&Deals::new(known))
            .unwrap();
        let rows_pay = by_rows.payouts_for(&people, d(2, 28));
        assert_eq!(by_columns.payouts_from_columns(&people, d(2, 28)), rows_pay);
        assert_eq!(
            by_columns.statements_from_columns(&people, d(2, 28)),
            by_rows.statements_for(&people, d(2, 28))
        );
        if known.len() == facts.len() {
            // Person 0: 10% of deals 1, 3 (cloud, ×1.5) and 5: 1,000.00 +
            // 1,500.03 + 1,000.04 (deal 4, another account's, is person 1's).
            let p0 = rows_pay.unwrap().person_total(0).unwrap();
            assert_eq!(p0.amount().to_string(), "350.01");
        } else {
            assert!(matches!(rows_pay, Err(CompError::UnknownDeal { .. })));
        }
    }
}
