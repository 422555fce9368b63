//! A deterministic generator of large, realistic sales orgs and credit
//! feeds, for benchmarks and load tests downstream (the shape the crate's
//! own benches use).
//!
//! Pure and seeded: the same `(reps, seed)` gives the same org on every
//! machine, with no randomness crate and no floating point (a SplitMix64
//! stream, [`SplitMix64`], drives every choice; shares and amounts are
//! integers).
//!
//! The shape: reps grouped bottom-up with fan-out 6-14 into first-line
//! managers and 5-13 above, until at most 20 nodes remain under the root;
//! 10% of first-line teams get two or three team leads between the manager
//! and the reps; 1% of reps report straight to a manager two or three levels
//! up. Ids are sparse employee numbers (8 digits) and positions are
//! declared in shuffled order, so declaration order is not tree order.
//! Quotas: reps 30,000-70,000 USD, each manager 90-100% of their reports'
//! sum. The org is the one the crate's benches build (`benches/support/gen.rs`)
//! for the same seed, position for position.
//!
//! Credits: each rep's activity weight is heavy-tailed (two to the power
//! of a binomial count, close to a lognormal), amounts are around 2,000 USD
//! with a similar spread (2% are negative: returns), one day of the year
//! each, sorted by day.
//!
//! ```
//! use chrono::NaiveDate;
//! use salesplan::rollup::{sum_keyed_credits, SumOptions};
//! use salesplan::testing::synthetic::SyntheticOrg;
//! use salesplan::Currency;
//!
//! let synth = SyntheticOrg::generate(2_000, 7)?;
//! assert_eq!(synth, SyntheticOrg::generate(2_000, 7)?); // deterministic
//! let org = synth.builder().build()?;
//! let snapshot = org.as_of(NaiveDate::from_ymd_opt(2025, 6, 30).unwrap())?;
//! assert_eq!(snapshot.len(), synth.len());
//!
//! // A year of 20,000 credits, rolled up the org.
//! let credits = synth.credits(20_000, 11)?;
//! let totals = sum_keyed_credits(&snapshot, synth.ids(), &credits, SumOptions::new(Currency::USD))?;
//! let mut direct = 0i128;
//! for c in &credits {
//!     direct += c.cents();
//! }
//! assert_eq!(totals.subtree(snapshot.root())?.to_minor()?, direct);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use chrono::NaiveDate;

use crate::calendar::DateRange;
use crate::ids::{IdError, PositionId};
use crate::money::{Currency, Money, MoneyError};
use crate::org::{Org, OrgBuilder, Position, ReportingLine, Role};
use crate::rollup::KeyedCredit;

/// SplitMix64: a small, fast, seeded integer stream (Steele, Lea and
/// Flood), enough to shape test data; not for anything secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A stream from `seed`.
    pub const fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// In `lo..hi` (`lo` when the range is empty).
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        let draw = self.next_u64();
        match hi.checked_sub(lo).and_then(|width| draw.checked_rem(width)) {
            Some(offset) => lo.wrapping_add(offset),
            None => lo,
        }
    }

    /// True with probability `below / 2^53`: the 53 high bits of the next
    /// draw are below `below`.
    pub fn chance(&mut self, below: u64) -> bool {
        (self.next_u64() >> 11) < below
    }

    /// Shuffles `items` (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = usize::try_from(self.range(0, (i as u64).wrapping_add(1))).unwrap_or(i);
            // bound: `j <= i < items.len()`.
            items.swap(i, j.min(i));
        }
    }
}

/// 10% and 1% as thresholds on 53 bits (the smallest integers `k` with
/// `k / 2^53` at least 0.10 and 0.01 as binary doubles, so that the
/// choices match the benches' generator).
const TEN_PERCENT: u64 = 900_719_925_474_100;
const ONE_PERCENT: u64 = 90_071_992_547_410;

/// What the generator refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SyntheticError {
    /// Fewer than 21 reps: the shape needs at least two levels of managers.
    TooFewReps {
        /// The reps asked for.
        reps: usize,
    },
    /// More positions than a `u32` numbers.
    TooMany {
        /// The reps asked for.
        reps: usize,
    },
    /// An id or amount the crate refused (never for the generator's own).
    Refused {
        /// Why, in words.
        reason: String,
    },
}

