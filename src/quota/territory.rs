//! Quotas on the territory tree: a target cascaded down the territories,
//! and each position's quota from the territories it covers.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::allocation::Split;
use crate::ids::{PositionId, TerritoryId};
use crate::money::Money;
use crate::quota::QuotaError;
use crate::territory::{CoverageKind, CoverageTable, TerritoryTree};

/// How a territory's target is shared among its child territories.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub enum TerritoryBasis {
    /// Alike among siblings.
    #[default]
    Equal,
    /// By a measure given for the leaf territories (market potential,
    /// last year's sales, accounts): an inner territory weighs the sum of
    /// its leaves, and a measure given for one is refused. A leaf left out
    /// weighs zero; a territory whose leaves all weigh zero gets zero, and
    /// so do its children.
    LeafMeasure(BTreeMap<TerritoryId, Decimal>),
}

/// A target cascaded down a [`TerritoryTree`]: the root carries the whole
/// target, and each territory's target is split among its children by the
/// [`TerritoryBasis`], exactly (largest remainder, ties to the smaller id,
/// as [`Split`] does), so children always sum to their parent.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::calendar::DateRange;
/// use salesplan::quota::{TerritoryBasis, TerritoryTargets};
/// use salesplan::territory::{Territory, TerritoryLine, TerritoryMap};
/// use salesplan::{Currency, Money, TerritoryId};
///
/// let t = |s: &str| TerritoryId::new(s).unwrap();
/// let always = DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap());
/// let map = TerritoryMap::builder()
///     .territories(["west", "ca", "or", "wa"].map(|s| Territory::new(t(s))))
///     .line(TerritoryLine::top(t("west"), always))
///     .lines(["ca", "or", "wa"].map(|s| TerritoryLine::new(t(s), t("west"), always)))
///     .build()?;
/// let tree = map.as_of(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())?;
/// let targets = TerritoryTargets::cascade(&tree, Money::parse("100.00", Currency::USD)?, &TerritoryBasis::Equal)?;
/// assert_eq!(targets.target(&t("ca")).map(|m| m.to_string()), Some("33.34 USD".into()));
/// assert_eq!(targets.target(&t("wa")).map(|m| m.to_string()), Some("33.33 USD".into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TerritoryTargets {
    date: NaiveDate,
    targets: BTreeMap<TerritoryId, Money>,
    leaves: Vec<TerritoryId>,
}

/// Each position's quota from the leaf territories it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[non_exhaustive]
pub struct CoveredQuotas {
    primary: BTreeMap<PositionId, Money>,
    overlay: BTreeMap<PositionId, Money>,
    uncovered: Vec<(TerritoryId, Money)>,
}

impl CoveredQuotas {
    /// Each primary's quota: its shares of the leaves it covers. Together
    /// with [`uncovered`](CoveredQuotas::uncovered) they sum to the
    /// target exactly.
    pub const fn primary(&self) -> &BTreeMap<PositionId, Money> {
        &self.primary
    }

    /// Each overlay's quota: its share of the leaves it covers (an
    /// overlay carries quota beside the primaries, not out of theirs).
    pub const fn overlay(&self) -> &BTreeMap<PositionId, Money> {
        &self.overlay
    }

    /// Leaves with no primary on the date, and their targets (vacancies).
    pub fn uncovered(&self) -> &[(TerritoryId, Money)] {
        &self.uncovered
    }
}

impl TerritoryTargets {
    /// Cascades `target` down `tree` by `basis`.
    ///
    /// # Errors
    ///
    /// [`QuotaError::NegativeTarget`] for a negative target;
    /// [`QuotaError::EmptyTerritoryTree`] for a tree with no territory;
    /// [`QuotaError::UnknownTerritory`] for a measure naming a territory
    /// not in the tree; [`QuotaError::MeasureOnInnerTerritory`] for one
    /// naming a territory with children; [`QuotaError::TerritorySplit`] naming the parent
    /// whose children cannot share its target (all weigh zero, or a
    /// negative measure).
    pub fn cascade(
        tree: &TerritoryTree,
        target: Money,
        basis: &TerritoryBasis,
    ) -> Result<TerritoryTargets, QuotaError> {
        if target.is_negative() {
            return Err(QuotaError::NegativeTarget { amount: target });
        }
        let root = tree.root().ok_or(QuotaError::EmptyTerritoryTree)?;
        let children = children_of(tree);
        let weights = weights(tree, &children, basis)?;
        let mut targets = BTreeMap::new();
        targets.insert(root.clone(), target);
        // Parents before children: the tree by depth.
        let mut order: Vec<(&TerritoryId, u32)> = tree
            .territories()
            .map(|(t, depth)| (t.id(), depth))
            .collect();
        order.sort_by_key(|(_, depth)| *depth);
        for (parent, _) in order {
            let (Some(kids), Some(amount)) = (children.get(parent), targets.get(parent).copied())
            else {
                continue;
            };
            let split = |source| QuotaError::TerritorySplit {
                parent: parent.clone(),
                source: Box::new(source),
            };
            let shares: Vec<(&TerritoryId, Decimal)> = kids
                .iter()
                .map(|k| (*k, weights.get(*k).copied().unwrap_or(Decimal::ONE)))
                .collect();
            // A zero target (a region whose leaves all weigh nothing) gives
            // each child zero, whatever the weights.
            let parts = if amount.is_zero() {
                vec![amount; shares.len()]
            } else {
                Split::new(&shares)
                    .and_then(|s| s.apply(amount))
                    .map_err(split)?
            };
            for ((kid, _), part) in shares.into_iter().zip(parts) {
                targets.insert(kid.clone(), part);
            }
        }
        Ok(TerritoryTargets {
            date: tree.date(),
            targets,
            leaves: tree.leaves(),
        })
    }

