/// Activity kinds, targets and logs (see [`crate::activity`]).
/// Every variant names the ids and values involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ActivityError {
    /// Placeholder until the module lands.
    #[error("not yet implemented")]
    Unimplemented,
}
