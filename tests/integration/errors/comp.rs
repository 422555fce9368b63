//! Bad commission plans and inputs: each rejected with its variant and
//! the values involved.

use salesplan::calendar::DateRange;
use salesplan::comp::{
    Cap, Commissions, CompPeriod, CompPlan, Component, Draw, Gate, GateHolds, GatePeriod,
    Multiplier, PayRate, PlanAssignment, PlanAssignments, RateTable, TierBasis, TierMethod,
};
use salesplan::credit::CreditBasis;
use salesplan::{CompError, Currency, Money, PlanId};

use crate::common::dec;
use crate::support::comp::*;
use crate::support::credit::{sale, usd};
use crate::support::person;

fn tiered(rows: &[(&str, &str, &str)]) -> Result<CompPlan, CompError> {
    builder()
        .component(Component::new(
            "Revenue",
            CreditBasis::Revenue,
            CompPeriod::Quarter,
            tiers(TierBasis::Measure, TierMethod::Marginal, rows),
        ))
        .build()
}

fn flat() -> Component {
    Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Quarter,
        RateTable::Flat(pct("10%")),
    )
}

#[test]
fn bad_tiers() {
    let s = |x: &str| String::from(x);
    type Rows<'a> = &'a [(&'a str, &'a str, &'a str)];
    let cases: Vec<(Rows<'_>, CompError)> = vec![
        (
            &[("1000", "5000", "10%"), ("5000", "", "12%")],
            CompError::TierStart {
                component: s("Revenue"),
                from: dec("1000"),
            },
        ),
        (
            &[("0", "5000", "10%"), ("6000", "", "12%")],
            CompError::TierGap {
                component: s("Revenue"),
                tier: 1,
                from: dec("6000"),
                previous_to: dec("5000"),
            },
        ),
        (
            &[("0", "5000", "10%"), ("4000", "", "12%")],
            CompError::TierOverlap {
                component: s("Revenue"),
                tier: 1,
                from: dec("4000"),
                previous_to: dec("5000"),
            },
        ),
        // Unsorted: the higher tier first.
        (
            &[
                ("0", "5000", "10%"),
                ("5000", "9000", "12%"),
                ("0", "", "8%"),
            ],
            CompError::TierOverlap {
                component: s("Revenue"),
                tier: 2,
                from: dec("0"),
                previous_to: dec("9000"),
            },
        ),
        (
            &[("0", "0", "10%"), ("0", "", "12%")],
            CompError::TierOrder {
                component: s("Revenue"),
                tier: 0,
                from: dec("0"),
                to: dec("0"),
            },
        ),
        (
            &[("0", "", "10%"), ("5000", "", "12%")],
            CompError::OpenTier {
                component: s("Revenue"),
                tier: 0,
            },
        ),
        (
            &[("0", "5000", "10%")],
            CompError::ClosedLastTier {
                component: s("Revenue"),
                to: dec("5000"),
            },
        ),
        (
            &[],
            CompError::NoTiers {
                component: s("Revenue"),
            },
        ),
    ];
    for (rows, expected) in cases {
        assert_eq!(tiered(rows).unwrap_err(), expected, "{rows:?}");
    }
}

#[test]
fn negative_rates() {
    // A negative percentage cannot even be written.
    assert!("-10%".parse::<salesplan::Rate>().is_err());
    // A negative amount per deal is rejected when the plan is built.
    let err = builder()
        .component(Component::new(
            "Deals",
            CreditBasis::DealCount,
            CompPeriod::Quarter,
            RateTable::Flat(PayRate::PerUnit(usd("-50"))),
        ))
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        CompError::NegativeRate {
            component: "Deals".into(),
            tier: None,
            rate: dec("-50")
        }
    );
    // So is a percentage on a count.
    let err = builder()
        .component(Component::new(
            "Deals",
            CreditBasis::DealCount,
            CompPeriod::Quarter,
            RateTable::Flat(pct("10%")),
        ))
        .build()
        .unwrap_err();
    assert!(matches!(err, CompError::RateUnit { .. }));
}

#[test]
#[cfg(feature = "serde")]
fn negative_rate_in_json_is_rejected() {
    let json = serde_json::to_string(&plan(vec![flat()])).unwrap();
    let bad = json.replace("\"10%\"", "\"-10%\"");
    assert!(serde_json::from_str::<CompPlan>(&bad).is_err());
}

#[test]
fn cap_below_a_threshold() {
    let cases = [
        (
            flat()
                .multiplier(Multiplier::above(rate("120%"), rate("150%")))
                .cap(Cap::Attainment(rate("110%"))),
            "1.1",
            "1.2",
        ),
        (
            flat()
                .gate(Gate::new(
                    rate("80%"),
                    GatePeriod::Year,
                    GateHolds::Everything,
                ))
                .cap(Cap::Attainment(rate("80%"))),
            "0.8",
            "0.8",
        ),
    ];
    for (component, cap, threshold) in cases {
        let err = builder().component(component).build().unwrap_err();
        assert_eq!(
            err,
            CompError::CapBelowThreshold {
                component: "Revenue".into(),
                cap: dec(cap),
                threshold: dec(threshold)
            }
        );
    }
    let err = builder()
        .component(flat().minimum(usd("500")).cap(Cap::PerPeriod(usd("400"))))
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        CompError::MinimumAboveCap {
            component: "Revenue".into(),
            minimum: dec("500"),
            cap: dec("400")
        }
    );
    let err = builder()
        .component(flat().cap(Cap::PerPeriod(usd("-1"))))
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        CompError::NegativeAmount {
            component: "Revenue".into(),
            amount: usd("-1")
        }
    );
}

