//! comp.
