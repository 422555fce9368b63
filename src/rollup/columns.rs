//! The roll-up from the user's columns: a column of rep ids, a column of
//! amounts (and of days), summed per node with the ids resolved inside the
//! crate.

use rust_decimal::Decimal;

use super::{MoneyRollup, NodeValues, RollupError, SumOptions};
use crate::execution::Execution;
use crate::ids::ColumnId;
use crate::kernel::fill::try_fill;
use crate::kernel::int_index::{IntIndex, sum_by_key};
use crate::money::{Attainment, Money};
use crate::org::{NONE, OrgSnapshot};

/// A column of amounts: whole minor units (`i64`, as Arrow's int64 or a
/// Parquet decimal's unscaled value at the currency's scale), or
/// `Decimal`s that must each be a whole number of minor units.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum AmountColumn<'a> {
    /// Whole minor units (cents).
    Minor(&'a [i64]),
    /// Decimal amounts in the currency's major unit.
    Decimal(&'a [Decimal]),
}

impl AmountColumn<'_> {
    fn len(&self) -> usize {
        match self {
            AmountColumn::Minor(v) => v.len(),
            AmountColumn::Decimal(v) => v.len(),
        }
    }
}

/// Credits as columns: row `i` credits `amounts[i]` to the position whose
/// id is `ids[i]` (an integer or text, see [`ColumnId`]), on day `days[i]`
/// when there is a day column.
///
/// Days are counted from 1970-01-01 (Arrow's `date32`); they are needed
/// when the sum is for a [`period`](SumOptions::period).
#[derive(Debug, Clone, Copy)]
#[must_use]
pub struct CreditColumns<'a, K> {
    ids: &'a [K],
    amounts: AmountColumn<'a>,
    days: Option<&'a [i32]>,
}

impl<'a, K: ColumnId> CreditColumns<'a, K> {
    /// Credits of `amounts` to `ids`.
    pub const fn new(ids: &'a [K], amounts: AmountColumn<'a>) -> Self {
        CreditColumns {
            ids,
            amounts,
            days: None,
        }
    }

    /// The day of each credit, counted from 1970-01-01.
    pub const fn days(mut self, days: &'a [i32]) -> Self {
        self.days = Some(days);
        self
    }
}

/// Days from 1970-01-01 to `date`.
fn day_number(date: chrono::NaiveDate) -> Option<i32> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from(date.signed_duration_since(epoch).num_days()).ok()
}

