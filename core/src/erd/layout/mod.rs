//! A layered (Sugiyama-style) layout of the diagram graph, written for ER diagrams.
//!
//! Steps: the graph splits into connected components, each laid out on its own and then packed
//! ([`packing`]); per component: cycle breaking and layer assignment ([`layering`]), dummy nodes
//! for long edges and crossing reduction ([`ordering`]), coordinates ([`placement`]) and edge
//! polylines ([`routing`]). Layers are columns, left to right: a referenced table sits left of the
//! tables that reference it, and edges leave and enter boxes on their sides at the rows of the
//! columns they join.
//!
//! Invariants:
//! - `Layout::nodes[i]` is the box of `graph.nodes[i]` and `Layout::edges[k]` the polyline of
//!   `graph.edges[k]`: the UI joins them to the graph by index (keys are there too).
//! - No two boxes overlap, in any input (columns are as wide as their widest box, boxes in a
//!   column keep their gaps, packed components keep `component_gap`).
//! - Every polyline starts on a vertical side of its `from` box and ends on one of its `to` box.
//! - A box's size comes from what it shows at the chosen [`Detail`]: width from its widest text
//!   ([`Node::widest_chars`](super::Node::widest_chars)) × `char_width` plus padding, height from
//!   its rows (header included) × `row_height`.
//! - Same graph and options, same layout, bit for bit: no hashing, no clock, only sorted orders
//!   and IEEE arithmetic (+ − × ÷ √).
//! - Bounded cost: crossing reduction runs at most `sweeps` rounds, coordinates `rounds` rounds, and
//!   an edge spanning more than `max_span` layers is drawn straight instead of through dummies, so
//!   hub tables with hundreds of keys (GitLab's `projects`, `users`, `namespaces`) cost at most
//!   `max_span` dummies per edge.
//!
//! Why our own and not a crate (checked on docs.rs / lib.rs): layout-rs is a Graphviz-dot
//! renderer (its own graph model, records and SVG output, no ports at arbitrary rows, no bound on
//! what a hub costs); rust-sugiyama brings petgraph and ranks with network simplex, with no row
//! ports or packing; the dagre ports and bra0-layout are young (bra0-layout has yanked releases).
//! What an ERD needs is narrow (row ports, folded partitions, capped spans, packing by schema,
//! output identical on native and wasm) and fits in about a thousand lines with no dependency,
//! at about 20 ms natively for GitLab's whole overview.

mod layering;
mod ordering;
mod packing;
mod placement;
mod routing;

use super::graph::{Detail, EdgeKind, Graph};
use serde::{Deserialize, Serialize};

/// How components are grouped when packed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clustering {
    /// Components packed largest first.
    #[default]
    Components,
    /// Components grouped by schema (the schema most of a component's tables are in; ties to
    /// the smaller name), each group packed into a block, blocks packed largest first.
    Schema,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayoutOptions {
    pub detail: Detail,
    /// Width of one character of box text (a monospace font's advance).
    pub char_width: f64,
    /// Height of one row (the header is one row).
    pub row_height: f64,
    /// Horizontal padding inside a box, each side.
    pub box_padding: f64,
    /// Vertical gap between boxes of one column.
    pub node_gap: f64,
    /// Vertical gap next to an edge passing through a column.
    pub edge_gap: f64,
    /// Horizontal gap between columns (edges run there).
    pub layer_gap: f64,
    /// Gap between packed components.
    pub component_gap: f64,
    pub clustering: Clustering,
    /// Longest span (in layers) an edge is routed through dummies for; longer ones are straight.
    pub max_span: u32,
    /// Crossing-reduction rounds (each one sweep down and one up).
    pub sweeps: u32,
    /// Coordinate rounds.
    pub rounds: u32,
    /// Wanted width / height of the drawing (of the packing, and of a large component: its
    /// columns are capped in height to keep near this).
    pub aspect: f64,
    /// How much taller than the `aspect` height a column may grow before its boxes spill into
    /// the next columns (higher: fewer columns and shorter edges, a taller drawing).
    pub column_slack: f64,
    /// Characters kept free right of the header text for the health marks (the worst finding's
    /// priority and the policy count, see [`super::overlay`]); 0 when none are drawn.
    #[serde(default)]
    pub badge_chars: u32,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        LayoutOptions::for_detail(Detail::Keys)
    }
}

