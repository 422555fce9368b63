//! Rebalancing: a deterministic proposal of account moves that brings every
//! territory within a tolerance of the mean.

use rust_decimal::Decimal;

use super::account::AccountBook;
use super::assign::Alignment;
use super::balance::{BalanceBasis, resolve_alignment, territory_table};
use crate::ids::{AccountId, TerritoryId};
use crate::money::{self, ArithOp, Money, MoneyError, Percent};
use crate::territory::TerritoryError;

/// What a rebalancing may do: the tolerance to reach, the figure to
/// balance, which accounts stay put, and how many moves at most.
///
/// In JSON, `{"tolerance": "10%", "basis": "potential" | "workload" |
/// "accounts", "locked": [account, ..], "lock_named": true, "max_moves":
/// 20}`, every field but `tolerance` optional (potential, none locked,
/// named accounts locked, no limit):
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use salesplan::territory::RebalanceOptions;
/// let options: RebalanceOptions = serde_json::from_str(r#"{"tolerance": "10%", "locked": ["acme"]}"#)?;
/// assert_eq!(options, RebalanceOptions::new("10%".parse()?).lock([salesplan::AccountId::new("acme")?]));
/// // An unknown field is refused, naming it.
/// let err = serde_json::from_str::<RebalanceOptions>(r#"{"tolerance": "10%", "max_move": 3}"#).unwrap_err();
/// assert!(err.to_string().contains("unknown field `max_move`"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct RebalanceOptions {
    tolerance: Percent,
    #[cfg_attr(feature = "serde", serde(default))]
    basis: BalanceBasis,
    #[cfg_attr(feature = "serde", serde(default))]
    locked: Vec<AccountId>,
    #[cfg_attr(feature = "serde", serde(default = "yes"))]
    lock_named: bool,
    #[cfg_attr(feature = "serde", serde(default))]
    max_moves: Option<usize>,
}

#[cfg(feature = "serde")]
const fn yes() -> bool {
    true
}

impl RebalanceOptions {
    /// Every territory within `tolerance` of the mean potential (`10%`
    /// means ±10%); named accounts locked; no limit on moves.
    pub fn new(tolerance: Percent) -> RebalanceOptions {
        RebalanceOptions {
            tolerance,
            basis: BalanceBasis::Potential,
            locked: Vec::new(),
            lock_named: true,
            max_moves: None,
        }
    }

    /// Balances by `basis` instead of potential.
    #[must_use]
    pub fn basis(mut self, basis: BalanceBasis) -> Self {
        self.basis = basis;
        self
    }

    /// Locks accounts: they never move.
    #[must_use]
    pub fn lock(mut self, accounts: impl IntoIterator<Item = AccountId>) -> Self {
        self.locked.extend(accounts);
        self
    }

    /// Whether named accounts are locked (the default) or may move.
    #[must_use]
    pub fn lock_named(mut self, lock: bool) -> Self {
        self.lock_named = lock;
        self
    }

    /// Stops after `moves` moves.
    #[must_use]
    pub fn max_moves(mut self, moves: usize) -> Self {
        self.max_moves = Some(moves);
        self
    }
}

/// An account moving between territories, with what it takes along.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Move {
    account: AccountId,
    from: Option<TerritoryId>,
    to: Option<TerritoryId>,
    potential: Money,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec"))]
    workload_hours: Decimal,
    last_year_sales: Money,
}

impl Move {
    pub(crate) fn new(
        book: &AccountBook,
        account: &AccountId,
        from: Option<TerritoryId>,
        to: Option<TerritoryId>,
    ) -> Result<Move, TerritoryError> {
        let a = book
            .get(account)
            .ok_or_else(|| TerritoryError::UnknownAccount {
                account: account.clone(),
            })?;
        Ok(Move {
            account: account.clone(),
            from,
            to,
            potential: book.potential_of(a),
            workload_hours: a.workload_hours().unwrap_or(Decimal::ZERO),
            last_year_sales: book.sales_of(a),
        })
    }

    /// The account.
    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// Where it was; `None` when it was in no territory.
    pub fn from(&self) -> Option<&TerritoryId> {
        self.from.as_ref()
    }

    /// Where it goes; `None` when it leaves every territory.
    pub fn to(&self) -> Option<&TerritoryId> {
        self.to.as_ref()
    }

    /// Its potential (zero when unknown).
    pub const fn potential(&self) -> Money {
        self.potential
    }

