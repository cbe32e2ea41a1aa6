//! `pglens inspect`: summary, diagnostics and (as JSON) the whole model.

use crate::input::{finish, Args};
use pglens_core::model::FileContent;
use pglens_core::Loaded;
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: &[String]) -> ExitCode {
    let args = match Args::parse("inspect", args, &["text", "json"], &[]) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let loaded = match args.load() {
        Ok(l) => l,
        Err(code) => return code,
    };
    let out = std::io::stdout();
    let mut out = out.lock();
    let written = if args.format == "json" {
        serde_json::to_writer(&mut out, &loaded).map_err(std::io::Error::other).and_then(|_| writeln!(out))
    } else {
        write_text(&mut out, &loaded)
    };
    finish("inspect", written)
}

fn write_text(out: &mut impl Write, l: &Loaded) -> std::io::Result<()> {
    for f in &l.snapshot.files {
        writeln!(
            out,
            "{}{}  {} bytes  {} lines  {}  sha256 {}",
            f.name,
            match f.content {
                FileContent::PolicyExport => "  (pg_policies export)",
                FileContent::Binary => "  (binary: not read)",
                FileContent::Sql => "",
            },
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
    if let Some(r) = &l.policy_reconciliation {
        writeln!(
            out,
            "\npolicies, dump vs pg_policies export: {} in the dump, {} in the export, {} the same, {} mismatches",
            r.dump_policies,
            r.export_policies,
            r.matching,
            r.mismatches.len()
        )?;
        for m in &r.mismatches {
            writeln!(out, "  {}", m.describe())?;
        }
    }
    if !l.diagnostics.is_empty() {
        writeln!(out, "\n{} diagnostics:", l.diagnostics.len())?;
        for d in &l.diagnostics {
            writeln!(out, "{d}")?;
        }
    }
    Ok(())
}