impl LayoutOptions {
    /// Defaults for a detail level (the overview, `Name`, packs columns closer). Tuned on GitLab
    /// and the fixtures: routing every edge of up to 16 layers through dummies and letting columns
    /// grow to twice the `aspect` height halved GitLab's crossings against 3 layers and 1.2 at
    /// about the same cost (dummies are cheap; straight edges cross everything they pass).
    pub fn for_detail(detail: Detail) -> LayoutOptions {
        LayoutOptions {
            detail,
            char_width: 7.0,
            row_height: 20.0,
            box_padding: 8.0,
            node_gap: if detail == Detail::Name { 10.0 } else { 20.0 },
            edge_gap: 6.0,
            layer_gap: if detail == Detail::Name { 60.0 } else { 90.0 },
            component_gap: 40.0,
            clustering: Clustering::Components,
            max_span: 16,
            sweeps: 12,
            rounds: 4,
            aspect: 1.6,
            column_slack: 2.0,
            badge_chars: 0,
        }
    }
}

/// A table's box.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeBox {
    pub key: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// An edge's polyline, from the referencing box to the referenced one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EdgePath {
    pub from: String,
    pub to: String,
    pub points: Vec<[f64; 2]>,
    /// Drawn as one straight line across the columns between its ends (it spans more than
    /// `max_span` layers): it may cross boxes.
    pub straight: bool,
}

/// A schema's block when clustering by schema.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ClusterBox {
    pub schema: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    pub nodes: Vec<NodeBox>,
    pub edges: Vec<EdgePath>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clusters: Vec<ClusterBox>,
    pub width: f64,
    pub height: f64,
    /// Proper crossings between edge polylines ([`count_crossings`](super::count_crossings)).
    pub crossings: u64,
}

/// One component's drawing in its own coordinates (top left at 0, 0).
struct Part {
    nodes: Vec<usize>,
    edges: Vec<usize>,
    boxes: Vec<(f64, f64)>,
    paths: Vec<(Vec<[f64; 2]>, bool)>,
    width: f64,
    height: f64,
}

