//! Browser half of the load benchmark (`benches/load.rs` is the native half): GitLab's
//! structure.sql parsed and loaded inside a wasm32 module in headless Chromium. A measurement,
//! never a timed assertion: the only checks are that the input loads at all.
//!
//! Run (or `scripts/bench.sh`, which also runs the native bench and prints the comparison):
//!   cargo test --release -p pglens-core --target wasm32-unknown-unknown --test wasm_bench -- --nocapture
//! with $PGLENS_TOOLS/bin on PATH, chromedriver installed, and WASM_BINDGEN_TEST_TIMEOUT raised
//! (the runner's default of 20 s is too short for a debug build). core/webdriver.json holds the
//! Chromium arguments (the runner reads ./webdriver.json; cargo runs it from core/).
//! Iterations per measurement: PGLENS_WASM_BENCH_ITERS at compile time (default 5).
//!
//! The input is embedded with `include_bytes!` (a browser has no file system) from
//! ../shared/corpus/gitlab/structure.sql, never copied into the repository; build.rs sets
//! `pglens_gitlab_corpus` when that file exists, and without it this test only says so.
//!
//! Output: one block through console.log, each figure also on a `pglens-wasm-bench key=value`
//! line for scripts. Memory is the module's linear memory (`WebAssembly.Memory.buffer.byteLength`):
//! it only grows, so its size after the first load is the peak that load needed. It includes
//! the embedded copy of the input (a data segment) and the copy handed to `load_with_sources`.
#![cfg(target_arch = "wasm32")]

#[path = "browser/timing.rs"]
mod timing;

use timing::{console_log, iterations, median, performance_now, time_ms, yield_to_browser};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[cfg(pglens_gitlab_corpus)]
static GITLAB: Option<&[u8]> = Some(include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus/gitlab/structure.sql")));
#[cfg(not(pglens_gitlab_corpus))]
static GITLAB: Option<&[u8]> = None;

/// Size of the module's linear memory in bytes, as JavaScript sees it.
fn wasm_memory_bytes() -> u64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let buffer: js_sys::ArrayBuffer = memory.buffer().unchecked_into();
    buffer.byte_length() as u64
}

const MIB: f64 = 1024.0 * 1024.0;

#[wasm_bindgen_test]
async fn wasm_load_bench() {
    let Some(input) = GITLAB else {
        console_log(
            "pglens wasm bench: ../shared/corpus/gitlab/structure.sql was absent at build time \
             (cfg pglens_gitlab_corpus unset): nothing to measure",
        );
        return;
    };
    let iters = iterations();
    let input_len = input.len() as u64;

    // Memory first, before anything else allocates: one cold load.
    let mem_start = wasm_memory_bytes();
    // The worker's path: the load takes the bytes it was handed and returns the decoded texts.
    let files = || vec![pglens_core::InputFile { name: "structure.sql".into(), bytes: input.to_vec() }];
    let first = files();
    let mem_before = wasm_memory_bytes();
    let t = performance_now();
    let (loaded, sources) = pglens_core::load_with_sources(first, &mut |_| true);
    let first_load_ms = performance_now() - t;
    drop(sources);
    let mem_after_load = wasm_memory_bytes();
    let loaded_statements = loaded.summary.statements;
    let tables = loaded.summary.tables;
    let parse_errors = loaded.summary.parse_errors;
    assert!(loaded_statements > 0, "GitLab's structure.sql loaded no statement");
    drop(loaded);
    yield_to_browser().await;

    // (b) whole load: decode + split + parse + build.
    // Each run gets its own copy of the input (a 2.6 MiB memcpy, well under 1% of a load).
    let load = time_ms(iters, || std::hint::black_box(pglens_core::load_with_sources(std::hint::black_box(files()), &mut |_| true))).await;

    // (a) bare parse of each statement from the splitter, as in benches/load.rs.
    let text = std::str::from_utf8(input).expect("structure.sql is UTF-8");
    let split = pglens_core::load::split(text, 0);
    let statements: Vec<&str> = split.statements.iter().map(|s| s.text(text)).collect();
    let parse = time_ms(iters, || {
        for s in &statements {
            let _ = std::hint::black_box(pglens_core::parse::parse_sql(std::hint::black_box(s)));
        }
    })
    .await;
    // The native bench's baseline is pg_query::parse itself (the same C call and protobuf decode
    // as parse_sql, plus ParseResult::new's walk of the tree); the same call here gives the
    // like-for-like wasm-vs-native figure.
    let pg_query_parse = time_ms(iters, || {
        for s in &statements {
            let _ = std::hint::black_box(pg_query::parse(std::hint::black_box(s), 0));
        }
    })
    .await;
    let mem_end = wasm_memory_bytes();

    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line("==================== pglens wasm load bench (browser) ====================".into());
    line(format!(
        "input            gitlab/structure.sql, {input_len} bytes ({:.2} MiB), {} statements split, \
         {loaded_statements} loaded, {tables} tables, {parse_errors} parse errors",
        input_len as f64 / MIB,
        statements.len()
    ));
    line(format!("iterations       {iters} timed per row, after 1 untimed warm-up (performance.now)"));
    for (name, t) in [("parse_sql each statement", &parse), ("pg_query::parse each", &pg_query_parse), ("load_files (whole load)", &load)] {
        line(format!("{name:<25}min {:>9.1} ms   median {:>9.1} ms   max {:>9.1} ms", t[0], median(t), t[t.len() - 1]));
    }
    line(format!("first (cold) load_files   {first_load_ms:.1} ms"));
    line(format!(
        "wasm memory      start {:.1} MiB (incl. the embedded input), before load {:.1} MiB \
         (+ input copy), after first load {:.1} MiB = peak, end {:.1} MiB",
        mem_start as f64 / MIB,
        mem_before as f64 / MIB,
        mem_after_load as f64 / MIB,
        mem_end as f64 / MIB
    ));
    line(format!(
        "peak / input     {:.2}x   (growth during load / input: {:.2}x)",
        mem_after_load as f64 / input_len as f64,
        (mem_after_load - mem_before) as f64 / input_len as f64
    ));
    line("==========================================================================".into());
    let kv = [
        ("input_bytes", input_len as f64),
        ("statements", statements.len() as f64),
        ("iterations", iters as f64),
        ("parse_min_ms", parse[0]),
        ("parse_median_ms", median(&parse)),
        ("pg_query_parse_min_ms", pg_query_parse[0]),
        ("pg_query_parse_median_ms", median(&pg_query_parse)),
        ("load_min_ms", load[0]),
        ("load_median_ms", median(&load)),
        ("first_load_ms", first_load_ms),
        ("mem_start_bytes", mem_start as f64),
        ("mem_before_load_bytes", mem_before as f64),
        ("mem_peak_bytes", mem_after_load as f64),
        ("mem_end_bytes", mem_end as f64),
    ];
    for (k, v) in kv {
        line(format!("pglens-wasm-bench {k}={v}"));
    }
    console_log(&out);
}
