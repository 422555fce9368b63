//! Activity and performance fixtures: a region with two teams.

use salesplan::activity::{ActivityKind, ActivityTarget, Cadence, TargetPlan};
use salesplan::calendar::WorkCalendar;
use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
use salesplan::{Period, PersonId};

use super::{always, person, pos};
use crate::common::date;

/// 100 cold calls and 5 meetings per rep per week.
pub(crate) fn rep_plan() -> TargetPlan {
    TargetPlan::new()
        .role(
            Role::SalesRep,
            ActivityTarget::new(ActivityKind::ColdCall, Cadence::Week, 100).unwrap(),
        )
        .role(
            Role::SalesRep,
            ActivityTarget::new(ActivityKind::Meeting, Cadence::Week, 5).unwrap(),
        )
}

/// Monday 7 April 2025 to Sunday 13 April: a plain week.
pub(crate) fn plain_week() -> Period {
    Period::new(date(2025, 4, 7), date(2025, 4, 14)).unwrap()
}

/// Monday 14 April 2025 to Sunday 20 April: Good Friday is a holiday.
pub(crate) fn easter_week() -> Period {
    Period::new(date(2025, 4, 14), date(2025, 4, 21)).unwrap()
}

pub(crate) fn work() -> WorkCalendar {
    WorkCalendar::monday_to_friday().with_holidays([date(2025, 4, 18)])
}

pub(crate) fn q1() -> Period {
    Period::new(date(2025, 1, 1), date(2025, 4, 1)).unwrap()
}

/// `vp` over managers `m1` (reps `a1`, `a2`, `a3`) and `m2` (reps `b1`,
/// `b2`; `b2` vacant). People are named after their seats in upper case.
pub(crate) fn region() -> Org {
    let mut b = Org::builder()
        .position(Position::new(pos("vp"), Role::RegionalManager))
        .line(ReportingLine::top(pos("vp"), always()));
    for (m, reps) in [("m1", &["a1", "a2", "a3"][..]), ("m2", &["b1", "b2"][..])] {
        b = b
            .position(Position::new(pos(m), Role::TeamLead))
            .line(ReportingLine::new(pos(m), pos("vp"), always()));
        for r in reps {
            b = b
                .position(Position::new(pos(r), Role::SalesRep))
                .line(ReportingLine::new(pos(r), pos(m), always()));
        }
    }
    for p in ["vp", "m1", "m2", "a1", "a2", "a3", "b1"] {
        b = b.assignment(Assignment::new(holder(p), pos(p), always()));
    }
    b.build().unwrap()
}

pub(crate) fn holder(seat: &str) -> PersonId {
    person(&seat.to_uppercase())
}
