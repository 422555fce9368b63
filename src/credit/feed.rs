//! The feed, read and checked: each transaction's amount, kind and date in
//! columns, its owners resolved, each return and payment linked to its
//! sale. What the crediting engine reads of a transaction it reads from
//! here; the machinery that makes this fast over millions of rows
//! (chunked passes, the id table, sparse rows, warm-ups) is the kernel's.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::engine::NONE;
use super::plan::{CreditPlan, CreditTiming};
use super::transaction::{Transaction, TransactionKind};
use crate::credit::CreditError;
use crate::execution::Execution;
use crate::ids::{PositionId, TransactionId};
use crate::kernel::codes::Codes;
use crate::kernel::columns;
use crate::kernel::id_table::{IdTable, entry, key};
use crate::kernel::prefetch;
use crate::kernel::rank_bits::{Bits, SparseRows};
use crate::money::{self, ArithOp, Money, Percent};
use crate::org::Org;

/// How many owners are resolved at a time.
const BATCH: usize = 4096;

/// A validated feed: amounts in minor units, originals resolved, each
/// sale's returns and payments in date then id order.
pub(super) struct Feed<'t> {
    pub(super) txs: &'t [Transaction],
    /// How many transactions (below `NONE`, checked when read).
    count: u32,
    /// Each transaction's amount, in minor units; `i64::MIN` for one in
    /// `wide`.
    minor: Vec<i64>,
    /// The amounts beyond 64 bits, by feed index, in order.
    wide: Vec<(u32, i128)>,
    /// Each transaction's kind and booking date, read for returns and
    /// payments from here rather than from the transactions.
    kinds: Vec<TransactionKind>,
    booked: Vec<NaiveDate>,
    /// Children (returns, credit notes, payments) of each sale, in rows
    /// (for the few sales that have any).
    rows: SparseRows,
    pub(super) children: Vec<Child>,
    /// Which transactions refer to an original.
    refers: Bits,
    /// The owners named, by chunk of [`CHUNK`] transactions (read a chunk
    /// at a time, on several threads with [`Execution::Parallel`]).
    parts: Vec<Part>,
}

/// A return, credit note or payment, as its sale's row keeps it: what the
/// engine reads of it, without going back to the transaction (a cache miss
/// each: they come long after their sale).
#[derive(Debug, Clone, Copy)]
pub(super) struct Child {
    /// Its feed index.
    pub(super) index: u32,
    pub(super) kind: TransactionKind,
    pub(super) booked: NaiveDate,
    /// Its amount, in minor units.
    pub(super) minor: i128,
}

/// Transactions are read in chunks of `1 << CHUNK_SHIFT`.
const CHUNK_SHIFT: u32 = 12;
const CHUNK: usize = 1 << CHUNK_SHIFT;

/// How many transactions' owners are touched ahead of reading them.
const AHEAD: usize = 256;

/// The owners named by one chunk of the feed.
struct Part {
    /// The owners of the chunk's transaction `i` are at
    /// `owners[owner_start[i]..owner_start[i + 1]]`.
    owner_start: Vec<u32>,
    /// The org index of every owner named (`NONE` when unknown), resolved
    /// in batches.
    owners: Vec<u32>,
    /// Each owner's share as an index into `distinct`, alongside `owners`:
    /// the engine reads owners from here, not from each transaction's own
    /// heap block.
    shares: Vec<u32>,
    /// The distinct shares named (the same digits and scale).
    distinct: Vec<Percent>,
    /// Whether each of `distinct` is exactly 100%.
    whole: Vec<bool>,
    /// The transactions that refer to an original, by feed index.
    referring: Vec<u32>,
    /// Their originals' keys in the id table, alongside (hashed here, with
    /// the transaction in the cache).
    original_keys: Vec<u64>,
    /// The amounts beyond 64 bits, by feed index.
    wide: Vec<(u32, i128)>,
}

