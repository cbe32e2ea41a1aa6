//! Exact answers on the saas fixture and a hand-written schema; on every fixture and on GitLab's
//! structure.sql, the marks agree with the health checks' findings.

use super::*;
use crate::checks::rules::{duplicate_index, rls_filter_column_unindexed, unindexed_foreign_keys};
use crate::checks::{self, fingerprint};
use crate::{load_files, InputFile};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn load(path: &Path) -> Snapshot {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    load_files(&[InputFile { name: path.file_name().unwrap().to_string_lossy().into_owned(), bytes }]).snapshot
}

fn sql(text: &str) -> Snapshot {
    load_files(&[InputFile { name: "t.sql".into(), bytes: text.as_bytes().to_vec() }]).snapshot
}

fn saas() -> Snapshot {
    load(&root().join("../fixtures/dumps/saas.sql"))
}

fn names(c: &Coverage) -> Vec<&str> {
    c.indexes.iter().map(|i| i.name.as_str()).collect()
}

fn row<'a>(c: &'a Coverage, label: &str) -> &'a Row {
    c.rows.iter().find(|r| r.label == label).unwrap_or_else(|| panic!("no row {label}"))
}

fn need<T>(v: &[T], f: impl Fn(&T) -> bool) -> &T {
    v.iter().find(|n| f(n)).expect("need listed")
}

#[test]
fn saas_tasks_grid_and_needs() {
    let snap = saas();
    let c = of(&snap, "public.tasks", &Assumptions::for_snapshot(&snap)).unwrap();
    // By the row of the first key: id, tenant_id, project_id, assignee_id, search.
    assert_eq!(names(&c), ["tasks_pkey", "tasks_tenant_status_idx", "tasks_project_number_key", "tasks_assignee_idx", "tasks_search_idx"]);
    let pkey = &c.indexes[0];
    assert!(pkey.primary_key && pkey.unique && pkey.constraint.as_deref() == Some("tasks_pkey"));
    assert!(c.indexes[1].predicate.as_deref().is_some_and(|p| p.contains("status <> ALL")));
    assert_eq!(c.indexes[4].method, "gin");
    assert!(c.indexes.iter().all(|i| i.duplicate_of.is_none() && i.redundant_with.is_none()));

    assert_eq!(c.rows.len(), snap.tables["public.tasks"].columns.len(), "no expression keys");
    assert_eq!(row(&c, "id").cells, [Some(Cell::Key(1)), None, None, None, None]);
    assert_eq!(row(&c, "number").cells, [None, None, Some(Cell::Key(2)), None, None]);
    assert_eq!(row(&c, "due_on").cells, [None, None, None, Some(Cell::Key(2)), None]);
    assert!(row(&c, "id").primary_key && !row(&c, "id").foreign_key);
    assert!(row(&c, "reporter_id").foreign_key && row(&c, "reporter_id").rls_filter);
    assert!(!row(&c, "title").foreign_key && !row(&c, "title").rls_filter);

    assert_eq!(c.foreign_keys_scope, Scope::Checked);
    let fk = |n: &str| need(&c.foreign_keys, |f| f.name == n);
    assert_eq!(fk("tasks_assignee_id_fkey").covered_by.as_deref(), Some("tasks_assignee_idx"));
    assert_eq!(fk("tasks_assignee_id_fkey").references, "auth.users");
    assert_eq!(fk("tasks_project_id_fkey").covered_by.as_deref(), Some("tasks_project_number_key"));
    // The only index leading with tenant_id is partial: it does not count.
    assert_eq!(fk("tasks_tenant_id_fkey").covered_by, None);
    assert_eq!(fk("tasks_tenant_id_fkey").fix.as_deref(), Some("CREATE INDEX CONCURRENTLY ON public.tasks (tenant_id);"));
    assert_eq!(c.foreign_keys.iter().filter(|f| f.covered_by.is_none()).count(), 3, "parent_id, reporter_id, tenant_id");

    assert_eq!(c.rls_scope, Scope::Checked);
    let cols: Vec<(&str, Option<&str>)> = c.rls_filters.iter().map(|n| (n.column.as_str(), n.covered_by.as_deref())).collect();
    assert_eq!(cols, [("tenant_id", None), ("assignee_id", Some("tasks_assignee_idx")), ("reporter_id", None)]);
    assert_eq!(c.rls_filters[0].policies, ["Tenant members read tasks"]);
    assert_eq!(c.rls_filters[2].fix.as_deref(), Some("CREATE INDEX CONCURRENTLY ON public.tasks (reporter_id);"));
}

