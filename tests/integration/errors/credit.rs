//! Crediting: every bad feed names the transactions, positions and values
//! involved.

use proptest::strategy::Strategy;
use salesplan::Execution;
use salesplan::credit::{
    CreditBasis, CreditPlan, CreditTiming, Crediting, DirectSource, OverlayRule, OverlayScope,
    Transaction, TransactionKind,
};
use salesplan::territory::CoverageKind;
use salesplan::{CreditError, Currency, Error, Money, Period};

use crate::common::{date, dec};
use crate::support::credit::{Table, account, refund, region, sale, tid, usd};
use crate::support::{always, pos};

fn revenue() -> CreditPlan {
    CreditPlan::new(CreditBasis::Revenue, Currency::USD)
}

fn run(plan: &CreditPlan, feed: &[Transaction]) -> CreditError {
    let org = region();
    let coverage = Table::default().with(
        "SPLIT",
        &[
            ("r1", CoverageKind::Primary, "60%"),
            ("r2", CoverageKind::Primary, "30%"),
        ],
    );
    let crediting = Crediting::new(&org, plan).with_coverage(&coverage);
    let from_run = crediting.run(feed).unwrap_err();
    // The totals path rejects the same feed with the same error.
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    assert_eq!(crediting.totals(feed, &[q1]).unwrap_err(), from_run);
    // And it converts into the umbrella error and back.
    assert_eq!(
        CreditError::try_from(Error::from(from_run.clone())).unwrap(),
        from_run
    );
    from_run
}

fn jan(d: u32) -> chrono::NaiveDate {
    date(2025, 1, d)
}

#[test]
fn duplicate_transaction_ids() {
    let feed = [
        sale("SO-1", jan(2), "1.00", &[("r1", "100%")]),
        sale("SO-1", jan(3), "2.00", &[("r2", "100%")]),
    ];
    assert_eq!(
        run(&revenue(), &feed),
        CreditError::DuplicateTransaction {
            transaction: tid("SO-1")
        }
    );
    // An id used three times, after another repeated one: the first repeat
    // in feed order is named.
    let feed = [
        sale("SO-7", jan(2), "1.00", &[("r1", "100%")]),
        sale("SO-8", jan(2), "1.00", &[("r1", "100%")]),
        sale("SO-7", jan(3), "2.00", &[("r2", "100%")]),
        sale("SO-7", jan(4), "3.00", &[("r2", "100%")]),
        sale("SO-8", jan(5), "3.00", &[("r2", "100%")]),
    ];
    assert_eq!(
        run(&revenue(), &feed),
        CreditError::DuplicateTransaction {
            transaction: tid("SO-7")
        }
    );
    let feed = [
        sale("SO-9", jan(2), "1.00", &[("r1", "100%")]),
        sale("SO-9", jan(3), "2.00", &[("r2", "100%")]),
        sale("SO-9", jan(4), "3.00", &[("r2", "100%")]),
    ];
    assert_eq!(
        run(&revenue(), &feed),
        CreditError::DuplicateTransaction {
            transaction: tid("SO-9")
        }
    );
}

