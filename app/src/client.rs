//! The app's side of the worker protocol. The UI thread never parses SQL: files go to the worker
//! (`worker_loader.js`, built by trunk from `worker/`), which answers with JSON strings:
//!   `{"type":"ready"}` once its wasm has started (requests are queued until then),
//!   `{"type":"progress","done_bytes":..,"total_bytes":..,"statements":..}` while loading,
//!   `{"type":"done","loaded":<pglens_core::Loaded>,"texts":[<decoded text per file>]}`,
//!   `{"type":"fingerprints",..}` and `{"type":"findings","findings":..,"assumptions":..,"rules":..}`
//!   after it (the health checks under the snapshot's preset; again after each `check` request),
//!   `{"type":"erd","id":n,"diagram":..,"error":..,"ms":..}` for an ER diagram request
//!   (`{"erd":{"id":n,"request":pglens_core::erd::Request}}`, see [`ask_erd`]),
//!   `{"type":"error","message":".."}` for a request it could not read.
//! A load request `{files, slot: "compare"}` loads the Drift page's second snapshot: progress as
//! usual, then `{"type":"done","slot":"compare",..}` alone (no fingerprints, no findings, and the
//! worker keeps the main snapshot for `check` requests).
//! Cancel = terminate the worker and start a new one. A worker that dies (a trap, a failed
//! script load) fires `error` on the Worker object: we report it and start a new one.

use crate::sources::{file_name, Sources};
use crate::state::{now_ms, AppState, Data, ErdAnswer, ErdState, Findings, Job, Slot, TypesAnswer, TypesRequest, TypesState};
use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use leptos::prelude::*;
use pglens_core::access::Assumptions;
use pglens_core::checks::{Finding, RuleSummary};
use pglens_core::coverage::FilterColumns;
use pglens_core::erd::{Diagram, Request};
use pglens_core::typegen::check::TypeDrift;
use pglens_core::Loaded;
use serde::Deserialize;
use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// The sample shown on first visit: a real pg_dump of the fixtures' SaaS schema.
pub const SAMPLE_NAME: &str = "saas.sql (sample)";
pub static SAMPLE: &[u8] = include_bytes!("../../fixtures/dumps/saas.sql");

/// The worker's messages. `Done`'s `slot` is `"compare"` for the Drift page's second snapshot,
/// absent (`None`) for the main one.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum FromWorker {
    Ready,
    Progress { done_bytes: u64, total_bytes: u64, statements: u64 },
    Done { loaded: Box<Loaded>, texts: Vec<String>, slot: Option<String> },
    Fingerprints { sha256: Vec<Option<String>> },
    Findings { findings: Vec<Finding>, assumptions: Assumptions, rules: Vec<RuleSummary>, rls_filters: FilterColumns },
    Erd { id: u64, diagram: Option<Box<Diagram>>, error: Option<String>, ms: f64 },
    Typegen { id: u64, text: String, drift: Option<TypeDrift>, error: Option<String>, ms: f64 },
    Error { message: String },
}

