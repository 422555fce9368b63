//! Coverage: which positions cover a territory when, and what crediting
//! asks of territories: who covers an account on a date.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::assign::Alignment;
use crate::calendar::DateRange;
use crate::ids::{AccountId, PositionId, TerritoryId};
use crate::money::Percent;
use crate::territory::TerritoryError;

/// How a position covers a territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum CoverageKind {
    /// Owns the territory: the primaries' shares sum to exactly 100%.
    Primary,
    /// Covers it in addition to the primaries (a specialist); overlay shares
    /// need not sum to 100%.
    Overlay,
}

/// One position credited for a deal on an account: the answer of
/// [`CoverageSource::coverage`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct CoverageShare {
    position: PositionId,
    kind: CoverageKind,
    share: Percent,
}

impl CoverageShare {
    /// `position` covers with `kind` and gets `share` of the credit.
    pub const fn new(position: PositionId, kind: CoverageKind, share: Percent) -> Self {
        CoverageShare {
            position,
            kind,
            share,
        }
    }

    /// The position credited.
    pub const fn position(&self) -> &PositionId {
        &self.position
    }

    /// Primary or overlay.
    pub const fn kind(&self) -> CoverageKind {
        self.kind
    }

    /// Its share of the credit.
    pub const fn share(&self) -> Percent {
        self.share
    }
}

/// Who covers an account on a date: the territory-based crediting helper.
///
/// The crate's territory map implements it; implement it for your own
/// territory system to credit through it.
pub trait CoverageSource {
    /// The positions to credit for a deal on `account` dated `date`, with
    /// their shares: the primaries of the account's territory (shares
    /// summing to exactly 100%) and its overlays. An account covered by
    /// nobody on that date gives an empty list.
    ///
    /// # Errors
    ///
    /// Whatever stops the source answering (an account it cannot place).
    fn coverage(
        &self,
        account: &AccountId,
        date: NaiveDate,
    ) -> Result<Vec<CoverageShare>, TerritoryError>;
}

/// A position covering a territory over a date range, as primary or
/// overlay, with its share of the credit.
///
/// In JSON, `{"territory": .., "position": .., "kind": "primary" |
/// "overlay", "share": "60%", "effective": date range}`; a
/// [`CoverageTable`] checks the records together.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Coverage {
    territory: TerritoryId,
    position: PositionId,
    kind: CoverageKind,
    share: Percent,
    effective: DateRange,
}

impl Coverage {
    /// `position` covers `territory` as `kind` with `share` while
    /// `effective`.
    pub fn new(
        territory: TerritoryId,
        position: PositionId,
        kind: CoverageKind,
        share: Percent,
        effective: DateRange,
    ) -> Coverage {
        Coverage {
            territory,
            position,
            kind,
            share,
            effective,
        }
    }

    /// The sole primary of `territory` (100%) while `effective`.
    pub fn primary(territory: TerritoryId, position: PositionId, effective: DateRange) -> Coverage {
        Coverage::new(
            territory,
            position,
            CoverageKind::Primary,
            Percent::HUNDRED,
            effective,
        )
    }

    /// The territory.
    pub fn territory(&self) -> &TerritoryId {
        &self.territory
    }

    /// The position.
    pub fn position(&self) -> &PositionId {
        &self.position
    }

    /// Primary or overlay.
    pub const fn kind(&self) -> CoverageKind {
        self.kind
    }

    /// The share of the credit.
    pub const fn share(&self) -> Percent {
        self.share
    }

    /// When it is in effect.
    pub const fn effective(&self) -> DateRange {
        self.effective
    }
}

