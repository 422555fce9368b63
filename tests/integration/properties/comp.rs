//! Commission invariants.

use proptest::prelude::*;
use rust_decimal::Decimal;
use salesplan::comp::{
    Cap, CompPeriod, CompPlan, Component, Explanation, Multiplier, PayRate, RateTable, Tier,
    TierBasis, TierMethod,
};
use salesplan::credit::{CreditBasis, Transaction};
use salesplan::{Currency, Money, Rate};

use crate::support::comp::*;
use crate::support::credit::{refund, sale, usd};

/// Tiers with non-decreasing rates: bounds in whole thousands, rates in
/// whole percent points.
fn rising_tiers() -> impl Strategy<Value = Vec<(i64, u32)>> {
    prop::collection::vec((1i64..10, 0u32..5), 1..5).prop_map(|steps| {
        let mut from = 0;
        let mut rate = 0;
        steps
            .into_iter()
            .map(|(width, up)| {
                let row = (from, rate + up);
                from += width * 1000;
                rate += up;
                row
            })
            .collect()
    })
}

fn table(rows: &[(i64, u32)], method: TierMethod) -> RateTable {
    RateTable::Tiered {
        basis: TierBasis::Measure,
        method,
        tiers: rows
            .iter()
            .enumerate()
            .map(|(i, (from, r))| {
                let to = rows.get(i + 1).map(|(f, _)| Decimal::from(*f));
                Tier::new(
                    Decimal::from(*from),
                    to,
                    PayRate::Percent(Rate::from_points((*r).into()).unwrap()),
                )
            })
            .collect(),
    }
}

fn method() -> impl Strategy<Value = TierMethod> {
    prop_oneof![Just(TierMethod::Marginal), Just(TierMethod::Retroactive)]
}

/// The naive reference: walk the tiers.
fn naive(rows: &[(i64, u32)], method: TierMethod, m: Decimal) -> Decimal {
    let rate = |r: u32| Decimal::from(r) / Decimal::ONE_HUNDRED;
    match method {
        TierMethod::Marginal => rows
            .iter()
            .enumerate()
            .map(|(i, (from, r))| {
                let from = Decimal::from(*from);
                let to = rows.get(i + 1).map_or(m, |(t, _)| Decimal::from(*t).min(m));
                (to - from).max(Decimal::ZERO) * rate(*r)
            })
            .sum(),
        _ => {
            let reached = rows
                .iter()
                .rev()
                .find(|(from, _)| Decimal::from(*from) < m)
                .unwrap_or(&rows[0]);
            m * rate(reached.1)
        }
    }
}

fn single(component: Component) -> CompPlan {
    plan(vec![component])
}

fn quarter_total(plan: &CompPlan, amounts: &[u32]) -> Decimal {
    let txs: Vec<Transaction> = amounts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            sale(
                &format!("T{i}"),
                d(1 + (i as u32 % 3), 10),
                &a.to_string(),
                &[("r1", "100%")],
            )
        })
        .collect();
    let s = statements(plan, &txs, &quarterly("10000"), &[], d(3, 31)).unwrap();
    s[0].total.amount()
}

