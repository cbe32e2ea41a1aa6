//! Load benchmark: decode + split + parse + build of GitLab's structure.sql, beside the baseline
//! pg_query's bare `parse` of the same statements measured in the same run.
//!
//! `cargo bench -p pglens-core --bench load` (reads ../shared/corpus/gitlab/structure.sql).

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::PathBuf;

fn corpus(rel: &str) -> Option<Vec<u8>> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus").join(rel);
    std::fs::read(&p).ok()
}

fn bench(c: &mut Criterion) {
    let Some(bytes) = corpus("gitlab/structure.sql") else {
        eprintln!("../shared/corpus/gitlab/structure.sql not found: nothing to measure");
        return;
    };
    let text = String::from_utf8(bytes.clone()).expect("utf-8");
    let split = pglens_core::load::split(&text, 0);
    let statements: Vec<&str> = split.statements.iter().map(|s| s.text(&text)).collect();
    let mut g = c.benchmark_group("gitlab_structure_sql");
    g.sample_size(10);
    g.bench_function("baseline_pg_query_parse_each_statement", |b| {
        b.iter(|| {
            for s in &statements {
                let _ = std::hint::black_box(pg_query::parse(s, 0));
            }
        })
    });
    g.bench_function("pglens_parse_each_statement", |b| {
        b.iter(|| {
            for s in &statements {
                let _ = std::hint::black_box(pglens_core::parse::parse_sql(s));
            }
        })
    });
    g.bench_function("split_only", |b| b.iter(|| pglens_core::load::split(std::hint::black_box(&text), 0)));
    let files = [pglens_core::InputFile { name: "structure.sql".into(), bytes }];
    // The snapshot is dropped outside the measurement: tearing it down is not loading it.
    g.bench_function("pglens_load_files", |b| b.iter_with_large_drop(|| pglens_core::load_files(std::hint::black_box(&files))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
