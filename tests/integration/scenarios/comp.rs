//! Commission statements: the worked examples, as tables.

use chrono::NaiveDate;
use salesplan::calendar::DateRange;
use salesplan::comp::{
    Accumulation, Cap, CompPeriod, Component, Draw, Explanation, Gate, GateHolds, GatePeriod,
    Kicker, Multiplier, Qualifier, RateTable, Statement, StatementDiff, TierBasis, TierMethod,
};
use salesplan::credit::{CreditBasis, Transaction};
use salesplan::{Period, ProductGroupId, Rate};

use crate::common::dec;
use crate::support::comp::*;
use crate::support::credit::{refund, sale, usd};

fn two_tiers(method: TierMethod) -> RateTable {
    tiers(
        TierBasis::Measure,
        method,
        &[("0", "5000", "10%"), ("5000", "", "12%")],
    )
}

fn sales(amounts: &[(&str, NaiveDate)]) -> Vec<Transaction> {
    amounts
        .iter()
        .enumerate()
        .map(|(i, (a, day))| sale(&format!("T{i}"), *day, a, &[("r1", "100%")]))
        .collect()
}

#[test]
fn two_tiers_marginal_and_retroactive() {
    let cases = [
        (TierMethod::Marginal, "4000.00", "400.00"),
        (TierMethod::Marginal, "5000.00", "500.00"),
        (TierMethod::Marginal, "6000.00", "620.00"),
        (TierMethod::Retroactive, "4000.00", "400.00"),
        (TierMethod::Retroactive, "5000.00", "500.00"),
        (TierMethod::Retroactive, "6000.00", "720.00"),
    ];
    for (method, amount, paid) in cases {
        let plan = plan(vec![Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Quarter,
            two_tiers(method),
        )]);
        let s = statements(
            &plan,
            &sales(&[(amount, d(2, 10))]),
            &quarterly("10000"),
            &[],
            d(3, 31),
        )
        .unwrap();
        assert_eq!(totals(&s), [paid], "{method:?} on {amount}");
        assert!(parts_add_up(&s[0]));
    }
}

#[test]
fn marginal_tiers_with_prior_attainment_in_the_period() {
    // Monthly statements of a year-to-date component: February's 2,000
    // starts where January's 4,000 left off, so 1,000 is paid at 10% and
    // 1,000 at 12%.
    let plan = plan(vec![
        Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Month,
            two_tiers(TierMethod::Marginal),
        )
        .accumulate(Accumulation::YearToDate),
    ]);
    let txs = sales(&[("4000", d(1, 10)), ("2000", d(2, 10))]);
    let s = statements(&plan, &txs, &monthly("10000"), &[], d(2, 28)).unwrap();
    assert_eq!(totals(&s), ["400.00", "220.00"]);
    let Explanation::Earned(c) = &s[1].lines()[0].explanation else {
        panic!()
    };
    assert_eq!(c.measure, dec("6000.00"));
    assert_eq!(c.earned_before, dec("400.00"));
    assert_eq!(c.slices().len(), 2);
    assert!(s.iter().all(parts_add_up));
}

#[test]
fn accelerator_above_quota() {
    let cases = [
        ("8000", "800.00"),
        ("10000", "1000.00"),
        ("12000", "1300.00"),
    ];
    for (amount, paid) in cases {
        let plan = plan(vec![
            Component::new(
                "Revenue",
                CreditBasis::Revenue,
                CompPeriod::Quarter,
                RateTable::Flat(pct("10%")),
            )
            .multiplier(Multiplier::above(rate("100%"), rate("150%"))),
        ]);
        let s = statements(
            &plan,
            &sales(&[(amount, d(2, 1))]),
            &quarterly("10000"),
            &[],
            d(3, 31),
        )
        .unwrap();
        assert_eq!(totals(&s), [paid], "{amount}");
    }
}

#[test]
fn annual_gate_withholds_accelerators_until_the_annual_quota_is_met() {
    let plan = plan(vec![
        Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Quarter,
            RateTable::Flat(pct("10%")),
        )
        .accumulate(Accumulation::YearToDate)
        .multiplier(Multiplier::above(rate("100%"), rate("200%")))
        .gate(Gate::new(
            rate("100%"),
            GatePeriod::Year,
            GateHolds::Accelerators,
        )),
    ]);
    let txs = sales(&[("15000", d(2, 1)), ("30000", d(5, 1))]);
    let s = statements(&plan, &txs, &quarterly("10000"), &[], d(6, 30)).unwrap();
    // Q1: 150% of the quarter but 37.5% of the year: 1,500 at the base rate.
    // Q2: 112.5% of the year: 20,000 × 10% + 25,000 × 20% = 7,000 to date.
    assert_eq!(totals(&s), ["1500.00", "5500.00"]);
    let Explanation::Earned(q1) = &s[0].lines()[0].explanation else {
        panic!()
    };
    // Only the accelerated slice is held back.
    let withheld: Vec<bool> = q1.slices().iter().map(|sl| sl.withheld).collect();
    assert_eq!(withheld, [false, true]);
    assert!(!q1.gate.as_ref().unwrap().open);
    assert!(s.iter().all(parts_add_up));
}

/// 10% a month, and a recoverable draw of 1,000 a month from January to
/// March, recovered down to a floor of 500.
fn monthly_draw_with_a_floor() -> salesplan::comp::CompPlan {
    builder()
        .component(Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Month,
            RateTable::Flat(pct("10%")),
        ))
        .draw(Draw::Recoverable {
            amount: usd("1000"),
            during: DateRange::new(d(1, 1), Some(d(4, 1))).unwrap(),
            recover_from: None,
            floor: usd("500"),
        })
        .build()
        .unwrap()
}

