//! Credited lines as columns: what a CRM that credits on its own exports
//! (a row per credit, integer ids, amounts in minor units, days), handed
//! to the commission engine as they are, with no [`CreditLine`] per row.
//!
//! [`CreditLineColumns`] checks the columns once, as
//! [`CreditRun::from_lines`] checks rows, and keeps each person's lines
//! together (a counting sort by person key), so that working out one
//! person's pay reads one short run of memory.
//! [`Commissions::from_columns`](crate::comp::Commissions::from_columns)
//! takes them.

use std::ops::Range;

use chrono::NaiveDate;

use super::line::{CreditKind, CreditLine, CreditRule, CreditRun};
use super::plan::{CreditBasis, MAX_QUANTITY_SCALE};
use crate::execution::Execution;
use crate::ids::{PersonId, PositionId, TransactionId};
use crate::kernel::columns::join;
use crate::kernel::hash::FxHashMap;
use crate::kernel::rows::Rows;
use crate::money::{Currency, MoneyError, Percent};
use rust_decimal::Decimal;

/// The person key of a vacant seat's line.
const VACANT: u32 = u32::MAX;

/// The days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
const EPOCH_FROM_CE: i32 = 719_163;

/// The first and last days chrono's dates reach, as days of the columns
/// (`NaiveDate::MIN` is -262143-01-01, `NaiveDate::MAX` 262142-12-31).
const MIN_DAY: i32 = -96_465_292;
const MAX_DAY: i32 = 95_026_236;

/// A day as the columns give it (days since 1970-01-01, as Arrow's
/// `date32` and Parquet's `DATE`), as a date; `None` past chrono's range.
pub(crate) fn day_date(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(days.checked_add(EPOCH_FROM_CE)?)
}

/// `minor` units of `scale` (at most 28 places: never more here) as a
/// decimal.
pub(crate) fn decimal(minor: i64, scale: u32) -> Result<Decimal, MoneyError> {
    Decimal::try_new(minor, scale).map_err(|_| MoneyError::IntegerTooLarge {
        value: i128::from(minor),
    })
}

/// A date as a day of the columns (see [`day_date`]); `None` when it does
/// not fit.
pub(crate) fn date_day(date: NaiveDate) -> Option<i32> {
    use chrono::Datelike;
    date.num_days_from_ce().checked_sub(EPOCH_FROM_CE)
}

/// A bad column of [`CreditLineColumns`]: which, where (the row, counted
/// from 0 in the columns as given) and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LineColumnsError {
    /// A column every line needs was not given.
    #[error("the {column} column is missing")]
    MissingColumn {
        /// The column.
        column: &'static str,
    },
    /// A column of another length than the person keys.
    #[error("the {column} column has {found} rows, the person keys {expected}")]
    Length {
        /// The column.
        column: &'static str,
        /// The person keys' length.
        expected: usize,
        /// The column's.
        found: usize,
    },
    /// A person key that is neither one of the people nor [`CreditLineColumns::VACANT`].
    #[error("row {row}: person key {key} is not one of the {people} people (nor VACANT)")]
    PersonKey {
        /// The row.
        row: usize,
        /// The key.
        key: u32,
        /// How many people there are.
        people: usize,
    },
    /// A day that is no date.
    #[error("row {row}: {column} {days} (days from 1970-01-01) is not a date")]
    Day {
        /// The row.
        row: usize,
        /// The column (`date` or `as_of`).
        column: &'static str,
        /// The value.
        days: i32,
    },
    /// A line whose org date (its sale's booking) is after its credit
    /// date.
    #[error(
        "row {row}: transaction {transaction} is credited on {date} as of {as_of}, a later day"
    )]
    LineDates {
        /// The row.
        row: usize,
        /// The line's transaction.
        transaction: u64,
        /// Its org date.
        as_of: NaiveDate,
        /// Its credit date.
        date: NaiveDate,
    },
    /// Two lines of one sale with two org dates.
    #[error("row {row}: sale {sale} is booked on {second} here and on {first} on an earlier row")]
    SaleDates {
        /// The row of the second date.
        row: usize,
        /// The sale.
        sale: u64,
        /// The org date of its first line.
        first: NaiveDate,
        /// This row's.
        second: NaiveDate,
    },
    /// The same credit twice: two lines of one transaction, position,
    /// kind and date (one person's, two people's, or a person's and a
    /// vacant seat's).
    #[error(
        "row {row}: transaction {transaction} credits position {position} as {kind:?} on {date} a second time"
    )]
    DuplicateLine {
        /// The row of the second line.
        row: usize,
        /// The transaction.
        transaction: u64,
        /// The position.
        position: u64,
        /// The kind.
        kind: CreditKind,
        /// The credit date.
        date: NaiveDate,
    },
    /// A quantity scale beyond [`MAX_QUANTITY_SCALE`], or any scale for a
    /// money measure (its currency's minor units are the scale).
    #[error(
        "a scale of {scale} for {basis:?} (money is in its currency's minor units; quantities have at most {max} places)"
    )]
    Scale {
        /// The measure.
        basis: CreditBasis,
        /// The scale asked for.
        scale: u32,
        /// The most places a quantity has.
        max: u32,
    },
    /// More people than a `u32` key numbers (one value is
    /// [`CreditLineColumns::VACANT`]).
    #[error("{people} people: at most 4,294,967,294")]
    TooManyPeople {
        /// How many were given.
        people: usize,
    },
    /// More lines than a `u32` counts.
    #[error("{count} lines: at most 4,294,967,294")]
    TooManyLines {
        /// How many were given.
        count: usize,
    },
}

