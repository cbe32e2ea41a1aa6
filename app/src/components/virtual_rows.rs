//! A virtualized grid: only the rows in (and just around) the viewport exist in the DOM, so a
//! list of thousands of tables scrolls as smoothly as one of ten. Rows have a fixed height.
//! The header sits inside the scrolling element (sticky on top), so a grid wider than the page
//! scrolls sideways with its header and the columns always line up.

use crate::helpers::visible_window;
use leptos::html;
use leptos::prelude::*;
use std::sync::Arc;

/// Rows rendered above and below the viewport.
const OVERSCAN: usize = 12;

/// Header cell texts: `vec!["Table", "Kind"]` or names known only at run time (role names).
pub struct Headers(Vec<String>);

impl From<Vec<&str>> for Headers {
    fn from(v: Vec<&str>) -> Self {
        Headers(v.into_iter().map(String::from).collect())
    }
}

impl From<Vec<String>> for Headers {
    fn from(v: Vec<String>) -> Self {
        Headers(v)
    }
}

#[component]
pub fn VirtualRows<T, R, V>(
    /// The rows; a new `Arc` means new contents (rows are keyed by the `Arc`'s address and index).
    #[prop(into)]
    items: Signal<Arc<Vec<T>>>,
    /// CSS `grid-template-columns` shared by the header and the rows.
    #[prop(into)]
    columns: String,
    #[prop(into)] headers: Headers,
    /// Renders the cells of one row (index, item).
    row: R,
    #[prop(default = 30.0)] row_height: f64,
    /// Shown instead of the rows when there are none.
    #[prop(into, default = "Nothing to show.".to_string())]
    empty: String,
    /// Test id of the scrolling element.
    #[prop(into, default = "vlist".to_string())]
    id: String,
    /// A grid at least this wide (CSS length) scrolls sideways instead of squeezing its columns.
    #[prop(optional, into)]
    min_width: Option<String>,
    /// Extra class on the list, for page-specific cell styles.
    #[prop(optional)]
    variant: &'static str,
    /// The rows are the items of an ordered list (`ol` > `li`, with this extra class) instead of
    /// `div`s: for lists of entries rather than grids of cells.
    #[prop(optional)]
    list_items: Option<&'static str>,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    R: Fn(usize, T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let scroller = NodeRef::<html::Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    // The viewport is never taller than the window: rendering a window's height of rows is cheap
    // and stays right whatever the list's own height does while its contents change.
    let window_height = || window().inner_height().ok().and_then(|h| h.as_f64()).filter(|h| *h > 0.0).unwrap_or(1200.0);
    let viewport = RwSignal::new(window_height());
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            scroll_top.set(el.scroll_top() as f64);
        }
    };
    let resize = window_event_listener(leptos::ev::resize, move |_| viewport.set(window_height()));
    on_cleanup(move || resize.remove());

    let len = Memo::new(move |_| items.with(|v| v.len()));
    // New contents (another filter) start at the top: a scroll position within the old list
    // means nothing in the new one.
    Effect::new(move |prev: Option<usize>| {
        let id = items.with(|v| Arc::as_ptr(v) as usize);
        if prev.is_some_and(|p| p != id) {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
            scroll_top.set(0.0);
        }
        id
    });
    let rows = move || {
        let items = items.get();
        let (start, end) = visible_window(scroll_top.get(), viewport.get(), row_height, items.len(), OVERSCAN);
        let id = Arc::as_ptr(&items) as usize;
        (start..end).map(|i| (id, i, items[i].clone())).collect::<Vec<_>>()
    };
    // Styles go through CSSOM (`style:`), which a CSP without 'unsafe-inline' allows.
    let head_columns = columns.clone();
    let row_columns = columns.clone();
    let head_width = min_width.clone();
    let headers = headers.0.into_iter().map(|h| view! { <div class="vcell" title=h.clone()>{h.clone()}</div> }).collect_view();
    let row_tag_class = list_items.map(|c| format!("vrow {c}"));
    let each_row = move |(_, i, item): (usize, usize, T)| {
        let cells = row(i, item);
        let top = format!("{}px", i as f64 * row_height);
        let height = format!("{row_height}px");
        let columns = row_columns.clone();
        match &row_tag_class {
            Some(class) => view! {
                <li class=class.clone() class:odd=i % 2 == 1 style:top=top style:height=height style:grid-template-columns=columns>
                    {cells}
                </li>
            }
            .into_any(),
            None => view! {
                <div class="vrow" class:odd=i % 2 == 1 style:top=top style:height=height style:grid-template-columns=columns>
                    {cells}
                </div>
            }
            .into_any(),
        }
    };
    let rows_view = view! { <For each=rows key=|(id, i, _)| (*id, *i) children=each_row /> };
    let space_height = move || format!("{}px", len.get() as f64 * row_height);
    let space = match list_items {
        Some(_) => view! { <ol class="vspace" style:height=space_height style:min-width=min_width>{rows_view}</ol> }.into_any(),
        None => view! { <div class="vspace" style:height=space_height style:min-width=min_width>{rows_view}</div> }.into_any(),
    };
    view! {
        <div class=format!("vlist {variant}")>
            <div class="vscroll" id=id node_ref=scroller on:scroll=move |_| measure()>
                <div class="vhead" style:grid-template-columns=head_columns style:min-width=head_width>{headers}</div>
                {space}
            </div>
            <Show when=move || len.get() == 0>
                <p class="empty">{empty.clone()}</p>
            </Show>
        </div>
    }
}