/// The owners of one transaction, as the feed holds them.
#[derive(Clone, Copy)]
pub(super) struct Owners<'f> {
    /// Their org indexes (`NONE` when unknown).
    pub(super) positions: &'f [u32],
    /// Their shares, as indexes into `distinct`.
    pub(super) shares: &'f [u32],
    distinct: &'f [Percent],
    whole: &'f [bool],
}

impl Owners<'_> {
    /// The share `code` stands for.
    pub(super) fn share(&self, code: u32) -> Option<Percent> {
        self.distinct.get(code as usize).copied()
    }

    /// Whether the share `code` stands for is exactly 100%.
    pub(super) fn is_whole(&self, code: u32) -> bool {
        self.whole.get(code as usize).copied().unwrap_or(false)
    }
}

/// The columns one chunk of the feed fills.
struct Columns<'c> {
    minor: &'c mut [i64],
    /// Each transaction's entry in the id table.
    entries: &'c mut [u64],
    kinds: &'c mut [TransactionKind],
    booked: &'c mut [NaiveDate],
}

impl Part {
    /// An empty part, for a chunk of `len` transactions.
    fn with_capacity(len: usize) -> Part {
        Part {
            // bound: a chunk holds at most CHUNK (4,096) transactions.
            owner_start: Vec::with_capacity(len.saturating_add(1)),
            owners: Vec::with_capacity(len),
            shares: Vec::with_capacity(len),
            distinct: Vec::new(),
            whole: Vec::new(),
            referring: Vec::new(),
            original_keys: Vec::new(),
            wide: Vec::new(),
        }
    }

    /// Reads transactions `txs`, the first of which is the feed's `base`,
    /// into `columns` and the owners; the first bad transaction's error.
    fn read(
        org: &Org,
        plan: &CreditPlan,
        base: u32,
        txs: &[Transaction],
        columns: Columns<'_>,
    ) -> Result<Part, CreditError> {
        debug_assert!(txs.len() <= CHUNK);
        let mut part = Part::with_capacity(txs.len());
        let mut codes = Codes::default();
        let mut named: Vec<&PositionId> = Vec::with_capacity(BATCH);
        let rows = (base..)
            .zip(txs)
            .zip(columns.minor)
            .zip(columns.entries)
            .zip(columns.kinds)
            .zip(columns.booked);
        for (j, (((((i, tx), minor), slot), kind), booked)) in rows.enumerate() {
            // Each transaction's owners sit in their own heap block, at no
            // predictable place: the next few hundred are loaded ahead.
            prefetch::touch_window(txs, j, AHEAD, |tx| {
                tx.owners()
                    .first()
                    .map_or(0, |o| o.share().fraction().scale())
            });
            *minor = part.narrow(i, check_transaction(tx, plan)?);
            *slot = entry(id_hash(tx.id()), i);
            *kind = tx.kind();
            *booked = tx.booked();
            part.owner_start.push(owner_offset(part.shares.len(), tx)?);
            part.code_shares(tx, &mut codes)?;
            named.extend(tx.owners().iter().map(|o| o.position()));
            if named.len() >= BATCH {
                part.resolve(org, &mut named);
            }
            if let Some(original) = tx.original() {
                part.referring.push(i);
                part.original_keys.push(key(id_hash(original)));
            }
        }
        part.resolve(org, &mut named);
        part.owner_start.push(match txs.last() {
            Some(tx) => owner_offset(part.shares.len(), tx)?,
            None => 0,
        });
        Ok(part)
    }

    /// Transaction `i`'s `amount` for the 64-bit column: `i64::MIN` for
    /// one beyond it, kept aside in `wide`.
    fn narrow(&mut self, i: u32, amount: i128) -> i64 {
        match i64::try_from(amount) {
            Ok(m) if m != i64::MIN => m,
            _ => {
                self.wide.push((i, amount));
                i64::MIN
            }
        }
    }

