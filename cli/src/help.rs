//! `--help`: one table of commands, options and examples, printed whole (`pglens --help`) or for
//! one command (`pglens check --help`), so the two never disagree.

/// A command: how it is called, what it does, which options and examples are its own.
struct Command {
    name: &'static str,
    title: &'static str,
    synopsis: &'static str,
    about: &'static str,
    exit: &'static str,
}

const COMMANDS: &[Command] = &[
    Command {
        name: "inspect",
        title: "what a snapshot holds",
        synopsis: "pglens inspect FILE... [--format text|json]",
        about: "Load one snapshot from FILE... (applied in order, like psql -f) and print what it holds:\n\
                files, counts, statements not modelled, and every diagnostic as file:line:column.",
        exit: "0 the snapshot loaded (diagnostics, if any, are printed); 2 bad usage or a file could not be read",
    },
    Command {
        name: "access",
        title: "who can do what, per role, table and command",
        synopsis: "pglens access  FILE... [--role ROLE] [--format text|json|csv|md] [--config pglens.toml]",
        about: "Who can do what: every role x table x command (and EXECUTE on functions), from grants,\n\
                row level security and policies, under the stated assumptions (roles, BYPASSRLS, API roles).",
        exit: "0 the matrix was printed; 2 bad usage, a file or the config could not be read",
    },
    Command {
        name: "check",
        title: "health checks with P0/P1/P2 priorities, a CI gate",
        synopsis: "pglens check   FILE... [--format text|json|sarif|md] [--fail-on p0|p1|p2|none] [--config pglens.toml]",
        about: "Health checks (RLS posture, grants to API roles, SECURITY DEFINER, indexes, tenant isolation,\n\
                conventions) with P0/P1/P2 priorities, the object, why, a fix and the assumptions each rests on.\n\
                docs/checks/ lists the rules; pglens.toml's [checks] disables rules or accepts a baseline.",
        exit: "0 no finding at or above --fail-on (default p0) outside the baseline; 1 there is one;\n\
               2 bad usage, a file or the config could not be read",
    },
    Command {
        name: "diff",
        title: "drift between two snapshots, a CI gate",
        synopsis: "pglens diff    A B [--format text|json|md|sarif] [--fail-on p0|p1|p2|none] [--ignore KIND[,KIND...]]...\n\
                   \x20              [--config pglens.toml]",
        about: "Drift between A (the reference, say prod) and B (say staging): what was added, removed, renamed\n\
                or changed, with P0 (security) / P1 (integrity, performance) / P2 priorities and SQL that would\n\
                bring B in line with A. Each side is one snapshot: several files joined with commas\n\
                (prod.sql,pg_policies.csv). A side of pg_policies exports only compares policies only.",
        exit: "0 no change at or above --fail-on (default p0); 1 there is one (whatever the format);\n\
               2 bad usage, a file could not be read, or a side loaded nothing",
    },
    Command {
        name: "erd",
        title: "the ER diagram as a standalone SVG",
        synopsis: "pglens erd     FILE... [--focus TABLE [--hops N] | --schema S | --path FROM,TO] [--detail name|keys|all]\n\
                   \x20              [--group schema|components] [--views] [--no-overlay] [--config pglens.toml] [-o out.svg]",
        about: "The ER diagram as a standalone SVG file (no external resources), drawn as the app's ER page\n\
                draws it: the whole schema (table names, grouped by schema), a table's neighbourhood (--focus),\n\
                one schema (--schema) or the shortest foreign-key path between two tables (--path), with RLS,\n\
                policy counts, worst findings and unindexed foreign keys marked.",
        exit: "0 the SVG was written; 1 no foreign-key path joins the --path tables;\n\
               2 bad usage, a file could not be read, an unknown table or schema",
    },
    Command {
        name: "report",
        title: "one self-contained HTML report",
        synopsis: "pglens report  FILE... [--compare FILE...] [--config pglens.toml] [-o report.html]",
        about: "One self-contained HTML file to attach or archive: summary, findings by priority, the API\n\
                roles' access matrix, drift against --compare, inventory, the assumptions used, the input\n\
                files' sizes and SHA-256. No script, no external resource; the same input gives the same\n\
                bytes, and the app's Report button writes the same file.",
        exit: "0 the report was written; 2 bad usage, a file could not be read, or a side loaded nothing",
    },
    Command {
        name: "typegen",
        title: "TypeScript types, as supabase gen types typescript writes them",
        synopsis: "pglens typegen FILE... [--schema S]... [--default-schema S] [--postgrest-version V] [-o database.types.ts]\n\
                   \x20              | --check types.ts [--fail-on p0|p1|p2|none] [--format text|json|md]",
        about: "The `database.types.ts` that `supabase gen types typescript` would write for the snapshot, from\n\
                the dump alone: Tables (Row, Insert, Update, Relationships), Views, Functions, Enums,\n\
                CompositeTypes, the helper types and Constants, sorted and formatted like the generator's\n\
                output, so a diff against the committed file is clean (docs/typegen.md). With --check, where an\n\
                app's existing types file disagrees with the snapshot, P0 first.",
        exit: "0 the types were written; --check: no change at or above --fail-on (default p0);\n\
               1 --check: a change at or above --fail-on; 2 bad usage, a file could not be read or parsed",
    },
];

