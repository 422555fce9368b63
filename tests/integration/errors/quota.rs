//! Quota planning: every bad input and its error, naming ids and values.

use rust_decimal::Decimal;
use salesplan::calendar::FiscalCalendar;
use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
use salesplan::quota::{
    Adjustment, Basis, LevelRule, Measures, PersonQuotaOptions, QuotaPlan, Ramp, Seasonality,
};
use salesplan::{AllocationError, Currency, Money, MoneyError, OrgError, Period, QuotaError};

use crate::common::date;
use crate::support::{always, person, pos};

fn usd(a: &str) -> Money {
    Money::parse(a, Currency::USD).unwrap()
}

/// A manager with reps a and b.
fn team() -> Org {
    Org::builder()
        .position(Position::new(pos("mgr"), Role::TeamLead))
        .positions(["a", "b"].map(|r| Position::new(pos(r), Role::SalesRep)))
        .line(ReportingLine::top(pos("mgr"), always()))
        .lines(["a", "b"].map(|r| ReportingLine::new(pos(r), pos("mgr"), always())))
        .assignment(Assignment::new(person("ana"), pos("a"), always()))
        .build()
        .unwrap()
}

fn plan(target: &str) -> QuotaPlan {
    QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd(target))
}

fn by(measure: &str) -> QuotaPlan {
    plan("1000").level(0, LevelRule::new(Basis::Measure(measure.into())))
}

#[test]
fn negative_quota() {
    let org = team();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    assert_eq!(
        plan("-1000")
            .cascade(&snapshot, &Measures::new())
            .unwrap_err(),
        QuotaError::NegativeTarget {
            amount: usd("-1000")
        }
    );
}

#[test]
fn zero_negative_unknown_and_short_weights() {
    let org = team();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let m = |v: [i64; 3]| Measures::new().with("sales", v.map(Decimal::from).to_vec());
    assert_eq!(
        by("sales").cascade(&snapshot, &m([5, 0, 0])).unwrap_err(),
        QuotaError::Allocation {
            manager: pos("mgr"),
            report: None,
            source: Box::new(AllocationError::ZeroWeights)
        }
    );
    assert_eq!(
        by("sales").cascade(&snapshot, &m([5, 3, -2])).unwrap_err(),
        QuotaError::Allocation {
            manager: pos("mgr"),
            report: Some(pos("b")),
            source: Box::new(AllocationError::NegativeWeight {
                index: 1,
                weight: Decimal::from(-2)
            })
        }
    );
    assert_eq!(
        by("potential")
            .cascade(&snapshot, &m([1, 1, 1]))
            .unwrap_err(),
        QuotaError::UnknownMeasure {
            name: "potential".into()
        }
    );
    assert_eq!(
        by("sales")
            .cascade(
                &snapshot,
                &Measures::new().with("sales", vec![Decimal::ONE])
            )
            .unwrap_err(),
        QuotaError::MeasureLength {
            name: "sales".into(),
            expected: 3,
            found: 1
        }
    );
}

#[test]
fn percentages_that_do_not_add_up_to_100() {
    let org = team();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let sixty = "60%".parse().unwrap();
    let measures = Measures::new()
        .with("x", vec![Decimal::ONE; 3])
        .with("y", vec![Decimal::ONE; 3]);
    let plan = plan("1000").level(
        0,
        LevelRule::new(Basis::Blend(vec![(sixty, "x".into()), (sixty, "y".into())])),
    );
    assert_eq!(
        plan.cascade(&snapshot, &measures).unwrap_err(),
        QuotaError::Allocation {
            manager: pos("mgr"),
            report: None,
            source: Box::new(AllocationError::BlendNotWhole {
                sum: Decimal::new(120, 2)
            })
        }
    );
}

