//! Packing the laid-out components (and, when clustering by schema, the schema blocks) into one
//! drawing.
//!
//! Invariants:
//! - Rectangles never overlap: each is placed on a skyline (bottom-left rule: the lowest spot,
//!   then the leftmost) at least `gap` from the others.
//! - Largest first (by area, then height, then the caller's order), so the big component sits at
//!   the top left and the small ones fill the room beside and below it.
//! - The strip is about `aspect` times as wide as it is tall, and never narrower than the widest
//!   rectangle.

/// Top-left corners for rectangles of the given (width, height), and the (width, height) of the
/// whole.
pub(super) fn pack(sizes: &[(f64, f64)], gap: f64, aspect: f64) -> (Vec<(f64, f64)>, f64, f64) {
    if sizes.is_empty() {
        return (Vec::new(), 0.0, 0.0);
    }
    let area: f64 = sizes.iter().map(|(w, h)| (w + gap) * (h + gap)).sum();
    let widest = sizes.iter().map(|s| s.0 + gap).fold(0.0, f64::max);
    let strip = (area * aspect).sqrt().max(widest);
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by(|&a, &b| {
        let (sa, sb) = (sizes[a], sizes[b]);
        (sb.0 * sb.1).total_cmp(&(sa.0 * sa.1)).then(sb.1.total_cmp(&sa.1)).then(a.cmp(&b))
    });
    // Skyline: (x, top of what is placed there), from x to the next segment's x (the last to strip).
    let mut sky: Vec<(f64, f64)> = vec![(0.0, 0.0)];
    let mut at = vec![(0.0, 0.0); sizes.len()];
    let (mut width, mut height) = (0.0f64, 0.0f64);
    for i in order {
        let (w, h) = (sizes[i].0 + gap, sizes[i].1 + gap);
        let mut best: Option<(f64, f64, usize)> = None;
        for s in 0..sky.len() {
            let x = sky[s].0;
            if x + w > strip + 1e-6 && x > 0.0 {
                break;
            }
            // The highest top under [x, x + w).
            let mut y = 0.0f64;
            let mut k = s;
            while k < sky.len() && sky[k].0 < x + w - 1e-9 {
                y = y.max(sky[k].1);
                k += 1;
            }
            if best.is_none_or(|(by, bx, _)| y < by || (y == by && x < bx)) {
                best = Some((y, x, s));
            }
        }
        let (y, x, _) = best.expect("the first segment always fits");
        at[i] = (x, y);
        width = width.max(x + sizes[i].0);
        height = height.max(y + sizes[i].1);
        // Raise the skyline over [x, x + w) to y + h.
        let end = x + w;
        let level_after = sky.iter().take_while(|seg| seg.0 <= end + 1e-9).last().map_or(0.0, |seg| seg.1);
        let mut next: Vec<(f64, f64)> = sky.iter().copied().filter(|seg| seg.0 < x - 1e-9).collect();
        next.push((x, y + h));
        let rest: Vec<(f64, f64)> = sky.iter().copied().filter(|seg| seg.0 >= end - 1e-9).collect();
        if rest.first().is_none_or(|seg| seg.0 > end + 1e-9) {
            next.push((end, level_after));
        }
        next.extend(rest);
        next.dedup_by(|b, a| a.1 == b.1);
        sky = next;
    }
    (at, width, height)
}

#[cfg(test)]
mod tests {
    use super::pack;

    #[test]
    fn packed_rectangles_do_not_overlap() {
        let sizes: Vec<(f64, f64)> = (0..60).map(|i| (20.0 + (i * 37 % 90) as f64, 10.0 + (i * 53 % 70) as f64)).collect();
        let (at, w, h) = pack(&sizes, 5.0, 1.5);
        for i in 0..sizes.len() {
            assert!(at[i].0 + sizes[i].0 <= w + 1e-9 && at[i].1 + sizes[i].1 <= h + 1e-9);
            for j in 0..i {
                let sep_x = at[i].0 + sizes[i].0 + 5.0 <= at[j].0 + 1e-9 || at[j].0 + sizes[j].0 + 5.0 <= at[i].0 + 1e-9;
                let sep_y = at[i].1 + sizes[i].1 + 5.0 <= at[j].1 + 1e-9 || at[j].1 + sizes[j].1 + 5.0 <= at[i].1 + 1e-9;
                assert!(sep_x || sep_y, "{i} and {j} overlap: {:?} {:?} {:?} {:?}", at[i], sizes[i], at[j], sizes[j]);
            }
        }
    }
}
