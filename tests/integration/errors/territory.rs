//! Territories: every rejected input, its variant and the ids and values it
//! names.

use rust_decimal::Decimal;
use salesplan::calendar::DateRange;
use salesplan::territory::{
    Account, AccountBook, Alignment, Assigner, Attribute, AttributeType, BalanceReport, Coverage,
    CoverageKind, CoverageTable, MAX_PREDICATE_DEPTH, NamedAccount, Predicate, RealignOptions,
    Realignment, Rebalance, RebalanceOptions, Rule, RuleBook, Territory, TerritoryLine,
    TerritoryMap, TerritoryMapBuilder, Value,
};
use salesplan::{Currency, Money, PositionId, TerritoryError};

use crate::common::{date, dec};
use crate::support::territory::{acct, always, t, usd, west_map};

fn base() -> TerritoryMapBuilder {
    TerritoryMap::builder()
        .territories(["top", "a", "b"].map(|s| Territory::new(t(s))))
        .line(TerritoryLine::top(t("top"), always()))
        .line(TerritoryLine::new(t("a"), t("top"), always()))
}

#[test]
fn hierarchy_declarations() {
    assert_eq!(
        base()
            .territory(Territory::new(t("a")))
            .build()
            .unwrap_err(),
        TerritoryError::DuplicateTerritory { territory: t("a") }
    );
    assert_eq!(
        base()
            .line(TerritoryLine::new(t("ghost"), t("top"), always()))
            .build()
            .unwrap_err(),
        TerritoryError::UnknownTerritory {
            territory: t("ghost")
        }
    );
    assert_eq!(
        base()
            .line(TerritoryLine::new(t("b"), t("ghost"), always()))
            .build()
            .unwrap_err(),
        TerritoryError::UnknownParent {
            territory: t("b"),
            parent: t("ghost")
        }
    );
    assert_eq!(
        base()
            .line(TerritoryLine::new(t("b"), t("b"), always()))
            .build()
            .unwrap_err(),
        TerritoryError::SelfParent { territory: t("b") }
    );
    let h1 = DateRange::new(date(2025, 1, 1), Some(date(2025, 7, 1))).unwrap();
    let from_june = DateRange::starting(date(2025, 6, 1));
    assert_eq!(
        base()
            .line(TerritoryLine::new(t("b"), t("top"), h1))
            .line(TerritoryLine::new(t("b"), t("a"), from_june))
            .build()
            .unwrap_err(),
        TerritoryError::OverlappingLines {
            territory: t("b"),
            first: h1,
            second: from_june
        }
    );
    // An inverted or empty range, named by territory.
    for until in [date(2025, 1, 1), date(2024, 12, 1)] {
        assert_eq!(
            TerritoryLine::between(t("b"), Some(t("top")), date(2025, 1, 1), Some(until))
                .unwrap_err(),
            TerritoryError::EmptyRange {
                territory: t("b"),
                from: date(2025, 1, 1),
                until
            }
        );
    }
}