#[test]
fn infeasible_floors_and_caps_and_a_floor_in_another_currency() {
    let org = team();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let floors = Measures::new().with_floors(vec![None, Some(usd("800")), Some(usd("800"))]);
    assert_eq!(
        plan("1000").cascade(&snapshot, &floors).unwrap_err(),
        QuotaError::Allocation {
            manager: pos("mgr"),
            report: None,
            source: Box::new(AllocationError::FloorsExceedTotal {
                floors: usd("1600.00"),
                total: usd("1000.00")
            })
        }
    );
    let caps = Measures::new().with_caps(vec![None, Some(usd("100")), Some(usd("100"))]);
    assert!(matches!(
        plan("1000").cascade(&snapshot, &caps).unwrap_err(),
        QuotaError::Allocation { source, .. } if matches!(*source, AllocationError::CapsBelowTotal { .. })
    ));
    let eur = Measures::new().with_floors(vec![
        None,
        Some(Money::parse("1", Currency::EUR).unwrap()),
        None,
    ]);
    assert_eq!(
        plan("1000").cascade(&snapshot, &eur).unwrap_err(),
        QuotaError::Allocation {
            manager: pos("mgr"),
            report: Some(pos("a")),
            source: Box::new(AllocationError::Bound {
                index: 0,
                source: MoneyError::CurrencyMismatch {
                    left: Currency::USD,
                    right: Currency::EUR
                }
            })
        }
    );
}

#[test]
fn seasonality_with_11_or_13_months_negative_or_all_zero() {
    for len in [0usize, 1, 11, 13, 51, 54] {
        assert_eq!(
            Seasonality::from_weights(&vec![Decimal::ONE; len]),
            Err(QuotaError::ProfileLength { len })
        );
    }
    let mut w = [Decimal::ONE; 12];
    w[4] = Decimal::from(-3);
    assert_eq!(
        Seasonality::monthly(w),
        Err(QuotaError::NegativeProfileWeight {
            index: 4,
            weight: Decimal::from(-3)
        })
    );
    assert_eq!(
        Seasonality::quarterly([Decimal::ZERO; 4]),
        Err(QuotaError::ZeroProfile)
    );
    // A weekly profile needs a retail calendar, whose weeks nest in months.
    let weekly = Seasonality::from_weights(&[Decimal::ONE; 52]).unwrap();
    assert_eq!(
        salesplan::quota::YearSplitter::new(&FiscalCalendar::gregorian(), 2025, &weekly)
            .unwrap_err(),
        QuotaError::WeeksCrossMonths
    );
}

#[test]
fn a_negative_capacity_quota_or_a_target_in_another_currency() {
    use salesplan::quota::{CapacityModel, Cohort};
    let minus = Money::parse("-1.00", Currency::USD).unwrap();
    assert_eq!(
        CapacityModel::new(minus, "90%".parse().unwrap()).unwrap_err(),
        QuotaError::NegativeTarget { amount: minus }
    );
    let eur = salesplan::quota::YearSplitter::new(
        &FiscalCalendar::gregorian(),
        2025,
        &Seasonality::flat(),
    )
    .unwrap()
    .split(Money::parse("1200.00", Currency::EUR).unwrap())
    .unwrap();
    let model = CapacityModel::new(
        Money::parse("10.00", Currency::USD).unwrap(),
        "90%".parse().unwrap(),
    )
    .unwrap();
    assert_eq!(
        model
            .against(&eur, &[Cohort::new(date(2025, 1, 1), 1)])
            .unwrap_err(),
        QuotaError::Amount {
            source: MoneyError::CurrencyMismatch {
                left: Currency::EUR,
                right: Currency::USD,
            }
        }
    );
}

