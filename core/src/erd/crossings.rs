//! Counting edge crossings in a finished layout: the number the layout's quality is judged by.
//!
//! Invariants:
//! - A crossing is a proper intersection of two segments of different polylines: segments that
//!   only touch (a shared port, an end on the other's line) or overlap collinearly do not count,
//!   so edges leaving one column row together are not crossings. Two polylines may cross more
//!   than once; each time counts.
//! - A sweep over x: only segments whose x ranges overlap are compared, so the cost follows the
//!   edges sharing a gap between columns, not the square of all segments.

use super::layout::Layout;

/// Crossings between the edges of a layout.
pub fn count_crossings(layout: &Layout) -> u64 {
    let paths: Vec<&Vec<[f64; 2]>> = layout.edges.iter().map(|e| &e.points).collect();
    count_paths(&paths)
}

/// One segment of a polyline with its bounding box.
struct Segment {
    min_x: f64,
    max_x: f64,
    min_y: f64,
    max_y: f64,
    a: [f64; 2],
    b: [f64; 2],
    path: u32,
}

/// Crossings between polylines.
pub(super) fn count_paths(paths: &[&Vec<[f64; 2]>]) -> u64 {
    let mut segs: Vec<Segment> = Vec::new();
    for (i, p) in paths.iter().enumerate() {
        for w in p.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a == b {
                continue;
            }
            segs.push(Segment {
                min_x: a[0].min(b[0]),
                max_x: a[0].max(b[0]),
                min_y: a[1].min(b[1]),
                max_y: a[1].max(b[1]),
                a,
                b,
                path: i as u32,
            });
        }
    }
    segs.sort_by(|s, t| s.min_x.total_cmp(&t.min_x));
    let mut active: Vec<usize> = Vec::new();
    let mut total = 0u64;
    for i in 0..segs.len() {
        let s = &segs[i];
        active.retain(|&j| segs[j].max_x > s.min_x);
        for &j in &active {
            let t = &segs[j];
            if t.path == s.path || t.min_y >= s.max_y || s.min_y >= t.max_y {
                continue;
            }
            if proper(s.a, s.b, t.a, t.b) {
                total += 1;
            }
        }
        active.push(i);
    }
    total
}

fn orient(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> f64 {
    (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
}

fn proper(a: [f64; 2], b: [f64; 2], c: [f64; 2], d: [f64; 2]) -> bool {
    let (o1, o2) = (orient(a, b, c), orient(a, b, d));
    let (o3, o4) = (orient(c, d, a), orient(c, d, b));
    // A tolerance against rounding: a point this close to a line is on it.
    let eps = 1e-7 * (1.0 + a[0].abs() + a[1].abs() + c[0].abs() + c[1].abs());
    ((o1 > eps && o2 < -eps) || (o1 < -eps && o2 > eps)) && ((o3 > eps && o4 < -eps) || (o3 < -eps && o4 > eps))
}
