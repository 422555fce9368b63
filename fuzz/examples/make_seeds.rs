//! Writes the seed inputs of the `plan_json` and `json_contract` targets
//! to `fuzz/seeds/<target>/`: valid values of the plan, configuration,
//! credit, statement and report types, built with the public API (or read
//! from JSON written here, for the types without a builder) and
//! serialized, each behind the byte that selects its type in the target.
//! The selector is the type's place in the target's list, read from
//! `fuzz_targets/<target>.rs`, so the seeds follow the lists; a type is
//! written for every target that lists it. The seed directories are
//! emptied first.
//!
//! `cargo +nightly run --example make_seeds` (from `fuzz/`).

use chrono::{Month, NaiveDate, Weekday};
use rust_decimal::Decimal;
use salesplan::calendar::{
    DateRange, FiscalCalendar, Period, Proration, ProrationBasis, WorkCalendar, YearNaming,
};
use salesplan::comp::{
    Accumulation, Cap, Commissions, CompPeriod, CompPlan, Component, Deals, Draw, Explanation,
    Gate, GateHolds, GatePeriod, Kicker, Multiplier, PayRate, Qualifier, Quotas, RateTable, Tier,
    TierBasis, TierMethod,
};
use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Owner, Transaction, TransactionKind};
use salesplan::money::{FxQuote, RateTable as FxTable};
use salesplan::org::{Assignment, CustomRole, Org, OrgBuilder, Position, ReportingLine, Role};
use salesplan::quota::{
    Adjustment, Basis, LevelRule, Measures, PersonQuotaOptions, QuotaPlan, Ramp, Seasonality,
};
use salesplan::{
    AccountId, Currency, Money, Percent, PersonId, PlanId, PositionId, ProductId, Rate, RoleId,
    TransactionId,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, m, day).unwrap()
}
fn usd(a: &str) -> Money {
    Money::parse(a, Currency::USD).unwrap()
}
fn rate(s: &str) -> Rate {
    s.parse().unwrap()
}
fn pos(s: &str) -> PositionId {
    PositionId::new(s).unwrap()
}

/// The targets whose seeds are written here.
const TARGETS: [&str; 2] = ["plan_json", "json_contract"];

/// The types `target` chooses among, in order: the `eq path::Type,` and
/// `json path::Type,` lines of its `types!` list.
fn listed(target: &str) -> Vec<String> {
    let source = std::fs::read_to_string(format!("fuzz_targets/{target}.rs")).unwrap();
    source
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let ty = l.strip_prefix("eq ").or_else(|| l.strip_prefix("json "))?;
            Some(ty.strip_suffix(',')?.to_owned())
        })
        .collect()
}

/// Writes `value` as a seed of `ty` (as the targets' lists write it) for
/// every target that lists it.
fn write<T: Serialize>(ty: &str, value: &T) {
    let json = serde_json::to_vec(value).unwrap();
    let mut written = false;
    for target in TARGETS {
        let Some(i) = listed(target).iter().position(|t| t == ty) else {
            continue;
        };
        let selector = u8::try_from(i).expect("at most 256 types");
        let slug = ty.replace("::", "-").replace(['<', '>'], "_");
        let mut n = 1;
        let mut path = format!("seeds/{target}/{selector:03}-{slug}.json");
        while std::path::Path::new(&path).exists() {
            n += 1;
            path = format!("seeds/{target}/{selector:03}-{slug}-{n}.json");
        }
        let mut bytes = vec![selector];
        bytes.extend(&json);
        std::fs::write(path, bytes).unwrap();
        written = true;
    }
    assert!(written, "{ty} is in no target's list");
}

/// Writes `json`, read as a `T` (it must be valid), as a seed of `ty`.
fn write_json<T: Serialize + DeserializeOwned>(ty: &str, json: serde_json::Value) {
    let value: T = serde_json::from_value(json.clone())
        .unwrap_or_else(|e| panic!("{ty}: the seed does not read: {e}: {json}"));
    write(ty, &value);
}

