//! What a diagram paints over its boxes and lines to answer the health questions: each table's
//! row level security (off / on / forced), its number of policies, its worst finding, and which
//! foreign keys no index leads with.
//!
//! Invariants:
//! - Read from the same facts the health checks read, with the same rules: an edge is unindexed
//!   exactly when `unindexed_foreign_keys` reports its constraint, and a table's worst priority
//!   is the highest of the findings (not baselined) on the table or its parts (`schema.table/policy`), so the diagram
//!   never disagrees with the Health page.
//! - Parallel to the graph: `nodes[i]` is about `graph.nodes[i]`, `edges[i]` about
//!   `graph.edges[i]`. A node that is not a table in the snapshot (a view) has RLS `None`.

use super::graph::{EdgeKind, Graph};
use crate::checks::rules::unindexed_foreign_keys::{checked_keys, leading_index};
use crate::checks::{Finding, Priority};
use crate::model::Snapshot;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Row level security of a table, as its box is coloured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rls {
    Off,
    On,
    /// Enabled and forced (applies to the table's owner too).
    Forced,
}

impl Rls {
    pub fn as_str(self) -> &'static str {
        match self {
            Rls::Off => "off",
            Rls::On => "on",
            Rls::Forced => "forced",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeMarks {
    /// `None` for nodes that are not tables (views).
    pub rls: Option<Rls>,
    pub policies: u32,
    /// The highest priority among the table's findings, and how many there are.
    pub worst: Option<Priority>,
    pub findings: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdgeMarks {
    /// No index on the referencing table leads with the key's columns.
    pub unindexed: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overlay {
    pub nodes: Vec<NodeMarks>,
    pub edges: Vec<EdgeMarks>,
}

impl Overlay {
    /// The marks for `graph` (any selection of [`Graph::of`]`(snapshot, ..)`) from the snapshot
    /// and the health checks' findings on it (empty when they are not known yet).
    pub fn of(snapshot: &Snapshot, graph: &Graph, findings: &[Finding]) -> Overlay {
        // Findings by table once, not every finding for every node (GitLab: 1,000 x 1,300).
        let mut by_table: HashMap<&str, (u32, Priority)> = HashMap::new();
        for f in findings.iter().filter(|f| !f.baselined) {
            let table = f.object.split_once('/').map_or(f.object.as_str(), |(t, _)| t);
            let e = by_table.entry(table).or_insert((0, f.priority));
            e.0 += 1;
            e.1 = e.1.min(f.priority);
        }
        let nodes = graph
            .nodes
            .iter()
            .map(|n| {
                let table = snapshot.tables.get(&n.key);
                let mut marks = NodeMarks {
                    rls: table.map(|t| match (t.rls_enabled, t.rls_forced) {
                        (false, _) => Rls::Off,
                        (true, false) => Rls::On,
                        (true, true) => Rls::Forced,
                    }),
                    policies: table.map_or(0, |t| t.policies.len() as u32),
                    ..NodeMarks::default()
                };
                if let Some((count, worst)) = by_table.get(n.key.as_str()) {
                    marks.findings = *count;
                    marks.worst = Some(*worst);
                }
                marks
            })
            .collect();
        let edges = graph
            .edges
            .iter()
            .map(|e| {
                let unindexed = e.kind == EdgeKind::ForeignKey && !e.from_partition && {
                    let from = &graph.nodes[e.from as usize];
                    snapshot
                        .tables
                        .get(&from.key)
                        .is_some_and(|t| checked_keys(t).any(|c| c.name == e.name && leading_index(t, &c.columns).is_none()))
                };
                EdgeMarks { unindexed }
            })
            .collect();
        Overlay { nodes, edges }
    }
}
