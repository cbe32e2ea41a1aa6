//! A diagram as one standalone SVG file: what the app's ER page draws, with the same classes and
//! the same stylesheet ([`diagram.css`](self::DIAGRAM_CSS)), so an exported file looks like the
//! screen. The app's "Export SVG" button and `pglens erd` both call [`render`].
//!
//! Invariants:
//! - Pure and deterministic: the same graph, layout, options and overlay give the same bytes
//!   (numbers as `{:.1}`, no clock, no hashing).
//! - Standalone and inert: the stylesheet is embedded, and the file names no external resource
//!   (no fonts, scripts, links or images); the only URL in it is the SVG namespace.
//! - Always well-formed XML 1.0, whatever the dump holds: every dump-derived string (keys, names,
//!   types, constraint and schema names, the title) goes through [`escape`], which also replaces
//!   the characters XML 1.0 forbids, and the stylesheet sits in CDATA sections that its text
//!   cannot close.
//! - Parallel to its inputs like the overlay: `graph.nodes[i]` is drawn in `layout.nodes[i]` with
//!   `overlay.nodes[i]`'s marks, `graph.edges[k]` along `layout.edges[k]`.
//! - Nothing is clipped: the view box covers the layout's extent (self-loops and cluster labels
//!   included), the title band above it and the legend below it.

use super::graph::{EdgeKind, Graph, Node};
use super::layout::{Layout, LayoutOptions};
use super::overlay::{EdgeMarks, NodeMarks, Overlay, Rls};
use crate::checks::Priority;
use std::fmt::Write;

/// The diagram's stylesheet, shared with the app (trunk links the same file).
pub const DIAGRAM_CSS: &str = include_str!("diagram.css");

/// Rules only a standalone file needs: its background (a PNG made from the file is otherwise
/// transparent), its title line, and the legend's badges (`.erd-legend text` comes later in
/// diagram.css than `.erd-badge text`, with the same specificity, and would grey their labels).
/// Candidates for diagram.css once the app draws them too.
pub const EXPORT_CSS: &str = "\
.erd-bg { fill: #ffffff; }
.erd-title { font-size: 14px; font-weight: 600; fill: #1d2330; }
.erd-legend .erd-badge text { fill: #ffffff; }
";

/// What the file shows besides the diagram.
#[derive(Clone, Copy, Debug, Default)]
pub struct SvgOptions<'a> {
    /// The file's `<title>` and the line above the drawing.
    pub title: &'a str,
    /// The key of the table drawn as the focus (class `focus`).
    pub focus: Option<&'a str>,
    /// A legend below the drawing.
    pub legend: bool,
}

/// Margin around everything.
const M: f64 = 24.0;
/// Height of the title line above the drawing (14px text and its gap).
const TITLE_BAND: f64 = 28.0;
/// Room above the drawing for cluster labels, which sit above their blocks (22px text at y − 12).
const CLUSTER_LABEL: f64 = 36.0;
/// Advance of the title's and the legend's characters (14px and 11px monospace, rounded up), to
/// size the view box for them.
const TITLE_CW: f64 = 8.6;
const LEGEND_CW: f64 = 6.8;
/// Legend geometry: gap above it, row height.
const LEGEND_GAP: f64 = 24.0;
const LEGEND_ROW: f64 = 22.0;

/// The one escaper for markup (SVG here, HTML in [`crate::report::html`]).
pub use crate::report::escape_markup as escape;

/// Text as CDATA sections: a `]]>` inside is split across two sections, so nothing closes early.
fn cdata(text: &str) -> String {
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A box's tooltip: `key · RLS on · 3 policies · 2 findings, worst P1`, each part only where it
/// applies (no RLS for views, no findings part when there are none). Public so the app's tooltip
/// is the same text.
pub fn node_title(node: &Node, marks: Option<&NodeMarks>) -> String {
    let mut s = node.header_text();
    if let Some(m) = marks {
        if let Some(rls) = m.rls {
            let _ = write!(s, " · RLS {} · {}", rls.as_str(), plural(m.policies, "policy", "policies"));
        }
        if let (Some(worst), true) = (m.worst, m.findings > 0) {
            let _ = write!(s, " · {}, worst {}", plural(m.findings, "finding", "findings"), worst.as_str());
        }
    }
    s
}

/// An edge's tooltip: `name: from(cols) → to(cols)`, or `view reads table`, and why it is marked.
pub fn edge_title(graph: &Graph, k: usize, marks: Option<&EdgeMarks>) -> String {
    let e = &graph.edges[k];
    let (from, to) = (&graph.nodes[e.from as usize].key, &graph.nodes[e.to as usize].key);
    let mut s = match e.kind {
        EdgeKind::Reads => format!("{from} reads {to}"),
        EdgeKind::ForeignKey => {
            format!("{}: {from}({}) → {to}({})", e.name, e.from_columns.join(", "), e.to_columns.join(", "))
        }
    };
    if marks.is_some_and(|m| m.unindexed) {
        s.push_str("; no index leads with its columns");
    }
    s
}

fn rls_class(marks: Option<&NodeMarks>) -> &'static str {
    match marks.and_then(|m| m.rls) {
        Some(Rls::Off) => "rls-off",
        Some(Rls::On) => "rls-on",
        Some(Rls::Forced) => "rls-forced",
        None => "rls-none",
    }
}

fn priority_class(p: Priority) -> &'static str {
    match p {
        Priority::P0 => "p0",
        Priority::P1 => "p1",
        Priority::P2 => "p2",
    }
}

