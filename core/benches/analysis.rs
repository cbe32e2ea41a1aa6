//! Analysis benchmarks, each beside the load of the same input measured in the same run:
//! - `access::matrix` and `checks::run` over a generated snapshot of 1,000 tables × 5 policies × 5
//!   roles (benches/policy_heavy.rs);
//! - `checks::run` over GitLab's structure.sql (read in place from ../shared/corpus).
//!
//! `cargo bench -p pglens-core --bench analysis`.

#[path = "policy_heavy.rs"]
mod policy_heavy;

use criterion::{criterion_group, criterion_main, Criterion};
use pglens_core::access::{matrix, Assumptions};
use pglens_core::checks::{self, ChecksConfig};
use pglens_core::{load_files, InputFile};

fn group(c: &mut Criterion, name: &str, files: &[InputFile], with_matrix: bool) {
    let snap = load_files(files).snapshot;
    let assumptions = pglens_core::config::Config::default().assumptions_for(&snap);
    let config = ChecksConfig::default();
    let mut g = c.benchmark_group(name);
    g.sample_size(10);
    g.bench_function("load_files", |b| b.iter_with_large_drop(|| load_files(std::hint::black_box(files))));
    if with_matrix {
        g.bench_function("access_matrix", |b| b.iter_with_large_drop(|| matrix(std::hint::black_box(&snap), &assumptions)));
    }
    g.bench_function("checks_run", |b| b.iter_with_large_drop(|| checks::run(std::hint::black_box(&snap), &assumptions, &config)));
    g.finish();
}

fn bench(c: &mut Criterion) {
    let heavy = [InputFile { name: "policy_heavy.sql".into(), bytes: policy_heavy::sql(1000).into_bytes() }];
    let snap = load_files(&heavy).snapshot;
    let cells = matrix(&snap, &Assumptions::supabase()).cells.len();
    assert!(snap.tables.len() == 1000 && cells >= 1000 * 4 * 5, "the generated snapshot: {} tables, {cells} cells", snap.tables.len());
    group(c, "policy_heavy_1000_tables", &heavy, true);
    let gitlab = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/gitlab/structure.sql");
    match std::fs::read(&gitlab) {
        Ok(bytes) => group(c, "gitlab_structure_sql_checks", &[InputFile { name: "structure.sql".into(), bytes }], false),
        Err(_) => eprintln!("{} not found: GitLab's checks not measured", gitlab.display()),
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
