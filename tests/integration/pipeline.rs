//! Pipeline and forecast (issue #31): worked examples, invariants as
//! property tests, and one error test per bad input.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::calendar::DateRange;
use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
use salesplan::pipeline::{
    Closed, ForecastAccuracy, ForecastCall, ForecastCategory, Opportunity, OpportunityId, Owner,
    Pipeline, PipelineError, PipelineOptions, Stage, Stages,
};
use salesplan::rollup::{NodeValues, SumOptions, sum_credits};
use salesplan::{Currency, Execution, Money, Percent, Period, RoundingPolicy};

use crate::common::{date, dec};
use crate::support::{RandomTree, person, pos, random_tree};

fn d(m: u32, day: u32) -> NaiveDate {
    date(2025, m, day)
}

fn usd(a: &str) -> Money {
    Money::parse(a, Currency::USD).unwrap()
}

fn pct(s: &str) -> Percent {
    s.parse().unwrap()
}

fn oid(s: &str) -> OpportunityId {
    OpportunityId::new(s).unwrap()
}

fn q1() -> Period {
    Period::new(d(1, 1), d(4, 1)).unwrap()
}

fn stages() -> Stages {
    Stages::new(vec![
        Stage::new("qualify", pct("10%")).unwrap(),
        Stage::new("demo", pct("30%")).unwrap(),
        Stage::new("proposal", pct("60%")).unwrap(),
        Stage::new("negotiate", pct("80%")).unwrap(),
    ])
    .unwrap()
}

/// vp <- (east <- e1, e2), (west <- w1); ana holds e1.
fn org() -> Org {
    let always = DateRange::starting(d(1, 1));
    Org::builder()
        .position(Position::new(pos("vp"), Role::Executive))
        .positions(["east", "west"].map(|p| Position::new(pos(p), Role::TeamLead)))
        .positions(["e1", "e2", "w1"].map(|p| Position::new(pos(p), Role::SalesRep)))
        .line(ReportingLine::top(pos("vp"), always))
        .lines(["east", "west"].map(|p| ReportingLine::new(pos(p), pos("vp"), always)))
        .lines(["e1", "e2"].map(|p| ReportingLine::new(pos(p), pos("east"), always)))
        .line(ReportingLine::new(pos("w1"), pos("west"), always))
        .assignment(Assignment::new(person("ana"), pos("e1"), always))
        .build()
        .unwrap()
}

fn opp(
    id: &str,
    owner: &str,
    stage: &str,
    amount: &str,
) -> salesplan::pipeline::OpportunityBuilder {
    Opportunity::builder(
        oid(id),
        Owner::Position(pos(owner)),
        stage,
        usd(amount),
        d(1, 5),
        d(3, 15),
    )
}

fn book() -> Pipeline {
    Pipeline::new(
        Currency::USD,
        stages(),
        vec![
            opp("o1", "e1", "proposal", "10000.00")
                .category(ForecastCategory::Commit)
                .build()
                .unwrap(),
            Opportunity::builder(
                oid("o2"),
                Owner::Person(person("ana")),
                "demo",
                usd("5000.00"),
                d(1, 5),
                d(2, 20),
            )
            .category(ForecastCategory::BestCase)
            .build()
            .unwrap(),
            opp("o3", "e2", "negotiate", "2000.00")
                .probability(pct("90%"))
                .category(ForecastCategory::Commit)
                .build()
                .unwrap(),
            opp("o4", "w1", "qualify", "7000.00").build().unwrap(),
            // Expected next quarter: not in Q1's open pipeline.
            Opportunity::builder(
                oid("o5"),
                Owner::Position(pos("w1")),
                "proposal",
                usd("9999.00"),
                d(1, 5),
                d(5, 1),
            )
            .build()
            .unwrap(),
            opp("o6", "e2", "proposal", "8000.00")
                .closed(Closed::won(d(3, 1), usd("7500.00")))
                .build()
                .unwrap(),
            opp("o7", "w1", "demo", "3000.00")
                .closed(Closed::lost(d(2, 1), usd("3000.00")))
                .build()
                .unwrap(),
        ],
    )
    .unwrap()
}

// ---------------------------------------------------------------- worked examples

