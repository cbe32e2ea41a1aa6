//! ER diagram: one table and its foreign-key neighbours up to N hops
//! (`#/erd?focus=public.tasks&hops=2`), drawn as SVG built from view elements (every text from
//! the dump is a text node, never markup). The graph and layout are the core's (`erd`); the
//! neighbourhood is computed on this thread.
//!
//! TODO(issue 6): the schema and overview views (the overview must be laid out in the worker, it
//! is the whole snapshot), find path, overlays (RLS, unindexed FKs, findings), SVG/PNG export.

use crate::helpers::{ErdView, Query, Route};
use crate::state::{arc_option_memo, now_ms, use_state, AppState, Data};
use leptos::prelude::*;
use pglens_core::erd::{self, Detail, Graph, Layout, LayoutOptions};
use std::sync::Arc;
use wasm_bindgen::JsCast;

// Leptos is built without event delegation, so `on:wheel` is a listener on the SVG element itself,
// which browsers do not make passive: `prevent_default` stops the page from scrolling.

/// Margin around the drawing in the initial view, in drawing units.
const MARGIN: f64 = 24.0;

/// A laid-out neighbourhood.
struct Diagram {
    graph: Graph,
    layout: Layout,
    options: LayoutOptions,
    focus: String,
    hops: Vec<Option<u32>>,
    compute_ms: f64,
}

/// The SVG viewBox: x, y, width, height in drawing units.
#[derive(Clone, Copy, Debug, PartialEq)]
struct ViewBox {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

impl ViewBox {
    /// The box that shows a `width` × `height` drawing whole and centred in an element of
    /// `el_w` × `el_h` pixels, with the element's aspect (so pixels map to units the same way on
    /// both axes and pan / zoom arithmetic stays simple). Never larger than 1 unit per pixel
    /// would need (small diagrams are not blown up).
    fn fit(width: f64, height: f64, el_w: f64, el_h: f64) -> ViewBox {
        let (w, h) = (width + 2.0 * MARGIN, height + 2.0 * MARGIN);
        let (el_w, el_h) = (el_w.max(1.0), el_h.max(1.0));
        let s = (w / el_w).max(h / el_h).max(1.0);
        let (vw, vh) = (el_w * s, el_h * s);
        ViewBox { x: -MARGIN - (vw - w) / 2.0, y: -MARGIN - (vh - h) / 2.0, w: vw, h: vh }
    }