fn main() {
    for target in TARGETS {
        let dir = format!("seeds/{target}");
        if std::path::Path::new(&dir).exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        std::fs::create_dir_all(&dir).unwrap();
    }
    let tiers = RateTable::Tiered {
        basis: TierBasis::Attainment,
        method: TierMethod::Marginal,
        tiers: vec![
            Tier::new(
                Decimal::ZERO,
                Some(Decimal::ONE),
                PayRate::Percent(rate("8%")),
            ),
            Tier::new(Decimal::ONE, None, PayRate::Percent(rate("12%"))),
        ],
    };
    let plan = CompPlan::builder(
        PlanId::new("AE-2025").unwrap(),
        Currency::USD,
        FiscalCalendar::gregorian(),
        2025,
    )
    .component(
        Component::new("Revenue", CreditBasis::Revenue, CompPeriod::Quarter, tiers)
            .accumulate(Accumulation::YearToDate)
            .multiplier(Multiplier::above(Rate::ONE, rate("150%")))
            .gate(Gate::new(
                rate("50%"),
                GatePeriod::Year,
                GateHolds::Accelerators,
            ))
            .cap(Cap::PerYear(usd("100000")))
            .minimum(usd("100"))
            .kicker(Kicker::new(
                "multi-year",
                vec![Qualifier::MeasureAtLeast {
                    name: "years".into(),
                    value: Decimal::TWO,
                }],
                rate("110%"),
            )),
    )
    .component(Component::spiff(
        "Launch",
        usd("250"),
        DateRange::new(d(2, 1), Some(d(4, 1))).unwrap(),
        vec![Qualifier::Product(ProductId::new("sku-1").unwrap())],
        CompPeriod::Month,
    ))
    .draw(Draw::Recoverable {
        amount: usd("2000"),
        during: DateRange::new(d(1, 1), Some(d(4, 1))).unwrap(),
        recover_from: Some(d(4, 1)),
        floor: usd("500"),
    })
    .build()
    .unwrap();
    write("comp::CompPlan", &plan);
    let q1 = Period::new(d(1, 1), d(4, 1)).unwrap();
    write("comp::Quotas", &Quotas::new().revenue(q1, usd("30000")));
    let credit = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    write("credit::CreditPlan", &credit);
    let sale = Transaction::new(
        TransactionId::new("SO-1").unwrap(),
        TransactionKind::Order,
        d(1, 2),
        AccountId::new("ACME").unwrap(),
        usd("10.00"),
    )
    .with_owners(vec![
        Owner::new(pos("r1"), "60%".parse().unwrap()),
        Owner::new(pos("r2"), "40%".parse().unwrap()),
    ]);
    write("credit::Transaction", &sale);
    let half: Percent = "50%".parse().unwrap();
    let quota = QuotaPlan::new(
        2025,
        FiscalCalendar::starting(Month::April, YearNaming::ByStartYear),
        Money::parse("1000.00", Currency::EUR).unwrap(),
    )
    .seasonality(Seasonality::quarterly([1, 2, 3, 4].map(Decimal::from)).unwrap())
    .level(
        0,
        LevelRule::new(Basis::Blend(vec![(half, "a".into()), (half, "b".into())]))
            .over_assign("110%".parse().unwrap()),
    )
    .default_rule(LevelRule::new(Basis::Measure("a".into())));
    write("quota::QuotaPlan", &quota);
    write(
        "quota::Seasonality",
        &Seasonality::quarterly([1, 2, 3, 4].map(Decimal::from)).unwrap(),
    );
    let measures = Measures::new()
        .with("prior_year", vec![Decimal::from(1200), Decimal::ZERO])
        .with_floors(vec![None, Some(usd("10.00"))]);
    write("quota::Measures", &measures);
    let options = PersonQuotaOptions::new()
        .basis(ProrationBasis::WorkingDays)
        .ramp(Ramp::new([Percent::ZERO, half]), d(3, 17));
    write("quota::PersonQuotaOptions", &options);
    write(
        "quota::Ramp",
        &Ramp::new([Percent::ZERO, half, Percent::HUNDRED]),
    );
    let relief = Adjustment::Relief {
        position: pos("rep"),
        period: Period::month(2025, 3).unwrap(),
        amount: usd("10.00"),
        reason: "lost account".into(),
    };
    write("quota::Adjustment", &relief);
    let org = Org::builder()
        .position(Position::new(pos("top"), Role::RegionalManager))
        .position(Position::new(pos("lead"), Role::TeamLead))
        .position(Position::new(pos("rep"), Role::SalesRep))
        .line(ReportingLine::top(pos("top"), DateRange::starting(d(1, 1))))
        .line(ReportingLine::new(
            pos("lead"),
            pos("top"),
            DateRange::starting(d(1, 1)),
        ))
        .line(ReportingLine::new(
            pos("rep"),
            pos("lead"),
            DateRange::new(d(1, 1), Some(d(7, 1))).unwrap(),
        ))
        .assignment(Assignment::new(
            PersonId::new("ana").unwrap(),
            pos("rep"),
            DateRange::starting(d(2, 1)),
        ));
    write("org::Org", &org.clone().build().unwrap());
    write("org::OrgBuilder", &org);
    let fx = FxTable::new()
        .with(
            Currency::EUR,
            Currency::USD,
            d(1, 1),
            "1.0350".parse().unwrap(),
        )
        .unwrap();
    write("money::RateTable", &fx);
    write("calendar::Period", &q1);
    write(
        "calendar::DateRange",
        &DateRange::new(d(1, 1), Some(d(3, 1))).unwrap(),
    );
    let work = WorkCalendar::new([
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ])
    .unwrap()
    .with_holidays([d(1, 1), d(12, 25)]);
    write("calendar::WorkCalendar", &work);
    let march = Period::month(2025, 3).unwrap();
    write(
        "calendar::Proration",
        &Proration::new(&q1, &march, ProrationBasis::WorkingDays, &work).unwrap(),
    );
    write(
        "calendar::FiscalCalendar",
        &FiscalCalendar::starting(Month::April, YearNaming::ByStartYear),
    );
    write("calendar::FiscalCalendar", &FiscalCalendar::gregorian());
    write("calendar::DateRange", &DateRange::starting(d(7, 1)));
    write(
        "quota::Adjustment",
        &Adjustment::Transfer {
            from: pos("lead"),
            to: pos("rep"),
            period: march,
            amount: usd("10.00"),
            reason: "account moved".into(),
        },
    );
    json_seeds();
    credit_and_statements(&plan, &org);
    parts(&plan);
}