#[test]
fn recoverable_draw_with_a_floor() {
    let plan = monthly_draw_with_a_floor();
    let txs = sales(&[
        ("3000", d(1, 5)),
        ("20000", d(3, 5)),
        ("5000", d(4, 5)),
        ("10000", d(5, 5)),
    ]);
    let s = statements(&plan, &txs, &monthly("10000"), &[], d(5, 31)).unwrap();
    assert_eq!(
        totals(&s),
        ["1000.00", "1000.00", "500.00", "500.00", "800.00"]
    );
    let balances: Vec<String> = s
        .iter()
        .map(|s| {
            s.draw
                .as_ref()
                .map_or("-".into(), |d| d.balance_after.amount().to_string())
        })
        .collect();
    assert_eq!(balances, ["700.00", "1700.00", "200.00", "200.00", "0.00"]);
}

#[test]
fn guaranteed_minimum() {
    let plan = builder()
        .component(Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Month,
            RateTable::Flat(pct("10%")),
        ))
        .draw(Draw::NonRecoverable {
            amount: usd("1000"),
            during: DateRange::new(d(1, 1), Some(d(3, 1))).unwrap(),
        })
        .build()
        .unwrap();
    let txs = sales(&[("3000", d(1, 5)), ("20000", d(2, 5)), ("5000", d(3, 5))]);
    let s = statements(&plan, &txs, &monthly("10000"), &[], d(3, 31)).unwrap();
    assert_eq!(totals(&s), ["1000.00", "2000.00", "500.00"]);
}

#[test]
fn clawback_of_a_deal_paid_in_an_earlier_period() {
    let plan = plan(vec![Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Month,
        two_tiers(TierMethod::Marginal),
    )]);
    let mut txs = sales(&[("4000", d(1, 10)), ("2000", d(1, 20)), ("1000", d(3, 3))]);
    txs.push(refund("R1", d(3, 15), "-2000", "T1"));
    let s = statements(&plan, &txs, &monthly("10000"), &[], d(3, 31)).unwrap();
    // January pays 620 on 6,000 (500 to 5,000, 120 above); without the
    // 2,000 March's return takes back it would have paid 400, so the
    // return takes back 220 (1,000 at 12% and 1,000 at 10%), and March's
    // own 1,000 earns 100.
    assert_eq!(totals(&s), ["620.00", "0.00", "-120.00"]);
    let Explanation::Clawback(c) = &s[2].lines()[1].explanation else {
        panic!()
    };
    assert_eq!(c.sale.as_str(), "T1");
    assert_eq!(c.paid_in(), [month(1)]);
    assert!(s.iter().all(parts_add_up));
    assert_eq!(
        s[2].to_string(),
        "Commission statement for ana, plan AE-2025, 2025-03-01 to 2025-03-31
  Revenue: 100.00 USD
    measured 2025-03-01 to 2025-03-31: 1000 from 1 transaction
    quota 10000, attainment 10%
    0 to 1000: 1000 at 10% = 100.00 USD
  Revenue: -220.00 USD
    clawback: R1 on 2025-03-15 reverses -2000 of deal T1 (paid in 2025-01-01 to 2025-01-31): -220 at 11%
  Total payable: -120.00 USD"
    );
}

#[test]
fn a_return_in_the_deals_own_period_nets() {
    let plan = plan(vec![Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Month,
        two_tiers(TierMethod::Marginal),
    )]);
    let mut txs = sales(&[("6000", d(1, 10))]);
    txs.push(refund("R1", d(1, 25), "-1000", "T0"));
    let s = statements(&plan, &txs, &monthly("10000"), &[], d(1, 31)).unwrap();
    assert_eq!(totals(&s), ["500.00"]);
}

#[test]
fn spiff_window() {
    let window = DateRange::new(d(2, 1), Some(d(3, 1))).unwrap();
    let plan = plan(vec![Component::spiff(
        "Q1 SPIFF",
        usd("250"),
        window,
        vec![],
        CompPeriod::Quarter,
    )]);
    let txs = vec![
        sale("T1", d(1, 20), "1000", &[("r1", "100%")]),
        sale("T2", d(2, 10), "1000", &[("r1", "100%")]),
        sale("T3", d(2, 20), "1000", &[("r1", "50%"), ("r2", "50%")]),
        sale("T4", d(3, 5), "1000", &[("r1", "100%")]),
    ];
    let s = statements(&plan, &txs, &quarterly("10000"), &[], d(3, 31)).unwrap();
    assert_eq!(totals(&s), ["375.00"]);
    // It was measured over February, the part of the quarter its window
    // covers; once closed, it has no line in later quarters.
    let Explanation::Earned(c) = &s[0].lines()[0].explanation else {
        panic!("an earned line")
    };
    assert_eq!(c.window, Period::new(d(2, 1), d(3, 1)).unwrap());
    let year = statements(&plan, &txs, &quarterly("10000"), &[], d(6, 30)).unwrap();
    assert_eq!(totals(&year), ["375.00", "0.00"]);
    assert!(year[1].lines().is_empty(), "{:?}", year[1].lines());
}

/// 5% of margin, ×1.1 on the deals of `group`, per quarter.
fn kicked_margin(group: &ProductGroupId) -> salesplan::comp::CompPlan {
    plan(vec![
        Component::new(
            "Margin",
            CreditBasis::Margin,
            CompPeriod::Quarter,
            RateTable::Flat(pct("5%")),
        )
        .kicker(Kicker::new(
            "multi-year",
            vec![Qualifier::ProductGroup(group.clone())],
            rate("110%"),
        )),
    ])
}

