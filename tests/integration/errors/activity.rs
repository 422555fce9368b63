//! activity.
