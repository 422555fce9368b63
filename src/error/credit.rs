use crate::ids::TransactionId;

/// Crediting transactions to people and positions (see [`crate::credit`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CreditError {
    /// Two transactions with one id.
    #[error("transaction {transaction} appears twice")]
    DuplicateTransaction {
        /// The id.
        transaction: TransactionId,
    },
}