/// The types without a builder (and the plans the tests build with
/// fixtures), read from JSON.
fn json_seeds() {
    use salesplan::{activity, bonus, perf, territory};
    let q1 = json!({"start": "2025-01-01", "end": "2025-04-01"});
    let always = json!({"start": "2025-01-01", "end": null});
    let ratio = json!({"value": "0.75"});
    let target = json!({"kind": "call", "cadence": "week", "quantity": 20});
    let curve = json!({"points": [{"attainment": "80%", "payout": "50%"},
        {"attainment": "100%", "payout": "100%"}, {"attainment": "150%", "payout": "200%"}],
        "cap": "200%"});
    let account = json!({"id": "acme", "country": "US", "region": "CA", "postal_code": "94107",
        "industry": "62", "employees": 120, "annual_revenue": "1000000", "named": false,
        "attributes": {"tier": {"text": "gold"}, "score": {"number": "3"}},
        "potential": "400000.00 USD", "workload_hours": "32", "last_year_sales": "150000.00 USD"});
    let rules = json!({"attributes": {"tier": "text"},
        "rules": [
            {"territory": "sf", "priority": 10, "when":
                {"any": [{"prefix": {"attribute": "postal_code", "prefix": "941"}}]}},
            {"territory": "health", "priority": 20, "when": {"all": [
                {"equals": {"attribute": "industry", "value": {"text": "62"}}},
                {"range": {"attribute": "employees", "from": "1000"}},
                {"not": {"one_of": {"attribute": {"custom": "tier"},
                    "values": [{"text": "gold"}]}}}]}}],
        "named": [{"account": "globex", "territory": "sf"}]});
    let coverage = json!([{"territory": "sf", "position": "rep", "kind": "primary",
        "share": "100%", "effective": always},
        {"territory": "sf", "position": "lead", "kind": "overlay", "share": "50%",
        "effective": always}]);
    let grants = json!([
        {"role": "team_lead", "power": "coaching", "scope": "direct_reports"},
        {"role": "regional_manager", "power":
            {"approve_discretionary_bonus": {"up_to": "1000.00 USD"}}, "scope": "subtree"},
        {"role": "director", "power": {"approve_quota_relief": {"up_to": "20%"}},
            "scope": "subtree"}]);
    let action_plan = json!({"id": "TRAIN", "name": "sales training", "approved_by": "dana",
        "scope": "top", "approved_on": "2025-03-01", "effective": always,
        "qualification": {"roles": ["sales_rep"], "below": "60%", "periods": 2}});
    write_json::<salesplan::comp::PlanAssignments>(
        "comp::PlanAssignments",
        json!([{"person": "ana", "plan": "AE-2025", "during": always}]),
    );
    write_json::<territory::TerritoryMap>(
        "territory::TerritoryMap",
        json!({"territories": [{"id": "west", "name": "West"}, {"id": "sf"}],
            "lines": [{"territory": "west", "parent": null, "effective": always},
                {"territory": "sf", "parent": "west", "effective": always}]}),
    );
    write_json::<territory::RuleBook>("territory::RuleBook", rules.clone());
    write_json::<territory::RuleBookBuilder>("territory::RuleBookBuilder", rules);
    write_json::<territory::CoverageTable>("territory::CoverageTable", coverage.clone());
    write_json::<territory::AccountBook>(
        "territory::AccountBook",
        json!({"currency": "USD", "accounts": [account, {"id": "bolt", "named": true}]}),
    );
    write_json::<territory::Account>("territory::Account", account);
    write_json::<territory::Alignment>(
        "territory::Alignment",
        json!([["acme", "sf"], ["bolt", "west"]]),
    );
    write_json::<territory::TerritoryCoverage>(
        "territory::TerritoryCoverage",
        json!({"alignment": [["acme", "sf"]], "coverage": coverage}),
    );
    write_json::<territory::Realignment>(
        "territory::Realignment",
        json!({"moves": [{"account": "acme", "from": "sf", "to": "west",
            "potential": "1.00 USD", "workload_hours": "2", "last_year_sales": "3.00 USD"}],
            "territories": [{"key": "sf", "accounts_in": 0, "accounts_out": 1,
                "potential_in": "0.00 USD", "potential_out": "1.00 USD",
                "sales_in": "0.00 USD", "sales_out": "3.00 USD"}],
            "positions": []}),
    );
    write_json::<territory::RebalanceOptions>(
        "territory::RebalanceOptions",
        json!({"tolerance": "10%", "basis": "workload", "locked": ["acme"],
            "lock_named": false, "max_moves": 3}),
    );
    write_json::<activity::ActivityTarget>("activity::ActivityTarget", target.clone());
    write_json::<activity::TargetPlan>(
        "activity::TargetPlan",
        json!({"roles": [["sales_rep", target], ["team_lead",
            {"kind": {"custom": {"name": "webinar", "unit": "minutes"}}, "cadence": "month",
            "quantity": 120}]], "people": [["ana", target]]}),
    );
    write_json::<activity::ScoreWeights>(
        "activity::ScoreWeights",
        json!({"default": "1", "weights": [["call", "2"],
            [{"custom": {"name": "webinar", "unit": "count"}}, "3"]]}),
    );
    write_json::<activity::CustomKind>(
        "activity::CustomKind",
        json!({"name": "webinar", "unit": "minutes"}),
    );
    write_json::<activity::ActivityEntry>(
        "activity::ActivityEntry",
        json!({"person": "ana", "kind": "cold_call", "date": "2025-03-03", "quantity": 4}),
    );
    write_json::<activity::TimeEntry>(
        "activity::TimeEntry",
        json!({"person": "ana", "category": "selling", "date": "2025-03-03", "minutes": 90}),
    );
    write_json::<activity::ReviewOptions>(
        "activity::ReviewOptions",
        json!({"work": {"weekdays": ["Mon", "Tue"], "holidays": ["2025-01-01"]},
            "absences": [["ana", q1]], "weights": {"default": "1", "weights": [["call", "2"]]}}),
    );
    write_json::<perf::PaceCurve>(
        "perf::PaceCurve",
        json!({"parts": [{"period": {"start": "2025-01-01", "end": "2025-02-01"}, "weight": "1"},
            {"period": {"start": "2025-02-01", "end": "2025-04-01"}, "weight": "2"}],
            "work": {"weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri"], "holidays": []}}),
    );
    write_json::<perf::StatusBands>(
        "perf::StatusBands",
        json!({"on_track": "1", "at_risk": "0.85"}),
    );
    let rule = json!({"kind": "month", "below": "0.5", "consecutive": 2,
        "action": {"custom": "review"}});
    write_json::<perf::EscalationRule>("perf::EscalationRule", rule.clone());
    write_json::<perf::EscalationPolicy>(
        "perf::EscalationPolicy",
        json!({"rules": [rule, {"kind": "quarter", "below": "0.6", "consecutive": 1,
            "action": "improvement_plan"}], "exempt_ramp": true}),
    );
    write_json::<perf::TenureBands>("perf::TenureBands", json!([3, 12]));
    write_json::<bonus::PayoutCurve>("bonus::PayoutCurve", curve.clone());
    write_json::<bonus::TargetBonus>(
        "bonus::TargetBonus",
        json!({"id": "AE-BONUS", "period": q1, "curve": curve,
            "gates": [{"name": "margin", "minimum": "80%"}], "proration": "working_days",
            "work": {"weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri"], "holidays": []},
            "rounding": "half_even"}),
    );
    write_json::<bonus::TeamBonus>(
        "bonus::TeamBonus",
        json!({"id": "TEAM", "curve": curve, "split": "by_share", "rounding": "half_even"}),
    );
    write_json::<bonus::Scorecard>(
        "bonus::Scorecard",
        json!([{"name": "pipeline", "weight": "60%", "cap": "150%"},
            {"name": "hygiene", "weight": "40%", "cap": "100%"}]),
    );
    write_json::<bonus::Contest>(
        "bonus::Contest",
        json!({"id": "Q1-BLITZ", "window": q1, "measure": "revenue",
            "award": {"top_n": {"prizes": ["500.00 USD", "250.00 USD"]}},
            "eligibility": {"people": ["ana", "ben"]}, "minimum": "1"}),
    );
    write_json::<bonus::Contest>(
        "bonus::Contest",
        json!({"id": "LOGOS", "window": q1, "measure": {"custom": "demos"},
            "award": {"threshold": {"threshold": "10", "prize": "100.00 USD"}}}),
    );
    write_json::<bonus::BonusLedger>(
        "bonus::BonusLedger",
        json!({"budgets": [["lee", {"amount": "5000.00 USD", "period": q1}]],
            "bonuses": [{"id": "B-1", "proposed_by": "lee", "recipient": "ana",
                "amount": "500.00 USD", "reason": "big deal", "proposed_on": "2025-03-01",
                "state": {"approved": {"by": "maria", "on": "2025-03-03"}}}]}),
    );
    write_json::<bonus::AuthorityPolicy>(
        "bonus::AuthorityPolicy",
        json!({"grants": grants, "plans": [action_plan]}),
    );
    write_json::<bonus::BonusInputs>(
        "bonus::BonusInputs",
        json!({"person": "ana", "target": "1000.00 USD", "attainment": "1.1",
            "figures": {"margin": "0.9"}, "employed": {"start": "2025-02-01", "end": null}}),
    );
    write_json::<bonus::TeamInputs>(
        "bonus::TeamInputs",
        json!({"manager": "lead", "pool_target": "1000.00 USD", "team_quota": "5000.00 USD",
            "members": [{"position": "rep", "share": "60%", "quota": "100.00 USD"}]}),
    );
    write_json::<bonus::Request>(
        "bonus::Request",
        json!({"actor": "lee", "action": {"approve_discretionary_bonus":
            {"amount": "500.00 USD"}}, "subject": "ana"}),
    );
    write_json::<bonus::ContestEvent>(
        "bonus::ContestEvent",
        json!({"person": "ana", "date": "2025-03-03", "value": "2"}),
    );
    write_json::<perf::TeamReport>(
        "perf::TeamReport",
        json!({"manager": "lead", "holder": "lee", "period": q1, "as_of": "2025-02-01",
            "target": "100.00 USD", "actual": "75.00 USD", "own_actual": "0.00 USD",
            "expected": "33.33 USD", "attainment": ratio, "pace": ratio,
            "projection": "150.00 USD", "status": "on_track", "activity": null,
            "uncovered": "0.00 USD", "members": [{"position": "rep", "holder": "ana",
                "role": "sales_rep", "target": "100.00 USD", "actual": "75.00 USD",
                "attainment": ratio, "pace": ratio, "status": "at_risk", "activity": null,
                "rank": 1, "percentile": null, "quartile": null, "contribution": ratio,
                "actions": []}]}),
    );
}