proptest! {
    #[test]
    fn tiers_agree_with_the_naive_reference(rows in rising_tiers(), method in method(), m in 0u32..60_000) {
        let plan = single(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter, table(&rows, method)));
        let paid = quarter_total(&plan, &[m]);
        let expected = Money::new(naive(&rows, method, Decimal::from(m)), Currency::USD)
            .round(salesplan::RoundingPolicy::HalfAwayFromZero)
            .amount();
        prop_assert_eq!(paid, expected);
    }

    /// For tiers with non-decreasing rates (marginal or retroactive),
    /// accelerators (factors ≥ 1) and caps, but no decelerator: more
    /// credit never pays less.
    #[test]
    fn payout_never_decreases_when_credits_increase(
        rows in rising_tiers(),
        method in method(),
        accel in 100u32..300,
        cap in prop::option::of(1000u32..5000),
        amounts in prop::collection::vec(0u32..20_000, 1..5),
        extra in 0u32..20_000,
    ) {
        let mut c = Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter, table(&rows, method))
            .multiplier(Multiplier::above(Rate::ONE, Rate::from_points(accel.into()).unwrap()));
        if let Some(cap) = cap {
            c = c.cap(Cap::PerPeriod(usd(&cap.to_string())));
        }
        let plan = single(c);
        let before = quarter_total(&plan, &amounts);
        let mut more = amounts.clone();
        more.push(extra);
        prop_assert!(quarter_total(&plan, &more) >= before);
    }

    #[test]
    fn a_capped_component_never_pays_above_its_cap(
        rows in rising_tiers(), method in method(), cap in 0u32..3000,
        amounts in prop::collection::vec(0u32..40_000, 1..5),
    ) {
        let plan = single(
            Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter, table(&rows, method))
                .cap(Cap::PerPeriod(usd(&cap.to_string()))),
        );
        prop_assert!(quarter_total(&plan, &amounts) <= Decimal::from(cap));
    }

    /// One deal and its full return, months apart, net to exactly zero
    /// over the year, whatever the tiers and the other months' deals.
    #[test]
    fn a_deal_and_its_reversal_net_to_zero(
        rows in rising_tiers(), method in method(),
        amount in 1u32..30_000, sold in 1u32..6, later in 1u32..6,
        others in prop::collection::vec((7u32..12, 1u32..20_000), 0..4),
    ) {
        let plan = single(Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month, table(&rows, method)));
        let returned = (sold + later).min(12);
        let mut with = vec![sale("DEAL", d(sold, 10), &amount.to_string(), &[("r1", "100%")])];
        let mut without = Vec::new();
        for (i, (m, a)) in others.iter().enumerate() {
            let t = sale(&format!("O{i}"), d(*m, 12), &a.to_string(), &[("r1", "100%")]);
            with.push(t.clone());
            without.push(t);
        }
        with.push(refund("RET", d(returned, 20), &format!("-{amount}"), "DEAL"));
        let total = |txs: &[Transaction]| -> Decimal {
            statements(&plan, txs, &monthly("10000"), &[], d(12, 31)).unwrap().iter().map(|s| s.total.amount()).sum()
        };
        prop_assert_eq!(total(&with), total(&without));
    }

    /// Every line's explanation adds up exactly to the line: slices,
    /// gate, caps, minimum, rounding, earned before; clawbacks; and
    /// adjustments.
    #[test]
    fn explanations_add_up(
        rows in rising_tiers(), method in method(), ytd in any::<bool>(),
        deals in prop::collection::vec((1u32..7, 1u32..28, 1u32..9_999_999), 1..8),
        returns in prop::collection::vec((0usize..8, 1u32..100), 0..3),
        accel in 100u32..300, min in prop::option::of(0u32..500),
    ) {
        let mut c = Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month, table(&rows, method))
            .multiplier(Multiplier::above(Rate::ONE, Rate::from_points(accel.into()).unwrap()));
        if ytd {
            c = c.accumulate(salesplan::comp::Accumulation::YearToDate);
        }
        if let Some(m) = min {
            c = c.minimum(usd(&m.to_string()));
        }
        let plan = single(c);
        let mut txs: Vec<Transaction> = deals
            .iter()
            .enumerate()
            .map(|(i, (m, day, cents))| {
                sale(&format!("T{i}"), d(*m, *day), &format!("{}.{:02}", cents / 100, cents % 100), &[("r1", "100%")])
            })
            .collect();
        for (j, (which, pct)) in returns.iter().enumerate() {
            if let Some((m, day, cents)) = deals.get(*which) {
                let back = u64::from(*cents) * u64::from(*pct) / 100;
                if back > 0 && !txs.iter().any(|t| t.original().is_some_and(|o| o.as_str() == format!("T{which}"))) {
                    txs.push(refund(&format!("R{j}"), d((m + 2).min(12), *day), &format!("-{}.{:02}", back / 100, back % 100), &format!("T{which}")));
                }
            }
        }
        let s = statements(&plan, &txs, &monthly("10000"), &[], d(12, 31)).unwrap();
        for st in &s {
            prop_assert!(parts_add_up(st), "{}", st);
            let lines: Decimal = st.lines().iter().map(|l| l.amount.amount()).sum();
            prop_assert_eq!(lines, st.total.amount());
        }
        // Lock the first three months, then recompute with a late deal: the
        // locked statements stay as they were, the adjustment line adds up,
        // and the year pays what it would have paid with nothing locked.
        let mut late = txs.clone();
        late.push(sale("LATE", d(2, 3), "1234.56", &[("r1", "100%")]));
        let again = statements(&plan, &late, &monthly("10000"), &s[..3], d(12, 31)).unwrap();
        let unlocked = statements(&plan, &late, &monthly("10000"), &[], d(12, 31)).unwrap();
        prop_assert_eq!(&again[..3], &s[..3]);
        prop_assert!(again.iter().all(parts_add_up));
        let year = |ss: &[salesplan::comp::Statement]| -> Decimal { ss.iter().map(|s| s.total.amount()).sum() };
        prop_assert_eq!(year(&again), year(&unlocked));
        let adjusted = again[3].lines().iter().any(|l| matches!(l.explanation, Explanation::Adjustment(_)));
        // An adjustment when a locked period would pay differently now
        // (its corrections may cancel out).
        let changed = s[..3].iter().zip(&unlocked[..3]).any(|(a, b)| a.total != b.total);
        prop_assert_eq!(adjusted, changed);
    }
}

