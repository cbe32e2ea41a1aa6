//! Functions that do not pin their `search_path`.
//!
//! ## What it finds
//! A function or procedure without `SET search_path` in its definition, so the names in its body
//! resolve through the caller's `search_path`. P0 when it is SECURITY DEFINER, P1 otherwise. Same as
//! Supabase's advisor lint `function_search_path_mutable` (which reports both at one level).
//!
//! SECURITY INVOKER functions are reported only when the assumptions name API roles (Supabase: `anon`,
//! `authenticated`), i.e. when untrusted clients run SQL against the database: a database used by one
//! trusted application role (GitLab's, say) has nobody to plant the shadowing objects, and flagging its
//! hundreds of trigger functions would bury the SECURITY DEFINER ones.
//!
//! Not reported: functions in C or `internal` (they resolve no names through the search path), and
//! Supabase's own functions (schemas `auth`, `storage`, `extensions`, `graphql`, `pgsodium`, `vault`,
//! `realtime`, `net`, ...). Extension members are not in a dump, so they never appear.
//!
//! ## Why it matters
//! A caller who can create objects in a schema that the search path lists ahead of the intended one
//! (any role can create temporary tables, and `pg_temp` comes first for tables unless the path places
//! it) can shadow a table, function or operator the body uses. In a SECURITY DEFINER function the
//! shadow runs with the owner's privileges: a privilege escalation. In any other function the body
//! silently reads different objects depending on who calls it.
//!
//! ## How to fix
//! Pin the search path, and schema-qualify the names the body uses (`public.t`, `auth.uid()`):
//! `ALTER FUNCTION public.f(uuid) SET search_path = '';`
//! (Or pin the schemas it needs, with no schema untrusted roles can create objects in:
//! `SET search_path = public, pg_temp`.)
//!
//! ## Assumptions
//! The API roles (pglens.toml `[assumptions]`): with none, only SECURITY DEFINER functions are reported.
//! A function's settings are in the dump.

use super::security_util::{function_sql, platform_schema};
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};

pub static RULE: Rule = Rule {
    id: "function_search_path_mutable",
    category: Category::Security,
    priority: Priority::P1,
    source: include_str!("function_search_path_mutable.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    let untrusted_callers = !cx.api_roles().is_empty();
    for (key, f) in &cx.snap.functions {
        if f.search_path().is_some() || platform_schema(&f.schema) || matches!(f.language.as_str(), "c" | "internal") {
            continue;
        }
        if !f.security_definer && !untrusted_callers {
            continue;
        }
        let kind = if f.is_procedure { "procedure" } else { "function" };
        let (definer, priority) = if f.security_definer { ("SECURITY DEFINER ", Priority::P0) } else { ("", Priority::P1) };
        let verb = if f.is_procedure { "PROCEDURE" } else { "FUNCTION" };
        out.emit(
            Draft::new(
                key,
                format!(
                    "{definer}{kind} {key} does not set search_path, so the names in its body resolve through the caller's search_path"
                ),
            )
            .fix(format!("ALTER {verb} {} SET search_path = '';", function_sql(f)))
            .span(f.span)
            .priority(priority)
            .assume(
                (!f.security_definer).then(|| format!("API roles {} run SQL against this database (assumed)", cx.api_roles().join(", "))),
            ),
        );
    }
}