    /// The shares of `tx`'s owners, as codes of the distinct shares (by
    /// their exact representation: the same digits and scale).
    fn code_shares(
        &mut self,
        tx: &Transaction,
        codes: &mut Codes<u128>,
    ) -> Result<(), CreditError> {
        for owner in tx.owners() {
            let share = owner.share();
            let bits = u128::from_le_bytes(share.fraction().serialize());
            // At most one distinct share per owner named.
            let (code, new) = codes
                .code(bits)
                .ok_or_else(|| too_many_owners(tx, self.shares.len()))?;
            if new {
                self.distinct.push(share);
                self.whole.push(share.fraction() == Decimal::ONE);
            }
            self.shares.push(code);
        }
        Ok(())
    }

    /// The org indexes of the owners `named` (emptied), resolved in one
    /// batch.
    fn resolve(&mut self, org: &Org, named: &mut Vec<&PositionId>) {
        let mut resolved = Vec::with_capacity(named.len());
        org.position_indexes(named, |p| p, &mut resolved);
        self.owners.extend_from_slice(&resolved);
        named.clear();
    }

    /// The owners of the chunk's transaction `i`, as a range of `owners`.
    fn range(&self, i: usize) -> std::ops::Range<usize> {
        match self.owner_start.get(i..) {
            Some([a, b, ..]) => *a as usize..(*b as usize).max(*a as usize),
            _ => 0..0,
        }
    }
}

/// The columns of the whole feed, filled a chunk at a time.
type FeedColumns<'c, 't> = (
    &'t [Transaction],
    (
        (&'c mut [i64], &'c mut [u64]),
        (&'c mut [TransactionKind], &'c mut [NaiveDate]),
    ),
);

