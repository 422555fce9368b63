//! A year of quota changes in one region, version by version: a transfer,
//! a relief, a new hire and a mid-year reorg, each approved by the
//! authority policy, and the diff that explains the year.

use salesplan::bonus::{Authority, AuthorityPolicy, Grant, Power};
use salesplan::calendar::{DateRange, FiscalCalendar};
use salesplan::org::{Assignment, Org, OrgBuilder, Position, ReportingLine, Role};
use salesplan::quota::{
    ChangeReason, Measures, QuotaChange, QuotaChangeKind, QuotaPlan, QuotaVersion, ReorgTargets,
};
use salesplan::{Currency, Money};

use crate::common::date;
use crate::support::{always, person, pos};

fn usd(a: &str) -> Money {
    Money::parse(a, Currency::USD).unwrap()
}

/// vp (vic) > east (eve) > a (ana), b (ben); west (wes) > c (cat), d (dan),
/// and from 1 July e (eli); `b_under` is b's manager.
fn region(b_under: &str) -> OrgBuilder {
    let july = DateRange::starting(date(2025, 7, 1));
    Org::builder()
        .position(Position::new(pos("vp"), Role::RegionalManager))
        .positions(["east", "west"].map(|m| Position::new(pos(m), Role::TeamLead)))
        .positions(["a", "b", "c", "d", "e"].map(|r| Position::new(pos(r), Role::SalesRep)))
        .line(ReportingLine::top(pos("vp"), always()))
        .lines(["east", "west"].map(|m| ReportingLine::new(pos(m), pos("vp"), always())))
        .line(ReportingLine::new(pos("a"), pos("east"), always()))
        .line(ReportingLine::new(pos("b"), pos(b_under), always()))
        .lines(["c", "d"].map(|r| ReportingLine::new(pos(r), pos("west"), always())))
        .line(ReportingLine::new(pos("e"), pos("west"), july))
        .assignments(
            [
                ("vic", "vp"),
                ("eve", "east"),
                ("wes", "west"),
                ("ana", "a"),
                ("ben", "b"),
                ("cat", "c"),
                ("dan", "d"),
            ]
            .map(|(p, s)| Assignment::new(person(p), pos(s), always())),
        )
        .assignment(Assignment::new(person("eli"), pos("e"), july))
}

