//! End-to-end: the app's "Report" button saves the same bytes as `pglens report` on the same
//! files and assumptions; the saved file, opened from file:// in a browser without any network,
//! shows the findings and loads nothing; hostile names stay text in the app and in the report;
//! and a whole analysis asks nothing of any other origin.

use e2e::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const START: Duration = Duration::from_secs(60);
const LOAD: Duration = Duration::from_secs(180);

fn dumps() -> PathBuf {
    workspace_root().join("fixtures/dumps")
}

fn path_arg(p: &Path) -> String {
    p.canonicalize().unwrap_or_else(|e| panic!("{}: {e}", p.display())).display().to_string()
}

/// Clicks Report once the health checks are in, and returns the saved file's text (the `n`th
/// download of the page).
async fn download_report(app: &App, n: usize) -> String {
    app.capture_downloads().await;
    app.wait_js("the Report button", "(b => b && !b.disabled)(document.querySelector('#download-report'))", LOAD).await;
    app.js("(document.querySelector('#download-report').click(), true)").await;
    let (mime, html) = app.downloaded(n, true).await;
    assert_eq!(mime, "text/html");
    html.as_str().expect("the report's text").to_string()
}

/// Writes `text` under target/e2e and returns its file:// URL.
fn save(name: &str, text: &str) -> (PathBuf, String) {
    let path = out_dir().join(name);
    std::fs::write(&path, text).expect("write the report");
    let url = format!("file://{}", path.display());
    (path, url)
}

/// Opens a saved report in a new browser that has no network (every request, loopback included,
/// goes to a recorder that answers 502), and checks it shows `findings` and loads nothing.
async fn open_offline(url: &str, findings: u64, shot: &str) -> App {
    let net = Recorder::start();
    let args = net.proxy_args(true);
    let report = App::open_url(url, &args.iter().map(String::as_str).collect::<Vec<_>>()).await;
    report.wait_for("#findings", START).await;
    let shown = report.js("document.querySelectorAll('#findings table.f tbody tr').length").await;
    assert_eq!(shown, json!(findings), "every finding is listed");
    assert_eq!(report.js("document.scripts.length").await, json!(0));
    assert_eq!(report.js("performance.getEntriesByType('resource').length").await, json!(0), "the report loads nothing");
    report.screenshot(shot).await;
    assert_eq!(net.seen(), Vec::<String>::new(), "no request left the browser");
    report
}

#[tokio::test(flavor = "current_thread")]
async fn the_report_button_saves_what_pglens_report_writes() {
    let _serial = serial().await;
    let server = StaticServer::start_mounted(vec![("/dumps/".into(), dumps()), ("/".into(), dist_dir())]);
    let app = App::open_served(server, "?snapshot=dumps/saas.sql&compare=dumps/saas_staging.sql", &[]).await;
    app.wait_loaded("saas.sql", LOAD).await;
    app.wait_js("B loaded", "(document.querySelector('#compare-files')||{}).textContent.includes('saas_staging.sql')", LOAD).await;
    let (a, b) = (path_arg(&dumps().join("saas.sql")), path_arg(&dumps().join("saas_staging.sql")));

    // The preset the snapshot suggests, no config: the same bytes.
    let html = download_report(&app, 0).await;
    let cli = String::from_utf8(run_cli(&["report", &a, "--compare", &b])).expect("UTF-8");
    assert!(html == cli, "the app's report differs from `pglens report` ({} vs {} bytes)", html.len(), cli.len());
    assert!(html.contains("id=\"drift\"") && html.contains("saas_staging.sql"));
    let ms = app.js("document.querySelector('#download-report').dataset.ms").await;
    println!("saas + compare report: {} bytes in {ms} ms", html.len());

    // Edited assumptions: the Access page's pglens.toml gives the CLI the same report.
    app.goto_hash("#/access").await;
    app.wait_for("#assumptions-preset", START).await;
    app.js("(d => (d.open = true, true))(document.querySelector('#assumptions'))").await;
    app.js("(s => (s.value = 'plain', s.dispatchEvent(new Event('change')), true))(document.querySelector('#assumptions-preset'))").await;
    let toml = app
        .wait_js(
            "the plain preset's toml",
            "(t => t.includes('preset = \"plain\"') && t)(document.querySelector('#assumptions-toml').textContent)",
            START,
        )
        .await;
    let (config, _) = save("report-plain.toml", toml.as_str().unwrap());
    let plain = download_report(&app, 1).await;
    assert_ne!(plain, html, "the assumptions change the report");
    let cli = String::from_utf8(run_cli(&["report", &a, "--compare", &b, "--config", &path_arg(&config)])).expect("UTF-8");
    assert!(plain == cli, "with --config: the app's report differs from `pglens report`");

    // Opened from disk with no network: the findings the Checks page counts are there.
    app.js("(s => (s.value = 'supabase', s.dispatchEvent(new Event('change')), true))(document.querySelector('#assumptions-preset'))")
        .await;
    let listed = findings_listed(&app).await;
    let (_, url) = save("report-saas.html", &html);
    let report = open_offline(&url, listed, "78-report-offline").await;
    assert!(report.text("#summary").await.contains("P0"));
    report.finish().await;
    app.finish().await;
}

