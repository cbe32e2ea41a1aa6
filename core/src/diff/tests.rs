//! Data-driven drift tests: each folder of `diff/tests/` holds `a.sql` (the reference) and `b.sql`
//! (the drifted side), and `expected.txt` the report, one block per change: priority, kind,
//! change, key, reason, fields and fix hint. `PGLENS_BLESS=1` rewrites the expectations.
//!
//! The API roles are `anon` and `authenticated` throughout, as on Supabase.

use super::{diff, Drift, Options};
use crate::{load_files, InputFile};
use std::fmt::Write;
use std::path::{Path, PathBuf};

fn load(path: &Path) -> crate::Snapshot {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let loaded = load_files(&[InputFile { name: path.file_name().unwrap().to_string_lossy().into(), bytes }]);
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.severity == crate::Severity::Error).collect();
    assert!(errors.is_empty(), "{}: {errors:?}", path.display());
    loaded.snapshot
}

pub fn render(d: &Drift) -> String {
    let mut out = String::new();
    for c in &d.changes {
        let from = c.from_key.as_deref().map(|f| format!(" (from {f})")).unwrap_or_default();
        let _ = writeln!(out, "{} {} {} {}{from}", c.priority.as_str(), c.kind.as_str(), c.change.as_str(), c.key);
        let _ = writeln!(out, "  why: {}", c.reason);
        for f in &c.fields {
            let show = |v: &Option<String>| v.as_deref().map(|s| s.replace('\n', "\\n")).unwrap_or_else(|| "-".into());
            let _ = writeln!(out, "  {}: {} -> {}", f.field, show(&f.a), show(&f.b));
        }
        if let Some(fix) = &c.fix {
            for line in fix.sql.lines() {
                let _ = writeln!(out, "  fix: {line}");
            }
            if !fix.hazards.is_empty() {
                let h: Vec<&str> = fix.hazards.iter().map(|h| h.describe()).collect();
                let _ = writeln!(out, "  hazards: {}", h.join("; "));
            }
        }
    }
    if d.changes.is_empty() {
        out.push_str("no drift\n");
    }
    out
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/diff/tests");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    v.sort();
    v
}

#[test]
fn drift_cases() {
    let bless = std::env::var("PGLENS_BLESS").as_deref() == Ok("1");
    let mut failed = Vec::new();
    for dir in cases() {
        let (a, b) = (load(&dir.join("a.sql")), load(&dir.join("b.sql")));
        let options = Options { exposed_roles: vec!["anon".into(), "authenticated".into()], ignore: vec![] };
        let got = render(&diff(&a, &b, &options));
        let expected_path = dir.join("expected.txt");
        if bless {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failed.push(format!("== {}\n--- expected\n{expected}--- got\n{got}", dir.display()));
        }
        // The same file on both sides never drifts.
        assert!(diff(&a, &a, &options).changes.is_empty(), "{}: a.sql against itself", dir.display());
    }
    assert!(failed.is_empty(), "drift cases differ (PGLENS_BLESS=1 rewrites them):\n{}", failed.join("\n"));
}

#[test]
fn ids_are_stable_and_unique() {
    for dir in cases() {
        let (a, b) = (load(&dir.join("a.sql")), load(&dir.join("b.sql")));
        let d = diff(&a, &b, &Options::default());
        let mut ids: Vec<&str> = d.changes.iter().map(|c| c.id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), d.changes.len(), "{}: duplicate ids", dir.display());
        assert_eq!(d, diff(&a, &b, &Options::default()), "{}: the same inputs give the same report", dir.display());
    }
}