/// Which positions cover which territories over time, validated: on every
/// day a territory has primaries, their shares add up to exactly 100%
/// (exact decimal sum); one position never covers one territory twice on
/// the same day. A territory with no primary on a day is uncovered that
/// day, which is allowed (a vacancy).
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::calendar::DateRange;
/// use salesplan::territory::{Coverage, CoverageKind, CoverageTable};
/// use salesplan::{PositionId, TerritoryId, TerritoryError};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let p = |s: &str| PositionId::new(s).unwrap();
/// let bay = TerritoryId::new("bay")?;
/// let always = DateRange::starting(d(1, 1));
/// let table = CoverageTable::new(vec![
///     Coverage::new(bay.clone(), p("rep-1"), CoverageKind::Primary, "60%".parse()?, always),
///     Coverage::new(bay.clone(), p("rep-2"), CoverageKind::Primary, "40%".parse()?, always),
///     Coverage::new(bay.clone(), p("specialist"), CoverageKind::Overlay, "100%".parse()?, always),
/// ])?;
/// let on = table.on(&bay, d(3, 1));
/// assert_eq!(on.len(), 3);
/// assert_eq!(on[0].position(), &p("rep-1"));
///
/// let short = CoverageTable::new(vec![
///     Coverage::new(bay.clone(), p("rep-1"), CoverageKind::Primary, "60%".parse()?, always),
/// ]);
/// assert!(matches!(short, Err(TerritoryError::PrimaryShares { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// In JSON, the list of [`Coverage`] records, checked as by
/// [`CoverageTable::new`]:
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use chrono::NaiveDate;
/// use salesplan::calendar::DateRange;
/// use salesplan::territory::CoverageTable;
/// use salesplan::TerritoryId;
///
/// // A date range open from 1 January 2025, in its JSON form.
/// let always = serde_json::to_string(&DateRange::starting(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()))?;
/// let json = r#"[
///     {"territory": "bay", "position": "rep-1", "kind": "primary", "share": "60%", "effective": ALWAYS},
///     {"territory": "bay", "position": "rep-2", "kind": "primary", "share": "40%", "effective": ALWAYS}
/// ]"#;
/// let table: CoverageTable = serde_json::from_str(&json.replace("ALWAYS", &always))?;
/// assert_eq!(table.on(&TerritoryId::new("bay")?, NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()).len(), 2);
/// // An unknown field is refused, naming it; so are primaries short of 100%.
/// let err = serde_json::from_str::<CoverageTable>(
///     &r#"[{"territory": "bay", "position": "rep-1", "kind": "primary", "share": "100%", "effective": ALWAYS, "role": "x"}]"#
///         .replace("ALWAYS", &always),
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("unknown field `role`"));
/// let err = serde_json::from_str::<CoverageTable>(
///     &r#"[{"territory": "bay", "position": "rep-1", "kind": "primary", "share": "60%", "effective": ALWAYS}]"#
///         .replace("ALWAYS", &always),
/// )
/// .unwrap_err();
/// assert!(err.to_string().contains("adding up to 0.6"));
/// # }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "Vec<Coverage>"))]
#[cfg_attr(feature = "serde", serde(into = "Vec<Coverage>"))]
pub struct CoverageTable {
    /// By territory, then kind, position and start.
    records: Vec<Coverage>,
}

impl TryFrom<Vec<Coverage>> for CoverageTable {
    type Error = TerritoryError;
    fn try_from(records: Vec<Coverage>) -> Result<CoverageTable, TerritoryError> {
        CoverageTable::new(records)
    }
}

impl From<CoverageTable> for Vec<Coverage> {
    fn from(table: CoverageTable) -> Vec<Coverage> {
        table.records
    }
}

impl CoverageTable {
    /// Validates `records`.
    ///
    /// # Errors
    ///
    /// [`TerritoryError::OverlappingCoverage`] when one position covers
    /// one territory twice on a day (whatever the kinds);
    /// [`TerritoryError::PrimaryShares`] naming the territory, the first
    /// day and the sum when the primaries' shares do not add up to exactly
    /// 100%.
    pub fn new(mut records: Vec<Coverage>) -> Result<CoverageTable, TerritoryError> {
        records.sort_by(|a, b| {
            (&a.territory, a.kind, &a.position, a.effective).cmp(&(
                &b.territory,
                b.kind,
                &b.position,
                b.effective,
            ))
        });
        for group in records.chunk_by(|a, b| a.territory == b.territory) {
            let mut by_position: Vec<&Coverage> = group.iter().collect();
            by_position.sort_by(|a, b| (&a.position, a.effective).cmp(&(&b.position, b.effective)));
            for pair in by_position.windows(2) {
                if let [a, b] = pair
                    && a.position == b.position
                    && a.effective.overlaps(&b.effective)
                {
                    return Err(TerritoryError::OverlappingCoverage {
                        territory: a.territory.clone(),
                        position: a.position.clone(),
                        first: a.effective,
                        second: b.effective,
                    });
                }
            }
            check_primaries(group)?;
        }
        Ok(CoverageTable { records })
    }

    /// Every record, by territory, kind, position and start.
    pub fn records(&self) -> &[Coverage] {
        &self.records
    }

    fn group(&self, territory: &TerritoryId) -> &[Coverage] {
        let from = self.records.partition_point(|c| c.territory < *territory);
        let to = self.records.partition_point(|c| c.territory <= *territory);
        self.records.get(from..to).unwrap_or_default()
    }

    /// Who covers `territory` on `date`: the primaries (shares summing to
    /// exactly 100%, or none when the territory is uncovered), then the
    /// overlays, each by position id.
    pub fn on(&self, territory: &TerritoryId, date: NaiveDate) -> Vec<CoverageShare> {
        self.group(territory)
            .iter()
            .filter(|c| c.effective.contains(date))
            .map(|c| CoverageShare::new(c.position.clone(), c.kind, c.share))
            .collect()
    }
}