#[test]
fn negative_draw() {
    let err = builder()
        .component(flat())
        .draw(Draw::Recoverable {
            amount: usd("-1000"),
            during: DateRange::starting(d(1, 1)),
            recover_from: None,
            floor: usd("0"),
        })
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        CompError::NegativeDraw {
            plan: PlanId::new("AE-2025").unwrap(),
            amount: usd("-1000")
        }
    );
}

#[test]
fn duplicate_and_missing_components() {
    let err = builder()
        .component(flat())
        .component(flat())
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        CompError::DuplicateComponent {
            plan: PlanId::new("AE-2025").unwrap(),
            component: "Revenue".into()
        }
    );
    assert_eq!(
        builder().build().unwrap_err(),
        CompError::NoComponents {
            plan: PlanId::new("AE-2025").unwrap()
        }
    );
    let err = builder()
        .component(flat().cap(Cap::PerPeriod(Money::parse("10", Currency::EUR).unwrap())))
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        CompError::Currency {
            component: "Revenue".into(),
            expected: Currency::USD,
            found: Currency::EUR
        }
    );
}

#[test]
fn overlapping_plan_versions() {
    let on = |plan: &str, from: u32, until: Option<u32>| PlanAssignment {
        person: person("ana"),
        plan: PlanId::new(plan).unwrap(),
        during: DateRange::new(d(from, 1), until.map(|m| d(m, 1))).unwrap(),
    };
    let err = PlanAssignments::new(vec![on("v2", 6, None), on("v1", 1, Some(7))]).unwrap_err();
    assert_eq!(
        err,
        CompError::OverlappingAssignments {
            person: person("ana"),
            first: PlanId::new("v1").unwrap(),
            second: PlanId::new("v2").unwrap(),
            day: d(6, 1),
        }
    );
}

#[test]
fn a_component_whose_measure_the_credits_do_not_provide() {
    let plan = plan(vec![Component::new(
        "Units",
        CreditBasis::Units,
        CompPeriod::Quarter,
        RateTable::Flat(PayRate::PerUnit(usd("5"))),
    )]);
    let revenue = run(
        CreditBasis::Revenue,
        &[sale("T1", d(1, 5), "100", &[("r1", "100%")])],
    );
    let err = Commissions::new(&plan, &[&revenue]).unwrap_err();
    assert_eq!(
        err,
        CompError::MissingMeasure {
            component: "Units".into(),
            measure: CreditBasis::Units
        }
    );
    let err = Commissions::new(&plan, &[&revenue, &revenue]).unwrap_err();
    assert_eq!(
        err,
        CompError::DuplicateMeasure {
            measure: CreditBasis::Revenue
        }
    );
}

#[test]
fn missing_or_zero_quota_for_an_attainment_component() {
    let plan = plan(vec![
        flat().multiplier(Multiplier::above(rate("100%"), rate("150%"))),
    ]);
    let txs = [sale("T1", d(1, 5), "100", &[("r1", "100%")])];
    let err = statements(&plan, &txs, &salesplan::comp::Quotas::new(), &[], d(3, 31)).unwrap_err();
    assert_eq!(
        err,
        CompError::MissingQuota {
            person: ana(),
            period: quarter(1)
        }
    );
    let err = statements(&plan, &txs, &quarterly("0"), &[], d(3, 31)).unwrap_err();
    assert_eq!(
        err,
        CompError::ZeroQuota {
            person: ana(),
            component: "Revenue".into(),
            period: quarter(1)
        }
    );
    // Quotas for January and February only do not cover the quarter.
    let months = monthly("100");
    let two_months = salesplan::comp::Quotas::new()
        .revenue(month(1), usd("1"))
        .revenue(month(2), usd("1"));
    assert!(statements(&plan, &txs, &months, &[], d(3, 31)).is_ok());
    let err = statements(&plan, &txs, &two_months, &[], d(3, 31)).unwrap_err();
    assert_eq!(
        err,
        CompError::MissingQuota {
            person: ana(),
            period: quarter(1)
        }
    );
}

