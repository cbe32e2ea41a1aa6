//! What rules read besides the snapshot: the assumptions, the config, and the access matrix
//! (computed once, on first use, for the rules that ask who can reach a relation).

use super::{ChecksConfig, Location};
use crate::access::{self, Assumptions, Cell, Command, Matrix, State};
use crate::model::{Snapshot, Span, Table};
use std::cell::OnceCell;
use std::collections::HashMap;

pub struct Context<'a> {
    pub snap: &'a Snapshot,
    pub assumptions: &'a Assumptions,
    pub config: &'a ChecksConfig,
    /// One matrix column per role, computed when a rule first asks about that role.
    columns: HashMap<String, OnceCell<(Matrix, HashMap<String, usize>)>>,
    exprs: std::cell::RefCell<HashMap<String, Option<std::rc::Rc<super::expr::ExprFacts>>>>,
    trees: std::cell::RefCell<HashMap<String, Option<std::rc::Rc<serde_json::Value>>>>,
    memo: std::cell::RefCell<HashMap<(std::any::TypeId, String), std::rc::Rc<dyn std::any::Any>>>,
}

impl<'a> Context<'a> {
    pub fn new(snap: &'a Snapshot, assumptions: &'a Assumptions, config: &'a ChecksConfig) -> Self {
        let mut roles = access::roles(snap, assumptions);
        roles.extend(assumptions.api_roles.iter().cloned());
        let columns = roles.into_iter().map(|r| (r, OnceCell::new())).collect();
        Context { snap, assumptions, config, columns, exprs: Default::default(), trees: Default::default(), memo: Default::default() }
    }

    /// Facts about an expression's canonical text (parsed once per distinct text); `None` when
    /// it does not parse.
    pub fn expr(&self, canonical: &str) -> Option<std::rc::Rc<super::expr::ExprFacts>> {
        if let Some(f) = self.exprs.borrow().get(canonical) {
            return f.clone();
        }
        let f = self.expr_tree(canonical).map(|t| std::rc::Rc::new(super::expr::facts_of_tree(&t, canonical)));
        self.exprs.borrow_mut().insert(canonical.to_string(), f.clone());
        f
    }

    pub fn location(&self, span: &Span) -> Location {
        let file = self.snap.files.get(span.file as usize).map(|f| f.name.clone()).unwrap_or_default();
        Location { file, line: span.line, column: span.column }
    }

    pub fn is_exposed(&self, schema: &str) -> bool {
        self.assumptions.exposed_schemas.iter().any(|s| s == schema)
    }

    /// The parse tree of an expression's canonical text in its serde form (parsed once per
    /// distinct text, shared by every rule that walks it); `None` when it does not parse.
    pub fn expr_tree(&self, canonical: &str) -> Option<std::rc::Rc<serde_json::Value>> {
        if let Some(t) = self.trees.borrow().get(canonical) {
            return t.clone();
        }
        let t = super::expr::tree(canonical).map(std::rc::Rc::new);
        self.trees.borrow_mut().insert(canonical.to_string(), t.clone());
        t
    }

