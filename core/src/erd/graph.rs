//! The diagram graph: one node per table, one edge per foreign key, built from a [`Snapshot`].
//!
//! Invariants:
//! - Nodes are sorted by key and edges by (from, to, constraint name): the same snapshot gives the
//!   same graph, index for index, on every target.
//! - Partitions are folded into their root partitioned table (through every level of
//!   sub-partitioning): they are never nodes, the root counts them in [`Node::partitions`], a
//!   foreign key declared on a partition is drawn from the root, and a foreign key that points at a
//!   partition points at its root. A partition's copies of its parent's keys (the model's
//!   `inherited_from`) are not drawn again, nor is a partition's key identical to one already drawn.
//! - Foreign keys whose referenced table is not in the snapshot are left out (and counted in
//!   [`Graph::dangling`]); self-references are kept ([`Edge::self_reference`]); several keys between
//!   the same pair of tables are all kept, each marked with its place among them ([`Edge::parallel`]).
//! - Views are nodes only when asked ([`GraphOptions::views`]); their edges go from the view to the
//!   tables and views its query reads ([`EdgeKind::Reads`]).
//! - What a box shows at each [`Detail`] is decided here ([`Node::rows`], [`Node::header_text`],
//!   [`Row::text`]): the layout sizes boxes from the same texts the UI draws.

use crate::model::{ConstraintKind, Snapshot, TableKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// How much of each table a box shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Detail {
    /// The name only (the overview).
    Name,
    /// The name and the key columns: primary key, foreign key, and columns other tables' foreign
    /// keys reference.
    #[default]
    Keys,
    /// The name and every column.
    All,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    #[default]
    Table,
    Partitioned,
    Foreign,
    View,
    MaterializedView,
}

/// One column as a box row.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub name: String,
    /// The canonical type (`format_type` style); empty for a view's columns (the dump does not say).
    pub data_type: String,
    pub primary_key: bool,
    /// Part of a foreign key of this table.
    pub foreign_key: bool,
    /// Referenced by a foreign key of some table.
    pub referenced: bool,
    pub not_null: bool,
}

impl Row {
    /// The row's text as the box draws it: a two-character marker (`PK`, `FK`, or blank), a space,
    /// the name, two spaces and the type. Box widths are measured from this.
    pub fn text(&self) -> String {
        let marker = if self.primary_key {
            "PK"
        } else if self.foreign_key {
            "FK"
        } else {
            "  "
        };
        if self.data_type.is_empty() {
            format!("{marker} {}", self.name)
        } else {
            format!("{marker} {}  {}", self.name, self.data_type)
        }
    }

    /// Whether the row shows at `detail` (the header always shows).
    pub fn shown_at(&self, detail: Detail) -> bool {
        match detail {
            Detail::Name => false,
            Detail::Keys => self.primary_key || self.foreign_key || self.referenced,
            Detail::All => true,
        }
    }

    /// Characters of [`Row::text`], without building it.
    pub fn text_chars(&self) -> usize {
        let n = self.name.chars().count();
        if self.data_type.is_empty() {
            3 + n
        } else {
            3 + n + 2 + self.data_type.chars().count()
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// `schema.name`, the model's key.
    pub key: String,
    pub schema: String,
    pub name: String,
    pub kind: NodeKind,
    /// Partitions folded into this node (every level below it).
    pub partitions: u32,
    /// Every column, in table order.
    pub columns: Vec<Row>,
}

impl Node {
    /// The header text: the key, with the number of folded partitions when there are some.
    pub fn header_text(&self) -> String {
        if self.partitions > 0 {
            format!("{} ({} partitions)", self.key, self.partitions)
        } else {
            self.key.clone()
        }
    }

    fn header_chars(&self) -> usize {
        let n = self.key.chars().count();
        if self.partitions > 0 {
            n + format!(" ({} partitions)", self.partitions).len()
        } else {
            n
        }
    }

    /// The rows the box shows at `detail`, in table order.
    pub fn rows(&self, detail: Detail) -> impl Iterator<Item = &Row> {
        self.columns.iter().filter(move |r| r.shown_at(detail))
    }

    /// Row index (0 = first row under the header) of `column` at `detail`, when it shows.
    pub fn row_of(&self, column: &str, detail: Detail) -> Option<usize> {
        self.rows(detail).position(|r| r.name == column)
    }

    /// Number of rows under the header at `detail`.
    pub fn row_count(&self, detail: Detail) -> usize {
        self.rows(detail).count()
    }

    /// The widest text of the box at `detail`, in characters.
    pub fn widest_chars(&self, detail: Detail) -> usize {
        self.rows(detail).map(Row::text_chars).fold(self.header_chars(), usize::max)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    #[default]
    ForeignKey,
    /// A view reads a table or view (only when views are nodes).
    Reads,
}

/// A foreign key from `from` (the referencing table) to `to` (the referenced one), as node indices.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
    pub from: u32,
    pub to: u32,
    pub kind: EdgeKind,
    /// The constraint's name (empty for [`EdgeKind::Reads`]).
    pub name: String,
    pub from_columns: Vec<String>,
    pub to_columns: Vec<String>,
    pub self_reference: bool,
    /// Place among the edges joining the same two nodes (either direction) and their number:
    /// `(0, 1)` for a lone edge.
    pub parallel: (u32, u32),
    /// Declared on a partition (folded into its root), not on the root itself.
    pub from_partition: bool,
}

/// What to put in the graph.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphOptions {
    /// Views and materialized views as nodes, with edges to what they read.
    pub views: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Foreign keys left out because the referenced table is not in the snapshot.
    pub dangling: u32,
}

impl Graph {
    /// Builds the diagram graph of a snapshot.
    pub fn of(snapshot: &Snapshot, options: GraphOptions) -> Graph {
        build(snapshot, options)
    }

