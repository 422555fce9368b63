//! The worked example: the West region split into four territories by
//! postal-code prefix and industry, with two named accounts, a conflict and
//! an unassigned account; then its coverage, balance, expansion, a
//! rebalancing and a realignment.

use rust_decimal::Decimal;
use salesplan::calendar::DateRange;
use salesplan::territory::{
    AccountBook, AssignedBy, Assigner, Attribute, BalanceReport, Coverage, CoverageKind,
    CoverageSource, CoverageTable, Outcome, Predicate, RealignOptions, Realignment, Rebalance,
    RebalanceOptions, Rule, RuleBook, Territory, TerritoryCoverage, TerritoryLine,
};
use salesplan::{Currency, PositionId, TerritoryError};

use crate::common::{date, dec};
use crate::support::territory::{acct, always, t, usd, west_book, west_map, west_rules};

fn pos(s: &str) -> PositionId {
    PositionId::new(s).unwrap()
}

fn assignment() -> salesplan::territory::Assignment {
    let tree = west_map().as_of(date(2025, 3, 1)).unwrap();
    Assigner::new(&tree, &west_rules())
        .unwrap()
        .assign(&west_book())
        .unwrap()
}

#[test]
fn the_region_splits_into_four_territories() {
    let a = assignment();
    let named = Some(AssignedBy::Named);
    let rule = |priority| Some(AssignedBy::Rule { priority });
    // (account, territory, how) — or the outcome when not assigned.
    let table: &[(&str, Option<&str>, Option<AssignedBy>)] = &[
        ("acme", Some("sf"), rule(10)),
        ("bolt", Some("peninsula"), rule(10)),
        ("cyber", Some("peninsula"), rule(10)),
        ("delta", Some("east-bay"), rule(10)),
        // Healthcare beats the postal rules.
        ("echo", Some("health"), rule(20)),
        ("fable", Some("health"), rule(20)),
        // Named accounts beat everything, even their postal code.
        ("globex", Some("sf"), named),
        ("initech", Some("health"), named),
    ];
    for (id, territory, by) in table {
        match a.outcome(&acct(id)).unwrap() {
            Outcome::Assigned {
                territory: got,
                by: how,
            } => {
                assert_eq!(Some(got.as_str()), *territory, "{id}");
                assert_eq!(Some(*how), *by, "{id}");
            }
            other => panic!("{id}: {other:?}"),
        }
    }
    // A large East Bay hospital: claimed by East Bay and Health at 20.
    assert_eq!(
        a.outcome(&acct("gamma")),
        Some(&Outcome::Conflict {
            priority: 20,
            territories: vec![t("east-bay"), t("health")]
        })
    );
    // Marin (949) belongs to nobody yet.
    assert_eq!(a.outcome(&acct("hotel")), Some(&Outcome::Unassigned));
    let counts = a.counts();
    assert_eq!(
        (counts.assigned, counts.unassigned, counts.conflicts),
        (8, 1, 1)
    );
    let ids: Vec<&str> = a
        .placements()
        .iter()
        .map(|p| p.account().as_str())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted);
    // The conflict and the unassigned account are not in the alignment.
    let alignment = a.alignment();
    assert_eq!(alignment.len(), 8);
    assert_eq!(alignment.territory_of(&acct("gamma")), None);
}

fn coverage() -> CoverageTable {
    let h1 = DateRange::new(date(2025, 1, 1), Some(date(2025, 7, 1))).unwrap();
    let h2 = DateRange::starting(date(2025, 7, 1));
    CoverageTable::new(vec![
        Coverage::primary(t("sf"), pos("rep-sf"), always()),
        Coverage::new(
            t("peninsula"),
            pos("rep-pen-1"),
            CoverageKind::Primary,
            "60%".parse().unwrap(),
            always(),
        ),
        Coverage::new(
            t("peninsula"),
            pos("rep-pen-2"),
            CoverageKind::Primary,
            "40%".parse().unwrap(),
            always(),
        ),
        Coverage::primary(t("east-bay"), pos("rep-eb"), h1),
        Coverage::primary(t("east-bay"), pos("rep-eb-new"), h2),
        Coverage::primary(t("health"), pos("rep-health"), always()),
        Coverage::new(
            t("health"),
            pos("clinical-specialist"),
            CoverageKind::Overlay,
            "25%".parse().unwrap(),
            always(),
        ),
    ])
    .unwrap()
}

