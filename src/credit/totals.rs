//! Credited totals per position and person per period, with every
//! manager's roll-up computed by one pass over the org.

use std::borrow::Cow;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::engine::{Crediting, NONE, Raw, Sink};
use super::feed::Feed;
use super::line::{CreditKind, CreditRun};
use super::plan::CreditBasis;
use super::transaction::Transaction;
use crate::calendar::Period;
use crate::credit::CreditError;
#[cfg(feature = "parallel")]
use crate::execution::Execution;
use crate::ids::{PersonId, PositionId};
use crate::kernel::hash::FxHashMap;
use crate::kernel::mem::written_zeros;
use crate::money::{ArithOp, Currency};
use crate::org::{Org, OrgError, OrgSnapshot};

#[path = "blocks.rs"]
mod blocks;
#[path = "roll_up.rs"]
mod roll_up;

use self::roll_up::ShapePass;

/// The largest magnitude a `Decimal` mantissa holds: totals stay within it.
const BOUND: i128 = 79_228_162_514_264_337_593_543_950_335;

fn add_bounded(a: i128, b: i128) -> Option<i128> {
    a.checked_add(b)
        .filter(|s| s.unsigned_abs() <= BOUND.unsigned_abs())
}

/// One position's or person's credit in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CreditTotal {
    direct: Decimal,
    overlay: Decimal,
    roll_up: Decimal,
}

impl CreditTotal {
    /// Direct credit: their own sales.
    pub const fn direct(&self) -> Decimal {
        self.direct
    }

    /// Overlay credit.
    pub const fn overlay(&self) -> Decimal {
        self.overlay
    }

    /// Roll-up (indirect) credit: the direct credit of everyone below them
    /// on each sale's booking date.
    pub const fn roll_up(&self) -> Decimal {
        self.roll_up
    }
}

/// Credited totals per position and per person, per period.
///
/// Built by [`Crediting::totals`] straight from a feed, or by
/// [`CreditTotals::from_run`] from credit lines; the two agree. Roll-up
/// credit is computed with one bottom-up pass over the org per period for
/// each distinct shape of the org (and set of managers) among the sales'
/// booking dates, not one line per ancestor.
#[derive(Debug, Clone)]
pub struct CreditTotals {
    org: Org,
    periods: Vec<Period>,
    basis: CreditBasis,
    currency: Currency,
    scale: u32,
    /// `[position × periods + period]`.
    direct: Vec<i128>,
    overlay: Vec<i128>,
    roll_up: Rows,
    /// `[person × periods + period]`.
    person_direct: Vec<i128>,
    person_overlay: Vec<i128>,
    person_roll_up: Rows,
}

