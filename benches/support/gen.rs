//! A deterministic synthetic sales org and credit feed, shaped like the
//! peer baselines in `../shared/peers/gen.py` (same shape and sizes; not
//! byte-identical, since the random streams differ).
//!
//! Shape: reps grouped bottom-up with fan-out 6-14 into first-line managers
//! and 5-13 above, until at most 20 nodes remain under the root; 10% of
//! first-line teams get an extra team-lead layer; 1% of reps report straight
//! to a director-level manager. Ids are sparse employee numbers and rows are
//! shuffled, so declaration order is not tree order. Quotas: reps
//! 30,000-70,000 USD, managers 90-100% of their reports' sum. Credits: reps
//! chosen with heavy-tailed weights, one day of the year each, amounts
//! around 2,000 USD with 2% negative, sorted by day (so rep ids arrive in
//! random order).
//!
//! Shared by the benchmarks and the tests (`#[path]`), so both measure and
//! check the same org.

#![allow(dead_code, unreachable_pub, reason = "each user takes what it needs")]
#![allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::float_arithmetic,
    clippy::cast_possible_truncation,
    clippy::unwrap_used,
    reason = "test-data generation, not library code; floats only shape random weights"
)]

use chrono::NaiveDate;
use salesplan::calendar::DateRange;
use salesplan::org::{Org, OrgBuilder, OrgSnapshot, Position, ReportingLine, Role};
use salesplan::rollup::{Credited, KeyedCredit, NodeValues};
use salesplan::{Currency, Money, PositionId};

