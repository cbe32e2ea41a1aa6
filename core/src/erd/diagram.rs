//! One drawable diagram: a selection of the graph, trimmed to what its boxes show, and its
//! layout. The app's worker makes these for the page, the CLI for its SVG output.
//!
//! Invariants:
//! - [`Diagram::graph`] holds only the rows shown at the diagram's detail (the overview carries
//!   no columns), so posting a diagram to the UI thread costs what it draws, and
//!   [`Node::rows`](super::Node::rows) gives the same rows as on the untrimmed graph.
//! - Deterministic, like the layout: the same graph and request give the same diagram.

use super::graph::{Detail, Graph};
use super::layout::{layout, Clustering, Layout, LayoutOptions};
use super::select::Selection;
use serde::{Deserialize, Serialize};

/// Characters kept in each header for the health marks when they are drawn: a space, the
/// priority badge (3) and the policy count (`99 pol`, right-aligned).
pub const BADGE_CHARS: u32 = 10;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub selection: Selection,
    /// `None`: the selection's default ([`Selection::default_detail`]).
    #[serde(default)]
    pub detail: Option<Detail>,
    /// Leave room in the headers for the overlay's marks.
    #[serde(default)]
    pub marks: bool,
    /// `None`: the selection's default ([`Selection::clustering`]).
    #[serde(default)]
    pub clustering: Option<Clustering>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagram {
    pub request: Request,
    pub graph: Graph,
    pub layout: Layout,
    pub options: LayoutOptions,
}

impl Diagram {
    /// Selects, trims and lays out; the error says why the selection is empty.
    pub fn of(full: &Graph, request: &Request) -> Result<Diagram, String> {
        let mut graph = request.selection.apply(full)?;
        let detail = request.detail.unwrap_or_else(|| request.selection.default_detail());
        for n in &mut graph.nodes {
            n.columns.retain(|r| r.shown_at(detail));
        }
        let options = LayoutOptions {
            clustering: request.clustering.unwrap_or_else(|| request.selection.clustering()),
            badge_chars: if request.marks { BADGE_CHARS } else { 0 },
            ..LayoutOptions::for_detail(detail)
        };
        let layout = layout(&graph, &options);
        Ok(Diagram { request: request.clone(), graph, layout, options })
    }
}