impl Crediting<'_> {
    /// Credits `transactions` as [`run`](Self::run) does, adding every
    /// credit dated within one of `periods` into per-period totals per
    /// position and person. Credits outside every period are left out.
    ///
    /// # Errors
    ///
    /// As [`run`](Self::run); [`CreditError::Periods`] for periods that
    /// overlap or are out of order; [`CreditError::TotalOverflow`] for a
    /// total beyond a `Decimal`; [`CreditError::Org`] when the org cannot
    /// be seen on a booking date.
    ///
    /// # Examples
    ///
    /// A sale in each quarter, and a return of part of the first one in the
    /// second: each quarter has its own total, and the manager's roll-up follows.
    ///
    /// ```
    /// use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
    /// use salesplan::{AccountId, Currency, Money, Period, PersonId, PositionId, TransactionId};
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let always = DateRange::starting(d(1, 1));
    /// # let org = Org::builder()
    /// #     .position(Position::new(pos("lead"), Role::TeamLead))
    /// #     .position(Position::new(pos("ana"), Role::SalesRep))
    /// #     .line(ReportingLine::top(pos("lead"), always))
    /// #     .line(ReportingLine::new(pos("ana"), pos("lead"), always))
    /// #     .assignment(Assignment::new(PersonId::new("ana")?, pos("ana"), always))
    /// #     .build()?;
    ///
    /// let usd = |s: &str| Money::parse(s, Currency::USD).unwrap();
    /// let tx = |id: &str, kind, date, amount| Transaction::new(TransactionId::new(id).unwrap(), kind, date,
    ///     AccountId::new("ACME").unwrap(), usd(amount));
    /// let feed = [
    ///     tx("SO-1", TransactionKind::Order, d(2, 10), "8000.00").with_owner(pos("ana")),
    ///     tx("SO-2", TransactionKind::Order, d(5, 6), "2000.00").with_owner(pos("ana")),
    ///     tx("RT-1", TransactionKind::Return, d(4, 15), "-1000.00").with_original(TransactionId::new("SO-1")?),
    /// ];
    /// let quarters = [Period::new(d(1, 1), d(4, 1))?, Period::new(d(4, 1), d(7, 1))?];
    /// let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    /// let totals = Crediting::new(&org, &plan).totals(&feed, &quarters)?;
    /// let ana = PersonId::new("ana")?;
    /// assert_eq!(totals.person(&ana, 0).unwrap().direct().to_string(), "8000.00");
    /// assert_eq!(totals.person(&ana, 1).unwrap().direct().to_string(), "1000.00");
    /// assert_eq!(totals.position(&pos("lead"), 1).unwrap().roll_up().to_string(), "1000.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn totals(
        &self,
        transactions: &[Transaction],
        periods: &[Period],
    ) -> Result<CreditTotals, CreditError> {
        let converted = super::fx::convert(self.plan, self.rates(), transactions)?;
        let transactions = &*converted.transactions;
        let feed = Feed::new(self.org, self.plan, transactions, self.execution)?;
        let finish = |acc: Accumulator<'_>, shape| {
            acc.finish(
                self.plan.basis().clone(),
                self.plan.currency(),
                self.plan.scale(),
                shape,
            )
        };
        // The fast way: credits kept by blocks of positions, checked and
        // added block by block.
        let mut acc = Accumulator::new(self.org, periods)?;
        let changes = acc.changes.clone();
        if let Some(kept) = self.blocks(&feed, periods, &changes) {
            let (applied, shape) = match self.execution {
                // The org's shape on the first direct credit's date is
                // built while the blocks are added.
                #[cfg(feature = "parallel")]
                Execution::Parallel => {
                    let (org, first) = (self.org, kept.iter().find_map(|b| b.first()));
                    rayon::join(
                        || acc.apply(kept, Execution::Parallel).is_some(),
                        || first.map(|(_, date)| org.as_of(date)),
                    )
                }
                _ => (acc.apply(kept, self.execution).is_some(), None),
            };
            if applied {
                return finish(acc, shape);
            }
        }
        drop(acc);
        // A fault: the one-by-one way finds the first (or adds without
        // overflow where the blocks' order overflowed).
        let mut acc = Accumulator::new(self.org, periods)?;
        let mut sink = TotalsSink { acc: &mut acc };
        self.credit(&feed, &mut sink)?;
        finish(acc, None)
    }
}

