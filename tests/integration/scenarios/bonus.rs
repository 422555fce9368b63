//! Worked bonus and authority examples: the issue's payout curve, a team
//! pool split by attainment, an MBO scorecard, a contest with a tie, a
//! discretionary bonus that needs the director, a pre-approved training
//! plan, quarterly and annual bonuses with gates and proration, and a batch
//! of escalation actions.

use salesplan::bonus::{
    Action, Authority, Award, BonusInputs, BonusLedger, BonusState, Budget, Contest, ContestEvent,
    ContestMeasure, DiscretionaryBonus, Eligibility, Gate, Objective, Outcome, PlanMiss, Reason,
    Request, Scorecard, Segment, TargetBonus, TeamBonus, TeamInputs, TeamMember, TeamSplit,
};
use salesplan::calendar::DateRange;
use salesplan::rollup::{SumOptions, sum_credits};
use salesplan::{BonusError, Currency, Period};

use crate::common::{date, dec};
use crate::support::bonus::{company, issue_curve, pct, plan, policy, rate, usd};
use crate::support::{person, pos};

#[test]
fn the_issue_curve_at_six_attainments() {
    // (attainment, payout, segment kind, capped)
    let table = [
        ("79%", "0%", "below", false),
        ("80%", "50%", "point", false),
        ("90%", "75%", "between", false),
        ("100%", "100%", "point", false),
        ("150%", "200%", "point", false),
        ("180%", "200%", "beyond", true),
        ("125%", "150%", "between", false),
    ];
    let curve = issue_curve();
    for (attainment, payout, segment, capped) in table {
        let reading = curve.payout(rate(attainment).fraction()).unwrap();
        assert_eq!(reading.payout(), rate(payout), "{attainment}");
        let kind = match reading.segment() {
            Segment::BelowThreshold { .. } => "below",
            Segment::AtPoint { .. } => "point",
            Segment::Between { .. } => "between",
            Segment::Beyond { .. } => "beyond",
            _ => "other",
        };
        assert_eq!(kind, segment, "{attainment}");
        assert_eq!(reading.capped(), capped, "{attainment}");
    }
    // Net returns: a negative attainment pays nothing.
    assert_eq!(curve.payout(dec("-0.1")).unwrap().payout(), rate("0%"));
    let reading = curve.payout(dec("0.9")).unwrap();
    assert_eq!(
        reading.to_string(),
        "attainment 90% is between 80% pays 50% and 100% pays 100%, interpolated linearly: payout 75%"
    );
}

#[test]
fn a_team_pool_of_10000_split_by_attainment_among_three_reps() {
    let org = company();
    let day = date(2025, 3, 31);
    let snapshot = org.as_of(day).unwrap();
    // Ana 120%, Ben 90%, Cy 80% of their quotas: the team is at 100%.
    let credits = vec![
        (pos("rep-a"), day, usd("120000.00")),
        (pos("rep-b"), day, usd("90000.00")),
        (pos("rep-c"), day, usd("40000.00")),
    ];
    let totals = sum_credits(&snapshot, &credits, SumOptions::new(Currency::USD)).unwrap();
    let plan = TeamBonus::new(plan("team-q1"), issue_curve(), TeamSplit::ByAttainment);
    let inputs = TeamInputs::new(pos("lead-1"), usd("10000.00"), usd("250000.00")).members([
        TeamMember::new(pos("rep-c")).quota(usd("50000.00")),
        TeamMember::new(pos("rep-a")).quota(usd("100000.00")),
        TeamMember::new(pos("rep-b")).quota(usd("100000.00")),
    ]);
    let team = plan.compute(&totals, &inputs).unwrap();
    assert_eq!(team.reading().attainment(), dec("1"));
    assert_eq!(team.pool(), usd("10000.00"));
    // Exact shares 4137.931..., 3103.448..., 2758.620...: the odd cent goes
    // to the largest remainder, Ben's.
    let shares: Vec<(String, String, Option<String>)> = team
        .shares()
        .iter()
        .map(|s| {
            (
                s.position().to_string(),
                s.amount().to_string(),
                s.holder().map(ToString::to_string),
            )
        })
        .collect();
    assert_eq!(
        shares,
        [
            ("rep-a".into(), "4137.93 USD".into(), Some("ana".into())),
            ("rep-b".into(), "3103.45 USD".into(), Some("ben".into())),
            ("rep-c".into(), "2758.62 USD".into(), Some("cy".into())),
        ]
    );
    let text = team.to_string();
    assert!(text.contains("split by attainment"), "{text}");
    assert!(text.contains("rep-b (ben) at 90%: 3103.45 USD"), "{text}");

    // The same team split equally and by share.
    let equal = TeamBonus::new(plan_id("team-eq"), issue_curve(), TeamSplit::Equal)
        .compute(&totals, &inputs)
        .unwrap();
    let amounts: Vec<String> = equal
        .shares()
        .iter()
        .map(|s| s.amount().to_string())
        .collect();
    assert_eq!(amounts, ["3333.34 USD", "3333.33 USD", "3333.33 USD"]);
    let by_share = TeamInputs::new(pos("lead-1"), usd("10000.00"), usd("250000.00")).members([
        TeamMember::new(pos("rep-a")).share(pct("50%")),
        TeamMember::new(pos("rep-b")).share(pct("30%")),
        TeamMember::new(pos("rep-c")).share(pct("20%")),
    ]);
    let shared = TeamBonus::new(plan_id("team-sh"), issue_curve(), TeamSplit::ByShare)
        .compute(&totals, &by_share)
        .unwrap();
    let amounts: Vec<String> = shared
        .shares()
        .iter()
        .map(|s| s.amount().to_string())
        .collect();
    assert_eq!(amounts, ["5000.00 USD", "3000.00 USD", "2000.00 USD"]);

    // Below the threshold the pool is empty and everyone gets zero.
    let low = TeamInputs::new(pos("lead-1"), usd("10000.00"), usd("400000.00"))
        .members([TeamMember::new(pos("rep-a")), TeamMember::new(pos("rep-b"))]);
    let none = TeamBonus::new(plan_id("team-eq"), issue_curve(), TeamSplit::Equal)
        .compute(&totals, &low)
        .unwrap();
    assert!(none.pool().is_zero());
    assert!(none.shares().iter().all(|s| s.amount().is_zero()));
}