/// Lays out the whole graph.
pub fn layout(graph: &Graph, options: &LayoutOptions) -> Layout {
    let o = options;
    let width: Vec<f64> = graph
        .nodes
        .iter()
        .map(|nd| {
            let header = if o.badge_chars > 0 { nd.header_text().chars().count() + o.badge_chars as usize } else { 0 };
            nd.widest_chars(o.detail).max(header) as f64 * o.char_width + 2.0 * o.box_padding
        })
        .collect();
    let height: Vec<f64> = graph.nodes.iter().map(|nd| (1 + nd.row_count(o.detail)) as f64 * o.row_height).collect();
    // Port offsets from the top of each box, for each edge: (from side, to side).
    let offsets: Vec<(f64, f64)> = graph
        .edges
        .iter()
        .map(|e| {
            let port = |node: u32, columns: &[String], h: f64| -> f64 {
                let nd = &graph.nodes[node as usize];
                match (o.detail, e.kind) {
                    (_, EdgeKind::Reads) => o.row_height / 2.0,
                    (Detail::Name, _) => {
                        // Parallel edges fan out a little around the middle.
                        let (i, k) = e.parallel;
                        h / 2.0 + (i as f64 - (k as f64 - 1.0) / 2.0) * (h / 2.0 / k as f64).min(4.0)
                    }
                    _ => {
                        columns.first().and_then(|c| nd.row_of(c, o.detail)).map_or(o.row_height / 2.0, |r| o.row_height * (1.5 + r as f64))
                    }
                }
            };
            (port(e.from, &e.from_columns, height[e.from as usize]), port(e.to, &e.to_columns, height[e.to as usize]))
        })
        .collect();

    let parts: Vec<Part> =
        components(graph).into_iter().map(|(nodes, edges)| lay_component(graph, nodes, edges, &width, &height, &offsets, o)).collect();

    // Packing, by schema blocks when asked.
    let mut nodes: Vec<NodeBox> = graph.nodes.iter().map(|nd| NodeBox { key: nd.key.clone(), ..NodeBox::default() }).collect();
    let mut edges: Vec<EdgePath> = graph
        .edges
        .iter()
        .map(|e| EdgePath {
            from: graph.nodes[e.from as usize].key.clone(),
            to: graph.nodes[e.to as usize].key.clone(),
            ..EdgePath::default()
        })
        .collect();
    let sizes: Vec<(f64, f64)> = parts.iter().map(|p| (p.width, p.height)).collect();
    let mut clusters = Vec::new();
    let (offset, total_w, total_h) = match o.clustering {
        Clustering::Components => packing::pack(&sizes, o.component_gap, o.aspect),
        Clustering::Schema => {
            let mut groups: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
            for (i, p) in parts.iter().enumerate() {
                groups.entry(dominant_schema(graph, &p.nodes)).or_default().push(i);
            }
            // Each block: its components packed, under a one-row title, inside a margin.
            let margin = o.component_gap / 2.0;
            let mut inner = Vec::new();
            let mut block_sizes = Vec::new();
            for members in groups.values() {
                let s: Vec<(f64, f64)> = members.iter().map(|&i| sizes[i]).collect();
                let (at, w, h) = packing::pack(&s, o.component_gap, o.aspect);
                inner.push(at);
                block_sizes.push((w + 2.0 * margin, h + 2.0 * margin + o.row_height));
            }
            let (block_at, w, h) = packing::pack(&block_sizes, o.component_gap, o.aspect);
            let mut offset = vec![(0.0, 0.0); parts.len()];
            for (g, (schema, members)) in groups.iter().enumerate() {
                let (bx, by) = block_at[g];
                clusters.push(ClusterBox { schema: schema.to_string(), x: bx, y: by, width: block_sizes[g].0, height: block_sizes[g].1 });
                for (m, &i) in members.iter().enumerate() {
                    offset[i] = (bx + margin + inner[g][m].0, by + margin + o.row_height + inner[g][m].1);
                }
            }
            (offset, w, h)
        }
    };
    let mut crossings = 0;
    for (p, (dx, dy)) in parts.into_iter().zip(offset) {
        for (k, &v) in p.nodes.iter().enumerate() {
            nodes[v] =
                NodeBox { x: p.boxes[k].0 + dx, y: p.boxes[k].1 + dy, width: width[v], height: height[v], ..std::mem::take(&mut nodes[v]) };
        }
        for (k, &e) in p.edges.iter().enumerate() {
            let (points, straight) = &p.paths[k];
            edges[e].points = points.iter().map(|q| [q[0] + dx, q[1] + dy]).collect();
            edges[e].straight = *straight;
        }
        // Components do not overlap: crossings are counted inside each.
        crossings += super::crossings::count_paths(&p.edges.iter().map(|&e| &edges[e].points).collect::<Vec<_>>());
    }
    Layout { nodes, edges, clusters, width: total_w, height: total_h, crossings }
}

/// The schema most of these nodes are in (ties to the smaller name).
fn dominant_schema<'g>(graph: &'g Graph, nodes: &[usize]) -> &'g str {
    let mut count: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for &v in nodes {
        *count.entry(graph.nodes[v].schema.as_str()).or_default() += 1;
    }
    count.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map_or("", |(s, _)| s)
}

/// Connected components: (nodes, edges) each, nodes ascending, components in order of their
/// first node.
fn components(graph: &Graph) -> Vec<(Vec<usize>, Vec<usize>)> {
    let n = graph.nodes.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut v: usize) -> usize {
        while parent[v] != v {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        v
    }
    for e in &graph.edges {
        let (a, b) = (find(&mut parent, e.from as usize), find(&mut parent, e.to as usize));
        if a != b {
            let (lo, hi) = (a.min(b), a.max(b));
            parent[hi] = lo;
        }
    }
    let mut slot = vec![usize::MAX; n];
    let mut out: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    for v in 0..n {
        let r = find(&mut parent, v);
        if slot[r] == usize::MAX {
            slot[r] = out.len();
            out.push((Vec::new(), Vec::new()));
        }
        out[slot[r]].0.push(v);
    }
    for (k, e) in graph.edges.iter().enumerate() {
        let r = find(&mut parent, e.from as usize);
        out[slot[r]].1.push(k);
    }
    out
}