#[test]
fn weighted_pipeline_and_categories_per_node() {
    let org = org();
    let snapshot = org.as_of(d(3, 31)).unwrap();
    let totals = book()
        .roll_up(&snapshot, PipelineOptions::new(q1()))
        .unwrap();
    // (position, open, weighted, commit, best case, pipeline, won, lost count)
    let table = [
        (
            "e1", "15000.00", "7500.00", "10000.00", "5000.00", "0.00", "0.00", 0,
        ),
        (
            "e2", "2000.00", "1800.00", "2000.00", "0.00", "0.00", "7500.00", 0,
        ),
        (
            "east", "17000.00", "9300.00", "12000.00", "5000.00", "0.00", "7500.00", 0,
        ),
        (
            "w1", "7000.00", "700.00", "0.00", "0.00", "7000.00", "0.00", 1,
        ),
        (
            "vp", "24000.00", "10000.00", "12000.00", "5000.00", "7000.00", "7500.00", 1,
        ),
    ];
    for (p, open, weighted, commit, best, pipe, won, lost) in table {
        let f = totals.subtree(pos(p)).unwrap();
        assert_eq!(f.open(), usd(open), "{p}");
        assert_eq!(f.weighted(), usd(weighted), "{p}");
        assert_eq!(f.category(ForecastCategory::Commit), usd(commit), "{p}");
        assert_eq!(f.category(ForecastCategory::BestCase), usd(best), "{p}");
        assert_eq!(f.category(ForecastCategory::Pipeline), usd(pipe), "{p}");
        assert_eq!(f.won(), usd(won), "{p}");
        assert_eq!(f.lost_count(), lost, "{p}");
    }
    assert_eq!(totals.own(pos("east")).unwrap().open(), usd("0.00"));
}

#[test]
fn weighted_amounts_round_once_per_opportunity_by_the_stated_policy() {
    let org = org();
    let snapshot = org.as_of(d(3, 31)).unwrap();
    // 0.05 × 50% = 0.025 each; two of them.
    let pipeline = Pipeline::new(
        Currency::USD,
        stages(),
        vec![
            opp("a", "e1", "qualify", "0.05")
                .probability(pct("50%"))
                .build()
                .unwrap(),
            opp("b", "e1", "qualify", "0.05")
                .probability(pct("50%"))
                .build()
                .unwrap(),
        ],
    )
    .unwrap();
    let table = [
        (RoundingPolicy::HalfAwayFromZero, "0.06"),
        (RoundingPolicy::HalfEven, "0.04"),
        (RoundingPolicy::TowardZero, "0.04"),
        (RoundingPolicy::Ceiling, "0.06"),
    ];
    for (policy, expected) in table {
        let totals = pipeline
            .roll_up(&snapshot, PipelineOptions::new(q1()).rounding(policy))
            .unwrap();
        assert_eq!(
            totals.subtree(pos("vp")).unwrap().weighted(),
            usd(expected),
            "{policy}"
        );
    }
}

#[test]
fn coverage_of_the_remaining_quota_per_node() {
    let org = org();
    let snapshot = org.as_of(d(3, 31)).unwrap();
    let totals = book()
        .roll_up(&snapshot, PipelineOptions::new(q1()))
        .unwrap();
    let credits = vec![
        (pos("e1"), d(2, 1), usd("5000.00")),
        (pos("e2"), d(2, 1), usd("9000.00")),
        (pos("w1"), d(2, 1), usd("1000.00")),
    ];
    let sold = sum_credits(
        &snapshot,
        &credits,
        SumOptions::new(Currency::USD).period(q1()),
    )
    .unwrap();
    // Quotas in declaration order: vp, east, west, e1, e2, w1.
    let quotas = NodeValues::from_declared(
        &snapshot,
        &[
            "60000.00", "30000.00", "15000.00", "20000.00", "8000.00", "15000.00",
        ]
        .map(usd),
    )
    .unwrap();
    let coverage = totals.coverages(&quotas, &sold).unwrap();
    // (position, remaining, ratio)
    let table = [
        ("e1", "15000.00", Some("1")),        // 15000 / (20000 - 5000)
        ("e2", "-1000.00", None),             // quota met: no ratio
        ("east", "16000.00", Some("1.0625")), // 17000 / (30000 - 14000)
        ("w1", "14000.00", Some("0.5")),      // 7000 / 14000
        ("vp", "45000.00", Some("0.5333333333333333333333333333")), // 24000 / 45000
    ];
    for (p, remaining, ratio) in table {
        let c = coverage
            .get(snapshot.node(&pos(p)).unwrap().index())
            .unwrap();
        assert_eq!(c.remaining(), usd(remaining), "{p}");
        assert_eq!(c.ratio().map(|r| r.to_string()).as_deref(), ratio, "{p}");
    }
}

