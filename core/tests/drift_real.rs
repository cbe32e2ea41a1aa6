//! Drift on real pairs of dumps (`pglens_core::diff::diff`, A = the reference, B = the drifted one):
//! the report must say what actually changed, and nothing when nothing did.
//!
//! 1. `devhunt_hand_edit_is_one_function_body`: devhunt's pg_dump 16 of 2023-10-02 against the same
//!    file at a later commit, edited by hand (`../shared/corpus/supabase/devhunt/`). The only
//!    non-whitespace edit is inside the body of `public.get_products_count_by_week(integer,
//!    integer, integer, integer)` (the weekly product counts: products now fall in a week by
//!    `launch_start`, not by `week`); trailing spaces were removed around it. Exactly one change:
//!    that function, `changed`, field `body`. Also A against A with the trailing whitespace of
//!    every line removed: no change (whitespace is not drift).
//! 2. `otu_one_day_drift_matches_postgresql`: otu's two `supabase db dump`s one day apart
//!    (`../shared/corpus/supabase/otu/`), both restored into a real PostgreSQL 15 (two databases,
//!    scripts/pg.sh through fidelity/pg.rs) after `pg15-restored/stub_roles.sql` (cluster roles),
//!    then, in each database, `pg15-restored/stub_supabase_auth_storage.sql` (the auth, storage,
//!    extensions, ... schemas and `auth.uid()` a `supabase db dump` leaves out) and
//!    `fidelity/stub_extensions.sql`: pgvector's type `extensions.vector` (a stand-in with text's
//!    I/O, so the `documents` table and the `match_*` functions restore) and the publication
//!    `supabase_realtime`. Nothing is stripped from the dumps; what vanilla PostgreSQL 15 with
//!    contrib cannot run fails and is left out, the same on both days: `CREATE EXTENSION` of
//!    pg_net, pgroonga, pgsodium, pg_graphql, pgjwt, pgtap, supabase_vault and vector, the hnsw
//!    and pgroonga indexes, and the GRANTs on pgtap's functions (which the dump does not create).
//!    None of those is a table, function, type or policy of the dump. Each catalog gives its sets
//!    (fidelity/drift_catalog.sql): tables (pg_class relkind r/p), functions and procedures
//!    (pg_proc, `schema.name(identity arg types)`), types (enums, domains, ranges, standalone
//!    composites) and policies (pg_policies), in non-system schemas, not extension members. What
//!    was dropped (in day 1's catalog only) and added (in day 2's only) must be exactly the keys of
//!    the report's `removed` and `added` entries of kinds table, function, type and policy (a
//!    `renamed` entry counts as its old key removed and its new key added: a catalog cannot tell a
//!    rename from a drop and a create). Both sets are counted and printed. Then the dump tool's
//!    flavour: each day's `supabase db dump` against pg_dump 15's dump of the database it was
//!    restored into must have no drift in schema public (but for the two indexes whose access
//!    methods are not installed here, OTU_NOT_RESTORED).
//! 3. `dumps_against_themselves_have_no_drift`: every `fixtures/dumps/*.sql`, every Supabase dump
//!    of the corpus (madewithsupabase's `supabase db dump` flavour included) and the two pg_dump
//!    15.18 re-dumps, each loaded twice and compared: no change at all.
//! 4. `pg15_redumps_have_no_drift_in_public`: devhunt's and bookclub's original dumps (pg_dump
//!    16.0 / 14.5) against their re-dumps by pg_dump 15.18
//!    (`../shared/corpus/pg15-restored/{devhunt,bookclub}/pg15_schema_only.sql`). Those were
//!    restored with stub roles and platform schemas and without pg_cron, so only what is in schema
//!    `public` is compared (the schema itself, and its tables, columns, constraints, indexes,
//!    policies, row security, functions, views, triggers, sequences, types, and the privileges,
//!    comments and owners of all of those): zero changes. What differs elsewhere is printed.
//!
//! The corpus is read in place (`../shared/corpus` beside the clone); missing, the tests fail
//! unless `PGLENS_SKIP_CORPUS=1`. PostgreSQL missing fails test 2 unless `PGLENS_SKIP_PG=1`.
//!
//! Run: `cargo test -p pglens-core --test drift_real -- --nocapture` (prints every pair).