    /// What `f` derives for `key`, computed once per check run and shared by every rule (facts
    /// about one policy expression that several rules read).
    pub fn memo<T: 'static>(&self, key: &str, f: impl FnOnce() -> T) -> std::rc::Rc<T> {
        let k = (std::any::TypeId::of::<T>(), key.to_string());
        if let Some(v) = self.memo.borrow().get(&k) {
            if let Ok(v) = v.clone().downcast::<T>() {
                return v;
            }
        }
        let v = std::rc::Rc::new(f());
        self.memo.borrow_mut().insert(k, v.clone());
        v
    }

    /// The assumption sentence behind "exposed".
    pub fn exposed_assumption(&self) -> String {
        format!("exposed schemas: {} (assumed)", self.assumptions.exposed_schemas.join(", "))
    }

    pub fn api_roles(&self) -> &[String] {
        &self.assumptions.api_roles
    }

    /// The matrix's cells for one role on one relation (SELECT, INSERT, UPDATE, DELETE), or for
    /// one function (EXECUTE), `None` when the role or object is not in the matrix.
    pub fn cells(&self, role: &str, object: &str) -> Option<&[Cell]> {
        let (m, index) = self.columns.get(role)?.get_or_init(|| {
            let m = access::matrix_for(self.snap, self.assumptions, vec![role.to_string()]);
            let mut index = HashMap::new();
            for (i, c) in m.cells.iter().enumerate() {
                index.entry(c.relation.clone()).or_insert(i);
            }
            (m, index)
        });
        let start = *index.get(object)?;
        let n = if m.cells[start].command == Command::Execute { 1 } else { Command::TABLE.len() };
        m.cells.get(start..start + n)
    }

    /// The commands `role` can run on `object` at all (privilege and schema USAGE).
    pub fn reachable(&self, role: &str, object: &str) -> Vec<&Cell> {
        self.cells(role, object).map(|c| c.iter().filter(|c| c.state != State::NoPrivilege).collect()).unwrap_or_default()
    }

    /// API roles that can run some command on `object`, with the assumptions those cells used.
    pub fn api_reach(&self, object: &str) -> (Vec<String>, Vec<String>) {
        let mut roles = Vec::new();
        let mut assumptions = Vec::new();
        for r in self.api_roles() {
            let cells = self.reachable(r, object);
            if !cells.is_empty() {
                roles.push(r.clone());
                for c in cells {
                    assumptions.extend(c.assumptions.iter().cloned());
                }
            }
        }
        assumptions.sort();
        assumptions.dedup();
        (roles, assumptions)
    }

    pub fn tables(&self) -> impl Iterator<Item = (&'a String, &'a Table)> {
        self.snap.tables.iter()
    }
}

/// Schemas that Supabase, the extensions it installs, or PostgreSQL itself own: their objects are
/// the platform's, not the app's, so rules about the app's own design and exposure skip them.
pub const PLATFORM_SCHEMAS: &[&str] = &[
    "auth",
    "storage",
    "realtime",
    "_realtime",
    "supabase_functions",
    "supabase_migrations",
    "extensions",
    "graphql",
    "graphql_public",
    "vault",
    "pgsodium",
    "pgsodium_masks",
    "net",
    "cron",
    "pgbouncer",
    "pgtle",
    "pgmq",
    "_analytics",
    "pg_catalog",
    "information_schema",
];

pub fn platform_schema(schema: &str) -> bool {
    PLATFORM_SCHEMAS.contains(&schema)
}

/// `schema.name` quoted as SQL.
pub fn qualified(schema: &str, name: &str) -> String {
    format!("{}.{}", crate::build::quote_ident(schema), crate::build::quote_ident(name))
}

/// A `*` wildcard match (ASCII case-insensitive), without allocating: rules call it for every
/// table and pattern.
pub fn matches_pattern(pattern: &str, text: &str) -> bool {
    fn starts(t: &[u8], p: &[u8]) -> bool {
        t.len() >= p.len() && t[..p.len()].eq_ignore_ascii_case(p)
    }
    fn find(t: &[u8], p: &[u8]) -> Option<usize> {
        (0..=t.len().checked_sub(p.len())?).find(|&i| starts(&t[i..], p))
    }
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let parts: Vec<&[u8]> = p.split(|&c| c == b'*').collect();
    if parts.len() == 1 {
        return p.eq_ignore_ascii_case(t);
    }
    let mut rest = t;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            if !starts(rest, part) {
                return false;
            }
            rest = &rest[part.len()..];
        } else if i == parts.len() - 1 {
            return rest.len() >= part.len() && rest[rest.len() - part.len()..].eq_ignore_ascii_case(part);
        } else {
            match find(rest, part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}