    /// Its workload in hours (zero when unknown).
    pub const fn workload_hours(&self) -> Decimal {
        self.workload_hours
    }

    /// Its sales last year (zero when unknown).
    pub const fn last_year_sales(&self) -> Money {
        self.last_year_sales
    }
}

/// A rebalancing proposal: the moves, the alignment they lead to, and the
/// worst deviation from the mean before and after.
///
/// # The algorithm
///
/// Figures are the chosen basis (potential, workload or account count)
/// scaled exactly to integers (`i128` at the largest decimal scale in the
/// data). With `n` territories and total `S`, a territory's deviation is
/// `d = n × figure - S` (`n` times its distance from the mean, so no
/// division is needed), and it is within tolerance `t` when `|d| <= t × S`.
///
/// Repeat until every territory is within tolerance:
///
/// 1. take the territory `u` furthest below the mean (smallest `d`, ties
///    to the smallest id) as the receiver;
/// 2. take the territory `o` furthest above the mean as the giver (then, if
///    it has no useful move, the next above the mean, and so on);
/// 3. among `o`'s movable accounts (not locked, not moved before, figure
///    above zero), pick the one whose move to `u` leaves the larger of the
///    two territories' deviations smallest, provided it is strictly
///    smaller than before the move; ties go to the account with the
///    smallest last year's sales (the least revenue disrupted), then the
///    smallest id;
/// 4. stop when no territory above the mean has such an account, or after
///    `max_moves`.
///
/// # Guarantee
///
/// - Locked accounts (and, by default, named accounts) never move, and an
///   account moves at most once.
/// - The worst deviation never grows: each move strictly lowers the larger
///   deviation of the two territories it touches and leaves the others
///   alone. It therefore also terminates, after at most one move per
///   movable account.
/// - [`within_tolerance`](Self::within_tolerance) is `true` exactly when
///   every territory ends within the tolerance (checked exactly in
///   integers).
/// - It is deterministic: the same inputs give the same moves, whatever the
///   order of the accounts, territories or locks.
///
/// It is a greedy heuristic: it does not promise the fewest possible moves,
/// nor to reach a tolerance that some other set of moves could reach.
///
/// # Examples
///
/// ```
/// use salesplan::territory::{Account, AccountBook, Alignment, Rebalance, RebalanceOptions};
/// use salesplan::{AccountId, Currency, Money, TerritoryId};
///
/// let t = |s: &str| TerritoryId::new(s).unwrap();
/// let a = |s: &str| AccountId::new(s).unwrap();
/// let account = |id: &str, potential: &str| {
///     Account::new(a(id)).with_potential(Money::parse(potential, Currency::USD).unwrap())
/// };
/// let book = AccountBook::new(Currency::USD, vec![
///     account("a1", "250"), account("a2", "300"), account("a3", "250"), account("b1", "200"),
/// ])?;
/// let before = Alignment::new([
///     (a("a1"), t("east")), (a("a2"), t("east")), (a("a3"), t("east")), (a("b1"), t("west")),
/// ])?;
/// let options = RebalanceOptions::new("10%".parse()?).lock([a("a2")]);
/// let proposal = Rebalance::propose(&book, &before, &[t("east"), t("west")], &options)?;
/// assert!(proposal.within_tolerance());
/// let moved: Vec<_> = proposal.moves().iter().map(|m| m.account().as_str()).collect();
/// // a2 alone would balance exactly, but it is locked; a1 and a3 tie, a1
/// // has the smaller id. East 550, west 450: both within 10% of 500.
/// assert_eq!(moved, ["a1"]);
/// assert_eq!(proposal.alignment().territory_of(&a("a1")), Some(&t("west")));
/// assert_eq!(proposal.worst_before().map(|d| d.to_string()), Some("0.6".into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Rebalance {
    moves: Vec<Move>,
    alignment: Alignment,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec_opt"))]
    worst_before: Option<Decimal>,
    #[cfg_attr(feature = "serde", serde(with = "crate::money::dec_opt"))]
    worst_after: Option<Decimal>,
    within_tolerance: bool,
}

fn overflow(what: &str) -> impl Fn() -> TerritoryError + '_ {
    move || TerritoryError::Arithmetic {
        what: format!("rebalancing: {what}"),
        source: MoneyError::Overflow {
            op: ArithOp::Mul,
            left: Decimal::ZERO,
            right: Decimal::ZERO,
        },
    }
}

