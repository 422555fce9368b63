//! Activity tallies per person, ISO week and kind, for large feeds.

use chrono::{Datelike, NaiveDate};

use super::Cadence;
use crate::activity::ActivityError;
use crate::calendar::Period;

/// Cells per region of the table that [`WeekGrid::extend`] buffers for.
const REGION: usize = 8 * 1024;
/// Entries buffered per region before they are applied.
const BUFFER: usize = 2048;

/// Adds buffered `(offset, quantity)` entries into `region` of `counts`.
fn apply(
    counts: &mut [u32],
    region: usize,
    buffer: &mut Vec<(u32, u32)>,
) -> Result<(), ActivityError> {
    let overflow = || ActivityError::Overflow { what: "week grid" };
    let start = region.checked_mul(REGION).ok_or_else(overflow)?;
    let end = start
        .checked_add(REGION)
        .ok_or_else(overflow)?
        .min(counts.len());
    let cells = counts.get_mut(start..end).ok_or_else(overflow)?;
    for (offset, quantity) in buffer.drain(..) {
        let cell = cells.get_mut(offset as usize).ok_or_else(overflow)?;
        *cell = cell.checked_add(quantity).ok_or_else(overflow)?;
    }
    Ok(())
}

/// Logged quantities per person, ISO week and kind in one flat table: the
/// "aggregated per person and week" form of a large activity feed, with
/// people and kinds named by dense keys (indexes into the caller's own
/// tables of ids and kinds, as in a dictionary-encoded feed).
///
/// Entries are added one at a time, so a feed of any size streams through
/// without being held in memory; the table takes `people × weeks × kinds`
/// 32-bit counts, laid out week by week, so that a feed in date order
/// (the usual export) writes within one week's slice at a time.
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
/// assert_eq!(grid.week(1, 1, 0), Some(75));
/// assert_eq!(grid.through(1, 0, d(2, 14)), Some(75));
/// assert_eq!(grid.week(2, 1, 0), None); // only two people
/// assert!(grid.add(2, d(1, 8), 0, 1).is_err()); // no person 2
/// # Ok::<(), salesplan::ActivityError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekGrid {
    first: NaiveDate,
    first_day: i32,
    /// At most `u32::MAX`, so that a sum over the weeks of `u32` counts
    /// stays below `u64::MAX`.
    weeks: usize,
    kinds: usize,
    people: usize,
    /// `people × kinds`: one week's slice.
    width: usize,
    counts: Vec<u32>,
}

