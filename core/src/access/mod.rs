//! The access matrix: for every role × relation × command (and role × function for EXECUTE), what
//! the role can do, computed from the snapshot alone.
//!
//! Two layers, as PostgreSQL checks them:
//! 1. **Privileges**: the object's ACL (owner entries, grants to the role, to roles it inherits
//!    from, to PUBLIC), column privileges, and USAGE on the schema. The `privilege` flag is what
//!    `has_table_privilege` / `has_any_column_privilege` / `has_function_privilege` answer; the
//!    cell's state also needs USAGE on the schema.
//! 2. **Row level security** (relations with RLS enabled): skipped for superusers, BYPASSRLS roles
//!    and the owner (unless FORCE); otherwise the policies for the command whose roles include the
//!    role (or PUBLIC, or a role it inherits from): permissive ones OR'ed, restrictive ones AND'ed,
//!    none permissive = no rows.
//!
//! Invariants: pure function of (snapshot, assumptions); no parsing (expressions are combined as
//! their canonical text); deterministic order (relations by key, roles as [`Matrix::roles`] lists
//! them, commands in [`Command::TABLE`] order).

pub mod assumptions;
mod rls;

pub use rls::for_command as policy_covers;

pub use assumptions::Assumptions;

use crate::model::{Privilege, Snapshot, Span, TableKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Command {
    Select,
    Insert,
    Update,
    Delete,
    Execute,
}

impl Command {
    /// The commands a relation has a cell for, in cell order.
    pub const TABLE: [Command; 4] = [Command::Select, Command::Insert, Command::Update, Command::Delete];

    pub fn as_str(self) -> &'static str {
        match self {
            Command::Select => "SELECT",
            Command::Insert => "INSERT",
            Command::Update => "UPDATE",
            Command::Delete => "DELETE",
            Command::Execute => "EXECUTE",
        }
    }

    pub fn parse(s: &str) -> Option<Command> {
        [Command::Select, Command::Insert, Command::Update, Command::Delete, Command::Execute]
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// The role lacks the privilege (or USAGE on the schema): the command fails.
    NoPrivilege,
    /// Privileged, but row level security lets no row through (no applicable permissive policy).
    RlsDenies,
    /// Every row: no RLS, RLS bypassed, or the policies reduce to `true`.
    AllRows,
    /// The rows [`Cell::predicate`] (and for writes [`Cell::with_check`]) allow.
    Conditional,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::NoPrivilege => "no_privilege",
            State::RlsDenies => "rls_denies",
            State::AllRows => "all_rows",
            State::Conditional => "conditional",
        }
    }
}

/// One role × relation × command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub role: String,
    /// `schema.name` of a relation, or the key `schema.name(argtypes)` of a function.
    pub relation: String,
    pub command: Command,
    /// What `has_table_privilege` (or `has_any_column_privilege` when only columns are granted,
    /// or `has_function_privilege`) answers.
    pub privilege: bool,
    /// When the privilege is on some columns only: those columns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<Vec<String>>,
    pub state: State,
    /// Canonical row filter: USING for SELECT / UPDATE / DELETE, WITH CHECK for INSERT.
    pub predicate: Option<String>,
    /// Canonical check on new rows, for INSERT and UPDATE under RLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_check: Option<String>,
    /// Names of the policies that decided the cell.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<String>,
    /// The assumptions (see [`Assumptions`]) this cell rests on.
    pub assumptions: Vec<String>,
    /// Why, in one line.
    pub reason: String,
}

/// A row of the matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    pub key: String,
    pub schema: String,
    /// `table`, `partitioned table`, `foreign table`, `view`, `materialized view` or `function`.
    pub kind: String,
    pub owner: Option<String>,
    pub rls_enabled: bool,
    pub rls_forced: bool,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matrix {
    pub assumptions: Option<Assumptions>,
    /// Column order: the assumed roles first, then every other role the snapshot names, then
    /// `public` (any role without grants of its own).
    pub roles: Vec<String>,
    /// Tables and views, by key.
    pub relations: Vec<Relation>,
    /// Functions and procedures, by key (one EXECUTE cell per role).
    pub functions: Vec<Relation>,
    /// Relation cells (relation-major, then role, then [`Command::TABLE`]), then function cells
    /// (function-major, then role).
    pub cells: Vec<Cell>,
}

impl Matrix {
    pub fn relation_cell(&self, relation: usize, role: usize, command: usize) -> &Cell {
        &self.cells[(relation * self.roles.len() + role) * Command::TABLE.len() + command]
    }

