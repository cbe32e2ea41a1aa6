//! The top bar's Report button: saves the self-contained HTML report of what is open (see
//! [`crate::report_file`]). It waits for the health checks, which the report lists.

use crate::download::save_text;
use crate::state::{now_ms, use_state};
use leptos::prelude::*;

#[component]
pub fn ReportButton() -> impl IntoView {
    let state = use_state();
    let ready = move || state.data.with(|d| d.is_some()) && state.findings.with(|f| f.is_some());
    // The last report's size and the time it took, for the e2e test and the curious.
    let made = RwSignal::new(None::<(usize, f64)>);
    let save = move |_| {
        let t0 = now_ms();
        let saved = crate::report_file::build(state).and_then(|(name, text)| save_text(&name, "text/html", &text).map(|()| text.len()));
        match saved {
            Ok(bytes) => {
                let ms = now_ms() - t0;
                leptos::logging::log!("pglens: report of {} KB in {ms:.0} ms", bytes.div_ceil(1024));
                made.set(Some((bytes, ms)));
            }
            Err(e) => state.error.set(Some(format!("Cannot make the report: {e}"))),
        }
    };
    view! {
        <button
            class="button"
            id="download-report"
            title=move || if ready() {
                "Download one HTML file with the findings, access matrix, drift and inventory: it opens anywhere, offline, and equals `pglens report` on the same files"
            } else {
                "The report is ready once the health checks have run"
            }
            disabled=move || !ready()
            data-bytes=move || made.get().map(|(b, _)| b.to_string())
            data-ms=move || made.get().map(|(_, ms)| format!("{ms:.1}"))
            on:click=save
        >
            "Report"
        </button>
    }
}