/// Sums credits given as columns per node and rolls them up: every node's
/// subtree total, as [`sum_credits`](super::sum_credits) gives, with each
/// credit's id resolved inside the crate.
///
/// Integer ids (and canonical integer text) are summed by a partitioned
/// pass against the org's index by integer: the rows are grouped by
/// region of the index a chunk at a time, so that each id's lookup and
/// each total's addition hit the cache; other text ids are resolved in
/// batches and added in row order.
///
/// # Errors
///
/// [`RollupError::ColumnLength`] for columns of different lengths;
/// [`RollupError::MissingDays`] for a period without a day column;
/// [`RollupError::UnknownId`] naming the first credit (id and row) in
/// the period whose id is not in the snapshot; [`RollupError::Amount`]
/// for an amount that is not a whole number of minor units;
/// [`RollupError::Overflow`] naming the position whose total overflowed.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::org::{OrgColumns, Role};
/// use salesplan::rollup::{sum_credit_columns, AmountColumn, CreditColumns, SumOptions};
/// use salesplan::{Currency, Period};
///
/// let ids: [u64; 3] = [1, 20, 21];
/// let parents: [u64; 3] = [0, 1, 1];
/// let roles = [Role::Director, Role::SalesRep, Role::SalesRep];
/// let org = OrgColumns::new(&ids, &parents, &0, &roles).build()?;
/// let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap())?;
///
/// let reps: [u64; 4] = [20, 21, 20, 21];
/// let cents: [i64; 4] = [100_00, 250_00, -10_00, 5_00];
/// let days: [i32; 4] = [20089, 20100, 20200, 20454]; // the last is 2026-01-01
/// let credits = CreditColumns::new(&reps, AmountColumn::Minor(&cents)).days(&days);
/// let options = SumOptions::new(Currency::USD).period(Period::year(2025)?);
/// let totals = sum_credit_columns(&snapshot, credits, options)?;
/// assert_eq!(totals.subtree(snapshot.root())?.to_string(), "340.00 USD");
/// // Attainment against quotas in minor units, one per org row.
/// let att = totals.attainments_minor(&[680_00, 100_00, 0])?;
/// assert_eq!(att[0].to_string(), "50%");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn sum_credit_columns<'s, K: ColumnId>(
    snapshot: &'s OrgSnapshot,
    credits: CreditColumns<'_, K>,
    options: SumOptions,
) -> Result<MoneyRollup<'s>, RollupError> {
    let rows = credits.ids.len();
    let found = credits.amounts.len();
    if found != rows {
        return Err(RollupError::ColumnLength {
            column: "amounts",
            expected: rows,
            found,
        });
    }
    if let Some(days) = credits.days
        && days.len() != rows
    {
        return Err(RollupError::ColumnLength {
            column: "days",
            expected: rows,
            found: days.len(),
        });
    }
    // The period as days from the epoch: `lo <= day < hi`.
    let window = match (options.period, credits.days) {
        (None, _) => None,
        (Some(_), None) => return Err(RollupError::MissingDays),
        (Some(p), Some(days)) => Some((
            days,
            day_number(p.start()).unwrap_or(i32::MIN),
            day_number(p.end()).unwrap_or(i32::MAX),
        )),
    };
    let keep = |i: usize| {
        window.is_none_or(|(days, lo, hi)| days.get(i).is_some_and(|d| *d >= lo && *d < hi))
    };
    let currency = options.currency;
    // One instance of the fast path per kind of amount column, so that
    // each reads its column in a tight loop.
    let fast = match credits.amounts {
        AmountColumn::Minor(v) => sum_by_int(
            snapshot,
            credits.ids,
            &keep,
            &|i: usize| v.get(i).copied(),
            options,
        ),
        AmountColumn::Decimal(v) => {
            let amount = |i: usize| -> Option<i64> {
                let minor = Money::new(*v.get(i)?, currency).to_minor().ok()?;
                i64::try_from(minor).ok()
            };
            sum_by_int(snapshot, credits.ids, &keep, &amount, options)
        }
    };
    if let Some(own) = fast {
        return MoneyRollup::new(options, own);
    }
    sum_in_row_order(snapshot, credits, keep, options)
        .and_then(|own| MoneyRollup::new(options, own))
}

/// The fast path: every id an integer in the org that day, every amount
/// in range, no overflow; `None` otherwise.
fn sum_by_int<'s, K: ColumnId>(
    snapshot: &'s OrgSnapshot,
    ids: &[K],
    keep: &(impl Fn(usize) -> bool + Sync),
    amount: &(impl Fn(usize) -> Option<i64> + Sync),
    options: SumOptions,
) -> Option<NodeValues<'s, i128>> {
    let org = snapshot.org();
    let pos_node = snapshot.position_nodes();
    // Credits may only go to positions in the org that day: when some
    // are not, the sums use an index of those that are.
    let in_day;
    let index = if pos_node.contains(&NONE) {
        let ints: Vec<(u64, u32)> = (0u32..)
            .zip(org.positions())
            .filter(|(row, _)| pos_node.get(*row as usize).is_some_and(|n| *n != NONE))
            .filter_map(|(row, p)| Some((p.id().as_u64()?, row)))
            .collect();
        in_day = IntIndex::from_pairs(ints.len(), ints.into_iter()).ok()?;
        &in_day
    } else {
        org.int_index()
    };
    let key = |i: usize| ids.get(i)?.int_key();
    let parallel = options.execution == Execution::Parallel;
    let sums = sum_by_key(index, ids.len(), key, amount, keep, parallel)?;
    // Each slot's sum to its position's node: only the slots with a sum
    // look their node up (a sum at an empty slot, or at a position not in
    // the org that day, is a fault). A position has one slot (its id is
    // indexed once), so each node's value is written, never read: the
    // writes to nodes at no predictable place do not wait for the cache.
    let mut values = vec![0_i128; snapshot.len()];
    for (row, sum) in index.slot_rows().zip(sums) {
        if sum != 0 {
            let node = *pos_node.get(row as usize)?;
            *values.get_mut(node as usize)? = i128::from(sum);
        }
    }
    Some(NodeValues { snapshot, values })
}

