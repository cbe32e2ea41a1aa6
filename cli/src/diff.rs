//! `pglens diff`: drift between two snapshots, A the reference (prod) and B the one that drifted
//! (staging), with an exit code for CI (docs/diff-json.md).

use crate::input::{finish, load_paths, usage_error, Args};
use crate::paint::Paint;
use pglens_core::checks::Priority;
use pglens_core::diff::{self, Drift, Kind, Options, Scope};
use pglens_core::report;
use pglens_core::{Loaded, Severity};
use std::io::Write;
use std::process::ExitCode;

/// Diagnostics printed per side on stderr; the rest are counted (`pglens inspect` lists them all).
const MAX_DIAGNOSTICS: usize = 20;

pub fn run(args: &[String]) -> ExitCode {
    let args = match Args::parse("diff", args, &["text", "json", "md", "sarif"], &["--fail-on", "--ignore", "--color"]) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if args.paths.len() != 2 {
        return usage_error("diff", &format!("give two sides, A (the reference) and B, got {} (see pglens --help)", args.paths.len()));
    }
    let threshold = match args.option("--fail-on").unwrap_or("p0") {
        "none" => None,
        s => match Priority::parse(s) {
            Some(p) => Some(p),
            None => return usage_error("diff", &format!("--fail-on takes p0, p1, p2 or none, got {s}")),
        },
    };
    let mut ignore: Vec<Kind> = Vec::new();
    for name in args.option_values("--ignore").iter().flat_map(|v| v.split(',')).map(str::trim).filter(|s| !s.is_empty()) {
        match Kind::parse(name) {
            Some(k) if !ignore.contains(&k) => ignore.push(k),
            Some(_) => {}
            None => {
                let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                return usage_error("diff", &format!("--ignore takes kinds among {}, got {name}", kinds.join(", ")));
            }
        }
    }
    let paint = match args.paint() {
        Ok(p) => p,
        Err(code) => return code,
    };
    let config = match args.config() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let (a_paths, b_paths) = (side_paths(&args.paths[0]), side_paths(&args.paths[1]));
    if a_paths.iter().chain(&b_paths).filter(|p| *p == "-").count() > 1 {
        return usage_error("diff", "stdin (-) can be read once: give it to one side only");
    }
    let a = match load_side("diff", "A", &a_paths) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let b = match load_side("diff", "B", &b_paths) {
        Ok(l) => l,
        Err(code) => return code,
    };
    // The API roles of pglens.toml's assumptions (or of the preset that fits B), as `check` uses.
    let options = Options { exposed_roles: config.assumptions_for(&b.snapshot).api_roles, ignore };
    let drift = diff::diff(&a.snapshot, &b.snapshot, &options);

    let out = std::io::stdout();
    let mut out = out.lock();
    let written = match args.format.as_str() {
        "json" => {
            let doc = serde_json::json!({
                "a": { "files": drift.a_files },
                "b": { "files": drift.b_files },
                "scope": drift.scope,
                "ignored": options.ignore,
                "counts": drift.counts(),
                "changes": drift.changes,
            });
            serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::other).and_then(|_| writeln!(out))
        }
        "sarif" => {
            let doc = report::drift::sarif(&drift, env!("CARGO_PKG_VERSION"));
            serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::other).and_then(|_| writeln!(out))
        }
        "md" => write!(out, "{}", report::drift::markdown(&drift, "pglens diff")),
        _ => write_text(&mut out, &drift, &options.ignore, paint),
    };
    let code = finish("diff", written);
    if code != ExitCode::SUCCESS {
        return code;
    }
    match threshold {
        Some(t) if drift.at_or_above(t) > 0 => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

/// The files of one side: `dump.sql,pg_policies.csv` is two files. A path that exists as given is
/// one file even with a comma in its name.
pub(crate) fn side_paths(arg: &str) -> Vec<String> {
    if arg.contains(',') && !std::path::Path::new(arg).exists() {
        arg.split(',').filter(|p| !p.is_empty()).map(str::to_string).collect()
    } else {
        vec![arg.to_string()]
    }
}

/// Loads one side, prints its diagnostics on stderr, and refuses a side that loaded nothing: no
/// SQL object and no policy (a binary file, an empty one, one that does not parse).
pub(crate) fn load_side(command: &str, side: &str, paths: &[String]) -> Result<Loaded, ExitCode> {
    if paths.is_empty() {
        return Err(usage_error(command, &format!("side {side} names no file")));
    }
    let loaded = load_paths(command, paths)?;
    let shown = loaded.diagnostics.iter().filter(|d| d.severity >= Severity::Warning);
    let total = shown.clone().count();
    if total > 0 {
        eprintln!(
            "pglens {command}: {side} ({}): {total} {} while loading",
            paths.join(", "),
            if total == 1 { "warning or error" } else { "warnings and errors" }
        );
        for d in shown.take(MAX_DIAGNOSTICS) {
            eprintln!("  {d}");
        }
        if total > MAX_DIAGNOSTICS {
            eprintln!("  …and {} more (see `pglens inspect`)", total - MAX_DIAGNOSTICS);
        }
    }
    if loaded_nothing(&loaded) {
        eprintln!("pglens {command}: side {side} ({}) loaded nothing: no SQL object and no pg_policies row", paths.join(", "));
        return Err(ExitCode::from(2));
    }
    Ok(loaded)
}

/// Nothing beyond what an empty input gives (the implicit `public` schema): no SQL object, no
/// policy.
fn loaded_nothing(l: &Loaded) -> bool {
    let (s, empty) = (&l.snapshot, pglens_core::load_files(&[]).snapshot);
    s.schemas == empty.schemas
        && s.tables.is_empty()
        && s.views.is_empty()
        && s.sequences.is_empty()
        && s.functions.is_empty()
        && s.types.is_empty()
        && s.extensions.is_empty()
        && s.triggers.is_empty()
        && s.event_triggers.is_empty()
        && s.publications.is_empty()
        && s.default_privileges.is_empty()
        && s.external_policies.is_empty()
        && s.policy_exports.is_empty()
}

/// Characters a terminal would act on rather than show: control characters (escape sequences)
/// and the bidirectional overrides and isolates that reorder what follows them.
fn unsafe_in_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// One line of dump-derived text for a terminal: whitespace runs become one space, characters
/// a terminal would act on are shown escaped, and the result is cut at `max` characters.
fn one_line(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut n = 0;
    let mut space = false;
    for c in text.trim().chars() {
        if n >= max {
            out.push('…');
            break;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            out.push(' ');
            n += 1;
            space = false;
        }
        if unsafe_in_terminal(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
        n += 1;
    }
    out
}

/// A line of SQL for a terminal: what a terminal would act on (other than tabs) shown escaped.
fn terminal_safe(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        if unsafe_in_terminal(c) && c != '\t' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn write_text(out: &mut impl Write, d: &Drift, ignored: &[Kind], paint: Paint) -> std::io::Result<()> {
    writeln!(out, "A (reference): {}", terminal_safe(&d.a_files.join(", ")))?;
    writeln!(out, "B:             {}", terminal_safe(&d.b_files.join(", ")))?;
    if d.scope == Scope::Policies {
        writeln!(out, "only policies compared: one side holds nothing but pg_policies exports")?;
    }
    writeln!(out)?;
    for c in &d.changes {
        writeln!(
            out,
            "{} {} {} {}: {}",
            paint.priority(c.priority),
            c.kind.as_str(),
            c.change.as_str(),
            one_line(&report::drift::subject(c), 200),
            one_line(&c.reason, 400)
        )?;
        for f in &c.fields {
            let v = |x: &Option<String>| x.as_deref().map(|x| one_line(x, 100)).unwrap_or_else(|| "(not set)".into());
            writeln!(out, "    {}: {} → {}", f.field, v(&f.a), v(&f.b))?;
        }
        if let Some(fix) = &c.fix {
            let hazards: Vec<&str> = fix.hazards.iter().map(|h| h.describe()).collect();
            let label = if hazards.is_empty() { "fix:".to_string() } else { format!("fix ({}):", hazards.join("; ")) };
            let lines: Vec<&str> = fix.sql.lines().collect();
            if let [line] = lines[..] {
                writeln!(out, "    {label} {}", terminal_safe(line))?;
            } else {
                writeln!(out, "    {label}")?;
                for line in lines {
                    writeln!(out, "        {}", terminal_safe(line))?;
                }
            }
        }
    }
    let c = d.counts();
    let kinds: Vec<String> = c.by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let by_kind = if kinds.is_empty() { String::new() } else { format!(" ({})", kinds.join(", ")) };
    let ignored = if ignored.is_empty() {
        String::new()
    } else {
        format!("; ignored: {}", ignored.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", "))
    };
    if !d.changes.is_empty() {
        writeln!(out)?;
    }
    writeln!(out, "{} P0, {} P1, {} P2{by_kind}{ignored}", c.p0, c.p1, c.p2)
}