#[test]
fn margin_kicker_on_multi_year_deals() {
    let group = ProductGroupId::new("multi-year").unwrap();
    let plan = kicked_margin(&group);
    let txs = vec![
        sale("T1", d(1, 20), "5000", &[("r1", "100%")])
            .with_margin(usd("1000"))
            .with_product_group(group),
        // A different margin, so that kicking the wrong deal shows.
        sale("T2", d(2, 10), "5000", &[("r1", "100%")]).with_margin(usd("2000")),
    ];
    let s = statements(&plan, &txs, &quarterly("10000"), &[], d(3, 31)).unwrap();
    // 5% of 3,000 of margin, plus 5% of T1's 100 kicker uplift.
    assert_eq!(totals(&s), ["155.00"]);
    let Explanation::Earned(c) = &s[0].lines()[0].explanation else {
        panic!()
    };
    assert_eq!(c.kicker_uplift, dec("100.000"));
}

#[test]
fn made_ready_on_several_threads_the_statements_are_the_same() {
    use salesplan::Execution;
    use salesplan::comp::{Commissions, Deals, PersonInput};
    let group = ProductGroupId::new("multi-year").unwrap();
    let plan = kicked_margin(&group);
    // Enough deals for the deals' table to be found in several parts:
    // ana's and ben's in turn, every third one multi-year.
    let txs: Vec<Transaction> = (0..10_000u32)
        .map(|i| {
            let rep = if i % 2 == 0 { "r1" } else { "r2" };
            let t = sale(&format!("T{i}"), d(1 + i % 3, 10), "100", &[(rep, "100%")])
                .with_margin(usd("20"));
            if i % 3 == 0 {
                t.with_product_group(group.clone())
            } else {
                t
            }
        })
        .collect();
    let margin = run(CreditBasis::Margin, &txs);
    let deals = Deals::new(&txs);
    let people = [ana(), crate::support::person("ben")];
    let quotas = quarterly("10000");
    let inputs: Vec<PersonInput<'_>> = people
        .iter()
        .map(|person| PersonInput {
            person,
            quotas: &quotas,
            locked: &[],
        })
        .collect();
    let close = |execution| {
        Commissions::new(&plan, &[&margin])
            .unwrap()
            .execution(execution)
            .with_deals(&deals)
            .unwrap()
            .statements_for(&inputs, d(3, 31))
            .unwrap()
    };
    let one = close(Execution::Sequential);
    let other = close(Execution::Parallel);
    assert_eq!(one, other);
    // Ana: 5,000 deals of 20 of margin, 1,667 of them kicked by 2 each:
    // 5% of 103,334.
    assert_eq!(totals(&one[0]), ["5166.70"]);
    // Ben: 5,000 deals, 1,667 kicked (odd multiples of three).
    assert_eq!(totals(&one[1]), ["5166.70"]);
}

#[test]
fn caps_minimums_and_cliffs() {
    let base = || {
        Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Quarter,
            RateTable::Flat(pct("10%")),
        )
    };
    let cases: Vec<(Component, &str, &str)> = vec![
        (base().cap(Cap::PerPeriod(usd("1000"))), "15000", "1000.00"),
        (
            base().cap(Cap::Attainment(rate("120%"))),
            "15000",
            "1200.00",
        ),
        (base().minimum(usd("300")), "2000", "300.00"),
        (base().cliff(rate("50%")), "4000", "0.00"),
        (base().cliff(rate("50%")), "8000", "300.00"),
        (
            base().gate(Gate::new(
                rate("50%"),
                GatePeriod::Component,
                GateHolds::Everything,
            )),
            "4000",
            "0.00",
        ),
        (
            base().gate(Gate::new(
                rate("50%"),
                GatePeriod::Component,
                GateHolds::Everything,
            )),
            "5000",
            "500.00",
        ),
    ];
    for (component, amount, paid) in cases {
        let plan = plan(vec![component]);
        let s = statements(
            &plan,
            &sales(&[(amount, d(2, 1))]),
            &quarterly("10000"),
            &[],
            d(3, 31),
        )
        .unwrap();
        assert_eq!(totals(&s), [paid], "{amount}");
        assert!(parts_add_up(&s[0]));
    }
}

#[test]
fn yearly_cap_stops_later_periods() {
    let plan = plan(vec![
        Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Month,
            RateTable::Flat(pct("10%")),
        )
        .cap(Cap::PerYear(usd("1500"))),
    ]);
    let txs = sales(&[("10000", d(1, 5)), ("10000", d(2, 5)), ("10000", d(3, 5))]);
    let s = statements(&plan, &txs, &monthly("10000"), &[], d(3, 31)).unwrap();
    assert_eq!(totals(&s), ["1000.00", "500.00", "0.00"]);
}

