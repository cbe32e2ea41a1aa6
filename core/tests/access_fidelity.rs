//! Access fidelity: the access matrix (`pglens_core::access::matrix`) agrees with what a real
//! PostgreSQL lets each role do.
//!
//! Inputs: every `fixtures/dumps/*.sql`, the two genuine pg_dump 15 files under
//! `../shared/corpus/pg15-restored/{bookclub,devhunt}/pg15_schema_only.sql` (restored after
//! `stub_roles.sql`, as fidelity.rs does: the dumps create their `auth`/`storage` schemas
//! themselves), and `fixtures/src/access.sql` loaded from SOURCE: our loader reads the hand-written
//! script, whose `ALTER DEFAULT PRIVILEGES` precede its CREATEs, and is compared with the database
//! that script created.
//!
//! PostgreSQL is started by `scripts/pg.sh` in a private directory (fidelity/pg.rs), one cluster per
//! test; if it cannot start, the tests FAIL unless `PGLENS_SKIP_PG=1`.
//!
//! The assumptions are the cluster's facts, not a preset: superusers and BYPASSRLS from `pg_roles`,
//! `member_of` from `pg_auth_members` where the membership inherits (fidelity/roles.sql),
//! `preset: "custom"`, `roles: []`. Roles of the matrix the cluster does not have are skipped (and
//! counted); the matrix's `public` is PostgreSQL's PUBLIC pseudo-role (`has_table_privilege('public',
//! ...)`).
//!
//! 1. `privileges_agree_with_postgresql`, every cell of every input (fidelity/access.sql):
//!    - relations: `privilege` = `has_any_column_privilege(role, rel, cmd)` for SELECT, INSERT,
//!      UPDATE and `has_table_privilege(role, rel, 'DELETE')`; when privileged, `columns.is_none()`
//!      = `has_table_privilege(role, rel, cmd)`, and `columns` = the columns `has_column_privilege`
//!      allows;
//!    - functions: `privilege` = `has_function_privilege(role, f, 'EXECUTE')`;
//!    - state vs `has_schema_privilege(role, schema, 'USAGE')`: not privileged → `no_privilege`;
//!      privileged without USAGE → `no_privilege` with reason `no USAGE on schema S`; privileged with
//!      USAGE → any other state, or `no_privilege` for a view whose reader (owner, or the caller of a
//!      security_invoker view) lacks a privilege on a table it reads.
//!
//!    Relations and functions of the model PostgreSQL does not have are an error for our fixtures
//!    (they restore without errors), and counted for the corpus (objects of extensions vanilla
//!    PostgreSQL lacks fail to restore).
//! 2. `rls_probes_agree_with_postgresql`: the row level security layer, on the database created
//!    from `fixtures/src/access.sql`, against the matrices of both the source and its dump. Every
//!    table with RLS gets, as superuser, three rows (tags `public`, `secret`, `archived`) owned by
//!    each probed role and three owned by `nobody`; the fixture's policies read only those columns,
//!    `CURRENT_USER` and constants, so every conditional policy lets some rows through and not
//!    others. Then for every role × RLS table × command, inside a sub-transaction that is always
//!    rolled back (`SET LOCAL ROLE` in a plpgsql exception block), one probe per seeded row:
//!    - SELECT: the table reduced (by the superuser, before `SET ROLE`) to that row, `SELECT 1 FROM t`;
//!    - DELETE: likewise, `DELETE FROM t`;
//!    - UPDATE: likewise, `UPDATE t SET note = 'probe'` (the row is seen if it is updated or if the
//!      new row fails the check: "new row violates row-level security policy");
//!    - INSERT: a copy of the row under a new id (accepted, or refused by the check).
//!
//!    "permission denied" (for the table or its schema) is `no_privilege`; otherwise the rows that
//!    passed give the state: none → `rls_denies`, all → `all_rows`, some → `conditional` (for UPDATE,
//!    none seen or none kept → `rls_denies`, all seen and kept → `all_rows`). Beyond the state, the
//!    exact set of rows must be the one the cell's `predicate` (and for UPDATE `with_check`) selects,
//!    evaluated by the superuser with `CURRENT_USER` replaced by the role's name.
//!
//!    rowsecurity.c also applies the SELECT policies (and requires SELECT privilege) to an UPDATE or
//!    DELETE that reads columns (a WHERE clause, RETURNING, `SET c = c`), and the INSERT ... ON
//!    CONFLICT rules; the matrix does not model that, so every probe is a statement that reads no
//!    column: `SELECT 1` (any column's SELECT privilege suffices, as `has_any_column_privilege`),
//!    `DELETE` without WHERE, `UPDATE ... SET note = <constant>`, `INSERT ... VALUES` without
//!    RETURNING. The rows are isolated by the superuser, not by a WHERE clause, for that reason.
//!    The test also shows the rule once (app_admin's DELETE on app.notes: rows without a WHERE
//!    clause, none with `WHERE id > 0`) and fails if PostgreSQL stops behaving so.
//!
//! Every disagreement fails, except the cells listed in [`KNOWN`] (each with its cause; empty
//! today); a listed cell that agrees again fails too, so that the list stays exact.
//!
//! Run: `cargo test -p pglens-core --test access_fidelity -- --nocapture`. Mismatches are also
//! written to `$CARGO_TARGET_TMPDIR/access-fidelity.txt` (privileges) and
//! `$CARGO_TARGET_TMPDIR/access-probes.txt` (the probe table and its mismatches).