#[test]
fn forecast_calls_beside_the_team_and_accuracy() {
    let org = org();
    let snapshot = org.as_of(d(3, 31)).unwrap();
    let totals = book()
        .roll_up(&snapshot, PipelineOptions::new(q1()))
        .unwrap();
    let calls = [
        ForecastCall::new(pos("east"), usd("10000.00"), usd("20000.00")).unwrap(),
        ForecastCall::new(pos("e1"), usd("10000.00"), usd("15000.00")).unwrap(),
        ForecastCall::new(pos("e2"), usd("7500.00"), usd("9000.00")).unwrap(),
        ForecastCall::new(pos("vp"), usd("15000.00"), usd("30000.00")).unwrap(),
    ];
    let forecast = totals.forecast(&calls).unwrap();
    let at = |p: &str| {
        forecast
            .get(snapshot.node(&pos(p)).unwrap().index())
            .unwrap()
    };
    let east = at("east");
    assert_eq!(east.team_commit(), usd("17500.00"));
    assert_eq!(east.team_best_case(), usd("24000.00"));
    assert_eq!((east.reports(), east.reports_without_call()), (2, 0));
    assert_eq!(east.own_call().unwrap().commit(), usd("10000.00"));
    // East won 7500 against a call of 10000: 1 - 2500/7500.
    let acc = east.accuracy().unwrap();
    assert_eq!(acc.error(), usd("2500.00"));
    assert_eq!(
        acc.accuracy().unwrap().to_string(),
        "0.6666666666666666666666666667"
    );
    let vp = at("vp");
    assert_eq!(vp.team_commit(), usd("10000.00"));
    assert_eq!(vp.reports_without_call(), 1); // west did not call
    assert_eq!(
        vp.figures().category(ForecastCategory::Commit),
        usd("12000.00")
    );
    // w1 made no call: no accuracy.
    assert!(at("w1").accuracy().is_none());
    // e2 called exactly what it won.
    assert_eq!(at("e2").accuracy().unwrap().accuracy(), Some(Decimal::ONE));
}

#[test]
fn forecast_accuracy_formula() {
    // (forecast, actual, error, accuracy)
    let table = [
        ("100", "100", "0", Some("1")),
        ("90", "100", "-10", Some("0.9")),
        ("110", "100", "10", Some("0.9")),
        ("250", "100", "150", Some("-0.5")),
        ("0", "100", "-100", Some("0")),
        ("50", "0", "50", None),
    ];
    for (f, a, e, acc) in table {
        let r = ForecastAccuracy::of(usd(f), usd(a)).unwrap();
        assert_eq!(r.error(), usd(e), "{f} vs {a}");
        assert_eq!(
            r.accuracy().map(|x| x.to_string()).as_deref(),
            acc,
            "{f} vs {a}"
        );
    }
}

#[test]
fn funnel_conversion_stage_to_stage_and_to_a_win() {
    let pipeline = book();
    let steps = pipeline.funnel(None).unwrap().conversions();
    // Reached: qualify 7; demo 6 (all but o4); proposal 4 (o1, o5, o6 won, o3);
    // negotiate 2 (o3, o6 won); won 1 (o6).
    let table = [
        ("qualify", Some("demo"), 7, 6),
        ("demo", Some("proposal"), 6, 4),
        ("proposal", Some("negotiate"), 4, 2),
        ("negotiate", None, 2, 1),
    ];
    for ((from, to, entered, advanced), step) in table.into_iter().zip(&steps) {
        assert_eq!((step.from(), step.to()), (from, to));
        assert_eq!(
            (step.entered(), step.advanced()),
            (entered, advanced),
            "{from}"
        );
    }
    assert_eq!(
        steps[1].rate().unwrap().to_string(),
        "0.6666666666666666666666666667"
    );
    assert_eq!(steps[3].win_rate().unwrap().to_string(), "0.5");
    // Only opportunities created in February: none.
    let feb = Period::new(d(2, 1), d(3, 1)).unwrap();
    assert_eq!(pipeline.funnel(Some(feb)).unwrap().reached(0), Some(0));
    // Per manager: west's subtree holds o4, o5, o7.
    let org = org();
    let snapshot = org.as_of(d(3, 31)).unwrap();
    let funnels = pipeline
        .funnels(&snapshot, None, Execution::Sequential)
        .unwrap();
    let west = funnels
        .get(snapshot.node(&pos("west")).unwrap().index())
        .unwrap();
    assert_eq!(
        (west.reached(0), west.reached(1), west.lost()),
        (Some(3), Some(2), 1)
    );
}

