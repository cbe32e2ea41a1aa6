//! Columns that row level security filters on with no index to find the rows.
//!
//! ## What it finds
//! A column of a table with RLS enabled that a policy's USING compares with `=` or `IN` (bare, or
//! qualified by the table's name; also the left side of `IN (SELECT ...)`), when no index on the
//! table leads with that column. A primary key, a UNIQUE constraint or any plain index whose first
//! key is the column counts; a partial index does not (it only serves queries that repeat its
//! predicate). One finding per column, naming the policies that filter on it.
//!
//! Boolean columns are skipped (`is_public = true` matches too many rows for an index to help), as
//! are WITH CHECK expressions (checked on the new row, no scan), partitions (the parent's indexes
//! cover them) and tables of Supabase's own schemas (the app cannot index them).
//!
//! ## Why it matters
//! PostgreSQL adds the policy's USING to every query on the table. Without an index on the column
//! it compares, even `SELECT * FROM t WHERE id = 1` can end up reading the policy column for every
//! row, and a `select *` from the API scans the whole table to return one user's rows: it gets slower
//! as the table grows. Supabase's performance guide names this as the first RLS optimisation.
//!
//! ## How to fix
//! `CREATE INDEX CONCURRENTLY ON public.t (user_id);`
//!
//! ## Assumptions
//! Which roles bypass RLS: a policy only for them (Supabase: `service_role`) filters nothing and is
//! ignored. Whether the table is large enough for the scan to
//! hurt is not.

use super::policy_conventions_util::{applies_to_some_role, has_using, managed_schema, refs, roles_assumption};
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use crate::model::{Index, Policy, Table};
use std::collections::BTreeMap;

pub static RULE: Rule = Rule {
    id: "rls_filter_column_unindexed",
    category: Category::Performance,
    priority: Priority::P1,
    source: include_str!("rls_filter_column_unindexed.rs"),
    check,
};

/// The first non-partial index on `t` (by name) whose first key is `column`.
pub(crate) fn leads<'a>(t: &'a Table, column: &str) -> Option<&'a Index> {
    t.indexes.values().find(|i| i.predicate.is_none() && i.keys.first().and_then(|k| k.column.as_deref()) == Some(column))
}

/// Whether the rule looks at `t` at all: RLS on, not a partition (the parent's indexes cover
/// it), not a table of the platform's schemas.
pub(crate) fn in_scope(t: &Table) -> bool {
    t.rls_enabled && t.partition_of.is_none() && !managed_schema(&t.schema)
}

/// The columns of `t` that the USING of a policy consulted for some role compares with `=` or
/// `IN` (booleans left out), each with those policies in name order.
pub(crate) fn filtered<'a>(cx: &Context, t: &'a Table) -> BTreeMap<&'a str, Vec<&'a Policy>> {
    let mut filtered: BTreeMap<&str, Vec<&Policy>> = BTreeMap::new();
    for p in t.policies.values().filter(|p| has_using(p) && applies_to_some_role(cx, p)) {
        let Some(r) = p.using.as_ref().and_then(|u| refs(cx, t, &u.canonical)) else {
            continue;
        };
        for col in &r.compared {
            let Some(c) = t.columns.iter().find(|c| &c.name == col) else {
                continue;
            };
            if c.data_type == "boolean" {
                continue;
            }
            filtered.entry(c.name.as_str()).or_default().push(p);
        }
    }
    filtered
}

/// The index that would serve the filter on `column` of `t`.
pub(crate) fn fix(t: &Table, column: &str) -> String {
    format!("CREATE INDEX CONCURRENTLY ON {} ({});", qualified(&t.schema, &t.name), crate::build::quote_ident(column))
}

const MESSAGE_POLICIES: [&str; 2] = [" is compared in the USING of ", " but no index leads with it"];

fn check(cx: &Context, out: &mut Emitter) {
    for (tkey, t) in cx.tables().filter(|(_, t)| in_scope(t)) {
        for (col, policies) in filtered(cx, t) {
            if leads(t, col).is_some() {
                continue;
            }
            let names: Vec<&str> = policies.iter().map(|p| p.name.as_str()).collect();
            let n = if names.len() == 1 { "policy" } else { "policies" };
            let [using, no_index] = MESSAGE_POLICIES;
            out.emit(
                Draft::new(tkey, format!("{tkey}.{col}{using}{n} {}{no_index}, so the row filter scans the table", names.join(", ")))
                    .subject(col)
                    .fix(fix(t, col))
                    .span(policies[0].span)
                    .assume(roles_assumption(cx)),
            );
        }
    }
}