#[test]
fn locked_period_is_never_changed_late_deals_adjust_the_open_one() {
    let plan = plan(vec![Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Month,
        two_tiers(TierMethod::Marginal),
    )]);
    let first = sales(&[("4000", d(1, 10))]);
    let january = statements(&plan, &first, &monthly("10000"), &[], d(1, 31)).unwrap();
    assert_eq!(totals(&january), ["400.00"]);
    // A January deal arrives in February, after January was paid.
    let mut later = first.clone();
    later.push(sale("LATE", d(1, 28), "2000", &[("r1", "100%")]));
    later.push(sale("FEB", d(2, 3), "1000", &[("r1", "100%")]));
    let s = statements(&plan, &later, &monthly("10000"), &january, d(2, 28)).unwrap();
    assert_eq!(
        s[0], january[0],
        "the locked statement is returned unchanged"
    );
    // February: 100 earned + 220 for January (620 now, 400 paid).
    assert_eq!(totals(&s), ["400.00", "320.00"]);
    let Explanation::Adjustment(c) = &s[1].lines()[1].explanation else {
        panic!()
    };
    assert_eq!((c[0].now, c[0].paid), (usd("620.00"), usd("400.00")));
    assert!(s.iter().all(parts_add_up));
    // January's recomputed line keeps nothing; February's has its own.
    let Explanation::Earned(feb) = &s[1].lines()[0].explanation else {
        panic!()
    };
    assert_eq!(feb.transactions(), [crate::support::credit::tid("FEB")]);
    assert_eq!(feb.slices().len(), 1);

    // In a batch, people with and without a locked January, one after the
    // other, get what they get alone (the batch reuses its working vectors
    // from one person to the next), in one work item or several (on
    // rayon's threads with the `parallel` feature).
    use salesplan::Execution;
    use salesplan::comp::{Commissions, PersonInput};
    let revenue = run(CreditBasis::Revenue, &later);
    let comp = Commissions::new(&plan, &[&revenue]).unwrap();
    let quotas = monthly("10000");
    let (ana, nobody) = (ana(), crate::support::person("nobody"));
    let inputs: Vec<PersonInput<'_>> = (0..600)
        .map(|i| PersonInput {
            person: if i % 3 == 2 { &nobody } else { &ana },
            quotas: &quotas,
            locked: if i % 3 == 0 { &january } else { &[] },
        })
        .collect();
    let alone: Vec<Vec<Statement>> = inputs
        .iter()
        .map(|p| {
            comp.statements(p.person, p.quotas, p.locked, d(2, 28))
                .unwrap()
        })
        .collect();
    assert_eq!(alone[0], s);
    assert_eq!(totals(&alone[1]), ["620.00", "100.00"]);
    for execution in [Execution::Sequential, Execution::Parallel] {
        assert_eq!(
            Commissions::new(&plan, &[&revenue])
                .unwrap()
                .execution(execution)
                .statements_for(&inputs, d(2, 28))
                .unwrap(),
            alone
        );
    }
}

#[test]
fn what_if_curve_and_plan_diff() {
    let v1 = plan(vec![
        Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Quarter,
            RateTable::Flat(pct("10%")),
        )
        .multiplier(Multiplier::above(rate("100%"), rate("150%")))
        .cap(Cap::Attainment(rate("200%"))),
    ]);
    let attainments: Vec<Rate> = (0..=20)
        .map(|i| Rate::from_points((i * 10).into()).unwrap())
        .collect();
    let curve = v1
        .payout_curve("Revenue", usd("10000"), &attainments)
        .unwrap();
    let paid: Vec<String> = curve
        .iter()
        .map(|p| p.payout.amount().to_string())
        .collect();
    assert_eq!(paid[10], "1000.00");
    assert_eq!(paid[15], "1750.00");
    assert_eq!(paid[20], "2500.00");
    assert!(
        curve
            .windows(2)
            .all(|w| w[0].payout.amount() <= w[1].payout.amount())
    );

    let v2 = plan(vec![Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Quarter,
        RateTable::Flat(pct("11%")),
    )]);
    let txs = sales(&[("12000", d(2, 1))]);
    let a = statements(&v1, &txs, &quarterly("10000"), &[], d(3, 31)).unwrap();
    let b = statements(&v2, &txs, &quarterly("10000"), &[], d(3, 31)).unwrap();
    let diff = StatementDiff::between(&a, &b).unwrap();
    assert_eq!(diff.len(), 1);
    assert_eq!(diff[0].change, usd("20.00")); // 1,300 under v1, 1,320 under v2
    // A statement on one side only: the change is all of it.
    let gone = StatementDiff::between(&a, &[]).unwrap();
    assert_eq!(
        (gone[0].before, gone[0].after, gone[0].change),
        (Some(usd("1300.00")), None, usd("-1300.00"))
    );
}

#[test]
fn statement_reads_like_a_statement() {
    let plan = plan(vec![Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Quarter,
        two_tiers(TierMethod::Marginal),
    )]);
    let s: Vec<Statement> = statements(
        &plan,
        &sales(&[("6000", d(2, 10))]),
        &quarterly("10000"),
        &[],
        d(3, 31),
    )
    .unwrap();
    let text = s[0].to_string();
    for expected in [
        "Commission statement for ana, plan AE-2025, 2025-01-01 to 2025-03-31",
        "Revenue: 620.00 USD",
        "quota 10000, attainment 60%",
        "0 to 5000: 5000 at 10% = 500.00 USD",
        "5000 to 6000: 1000 at 12% = 120.00 USD",
        "Total payable: 620.00 USD",
    ] {
        assert!(text.contains(expected), "{expected:?} not in\n{text}");
    }
}

#[test]
fn a_statement_shows_caps_and_minimums_only_where_they_change_the_pay() {
    let base = || {
        Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Quarter,
            RateTable::Flat(pct("10%")),
        )
    };
    // (component, sale, total, the limit's line or "" for none)
    let cases: Vec<(Component, &str, &str, &str)> = vec![
        (
            base().cap(Cap::PerPeriod(usd("1000"))),
            "15000",
            "1000.00",
            "capped at 1000 USD per period: -500.00 USD",
        ),
        (
            base().cap(Cap::PerPeriod(usd("1000"))),
            "8000",
            "800.00",
            "",
        ),
        (
            base().cap(Cap::PerYear(usd("1000"))),
            "15000",
            "1000.00",
            "capped at 1000 USD per year (1000.00 USD left): -500.00 USD",
        ),
        (base().cap(Cap::PerYear(usd("1000"))), "8000", "800.00", ""),
        (
            base().minimum(usd("300")),
            "2000",
            "300.00",
            "raised to the minimum 300 USD: +100.00 USD",
        ),
        (base().minimum(usd("300")), "5000", "500.00", ""),
    ];
    for (component, amount, paid, limit) in cases {
        let plan = plan(vec![component]);
        let s = statements(
            &plan,
            &sales(&[(amount, d(2, 1))]),
            &quarterly("10000"),
            &[],
            d(3, 31),
        )
        .unwrap();
        assert_eq!(totals(&s), [paid], "{amount}");
        let text = s[0].to_string();
        let shown: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("capped at") || l.starts_with("raised to the minimum"))
            .collect();
        let want: Vec<&str> = [limit].into_iter().filter(|l| !l.is_empty()).collect();
        assert_eq!(shown, want, "{amount}:\n{text}");
    }
}

