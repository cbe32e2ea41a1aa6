//! pglens Web Worker: runs `pglens-core`'s loader (and so pg_query) off the UI thread.
//!
//! Protocol (every message to the app is a JSON string, see app/src/client.rs):
//! - in: `{files: [{name: string, bytes: ArrayBuffer}], slot?: "compare" | "restore"}` (buffers
//!   transferred), or `"crash"` (a test hook: the worker panics, which the app must detect through
//!   `onerror`), or the JSON string `{"check":{"assumptions":Assumptions,"checks":ChecksConfig}}`
//!   to rerun the health checks on the last snapshot with other settings, or
//!   `{"erd":{"id":n,"request":erd::Request}}` to lay out an ER diagram of the last snapshot;
//!   `{"typegen":{"id":n,"schemas":[..],"check":"<an app's types file>"|null}}` for its TypeScript
//!   types (and their drift from that file), answered `{"type":"typegen","id","text","drift","error","ms"}`;
//! - out: `{"type":"ready"}` at start; `{"type":"progress",...}` between statements;
//!   `{"type":"done","loaded":Loaded,"texts":[..]}` at the end, then
//!   `{"type":"fingerprints","sha256":[..]}` (hashing waits until the snapshot is shown), then
//!   `{"type":"findings","findings":[Finding],"assumptions":Assumptions,"rules":[RuleSummary],
//!   "rls_filters":coverage::FilterColumns}` (the checks with the
//!   snapshot's default settings; again after each `check` request);
//!   `{"type":"erd","id":n,"diagram":erd::Diagram|null,"error":string|null,"ms":f64}` for an
//!   `erd` request (`ms`: selecting and laying out, here);
//!   `{"type":"error","message":..}` for a request it cannot read.
//! - A load with `slot: "compare"` (the second snapshot of the app's Drift page) posts progress
//!   the same way, then only `{"type":"done","slot":"compare","loaded":..,"texts":[..]}`: no
//!   fingerprints, no findings, and the last snapshot (the one `check` requests use) stays.
//! - A load with `slot: "restore"` (the app's main snapshot again, sent to a worker that replaced a
//!   cancelled or crashed one) becomes the last snapshot and answers with findings only.
//!
//! Cancelling is the app's job: it terminates this worker and starts a new one.

