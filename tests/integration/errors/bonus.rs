//! Bonuses and authority: every bad input names the ids and values
//! involved.

use rust_decimal::Decimal;
use salesplan::bonus::{
    Action, ActionPlan, Authority, AuthorityPolicy, Award, BonusInputs, BonusLedger, Budget,
    Contest, ContestMeasure, DiscretionaryBonus, Gate, Grant, Objective, PayoutCurve, Power,
    Qualification, Scorecard, TargetBonus, TeamBonus, TeamInputs, TeamMember, TeamSplit,
};
use salesplan::org::Role;
use salesplan::rollup::{SumOptions, sum_credits};
use salesplan::{BonusError, Currency, Error, Money, Period, RoleId};

use crate::common::{date, dec};
use crate::support::bonus::{company, grants, issue_curve, pct, plan, policy, rate, usd};
use crate::support::{person, pos};

/// The error survives the trip through the umbrella error.
fn round_trip(err: BonusError) -> BonusError {
    BonusError::try_from(Error::from(err)).unwrap()
}

#[test]
fn unsorted_curve_points() {
    let cases = [
        (
            vec![("100%", "100%"), ("80%", "50%")],
            BonusError::UnsortedCurve {
                index: 1,
                previous: rate("100%"),
                attainment: rate("80%"),
            },
        ),
        (
            vec![("80%", "50%"), ("100%", "100%"), ("100%", "120%")],
            BonusError::UnsortedCurve {
                index: 2,
                previous: rate("100%"),
                attainment: rate("100%"),
            },
        ),
    ];
    for (points, expected) in cases {
        let err = PayoutCurve::new(points.iter().map(|(a, p)| (rate(a), rate(p))), rate("200%"))
            .unwrap_err();
        assert_eq!(round_trip(err), expected);
    }
    assert_eq!(
        PayoutCurve::new([], rate("100%")).unwrap_err(),
        BonusError::EmptyCurve
    );
    assert_eq!(
        PayoutCurve::new([(rate("100%"), rate("250%"))], rate("200%")).unwrap_err(),
        BonusError::PointAboveCap {
            attainment: rate("100%"),
            payout: rate("250%"),
            cap: rate("200%"),
        }
    );
}

#[test]
fn mbo_weights_not_summing_to_100_percent() {
    let cases = [
        (vec![("a", "50%"), ("b", "30%"), ("c", "10%")], dec("0.9")),
        (
            vec![("a", "50%"), ("b", "30%"), ("c", "20.01%")],
            dec("1.0001"),
        ),
    ];
    for (objectives, sum) in cases {
        let err =
            Scorecard::new(objectives.iter().map(|(n, w)| Objective::new(*n, pct(w)))).unwrap_err();
        assert_eq!(round_trip(err), BonusError::WeightsNotWhole { sum });
    }
    assert_eq!(
        Scorecard::new([
            Objective::new("a", pct("50%")),
            Objective::new("a", pct("50%"))
        ])
        .unwrap_err(),
        BonusError::DuplicateObjective { name: "a".into() }
    );
    assert_eq!(Scorecard::new([]).unwrap_err(), BonusError::EmptyScorecard);
    let card = Scorecard::new([
        Objective::new("a", pct("60%")),
        Objective::new("b", pct("40%")),
    ])
    .unwrap();
    assert_eq!(
        card.evaluate(&[("a", rate("10%"))]).unwrap_err(),
        BonusError::MissingScore { name: "b".into() }
    );
    assert_eq!(
        card.evaluate(&[("a", rate("10%")), ("b", rate("1%")), ("z", rate("1%"))])
            .unwrap_err(),
        BonusError::UnknownObjective { name: "z".into() }
    );
    assert_eq!(
        card.evaluate(&[("a", rate("10%")), ("a", rate("1%")), ("b", rate("1%"))])
            .unwrap_err(),
        BonusError::DuplicateObjective { name: "a".into() }
    );
}