#[path = "fidelity/common.rs"]
mod common;
#[path = "fidelity/pg.rs"]
mod pg;

use common::Input;
use pglens_core::diff::{diff, Change, ChangeKind, Drift, Kind, Options};
use pglens_core::Snapshot;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn drift(a: &Snapshot, b: &Snapshot) -> Drift {
    diff(a, b, &Options::for_snapshots(a, b))
}

/// One change on one line: priority, kind, change, key (and the old key of a rename), fields.
fn line(c: &Change) -> String {
    let from = c.from_key.as_ref().map(|k| format!(" (from {k})")).unwrap_or_default();
    let fields: Vec<&str> = c.fields.iter().map(|f| f.field.as_str()).collect();
    format!("{:?} {} {} {}{from} [{}]", c.priority, c.kind.as_str(), c.change.as_str(), c.key, fields.join(", "))
}

fn lines(changes: &[&Change]) -> String {
    changes.iter().map(|c| format!("\n    {}", line(c))).collect()
}

fn corpus(test: &str) -> Option<PathBuf> {
    common::corpus(&common::root(), test)
}

// ------------------------------------------------------------------------------------------------
// 1. devhunt: one function body
// ------------------------------------------------------------------------------------------------

const DEVHUNT_FUNCTION: &str = "public.get_products_count_by_week(integer, integer, integer, integer)";

#[test]
fn devhunt_hand_edit_is_one_function_body() {
    let Some(corpus) = corpus("devhunt hand edit") else { return };
    let dir = corpus.join("supabase/devhunt");
    let a = common::load("dump_2023-10-02.sql", &dir.join("dump_2023-10-02.sql"));
    let b = common::load("dump_2026-03-11_handedited.sql", &dir.join("dump_2026-03-11_handedited.sql"));
    let d = drift(&a, &b);
    let all: Vec<&Change> = d.changes.iter().collect();
    println!("devhunt 2023-10-02 -> 2026-03-11 (hand edited): {} changes{}", all.len(), lines(&all));
    assert_eq!(all.len(), 1, "devhunt: exactly one change expected (the body of {DEVHUNT_FUNCTION}), got:{}", lines(&all));
    let c = all[0];
    assert_eq!((c.kind, c.change, c.key.as_str()), (Kind::Function, ChangeKind::Changed, DEVHUNT_FUNCTION), "devhunt: {}", line(c));
    let fields: Vec<&str> = c.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["body"], "devhunt: only the body of {DEVHUNT_FUNCTION} changed: {}", line(c));
    // The field carries each side's body: the edit is in B's, not in A's.
    let (fa, fb) = (c.fields[0].a.as_deref().unwrap_or(""), c.fields[0].b.as_deref().unwrap_or(""));
    assert!(
        !fa.contains("products.launch_start >= weeks.start_date") && fb.contains("products.launch_start >= weeks.start_date"),
        "devhunt: the body field does not hold the two bodies:\nA: {fa}\nB: {fb}"
    );

    // Whitespace is not drift: A against A with every line's trailing whitespace removed.
    let text = std::fs::read_to_string(dir.join("dump_2023-10-02.sql")).expect("devhunt dump is UTF-8");
    let trimmed: String = text.lines().map(|l| format!("{}\n", l.trim_end())).collect();
    assert_ne!(trimmed, text, "the devhunt dump has trailing whitespace to remove");
    let t = pglens_core::load_files(&[pglens_core::InputFile { name: "trimmed.sql".into(), bytes: trimmed.into_bytes() }]).snapshot;
    let d = drift(&a, &t);
    let all: Vec<&Change> = d.changes.iter().collect();
    println!("devhunt 2023-10-02 -> itself without trailing whitespace: {} changes{}", all.len(), lines(&all));
    assert!(all.is_empty(), "devhunt: trailing whitespace removed is reported as drift:{}", lines(&all));
}