struct Client {
    worker: Worker,
    ready: bool,
    /// Requests waiting for `ready`: each message with its transfer list.
    pending: Vec<(JsValue, Array)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

thread_local! {
    static CLIENT: RefCell<Option<Client>> = const { RefCell::new(None) };
    /// Incremented for each worker; events of an older worker are ignored.
    static GENERATION: Cell<u32> = const { Cell::new(0) };
    /// When the last ER diagram request left (`performance.now()`).
    static ERD_SENT: Cell<Option<f64>> = const { Cell::new(None) };
}

fn current(gen: u32) -> bool {
    GENERATION.with(|g| g.get() == gen)
}

/// Starts a worker (terminating the previous one, if any).
pub fn spawn(state: AppState) {
    stop();
    let gen = GENERATION.with(|g| {
        g.set(g.get().wrapping_add(1));
        g.get()
    });
    let worker = match Worker::new("./worker_loader.js") {
        Ok(w) => w,
        Err(e) => {
            state.error.set(Some(format!("Could not start the worker: {}", js_text(&e))));
            return;
        }
    };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        if current(gen) {
            on_message(state, ev.data());
        }
    });
    let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |ev: ErrorEvent| {
        ev.prevent_default();
        if !current(gen) {
            return;
        }
        let what = ev.message();
        let what = if what.is_empty() { "no message".to_string() } else { what };
        let was_loading = matches!(state.job.get_untracked(), Job::Loading { .. });
        state.job.set(Job::Idle);
        state.error.set(Some(format!(
            "The worker stopped unexpectedly ({what}){}. A new worker was started; the previous snapshot is kept.",
            if was_loading { " while loading" } else { "" }
        )));
        // Not from inside this worker's own callback: replace it on the next tick.
        set_timeout(
            move || {
                spawn(state);
                restore(state);
            },
            Duration::from_millis(0),
        );
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    CLIENT.with(|c| {
        *c.borrow_mut() = Some(Client { worker, ready: false, pending: Vec::new(), _on_message: on_message, _on_error: on_error })
    });
}

fn stop() {
    if let Some(old) = CLIENT.with(|c| c.borrow_mut().take()) {
        old.worker.set_onmessage(None);
        old.worker.set_onerror(None);
        old.worker.terminate();
    }
}

fn on_message(state: AppState, data: JsValue) {
    let Some(text) = data.as_string() else {
        return;
    };
    let msg = match serde_json::from_str::<FromWorker>(&text) {
        Ok(m) => m,
        Err(e) => {
            state.job.set(Job::Idle);
            state.error.set(Some(format!("Unreadable answer from the worker: {e}")));
            return;
        }
    };
    match msg {
        FromWorker::Ready => {
            let pending = CLIENT.with(|c| {
                let mut c = c.borrow_mut();
                let client = c.as_mut()?;
                client.ready = true;
                Some((client.worker.clone(), std::mem::take(&mut client.pending)))
            });
            if let Some((worker, pending)) = pending {
                for (msg, transfer) in pending {
                    post(state, &worker, &msg, &transfer);
                }
            }
        }
        FromWorker::Progress { done_bytes, total_bytes, statements } => state.job.update(|j| {
            if let Job::Loading { done_bytes: d, total_bytes: t, statements: s, .. } = j {
                *d = done_bytes;
                *t = total_bytes;
                *s = statements;
            }
        }),
        FromWorker::Findings { findings, assumptions, rules, rls_filters } => {
            state.findings.set(Some(Arc::new(Findings { findings, assumptions, rules: Arc::new(rules), rls_filters })))
        }
        FromWorker::Done { loaded, texts, slot: Some(slot) } => {
            if slot == "compare" {
                state.compare.set(Some(Arc::new(Data::new(*loaded, texts))));
            } else {
                state.error.set(Some(format!("The worker answered for an unknown slot {slot:?}.")));
            }
            state.job.set(Job::Idle);
        }
        FromWorker::Done { loaded, texts, slot: None } => {
            state.findings.set(None);
            state.erd.set(ErdState::default());
            state.types.set(TypesState::default());
            state.fingerprints.set(loaded.snapshot.files.iter().map(|f| f.sha256.clone()).collect());
            state.data.set(Some(Arc::new(Data::new(*loaded, texts))));
            state.job.set(Job::Idle);
        }
        FromWorker::Fingerprints { sha256 } => state.fingerprints.set(sha256),
        FromWorker::Erd { id, diagram, error, ms } => {
            let Some((asked, request)) = state.erd.with_untracked(|e| e.asked.clone()).filter(|(a, _)| *a == id) else { return };
            let round_trip_ms = ERD_SENT.with(Cell::get).map_or(0.0, |t| now_ms() - t);
            let diagram = match (diagram, error) {
                (Some(d), _) => Ok(Arc::new(*d)),
                (None, e) => Err(e.unwrap_or_else(|| "The worker sent no diagram.".into())),
            };
            state.erd.update(|e| e.answer = Some(Arc::new(ErdAnswer { id: asked, request, diagram, worker_ms: ms, round_trip_ms })));
        }
        FromWorker::Typegen { id, text, drift, error, ms } => {
            let Some((_, request)) = state.types.with_untracked(|t| t.asked.clone()).filter(|(a, _)| *a == id) else { return };
            let drift = match (drift, error) {
                (Some(d), _) => Some(Ok(d)),
                (None, Some(e)) => Some(Err(e)),
                (None, None) => None,
            };
            state.types.update(|t| t.answer = Some(Arc::new(TypesAnswer { request, text, drift, worker_ms: ms })));
        }
        FromWorker::Error { message } => {
            state.job.set(Job::Idle);
            state.error.set(Some(message));
        }
    }
}

