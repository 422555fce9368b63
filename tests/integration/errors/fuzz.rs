//! Regression tests for inputs the fuzz targets in `fuzz/` found: each one
//! is replayed here as a typed error (or a correct result), never a panic.
