//! Helpers shared by the integrity batch's rules (duplicate_index, no_primary_key, guest_grants, ...).

pub use super::security_util::and_list;

use crate::access::{Cell, Command, State};
use crate::checks::Context;
use crate::model::{Policy, Privilege, Table};
use pg_query::protobuf;

/// Whether `schema` belongs to the platform or to an extension rather than to the app: one of
/// Supabase's own schemas (the security batch's list; not under the plain preset, where `auth` or
/// `storage` would be the app's own), or a schema an extension was installed into
/// (`CREATE EXTENSION ... WITH SCHEMA s`) other than `public` and the exposed ones.
pub fn not_app_schema(cx: &Context, schema: &str) -> bool {
    if cx.assumptions.preset != "plain" && super::security_util::platform_schema(schema) {
        return true;
    }
    schema != "public" && !cx.is_exposed(schema) && cx.snap.extensions.values().any(|e| e.schema.as_deref() == Some(schema))
}

/// The "guest" roles: the API roles named like an anonymous role (`anon`, PostgREST's `web_anon`),
/// then `public` (the matrix's column for PUBLIC: any role at all).
pub fn guests(cx: &Context) -> Vec<String> {
    let mut out: Vec<String> = cx.api_roles().iter().filter(|r| r.to_ascii_lowercase().contains("anon")).cloned().collect();
    out.push("public".into());
    out
}

/// The assumption sentence behind treating `role` as a guest.
pub fn guest_assumption(role: &str) -> Option<String> {
    (role != "public").then(|| format!("{role} is the API's anonymous role (assumed from the API roles)"))
}

/// The ACL grantees whose grants `role` holds itself: `PUBLIC` for the `public` column, else the role
/// and the roles it inherits from (PUBLIC's own grants are left to the `public` column).
pub fn own_grantees(cx: &Context, role: &str) -> Vec<String> {
    if role == "public" {
        vec!["PUBLIC".into()]
    } else {
        cx.assumptions.privileges_of(role).into_iter().collect()
    }
}

/// `role` as SQL in GRANT/REVOKE: `PUBLIC` bare, names quoted.
pub fn grantee_sql(role: &str) -> String {
    if role.eq_ignore_ascii_case("public") {
        "PUBLIC".into()
    } else {
        crate::build::quote_ident(role)
    }
}

/// The grantees in `privs` that give `privilege` to any of `roles` (directly, through a role they
/// inherit from, or through PUBLIC), sorted: whom to REVOKE from.
pub fn granting(cx: &Context, privs: &[Privilege], privilege: &str, roles: &[String]) -> Vec<String> {
    let mut holders: Vec<String> = roles.iter().flat_map(|r| own_grantees(cx, r)).collect();
    holders.push("PUBLIC".into());
    let mut out: Vec<String> =
        privs.iter().filter(|p| p.privilege == privilege && holders.contains(&p.grantee)).map(|p| p.grantee.clone()).collect();
    out.sort();
    out.dedup();
    out
}

/// The API roles that can SELECT `object` (privilege and schema USAGE), with the cells' assumptions;
/// and for each such role the commands it can run.
pub fn api_selectors(cx: &Context, object: &str) -> (Vec<(String, Vec<Command>)>, Vec<String>) {
    let mut roles = Vec::new();
    let mut assumptions = Vec::new();
    for r in cx.api_roles() {
        let cells: Vec<&Cell> = cx.reachable(r, object);
        if !cells.iter().any(|c| c.command == Command::Select) {
            continue;
        }
        roles.push((r.clone(), cells.iter().map(|c| c.command).collect()));
        for c in cells {
            assumptions.extend(c.assumptions.iter().cloned());
        }
    }
    assumptions.sort();
    assumptions.dedup();
    (roles, assumptions)
}

/// The cells in which `role` gets rows of `object` (all of them, or the policies' share).
pub fn row_cells<'c>(cx: &'c Context, role: &str, object: &str) -> Vec<&'c Cell> {
    cx.cells(role, object)
        .map(|c| c.iter().filter(|c| matches!(c.state, State::AllRows | State::Conditional)).collect())
        .unwrap_or_default()
}

pub fn commands_text(commands: &[Command]) -> String {
    commands.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
}

/// Text types that compare freely with each other (a length difference is hygiene, not a bug).
pub fn textual(t: &str) -> bool {
    t == "text" || t.starts_with("character varying") || t.starts_with("character(") || t == "character"
}

/// Whether a policy expression (canonical text) can never hold for a caller without a user
/// identity, Supabase's `anon`: a conjunct compares `auth.uid()`, `auth.email()` or
/// `auth.jwt() ->> 'sub'|'email'` (bare or in a scalar sub-select; NULL for `anon`) with `=` or `IN`,
/// or compares `auth.role()` with a string other than `'anon'`.
pub fn identity_gated(canonical: &str) -> bool {
    crate::parse::parse_expression(canonical).is_ok_and(|n| gated(&n))
}