/// SplitMix64: small, fast, deterministic.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..hi`.
    pub(crate) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo)
    }
    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Standard normal (Box-Muller).
    pub(crate) fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-300);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.range(0, i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

/// The generated org: positions in shuffled declaration order.
pub(crate) struct SyntheticOrg {
    /// Position ids, in declaration order.
    pub(crate) ids: Vec<PositionId>,
    /// Parent (declaration index) of each position; `u32::MAX` for the
    /// root. Kept compact, as a loader would keep its source rows.
    pub(crate) parent: Vec<u32>,
    /// Role of each position, as a code (see [`role_of`]).
    pub(crate) roles: Vec<u8>,
    /// Quota of each position, in cents.
    pub(crate) quota_cents: Vec<i64>,
    /// Declaration indexes of the reps.
    pub(crate) reps: Vec<u32>,
}

/// Sizes: reps and credits.
pub(crate) const SMALL: (usize, usize) = (90_000, 1_000_000);
pub(crate) const LARGE: (usize, usize) = (1_000_000, 10_000_000);

pub(crate) fn org(n_reps: usize, seed: u64) -> SyntheticOrg {
    let mut rng = Rng::new(seed);
    // Internal numbering: reps first, then each level above, root last.
    let mut parent: Vec<u32> = vec![u32::MAX; n_reps];
    let mut roles: Vec<Role> = vec![Role::SalesRep; n_reps];
    let level_roles = [
        Role::Supervisor,
        Role::AssistantManager,
        Role::RegionalManager,
        Role::Director,
        Role::Director,
        Role::Executive,
        Role::Executive,
    ];
    let mut levels: Vec<Vec<u32>> = vec![(0..n_reps as u32).collect()];
    let mut level = 0;
    while levels[level].len() > 20 {
        let (lo, hi) = if level == 0 { (6, 15) } else { (5, 14) };
        let cur = levels[level].clone();
        let mut next = Vec::new();
        let mut i = 0;
        while i < cur.len() {
            let size = rng.range(lo, hi) as usize;
            let mgr = parent.len() as u32;
            parent.push(u32::MAX);
            roles.push(level_roles[level.min(level_roles.len() - 1)].clone());
            for &c in &cur[i..(i + size).min(cur.len())] {
                parent[c as usize] = mgr;
            }
            next.push(mgr);
            i += size;
        }
        levels.push(next);
        level += 1;
    }
    let root = parent.len() as u32;
    parent.push(u32::MAX);
    roles.push(Role::Executive);
    for &c in levels.last().unwrap() {
        parent[c as usize] = root;
    }
    // 10% of first-line teams get 2-3 team leads between manager and reps.
    let frontline = levels[1].clone();
    let mut team: Vec<Vec<u32>> = vec![Vec::new(); parent.len()];
    for rep in 0..n_reps as u32 {
        team[parent[rep as usize] as usize].push(rep);
    }
    for &m in &frontline {
        if rng.unit() >= 0.10 {
            continue;
        }
        let reps = std::mem::take(&mut team[m as usize]);
        let k = if reps.len() < 10 { 2 } else { 3 };
        let leads: Vec<u32> = (0..k)
            .map(|_| {
                let tl = parent.len() as u32;
                parent.push(m);
                roles.push(Role::TeamLead);
                tl
            })
            .collect();
        for (i, rep) in reps.into_iter().enumerate() {
            parent[rep as usize] = leads[i % k];
        }
    }
    // 1% of reps report straight to a director-level manager.
    let upper: Vec<u32> = levels[2]
        .iter()
        .chain(levels.get(3).into_iter().flatten())
        .copied()
        .collect();
    for rep_parent in parent.iter_mut().take(n_reps) {
        if rng.unit() < 0.01 {
            *rep_parent = upper[rng.range(0, upper.len() as u64) as usize];
        }
    }
    let n = parent.len();
    // Quotas bottom-up: reps 30k-70k USD; managers 90-100% of reports' sum.
    let mut depth = vec![u32::MAX; n];
    depth[root as usize] = 0;
    let mut order: Vec<u32> = (0..n as u32).collect();
    fn depth_of(x: u32, parent: &[u32], depth: &mut [u32]) -> u32 {
        let mut chain = Vec::new();
        let mut y = x;
        while depth[y as usize] == u32::MAX {
            chain.push(y);
            y = parent[y as usize];
        }
        let mut d = depth[y as usize];
        for z in chain.into_iter().rev() {
            d += 1;
            depth[z as usize] = d;
        }
        depth[x as usize]
    }
    for x in 0..n as u32 {
        depth_of(x, &parent, &mut depth);
    }
    order.sort_by_key(|x| std::cmp::Reverse(depth[*x as usize]));
    let mut quota = vec![0i64; n];
    let mut child_sum = vec![0i64; n];
    for &x in &order {
        let x = x as usize;
        quota[x] = if x < n_reps {
            rng.range(3_000_000, 7_000_000) as i64
        } else {
            child_sum[x] * rng.range(900, 1001) as i64 / 1000
        };
        if parent[x] != u32::MAX {
            child_sum[parent[x] as usize] += quota[x];
        }
    }
    // Sparse ids, shuffled declaration order.
    let mut perm: Vec<u64> = (0..n as u64).collect();
    rng.shuffle(&mut perm);
    let ids: Vec<PositionId> = perm
        .iter()
        .map(|p| PositionId::new(&(10_000_000 + p * 7 + rng.range(0, 7)).to_string()).unwrap())
        .collect();
    let mut row_of: Vec<u32> = (0..n as u32).collect();
    rng.shuffle(&mut row_of);
    // row_of[internal] = declaration index.
    let mut decl_ids = vec![ids[0].clone(); n];
    let mut decl_parent = vec![u32::MAX; n];
    let mut decl_roles = vec![0; n];
    let mut decl_quota = vec![0; n];
    for x in 0..n {
        let r = row_of[x] as usize;
        decl_ids[r] = ids[x].clone();
        decl_parent[r] = if parent[x] == u32::MAX {
            u32::MAX
        } else {
            row_of[parent[x] as usize]
        };
        decl_roles[r] = code_of(&roles[x]);
        decl_quota[r] = quota[x];
    }
    let reps = (0..n_reps).map(|x| row_of[x]).collect();
    SyntheticOrg {
        ids: decl_ids,
        parent: decl_parent,
        roles: decl_roles,
        quota_cents: decl_quota,
        reps,
    }
}

/// The generator's roles, by code.
const ROLE_CODES: [Role; 6] = [
    Role::SalesRep,
    Role::TeamLead,
    Role::Supervisor,
    Role::AssistantManager,
    Role::RegionalManager,
    Role::Director,
];

fn code_of(role: &Role) -> u8 {
    ROLE_CODES
        .iter()
        .position(|r| r == role)
        .map_or(ROLE_CODES.len() as u8, |i| i as u8)
}

/// The role of a code; any other code is an executive.
pub(crate) fn role_of(code: u8) -> Role {
    ROLE_CODES
        .get(code as usize)
        .cloned()
        .unwrap_or(Role::Executive)
}

pub(crate) fn year_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
}

