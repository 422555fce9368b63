//! A carried cap of a plan that stops paying a person before the year's
//! end (a plan change): forfeited and shown at the plan's last pay period
//! for them, never silently dropped.

use salesplan::comp::{
    AssignedCommissions, Cap, CarriedCap, CompError, CompPeriod, CompPlan, Component, Explanation,
    PlanSplit, Quotas, RateTable, Statement, carry_capped, carry_capped_in_force,
};
use salesplan::credit::{CreditBasis, Transaction};
use salesplan::{Currency, PlanId};

use crate::scenarios::comp_close::ana_on;
use crate::support::comp::*;
use crate::support::credit::{sale, usd};

/// A monthly 10% plan `id` capped at 500 a month.
pub(crate) fn capped(id: &str) -> CompPlan {
    CompPlan::builder(
        PlanId::new(id).unwrap(),
        Currency::USD,
        salesplan::calendar::FiscalCalendar::gregorian(),
        2025,
    )
    .component(
        Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Month,
            RateTable::Flat(pct("10%")),
        )
        .cap(Cap::PerPeriod(usd("500.00"))),
    )
    .build()
    .unwrap()
}

/// May: 8,000 sold, 800 earned, 300 over the cap. June: 1,000 sold.
fn may_and_june() -> Vec<Transaction> {
    vec![
        sale("T1", d(5, 10), "8000", &[("r1", "100%")]),
        sale("T2", d(6, 10), "1000", &[("r1", "100%")]),
    ]
}

/// The carry lines of `s`.
fn carries(s: &Statement) -> Vec<&CarriedCap> {
    s.lines()
        .iter()
        .filter_map(|l| match &l.explanation {
            Explanation::Carried(c) => Some(&**c),
            _ => None,
        })
        .collect()
}

fn find<'s>(statements: &'s [Statement], plan: &str, m: u32) -> &'s Statement {
    statements
        .iter()
        .find(|s| s.plan.as_str() == plan && s.period == month(m))
        .unwrap()
}

/// The worked example: Ana's plan changes from v1 to v2 on June 1st with
/// 300 carried: May's statement under v1 shows it forfeited at the plan's
/// end; v2's statements are as they were (its June has room, but v1's
/// carry is not v2's to pay).
#[test]
fn a_plan_change_forfeits_the_carry_on_the_old_plans_last_statement() {
    let (v1, v2) = (capped("v1"), capped("v2"));
    let on = ana_on(&[("v1", d(1, 1), Some(d(6, 1))), ("v2", d(6, 1), None)]);
    let revenue = run(CreditBasis::Revenue, &may_and_june());
    let comp = AssignedCommissions::new(&[&v1, &v2], &on, &[&revenue]).unwrap();
    let made = comp
        .statements(&ana(), &Quotas::new(), &[], d(7, 31))
        .unwrap();
    // Known from the statements alone: v2's go on past May.
    let carried = carry_capped(&v2, &carry_capped(&v1, &made).unwrap()).unwrap();
    // The same with the stretches the assignments give.
    let in_force = comp.in_force(&ana());
    let both = carry_capped_in_force(
        &v2,
        &carry_capped_in_force(&v1, &made, &in_force).unwrap(),
        &in_force,
    )
    .unwrap();
    assert_eq!(carried, both);
    assert_eq!(
        find(&carried, "v1", 5).to_string(),
        "Commission statement for ana, plan v1, 2025-05-01 to 2025-05-31
  Revenue: 500.00 USD
    measured 2025-05-01 to 2025-05-31: 8000 from 1 transaction
    0 to 8000: 8000 at 10% = 800.00 USD
    capped at 500.00 USD per period: -300.00 USD
  Revenue: 0.00 USD
    carried forward from this period: 300.00 USD
    forfeited at the plan's end (v1): 300.00 USD
  Total payable: 500.00 USD"
    );
    let may = carries(find(&carried, "v1", 5));
    assert_eq!(may.len(), 1);
    assert_eq!(may[0].forfeited, usd("300.00"));
    assert_eq!(may[0].carried_after, usd("0.00"));
    assert_eq!(may[0].ended, Some(PlanId::new("v1").unwrap()));
    // The new plan's statements are unaffected.
    let of = |all: &[Statement], p: &str| -> Vec<Statement> {
        all.iter()
            .filter(|s| s.plan.as_str() == p)
            .cloned()
            .collect()
    };
    assert_eq!(of(&carried, "v2"), of(&made, "v2"));
    assert_eq!(find(&carried, "v2", 6).total, usd("100.00"));
}