/// Checks that on every day some primary covers the territory, the
/// primaries' shares add up to exactly 1.
fn check_primaries(group: &[Coverage]) -> Result<(), TerritoryError> {
    let primaries: Vec<&Coverage> = group
        .iter()
        .filter(|c| c.kind == CoverageKind::Primary)
        .collect();
    let mut cuts: Vec<NaiveDate> = primaries
        .iter()
        .flat_map(|c| std::iter::once(c.effective.from()).chain(c.effective.until()))
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    for day in cuts {
        let mut active = primaries
            .iter()
            .filter(|c| c.effective.contains(day))
            .peekable();
        let Some(first) = active.peek() else { continue };
        let territory = first.territory.clone();
        let sum = active.try_fold(Decimal::ZERO, |acc, c| {
            crate::money::add(acc, c.share.fraction()).map_err(|source| {
                TerritoryError::Arithmetic {
                    what: format!("primary shares of {territory}"),
                    source,
                }
            })
        })?;
        if sum != Decimal::ONE {
            return Err(TerritoryError::PrimaryShares {
                territory,
                date: day,
                sum,
            });
        }
    }
    Ok(())
}

/// Territory-based crediting: an [`Alignment`] (which territory each
/// account is in) with a [`CoverageTable`] (who covers each territory when).
/// The crate's [`CoverageSource`].
///
/// Build it from an assignment's alignment (or a rebalanced or realigned
/// one) and the coverage table.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use salesplan::calendar::DateRange;
/// use salesplan::territory::{
///     Alignment, Coverage, CoverageKind, CoverageSource, CoverageTable, TerritoryCoverage,
/// };
/// use salesplan::{AccountId, PositionId, TerritoryError, TerritoryId};
///
/// let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
/// let p = |s: &str| PositionId::new(s).unwrap();
/// let (bay, la) = (TerritoryId::new("bay")?, TerritoryId::new("la")?);
/// let acme = AccountId::new("acme")?;
/// let h1 = DateRange::new(d(1, 1), Some(d(7, 1)))?;
/// let coverage = CoverageTable::new(vec![
///     Coverage::primary(bay.clone(), p("rep-1"), h1),
///     Coverage::primary(bay.clone(), p("rep-2"), DateRange::starting(d(7, 1))),
///     Coverage::new(bay.clone(), p("specialist"), CoverageKind::Overlay, "50%".parse()?, h1),
/// ])?;
/// let alignment = Alignment::new([(acme.clone(), bay), (AccountId::new("zeta")?, la)])?;
/// let source = TerritoryCoverage::new(alignment, coverage);
///
/// let march = source.coverage(&acme, d(3, 1))?;
/// assert_eq!(march.len(), 2);
/// assert_eq!((march[0].position(), march[0].kind()), (&p("rep-1"), CoverageKind::Primary));
/// assert_eq!(march[1].share().to_string(), "50%");
/// assert_eq!(source.coverage(&acme, d(8, 1))?[0].position(), &p("rep-2"));
/// // LA has nobody: an empty list. An account it cannot place: an error.
/// assert!(source.coverage(&AccountId::new("zeta")?, d(3, 1))?.is_empty());
/// assert!(matches!(
///     source.coverage(&AccountId::new("nobody")?, d(3, 1)),
///     Err(TerritoryError::UnplacedAccount { .. })
/// ));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// In JSON, `{"alignment": [[account, territory], ..], "coverage":
/// [coverage record, ..]}`, each part checked as on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct TerritoryCoverage {
    alignment: Alignment,
    coverage: CoverageTable,
}

impl TerritoryCoverage {
    /// Accounts placed by `alignment`, territories covered per `coverage`.
    pub fn new(alignment: Alignment, coverage: CoverageTable) -> TerritoryCoverage {
        TerritoryCoverage {
            alignment,
            coverage,
        }
    }

    /// The alignment.
    pub fn alignment(&self) -> &Alignment {
        &self.alignment
    }

    /// The coverage table.
    pub fn table(&self) -> &CoverageTable {
        &self.coverage
    }
}

impl CoverageSource for TerritoryCoverage {
    /// The coverage of the account's territory on `date`
    /// ([`CoverageTable::on`]).
    ///
    /// # Errors
    ///
    /// [`TerritoryError::UnplacedAccount`] for an account the alignment
    /// does not place (unassigned, in conflict, or unknown).
    fn coverage(
        &self,
        account: &AccountId,
        date: NaiveDate,
    ) -> Result<Vec<CoverageShare>, TerritoryError> {
        let territory = self.alignment.territory_of(account).ok_or_else(|| {
            TerritoryError::UnplacedAccount {
                account: account.clone(),
            }
        })?;
        Ok(self.coverage.on(territory, date))
    }
}