fn post(state: AppState, worker: &Worker, msg: &JsValue, transfer: &Array) {
    if let Err(e) = worker.post_message_with_transfer(msg, transfer) {
        state.job.set(Job::Idle);
        state.error.set(Some(format!("Could not send the files to the worker: {}", js_text(&e))));
    }
}

/// Loads `files` (name, bytes) into a new snapshot, replacing the one in `slot` when done.
/// A load already running (into either slot) is cancelled first.
pub fn load(state: AppState, files: Vec<(String, ArrayBuffer)>, slot: Slot) {
    if files.is_empty() {
        return;
    }
    if matches!(state.job.get_untracked(), Job::Loading { .. }) {
        spawn(state);
    }
    let list = Array::new();
    let transfer = Array::new();
    let mut total = 0u64;
    for (name, buf) in &files {
        let f = Object::new();
        let _ = Reflect::set(&f, &"name".into(), &JsValue::from_str(name));
        let _ = Reflect::set(&f, &"bytes".into(), buf);
        total += buf.byte_length() as u64;
        list.push(&f);
        transfer.push(buf);
    }
    let msg = Object::new();
    let _ = Reflect::set(&msg, &"files".into(), &list);
    if slot == Slot::Compare {
        let _ = Reflect::set(&msg, &"slot".into(), &JsValue::from_str("compare"));
    }
    let msg: JsValue = msg.into();
    state.error.set(None);
    let names = files.iter().map(|(n, _)| n.clone()).collect();
    state.job.set(Job::Loading { names, done_bytes: 0, total_bytes: total, statements: 0, slot });
    if !send(state, msg, transfer) {
        state.job.set(Job::Idle);
    }
}

/// Posts to the worker now, or once it is ready. False when there is no worker at all.
fn send(state: AppState, msg: JsValue, transfer: Array) -> bool {
    let ready_worker = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        match c.as_mut() {
            Some(client) if client.ready => Some(Some(client.worker.clone())),
            Some(client) => {
                client.pending.push((msg.clone(), transfer.clone()));
                Some(None)
            }
            None => None,
        }
    });
    match ready_worker {
        Some(Some(worker)) => {
            post(state, &worker, &msg, &transfer);
            true
        }
        Some(None) => true,
        None => {
            state.error.set(Some("No worker is running: reload the page.".into()));
            false
        }
    }
}

/// Loads the files the page's address names (see [`crate::sources`]): the main snapshot, then
/// the one to compare with once the first is in (a load cancels one still running). False when
/// the address names none. A link naming a snapshot to compare with and no page opens Drift.
pub fn load_from_address(state: AppState) -> bool {
    let loc = window().location();
    let sources = Sources::from_search(&loc.search().unwrap_or_default());
    if sources.is_empty() {
        return false;
    }
    state.sources.set(Some(sources.clone()));
    if !sources.compare.is_empty() && loc.hash().unwrap_or_default().len() <= 2 {
        let _ = loc.set_hash("#/drift");
    }
    leptos::task::spawn_local(async move {
        let main = sources.main();
        if !main.is_empty() {
            match fetch_all(&main).await {
                Ok(files) => load(state, files, Slot::Main),
                Err(e) => return state.error.set(Some(e)),
            }
        }
        if sources.compare.is_empty() {
            return;
        }
        let files = match fetch_all(&sources.compare).await {
            Ok(f) => f,
            Err(e) => return state.error.set(Some(e)),
        };
        while matches!(state.job.get_untracked(), Job::Loading { slot: Slot::Main, .. }) {
            sleep_ms(50).await;
        }
        if state.data.with_untracked(Option::is_some) {
            load(state, files, Slot::Compare);
        }
    });
    true
}