#[test]
fn statement_texts_show_kickers_rounding_earlier_pay_and_draws_only_where_they_apply() {
    // Whole texts: a line for a zero kicker uplift, rounding, earlier pay,
    // advance or recovery would show, and so would a missing one.
    let flat = |name: &str, basis, period, rate: &str| {
        Component::new(name, basis, period, RateTable::Flat(pct(rate)))
    };
    let group = ProductGroupId::new("multi-year").unwrap();
    let kicked = plan(vec![
        flat("Margin", CreditBasis::Margin, CompPeriod::Quarter, "5%").kicker(Kicker::new(
            "multi-year",
            vec![Qualifier::ProductGroup(group.clone())],
            rate("110%"),
        )),
    ]);
    let year_to_date = plan(vec![
        flat("Revenue", CreditBasis::Revenue, CompPeriod::Month, "10%")
            .accumulate(Accumulation::YearToDate),
    ]);
    let monthly_plan = plan(vec![flat(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Month,
        "10%",
    )]);
    let mut returns = sales(&[("4000", d(1, 10))]);
    returns.push(refund("R1", d(2, 15), "-1000.05", "T0"));
    returns.push(refund("R2", d(2, 20), "-1000", "T0"));
    let draw = monthly_draw_with_a_floor();
    // (plan, transactions, quotas, pay period, the statement's text)
    let cases = [
        (
            &kicked,
            vec![
                sale("T1", d(1, 20), "5000", &[("r1", "100%")])
                    .with_margin(usd("1000"))
                    .with_product_group(group),
                sale("T2", d(2, 10), "5000", &[("r1", "100%")]).with_margin(usd("2000")),
            ],
            quarterly("10000"),
            0,
            "Commission statement for ana, plan AE-2025, 2025-01-01 to 2025-03-31
  Margin: 155.00 USD
    measured 2025-01-01 to 2025-03-31: 3100 from 2 transactions (kickers added 100)
    0 to 3100: 3100 at 5% = 155.00 USD
  Total payable: 155.00 USD",
        ),
        (
            &year_to_date,
            sales(&[("4000.05", d(1, 10)), ("2000", d(2, 10))]),
            monthly("10000"),
            1,
            "Commission statement for ana, plan AE-2025, 2025-02-01 to 2025-02-28
  Revenue: 200.00 USD
    measured 2025-01-01 to 2025-02-28: 6000.05 from 2 transactions
    quota 20000, attainment 30%
    0 to 6000.05: 6000.05 at 10% = 600.005 USD
    rounding: 0.005
    less earned before: 400.01 USD
  Total payable: 200.00 USD",
        ),
        (
            &monthly_plan,
            returns,
            monthly("10000"),
            1,
            "Commission statement for ana, plan AE-2025, 2025-02-01 to 2025-02-28
  Revenue: 0.00 USD
    measured 2025-02-01 to 2025-02-28: 0 from 0 transactions
    quota 10000, attainment 0%
  Revenue: -100.00 USD
    clawback: R1 on 2025-02-15 reverses -1000.05 of deal T0 (paid in 2025-01-01 to 2025-01-31): -100 at about 10%
  Revenue: -100.00 USD
    clawback: R2 on 2025-02-20 reverses -1000 of deal T0 (paid in 2025-01-01 to 2025-01-31): -100 at 10%
  Total payable: -200.00 USD",
        ),
        (
            &draw,
            sales(&[("3000", d(1, 5)), ("10000", d(2, 5))]),
            monthly("10000"),
            1,
            "Commission statement for ana, plan AE-2025, 2025-02-01 to 2025-02-28
  Revenue: 1000.00 USD
    measured 2025-02-01 to 2025-02-28: 10000 from 1 transaction
    quota 10000, attainment 100%
    0 to 10000: 10000 at 10% = 1000.00 USD
  recoverable draw of 1000.00 USD: earned 1000.00 USD
    recovered 500.00 USD
    balance to recover: 700.00 USD before, 200.00 USD after
  Total payable: 500.00 USD",
        ),
    ];
    for (plan, txs, quotas, period, text) in cases {
        let s = statements(plan, &txs, &quotas, &[], d(3, 31)).unwrap();
        assert_eq!(s[period].to_string(), text);
    }
}

#[test]
fn batch_and_streamed_statements_match_one_by_one() {
    use salesplan::Execution;
    use salesplan::comp::{Commissions, PersonInput};
    let plan = plan(vec![Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Month,
        two_tiers(TierMethod::Marginal),
    )]);
    let txs = vec![
        sale("T1", d(1, 10), "4000", &[("r1", "100%")]),
        sale("T2", d(2, 10), "7000", &[("r1", "50%"), ("r2", "50%")]),
        sale("T3", d(3, 10), "9000", &[("r2", "100%")]),
    ];
    let revenue = run(CreditBasis::Revenue, &txs);
    let comp = Commissions::new(&plan, &[&revenue]).unwrap();
    let people = [
        ana(),
        crate::support::person("ben"),
        crate::support::person("nobody"),
    ];
    let quotas = monthly("10000");
    // Enough people for several groups looked up together, and for
    // several work items (of 256 people), on rayon's threads with the
    // `parallel` feature.
    let inputs: Vec<PersonInput<'_>> = people
        .iter()
        .cycle()
        .take(600)
        .map(|person| PersonInput {
            person,
            quotas: &quotas,
            locked: &[],
        })
        .collect();
    let one_by_one: Vec<Vec<Statement>> = inputs
        .iter()
        .map(|p| comp.statements(p.person, &quotas, &[], d(3, 31)).unwrap())
        .collect();
    for execution in [Execution::Sequential, Execution::Parallel] {
        assert_eq!(
            Commissions::new(&plan, &[&revenue])
                .unwrap()
                .execution(execution)
                .statements_for(&inputs, d(3, 31))
                .unwrap(),
            one_by_one
        );
    }
    let mut streamed = Vec::new();
    comp.each_statement(&inputs, d(3, 31), |i, s| {
        streamed.push((i, s));
        Ok::<(), salesplan::CompError>(())
    })
    .unwrap();
    assert!(streamed.iter().map(|(i, _)| *i).eq(0..600));
    assert_eq!(
        streamed.into_iter().map(|(_, s)| s).collect::<Vec<_>>(),
        one_by_one
    );
    // Someone with no credit still gets statements, of zero.
    assert_eq!(totals(&one_by_one[2]), ["0.00", "0.00", "0.00"]);
    assert_eq!(totals(&one_by_one[599]), totals(&one_by_one[2]));
}

