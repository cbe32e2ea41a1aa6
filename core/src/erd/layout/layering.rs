//! Cycle breaking and layer assignment for one connected component.
//!
//! Invariants:
//! - Every edge joins two different layers once [`assign`] returns (cycles are broken by
//!   reversing a greedy feedback arc set, Eades–Lin–Smyth), and layers are numbered 0.. with no
//!   empty layer.
//! - A layer's filled height (the sum of its boxes' `size`) never exceeds `cap` unless one box
//!   alone does: hubs with hundreds of neighbours spill into the next layers instead of making one
//!   column thousands of boxes tall.
//! - Deterministic: ties go to the smaller node index (node indices follow key order).
//!
//! Layers start from the longest path (referenced tables left of the tables that reference them),
//! are capped by list scheduling, then each node moves, within the layers its edges allow, to the
//! median of its neighbours' layers (which minimises the total span of its edges, the number of
//! dummy nodes the drawing needs): a cheap stand-in for network simplex, good enough for schemas.

/// Layers for `n` nodes joined by `edges` (`(u, v)`: u wants to be left of v; no self-loops).
/// `size[v]` is the room node v takes in its layer; `cap` the room a layer has.
pub(super) fn assign(n: usize, edges: &[(u32, u32)], size: &[f64], cap: f64) -> Vec<u32> {
    if n == 0 {
        return Vec::new();
    }
    let mut pairs: Vec<(u32, u32)> = edges.iter().copied().filter(|(u, v)| u != v).collect();
    pairs.sort_unstable();
    pairs.dedup();
    let sequence = feedback_order(n, &pairs);
    let mut pos = vec![0usize; n];
    for (i, &v) in sequence.iter().enumerate() {
        pos[v as usize] = i;
    }
    // The DAG: every pair points forward in the sequence.
    let mut preds: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut succs: Vec<Vec<u32>> = vec![Vec::new(); n];
    for &(u, v) in &pairs {
        let (a, b) = if pos[u as usize] < pos[v as usize] { (u, v) } else { (v, u) };
        preds[b as usize].push(a);
        succs[a as usize].push(b);
    }
    for l in preds.iter_mut().chain(succs.iter_mut()) {
        l.sort_unstable();
        l.dedup();
    }
    // Longest path from the sources, in sequence (topological) order.
    let mut layer = vec![0u32; n];
    for &v in &sequence {
        layer[v as usize] = preds[v as usize].iter().map(|&u| layer[u as usize] + 1).max().unwrap_or(0);
    }
    let total: f64 = size.iter().sum();
    let capped = total > cap;
    if capped {
        // List scheduling: in (layer, sequence) order each node takes the first layer after its
        // predecessors that has room.
        let mut by_layer: Vec<u32> = sequence.clone();
        by_layer.sort_by_key(|&v| (layer[v as usize], pos[v as usize]));
        let mut fill: Vec<f64> = Vec::new();
        for v in by_layer {
            let vi = v as usize;
            let mut l = preds[vi].iter().map(|&u| layer[u as usize] + 1).max().unwrap_or(0) as usize;
            loop {
                if fill.len() <= l {
                    fill.resize(l + 1, 0.0);
                }
                if fill[l] == 0.0 || fill[l] + size[vi] <= cap {
                    break;
                }
                l += 1;
            }
            fill[l] += size[vi];
            layer[vi] = l as u32;
        }
    }
    balance(&sequence, &preds, &succs, size, if capped { cap } else { f64::INFINITY }, &mut layer);
    compact(&mut layer);
    layer
}