/// `raw` resolved against the page, when it is on the page's own origin.
fn same_origin(raw: &str) -> Result<String, String> {
    let loc = window().location();
    let (href, origin) = (loc.href().unwrap_or_default(), loc.origin().unwrap_or_default());
    let url = web_sys::Url::new_with_base(raw, &href).map_err(|_| format!("Refused “{raw}”: not a URL."))?;
    if url.origin() != origin || origin == "null" {
        return Err(format!(
            "Refused “{raw}”: pglens opens files from this page's own origin ({origin}) only, so nothing is fetched from anywhere else."
        ));
    }
    Ok(url.href())
}

/// Fetches every URL (all checked first: one refused URL fetches nothing), as (file name, bytes).
async fn fetch_all(urls: &[String]) -> Result<Vec<(String, ArrayBuffer)>, String> {
    let resolved = urls.iter().map(|u| same_origin(u)).collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(urls.len());
    for (raw, url) in urls.iter().zip(resolved) {
        let failed = |why: String| format!("Could not fetch {raw}: {why}");
        let resp = wasm_bindgen_futures::JsFuture::from(window().fetch_with_str(&url)).await.map_err(|e| failed(js_text(&e)))?;
        let resp: web_sys::Response = resp.unchecked_into();
        if !resp.ok() {
            return Err(failed(format!("{} {}", resp.status(), resp.status_text())));
        }
        let buf = resp.array_buffer().map_err(|e| failed(js_text(&e)))?;
        let buf = wasm_bindgen_futures::JsFuture::from(buf).await.map_err(|e| failed(js_text(&e)))?;
        out.push((file_name(raw), buf.unchecked_into::<ArrayBuffer>()));
    }
    Ok(out)
}

async fn sleep_ms(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}

/// Loads the embedded sample.
pub fn load_sample(state: AppState) {
    let buf = Uint8Array::from(SAMPLE).buffer();
    load(state, vec![(SAMPLE_NAME.to_string(), buf)], Slot::Main);
}

/// Asks the worker to run the health checks again under other assumptions (the access page's
/// editor); the answer replaces the findings.
pub fn recheck(state: AppState, assumptions: &Assumptions) {
    let request = serde_json::json!({ "check": { "assumptions": assumptions } });
    state.findings.set(None);
    send(state, JsValue::from_str(&request.to_string()), Array::new());
}

/// Stops the running load (into either slot): the worker is terminated and replaced; the
/// snapshots the app holds stay.
pub fn cancel(state: AppState) {
    spawn(state);
    restore(state);
    state.job.set(Job::Idle);
}

/// Gives a new worker the main snapshot again (from the texts the app holds), so health-check
/// requests keep working after a cancel or a crash: it answers with findings only.
fn restore(state: AppState) {
    let Some(d) = state.data.get_untracked() else { return };
    let list = Array::new();
    let transfer = Array::new();
    for (file, text) in d.loaded.snapshot.files.iter().zip(&d.texts) {
        let buf = Uint8Array::from(text.as_bytes()).buffer();
        let f = Object::new();
        let _ = Reflect::set(&f, &"name".into(), &JsValue::from_str(&file.name));
        let _ = Reflect::set(&f, &"bytes".into(), &buf);
        list.push(&f);
        transfer.push(&buf);
    }
    let msg = Object::new();
    let _ = Reflect::set(&msg, &"files".into(), &list);
    let _ = Reflect::set(&msg, &"slot".into(), &JsValue::from_str("restore"));
    send(state, msg.into(), transfer);
    let unanswered = state.erd.with_untracked(|e| e.asked.as_ref().is_some_and(|(id, _)| e.answer.as_ref().is_none_or(|a| a.id != *id)));
    if unanswered {
        send_erd(state);
    }
}