// ------------------------------------------------------------------------------------------------
// 2. otu: a day of drift against PostgreSQL's catalogs
// ------------------------------------------------------------------------------------------------

const OTU_DAYS: [&str; 2] = ["dump_2026-01-30.sql", "dump_2026-01-31.sql"];
/// The kinds whose drift is checked against the catalogs, with the key of drift_catalog.sql's list.
const OTU_KINDS: [(Kind, &str); 4] =
    [(Kind::Table, "tables"), (Kind::Function, "functions"), (Kind::Type, "types"), (Kind::Policy, "policies")];
/// MANIFEST.md: "52 -> 43 policies"; a restore that loses some would make the comparison moot.
const OTU_POLICIES: [usize; 2] = [52, 43];

fn key_set(v: &Value, list: &str) -> BTreeSet<String> {
    v[list]
        .as_array()
        .unwrap_or_else(|| panic!("drift_catalog.sql: no {list}"))
        .iter()
        .map(|k| k.as_str().expect("a key").to_string())
        .collect()
}

fn show_set(s: &BTreeSet<String>) -> String {
    if s.is_empty() {
        " (none)".into()
    } else {
        s.iter().map(|k| format!("\n      {k}")).collect()
    }
}

/// Objects of otu's dumps that do not restore here (their extensions are not installed), so the
/// re-dump lacks them: changes on these keys are not flavour.
const OTU_NOT_RESTORED: &[&str] = &[
    // USING hnsw (extensions.vector_cosine_ops): pgvector is not installed, only a stand-in type.
    "public.documents/documents_embedding_idx",
    // USING pgroonga: not installed.
    "public.page/ix_page_title_body",
];

/// pg_dump 15's schema-only dump of a restored database, loaded.
fn redump(cluster: &common::Cluster, db: &str) -> Snapshot {
    let path = std::env::temp_dir().join(format!("pglens-redump-{}-{db}.sql", std::process::id()));
    let out = cluster
        .pg_dump(&["--schema-only", "-d", db, "-f", path.to_str().expect("a UTF-8 temp path")])
        .unwrap_or_else(|e| panic!("{db}: {e}"));
    assert!(out.status.success(), "pg_dump {db}: {}", String::from_utf8_lossy(&out.stderr));
    let snap = common::load(db, &path);
    let _ = std::fs::remove_file(&path);
    snap
}