/// The extent of everything the layout places: (min x, min y, max x, max y), at least the
/// layout's own 0..width × 0..height.
fn extent(layout: &Layout) -> (f64, f64, f64, f64) {
    let (mut x0, mut y0, mut x1, mut y1) = (0.0f64, 0.0f64, layout.width, layout.height);
    let mut grow = |x: f64, y: f64| {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    };
    for b in &layout.nodes {
        grow(b.x, b.y);
        grow(b.x + b.width, b.y + b.height);
    }
    for c in &layout.clusters {
        grow(c.x, c.y);
        grow(c.x + c.width, c.y + c.height);
    }
    for e in &layout.edges {
        for p in &e.points {
            grow(p[0], p[1]);
        }
    }
    (x0, y0, x1, y1)
}

/// One legend item's sample, drawn with the drawing's own classes so the stylesheet colours it.
enum Sample {
    /// A header swatch of a box with this RLS class.
    Swatch(&'static str),
    /// A line with its end dot, with these edge classes.
    Line(&'static str),
    /// The three priority badges.
    Badges,
}

impl Sample {
    fn width(&self, o: &LayoutOptions) -> f64 {
        match self {
            Sample::Swatch(_) | Sample::Line(_) => 28.0,
            Sample::Badges => 2.0 * 3.4 * o.char_width + 2.8 * o.char_width,
        }
    }

    /// The sample at (x, y), the top left of its row.
    fn draw(&self, s: &mut String, x: f64, y: f64, o: &LayoutOptions) {
        match self {
            Sample::Swatch(class) => {
                let _ = write!(
                    s,
                    r#"<g class="erd-box {class}"><rect class="erd-head swatch" x="{x:.1}" y="{:.1}" width="28.0" height="14.0" rx="3"/></g>"#,
                    y + 2.0
                );
            }
            Sample::Line(class) => {
                let (m, end) = (y + 9.0, x + 28.0);
                let _ = write!(
                    s,
                    r#"<g class="erd-edge {class}"><polyline points="{x:.1},{m:.1} {end:.1},{m:.1}"/><circle cx="{end:.1}" cy="{m:.1}" r="3"/></g>"#
                );
            }
            Sample::Badges => {
                for (i, p) in [Priority::P0, Priority::P1, Priority::P2].into_iter().enumerate() {
                    let bx = x + i as f64 * (3.4 * o.char_width);
                    let _ = write!(
                        s,
                        r#"<g class="erd-badge {}"><rect x="{bx:.1}" y="{:.1}" width="{:.1}" height="14.0" rx="2"/><text x="{:.1}" y="{:.1}">{}</text></g>"#,
                        priority_class(p),
                        y + 2.0,
                        2.8 * o.char_width,
                        bx + 1.4 * o.char_width,
                        y + 13.0,
                        p.as_str()
                    );
                }
            }
        }
    }
}

/// The legend's rows: boxes' colours, then lines and badges. Items about the health marks only
/// when the marks are drawn, so the legend never explains what the file does not show.
fn legend_rows(overlay: bool) -> Vec<Vec<(Sample, &'static str)>> {
    let mut rows = Vec::new();
    if overlay {
        rows.push(vec![
            (Sample::Swatch("rls-off"), "RLS off"),
            (Sample::Swatch("rls-on"), "RLS on"),
            (Sample::Swatch("rls-forced"), "RLS forced"),
            (Sample::Swatch("rls-none"), "not a table"),
        ]);
        rows.push(vec![
            (Sample::Line("unindexed"), "unindexed foreign key"),
            (Sample::Line("straight"), "straight (long) edge"),
            (Sample::Badges, "worst finding"),
        ]);
    } else {
        rows.push(vec![(Sample::Line("straight"), "straight (long) edge")]);
    }
    rows
}

/// Gap between a sample and its label, and between items.
const LABEL_GAP: f64 = 8.0;
const ITEM_GAP: f64 = 24.0;

fn legend_width(rows: &[Vec<(Sample, &str)>], o: &LayoutOptions) -> f64 {
    rows.iter()
        .map(|r| {
            r.iter().map(|(sample, label)| sample.width(o) + LABEL_GAP + label.chars().count() as f64 * LEGEND_CW + ITEM_GAP).sum::<f64>()
                - ITEM_GAP
        })
        .fold(0.0, f64::max)
}

/// The diagram as a standalone SVG document.
pub fn render(graph: &Graph, layout: &Layout, options: &LayoutOptions, overlay: Option<&Overlay>, svg: &SvgOptions) -> String {
    let o = options;
    let (rh, pad, cw) = (o.row_height, o.box_padding, o.char_width);
    let (x0, y0, x1, y1) = extent(layout);
    let band = TITLE_BAND + if layout.clusters.is_empty() { 0.0 } else { CLUSTER_LABEL };
    let legend = if svg.legend { legend_rows(overlay.is_some()) } else { Vec::new() };
    let legend_h = if legend.is_empty() { 0.0 } else { LEGEND_GAP + legend.len() as f64 * LEGEND_ROW };
    let title_w = svg.title.chars().count() as f64 * TITLE_CW;
    let width = (x1 - x0).max(legend_width(&legend, o)).max(title_w) + 2.0 * M;
    let height = band + (y1 - y0) + legend_h + 2.0 * M;
    let (vx, vy) = (x0 - M, y0 - band - M);

    let mut s = String::with_capacity(4096 + graph.nodes.len() * 600 + graph.edges.len() * 300);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="erd" viewBox="{vx:.1} {vy:.1} {width:.1} {height:.1}" width="{width:.1}" height="{height:.1}">"#
    );
    let title = escape(svg.title);
    let _ = write!(s, "\n<title>{title}</title>\n<style>{}{}</style>", cdata(DIAGRAM_CSS), cdata(EXPORT_CSS));
    let _ = write!(s, "\n<rect class=\"erd-bg\" x=\"{vx:.1}\" y=\"{vy:.1}\" width=\"{width:.1}\" height=\"{height:.1}\"/>");
    let _ = write!(s, "\n<text class=\"erd-title\" x=\"{x0:.1}\" y=\"{:.1}\">{title}</text>", y0 - band + 14.0);

    if !layout.clusters.is_empty() {
        s.push_str("\n<g class=\"erd-clusters\">");
        for c in &layout.clusters {
            let _ = write!(
                s,
                "\n<g class=\"erd-cluster\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"6\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
                c.x,
                c.y,
                c.width,
                c.height,
                c.x + 8.0,
                c.y - 12.0,
                escape(&c.schema)
            );
        }
        s.push_str("\n</g>");
    }

    s.push_str("\n<g class=\"erd-edges\">");
    for (k, (e, p)) in graph.edges.iter().zip(&layout.edges).enumerate() {
        let marks = overlay.and_then(|ov| ov.edges.get(k));
        let unindexed = marks.is_some_and(|m| m.unindexed);
        let _ = write!(
            s,
            "\n<g class=\"erd-edge{}{}{}\" data-from=\"{}\" data-to=\"{}\" data-name=\"{}\"><title>{}</title><polyline points=\"",
            if p.straight { " straight" } else { "" },
            if e.self_reference { " self-ref" } else { "" },
            if unindexed { " unindexed" } else { "" },
            escape(&graph.nodes[e.from as usize].key),
            escape(&graph.nodes[e.to as usize].key),
            escape(&e.name),
            escape(&edge_title(graph, k, marks))
        );
        for (i, q) in p.points.iter().enumerate() {
            let _ = write!(s, "{}{:.1},{:.1}", if i > 0 { " " } else { "" }, q[0], q[1]);
        }
        s.push_str("\"/>");
        if let Some(end) = p.points.last() {
            let _ = write!(s, "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\"/>", end[0], end[1]);
        }
        s.push_str("</g>");
    }
    s.push_str("\n</g>");

    s.push_str("\n<g class=\"erd-boxes\">");
    for (i, (n, b)) in graph.nodes.iter().zip(&layout.nodes).enumerate() {
        let marks = overlay.and_then(|ov| ov.nodes.get(i));
        let focus = svg.focus == Some(n.key.as_str());
        let (w, h) = (b.width, b.height);
        let _ = write!(
            s,
            "\n<g class=\"erd-box {}{}\" data-key=\"{}\" transform=\"translate({:.1},{:.1})\"><title>{}</title>",
            rls_class(marks),
            if focus { " focus" } else { "" },
            escape(&n.key),
            b.x,
            b.y,
            escape(&node_title(n, marks))
        );
        let _ = write!(
            s,
            "<rect class=\"erd-body\" width=\"{w:.1}\" height=\"{h:.1}\" rx=\"3\"/><rect class=\"erd-head\" width=\"{w:.1}\" height=\"{rh:.1}\" rx=\"3\"/>"
        );
        let _ = write!(s, "<text class=\"erd-header\" x=\"{pad:.1}\" y=\"{:.1}\">{}</text>", rh * 0.7, escape(&n.header_text()));
        if let Some(m) = marks {
            if matches!(m.rls, Some(Rls::On | Rls::Forced)) || m.policies > 0 {
                let _ = write!(s, "<text class=\"erd-policies\" x=\"{:.1}\" y=\"{:.1}\">{} pol</text>", w - pad, rh * 0.7, m.policies);
            }
            if let Some(p) = m.worst {
                let bx = w - pad - 9.0 * cw;
                let _ = write!(
                    s,
                    "<g class=\"erd-badge {}\"><rect x=\"{bx:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"2\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
                    priority_class(p),
                    rh * 0.15,
                    2.8 * cw,
                    rh * 0.7,
                    bx + 1.4 * cw,
                    rh * 0.7,
                    p.as_str()
                );
            }
        }
        for (r, row) in n.rows(o.detail).enumerate() {
            let class = if row.primary_key {
                " pk"
            } else if row.foreign_key {
                " fk"
            } else {
                ""
            };
            let _ = write!(
                s,
                "<text class=\"erd-row{class}\" x=\"{pad:.1}\" y=\"{:.1}\">{}</text>",
                rh * (1.0 + r as f64) + rh * 0.7,
                escape(&row.text())
            );
        }
        s.push_str("</g>");
    }
    s.push_str("\n</g>");

    if !legend.is_empty() {
        s.push_str("\n<g class=\"erd-legend\">");
        let mut y = y1 + LEGEND_GAP;
        for row in &legend {
            let mut x = x0;
            for (sample, label) in row {
                sample.draw(&mut s, x, y, o);
                x += sample.width(o) + LABEL_GAP;
                let _ = write!(s, "<text x=\"{x:.1}\" y=\"{:.1}\">{label}</text>", y + 13.0);
                x += label.chars().count() as f64 * LEGEND_CW + ITEM_GAP;
            }
            y += LEGEND_ROW;
        }
        s.push_str("\n</g>");
    }
    s.push_str("\n</svg>\n");
    s
}
