//! Graph, selections and layout: a hand-written schema for exact answers, every fixture dump and
//! GitLab's structure.sql for the layout's invariants (no overlapping boxes, edges end on their
//! boxes, routed edges cross no box, same input same layout).
//!
//! `cargo test -p pglens-core --lib erd -- --nocapture` prints the crossing counts per fixture.
//! With `PGLENS_ERD_SVG=dir` set, the fixture and GitLab layouts are also written there as SVG
//! (drawn by [`svg::render`], without the health marks).
//!
//! The standalone SVG ([`svg`]): well-formed with only the expected elements and attributes, one
//! box per node at its layout position and one line per edge, hostile names escaped, no external
//! resource, same bytes twice; on every fixture and GitLab's overview.

use super::*;
use crate::{load_files, InputFile, Snapshot};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn snapshot(sql: &str) -> Snapshot {
    load_files(&[InputFile { name: "t.sql".into(), bytes: sql.as_bytes().to_vec() }]).snapshot
}

const SHOP: &str = r#"
CREATE SCHEMA sales;
CREATE TABLE public.users (id bigint PRIMARY KEY, email text NOT NULL, manager_id bigint REFERENCES public.users(id));
CREATE TABLE public.orgs (id bigint PRIMARY KEY, name text, code text UNIQUE);
CREATE TABLE public.members (org_id bigint REFERENCES public.orgs(id), user_id bigint REFERENCES public.users(id), note text, PRIMARY KEY (org_id, user_id));
CREATE TABLE sales.orders (id bigint PRIMARY KEY, buyer_id bigint REFERENCES public.users(id), seller_id bigint REFERENCES public.users(id), org_code text REFERENCES public.orgs(code), total numeric(12,2));
CREATE TABLE sales.events (id bigint, order_id bigint, at timestamptz NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE sales.events_2024 PARTITION OF sales.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (id);
CREATE TABLE sales.events_2024_a PARTITION OF sales.events_2024 FOR VALUES IN (1);
CREATE TABLE sales.events_2025 PARTITION OF sales.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
ALTER TABLE sales.events ADD CONSTRAINT events_order_fk FOREIGN KEY (order_id) REFERENCES sales.orders(id);
ALTER TABLE sales.events_2025 ADD CONSTRAINT events_2025_user_fk FOREIGN KEY (id) REFERENCES public.users(id);
CREATE TABLE public.lonely (id int);
CREATE TABLE public.audit (id int PRIMARY KEY, order_id bigint REFERENCES sales.orders(id));
CREATE VIEW public.big_orders AS SELECT id, total FROM sales.orders WHERE total > 100;
"#;

fn shop() -> Graph {
    Graph::of(&snapshot(SHOP), GraphOptions::default())
}

fn keys(g: &Graph) -> Vec<&str> {
    g.nodes.iter().map(|n| n.key.as_str()).collect()
}

fn edge<'g>(g: &'g Graph, name: &str) -> &'g Edge {
    g.edges.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("no edge {name}"))
}

