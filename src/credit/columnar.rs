//! Crediting from columns: a feed of transactions as the user's columns
//! hold it (ids as integers or text, amounts in minor units, days, owner
//! and share columns, the row of the sale a return reverses), credited by
//! the same rules as [`Crediting::totals`], with the totals handed back as
//! columns.
//!
//! The rules, as for a feed of [`Transaction`](super::Transaction)s under
//! a revenue plan credited on booking to the owners named on each sale:
//!
//! - a sale (an order or invoice), or a return without an original, is
//!   credited on its own day to its owners, split by their shares (basis
//!   points summing to exactly 10,000) by the largest remainder, the cent
//!   left over going to the owner with the larger remainder, ties to the
//!   position declared first in the org;
//! - a return of a sale credits that sale's owners on the return's own
//!   day, cumulatively: after it, each owner holds their split of what is
//!   left of the sale, so a sale returned in full nets to exactly zero;
//! - each credit is a position's direct credit, and its holder's that
//!   day, and the roll-up credit of every position above it (and of their
//!   holders) in the org as of the sale's day: the org can change during
//!   the periods, each sale is seen in its own day's org;
//! - credits dated outside every period are left out.
//!
//! Single currency: every amount is in minor units of the plan's currency
//! (there is no currency column). Totals are whole minor units as `i64`
//! (Arrow's int64); a total beyond it is an error, never a wrapped value.

use std::ops::Range;

use chrono::NaiveDate;

use super::engine::Crediting;
use super::plan::{CreditBasis, CreditTiming, DirectSource};
use super::transaction::TransactionKind;
use crate::calendar::Period;
use crate::ids::{ColumnId, IdKey};
use crate::kernel::by_target::ByTarget;
use crate::kernel::codes::Codes;
use crate::kernel::columns::join;
use crate::kernel::dense_sums::{Table, below_by, scatter};
use crate::kernel::id_table::ABSENT;
use crate::kernel::int_index::IntIndex;
use crate::kernel::keyed_sums::{CHECK, KeyedSums, Sink, sum_keyed};
use crate::kernel::mem::written_zeros;
use crate::kernel::prefetch;
use crate::money::Currency;
use crate::org::{NONE, Org, OrgError, OrgSnapshot};

/// An owner column's row that names nobody (its `none` marker).
const NOBODY: u32 = u32::MAX - 1;

/// Rows whose owners are resolved at a time.
const BLOCK: usize = 4096;

/// Rows whose totals are loaded ahead at a time.
const AHEAD: usize = 32;

/// A share of 100%, in basis points.
const WHOLE: i32 = 10_000;

/// A feed of transactions as columns, one row per transaction: build it
/// with [`new`](Self::new), add owner columns with [`owner`](Self::owner)
/// and, for returns of sales, [`originals`](Self::originals); credit it
/// with [`Crediting::totals_from_columns`].
///
/// Days are counted from 1970-01-01 (Arrow's `date32`); amounts are whole
/// minor units of the plan's currency (cents), `>= 0` for orders and
/// invoices, `<= 0` for returns and credit notes.
#[derive(Debug, Clone)]
#[must_use]
pub struct TransactionColumns<'a, T, K> {
    ids: &'a [T],
    kinds: &'a [TransactionKind],
    days: &'a [i32],
    amounts: &'a [i64],
    owners: Vec<OwnerColumn<'a, K>>,
    originals: Option<&'a [i64]>,
}

/// One owner column of a [`TransactionColumns`]: the position each row
/// names and its share in basis points.
#[derive(Debug, Clone, Copy)]
struct OwnerColumn<'a, K> {
    ids: &'a [K],
    shares: &'a [i32],
    none: &'a K,
}

impl<'a, T: ColumnId, K: ColumnId> TransactionColumns<'a, T, K> {
    /// Transactions `ids` of `kinds`, booked on `days`, of `amounts`.
    pub fn new(
        ids: &'a [T],
        kinds: &'a [TransactionKind],
        days: &'a [i32],
        amounts: &'a [i64],
    ) -> Self {
        TransactionColumns {
            ids,
            kinds,
            days,
            amounts,
            owners: Vec::new(),
            originals: None,
        }
    }

    /// An owner column: the position each row names (`none` where the
    /// row names nobody in this column) and its share in basis points
    /// (10,000 = 100%). Call once per owner column (`owner1`, `owner2`,
    /// ...); a sale's owners are those its row names, in column order.
    pub fn owner(mut self, ids: &'a [K], shares: &'a [i32], none: &'a K) -> Self {
        self.owners.push(OwnerColumn { ids, shares, none });
        self
    }

    /// The row of the sale each return reverses (negative: none; a return
    /// without an original is credited to its own owners, as a refund).
    /// Rows, not ids: each row is its own transaction, and ids only name
    /// rows in errors.
    pub fn originals(mut self, rows: &'a [i64]) -> Self {
        self.originals = Some(rows);
        self
    }

    /// How many rows.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are no rows.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The original row given for row `row`, if any.
    #[inline]
    fn original(&self, row: usize) -> Option<i64> {
        self.originals
            .and_then(|o| o.get(row))
            .copied()
            .filter(|o| *o >= 0)
    }

    /// Whether row `row` is credited in its own right: a sale, or a
    /// return without an original (a refund).
    #[inline]
    fn is_credited_alone(&self, row: usize) -> bool {
        self.kinds.get(row).is_some_and(|k| k.is_sale()) || self.original(row).is_none()
    }

    /// Transaction `row`'s id, as text (for errors).
    fn id(&self, row: usize) -> String {
        self.ids
            .get(row)
            .map_or_else(String::new, |k| k.column_key().to_string())
    }

    /// Every row's day a date (within chrono's range): the first that is
    /// not is named, whatever the other rows.
    fn check_days(&self) -> Result<(), CreditColumnsError> {
        let (min, max) = (day_number(NaiveDate::MIN), day_number(NaiveDate::MAX));
        match self.days.iter().position(|d| !(min..=max).contains(d)) {
            Some(row) => Err(CreditColumnsError::DayOutOfRange {
                row,
                day: self.days.get(row).copied().unwrap_or_default(),
            }),
            None => Ok(()),
        }
    }

    /// Every column as long as the ids.
    fn check_lengths(&self) -> Result<(), CreditColumnsError> {
        let n = self.ids.len();
        let mut lengths = vec![
            ("kinds".to_owned(), self.kinds.len()),
            ("days".to_owned(), self.days.len()),
            ("amounts".to_owned(), self.amounts.len()),
        ];
        for (k, o) in self.owners.iter().enumerate() {
            lengths.push((format!("owners[{k}].ids"), o.ids.len()));
            lengths.push((format!("owners[{k}].shares"), o.shares.len()));
        }
        if let Some(o) = self.originals {
            lengths.push(("originals".to_owned(), o.len()));
        }
        for (column, found) in lengths {
            if found != n {
                return Err(CreditColumnsError::ColumnLength {
                    column,
                    expected: n,
                    found,
                });
            }
        }
        if u32::try_from(n).map_or(true, |n| n >= NOBODY) {
            return Err(CreditColumnsError::TooManyRows { rows: n });
        }
        Ok(())
    }
}

/// Credited totals per period from [`Crediting::totals_from_columns`], as
/// columns: one value per position of the org (in declaration order,
/// [`Org::positions`]) or per person ([`Org::people`]), in minor units.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreditColumnTotals {
    periods: Vec<Period>,
    currency: Currency,
    positions: usize,
    people: usize,
    /// Period-major: period `p`'s column is `[p × len .. (p + 1) × len]`.
    direct: Vec<i64>,
    roll_up: Vec<i64>,
    person_direct: Vec<i64>,
    person_roll_up: Vec<i64>,
}

impl CreditColumnTotals {
    /// The periods, in order; columns are asked for by index into them.
    pub fn periods(&self) -> &[Period] {
        &self.periods
    }

