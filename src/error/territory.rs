use crate::ids::TerritoryId;

/// Territories: the hierarchy, accounts, assignment rules, coverage,
/// balancing and realignment (see [`crate::territory`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TerritoryError {
    /// A territory that is not in the map.
    #[error("territory {territory} is not in the map")]
    UnknownTerritory {
        /// The territory.
        territory: TerritoryId,
    },
}
