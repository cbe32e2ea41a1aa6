//! Access: who can SELECT / INSERT / UPDATE / DELETE what (and EXECUTE which function), per
//! role, under explicit assumptions. The matrix is the core's (`access::matrix`), computed in
//! the page's thread: it is pure Rust over the snapshot, no parser. Every filter and the open cell
//! live in the hash (`#/access?schema=public&role=anon&q=user&as=anon&on=public.users&cmd=SELECT`).

use crate::access_data::{toggle_role, AccessData};
use crate::components::access_grid::{AccessGrid, Legend};
use crate::components::assumptions_editor::AssumptionsEditor;
use crate::components::cell_detail::CellDetail;
use crate::helpers::{AccessView, CellRef, Route};
use crate::state::{use_state, AppState, Data};
use leptos::prelude::*;
use pglens_core::access;
use std::sync::Arc;

#[component]
pub fn Access() -> impl IntoView {
    super::data_page("Access matrix", "list-page access-page", |d| view! { <AccessBody data=d /> })
}

/// Changes the access view in the hash: filters replace the history entry, opening or closing a
/// cell adds one (so Back closes the drill-down).
fn update(state: AppState, view: Memo<AccessView>, replace: bool, f: impl FnOnce(&mut AccessView)) {
    let mut v = view.get_untracked();
    f(&mut v);
    state.navigate(Route::Access(v), replace);
}

#[component]
fn AccessBody(data: Arc<Data>) -> impl IntoView {
    let state = use_state();
    // Keeps the last access view while the route moves to another page (until unmounted).
    let view = Memo::new(move |prev: Option<&AccessView>| match &*state.route.read() {
        Route::Access(v) => v.clone(),
        _ => prev.cloned().unwrap_or_default(),
    });
    let selected = Memo::new(move |_| view.with(|v| v.cell.clone()));
    let open = Callback::new(move |c: CellRef| update(state, view, false, |v| v.cell = Some(c)));
    let close = Callback::new(move |()| update(state, view, false, |v| v.cell = None));
    let explanation = {
        let data = data.clone();
        Memo::new(move |_| {
            let c = selected.get()?;
            let a = state.assumptions.get();
            access::explain(&data.loaded.snapshot, &a, &c.role, &c.relation, c.command).map(Arc::new)
        })
    };
    let detail_data = data.clone();
    // The drawer takes the right of the page: the matrix narrows (and scrolls sideways) beside it
    // instead of hiding under it.
    view! {
        <div class="access-body" class:drawer-open=move || explanation.with(Option::is_some)>
            <AssumptionsEditor />
            {move || state.access.get().map(|a| view! { <Matrix access=a view=view open=open selected=selected /> })}
        </div>
        {move || explanation.get().map(|e| view! { <CellDetail data=detail_data.clone() explanation=e on_close=close /> })}
        {move || {
            // A deep link to a cell that is not in this snapshot: say so instead of showing nothing.
            let missing = selected.get().is_some() && explanation.with(|e| e.is_none());
            missing.then(|| view! { <p class="banner error" id="cell-missing">"The cell in the link is not in this snapshot."</p> })
        }}
    }
}

#[component]
fn Matrix(access: Arc<AccessData>, view: Memo<AccessView>, open: Callback<CellRef>, selected: Memo<Option<CellRef>>) -> impl IntoView {
    let state = use_state();
    let m = &access.matrix;
    let stats = format!(
        "{} relations and {} functions × {} roles · computed in {:.1} ms under the “{}” assumptions",
        m.relations.len(),
        m.functions.len(),
        m.roles.len(),
        access.compute_ms,
        state.assumptions.with_untracked(|a| a.preset.clone())
    );
    // The grid is rebuilt only when its columns change; the other filters change its rows.
    let columns = Memo::new(move |_| view.with(|v| (v.functions, v.roles.clone())));
    let grid_access = access.clone();
    view! {
        <p class="dim intro" id="access-stats" data-compute-ms=format!("{:.1}", access.compute_ms)>{stats}</p>
        <Filters access=access.clone() view=view />
        <Legend />
        // `with`, not `track`: a memo nobody has read yet is not subscribed to its sources.
        {move || columns.with(|_| view! { <AccessGrid access=grid_access.clone() view=view open=open selected=selected /> })}
    }
}