impl CreditTotals {
    /// Totals of a run's direct and overlay lines, per period, with roll-up
    /// credit computed over the org (a run's own roll-up lines are not
    /// added again: they must agree with it).
    ///
    /// # Errors
    ///
    /// [`CreditError::Periods`]; [`CreditError::UnknownPosition`] for a
    /// line of a position not in `org`; [`CreditError::Precision`] for an
    /// amount beyond the run's scale; [`CreditError::TotalOverflow`];
    /// [`CreditError::Org`].
    ///
    /// # Examples
    ///
    /// Lines handed in by a CRM, totalled per quarter with the manager's
    /// roll-up worked out over the org:
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use salesplan::credit::{CreditBasis, CreditLine, CreditRule, CreditRun, CreditTotals};
    /// use salesplan::{Currency, Period, PositionId, TransactionId};
    /// # use chrono::NaiveDate;
    /// # use salesplan::calendar::DateRange;
    /// # use salesplan::org::{Org, Position, ReportingLine, Role};
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    /// # let always = DateRange::starting(d(1, 1));
    /// # let org = Org::builder()
    /// #     .position(Position::new(pos("lead"), Role::TeamLead))
    /// #     .position(Position::new(pos("ana"), Role::SalesRep))
    /// #     .line(ReportingLine::top(pos("lead"), always))
    /// #     .line(ReportingLine::new(pos("ana"), pos("lead"), always))
    /// #     .build()?;
    ///
    /// let owner = CreditRule::Owner { share: "100%".parse()? };
    /// let line = CreditLine::new(pos("ana"), TransactionId::new("SO-1")?, owner, Decimal::from(2500), d(2, 3));
    /// let run = CreditRun::from_lines(CreditBasis::Revenue, Currency::USD, vec![line])?;
    /// let q1 = Period::new(d(1, 1), d(4, 1))?;
    /// let totals = CreditTotals::from_run(&org, &run, &[q1])?;
    /// assert_eq!(totals.position(&pos("ana"), 0).unwrap().direct().to_string(), "2500.00");
    /// assert_eq!(totals.position(&pos("lead"), 0).unwrap().roll_up().to_string(), "2500.00");
    /// assert_eq!(totals.position(&pos("lead"), 1), None); // no second period
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_run(
        org: &Org,
        run: &CreditRun,
        periods: &[Period],
    ) -> Result<CreditTotals, CreditError> {
        let mut acc = Accumulator::new(org, periods)?;
        for line in run.lines() {
            if line.kind() == CreditKind::RollUp {
                continue;
            }
            let position = org.position_index(line.position()).ok_or_else(|| {
                CreditError::UnknownPosition {
                    transaction: line.transaction().clone(),
                    position: line.position().clone(),
                }
            })?;
            // `NONE`: a line of a vacant seat (no person's totals).
            let person = line
                .person()
                .and_then(|p| org.person_index(p))
                .unwrap_or(NONE);
            let amount =
                crate::money::scaled_integer(line.amount(), run.scale()).ok_or_else(|| {
                    CreditError::Precision {
                        transaction: line.transaction().clone(),
                        field: "amount".to_owned(),
                        value: line.amount(),
                        places: run.scale(),
                    }
                })?;
            let credit = Credit {
                position,
                person,
                kind: line.kind(),
                amount,
                as_of: line.as_of(),
            };
            acc.add(credit, line.date())
                .ok_or_else(|| CreditError::Overflow {
                    transaction: line.transaction().clone(),
                })?;
        }
        acc.finish(run.basis().clone(), run.currency(), run.scale(), None)
    }

    /// The periods, in order; totals are asked for by index into them.
    pub fn periods(&self) -> &[Period] {
        &self.periods
    }

    /// What the amounts measure.
    pub const fn basis(&self) -> &CreditBasis {
        &self.basis
    }

    /// The plan's currency.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// A position's credit in period `period` (an index into
    /// [`periods`](Self::periods)); `None` for a position not in the org or
    /// a period out of range.
    pub fn position(&self, position: &PositionId, period: usize) -> Option<CreditTotal> {
        let ix = self.org.position_index(position)?;
        self.total(ix, period, &self.direct, &self.overlay, &self.roll_up)
    }

