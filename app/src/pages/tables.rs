//! Tables: a searchable, virtualized list (stays smooth with thousands of tables).

use crate::components::VirtualRows;
use crate::helpers::{filter_indexes, Query, Route};
use crate::state::{use_state, Data};
use leptos::prelude::*;
use pglens_core::model::{Table, TableKind};
use std::sync::Arc;

#[component]
pub fn Tables() -> impl IntoView {
    super::data_page("Tables", "list-page", |d| view! { <TableList data=d /> })
}

pub fn kind_label(t: &Table) -> &'static str {
    if t.partition_of.is_some() {
        return "partition";
    }
    match t.kind {
        TableKind::Ordinary => "table",
        TableKind::Partitioned => "partitioned",
        TableKind::Foreign => "foreign",
    }
}

#[component]
fn TableList(data: Arc<Data>) -> impl IntoView {
    let state = use_state();
    let total = data.table_keys.len();
    let filtered = crate::state::arc_memo({
        let data = data.clone();
        move || {
            let q = Query::new(&state.table_query.get());
            if q.is_empty() {
                return data.table_keys.clone();
            }
            let idx = filter_indexes(data.table_search.iter().map(|s| s.as_str()), &q);
            Arc::new(idx.into_iter().map(|i| data.table_keys[i].clone()).collect::<Vec<_>>())
        }
    });
    let row_data = data.clone();
    view! {
        <div class="toolbar">
            <input class="search" id="table-search" type="search" placeholder="Search tables (schema.name, comment)…" autofocus=true
                prop:value=move || state.table_query.get()
                on:input=move |ev| state.table_query.set(event_target_value(&ev)) />
            <span class="dim" id="table-count">{move || format!("{} of {} tables", filtered.with(|v| v.len()), total)}</span>
        </div>
        <VirtualRows
            items=filtered
            id="table-list"
            columns="minmax(320px, 5fr) 100px 84px 104px 84px 80px 56px minmax(120px, 2fr)"
            headers=vec!["Table", "Kind", "Columns", "Constraints", "Indexes", "Policies", "RLS", "Comment"]
            empty="No tables match."
            row={move |_, key: String| {
                let Some(t) = row_data.loaded.snapshot.tables.get(&key) else {
                    return view! { <div class="vcell">{key}</div> }.into_any();
                };
                let href = Route::Table(key.clone()).href();
                let comment = t.comment.clone().unwrap_or_default();
                view! {
                    <div class="vcell" title=key.clone()><a class="mono" href=href>{key.clone()}</a></div>
                    <div class="vcell dim">{kind_label(t)}</div>
                    <div class="vcell num">{t.columns.len().to_string()}</div>
                    <div class="vcell num">{t.constraints.len().to_string()}</div>
                    <div class="vcell num">{t.indexes.len().to_string()}</div>
                    <div class="vcell num">{t.policies.len().to_string()}</div>
                    <div class="vcell">{if t.rls_enabled { view! { <span class="badge ok">"on"</span> }.into_any() } else { view! { <span class="dim">"off"</span> }.into_any() }}</div>
                    <div class="vcell dim" title=comment.clone()>{comment.clone()}</div>
                }
                .into_any()
            }}
        />
    }
}
