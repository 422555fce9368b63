//! [`Execution`]: whether an entry point that can spread its work over
//! threads does so. Every such entry point takes it the same way, as a
//! builder method `.execution(..)` on its options or its engine.

/// How to run the work of an entry point that can run in parallel
/// ([`SumOptions`](crate::rollup::SumOptions),
/// [`Crediting`](crate::credit::Crediting),
/// [`Commissions`](crate::comp::Commissions)).
///
/// The result is the same either way, to the cent and in the same order.
///
/// ```
/// use salesplan::Execution;
///
/// assert_eq!(Execution::default(), Execution::Sequential);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Execution {
    /// On the calling thread.
    #[default]
    Sequential,
    /// Over rayon's thread pool when the `parallel` feature is on (one shard
    /// per thread, merged); on the calling thread otherwise. The result is
    /// the same either way.
    Parallel,
}
