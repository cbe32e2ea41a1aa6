//! Foreign key columns whose type differs from the column they reference.
//!
//! ## What it finds
//! A foreign key column whose type is not the referenced column's type: `integer` referencing `bigint`,
//! `text` referencing `uuid` through a cast; P2 when both are text types that only differ in length
//! (`character varying(50)` referencing `character varying(100)`).
//! (PostgreSQL refuses a key between types with no equality operator, such as `integer` and `uuid`, so a
//! dump with one has a failing statement, reported as a diagnostic; this rule finds the ones it accepts.)
//!
//! ## Why it matters
//! The comparison needs a cast on every check and join, indexes on one side may go unused, and the
//! narrower side overflows first: an `integer` key pointing at a `bigint` id breaks at 2^31 rows.
//!
//! ## How to fix
//! Change the referencing column to the referenced type: `ALTER TABLE t ALTER COLUMN c TYPE bigint;`
//!
//! ## Assumptions
//! None.

use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use crate::model::ConstraintKind;

pub static RULE: Rule = Rule {
    id: "fk_type_mismatch",
    category: Category::Integrity,
    priority: Priority::P0,
    source: include_str!("fk_type_mismatch.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    for (key, t) in cx.tables() {
        for c in t.constraints.values() {
            let Some(fk) = c.foreign_key.as_ref().filter(|_| c.kind == ConstraintKind::ForeignKey && c.inherited_from.is_none()) else {
                continue;
            };
            let Some(target) = cx.snap.tables.get(&fk.table) else {
                continue;
            };
            for (col, ref_col) in c.columns.iter().zip(&fk.columns) {
                let (Some(a), Some(b)) = (t.columns.iter().find(|x| &x.name == col), target.columns.iter().find(|x| &x.name == ref_col))
                else {
                    continue;
                };
                if a.data_type == b.data_type {
                    continue;
                }
                // Text of different declared lengths compares without trouble: hygiene, not a bug.
                let textual = |t: &str| t == "text" || t.starts_with("character varying") || t.starts_with("character(");
                let priority = if textual(&a.data_type) && textual(&b.data_type) { Priority::P2 } else { Priority::P0 };
                out.emit(
                    Draft::new(
                        key,
                        format!(
                            "{key}.{col} is {} but references {}.{ref_col}, which is {} (foreign key {})",
                            a.data_type, fk.table, b.data_type, c.name
                        ),
                    )
                    .subject(format!("{}/{col}", c.name))
                    .fix(format!(
                        "ALTER TABLE {} ALTER COLUMN {} TYPE {};",
                        qualified(&t.schema, &t.name),
                        crate::build::quote_ident(col),
                        b.data_type
                    ))
                    .span(c.span)
                    .priority(priority),
                );
            }
        }
    }
}
