//! Bonus and authority fixtures.

use salesplan::bonus::{ActionPlan, AuthorityPolicy, Grant, PayoutCurve, Power, Qualification};
use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
use salesplan::{Currency, Money, Percent, PlanId, Rate};

use super::{always, person, pos};
use crate::common::date;

pub(crate) fn usd(text: &str) -> Money {
    Money::parse(text, Currency::USD).unwrap()
}

pub(crate) fn rate(text: &str) -> Rate {
    text.parse().unwrap()
}

pub(crate) fn pct(text: &str) -> Percent {
    text.parse().unwrap()
}

pub(crate) fn plan(s: &str) -> PlanId {
    PlanId::new(s).unwrap()
}

/// The issue's curve: 0 below 80%, 50% at 80% rising linearly to 100% at
/// 100%, 200% at 150%, capped there.
pub(crate) fn issue_curve() -> PayoutCurve {
    PayoutCurve::new(
        [
            (rate("80%"), rate("50%")),
            (rate("100%"), rate("100%")),
            (rate("150%"), rate("200%")),
        ],
        rate("200%"),
    )
    .unwrap()
}

/// A small sales org, everyone in place from 1 January 2025:
///
/// ```text
/// dir (Director, dana)
/// ├── rsm-n (RegionalManager, rui)
/// │   ├── lead-1 (TeamLead, tia)
/// │   │   ├── rep-a (ana)   rep-b (ben)   rep-c (cy)
/// │   └── rep-d (dee)
/// └── rsm-s (RegionalManager, sam)
///     ├── rep-e (eve)
///     └── rep-f (vacant)
/// ```
pub(crate) fn company() -> Org {
    let seats = [
        ("dir", Role::Director, None, Some("dana")),
        ("rsm-n", Role::RegionalManager, Some("dir"), Some("rui")),
        ("lead-1", Role::TeamLead, Some("rsm-n"), Some("tia")),
        ("rep-a", Role::SalesRep, Some("lead-1"), Some("ana")),
        ("rep-b", Role::SalesRep, Some("lead-1"), Some("ben")),
        ("rep-c", Role::SalesRep, Some("lead-1"), Some("cy")),
        ("rep-d", Role::SalesRep, Some("rsm-n"), Some("dee")),
        ("rsm-s", Role::RegionalManager, Some("dir"), Some("sam")),
        ("rep-e", Role::SalesRep, Some("rsm-s"), Some("eve")),
        ("rep-f", Role::SalesRep, Some("rsm-s"), None),
    ];
    let mut b = Org::builder();
    for (id, role, parent, holder) in seats {
        b = b.position(Position::new(pos(id), role)).line(match parent {
            Some(p) => ReportingLine::new(pos(id), pos(p), always()),
            None => ReportingLine::top(pos(id), always()),
        });
        if let Some(h) = holder {
            b = b.assignment(Assignment::new(person(h), pos(id), always()));
        }
    }
    b.build().unwrap()
}

/// Team leads coach their direct reports and issue warnings; regional
/// managers approve bonuses up to 1,000, reliefs up to 5%, warnings and
/// improvement plans; directors approve bonuses up to 10,000, reliefs up
/// to 20%, deploy and pre-approve action plans.
pub(crate) fn grants() -> Vec<Grant> {
    use salesplan::bonus::Scope;
    vec![
        Grant::new(Role::TeamLead, Power::Coaching).scope(Scope::DirectReports),
        Grant::new(Role::TeamLead, Power::IssueWarning),
        Grant::new(
            Role::RegionalManager,
            Power::ApproveDiscretionaryBonus {
                up_to: Some(usd("1000.00")),
            },
        ),
        Grant::new(Role::RegionalManager, Power::IssueWarning),
        Grant::new(Role::RegionalManager, Power::OpenImprovementPlan),
        Grant::new(Role::RegionalManager, Power::Coaching),
        Grant::new(
            Role::RegionalManager,
            Power::ApproveQuotaRelief { up_to: pct("5%") },
        ),
        Grant::new(
            Role::Director,
            Power::ApproveDiscretionaryBonus {
                up_to: Some(usd("10000.00")),
            },
        ),
        Grant::new(
            Role::Director,
            Power::ApproveQuotaRelief { up_to: pct("20%") },
        ),
        Grant::new(Role::Director, Power::DeployActionPlan),
        Grant::new(Role::Director, Power::ApproveActionPlan),
        Grant::new(Role::Director, Power::OpenImprovementPlan),
    ]
}

/// Dana's "sales training" plan, approved on 1 March 2025: a rep below 60%
/// for two months may be sent to sales training.
pub(crate) fn training_plan() -> ActionPlan {
    ActionPlan::new(
        plan("sales-training"),
        "sales training",
        person("dana"),
        pos("dir"),
        date(2025, 3, 1),
        Qualification::below_for(rate("60%"), 2).roles([Role::SalesRep]),
    )
}

pub(crate) fn policy() -> AuthorityPolicy {
    AuthorityPolicy::new()
        .grants(grants())
        .plan(training_plan())
}