/// One credited line, as kept grouped by person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ColumnLine {
    /// The amount, in units of the scale.
    pub(crate) amount: i64,
    pub(crate) transaction: u64,
    pub(crate) sale: u64,
    pub(crate) position: u64,
    /// Days from 1970-01-01, as every day here.
    pub(crate) date: i32,
    pub(crate) as_of: i32,
    /// The line's row in the columns as given.
    pub(crate) row: u32,
    pub(crate) kind: CreditKind,
}

impl ColumnLine {
    /// A return, credit note or refund of a deal: a negative credit whose
    /// transaction is not the sale itself (the commission engine's rule).
    pub(crate) const fn is_reversal(&self) -> bool {
        self.amount < 0 && self.transaction != self.sale
    }
}

/// Credited lines as columns, checked, each person's lines kept together.
///
/// People are dense keys `0..people` (the index of each person in the
/// [`PersonInput`](crate::comp::PersonInput)s later handed to the
/// commission engine); [`VACANT`](Self::VACANT) marks a line credited to a vacant seat.
/// Ids of positions, transactions and sales are integers, as CRM exports
/// carry them; amounts are integers in units of the scale (minor units of
/// the currency for money measures); days count from 1970-01-01 (Arrow's
/// `date32`). Built with [`CreditLineColumns::builder`].
///
/// The checks are [`CreditRun::from_lines`]'s, on columns: every person
/// key in range, every day a date, no org date (the sale's booking day)
/// after its credit date, one org date per sale, and no credit given twice
/// (two lines of one person, transaction, position, kind and date). The
/// columns carry no [`CreditRule`]: a line is of the kind its column says
/// (direct when there is no kind column).
///
/// ```
/// use salesplan::credit::{CreditBasis, CreditLineColumns, LineColumnsError};
/// use salesplan::Currency;
///
/// // Three lines of two people: 1,000.00 and 250.00 to person 0, 99.99 to person 1.
/// let lines = CreditLineColumns::builder(CreditBasis::Revenue, Currency::USD, 2)
///     .person_keys(&[0, 1, 0])
///     .positions(&[7, 8, 7])
///     .transactions(&[100, 101, 102])
///     .amounts_minor(&[100_000, 9_999, 25_000])
///     .days(&[20_100, 20_101, 20_102])
///     .build()?;
/// assert_eq!((lines.len(), lines.people(), lines.lines_of(0)), (3, 2, 2));
///
/// // A person key past the people is named with its row.
/// let err = CreditLineColumns::builder(CreditBasis::Revenue, Currency::USD, 2)
///     .person_keys(&[0, 5])
///     .positions(&[7, 8])
///     .transactions(&[100, 101])
///     .amounts_minor(&[1, 2])
///     .days(&[20_100, 20_101])
///     .build()
///     .unwrap_err();
/// assert_eq!(err, LineColumnsError::PersonKey { row: 1, key: 5, people: 2 });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct CreditLineColumns {
    basis: CreditBasis,
    currency: Currency,
    scale: u32,
    people: usize,
    len: usize,
    /// The lines with a person, grouped by person key, each group in the
    /// columns' order: in parts of consecutive keys.
    parts: Vec<Part>,
}