/// Issue #27, defect 7: the team pool read the curve at the team's
/// attainment already divided out (1,000.00 of a 3,000.00 quota is
/// 0.3333333333333333333333333333), so a 900.00 pool at 1/3 came to
/// 299.99999999999999999999999997 and rounding toward zero paid 299.99.
/// The curve is now read at credited / quota as a fraction, and the pool
/// divides once: exactly 300.00.
#[test]
fn a_team_pool_at_a_third_of_quota_is_exact() {
    let org = company();
    let day = date(2025, 3, 31);
    let snapshot = org.as_of(day).unwrap();
    let credits = vec![(pos("rep-a"), day, usd("1000.00"))];
    let totals = sum_credits(&snapshot, &credits, SumOptions::new(Currency::USD)).unwrap();
    let linear = salesplan::bonus::PayoutCurve::new(
        [(rate("0%"), rate("0%")), (rate("100%"), rate("100%"))],
        rate("100%"),
    )
    .unwrap();
    let plan = TeamBonus::new(plan("team-q1"), linear, TeamSplit::Equal)
        .rounding(salesplan::RoundingPolicy::TowardZero);
    let inputs = TeamInputs::new(pos("lead-1"), usd("900.00"), usd("3000.00"))
        .members(["rep-a", "rep-b", "rep-c"].map(|p| TeamMember::new(pos(p))));
    let team = plan.compute(&totals, &inputs).unwrap();
    assert_eq!(team.unrounded(), usd("300"));
    assert_eq!(team.pool(), usd("300.00"));
    let amounts: Vec<String> = team
        .shares()
        .iter()
        .map(|s| s.amount().to_string())
        .collect();
    assert_eq!(amounts, ["100.00 USD", "100.00 USD", "100.00 USD"]);
    // The reading still shows the attainment as a ratio.
    assert_eq!(
        team.reading().attainment(),
        dec("0.3333333333333333333333333333")
    );
}

fn plan_id(s: &str) -> salesplan::PlanId {
    plan(s)
}

#[test]
fn an_mbo_scorecard_with_three_objectives() {
    let card = Scorecard::new([
        Objective::new("pipeline coverage", pct("50%")).cap(rate("120%")),
        Objective::new("hiring", pct("30%")),
        Objective::new("forecast accuracy", pct("20%")),
    ])
    .unwrap();
    // (pipeline, hiring, forecast) scores, percentage, bonus on 8,000 EUR
    let table = [
        (("100%", "100%", "100%"), "100%", "8000.00"),
        (("130%", "50%", "100%"), "95%", "7600.00"),
        (("110%", "0%", "0%"), "55%", "4400.00"),
        (("0%", "0%", "0%"), "0%", "0.00"),
        (("120%", "150%", "100%"), "110%", "8800.00"),
        (("33.33%", "33.33%", "33.33%"), "33.33%", "2666.40"),
    ];
    let target = salesplan::Money::parse("8000", Currency::EUR).unwrap();
    for ((p, h, f), percent, bonus) in table {
        let result = card
            .evaluate(&[
                ("hiring", rate(h)),
                ("pipeline coverage", rate(p)),
                ("forecast accuracy", rate(f)),
            ])
            .unwrap();
        assert_eq!(result.percent(), rate(percent), "{p} {h} {f}");
        assert_eq!(
            result
                .bonus(target, salesplan::RoundingPolicy::HalfEven)
                .unwrap()
                .to_string(),
            format!("{bonus} EUR")
        );
    }
    let result = card
        .evaluate(&[
            ("hiring", rate("50%")),
            ("pipeline coverage", rate("130%")),
            ("forecast accuracy", rate("100%")),
        ])
        .unwrap();
    assert_eq!(
        result.to_string(),
        "  forecast accuracy: scored 100% x weight 20% = 20%\n  \
         hiring: scored 50% x weight 30% = 15%\n  \
         pipeline coverage: scored 130%, counted 120% (cap) x weight 50% = 60%\n  \
         bonus percentage 95%"
    );
}

