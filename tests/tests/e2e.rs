//! End-to-end tests against the built `dist/` in headless Chromium (see src/lib.rs).
//! Screenshots land in target/e2e/*.png.

use e2e::*;
use std::time::Duration;

/// Tables in ../shared/corpus/gitlab/structure.sql, as PostgreSQL 15 counts them after restoring
/// it (scripts/measure-gitlab.sh; core/tests/corpus.rs holds the other counts).
const EXPECTED_GITLAB_TABLES: u64 = 1401;

const LOAD: Duration = Duration::from_secs(180);
const START: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "current_thread")]
async fn sample_then_gitlab_overview_tables_and_table_page() {
    let _serial = serial().await;
    let gitlab = shared_dir().join("corpus/gitlab/structure.sql");
    assert!(gitlab.is_file(), "missing {}", gitlab.display());
    let app = App::open().await;

    // The embedded sample loads on first visit.
    app.wait_loaded("saas.sql", START).await;
    app.wait_for("[data-count=tables] .num", START).await;
    let sample_tables = app.count("tables").await;
    let sample_statements = app.count("statements").await;
    println!("sample: {sample_tables} tables, {sample_statements} statements");
    assert!(sample_statements > 0, "the sample loaded no statement");
    app.screenshot("01-overview-sample").await;

    // The sample has policies: the policy list links to a table page that shows them.
    app.goto_hash("#/policies").await;
    let link = app.wait_for("#policy-list .vrow a", START).await;
    link.click().await.unwrap();
    app.wait_for("#columns", START).await;
    app.wait_for("#table-source .src-line", START).await;
    app.screenshot("01b-table-with-policies").await;
    // Unmodelled statements: a row's location shows its source lines.
    app.goto_hash("#/unmodelled").await;
    app.wait_for(".page h1", START).await;
    if app.js("!!document.querySelector('#unmodelled-list .vrow button')").await == serde_json::json!(true) {
        app.client.find(fantoccini::Locator::Css("#unmodelled-list .vrow button")).await.unwrap().click().await.unwrap();
        app.wait_for(".source .src-line", START).await;
    }
    app.screenshot("01c-unmodelled-sample").await;
    app.goto_hash("#/").await;
    app.wait_for("[data-count=tables] .num", START).await;

    // Long tasks on the UI thread while the GitLab dump loads are recorded and printed (a figure
    // for the record, not an assertion: timings do not belong in tests).
    app.js(
        "(window.__longTasks = [], new PerformanceObserver(l => l.getEntries().forEach(e => window.__longTasks.push(e.duration))).observe({type: 'longtask', buffered: false}), true)",
    )
    .await;

    // Upload the GitLab dump through the file input; the progress bar shows while it loads.
    let t0 = std::time::Instant::now();
    app.upload(&[gitlab]).await;
    // Usually the progress bar is still up here; a screenshot shows it.
    if app.js("!!document.querySelector('#progress')").await == serde_json::json!(true) {
        app.screenshot("02a-loading").await;
    }
    app.wait_loaded("structure.sql", LOAD).await;
    println!("gitlab structure.sql loaded and rendered in {:.2?}", t0.elapsed());
    let long_tasks = app.js("window.__longTasks").await;
    println!("gitlab structure.sql: UI-thread long tasks (ms) during the load: {long_tasks}");
    let tables = app.count("tables").await;
    let statements = app.count("statements").await;
    println!("gitlab structure.sql: {tables} tables, {statements} statements");
    assert!(statements > 1000, "gitlab: only {statements} statements");
    assert_eq!(tables, EXPECTED_GITLAB_TABLES, "gitlab table count (PostgreSQL 15 reports 1,401 after restoring it)");
    let nav_count = app.text("a[href='#/tables'] .nav-count").await;
    assert_eq!(nav_count.trim(), tables.to_string(), "nav count agrees with the overview");
    app.screenshot("02-overview-gitlab").await;

    // Tables: virtualized (only a screenful of rows exists) and searchable.
    app.goto_hash("#/tables").await;
    app.wait_for("#table-list .vrow", START).await;
    let rows = app.js("document.querySelectorAll('#table-list .vrow').length").await.as_u64().unwrap();
    println!("tables list: {rows} rows in the DOM for {tables} tables");
    assert!(rows > 0 && rows < 120, "{rows} rows rendered: the list is not virtualized");
    app.screenshot("03-tables").await;
    // Scroll to the middle; rows there render.
    app.js("(() => { const s = document.querySelector('#table-list'); s.scrollTop = s.scrollHeight / 2; s.dispatchEvent(new Event('scroll')); return true })()").await;
    app.wait_js(
        "rows in the middle",
        &format!(
            "[...document.querySelectorAll('#table-list .vrow')].some(r => parseFloat(r.style.top) > {})",
            (tables as f64 * 30.0 / 2.0 - 2000.0).max(0.0)
        ),
        START,
    )
    .await;
    app.screenshot("04-tables-scrolled").await;
    // Search narrows the list.
    let search = app.client.find(fantoccini::Locator::Css("#table-search")).await.unwrap();
    search.send_keys("merge_request").await.unwrap();
    app.wait_js("a filtered count", "(() => { const m = document.querySelector('#table-count').textContent.match(/^(\\d+) of (\\d+)/); return !!m && +m[1] < +m[2]; })()", START).await;
    println!("search: {}", app.text("#table-count").await);
    app.screenshot("05-tables-search").await;

    // A table page: columns, source lines.
    let first = app.wait_for("#table-list .vrow a", START).await;
    let key = first.text().await.unwrap();
    first.click().await.unwrap();
    app.wait_for("#columns", START).await;
    app.wait_for("#table-source .src-line", START).await;
    let h1 = app.text("h1").await;
    assert_eq!(h1.trim(), key.trim());
    let cols = app.js("document.querySelectorAll('#columns tbody tr').length").await.as_u64().unwrap();
    println!("table {key}: {cols} columns");
    assert!(cols > 0, "table {key} shows no column");
    app.screenshot("06-table").await;

    // The other lists render (possibly empty) without breaking the page.
    for (hash, name) in [
        ("#/policies", "07-policies"),
        ("#/functions", "08-functions"),
        ("#/views", "09-views"),
        ("#/extensions", "10-extensions"),
        ("#/unmodelled", "11-unmodelled"),
        ("#/diagnostics", "12-diagnostics"),
    ] {
        app.goto_hash(hash).await;
        app.wait_for(".page h1", START).await;
        app.screenshot(name).await;
    }
    app.finish().await;
}

