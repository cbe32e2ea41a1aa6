//! The page layout: top bar (files, progress, cancel), navigation, the current route's page.

use crate::client;
use crate::helpers::{format_bytes, percent, Route};
use crate::pages;
use crate::state::{AppState, Job, Slot};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn current_hash() -> String {
    window().location().hash().unwrap_or_default()
}

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    state.route.set(Route::parse(&current_hash()));
    let hash_listener = window_event_listener(leptos::ev::hashchange, move |_| {
        let route = Route::parse(&current_hash());
        let current = state.route.get_untracked();
        if route != current {
            if route.page() != current.page() {
                state.list_query.set(String::new());
            }
            state.route.set(route);
        }
    });
    on_cleanup(move || hash_listener.remove());

    client::spawn(state);
    if !client::load_from_address(state) {
        client::load_sample(state);
    }

    // The findings follow the assumptions in force: when they differ from the ones the worker
    // used (edited on the access page, or kept from an earlier load), ask again.
    Effect::new(move |_| {
        let wanted = state.assumptions.get();
        let stale = state.findings.with(|f| f.as_ref().is_some_and(|f| f.assumptions != wanted));
        if stale {
            client::recheck(state, &wanted);
        }
    });

    Effect::new(move |_| {
        if state.route.get() == Route::CrashWorker {
            client::crash(state);
            let _ = window().location().set_hash("#/");
        }
    });

    // On the Drift page (once there is a snapshot A), dropped files are the snapshot to compare
    // with; everywhere else they replace the main snapshot.
    let drop_slot = move || {
        let on_drift = state.route.with(|r| matches!(r, Route::Drift(_)));
        if on_drift && state.data.with(Option::is_some) {
            Slot::Compare
        } else {
            Slot::Main
        }
    };
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        state.dragging.set(false);
        if let Some(files) = ev.data_transfer().and_then(|dt| dt.files()) {
            client::load_file_list(state, files, drop_slot());
        }
    };
    let on_dragover = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        state.dragging.set(true);
    };
    let on_dragleave = move |ev: web_sys::DragEvent| {
        // Only when leaving the window, not when moving between children.
        if ev.related_target().is_none() {
            state.dragging.set(false);
        }
    };

    // Pages are rebuilt when the page changes, not when only its view parameters do (a filter
    // typed on the access page must not rebuild the page under the cursor).
    let page = Memo::new(move |_| state.route.with(Route::page));
    view! {
        <div class="app" class:dragging=move || state.dragging.get() on:drop=on_drop on:dragover=on_dragover on:dragleave=on_dragleave>
            <TopBar />
            <div class="body">
                <Nav />
                <main class="content" id="content">
                    {move || match page.get() {
                        Route::Overview | Route::CrashWorker => view! { <pages::overview::Overview /> }.into_any(),
                        Route::Tables => view! { <pages::tables::Tables /> }.into_any(),
                        Route::Table(key) => view! { <pages::table::TablePage key=key /> }.into_any(),
                        Route::Policies(_) => view! { <pages::lists::Policies /> }.into_any(),
                        Route::Access(_) => view! { <pages::access::Access /> }.into_any(),
                        Route::Checks(_) => view! { <pages::checks::Checks /> }.into_any(),
                        Route::Drift(_) => view! { <pages::drift::Drift /> }.into_any(),
                        Route::Erd(_) => view! { <pages::erd::Erd /> }.into_any(),
                        Route::Types => view! { <pages::types::Types /> }.into_any(),
                        Route::Functions => view! { <pages::lists::Functions /> }.into_any(),
                        Route::Views => view! { <pages::lists::Views /> }.into_any(),
                        Route::Extensions => view! { <pages::lists::Extensions /> }.into_any(),
                        Route::Unmodelled => view! { <pages::lists::Unmodelled /> }.into_any(),
                        Route::Diagnostics => view! { <pages::diagnostics::Diagnostics /> }.into_any(),
                    }}
                </main>
            </div>
            <div class="drop-overlay" aria-hidden="true">
                {move || match drop_slot() {
                    Slot::Compare => "Drop .sql dumps (or pg_policies exports) to load them as snapshot B, compared with A",
                    Slot::Main => "Drop .sql dumps and pg_policies exports (.csv, .json, .txt) to load them together, and a database.types.ts to compare",
                }}
            </div>
        </div>
    }
}

/// The file picker; also used on the overview page, and on the Drift page for the compare slot.
#[component]
pub fn FilePicker(
    #[prop(into, default = "Open files…".to_string())] label: String,
    #[prop(into, default = "file-input".to_string())] id: String,
    /// Which snapshot the chosen files replace.
    #[prop(optional)]
    load_into: Slot,
) -> impl IntoView {
    let state = crate::state::use_state();
    let on_change = move |ev: web_sys::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        if let Some(files) = input.files() {
            client::load_file_list(state, files, load_into);
        }
        // So that picking the same files again loads them again.
        input.set_value("");
    };
    view! {
        <label class="button file-picker">
            {label}
            <input type="file" id=id multiple accept=".sql,.gz,.txt,.dump,.csv,.json,.ts,text/plain,application/sql,text/csv,application/json" on:change=on_change />
        </label>
    }
}