#[test]
fn a_bonus_over_budget() {
    let org = company();
    let day = date(2025, 5, 6);
    let snapshot = org.as_of(day).unwrap();
    let policy = policy();
    let authority = Authority::new(&policy, &snapshot).unwrap();
    let q2 = Period::new(date(2025, 4, 1), date(2025, 7, 1)).unwrap();
    let mut ledger = BonusLedger::new()
        .budget(person("rui"), Budget::new(usd("1500.00"), q2))
        .unwrap();
    for (id, amount) in [("db-1", "900.00"), ("db-2", "600.01"), ("db-3", "600.00")] {
        ledger
            .propose(DiscretionaryBonus::propose(
                plan(id),
                person("rui"),
                person("ana"),
                usd(amount),
                "good work",
                date(2025, 5, 1),
            ))
            .unwrap();
    }
    ledger
        .approve(&plan("db-1"), &person("rui"), &authority)
        .unwrap();
    let err = ledger
        .approve(&plan("db-2"), &person("rui"), &authority)
        .unwrap_err();
    assert_eq!(
        round_trip(err),
        BonusError::OverBudget {
            bonus: plan("db-2"),
            manager: person("rui"),
            budget: dec("1500.00"),
            committed: dec("900.00"),
            requested: usd("600.01"),
        }
    );
    // Exactly up to the budget is fine.
    ledger
        .approve(&plan("db-3"), &person("rui"), &authority)
        .unwrap();
    assert!(
        ledger
            .remaining(&person("rui"), date(2025, 4, 1))
            .unwrap()
            .is_zero()
    );

    // The other ledger errors.
    assert_eq!(
        ledger
            .approve(&plan("db-1"), &person("rui"), &authority)
            .unwrap_err(),
        BonusError::InvalidTransition {
            bonus: plan("db-1"),
            from: "approved",
            to: "approved",
        }
    );
    assert_eq!(
        ledger
            .approve(&plan("db-404"), &person("rui"), &authority)
            .unwrap_err(),
        BonusError::UnknownBonus {
            bonus: plan("db-404")
        }
    );
    let again = DiscretionaryBonus::propose(
        plan("db-1"),
        person("rui"),
        person("ana"),
        usd("1.00"),
        "dup",
        date(2025, 5, 1),
    );
    assert_eq!(
        ledger.propose(again).unwrap_err(),
        BonusError::DuplicateBonus {
            bonus: plan("db-1")
        }
    );
    let zero = DiscretionaryBonus::propose(
        plan("db-0"),
        person("rui"),
        person("ana"),
        usd("0.00"),
        "nothing",
        date(2025, 5, 1),
    );
    assert_eq!(
        ledger.propose(zero).unwrap_err(),
        BonusError::NonPositiveBonus {
            bonus: plan("db-0"),
            amount: usd("0.00"),
        }
    );
    // Sam has no budget.
    ledger
        .propose(DiscretionaryBonus::propose(
            plan("db-9"),
            person("sam"),
            person("eve"),
            usd("10.00"),
            "thanks",
            date(2025, 5, 2),
        ))
        .unwrap();
    assert_eq!(
        ledger
            .approve(&plan("db-9"), &person("sam"), &authority)
            .unwrap_err(),
        BonusError::NoBudget {
            manager: person("sam"),
            date: date(2025, 5, 2),
        }
    );
    assert_eq!(
        BonusLedger::new()
            .budget(person("rui"), Budget::new(usd("1.00"), q2))
            .unwrap()
            .budget(
                person("rui"),
                Budget::new(
                    usd("1.00"),
                    Period::new(date(2025, 6, 1), date(2025, 9, 1)).unwrap()
                )
            )
            .unwrap_err(),
        BonusError::OverlappingBudgets {
            manager: person("rui"),
            first: q2,
            second: Period::new(date(2025, 6, 1), date(2025, 9, 1)).unwrap(),
        }
    );
    ledger.reject(&plan("db-9"), &person("dana"), day).unwrap();
    assert_eq!(
        ledger.make_payable(&plan("db-9"), day).unwrap_err(),
        BonusError::InvalidTransition {
            bonus: plan("db-9"),
            from: "rejected",
            to: "payable",
        }
    );
}