#[test]
fn reversals_must_fit_their_original() {
    let base = sale("SO-1", jan(10), "100.00", &[("r1", "100%")]);
    let cases = [
        (
            refund("CN-1", jan(11), "-1.00", "SO-404"),
            CreditError::UnknownOriginal {
                transaction: tid("CN-1"),
                original: tid("SO-404"),
            },
        ),
        (
            refund("CN-1", jan(9), "-1.00", "SO-1"),
            CreditError::BeforeOriginal {
                transaction: tid("CN-1"),
                date: jan(9),
                original: tid("SO-1"),
                original_date: jan(10),
            },
        ),
        (
            refund("CN-1", jan(11), "-100.01", "SO-1"),
            CreditError::ExceedsOriginal {
                transaction: tid("CN-1"),
                original: tid("SO-1"),
                total: dec("100.01"),
                original_amount: dec("100.00"),
            },
        ),
        (
            refund("CN-1", jan(11), "5.00", "SO-1"),
            CreditError::WrongSign {
                transaction: tid("CN-1"),
                kind: TransactionKind::CreditNote,
                amount: usd("5.00"),
            },
        ),
    ];
    for (bad, want) in cases {
        assert_eq!(run(&revenue(), &[base.clone(), bad]), want);
    }
    // Two returns that together exceed: the second (by date) is named.
    let feed = [
        base.clone(),
        refund("CN-2", jan(12), "-60.00", "SO-1"),
        refund("CN-1", jan(11), "-60.00", "SO-1"),
    ];
    assert_eq!(
        run(&revenue(), &feed),
        CreditError::ExceedsOriginal {
            transaction: tid("CN-2"),
            original: tid("SO-1"),
            total: dec("120.00"),
            original_amount: dec("100.00"),
        }
    );
    // Reversing a credit note is not reversing a sale.
    let feed = [
        base.clone(),
        refund("CN-1", jan(11), "-10.00", "SO-1"),
        refund("CN-2", jan(12), "-10.00", "CN-1"),
    ];
    assert_eq!(
        run(&revenue(), &feed),
        CreditError::OriginalNotASale {
            transaction: tid("CN-2"),
            original: tid("CN-1"),
            kind: TransactionKind::CreditNote,
        }
    );
}

#[test]
fn payments_need_a_sale_and_stay_within_it() {
    let base = sale("SO-1", jan(10), "100.00", &[("r1", "100%")]);
    let pay = |id: &str, amount: &str| {
        Transaction::new(
            tid(id),
            TransactionKind::Payment,
            jan(20),
            account("ACME"),
            usd(amount),
        )
    };
    let plan = revenue().timing(CreditTiming::Payment);
    assert_eq!(
        run(&plan, &[base.clone(), pay("PAY-1", "10.00")]),
        CreditError::MissingOriginal {
            transaction: tid("PAY-1")
        }
    );
    assert_eq!(
        run(
            &plan,
            &[
                base.clone(),
                pay("PAY-1", "-10.00").with_original(tid("SO-1"))
            ]
        ),
        CreditError::ExceedsOriginal {
            transaction: tid("PAY-1"),
            original: tid("SO-1"),
            total: dec("-10.00"),
            original_amount: dec("100.00"),
        }
    );
    assert_eq!(
        run(
            &plan,
            &[
                base.clone(),
                pay("PAY-1", "0.00").with_original(tid("SO-1"))
            ]
        ),
        CreditError::WrongSign {
            transaction: tid("PAY-1"),
            kind: TransactionKind::Payment,
            amount: usd("0.00"),
        }
    );
    // A sale does not refer to an original.
    let odd = sale("SO-2", jan(11), "1.00", &[("r1", "100%")]).with_original(tid("SO-1"));
    assert_eq!(
        run(&plan, &[base, odd]),
        CreditError::UnexpectedOriginal {
            transaction: tid("SO-2"),
            kind: TransactionKind::Order,
            original: tid("SO-1"),
        }
    );
}

#[test]
fn amounts_must_be_in_the_plan_currency_and_precision() {
    let eur = Transaction::new(
        tid("SO-E"),
        TransactionKind::Order,
        jan(2),
        account("ACME"),
        Money::parse("1.00", Currency::EUR).unwrap(),
    )
    .with_owner(pos("r1"));
    assert_eq!(
        run(&revenue(), &[eur]),
        CreditError::Currency {
            transaction: tid("SO-E"),
            expected: Currency::USD,
            found: Currency::EUR,
        }
    );
    let sub_cent = sale("SO-1", jan(2), "1.005", &[("r1", "100%")]);
    assert!(matches!(
        run(&revenue(), &[sub_cent]),
        CreditError::Amount { transaction, .. } if transaction == tid("SO-1")
    ));
    let negative = sale("SO-1", jan(2), "-1.00", &[("r1", "100%")]);
    assert!(matches!(
        run(&revenue(), &[negative]),
        CreditError::WrongSign {
            kind: TransactionKind::Order,
            ..
        }
    ));
    let units = CreditPlan::new(CreditBasis::Units, Currency::USD);
    let fine = sale("SO-1", jan(2), "1.00", &[("r1", "100%")]).with_units(dec("1.125"));
    assert_eq!(
        run(&units, &[fine]),
        CreditError::Precision {
            transaction: tid("SO-1"),
            field: "units".to_owned(),
            value: dec("1.125"),
            places: 2,
        }
    );
    let margin = CreditPlan::new(CreditBasis::Margin, Currency::USD);
    assert_eq!(
        run(&margin, &[sale("SO-1", jan(2), "1.00", &[("r1", "100%")])]),
        CreditError::MissingValue {
            transaction: tid("SO-1"),
            field: "margin".to_owned(),
        }
    );
    assert_eq!(
        CreditPlan::new(CreditBasis::Units, Currency::USD)
            .quantity_scale(13)
            .unwrap_err(),
        CreditError::QuantityScale {
            places: 13,
            max: 12
        }
    );
}

