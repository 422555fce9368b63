//! Quotas in any measure and quota versions: every bad input and its
//! error, naming ids and values.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use salesplan::bonus::{Authority, AuthorityPolicy, Grant, Power};
use salesplan::calendar::FiscalCalendar;
use salesplan::org::{Assignment, Org, OrgSnapshot, Position, ReportingLine, Role};
use salesplan::quota::{
    MeasurePlan, MeasureUnit, Measures, QuotaChange, QuotaChangeKind, QuotaMeasure, QuotaPlan,
    QuotaVersion, ReorgTargets,
};
use salesplan::{BonusError, Currency, Money, MoneyError, QuotaError};

use crate::common::date;
use crate::support::{always, person, pos};

fn usd(a: &str) -> Money {
    Money::parse(a, Currency::USD).unwrap()
}

/// vp (vic) > mgr (max) > a (ana), b (ben), c (vacant).
fn org() -> Org {
    Org::builder()
        .position(Position::new(pos("vp"), Role::RegionalManager))
        .position(Position::new(pos("mgr"), Role::TeamLead))
        .positions(["a", "b", "c"].map(|r| Position::new(pos(r), Role::SalesRep)))
        .line(ReportingLine::top(pos("vp"), always()))
        .line(ReportingLine::new(pos("mgr"), pos("vp"), always()))
        .lines(["a", "b", "c"].map(|r| ReportingLine::new(pos(r), pos("mgr"), always())))
        .assignments(
            [("vic", "vp"), ("max", "mgr"), ("ana", "a"), ("ben", "b")]
                .map(|(p, s)| Assignment::new(person(p), pos(s), always())),
        )
        .build()
        .unwrap()
}

