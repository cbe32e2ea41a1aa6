//! `pglens typegen`: its output type-checks with `tsc --noEmit --strict` (TypeScript from npm,
//! installed by scripts/setup.sh) for our fixtures and the real Supabase dumps of the corpus,
//! together with a usage file that exercises Row, Insert, Update and the helper types; and the
//! command's options behave as docs/cli.md says.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn pglens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pglens")).args(args).output().expect("run pglens")
}

fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/typegen-tsc").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// `tsc` from scripts/setup.sh's tools (on PATH in scripts/test.sh), or the one in the tools
/// directory.
fn tsc() -> PathBuf {
    let tools = std::env::var_os("PGLENS_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/pglens-tools"));
    let local = tools.join("node_modules/.bin/tsc");
    if local.is_file() {
        return local;
    }
    let found = Command::new("sh").args(["-c", "command -v tsc"]).output().ok().filter(|o| o.status.success());
    match found {
        Some(o) => PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()),
        None => panic!("tsc is missing: run scripts/setup.sh (it installs TypeScript from npm into {})", tools.display()),
    }
}

/// Writes the types and `usage` beside them and type-checks both in strict mode.
fn type_check(name: &str, types: &[u8], usage: &str) {
    let dir = scratch(name);
    std::fs::write(dir.join("database.types.ts"), types).unwrap();
    std::fs::write(dir.join("usage.ts"), usage).unwrap();
    let o = Command::new(tsc())
        .args([
            "--noEmit",
            "--strict",
            "--target",
            "es2020",
            "--module",
            "esnext",
            "--moduleResolution",
            "bundler",
            "database.types.ts",
            "usage.ts",
        ])
        .current_dir(&dir)
        .output()
        .expect("run tsc");
    assert!(
        o.status.success(),
        "{name}: tsc --strict failed:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A usage file for any snapshot: every table's Row, Insert and Update through the helpers.
const GENERIC_USAGE: &str = r#"import type { Database, Enums, Json, Tables, TablesInsert, TablesUpdate } from "./database.types"
import { Constants } from "./database.types"
type Pub = Database["public"]
type Name = keyof Pub["Tables"]
type Rows = { [K in Name]: Tables<K> }
type Inserts = { [K in Name]: TablesInsert<K> }
type Updates = { [K in Name]: TablesUpdate<K> }
type EnumValues = { [K in keyof Pub["Enums"]]: Enums<K> }
const doc: Json = { a: [1, "b", null] }
const nothing: { [K in Name]: TablesUpdate<K> } = {} as Updates
export type All = [Rows, Inserts, Updates, EnumValues]
export const used = [doc, nothing, Constants]
"#;

#[test]
fn the_fixture_types_check_with_the_usage_file() {
    let dump = root().join("fixtures/dumps/typegen.sql");
    let o = pglens(&["typegen", dump.to_str().unwrap(), "--schema", "public", "--schema", "billing"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let usage = std::fs::read_to_string(root().join("fixtures/typegen/usage.ts")).unwrap();
    type_check("typegen", &o.stdout, &usage);

    // The usage file's expectations bite: a Row that allowed null in a NOT NULL column would
    // leave its `@ts-expect-error` unused, and tsc fails.
    let loose = String::from_utf8(o.stdout).unwrap().replacen("          title: string\n", "          title: string | null\n", 1);
    let dir = scratch("typegen-loose");
    std::fs::write(dir.join("database.types.ts"), loose).unwrap();
    std::fs::write(dir.join("usage.ts"), &usage).unwrap();
    let o = Command::new(tsc())
        .args(["--noEmit", "--strict", "--moduleResolution", "bundler", "--module", "esnext", "database.types.ts", "usage.ts"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!o.status.success(), "a wrong type was accepted");
    assert!(String::from_utf8_lossy(&o.stdout).contains("Unused '@ts-expect-error' directive"));
}

#[test]
fn fixtures_and_real_supabase_dumps_type_check() {
    let mut inputs: Vec<(String, PathBuf, Vec<&str>)> = vec![
        ("saas".into(), root().join("fixtures/dumps/saas.sql"), vec!["public", "private"]),
        ("kitchen_sink".into(), root().join("fixtures/dumps/kitchen_sink.sql"), vec!["public", "inventory", "audit"]),
        ("hostile".into(), root().join("fixtures/dumps/hostile.sql"), vec!["public", "<script>alert('schema')</script>", "ünïcödé_σχήμα"]),
        ("partitions".into(), root().join("fixtures/dumps/partitions.sql"), vec!["public"]),
    ];
    let corpus = root().join("../shared/corpus/supabase");
    for rel in [
        "devhunt/dump_2023-10-02.sql",
        "devhunt/dump_2026-03-11_handedited.sql",
        "bookclub/20221116231328_remote_commit.sql",
        "madewithsupabase/dump.sql",
        "otu/dump_2026-01-30.sql",
        "otu/dump_2026-01-31.sql",
    ] {
        let p = corpus.join(rel);
        assert!(p.is_file(), "{} is missing (../shared/corpus beside the clone)", p.display());
        inputs.push((rel.replace('/', "_"), p, vec!["public"]));
    }
    for (name, path, schemas) in inputs {
        let mut args = vec!["typegen".to_string(), path.to_string_lossy().into_owned()];
        for s in schemas {
            args.extend(["--schema".to_string(), s.to_string()]);
        }
        let o = Command::new(env!("CARGO_BIN_EXE_pglens")).args(&args).output().unwrap();
        assert!(o.status.success(), "{name}: {}", String::from_utf8_lossy(&o.stderr));
        assert!(String::from_utf8_lossy(&o.stdout).contains("export type Database = {"));
        type_check(&name, &o.stdout, GENERIC_USAGE);
    }
}

#[test]
fn options_write_files_and_choose_schemas() {
    let dump = root().join("fixtures/dumps/typegen.sql");
    let dump = dump.to_str().unwrap();
    let dir = scratch("options");
    let file = dir.join("out.ts");
    let o = pglens(&["typegen", dump, "--schema=public,billing", "-o", file.to_str().unwrap()]);
    assert!(o.status.success() && o.stdout.is_empty());
    let expected = std::fs::read_to_string(root().join("fixtures/typegen/typegen.expected.ts")).unwrap();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), expected, "-o writes what stdout would, commas split --schema");
    let public_only = String::from_utf8(pglens(&["typegen", dump]).stdout).unwrap();
    assert!(public_only.contains("  public: {") && !public_only.contains("  billing: {"), "public by default");
    let versioned = String::from_utf8(pglens(&["typegen", dump, "--postgrest-version", "13"]).stdout).unwrap();
    assert!(versioned.contains("  __InternalSupabase: {\n    PostgrestVersion: \"13\"\n  }\n  public: {"));
    let missing = pglens(&["typegen", dump, "--schema", "nope"]);
    assert!(missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("the snapshot has no schema nope"));
    let help = pglens(&["typegen", "--help"]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("pglens typegen FILE..."));
}

#[test]
fn check_reports_exactly_the_seeded_drift() {
    let dump = root().join("fixtures/dumps/typegen.sql");
    let app = root().join("fixtures/typegen/app.types.ts");
    let o = pglens(&["typegen", dump.to_str().unwrap(), "--check", app.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "P0 drift fails at the default threshold");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let got: Vec<(String, String, String)> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["priority"].as_str().unwrap().to_string(),
                c["kind"].as_str().unwrap().to_string(),
                c["object"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String, String)> = [
        ("P0", "column_type", "billing.invoices.id"),
        ("P0", "relation_missing", "public.archived_posts"),
        ("P0", "enum_value_missing", "public.mood.ecstatic"),
        ("P0", "column_missing", "public.profiles.legacy_code"),
        ("P1", "column_nullable", "public.profiles.bio"),
    ]
    .iter()
    .map(|(p, k, o)| (p.to_string(), k.to_string(), o.to_string()))
    .collect();
    assert_eq!(got, want);
    // Each points at both sides: the line in the .ts file, the statement in the dump.
    let id = &v["changes"][0];
    assert_eq!(id["types_line"], 20);
    assert!(id["dump"].as_str().unwrap().ends_with("typegen.sql:333"), "{id}");
    assert_eq!(v["counts"], serde_json::json!({"P0": 4, "P1": 1, "P2": 0}));

    assert_eq!(pglens(&["typegen", dump.to_str().unwrap(), "--check", app.to_str().unwrap(), "--fail-on", "none"]).status.code(), Some(0));
    let md = pglens(&["typegen", dump.to_str().unwrap(), "--check", app.to_str().unwrap(), "--format", "md"]);
    assert!(String::from_utf8_lossy(&md.stdout).starts_with("## pglens typegen --check: 4 P0 · 1 P1 · 0 P2"));

    // The generated file itself: no drift.
    let same = root().join("fixtures/typegen/typegen.expected.ts");
    let o = pglens(&["typegen", dump.to_str().unwrap(), "--check", same.to_str().unwrap(), "--fail-on", "p2"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));

    // A file that is not TypeScript: exit 2 with file:line:column.
    let dir = scratch("broken");
    let broken = dir.join("broken.ts");
    std::fs::write(&broken, "export type Database = {\n  public: {\n    Tables: {{\n").unwrap();
    let o = pglens(&["typegen", dump.to_str().unwrap(), "--check", broken.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("broken.ts:3:"), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn generated_types_check_clean_against_their_own_dump() {
    for name in ["saas", "kitchen_sink", "hostile"] {
        let dump = root().join(format!("fixtures/dumps/{name}.sql"));
        let dir = scratch(&format!("self-{name}"));
        let file = dir.join("types.ts");
        assert!(pglens(&["typegen", dump.to_str().unwrap(), "-o", file.to_str().unwrap()]).status.success());
        let o = pglens(&["typegen", dump.to_str().unwrap(), "--check", file.to_str().unwrap(), "--fail-on", "p2"]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&o.stdout));
    }
}
