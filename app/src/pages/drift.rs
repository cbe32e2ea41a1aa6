//! Drift: how a second snapshot (B, say staging) differs from the main one (A, say prod), as the
//! core's drift engine reports it (`diff::diff`, computed on this thread in `AppState::drift`: it
//! reads the model only). Counts by priority and kind, a filterable list of changes, and for the
//! open change its fields, both definitions side by side, where each is defined, and the fix
//! that would bring B in line with A. Filters, the swap and the open change live in the hash
//! (`#/drift?p=P0&kind=rls&q=users&swap=1&entry=<id>`); the side names the user types live in
//! the state (they follow their snapshot when A and B are swapped).

use crate::components::side_by_side::{SideBySide, SideHead};
use crate::components::{SourceView, VirtualRows};
use crate::drift_view::{hazard_label, kind_counts, DriftView};
use crate::helpers::Route;
use crate::shell::FilePicker;
use crate::state::{arc_memo, use_state, AppState, DriftData, Slot};
use leptos::prelude::*;
use pglens_core::checks::Priority;
use pglens_core::diff::{self, Change, Scope};
use std::sync::Arc;

/// Height of one entry of the list (two lines).
const ROW_HEIGHT: f64 = 50.0;

#[component]
pub fn Drift() -> impl IntoView {
    let state = use_state();
    // The view lives in the hash; the page stays mounted while it changes.
    let view = Memo::new(move |prev: Option<&DriftView>| match &*state.route.read() {
        Route::Drift(v) => v.clone(),
        _ => prev.cloned().unwrap_or_default(),
    });
    let has_a = Memo::new(move |_| state.data.with(Option::is_some));
    let has_b = Memo::new(move |_| state.compare.with(Option::is_some));
    let body = move || match (has_a.get(), has_b.get()) {
        (false, _) => view! { <super::NoData /> }.into_any(),
        (true, false) => view! { <Intro /> }.into_any(),
        (true, true) => view! { {move || state.drift.get().map(|d| view! { <Report drift=d view=view /> })} }.into_any(),
    };
    view! {
        <section class="page drift-page" class:full=move || has_a.get() && has_b.get()>
            <h1>"Drift"</h1>
            {body}
        </section>
    }
}

/// Before there is a snapshot to compare with: what the page does, and where to load B.
#[component]
fn Intro() -> impl IntoView {
    let state = use_state();
    let files = move || {
        state.data.with(|d| {
            d.as_ref().map(|d| d.loaded.snapshot.files.iter().map(|f| f.name.clone()).collect::<Vec<_>>().join(" + ")).unwrap_or_default()
        })
    };
    view! {
        <p class="intro drift-intro">
            "Compare two snapshots of the same database — say prod (A, the reference) and staging (B) — object by object: "
            "tables, columns, constraints, indexes, row level security, policies, functions, views, grants, owners and comments. "
            "Each difference gets a priority: P0 when B is less safe than A (row security off, a policy widened, a new grant to an API role), "
            "P1 when something that works in A breaks or slows down in B, P2 for the rest. "
            "Comparison is semantic: layout, comments and the dump tool's flavour do not count. "
            "Each change comes with both definitions side by side and SQL that would bring B in line with A."
        </p>
        <div class="dropzone" id="drift-dropzone">
            <div>
                <strong>"Load snapshot B to compare with "<span class="mono">{files}</span></strong>
                ": drop its files on this page, or "
                <FilePicker label="choose files…" id="drift-file-input" load_into=Slot::Compare />
            </div>
            <div class="hint">
                "A .sql dump (several files load as one snapshot), or a pg_policies export alone to compare policies only. "
                "The snapshot loaded now is A; swap the two once B is loaded. Nothing leaves this tab."
            </div>
        </div>
    }
}

/// Shows `view` (takes the state: also called from window listeners, outside any owner).
fn go(state: AppState, view: DriftView, replace: bool) {
    state.navigate(Route::Drift(view), replace);
}

/// The name shown for a side: what the user typed for its snapshot, or the side's letter.
fn side_name(state: AppState, side_b: bool, swapped: bool) -> Signal<String> {
    let label = if side_b != swapped { state.compare_label } else { state.main_label };
    let letter = if side_b { "B" } else { "A" };
    Signal::derive(move || label.with(|l| if l.trim().is_empty() { letter.to_string() } else { l.trim().to_string() }))
}