    fn attr(&self) -> String {
        format!("{:.1} {:.1} {:.1} {:.1}", self.x, self.y, self.w, self.h)
    }
}

#[component]
pub fn Erd() -> impl IntoView {
    super::data_page("ER diagram", "erd-page", |d| view! { <ErdBody data=d /> })
}

fn update(state: AppState, view: Memo<ErdView>, replace: bool, f: impl FnOnce(&mut ErdView)) {
    let mut v = view.get_untracked();
    f(&mut v);
    state.navigate(Route::Erd(v), replace);
}

#[component]
fn ErdBody(data: Arc<Data>) -> impl IntoView {
    let state = use_state();
    let view = Memo::new(move |prev: Option<&ErdView>| match &*state.route.read() {
        Route::Erd(v) => v.clone(),
        _ => prev.cloned().unwrap_or_default(),
    });
    let diagram = arc_option_memo(move || {
        let (focus, hops) = view.with(|v| (v.focus.clone(), v.hops));
        let focus = focus?;
        let g = state.erd_graph.get()?;
        let t0 = now_ms();
        let graph = erd::neighbourhood(&g, &focus, hops)?;
        let options = LayoutOptions::for_detail(Detail::Keys);
        let layout = erd::layout(&graph, &options);
        let hop_of = erd::hop_distances(&graph, &focus);
        let ms = now_ms() - t0;
        leptos::logging::log!(
            "pglens: ER neighbourhood of {focus} ({hops} hops): {} tables, {} edges, {} crossings, laid out in {ms:.1} ms",
            graph.nodes.len(),
            graph.edges.len(),
            layout.crossings
        );
        Some(Arc::new(Diagram { graph, layout, options, focus, hops: hop_of, compute_ms: ms }))
    });
    let missing = move || view.with(|v| v.focus.clone()).filter(|_| diagram.with(Option::is_none));
    view! {
        <Toolbar data=data view=view diagram=diagram />
        {move || missing().map(|k| view! { <p class="banner error" id="erd-missing">{format!("No table {k} in this snapshot.")}</p> })}
        {move || view.with(|v| v.focus.is_none()).then(|| view! {
            <p class="empty" id="erd-pick">"Pick a table in the search box (or open a table's page and follow “ER diagram”)."</p>
        })}
        <Canvas view=view diagram=diagram />
    }
}

#[component]
fn Toolbar(data: Arc<Data>, view: Memo<ErdView>, diagram: Memo<Option<Arc<Diagram>>>) -> impl IntoView {
    let state = use_state();
    let query = RwSignal::new(String::new());
    let keys = data.table_keys.clone();
    // Enter (or picking from the list): an exact key, else the first table whose name matches.
    let pick = {
        let data = data.clone();
        move || {
            let q = query.get_untracked();
            let key = if data.loaded.snapshot.tables.contains_key(q.trim()) {
                Some(q.trim().to_string())
            } else {
                let query = Query::new(&q);
                (!query.is_empty()).then(|| data.table_search.iter().position(|s| query.matches(s)).map(|i| data.table_keys[i].clone())).flatten()
            };
            if let Some(k) = key {
                query.set(String::new());
                update(state, view, false, |v| v.focus = Some(k));
            }
        }
    };
    let pick_enter = pick.clone();
    let options = keys.iter().map(|k| view! { <option value=k.clone()></option> }).collect_view();
    let hop_buttons = (1..=ErdView::MAX_HOPS)
        .map(|h| {
            view! {
                <button class="seg" id=format!("erd-hops-{h}") class:active=move || view.with(|v| v.hops == h)
                    on:click=move |_| update(state, view, true, |v| v.hops = h)>{h.to_string()}</button>
            }
        })
        .collect_view();
    let stats = move || {
        diagram.with(|d| {
            d.as_ref().map(|d| {
                format!(
                    "{} tables · {} foreign keys · {} crossings · laid out in {:.1} ms",
                    d.graph.nodes.len(),
                    d.graph.edges.len(),
                    d.layout.crossings,
                    d.compute_ms
                )
            })
        })
    };
    view! {
        <div class="toolbar erd-toolbar">
            <input class="search narrow" id="erd-search" type="search" list="erd-tables" placeholder="Focus on a table…"
                prop:value=move || query.get()
                on:input=move |ev| query.set(event_target_value(&ev))
                on:change=move |_| pick()
                on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { pick_enter() } />
            <datalist id="erd-tables">{options}</datalist>
            <span class="dim">"Hops:"</span>
            <span class="segmented" id="erd-hops">{hop_buttons}</span>
            {move || view.with(|v| v.focus.clone()).map(|k| view! {
                <a class="mono" id="erd-table-link" href=Route::Table(k.clone()).href() title="Open the table's page">{format!("{k} ↗")}</a>
            })}
            <span class="dim" id="erd-stats">{stats}</span>
        </div>
    }
}

#[component]
fn Canvas(view: Memo<ErdView>, diagram: Memo<Option<Arc<Diagram>>>) -> impl IntoView {
    let state = use_state();
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let vb = RwSignal::new(ViewBox { x: 0.0, y: 0.0, w: 100.0, h: 100.0 });
    // Pointer down: where, and the view box then; `moved` once it went further than a click.
    let drag = StoredValue::new(None::<(f64, f64, ViewBox)>);
    let moved = StoredValue::new(false);
    let el_size = move || {
        svg_ref.get_untracked().map(|el| {
            let r = el.unchecked_ref::<web_sys::Element>().get_bounding_client_rect();
            (r.width(), r.height())
        })
    };
    // A new diagram is shown whole.
    Effect::new(move |_| {
        let size = diagram.with(|d| d.as_ref().map(|d| (d.layout.width, d.layout.height)));
        if let (Some((w, h)), Some(_)) = (size, svg_ref.get()) {
            let (ew, eh) = el_size().unwrap_or((800.0, 600.0));
            vb.set(ViewBox::fit(w, h, ew, eh));
        }
    });
    let on_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        drag.set_value(Some((ev.client_x() as f64, ev.client_y() as f64, vb.get_untracked())));
        moved.set_value(false);
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let Some((x0, y0, start)) = drag.get_value() else { return };
        let (dx, dy) = (ev.client_x() as f64 - x0, ev.client_y() as f64 - y0);
        if dx.abs() + dy.abs() > 3.0 {
            moved.set_value(true);
        }
        if moved.get_value() {
            let (ew, _) = el_size().unwrap_or((start.w, start.h));
            let s = start.w / ew.max(1.0);
            vb.set(ViewBox { x: start.x - dx * s, y: start.y - dy * s, ..start });
        }
    };
    let on_up = move |_: web_sys::PointerEvent| drag.set_value(None);
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let Some(el) = svg_ref.get_untracked() else { return };
        let r = el.unchecked_ref::<web_sys::Element>().get_bounding_client_rect();
        let (fx, fy) = ((ev.client_x() as f64 - r.left()) / r.width().max(1.0), (ev.client_y() as f64 - r.top()) / r.height().max(1.0));
        // Lines or pages of scroll count as about 40 px.
        let dy = if ev.delta_mode() == 0 { ev.delta_y() } else { ev.delta_y() * 40.0 };
        let k = (dy * 0.0015).exp().clamp(0.5, 2.0);
        vb.update(|v| {
            let (px, py) = (v.x + fx * v.w, v.y + fy * v.h);
            let (w, h) = (v.w * k, v.h * k);
            if (20.0..=200_000.0).contains(&w) {
                *v = ViewBox { x: px - fx * w, y: py - fy * h, w, h };
            }
        });
    };
    let refocus = Callback::new(move |key: String| {
        if !moved.get_value() {
            update(state, view, false, |v| v.focus = Some(key));
        }
    });
    let open = Callback::new(move |key: String| {
        if !moved.get_value() {
            state.navigate(Route::Table(key), false);
        }
    });
    view! {
        <div class="erd-canvas">
            <svg node_ref=svg_ref id="erd-svg" xmlns="http://www.w3.org/2000/svg" viewBox=move || vb.get().attr()
                on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up on:pointerleave=on_up
                on:wheel=on_wheel>
                {move || diagram.get().map(|d| view! { <Drawing diagram=d refocus=refocus open=open /> })}
            </svg>
            <p class="dim small erd-help">"Drag to pan, wheel to zoom. Click a table to centre on it, ↗ opens its page."</p>
        </div>
    }
}

