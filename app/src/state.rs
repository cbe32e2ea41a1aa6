//! Application state: a few signals shared through context. The loaded snapshot is immutable
//! once received (an `Arc`), views derive what they show from it.

use crate::helpers::Route;
use leptos::prelude::*;
use pglens_core::model::{Policy, Span};
use pglens_core::Loaded;
use std::sync::Arc;

/// What the worker sent back, plus indexes the views need (built once, off the render path).
pub struct Data {
    pub loaded: Loaded,
    /// Decoded text of each input file, indexed like `loaded.snapshot.files` / `Span::file`.
    pub texts: Vec<String>,
    /// Table keys in key order, with their lowercase search text.
    pub table_keys: Arc<Vec<String>>,
    pub table_search: Vec<String>,
    /// Every policy, as (table key, policy), in table then policy order.
    pub policies: Arc<Vec<Arc<Policy>>>,
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
        let policies = loaded.snapshot.tables.values().flat_map(|t| t.policies.values().cloned().map(Arc::new)).collect();
        Data { loaded, texts, table_keys: Arc::new(table_keys), table_search, policies: Arc::new(policies) }
    }

    pub fn file_name(&self, index: u32) -> &str {
        self.loaded.snapshot.files.get(index as usize).map(|f| f.name.as_str()).unwrap_or("?")
    }

    /// `file:line:column` of a span.
    pub fn location(&self, span: &Span) -> String {
        format!("{}:{}:{}", self.file_name(span.file), span.line, span.column)
    }
}

/// What the worker is doing.
#[derive(Clone, Debug, PartialEq)]
pub enum Job {
    Idle,
    Loading { names: Vec<String>, done_bytes: u64, total_bytes: u64, statements: u64 },
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub data: RwSignal<Option<Arc<Data>>>,
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
}

impl AppState {
    pub fn new() -> AppState {
        AppState {
            data: RwSignal::new(None),
            fingerprints: RwSignal::new(Vec::new()),
            job: RwSignal::new(Job::Idle),
            error: RwSignal::new(None),
            route: RwSignal::new(Route::Overview),
            table_query: RwSignal::new(String::new()),
            list_query: RwSignal::new(String::new()),
            dragging: RwSignal::new(false),
        }
    }
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
