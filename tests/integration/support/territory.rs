//! Territory fixtures: the worked example (a region split into four
//! territories) and small builders.

use rust_decimal::Decimal;
use salesplan::calendar::DateRange;
use salesplan::territory::{
    Account, AccountBook, Attribute, NamedAccount, Predicate, Rule, RuleBook, Territory,
    TerritoryLine, TerritoryMap,
};
use salesplan::{AccountId, Currency, Money, TerritoryId};

use crate::common::date;

pub(crate) fn t(s: &str) -> TerritoryId {
    TerritoryId::new(s).unwrap()
}

pub(crate) fn acct(s: &str) -> AccountId {
    AccountId::new(s).unwrap()
}

pub(crate) fn usd(s: &str) -> Money {
    Money::parse(s, Currency::USD).unwrap()
}

/// Open-ended from 1 January 2025.
pub(crate) fn always() -> DateRange {
    DateRange::starting(date(2025, 1, 1))
}

/// The West region and its four territories: San Francisco (941), the
/// Peninsula (940, 943), the East Bay (945, 946) and a healthcare
/// specialist territory (industry 62 anywhere in 94xxx).
pub(crate) fn west_map() -> TerritoryMap {
    TerritoryMap::builder()
        .territories(
            ["west", "sf", "peninsula", "east-bay", "health"].map(|s| Territory::new(t(s))),
        )
        .line(TerritoryLine::top(t("west"), always()))
        .lines(
            ["sf", "peninsula", "east-bay", "health"]
                .map(|s| TerritoryLine::new(t(s), t("west"), always())),
        )
        .build()
        .unwrap()
}

fn postal(territory: &str, priority: u32, prefixes: &[&str]) -> Rule {
    Rule::new(
        t(territory),
        priority,
        Predicate::any(
            prefixes
                .iter()
                .map(|p| Predicate::prefix(Attribute::PostalCode, *p)),
        ),
    )
}

/// Postal prefixes at priority 10; healthcare (industry 62) in 94xxx at
/// 20; the East Bay also claims its large hospitals (1000+ employees) at
/// 20, which is the conflict; two named accounts.
pub(crate) fn west_rules() -> RuleBook {
    RuleBook::builder()
        .rule(postal("sf", 10, &["941"]))
        .rule(postal("peninsula", 10, &["940", "943"]))
        .rule(postal("east-bay", 10, &["945", "946"]))
        .rule(Rule::new(
            t("health"),
            20,
            Predicate::all([
                Predicate::prefix(Attribute::PostalCode, "94"),
                Predicate::is(Attribute::Industry, "62"),
            ]),
        ))
        .rule(Rule::new(
            t("east-bay"),
            20,
            Predicate::all([
                Predicate::prefix(Attribute::PostalCode, "945"),
                Predicate::is(Attribute::Industry, "62"),
                Predicate::range(Attribute::Employees, Some(Decimal::from(1000)), None),
            ]),
        ))
        .named(NamedAccount::new(acct("globex"), t("sf")))
        .named(NamedAccount::new(acct("initech"), t("health")))
        .build()
        .unwrap()
}

/// `(id, postal code, industry, employees, named, potential, last year)`.
pub(crate) const WEST_ACCOUNTS: &[(&str, &str, &str, u64, bool, &str, &str)] = &[
    ("acme", "94107", "33", 120, false, "400000", "150000"),
    ("bolt", "94025", "51", 40, false, "90000", "30000"),
    ("cyber", "94301", "54", 300, false, "250000", "80000"),
    ("delta", "94501", "31", 80, false, "120000", "60000"),
    ("echo", "94110", "62", 300, false, "300000", "90000"),
    ("fable", "94609", "62", 200, false, "180000", "70000"),
    ("gamma", "94502", "62", 2500, false, "900000", "400000"),
    ("hotel", "94901", "33", 60, false, "110000", "20000"),
    ("globex", "94530", "42", 900, true, "500000", "220000"),
    ("initech", "94040", "51", 1500, true, "350000", "100000"),
];

pub(crate) fn west_accounts() -> Vec<Account> {
    WEST_ACCOUNTS
        .iter()
        .map(|(id, zip, industry, employees, named, potential, sales)| {
            Account::new(acct(id))
                .with_country("US")
                .with_region("CA")
                .with_postal_code(*zip)
                .with_industry(*industry)
                .with_employees(*employees)
                .with_named(*named)
                .with_potential(usd(potential))
                .with_last_year_sales(usd(sales))
                .with_workload_hours(Decimal::from(*employees / 10 + 20))
        })
        .collect()
}

pub(crate) fn west_book() -> AccountBook {
    AccountBook::new(Currency::USD, west_accounts()).unwrap()
}
