//! The real-world corpus (`../shared/corpus`, read-only, written by other projects): every file loads
//! without a panic, every statement is accounted for, no `.sql` file has a parse error, and the
//! GitLab dump's object counts equal what a real PostgreSQL 15 reports for the same dump.
//!
//! The corpus lives OUTSIDE the clone: `CARGO_MANIFEST_DIR/../../shared/corpus` (CI lays `shared/`
//! beside the clone). When it is missing the tests FAIL with a message saying where they looked,
//! unless `PGLENS_SKIP_CORPUS=1`, in which case they say they skipped and pass.
//!
//! Run: `cargo test -p pglens-core --test corpus -- --nocapture`.

use pglens_core::{load_files, InputFile, Loaded, Severity};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Corpus `.sql` files (path relative to the corpus root) that are allowed to have parse errors,
/// each with the reason. Keep it empty unless a file is genuinely not valid SQL for PostgreSQL.
const EXPECTED_PARSE_FAILURES: &[(&str, &str)] = &[];

fn corpus_root() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if root.is_dir() {
        return Some(root);
    }
    if std::env::var("PGLENS_SKIP_CORPUS").as_deref() == Ok("1") {
        eprintln!("SKIPPED: no corpus at {} (PGLENS_SKIP_CORPUS=1)", root.display());
        return None;
    }
    panic!(
        "the shared corpus is missing: expected a directory at {} (shared/ must sit beside the clone, as CI lays it out). \
         Set PGLENS_SKIP_CORPUS=1 to skip the corpus tests.",
        root.display()
    );
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).to_string_lossy().replace('\\', "/")
}

/// Loads one file under `catch_unwind`; `Err` holds the panic message.
fn load_one(name: &str, bytes: Vec<u8>) -> Result<Loaded, String> {
    let files = [InputFile { name: name.to_string(), bytes }];
    catch_unwind(AssertUnwindSafe(|| load_files(&files))).map_err(|e| {
        e.downcast_ref::<String>()
            .cloned()
            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "(non-string panic payload)".into())
    })
}

/// Every file, whatever it is (SQL, CSV, JSON, Markdown, licence texts, empty files), loads without a
/// panic, and `statements == modelled + unmodelled + parse_errors`. `.sql` files have no parse error.
#[test]
fn every_corpus_file_loads_and_every_statement_is_accounted_for() {
    let Some(root) = corpus_root() else { return };
    let mut files = Vec::new();
    walk(&root, &mut files);
    assert!(files.len() > 100, "expected the whole corpus under {}, found only {} files", root.display(), files.len());

    let mut panicked = Vec::new();
    let mut unaccounted = Vec::new();
    let mut parse_failures = Vec::new();
    let mut sql_files = 0;
    let mut total_statements = 0u64;
    for path in &files {
        let name = rel(&root, path);
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let loaded = match load_one(&name, bytes) {
            Ok(l) => l,
            Err(msg) => {
                panicked.push(format!("{name}: {msg}"));
                continue;
            }
        };
        let s = &loaded.summary;
        total_statements += s.statements;
        if s.statements != s.modelled_statements + s.unmodelled_statements + s.parse_errors {
            unaccounted.push(format!(
                "{name}: statements {} != modelled {} + unmodelled {} + parse errors {}",
                s.statements, s.modelled_statements, s.unmodelled_statements, s.parse_errors
            ));
        }
        if s.unmodelled_statements != loaded.snapshot.unmodelled.len() as u64 {
            unaccounted.push(format!(
                "{name}: summary says {} unmodelled statements but the snapshot keeps {}",
                s.unmodelled_statements,
                loaded.snapshot.unmodelled.len()
            ));
        }
        let parse_diags = loaded.diagnostics.iter().filter(|d| d.code == "parse_error").count() as u64;
        if parse_diags != s.parse_errors {
            unaccounted.push(format!("{name}: {} parse errors counted but {parse_diags} parse_error diagnostics", s.parse_errors));
        }
        if let Some(d) = loaded.diagnostics.iter().find(|d| d.file != name) {
            unaccounted.push(format!("{name}: a diagnostic names another file: {d}"));
        }
        if name.ends_with(".sql") {
            sql_files += 1;
            let allowed = EXPECTED_PARSE_FAILURES.iter().any(|(f, _)| *f == name);
            let errors: Vec<String> = loaded.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.to_string()).collect();
            if !allowed && (s.parse_errors > 0 || !errors.is_empty()) {
                parse_failures.push(format!("{name}: {} parse errors; errors:\n    {}", s.parse_errors, errors.join("\n    ")));
            }
            if allowed && s.parse_errors == 0 {
                parse_failures.push(format!("{name}: listed in EXPECTED_PARSE_FAILURES but now parses cleanly: remove it from the list"));
            }
        }
    }
    eprintln!("corpus: {} files ({sql_files} .sql), {total_statements} statements", files.len());
    let mut report = String::new();
    for (title, list) in [
        ("PANICKED while loading", &panicked),
        ("statements not accounted for", &unaccounted),
        ("unexpected parse errors in .sql files", &parse_failures),
    ] {
        if !list.is_empty() {
            report += &format!("\n{title} ({}):\n  {}\n", list.len(), list.join("\n  "));
        }
    }
    assert!(report.is_empty(), "corpus problems:{report}");
    assert!(sql_files >= 80, "expected the corpus's .sql files, found {sql_files}");
}

