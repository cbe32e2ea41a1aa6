//! Coordinates: layers are columns left to right, items stack top to bottom inside a column.
//!
//! Invariants:
//! - A column is as wide as its widest box and columns are `layer_gap` apart, so boxes of
//!   different layers never overlap.
//! - Inside a column, consecutive items keep at least their height plus a gap between their tops
//!   (`node_gap` between boxes, `edge_gap` next to a dummy), in the order crossing reduction chose:
//!   boxes of one layer never overlap either. This holds by construction for every input.
//! - Vertical positions come from a few sweeps that pull each item towards the ports it is joined
//!   to in the neighbouring column (so an FK row lines up with the key row it references), each
//!   solved exactly under the spacing constraints by pool-adjacent-violators (isotonic
//!   regression): O(items) per sweep.

use super::ordering::Layered;

pub(super) struct Spacing {
    pub node_gap: f64,
    pub edge_gap: f64,
    pub layer_gap: f64,
}

pub(super) struct Placed {
    /// Left edge and width of each column.
    pub column_x: Vec<f64>,
    pub column_width: Vec<f64>,
    /// Top of each item.
    pub y: Vec<f64>,
}

pub(super) fn place(l: &Layered, width: &[f64], height: &[f64], spacing: &Spacing, rounds: u32) -> Placed {
    let layers = l.order.len();
    let items = l.items();
    let h = |v: u32| if (v as usize) < l.real { height[v as usize] } else { 0.0 };
    let mut column_width = vec![0.0f64; layers];
    for v in 0..l.real {
        let c = &mut column_width[l.layer[v] as usize];
        *c = c.max(width[v]);
    }
    let mut column_x = Vec::with_capacity(layers);
    let mut x = 0.0;
    for w in &column_width {
        column_x.push(x);
        x += w + spacing.layer_gap;
    }
    // Minimum distance from the top of item a to the top of the item b below it.
    let sep = |a: u32, b: u32| {
        let gap = if (a as usize) < l.real && (b as usize) < l.real { spacing.node_gap } else { spacing.edge_gap };
        h(a) + gap
    };

    // Start packed and centred on the tallest column.
    let mut y = vec![0.0f64; items];
    let extent = |order: &[u32]| -> f64 { order.windows(2).map(|w| sep(w[0], w[1])).sum::<f64>() + order.last().map_or(0.0, |&v| h(v)) };
    let tallest = l.order.iter().map(|o| extent(o)).fold(0.0, f64::max);
    for order in &l.order {
        let mut top = (tallest - extent(order)) / 2.0;
        for (i, &v) in order.iter().enumerate() {
            if i > 0 {
                top += sep(order[i - 1], v);
            }
            y[v as usize] = top;
        }
    }

    // Neighbours with port offsets: for item v, (other item, v's offset, other's offset).
    let mut left_of: Vec<Vec<(u32, f64, f64)>> = vec![Vec::new(); items];
    let mut right_of: Vec<Vec<(u32, f64, f64)>> = vec![Vec::new(); items];
    for &(a, b, oa, ob) in l.segments.iter().flatten() {
        right_of[a as usize].push((b, oa, ob));
        left_of[b as usize].push((a, ob, oa));
    }
    let mut desired: Vec<(f64, f64)> = Vec::new();
    let mut seps: Vec<f64> = Vec::new();
    for round in 0..rounds {
        let both = round + 1 == rounds && rounds > 1;
        for down in [true, false] {
            let order: Vec<usize> = if down { (0..layers).collect() } else { (0..layers).rev().collect() };
            for li in order {
                let o = &l.order[li];
                desired.clear();
                for &v in o {
                    let (mut sum, mut n) = (0.0, 0.0);
                    let mut pull = |ns: &[(u32, f64, f64)]| {
                        for &(u, own, other) in ns {
                            sum += y[u as usize] + other - own;
                            n += 1.0;
                        }
                    };
                    if down || both {
                        pull(&left_of[v as usize]);
                    }
                    if !down || both {
                        pull(&right_of[v as usize]);
                    }
                    desired.push(if n > 0.0 { (sum / n, n) } else { (y[v as usize], 1e-3) });
                }
                seps.clear();
                seps.extend(o.windows(2).map(|w| sep(w[0], w[1])));
                let tops = isotonic(&desired, &seps);
                for (&v, t) in o.iter().zip(tops) {
                    y[v as usize] = t;
                }
            }
        }
    }
    let min = (0..items).map(|v| y[v]).fold(f64::INFINITY, f64::min);
    if min.is_finite() {
        for t in &mut y {
            *t -= min;
        }
    }
    Placed { column_x, column_width, y }
}

/// Positions `t` minimising Σ w·(t − d)² subject to t[i+1] ≥ t[i] + seps[i], for `desired`
/// given as (d, w): substitute z = t − Σ seps before i, then pool adjacent violators.
fn isotonic(desired: &[(f64, f64)], seps: &[f64]) -> Vec<f64> {
    let n = desired.len();
    let mut offset = Vec::with_capacity(n);
    let mut acc = 0.0;
    for i in 0..n {
        offset.push(acc);
        if i < seps.len() {
            acc += seps[i];
        }
    }
    // Blocks: (weight, weighted sum, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(n);
    for i in 0..n {
        let (d, w) = desired[i];
        blocks.push((w, w * (d - offset[i]), 1));
        while blocks.len() > 1 {
            let b = blocks[blocks.len() - 1];
            let a = blocks[blocks.len() - 2];
            if a.1 / a.0 > b.1 / b.0 {
                blocks.pop();
                let last = blocks.last_mut().expect("two blocks");
                *last = (a.0 + b.0, a.1 + b.1, a.2 + b.2);
            } else {
                break;
            }
        }
    }
    let mut out = Vec::with_capacity(n);
    for (w, s, c) in blocks {
        let z = s / w;
        for _ in 0..c {
            let i = out.len();
            out.push(z + offset[i]);
        }
    }
    // The blocks are non-decreasing in z: re-impose the spacing exactly against rounding.
    for i in 1..n {
        let min = out[i - 1] + seps[i - 1];
        if out[i] < min {
            out[i] = min;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::isotonic;

    #[test]
    fn isotonic_keeps_spacing_and_fits() {
        let t = isotonic(&[(10.0, 1.0), (10.0, 1.0), (50.0, 1.0)], &[20.0, 5.0]);
        assert_eq!(t, vec![0.0, 20.0, 50.0]);
        let t = isotonic(&[(0.0, 1.0), (100.0, 1.0)], &[10.0]);
        assert_eq!(t, vec![0.0, 100.0]);
    }
}