#[test]
fn a_year_of_approved_changes_and_the_diff_that_explains_it() {
    let org = region("east").build().unwrap();
    let january = org.as_of(date(2025, 1, 1)).unwrap();
    let plan = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("2400000.00"));
    let v1 =
        QuotaVersion::from_targets(&plan.cascade(&january, &Measures::new()).unwrap()).unwrap();
    assert_eq!(v1.annual(&pos("a")).unwrap(), usd("600000.00"));
    let policy = AuthorityPolicy::new().grants([
        Grant::new(
            Role::RegionalManager,
            Power::ApproveQuotaRelief {
                up_to: "25%".parse().unwrap(),
            },
        ),
        Grant::new(
            Role::RegionalManager,
            Power::Custom(Authority::NEW_HIRE_QUOTA.into()),
        ),
        Grant::new(
            Role::RegionalManager,
            Power::Custom(Authority::QUOTA_REORG.into()),
        ),
    ]);
    let approve = |on, kind, effective, note: &str, version: &QuotaVersion| {
        let snapshot = org.as_of(on).unwrap();
        let authority = Authority::new(&policy, &snapshot).unwrap();
        let change = QuotaChange::new(version.number(), kind, effective, note);
        version
            .apply(
                &authority
                    .approve_quota_change(&person("vic"), change, version)
                    .unwrap(),
            )
            .unwrap()
    };
    // What-if, before asking anyone: a relief of 60,000 for a from July.
    let what_if = v1
        .what_if(&QuotaChange::new(
            1,
            QuotaChangeKind::Relief {
                position: pos("a"),
                amount: usd("60000.00"),
            },
            date(2025, 7, 1),
            "what if",
        ))
        .unwrap();
    let shown: Vec<String> = what_if.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        ["a: 600000.00 USD -> 540000.00 USD (relief: what if)"]
    );
    assert_eq!(what_if[0].why()[0].approved_by, None);
    assert_eq!(what_if[0].after().unwrap()[6], usd("40000.00"));
    // 1. An account moves from a to b from April: 30,000 over 9 months.
    let v2 = approve(
        date(2025, 3, 20),
        QuotaChangeKind::Transfer {
            from: pos("a"),
            to: pos("b"),
            amount: usd("30000.00"),
        },
        date(2025, 4, 1),
        "Acme moves to ben",
        &v1,
    );
    // 2. d is relieved 12,000 from 15 October: from November.
    let v3 = approve(
        date(2025, 10, 10),
        QuotaChangeKind::Relief {
            position: pos("d"),
            amount: usd("12000.00"),
        },
        date(2025, 10, 15),
        "leave",
        &v2,
    );
    // 3. eli starts in e on 1 July with 50,000 for the half year.
    let v4 = approve(
        date(2025, 7, 1),
        QuotaChangeKind::NewHire {
            position: pos("e"),
            amount: usd("50000.00"),
        },
        date(2025, 7, 1),
        "eli starts",
        &v3,
    );
    // 4. From September b reports to west: the rest of the year is
    //    re-cascaded over the new org.
    let new_org = region("west").build().unwrap();
    let september = new_org.as_of(date(2025, 9, 1)).unwrap();
    let recast = plan.cascade(&september, &Measures::new()).unwrap();
    let reorg = QuotaChangeKind::Reorg(ReorgTargets::from_targets(&recast).unwrap());
    let v5 = approve(date(2025, 8, 25), reorg, date(2025, 9, 1), "b to west", &v4);
    assert_eq!(v5.number(), 5);

    // Month by month (January, March, April, July, October, November,
    // December) for every seat, in whole dollars and cents.
    let months = [0, 2, 3, 6, 8, 10, 11];
    let table = [
        (
            "vp",
            [
                "200000.00",
                "200000.00",
                "200000.00",
                "200000.00",
                "200000.00",
                "200000.00",
                "200000.00",
            ],
        ),
        (
            "east",
            [
                "100000.00",
                "100000.00",
                "100000.00",
                "100000.00",
                "100000.00",
                "100000.00",
                "100000.00",
            ],
        ),
        (
            "west",
            [
                "100000.00",
                "100000.00",
                "100000.00",
                "100000.00",
                "100000.00",
                "100000.00",
                "100000.00",
            ],
        ),
        // a gave 3,333.33 a month (3,333.34 in the first three) from April,
        // then has east to itself from September.
        (
            "a",
            [
                "50000.00",
                "50000.00",
                "46666.66",
                "46666.67",
                "100000.00",
                "100000.00",
                "100000.00",
            ],
        ),
        (
            "b",
            [
                "50000.00", "50000.00", "53333.34", "53333.33", "25000.00", "25000.00", "25000.00",
            ],
        ),
        (
            "c",
            [
                "50000.00", "50000.00", "50000.00", "50000.00", "25000.00", "25000.00", "25000.00",
            ],
        ),
        (
            "d",
            [
                "50000.00", "50000.00", "50000.00", "50000.00", "25000.00", "25000.00", "25000.00",
            ],
        ),
        (
            "e",
            [
                "0.00", "0.00", "0.00", "8333.34", "25000.00", "25000.00", "25000.00",
            ],
        ),
    ];
    for (seat, expected) in table {
        let got: Vec<String> = months
            .iter()
            .map(|m| v5.month(&pos(seat), *m).unwrap().amount().to_string())
            .collect();
        assert_eq!(got, expected, "{seat}");
    }
    // Nothing before September moved in the reorg.
    for seat in ["vp", "east", "west", "a", "b", "c", "d", "e"] {
        for m in 0..8 {
            assert_eq!(
                v5.month(&pos(seat), m).unwrap(),
                v4.month(&pos(seat), m).unwrap(),
                "{seat} {m}"
            );
        }
    }

    // The diff of the year: every changed seat, with why. The reorg
    // re-cascades the rest of the year from the plan, so d's relief for
    // November and December is superseded by the new org's split (to keep
    // it, relieve again on the new version).
    let diff = v1.diff(&v5).unwrap();
    let lines: Vec<String> = diff.lines().iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "a: 600000.00 USD -> 783333.32 USD (transfer: Acme moves to ben; reorg: b to west)",
            "b: 600000.00 USD -> 516666.68 USD (transfer: Acme moves to ben; reorg: b to west)",
            "c: 600000.00 USD -> 500000.00 USD (reorg: b to west)",
            "d: 600000.00 USD -> 500000.00 USD (relief: leave; reorg: b to west)",
            "e: 0.00 USD -> 116666.68 USD (new hire: eli starts; reorg: b to west)",
        ]
    );
    assert_eq!(diff.lines()[4].why()[0].reason, ChangeReason::NewHire);
    assert_eq!(v1.apply_diff(&diff).unwrap(), v5);
}