    pub fn function_cell(&self, function: usize, role: usize) -> &Cell {
        &self.cells[self.relations.len() * self.roles.len() * Command::TABLE.len() + function * self.roles.len() + role]
    }
}

/// What decided one cell, for the drill-down.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub cell: Cell,
    pub relation: Relation,
    /// The roles whose privileges count for this role (itself, inherited ones, PUBLIC).
    pub acting_as: Vec<String>,
    /// ACL entries that grant the command's privilege to one of `acting_as`.
    pub grants: Vec<GrantUsed>,
    /// USAGE on the schema: `None` when the schema is not in the snapshot (assumed).
    pub schema_usage: Option<bool>,
    pub schema_grants: Vec<GrantUsed>,
    /// Every policy on the relation, with whether it applied to this role and command.
    pub policies: Vec<PolicyUsed>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantUsed {
    pub grantee: String,
    pub privilege: String,
    /// Set for a column privilege.
    pub column: Option<String>,
    pub grantor: Option<String>,
    /// The GRANT statement; `None` for built-in defaults (the owner's, PUBLIC's EXECUTE).
    pub span: Option<Span>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyUsed {
    pub name: String,
    pub permissive: bool,
    pub command: String,
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
    pub applies: bool,
    pub span: Span,
}

/// Computes every cell.
pub fn matrix(snap: &Snapshot, assumptions: &Assumptions) -> Matrix {
    matrix_for(snap, assumptions, roles(snap, assumptions))
}

/// The cells of the given role columns only (any role name; `public` is PUBLIC).
pub fn matrix_for(snap: &Snapshot, assumptions: &Assumptions, roles: Vec<String>) -> Matrix {
    let relations = relations(snap);
    let functions = functions(snap);
    let ctx = Ctx::new(snap, assumptions, &roles);
    let mut cells = Vec::with_capacity((relations.len() * Command::TABLE.len() + functions.len()) * roles.len());
    for rel in &relations {
        for role in &ctx.roles {
            for command in Command::TABLE {
                cells.push(ctx.evaluate(rel, role, command, None));
            }
        }
    }
    for f in &functions {
        for role in &ctx.roles {
            cells.push(ctx.evaluate(f, role, Command::Execute, None));
        }
    }
    Matrix { assumptions: Some(assumptions.clone()), roles, relations, functions, cells }
}

/// The drill-down for one cell; `None` for an unknown relation or function.
pub fn explain(snap: &Snapshot, assumptions: &Assumptions, role: &str, relation: &str, command: Command) -> Option<Explanation> {
    let rel = if command == Command::Execute {
        functions(snap).into_iter().find(|f| f.key == relation)?
    } else {
        relations(snap).into_iter().find(|r| r.key == relation)?
    };
    let roles = vec![role.to_string()];
    let ctx = Ctx::new(snap, assumptions, &roles);
    let mut detail = Detail::default();
    let cell = ctx.evaluate(&rel, &ctx.roles[0], command, Some(&mut detail));
    // Row level security was not consulted (no privilege, RLS off or bypassed): the table's
    // policies are still listed, none of them applied.
    if detail.policies.is_empty() {
        if let Some(t) = snap.tables.get(relation) {
            detail.policies = t.policies.values().map(|p| rls::used(p, false)).collect();
        }
    }
    Some(Explanation {
        cell,
        relation: rel,
        acting_as: ctx.roles[0].holders.iter().cloned().collect(),
        grants: detail.grants,
        schema_usage: detail.schema_usage,
        schema_grants: detail.schema_grants,
        policies: detail.policies,
    })
}

/// The role columns: assumed roles, then the snapshot's, then `public`.
pub fn roles(snap: &Snapshot, assumptions: &Assumptions) -> Vec<String> {
    let mut named = BTreeSet::new();
    let mut add = |r: &str| {
        if !r.is_empty() && !r.eq_ignore_ascii_case("public") {
            named.insert(r.to_string());
        }
    };
    let acl = |privs: &[Privilege], add: &mut dyn FnMut(&str)| privs.iter().for_each(|p| add(&p.grantee));
    for t in snap.tables.values() {
        t.owner.as_deref().map(&mut add);
        acl(&t.privileges, &mut add);
        t.columns.iter().for_each(|c| acl(&c.privileges, &mut add));
        t.policies.values().flat_map(|p| &p.roles).for_each(|r| add(r));
    }
    for v in snap.views.values() {
        v.owner.as_deref().map(&mut add);
        acl(&v.privileges, &mut add);
    }
    for f in snap.functions.values() {
        f.owner.as_deref().map(&mut add);
        acl(&f.privileges, &mut add);
    }
    let mut out: Vec<String> = assumptions.roles.clone();
    for r in assumptions.bypass_rls.iter().chain(&assumptions.superusers) {
        if !out.contains(r) && named.contains(r) {
            out.push(r.clone());
        }
    }
    out.extend(
        named
            .into_iter()
            .filter(|r| !assumptions.roles.contains(r) && !assumptions.bypass_rls.contains(r) && !assumptions.superusers.contains(r)),
    );
    out.push("public".into());
    out
}

fn relations(snap: &Snapshot) -> Vec<Relation> {
    let mut out: Vec<Relation> = snap.tables.keys().chain(snap.views.keys()).filter_map(|k| relation_of(snap, k)).collect();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}

fn functions(snap: &Snapshot) -> Vec<Relation> {
    snap.functions
        .iter()
        .map(|(k, f)| Relation {
            key: k.clone(),
            schema: f.schema.clone(),
            kind: if f.is_procedure { "procedure" } else { "function" }.into(),
            owner: f.owner.clone(),
            rls_enabled: false,
            rls_forced: false,
            span: f.span,
        })
        .collect()
}

/// A role as the evaluation sees it: whose privileges it holds, and the facts assumed about it.
struct Acting {
    name: String,
    /// The role, the roles it inherits from, and `PUBLIC`.
    holders: BTreeSet<String>,
    superuser: bool,
    bypass_rls: bool,
    membership: Vec<String>,
}

struct Ctx<'a> {
    snap: &'a Snapshot,
    assumptions: &'a Assumptions,
    roles: Vec<Acting>,
}