impl SyntheticOrg {
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// The org's builder: one position and one reporting line each, in
    /// effect from 1 January 2025 (no assignments: the rollup does not need
    /// people).
    pub(crate) fn builder(&self) -> OrgBuilder {
        let always = DateRange::starting(year_start());
        Org::builder()
            .positions(
                self.ids
                    .iter()
                    .zip(&self.roles)
                    .map(|(id, role)| Position::new(id.clone(), role_of(*role))),
            )
            .lines(self.ids.iter().zip(&self.parent).map(|(id, &parent)| {
                match self.ids.get(parent as usize) {
                    Some(p) => ReportingLine::new(id.clone(), p.clone(), always),
                    None => ReportingLine::top(id.clone(), always),
                }
            }))
    }

    /// Every node's quota, lined up with the snapshot's nodes straight from
    /// the declared cents (no declaration-order copy as `Money`).
    pub(crate) fn node_quotas<'s>(&self, snapshot: &'s OrgSnapshot) -> NodeValues<'s, Money> {
        NodeValues::from_fn(snapshot, |node| {
            let cents = self.quota_cents[node.declared_index()];
            Money::from_minor(i128::from(cents), Currency::USD).unwrap()
        })
    }

    /// Credits in date order: `count` of them over 2025, each naming its
    /// rep by declaration index (a dictionary-encoded feed).
    pub(crate) fn credits(&self, count: usize, seed: u64) -> Vec<Credit> {
        let mut rng = Rng::new(seed);
        // Heavy-tailed rep activity: lognormal weights, sampled by a
        // cumulative table.
        let mut cumulative = Vec::with_capacity(self.reps.len());
        let mut total = 0.0;
        for _ in &self.reps {
            total += rng.normal().exp();
            cumulative.push(total);
        }
        let mut credits: Vec<Credit> = (0..count)
            .map(|_| {
                let pick = rng.unit() * total;
                let i = cumulative
                    .partition_point(|c| *c < pick)
                    .min(self.reps.len() - 1);
                let day = year_start()
                    .checked_add_days(chrono::Days::new(rng.range(0, 365)))
                    .unwrap();
                let mut cents =
                    ((2000.0f64.ln() + 1.2 * rng.normal()).exp() * 100.0).round() as i64;
                cents = cents.clamp(1, 1_000_000_000);
                if rng.unit() < 0.02 {
                    cents = -cents;
                }
                Credit {
                    key: self.reps[i],
                    day,
                    cents: cents as i32,
                }
            })
            .collect();
        credits.sort_by_key(|c| c.day);
        credits
    }

    /// The same credits, each carrying a reference to its position id.
    pub(crate) fn with_ids<'a>(&'a self, credits: &[Credit]) -> Vec<IdCredit<'a>> {
        credits
            .iter()
            .map(|c| IdCredit {
                position: &self.ids[c.key as usize],
                day: c.day,
                cents: c.cents,
            })
            .collect()
    }
}

/// One credited amount naming its position by declaration index: 12 bytes.
#[derive(Clone, Copy)]
pub(crate) struct Credit {
    pub(crate) key: u32,
    pub(crate) day: NaiveDate,
    pub(crate) cents: i32,
}

impl KeyedCredit for Credit {
    fn key(&self) -> usize {
        self.key as usize
    }
    fn date(&self) -> NaiveDate {
        self.day
    }
    fn amount(&self) -> Money {
        Money::from_minor(i128::from(self.cents), Currency::USD).unwrap()
    }
    fn amount_minor(&self, currency: Currency) -> Option<i128> {
        (currency == Currency::USD).then_some(i128::from(self.cents))
    }
}

/// One credited amount carrying a reference to its position id: 16 bytes.
#[derive(Clone, Copy)]
pub(crate) struct IdCredit<'a> {
    pub(crate) position: &'a PositionId,
    pub(crate) day: NaiveDate,
    pub(crate) cents: i32,
}

impl Credited for IdCredit<'_> {
    fn position(&self) -> &PositionId {
        self.position
    }
    fn date(&self) -> NaiveDate {
        self.day
    }
    fn amount(&self) -> Money {
        Money::from_minor(i128::from(self.cents), Currency::USD).unwrap()
    }
    fn amount_minor(&self, currency: Currency) -> Option<i128> {
        (currency == Currency::USD).then_some(i128::from(self.cents))
    }
}
