//! Territory invariants: assignment agrees with a brute-force evaluation of
//! every rule (so the index never loses a match), every account ends in
//! exactly one outcome, the result does not depend on input order;
//! rebalancing never moves a locked account and never makes the worst
//! imbalance worse; a realignment applied to the old alignment gives the
//! new one.

use std::collections::BTreeSet;

use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::territory::{
    Account, AccountBook, Alignment, AssignedBy, Assigner, Attribute, BalanceReport, NamedAccount,
    Outcome, Predicate, RealignOptions, Realignment, Rebalance, RebalanceOptions, Rule, RuleBook,
    Territory, TerritoryLine, TerritoryMap, Value,
};
use salesplan::{AccountId, Currency, Money, TerritoryId};

use crate::common::date;
use crate::support::generator::Rng;
use crate::support::territory::{acct, always, t};

const TERRITORIES: usize = 6;

fn territory(i: usize) -> TerritoryId {
    t(&format!("T{i}"))
}

fn map() -> TerritoryMap {
    let mut b = TerritoryMap::builder()
        .territory(Territory::new(t("root")))
        .line(TerritoryLine::top(t("root"), always()));
    for i in 0..TERRITORIES {
        b = b
            .territory(Territory::new(territory(i)))
            .line(TerritoryLine::new(territory(i), t("root"), always()));
    }
    b.build().unwrap()
}

fn short_text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(prop_oneof![Just('0'), Just('1'), Just('2')], 0..=max)
        .prop_map(|cs| cs.into_iter().collect())
}

fn leaf() -> impl Strategy<Value = Predicate> {
    prop_oneof![
        short_text(3).prop_map(|p| Predicate::is(Attribute::PostalCode, p)),
        proptest::collection::vec(prop_oneof![Just("x"), Just("y"), Just("z")], 0..3)
            .prop_map(|vs| Predicate::one_of(Attribute::Industry, vs.into_iter().map(Value::text))),
        short_text(2).prop_map(|p| Predicate::prefix(Attribute::PostalCode, p)),
        (0i64..40, 1i64..20, any::<bool>(), any::<bool>()).prop_map(|(lo, span, a, b)| {
            Predicate::range(
                Attribute::Employees,
                a.then(|| Decimal::from(lo)),
                b.then(|| Decimal::from(lo + span)),
            )
        }),
        any::<bool>().prop_map(|f| Predicate::equals(Attribute::Named, Value::Flag(f))),
    ]
}

fn predicate() -> impl Strategy<Value = Predicate> {
    prop_oneof![
        3 => leaf(),
        1 => proptest::collection::vec(leaf(), 0..3).prop_map(Predicate::all),
        1 => proptest::collection::vec(leaf(), 0..3).prop_map(Predicate::any),
        1 => leaf().prop_map(|p| !p),
    ]
}

fn rules() -> impl Strategy<Value = Vec<Rule>> {
    proptest::collection::vec(
        (0..TERRITORIES, 0u32..3, predicate())
            .prop_map(|(i, prio, p)| Rule::new(territory(i), prio, p)),
        0..14,
    )
}

fn accounts() -> impl Strategy<Value = Vec<Account>> {
    proptest::collection::vec(
        (
            proptest::option::of(short_text(4)),
            proptest::option::of(prop_oneof![Just("x"), Just("y"), Just("z")]),
            proptest::option::of(0u64..60),
            any::<bool>(),
        ),
        0..40,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (zip, industry, employees, named))| {
                let mut a = Account::new(acct(&format!("a{i:03}"))).with_named(named);
                if let Some(z) = zip {
                    a = a.with_postal_code(z);
                }
                if let Some(ind) = industry {
                    a = a.with_industry(ind);
                }
                if let Some(e) = employees {
                    a = a.with_employees(e);
                }
                a
            })
            .collect()
    })
}

/// The semantics, written out plainly.
fn naive(p: &Predicate, a: &Account) -> bool {
    let text = |attr: &Attribute| match attr {
        Attribute::PostalCode => a.postal_code(),
        Attribute::Industry => a.industry(),
        _ => None,
    };
    match p {
        Predicate::Equals { attribute, value } => naive(
            &Predicate::OneOf {
                attribute: attribute.clone(),
                values: vec![value.clone()],
            },
            a,
        ),
        Predicate::OneOf { attribute, values } => values.iter().any(|v| match (attribute, v) {
            (Attribute::Named, Value::Flag(f)) => a.is_named() == *f,
            (_, Value::Text(s)) => text(attribute) == Some(s.as_str()),
            _ => false,
        }),
        Predicate::Prefix { attribute, prefix } => {
            text(attribute).is_some_and(|s| s.starts_with(prefix.as_str()))
        }
        Predicate::Range { from, to, .. } => a.employees().is_some_and(|e| {
            let e = Decimal::from(e);
            from.is_none_or(|f| f <= e) && to.is_none_or(|t| e < t)
        }),
        Predicate::All(ps) => ps.iter().all(|q| naive(q, a)),
        Predicate::Any(ps) => ps.iter().any(|q| naive(q, a)),
        Predicate::Not(q) => !naive(q, a),
        _ => unreachable!("no other predicate is generated"),
    }
}

