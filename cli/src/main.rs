//! `pglens`: the command line over pglens-core, for CI. A thin shell: read files, call the same
//! core API the app's worker calls, print, and pick an exit code.
//!
//! Exit codes: 0 loaded (even with diagnostics), 2 a file could not be read or bad usage.

mod inspect;

use std::process::ExitCode;

pub(crate) const USAGE: &str = "\
pglens: inspect PostgreSQL schema dumps offline

USAGE:
    pglens inspect FILE... [--format text|json]

COMMANDS:
    inspect    Load one snapshot from FILE... (applied in order, like psql -f) and print what it holds.

OPTIONS:
    --format   text (default) or json (see docs/inspect-json.md)
    -h, --help Print this help

EXAMPLES:
    pglens inspect prod.sql
    pglens inspect schema.sql.gz --format json | jq .summary.tables

EXIT CODES:
    0  the snapshot loaded (diagnostics, if any, are printed)
    2  bad usage, or a file could not be read
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("inspect") => inspect::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("--version" | "-V") => {
            println!("pglens {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
