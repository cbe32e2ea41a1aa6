//! What part of the graph a diagram shows: a table's neighbourhood, a schema, the whole overview,
//! or the shortest path between two tables.
//!
//! Invariants:
//! - Pure functions of the graph; every result is itself a [`Graph`] (nodes still sorted by key,
//!   edges renumbered) so the layout takes any of them alike, or a list of keys ([`path`]).
//! - Hops and paths follow edges in both directions (a table and the tables it references or
//!   that reference it are one hop apart); self-references never count as a hop.
//! - Ties are broken by key order: the same graph gives the same selection every time.

use super::graph::{Detail, Graph};
use super::layout::Clustering;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Undirected hop distance from `start` to every node (`u32::MAX` when unreachable), stopping at
/// `max_hops`.
fn distances(graph: &Graph, adj: &[Vec<u32>], start: usize, max_hops: u32) -> Vec<u32> {
    let mut dist = vec![u32::MAX; graph.nodes.len()];
    let mut queue = VecDeque::new();
    dist[start] = 0;
    queue.push_back(start);
    while let Some(u) = queue.pop_front() {
        if dist[u] >= max_hops {
            continue;
        }
        for &v in &adj[u] {
            let v = v as usize;
            if dist[v] == u32::MAX {
                dist[v] = dist[u] + 1;
                queue.push_back(v);
            }
        }
    }
    dist
}

/// The table `key` and every table within `hops` foreign-key hops of it (either direction).
/// `None` when the graph has no such table.
pub fn neighbourhood(graph: &Graph, key: &str, hops: u32) -> Option<Graph> {
    let start = graph.index(key)?;
    let dist = distances(graph, &graph.neighbours(), start, hops);
    let keep: Vec<usize> = (0..graph.nodes.len()).filter(|&i| dist[i] != u32::MAX).collect();
    Some(graph.subgraph(&keep))
}

/// Hop distance of each node of `graph` from `key`, for the UI to shade a neighbourhood by
/// distance (`None` for nodes not reachable, or when `key` is not in the graph).
pub fn hop_distances(graph: &Graph, key: &str) -> Vec<Option<u32>> {
    let Some(start) = graph.index(key) else {
        return vec![None; graph.nodes.len()];
    };
    distances(graph, &graph.neighbours(), start, u32::MAX).into_iter().map(|d| (d != u32::MAX).then_some(d)).collect()
}

/// Every node of one schema, and the edges among them.
pub fn schema(graph: &Graph, schema: &str) -> Graph {
    let keep: Vec<usize> = (0..graph.nodes.len()).filter(|&i| graph.nodes[i].schema == schema).collect();
    graph.subgraph(&keep)
}

/// The whole graph (laid out at [`Detail::Name`](super::Detail::Name) for the overview).
pub fn overview(graph: &Graph) -> Graph {
    graph.clone()
}

/// The shortest undirected foreign-key path from `from` to `to`, as table keys from `from` to
/// `to` inclusive (`[from]` when they are the same table). `None` when either is missing or no
/// path joins them. Among shortest paths, the one through the smallest keys, hop by hop from `to`.
pub fn path(graph: &Graph, from: &str, to: &str) -> Option<Vec<String>> {
    let (s, t) = (graph.index(from)?, graph.index(to)?);
    let adj = graph.neighbours();
    let dist = distances(graph, &adj, s, u32::MAX);
    if dist[t] == u32::MAX {
        return None;
    }
    // Walk back from `to`, always to the smallest-key neighbour one hop closer.
    let mut keys = vec![graph.nodes[t].key.clone()];
    let mut u = t;
    while u != s {
        u = adj[u]
            .iter()
            .map(|&v| v as usize)
            .find(|&v| dist[v] != u32::MAX && dist[v] + 1 == dist[u])
            .expect("a neighbour one hop closer");
        keys.push(graph.nodes[u].key.clone());
    }
    keys.reverse();
    Some(keys)
}

/// The graph restricted to the tables with these keys (unknown keys are ignored): draws a
/// [`path`], or any hand-made selection.
pub fn tables(graph: &Graph, keys: &[String]) -> Graph {
    let keep: Vec<usize> = keys.iter().filter_map(|k| graph.index(k)).collect();
    graph.subgraph(&keep)
}

/// A diagram's selection, as the app's worker and the CLI receive it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Selection {
    /// Every table, at [`Detail::Name`], grouped by schema.
    Overview,
    /// One schema's tables.
    Schema { schema: String },
    /// A table and its neighbours up to `hops` foreign keys away.
    Neighbourhood { focus: String, hops: u32 },
    /// The shortest foreign-key path between two tables.
    Path { from: String, to: String },
}

impl Selection {
    /// The part of `graph` this selection shows, or why there is none: a table or schema the
    /// snapshot lacks, or two tables no foreign-key path joins.
    pub fn apply(&self, graph: &Graph) -> Result<Graph, String> {
        let missing = |k: &str| format!("No table {k} in this snapshot.");
        match self {
            Selection::Overview => Ok(overview(graph)),
            Selection::Schema { schema: s } => {
                let g = schema(graph, s);
                if g.nodes.is_empty() {
                    Err(format!("No table in schema {s}."))
                } else {
                    Ok(g)
                }
            }
            Selection::Neighbourhood { focus, hops } => neighbourhood(graph, focus, *hops).ok_or_else(|| missing(focus)),
            Selection::Path { from, to } => {
                for k in [from, to] {
                    graph.index(k).ok_or_else(|| missing(k))?;
                }
                let keys = path(graph, from, to).ok_or_else(|| format!("No foreign-key path joins {from} and {to}."))?;
                Ok(tables(graph, &keys))
            }
        }
    }

    /// The detail a selection is drawn at unless the reader asks for another: the overview
    /// shows names only, everything else the key columns.
    pub fn default_detail(&self) -> Detail {
        match self {
            Selection::Overview => Detail::Name,
            _ => Detail::Keys,
        }
    }

    /// How its components are grouped: by schema for the overview (the reader finds a schema's
    /// tables together), by component elsewhere.
    pub fn clustering(&self) -> Clustering {
        match self {
            Selection::Overview => Clustering::Schema,
            _ => Clustering::Components,
        }
    }
}
