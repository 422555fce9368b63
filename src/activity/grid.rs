//! Activity tallies per person, ISO week and kind, for large feeds.

use chrono::NaiveDate;

use super::Cadence;
use crate::calendar::Period;
use crate::error::ActivityError;

/// Logged quantities per person, ISO week and kind in one flat table: the
/// "aggregated per person and week" form of a large activity feed, with
/// people and kinds named by dense keys (indexes into the caller's own
/// tables of ids and kinds, as in a dictionary-encoded feed).
///
/// Entries are added one at a time, so a feed of any size streams through
/// without being held in memory; the table takes `people × weeks × kinds`
/// 32-bit counts.
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::activity::WeekGrid;
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// // Two people, the ISO weeks from 30 December 2024 to 30 March 2025, two kinds.
/// let mut grid = WeekGrid::new(d(1, 1), 13, 2, 2)?;
/// grid.add(1, d(1, 8), 0, 30)?;
/// grid.add(1, d(1, 10), 0, 45)?;
/// grid.add(1, d(2, 20), 0, 10)?;
/// assert_eq!(grid.week(1, 1, 0), 75);
/// assert_eq!(grid.through(1, 0, d(2, 14)), 75);
/// assert!(grid.add(2, d(1, 8), 0, 1).is_err()); // no person 2
/// # Ok::<(), salesplan::ActivityError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekGrid {
    first: NaiveDate,
    weeks: usize,
    kinds: usize,
    people: usize,
    counts: Vec<u32>,
}

impl WeekGrid {
    /// A table for `people` people and `kinds` kinds over `weeks` ISO weeks
    /// from the one containing `from`.
    ///
    /// # Errors
    ///
    /// [`ActivityError::Overflow`] when the table would not fit in memory's
    /// address space; [`ActivityError::Calendar`] at `chrono`'s edges.
    pub fn new(
        from: NaiveDate,
        weeks: usize,
        people: usize,
        kinds: usize,
    ) -> Result<WeekGrid, ActivityError> {
        let first = Cadence::Week.period_of(from)?.start();
        let len = people
            .checked_mul(weeks)
            .and_then(|n| n.checked_mul(kinds))
            .ok_or(ActivityError::Overflow { what: "week grid" })?;
        Ok(WeekGrid {
            first,
            weeks,
            kinds,
            people,
            counts: vec![0; len],
        })
    }

    /// The Monday the first week starts on.
    pub const fn first_monday(&self) -> NaiveDate {
        self.first
    }

    /// The ISO weeks covered.
    pub fn weeks(&self) -> Vec<Period> {
        (0..self.weeks)
            .filter_map(|w| {
                let start = self
                    .first
                    .checked_add_days(chrono::Days::new(u64::try_from(w).ok()?.checked_mul(7)?))?;
                Cadence::Week.period_of(start).ok()
            })
            .collect()
    }

    fn week_of(&self, date: NaiveDate) -> Option<usize> {
        let days = date.signed_duration_since(self.first).num_days();
        let week = usize::try_from(days.checked_div(7)?).ok()?;
        (days >= 0 && week < self.weeks).then_some(week)
    }

    fn slot(&self, person: usize, week: usize, kind: usize) -> Option<usize> {
        if person >= self.people || week >= self.weeks || kind >= self.kinds {
            return None;
        }
        person
            .checked_mul(self.weeks)?
            .checked_add(week)?
            .checked_mul(self.kinds)?
            .checked_add(kind)
    }

    /// Adds `quantity` of kind `kind` by person `person` on `date`.
    ///
    /// # Errors
    ///
    /// [`ActivityError::UnknownKey`] for a person or kind past the table;
    /// [`ActivityError::OutsideGrid`] for a date outside its weeks;
    /// [`ActivityError::Overflow`] for a count beyond `u32`.
    #[inline]
    pub fn add(
        &mut self,
        person: usize,
        date: NaiveDate,
        kind: usize,
        quantity: u32,
    ) -> Result<(), ActivityError> {
        let Some(week) = self.week_of(date) else {
            return Err(ActivityError::OutsideGrid {
                date,
                first: self.first,
                weeks: self.weeks,
            });
        };
        let slot = self
            .slot(person, week, kind)
            .and_then(|s| self.counts.get_mut(s))
            .ok_or(ActivityError::UnknownKey {
                person,
                kind,
                people: self.people,
                kinds: self.kinds,
            })?;
        *slot = slot
            .checked_add(quantity)
            .ok_or(ActivityError::Overflow { what: "week grid" })?;
        Ok(())
    }

    /// A person's count of a kind in week `week` (0 is the first); 0 for
    /// keys outside the table.
    pub fn week(&self, person: usize, week: usize, kind: usize) -> u64 {
        self.slot(person, week, kind)
            .and_then(|s| self.counts.get(s))
            .map_or(0, |c| u64::from(*c))
    }

    /// A person's count of a kind in every week that has started by
    /// `through` (entries are dated up to the day they are logged, so this
    /// is the activity to date).
    pub fn through(&self, person: usize, kind: usize, through: NaiveDate) -> u64 {
        let weeks = match self.week_of(through) {
            Some(w) => w.saturating_add(1),
            None if through >= self.first => self.weeks,
            None => 0,
        };
        (0..weeks).fold(0u64, |acc, w| {
            acc.saturating_add(self.week(person, w, kind))
        })
    }
}