#[test]
fn through_outside_the_year_and_foreign_locked_statements() {
    let plan = plan(vec![flat()]);
    let txs = [sale("T1", d(1, 5), "100", &[("r1", "100%")])];
    let err = statements(
        &plan,
        &txs,
        &quarterly("1"),
        &[],
        crate::common::date(2026, 1, 1),
    )
    .unwrap_err();
    assert!(matches!(err, CompError::OutsideYear { .. }));
    let q1 = statements(&plan, &txs, &quarterly("1"), &[], d(3, 31)).unwrap();
    let mut other = q1[0].clone();
    other.person = person("ben");
    let err = statements(&plan, &txs, &quarterly("1"), &[other], d(6, 30)).unwrap_err();
    assert_eq!(
        err,
        CompError::ForeignStatement {
            person: ana(),
            plan: PlanId::new("AE-2025").unwrap(),
            period: quarter(1)
        }
    );
    // Locking Q2 without Q1 leaves a hole.
    let q2 = statements(&plan, &txs, &quarterly("1"), &[], d(6, 30)).unwrap();
    let err = statements(&plan, &txs, &quarterly("1"), &[q2[1].clone()], d(9, 30)).unwrap_err();
    assert_eq!(
        err,
        CompError::ForeignStatement {
            person: ana(),
            plan: PlanId::new("AE-2025").unwrap(),
            period: quarter(2)
        }
    );
}

#[test]
fn unknown_component_in_a_payout_curve() {
    let err = plan(vec![flat()])
        .payout_curve("Margin", usd("100"), &[rate("50%")])
        .unwrap_err();
    assert_eq!(
        err,
        CompError::UnknownComponent {
            component: "Margin".into()
        }
    );
}

#[test]
fn qualifying_components_need_the_deals() {
    let group = salesplan::ProductGroupId::new("g").unwrap();
    let plan = plan(vec![
        flat().qualifies(vec![salesplan::comp::Qualifier::ProductGroup(group)]),
    ]);
    let txs = [sale("T1", d(1, 5), "100", &[("r1", "100%")])];
    let revenue = run(CreditBasis::Revenue, &txs);
    let err = Commissions::new(&plan, &[&revenue])
        .unwrap()
        .statements(&ana(), &quarterly("1"), &[], d(3, 31))
        .unwrap_err();
    assert_eq!(
        err,
        CompError::UnknownDeal {
            component: "Revenue".into(),
            sale: crate::support::credit::tid("T1")
        }
    );
}

/// A credit run stored as JSON (say, by the CRM) and edited before it
/// comes back: the crediting checks did not see the edit, so the
/// commission engine checks reversals against the deals again.
#[cfg(feature = "serde")]
fn edited_run(
    txs: &[salesplan::credit::Transaction],
    edit: impl Fn(&mut Vec<serde_json::Value>),
) -> salesplan::credit::CreditRun {
    let mut json = serde_json::to_value(run(CreditBasis::Revenue, txs)).unwrap();
    let lines = json["lines"].as_array_mut().unwrap();
    edit(lines);
    serde_json::from_value(json).unwrap()
}

#[cfg(feature = "serde")]
#[test]
fn clawbacks_of_unknown_deals_of_more_than_the_deal_or_dated_before_it() {
    use crate::support::credit::{refund, tid};
    use salesplan::error::Overdrawn;
    let plan = plan(vec![flat()]);
    let txs = [
        sale("SO-1", d(1, 10), "1000", &[("r1", "100%")]),
        refund("CN-1", d(4, 11), "-400", "SO-1"),
    ];
    let is_sale = |l: &serde_json::Value| l["transaction"] == "SO-1";
    let is_refund = |l: &serde_json::Value| l["transaction"] == "CN-1";
    let compute = |run: &salesplan::credit::CreditRun| {
        Commissions::new(&plan, &[run])
            .unwrap()
            .statements(&ana(), &quarterly("1"), &[], d(6, 30))
            .unwrap_err()
    };
    // The deal's lines are gone: the clawback reverses an unknown deal.
    let unknown = edited_run(&txs, |lines| lines.retain(|l| !is_sale(l)));
    assert_eq!(
        compute(&unknown),
        CompError::ClawbackUnknownDeal {
            person: ana(),
            transaction: tid("CN-1"),
            sale: tid("SO-1")
        }
    );
    // The return grew to 1,400 on a deal that credited 1,000.
    let more = edited_run(&txs, |lines| {
        for l in lines.iter_mut().filter(|l| is_refund(l)) {
            l["amount"] = serde_json::json!("-1400");
        }
    });
    match compute(&more) {
        CompError::ClawbackExceeds(over) => {
            let Overdrawn {
                person,
                transaction,
                sale,
                reversed,
                credited,
                ..
            } = *over;
            assert_eq!(
                (person, transaction, sale),
                (ana(), tid("CN-1"), tid("SO-1"))
            );
            assert_eq!((reversed, credited), (dec("1400"), dec("1000")));
        }
        other => panic!("expected ClawbackExceeds, got {other:?}"),
    }
    // The deal credited (say, invoiced) only after its return.
    let early = edited_run(&txs, |lines| {
        for l in lines.iter_mut().filter(|l| is_sale(l)) {
            l["date"] = serde_json::json!("2025-05-02");
        }
    });
    assert_eq!(
        compute(&early),
        CompError::ClawbackBeforeDeal {
            person: ana(),
            transaction: tid("CN-1"),
            sale: tid("SO-1"),
            date: d(4, 11),
            sale_date: d(5, 2)
        }
    );
    // A return dated before the deal's booking no longer passes as a run.
    let mut json = serde_json::to_value(run(CreditBasis::Revenue, &txs)).unwrap();
    for l in json["lines"].as_array_mut().unwrap() {
        if is_refund(l) {
            l["date"] = serde_json::json!("2025-01-05");
        }
    }
    let err = serde_json::from_value::<salesplan::credit::CreditRun>(json).unwrap_err();
    assert!(
        err.to_string()
            .contains("its org date 2025-01-10 is after its credit date 2025-01-05"),
        "{err}"
    );
}

