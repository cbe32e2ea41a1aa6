//! The Drift page's pure parts over the fixtures' drift pair (saas.sql → saas_staging.sql):
//! filters from the hash, and the side-by-side rows of a real change. Run in wasm (Node) with
//! `cargo test -p pglens-app --target wasm32-unknown-unknown`, or natively with `cargo test -p pglens-app`.

use pglens_app::drift_view::*;
use pglens_app::helpers::Route;
use pglens_core::diff::{diff, Kind, Options};
use pglens_core::{load_files, InputFile, Loaded};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::*;

static PROD: &str = include_str!("../../fixtures/dumps/saas.sql");
static STAGING: &str = include_str!("../../fixtures/dumps/saas_staging.sql");

fn load(name: &str, text: &str) -> Loaded {
    load_files(&[InputFile { name: name.into(), bytes: text.as_bytes().to_vec() }])
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn drift_route_filters_and_side_by_side() {
    let (a, b) = (load("saas.sql", PROD), load("saas_staging.sql", STAGING));
    let d = diff(&a.snapshot, &b.snapshot, &Options::for_snapshots(&a.snapshot, &b.snapshot));
    let search: Vec<String> = d.changes.iter().map(search_text).collect();
    let all = DriftView::default().filter().indexes(&d.changes, &search);
    assert_eq!(all.len(), d.changes.len());

    let Route::Drift(v) = Route::parse("#/drift?p=P0&kind=rls&q=INVITATIONS") else { panic!("not the drift route") };
    let shown = v.filter().indexes(&d.changes, &search);
    assert_eq!(shown.len(), 1);
    let c = &d.changes[shown[0]];
    assert_eq!((c.kind, c.key.as_str()), (Kind::Rls, "public.invitations"));
    let link = Route::Drift(DriftView { entry: Some(c.id.clone()), swap: true, ..Default::default() });
    assert_eq!(Route::parse(&link.href()), link);

    // ENABLE in A beside DISABLE in B on one row; the NO FORCE line is common to both.
    let rows = side_by_side(c.a_definition.as_deref().unwrap(), c.b_definition.as_deref().unwrap());
    assert_eq!(rows.len(), 2);
    let (x, y) = (rows[0].a.as_ref().unwrap(), rows[0].b.as_ref().unwrap());
    assert!(x.changed && y.changed && x.text.contains("ENABLE") && y.text.contains("DISABLE"));
    let (s, e) = x.mark.unwrap();
    assert_eq!(&x.text[s..e], "EN");
    assert!(!rows[1].a.as_ref().unwrap().changed);

    let kinds = kind_counts(&d.changes);
    assert!(kinds.contains(&(Kind::Rls, 2)), "{kinds:?}");
}
