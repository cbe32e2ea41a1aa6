//! The ER diagram's SVG: boxes and foreign-key lines from the worker's layout, painted with the
//! health overlay, with drag to pan and wheel to zoom.
//!
//! Built from view elements with the same classes and geometry as the core's standalone export
//! (`erd::svg`), and styled by the same stylesheet (`core/src/erd/diagram.css`), so an exported
//! file looks like the screen. Every text from the dump is a text node.
//!
//! Staying smooth at GitLab's size (about 1,000 boxes and 1,700 lines): only boxes and lines in a
//! cull window around the view are in the DOM, and the window moves only when the view leaves it
//! (`erd_geometry::cull_window`), so a pan changes one attribute, the view box; texts are left out
//! while they would be too small to read.

use crate::erd_geometry::{cull_window, ViewBox, MARGIN, TEXT_MAX_UNITS_PER_PX};
use leptos::prelude::*;
use pglens_core::erd::{svg, Diagram, Overlay, Rls};
use std::sync::Arc;

// Leptos is built without event delegation, so `on:wheel` is a listener on the SVG element itself,
// which browsers do not make passive: `prevent_default` stops the page from scrolling.

/// A diagram ready to draw: the worker's layout, the overlay, and each element's bounding box
/// for culling.
pub struct Drawn {
    pub diagram: Arc<Diagram>,
    pub overlay: Overlay,
    /// The neighbourhood's centre, drawn highlighted.
    pub focus: Option<String>,
    node_boxes: Vec<ViewBox>,
    edge_boxes: Vec<ViewBox>,
}

impl Drawn {
    pub fn new(diagram: Arc<Diagram>, overlay: Overlay, focus: Option<String>) -> Drawn {
        let node_boxes = diagram.layout.nodes.iter().map(|b| ViewBox { x: b.x, y: b.y, w: b.width, h: b.height }).collect();
        let edge_boxes = diagram.layout.edges.iter().map(|e| ViewBox::around(&e.points)).collect();
        Drawn { diagram, overlay, focus, node_boxes, edge_boxes }
    }

    fn visible(boxes: &[ViewBox], window: &ViewBox) -> Vec<usize> {
        boxes.iter().enumerate().filter(|(_, b)| window.intersects(b)).map(|(i, _)| i).collect()
    }
}