#[test]
fn saas_expression_keys_and_policies_from_findings() {
    let snap = saas();
    let a = Assumptions::for_snapshot(&snap);
    let c = of(&snap, "public.invitations", &a).unwrap();
    let expr = c.rows.last().unwrap();
    assert_eq!((expr.label.as_str(), expr.data_type.as_ref()), ("lower(email::text)", None));
    let open = names(&c).iter().position(|n| *n == "invitations_open_email_idx").unwrap();
    assert_eq!(expr.cells[open], Some(Cell::Key(2)));
    assert_eq!(row(&c, "tenant_id").cells[open], Some(Cell::Key(1)));
    assert_eq!(c.rls_scope, Scope::Checked);

    // Without the parser: the filtered columns a worker computed give the same needs.
    let filters = filter_columns(&snap, &a);
    let f = with_filters(&snap, "public.comments", &a, &filters).unwrap();
    assert_eq!(f.rls_scope, Scope::Checked);
    let uncovered: Vec<_> = f.rls_filters.iter().filter(|n| n.covered_by.is_none()).collect();
    assert_eq!(uncovered.len(), 1);
    assert_eq!(uncovered[0].column, "author_id");
    assert_eq!(uncovered[0].policies, ["Authors delete comments", "Authors edit comments"]);
    assert_eq!(f, of(&snap, "public.comments", &a).unwrap());
    assert!(row(&f, "author_id").rls_filter);
}

const SHAPES: &str = r#"
CREATE SCHEMA auth;
CREATE TABLE public.users (id bigint PRIMARY KEY, email text);
CREATE TABLE public.posts (
    id bigint NOT NULL, author_id bigint REFERENCES public.users(id), org_id bigint, slug text, body text,
    deleted_at timestamptz, CONSTRAINT posts_pkey PRIMARY KEY (id), CONSTRAINT posts_slug_key UNIQUE (slug));
CREATE INDEX posts_slug_idx ON public.posts (slug);
CREATE INDEX posts_author_idx ON public.posts (author_id);
CREATE INDEX posts_author_org_idx ON public.posts (author_id, org_id) INCLUDE (body);
CREATE UNIQUE INDEX posts_author_org_uq ON public.posts (author_id, org_id, slug);
CREATE INDEX posts_org_live_idx ON public.posts (org_id) WHERE deleted_at IS NULL;
CREATE INDEX posts_org_idx ON public.posts (org_id, slug);
CREATE INDEX posts_lower_slug_idx ON public.posts (lower(slug));
CREATE TABLE public.events (id bigint, author_id bigint REFERENCES public.users(id), at date) PARTITION BY RANGE (at);
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE auth.sessions (id bigint PRIMARY KEY, user_id bigint, note text);
CREATE INDEX sessions_a ON auth.sessions (user_id);
CREATE INDEX sessions_b ON auth.sessions (user_id);
ALTER TABLE auth.sessions ENABLE ROW LEVEL SECURITY;
"#;