/// Team leads relieve up to 10%; the VP up to 50%, and approves new hires
/// and reorgs.
fn policy() -> AuthorityPolicy {
    AuthorityPolicy::new().grants([
        Grant::new(
            Role::TeamLead,
            Power::ApproveQuotaRelief {
                up_to: "10%".parse().unwrap(),
            },
        ),
        Grant::new(
            Role::RegionalManager,
            Power::ApproveQuotaRelief {
                up_to: "50%".parse().unwrap(),
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
    ])
}

fn plan() -> QuotaPlan {
    // 1,200,000 to mgr, 400,000 to each rep: 100,000 a month from July
    // halved to 33,333.33.. a month each.
    QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("1200000.00"))
}

fn v1(snapshot: &OrgSnapshot) -> QuotaVersion {
    QuotaVersion::from_targets(&plan().cascade(snapshot, &Measures::new()).unwrap()).unwrap()
}

fn relief(version: u32, seat: &str, amount: &str, on: NaiveDate) -> QuotaChange {
    QuotaChange::new(
        version,
        QuotaChangeKind::Relief {
            position: pos(seat),
            amount: usd(amount),
        },
        on,
        "leave",
    )
}

#[test]
fn a_version_that_does_not_chain() {
    let org = org();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let policy = policy();
    let authority = Authority::new(&policy, &snapshot).unwrap();
    let v1 = v1(&snapshot);
    let july = date(2025, 7, 1);
    let first = authority
        .approve_quota_change(&person("max"), relief(1, "a", "1000.00", july), &v1)
        .unwrap();
    let v2 = v1.apply(&first).unwrap();
    // A change approved for version 1, applied again to version 2.
    assert_eq!(
        v2.apply(&first).unwrap_err(),
        QuotaError::VersionDoesNotChain { older: 2, newer: 1 }
    );
    // A proposal against version 1, put to the authority with version 2.
    assert_eq!(
        authority
            .approve_quota_change(&person("max"), relief(1, "b", "1000.00", july), &v2)
            .unwrap_err(),
        BonusError::Quota {
            source: Box::new(QuotaError::VersionDoesNotChain { older: 2, newer: 1 })
        }
    );
    // Two what-ifs from version 1 are two branches: neither follows from
    // the other, and a later version does not lead back to an earlier one.
    let other = authority
        .approve_quota_change(&person("max"), relief(1, "b", "1000.00", july), &v1)
        .unwrap();
    let branch = v1.apply(&other).unwrap();
    assert_eq!(
        v2.diff(&branch).unwrap_err(),
        QuotaError::VersionDoesNotChain { older: 2, newer: 2 }
    );
    assert_eq!(
        v2.diff(&v1).unwrap_err(),
        QuotaError::VersionDoesNotChain { older: 2, newer: 1 }
    );
    // A diff applied to a version it was not taken from.
    let diff = v1.diff(&v2).unwrap();
    assert_eq!(
        branch.apply_diff(&diff).unwrap_err(),
        QuotaError::VersionDoesNotChain { older: 2, newer: 2 }
    );
}

#[test]
fn a_change_by_someone_without_authority_or_over_the_limit() {
    let org = org();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let policy = policy();
    let authority = Authority::new(&policy, &snapshot).unwrap();
    let v1 = v1(&snapshot);
    let july = date(2025, 7, 1);
    // 80,000 of a's 400,000 is 20%: over the team lead's 10%; the VP can.
    assert_eq!(
        authority
            .approve_quota_change(&person("max"), relief(1, "a", "80000.00", july), &v1)
            .unwrap_err(),
        BonusError::QuotaChangeNotAuthorized {
            approver: person("max"),
            subject: person("ana"),
            action: "approve a quota relief of 20%".into(),
            limit: Some("10%".parse().unwrap()),
            needs: Some(person("vic")),
        }
    );
    assert!(
        authority
            .approve_quota_change(&person("vic"), relief(1, "a", "80000.00", july), &v1)
            .is_ok()
    );
    // 60% is over everyone's limit.
    let err = authority
        .approve_quota_change(&person("vic"), relief(1, "a", "240000.00", july), &v1)
        .unwrap_err();
    assert_eq!(
        err,
        BonusError::QuotaChangeNotAuthorized {
            approver: person("vic"),
            subject: person("ana"),
            action: "approve a quota relief of 60%".into(),
            limit: Some("50%".parse().unwrap()),
            needs: None,
        }
    );
    assert_eq!(
        err.to_string(),
        "vic may not approve a quota relief of 60% for ana (their limit is 50%)"
    );
    // A team lead has no power over new hires' quotas at all.
    let hire = QuotaChange::new(
        1,
        QuotaChangeKind::NewHire {
            position: pos("b"),
            amount: usd("50000.00"),
        },
        july,
        "ben starts",
    );
    assert_eq!(
        authority
            .approve_quota_change(&person("max"), hire, &v1)
            .unwrap_err(),
        BonusError::QuotaChangeNotAuthorized {
            approver: person("max"),
            subject: person("ben"),
            action: Authority::NEW_HIRE_QUOTA.into(),
            limit: None,
            needs: Some(person("vic")),
        }
    );
    // A rep is not above a peer.
    assert_eq!(
        authority
            .approve_quota_change(&person("ana"), relief(1, "b", "1000.00", july), &v1)
            .unwrap_err(),
        BonusError::ActorOutsideChain {
            actor: person("ana"),
            subject: person("ben"),
        }
    );
    // A transfer needs authority over both seats: a team lead cannot move
    // quota up to the VP's seat.
    let up = QuotaChange::new(
        1,
        QuotaChangeKind::Transfer {
            from: pos("a"),
            to: pos("vp"),
            amount: usd("1000.00"),
        },
        july,
        "house account",
    );
    assert_eq!(
        authority
            .approve_quota_change(&person("max"), up, &v1)
            .unwrap_err(),
        BonusError::ActorOutsideChain {
            actor: person("max"),
            subject: person("vic"),
        }
    );
}

#[test]
fn vacant_seats_unknown_positions_and_late_changes() {
    let org = org();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let policy = policy();
    let authority = Authority::new(&policy, &snapshot).unwrap();
    let v1 = v1(&snapshot);
    assert_eq!(
        authority
            .approve_quota_change(
                &person("vic"),
                relief(1, "c", "1000.00", date(2025, 7, 1)),
                &v1
            )
            .unwrap_err(),
        BonusError::QuotaSeatVacant {
            position: pos("c"),
            date: date(2025, 1, 1),
        }
    );
    assert_eq!(
        authority
            .approve_quota_change(
                &person("vic"),
                relief(1, "zz", "1000.00", date(2025, 7, 1)),
                &v1
            )
            .unwrap_err(),
        BonusError::Quota {
            source: Box::new(QuotaError::UnknownPosition {
                position: pos("zz")
            })
        }
    );
    // December has begun: nothing is left to change.
    assert_eq!(
        authority
            .approve_quota_change(
                &person("vic"),
                relief(1, "a", "1000.00", date(2025, 12, 2)),
                &v1
            )
            .unwrap_err(),
        BonusError::Quota {
            source: Box::new(QuotaError::EffectiveAfterPlan {
                date: date(2025, 12, 2),
                last: date(2025, 12, 1),
            })
        }
    );
}

#[test]
fn changes_the_version_refuses() {
    let org = org();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let policy = AuthorityPolicy::new().grants([
        Grant::new(
            Role::RegionalManager,
            Power::ApproveQuotaRelief {
                up_to: salesplan::Percent::HUNDRED,
            },
        ),
        Grant::new(
            Role::RegionalManager,
            Power::Custom(Authority::QUOTA_REORG.into()),
        ),
    ]);
    let authority = Authority::new(&policy, &snapshot).unwrap();
    let v1 = v1(&snapshot);
    let approve = |change| {
        authority
            .approve_quota_change(&person("vic"), change, &v1)
            .unwrap()
    };
    // 400,000 a year is 33,333.33 a month: December alone cannot give
    // 40,000.
    let late = approve(relief(1, "a", "40000.00", date(2025, 12, 1)));
    assert_eq!(
        v1.apply(&late).unwrap_err(),
        QuotaError::ReliefExceedsTarget {
            position: pos("a"),
            amount: usd("40000.00")
        }
    );
    let euros = approve(QuotaChange::new(
        1,
        QuotaChangeKind::Relief {
            position: pos("a"),
            amount: Money::parse("10.00", Currency::EUR).unwrap(),
        },
        date(2025, 7, 1),
        "wrong currency",
    ));
    assert_eq!(
        v1.apply(&euros).unwrap_err(),
        QuotaError::Amount {
            source: MoneyError::CurrencyMismatch {
                left: Currency::USD,
                right: Currency::EUR
            }
        }
    );
    let zero = approve(relief(1, "a", "0.00", date(2025, 7, 1)));
    assert_eq!(
        v1.apply(&zero).unwrap_err(),
        QuotaError::NonPositiveAdjustment {
            amount: usd("0.00")
        }
    );
    // A reorg cascaded from another company target is a retarget, not a
    // reorg.
    let bigger = QuotaPlan::new(2025, FiscalCalendar::gregorian(), usd("2400000.00"))
        .cascade(&snapshot, &Measures::new())
        .unwrap();
    let reorg = approve(QuotaChange::new(
        1,
        QuotaChangeKind::Reorg(ReorgTargets::from_targets(&bigger).unwrap()),
        date(2025, 7, 1),
        "regions",
    ));
    assert_eq!(
        v1.apply(&reorg).unwrap_err(),
        QuotaError::ReorgChangesTotal {
            position: pos("vp"),
            expected: usd("600000.00"),
            found: usd("1200000.00"),
        }
    );
}

#[test]
fn measures_in_fractions_of_their_unit() {
    let org = org();
    let snapshot = org.as_of(date(2025, 1, 1)).unwrap();
    let deals = |target: &str| {
        MeasurePlan::new(
            2025,
            FiscalCalendar::gregorian(),
            QuotaMeasure::Deals,
            target.parse().unwrap(),
        )
    };
    assert_eq!(
        deals("10.5")
            .cascade(&snapshot, &Measures::new())
            .unwrap_err(),
        QuotaError::NotWholeUnits {
            measure: "deals".into(),
            value: "10.5".parse().unwrap(),
            step: Decimal::ONE,
        }
    );
    assert_eq!(
        deals("-10")
            .cascade(&snapshot, &Measures::new())
            .unwrap_err(),
        QuotaError::NegativeMeasureTarget {
            measure: "deals".into(),
            value: Decimal::from(-10),
        }
    );
    // Packs of 5: 12 is not whole packs; a floor of 7 is not either.
    assert_eq!(
        deals("12")
            .unit(MeasureUnit::new(Decimal::from(5)).unwrap())
            .cascade(&snapshot, &Measures::new())
            .unwrap_err(),
        QuotaError::NotWholeUnits {
            measure: "deals".into(),
            value: Decimal::from(12),
            step: Decimal::from(5),
        }
    );
    assert_eq!(
        deals("100")
            .unit(MeasureUnit::new(Decimal::from(5)).unwrap())
            .floors(vec![None, None, Some(Decimal::from(7)), None, None])
            .cascade(&snapshot, &Measures::new())
            .unwrap_err(),
        QuotaError::NotWholeUnits {
            measure: "deals".into(),
            value: Decimal::from(7),
            step: Decimal::from(5),
        }
    );
    for step in ["0", "-1"] {
        assert_eq!(
            MeasureUnit::new(step.parse().unwrap()).unwrap_err(),
            QuotaError::NonPositiveUnit {
                step: step.parse().unwrap()
            }
        );
    }
    // Revenue in cents refuses a tenth of a cent.
    let revenue = MeasurePlan::new(
        2025,
        FiscalCalendar::gregorian(),
        QuotaMeasure::Revenue(Currency::USD),
        "1000.005".parse().unwrap(),
    );
    assert_eq!(
        revenue.cascade(&snapshot, &Measures::new()).unwrap_err(),
        QuotaError::NotWholeUnits {
            measure: "revenue (USD)".into(),
            value: "1000.005".parse().unwrap(),
            step: "0.01".parse().unwrap(),
        }
    );
}
