//! Application state: a few signals shared through context. The loaded snapshots are immutable
//! once received (an `Arc`), views derive what they show from them: the main snapshot, and a
//! second one (`compare`) that the Drift page compares it with.

use crate::access_data::AccessData;
use crate::helpers::Route;
use crate::policy_rows::{policy_rows, PolicyRow};
use leptos::prelude::*;
use pglens_core::access::{self, Assumptions};
use pglens_core::checks::{Finding, RuleSummary};
use pglens_core::diff::{self, Drift, DriftCounts};
use pglens_core::erd::{Diagram, Request};
use pglens_core::model::Span;
use pglens_core::Loaded;
use std::sync::Arc;
use wasm_bindgen::JsValue;

/// What the worker sent back, plus indexes the views need (built once, off the render path).
pub struct Data {
    pub loaded: Loaded,
    /// Decoded text of each input file, indexed like `loaded.snapshot.files` / `Span::file`.
    pub texts: Vec<String>,
    /// Table keys in key order, with their lowercase search text.
    pub table_keys: Arc<Vec<String>>,
    pub table_search: Vec<String>,
    /// The policy list's rows: the dump's policies and the export-only ones, with their
    /// reconciliation status.
    pub policy_rows: Arc<Vec<Arc<PolicyRow>>>,
}

impl Data {
    pub fn new(loaded: Loaded, texts: Vec<String>) -> Data {
        let table_keys: Vec<String> = loaded.snapshot.tables.keys().cloned().collect();
        let table_search = loaded
            .snapshot
            .tables
            .iter()
            .map(|(k, t)| {
                let mut s = k.to_lowercase();
                if let Some(c) = &t.comment {
                    s.push(' ');
                    s.push_str(&c.to_lowercase());
                }
                s
            })
            .collect();
        let rows = policy_rows(&loaded.snapshot, loaded.policy_reconciliation.as_ref()).into_iter().map(Arc::new).collect();
        Data { loaded, texts, table_keys: Arc::new(table_keys), table_search, policy_rows: Arc::new(rows) }
    }

    pub fn file_name(&self, index: u32) -> &str {
        self.loaded.snapshot.files.get(index as usize).map(|f| f.name.as_str()).unwrap_or("?")
    }

    /// `file:line:column` of a span.
    pub fn location(&self, span: &Span) -> String {
        format!("{}:{}:{}", self.file_name(span.file), span.line, span.column)
    }
}

/// The health checks' findings for the current snapshot, as the worker computed them.
pub struct Findings {
    pub findings: Vec<Finding>,
    /// The assumptions they were computed under.
    pub assumptions: Assumptions,
    pub rules: Arc<Vec<RuleSummary>>,
    /// The columns each table's RLS policies filter on, under the same assumptions (for the
    /// index coverage view: finding them needs the parser, which only the worker has).
    pub rls_filters: pglens_core::coverage::FilterColumns,
}

/// The drift report between the two snapshots, with what its page needs beside it.
pub struct DriftData {
    pub drift: Drift,
    pub counts: DriftCounts,
    /// The snapshots on each side: A is the reference, B the one that drifted (the main snapshot
    /// and the compare one, or the other way round when `swapped`).
    pub a: Arc<Data>,
    pub b: Arc<Data>,
    pub swapped: bool,
    /// Lowercase search text of each change (key, old key, reason), indexed like `drift.changes`.
    pub search: Vec<String>,
    pub compute_ms: f64,
}

impl DriftData {
    pub fn new(drift: Drift, a: Arc<Data>, b: Arc<Data>, swapped: bool, compute_ms: f64) -> DriftData {
        let counts = drift.counts();
        let search = drift.changes.iter().map(crate::drift_view::search_text).collect();
        DriftData { drift, counts, a, b, swapped, search, compute_ms }
    }

    /// The change with the stable id `id`, by index.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.drift.changes.iter().position(|c| c.id == id)
    }
}

/// Which snapshot a load replaces.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Slot {
    /// The snapshot every page shows (and the worker keeps for `check` requests).
    #[default]
    Main,
    /// The second snapshot, compared with the main one on the Drift page.
    Compare,
}

/// The ER diagram asked of the worker, and its last answer.
#[derive(Clone, Debug, Default)]
pub struct ErdState {
    /// The request sent last, with its id; answers to older ids are dropped.
    pub asked: Option<(u64, Request)>,
    pub answer: Option<Arc<ErdAnswer>>,
}

#[derive(Debug)]
pub struct ErdAnswer {
    pub id: u64,
    pub request: Request,
    /// `Err`: why the selection is empty (an unknown table, no path).
    pub diagram: Result<Arc<Diagram>, String>,
    /// Selecting and laying out in the worker, and from asking to the answer here.
    pub worker_ms: f64,
    pub round_trip_ms: f64,
}

