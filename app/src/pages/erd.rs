//! ER diagram page (`#/erd`, see [`crate::erd_view`]): the overview of every table grouped by
//! schema, one schema, a table's foreign-key neighbourhood, or the shortest path between two
//! tables; painted with RLS status, policy counts, worst findings and unindexed foreign keys;
//! exported as a standalone SVG or a PNG.
//!
//! The worker selects and lays out (the overview of GitLab's schema is the whole graph); this
//! thread only computes the overlay (lookups in the snapshot and the findings) and draws.

use crate::client;
use crate::components::erd_canvas::{Drawn, ErdCanvas};
use crate::download;
use crate::erd_view::{ErdMode, ErdView};
use crate::helpers::{Query, Route};
use crate::state::{arc_option_memo, now_ms, use_state, AppState, Data};
use leptos::prelude::*;
use pglens_core::erd::{self, Clustering, Detail, Overlay};
use std::collections::BTreeMap;
use std::sync::Arc;

#[component]
pub fn Erd() -> impl IntoView {
    super::data_page("ER diagram", "erd-page", |d| view! { <ErdBody data=d /> })
}

fn update(state: AppState, view: Memo<ErdView>, replace: bool, f: impl FnOnce(&mut ErdView)) {
    let mut v = view.get_untracked();
    f(&mut v);
    state.navigate(Route::Erd(v), replace);
}

/// A table key from what the reader typed: the exact key, else the first table whose name
/// matches the words.
fn resolve(data: &Data, q: &str) -> Option<String> {
    let q = q.trim();
    if data.loaded.snapshot.tables.contains_key(q) {
        return Some(q.to_string());
    }
    let query = Query::new(q);
    if query.is_empty() {
        return None;
    }
    data.table_search.iter().position(|s| query.matches(s)).map(|i| data.table_keys[i].clone())
}

#[component]
fn ErdBody(data: Arc<Data>) -> impl IntoView {
    let state = use_state();
    let view = Memo::new(move |prev: Option<&ErdView>| match &*state.route.read() {
        Route::Erd(v) => v.clone(),
        _ => prev.cloned().unwrap_or_default(),
    });
    Effect::new(move |_| client::ask_erd(state, view.get().request()));
    // The answer to this view's request (an older one stays on screen until it arrives).
    let answer = arc_option_memo(move || state.erd.with(|e| e.answer.clone()));
    let pending = Memo::new(move |_| state.erd.with(|e| e.asked.as_ref().map(|(id, _)| *id) != e.answer.as_ref().map(|a| a.id)));
    let drawn = {
        let data = data.clone();
        arc_option_memo(move || {
            let a = answer.get()?;
            let diagram = a.diagram.as_ref().ok()?;
            let t0 = now_ms();
            let overlay = state
                .findings
                .with(|f| Overlay::of(&data.loaded.snapshot, &diagram.graph, f.as_ref().map_or(&[][..], |f| &f.findings[..])));
            let focus = match &a.request.selection {
                erd::Selection::Neighbourhood { focus, .. } => Some(focus.clone()),
                _ => None,
            };
            let drawn = Drawn::new(diagram.clone(), overlay, focus);
            leptos::logging::log!(
                "pglens: ER diagram {:?}: {} tables, {} edges, {} crossings; worker {:.1} ms, answer after {:.1} ms, overlay {:.1} ms",
                a.request.selection,
                diagram.graph.nodes.len(),
                diagram.graph.edges.len(),
                diagram.layout.crossings,
                a.worker_ms,
                a.round_trip_ms,
                now_ms() - t0
            );
            Some(Arc::new(drawn))
        })
    };
    // The diagram on screen is this view's (for tests timing a view).
    let ready = move || !pending.get() && answer.with(|a| a.as_ref().is_some_and(|a| view.with(|v| v.request() == a.request)));
    let error = move || answer.with(|a| a.as_ref().and_then(|a| a.diagram.as_ref().err().cloned()));
    let stats = move || {
        answer.with(|a| {
            let a = a.as_ref()?;
            let d = a.diagram.as_ref().ok()?;
            Some(format!(
                "{} tables · {} foreign keys · {} crossings · laid out in {:.1} ms",
                d.graph.nodes.len(),
                d.graph.edges.len(),
                d.layout.crossings,
                a.worker_ms
            ))
        })
    };
    let open = Callback::new(move |key: String| state.navigate(Route::Table(key), false));
    let focus = Callback::new(move |key: String| update(state, view, false, |v| v.mode = ErdMode::Focus(key)));
    view! {
        <Toolbar data=data.clone() view=view />
        <div class="toolbar erd-status">
            <span class="dim" id="erd-stats" data-pending=move || pending.get().to_string() data-ready=move || ready().to_string()
                data-href=move || Route::Erd(view.get()).href()
                data-worker-ms=move || answer.with(|a| a.as_ref().map(|a| format!("{:.1}", a.worker_ms)))
                data-answer-ms=move || answer.with(|a| a.as_ref().map(|a| format!("{:.1}", a.round_trip_ms)))>
                {move || if pending.get() { Some("Laying out…".to_string()) } else { stats() }}
            </span>
            <Legend />
            <Export view=view drawn=drawn />
        </div>
        {move || error().map(|e| view! { <p class="banner error" id="erd-missing">{e}</p> })}
        <div class="erd-canvas">
            <ErdCanvas drawn=drawn open=open focus=focus />
            <p class="dim small erd-help">"Drag to pan, wheel to zoom. Click a table to open its page, ◎ to centre the diagram on it."</p>
        </div>
    }
}

