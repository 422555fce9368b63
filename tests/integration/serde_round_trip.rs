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

/// An org of a lead (vic) and two reps (ana, ben), and its one-level cascade of 1200.00
/// USD (the quota versions' fixture, small).
fn versioned() -> (org::OrgSnapshot, quota::QuotaPlan) {
    use salesplan::calendar::DateRange;
    use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};

    let pos = |s: &str| PositionId::new(s).unwrap();
    let from = DateRange::starting(date(2025, 1, 1));
    let org = Org::builder()
        .position(Position::new(pos("lead"), Role::RegionalManager))
        .positions(["r1", "r2"].map(|r| Position::new(pos(r), Role::SalesRep)))
        .line(ReportingLine::top(pos("lead"), from))
        .lines(["r1", "r2"].map(|r| ReportingLine::new(pos(r), pos("lead"), from)))
        .assignments(
            [("vic", "lead"), ("ana", "r1"), ("ben", "r2")]
                .map(|(p, s)| Assignment::new(PersonId::new(p).unwrap(), pos(s), from)),
        )
        .build()
        .unwrap();
    let plan = quota::QuotaPlan::new(
        2025,
        FiscalCalendar::gregorian(),
        Money::parse("1200.00", Currency::USD).unwrap(),
    );
    (org.as_of(date(2025, 1, 1)).unwrap(), plan)
}

#[test]
fn quota_measures_and_versions() {
    use quota::{
        Basis, ChangeReason, LevelRule, MeasurePlan, MeasureUnit, Measures, QuotaChange,
        QuotaChangeKind, QuotaMeasure, QuotaVersion, ReorgTargets,
    };

    for measure in [
        QuotaMeasure::Revenue(Currency::EUR),
        QuotaMeasure::Margin(Currency::JPY),
        QuotaMeasure::Units,
        QuotaMeasure::Deals,
        QuotaMeasure::NewLogos,
        QuotaMeasure::Named("demos".into()),
    ] {
        round_trip(&measure).unwrap();
    }
    assert_eq!(
        serde_json::to_string(&QuotaMeasure::Revenue(Currency::USD)).unwrap(),
        r#"{"revenue":"USD"}"#
    );
    round_trip(&MeasureUnit::WHOLE).unwrap();
    round_trip(&MeasureUnit::new(dec("0.25")).unwrap()).unwrap();
    for reason in [
        ChangeReason::Transfer,
        ChangeReason::Relief,
        ChangeReason::NewHire,
        ChangeReason::Reorg,
    ] {
        round_trip(&reason).unwrap();
    }

    // A measure plan from JSON is the plan built in Rust, and cascades
    // alike.
    let (snapshot, money_plan) = versioned();
    let read: MeasurePlan = serde_json::from_str(
        r#"{"year": 2025, "calendar": {"kind": {"monthly": {"start": "January"}},
            "naming": "by_start_year"}, "measure": "new_logos", "target": "100",
            "levels": {"0": {"basis": "equal", "over_assignment": "110%"}}}"#,
    )
    .unwrap();
    let built = MeasurePlan::new(
        2025,
        FiscalCalendar::gregorian(),
        QuotaMeasure::NewLogos,
        dec("100"),
    )
    .level(
        0,
        LevelRule::new(Basis::Equal).over_assign("110%".parse().unwrap()),
    );
    assert_eq!(read, built);
    round_trip(&built).unwrap();
    round_trip(&built.clone().unit(MeasureUnit::new(dec("5")).unwrap())).unwrap();
    let r1 = snapshot
        .node(&PositionId::new("r1").unwrap())
        .unwrap()
        .index();
    assert_eq!(
        read.cascade(&snapshot, &Measures::new())
            .unwrap()
            .annual(r1)
            .unwrap(),
        dec("55")
    );

    // Changes, a reorg's targets, and what a change would do.
    let targets = money_plan.cascade(&snapshot, &Measures::new()).unwrap();
    let version = QuotaVersion::from_targets(&targets).unwrap();
    let reorg = ReorgTargets::from_targets(&targets).unwrap();
    round_trip(&reorg).unwrap();
    let usd = |s: &str| Money::parse(s, Currency::USD).unwrap();
    let kinds = [
        QuotaChangeKind::Relief {
            position: PositionId::new("r1").unwrap(),
            amount: usd("60.00"),
        },
        QuotaChangeKind::Transfer {
            from: PositionId::new("r1").unwrap(),
            to: PositionId::new("r2").unwrap(),
            amount: usd("30.00"),
        },
        QuotaChangeKind::NewHire {
            position: PositionId::new("r3").unwrap(),
            amount: usd("90.00"),
        },
        QuotaChangeKind::Reorg(reorg),
    ];
    for kind in kinds {
        round_trip(&kind).unwrap();
        let change = QuotaChange::new(1, kind, date(2025, 3, 15), "why");
        round_trip(&change).unwrap();
        for line in version.what_if(&change).unwrap() {
            round_trip(&line).unwrap();
            for note in line.why() {
                round_trip(note).unwrap();
            }
        }
    }
    // A version writes out (it does not read back: its history holds
    // approvals, which only the authority makes).
    let written = serde_json::to_value(&version).unwrap();
    assert_eq!(written["number"], 1);
    assert_eq!(written["history"], serde_json::json!([]));
}

