//! Permissive policies that cover every command with one predicate.
//!
//! ## What it finds
//! A permissive `FOR ALL` policy (the default when `CREATE POLICY` names no command) that applies to
//! some role that does not bypass row level security. Restrictive `FOR ALL` policies are not
//! reported: a guard that every command must pass (`AS RESTRICTIVE ... USING (tenant_id = ...)`) is
//! meant to cover them all. Policies on tables of Supabase's own schemas (`auth`, `cron`, `vault`,
//! ...) are skipped; those on `storage` and `realtime` tables are the app's and are checked.
//!
//! ## Why it matters
//! One predicate then decides reads, inserts, updates and deletes alike: whoever may see a row may
//! also change and delete it, and widening what users may read (a shared row, a public flag)
//! silently widens what they may write. Separate `FOR SELECT` and write policies keep the two
//! decisions apart and make each one reviewable.
//!
//! ## How to fix
//! Replace the policy by one per command, then narrow the write ones. The finding's fix is the exact
//! equivalent split (same roles, USING and WITH CHECK), a starting point that changes nothing yet:
//! `CREATE POLICY "p (select)" ON t FOR SELECT TO authenticated USING (...);` and likewise for
//! INSERT (WITH CHECK), UPDATE (USING and WITH CHECK) and DELETE (USING).
//!
//! ## Assumptions
//! Which roles bypass RLS (Supabase: `service_role`, and the superuser `supabase_admin`): a `FOR ALL`
//! policy only for them is never consulted and is not reported.

use super::policy_conventions_util::{applies_to_some_role, managed_policy_schema, roles_assumption, roles_sql};
use crate::build::quote_ident;
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use crate::model::{key, Policy, PolicyCommand, Table};

pub static RULE: Rule =
    Rule { id: "policy_for_all", category: Category::Security, priority: Priority::P2, source: include_str!("policy_for_all.rs"), check };

fn check(cx: &Context, out: &mut Emitter) {
    for (tkey, t) in cx.tables() {
        if managed_policy_schema(&t.schema) {
            continue;
        }
        for p in t.policies.values() {
            if p.command != PolicyCommand::All || !p.permissive || !applies_to_some_role(cx, p) {
                continue;
            }
            let roles = if p.roles.is_empty() { "public".to_string() } else { p.roles.join(", ") };
            let mut d = Draft::new(
                key::member(tkey, &p.name),
                format!(
                    "policy {} on {tkey} applies FOR ALL commands to {roles}, so one predicate decides reads, inserts, updates and deletes alike",
                    p.name
                ),
            )
            .span(p.span)
            .assume(roles_assumption(cx));
            if let Some(fix) = split(t, p) {
                d = d.fix(fix);
            }
            out.emit(d);
        }
    }
}

/// The policy split into one per command, with the same roles and expressions.
fn split(t: &Table, p: &Policy) -> Option<String> {
    let using = p.using.as_ref()?.canonical.as_str();
    let check = p.with_check.as_ref().map(|e| e.canonical.as_str()).unwrap_or(using);
    let table = qualified(&t.schema, &t.name);
    let roles = roles_sql(p);
    let name = |cmd: &str| quote_ident(&format!("{} ({cmd})", p.name));
    Some(format!(
        "DROP POLICY {} ON {table}; \
         CREATE POLICY {} ON {table} FOR SELECT TO {roles} USING ({using}); \
         CREATE POLICY {} ON {table} FOR INSERT TO {roles} WITH CHECK ({check}); \
         CREATE POLICY {} ON {table} FOR UPDATE TO {roles} USING ({using}) WITH CHECK ({check}); \
         CREATE POLICY {} ON {table} FOR DELETE TO {roles} USING ({using});",
        quote_ident(&p.name),
        name("select"),
        name("insert"),
        name("update"),
        name("delete"),
    ))
}