    /// A person's credit in period `period`: what they earned in whichever
    /// seats they held on each sale's booking date; `None` for a person not
    /// in the org or a period out of range.
    ///
    /// # Examples
    ///
    /// A rep who changes seats keeps the credit of both: the person's total is
    /// what each of their seats was credited while they held it.
    ///
    /// ```
    /// use salesplan::credit::{CreditBasis, CreditPlan, Crediting, Transaction, TransactionKind};
    /// use salesplan::org::{Assignment, Org, Position, ReportingLine, Role};
    /// use salesplan::calendar::DateRange;
    /// use salesplan::{AccountId, Currency, Money, Period, PersonId, PositionId, TransactionId};
    /// # use chrono::NaiveDate;
    /// # let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
    /// # let pos = |s: &str| PositionId::new(s).unwrap();
    ///
    /// let ana = PersonId::new("ana")?;
    /// let (jan, feb) = (DateRange::new(d(1, 1), Some(d(2, 1)))?, DateRange::starting(d(2, 1)));
    /// let always = DateRange::starting(d(1, 1));
    /// let org = Org::builder()
    ///     .position(Position::new(pos("lead"), Role::TeamLead))
    ///     .position(Position::new(pos("east"), Role::SalesRep))
    ///     .position(Position::new(pos("west"), Role::SalesRep))
    ///     .line(ReportingLine::top(pos("lead"), always))
    ///     .line(ReportingLine::new(pos("east"), pos("lead"), always))
    ///     .line(ReportingLine::new(pos("west"), pos("lead"), always))
    ///     .assignment(Assignment::new(ana.clone(), pos("east"), jan))
    ///     .assignment(Assignment::new(ana.clone(), pos("west"), feb))
    ///     .build()?;
    /// let sale = |id: &str, date, seat: &str| Transaction::new(TransactionId::new(id).unwrap(),
    ///     TransactionKind::Order, date, AccountId::new("ACME").unwrap(),
    ///     Money::parse("300.00", Currency::USD).unwrap()).with_owner(pos(seat));
    /// let feed = [sale("SO-1", d(1, 20), "east"), sale("SO-2", d(2, 20), "west")];
    /// let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    /// let q1 = Period::new(d(1, 1), d(4, 1))?;
    /// let totals = Crediting::new(&org, &plan).totals(&feed, &[q1])?;
    /// assert_eq!(totals.person(&ana, 0).unwrap().direct().to_string(), "600.00");
    /// assert_eq!(totals.position(&pos("east"), 0).unwrap().direct().to_string(), "300.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn person(&self, person: &PersonId, period: usize) -> Option<CreditTotal> {
        let ix = self.org.person_index(person)?;
        self.total(
            ix,
            period,
            &self.person_direct,
            &self.person_overlay,
            &self.person_roll_up,
        )
    }

    fn slot(&self, ix: u32, period: usize) -> Option<usize> {
        if period >= self.periods.len() {
            return None;
        }
        (ix as usize)
            .checked_mul(self.periods.len())?
            .checked_add(period)
    }

    fn total(
        &self,
        ix: u32,
        period: usize,
        d: &[i128],
        o: &[i128],
        r: &Rows,
    ) -> Option<CreditTotal> {
        let slot = self.slot(ix, period)?;
        let dec = |v: Option<&i128>| {
            v.and_then(|x| Decimal::try_from_i128_with_scale(*x, self.scale).ok())
        };
        Some(CreditTotal {
            direct: dec(d.get(slot))?,
            overlay: dec(o.get(slot))?,
            roll_up: dec(r.get(ix, period).as_ref())?,
        })
    }
}

/// Per-period totals of the few among many (the managers among every
/// position): a row number per key and the rows, instead of an array as
/// long as the org (a fresh page and a cache miss per manager).
#[derive(Debug, Clone)]
struct Rows {
    /// Each key's row (`NONE` for none).
    row: Vec<u32>,
    /// `width` totals a row.
    values: Vec<i128>,
    width: usize,
}

impl Rows {
    fn new(keys: usize, width: usize) -> Rows {
        Rows {
            row: vec![NONE; keys],
            values: Vec::new(),
            width,
        }
    }

    /// Key `key`'s total in period `period`: zero for a key without a
    /// row, `None` for a key or period out of range.
    fn get(&self, key: u32, period: usize) -> Option<i128> {
        if period >= self.width {
            return None;
        }
        match *self.row.get(key as usize)? {
            NONE => Some(0),
            r => {
                let slot = (r as usize).checked_mul(self.width)?.checked_add(period)?;
                self.values.get(slot).copied()
            }
        }
    }

    /// Adds `amount` to key `key`'s total in period `period`; `None` on
    /// overflow.
    fn add(&mut self, key: u32, period: usize, amount: i128) -> Option<()> {
        let row = self.row.get_mut(key as usize)?;
        if *row == NONE {
            *row = u32::try_from(self.values.len().checked_div(self.width)?).ok()?;
            let grown = self.values.len().checked_add(self.width)?;
            self.values.resize(grown, 0);
        }
        let slot = (*row as usize)
            .checked_mul(self.width)?
            .checked_add(period)?;
        let total = self.values.get_mut(slot)?;
        *total = add_bounded(*total, amount)?;
        Some(())
    }
}

/// Per-period sums, and what the roll-up needs.
struct Accumulator<'o> {
    org: &'o Org,
    periods: Vec<Period>,
    direct: Vec<i128>,
    overlay: Vec<i128>,
    person_direct: Vec<i128>,
    person_overlay: Vec<i128>,
    /// Dates where the org's shape or managers change.
    changes: Vec<NaiveDate>,
    shapes: Shapes,
}

