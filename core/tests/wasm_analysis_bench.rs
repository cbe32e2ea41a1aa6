//! Browser half of `benches/analysis.rs` and `benches/diff.rs`: the access matrix and the health
//! checks over a generated snapshot of 1,000 tables × 5 policies × 5 roles, the checks over
//! GitLab's structure.sql, and the drift of GitLab's structure.sql against itself with 50
//! scattered edits (benches/drift_edits.rs), each beside the load of the same input, inside a
//! wasm32 module in headless Chromium. A measurement, never a timed assertion (the drift only
//! checks that the diff found about the 50 edits, as benches/diff.rs does).
//!
//! Run (or `scripts/bench.sh`):
//!   cargo test --release -p pglens-core --target wasm32-unknown-unknown --test wasm_analysis_bench -- --nocapture
//! Output: a block through console.log, and `pglens-wasm-analysis key=value` lines for scripts.
#![cfg(target_arch = "wasm32")]

#[path = "../benches/drift_edits.rs"]
mod drift_edits;
#[path = "../benches/policy_heavy.rs"]
mod policy_heavy;
#[path = "browser/timing.rs"]
mod wasm_timing;

use pglens_core::access::{matrix, Assumptions};
use pglens_core::checks::{self, ChecksConfig};
use pglens_core::diff::{diff, Options};
use pglens_core::{load_with_sources, InputFile};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wasm_timing::{console_log, median, time_ms};

wasm_bindgen_test_configure!(run_in_browser);

#[cfg(pglens_gitlab_corpus)]
static GITLAB: Option<&[u8]> = Some(include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus/gitlab/structure.sql")));
#[cfg(not(pglens_gitlab_corpus))]
static GITLAB: Option<&[u8]> = None;

async fn measure(label: &str, bytes: &[u8], with_matrix: bool, out: &mut Vec<String>) {
    let iters = wasm_timing::iterations();
    let files = || vec![InputFile { name: label.into(), bytes: bytes.to_vec() }];
    let snap = load_with_sources(files(), &mut |_| true).0.snapshot;
    let assumptions = pglens_core::config::Config::default().assumptions_for(&snap);
    let config = ChecksConfig::default();
    let load = time_ms(iters, || load_with_sources(files(), &mut |_| true)).await;
    let checks = time_ms(iters, || checks::run(&snap, &assumptions, &config)).await;
    let findings = checks::run(&snap, &assumptions, &config).len();
    out.push(format!("{label}: {} tables, {findings} findings", snap.tables.len()));
    let mut rows = vec![("load", load), ("checks", checks)];
    if with_matrix {
        let m = time_ms(iters, || matrix(&snap, &Assumptions::supabase())).await;
        out.push(format!("{label}: {} matrix cells", matrix(&snap, &Assumptions::supabase()).cells.len()));
        rows.push(("matrix", m));
    }
    let base = median(&rows[0].1);
    for (name, t) in rows {
        out.push(format!("{label:<18} {name:<8} median {:>8.1} ms   min {:>8.1} ms   {:.3}x load", median(&t), t[0], median(&t) / base));
        out.push(format!("pglens-wasm-analysis {label}.{name}_median_ms={}", median(&t)));
    }
}

/// The drift: one file against its edited copy (drift_edits.rs), beside the load of one file.
async fn measure_drift(label: &str, bytes: &[u8], out: &mut Vec<String>) {
    let iters = wasm_timing::iterations();
    let text = std::str::from_utf8(bytes).expect("structure.sql is UTF-8");
    let (edited, edits) = drift_edits::apply(text);
    let files = || vec![InputFile { name: label.into(), bytes: bytes.to_vec() }];
    let a = load_with_sources(files(), &mut |_| true).0.snapshot;
    let b = load_with_sources(vec![InputFile { name: format!("{label}_edited"), bytes: edited.into_bytes() }], &mut |_| true).0.snapshot;
    let options = Options::for_snapshots(&a, &b);
    let d = diff(&a, &b, &options);
    let (found, missing, unexpected) = drift_edits::check(&edits, d.changes.iter().map(|c| (c.kind.as_str(), c.key.as_str())));
    out.push(format!(
        "{label}: {} edits, {} changes found ({} of the edits, {} missing, {} unexplained)",
        edits.len(),
        d.changes.len(),
        found.len(),
        missing.len(),
        unexpected.len()
    ));
    out.extend(
        missing.iter().map(|m| format!("{label}: missing {m}")).chain(unexpected.iter().map(|u| format!("{label}: unexpected {u}"))),
    );
    assert!(
        (40..=60).contains(&d.changes.len()) && found.len() >= 45,
        "the diff found {} changes for {} edits",
        d.changes.len(),
        edits.len()
    );
    let load = time_ms(iters, || load_with_sources(files(), &mut |_| true)).await;
    let drift = time_ms(iters, || diff(&a, &b, &options)).await;
    let base = median(&load);
    for (name, t) in [("load", &load), ("diff", &drift)] {
        out.push(format!("{label:<18} {name:<8} median {:>8.1} ms   min {:>8.1} ms   {:.3}x load", median(t), t[0], median(t) / base));
        out.push(format!("pglens-wasm-analysis {label}.{name}_median_ms={}", median(t)));
    }
    out.push(format!("pglens-wasm-analysis {label}.changes={}", d.changes.len()));
}

#[wasm_bindgen_test]
async fn wasm_analysis_bench() {
    let mut out = vec!["==================== pglens wasm analysis bench (browser) ====================".to_string()];
    let heavy = policy_heavy::sql(1000);
    measure("policy_heavy_1000", heavy.as_bytes(), true, &mut out).await;
    match GITLAB {
        Some(g) => {
            measure("gitlab", g, false, &mut out).await;
            measure_drift("gitlab_drift", g, &mut out).await;
        }
        None => out.push("gitlab/structure.sql absent at build time: not measured".into()),
    }
    console_log(&out.join("\n"));
}