#[test]
fn a_contest_with_a_tie_for_first_place() {
    let march = Period::new(date(2025, 3, 1), date(2025, 4, 1)).unwrap();
    let contest = Contest::new(
        plan("march-logos"),
        march,
        ContestMeasure::NewLogos,
        Award::TopN {
            prizes: vec![usd("1000.00"), usd("500.01"), usd("250.00")],
        },
    )
    .unwrap();
    let ev = |p: &str, day: u32, n: i64| ContestEvent::new(person(p), date(2025, 3, day), n.into());
    let events = [
        ev("bob", 3, 2),
        ev("ana", 4, 4),
        ev("bob", 20, 2),
        ev("cy", 7, 3),
        ev("dee", 9, 1),
        // Outside the window: does not count.
        ev("dee", 28, 0),
        ContestEvent::new(person("eve"), date(2025, 4, 1), dec("9")),
        ContestEvent::new(person("eve"), date(2025, 2, 28), dec("9")),
    ];
    let result = contest.run(&events).unwrap();
    // (rank, person, value, tied, prize)
    let rows: Vec<(u32, String, String, u32, String)> = result
        .standings()
        .iter()
        .map(|s| {
            (
                s.rank(),
                s.person().to_string(),
                s.value().to_string(),
                s.tied(),
                s.prize().to_string(),
            )
        })
        .collect();
    let expected = [
        // Ana and Bob tie on 4: they share first and second prizes,
        // 1,500.01, exactly; the odd cent goes to the smaller id.
        (1, "ana", "4", 2, "750.01 USD"),
        (1, "bob", "4", 2, "750.00 USD"),
        (3, "cy", "3", 1, "250.00 USD"),
        (4, "dee", "1", 1, "0.00 USD"),
    ];
    assert_eq!(rows.len(), expected.len());
    for (row, (rank, who, value, tied, prize)) in rows.iter().zip(expected) {
        assert_eq!(
            (row.0, row.1.as_str(), row.2.as_str(), row.3, row.4.as_str()),
            (rank, who, value, tied, prize)
        );
    }
    assert_eq!(result.winners().count(), 3);

    // Everyone over a threshold: three appointments or more, among an
    // eligible list (Eve is not on it; Finn has no events).
    let threshold = Contest::new(
        plan("march-appointments"),
        march,
        ContestMeasure::Appointments,
        Award::Threshold {
            threshold: dec("3"),
            prize: usd("100.00"),
        },
    )
    .unwrap()
    .eligibility(Eligibility::People(vec![
        person("ana"),
        person("bob"),
        person("cy"),
        person("finn"),
    ]));
    let result = threshold.run(&events).unwrap();
    let winners: Vec<(String, String)> = result
        .standings()
        .iter()
        .map(|s| (s.person().to_string(), s.prize().to_string()))
        .collect();
    assert_eq!(
        winners,
        [
            ("ana".into(), "100.00 USD".into()),
            ("bob".into(), "100.00 USD".into()),
            ("cy".into(), "100.00 USD".into()),
            ("finn".into(), "0.00 USD".into()),
        ]
    );
}

#[test]
fn a_discretionary_bonus_that_needs_the_director() {
    let org = company();
    let day = date(2025, 5, 6);
    let snapshot = org.as_of(day).unwrap();
    let policy = policy();
    let authority = Authority::new(&policy, &snapshot).unwrap();
    let bonus = |a: &str| Action::ApproveDiscretionaryBonus { amount: usd(a) };

    // (actor, amount, subject, allowed, decider)
    let table = [
        ("rui", "800.00", "ana", true, None),
        ("rui", "1000.00", "ana", true, None),
        ("rui", "2500.00", "ana", false, Some("dana")),
        ("dana", "2500.00", "ana", true, None),
        ("tia", "200.00", "ana", false, Some("rui")),
        ("tia", "2000.00", "ana", false, Some("dana")),
        ("dana", "10000.01", "eve", false, None),
    ];
    for (actor, amount, subject, allowed, decider) in table {
        let decision = authority
            .authorize(&person(actor), &bonus(amount), &person(subject), day)
            .unwrap();
        assert_eq!(decision.is_allowed(), allowed, "{actor} {amount}");
        assert_eq!(
            decision
                .approver()
                .and_then(|a| a.person())
                .map(|p| p.as_str()),
            decider,
            "{actor} {amount}"
        );
    }
    let big = authority
        .authorize(&person("rui"), &bonus("2500.00"), &person("ana"), day)
        .unwrap();
    assert!(matches!(big.reason(), Reason::OverLimit { .. }));
    assert_eq!(
        big.to_string(),
        "rui wants to approve a discretionary bonus of 2500.00 USD for ana: needs approval from \
         dir (director, dana) (a regional sales manager may only approve discretionary bonuses up to 1000.00 USD)"
    );
    // From the team lead, the chain runs through the regional manager, who
    // cannot approve 2,000, to the director.
    let chain = authority
        .authorize(&person("tia"), &bonus("2000.00"), &person("ana"), day)
        .unwrap();
    let Outcome::NeedsApproval { chain } = chain.outcome() else {
        panic!("expected a chain");
    };
    let names: Vec<(&str, bool)> = chain
        .iter()
        .map(|a| (a.position().as_str(), a.decides()))
        .collect();
    assert_eq!(names, [("rsm-n", false), ("dir", true)]);
    let denied = authority
        .authorize(&person("dana"), &bonus("10000.01"), &person("eve"), day)
        .unwrap();
    assert_eq!(denied.outcome(), &Outcome::Denied);

    // The ledger: Rui proposes 2,500 for Ana; he cannot approve it, Dana
    // can; it is charged to Rui's Q2 budget of 3,000.
    let q2 = Period::new(date(2025, 4, 1), date(2025, 7, 1)).unwrap();
    let mut ledger = BonusLedger::new()
        .budget(person("rui"), Budget::new(usd("3000.00"), q2))
        .unwrap();
    ledger
        .propose(DiscretionaryBonus::propose(
            plan("db-7"),
            person("rui"),
            person("ana"),
            usd("2500.00"),
            "won back the Hartwell account",
            date(2025, 5, 5),
        ))
        .unwrap();
    assert_eq!(
        ledger.approve(&plan("db-7"), &person("rui"), &authority),
        Err(BonusError::NotAuthorized {
            bonus: plan("db-7"),
            approver: person("rui"),
            needs: Some(person("dana")),
        })
    );
    let approved = ledger
        .approve(&plan("db-7"), &person("dana"), &authority)
        .unwrap();
    assert_eq!(
        approved.state(),
        &BonusState::Approved {
            by: person("dana"),
            on: day
        }
    );
    assert_eq!(
        ledger.remaining(&person("rui"), date(2025, 6, 1)).unwrap(),
        usd("500.00")
    );
    ledger
        .make_payable(&plan("db-7"), date(2025, 5, 31))
        .unwrap();
    assert_eq!(ledger.payable().count(), 1);
    // Still charged while payable.
    assert_eq!(
        ledger.committed(&person("rui"), date(2025, 4, 1)).unwrap(),
        usd("2500.00")
    );
}