    /// The plan's currency (every total is in its minor units).
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// Every position's direct credit in period `period`, in declaration
    /// order; `None` for a period out of range.
    pub fn direct(&self, period: usize) -> Option<&[i64]> {
        column(&self.direct, self.positions, period)
    }

    /// Every position's roll-up credit in period `period`: the direct
    /// credit of everyone below it on each sale's day.
    pub fn roll_up(&self, period: usize) -> Option<&[i64]> {
        column(&self.roll_up, self.positions, period)
    }

    /// Every person's direct credit in period `period`, in the org's
    /// order of people: the credit of whichever seat they held on each
    /// sale's day.
    pub fn person_direct(&self, period: usize) -> Option<&[i64]> {
        column(&self.person_direct, self.people, period)
    }

    /// Every person's roll-up credit in period `period`.
    pub fn person_roll_up(&self, period: usize) -> Option<&[i64]> {
        column(&self.person_roll_up, self.people, period)
    }
}

fn column(values: &[i64], len: usize, period: usize) -> Option<&[i64]> {
    let start = period.checked_mul(len)?;
    values.get(start..start.checked_add(len)?)
}

impl Crediting<'_> {
    /// Credits a feed given as columns by the rules of
    /// [`totals`](Self::totals), into per-period totals per position and
    /// person, returned as columns. Each distinct owner id is resolved
    /// once, inside the crate (integers through the org's index by
    /// integer, in batches); with [`Execution::Parallel`](crate::Execution)
    /// the rows are credited on rayon's threads, with the same result.
    ///
    /// Takes plans crediting revenue on booking to the owners named on
    /// each sale, with no overlays; other plans are credited by
    /// [`totals`](Self::totals).
    ///
    /// # Errors
    ///
    /// [`CreditColumnsError::Unsupported`] for another plan; a column of
    /// another length; a day that is not a date
    /// ([`CreditColumnsError::DayOutOfRange`], the first such row);
    /// periods out of order; then, naming the row and the
    /// ids involved: a kind other than order, invoice, return or credit
    /// note, an amount of the wrong sign, a sale naming an original, a
    /// return of an unknown sale, of a return, dated before its sale or
    /// taking back more than it; a sale without owners, with shares not
    /// summing to 100% or a position named twice; an owner not in the org
    /// or not in it on the sale's day; a total beyond an `i64`; an org
    /// that is not one tree on a sale's day.
    ///
    /// # Examples
    ///
    /// A 60/40 split sale and a return of half of it, rolled up to the
    /// lead, per quarter:
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use salesplan::credit::{CreditBasis, CreditPlan, Crediting, TransactionColumns, TransactionKind};
    /// use salesplan::org::{OrgColumns, Role};
    /// use salesplan::{Currency, Period};
    ///
    /// let ids: [u64; 3] = [1, 20, 21];
    /// let parents: [u64; 3] = [0, 1, 1];
    /// let roles = [Role::TeamLead, Role::SalesRep, Role::SalesRep];
    /// let org = OrgColumns::new(&ids, &parents, &0, &roles).build()?;
    ///
    /// let tx: [u64; 2] = [5001, 5002];
    /// let kinds = [TransactionKind::Order, TransactionKind::Return];
    /// let days = [20_120, 20_210]; // 2025-02-01, 2025-05-02
    /// let cents = [1_000_01, -500_00];
    /// let (owner1, share1) = ([20_u64, 0], [6_000, 0]);
    /// let (owner2, share2) = ([21_u64, 0], [4_000, 0]);
    /// let originals = [-1, 0];
    /// let feed = TransactionColumns::new(&tx, &kinds, &days, &cents)
    ///     .owner(&owner1, &share1, &0)
    ///     .owner(&owner2, &share2, &0)
    ///     .originals(&originals);
    /// let d = |m| NaiveDate::from_ymd_opt(2025, m, 1).unwrap();
    /// let quarters = [Period::new(d(1), d(4))?, Period::new(d(4), d(7))?];
    /// let plan = CreditPlan::new(CreditBasis::Revenue, Currency::USD);
    /// let totals = Crediting::new(&org, &plan).totals_from_columns(&feed, &quarters)?;
    /// // Q1: 600.01 and 400.00 (the odd cent to the larger remainder).
    /// assert_eq!(totals.direct(0).unwrap(), &[0, 600_01, 400_00]);
    /// assert_eq!(totals.roll_up(0).unwrap(), &[1_000_01, 0, 0]);
    /// // Q2: each holds their split of the 500.01 left.
    /// assert_eq!(totals.direct(1).unwrap(), &[0, -300_00, -200_00]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn totals_from_columns<T: ColumnId, K: ColumnId>(
        &self,
        feed: &TransactionColumns<'_, T, K>,
        periods: &[Period],
    ) -> Result<CreditColumnTotals, CreditColumnsError> {
        self.check_columnar_plan()?;
        feed.check_lengths()?;
        feed.check_days()?;
        let windows = Windows::new(periods)?;
        let owners = resolve_owners(self.org, &feed.owners);
        let parallel = self.execution == crate::Execution::Parallel;
        // Independent passes over the rows; the links' errors first.
        let (links, eras) = join(
            parallel,
            || Links::new(feed),
            || Eras::new(self.org, feed, windows.len()),
        );
        let (links, eras) = (links?, eras?);
        let job = Job {
            org: self.org,
            feed,
            owners: &owners,
            links: &links,
            eras: &eras,
            windows: &windows,
        };
        // Integer owner ids: credited by key; on any fault, row by row,
        // which names the first.
        let values = match job.credit_by_key(parallel) {
            Some(keyed) => keyed,
            None => Credited::Table(scatter(
                feed.len(),
                eras.slots,
                parallel,
                |rows, table| job.credit_rows(rows, table),
                |slot| job.overflow_at(slot),
            )?),
        };
        eras.totals(
            self.org,
            &values,
            &windows,
            self.plan.currency(),
            &job,
            parallel,
        )
    }

    /// The plan is one the columns can be credited under.
    fn check_columnar_plan(&self) -> Result<(), CreditColumnsError> {
        let plan = self.plan;
        let unsupported = |what| Err(CreditColumnsError::Unsupported { what });
        if !matches!(plan.basis(), CreditBasis::Revenue) {
            return unsupported("a basis other than revenue");
        }
        if plan.timing_rule() != CreditTiming::Booking {
            return unsupported("timing other than booking");
        }
        if !plan.overlays().is_empty() {
            return unsupported("overlay rules");
        }
        let owners_only = match plan.direct_source() {
            DirectSource::Owners => true,
            DirectSource::OwnersElseTerritory => !self.has_coverage(),
            DirectSource::Territory => false,
        };
        if !owners_only {
            return unsupported("territory credit");
        }
        Ok(())
    }
}

/// The periods as days from 1970-01-01: `lo <= day < hi`.
struct Windows(Vec<(i32, i32)>, Vec<Period>);

impl Windows {
    fn new(periods: &[Period]) -> Result<Windows, CreditColumnsError> {
        for w in periods.windows(2) {
            if let [first, second] = w
                && second.start() < first.end()
            {
                return Err(CreditColumnsError::Periods {
                    first: *first,
                    second: *second,
                });
            }
        }
        let days = periods
            .iter()
            .map(|p| (day_number(p.start()), day_number(p.end())))
            .collect();
        Ok(Windows(days, periods.to_vec()))
    }

    fn len(&self) -> usize {
        self.0.len()
    }

    /// The period `day` is in.
    #[inline]
    fn of(&self, day: i32) -> Option<usize> {
        let at = self.0.partition_point(|(_, hi)| *hi <= day);
        self.0.get(at).filter(|(lo, _)| *lo <= day).map(|_| at)
    }
}

/// 1970-01-01 (chrono's default date).
fn epoch() -> NaiveDate {
    NaiveDate::default()
}

/// Days from 1970-01-01 to `date`, clamped to an `i32`.
fn day_number(date: NaiveDate) -> i32 {
    let days = date.signed_duration_since(epoch()).num_days();
    i32::try_from(days).unwrap_or(if days < 0 { i32::MIN } else { i32::MAX })
}

