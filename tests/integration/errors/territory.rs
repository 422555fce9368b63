//! Territory: see issue 5.