impl WeekGrid {
    /// A table for `people` people and `kinds` kinds over `weeks` ISO weeks
    /// from the one containing `from`.
    ///
    /// # Errors
    ///
    /// [`ActivityError::Overflow`] when the table would not fit in memory's
    /// address space, or for more than `u32::MAX` weeks (far beyond
    /// `chrono`'s dates); [`ActivityError::Calendar`] at `chrono`'s edges.
    ///
    /// # Examples
    ///
    /// People and kinds are numbered by the caller; the grid counts per person,
    /// week and kind.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::activity::WeekGrid;
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// // Two people, three kinds, four weeks from the week of Thursday 2 January.
    /// let mut grid = WeekGrid::new(d(1, 2), 4, 2, 3)?;
    /// assert_eq!(grid.first_monday(), NaiveDate::from_ymd_opt(2024, 12, 30).unwrap());
    /// grid.add(1, d(1, 8), 2, 5)?;
    /// grid.add(1, d(1, 9), 2, 3)?;
    /// assert_eq!(grid.week(1, 1, 2), Some(8));
    /// assert!(grid.add(0, d(3, 3), 0, 1).is_err()); // past the fourth week
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        from: NaiveDate,
        weeks: usize,
        people: usize,
        kinds: usize,
    ) -> Result<WeekGrid, ActivityError> {
        let first = Cadence::Week.period_of(from)?.start();
        let overflow = ActivityError::Overflow { what: "week grid" };
        if u32::try_from(weeks).is_err() {
            return Err(overflow);
        }
        let width = people.checked_mul(kinds).ok_or(overflow.clone())?;
        let len = width.checked_mul(weeks).ok_or(overflow)?;
        Ok(WeekGrid {
            first,
            first_day: first.num_days_from_ce(),
            weeks,
            kinds,
            people,
            width,
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

    #[inline]
    fn week_of(&self, date: NaiveDate) -> Option<usize> {
        let days = date.num_days_from_ce().checked_sub(self.first_day)?;
        let week = usize::try_from(days.checked_div(7)?).ok()?;
        (days >= 0 && week < self.weeks).then_some(week)
    }

    fn slot(&self, person: usize, week: usize, kind: usize) -> Option<usize> {
        if person >= self.people || week >= self.weeks || kind >= self.kinds {
            return None;
        }
        // Week-major: a feed in date order writes within one week's slice.
        week.checked_mul(self.people)?
            .checked_add(person)?
            .checked_mul(self.kinds)?
            .checked_add(kind)
    }

    /// The table slot of an entry, or why it has none.
    #[inline]
    fn entry_slot(
        &self,
        person: usize,
        date: NaiveDate,
        kind: usize,
    ) -> Result<usize, ActivityError> {
        let Some(week) = self.week_of(date) else {
            return Err(ActivityError::OutsideGrid {
                date,
                first: self.first,
                weeks: self.weeks,
            });
        };
        match self.slot(person, week, kind) {
            Some(s) if s < self.counts.len() => Ok(s),
            _ => Err(ActivityError::UnknownKey {
                person,
                kind,
                people: self.people,
                kinds: self.kinds,
            }),
        }
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
        let slot = self.entry_slot(person, date, kind)?;
        let cell = self
            .counts
            .get_mut(slot)
            .ok_or(ActivityError::Overflow { what: "week grid" })?;
        *cell = cell
            .checked_add(quantity)
            .ok_or(ActivityError::Overflow { what: "week grid" })?;
        Ok(())
    }

    /// Adds a stream of `(person, date, kind, quantity)` entries: the same
    /// as [`add`](Self::add) for each, several times faster on a large
    /// table. Entries are checked as they come and buffered by region of
    /// the table (32 KiB each), and each full buffer is applied at once,
    /// so the table is written a cache-sized region at a time instead of
    /// at random.
    ///
    /// # Errors
    ///
    /// As [`add`](Self::add), for the first bad entry; the entries before
    /// it are added. After an [`ActivityError::Overflow`] the table's
    /// counts are unspecified.
    pub fn extend(
        &mut self,
        entries: impl IntoIterator<Item = (usize, NaiveDate, usize, u32)>,
    ) -> Result<(), ActivityError> {
        let regions = self.counts.len().div_ceil(REGION);
        let mut pending: Vec<Vec<(u32, u32)>> = vec![Vec::new(); regions];
        let mut failure = None;
        for (person, date, kind, quantity) in entries {
            let slot = match self.entry_slot(person, date, kind) {
                Ok(s) => s,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            };
            // REGION is a non-zero constant and an offset within a region
            // is below it, so these never fail.
            let (Some(region), Some(Ok(offset))) = (
                slot.checked_div(REGION),
                slot.checked_rem(REGION).map(u32::try_from),
            ) else {
                failure = Some(ActivityError::Overflow { what: "week grid" });
                break;
            };
            let Some(buffer) = pending.get_mut(region) else {
                failure = Some(ActivityError::Overflow { what: "week grid" });
                break;
            };
            if buffer.capacity() == 0 {
                buffer.reserve_exact(BUFFER);
            }
            buffer.push((offset, quantity));
            if buffer.len() >= BUFFER {
                apply(&mut self.counts, region, buffer)?;
            }
        }
        for (region, buffer) in pending.iter_mut().enumerate() {
            apply(&mut self.counts, region, buffer)?;
        }
        failure.map_or(Ok(()), Err)
    }

    /// A person's count of a kind in week `week` (0 is the first), or
    /// `None` when the person, the week or the kind is outside the table
    /// (never a count of 0 for a key that is not there).
    pub fn week(&self, person: usize, week: usize, kind: usize) -> Option<u64> {
        self.slot(person, week, kind)
            .and_then(|s| self.counts.get(s))
            .map(|c| u64::from(*c))
    }

    /// A person's count of a kind in every week that has started by
    /// `through` (entries are dated up to the day they are logged, so this
    /// is the activity to date), or `None` when the person or the kind is
    /// outside the table.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::activity::WeekGrid;
    ///
    /// let d = |day| NaiveDate::from_ymd_opt(2025, 4, day).unwrap();
    /// let mut grid = WeekGrid::new(d(7), 3, 1, 1)?;
    /// grid.extend([(0, d(7), 0, 10), (0, d(15), 0, 4), (0, d(23), 0, 7)])?;
    /// assert_eq!(grid.through(0, 0, d(14)), Some(14)); // the second week has started
    /// assert_eq!(grid.through(0, 0, d(13)), Some(10));
    /// assert_eq!(grid.through(1, 0, d(13)), None); // one person only
    /// assert_eq!(grid.totals_through(d(30)), [21]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn through(&self, person: usize, kind: usize, through: NaiveDate) -> Option<u64> {
        if person >= self.people || kind >= self.kinds {
            return None;
        }
        debug_assert!(u32::try_from(self.weeks).is_ok());
        (0..self.weeks_started(through)).try_fold(0u64, |acc, w| {
            // bound: at most u32::MAX weeks (checked in `new`) of u32
            // counts add up to less than u64::MAX: this never saturates.
            Some(acc.saturating_add(self.week(person, w, kind)?))
        })
    }

    /// Every person's count of every kind over the weeks started by
    /// `through`, as `[person × kinds + kind]`: [`through`](Self::through)
    /// for everyone at once, in one sequential pass over the table.
    pub fn totals_through(&self, through: NaiveDate) -> Vec<u64> {
        debug_assert!(u32::try_from(self.weeks).is_ok());
        let mut out = vec![0u64; self.width];
        for week in self
            .counts
            .chunks(self.width.max(1))
            .take(self.weeks_started(through))
        {
            for (total, count) in out.iter_mut().zip(week) {
                // bound: at most u32::MAX weeks (checked in `new`) of u32
                // counts add up to less than u64::MAX: this never saturates.
                *total = total.saturating_add(u64::from(*count));
            }
        }
        out
    }

    /// How many of the table's weeks have started by `through`.
    fn weeks_started(&self, through: NaiveDate) -> usize {
        match self.week_of(through) {
            Some(w) => {
                debug_assert!(w < self.weeks);
                // bound: `week_of` gives a week below `self.weeks`, so one
                // more is at most `self.weeks`.
                w.saturating_add(1)
            }
            None if through >= self.first => self.weeks,
            None => 0,
        }
    }
}
