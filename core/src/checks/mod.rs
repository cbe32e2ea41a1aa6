//! Health checks: rules over a [`Snapshot`] that produce prioritized findings.
//!
//! Invariants:
//! - One file per rule under `rules/`, whose `//!` doc comment has the fixed headings
//!   `## What it finds`, `## Why it matters`, `## How to fix`, `## Assumptions`; the docs in
//!   `docs/checks/` are generated from those comments (and a test keeps them in step).
//! - A rule reads the snapshot (and the access matrix, through [`Context`]) and emits findings; it
//!   never parses SQL, never does IO, never panics on odd models.
//! - A finding's `fingerprint` depends only on the rule, the object and what the rule names as the
//!   finding's subject (a column, a policy), never on line numbers: a baseline survives edits.
//! - Output order is deterministic: priority, rule, object, message.

mod context;
pub mod docs;
pub mod expr;
pub mod rules;

pub use context::Context;

use crate::access::Assumptions;
use crate::model::{Snapshot, Span};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Priority {
    P0,
    P1,
    P2,
}

impl Priority {
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::P0 => "P0",
            Priority::P1 => "P1",
            Priority::P2 => "P2",
        }
    }

    pub fn parse(s: &str) -> Option<Priority> {
        match s.to_ascii_uppercase().as_str() {
            "P0" => Some(Priority::P0),
            "P1" => Some(Priority::P1),
            "P2" => Some(Priority::P2),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Security,
    Performance,
    Integrity,
    Conventions,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::Performance => "performance",
            Category::Integrity => "integrity",
            Category::Conventions => "conventions",
        }
    }
}

/// A rule: its identity, defaults and documentation, and the function that applies it.
pub struct Rule {
    /// Stable id; splinter's name where the rule is the same.
    pub id: &'static str,
    pub category: Category,
    /// The default priority; a rule may emit another (e.g. P0 for SECURITY DEFINER).
    pub priority: Priority,
    /// The rule's source file, whose `//!` comment is its documentation.
    pub source: &'static str,
    pub check: fn(&Context, &mut Emitter),
}

impl Rule {
    pub fn docs(&self) -> docs::RuleDocs {
        docs::RuleDocs::parse(self.id, self.source)
    }
}

/// A rule's identity and documentation as plain data, for a UI that shows findings without
/// linking the rules themselves (the app gets these from the worker).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSummary {
    pub id: String,
    pub title: String,
    pub category: Category,
    pub priority: Priority,
    /// (heading, markdown) in the fixed order of [`docs::HEADINGS`].
    pub sections: Vec<(String, String)>,
}

/// Every rule's [`RuleSummary`].
pub fn summaries() -> Vec<RuleSummary> {
    rules::ALL
        .iter()
        .map(|r| {
            let d = r.docs();
            RuleSummary { id: r.id.into(), title: d.title, category: r.category, priority: r.priority, sections: d.sections }
        })
        .collect()
}

/// Where a finding points, in the input files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub priority: Priority,
    pub category: Category,
    /// The key of the object (`schema.table`, `schema.fn(args)`, `schema.table/policy`).
    pub object: String,
    pub message: String,
    /// SQL that fixes it, when there is one to suggest.
    pub fix: Option<String>,
    pub location: Option<Location>,
    /// The span behind `location`, for the app's source view.
    pub span: Option<Span>,
    pub assumptions: Vec<String>,
    /// Stable across edits of unrelated lines: rule + object + subject.
    pub fingerprint: String,
    /// In the config's baseline: accepted, reported apart, never fails a run.
    #[serde(default)]
    pub baselined: bool,
}

/// What a rule emits; the engine adds rule, category, location and fingerprint.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    pub object: String,
    /// What the finding is about within the object (a column, a policy, an index); part of the
    /// fingerprint, so two findings of one rule on one object stay apart.
    pub subject: String,
    pub message: String,
    pub fix: Option<String>,
    pub span: Option<Span>,
    pub assumptions: Vec<String>,
    /// `None`: the rule's default.
    pub priority: Option<Priority>,
}