#[test]
fn graph_folds_partitions_and_keeps_multi_and_self_edges() {
    let g = shop();
    assert_eq!(
        keys(&g),
        ["public.lonely", "public.members", "public.orgs", "public.users", "sales.events", "sales.orders", "public.audit"]
            .iter()
            .copied()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    let events = g.node("sales.events").expect("events");
    assert_eq!(events.partitions, 3, "two partitions and a sub-partition folded");
    assert_eq!(events.kind, NodeKind::Partitioned);
    // The parent's key once (not once more per partition), the partition's own key from the root.
    let to_orders: Vec<&Edge> =
        g.edges.iter().filter(|e| g.nodes[e.from as usize].key == "sales.events" && g.nodes[e.to as usize].key == "sales.orders").collect();
    assert_eq!(to_orders.len(), 1);
    let own = edge(&g, "events_2025_user_fk");
    assert!(own.from_partition);
    assert_eq!(g.nodes[own.from as usize].key, "sales.events");
    assert_eq!(g.nodes[own.to as usize].key, "public.users");
    // Two keys from orders to users, marked as parallel; the self-reference kept.
    let (b, s) = (edge(&g, "orders_buyer_id_fkey"), edge(&g, "orders_seller_id_fkey"));
    assert_eq!((b.parallel.1, s.parallel.1), (2, 2));
    assert_ne!(b.parallel.0, s.parallel.0);
    let me = edge(&g, "users_manager_id_fkey");
    assert!(me.self_reference && me.from == me.to);
    assert_eq!(me.parallel, (0, 1));
    // Rows at each detail: keys show PK, FK and referenced columns (orgs.code is referenced).
    let orgs = g.node("public.orgs").expect("orgs");
    let shown = |d| orgs.rows(d).map(|r| r.name.as_str()).collect::<Vec<_>>();
    assert_eq!(shown(Detail::Name), Vec::<&str>::new());
    assert_eq!(shown(Detail::Keys), ["id", "code"]);
    assert_eq!(shown(Detail::All), ["id", "name", "code"]);
    let orders = g.node("sales.orders").expect("orders");
    let total = orders.columns.iter().find(|r| r.name == "total").expect("total");
    assert_eq!(total.data_type, "numeric(12,2)");
    assert_eq!(orders.rows(Detail::Keys).map(|r| r.text()).next().as_deref(), Some("PK id  bigint"));
    assert!(g.node("public.big_orders").is_none(), "views only when asked");
    let with_views = Graph::of(&snapshot(SHOP), GraphOptions { views: true });
    let v = with_views.index("public.big_orders").expect("the view");
    assert!(with_views
        .edges
        .iter()
        .any(|e| e.kind == EdgeKind::Reads && e.from as usize == v && with_views.nodes[e.to as usize].key == "sales.orders"));
}

#[test]
fn neighbourhood_follows_keys_both_ways() {
    let g = shop();
    let n0 = neighbourhood(&g, "sales.orders", 0).expect("orders");
    assert_eq!(keys(&n0), ["sales.orders"]);
    let n1 = neighbourhood(&g, "sales.orders", 1).expect("orders");
    assert_eq!(keys(&n1), ["public.audit", "public.orgs", "public.users", "sales.events", "sales.orders"]);
    // The edges among them, renumbered; the self-reference of users comes along.
    assert!(n1.edges.iter().all(|e| (e.from as usize) < n1.nodes.len() && (e.to as usize) < n1.nodes.len()));
    assert!(n1.edges.iter().any(|e| e.name == "users_manager_id_fkey"));
    assert!(!n1.edges.iter().any(|e| e.name == "members_user_id_fkey"), "members is two hops away");
    let n2 = neighbourhood(&g, "sales.orders", 2).expect("orders");
    assert_eq!(keys(&n2), ["public.audit", "public.members", "public.orgs", "public.users", "sales.events", "sales.orders"]);
    assert!(neighbourhood(&g, "public.nope", 1).is_none());
    let d = hop_distances(&g, "public.members");
    assert_eq!(d[g.index("public.audit").expect("audit")], Some(3));
    assert_eq!(d[g.index("public.lonely").expect("lonely")], None);
}

#[test]
fn schema_and_path_selections() {
    let g = shop();
    assert_eq!(keys(&schema(&g, "sales")), ["sales.events", "sales.orders"]);
    assert_eq!(overview(&g).nodes.len(), g.nodes.len());
    assert_eq!(
        path(&g, "public.audit", "public.members").expect("a path"),
        ["public.audit", "sales.orders", "public.orgs", "public.members"]
    );
    assert_eq!(
        path(&g, "public.members", "public.audit").expect("a path"),
        ["public.members", "public.orgs", "sales.orders", "public.audit"]
    );
    assert_eq!(path(&g, "public.users", "public.users").expect("a path"), ["public.users"]);
    assert_eq!(path(&g, "public.users", "public.lonely"), None);
    let p = path(&g, "public.audit", "sales.events").expect("a path");
    assert_eq!(p, ["public.audit", "sales.orders", "sales.events"]);
    let sub = tables(&g, &p);
    assert_eq!(sub.nodes.len(), 3);
    assert_eq!(sub.edges.len(), 2);
}

// --- layout invariants ------------------------------------------------------------------------

const EPS: f64 = 1e-6;

fn check_boxes_do_not_overlap(l: &Layout, what: &str) {
    // Sweep by x: only boxes whose x ranges overlap are compared.
    let mut order: Vec<usize> = (0..l.nodes.len()).collect();
    order.sort_by(|&a, &b| l.nodes[a].x.total_cmp(&l.nodes[b].x));
    let mut active: Vec<usize> = Vec::new();
    for &i in &order {
        let a = &l.nodes[i];
        assert!(a.width > 0.0 && a.height > 0.0 && a.x.is_finite() && a.y.is_finite(), "{what}: box {} is {a:?}", a.key);
        assert!(
            a.x >= -EPS && a.y >= -EPS && a.x + a.width <= l.width + EPS && a.y + a.height <= l.height + EPS,
            "{what}: {} outside the drawing",
            a.key
        );
        active.retain(|&j| l.nodes[j].x + l.nodes[j].width > a.x + EPS);
        for &j in &active {
            let b = &l.nodes[j];
            let apart = a.y + a.height <= b.y + EPS || b.y + b.height <= a.y + EPS;
            assert!(
                apart,
                "{what}: boxes {} {:?} and {} {:?} overlap",
                a.key,
                (a.x, a.y, a.width, a.height),
                b.key,
                (b.x, b.y, b.width, b.height)
            );
        }
        active.push(i);
    }
}

fn on_side(p: [f64; 2], b: &NodeBox) -> bool {
    ((p[0] - b.x).abs() < EPS || (p[0] - b.x - b.width).abs() < EPS) && p[1] >= b.y - EPS && p[1] <= b.y + b.height + EPS
}

fn check_edges_end_on_boxes(g: &Graph, l: &Layout, what: &str) {
    assert_eq!(l.edges.len(), g.edges.len());
    for (e, p) in g.edges.iter().zip(&l.edges) {
        let (from, to) = (&l.nodes[e.from as usize], &l.nodes[e.to as usize]);
        assert_eq!((&p.from, &p.to), (&from.key, &to.key));
        assert!(p.points.len() >= 2, "{what}: edge {} has {} points", e.name, p.points.len());
        assert!(on_side(p.points[0], from), "{what}: edge {} starts at {:?}, off {from:?}", e.name, p.points[0]);
        assert!(on_side(*p.points.last().expect("points"), to), "{what}: edge {} ends at {:?}, off {to:?}", e.name, p.points.last());
    }
}

/// Whether segment a–b enters the open interior of the box.
fn enters(a: [f64; 2], b: [f64; 2], r: &NodeBox) -> bool {
    let (x0, x1, y0, y1) = (r.x + 0.01, r.x + r.width - 0.01, r.y + 0.01, r.y + r.height - 0.01);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    for (p, q) in [(-dx, a[0] - x0), (dx, x1 - a[0]), (-dy, a[1] - y0), (dy, y1 - a[1])] {
        if p == 0.0 {
            if q < 0.0 {
                return false;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t0 < t1
}

fn check_routed_edges_cross_no_box(l: &Layout, what: &str) {
    let mut order: Vec<usize> = (0..l.nodes.len()).collect();
    order.sort_by(|&a, &b| l.nodes[a].x.total_cmp(&l.nodes[b].x));
    let xs: Vec<f64> = order.iter().map(|&i| l.nodes[i].x).collect();
    let widest = l.nodes.iter().map(|n| n.width).fold(0.0, f64::max);
    for e in l.edges.iter().filter(|e| !e.straight) {
        for w in e.points.windows(2) {
            let (lo, hi) = (w[0][0].min(w[1][0]), w[0][0].max(w[1][0]));
            let start = xs.partition_point(|&x| x < lo - widest);
            for &i in &order[start..] {
                let b = &l.nodes[i];
                if b.x > hi {
                    break;
                }
                assert!(!enters(w[0], w[1], b), "{what}: edge {}→{} crosses box {} ({:?} to {:?})", e.from, e.to, b.key, w[0], w[1]);
            }
        }
    }
}

fn check(g: &Graph, options: &LayoutOptions, what: &str) -> Layout {
    let l = layout(g, options);
    check_boxes_do_not_overlap(&l, what);
    check_edges_end_on_boxes(g, &l, what);
    check_routed_edges_cross_no_box(&l, what);
    assert_eq!(l.crossings, count_crossings(&l), "{what}: the layout's own count");
    assert_eq!(layout(g, options), l, "{what}: not deterministic");
    if let Some(dir) = std::env::var_os("PGLENS_ERD_SVG") {
        let name: String = what.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
        let svg = render(g, &l, options, None, &SvgOptions { title: what, focus: None, legend: false });
        std::fs::write(Path::new(&dir).join(format!("{name}.svg")), svg).expect("write svg");
    }
    l
}

#[test]
fn small_schema_layout_keeps_its_invariants() {
    let g = shop();
    for detail in [Detail::Name, Detail::Keys, Detail::All] {
        let l = check(&g, &LayoutOptions::for_detail(detail), &format!("shop {detail:?}"));
        // Boxes fit their texts.
        for (n, b) in g.nodes.iter().zip(&l.nodes) {
            assert_eq!(b.height, (1 + n.row_count(detail)) as f64 * 20.0);
            assert!(b.width >= n.header_text().chars().count() as f64 * 7.0);
        }
    }
    let mut by_schema = LayoutOptions::for_detail(Detail::Keys);
    by_schema.clustering = Clustering::Schema;
    let l = check(&g, &by_schema, "shop by schema");
    assert_eq!(l.clusters.iter().map(|c| c.schema.as_str()).collect::<Vec<_>>(), ["public"]);
    // The FK row of orders.buyer_id lines the edge up with that row.
    let l = layout(&g, &LayoutOptions::for_detail(Detail::Keys));
    let k = g.edges.iter().position(|e| e.name == "orders_buyer_id_fkey").expect("edge");
    let orders = &l.nodes[g.index("sales.orders").expect("orders")];
    let row = g.node("sales.orders").expect("orders").row_of("buyer_id", Detail::Keys).expect("row");
    assert_eq!(l.edges[k].points[0][1], orders.y + 20.0 * (1.5 + row as f64));
}

#[test]
fn edges_over_the_span_cap_are_straight_and_still_end_on_their_boxes() {
    let g = Graph::of(&load(&root().join("../fixtures/dumps/saas.sql")), GraphOptions::default());
    let mut o = LayoutOptions::for_detail(Detail::Keys);
    o.max_span = 1;
    let l = layout(&g, &o);
    check_boxes_do_not_overlap(&l, "saas span 1");
    check_edges_end_on_boxes(&g, &l, "saas span 1");
    check_routed_edges_cross_no_box(&l, "saas span 1");
    let straight: Vec<&EdgePath> = l.edges.iter().filter(|e| e.straight).collect();
    assert!(!straight.is_empty(), "saas has edges spanning two layers or more");
    assert_eq!(layout(&g, &o), l);
}

#[test]
fn empty_graph_lays_out_empty() {
    let l = layout(&Graph::default(), &LayoutOptions::default());
    assert!(l.nodes.is_empty() && l.edges.is_empty() && l.width == 0.0 && l.crossings == 0);
}

#[test]
fn crossings_count_proper_intersections_only() {
    let path = |pts: &[[f64; 2]]| EdgePath { points: pts.to_vec(), ..EdgePath::default() };
    let l = Layout {
        edges: vec![
            path(&[[0.0, 0.0], [10.0, 10.0]]),
            path(&[[0.0, 10.0], [10.0, 0.0]]),
            // Shares the first one's start: touching, not crossing.
            path(&[[0.0, 0.0], [10.0, 5.0]]),
        ],
        ..Layout::default()
    };
    // 0×1 cross, 1×2 cross, 0×2 only touch.
    assert_eq!(count_crossings(&l), 2);
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn fixture_dumps() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("../fixtures/dumps"))
        .expect("fixtures/dumps")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    v.sort();
    v
}

fn load(path: &Path) -> Snapshot {
    let bytes = std::fs::read(path).expect("read dump");
    load_files(&[InputFile { name: path.file_name().expect("name").to_string_lossy().into(), bytes }]).snapshot
}

#[test]
fn fixture_layouts_keep_their_invariants_and_report_crossings() {
    let dumps = fixture_dumps();
    assert!(dumps.len() >= 5, "fixtures/dumps has {} dumps", dumps.len());
    println!("erd crossings per fixture (tables, edges: Name / Keys / All):");
    for path in dumps {
        let name = path.file_stem().expect("stem").to_string_lossy().to_string();
        let snap = load(&path);
        for views in [false, true] {
            let g = Graph::of(&snap, GraphOptions { views });
            let mut counts = Vec::new();
            for detail in [Detail::Name, Detail::Keys, Detail::All] {
                let l = check(&g, &LayoutOptions::for_detail(detail), &format!("{name} {detail:?} views={views}"));
                counts.push(l.crossings);
            }
            let mut o = LayoutOptions::for_detail(Detail::Keys);
            o.clustering = Clustering::Schema;
            check(&g, &o, &format!("{name} by schema views={views}"));
            if !views {
                println!(
                    "  {name:<14} {:>4} tables {:>4} edges: {:>4} / {:>4} / {:>4}",
                    g.nodes.len(),
                    g.edges.len(),
                    counts[0],
                    counts[1],
                    counts[2]
                );
            }
        }
    }
}

fn gitlab() -> Option<&'static Graph> {
    static G: OnceLock<Option<Graph>> = OnceLock::new();
    G.get_or_init(|| {
        let path = root().join("../../shared/corpus/gitlab/structure.sql");
        if !path.exists() {
            eprintln!("{} not found: GitLab layout tests skipped", path.display());
            return None;
        }
        Some(Graph::of(&load(&path), GraphOptions::default()))
    })
    .as_ref()
}

#[test]
fn gitlab_overview_keeps_its_invariants() {
    let Some(g) = gitlab() else { return };
    assert!(g.nodes.len() > 500, "GitLab folds to {} nodes", g.nodes.len());
    assert!(g.nodes.iter().all(|n| !n.schema.starts_with("gitlab_partitions")), "partitions are folded");
    let l = check(&overview(g), &LayoutOptions::for_detail(Detail::Name), "gitlab overview");
    let mut o = LayoutOptions::for_detail(Detail::Name);
    o.clustering = Clustering::Schema;
    let c = check(g, &o, "gitlab overview by schema");
    println!(
        "gitlab overview: {} tables, {} edges, {:.0}x{:.0}, {} crossings ({} straight edges); by schema {} crossings",
        g.nodes.len(),
        g.edges.len(),
        l.width,
        l.height,
        l.crossings,
        l.edges.iter().filter(|e| e.straight).count(),
        c.crossings
    );
}

#[test]
fn gitlab_projects_neighbourhood_keeps_its_invariants() {
    let Some(g) = gitlab() else { return };
    let n = neighbourhood(g, "public.projects", 2).expect("public.projects");
    assert!(n.index("public.projects").is_some());
    let l = check(&n, &LayoutOptions::for_detail(Detail::Keys), "gitlab projects 2 hops");
    let one = neighbourhood(g, "public.projects", 1).expect("public.projects");
    let l1 = check(&one, &LayoutOptions::for_detail(Detail::Keys), "gitlab projects 1 hop");
    println!(
        "gitlab public.projects: 2 hops {} tables {} edges {:.0}x{:.0} {} crossings ({} straight); 1 hop {} tables {} crossings",
        n.nodes.len(),
        n.edges.len(),
        l.width,
        l.height,
        l.crossings,
        l.edges.iter().filter(|e| e.straight).count(),
        one.nodes.len(),
        l1.crossings
    );
}

/// The overlay agrees with the health checks: an edge is unindexed exactly when
/// `unindexed_foreign_keys` reports its constraint, and each table's worst mark is the highest
/// priority among the findings on it.
#[test]
fn overlay_agrees_with_the_health_checks_on_every_fixture() {
    use crate::access::Assumptions;
    use crate::checks::{self, ChecksConfig};
    let mut unindexed_total = 0;
    for path in fixture_dumps() {
        let snap = load(&path);
        let findings = checks::run(&snap, &Assumptions::for_snapshot(&snap), &ChecksConfig::default());
        let g = Graph::of(&snap, GraphOptions::default());
        let o = Overlay::of(&snap, &g, &findings);
        assert_eq!((o.nodes.len(), o.edges.len()), (g.nodes.len(), g.edges.len()));
        let mut reported: Vec<(String, String)> = findings
            .iter()
            .filter(|f| f.rule == "unindexed_foreign_keys")
            .map(|f| (f.object.clone(), f.message.split_whitespace().nth(2).unwrap_or_default().to_string()))
            .filter(|(object, _)| g.node(object).is_some())
            .collect();
        reported.sort();
        let mut marked: Vec<(String, String)> = g
            .edges
            .iter()
            .zip(&o.edges)
            .filter(|(_, m)| m.unindexed)
            .map(|(e, _)| (g.nodes[e.from as usize].key.clone(), e.name.clone()))
            .collect();
        marked.sort();
        marked.dedup();
        assert_eq!(marked, reported, "{}", path.display());
        unindexed_total += marked.len();
        for (n, m) in g.nodes.iter().zip(&o.nodes) {
            let on: Vec<_> = findings.iter().filter(|f| f.object == n.key || f.object.starts_with(&format!("{}/", n.key))).collect();
            assert_eq!(m.findings as usize, on.len(), "{} {}", path.display(), n.key);
            assert_eq!(m.worst, on.iter().map(|f| f.priority).min(), "{} {}", path.display(), n.key);
            let t = &snap.tables[&n.key];
            assert_eq!(m.rls.map(|r| r != Rls::Off), Some(t.rls_enabled));
            assert_eq!(m.policies as usize, t.policies.len());
        }
    }
    assert!(unindexed_total > 0, "no fixture has an unindexed foreign key: the test checks nothing");
}

#[test]
fn diagrams_trim_rows_to_their_detail_and_explain_empty_selections() {
    let g = shop();
    let req = |selection| Request { selection, detail: None, marks: true, clustering: None };
    let over = Diagram::of(&g, &req(Selection::Overview)).expect("overview");
    assert!(over.graph.nodes.iter().all(|n| n.columns.is_empty()));
    assert_eq!(over.options.clustering, Clustering::Schema);
    assert!(!over.layout.clusters.is_empty());
    let by_component =
        Diagram::of(&g, &Request { clustering: Some(Clustering::Components), ..req(Selection::Overview) }).expect("overview");
    assert!(by_component.layout.clusters.is_empty());
    let near = Diagram::of(&g, &req(Selection::Neighbourhood { focus: "sales.orders".into(), hops: 1 })).expect("near");
    let orders = near.graph.node("sales.orders").expect("orders");
    assert_eq!(orders.columns.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["id", "buyer_id", "seller_id", "org_code"]);
    assert_eq!(
        near.layout.nodes[near.graph.index("sales.orders").unwrap()].width,
        (orders.header_text().len() as u32 + BADGE_CHARS) as f64 * 7.0 + 16.0
    );
    let err = |s| Diagram::of(&g, &req(s)).err().expect("an error");
    assert_eq!(err(Selection::Neighbourhood { focus: "public.nope".into(), hops: 1 }), "No table public.nope in this snapshot.");
    assert_eq!(err(Selection::Schema { schema: "nope".into() }), "No table in schema nope.");
    assert_eq!(
        err(Selection::Path { from: "public.lonely".into(), to: "public.users".into() }),
        "No foreign-key path joins public.lonely and public.users."
    );
    let p = Diagram::of(&g, &req(Selection::Path { from: "public.audit".into(), to: "public.members".into() })).expect("path");
    assert_eq!(keys(&p.graph), ["public.audit", "public.members", "public.orgs", "sales.orders"]);
}

// --- standalone SVG ---------------------------------------------------------------------------

/// Elements and attributes the export may contain: anything else (a `<script>`, an `<img>`, an
/// `onerror=`, an `href`) would be an injection or an external resource.
const SVG_ELEMENTS: &[&str] = &["svg", "title", "style", "rect", "text", "g", "polyline", "circle"];
const SVG_ATTRIBUTES: &[&str] = &[
    "class",
    "viewBox",
    "width",
    "height",
    "x",
    "y",
    "rx",
    "transform",
    "points",
    "cx",
    "cy",
    "r",
    "data-key",
    "data-from",
    "data-to",
    "data-name",
];

/// Parses an export and checks what every export must be: well-formed, only the expected elements
/// and attributes, the stylesheet whole, no URL but the namespace.
fn parse_svg(s: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(s).unwrap_or_else(|e| panic!("not XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
    for n in doc.descendants().filter(|n| n.is_element()) {
        assert!(SVG_ELEMENTS.contains(&n.tag_name().name()), "unexpected element <{}>", n.tag_name().name());
        for a in n.attributes() {
            assert!(SVG_ATTRIBUTES.contains(&a.name()), "unexpected attribute {}= on <{}>", a.name(), n.tag_name().name());
        }
    }
    let style: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("style")).collect();
    assert_eq!(style.len(), 1);
    let css: String = style[0].children().filter_map(|c| c.text()).collect();
    assert_eq!(css, format!("{}{}", svg::DIAGRAM_CSS, svg::EXPORT_CSS), "the stylesheet, whole");
    // Nothing that loads: no URL in the stylesheet or in an attribute other than the dump's own
    // names (`data-*`); the element and attribute lists above leave out href, src, style, use.
    for word in ["url(", "@import", "http"] {
        assert!(!css.to_ascii_lowercase().contains(word), "{word} in the stylesheet");
    }
    for n in doc.descendants().filter(|n| n.is_element()) {
        for a in n.attributes().filter(|a| !a.name().starts_with("data-")) {
            assert!(!a.value().to_ascii_lowercase().contains("url(") && !a.value().contains(':'), "{}={}", a.name(), a.value());
        }
    }
    assert_eq!(s.matches("http://").count() + s.matches("https://").count() - dump_urls(&doc), 1, "only the namespace is a URL");
    doc
}

/// URLs in the dump's own text (a table named after a web hook), which the file shows as text.
fn dump_urls(doc: &roxmltree::Document) -> usize {
    let count = |t: &str| t.matches("http://").count() + t.matches("https://").count();
    let text: usize = doc
        .descendants()
        .filter(|n| n.is_text() && !n.parent().is_some_and(|p| p.has_tag_name("style")))
        .filter_map(|n| n.text())
        .map(count)
        .sum();
    let data: usize =
        doc.descendants().flat_map(|n| n.attributes()).filter(|a| a.name().starts_with("data-")).map(|a| count(a.value())).sum();
    text + data
}

/// A dump string as the export shows it: the characters XML 1.0 forbids replaced.
fn shown(s: &str) -> String {
    s.chars()
        .map(
            |c| {
                if matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}') {
                    '\u{fffd}'
                } else {
                    c
                }
            },
        )
        .collect()
}

fn with_class<'a, 'i>(doc: &'a roxmltree::Document<'i>, class: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    doc.descendants().filter(|n| n.attribute("class").is_some_and(|c| c.split(' ').any(|w| w == class))).collect()
}

/// The boxes and edges of an export against the graph and layout they come from.
fn check_svg(g: &Graph, l: &Layout, s: &str, what: &str) {
    let doc = parse_svg(s);
    let boxes = with_class(&doc, "erd-box");
    let boxes: Vec<_> = boxes.iter().filter(|b| b.attribute("data-key").is_some()).collect();
    assert_eq!(boxes.len(), g.nodes.len(), "{what}: one box per node");
    for ((b, n), nb) in boxes.iter().zip(&g.nodes).zip(&l.nodes) {
        assert_eq!(b.attribute("data-key"), Some(shown(&n.key).as_str()), "{what}: boxes in graph order, keys intact");
        assert_eq!(b.attribute("transform"), Some(format!("translate({:.1},{:.1})", nb.x, nb.y).as_str()), "{what}: {}", n.key);
    }
    let edges: Vec<_> = with_class(&doc, "erd-edge").into_iter().filter(|e| e.attribute("data-from").is_some()).collect();
    assert_eq!(edges.len(), g.edges.len(), "{what}: one edge per graph edge");
    for (e, ge) in edges.iter().zip(&g.edges) {
        assert_eq!(e.attribute("data-from"), Some(shown(&g.nodes[ge.from as usize].key).as_str()));
        assert_eq!(e.attribute("data-name"), Some(shown(&ge.name).as_str()));
    }
}

fn export(snap: &Snapshot, g: &Graph, o: &LayoutOptions, focus: Option<&str>) -> (Layout, String) {
    use crate::access::Assumptions;
    use crate::checks::{self, ChecksConfig};
    let findings = checks::run(snap, &Assumptions::for_snapshot(snap), &ChecksConfig::default());
    let overlay = Overlay::of(snap, g, &findings);
    let l = layout(g, o);
    let s = render(g, &l, o, Some(&overlay), &SvgOptions { title: "t", focus, legend: true });
    (l, s)
}

fn marked(o: &LayoutOptions) -> LayoutOptions {
    LayoutOptions { badge_chars: 9, ..*o }
}

#[test]
fn svg_draws_every_box_and_edge_with_its_marks() {
    let snap = snapshot(SHOP);
    let g = Graph::of(&snap, GraphOptions::default());
    let o = marked(&LayoutOptions::for_detail(Detail::Keys));
    let (l, s) = export(&snap, &g, &o, Some("sales.orders"));
    check_svg(&g, &l, &s, "shop");
    let doc = parse_svg(&s);
    let focus = with_class(&doc, "focus");
    assert_eq!(focus.len(), 1);
    assert_eq!(focus[0].attribute("data-key"), Some("sales.orders"));
    // Rows: orders shows id (pk), buyer_id, seller_id, org_code (fk) at Keys.
    let rows: Vec<_> = focus[0].children().filter(|c| c.attribute("class").is_some_and(|c| c.starts_with("erd-row"))).collect();
    assert_eq!(rows.len(), g.node("sales.orders").expect("orders").row_count(Detail::Keys));
    assert_eq!(rows[0].attribute("class"), Some("erd-row pk"));
    assert!(rows[1..].iter().all(|r| r.attribute("class") == Some("erd-row fk")));
    // No RLS anywhere in SHOP: every table box is rls-off, and its tooltip says so.
    assert_eq!(with_class(&doc, "rls-off").iter().filter(|b| b.attribute("data-key").is_some()).count(), g.nodes.len());
    let tip = focus[0].children().find(|c| c.has_tag_name("title")).and_then(|t| t.text()).expect("tooltip");
    assert!(tip.starts_with("sales.orders · RLS off · 0 policies"), "{tip}");
    // The self-reference is marked, and SHOP's foreign keys have no index: all unindexed.
    assert_eq!(with_class(&doc, "self-ref").len(), 1);
    let unindexed = with_class(&doc, "unindexed").into_iter().filter(|e| e.attribute("data-from").is_some()).count();
    assert!(unindexed > 0);
    let tip = with_class(&doc, "unindexed")[0].children().find(|c| c.has_tag_name("title")).and_then(|t| t.text()).expect("tooltip");
    assert!(tip.ends_with("; no index leads with its columns") && tip.contains(") → "), "{tip}");
    // Legend below the drawing, inside the view box.
    let vb: Vec<f64> = doc.root_element().attribute("viewBox").expect("viewBox").split(' ').map(|v| v.parse().expect("number")).collect();
    assert_eq!(with_class(&doc, "erd-legend").len(), 1);
    assert!(vb[1] < 0.0 && vb[1] + vb[3] > l.height + 24.0 + 2.0 * 22.0, "{vb:?}");
    assert_eq!(doc.root_element().attribute("width"), Some(format!("{:.1}", vb[2]).as_str()));
    // Same input, same bytes.
    assert_eq!(export(&snap, &g, &o, Some("sales.orders")).1, s);
}

#[test]
fn svg_without_overlay_or_legend_has_no_marks() {
    let g = shop();
    let o = LayoutOptions::for_detail(Detail::Name);
    let l = layout(&g, &o);
    let s = render(&g, &l, &o, None, &SvgOptions { title: "shop", focus: None, legend: false });
    check_svg(&g, &l, &s, "shop bare");
    let doc = parse_svg(&s);
    for class in ["erd-badge", "erd-policies", "unindexed", "erd-legend", "erd-row", "focus", "rls-off"] {
        assert!(with_class(&doc, class).is_empty(), "{class}");
    }
    assert_eq!(doc.descendants().find(|n| n.has_tag_name("title")).and_then(|t| t.text()), Some("shop"));
    // An empty graph is still a valid file.
    let empty = render(&Graph::default(), &Layout::default(), &o, None, &SvgOptions { title: "", focus: None, legend: true });
    parse_svg(&empty);
}

#[test]
fn svg_escapes_a_hostile_schema() {
    let sql = r#"
CREATE SCHEMA "<script>alert(1)</script>";
CREATE TABLE "<script>alert(1)</script>"."""><img src=x onerror=alert(1)>" ("]]>" bigint PRIMARY KEY, "</style>" text, "a'b&c" int);
CREATE TABLE public."x]]>y" (id int PRIMARY KEY, "<g onload=alert(1)>" bigint CONSTRAINT "</title><script>x</script>" REFERENCES "<script>alert(1)</script>"."""><img src=x onerror=alert(1)>"("]]>"));
ALTER TABLE public."x]]>y" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "p" ON public."x]]>y" USING (true);
"#;
    let snap = snapshot(sql);
    let mut g = Graph::of(&snap, GraphOptions::default());
    assert_eq!((g.nodes.len(), g.edges.len()), (2, 1), "the hostile schema loads");
    // Characters XML 1.0 forbids, which a quoted identifier may hold.
    g.nodes[1].columns[0].name = "bell\u{7}nul\u{0}esc\u{1b}\u{fffe}".into();
    g.edges[0].name.push('\u{1}');
    for clustering in [Clustering::Components, Clustering::Schema] {
        let o = LayoutOptions { clustering, ..marked(&LayoutOptions::for_detail(Detail::All)) };
        let focus = g.nodes[0].key.clone();
        let (l, s) = export(&snap, &g, &o, Some(&focus));
        check_svg(&g, &l, &s, "hostile");
        assert_eq!(s.matches("</style>").count(), 1);
        for raw in ["<script", "<img", "<g onload"] {
            assert!(!s.contains(raw), "{raw} unescaped");
        }
        assert_eq!(s.matches("]]>").count(), 2, "only the stylesheet's two CDATA sections close");
        let doc = parse_svg(&s);
        // Dump text comes back as text, the forbidden characters replaced one for one.
        let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(texts.contains(&"PK ]]>  bigint"), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("bell\u{fffd}nul\u{fffd}esc\u{fffd}\u{fffd}")), "{texts:?}");
        assert!(texts.iter().any(|t| t.starts_with("</title><script>x</script>\u{fffd}: ")), "{texts:?}");
        if clustering == Clustering::Schema {
            assert!(texts.contains(&"<script>alert(1)</script>"), "the schema as a cluster label");
        }
        assert_eq!(with_class(&doc, "focus")[0].attribute("data-key"), Some(focus.as_str()));
    }
    assert_eq!(svg::escape("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d", "kept through attribute normalisation");
}

