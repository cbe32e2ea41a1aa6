//! Row level security for one role and command: which policies apply, and the row filter they
//! add up to (permissive ones OR'ed, restrictive ones AND'ed), as PostgreSQL's rowsecurity.c
//! builds it:
//! - a policy applies when its roles include the role, a role it inherits from, or `public`;
//! - USING filters the rows SELECT, UPDATE and DELETE see; the new rows of INSERT and UPDATE must
//!   pass WITH CHECK, or USING where the policy has no WITH CHECK;
//! - a policy without the expression a command needs adds nothing, and without a permissive
//!   expression no row passes.
//!
//! Not modelled: the SELECT policies PostgreSQL also applies to an UPDATE or DELETE whose WHERE or
//! RETURNING reads columns, and `INSERT ... ON CONFLICT`.

use super::{Acting, Cell, Command, PolicyUsed, State};
use crate::model::{Policy, PolicyCommand, Table};

fn using(p: &Policy) -> Option<&str> {
    p.using.as_ref().map(|e| e.canonical.as_str())
}

fn check(p: &Policy) -> Option<&str> {
    p.with_check.as_ref().or(p.using.as_ref()).map(|e| e.canonical.as_str())
}

/// Returns whether a policy applied only through a role `role` inherits from.
pub(super) fn apply(t: &Table, role: &Acting, command: Command, cell: &mut Cell, detail: Option<&mut Vec<PolicyUsed>>) -> bool {
    let applies = |p: &Policy| for_command(p, command) && for_role(p, role);
    if let Some(d) = detail {
        *d = t.policies.values().map(|p| used(p, applies(p))).collect();
    }
    let applicable: Vec<&Policy> = t.policies.values().filter(|p| applies(p)).collect();
    cell.policies = applicable.iter().map(|p| p.name.clone()).collect();
    let (rows, new_rows) = match command {
        Command::Select | Command::Delete => (combine(&applicable, using), None),
        Command::Insert => (combine(&applicable, check), Some(combine(&applicable, check))),
        Command::Update => (combine(&applicable, using), Some(combine(&applicable, check))),
        Command::Execute => (Filter::All, None),
    };
    let denied = |f: &Filter| matches!(f, Filter::Denied);
    cell.state = if denied(&rows) || new_rows.as_ref().is_some_and(denied) {
        State::RlsDenies
    } else if matches!(rows, Filter::All) && new_rows.as_ref().is_none_or(|f| matches!(f, Filter::All)) {
        State::AllRows
    } else {
        State::Conditional
    };
    cell.predicate = rows.text();
    cell.with_check = new_rows.as_ref().and_then(Filter::text);
    cell.reason = match cell.state {
        State::RlsDenies if applicable.is_empty() => format!("row level security is enabled and no {} policy applies", command.as_str()),
        State::RlsDenies => "row level security: the applicable policies let no row through".into(),
        State::AllRows => "row level security: the applicable policies allow every row".into(),
        _ => "row level security: rows the policies allow".into(),
    };
    applicable.iter().any(|p| !p.roles.iter().any(|r| r == "public" || r == &role.name))
}

/// Whether a policy's command (or ALL) covers `command`.
pub fn for_command(p: &Policy, command: Command) -> bool {
    matches!(
        (p.command, command),
        (PolicyCommand::All, _)
            | (PolicyCommand::Select, Command::Select)
            | (PolicyCommand::Insert, Command::Insert)
            | (PolicyCommand::Update, Command::Update)
            | (PolicyCommand::Delete, Command::Delete)
    )
}

fn for_role(p: &Policy, role: &Acting) -> bool {
    p.roles.iter().any(|r| r == "public" || role.holders.contains(r))
}

pub(super) fn used(p: &Policy, applies: bool) -> PolicyUsed {
    PolicyUsed {
        name: p.name.clone(),
        permissive: p.permissive,
        command: format!("{:?}", p.command).to_ascii_uppercase(),
        roles: p.roles.clone(),
        using: p.using.as_ref().map(|e| e.canonical.clone()),
        with_check: p.with_check.as_ref().map(|e| e.canonical.clone()),
        applies,
        span: p.span,
    }
}

/// What a set of policies lets through for one expression kind.
#[derive(Debug, PartialEq)]
enum Filter {
    Denied,
    All,
    Where(String),
}

impl Filter {
    fn text(&self) -> Option<String> {
        match self {
            Filter::Where(s) => Some(s.clone()),
            Filter::All => Some("true".into()),
            Filter::Denied => None,
        }
    }
}

fn combine<'p>(policies: &[&'p Policy], expr: impl Fn(&'p Policy) -> Option<&'p str>) -> Filter {
    let is_true = |e: &&str| *e == "true";
    let is_false = |e: &&str| *e == "false";
    let mut permissive: Vec<&str> = policies.iter().filter(|p| p.permissive).filter_map(|p| expr(p)).collect();
    let mut restrictive: Vec<&str> = policies.iter().filter(|p| !p.permissive).filter_map(|p| expr(p)).collect();
    permissive.retain(|e| !is_false(e));
    if permissive.is_empty() || restrictive.iter().any(is_false) {
        return Filter::Denied;
    }
    restrictive.retain(|e| !is_true(e));
    let any_row = permissive.iter().any(is_true);
    if any_row && restrictive.is_empty() {
        return Filter::All;
    }
    let mut parts: Vec<String> = Vec::new();
    if !any_row {
        dedup_keep_order(&mut permissive);
        parts.push(if permissive.len() == 1 { permissive[0].to_string() } else { parenthesised(&permissive, " OR ") });
    }
    dedup_keep_order(&mut restrictive);
    parts.extend(restrictive.iter().map(|s| s.to_string()));
    Filter::Where(if parts.len() == 1 { parts.remove(0) } else { parenthesised(&parts, " AND ") })
}

fn parenthesised<S: AsRef<str>>(terms: &[S], op: &str) -> String {
    terms.iter().map(|t| format!("({})", t.as_ref())).collect::<Vec<_>>().join(op)
}

fn dedup_keep_order(v: &mut Vec<&str>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|e| seen.insert(*e));
}
