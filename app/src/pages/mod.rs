//! One module per hash route.
pub mod access;
pub mod checks;
pub mod diagnostics;
pub mod drift;
pub mod erd;
pub mod lists;
pub mod overview;
pub mod table;
pub mod tables;
pub mod types;

use crate::state::{use_state, Data};
use leptos::prelude::*;
use std::sync::Arc;

/// A page frame: title, then the body built from the snapshot (or the no-data message). The
/// body is built again when a new snapshot arrives.
pub fn data_page<F, V>(title: &'static str, class: &'static str, body: F) -> impl IntoView
where
    F: Fn(Arc<Data>) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let state = use_state();
    view! {
        <section class=format!("page {class}")>
            <h1>{title}</h1>
            {move || match state.data.get() {
                None => view! { <NoData /> }.into_any(),
                Some(d) => body(d).into_any(),
            }}
        </section>
    }
}

/// What a page shows before any snapshot has arrived.
#[component]
pub fn NoData() -> impl IntoView {
    view! { <p class="empty">"No snapshot loaded yet. Drop .sql files (and pg_policies exports) on the page or use “Open files…”."</p> }
}