/// A tiny PNG: not SQL at all.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63,
    0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60,
    0x82,
];

#[tokio::test(flavor = "current_thread")]
async fn bad_inputs_show_diagnostics_and_the_page_survives() {
    let _serial = serial().await;
    let dir = out_dir().join("inputs");
    std::fs::create_dir_all(&dir).unwrap();
    let png = dir.join("picture.png");
    std::fs::write(&png, PNG).unwrap();
    // A dump cut inside a dollar-quoted function body.
    let sample = std::fs::read_to_string(workspace_root().join("fixtures/dumps/saas.sql")).unwrap();
    let cut = sample.find("AS $$").map(|i| i + 12).unwrap_or(sample.len() / 2);
    let truncated = dir.join("truncated.sql");
    std::fs::write(&truncated, &sample[..cut]).unwrap();

    let app = App::open().await;
    app.wait_loaded("saas.sql", START).await;
    app.upload(&[png, truncated]).await;
    app.wait_loaded("truncated.sql", LOAD).await;
    let files = app.text("#loaded-files").await;
    assert!(files.contains("picture.png") && files.contains("truncated.sql"), "both files in one snapshot: {files}");

    app.wait_for("#diagnostics-panel tbody tr", START).await;
    let locations: Vec<String> =
        serde_json::from_value(app.js("[...document.querySelectorAll('#diagnostics-panel .diag-loc')].map(e => e.textContent)").await)
            .unwrap();
    println!("diagnostics: {locations:?}");
    let well_formed = |l: &str| {
        let mut it = l.rsplitn(3, ':');
        let col = it.next().and_then(|c| c.parse::<u32>().ok());
        let line = it.next().and_then(|c| c.parse::<u32>().ok());
        let file = it.next().unwrap_or("");
        col.is_some() && line.is_some() && !file.is_empty()
    };
    assert!(locations.iter().all(|l| well_formed(l)), "file:line:column everywhere: {locations:?}");
    assert!(locations.iter().any(|l| l.starts_with("picture.png:")), "a diagnostic for the PNG: {locations:?}");
    assert!(locations.iter().any(|l| l.starts_with("truncated.sql:")), "a diagnostic for the truncated dump: {locations:?}");
    app.screenshot("20-bad-input-overview").await;

    // The page is alive: navigation and the diagnostics page with its source view work.
    app.goto_hash("#/diagnostics").await;
    let first = app.wait_for("#diagnostics-list .vrow button", START).await;
    first.click().await.unwrap();
    app.wait_for(".source", START).await;
    app.screenshot("21-bad-input-diagnostics").await;
    app.goto_hash("#/tables").await;
    app.wait_for(".page h1", START).await;
    assert_eq!(app.js("1 + 1").await, serde_json::json!(2));
    app.finish().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_dead_worker_is_reported_and_replaced() {
    let _serial = serial().await;
    let app = App::open().await;
    app.wait_loaded("saas.sql", START).await;
    let before = app.count("statements").await;

    // Cancel: the load stops, the previous snapshot stays, the page keeps working.
    // Three copies of GitLab's dump (written under target/, never committed) make a load long
    // enough to cancel on a fast machine.
    let gitlab = shared_dir().join("corpus/gitlab/structure.sql");
    let copies: Vec<_> = (1..=3)
        .map(|i| {
            let p = out_dir().join(format!("inputs/structure-{i}.sql"));
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::copy(&gitlab, &p).unwrap();
            p
        })
        .collect();
    app.upload(&copies).await;
    match app.client.wait().at_most(Duration::from_secs(5)).for_element(fantoccini::Locator::Css("#cancel")).await {
        Ok(cancel) => {
            app.screenshot("31-loading-before-cancel").await;
            match cancel.click().await {
                Ok(()) => {
                    app.wait_js("the progress bar to go", "!document.querySelector('#progress')", START).await;
                    let files = app.text("#loaded-files").await;
                    assert!(files.contains("saas.sql"), "the previous snapshot is kept after cancel: {files}");
                    assert_eq!(app.count("statements").await, before);
                }
                // The load finished between finding Cancel and clicking it (the button is gone).
                Err(e) => {
                    println!("load finished before Cancel could be clicked ({e})");
                    app.wait_loaded("structure-1.sql", LOAD).await;
                }
            }
        }
        // The load finished before we could click: then it must have replaced the snapshot.
        Err(_) => {
            println!("load finished before Cancel could be clicked");
            app.wait_loaded("structure-1.sql", LOAD).await;
        }
    }
    let before = app.count("statements").await;
    // Test hook: the worker panics (a wasm trap), which the page must notice.
    app.goto_hash("#/debug/crash-worker").await;
    let banner = app.wait_for("#error-banner", START).await;
    let msg = banner.text().await.unwrap();
    println!("banner: {msg}");
    assert!(msg.contains("worker stopped unexpectedly"), "{msg}");
    app.screenshot("30-dead-worker").await;
    // The snapshot is kept and a new worker loads files again.
    assert_eq!(app.count("statements").await, before);
    // The new worker was given the snapshot again: the health checks (run in the worker) answer.
    app.goto_hash("#/checks").await;
    app.wait_for("#findings li.finding", LOAD).await;
    app.goto_hash("#/").await;
    let again = out_dir().join("inputs/again.sql");
    std::fs::create_dir_all(again.parent().unwrap()).unwrap();
    std::fs::write(&again, "CREATE TABLE public.t (id integer NOT NULL);\n").unwrap();
    app.upload(&[again]).await;
    app.wait_loaded("again.sql", LOAD).await;
    assert_eq!(app.count("statements").await, 1);
    assert_eq!(app.js("!!document.querySelector('#error-banner')").await, serde_json::json!(false));
    app.finish().await;
}

/// A genuine Supabase pg_dump: its policies are listed with their expressions, and a table page
/// shows the policies, grants and source lines.
#[tokio::test(flavor = "current_thread")]
async fn supabase_dump_policies_and_table_page() {
    let _serial = serial().await;
    let devhunt = shared_dir().join("corpus/supabase/devhunt/dump_2023-10-02.sql");
    assert!(devhunt.is_file(), "missing {}", devhunt.display());
    let app = App::open().await;
    app.wait_loaded("saas.sql", START).await;
    app.upload(&[devhunt]).await;
    app.wait_loaded("dump_2023-10-02.sql", LOAD).await;
    assert_eq!(app.count("tables").await, 26);
    assert_eq!(app.count("policies").await, 25);
    app.screenshot("40-overview-devhunt").await;
    app.goto_hash("#/policies").await;
    app.wait_for("#policy-list .vrow a", START).await;
    app.screenshot("41-policies-devhunt").await;
    let list = app.text("#policy-list").await;
    assert!(list.contains("auth.uid()"), "policy expressions are shown: {list}");
    app.goto_hash("#/table/public.products").await;
    app.wait_for("#columns", START).await;
    app.wait_for("#table-source .src-line", START).await;
    app.screenshot("42-table-devhunt").await;
    app.finish().await;
}