/// The date of day `day` from 1970-01-01.
fn date_of(day: i32) -> Option<NaiveDate> {
    epoch().checked_add_signed(chrono::TimeDelta::try_days(i64::from(day))?)
}

/// An owner column's rows as declared positions.
enum Resolved {
    /// Integer ids: looked up in the org's index by integer, a block of
    /// rows at a time, as they are credited.
    ByBlock,
    /// Text ids: each distinct id looked up once, up front.
    Rows(Vec<u32>),
}

/// How each owner column is resolved: integer columns (negative values
/// are no id) by block, text once per distinct id.
fn resolve_owners<K: ColumnId>(org: &Org, columns: &[OwnerColumn<'_, K>]) -> Vec<Resolved> {
    columns
        .iter()
        .map(|c| {
            let ints = c
                .ids
                .iter()
                .all(|k| k.int_key().is_some() || matches!(k.column_key(), IdKey::Negative(_)));
            if ints {
                return Resolved::ByBlock;
            }
            let mut rows = Vec::new();
            by_distinct(org, c.ids, &mut rows);
            nobody(c, c.ids, &mut rows);
            Resolved::Rows(rows)
        })
        .collect()
}

/// Marks the rows of `ids` (a block of `column`) that name nobody
/// `NOBODY` in `rows`; those not in the org stay `NONE`.
fn nobody<K: ColumnId>(column: &OwnerColumn<'_, K>, ids: &[K], rows: &mut [u32]) {
    let none = column.none.column_key().canonical();
    for (slot, id) in rows.iter_mut().zip(ids) {
        if *slot == NONE && id.column_key().canonical() == none {
            *slot = NOBODY;
        }
    }
}

/// The positions of `ids` (a block of the integer column `column`), by
/// the org's index by integer, in one batch: `NOBODY` for the column's
/// `none` marker, `NONE` for any other value not in the org.
fn by_int<K: ColumnId>(org: &Org, column: &OwnerColumn<'_, K>, ids: &[K], out: &mut Vec<u32>) {
    out.clear();
    // Values without an integer key (negative ones) get a placeholder
    // lookup, replaced below.
    // bound: not a figure; `0` is a placeholder replaced below.
    org.int_index()
        .get_many(ids.iter().map(|k| k.int_key().unwrap_or(0)), out);
    let (none_int, none) = (column.none.int_key(), column.none.column_key());
    for (slot, id) in out.iter_mut().zip(ids) {
        match id.int_key() {
            Some(n) if *slot == NONE && Some(n) == none_int => *slot = NOBODY,
            Some(_) => {}
            None => {
                *slot = if id.column_key() == none {
                    NOBODY
                } else {
                    NONE
                }
            }
        }
    }
}

/// `org.position_rows` of `ids`, each distinct id looked up once.
fn by_distinct<K: ColumnId>(org: &Org, ids: &[K], out: &mut Vec<u32>) {
    /// An id as a key of the distinct ids.
    #[derive(Clone, Copy, PartialEq, Eq, Hash)]
    enum Key<'k> {
        Int(u64),
        Negative(i64),
        Text(&'k str),
    }
    fn key<K: ColumnId>(id: &K) -> Key<'_> {
        match id.column_key().canonical() {
            IdKey::Int(n) => Key::Int(n),
            IdKey::Negative(n) => Key::Negative(n),
            IdKey::Text(t) => Key::Text(t),
        }
    }
    let mut codes: Codes<Key<'_>> = Codes::default();
    let mut distinct: Vec<&K> = Vec::new();
    let mut code_of = Vec::with_capacity(ids.len());
    for id in ids {
        match codes.code(key(id)) {
            Some((code, fresh)) => {
                if fresh {
                    distinct.push(id);
                }
                code_of.push(code);
            }
            None => code_of.push(NONE),
        }
    }
    let mut found = Vec::new();
    org.position_rows(&distinct, &mut found);
    out.clear();
    out.extend(
        code_of
            .iter()
            .map(|c| found.get(*c as usize).copied().unwrap_or(NONE)),
    );
}

/// A return of a sale: its row, day and amount.
#[derive(Debug, Clone, Copy, Default)]
struct Return {
    row: u32,
    day: i32,
    minor: i64,
}

/// Returns and the sales they reverse.
struct Links {
    /// The returns of each sale, in row order.
    returns: ByTarget<Return>,
}

impl Links {
    /// Checks every row's kind and sign, and every return against its
    /// sale.
    fn new<T: ColumnId, K: ColumnId>(
        feed: &TransactionColumns<'_, T, K>,
    ) -> Result<Links, CreditColumnsError> {
        let mut pairs = Vec::new();
        for (row, (kind, amount)) in feed.kinds.iter().zip(feed.amounts).enumerate() {
            let sale = match kind {
                TransactionKind::Order | TransactionKind::Invoice => true,
                TransactionKind::Return | TransactionKind::CreditNote => false,
                _ => {
                    return Err(CreditColumnsError::UnsupportedKind {
                        row,
                        transaction: feed.id(row),
                        kind: *kind,
                    });
                }
            };
            if (sale && *amount < 0) || (!sale && *amount > 0) {
                return Err(CreditColumnsError::WrongSign {
                    row,
                    transaction: feed.id(row),
                    kind: *kind,
                    amount: *amount,
                });
            }
            if let Some(of) = feed.original(row) {
                let at = link(feed, row, sale, of)?;
                let day = feed.days.get(row).copied().unwrap_or(i32::MAX);
                // bound: rows fit in a u32 (checked with the lengths).
                let row = u32::try_from(row).unwrap_or(NONE);
                pairs.push((
                    at,
                    Return {
                        row,
                        day,
                        minor: *amount,
                    },
                ));
            }
        }
        let returns = ByTarget::new(&pairs);
        check_reversed(feed, &returns)?;
        Ok(Links { returns })
    }
}

/// Row `row`'s link to its original at row `of`, checked.
fn link<T: ColumnId, K: ColumnId>(
    feed: &TransactionColumns<'_, T, K>,
    row: usize,
    sale: bool,
    of: i64,
) -> Result<u32, CreditColumnsError> {
    let transaction = || feed.id(row);
    let at = usize::try_from(of).ok().filter(|at| *at < feed.len());
    let Some(at) = at else {
        return Err(CreditColumnsError::UnknownOriginal {
            row,
            transaction: transaction(),
            original: of,
        });
    };
    if sale {
        return Err(CreditColumnsError::UnexpectedOriginal {
            row,
            transaction: transaction(),
            original: feed.id(at),
        });
    }
    let is_sale = feed.kinds.get(at).is_some_and(|k| k.is_sale());
    if !is_sale {
        return Err(CreditColumnsError::OriginalNotASale {
            row,
            transaction: transaction(),
            original: feed.id(at),
        });
    }
    let (day, sale_day) = (feed.days.get(row), feed.days.get(at));
    if let (Some(&day), Some(&sale_day)) = (day, sale_day)
        && day < sale_day
    {
        return Err(CreditColumnsError::BeforeOriginal {
            row,
            transaction: transaction(),
            day,
            original: feed.id(at),
            original_day: sale_day,
        });
    }
    u32::try_from(at).map_err(|_| CreditColumnsError::TooManyRows { rows: feed.len() })
}

/// No sale's returns take back more than the sale, in row order.
fn check_reversed<T: ColumnId, K: ColumnId>(
    feed: &TransactionColumns<'_, T, K>,
    returns: &ByTarget<Return>,
) -> Result<(), CreditColumnsError> {
    let mut reversed = 0_i64;
    let mut last = None;
    for i in 0..returns.len() {
        let Some((sale, Return { row: r, minor, .. })) = returns.pair(i) else {
            break;
        };
        if last != Some(sale) {
            (reversed, last) = (0, Some(sale));
        }
        let amount = *feed
            .amounts
            .get(sale as usize)
            .ok_or(out_of_range("sale", sale))?;
        let running = reversed.checked_sub(minor).filter(|t| *t <= amount);
        let Some(running) = running else {
            return Err(CreditColumnsError::ExceedsOriginal {
                row: r as usize,
                transaction: feed.id(r as usize),
                original: feed.id(sale as usize),
                total: i128::from(reversed).saturating_sub(i128::from(minor)), // bound: both i64
                original_amount: amount,
            });
        };
        reversed = running;
    }
    Ok(())
}