#[test]
fn quota_measures_and_versions_validate_on_deserialization() {
    use quota::{MeasurePlan, MeasureUnit, ReorgTargets};

    // A unit of zero or below: refused with the constructor's error.
    for step in ["0", "-0.5", "-1"] {
        let err = serde_json::from_str::<MeasureUnit>(&format!("\"{step}\"")).unwrap_err();
        let constructor = MeasureUnit::new(dec(step)).unwrap_err().to_string();
        assert!(err.to_string().contains(&constructor), "{step}: {err}");
    }
    // ... also inside a plan.
    let err = serde_json::from_str::<MeasurePlan>(
        r#"{"year": 2025, "calendar": {"kind": {"monthly": {"start": "January"}},
            "naming": "by_start_year"}, "measure": "deals", "target": "10", "unit": "0"}"#,
    )
    .unwrap_err();
    let constructor = MeasureUnit::new(dec("0")).unwrap_err().to_string();
    assert!(err.to_string().contains(&constructor), "{err}");
    // A misspelled field of a plan is refused, by name.
    let err = serde_json::from_str::<MeasurePlan>(
        r#"{"year": 2025, "calendar": {"kind": {"monthly": {"start": "January"}},
            "naming": "by_start_year"}, "measure": "deals", "target": "10", "unti": "1"}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("unknown field `unti`"), "{err}");
    // A reorg's month below zero is refused, naming the amount.
    let err = serde_json::from_str::<ReorgTargets>(
        r#"{"currency": "USD", "months": {"r1": [100, 100, -5, 0, 0, 0, 0, 0, 0, 0, 0, 0]}}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("-0.05"), "{err}");
    // Twelve months, no more.
    assert!(
        serde_json::from_str::<ReorgTargets>(r#"{"currency": "USD", "months": {"r1": [1, 2]}}"#)
            .is_err()
    );
}

#[test]
fn pipeline_options_read_back_without_how_they_run() {
    use salesplan::pipeline::PipelineOptions;

    let march = Period::month(2025, 3).unwrap();
    let options = PipelineOptions::new(march).rounding(RoundingPolicy::HalfEven);
    round_trip(&options).unwrap();
    let json = serde_json::to_string(&options.execution(Execution::Sequential)).unwrap();
    assert!(!json.contains("execution"), "{json}");
    let plain: PipelineOptions =
        serde_json::from_str(r#"{"period": {"start": "2025-03-01", "end": "2025-04-01"}}"#)
            .unwrap();
    assert_eq!(plain, PipelineOptions::new(march));
    let err = serde_json::from_str::<PipelineOptions>(
        r#"{"period": {"start": "2025-04-01", "end": "2025-03-01"}}"#,
    )
    .unwrap_err();
    let constructor = Period::new(date(2025, 4, 1), date(2025, 3, 1))
        .unwrap_err()
        .to_string();
    assert!(err.to_string().contains(&constructor), "{err}");
}

/// Whether a type reads from JSON, asked of a concrete type (the autoref
/// probe: the by-value method needs `DeserializeOwned`, the fallback on
/// the reference does not).
struct Probe<T>(std::marker::PhantomData<T>);
trait Reads {
    fn reads(&self) -> bool {
        true
    }
}
impl<T: DeserializeOwned> Reads for Probe<T> {}
trait DoesNotRead {
    fn reads(&self) -> bool {
        false
    }
}
impl<T> DoesNotRead for &Probe<T> {}
macro_rules! reads {
    ($ty:ty) => {
        (&Probe::<$ty>(std::marker::PhantomData)).reads()
    };
}

#[test]
fn approvals_write_out_and_never_read_back() {
    use quota::{
        ApprovedQuotaChange, ChangeNote, DiffLine, Measures, QuotaChange, QuotaChangeKind,
        QuotaVersion, VersionDiff,
    };
    use salesplan::bonus::{Authority, AuthorityPolicy, Grant, Power};
    use salesplan::org::Role;

    // Only the authority makes an approval: what holds one only writes.
    assert!(!reads!(ApprovedQuotaChange));
    assert!(!reads!(QuotaVersion));
    assert!(!reads!(VersionDiff));
    assert!(reads!(QuotaChange));
    assert!(reads!(DiffLine));
    assert!(reads!(ChangeNote));

    let (snapshot, plan) = versioned();
    let v1 =
        QuotaVersion::from_targets(&plan.cascade(&snapshot, &Measures::new()).unwrap()).unwrap();
    let policy = AuthorityPolicy::new().grants([Grant::new(
        Role::RegionalManager,
        Power::ApproveQuotaRelief {
            up_to: "25%".parse().unwrap(),
        },
    )]);
    let authority = Authority::new(&policy, &snapshot).unwrap();
    let change = QuotaChange::new(
        1,
        QuotaChangeKind::Relief {
            position: PositionId::new("r1").unwrap(),
            amount: Money::parse("60.00", Currency::USD).unwrap(),
        },
        date(2025, 7, 1),
        "lost account",
    );
    let approved = authority
        .approve_quota_change(&PersonId::new("vic").unwrap(), change.clone(), &v1)
        .unwrap();
    let written = serde_json::to_value(&approved).unwrap();
    assert_eq!(written["approved_by"], "vic");
    assert_eq!(
        serde_json::from_value::<QuotaChange>(written["change"].clone()).unwrap(),
        change
    );
    let v2 = v1.apply(&approved).unwrap();
    assert_eq!(serde_json::to_value(&v2).unwrap()["history"][0], written);
    let diff = v1.diff(&v2).unwrap();
    assert_eq!(serde_json::to_value(&diff).unwrap()["changes"][0], written);
    assert!(!diff.lines().is_empty());
    for line in diff.lines() {
        round_trip(line).unwrap();
        assert_eq!(
            line.why()[0].approved_by,
            Some(PersonId::new("vic").unwrap())
        );
    }
}

#[test]
fn pipeline_reports_write_out() {
    use salesplan::calendar::DateRange;
    use salesplan::org::{Org, Position, ReportingLine, Role};
    use salesplan::pipeline::{ForecastAccuracy, Pipeline, PipelineOptions};

    let pos = |s: &str| PositionId::new(s).unwrap();
    let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
    let always = DateRange::starting(date(2025, 1, 1));
    let org = Org::builder()
        .position(Position::new(pos("mgr"), Role::TeamLead))
        .position(Position::new(pos("rep"), Role::SalesRep))
        .line(ReportingLine::top(pos("mgr"), always))
        .line(ReportingLine::new(pos("rep"), pos("mgr"), always))
        .build()
        .unwrap();
    let snapshot = org.as_of(date(2025, 3, 31)).unwrap();
    let pipeline: Pipeline = serde_json::from_str(
        r#"{"currency": "USD",
            "stages": [{"name": "qualify", "probability": "10%"},
                       {"name": "proposal", "probability": "60%"}],
            "opportunities": [
              {"id": "o1", "owner": {"position": "rep"}, "stage": "proposal",
               "amount": "10000.00 USD", "created": "2025-01-05",
               "expected_close": "2025-03-15", "category": "commit"},
              {"id": "o2", "owner": {"position": "rep"}, "stage": "qualify",
               "probability": "25%", "amount": "4000.00 USD", "created": "2025-02-01",
               "expected_close": "2025-03-15"}]}"#,
    )
    .unwrap();
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let totals = pipeline
        .roll_up(&snapshot, PipelineOptions::new(q1))
        .unwrap();
    let team = serde_json::to_value(totals.subtree(pos("mgr")).unwrap()).unwrap();
    assert_eq!(team["open"], "14000.00 USD");
    assert_eq!(team["weighted"], "7000.00 USD");
    let funnel = pipeline.funnel(None).unwrap();
    let written = serde_json::to_value(&funnel).unwrap();
    assert_eq!(written["names"], serde_json::json!(["qualify", "proposal"]));
    for conversion in funnel.conversions() {
        assert!(serde_json::to_value(&conversion).unwrap()["from"].is_string());
    }
    let accuracy = ForecastAccuracy::of(usd("100.00"), usd("90.00")).unwrap();
    assert_eq!(
        serde_json::to_value(accuracy).unwrap()["actual"],
        "90.00 USD"
    );
}