/// Greedy feedback arc set order (Eades, Lin, Smyth 1993): sinks to the back, sources to the
/// front, otherwise the node with the largest out-minus-in degree. Edges that point backwards in
/// the returned sequence are the ones reversed.
fn feedback_order(n: usize, pairs: &[(u32, u32)]) -> Vec<u32> {
    let mut outs: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut ins: Vec<Vec<u32>> = vec![Vec::new(); n];
    for &(u, v) in pairs {
        outs[u as usize].push(v);
        ins[v as usize].push(u);
    }
    let mut outdeg: Vec<usize> = outs.iter().map(Vec::len).collect();
    let mut indeg: Vec<usize> = ins.iter().map(Vec::len).collect();
    let mut alive = vec![true; n];
    let mut left = n;
    let (mut front, mut back) = (Vec::with_capacity(n), Vec::new());
    // Candidates are re-checked when popped (degrees change after they were pushed).
    let mut sinks: Vec<u32> = (0..n as u32).rev().filter(|&v| outdeg[v as usize] == 0).collect();
    let mut sources: Vec<u32> = (0..n as u32).rev().filter(|&v| indeg[v as usize] == 0).collect();
    let remove =
        |v: usize, alive: &mut Vec<bool>, outdeg: &mut Vec<usize>, indeg: &mut Vec<usize>, sinks: &mut Vec<u32>, sources: &mut Vec<u32>| {
            alive[v] = false;
            for &w in &outs[v] {
                let w = w as usize;
                if alive[w] {
                    indeg[w] -= 1;
                    if indeg[w] == 0 {
                        sources.push(w as u32);
                    }
                }
            }
            for &u in &ins[v] {
                let u = u as usize;
                if alive[u] {
                    outdeg[u] -= 1;
                    if outdeg[u] == 0 {
                        sinks.push(u as u32);
                    }
                }
            }
        };
    while left > 0 {
        if let Some(v) = sinks.pop() {
            let v = v as usize;
            if alive[v] && outdeg[v] == 0 {
                remove(v, &mut alive, &mut outdeg, &mut indeg, &mut sinks, &mut sources);
                back.push(v as u32);
                left -= 1;
            }
            continue;
        }
        if let Some(v) = sources.pop() {
            let v = v as usize;
            if alive[v] && indeg[v] == 0 {
                remove(v, &mut alive, &mut outdeg, &mut indeg, &mut sinks, &mut sources);
                front.push(v as u32);
                left -= 1;
            }
            continue;
        }
        let v =
            (0..n).filter(|&v| alive[v]).max_by_key(|&v| (outdeg[v] as i64 - indeg[v] as i64, std::cmp::Reverse(v))).expect("a live node");
        remove(v, &mut alive, &mut outdeg, &mut indeg, &mut sinks, &mut sources);
        front.push(v as u32);
        left -= 1;
    }
    back.reverse();
    front.extend(back);
    front
}

/// Moves each node to the median of its neighbours' wishes within the layers its edges allow
/// (and that have room), a few sweeps alternating direction.
fn balance(sequence: &[u32], preds: &[Vec<u32>], succs: &[Vec<u32>], size: &[f64], cap: f64, layer: &mut [u32]) {
    let top = layer.iter().copied().max().unwrap_or(0) as usize;
    let mut fill = vec![0.0f64; top + 1];
    for (v, &l) in layer.iter().enumerate() {
        fill[l as usize] += size[v];
    }
    let mut wishes: Vec<u32> = Vec::new();
    for sweep in 0..4 {
        let mut moved = false;
        let order: Box<dyn Iterator<Item = &u32>> =
            if sweep % 2 == 0 { Box::new(sequence.iter().rev()) } else { Box::new(sequence.iter()) };
        for &v in order {
            let vi = v as usize;
            let lo = preds[vi].iter().map(|&u| layer[u as usize] + 1).max().unwrap_or(0);
            let hi = succs[vi].iter().map(|&w| layer[w as usize] - 1).min().unwrap_or(u32::MAX);
            wishes.clear();
            wishes.extend(preds[vi].iter().map(|&u| layer[u as usize] + 1));
            wishes.extend(succs[vi].iter().map(|&w| layer[w as usize] - 1));
            if wishes.is_empty() {
                continue;
            }
            wishes.sort_unstable();
            let want = wishes[(wishes.len() - 1) / 2].clamp(lo, hi.max(lo));
            let cur = layer[vi];
            if want == cur {
                continue;
            }
            // Step towards the wish, stopping at the last layer with room.
            let mut best = cur;
            let mut l = cur;
            while l != want {
                l = if want > cur { l + 1 } else { l - 1 };
                if l as usize >= fill.len() {
                    fill.resize(l as usize + 1, 0.0);
                }
                if fill[l as usize] + size[vi] <= cap {
                    best = l;
                }
            }
            if best != cur {
                fill[cur as usize] -= size[vi];
                fill[best as usize] += size[vi];
                layer[vi] = best;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
}

/// Renumbers layers 0.. without gaps, keeping their order.
fn compact(layer: &mut [u32]) {
    let mut used: Vec<u32> = layer.to_vec();
    used.sort_unstable();
    used.dedup();
    for l in layer.iter_mut() {
        *l = used.binary_search(l).expect("a used layer") as u32;
    }
}