#[component]
pub fn ErdCanvas(
    drawn: Memo<Option<Arc<Drawn>>>,
    /// A box was clicked (not dragged): open the table's page.
    open: Callback<String>,
    /// The ◎ beside a box was clicked: centre the diagram on the table.
    focus: Callback<String>,
) -> impl IntoView {
    let viewport = NodeRef::<leptos::html::Div>::new();
    let vb = RwSignal::new(ViewBox { x: 0.0, y: 0.0, w: 100.0, h: 100.0 });
    let window = RwSignal::new(None::<ViewBox>);
    // The viewport's size in pixels, read when layout is clean (a new diagram, the start of a drag
    // or a wheel turn), never while a pan is being drawn: reading it then would force a layout.
    let el = StoredValue::new((800.0f64, 600.0f64));
    let measure = move || {
        if let Some(v) = viewport.get_untracked() {
            let r = v.get_bounding_client_rect();
            el.set_value((r.width().max(1.0), r.height().max(1.0)));
        }
        el.get_value()
    };
    // Pointer down: where, and the view box then; `moved` once it went further than a click.
    let drag = StoredValue::new(None::<(f64, f64, ViewBox)>);
    let moved = StoredValue::new(false);
    // The whole drawing, with its margin: the SVG's own coordinates.
    let bounds = Memo::new(move |_| {
        drawn.with(|d| {
            d.as_ref().map_or(ViewBox { x: 0.0, y: 0.0, w: 1.0, h: 1.0 }, |d| {
                let l = &d.diagram.layout;
                ViewBox { x: -MARGIN, y: -MARGIN, w: l.width + 2.0 * MARGIN, h: l.height + 2.0 * MARGIN }
            })
        })
    });
    // Pixels per drawing unit, live: changes on zoom only, so a pan leaves the SVG alone.
    let scale = Memo::new(move |_| el.get_value().0 / vb.with(|v| v.w));
    // The scale the SVG is laid out and painted at. A wheel turn first scales the painted layer
    // (instant, a little blurred); the SVG is laid out again at the new scale once the wheel
    // rests, so a zoom never waits for every box to be painted again, nor shows a blank view.
    let painted = RwSignal::new(1.0f64);
    let zooms = StoredValue::new(0u32);
    // A new diagram is shown whole.
    Effect::new(move |_| {
        let size = drawn.with(|d| d.as_ref().map(|d| (d.diagram.layout.width, d.diagram.layout.height)));
        if let (Some((w, h)), Some(_)) = (size, viewport.get()) {
            let (ew, eh) = measure();
            let fit = ViewBox::fit(w, h, ew, eh);
            // Room above for the schema blocks' names (sized to be read at this scale).
            let room = label_size(ew / fit.w) * 1.3;
            let fit = ViewBox::fit(w, h + room, ew, eh);
            let fit = ViewBox { y: fit.y - room, ..fit };
            // A neighbourhood too big to read whole opens on its focus, at one pixel a unit.
            let focus = drawn.with_untracked(|d| {
                let d = d.as_ref()?;
                let i = d.diagram.graph.index(d.focus.as_deref()?)?;
                let b = &d.node_boxes[i];
                Some((b.x + b.w / 2.0, b.y + b.h / 2.0))
            });
            let start = match focus {
                Some((cx, cy)) if fit.w / ew > TEXT_MAX_UNITS_PER_PX => ViewBox { x: 0.0, y: 0.0, w: ew, h: eh }.centred_on(cx, cy),
                _ => fit,
            };
            window.set(Some(cull_window(None, start)));
            vb.set(start);
            painted.set(ew / start.w);
        }
    });
    // Pans and zooms move the cull window only when the view leaves it.
    Effect::new(move |_| {
        let v = vb.get();
        let w = cull_window(window.get_untracked(), v);
        if Some(w) != window.get_untracked() {
            window.set(Some(w));
        }
    });
    let show_text = Memo::new(move |_| 1.0 / painted.get() <= TEXT_MAX_UNITS_PER_PX);
    let nodes = Memo::new(move |_| {
        let (Some(d), Some(w)) = (drawn.get(), window.get()) else { return Vec::new() };
        Drawn::visible(&d.node_boxes, &w)
    });
    let edges = Memo::new(move |_| {
        let (Some(d), Some(w)) = (drawn.get(), window.get()) else { return Vec::new() };
        Drawn::visible(&d.edge_boxes, &w)
    });
    let on_down = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        measure();
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
            let s = start.w / el.get_value().0;
            vb.set(ViewBox { x: start.x - dx * s, y: start.y - dy * s, ..start });
        }
    };
    let on_up = move |_: web_sys::PointerEvent| drag.set_value(None);
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let Some(v) = viewport.get_untracked() else { return };
        let r = v.get_bounding_client_rect();
        el.set_value((r.width().max(1.0), r.height().max(1.0)));
        let (fx, fy) = ((ev.client_x() as f64 - r.left()) / r.width().max(1.0), (ev.client_y() as f64 - r.top()) / r.height().max(1.0));
        // Lines or pages of scroll count as about 40 px.
        let dy = if ev.delta_mode() == 0 { ev.delta_y() } else { ev.delta_y() * 40.0 };
        let k = (dy * 0.0015).exp().clamp(0.5, 2.0);
        let b = bounds.get_untracked();
        // Out to twice the whole drawing, in to 4 pixels per unit (text 46 px tall).
        let (min_w, max_w) = (r.width() / 4.0, (b.w.max(b.h * r.width() / r.height().max(1.0)) * 2.0).max(r.width()));
        if let Some(z) = vb.get_untracked().zoomed(fx, fy, k, min_w, max_w) {
            vb.set(z);
            zooms.update_value(|n| *n = n.wrapping_add(1));
            let turn = zooms.get_value();
            set_timeout(
                move || {
                    if zooms.get_value() == turn {
                        painted.set(scale.get_untracked());
                    }
                },
                std::time::Duration::from_millis(ZOOM_REST_MS),
            );
        }
    };
    let open = Callback::new(move |key: String| {
        if !moved.get_value() {
            open.run(key);
        }
    });
    let focus = Callback::new(move |key: String| {
        if !moved.get_value() {
            focus.run(key);
        }
    });
    // The SVG is the whole drawing at the current scale, moved under the viewport by a CSS
    // transform: a pan is a compositor move of an already painted layer, not a repaint of every
    // box and line (which took 31 ms a frame for GitLab's overview).
    let transform = move || {
        let (v, b, s, p) = (vb.get(), bounds.get(), scale.get(), painted.get());
        format!("translate({:.1}px, {:.1}px) scale({:.5})", (b.x - v.x) * s, (b.y - v.y) * s, s / p)
    };
    view! {
        <div class="erd-viewport" node_ref=viewport id="erd-viewport" data-view=move || vb.get().attr()
            on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up on:pointerleave=on_up
            on:wheel=on_wheel>
            <svg id="erd-svg" class="erd" class:far=move || !show_text.get() xmlns="http://www.w3.org/2000/svg"
                viewBox=move || bounds.get().attr()
                width=move || format!("{:.0}", bounds.with(|b| b.w) * painted.get())
                height=move || format!("{:.0}", bounds.with(|b| b.h) * painted.get())
                style:transform=transform>
                {move || drawn.get().map(|d| {
                    let (de, dn, dc) = (d.clone(), d.clone(), d.clone());
                    view! {
                        <g class="erd-clusters">{clusters(&dc, painted)}</g>
                        <g class="erd-edges">
                            <For each=move || edges.get() key=|i| *i children=move |i| edge(&de, i, show_text) />
                        </g>
                        <g class="erd-boxes">
                            <For each=move || nodes.get() key=|i| *i children=move |i| node(&dn, i, show_text, open, focus) />
                        </g>
                    }
                })}
            </svg>
        </div>
    }
}