/// The lines of the people of keys `keys`, grouped by person.
#[derive(Debug, Clone)]
struct Part {
    keys: Range<u32>,
    /// Group `k` holds the lines of person `keys.start + k`.
    rows: Rows<ColumnLine>,
    /// Per person: whether any of their lines is a reversal of a deal.
    reversals: Vec<bool>,
}

impl Part {
    /// The lines of `rows` rows of `cols` of the people of `keys`, each
    /// person's checked for credits given twice.
    fn new(cols: &Cols<'_>, rows: u32, keys: Range<u32>) -> Result<Part, LineColumnsError> {
        let first = keys.start;
        let len = keys.len();
        let too_many = |_| LineColumnsError::TooManyLines {
            count: rows as usize,
        };
        let mine = (0..rows)
            .filter(|r| {
                cols.person
                    .get(*r as usize)
                    .is_some_and(|k| keys.contains(k))
            })
            .filter_map(|r| cols.line(r))
            .filter_map(|(k, line)| Some((k.checked_sub(first)?, line)));
        let grouped = Rows::new(len, mine).map_err(too_many)?;
        let mut reversals = Vec::with_capacity(len);
        let mut repeat: Option<&ColumnLine> = None;
        // bound: a range's end is not below its start.
        for key in 0..(keys.end.saturating_sub(first)) {
            let group = grouped.get(key);
            if let Some(l) = twice(group) {
                repeat = Some(repeat.map_or(l, |r| if l.row < r.row { l } else { r }));
            }
            reversals.push(group.iter().any(ColumnLine::is_reversal));
        }
        if let Some(l) = repeat {
            return Err(twice_error(l));
        }
        Ok(Part {
            keys,
            rows: grouped,
            reversals,
        })
    }

    /// Person `key`'s lines, if they are of this part.
    fn group(&self, key: u32) -> Option<(&[ColumnLine], bool)> {
        let k = key.checked_sub(self.keys.start)?;
        self.keys.contains(&key).then(|| {
            let reverses = self.reversals.get(k as usize).copied() == Some(true);
            (self.rows.get(k), reverses)
        })
    }
}

/// The columns of a [`CreditLineColumns`] being given: see
/// [`CreditLineColumns::builder`].
#[derive(Debug, Clone)]
#[must_use]
pub struct LineColumnsBuilder<'c> {
    basis: CreditBasis,
    currency: Currency,
    people: usize,
    scale: Option<u32>,
    person: Option<&'c [u32]>,
    position: Option<&'c [u64]>,
    transaction: Option<&'c [u64]>,
    amount: Option<&'c [i64]>,
    date: Option<&'c [i32]>,
    sale: Option<(&'c [u64], &'c [i32])>,
    kind: Option<&'c [CreditKind]>,
    execution: Execution,
}

impl CreditLineColumns {
    /// The person key of a line credited to a vacant seat: the line is
    /// kept out of everyone's pay.
    pub const VACANT: u32 = VACANT;

