//! Bonus and authority invariants: curves are monotone where their points
//! are, team pools and tied prizes are split exactly, approved
//! discretionary bonuses never exceed the budget, nobody has authority
//! outside their subtree, and the order of policy entries never matters.

use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::bonus::{
    Action, Authority, AuthorityPolicy, Award, BonusInputs, BonusLedger, Budget, Contest,
    ContestEvent, ContestMeasure, DiscretionaryBonus, Grant, Outcome, PayoutCurve, Power, Scope,
    TargetBonus, TeamBonus, TeamInputs, TeamMember, TeamSplit,
};
use salesplan::calendar::DateRange;
use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
use salesplan::rollup::{SumOptions, sum_credits};
use salesplan::{BonusError, Currency, Money, Percent, Period, PersonId, Rate};

use crate::common::date;
use crate::support::bonus::{company, grants, issue_curve, plan, policy};
use crate::support::{RandomTree, always, person, random_tree};

fn bps_rate(bps: u32) -> Rate {
    Rate::new(Decimal::new(i64::from(bps), 4)).unwrap()
}

fn cents(c: i64) -> Money {
    Money::from_minor(c.into(), Currency::USD).unwrap()
}

/// A curve from increments (basis points): attainments strictly
/// increasing, payouts as given (or made non-decreasing).
fn curve(steps: &[(u32, u32)], monotone: bool, cap_extra: u32) -> PayoutCurve {
    let mut a = 0u32;
    let mut p = 0u32;
    let mut points = Vec::new();
    for (da, dp) in steps {
        a += da;
        p = if monotone { p + dp } else { *dp };
        points.push((bps_rate(a), bps_rate(p)));
    }
    let max = points.iter().map(|(_, p)| *p).max().unwrap();
    let cap = Rate::new(max.fraction() + Decimal::new(i64::from(cap_extra), 4)).unwrap();
    PayoutCurve::new(points, cap).unwrap()
}

/// Whether `num / den` has a finite decimal expansion.
fn terminates(num: u128, den: u128) -> bool {
    fn gcd(a: u128, b: u128) -> u128 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let mut d = den / gcd(num, den);
    for p in [2, 5] {
        while d.is_multiple_of(p) {
            d /= p;
        }
    }
    d == 1
}

fn steps() -> impl Strategy<Value = Vec<(u32, u32)>> {
    proptest::collection::vec((1u32..5_000, 0u32..5_000), 1..7)
}

/// A random tree with random roles and a person in every seat.
fn staffed(tree: &RandomTree, roles: &[Role]) -> Org {
    let mut b = Org::builder();
    for &i in &tree.order {
        let id = RandomTree::id(i);
        b = b
            .position(Position::new(id.clone(), roles[i % roles.len()].clone()))
            .line(match tree.parents[i] {
                Some(p) => ReportingLine::new(id.clone(), RandomTree::id(p), always()),
                None => ReportingLine::top(id.clone(), always()),
            })
            .assignment(Assignment::new(holder(i), id, always()));
    }
    b.build().unwrap()
}

fn holder(i: usize) -> PersonId {
    person(&format!("u{i:05}"))
}

fn any_role() -> impl Strategy<Value = Role> {
    proptest::sample::select(vec![
        Role::Director,
        Role::RegionalManager,
        Role::TeamLead,
        Role::SalesRep,
    ])
}

fn any_grant() -> impl Strategy<Value = Grant> {
    let power = prop_oneof![
        proptest::option::of(0i64..500_000).prop_map(|c| Power::ApproveDiscretionaryBonus {
            up_to: c.map(cents)
        }),
        (0u32..=100).prop_map(|p| Power::ApproveQuotaRelief {
            up_to: Percent::from_points(p.into()).unwrap()
        }),
        Just(Power::IssueWarning),
        Just(Power::Coaching),
        Just(Power::OpenImprovementPlan),
        Just(Power::DeployActionPlan),
    ];
    (any_role(), power, any::<bool>()).prop_map(|(role, power, narrow)| {
        let g = Grant::new(role, power);
        if narrow {
            g.scope(Scope::DirectReports)
        } else {
            g
        }
    })
}

fn any_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (1i64..600_000).prop_map(|c| Action::ApproveDiscretionaryBonus { amount: cents(c) }),
        (0u32..=100).prop_map(|p| Action::ApproveQuotaRelief {
            relief: Percent::from_points(p.into()).unwrap()
        }),
        Just(Action::IssueWarning),
        Just(Action::Coaching),
        Just(Action::OpenImprovementPlan),
        Just(Action::Custom("ride-along".into())),
    ]
}

