//! Commission benchmarks.
//!
//! `cargo bench --bench comp`. `SALESPLAN_BENCH=small` uses 90,000 reps
//! and 1,000,000 credit lines instead of the large sizes.
//!
//! `statements/10M`: one quarter's statements for every rep of the
//! 1.14M-position org of the rollup benchmark (1,000,000 reps, each held by
//! a person) from 10,000,000 credit lines: 3,333,334 Q1 sales (one rep
//! each, 20% in the "multi-year" product group), credited three ways
//! (revenue, margin, deal count), under a plan with three quarterly
//! components: revenue on attainment tiers (8% to 100%, 10% above) with an
//! accelerator (×1.5 above 120%) and caps (250% of quota, 40,000 USD); a
//! margin commission (3%) with a ×1.1 kicker on multi-year deals; and a
//! 100 USD SPIFF per deal booked in February. Timed: indexing the credit
//! lines by person, finding the deals the kicker qualifies, computing
//! every statement with its explanations (all three over both cores with
//! the `parallel` feature), and dropping them. `payouts/10M` is the same
//! job in totals mode (`payouts_for`: each rep's pay per component and pay
//! period, no explanations). `streamed/10M` hands each
//! person's statements to a callback instead (`each_statement`, one
//! thread throughout).

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::print_stdout,
    reason = "benchmark harness, not library code"
)]

#[path = "support/gen.rs"]
mod generator;

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use salesplan::Execution;
use salesplan::calendar::{DateRange, FiscalCalendar};
use salesplan::comp::{
    Cap, Commissions, CompPeriod, CompPlan, Component, Deals, Kicker, Multiplier, PayRate,
    PersonInput, Qualifier, Quotas, RateTable, Tier, TierBasis, TierMethod,
};
use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Owner, Transaction, TransactionKind};
use salesplan::org::Assignment;
use salesplan::{
    AccountId, Currency, Money, PersonId, PlanId, ProductGroupId, Rate, TransactionId,
};

fn large() -> bool {
    std::env::var("SALESPLAN_BENCH").as_deref() != Ok("small")
}

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, d).unwrap()
}

fn rate(s: &str) -> Rate {
    s.parse().unwrap()
}

fn plan() -> CompPlan {
    let usd = |s: &str| Money::parse(s, Currency::USD).unwrap();
    let tier = |from: &str, to: Option<&str>, r: &str| {
        Tier::new(
            from.parse().unwrap(),
            to.map(|t| t.parse().unwrap()),
            PayRate::Percent(rate(r)),
        )
    };
    CompPlan::builder(
        PlanId::new("AE-2025").unwrap(),
        Currency::USD,
        FiscalCalendar::gregorian(),
        2025,
    )
    .component(
        Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Quarter,
            RateTable::Tiered {
                basis: TierBasis::Attainment,
                method: TierMethod::Marginal,
                tiers: vec![tier("0", Some("1"), "8%"), tier("1", None, "10%")],
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
            RateTable::Flat(PayRate::Percent(rate("3%"))),
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
        DateRange::new(date(2, 1), Some(date(3, 1))).unwrap(),
        vec![],
        CompPeriod::Quarter,
    ))
    .build()
    .unwrap()
}

