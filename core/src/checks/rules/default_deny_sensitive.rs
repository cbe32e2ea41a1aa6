//! Sensitive tables that do not deny by default.
//!
//! ## What it finds
//! A table whose name matches a sensitive pattern (`[checks] sensitive_tables`; by default
//! `user_roles`, `*_roles`, `roles`, `clientes`, `contratos`, `cuotas`, `payments`, `invoices`,
//! `billing*`, `*_secrets`, `secrets`, `api_keys`, matched against `name` and `schema.name`) on which
//! some role other than its owner, the superusers and the BYPASSRLS roles holds privileges, and that:
//! - P0: has row level security disabled;
//! - P0: has a policy that lets a guest (PUBLIC, or the anonymous API role such as `anon`) reach every
//!   row; P1 when such a policy only admits the guest's rows under a condition (policies that require
//!   a user identity, such as `auth.uid() = user_id`, cannot hold for `anon` and do not count);
//! - P1: has row level security enabled but not forced, while its owner is not assumed to bypass it
//!   anyway (superuser or BYPASSRLS): the owner, and every SECURITY DEFINER function it owns, reads and
//!   writes past the policies.
//!
//! ## Why it matters
//! Role assignments, payments, contracts and secrets are where a leak or a privilege escalation does
//! the most harm. Such a table should let nobody in unless a policy names them: RLS on and forced, and
//! no policy reaching anonymous callers.
//!
//! ## How to fix
//! `ALTER TABLE public.payments ENABLE ROW LEVEL SECURITY; ALTER TABLE public.payments FORCE ROW LEVEL SECURITY;`
//! and give policies explicit roles: `ALTER POLICY "read own" ON public.payments TO authenticated;`
//! (FORCE also applies the policies to the owner: migrations and jobs that run as the owner need a
//! policy or a BYPASSRLS role.)
//!
//! ## Assumptions
//! The sensitive patterns, which API roles are anonymous (named like `anon`), the superusers and
//! BYPASSRLS roles (pglens.toml); that `auth.uid()` and `auth.email()` are NULL for the anonymous
//! role, as in Supabase Auth. A table only its owner holds privileges on (GitLab's tables, say, or
//! any app that connects as the owner) is not reported: there is no one to deny. Partitions are
//! judged through their parent; Supabase's own schemas and schemas that extensions were installed into
//! are skipped.

use super::integrity_batch_util::{admits_anonymous, and_list, guest_assumption, guests, not_app_schema, row_cells};
use crate::access::State;
use crate::checks::context::{matches_pattern, qualified};
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use std::collections::BTreeMap;

pub static RULE: Rule = Rule {
    id: "default_deny_sensitive",
    category: Category::Security,
    priority: Priority::P0,
    source: include_str!("default_deny_sensitive.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    let guests = guests(cx);
    let a = cx.assumptions;
    for (key, t) in cx.tables() {
        if t.partition_of.is_some() || not_app_schema(cx, &t.schema) {
            continue;
        }
        let Some(pattern) = cx.config.sensitive_tables.iter().find(|p| matches_pattern(p, &t.name) || matches_pattern(p, key)) else {
            continue;
        };
        let sensitive = format!("tables matching {pattern} hold sensitive data ([checks] sensitive_tables)");
        let owner = t.owner.as_deref().unwrap_or_default();
        let mut shared: Vec<String> = t
            .privileges
            .iter()
            .chain(t.columns.iter().flat_map(|c| &c.privileges))
            .map(|p| p.grantee.clone())
            .filter(|g| g != owner && !a.is_superuser(g) && !a.bypasses_rls(g))
            .collect();
        shared.sort();
        shared.dedup();
        if shared.is_empty() {
            continue;
        }
        let table_sql = qualified(&t.schema, &t.name);
        if !t.rls_enabled {
            out.emit(
                Draft::new(
                    key,
                    format!(
                        "{key} is a sensitive table with row level security disabled, while {} hold{} privileges on it",
                        and_list(&shared),
                        if shared.len() == 1 { "s" } else { "" }
                    ),
                )
                .subject("rls")
                .fix(format!("ALTER TABLE {table_sql} ENABLE ROW LEVEL SECURITY; ALTER TABLE {table_sql} FORCE ROW LEVEL SECURITY;"))
                .span(t.span)
                .assume([sensitive]),
            );
            continue;
        }
        // Policies that admit a guest: name → (every row?, commands, guests).
        let mut admitting: BTreeMap<&str, (bool, Vec<&str>, Vec<&str>)> = BTreeMap::new();
        let mut assumptions = vec![sensitive.clone()];
        for g in &guests {
            for c in row_cells(cx, g, key).into_iter().filter(|c| admits_anonymous(cx, t, c)) {
                for p in &c.policies {
                    let e = admitting.entry(p.as_str()).or_default();
                    e.0 |= c.state == State::AllRows;
                    if !e.1.contains(&c.command.as_str()) {
                        e.1.push(c.command.as_str());
                    }
                    let who = if g == "public" { "PUBLIC" } else { g.as_str() };
                    if !e.2.contains(&who) {
                        e.2.push(who);
                    }
                }
                assumptions.extend(guest_assumption(g));
                assumptions.extend(c.assumptions.iter().cloned());
            }
        }
        if !admitting.is_empty() {
            let every = admitting.values().any(|v| v.0);
            let parts: Vec<String> = admitting
                .iter()
                .map(|(p, (all, cmds, who))| {
                    format!(
                        "policy {} admits {} for {} {}",
                        crate::build::quote_ident(p),
                        who.join(" and "),
                        cmds.join(", "),
                        if *all { "without condition" } else { "under its condition" }
                    )
                })
                .collect();
            let allowed: Vec<&String> = cx.api_roles().iter().filter(|r| !guests.contains(r)).collect();
            let fixes: Vec<String> = admitting
                .keys()
                .filter_map(|p| t.policies.get(*p))
                .filter_map(|p| {
                    let mut roles: Vec<&String> = p.roles.iter().filter(|r| !guests.contains(r)).collect();
                    if roles.is_empty() {
                        roles = allowed.clone();
                    }
                    (!roles.is_empty()).then(|| {
                        let roles: Vec<String> = roles.iter().map(|r| crate::build::quote_ident(r)).collect();
                        format!("ALTER POLICY {} ON {table_sql} TO {};", crate::build::quote_ident(&p.name), roles.join(", "))
                    })
                })
                .collect();
            let span = admitting.keys().find_map(|p| t.policies.get(*p)).map(|p| p.span).unwrap_or(t.span);
            let mut d = Draft::new(key, format!("{key} is a sensitive table, but {}", parts.join("; ")))
                .subject("guests")
                .span(span)
                .assume(assumptions)
                .priority(if every { Priority::P0 } else { Priority::P1 });
            if !fixes.is_empty() {
                d = d.fix(fixes.join(" "));
            }
            out.emit(d);
        }
        if !t.rls_forced && !a.is_superuser(owner) && !a.bypasses_rls(owner) {
            let who = if owner.is_empty() { "its owner".to_string() } else { format!("its owner {owner}") };
            out.emit(
                Draft::new(
                    key,
                    format!("{key} is a sensitive table whose row level security is not forced, so {who} and the SECURITY DEFINER functions it owns bypass the policies"),
                )
                .subject("force")
                .fix(format!("ALTER TABLE {table_sql} FORCE ROW LEVEL SECURITY;"))
                .span(t.span)
                .assume([sensitive, format!("the owner{} is neither a superuser nor BYPASSRLS (assumed)", if owner.is_empty() { String::new() } else { format!(" {owner}") })])
                .priority(Priority::P1),
            );
        }
    }
}
