//! A virtualized grid: only the rows in (and just around) the viewport exist in the DOM, so a
//! list of thousands of tables scrolls as smoothly as one of ten. Rows have a fixed height.

use crate::helpers::visible_window;
use leptos::html;
use leptos::prelude::*;
use std::sync::Arc;

/// Rows rendered above and below the viewport.
const OVERSCAN: usize = 12;

#[component]
pub fn VirtualRows<T, R, V>(
    /// The rows; a new `Arc` means new contents (rows are keyed by the `Arc`'s address and index).
    #[prop(into)]
    items: Signal<Arc<Vec<T>>>,
    /// CSS `grid-template-columns` shared by the header and the rows.
    #[prop(into)]
    columns: String,
    headers: Vec<&'static str>,
    /// Renders the cells of one row (index, item).
    row: R,
    #[prop(default = 30.0)] row_height: f64,
    /// Shown instead of the rows when there are none.
    #[prop(into, default = "Nothing to show.".to_string())]
    empty: String,
    /// Test id of the scrolling element.
    #[prop(into, default = "vlist".to_string())]
    id: String,
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
    let rows = move || {
        let items = items.get();
        let (start, end) = visible_window(scroll_top.get(), viewport.get(), row_height, items.len(), OVERSCAN);
        let id = Arc::as_ptr(&items) as usize;
        (start..end).map(|i| (id, i, items[i].clone())).collect::<Vec<_>>()
    };
    // Styles go through CSSOM (`style:`), which a CSP without 'unsafe-inline' allows.
    let head_columns = columns.clone();
    let row_columns = columns.clone();
    let headers = headers.into_iter().map(|h| view! { <div class="vcell">{h}</div> }).collect_view();
    view! {
        <div class="vlist">
            <div class="vhead" style:grid-template-columns=head_columns>{headers}</div>
            <Show when=move || len.get() == 0>
                <p class="empty">{empty.clone()}</p>
            </Show>
            <div class="vscroll" class:hidden=move || len.get() == 0 id=id node_ref=scroller on:scroll=move |_| measure()>
                <div class="vspace" style:height=move || format!("{}px", len.get() as f64 * row_height)>
                    <For
                        each=rows
                        key=|(id, i, _)| (*id, *i)
                        children=move |(_, i, item)| {
                            let cells = row(i, item);
                            view! {
                                <div
                                    class="vrow"
                                    class:odd=i % 2 == 1
                                    style:top=format!("{}px", i as f64 * row_height)
                                    style:height=format!("{row_height}px")
                                    style:grid-template-columns=row_columns.clone()
                                >
                                    {cells}
                                </div>
                            }
                        }
                    />
                </div>
            </div>
        </div>
    }
}
