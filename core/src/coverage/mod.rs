//! Index coverage of one table: each index drawn against the columns it covers ([`grid`]), and
//! what the table needs indexes for, its foreign keys and the columns its RLS policies filter on,
//! each covered or not ([`needs`]); duplicate and redundant indexes marked.
//!
//! ```text
//! Snapshot + table key ─of / with_filters─▶ Coverage { rows × indexes cells, needs, marks }
//! ```
//!
//! Invariants:
//! - Pure and deterministic: reads the model (and the assumptions) only, plain serde data out,
//!   the same input gives the same rows, indexes and needs in the same order.
//! - Never disagrees with the health checks: "not covered" is exactly a finding of
//!   `unindexed_foreign_keys` or `rls_filter_column_unindexed`, `duplicate_of` exactly a finding
//!   of `duplicate_index`, because this module calls those rules' own functions (the test
//!   `marks_agree_with_the_checks` holds it to that on every fixture and GitLab's schema).
//!   `redundant_with` (a leading prefix of another index) has no rule; it is this view's own.
//! - Where a rule does not look (a partition, RLS off, the platform's schemas), the [`Scope`]
//!   says why instead of an empty list that would read as "nothing needed".
//! - [`of`] parses policy expressions (the RLS rule's column extraction needs PostgreSQL's
//!   parser); [`with_filters`] does not: it takes every table's filtered columns from
//!   [`filter_columns`], which a worker computes with the findings. The app calls that one, so
//!   its wasm never links the parser, and still lists covered RLS columns as well as uncovered.

pub mod grid;
pub mod needs;

#[cfg(test)]
mod tests;

use crate::access::Assumptions;
use crate::checks::{ChecksConfig, Context};
use crate::model::{Snapshot, Span};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// The table's key.
    pub table: String,
    /// The grid's rows: the table's columns in table order, then each distinct expression key
    /// (`lower(email)`) in the order the indexes, by name, first use them.
    pub rows: Vec<Row>,
    /// The table's indexes in grid order: by the row of their first key, fewer keys first, then
    /// by name (so an index sits next to the ones it repeats or extends).
    pub indexes: Vec<IndexInfo>,
    /// The foreign keys, in name order, with the index that covers each.
    pub foreign_keys: Vec<FkNeed>,
    pub foreign_keys_scope: Scope,
    /// The columns row level security filters on, in table order, with the index that covers each.
    pub rls_filters: Vec<RlsNeed>,
    pub rls_scope: Scope,
    /// Whether duplicates (and redundant indexes) were looked for.
    pub duplicates_scope: Scope,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The column's name, or the expression as written in the index.
    pub label: String,
    /// The column's type; `None` for an expression key.
    pub data_type: Option<String>,
    pub primary_key: bool,
    /// Part of some foreign key of the table.
    pub foreign_key: bool,
    /// Compared by some RLS policy's USING (one of [`Coverage::rls_filters`]).
    pub rls_filter: bool,
    /// One cell per index, indexed like [`Coverage::indexes`].
    pub cells: Vec<Option<Cell>>,
}

/// What an index holds of a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cell {
    /// A key, at this 1-based position.
    Key(u32),
    /// An `INCLUDE` column: stored in the index, not searchable.
    Include,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexInfo {
    pub name: String,
    pub unique: bool,
    /// Backs the table's primary key.
    pub primary_key: bool,
    /// The constraint (PRIMARY KEY, UNIQUE, EXCLUDE) it backs.
    pub constraint: Option<String>,
    pub method: String,
    /// The predicate of a partial index, as written.
    pub predicate: Option<String>,
    pub include: Vec<String>,
    pub definition: String,
    pub span: Span,
    /// The partitioned parent's index this partition's index is attached to.
    pub attached_to: Option<String>,
    /// The index it repeats (same method, keys, INCLUDE and predicate), which `duplicate_index`
    /// says to keep.
    pub duplicate_of: Option<String>,
    /// An index whose keys this one's are a leading prefix of (btree, same predicate, its
    /// INCLUDE columns held there too), so every query it serves the other serves. Not for a
    /// unique index, one backing a constraint, or a partition's copy of its parent's index.
    pub redundant_with: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FkNeed {
    pub name: String,
    pub columns: Vec<String>,
    /// Key of the referenced table.
    pub references: String,
    pub referenced_columns: Vec<String>,
    /// The index leading with the key's columns (in any order), not partial.
    pub covered_by: Option<String>,
    /// `unindexed_foreign_keys`'s fix, when not covered.
    pub fix: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RlsNeed {
    pub column: String,
    /// The policies whose USING compares it, in name order.
    pub policies: Vec<String>,
    /// The non-partial index whose first key it is.
    pub covered_by: Option<String>,
    /// `rls_filter_column_unindexed`'s fix, when not covered.
    pub fix: Option<String>,
}

/// How complete a list of needs (or the duplicate marks) is, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// The rule looked at this table: the list is complete.
    Checked,
    /// A partition: the parent's indexes serve it, and the rules judge the parent.
    Parent { table: String },
    /// Row level security is off: no policy filters the rows.
    RlsDisabled,
    /// A table of the platform's schemas (or, for duplicates, an extension's): the rules skip it.
    Platform,
}

/// The coverage of the table `table_key`, `None` when the snapshot has no such table.
pub fn of(snapshot: &Snapshot, table_key: &str, assumptions: &Assumptions) -> Option<Coverage> {
    let config = ChecksConfig::default();
    of_in(&Context::new(snapshot, assumptions, &config), table_key)
}

/// [`of`] with a context shared across tables (and with the checks it is compared with).
pub(crate) fn of_in(cx: &Context, table_key: &str) -> Option<Coverage> {
    let mut c = grid::base(cx, table_key)?;
    let t = &cx.snap.tables[table_key];
    (c.rls_filters, c.rls_scope) = needs::rls(cx, t);
    Some(grid::finish(c, t))
}

/// The columns the RLS policies of each table filter on, with those policies' names (the part of
/// [`of`] that needs the parser), for every table the RLS rule looks at; tables where no policy
/// filters on a column are left out.
pub type FilterColumns = BTreeMap<String, Vec<(String, Vec<String>)>>;

pub fn filter_columns(snapshot: &Snapshot, assumptions: &Assumptions) -> FilterColumns {
    let config = ChecksConfig::default();
    let cx = Context::new(snapshot, assumptions, &config);
    cx.tables()
        .filter_map(|(key, t)| {
            let f = needs::filtered(&cx, t)?;
            (!f.is_empty()).then(|| (key.clone(), f))
        })
        .collect()
}

/// [`of`] without parsing anything: the RLS filter columns come from [`filter_columns`] (computed
/// under the same `assumptions`).
pub fn with_filters(snapshot: &Snapshot, table_key: &str, assumptions: &Assumptions, filters: &FilterColumns) -> Option<Coverage> {
    let config = ChecksConfig::default();
    let cx = Context::new(snapshot, assumptions, &config);
    let mut c = grid::base(&cx, table_key)?;
    let t = &snapshot.tables[table_key];
    (c.rls_filters, c.rls_scope) = needs::rls_with(t, filters.get(table_key).map_or(&[][..], |f| &f[..]));
    Some(grid::finish(c, t))
}