#[test]
fn territory_targets_negative_unknown_or_unsplittable() {
    use salesplan::TerritoryId;
    use salesplan::quota::{TerritoryBasis, TerritoryTargets};
    use salesplan::territory::{Territory, TerritoryLine, TerritoryMap};
    let t = |s: &str| TerritoryId::new(s).unwrap();
    let always = salesplan::calendar::DateRange::starting(date(2025, 1, 1));
    let tree = TerritoryMap::builder()
        .territories(["west", "ca", "wa"].map(|s| Territory::new(t(s))))
        .line(TerritoryLine::top(t("west"), always))
        .lines(["ca", "wa"].map(|s| TerritoryLine::new(t(s), t("west"), always)))
        .build()
        .unwrap()
        .as_of(date(2025, 1, 1))
        .unwrap();
    let usd = |a: &str| Money::parse(a, Currency::USD).unwrap();
    assert_eq!(
        TerritoryTargets::cascade(&tree, usd("-1.00"), &TerritoryBasis::Equal).unwrap_err(),
        QuotaError::NegativeTarget {
            amount: usd("-1.00")
        }
    );
    let measure = |pairs: &[(&str, i64)]| {
        TerritoryBasis::LeafMeasure(
            pairs
                .iter()
                .map(|(k, v)| (t(k), Decimal::from(*v)))
                .collect(),
        )
    };
    assert_eq!(
        TerritoryTargets::cascade(&tree, usd("1.00"), &measure(&[("ca", 1), ("tx", 1)]))
            .unwrap_err(),
        QuotaError::UnknownTerritory { territory: t("tx") }
    );
    assert_eq!(
        TerritoryTargets::cascade(&tree, usd("1.00"), &measure(&[("ca", 0)])).unwrap_err(),
        QuotaError::TerritorySplit {
            parent: t("west"),
            source: Box::new(AllocationError::ZeroWeights)
        }
    );
    // A measure is given for the leaves, not for a region.
    assert_eq!(
        TerritoryTargets::cascade(&tree, usd("1.00"), &measure(&[("west", 5), ("ca", 1)]))
            .unwrap_err(),
        QuotaError::MeasureOnInnerTerritory {
            territory: t("west")
        }
    );
    // A zero target needs no weights: every territory gets zero.
    let zero = TerritoryTargets::cascade(&tree, usd("0.00"), &measure(&[("ca", 0)])).unwrap();
    assert_eq!(zero.target(&t("wa")), Some(usd("0.00")));
}

#[test]
fn capacity_over_periods_that_are_not_months_in_order() {
    use salesplan::quota::{CapacityModel, Cohort};
    let model = CapacityModel::new(
        Money::parse("10.00", Currency::USD).unwrap(),
        "90%".parse().unwrap(),
    )
    .unwrap();
    let team = [Cohort::new(date(2024, 1, 1), 3)];
    let m = |k| Period::month(2025, k).unwrap();
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    // (periods, the one named)
    let table = [
        (vec![m(1), m(3)], m(3)),
        (vec![m(2), m(1)], m(1)),
        (vec![q1], q1),
        (vec![m(1), m(1)], m(1)),
    ];
    for (periods, named) in table {
        assert_eq!(
            model.capacity(&periods, &team).unwrap_err(),
            QuotaError::NotMonthByMonth { period: named },
            "{periods:?}"
        );
    }
}

#[test]
fn a_quarter_with_no_working_day_to_share_it_by() {
    // Sundays only, and every Sunday of the first quarter a holiday.
    let sundays = (0..13).map(|w| date(2025, 1, 5) + chrono::Days::new(7 * w));
    let work = salesplan::calendar::WorkCalendar::new([chrono::Weekday::Sun])
        .unwrap()
        .with_holidays(sundays);
    let profile = Seasonality::quarterly([Decimal::ONE; 4])
        .unwrap()
        .months_by(salesplan::quota::MonthSplit::WorkingDays(work));
    assert_eq!(
        salesplan::quota::YearSplitter::new(&FiscalCalendar::gregorian(), 2025, &profile)
            .unwrap_err(),
        QuotaError::NoWorkingDays {
            quarter: Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap()
        }
    );
}

#[test]
fn adjustments_in_another_currency_outside_the_year_or_beyond_the_target() {
    let org = team();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let targets = plan("1200").cascade(&snapshot, &Measures::new()).unwrap();
    let march = Period::month(2025, 3).unwrap();
    let relief = |position: &str, period: Period, amount: Money| Adjustment::Relief {
        position: pos(position),
        period,
        amount,
        reason: "lost account".into(),
    };
    assert_eq!(
        targets
            .adjusted(&[relief("a", march, usd("50.01"))])
            .unwrap_err(),
        QuotaError::ReliefExceedsTarget {
            position: pos("a"),
            amount: usd("50.01")
        }
    );
    assert!(
        targets
            .adjusted(&[relief("a", march, usd("50.00"))])
            .is_ok()
    );
    assert_eq!(
        targets
            .adjusted(&[relief("zz", march, usd("1"))])
            .unwrap_err(),
        QuotaError::UnknownPosition {
            position: pos("zz")
        }
    );
    let next_year = Period::month(2026, 3).unwrap();
    assert_eq!(
        targets
            .adjusted(&[relief("a", next_year, usd("1"))])
            .unwrap_err(),
        QuotaError::PeriodOutsidePlan { period: next_year }
    );
    assert_eq!(
        targets
            .adjusted(&[relief(
                "a",
                march,
                Money::parse("1", Currency::EUR).unwrap()
            )])
            .unwrap_err(),
        QuotaError::Amount {
            source: MoneyError::CurrencyMismatch {
                left: Currency::USD,
                right: Currency::EUR
            }
        }
    );
}