#[component]
fn Toolbar(data: Arc<Data>, view: Memo<ErdView>) -> impl IntoView {
    let state = use_state();
    let mode_button = |id: &'static str, label: &'static str, is: fn(&ErdMode) -> bool, on: Callback<()>| {
        view! {
            <button class="seg" id=id class:active=move || view.with(|v| is(&v.mode)) on:click=move |_| on.run(())>{label}</button>
        }
    };
    // Schemas by table count (partitions folded, as drawn), most tables first.
    let schemas: Vec<(String, usize)> = {
        let mut count = BTreeMap::<&str, usize>::new();
        for t in data.loaded.snapshot.tables.values().filter(|t| t.partition_of.is_none()) {
            *count.entry(t.schema.as_str()).or_default() += 1;
        }
        let mut v: Vec<_> = count.into_iter().map(|(s, n)| (s.to_string(), n)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    };
    let first_schema = schemas.first().map(|s| s.0.clone()).unwrap_or_default();
    let to_overview = Callback::new(move |_| update(state, view, false, |v| v.mode = ErdMode::Overview));
    let to_schema = Callback::new(move |_| {
        let s = view.with_untracked(|v| match &v.mode {
            ErdMode::Focus(k) | ErdMode::Path(k, _) => k.split_once('.').map(|(s, _)| s.to_string()),
            ErdMode::Schema(s) => Some(s.clone()),
            ErdMode::Overview => None,
        });
        let s = s.unwrap_or_else(|| first_schema.clone());
        update(state, view, false, |v| v.mode = ErdMode::Schema(s));
    });
    let schema_options = schemas.iter().map(|(s, n)| view! { <option value=s.clone()>{format!("{s} ({n})")}</option> }).collect_view();
    let schema_value = move || view.with(|v| if let ErdMode::Schema(s) = &v.mode { s.clone() } else { String::new() });
    let hop_buttons = (1..=ErdView::MAX_HOPS)
        .map(|h| {
            view! {
                <button class="seg" id=format!("erd-hops-{h}") class:active=move || view.with(|v| v.hops == h)
                    on:click=move |_| update(state, view, true, |v| v.hops = h)>{h.to_string()}</button>
            }
        })
        .collect_view();
    let detail_buttons = [(Detail::Name, "Names"), (Detail::Keys, "Keys"), (Detail::All, "All columns")]
        .into_iter()
        .map(|(d, label)| {
            let shown = move || view.with(|v| v.detail.unwrap_or_else(|| v.request().selection.default_detail()));
            view! {
                <button class="seg" id=format!("erd-detail-{}", crate::erd_view::detail_name(d)) class:active=move || shown() == d
                    on:click=move |_| update(state, view, true, |v| v.detail = Some(d))>{label}</button>
            }
        })
        .collect_view();
    let group_buttons = [(Clustering::Schema, "Schema"), (Clustering::Components, "Connected tables")]
        .into_iter()
        .map(|(g, label)| {
            let shown = move || view.with(|v| v.group.unwrap_or_else(|| v.request().selection.clustering()));
            view! {
                <button class="seg" id=format!("erd-group-{}", crate::erd_view::group_name(g)) class:active=move || shown() == g
                    title="How the drawing's blocks are grouped" on:click=move |_| update(state, view, true, |v| v.group = Some(g))>{label}</button>
            }
        })
        .collect_view();
    let options = data.table_keys.iter().map(|k| view! { <option value=k.clone()></option> }).collect_view();
    view! {
        <div class="toolbar erd-toolbar">
            <span class="segmented" id="erd-modes">
                {mode_button("erd-mode-overview", "Overview", |m| matches!(m, ErdMode::Overview), to_overview)}
                {mode_button("erd-mode-schema", "Schema", |m| matches!(m, ErdMode::Schema(_)), to_schema)}
            </span>
            <select id="erd-schema" title="Schema" prop:value=schema_value
                on:change=move |ev| {
                    let s = event_target_value(&ev);
                    if !s.is_empty() { update(state, view, false, |v| v.mode = ErdMode::Schema(s)) }
                }>
                <option value="">"Schema…"</option>
                {schema_options}
            </select>
            <TablePicker data=data.clone() id="erd-search" placeholder="Focus on a table…"
                on_pick=Callback::new(move |k: String| update(state, view, false, |v| v.mode = ErdMode::Focus(k))) />
            <datalist id="erd-tables">{options}</datalist>
            {move || view.with(|v| v.focus().is_some()).then(|| view! {
                <span class="dim">"Hops:"</span>
                <span class="segmented" id="erd-hops">{hop_buttons.clone()}</span>
            })}
            {move || view.with(|v| v.focus().map(str::to_string)).map(|k| view! {
                <a class="mono" id="erd-table-link" href=Route::Table(k.clone()).href() title="Open the table's page">{format!("{k} ↗")}</a>
            })}
            <span class="dim">"Detail:"</span>
            <span class="segmented" id="erd-detail">{detail_buttons}</span>
            <span class="dim">"Group:"</span>
            <span class="segmented" id="erd-group">{group_buttons}</span>
        </div>
        <PathFinder data=data view=view />
    }
}

/// A search box over table names (with the page's datalist); Enter or picking from the list
/// resolves what was typed to a table.
#[component]
fn TablePicker(data: Arc<Data>, id: &'static str, placeholder: &'static str, on_pick: Callback<String>) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let pick = move || {
        if let Some(k) = resolve(&data, &query.get_untracked()) {
            query.set(String::new());
            on_pick.run(k);
        }
    };
    let pick_enter = pick.clone();
    view! {
        <input class="search narrow" id=id type="search" list="erd-tables" placeholder=placeholder
            prop:value=move || query.get()
            on:input=move |ev| query.set(event_target_value(&ev))
            on:change=move |_| pick()
            on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { pick_enter() } />
    }
}

