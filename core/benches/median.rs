//! The median of the per-iteration times a bench collected, for the figures it prints beside
//! criterion's own (shared by the benches through `#[path]`).

use std::cell::RefCell;

pub fn median_ms(v: &RefCell<Vec<f64>>) -> f64 {
    let mut v = v.borrow().clone();
    v.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
    if v.is_empty() {
        return f64::NAN;
    }
    v[v.len() / 2]
}
