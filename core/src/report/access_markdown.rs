//! The access matrix as Markdown for a pull-request comment (`pglens access --format md`): what
//! the API roles (and PUBLIC) can do on each relation they reach, and which functions they can
//! call. Relations no shown role can touch are counted, not listed; long lists are cut to stay
//! under GitHub's 65,536-character comment limit.

use super::markdown::escape;
use super::matrix_roles;
use crate::access::{Command, Matrix, State};

/// Relations listed; the rest are counted.
pub const MAX_RELATIONS: usize = 300;
/// Functions listed; the rest are counted.
pub const MAX_FUNCTIONS: usize = 100;

fn mark(state: State, columns: bool) -> Option<&'static str> {
    match state {
        State::NoPrivilege => None,
        State::RlsDenies => Some("none"),
        State::AllRows if columns => Some("cols"),
        State::AllRows => Some("**all**"),
        State::Conditional => Some("where"),
    }
}

/// `inputs` are the files' names, shown in the heading's line.
pub fn report(m: &Matrix, inputs: &[String]) -> String {
    let assumptions = m.assumptions.clone().unwrap_or_default();
    let (roles, left) = matrix_roles(m, &assumptions);
    let mut s = String::from("## pglens access\n\n");
    let names: Vec<String> = inputs.iter().map(|i| escape(i)).collect();
    s.push_str(&format!(
        "What {} can do in {}",
        roles.iter().map(|&r| escape(&m.roles[r])).collect::<Vec<_>>().join(", "),
        names.join(", ")
    ));
    s.push_str(&format!(
        ", assuming the {} preset (API roles: {}).\n\n",
        escape(&assumptions.preset),
        if assumptions.api_roles.is_empty() { "none".to_string() } else { escape(&assumptions.api_roles.join(", ")) }
    ));
    s.push_str("Per command: **all** = every row · where = the rows the policies allow · none = RLS lets no row through · cols = some columns only; commands a role lacks are left out.\n\n");

    let mut reached = Vec::new();
    for (ri, rel) in m.relations.iter().enumerate() {
        let cells: Vec<String> = roles
            .iter()
            .map(|&oi| {
                let parts: Vec<String> = Command::TABLE
                    .iter()
                    .enumerate()
                    .filter_map(|(ci, cmd)| {
                        let c = m.relation_cell(ri, oi, ci);
                        mark(c.state, c.columns.is_some()).map(|mk| format!("{} {mk}", cmd.as_str()))
                    })
                    .collect();
                if parts.is_empty() {
                    "–".to_string()
                } else {
                    parts.join(", ")
                }
            })
            .collect();
        if cells.iter().any(|c| c != "–") {
            let rls = match (rel.rls_enabled, rel.rls_forced) {
                (true, true) => "forced",
                (true, false) => "on",
                _ => "**off**",
            };
            reached.push(format!("| {} | {} | {rls} | {} |\n", escape(&rel.key), escape(&rel.kind), cells.join(" | ")));
        }
    }
    let header: Vec<String> = roles.iter().map(|&r| escape(&m.roles[r])).collect();
    s.push_str(&format!("### Relations ({} of {} reachable)\n\n", reached.len(), m.relations.len()));
    if reached.is_empty() {
        s.push_str("None of these roles can read or write any relation.\n\n");
    } else {
        s.push_str(&format!("| relation | kind | RLS | {} |\n|---|---|---|{}\n", header.join(" | "), "---|".repeat(roles.len())));
        for row in reached.iter().take(MAX_RELATIONS) {
            s.push_str(row);
        }
        if reached.len() > MAX_RELATIONS {
            s.push_str(&format!("\n…and {} more (see `pglens access --format json`).\n", reached.len() - MAX_RELATIONS));
        }
        s.push('\n');
    }

    let callable: Vec<String> = m
        .functions
        .iter()
        .enumerate()
        .filter_map(|(fi, f)| {
            let who: Vec<String> =
                roles.iter().filter(|&&oi| m.function_cell(fi, oi).state != State::NoPrivilege).map(|&oi| escape(&m.roles[oi])).collect();
            (!who.is_empty()).then(|| format!("- {}: {}\n", escape(&f.key), who.join(", ")))
        })
        .collect();
    s.push_str(&format!("### Functions they can execute ({} of {})\n\n", callable.len(), m.functions.len()));
    if callable.is_empty() {
        s.push_str("None.\n");
    }
    for line in callable.iter().take(MAX_FUNCTIONS) {
        s.push_str(line);
    }
    if callable.len() > MAX_FUNCTIONS {
        s.push_str(&format!("- …and {} more\n", callable.len() - MAX_FUNCTIONS));
    }
    if !left.is_empty() {
        s.push_str(&format!("\nOther roles ({}) are in `pglens access --format json`.\n", escape(&left.join(", "))));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::{matrix, Assumptions};
    use crate::{load_files, InputFile};

    fn load(name: &str) -> Matrix {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/dumps").join(name);
        let l = load_files(&[InputFile { name: name.into(), bytes: std::fs::read(path).expect("fixture") }]);
        matrix(&l.snapshot, &Assumptions::for_snapshot(&l.snapshot))
    }

    #[test]
    fn saas_shows_the_api_roles_and_flags_tables_without_rls() {
        let md = report(&load("saas.sql"), &["saas.sql".into()]);
        assert!(md.contains("| relation | kind | RLS | anon | authenticated | public |"), "{md}");
        // feature_flags has no RLS and anon may read it: every row.
        let row = md.lines().find(|l| l.starts_with("| public\\.feature\\_flags |")).expect("feature_flags listed");
        assert!(row.contains("| **off** |") && row.contains("SELECT **all**"), "{row}");
        assert!(md.contains("### Functions they can execute"));
    }

    #[test]
    fn hostile_names_cannot_break_the_table() {
        let md = report(&load("hostile.sql"), &["hostile.sql".into()]);
        let pipes = |l: &str| l.replace("\\|", "").matches('|').count();
        let header = md.lines().find(|l| l.starts_with("| relation |")).expect("a table");
        for row in md.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| relation |")) {
            assert_eq!(pipes(row), pipes(header), "a name split the row: {row}");
        }
        assert!(!md.contains("<script>") && !md.contains("<img"), "{md}");
    }
}
