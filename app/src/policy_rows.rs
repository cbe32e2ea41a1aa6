//! The policy list as the app shows it: every policy of the dump and, when a `pg_policies` export
//! was loaded, every policy only the export has, each with its reconciliation status. Pure (no
//! DOM, no signals): built once per snapshot, unit tested natively and in wasm.

use pglens_core::model::{Expr, PolicyCommand, Snapshot, Span};
use pglens_core::policies::reconcile::{FieldDifference, MismatchKind, Reconciliation};
use std::collections::HashMap;

/// Where a policy stands between the dump and the export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PolicyStatus {
    Same,
    Differs,
    OnlyInDump,
    OnlyInExport,
    TableNotInDump,
    DuplicateInExport,
}

impl PolicyStatus {
    pub const ALL: [PolicyStatus; 6] = [
        PolicyStatus::Same,
        PolicyStatus::Differs,
        PolicyStatus::OnlyInDump,
        PolicyStatus::OnlyInExport,
        PolicyStatus::TableNotInDump,
        PolicyStatus::DuplicateInExport,
    ];

    /// The hash parameter (and CSS class) form: the core's serde names, plus `same`.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyStatus::Same => "same",
            PolicyStatus::Differs => "differs",
            PolicyStatus::OnlyInDump => "only_in_dump",
            PolicyStatus::OnlyInExport => "only_in_export",
            PolicyStatus::TableNotInDump => "table_not_in_dump",
            PolicyStatus::DuplicateInExport => "duplicate_in_export",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PolicyStatus::Same => "same",
            PolicyStatus::Differs => "differs",
            PolicyStatus::OnlyInDump => "only in dump",
            PolicyStatus::OnlyInExport => "only in export",
            PolicyStatus::TableNotInDump => "table not in dump",
            PolicyStatus::DuplicateInExport => "duplicate in export",
        }
    }

    pub fn parse(s: &str) -> Option<PolicyStatus> {
        PolicyStatus::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn is_mismatch(self) -> bool {
        self != PolicyStatus::Same
    }
}

impl From<MismatchKind> for PolicyStatus {
    fn from(k: MismatchKind) -> Self {
        match k {
            MismatchKind::Differs => PolicyStatus::Differs,
            MismatchKind::OnlyInDump => PolicyStatus::OnlyInDump,
            MismatchKind::OnlyInExport => PolicyStatus::OnlyInExport,
            MismatchKind::TableNotInDump => PolicyStatus::TableNotInDump,
            MismatchKind::DuplicateInExport => PolicyStatus::DuplicateInExport,
        }
    }
}

/// One row of the policy list.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyRow {
    pub table: String,
    pub name: String,
    pub command: PolicyCommand,
    pub permissive: bool,
    pub roles: Vec<String>,
    /// As written in the dump (or the export, for export-only rows).
    pub using: Option<String>,
    pub with_check: Option<String>,
    /// The dump's statement; `None` for a policy only the export lists.
    pub dump_span: Option<Span>,
    pub export_span: Option<Span>,
    /// `None` when no export was reconciled with the dump.
    pub status: Option<PolicyStatus>,
    /// For [`PolicyStatus::Differs`]: the fields that differ, dump and export values.
    pub differences: Vec<FieldDifference>,
}

impl PolicyRow {
    /// The dump's span, else the export's.
    pub fn span(&self) -> Span {
        self.dump_span.or(self.export_span).unwrap_or_default()
    }

    pub fn command_label(&self) -> String {
        format!("{:?}", self.command).to_uppercase()
    }

    /// `USING …  WITH CHECK …` on one line.
    pub fn expressions(&self) -> String {
        match (&self.using, &self.with_check) {
            (Some(u), Some(c)) => format!("USING {u}  WITH CHECK {c}"),
            (Some(u), None) => format!("USING {u}"),
            (None, Some(c)) => format!("WITH CHECK {c}"),
            (None, None) => String::new(),
        }
    }
}

fn text(e: &Option<Expr>) -> Option<String> {
    e.as_ref().map(|e| e.text.clone())
}

/// A row from the fields a dump policy and an export row share (they are two types).
macro_rules! row_of {
    ($p:expr) => {
        PolicyRow {
            table: $p.table.clone(),
            name: $p.name.clone(),
            command: $p.command,
            permissive: $p.permissive,
            roles: $p.roles.clone(),
            using: text(&$p.using),
            with_check: text(&$p.with_check),
            dump_span: None,
            export_span: None,
            status: None,
            differences: vec![],
        }
    };
}

/// The dump's policies with their status, and the policies only the export has (also rows the
/// export lists twice), in (table, name) order. Reconciliation happens only when the snapshot
/// has both a dump and an export: an export alone is listed, with no status.
pub fn policy_rows(snap: &Snapshot, rec: Option<&Reconciliation>) -> Vec<PolicyRow> {
    let mismatch: HashMap<&str, _> =
        rec.map(|r| r.mismatches.iter().filter(|m| m.dump_span.is_some()).map(|m| (m.key.as_str(), m)).collect()).unwrap_or_default();
    // A matching policy is not among the mismatches: its export row is found by key.
    let exported: HashMap<(&str, &str), Span> = snap.policy_exports.iter().map(|e| ((e.table.as_str(), e.name.as_str()), e.span)).collect();
    let mut rows: Vec<PolicyRow> = Vec::new();
    for p in snap.tables.values().flat_map(|t| t.policies.values()) {
        let m = mismatch.get(pglens_core::model::key::member(&p.table, &p.name).as_str()).copied();
        rows.push(PolicyRow {
            dump_span: Some(p.span),
            export_span: match m {
                Some(m) => m.export_span,
                None if rec.is_some() => exported.get(&(p.table.as_str(), p.name.as_str())).copied(),
                None => None,
            },
            status: rec.map(|_| m.map_or(PolicyStatus::Same, |m| m.kind.into())),
            differences: m.map(|m| m.differences.clone()).unwrap_or_default(),
            ..row_of!(p)
        });
    }
    let export_only: Vec<(Span, Option<PolicyStatus>)> = match rec {
        Some(r) => {
            r.mismatches.iter().filter(|m| m.dump_span.is_none()).filter_map(|m| Some((m.export_span?, Some(m.kind.into())))).collect()
        }
        None => snap.policy_exports.iter().map(|e| (e.span, None)).collect(),
    };
    for (span, status) in export_only {
        if let Some(e) = snap.policy_exports.iter().find(|e| e.span == span) {
            rows.push(PolicyRow { export_span: Some(span), status, ..row_of!(e) });
        }
    }
    rows.sort_by(|a, b| (&a.table, &a.name).cmp(&(&b.table, &b.name)));
    rows
}

/// How many policies have each status, in [`PolicyStatus::ALL`] order (zeros included).
pub fn status_counts(rec: &Reconciliation) -> Vec<(PolicyStatus, usize)> {
    PolicyStatus::ALL
        .into_iter()
        .map(|s| {
            let n = match s {
                PolicyStatus::Same => rec.matching,
                s => rec.mismatches.iter().filter(|m| PolicyStatus::from(m.kind) == s).count(),
            };
            (s, n)
        })
        .collect()
}