impl fmt::Display for SyntheticError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyntheticError::TooFewReps { reps } => {
                write!(f, "a synthetic org needs more than 20 reps, not {reps}")
            }
            SyntheticError::TooMany { reps } => write!(f, "{reps} reps are too many to number"),
            SyntheticError::Refused { reason } => f.write_str(reason),
        }
    }
}

impl std::error::Error for SyntheticError {}

impl From<IdError> for SyntheticError {
    fn from(e: IdError) -> SyntheticError {
        SyntheticError::Refused {
            reason: e.to_string(),
        }
    }
}

impl From<MoneyError> for SyntheticError {
    fn from(e: MoneyError) -> SyntheticError {
        SyntheticError::Refused {
            reason: e.to_string(),
        }
    }
}

/// 1 January 2025.
const YEAR_START: NaiveDate = match NaiveDate::from_ymd_opt(2025, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// No parent: the root.
const NONE: u32 = u32::MAX;

/// The roles by code, as the benches number them; any other code is an
/// executive.
const ROLES: [Role; 6] = [
    Role::SalesRep,
    Role::TeamLead,
    Role::Supervisor,
    Role::AssistantManager,
    Role::RegionalManager,
    Role::Director,
];
/// The role code of each level of managers above the reps.
const LEVEL_CODES: [u8; 7] = [2, 3, 4, 5, 5, 6, 6];
const EXECUTIVE: u8 = 6;
const TEAM_LEAD: u8 = 1;

fn role_of(code: u8) -> Role {
    ROLES
        .get(usize::from(code))
        .cloned()
        .unwrap_or(Role::Executive)
}

/// A generated org: positions in declaration order with their parent,
/// role and quota.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticOrg {
    ids: Vec<PositionId>,
    parent: Vec<u32>,
    roles: Vec<u8>,
    quota_cents: Vec<i64>,
    reps: Vec<u32>,
}

/// The tree in internal numbering (reps first, each level of managers
/// above, team leads, the root last of the levels).
struct Tree {
    parent: Vec<u32>,
    roles: Vec<u8>,
    levels: Vec<Vec<u32>>,
}

impl Tree {
    fn set_parent(&mut self, child: u32, parent: u32) {
        if let Some(slot) = self.parent.get_mut(child as usize) {
            *slot = parent;
        }
    }

    /// A new node under `parent`, with its number.
    fn push(&mut self, parent: u32, role: u8) -> Result<u32, SyntheticError> {
        let n = u32::try_from(self.parent.len()).map_err(|_| SyntheticError::TooMany {
            reps: self.parent.len(),
        })?;
        self.parent.push(parent);
        self.roles.push(role);
        Ok(n)
    }
}

/// Reps grouped bottom-up until at most 20 nodes are left, under a root.
fn levels(n_reps: u32, rng: &mut SplitMix64) -> Result<Tree, SyntheticError> {
    let mut tree = Tree {
        parent: vec![NONE; n_reps as usize],
        roles: vec![0; n_reps as usize],
        levels: vec![(0..n_reps).collect()],
    };
    let mut level = 0usize;
    while let Some(cur) = tree.levels.get(level).filter(|l| l.len() > 20).cloned() {
        let (lo, hi) = if level == 0 { (6, 15) } else { (5, 14) };
        let code = LEVEL_CODES.get(level).copied().unwrap_or(EXECUTIVE);
        let mut next = Vec::new();
        for group in chunks(&cur, rng, lo, hi) {
            let mgr = tree.push(NONE, code)?;
            for c in group {
                tree.set_parent(*c, mgr);
            }
            next.push(mgr);
        }
        tree.levels.push(next);
        level = level.wrapping_add(1);
    }
    let root = tree.push(NONE, EXECUTIVE)?;
    for c in tree.levels.last().cloned().unwrap_or_default() {
        tree.set_parent(c, root);
    }
    Ok(tree)
}