/// The close of May, before v2's statements exist: only the assignments
/// know v1 ends with May. `carry_capped` alone still carries the 300 (the
/// documented limit); with the stretches it is forfeited on May.
#[test]
fn the_plans_end_is_known_from_its_stretches_before_the_next_plans_statements() {
    let (v1, v2) = (capped("v1"), capped("v2"));
    let on = ana_on(&[("v1", d(1, 1), Some(d(6, 1))), ("v2", d(6, 1), None)]);
    let revenue = run(CreditBasis::Revenue, &may_and_june());
    let comp = AssignedCommissions::new(&[&v1, &v2], &on, &[&revenue]).unwrap();
    let made = comp
        .statements(&ana(), &Quotas::new(), &[], d(5, 31))
        .unwrap();
    let alone = carry_capped(&v1, &made).unwrap();
    assert_eq!(
        carries(find(&alone, "v1", 5))[0].carried_after,
        usd("300.00")
    );
    let known = carry_capped_in_force(&v1, &made, &comp.in_force(&ana())).unwrap();
    let may = carries(find(&known, "v1", 5));
    assert_eq!(
        (may[0].forfeited, may[0].carried_after),
        (usd("300.00"), usd("0.00"))
    );
}

/// Two assignment rows of the same plan back to back (re-issued on June
/// 1st) are one stretch: the carry goes on into June, which pays it, as
/// with no assignments at all; nothing is forfeited.
#[test]
fn back_to_back_assignments_of_the_same_plan_do_not_end_it() {
    let v1 = capped("v1");
    let on = ana_on(&[("v1", d(1, 1), Some(d(6, 1))), ("v1", d(6, 1), None)]);
    let revenue = run(CreditBasis::Revenue, &may_and_june());
    let comp = AssignedCommissions::new(&[&v1], &on, &[&revenue]).unwrap();
    let made = comp
        .statements(&ana(), &Quotas::new(), &[], d(6, 30))
        .unwrap();
    let known = carry_capped_in_force(&v1, &made, &comp.in_force(&ana())).unwrap();
    assert_eq!(known, carry_capped(&v1, &made).unwrap());
    let may = carries(find(&known, "v1", 5));
    assert_eq!(
        (may[0].forfeited, may[0].carried_after),
        (usd("0.00"), usd("300.00"))
    );
    // June: 100 earned, 400 of room, the 300 carried paid.
    assert_eq!(find(&known, "v1", 6).total, usd("400.00"));
}

/// Shared periods. By days, a plan with a cap per period cannot hold part
/// of a pay period (refused, so nothing is lost silently); a stretch
/// ending inside a pay period ends the plan at that pay period. At period
/// end, v2 taking over on May 15th pays all of May: v1's last pay period
/// is April, where its carry is forfeited.
#[test]
fn a_shared_period_ends_the_plan_at_the_pay_period_holding_its_last_day() {
    let (v1, v2) = (capped("v1"), capped("v2"));
    let mid_may = ana_on(&[("v1", d(1, 1), Some(d(5, 15))), ("v2", d(5, 15), None)]);
    let txs = vec![
        sale("T1", d(3, 10), "8000", &[("r1", "100%")]),
        sale("T2", d(4, 10), "6000", &[("r1", "100%")]),
        sale("T3", d(5, 10), "1000", &[("r1", "100%")]),
    ];
    let revenue = run(CreditBasis::Revenue, &txs);
    let by_days = AssignedCommissions::new(&[&v1, &v2], &mid_may, &[&revenue]).unwrap();
    assert!(matches!(
        by_days.statements(&ana(), &Quotas::new(), &[], d(6, 30)),
        Err(CompError::SplitPeriodLimit {
            what: "a cap per period",
            ..
        })
    ));
    // The stretch by days (to May 14th) ends v1 at May.
    let alone = salesplan::comp::Commissions::new(&v1, &[&revenue])
        .unwrap()
        .statements(&ana(), &Quotas::new(), &[], d(5, 31))
        .unwrap();
    let by_days_ends = carry_capped_in_force(&v1, &alone, &by_days.in_force(&ana())).unwrap();
    let may = carries(find(&by_days_ends, "v1", 5));
    // March 300 and April 100 over; May's 100 leaves 400 of room: all paid.
    assert_eq!(
        (may[0].released, may[0].forfeited),
        (usd("400.00"), usd("0.00"))
    );
    let period_end = by_days.split(PlanSplit::PeriodEnd);
    let made = period_end
        .statements(&ana(), &Quotas::new(), &[], d(6, 30))
        .unwrap();
    let carried = carry_capped_in_force(&v1, &made, &period_end.in_force(&ana())).unwrap();
    assert_eq!(carried, carry_capped(&v1, &made).unwrap());
    let april = carries(find(&carried, "v1", 4));
    assert_eq!(april[0].forfeited, usd("400.00"));
    assert_eq!(april[0].ended, Some(PlanId::new("v1").unwrap()));
    assert_eq!(find(&carried, "v2", 5).total, usd("100.00"));
}

