//! The ER diagram canvas's arithmetic, pure so it is unit tested natively: the SVG view box
//! (fit, pan, zoom), the window boxes are culled against, and when texts are worth drawing.

/// Margin around the drawing in the initial view, in drawing units.
pub const MARGIN: f64 = 24.0;

/// Above this many drawing units per screen pixel, 11.6-unit box text is under 6 px tall and is
/// not drawn (boxes keep their colours, so the overview still shows RLS and findings at a glance).
pub const TEXT_MAX_UNITS_PER_PX: f64 = 2.0;

/// An axis-aligned rectangle in drawing units: the SVG viewBox, a cull window, a bounding box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewBox {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl ViewBox {
    /// The box that shows a `width` × `height` drawing whole and centred in an element of
    /// `el_w` × `el_h` pixels, with the element's aspect (so pixels map to units the same way on
    /// both axes and pan / zoom arithmetic stays simple). Never larger than 1 unit per pixel
    /// would need (small diagrams are not blown up).
    pub fn fit(width: f64, height: f64, el_w: f64, el_h: f64) -> ViewBox {
        let (w, h) = (width + 2.0 * MARGIN, height + 2.0 * MARGIN);
        let (el_w, el_h) = (el_w.max(1.0), el_h.max(1.0));
        let s = (w / el_w).max(h / el_h).max(1.0);
        let (vw, vh) = (el_w * s, el_h * s);
        ViewBox { x: -MARGIN - (vw - w) / 2.0, y: -MARGIN - (vh - h) / 2.0, w: vw, h: vh }
    }

    /// The same view with its centre on (cx, cy).
    pub fn centred_on(&self, cx: f64, cy: f64) -> ViewBox {
        ViewBox { x: cx - self.w / 2.0, y: cy - self.h / 2.0, ..*self }
    }

    pub fn attr(&self) -> String {
        format!("{:.1} {:.1} {:.1} {:.1}", self.x, self.y, self.w, self.h)
    }

    /// Zoomed by `k` (> 1 out, < 1 in) around the point at fractions (fx, fy) of the box, which
    /// stays under the pointer. `None` past the limits (`min_w`..=`max_w` units wide).
    pub fn zoomed(&self, fx: f64, fy: f64, k: f64, min_w: f64, max_w: f64) -> Option<ViewBox> {
        let (px, py) = (self.x + fx * self.w, self.y + fy * self.h);
        let (w, h) = (self.w * k, self.h * k);
        (min_w..=max_w).contains(&w).then_some(ViewBox { x: px - fx * w, y: py - fy * h, w, h })
    }

    /// Whether `other` lies wholly inside this box.
    pub fn contains(&self, other: &ViewBox) -> bool {
        other.x >= self.x && other.y >= self.y && other.x + other.w <= self.x + self.w && other.y + other.h <= self.y + self.h
    }

    /// Grown by `k` times its size on every side (k = 1: three times as wide and as high).
    pub fn grown(&self, k: f64) -> ViewBox {
        ViewBox { x: self.x - k * self.w, y: self.y - k * self.h, w: self.w * (1.0 + 2.0 * k), h: self.h * (1.0 + 2.0 * k) }
    }

    pub fn intersects(&self, other: &ViewBox) -> bool {
        other.x <= self.x + self.w && other.x + other.w >= self.x && other.y <= self.y + self.h && other.y + other.h >= self.y
    }

    /// The bounding box of some points (an edge's polyline); an empty box at 0, 0 for none.
    pub fn around(points: &[[f64; 2]]) -> ViewBox {
        let Some(first) = points.first() else {
            return ViewBox { x: 0.0, y: 0.0, w: 0.0, h: 0.0 };
        };
        let (mut x0, mut y0, mut x1, mut y1) = (first[0], first[1], first[0], first[1]);
        for [x, y] in points {
            (x0, y0, x1, y1) = (x0.min(*x), y0.min(*y), x1.max(*x), y1.max(*y));
        }
        ViewBox { x: x0, y: y0, w: x1 - x0, h: y1 - y0 }
    }
}

/// The window boxes are culled against for the view `vb`: kept while `vb` stays inside it, so
/// panning within a screen's width of where the window was made re-renders nothing; otherwise a
/// new window grown by one view size on every side.
pub fn cull_window(current: Option<ViewBox>, vb: ViewBox) -> ViewBox {
    match current {
        Some(c) if c.contains(&vb) && c.w <= vb.w * 4.0 => c,
        _ => vb.grown(1.0),
    }
}