#[path = "fidelity/common.rs"]
mod common;
#[path = "fidelity/pg.rs"]
mod pg;

use common::Input;
use pg::Cluster;
use pglens_core::access::{self, Assumptions, Cell, Command, Matrix, State};
use pglens_core::{load_files, InputFile, Snapshot};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The role that stands for the matrix's `public` column in the probes: a role with no membership
/// and no grant of its own (SET ROLE public is not possible). Created in the test's own cluster.
const PUBLIC_STAND_IN: &str = "pglens_probe_public";

/// The columns every RLS table of fixtures/src/access.sql has (its header states the convention).
const PROBE_COLUMNS: [&str; 4] = ["id", "owner", "tag", "note"];
const TAGS: [&str; 3] = ["public", "secret", "archived"];

const SOURCE: &str = "fixtures/src/access.sql (source)";
const DUMP: &str = "fixtures/dumps/access.sql";

/// Which comparison a known difference belongs to: a privilege cell (it then shows in both tests,
/// the probes seeing its consequence) or only the RLS layer (the probes).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layer {
    Privilege,
    Rls,
}

/// Cells where the model knowingly disagrees with PostgreSQL: an input, a role, a relation or
/// function key, the commands. Each names its cause, a bug outside core/src/access (reported, not
/// fixed here). Any other disagreement fails the tests, and so does an entry that matches nothing
/// any more (the bug was fixed: delete the entry).
struct Known {
    input: &'static str,
    layer: Layer,
    role: &'static str,
    relation: &'static str,
    commands: &'static [&'static str],
    reason: &'static str,
}

/// Cells where the model is known to disagree with PostgreSQL, each with its cause. Empty: the
/// builder bugs first listed here (default privileges FOR ROLE vs the creating role, owners under
/// SET ROLE and after an unknown creator, CREATE SCHEMA AUTHORIZATION's defaults) are fixed.
const KNOWN: &[Known] = &[];

/// One cell (or object) where the model and PostgreSQL disagree.
struct Mismatch {
    input: String,
    role: String,
    relation: String,
    command: String,
    what: String,
}

/// Sorts mismatches into unexplained ones and known ones; `used` marks the entries that matched.
fn classify<'m>(mismatches: &'m [Mismatch], used: &mut [bool]) -> (Vec<&'m Mismatch>, Vec<(&'m Mismatch, usize)>) {
    let mut unknown = Vec::new();
    let mut known = Vec::new();
    for m in mismatches {
        let hit = KNOWN
            .iter()
            .position(|k| k.input == m.input && k.role == m.role && k.relation == m.relation && k.commands.contains(&m.command.as_str()));
        match hit {
            Some(i) => {
                used[i] = true;
                known.push((m, i));
            }
            None => unknown.push(m),
        }
    }
    (unknown, known)
}

/// Writes the mismatches, the known ones with their reason, and the entries of `layer` that matched
/// nothing; returns how many fail the test (unexplained + stale).
fn write_mismatches(report: &mut String, mismatches: &[Mismatch], layer: Layer) -> usize {
    let mut used = vec![false; KNOWN.len()];
    let (unknown, known) = classify(mismatches, &mut used);
    for m in &unknown {
        writeln!(report, "  MISMATCH {}\t{}\t{}\t{}\t{}", m.input, m.role, m.relation, m.command, m.what).unwrap();
    }
    let mut reasons: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (m, i) in &known {
        reasons.entry(KNOWN[*i].reason).or_default().push(format!("{} {} {}: {}", m.role, m.relation, m.command, m.what));
    }
    for (reason, cells) in &reasons {
        writeln!(report, "  known ({}): {}", cells.len(), reason.split_whitespace().collect::<Vec<_>>().join(" ")).unwrap();
        for c in cells {
            writeln!(report, "      {c}").unwrap();
        }
    }
    let stale: Vec<&Known> = KNOWN.iter().zip(&used).filter(|(k, u)| k.layer == layer && !**u).map(|(k, _)| k).collect();
    for k in &stale {
        writeln!(report, "  STALE known entry (matches nothing: remove it): {} {} {} {:?}", k.input, k.role, k.relation, k.commands)
            .unwrap();
    }
    writeln!(report, "unexplained: {}, known: {}, stale known entries: {}", unknown.len(), known.len(), stale.len()).unwrap();
    unknown.len() + stale.len()
}

fn tmp(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name)
}

fn source_input(root: &Path) -> Input {
    Input { label: SOURCE.into(), path: root.join("fixtures/src/access.sql"), setup: vec![], strict: true }
}