/// Views over views are followed this deep (a cycle cannot be created, but a dump can be odd).
const MAX_VIEW_DEPTH: usize = 8;

#[derive(Default)]
struct Detail {
    grants: Vec<GrantUsed>,
    schema_usage: Option<bool>,
    schema_grants: Vec<GrantUsed>,
    policies: Vec<PolicyUsed>,
}

fn acting(assumptions: &Assumptions, r: &str) -> Acting {
    let public = r == "public";
    let mut holders = if public { BTreeSet::new() } else { assumptions.privileges_of(r) };
    holders.insert("PUBLIC".into());
    Acting {
        name: r.to_string(),
        holders,
        superuser: !public && assumptions.is_superuser(r),
        bypass_rls: !public && assumptions.bypasses_rls(r),
        membership: if public { vec![] } else { assumptions.membership_sentences(r) },
    }
}

/// The matrix row of one table or view, by key.
fn relation_of(snap: &Snapshot, key: &str) -> Option<Relation> {
    if let Some(t) = snap.tables.get(key) {
        return Some(Relation {
            key: key.to_string(),
            schema: t.schema.clone(),
            kind: match t.kind {
                TableKind::Partitioned => "partitioned table",
                TableKind::Foreign => "foreign table",
                _ => "table",
            }
            .into(),
            owner: t.owner.clone(),
            rls_enabled: t.rls_enabled,
            rls_forced: t.rls_forced,
            span: t.span,
        });
    }
    snap.views.get(key).map(|v| Relation {
        key: key.to_string(),
        schema: v.schema.clone(),
        kind: if v.materialized { "materialized view" } else { "view" }.into(),
        owner: v.owner.clone(),
        rls_enabled: false,
        rls_forced: false,
        span: v.span,
    })
}

/// The ACL entries that give `privilege` to the role (or to a role whose privileges it holds).
fn holds<'p>(role: &'p Acting, privs: &'p [Privilege], privilege: &'p str) -> impl Iterator<Item = &'p Privilege> + 'p {
    privs.iter().filter(move |p| p.privilege == privilege && role.holders.contains(&p.grantee))
}

fn used(p: &Privilege, column: Option<&str>) -> GrantUsed {
    GrantUsed {
        grantee: p.grantee.clone(),
        privilege: p.privilege.clone(),
        column: column.map(str::to_string),
        grantor: p.grantor.clone(),
        span: p.span,
    }
}

impl<'a> Ctx<'a> {
    fn new(snap: &'a Snapshot, assumptions: &'a Assumptions, roles: &[String]) -> Self {
        let roles = roles.iter().map(|r| acting(assumptions, r)).collect();
        Ctx { snap, assumptions, roles }
    }

