//! Every public data type survives JSON and back; deserialization validates.

use proptest::prelude::*;
use salesplan::calendar::{
    FiscalCalendar, Proration, ProrationBasis, RetailPattern, RetailYearEnd, WorkCalendar,
    YearEndRule, YearNaming,
};
use salesplan::money::{FxQuote, RateTable};
use salesplan::quota::{Measures, PersonQuotaOptions, Ramp};
use salesplan::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::common::{any_currency, any_date, any_decimal, date, dec};

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    value: &T,
) -> Result<(), TestCaseError> {
    let json = serde_json::to_string(value).unwrap();
    let back: T = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{json}: {e}"));
    prop_assert_eq!(&back, value, "{}", json);
    Ok(())
}

proptest! {
    #[test]
    fn money_currency_and_ratios(d in any_decimal(), cur in any_currency(), pts in 0u32..=10_000) {
        round_trip(&Money::new(d, cur))?;
        round_trip(&cur)?;
        round_trip(&Rate::from_points(pts.into())?)?;
        round_trip(&Percent::from_points((pts % 101).into())?)?;
    }

    #[test]
    fn periods_calendars_and_prorations(a in any_date(), len in 1u64..1000, mask in 1u8..128) {
        let end = a.checked_add_days(chrono::Days::new(len)).unwrap();
        let p = Period::new(a, end)?;
        round_trip(&p)?;
        let days = [chrono::Weekday::Mon, chrono::Weekday::Tue, chrono::Weekday::Wed, chrono::Weekday::Thu,
            chrono::Weekday::Fri, chrono::Weekday::Sat, chrono::Weekday::Sun];
        let work = WorkCalendar::new(days.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, d)| *d))?
            .with_holidays([a, end]);
        round_trip(&work)?;
        round_trip(&Proration::new(&p, &p, ProrationBasis::CalendarDays, &work)?)?;
    }

    #[test]
    fn ids(text in "[A-Za-z0-9][A-Za-z0-9 _.-]{0,40}[A-Za-z0-9]") {
        round_trip(&PersonId::new(&text)?)?;
        round_trip(&PositionId::new(&text)?)?;
        round_trip(&TransactionId::new(&text)?)?;
    }
}

#[test]
fn fiscal_calendars_rate_tables_and_policies() {
    let retail = FiscalCalendar::retail(
        RetailPattern::P544,
        RetailYearEnd {
            weekday: chrono::Weekday::Sun,
            month: chrono::Month::August,
            rule: YearEndRule::LastInMonth,
        },
        YearNaming::ByEndYear,
    );
    round_trip(&retail).unwrap();
    round_trip(&FiscalCalendar::starting(
        chrono::Month::April,
        YearNaming::ByStartYear,
    ))
    .unwrap();
    let table = RateTable::new()
        .with(
            Currency::EUR,
            Currency::USD,
            date(2025, 1, 1),
            dec("1.0350"),
        )
        .unwrap()
        .with(Currency::GBP, Currency::USD, date(2025, 1, 1), dec("1.25"))
        .unwrap();
    round_trip(&table).unwrap();
    for policy in RoundingPolicy::ALL {
        round_trip(&policy).unwrap();
    }
    let measures = Measures::new()
        .with("prior_year", vec![dec("1200.50"), dec("0")])
        .with_floors(vec![
            None,
            Some(Money::parse("10.00", Currency::USD).unwrap()),
        ]);
    round_trip(&measures).unwrap();
    let options = PersonQuotaOptions::new()
        .basis(ProrationBasis::WorkingDays)
        .ramp(
            Ramp::new(["0%".parse().unwrap(), "50%".parse().unwrap()]),
            date(2025, 3, 17),
        );
    round_trip(&options).unwrap();
}

