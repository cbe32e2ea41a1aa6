//! Object lists: policies, functions, views, extensions, unmodelled statements. Each is
//! searchable; clicking a row's location shows its source lines below the list.

use crate::components::{SourceView, VirtualRows};
use crate::helpers::{first_line, Query, Route};
use crate::state::{use_state, Data};
use leptos::prelude::*;
use pglens_core::model::{Function, Policy, Span, Unmodelled as UnmodelledStmt, View};
use std::sync::Arc;

/// A page frame: title, then the body built from the snapshot (or the no-data message).
fn list_page<F, V>(title: &'static str, body: F) -> impl IntoView
where
    F: Fn(Arc<Data>) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let state = use_state();
    view! {
        <section class="page list-page">
            <h1>{title}</h1>
            {move || match state.data.get() {
                None => view! { <super::NoData /> }.into_any(),
                Some(d) => body(d).into_any(),
            }}
        </section>
    }
}

/// Filters `all` by the shared list query against each item's lowercase search text.
fn filtered<T: Send + Sync + 'static>(all: Arc<Vec<Arc<T>>>, text: impl Fn(&T) -> String) -> Memo<Arc<Vec<Arc<T>>>> {
    let state = use_state();
    let search: Vec<String> = all.iter().map(|x| text(x).to_lowercase()).collect();
    crate::state::arc_memo(move || {
        let q = Query::new(&state.list_query.get());
        if q.is_empty() {
            return all.clone();
        }
        Arc::new(all.iter().zip(search.iter()).filter(|(_, s)| q.matches(s)).map(|(x, _)| x.clone()).collect())
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
        let total = data.policies.len();
        let items = filtered(data.policies.clone(), |p: &Policy| {
            format!(
                "{} {} {:?} {} {}",
                p.table,
                p.name,
                p.command,
                p.roles.join(" "),
                p.using.as_ref().map(|e| e.text.as_str()).unwrap_or("")
            )
        });
        let selected: Selected = RwSignal::new(None);
        let d = data.clone();
        view! {
            {toolbar("Filter policies…", Signal::derive(move || items.with(|v| v.len())), total)}
            <VirtualRows
                items=items
                id="policy-list"
                columns="minmax(180px, 2fr) minmax(160px, 2fr) 96px 100px minmax(120px, 1fr) 3fr 170px"
                headers=vec!["Table", "Policy", "Command", "Type", "Roles", "USING / WITH CHECK", "Source"]
                empty="No policies in this snapshot."
                row={move |_, p: Arc<Policy>| {
                    let expr = match (&p.using, &p.with_check) {
                        (Some(u), Some(c)) => format!("USING {}  WITH CHECK {}", u.text, c.text),
                        (Some(u), None) => format!("USING {}", u.text),
                        (None, Some(c)) => format!("WITH CHECK {}", c.text),
                        (None, None) => String::new(),
                    };
                    view! {
                        <div class="vcell"><a class="mono" href=Route::Table(p.table.clone()).href()>{p.table.clone()}</a></div>
                        <div class="vcell mono strong">{p.name.clone()}</div>
                        <div class="vcell">{format!("{:?}", p.command).to_uppercase()}</div>
                        <div class="vcell dim">{if p.permissive { "permissive" } else { "restrictive" }}</div>
                        <div class="vcell mono">{p.roles.join(", ")}</div>
                        <div class="vcell mono" title=expr.clone()>{expr.clone()}</div>
                        <div class="vcell">{loc_button(&d, selected, format!("policy {} on {}", p.name, p.table), p.span)}</div>
                    }
                }}
            />
            {selected_source(data, selected)}
        }
    })
}

#[component]
pub fn Functions() -> impl IntoView {
    list_page("Functions", |data: Arc<Data>| {
        let all: Arc<Vec<Arc<(String, Function)>>> =
            Arc::new(data.loaded.snapshot.functions.iter().map(|(k, f)| Arc::new((k.clone(), f.clone()))).collect());
        let total = all.len();
        let items = filtered(all, |(k, f): &(String, Function)| format!("{k} {} {}", f.language, f.returns.as_deref().unwrap_or("")));
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
        let items = filtered(all, |(k, v): &(String, View)| format!("{k} {}", v.comment.as_deref().unwrap_or("")));
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
        let items = filtered(all, |u: &UnmodelledStmt| format!("{} {} {}", u.kind, u.reason, u.text));
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
