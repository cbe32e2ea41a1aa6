//! Drift: two snapshots compared object by object into a prioritized report.
//!
//! Invariants:
//! - A is the reference (say prod), B the one that drifted (say staging): `added` means only in B,
//!   `removed` only in A, and every fix hint is SQL that would bring B in line with A.
//! - Objects are matched by key (see [`crate::model::key`]); what is left unmatched on both sides
//!   is paired as a rename when exactly one object on each side has the same definition.
//! - Comparison is semantic: canonical expressions and types, function bodies without comments
//!   and whitespace, privileges as sets, file order and the dump tool's flavour ignored. Two loads
//!   of the same database give no change at all.
//! - A side made only of `pg_policies` exports has policies and nothing else, so only policies are
//!   compared when either side is one.
//! - Output order is deterministic: priority, kind, key.
//! - Reads the model only: no parsing, so the app can diff on its own thread.

mod compare;
mod fix;
mod meta;
mod priority;
mod renames;
mod render;
pub mod text;

use crate::checks::Priority;
use crate::model::{Snapshot, Span};
use serde::{Deserialize, Serialize};

/// The kinds of object a change can be about (the JSON interface's `kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Schema,
    Table,
    Column,
    Constraint,
    Index,
    Policy,
    Rls,
    Function,
    Trigger,
    View,
    MaterializedView,
    Sequence,
    Type,
    Extension,
    Privilege,
    Comment,
    Owner,
    Publication,
}

impl Kind {
    pub const ALL: [Kind; 18] = [
        Kind::Schema,
        Kind::Table,
        Kind::Column,
        Kind::Constraint,
        Kind::Index,
        Kind::Policy,
        Kind::Rls,
        Kind::Function,
        Kind::Trigger,
        Kind::View,
        Kind::MaterializedView,
        Kind::Sequence,
        Kind::Type,
        Kind::Extension,
        Kind::Privilege,
        Kind::Comment,
        Kind::Owner,
        Kind::Publication,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Schema => "schema",
            Kind::Table => "table",
            Kind::Column => "column",
            Kind::Constraint => "constraint",
            Kind::Index => "index",
            Kind::Policy => "policy",
            Kind::Rls => "rls",
            Kind::Function => "function",
            Kind::Trigger => "trigger",
            Kind::View => "view",
            Kind::MaterializedView => "materialized_view",
            Kind::Sequence => "sequence",
            Kind::Type => "type",
            Kind::Extension => "extension",
            Kind::Privilege => "privilege",
            Kind::Comment => "comment",
            Kind::Owner => "owner",
            Kind::Publication => "publication",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Renamed,
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// One field that differs, with its value on each side (`None`: not set there).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub field: String,
    pub a: Option<String>,
    pub b: Option<String>,
}

/// What applying a fix hint would do beyond changing the definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hazard {
    /// Drops data (a table, a column) that cannot be brought back by running A's DDL.
    LosesData,
    /// Takes a lock that blocks writes (or reads) for as long as the statement runs.
    Locks,
    /// Rewrites or scans the whole table under that lock.
    Rewrites,
}

impl Hazard {
    pub fn describe(self) -> &'static str {
        match self {
            Hazard::LosesData => "loses data",
            Hazard::Locks => "takes a lock that blocks writes",
            Hazard::Rewrites => "scans or rewrites the table under its lock",
        }
    }
}

/// SQL that would bring B in line with A: a hint for review, not a migration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub sql: String,
    pub hazards: Vec<Hazard>,
}

/// One drifted object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub kind: Kind,
    /// The object's key in B (in A for a removal). Privileges, comments and owners are keyed by
    /// the object they are on, `<kind> <key>`, and privileges add ` to <grantee>`.
    pub key: String,
    pub change: ChangeKind,
    /// The key in A of a renamed object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_key: Option<String>,
    pub fields: Vec<Field>,
    pub priority: Priority,
    /// Why it has its priority, in a sentence.
    pub reason: String,
    /// For P0 and P1: the SQL that would bring B in line with A.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// Where the object is defined in A and in B (file indexes into each side's files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a_span: Option<Span>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b_span: Option<Span>,
    /// Each side's definition as SQL (canonical, from the model), for a side-by-side view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a_definition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b_definition: Option<String>,
    /// Stable id of the entry (kind, change and keys): deep links and baselines use it.
    pub id: String,
}