#[test]
fn a_batch_keeps_each_persons_and_components_transactions_apart() {
    use salesplan::Execution;
    use salesplan::comp::{Commissions, PersonInput};
    // A year-to-date component and a monthly one on the same credits.
    let flat = |name: &str| {
        Component::new(
            name,
            CreditBasis::Revenue,
            CompPeriod::Month,
            RateTable::Flat(pct("10%")),
        )
    };
    let plan = plan(vec![
        flat("To date").accumulate(Accumulation::YearToDate),
        flat("Monthly"),
    ]);
    let txs = vec![
        sale("A1", d(1, 10), "1000", &[("r1", "100%")]),
        sale("A2", d(2, 10), "2000", &[("r1", "100%")]),
        sale("B1", d(1, 12), "3000", &[("r2", "100%")]),
    ];
    let revenue = run(CreditBasis::Revenue, &txs);
    let quotas = monthly("10000");
    let (ana, ben) = (ana(), crate::support::person("ben"));
    let inputs: Vec<PersonInput<'_>> = (0..600)
        .map(|i| PersonInput {
            person: if i % 2 == 0 { &ana } else { &ben },
            quotas: &quotas,
            locked: &[],
        })
        .collect();
    // February's lines: (component, transactions, amount).
    let february = |s: &[Statement]| -> Vec<(String, Vec<String>, String)> {
        s[1].lines()
            .iter()
            .map(|l| {
                let Explanation::Earned(c) = &l.explanation else {
                    panic!("{l:?}")
                };
                let ids = c.transactions().iter().map(|t| t.to_string()).collect();
                (l.component.to_string(), ids, l.amount.amount().to_string())
            })
            .collect()
    };
    let line = |component: &str, ids: &[&str], amount: &str| {
        (
            component.to_owned(),
            ids.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>(),
            amount.to_owned(),
        )
    };
    for execution in [Execution::Sequential, Execution::Parallel] {
        let all = Commissions::new(&plan, &[&revenue])
            .unwrap()
            .execution(execution)
            .statements_for(&inputs, d(2, 28))
            .unwrap();
        for (i, s) in all.iter().enumerate() {
            let expected = if i % 2 == 0 {
                [
                    line("To date", &["A1", "A2"], "200.00"),
                    line("Monthly", &["A2"], "200.00"),
                ]
            } else {
                [
                    line("To date", &["B1"], "0.00"),
                    line("Monthly", &[], "0.00"),
                ]
            };
            assert_eq!(february(s), expected, "person {i}");
        }
    }
}

#[test]
fn batch_statements_stop_at_the_first_failing_person_in_input_order() {
    use salesplan::CompError;
    use salesplan::Execution;
    use salesplan::comp::{Commissions, PersonInput, Quotas};
    let plan = plan(vec![Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Month,
        tiers(
            TierBasis::Attainment,
            TierMethod::Marginal,
            &[("0", "1", "8%"), ("1", "", "10%")],
        ),
    )]);
    let txs = vec![sale("T1", d(1, 10), "4000", &[("r1", "100%")])];
    let revenue = run(CreditBasis::Revenue, &txs);
    let comp = Commissions::new(&plan, &[&revenue]).unwrap();
    // Ana (with a sale) is person 35, in the group of person 40.
    let people: Vec<salesplan::PersonId> = (0..600)
        .map(|i| match i {
            35 => ana(),
            _ => crate::support::person(&format!("p{i}")),
        })
        .collect();
    let (quota, none) = (monthly("10000"), Quotas::new());
    // People 40 and 300 have no quota, which the attainment tiers need.
    let inputs: Vec<PersonInput<'_>> = people
        .iter()
        .enumerate()
        .map(|(i, person)| PersonInput {
            person,
            quotas: if i == 40 || i == 300 { &none } else { &quota },
            locked: &[],
        })
        .collect();
    let first = comp
        .statements(&people[40], &none, &[], d(3, 31))
        .unwrap_err();
    assert!(matches!(&first, CompError::MissingQuota { person, .. } if *person == people[40]));
    for execution in [Execution::Sequential, Execution::Parallel] {
        assert_eq!(
            Commissions::new(&plan, &[&revenue])
                .unwrap()
                .execution(execution)
                .statements_for(&inputs, d(3, 31))
                .unwrap_err(),
            first
        );
    }
    let mut seen = Vec::new();
    let err = comp
        .each_statement(&inputs, d(3, 31), |i, s| {
            seen.push((i, s));
            Ok::<(), CompError>(())
        })
        .unwrap_err();
    assert_eq!(err, first);
    assert!(seen.iter().map(|(i, _)| *i).eq(0..40));
    // People 32 to 39 were worked out with person 40, whose leftovers
    // stay behind: their statements are still their own.
    for (i, s) in &seen[32..] {
        let alone = comp.statements(&people[*i], &quota, &[], d(3, 31)).unwrap();
        assert_eq!(*s, alone);
    }
    let Explanation::Earned(c) = &seen[35].1[0].lines()[0].explanation else {
        panic!()
    };
    assert_eq!(c.transactions(), [crate::support::credit::tid("T1")]);
    assert_eq!(c.slices().len(), 1);
    // The sink's own error stops the run where the sink says so, even
    // inside a group of people worked out together.
    let mut seen = Vec::new();
    let stop = CompError::OutsideYear {
        date: d(12, 31),
        year: Period::new(d(1, 1), d(1, 2)).unwrap(),
    };
    let err = comp
        .each_statement(&inputs, d(3, 31), |i, _| {
            seen.push(i);
            if i == 5 { Err(stop.clone()) } else { Ok(()) }
        })
        .unwrap_err();
    assert_eq!(err, stop);
    assert!(seen.into_iter().eq(0..=5));
}