impl<'t> Feed<'t> {
    pub(super) fn new(
        org: &Org,
        plan: &CreditPlan,
        txs: &'t [Transaction],
        execution: Execution,
    ) -> Result<Feed<'t>, CreditError> {
        let count = u32::try_from(txs.len())
            .ok()
            .filter(|n| *n != NONE)
            .ok_or(CreditError::TooManyTransactions { count: txs.len() })?;
        let parallel = execution == Execution::Parallel;
        // One pass over the feed (at ten million transactions, each pass
        // reads gigabytes), a chunk at a time: amounts, id entries, kinds and
        // booking dates, the owners named (resolved in batches) with their
        // shares, and which transactions refer to an original.
        let n = txs.len();
        let mut minor = vec![0i64; n];
        let mut entries = vec![0u64; n];
        let mut kinds = vec![TransactionKind::Order; n];
        let mut booked = vec![NaiveDate::MIN; n];
        let columns: FeedColumns<'_, 't> =
            (txs, ((&mut minor, &mut entries), (&mut kinds, &mut booked)));
        let parts = columns::map_chunks(columns, n, CHUNK, parallel, |c, columns| {
            read_chunk(org, plan, n, c, columns)
        });
        // The first bad transaction, in feed order.
        let parts = parts
            .into_iter()
            .collect::<Result<Vec<Part>, CreditError>>()?;
        let referring: Vec<u32> = parts
            .iter()
            .flat_map(|p| p.referring.iter().copied())
            .collect();
        let wide: Vec<(u32, i128)> = parts.iter().flat_map(|p| p.wide.iter().copied()).collect();
        let links = Links {
            txs,
            index: IdTable::new(entries, parallel),
            kinds: &kinds,
            booked: &booked,
            minor: &minor,
            wide: &wide,
        }
        .all(&parts, &referring, parallel)?;
        let mut refers = Bits::new(n);
        referring.iter().for_each(|i| refers.set(*i));
        let mut feed = Feed {
            txs,
            count,
            minor,
            wide,
            kinds,
            booked,
            rows: SparseRows::new(n, links.iter().map(|(at, _)| *at)),
            children: links.iter().map(|(_, child)| *child).collect(),
            refers,
            parts,
        };
        feed.sort_children();
        feed.check_totals(count)?;
        Ok(feed)
    }

    /// Each sale's children in date, then id order.
    fn sort_children(&mut self) {
        let txs = self.txs;
        for row in self.rows.rows() {
            let Some(group) = self.children.get_mut(row) else {
                continue;
            };
            if group.len() > 1 {
                group.sort_unstable_by(|a, b| {
                    let ka = txs.get(a.index as usize).map(|t| (a.booked, t.id()));
                    let kb = txs.get(b.index as usize).map(|t| (b.booked, t.id()));
                    ka.cmp(&kb)
                });
            }
        }
    }

    /// Reversals never exceed their sale; payments stay between zero and
    /// the sale's amount.
    fn check_totals(&self, count: u32) -> Result<(), CreditError> {
        for sale in 0..count {
            let children = self.children_of(sale);
            if children.is_empty() {
                continue;
            }
            let Some(tx) = self.txs.get(sale as usize) else {
                continue;
            };
            let amount = self.minor_of(sale);
            let mut reversed = 0i128;
            let mut paid = 0i128;
            for child in children {
                let (kind, m) = (child.kind, child.minor);
                let payment = kind == TransactionKind::Payment;
                let next = if payment {
                    paid.checked_add(m)
                } else {
                    reversed.checked_sub(m)
                };
                // The child transaction itself is read only for an error.
                let Some(c) = self.txs.get(child.index as usize) else {
                    continue;
                };
                let Some(running) = next else {
                    return Err(overflow(c));
                };
                if payment {
                    paid = running;
                } else {
                    reversed = running;
                }
                if running < 0 || running > amount {
                    return Err(CreditError::ExceedsOriginal {
                        transaction: c.id().clone(),
                        original: tx.id().clone(),
                        total: Money::from_minor(running, tx.amount().currency())
                            .map_err(|source| amount_error(c, source))?
                            .amount(),
                        original_amount: tx.amount().amount(),
                    });
                }
            }
        }
        Ok(())
    }

    pub(super) fn children_of(&self, sale: u32) -> &[Child] {
        self.rows
            .range(sale)
            .and_then(|r| self.children.get(r))
            .unwrap_or_default()
    }

    /// How many transactions.
    pub(super) const fn len(&self) -> u32 {
        self.count
    }

    /// Sales, and returns without an original: credited in their own right.
    /// Read from the feed's own arrays, as everything the engine needs of a
    /// sale with owners on booking timing: the transactions themselves
    /// (256 bytes each) are read again only for what the arrays lack.
    pub(super) fn is_credited_alone(&self, i: u32) -> bool {
        match self.kind_of(i) {
            Some(TransactionKind::Order | TransactionKind::Invoice) => true,
            Some(TransactionKind::Return | TransactionKind::CreditNote) => {
                self.refers.get(i) == Some(false)
            }
            Some(TransactionKind::Payment) | None => false,
        }
    }

    fn kind_of(&self, i: u32) -> Option<TransactionKind> {
        self.kinds.get(i as usize).copied()
    }

    pub(super) fn booked_of(&self, i: u32) -> Option<NaiveDate> {
        self.booked.get(i as usize).copied()
    }

    pub(super) fn minor_of(&self, i: u32) -> i128 {
        minor_of(&self.minor, &self.wide, i)
    }

    /// The chunk of transaction `i`, and where `i` is in it.
    fn part(&self, i: u32) -> Option<(&Part, usize)> {
        let part = self.parts.get((i >> CHUNK_SHIFT) as usize)?;
        Some((part, (i as usize) & (CHUNK - 1)))
    }

    /// The owners of transaction `i`.
    pub(super) fn owners(&self, i: u32) -> Owners<'_> {
        let (positions, shares, (distinct, whole)) = self
            .part(i)
            .map(|(part, at)| {
                let range = part.range(at);
                (
                    part.owners.get(range.clone()).unwrap_or_default(),
                    part.shares.get(range).unwrap_or_default(),
                    (part.distinct.as_slice(), part.whole.as_slice()),
                )
            })
            .unwrap_or_default();
        Owners {
            positions,
            shares,
            distinct,
            whole,
        }
    }

    /// How many owners transaction `i` names.
    pub(super) fn owner_count(&self, i: u32) -> usize {
        self.part(i).map_or(0, |(part, at)| part.range(at).len())
    }

    pub(super) fn tx(&self, i: u32) -> Option<&'t Transaction> {
        self.txs.get(i as usize)
    }
}

