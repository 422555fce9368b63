//! Crediting: from transactions to credited amounts per person and
//! position, with splits, overlays, roll-ups and reversals.
//!
//! (Being built: see issue 6.)