#[cfg(feature = "serde")]
#[test]
fn pipeline_from_json_and_back() {
    let json = r#"{"currency": "USD",
      "stages": [{"name": "qualify", "probability": "10%"}, {"name": "proposal", "probability": "60%"}],
      "opportunities": [
        {"id": "o1", "owner": {"position": "rep"}, "stage": "proposal", "amount": "10000.00 USD",
         "created": "2025-01-05", "expected_close": "2025-03-15", "category": "commit"},
        {"id": "o2", "owner": {"person": "ana"}, "stage": "qualify", "probability": "25%",
         "amount": "4000.00 USD", "created": "2025-02-01", "expected_close": "2025-03-15",
         "closed": {"outcome": "won", "date": "2025-03-01", "amount": "4000.00 USD"}}]}"#;
    let pipeline: Pipeline = serde_json::from_str(json).unwrap();
    assert_eq!(pipeline.opportunities().len(), 2);
    assert_eq!(pipeline.probability(1), Some(pct("25%")));
    let back: Pipeline = serde_json::from_str(&serde_json::to_string(&pipeline).unwrap()).unwrap();
    assert_eq!(back, pipeline);
    let call: ForecastCall = serde_json::from_str(
        r#"{"position": "mgr", "commit": "5.00 USD", "best_case": "8.00 USD"}"#,
    )
    .unwrap();
    assert_eq!(call.best_case(), usd("8.00"));
}

// ---------------------------------------------------------------- errors

#[test]
fn probability_out_of_range() {
    let err = opp("o1", "e1", "demo", "1.00")
        .probability_points(dec("120"))
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, PipelineError::Probability { opportunity, source: salesplan::MoneyError::OutOfRange { value, .. } }
            if opportunity.as_str() == "o1" && *value == dec("120")),
        "{err:?}"
    );
    assert!(
        opp("o1", "e1", "demo", "1.00")
            .probability_points(dec("-1"))
            .build()
            .is_err()
    );
}

#[cfg(feature = "serde")]
#[test]
fn probability_out_of_range_in_json_names_the_opportunity_and_stage() {
    let err = serde_json::from_str::<Opportunity>(
        r#"{"id": "o9", "owner": {"position": "e1"}, "stage": "demo", "probability": "101%",
            "amount": "1.00 USD", "created": "2025-01-01", "expected_close": "2025-02-01"}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("o9") && err.to_string().contains("101"),
        "{err}"
    );
    let err =
        serde_json::from_str::<Stage>(r#"{"name": "demo", "probability": "-5%"}"#).unwrap_err();
    assert!(err.to_string().contains("demo"), "{err}");
    let err = serde_json::from_str::<Opportunity>(
        r#"{"id": "o9", "owner": {"position": "e1"}, "stage": "demo", "amount": "1.00 USD",
            "created": "2025-01-01", "expected_close": "2025-02-01", "colour": "red"}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("unknown field `colour`"), "{err}");
}

#[test]
fn unknown_stage() {
    let err = Pipeline::new(
        Currency::USD,
        stages(),
        vec![opp("o1", "e1", "closing", "1.00").build().unwrap()],
    )
    .unwrap_err();
    assert_eq!(
        err,
        PipelineError::UnknownStage {
            opportunity: oid("o1"),
            stage: "closing".into()
        }
    );
}

