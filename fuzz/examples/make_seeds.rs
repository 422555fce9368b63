//! Writes the seed inputs of the `plan_json` target to
//! `fuzz/seeds/plan_json/`: valid values of the main plan types, built
//! with the public API and serialized, each behind the byte that selects
//! its type in `fuzz_targets/plan_json.rs`.
//!
//! `cargo +nightly run --example make_seeds` (from `fuzz/`).

use chrono::{Month, NaiveDate, Weekday};
use rust_decimal::Decimal;
use salesplan::calendar::{
    DateRange, FiscalCalendar, Period, Proration, ProrationBasis, WorkCalendar, YearNaming,
};
use salesplan::comp::{
    Accumulation, Cap, CompPeriod, CompPlan, Component, Draw, Gate, GateHolds, GatePeriod, Kicker,
    Multiplier, PayRate, Qualifier, Quotas, RateTable, Tier, TierBasis, TierMethod,
};
use salesplan::credit::{CreditBasis, CreditPlan, Owner, Transaction, TransactionKind};
use salesplan::money::RateTable as FxTable;
use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
use salesplan::quota::{
    Adjustment, Basis, LevelRule, Measures, PersonQuotaOptions, QuotaPlan, Ramp, Seasonality,
};
use salesplan::{
    AccountId, Currency, Money, Percent, PersonId, PlanId, PositionId, ProductId, Rate,
    TransactionId,
};
use serde::Serialize;

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

fn write<T: Serialize>(selector: u8, name: &str, value: &T) {
    let mut bytes = vec![selector];
    bytes.extend(serde_json::to_vec(value).unwrap());
    std::fs::write(format!("seeds/plan_json/{selector:02}-{name}.json"), bytes).unwrap();
}

fn main() {
    std::fs::create_dir_all("seeds/plan_json").unwrap();
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
    write(0, "comp-plan", &plan);
    let q1 = Period::new(d(1, 1), d(4, 1)).unwrap();
    write(2, "quotas", &Quotas::new().revenue(q1, usd("30000")));
    let credit = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    write(3, "credit-plan", &credit);
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
    write(4, "transaction", &sale);
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
    write(5, "quota-plan", &quota);
    write(
        6,
        "seasonality",
        &Seasonality::quarterly([1, 2, 3, 4].map(Decimal::from)).unwrap(),
    );
    let measures = Measures::new()
        .with("prior_year", vec![Decimal::from(1200), Decimal::ZERO])
        .with_floors(vec![None, Some(usd("10.00"))]);
    write(7, "measures", &measures);
    let options = PersonQuotaOptions::new()
        .basis(ProrationBasis::WorkingDays)
        .ramp(Ramp::new([Percent::ZERO, half]), d(3, 17));
    write(8, "person-quota-options", &options);
    write(
        9,
        "ramp",
        &Ramp::new([Percent::ZERO, half, Percent::HUNDRED]),
    );
    let relief = Adjustment::Relief {
        position: pos("rep"),
        period: Period::month(2025, 3).unwrap(),
        amount: usd("10.00"),
        reason: "lost account".into(),
    };
    write(10, "adjustment", &relief);
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
    write(11, "org", &org.clone().build().unwrap());
    write(12, "org-builder", &org);
    let fx = FxTable::new()
        .with(
            Currency::EUR,
            Currency::USD,
            d(1, 1),
            "1.0350".parse().unwrap(),
        )
        .unwrap();
    write(37, "fx-rates", &fx);
    write(38, "period", &q1);
    write(
        39,
        "date-range",
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
    write(40, "work-calendar", &work);
    let march = Period::month(2025, 3).unwrap();
    write(
        41,
        "proration",
        &Proration::new(&q1, &march, ProrationBasis::WorkingDays, &work).unwrap(),
    );
    write(
        42,
        "fiscal-calendar",
        &FiscalCalendar::starting(Month::April, YearNaming::ByStartYear),
    );
}
