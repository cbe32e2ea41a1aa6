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
use crate::model::{Constraint, ConstraintKind, Index, Table};

pub static RULE: Rule = Rule {
    id: "unindexed_foreign_keys",
    category: Category::Performance,
    priority: Priority::P1,
    source: include_str!("unindexed_foreign_keys.rs"),
    check,
};

/// The first index on `t` (by name) that starts with exactly the columns `cols`, in any order,
/// and is not partial (a partial index only serves queries that repeat its predicate).
pub fn leading_index<'a>(t: &'a Table, cols: &[String]) -> Option<&'a Index> {
    t.indexes.values().find(|i| {
        i.keys.len() >= cols.len()
            && i.predicate.is_none()
            && i.keys[..cols.len()].iter().all(|k| k.column.as_ref().is_some_and(|c| cols.contains(c)))
    })
}

/// The foreign keys this rule judges on `t`: none on a partition (the parent's indexes cover
/// it), and not the copies a partition gets of its parent's keys.
pub(crate) fn checked_keys(t: &Table) -> impl Iterator<Item = &Constraint> {
    let partition = t.partition_of.is_some();
    t.constraints.values().filter(move |c| !partition && c.kind == ConstraintKind::ForeignKey && c.inherited_from.is_none())
}

/// The index that would cover the key `cols` of `t`.
pub(crate) fn fix(t: &Table, cols: &[String]) -> String {
    let cols = cols.iter().map(|c| crate::build::quote_ident(c)).collect::<Vec<_>>().join(", ");
    format!("CREATE INDEX CONCURRENTLY ON {} ({cols});", qualified(&t.schema, &t.name))
}

fn check(cx: &Context, out: &mut Emitter) {
    for (key, t) in cx.tables() {
        for c in checked_keys(t).filter(|c| leading_index(t, &c.columns).is_none()) {
            out.emit(
                Draft::new(
                    key,
                    format!("foreign key {} on {key} ({}) has no index leading with its columns", c.name, c.columns.join(", ")),
                )
                .subject(&c.name)
                .fix(fix(t, &c.columns))
                .span(c.span),
            );
        }
    }
}