#[test]
fn a_pre_approved_training_plan_deployed_by_a_first_line_manager() {
    let org = company();
    let day = date(2025, 5, 6);
    let snapshot = org.as_of(day).unwrap();
    let policy = policy();
    let authority = Authority::new(&policy, &snapshot).unwrap();
    let deploy = |recent: &[&str]| Action::DeployActionPlan {
        plan: plan("sales-training"),
        recent_attainment: recent.iter().map(|r| rate(r).fraction()).collect(),
    };
    // (actor, subject, recent attainment, allowed, plan miss, decider)
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a [&'a str],
        bool,
        Option<PlanMiss>,
        Option<&'a str>,
    );
    let table: [Case; 6] = [
        ("tia", "ana", &["90%", "55%", "42%"], true, None, None),
        (
            "tia",
            "ana",
            &["55%", "70%"],
            false,
            Some(PlanMiss::NotQualified),
            Some("dana"),
        ),
        (
            "tia",
            "ana",
            &["50%"],
            false,
            Some(PlanMiss::NotQualified),
            Some("dana"),
        ),
        ("rui", "dee", &["59.99%", "10%"], true, None, None),
        // A team lead is not a sales rep: the plan does not cover her.
        (
            "rui",
            "tia",
            &["10%", "10%"],
            false,
            Some(PlanMiss::SubjectRole),
            Some("dana"),
        ),
        (
            "dana",
            "eve",
            &["60%", "10%"],
            true,
            Some(PlanMiss::NotQualified),
            None,
        ),
    ];
    for (actor, subject, recent, allowed, miss, decider) in table {
        let decision = authority
            .authorize(&person(actor), &deploy(recent), &person(subject), day)
            .unwrap();
        assert_eq!(
            decision.is_allowed(),
            allowed,
            "{actor} {subject} {recent:?}"
        );
        assert_eq!(decision.plan_miss(), miss, "{actor} {subject} {recent:?}");
        assert_eq!(
            decision
                .approver()
                .and_then(|a| a.person())
                .map(|p| p.as_str()),
            decider
        );
    }
    let first = authority
        .authorize(
            &person("tia"),
            &deploy(&["55%", "42%"]),
            &person("ana"),
            day,
        )
        .unwrap();
    assert_eq!(
        first.reason(),
        &Reason::PreApproved {
            plan: plan("sales-training"),
            approved_by: person("dana"),
            approved_on: date(2025, 3, 1),
        }
    );
    assert_eq!(
        first.to_string(),
        "tia wants to deploy action plan sales-training for ana: allowed, no approval needed \
         (plan sales-training was approved in advance by dana on 2025-03-01)"
    );
    // Dana holds the power anyway, whatever the plan says.
    let dana = authority
        .authorize(
            &person("dana"),
            &deploy(&["60%", "10%"]),
            &person("eve"),
            day,
        )
        .unwrap();
    assert_eq!(dana.plan_miss(), Some(PlanMiss::NotQualified));
    assert!(matches!(dana.reason(), Reason::Granted { .. }));

    // Before the plan was approved, the team lead had to wait.
    let february = date(2025, 2, 10);
    let early = policy
        .authorize(
            &org,
            &person("tia"),
            &deploy(&["55%", "42%"]),
            &person("ana"),
            february,
        )
        .unwrap();
    assert_eq!(early.plan_miss(), Some(PlanMiss::NotInEffect));
    assert!(!early.is_allowed());

    // A plan approved for March and April only: in May it is over, though
    // May comes after its approval.
    let spring = salesplan::bonus::AuthorityPolicy::new()
        .grants(crate::support::bonus::grants())
        .plan(
            crate::support::bonus::training_plan()
                .effective(DateRange::new(date(2025, 3, 1), Some(date(2025, 5, 1))).unwrap()),
        );
    let late = spring
        .authorize(
            &org,
            &person("tia"),
            &deploy(&["55%", "42%"]),
            &person("ana"),
            day,
        )
        .unwrap();
    assert_eq!(late.plan_miss(), Some(PlanMiss::NotInEffect));
    assert!(!late.is_allowed());
}