impl Change {
    /// The object in A this change is about (its old key for a rename).
    pub fn a_key(&self) -> &str {
        self.from_key.as_deref().unwrap_or(&self.key)
    }
}

/// What to compare.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Options {
    /// Roles whose new grants and policies are security drift (P0): the API roles. PUBLIC always is.
    pub exposed_roles: Vec<String>,
    /// Kinds left out of the report.
    #[serde(default)]
    pub ignore: Vec<Kind>,
}

impl Options {
    /// The API roles of the assumptions that fit B (Supabase's `anon` and `authenticated`).
    pub fn for_snapshots(_a: &Snapshot, b: &Snapshot) -> Options {
        let assumptions = crate::access::Assumptions::for_snapshot(b);
        Options { exposed_roles: assumptions.api_roles, ignore: vec![] }
    }
}

/// The drift report.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    /// Input file names of each side.
    pub a_files: Vec<String>,
    pub b_files: Vec<String>,
    /// What was compared: `everything`, or `policies` when a side holds only pg_policies exports.
    pub scope: Scope,
    pub changes: Vec<Change>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    #[default]
    Everything,
    Policies,
}

/// Counts by priority and by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftCounts {
    #[serde(rename = "P0")]
    pub p0: usize,
    #[serde(rename = "P1")]
    pub p1: usize,
    #[serde(rename = "P2")]
    pub p2: usize,
    pub by_kind: std::collections::BTreeMap<String, usize>,
}

impl Drift {
    pub fn counts(&self) -> DriftCounts {
        let mut c = DriftCounts::default();
        for ch in &self.changes {
            match ch.priority {
                Priority::P0 => c.p0 += 1,
                Priority::P1 => c.p1 += 1,
                Priority::P2 => c.p2 += 1,
            }
            *c.by_kind.entry(ch.kind.as_str().to_string()).or_default() += 1;
        }
        c
    }

    /// Changes at or above `threshold`.
    pub fn at_or_above(&self, threshold: Priority) -> usize {
        self.changes.iter().filter(|c| c.priority <= threshold).count()
    }
}

/// Compares A (the reference) with B.
pub fn diff(a: &Snapshot, b: &Snapshot, options: &Options) -> Drift {
    let scope = if policies_only(a) || policies_only(b) { Scope::Policies } else { Scope::Everything };
    let mut out = compare::Collector::new(a, b, options);
    match scope {
        Scope::Everything => compare::everything(&mut out),
        Scope::Policies => compare::policies_only(&mut out),
    }
    let mut changes = out.finish();
    changes.retain(|c| !options.ignore.contains(&c.kind));
    changes.sort_by(|x, y| (x.priority, x.kind, &x.key, x.change).cmp(&(y.priority, y.kind, &y.key, y.change)));
    Drift {
        a_files: a.files.iter().map(|f| f.name.clone()).collect(),
        b_files: b.files.iter().map(|f| f.name.clone()).collect(),
        scope,
        changes,
    }
}

/// A snapshot loaded only from `pg_policies` exports.
pub fn policies_only(s: &Snapshot) -> bool {
    use crate::model::FileContent;
    s.files.iter().any(|f| f.content == FileContent::PolicyExport) && s.files.iter().all(|f| f.content != FileContent::Sql)
}

fn id(kind: Kind, change: ChangeKind, key: &str, from_key: Option<&str>) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [kind.as_str(), change.as_str(), key, from_key.unwrap_or("")] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let digest = h.finalize();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    digest[..6].iter().flat_map(|b| [HEX[(b >> 4) as usize] as char, HEX[(b & 15) as usize] as char]).collect()
}

#[cfg(test)]
mod tests;
