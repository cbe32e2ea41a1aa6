//! The `pglens` binary as CI uses it: the documented JSON shape (docs/inspect-json.md), the text
//! output, `--help`, and the exit codes (docs/cli.md): 0 loaded, 2 bad usage or unreadable file.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn pglens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pglens")).args(args).output().expect("run the pglens binary")
}

fn saas() -> String {
    let p: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "fixtures", "dumps", "saas.sql"].iter().collect();
    assert!(p.is_file(), "fixture missing: {}", p.display());
    p.to_string_lossy().into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The summary keys docs/inspect-json.md promises (keys are only ever added).
const SUMMARY_KEYS: &[&str] = &[
    "schemas",
    "tables",
    "columns",
    "constraints",
    "foreign_keys",
    "indexes",
    "policies",
    "rls_enabled_tables",
    "functions",
    "triggers",
    "views",
    "materialized_views",
    "sequences",
    "types",
    "extensions",
    "grants",
    "statements",
    "unmodelled_statements",
    "parse_errors",
];

fn inspect_json() -> Value {
    let o = pglens(&["inspect", &saas(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("stdout is not one JSON document: {e}\n{}", stdout(&o)))
}

#[test]
fn inspect_json_has_the_documented_shape() {
    let v = inspect_json();
    let top = v.as_object().expect("top level is an object");
    for k in ["summary", "diagnostics", "snapshot"] {
        assert!(top.contains_key(k), "missing top-level key `{k}`; keys: {:?}", top.keys().collect::<Vec<_>>());
    }
    let summary = v["summary"].as_object().expect("`summary` is an object");
    for k in SUMMARY_KEYS {
        let n = summary.get(*k).unwrap_or_else(|| panic!("summary lacks `{k}`"));
        assert!(n.is_u64(), "summary.{k} is not a non-negative integer: {n}");
    }
    assert!(summary.values().all(Value::is_u64), "every summary value is an integer: {summary:?}");
    assert!(v["diagnostics"].is_array(), "`diagnostics` is an array");
    let snap = v["snapshot"].as_object().expect("`snapshot` is an object");
    for k in ["files", "schemas", "tables", "views", "sequences", "functions", "types", "extensions", "triggers", "unmodelled", "stats"] {
        assert!(snap.contains_key(k), "snapshot lacks `{k}`");
    }

    // The numbers agree with the snapshot they summarise, and with the fixture (31 tables).
    let s = &v["summary"];
    assert_eq!(s["tables"], 31);
    assert_eq!(s["tables"].as_u64().unwrap(), snap["tables"].as_object().unwrap().len() as u64);
    assert_eq!(s["schemas"].as_u64().unwrap(), snap["schemas"].as_object().unwrap().len() as u64);
    assert!(s["policies"].as_u64().unwrap() > 0 && s["rls_enabled_tables"].as_u64().unwrap() > 0);
    assert_eq!(s["parse_errors"], 0, "diagnostics: {}", v["diagnostics"]);
    assert_eq!(
        s["statements"].as_u64().unwrap(),
        s["modelled_statements"].as_u64().unwrap() + s["unmodelled_statements"].as_u64().unwrap() + s["parse_errors"].as_u64().unwrap()
    );

    // Object keys: `schema.name` for relations, `schema.name(argtypes)` for routines,
    // `schema.table/name` for triggers (and constraints, indexes, policies inside their table).
    let tables = snap["tables"].as_object().unwrap();
    for (key, t) in tables {
        assert_eq!(key, &format!("{}.{}", t["schema"].as_str().unwrap(), t["name"].as_str().unwrap()));
        for (name, c) in t["constraints"].as_object().unwrap() {
            assert_eq!(name, c["name"].as_str().unwrap());
        }
    }
    for (key, f) in snap["functions"].as_object().unwrap() {
        assert_eq!(
            key,
            &format!("{}.{}({})", f["schema"].as_str().unwrap(), f["name"].as_str().unwrap(), f["signature"].as_str().unwrap())
        );
    }
    for (key, t) in snap["triggers"].as_object().unwrap() {
        assert_eq!(key, &format!("{}/{}", t["table"].as_str().unwrap(), t["name"].as_str().unwrap()));
    }
}

#[test]
fn diagnostics_have_the_documented_fields() {
    let dir = std::env::temp_dir().join(format!("pglens-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("broken.sql");
    std::fs::write(&f, "CREATE TABLE a (id int);\nCREATE TABLE b (\n  oops oops oops\n);\n").unwrap();
    let o = pglens(&["inspect", f.to_str().unwrap(), "--format=json"]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(o.status.code(), Some(0), "diagnostics do not change the exit code; stderr: {}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = &v["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "parse_error");
    assert!(d["message"].as_str().unwrap().contains("syntax error"));
    assert_eq!(d["file"], f.to_str().unwrap());
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(3), Some(13)));
    for k in ["file", "line", "column", "start", "end"] {
        assert!(d["span"][k].is_u64(), "diagnostic span lacks `{k}`: {d}");
    }
    assert_eq!(v["summary"]["tables"], 1);
    assert_eq!(v["summary"]["parse_errors"], 1);
}

#[test]
fn inspect_text_mentions_the_table_count() {
    let o = pglens(&["inspect", &saas()]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let out = stdout(&o);
    let line = out.lines().find(|l| l.starts_with("tables ")).unwrap_or_else(|| panic!("no `tables` line in:\n{out}"));
    assert_eq!(line.split_whitespace().last(), Some("31"), "{line}");
    assert!(out.contains("saas.sql"), "the file is named:\n{out}");
    assert!(out.contains("statements "), "{out}");
}

#[test]
fn json_output_is_the_same_for_format_and_format_equals() {
    let a = pglens(&["inspect", &saas(), "--format", "json"]);
    let b = pglens(&["inspect", "--format=json", &saas()]);
    assert_eq!((a.status.code(), b.status.code()), (Some(0), Some(0)));
    assert_eq!(a.stdout, b.stdout, "deterministic output, flag position does not matter");
}

#[test]
fn missing_file_exits_2() {
    let o = pglens(&["inspect", "/nonexistent/pglens/nothing.sql"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read /nonexistent/pglens/nothing.sql"), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "nothing on stdout: {}", stdout(&o));
    // A missing file among good ones fails the whole run: no partial snapshot.
    let o = pglens(&["inspect", &saas(), "/nonexistent/pglens/nothing.sql", "--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
}

#[test]
fn bad_usage_exits_2() {
    for args in [
        &["inspect", "--bogus", "x.sql"][..],
        &["inspect", "x.sql", "--format", "yaml"],
        &["inspect", "x.sql", "--format"],
        &["inspect"],
        &["frobnicate"],
        &[],
    ] {
        let o = pglens(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: stdout {} stderr {}", stdout(&o), stderr(&o));
        assert!(!stderr(&o).is_empty(), "{args:?}: says why on stderr");
        assert!(o.stdout.is_empty(), "{args:?}: nothing on stdout");
    }
    assert!(stderr(&pglens(&["inspect", "--bogus", "x.sql"])).contains("unknown option --bogus"));
    assert!(stderr(&pglens(&["inspect", "x.sql", "--format", "yaml"])).contains("--format takes text or json"));
}

#[test]
fn help_works() {
    for flag in ["--help", "-h", "help"] {
        let o = pglens(&[flag]);
        assert_eq!(o.status.code(), Some(0), "{flag}");
        let out = stdout(&o);
        assert!(out.contains("pglens inspect FILE... [--format text|json]"), "{flag}: {out}");
        assert!(out.contains("EXIT CODES"), "{flag}: {out}");
    }
    let o = pglens(&["--version"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).starts_with("pglens "));
}

/// `--format=VALUE` must be validated like `--format VALUE`.
#[test]
fn format_equals_with_a_bad_value_exits_2() {
    let o = pglens(&["inspect", &saas(), "--format=yaml"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "CLI BUG (reported to the lead): `--format=yaml` is accepted (cli/src/inspect.rs stores any `--format=` value \
         unchecked) and prints the text report with exit 0, while `--format yaml` exits 2; stdout starts: {}",
        stdout(&o).lines().next().unwrap_or("")
    );
}

/// `pglens inspect --help` prints the help like `pglens --help`.
#[test]
fn inspect_help_works() {
    let o = pglens(&["inspect", "--help"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "CLI BUG (reported to the lead): `pglens inspect --help` is rejected as `unknown option --help` (exit 2); \
         stderr: {}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("pglens inspect FILE..."));
}

fn access_json(extra: &[&str]) -> Value {
    let saas = saas();
    let mut args = vec!["access", saas.as_str(), "--format", "json"];
    args.extend_from_slice(extra);
    let o = pglens(&args);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("stdout is not one JSON document: {e}\n{}", stdout(&o)))
}

/// docs/access-json.md: `cells` with the documented keys and values, and `assumptions`.
#[test]
fn access_json_has_the_documented_shape() {
    let v = access_json(&[]);
    assert_eq!(v["assumptions"]["preset"], "supabase");
    let cells = v["cells"].as_array().expect("cells");
    assert!(!cells.is_empty());
    let states = ["no_privilege", "rls_denies", "all_rows", "conditional"];
    let commands = ["SELECT", "INSERT", "UPDATE", "DELETE", "EXECUTE"];
    let mut seen = std::collections::BTreeSet::new();
    for c in cells {
        for k in ["role", "relation", "command", "privilege", "state", "predicate", "assumptions"] {
            assert!(c.get(k).is_some(), "cell without {k}: {c}");
        }
        assert!(commands.contains(&c["command"].as_str().unwrap()), "{c}");
        let state = c["state"].as_str().unwrap();
        assert!(states.contains(&state), "{c}");
        assert_eq!(c["predicate"].is_string(), state == "conditional" || state == "all_rows" && c["policies"].is_array(), "{c}");
        if c["privilege"] == false {
            assert_eq!(state, "no_privilege", "{c}");
        }
        seen.insert(state.to_string());
    }
    assert_eq!(seen.len(), 4, "the saas fixture has cells in every state: {seen:?}");
    let roles: Vec<&str> = v["roles"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
    assert_eq!(&roles[..3], ["anon", "authenticated", "service_role"]);
}

#[test]
fn access_role_filter_and_unknown_roles() {
    let v = access_json(&["--role", "anon"]);
    assert!(v["cells"].as_array().unwrap().iter().all(|c| c["role"] == "anon"));
    // A role the dump never names still gets cells: what PUBLIC has.
    let v = access_json(&["--role=nobody_here"]);
    let cells = v["cells"].as_array().unwrap();
    assert!(!cells.is_empty() && cells.iter().all(|c| c["role"] == "nobody_here"));
}

#[test]
fn access_csv_and_text() {
    let o = pglens(&["access", &saas(), "--format", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("role,relation,command,privilege,state,predicate,with_check,columns,policies,assumptions\n"));
    assert!(out.lines().count() > 10);
    let o = pglens(&["access", &saas(), "--role", "anon"]);
    let out = stdout(&o);
    assert!(out.contains("assumptions (supabase)") && out.contains("legend:"), "{out}");
}

#[test]
fn access_config_is_read_and_its_errors_exit_2() {
    let dir = std::env::temp_dir().join(format!("pglens-cli-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.toml");
    std::fs::write(&good, "[assumptions]\npreset = \"plain\"\nroles = [\"auditor\"]\n").unwrap();
    let v = access_json(&["--config", good.to_str().unwrap()]);
    assert_eq!(v["assumptions"]["preset"], "custom");
    assert_eq!(v["roles"][0], "auditor");
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[assumptions]\nbypass_rsl = [\"x\"]\n").unwrap();
    let o = pglens(&["access", &saas(), "--config", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.toml:2:"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let o = pglens(&["access", &saas(), "--config", "/nonexistent/pglens.toml"]);
    assert_eq!(o.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn csv_values_that_spreadsheets_would_run_stay_text() {
    let dir = std::env::temp_dir().join(format!("pglens-cli-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sql = dir.join("evil.sql");
    std::fs::write(&sql, "CREATE TABLE t (a int);\nGRANT SELECT ON t TO \"=SUM(1+1)\";\n").unwrap();
    let o = pglens(&["access", sql.to_str().unwrap(), "--format", "csv", "--role", "=SUM(1+1)"]);
    let out = stdout(&o);
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert!(!rows.is_empty(), "{out}");
    assert!(rows.iter().all(|l| l.starts_with("\"'=SUM(1+1)\",public.t,")), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn inspect_reconciles_a_dump_with_a_policy_export() {
    let dir = std::env::temp_dir().join(format!("pglens-cli-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sql = dir.join("d.sql");
    std::fs::write(&sql, "CREATE TABLE t (a int);\nCREATE POLICY p ON t USING (a > 0);\n").unwrap();
    let csv = dir.join("export.txt");
    std::fs::write(&csv, "schemaname,tablename,policyname,permissive,roles,cmd,qual,with_check\npublic,t,p,PERMISSIVE,{public},ALL,(a > 1),\n").unwrap();
    let o = pglens(&["inspect", sql.to_str().unwrap(), csv.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(out.contains("(pg_policies export)"), "{out}");
    assert!(out.contains("1 mismatches") && out.contains("using: dump `a > 0`, export `a > 1`"), "{out}");
    let o = pglens(&["inspect", sql.to_str().unwrap(), csv.to_str().unwrap(), "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["policy_reconciliation"]["mismatches"][0]["kind"], "differs");
    std::fs::remove_dir_all(&dir).ok();
}

fn check(args: &[&str]) -> Output {
    let saas = saas();
    let mut all = vec!["check", saas.as_str()];
    all.extend_from_slice(args);
    pglens(&all)
}

#[test]
fn check_json_shape_and_exit_codes() {
    let o = check(&["--format", "json", "--fail-on", "none"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("one JSON document");
    let findings = v["findings"].as_array().expect("findings");
    for f in findings {
        for k in ["rule", "priority", "category", "object", "message", "fix", "location", "assumptions", "fingerprint"] {
            assert!(f.get(k).is_some(), "finding without {k}: {f}");
        }
        assert!(["P0", "P1", "P2"].contains(&f["priority"].as_str().unwrap()));
        assert_eq!(f["fingerprint"].as_str().unwrap().len(), 16);
    }
    let total = |k: &str| v["summary"][k].as_u64().unwrap();
    assert_eq!((total("P0") + total("P1") + total("P2")) as usize, findings.len());
    // The exit code follows the threshold.
    let p2 = total("P0") + total("P1") + total("P2");
    assert_eq!(check(&["--fail-on", "p2"]).status.code(), Some(if p2 > 0 { 1 } else { 0 }));
    assert_eq!(check(&["--fail-on", "none"]).status.code(), Some(0));
    assert_eq!(check(&["--fail-on", "p9"]).status.code(), Some(2));
}

#[test]
fn check_baseline_accepts_findings() {
    let o = check(&["--format", "json", "--fail-on", "none"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let all: Vec<String> = v["findings"].as_array().unwrap().iter().map(|f| f["fingerprint"].as_str().unwrap().to_string()).collect();
    assert!(!all.is_empty(), "the saas fixture has findings");
    let dir = std::env::temp_dir().join(format!("pglens-cli-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let toml = dir.join("pglens.toml");
    let list: Vec<String> = all.iter().map(|f| format!("\"{f}\"")).collect();
    std::fs::write(&toml, format!("[checks]\nbaseline = [{}]\n", list.join(", "))).unwrap();
    let o = check(&["--fail-on", "p2", "--config", toml.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "everything is baselined: {}", stdout(&o));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["baselined"].as_u64().unwrap() as usize, all.len());
    std::fs::remove_dir_all(&dir).ok();
}

/// SARIF 2.1.0's required structure (§3 of the OASIS spec), checked field by field: the spec's
/// schema is not vendored, these are its `required` properties and enums for what we emit.
fn assert_valid_sarif(v: &Value) {
    assert_eq!(v["version"], "2.1.0");
    let runs = v["runs"].as_array().expect("runs is required and an array");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert!(driver["name"].is_string(), "tool.driver.name is required");
    let rules = driver["rules"].as_array().expect("rules");
    let mut ids = std::collections::BTreeSet::new();
    for r in rules {
        let id = r["id"].as_str().expect("reportingDescriptor.id is required");
        assert!(ids.insert(id.to_string()), "rule ids are unique");
        assert!(r["shortDescription"]["text"].is_string());
        assert!(["none", "note", "warning", "error"].contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
    }
    for res in run["results"].as_array().expect("results") {
        assert!(res["message"]["text"].is_string(), "result.message.text is required: {res}");
        assert!(["none", "note", "warning", "error"].contains(&res["level"].as_str().unwrap()));
        let id = res["ruleId"].as_str().unwrap();
        let index = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], id, "ruleIndex points at ruleId");
        for loc in res["locations"].as_array().into_iter().flatten() {
            let pl = &loc["physicalLocation"];
            let uri = pl["artifactLocation"]["uri"].as_str().expect("uri");
            assert!(!uri.contains(' ') && !uri.contains('\\'), "uri is a URI reference: {uri}");
            assert!(pl["region"]["startLine"].as_u64().unwrap() >= 1);
            assert!(pl["region"]["startColumn"].as_u64().unwrap() >= 1);
        }
        for s in res["suppressions"].as_array().into_iter().flatten() {
            assert!(["inSource", "external"].contains(&s["kind"].as_str().unwrap()));
        }
    }
}

#[test]
fn check_sarif_is_valid_sarif_2_1_0() {
    let o = check(&["--format", "sarif", "--fail-on", "none"]);
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&o.stdout).expect("SARIF is JSON");
    assert_valid_sarif(&v);
    assert!(!v["runs"][0]["results"].as_array().unwrap().is_empty());
}

#[test]
fn check_markdown_escapes_hostile_names() {
    let hostile: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "fixtures", "dumps", "hostile.sql"].iter().collect();
    let o = pglens(&["check", hostile.to_str().unwrap(), "--format", "md", "--fail-on", "none"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = stdout(&o);
    assert!(md.starts_with("## pglens check: "), "{md}");
    // Nothing from the dump may open an HTML element or a link.
    let outside_fences: String = md.split("```").step_by(2).collect();
    assert!(!outside_fences.contains("<script") && !outside_fences.contains("<img"), "{md}");
    let o = pglens(&["check", hostile.to_str().unwrap(), "--format", "sarif", "--fail-on", "none"]);
    assert_valid_sarif(&serde_json::from_slice(&o.stdout).unwrap());
}

/// The P0 findings on devhunt's genuine Supabase dump, the figure the e2e Checks page test also
/// expects: 5 SECURITY DEFINER functions without a pinned search_path, 8 views reading RLS tables
/// with their owner's rights.
#[test]
fn devhunt_p0_findings() {
    let dump: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "..", "shared", "corpus", "supabase", "devhunt", "dump_2023-10-02.sql"].iter().collect();
    if !dump.is_file() {
        assert_eq!(std::env::var("PGLENS_SKIP_CORPUS").as_deref(), Ok("1"), "missing {}", dump.display());
        return;
    }
    let o = pglens(&["check", dump.to_str().unwrap(), "--format", "json", "--fail-on", "p0"]);
    assert_eq!(o.status.code(), Some(1), "P0 findings fail the run");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let p0: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["priority"] == "P0")
        .map(|f| (f["rule"].as_str().unwrap(), f["object"].as_str().unwrap()))
        .collect();
    assert_eq!(p0.iter().filter(|(r, _)| *r == "function_search_path_mutable").count(), 5, "{p0:#?}");
    assert_eq!(p0.iter().filter(|(r, _)| *r == "security_definer_view").count(), 8, "{p0:#?}");
    assert_eq!(p0.len(), 13, "{p0:#?}");
}

fn fixture(dir: &str, name: &str) -> String {
    let p: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "fixtures", dir, name].iter().collect();
    assert!(p.is_file(), "fixture missing: {}", p.display());
    p.to_string_lossy().into_owned()
}

fn staging() -> String {
    fixture("dumps", "saas_staging.sql")
}

fn diff(a: &str, b: &str, extra: &[&str]) -> Output {
    let mut args = vec!["diff", a, b];
    args.extend_from_slice(extra);
    pglens(&args)
}

fn diff_json(a: &str, b: &str, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json", "--fail-on", "none"];
    args.extend_from_slice(extra);
    let o = diff(a, b, &args);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("stdout is not one JSON document: {e}\n{}", stdout(&o)))
}

/// The drift fixtures/src/saas_staging.sql lists: 4 P0 (2 RLS switched off, 1 policy widened, 1
/// grant to anon), 3 P1 (index dropped, column type, function body), 3 P2 (policy renamed, new
/// column, comment). docs/diff-json.md is the shape.
#[test]
fn diff_json_has_the_documented_shape_and_the_fixture_drift() {
    let v = diff_json(&saas(), &staging(), &[]);
    assert_eq!(v["a"]["files"], serde_json::json!([saas()]));
    assert_eq!(v["b"]["files"], serde_json::json!([staging()]));
    assert_eq!(v["scope"], "everything");
    assert_eq!(
        (v["counts"]["P0"].as_u64(), v["counts"]["P1"].as_u64(), v["counts"]["P2"].as_u64()),
        (Some(4), Some(3), Some(3)),
        "{}",
        v["counts"]
    );
    let by_kind: std::collections::BTreeMap<String, u64> = serde_json::from_value(v["counts"]["by_kind"].clone()).unwrap();
    let expected: std::collections::BTreeMap<String, u64> =
        [("column", 2), ("comment", 1), ("function", 1), ("index", 1), ("policy", 2), ("privilege", 1), ("rls", 2)]
            .iter()
            .map(|(k, n)| (k.to_string(), *n))
            .collect();
    assert_eq!(by_kind, expected);
    let changes = v["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 10);
    for c in changes {
        for k in ["kind", "key", "change", "fields", "priority", "reason", "id"] {
            assert!(c.get(k).is_some(), "change without {k}: {c}");
        }
        assert!(["added", "removed", "renamed", "changed"].contains(&c["change"].as_str().unwrap()), "{c}");
        let id = c["id"].as_str().unwrap();
        assert!(id.len() == 12 && id.chars().all(|ch| ch.is_ascii_hexdigit()), "{c}");
        // P0 and P1 carry a fix hint, P2 none.
        assert_eq!(c["fix"].is_object(), c["priority"] != "P2", "{c}");
        if let Some(fix) = c["fix"].as_object() {
            assert!(fix["sql"].is_string() && fix["hazards"].is_array(), "{c}");
        }
        assert!(c["a_span"].is_object() || c["b_span"].is_object(), "{c}");
    }
    let p0: Vec<(&str, &str)> =
        changes.iter().filter(|c| c["priority"] == "P0").map(|c| (c["kind"].as_str().unwrap(), c["key"].as_str().unwrap())).collect();
    assert_eq!(
        p0,
        [
            ("policy", "public.projects/Public projects are readable by anyone"),
            ("rls", "public.changelog_entries"),
            ("rls", "public.invitations"),
            ("privilege", "table public.changelog_entries to anon"),
        ]
    );
    let p1: Vec<&str> = changes.iter().filter(|c| c["priority"] == "P1").map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(p1, ["column", "index", "function"]);
    let renamed = changes.iter().find(|c| c["change"] == "renamed").expect("the renamed policy");
    assert_eq!(renamed["from_key"], "public.tasks/Admins delete tasks");
    assert_eq!(renamed["key"], "public.tasks/Admins may delete tasks");
    assert_eq!(renamed["priority"], "P2");
    // Deterministic: the same run prints the same bytes.
    assert_eq!(diff(&saas(), &staging(), &["--format", "json"]).stdout, diff(&saas(), &staging(), &["--format", "json"]).stdout);
}

#[test]
fn diff_exit_codes_follow_the_threshold_and_ignore() {
    let code = |extra: &[&str]| diff(&saas(), &staging(), extra).status.code();
    assert_eq!(code(&[]), Some(1), "P0 drift fails the default --fail-on p0");
    assert_eq!(code(&["--fail-on", "p0", "--ignore", "rls,policy,privilege"]), Some(0), "only P1 and P2 left");
    assert_eq!(code(&["--ignore", "rls", "--ignore=policy", "--ignore", "privilege"]), Some(0), "--ignore repeats");
    assert_eq!(code(&["--fail-on", "p1", "--ignore", "rls,policy,privilege"]), Some(1));
    assert_eq!(code(&["--fail-on", "p2", "--ignore", "rls,policy,privilege,column,index,function"]), Some(1), "comment is P2");
    assert_eq!(code(&["--fail-on", "none"]), Some(0));
    let v = diff_json(&saas(), &staging(), &["--ignore", "rls,policy,privilege"]);
    assert_eq!(v["counts"]["P0"], 0);
    assert_eq!(v["ignored"], serde_json::json!(["rls", "policy", "privilege"]));
    assert!(v["changes"].as_array().unwrap().iter().all(|c| !["rls", "policy", "privilege"].contains(&c["kind"].as_str().unwrap())));
    for (args, says) in [
        (&["--ignore", "rls,tabel"][..], "--ignore takes kinds among"),
        (&["--fail-on", "p9"], "--fail-on takes p0, p1, p2 or none"),
        (&["--format", "csv"], "--format takes text or json or md or sarif"),
    ] {
        let o = diff(&saas(), &staging(), args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?}");
    }
    for args in [&["diff", "a.sql"][..], &["diff", "a.sql", "b.sql", "c.sql"], &["diff"]] {
        let o = pglens(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn diff_of_a_file_with_itself_is_empty() {
    let v = diff_json(&saas(), &saas(), &[]);
    assert_eq!(v["changes"], serde_json::json!([]));
    assert_eq!((v["counts"]["P0"].as_u64(), v["counts"]["P1"].as_u64(), v["counts"]["P2"].as_u64()), (Some(0), Some(0), Some(0)));
    let o = diff(&saas(), &saas(), &["--fail-on", "p2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).ends_with("0 P0, 0 P1, 0 P2\n"), "{}", stdout(&o));
    let md = stdout(&diff(&saas(), &saas(), &["--format", "md"]));
    assert!(md.contains("No drift."), "{md}");
}

#[test]
fn diff_text_has_one_line_per_change() {
    let o = diff(&saas(), &staging(), &[]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    let at = lines.iter().position(|l| *l == "P0 rls changed public.invitations: row level security is off in B: every role with a grant reads and writes every row, whatever the policies say");
    let at = at.unwrap_or_else(|| panic!("no rls line in:\n{out}"));
    assert_eq!(lines[at + 1], "    enabled: yes → no");
    assert!(lines[at + 2].starts_with("    fix"), "{out}");
    assert!(out.contains("\nP2 policy renamed public.tasks/Admins delete tasks → public.tasks/Admins may delete tasks: "), "{out}");
    assert!(out.contains("\nP1 column changed public.time_entries.note: "), "{out}");
    assert_eq!(out.lines().filter(|l| l.starts_with('P')).count(), 10, "{out}");
    assert!(out.lines().all(|l| l.chars().count() < 500), "one line per change, long values cut");
    let last = out.lines().last().unwrap();
    assert!(last.starts_with("4 P0, 3 P1, 3 P2"), "{last}");

    // Hostile names reach a terminal as text: no escape sequences, no bidirectional overrides.
    let o = diff(&fixture("dumps", "hostile.sql"), &saas(), &["--fail-on", "none"]);
    let out = stdout(&o);
    assert!(out.contains("<script>"), "text output is not HTML-escaped:\n{out}");
    let acting = |c: char| (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    assert!(!out.chars().any(acting), "{out}");
    assert!(out.contains("\\u{202e}"), "the RTL override is shown escaped:\n{out}");
}

/// Fenced code blocks (of any fence length) removed: what Markdown renders as text.
fn outside_code_blocks(md: &str) -> String {
    let mut out = String::new();
    let mut fence: Option<String> = None;
    for line in md.lines() {
        let ticks: String = line.chars().take_while(|c| *c == '`').collect();
        match &fence {
            None if ticks.len() >= 3 => fence = Some(ticks),
            None => {
                out.push_str(line);
                out.push('\n');
            }
            Some(f) if line.trim_end() == f => fence = None,
            Some(_) => {}
        }
    }
    assert!(fence.is_none(), "every code block is closed");
    out
}

#[test]
fn diff_markdown_has_the_sections_and_escapes_hostile_names() {
    let o = diff(&saas(), &staging(), &["--format", "md"]);
    assert_eq!(o.status.code(), Some(1), "the exit code does not depend on the format");
    let md = stdout(&o);
    assert!(md.starts_with("## pglens diff: 4 P0 · 3 P1 · 3 P2\n"), "{md}");
    for s in [
        "\n### P0: security drift (4)\n",
        "\n### P1: integrity and performance drift (3)\n",
        "\n### P2: other drift (3)\n",
        "| rls | 2 | 0 | 0 | 2 |",
        "```sql\n",
        "```diff\n",
        "+  new.updated_at := clock_timestamp();",
    ] {
        assert!(md.contains(s), "no {s:?} in:\n{md}");
    }
    assert!(md.contains("**hazards**: takes a lock that blocks writes"), "{md}");

    let hostile = fixture("dumps", "hostile.sql");
    for (a, b) in [(hostile.as_str(), saas()), (saas().as_str(), hostile.clone())] {
        let o = diff(a, &b, &["--format", "md", "--fail-on", "none"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let md = stdout(&o);
        assert!(md.len() < 65_536, "fits a GitHub comment: {}", md.len());
        let text = outside_code_blocks(&md);
        for raw in ["<script", "<img", "<svg", "</style", "<marquee"] {
            assert!(!text.contains(raw), "raw {raw} outside code blocks:\n{md}");
        }
        assert!(text.contains("&lt;script&gt;"), "the hostile names are there, escaped:\n{md}");
    }
}

#[test]
fn diff_sarif_is_valid_sarif_2_1_0() {
    let o = diff(&saas(), &staging(), &["--format", "sarif"]);
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).expect("SARIF is JSON");
    assert_valid_sarif(&v);
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 10);
    let levels: Vec<&str> = results.iter().map(|r| r["level"].as_str().unwrap()).collect();
    assert_eq!(levels, ["error", "error", "error", "error", "warning", "warning", "warning", "note", "note", "note"]);
    assert_eq!(results[0]["ruleId"], "drift/policy-changed");
    // B's file where B defines the object, A's for what B lacks (the dropped index).
    let uri = |r: &Value| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap().to_string();
    assert!(uri(&results[0]).ends_with("saas_staging.sql"), "{}", results[0]);
    let dropped = results.iter().find(|r| r["ruleId"] == "drift/index-removed").expect("the dropped index");
    assert!(uri(dropped).ends_with("/saas.sql"), "{dropped}");
    let o = diff(&fixture("dumps", "hostile.sql"), &saas(), &["--format", "sarif", "--fail-on", "none"]);
    assert_valid_sarif(&serde_json::from_slice(&o.stdout).unwrap());
}

#[test]
fn diff_unusable_input_exits_2() {
    let o = diff(&saas(), "/nonexistent/pglens/staging.sql", &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read /nonexistent/pglens/staging.sql"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let o = diff(&format!("{},/nonexistent/pglens/p.csv", saas()), &saas(), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "a missing file among a side's files");
    assert!(o.stdout.is_empty());

    let dir = std::env::temp_dir().join(format!("pglens-cli-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let binary = dir.join("prod.dump");
    std::fs::write(&binary, b"PGDMP\x01\x0e\x00\x04\x08\x01\x01\x00\x00\x00\xff\xfe\x00\x00binary").unwrap();
    let o = diff(&saas(), binary.to_str().unwrap(), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "a side that loads nothing is not an empty database");
    assert!(stderr(&o).contains("loaded nothing"), "{}", stderr(&o));
    assert!(stderr(&o).contains("binary"), "its diagnostics are shown: {}", stderr(&o));
    assert!(o.stdout.is_empty());
    let empty = dir.join("empty.sql");
    std::fs::write(&empty, "-- nothing here\n").unwrap();
    assert_eq!(diff(empty.to_str().unwrap(), &saas(), &[]).status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

/// A side of pg_policies exports compares policies only; the saas export was taken from the
/// database saas.sql was dumped from, so nothing differs.
#[test]
fn diff_against_a_policy_export_compares_policies_only() {
    let export = fixture("exports", "saas.csv");
    let v = diff_json(&saas(), &export, &[]);
    assert_eq!(v["scope"], "policies");
    assert_eq!(v["changes"], serde_json::json!([]), "{}", v["changes"]);
    let o = diff(&saas(), &export, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("only policies compared"), "{}", stdout(&o));
    assert!(stdout(&diff(&export, &saas(), &["--format", "md"])).contains("Only policies were compared"));
    // The staging dump against the export: the widened and the renamed policy.
    let v = diff_json(&export, &staging(), &[]);
    assert_eq!(v["scope"], "policies");
    let kinds: Vec<(&str, &str)> =
        v["changes"].as_array().unwrap().iter().map(|c| (c["kind"].as_str().unwrap(), c["change"].as_str().unwrap())).collect();
    assert_eq!(kinds, [("policy", "changed"), ("policy", "renamed")], "{}", v["changes"]);
    // A dump and an export joined with a comma are one side: everything is compared.
    let v = diff_json(&format!("{},{export}", saas()), &staging(), &[]);
    assert_eq!(v["scope"], "everything");
    assert_eq!(v["a"]["files"].as_array().unwrap().len(), 2);
    assert_eq!(v["counts"]["P0"], 4);
}

#[test]
fn help_lists_diff() {
    let out = stdout(&pglens(&["--help"]));
    assert!(
        out.contains("pglens diff    A B [--format text|json|md|sarif] [--fail-on p0|p1|p2|none] [--ignore KIND[,KIND...]]..."),
        "{out}"
    );
    assert!(out.contains("pglens diff prod.sql staging.sql --format md > drift.md"), "{out}");
    let o = pglens(&["diff", "--help"]);
    assert_eq!(o.status.code(), Some(0));
}

/// `--config` gives the API roles whose new grants are security drift, as for `check`: under the
/// plain preset anon is no API role, so its new INSERT grant is no longer P0 (the RLS and policy
/// drift still is).
#[test]
fn diff_takes_its_api_roles_from_the_config() {
    let dir = std::env::temp_dir().join(format!("pglens-cli-diff-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let plain = dir.join("plain.toml");
    std::fs::write(&plain, "[assumptions]\npreset = \"plain\"\n").unwrap();
    let v = diff_json(&saas(), &staging(), &["--config", plain.to_str().unwrap()]);
    assert_eq!(v["counts"]["P0"], 3, "{}", v["counts"]);
    let grant = v["changes"].as_array().unwrap().iter().find(|c| c["kind"] == "privilege").expect("the grant to anon");
    assert_eq!(grant["priority"], "P2", "{grant}");
    let o = diff(&saas(), &staging(), &["--config", "/nonexistent/pglens.toml"]);
    assert_eq!(o.status.code(), Some(2), "an unreadable --config exits 2");
    let _ = std::fs::remove_dir_all(&dir);
}

fn erd(extra: &[&str]) -> Output {
    let mut args = vec!["erd".to_string(), saas()];
    args.extend(extra.iter().map(|s| s.to_string()));
    Command::new(env!("CARGO_BIN_EXE_pglens")).args(&args).output().expect("run the pglens binary")
}

/// The keys of the boxes an SVG from `pglens erd` draws, in order, and the focused one.
fn erd_boxes(svg: &str) -> (Vec<String>, Option<String>) {
    let mut keys = Vec::new();
    let mut focus = None;
    for part in svg.split("<g class=\"erd-box ").skip(1) {
        let head = &part[..part.find('>').expect("a tag")];
        // The legend's swatches are boxes' heads with no key.
        let Some(key) = head.split("data-key=\"").nth(1).and_then(|k| k.split('"').next()) else { continue };
        let key = key.to_string();
        if head.split('"').next().is_some_and(|c| c.split(' ').any(|w| w == "focus")) {
            focus = Some(key.clone());
        }
        keys.push(key);
    }
    (keys, focus)
}

fn erd_ok(extra: &[&str]) -> String {
    let o = erd(extra);
    assert_eq!(o.status.code(), Some(0), "pglens erd {extra:?}: {}", stderr(&o));
    let svg = stdout(&o);
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"erd\""), "{}", &svg[..svg.len().min(200)]);
    assert!(svg.ends_with("</svg>\n"));
    svg
}

#[test]
fn erd_focus_draws_the_neighbourhood_with_its_marks() {
    let svg = erd_ok(&["--focus", "public.tasks", "--hops", "1"]);
    let (keys, focus) = erd_boxes(&svg);
    assert_eq!(
        keys,
        [
            "auth.users",
            "public.attachments",
            "public.comments",
            "public.organizations",
            "public.projects",
            "public.task_labels",
            "public.task_watchers",
            "public.tasks",
            "public.time_entries"
        ]
    );
    assert_eq!(focus.as_deref(), Some("public.tasks"));
    assert!(svg.contains("<title>saas.sql · public.tasks, 1 hop</title>"));
    // Keys detail: the focus shows its key columns; the overlay marks RLS and findings.
    assert!(svg.contains(">PK id  bigint</text>") && svg.contains("class=\"erd-row fk\""));
    assert!(svg.contains("class=\"erd-box rls-on focus\"") && svg.contains("class=\"erd-badge p"));
    assert!(svg.contains("class=\"erd-legend\""));
    // Two hops draw more, a bare table name finds the same table.
    assert!(erd_boxes(&erd_ok(&["--focus", "public.tasks"])).0.len() > keys.len());
    assert_eq!(erd_ok(&["--focus", "tasks"]), erd_ok(&["--focus", "public.tasks"]));
}

#[test]
fn erd_schema_path_and_overview() {
    let (keys, _) = erd_boxes(&erd_ok(&["--schema", "private"]));
    assert_eq!(keys, ["private.admin_notes", "private.stripe_events"]);
    let (keys, _) = erd_boxes(&erd_ok(&["--path", "public.task_watchers,public.plans"]));
    assert_eq!(keys, ["auth.users", "public.organizations", "public.plans", "public.subscriptions", "public.task_watchers"]);
    let overview = erd_ok(&[]);
    let (keys, _) = erd_boxes(&overview);
    assert_eq!(keys.len(), 31, "every table of saas");
    assert!(overview.contains("<g class=\"erd-cluster\">") && overview.contains(">private</text>"), "clustered by schema");
    assert!(!overview.split("</style>").nth(1).expect("drawing").contains("erd-row"), "names only");
    assert!(erd_ok(&["--detail", "all"]).matches("erd-row").count() > 200, "every column");
    let bare = erd_ok(&["--no-overlay", "--schema", "public"]);
    let bare = bare.split("</style>").nth(1).expect("a drawing after the stylesheet");
    assert!(!bare.contains("erd-badge") && !bare.contains(" pol</text>") && !bare.contains("rls-on"));
    assert!(bare.contains("class=\"erd-box rls-none\""));
    let views = erd_ok(&["--views"]);
    assert!(erd_boxes(&views).0.len() > 31, "views as boxes");
}

#[test]
fn erd_is_deterministic_and_writes_to_a_file() {
    let a = erd_ok(&["--focus", "public.tasks"]);
    assert_eq!(a, erd_ok(&["--focus", "public.tasks"]));
    let out = std::env::temp_dir().join(format!("pglens-erd-{}.svg", std::process::id()));
    let o = erd(&["--focus", "public.tasks", "-o", out.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&out).expect("written"), a);
    let _ = std::fs::remove_file(&out);
}

#[test]
fn erd_unknown_names_and_bad_usage_exit_2_and_no_path_exits_1() {
    let o = erd(&["--focus", "public.task"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("no table public.task; did you mean public.tasks"), "{}", stderr(&o));
    let o = erd(&["--schema", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no table in schema nope"), "{}", stderr(&o));
    let o = erd(&["--path", "public.tasks,public.nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("public.nope"), "{}", stderr(&o));
    for bad in [
        &["--hops", "2"][..],
        &["--focus", "public.tasks", "--hops", "4"],
        &["--focus", "public.tasks", "--schema", "public"],
        &["--detail", "rows"],
        &["--path", "public.tasks"],
        &["--views=yes"],
    ] {
        let o = erd(bad);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{bad:?}");
    }
    let o = erd(&["--path", "public.tasks,private.stripe_events"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("No foreign-key path joins public.tasks and private.stripe_events."));
    assert!(o.stdout.is_empty());
}

#[test]
fn help_lists_erd() {
    let o = pglens(&["--help"]);
    assert!(stdout(&o).contains("pglens erd     FILE..."));
    assert!(stdout(&o).contains("--no-overlay"));
}

fn report(args: &[&str]) -> Output {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    pglens(&all)
}

/// The report is one HTML document with every section, inert (no script, no URL but anchors).
fn assert_report(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"), "{}", &html[..html.len().min(200)]);
    assert!(html.trim_end().ends_with("</html>"));
    for id in ["summary", "findings", "access", "inventory", "assumptions", "files"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "no #{id}");
    }
    assert!(!html.to_ascii_lowercase().contains("<script"));
    assert!(html.contains("Content-Security-Policy"));
    assert!(!html.contains("href=\"http") && !html.contains("src="), "no external resource");
}

#[test]
fn report_of_saas_is_one_inert_html_file() {
    let o = report(&[&saas()]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let html = stdout(&o);
    assert_report(&html);
    assert!(!html.contains("id=\"drift\""), "no drift without --compare");
    assert!(html.contains("saas.sql") && html.contains(&format!("pglens {}", env!("CARGO_PKG_VERSION"))));
    // The file's SHA-256, as `pglens inspect` reports it.
    let v = inspect_json();
    let sha = v["snapshot"]["files"][0]["sha256"].as_str().expect("sha256");
    assert!(html.contains(sha), "the input's SHA-256");
}

#[test]
fn report_with_compare_has_the_drift_and_writes_the_same_bytes_twice() {
    let dir = std::env::temp_dir().join(format!("pglens-cli-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (first, second) = (dir.join("a.html"), dir.join("b.html"));
    for out in [&first, &second] {
        let o = report(&[&saas(), "--compare", &staging(), "-o", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "-o writes the file, not stdout");
        assert!(stderr(&o).contains("wrote"), "{}", stderr(&o));
    }
    let html = std::fs::read_to_string(&first).unwrap();
    assert_eq!(html.as_bytes(), std::fs::read(&second).unwrap().as_slice(), "byte-identical");
    assert_report(&html);
    assert!(html.contains("id=\"drift\""));
    assert!(html.contains("P0: security drift (4)"), "the fixture's 4 P0 drift entries");
    assert!(html.contains("saas_staging.sql"));
    // The same bytes on stdout.
    let o = report(&[&saas(), "--compare", &staging()]);
    assert_eq!(o.stdout, html.as_bytes());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn report_unusable_input_exits_2() {
    let o = report(&["/nonexistent/pglens/prod.sql"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read /nonexistent/pglens/prod.sql"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let o = report(&[&saas(), "--compare", "/nonexistent/pglens/staging.sql"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    let o = report(&[&saas(), "--compare"]);
    assert_eq!(o.status.code(), Some(2), "--compare without a file");
    let o = report(&[&saas(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "html only");
    let o = pglens(&["--help"]);
    assert!(stdout(&o).contains("pglens report  FILE... [--compare FILE...]"));
}