#[component]
fn Report(drift: Arc<DriftData>, view: Memo<DriftView>) -> impl IntoView {
    let state = use_state();
    let (a_name, b_name) = (side_name(state, false, drift.swapped), side_name(state, true, drift.swapped));
    let c = &drift.counts;
    let cards =
        [(Priority::P0, c.p0, "P0 · less safe in B"), (Priority::P1, c.p1, "P1 · breaks or slows"), (Priority::P2, c.p2, "P2 · the rest")]
            .into_iter()
            .map(|(p, n, label)| {
                let on = move || view.with(|v| v.priorities.is_empty() || v.priorities.contains(&p));
                view! {
                    <button class=format!("card prio {}", p.as_str().to_lowercase()) class:off=move || !on() class:zero=n == 0
                        id=format!("drift-count-{}", p.as_str().to_lowercase()) title="Show or hide this priority"
                        on:click=move |_| go(state, view.get_untracked().toggled(p), true)>
                        <span class="num">{n}</span>
                        <span class="label">{label}</span>
                    </button>
                }
            })
            .collect_view();
    let kinds = kind_counts(&drift.drift.changes)
        .into_iter()
        .map(|(k, n)| {
            let active = move || view.with(|v| v.kind == Some(k));
            let toggle = move |_| {
                let mut v = view.get_untracked();
                v.kind = if v.kind == Some(k) { None } else { Some(k) };
                go(state, v, true);
            };
            view! {
                <button class="kind-chip" class:active=active data-kind=k.as_str() on:click=toggle>
                    <span>{k.as_str().replace('_', " ")}</span>
                    <span class="n">{n}</span>
                </button>
            }
        })
        .collect_view();
    let scope = (drift.drift.scope == Scope::Policies).then(|| {
        let which = match (diff::policies_only(&drift.a.loaded.snapshot), diff::policies_only(&drift.b.loaded.snapshot)) {
            (true, true) => "both sides are",
            (true, false) => "A is",
            _ => "B is",
        };
        view! {
            <p class="scope-note" id="drift-scope">
                {format!("Policies only: {which} made of pg_policies exports alone, which hold policies and nothing else, so only policies were compared.")}
            </p>
        }
    });
    let stats = format!(
        "{} changes from A ({}) to B ({}) · computed in {:.1} ms",
        drift.drift.changes.len(),
        drift.drift.a_files.join(" + "),
        drift.drift.b_files.join(" + "),
        drift.compute_ms
    );
    // The list is filtered again only when a filter changes (not when an entry opens).
    let filter = Memo::new(move |_| view.with(DriftView::filter));
    let items = {
        let drift = drift.clone();
        arc_memo(move || Arc::new(filter.with(|f| f.indexes(&drift.drift.changes, &drift.search))))
    };
    let total = drift.drift.changes.len();
    let selected = {
        let drift = drift.clone();
        Memo::new(move |_| view.with(|v| v.entry.as_ref().map(|id| (id.clone(), drift.find(id)))))
    };
    let close = move || {
        let mut v = view.get_untracked();
        v.entry = None;
        go(state, v, false);
    };
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" && view.with_untracked(|v| v.entry.is_some()) {
            close();
        }
    });
    on_cleanup(move || escape.remove());
    let detail_drift = drift.clone();
    let detail = move || {
        match selected.get() {
        None => view! {
            <p class="empty" id="drift-entry-none">"Select a change to see what differs, both definitions side by side, and the fix."</p>
        }
        .into_any(),
        Some((_, None)) => view! {
            <p class="banner error" id="drift-entry-missing">"The change in the link is not in this comparison (other snapshots, or A and B the other way round)."</p>
        }
        .into_any(),
        Some((_, Some(i))) => view! { <Entry drift=detail_drift.clone() index=i a_name=a_name b_name=b_name on_close=Callback::new(move |()| close()) /> }.into_any(),
    }
    };
    let no_drift =
        (total == 0).then(|| view! { <p class="empty" id="drift-none">"No drift: A and B define the same objects the same way."</p> });
    view! {
        <Sides drift=drift.clone() view=view a_name=a_name b_name=b_name />
        {scope}
        <div class="drift-summary">
            <div class="cards prio-cards" id="drift-counts">{cards}</div>
            <div class="kind-chips" id="drift-kinds" aria-label="Changes by kind">{kinds}</div>
        </div>
        <p class="hint dim" id="drift-stats" data-compute-ms=format!("{:.1}", drift.compute_ms)>{stats}</p>
        {no_drift}
        <div class="toolbar">
            <input class="search" type="search" id="drift-search" placeholder="Search object or reason…"
                prop:value=move || view.with(|v| v.q.clone())
                on:input=move |ev| {
                    let mut v = view.get_untracked();
                    v.q = event_target_value(&ev);
                    go(state, v, true);
                } />
            <span class="dim" id="drift-shown">{move || format!("{} of {total} shown", items.with(|i| i.len()))}</span>
        </div>
        <div class="drift-split" class:open=move || selected.with(Option::is_some)>
            <EntryList drift=drift.clone() items=items view=view />
            <div class="drift-detail-pane">{detail}</div>
        </div>
    }
}