/// Direct credit by shape of the org, for the roll-up.
#[derive(Default)]
struct Shapes {
    /// The shape of the first direct credit: (epoch, a date in it).
    first: Option<(usize, NaiveDate)>,
    /// Direct credit in other shapes: (epoch, position, period) -> amount.
    others: FxHashMap<(usize, u32, u32), i128>,
    /// A date in each of the other shapes (any date in an epoch sees the
    /// same tree and managers).
    other_dates: FxHashMap<usize, NaiveDate>,
}

impl Shapes {
    /// Adds `amount` of direct credit to `position` in period `period` of
    /// the shape `epoch` (not the first), seen on `as_of`; `None` on
    /// overflow.
    fn add_other(
        &mut self,
        epoch: usize,
        position: u32,
        period: u32,
        amount: i128,
        as_of: NaiveDate,
    ) -> Option<()> {
        let slot = self.others.entry((epoch, position, period)).or_insert(0);
        *slot = add_bounded(*slot, amount)?;
        self.other_dates.entry(epoch).or_insert(as_of);
        Some(())
    }

    /// Adds `other`'s credit in other shapes (a later part of the same
    /// credits, which started from the same first shape); `None` on
    /// overflow.
    #[cfg(feature = "parallel")]
    fn merge(&mut self, other: Shapes) -> Option<()> {
        let dates = other.other_dates;
        for ((epoch, position, period), amount) in other.others {
            let as_of = dates.get(&epoch).copied().unwrap_or(NaiveDate::MIN);
            self.add_other(epoch, position, period, amount, as_of)?;
        }
        Some(())
    }
}

/// Where credits are added: the totals of the positions from `base` on
/// (a range of the org's, or all of them) and of every person.
struct Sums<'a> {
    periods: &'a [Period],
    /// The first position's index.
    base: u32,
    direct: &'a mut [i128],
    overlay: &'a mut [i128],
    person_direct: &'a mut [i128],
    person_overlay: &'a mut [i128],
    changes: &'a [NaiveDate],
    shapes: &'a mut Shapes,
}

impl Sums<'_> {
    /// Adds one credit dated in period `period`; `None` on overflow.
    fn add(&mut self, credit: Credit, period: usize) -> Option<()> {
        let Credit {
            position,
            person,
            kind,
            amount,
            as_of,
        } = credit;
        let n = self.periods.len();
        let (own, people) = match kind {
            CreditKind::Direct => (&mut *self.direct, &mut *self.person_direct),
            CreditKind::Overlay => (&mut *self.overlay, &mut *self.person_overlay),
            CreditKind::RollUp => return Some(()),
        };
        let slot = (position.checked_sub(self.base)? as usize)
            .checked_mul(n)?
            .checked_add(period)?;
        let total = own.get_mut(slot)?;
        *total = add_bounded(*total, amount)?;
        if person != NONE {
            let slot = (person as usize).checked_mul(n)?.checked_add(period)?;
            let total = people.get_mut(slot)?;
            *total = add_bounded(*total, amount)?;
        }
        if kind == CreditKind::Direct {
            let epoch = epoch_in(self.changes, as_of);
            let shapes = &mut *self.shapes;
            match shapes.first {
                None => shapes.first = Some((epoch, as_of)),
                Some((first, _)) if first == epoch => {}
                Some(_) => {
                    shapes.add_other(
                        epoch,
                        position,
                        u32::try_from(period).ok()?,
                        amount,
                        as_of,
                    )?;
                }
            }
        }
        Some(())
    }
}