/// Chunk `c` of a feed of `n` transactions, read: its first
/// transaction's feed index is `c × CHUNK` (below `n`, unless the chunks
/// are miscounted).
fn read_chunk(
    org: &Org,
    plan: &CreditPlan,
    n: usize,
    c: usize,
    (txs, ((minor, entries), (kinds, booked))): FeedColumns<'_, '_>,
) -> Result<Part, CreditError> {
    let base = c
        .checked_mul(CHUNK)
        .and_then(|b| u32::try_from(b).ok())
        .ok_or(CreditError::TooManyTransactions { count: n })?;
    let columns = Columns {
        minor,
        entries,
        kinds,
        booked,
    };
    Part::read(org, plan, base, txs, columns)
}

/// What linking each return and payment to its original reads: the id
/// table and the feed's columns.
struct Links<'a, 't> {
    txs: &'t [Transaction],
    index: IdTable,
    kinds: &'a [TransactionKind],
    booked: &'a [NaiveDate],
    minor: &'a [i64],
    wide: &'a [(u32, i128)],
}

impl Links<'_, '_> {
    /// Every return's and payment's link (original, child), sorted by
    /// original then child: the transactions `referring` (by feed index)
    /// to the originals whose keys `parts` hold. Repeated ids first.
    fn all(
        &self,
        parts: &[Part],
        referring: &[u32],
        parallel: bool,
    ) -> Result<Vec<(u32, Child)>, CreditError> {
        let keys: Vec<u64> = parts
            .iter()
            .flat_map(|p| p.original_keys.iter().copied())
            .collect();
        // Repeated ids, and where each original's key starts in the table
        // (two sweeps of the table, on two threads when parallel).
        let (repeat, starts) = columns::join(
            parallel,
            || {
                self.index
                    .first_repeat(|i| self.txs.get(i as usize).map(Transaction::id))
            },
            || self.index.starts_of(&keys),
        );
        if let Some(tx) = repeat.and_then(|i| self.txs.get(i as usize)) {
            return Err(CreditError::DuplicateTransaction {
                transaction: tx.id().clone(),
            });
        }
        // In feed order, the first fault first (on several threads, the
        // first chunk's).
        let chunks = columns::map_chunks(
            (referring, (starts.as_slice(), keys.as_slice())),
            referring.len(),
            CHUNK,
            parallel,
            |_, (referring, (starts, keys))| self.chunk(referring, starts, keys),
        );
        let mut links = chunks.into_iter().collect::<Result<Vec<_>, _>>()?.concat();
        links.sort_unstable_by_key(|(at, child)| (*at, child.index));
        Ok(links)
    }

    /// The links of a chunk of the transactions `referring`, whose
    /// originals' keys are `keys` and start in the table at `starts`.
    fn chunk(
        &self,
        referring: &[u32],
        starts: &[u32],
        keys: &[u64],
    ) -> Result<Vec<(u32, Child)>, CreditError> {
        self.warm(referring, starts);
        referring
            .iter()
            .zip(starts)
            .zip(keys)
            .filter_map(|((i, from), k)| self.link(*i, *from, *k).transpose())
            .collect()
    }

    /// Loads what linking reads at random, many loads in flight at once:
    /// the table entry where each original's key starts, then the
    /// transaction it names (its id, compared with the original's) with
    /// its kind and booking date.
    fn warm(&self, referring: &[u32], starts: &[u32]) {
        let at: Vec<u32> = starts.iter().map(|s| self.index.row_at(*s)).collect();
        prefetch::touch(referring.iter().zip(&at), |(i, a)| {
            let a = *a as usize;
            let of = self.txs.get(*i as usize).and_then(Transaction::original);
            let same = self.txs.get(a).map(Transaction::id) == of;
            let kind = self.kinds.get(a).is_some_and(|k| k.is_sale());
            let date = self.booked.get(a).is_some_and(|d| *d == NaiveDate::MIN);
            u32::from(same) ^ u32::from(kind) ^ u32::from(date)
        });
    }