#[test]
fn duplicates_redundancy_include_and_scopes() {
    let snap = sql(SHAPES);
    let a = Assumptions::supabase();
    let c = of(&snap, "public.posts", &a).unwrap();
    let ix = |n: &str| need(&c.indexes, |i| i.name == n);
    // A plain index repeating a UNIQUE constraint's: the constraint's is kept.
    assert_eq!(ix("posts_slug_idx").duplicate_of.as_deref(), Some("posts_slug_key"));
    assert_eq!(ix("posts_slug_key").duplicate_of, None);
    // A leading prefix of a wider btree index with the same (no) predicate.
    assert_eq!(ix("posts_author_idx").redundant_with.as_deref(), Some("posts_author_org_idx"));
    // Its INCLUDE column (body) is not in the unique index: not redundant with it, and a unique
    // index is never the redundant one.
    assert_eq!(ix("posts_author_org_idx").redundant_with, None);
    assert_eq!(ix("posts_author_org_uq").redundant_with, None);
    // A partial index is not a prefix of a plain one.
    assert_eq!(ix("posts_org_live_idx").redundant_with, None);
    assert_eq!(ix("posts_slug_key").redundant_with, None, "backs a constraint");

    let org = names(&c).iter().position(|n| *n == "posts_author_org_idx").unwrap();
    assert_eq!(row(&c, "body").cells[org], Some(Cell::Include));
    assert_eq!(row(&c, "org_id").cells[org], Some(Cell::Key(2)));
    assert_eq!(c.rows.last().unwrap().label, "lower(slug)");
    assert_eq!(c.rls_scope, Scope::RlsDisabled);
    assert_eq!(need(&c.foreign_keys, |f| f.name == "posts_author_id_fkey").covered_by.as_deref(), Some("posts_author_idx"));

    // A partition: its parent's indexes and the rules' judgement of the parent.
    let p = of(&snap, "public.events_2024", &a).unwrap();
    let parent = Scope::Parent { table: "public.events".into() };
    assert_eq!((p.foreign_keys_scope, p.rls_scope, p.foreign_keys.len()), (parent.clone(), parent, 0));
    let e = of(&snap, "public.events", &a).unwrap();
    assert!(e.indexes.is_empty());
    assert_eq!(e.foreign_keys[0].fix.as_deref(), Some("CREATE INDEX CONCURRENTLY ON public.events (author_id);"));

    // Supabase's own schema: the rules skip it.
    let s = of(&snap, "auth.sessions", &a).unwrap();
    assert_eq!((s.rls_scope, s.duplicates_scope), (Scope::Platform, Scope::Platform));
    assert!(s.indexes.iter().all(|i| i.duplicate_of.is_none()));
    assert_eq!(of(&snap, "auth.sessions", &Assumptions::plain()).unwrap().indexes[2].duplicate_of.as_deref(), Some("sessions_a"));

    assert_eq!(of(&snap, "public.nope", &a), None);
}