fn load(input: &Input) -> Snapshot {
    let bytes = std::fs::read(&input.path).unwrap_or_else(|e| panic!("{}: {e}", input.path.display()));
    load_files(&[InputFile { name: input.label.clone(), bytes }]).snapshot
}

/// The cluster's role facts as the matrix's assumptions, and the names of the roles that exist.
fn role_facts(cluster: &Cluster, db: &str) -> (Assumptions, BTreeSet<String>) {
    let sql = common::root().join("core/tests/fidelity/roles.sql");
    let v = cluster.query_json(db, &sql).unwrap_or_else(|e| panic!("{e}"));
    let names = |k: &str| -> Vec<String> {
        v[k].as_array().unwrap_or_else(|| panic!("roles.sql: no {k}")).iter().filter_map(|r| r.as_str().map(str::to_string)).collect()
    };
    let member_of: BTreeMap<String, Vec<String>> = v["member_of"]
        .as_object()
        .expect("roles.sql: no member_of")
        .iter()
        .map(|(m, of)| (m.clone(), of.as_array().into_iter().flatten().filter_map(|r| r.as_str().map(str::to_string)).collect()))
        .collect();
    let assumptions = Assumptions {
        preset: "custom".into(),
        roles: vec![],
        bypass_rls: names("bypass_rls"),
        superusers: names("superusers"),
        member_of,
        // Anything else the assumptions grow (API roles, exposed schemas) does not touch the
        // privilege and RLS layers: left as the plain preset has it.
        ..Assumptions::plain()
    };
    (assumptions, names("roles").into_iter().collect())
}

/// The matrix's roles that PostgreSQL can be asked about: `public` and the roles the cluster has.
fn comparable(m: &Matrix, existing: &BTreeSet<String>) -> Vec<bool> {
    m.roles.iter().map(|r| r == "public" || existing.contains(r)).collect()
}

// ------------------------------------------------------------------------------------------------
// 1. privileges
// ------------------------------------------------------------------------------------------------

#[derive(Default)]
struct Tally {
    roles: usize,
    skipped_roles: Vec<String>,
    relations: usize,
    functions: usize,
    relation_cells: usize,
    function_cells: usize,
    usage_checks: usize,
    missing: Vec<String>,
    mismatches: Vec<Mismatch>,
}

/// What PostgreSQL says about one cell.
struct Answer<'a> {
    /// has_any_column_privilege (has_table_privilege for DELETE, has_function_privilege for EXECUTE).
    any: bool,
    /// has_table_privilege.
    table: bool,
    /// Columns has_column_privilege allows, when there is no table privilege.
    columns: Vec<String>,
    /// has_schema_privilege USAGE on the object's schema.
    usage: Option<bool>,
    schema: &'a str,
}

fn check_cell(input: &str, cell: &Cell, pg: &Answer, out: &mut Vec<Mismatch>) {
    let mut bad = |what: String| {
        out.push(Mismatch {
            input: input.to_string(),
            role: cell.role.clone(),
            relation: cell.relation.clone(),
            command: cell.command.as_str().to_string(),
            what,
        })
    };
    if cell.privilege != pg.any {
        bad(format!("privilege: model {}, PostgreSQL {}", cell.privilege, pg.any));
        return;
    }
    if pg.any {
        match &cell.columns {
            None if !pg.table => bad(format!("model: table-level privilege; PostgreSQL: only columns {:?}", pg.columns)),
            Some(c) if pg.table => bad(format!("model: only columns {c:?}; PostgreSQL: table-level privilege")),
            Some(c) => {
                let ours: BTreeSet<&String> = c.iter().collect();
                let theirs: BTreeSet<&String> = pg.columns.iter().collect();
                if ours != theirs {
                    bad(format!("columns: model {ours:?}, PostgreSQL {theirs:?}"));
                }
            }
            None => {}
        }
    }
    let no_usage = format!("no USAGE on schema {}", pg.schema);
    match (pg.any, pg.usage) {
        (false, _) if cell.state != State::NoPrivilege => bad(format!("state {} without the privilege", cell.state.as_str())),
        (true, None) => bad(format!("schema {} not in PostgreSQL's answer", pg.schema)),
        // A view the role may read can still fail on the tables it reads (as its owner, or as the
        // caller when security_invoker): that is the view's cell, not a USAGE question.
        (true, Some(true)) if cell.state == State::NoPrivilege && !cell.reason.contains("view reads") => {
            bad(format!("state no_privilege ({}) but PostgreSQL grants USAGE on schema {}", cell.reason, pg.schema))
        }
        (true, Some(false)) if cell.state != State::NoPrivilege || cell.reason != no_usage => {
            bad(format!("state {} ({}), but PostgreSQL denies USAGE on schema {}", cell.state.as_str(), cell.reason, pg.schema))
        }
        _ => {}
    }
}

fn bools(v: &Value) -> Option<Vec<bool>> {
    v.as_array()?.iter().take(7).map(Value::as_bool).collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().into_iter().flatten().filter_map(|s| s.as_str().map(str::to_string)).collect()
}