#[test]
fn otu_one_day_drift_matches_postgresql() {
    let root = common::root();
    let Some(corpus) = corpus("otu drift") else { return };
    let Some(cluster) = common::start_cluster(&root, "otu drift") else { return };
    let stubs = corpus.join("pg15-restored");
    let preamble = [stubs.join("stub_supabase_auth_storage.sql"), root.join("core/tests/fidelity/stub_extensions.sql")];
    let query = root.join("core/tests/fidelity/drift_catalog.sql");
    let mut catalogs = Vec::new();
    let mut snaps = Vec::new();
    let mut report = String::new();
    let mut redumps = Vec::new();
    let mut flavour = Vec::new();
    for (n, day) in OTU_DAYS.iter().enumerate() {
        let input = Input {
            label: format!("corpus/supabase/otu/{day}"),
            path: corpus.join("supabase/otu").join(day),
            setup: vec![stubs.join("stub_roles.sql")],
            strict: false,
        };
        let errors = common::restore_after(&cluster, &format!("drift_otu_{n}"), &input, &preamble);
        let catalog = cluster.query_json(&format!("drift_otu_{n}"), &query).unwrap_or_else(|e| panic!("{day}: {e}"));
        let counts: Vec<String> = OTU_KINDS.iter().map(|(_, l)| format!("{} {l}", key_set(&catalog, l).len())).collect();
        writeln!(report, "otu {day}: restored with {} psql errors; catalog: {}", errors.len(), counts.join(", ")).unwrap();
        // The errors, grouped (pgtap's GRANTs are one per function and privilege).
        let mut grouped: std::collections::BTreeMap<String, usize> = Default::default();
        for e in &errors {
            let msg = e.split("ERROR:").nth(1).unwrap_or(e).trim();
            let msg = if msg.starts_with("function public.") && msg.ends_with("does not exist") {
                "function public.<pgtap's> does not exist"
            } else {
                msg
            };
            *grouped.entry(msg.to_string()).or_default() += 1;
        }
        for (msg, k) in &grouped {
            writeln!(report, "    {k:4} x {msg}").unwrap();
        }
        assert_eq!(
            key_set(&catalog, "policies").len(),
            OTU_POLICIES[n],
            "otu {day}: the restore lost policies (MANIFEST.md: 52 -> 43); the stubs no longer suffice:\n{report}"
        );
        catalogs.push(catalog);
        snaps.push(common::load(day, &input.path));
        redumps.push(redump(&cluster, &format!("drift_otu_{n}")));
    }
    // The dump tool's flavour: each `supabase db dump` against pg_dump 15's dump of the database it
    // restored into. Schema public only, where the stubs changed nothing; what did not restore
    // (objects of extensions missing here) is listed in OTU_NOT_RESTORED.
    for (n, day) in OTU_DAYS.iter().enumerate() {
        let d = drift(&snaps[n], &redumps[n]);
        let public: Vec<&Change> = d.changes.iter().filter(|c| in_public(c) && !OTU_NOT_RESTORED.iter().any(|k| c.key == *k)).collect();
        writeln!(report, "otu {day} (supabase db dump) -> pg_dump 15 of its restore: {} changes in public{}", public.len(), lines(&public))
            .unwrap();
        flavour.extend(public.iter().map(|c| format!("{day}: {}", line(c))));
    }
    let d = drift(&snaps[0], &snaps[1]);
    let all: Vec<&Change> = d.changes.iter().collect();
    writeln!(report, "otu {} -> {}: the report has {} changes{}", OTU_DAYS[0], OTU_DAYS[1], all.len(), lines(&all)).unwrap();

    let mut failures = Vec::new();
    for (kind, list) in OTU_KINDS {
        let (day1, day2) = (key_set(&catalogs[0], list), key_set(&catalogs[1], list));
        let dropped: BTreeSet<String> = day1.difference(&day2).cloned().collect();
        let created: BTreeSet<String> = day2.difference(&day1).cloned().collect();
        let mut removed = BTreeSet::new();
        let mut added = BTreeSet::new();
        for c in all.iter().filter(|c| c.kind == kind) {
            match c.change {
                ChangeKind::Removed => {
                    removed.insert(c.key.clone());
                }
                ChangeKind::Added => {
                    added.insert(c.key.clone());
                }
                ChangeKind::Renamed => {
                    removed.insert(c.a_key().to_string());
                    added.insert(c.key.clone());
                }
                ChangeKind::Changed => {}
            }
        }
        writeln!(
            report,
            "{list}: PostgreSQL dropped {}, created {}; we report removed {}, added {}",
            dropped.len(),
            created.len(),
            removed.len(),
            added.len()
        )
        .unwrap();
        writeln!(report, "    dropped (PostgreSQL):{}", show_set(&dropped)).unwrap();
        writeln!(report, "    created (PostgreSQL):{}", show_set(&created)).unwrap();
        for (what, ours, theirs) in [("removed", &removed, &dropped), ("added", &added, &created)] {
            for k in theirs.difference(ours) {
                failures.push(format!(
                    "{} {k}: PostgreSQL's catalog has it {}, the report does not list it as {what}",
                    kind.as_str(),
                    if what == "removed" { "on day 1 only" } else { "on day 2 only" }
                ));
            }
            for k in ours.difference(theirs) {
                failures.push(format!("{} {k}: the report lists it as {what}, PostgreSQL's catalogs do not", kind.as_str()));
            }
        }
    }
    println!("{report}");
    drop(cluster);
    assert!(flavour.is_empty(), "a supabase db dump and pg_dump's dump of the same database differ in public:\n  {}", flavour.join("\n  "));
    assert!(
        failures.is_empty(),
        "otu: the drift report disagrees with PostgreSQL on {} objects:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

// ------------------------------------------------------------------------------------------------
// 3. every dump against itself
// ------------------------------------------------------------------------------------------------

fn sql_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    v.sort();
    v
}

#[test]
fn dumps_against_themselves_have_no_drift() {
    let root = common::root();
    let mut inputs: Vec<(String, PathBuf)> = Vec::new();
    let fixtures = sql_files(&root.join("fixtures/dumps"));
    assert!(!fixtures.is_empty(), "no fixtures/dumps/*.sql (run scripts/make-fixtures.sh)");
    for p in fixtures {
        inputs.push((format!("fixtures/dumps/{}", p.file_name().unwrap().to_string_lossy()), p));
    }
    if let Some(corpus) = corpus("dumps against themselves") {
        for rel in [
            "supabase/madewithsupabase/dump.sql",
            "supabase/devhunt/dump_2023-10-02.sql",
            "supabase/devhunt/dump_2026-03-11_handedited.sql",
            "supabase/bookclub/20221116231328_remote_commit.sql",
            "supabase/otu/dump_2026-01-30.sql",
            "supabase/otu/dump_2026-01-31.sql",
            "pg15-restored/devhunt/pg15_schema_only.sql",
            "pg15-restored/bookclub/pg15_schema_only.sql",
        ] {
            inputs.push((format!("corpus/{rel}"), corpus.join(rel)));
        }
    }
    let mut failures = Vec::new();
    for (label, path) in &inputs {
        // Two separate loads: the same input must give the same model, in every detail compared.
        let (a, b) = (common::load(label, path), common::load(label, path));
        let d = drift(&a, &b);
        let all: Vec<&Change> = d.changes.iter().collect();
        println!("{label} against itself: {} tables, {} changes{}", a.tables.len(), all.len(), lines(&all));
        if !all.is_empty() {
            failures.push(format!("{label}: {} changes against itself:{}", all.len(), lines(&all)));
        }
    }
    assert!(failures.is_empty(), "drift between two loads of the same file:\n{}", failures.join("\n"));
}

// ------------------------------------------------------------------------------------------------
// 4. original dumps against their pg_dump 15 re-dumps, schema public
// ------------------------------------------------------------------------------------------------

/// The key of the object a change is about, without the `<kind> ` prefix that privileges,
/// comments and owners carry.
fn object_key(c: &Change) -> &str {
    match c.kind {
        Kind::Privilege | Kind::Comment | Kind::Owner => c.key.split_once(' ').map_or(c.key.as_str(), |(_, k)| k),
        _ => &c.key,
    }
}

/// Schema `public` itself or an object in it (relations, members, routines, types, sequences).
fn in_public(c: &Change) -> bool {
    let k = object_key(c);
    match c.kind {
        // Keyed by their own names, not by a schema: never "in public" by key.
        Kind::Extension | Kind::Publication => false,
        Kind::Schema => k == "public",
        _ => k == "public" || k.starts_with("public."),
    }
}

#[test]
fn pg15_redumps_have_no_drift_in_public() {
    let Some(corpus) = corpus("pg15 re-dumps") else { return };
    let mut failures = Vec::new();
    for (name, original) in
        [("devhunt", "supabase/devhunt/dump_2023-10-02.sql"), ("bookclub", "supabase/bookclub/20221116231328_remote_commit.sql")]
    {
        let redump = format!("pg15-restored/{name}/pg15_schema_only.sql");
        let a = common::load(original, &corpus.join(original));
        let b = common::load(&redump, &corpus.join(&redump));
        assert!(a.tables.keys().any(|k| k.starts_with("public.")), "{original}: no table in public");
        let d = drift(&a, &b);
        let (public, elsewhere): (Vec<&Change>, Vec<&Change>) = d.changes.iter().partition(|c| in_public(c));
        println!(
            "{name}: {original} -> {redump}: {} changes in public{}\n  {} changes outside public (not compared: stub schemas, no pg_cron){}",
            public.len(),
            lines(&public),
            elsewhere.len(),
            lines(&elsewhere)
        );
        if !public.is_empty() {
            failures.push(format!(
                "{name}: {} changes in schema public between the original and its pg_dump 15 re-dump:{}",
                public.len(),
                lines(&public)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