/// The stretches of time over which the org does not change (its tree,
/// who is in it, who holds each seat), and the org as of each stretch
/// some sale is booked in.
struct Eras {
    /// The first day of each stretch after the first.
    starts: Vec<i32>,
    /// Each stretch's org (`None`: no sale booked in it).
    snapshots: Vec<Option<OrgSnapshot>>,
    /// Each stretch's declared positions in the org, a bit each.
    in_org: Vec<Vec<u64>>,
    /// Each stretch's first slot in the table of totals (per declared
    /// position, per period).
    offsets: Vec<usize>,
    /// The slots of all the stretches.
    slots: usize,
    /// Periods: slots a position.
    width: usize,
}

impl Eras {
    /// The stretches of the org, with a table of `width` periods per
    /// declared position for each stretch a sale is booked in.
    fn new<T: ColumnId, K: ColumnId>(
        org: &Org,
        feed: &TransactionColumns<'_, T, K>,
        width: usize,
    ) -> Result<Eras, CreditColumnsError> {
        let mut dates = org.change_dates();
        dates.extend(org.holding_dates());
        let mut starts: Vec<i32> = dates.into_iter().map(day_number).collect();
        starts.sort_unstable();
        starts.dedup();
        // The first day booked in each stretch.
        let mut first: Vec<Option<i32>> = vec![None; starts.len().saturating_add(1)]; // bound: a length
        for (row, day) in feed.days.iter().enumerate() {
            if feed.is_credited_alone(row) {
                let era = starts.partition_point(|s| *s <= *day);
                if let Some(slot) = first.get_mut(era) {
                    *slot = Some(slot.map_or(*day, |d| d.min(*day)));
                }
            }
        }
        let mut snapshots = Vec::with_capacity(first.len());
        for day in first {
            snapshots.push(match day {
                Some(day) => {
                    let row = feed.days.iter().position(|d| *d == day).unwrap_or_default();
                    let date =
                        date_of(day).ok_or(CreditColumnsError::DayOutOfRange { row, day })?;
                    Some(org.as_of(date)?)
                }
                None => None,
            });
        }
        let mut offsets = Vec::with_capacity(snapshots.len());
        let mut in_org = Vec::with_capacity(snapshots.len());
        let mut slots = 0_usize;
        let positions = org.positions().len();
        for s in &snapshots {
            offsets.push(slots);
            let Some(s) = s else {
                in_org.push(Vec::new());
                continue;
            };
            in_org.push(bits(s.position_nodes()));
            slots = positions
                .checked_mul(width)
                .and_then(|n| slots.checked_add(n))
                .ok_or(CreditColumnsError::TooManyRows { rows: positions })?;
        }
        Ok(Eras {
            starts,
            snapshots,
            in_org,
            offsets,
            slots,
            width,
        })
    }

    /// The stretch `day` is in.
    #[inline]
    fn of(&self, day: i32) -> usize {
        if self.starts.is_empty() {
            0
        } else {
            self.starts.partition_point(|s| *s <= day)
        }
    }
}

/// A bit per declared position: set for those in the org (with a node).
fn bits(nodes: &[u32]) -> Vec<u64> {
    let mut bits = vec![0_u64; nodes.len().div_ceil(64)];
    for (position, node) in nodes.iter().enumerate() {
        if *node != NONE
            && let Some(word) = bits.get_mut(position / 64)
        {
            *word |= 1 << (position % 64);
        }
    }
    bits
}

/// Whether bit `i` of `bits` is set.
#[inline]
fn has(bits: &[u64], i: u32) -> bool {
    bits.get(i as usize / 64)
        .is_some_and(|w| w & (1 << (i % 64)) != 0)
}

/// One owner of a sale: the position and its share in basis points.
#[derive(Debug, Clone, Copy)]
struct Share {
    position: u32,
    bp: i32,
}

/// Crediting the rows of a feed into a table of totals: per stretch of
/// the org, per node, per period.
struct Job<'j, 'a, T, K> {
    org: &'j Org,
    feed: &'j TransactionColumns<'a, T, K>,
    owners: &'j [Resolved],
    links: &'j Links,
    eras: &'j Eras,
    windows: &'j Windows,
}

/// Buffers kept across the rows of a part.
#[derive(Default)]
struct Scratch {
    owners: Vec<Share>,
    before: Vec<i64>,
    now: Vec<i64>,
    returns: Vec<Return>,
    /// Each owner column's positions, for the rows of a block.
    positions: Vec<Vec<u32>>,
    /// The first row of the block.
    block: usize,
    /// Room for a split's remainders.
    remainders: Vec<(u128, u32, usize)>,
}

/// [`split`] over owners whose positions are known.
fn split_shares(
    amount: i64,
    owners: &[Share],
    out: &mut Vec<i64>,
    remainders: &mut Vec<(u128, u32, usize)>,
) -> Option<()> {
    split(
        amount,
        owners,
        |o| o.bp,
        |o| Some(o.position),
        out,
        remainders,
    )
}

impl<T: ColumnId, K: ColumnId> Job<'_, '_, T, K> {
    /// Credits every sale (and return credited alone) of `rows`, and the
    /// returns of each sale with it, a block of rows at a time.
    fn credit_rows(
        &self,
        rows: Range<usize>,
        table: &mut Table<'_>,
    ) -> Result<(), CreditColumnsError> {
        let mut scratch = Scratch::default();
        let returns = &self.links.returns;
        let mut cursor = returns.first_from(u32::try_from(rows.start).unwrap_or(NONE));
        let mut start = rows.start;
        while start < rows.end {
            let end = start.saturating_add(BLOCK).min(rows.end); // bound: clamped
            self.resolve_block(start..end, &mut scratch);
            for row in start..end {
                if row.checked_rem(AHEAD) == Some(0) {
                    self.warm(row..row.saturating_add(AHEAD).min(end), &scratch, table); // bound: clamped
                }
                if self.feed.is_credited_alone(row) {
                    cursor = self.credit_row(row, cursor, &mut scratch, table)?;
                }
            }
            start = end;
        }
        Ok(())
    }

    /// The positions of every owner column for the rows of `block`.
    fn resolve_block(&self, block: Range<usize>, scratch: &mut Scratch) {
        scratch.block = block.start;
        scratch.positions.resize_with(self.owners.len(), Vec::new);
        for ((column, resolved), out) in self
            .feed
            .owners
            .iter()
            .zip(self.owners)
            .zip(&mut scratch.positions)
        {
            let ids = column.ids.get(block.clone()).unwrap_or_default();
            match resolved {
                Resolved::ByBlock => by_int(self.org, column, ids, out),
                Resolved::Rows(rows) => {
                    out.clear();
                    out.extend_from_slice(rows.get(block.clone()).unwrap_or_default());
                }
            }
        }
    }

    /// Credits sale `row` (and the returns of it, from pair `cursor` of
    /// the returns on); the cursor past them.
    #[inline]
    fn credit_row(
        &self,
        row: usize,
        cursor: usize,
        scratch: &mut Scratch,
        table: &mut Table<'_>,
    ) -> Result<usize, CreditColumnsError> {
        let feed = self.feed;
        let (Some(&day), Some(&amount)) = (feed.days.get(row), feed.amounts.get(row)) else {
            return Ok(cursor);
        };
        let era = self.eras.of(day);
        let Some(&offset) = self.eras.offsets.get(era) else {
            return Err(CreditColumnsError::DayOutOfRange { row, day });
        };
        self.owners_of(row, era, scratch)?;
        if let Some(period) = self.windows.of(day) {
            split_shares(
                amount,
                &scratch.owners,
                &mut scratch.now,
                &mut scratch.remainders,
            )
            .ok_or_else(|| self.split_overflow(row))?;
            self.add(table, offset, period, &scratch.owners, &scratch.now, None)?;
        }
        let target = u32::try_from(row).unwrap_or(NONE);
        let (returns, next) = self.links.returns.rows_of(target, cursor);
        if !returns.is_empty() {
            self.credit_returns(amount, returns, offset, scratch, table)?;
        }
        Ok(next)
    }