/// May was closed (locked) under v1 alone, showing 300 still carried; the
/// change to v2 on June 1st is known at June's close. The locked May is
/// kept as it is; June's statement (v2's) shows v1's 300 forfeited, paying
/// nothing; given again locked, it is not shown twice. With no later
/// statement to show it on, the forfeit is a typed error.
#[test]
fn a_locked_last_statement_still_carrying_shows_the_forfeit_on_the_next_one() {
    let (v1, v2) = (capped("v1"), capped("v2"));
    let revenue = run(CreditBasis::Revenue, &may_and_june());
    let before = salesplan::comp::Commissions::new(&v1, &[&revenue])
        .unwrap()
        .statements(&ana(), &Quotas::new(), &[], d(5, 31))
        .unwrap();
    let locked = carry_capped(&v1, &before).unwrap();
    assert_eq!(carries(&locked[4])[0].carried_after, usd("300.00"));
    let on = ana_on(&[("v1", d(1, 1), Some(d(6, 1))), ("v2", d(6, 1), None)]);
    let comp = AssignedCommissions::new(&[&v1, &v2], &on, &[&revenue]).unwrap();
    let in_force = comp.in_force(&ana());
    let june = comp
        .statements(&ana(), &Quotas::new(), &locked, d(6, 30))
        .unwrap();
    let carried = carry_capped_in_force(&v1, &june, &in_force).unwrap();
    assert_eq!(&carried[..5], &locked[..]);
    let shown = find(&carried, "v2", 6);
    assert_eq!(shown.total, usd("100.00"));
    assert_eq!(
        shown.to_string(),
        "Commission statement for ana, plan v2, 2025-06-01 to 2025-06-30
  Revenue: 100.00 USD
    measured 2025-06-01 to 2025-06-30: 1000 from 1 transaction
    0 to 1000: 1000 at 10% = 100.00 USD
  Revenue: 0.00 USD
    carried from earlier periods over the cap of 500.00 USD: 300.00 USD; room this period 0.00 USD, paid 0.00 USD
    forfeited at the plan's end (v1): 300.00 USD"
            .to_owned()
            + "\n  Total payable: 100.00 USD"
    );
    // v2's own carry pass leaves v1's line alone.
    assert_eq!(
        carry_capped_in_force(&v2, &carried, &in_force).unwrap(),
        carried
    );
    // July's close, June locked: shown once.
    let july = comp
        .statements(&ana(), &Quotas::new(), &carried, d(7, 31))
        .unwrap();
    let again = carry_capped_in_force(&v1, &july, &in_force).unwrap();
    assert_eq!(&again[..6], &carried[..]);
    assert_eq!(carries(find(&again, "v2", 6)).len(), 1);
    // A re-run of May alone, the change now known: nowhere to show it.
    let err = carry_capped_in_force(&v1, &locked, &in_force).unwrap_err();
    let CompError::CarryForfeitUnshown(u) = &err else {
        panic!("{err}");
    };
    assert_eq!(
        (u.plan.as_str(), u.amount, u.period),
        ("v1", usd("300.00"), month(5))
    );
    assert_eq!(
        err.to_string(),
        "ana's carry of 300.00 USD under plan v1 (Revenue) is forfeited at the plan's end, but its last statement (2025-05-01) is locked and no later statement of ana is given to show it"
    );
}

