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