#[test]
fn wire_format_is_strings_not_floats() {
    let m = Money::parse("1234.50", Currency::USD).unwrap();
    assert_eq!(serde_json::to_string(&m).unwrap(), r#""1234.50 USD""#);
    assert_eq!(
        serde_json::to_string(&Rate::from_points(dec("12.5")).unwrap()).unwrap(),
        r#""12.5%""#
    );
    let q = FxQuote {
        from: Currency::EUR,
        to: Currency::USD,
        effective: date(2025, 1, 1),
        rate: dec("1.0350"),
    };
    assert_eq!(
        serde_json::to_string(&q).unwrap(),
        r#"{"from":"EUR","to":"USD","effective":"2025-01-01","rate":"1.0350"}"#
    );
}

#[test]
fn deserialization_validates() {
    type Rejects = fn(&str) -> bool;
    let bad: &[(&str, Rejects)] = &[
        (r#""1e3 USD""#, |j| {
            serde_json::from_str::<Money>(j).is_err()
        }),
        (r#""12.50""#, |j| serde_json::from_str::<Money>(j).is_err()),
        (r#"1234.5"#, |j| serde_json::from_str::<Money>(j).is_err()),
        (r#""usd""#, |j| serde_json::from_str::<Currency>(j).is_err()),
        (r#""120%""#, |j| serde_json::from_str::<Percent>(j).is_err()),
        (r#""-1%""#, |j| serde_json::from_str::<Rate>(j).is_err()),
        (r#""  ""#, |j| serde_json::from_str::<PersonId>(j).is_err()),
        (r#""""#, |j| serde_json::from_str::<PositionId>(j).is_err()),
        (r#"{"start":"2025-02-01","end":"2025-01-01"}"#, |j| {
            serde_json::from_str::<Period>(j).is_err()
        }),
        (r#"{"weekdays":[],"holidays":[]}"#, |j| {
            serde_json::from_str::<WorkCalendar>(j).is_err()
        }),
        (
            r#"[{"from":"EUR","to":"USD","effective":"2025-01-01","rate":"0"}]"#,
            |j| serde_json::from_str::<RateTable>(j).is_err(),
        ),
        (
            r#"[{"from":"EUR","to":"USD","effective":"2025-01-01","rate":1.05}]"#,
            |j| serde_json::from_str::<RateTable>(j).is_err(),
        ),
    ];
    for (json, rejected) in bad {
        assert!(rejected(json), "accepted {json}");
    }
}

#[test]
fn org_plan_and_quota_types() {
    use chrono::Month;
    use rust_decimal::Decimal;
    use salesplan::calendar::DateRange;
    use salesplan::money::Attainment;
    use salesplan::org::{Assignment, CustomRole, Org, Position, ReportingLine, Role};
    use salesplan::quota::{Adjustment, Basis, LevelRule, QuotaPlan, Seasonality};

    let d = |m, day| date(2025, m, day);
    let pos = |s: &str| PositionId::new(s).unwrap();
    let vp = RoleId::new("vp").unwrap();
    let builder = Org::builder()
        .role(CustomRole::new(vp.clone(), "Vice President", 65))
        .position(Position::new(pos("top"), Role::Custom(vp)).with_title("VP Sales"))
        .position(Position::new(pos("rep"), Role::SalesRep))
        .line(ReportingLine::top(pos("top"), DateRange::starting(d(1, 1))))
        .line(ReportingLine::new(
            pos("rep"),
            pos("top"),
            DateRange::new(d(1, 1), Some(d(7, 1))).unwrap(),
        ))
        .assignment(Assignment::new(
            PersonId::new("ana").unwrap(),
            pos("rep"),
            DateRange::starting(d(2, 1)),
        ));
    let org = builder.clone().build().unwrap();
    let json = serde_json::to_string(&org).unwrap();
    let back: Org = serde_json::from_str(&json).unwrap();
    assert_eq!(back.to_builder(), org.to_builder());
    assert_eq!(org.to_builder(), builder);
    // The org's text goes through validation too: a position declared
    // twice is refused.
    let mut value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let first = value["positions"][0].clone();
    value["positions"].as_array_mut().unwrap().push(first);
    let err = serde_json::from_value::<Org>(value).unwrap_err();
    assert!(err.to_string().contains("declared twice"), "{err}");
    let segments = org
        .segments(&PersonId::new("ana").unwrap(), &Period::year(2025).unwrap())
        .unwrap();
    for s in &segments {
        round_trip(s).unwrap();
    }
    round_trip(&DateRange::new(d(1, 1), Some(d(3, 1))).unwrap()).unwrap();
    round_trip(&DateRange::starting(d(1, 1))).unwrap();

    let half: Percent = "50%".parse().unwrap();
    let plan = QuotaPlan::new(
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
    round_trip(&plan).unwrap();
    round_trip(&Adjustment::Relief {
        position: pos("rep"),
        period: Period::month(2025, 3).unwrap(),
        amount: Money::parse("10.00", Currency::EUR).unwrap(),
        reason: "lost account".into(),
    })
    .unwrap();
    round_trip(&Attainment::Ratio(dec("0.75"))).unwrap();
    round_trip(&Attainment::ZeroTarget {
        actual: Money::parse("5.00", Currency::USD).unwrap(),
    })
    .unwrap();
    // A seasonality of the wrong length does not deserialize.
    assert!(serde_json::from_str::<Seasonality>(r#"{"weights":["1","1","1"]}"#).is_err());
    // The month split: calendar days unless stated, and left out when so.
    let equal: Seasonality =
        serde_json::from_str(r#"{"weights":["1","1","1","1"],"months_by":"equal_months"}"#)
            .unwrap();
    assert_eq!(equal.month_split(), &quota::MonthSplit::EqualMonths);
    let back = serde_json::to_string(&equal).unwrap();
    assert_eq!(serde_json::from_str::<Seasonality>(&back).unwrap(), equal);
    let by_work: Seasonality = serde_json::from_str(
        r#"{"weights":["1","1","1","1"],"months_by":{"working_days":{"weekdays":["Mon","Tue"]}}}"#,
    )
    .unwrap();
    assert!(matches!(
        by_work.month_split(),
        quota::MonthSplit::WorkingDays(_)
    ));
    let plain = Seasonality::quarterly([Decimal::ONE; 4]).unwrap();
    assert!(!serde_json::to_string(&plain).unwrap().contains("months_by"));
    assert!(
        serde_json::from_str::<Seasonality>(
            r#"{"weights":["1","1","1","1"],"months_by":"weekly"}"#
        )
        .is_err()
    );
}

#[test]
fn credit_plans_transactions_and_runs() {
    use salesplan::credit::{
        CreditBasis, CreditPlan, CreditTiming, Crediting, DirectSource, OverlayRule, OverlayScope,
        Owner, RollUpLines, Transaction, TransactionKind,
    };

    use crate::support::credit::{region, tid, usd};
    use crate::support::{always, pos};

    let plan = CreditPlan::new(CreditBasis::Measure("points".into()), Currency::USD)
        .timing(CreditTiming::Invoice)
        .direct(DirectSource::OwnersElseTerritory)
        .roll_up(RollUpLines::Lines)
        .quantity_scale(3)
        .unwrap()
        .overlay(OverlayRule::new(
            pos("spec"),
            "7.5%".parse().unwrap(),
            OverlayScope::ProductGroup(ProductGroupId::new("cloud").unwrap()),
            always(),
        ));
    round_trip(&plan).unwrap();
    let sale = Transaction::new(
        tid("SO-1"),
        TransactionKind::Invoice,
        date(2025, 1, 2),
        AccountId::new("ACME").unwrap(),
        usd("10.00"),
    )
    .with_invoiced(date(2025, 1, 3))
    .with_product(ProductId::new("sku-1").unwrap())
    .with_product_group(ProductGroupId::new("cloud").unwrap())
    .with_margin(usd("4.00"))
    .with_units(dec("2.5"))
    .with_measure("points", dec("12.125"))
    .with_owners(vec![
        Owner::new(pos("r1"), "60%".parse().unwrap()),
        Owner::new(pos("r2"), "40%".parse().unwrap()),
    ]);
    round_trip(&sale).unwrap();
    let org = region();
    let run = Crediting::new(&org, &plan).run(&[sale]).unwrap();
    assert!(run.lines().len() > 2);
    round_trip(&run).unwrap();
    // A plan with an out-of-range quantity scale does not deserialize.
    let json = serde_json::to_string(&plan)
        .unwrap()
        .replace(r#""quantity_scale":3"#, r#""quantity_scale":40"#);
    assert!(serde_json::from_str::<CreditPlan>(&json).is_err());
}
