//! `pglens typegen`: the TypeScript types `supabase gen types typescript` would write for the
//! snapshot, generated offline by the core (docs/typegen.md).

use crate::input::{emit, finish, usage_error, Args};
use pglens_core::checks::Priority;
use pglens_core::report::markdown::escape;
use pglens_core::typegen::check::TypeDrift;
use pglens_core::typegen::{self, Options};
use pglens_core::Loaded;
use std::process::ExitCode;

pub fn run(args: &[String]) -> ExitCode {
    let args = match Args::parse(
        "typegen",
        args,
        &["ts", "text", "json", "md"],
        &["--schema", "--default-schema", "--postgrest-version", "-o", "--output", "--check", "--fail-on"],
    ) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let loaded = match args.load() {
        Ok(l) => l,
        Err(code) => return code,
    };
    if let Some(types) = args.option("--check") {
        return check(&args, &loaded, types);
    }
    let mut schemas: Vec<String> = args
        .option_values("--schema")
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if schemas.is_empty() {
        schemas.push("public".into());
    }
    for s in &schemas {
        if !loaded.snapshot.schemas.contains_key(s) && s != "public" {
            eprintln!("pglens typegen: the snapshot has no schema {s}: its sections are empty");
        }
    }
    if loaded.summary.parse_errors > 0 {
        eprintln!(
            "pglens typegen: {} statements failed to parse (see `pglens inspect`): the types cover what loaded",
            loaded.summary.parse_errors
        );
    }
    let options = Options {
        default_schema: args.option("--default-schema").unwrap_or("public").to_string(),
        schemas,
        postgrest_version: args.option("--postgrest-version").map(String::from),
    };
    emit(&args, &typegen::generate(&loaded.snapshot, &options))
}

/// `--check types.ts`: the type drift between the app's file and the snapshot, with `diff`'s
/// exit-code contract.
fn check(args: &Args, loaded: &Loaded, path: &str) -> ExitCode {
    let threshold = match args.option("--fail-on").unwrap_or("p0") {
        "none" => None,
        s => match Priority::parse(s) {
            Some(p) => Some(p),
            None => return usage_error("typegen", &format!("--fail-on takes p0, p1, p2 or none, got {s}")),
        },
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return usage_error("typegen", &format!("cannot read {path}: {e}")),
    };
    let drift = match typegen::check::check(&loaded.snapshot, &text) {
        Ok(d) => d,
        Err(e) => return usage_error("typegen", &format!("{path}:{}:{}: {}", e.line, e.column, e.message)),
    };
    let where_in_dump = |c: &typegen::check::TypeChange| {
        c.dump.map(|s| format!("{}:{}", loaded.snapshot.files.get(s.file as usize).map_or("?", |f| f.name.as_str()), s.line))
    };
    let out = match args.format.as_str() {
        "json" => {
            let doc = serde_json::json!({
                "types": path,
                "schemas": drift.schemas,
                "counts": { "P0": drift.count(Priority::P0), "P1": drift.count(Priority::P1), "P2": drift.count(Priority::P2) },
                "changes": drift.changes.iter().map(|c| serde_json::json!({
                    "id": c.id, "priority": c.priority, "kind": c.kind, "object": c.object, "message": c.message,
                    "types_line": c.ts_line, "dump": where_in_dump(c),
                })).collect::<Vec<_>>(),
            });
            format!("{doc}\n")
        }
        "md" => markdown(&drift, path, &where_in_dump),
        _ => {
            let mut s = String::new();
            for c in &drift.changes {
                let mut at = Vec::new();
                if let Some(l) = c.ts_line {
                    at.push(format!("{path}:{l}"));
                }
                at.extend(where_in_dump(c));
                s.push_str(&format!("{} {} {}: {}", c.priority.as_str(), c.kind, c.object, c.message));
                if !at.is_empty() {
                    s.push_str(&format!("  ({})", at.join(", ")));
                }
                s.push('\n');
            }
            s.push_str(&format!(
                "{}{} P0, {} P1, {} P2 between {path} and the snapshot (schemas {})\n",
                if drift.changes.is_empty() { "" } else { "\n" },
                drift.count(Priority::P0),
                drift.count(Priority::P1),
                drift.count(Priority::P2),
                drift.schemas.join(", ")
            ));
            s
        }
    };
    let code = finish("typegen", std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes()));
    if code != ExitCode::SUCCESS {
        return code;
    }
    match threshold {
        Some(t) if drift.at_or_above(t) > 0 => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

fn markdown(d: &TypeDrift, path: &str, dump: &dyn Fn(&typegen::check::TypeChange) -> Option<String>) -> String {
    let mut s = format!(
        "## pglens typegen --check: {} P0 · {} P1 · {} P2\n\n{} against the snapshot.\n\n",
        d.count(Priority::P0),
        d.count(Priority::P1),
        d.count(Priority::P2),
        escape(path)
    );
    if d.changes.is_empty() {
        s.push_str("The types match the snapshot.\n");
        return s;
    }
    s.push_str("| priority | object | what | types | dump |\n|---|---|---|---|---|\n");
    for c in &d.changes {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            c.priority.as_str(),
            escape(&c.object),
            escape(&c.message),
            c.ts_line.map(|l| format!("line {l}")).unwrap_or_default(),
            dump(c).map(|d| escape(&d)).unwrap_or_default()
        ));
    }
    s
}