fn statements(c: &mut Criterion) {
    let (label, reps, lines) = if large() {
        ("10M", generator::LARGE.0, generator::LARGE.1)
    } else {
        ("1M", generator::SMALL.0, generator::SMALL.1)
    };
    let sales = lines.div_ceil(3);
    let synth = generator::org(reps, 20_250_101);
    let person = |i: u32| PersonId::new(&format!("E{i:07}")).unwrap();
    let people: Vec<PersonId> = synth.reps.iter().map(|r| person(*r)).collect();
    let org = synth
        .builder()
        .assignments(synth.reps.iter().zip(&people).map(|(r, p)| {
            Assignment::new(
                p.clone(),
                synth.ids[*r as usize].clone(),
                DateRange::starting(generator::year_start()),
            )
        }))
        .build()
        .unwrap();

    // Q1 sales, one rep each, a fifth of them multi-year.
    let mut rng = generator::Rng::new(5);
    let account = AccountId::new("ACME").unwrap();
    let group = ProductGroupId::new("multi-year").unwrap();
    let txs: Vec<Transaction> = (0..sales)
        .map(|i| {
            let rep = synth.reps[rng.range(0, synth.reps.len() as u64) as usize];
            let day = generator::year_start()
                .checked_add_days(chrono::Days::new(rng.range(0, 90)))
                .unwrap();
            let cents = rng.range(10_000, 1_000_000) as i128;
            let t = Transaction::new(
                TransactionId::new(&format!("T{i:09}")).unwrap(),
                TransactionKind::Order,
                day,
                account.clone(),
                Money::from_minor(cents, Currency::USD).unwrap(),
            )
            .with_margin(Money::from_minor(cents * 3 / 10, Currency::USD).unwrap())
            .with_owners(vec![Owner::sole(synth.ids[rep as usize].clone())]);
            if rng.range(0, 5) == 0 {
                t.with_product_group(group.clone())
            } else {
                t
            }
        })
        .collect();
    let run = |basis: CreditBasis| {
        Crediting::new(&org, &CreditPlan::new(basis, Currency::USD))
            .run(&txs)
            .unwrap()
    };
    let revenue = run(CreditBasis::Revenue);
    let margin = run(CreditBasis::Margin);
    let deal_count = run(CreditBasis::DealCount);
    let total_lines = revenue.lines().len() + margin.lines().len() + deal_count.lines().len();
    println!("{} reps, {} credit lines", people.len(), total_lines);
    let q1 = FiscalCalendar::gregorian().quarters(2025).unwrap()[0];
    let quotas: Vec<Quotas> = synth
        .reps
        .iter()
        .map(|r| {
            let cents = i128::from(synth.quota_cents[*r as usize] / 4).max(100_000);
            Quotas::new().revenue(q1, Money::from_minor(cents, Currency::USD).unwrap())
        })
        .collect();
    let plan = plan();
    let deals = Deals::new(&txs);
    let inputs: Vec<PersonInput<'_>> = people
        .iter()
        .zip(&quotas)
        .map(|(person, quotas)| PersonInput {
            person,
            quotas,
            locked: &[],
        })
        .collect();

    let mut group_bench = c.benchmark_group("comp");
    group_bench.sample_size(10);
    group_bench.bench_function(format!("statements/{label}"), |b| {
        b.iter(|| {
            let runs = [&revenue, &margin, &deal_count];
            let comp = Commissions::new(&plan, &runs)
                .unwrap()
                .execution(Execution::Parallel)
                .with_deals(&deals)
                .unwrap();
            let all = comp.statements_for(&inputs, date(3, 31)).unwrap();
            black_box(all.len())
        });
    });
    group_bench.bench_function(format!("payouts/{label}"), |b| {
        b.iter(|| {
            let runs = [&revenue, &margin, &deal_count];
            let comp = Commissions::new(&plan, &runs)
                .unwrap()
                .execution(Execution::Parallel)
                .with_deals(&deals)
                .unwrap();
            let payouts = comp.payouts_for(&inputs, date(3, 31)).unwrap();
            black_box(payouts.people())
        });
    });
    group_bench.bench_function(format!("streamed/{label}"), |b| {
        b.iter(|| {
            let comp = Commissions::new(&plan, &[&revenue, &margin, &deal_count])
                .unwrap()
                .with_deals(&deals)
                .unwrap();
            let mut paid = Money::zero(Currency::USD);
            comp.each_statement(&inputs, date(3, 31), |_, s| {
                paid = paid.checked_add(s[0].total)?;
                Ok::<(), salesplan::Error>(())
            })
            .unwrap();
            black_box(paid)
        });
    });
    group_bench.finish();
}

criterion_group!(benches, statements);
criterion_main!(benches);
