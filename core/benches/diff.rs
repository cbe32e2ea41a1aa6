//! Drift benchmark: `diff::diff` of GitLab's structure.sql (A, read in place from ../shared/corpus)
//! against the same file with 50 scattered edits (B, benches/drift_edits.rs), beside the load of
//! one file, both measured in the same run. Target: the diff costs under a quarter of one load.
//!
//! Before measuring it checks that the diff finds the edits (about 50 changes, each edit's kind and
//! key) and prints how many; after, it prints the median of each and their ratio (criterion's own
//! figures are in target/criterion/gitlab_structure_sql_drift/, which scripts/bench.sh reads).
//!
//! `cargo bench -p pglens-core --bench diff`.

#[path = "drift_edits.rs"]
mod drift_edits;

#[path = "median.rs"]
mod median;

use criterion::{criterion_group, criterion_main, Criterion};
use median::median_ms;
use pglens_core::diff::{diff, Options};
use pglens_core::{load_files, InputFile};
use std::cell::RefCell;
use std::time::{Duration, Instant};

fn bench(c: &mut Criterion) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/gitlab/structure.sql");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("{} not found: the drift benchmark measures nothing", path.display());
        return;
    };
    let (edited, edits) = drift_edits::apply(&text);
    let a_files = [InputFile { name: "structure.sql".into(), bytes: text.into_bytes() }];
    let b_files = [InputFile { name: "structure_edited.sql".into(), bytes: edited.into_bytes() }];
    let a = load_files(&a_files).snapshot;
    let b = load_files(&b_files).snapshot;
    let options = Options::for_snapshots(&a, &b);

    let d = diff(&a, &b, &options);
    let (found, missing, unexpected) = drift_edits::check(&edits, d.changes.iter().map(|c| (c.kind.as_str(), c.key.as_str())));
    println!(
        "gitlab drift: {} edits applied, the diff found {} changes: {} of the edits found, {} missing, {} changes no edit explains",
        edits.len(),
        d.changes.len(),
        found.len(),
        missing.len(),
        unexpected.len()
    );
    for m in &missing {
        println!("  missing:    {m}");
    }
    for u in &unexpected {
        println!("  unexpected: {u}");
    }
    assert_eq!(edits.len(), 50, "drift_edits applied {} edits, not 50", edits.len());
    // A sanity check on the input, not a correctness test of the engine (tests/ do that): the
    // edits took effect and the diff sees roughly them.
    assert!(
        (40..=60).contains(&d.changes.len()) && found.len() >= 45,
        "the diff found {} changes for 50 edits ({} of them)",
        d.changes.len(),
        found.len()
    );

    let loads = RefCell::new(Vec::new());
    let diffs = RefCell::new(Vec::new());
    let mut g = c.benchmark_group("gitlab_structure_sql_drift");
    g.sample_size(10);
    // The snapshot is dropped outside the measurement (as benches/load.rs does).
    g.bench_function("load_files", |bch| {
        bch.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let t = Instant::now();
                let out = load_files(std::hint::black_box(&a_files));
                total += t.elapsed();
                drop(out);
            }
            loads.borrow_mut().push(total.as_secs_f64() * 1e3 / iters as f64);
            total
        })
    });
    g.bench_function("diff", |bch| {
        bch.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let t = Instant::now();
                let out = diff(std::hint::black_box(&a), std::hint::black_box(&b), &options);
                total += t.elapsed();
                drop(out);
            }
            diffs.borrow_mut().push(total.as_secs_f64() * 1e3 / iters as f64);
            total
        })
    });
    g.finish();
    let (l, df) = (median_ms(&loads), median_ms(&diffs));
    println!(
        "gitlab drift: load_files median {l:.1} ms, diff median {df:.1} ms ({} changes): diff / load = {:.3} (target < 0.25)",
        d.changes.len(),
        df / l
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
