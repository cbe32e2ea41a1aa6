//! `<table>_id` columns whose type is not the type of `<table>.id`.
//!
//! ## What it finds
//! A column named `<x>_id` that no foreign key covers, where `<x>` names a table (`school_id` and
//! `schools`, also `x`, `xes`, `xies` for `xy`; a table in the column's own schema first, else the
//! only one of that name), whose type differs from that table's `id` column (or its `<x>_id` column
//! when it has no `id`). When the table has neither, and for the configured tenant keys
//! (`[checks] tenant_keys`) that name no table, the `<x>_id` columns are compared with each other and
//! the ones that differ from the most common type are reported. P2 when both types are text types
//! that only differ in length. A text column named like an integer key (`slack_integrations.user_id
//! character varying` next to `users.id bigint`) is taken for another system's id and not reported.
//!
//! ## Why it matters
//! The name says the column holds that table's ids, and nothing enforces it: an `integer school_id`
//! next to a `bigint schools.id` overflows at 2^31, a `text` one next to a `uuid` key needs a cast in
//! every join (which then cannot use the index), and the mismatch usually means a foreign key was
//! never added. Columns with a foreign key are left to `fk_type_mismatch`.
//!
//! ## How to fix
//! Change the column to the key's type (and add the foreign key the name promises):
//! `ALTER TABLE public.t ALTER COLUMN school_id TYPE bigint USING school_id::bigint;`
//!
//! ## Assumptions
//! That a column named `<x>_id` holds ids of the table `<x>` names: a name, not a declared fact.
//! Partitions are checked through their parent; tables in Supabase's own schemas and in schemas that
//! extensions were installed into are not checked (they may still be the referenced table).

use super::integrity_batch_util::{not_app_schema, textual};
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use crate::model::{Column, ConstraintKind, Table};
use std::collections::{BTreeMap, HashMap, HashSet};

pub static RULE: Rule = Rule {
    id: "id_type_inconsistent",
    category: Category::Integrity,
    priority: Priority::P1,
    source: include_str!("id_type_inconsistent.rs"),
    check,
};

/// Table names `<x>_id` may refer to, most likely first.
fn candidates(prefix: &str) -> Vec<String> {
    let mut v = vec![prefix.to_string(), format!("{prefix}s"), format!("{prefix}es")];
    if let Some(stem) = prefix.strip_suffix('y') {
        v.push(format!("{stem}ies"));
    }
    v
}

struct Use<'a> {
    key: &'a str,
    table: &'a Table,
    column: &'a Column,
}

fn check(cx: &Context, out: &mut Emitter) {
    let mut by_name: HashMap<&str, Vec<(&String, &Table)>> = HashMap::new();
    for (key, t) in cx.tables() {
        if t.partition_of.is_none() {
            by_name.entry(t.name.as_str()).or_default().push((key, t));
        }
    }
    let target = |prefix: &str, schema: &str| -> Option<(&String, &Table)> {
        for name in candidates(prefix) {
            let Some(found) = by_name.get(name.as_str()) else {
                continue;
            };
            if let Some(same) = found.iter().find(|(_, t)| t.schema == schema) {
                return Some(*same);
            }
            return (found.len() == 1).then(|| found[0]);
        }
        None
    };
    // Columns compared with each other, by name.
    let mut peers: BTreeMap<&str, Vec<Use>> = BTreeMap::new();
    for (key, t) in cx.tables() {
        if t.partition_of.is_some() || not_app_schema(cx, &t.schema) {
            continue;
        }
        let fk_columns: HashSet<&str> = t
            .constraints
            .values()
            .filter(|c| c.kind == ConstraintKind::ForeignKey)
            .flat_map(|c| c.columns.iter().map(String::as_str))
            .collect();
        for c in t.columns.iter().filter(|c| !c.inherited) {
            let Some(prefix) = c.name.strip_suffix("_id").filter(|p| !p.is_empty()) else {
                continue;
            };
            if fk_columns.contains(c.name.as_str()) {
                continue;
            }
            let found = target(prefix, &t.schema).filter(|(k, _)| *k != key);
            if let Some((tkey, tt)) = found {
                let id = tt.columns.iter().find(|x| x.name == "id").or_else(|| tt.columns.iter().find(|x| x.name == c.name));
                if let Some(id) = id {
                    // A text column named like an integer key is usually another system's id (a
                    // Slack `user_id` next to the app's `users.id bigint`): not the same key.
                    let external = textual(&c.data_type) && matches!(id.data_type.as_str(), "smallint" | "integer" | "bigint");
                    if id.data_type != c.data_type && !external {
                        emit(
                            out,
                            key,
                            t,
                            c,
                            &id.data_type,
                            format!("{key}.{} is {} but {tkey}.{} is {}", c.name, c.data_type, id.name, id.data_type),
                            format!("{key}.{} holds ids of {tkey} (from its name: no foreign key says so)", c.name),
                        );
                    }
                    continue;
                }
            }
            if found.is_some() || cx.config.tenant_keys.iter().any(|k| k == &c.name) {
                peers.entry(c.name.as_str()).or_default().push(Use { key, table: t, column: c });
            }
        }
    }
    for (name, uses) in peers {
        let mut counts: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for u in &uses {
            counts.entry(u.column.data_type.as_str()).or_default().push(u.key);
        }
        if counts.len() < 2 {
            continue;
        }
        // The most common type (ties: the first by name) is taken as the intended one.
        let (common, tables) =
            counts.iter().max_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| b.0.cmp(a.0))).map(|(t, k)| (*t, k.clone())).unwrap();
        let shown: Vec<&str> = tables.iter().take(3).copied().collect();
        let more = if tables.len() > 3 { format!(" and {} more", tables.len() - 3) } else { String::new() };
        for u in uses.iter().filter(|u| u.column.data_type != common) {
            emit(
                out,
                u.key,
                u.table,
                u.column,
                common,
                format!(
                    "{}.{name} is {} while {name} is {common} in {} other table{} ({}{more})",
                    u.key,
                    u.column.data_type,
                    tables.len(),
                    if tables.len() == 1 { "" } else { "s" },
                    shown.join(", ")
                ),
                format!("every {name} column holds the same kind of id (from the name: no foreign key says so)"),
            );
        }
    }
}

fn emit(out: &mut Emitter, key: &str, t: &Table, c: &Column, expected: &str, message: String, assumption: String) {
    let col = crate::build::quote_ident(&c.name);
    let priority = if textual(&c.data_type) && textual(expected) { Priority::P2 } else { Priority::P1 };
    out.emit(
        Draft::new(key, message)
            .subject(&c.name)
            .fix(format!("ALTER TABLE {} ALTER COLUMN {col} TYPE {expected} USING {col}::{expected};", qualified(&t.schema, &t.name)))
            .span(t.span)
            .assume([assumption])
            .priority(priority),
    );
}
