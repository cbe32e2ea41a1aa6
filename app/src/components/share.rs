//! The top bar's Share button: a link to this page and view that reopens the same files, when
//! they came from the page's address (`?snapshot=..`, see [`crate::sources`]); files opened from
//! disk cannot be named in a link, and the panel says so. The link goes to the clipboard and is
//! shown, selectable, in case the browser refuses the clipboard.

use crate::state::use_state;
use leptos::prelude::*;

#[component]
pub fn Share() -> impl IntoView {
    let state = use_state();
    // The link, and whether it names the files.
    let shown = RwSignal::new(None::<(String, bool)>);
    let share = move |_| {
        let loc = window().location();
        let sources = state.sources.get_untracked().filter(|s| !s.main().is_empty());
        let search = sources.as_ref().map(|s| s.to_search()).unwrap_or_default();
        let link =
            format!("{}{}{search}{}", loc.origin().unwrap_or_default(), loc.pathname().unwrap_or_default(), loc.hash().unwrap_or_default());
        // The promise's outcome does not matter: the panel shows the link either way.
        let _ = window().navigator().clipboard().write_text(&link);
        shown.set(Some((link, sources.is_some())));
    };
    view! {
        <button class="button" id="share" title="Copy a link to this view" on:click=share>"Share"</button>
        {move || shown.get().map(|(link, names_files)| view! {
            <div class="share-panel" id="share-panel">
                <input id="share-link" readonly prop:value=link.clone() on:focus=|ev| {
                    use wasm_bindgen::JsCast;
                    if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { i.select() }
                } />
                <span class="dim small">{if names_files {
                    "Copied. The link reopens these files (served beside pglens) and this view."
                } else {
                    "Copied. These files were opened from disk, so the link reopens this view only: serve the files beside pglens and open it with ?snapshot=<file> to share them too."
                }}</span>
                <button class="link" id="share-close" on:click=move |_| shown.set(None)>"Close"</button>
            </div>
        })}
    }
}
