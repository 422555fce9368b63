/// Commission plans and statements (see [`crate::comp`]).
/// Every variant names the ids and values involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CompError {
    /// Placeholder until the module lands.
    #[error("not yet implemented")]
    Unimplemented,
}