    /// Loads the totals the first owners of `rows` (in the block of
    /// `scratch`) are credited to, in a loop of loads alone (many cache
    /// misses in flight at once), before the rows are credited one by one.
    #[inline]
    fn warm(&self, rows: Range<usize>, scratch: &Scratch, table: &Table<'_>) {
        let (Some(first), Some(days)) =
            (scratch.positions.first(), self.feed.days.get(rows.clone()))
        else {
            return;
        };
        // bound: rows of the block, from its first.
        let at = rows.start.saturating_sub(scratch.block)..rows.end.saturating_sub(scratch.block);
        let owners = first.get(at).unwrap_or_default();
        let width = self.eras.width;
        prefetch::touch(owners.iter().zip(days), |(position, day)| {
            // bound: not figures: a slot to read, or past the table.
            let offset = self
                .eras
                .offsets
                .get(self.eras.of(*day))
                .copied()
                .unwrap_or(0);
            // bound: not figures: a slot to read, or past the table.
            let period = self.windows.of(*day).unwrap_or(0);
            // bound: a slot to read, or past the table (nothing read).
            table.peek(
                offset
                    .saturating_add((*position as usize).saturating_mul(width))
                    .saturating_add(period),
            )
        });
    }

    /// Credits the `returns` of a sale of `amount` (whose owners are in
    /// `scratch`) cumulatively, in order of day (then row).
    fn credit_returns(
        &self,
        amount: i64,
        returns: &[Return],
        offset: usize,
        scratch: &mut Scratch,
        table: &mut Table<'_>,
    ) -> Result<(), CreditColumnsError> {
        scratch.returns.clear();
        scratch.returns.extend_from_slice(returns);
        scratch.returns.sort_by_key(|r| r.day);
        let sale = returns.first().map_or(0, |r| r.row as usize);
        split_shares(
            amount,
            &scratch.owners,
            &mut scratch.before,
            &mut scratch.remainders,
        )
        .ok_or_else(|| self.split_overflow(sale))?;
        let mut reversed = 0_i64;
        for r in &scratch.returns {
            // Checked by `check_reversed`: 0 <= reversed <= amount.
            let overflow = || CreditColumnsError::TooManyRows {
                rows: r.row as usize,
            };
            reversed = reversed.checked_sub(r.minor).ok_or_else(overflow)?;
            let left = amount.checked_sub(reversed).ok_or_else(overflow)?;
            split_shares(
                left,
                &scratch.owners,
                &mut scratch.now,
                &mut scratch.remainders,
            )
            .ok_or_else(|| self.split_overflow(r.row as usize))?;
            if let Some(period) = self.windows.of(r.day) {
                self.add(
                    table,
                    offset,
                    period,
                    &scratch.owners,
                    &scratch.now,
                    Some(&scratch.before),
                )?;
            }
            std::mem::swap(&mut scratch.before, &mut scratch.now);
        }
        Ok(())
    }

    /// Adds each owner's `now` (less its `before`) in `period`.
    #[inline]
    fn add(
        &self,
        table: &mut Table<'_>,
        offset: usize,
        period: usize,
        owners: &[Share],
        now: &[i64],
        before: Option<&[i64]>,
    ) -> Result<(), CreditColumnsError> {
        let width = self.eras.width;
        for (k, (owner, value)) in owners.iter().zip(now).enumerate() {
            let prior = match before {
                None => 0,
                Some(b) => *b.get(k).ok_or(out_of_range("owner", k))?,
            };
            // bound: a position of a stretch, a period, inside the table.
            let slot = offset
                .saturating_add((owner.position as usize).saturating_mul(width))
                .saturating_add(period);
            let delta = value.checked_sub(prior);
            if !delta.is_some_and(|d| d == 0 || table.add(slot, d)) {
                return Err(self.overflow_at(slot));
            }
        }
        Ok(())
    }

    /// Sale `row`'s owners, checked: known, in the org that day, named
    /// once, shares summing to 100%.
    fn owners_of(
        &self,
        row: usize,
        era: usize,
        scratch: &mut Scratch,
    ) -> Result<(), CreditColumnsError> {
        let out = &mut scratch.owners;
        out.clear();
        let k = row.saturating_sub(scratch.block); // bound: a row of the block
        let in_org = self.eras.in_org.get(era).map_or(&[][..], Vec::as_slice);
        let mut total = 0_i64;
        for (column, rows) in self.feed.owners.iter().zip(&scratch.positions) {
            let position = rows.get(k).copied().unwrap_or(NOBODY);
            if position == NOBODY {
                continue;
            }
            let named = || {
                column
                    .ids
                    .get(row)
                    .map_or_else(String::new, |k| k.column_key().to_string())
            };
            let transaction = || self.feed.id(row);
            if position == NONE {
                return Err(CreditColumnsError::UnknownPosition {
                    row,
                    transaction: transaction(),
                    position: named(),
                });
            }
            if !has(in_org, position) {
                let date = self
                    .eras
                    .snapshots
                    .get(era)
                    .and_then(Option::as_ref)
                    .map(OrgSnapshot::date);
                return Err(CreditColumnsError::NotInOrg {
                    row,
                    transaction: transaction(),
                    position: named(),
                    date: date.unwrap_or_default(),
                });
            }
            if out.iter().any(|o| o.position == position) {
                return Err(CreditColumnsError::DuplicateOwner {
                    row,
                    transaction: transaction(),
                    position: named(),
                });
            }
            let bp = *column.shares.get(row).ok_or(out_of_range("row", row))?;
            total = total.saturating_add(i64::from(bp)); // bound: a few i32s
            out.push(Share { position, bp });
        }
        if out.is_empty() {
            return Err(CreditColumnsError::NoOwners {
                row,
                transaction: self.feed.id(row),
            });
        }
        if total != i64::from(WHOLE) || out.iter().any(|o| o.bp < 0) {
            return Err(CreditColumnsError::SharesNotWhole {
                row,
                transaction: self.feed.id(row),
                basis_points: total,
            });
        }
        Ok(())
    }

    /// The error for a split of row `row`'s amount that does not fit.
    #[cold]
    fn split_overflow(&self, row: usize) -> CreditColumnsError {
        CreditColumnsError::SplitOverflow {
            row,
            transaction: self.feed.id(row),
        }
    }

    /// The error for the total at `slot` of the table.
    #[cold]
    fn overflow_at(&self, slot: usize) -> CreditColumnsError {
        let eras = self.eras;
        let era = eras
            .offsets
            .partition_point(|o| *o <= slot)
            .saturating_sub(1); // bound: an index
        let within = slot.saturating_sub(eras.offsets.get(era).copied().unwrap_or(0)); // bound: an index
        // bound: not figures: the position and period an error names.
        let position = within.checked_div(eras.width).unwrap_or(0);
        // bound: not figures: the position and period an error names.
        let period = within.checked_rem(eras.width).unwrap_or(0);
        let position = eras
            .snapshots
            .get(era)
            .and_then(Option::as_ref)
            .and_then(|s| s.org().positions().get(position))
            .map_or_else(String::new, |p| p.id().to_string());
        CreditColumnsError::Overflow {
            position,
            period: self.windows.1.get(period).copied(),
        }
    }
}