#[test]
fn crediting_asks_who_covers_an_account() {
    let source = TerritoryCoverage::new(assignment().alignment(), coverage());
    let shares = |id: &str, m: u32| -> Vec<(String, CoverageKind, String)> {
        source
            .coverage(&acct(id), date(2025, m, 15))
            .unwrap()
            .iter()
            .map(|s| (s.position().to_string(), s.kind(), s.share().to_string()))
            .collect()
    };
    let row = |p: &str, k, s: &str| (p.to_owned(), k, s.to_owned());
    use CoverageKind::{Overlay, Primary};
    assert_eq!(shares("acme", 3), [row("rep-sf", Primary, "100%")]);
    assert_eq!(
        shares("cyber", 3),
        [
            row("rep-pen-1", Primary, "60%"),
            row("rep-pen-2", Primary, "40%")
        ]
    );
    // East Bay changes hands on 1 July.
    assert_eq!(shares("delta", 6), [row("rep-eb", Primary, "100%")]);
    assert_eq!(shares("delta", 7), [row("rep-eb-new", Primary, "100%")]);
    assert_eq!(
        shares("echo", 3),
        [
            row("rep-health", Primary, "100%"),
            row("clinical-specialist", Overlay, "25%")
        ]
    );
    // Unassigned and conflicting accounts cannot be credited by territory.
    for id in ["hotel", "gamma", "nobody"] {
        assert_eq!(
            source.coverage(&acct(id), date(2025, 3, 1)),
            Err(TerritoryError::UnplacedAccount { account: acct(id) })
        );
    }
    // Before anyone covers the territory: an empty list.
    assert!(
        source
            .coverage(&acct("acme"), date(2024, 12, 31))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn balance_report_of_the_region() {
    let alignment = assignment().alignment();
    let territories = [t("sf"), t("peninsula"), t("east-bay"), t("health")];
    let report = BalanceReport::new(&west_book(), &alignment, &territories).unwrap();
    // (territory, accounts, potential, last year) by id.
    let rows: Vec<(String, u64, String, String)> = report
        .loads()
        .iter()
        .map(|l| {
            (
                l.territory().to_string(),
                l.accounts(),
                l.potential().amount().to_string(),
                l.last_year_sales().amount().to_string(),
            )
        })
        .collect();
    let row = |t: &str, n, p: &str, s: &str| (t.to_owned(), n, p.to_owned(), s.to_owned());
    assert_eq!(
        rows,
        [
            row("east-bay", 1, "120000", "60000"),
            row("health", 3, "830000", "260000"),
            row("peninsula", 2, "340000", "110000"),
            row("sf", 2, "900000", "370000"),
        ]
    );
    let p = report.potential();
    assert_eq!(p.total(), dec("2190000"));
    assert_eq!(p.mean(), dec("547500"));
    assert_eq!(p.max_min_ratio(), Some(dec("7.5")));
    // sf: (4 × 900000 - 2190000) / 2190000 = 1410000 / 2190000.
    let sf = &p.deviations()[3];
    assert_eq!(sf.territory(), &t("sf"));
    assert_eq!(sf.fraction(), Some(dec("1410000") / dec("2190000")));
    // The worst is below the mean: East Bay, |4 × 120000 - 2190000|.
    assert_eq!(p.worst_deviation(), Some(dec("1710000") / dec("2190000")));
    assert_eq!(
        p.deviations()[0].fraction(),
        Some(-(dec("1710000") / dec("2190000")))
    );
    // CV = sqrt(mean of squared deviations), checked to 20 places.
    let squares: Decimal = p
        .deviations()
        .iter()
        .map(|d| d.fraction().unwrap() * d.fraction().unwrap())
        .sum();
    let cv = p.coefficient_of_variation().unwrap();
    assert!((cv * cv - squares / dec("4")).abs() < dec("0.00000000000000000001"));
    assert_eq!(report.accounts().total(), dec("8"));
    assert_eq!(report.accounts().mean(), dec("2"));
}

#[test]
fn expansion_into_marin_places_the_unassigned_account() {
    let before = assignment();
    let grown = west_map()
        .to_builder()
        .territory(Territory::new(t("marin")).with_name("Marin"))
        .line(TerritoryLine::new(t("marin"), t("west"), always()))
        .build()
        .unwrap();
    let marin = RuleBook::builder()
        .rule(Rule::new(
            t("marin"),
            10,
            Predicate::prefix(Attribute::PostalCode, "949"),
        ))
        .build()
        .unwrap();
    let assigner = Assigner::new(&grown.as_of(date(2025, 3, 1)).unwrap(), &marin).unwrap();
    let after = before.expand(&west_book(), &assigner).unwrap();
    assert_eq!(after.territory_of(&acct("hotel")), Some(&t("marin")));
    // Everything else is unchanged, the conflict included.
    for p in before.placements() {
        if p.account() != &acct("hotel") {
            assert_eq!(after.outcome(p.account()), Some(p.outcome()));
        }
    }
    assert_eq!(after.counts().unassigned, 0);
}

#[test]
fn rebalancing_the_region_and_its_realignment() {
    let book = west_book();
    let old = assignment().alignment();
    let territories = [t("sf"), t("peninsula"), t("east-bay"), t("health")];
    let options = RebalanceOptions::new("50%".parse().unwrap());
    let proposal = Rebalance::propose(&book, &old, &territories, &options).unwrap();
    // globex (sf) and initech (health) are named: locked.
    for m in proposal.moves() {
        assert!(!["globex", "initech"].contains(&m.account().as_str()));
    }
    assert!(proposal.worst_after() <= proposal.worst_before());
    let report = BalanceReport::new(&book, proposal.alignment(), &territories).unwrap();
    assert_eq!(report.potential().worst_deviation(), proposal.worst_after());
    if proposal.within_tolerance() {
        assert!(proposal.worst_after().unwrap() <= dec("0.5"));
    }
    // Deviations (n × potential - total, in thousands): sf 1410,
    // health 1130, peninsula -830, East Bay -1710; tolerance 1095.
    // 1. sf gives to East Bay: acme (4 × 400 = 1600) leaves -190 and -110.
    // 2. health gives to the peninsula: echo leaves -70 and 370 (fable
    //    would leave 410 and -110). Everything is now within 1095.
    let moved: Vec<(&str, &str, &str)> = proposal
        .moves()
        .iter()
        .map(|m| {
            (
                m.account().as_str(),
                m.from().unwrap().as_str(),
                m.to().unwrap().as_str(),
            )
        })
        .collect();
    assert_eq!(
        moved,
        [("acme", "sf", "east-bay"), ("echo", "health", "peninsula")]
    );
    assert!(proposal.within_tolerance());
    assert_eq!(proposal.worst_after(), Some(dec("370") / dec("2190")));

    // The realignment, per territory and per position in March.
    let table = coverage();
    let diff = Realignment::between(
        &old,
        proposal.alignment(),
        &book,
        RealignOptions::new().positions(&table, date(2025, 3, 1)),
    )
    .unwrap();
    assert_eq!(old.apply(&diff).unwrap(), *proposal.alignment());
    let zero = usd("0");
    let shifts: Vec<_> = diff
        .territories()
        .iter()
        .map(|s| {
            (
                s.key().as_str(),
                s.sales_in(),
                s.sales_out(),
                s.potential_out(),
            )
        })
        .collect();
    assert_eq!(
        shifts,
        [
            ("east-bay", usd("150000"), zero, zero),
            ("health", zero, usd("90000"), usd("300000")),
            ("peninsula", usd("90000"), zero, zero),
            ("sf", zero, usd("150000"), usd("400000")),
        ]
    );
    // Primaries only, each for its share; the overlay carries no quota.
    let positions: Vec<_> = diff
        .positions()
        .iter()
        .map(|s| {
            (
                s.key().as_str(),
                s.accounts_in(),
                s.accounts_out(),
                s.sales_in(),
                s.sales_out(),
            )
        })
        .collect();
    assert_eq!(
        positions,
        [
            ("rep-eb", 1, 0, usd("150000"), zero),
            ("rep-health", 0, 1, zero, usd("90000")),
            ("rep-pen-1", 1, 0, usd("54000"), zero),
            ("rep-pen-2", 1, 0, usd("36000"), zero),
            ("rep-sf", 0, 1, zero, usd("150000")),
        ]
    );
    assert_eq!(book.currency(), Currency::USD);
}

#[test]
fn assignment_does_not_depend_on_input_order() {
    let book = west_book();
    let original = west_rules();
    let mut reversed = RuleBook::builder().rules(original.rules().iter().rev().cloned());
    for n in original.named().iter().rev() {
        reversed = reversed.named(n.clone());
    }
    let reversed = reversed.build().unwrap();
    let mut accounts = crate::support::territory::west_accounts();
    accounts.reverse();
    let book2 = AccountBook::new(Currency::USD, accounts).unwrap();
    let tree = west_map().as_of(date(2025, 3, 1)).unwrap();
    let a = Assigner::new(&tree, &west_rules())
        .unwrap()
        .assign(&book)
        .unwrap();
    let b = Assigner::new(&tree, &reversed)
        .unwrap()
        .assign(&book2)
        .unwrap();
    assert_eq!(a, b);
}

/// Plans are data: the map, the rules, the accounts, the coverage and
/// every result go through JSON and back unchanged.
#[cfg(feature = "serde")]
#[test]
fn plans_round_trip_through_json() {
    fn round<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T) -> T {
        serde_json::from_str(&serde_json::to_string(value).unwrap()).unwrap()
    }
    let map = west_map();
    let back = round(&map);
    assert_eq!(back.to_builder(), map.to_builder());
    let rules = west_rules();
    assert_eq!(round(&rules), rules);
    let book = west_book();
    assert_eq!(round(&book), book);
    let table = coverage();
    assert_eq!(round(&table), table);
    let a = assignment();
    assert_eq!(round(&a), a);
    let alignment = a.alignment();
    assert_eq!(round(&alignment), alignment);
    let territories = [t("sf"), t("peninsula"), t("east-bay"), t("health")];
    let report = BalanceReport::new(&book, &alignment, &territories).unwrap();
    assert_eq!(round(&report), report);
    let options = RebalanceOptions::new("50%".parse().unwrap());
    assert_eq!(round(&options), options);
    let proposal = Rebalance::propose(&book, &alignment, &territories, &options).unwrap();
    assert_eq!(round(&proposal), proposal);
    let diff = Realignment::between(
        &alignment,
        proposal.alignment(),
        &book,
        RealignOptions::new().positions(&table, date(2025, 3, 1)),
    )
    .unwrap();
    assert_eq!(round(&diff), diff);
    // A rule as it reads in JSON.
    let json = serde_json::to_string(&west_rules().rules()[3]).unwrap();
    assert_eq!(
        json,
        r#"{"territory":"health","priority":20,"when":{"all":[{"prefix":{"attribute":"postal_code","prefix":"94"}},{"equals":{"attribute":"industry","value":{"text":"62"}}}]}}"#
    );
}

#[test]
fn what_an_assignment_and_its_rules_report_about_themselves() {
    use salesplan::territory::AttributeType;
    let tree = west_map().as_of(date(2025, 3, 1)).unwrap();
    assert_eq!(tree.len(), 5);
    assert_eq!(
        ["west", "sf", "nowhere"].map(|id| tree.depth(&t(id))),
        [Some(0), Some(1), None]
    );
    let assigner = Assigner::new(&tree, &west_rules()).unwrap();
    // The three postal rules are a choice (`any`) of prefixes, which the
    // index does not take: they are tried for every account. The two `all`
    // rules are filed under one of their tests.
    assert_eq!(assigner.unindexed_rules(), 3);
    let is = |v: &str| Predicate::is(Attribute::Industry, v);
    let filed = RuleBook::builder()
        .rule(Rule::new(t("sf"), 1, is("62")))
        .rule(Rule::new(
            t("health"),
            2,
            Predicate::any([is("51"), is("52")]),
        ))
        .build()
        .unwrap();
    assert_eq!(Assigner::new(&tree, &filed).unwrap().unindexed_rules(), 1);
    // The territories holding accounts, once each, by id.
    let held = assignment().alignment().territories();
    assert_eq!(held, ["east-bay", "health", "peninsula", "sf"].map(t));
    for (kind, reads) in [
        (AttributeType::Text, "text"),
        (AttributeType::Number, "a number"),
        (AttributeType::Flag, "a flag"),
    ] {
        assert_eq!(kind.to_string(), reads);
    }
}

#[test]
fn rules_on_custom_text_and_number_attributes() {
    use salesplan::territory::{Account, AttributeType, Value};
    let tree = west_map().as_of(date(2025, 3, 1)).unwrap();
    let segment = || Attribute::Custom("segment".into());
    let tier = || Attribute::Custom("tier".into());
    let rules = RuleBook::builder()
        .attribute("segment", AttributeType::Text)
        .attribute("tier", AttributeType::Number)
        .rule(Rule::new(
            t("sf"),
            1,
            Predicate::is(segment(), "enterprise"),
        ))
        .rule(Rule::new(
            t("health"),
            1,
            Predicate::one_of(
                tier(),
                [
                    Value::Number(Decimal::from(1)),
                    Value::Number(Decimal::from(2)),
                ],
            ),
        ))
        .build()
        .unwrap();
    let accounts = vec![
        Account::new(acct("big")).with_attribute("segment", Value::text("enterprise")),
        Account::new(acct("small")).with_attribute("segment", Value::text("smb")),
        Account::new(acct("gold")).with_attribute("tier", Value::Number(Decimal::from(2))),
        Account::new(acct("tin")).with_attribute("tier", Value::Number(Decimal::from(3))),
    ];
    let book = AccountBook::new(Currency::USD, accounts).unwrap();
    let a = Assigner::new(&tree, &rules).unwrap().assign(&book).unwrap();
    // (account, territory)
    let table = [
        ("big", Some("sf")),
        ("small", None),
        ("gold", Some("health")),
        ("tin", None),
    ];
    for (id, want) in table {
        let got = match a.outcome(&acct(id)).unwrap() {
            Outcome::Assigned { territory, .. } => Some(territory.as_str().to_owned()),
            _ => None,
        };
        assert_eq!(got.as_deref(), want, "{id}");
    }
}