#[test]
fn feeds_the_crediting_rejects_never_reach_a_statement() {
    // Duplicate ids, and reversals of an unknown deal, of more than the
    // deal or dated before it, are stopped by the crediting (each named in
    // errors/credit.rs); here, the same feeds through the umbrella error.
    use crate::support::credit::{refund, tid};
    use salesplan::CreditError;
    use salesplan::credit::{CreditPlan, Crediting};
    let credit = |txs: &[salesplan::credit::Transaction]| {
        Crediting::new(
            &crate::support::credit::region(),
            &CreditPlan::new(CreditBasis::Revenue, Currency::USD),
        )
        .run(txs)
        .map_err(salesplan::Error::from)
        .unwrap_err()
    };
    let sale1 = sale("SO-1", d(1, 10), "1000", &[("r1", "100%")]);
    let cases = [
        (
            vec![
                sale1.clone(),
                sale("SO-1", d(1, 11), "5", &[("r1", "100%")]),
            ],
            CreditError::DuplicateTransaction {
                transaction: tid("SO-1"),
            },
        ),
        (
            vec![sale1.clone(), refund("CN-1", d(2, 1), "-1", "SO-9")],
            CreditError::UnknownOriginal {
                transaction: tid("CN-1"),
                original: tid("SO-9"),
            },
        ),
        (
            vec![sale1.clone(), refund("CN-1", d(2, 1), "-1000.01", "SO-1")],
            CreditError::ExceedsOriginal {
                transaction: tid("CN-1"),
                original: tid("SO-1"),
                total: dec("1000.01"),
                original_amount: dec("1000"),
            },
        ),
        (
            vec![sale1.clone(), refund("CN-1", d(1, 9), "-1", "SO-1")],
            CreditError::BeforeOriginal {
                transaction: tid("CN-1"),
                date: d(1, 9),
                original: tid("SO-1"),
                original_date: d(1, 10),
            },
        ),
    ];
    for (feed, want) in cases {
        assert_eq!(credit(&feed), salesplan::Error::Credit(want));
    }
}

#[test]
fn a_late_deal_into_a_locked_period_is_an_adjustment_never_a_change() {
    use salesplan::comp::Explanation;
    let plan = plan(vec![Component::new(
        "Revenue",
        CreditBasis::Revenue,
        CompPeriod::Month,
        RateTable::Flat(pct("10%")),
    )]);
    let first = [sale("JAN", d(1, 10), "4000", &[("r1", "100%")])];
    let january = statements(&plan, &first, &monthly("1"), &[], d(1, 31)).unwrap();
    // A January deal booked after January was locked.
    let mut later = first.to_vec();
    later.push(sale("LATE", d(1, 28), "1000", &[("r1", "100%")]));
    let s = statements(&plan, &later, &monthly("1"), &january, d(2, 28)).unwrap();
    assert_eq!(
        s[0], january[0],
        "the locked statement comes back unchanged"
    );
    let adjustment = s[1]
        .lines()
        .iter()
        .find_map(|l| match &l.explanation {
            Explanation::Adjustment(a) => Some(a.clone()),
            _ => None,
        })
        .expect("an adjustment line in February");
    assert_eq!(adjustment[0].period, month(1));
    assert_eq!(
        (adjustment[0].now, adjustment[0].paid),
        (usd("500.00"), usd("400.00"))
    );
}