/// The two sides: their names (editable), files, the swap, and where to load another B.
#[component]
fn Sides(drift: Arc<DriftData>, view: Memo<DriftView>, a_name: Signal<String>, b_name: Signal<String>) -> impl IntoView {
    let state = use_state();
    let swapped = drift.swapped;
    let side = move |side_b: bool| {
        let data = if side_b { &drift.b } else { &drift.a };
        let files = data.loaded.snapshot.files.iter().map(|f| f.name.clone()).collect::<Vec<_>>().join(" + ");
        let label = if side_b != swapped { state.compare_label } else { state.main_label };
        let (letter, role, placeholder) =
            if side_b { ("B", "compared with A", "name it, e.g. staging") } else { ("A", "the reference", "name it, e.g. prod") };
        let id = if side_b { "drift-label-b" } else { "drift-label-a" };
        let files_title = files.clone();
        let is_compare = side_b != swapped;
        let name = if side_b { b_name } else { a_name };
        view! {
            <div class=format!("side side-{}", letter.to_lowercase())>
                <span class="side-letter" title=move || format!("{letter}: {}", name.get())>{letter}</span>
                <div class="side-body">
                    <div class="side-line">
                        <input class="side-label" id=id type="text" placeholder=placeholder aria-label=format!("Name of side {letter}")
                            prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev)) />
                        <span class="dim small">{role}</span>
                    </div>
                    <div class="side-files mono" title=files_title>{files}</div>
                </div>
                {is_compare.then(|| view! {
                    <div class="side-actions">
                        <FilePicker label="Load another…" id="drift-file-input" load_into=Slot::Compare />
                        <button class="link small" id="drift-unload" title="Forget this snapshot (the other one stays)"
                            on:click=move |_| state.compare.set(None)>"remove"</button>
                    </div>
                })}
            </div>
        }
    };
    let swap = move |_| {
        let mut v = view.get_untracked();
        v.swap = !v.swap;
        go(state, v, false);
    };
    view! {
        <div class="drift-sides" id="drift-sides">
            {side(false)}
            <button class="button swap" id="drift-swap" title="Make B the reference and A the one compared with it" on:click=swap>"⇄ Swap A and B"</button>
            {side(true)}
        </div>
    }
}

#[component]
fn EntryList(drift: Arc<DriftData>, items: Memo<Arc<Vec<usize>>>, view: Memo<DriftView>) -> impl IntoView {
    let state = use_state();
    let row = move |_, i: usize| {
        let c: &Change = &drift.drift.changes[i];
        let id = c.id.clone();
        let open_id = id.clone();
        let is_open = move || view.with(|v| v.entry.as_deref() == Some(open_id.as_str()));
        let open = move |_| {
            let mut v = view.get_untracked();
            if v.entry.as_deref() != Some(id.as_str()) {
                v.entry = Some(id.clone());
                go(state, v, false);
            }
        };
        let prio = c.priority.as_str().to_lowercase();
        let from = c.from_key.clone().map(|f| view! { <span class="from">"from "<span class="mono">{f}</span>" · "</span> });
        let title = match &c.from_key {
            Some(f) => format!("{} (from {f})\n{}", c.key, c.reason),
            None => format!("{}\n{}", c.key, c.reason),
        };
        view! {
            <button class=format!("drift-row {prio}") class:open=is_open on:click=open title=title
                data-id=c.id.clone() data-kind=c.kind.as_str() data-key=c.key.clone() data-priority=c.priority.as_str()>
                <span class="row-head">
                    <span class=format!("badge prio {prio}")>{c.priority.as_str()}</span>
                    <span class="kind">{c.kind.as_str().replace('_', " ")}</span>
                    <span class=format!("change {}", c.change.as_str())>{c.change.as_str()}</span>
                    <span class="key mono">{c.key.clone()}</span>
                </span>
                <span class="row-why">{from}{c.reason.clone()}</span>
            </button>
        }
    };
    view! {
        <VirtualRows
            items=items
            columns="minmax(0, 1fr)"
            headers=vec!["Change · object · why it matters"]
            row=row
            row_height=ROW_HEIGHT
            empty="No change matches the filters."
            id="drift-list"
            variant="drift-list"
            list_items="drift-entry"
        />
    }
}

