//! Dummy nodes for edges that span several layers, and the order of the boxes inside each layer
//! (crossing reduction).
//!
//! Invariants:
//! - Items `0..n` are the component's boxes, items `n..` dummy nodes; every segment joins two
//!   adjacent layers, left to right.
//! - An edge spanning at most `max_span` layers gets one dummy per layer it passes; a longer one is
//!   drawn straight ([`Chain::straight`]) and takes no part in the ordering: the dummies a hub's
//!   edges cost are bounded by `edges × max_span`.
//! - Crossing reduction is a bounded number of barycenter sweeps (down then up) with a transpose
//!   pass after each, ports counted at their rows; each round's crossings are counted by merge-sort
//!   inversions in O(E log E) and the best order seen is kept.
//! - Deterministic: stable sorts, ties by current position.

/// One edge as the layers see it: `left` is in the lower layer.
#[derive(Clone, Debug)]
pub(super) struct Chain {
    /// Index of the edge in the graph.
    pub edge: usize,
    pub left: u32,
    pub right: u32,
    /// Port offsets from the top of the left and right boxes.
    pub left_offset: f64,
    pub right_offset: f64,
    /// The referencing (FK) side is the left item.
    pub child_left: bool,
    pub dummies: Vec<u32>,
    pub straight: bool,
}

/// An edge to route: `child` references `parent` (local node indices, different nodes).
#[derive(Clone, Copy, Debug)]
pub(super) struct RouteEdge {
    pub edge: usize,
    pub child: u32,
    pub parent: u32,
    pub child_offset: f64,
    pub parent_offset: f64,
}

pub(super) struct Layered {
    pub real: usize,
    pub layer: Vec<u32>,
    /// Items per layer, in drawing order (top to bottom).
    pub order: Vec<Vec<u32>>,
    /// Segments leaving each layer to the next: (left item, right item, left offset, right offset).
    pub segments: Vec<Vec<(u32, u32, f64, f64)>>,
    pub chains: Vec<Chain>,
}

impl Layered {
    pub fn items(&self) -> usize {
        self.layer.len()
    }
}

pub(super) fn build(layers: &[u32], edges: &[RouteEdge], max_span: u32) -> Layered {
    let real = layers.len();
    let count = layers.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut layer = layers.to_vec();
    let mut segments = vec![Vec::new(); count];
    let mut chains = Vec::with_capacity(edges.len());
    for e in edges {
        let child_left = layers[e.child as usize] < layers[e.parent as usize];
        let (left, right, lo, ro) = if child_left {
            (e.child, e.parent, e.child_offset, e.parent_offset)
        } else {
            (e.parent, e.child, e.parent_offset, e.child_offset)
        };
        let (ll, rl) = (layers[left as usize], layers[right as usize]);
        debug_assert!(ll < rl, "an edge within one layer");
        let span = rl - ll;
        let straight = span > max_span.max(1);
        let mut dummies = Vec::new();
        if !straight {
            let mut prev = (left, lo);
            for l in ll + 1..rl {
                let d = layer.len() as u32;
                layer.push(l);
                dummies.push(d);
                segments[(l - 1) as usize].push((prev.0, d, prev.1, 0.0));
                prev = (d, 0.0);
            }
            segments[(rl - 1) as usize].push((prev.0, right, prev.1, ro));
        }
        chains.push(Chain { edge: e.edge, left, right, left_offset: lo, right_offset: ro, child_left, dummies, straight });
    }
    let order = initial_order(real, &layer, &segments, count);
    Layered { real, layer, order, segments, chains }
}

/// Breadth-first order over the items (boxes first, in key order), so connected items start
/// near each other.
fn initial_order(real: usize, layer: &[u32], segments: &[Vec<(u32, u32, f64, f64)>], count: usize) -> Vec<Vec<u32>> {
    let items = layer.len();
    let mut adj: Vec<Vec<u32>> = vec![Vec::new(); items];
    for s in segments.iter().flatten() {
        adj[s.0 as usize].push(s.1);
        adj[s.1 as usize].push(s.0);
    }
    let mut order = vec![Vec::new(); count];
    let mut seen = vec![false; items];
    let mut queue = std::collections::VecDeque::new();
    for start in 0..items {
        if seen[start] || (start >= real && adj[start].is_empty()) {
            continue;
        }
        seen[start] = true;
        queue.push_back(start as u32);
        while let Some(u) = queue.pop_front() {
            order[layer[u as usize] as usize].push(u);
            for &v in &adj[u as usize] {
                if !seen[v as usize] {
                    seen[v as usize] = true;
                    queue.push_back(v);
                }
            }
        }
    }
    order
}