fn expected(rules: &[Rule], named: &[NamedAccount], a: &Account) -> Outcome {
    if let Some(n) = named.iter().find(|n| n.account() == a.id()) {
        return Outcome::Assigned {
            territory: n.territory().clone(),
            by: AssignedBy::Named,
        };
    }
    let matching: Vec<&Rule> = rules.iter().filter(|r| naive(r.when(), a)).collect();
    let Some(best) = matching.iter().map(|r| r.priority()).max() else {
        return Outcome::Unassigned;
    };
    let tied: BTreeSet<TerritoryId> = matching
        .iter()
        .filter(|r| r.priority() == best)
        .map(|r| r.territory().clone())
        .collect();
    if tied.len() == 1 {
        Outcome::Assigned {
            territory: tied.into_iter().next().unwrap(),
            by: AssignedBy::Rule { priority: best },
        }
    } else {
        Outcome::Conflict {
            priority: best,
            territories: tied.into_iter().collect(),
        }
    }
}

fn named_for(accounts: &[Account], picks: &[(usize, usize)]) -> Vec<NamedAccount> {
    let mut seen = BTreeSet::new();
    picks
        .iter()
        .filter_map(|(a, ti)| {
            let account = accounts.get(a % accounts.len().max(1))?;
            seen.insert(account.id().clone())
                .then(|| NamedAccount::new(account.id().clone(), territory(*ti)))
        })
        .collect()
}

proptest! {
    #[test]
    fn assignment_matches_brute_force_and_every_account_has_one_outcome(
        rules in rules(),
        accounts in accounts(),
        picks in proptest::collection::vec((0usize..40, 0..TERRITORIES), 0..4),
    ) {
        let named = named_for(&accounts, &picks);
        let mut b = RuleBook::builder().rules(rules.clone());
        for n in &named {
            b = b.named(n.clone());
        }
        let book = b.build()?;
        let tree = map().as_of(date(2025, 3, 1))?;
        let assigner = Assigner::new(&tree, &book)?;
        let accounts_book = AccountBook::new(Currency::USD, accounts.clone())?;
        let assignment = assigner.assign(&accounts_book)?;
        prop_assert_eq!(assignment.placements().len(), accounts.len());
        let c = assignment.counts();
        prop_assert_eq!(c.assigned + c.unassigned + c.conflicts, accounts.len());
        for a in &accounts {
            let got = assignment.outcome(a.id()).unwrap();
            prop_assert_eq!(got, &expected(&rules, &named, a), "account {:?}", a);
            if let Outcome::Conflict { territories, .. } = got {
                prop_assert!(territories.len() >= 2);
                prop_assert!(territories.windows(2).all(|w| w[0] < w[1]));
            }
        }
        prop_assert_eq!(assignment.alignment().len(), c.assigned);
    }

    #[test]
    fn assignment_does_not_depend_on_the_order_of_rules_or_accounts(
        rules in rules(),
        accounts in accounts(),
        seed in any::<u64>(),
    ) {
        let tree = map().as_of(date(2025, 3, 1))?;
        let book = RuleBook::builder().rules(rules.clone()).build()?;
        let a = Assigner::new(&tree, &book)?.assign(&AccountBook::new(Currency::USD, accounts.clone())?)?;
        let mut rng = Rng::new(seed);
        let (mut r2, mut a2) = (rules, accounts);
        rng.shuffle(&mut r2);
        rng.shuffle(&mut a2);
        let book2 = RuleBook::builder().rules(r2).build()?;
        let b = Assigner::new(&tree, &book2)?.assign(&AccountBook::new(Currency::USD, a2)?)?;
        prop_assert_eq!(a, b);
    }
}

/// Accounts with random potentials and sales, aligned at random over
/// `territories`.
fn balancing_case() -> impl Strategy<Value = (Vec<Account>, Vec<usize>, usize, Vec<bool>)> {
    (1usize..8).prop_flat_map(|k| {
        proptest::collection::vec(
            (0i64..100_000, 0i64..50_000, 0..k, any::<bool>(), 0u8..10),
            0..60,
        )
        .prop_map(move |rows| {
            let accounts = rows
                .iter()
                .enumerate()
                .map(|(i, (p, s, _, named, _))| {
                    Account::new(acct(&format!("a{i:03}")))
                        .with_potential(Money::from_minor((*p).into(), Currency::USD).unwrap())
                        .with_last_year_sales(
                            Money::from_minor((*s).into(), Currency::USD).unwrap(),
                        )
                        .with_named(*named && i % 3 == 0)
                })
                .collect();
            let places = rows.iter().map(|r| r.2).collect();
            let locked = rows.iter().map(|r| r.4 == 0).collect();
            (accounts, places, k, locked)
        })
    })
}

