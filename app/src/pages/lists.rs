//! Object lists: policies, functions, views, extensions, unmodelled statements. Each is
//! searchable; clicking a row's location shows its source lines below the list. Policies also
//! show how each compares with a loaded `pg_policies` export.

use crate::components::{SourceView, VirtualRows};
use crate::helpers::{first_line, Query, Route};
use crate::policy_rows::{status_counts, PolicyRow, PolicyStatus};
use crate::state::{use_state, Data};
use leptos::prelude::*;
use pglens_core::model::{FileContent, Function, Span, Unmodelled as UnmodelledStmt, View};
use std::sync::Arc;

fn list_page<F, V>(title: &'static str, body: F) -> impl IntoView
where
    F: Fn(Arc<Data>) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    super::data_page(title, "list-page", body)
}

/// Filters `all` by the shared list query against each item's lowercase search text, and by
/// `keep` (which may read signals: the list follows them).
fn filtered<T: Send + Sync + 'static>(
    all: Arc<Vec<Arc<T>>>,
    text: impl Fn(&T) -> String,
    keep: impl Fn(&T) -> bool + Send + Sync + 'static,
) -> Memo<Arc<Vec<Arc<T>>>> {
    let state = use_state();
    let search: Vec<String> = all.iter().map(|x| text(x).to_lowercase()).collect();
    crate::state::arc_memo(move || {
        let q = Query::new(&state.list_query.get());
        let kept: Vec<Arc<T>> = all.iter().zip(search.iter()).filter(|(x, s)| q.matches(s) && keep(x)).map(|(x, _)| x.clone()).collect();
        // The same `Arc` when nothing is filtered out: the rows are not rebuilt.
        if kept.len() == all.len() {
            all.clone()
        } else {
            Arc::new(kept)
        }
    })
}

fn toolbar(placeholder: &'static str, shown: Signal<usize>, total: usize) -> impl IntoView {
    let state = use_state();
    view! {
        <div class="toolbar">
            <input class="search" type="search" placeholder=placeholder prop:value=move || state.list_query.get()
                on:input=move |ev| state.list_query.set(event_target_value(&ev)) />
            <span class="dim">{move || format!("{} of {}", shown.get(), total)}</span>
        </div>
    }
}

type Selected = RwSignal<Option<(String, Span)>>;

fn loc_button(data: &Data, selected: Selected, title: String, span: Span) -> impl IntoView {
    let loc = if data.loaded.snapshot.files.len() > 1 {
        format!("{}:{}", data.file_name(span.file), span.line)
    } else {
        format!("line {}", span.line)
    };
    let title_attr = format!("Show the source ({})", data.location(&span));
    view! { <button class="link mono" title=title_attr on:click=move |_| selected.set(Some((title.clone(), span)))>{loc}</button> }
}

fn selected_source(data: Arc<Data>, selected: Selected) -> impl IntoView {
    move || selected.get().map(|(title, span)| view! { <SourceView data=data.clone() span=span title=title /> })
}