    /// Index of the node with this key.
    pub fn index(&self, key: &str) -> Option<usize> {
        self.nodes.binary_search_by(|n| n.key.as_str().cmp(key)).ok()
    }

    pub fn node(&self, key: &str) -> Option<&Node> {
        self.index(key).map(|i| &self.nodes[i])
    }

    /// Undirected neighbours of every node (each once, sorted, self excluded).
    pub fn neighbours(&self) -> Vec<Vec<u32>> {
        let mut adj = vec![Vec::new(); self.nodes.len()];
        for e in &self.edges {
            if e.from != e.to {
                adj[e.from as usize].push(e.to);
                adj[e.to as usize].push(e.from);
            }
        }
        for a in &mut adj {
            a.sort_unstable();
            a.dedup();
        }
        adj
    }

    /// The graph restricted to the nodes with these indices (edges with both ends among them),
    /// renumbered, with [`Edge::parallel`] recounted.
    pub fn subgraph(&self, nodes: &[usize]) -> Graph {
        let mut keep: Vec<usize> = nodes.iter().copied().filter(|&i| i < self.nodes.len()).collect();
        keep.sort_unstable();
        keep.dedup();
        let mut map = vec![u32::MAX; self.nodes.len()];
        for (new, &old) in keep.iter().enumerate() {
            map[old] = new as u32;
        }
        let edges = self
            .edges
            .iter()
            .filter(|e| map[e.from as usize] != u32::MAX && map[e.to as usize] != u32::MAX)
            .map(|e| Edge { from: map[e.from as usize], to: map[e.to as usize], ..e.clone() })
            .collect();
        let mut g = Graph { nodes: keep.iter().map(|&i| self.nodes[i].clone()).collect(), edges, dangling: 0 };
        mark_parallel(&mut g.edges);
        g
    }
}

/// The root of a partition tree (the table itself when it is not a partition).
fn root_of<'s>(snapshot: &'s Snapshot, key: &'s str) -> &'s str {
    let mut k = key;
    // Bounded: a malformed dump could describe a loop.
    for _ in 0..64 {
        match snapshot.tables.get(k).and_then(|t| t.partition_of.as_ref()) {
            Some(p) if snapshot.tables.contains_key(&p.parent) => k = &p.parent,
            _ => break,
        }
    }
    k
}

fn build(snapshot: &Snapshot, options: GraphOptions) -> Graph {
    // Keys of node-forming relations, with the root each table folds into.
    let mut root: BTreeMap<&str, &str> = BTreeMap::new();
    for key in snapshot.tables.keys() {
        root.insert(key, root_of(snapshot, key));
    }
    let mut keys: BTreeSet<&str> = root.values().copied().collect();
    if options.views {
        keys.extend(snapshot.views.keys().map(String::as_str));
    }
    let index: BTreeMap<&str, u32> = keys.iter().enumerate().map(|(i, k)| (*k, i as u32)).collect();

    let mut nodes: Vec<Node> = keys
        .iter()
        .map(|k| {
            if let Some(t) = snapshot.tables.get(*k) {
                let pk: BTreeSet<&str> = t
                    .constraints
                    .values()
                    .filter(|c| c.kind == ConstraintKind::PrimaryKey)
                    .flat_map(|c| c.columns.iter().map(String::as_str))
                    .collect();
                Node {
                    key: k.to_string(),
                    schema: t.schema.clone(),
                    name: t.name.clone(),
                    kind: match t.kind {
                        TableKind::Ordinary => NodeKind::Table,
                        TableKind::Partitioned => NodeKind::Partitioned,
                        TableKind::Foreign => NodeKind::Foreign,
                    },
                    partitions: 0,
                    columns: t
                        .columns
                        .iter()
                        .map(|c| Row {
                            name: c.name.clone(),
                            data_type: c.data_type.clone(),
                            primary_key: pk.contains(c.name.as_str()),
                            foreign_key: false,
                            referenced: false,
                            not_null: c.not_null,
                        })
                        .collect(),
                }
            } else {
                let v = &snapshot.views[*k];
                Node {
                    key: k.to_string(),
                    schema: v.schema.clone(),
                    name: v.name.clone(),
                    kind: if v.materialized { NodeKind::MaterializedView } else { NodeKind::View },
                    partitions: 0,
                    columns: v.columns.iter().map(|c| Row { name: c.clone(), ..Row::default() }).collect(),
                }
            }
        })
        .collect();

    let mut edges = Vec::new();
    let mut dangling = 0u32;
    // (from, to, from_columns, to_columns) already drawn: a partition's own copy of a key is not
    // drawn twice.
    let mut seen: BTreeSet<(u32, u32, Vec<String>, Vec<String>)> = BTreeSet::new();
    // Roots first, so a key declared on both the root and a partition is drawn from the root.
    let mut tables: Vec<(&String, &crate::model::Table)> = snapshot.tables.iter().collect();
    tables.sort_by_key(|(k, _)| (root[k.as_str()] != k.as_str(), k.as_str()));
    for (key, t) in tables {
        let r = root[key.as_str()];
        let from = index[r];
        let is_partition = r != key.as_str();
        if is_partition {
            nodes[from as usize].partitions += 1;
        }
        for c in t.constraints.values() {
            let Some(fk) = c.foreign_key.as_ref().filter(|_| c.kind == ConstraintKind::ForeignKey) else {
                continue;
            };
            if is_partition && c.inherited_from.is_some() {
                continue;
            }
            let Some(&to) = root.get(fk.table.as_str()).map(|tr| &index[tr]) else {
                dangling += 1;
                continue;
            };
            if !seen.insert((from, to, c.columns.clone(), fk.columns.clone())) {
                continue;
            }
            edges.push(Edge {
                from,
                to,
                kind: EdgeKind::ForeignKey,
                name: c.name.clone(),
                from_columns: c.columns.clone(),
                to_columns: fk.columns.clone(),
                self_reference: from == to,
                parallel: (0, 1),
                from_partition: is_partition,
            });
        }
    }
    if options.views {
        for (key, v) in &snapshot.views {
            let from = index[key.as_str()];
            for read in &v.reads {
                let target = root.get(read.as_str()).copied().or_else(|| snapshot.views.get(read).map(|_| read.as_str()));
                if let Some(to) = target.and_then(|t| index.get(t)) {
                    edges.push(Edge {
                        from,
                        to: *to,
                        kind: EdgeKind::Reads,
                        self_reference: from == *to,
                        parallel: (0, 1),
                        ..Edge::default()
                    });
                }
            }
        }
    }
    for e in &edges {
        if e.kind != EdgeKind::ForeignKey {
            continue;
        }
        for c in &e.from_columns {
            if let Some(r) = nodes[e.from as usize].columns.iter_mut().find(|r| &r.name == c) {
                r.foreign_key = true;
            }
        }
        for c in &e.to_columns {
            if let Some(r) = nodes[e.to as usize].columns.iter_mut().find(|r| &r.name == c) {
                r.referenced = true;
            }
        }
    }
    edges.sort_by(|a, b| {
        (a.from, a.to, a.kind as u8, &a.name, &a.from_columns).cmp(&(b.from, b.to, b.kind as u8, &b.name, &b.from_columns))
    });
    mark_parallel(&mut edges);
    Graph { nodes, edges, dangling }
}

/// Numbers the edges joining the same unordered pair of nodes (edges sorted as [`build`] leaves
/// them, so the numbering is deterministic).
fn mark_parallel(edges: &mut [Edge]) {
    let mut count: BTreeMap<(u32, u32), u32> = BTreeMap::new();
    let pair = |e: &Edge| (e.from.min(e.to), e.from.max(e.to));
    for e in edges.iter() {
        *count.entry(pair(e)).or_default() += 1;
    }
    let mut next: BTreeMap<(u32, u32), u32> = BTreeMap::new();
    for e in edges.iter_mut() {
        let p = pair(e);
        let n = next.entry(p).or_default();
        e.parallel = (*n, count[&p]);
        *n += 1;
    }
}