/// A close of May with the plan assignments (v1 to June 1st, v2 after)
/// and carried caps: May's v1 statement shows the 300 forfeited at the
/// plan's end, though v2 has no statement in the close yet; June's close
/// (January to May locked) shows it nowhere again and pays v2's June as
/// it is.
#[test]
fn a_close_with_assignments_forfeits_the_carry_at_the_plans_end() {
    use salesplan::close::Close;
    use salesplan::credit::CreditPlan;
    let (v1, v2) = (capped("v1"), capped("v2"));
    let plans = [&v1, &v2];
    let on = ana_on(&[("v1", d(1, 1), Some(d(6, 1))), ("v2", d(6, 1), None)]);
    let org = crate::support::credit::region();
    let credit = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    let feed = may_and_june();
    let close = |period: salesplan::Period, locked: &[Statement]| {
        Close::new(&org, period, period.last_day())
            .credit(&credit, None, &feed)
            .assignments(&plans, &on)
            .carry_capped()
            .person(ana(), Quotas::new(), locked)
            .run()
            .unwrap()
            .statements
    };
    // January to May, closed together.
    let to_may = close(salesplan::Period::new(d(1, 1), d(6, 1)).unwrap(), &[]);
    assert_eq!(to_may.len(), 5);
    let may = &to_may[4];
    let line = carries(may);
    assert_eq!((may.plan.as_str(), may.total), ("v1", usd("500.00")));
    assert_eq!(
        (line[0].forfeited, line[0].carried_after),
        (usd("300.00"), usd("0.00"))
    );
    assert_eq!(line[0].ended, Some(PlanId::new("v1").unwrap()));
    let june = close(month(6), &to_may);
    assert_eq!(june.len(), 1);
    assert_eq!(
        (june[0].plan.as_str(), june[0].total),
        ("v2", usd("100.00"))
    );
    assert!(carries(&june[0]).is_empty());
}

/// A return in August of May's deal is clawed back by v1 on a statement
/// of v1 for August holding only the clawback: v1 still ends with May
/// (the clawback is not pay under the plan), its 300 forfeited there,
/// and the clawback statement carries nothing.
#[test]
fn a_clawback_after_the_change_does_not_move_the_plans_end() {
    let (v1, v2) = (capped("v1"), capped("v2"));
    let on = ana_on(&[("v1", d(1, 1), Some(d(6, 1))), ("v2", d(6, 1), None)]);
    let mut txs = may_and_june();
    txs.push(crate::support::credit::refund(
        "CN1",
        d(8, 5),
        "-5000",
        "T1",
    ));
    let revenue = run(CreditBasis::Revenue, &txs);
    let comp = AssignedCommissions::new(&[&v1, &v2], &on, &[&revenue]).unwrap();
    let made = comp
        .statements(&ana(), &Quotas::new(), &[], d(9, 30))
        .unwrap();
    // 3,000 left of May's 8,000: 300 paid, not 500.
    assert_eq!(find(&made, "v1", 8).total, usd("-200.00"));
    let carried = carry_capped(&v1, &made).unwrap();
    assert_eq!(
        carried,
        carry_capped_in_force(&v1, &made, &comp.in_force(&ana())).unwrap()
    );
    assert_eq!(carries(find(&carried, "v1", 5))[0].forfeited, usd("300.00"));
    assert!(carries(find(&carried, "v1", 8)).is_empty());
}

/// In JSON, a forfeit at a plan's end names the plan (`"ended"`); a line
/// without it reads as before (the field is left out when empty).
#[cfg(feature = "serde")]
#[test]
fn the_plan_ended_round_trips_in_json_and_is_left_out_when_empty() {
    let v1 = capped("v1");
    let on = ana_on(&[("v1", d(1, 1), Some(d(6, 1))), ("v2", d(6, 1), None)]);
    let revenue = run(CreditBasis::Revenue, &may_and_june());
    let v2 = capped("v2");
    let comp = AssignedCommissions::new(&[&v1, &v2], &on, &[&revenue]).unwrap();
    let made = comp
        .statements(&ana(), &Quotas::new(), &[], d(5, 31))
        .unwrap();
    let ended = carry_capped_in_force(&v1, &made, &comp.in_force(&ana())).unwrap();
    let still = carry_capped(&v1, &made).unwrap();
    for (all, has) in [(&ended, true), (&still, false)] {
        let line = carries(&all[4])[0].clone();
        let json = serde_json::to_value(&line).unwrap();
        assert_eq!(json.get("ended").is_some(), has, "{json}");
        if has {
            assert_eq!(json["ended"], "v1");
        }
        let back: CarriedCap = serde_json::from_value(json).unwrap();
        assert_eq!(back, line);
    }
}