fn compare_privileges(input: &Input, m: &Matrix, pg: &Value, existing: &BTreeSet<String>) -> Tally {
    let mismatch = |role: &str, relation: &str, command: &str, what: String| Mismatch {
        input: input.label.clone(),
        role: role.to_string(),
        relation: relation.to_string(),
        command: command.to_string(),
        what,
    };
    let mut t = Tally::default();
    let ok = comparable(m, existing);
    t.roles = ok.iter().filter(|b| **b).count();
    t.skipped_roles = m.roles.iter().zip(&ok).filter(|(_, b)| !**b).map(|(r, _)| r.clone()).collect();
    let usage = |schema: &str, role: &str| pg["schemas"].get(schema).and_then(|s| s.get(role)).and_then(Value::as_bool);
    for (i, rel) in m.relations.iter().enumerate() {
        let Some(answers) = pg["relations"].get(&rel.key) else {
            t.missing.push(format!("{} {}", rel.kind, rel.key));
            continue;
        };
        t.relations += 1;
        for (j, role) in m.roles.iter().enumerate().filter(|(j, _)| ok[*j]) {
            let a = &answers[role];
            let Some(b) = bools(a) else {
                t.mismatches.push(mismatch(role, &rel.key, "-", format!("PostgreSQL gave no answer: {a}")));
                continue;
            };
            for (k, cmd) in Command::TABLE.iter().enumerate() {
                let (any, table, columns) = match cmd {
                    Command::Select => (b[0], b[1], strings(&a[7])),
                    Command::Insert => (b[2], b[3], strings(&a[8])),
                    Command::Update => (b[4], b[5], strings(&a[9])),
                    _ => (b[6], b[6], vec![]),
                };
                let answer = Answer { any, table, columns, usage: usage(&rel.schema, role), schema: &rel.schema };
                check_cell(&input.label, m.relation_cell(i, j, k), &answer, &mut t.mismatches);
                t.relation_cells += 1;
                t.usage_checks += usize::from(any);
            }
        }
    }
    for (i, f) in m.functions.iter().enumerate() {
        let Some(answers) = pg["functions"].get(&f.key) else {
            t.missing.push(format!("{} {}", f.kind, f.key));
            continue;
        };
        t.functions += 1;
        for (j, role) in m.roles.iter().enumerate().filter(|(j, _)| ok[*j]) {
            let Some(any) = answers[role].as_bool() else {
                t.mismatches.push(mismatch(role, &f.key, "EXECUTE", "PostgreSQL gave no answer".into()));
                continue;
            };
            let answer = Answer { any, table: any, columns: vec![], usage: usage(&f.schema, role), schema: &f.schema };
            check_cell(&input.label, m.function_cell(i, j), &answer, &mut t.mismatches);
            t.function_cells += 1;
            t.usage_checks += usize::from(any);
        }
    }
    if input.strict {
        // Our fixtures restore without errors: an object PostgreSQL lacks is the model's mistake.
        let missing: Vec<Mismatch> = t.missing.iter().map(|w| mismatch("-", w, "-", "in the model, not in PostgreSQL".into())).collect();
        t.mismatches.extend(missing);
    }
    t
}

#[test]
fn privileges_agree_with_postgresql() {
    let root = common::root();
    let Some(cluster) = common::start_cluster(&root, "access fidelity (privileges)") else {
        return;
    };
    let (mut inputs, notes) = common::dump_inputs(&root);
    inputs.push(source_input(&root));
    assert!(inputs.iter().any(|i| i.label.ends_with("access.sql")), "fixtures/dumps/access.sql is missing");
    let query = root.join("core/tests/fidelity/access.sql");
    let mut report = String::new();
    writeln!(report, "access fidelity: matrix privileges vs PostgreSQL (scratch cluster on 127.0.0.1:{})", cluster.port).unwrap();
    for n in &notes {
        writeln!(report, "note: {n}").unwrap();
    }
    let mut summary = Vec::new();
    let mut mismatches = Vec::new();
    for (n, input) in inputs.iter().enumerate() {
        let db = format!("access_{n}");
        let errors = common::restore(&cluster, &db, input);
        let (assumptions, existing) = role_facts(&cluster, &db);
        let snap = load(input);
        let m = access::matrix(&snap, &assumptions);
        let ok = comparable(&m, &existing);
        let asked: Vec<&String> = m.roles.iter().zip(&ok).filter(|(_, b)| **b).map(|(r, _)| r).collect();
        let roles_json = serde_json::to_string(&asked).unwrap();
        let pg = cluster.query_json_with(&db, &query, &[("roles", &roles_json)]).unwrap_or_else(|e| panic!("{}: {e}", input.label));
        let t = compare_privileges(input, &m, &pg, &existing);
        let in_pg = |k: &str| pg[k].as_object().map_or(0, |o| o.len());
        writeln!(report, "\n=== {} ===", input.label).unwrap();
        if !errors.is_empty() {
            writeln!(report, "restore: {} psql errors (objects PostgreSQL lost are not compared)", errors.len()).unwrap();
        }
        writeln!(
            report,
            "roles compared: {} of {} ({} skipped, not in the cluster: {}); relations {} (PostgreSQL has {}), functions {} (PostgreSQL has {})",
            t.roles,
            m.roles.len(),
            t.skipped_roles.len(),
            t.skipped_roles.join(", "),
            t.relations,
            in_pg("relations"),
            t.functions,
            in_pg("functions"),
        )
        .unwrap();
        writeln!(
            report,
            "cells compared: {} ({} relation, {} function); USAGE checks on privileged cells: {}; mismatches: {}",
            t.relation_cells + t.function_cells,
            t.relation_cells,
            t.function_cells,
            t.usage_checks,
            t.mismatches.len()
        )
        .unwrap();
        if !t.missing.is_empty() {
            writeln!(report, "in the model but not in PostgreSQL ({}): {}", t.missing.len(), t.missing.join(", ")).unwrap();
        }
        assert!(t.relation_cells + t.function_cells > 0 || m.cells.is_empty(), "{}: nothing compared", input.label);
        summary.push(format!(
            "  {:40} {:6} cells compared, {:3} disagree, {} roles skipped",
            input.label,
            t.relation_cells + t.function_cells,
            t.mismatches.len(),
            t.skipped_roles.len()
        ));
        mismatches.extend(t.mismatches);
    }
    writeln!(report, "\n=== mismatches ===").unwrap();
    let failing = write_mismatches(&mut report, &mismatches, Layer::Privilege);
    writeln!(report, "\n=== summary ===\n{}", summary.join("\n")).unwrap();
    let out = tmp("access-fidelity.txt");
    std::fs::write(&out, &report).unwrap();
    println!("{report}\n(report written to {})", out.display());
    drop(cluster);
    assert_eq!(failing, 0, "access fidelity: {failing} unexplained disagreements or stale known entries; see {}", out.display());
}