fn lay_component(
    graph: &Graph,
    nodes: Vec<usize>,
    edges: Vec<usize>,
    width: &[f64],
    height: &[f64],
    offsets: &[(f64, f64)],
    o: &LayoutOptions,
) -> Part {
    let n = nodes.len();
    let local = |v: u32| nodes.binary_search(&(v as usize)).expect("a node of the component") as u32;
    let w: Vec<f64> = nodes.iter().map(|&v| width[v]).collect();
    let h: Vec<f64> = nodes.iter().map(|&v| height[v]).collect();
    let mut route = Vec::new();
    let mut loops = Vec::new();
    let mut pairs = Vec::new();
    for &k in &edges {
        let e = &graph.edges[k];
        let (c, p) = (local(e.from), local(e.to));
        if c == p {
            loops.push(k);
        } else {
            // Referenced (p) left of referencing (c).
            pairs.push((p, c));
            route.push(ordering::RouteEdge { edge: k, child: c, parent: p, child_offset: offsets[k].0, parent_offset: offsets[k].1 });
        }
    }
    // Column height cap from the component's area, so it comes out near the wanted aspect.
    let size: Vec<f64> = h.iter().map(|hh| hh + o.node_gap).collect();
    let area: f64 = (0..n).map(|i| (w[i] + o.layer_gap) * size[i]).sum();
    let cap = ((area / o.aspect).sqrt() * o.column_slack).max(size.iter().copied().fold(0.0, f64::max));
    let layers = layering::assign(n, &pairs, &size, cap);
    let mut layered = ordering::build(&layers, &route, o.max_span);
    ordering::reduce_crossings(&mut layered, &h, o.sweeps);
    let spacing = placement::Spacing { node_gap: o.node_gap, edge_gap: o.edge_gap, layer_gap: o.layer_gap };
    let placed = placement::place(&layered, &w, &h, &spacing, o.rounds);
    let bx: Vec<f64> = (0..n)
        .map(|v| {
            let l = layers[v] as usize;
            placed.column_x[l] + (placed.column_width[l] - w[v]) / 2.0
        })
        .collect();
    let by: Vec<f64> = placed.y[..n].to_vec();
    let boxes = routing::Boxes {
        x: &bx,
        y: &by,
        width: &w,
        layer: &layers,
        column_x: &placed.column_x,
        column_width: &placed.column_width,
        item_y: &placed.y,
    };
    let mut paths: Vec<(usize, Vec<[f64; 2]>, bool)> =
        layered.chains.iter().map(|c| (c.edge, routing::chain(c, &boxes), c.straight)).collect();
    let reach = (o.layer_gap * 0.3).min(16.0);
    for &k in &loops {
        let v = local(graph.edges[k].from) as usize;
        paths.push((k, routing::self_loop(&boxes, v, offsets[k].0, offsets[k].1, graph.edges[k].parallel.0, reach), false));
    }
    paths.sort_by_key(|p| p.0);
    // Extent: boxes, dummies and loops.
    let mut max_x = (0..n).map(|v| bx[v] + w[v]).fold(0.0, f64::max);
    let mut max_y = (0..n).map(|v| by[v] + h[v]).fold(0.0, f64::max);
    for (_, pts, _) in &paths {
        for q in pts {
            max_x = max_x.max(q[0]);
            max_y = max_y.max(q[1]);
        }
    }
    let edges_sorted: Vec<usize> = paths.iter().map(|p| p.0).collect();
    Part {
        nodes,
        edges: edges_sorted,
        boxes: bx.into_iter().zip(by).collect(),
        paths: paths.into_iter().map(|(_, pts, s)| (pts, s)).collect(),
        width: max_x,
        height: max_y,
    }
}