#[test]
fn svg_of_every_fixture_parses_with_every_box_and_edge() {
    for path in fixture_dumps() {
        let name = path.file_stem().expect("stem").to_string_lossy().to_string();
        let snap = load(&path);
        for views in [false, true] {
            let g = Graph::of(&snap, GraphOptions { views });
            let o = LayoutOptions { clustering: Clustering::Schema, ..marked(&LayoutOptions::for_detail(Detail::Name)) };
            let (l, s) = export(&snap, &g, &o, None);
            check_svg(&g, &l, &s, &format!("{name} overview views={views}"));
            assert_eq!(export(&snap, &g, &o, None).1, s, "{name}: deterministic");
            if let Some(first) = g.nodes.first() {
                let n = neighbourhood(&g, &first.key, 2).expect("the first table");
                let (l, s) = export(&snap, &n, &marked(&LayoutOptions::for_detail(Detail::All)), Some(&first.key));
                check_svg(&n, &l, &s, &format!("{name} {} views={views}", first.key));
            }
        }
    }
}

#[test]
fn svg_of_gitlab_overview_parses_with_every_box_and_edge() {
    let Some(g) = gitlab() else { return };
    let path = root().join("../../shared/corpus/gitlab/structure.sql");
    let snap = load(&path);
    let o = LayoutOptions { clustering: Clustering::Schema, ..marked(&LayoutOptions::for_detail(Detail::Name)) };
    let (l, s) = export(&snap, g, &o, None);
    check_svg(g, &l, &s, "gitlab overview");
    println!("gitlab overview svg: {} bytes, {} boxes, {} edges", s.len(), g.nodes.len(), g.edges.len());
}