/// Options: the name as shown, the commands that take it (empty: all), and what it does.
const OPTIONS: &[(&str, &[&str], &str)] = &[
    (
        "--format F",
        &["inspect", "access", "check", "diff", "typegen"],
        "text (default, for people), json (docs/<command>-json.md, a stable interface), md (Markdown\n\
         for a pull-request comment), sarif (code scanning), csv (access: one row per cell)",
    ),
    (
        "--fail-on P",
        &["check", "diff", "typegen"],
        "exit 1 when findings (check) or changes (diff) at or above P remain: p0 (default), p1, p2;\n\
         none never fails",
    ),
    (
        "--ignore KIND",
        &["diff"],
        "leave these kinds out (repeatable, comma-separated): schema, table, column, constraint, index,\n\
         policy, rls, function, trigger, view, materialized_view, sequence, type, extension, privilege,\n\
         comment, owner, publication",
    ),
    ("--role ROLE", &["access"], "only this role's cells (a role the dump never names gets PUBLIC's rights)"),
    (
        "--focus TABLE",
        &["erd"],
        "TABLE (schema.name, or a name only one table has) and the tables within --hops (1..3, default 2)\n\
         foreign keys of it, key columns shown",
    ),
    (
        "--schema S",
        &["erd", "typegen"],
        "erd: the tables of one schema, key columns shown;\n\
         typegen: a schema to generate (repeatable, comma-separated; default public)",
    ),
    ("--path FROM,TO", &["erd"], "the shortest foreign-key path between two tables, key columns shown"),
    ("--detail D", &["erd"], "what boxes show: name, keys or all (every column)"),
    ("--group G", &["erd"], "blocks by schema (the whole-schema default) or by connected tables (components)"),
    ("--views", &["erd"], "views and materialized views as boxes, linked to what they read"),
    ("--no-overlay", &["erd"], "no health marks (RLS colours, policy counts, findings, unindexed keys)"),
    (
        "--compare FILE...",
        &["report"],
        "the files after it (up to the next option) are snapshot B, compared with FILE... (A, the\n\
         reference) as `pglens diff A B` would",
    ),
    ("--default-schema S", &["typegen"], "the schema the helper types default to (default public)"),
    ("--postgrest-version V", &["typegen"], "add __InternalSupabase { PostgrestVersion: V }, as the newest CLI does"),
    (
        "--check FILE",
        &["typegen"],
        "compare an app's database.types.ts with the snapshot (its schemas): missing tables, columns,\n\
         functions, enum values; type, nullability and relationship changes, with priorities",
    ),
    ("-o FILE", &["erd", "report", "typegen"], "write the SVG, HTML or TypeScript to FILE (default: stdout)"),
    (
        "--config FILE",
        &["access", "check", "diff", "erd", "report"],
        "pglens.toml: [assumptions] and [checks] (default: ./pglens.toml when present; docs/config.md)",
    ),
    (
        "--color WHEN",
        &["check", "diff"],
        "colour the text format: auto (default: only on a terminal, and not when NO_COLOR is set),\n\
         always, never",
    ),
    ("-h, --help", &[], "print this help"),
];

const EXAMPLES: &[(&str, &str)] = &[
    ("inspect", "pglens inspect prod.sql"),
    ("inspect", "pglens inspect prod.sql pg_policies.csv          # reconcile the dump's policies with the export"),
    ("inspect", "pglens inspect schema.sql.gz --format json | jq .summary.tables"),
    ("inspect", "pg_dump --schema-only mydb | pglens inspect -"),
    ("access", "pglens access prod.sql --role anon"),
    ("access", "pglens access prod.sql --format md > access.md     # the API roles' matrix for a PR comment"),
    ("access", "pglens access prod.sql --format json | jq '.cells[] | select(.state == \"all_rows\" and .role == \"anon\")'"),
    ("check", "pglens check prod.sql                              # exit 1 on a P0 finding"),
    ("check", "pglens check prod.sql --fail-on p1 --format sarif > pglens.sarif"),
    ("check", "pglens check prod.sql --format md --fail-on none > findings.md"),
    ("diff", "pglens diff prod.sql staging.sql --fail-on p0    # CI gate: no security drift"),
    ("diff", "pglens diff prod.sql staging.sql --format md > drift.md      # a PR comment"),
    ("diff", "pglens diff prod.sql staging.sql --ignore comment,owner --format sarif > drift.sarif"),
    ("diff", "pglens diff prod.sql staging.sql,staging_policies.csv"),
    ("erd", "pglens erd prod.sql -o schema.svg                 # the whole schema, by schema"),
    ("erd", "pglens erd prod.sql --focus public.orders --hops 1 -o orders.svg"),
    ("erd", "pglens erd prod.sql --path public.invoices,public.users > path.svg"),
    ("report", "pglens report prod.sql -o report.html"),
    ("typegen", "pglens typegen prod.sql > database.types.ts"),
    ("typegen", "pglens typegen prod.sql --schema public --schema storage -o src/database.types.ts"),
    ("typegen", "pglens typegen prod.sql --check src/database.types.ts   # CI: exit 1 when the app's types lie"),
    ("report", "pglens report prod.sql --compare staging.sql --config pglens.toml -o report.html"),
];