    /// The date of the tree the targets were cascaded over.
    pub const fn date(&self) -> NaiveDate {
        self.date
    }

    /// A territory's target.
    pub fn target(&self, territory: &TerritoryId) -> Option<Money> {
        self.targets.get(territory).copied()
    }

    /// Every territory's target, by id.
    pub const fn targets(&self) -> &BTreeMap<TerritoryId, Money> {
        &self.targets
    }

    /// Each position's quota from the leaf territories it covers on `on`:
    /// a leaf's primaries share its target by their coverage shares
    /// (exactly, largest remainder), each overlay carries its share of it
    /// (rounded half away from zero to the minor unit). Coverage of an
    /// inner territory is not read: its target is its leaves' sum, which
    /// the leaves' positions already carry.
    ///
    /// # Errors
    ///
    /// [`QuotaError::TerritorySplit`] naming a leaf whose shares cannot
    /// be applied; [`QuotaError::Amount`] when a position's sum overflows.
    pub fn positions(
        &self,
        coverage: &CoverageTable,
        on: NaiveDate,
    ) -> Result<CoveredQuotas, QuotaError> {
        let mut out = CoveredQuotas {
            primary: BTreeMap::new(),
            overlay: BTreeMap::new(),
            uncovered: Vec::new(),
        };
        for leaf in &self.leaves {
            let Some(target) = self.target(leaf) else {
                continue;
            };
            let on_leaf = coverage.on(leaf, on);
            let primaries: Vec<(&PositionId, Decimal)> = on_leaf
                .iter()
                .filter(|c| c.kind() == CoverageKind::Primary)
                .map(|c| (c.position(), c.share().fraction()))
                .collect();
            if primaries.is_empty() {
                out.uncovered.push((leaf.clone(), target));
            } else {
                let parts = Split::new(&primaries)
                    .and_then(|s| s.apply(target))
                    .map_err(|source| QuotaError::TerritorySplit {
                        parent: leaf.clone(),
                        source: Box::new(source),
                    })?;
                for ((position, _), part) in primaries.into_iter().zip(parts) {
                    add(&mut out.primary, position, part)?;
                }
            }
            for c in on_leaf.iter().filter(|c| c.kind() == CoverageKind::Overlay) {
                let part = c
                    .share()
                    .of(target)
                    .map_err(|source| QuotaError::Amount { source })?
                    .round(crate::money::RoundingPolicy::HalfAwayFromZero);
                add(&mut out.overlay, c.position(), part)?;
            }
        }
        Ok(out)
    }
}

fn add(
    into: &mut BTreeMap<PositionId, Money>,
    position: &PositionId,
    part: Money,
) -> Result<(), QuotaError> {
    let sum = match into.get(position) {
        Some(before) => before
            .checked_add(part)
            .map_err(|source| QuotaError::Amount { source })?,
        None => part,
    };
    into.insert(position.clone(), sum);
    Ok(())
}

/// Each territory's children, in the tree's order.
fn children_of(tree: &TerritoryTree) -> BTreeMap<&TerritoryId, Vec<&TerritoryId>> {
    let mut children: BTreeMap<&TerritoryId, Vec<&TerritoryId>> = BTreeMap::new();
    for (territory, _) in tree.territories() {
        if let Some(parent) = tree.parent(territory.id()) {
            children.entry(parent).or_default().push(territory.id());
        }
    }
    children
}

/// Each territory's weight under `basis`: none for equal shares; the leaf
/// measure summed up the tree otherwise.
fn weights(
    tree: &TerritoryTree,
    children: &BTreeMap<&TerritoryId, Vec<&TerritoryId>>,
    basis: &TerritoryBasis,
) -> Result<BTreeMap<TerritoryId, Decimal>, QuotaError> {
    let TerritoryBasis::LeafMeasure(measure) = basis else {
        return Ok(BTreeMap::new());
    };
    if let Some(unknown) = measure.keys().find(|t| !tree.contains(t)) {
        return Err(QuotaError::UnknownTerritory {
            territory: unknown.clone(),
        });
    }
    // A measure is read on the leaves only: one given for a territory with
    // children would be silently outweighed by its leaves' sum.
    if let Some(inner) = measure.keys().find(|t| children.contains_key(t)) {
        return Err(QuotaError::MeasureOnInnerTerritory {
            territory: inner.clone(),
        });
    }
    let mut order: Vec<(&TerritoryId, u32)> = tree
        .territories()
        .map(|(t, depth)| (t.id(), depth))
        .collect();
    // Children before parents: the deepest first.
    order.sort_by_key(|(_, depth)| std::cmp::Reverse(*depth));
    let mut weights = BTreeMap::new();
    for (territory, _) in order {
        let weight = match children.get(territory) {
            None => measure.get(territory).copied().unwrap_or(Decimal::ZERO),
            Some(kids) => kids.iter().try_fold(Decimal::ZERO, |sum, k| {
                let w = weights.get(*k).copied().unwrap_or(Decimal::ZERO);
                crate::money::add(sum, w).map_err(|source| QuotaError::Amount { source })
            })?,
        };
        weights.insert(territory.clone(), weight);
    }
    Ok(weights)
}