#[component]
fn Drawing(diagram: Arc<Diagram>, refocus: Callback<String>, open: Callback<String>) -> impl IntoView {
    let o = diagram.options;
    let rh = o.row_height;
    let edges = diagram
        .layout
        .edges
        .iter()
        .zip(&diagram.graph.edges)
        .map(|(p, e)| {
            let points = p.points.iter().map(|[x, y]| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
            let end = p.points.last().copied().unwrap_or([0.0, 0.0]);
            view! {
                <g class="erd-edge" class:straight=p.straight class:self-ref=e.self_reference>
                    <polyline points=points />
                    <circle cx=format!("{:.1}", end[0]) cy=format!("{:.1}", end[1]) r="3" />
                </g>
            }
        })
        .collect_view();
    let boxes = diagram
        .layout
        .nodes
        .iter()
        .zip(&diagram.graph.nodes)
        .zip(&diagram.hops)
        .map(|((b, n), hop)| {
            let is_focus = n.key == diagram.focus;
            let rows = n
                .rows(o.detail)
                .enumerate()
                .map(|(i, r)| {
                    let y = rh * (1.0 + i as f64) + rh * 0.7;
                    view! {
                        <text class="erd-row" class:pk=r.primary_key class:fk={r.foreign_key && !r.primary_key}
                            x=format!("{:.1}", o.box_padding) y=format!("{y:.1}")>{r.text()}</text>
                    }
                })
                .collect_view();
            let (k1, k2) = (n.key.clone(), n.key.clone());
            view! {
                <g class="erd-box" class:focus=is_focus data-key=n.key.clone() data-hop=hop.map(|h| h.to_string()).unwrap_or_default()
                    transform=format!("translate({:.1},{:.1})", b.x, b.y)
                    on:click=move |_| refocus.run(k1.clone())>
                    <rect class="erd-body" width=format!("{:.1}", b.width) height=format!("{:.1}", b.height) rx="3" />
                    <rect class="erd-head" width=format!("{:.1}", b.width) height=format!("{rh:.1}") rx="3" />
                    <text class="erd-header" x=format!("{:.1}", o.box_padding) y=format!("{:.1}", rh * 0.7)>{n.header_text()}</text>
                    <text class="erd-open" x=format!("{:.1}", b.width + 3.0) y=format!("{:.1}", rh * 0.7)
                        on:click=move |ev| { ev.stop_propagation(); open.run(k2.clone()) }>"↗"</text>
                    {rows}
                </g>
            }
        })
        .collect_view();
    view! {
        <g class="erd-edges">{edges}</g>
        <g class="erd-boxes">{boxes}</g>
    }
}
