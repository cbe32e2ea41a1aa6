//! The "Report" button's file: the core's self-contained HTML report ([`report::html::render`])
//! from what the app already holds, so it has the same bytes as `pglens report` on the same files
//! under the same assumptions (the Access page's `pglens.toml`).
//!
//! The page has no parser, so the findings are the worker's; the access matrix and the drift are
//! the pages' own (the drift again, unswapped, when the Drift page shows B against A).

use crate::state::{side_assumptions, AppState, Data};
use leptos::prelude::*;
use pglens_core::checks::ChecksConfig;
use pglens_core::diff;
use pglens_core::report::html::{self, HtmlInput};
use pglens_core::Loaded;

/// A snapshot with every file's SHA-256 (the worker sends the main one's after the load; the
/// compare snapshot's are computed here).
fn fingerprinted(d: &Data, known: &[Option<String>]) -> Loaded {
    let mut l = d.loaded.clone();
    for (f, sha) in l.snapshot.files.iter_mut().zip(known) {
        if f.sha256.is_none() {
            f.sha256.clone_from(sha);
        }
    }
    pglens_core::fingerprint(&mut l.snapshot.files, &d.texts);
    l
}

/// The report's file name and text, or why it cannot be made yet.
pub fn build(state: AppState) -> Result<(String, String), String> {
    let data = state.data.get_untracked().ok_or("Open a snapshot first.")?;
    let assumptions = state.assumptions.get_untracked();
    let findings = state
        .findings
        .get_untracked()
        .filter(|f| f.assumptions == assumptions)
        .ok_or("The health checks are still running: try again in a moment.")?;
    let access = state.access.get_untracked().ok_or("The access matrix is not ready.")?;
    let main = fingerprinted(&data, &state.fingerprints.get_untracked());
    let compare = state.compare.get_untracked();
    let other = compare.as_deref().map(|c| fingerprinted(c, &[]));
    // The report always compares the main snapshot (A) with the compare one (B).
    let shown = state.drift.get_untracked().filter(|d| !d.swapped);
    let fresh = match (&compare, &shown) {
        (Some(c), None) => {
            let b = side_assumptions(state.assumptions_override.get_untracked(), c);
            Some(diff::diff(&data.loaded.snapshot, &c.loaded.snapshot, &diff::Options { exposed_roles: b.api_roles, ignore: vec![] }))
        }
        _ => None,
    };
    let drift = compare.as_ref().and(shown.as_ref().map(|d| &d.drift).or(fresh.as_ref()));
    let text = html::render(&HtmlInput {
        main: &main,
        compare: other.as_ref(),
        findings: &findings.findings,
        matrix: &access.matrix,
        drift,
        assumptions: &assumptions,
        checks: &ChecksConfig::default(),
        note: None,
    });
    Ok((file_name(&main), text))
}

/// `pglens-report-<first file's stem>.html`, in characters any file system takes.
fn file_name(main: &Loaded) -> String {
    let first = main.snapshot.files.first().map(|f| html::base_name(&f.name)).unwrap_or("snapshot");
    let stem = first.split('.').next().filter(|s| !s.is_empty()).unwrap_or("snapshot");
    let safe: String = stem.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    format!("pglens-report-{safe}.html")
}