// ------------------------------------------------------------------------------------------------
// 2. row level security probes
// ------------------------------------------------------------------------------------------------

fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The probe: runs `setup` as the superuser, then `q` as role `r`, and rolls both back. Answers
/// `rows N` (rows returned or affected), `check` (a new row violates row level security),
/// `denied` (permission denied) or `error SQLSTATE message`.
const PROBE_FUNCTION: &str = r#"
CREATE FUNCTION pg_temp.probe(r text, setup text, q text) RETURNS text LANGUAGE plpgsql AS $probe$
DECLARE
  n bigint;
BEGIN
  IF setup <> '' THEN
    EXECUTE setup;
  END IF;
  EXECUTE format('SET LOCAL ROLE %I', r);
  EXECUTE q;
  GET DIAGNOSTICS n = ROW_COUNT;
  RAISE EXCEPTION USING ERRCODE = 'PGLNS', MESSAGE = n::text;  -- always roll back
EXCEPTION
  WHEN SQLSTATE 'PGLNS' THEN
    RETURN 'rows ' || SQLERRM;
  WHEN insufficient_privilege THEN
    RETURN CASE WHEN SQLERRM LIKE 'new row violates row-level security policy%' THEN 'check'
                WHEN SQLERRM LIKE 'permission denied%' THEN 'denied'
                ELSE 'error 42501 ' || SQLERRM END;
  WHEN OTHERS THEN
    RETURN 'error ' || SQLSTATE || ' ' || SQLERRM;
END
$probe$;
"#;

/// rowsecurity.c's SELECT-policies-for-reads rule, shown on the fixture: app_admin may DELETE the
/// archived notes (notes_purge), which its SELECT policies hide (notes_not_archived); a DELETE that
/// reads a column (`WHERE id > 0`) gets those SELECT policies too and deletes nothing.
const READS_COLUMNS: [&str; 2] =
    ["pg_temp.probe('app_admin', '', 'DELETE FROM app.notes')", "pg_temp.probe('app_admin', '', 'DELETE FROM app.notes WHERE id > 0')"];

struct Row {
    id: i64,
    owner: String,
    tag: &'static str,
}

struct RlsTable {
    key: String,
    sql_name: String,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct ProbeKey {
    table: usize,
    role: usize,
    command: usize,
}

/// What the probes of one role × table × command saw.
#[derive(Default)]
struct Observed {
    denied: usize,
    errors: Vec<String>,
    /// Rows returned / deleted / inserted, or (UPDATE) seen: updated or refused by the check.
    passed: BTreeSet<i64>,
    /// UPDATE: rows updated (seen, and the new row passed the check).
    kept: BTreeSet<i64>,
    probes: usize,
}

impl Observed {
    fn state(&self, command: Command, total: usize) -> Result<State, String> {
        if !self.errors.is_empty() {
            return Err(format!("errors: {}", self.errors.join(" | ")));
        }
        if self.denied > 0 {
            return if self.denied == self.probes { Ok(State::NoPrivilege) } else { Err("permission denied for some rows only".into()) };
        }
        let some = |s: &BTreeSet<i64>| {
            if s.is_empty() {
                0
            } else if s.len() == total {
                2
            } else {
                1
            }
        };
        let level = if command == Command::Update { some(&self.passed).min(some(&self.kept)) } else { some(&self.passed) };
        Ok([State::RlsDenies, State::Conditional, State::AllRows][level])
    }
}

/// `CURRENT_USER` (any case, as a whole word) replaced by the role's name, so that the superuser
/// can evaluate a cell's predicate for that role.
fn for_role(expr: &str, role: &str) -> String {
    let lower = expr.to_ascii_lowercase();
    let word = "current_user";
    let mut out = String::new();
    let mut i = 0;
    while let Some(pos) = lower[i..].find(word).map(|p| p + i) {
        let before = lower[..pos].chars().last();
        let after = lower[pos + word.len()..].chars().next();
        let is_ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '"');
        out.push_str(&expr[i..pos]);
        if is_ident(before) || is_ident(after) {
            out.push_str(&expr[pos..pos + word.len()]);
        } else {
            out.push_str(&format!("{}::name", lit(role)));
        }
        i = pos + word.len();
    }
    out.push_str(&expr[i..]);
    out
}