/// A credit run of the seed org (a sale of the rep's, a return of part of
/// it, a credit note that refers to no sale), its lines, and the rep's
/// statements on the seed plan, with their lines' parts.
fn credit_and_statements(plan: &CompPlan, org: &OrgBuilder) {
    let org = org.clone().build().unwrap();
    let sale = Transaction::new(
        TransactionId::new("SO-7").unwrap(),
        TransactionKind::Order,
        d(3, 3),
        AccountId::new("ACME").unwrap(),
        usd("40000.00"),
    )
    .with_product(ProductId::new("sku-1").unwrap())
    .with_measure("years", Decimal::from(3))
    .with_owners(vec![Owner::sole(pos("rep"))]);
    let back = Transaction::new(
        TransactionId::new("CN-7").unwrap(),
        TransactionKind::CreditNote,
        d(5, 2),
        AccountId::new("ACME").unwrap(),
        usd("-2500.00"),
    )
    .with_original(TransactionId::new("SO-7").unwrap());
    let note = Transaction::new(
        TransactionId::new("CN-8").unwrap(),
        TransactionKind::CreditNote,
        d(5, 9),
        AccountId::new("ACME").unwrap(),
        usd("-100.00"),
    )
    .with_owners(vec![Owner::sole(pos("rep"))]);
    write("credit::Transaction", &back);
    write("credit::Transaction", &note);
    let txs = [sale, back, note];
    let run = |basis| {
        Crediting::new(&org, &CreditPlan::new(basis, Currency::USD))
            .run(&txs)
            .unwrap()
    };
    let (run, deals) = (run(CreditBasis::Revenue), run(CreditBasis::DealCount));
    write("credit::CreditRun", &run);
    for line in run.lines().iter().take(3) {
        write("credit::CreditLine", line);
    }
    let quotas = (1..=4).fold(Quotas::new(), |q, i| {
        q.revenue(
            FiscalCalendar::gregorian().quarters(2025).unwrap()[i - 1],
            usd("30000"),
        )
    });
    let statements = Commissions::new(plan, &[&run, &deals])
        .unwrap()
        .with_deals(&Deals::new(&txs))
        .unwrap()
        .statements(&PersonId::new("ana").unwrap(), &quotas, &[], d(6, 30))
        .unwrap();
    for s in &statements {
        write("comp::Statement", s);
        for l in s.lines().iter() {
            write("comp::StatementLine", l);
            write("comp::Explanation", &l.explanation);
            if let Explanation::Earned(c) = &l.explanation {
                write("comp::Calculation", c);
                for slice in c.slices().iter() {
                    write("comp::Slice", slice);
                }
                for limit in c.limits().iter() {
                    write("comp::Limit", limit);
                }
                if let Some(g) = &c.gate {
                    write("comp::GateCheck", &**g);
                }
            }
        }
        if let Some(draw) = &s.draw {
            write("comp::DrawLine", &**draw);
        }
    }
}