/// `values` as integers at one common scale.
fn scaled(values: &[Decimal]) -> Result<Vec<i128>, TerritoryError> {
    // The largest scale in the data (none: 0).
    let scale = values
        .iter()
        .map(|v| v.normalize().scale())
        .fold(0, u32::max);
    values
        .iter()
        .map(|v| {
            let v = v.normalize();
            scale
                .checked_sub(v.scale())
                .and_then(|up| 10i128.checked_pow(up))
                .and_then(|f| v.mantissa().checked_mul(f))
                .ok_or_else(overflow("scaling figures"))
        })
        .collect()
}

/// Which accounts of `book` stay put: the listed ones, and the named ones
/// when `options` locks them.
fn locked_accounts(
    book: &AccountBook,
    options: &RebalanceOptions,
) -> Result<Vec<bool>, TerritoryError> {
    let mut locked = vec![false; book.len()];
    for id in &options.locked {
        let at = book
            .index_of(id)
            .ok_or_else(|| TerritoryError::UnknownAccount {
                account: id.clone(),
            })?;
        if let Some(l) = locked.get_mut(at) {
            *l = true;
        }
    }
    if options.lock_named {
        for (l, a) in locked.iter_mut().zip(book.accounts()) {
            *l = *l || a.is_named();
        }
    }
    Ok(locked)
}

/// The figure balanced for each aligned entry (`(account, territory)`).
fn figures(book: &AccountBook, entries: &[(usize, u32)], basis: BalanceBasis) -> Vec<Decimal> {
    entries
        .iter()
        .map(|(a, _)| match (basis, book.accounts().get(*a)) {
            (BalanceBasis::Potential, Some(acc)) => book.potential_of(acc).amount(),
            (BalanceBasis::Workload, Some(acc)) => acc.workload_hours().unwrap_or(Decimal::ZERO),
            (BalanceBasis::Accounts, _) => Decimal::ONE,
            (_, None) => Decimal::ZERO,
        })
        .collect()
}

/// The moves from the aligned territories to `territory_of` (indexes
/// into `table`), and the alignment after them.
fn moved_alignment(
    book: &AccountBook,
    alignment: &Alignment,
    table: &[TerritoryId],
    territory_of: &[u32],
) -> Result<(Vec<Move>, Alignment), TerritoryError> {
    let mut moves = Vec::new();
    let mut out = Vec::with_capacity(territory_of.len());
    for ((account, old), new) in alignment.entries().iter().zip(territory_of) {
        let new_id = table.get(*new as usize).unwrap_or(old);
        if new_id != old {
            moves.push(Move::new(
                book,
                account,
                Some(old.clone()),
                Some(new_id.clone()),
            )?);
        }
        out.push((account.clone(), new_id.clone()));
    }
    Ok((moves, Alignment::from_sorted(out)))
}

/// The state of the greedy: loads per territory as scaled deviations.
struct Greedy {
    /// `n × figure - total` per territory.
    dev: Vec<i128>,
    /// `n × figure` of each aligned account.
    weight: Vec<i128>,
    /// Movable entries per territory.
    movable: Vec<Vec<usize>>,
    /// Last year's sales of each entry (tie-break).
    sales: Vec<Decimal>,
    /// Tolerance `p / q` and total `S`: within when `q |d| <= p S`.
    p: i128,
    q: i128,
    total: i128,
}

