//! Commission plans and statements.
