//! `pglens`: the command line over pglens-core, for CI. A thin shell: read files, call the same
//! core API the app's worker calls, print, and pick an exit code.
//!
//! Exit codes: 0 loaded (even with diagnostics), 2 a file could not be read or bad usage.

mod access;
mod check;
mod input;
mod inspect;

use std::process::ExitCode;

pub(crate) const USAGE: &str = "\
pglens: inspect PostgreSQL schema dumps offline

USAGE:
    pglens inspect FILE... [--format text|json]
    pglens access  FILE... [--role ROLE] [--format text|json|csv] [--config pglens.toml]
    pglens check   FILE... [--format text|json|sarif|md] [--fail-on p0|p1|p2|none] [--config pglens.toml]

COMMANDS:
    inspect    Load one snapshot from FILE... (applied in order, like psql -f) and print what it holds.
    access     Who can do what: every role x table x command (and EXECUTE on functions), from grants,
               row level security and policies.
    check      Health checks (RLS posture, grants, SECURITY DEFINER, indexes, tenant isolation, ...)
               with P0/P1/P2 priorities; docs/checks/ lists the rules.

FILES:
    SQL dumps or scripts (plain or gzip), and pg_policies exports (CSV, JSON or psql's table
    output), told apart by content. A dump plus an export are reconciled policy by policy.

OPTIONS:
    --format   text (default), json (docs/inspect-json.md, docs/access-json.md, docs/check-json.md),
               csv (access), sarif or md (check)
    --fail-on  check: exit 1 when findings at or above this priority remain after the baseline
               (default p0; none never fails)
    --role     access: only this role's cells (a role the dump never names gets PUBLIC's rights)
    --config   pglens.toml with [assumptions] (default: ./pglens.toml when present; docs/config.md)
    -h, --help Print this help

EXAMPLES:
    pglens inspect prod.sql
    pglens inspect prod.sql pg_policies.csv          # reconcile the dump's policies with the export
    pglens inspect schema.sql.gz --format json | jq .summary.tables
    pglens access prod.sql --role anon
    pglens check prod.sql --fail-on p1 --format sarif > pglens.sarif
    pglens access prod.sql --format json | jq '.cells[] | select(.state == \"all_rows\" and .role == \"anon\")'

EXIT CODES:
    0  the snapshot loaded (diagnostics, if any, are printed); check: no finding at the threshold
    1  check: findings at or above --fail-on remain after the baseline
    2  bad usage, a file or the config could not be read";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("inspect") => inspect::run(&args[1..]),
        Some("access") => access::run(&args[1..]),
        Some("check") => check::run(&args[1..]),
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