#[cfg(feature = "serde")]
proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The same inputs in any order give byte-identical statements.
    #[test]
    fn statements_do_not_depend_on_input_order(
        deals in prop::collection::vec((1u32..4, 1u32..28, 1u32..20_000), 1..8),
        seed in any::<u64>(),
    ) {
        let plan = single(
            Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Month,
                table(&[(0, 5), (5000, 8)], TierMethod::Marginal))
                .accumulate(salesplan::comp::Accumulation::YearToDate),
        );
        let txs: Vec<Transaction> = deals
            .iter()
            .enumerate()
            .map(|(i, (m, day, a))| sale(&format!("T{i}"), d(*m, *day), &a.to_string(), &[("r1", "60%"), ("r2", "40%")]))
            .collect();
        let mut shuffled = txs.clone();
        let n = shuffled.len();
        for i in 0..n {
            let j = (seed.rotate_left(i as u32) as usize) % n;
            shuffled.swap(i, j);
        }
        let quotas = monthly("10000");
        let reversed_quotas = (1..=12).rev().fold(salesplan::comp::Quotas::new(), |q, m| q.revenue(month(m), usd("10000")));
        let a = statements(&plan, &txs, &quotas, &[], d(3, 31)).unwrap();
        let b = statements(&plan, &shuffled, &reversed_quotas, &[], d(3, 31)).unwrap();
        prop_assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    }
}

