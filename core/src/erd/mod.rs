//! The ER diagram: the graph of tables and foreign keys ([`graph`]), the part of it a diagram
//! shows ([`select`]), and its layout ([`layout`]) with the crossing count it is judged by
//! ([`crossings`]), the health marks painted over it ([`overlay`]), and the standalone SVG file
//! of a drawing ([`svg`]).
//!
//! ```text
//! Snapshot ─Graph::of─▶ Graph ─neighbourhood / schema / overview / tables(path)─▶ Graph ─layout─▶ Layout
//! Graph + Layout (+ Overlay::of(snapshot, graph, findings)) ─svg::render─▶ standalone SVG
//! ```
//!
//! Invariants:
//! - Pure and deterministic: the same snapshot, selection and options give the same graph and
//!   the same layout on every target (native and wasm), so the app can run it in a worker and a
//!   test can compare figures.
//! - Plain serde data out: node boxes, edge polylines, sizes, the crossing count. No DOM, no
//!   fonts: text widths are `characters × char_width`, the texts themselves come from
//!   [`Node::header_text`] and [`Row::text`], which the UI draws.
//! - Bounded on GitLab's schema (about 1,400 tables and 1,700 foreign keys, hubs with hundreds of
//!   them): see the layout's invariants, and `cargo bench -p pglens-core --bench erd`.

pub mod crossings;
pub mod diagram;
pub mod graph;
pub mod layout;
pub mod overlay;
pub mod select;
pub mod svg;

#[cfg(test)]
mod tests;

pub use crossings::count_crossings;
pub use diagram::{Diagram, Request, BADGE_CHARS};
pub use graph::{Detail, Edge, EdgeKind, Graph, GraphOptions, Node, NodeKind, Row};
pub use layout::{layout, ClusterBox, Clustering, EdgePath, Layout, LayoutOptions, NodeBox};
pub use overlay::{EdgeMarks, NodeMarks, Overlay, Rls};
pub use select::{hop_distances, neighbourhood, overview, path, schema, tables, Selection};
pub use svg::{render, SvgOptions};