/// The exact path: ids resolved in batches, credits added in row order,
/// the first fault named.
fn sum_in_row_order<'s, K: ColumnId>(
    snapshot: &'s OrgSnapshot,
    credits: CreditColumns<'_, K>,
    keep: impl Fn(usize) -> bool,
    options: SumOptions,
) -> Result<NodeValues<'s, i128>, RollupError> {
    let mut nodes = Vec::new();
    snapshot.node_rows(credits.ids, &mut nodes);
    let mut values = vec![0_i128; snapshot.len()];
    for (i, node) in nodes.iter().enumerate() {
        if !keep(i) {
            continue;
        }
        let Some(at) = snapshot.node_at_raw(*node) else {
            return Err(RollupError::UnknownId {
                id: credits
                    .ids
                    .get(i)
                    .map_or_else(String::new, |k| k.column_key().to_string()),
                row: i,
                date: snapshot.date(),
            });
        };
        let position = at.id();
        let minor = match credits.amounts {
            AmountColumn::Minor(v) => v.get(i).copied().map(i128::from),
            AmountColumn::Decimal(v) => v
                .get(i)
                .map(|d| Money::new(*d, options.currency).to_minor())
                .transpose()
                .map_err(|source| RollupError::Amount {
                    position: position.clone(),
                    source,
                })?,
        }
        .ok_or(RollupError::NodeOutOfRange { index: i })?;
        let value = values
            .get_mut(*node as usize)
            .ok_or(RollupError::NodeOutOfRange { index: i })?;
        *value = value
            .checked_add(minor)
            .ok_or_else(|| RollupError::Overflow {
                position: position.clone(),
            })?;
    }
    Ok(NodeValues { snapshot, values })
}

/// Nodes whose quotas [`MoneyRollup::attainments_minor`] gathers at a time.
const QUOTA_BLOCK: usize = 1024;

impl MoneyRollup<'_> {
    /// Every node's subtree total against its quota, given as whole minor
    /// units one per position in declaration order (the org's rows), in
    /// node order, as [`attainments`](Self::attainments).
    ///
    /// # Errors
    ///
    /// [`RollupError::SnapshotMismatch`] when there is not one quota per
    /// declared position; [`RollupError::Amount`] for a quota beyond what
    /// a `Decimal` holds.
    pub fn attainments_minor(&self, quotas: &[i64]) -> Result<Vec<Attainment>, RollupError> {
        let snapshot = self.snapshot();
        let declared = snapshot.org().positions().len();
        if quotas.len() != declared {
            return Err(RollupError::SnapshotMismatch {
                expected: declared,
                found: quotas.len(),
            });
        }
        let currency = self.currency();
        let order = snapshot.declared_order();
        let totals = self.subtree.values.as_slice();
        let mut all = vec![Attainment::Ratio(Decimal::ZERO); order.len()];
        let parallel = self.execution == Execution::Parallel && order.len() > 4096;
        // Every slot below is in range (one quota per declared position,
        // one node and total per slot): a miss is a mismatch, never zero.
        let mismatch = || RollupError::SnapshotMismatch {
            expected: declared,
            found: quotas.len(),
        };
        try_fill(&mut all, parallel, |from, out| {
            let (Some(nodes), Some(totals)) = (order.get(from..), totals.get(from..)) else {
                return Err(mismatch());
            };
            // A block at a time: the block's quotas (one per node, at no
            // predictable place of the declared column) are gathered first
            // in a loop of loads alone, whose cache misses overlap, then
            // divided in order.
            let mut block = [0_i64; QUOTA_BLOCK];
            for ((out, nodes), totals) in out
                .chunks_mut(QUOTA_BLOCK)
                .zip(nodes.chunks(QUOTA_BLOCK))
                .zip(totals.chunks(QUOTA_BLOCK))
            {
                for (q, pos) in block.iter_mut().zip(nodes) {
                    *q = quotas.get(*pos as usize).copied().ok_or_else(mismatch)?;
                }
                for (((slot, pos), actual), quota) in
                    out.iter_mut().zip(nodes).zip(totals).zip(&block)
                {
                    let actual = *actual;
                    *slot = Attainment::of_minor(actual, i128::from(*quota), || {
                        Money::from_minor(actual, currency)
                    })
                    .map_err(|source| RollupError::Amount {
                        position: snapshot
                            .org()
                            .positions()
                            .get(*pos as usize)
                            .map_or_else(|| snapshot.root().id().clone(), |p| p.id().clone()),
                        source,
                    })?;
                }
            }
            Ok(())
        })?;
        Ok(all)
    }
}