/// Issue #27, defect 7: a target bonus multiplied the target by the
/// curve's payout after dividing it out (`y0 + (x - x0)(y1 - y0)/(x1 -
/// x0)`, cut at 28 decimals), then prorated. On a curve from 50% at 80% to
/// 100% at 110%, 100% attainment pays 5/6: 7,500.00 came to
/// 6249.9999999999999999999999998, which rounding toward zero paid as
/// 6,249.99. The payout is now one fraction, applied with one division.
#[test]
fn a_target_bonus_on_an_interpolated_payout_is_exact() {
    let curve = salesplan::bonus::PayoutCurve::new(
        [(rate("80%"), rate("50%")), (rate("110%"), rate("100%"))],
        rate("150%"),
    )
    .unwrap();
    let q1 = Period::new(date(2025, 1, 1), date(2025, 3, 2)).unwrap(); // 60 days
    let q1_plan =
        TargetBonus::new(plan("q1"), q1, curve).rounding(salesplan::RoundingPolicy::TowardZero);
    // (target, attainment, employed from, unrounded, amount)
    let table = [
        ("7500.00", "1", None, "6250", "6250.00"),
        // 2/3 of 9,000 for 20 of 60 days: 2,000.
        ("9000.00", "0.9", Some((2, 10)), "2000", "2000.00"),
        // Between the points and prorated: 5/6 × 12,000 × 30/60 = 5,000.
        ("12000.00", "1", Some((1, 31)), "5000", "5000.00"),
    ];
    for (target, attainment, from, unrounded, amount) in table {
        let mut inputs = BonusInputs::new(person("ana"), usd(target), dec(attainment));
        if let Some((m, d)) = from {
            inputs = inputs.employed(DateRange::starting(date(2025, m, d)));
        }
        let bonus = q1_plan.compute(&inputs).unwrap();
        assert_eq!(
            bonus.unrounded(),
            usd(unrounded),
            "{target} at {attainment}"
        );
        assert_eq!(bonus.amount(), usd(amount), "{target} at {attainment}");
        assert!(!bonus.to_string().contains("= about"), "{bonus}");
    }
    // The issue's shape: 0% at 0 rising to 100% at 30%; 10% of a
    // 300,000.00 target is exactly 100,000.00.
    let steep = salesplan::bonus::PayoutCurve::new(
        [(rate("0%"), rate("0%")), (rate("30%"), rate("100%"))],
        rate("100%"),
    )
    .unwrap();
    let bonus = TargetBonus::new(plan("steep"), q1, steep)
        .compute(&BonusInputs::new(
            person("ana"),
            usd("300000.00"),
            dec("0.1"),
        ))
        .unwrap();
    assert_eq!(bonus.unrounded(), usd("100000"));
}

#[test]
fn quarterly_and_annual_bonuses_with_gates_and_proration() {
    let year = Period::new(date(2025, 1, 1), date(2026, 1, 1)).unwrap();
    let q2 = Period::new(date(2025, 4, 1), date(2025, 7, 1)).unwrap();
    let annual = TargetBonus::new(plan("annual-2025"), year, issue_curve())
        .gate(Gate::new("annual quota", rate("100%")));
    let quarterly = TargetBonus::new(plan("q2-2025"), q2, issue_curve());
    let target = usd("10000.00");
    // (plan, attainment, annual quota figure, employed from, until, amount)
    type Case<'a> = (
        &'a TargetBonus,
        &'a str,
        &'a str,
        Option<(u32, u32)>,
        Option<(u32, u32)>,
        &'a str,
    );
    let table: [Case; 8] = [
        (&annual, "120%", "120%", None, None, "14000.00"),
        (&annual, "99%", "99%", None, None, "0.00"),
        (&annual, "100%", "100%", None, None, "10000.00"),
        // Joined 1 July: 184 of 365 days of 140%.
        (&annual, "120%", "120%", Some((7, 1)), None, "7057.53"),
        // Left on 1 April (last day 31 March): 90 of 365 days.
        (&annual, "150%", "150%", None, Some((4, 1)), "4931.51"),
        (&quarterly, "90%", "0%", None, None, "7500.00"),
        // Joined 16 May: 46 of 91 days of 75%.
        (&quarterly, "90%", "0%", Some((5, 16)), None, "3791.21"),
        // Joined after the quarter: nothing.
        (&quarterly, "90%", "0%", Some((8, 1)), None, "0.00"),
    ];
    for (plan, attainment, figure, from, until, amount) in table {
        let mut inputs = BonusInputs::new(person("ana"), target, rate(attainment).fraction())
            .figure("annual quota", rate(figure).fraction());
        if from.is_some() || until.is_some() {
            let (fm, fd) = from.unwrap_or((1, 1));
            let range =
                DateRange::new(date(2025, fm, fd), until.map(|(m, d)| date(2025, m, d))).unwrap();
            inputs = inputs.employed(range);
        }
        let bonus = plan.compute(&inputs).unwrap();
        assert_eq!(
            bonus.amount(),
            usd(amount),
            "{} {attainment} {from:?}",
            plan.id()
        );
    }
    let inputs = BonusInputs::new(person("ana"), target, dec("1.2"))
        .figure("annual quota", dec("1.2"))
        .employed(DateRange::starting(date(2025, 7, 1)));
    let bonus = annual.compute(&inputs).unwrap();
    assert_eq!(
        bonus.to_string(),
        "annual-2025 for ana: 7057.53 USD\n  \
         gate \"annual quota\": 120% against a minimum of 100% (passed)\n  \
         attainment 120% is between 100% pays 100% and 150% pays 200%, interpolated linearly: payout 140%\n  \
         target 10000.00 USD x 140%\n  \
         prorated 184/365 calendar days employed\n  \
         = about 7057.534247 USD, rounded half away from zero to 7057.53 USD"
    );
    let gated = annual
        .compute(
            &BonusInputs::new(person("ben"), target, dec("1.5"))
                .figure("annual quota", dec("0.97")),
        )
        .unwrap();
    assert!(!gated.gates_passed());
    assert!(gated.amount().is_zero());
    assert!(
        gated
            .to_string()
            .contains("a gate failed, so no bonus is paid")
    );

    // Everyone at once comes back sorted by person.
    let all = quarterly
        .compute_all(&[
            BonusInputs::new(person("cy"), target, dec("1")),
            BonusInputs::new(person("ana"), target, dec("0.8")),
        ])
        .unwrap();
    let people: Vec<&str> = all.iter().map(|b| b.person().as_str()).collect();
    assert_eq!(people, ["ana", "cy"]);
}

