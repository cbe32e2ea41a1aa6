//! Matching the policies a dump declares with the ones a `pg_policies` export lists.
//!
//! Policies are matched by (schema, table, name) and compared field by field after normalisation:
//! roles as sorted sets, command, permissive/restrictive, and USING / WITH CHECK by canonical
//! text. Export-only policies on tables the dump lacks are kept and flagged apart.

use crate::model::{ExportedPolicy, Expr, Policy, Snapshot, Span};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconciliation {
    pub dump_policies: usize,
    pub export_policies: usize,
    /// Policies present in both and equal after normalisation.
    pub matching: usize,
    pub mismatches: Vec<Mismatch>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MismatchKind {
    /// In both, with different fields.
    Differs,
    OnlyInDump,
    /// In the export only, on a table the dump has.
    OnlyInExport,
    /// In the export only, on a table the dump does not have.
    TableNotInDump,
    /// The export lists the same (table, name) more than once.
    DuplicateInExport,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mismatch {
    pub kind: MismatchKind,
    /// `schema.table/policy`, the policy's key in the model.
    pub key: String,
    pub table: String,
    pub policy: String,
    pub differences: Vec<FieldDifference>,
    pub dump_span: Option<Span>,
    pub export_span: Option<Span>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDifference {
    /// `roles`, `command`, `permissive`, `using` or `with_check`.
    pub field: String,
    pub dump: String,
    pub export: String,
}

impl Mismatch {
    /// One line for text reports.
    pub fn describe(&self) -> String {
        let what = match self.kind {
            MismatchKind::Differs => {
                let fields: Vec<String> =
                    self.differences.iter().map(|d| format!("{}: dump `{}`, export `{}`", d.field, d.dump, d.export)).collect();
                return format!("policy {} differs: {}", self.key, fields.join("; "));
            }
            MismatchKind::OnlyInDump => "is in the dump but not in the export",
            MismatchKind::OnlyInExport => "is in the export but not in the dump",
            MismatchKind::TableNotInDump => "is in the export, on a table the dump does not have",
            MismatchKind::DuplicateInExport => "is listed more than once in the export",
        };
        format!("policy {} {what}", self.key)
    }
}

/// `None` unless the snapshot has both a dump (SQL input) and at least one export.
pub fn reconcile(snap: &Snapshot) -> Option<Reconciliation> {
    let has_sql = snap.files.iter().any(|f| f.content == crate::model::FileContent::Sql);
    if snap.policy_exports.is_empty() || !has_sql {
        return None;
    }
    let on_tables = snap.tables.iter().flat_map(|(k, t)| t.policies.values().map(move |p| (crate::model::key::member(k, &p.name), p)));
    let dump: BTreeMap<String, &Policy> = on_tables.chain(snap.external_policies.iter().map(|(k, p)| (k.clone(), p))).collect();
    let mut exported: BTreeMap<String, &ExportedPolicy> = BTreeMap::new();
    let mut out = Reconciliation { dump_policies: dump.len(), export_policies: snap.policy_exports.len(), ..Default::default() };
    for e in &snap.policy_exports {
        let key = crate::model::key::member(&e.table, &e.name);
        if exported.contains_key(&key) {
            out.mismatches.push(mismatch(MismatchKind::DuplicateInExport, key, &e.table, &e.name, None, Some(e.span)));
        } else {
            exported.insert(key, e);
        }
    }
    for (key, d) in &dump {
        match exported.get(key) {
            None => out.mismatches.push(mismatch(MismatchKind::OnlyInDump, key.clone(), &d.table, &d.name, Some(d.span), None)),
            Some(e) => {
                let differences = compare(d, e);
                if differences.is_empty() {
                    out.matching += 1;
                } else {
                    let mut m = mismatch(MismatchKind::Differs, key.clone(), &d.table, &d.name, Some(d.span), Some(e.span));
                    m.differences = differences;
                    out.mismatches.push(m);
                }
            }
        }
    }
    for (key, e) in &exported {
        if !dump.contains_key(key) {
            let kind = if snap.tables.contains_key(&e.table) { MismatchKind::OnlyInExport } else { MismatchKind::TableNotInDump };
            out.mismatches.push(mismatch(kind, key.clone(), &e.table, &e.name, None, Some(e.span)));
        }
    }
    out.mismatches.sort_by(|a, b| (a.kind, &a.key).cmp(&(b.kind, &b.key)));
    Some(out)
}

fn mismatch(kind: MismatchKind, key: String, table: &str, policy: &str, dump_span: Option<Span>, export_span: Option<Span>) -> Mismatch {
    Mismatch { kind, key, table: table.to_string(), policy: policy.to_string(), differences: vec![], dump_span, export_span }
}

fn compare(d: &Policy, e: &ExportedPolicy) -> Vec<FieldDifference> {
    let mut out = Vec::new();
    let mut field = |name: &str, dump: String, export: String| {
        if dump != export {
            out.push(FieldDifference { field: name.into(), dump, export });
        }
    };
    let mut dump_roles = d.roles.clone();
    dump_roles.sort();
    field("roles", dump_roles.join(", "), e.roles.join(", "));
    field("command", format!("{:?}", d.command).to_ascii_uppercase(), format!("{:?}", e.command).to_ascii_uppercase());
    field("permissive", permissive(d.permissive), permissive(e.permissive));
    field("using", comparable(&d.using, &e.using), canonical(&e.using));
    field("with_check", comparable(&d.with_check, &e.with_check), canonical(&e.with_check));
    out
}

/// The dump's canonical text, or the export's when the two differ only in qualifying names with
/// a schema the server leaves implicit. pg_dump prints expressions with an empty search_path
/// (`public.authorize(...)`, `::public.app_permission`), while a `pg_policies` export is usually
/// read with `public` on the search_path and prints the same names bare.
fn comparable(dump: &Option<Expr>, export: &Option<Expr>) -> String {
    let d = canonical(dump);
    let e = canonical(export);
    if d != e && unqualified(&d) == unqualified(&e) {
        e
    } else {
        d
    }
}

/// Drops `public.` and `pg_catalog.` qualifiers outside quoted literals and identifiers.
pub(crate) fn unqualified(text: &str) -> String {
    const IMPLICIT: [&str; 2] = ["public.", "pg_catalog."];
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
        } else if c == '\'' || c == '"' {
            quote = Some(c);
        } else if !out.ends_with(|p: char| p.is_alphanumeric() || p == '_' || p == '.' || p == '$') {
            if let Some(prefix) = IMPLICIT.iter().find(|p| rest.starts_with(*p)) {
                rest = &rest[prefix.len()..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn permissive(p: bool) -> String {
    if p { "PERMISSIVE" } else { "RESTRICTIVE" }.into()
}

fn canonical(e: &Option<Expr>) -> String {
    e.as_ref().map(|e| e.canonical.clone()).unwrap_or_else(|| "NULL".into())
}

#[cfg(test)]
mod tests {
    use super::unqualified;

    #[test]
    fn implicit_schemas_are_dropped_outside_quotes_only() {
        assert_eq!(
            unqualified("public.authorize('a.b'::public.app_permission, auth.uid())"),
            "authorize('a.b'::app_permission, auth.uid())"
        );
        assert_eq!(unqualified("x = 'public.y' AND \"public.z\" = pg_catalog.now()"), "x = 'public.y' AND \"public.z\" = now()");
        assert_eq!(unqualified("mypublic.f() + t.public.x"), "mypublic.f() + t.public.x");
    }
}