    /// Transaction `i`'s link to its original (whose key `k` starts in
    /// the table at `from`): `None` for a transaction without one.
    fn link(&self, i: u32, from: u32, k: u64) -> Result<Option<(u32, Child)>, CreditError> {
        let Some(tx) = self.txs.get(i as usize) else {
            return Ok(None);
        };
        let Some(of) = tx.original() else {
            return Ok(None);
        };
        let txs = self.txs;
        let is = |at: u32| txs.get(at as usize).is_some_and(|t| t.id() == of);
        let at = self
            .index
            .find_from(k, from, is)
            .ok_or_else(|| CreditError::UnknownOriginal {
                transaction: tx.id().clone(),
                original: of.clone(),
            })?;
        // The original's kind and date from the feed's own columns.
        let (Some(&kind), Some(&date)) =
            (self.kinds.get(at as usize), self.booked.get(at as usize))
        else {
            return Err(overflow(tx));
        };
        if !kind.is_sale() {
            return Err(CreditError::OriginalNotASale {
                transaction: tx.id().clone(),
                original: of.clone(),
                kind,
            });
        }
        if tx.booked() < date {
            return Err(CreditError::BeforeOriginal {
                transaction: tx.id().clone(),
                date: tx.booked(),
                original: of.clone(),
                original_date: date,
            });
        }
        let child = Child {
            index: i,
            kind: tx.kind(),
            booked: tx.booked(),
            minor: minor_of(self.minor, self.wide, i),
        };
        Ok(Some((at, child)))
    }
}

/// The id's hash, spread over every bit so that the top bits (the id
/// table's key) depend on every byte of the id.
fn id_hash(id: &TransactionId) -> u64 {
    crate::kernel::hash::spread(id)
}

/// Transaction `i`'s amount in minor units, from the 64-bit column and the
/// wider ones aside.
fn minor_of(minor: &[i64], wide: &[(u32, i128)], i: u32) -> i128 {
    match minor.get(i as usize) {
        Some(&m) if m != i64::MIN => i128::from(m),
        Some(_) => wide
            .binary_search_by_key(&i, |w| w.0)
            .ok()
            .and_then(|k| wide.get(k))
            .map_or(0, |w| w.1),
        None => 0,
    }
}

pub(super) fn overflow(tx: &Transaction) -> CreditError {
    CreditError::Overflow {
        transaction: tx.id().clone(),
    }
}

/// The offset of the `count`-th owner named in a chunk, when the chunk's
/// transaction `tx` starts: an error past what a `u32` counts (`NONE` is
/// reserved).
fn owner_offset(count: usize, tx: &Transaction) -> Result<u32, CreditError> {
    u32::try_from(count)
        .ok()
        .filter(|n| *n != NONE)
        .ok_or_else(|| too_many_owners(tx, count))
}

fn too_many_owners(tx: &Transaction, count: usize) -> CreditError {
    CreditError::TooManyOwners {
        transaction: tx.id().clone(),
        count,
    }
}

pub(super) fn amount_error(tx: &Transaction, source: money::MoneyError) -> CreditError {
    CreditError::Amount {
        transaction: tx.id().clone(),
        source,
    }
}