/// `amount` split over `owners` by their shares (`bp` of each, summing
/// to 10,000 basis points), exactly: each gets the floor of their share of
/// the amount's magnitude, the minor units left over go one each to the
/// largest remainders (equal remainders: the position declared first,
/// `position` of each, asked only when a tie decides who gets one), and
/// each part takes the amount's sign. `remainders` is room reused.
///
/// `None` when a part does not fit an `i64` (a share of 100% of an
/// amount of `i64::MIN` among several owners), or a position asked for
/// is not known.
fn split<T>(
    amount: i64,
    owners: &[T],
    bp: impl Fn(&T) -> i32,
    position: impl Fn(&T) -> Option<u32>,
    out: &mut Vec<i64>,
    remainders: &mut Vec<(u128, u32, usize)>,
) -> Option<()> {
    out.clear();
    if let [_] = owners {
        out.push(amount);
        return Some(());
    }
    let magnitude = u128::from(amount.unsigned_abs());
    let whole = WHOLE.unsigned_abs() as u128;
    let mut given = 0_u128;
    remainders.clear();
    for (k, o) in owners.iter().enumerate() {
        // bound: a u64 magnitude times a share below 2^31 fits in a u128.
        let exact = magnitude.checked_mul(u128::from(bp(o).unsigned_abs()))?;
        let floor = exact.checked_div(whole)?;
        given = given.saturating_add(floor); // bound: the floors sum to at most the magnitude
        out.push(i64::try_from(floor).ok()?);
        remainders.push((exact.checked_rem(whole)?, 0, k));
    }
    let left = usize::try_from(magnitude.saturating_sub(given)).ok()?; // bound: below the owners' count
    if left > 0 {
        // Largest remainders first; the positions only break a tie that
        // decides who gets a minor unit.
        remainders.sort_by_key(|r| std::cmp::Reverse(r.0));
        let last_in = remainders.get(left.wrapping_sub(1)).map(|r| r.0); // bound: left > 0
        if last_in.is_some() && remainders.get(left).map(|r| r.0) == last_in {
            for r in remainders.iter_mut() {
                r.1 = position(owners.get(r.2)?)?;
            }
            remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        }
    }
    for &(_, _, k) in remainders.iter().take(left) {
        if let Some(part) = out.get_mut(k) {
            *part = part.saturating_add(1); // bound: a part of the magnitude
        }
    }
    if amount < 0 {
        for part in out.iter_mut() {
            *part = part.saturating_neg(); // bound: a part of a negative i64's magnitude
        }
    }
    Some(())
}

/// An owner column of integer ids, and whether its `none` marker names
/// nobody (it does unless it is a position of the org).
struct IntOwner<'c, 'a, K> {
    column: &'c OwnerColumn<'a, K>,
    none_int: Option<u64>,
    none_is_nobody: bool,
}

impl<'c, 'a, K: ColumnId> IntOwner<'c, 'a, K> {
    fn new(column: &'c OwnerColumn<'a, K>, index: &IntIndex) -> Self {
        let none_int = column.none.int_key();
        IntOwner {
            column,
            none_int,
            none_is_nobody: none_int.is_none_or(|n| index.get_one(n).is_none()),
        }
    }

    /// The integer row `row` names (`Some(None)`: nobody); `None` for a
    /// value that is neither an integer nor the `none` marker.
    #[inline]
    fn key(&self, row: usize) -> Option<Option<u64>> {
        let id = self.column.ids.get(row)?;
        match id.int_key() {
            Some(n) => Some((Some(n) != self.none_int || !self.none_is_nobody).then_some(n)),
            None => (id.column_key() == self.column.none.column_key()).then_some(None),
        }
    }
}

/// Buffers kept across the rows of a part credited by key.
#[derive(Default)]
struct KeyScratch {
    /// A sale's owners: their integer ids and shares.
    owners: Vec<(u64, i32)>,
    before: Vec<i64>,
    now: Vec<i64>,
    returns: Vec<Return>,
    remainders: Vec<(u128, u32, usize)>,
}

/// Row `row`'s owners in `columns`, into `out`: `None` unless they are
/// named once each, with shares summing to 100%.
#[inline]
fn owner_keys<K: ColumnId>(
    row: usize,
    columns: &[IntOwner<'_, '_, K>],
    out: &mut Vec<(u64, i32)>,
) -> Option<()> {
    out.clear();
    let mut total = 0_i32;
    for c in columns {
        let Some(key) = c.key(row)? else { continue };
        let bp = *c.column.shares.get(row)?;
        if bp < 0 || out.iter().any(|o| o.0 == key) {
            return None;
        }
        total = total.checked_add(bp)?;
        out.push((key, bp));
    }
    (!out.is_empty() && total == WHOLE).then_some(())
}

impl<T: ColumnId, K: ColumnId> Job<'_, '_, T, K> {
    /// The table of totals that [`credit_rows`](Self::credit_rows) adds
    /// up, for owner columns of integer ids: each credit an entry (owner
    /// id, stretch and period, amount) summed by id
    /// ([`sum_keyed`]), the ids looked up and the totals added a region
    /// of the org's index at a time, then placed by position. `None` when
    /// a column is not all integers, or on any fault: the rows are then
    /// credited one by one, which names the first fault.
    fn credit_by_key(&self, parallel: bool) -> Option<Credited> {
        if !self.owners.iter().all(|o| matches!(o, Resolved::ByBlock)) {
            return None;
        }
        let index = self.org.int_index();
        let columns: Vec<IntOwner<'_, '_, K>> = (self.feed.owners.iter())
            .map(|c| IntOwner::new(c, index))
            .collect();
        let eras = self.eras;
        let width = eras.width;
        // The stretches a sale is booked in, and each one's first code.
        let present: Vec<usize> = (0..eras.snapshots.len())
            .filter(|e| eras.snapshots.get(*e).is_some_and(Option::is_some))
            .collect();
        let mut bases = vec![None; eras.snapshots.len()];
        for (k, era) in present.iter().enumerate() {
            let base = k.checked_mul(width).and_then(|b| u32::try_from(b).ok());
            *bases.get_mut(*era)? = Some(base.filter(|b| *b < CHECK)?);
        }
        // The stretch of each code (a lookup: no division per entry).
        let era_of: Vec<usize> = present
            .iter()
            .flat_map(|era| std::iter::repeat_n(*era, width))
            .collect();
        let accept = |row: u32, code: u32| {
            let era = if code & CHECK == 0 {
                era_of.get(code as usize).copied()
            } else {
                Some((code & !CHECK) as usize)
            };
            Some(has(eras.in_org.get(era?)?, row))
        };
        let sums = sum_keyed(
            index,
            self.feed.len(),
            present.len().checked_mul(width)?,
            parallel,
            |rows, sink| self.emit_rows(rows, &columns, &bases, sink).is_some(),
            |row, code| accept(row, code).unwrap_or(false),
        )?;
        let mut first = vec![None; eras.snapshots.len()];
        for (k, era) in present.iter().enumerate() {
            *first.get_mut(*era)? = Some(k.checked_mul(width)?);
        }
        Some(Credited::Keyed {
            ranks: sums.ranks_of_rows(self.org.positions().len()),
            sums,
            first,
            zeros: vec![0; width],
        })
    }

    /// The entries of every sale (and return credited alone) of `rows`,
    /// and of the returns of each sale with it, into `sink`.
    fn emit_rows(
        &self,
        rows: Range<usize>,
        columns: &[IntOwner<'_, '_, K>],
        bases: &[Option<u32>],
        sink: &mut Sink,
    ) -> Option<()> {
        let mut scratch = KeyScratch::default();
        let mut cursor = self
            .links
            .returns
            .first_from(u32::try_from(rows.start).ok()?);
        for row in rows {
            if self.feed.is_credited_alone(row) {
                cursor = self.emit_row(row, cursor, columns, bases, &mut scratch, sink)?;
            }
        }
        Some(())
    }

