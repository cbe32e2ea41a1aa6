//! Foreign keys whose columns no index leads with.
//!
//! ## What it finds
//! A foreign key whose columns are not the leading columns (in any order) of some index on the
//! referencing table. Same as Supabase's advisor lint `unindexed_foreign_keys`.
//!
//! ## Why it matters
//! Deleting or updating a referenced row scans the whole referencing table to check the constraint, and
//! joins along the key cannot use an index: both get slower as the table grows, and the scans take locks.
//!
//! ## How to fix
//! `CREATE INDEX CONCURRENTLY ON public.t (fk_column);`
//!
//! ## Assumptions
//! None. Partitions are checked through their parent (an index on the parent covers them).

use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use crate::model::{ConstraintKind, Table};

pub static RULE: Rule = Rule {
    id: "unindexed_foreign_keys",
    category: Category::Performance,
    priority: Priority::P1,
    source: include_str!("unindexed_foreign_keys.rs"),
    check,
};

/// Whether some index on `t` starts with exactly the columns `cols` (in any order).
pub fn leading_index(t: &Table, cols: &[String]) -> bool {
    t.indexes.values().any(|i| {
        i.keys.len() >= cols.len()
            && i.predicate.is_none()
            && i.keys[..cols.len()].iter().all(|k| k.column.as_ref().is_some_and(|c| cols.contains(c)))
    })
}

fn check(cx: &Context, out: &mut Emitter) {
    for (key, t) in cx.tables() {
        if t.partition_of.is_some() {
            continue;
        }
        for c in t.constraints.values() {
            if c.kind != ConstraintKind::ForeignKey || c.inherited_from.is_some() || leading_index(t, &c.columns) {
                continue;
            }
            let cols = c.columns.iter().map(|c| crate::build::quote_ident(c)).collect::<Vec<_>>().join(", ");
            out.emit(
                Draft::new(
                    key,
                    format!("foreign key {} on {key} ({}) has no index leading with its columns", c.name, c.columns.join(", ")),
                )
                .subject(&c.name)
                .fix(format!("CREATE INDEX CONCURRENTLY ON {} ({cols});", qualified(&t.schema, &t.name)))
                .span(c.span),
            );
        }
    }
}
