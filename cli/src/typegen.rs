//! `pglens typegen`: the TypeScript types `supabase gen types typescript` would write for the
//! snapshot, generated offline by the core (docs/typegen.md).

use crate::input::{emit, Args};
use pglens_core::typegen::{self, Options};
use std::process::ExitCode;

pub fn run(args: &[String]) -> ExitCode {
    let args = match Args::parse("typegen", args, &["ts"], &["--schema", "--default-schema", "--postgrest-version", "-o", "--output"]) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let loaded = match args.load() {
        Ok(l) => l,
        Err(code) => return code,
    };
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