    /// The entries of sale `row` (and of the returns of it, from pair
    /// `cursor` of the returns on); the cursor past them.
    #[inline]
    fn emit_row(
        &self,
        row: usize,
        cursor: usize,
        columns: &[IntOwner<'_, '_, K>],
        bases: &[Option<u32>],
        scratch: &mut KeyScratch,
        sink: &mut Sink,
    ) -> Option<usize> {
        let feed = self.feed;
        let (day, amount) = (*feed.days.get(row)?, *feed.amounts.get(row)?);
        let era = self.eras.of(day);
        let base = (*bases.get(era)?)?;
        owner_keys(row, columns, &mut scratch.owners)?;
        if let Some(period) = self.windows.of(day) {
            let KeyScratch {
                owners,
                now,
                remainders,
                ..
            } = &mut *scratch;
            split_keys(self.org.int_index(), amount, owners, now, remainders)?;
            let code = base.checked_add(u32::try_from(period).ok()?)?;
            for (o, v) in owners.iter().zip(now.iter()) {
                sink.push(o.0, code, *v);
            }
        } else {
            let code = u32::try_from(era).ok().filter(|e| *e < CHECK)? | CHECK;
            for o in &scratch.owners {
                sink.push(o.0, code, 0);
            }
        }
        let (returns, next) = self.links.returns.rows_of(u32::try_from(row).ok()?, cursor);
        if !returns.is_empty() {
            self.emit_returns(amount, returns, base, scratch, sink)?;
        }
        Some(next)
    }

    /// The entries of the `returns` of a sale of `amount` (whose owners
    /// are in `scratch`), credited cumulatively in order of day (then
    /// row), as [`credit_returns`](Self::credit_returns) credits them.
    fn emit_returns(
        &self,
        amount: i64,
        returns: &[Return],
        base: u32,
        scratch: &mut KeyScratch,
        sink: &mut Sink,
    ) -> Option<()> {
        let index = self.org.int_index();
        let KeyScratch {
            owners,
            before,
            now,
            returns: sorted,
            remainders,
        } = scratch;
        sorted.clear();
        sorted.extend_from_slice(returns);
        sorted.sort_by_key(|r| r.day);
        split_keys(index, amount, owners, before, remainders)?;
        let mut reversed = 0_i64;
        for r in sorted.iter() {
            reversed = reversed.checked_sub(r.minor)?;
            split_keys(
                index,
                amount.checked_sub(reversed)?,
                owners,
                now,
                remainders,
            )?;
            if let Some(period) = self.windows.of(r.day) {
                let code = base.checked_add(u32::try_from(period).ok()?)?;
                for ((o, n), b) in owners.iter().zip(now.iter()).zip(before.iter()) {
                    let delta = n.checked_sub(*b)?;
                    if delta != 0 {
                        sink.push(o.0, code, delta);
                    }
                }
            }
            std::mem::swap(before, now);
        }
        Some(())
    }
}

/// [`split`] over owners named by integer id, their positions looked up
/// in `index` only when a tie decides.
#[inline]
fn split_keys(
    index: &IntIndex,
    amount: i64,
    owners: &[(u64, i32)],
    out: &mut Vec<i64>,
    remainders: &mut Vec<(u128, u32, usize)>,
) -> Option<()> {
    split(
        amount,
        owners,
        |o| o.1,
        |o| index.get_one(o.0),
        out,
        remainders,
    )
}

impl Eras {
    /// The totals per position and person per period, from the table of
    /// totals per stretch, declared position and period.
    fn totals<T: ColumnId, K: ColumnId>(
        &self,
        org: &Org,
        values: &Credited,
        windows: &Windows,
        currency: Currency,
        job: &Job<'_, '_, T, K>,
        parallel: bool,
    ) -> Result<CreditColumnTotals, CreditColumnsError> {
        let width = self.width;
        let (positions, people) = (org.positions().len(), org.people().len());
        // Written zeros: added to (read, then written) at every row.
        let zeros = |n: usize| written_zeros(n.saturating_mul(width)); // bound: memory
        // The pages written on two threads (page faults are most of it).
        let ((direct, roll_up), (person_direct, person_roll_up)) = join(
            parallel,
            || (zeros(positions), zeros(positions)),
            || (zeros(people), zeros(people)),
        );
        let mut out = CreditColumnTotals {
            periods: windows.1.clone(),
            currency,
            positions,
            people,
            direct,
            roll_up,
            person_direct,
            person_roll_up,
        };
        for (era, (snapshot, &offset)) in self.snapshots.iter().zip(&self.offsets).enumerate() {
            if let Some(snapshot) = snapshot {
                let own = |position: usize| values.own(era, offset, width, position);
                add_era(snapshot, own, offset, width, &mut out, job, parallel)?;
            }
        }
        Ok(out)
    }
}

/// Adds one stretch's totals (`own` of each declared position: its
/// `width` periods; slot `offset` on in the table of totals, for errors)
/// to its positions' columns, with their roll-up, and to their holders'
/// (the positions' and the people's on two threads when `parallel`).
fn add_era<'v, T: ColumnId, K: ColumnId>(
    snapshot: &OrgSnapshot,
    own: impl Fn(usize) -> Option<&'v [i64]> + Sync,
    offset: usize,
    width: usize,
    out: &mut CreditColumnTotals,
    job: &Job<'_, '_, T, K>,
    parallel: bool,
) -> Result<(), CreditColumnsError> {
    let order = snapshot.declared_order();
    // bound: a slot of the stretch's table.
    let slot = |position: usize, period: usize| {
        // bound: a slot of the stretch's table.
        offset
            .saturating_add(position.saturating_mul(width))
            .saturating_add(period)
    };
    let under = below_by(snapshot.parents(), width, |node| {
        own(*order.get(node)? as usize)
    })
    .map_err(|(node, period)| match order.get(node) {
        Some(p) => job.overflow_at(slot(*p as usize, period)),
        None => out_of_range("node", node),
    })?;
    let era = Era {
        nodes: snapshot.position_nodes(),
        holders: snapshot.holders(),
        own: &own,
        under: &under,
        width,
    };
    let CreditColumnTotals {
        positions,
        people,
        direct,
        roll_up,
        person_direct,
        person_roll_up,
        ..
    } = out;
    let (a, b) = join(
        parallel,
        || era.add(*positions, direct, roll_up, |_, position| Some(position)),
        || {
            era.add(*people, person_direct, person_roll_up, |node, _| {
                Some(era.holders.get(node).copied().unwrap_or(NONE) as usize)
                    .filter(|p| *p != NONE as usize)
            })
        },
    );
    // The first fault in declaration order, then period, as one pass
    // over both would meet it.
    match (a.err(), b.err()) {
        (None, None) => Ok(()),
        (x, y) => {
            let (position, period) = x.into_iter().chain(y).min().unwrap_or_default();
            Err(job.overflow_at(slot(position, period)))
        }
    }
}

/// One stretch's totals, to add to output columns.
struct Era<'e, F> {
    /// Each declared position's node (`NONE`: not in the org).
    nodes: &'e [u32],
    /// Each node's holder (`NONE`: vacant).
    holders: &'e [u32],
    /// Each declared position's direct totals.
    own: &'e F,
    /// Each node's roll-up totals, `width` a node.
    under: &'e [i64],
    width: usize,
}

impl<'v, F: Fn(usize) -> Option<&'v [i64]>> Era<'_, F> {
    /// Adds every position's direct and roll-up totals to `direct` and
    /// `roll_up` (period-major, `len` rows a period) at row `row(node,
    /// position)` (`None`: nowhere), in declaration order;
    /// `Err((position, period))` for the first that overflows.
    fn add(
        &self,
        len: usize,
        direct: &mut [i64],
        roll_up: &mut [i64],
        row: impl Fn(usize, usize) -> Option<usize>,
    ) -> Result<(), (usize, usize)> {
        let width = self.width;
        for (position, &node) in self.nodes.iter().enumerate() {
            if node == NONE {
                continue;
            }
            let node = node as usize;
            let Some(at) = row(node, position) else {
                continue;
            };
            let d = (self.own)(position).ok_or((position, 0))?;
            // bound: a node's columns of `under`.
            let from = node.saturating_mul(width);
            // bound: a node's columns of `under`.
            let r = self.under.get(from..from.saturating_add(width));
            let r = r.ok_or((position, 0))?;
            for (period, (&d, &r)) in d.iter().zip(r).enumerate() {
                if d == 0 && r == 0 {
                    continue;
                }
                // bound: a period's column, a row of it.
                let at = period.saturating_mul(len).saturating_add(at);
                if !(add_to(direct, at, d) && add_to(roll_up, at, r)) {
                    return Err((position, period));
                }
            }
        }
        Ok(())
    }
}