#[test]
fn an_actor_outside_the_subjects_chain() {
    let org = company();
    let day = date(2025, 5, 6);
    let snapshot = org.as_of(day).unwrap();
    let policy = policy();
    let authority = Authority::new(&policy, &snapshot).unwrap();
    // (actor, subject): another region, below the subject, a peer, oneself.
    for (actor, subject) in [
        ("sam", "ana"),
        ("ana", "tia"),
        ("ana", "ben"),
        ("rui", "rui"),
    ] {
        let err = authority
            .authorize(&person(actor), &Action::IssueWarning, &person(subject), day)
            .unwrap_err();
        assert_eq!(
            round_trip(err),
            BonusError::ActorOutsideChain {
                actor: person(actor),
                subject: person(subject),
            }
        );
    }
    assert_eq!(
        authority
            .authorize(&person("zed"), &Action::IssueWarning, &person("ana"), day)
            .unwrap_err(),
        BonusError::NotInOrg {
            person: person("zed"),
            date: day,
        }
    );
    assert_eq!(
        authority
            .authorize(
                &person("rui"),
                &Action::IssueWarning,
                &person("ana"),
                date(2025, 5, 7)
            )
            .unwrap_err(),
        BonusError::SnapshotDate {
            as_of: date(2025, 5, 7),
            snapshot: day,
        }
    );
    let unknown = Action::DeployActionPlan {
        plan: plan("no-such-plan"),
        recent_attainment: vec![],
    };
    assert_eq!(
        authority
            .authorize(&person("rui"), &unknown, &person("ana"), day)
            .unwrap_err(),
        BonusError::UnknownActionPlan {
            plan: plan("no-such-plan"),
        }
    );
    // A bonus limit in USD cannot judge a bonus in EUR.
    let eur = Action::ApproveDiscretionaryBonus {
        amount: Money::parse("10", Currency::EUR).unwrap(),
    };
    assert!(matches!(
        authority.authorize(&person("rui"), &eur, &person("ana"), day),
        Err(BonusError::Arithmetic { .. })
    ));
}

#[test]
fn an_unknown_role_in_the_policy() {
    let org = company();
    let snapshot = org.as_of(date(2025, 5, 6)).unwrap();
    let coach = RoleId::new("enablement-coach").unwrap();
    let policy = AuthorityPolicy::new()
        .grants(grants())
        .grant(Grant::new(Role::Custom(coach.clone()), Power::Coaching));
    assert_eq!(
        round_trip(Authority::new(&policy, &snapshot).unwrap_err()),
        BonusError::UnknownRole {
            role: coach.clone()
        }
    );
    // In a plan's qualification too.
    let plan_policy = AuthorityPolicy::new()
        .grants(grants())
        .plan(ActionPlan::new(
            plan("p"),
            "training",
            person("dana"),
            pos("dir"),
            date(2025, 3, 1),
            Qualification::below_for(rate("60%"), 2).roles([Role::Custom(coach.clone())]),
        ));
    assert_eq!(
        Authority::new(&plan_policy, &snapshot).unwrap_err(),
        BonusError::UnknownRole { role: coach }
    );
    // A plan approved from a seat that may not approve plans.
    let weak = AuthorityPolicy::new()
        .grants(grants())
        .plan(ActionPlan::new(
            plan("p"),
            "training",
            person("rui"),
            pos("rsm-n"),
            date(2025, 3, 1),
            Qualification::below_for(rate("60%"), 2),
        ));
    assert_eq!(
        Authority::new(&weak, &snapshot).unwrap_err(),
        BonusError::PlanNotAuthorized {
            plan: plan("p"),
            position: pos("rsm-n"),
        }
    );
    let twice = policy_with_plan_twice();
    assert_eq!(
        Authority::new(&twice, &snapshot).unwrap_err(),
        BonusError::DuplicatePlan {
            plan: plan("sales-training"),
        }
    );
}

fn policy_with_plan_twice() -> AuthorityPolicy {
    let one = crate::support::bonus::training_plan();
    AuthorityPolicy::new()
        .grants(grants())
        .plan(one.clone())
        .plan(one)
}