/// Two tables and the shortest foreign-key path between them.
#[component]
fn PathFinder(data: Arc<Data>, view: Memo<ErdView>) -> impl IntoView {
    let state = use_state();
    let (from, to) = view.with_untracked(|v| match &v.mode {
        ErdMode::Path(a, b) => (a.clone(), b.clone()),
        ErdMode::Focus(k) => (k.clone(), String::new()),
        _ => (String::new(), String::new()),
    });
    let (from, to) = (RwSignal::new(from), RwSignal::new(to));
    let problem = RwSignal::new(None::<String>);
    let find = move || {
        let ends = [from.get_untracked(), to.get_untracked()].map(|q| (resolve(&data, &q), q));
        match ends {
            [(Some(a), _), (Some(b), _)] => {
                problem.set(None);
                from.set(a.clone());
                to.set(b.clone());
                update(state, view, false, |v| v.mode = ErdMode::Path(a, b));
            }
            [(None, q), _] | [_, (None, q)] => {
                problem.set(Some(if q.trim().is_empty() { "Name both tables.".into() } else { format!("No table matches “{q}”.") }))
            }
        }
    };
    let find_enter = find.clone();
    let input = move |id: &'static str, placeholder: &'static str, value: RwSignal<String>| {
        view! {
            <input class="search narrow" id=id type="search" list="erd-tables" placeholder=placeholder
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        }
    };
    view! {
        <div class="toolbar erd-path" on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { find_enter() }>
            <span class="dim">"Path:"</span>
            {input("erd-path-from", "from table…", from)}
            <span class="dim">"→"</span>
            {input("erd-path-to", "to table…", to)}
            <button id="erd-path-find" on:click=move |_| find()>"Find path"</button>
            {move || problem.get().map(|p| view! { <span class="error-text" id="erd-path-problem">{p}</span> })}
        </div>
    }
}

