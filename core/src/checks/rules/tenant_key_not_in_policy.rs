//! Multi-tenant tables whose row level security never looks at the tenant key.
//!
//! ## What it finds
//! A table with a tenant key column (pglens.toml `[checks] tenant_keys`; default `school_id`,
//! `tenant_id`, `org_id`, `organization_id`, `workspace_id`, `network_id`) where nothing keeps one
//! tenant's rows from another:
//! - RLS is enabled and none of the policies that apply to some role reads the tenant key. A policy
//!   reads it when its USING or WITH CHECK refers to the column outside a sub-select, as the left
//!   side of `IN (SELECT ...)`, or inside a sub-select qualified by the table's name
//!   (`EXISTS (SELECT 1 FROM members m WHERE m.org_id = projects.org_id ...)`). A table with RLS and
//!   no applicable policy denies everyone and is left to `rls_enabled_no_policy`.
//! - RLS is disabled and the table is in an exposed schema where an API role can reach it (the same
//!   tables `rls_disabled_in_public` reports; this rule adds that the rows are several tenants').
//!   Tables without RLS that no API role reaches are the server's business and are not reported.
//!
//! Partitions (their parent's policies apply) and tables of Supabase's own schemas are skipped.
//!
//! ## Why it matters
//! Policies that only check the user (`user_id = auth.uid()`) or a role leave the tenant boundary
//! to the application: one missing filter in a query and a user reads another school's or company's
//! rows. A policy that reaches the tenant only through another table (`project_id IN (SELECT ...)`)
//! also relies on every row's `org_id` matching its project's, which nothing enforces.
//!
//! ## How to fix
//! Add a restrictive policy that every command must pass, with the expression the app uses for the
//! current tenant:
//! `CREATE POLICY tenant_isolation ON t AS RESTRICTIVE FOR ALL TO authenticated USING (org_id = (SELECT auth.jwt() ->> 'org_id')::uuid) WITH CHECK (org_id = (SELECT auth.jwt() ->> 'org_id')::uuid);`
//! When RLS is disabled: `ALTER TABLE t ENABLE ROW LEVEL SECURITY;` first.
//!
//! ## Assumptions
//! The tenant key names. For tables without RLS: the exposed schemas and API roles (and the access
//! cells' own assumptions). For tables with RLS: which roles bypass it (a policy only for them is
//! never consulted).

use super::policy_conventions_util::{applies_to_some_role, refs, roles_assumption, tenant_keys_assumption, tenant_tables};
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};

pub static RULE: Rule = Rule {
    id: "tenant_key_not_in_policy",
    category: Category::Security,
    priority: Priority::P0,
    source: include_str!("tenant_key_not_in_policy.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    if cx.config.tenant_keys.is_empty() {
        return;
    }
    let keys_assumption = tenant_keys_assumption(cx);
    for (tkey, t, keys) in tenant_tables(cx) {
        let key_list = keys.join(", ");
        if !t.rls_enabled {
            if !cx.is_exposed(&t.schema) {
                continue;
            }
            let (roles, assumptions) = cx.api_reach(tkey);
            if roles.is_empty() {
                continue;
            }
            out.emit(
                Draft::new(
                    tkey,
                    format!(
                        "{tkey} holds several tenants' rows ({key_list}) but RLS is disabled, so {} can reach every tenant's rows through the API",
                        roles.join(" and ")
                    ),
                )
                .fix(format!("ALTER TABLE {} ENABLE ROW LEVEL SECURITY;", qualified(&t.schema, &t.name)))
                .span(t.span)
                .assume([keys_assumption.clone(), cx.exposed_assumption()])
                .assume(assumptions),
            );
            continue;
        }
        let applicable: Vec<_> = t.policies.values().filter(|p| applies_to_some_role(cx, p)).collect();
        if applicable.is_empty() {
            continue;
        }
        let constrains = applicable.iter().any(|p| {
            [&p.using, &p.with_check].into_iter().flatten().any(|e| {
                // An expression that does not parse cannot be judged: count it as constraining.
                refs(cx, t, &e.canonical).is_none_or(|r| keys.iter().any(|k| r.reads.contains(*k)))
            })
        });
        if constrains {
            continue;
        }
        let names: Vec<&str> = applicable.iter().map(|p| p.name.as_str()).collect();
        out.emit(
            Draft::new(
                tkey,
                format!(
                    "no policy on {tkey} ({}) reads its tenant key {key_list}, so nothing in the database keeps one tenant's rows from another",
                    names.join(", ")
                ),
            )
            .span(t.span)
            .assume([keys_assumption.clone()])
            .assume(roles_assumption(cx)),
        );
    }
}
