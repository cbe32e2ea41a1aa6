//! `pglens check`: the health checks, with an exit code for CI (docs/check-json.md).

use crate::input::{finish, Args};
use crate::paint::Paint;
use pglens_core::checks::{self, Priority};
use pglens_core::report::{self, Counts};
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: &[String]) -> ExitCode {
    let args = match Args::parse("check", args, &["text", "json", "sarif", "md"], &["--fail-on", "--color"]) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let threshold = match args.option("--fail-on").unwrap_or("p0") {
        "none" => None,
        s => match Priority::parse(s) {
            Some(p) => Some(p),
            None => {
                eprintln!("pglens check: --fail-on takes p0, p1, p2 or none, got {s}");
                return ExitCode::from(2);
            }
        },
    };
    let paint = match args.paint() {
        Ok(p) => p,
        Err(code) => return code,
    };
    let (config, loaded) = match args.config_and_load() {
        Ok(x) => x,
        Err(code) => return code,
    };
    let assumptions = config.assumptions_for(&loaded.snapshot);
    let findings = checks::run(&loaded.snapshot, &assumptions, &config.checks);
    let counts = Counts::of(&findings);
    let out = std::io::stdout();
    let mut out = out.lock();
    let written = match args.format.as_str() {
        "json" => {
            let rules: Vec<serde_json::Value> = checks::rules::ALL
                .iter()
                .filter(|r| !config.checks.disable.iter().any(|d| d == r.id))
                .map(|r| serde_json::json!({"id": r.id, "category": r.category, "priority": r.priority, "title": r.docs().title}))
                .collect();
            let doc = serde_json::json!({
                "summary": counts,
                "findings": findings,
                "assumptions": assumptions,
                "rules": rules,
                "load": { "statements": loaded.summary.statements, "parse_errors": loaded.summary.parse_errors, "tables": loaded.summary.tables },
            });
            serde_json::to_writer(&mut out, &doc).map_err(std::io::Error::other).and_then(|_| writeln!(out))
        }
        "sarif" => {
            let doc = report::sarif::report(&findings, env!("CARGO_PKG_VERSION"));
            serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::other).and_then(|_| writeln!(out))
        }
        "md" => write!(out, "{}", report::markdown::report(&findings, &args.paths, "pglens check")),
        _ => write_text(&mut out, &findings, &counts, loaded.summary.parse_errors, paint),
    };
    let code = finish("check", written);
    if code != ExitCode::SUCCESS {
        return code;
    }
    match threshold {
        Some(t) if counts.at_or_above(t) > 0 => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

fn write_text(out: &mut impl Write, findings: &[checks::Finding], c: &Counts, parse_errors: u64, paint: Paint) -> std::io::Result<()> {
    for f in findings.iter().filter(|f| !f.baselined) {
        let at = f.location.as_ref().map(|l| format!("{}:{}:{}: ", l.file, l.line, l.column)).unwrap_or_default();
        writeln!(out, "{at}{} [{}] {}: {}", paint.priority(f.priority), f.rule, f.object, f.message)?;
        if let Some(fix) = &f.fix {
            writeln!(out, "    fix: {fix}")?;
        }
        if !f.assumptions.is_empty() {
            writeln!(out, "    {}", paint.dim(&format!("assumes: {}", f.assumptions.join("; "))))?;
        }
    }
    writeln!(
        out,
        "\n{} P0, {} P1, {} P2{}",
        c.p0,
        c.p1,
        c.p2,
        if c.baselined > 0 { format!(", {} baselined", c.baselined) } else { String::new() }
    )?;
    if parse_errors > 0 {
        writeln!(out, "{parse_errors} statements failed to parse (see `pglens inspect`): checks cover what loaded")?;
    }
    Ok(())
}
