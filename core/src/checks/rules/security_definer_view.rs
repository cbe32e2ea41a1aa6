//! Views that run with their owner's rights (no `security_invoker`) and that API roles can read.
//!
//! ## What it finds
//! A view (not a materialized view: `materialized_view_in_api` covers those) in an exposed schema
//! (Supabase: `public`) without `security_invoker=true` that `anon` or `authenticated` can SELECT (the
//! access matrix's cell: a privilege, directly, through PUBLIC or an inherited role, plus USAGE on the
//! schema). Same as Supabase's advisor lint `security_definer_view`. Views in Supabase's own schemas are
//! not reported.
//!
//! P0 when the view reads (directly or through other views) a table with RLS enabled, or a relation
//! those roles hold no SELECT on, or when the tables it reads cannot be told; P2 when every table it
//! reads has RLS disabled and the roles can already read it (nothing is bypassed yet).
//!
//! ## Why it matters
//! A view reads its tables with its owner's privileges, and the owner (on Supabase, `postgres`) bypasses
//! row level security: whatever the policies on the underlying tables say, every caller of the view
//! sees every row the view selects.
//!
//! ## How to fix
//! On PostgreSQL 15 or later, make the view check the caller's rights and policies:
//! `ALTER VIEW public.v SET (security_invoker = true);` (the API roles then need SELECT on the tables
//! it reads). Otherwise revoke the API roles' SELECT on the view, or move it to a schema the API does
//! not serve.
//!
//! ## Assumptions
//! The exposed schemas and the API roles (pglens.toml `[assumptions]`; Supabase: `public`, `anon`,
//! `authenticated`). The view's owner is assumed to bypass the RLS of the tables it reads (it does
//! when it owns them or is a superuser or BYPASSRLS role, as `postgres` is on Supabase). The relations
//! a view reads are the schema-qualified names in its query (pg_dump qualifies every one).

use super::security_util::{and_list, api_roles_with, platform_schema, view_reads};
use crate::access::State;
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};

pub static RULE: Rule = Rule {
    id: "security_definer_view",
    category: Category::Security,
    priority: Priority::P0,
    source: include_str!("security_definer_view.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    let reads = view_reads(cx);
    for (key, v) in &cx.snap.views {
        if v.materialized || v.security_invoker() || !cx.is_exposed(&v.schema) || platform_schema(&v.schema) {
            continue;
        }
        let (roles, assumptions) = api_roles_with(cx, key, 0);
        if roles.is_empty() {
            continue;
        }
        // What the owner's rights give the roles: tables whose RLS does not apply through the view,
        // relations they could not read themselves.
        let tables: Vec<&String> =
            reads.get(key).map(|r| r.iter().filter(|k| cx.snap.views.get(*k).is_none_or(|v| v.materialized)).collect()).unwrap_or_default();
        let rls: Vec<&str> =
            tables.iter().filter(|k| cx.snap.tables.get(k.as_str()).is_some_and(|t| t.rls_enabled)).map(|k| k.as_str()).collect();
        let hidden: Vec<&str> = tables
            .iter()
            .filter(|k| !rls.contains(&k.as_str()))
            .filter(|k| roles.iter().any(|r| cx.cells(r, k).and_then(|c| c.first()).is_none_or(|c| c.state == State::NoPrivilege)))
            .map(|k| k.as_str())
            .collect();
        let owner = v.owner.as_deref().map(|o| format!(" ({o})")).unwrap_or_default();
        let mut what = Vec::new();
        if !rls.is_empty() {
            what.push(format!("the row level security of {} does not apply", and_list(&rls)));
        }
        if !hidden.is_empty() {
            what.push(format!("they hold no SELECT privilege of their own on {}", and_list(&hidden)));
        }
        let (message, priority) = if !what.is_empty() {
            (
                format!(
                    "view {key} has no security_invoker, so {} can read through it with its owner's rights{owner}: {}",
                    and_list(&roles),
                    what.join(", and ")
                ),
                Priority::P0,
            )
        } else if tables.is_empty() {
            (
                format!(
                    "view {key} has no security_invoker, so {} can read its tables with its owner's rights{owner}, bypassing their row level security",
                    and_list(&roles)
                ),
                Priority::P0,
            )
        } else {
            (
                format!(
                    "view {key} has no security_invoker, so {} can read {} with its owner's rights{owner}; none has RLS yet, but policies added later will not apply through the view",
                    and_list(&roles),
                    and_list(&tables)
                ),
                Priority::P2,
            )
        };
        let mut d = Draft::new(key, message)
            .fix(format!("ALTER VIEW {} SET (security_invoker = true);", qualified(&v.schema, &v.name)))
            .span(v.span)
            .priority(priority)
            .assume([cx.exposed_assumption()])
            .assume(assumptions);
        if !rls.is_empty() || tables.is_empty() {
            d = d.assume([format!("the owner of {key} bypasses the row level security of the tables it reads")]);
        }
        out.emit(d);
    }
}
