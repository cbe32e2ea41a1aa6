//! Tables in an API-exposed schema without row level security that API roles can reach.
//!
//! ## What it finds
//! A table in an exposed schema (Supabase: `public`) whose row level security is off, while `anon` or
//! `authenticated` hold a privilege on it (directly, through PUBLIC, or an inherited role) and USAGE on
//! its schema. Same as Supabase's advisor lint `rls_disabled_in_public`.
//!
//! ## Why it matters
//! The Data API serves exposed schemas to anyone holding the project's anon key. Without RLS, every row
//! of the table is readable (and, with write grants, writable) by any client, signed in or not.
//!
//! ## How to fix
//! Enable row level security and add policies for what each role may see, or revoke the API roles'
//! privileges if the table is not meant for the API:
//! `ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;`
//!
//! ## Assumptions
//! The exposed schemas and the API roles (pglens.toml `[assumptions]`; Supabase: `public`, `anon`,
//! `authenticated`). Role memberships are not in a dump: only the assumed ones count.

use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};

pub static RULE: Rule = Rule {
    id: "rls_disabled_in_public",
    category: Category::Security,
    priority: Priority::P0,
    source: include_str!("rls_disabled_in_public.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    for (key, t) in cx.tables() {
        if t.rls_enabled || !cx.is_exposed(&t.schema) || t.partition_of.is_some() {
            continue;
        }
        let (roles, assumptions) = cx.api_reach(key);
        if roles.is_empty() {
            continue;
        }
        out.emit(
            Draft::new(key, format!("RLS is disabled on {key}, which {} can reach through the API", roles.join(" and ")))
                .fix(format!("ALTER TABLE {} ENABLE ROW LEVEL SECURITY;", qualified(&t.schema, &t.name)))
                .span(t.span)
                .assume([cx.exposed_assumption()])
                .assume(assumptions),
        );
    }
}
