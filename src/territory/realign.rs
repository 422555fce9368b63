//! Realignment: the difference between two alignments, and what it moves
//! per territory and per position (the feed for quota relief).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::account::AccountBook;
use super::assign::Alignment;
use super::coverage::{CoverageKind, CoverageTable};
use super::rebalance::Move;
use crate::ids::{PositionId, TerritoryId};
use crate::money::Money;
use crate::territory::TerritoryError;

/// What a realignment moves in and out of one territory or position.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Shift<K> {
    key: K,
    accounts_in: u64,
    accounts_out: u64,
    potential_in: Money,
    potential_out: Money,
    sales_in: Money,
    sales_out: Money,
}

impl<K> Shift<K> {
    fn new(key: K, zero: Money) -> Shift<K> {
        Shift {
            key,
            accounts_in: 0,
            accounts_out: 0,
            potential_in: zero,
            potential_out: zero,
            sales_in: zero,
            sales_out: zero,
        }
    }

    /// The territory or position.
    pub fn key(&self) -> &K {
        &self.key
    }

    /// Accounts gained.
    pub const fn accounts_in(&self) -> u64 {
        self.accounts_in
    }

    /// Accounts lost.
    pub const fn accounts_out(&self) -> u64 {
        self.accounts_out
    }

    /// Potential gained (for a position: its share of it).
    pub const fn potential_in(&self) -> Money {
        self.potential_in
    }

    /// Potential lost.
    pub const fn potential_out(&self) -> Money {
        self.potential_out
    }

    /// Last year's sales gained (for a position: its share of them).
    pub const fn sales_in(&self) -> Money {
        self.sales_in
    }

    /// Last year's sales lost: the basis of quota relief.
    pub const fn sales_out(&self) -> Money {
        self.sales_out
    }

    /// Counts one of `moves` moving accounts in or out, with its figures.
    fn add(
        &mut self,
        incoming: bool,
        potential: Money,
        sales: Money,
        moves: usize,
        what: impl Fn() -> String,
    ) -> Result<(), TerritoryError> {
        let err = |source| TerritoryError::Arithmetic {
            what: what(),
            source,
        };
        let (count, p, s) = if incoming {
            (
                &mut self.accounts_in,
                &mut self.potential_in,
                &mut self.sales_in,
            )
        } else {
            (
                &mut self.accounts_out,
                &mut self.potential_out,
                &mut self.sales_out,
            )
        };
        *count = count.checked_add(1).ok_or(TerritoryError::TooManyRecords {
            what: "moved accounts",
            count: moves,
        })?;
        *p = p.checked_add(potential).map_err(err)?;
        *s = s.checked_add(sales).map_err(err)?;
        Ok(())
    }
}

/// What to attribute a realignment to besides territories.
#[derive(Debug, Clone, Copy, Default)]
pub struct RealignOptions<'a> {
    coverage: Option<(&'a CoverageTable, NaiveDate)>,
}

impl<'a> RealignOptions<'a> {
    /// Territories only.
    pub fn new() -> RealignOptions<'a> {
        RealignOptions::default()
    }

    /// Also per position: the primaries covering each territory on `date`,
    /// each for its share.
    #[must_use]
    pub fn positions(mut self, coverage: &'a CoverageTable, date: NaiveDate) -> Self {
        self.coverage = Some((coverage, date));
        self
    }
}

/// The difference between two alignments: every account that moves, from
/// and to where, and the potential and last year's sales moved per
/// territory and, when asked, per position.
///
/// Per position, a move counts for the primaries of the territory it
/// leaves (out) and of the one it joins (in) on the given date, each for
/// its coverage share of the account's figures, unrounded (round where the
/// quota adjustment is made). Overlays are left out: they carry no
/// territory quota.
///
/// Applying the realignment to the old alignment gives the new one
/// ([`Alignment::apply`]).
///
/// # Examples
///
/// ```
/// use salesplan::territory::{Account, AccountBook, Alignment, RealignOptions, Realignment};
/// use salesplan::{AccountId, Currency, Money, TerritoryId};
///
/// let t = |s: &str| TerritoryId::new(s).unwrap();
/// let a = |s: &str| AccountId::new(s).unwrap();
/// let usd = |x: &str| Money::parse(x, Currency::USD).unwrap();
/// let book = AccountBook::new(Currency::USD, vec![
///     Account::new(a("acme")).with_last_year_sales(usd("120000")),
///     Account::new(a("zeta")).with_last_year_sales(usd("30000")),
/// ])?;
/// let old = Alignment::new([(a("acme"), t("bay")), (a("zeta"), t("bay"))])?;
/// let new = Alignment::new([(a("acme"), t("south-bay")), (a("zeta"), t("bay"))])?;
/// let diff = Realignment::between(&old, &new, &book, RealignOptions::new())?;
/// assert_eq!(diff.moves().len(), 1);
/// let bay = &diff.territories()[0];
/// assert_eq!((bay.key(), bay.sales_out()), (&t("bay"), usd("120000")));
/// assert_eq!(old.apply(&diff)?, new);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawRealignment"))]
pub struct Realignment {
    moves: Vec<Move>,
    territories: Vec<Shift<TerritoryId>>,
    positions: Vec<Shift<PositionId>>,
}

