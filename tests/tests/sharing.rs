//! End-to-end: pglens published as a static site under a sub-path, with two dumps beside it.
//! `?snapshot=..&compare=..` opens them (from the page's own origin only) on the Drift page;
//! Share copies a link that, opened in a new browser session, shows the same files and view.

use e2e::*;
use serde_json::json;
use std::time::Duration;

const START: Duration = Duration::from_secs(60);
const LOAD: Duration = Duration::from_secs(180);

#[tokio::test(flavor = "current_thread")]
async fn a_link_opens_dumps_beside_the_app_and_share_reopens_the_view() {
    let _serial = serial().await;
    let server = StaticServer::start_mounted(vec![
        ("/reports/pglens/dumps/".into(), workspace_root().join("fixtures/dumps")),
        ("/reports/pglens/".into(), dist_dir()),
    ]);
    let app = App::open_served(server, "reports/pglens/?snapshot=dumps/saas.sql&compare=dumps/saas_staging.sql", &[]).await;
    app.wait_js("the Drift page", "location.hash.startsWith('#/drift')", START).await;
    app.wait_loaded("saas.sql", LOAD).await;
    assert_eq!(app.text("#loaded-files").await, "saas.sql", "the linked file, not the sample");
    app.wait_js("B loaded", "(document.querySelector('#compare-files')||{}).textContent.includes('saas_staging.sql')", LOAD).await;
    app.wait_js("the drift counts", "(document.querySelector('#drift-count-p0 .num')||{}).textContent === '4'", LOAD).await;

    // Open a P0 entry, then share.
    app.goto_hash("#/drift?p=P0").await;
    app.wait_js("four P0 entries", "document.querySelectorAll('li.drift-entry').length === 4", START).await;
    app.js("(document.querySelector('li.drift-entry button').click(), true)").await;
    app.wait_for("#drift-entry", START).await;
    let entry = app.js("document.querySelector('#drift-entry').dataset.entry").await;
    let hash = app.js("location.hash").await.as_str().unwrap().to_string();
    assert!(hash.contains("entry="), "{hash}");
    app.js("(document.querySelector('#share').click(), true)").await;
    let link = app.wait_js("the share link", "(document.querySelector('#share-link')||{}).value", START).await;
    let link = link.as_str().unwrap().to_string();
    assert_eq!(link, format!("{}reports/pglens/?snapshot=dumps/saas.sql&compare=dumps/saas_staging.sql{hash}", app.base));
    assert!(app.text("#share-panel").await.contains("reopens these files"));
    app.screenshot("73-share-panel").await;

    // A new session (nothing shared but the server) on that link: same files, same entry.
    let other = app.another(&link).await;
    other.wait_loaded("saas.sql", LOAD).await;
    other.wait_js("B loaded", "(document.querySelector('#compare-files')||{}).textContent.includes('saas_staging.sql')", LOAD).await;
    other.wait_for("#drift-entry", LOAD).await;
    assert_eq!(other.js("document.querySelector('#drift-entry').dataset.entry").await, entry);
    assert_eq!(other.js("location.hash").await, json!(hash));
    assert_eq!(other.js("document.querySelectorAll('li.drift-entry').length").await, json!(4));
    other.screenshot("74-share-reopened").await;
    other.finish().await;

    // Another origin is refused before anything is fetched; the sample does not load either.
    let refused = app.another(&format!("{}reports/pglens/?snapshot=http://example.invalid/prod.sql", app.base)).await;
    let banner = refused.wait_js("the refusal", "(document.querySelector('#error-banner')||{}).textContent", START).await;
    assert!(banner.as_str().unwrap().contains("Refused “http://example.invalid/prod.sql”"), "{banner}");
    assert_eq!(refused.text("#loaded-files").await, "");
    let requests =
        refused.js("performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith(location.origin))").await;
    assert_eq!(requests, json!([]));
    refused.finish().await;

    // A missing file says which and why.
    let missing = app.another(&format!("{}reports/pglens/?snapshot=dumps/nope.sql", app.base)).await;
    let banner = missing.wait_js("the 404", "(document.querySelector('#error-banner')||{}).textContent", START).await;
    assert!(banner.as_str().unwrap().contains("Could not fetch dumps/nope.sql: 404"), "{banner}");
    missing.finish().await;
    app.finish().await;
}