/// The parts of a plan, and the org rows and money types, on their own.
fn parts(plan: &CompPlan) {
    let builder = CompPlan::builder(
        PlanId::new("AE-2025").unwrap(),
        Currency::USD,
        FiscalCalendar::gregorian(),
        2025,
    );
    let builder = plan
        .components()
        .iter()
        .fold(builder, |b, c| b.component(c.clone()));
    write("comp::CompPlanBuilder", &builder);
    for c in plan.components() {
        write("comp::Component", c);
        write("comp::RateTable", c.rates());
        for m in c.multipliers() {
            write("comp::Multiplier", m);
        }
        for cap in c.caps() {
            write("comp::Cap", cap);
        }
        for k in c.kickers() {
            write("comp::Kicker", k);
            for q in k.qualifies() {
                write("comp::Qualifier", q);
            }
        }
        if let Some(g) = c.gate_rule() {
            write("comp::Gate", g);
        }
        if let RateTable::Tiered { tiers, .. } = c.rates() {
            for t in tiers {
                write("comp::Tier", t);
                write("comp::PayRate", &t.rate());
            }
        }
    }
    if let Some(draw) = plan.draw() {
        write("comp::Draw", draw);
    }
    write(
        "org::Position",
        &Position::new(pos("top"), Role::RegionalManager).with_title("RSM West"),
    );
    write(
        "org::ReportingLine",
        &ReportingLine::new(pos("rep"), pos("lead"), DateRange::starting(d(1, 1))),
    );
    write(
        "org::Assignment",
        &Assignment::new(
            PersonId::new("ana").unwrap(),
            pos("rep"),
            DateRange::new(d(2, 1), Some(d(9, 1))).unwrap(),
        ),
    );
    write(
        "org::CustomRole",
        &CustomRole::new(RoleId::new("vp").unwrap(), "Vice President", 65),
    );
    write(
        "money::FxQuote",
        &FxQuote {
            from: Currency::EUR,
            to: Currency::USD,
            effective: d(1, 1),
            rate: "1.0350".parse().unwrap(),
        },
    );
    write(
        "credit::Owner",
        &Owner::new(pos("rep"), "60%".parse().unwrap()),
    );
}