#[test]
fn owners_and_their_shares() {
    let cases = [
        (
            sale("SO-1", jan(2), "1.00", &[]),
            CreditError::NoOwners {
                transaction: tid("SO-1"),
            },
        ),
        (
            sale(
                "SO-1",
                jan(2),
                "1.00",
                &[
                    ("r1", "72.68%"),
                    ("r2", "10.93%"),
                    ("r3", "2.73%"),
                    ("r4", "13.65%"),
                ],
            ),
            CreditError::SharesNotWhole {
                transaction: tid("SO-1"),
                total: dec("99.99"),
            },
        ),
        (
            sale("SO-1", jan(2), "1.00", &[("r1", "50%"), ("r1", "50%")]),
            CreditError::DuplicateOwner {
                transaction: tid("SO-1"),
                position: pos("r1"),
            },
        ),
        (
            sale("SO-1", jan(2), "1.00", &[("ghost", "100%")]),
            CreditError::UnknownPosition {
                transaction: tid("SO-1"),
                position: pos("ghost"),
            },
        ),
        (
            sale("SO-1", date(2024, 12, 31), "1.00", &[("r1", "100%")]),
            CreditError::NotInOrg {
                transaction: tid("SO-1"),
                position: pos("r1"),
                date: date(2024, 12, 31),
            },
        ),
    ];
    for (bad, want) in cases {
        assert_eq!(run(&revenue(), &[bad]), want);
    }
}

#[test]
fn overlays_and_territories() {
    let plan = revenue().overlay(OverlayRule::new(
        pos("nobody"),
        "5%".parse().unwrap(),
        OverlayScope::Everything,
        always(),
    ));
    assert_eq!(
        run(&plan, &[sale("SO-1", jan(2), "1.00", &[("r1", "100%")])]),
        CreditError::UnknownOverlayPosition {
            rule: 0,
            position: pos("nobody"),
        }
    );
    let territory = revenue().direct(DirectSource::Territory);
    let deal = |acct: &str| {
        Transaction::new(
            tid("SO-T"),
            TransactionKind::Order,
            jan(2),
            account(acct),
            usd("1.00"),
        )
    };
    assert_eq!(
        run(&territory, &[deal("NOWHERE")]),
        CreditError::Uncovered {
            transaction: tid("SO-T"),
            account: account("NOWHERE"),
            date: jan(2),
        }
    );
    assert_eq!(
        run(&territory, &[deal("SPLIT")]),
        CreditError::CoverageShares {
            transaction: tid("SO-T"),
            account: account("SPLIT"),
            total: dec("90"),
        }
    );
    // Without a coverage source at all.
    let org = region();
    let err = Crediting::new(&org, &territory)
        .run(&[deal("SPLIT")])
        .unwrap_err();
    assert_eq!(
        err,
        CreditError::NoCoverageSource {
            transaction: tid("SO-T")
        }
    );
}

#[test]
fn periods_must_be_in_order() {
    let org = region();
    let plan = revenue();
    let jan = Period::month(2025, 1).unwrap();
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let err = Crediting::new(&org, &plan)
        .totals(&[], &[q1, jan])
        .unwrap_err();
    assert_eq!(
        err,
        CreditError::Periods {
            first: q1,
            second: jan
        }
    );
}