/// The TypeScript types the worker generated for the Types page, and the drift of an app's
/// types file dropped beside the dump.
#[derive(Clone, Debug, Default)]
pub struct TypesState {
    /// The request sent last, with its id; answers to older ids are dropped.
    pub asked: Option<(u64, TypesRequest)>,
    pub answer: Option<Arc<TypesAnswer>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypesRequest {
    pub schemas: Vec<String>,
    /// The app's types file: (name, text).
    pub check: Option<(String, String)>,
}

#[derive(Debug)]
pub struct TypesAnswer {
    pub request: TypesRequest,
    pub text: String,
    /// The drift from the types file, or why it could not be read (`line:column: message`).
    pub drift: Option<Result<pglens_core::typegen::check::TypeDrift, String>>,
    pub worker_ms: f64,
}

/// What the worker is doing.
#[derive(Clone, Debug, PartialEq)]
pub enum Job {
    Idle,
    Loading { names: Vec<String>, done_bytes: u64, total_bytes: u64, statements: u64, slot: Slot },
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub data: RwSignal<Option<Arc<Data>>>,
    /// The snapshot compared with `data` on the Drift page (loaded into the worker's `compare`
    /// slot: no checks run on it, and it does not replace the worker's snapshot).
    pub compare: RwSignal<Option<Arc<Data>>>,
    /// The names the user gave the main and the compare snapshot on the Drift page ("prod",
    /// "staging"); empty = the side's letter. They follow their snapshot when A and B are swapped.
    pub main_label: RwSignal<String>,
    pub compare_label: RwSignal<String>,
    /// SHA-256 per file of `data`, which the worker sends just after the snapshot.
    pub fingerprints: RwSignal<Vec<Option<String>>>,
    pub job: RwSignal<Job>,
    /// A message shown in a banner until dismissed or the next load starts.
    pub error: RwSignal<Option<String>>,
    pub route: RwSignal<Route>,
    /// Search boxes keep their text across navigation.
    pub table_query: RwSignal<String>,
    pub list_query: RwSignal<String>,
    /// A file is being dragged over the page.
    pub dragging: RwSignal<bool>,
    /// Assumptions the user chose or edited; `None` = the preset that fits the snapshot. Kept
    /// across loads, so a second dump is read under the same stated facts.
    pub assumptions_override: RwSignal<Option<Assumptions>>,
    /// The assumptions in force.
    pub assumptions: Memo<Assumptions>,
    /// The access matrix for the snapshot under the assumptions in force. Lazy: computed when
    /// a page first reads it, again only when the snapshot or the assumptions change.
    pub access: Memo<Option<Arc<AccessData>>>,
    /// The health checks' findings; `None` while the worker computes them.
    pub findings: RwSignal<Option<Arc<Findings>>>,
    /// The drift from A to B, when both snapshots are there. Lazy like `access`: computed on this
    /// thread (the diff reads the model only) when the Drift page first reads it, again only when
    /// a snapshot or the swap (`swap=1` in the Drift page's hash) changes.
    pub drift: Memo<Option<Arc<DriftData>>>,
    /// The ER diagram the worker laid out for the page (selecting and laying out the whole
    /// snapshot's graph takes longer than a frame on GitLab's schema, so it never runs here).
    pub erd: RwSignal<ErdState>,
    pub types: RwSignal<TypesState>,
    /// An app's `database.types.ts` dropped or picked with the dump (name, text); kept across
    /// loads, compared with each snapshot on the Types page.
    pub types_file: RwSignal<Option<(String, String)>>,
    /// The files the page's address named (`?snapshot=..&compare=..`), while they are still the
    /// ones shown: a Share link names them. Loading local files clears the side they replace.
    pub sources: RwSignal<Option<crate::sources::Sources>>,
}

impl AppState {
    pub fn new() -> AppState {
        let data: RwSignal<Option<Arc<Data>>> = RwSignal::new(None);
        let assumptions_override = RwSignal::new(None::<Assumptions>);
        let assumptions = Memo::new(move |_| match data.get() {
            Some(d) => side_assumptions(assumptions_override.get(), &d),
            None => assumptions_override.get().unwrap_or_default(),
        });
        let access = arc_option_memo(move || {
            let d = data.get()?;
            let a = assumptions.get();
            let t0 = now_ms();
            let m = access::matrix(&d.loaded.snapshot, &a);
            let ms = now_ms() - t0;
            leptos::logging::log!(
                "pglens: access matrix of {} relations, {} functions × {} roles in {ms:.1} ms",
                m.relations.len(),
                m.functions.len(),
                m.roles.len()
            );
            Some(Arc::new(AccessData::new(m, ms)))
        });
        let route = RwSignal::new(Route::Overview);
        let compare: RwSignal<Option<Arc<Data>>> = RwSignal::new(None);
        // The swap lives in the Drift page's hash; elsewhere the last one holds (the report is not
        // computed again on the way back).
        let swapped = Memo::new(move |prev: Option<&bool>| match &*route.read() {
            Route::Drift(v) => v.swap,
            _ => prev.copied().unwrap_or(false),
        });
        let drift = arc_option_memo(move || {
            let (main, other) = (data.get()?, compare.get()?);
            let swapped = swapped.get();
            let (a, b) = if swapped { (other, main) } else { (main, other) };
            // As `pglens diff` decides: B's API roles make its new grants and policies P0.
            let exposed = side_assumptions(assumptions_override.get(), &b).api_roles;
            let options = diff::Options { exposed_roles: exposed, ignore: vec![] };
            let t0 = now_ms();
            let d = diff::diff(&a.loaded.snapshot, &b.loaded.snapshot, &options);
            let ms = now_ms() - t0;
            let report = DriftData::new(d, a, b, swapped, ms);
            let c = &report.counts;
            leptos::logging::log!(
                "pglens: drift of {} changes (P0 {}, P1 {}, P2 {}) from {} to {} in {ms:.1} ms",
                report.drift.changes.len(),
                c.p0,
                c.p1,
                c.p2,
                report.drift.a_files.join(" + "),
                report.drift.b_files.join(" + ")
            );
            Some(Arc::new(report))
        });
        AppState {
            data,
            compare,
            main_label: RwSignal::new(String::new()),
            compare_label: RwSignal::new(String::new()),
            fingerprints: RwSignal::new(Vec::new()),
            job: RwSignal::new(Job::Idle),
            error: RwSignal::new(None),
            route,
            table_query: RwSignal::new(String::new()),
            list_query: RwSignal::new(String::new()),
            dragging: RwSignal::new(false),
            assumptions_override,
            assumptions,
            access,
            findings: RwSignal::new(None),
            drift,
            erd: RwSignal::new(ErdState::default()),
            types: RwSignal::new(TypesState::default()),
            types_file: RwSignal::new(None),
            sources: RwSignal::new(None),
        }
    }

