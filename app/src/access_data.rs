//! The access page's data, apart from the DOM: the core's matrix with the indexes the filters
//! need, the filters themselves, how a state is drawn, and the `pglens.toml` text of a set of
//! assumptions. Pure: unit tested natively and in wasm.

use crate::helpers::{AccessView, Query};
use pglens_core::access::{Assumptions, Cell, Command, Matrix, State};

/// A matrix plus what the page filters on, built once per (snapshot, assumptions).
pub struct AccessData {
    pub matrix: Matrix,
    /// Every schema a relation or function is in, sorted.
    pub schemas: Vec<String>,
    relation_search: Vec<String>,
    function_search: Vec<String>,
    /// How long `access::matrix` took, in milliseconds (shown on the page).
    pub compute_ms: f64,
}

impl AccessData {
    pub fn new(matrix: Matrix, compute_ms: f64) -> AccessData {
        let mut schemas: Vec<String> = matrix.relations.iter().chain(&matrix.functions).map(|r| r.schema.clone()).collect();
        schemas.sort();
        schemas.dedup();
        let search = |rs: &[pglens_core::access::Relation]| rs.iter().map(|r| r.key.to_lowercase()).collect();
        let relation_search = search(&matrix.relations);
        let function_search = search(&matrix.functions);
        AccessData { matrix, schemas, relation_search, function_search, compute_ms }
    }

    /// The role columns `view` shows: its roles in matrix order, or every role when it names
    /// none. Roles the matrix lacks are left out.
    pub fn role_indexes(&self, view: &AccessView) -> Vec<usize> {
        let roles = &self.matrix.roles;
        if view.roles.is_empty() {
            return (0..roles.len()).collect();
        }
        (0..roles.len()).filter(|&i| view.roles.contains(&roles[i])).collect()
    }

    /// The rows `view` shows: indexes into `matrix.relations` (or `matrix.functions`).
    pub fn row_indexes(&self, view: &AccessView) -> Vec<usize> {
        let q = Query::new(&view.q);
        let roles = self.role_indexes(view);
        let (rows, search) =
            if view.functions { (&self.matrix.functions, &self.function_search) } else { (&self.matrix.relations, &self.relation_search) };
        (0..rows.len())
            .filter(|&i| {
                let r = &rows[i];
                view.schema.as_ref().is_none_or(|s| &r.schema == s)
                    && q.matches(&search[i])
                    && (view.functions || !view.rls_only || r.rls_enabled)
                    && (!view.all_rows_only || roles.iter().any(|&role| self.reads_all(view.functions, i, role)))
            })
            .collect()
    }

    /// The cells of one row for one role: four for a relation, one (EXECUTE) for a function.
    pub fn cells(&self, functions: bool, row: usize, role: usize) -> Vec<&Cell> {
        if functions {
            vec![self.matrix.function_cell(row, role)]
        } else {
            (0..Command::TABLE.len()).map(|c| self.matrix.relation_cell(row, role, c)).collect()
        }
    }

    fn reads_all(&self, functions: bool, row: usize, role: usize) -> bool {
        let first = if functions { self.matrix.function_cell(row, role) } else { self.matrix.relation_cell(row, role, 0) };
        first.state == State::AllRows
    }
}

/// The role list of the hash after the user ticks or unticks `role` (`shown` empty = every
/// role). Unticking the last role is refused (an empty list would mean every role again); a list
/// that holds every role becomes empty, so links stay short.
pub fn toggle_role(shown: &[String], all: &[String], role: &str) -> Vec<String> {
    let mut next: Vec<String> = if shown.is_empty() { all.to_vec() } else { shown.to_vec() };
    match next.iter().position(|r| r == role) {
        Some(_) if next.len() == 1 => return shown.to_vec(),
        Some(i) => {
            next.remove(i);
        }
        None => next.push(role.to_string()),
    }
    if all.iter().all(|r| next.contains(r)) {
        return vec![];
    }
    // Matrix order, so the same set always gives the same link.
    all.iter().filter(|r| next.contains(r)).cloned().collect()
}

/// Colour is never the only signal: each state also has a symbol.
pub fn state_symbol(s: State) -> &'static str {
    match s {
        State::AllRows => "✓",
        State::Conditional => "◐",
        State::RlsDenies => "∅",
        State::NoPrivilege => "–",
    }
}

pub fn state_label(s: State) -> &'static str {
    match s {
        State::AllRows => "all rows",
        State::Conditional => "conditional",
        State::RlsDenies => "RLS denies",
        State::NoPrivilege => "no privilege",
    }
}

/// The legend's sentence for a state.
pub fn state_meaning(s: State) -> &'static str {
    match s {
        State::AllRows => "every row (no RLS, RLS bypassed, or always-true policies)",
        State::Conditional => "the rows a policy predicate allows",
        State::RlsDenies => "granted, but no policy lets a row through",
        State::NoPrivilege => "no grant (or no USAGE on the schema): the command fails",
    }
}

/// `S`, `I`, `U`, `D`, or `X` for EXECUTE.
pub fn command_letter(c: Command) -> &'static str {
    match c {
        Command::Select => "S",
        Command::Insert => "I",
        Command::Update => "U",
        Command::Delete => "D",
        Command::Execute => "X",
    }
}

/// The `[assumptions]` section of `pglens.toml` that gives exactly `a` (see `pglens_core::config`):
/// every field is written out, so CI gets the same matrix whatever the preset would choose. The
/// fields come from `a`'s serde form, so one the core adds later is written too.
pub fn toml_snippet(a: &Assumptions) -> String {
    const ORDER: [&str; 6] = ["roles", "bypass_rls", "superusers", "member_of", "exposed_schemas", "api_roles"];
    let serde_json::Value::Object(fields) = serde_json::to_value(a).unwrap_or_default() else {
        return String::new();
    };
    let mut out = String::from("[assumptions]\n");
    match a.preset.as_str() {
        p @ ("supabase" | "plain") => out.push_str(&format!("preset = {}\n", toml_string(p))),
        _ => out.push_str("# edited in pglens: every field below is explicit\n"),
    }
    let rest = fields.keys().filter(|k| *k != "preset" && !ORDER.contains(&k.as_str())).map(String::as_str);
    for key in ORDER.into_iter().chain(rest) {
        // TOML has no null: an unset optional field is left out.
        if let Some(v) = fields.get(key).filter(|v| !v.is_null()) {
            out.push_str(&format!("{} = {}\n", toml_key(key), toml_value(v)));
        }
    }
    out
}

fn toml_value(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::String(s) => toml_string(s),
        Value::Array(items) => format!("[{}]", items.iter().map(toml_value).collect::<Vec<_>>().join(", ")),
        Value::Object(map) if map.is_empty() => "{}".into(),
        Value::Object(map) => {
            format!("{{ {} }}", map.iter().map(|(k, v)| format!("{} = {}", toml_key(k), toml_value(v))).collect::<Vec<_>>().join(", "))
        }
        // Booleans and numbers are written alike in TOML.
        other => other.to_string(),
    }
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn toml_key(s: &str) -> String {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        s.to_string()
    } else {
        toml_string(s)
    }
}