#[test]
fn close_before_creation() {
    let expected = Opportunity::builder(
        oid("o1"),
        Owner::Position(pos("e1")),
        "demo",
        usd("1.00"),
        d(3, 1),
        d(2, 28),
    )
    .build()
    .unwrap_err();
    assert_eq!(
        expected,
        PipelineError::CloseBeforeCreation {
            opportunity: oid("o1"),
            created: d(3, 1),
            close: d(2, 28)
        }
    );
    let closed = opp("o2", "e1", "demo", "1.00")
        .closed(Closed::lost(d(1, 4), usd("1.00")))
        .build()
        .unwrap_err();
    assert!(matches!(closed, PipelineError::CloseBeforeCreation { close, .. } if close == d(1, 4)));
}

#[test]
fn negative_amounts_are_refused() {
    let err = opp("o1", "e1", "demo", "-1.00").build().unwrap_err();
    assert_eq!(
        err,
        PipelineError::NegativeAmount {
            opportunity: oid("o1"),
            amount: usd("-1.00")
        }
    );
    let won = opp("o2", "e1", "demo", "1.00")
        .closed(Closed::won(d(2, 1), usd("-1.00")))
        .build()
        .unwrap_err();
    assert!(matches!(won, PipelineError::NegativeAmount { .. }));
    let fraction = opp("o3", "e1", "demo", "1.005").build().unwrap_err();
    assert!(
        matches!(fraction, PipelineError::Amount { ref opportunity, .. } if opportunity.as_str() == "o3")
    );
}

#[test]
fn currency_mismatch() {
    let eur = Opportunity::builder(
        oid("o1"),
        Owner::Position(pos("e1")),
        "demo",
        Money::parse("1.00", Currency::EUR).unwrap(),
        d(1, 1),
        d(2, 1),
    )
    .build()
    .unwrap();
    let err = Pipeline::new(Currency::USD, stages(), vec![eur]).unwrap_err();
    assert_eq!(
        err,
        PipelineError::CurrencyMismatch {
            opportunity: oid("o1"),
            expected: Currency::USD,
            found: Currency::EUR
        }
    );
    let closed = opp("o2", "e1", "demo", "1.00")
        .closed(Closed::won(
            d(2, 1),
            Money::parse("1.00", Currency::EUR).unwrap(),
        ))
        .build()
        .unwrap_err();
    assert!(matches!(
        closed,
        PipelineError::CurrencyMismatch {
            found: Currency::EUR,
            ..
        }
    ));
    let call = ForecastCall::new(
        pos("e1"),
        usd("1.00"),
        Money::parse("2.00", Currency::EUR).unwrap(),
    );
    assert!(
        matches!(call, Err(PipelineError::Figure { ref position, .. }) if position.as_str() == "e1")
    );
}

#[test]
fn owner_not_in_the_org() {
    let org = org();
    let snapshot = org.as_of(d(3, 31)).unwrap();
    let by_position = Pipeline::new(
        Currency::USD,
        stages(),
        vec![
            opp("o1", "e1", "demo", "1.00").build().unwrap(),
            opp("o2", "ghost", "demo", "1.00").build().unwrap(),
        ],
    )
    .unwrap();
    let err = by_position
        .roll_up(&snapshot, PipelineOptions::new(q1()))
        .unwrap_err();
    assert_eq!(
        err,
        PipelineError::OwnerNotInOrg {
            opportunity: oid("o2"),
            owner: Owner::Position(pos("ghost")),
            date: d(3, 31)
        }
    );
    let by_person = Pipeline::new(
        Currency::USD,
        stages(),
        vec![
            Opportunity::builder(
                oid("o3"),
                Owner::Person(person("bob")),
                "demo",
                usd("1.00"),
                d(1, 1),
                d(2, 1),
            )
            .build()
            .unwrap(),
        ],
    )
    .unwrap();
    let err = by_person
        .roll_up(&snapshot, PipelineOptions::new(q1()))
        .unwrap_err();
    assert!(
        matches!(err, PipelineError::OwnerNotInOrg { ref owner, .. } if *owner == Owner::Person(person("bob")))
    );
    assert!(
        by_person
            .funnels(&snapshot, None, Execution::Sequential)
            .is_err()
    );
}

#[test]
fn bad_stages() {
    assert_eq!(Stages::new(vec![]).unwrap_err(), PipelineError::NoStages);
    let dup = Stages::new(vec![
        Stage::new("a", pct("1%")).unwrap(),
        Stage::new("a", pct("2%")).unwrap(),
    ]);
    assert_eq!(
        dup.unwrap_err(),
        PipelineError::DuplicateStage { stage: "a".into() }
    );
    for name in ["", " demo", "de\nmo", &"x".repeat(65)] {
        assert_eq!(
            Stage::new(name, pct("1%")).unwrap_err(),
            PipelineError::InvalidStageName { name: name.into() }
        );
    }
}