#[test]
fn bad_target_team_and_contest_inputs() {
    let year = Period::new(date(2025, 1, 1), date(2026, 1, 1)).unwrap();
    let annual = TargetBonus::new(plan("annual"), year, issue_curve())
        .gate(Gate::new("annual quota", rate("100%")));
    assert_eq!(
        annual
            .compute(&BonusInputs::new(
                person("ana"),
                usd("100.00"),
                Decimal::ONE
            ))
            .unwrap_err(),
        BonusError::MissingFigure {
            person: person("ana"),
            name: "annual quota".into(),
        }
    );
    assert_eq!(
        annual
            .compute(&BonusInputs::new(person("ana"), usd("-1.00"), Decimal::ONE))
            .unwrap_err(),
        BonusError::NegativeTarget {
            person: person("ana"),
            target: usd("-1.00"),
        }
    );
    let open = TargetBonus::new(plan("open"), year, issue_curve());
    assert_eq!(
        open.compute_all(&[
            BonusInputs::new(person("ana"), usd("1.00"), Decimal::ONE),
            BonusInputs::new(person("ana"), usd("2.00"), Decimal::ONE),
        ])
        .unwrap_err(),
        BonusError::DuplicatePerson {
            person: person("ana"),
        }
    );

    let org = company();
    let day = date(2025, 3, 31);
    let snapshot = org.as_of(day).unwrap();
    let credits = vec![(pos("rep-a"), day, usd("100.00"))];
    let totals = sum_credits(&snapshot, &credits, SumOptions::new(Currency::USD)).unwrap();
    let team = |split| TeamBonus::new(plan("team"), issue_curve(), split);
    let inputs = |members: Vec<TeamMember>| {
        TeamInputs::new(pos("lead-1"), usd("1000.00"), usd("100.00")).members(members)
    };
    let cases = [
        (
            team(TeamSplit::Equal),
            inputs(vec![
                TeamMember::new(pos("rep-a")),
                TeamMember::new(pos("rep-e")),
            ]),
            BonusError::MemberOutsideTeam {
                manager: pos("lead-1"),
                member: pos("rep-e"),
            },
        ),
        (
            team(TeamSplit::Equal),
            inputs(vec![]),
            BonusError::NoMembers {
                manager: pos("lead-1"),
            },
        ),
        (
            team(TeamSplit::Equal),
            inputs(vec![
                TeamMember::new(pos("rep-a")),
                TeamMember::new(pos("rep-a")),
            ]),
            BonusError::DuplicateMember {
                member: pos("rep-a"),
            },
        ),
        (
            team(TeamSplit::Equal),
            inputs(vec![TeamMember::new(pos("nobody"))]),
            BonusError::UnknownPosition {
                position: pos("nobody"),
            },
        ),
        (
            team(TeamSplit::ByShare),
            inputs(vec![
                TeamMember::new(pos("rep-a")).share(pct("60%")),
                TeamMember::new(pos("rep-b")).share(pct("30%")),
            ]),
            BonusError::SharesNotWhole {
                manager: pos("lead-1"),
                sum: dec("0.9"),
            },
        ),
        (
            team(TeamSplit::ByShare),
            inputs(vec![TeamMember::new(pos("rep-a"))]),
            BonusError::MissingShare {
                member: pos("rep-a"),
            },
        ),
        (
            team(TeamSplit::ByAttainment),
            inputs(vec![TeamMember::new(pos("rep-b"))]),
            BonusError::MissingQuota {
                member: pos("rep-b"),
            },
        ),
        (
            team(TeamSplit::Equal),
            TeamInputs::new(pos("lead-1"), usd("1000.00"), usd("0.00"))
                .members([TeamMember::new(pos("rep-a"))]),
            BonusError::NoTeamQuota {
                manager: pos("lead-1"),
            },
        ),
    ];
    for (plan, inputs, expected) in cases {
        assert_eq!(
            round_trip(plan.compute(&totals, &inputs).unwrap_err()),
            expected
        );
    }
    // Every member at zero attainment: the pool cannot be split.
    let zero = team(TeamSplit::ByAttainment)
        .compute(
            &totals,
            &inputs(vec![TeamMember::new(pos("rep-b")).quota(usd("10.00"))]),
        )
        .unwrap_err();
    assert!(matches!(zero, BonusError::Team { .. }), "{zero:?}");

    let march = Period::new(date(2025, 3, 1), date(2025, 4, 1)).unwrap();
    let contest = |award| Contest::new(plan("c"), march, ContestMeasure::Revenue, award);
    assert_eq!(
        contest(Award::TopN { prizes: vec![] }).unwrap_err(),
        BonusError::NoPrizes { contest: plan("c") }
    );
    for bad in [
        usd("-1.00"),
        usd("0.001"),
        Money::parse("5", Currency::EUR).unwrap(),
    ] {
        assert_eq!(
            contest(Award::TopN {
                prizes: vec![usd("10.00"), bad]
            })
            .unwrap_err(),
            BonusError::BadPrize {
                contest: plan("c"),
                prize: bad,
            }
        );
    }
}

/// More entrants than a `u32` rank can number is a typed error naming the
/// contest and the count (it used to clamp every later rank to
/// `u32::MAX`). Four billion entrants do not fit a test, so the variant
/// is checked as data.
#[test]
fn too_many_contest_entrants_names_the_contest_and_the_count() {
    let e = round_trip(BonusError::TooManyEntrants {
        contest: plan("march"),
        count: 4_294_967_296,
    });
    assert_eq!(
        e.to_string(),
        "contest march has 4294967296 entrants, more than its ranks can number"
    );
    assert!(matches!(
        e,
        BonusError::TooManyEntrants { ref contest, count: 4_294_967_296 } if *contest == plan("march")
    ));
}