/// The benchmark's three-component plan: attainment tiers with an
/// accelerator and caps, a margin rate with a multi-year kicker, a SPIFF.
#[cfg(feature = "serde")]
fn close_plan() -> CompPlan {
    use salesplan::ProductGroupId;
    use salesplan::calendar::DateRange;
    use salesplan::comp::{Kicker, Qualifier};
    let at = |s: &str| Some(s.parse::<Decimal>().unwrap());
    builder()
        .component(
            Component::new(
                "Revenue",
                CreditBasis::Revenue,
                CompPeriod::Quarter,
                RateTable::Tiered {
                    basis: TierBasis::Attainment,
                    method: TierMethod::Marginal,
                    tiers: vec![
                        Tier::new(Decimal::ZERO, at("1"), pct("8%")),
                        Tier::new(Decimal::ONE, None, pct("10%")),
                    ],
                },
            )
            .multiplier(Multiplier::above(rate("120%"), rate("150%")))
            .cap(Cap::Attainment(rate("250%")))
            .cap(Cap::PerPeriod(usd("40000"))),
        )
        .component(
            Component::new(
                "Margin",
                CreditBasis::Margin,
                CompPeriod::Quarter,
                RateTable::Flat(pct("3%")),
            )
            .kicker(Kicker::new(
                "multi-year",
                vec![Qualifier::ProductGroup(
                    ProductGroupId::new("multi-year").unwrap(),
                )],
                rate("110%"),
            )),
        )
        .component(Component::spiff(
            "February SPIFF",
            usd("100"),
            DateRange::new(d(2, 1), Some(d(3, 1))).unwrap(),
            vec![],
            CompPeriod::Quarter,
        ))
        .build()
        .unwrap()
}

/// A quarter close: every rep's statements from the three credit runs.
#[cfg(feature = "serde")]
fn close(
    plan: &CompPlan,
    txs: &[Transaction],
    people: &[(salesplan::PersonId, salesplan::comp::Quotas)],
) -> Vec<(salesplan::PersonId, String)> {
    use salesplan::comp::{Commissions, Deals, PersonInput};
    let revenue = run(CreditBasis::Revenue, txs);
    let margin = run(CreditBasis::Margin, txs);
    let count = run(CreditBasis::DealCount, txs);
    let deals = Deals::new(txs);
    let inputs: Vec<PersonInput<'_>> = people
        .iter()
        .map(|(person, quotas)| PersonInput {
            person,
            quotas,
            locked: &[],
        })
        .collect();
    let comp = Commissions::new(plan, &[&count, &margin, &revenue])
        .unwrap()
        .with_deals(&deals)
        .unwrap();
    let out = comp.statements_for(&inputs, d(3, 31)).unwrap();
    // A batch reuses its working vectors from one person to the next: each
    // person's statements are still what they get alone, and hundreds of
    // people in work items of 256 (on rayon's threads with the `parallel`
    // feature) get the same again.
    for (input, statements) in inputs.iter().zip(&out) {
        let alone = comp
            .statements(input.person, input.quotas, &[], d(3, 31))
            .unwrap();
        assert_eq!(&alone, statements);
    }
    let many: Vec<PersonInput<'_>> = inputs.iter().cycle().take(600).copied().collect();
    let parallel = comp
        .execution(salesplan::Execution::Parallel)
        .statements_for(&many, d(3, 31))
        .unwrap();
    assert!(parallel.iter().eq(out.iter().cycle().take(600)));
    let mut by_person: Vec<(salesplan::PersonId, String)> = people
        .iter()
        .zip(out)
        .map(|((p, _), s)| (p.clone(), serde_json::to_string(&s).unwrap()))
        .collect();
    by_person.sort();
    by_person
}