#[test]
fn duplicate_opportunity_ids() {
    let err = Pipeline::new(
        Currency::USD,
        stages(),
        vec![
            opp("o1", "e1", "demo", "1.00").build().unwrap(),
            opp("o1", "e2", "demo", "2.00").build().unwrap(),
        ],
    )
    .unwrap_err();
    assert_eq!(
        err,
        PipelineError::DuplicateOpportunity {
            opportunity: oid("o1")
        }
    );
    let bad_id = OpportunityId::new(" o1").unwrap_err();
    assert_eq!((bad_id.kind, bad_id.value.as_str()), ("opportunity", " o1"));
}

#[test]
fn bad_forecast_calls() {
    let out_of_order = ForecastCall::new(pos("e1"), usd("10.00"), usd("5.00")).unwrap_err();
    assert_eq!(
        out_of_order,
        PipelineError::CallOutOfOrder {
            position: pos("e1"),
            commit: usd("10.00"),
            best_case: usd("5.00")
        }
    );
    assert!(ForecastCall::new(pos("e1"), usd("-1.00"), usd("5.00")).is_err());
    let org = org();
    let snapshot = org.as_of(d(3, 31)).unwrap();
    let totals = book()
        .roll_up(&snapshot, PipelineOptions::new(q1()))
        .unwrap();
    let call = |p: &str| ForecastCall::new(pos(p), usd("1.00"), usd("2.00")).unwrap();
    assert_eq!(
        totals.forecast(&[call("e1"), call("e1")]).unwrap_err(),
        PipelineError::DuplicateCall {
            position: pos("e1")
        }
    );
    assert_eq!(
        totals.forecast(&[call("ghost")]).unwrap_err(),
        PipelineError::CallerNotInOrg {
            position: pos("ghost"),
            date: d(3, 31)
        }
    );
    let eur = ForecastCall::new(
        pos("e1"),
        Money::parse("1.00", Currency::EUR).unwrap(),
        Money::parse("1.00", Currency::EUR).unwrap(),
    )
    .unwrap();
    assert!(matches!(
        totals.forecast(&[eur]),
        Err(PipelineError::Figure { .. })
    ));
    // A quota in another currency, naming the position.
    let err = totals
        .coverage(
            pos("e1"),
            Money::parse("1.00", Currency::EUR).unwrap(),
            usd("0.00"),
        )
        .unwrap_err();
    assert!(matches!(err, PipelineError::Figure { ref position, .. } if position.as_str() == "e1"));
}

// ---------------------------------------------------------------- properties

/// (owner node, stage, amount in cents, probability in points or stage
/// default, category, day of expected close, closed: 0 open / 1 won / 2 lost)
type RawOpp = (usize, usize, i64, Option<u8>, usize, u32, u8);

fn raw_opps(max_nodes: usize) -> impl Strategy<Value = Vec<RawOpp>> {
    proptest::collection::vec(
        (
            0..max_nodes,
            0usize..4,
            0i64..10_000_000,
            proptest::option::of(0u8..=100),
            0usize..4,
            0u32..200,
            0u8..3,
        ),
        0..300,
    )
}

fn to_pipeline(tree: &RandomTree, raw: &[RawOpp]) -> Pipeline {
    let n = tree.parents.len();
    let names = ["qualify", "demo", "proposal", "negotiate"];
    let opps = raw
        .iter()
        .enumerate()
        .map(|(i, &(owner, stage, cents, points, cat, day, closed))| {
            let close = d(1, 1)
                .checked_add_days(chrono::Days::new(u64::from(day)))
                .unwrap();
            let amount = Money::from_minor(i128::from(cents), Currency::USD).unwrap();
            let mut b = Opportunity::builder(
                OpportunityId::new(&format!("o{i}")).unwrap(),
                Owner::Position(RandomTree::id(owner % n)),
                names[stage],
                amount,
                d(1, 1),
                close,
            )
            .category(ForecastCategory::ALL[cat]);
            if let Some(p) = points {
                b = b.probability_points(Decimal::from(p));
            }
            match closed {
                1 => b = b.closed(Closed::won(close, amount)),
                2 => b = b.closed(Closed::lost(close, amount)),
                _ => {}
            }
            b.build().unwrap()
        })
        .collect();
    Pipeline::new(Currency::USD, stages(), opps).unwrap()
}