const PEOPLE: [&str; 9] = [
    "dana", "rui", "tia", "ana", "ben", "cy", "dee", "sam", "eve",
];

proptest! {
    #[test]
    fn a_curve_is_monotone_where_its_points_are(
        steps in steps(),
        cap_extra in 0u32..3_000,
        xs in proptest::collection::vec(-5_000i64..40_000, 1..30),
    ) {
        let c = curve(&steps, true, cap_extra);
        let mut xs: Vec<Decimal> = xs.into_iter().map(|x| Decimal::new(x, 4)).collect();
        xs.sort();
        let payouts: Vec<Rate> = xs.iter().map(|x| c.payout(*x).unwrap().payout()).collect();
        for w in payouts.windows(2) {
            prop_assert!(w[0] <= w[1], "{:?}", payouts);
        }
        for p in &payouts {
            prop_assert!(*p <= c.cap());
        }
        for point in c.points() {
            prop_assert_eq!(c.payout(point.attainment().fraction())?.payout(), point.payout());
        }
        let first = c.points()[0].attainment().fraction();
        prop_assert_eq!(c.payout(first - Decimal::new(1, 4))?.payout(), Rate::ZERO);
    }

    #[test]
    fn between_two_points_the_payout_stays_between_theirs(
        steps in steps(),
        cap_extra in 0u32..3_000,
        t in 0u32..=1_000,
        segment in any::<prop::sample::Index>(),
    ) {
        // Any payouts, rising or falling: each segment is monotone.
        let c = curve(&steps, false, cap_extra);
        let points = c.points();
        prop_assume!(points.len() >= 2);
        let i = segment.index(points.len() - 1);
        let (a, b) = (points[i], points[i + 1]);
        let x = a.attainment().fraction()
            + (b.attainment().fraction() - a.attainment().fraction()) * Decimal::new(i64::from(t), 3);
        let p = c.payout(x)?.payout();
        prop_assert!(p >= a.payout().min(b.payout()) && p <= a.payout().max(b.payout()));
    }

    /// Issue #27, defect 7: a target bonus between two curve points, for
    /// part of its period, is `target × payout × covered / total` with the
    /// payout the fraction `(y0 (x1 - x0) + (x - x0)(y1 - y0)) / (x1 -
    /// x0)`: whenever that division is exact, the unrounded bonus times
    /// `(x1 - x0) × total days` is exactly `target × (y0 (x1 - x0) + (x -
    /// x0)(y1 - y0)) × covered days`.
    #[test]
    fn a_prorated_bonus_times_the_days_is_the_target_times_the_covered_days(
        x0 in 0i64..20_000,
        run in 1i64..10_000,
        y0 in 0i64..20_000,
        rise in 0i64..20_000,
        along in 0i64..=10_000,
        target in 0i64..10_000_000_000,
        total in 1u32..400,
        covered_share in 0u32..=1_000,
    ) {
        // Attainment and payouts in basis points, the attainment `along`
        // ten-thousandths of the way between the points.
        let (x1, y1) = (x0 + run, y0 + rise);
        let x = x0 * 10_000 + run * along; // at 8 places
        let curve = PayoutCurve::new(
            [(bps_rate(x0 as u32), bps_rate(y0 as u32)), (bps_rate(x1 as u32), bps_rate(y1 as u32))],
            bps_rate((y1 + 1) as u32),
        )
        .unwrap();
        let start = date(2025, 1, 1);
        let period = Period::new(start, start + chrono::Days::new(u64::from(total))).unwrap();
        let covered = total * covered_share / 1_000;
        let from = start + chrono::Days::new(u64::from(total - covered));
        let plan = TargetBonus::new(plan("p"), period, curve);
        let inputs = BonusInputs::new(person("ana"), cents(target), Decimal::new(x, 8))
            .employed(DateRange::starting(from));
        let bonus = plan.compute(&inputs).unwrap();
        // In integers: cents × bps × bps-at-8-places over bps × days.
        let num = i128::from(target)
            * (i128::from(y0) * i128::from(run) * 10_000 + i128::from(x - x0 * 10_000) * i128::from(rise))
            * i128::from(covered);
        let den = i128::from(run) * i128::from(total);
        // Units: 10^-2 (cents) × 10^-4 (payout) × 10^-8 (attainment) / 10^-4 (run).
        let scale = Decimal::new(1, 10);
        let unrounded = bonus.unrounded().amount();
        if terminates(num.unsigned_abs(), den.unsigned_abs()) {
            prop_assert_eq!(
                unrounded * Decimal::from(den),
                Decimal::from(num) * scale,
                "{} × {}/{}", target, covered, total
            );
        }
    }

    #[test]
    fn a_team_pool_is_split_exactly(
        tree in random_tree(30),
        credits in proptest::collection::vec(0i64..10_000_000, 30),
        quotas in proptest::collection::vec(1i64..10_000_000, 30),
        shares in proptest::collection::vec(1u32..100, 30),
        member_mask in proptest::collection::vec(any::<bool>(), 30),
        pool in 0i64..100_000_000,
        team_quota in 1i64..50_000_000,
        split in proptest::sample::select(vec![TeamSplit::Equal, TeamSplit::ByShare, TeamSplit::ByAttainment]),
    ) {
        let n = tree.parents.len();
        prop_assume!(n >= 2);
        let org = tree.org();
        let day = date(2025, 3, 31);
        let snapshot = org.as_of(day).unwrap();
        let rows: Vec<_> = (0..n).map(|i| (RandomTree::id(i), day, cents(credits[i]))).collect();
        let totals = sum_credits(&snapshot, &rows, SumOptions::new(Currency::USD)).unwrap();
        let mut members: Vec<usize> = (1..n).filter(|i| member_mask[*i]).collect();
        if members.is_empty() {
            members.push(1);
        }
        // Shares in basis points summing to exactly 10,000.
        let raw: u32 = members.iter().map(|i| shares[*i]).sum();
        let mut bps: Vec<u32> = members.iter().map(|i| shares[*i] * 10_000 / raw).collect();
        bps[0] += 10_000 - bps.iter().sum::<u32>();
        let make = |order: &[usize]| {
            let list = order.iter().map(|&k| {
                let i = members[k];
                TeamMember::new(RandomTree::id(i))
                    .share(Percent::from_fraction(Decimal::new(i64::from(bps[k]), 4)).unwrap())
                    .quota(cents(quotas[i]))
            });
            TeamInputs::new(RandomTree::id(0), cents(pool), cents(team_quota)).members(list)
        };
        let plan = TeamBonus::new(plan("team"), issue_curve(), split);
        let forward: Vec<usize> = (0..members.len()).collect();
        let backward: Vec<usize> = forward.iter().rev().copied().collect();
        match plan.compute(&totals, &make(&forward)) {
            Ok(team) => {
                let sum = Money::checked_sum(Currency::USD, team.shares().iter().map(|s| s.amount()))?;
                prop_assert_eq!(sum, team.pool());
                let weights: Decimal = team.shares().iter().map(|s| s.weight()).sum();
                for s in team.shares() {
                    let exact = team.pool().amount() * s.weight() / weights;
                    prop_assert!((s.amount().amount() - exact).abs() < Decimal::new(1, 2));
                }
                // The order of the members does not matter.
                prop_assert_eq!(plan.compute(&totals, &make(&backward))?, team);
            }
            Err(BonusError::Team { .. }) => {
                // Only when every member's attainment weighs zero.
                prop_assert_eq!(split, TeamSplit::ByAttainment);
            }
            Err(e) => prop_assert!(false, "{e}"),
        }
    }

    #[test]
    fn approved_discretionary_bonuses_never_exceed_the_budget(
        budget in 0i64..500_000,
        ops in proptest::collection::vec((1i64..300_000, 0usize..3, 0u32..91, any::<bool>()), 1..25),
    ) {
        let org = company();
        let day = date(2025, 6, 30);
        let snapshot = org.as_of(day).unwrap();
        let policy = policy();
        let authority = Authority::new(&policy, &snapshot).unwrap();
        let q2 = Period::new(date(2025, 4, 1), date(2025, 7, 1)).unwrap();
        let mut ledger = BonusLedger::new()
            .budget(person("rui"), Budget::new(cents(budget), q2))
            .unwrap();
        let approvers = ["rui", "dana", "tia"];
        for (k, (amount, approver, offset, approve)) in ops.iter().enumerate() {
            let id = plan(&format!("db-{k:03}"));
            let proposed_on = date(2025, 4, 1) + chrono::Days::new(u64::from(*offset));
            ledger.propose(DiscretionaryBonus::propose(
                id.clone(), person("rui"), person("ana"), cents(*amount), "prop", proposed_on,
            ))?;
            if *approve {
                let _ = ledger.approve(&id, &person(approvers[*approver]), &authority);
            }
            let committed: i128 = ledger
                .bonuses()
                .iter()
                .filter(|b| b.state().is_committed())
                .map(|b| b.amount().to_minor().unwrap())
                .sum();
            prop_assert!(committed <= i128::from(budget), "{committed} > {budget}");
            prop_assert!(!ledger.remaining(&person("rui"), proposed_on)?.is_negative());
        }
    }

    #[test]
    fn an_actor_never_gets_authority_outside_their_subtree(
        tree in random_tree(25),
        roles in proptest::collection::vec(any_role(), 1..5),
        action in any_action(),
        pairs in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..20),
    ) {
        let n = tree.parents.len();
        let org = staffed(&tree, &roles);
        let day = date(2025, 6, 2);
        let snapshot = org.as_of(day).unwrap();
        // Everyone may do everything, with no limit: only the tree decides.
        let everything = [
            Power::ApproveDiscretionaryBonus { up_to: None },
            Power::ApproveQuotaRelief { up_to: Percent::HUNDRED },
            Power::IssueWarning,
            Power::Coaching,
            Power::OpenImprovementPlan,
        ];
        let mut policy = AuthorityPolicy::new();
        for role in &roles {
            for power in &everything {
                policy = policy.grant(Grant::new(role.clone(), power.clone()));
            }
        }
        let authority = Authority::new(&policy, &snapshot).unwrap();
        for (a, s) in pairs {
            let (a, s) = (a.index(n), s.index(n));
            let result = authority.authorize(&holder(a), &action, &holder(s), day);
            let above = a != s && tree.is_within(s, a);
            match result {
                Ok(decision) => {
                    prop_assert!(above, "{a} acted on {s}");
                    if let Outcome::NeedsApproval { chain } = decision.outcome() {
                        for approver in chain {
                            let k: usize = approver.position().as_str()[1..].parse().unwrap();
                            prop_assert!(tree.is_within(s, k) && k != s);
                        }
                    }
                }
                Err(BonusError::ActorOutsideChain { .. }) => prop_assert!(!above),
                Err(e) => prop_assert!(false, "{e}"),
            }
        }
    }

    #[test]
    fn authorisation_does_not_depend_on_the_order_of_policy_entries(
        extra in proptest::collection::vec(any_grant(), 0..12),
        seed in any::<u64>(),
        actions in proptest::collection::vec(any_action(), 1..6),
    ) {
        let mut entries = grants();
        entries.extend(extra);
        let mut shuffled = entries.clone();
        // A deterministic shuffle from the seed.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let org = company();
        let day = date(2025, 6, 2);
        let snapshot = org.as_of(day).unwrap();
        let one = AuthorityPolicy::new().grants(entries);
        let two = AuthorityPolicy::new().grants(shuffled);
        let (one, two) = (Authority::new(&one, &snapshot).unwrap(), Authority::new(&two, &snapshot).unwrap());
        for action in &actions {
            for actor in PEOPLE {
                for subject in PEOPLE {
                    prop_assert_eq!(
                        one.authorize(&person(actor), action, &person(subject), day),
                        two.authorize(&person(actor), action, &person(subject), day)
                    );
                }
            }
        }
    }

    #[test]
    fn tied_prizes_are_shared_exactly(
        values in proptest::collection::vec((0usize..12, 0i64..4), 1..40),
        prizes in proptest::collection::vec(0i64..100_000, 1..6),
    ) {
        let march = Period::new(date(2025, 3, 1), date(2025, 4, 1)).unwrap();
        let prizes: Vec<Money> = prizes.into_iter().map(cents).collect();
        let contest = Contest::new(
            plan("c"), march, ContestMeasure::Revenue, Award::TopN { prizes: prizes.clone() },
        ).unwrap();
        let events: Vec<ContestEvent> = values
            .iter()
            .map(|(p, v)| ContestEvent::new(person(&format!("p{p:02}")), date(2025, 3, 10), Decimal::from(*v)))
            .collect();
        let result = contest.run(&events)?;
        let people = result.standings().len();
        let awarded: i128 = result.standings().iter().map(|s| s.prize().to_minor().unwrap()).sum();
        let offered: i128 = prizes.iter().take(people).map(|p| p.to_minor().unwrap()).sum();
        prop_assert_eq!(awarded, offered);
        for group in result.standings().chunk_by(|a, b| a.rank() == b.rank()) {
            let amounts: Vec<i128> = group.iter().map(|s| s.prize().to_minor().unwrap()).collect();
            let (lo, hi) = (amounts.iter().min().unwrap(), amounts.iter().max().unwrap());
            prop_assert!(hi - lo <= 1);
        }
        let mut reversed = events.clone();
        reversed.reverse();
        prop_assert_eq!(contest.run(&reversed)?, result);
    }
}
