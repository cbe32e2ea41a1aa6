//! Edge polylines, from the referencing box's port to the referenced box's port.
//!
//! Invariants:
//! - A polyline starts on a vertical side of its `from` box and ends on a vertical side of its
//!   `to` box, at the port's height (the column's row, or the box's middle at `Detail::Name`).
//! - Between two columns a polyline runs in the gap; inside a column it runs horizontally at a
//!   port's or a dummy's height, which no box of that column covers: an edge routed through
//!   dummies never crosses a box. Only [`Chain::straight`] edges (longer than the span cap) cut
//!   across the columns between their ends.
//! - A self-reference is a loop off the box's right side, inside the gap after its column.

use super::ordering::Chain;

/// Box geometry of one component in local coordinates.
pub(super) struct Boxes<'a> {
    pub x: &'a [f64],
    pub y: &'a [f64],
    pub width: &'a [f64],
    pub layer: &'a [u32],
    pub column_x: &'a [f64],
    pub column_width: &'a [f64],
    /// Top of every item, dummies included.
    pub item_y: &'a [f64],
}

pub(super) fn chain(c: &Chain, b: &Boxes) -> Vec<[f64; 2]> {
    let (l, r) = (c.left as usize, c.right as usize);
    let ll = b.layer[l] as usize;
    let rl = b.layer[r] as usize;
    let yl = b.y[l] + c.left_offset;
    let yr = b.y[r] + c.right_offset;
    let mut p = Vec::with_capacity(4 + 2 * c.dummies.len());
    let start = b.x[l] + b.width[l];
    p.push([start, yl]);
    let right_edge = b.column_x[ll] + b.column_width[ll];
    if right_edge > start {
        p.push([right_edge, yl]);
    }
    for (i, &d) in c.dummies.iter().enumerate() {
        let k = ll + 1 + i;
        let yd = b.item_y[d as usize];
        p.push([b.column_x[k], yd]);
        if b.column_width[k] > 0.0 {
            p.push([b.column_x[k] + b.column_width[k], yd]);
        }
    }
    let left_edge = b.column_x[rl];
    if b.x[r] > left_edge {
        p.push([left_edge, yr]);
    }
    p.push([b.x[r], yr]);
    if !c.child_left {
        p.reverse();
    }
    p
}

/// A loop off the right side of box `v`, from the `from` port to the `to` port; `nth` spreads
/// several self-references of one table apart.
pub(super) fn self_loop(b: &Boxes, v: usize, from_offset: f64, to_offset: f64, nth: u32, reach: f64) -> Vec<[f64; 2]> {
    let side = b.x[v] + b.width[v];
    let (mut y1, mut y2) = (b.y[v] + from_offset, b.y[v] + to_offset);
    if (y1 - y2).abs() < 1.0 {
        y1 -= 4.0;
        y2 += 4.0;
    }
    let out = side + reach * (1.0 + nth as f64 * 0.35).min(2.5);
    vec![[side, y1], [out, y1], [out, y2], [side, y2]]
}
