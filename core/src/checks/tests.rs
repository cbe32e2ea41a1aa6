//! Data-driven rule tests: `tests/<rule>/bad.sql` must produce the findings in `bad.expected`,
//! `tests/<rule>/good.sql` none of that rule; an optional `tests/<rule>/pglens.toml` configures
//! both. `PGLENS_BLESS=1` rewrites the expectations and `docs/checks/` instead of comparing.

use super::*;
use crate::config::Config;
use crate::{load_files, InputFile};
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/checks/tests")
}

fn bless() -> bool {
    std::env::var("PGLENS_BLESS").as_deref() == Ok("1")
}

fn load(path: &Path, prefix: &str) -> Snapshot {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let loaded = load_files(&[InputFile { name, bytes: format!("{prefix}{text}").into_bytes() }]);
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.severity == crate::Severity::Error).collect();
    assert!(errors.is_empty(), "{}: fixtures must load cleanly: {errors:#?}", path.display());
    loaded.snapshot
}

fn config(rule: &str) -> Config {
    let p = dir().join(rule).join("pglens.toml");
    match std::fs::read_to_string(&p) {
        Ok(t) => Config::parse(&t).unwrap_or_else(|e| panic!("{}:{e}", p.display())),
        Err(_) => Config::default(),
    }
}

fn findings(rule: &Rule, sql: &Path, prefix: &str) -> Vec<Finding> {
    let snap = load(sql, prefix);
    let config = config(rule.id);
    let assumptions = config.assumptions_for(&snap);
    let cx = Context::new(&snap, &assumptions, &config.checks);
    let mut f = run_rule(&cx, rule);
    sort(&mut f);
    f
}

fn render(f: &[Finding]) -> String {
    let mut s = String::new();
    for f in f {
        let at = f.location.as_ref().map(|l| format!("{}:{}", l.line, l.column)).unwrap_or_else(|| "-".into());
        s.push_str(&format!("{} {} {} @{at}\n  {}\n", f.priority.as_str(), f.rule, f.object, f.message));
        if let Some(fix) = &f.fix {
            s.push_str(&format!("  fix: {fix}\n"));
        }
        for a in &f.assumptions {
            s.push_str(&format!("  assumes: {a}\n"));
        }
    }
    s
}

#[test]
fn every_rule_has_documentation_and_fixtures() {
    let mut problems = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    for rule in rules::ALL {
        assert!(ids.insert(rule.id), "duplicate rule id {}", rule.id);
        for p in rule.docs().problems() {
            problems.push(format!("{}: {p}", rule.id));
        }
        for f in ["bad.sql", "good.sql"] {
            if !dir().join(rule.id).join(f).is_file() {
                problems.push(format!("{}: missing checks/tests/{}/{f}", rule.id, rule.id));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn bad_fixtures_give_the_expected_findings_and_good_ones_none() {
    let mut failures = Vec::new();
    for rule in rules::ALL {
        let d = dir().join(rule.id);
        let bad = findings(rule, &d.join("bad.sql"), "");
        let got = render(&bad);
        let expected_path = d.join("bad.expected");
        if bad.is_empty() {
            failures.push(format!("{}: bad.sql gives no finding", rule.id));
        }
        if bless() {
            std::fs::write(&expected_path, &got).unwrap();
        } else {
            let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
            if expected != got {
                failures.push(format!("{}: bad.sql findings differ from bad.expected\n--- expected\n{expected}--- got\n{got}", rule.id));
            }
        }
        let good = findings(rule, &d.join("good.sql"), "");
        if !good.is_empty() {
            failures.push(format!("{}: good.sql gives findings:\n{}", rule.id, render(&good)));
        }
        // Fingerprints name the object, not the line: moving the statements keeps them.
        let moved = findings(rule, &d.join("bad.sql"), "\n\n-- moved down\n\n");
        let a: Vec<&String> = bad.iter().map(|f| &f.fingerprint).collect();
        let b: Vec<&String> = moved.iter().map(|f| &f.fingerprint).collect();
        if a != b {
            failures.push(format!("{}: fingerprints changed when lines moved", rule.id));
        }
        let unique: std::collections::BTreeSet<&&String> = a.iter().collect();
        if unique.len() != a.len() {
            failures.push(format!("{}: two findings share a fingerprint", rule.id));
        }
    }
    assert!(failures.is_empty(), "{} failures (PGLENS_BLESS=1 rewrites bad.expected):\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn docs_checks_are_generated_from_the_rules() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/checks");
    let mut pages: Vec<(PathBuf, String)> = rules::ALL.iter().map(|r| (docs.join(format!("{}.md", r.id)), docs::rule_page(r))).collect();
    pages.push((docs.join("README.md"), docs::index_page(rules::ALL)));
    if bless() {
        std::fs::create_dir_all(&docs).unwrap();
        for (p, text) in &pages {
            std::fs::write(p, text).unwrap();
        }
        return;
    }
    let stale: Vec<String> = pages
        .iter()
        .filter(|(p, text)| std::fs::read_to_string(p).ok().as_ref() != Some(text))
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert!(stale.is_empty(), "docs out of date (run PGLENS_BLESS=1 cargo test -p pglens-core --lib checks): {stale:#?}");
}

#[test]
fn config_disables_rules_overrides_priorities_and_baselines_findings() {
    let d = dir().join("rls_disabled_in_public");
    let snap = load(&d.join("bad.sql"), "");
    let assumptions = Assumptions::supabase();
    let all = run(&snap, &assumptions, &ChecksConfig::default());
    let target: Vec<&Finding> = all.iter().filter(|f| f.rule == "rls_disabled_in_public").collect();
    assert!(!target.is_empty());
    let mut config = ChecksConfig::default();
    config.priority.insert("rls_disabled_in_public".into(), Priority::P2);
    config.baseline.push(target[0].fingerprint.clone());
    let again = run(&snap, &assumptions, &config);
    let f = again.iter().find(|f| f.fingerprint == target[0].fingerprint).unwrap();
    assert_eq!((f.priority, f.baselined), (Priority::P2, true));
    config.disable.push("rls_disabled_in_public".into());
    assert!(run(&snap, &assumptions, &config).iter().all(|f| f.rule != "rls_disabled_in_public"));
}

#[test]
fn patterns() {
    use context::matches_pattern as m;
    assert!(m("*_roles", "user_roles") && m("user_roles", "USER_ROLES") && m("billing*", "billing_events"));
    assert!(!m("*_roles", "roles") && !m("payments", "payments_archive"));
    assert!(m("a*b*c", "axxbyyc") && !m("a*b*c", "axxbyy"));
}
