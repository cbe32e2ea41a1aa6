//! Pure helper tests. Run in wasm (Node) with
//! `cargo test -p pglens-app --target wasm32-unknown-unknown`, or natively with `cargo test -p pglens-app`.

use pglens_app::erd_view::{ErdMode, ErdView};
use pglens_app::helpers::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::*;

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn routes_round_trip() {
    for r in [
        Route::Overview,
        Route::Tables,
        Route::Table("public.users".into()),
        Route::Table("\"odd schema\".\"we/ird (name)\"".into()),
        Route::Table("ünïcode.täble".into()),
        Route::Policies(None),
        Route::Functions,
        Route::Views,
        Route::Extensions,
        Route::Unmodelled,
        Route::Diagnostics,
    ] {
        assert_eq!(Route::parse(&r.href()), r, "{}", r.href());
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn unknown_and_empty_routes_are_the_overview() {
    assert_eq!(Route::parse(""), Route::Overview);
    assert_eq!(Route::parse("#"), Route::Overview);
    assert_eq!(Route::parse("#/nope"), Route::Overview);
    assert_eq!(Route::parse("#/table/"), Route::Overview);
    assert_eq!(Route::parse("tables"), Route::Tables);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn percent_decoding_is_lenient() {
    assert_eq!(percent_decode("a%2"), "a%2");
    assert_eq!(percent_decode("%zz"), "%zz");
    assert_eq!(percent_decode("%41%42"), "AB");
    assert_eq!(percent_decode("%FF"), "\u{FFFD}");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn query_needs_every_term() {
    let q = Query::new("  Pub  USER ");
    assert!(q.matches("public.users"));
    assert!(!q.matches("public.orders"));
    assert!(Query::new("").matches("anything"));
    assert!(Query::new("").is_empty());
    let items = ["public.users", "auth.users", "public.orders"];
    assert_eq!(filter_indexes(items, &Query::new("users")), vec![0, 1]);
    assert_eq!(filter_indexes(items, &Query::new("pub ord")), vec![2]);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn window_covers_the_viewport_plus_overscan() {
    // 1,400 rows of 30px, 600px viewport.
    assert_eq!(visible_window(0.0, 600.0, 30.0, 1400, 10), (0, 31));
    assert_eq!(visible_window(3000.0, 600.0, 30.0, 1400, 10), (90, 131));
    // Scrolled to the very end: clamped.
    assert_eq!(visible_window(1400.0 * 30.0 - 600.0, 600.0, 30.0, 1400, 10), (1370, 1400));
    // Past the end (content shrank under a scrolled list).
    assert_eq!(visible_window(1e9, 600.0, 30.0, 5, 10), (5, 5));
    // Degenerate inputs.
    assert_eq!(visible_window(0.0, 600.0, 30.0, 0, 10), (0, 0));
    assert_eq!(visible_window(f64::NAN, f64::INFINITY, 30.0, 100, 2), (0, 3));
    assert_eq!(visible_window(-50.0, 60.0, 30.0, 100, 0), (0, 3));
    assert_eq!(visible_window(0.0, 600.0, 0.0, 100, 0), (0, 0));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn window_never_renders_more_than_a_screenful() {
    for total in [0usize, 1, 10, 1400, 100_000] {
        for step in 0..50 {
            let scroll = step as f64 * 997.0;
            let (s, e) = visible_window(scroll, 700.0, 28.0, total, 12);
            assert!(s <= e && e <= total);
            assert!(e - s <= 700 / 28 + 2 + 24, "{s}..{e}");
        }
    }
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn source_lines_widen_to_whole_lines() {
    let text = "-- header\nCREATE TABLE t (\n  id int\n);\nSELECT 1;\n";
    let start = text.find("CREATE").unwrap() + 7; // mid-line
    let end = text.find(");").unwrap() + 2;
    let (lines, cut) = source_lines(text, start, end, 2, 100);
    assert!(!cut);
    assert_eq!(lines, vec![(2, "CREATE TABLE t ("), (3, "  id int"), (4, ");")]);
    let (lines, cut) = source_lines(text, start, end, 2, 2);
    assert!(cut);
    assert_eq!(lines.len(), 2);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn source_lines_never_panic() {
    let text = "é\r\nx";
    let (l, _) = source_lines(text, 1, 1, 1, 10); // inside a multi-byte char
    assert_eq!(l, vec![(1, "é")]);
    let (l, _) = source_lines(text, 100, 200, 7, 10); // past the end
    assert_eq!(l, vec![(7, "x")]);
    let (l, _) = source_lines("", 0, 0, 0, 10);
    assert_eq!(l, vec![(1, "")]);
    let (l, _) = source_lines(text, 4, 1, 2, 10); // end before start
    assert_eq!(l, vec![(2, "x")]);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn formatting() {
    assert_eq!(format_bytes(12), "12 B");
    assert_eq!(format_bytes(2048), "2 KB");
    assert_eq!(format_bytes(2_746_807), "2.6 MB");
    assert_eq!(percent(1, 4), 25.0);
    assert_eq!(percent(5, 0), 0.0);
    assert_eq!(percent(9, 4), 100.0);
    assert_eq!(first_line("\n  CREATE x\nmore"), "CREATE x");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn erd_route_modes_round_trip() {
    use pglens_core::erd::{Detail, Selection};
    let v = ErdView::focused("\"odd schema\".\"we/ird (name)\"");
    assert_eq!(Route::parse(&Route::Erd(v.clone()).href()), Route::Erd(v));
    assert_eq!(Route::Erd(ErdView::focused("public.tasks")).href(), "#/erd?focus=public.tasks");
    let two = ErdView { hops: 2, ..ErdView::focused("public.tasks") };
    assert_eq!(Route::parse("#/erd?focus=public.tasks&hops=2"), Route::Erd(two.clone()));
    assert_eq!(two.request().selection, Selection::Neighbourhood { focus: "public.tasks".into(), hops: 2 });
    // Hops are clamped to 1..=3; junk keeps the default.
    assert_eq!(Route::parse("#/erd?focus=a&hops=9"), Route::Erd(ErdView { hops: 3, ..ErdView::focused("a") }));
    assert_eq!(Route::parse("#/erd?focus=a&hops=0"), Route::Erd(ErdView::focused("a")));
    assert_eq!(Route::parse("#/erd?hops=x"), Route::Erd(ErdView::default()));
    // The overview is the page's default; hops only show in a neighbourhood's link.
    assert_eq!(ErdView::default().mode, ErdMode::Overview);
    assert_eq!(Route::Erd(ErdView { hops: 3, ..ErdView::default() }).href(), "#/erd");
    let schema = Route::parse("#/erd?schema=a%20b&detail=all");
    assert_eq!(schema, Route::Erd(ErdView { mode: ErdMode::Schema("a b".into()), detail: Some(Detail::All), ..ErdView::default() }));
    assert_eq!(Route::parse(&schema.href()), schema);
    let path = Route::parse("#/erd?from=public.a&to=public.b");
    assert_eq!(path, Route::Erd(ErdView { mode: ErdMode::Path("public.a".into(), "public.b".into()), ..ErdView::default() }));
    assert_eq!(Route::parse(&path.href()), path);
    // Half a path is a neighbourhood of the end given.
    assert_eq!(Route::parse("#/erd?to=public.b"), Route::Erd(ErdView::focused("public.b")));
    assert_eq!(Route::parse("#/erd?detail=huge"), Route::Erd(ErdView::default()));
    let by_component = Route::parse("#/erd?group=components");
    assert_eq!(by_component, Route::Erd(ErdView { group: Some(pglens_core::erd::Clustering::Components), ..ErdView::default() }));
    assert_eq!(Route::parse(&by_component.href()), by_component);
    assert_eq!(
        ErdView { mode: ErdMode::Path("a.b c".into(), "x/y".into()), ..ErdView::default() }.file_stem(),
        "pglens-erd-path-a.b-c-to-x-y"
    );
    assert_eq!(Route::Erd(ErdView::focused("x")).page(), Route::Erd(ErdView::default()));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn erd_view_box_fit_zoom_and_cull() {
    use pglens_app::erd_geometry::{cull_window, ViewBox, MARGIN};
    // A small drawing is not blown up: one unit per pixel, centred.
    let v = ViewBox::fit(100.0, 50.0, 800.0, 400.0);
    assert_eq!((v.w, v.h), (800.0, 400.0));
    assert_eq!(v.x + v.w / 2.0, 50.0);
    // A wide drawing fits its width, with the element's aspect.
    let v = ViewBox::fit(10_000.0, 100.0, 1000.0, 500.0);
    assert_eq!(v.w, 10_000.0 + 2.0 * MARGIN);
    assert_eq!(v.h, v.w / 2.0);
    // Zooming keeps the point under the pointer and stops at the limits.
    let v = ViewBox { x: 0.0, y: 0.0, w: 100.0, h: 100.0 };
    let z = v.zoomed(0.25, 0.5, 0.5, 20.0, 1000.0).expect("in range");
    assert_eq!((z.x + 0.25 * z.w, z.y + 0.5 * z.h), (25.0, 50.0));
    assert_eq!(v.zoomed(0.5, 0.5, 0.1, 20.0, 1000.0), None);
    // The cull window is kept while the view stays inside it, made anew otherwise.
    let w = cull_window(None, v);
    assert_eq!(w, ViewBox { x: -100.0, y: -100.0, w: 300.0, h: 300.0 });
    let panned = ViewBox { x: 90.0, ..v };
    assert_eq!(cull_window(Some(w), panned), w);
    let far = ViewBox { x: 150.0, ..v };
    assert_eq!(cull_window(Some(w), far), far.grown(1.0));
    // Zoomed in a lot: a smaller window, so fewer boxes stay drawn.
    let tiny = ViewBox { x: 10.0, y: 10.0, w: 10.0, h: 10.0 };
    assert_eq!(cull_window(Some(w), tiny), tiny.grown(1.0));
    assert!(w.intersects(&ViewBox::around(&[[190.0, 190.0], [400.0, 400.0]])));
    assert!(!w.intersects(&ViewBox::around(&[[201.0, 0.0], [400.0, 10.0]])));
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn sources_from_the_address_round_trip() {
    use pglens_app::sources::{file_name, Sources};
    let s =
        Sources::from_search("?snapshot=dumps/prod.sql,dumps/extra.sql&compare=staging%20copy.sql&policies=p.csv&x=1&snapshot=a%2Cb.sql");
    assert_eq!(s.snapshot, ["dumps/prod.sql", "dumps/extra.sql", "a,b.sql"]);
    assert_eq!(s.compare, ["staging copy.sql"]);
    assert_eq!(s.main(), ["dumps/prod.sql", "dumps/extra.sql", "a,b.sql", "p.csv"]);
    assert_eq!(s.to_search(), "?snapshot=dumps/prod.sql,dumps/extra.sql,a%2Cb.sql&compare=staging%20copy.sql&policies=p.csv");
    assert_eq!(Sources::from_search(&s.to_search()), s);
    assert!(Sources::from_search("").is_empty() && Sources::from_search("?q=1&snapshot=").is_empty());
    assert_eq!(Sources::default().to_search(), "");
    assert_eq!(file_name("https://h/x/dumps/prod%20db.sql?v=2#top"), "prod db.sql");
    assert_eq!(file_name("prod.sql"), "prod.sql");
}