#[test]
fn person_quotas_for_unknown_people_and_hires_outside_the_period() {
    let org = team();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let targets = plan("1200").cascade(&snapshot, &Measures::new()).unwrap();
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    assert_eq!(
        targets
            .person_quota(&person("ghost"), &q1, &PersonQuotaOptions::new())
            .unwrap_err(),
        QuotaError::Org {
            source: OrgError::UnknownPerson {
                person: person("ghost")
            }
        }
    );
    let late = PersonQuotaOptions::new().ramp(Ramp::none(), date(2025, 4, 1));
    assert_eq!(
        targets
            .person_quota(&person("ana"), &q1, &late)
            .unwrap_err(),
        QuotaError::HireOutsidePeriod {
            hire: date(2025, 4, 1),
            period: q1
        }
    );
    let outside = Period::new(date(2026, 1, 1), date(2026, 4, 1)).unwrap();
    assert_eq!(
        targets
            .person_quota(&person("ana"), &outside, &PersonQuotaOptions::new())
            .unwrap_err(),
        QuotaError::PeriodOutsidePlan { period: outside }
    );
}

#[test]
fn a_leaver_outside_the_period_has_no_quota_lines_not_an_error() {
    // Decided: a departure before the period is not a bad input (a payroll
    // loop over everyone ever employed asks for it); the person held no
    // seat, so the quota is zero with no lines. A person the org never
    // knew is the error (above).
    use salesplan::calendar::DateRange;
    let org = Org::builder()
        .position(Position::new(pos("mgr"), Role::TeamLead))
        .position(Position::new(pos("a"), Role::SalesRep))
        .line(ReportingLine::top(pos("mgr"), always()))
        .line(ReportingLine::new(pos("a"), pos("mgr"), always()))
        .assignment(Assignment::new(
            person("leo"),
            pos("a"),
            DateRange::new(date(2025, 1, 1), Some(date(2025, 3, 1))).unwrap(),
        ))
        .build()
        .unwrap();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let targets = plan("1200").cascade(&snapshot, &Measures::new()).unwrap();
    let q2 = Period::new(date(2025, 4, 1), date(2025, 7, 1)).unwrap();
    let q = targets
        .person_quota(&person("leo"), &q2, &PersonQuotaOptions::new())
        .unwrap();
    assert!(q.lines.is_empty());
    assert_eq!(q.total, usd("0"));
    // Leaving on 1 March, inside Q1: January and February only.
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    let q = targets
        .person_quota(&person("leo"), &q1, &PersonQuotaOptions::new())
        .unwrap();
    assert_eq!(q.lines.len(), 2);
    assert_eq!(q.total, usd("200"));
}

#[test]
fn adjustments_must_be_positive_and_lookups_must_be_in_range() {
    let org = team();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let targets = plan("1200").cascade(&snapshot, &Measures::new()).unwrap();
    let march = Period::month(2025, 3).unwrap();
    for amount in ["0", "-10"] {
        assert_eq!(
            targets
                .adjusted(&[Adjustment::Relief {
                    position: pos("a"),
                    period: march,
                    amount: usd(amount),
                    reason: "x".into()
                }])
                .unwrap_err(),
            QuotaError::NonPositiveAdjustment {
                amount: usd(amount)
            }
        );
    }
    let node = snapshot.node(&pos("a")).unwrap().index();
    assert_eq!(
        targets.month(node, 12).unwrap_err(),
        QuotaError::MonthOutOfRange { month: 12 }
    );
    // A node index from a bigger snapshot.
    let big = crate::support::RandomTree {
        parents: vec![None, Some(0), Some(0), Some(1), Some(1)],
        order: (0..5).collect(),
    }
    .org();
    let big_snapshot = big.as_of(date(2025, 1, 1)).unwrap();
    let far = big_snapshot
        .node(&crate::support::RandomTree::id(4))
        .unwrap()
        .index();
    let out = QuotaError::ForeignNode { index: far.index() };
    assert!(far.index() >= snapshot.len());
    assert_eq!(targets.annual(far).unwrap_err(), out);
    assert_eq!(targets.split(far).unwrap_err(), out);
    assert_eq!(targets.explain(far).unwrap_err(), out);
    // An index in range, of another snapshot of the same org: refused too.
    let again = org.as_of(snapshot.date()).unwrap();
    let root = again.root().index();
    let out = QuotaError::ForeignNode { index: 0 };
    assert_eq!(targets.annual(root).unwrap_err(), out);
    assert_eq!(targets.month(root, 0).unwrap_err(), out);
    assert!(!targets.carries_quota(root));
}