/// A sale with any mix of faults: booked before the org begins (its owners
/// not yet in it), an owner the org does not know, shares that do not sum
/// to 100%, an owner named twice, an id used before; split between two
/// owners or not.
#[derive(Debug, Clone, Copy)]
struct Faults {
    early: bool,
    ghost: bool,
    short: bool,
    twice: bool,
    repeat: bool,
    sole: bool,
}

fn faulty_feed(faults: &[Faults]) -> Vec<Transaction> {
    faults
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let id = if f.repeat && i > 0 {
                format!("S{}", i - 1)
            } else {
                format!("S{i}")
            };
            let day = if f.early { date(2024, 12, 31) } else { jan(2) };
            let second = if f.ghost { "ghost" } else { "r2" };
            let first = if f.twice { second } else { "r1" };
            match (f.sole, f.short) {
                (true, short) => sale(
                    &id,
                    day,
                    "10.00",
                    &[(second, if short { "99%" } else { "100%" })],
                ),
                (false, short) => {
                    let share = if short { "30%" } else { "40%" };
                    sale(&id, day, "10.00", &[(first, "60%"), (second, share)])
                }
            }
        })
        .collect()
}

/// `count` clean sales over the first quarter on the five reps (one in
/// three split), one in ten returned in part, with `faulty` spread among
/// them: enough to be read and credited on several threads.
fn padded(faulty: Vec<Transaction>, count: usize) -> Vec<Transaction> {
    let reps = ["r1", "r2", "r3", "r4", "r5"];
    let mut out = Vec::with_capacity(count + faulty.len());
    let every = count / faulty.len().max(1) + 1;
    let mut faulty = faulty.into_iter();
    for i in 0..count {
        if i % every == 0
            && let Some(tx) = faulty.next()
        {
            out.push(tx);
        }
        let day = date(2025, 1, 1) + chrono::Days::new((i % 90) as u64);
        let rep = reps[i % reps.len()];
        let id = format!("P{i}");
        if i % 3 == 0 {
            let other = reps[(i + 1) % reps.len()];
            out.push(sale(&id, day, "7.01", &[(rep, "70%"), (other, "30%")]));
        } else {
            out.push(sale(&id, day, "3.33", &[(rep, "100%")]));
        }
        if i % 10 == 1 {
            let later = day + chrono::Days::new(3);
            out.push(refund(&format!("P{i}-R"), later, "-1.11", &id));
        }
    }
    out.extend(faulty);
    out
}

proptest::proptest! {
    /// The totals path keeps credits and in-org checks by blocks of
    /// positions and gives up on a fault, then credits one by one to name
    /// it: whatever the mix of faults, it reports the first one the run
    /// finds.
    #[test]
    fn totals_report_the_same_first_fault_as_the_run(
        faults in proptest::collection::vec(
            (proptest::bool::weighted(0.1), proptest::bool::weighted(0.05),
             proptest::bool::weighted(0.05), proptest::bool::weighted(0.05),
             proptest::bool::weighted(0.03))
                .prop_map(|(early, ghost, short, twice, repeat)| Faults {
                    early, ghost, short, twice, repeat, sole: false
                }),
            1..40,
        ),
        sole in proptest::collection::vec(proptest::bool::ANY, 40),
        pad in proptest::bool::weighted(0.25),
        early_counted in proptest::bool::ANY,
    ) {
        let org = region();
        let plan = revenue();
        let faults: Vec<Faults> = faults
            .into_iter()
            .zip(sole)
            .map(|(f, sole)| Faults { sole, ..f })
            .collect();
        let mut feed = faulty_feed(&faults);
        if pad {
            // With `parallel`, read and credited on both threads.
            feed = padded(feed, 9_000);
        }
        // December counts the early sales (their owners not yet in the
        // org) as well.
        let december = Period::new(date(2024, 12, 1), date(2025, 1, 1)).unwrap();
        let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
        let periods = if early_counted { vec![december, q1] } else { vec![q1] };
        let run = Crediting::new(&org, &plan).run(&feed);
        // The run reads the feed on both threads too, to the same lines.
        let run_parallel = Crediting::new(&org, &plan)
            .execution(Execution::Parallel)
            .run(&feed);
        proptest::prop_assert_eq!(&run_parallel, &run);
        let from_run = run.err();
        let mut all = Vec::new();
        for execution in [Execution::Sequential, Execution::Parallel] {
            let crediting = Crediting::new(&org, &plan).execution(execution);
            let from_totals = crediting.totals(&feed, &periods);
            proptest::prop_assert_eq!(from_totals.as_ref().err(), from_run.as_ref());
            all.push(from_totals.ok().map(|t| {
                ["rsm", "lead-a", "lead-b", "r1", "r2", "r3", "r4", "r5"]
                    .map(|p| (t.position(&pos(p), 0), t.position(&pos(p), 1)))
            }));
        }
        proptest::prop_assert_eq!(&all[0], &all[1]);
    }
}