#[test]
fn escalation_actions_checked_in_one_call() {
    let org = company();
    let day = date(2025, 5, 6);
    let snapshot = org.as_of(day).unwrap();
    let policy = policy();
    let authority = Authority::new(&policy, &snapshot).unwrap();
    let requests = [
        Request::new(person("tia"), Action::Coaching, person("ana")),
        Request::new(person("tia"), Action::IssueWarning, person("ben")),
        Request::new(person("tia"), Action::OpenImprovementPlan, person("cy")),
        Request::new(person("rui"), Action::OpenImprovementPlan, person("cy")),
        Request::new(
            person("rui"),
            Action::ApproveQuotaRelief { relief: pct("10%") },
            person("dee"),
        ),
        Request::new(person("sam"), Action::IssueWarning, person("ana")),
        Request::new(person("rui"), Action::Coaching, person("ana")),
        Request::new(
            person("tia"),
            Action::Custom("ride-along".into()),
            person("ana"),
        ),
    ];
    let results = authority.authorize_all(&requests);
    let summary: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(d) => match d.outcome() {
                Outcome::Allowed => "allowed".to_string(),
                Outcome::NeedsApproval { .. } => {
                    format!("ask {}", d.approver().and_then(|a| a.person()).unwrap())
                }
                Outcome::Denied => "denied".to_string(),
                _ => "other".to_string(),
            },
            Err(BonusError::ActorOutsideChain { actor, subject }) => {
                format!("{actor} is not above {subject}")
            }
            Err(e) => e.to_string(),
        })
        .collect();
    assert_eq!(
        summary,
        [
            "allowed",
            "allowed",
            "ask rui",
            "allowed",
            "ask dana",
            "sam is not above ana",
            "allowed",
            "denied",
        ]
    );
}

#[test]
fn escalations_due_from_perf_are_checked_in_one_call() {
    use salesplan::perf::{Action as Due, ActionDue, PeriodKind};
    let org = company();
    let day = date(2025, 5, 6);
    let snapshot = org.as_of(day).unwrap();
    let policy = policy();
    let authority = Authority::new(&policy, &snapshot).unwrap();
    let due = |who: &str, action: Due| ActionDue {
        person: person(who),
        as_of: day,
        action,
        rule: 0,
        kind: PeriodKind::Month,
        below: dec("0.7"),
        periods: Vec::new(),
    };
    let results = authority.authorize_escalations(
        &person("tia"),
        &[
            due("ana", Due::Coaching),
            due("ben", Due::WrittenWarning),
            due("cy", Due::ImprovementPlan),
        ],
    );
    let allowed: Vec<bool> = results
        .iter()
        .map(|r| r.as_ref().unwrap().is_allowed())
        .collect();
    // The same answers as the hand-written requests above.
    assert_eq!(allowed, [true, true, false]);
}

#[cfg(feature = "serde")]
mod serde {
    use salesplan::Period;
    use salesplan::bonus::{
        Action, Authority, Award, BonusInputs, BonusLedger, Budget, Contest, ContestEvent,
        ContestMeasure, DiscretionaryBonus, Gate, Objective, PayoutCurve, Scorecard, TargetBonus,
    };

    use crate::common::{date, dec};
    use crate::support::bonus::{company, issue_curve, pct, plan, policy, rate, usd};
    use crate::support::person;