/// `pg_policies` exports (CSV from `\copy`, JSON from `json_agg`) are recognised by content when
/// loaded alone: no statements, no schema objects, every row read as an exported policy.
#[test]
fn pg_policies_exports_load_as_exports() {
    let Some(root) = corpus_root() else { return };
    let mut checked = 0;
    for (app, rows) in [("bookclub", 13), ("devhunt", 25)] {
        for ext in ["csv", "json"] {
            let path = root.join(format!("pg15-restored/{app}/pg_policies.{ext}"));
            let name = rel(&root, &path);
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let loaded = load_one(&name, bytes).unwrap_or_else(|msg| panic!("{name} PANICKED while loading: {msg}"));
            let s = &loaded.summary;
            assert_eq!(loaded.snapshot.files[0].content, pglens_core::model::FileContent::PolicyExport, "{name}");
            assert_eq!((s.statements, s.tables, s.policies, s.functions), (0, 0, 0, 0), "{name}: {s:?}");
            assert_eq!(loaded.snapshot.policy_exports.len(), rows, "{name}");
            let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.severity != pglens_core::Severity::Info).collect();
            assert!(errors.is_empty(), "{name}: {errors:#?}");
            assert!(loaded.policy_reconciliation.is_none(), "{name}: nothing to reconcile with");
            checked += 1;
        }
    }
    assert_eq!(checked, 4);
}

// ------------------------------------------------------------------------------------------------
// GitLab: counts measured on a real PostgreSQL
// ------------------------------------------------------------------------------------------------
//
// Measured by `scripts/measure-gitlab.sh` on 2026-11-25 with PostgreSQL 15.18 (Debian 15.18-0+deb12u1):
// `psql -f ../shared/corpus/gitlab/structure.sql` into an empty database (btree_gist and pg_trgm come
// from contrib; the restore had 0 errors), then catalog queries, "user" meaning outside pg_catalog,
// information_schema and pg_toast and not a member of an extension (pg_depend deptype 'e'):
// - tables:       pg_class relkind IN ('r','p')                     = 1401 (94 partitioned parents, 432 partitions)
// - indexes:      pg_index rows whose indrelid is one of those tables = 6040 (1410 back a PK/UNIQUE/EXCLUDE
//                 constraint; 1865 are partition indexes attached to a parent's index, 1868 sit on partitions)
// - foreign_keys: pg_constraint contype 'f' on those tables           = 2315 (1679 written in the dump, 636
//                 cloned by the server from a partitioned parent onto its partitions: conparentid <> 0)
// - triggers:     pg_trigger NOT tgisinternal                         = 453  (345 written in the dump, 108
//                 cloned by the server from a partitioned parent's row triggers: tgparentid <> 0)
// - functions:    pg_proc prokind IN ('f','w','a') in user schemas  = 297  (no procedures, no aggregates)
//
// How our counts are defined so that they can equal these: the summary counts MODEL objects, and the
// model holds what the server holds after the restore, i.e. objects the server derives are modelled
// too: FKs of a partitioned parent are cloned onto every partition (`inherited_from`), row triggers of a
// partitioned parent onto every partition (`cloned_from`), the parent's indexes cascade to partitions,
// and constraint-backing indexes count as indexes.
const GITLAB_PG15_TABLES: u64 = 1401;
const GITLAB_PG15_INDEXES: u64 = 6040;
const GITLAB_PG15_FOREIGN_KEYS: u64 = 2315;
const GITLAB_PG15_TRIGGERS: u64 = 453;
const GITLAB_PG15_FUNCTIONS: u64 = 297;

#[test]
fn gitlab_counts_match_postgres() {
    let Some(root) = corpus_root() else { return };
    let path = root.join("gitlab/structure.sql");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let loaded = load_one("gitlab/structure.sql", bytes).unwrap_or_else(|msg| panic!("gitlab/structure.sql PANICKED: {msg}"));
    let s = &loaded.summary;
    assert_eq!(s.parse_errors, 0, "{:#?}", loaded.diagnostics);
    let ours = [
        ("tables", s.tables),
        ("indexes", s.indexes),
        ("foreign_keys", s.foreign_keys),
        ("triggers", s.triggers),
        ("functions", s.functions),
    ];
    let postgres = [
        ("tables", GITLAB_PG15_TABLES),
        ("indexes", GITLAB_PG15_INDEXES),
        ("foreign_keys", GITLAB_PG15_FOREIGN_KEYS),
        ("triggers", GITLAB_PG15_TRIGGERS),
        ("functions", GITLAB_PG15_FUNCTIONS),
    ];
    let cloned_triggers = loaded.snapshot.triggers.values().filter(|t| t.cloned_from.is_some()).count();
    let cloned_fks = loaded
        .snapshot
        .tables
        .values()
        .flat_map(|t| t.constraints.values())
        .filter(|c| c.foreign_key.is_some() && c.inherited_from.is_some())
        .count();
    assert_eq!(
        ours,
        postgres,
        "summary counts differ from PostgreSQL 15.18's catalog for the same dump (see the comment above the constants). \
         Our model has {cloned_triggers} triggers cloned to partitions (PostgreSQL: 108) and {cloned_fks} FKs cloned to partitions (PostgreSQL: 636)."
    );
}
