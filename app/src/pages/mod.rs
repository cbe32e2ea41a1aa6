//! One module per hash route.
pub mod diagnostics;
pub mod lists;
pub mod overview;
pub mod table;
pub mod tables;

use leptos::prelude::*;

/// What a page shows before any snapshot has arrived.
#[component]
pub fn NoData() -> impl IntoView {
    view! { <p class="empty">"No snapshot loaded yet. Drop .sql files on the page or use “Open files…”."</p> }
}
