/// Bonuses and authority (see [`crate::bonus`]).
/// Every variant names the ids and values involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BonusError {
    /// Placeholder until the module lands.
    #[error("not yet implemented")]
    Unimplemented,
}
