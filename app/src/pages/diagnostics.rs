//! Diagnostics: what went wrong or looked odd while loading, as `file:line:column`.

use crate::components::{SourceView, VirtualRows};
use crate::helpers::Query;
use crate::state::{use_state, Data};
use leptos::prelude::*;
use pglens_core::{Diagnostic, Severity};
use std::sync::Arc;

pub fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// A plain table of the first `limit` diagnostics (the overview's panel).
#[component]
pub fn DiagnosticsTable(data: Arc<Data>, limit: usize) -> impl IntoView {
    let total = data.loaded.diagnostics.len();
    let rows = data
        .loaded
        .diagnostics
        .iter()
        .take(limit)
        .map(|d| {
            let sev = severity_label(d.severity);
            view! {
                <tr class=format!("sev-{sev}")>
                    <td><span class=format!("badge {sev}")>{sev}</span></td>
                    <td class="mono diag-loc">{format!("{}:{}:{}", d.file, d.line, d.column)}</td>
                    <td class="mono dim">{d.code.clone()}</td>
                    <td class="diag-msg">{d.message.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="grid diagnostics" id="diagnostics-panel">
            <thead><tr><th>"Severity"</th><th>"Location"</th><th>"Code"</th><th>"Message"</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {(total > limit).then(|| view! { <p class="dim">{format!("… and {} more", total - limit)}</p> })}
    }
}

#[component]
pub fn Diagnostics() -> impl IntoView {
    super::data_page("Diagnostics", "list-page", |d| view! { <DiagnosticsList data=d /> })
}

#[component]
fn DiagnosticsList(data: Arc<Data>) -> impl IntoView {
    let state = use_state();
    let all: Arc<Vec<Arc<Diagnostic>>> = Arc::new(data.loaded.diagnostics.iter().cloned().map(Arc::new).collect());
    let search: Arc<Vec<String>> = Arc::new(all.iter().map(|d| format!("{} {} {}", d.file, d.code, d.message).to_lowercase()).collect());
    let items = crate::state::arc_memo({
        let all = all.clone();
        move || {
            let q = Query::new(&state.list_query.get());
            if q.is_empty() {
                return all.clone();
            }
            Arc::new(all.iter().zip(search.iter()).filter(|(_, s)| q.matches(s)).map(|(d, _)| d.clone()).collect::<Vec<_>>())
        }
    });
    let selected = RwSignal::new(None::<Arc<Diagnostic>>);
    let total = all.len();
    let src_data = data.clone();
    view! {
        <div class="toolbar">
            <input class="search" type="search" placeholder="Filter diagnostics…" prop:value=move || state.list_query.get()
                on:input=move |ev| state.list_query.set(event_target_value(&ev)) />
            <span class="dim">{move || format!("{} of {}", items.with(|v| v.len()), total)}</span>
        </div>
        <VirtualRows
            items=items
            id="diagnostics-list"
            columns="90px minmax(220px, 1fr) 190px 3fr"
            headers=vec!["Severity", "Location", "Code", "Message"]
            empty="No diagnostics: every statement loaded cleanly."
            row={move |_, d: Arc<Diagnostic>| {
                let sev = severity_label(d.severity);
                let loc = format!("{}:{}:{}", d.file, d.line, d.column);
                let dd = d.clone();
                view! {
                    <div class="vcell"><span class=format!("badge {sev}")>{sev}</span></div>
                    <div class="vcell mono"><button class="link mono" on:click=move |_| selected.set(Some(dd.clone()))>{loc}</button></div>
                    <div class="vcell mono dim">{d.code.clone()}</div>
                    <div class="vcell" title=d.message.clone()>{d.message.clone()}</div>
                }
            }}
        />
        {move || selected.get().map(|d| view! { <SourceView data=src_data.clone() span=d.span title=d.message.clone() /> })}
    }
}
