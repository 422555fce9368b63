//! bonus.