#[test]
fn targets_in_other_measures_each_in_its_own_unit() {
    use rust_decimal::Decimal;
    use salesplan::quota::{Basis, LevelRule, MeasurePlan, MeasureUnit, QuotaMeasure};
    let org = region("east").build().unwrap();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    // Prior-year deals of vp, east, west, a, b, c, d, e (declaration order).
    let prior = [0, 0, 0, 30, 10, 25, 25, 0].map(Decimal::from).to_vec();
    let measures = Measures::new().with("prior", prior);
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    // (measure, unit, target, over-assignment at the top) -> a, b, c, d.
    // The top splits equally (east takes a tied extra step: "east" sorts
    // before "west"), each team lead by prior-year deals (3:1 east, 1:1
    // west), by largest remainder in whole steps.
    let cases = [
        (
            QuotaMeasure::Deals,
            None,
            "101",
            "100%",
            ["38.00", "13.00", "25.00", "25.00"],
        ),
        // 101 deals over-assigned by 110% is 111.1: 111 whole deals, 56
        // east and 55 west (27.5 each: c takes the tied deal).
        (
            QuotaMeasure::Deals,
            None,
            "101",
            "110%",
            ["42.00", "14.00", "28.00", "27.00"],
        ),
        (
            QuotaMeasure::NewLogos,
            None,
            "7",
            "100%",
            ["3.00", "1.00", "2.00", "1.00"],
        ),
        // Units in packs of five.
        (
            QuotaMeasure::Units,
            Some("5"),
            "1000",
            "100%",
            ["375.00", "125.00", "250.00", "250.00"],
        ),
        // Margin in cents: the odd cent goes east, then to a.
        (
            QuotaMeasure::Margin(Currency::USD),
            None,
            "1000.01",
            "100%",
            ["375.01", "125.00", "250.00", "250.00"],
        ),
        // Demos in halves: 198 halves, 99 each side.
        (
            QuotaMeasure::Named("demos".into()),
            Some("0.5"),
            "99",
            "100%",
            ["37.00", "12.50", "25.00", "24.50"],
        ),
    ];
    for (measure, unit, target, over, expected) in cases {
        let mut plan = MeasurePlan::new(
            2025,
            FiscalCalendar::gregorian(),
            measure.clone(),
            d(target),
        )
        .level(
            0,
            LevelRule::new(Basis::Equal).over_assign(over.parse().unwrap()),
        )
        .default_rule(LevelRule::new(Basis::Measure("prior".into())));
        if let Some(step) = unit {
            plan = plan.unit(MeasureUnit::new(d(step)).unwrap());
        }
        let targets = plan.cascade(&snapshot, &measures).unwrap();
        let got: Vec<String> = ["a", "b", "c", "d"]
            .map(|s| {
                format!(
                    "{:.2}",
                    targets
                        .annual(snapshot.node(&pos(s)).unwrap().index())
                        .unwrap()
                )
            })
            .to_vec();
        assert_eq!(got, expected, "{measure} {target} at {over}");
        // Every month of every seat is whole steps, adding up to its year.
        let step = plan.rounding_unit().unwrap().step();
        for node in snapshot.nodes() {
            let months = targets.months(node.index()).unwrap();
            assert!(
                months.iter().all(|m| (m / step).fract().is_zero()),
                "{measure} {months:?}"
            );
            assert_eq!(
                months.iter().copied().sum::<Decimal>(),
                targets.annual(node.index()).unwrap()
            );
        }
    }
    // Floors and caps in the measure: b is guaranteed 20 deals, c may
    // carry at most 20; a and d share what is left.
    let bounded = MeasurePlan::new(
        2025,
        FiscalCalendar::gregorian(),
        QuotaMeasure::Deals,
        d("101"),
    )
    .level(0, LevelRule::new(Basis::Equal))
    .default_rule(LevelRule::new(Basis::Measure("prior".into())))
    .floors(vec![
        None,
        None,
        None,
        None,
        Some(d("20")),
        None,
        None,
        None,
    ])
    .caps(vec![
        None,
        None,
        None,
        None,
        None,
        Some(d("20")),
        None,
        None,
    ])
    .cascade(&snapshot, &measures)
    .unwrap();
    let got: Vec<String> = ["a", "b", "c", "d"]
        .map(|s| {
            bounded
                .annual(snapshot.node(&pos(s)).unwrap().index())
                .unwrap()
                .to_string()
        })
        .to_vec();
    assert_eq!(got, ["31", "20", "20", "30"]);
}
