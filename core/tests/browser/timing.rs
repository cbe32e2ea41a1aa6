//! Timing helpers shared by the browser benchmarks (included with `#[path]`).
#![allow(dead_code)]

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub fn performance_now() -> f64;
    #[wasm_bindgen(js_namespace = console, js_name = log)]
    pub fn console_log(s: &str);
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(f: &js_sys::Function, ms: i32) -> JsValue;
}

pub fn iterations() -> usize {
    option_env!("PGLENS_WASM_BENCH_ITERS").and_then(|s| s.parse().ok()).filter(|&n| n > 0).unwrap_or(5)
}

/// Returns to the event loop so the page stays responsive to the test runner's polling.
pub async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        set_timeout(&resolve, 0);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Times `iterations` runs of `f` (after one untimed warm-up run), in milliseconds, sorted; what
/// `f` returns is dropped after the clock stops.
pub async fn time_ms<R>(iterations: usize, mut f: impl FnMut() -> R) -> Vec<f64> {
    drop(f());
    yield_to_browser().await;
    let mut times = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let start = performance_now();
        let out = f();
        times.push(performance_now() - start);
        drop(out);
        yield_to_browser().await;
    }
    times.sort_by(|a, b| a.partial_cmp(b).expect("times are finite"));
    times
}

pub fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}
