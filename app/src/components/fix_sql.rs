//! A finding's fix: its SQL with a copy button.

use leptos::prelude::*;

#[component]
pub fn FixSql(sql: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let text = sql.clone();
    let copy = move |_| {
        let clipboard = window().navigator().clipboard();
        let _ = clipboard.write_text(&text);
        copied.set(true);
    };
    view! {
        <div class="fix">
            <div class="fix-head"><span>"Fix"</span>
                <button class="link copy" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy" }}</button></div>
            <pre class="sql">{sql}</pre>
        </div>
    }
}