proptest! {
    #[test]
    fn rebalancing_never_moves_locked_accounts_nor_worsens_the_worst(
        (accounts, places, k, locked) in balancing_case(),
        tolerance in 0u32..40,
        unlock_named in any::<bool>(),
    ) {
        let territories: Vec<TerritoryId> = (0..k).map(territory).collect();
        let alignment = Alignment::new(
            accounts.iter().zip(&places).map(|(a, p)| (a.id().clone(), territory(*p))),
        )?;
        let locks: Vec<AccountId> = accounts
            .iter()
            .zip(&locked)
            .filter(|(_, l)| **l)
            .map(|(a, _)| a.id().clone())
            .collect();
        let tol = salesplan::Percent::from_points(Decimal::from(tolerance))?;
        let options = RebalanceOptions::new(tol).lock(locks.clone()).lock_named(!unlock_named);
        let book = AccountBook::new(Currency::USD, accounts.clone())?;
        let proposal = Rebalance::propose(&book, &alignment, &territories, &options)?;
        let mut moved = BTreeSet::new();
        for m in proposal.moves() {
            prop_assert!(!locks.contains(m.account()), "locked {} moved", m.account());
            if !unlock_named {
                prop_assert!(!book.get(m.account()).unwrap().is_named());
            }
            prop_assert!(moved.insert(m.account().clone()), "moved twice");
            prop_assert_eq!(alignment.territory_of(m.account()), m.from());
            prop_assert_eq!(proposal.alignment().territory_of(m.account()), m.to());
        }
        prop_assert_eq!(proposal.alignment().len(), alignment.len());
        match (proposal.worst_before(), proposal.worst_after()) {
            (Some(before), Some(after)) => prop_assert!(after <= before),
            (None, None) => {}
            other => prop_assert!(false, "{:?}", other),
        }
        let after = BalanceReport::new(&book, proposal.alignment(), &territories)?;
        prop_assert_eq!(after.potential().worst_deviation(), proposal.worst_after());
        if proposal.within_tolerance()
            && let Some(worst) = after.potential().worst_deviation()
        {
            prop_assert!(worst <= tol.fraction());
        }
        // Deterministic whatever the order of the locks.
        let mut reversed = locks.clone();
        reversed.reverse();
        let again = Rebalance::propose(
            &book,
            &alignment,
            &territories,
            &RebalanceOptions::new(tol).lock(reversed).lock_named(!unlock_named),
        )?;
        prop_assert_eq!(again, proposal);
    }

    #[test]
    fn a_realignment_applied_to_the_old_alignment_gives_the_new(
        old in proptest::collection::vec(proptest::option::of(0..TERRITORIES), 0..40),
        new in proptest::collection::vec(proptest::option::of(0..TERRITORIES), 0..40),
    ) {
        let n = old.len().max(new.len());
        let accounts: Vec<Account> = (0..n)
            .map(|i| {
                Account::new(acct(&format!("a{i:03}")))
                    .with_last_year_sales(Money::from_minor(i as i128 * 100, Currency::USD).unwrap())
            })
            .collect();
        let book = AccountBook::new(Currency::USD, accounts)?;
        let align = |v: &[Option<usize>]| {
            Alignment::new(v.iter().enumerate().filter_map(|(i, t)| {
                t.map(|t| (acct(&format!("a{i:03}")), territory(t)))
            }))
        };
        let (a, b) = (align(&old)?, align(&new)?);
        let diff = Realignment::between(&a, &b, &book, RealignOptions::new())?;
        prop_assert_eq!(a.apply(&diff)?, b.clone());
        // Sales out of every territory equal sales into others plus sales
        // leaving the map.
        let total = |f: fn(&salesplan::territory::Shift<TerritoryId>) -> Money| {
            Money::checked_sum(Currency::USD, diff.territories().iter().map(f)).unwrap()
        };
        let leaving = Money::checked_sum(
            Currency::USD,
            diff.moves().iter().filter(|m| m.to().is_none()).map(|m| m.last_year_sales()),
        )?;
        let joining = Money::checked_sum(
            Currency::USD,
            diff.moves().iter().filter(|m| m.from().is_none()).map(|m| m.last_year_sales()),
        )?;
        prop_assert_eq!(
            total(|s| s.sales_out()).checked_add(joining)?,
            total(|s| s.sales_in()).checked_add(leaving)?
        );
        prop_assert!(diff.moves().windows(2).all(|w| w[0].account() < w[1].account()));
    }
}