proptest! {
    #[test]
    fn pipeline_roll_ups_equal_the_naive_sum_over_the_subtree(tree in random_tree(300), raw in raw_opps(300)) {
        let org = tree.org();
        let snapshot = org.as_of(date(2025, 6, 1))?;
        let pipeline = to_pipeline(&tree, &raw);
        let totals = pipeline.roll_up(&snapshot, PipelineOptions::new(q1()))?;
        let parallel = pipeline.roll_up(&snapshot, PipelineOptions::new(q1()).execution(Execution::Parallel))?;
        let n = tree.parents.len();
        // Naive: each opportunity in the period, to its owner and every ancestor.
        let mut open = vec![0i128; n];
        let mut weighted = vec![Decimal::ZERO; n];
        let mut won = vec![0i128; n];
        for (i, o) in pipeline.opportunities().iter().enumerate() {
            let owner = raw[i].0 % n;
            let cents = o.amount().to_minor().unwrap();
            let w = pipeline.probability(i).unwrap().of(o.amount()).unwrap().round(RoundingPolicy::HalfAwayFromZero).amount();
            let mut at = Some(owner);
            while let Some(x) = at {
                match o.closed() {
                    None if q1().contains(o.expected_close()) => {
                        open[x] += cents;
                        weighted[x] += w;
                    }
                    Some(c) if q1().contains(c.date()) && c.outcome() == salesplan::pipeline::Outcome::Won => won[x] += cents,
                    _ => {}
                }
                at = tree.parents[x];
            }
        }
        for i in 0..n {
            let f = totals.subtree(RandomTree::id(i))?;
            prop_assert_eq!(f.open().to_minor().unwrap(), open[i]);
            prop_assert_eq!(f.weighted().amount(), weighted[i]);
            prop_assert_eq!(f.won().to_minor().unwrap(), won[i]);
            // Weighted never exceeds open; categories add up to open.
            prop_assert!(f.weighted().amount() <= f.open().amount());
            let by_category = ForecastCategory::ALL.iter().map(|c| f.category(*c).amount()).fold(Decimal::ZERO, |a, b| a + b);
            prop_assert_eq!(by_category, f.open().amount());
            prop_assert_eq!(parallel.subtree(RandomTree::id(i))?, f);
        }
    }

    #[test]
    fn conversion_rates_are_in_zero_one_and_funnels_roll_up(tree in random_tree(200), raw in raw_opps(200)) {
        let org = tree.org();
        let snapshot = org.as_of(date(2025, 6, 1))?;
        let pipeline = to_pipeline(&tree, &raw);
        let whole = pipeline.funnel(None)?;
        for step in whole.conversions() {
            for rate in [step.rate(), step.win_rate()].into_iter().flatten() {
                prop_assert!(rate >= Decimal::ZERO && rate <= Decimal::ONE, "{rate}");
            }
            prop_assert!(step.advanced() <= step.entered());
        }
        let funnels = pipeline.funnels(&snapshot, None, Execution::Parallel)?;
        prop_assert_eq!(funnels.get(snapshot.root().index()), Some(&whole));
    }

    #[test]
    fn coverage_and_accuracy_agree_with_their_formulas(open in 0i64..1_000_000, quota in 0i64..1_000_000, attained in 0i64..1_000_000) {
        let m = |c: i64| Money::from_minor(i128::from(c), Currency::USD).unwrap();
        let c = salesplan::pipeline::Coverage::of(m(open), m(open / 2), m(quota), m(attained))?;
        prop_assert_eq!(c.remaining(), m(quota - attained));
        prop_assert_eq!(c.ratio().is_some(), quota > attained);
        if let Some(r) = c.ratio() {
            prop_assert!((r * Decimal::from(quota - attained) - Decimal::from(open)).abs() < dec("0.000001"));
        }
        let a = ForecastAccuracy::of(m(open), m(attained))?;
        if let Some(x) = a.accuracy() {
            prop_assert!(x <= Decimal::ONE);
        }
    }
}