    /// Columns of lines credited in `basis` (for money, in `currency`) to
    /// people keyed `0..people`. Required: [`person_keys`](LineColumnsBuilder::person_keys),
    /// [`positions`](LineColumnsBuilder::positions),
    /// [`transactions`](LineColumnsBuilder::transactions),
    /// [`amounts_minor`](LineColumnsBuilder::amounts_minor) and
    /// [`days`](LineColumnsBuilder::days); optional:
    /// [`sales`](LineColumnsBuilder::sales) (each line its own sale,
    /// booked on its day, without), [`kinds`](LineColumnsBuilder::kinds)
    /// (direct without) and, for quantities,
    /// [`quantity_scale`](LineColumnsBuilder::quantity_scale) (0 without).
    pub fn builder<'c>(
        basis: CreditBasis,
        currency: Currency,
        people: usize,
    ) -> LineColumnsBuilder<'c> {
        LineColumnsBuilder {
            basis,
            currency,
            people,
            scale: None,
            person: None,
            position: None,
            transaction: None,
            amount: None,
            date: None,
            sale: None,
            kind: None,
            execution: Execution::Sequential,
        }
    }

    /// What the amounts measure.
    pub const fn basis(&self) -> &CreditBasis {
        &self.basis
    }

    /// The currency of money amounts.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// Decimal places of the amounts: an amount `a` is `a × 10^-scale`.
    pub const fn scale(&self) -> u32 {
        self.scale
    }

    /// How many people the keys number.
    pub const fn people(&self) -> usize {
        self.people
    }

    /// How many lines were given (vacant seats' included).
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether no line was given.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many lines person `key` has (0 past the people).
    pub fn lines_of(&self, key: u32) -> usize {
        self.group(key).len()
    }

    /// Person `key`'s lines, in the columns' order.
    pub(crate) fn group(&self, key: u32) -> &[ColumnLine] {
        self.parts
            .iter()
            .find_map(|p| p.group(key))
            .map_or(&[][..], |(lines, _)| lines)
    }

    /// Whether any of person `key`'s lines reverses a deal.
    pub(crate) fn has_reversal(&self, key: u32) -> bool {
        self.parts
            .iter()
            .find_map(|p| p.group(key))
            .is_some_and(|(_, reverses)| reverses)
    }

    /// The lines of `people` (a key and the person's id each) as a
    /// [`CreditRun`], each line held by its person, with a rule of its
    /// kind (the columns carry none: an owner's, an overlay rule's or a
    /// roll-up's, all at 100%). The lines were checked as columns.
    ///
    /// # Errors
    ///
    /// [`MoneyError::IntegerTooLarge`] never (the scale is at most
    /// [`MAX_QUANTITY_SCALE`]).
    pub(crate) fn run_of<'p>(
        &self,
        people: impl Iterator<Item = (u32, &'p PersonId)>,
    ) -> Result<CreditRun, MoneyError> {
        let full = Percent::HUNDRED;
        let mut lines = Vec::new();
        for (key, person) in people {
            for l in self.group(key) {
                lines.push(self.row_line(l, person, full)?);
            }
        }
        lines.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        Ok(CreditRun {
            basis: self.basis.clone(),
            currency: self.currency,
            scale: self.scale,
            lines,
            pending: Vec::new(),
            conversions: Vec::new(),
        })
    }

    /// Line `l` as a [`CreditLine`] held by `person`.
    fn row_line(
        &self,
        l: &ColumnLine,
        person: &PersonId,
        full: Percent,
    ) -> Result<CreditLine, MoneyError> {
        let position = PositionId::from(l.position);
        let rule = match l.kind {
            CreditKind::Direct => CreditRule::Owner { share: full },
            CreditKind::Overlay => CreditRule::Overlay {
                rule: 0,
                share: full,
            },
            CreditKind::RollUp => CreditRule::RollUp {
                from: position.clone(),
            },
        };
        // Days were checked when the columns were built.
        let date = day_date(l.date).unwrap_or_default();
        Ok(CreditLine {
            person: Some(person.clone()),
            position,
            transaction: TransactionId::from(l.transaction),
            sale: TransactionId::from(l.sale),
            kind: l.kind,
            rule,
            amount: decimal(l.amount, self.scale)?,
            date,
            as_of: day_date(l.as_of).unwrap_or(date),
        })
    }
}

impl<'c> LineColumnsBuilder<'c> {
    /// Each line's person, a key `0..people`, or [`CreditLineColumns::VACANT`].
    pub fn person_keys(mut self, keys: &'c [u32]) -> Self {
        self.person = Some(keys);
        self
    }

    /// Each line's position (seat) id.
    pub fn positions(mut self, ids: &'c [u64]) -> Self {
        self.position = Some(ids);
        self
    }

    /// Each line's transaction id: the sale, or the return, credit note
    /// or payment that refers to it.
    pub fn transactions(mut self, ids: &'c [u64]) -> Self {
        self.transaction = Some(ids);
        self
    }

    /// Each line's amount, in units of the scale (cents for USD).
    pub fn amounts_minor(mut self, amounts: &'c [i64]) -> Self {
        self.amount = Some(amounts);
        self
    }