#[test]
fn hierarchy_shape_on_a_date() {
    let day = date(2025, 3, 1);
    // a -> b -> c -> a, beside the root.
    let cycle = TerritoryMap::builder()
        .territories(["top", "a", "b", "c"].map(|s| Territory::new(t(s))))
        .line(TerritoryLine::top(t("top"), always()))
        .line(TerritoryLine::new(t("a"), t("b"), always()))
        .line(TerritoryLine::new(t("b"), t("c"), always()))
        .line(TerritoryLine::new(t("c"), t("a"), always()))
        .build()
        .unwrap();
    match cycle.as_of(day).unwrap_err() {
        TerritoryError::Cycle { date, cycle } => {
            assert_eq!(date, day);
            let mut ids = cycle.clone();
            ids.sort();
            assert_eq!(ids, [t("a"), t("b"), t("c")]);
            // Each is the child of the next.
            for (i, c) in cycle.iter().enumerate() {
                let next = &cycle[(i + 1) % cycle.len()];
                let expected = match c.as_str() {
                    "a" => "b",
                    "b" => "c",
                    _ => "a",
                };
                assert_eq!(next.as_str(), expected);
            }
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        base()
            .line(TerritoryLine::top(t("b"), always()))
            .build()
            .unwrap()
            .as_of(day)
            .unwrap_err(),
        TerritoryError::SeveralRoots {
            date: day,
            roots: vec![t("b"), t("top")]
        }
    );
    assert_eq!(
        base().build().unwrap().as_of(date(2024, 1, 1)).unwrap_err(),
        TerritoryError::NoRoot {
            date: date(2024, 1, 1)
        }
    );
    let until_march = DateRange::new(date(2025, 1, 1), Some(date(2025, 3, 1))).unwrap();
    let map = TerritoryMap::builder()
        .territories(["top", "a", "b"].map(|s| Territory::new(t(s))))
        .line(TerritoryLine::top(t("top"), always()))
        .line(TerritoryLine::new(t("a"), t("top"), until_march))
        .line(TerritoryLine::new(t("b"), t("a"), always()))
        .build()
        .unwrap();
    assert_eq!(
        map.as_of(day).unwrap_err(),
        TerritoryError::ParentNotInMap {
            territory: t("b"),
            parent: t("a"),
            date: day
        }
    );
}

fn rule(p: Predicate) -> RuleBook {
    RuleBook::builder()
        .rule(Rule::new(t("a"), 1, p))
        .build()
        .unwrap()
}

fn rule_err(p: Predicate) -> TerritoryError {
    RuleBook::builder()
        .rule(Rule::new(t("a"), 1, p))
        .build()
        .unwrap_err()
}

#[test]
fn rules_with_unknown_or_mistyped_attributes() {
    assert_eq!(
        rule_err(Predicate::is(Attribute::Custom("segment".into()), "smb")),
        TerritoryError::UnknownAttribute {
            territory: t("a"),
            attribute: "segment".into()
        }
    );
    let mistyped = |p, attribute: &str, actual, operation| {
        assert_eq!(
            rule_err(p),
            TerritoryError::AttributeType {
                territory: t("a"),
                attribute: attribute.into(),
                actual,
                operation
            }
        );
    };
    mistyped(
        Predicate::prefix(Attribute::Employees, "1"),
        "employees",
        AttributeType::Number,
        "prefix",
    );
    mistyped(
        Predicate::range(Attribute::Country, Some(Decimal::ONE), None),
        "country",
        AttributeType::Text,
        "range",
    );
    mistyped(
        Predicate::equals(Attribute::PostalCode, Value::Number(dec("94107"))),
        "postal_code",
        AttributeType::Text,
        "equals",
    );
    mistyped(
        Predicate::one_of(Attribute::Named, [Value::Flag(true), Value::text("yes")]),
        "named",
        AttributeType::Flag,
        "one_of",
    );
    // Nested deep inside: still found, still named.
    mistyped(
        Predicate::all([!Predicate::any([Predicate::prefix(
            Attribute::AnnualRevenue,
            "9",
        )])]),
        "annual_revenue",
        AttributeType::Number,
        "prefix",
    );
    // A declared custom attribute is checked against its declared type.
    let declared = RuleBook::builder()
        .attribute("tier", AttributeType::Number)
        .rule(Rule::new(
            t("a"),
            1,
            Predicate::prefix(Attribute::Custom("tier".into()), "gold"),
        ))
        .build()
        .unwrap_err();
    assert_eq!(
        declared,
        TerritoryError::AttributeType {
            territory: t("a"),
            attribute: "tier".into(),
            actual: AttributeType::Number,
            operation: "prefix"
        }
    );
    // An account whose value has another type than declared.
    let book = RuleBook::builder()
        .attribute("tier", AttributeType::Number)
        .rule(Rule::new(
            t("a"),
            1,
            Predicate::range(Attribute::Custom("tier".into()), Some(Decimal::TWO), None),
        ))
        .build()
        .unwrap();
    let tree = base().build().unwrap().as_of(date(2025, 3, 1)).unwrap();
    let accounts = AccountBook::new(
        Currency::USD,
        vec![Account::new(acct("x")).with_attribute("tier", Value::text("gold"))],
    )
    .unwrap();
    assert_eq!(
        Assigner::new(&tree, &book)
            .unwrap()
            .assign(&accounts)
            .unwrap_err(),
        TerritoryError::AccountAttributeType {
            account: acct("x"),
            attribute: "tier".into(),
            expected: AttributeType::Number
        }
    );
}

#[test]
fn inverted_and_empty_numeric_ranges() {
    for (from, to) in [("500", "100"), ("100", "100")] {
        assert_eq!(
            rule_err(Predicate::range(
                Attribute::Employees,
                Some(dec(from)),
                Some(dec(to))
            )),
            TerritoryError::InvertedRange {
                territory: t("a"),
                attribute: "employees".into(),
                from: dec(from),
                to: dec(to)
            }
        );
    }
    // Open-ended ranges are fine.
    rule(Predicate::range(Attribute::Employees, None, Some(dec("1"))));
}

#[test]
fn too_deep_duplicate_named_and_territories_off_the_map() {
    let mut p = Predicate::is(Attribute::Country, "US");
    for _ in 0..MAX_PREDICATE_DEPTH {
        p = !p;
    }
    assert_eq!(
        rule_err(p),
        TerritoryError::PredicateTooDeep {
            territory: t("a"),
            max: MAX_PREDICATE_DEPTH
        }
    );
    assert_eq!(
        RuleBook::builder()
            .named(NamedAccount::new(acct("acme"), t("b")))
            .named(NamedAccount::new(acct("acme"), t("a")))
            .build()
            .unwrap_err(),
        TerritoryError::DuplicateNamedAccount {
            account: acct("acme"),
            first: t("a"),
            second: t("b")
        }
    );
    let tree = west_map().as_of(date(2025, 3, 1)).unwrap();
    let off = RuleBook::builder()
        .rule(Rule::new(t("marin"), 1, Predicate::all([])))
        .build()
        .unwrap();
    assert_eq!(
        Assigner::new(&tree, &off).unwrap_err(),
        TerritoryError::NotInMap {
            territory: t("marin"),
            date: date(2025, 3, 1)
        }
    );
}

#[test]
fn account_books() {
    let a = |id: &str| Account::new(acct(id));
    assert_eq!(
        AccountBook::new(Currency::USD, vec![a("x"), a("y"), a("x")]).unwrap_err(),
        TerritoryError::DuplicateAccount { account: acct("x") }
    );
    let eur = Money::parse("10", Currency::EUR).unwrap();
    assert_eq!(
        AccountBook::new(Currency::USD, vec![a("x").with_last_year_sales(eur)]).unwrap_err(),
        TerritoryError::MeasureCurrency {
            account: acct("x"),
            measure: "last_year_sales",
            expected: Currency::USD,
            found: Currency::EUR
        }
    );
    assert_eq!(
        AccountBook::new(Currency::USD, vec![a("x").with_potential(usd("-1"))]).unwrap_err(),
        TerritoryError::NegativeMeasure {
            account: acct("x"),
            measure: "potential",
            value: dec("-1")
        }
    );
    assert_eq!(
        AccountBook::new(Currency::USD, vec![a("x").with_workload_hours(dec("-2.5"))]).unwrap_err(),
        TerritoryError::NegativeMeasure {
            account: acct("x"),
            measure: "workload",
            value: dec("-2.5")
        }
    );
}

fn pos(s: &str) -> PositionId {
    PositionId::new(s).unwrap()
}

#[test]
fn coverage_shares_not_summing_to_100_percent() {
    let share = |p: &str| p.parse().unwrap();
    // 60% + 30% from 1 January.
    assert_eq!(
        CoverageTable::new(vec![
            Coverage::new(
                t("a"),
                pos("r1"),
                CoverageKind::Primary,
                share("60%"),
                always()
            ),
            Coverage::new(
                t("a"),
                pos("r2"),
                CoverageKind::Primary,
                share("30%"),
                always()
            ),
        ])
        .unwrap_err(),
        TerritoryError::PrimaryShares {
            territory: t("a"),
            date: date(2025, 1, 1),
            sum: dec("0.9")
        }
    );
    // 100% until July, then a second primary joins at 50% without the
    // first giving anything up: 150% from 1 July.
    assert_eq!(
        CoverageTable::new(vec![
            Coverage::primary(t("a"), pos("r1"), always()),
            Coverage::new(
                t("a"),
                pos("r2"),
                CoverageKind::Primary,
                share("50%"),
                DateRange::starting(date(2025, 7, 1))
            ),
        ])
        .unwrap_err(),
        TerritoryError::PrimaryShares {
            territory: t("a"),
            date: date(2025, 7, 1),
            sum: dec("1.5")
        }
    );
    // Overlays do not count towards the primaries' 100%.
    CoverageTable::new(vec![
        Coverage::primary(t("a"), pos("r1"), always()),
        Coverage::new(
            t("a"),
            pos("s"),
            CoverageKind::Overlay,
            share("80%"),
            always(),
        ),
    ])
    .unwrap();
}

#[test]
fn overlapping_coverage_of_one_position() {
    let h1 = DateRange::new(date(2025, 1, 1), Some(date(2025, 7, 1))).unwrap();
    let from_june = DateRange::starting(date(2025, 6, 1));
    let share = "50%".parse().unwrap();
    assert_eq!(
        CoverageTable::new(vec![
            Coverage::primary(t("a"), pos("r1"), h1),
            Coverage::new(t("a"), pos("r1"), CoverageKind::Overlay, share, from_june),
        ])
        .unwrap_err(),
        TerritoryError::OverlappingCoverage {
            territory: t("a"),
            position: pos("r1"),
            first: h1,
            second: from_june
        }
    );
    // The same position on two territories is fine.
    CoverageTable::new(vec![
        Coverage::primary(t("a"), pos("r1"), always()),
        Coverage::primary(t("b"), pos("r1"), always()),
    ])
    .unwrap();
}

#[test]
fn balancing_and_realignment_inputs() {
    let book = AccountBook::new(
        Currency::USD,
        vec![
            Account::new(acct("x")).with_potential(usd("10")),
            Account::new(acct("y")).with_potential(usd("20")),
        ],
    )
    .unwrap();
    let alignment = Alignment::new([(acct("x"), t("a")), (acct("y"), t("b"))]).unwrap();
    assert_eq!(
        BalanceReport::new(&book, &alignment, &[t("a"), t("b"), t("a")]).unwrap_err(),
        TerritoryError::DuplicateTerritory { territory: t("a") }
    );
    assert_eq!(
        BalanceReport::new(&book, &alignment, &[t("a")]).unwrap_err(),
        TerritoryError::UnknownTerritory { territory: t("b") }
    );
    let stranger = Alignment::new([(acct("z"), t("a"))]).unwrap();
    assert_eq!(
        BalanceReport::new(&book, &stranger, &[t("a")]).unwrap_err(),
        TerritoryError::UnknownAccount { account: acct("z") }
    );
    let options = RebalanceOptions::new("10%".parse().unwrap()).lock([acct("ghost")]);
    assert_eq!(
        Rebalance::propose(&book, &alignment, &[t("a"), t("b")], &options).unwrap_err(),
        TerritoryError::UnknownAccount {
            account: acct("ghost")
        }
    );
    assert_eq!(
        Alignment::new([(acct("x"), t("a")), (acct("x"), t("b"))]).unwrap_err(),
        TerritoryError::DuplicateAccount { account: acct("x") }
    );
    // A diff applied to an alignment it was not made from.
    let moved = Alignment::new([(acct("x"), t("b")), (acct("y"), t("b"))]).unwrap();
    let diff = Realignment::between(&alignment, &moved, &book, RealignOptions::new()).unwrap();
    assert_eq!(
        moved.apply(&diff).unwrap_err(),
        TerritoryError::StaleMove {
            account: acct("x"),
            expected: Some(t("a")),
            found: Some(t("b"))
        }
    );
    // A moving account the book does not know (x and y leave, z joins).
    assert_eq!(
        Realignment::between(&alignment, &stranger, &book, RealignOptions::new()).unwrap_err(),
        TerritoryError::UnknownAccount { account: acct("z") }
    );
}

/// `always()` as JSON, whatever the date range's field names.
#[cfg(feature = "serde")]
fn always_json() -> String {
    serde_json::to_string(&always()).unwrap()
}

#[cfg(feature = "serde")]
#[test]
fn deserialization_validates() {
    let err = serde_json::from_str::<RuleBook>(
        r#"{"rules": [{"territory": "a", "priority": 1,
            "when": {"range": {"attribute": "employees", "from": "9", "to": "1"}}}]}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("empty range"), "{err}");
    let err = serde_json::from_str::<CoverageTable>(
        &r#"[{"territory": "a", "position": "r1", "kind": "primary", "share": "99%",
             "effective": ALWAYS}]"#
            .replace("ALWAYS", &always_json()),
    )
    .unwrap_err();
    assert!(err.to_string().contains("adding up to 0.99"), "{err}");
    let err = serde_json::from_str::<TerritoryMap>(
        r#"{"territories": [{"id": "a"}, {"id": "a"}], "lines": []}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("declared twice"), "{err}");
    let err = serde_json::from_str::<Alignment>(r#"[["x", "a"], ["x", "b"]]"#).unwrap_err();
    assert!(err.to_string().contains("given twice"), "{err}");
}

#[test]
fn an_account_claimed_at_equal_priority_is_a_reported_conflict_not_an_error() {
    use crate::support::territory::{west_book, west_rules};
    use salesplan::territory::Outcome;
    // East Bay and Health both claim the large East Bay hospital at 20.
    let tree = west_map().as_of(date(2025, 3, 1)).unwrap();
    let assignment = Assigner::new(&tree, &west_rules())
        .unwrap()
        .assign(&west_book())
        .unwrap();
    assert_eq!(
        assignment.outcome(&acct("gamma")),
        Some(&Outcome::Conflict {
            priority: 20,
            territories: vec![t("east-bay"), t("health")]
        })
    );
    assert_eq!(assignment.counts().conflicts, 1);
}

/// Issue #27, defect 2: a misspelled bound in a rule's range (`"form"` for
/// `"from"`) was dropped, leaving the range open below, so the rule
/// claimed every small account too. It is refused, naming the field.
#[cfg(feature = "serde")]
#[test]
fn a_misspelled_range_bound_is_refused_not_dropped() {
    let err = serde_json::from_str::<RuleBook>(
        r#"{"rules": [{"territory": "enterprise", "priority": 10,
            "when": {"range": {"attribute": "employees", "form": "1000"}}}]}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("unknown field `form`"), "{err}");
    // Spelled right, it reads as the rule it is.
    let book: RuleBook = serde_json::from_str(
        r#"{"rules": [{"territory": "enterprise", "priority": 10,
            "when": {"range": {"attribute": "employees", "from": "1000"}}}]}"#,
    )
    .unwrap();
    assert_eq!(
        book.rules()[0].when(),
        &Predicate::range(Attribute::Employees, Some(dec("1000")), None)
    );
}