    /// Shows `route`. `replace` edits the current history entry (filters typed into a page),
    /// otherwise a new entry is pushed (so Back returns to the previous view).
    pub fn navigate(&self, route: Route, replace: bool) {
        let href = route.href();
        if replace {
            if let Ok(h) = window().history() {
                let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&href));
            }
            self.route.set(route);
        } else {
            // The hashchange listener sets the route.
            let _ = window().location().set_hash(&href);
        }
    }
}

/// The assumptions a snapshot is read under: those edited on the Access page (the `pglens.toml`
/// it shows, which CI passes as `--config`), else the preset that fits the snapshot. The main
/// snapshot's are [`AppState::assumptions`]; the drift reads B's, as `pglens diff` does.
pub fn side_assumptions(edited: Option<Assumptions>, d: &Data) -> Assumptions {
    edited.unwrap_or_else(|| Assumptions::for_snapshot(&d.loaded.snapshot))
}

/// Milliseconds from the page's clock (sub-millisecond where the browser allows).
pub fn now_ms() -> f64 {
    window().performance().map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_state() -> AppState {
    expect_context::<AppState>()
}

/// A memo over an `Arc` that counts as changed only when the `Arc` itself is new (no deep
/// comparison of big lists, and no `PartialEq` needed on the items).
pub fn arc_memo<T: Send + Sync + 'static>(f: impl Fn() -> Arc<T> + Send + Sync + 'static) -> Memo<Arc<T>> {
    Memo::new_with_compare(
        move |_| f(),
        |a, b| match (a, b) {
            (Some(a), Some(b)) => !Arc::ptr_eq(a, b),
            _ => true,
        },
    )
}

/// [`arc_memo`] for an optional `Arc`.
pub fn arc_option_memo<T: Send + Sync + 'static>(f: impl Fn() -> Option<Arc<T>> + Send + Sync + 'static) -> Memo<Option<Arc<T>>> {
    Memo::new_with_compare(
        move |_| f(),
        |a, b| match (a, b) {
            (Some(Some(a)), Some(Some(b))) => !Arc::ptr_eq(a, b),
            (Some(None), Some(None)) => false,
            _ => true,
        },
    )
}