#[test]
fn floors_must_cover_every_position_and_the_top_must_carry_quota() {
    let org = team();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let short = Measures::new().with_floors(vec![None, Some(usd("1"))]);
    assert_eq!(
        plan("1000").cascade(&snapshot, &short).unwrap_err(),
        QuotaError::MeasureLength {
            name: "floors".into(),
            expected: 3,
            found: 2
        }
    );
    assert_eq!(
        plan("1000")
            .exclude(Role::TeamLead)
            .cascade(&snapshot, &Measures::new())
            .unwrap_err(),
        QuotaError::TopExcluded {
            position: pos("mgr")
        }
    );
}

#[test]
fn last_years_actuals_must_share_a_currency() {
    let mut actuals = [usd("10"); 12];
    actuals[7] = Money::parse("10", Currency::EUR).unwrap();
    assert_eq!(
        Seasonality::from_actuals(&actuals),
        Err(QuotaError::Amount {
            source: MoneyError::CurrencyMismatch {
                left: Currency::USD,
                right: Currency::EUR
            }
        })
    );
}

/// Issue #27, defect 8: months set one by one whose quarter does not add
/// up in 128 bits are an error naming the quarter. Failed before: the sum
/// saturated at `i128::MAX`, and the error (if any) named no period.
#[test]
fn months_whose_quarter_overflows_name_the_quarter() {
    use salesplan::quota::YearSplitter;
    let year = YearSplitter::new(&FiscalCalendar::gregorian(), 2025, &Seasonality::flat()).unwrap();
    let e = year
        .from_months(&[i128::MAX; 12], Currency::USD)
        .unwrap_err();
    let q1 = Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap();
    assert_eq!(e, QuotaError::SumOverflow { period: q1 });
    assert_eq!(
        QuotaError::try_from(salesplan::Error::from(e.clone())).unwrap(),
        e
    );
    assert!(e.to_string().contains("[2025-01-01, 2025-04-01)"), "{e}");
    // Quarters that fit but a year that does not name the year.
    let mut months = [0i128; 12];
    months[0] = i128::MAX;
    months[3] = i128::MAX;
    assert_eq!(
        year.from_months(&months, Currency::USD).unwrap_err(),
        QuotaError::SumOverflow {
            period: Period::year(2025).unwrap()
        }
    );
}

/// Issue #27, defect 8: a ramp over periods whose days add up past a
/// `u32` is an error naming the hire date and how many periods. Failed
/// before: the day count saturated and the ramp factor came out wrong.
#[test]
fn ramp_periods_whose_days_overflow_name_the_hire() {
    let longest = Period::new(chrono::NaiveDate::MIN, chrono::NaiveDate::MAX).unwrap();
    let periods = vec![longest; 23];
    let ramp = Ramp::new(["50%".parse().unwrap()]);
    let hired = date(2025, 1, 1);
    let e = ramp.factor_over(hired, &periods).unwrap_err();
    assert_eq!(
        e,
        QuotaError::RampDaysOverflow {
            hire: hired,
            periods: 23
        }
    );
    assert!(e.to_string().contains("2025-01-01"), "{e}");
    assert!(ramp.factor_over(hired, &periods[..2]).is_ok());
}

/// `QuotaError::HeldUnits` names the seat, the month and its units. The
/// org never lets two people hold one seat on one day, so a person quota
/// cannot reach it; it is what the units held would say if it did.
#[test]
fn units_held_beyond_the_month_name_the_seat_and_month() {
    let e = QuotaError::HeldUnits {
        position: pos("a"),
        month: Period::month(2025, 2).unwrap(),
        total: 28,
    };
    assert_eq!(
        QuotaError::try_from(salesplan::Error::from(e.clone())).unwrap(),
        e
    );
    assert_eq!(
        e.to_string(),
        "the stretches a was held in [2025-02-01, 2025-03-01) add up to more than its 28 units"
    );
}