/// `items` cut into consecutive groups of `lo..hi`.
fn chunks<'a>(items: &'a [u32], rng: &mut SplitMix64, lo: u64, hi: u64) -> Vec<&'a [u32]> {
    let mut out = Vec::new();
    let mut rest = items;
    while !rest.is_empty() {
        let size = usize::try_from(rng.range(lo, hi)).unwrap_or(rest.len());
        let (group, tail) = rest.split_at(size.min(rest.len()));
        out.push(group);
        rest = tail;
    }
    out
}

/// 10% of first-line teams get team leads; 1% of reps move up.
fn reshape(tree: &mut Tree, n_reps: u32, rng: &mut SplitMix64) -> Result<(), SyntheticError> {
    let frontline = tree.levels.get(1).cloned().unwrap_or_default();
    let mut team: Vec<Vec<u32>> = vec![Vec::new(); tree.parent.len()];
    for rep in 0..n_reps {
        let p = tree.parent.get(rep as usize).copied().unwrap_or(NONE);
        if let Some(t) = team.get_mut(p as usize) {
            t.push(rep);
        }
    }
    for m in frontline {
        if !rng.chance(TEN_PERCENT) {
            continue;
        }
        let reps = team
            .get_mut(m as usize)
            .map(std::mem::take)
            .unwrap_or_default();
        let k = if reps.len() < 10 { 2 } else { 3 };
        let mut leads = Vec::with_capacity(k);
        for _ in 0..k {
            leads.push(tree.push(m, TEAM_LEAD)?);
        }
        for (rep, lead) in reps.into_iter().zip(leads.iter().cycle()) {
            tree.set_parent(rep, *lead);
        }
    }
    let upper: Vec<u32> = tree
        .levels
        .iter()
        .skip(2)
        .take(2)
        .flatten()
        .copied()
        .collect();
    for rep in 0..n_reps {
        if rng.chance(ONE_PERCENT) {
            let pick = rng.range(0, upper.len() as u64);
            if let Some(up) = usize::try_from(pick).ok().and_then(|i| upper.get(i)) {
                tree.set_parent(rep, *up);
            }
        }
    }
    Ok(())
}

/// Every node's depth (the root at 0).
fn depths(parent: &[u32]) -> Vec<u32> {
    let mut depth = vec![NONE; parent.len()];
    let mut chain = Vec::new();
    for x in 0..parent.len() {
        let mut y = x;
        // Up to a node whose depth is known, or the root.
        while depth.get(y) == Some(&NONE) {
            chain.push(y);
            match parent.get(y).copied().filter(|p| *p != NONE) {
                Some(p) => y = p as usize,
                None => break,
            }
        }
        let mut d = depth.get(y).copied().filter(|d| *d != NONE);
        while let Some(z) = chain.pop() {
            let here = d.map_or(0, |d| d.wrapping_add(1));
            if let Some(slot) = depth.get_mut(z) {
                *slot = here;
            }
            d = Some(here);
        }
    }
    depth
}

/// Quotas bottom-up, in cents: reps 30,000-70,000 USD, each manager
/// 90-100% of their reports' sum.
fn quotas(parent: &[u32], n_reps: u32, rng: &mut SplitMix64) -> Result<Vec<i64>, SyntheticError> {
    let depth = depths(parent);
    let mut order: Vec<usize> = (0..parent.len()).collect();
    order.sort_by_key(|x| std::cmp::Reverse(depth.get(*x).copied()));
    let too_many = || SyntheticError::TooMany {
        reps: n_reps as usize,
    };
    let mut quota = vec![0i64; parent.len()];
    let mut child_sum = vec![0i64; parent.len()];
    for x in order {
        let q = if x < n_reps as usize {
            i64::try_from(rng.range(3_000_000, 7_000_000)).map_err(|_| too_many())?
        } else {
            let share = i64::try_from(rng.range(900, 1001)).map_err(|_| too_many())?;
            child_sum
                .get(x)
                .and_then(|s| s.checked_mul(share))
                .and_then(|s| s.checked_div(1000))
                .ok_or_else(too_many)?
        };
        if let Some(slot) = quota.get_mut(x) {
            *slot = q;
        }
        let p = parent.get(x).copied().unwrap_or(NONE);
        if let Some(sum) = child_sum.get_mut(p as usize) {
            *sum = sum.checked_add(q).ok_or_else(too_many)?;
        }
    }
    Ok(quota)
}