crate::validated::via_raw! {
    RawRealignment => Realignment, TerritoryError {
        moves: Vec<Move>,
        territories: Vec<Shift<TerritoryId>>,
        positions: Vec<Shift<PositionId>>,
    } => {
        // Checks that each account moves once, the moves listed by account.
        if let Some([a, _]) = moves
            .windows(2)
            .find(|w| matches!(w, [a, b] if a.account() >= b.account()))
        {
            return Err(TerritoryError::DuplicateAccount {
                account: a.account().clone(),
            });
        }
        Ok(Realignment {
            moves,
            territories,
            positions,
        })
    }
}

impl Realignment {
    /// The moves from `old` to `new`, with figures from `book`.
    ///
    /// # Errors
    ///
    /// [`TerritoryError::UnknownAccount`] for a moving account not in
    /// `book`; [`TerritoryError::Arithmetic`] on overflow.
    pub fn between(
        old: &Alignment,
        new: &Alignment,
        book: &AccountBook,
        options: RealignOptions<'_>,
    ) -> Result<Realignment, TerritoryError> {
        let mut moves = Vec::new();
        // Both alignments are sorted by account: merge them.
        let mut xs = old.entries().iter().peekable();
        let mut ys = new.entries().iter().peekable();
        loop {
            let (account, from, to) = match (xs.peek().copied(), ys.peek().copied()) {
                (None, None) => break,
                (Some(x), Some(y)) if x.0 == y.0 => {
                    xs.next();
                    ys.next();
                    (&x.0, Some(&x.1), Some(&y.1))
                }
                (Some(x), Some(y)) if x.0 < y.0 => {
                    xs.next();
                    (&x.0, Some(&x.1), None)
                }
                (Some(x), None) => {
                    xs.next();
                    (&x.0, Some(&x.1), None)
                }
                (_, Some(y)) => {
                    ys.next();
                    (&y.0, None, Some(&y.1))
                }
            };
            if from != to {
                moves.push(Move::new(book, account, from.cloned(), to.cloned())?);
            }
        }
        let zero = Money::zero(book.currency());
        let mut territories: BTreeMap<TerritoryId, Shift<TerritoryId>> = BTreeMap::new();
        let mut positions: BTreeMap<PositionId, Shift<PositionId>> = BTreeMap::new();
        for m in &moves {
            for (incoming, side) in [(false, m.from()), (true, m.to())] {
                let Some(t) = side else { continue };
                territories
                    .entry(t.clone())
                    .or_insert_with(|| Shift::new(t.clone(), zero))
                    .add(
                        incoming,
                        m.potential(),
                        m.last_year_sales(),
                        moves.len(),
                        || format!("realignment totals of {t}"),
                    )?;
                let Some((table, date)) = options.coverage else {
                    continue;
                };
                for c in table.on(t, date) {
                    if c.kind() != CoverageKind::Primary {
                        continue;
                    }
                    let what = || format!("realignment totals of {}", c.position());
                    let err = |source| TerritoryError::Arithmetic {
                        what: what(),
                        source,
                    };
                    let potential = c.share().of(m.potential()).map_err(err)?;
                    let sales = c.share().of(m.last_year_sales()).map_err(err)?;
                    positions
                        .entry(c.position().clone())
                        .or_insert_with(|| Shift::new(c.position().clone(), zero))
                        .add(incoming, potential, sales, moves.len(), what)?;
                }
            }
        }
        Ok(Realignment {
            moves,
            territories: territories.into_values().collect(),
            positions: positions.into_values().collect(),
        })
    }

    /// Every moving account, by id.
    pub fn moves(&self) -> &[Move] {
        &self.moves
    }

    /// What moves in and out of each territory touched, by id.
    pub fn territories(&self) -> &[Shift<TerritoryId>] {
        &self.territories
    }

    /// What moves in and out of each primary position touched, by id
    /// (empty unless asked for with [`RealignOptions::positions`]).
    pub fn positions(&self) -> &[Shift<PositionId>] {
        &self.positions
    }
}

impl Alignment {
    /// This alignment with `realignment`'s moves made.
    ///
    /// # Errors
    ///
    /// [`TerritoryError::StaleMove`] when a move does not start where this
    /// alignment has the account (the diff was made from another one).
    pub fn apply(&self, realignment: &Realignment) -> Result<Alignment, TerritoryError> {
        let mut out = Vec::with_capacity(self.len());
        let mut rest = self.entries().iter().peekable();
        for m in realignment.moves() {
            while let Some(e) = rest.next_if(|e| e.0 < *m.account()) {
                out.push(e.clone());
            }
            let current = rest.next_if(|e| e.0 == *m.account()).map(|e| &e.1);
            if current != m.from() {
                return Err(TerritoryError::StaleMove {
                    account: m.account().clone(),
                    expected: m.from().cloned(),
                    found: current.cloned(),
                });
            }
            if let Some(to) = m.to() {
                out.push((m.account().clone(), to.clone()));
            }
        }
        out.extend(rest.cloned());
        Alignment::new(out)
    }
}