#[cfg(feature = "serde")]
proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// A whole quarter close (four reps, splits, margins, multi-year deals,
    /// returns) gives byte-identical statements whatever the order of the
    /// feed, of the people and of their quotas.
    #[test]
    fn a_quarter_close_does_not_depend_on_input_order(
        deals in prop::collection::vec(
            (0usize..4, 0usize..4, 1u32..4, 1u32..28, 1u32..60_000, 0u32..60, any::<bool>()),
            1..24,
        ),
        returns in prop::collection::vec((any::<prop::sample::Index>(), 1u32..100), 0..4),
        seed in any::<u64>(),
    ) {
        use salesplan::ProductGroupId;
        let reps = ["r1", "r2", "r3", "r4"];
        let mut txs: Vec<Transaction> = deals
            .iter()
            .enumerate()
            .map(|(i, (a, b, m, day, cents, margin, multi))| {
                let owners: Vec<(&str, &str)> = if a == b {
                    vec![(reps[*a], "100%")]
                } else {
                    vec![(reps[*a], "70%"), (reps[*b], "30%")]
                };
                let amount = Money::from_minor((*cents).into(), Currency::USD).unwrap();
                let t = sale(&format!("S{i:02}"), d(*m, *day), &amount.amount().to_string(), &owners)
                    .with_margin(amount.checked_mul(Decimal::new(i64::from(*margin), 2)).unwrap().round(salesplan::RoundingPolicy::HalfEven));
                if *multi { t.with_product_group(ProductGroupId::new("multi-year").unwrap()) } else { t }
            })
            .collect();
        // Each returned deal at most once, in part, some days after its sale.
        let mut returned = std::collections::BTreeSet::new();
        for (k, (which, percent)) in returns.iter().enumerate() {
            let i = which.index(deals.len());
            if !returned.insert(i) {
                continue;
            }
            let original = txs[i].clone();
            let back = original.amount().checked_mul(Decimal::new(-i64::from(*percent), 2)).unwrap().round(salesplan::RoundingPolicy::HalfEven);
            if back.is_zero() {
                continue;
            }
            let day = original.booked().checked_add_days(chrono::Days::new(3)).unwrap();
            txs.push(refund(&format!("R{k}"), day, &back.amount().to_string(), original.id().as_str()));
        }
        let quotas = |order: &[u32]| {
            order.iter().fold(salesplan::comp::Quotas::new(), |q, m| {
                q.revenue(quarter(*m), usd("50000"))
            })
        };
        let people = ["ana", "ben", "noah", "ida"].map(|p| (crate::support::person(p), quotas(&[1, 2, 3, 4])));
        let mut shuffled = txs.clone();
        let n = shuffled.len();
        for i in 0..n {
            let j = (seed.rotate_left(i as u32) as usize) % n;
            shuffled.swap(i, j);
        }
        let mut others = people.clone().map(|(p, _)| (p, quotas(&[4, 3, 2, 1])));
        others.rotate_left((seed % 4) as usize);
        let plan = close_plan();
        let a = close(&plan, &txs, &people);
        prop_assert!(a.iter().all(|(_, s)| s.contains(r#""component":"Revenue""#)), "{:?}", a);
        prop_assert_eq!(a, close(&plan, &shuffled, &others));
    }
}

/// A component of any shape whose rates, multipliers and kickers are not
/// negative: rising tiers (marginal or retroactive), a decelerator below
/// 50% and a band above 100% of quota (an accelerator, or a decelerator), a gate, a cliff, caps per
/// period, per year and on attainment, a minimum; per period or year to
/// date.
#[derive(Debug, Clone)]
struct Shape {
    rows: Vec<(i64, u32)>,
    method: TierMethod,
    ytd: bool,
    decelerator: Option<u32>,
    accelerator: Option<u32>,
    gate: Option<(u32, bool, bool)>,
    cliff: Option<u32>,
    period_cap: Option<u32>,
    year_cap: Option<u32>,
    attainment_cap: Option<u32>,
    minimum: Option<u32>,
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        (rising_tiers(), method(), any::<bool>()),
        (
            prop::option::of(0u32..100),
            prop::option::of(50u32..300),
            prop::option::of((50u32..100, any::<bool>(), any::<bool>())),
            prop::option::of(1u32..40),
        ),
        (
            prop::option::of(1000u32..5000),
            prop::option::of(2000u32..20_000),
            prop::option::of(150u32..300),
            prop::option::of(0u32..500),
        ),
    )
        .prop_map(
            |(
                (rows, method, ytd),
                (decelerator, accelerator, gate, cliff),
                (period_cap, year_cap, attainment_cap, minimum),
            )| Shape {
                rows,
                method,
                ytd,
                decelerator,
                accelerator,
                gate,
                cliff,
                period_cap,
                year_cap,
                attainment_cap,
                minimum,
            },
        )
}

impl Shape {
    fn component(&self) -> Component {
        use salesplan::comp::Accumulation;
        let points = |p: u32| Rate::from_points(p.into()).unwrap();
        let mut c = Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Month,
            table(&self.rows, self.method),
        );
        if self.ytd {
            c = c.accumulate(Accumulation::YearToDate);
        }
        if let Some(f) = self.decelerator {
            c = c.multiplier(Multiplier::below(points(50), points(f)));
        }
        if let Some(f) = self.accelerator {
            c = c.multiplier(Multiplier::above(Rate::ONE, points(f)));
        }
        if let Some((threshold, year, everything)) = self.gate {
            c = c.gate(gate(points(threshold), year, everything));
        }
        if let Some(t) = self.cliff {
            c = c.cliff(points(t));
        }
        if let Some(cap) = self.period_cap {
            c = c.cap(Cap::PerPeriod(usd(&cap.to_string())));
        }
        if let Some(cap) = self.year_cap {
            c = c.cap(Cap::PerYear(usd(&cap.to_string())));
        }
        if let Some(cap) = self.attainment_cap {
            c = c.cap(Cap::Attainment(points(cap)));
        }
        if let Some(m) = self.minimum {
            c = c.minimum(usd(&m.to_string()));
        }
        c
    }

    /// The shape without what makes a year's pay depend on when credit
    /// falls rather than on how much: pay never rises when credit falls
    /// for components paid per period, and for year-to-date ones without a
    /// minimum or a cap per period (those are a floor or a ceiling on each
    /// period's difference, so credit moved between periods moves them).
    fn monotone_over_the_year(mut self) -> Shape {
        if self.ytd {
            self.minimum = None;
            self.period_cap = None;
        }
        self
    }
}