/// Asks the worker for the ER diagram of `request`, unless it is the one asked last (answered
/// or not). The answer lands in `state.erd`.
/// Asks the worker for the TypeScript types (and the drift of the types file, if any), unless
/// that is the request already asked.
pub fn ask_types(state: AppState, request: TypesRequest) {
    if state.types.with_untracked(|t| t.asked.as_ref().is_some_and(|(_, r)| *r == request)) {
        return;
    }
    let id = state.types.with_untracked(|t| t.asked.as_ref().map_or(1, |(i, _)| i + 1));
    let msg = serde_json::json!({ "typegen": { "id": id, "schemas": request.schemas, "check": request.check.as_ref().map(|(_, t)| t) } });
    state.types.update(|t| t.asked = Some((id, request)));
    send(state, JsValue::from_str(&msg.to_string()), Array::new());
}

pub fn ask_erd(state: AppState, request: Request) {
    if state.erd.with_untracked(|e| e.asked.as_ref().is_some_and(|(_, r)| *r == request)) {
        return;
    }
    let id = state.erd.with_untracked(|e| e.asked.as_ref().map_or(1, |(i, _)| i + 1));
    state.erd.update(|e| e.asked = Some((id, request)));
    send_erd(state);
}

fn send_erd(state: AppState) {
    let Some((id, request)) = state.erd.with_untracked(|e| e.asked.clone()) else { return };
    let msg = serde_json::json!({ "erd": { "id": id, "request": request } });
    ERD_SENT.with(|t| t.set(Some(now_ms())));
    send(state, JsValue::from_str(&msg.to_string()), Array::new());
}

/// Asks the worker to panic (a test hook for the dead-worker path).
pub fn crash(state: AppState) {
    send(state, JsValue::from_str("crash"), Array::new());
}

/// Reads the given files (`FileList` from an input or a drop) and loads them together into `slot`.
pub fn load_file_list(state: AppState, list: web_sys::FileList, slot: Slot) {
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    if files.is_empty() {
        return;
    }
    // An app's TypeScript types file goes to the Types page, not into the snapshot.
    let (types, files): (Vec<web_sys::File>, Vec<web_sys::File>) = files.into_iter().partition(|f| is_types_file(&f.name()));
    if let Some(t) = types.into_iter().last() {
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(t.text()).await {
                Ok(text) => {
                    state.types_file.set(Some((t.name(), text.as_string().unwrap_or_default())));
                    state.navigate(crate::helpers::Route::Types, false);
                }
                Err(e) => state.error.set(Some(format!("Could not read {}: {}", t.name(), js_text(&e)))),
            }
        });
    }
    if files.is_empty() {
        return;
    }
    // Local files replace what the address named on that side: a link can no longer name it.
    state.sources.update(|s| {
        if let Some(s) = s {
            match slot {
                Slot::Main => {
                    s.snapshot.clear();
                    s.policies.clear();
                }
                Slot::Compare => s.compare.clear(),
            }
        }
    });
    leptos::task::spawn_local(async move {
        let mut out = Vec::with_capacity(files.len());
        for f in files {
            match wasm_bindgen_futures::JsFuture::from(f.array_buffer()).await {
                Ok(buf) => out.push((f.name(), buf.unchecked_into::<ArrayBuffer>())),
                Err(e) => {
                    state.error.set(Some(format!("Could not read {}: {}", f.name(), js_text(&e))));
                    return;
                }
            }
        }
        load(state, out, slot);
    });
}

/// A TypeScript file (`database.types.ts`), told apart by its name: dumps and exports never end
/// in `.ts`.
pub fn is_types_file(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".ts") || n.ends_with(".mts") || n.ends_with(".cts")
}

pub(crate) fn js_text(v: &JsValue) -> String {
    if let Some(s) = v.as_string() {
        return s;
    }
    if let Some(e) = v.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    format!("{v:?}")
}