#[component]
fn TopBar() -> impl IntoView {
    let state = crate::state::use_state();
    let files = move || {
        state.data.with(|d| match d {
            Some(d) => d.loaded.snapshot.files.iter().map(|f| f.name.clone()).collect::<Vec<_>>().join(" + "),
            None => String::new(),
        })
    };
    // The progress block stays mounted while loading (only its text and bar change), so the
    // Cancel button is one stable element that a click always reaches.
    let loading = Memo::new(move |_| matches!(state.job.get(), Job::Loading { .. }));
    let compare_files = move || {
        state.compare.with(|d| d.as_ref().map(|d| d.loaded.snapshot.files.iter().map(|f| f.name.clone()).collect::<Vec<_>>().join(" + ")))
    };
    let label = move || match state.job.get() {
        Job::Loading { names, done_bytes, total_bytes, statements, slot } => format!(
            "Loading {}{} — {} of {}, {} statements",
            if slot == Slot::Compare { "B: " } else { "" },
            names.join(" + "),
            format_bytes(done_bytes),
            format_bytes(total_bytes),
            statements
        ),
        Job::Idle => String::new(),
    };
    let pct = move || match state.job.get() {
        Job::Loading { done_bytes, total_bytes, .. } => percent(done_bytes, total_bytes),
        Job::Idle => 0.0,
    };
    let progress = move || {
        view! {
            <Show when=move || loading.get()>
                <div class="progress" id="progress" role="status">
                    <span class="progress-label">{label}</span>
                    <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=move || format!("{:.0}", pct())>
                        <div class="bar-fill" style:width=move || format!("{:.1}%", pct())></div>
                    </div>
                    <button class="button danger" id="cancel" on:click=move |_| client::cancel(state)>"Cancel"</button>
                </div>
            </Show>
        }
    };
    let error = move || {
        state.error.get().map(|e| {
            view! {
                <div class="banner error" id="error-banner" role="alert">
                    <span>{e}</span>
                    <button class="link" on:click=move |_| state.error.set(None)>"Dismiss"</button>
                </div>
            }
        })
    };
    view! {
        <header class="topbar">
            <a class="brand" href="#/">"pglens"</a>
            <span class="files" id="loaded-files" title=files>{files}</span>
            {move || compare_files().map(|names| view! {
                <a class="files compare-files" id="compare-files" href=Route::Drift(Default::default()).href() title=format!("Compared on the Drift page with {names}")>
                    {format!("⇄ {names}")}
                </a>
            })}
            {progress}
            <crate::components::report_button::ReportButton />
            <crate::components::share::Share />
            <FilePicker />
        </header>
        {error}
    }
}

#[component]
fn Nav() -> impl IntoView {
    let state = crate::state::use_state();
    let count = move |f: fn(&crate::state::Data) -> usize| move || state.data.with(|d| d.as_ref().map(|d| f(d)).unwrap_or(0));
    let item = move |route: Route, label: &'static str, n: Option<Box<dyn Fn() -> usize + Send + Sync>>| {
        let href = route.href();
        let active = {
            let route = route.clone();
            move || {
                let cur = state.route.with(Route::page);
                cur == route || (route == Route::Tables && matches!(cur, Route::Table(_)))
            }
        };
        view! {
            <a href=href class="nav-item" class:active=active>
                <span>{label}</span>
                {n.map(|n| view! { <span class="nav-count">{n}</span> })}
            </a>
        }
    };
    view! {
        <nav class="nav">
            {item(Route::Overview, "Overview", None)}
            {item(Route::Tables, "Tables", Some(Box::new(count(|d| d.loaded.snapshot.tables.len()))))}
            {item(Route::Policies(None), "Policies", Some(Box::new(count(|d| d.loaded.summary.policies as usize))))}
            {item(Route::Access(Default::default()), "Access", None)}
            {item(Route::Checks(Default::default()), "Checks", Some(Box::new(move || state.findings.with(|f| f.as_ref().map(|f| f.findings.iter().filter(|x| !x.baselined).count()).unwrap_or(0)))))}
            {item(Route::Drift(Default::default()), "Drift", None)}
            {item(Route::Erd(Default::default()), "ER diagram", None)}
            {item(Route::Types, "Types", None)}
            {item(Route::Functions, "Functions", Some(Box::new(count(|d| d.loaded.snapshot.functions.len()))))}
            {item(Route::Views, "Views", Some(Box::new(count(|d| d.loaded.snapshot.views.len()))))}
            {item(Route::Extensions, "Extensions", Some(Box::new(count(|d| d.loaded.snapshot.extensions.len()))))}
            {item(Route::Unmodelled, "Unmodelled", Some(Box::new(count(|d| d.loaded.snapshot.unmodelled.len()))))}
            {item(Route::Diagnostics, "Diagnostics", Some(Box::new(count(|d| d.loaded.diagnostics.len()))))}
        </nav>
    }
}
