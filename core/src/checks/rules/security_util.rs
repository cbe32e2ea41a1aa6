//! Helpers shared by the security batch's rules: Supabase's own schemas, function facts, the
//! policies of every table (the snapshot's and the external ones), and who can run a command.

use crate::access::State;
use crate::checks::context::qualified;
use crate::checks::Context;
use crate::model::{Function, Policy, Table};
use std::collections::BTreeMap;

pub use crate::checks::context::platform_schema;

/// A trigger or event-trigger function: PostgreSQL refuses to call it directly, so no API exposes it.
pub fn trigger_function(f: &Function) -> bool {
    matches!(f.returns.as_deref(), Some("trigger") | Some("event_trigger"))
}

/// `schema.name(argtypes)` as SQL, for ALTER / GRANT / REVOKE.
pub fn function_sql(f: &Function) -> String {
    format!("{}({})", qualified(&f.schema, &f.name), f.signature)
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => format!("{} and {}", init.iter().map(|s| s.as_ref()).collect::<Vec<_>>().join(", "), last.as_ref()),
    }
}

/// Every table that has policies, with its policies: the snapshot's tables, then the tables the
/// input does not define (`external_policies`, e.g. `storage.objects` in an app-only dump).
pub fn policy_tables<'a>(cx: &Context<'a>) -> Vec<(String, Option<&'a Table>, Vec<&'a Policy>)> {
    let mut out: Vec<(String, Option<&'a Table>, Vec<&'a Policy>)> = cx
        .snap
        .tables
        .iter()
        .filter(|(_, t)| !t.policies.is_empty())
        .map(|(k, t)| (k.clone(), Some(t), t.policies.values().collect()))
        .collect();
    let mut external: BTreeMap<&str, Vec<&'a Policy>> = BTreeMap::new();
    for p in cx.snap.external_policies.values() {
        external.entry(p.table.as_str()).or_default().push(p);
    }
    out.extend(external.into_iter().map(|(k, ps)| (k.to_string(), None, ps)));
    out
}

/// The policy's key, `schema.table/name`.
pub fn policy_key(p: &Policy) -> String {
    crate::model::key::member(&p.table, &p.name)
}

/// `ON schema.table`, from a table key whose table may not be in the snapshot.
pub fn table_sql(key: &str, table: Option<&Table>) -> String {
    match table {
        Some(t) => qualified(&t.schema, &t.name),
        None => match key.split_once('.') {
            Some((s, n)) => qualified(s, n),
            None => crate::build::quote_ident(key),
        },
    }
}

/// The API roles whose cell for `command` (an index into [`crate::access::Command::TABLE`]) on
/// `object` is anything but "no privilege", with the assumptions those cells rest on.
pub fn api_roles_with(cx: &Context, object: &str, command: usize) -> (Vec<String>, Vec<String>) {
    let mut roles = Vec::new();
    let mut assumptions = Vec::new();
    for r in cx.api_roles() {
        if let Some(c) = cx.cells(r, object).and_then(|c| c.get(command)) {
            if c.state != State::NoPrivilege {
                roles.push(r.clone());
                assumptions.extend(c.assumptions.iter().cloned());
            }
        }
    }
    assumptions.sort();
    assumptions.dedup();
    (roles, assumptions)
}