/// Barycenter sweeps, at most `sweeps` down-and-up rounds, each followed by a transpose pass
/// (swapping neighbours in a layer while that removes crossings); keeps the order with fewest
/// crossings. A port counts at its row: an item's position plus the port's fraction of the box's
/// height (`height` of the boxes; dummies are one point). Returns the crossings of the kept order.
pub(super) fn reduce_crossings(l: &mut Layered, height: &[f64], sweeps: u32) -> u64 {
    let items = l.items();
    let frac = |v: u32, offset: f64| {
        if (v as usize) < l.real && height[v as usize] > 0.0 {
            (offset / height[v as usize]).clamp(0.0, 0.999)
        } else {
            0.5
        }
    };
    // Neighbours with (this end's port fraction, the other end's port fraction).
    let mut left_of: Vec<Vec<(u32, f64, f64)>> = vec![Vec::new(); items];
    let mut right_of: Vec<Vec<(u32, f64, f64)>> = vec![Vec::new(); items];
    for &(a, b, oa, ob) in l.segments.iter().flatten() {
        right_of[a as usize].push((b, frac(a, oa), frac(b, ob)));
        left_of[b as usize].push((a, frac(b, ob), frac(a, oa)));
    }
    let mut pos = vec![0u32; items];
    for layer in &l.order {
        for (i, &v) in layer.iter().enumerate() {
            pos[v as usize] = i as u32;
        }
    }
    let mut best = crossings(&l.order, &left_of, &pos);
    let mut best_order = l.order.clone();
    let mut keys: Vec<(f64, u32, u32)> = Vec::new();
    let mut stale = 0;
    for _ in 0..sweeps {
        if best == 0 {
            break;
        }
        for down in [true, false] {
            let layers: Vec<usize> = if down { (1..l.order.len()).collect() } else { (0..l.order.len().saturating_sub(1)).rev().collect() };
            let neighbours = if down { &left_of } else { &right_of };
            for li in layers {
                keys.clear();
                let other = l.order[if down { li - 1 } else { li + 1 }].len().max(1) as f64;
                let here = l.order[li].len() as f64;
                for (i, &v) in l.order[li].iter().enumerate() {
                    let ns = &neighbours[v as usize];
                    let bary = if ns.is_empty() {
                        i as f64
                    } else {
                        // Scaled to this layer's length so items without neighbours keep their place.
                        ns.iter().map(|&(u, _, fu)| pos[u as usize] as f64 + fu).sum::<f64>() / ns.len() as f64 * here / other
                    };
                    keys.push((bary, i as u32, v));
                }
                keys.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                for (i, k) in keys.iter().enumerate() {
                    l.order[li][i] = k.2;
                    pos[k.2 as usize] = i as u32;
                }
            }
        }
        transpose(&mut l.order, &left_of, &right_of, &mut pos);
        let c = crossings(&l.order, &left_of, &pos);
        if c < best {
            best = c;
            best_order.clone_from(&l.order);
            stale = 0;
        } else {
            stale += 1;
            if stale >= 3 {
                break;
            }
        }
    }
    l.order = best_order;
    best
}

/// Crossings between the edges of `u` and those of `v` when `u` is directly above `v` in one
/// layer, on both sides.
fn pair_crossings(u: u32, v: u32, left_of: &[Vec<(u32, f64, f64)>], right_of: &[Vec<(u32, f64, f64)>], pos: &[u32]) -> u64 {
    let mut c = 0;
    for side in [left_of, right_of] {
        for &(a, _, fa) in &side[u as usize] {
            let ka = pos[a as usize] as f64 + fa;
            for &(b, _, fb) in &side[v as usize] {
                if ka > pos[b as usize] as f64 + fb {
                    c += 1;
                }
            }
        }
    }
    c
}

/// Swaps neighbours inside each layer while that removes crossings (a few passes).
fn transpose(order: &mut [Vec<u32>], left_of: &[Vec<(u32, f64, f64)>], right_of: &[Vec<(u32, f64, f64)>], pos: &mut [u32]) {
    for _ in 0..4 {
        let mut improved = false;
        for layer in order.iter_mut() {
            for i in 0..layer.len().saturating_sub(1) {
                let (u, v) = (layer[i], layer[i + 1]);
                if left_of[u as usize].len() + right_of[u as usize].len() == 0
                    || left_of[v as usize].len() + right_of[v as usize].len() == 0
                {
                    continue;
                }
                if pair_crossings(v, u, left_of, right_of, pos) < pair_crossings(u, v, left_of, right_of, pos) {
                    layer.swap(i, i + 1);
                    pos[u as usize] = i as u32 + 1;
                    pos[v as usize] = i as u32;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

/// Crossings between every pair of adjacent layers for the positions `pos`, ports at their rows.
fn crossings(order: &[Vec<u32>], left_of: &[Vec<(u32, f64, f64)>], pos: &[u32]) -> u64 {
    let mut total = 0;
    let mut pairs: Vec<(f64, f64)> = Vec::new();
    for layer in order.iter().skip(1) {
        pairs.clear();
        for &v in layer {
            for &(u, fv, fu) in &left_of[v as usize] {
                pairs.push((pos[u as usize] as f64 + fu, pos[v as usize] as f64 + fv));
            }
        }
        total += inversions(&mut pairs);
    }
    total
}

/// Pairs (l1, r1), (l2, r2) with l1 < l2 and r1 > r2: proper crossings between segments given
/// by their ends' keys (shared ends do not cross). Sorts by left then right, then counts strict
/// inversions of the right keys by merge sort: O(E log E).
fn inversions(pairs: &mut [(f64, f64)]) -> u64 {
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut r: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let mut buf = r.clone();
    // Equal left keys sorted by right key contribute no inversion among themselves.
    merge_count(&mut r, &mut buf)
}

fn merge_count(a: &mut [f64], buf: &mut [f64]) -> u64 {
    let n = a.len();
    if n < 2 {
        return 0;
    }
    let mid = n / 2;
    let mut c = merge_count(&mut a[..mid], &mut buf[..mid]) + merge_count(&mut a[mid..], &mut buf[mid..]);
    let (mut i, mut j, mut k) = (0, mid, 0);
    while i < mid && j < n {
        if a[j] < a[i] {
            // a[j] is below every remaining left-half key.
            c += (mid - i) as u64;
            buf[k] = a[j];
            j += 1;
        } else {
            buf[k] = a[i];
            i += 1;
        }
        k += 1;
    }
    buf[k..k + mid - i].copy_from_slice(&a[i..mid]);
    k += mid - i;
    buf[k..k + n - j].copy_from_slice(&a[j..n]);
    a.copy_from_slice(&buf[..n]);
    c
}