    fn acl_of(&self, rel: &Relation) -> (&'a [Privilege], Vec<(&'a str, &'a [Privilege])>) {
        if rel.kind == "function" || rel.kind == "procedure" {
            return (self.snap.functions.get(&rel.key).map(|f| f.privileges.as_slice()).unwrap_or(&[]), vec![]);
        }
        if let Some(t) = self.snap.tables.get(&rel.key) {
            return (&t.privileges, t.columns.iter().map(|c| (c.name.as_str(), c.privileges.as_slice())).collect());
        }
        (self.snap.views.get(&rel.key).map(|v| v.privileges.as_slice()).unwrap_or(&[]), vec![])
    }

    fn evaluate(&self, rel: &Relation, role: &Acting, command: Command, detail: Option<&mut Detail>) -> Cell {
        self.evaluate_at(rel, role, command, detail, 0)
    }

    fn evaluate_at(&self, rel: &Relation, role: &Acting, command: Command, mut detail: Option<&mut Detail>, depth: usize) -> Cell {
        // Membership sentences go only on cells an inherited role decided.
        let mut assumptions = Vec::new();
        let mut inherited = false;
        let through = |grantee: &str| grantee != role.name && grantee != "PUBLIC";
        let privilege_name = if command == Command::Execute { "EXECUTE" } else { command.as_str() };
        let (acl, columns) = self.acl_of(rel);

        // Layer 1: privileges.
        let table_grants: Vec<&Privilege> = holds(role, acl, privilege_name).collect();
        let mut column_grants: Vec<(&str, &Privilege)> = Vec::new();
        if table_grants.is_empty() && matches!(command, Command::Select | Command::Insert | Command::Update) {
            for (name, privs) in &columns {
                column_grants.extend(holds(role, privs, privilege_name).map(|p| (*name, p)));
            }
        }
        if let Some(d) = detail.as_deref_mut() {
            d.grants = table_grants.iter().map(|p| used(p, None)).chain(column_grants.iter().map(|(c, p)| used(p, Some(c)))).collect();
        }
        inherited |= table_grants.iter().any(|p| through(&p.grantee)) || column_grants.iter().any(|(_, p)| through(&p.grantee));
        let mut privileged_columns: Vec<String> = column_grants.iter().map(|(c, _)| c.to_string()).collect();
        privileged_columns.dedup();
        let privilege = role.superuser || !table_grants.is_empty() || !privileged_columns.is_empty();
        let columns = (!role.superuser && table_grants.is_empty() && !privileged_columns.is_empty()).then_some(privileged_columns);
        if role.superuser {
            assumptions.push(format!("{} is a superuser", role.name));
        }

        let mut cell = Cell {
            role: role.name.clone(),
            relation: rel.key.clone(),
            command,
            privilege,
            columns,
            state: State::NoPrivilege,
            predicate: None,
            with_check: None,
            policies: vec![],
            assumptions: vec![],
            reason: String::new(),
        };
        if !privilege {
            cell.reason = format!("no {privilege_name} privilege for {} (nor PUBLIC{})", role.name, inherited_note(role));
            cell.assumptions = assumptions;
            return cell;
        }
        let usage = self.schema_usage(rel, role, &mut assumptions, detail.as_deref_mut());
        if !usage {
            cell.reason = format!("no USAGE on schema {}", rel.schema);
            cell.assumptions = with_membership(assumptions, inherited, role);
            return cell;
        }

        // Layer 2: row level security.
        if rel.kind == "view" {
            self.view_rows(rel, role, command, &mut cell, &mut assumptions, depth);
        } else if command == Command::Execute || !rel.rls_enabled {
            cell.state = State::AllRows;
            cell.reason = match rel.kind.as_str() {
                "function" | "procedure" => "may execute".into(),
                "materialized view" => "materialized view: the rows stored at its last refresh (no row level security)".into(),
                _ => "row level security is not enabled".into(),
            };
        } else if role.superuser {
            cell.state = State::AllRows;
            cell.reason = "superusers bypass row level security".into();
        } else if role.bypass_rls {
            cell.state = State::AllRows;
            cell.reason = format!("{} has BYPASSRLS", role.name);
            assumptions.push(format!("{} has BYPASSRLS", role.name));
        } else if !rel.rls_forced && rel.owner.as_ref().is_some_and(|o| role.holders.contains(o)) {
            cell.state = State::AllRows;
            cell.reason = "the table's owner bypasses row level security (not FORCE)".into();
            inherited |= rel.owner.as_ref().is_some_and(|o| o != &role.name);
        } else if let Some(t) = self.snap.tables.get(&rel.key) {
            inherited |= rls::apply(t, role, command, &mut cell, detail.map(|d| &mut d.policies));
        }
        cell.assumptions = with_membership(assumptions, inherited, role);
        cell
    }

