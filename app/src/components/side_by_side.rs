//! Two definitions of one object side by side, lines aligned by a line diff
//! ([`crate::drift_view::side_by_side`]): lines only in A are highlighted on the left (`removed`),
//! lines only in B on the right (`added`), and within a changed pair the part that differs is
//! marked. Every line is text (no markup from the dump).

use crate::drift_view::{side_by_side, SideLine};
use leptos::prelude::*;

/// One side's column head: its name (the user's label) and where its definition is.
pub struct SideHead {
    pub name: Signal<String>,
    /// `file:line`, or what to say when the object is not on this side.
    pub location: Option<String>,
}

#[component]
pub fn SideBySide(
    /// A's definition; `None` when the object is not in A.
    a: Option<String>,
    b: Option<String>,
    a_head: SideHead,
    b_head: SideHead,
    #[prop(into, default = "side-by-side".to_string())] id: String,
) -> impl IntoView {
    let rows = side_by_side(a.as_deref().unwrap_or(""), b.as_deref().unwrap_or(""));
    let (a_missing, b_missing) = (a.is_none(), b.is_none());
    let cell = move |line: Option<SideLine>, side: &'static str, missing: bool| match line {
        None => view! { <div class="line blank" class:absent=missing></div> }.into_any(),
        Some(l) => {
            let text = match l.mark {
                Some((s, e)) if e > s => view! {
                    <span class="text">{l.text[..s].to_string()}<mark>{l.text[s..e].to_string()}</mark>{l.text[e..].to_string()}</span>
                }
                .into_any(),
                _ => view! { <span class="text">{l.text}</span> }.into_any(),
            };
            let class = if !l.changed {
                "line same"
            } else if side == "a" {
                "line removed"
            } else {
                "line added"
            };
            let sign = if !l.changed {
                " "
            } else if side == "a" {
                "−"
            } else {
                "+"
            };
            view! { <div class=class><span class="no">{l.no}</span><span class="sign" aria-hidden="true">{sign}</span>{text}</div> }
                .into_any()
        }
    };
    let body = rows.into_iter().map(|r| view! { {cell(r.a, "a", a_missing)}{cell(r.b, "b", b_missing)} }).collect_view();
    let head = |h: SideHead, missing: bool, letter: &'static str| {
        let name = h.name;
        let known = h.location.unwrap_or_else(|| "no source location".to_string());
        let location = move || if missing { format!("not in {}", name.get()) } else { known.clone() };
        view! {
            <div class=format!("sbs-head side-{letter}")>
                <span class="side-name">{move || name.get()}</span>
                <span class="src-where">{location}</span>
            </div>
        }
    };
    view! {
        <figure class="sbs" id=id>
            <div class="sbs-grid">
                {head(a_head, a_missing, "a")}
                {head(b_head, b_missing, "b")}
                {body}
            </div>
        </figure>
    }
}
