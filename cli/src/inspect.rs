//! `pglens inspect`: summary, diagnostics and (as JSON) the whole model.

use pglens_core::{fingerprint, load_with_sources, InputFile, Loaded};
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: &[String]) -> ExitCode {
    let mut format = "text".to_string();
    let mut paths = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--format" => match it.next() {
                Some(f) if f == "text" || f == "json" => format = f.clone(),
                other => {
                    eprintln!("pglens inspect: --format takes text or json, got {}", other.map(String::as_str).unwrap_or("nothing"));
                    return ExitCode::from(2);
                }
            },
            s if s.starts_with("--format=") => {
                let f = &s["--format=".len()..];
                if f != "text" && f != "json" {
                    eprintln!("pglens inspect: --format takes text or json, got {f}");
                    return ExitCode::from(2);
                }
                format = f.to_string();
            }
            "-h" | "--help" => {
                print!("{}", crate::USAGE);
                return ExitCode::SUCCESS;
            }
            s if s.starts_with('-') && s != "-" => {
                eprintln!("pglens inspect: unknown option {s}");
                return ExitCode::from(2);
            }
            _ => paths.push(a.clone()),
        }
    }
    if paths.is_empty() {
        eprintln!("pglens inspect: give at least one FILE (see pglens --help)");
        return ExitCode::from(2);
    }
    let mut files = Vec::new();
    for p in &paths {
        let bytes = if p == "-" {
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut b).map(|_| b)
        } else {
            std::fs::read(p)
        };
        match bytes {
            Ok(bytes) => files.push(InputFile { name: p.clone(), bytes }),
            Err(e) => {
                eprintln!("pglens inspect: cannot read {p}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    // Deep (but accepted) expression trees recurse deeply while decoded and deparsed: give the
    // load a generous stack, reserved only as it is touched.
    let loaded = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let (mut loaded, sources) = load_with_sources(files, &mut |_| true);
            fingerprint(&mut loaded.snapshot.files, &sources);
            loaded
        })
        .and_then(|h| h.join().map_err(|_| std::io::Error::other("the loader panicked")));
    let loaded = match loaded {
        Ok(l) => l,
        Err(e) => {
            eprintln!("pglens inspect: {e}");
            return ExitCode::from(2);
        }
    };
    let out = std::io::stdout();
    let mut out = out.lock();
    let written = if format == "json" {
        serde_json::to_writer(&mut out, &loaded).map_err(std::io::Error::other).and_then(|_| writeln!(out))
    } else {
        write_text(&mut out, &loaded)
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pglens inspect: {e}");
            ExitCode::from(2)
        }
    }
}

fn write_text(out: &mut impl Write, l: &Loaded) -> std::io::Result<()> {
    for f in &l.snapshot.files {
        writeln!(
            out,
            "{}  {} bytes  {} lines  {}  sha256 {}",
            f.name,
            f.size,
            f.lines,
            f.encoding,
            f.sha256.as_deref().unwrap_or("?").get(..16).unwrap_or("?")
        )?;
    }
    let s = &l.summary;
    writeln!(out)?;
    let rows: [(&str, u64); 19] = [
        ("schemas", s.schemas),
        ("tables", s.tables),
        ("  of which partitions", s.partitions),
        ("columns", s.columns),
        ("constraints", s.constraints),
        ("  of which foreign keys", s.foreign_keys),
        ("indexes", s.indexes),
        ("tables with RLS enabled", s.rls_enabled_tables),
        ("policies", s.policies),
        ("functions", s.functions),
        ("procedures", s.procedures),
        ("triggers", s.triggers),
        ("views", s.views),
        ("materialized views", s.materialized_views),
        ("sequences", s.sequences),
        ("types", s.types),
        ("extensions", s.extensions),
        ("grants", s.grants),
        ("comments", s.comments),
    ];
    for (name, n) in rows {
        writeln!(out, "{name:<26}{n:>8}")?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "statements {}: {} modelled, {} not modelled, {} failed to parse",
        s.statements, s.modelled_statements, s.unmodelled_statements, s.parse_errors
    )?;
    if s.meta_commands + s.copy_rows_skipped > 0 {
        writeln!(out, "also skipped: {} psql meta-commands, {} COPY data rows", s.meta_commands, s.copy_rows_skipped)?;
    }
    let mut kinds: std::collections::BTreeMap<&str, u64> = Default::default();
    for u in &l.snapshot.unmodelled {
        *kinds.entry(u.kind.as_str()).or_default() += 1;
    }
    if !kinds.is_empty() {
        let list: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
        writeln!(out, "not modelled: {}", list.join(", "))?;
    }
    if !l.diagnostics.is_empty() {
        writeln!(out, "\n{} diagnostics:", l.diagnostics.len())?;
        for d in &l.diagnostics {
            writeln!(out, "{d}")?;
        }
    }
    Ok(())
}