/// Currency, precision and sign of one transaction; its amount in minor
/// units.
fn check_transaction(tx: &Transaction, plan: &CreditPlan) -> Result<i128, CreditError> {
    let currency = plan.currency();
    let amount = tx.amount();
    for m in std::iter::once(amount).chain(tx.margin()) {
        if m.currency() != currency {
            return Err(CreditError::Currency {
                transaction: tx.id().clone(),
                expected: currency,
                found: m.currency(),
            });
        }
    }
    let minor = amount
        .minor_units()
        .ok_or_else(|| amount_error(tx, amount.to_minor().err().unwrap_or(money_overflow())))?;
    let sign_ok = match tx.kind() {
        TransactionKind::Order | TransactionKind::Invoice => minor >= 0,
        TransactionKind::Return | TransactionKind::CreditNote => minor <= 0,
        TransactionKind::Payment => minor != 0,
    };
    if !sign_ok {
        return Err(CreditError::WrongSign {
            transaction: tx.id().clone(),
            kind: tx.kind(),
            amount,
        });
    }
    if plan.timing_rule() == CreditTiming::Invoice
        && tx.kind() == TransactionKind::Invoice
        && tx.invoiced().is_none()
    {
        return Err(CreditError::MissingInvoiceDate {
            transaction: tx.id().clone(),
        });
    }
    match (tx.kind(), tx.original()) {
        (TransactionKind::Payment, None) => Err(CreditError::MissingOriginal {
            transaction: tx.id().clone(),
        }),
        (TransactionKind::Order | TransactionKind::Invoice, Some(original)) => {
            Err(CreditError::UnexpectedOriginal {
                transaction: tx.id().clone(),
                kind: tx.kind(),
                original: original.clone(),
            })
        }
        _ => Ok(minor),
    }
}

fn money_overflow() -> money::MoneyError {
    money::MoneyError::Overflow {
        op: ArithOp::Mul,
        left: Decimal::MAX,
        right: Decimal::ONE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AccountId, Currency};

    #[test]
    fn ids_sharing_a_key_are_told_apart() {
        // Two ids whose hashes share their top 32 bits, found by search
        // (about 80,000 ids in).
        let mut seen = std::collections::HashMap::new();
        let (a, b) = (0..4_000_000u32)
            .find_map(|i| {
                let id = TransactionId::new(&format!("T{i}")).unwrap();
                seen.insert(key(id_hash(&id)), id.clone())
                    .map(|earlier| (earlier, id))
            })
            .unwrap();
        let tx = |id: &TransactionId| {
            Transaction::new(
                id.clone(),
                TransactionKind::Order,
                NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                AccountId::new("A").unwrap(),
                Money::from_minor(1, Currency::USD).unwrap(),
            )
        };
        let table = |txs: &[Transaction]| {
            let entries = (0u32..)
                .zip(txs)
                .map(|(i, t)| entry(id_hash(t.id()), i))
                .collect();
            IdTable::new(entries, false)
        };
        let txs = [tx(&a), tx(&b)];
        let both = table(&txs);
        let id = |txs: &[Transaction], i: u32| txs.get(i as usize).map(Transaction::id).cloned();
        assert_eq!(both.first_repeat(|i| id(&txs, i)), None);
        for (i, t) in (0u32..).zip(&txs) {
            let k = key(id_hash(t.id()));
            let from = both.starts_of(&[k])[0];
            // The first candidate from where the key starts has that key.
            let first = &txs[both.row_at(from) as usize];
            assert_eq!(key(id_hash(first.id())), k);
            let is = |at: u32| txs.get(at as usize).is_some_and(|x| x.id() == t.id());
            assert_eq!(both.find_from(k, from, is), Some(i));
        }
        let repeated = [tx(&b), tx(&a), tx(&b)];
        assert_eq!(table(&repeated).first_repeat(|i| id(&repeated, i)), Some(2));
    }

    /// An owner offset past `u32` (`NONE` reserved) names the transaction
    /// and the count.
    #[test]
    fn owners_past_u32_offsets_are_an_error() {
        use crate::credit::CreditError;
        let tx = Transaction::new(
            TransactionId::new("SO-9").unwrap(),
            TransactionKind::Order,
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            AccountId::new("A").unwrap(),
            Money::from_minor(1, Currency::USD).unwrap(),
        );
        assert_eq!(owner_offset(7, &tx), Ok(7));
        let count = NONE as usize;
        assert_eq!(
            owner_offset(count, &tx),
            Err(CreditError::TooManyOwners {
                transaction: TransactionId::new("SO-9").unwrap(),
                count,
            })
        );
    }
}
