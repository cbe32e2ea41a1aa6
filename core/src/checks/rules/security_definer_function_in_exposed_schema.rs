//! SECURITY DEFINER functions placed in a schema the API serves.
//!
//! ## What it finds
//! A SECURITY DEFINER function in an exposed schema (Supabase: `public`). P1 when an API role (`anon`,
//! `authenticated`) may execute it according to the access matrix, P2 when none may yet (one GRANT, or
//! a default privilege, away). Procedures and trigger and event-trigger functions are left out (the API
//! cannot call them: PostgREST calls functions only, and PostgreSQL refuses to call a trigger function
//! directly), and so are Supabase's own schemas. Who may execute it is reported per role by
//! `anon_security_definer_function_executable` and `authenticated_security_definer_function_executable`;
//! this rule is about where it lives.
//!
//! ## Why it matters
//! Every function in an exposed schema is an RPC endpoint (`/rest/v1/rpc/<name>`) for whoever holds
//! EXECUTE, and a SECURITY DEFINER one runs with its owner's privileges, bypassing row level security.
//! Supabase's guidance is to keep such functions in a schema the API does not serve, so that a grant
//! (functions get EXECUTE for PUBLIC by default) never turns them into public endpoints.
//!
//! ## How to fix
//! Move the function to a private schema (and update the policies, triggers and functions that call
//! it), or make it `SECURITY INVOKER` if it does not need its owner's rights:
//! `CREATE SCHEMA IF NOT EXISTS private; ALTER FUNCTION public.f(uuid) SET SCHEMA private;`
//!
//! ## Assumptions
//! The exposed schemas and the API roles (pglens.toml `[assumptions]`; Supabase: `public`, `anon`,
//! `authenticated`).

use super::security_util::{and_list, function_sql, platform_schema, trigger_function};
use crate::access::State;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};

pub static RULE: Rule = Rule {
    id: "security_definer_function_in_exposed_schema",
    category: Category::Security,
    priority: Priority::P1,
    source: include_str!("security_definer_function_in_exposed_schema.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    for (key, f) in &cx.snap.functions {
        if !f.security_definer || f.is_procedure || !cx.is_exposed(&f.schema) || platform_schema(&f.schema) || trigger_function(f) {
            continue;
        }
        let mut roles = Vec::new();
        let mut assumptions = vec![cx.exposed_assumption()];
        for r in cx.api_roles() {
            if let Some(cell) = cx.cells(r, key).and_then(|c| c.first()).filter(|c| c.state != State::NoPrivilege) {
                roles.push(r.clone());
                assumptions.extend(cell.assumptions.iter().cloned());
            }
        }
        let who = if roles.is_empty() {
            "no API role may execute it yet".to_string()
        } else {
            format!("{} may call it as /rest/v1/rpc/{}", and_list(&roles), f.name)
        };
        let mut d = Draft::new(key, format!("SECURITY DEFINER function {key} sits in exposed schema {} and {who}", f.schema))
            .fix(format!("CREATE SCHEMA IF NOT EXISTS private;\nALTER FUNCTION {} SET SCHEMA private;", function_sql(f)))
            .span(f.span)
            .assume(assumptions);
        if roles.is_empty() {
            d = d.priority(Priority::P2);
        }
        out.emit(d);
    }
}
