//! Activity kinds, targets, logs and attainment.
