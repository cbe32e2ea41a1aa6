//! Columns of type `timestamp without time zone`.
//!
//! ## What it finds
//! A table column whose type is `timestamp` (`timestamp without time zone`, with or without a
//! precision, or an array of it). Columns a partition or an inheritance child gets from its parent
//! are reported once, on the parent; tables of Supabase's own schemas and migration tools' tables
//! (`schema_migrations`, `ar_internal_metadata`, ...) are skipped.
//!
//! ## Why it matters
//! A `timestamp` stores a wall-clock reading with no zone: what it means depends on the session's
//! `TimeZone` when it was written and when it is read. Clients in different zones, a server moved to
//! another zone, or a DST change shift the values silently; comparisons with `now()` (a
//! `timestamptz`) convert through the session zone. PostgreSQL's own advice is "Don't use timestamp
//! (without time zone)" (wiki: Don't Do This). `timestamptz` stores an instant and costs the same
//! 8 bytes.
//!
//! ## How to fix
//! `ALTER TABLE public.t ALTER COLUMN c TYPE timestamp with time zone USING c AT TIME ZONE 'UTC';`
//! (`USING` says which zone the stored values were in; the suggested fix assumes UTC. The change
//! rewrites the table and its indexes under an exclusive lock, and views using the column must be
//! dropped and re-created around it. No fix is suggested for arrays, which need a new column, nor
//! for partition key columns, whose type cannot change: such a table must be re-created.)
//!
//! ## Assumptions
//! None: the types are in the dump.

use super::policy_conventions_util::{not_the_apps, own_columns};
use crate::build::quote_ident;
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};

pub static RULE: Rule = Rule {
    id: "timestamp_without_time_zone",
    category: Category::Conventions,
    priority: Priority::P2,
    source: include_str!("timestamp_without_time_zone.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    for (tkey, t) in cx.tables() {
        if t.partition_of.is_some() || not_the_apps(t) {
            continue;
        }
        for c in own_columns(cx, t) {
            if !(c.data_type.starts_with("timestamp") && c.data_type.contains("without time zone")) {
                continue;
            }
            let mut d =
                Draft::new(tkey, format!("{tkey}.{} is {}, which stores no time zone", c.name, c.data_type)).subject(&c.name).span(t.span);
            // An array would need a sub-select to convert, which ALTER COLUMN ... USING refuses; a
            // partition key column cannot change type at all.
            if !c.data_type.ends_with("[]") && !in_partition_key(t.partition_by.as_deref(), &c.name) {
                let col = quote_ident(&c.name);
                d = d.fix(format!(
                    "ALTER TABLE {} ALTER COLUMN {col} TYPE {} USING {col} AT TIME ZONE 'UTC';",
                    qualified(&t.schema, &t.name),
                    c.data_type.replace("without time zone", "with time zone")
                ));
            }
            out.emit(d);
        }
    }
}

/// Whether `column` appears in a `PARTITION BY` clause (canonical text: `RANGE (taken_at)`).
fn in_partition_key(partition_by: Option<&str>, column: &str) -> bool {
    let Some(text) = partition_by else {
        return false;
    };
    let mut words = Vec::new();
    let (mut word, mut quoted) = (String::new(), false);
    for ch in text.chars() {
        match ch {
            '"' => quoted = !quoted,
            c if quoted || c.is_alphanumeric() || c == '_' || c == '$' => word.push(c),
            _ => words.push(std::mem::take(&mut word)),
        }
    }
    words.push(word);
    words.iter().any(|w| w == column)
}
