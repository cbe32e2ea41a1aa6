//! Privileges granted to guests (the anonymous API role, PUBLIC) on tables.
//!
//! ## What it finds
//! A table on which a guest holds privileges and USAGE on the schema. Guests are PUBLIC (every role,
//! present and future) and the API roles named like an anonymous role (Supabase's `anon`, PostgREST's
//! `web_anon`); `anon`'s findings count its own grants (and those of roles it is assumed to inherit
//! from), PUBLIC's grants are reported once, as PUBLIC's.
//! - P0: the table has no row level security (or is a foreign table, which cannot have it): every
//!   granted command works on every row.
//! - P1: row level security is on, but a policy lets the guest read or change rows (a policy `TO
//!   public` or `TO anon`), or PUBLIC holds TRUNCATE, which row level security does not govern.
//!   Grants that RLS reduces to nothing for the guest are not reported: Supabase grants every table
//!   to `anon` by default, and that grant is harmless while no policy admits it. Nor are policies
//!   that cannot hold for `anon` because they require a user identity (a conjunct `auth.uid() = ...`,
//!   `auth.email() = ...`, `auth.jwt() ->> 'sub' = ...`, `auth.uid() IN (...)`, or
//!   `auth.role() = 'authenticated'`): they are sloppy (`TO authenticated` says it better) but let
//!   no anonymous caller through.
//!
//! ## Why it matters
//! Whatever a guest can do, anyone can: for `anon`, every holder of the public API key, signed in or
//! not; for PUBLIC, every database role. Default deny means guests hold nothing but what is meant
//! to be public, and a policy written `TO public` (the default when `TO` is left out) quietly includes
//! `anon`.
//!
//! ## How to fix
//! Revoke what guests do not need (`REVOKE ALL ON TABLE public.t FROM anon;`), enable row level
//! security on tables they must reach, and write policies `TO authenticated` rather than leaving
//! out `TO`. A table meant to be world-readable keeps a `FOR SELECT TO anon` policy and its finding
//! in the baseline.
//!
//! ## Assumptions
//! Which API roles are anonymous (named like `anon`) and the role memberships (pglens.toml
//! `[assumptions]`); that `auth.uid()`, `auth.email()` and the JWT's `sub` and `email` are NULL and
//! `auth.role()` is `anon` for the anonymous role, as in Supabase Auth. `anon` acts only through the Data API, which cannot TRUNCATE, so only PUBLIC's
//! TRUNCATE counts. Grants without USAGE on the schema are latent and not reported. Supabase's own
//! schemas and schemas that extensions were installed into are skipped; views are left to
//! `security_definer_view` and materialized views to `materialized_view_in_api`.

use super::integrity_batch_util::{admits_anonymous, grantee_sql, guest_assumption, guests, not_app_schema, own_grantees, row_cells};
use crate::access::State;
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use crate::model::{Span, Table};
use std::collections::BTreeMap;

pub static RULE: Rule =
    Rule { id: "guest_grants", category: Category::Security, priority: Priority::P0, source: include_str!("guest_grants.rs"), check };

const ORDER: [&str; 7] = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];

fn rank(p: &str) -> usize {
    ORDER.iter().position(|o| *o == p).unwrap_or(ORDER.len())
}

/// What `grantees` hold on `t`, as found in the ACLs.
struct Held {
    /// Table privileges, in GRANT order.
    table: Vec<String>,
    /// Column privileges not already held on the whole table, with their columns.
    columns: BTreeMap<String, Vec<String>>,
    /// The grantees the privileges were granted to (whom to REVOKE from), as SQL.
    from: Vec<String>,
    /// The first GRANT.
    span: Option<Span>,
}

fn held(t: &Table, grantees: &[String]) -> Held {
    let mut table: Vec<String> = Vec::new();
    let mut from: Vec<String> = Vec::new();
    let mut span = None;
    for p in t.privileges.iter().filter(|p| grantees.contains(&p.grantee)) {
        table.push(p.privilege.clone());
        from.push(grantee_sql(&p.grantee));
        span = span.or(p.span);
    }
    table.sort_by_key(|p| rank(p));
    table.dedup();
    let mut columns: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in &t.columns {
        for p in c.privileges.iter().filter(|p| grantees.contains(&p.grantee) && !table.contains(&p.privilege)) {
            columns.entry(p.privilege.clone()).or_default().push(c.name.clone());
            from.push(grantee_sql(&p.grantee));
            span = span.or(p.span);
        }
    }
    from.sort();
    from.dedup();
    Held { table, columns, from, span }
}