#[component]
pub fn Policies() -> impl IntoView {
    list_page("Policies", |data: Arc<Data>| {
        let state = use_state();
        let status = Memo::new(move |_| match &*state.route.read() {
            Route::Policies(s) => *s,
            _ => None,
        });
        let reconciled = data.loaded.policy_reconciliation.is_some();
        let total = data.policy_rows.len();
        let items = filtered(
            data.policy_rows.clone(),
            |p: &PolicyRow| {
                format!("{} {} {} {} {}", p.table, p.name, p.command_label(), p.roles.join(" "), p.using.as_deref().unwrap_or(""))
            },
            move |p| status.get().is_none_or(|s| p.status == Some(s)),
        );
        let selected: Selected = RwSignal::new(None);
        let detail = RwSignal::new(None::<Arc<PolicyRow>>);
        let d = data.clone();
        let mut headers = vec!["Table", "Policy", "Command", "Type", "Roles", "USING / WITH CHECK"];
        let mut columns = "minmax(180px, 2fr) minmax(160px, 2fr) 96px 100px minmax(120px, 1fr) 3fr".to_string();
        if reconciled {
            headers.push("Export");
            columns.push_str(" 150px");
        }
        headers.push("Source");
        columns.push_str(" 170px");
        view! {
            <ReconciliationSummary data=data.clone() status=status />
            {toolbar("Filter policies…", Signal::derive(move || items.with(|v| v.len())), total)}
            <VirtualRows
                items=items
                id="policy-list"
                columns=columns
                headers=headers
                empty="No policies match."
                row={move |_, p: Arc<PolicyRow>| {
                    let expr = p.expressions();
                    let status = p.status.map(|s| {
                        let row = p.clone();
                        view! {
                            <div class="vcell">
                                <button class=format!("badge recon st-{}", s.as_str()) title="Compare with the export"
                                    on:click=move |_| { selected.set(None); detail.set(Some(row.clone())); }>{s.label()}</button>
                            </div>
                        }
                    });
                    let loc = loc_button(&d, selected, format!("policy {} on {}", p.name, p.table), p.span());
                    view! {
                        <div class="vcell"><a class="mono" href=Route::Table(p.table.clone()).href()>{p.table.clone()}</a></div>
                        <div class="vcell mono strong">{p.name.clone()}</div>
                        <div class="vcell">{p.command_label()}</div>
                        <div class="vcell dim">{if p.permissive { "permissive" } else { "restrictive" }}</div>
                        <div class="vcell mono">{p.roles.join(", ")}</div>
                        <div class="vcell mono" title=expr.clone()>{expr.clone()}</div>
                        {status}
                        <div class="vcell" on:click=move |_| detail.set(None)>{loc}</div>
                    }
                }}
            />
            {selected_source(data.clone(), selected)}
            {move || detail.get().map(|row| view! { <ReconciliationDetail data=data.clone() row=row /> })}
        }
    })
}

/// The counts of each reconciliation status, as links that filter the list, and a select that
/// does the same. Says so when no export was loaded.
#[component]
fn ReconciliationSummary(data: Arc<Data>, status: Memo<Option<PolicyStatus>>) -> impl IntoView {
    let exports: Vec<String> =
        data.loaded.snapshot.files.iter().filter(|f| f.content == FileContent::PolicyExport).map(|f| f.name.clone()).collect();
    let Some(rec) = data.loaded.policy_reconciliation.clone() else {
        let text = if exports.is_empty() {
            "Load a pg_policies export (.csv, .json or psql's table text) with the dump to compare its policies with the database's."
                .to_string()
        } else {
            format!("pg_policies export {} loaded, but no SQL dump to compare it with.", exports.join(", "))
        };
        return view! { <p class="dim intro" id="reconciliation-summary">{text}</p> }.into_any();
    };
    let counts = status_counts(&rec);
    let mismatches = rec.mismatches.len();
    let links = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| {
            view! { <a class=format!("badge recon st-{}", s.as_str()) data-status=s.as_str() href=Route::Policies(Some(*s)).href()>{format!("{n} {}", s.label())}</a> }
        })
        .collect_view();
    let options = counts
        .iter()
        .map(|(s, n)| {
            let s = *s;
            view! { <option value=s.as_str() selected=move || status.get() == Some(s)>{format!("{} ({n})", s.label())}</option> }
        })
        .collect_view();
    let state = use_state();
    let on_status = move |ev: leptos::ev::Event| state.navigate(Route::Policies(PolicyStatus::parse(&event_target_value(&ev))), true);
    view! {
        <div class="recon-summary" id="reconciliation-summary" data-mismatches=mismatches.to_string()>
            <span>
                {format!(
                    "Compared with the pg_policies export {}: {} policies in the dump, {} in the export, {} ",
                    exports.join(", "),
                    rec.dump_policies,
                    rec.export_policies,
                    mismatches
                )}
                {if mismatches == 1 { "mismatch." } else { "mismatches." }}
            </span>
            {links}
            <select id="policy-status" on:change=on_status>
                <option value="" selected=move || status.get().is_none()>"every status"</option>
                {options}
            </select>
        </div>
    }
    .into_any()
}