#[test]
fn adjacent_accelerator_bands_meet_at_their_bound() {
    // 150% from 100% to 120% of quota, 200% from 120% on.
    let plan = plan(vec![
        Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Quarter,
            RateTable::Flat(pct("10%")),
        )
        .multiplier(Multiplier::new(
            rate("100%"),
            Some(rate("120%")),
            rate("150%"),
        ))
        .multiplier(Multiplier::above(rate("120%"), rate("200%"))),
    ]);
    let s = statements(
        &plan,
        &sales(&[("13000", d(2, 1))]),
        &quarterly("10000"),
        &[],
        d(3, 31),
    )
    .unwrap();
    // 10,000 × 10% + 2,000 × 15% + 1,000 × 20%.
    assert_eq!(totals(&s), ["1500.00"]);
    let Explanation::Earned(c) = &s[0].lines()[0].explanation else {
        panic!()
    };
    let factors: Vec<String> = c
        .slices()
        .iter()
        .map(|sl| sl.multiplier.to_string())
        .collect();
    assert_eq!(factors, ["100%", "150%", "200%"]);
}

#[test]
fn a_kicker_on_one_product_only() {
    let analyzer = salesplan::ProductId::new("analyzer").unwrap();
    let plan = plan(vec![
        Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Quarter,
            RateTable::Flat(pct("10%")),
        )
        .kicker(Kicker::new(
            "analyzers",
            vec![Qualifier::Product(analyzer.clone())],
            rate("150%"),
        )),
    ]);
    let txs = vec![
        sale("T1", d(1, 20), "1000", &[("r1", "100%")]).with_product(analyzer),
        sale("T2", d(2, 10), "1000", &[("r1", "100%")])
            .with_product(salesplan::ProductId::new("pipette").unwrap()),
        sale("T3", d(2, 11), "1000", &[("r1", "100%")]),
    ];
    let s = statements(&plan, &txs, &quarterly("10000"), &[], d(3, 31)).unwrap();
    // 300 at 10%, and T1's 100 raised by half.
    assert_eq!(totals(&s), ["350.00"]);
}

#[test]
fn plan_assignments_of_several_people() {
    use salesplan::PlanId;
    use salesplan::comp::{PlanAssignment, PlanAssignments};
    let on = |who: &str, plan: &str, from: u32| PlanAssignment {
        person: crate::support::person(who),
        plan: PlanId::new(plan).unwrap(),
        during: DateRange::starting(d(from, 1)),
    };
    let all = vec![on("cy", "v1", 1), on("ana", "v1", 1), on("ben", "v2", 3)];
    let assignments = PlanAssignments::new(all).unwrap();
    for (who, plan) in [("ana", "v1"), ("ben", "v2"), ("cy", "v1")] {
        let mine = assignments.of(&crate::support::person(who));
        assert_eq!(mine.len(), 1, "{who}");
        assert_eq!(mine[0].plan.as_str(), plan, "{who}");
    }
    assert!(assignments.of(&crate::support::person("dee")).is_empty());
    assert_eq!(
        assignments.plan_on(&crate::support::person("ben"), d(2, 1)),
        None
    );
    // Back to a list, by person.
    let back: Vec<PlanAssignment> = assignments.into();
    let people: Vec<&str> = back.iter().map(|a| a.person.as_str()).collect();
    assert_eq!(people, ["ana", "ben", "cy"]);
}

#[test]
fn commissions_on_payments_and_a_later_return() {
    use salesplan::comp::{Commissions, Deals};
    use salesplan::credit::{CreditPlan, CreditTiming, Crediting, TransactionKind};
    // Credit on payment: an invoice of 1,000 paid 400 in February and 600
    // in March, then half refunded in May.
    let invoice = sale("INV-1", d(1, 10), "1000", &[("r1", "100%")]);
    let payment = |id: &str, m: u32, amount: &str| {
        Transaction::new(
            crate::support::credit::tid(id),
            TransactionKind::Payment,
            d(m, 1),
            crate::support::credit::account("ACME"),
            usd(amount),
        )
        .with_original(crate::support::credit::tid("INV-1"))
    };
    let txs = vec![
        invoice,
        payment("PAY-1", 2, "400"),
        payment("PAY-2", 3, "600"),
        // Under payment timing a refund is a negative payment.
        payment("REF-1", 5, "-500"),
    ];
    let plan = plan(vec![Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Month,
        RateTable::Flat(pct("10%")),
    )]);
    let credit_plan = CreditPlan::new(CreditBasis::Revenue, salesplan::Currency::USD)
        .timing(CreditTiming::Payment);
    let run = Crediting::new(&crate::support::credit::region(), &credit_plan)
        .run(&txs)
        .unwrap();
    let deals = Deals::new(&txs);
    let s = Commissions::new(&plan, &[&run])
        .unwrap()
        .with_deals(&deals)
        .unwrap()
        .statements(&ana(), &monthly("10000"), &[], d(5, 31))
        .unwrap();
    assert_eq!(totals(&s), ["0.00", "40.00", "60.00", "0.00", "-50.00"]);
    let Explanation::Clawback(c) = &s[4].lines()[1].explanation else {
        panic!("{:?}", s[4].lines())
    };
    assert_eq!(c.sale.as_str(), "INV-1");
    assert_eq!(c.paid_in(), [month(2), month(3)]);
    assert!(s.iter().all(parts_add_up));
}