/// What the colours and marks mean.
#[component]
fn Legend() -> impl IntoView {
    view! {
        <span class="erd-legend-html" id="erd-legend">
            <span class="swatch rls-off" title="Row level security off">"RLS off"</span>
            <span class="swatch rls-on" title="Row level security on">"RLS on"</span>
            <span class="swatch rls-forced" title="Row level security on and forced (the owner too)">"forced"</span>
            <span class="line unindexed" title="No index leads with the foreign key's columns">"unindexed FK"</span>
            <span class="pill p0">"P0"</span><span class="pill p1">"P1"</span><span class="pill p2">"P2"</span>
            <span class="dim">"worst finding · n pol = policies"</span>
        </span>
    }
}

/// Export buttons: the diagram on screen as a standalone SVG, or as a PNG drawn from it.
#[component]
fn Export(view: Memo<ErdView>, drawn: Memo<Option<Arc<Drawn>>>) -> impl IntoView {
    let status = RwSignal::new(None::<String>);
    let svg_text = move || {
        drawn.with_untracked(|d| {
            let d = d.as_ref()?;
            let title = format!("pglens ER diagram: {}", view.with_untracked(ErdView::describe));
            let options = erd::svg::SvgOptions { title: &title, focus: d.focus.as_deref(), legend: true };
            let text = erd::svg::render(&d.diagram.graph, &d.diagram.layout, &d.diagram.options, Some(&d.overlay), &options);
            let size = svg_size(&text);
            Some((text, size))
        })
    };
    let save_svg = move |_| {
        let Some((text, _)) = svg_text() else { return };
        let name = format!("{}.svg", view.with_untracked(ErdView::file_stem));
        status.set(download::save_text(&name, "image/svg+xml", &text).err());
    };
    let save_png = move |_| {
        let Some((text, (w, h))) = svg_text() else { return };
        let name = format!("{}.png", view.with_untracked(ErdView::file_stem));
        status.set(Some("Drawing the PNG…".into()));
        download::save_svg_as_png(name, &text, w, h, move |r| status.set(r.err()));
    };
    view! {
        <span class="erd-export">
            <button id="erd-export-svg" disabled=move || drawn.with(Option::is_none) on:click=save_svg>"Export SVG"</button>
            <button id="erd-export-png" disabled=move || drawn.with(Option::is_none) on:click=save_png>"Export PNG"</button>
            {move || status.get().map(|s| view! { <span class="dim small" id="erd-export-status">{s}</span> })}
        </span>
    }
}

/// The width and height attributes of a standalone SVG's root element (what `erd::svg::render`
/// sized the file to), for the PNG's canvas.
fn svg_size(svg: &str) -> (f64, f64) {
    let root = svg.split_once("<svg").map_or("", |(_, r)| r.split_once('>').map_or(r, |(a, _)| a));
    let attr = |name: &str| {
        root.split_once(&format!(" {name}=\""))
            .and_then(|(_, r)| r.split_once('"'))
            .and_then(|(v, _)| v.parse::<f64>().ok())
            .unwrap_or(800.0)
    };
    (attr("width"), attr("height"))
}