/// One policy against the export: the fields that differ, and both sources.
#[component]
fn ReconciliationDetail(data: Arc<Data>, row: Arc<PolicyRow>) -> impl IntoView {
    let status = row.status.map(|s| s.label()).unwrap_or("not compared");
    let differences = (!row.differences.is_empty()).then(|| {
        let rows = row
            .differences
            .iter()
            .map(|d| view! { <tr><td>{d.field.clone()}</td><td class="mono">{d.dump.clone()}</td><td class="mono">{d.export.clone()}</td></tr> })
            .collect_view();
        view! {
            <table class="grid compact" id="policy-differences">
                <thead><tr><th>"Field"</th><th>"Dump"</th><th>"Export"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    let source = |span: Option<Span>, title: &'static str| span.map(|s| view! { <SourceView data=data.clone() span=s title=title /> });
    view! {
        <div class="recon-detail" id="reconciliation-detail">
            <h2><span class="mono">{format!("{} on {}", row.name, row.table)}</span>": "{status}</h2>
            {differences}
            {source(row.dump_span, "in the dump")}
            {source(row.export_span, "in the pg_policies export")}
        </div>
    }
}

#[component]
pub fn Functions() -> impl IntoView {
    list_page("Functions", |data: Arc<Data>| {
        let all: Arc<Vec<Arc<(String, Function)>>> =
            Arc::new(data.loaded.snapshot.functions.iter().map(|(k, f)| Arc::new((k.clone(), f.clone()))).collect());
        let total = all.len();
        let items =
            filtered(all, |(k, f): &(String, Function)| format!("{k} {} {}", f.language, f.returns.as_deref().unwrap_or("")), |_| true);
        let selected: Selected = RwSignal::new(None);
        let d = data.clone();
        view! {
            {toolbar("Filter functions…", Signal::derive(move || items.with(|v| v.len())), total)}
            <VirtualRows
                items=items
                id="function-list"
                columns="minmax(260px, 3fr) minmax(120px, 1fr) 100px 100px 100px minmax(110px, 1fr) 170px"
                headers=vec!["Function", "Returns", "Language", "Volatility", "Security", "search_path", "Source"]
                empty="No functions in this snapshot."
                row={move |_, kf: Arc<(String, Function)>| {
                    let (k, f) = (&kf.0, &kf.1);
                    let returns = match (&f.returns, f.returns_set) {
                        (Some(r), true) => format!("SETOF {r}"),
                        (Some(r), false) => r.clone(),
                        (None, _) => if f.is_procedure { "(procedure)".into() } else { String::new() },
                    };
                    let vol = match f.volatility.as_str() { "i" => "immutable", "s" => "stable", "v" => "volatile", _ => "" };
                    view! {
                        <div class="vcell mono strong" title=k.clone()>{k.clone()}</div>
                        <div class="vcell mono" title=returns.clone()>{returns.clone()}</div>
                        <div class="vcell">{f.language.clone()}</div>
                        <div class="vcell dim">{vol}</div>
                        <div class="vcell">{if f.security_definer { view! { <span class="badge warn">"definer"</span> }.into_any() } else { view! { <span class="dim">"invoker"</span> }.into_any() }}</div>
                        <div class="vcell mono dim">{f.search_path().unwrap_or("").to_string()}</div>
                        <div class="vcell">{loc_button(&d, selected, format!("function {k}"), f.span)}</div>
                    }
                }}
            />
            {selected_source(data, selected)}
        }
    })
}

#[component]
pub fn Views() -> impl IntoView {
    list_page("Views", |data: Arc<Data>| {
        let all: Arc<Vec<Arc<(String, View)>>> =
            Arc::new(data.loaded.snapshot.views.iter().map(|(k, v)| Arc::new((k.clone(), v.clone()))).collect());
        let total = all.len();
        let items = filtered(all, |(k, v): &(String, View)| format!("{k} {}", v.comment.as_deref().unwrap_or("")), |_| true);
        let selected: Selected = RwSignal::new(None);
        let d = data.clone();
        view! {
            {toolbar("Filter views…", Signal::derive(move || items.with(|v| v.len())), total)}
            <VirtualRows
                items=items
                id="view-list"
                columns="minmax(260px, 3fr) 120px 150px 90px minmax(120px, 2fr) 170px"
                headers=vec!["View", "Kind", "Security", "Columns", "Comment", "Source"]
                empty="No views in this snapshot."
                row={move |_, kv: Arc<(String, View)>| {
                    let (k, v) = (&kv.0, &kv.1);
                    let comment = v.comment.clone().unwrap_or_default();
                    view! {
                        <div class="vcell mono strong">{k.clone()}</div>
                        <div class="vcell">{if v.materialized { "materialized" } else { "view" }}</div>
                        <div class="vcell">{if v.security_invoker() { view! { <span class="badge ok">"invoker"</span> }.into_any() } else { view! { <span class="dim">"definer (default)"</span> }.into_any() }}</div>
                        <div class="vcell num">{v.columns.len().to_string()}</div>
                        <div class="vcell dim" title=comment.clone()>{comment.clone()}</div>
                        <div class="vcell">{loc_button(&d, selected, format!("view {k}"), v.span)}</div>
                    }
                }}
            />
            {selected_source(data, selected)}
        }
    })
}

#[component]
pub fn Extensions() -> impl IntoView {
    list_page("Extensions", |data: Arc<Data>| {
        let exts = &data.loaded.snapshot.extensions;
        if exts.is_empty() {
            return view! { <p class="empty">"No extensions in this snapshot."</p> }.into_any();
        }
        let rows = exts
            .values()
            .map(|e| {
                view! {
                    <tr>
                        <td class="mono strong">{e.name.clone()}</td>
                        <td class="mono">{e.schema.clone().unwrap_or_default()}</td>
                        <td class="mono">{e.version.clone().unwrap_or_default()}</td>
                        <td class="dim">{e.comment.clone().unwrap_or_default()}</td>
                        <td class="mono dim">{data.location(&e.span)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="grid" id="extension-list">
                <thead><tr><th>"Extension"</th><th>"Schema"</th><th>"Version"</th><th>"Comment"</th><th>"Source"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    })
}

#[component]
pub fn Unmodelled() -> impl IntoView {
    list_page("Unmodelled statements", |data: Arc<Data>| {
        let all: Arc<Vec<Arc<UnmodelledStmt>>> = Arc::new(data.loaded.snapshot.unmodelled.iter().cloned().map(Arc::new).collect());
        let total = all.len();
        let items = filtered(all, |u: &UnmodelledStmt| format!("{} {} {}", u.kind, u.reason, u.text), |_| true);
        let selected: Selected = RwSignal::new(None);
        let d = data.clone();
        view! {
            <p class="dim intro">"Statements that parsed but are not part of the model (yet). Every statement is accounted for: these are listed, not dropped."</p>
            {toolbar("Filter by kind, reason or text…", Signal::derive(move || items.with(|v| v.len())), total)}
            <VirtualRows
                items=items
                id="unmodelled-list"
                columns="200px 170px 150px 4fr"
                headers=vec!["Kind", "Location", "Reason", "Statement"]
                empty="No unmodelled statements."
                row={move |_, u: Arc<UnmodelledStmt>| {
                    let line = first_line(&u.text).to_string();
                    view! {
                        <div class="vcell mono">{u.kind.clone()}</div>
                        <div class="vcell">{loc_button(&d, selected, u.kind.clone(), u.span)}</div>
                        <div class="vcell dim">{u.reason.clone()}</div>
                        <div class="vcell mono" title=u.text.clone()>{line}</div>
                    }
                }}
            />
            {selected_source(data, selected)}
        }
    })
}