#[component]
fn Filters(access: Arc<AccessData>, view: Memo<AccessView>) -> impl IntoView {
    let state = use_state();
    let set = move |f: Box<dyn FnOnce(&mut AccessView)>| update(state, view, true, f);
    let schema_options = access
        .schemas
        .iter()
        .map(|s| {
            let (value, label) = (s.clone(), s.clone());
            let chosen = s.clone();
            view! { <option value=value selected=move || view.with(|v| v.schema.as_deref() == Some(chosen.as_str()))>{label}</option> }
        })
        .collect_view();
    let role_boxes = access
        .matrix
        .roles
        .iter()
        .map(|r| {
            let (role, label) = (r.clone(), r.clone());
            let checked_role = r.clone();
            let checked = move || view.with(|v| v.roles.is_empty() || v.roles.contains(&checked_role));
            let all_roles = access.matrix.roles.clone();
            let toggle = move |_| {
                let (role, all_roles) = (role.clone(), all_roles.clone());
                set(Box::new(move |v| v.roles = toggle_role(&v.roles, &all_roles, &role)));
            };
            let title = if r == "public" { "public: any role, through the grants to PUBLIC only".to_string() } else { r.clone() };
            view! {
                <label class="role-box" title=title>
                    <input type="checkbox" prop:checked=checked on:change=toggle />
                    <span class="mono">{label}</span>
                </label>
            }
        })
        .collect_view();
    let total = access.matrix.relations.len();
    let total_fns = access.matrix.functions.len();
    let count_access = access.clone();
    let shown = Memo::new(move |_| view.with(|v| count_access.row_indexes(v).len()));
    let tab = move |functions: bool, label: &'static str, id: &'static str| {
        view! {
            <button class="seg" id=id class:active=move || view.with(|v| v.functions == functions)
                on:click=move |_| set(Box::new(move |v| { v.functions = functions; v.cell = None; }))>{label}</button>
        }
    };
    view! {
        <div class="toolbar access-filters">
            <span class="segmented">{tab(false, "Relations", "show-relations")}{tab(true, "Functions (EXECUTE)", "show-functions")}</span>
            <select id="access-schema" on:change=move |ev| {
                let s = event_target_value(&ev);
                set(Box::new(move |v| v.schema = (!s.is_empty()).then_some(s)));
            }>
                <option value="" selected=move || view.with(|v| v.schema.is_none())>"All schemas"</option>
                {schema_options}
            </select>
            <input class="search narrow" id="access-search" type="search" placeholder="Search by name…"
                prop:value=move || view.with(|v| v.q.clone())
                on:input=move |ev| { let q = event_target_value(&ev); set(Box::new(move |v| v.q = q)); } />
            <label class="check" class:hidden=move || view.with(|v| v.functions) title="Only tables with row level security enabled">
                <input type="checkbox" id="access-rls-only" prop:checked=move || view.with(|v| v.rls_only)
                    on:change=move |ev| { let on = event_target_checked(&ev); set(Box::new(move |v| v.rls_only = on)); } />
                "RLS only"
            </label>
            <label class="check" title="Only rows where a shown role can SELECT every row (for functions: may EXECUTE)">
                <input type="checkbox" id="access-all-rows" prop:checked=move || view.with(|v| v.all_rows_only)
                    on:change=move |ev| { let on = event_target_checked(&ev); set(Box::new(move |v| v.all_rows_only = on)); } />
                "readable in full"
            </label>
            <span class="dim" id="access-count">
                {move || format!("{} of {}", shown.get(), if view.with(|v| v.functions) { total_fns } else { total })}
            </span>
        </div>
        <div class="roles-filter" id="access-roles">
            <span class="dim">"Roles:"</span>
            {role_boxes}
            <button class="link small" on:click=move |_| set(Box::new(|v| v.roles.clear()))>"all"</button>
        </div>
    }
}
