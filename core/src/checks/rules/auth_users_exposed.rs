//! Views in an exposed schema that read `auth.users` and that API roles can read.
//!
//! ## What it finds
//! A view or materialized view in an exposed schema (Supabase: `public`) whose query reads
//! `auth.users`, directly or through other views, while `anon` or `authenticated` can SELECT from it
//! (the access matrix's cell: a privilege, directly, through PUBLIC or an inherited role, plus USAGE on
//! the schema). Same as Supabase's advisor lint `auth_users_exposed`, which sees direct reads only.
//!
//! Not reported: a `security_invoker` view when the role cannot read `auth.users` itself (the view
//! then fails for it instead of leaking).
//!
//! ## Why it matters
//! `auth.users` holds every user's email, phone, sign-in times and metadata. A view over it in an API
//! schema (running with its owner's rights, or materialized) hands those columns to any client with
//! the anon key, whatever the view was meant to show.
//!
//! ## How to fix
//! Revoke the API roles' access, and expose only what is needed through a table of your own (a
//! `profiles` table filled by a trigger, with RLS) or a function that returns the caller's own row:
//! `REVOKE SELECT ON public.v FROM anon, authenticated;`
//!
//! ## Assumptions
//! The exposed schemas and the API roles (pglens.toml `[assumptions]`; Supabase: `public`, `anon`,
//! `authenticated`). The relations a view reads are the schema-qualified names in its query (pg_dump
//! qualifies every one).

use super::security_util::{and_list, api_roles_with, platform_schema, view_reads};
use crate::access::State;
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};

pub static RULE: Rule = Rule {
    id: "auth_users_exposed",
    category: Category::Security,
    priority: Priority::P0,
    source: include_str!("auth_users_exposed.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    let reads = view_reads(cx);
    for (key, v) in &cx.snap.views {
        if !cx.is_exposed(&v.schema) || platform_schema(&v.schema) || !reads.get(key).is_some_and(|r| r.contains("auth.users")) {
            continue;
        }
        let (mut roles, mut assumptions) = api_roles_with(cx, key, 0);
        if v.security_invoker() {
            // The caller's own rights on auth.users apply: only roles that can read it see anything.
            roles.retain(|r| cx.cells(r, "auth.users").and_then(|c| c.first()).is_some_and(|c| c.state != State::NoPrivilege));
            if !roles.is_empty() {
                assumptions.extend(api_roles_with(cx, "auth.users", 0).1);
            }
        }
        if roles.is_empty() {
            continue;
        }
        let mut grantees: Vec<String> = Vec::new();
        if v.privileges.iter().any(|p| p.grantee == "PUBLIC" && p.privilege == "SELECT") {
            grantees.push("PUBLIC".into());
        }
        grantees.extend(roles.iter().map(|r| crate::build::quote_ident(r)));
        let kind = if v.materialized { "materialized view" } else { "view" };
        out.emit(
            Draft::new(
                key,
                format!("{kind} {key} reads auth.users{} and {} can select from it through the API", through(v, &reads), and_list(&roles)),
            )
            .fix(format!("REVOKE SELECT ON {} FROM {};", qualified(&v.schema, &v.name), grantees.join(", ")))
            .span(v.span)
            .assume([cx.exposed_assumption()])
            .assume(assumptions),
        );
    }
}

/// `""` when the view names auth.users itself, else ` through private.v` (the views it reads that do).
fn through(v: &crate::model::View, reads: &std::collections::BTreeMap<String, std::collections::BTreeSet<String>>) -> String {
    let names = &v.reads;
    if names.iter().any(|n| n == "auth.users") {
        return String::new();
    }
    let mut via: Vec<&str> =
        names.iter().filter(|n| reads.get(n.as_str()).is_some_and(|r| r.contains("auth.users"))).map(String::as_str).collect();
    via.sort();
    via.dedup();
    format!(" through {}", and_list(&via))
}
