//! The machinery that makes the domain modules fast, kept apart from the
//! rules they state.
//!
//! A domain module (`credit`, `comp`, `org`, `rollup`, …) reads as the
//! rule; what it needs to run over millions of rows (hashing, id indexes,
//! memory for scattered totals, …) lives here, behind narrow functions
//! that know nothing of commissions or crediting. Each kernel is tested
//! against a plain reference implementation of what it computes.
//!
//! The kernel is on the bottom floor: it imports no domain module.

pub(crate) mod by_target;
pub(crate) mod codes;
pub(crate) mod columns;
pub(crate) mod dense_sums;
pub(crate) mod fill;
pub(crate) mod group;
pub(crate) mod hash;
pub(crate) mod id_table;
pub(crate) mod int_index;
pub(crate) mod keyed_sums;
pub(crate) mod loads;
pub(crate) mod mem;
pub(crate) mod prefetch;
pub(crate) mod preorder;
pub(crate) mod rank_bits;
pub(crate) mod repeats;
pub(crate) mod row_index;
pub(crate) mod rows;
pub(crate) mod shards;
