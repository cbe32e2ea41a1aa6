//! Tables without a primary key.
//!
//! ## What it finds
//! An ordinary or partitioned table with no PRIMARY KEY constraint. When a unique, non-partial index
//! over NOT NULL columns already exists, the finding names it as the natural candidate. Same as
//! Supabase's advisor lint `no_primary_key`.
//!
//! ## Why it matters
//! Without a primary key rows have no stable identity: duplicates creep in, ORMs and admin tools
//! cannot update or delete a single row, logical replication (Supabase Realtime included) cannot
//! replicate UPDATE and DELETE unless the table is set to `REPLICA IDENTITY FULL`, and other tables
//! cannot reference it by a key.
//!
//! ## How to fix
//! Promote the existing unique key (`ALTER TABLE public.t ADD PRIMARY KEY USING INDEX t_code_idx;`
//! for a plain unique index, `ALTER TABLE public.t ADD PRIMARY KEY (code);` otherwise), add one on an
//! existing `id` column, or add a surrogate key:
//! `ALTER TABLE public.t ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;`
//!
//! ## Assumptions
//! None. Partitions are judged through their parent (a parent's primary key is every partition's),
//! foreign tables cannot have one, and Supabase's own schemas and schemas that extensions were
//! installed into are skipped.

use super::integrity_batch_util::not_app_schema;
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use crate::model::{ConstraintKind, Index, Table, TableKind};

pub static RULE: Rule =
    Rule { id: "no_primary_key", category: Category::Integrity, priority: Priority::P1, source: include_str!("no_primary_key.rs"), check };

/// A unique, non-partial, plain-column index whose columns are all NOT NULL: it could be the key.
fn candidate(t: &Table) -> Option<(&Index, Vec<String>)> {
    let mut found: Vec<(&Index, Vec<String>)> = t
        .indexes
        .values()
        .filter(|i| i.unique && i.predicate.is_none() && i.method == "btree" && !i.keys.is_empty())
        .filter_map(|i| {
            let cols: Option<Vec<String>> = i.keys.iter().map(|k| k.column.clone()).collect();
            let cols = cols?;
            cols.iter().all(|c| t.columns.iter().any(|x| &x.name == c && x.not_null)).then_some((i, cols))
        })
        .collect();
    // The narrowest key first, then by name.
    found.sort_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| a.0.name.cmp(&b.0.name)));
    found.into_iter().next()
}

fn check(cx: &Context, out: &mut Emitter) {
    for (key, t) in cx.tables() {
        if t.partition_of.is_some() || t.kind == TableKind::Foreign || not_app_schema(cx, &t.schema) {
            continue;
        }
        if t.constraints.values().any(|c| c.kind == ConstraintKind::PrimaryKey) {
            continue;
        }
        let table = qualified(&t.schema, &t.name);
        let (message, fix) = match candidate(t) {
            Some((i, cols)) => {
                let list = cols.iter().map(|c| crate::build::quote_ident(c)).collect::<Vec<_>>().join(", ");
                let fix = if i.constraint.is_none() && t.kind != TableKind::Partitioned {
                    format!("ALTER TABLE {table} ADD PRIMARY KEY USING INDEX {};", crate::build::quote_ident(&i.name))
                } else {
                    format!("ALTER TABLE {table} ADD PRIMARY KEY ({list});")
                };
                let message = format!(
                    "{key} has no primary key, although unique index {} on NOT NULL columns ({}) could be one",
                    i.name,
                    cols.join(", ")
                );
                (message, Some(fix))
            }
            // A partitioned table's key must include its partition key: no generic fix.
            None if t.kind == TableKind::Partitioned => {
                (format!("partitioned table {key} has no primary key (one must include its partition key)"), None)
            }
            None if t.columns.iter().any(|c| c.name == "id") => {
                (format!("{key} has no primary key (it has an id column)"), Some(format!("ALTER TABLE {table} ADD PRIMARY KEY (id);")))
            }
            None => (
                format!("{key} has no primary key"),
                Some(format!("ALTER TABLE {table} ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;")),
            ),
        };
        let mut d = Draft::new(key, message).span(t.span);
        if let Some(fix) = fix {
            d = d.fix(fix);
        }
        out.emit(d);
    }
}
