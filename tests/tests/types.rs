//! End-to-end: a dump and an app's `database.types.ts` dropped together open the Types page with
//! the type drift; the generated file downloads with the same bytes `pglens typegen` prints.

use e2e::*;
use serde_json::json;
use std::time::Duration;

const START: Duration = Duration::from_secs(60);
const LOAD: Duration = Duration::from_secs(180);

#[tokio::test(flavor = "current_thread")]
async fn a_dump_and_a_types_file_show_the_drift_and_the_download_equals_the_cli() {
    let _serial = serial().await;
    let dir = workspace_root().join("fixtures");
    let dump = dir.join("dumps/typegen.sql");
    let app_types = dir.join("typegen/app.types.ts");
    let app = App::open().await;
    app.wait_loaded("(sample)", START).await;
    app.upload(&[dump.clone(), app_types.clone()]).await;
    app.wait_loaded("typegen.sql", LOAD).await;
    assert_eq!(app.text("#loaded-files").await, "typegen.sql", "the .ts file is not part of the snapshot");
    app.wait_js("the Types page", "location.hash === '#/types'", START).await;
    app.wait_js("the drift", "document.querySelectorAll('#types-changes li').length > 0", LOAD).await;
    let changes = app
        .js("[...document.querySelectorAll('#types-changes li')].map(li => [li.classList[1], li.dataset.kind, li.dataset.object])")
        .await;
    assert_eq!(
        changes,
        json!([
            ["p0", "column_type", "billing.invoices.id"],
            ["p0", "relation_missing", "public.archived_posts"],
            ["p0", "enum_value_missing", "public.mood.ecstatic"],
            ["p0", "column_missing", "public.profiles.legacy_code"],
            ["p1", "column_nullable", "public.profiles.bio"],
        ])
    );
    let first = app.text("#types-changes li").await;
    assert!(first.contains("app.types.ts:20") && first.contains("typegen.sql:333"), "both places: {first}");
    assert_eq!(app.text("#types-count-p0 .num").await, "4");
    app.screenshot("98-types-drift").await;

    // Choose billing too, download, and compare with the command line.
    app.js("(document.querySelector('input[data-schema=\"billing\"]').click(), true)").await;
    app.wait_js(
        "types for public and billing",
        "document.querySelector('#types-stats').dataset.ready === 'true' && document.querySelector('#types-text').textContent.includes('  billing: {')",
        LOAD,
    )
    .await;
    app.capture_downloads().await;
    app.js("(document.querySelector('#types-download').click(), true)").await;
    let (mime, text) = app.downloaded(0, true).await;
    assert_eq!(mime, "text/plain");
    let cli = String::from_utf8(run_cli(&[
        "typegen",
        &dump.canonicalize().unwrap().display().to_string(),
        "--schema",
        "public",
        "--schema",
        "billing",
    ]))
    .unwrap();
    assert!(text.as_str() == Some(cli.as_str()), "the downloaded database.types.ts differs from `pglens typegen`");
    let ms = app.js("document.querySelector('#types-stats').textContent").await;
    println!("typegen in the worker: {ms}");
    app.screenshot("99-types-generated").await;
    app.finish().await;
}
