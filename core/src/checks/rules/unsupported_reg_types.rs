//! Table columns of reg* types that pg_upgrade cannot carry over.
//!
//! ## What it finds
//! A table column whose type is one of `regcollation`, `regconfig`, `regdictionary`, `regnamespace`,
//! `regoper`, `regoperator`, `regproc` or `regprocedure`, an array of one, or a domain or composite
//! type built on one. Same as Supabase's advisor lint `unsupported_reg_types` (which lists the same
//! types); `regclass`, `regrole` and `regtype` are fine.
//!
//! ## Why it matters
//! These types store the OID of a catalog object. `pg_upgrade` keeps table data as it is but gives
//! those objects new OIDs, so it refuses to upgrade a database that has such columns: a major version
//! upgrade (Supabase's included) is blocked until they are gone.
//!
//! ## How to fix
//! Store the object's name instead:
//! `ALTER TABLE public.t ALTER COLUMN fn TYPE text USING fn::text;` (cast back with `::regproc` when
//! reading), or `regclass`/`regtype` when the column names a relation or a type.
//!
//! ## Assumptions
//! None. Partitions are checked through their parent (the columns are the same), and Supabase's own
//! schemas and schemas that extensions were installed into are skipped.

use super::integrity_batch_util::not_app_schema;
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use crate::model::{TypeDef, TypeKind};
use std::collections::HashMap;

pub static RULE: Rule = Rule {
    id: "unsupported_reg_types",
    category: Category::Integrity,
    priority: Priority::P2,
    source: include_str!("unsupported_reg_types.rs"),
    check,
};

const UNSUPPORTED: [&str; 8] =
    ["regcollation", "regconfig", "regdictionary", "regnamespace", "regoper", "regoperator", "regproc", "regprocedure"];

/// The unsupported reg* type `data_type` is or is built on, looking through arrays, domains and
/// composite types (`depth` guards against cycles).
fn reg_type<'a>(data_type: &'a str, types: &HashMap<String, &'a TypeDef>, depth: u32) -> Option<&'a str> {
    let base = data_type.trim_end_matches("[]");
    let bare = base.strip_prefix("pg_catalog.").unwrap_or(base);
    if let Some(t) = UNSUPPORTED.iter().find(|t| **t == bare) {
        return Some(t);
    }
    if depth > 8 {
        return None;
    }
    match &types.get(base)?.kind {
        TypeKind::Domain { base, .. } => reg_type(base, types, depth + 1),
        TypeKind::Composite { attributes } => attributes.iter().find_map(|(_, t)| reg_type(t, types, depth + 1)),
        _ => None,
    }
}

fn check(cx: &Context, out: &mut Emitter) {
    // Types by the names a column's type can carry: `schema.name` (quoted as format_type does) and
    // the bare name.
    let mut types: HashMap<String, &TypeDef> = HashMap::new();
    for t in cx.snap.types.values() {
        types.insert(qualified(&t.schema, &t.name), t);
        types.entry(crate::build::quote_ident(&t.name)).or_insert(t);
    }
    for (key, t) in cx.tables() {
        if t.partition_of.is_some() || not_app_schema(cx, &t.schema) {
            continue;
        }
        for c in t.columns.iter().filter(|c| !c.inherited) {
            let Some(reg) = reg_type(&c.data_type, &types, 0) else {
                continue;
            };
            let direct = c.data_type.trim_end_matches("[]").trim_start_matches("pg_catalog.") == reg;
            let through = if direct { String::new() } else { format!(" (built on {reg})") };
            let mut d = Draft::new(
                key,
                format!(
                    "{key}.{} is of type {}{through}, which stores catalog OIDs that pg_upgrade cannot carry over",
                    c.name, c.data_type
                ),
            )
            .subject(&c.name)
            .span(t.span);
            if direct {
                let text = if c.data_type.ends_with("[]") { "text[]" } else { "text" };
                let col = crate::build::quote_ident(&c.name);
                d = d.fix(format!("ALTER TABLE {} ALTER COLUMN {col} TYPE {text} USING {col}::{text};", qualified(&t.schema, &t.name)));
            }
            out.emit(d);
        }
    }
}