impl Draft {
    pub fn new(object: impl Into<String>, message: impl Into<String>) -> Draft {
        Draft { object: object.into(), message: message.into(), ..Default::default() }
    }
    pub fn subject(mut self, s: impl Into<String>) -> Draft {
        self.subject = s.into();
        self
    }
    pub fn fix(mut self, sql: impl Into<String>) -> Draft {
        self.fix = Some(sql.into());
        self
    }
    pub fn span(mut self, span: Span) -> Draft {
        self.span = Some(span);
        self
    }
    pub fn assume(mut self, a: impl IntoIterator<Item = String>) -> Draft {
        for s in a {
            if !self.assumptions.contains(&s) {
                self.assumptions.push(s);
            }
        }
        self
    }
    pub fn priority(mut self, p: Priority) -> Draft {
        self.priority = Some(p);
        self
    }
}

/// Collects one rule's drafts.
#[derive(Default)]
pub struct Emitter {
    drafts: Vec<Draft>,
}

impl Emitter {
    pub fn emit(&mut self, d: Draft) {
        self.drafts.push(d);
    }
}

/// `[checks]` in pglens.toml.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChecksConfig {
    /// Rule ids not to run.
    pub disable: Vec<String>,
    /// Priority per rule id, replacing the rule's own.
    pub priority: BTreeMap<String, Priority>,
    /// Column names that hold the tenant (rows of one tenant must never reach another).
    pub tenant_keys: Vec<String>,
    /// Table name patterns (`*` wildcard, matched against `name` and `schema.name`) that hold
    /// sensitive data and must deny by default.
    pub sensitive_tables: Vec<String>,
    /// Fingerprints of accepted findings.
    pub baseline: Vec<String>,
}

impl Default for ChecksConfig {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect();
        ChecksConfig {
            disable: vec![],
            priority: BTreeMap::new(),
            tenant_keys: s(&["school_id", "tenant_id", "org_id", "organization_id", "workspace_id", "network_id"]),
            sensitive_tables: s(&[
                "user_roles",
                "*_roles",
                "roles",
                "clientes",
                "contratos",
                "cuotas",
                "payments",
                "invoices",
                "billing*",
                "*_secrets",
                "secrets",
                "api_keys",
            ]),
            baseline: vec![],
        }
    }
}

/// Every rule that `config` leaves enabled, on the snapshot.
pub fn run(snap: &Snapshot, assumptions: &Assumptions, config: &ChecksConfig) -> Vec<Finding> {
    let cx = Context::new(snap, assumptions, config);
    let mut out = Vec::new();
    for rule in rules::ALL {
        if config.disable.iter().any(|d| d == rule.id) {
            continue;
        }
        out.extend(run_rule(&cx, rule));
    }
    sort(&mut out);
    out
}

/// One rule, whatever the config says about disabling it (tests and the docs use this).
pub fn run_rule(cx: &Context, rule: &Rule) -> Vec<Finding> {
    let mut e = Emitter::default();
    (rule.check)(cx, &mut e);
    let priority = cx.config.priority.get(rule.id).copied();
    e.drafts
        .into_iter()
        .map(|d| {
            let fingerprint = fingerprint(rule.id, &d.object, &d.subject);
            Finding {
                rule: rule.id.to_string(),
                priority: priority.or(d.priority).unwrap_or(rule.priority),
                category: rule.category,
                location: d.span.map(|s| cx.location(&s)),
                baselined: cx.config.baseline.contains(&fingerprint),
                object: d.object,
                message: d.message,
                fix: d.fix,
                span: d.span,
                assumptions: d.assumptions,
                fingerprint,
            }
        })
        .collect()
}

fn sort(v: &mut [Finding]) {
    v.sort_by(|a, b| (a.priority, &a.rule, &a.object, &a.message).cmp(&(b.priority, &b.rule, &b.object, &b.message)));
}

pub(crate) fn fingerprint(rule: &str, object: &str, subject: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [rule, object, subject] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(16);
    for b in h.finalize().iter().take(8) {
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests;
