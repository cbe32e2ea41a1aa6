//! What the PostgreSQL-backed tests (fidelity.rs, access_fidelity.rs, drift_real.rs) share: the
//! inputs, finding the shared corpus, loading a file, starting the scratch cluster (or skipping,
//! only when `PGLENS_SKIP_PG=1`), and restoring an input into a fresh database. Each test includes
//! it with `#[path]` next to `pg.rs`; not every test uses all of it.
#![allow(dead_code)]

pub use super::pg::Cluster;
use pglens_core::{load_files, InputFile, Snapshot};
use std::path::{Path, PathBuf};

/// One file to restore into PostgreSQL and to load with pglens.
pub struct Input {
    /// `fixtures/dumps/X.sql` or `corpus/NAME`.
    pub label: String,
    pub path: PathBuf,
    /// Files run (in database `postgres`, with ON_ERROR_STOP) before the input: cluster-wide roles.
    pub setup: Vec<PathBuf>,
    /// The input must restore without a single error (our fixtures); the corpus dumps restore with
    /// a few (objects of extensions vanilla PostgreSQL lacks): what PostgreSQL lost is not compared.
    pub strict: bool,
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

/// The shared corpus, `../shared/corpus` beside the clone (read in place, never copied). When it
/// is missing: a panic saying where it was looked for, unless `PGLENS_SKIP_CORPUS=1`, in which
/// case `test` says it skipped and `None` is returned (as corpus.rs does).
pub fn corpus(root: &Path, test: &str) -> Option<PathBuf> {
    let dir = root.join("../shared/corpus");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("PGLENS_SKIP_CORPUS").is_ok_and(|v| v == "1") {
        println!("{test}: SKIPPED (PGLENS_SKIP_CORPUS=1): no corpus at {}", dir.display());
        return None;
    }
    panic!(
        "{test}: the shared corpus is missing: expected a directory at {} (shared/ must sit beside the clone). \
         Set PGLENS_SKIP_CORPUS=1 to skip.",
        dir.display()
    );
}

/// Loads one file with pglens, as the CLI would (the file named `label`).
pub fn load(label: &str, path: &Path) -> Snapshot {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    load_files(&[InputFile { name: label.to_string(), bytes }]).snapshot
}

/// Every `fixtures/dumps/*.sql` and the two genuine pg_dump 15 files under
/// `../shared/corpus/pg15-restored/{bookclub,devhunt}/pg15_schema_only.sql` (restored after
/// `stub_roles.sql` only: their `auth`, `storage`, ... schemas are in the dumps themselves, so
/// `stub_supabase_auth_storage.sql` would make them fail). Also notes on what was not found.
pub fn dump_inputs(root: &Path) -> (Vec<Input>, Vec<String>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let dumps = root.join("fixtures/dumps");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dumps)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "sql")).collect())
        .unwrap_or_default();
    files.sort();
    if files.is_empty() {
        notes.push(format!("no dumps in {} (run scripts/make-fixtures.sh)", dumps.display()));
    }
    for p in files {
        let label = format!("fixtures/dumps/{}", p.file_name().unwrap().to_string_lossy());
        out.push(Input { label, path: p, setup: vec![], strict: true });
    }
    let corpus = root.join("../shared/corpus/pg15-restored");
    for name in ["bookclub", "devhunt"] {
        let p = corpus.join(name).join("pg15_schema_only.sql");
        if p.exists() {
            out.push(Input { label: format!("corpus/{name}"), path: p, setup: vec![corpus.join("stub_roles.sql")], strict: false });
        } else {
            notes.push(format!("corpus file {} not found: skipped (CI lays shared/ beside the clone)", p.display()));
        }
    }
    (out, notes)
}

/// Starts the scratch cluster. If PostgreSQL cannot start, panics, unless `PGLENS_SKIP_PG=1`, in
/// which case it says so and returns `None` (the test then returns without checking anything).
pub fn start_cluster(root: &Path, test: &str) -> Option<Cluster> {
    let skip = std::env::var("PGLENS_SKIP_PG").is_ok_and(|v| v == "1");
    match Cluster::start(root) {
        Ok(c) => Some(c),
        Err(e) if skip => {
            println!("{test}: SKIPPED (PGLENS_SKIP_PG=1): PostgreSQL could not be started: {e}");
            None
        }
        Err(e) => panic!(
            "{test}: PostgreSQL could not be started, so the model cannot be checked against it.\n{e}\n\
             Install it with scripts/setup.sh (Debian: postgresql postgresql-contrib), or set PGLENS_SKIP_PG=1 to skip."
        ),
    }
}

/// Restores `input` into a fresh database `db` (after its setup files); returns the ERROR lines psql
/// printed. Panics when a strict input does not restore cleanly.
pub fn restore(cluster: &Cluster, db: &str, input: &Input) -> Vec<String> {
    restore_after(cluster, db, input, &[])
}

/// [`restore`], running `preamble` in `db` itself (with ON_ERROR_STOP: each must run cleanly)
/// between the setup files and the input: stand-ins for the schemas, types and publications a
/// `supabase db dump` expects the platform to have created (fidelity/stub_extensions.sql).
pub fn restore_after(cluster: &Cluster, db: &str, input: &Input, preamble: &[PathBuf]) -> Vec<String> {
    cluster.fresh_database(db).unwrap_or_else(|e| panic!("{e}"));
    for s in &input.setup {
        let errs = cluster.run_file("postgres", s, true).unwrap_or_else(|e| panic!("{e}"));
        assert!(errs.is_empty(), "{}: {errs:?}", s.display());
    }
    for s in preamble {
        let errs = cluster.run_file(db, s, true).unwrap_or_else(|e| panic!("{e}"));
        assert!(errs.is_empty(), "{}: {errs:?}", s.display());
    }
    let errors = cluster.run_file(db, &input.path, input.strict).unwrap_or_else(|e| panic!("{}: {e}", input.label));
    if input.strict {
        assert!(errors.is_empty(), "{}: the file does not restore cleanly: {errors:?}", input.label);
    }
    errors
}