/// Issue #27, defect 2: every territory input type refuses an unknown
/// field and names it.
#[cfg(feature = "serde")]
#[test]
fn unknown_fields_are_refused_on_every_territory_input() {
    use salesplan::territory::TerritoryCoverage;
    use serde::de::DeserializeOwned;
    fn refuses<T: DeserializeOwned + std::fmt::Debug>(json: &str, field: &str) {
        let err = serde_json::from_str::<T>(json).unwrap_err().to_string();
        assert!(
            err.contains(&format!("unknown field `{field}`")),
            "{}: {err}",
            std::any::type_name::<T>()
        );
    }
    let always = always_json();
    refuses::<Territory>(r#"{"id": "a", "label": "A"}"#, "label");
    refuses::<TerritoryLine>(
        &format!(r#"{{"territory": "a", "effective": {always}, "parent_id": "b"}}"#),
        "parent_id",
    );
    refuses::<TerritoryMapBuilder>(r#"{"territories": [], "line": []}"#, "line");
    refuses::<TerritoryMap>(r#"{"territorys": []}"#, "territorys");
    refuses::<Account>(r#"{"id": "a", "zip": "94107"}"#, "zip");
    refuses::<AccountBook>(r#"{"currency": "USD", "account": []}"#, "account");
    refuses::<Predicate>(
        r#"{"prefix": {"attribute": "postal_code", "prefix": "94", "suffix": "7"}}"#,
        "suffix",
    );
    refuses::<Predicate>(
        r#"{"equals": {"attribute": "country", "value": {"text": "US"}, "case": "any"}}"#,
        "case",
    );
    refuses::<Rule>(
        r#"{"territory": "a", "priority": 1, "when": {"all": []}, "weight": 2}"#,
        "weight",
    );
    refuses::<NamedAccount>(
        r#"{"account": "x", "territory": "a", "since": "2025"}"#,
        "since",
    );
    refuses::<RuleBook>(r#"{"rules": [], "overrides": []}"#, "overrides");
    refuses::<Coverage>(
        &format!(
            r#"{{"territory": "a", "position": "p", "kind": "primary", "share": "100%",
                "effective": {always}, "split": "100%"}}"#
        ),
        "split",
    );
    refuses::<CoverageTable>(
        &format!(
            r#"[{{"territory": "a", "position": "p", "kind": "overlay", "share": "10%",
                "effective": {always}, "primary": false}}]"#
        ),
        "primary",
    );
    refuses::<TerritoryCoverage>(r#"{"alignment": [], "coverage": [], "table": []}"#, "table");
    refuses::<RebalanceOptions>(r#"{"tolerance": "10%", "lock": []}"#, "lock");
}