impl Greedy {
    /// The starting state: each territory's load from the `entries` it
    /// holds, as a scaled deviation from the mean, and the entries that
    /// may move (a positive figure, not `locked`).
    fn new(
        book: &AccountBook,
        entries: &[(usize, u32)],
        locked: &[bool],
        territories: usize,
        options: &RebalanceOptions,
    ) -> Result<Greedy, TerritoryError> {
        let values = scaled(&figures(book, entries, options.basis))?;
        let n = i128::try_from(territories).map_err(|_| overflow("territories")())?;
        let mut load = vec![0i128; territories];
        for ((_, t), v) in entries.iter().zip(&values) {
            if let Some(l) = load.get_mut(*t as usize) {
                *l = l.checked_add(*v).ok_or_else(overflow("totals"))?;
            }
        }
        let total = load
            .iter()
            .try_fold(0i128, |acc, l| acc.checked_add(*l))
            .ok_or_else(overflow("totals"))?;
        let dev = load
            .iter()
            .map(|l| {
                l.checked_mul(n)
                    .and_then(|x| x.checked_sub(total))
                    .ok_or_else(overflow("deviation"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let weight = values
            .iter()
            .map(|v| v.checked_mul(n).ok_or_else(overflow("weights")))
            .collect::<Result<Vec<_>, _>>()?;
        let mut movable = vec![Vec::new(); territories];
        for (e, ((a, t), v)) in entries.iter().zip(&values).enumerate() {
            if *v > 0
                && !locked.get(*a).copied().unwrap_or(true)
                && let Some(m) = movable.get_mut(*t as usize)
            {
                m.push(e);
            }
        }
        let sales = entries
            .iter()
            .map(|(a, _)| {
                book.accounts()
                    .get(*a)
                    .map_or(Decimal::ZERO, |acc| book.sales_of(acc).amount())
            })
            .collect();
        let tol = options.tolerance.fraction().normalize();
        let q = 10i128
            .checked_pow(tol.scale())
            .ok_or_else(overflow("tolerance"))?;
        Ok(Greedy {
            dev,
            weight,
            movable,
            sales,
            p: tol.mantissa(),
            q,
            total,
        })
    }

    /// The next move `(giver, receiver, position in movable[giver])`: to
    /// the territory furthest below the mean, from the one furthest above
    /// it that has a useful move.
    fn next_move(&self) -> Result<Option<(usize, usize, usize)>, TerritoryError> {
        let territories = self.dev.len();
        // By deviation, ties by index (every index is in `self.dev`).
        let by_dev = |a: &usize, b: &usize| (self.dev.get(*a), *a).cmp(&(self.dev.get(*b), *b));
        let Some(u) = (0..territories).min_by(by_dev) else {
            return Ok(None);
        };
        let mut givers: Vec<usize> = (0..territories)
            .filter(|t| self.dev.get(*t).is_some_and(|d| *d > 0))
            .collect();
        // Furthest above the mean first; the full sort only when the
        // first giver has no useful move.
        let Some(o) = givers
            .iter()
            .copied()
            .max_by(|a, b| by_dev(a, b).then(b.cmp(a)))
        else {
            return Ok(None);
        };
        if let Some(pos) = self.best_move(o, u)? {
            return Ok(Some((o, u, pos)));
        }
        givers.sort_by(|a, b| by_dev(b, a).then(a.cmp(b)));
        for &o2 in givers.iter().filter(|x| **x != o) {
            if let Some(pos) = self.best_move(o2, u)? {
                return Ok(Some((o2, u, pos)));
            }
        }
        Ok(None)
    }

    /// Moves entry `movable[o][pos]` from `o` to `u`; the entry moved.
    fn apply(&mut self, o: usize, u: usize, pos: usize) -> Result<Option<usize>, TerritoryError> {
        let Some(list) = self.movable.get_mut(o) else {
            return Ok(None);
        };
        let e = list.swap_remove(pos);
        let w = *self.weight.get(e).ok_or_else(overflow("weights"))?;
        if let Some(d) = self.dev.get_mut(o) {
            *d = d.checked_sub(w).ok_or_else(overflow("deviation"))?;
        }
        if let Some(d) = self.dev.get_mut(u) {
            *d = d.checked_add(w).ok_or_else(overflow("deviation"))?;
        }
        Ok(Some(e))
    }

    fn within(&self, d: i128) -> Result<bool, TerritoryError> {
        let lhs = d
            .checked_abs()
            .and_then(|a| a.checked_mul(self.q))
            .ok_or_else(overflow("tolerance"))?;
        let rhs = self
            .p
            .checked_mul(self.total)
            .ok_or_else(overflow("tolerance"))?;
        Ok(lhs <= rhs)
    }

    fn all_within(&self) -> Result<bool, TerritoryError> {
        for d in &self.dev {
            if !self.within(*d)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The best move from `o` to `u`: its position in `movable[o]`.
    fn best_move(&self, o: usize, u: usize) -> Result<Option<usize>, TerritoryError> {
        let (Some(&dev_o), Some(&dev_u), Some(candidates)) =
            (self.dev.get(o), self.dev.get(u), self.movable.get(o))
        else {
            return Ok(None);
        };
        let abs = |x: i128| x.checked_abs().ok_or_else(overflow("deviation"));
        let before = abs(dev_o)?.max(abs(dev_u)?);
        let mut best: Option<(i128, Decimal, usize, usize)> = None;
        for (pos, &e) in candidates.iter().enumerate() {
            let w = *self.weight.get(e).ok_or_else(overflow("weights"))?;
            let after_o = dev_o.checked_sub(w).ok_or_else(overflow("deviation"))?;
            let after_u = dev_u.checked_add(w).ok_or_else(overflow("deviation"))?;
            let score = abs(after_o)?.max(abs(after_u)?);
            if score >= before {
                continue;
            }
            let sales = self.sales.get(e).copied().unwrap_or(Decimal::ZERO);
            let key = (score, sales, e, pos);
            if best.is_none_or(|b| (key.0, key.1, key.2) < (b.0, b.1, b.2)) {
                best = Some(key);
            }
        }
        Ok(best.map(|b| b.3))
    }
}

impl Rebalance {
    /// Proposes moves that bring every one of `territories` within the
    /// tolerance of the mean (see the [algorithm](Self#the-algorithm)).
    /// Every aligned territory must be listed; listed territories without
    /// accounts take part (as receivers).
    ///
    /// # Errors
    ///
    /// [`TerritoryError::DuplicateTerritory`],
    /// [`TerritoryError::UnknownTerritory`] and
    /// [`TerritoryError::UnknownAccount`] as for
    /// [`BalanceReport::new`](super::BalanceReport::new);
    /// [`TerritoryError::UnknownAccount`] for a locked account not in the
    /// book; [`TerritoryError::Arithmetic`] when the figures do not fit
    /// the exact integer scale.
    pub fn propose(
        book: &AccountBook,
        alignment: &Alignment,
        territories: &[TerritoryId],
        options: &RebalanceOptions,
    ) -> Result<Rebalance, TerritoryError> {
        let (table, index) = territory_table(territories)?;
        let entries = resolve_alignment(book, alignment, &index)?;
        let locked = locked_accounts(book, options)?;
        let mut g = Greedy::new(book, &entries, &locked, table.len(), options)?;
        let worst_before = worst(&g.dev, g.total)?;
        let mut territory_of: Vec<u32> = entries.iter().map(|(_, t)| *t).collect();
        let mut moved = 0usize;
        let limit = options.max_moves.unwrap_or(usize::MAX);
        let within_tolerance = loop {
            if g.all_within()? {
                break true;
            }
            if moved >= limit {
                break false;
            }
            let Some((o, u, pos)) = g.next_move()? else {
                break false;
            };
            let Some(e) = g.apply(o, u, pos)? else {
                break false;
            };
            if let Some(slot) = territory_of.get_mut(e) {
                *slot = u32::try_from(u).map_err(|_| TerritoryError::TooManyRecords {
                    what: "territories",
                    count: table.len(),
                })?;
            }
            moved = moved.checked_add(1).ok_or_else(overflow("moves"))?;
        };
        let worst_after = worst(&g.dev, g.total)?;
        let (moves, alignment) = moved_alignment(book, alignment, &table, &territory_of)?;
        Ok(Rebalance {
            moves,
            alignment,
            worst_before,
            worst_after,
            within_tolerance,
        })
    }

    /// The moves, by account id.
    pub fn moves(&self) -> &[Move] {
        &self.moves
    }

    /// The alignment after the moves.
    pub fn alignment(&self) -> &Alignment {
        &self.alignment
    }

    /// The largest deviation from the mean before, as a fraction of the
    /// mean; `None` when the total is zero.
    pub const fn worst_before(&self) -> Option<Decimal> {
        self.worst_before
    }

    /// The largest deviation from the mean after the moves.
    pub const fn worst_after(&self) -> Option<Decimal> {
        self.worst_after
    }

    /// Whether every territory ends within the tolerance.
    pub const fn within_tolerance(&self) -> bool {
        self.within_tolerance
    }
}

/// `max |d| / S` as a fraction of the mean.
fn worst(dev: &[i128], total: i128) -> Result<Option<Decimal>, TerritoryError> {
    if total == 0 {
        return Ok(None);
    }
    let max = dev
        .iter()
        .try_fold(0i128, |m, d| d.checked_abs().map(|a| m.max(a)))
        .ok_or_else(overflow("deviation"))?;
    let arith = |source| TerritoryError::Arithmetic {
        what: "rebalancing: worst deviation".to_owned(),
        source,
    };
    let num = money::integer(max).map_err(arith)?;
    let den = money::integer(total).map_err(arith)?;
    money::div(num, den)
        .map(|w| Some(w.normalize()))
        .map_err(arith)
}