impl SyntheticOrg {
    /// An org of `reps` reps (and about 10% more managers above them) from
    /// `seed`.
    ///
    /// # Errors
    ///
    /// [`SyntheticError::TooFewReps`] for 20 reps or fewer;
    /// [`SyntheticError::TooMany`] beyond what a `u32` numbers.
    pub fn generate(reps: usize, seed: u64) -> Result<SyntheticOrg, SyntheticError> {
        if reps <= 20 {
            return Err(SyntheticError::TooFewReps { reps });
        }
        let n_reps = u32::try_from(reps)
            .ok()
            .filter(|n| *n < u32::MAX / 2)
            .ok_or(SyntheticError::TooMany { reps })?;
        let mut rng = SplitMix64::new(seed);
        let mut tree = levels(n_reps, &mut rng)?;
        reshape(&mut tree, n_reps, &mut rng)?;
        let quota = quotas(&tree.parent, n_reps, &mut rng)?;
        Self::declare(&tree, &quota, n_reps, &mut rng)
    }

    /// Sparse ids and a shuffled declaration order.
    fn declare(
        tree: &Tree,
        quota: &[i64],
        n_reps: u32,
        rng: &mut SplitMix64,
    ) -> Result<SyntheticOrg, SyntheticError> {
        let n = tree.parent.len();
        let mut perm: Vec<u64> = (0..n as u64).collect();
        rng.shuffle(&mut perm);
        let ids: Vec<PositionId> = perm
            .iter()
            .map(|p| {
                let number = p
                    .checked_mul(7)
                    .and_then(|x| x.checked_add(10_000_000))
                    .map(|x| x.wrapping_add(rng.range(0, 7)))
                    .unwrap_or(u64::MAX);
                PositionId::new(&number.to_string())
            })
            .collect::<Result<_, _>>()?;
        let mut row_of: Vec<u32> = (0..n as u32).collect();
        rng.shuffle(&mut row_of);
        let mut out = SyntheticOrg {
            ids: ids.clone(),
            parent: vec![NONE; n],
            roles: vec![0; n],
            quota_cents: vec![0; n],
            reps: Vec::with_capacity(n_reps as usize),
        };
        for (x, r) in row_of.iter().enumerate() {
            let r = *r as usize;
            let parent = tree.parent.get(x).copied().unwrap_or(NONE);
            let row = |i: u32| row_of.get(i as usize).copied().unwrap_or(NONE);
            let slots = (
                out.ids.get_mut(r),
                out.parent.get_mut(r),
                out.roles.get_mut(r),
                out.quota_cents.get_mut(r),
            );
            if let (Some(id), Some(p), Some(role), Some(q)) = slots {
                if let Some(from) = ids.get(x) {
                    id.clone_from(from);
                }
                *p = if parent == NONE { NONE } else { row(parent) };
                *role = tree.roles.get(x).copied().unwrap_or(EXECUTIVE);
                *q = quota.get(x).copied().unwrap_or_default();
            }
        }
        out.reps = row_of.iter().take(n_reps as usize).copied().collect();
        Ok(out)
    }

    /// How many positions.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether it has no positions (never, once generated).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Position ids, in declaration order.
    pub fn ids(&self) -> &[PositionId] {
        &self.ids
    }

    /// Each position's manager, by declaration index (`None` for the root).
    pub fn parent(&self, index: usize) -> Option<usize> {
        self.parent
            .get(index)
            .filter(|p| **p != NONE)
            .map(|p| *p as usize)
    }

    /// Each position's role.
    pub fn role(&self, index: usize) -> Option<Role> {
        self.roles.get(index).map(|c| role_of(*c))
    }

    /// Each position's annual quota in USD cents, in declaration order.
    pub fn quota_cents(&self) -> &[i64] {
        &self.quota_cents
    }