impl<'o> Accumulator<'o> {
    fn new(org: &'o Org, periods: &[Period]) -> Result<Accumulator<'o>, CreditError> {
        for w in periods.windows(2) {
            if let [first, second] = w
                && second.start() < first.end()
            {
                return Err(CreditError::Periods {
                    first: *first,
                    second: *second,
                });
            }
        }
        let (positions, people) = org.counts();
        let n = periods.len();
        let (by_position, by_person) = (slots(positions, n)?, slots(people, n)?);
        Ok(Accumulator {
            org,
            periods: periods.to_vec(),
            direct: written_zeros(by_position),
            overlay: vec![0; by_position],
            person_direct: written_zeros(by_person),
            person_overlay: vec![0; by_person],
            changes: org.change_dates(),
            shapes: Shapes::default(),
        })
    }

    /// The error for `left - right` on the direct total of `position` in
    /// period `period`, naming them (`left` is `None` when the table has
    /// no such total).
    fn period_total_overflow(
        &self,
        position: u32,
        period: u32,
        left: Option<i128>,
        right: i128,
    ) -> CreditError {
        let at = (
            self.org.position_at(position),
            self.periods.get(period as usize),
            left,
        );
        match at {
            (Some(p), Some(period), Some(left)) => CreditError::PeriodTotalOverflow {
                position: p.id().clone(),
                period: *period,
                op: ArithOp::Sub,
                left,
                right,
            },
            // Every total kept is of a position of the org in one of the
            // periods, in the table: never taken, but a total out of the
            // table is one it cannot index.
            _ => CreditError::TooManyTotals {
                keys: self.org.counts().0,
                periods: self.periods.len(),
            },
        }
    }

    fn period_of(&self, date: NaiveDate) -> Option<usize> {
        period_in(&self.periods, date)
    }

    /// Adds one credit dated `date` (nothing outside the periods); `None`
    /// on overflow.
    fn add(&mut self, credit: Credit, date: NaiveDate) -> Option<()> {
        let Some(period) = self.period_of(date) else {
            return Some(());
        };
        self.sums().add(credit, period)
    }

    /// Every total, as one [`Sums`].
    fn sums(&mut self) -> Sums<'_> {
        Sums {
            periods: &self.periods,
            base: 0,
            direct: &mut self.direct,
            overlay: &mut self.overlay,
            person_direct: &mut self.person_direct,
            person_overlay: &mut self.person_overlay,
            changes: &self.changes,
            shapes: &mut self.shapes,
        }
    }

    /// The totals, roll-up computed; `first_shape` is the org's shape on
    /// the first direct credit's date when already built.
    fn finish(
        self,
        basis: CreditBasis,
        currency: Currency,
        scale: u32,
        mut first_shape: Option<Result<OrgSnapshot, OrgError>>,
    ) -> Result<CreditTotals, CreditError> {
        let (positions, people) = self.org.counts();
        let n = self.periods.len();
        let mut roll_up = Rows::new(positions, n);
        let mut person_roll_up = Rows::new(people, n);
        // Direct credit by shape: the first shape has what the others
        // do not.
        let mut by_epoch: Vec<((usize, u32, u32), i128)> =
            self.shapes.others.iter().map(|(k, v)| (*k, *v)).collect();
        by_epoch.sort_unstable();
        let first_own = self.first_own(&by_epoch)?;
        let mut carry = vec![0i128; n];
        for (e, (epoch, date)) in self.epochs().iter().enumerate() {
            let snapshot = match (e, first_shape.take()) {
                (0, Some(shape)) => shape?,
                _ => self.org.as_of(*date)?,
            };
            let pass = ShapePass::new(&snapshot, n)?;
            let below = if e == 0 {
                pass.below(&mut carry, |nodes, own| pass.gather(&first_own, nodes, own))?
            } else {
                let later = pass.later_credits(&by_epoch, *epoch);
                pass.below(&mut carry, |nodes, own| pass.scatter(&later, nodes, own))?
            };
            let totals = (&mut roll_up, &mut person_roll_up);
            pass.record(self.org, *date, &below, totals)?;
        }
        drop(first_own);
        Ok(CreditTotals {
            org: self.org.clone(),
            periods: self.periods,
            basis,
            currency,
            scale,
            direct: self.direct,
            overlay: self.overlay,
            roll_up,
            person_direct: self.person_direct,
            person_overlay: self.person_overlay,
            person_roll_up,
        })
    }