const FILES: &str = "\
FILES:
    SQL dumps or scripts (plain or gzip; `-` is stdin), and pg_policies exports (CSV, JSON or psql's
    table output), told apart by content. A dump plus an export are reconciled policy by policy.
";

fn indent(text: &str, by: &str) -> String {
    text.lines().map(|l| format!("{by}{l}\n")).collect()
}

fn options(out: &mut String, command: Option<&str>) {
    out.push_str("\nOPTIONS:\n");
    for (name, commands, text) in OPTIONS {
        if let Some(c) = command {
            if !commands.is_empty() && !commands.contains(&c) {
                continue;
            }
        }
        let mut lines = text.lines();
        out.push_str(&format!("    {name:<18} {}\n", lines.next().unwrap_or("")));
        for l in lines {
            out.push_str(&format!("    {:<18} {l}\n", ""));
        }
    }
}

fn examples(out: &mut String, command: Option<&str>) {
    out.push_str("\nEXAMPLES:\n");
    for (c, e) in EXAMPLES {
        if command.is_none_or(|name| name == *c) {
            out.push_str(&format!("    {e}\n"));
        }
    }
}

/// `pglens --help`.
pub fn general() -> String {
    let mut out = String::from("pglens: inspect PostgreSQL schema dumps offline\n\nUSAGE:\n");
    for c in COMMANDS {
        out.push_str(&indent(c.synopsis, "    "));
    }
    out.push_str("    pglens COMMAND --help              one command's options and examples\n");
    out.push_str("\nCOMMANDS:\n");
    for c in COMMANDS {
        let mut lines = c.about.lines();
        out.push_str(&format!("    {:<10} {}\n", c.name, lines.next().unwrap_or("")));
        for l in lines {
            out.push_str(&format!("    {:<10} {l}\n", ""));
        }
    }
    out.push('\n');
    out.push_str(FILES);
    options(&mut out, None);
    examples(&mut out, None);
    out.push_str("\nEXIT CODES:\n");
    out.push_str(
        "    0  success; check, diff: nothing at or above --fail-on\n\
         \x20   1  check: findings at or above --fail-on; diff: changes at or above --fail-on;\n\
         \x20      erd: no foreign-key path joins the --path tables\n\
         \x20   2  bad usage, or a file or the config could not be read (docs/cli.md lists each case)\n",
    );
    out
}

/// `pglens COMMAND --help`; `None` for an unknown command.
pub fn command(name: &str) -> Option<String> {
    let c = COMMANDS.iter().find(|c| c.name == name)?;
    let mut out = format!("pglens {}: {}\n\nUSAGE:\n", c.name, c.title);
    out.push_str(&indent(c.synopsis, "    "));
    out.push('\n');
    out.push_str(&indent(c.about, ""));
    out.push('\n');
    out.push_str(FILES);
    options(&mut out, Some(c.name));
    examples(&mut out, Some(c.name));
    out.push_str("\nEXIT CODES:\n");
    out.push_str(&indent(c.exit, "    "));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_help_with_its_options_and_examples() {
        for c in COMMANDS {
            let h = command(c.name).expect("help");
            assert!(h.contains("EXAMPLES:\n    pglens"), "{}: no example", c.name);
            assert!(h.contains("--help"), "{}", c.name);
            for (name, commands, _) in OPTIONS {
                let flag = name.split([' ', ',']).next().unwrap();
                let listed = h.contains(&format!("    {name}"));
                assert_eq!(listed, commands.is_empty() || commands.contains(&c.name), "{}: {flag}", c.name);
                if !commands.is_empty() && commands.contains(&c.name) && *name != "--format F" {
                    assert!(
                        c.synopsis.contains(flag) || flag == "--color" || flag == "--hops",
                        "{}: {flag} missing from the synopsis",
                        c.name
                    );
                }
            }
        }
        assert!(general().lines().all(|l| l.len() <= 120), "lines fit a terminal");
        assert!(command("nope").is_none());
    }
}
