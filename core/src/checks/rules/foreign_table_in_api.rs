//! Foreign tables that API roles can read.
//!
//! ## What it finds
//! A foreign table in an exposed schema (Supabase: `public`) that `anon` or `authenticated` can
//! SELECT: the privilege (directly, through PUBLIC or an inherited role) and USAGE on the schema.
//! Same as Supabase's advisor lint `foreign_table_in_api`, restricted to the exposed schemas.
//!
//! ## Why it matters
//! PostgreSQL has no row level security on foreign tables: every row the foreign server returns (a
//! Stripe account, another database, a file) is served to anyone with SELECT, through the API, and
//! writes go straight to the remote side when INSERT, UPDATE or DELETE are granted too.
//!
//! ## How to fix
//! Move it to a schema the API does not serve (`ALTER FOREIGN TABLE public.ft SET SCHEMA private;`)
//! and expose what callers may see through a view or function that filters it, or revoke the API
//! roles' access: `REVOKE ALL ON public.ft FROM anon, authenticated;`
//!
//! ## Assumptions
//! The exposed schemas and the API roles (pglens.toml `[assumptions]`; Supabase: `public`, `anon`,
//! `authenticated`). Role memberships are not in a dump: only the assumed ones count.

use super::integrity_batch_util::{and_list, api_selectors, commands_text, grantee_sql, granting};
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use crate::model::TableKind;

pub static RULE: Rule = Rule {
    id: "foreign_table_in_api",
    category: Category::Security,
    priority: Priority::P1,
    source: include_str!("foreign_table_in_api.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    for (key, t) in cx.tables() {
        if t.kind != TableKind::Foreign || !cx.is_exposed(&t.schema) {
            continue;
        }
        let (roles, assumptions) = api_selectors(cx, key);
        if roles.is_empty() {
            continue;
        }
        let names: Vec<String> = roles.iter().map(|(r, _)| r.clone()).collect();
        let what: Vec<String> = roles.iter().map(|(r, c)| format!("{r} ({})", commands_text(c))).collect();
        let mut d = Draft::new(
            key,
            format!(
                "foreign table {key} is reachable through the API by {}, and foreign tables have no row level security",
                and_list(&what)
            ),
        )
        .span(t.span)
        .assume([cx.exposed_assumption()])
        .assume(assumptions);
        // Column grants too: REVOKE on the table revokes them as well.
        let privs: Vec<_> = t.privileges.iter().chain(t.columns.iter().flat_map(|c| &c.privileges)).cloned().collect();
        let mut from: Vec<String> = ["SELECT", "INSERT", "UPDATE", "DELETE"].iter().flat_map(|p| granting(cx, &privs, p, &names)).collect();
        from.sort();
        from.dedup();
        if !from.is_empty() {
            let from: Vec<String> = from.iter().map(|g| grantee_sql(g)).collect();
            d = d.fix(format!("REVOKE ALL ON {} FROM {};", qualified(&t.schema, &t.name), from.join(", ")));
        }
        out.emit(d);
    }
}
