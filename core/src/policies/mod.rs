//! `pg_policies` exports: importing them (CSV, JSON, psql's aligned output) and reconciling them
//! with the policies a dump declares.
//!
//! Invariants:
//! - Format detection looks at the content only, never at the file name.
//! - Importing never fails as a whole: a malformed export yields the rows that could be read and
//!   diagnostics naming what was expected (file, line, column).
//! - Expressions are compared after normalisation (the same canonical deparse the dump's
//!   policies carry), never as raw text.

pub mod export;
pub mod reconcile;

pub(crate) use reconcile::unqualified;
pub use reconcile::{reconcile, Reconciliation};

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{ExportedPolicy, Expr, PolicyCommand, Span};

/// Reads an export into the model's form, its expressions parsed into canonical text. A row whose
/// expression PostgreSQL's parser refuses keeps its text as written, with a diagnostic pointing
/// at the row.
pub fn import(
    text: &str,
    file: &str,
    file_index: u32,
    format: export::ExportFormat,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<ExportedPolicy> {
    let (rows, diags) = export::read(text, file, format);
    diagnostics.extend(diags.into_iter().map(|mut d| {
        d.span.file = file_index;
        d
    }));
    let line_starts: Vec<usize> = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
    rows.into_iter()
        .map(|row| {
            let start = line_starts.get(row.line.saturating_sub(1) as usize).copied().unwrap_or(0);
            let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
            let span = Span { file: file_index, line: row.line, column: 1, start: start as u32, end: end as u32 };
            let mut expr = |field: &str, e: Option<String>| {
                e.map(|t| match crate::build::canonical_expression(&t) {
                    Ok(e) => e,
                    Err((message, _)) => {
                        diagnostics.push(Diagnostic::new(
                            Severity::Warning,
                            "export_bad_expression",
                            format!(
                                "{field} of policy {} on {}.{} does not parse ({message}); compared as written",
                                row.policyname, row.schemaname, row.tablename
                            ),
                            file,
                            span,
                        ));
                        Expr { canonical: t.clone(), text: t }
                    }
                })
            };
            let using = expr("qual", row.qual.clone());
            let with_check = expr("with_check", row.with_check.clone());
            let mut roles = row.roles.clone();
            roles.sort();
            ExportedPolicy {
                table: crate::model::key::qualified(&row.schemaname, &row.tablename),
                name: row.policyname.clone(),
                permissive: row.permissive,
                command: match row.cmd.as_str() {
                    "SELECT" => PolicyCommand::Select,
                    "INSERT" => PolicyCommand::Insert,
                    "UPDATE" => PolicyCommand::Update,
                    "DELETE" => PolicyCommand::Delete,
                    _ => PolicyCommand::All,
                },
                roles,
                using,
                with_check,
                span,
            }
        })
        .collect()
}
