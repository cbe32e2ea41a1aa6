//! Materialized views that API roles can read.
//!
//! ## What it finds
//! A materialized view in an exposed schema (Supabase: `public`) that `anon` or `authenticated` can
//! SELECT: the privilege (directly, through PUBLIC or an inherited role) and USAGE on the schema.
//! Same as Supabase's advisor lint `materialized_view_in_api`, restricted to the exposed schemas.
//!
//! ## Why it matters
//! A materialized view is a stored copy of its query's rows and has no row level security: whatever
//! the tables' policies hide, the view serves every row it holds to anyone with SELECT, through the API.
//!
//! ## How to fix
//! Revoke the API roles' access (`REVOKE SELECT ON public.mv FROM anon, authenticated;`, or from
//! PUBLIC when that is where it comes from), move it to a schema the API does not serve, or read it
//! through a SECURITY DEFINER function that filters the rows for the caller.
//!
//! ## Assumptions
//! The exposed schemas and the API roles (pglens.toml `[assumptions]`; Supabase: `public`, `anon`,
//! `authenticated`). Role memberships are not in a dump: only the assumed ones count.

use super::integrity_batch_util::{and_list, api_selectors, grantee_sql, granting};
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};

pub static RULE: Rule = Rule {
    id: "materialized_view_in_api",
    category: Category::Security,
    priority: Priority::P1,
    source: include_str!("materialized_view_in_api.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    for (key, v) in &cx.snap.views {
        if !v.materialized || !cx.is_exposed(&v.schema) {
            continue;
        }
        let (roles, assumptions) = api_selectors(cx, key);
        if roles.is_empty() {
            continue;
        }
        let names: Vec<String> = roles.iter().map(|(r, _)| r.clone()).collect();
        let mut d = Draft::new(
            key,
            format!(
                "materialized view {key} is readable through the API by {}, and materialized views have no row level security",
                and_list(&names)
            ),
        )
        .span(v.span)
        .assume([cx.exposed_assumption()])
        .assume(assumptions);
        let from = granting(cx, &v.privileges, "SELECT", &names);
        if !from.is_empty() {
            let from: Vec<String> = from.iter().map(|g| grantee_sql(g)).collect();
            d = d.fix(format!("REVOKE SELECT ON {} FROM {};", qualified(&v.schema, &v.name), from.join(", ")));
        }
        out.emit(d);
    }
}