    /// The reps' declaration indexes.
    pub fn reps(&self) -> &[u32] {
        &self.reps
    }

    /// The first day of the generated year (1 January 2025): every position
    /// and line is in effect from it, and credits fall in that year.
    pub const fn year_start() -> NaiveDate {
        YEAR_START
    }

    /// The org's builder: one position and one reporting line each, from
    /// [`SyntheticOrg::year_start`] (no assignments).
    pub fn builder(&self) -> OrgBuilder {
        let always = DateRange::starting(Self::year_start());
        Org::builder()
            .positions(
                self.ids
                    .iter()
                    .zip(&self.roles)
                    .map(|(id, role)| Position::new(id.clone(), role_of(*role))),
            )
            .lines(self.ids.iter().zip(&self.parent).map(|(id, parent)| {
                match self.ids.get(*parent as usize) {
                    Some(p) => ReportingLine::new(id.clone(), p.clone(), always),
                    None => ReportingLine::top(id.clone(), always),
                }
            }))
    }

    /// `count` credits over the year from `seed`, sorted by day, each
    /// naming its rep by declaration index (see the module docs for the
    /// shape).
    ///
    /// # Errors
    ///
    /// [`SyntheticError::Refused`] only if an amount could not be made.
    pub fn credits(&self, count: usize, seed: u64) -> Result<Vec<SyntheticCredit>, SyntheticError> {
        let mut rng = SplitMix64::new(seed);
        let mut cumulative = Vec::with_capacity(self.reps.len());
        let mut total = 0u64;
        for _ in &self.reps {
            let octaves = (rng.next_u64() & 0xff).count_ones();
            total = total.wrapping_add(1u64.checked_shl(octaves).unwrap_or(1));
            cumulative.push(total);
        }
        let start = Self::year_start();
        let mut credits = Vec::with_capacity(count);
        for _ in 0..count {
            let pick = rng.range(0, total);
            let i = cumulative.partition_point(|c| *c <= pick);
            let Some(rep) = self.reps.get(i).or(self.reps.last()).copied() else {
                break;
            };
            let day = start
                .checked_add_days(chrono::Days::new(rng.range(0, 365)))
                .unwrap_or(start);
            // 2,000 USD times two to the power of a binomial(12, 1/2) less
            // six, jittered within the octave; 2% are returns.
            let octaves = (rng.next_u64() & 0xfff).count_ones();
            let base = 3_125i64.checked_shl(octaves).unwrap_or(3_125);
            let jitter = i64::try_from(rng.range(724, 1414)).unwrap_or(1000);
            let mut cents = base
                .checked_mul(jitter)
                .and_then(|c| c.checked_div(1000))
                .unwrap_or(base)
                .clamp(1, 1_000_000_000);
            if rng.range(0, 50) == 0 {
                cents = cents.wrapping_neg();
            }
            credits.push(SyntheticCredit {
                rep,
                day,
                cents,
                amount: Money::from_minor(i128::from(cents), Currency::USD)?,
            });
        }
        credits.sort_by_key(|c| c.day);
        Ok(credits)
    }
}

/// One generated credit: a rep (by declaration index), a day and an amount
/// in USD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntheticCredit {
    rep: u32,
    day: NaiveDate,
    cents: i64,
    amount: Money,
}

impl SyntheticCredit {
    /// The rep's declaration index.
    pub const fn rep(&self) -> u32 {
        self.rep
    }

    /// The day.
    pub const fn day(&self) -> NaiveDate {
        self.day
    }

    /// The amount in cents.
    pub fn cents(&self) -> i128 {
        i128::from(self.cents)
    }
}

impl KeyedCredit for SyntheticCredit {
    fn key(&self) -> usize {
        self.rep as usize
    }
    fn date(&self) -> NaiveDate {
        self.day
    }
    fn amount(&self) -> Money {
        self.amount
    }
    fn amount_minor(&self, currency: Currency) -> Option<i128> {
        (currency == Currency::USD).then_some(i128::from(self.cents))
    }
}
