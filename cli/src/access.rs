//! `pglens access`: the role × relation × command matrix (docs/access-json.md).

use crate::input::{finish, Args};
use pglens_core::access::{matrix, Cell, Command, Matrix, State};
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: &[String]) -> ExitCode {
    let args = match Args::parse("access", args, &["text", "json", "csv", "md"], &["--role"]) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let (config, loaded) = match args.config_and_load() {
        Ok(x) => x,
        Err(code) => return code,
    };
    let mut assumptions = config.assumptions_for(&loaded.snapshot);
    let role = args.option("--role").map(str::to_string);
    // A role the snapshot never names still gets a column: what it can do through PUBLIC.
    if let Some(r) = &role {
        if !assumptions.roles.contains(r) && r != "public" {
            assumptions.roles.push(r.clone());
        }
    }
    let mut m = matrix(&loaded.snapshot, &assumptions);
    if let Some(r) = &role {
        m.cells.retain(|c| &c.role == r);
        m.roles.retain(|x| x == r);
    }
    let out = std::io::stdout();
    let mut out = out.lock();
    let written = match args.format.as_str() {
        "json" => write_json(&mut out, &m),
        "csv" => write_csv(&mut out, &m),
        "md" => write!(out, "{}", pglens_core::report::access_markdown::report(&m, &args.paths)),
        _ => write_text(&mut out, &m, &loaded.diagnostics),
    };
    finish("access", written)
}

fn write_json(out: &mut impl Write, m: &Matrix) -> std::io::Result<()> {
    let doc = serde_json::json!({
        "assumptions": m.assumptions,
        "roles": m.roles,
        "relations": m.relations,
        "functions": m.functions,
        "cells": m.cells,
    });
    serde_json::to_writer(&mut *out, &doc).map_err(std::io::Error::other)?;
    writeln!(out)
}

/// Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` as a formula: such
/// values from the dump are prefixed with `'` so they stay text.
fn csv_field(s: &str) -> String {
    let inert = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if inert.contains([',', '"', '\n', '\r']) || inert != s {
        format!("\"{}\"", inert.replace('"', "\"\""))
    } else {
        inert
    }
}

fn write_csv(out: &mut impl Write, m: &Matrix) -> std::io::Result<()> {
    writeln!(out, "role,relation,command,privilege,state,predicate,with_check,columns,policies,assumptions")?;
    for c in &m.cells {
        let fields = [
            c.role.clone(),
            c.relation.clone(),
            c.command.as_str().to_string(),
            c.privilege.to_string(),
            c.state.as_str().to_string(),
            c.predicate.clone().unwrap_or_default(),
            c.with_check.clone().unwrap_or_default(),
            c.columns.as_ref().map(|v| v.join(" ")).unwrap_or_default(),
            c.policies.join("; "),
            c.assumptions.join("; "),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        writeln!(out, "{}", line.join(","))?;
    }
    Ok(())
}

fn short(c: &Cell) -> &'static str {
    match c.state {
        State::NoPrivilege => "-",
        State::RlsDenies => "none",
        State::AllRows if c.columns.is_some() => "cols",
        State::AllRows => "all",
        State::Conditional => "where",
    }
}

fn write_text(out: &mut impl Write, m: &Matrix, diagnostics: &[pglens_core::Diagnostic]) -> std::io::Result<()> {
    if let Some(a) = &m.assumptions {
        let members: Vec<String> = a.member_of.iter().map(|(r, of)| format!("{r} ∈ {}", of.join(", "))).collect();
        writeln!(
            out,
            "assumptions ({}): roles [{}], BYPASSRLS [{}], superusers [{}], memberships [{}]",
            a.preset,
            a.roles.join(", "),
            a.bypass_rls.join(", "),
            a.superusers.join(", "),
            members.join("; ")
        )?;
    }
    writeln!(out, "legend: all = every row · where = rows the predicate allows · none = RLS lets no row through · cols = some columns only · - = no privilege\n")?;
    let width = m.roles.iter().map(|r| r.chars().count()).max().unwrap_or(4).max(4) + 2;
    for (ri, rel) in m.relations.iter().enumerate() {
        let rls = match (rel.rls_enabled, rel.rls_forced) {
            (true, true) => ", RLS enabled and forced",
            (true, false) => ", RLS enabled",
            _ => "",
        };
        writeln!(out, "{}  ({}{rls})", rel.key, rel.kind)?;
        writeln!(out, "  {:<width$}{:<8}{:<8}{:<8}{:<8}", "role", "SELECT", "INSERT", "UPDATE", "DELETE")?;
        let mut notes = Vec::new();
        for (oi, role) in m.roles.iter().enumerate() {
            let cells: Vec<&Cell> = (0..Command::TABLE.len()).map(|ci| m.relation_cell(ri, oi, ci)).collect();
            let marks: Vec<String> = cells.iter().map(|c| format!("{:<8}", short(c))).collect();
            writeln!(out, "  {role:<width$}{}", marks.concat().trim_end())?;
            for c in cells {
                if let Some(cols) = &c.columns {
                    notes.push(format!("{role} {}: columns {}", c.command.as_str(), cols.join(", ")));
                }
                if c.state == State::Conditional {
                    let check = c.with_check.as_ref().filter(|w| Some(*w) != c.predicate.as_ref());
                    let check = check.map(|w| format!("  WITH CHECK {w}")).unwrap_or_default();
                    notes.push(format!("{role} {}: {}{check}", c.command.as_str(), c.predicate.as_deref().unwrap_or("")));
                }
            }
        }
        for n in notes {
            writeln!(out, "    {n}")?;
        }
    }
    if !m.functions.is_empty() {
        writeln!(out, "\nfunctions (EXECUTE):")?;
        for (fi, f) in m.functions.iter().enumerate() {
            let allowed: Vec<&str> = m
                .roles
                .iter()
                .enumerate()
                .filter(|(oi, _)| m.function_cell(fi, *oi).state == State::AllRows)
                .map(|(_, r)| r.as_str())
                .collect();
            writeln!(out, "  {}  {}", f.key, if allowed.is_empty() { "nobody listed".to_string() } else { allowed.join(", ") })?;
        }
    }
    let errors = diagnostics.iter().filter(|d| d.severity == pglens_core::Severity::Error).count();
    if errors > 0 {
        writeln!(out, "\n{errors} errors while loading (see `pglens inspect`): the matrix covers what loaded")?;
    }
    Ok(())
}
