//! Segments: the stretches of a period a person spent in each position,
//! under each manager, for exact proration by days.

use chrono::NaiveDate;

use super::{NONE, Org};
use crate::calendar::{DateRange, Period};
use crate::ids::{PersonId, PositionId};
use crate::org::OrgError;

/// A stretch of time a person spent in one position, reporting to one
/// position held by one manager.
///
/// A new segment starts whenever any of the three changes: the person moves,
/// the position's reporting line changes (a reorganisation), or someone else
/// takes over the manager's position.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Segment {
    position: PositionId,
    #[cfg_attr(feature = "serde", serde(default))]
    reports_to: Option<PositionId>,
    #[cfg_attr(feature = "serde", serde(default))]
    manager: Option<PersonId>,
    period: Period,
}

impl Segment {
    /// The position held.
    pub fn position(&self) -> &PositionId {
        &self.position
    }

    /// The position it reports to; `None` at the top of the org or while the
    /// position has no reporting line.
    pub fn reports_to(&self) -> Option<&PositionId> {
        self.reports_to.as_ref()
    }

    /// The person holding the manager's position; `None` when there is no
    /// manager position or it is vacant.
    pub fn manager(&self) -> Option<&PersonId> {
        self.manager.as_ref()
    }

    /// The days of the segment.
    pub const fn period(&self) -> Period {
        self.period
    }
}

impl Org {
    /// Where `person` spent each day of `period`: consecutive segments of
    /// (position, reporting line, manager), in date order. Days on which the
    /// person held no position are in no segment, so the segments' days sum
    /// to the days worked, and quotas, targets and credits can be prorated
    /// by them exactly.
    ///
    /// # Errors
    ///
    /// [`OrgError::UnknownPerson`] for a person the org never assigned.
    ///
    /// # Examples
    ///
    /// ```
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// # use salesplan::{Period, PersonId, PositionId};
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// let pos = |s: &str| PositionId::new(s).unwrap();
    /// let person = |s: &str| PersonId::new(s).unwrap();
    /// let year = DateRange::starting(d(1, 1));
    /// let org = Org::builder()
    ///     .position(Position::new(pos("mgr"), Role::RegionalManager))
    ///     .position(Position::new(pos("rep"), Role::SalesRep))
    ///     .line(ReportingLine::top(pos("mgr"), year))
    ///     .line(ReportingLine::new(pos("rep"), pos("mgr"), year))
    ///     .assignment(Assignment::new(person("ann"), pos("mgr"), DateRange::new(d(1, 1), Some(d(2, 15)))?))
    ///     .assignment(Assignment::new(person("ben"), pos("mgr"), DateRange::starting(d(2, 15))))
    ///     .assignment(Assignment::new(person("cy"), pos("rep"), year))
    ///     .build()?;
    /// let q1 = Period::new(d(1, 1), d(4, 1))?;
    /// let segments = org.segments(&person("cy"), &q1)?;
    /// let managers: Vec<_> = segments.iter().map(|s| (s.manager().unwrap().as_str(), s.period().days())).collect();
    /// assert_eq!(managers, [("ann", 45), ("ben", 45)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn segments(&self, person: &PersonId, period: &Period) -> Result<Vec<Segment>, OrgError> {
        let mut out: Vec<Segment> = Vec::new();
        for hold in self.holdings_of(person)? {
            let Some(held) = hold.effective.clip(period) else {
                continue;
            };
            let position = hold.other;
            let mut cuts = vec![held.start(), held.end()];
            let mut add_cuts = |range: DateRange| {
                cuts.push(range.from());
                cuts.extend(range.until());
            };
            for line in self.lines_of(position) {
                add_cuts(line.effective);
                if line.parent != NONE {
                    for h in self.holds_of(line.parent) {
                        add_cuts(h.effective);
                    }
                }
            }
            cuts.retain(|d| held.start() <= *d && *d <= held.end());
            cuts.sort_unstable();
            cuts.dedup();
            for pair in cuts.windows(2) {
                let [from, to] = pair else { continue };
                let Ok(days) = Period::new(*from, *to) else {
                    continue;
                };
                let segment = self.segment_on(position, *from, days);
                match out.last_mut() {
                    Some(last)
                        if last.period.end() == days.start() && same_place(last, &segment) =>
                    {
                        last.period =
                            Period::new(last.period.start(), days.end()).unwrap_or(last.period);
                    }
                    _ => out.extend(segment),
                }
            }
        }
        Ok(out)
    }

    fn segment_on(&self, position: u32, date: NaiveDate, period: Period) -> Option<Segment> {
        let parent = self.parent_index_on(position, date);
        Some(Segment {
            position: self.position_at(position)?.id().clone(),
            reports_to: parent
                .and_then(|p| self.position_at(p))
                .map(|p| p.id().clone()),
            manager: parent
                .and_then(|p| self.holder_index_on(p, date))
                .and_then(|m| self.person_at(m))
                .cloned(),
            period,
        })
    }
}

fn same_place(a: &Segment, b: &Option<Segment>) -> bool {
    b.as_ref().is_some_and(|b| {
        a.position == b.position && a.reports_to == b.reports_to && a.manager == b.manager
    })
}