/// Issue #27, defect 2: every bonus and authority input type refuses an
/// unknown field and names it (a misspelled field used to be dropped
/// silently: a `"minimun"` on a contest left it without a minimum).
#[cfg(feature = "serde")]
#[test]
fn unknown_fields_are_refused_on_every_bonus_input() {
    use salesplan::bonus::{ContestEvent, Request};
    use serde::de::DeserializeOwned;
    fn refuses<T: DeserializeOwned + std::fmt::Debug>(json: &str, field: &str) {
        let err = serde_json::from_str::<T>(json).unwrap_err().to_string();
        assert!(
            err.contains(&format!("unknown field `{field}`")),
            "{}: {err}",
            std::any::type_name::<T>()
        );
    }
    let curve = r#"{"points": [{"attainment": "80%", "payout": "50%"}], "cap": "200%"}"#;
    let q1 = r#"{"start": "2025-01-01", "end": "2025-04-01"}"#;
    refuses::<salesplan::bonus::CurvePoint>(
        r#"{"attainment": "80%", "payout": "50%", "paid": "1"}"#,
        "paid",
    );
    refuses::<PayoutCurve>(
        r#"{"points": [{"attainment": "80%", "payout": "50%"}], "cap": "200%", "caps": "1"}"#,
        "caps",
    );
    refuses::<Gate>(
        r#"{"name": "q", "minimum": "100%", "maximum": "1"}"#,
        "maximum",
    );
    refuses::<TargetBonus>(
        &format!(r#"{{"id": "p", "period": {q1}, "curve": {curve}, "rouding": "half_even"}}"#),
        "rouding",
    );
    refuses::<BonusInputs>(
        r#"{"person": "ana", "target": "1.00 USD", "attainment": "1", "employed_from": "x"}"#,
        "employed_from",
    );
    refuses::<TeamMember>(r#"{"position": "a", "quotas": "1.00 USD"}"#, "quotas");
    refuses::<TeamBonus>(
        &format!(r#"{{"id": "t", "curve": {curve}, "split": "equal", "splits": 1}}"#),
        "splits",
    );
    refuses::<TeamInputs>(
        r#"{"manager": "m", "pool_target": "1.00 USD", "team_quota": "1.00 USD", "member": []}"#,
        "member",
    );
    refuses::<Objective>(r#"{"name": "x", "weight": "100%", "score": "1"}"#, "score");
    refuses::<Action>(
        r#"{"approve_discretionary_bonus": {"amount": "1.00 USD", "reason": "x"}}"#,
        "reason",
    );
    refuses::<Power>(
        r#"{"approve_discretionary_bonus": {"upto": "1.00 USD"}}"#,
        "upto",
    );
    refuses::<Grant>(
        r#"{"role": "director", "power": "coaching", "limit": 1}"#,
        "limit",
    );
    refuses::<Qualification>(r#"{"below": "60%", "periods": 2, "months": 2}"#, "months");
    refuses::<ActionPlan>(
        r#"{"id": "p", "name": "n", "approved_by": "a", "scope": "s", "approved_on": "2025-01-01",
            "qualification": {"below": "60%", "periods": 2}, "approved": true}"#,
        "approved",
    );
    refuses::<AuthorityPolicy>(r#"{"grants": [], "plan": []}"#, "plan");
    refuses::<Request>(
        r#"{"actor": "a", "action": "coaching", "subject": "b", "on": "2025-01-01"}"#,
        "on",
    );
    refuses::<DiscretionaryBonus>(
        r#"{"id": "b", "proposed_by": "a", "recipient": "b", "amount": "1.00 USD",
            "reason": "x", "proposed_on": "2025-01-01", "approved": true}"#,
        "approved",
    );
    refuses::<salesplan::bonus::BonusState>(
        r#"{"approved": {"by": "a", "on": "2025-01-01", "at": 1}}"#,
        "at",
    );
    refuses::<Budget>(
        &format!(r#"{{"amount": "1.00 USD", "period": {q1}, "manager": "a"}}"#),
        "manager",
    );
    refuses::<BonusLedger>(r#"{"budgets": [], "bonus": []}"#, "bonus");
    refuses::<Award>(
        r#"{"threshold": {"threshold": "1", "prize": "1.00 USD", "prizes": []}}"#,
        "prizes",
    );
    refuses::<ContestEvent>(
        r#"{"person": "a", "date": "2025-01-01", "value": "1", "measure": "revenue"}"#,
        "measure",
    );
    refuses::<Contest>(
        &format!(
            r#"{{"id": "c", "window": {q1}, "measure": "revenue",
                "award": {{"top_n": {{"prizes": ["1.00 USD"]}}}}, "minimun": "2"}}"#
        ),
        "minimun",
    );
}