    /// Each line's credit day, in days from 1970-01-01.
    pub fn days(mut self, days: &'c [i32]) -> Self {
        self.date = Some(days);
        self
    }

    /// Each line's sale (for a return or payment, the sale it refers to)
    /// and that sale's booking day (its org date).
    pub fn sales(mut self, sales: &'c [u64], booked: &'c [i32]) -> Self {
        self.sale = Some((sales, booked));
        self
    }

    /// Each line's kind.
    ///
    /// The columns carry no rule, so a credit is one transaction,
    /// position, kind and day: a deal split between two reps and rolled
    /// up to one manager is one roll-up line for the manager (the two
    /// amounts added), not two; two are refused as a credit given twice
    /// ([`LineColumnsError::DuplicateLine`]).
    pub fn kinds(mut self, kinds: &'c [CreditKind]) -> Self {
        self.kind = Some(kinds);
        self
    }

    /// How the lines are grouped: with [`Execution::Parallel`] (and the
    /// `parallel` feature), two halves of the people side by side. The
    /// columns are the same either way.
    pub fn execution(mut self, execution: Execution) -> Self {
        self.execution = execution;
        self
    }

    /// The decimal places of a quantity measure's amounts.
    pub fn quantity_scale(mut self, scale: u32) -> Self {
        self.scale = Some(scale);
        self
    }

    /// The columns, checked, each person's lines together.
    ///
    /// # Errors
    ///
    /// [`LineColumnsError::MissingColumn`] for a required column not
    /// given; [`LineColumnsError::Length`] for a column of another length
    /// than the person keys; [`LineColumnsError::Scale`] for a scale given
    /// with a money measure or past [`MAX_QUANTITY_SCALE`];
    /// [`LineColumnsError::PersonKey`], [`LineColumnsError::Day`],
    /// [`LineColumnsError::LineDates`], [`LineColumnsError::SaleDates`]
    /// and [`LineColumnsError::DuplicateLine`] naming the first bad row;
    /// [`LineColumnsError::TooManyLines`] for 2^32 - 1 lines or more.
    pub fn build(self) -> Result<CreditLineColumns, LineColumnsError> {
        let scale = self.checked_scale()?;
        let missing = |column| LineColumnsError::MissingColumn { column };
        let person = self.person.ok_or_else(|| missing("person"))?;
        let position = self.position.ok_or_else(|| missing("position"))?;
        let transaction = self.transaction.ok_or_else(|| missing("transaction"))?;
        let amount = self.amount.ok_or_else(|| missing("amount"))?;
        let date = self.date.ok_or_else(|| missing("date"))?;
        let n = person.len();
        let length = |column: &'static str, found: usize| {
            (found != n).then_some(LineColumnsError::Length {
                column,
                expected: n,
                found,
            })
        };
        let lengths = [
            length("position", position.len()),
            length("transaction", transaction.len()),
            length("amount", amount.len()),
            length("date", date.len()),
            self.sale.and_then(|(s, _)| length("sale", s.len())),
            self.sale.and_then(|(_, b)| length("as_of", b.len())),
            self.kind.and_then(|k| length("kind", k.len())),
        ];
        if let Some(e) = lengths.into_iter().flatten().next() {
            return Err(e);
        }
        let rows = u32::try_from(n)
            .ok()
            .filter(|r| *r != u32::MAX)
            .ok_or(LineColumnsError::TooManyLines { count: n })?;
        let cols = Cols {
            person,
            position,
            transaction,
            amount,
            date,
            sale: self.sale,
            kind: self.kind,
        };
        let people = u32::try_from(self.people)
            .ok()
            .filter(|p| *p != VACANT)
            .ok_or(LineColumnsError::TooManyPeople {
                people: self.people,
            })?;
        cols.check(self.people)?;
        // In parallel, two halves of the people grouped side by side,
        // each reading every row and keeping its own people's; else one
        // part.
        let parts = if cfg!(feature = "parallel") && self.execution == Execution::Parallel {
            let half = people / 2;
            let (a, b) = join(
                true,
                || Part::new(&cols, rows, 0..half),
                || Part::new(&cols, rows, half..people),
            );
            match (a, b) {
                (Ok(a), Ok(b)) => vec![a, b],
                (Err(e), Ok(_)) | (Ok(_), Err(e)) => return Err(e),
                (Err(e), Err(f)) => return Err(first_row(e, f)),
            }
        } else {
            vec![Part::new(&cols, rows, 0..people)?]
        };
        check_across(&cols, rows, &parts)?;
        Ok(CreditLineColumns {
            basis: self.basis,
            currency: self.currency,
            scale,
            people: self.people,
            len: n,
            parts,
        })
    }

    /// The scale: the currency's minor units for money, the one given (at
    /// most [`MAX_QUANTITY_SCALE`]) for quantities.
    fn checked_scale(&self) -> Result<u32, LineColumnsError> {
        let bad = |scale| LineColumnsError::Scale {
            basis: self.basis.clone(),
            scale,
            max: MAX_QUANTITY_SCALE,
        };
        match (self.basis.is_money(), self.scale) {
            (true, None) => Ok(u32::from(self.currency.minor_units())),
            (false, None) => Ok(0),
            (false, Some(s)) if s <= MAX_QUANTITY_SCALE => Ok(s),
            (_, Some(s)) => Err(bad(s)),
        }
    }
}