    /// A view reads its tables as its owner, or as the caller when `security_invoker`: the cell
    /// is what that role's cells on those tables allow. A write goes to the one table of a simple
    /// (auto-updatable) view; otherwise only its SELECT rows are followed.
    fn view_rows(&self, rel: &Relation, role: &Acting, command: Command, cell: &mut Cell, assumptions: &mut Vec<String>, depth: usize) {
        let Some(v) = self.snap.views.get(&rel.key) else {
            return;
        };
        let invoker = v.security_invoker();
        let reader = if invoker {
            None
        } else {
            match &v.owner {
                Some(o) => Some(acting(self.assumptions, o)),
                None => {
                    cell.state = State::AllRows;
                    cell.reason = "view with no known owner: it reads its tables with its owner's rights".into();
                    assumptions.push(format!("{}: owner unknown, its rights on the tables it reads are assumed complete", rel.key));
                    return;
                }
            }
        };
        let reader = reader.as_ref().unwrap_or(role);
        let as_whom = if invoker { format!("as the caller ({})", role.name) } else { format!("as its owner {}", reader.name) };
        let base_command = if command != Command::Select && v.reads.len() == 1 { command } else { Command::Select };
        let mut parts = Vec::new();
        let mut denied = Vec::new();
        let mut failing = Vec::new();
        for key in &v.reads {
            let Some(base) = relation_of(self.snap, key) else {
                assumptions.push(format!("{key} is not in the snapshot: {} reads it without restriction (assumed)", rel.key));
                continue;
            };
            if depth >= MAX_VIEW_DEPTH {
                continue;
            }
            let c = self.evaluate_at(&base, reader, base_command, None, depth + 1);
            for a in c.assumptions {
                if !assumptions.contains(&a) {
                    assumptions.push(a);
                }
            }
            match c.state {
                State::NoPrivilege => failing.push(key.clone()),
                State::RlsDenies => denied.push(key.clone()),
                State::Conditional => parts.push(format!("{key}: {}", c.predicate.unwrap_or_default())),
                State::AllRows => {}
            }
            cell.policies.extend(c.policies.into_iter().map(|p| format!("{key}/{p}")));
        }
        let kind = if invoker { "security_invoker view" } else { "view" };
        if !failing.is_empty() {
            cell.state = State::NoPrivilege;
            cell.reason = format!("{kind} reads {} {as_whom}, who lacks the privilege", failing.join(", "));
        } else if !denied.is_empty() {
            cell.state = State::RlsDenies;
            cell.reason = format!("{kind} reads {} {as_whom}, whose row level security lets no row through", denied.join(", "));
        } else if parts.is_empty() {
            cell.state = State::AllRows;
            cell.reason = format!("{kind} reads its tables {as_whom}, who sees every row");
        } else {
            cell.state = State::Conditional;
            cell.predicate = Some(parts.join("; "));
            cell.reason = format!("{kind} reads its tables {as_whom}: rows their policies allow");
        }
    }

    fn schema_usage(&self, rel: &Relation, role: &Acting, assumptions: &mut Vec<String>, detail: Option<&mut Detail>) -> bool {
        if role.superuser {
            return true;
        }
        let Some(schema) = self.snap.schemas.get(&rel.schema) else {
            assumptions.push(format!("schema {} is not in the snapshot: USAGE assumed", rel.schema));
            return true;
        };
        let grants: Vec<&Privilege> = holds(role, &schema.privileges, "USAGE").collect();
        if let Some(d) = detail {
            d.schema_usage = Some(!grants.is_empty());
            d.schema_grants = grants.iter().map(|p| used(p, None)).collect();
        }
        !grants.is_empty()
    }
}

fn with_membership(mut assumptions: Vec<String>, inherited: bool, role: &Acting) -> Vec<String> {
    if inherited {
        assumptions.extend(role.membership.iter().cloned());
    }
    assumptions
}

fn inherited_note(role: &Acting) -> String {
    let others: Vec<&str> = role.holders.iter().map(String::as_str).filter(|r| *r != role.name && *r != "PUBLIC").collect();
    if others.is_empty() {
        String::new()
    } else {
        format!(", nor {}", others.join(", "))
    }
}

#[cfg(test)]
mod tests;