fn state_abbrev(s: State) -> &'static str {
    match s {
        State::NoPrivilege => "no_priv",
        State::RlsDenies => "denies",
        State::AllRows => "all",
        State::Conditional => "cond",
    }
}

#[test]
fn rls_probes_agree_with_postgresql() {
    let root = common::root();
    let Some(cluster) = common::start_cluster(&root, "access fidelity (RLS probes)") else {
        return;
    };
    let db = "access_probes";
    let src = source_input(&root);
    common::restore(&cluster, db, &src);
    let create = format!("CREATE ROLE {} NOLOGIN", ident(PUBLIC_STAND_IN));
    let out = cluster.psql(&["-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-c", &create]).unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (assumptions, existing) = role_facts(&cluster, db);

    let dump = Input { label: DUMP.into(), path: root.join(DUMP), setup: vec![], strict: true };
    let snaps = [(SOURCE, load(&src)), (DUMP, load(&dump))];
    let matrices: Vec<(&str, &Snapshot, Matrix)> = snaps.iter().map(|(l, s)| (*l, s, access::matrix(s, &assumptions))).collect();

    // The tables with RLS (the same in both models), which must follow the fixture's convention.
    let rls_keys = |m: &Matrix| -> Vec<String> {
        m.relations.iter().filter(|r| r.rls_enabled && r.kind.ends_with("table")).map(|r| r.key.clone()).collect()
    };
    let keys = rls_keys(&matrices[0].2);
    assert_eq!(keys, rls_keys(&matrices[1].2), "the source and its dump disagree on which tables have RLS");
    assert!(keys.len() >= 5, "fixtures/src/access.sql should have several RLS tables, found {keys:?}");
    let tables: Vec<RlsTable> = keys
        .iter()
        .map(|k| {
            let t = &snaps[0].1.tables[k];
            let cols: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
            assert_eq!(cols, PROBE_COLUMNS, "{k}: RLS tables of fixtures/src/access.sql must have exactly the columns {PROBE_COLUMNS:?}");
            RlsTable { key: k.clone(), sql_name: format!("{}.{}", ident(&t.schema), ident(&t.name)) }
        })
        .collect();

    // Roles probed: every role of either matrix the cluster has; `public` through its stand-in.
    let mut roles: Vec<String> = Vec::new();
    for (_, _, m) in &matrices {
        for (r, ok) in m.roles.iter().zip(comparable(m, &existing)) {
            if ok && !roles.contains(r) {
                roles.push(r.clone());
            }
        }
    }
    let skipped: BTreeSet<&String> = matrices.iter().flat_map(|(_, _, m)| m.roles.iter()).filter(|r| !roles.contains(r)).collect();
    let db_role = |r: &str| if r == "public" { PUBLIC_STAND_IN.to_string() } else { r.to_string() };

    // Seed rows: each probed role and `nobody` own one row per tag.
    let mut rows = Vec::new();
    for owner in roles.iter().map(|r| db_role(r)).chain(["nobody".to_string()]) {
        for tag in TAGS {
            rows.push(Row { id: rows.len() as i64 + 1, owner: owner.clone(), tag });
        }
    }
    let all_ids: BTreeSet<i64> = rows.iter().map(|r| r.id).collect();
    let mut script = String::from("SET client_min_messages = warning;\n");
    for t in &tables {
        let values: Vec<String> = rows.iter().map(|r| format!("({}, {}, {}, 'seed')", r.id, lit(&r.owner), lit(r.tag))).collect();
        writeln!(script, "INSERT INTO {} (id, owner, tag, note) VALUES {};", t.sql_name, values.join(", ")).unwrap();
    }
    script.push_str(PROBE_FUNCTION);

    // One probe per table × role × command × seeded row.
    let mut probes: Vec<(ProbeKey, i64, String, String, String)> = Vec::new();
    for (ti, t) in tables.iter().enumerate() {
        for (ri, role) in roles.iter().enumerate() {
            for (ci, command) in Command::TABLE.iter().enumerate() {
                for row in &rows {
                    let isolate = format!("DELETE FROM {} WHERE id <> {}", t.sql_name, row.id);
                    let (setup, q) = match command {
                        Command::Select => (isolate, format!("SELECT 1 FROM {}", t.sql_name)),
                        Command::Delete => (isolate, format!("DELETE FROM {}", t.sql_name)),
                        Command::Update => (isolate, format!("UPDATE {} SET note = 'probe'", t.sql_name)),
                        _ => (
                            String::new(),
                            format!(
                                "INSERT INTO {} (id, owner, tag, note) VALUES ({}, {}, {}, 'probe')",
                                t.sql_name,
                                row.id + 100_000,
                                lit(&row.owner),
                                lit(row.tag)
                            ),
                        ),
                    };
                    probes.push((ProbeKey { table: ti, role: ri, command: ci }, row.id, db_role(role), setup, q));
                }
            }
        }
    }

    // The rows each cell's predicates select, evaluated by the superuser for that role.
    let mut evals: BTreeMap<(usize, String, String), usize> = BTreeMap::new();
    for (_, _, m) in &matrices {
        for (ti, t) in tables.iter().enumerate() {
            let i = m.relations.iter().position(|r| r.key == t.key).unwrap();
            for (j, role) in m.roles.iter().enumerate().filter(|(_, r)| roles.contains(r)) {
                for k in 0..Command::TABLE.len() {
                    let cell = m.relation_cell(i, j, k);
                    for e in cell.predicate.iter().chain(&cell.with_check) {
                        let n = evals.len();
                        evals.entry((ti, db_role(role), e.clone())).or_insert(n);
                    }
                }
            }
        }
    }
    let probe_values: Vec<String> =
        probes.iter().enumerate().map(|(n, (_, _, r, s, q))| format!("({n}, {}, {}, {})", lit(r), lit(s), lit(q))).collect();
    let eval_selects: Vec<String> = evals
        .iter()
        .map(|((ti, role, e), n)| {
            format!(
                "SELECT {n} AS n, (SELECT coalesce(json_agg(id ORDER BY id), '[]') FROM {} WHERE ({})) AS ids",
                tables[*ti].sql_name,
                for_role(e, role)
            )
        })
        .collect();
    writeln!(
        script,
        "SELECT json_build_object(\n  'probes', (SELECT json_agg(pg_temp.probe(r, s, q) ORDER BY n) FROM (VALUES\n{}) AS p(n, r, s, q)),\n  \
         'evals', (SELECT coalesce(json_object_agg(n, ids), '{{}}') FROM (\n{}) AS e),\n  \
         'reads_columns', json_build_array({}, {}));",
        probe_values.join(",\n"),
        if eval_selects.is_empty() { "SELECT 0 AS n, '[]'::json AS ids WHERE false".to_string() } else { eval_selects.join("\nUNION ALL ") },
        READS_COLUMNS[0],
        READS_COLUMNS[1],
    )
    .unwrap();
    let script_path = tmp("access-probes.sql");
    std::fs::write(&script_path, &script).unwrap();
    let answer = cluster.query_json(db, &script_path).unwrap_or_else(|e| panic!("probes ({}): {e}", script_path.display()));
    drop(cluster);

    // Why the probes read no column: the same DELETE by app_admin, without and with a WHERE clause.
    let reads: Vec<&str> = answer["reads_columns"].as_array().expect("reads_columns").iter().filter_map(Value::as_str).collect();
    assert!(
        reads.len() == 2 && reads[0] != "rows 0" && reads[1] == "rows 0",
        "app_admin's DELETE on app.notes: expected rows without a WHERE clause and none with `WHERE id > 0` (the SELECT \
         policies then apply too, and notes_not_archived hides the archived rows notes_purge lets app_admin delete); got {reads:?}"
    );
    let results = answer["probes"].as_array().expect("probe results");
    assert_eq!(results.len(), probes.len(), "one answer per probe");
    let mut observed: BTreeMap<ProbeKey, Observed> = BTreeMap::new();
    for ((key, id, ..), res) in probes.iter().zip(results) {
        let res = res.as_str().unwrap_or("");
        let o = observed.entry(*key).or_default();
        o.probes += 1;
        let update = Command::TABLE[key.command] == Command::Update;
        match res {
            "rows 0" => {}
            "rows 1" => {
                o.passed.insert(*id);
                o.kept.insert(*id);
            }
            "check" if update => {
                o.passed.insert(*id);
            }
            "check" => {}
            "denied" => o.denied += 1,
            other => o.errors.push(format!("row {id}: {other}")),
        }
    }
    let eval_ids = |ti: usize, role: &str, e: &str| -> BTreeSet<i64> {
        let n = evals[&(ti, role.to_string(), e.to_string())];
        answer["evals"][n.to_string()]
            .as_array()
            .unwrap_or_else(|| panic!("no evaluation of {e:?}"))
            .iter()
            .filter_map(Value::as_i64)
            .collect()
    };

    // Compare, and print the table.
    let mut report = String::new();
    let mut mismatches = Vec::new();
    let mut compared = 0;
    writeln!(
        report,
        "RLS probes on the database made from fixtures/src/access.sql: {} tables × {} roles × 4 commands × {} rows = {} probes \
         ({} roles of the matrices not in the cluster: {:?}; `public` probed as {PUBLIC_STAND_IN})",
        tables.len(),
        roles.len(),
        rows.len(),
        probes.len(),
        skipped.len(),
        skipped
    )
    .unwrap();
    writeln!(
        report,
        "cell: the dump's model state, then the rows that passed (UPDATE: seen/kept) of {}; ✗ marks a mismatch of the dump's \
         model, `src✗` one of the source's",
        rows.len()
    )
    .unwrap();
    for (ti, t) in tables.iter().enumerate() {
        writeln!(report, "\n{:32} {:22} {:22} {:22} {:22}", t.key, "SELECT", "INSERT", "UPDATE", "DELETE").unwrap();
        for (ri, role) in roles.iter().enumerate() {
            let mut line = format!("  {role:30}");
            for (ci, command) in Command::TABLE.iter().enumerate() {
                let o = &observed[&ProbeKey { table: ti, role: ri, command: ci }];
                let seen = o.state(*command, rows.len());
                let mut bad = [false, false];
                let mut shown = None;
                for (n, (label, _, m)) in matrices.iter().enumerate() {
                    let Some(j) = m.roles.iter().position(|r| r == role) else { continue };
                    let i = m.relations.iter().position(|r| r.key == t.key).unwrap();
                    let cell = m.relation_cell(i, j, ci);
                    if let Some(cols) = &cell.columns {
                        // The probes write every column on INSERT and `note` on UPDATE.
                        let probed = *command == Command::Select || (*command == Command::Update && cols.iter().any(|c| c == "note"));
                        assert!(
                            probed,
                            "{}: {role} has {} on columns {cols:?} only; the fixture's convention allows column \
                                         grants on RLS tables for SELECT and UPDATE (note) only",
                            t.key,
                            command.as_str()
                        );
                    }
                    shown = Some(cell.state);
                    compared += 1;
                    let mut fail = |what: String| {
                        bad[n] = true;
                        mismatches.push(Mismatch {
                            input: label.to_string(),
                            role: role.clone(),
                            relation: t.key.clone(),
                            command: command.as_str().to_string(),
                            what,
                        })
                    };
                    match &seen {
                        Err(e) => fail(e.clone()),
                        Ok(s) if *s != cell.state => {
                            fail(format!("model {} ({}), PostgreSQL {}", cell.state.as_str(), cell.reason, s.as_str()))
                        }
                        _ => {}
                    }
                    if cell.state == State::NoPrivilege || seen.is_err() {
                        continue;
                    }
                    // The exact rows: the predicate's, and for UPDATE those the check keeps.
                    let bypass = cell.state == State::AllRows && cell.predicate.is_none();
                    let rows_of = |e: &Option<String>| match e {
                        _ if bypass => all_ids.clone(),
                        Some(e) => eval_ids(ti, &db_role(role), e),
                        None => BTreeSet::new(),
                    };
                    let expected = rows_of(&cell.predicate);
                    if expected != o.passed {
                        fail(format!("rows: predicate {:?} selects {expected:?}, PostgreSQL let through {:?}", cell.predicate, o.passed));
                    }
                    if *command == Command::Update {
                        let kept: BTreeSet<i64> = expected.intersection(&rows_of(&cell.with_check)).copied().collect();
                        if kept != o.kept {
                            fail(format!("UPDATE check: with_check {:?} keeps {kept:?}, PostgreSQL kept {:?}", cell.with_check, o.kept));
                        }
                    }
                }
                let counts = match (command, &seen) {
                    (_, Ok(State::NoPrivilege)) => "denied".to_string(),
                    (Command::Update, _) => format!("{}/{}", o.passed.len(), o.kept.len()),
                    _ => o.passed.len().to_string(),
                };
                let text = format!(
                    "{}{} {}{}",
                    if bad[1] { "✗" } else { "" },
                    shown.map_or("-", state_abbrev),
                    counts,
                    if bad[0] { " src✗" } else { "" }
                );
                write!(line, " {text:22}").unwrap();
            }
            writeln!(report, "{}", line.trim_end()).unwrap();
        }
    }
    writeln!(
        report,
        "\nreads a column (not modelled; why the probes read none): app_admin `DELETE FROM app.notes` → {}, \
         `DELETE FROM app.notes WHERE id > 0` → {}",
        reads[0], reads[1]
    )
    .unwrap();
    writeln!(report, "\ncells compared: {compared} (source and dump matrices); disagreements: {}", mismatches.len()).unwrap();
    let failing = write_mismatches(&mut report, &mismatches, Layer::Rls);
    let out = tmp("access-probes.txt");
    std::fs::write(&out, &report).unwrap();
    println!("{report}\n(written to {})", out.display());
    assert!(compared > 0, "no probe compared");
    assert_eq!(failing, 0, "RLS probes: {failing} unexplained disagreements or stale known entries; see {}", out.display());
}
