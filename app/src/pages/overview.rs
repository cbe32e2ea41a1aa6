//! Load / Overview: the drop zone, the loaded files, counts per object kind, statement accounting
//! and the first diagnostics.

use crate::helpers::{format_bytes, Route};
use crate::pages::diagnostics::DiagnosticsTable;
use crate::policy_rows::status_counts;
use crate::shell::FilePicker;
use crate::state::{use_state, Data};
use leptos::prelude::*;
use pglens_core::model::FileContent;
use std::sync::Arc;

#[component]
pub fn Overview() -> impl IntoView {
    let state = use_state();
    view! {
        <section class="page overview">
            <div class="dropzone" id="dropzone">
                <div>
                    <strong>"Drop pg_dump files here"</strong>
                    " (several at once load into one snapshot), or "
                    <FilePicker label="choose files…" id="file-input-overview" />
                </div>
                <div class="hint">
                    "Plain SQL or .gz, plus pg_policies exports (.csv, .json, psql's .txt) to compare with the dump. "
                    "Nothing leaves this tab: parsing runs in a Web Worker on your machine."
                </div>
            </div>
            {move || match state.data.get() {
                None => view! { <super::NoData /> }.into_any(),
                Some(d) => view! { <Summary data=d /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Summary(data: Arc<Data>) -> impl IntoView {
    let state = use_state();
    let s = &data.loaded.summary;
    let objects: Vec<(&str, &str, u64, Option<Route>)> = vec![
        ("tables", "Tables", s.tables, Some(Route::Tables)),
        ("partitions", "Partitions", s.partitions, None),
        ("columns", "Columns", s.columns, None),
        ("constraints", "Constraints", s.constraints, None),
        ("foreign_keys", "Foreign keys", s.foreign_keys, None),
        ("indexes", "Indexes", s.indexes, None),
        ("policies", "Policies", s.policies, Some(Route::Policies(None))),
        ("rls_enabled_tables", "Tables with RLS", s.rls_enabled_tables, None),
        ("functions", "Functions", s.functions, Some(Route::Functions)),
        ("procedures", "Procedures", s.procedures, Some(Route::Functions)),
        ("triggers", "Triggers", s.triggers, None),
        ("event_triggers", "Event triggers", s.event_triggers, None),
        ("views", "Views", s.views, Some(Route::Views)),
        ("materialized_views", "Materialized views", s.materialized_views, Some(Route::Views)),
        ("sequences", "Sequences", s.sequences, None),
        ("types", "Types", s.types, None),
        ("extensions", "Extensions", s.extensions, Some(Route::Extensions)),
        ("schemas", "Schemas", s.schemas, None),
        ("publications", "Publications", s.publications, None),
        ("grants", "Grants", s.grants, None),
        ("default_privileges", "Default privileges", s.default_privileges, None),
        ("comments", "Comments", s.comments, None),
    ];
    let statements: Vec<(&str, &str, u64, Option<Route>)> = vec![
        ("statements", "Statements", s.statements, None),
        ("modelled_statements", "Modelled", s.modelled_statements, None),
        ("unmodelled_statements", "Unmodelled", s.unmodelled_statements, Some(Route::Unmodelled)),
        ("parse_errors", "Failed to parse", s.parse_errors, Some(Route::Diagnostics)),
        ("meta_commands", "psql meta-commands", s.meta_commands, None),
        ("copy_rows_skipped", "COPY rows skipped", s.copy_rows_skipped, None),
    ];
    let card = |(id, label, n, route): (&str, &str, u64, Option<Route>)| {
        let zero = n == 0;
        let inner = view! {
            <span class="num">{n.to_string()}</span>
            <span class="label">{label.to_string()}</span>
        };
        match route {
            Some(r) => view! { <a class="card" class:zero=zero data-count=id.to_string() href=r.href()>{inner}</a> }.into_any(),
            None => view! { <div class="card" class:zero=zero data-count=id.to_string()>{inner}</div> }.into_any(),
        }
    };
    let files = data
        .loaded
        .snapshot
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            // The worker sends hashes just after the snapshot: show them when they arrive.
            let sha = move || state.fingerprints.with(|h| h.get(i).cloned().flatten()).unwrap_or_else(|| "…".to_string());
            view! {
                <tr>
                    <td class="mono">{f.name.clone()}</td>
                    <td class="num">{format_bytes(f.size)}</td>
                    <td>{content_label(f.content)}</td>
                    <td>{f.encoding.clone()}</td>
                    <td class="num">{f.lines.to_string()}</td>
                    <td class="mono dim" title=sha>{move || sha().chars().take(12).collect::<String>()}</td>
                </tr>
            }
        })
        .collect_view();
    let diag_count = data.loaded.diagnostics.len();
    let diagnostics = (diag_count > 0).then(|| {
        let d = data.clone();
        view! {
            <h2>
                "Diagnostics "
                <span class="count">{diag_count.to_string()}</span>
                " "
                <a class="small" href=Route::Diagnostics.href()>"all diagnostics →"</a>
            </h2>
            <DiagnosticsTable data=d limit=50 />
        }
    });
    view! {
        <h2>"Files"</h2>
        <table class="grid files-table" id="files">
            <thead><tr><th>"File"</th><th class="num">"Size"</th><th>"Content"</th><th>"Encoding"</th><th class="num">"Lines"</th><th>"SHA-256"</th></tr></thead>
            <tbody>{files}</tbody>
        </table>
        <Reconciliation data=data.clone() />
        {diagnostics}
        <h2>"Statements"</h2>
        <div class="cards" id="statement-counts">{statements.into_iter().map(card).collect_view()}</div>
        <h2>"Objects"</h2>
        <div class="cards" id="object-counts">{objects.into_iter().map(card).collect_view()}</div>
    }
}

fn content_label(c: FileContent) -> &'static str {
    match c {
        FileContent::Sql => "SQL",
        FileContent::PolicyExport => "pg_policies export",
        FileContent::Binary => "binary (refused)",
    }
}

/// When a `pg_policies` export was loaded: how its policies compare with the dump's.
#[component]
fn Reconciliation(data: Arc<Data>) -> impl IntoView {
    let exports = data.loaded.snapshot.policy_exports.len();
    let has_export = data.loaded.snapshot.files.iter().any(|f| f.content == FileContent::PolicyExport);
    let rec = data.loaded.policy_reconciliation.clone();
    (has_export || rec.is_some()).then(|| {
        let body = match rec {
            None => view! { <p class="dim">{format!("{exports} policies read from the export; there is no SQL dump to compare them with.")}</p> }.into_any(),
            Some(rec) => {
                let mismatches = rec.mismatches.len();
                let cards = status_counts(&rec)
                    .into_iter()
                    .map(|(s, n)| {
                        view! {
                            <a class="card" class:zero={n == 0} class:alert={n > 0 && s.is_mismatch()} data-count=format!("policy_{}", s.as_str()) href=Route::Policies(Some(s)).href()>
                                <span class="num">{n.to_string()}</span>
                                <span class="label">{s.label()}</span>
                            </a>
                        }
                    })
                    .collect_view();
                view! {
                    <p id="reconciliation-overview" data-mismatches=mismatches.to_string()>
                        {format!(
                            "{} policies in the dump, {} in the export: {}.",
                            rec.dump_policies,
                            rec.export_policies,
                            if mismatches == 0 { "they match".to_string() } else { format!("{mismatches} mismatches") }
                        )}
                    </p>
                    <div class="cards">{cards}</div>
                }
                .into_any()
            }
        };
        view! {
            <h2>"pg_policies export"</h2>
            {body}
        }
    })
}
