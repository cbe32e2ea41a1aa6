//! Extensions installed in an API-exposed schema.
//!
//! ## What it finds
//! An extension created `WITH SCHEMA` an exposed schema (Supabase: `public`), `plpgsql` aside. Same
//! as Supabase's advisor lint `extension_in_public`, which looks at `public`; here the exposed schemas
//! are what count, so a database with no API (the plain preset) has no finding.
//!
//! ## Why it matters
//! An extension's functions, types and tables land in the schema the API serves: its functions become
//! callable endpoints (often executable by PUBLIC), its tables readable through the API, and the
//! schema's API surface fills with objects nobody reviewed. Extension objects in a schema other roles
//! can create objects in are also a classic search_path hijacking target.
//!
//! ## How to fix
//! Move it to a schema of its own (Supabase's convention is `extensions`):
//! `CREATE SCHEMA IF NOT EXISTS extensions; ALTER EXTENSION pg_trgm SET SCHEMA extensions;`
//! An extension that is not relocatable has to be dropped and created again `WITH SCHEMA extensions`.
//!
//! ## Assumptions
//! The exposed schemas (pglens.toml `[assumptions]`; Supabase: `public`, `graphql_public`). An extension
//! created without `WITH SCHEMA` is not reported: its control file or the session's search_path
//! decided where it went, and the dump does not say.

use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};

pub static RULE: Rule = Rule {
    id: "extension_in_public",
    category: Category::Security,
    priority: Priority::P2,
    source: include_str!("extension_in_public.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    for (key, e) in &cx.snap.extensions {
        let Some(schema) = e.schema.as_deref() else {
            continue;
        };
        if e.name == "plpgsql" || !cx.is_exposed(schema) {
            continue;
        }
        out.emit(
            Draft::new(
                key,
                format!(
                    "extension {} is installed in {schema}, a schema the API exposes, so its functions and tables are part of the API",
                    e.name
                ),
            )
            .fix(format!(
                "CREATE SCHEMA IF NOT EXISTS extensions; ALTER EXTENSION {} SET SCHEMA extensions;",
                crate::build::quote_ident(&e.name)
            ))
            .span(e.span)
            .assume([cx.exposed_assumption()]),
        );
    }
}