/// Issue #27, defect 2: every quota type read from JSON refuses a field it
/// does not know, naming it. Failed before: a misspelled field was dropped
/// and the value read as if it were absent.
#[cfg(feature = "serde")]
#[test]
fn unknown_fields_are_refused_by_every_quota_type() {
    use super::calendar::refuses_an_unknown_field;
    let org = team();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let half: salesplan::Percent = "50%".parse().unwrap();
    let rule = LevelRule::new(Basis::Blend(vec![(half, "x".into()), (half, "y".into())]))
        .over_assign("110%".parse().unwrap());
    let full = plan("1000.00")
        .seasonality(Seasonality::quarterly([1, 2, 3, 4].map(Decimal::from)).unwrap())
        .level(0, rule.clone());
    let measures = Measures::new()
        .with("x", vec![Decimal::ONE; 3])
        .with("y", vec![Decimal::TWO; 3])
        .with_caps(vec![None, Some(usd("600.00")), None]);
    let ramp = Ramp::new(["0%".parse().unwrap(), "50%".parse().unwrap()]);
    refuses_an_unknown_field(&ramp);
    refuses_an_unknown_field(&Seasonality::flat());
    refuses_an_unknown_field(&rule);
    refuses_an_unknown_field(&measures);
    refuses_an_unknown_field(&full);
    refuses_an_unknown_field(&PersonQuotaOptions::new().ramp(ramp, date(2025, 2, 1)));
    let targets = full.cascade(&snapshot, &measures).unwrap();
    for row in targets.gap_report().unwrap() {
        refuses_an_unknown_field(&row);
    }
    for node in snapshot.nodes() {
        refuses_an_unknown_field(&targets.explain(node.index()).unwrap());
    }
    // Inside an adjustment's variant.
    let relief = Adjustment::Relief {
        position: pos("a"),
        period: Period::month(2025, 3).unwrap(),
        amount: usd("10.00"),
        reason: "leave".into(),
    };
    let mut json = serde_json::to_value(&relief).unwrap();
    assert_eq!(
        serde_json::from_value::<Adjustment>(json.clone()).unwrap(),
        relief
    );
    json["relief"]["surplus"] = serde_json::json!(1);
    let err = serde_json::from_value::<Adjustment>(json).unwrap_err();
    assert!(err.to_string().contains("unknown field `surplus`"), "{err}");
    // The misspelled cap of the issue: refused, not ignored.
    let err = serde_json::from_str::<Measures>(r#"{"named": {}, "cap": [null]}"#).unwrap_err();
    assert!(err.to_string().contains("unknown field `cap`"), "{err}");
}

/// Optional fields of quota types default as their constructors do, so a
/// plan that gives only what `QuotaPlan::new` needs reads as that plan.
#[cfg(feature = "serde")]
#[test]
fn optional_quota_fields_default_like_the_constructors() {
    let minimal: QuotaPlan = serde_json::from_str(
        r#"{"year": 2025, "target": "1000.00 USD",
            "calendar": {"kind": {"monthly": {"start": "January"}}, "naming": "by_start_year"}}"#,
    )
    .unwrap();
    assert_eq!(minimal, plan("1000.00"));
    let rule: LevelRule = serde_json::from_str(r#"{"basis": "equal"}"#).unwrap();
    assert_eq!(rule, LevelRule::new(Basis::Equal));
    assert_eq!(
        serde_json::from_str::<Measures>("{}").unwrap(),
        Measures::new()
    );
    assert_eq!(serde_json::from_str::<Ramp>("{}").unwrap(), Ramp::none());
    assert_eq!(
        serde_json::from_str::<PersonQuotaOptions>("{}").unwrap(),
        PersonQuotaOptions::new()
    );
    // What `new` requires stays required, by name.
    let err = serde_json::from_str::<QuotaPlan>(r#"{"year": 2025, "target": "1000.00 USD"}"#)
        .unwrap_err();
    assert!(
        err.to_string().contains("missing field `calendar`"),
        "{err}"
    );
}
