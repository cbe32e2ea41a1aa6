//! The source text of a statement, with line numbers, from the file the app kept.

use crate::helpers::source_lines;
use crate::state::Data;
use leptos::prelude::*;
use pglens_core::model::Span;
use std::sync::Arc;

const MAX_LINES: usize = 400;

#[component]
pub fn SourceView(data: Arc<Data>, span: Span, #[prop(optional, into)] title: Option<String>) -> impl IntoView {
    let Some(text) = data.texts.get(span.file as usize) else {
        return view! { <p class="empty">"The source text of this object is not available."</p> }.into_any();
    };
    if span.line == 0 {
        return view! { <p class="empty">"No source location recorded."</p> }.into_any();
    }
    let (lines, cut) = source_lines(text, span.start as usize, span.end as usize, span.line, MAX_LINES);
    let last = lines.last().map(|(n, _)| *n).unwrap_or(span.line);
    let lines_label = if last == span.line { format!("line {last}") } else { format!("lines {}–{last}", span.line) };
    let caption = format!("{} {lines_label}{}", data.file_name(span.file), if cut { " (cut)" } else { "" });
    let rows = lines
        .into_iter()
        .map(|(n, l)| {
            let l = l.to_string();
            view! { <div class="src-line"><span class="src-no">{n}</span><span class="src-text">{l}</span></div> }
        })
        .collect_view();
    view! {
        <figure class="source">
            <figcaption>
                {title.map(|t| view! { <span class="src-title">{t}</span> })}
                <span class="src-where">{caption}</span>
            </figcaption>
            <pre class="src-body">{rows}</pre>
        </figure>
    }
    .into_any()
}