/// The totals per stretch, declared position and period, as crediting
/// row by row adds them up (a table) or by key.
enum Credited {
    /// Slot `offset + position × width + period` of each stretch.
    Table(Vec<i64>),
    /// By rank of each position's integer id in the org's index.
    Keyed {
        sums: KeyedSums,
        /// The rank of each declared position (`ABSENT`: none).
        ranks: Vec<u32>,
        /// Each stretch's first column (`None`: no sale booked in it).
        first: Vec<Option<usize>>,
        /// A position's totals where it has none.
        zeros: Vec<i64>,
    },
}

impl Credited {
    /// The `width` totals of `position` in stretch `era` (whose table
    /// starts at slot `offset`).
    #[inline]
    fn own(&self, era: usize, offset: usize, width: usize, position: usize) -> Option<&[i64]> {
        match self {
            Credited::Table(values) => {
                let at = position.checked_mul(width)?.checked_add(offset)?;
                values.get(at..at.checked_add(width)?)
            }
            Credited::Keyed {
                sums,
                ranks,
                first,
                zeros,
            } => {
                let rank = *ranks.get(position)?;
                if rank == ABSENT {
                    return Some(zeros);
                }
                let from = (*first.get(era)?)?;
                sums.get(rank, from..from.checked_add(width)?)
            }
        }
    }
}

fn add_to(values: &mut [i64], at: usize, amount: i64) -> bool {
    match values.get_mut(at) {
        Some(v) => match v.checked_add(amount) {
            Some(sum) => {
                *v = sum;
                true
            }
            None => false,
        },
        None => false,
    }
}

/// The error for an index that is out of range (never expected: reported
/// instead of a wrong total).
#[cold]
fn out_of_range(what: &'static str, index: impl TryInto<usize>) -> CreditColumnsError {
    CreditColumnsError::OutOfRange {
        what,
        index: index.try_into().unwrap_or(usize::MAX),
    }
}

/// A feed given as columns that cannot be credited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CreditColumnsError {
    /// The plan is not one the columns are credited under (see
    /// [`Crediting::totals_from_columns`]).
    #[error("crediting from columns does not take {what}: use Crediting::totals")]
    Unsupported {
        /// What the plan asks for.
        what: &'static str,
    },
    /// A column of another length than the ids.
    #[error("column {column} has {found} rows, expected {expected}")]
    ColumnLength {
        /// The column.
        column: String,
        /// The ids' length.
        expected: usize,
        /// Its length.
        found: usize,
    },
    /// More rows (or totals) than the crate counts.
    #[error("{rows} rows are more than crediting from columns takes")]
    TooManyRows {
        /// How many.
        rows: usize,
    },
    /// Periods that overlap or are out of order.
    #[error("period {second} does not start after {first} ends")]
    Periods {
        /// The earlier period.
        first: Period,
        /// The one that overlaps it or comes before it.
        second: Period,
    },
    /// A day that is not a date (past chrono's range).
    #[error("row {row}: day {day} (from 1970-01-01) is not a date")]
    DayOutOfRange {
        /// The row.
        row: usize,
        /// The day.
        day: i32,
    },
    /// A kind not credited from columns (payments).
    #[error("transaction {transaction} (row {row}) is a {kind:?}: not credited from columns")]
    UnsupportedKind {
        /// The row.
        row: usize,
        /// Its id.
        transaction: String,
        /// Its kind.
        kind: TransactionKind,
    },
    /// A negative sale or a positive return.
    #[error(
        "transaction {transaction} (row {row}): a {kind:?} of {amount} minor units has the wrong sign"
    )]
    WrongSign {
        /// The row.
        row: usize,
        /// Its id.
        transaction: String,
        /// Its kind.
        kind: TransactionKind,
        /// Its amount, in minor units.
        amount: i64,
    },
    /// A sale naming an original.
    #[error("transaction {transaction} (row {row}) is a sale but names original {original}")]
    UnexpectedOriginal {
        /// The row.
        row: usize,
        /// Its id.
        transaction: String,
        /// The original's id.
        original: String,
    },
    /// A return whose original row is not in the feed.
    #[error("return {transaction} (row {row}) reverses row {original}, which is not in the feed")]
    UnknownOriginal {
        /// The row.
        row: usize,
        /// Its id.
        transaction: String,
        /// The original row given.
        original: i64,
    },
    /// A return whose original is not a sale.
    #[error("return {transaction} (row {row}) reverses {original}, which is not a sale")]
    OriginalNotASale {
        /// The row.
        row: usize,
        /// Its id.
        transaction: String,
        /// The original's id.
        original: String,
    },
    /// A return dated before its sale.
    #[error(
        "return {transaction} (row {row}) on day {day} is before its sale {original} on day {original_day}"
    )]
    BeforeOriginal {
        /// The row.
        row: usize,
        /// Its id.
        transaction: String,
        /// Its day.
        day: i32,
        /// The sale's id.
        original: String,
        /// The sale's day.
        original_day: i32,
    },
    /// Returns taking back more than their sale.
    #[error(
        "return {transaction} (row {row}) brings the total returned of {original} to {total}, beyond its {original_amount} minor units"
    )]
    ExceedsOriginal {
        /// The row of the return that goes beyond.
        row: usize,
        /// Its id.
        transaction: String,
        /// The sale's id.
        original: String,
        /// The total returned with it, in minor units.
        total: i128,
        /// The sale's amount, in minor units.
        original_amount: i64,
    },
    /// A sale naming no owner.
    #[error("sale {transaction} (row {row}) names no owner")]
    NoOwners {
        /// The row.
        row: usize,
        /// Its id.
        transaction: String,
    },
    /// Owners' shares not summing to exactly 100% (or one negative).
    #[error(
        "the owners' shares of {transaction} (row {row}) sum to {basis_points} basis points, not 10000"
    )]
    SharesNotWhole {
        /// The row.
        row: usize,
        /// Its id.
        transaction: String,
        /// Their sum.
        basis_points: i64,
    },
    /// A position named twice on one sale.
    #[error("sale {transaction} (row {row}) names owner {position} twice")]
    DuplicateOwner {
        /// The row.
        row: usize,
        /// Its id.
        transaction: String,
        /// The position.
        position: String,
    },
    /// An owner id that is not a position of the org.
    #[error("sale {transaction} (row {row}) names owner {position}, not a position of the org")]
    UnknownPosition {
        /// The row.
        row: usize,
        /// Its id.
        transaction: String,
        /// The id given.
        position: String,
    },
    /// An owner not in the org on the sale's day.
    #[error("sale {transaction} (row {row}) names owner {position}, not in the org on {date}")]
    NotInOrg {
        /// The row.
        row: usize,
        /// Its id.
        transaction: String,
        /// The position.
        position: String,
        /// The sale's day.
        date: NaiveDate,
    },
    /// A total beyond an `i64` of minor units.
    #[error("the credit total of position {position} in {period:?} overflows")]
    Overflow {
        /// The position.
        position: String,
        /// The period.
        period: Option<Period>,
    },
    /// A split of a sale's amount whose part does not fit an `i64`.
    #[error("transaction {transaction} (row {row}): a part of its split does not fit 64 bits")]
    SplitOverflow {
        /// The row.
        row: usize,
        /// Its id.
        transaction: String,
    },
    /// An index out of range inside the crediting (never expected: an
    /// error instead of a wrong total).
    #[error("{what} {index} is out of range")]
    OutOfRange {
        /// What was looked up.
        what: &'static str,
        /// Its index.
        index: usize,
    },
    /// The org is not one tree on a sale's day.
    #[error(transparent)]
    Org(#[from] OrgError),
}