/// A feed of sales, returns of some of them (in their month or later) and
/// credit notes that refer to no sale, all owned by `r1` (ana).
#[derive(Debug, Clone)]
struct Feed {
    sales: Vec<(u32, u32)>,
    returns: Vec<(usize, u32, u32)>,
    notes: Vec<(u32, u32)>,
}

fn feed() -> impl Strategy<Value = Feed> {
    (
        prop::collection::vec((1u32..=12, 1u32..20_000), 0..6),
        prop::collection::vec((0usize..6, 0u32..4, 1u32..=100), 0..3),
        prop::collection::vec((1u32..=12, 1u32..20_000), 0..3),
    )
        .prop_map(|(sales, returns, notes)| Feed {
            sales,
            returns,
            notes,
        })
}

impl Feed {
    fn transactions(&self) -> Vec<Transaction> {
        let mut txs: Vec<Transaction> = self
            .sales
            .iter()
            .enumerate()
            .map(|(i, (m, a))| {
                sale(
                    &format!("S{i}"),
                    d(*m, 10),
                    &a.to_string(),
                    &[("r1", "100%")],
                )
            })
            .collect();
        let mut returned = std::collections::BTreeSet::new();
        for (k, (which, later, percent)) in self.returns.iter().enumerate() {
            let Some((m, a)) = self.sales.get(*which) else {
                continue;
            };
            let back = u64::from(*a) * u64::from(*percent) / 100;
            if back == 0 || !returned.insert(*which) {
                continue;
            }
            txs.push(refund(
                &format!("R{k}"),
                d((m + later).min(12), 20),
                &format!("-{back}"),
                &format!("S{which}"),
            ));
        }
        for (k, (m, a)) in self.notes.iter().enumerate() {
            txs.push(
                Transaction::new(
                    crate::support::credit::tid(&format!("N{k}")),
                    salesplan::credit::TransactionKind::CreditNote,
                    d(*m, 15),
                    crate::support::credit::account("ACME"),
                    usd(&format!("-{a}")),
                )
                .with_owner(crate::support::pos("r1")),
            );
        }
        txs
    }