    /// The first shape's own direct credit: every direct total, less the
    /// credit of the other shapes (`by_epoch`, sorted); all of it when
    /// there is one shape.
    fn first_own(
        &self,
        by_epoch: &[((usize, u32, u32), i128)],
    ) -> Result<Cow<'_, [i128]>, CreditError> {
        if by_epoch.is_empty() {
            return Ok(Cow::Borrowed(&self.direct));
        }
        let n = self.periods.len();
        let mut own = self.direct.clone();
        for ((_, position, period), amount) in by_epoch {
            let total = (*position as usize)
                .checked_mul(n)
                .and_then(|s| s.checked_add(*period as usize))
                .and_then(|s| own.get_mut(s));
            let left = total.as_deref().copied();
            match (total, left.and_then(|v| v.checked_sub(*amount))) {
                (Some(total), Some(rest)) => *total = rest,
                _ => return Err(self.period_total_overflow(*position, *period, left, *amount)),
            }
        }
        Ok(Cow::Owned(own))
    }

    /// Every shape of the org with direct credit, as (epoch, a date in
    /// it): the first direct credit's, then the others in order.
    fn epochs(&self) -> Vec<(usize, NaiveDate)> {
        let mut epochs: Vec<(usize, NaiveDate)> = self.shapes.first.into_iter().collect();
        let mut other: Vec<(usize, NaiveDate)> = self
            .shapes
            .other_dates
            .iter()
            .map(|(e, d)| (*e, *d))
            .collect();
        other.sort_unstable();
        epochs.extend(other);
        epochs
    }
}

/// `keys × periods` totals, or an error when that is more than memory
/// can index.
fn slots(keys: usize, periods: usize) -> Result<usize, CreditError> {
    keys.checked_mul(periods)
        .ok_or(CreditError::TooManyTotals { keys, periods })
}

/// One credit to add: to whom, of which kind, how much, and the org date
/// (its sale's booking date).
#[derive(Debug, Clone, Copy)]
struct Credit {
    position: u32,
    /// `NONE` for a vacant seat.
    person: u32,
    kind: CreditKind,
    amount: i128,
    as_of: NaiveDate,
}

/// The period of `periods` (sorted, not overlapping) that holds `date`.
fn period_in(periods: &[Period], date: NaiveDate) -> Option<usize> {
    let at = periods.partition_point(|p| p.start() <= date);
    let p = at.checked_sub(1)?;
    periods.get(p).filter(|x| x.contains(date)).map(|_| p)
}

/// The epoch (shape of the org, between two of `changes`) of `as_of`.
fn epoch_in(changes: &[NaiveDate], as_of: NaiveDate) -> usize {
    changes.partition_point(|d| *d <= as_of)
}

/// Adds the engine's credits into an accumulator.
struct TotalsSink<'a, 'o> {
    acc: &'a mut Accumulator<'o>,
}

impl Sink for TotalsSink<'_, '_> {
    fn wants_roll_up_lines(&self) -> bool {
        false
    }

    fn credit(&mut self, raw: Raw<'_>) -> Result<(), CreditError> {
        let credit = Credit {
            position: raw.position,
            person: raw.person,
            kind: raw.kind,
            amount: raw.amount,
            as_of: raw.as_of,
        };
        self.acc
            .add(credit, raw.date)
            .ok_or_else(|| CreditError::Overflow {
                transaction: raw.tx.id().clone(),
            })
    }
}