/// Schema blocks of the overview, their names sized to stay readable when zoomed out.
fn clusters(d: &Drawn, painted: RwSignal<f64>) -> impl IntoView {
    d.diagram
        .layout
        .clusters
        .iter()
        .map(|c| {
            let size = Memo::new(move |_| label_size(painted.get()));
            let label_y = c.y - 12.0;
            view! {
                <g class="erd-cluster" data-schema=c.schema.clone()>
                    <rect x=f1(c.x) y=f1(c.y) width=f1(c.width) height=f1(c.height) rx="6" />
                    <text x=f1(c.x + 8.0) y=f1(label_y) style:font-size=move || format!("{:.1}px", size.get())>{c.schema.clone()}</text>
                </g>
            }
        })
        .collect_view()
}

fn edge(d: &Drawn, i: usize, show_text: Memo<bool>) -> impl IntoView {
    let g = &d.diagram.graph;
    let e = &g.edges[i];
    let p = &d.diagram.layout.edges[i];
    let unindexed = d.overlay.edges.get(i).is_some_and(|m| m.unindexed);
    let (from, to) = (&g.nodes[e.from as usize].key, &g.nodes[e.to as usize].key);
    let title = svg::edge_title(g, i, d.overlay.edges.get(i));
    let points = p.points.iter().map(|[x, y]| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
    let end = p.points.last().copied().unwrap_or([0.0, 0.0]);
    view! {
        <g class="erd-edge" class:straight=p.straight class:self-ref=e.self_reference class:unindexed=unindexed
            data-from=from.clone() data-to=to.clone() data-name=e.name.clone()>
            <title>{title}</title>
            <polyline points=points />
            {move || show_text.get().then(|| view! { <circle cx=f1(end[0]) cy=f1(end[1]) r="3" /> })}
        </g>
    }
}

fn node(d: &Drawn, i: usize, show_text: Memo<bool>, open: Callback<String>, focus: Callback<String>) -> impl IntoView {
    let o = &d.diagram.options;
    let (rh, pad, cw) = (o.row_height, o.box_padding, o.char_width);
    let n = &d.diagram.graph.nodes[i];
    let b = &d.diagram.layout.nodes[i];
    let marks = d.overlay.nodes.get(i).cloned().unwrap_or_default();
    let rls = match marks.rls {
        None => "erd-box rls-none",
        Some(Rls::Off) => "erd-box rls-off",
        Some(Rls::On) => "erd-box rls-on",
        Some(Rls::Forced) => "erd-box rls-forced",
    };
    let title = svg::node_title(n, Some(&marks));
    let w = b.width;
    let show_policies = matches!(marks.rls, Some(Rls::On | Rls::Forced)) || marks.policies > 0;
    let texts = {
        let header = n.header_text();
        let rows: Vec<_> = n.rows(o.detail).map(|r| (r.text(), r.primary_key, r.foreign_key && !r.primary_key)).collect();
        let policies = format!("{} pol", marks.policies);
        let key = n.key.clone();
        move || {
            show_text.get().then(|| {
                let rows = rows
                    .iter()
                    .enumerate()
                    .map(|(i, (text, pk, fk))| {
                        view! { <text class="erd-row" class:pk=*pk class:fk=*fk x=f1(pad) y=f1(rh * (1.0 + i as f64) + rh * 0.7)>{text.clone()}</text> }
                    })
                    .collect_view();
                let key = key.clone();
                view! {
                    <text class="erd-header" x=f1(pad) y=f1(rh * 0.7)>{header.clone()}</text>
                    {show_policies.then(|| view! { <text class="erd-policies" x=f1(w - pad) y=f1(rh * 0.7)>{policies.clone()}</text> })}
                    {rows}
                    <text class="erd-focus" x=f1(w + 3.0) y=f1(rh * 0.7)
                        on:click=move |ev| { ev.stop_propagation(); focus.run(key.clone()) }><title>"Centre the diagram on this table"</title>"◎"</text>
                }
            })
        }
    };
    let badge = marks.worst.map(|p| {
        view! {
            <g class=format!("erd-badge {}", p.as_str().to_lowercase())>
                <rect x=f1(w - pad - 9.0 * cw) y=f1(rh * 0.15) width=f1(2.8 * cw) height=f1(rh * 0.7) rx="2" />
                {move || show_text.get().then(|| view! { <text x=f1(w - pad - 9.0 * cw + 1.4 * cw) y=f1(rh * 0.7)>{p.as_str()}</text> })}
            </g>
        }
    });
    let key = n.key.clone();
    let is_focus = d.focus.as_deref() == Some(n.key.as_str());
    view! {
        <g class=rls class:focus=is_focus data-key=n.key.clone() transform=format!("translate({:.1},{:.1})", b.x, b.y)
            on:click=move |_| open.run(key.clone())>
            <title>{title}</title>
            <rect class="erd-body" width=f1(w) height=f1(b.height) rx="3" />
            <rect class="erd-head" width=f1(w) height=f1(rh) rx="3" />
            {badge}
            {texts}
        </g>
    }
}

/// How long the wheel rests before the SVG is laid out at the new scale.
const ZOOM_REST_MS: u64 = 180;

/// A schema block's name, in drawing units: 22 (as in the export), or 14 px on screen when that
/// is more (zoomed out, where 22 units are a pixel or two).
fn label_size(px_per_unit: f64) -> f64 {
    22.0f64.max(14.0 / px_per_unit.max(1e-6))
}

fn f1(v: f64) -> String {
    format!("{v:.1}")
}