    /// The sales no return refers to.
    fn unreturned(&self) -> Vec<usize> {
        (0..self.sales.len())
            .filter(|i| !self.returns.iter().any(|(w, _, p)| w == i && *p > 0))
            .collect()
    }
}

fn year_of(plan: &CompPlan, txs: &[Transaction]) -> Vec<salesplan::comp::Statement> {
    statements(plan, txs, &monthly("10000"), &[], d(12, 31)).unwrap()
}

fn year_total(statements: &[salesplan::comp::Statement]) -> Decimal {
    statements.iter().map(|s| s.total.amount()).sum()
}

proptest! {
    /// Sign safety: a period whose own net measure is negative (returns
    /// and credit notes beyond its sales) never pays a positive amount
    /// (but the year's last period, which pays what year to date held
    /// back before it), and no clawback ever pays; for any component whose rates,
    /// multipliers and kickers are not negative, under any mix of sales,
    /// returns and credit notes that refer to no sale.
    #[test]
    fn a_net_negative_period_never_pays_and_a_clawback_never_pays(shape in shape(), feed in feed()) {
        let Ok(plan) = builder().component(shape.component()).build() else {
            return Ok(());
        };
        let s = year_of(&plan, &feed.transactions());
        let mut previous = Decimal::ZERO;
        // Year to date, what periods of net returns held back; the year's
        // last period pays it, whatever its own credits.
        let mut held = Decimal::ZERO;
        for st in &s {
            prop_assert!(parts_add_up(st), "{}", st);
            for line in st.lines() {
                match &line.explanation {
                    Explanation::Earned(c) => {
                        let own = if shape.ytd { c.measure - previous } else { c.measure };
                        previous = c.measure;
                        let release = if c.period.end() == d(12, 31).succ_opt().unwrap() { held } else { Decimal::ZERO };
                        prop_assert!(own >= Decimal::ZERO || line.amount.amount() <= release, "{}", st);
                        for l in c.limits() {
                            if let salesplan::comp::Limit::Held { effect } = l {
                                held -= *effect;
                            }
                        }
                    }
                    Explanation::Clawback(_) => prop_assert!(line.amount.amount() <= Decimal::ZERO, "{}", st),
                    _ => {}
                }
            }
        }
    }

    /// Pay never rises when credit falls: a credit note, a return or a
    /// sale less never raises the year's pay (see
    /// `Shape::monotone_over_the_year` for where this holds).
    #[test]
    fn pay_never_rises_when_credit_falls(
        shape in shape(), feed in feed(),
        note in (1u32..=12, 1u32..20_000), which in any::<prop::sample::Index>(),
        back in (0u32..4, 1u32..=100),
    ) {
        let shape = shape.monotone_over_the_year();
        let Ok(plan) = builder().component(shape.component()).build() else {
            return Ok(());
        };
        let before = year_total(&year_of(&plan, &feed.transactions()));
        // A credit note that refers to no sale.
        let mut noted = feed.clone();
        noted.notes.push(note);
        prop_assert!(year_total(&year_of(&plan, &noted.transactions())) <= before);
        // A sale less (one no return refers to).
        let unreturned = feed.unreturned();
        if !unreturned.is_empty() {
            let gone = unreturned[which.index(unreturned.len())];
            let mut fewer = feed.clone();
            fewer.sales[gone].1 = 0;
            let txs: Vec<Transaction> = fewer.transactions().into_iter().filter(|t| t.id().as_str() != format!("S{gone}")).collect();
            prop_assert!(year_total(&year_of(&plan, &txs)) <= before);
            // A return of part of it, in its month or later.
            let mut returned = feed.clone();
            returned.returns.push((gone, back.0, back.1));
            prop_assert!(year_total(&year_of(&plan, &returned.transactions())) <= before);
        }
    }
}