use js_sys::{Array, Reflect, Uint8Array};
use pglens_core::access::Assumptions;
use pglens_core::checks::{self, ChecksConfig, Finding, RuleSummary};
use pglens_core::coverage::{self, FilterColumns};
use pglens_core::erd::{Diagram, Graph, GraphOptions, Request};
use pglens_core::typegen::{self, check::TypeDrift};
use pglens_core::{InputFile, Loaded, Progress, Snapshot};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum ToApp<'a> {
    Ready,
    Progress {
        done_bytes: u64,
        total_bytes: u64,
        statements: u64,
    },
    Done {
        /// `Some("compare")` for a load into the compare slot; absent for the main snapshot.
        #[serde(skip_serializing_if = "Option::is_none")]
        slot: Option<&'a str>,
        loaded: &'a Loaded,
        texts: &'a [String],
    },
    /// SHA-256 per file, sent after `done` so hashing does not delay the snapshot.
    Fingerprints {
        sha256: Vec<Option<String>>,
    },
    Findings {
        findings: &'a [Finding],
        assumptions: &'a Assumptions,
        rules: &'a [RuleSummary],
        /// The columns RLS policies filter on, per table (the index coverage view needs the
        /// parser for them, and only this wasm has it).
        rls_filters: &'a FilterColumns,
    },
    Erd {
        id: u64,
        diagram: Option<&'a Diagram>,
        error: Option<String>,
        ms: f64,
    },
    /// The TypeScript types of the last snapshot, and the drift of an app's types file.
    Typegen {
        id: u64,
        text: &'a str,
        drift: Option<&'a TypeDrift>,
        error: Option<String>,
        ms: f64,
    },
    Error {
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TextRequest {
    Check { check: CheckSettings },
    Erd { erd: ErdRequest },
    Typegen { typegen: TypegenRequest },
}

#[derive(Deserialize)]
struct TypegenRequest {
    id: u64,
    schemas: Vec<String>,
    /// An app's `database.types.ts` to compare with the snapshot.
    check: Option<String>,
}

fn post_typegen(scope: &DedicatedWorkerGlobalScope, r: &TypegenRequest) {
    let t0 = now_ms();
    LAST.with(|l| {
        let last = l.borrow();
        let Some(snap) = last.as_ref() else {
            return post(scope, &ToApp::Error { message: "No snapshot loaded.".into() });
        };
        let text = typegen::generate(snap, &typegen::Options { schemas: r.schemas.clone(), ..Default::default() });
        let (drift, error) = match r.check.as_deref().map(|t| typegen::check::check(snap, t)) {
            None => (None, None),
            Some(Ok(d)) => (Some(d), None),
            Some(Err(e)) => (None, Some(format!("{}:{}: {}", e.line, e.column, e.message))),
        };
        post(scope, &ToApp::Typegen { id: r.id, text: &text, drift: drift.as_ref(), error, ms: now_ms() - t0 });
    });
}

#[derive(Deserialize)]
struct ErdRequest {
    id: u64,
    request: Request,
}

#[derive(Deserialize)]
struct CheckSettings {
    assumptions: Assumptions,
    #[serde(default)]
    checks: ChecksConfig,
}

thread_local! {
    /// The last snapshot loaded, kept for `check` requests (the app holds its own copy to show).
    static LAST: RefCell<Option<Snapshot>> = const { RefCell::new(None) };
    /// The last snapshot's diagram graph, built at its first `erd` request.
    static GRAPH: RefCell<Option<Graph>> = const { RefCell::new(None) };
}

fn post_erd(scope: &DedicatedWorkerGlobalScope, r: &ErdRequest) {
    let t0 = now_ms();
    let result = LAST.with(|l| {
        let last = l.borrow();
        let snap = last.as_ref().ok_or_else(|| "No snapshot loaded.".to_string())?;
        GRAPH.with(|g| {
            let mut g = g.borrow_mut();
            let graph = g.get_or_insert_with(|| Graph::of(snap, GraphOptions::default()));
            Diagram::of(graph, &r.request)
        })
    });
    let ms = now_ms() - t0;
    let (diagram, error) = match result {
        Ok(d) => (Some(d), None),
        Err(e) => (None, Some(e)),
    };
    post(scope, &ToApp::Erd { id: r.id, diagram: diagram.as_ref(), error, ms });
}

fn now_ms() -> f64 {
    js_sys::global().unchecked_into::<DedicatedWorkerGlobalScope>().performance().map_or(0.0, |p| p.now())
}

fn post_findings(scope: &DedicatedWorkerGlobalScope, snap: &Snapshot, assumptions: &Assumptions, config: &ChecksConfig) {
    let findings = checks::run(snap, assumptions, config);
    let rls_filters = coverage::filter_columns(snap, assumptions);
    post(scope, &ToApp::Findings { findings: &findings, assumptions, rules: &checks::summaries(), rls_filters: &rls_filters });
}

fn post(scope: &DedicatedWorkerGlobalScope, msg: &ToApp) {
    let text = serde_json::to_string(msg).unwrap_or_else(|e| format!(r#"{{"type":"error","message":"cannot encode the result: {e}"}}"#));
    // Posting a string only fails if the scope is gone; nothing useful to do then.
    let _ = scope.post_message(&JsValue::from_str(&text));
}

/// Where a load goes.
#[derive(Clone, Copy, PartialEq)]
enum Slot {
    Main,
    /// The Drift page's second snapshot.
    Compare,
    /// The app's main snapshot again, for a worker that replaced a cancelled or crashed one.
    Restore,
}

/// The request's files, and where they load.
fn read_request(data: &JsValue) -> Result<(Vec<InputFile>, Slot), String> {
    let files = Reflect::get(data, &"files".into()).map_err(|_| "request without files".to_string())?;
    let files: Array = files.dyn_into().map_err(|_| "files is not an array".to_string())?;
    let mut out = Vec::with_capacity(files.length() as usize);
    for f in files.iter() {
        let name = Reflect::get(&f, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_else(|| "unnamed".into());
        let bytes = Reflect::get(&f, &"bytes".into()).map_err(|_| format!("{name}: no bytes"))?;
        if !(bytes.is_instance_of::<js_sys::ArrayBuffer>() || bytes.is_instance_of::<Uint8Array>()) {
            return Err(format!("{name}: bytes is not an ArrayBuffer"));
        }
        out.push(InputFile { name, bytes: Uint8Array::new(&bytes).to_vec() });
    }
    let slot = match Reflect::get(data, &"slot".into()).ok().filter(|s| !s.is_undefined() && !s.is_null()) {
        None => Slot::Main,
        Some(s) if s.as_string().as_deref() == Some("compare") => Slot::Compare,
        Some(s) if s.as_string().as_deref() == Some("restore") => Slot::Restore,
        Some(s) => return Err(format!("unknown slot {s:?}")),
    };
    Ok((out, slot))
}

fn handle(scope: &DedicatedWorkerGlobalScope, data: JsValue) {
    if let Some(text) = data.as_string() {
        if text == "crash" {
            panic!("crash requested by the app (test hook)");
        }
        return match serde_json::from_str::<TextRequest>(&text) {
            Ok(TextRequest::Check { check }) => LAST.with(|l| match l.borrow().as_ref() {
                Some(snap) => post_findings(scope, snap, &check.assumptions, &check.checks),
                None => post(scope, &ToApp::Error { message: "no snapshot loaded to check".into() }),
            }),
            Ok(TextRequest::Erd { erd }) => post_erd(scope, &erd),
            Ok(TextRequest::Typegen { typegen }) => post_typegen(scope, &typegen),
            Err(e) => post(scope, &ToApp::Error { message: format!("unreadable request: {e}") }),
        };
    }
    let (files, slot) = match read_request(&data) {
        Ok(f) => f,
        Err(message) => return post(scope, &ToApp::Error { message }),
    };
    // The texts come back too: the app shows source lines from the text the spans index into.
    let (mut loaded, texts) = pglens_core::load_with_sources(files, &mut |p: Progress| {
        post(scope, &ToApp::Progress { done_bytes: p.done_bytes, total_bytes: p.total_bytes, statements: p.statements });
        true
    });
    match slot {
        // A snapshot to compare with: the app diffs it on its side; nothing else to do here.
        Slot::Compare => return post(scope, &ToApp::Done { slot: Some("compare"), loaded: &loaded, texts: &texts }),
        // The app has this snapshot already: only the findings go back.
        Slot::Restore => {}
        Slot::Main => {
            post(scope, &ToApp::Done { slot: None, loaded: &loaded, texts: &texts });
            pglens_core::fingerprint(&mut loaded.snapshot.files, &texts);
            post(scope, &ToApp::Fingerprints { sha256: loaded.snapshot.files.iter().map(|f| f.sha256.clone()).collect() });
        }
    }
    let config = pglens_core::config::Config::default();
    let assumptions = config.assumptions_for(&loaded.snapshot);
    post_findings(scope, &loaded.snapshot, &assumptions, &config.checks);
    LAST.with(|l| *l.borrow_mut() = Some(loaded.snapshot));
    GRAPH.with(|g| *g.borrow_mut() = None);
}

fn main() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let inner = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| handle(&inner, ev.data()));
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&scope, &ToApp::Ready);
}
