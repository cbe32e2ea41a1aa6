//! `pg_policies` exports: importing them (CSV, JSON, psql's aligned output) and reconciling them
//! with the policies a dump declares.
//!
//! Invariants:
//! - Format detection looks at the content only, never at the file name.
//! - Importing never fails as a whole: a malformed export yields the rows that could be read and
//!   diagnostics naming what was expected (file, line, column).
//! - Expressions are compared after normalisation (the same canonical deparse the dump's
//!   policies carry), never as raw text.

pub mod export;