    fn round_trip<T>(value: &T)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let json = serde_json::to_string(value).unwrap();
        let back: T = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, value, "{json}");
    }

    #[test]
    fn bonus_data_round_trips_through_json() {
        let curve = issue_curve();
        round_trip(&curve);
        let json = serde_json::to_string(&curve).unwrap();
        assert!(json.contains("\"80%\""), "{json}");
        let year = Period::new(date(2025, 1, 1), date(2026, 1, 1)).unwrap();
        let annual = TargetBonus::new(plan("annual"), year, curve)
            .gate(Gate::new("annual quota", rate("100%")));
        round_trip(&annual);
        let inputs = BonusInputs::new(person("ana"), usd("100.00"), dec("1.1"))
            .figure("annual quota", dec("1.1"));
        round_trip(&inputs);
        round_trip(&annual.compute(&inputs).unwrap());
        let card = Scorecard::new([
            Objective::new("a", pct("70%")).cap(rate("150%")),
            Objective::new("b", pct("30%")),
        ])
        .unwrap();
        round_trip(&card);
        round_trip(
            &card
                .evaluate(&[("a", rate("120%")), ("b", rate("90%"))])
                .unwrap(),
        );
        let march = Period::new(date(2025, 3, 1), date(2025, 4, 1)).unwrap();
        let contest = Contest::new(
            plan("c"),
            march,
            ContestMeasure::Custom("demos".into()),
            Award::TopN {
                prizes: vec![usd("10.00")],
            },
        )
        .unwrap()
        .minimum(dec("2"));
        round_trip(&contest);
        round_trip(
            &contest
                .run(&[ContestEvent::new(person("ana"), date(2025, 3, 3), dec("2"))])
                .unwrap(),
        );
        let policy = policy();
        round_trip(&policy);
        let org = company();
        let day = date(2025, 5, 6);
        let snapshot = org.as_of(day).unwrap();
        let authority = Authority::new(&policy, &snapshot).unwrap();
        let decision = authority
            .authorize(
                &person("tia"),
                &Action::ApproveDiscretionaryBonus {
                    amount: usd("5000.00"),
                },
                &person("ana"),
                day,
            )
            .unwrap();
        round_trip(&decision);
        let q2 = Period::new(date(2025, 4, 1), date(2025, 7, 1)).unwrap();
        let mut ledger = BonusLedger::new()
            .budget(person("rui"), Budget::new(usd("1000.00"), q2))
            .unwrap();
        ledger
            .propose(DiscretionaryBonus::propose(
                plan("db-1"),
                person("rui"),
                person("ana"),
                usd("600.00"),
                "demo",
                date(2025, 5, 1),
            ))
            .unwrap();
        ledger
            .approve(&plan("db-1"), &person("rui"), &authority)
            .unwrap();
        round_trip(&ledger);
    }

    /// Optional fields default uniformly, to what the constructors give.
    #[test]
    fn bonus_data_leaves_optional_fields_out() {
        use salesplan::bonus::{ActionPlan, Grant, Power, Qualification};
        use salesplan::org::Role;
        let curve = r#"{"points": [{"attainment": "80%", "payout": "50%"}, {"attainment": "100%", "payout": "100%"}, {"attainment": "150%", "payout": "200%"}], "cap": "200%"}"#;
        let year = Period::new(date(2025, 1, 1), date(2026, 1, 1)).unwrap();
        let plan_json = format!(
            r#"{{"id": "annual", "period": {{"start": "2025-01-01", "end": "2026-01-01"}}, "curve": {curve}}}"#
        );
        let read: TargetBonus = serde_json::from_str(&plan_json).unwrap();
        assert_eq!(read, TargetBonus::new(plan("annual"), year, issue_curve()));
        let grant: Grant = serde_json::from_str(
            r#"{"role": "director", "power": {"approve_discretionary_bonus": {}}}"#,
        )
        .unwrap();
        assert_eq!(
            grant,
            Grant::new(
                Role::Director,
                Power::ApproveDiscretionaryBonus { up_to: None }
            )
        );
        let training: ActionPlan = serde_json::from_str(
            r#"{"id": "t", "name": "training", "approved_by": "dana", "scope": "dir",
                "approved_on": "2025-03-01", "qualification": {"below": "60%", "periods": 2}}"#,
        )
        .unwrap();
        assert_eq!(
            training,
            ActionPlan::new(
                plan("t"),
                "training",
                person("dana"),
                crate::support::pos("dir"),
                date(2025, 3, 1),
                Qualification::below_for(rate("60%"), 2),
            )
        );
        let objective: Objective =
            serde_json::from_str(r#"{"name": "hiring", "weight": "30%"}"#).unwrap();
        assert_eq!(objective, Objective::new("hiring", pct("30%")));
        let proposal: DiscretionaryBonus = serde_json::from_str(
            r#"{"id": "db-1", "proposed_by": "rui", "recipient": "ana", "amount": "600.00 USD",
                "reason": "demo", "proposed_on": "2025-05-01"}"#,
        )
        .unwrap();
        assert_eq!(
            proposal,
            DiscretionaryBonus::propose(
                plan("db-1"),
                person("rui"),
                person("ana"),
                usd("600.00"),
                "demo",
                date(2025, 5, 1)
            )
        );
        let contest: Contest = serde_json::from_str(
            r#"{"id": "c", "window": {"start": "2025-03-01", "end": "2025-04-01"},
                "measure": "revenue", "award": {"top_n": {"prizes": ["10.00 USD"]}}}"#,
        )
        .unwrap();
        let march = Period::new(date(2025, 3, 1), date(2025, 4, 1)).unwrap();
        assert_eq!(
            contest,
            Contest::new(
                plan("c"),
                march,
                ContestMeasure::Revenue,
                Award::TopN {
                    prizes: vec![usd("10.00")]
                }
            )
            .unwrap()
        );
        assert_eq!(
            serde_json::from_str::<BonusLedger>("{}").unwrap(),
            BonusLedger::new()
        );
    }

    #[test]
    fn deserializing_runs_the_same_validation() {
        let unsorted = r#"{"points":[{"attainment":"100%","payout":"100%"},{"attainment":"80%","payout":"50%"}],"cap":"200%"}"#;
        let err = serde_json::from_str::<PayoutCurve>(unsorted).unwrap_err();
        assert!(
            err.to_string().contains("not above the previous point"),
            "{err}"
        );
        let weights = r#"[{"name":"a","weight":"50%","cap":"100%"},{"name":"b","weight":"40%","cap":"100%"}]"#;
        let err = serde_json::from_str::<Scorecard>(weights).unwrap_err();
        assert!(err.to_string().contains("add up to 0.9"), "{err}");
        // A ledger whose approvals exceed the budget is rejected.
        let over = r#"{"budgets":[["rui",{"amount":"100.00 USD","period":{"start":"2025-04-01","end":"2025-07-01"}}]],
            "bonuses":[{"id":"db-1","proposed_by":"rui","recipient":"ana","amount":"150.00 USD","reason":"x",
            "proposed_on":"2025-05-01","state":{"approved":{"by":"dana","on":"2025-05-02"}}}]}"#;
        let err = serde_json::from_str::<BonusLedger>(over).unwrap_err();
        assert!(err.to_string().contains("over the budget"), "{err}");
    }
}