#[test]
fn a_gate_on_the_components_own_period_ignores_the_year() {
    let plan = plan(vec![
        Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Quarter,
            RateTable::Flat(pct("10%")),
        )
        .gate(Gate::new(
            rate("100%"),
            GatePeriod::Component,
            GateHolds::Everything,
        )),
    ]);
    // 120% of Q1's quota, 30% of the year's: the quarter's gate is open.
    let s = statements(
        &plan,
        &sales(&[("12000", d(2, 1))]),
        &quarterly("10000"),
        &[],
        d(3, 31),
    )
    .unwrap();
    assert_eq!(totals(&s), ["1200.00"]);
    assert!(
        !s[0].to_string().contains("held back by the gate"),
        "{}",
        s[0]
    );
    // Below the gate: everything is held back, and the statement says so.
    let closed = statements(
        &plan,
        &sales(&[("8000", d(2, 1))]),
        &quarterly("10000"),
        &[],
        d(3, 31),
    )
    .unwrap();
    assert_eq!(totals(&closed), ["0.00"]);
    assert!(
        closed[0]
            .to_string()
            .contains("held back by the gate: -800.00"),
        "{}",
        closed[0]
    );
    // And no year quota is needed for it.
    let q1_only = salesplan::comp::Quotas::new().revenue(quarter(1), usd("10000"));
    let s = statements(
        &plan,
        &sales(&[("12000", d(2, 1))]),
        &q1_only,
        &[],
        d(3, 31),
    )
    .unwrap();
    assert_eq!(totals(&s), ["1200.00"]);
}

#[test]
fn statement_lines_come_in_plan_order() {
    let flat = |name: &str, basis| {
        Component::new(
            name,
            basis,
            CompPeriod::Quarter,
            RateTable::Flat(pct("10%")),
        )
    };
    let plan = plan(vec![
        flat("Revenue", CreditBasis::Revenue),
        flat("Margin", CreditBasis::Margin),
    ]);
    let txs = vec![sale("T1", d(1, 20), "5000", &[("r1", "100%")]).with_margin(usd("1000"))];
    let s = statements(&plan, &txs, &quarterly("10000"), &[], d(3, 31)).unwrap();
    let order: Vec<&str> = s[0].lines().iter().map(|l| l.component.as_str()).collect();
    assert_eq!(order, ["Revenue", "Margin"]);
    assert_eq!(totals(&s), ["600.00"]);
}

#[test]
fn adjustments_and_clawbacks_join_their_component_in_plan_order() {
    // Three components, in a plan order that is not alphabetical.
    let flat = |name: &str, basis, rate: &str| {
        Component::new(name, basis, CompPeriod::Month, RateTable::Flat(pct(rate)))
    };
    let plan = plan(vec![
        flat("Revenue", CreditBasis::Revenue, "10%"),
        flat("Margin", CreditBasis::Margin, "20%"),
        flat("Bookings", CreditBasis::Revenue, "1%"),
    ]);
    let deal = |id: &str, day, amount: &str, margin: &str| {
        sale(id, day, amount, &[("r1", "100%")]).with_margin(usd(margin))
    };
    let first = vec![deal("T1", d(1, 10), "5000", "1000")];
    let january = statements(&plan, &first, &monthly("10000"), &[], d(1, 31)).unwrap();
    assert_eq!(totals(&january), ["750.00"]);
    // After January is paid: a late January deal (adjustments), a February
    // deal (earned) and a fifth of T1 credited back (clawbacks), in every
    // component.
    let mut later = first.clone();
    later.push(deal("LATE", d(1, 28), "2000", "500"));
    later.push(deal("FEB", d(2, 3), "1000", "200"));
    later.push(refund("R1", d(2, 20), "-1000", "T1"));
    let s = statements(&plan, &later, &monthly("10000"), &january, d(2, 28)).unwrap();
    let lines: Vec<String> = s[1]
        .lines()
        .iter()
        .map(|l| {
            let kind = match l.explanation {
                Explanation::Earned(_) => "earned",
                Explanation::Adjustment(_) => "adjustment",
                Explanation::Clawback(_) => "clawback",
                _ => "other",
            };
            format!("{} {kind} {}", l.component, l.amount.amount())
        })
        .collect();
    assert_eq!(
        lines,
        [
            "Revenue earned 100.00",
            "Revenue adjustment 200.00",
            "Revenue clawback -100.00",
            "Margin earned 40.00",
            "Margin adjustment 100.00",
            "Margin clawback -40.00",
            "Bookings earned 10.00",
            "Bookings adjustment 20.00",
            "Bookings clawback -10.00",
        ]
    );
    assert_eq!(totals(&s), ["750.00", "320.00"]);
    assert!(s.iter().all(parts_add_up));
}

#[test]
fn a_draw_is_recovered_from_a_month_that_earns_exactly_the_draw() {
    let plan = monthly_draw_with_a_floor();
    // January earns 300 (700 advanced); February earns exactly 1,000: no
    // advance, and 500 recovered down to the floor.
    let txs = sales(&[("3000", d(1, 5)), ("10000", d(2, 5))]);
    let s = statements(&plan, &txs, &monthly("10000"), &[], d(2, 28)).unwrap();
    assert_eq!(totals(&s), ["1000.00", "500.00"]);
}
