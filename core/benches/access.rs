//! Access-matrix benchmark: `access::matrix` over a generated snapshot of 1,000 tables × 5
//! policies × 5 roles, beside the load (decode + split + parse + build) of the same snapshot
//! measured in the same run. `cargo bench -p pglens-core --bench access`.

#[path = "policy_heavy.rs"]
mod policy_heavy;

use criterion::{criterion_group, criterion_main, Criterion};
use pglens_core::access::{matrix, Assumptions};
use pglens_core::{load_files, InputFile};

fn bench(c: &mut Criterion) {
    let files = [InputFile { name: "policy_heavy.sql".into(), bytes: policy_heavy::sql(1000).into_bytes() }];
    let snap = load_files(&files).snapshot;
    let assumptions = Assumptions::supabase();
    let cells = matrix(&snap, &assumptions).cells.len();
    assert!(cells >= 1000 * 4 * 5, "the generated snapshot should give every table its cells, got {cells}");
    let mut g = c.benchmark_group("policy_heavy_1000_tables");
    g.sample_size(10);
    g.bench_function("load_files", |b| b.iter_with_large_drop(|| load_files(std::hint::black_box(&files))));
    g.bench_function("access_matrix", |b| b.iter_with_large_drop(|| matrix(std::hint::black_box(&snap), &assumptions)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