#[test]
fn budgets_are_kept_by_manager_and_start_whatever_the_order_given() {
    let q = |from: (u32, u32), to: (u32, u32)| {
        Period::new(date(2025, from.0, from.1), date(2025, to.0, to.1)).unwrap()
    };
    let budgets = [
        (person("rui"), Budget::new(usd("500"), q((4, 1), (7, 1)))),
        (person("ana"), Budget::new(usd("300"), q((1, 1), (4, 1)))),
        (person("rui"), Budget::new(usd("400"), q((1, 1), (4, 1)))),
    ];
    let build = |order: &[usize]| {
        order.iter().fold(BonusLedger::new(), |l, i| {
            let (who, budget) = budgets[*i].clone();
            l.budget(who, budget).unwrap()
        })
    };
    let ledger = build(&[0, 1, 2]);
    assert_eq!(ledger, build(&[2, 1, 0]));
    assert_eq!(ledger, build(&[1, 0, 2]));
    let kept: Vec<(&str, Period)> = ledger
        .budgets()
        .iter()
        .map(|(p, b)| (p.as_str(), b.period()))
        .collect();
    assert_eq!(
        kept,
        [
            ("ana", q((1, 1), (4, 1))),
            ("rui", q((1, 1), (4, 1))),
            ("rui", q((4, 1), (7, 1)))
        ]
    );
}

#[test]
fn an_action_plan_keeps_its_name() {
    assert_eq!(
        crate::support::bonus::training_plan().name(),
        "sales training"
    );
}

#[test]
fn a_plan_scoped_to_a_region_covers_only_those_inside_it() {
    use salesplan::bonus::{ActionPlan, AuthorityPolicy, Grant, Power, Qualification};
    use salesplan::org::Role;
    // Rui, the north's regional manager, approves a plan for his region.
    let north = ActionPlan::new(
        plan("north-training"),
        "north training",
        person("rui"),
        pos("rsm-n"),
        date(2025, 3, 1),
        Qualification::below_for(rate("60%"), 2).roles([Role::SalesRep]),
    );
    let policy = AuthorityPolicy::new()
        .grants(crate::support::bonus::grants())
        .grant(Grant::new(Role::RegionalManager, Power::ApproveActionPlan))
        .plan(north);
    let org = company();
    let day = date(2025, 5, 6);
    let snapshot = org.as_of(day).unwrap();
    let authority = Authority::new(&policy, &snapshot).unwrap();
    let deploy = Action::DeployActionPlan {
        plan: plan("north-training"),
        recent_attainment: [rate("50%"), rate("40%")].map(|r| r.fraction()).to_vec(),
    };
    // (actor, subject, plan miss): the actor and the subject must both be
    // inside the plan's scope.
    let table = [
        ("rui", "dee", None),
        ("tia", "ana", None),
        ("dana", "dee", Some(PlanMiss::OutsideScope)),
        ("sam", "eve", Some(PlanMiss::OutsideScope)),
        ("dana", "eve", Some(PlanMiss::OutsideScope)),
    ];
    for (actor, subject, miss) in table {
        let decision = authority
            .authorize(&person(actor), &deploy, &person(subject), day)
            .unwrap();
        assert_eq!(decision.plan_miss(), miss, "{actor} {subject}");
    }
}
