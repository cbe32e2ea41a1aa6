//! `pglens`: the command line over pglens-core, for CI. A thin shell: read files, call the same
//! core API the app's worker calls, print, and pick an exit code.
//!
//! Exit codes: 0 loaded (even with diagnostics), 1 check findings or diff drift at the threshold
//! (erd: no path between the tables), 2 a file could not be read or bad usage.

mod access;
mod check;
mod diff;
mod erd;
mod input;
mod inspect;
mod report;

use std::process::ExitCode;

pub(crate) const USAGE: &str = "\
pglens: inspect PostgreSQL schema dumps offline

USAGE:
    pglens inspect FILE... [--format text|json]
    pglens access  FILE... [--role ROLE] [--format text|json|csv] [--config pglens.toml]
    pglens check   FILE... [--format text|json|sarif|md] [--fail-on p0|p1|p2|none] [--config pglens.toml]
    pglens diff    A B [--format text|json|md|sarif] [--fail-on p0|p1|p2|none] [--ignore KIND[,KIND...]]... [--config pglens.toml]
    pglens erd     FILE... [--focus TABLE [--hops N] | --schema S | --path FROM,TO] [--detail name|keys|all] [--group schema|components]
                   [--views] [--no-overlay] [--config pglens.toml] [-o out.svg]
    pglens report  FILE... [--compare FILE...] [--config pglens.toml] [-o report.html]

COMMANDS:
    inspect    Load one snapshot from FILE... (applied in order, like psql -f) and print what it holds.
    access     Who can do what: every role x table x command (and EXECUTE on functions), from grants,
               row level security and policies.
    check      Health checks (RLS posture, grants, SECURITY DEFINER, indexes, tenant isolation, ...)
               with P0/P1/P2 priorities; docs/checks/ lists the rules.
    diff       Drift between A (the reference, say prod) and B (say staging): what was added, removed,
               renamed or changed, with P0 (security) / P1 (integrity, performance) / P2 priorities
               and SQL that would bring B in line with A. Each side is one snapshot: several files
               joined with commas (prod.sql,pg_policies.csv). A side of pg_policies exports only
               compares policies only.
    erd        The ER diagram as a standalone SVG file (no external resources), drawn as the app's
               ER page draws it: the whole schema (default: table names, grouped by schema), a
               table's neighbourhood (--focus), one schema (--schema) or the shortest foreign-key
               path between two tables (--path), with RLS, policy counts, worst findings and
               unindexed foreign keys marked.
    report     One self-contained HTML file to attach or archive: summary, findings by priority,
               the API roles' access matrix, drift against --compare, inventory, the assumptions
               used, the input files' sizes and SHA-256. No script, no external resource; the
               same input gives the same bytes (the app's \"Download report\" writes the same file).

FILES:
    SQL dumps or scripts (plain or gzip), and pg_policies exports (CSV, JSON or psql's table
    output), told apart by content. A dump plus an export are reconciled policy by policy.

OPTIONS:
    --format   text (default), json (docs/inspect-json.md, docs/access-json.md, docs/check-json.md,
               docs/diff-json.md), csv (access), sarif or md (check, diff)
    --fail-on  check: exit 1 when findings at or above this priority remain after the baseline;
               diff: exit 1 when changes at or above it remain (default p0; none never fails)
    --ignore   diff: leave these kinds out (repeatable, comma-separated): schema, table, column,
               constraint, index, policy, rls, function, trigger, view, materialized_view, sequence,
               type, extension, privilege, comment, owner, publication
    --role     access: only this role's cells (a role the dump never names gets PUBLIC's rights)
    --focus    erd: TABLE (schema.name, or a name only one table has) and the tables within --hops
               (1..3, default 2) foreign keys of it, key columns shown
    --schema   erd: the tables of one schema, key columns shown
    --path     erd: FROM,TO: the shortest foreign-key path between two tables, key columns shown
    --detail   erd: what boxes show: name, keys or all (every column)
    --group    erd: blocks by schema (the whole-schema default) or by connected tables (components)
    --views    erd: views and materialized views as boxes, linked to what they read
    --no-overlay  erd: no health marks (RLS colours, policy counts, findings, unindexed keys)
    --compare  report: the files after it (up to the next option) are snapshot B, compared with
               FILE... (A, the reference) as `pglens diff A B` would
    -o         erd, report: write the SVG or HTML to this file (default stdout)
    --config   pglens.toml with [assumptions] (default: ./pglens.toml when present; docs/config.md)
    -h, --help Print this help

EXAMPLES:
    pglens inspect prod.sql
    pglens inspect prod.sql pg_policies.csv          # reconcile the dump's policies with the export
    pglens inspect schema.sql.gz --format json | jq .summary.tables
    pglens access prod.sql --role anon
    pglens check prod.sql --fail-on p1 --format sarif > pglens.sarif
    pglens diff prod.sql staging.sql --fail-on p0    # CI gate: no security drift
    pglens diff prod.sql staging.sql --format md > drift.md      # a PR comment
    pglens diff prod.sql staging.sql --ignore comment,owner --format sarif > drift.sarif
    pglens diff prod.sql staging.sql,staging_policies.csv
    pglens erd prod.sql -o schema.svg                 # the whole schema, by schema
    pglens erd prod.sql --focus public.orders --hops 1 -o orders.svg
    pglens erd prod.sql --path public.invoices,public.users > path.svg
    pglens report prod.sql -o report.html
    pglens report prod.sql --compare staging.sql --config pglens.toml -o report.html
    pglens access prod.sql --format json | jq '.cells[] | select(.state == \"all_rows\" and .role == \"anon\")'

EXIT CODES:
    0  the snapshot loaded (diagnostics, if any, are printed); check: no finding at the threshold;
       diff: no change at or above the threshold; report: the file was written
    1  check: findings at or above --fail-on remain after the baseline;
       diff: changes at or above --fail-on; erd: no foreign-key path joins the --path tables
    2  bad usage, a file or the config could not be read; diff, report: a side loaded nothing (no
       SQL object and no pg_policies row, e.g. a binary file); erd: an unknown table or schema";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("inspect") => inspect::run(&args[1..]),
        Some("access") => access::run(&args[1..]),
        Some("check") => check::run(&args[1..]),
        Some("diff") => diff::run(&args[1..]),
        Some("erd") => erd::run(&args[1..]),
        Some("report") => report::run(&args[1..]),
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