/// The columns given, of one length.
struct Cols<'c> {
    person: &'c [u32],
    position: &'c [u64],
    transaction: &'c [u64],
    amount: &'c [i64],
    date: &'c [i32],
    sale: Option<(&'c [u64], &'c [i32])>,
    kind: Option<&'c [CreditKind]>,
}

impl Cols<'_> {
    /// Row `r` as a person's line, `None` for a vacant seat's (or past
    /// the columns).
    fn line(&self, r: u32) -> Option<(u32, ColumnLine)> {
        let person = *self.person.get(r as usize)?;
        if person == VACANT {
            return None;
        }
        Some((person, self.any_line(r)?))
    }

    /// Row `r` as a line, whoever holds it (a vacant seat's too).
    fn any_line(&self, r: u32) -> Option<ColumnLine> {
        let i = r as usize;
        let transaction = *self.transaction.get(i)?;
        let date = *self.date.get(i)?;
        let (sale, as_of) = match self.sale {
            Some((s, b)) => (*s.get(i)?, *b.get(i)?),
            None => (transaction, date),
        };
        let line = ColumnLine {
            amount: *self.amount.get(i)?,
            transaction,
            sale,
            position: *self.position.get(i)?,
            date,
            as_of,
            row: r,
            kind: self
                .kind
                .and_then(|k| k.get(i).copied())
                .unwrap_or(CreditKind::Direct),
        };
        Some(line)
    }

    /// Every row's person key and days; with sales, one org date per sale.
    fn check(&self, people: usize) -> Result<(), LineColumnsError> {
        for (row, (&key, &days)) in self.person.iter().zip(self.date).enumerate() {
            if key != VACANT && key as usize >= people {
                return Err(LineColumnsError::PersonKey { row, key, people });
            }
            if !(MIN_DAY..=MAX_DAY).contains(&days) {
                return Err(LineColumnsError::Day {
                    row,
                    column: "date",
                    days,
                });
            }
        }
        let Some((sales, booked)) = self.sale else {
            return Ok(());
        };
        let mut org_dates: FxHashMap<u64, i32> = FxHashMap::default();
        for (row, ((&sale, &as_of), &days)) in sales.iter().zip(booked).zip(self.date).enumerate() {
            let day = |days| {
                day_date(days).ok_or(LineColumnsError::Day {
                    row,
                    column: "as_of",
                    days,
                })
            };
            let (booked_on, credited_on) = (day(as_of)?, day(days)?);
            if as_of > days {
                return Err(LineColumnsError::LineDates {
                    row,
                    transaction: self.transaction.get(row).copied().unwrap_or(sale),
                    as_of: booked_on,
                    date: credited_on,
                });
            }
            let first = *org_dates.entry(sale).or_insert(as_of);
            if first != as_of {
                return Err(LineColumnsError::SaleDates {
                    row,
                    sale,
                    first: day(first)?,
                    second: booked_on,
                });
            }
        }
        Ok(())
    }
}

