//! A deterministic synthetic territory plan: a map of regions and
//! territories, postal-code and industry rules, and accounts.
//!
//! Shape: a country root, 50 regions, `n` territories spread over them.
//! Territory `t` owns the 4-digit postal prefixes `2t` and `2t + 1` (scaled
//! to the 10,000 prefixes when there are fewer territories) at priority 10,
//! and the large accounts (500+ employees) of one industry within its
//! 3-digit prefix at priority 20; one extra territory takes Canada and
//! Mexico through an unindexable `any` rule. Accounts: random 5-digit
//! postal codes, 0.5% without one (unassigned), 1% in Canada or Mexico,
//! 1 in 1,000 a named account with an override; potential 1,000-100,000
//! USD, last year's sales up to half of it, workload 5-80 hours. Accounts
//! come in shuffled order.
//!
//! Shared by the benchmark and the tests (`#[path]`).

#![allow(dead_code, unreachable_pub, reason = "each user takes what it needs")]
#![allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::cast_possible_truncation,
    reason = "test-data generation, not library code"
)]

use chrono::NaiveDate;
use rust_decimal::Decimal;
use salesplan::calendar::DateRange;
use salesplan::territory::{
    Account, Alignment, Attribute, NamedAccount, Predicate, Rule, RuleBook, Territory,
    TerritoryLine, TerritoryMap, Value,
};
use salesplan::{AccountId, Currency, Money, TerritoryId};

use super::generator::Rng;

/// The industries rules specialise in.
pub const INDUSTRIES: [&str; 5] = ["31", "32", "33", "42", "44"];

pub fn territory_id(t: usize) -> TerritoryId {
    TerritoryId::new(&format!("T{t:05}")).unwrap()
}

pub fn account_id(i: usize) -> AccountId {
    AccountId::new(&format!("A{i:08}")).unwrap()
}

pub fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
}

/// The map: `US` > 50 regions `R00`..`R49` > `n` territories, plus `INTL`
/// under the root.
pub fn map(n: usize) -> TerritoryMap {
    let always = DateRange::starting(start());
    let root = TerritoryId::new("US").unwrap();
    let intl = TerritoryId::new("INTL").unwrap();
    let region = |r: usize| TerritoryId::new(&format!("R{r:02}")).unwrap();
    let mut b = TerritoryMap::builder()
        .territory(Territory::new(root.clone()))
        .line(TerritoryLine::top(root.clone(), always))
        .territory(Territory::new(intl.clone()))
        .line(TerritoryLine::new(intl, root.clone(), always));
    for r in 0..50 {
        b = b
            .territory(Territory::new(region(r)))
            .line(TerritoryLine::new(region(r), root.clone(), always));
    }
    for t in 0..n {
        b = b
            .territory(Territory::new(territory_id(t)))
            .line(TerritoryLine::new(territory_id(t), region(t % 50), always));
    }
    b.build().unwrap()
}

/// The 4-digit prefixes of territory `t` of `n`.
fn prefixes(t: usize, n: usize) -> Vec<String> {
    let per = (10_000 / n).max(1);
    (t * per..(t + 1) * per)
        .filter(|p| *p < 10_000)
        .map(|p| format!("{p:04}"))
        .collect()
}

/// Three rules per territory, one `any` rule for INTL, and the named
/// accounts among `accounts` accounts.
pub fn rules(n: usize, accounts: usize) -> RuleBook {
    let mut b = RuleBook::builder();
    for t in 0..n {
        let ps = prefixes(t, n);
        for p in &ps {
            b = b.rule(Rule::new(
                territory_id(t),
                10,
                Predicate::all([
                    Predicate::is(Attribute::Country, "US"),
                    Predicate::prefix(Attribute::PostalCode, p.clone()),
                ]),
            ));
        }
        if let Some(p) = ps.first() {
            b = b.rule(Rule::new(
                territory_id(t),
                20,
                Predicate::all([
                    Predicate::prefix(Attribute::PostalCode, &p[..3]),
                    Predicate::is(Attribute::Industry, INDUSTRIES[t % INDUSTRIES.len()]),
                    Predicate::range(Attribute::Employees, Some(Decimal::from(500)), None),
                ]),
            ));
        }
    }
    b = b.rule(Rule::new(
        TerritoryId::new("INTL").unwrap(),
        10,
        Predicate::any([
            Predicate::is(Attribute::Country, "CA"),
            Predicate::is(Attribute::Country, "MX"),
        ]),
    ));
    for i in (0..accounts).step_by(1000) {
        b = b.named(NamedAccount::new(account_id(i), territory_id(i % n)));
    }
    b.build().unwrap()
}

/// `count` accounts, shuffled.
pub fn accounts(count: usize, seed: u64) -> Vec<Account> {
    let mut rng = Rng::new(seed);
    let mut out: Vec<Account> = (0..count)
        .map(|i| {
            let mut a = Account::new(account_id(i))
                .with_industry(
                    ["31", "32", "33", "42", "44", "51", "52", "54", "62", "72"]
                        [rng.range(0, 10) as usize],
                )
                .with_employees(rng.range(1, 5_000))
                .with_named(i % 1000 == 0);
            let roll = rng.range(0, 1000);
            a = if roll < 5 {
                a.with_country("US")
            } else if roll < 15 {
                a.with_country(if roll < 10 { "CA" } else { "MX" })
                    .with_postal_code("K1A0B1")
            } else {
                a.with_country("US")
                    .with_postal_code(format!("{:05}", rng.range(0, 100_000)))
            };
            let potential = rng.range(100_000, 10_000_000) as i128;
            let sales = rng.range(0, potential as u64 / 2 + 1) as i128;
            a.with_potential(Money::from_minor(potential, Currency::USD).unwrap())
                .with_last_year_sales(Money::from_minor(sales, Currency::USD).unwrap())
                .with_workload_hours(Decimal::from(rng.range(5, 81)))
                .with_attribute("tier", Value::Number(Decimal::from(rng.range(1, 4))))
        })
        .collect();
    rng.shuffle(&mut out);
    out
}

/// An unbalanced alignment of `accounts` over `n` territories: territory
/// `t` draws accounts with weight `1 + t % 7`.
pub fn skewed_alignment(
    accounts: &[Account],
    n: usize,
    seed: u64,
) -> (Alignment, Vec<TerritoryId>) {
    let mut rng = Rng::new(seed);
    let weights: Vec<u64> = (0..n).map(|t| 1 + (t % 7) as u64).collect();
    let total: u64 = (0..n)
        .map(|t| 1 + (t % 7) as u64)
        .fold(0, u64::wrapping_add);
    let ids: Vec<TerritoryId> = (0..n).map(territory_id).collect();
    let entries = accounts.iter().map(|a| {
        let mut x = rng.range(0, total);
        let mut t = 0;
        while x >= weights[t] {
            x -= weights[t];
            t += 1;
        }
        (a.id().clone(), ids[t].clone())
    });
    (Alignment::new(entries).unwrap(), ids)
}