fn gated(n: &protobuf::Node) -> bool {
    use protobuf::node::Node as N;
    match n.node.as_ref() {
        Some(N::BoolExpr(b)) if b.boolop == protobuf::BoolExprType::AndExpr as i32 => b.args.iter().any(gated),
        // `auth.uid() IN (SELECT ...)`, `auth.uid() = ANY (SELECT ...)`.
        Some(N::SubLink(l)) if l.sub_link_type == protobuf::SubLinkType::AnySublink as i32 => {
            l.oper_name.iter().filter_map(string).all(|o| o == "=") && l.testexpr.as_deref().is_some_and(identity)
        }
        Some(N::AExpr(e)) => {
            let op: Vec<&str> = e.name.iter().filter_map(string).collect();
            let (l, r) = (e.lexpr.as_deref(), e.rexpr.as_deref());
            if e.kind == protobuf::AExprKind::AexprIn as i32 {
                return l.is_some_and(identity);
            }
            if e.kind != protobuf::AExprKind::AexprOp as i32 || op != ["="] {
                return false;
            }
            let role_not_anon = |a: Option<&protobuf::Node>, b: Option<&protobuf::Node>| {
                a.is_some_and(|a| call_name(a).as_deref() == Some("auth.role")) && b.and_then(constant).is_some_and(|s| s != "anon")
            };
            l.is_some_and(identity) || r.is_some_and(identity) || role_not_anon(l, r) || role_not_anon(r, l)
        }
        _ => false,
    }
}

fn string(n: &protobuf::Node) -> Option<&str> {
    match n.node.as_ref() {
        Some(protobuf::node::Node::String(s)) => Some(s.sval.as_str()),
        _ => None,
    }
}

/// Looks through casts and scalar sub-selects without FROM: `(SELECT auth.uid())::text`.
fn unwrap(n: &protobuf::Node) -> &protobuf::Node {
    use protobuf::node::Node as N;
    match n.node.as_ref() {
        Some(N::TypeCast(c)) => c.arg.as_deref().map(unwrap).unwrap_or(n),
        Some(N::SubLink(s)) if s.sub_link_type == protobuf::SubLinkType::ExprSublink as i32 => {
            match s.subselect.as_deref().and_then(|q| q.node.as_ref()) {
                Some(N::SelectStmt(q)) if q.from_clause.is_empty() && q.where_clause.is_none() && q.target_list.len() == 1 => {
                    match q.target_list[0].node.as_ref() {
                        Some(N::ResTarget(t)) => t.val.as_deref().map(unwrap).unwrap_or(n),
                        _ => n,
                    }
                }
                _ => n,
            }
        }
        _ => n,
    }
}

fn call_name(n: &protobuf::Node) -> Option<String> {
    match unwrap(n).node.as_ref() {
        Some(protobuf::node::Node::FuncCall(f)) if f.args.is_empty() => {
            Some(f.funcname.iter().filter_map(string).collect::<Vec<_>>().join("."))
        }
        _ => None,
    }
}

fn constant(n: &protobuf::Node) -> Option<&str> {
    match unwrap(n).node.as_ref() {
        Some(protobuf::node::Node::AConst(c)) => match c.val.as_ref() {
            Some(protobuf::a_const::Val::Sval(s)) => Some(s.sval.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// NULL for a caller without a user identity.
fn identity(n: &protobuf::Node) -> bool {
    use protobuf::node::Node as N;
    if matches!(call_name(n).as_deref(), Some("auth.uid" | "auth.email")) {
        return true;
    }
    match unwrap(n).node.as_ref() {
        Some(N::AExpr(e)) if e.kind == protobuf::AExprKind::AexprOp as i32 => {
            let op: Vec<&str> = e.name.iter().filter_map(string).collect();
            op == ["->>"]
                && e.lexpr.as_deref().and_then(call_name).as_deref() == Some("auth.jwt")
                && e.rexpr.as_deref().and_then(constant).is_some_and(|k| k == "sub" || k == "email")
        }
        _ => false,
    }
}

/// Whether the policies that decided `cell` (a guest's) can let a caller without a user identity
/// through: false when every permissive one, or some restrictive one, is [`identity_gated`]. Only
/// for anonymous API roles: PUBLIC includes signed-in roles.
pub fn admits_anonymous(cx: &Context, t: &Table, cell: &Cell) -> bool {
    if cell.role == "public" || cell.policies.is_empty() {
        return true;
    }
    let expr = |p: &Policy| -> Option<String> {
        let e = match cell.command {
            Command::Insert => p.with_check.as_ref().or(p.using.as_ref()),
            _ => p.using.as_ref(),
        };
        e.map(|e| e.canonical.clone())
    };
    let policies: Vec<&Policy> = cell.policies.iter().filter_map(|n| t.policies.get(n)).collect();
    if policies.len() != cell.policies.len() {
        return true;
    }
    let is_gated = |p: &&Policy| expr(p).is_some_and(|e| *cx.memo(&format!("identity_gated\0{e}"), || identity_gated(&e)));
    let (permissive, restrictive): (Vec<&Policy>, Vec<&Policy>) = policies.into_iter().partition(|p| p.permissive);
    let closed = permissive.iter().all(is_gated) || restrictive.iter().any(is_gated);
    !closed
}

#[cfg(test)]
mod tests {
    use super::identity_gated as g;

    #[test]
    fn identity_gated_policies() {
        assert!(g("auth.uid() = user_id"));
        assert!(g("(SELECT auth.uid() AS uid) = user_id"));
        assert!(g("user_id = (auth.uid())::text"));
        assert!(g("auth.email() = email AND is_active"));
        assert!(g("((auth.jwt() ->> 'sub'::text))::uuid = owner_id"));
        assert!(g("auth.uid() IN (SELECT m.user_id FROM members m)"));
        assert!(g("auth.role() = 'authenticated'::text"));
        assert!(!g("auth.role() = 'anon'::text"));
        assert!(!g("auth.uid() = user_id OR is_public"));
        assert!(!g("auth.uid() IS NULL"));
        assert!(!g("true"));
        assert!(!g("user_id IN (SELECT auth.uid())"));
        assert!(!g("(auth.jwt() ->> 'role'::text) = 'admin'::text"));
    }
}