/// No credit given twice among `lines`: no two with one transaction,
/// position, kind and date. The repeat named is the first bad row: the
/// smallest row that repeats an earlier one.
fn check_once(lines: &[ColumnLine]) -> Result<(), LineColumnsError> {
    match twice(lines) {
        Some(l) => Err(twice_error(l)),
        None => Ok(()),
    }
}

/// Of two duplicates, the one of the smaller row.
fn first_row(e: LineColumnsError, f: LineColumnsError) -> LineColumnsError {
    match (&e, &f) {
        (
            LineColumnsError::DuplicateLine { row: a, .. },
            LineColumnsError::DuplicateLine { row: b, .. },
        ) if b < a => f,
        _ => e,
    }
}

/// The line of the smallest row among `lines` that repeats an earlier
/// row's transaction, position, kind and date.
fn twice(lines: &[ColumnLine]) -> Option<&ColumnLine> {
    let key = |l: &ColumnLine| (l.date, l.transaction, l.kind, l.position);
    if lines.len() <= 16 {
        return lines
            .iter()
            .filter(|b| lines.iter().any(|a| a.row < b.row && key(a) == key(b)))
            .min_by_key(|l| l.row);
    }
    let mut sorted: Vec<&ColumnLine> = lines.iter().collect();
    sorted.sort_by_key(|l| (key(l), l.row));
    sorted
        .windows(2)
        .filter_map(|w| match w {
            [a, b] if key(a) == key(b) => Some(*b),
            _ => None,
        })
        .min_by_key(|l| l.row)
}

/// The error naming `l`, a credit given twice.
fn twice_error(l: &ColumnLine) -> LineColumnsError {
    LineColumnsError::DuplicateLine {
        row: l.row as usize,
        transaction: l.transaction,
        position: l.position,
        kind: l.kind,
        date: day_date(l.date).unwrap_or_default(),
    }
}

/// No credit given twice across people, or to a vacant seat and to a
/// person: the lines of every position that more than one key (or a
/// vacant seat's line) holds are checked together. A position usually
/// has one holder, so this looks each person's positions up once.
fn check_across(cols: &Cols<'_>, rows: u32, parts: &[Part]) -> Result<(), LineColumnsError> {
    let mut holder: FxHashMap<u64, u32> = FxHashMap::default();
    let mut shared: FxHashMap<u64, ()> = FxHashMap::default();
    let mut note = |position: u64, key: u32| match holder.get(&position) {
        Some(k) if *k != key => {
            shared.insert(position, ());
        }
        Some(_) => {}
        None => {
            holder.insert(position, key);
        }
    };
    for part in parts {
        for key in part.keys.clone() {
            let Some((group, _)) = part.group(key) else {
                continue;
            };
            let mut last = None;
            for l in group
                .iter()
                .filter(|l| last.replace(l.position) != Some(l.position))
            {
                note(l.position, key);
            }
        }
    }
    let vacant = (0..rows).filter(|r| cols.person.get(*r as usize) == Some(&VACANT));
    for r in vacant {
        if let Some(p) = cols.position.get(r as usize) {
            note(*p, VACANT);
        }
    }
    if shared.is_empty() {
        return Ok(());
    }
    let lines: Vec<ColumnLine> = (0..rows)
        .filter(|r| {
            cols.position
                .get(*r as usize)
                .is_some_and(|p| shared.contains_key(p))
        })
        .filter_map(|r| cols.any_line(r))
        .collect();
    check_once(&lines)
}

#[cfg(test)]
mod tests {
    use super::{MAX_DAY, MIN_DAY, date_day, day_date};

    #[test]
    fn the_day_bounds_are_chronos() {
        assert_eq!(day_date(MIN_DAY), Some(chrono::NaiveDate::MIN));
        assert_eq!(day_date(MAX_DAY), Some(chrono::NaiveDate::MAX));
        assert_eq!(day_date(MIN_DAY - 1), None);
        assert_eq!(day_date(MAX_DAY + 1), None);
        let d = chrono::NaiveDate::from_ymd_opt(2025, 2, 10).unwrap();
        assert_eq!(day_date(date_day(d).unwrap()), Some(d));
        assert_eq!(date_day(d), Some(20_129));
    }
}