/// The findings the Checks page counts: the report lists each of them (it would cut a priority
/// at 2,000, `report::html::MAX_FINDINGS`, which none of these inputs reaches).
async fn findings_listed(app: &App) -> u64 {
    app.goto_hash("#/checks").await;
    app.wait_for("#count-p2", LOAD).await;
    let mut listed = 0;
    for p in ["p0", "p1", "p2"] {
        let n: u64 = app.text(&format!("#count-{p} .num")).await.trim().parse().expect("a number");
        assert!(n <= 2_000, "{n} {p} findings: the report lists 2,000 of them");
        listed += n;
    }
    listed
}

#[tokio::test(flavor = "current_thread")]
async fn gitlab_report_from_the_app_equals_the_cli_and_its_cost() {
    let _serial = serial().await;
    let path = shared_dir().join("corpus/gitlab/structure.sql");
    let app = App::open().await;
    app.wait_loaded("(sample)", START).await;
    let t0 = Instant::now();
    app.upload(std::slice::from_ref(&path)).await;
    app.wait_loaded("structure.sql", LOAD).await;
    let load_ms = t0.elapsed().as_secs_f64() * 1000.0;
    let html = download_report(&app, 0).await;
    let ms: f64 = app.js("document.querySelector('#download-report').dataset.ms").await.as_str().unwrap().parse().unwrap();
    let cli = String::from_utf8(run_cli(&["report", &path_arg(&path)])).expect("UTF-8");
    assert!(html == cli, "GitLab: the app's report differs from `pglens report` ({} vs {} bytes)", html.len(), cli.len());
    println!(
        "GitLab report: {} bytes ({:.0} KB), made on the page thread in {ms:.0} ms = {:.2} x the load in the tab ({load_ms:.0} ms)",
        html.len(),
        html.len() as f64 / 1024.0,
        ms / load_ms
    );
    let (_, url) = save("report-gitlab.html", &html);
    let report = open_offline(&url, findings_listed(&app).await, "79-report-gitlab-offline").await;
    report.finish().await;
    app.finish().await;
}

/// Records dialogs and CSP violations from now on (a script that ran would open a dialog; markup
/// that slipped through would trip the policy).
async fn watch(app: &App) {
    app.js("(() => { window.__dialogs = []; window.__violations = []; \
         for (const f of ['alert', 'confirm', 'prompt']) window[f] = m => { window.__dialogs.push(f + ': ' + m); }; \
         document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI)); \
         window.__scripts = document.scripts.length; return true; })()")
        .await;
}

/// What on the page would be live markup from the dump: event-handler attributes, javascript:
/// URLs, elements the app never writes, new scripts, dialogs, policy violations.
async fn live_markup(app: &App) -> Value {
    app.js(
        "(() => { const bad = []; \
         for (const el of document.querySelectorAll('*')) { \
           if (['IMG', 'MARQUEE', 'IFRAME', 'OBJECT', 'EMBED', 'U', 'I'].includes(el.tagName.toUpperCase())) bad.push('<' + el.tagName + '>'); \
           for (const a of el.attributes) { \
             if (/^on/i.test(a.name)) bad.push(el.tagName + ' ' + a.name); \
             if (/javascript:/i.test(a.value) && /href|src|action/i.test(a.name)) bad.push(el.tagName + ' ' + a.name + '=' + a.value); } } \
         if (document.scripts.length !== window.__scripts) bad.push(document.scripts.length + ' scripts'); \
         return bad.concat(window.__dialogs, window.__violations); })()",
    )
    .await
}