/// Whether `role` has USAGE on `schema` (through any role it holds, PUBLIC included).
fn usage(cx: &Context, schema: &str, role: &str) -> (bool, Option<String>) {
    let Some(s) = cx.snap.schemas.get(schema) else {
        return (true, Some(format!("schema {schema} is not in the snapshot: USAGE assumed")));
    };
    let mut holders = own_grantees(cx, role);
    holders.push("PUBLIC".into());
    (s.privileges.iter().any(|p| p.privilege == "USAGE" && holders.contains(&p.grantee)), None)
}

fn check(cx: &Context, out: &mut Emitter) {
    let guests = guests(cx);
    for (key, t) in cx.tables() {
        if not_app_schema(cx, &t.schema) {
            continue;
        }
        let table_sql = qualified(&t.schema, &t.name);
        for g in &guests {
            let own = own_grantees(cx, g);
            let Held { table: table_privs, columns: column_privs, from, span: grant_span } = held(t, &own);
            let inherited = from.iter().any(|f| *f != grantee_sql(g));
            let from = from.join(", ");
            if table_privs.is_empty() && column_privs.is_empty() {
                continue;
            }
            let (usable, usage_assumption) = usage(cx, &t.schema, g);
            if !usable {
                continue;
            }
            let who = if g == "public" { "PUBLIC".to_string() } else { g.clone() };
            let mut assumptions: Vec<String> = guest_assumption(g).into_iter().collect();
            assumptions.extend(usage_assumption);
            if inherited {
                assumptions.extend(cx.assumptions.membership_sentences(g));
            }
            let span = grant_span.unwrap_or(t.span);
            if !t.rls_enabled {
                let mut parts: Vec<String> = table_privs.clone();
                parts.extend(column_privs.iter().map(|(p, cols)| format!("{p} ({})", cols.join(", "))));
                out.emit(
                    Draft::new(key, format!("{who} holds {} on {key}, which has no row level security", parts.join(", ")))
                        .subject(g)
                        .fix(format!("REVOKE ALL ON TABLE {table_sql} FROM {from};"))
                        .span(span)
                        .assume(assumptions),
                );
                continue;
            }
            // Under RLS: the commands whose own grant lets rows through a policy.
            let granted = |cmd: &str| table_privs.iter().any(|p| p == cmd) || column_privs.contains_key(cmd);
            let cells: Vec<_> =
                row_cells(cx, g, key).into_iter().filter(|c| granted(c.command.as_str()) && admits_anonymous(cx, t, c)).collect();
            let truncate = g == "public" && table_privs.iter().any(|p| p == "TRUNCATE");
            if cells.is_empty() && !truncate {
                continue;
            }
            let parts: Vec<String> = cells
                .iter()
                .map(|c| {
                    let rows = match (c.state, c.policies.len()) {
                        (State::AllRows, _) => "without condition",
                        (_, 1) => "under its condition",
                        _ => "under their conditions",
                    };
                    let names: Vec<String> = c.policies.iter().map(|p| crate::build::quote_ident(p)).collect();
                    match names.len() {
                        0 => format!("{} ({rows}: {})", c.command.as_str(), c.reason),
                        1 => format!("{} ({rows}) by policy {}", c.command.as_str(), names[0]),
                        _ => format!("{} ({rows}) by policies {}", c.command.as_str(), names.join(", ")),
                    }
                })
                .collect();
            let mut revoke: Vec<&str> = cells.iter().map(|c| c.command.as_str()).collect();
            if truncate {
                revoke.push("TRUNCATE");
            }
            for c in &cells {
                assumptions.extend(c.assumptions.iter().cloned());
            }
            let message = if parts.is_empty() {
                format!("{who} may TRUNCATE {key}, which its row level security does not prevent")
            } else if truncate {
                format!(
                    "row level security on {key} lets {who} through: {}; and {who} may TRUNCATE it, which RLS does not prevent",
                    parts.join("; ")
                )
            } else {
                format!("row level security on {key} lets {who} through: {}", parts.join("; "))
            };
            let policy_span = cells.iter().flat_map(|c| c.policies.first()).find_map(|p| t.policies.get(p)).map(|p| p.span);
            out.emit(
                Draft::new(key, message)
                    .subject(g)
                    .fix(format!("REVOKE {} ON TABLE {table_sql} FROM {from};", revoke.join(", ")))
                    .span(policy_span.unwrap_or(span))
                    .assume(assumptions)
                    .priority(Priority::P1),
            );
        }
    }
}