#[test]
fn a_roll_up_beyond_a_decimal_names_its_manager() {
    let org = region();
    let plan = revenue();
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    // 5 * 10^28 minor units each: a rep's total fits in a `Decimal`, their
    // team lead's roll-up (10^29) does not.
    let huge = "500000000000000000000000000.00";
    let feed = [
        sale("SO-1", jan(2), huge, &[("r1", "100%")]),
        sale("SO-2", jan(3), huge, &[("r2", "100%")]),
    ];
    for execution in [Execution::Sequential, Execution::Parallel] {
        let err = Crediting::new(&org, &plan)
            .execution(execution)
            .totals(&feed, &[q1])
            .unwrap_err();
        assert_eq!(
            err,
            CreditError::TotalOverflow {
                position: pos("lead-a")
            }
        );
    }
    // A position's own credit and its roll-up are separate totals: each
    // may come near the bound without the other overflowing.
    let feed = [
        sale(
            "SO-1",
            jan(2),
            "700000000000000000000000000.00",
            &[("rsm", "100%")],
        ),
        sale("SO-2", jan(3), huge, &[("r1", "100%")]),
    ];
    let totals = Crediting::new(&org, &plan).totals(&feed, &[q1]).unwrap();
    let rsm = totals.position(&pos("rsm"), 0).unwrap();
    assert_eq!(rsm.direct(), dec("700000000000000000000000000.00"));
    assert_eq!(rsm.roll_up(), dec(huge));
}

/// Issue #27, defect 8: the checked figures' errors (the crediting
/// engine's running totals, the totals' subtraction and table, the feed's
/// owner offsets) name the ids and the values involved, and convert into
/// the umbrella error and back. The feed's checks keep these figures in
/// range, so no feed reaches them (the module tests break the invariants
/// by hand to reach them); their messages are the contract here.
#[test]
fn checked_figures_name_their_ids_and_values() {
    use salesplan::error::ArithOp;
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let cases = [
        (
            CreditError::RunningTotalOverflow {
                transaction: tid("RT-1"),
                sale: tid("SO-1"),
                op: ArithOp::Sub,
                left: 0,
                right: i128::MIN,
            },
            format!(
                "RT-1: the running total against sale SO-1 overflows at 0 - {}",
                i128::MIN
            ),
        ),
        (
            CreditError::PeriodTotalOverflow {
                position: pos("r1"),
                period: q1,
                op: ArithOp::Sub,
                left: -7,
                right: i128::MAX,
            },
            format!(
                "the credit total of r1 in {q1} overflows at -7 - {}",
                i128::MAX
            ),
        ),
        (
            CreditError::TooManyTotals {
                keys: usize::MAX,
                periods: 2,
            },
            format!(
                "{} positions or people by 2 periods are more totals than memory can index",
                usize::MAX
            ),
        ),
        (
            CreditError::TooManyOwners {
                transaction: tid("SO-9"),
                count: 4_294_967_295,
            },
            "SO-9 brings the owners named in its block of the feed to 4294967295, more than a u32 counts"
                .to_owned(),
        ),
    ];
    for (err, message) in cases {
        assert_eq!(err.to_string(), message);
        assert_eq!(
            CreditError::try_from(Error::from(err.clone())).unwrap(),
            err
        );
    }
}