#[cfg(test)]
#[cfg(feature = "parallel")]
mod tests {
    use super::*;
    use crate::calendar::DateRange;
    use crate::credit::{CreditPlan, Owner, TransactionKind};
    use crate::ids::{AccountId, PersonId, TransactionId};
    use crate::money::Money;
    use crate::org::{Assignment, Position, ReportingLine, Role};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, d).unwrap()
    }

    fn pid(s: &str) -> PositionId {
        PositionId::new(s).unwrap()
    }

    /// The blocks of 3,000 seats (three blocks) added in two halves on two
    /// threads: the fast way does not give up, and gives what one thread
    /// gives, people included (p0..p99 hold a seat in each half).
    #[test]
    fn both_halves_add_what_one_thread_adds() {
        let always = DateRange::starting(day(1, 1));
        let jan = DateRange::new(day(1, 1), Some(day(2, 1))).unwrap();
        let feb = DateRange::starting(day(2, 1));
        let mut b = Org::builder()
            .position(Position::new(pid("lead"), Role::TeamLead))
            .line(ReportingLine::top(pid("lead"), always));
        for i in 0..3_000 {
            let rep = pid(&format!("r{i}"));
            b = b
                .position(Position::new(rep.clone(), Role::SalesRep))
                .line(ReportingLine::new(rep.clone(), pid("lead"), always));
            b = match i {
                0..100 => b.assignment(Assignment::new(
                    PersonId::new(&format!("p{i}")).unwrap(),
                    rep,
                    jan,
                )),
                2_900.. => b.assignment(Assignment::new(
                    PersonId::new(&format!("p{}", i - 2_900)).unwrap(),
                    rep,
                    feb,
                )),
                _ => b.assignment(Assignment::new(
                    PersonId::new(&format!("p{i}")).unwrap(),
                    rep,
                    always,
                )),
            };
        }
        let org = b.build().unwrap();
        let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
        let txs: Vec<Transaction> = (0..9_000u32)
            .map(|i| {
                Transaction::new(
                    TransactionId::new(&format!("T{i}")).unwrap(),
                    TransactionKind::Order,
                    day(1 + i % 3, 10),
                    AccountId::new("A").unwrap(),
                    Money::from_minor(i128::from(100 + i), Currency::USD).unwrap(),
                )
                .with_owners(vec![Owner::sole(pid(&format!("r{}", (i * 7) % 3_000)))])
            })
            .collect();
        let periods: Vec<Period> = (1..=3)
            .map(|m| {
                Period::new(day(m, 1), NaiveDate::from_ymd_opt(2025, m + 1, 1).unwrap()).unwrap()
            })
            .collect();
        let crediting = Crediting::new(&org, &plan).execution(Execution::Parallel);
        let feed = Feed::new(&org, &plan, &txs, Execution::Parallel).unwrap();
        let sums = |execution| {
            let mut acc = Accumulator::new(&org, &periods).unwrap();
            let changes = acc.changes.clone();
            let kept = crediting.blocks(&feed, &periods, &changes).unwrap();
            assert_eq!(kept.len(), 2, "both threads credit");
            assert!(
                acc.apply(kept, execution).is_some(),
                "{execution:?} gave up"
            );
            (acc.direct, acc.person_direct)
        };
        let (direct, people) = sums(Execution::Parallel);
        assert!(people.iter().any(|v| *v != 0));
        assert_eq!((direct, people), sums(Execution::Sequential));
    }
}

#[cfg(test)]
mod checked {
    use super::*;
    use crate::calendar::DateRange;
    use crate::org::{Position, ReportingLine, Role};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, d).unwrap()
    }

    /// Issue #27, defect 8: taking the direct credit of a later shape of
    /// the org from a position's direct total is checked. The totals add
    /// up so that it cannot overflow; with the invariant broken by hand,
    /// the error names the position, the period and the operands (before
    /// the fix the total saturated at `i128::MIN`, silently).
    #[test]
    fn a_period_total_past_128_bits_is_an_error_naming_it() {
        let rep = PositionId::new("rep").unwrap();
        let org = Org::builder()
            .position(Position::new(rep.clone(), Role::SalesRep))
            .line(ReportingLine::top(
                rep.clone(),
                DateRange::starting(day(1, 1)),
            ))
            .build()
            .unwrap();
        let q1 = Period::new(day(1, 1), day(4, 1)).unwrap();
        let mut acc = Accumulator::new(&org, &[q1]).unwrap();
        acc.direct[0] = i128::MIN + 1;
        acc.shapes.first = Some((0, day(1, 10)));
        acc.shapes.add_other(1, 0, 0, 5, day(2, 10)).unwrap();
        let err = acc
            .finish(CreditBasis::Revenue, Currency::USD, 2, None)
            .unwrap_err();
        assert_eq!(
            err,
            CreditError::PeriodTotalOverflow {
                position: rep,
                period: q1,
                op: ArithOp::Sub,
                left: i128::MIN + 1,
                right: 5,
            }
        );
    }

    /// A table of totals larger than memory can index is an error naming
    /// its two sides.
    #[test]
    fn too_many_totals_is_an_error() {
        assert_eq!(slots(1_000, 12), Ok(12_000));
        assert_eq!(
            slots(usize::MAX, 2),
            Err(CreditError::TooManyTotals {
                keys: usize::MAX,
                periods: 2,
            })
        );
    }
}