/// For a `'` or `"` at `b[start]`: the index just past the quote that closes it (a doubled quote
/// escapes itself), or the end of the text.
pub fn quoted_end(b: &[u8], start: usize) -> usize {
    let q = b[start];
    let mut i = start + 1;
    while i < b.len() {
        if b[i] == q {
            if b.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

/// For every view, the relations (tables, views, materialized views, and `auth.users` whether or not
/// the snapshot has it) it reads directly or through the views it reads.
pub fn view_reads(cx: &Context) -> BTreeMap<String, std::collections::BTreeSet<String>> {
    use std::collections::BTreeSet;
    let known = |k: &str| k == "auth.users" || cx.snap.tables.contains_key(k) || cx.snap.views.contains_key(k);
    let direct: BTreeMap<&str, BTreeSet<String>> =
        cx.snap.views.iter().map(|(k, v)| (k.as_str(), v.reads.iter().filter(|n| known(n) && *n != k).cloned().collect())).collect();
    let mut out = BTreeMap::new();
    for k in direct.keys() {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut todo: Vec<&str> = vec![k];
        while let Some(v) = todo.pop() {
            for r in direct.get(v).into_iter().flatten() {
                if seen.insert(r.clone()) {
                    if let Some((name, _)) = direct.get_key_value(r.as_str()) {
                        todo.push(name);
                    }
                }
            }
        }
        seen.remove(*k);
        out.insert(k.to_string(), seen);
    }
    out
}

/// SECURITY DEFINER functions `role` may execute (`anon_security_definer_function_executable`,
/// `authenticated_security_definer_function_executable`). `regrant` names the other assumed roles
/// that keep EXECUTE when the fix revokes it from PUBLIC.
pub fn security_definer_executable(cx: &Context, out: &mut crate::checks::Emitter, role: &str, regrant: &[String]) {
    use crate::checks::Draft;
    for (key, f) in &cx.snap.functions {
        if !f.security_definer || f.is_procedure || !cx.is_exposed(&f.schema) || platform_schema(&f.schema) || trigger_function(f) {
            continue;
        }
        let Some(cell) = cx.cells(role, key).and_then(|c| c.first()) else {
            continue;
        };
        if cell.state == State::NoPrivilege {
            continue;
        }
        // Which ACL entries give the role EXECUTE: its own, an inherited role's, PUBLIC's.
        let holders = cx.assumptions.privileges_of(role);
        let grants: Vec<&crate::model::Privilege> =
            f.privileges.iter().filter(|p| p.privilege == "EXECUTE" && (p.grantee == "PUBLIC" || holders.contains(&p.grantee))).collect();
        let direct = grants.iter().any(|p| p.grantee == role);
        let public_default = !direct && grants.iter().any(|p| p.grantee == "PUBLIC" && p.span.is_none());
        let via = if direct {
            format!("granted to {role}")
        } else if public_default {
            "PUBLIC's default EXECUTE, never revoked".to_string()
        } else if grants.iter().any(|p| p.grantee == "PUBLIC") {
            "a grant to PUBLIC".to_string()
        } else {
            let inherited: Vec<&str> = grants.iter().map(|p| p.grantee.as_str()).collect();
            format!("a grant to {}", and_list(&inherited))
        };
        let owner = f.owner.as_deref().map(|o| format!(" ({o})")).unwrap_or_default();
        let mut revoke_from: Vec<String> = grants
            .iter()
            .map(|p| if p.grantee == "PUBLIC" { "PUBLIC".to_string() } else { crate::build::quote_ident(&p.grantee) })
            .collect();
        let mut seen = std::collections::HashSet::new();
        revoke_from.retain(|g| seen.insert(g.clone()));
        let target = function_sql(f);
        let mut fix = format!("REVOKE EXECUTE ON FUNCTION {target} FROM {};", revoke_from.join(", "));
        if revoke_from.iter().any(|g| g == "PUBLIC") {
            let keep: Vec<&String> = regrant.iter().filter(|r| r.as_str() != role).collect();
            if !keep.is_empty() {
                let keep: Vec<String> = keep.iter().map(|r| crate::build::quote_ident(r)).collect();
                fix.push_str(&format!("\nGRANT EXECUTE ON FUNCTION {target} TO {};", keep.join(", ")));
            }
        }
        let mut d = Draft::new(
            key,
            format!(
                "SECURITY DEFINER function {key} runs with its owner's rights{owner} and {role} can call it as /rest/v1/rpc/{} ({via})",
                f.name
            ),
        )
        .fix(fix)
        .span(f.span)
        .assume([cx.exposed_assumption()])
        .assume(cell.assumptions.iter().cloned());
        if public_default {
            d = d.assume([format!("EXECUTE on {key} was never revoked from PUBLIC (no REVOKE in the dump)")]);
        }
        out.emit(d);
    }
}
