//! Credit: see issue 6.