async fn visit(app: &App, hash: &str, css: &str, literal: &[&str]) {
    app.goto_hash(hash).await;
    shows(app, hash, css, literal).await;
}

/// Waits for `css`, then for each `literal` text on the page (or in the diagram), and checks
/// that nothing from the dump became markup.
async fn shows(app: &App, hash: &str, css: &str, literal: &[&str]) {
    app.wait_for(css, LOAD).await;
    for text in literal {
        let t = serde_json::to_string(text).unwrap();
        app.wait_js(&format!("{text} shown on {hash}"), &format!("document.body.innerText.includes({t}) || document.querySelector('svg') && [...document.querySelectorAll('svg text')].some(e => e.textContent.includes({t}))"), START).await;
    }
    assert_eq!(live_markup(app).await, json!([]), "live markup on {hash}");
}

#[tokio::test(flavor = "current_thread")]
async fn hostile_names_stay_text_in_the_app_and_the_report() {
    let _serial = serial().await;
    let app = App::open().await;
    app.wait_loaded("(sample)", START).await;
    watch(&app).await;
    app.upload(&[dumps().join("hostile.sql")]).await;
    app.wait_loaded("hostile.sql", LOAD).await;

    let table = "<img src=x onerror=alert('table')>";
    let schema = "<script>alert('schema')</script>";
    visit(&app, "#/", "[data-count=tables]", &[]).await;
    visit(&app, "#/tables", "#table-list", &[table, "Robert'); DROP TABLE students;--"]).await;
    // Every table's page, with its policies, expressions and index coverage.
    let pages = app.js("[...document.querySelectorAll('a[href^=\"#/table/\"]')].map(a => a.getAttribute('href'))").await;
    let pages: Vec<String> = pages.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    assert!(pages.len() >= 3, "{pages:?}");
    for page in &pages {
        visit(&app, page, "#index-coverage", &[]).await;
    }
    let key = format!(
        "#/table/{}",
        pages.iter().find(|p| p.contains("onerror")).expect("the hostile table's page").trim_start_matches("#/table/")
    );
    visit(&app, &key, "#index-coverage", &[table, "<script>alert('policy')</script>", "'</style><script>alert(1)</script>'"]).await;
    visit(&app, "#/functions", "main", &["<b>fn</b>"]).await;
    visit(&app, "#/views", "main", &["<marquee>view</marquee>"]).await;
    visit(&app, "#/policies", "main", &["\"><img src=x onerror=alert('p2')>"]).await;
    visit(&app, "#/checks", "main", &[schema]).await;
    visit(&app, "#/access", "#assumptions", &[table]).await;
    visit(&app, "#/erd", "#erd-svg", &[table]).await;
    app.screenshot("75-hostile-erd").await;
    visit(&app, "#/unmodelled", "main", &[]).await;
    visit(&app, "#/diagnostics", "main", &[]).await;

    // Drift against the saas fixture: every hostile object is a removal with its fix.
    app.goto_hash("#/drift").await;
    let input = app.wait_for("#drift-file-input", START).await;
    input.send_keys(&path_arg(&dumps().join("saas.sql"))).await.unwrap();
    app.wait_for("#drift-count-p0", LOAD).await;
    app.goto_hash("#/drift?q=onerror").await;
    app.wait_for("li.drift-entry button", START).await;
    app.js("(document.querySelector('li.drift-entry button').click(), true)").await;
    shows(&app, "a drift entry", "#drift-entry", &[table, "CREATE TABLE"]).await;

    // The report: the same text, escaped, and inert when opened.
    let html = download_report(&app, 0).await;
    assert!(
        html.contains("&lt;img src=x onerror=alert(&apos;table&apos;)&gt;") || html.contains("&lt;img src=x onerror=alert('table')&gt;")
    );
    assert!(!html.contains(table) && !html.contains(schema), "a raw hostile name in the report");
    assert_eq!(live_markup(&app).await, json!([]), "after the report");
    let (_, url) = save("report-hostile.html", &html);
    let report = open_offline(&url, findings_listed(&app).await, "72-report-hostile").await;
    let text = report.js("document.body.innerText").await;
    let text = text.as_str().unwrap();
    for literal in [table, schema, "<b>fn</b>", "'</style><script>alert(1)</script>'"] {
        assert!(text.contains(literal), "the report shows {literal} as text");
    }
    let tags = report.js("[...new Set([...document.querySelectorAll('*')].map(e => e.tagName.toLowerCase()))].sort()").await;
    for tag in ["img", "script", "marquee", "svg", "u", "i", "iframe"] {
        assert!(!tags.as_array().unwrap().contains(&json!(tag)), "<{tag}> in the report: {tags}");
    }
    report.finish().await;
    app.finish().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_whole_analysis_asks_nothing_of_another_origin() {
    let _serial = serial().await;
    let net = Recorder::start();
    let args = net.proxy_args(false);
    let server = StaticServer::start_mounted(vec![("/dumps/".into(), dumps()), ("/".into(), dist_dir())]);
    let app = App::open_served(
        server,
        "?snapshot=dumps/saas.sql&compare=dumps/saas_staging.sql",
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
    )
    .await;
    app.wait_loaded("saas.sql", LOAD).await;
    app.wait_js("B loaded", "(document.querySelector('#compare-files')||{}).textContent.includes('saas_staging.sql')", LOAD).await;
    watch(&app).await;
    app.capture_downloads().await;
    // Every page, the diagram and its exports, the report, a share link.
    for (hash, css) in [
        ("#/", "[data-count=tables]"),
        ("#/tables", "main"),
        ("#/table/public.tasks", "#index-coverage"),
        ("#/policies", "main"),
        ("#/access", "#assumptions"),
        ("#/checks", "main"),
        ("#/drift?p=P0", "li.drift-entry"),
        ("#/erd", "#erd-svg"),
        ("#/functions", "main"),
        ("#/views", "main"),
        ("#/extensions", "main"),
        ("#/unmodelled", "main"),
        ("#/diagnostics", "main"),
    ] {
        app.goto_hash(hash).await;
        app.wait_for(css, LOAD).await;
    }
    app.goto_hash("#/erd?focus=public.tasks&hops=2").await;
    app.wait_js(
        "the diagram",
        "document.querySelector('#erd-stats')?.dataset.ready === 'true' && document.querySelectorAll('#erd-svg g.erd-box').length > 0",
        LOAD,
    )
    .await;
    for button in ["#erd-export-svg", "#erd-export-png", "#download-report", "#share"] {
        app.wait_js(button, &format!("(b => b && !b.disabled)(document.querySelector('{button}'))"), LOAD).await;
        app.js(&format!("(document.querySelector('{button}').click(), true)")).await;
    }
    app.wait_js("three downloads", "(window.__blobs || []).length >= 3", START).await;
    let foreign = app.js("performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin))").await;
    assert_eq!(foreign, json!([]), "the page fetched from another origin");
    assert_eq!(live_markup(&app).await, json!([]));
    assert_eq!(net.seen(), Vec::<String>::new(), "requests to other origins during the analysis");

    // The policy refuses what the app never does: a fetch to another origin fails before the network.
    let refused = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; fetch('http://pglens-probe.example/x').then(() => done('fetched'), e => done('refused: ' + e.name));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(refused, json!("refused: TypeError"));
    app.wait_js("the CSP report", "window.__violations.some(v => v.startsWith('connect-src'))", START).await;
    assert_eq!(net.seen(), Vec::<String>::new(), "the CSP stopped the fetch before the network");
    // The recorder does see what does leave: a top-level navigation (no CSP governs it).
    let _ = app.client.goto("http://pglens-probe.example/").await;
    let seen = net.seen();
    assert!(seen.iter().any(|l| l.contains("pglens-probe.example")), "the recorder missed a navigation: {seen:?}");
    app.finish().await;
}