/// Where a definition is: `file:line` in that side's files.
fn location(data: &crate::state::Data, span: Option<pglens_core::model::Span>) -> Option<String> {
    span.filter(|s| s.line > 0).map(|s| format!("{}:{}", data.file_name(s.file), s.line))
}

#[component]
fn Entry(drift: Arc<DriftData>, index: usize, a_name: Signal<String>, b_name: Signal<String>, on_close: Callback<()>) -> impl IntoView {
    let c = &drift.drift.changes[index];
    let prio = c.priority.as_str().to_lowercase();
    let from = c.from_key.clone().map(|f| view! { <p class="from">"renamed from "<span class="mono">{f}</span></p> });
    let value = |v: &Option<String>| match v {
        Some(v) => view! { <td class="mono">{v.clone()}</td> }.into_any(),
        None => view! { <td class="dim">"—"</td> }.into_any(),
    };
    let fields = (!c.fields.is_empty()).then(|| {
        let rows =
            c.fields.iter().map(|f| view! { <tr><td class="strong">{f.field.clone()}</td>{value(&f.a)}{value(&f.b)}</tr> }).collect_view();
        view! {
            <table class="grid compact drift-fields" id="drift-fields">
                <thead><tr><th>"Field"</th><th>{move || a_name.get()}</th><th>{move || b_name.get()}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    });
    let (a_loc, b_loc) = (location(&drift.a, c.a_span), location(&drift.b, c.b_span));
    let side_by_side = view! {
        <SideBySide
            a=c.a_definition.clone()
            b=c.b_definition.clone()
            a_head=SideHead { name: a_name, location: a_loc }
            b_head=SideHead { name: b_name, location: b_loc }
            id="drift-side-by-side"
        />
    };
    let sources = (c.a_span.is_some() || c.b_span.is_some()).then(|| {
        let a = c.a_span.map(|s| view! { <SourceView data=drift.a.clone() span=s title=format!("In {}", a_name.get_untracked()) /> });
        let b = c.b_span.map(|s| view! { <SourceView data=drift.b.clone() span=s title=format!("In {}", b_name.get_untracked()) /> });
        view! {
            <details class="drift-sources" id="drift-sources">
                <summary>"The statements in the dumps"</summary>
                <div class="drift-sources-pair">{a}{b}</div>
            </details>
        }
    });
    let fix = c.fix.clone().map(|fix| {
        let copied = RwSignal::new(false);
        let text = fix.sql.clone();
        let copy = move |_| {
            let _ = window().navigator().clipboard().write_text(&text);
            copied.set(true);
        };
        let hazards = fix
            .hazards
            .iter()
            .map(|h| view! { <span class=format!("badge hazard {}", serde_name(h)) title=h.describe()>{hazard_label(*h)}</span> })
            .collect_view();
        view! {
            <div class="fix drift-fix" id="drift-fix">
                <div class="fix-head">
                    <span>{move || format!("Fix: run on {} to bring it in line with {}", b_name.get(), a_name.get())}</span>
                    <span class="hazards" id="drift-hazards">{hazards}</span>
                    <button class="link copy" id="drift-fix-copy" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy" }}</button>
                </div>
                <pre class="sql">{fix.sql}</pre>
            </div>
            <p class="dim small">"A hint for review, not a migration: statements are not ordered by their dependencies."</p>
        }
    });
    view! {
        <article class=format!("drift-entry-detail {prio}") id="drift-entry" data-entry=c.id.clone()>
            <header class="entry-head">
                <div class="entry-title">
                    <div class="entry-tags">
                        <span class=format!("badge prio {prio}")>{c.priority.as_str()}</span>
                        <span class="kind">{c.kind.as_str().replace('_', " ")}</span>
                        <span class=format!("change {}", c.change.as_str())>{c.change.as_str()}</span>
                    </div>
                    <h2 class="mono" id="drift-entry-key">{c.key.clone()}</h2>
                    {from}
                </div>
                <button class="button" id="drift-entry-close" aria-label="Close" title="Close (Esc)" on:click=move |_| on_close.run(())>"×"</button>
            </header>
            <p class="reason" id="drift-reason">{c.reason.clone()}</p>
            {fields}
            {side_by_side}
            {sources}
            {fix}
        </article>
    }
}

/// The CSS class of a hazard (its JSON name).
fn serde_name(h: &diff::Hazard) -> &'static str {
    match h {
        diff::Hazard::LosesData => "loses_data",
        diff::Hazard::Locks => "locks",
        diff::Hazard::Rewrites => "rewrites",
    }
}