/// The (rule, fingerprint, fix) of each mark that is a finding, and the same of the findings.
type Marks = BTreeSet<(&'static str, String, Option<String>)>;

fn marks(key: &str, c: &Coverage) -> Marks {
    let mut out = Marks::new();
    let (fk, rls, dup) = (unindexed_foreign_keys::RULE.id, rls_filter_column_unindexed::RULE.id, duplicate_index::RULE.id);
    for f in &c.foreign_keys {
        assert_eq!(f.covered_by.is_none(), f.fix.is_some(), "{key} {}", f.name);
        if f.covered_by.is_none() {
            out.insert((fk, fingerprint(fk, key, &f.name), f.fix.clone()));
        }
    }
    for n in &c.rls_filters {
        assert_eq!(n.covered_by.is_none(), n.fix.is_some(), "{key} {}", n.column);
        if n.covered_by.is_none() {
            out.insert((rls, fingerprint(rls, key, &n.column), n.fix.clone()));
        }
    }
    for i in c.indexes.iter().filter(|i| i.duplicate_of.is_some()) {
        out.insert((dup, fingerprint(dup, key, &i.name), None));
    }
    out
}

/// Every table's coverage against `checks::run`, and the grid's own invariants.
fn agree(name: &str, snap: &Snapshot) -> (usize, usize) {
    let a = Assumptions::for_snapshot(snap);
    let config = ChecksConfig::default();
    let findings = checks::run(snap, &a, &config);
    let filters = filter_columns(snap, &a);
    let rules = [unindexed_foreign_keys::RULE.id, rls_filter_column_unindexed::RULE.id, duplicate_index::RULE.id];
    let expected: Marks = findings
        .iter()
        .filter(|f| snap.tables.contains_key(&f.object))
        .filter_map(|f| {
            let rule = rules.into_iter().find(|r| *r == f.rule)?;
            let fix = (rule != duplicate_index::RULE.id).then(|| f.fix.clone()).flatten();
            Some((rule, f.fingerprint.clone(), fix))
        })
        .collect();
    let cx = Context::new(snap, &a, &config);
    let mut got = Marks::new();
    let mut covered = 0;
    for (key, t) in &snap.tables {
        let c = of_in(&cx, key).unwrap();
        got.extend(marks(key, &c));
        covered += c.foreign_keys.iter().filter(|f| f.covered_by.is_some()).count()
            + c.rls_filters.iter().filter(|n| n.covered_by.is_some()).count();
        // Each index's keys sit at positions 1..=n, once each; its INCLUDE columns are marked.
        for (n, i) in c.indexes.iter().enumerate() {
            let model = &t.indexes[&i.name];
            let mut positions: Vec<u32> = c
                .rows
                .iter()
                .filter_map(|r| match r.cells[n] {
                    Some(Cell::Key(p)) => Some(p),
                    _ => None,
                })
                .collect();
            positions.sort();
            let distinct: BTreeSet<String> = model
                .keys
                .iter()
                .map(|k| k.column.clone().or(k.expression.as_ref().map(|e| e.canonical.clone())).unwrap_or_default())
                .collect();
            assert_eq!(positions.len(), distinct.len(), "{name} {key} {}", i.name);
            assert!(positions.iter().all(|p| *p >= 1 && *p as usize <= model.keys.len()), "{name} {key} {}", i.name);
            let incs = c.rows.iter().filter(|r| r.cells[n] == Some(Cell::Include)).count();
            assert!(incs <= model.include.len(), "{name} {key} {}", i.name);
            for other in [&i.duplicate_of, &i.redundant_with].into_iter().flatten() {
                assert!(t.indexes.contains_key(other) && other != &i.name, "{name} {key} {}", i.name);
            }
        }
        // Without the parser: the same coverage from the worker's filtered columns.
        assert_eq!(with_filters(snap, key, &a, &filters).as_ref(), Some(&c), "{name} {key}");
    }
    let missing: Vec<_> = expected.difference(&got).collect();
    let extra: Vec<_> = got.difference(&expected).collect();
    assert!(missing.is_empty() && extra.is_empty(), "{name}: findings not marked {missing:#?}\nmarked without a finding {extra:#?}");
    (expected.len(), covered)
}

#[test]
fn marks_agree_with_the_checks() {
    let mut dumps: Vec<PathBuf> = std::fs::read_dir(root().join("../fixtures/dumps"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    dumps.sort();
    assert!(dumps.len() >= 5);
    for p in &dumps {
        let (uncovered, covered) = agree(&p.display().to_string(), &load(p));
        println!("{}: {uncovered} findings marked, {covered} needs covered", p.display());
    }
    let (uncovered, _) = agree("shapes", &sql(SHAPES));
    assert!(uncovered >= 2, "the hand-written schema has a duplicate and an uncovered key");
}

#[test]
fn marks_agree_with_the_checks_on_gitlab() {
    let path = root().join("../../shared/corpus/gitlab/structure.sql");
    if !path.exists() {
        eprintln!("{} not found: GitLab coverage test skipped", path.display());
        return;
    }
    let (uncovered, covered) = agree("gitlab", &load(&path));
    println!("gitlab: {uncovered} findings marked, {covered} needs covered");
    assert!(uncovered > 100 && covered > 1000, "GitLab has many keys, most indexed");
}
