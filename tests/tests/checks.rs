//! End-to-end: the Checks page on a genuine Supabase dump. The worker runs the checks after the
//! load; the page shows the P0 count `pglens check` gives for the same file, a finding links to its
//! table's page, and editing the assumptions on the access page reruns the checks.

use e2e::*;
use std::time::Duration;

const LOAD: Duration = Duration::from_secs(180);
const START: Duration = Duration::from_secs(60);

/// P0 findings of `pglens check` on devhunt's dump (13: five SECURITY DEFINER functions without a
/// pinned search_path and eight views that read RLS tables with their owner's rights); the CLI
/// test of the same file pins the same number, so the two cannot drift apart unnoticed.
const DEVHUNT_P0: u64 = 13;

#[tokio::test(flavor = "current_thread")]
async fn devhunt_checks_page_counts_links_and_follows_the_assumptions() {
    let _serial = serial().await;
    let app = App::open_corpus("supabase/devhunt/dump_2023-10-02.sql", &[], LOAD).await;
    app.goto_hash("#/checks").await;
    app.wait_for("#findings li.finding", LOAD).await;
    let p0: u64 = app.text("#count-p0 .num").await.trim().parse().expect("a number");
    assert_eq!(p0, DEVHUNT_P0, "P0 count on the Checks page");

    // Filter to P0 through the hash, as a shared link would.
    app.goto_hash("#/checks?p=P0&rule=security_definer_view").await;
    let shown = app
        .wait_js("eight security_definer_view findings", "(() => { const n = document.querySelectorAll('#findings li.finding').length; return n === 8 ? n : null; })()", START)
        .await;
    assert_eq!(shown, 8);
    let first = app.text("#findings li.finding .object").await;
    assert!(first.starts_with("public."), "{first}");
    app.screenshot("60-checks-devhunt").await;

    // A finding on a table links to the table's page.
    app.goto_hash("#/checks?rule=rls_policy_always_true").await;
    let link = app.wait_for("#findings li.finding a.object", START).await;
    let table = link.text().await.unwrap();
    link.click().await.unwrap();
    let hash = app.wait_js("the table page", "location.hash.startsWith('#/table/') ? location.hash : null", START).await;
    assert!(hash.as_str().unwrap().contains(&e2e_encode(table.split('/').next().unwrap())), "{hash} for {table}");
    app.wait_for("h1", START).await;

    // Editing the assumptions reruns the checks in the worker: under the "plain" preset there are
    // no API roles, so the findings that rest on them go.
    app.goto_hash("#/checks").await;
    app.wait_for("#findings li.finding", START).await;
    let total = "(() => { const h = document.querySelector('.checks .hint'); return h && !document.querySelector('#checks-running') ? h.textContent : null; })()";
    let before = app.wait_js("the findings summary", total, START).await;
    assert!(before.as_str().unwrap().contains("“supabase”"), "{before}");
    app.goto_hash("#/access").await;
    app.wait_for("#assumptions-preset", LOAD).await;
    app.js("(() => { const s = document.querySelector('#assumptions-preset'); s.value = 'plain'; s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()").await;
    app.goto_hash("#/checks").await;
    let after = app
        .wait_js(
            "findings under the plain preset",
            "(() => { const h = document.querySelector('.checks .hint'); return h && !document.querySelector('#checks-running') && h.textContent.includes('“plain”') ? h.textContent : null; })()",
            LOAD,
        )
        .await;
    let count = |v: &serde_json::Value| -> u64 { v.as_str().unwrap().split_whitespace().next().unwrap().parse().unwrap() };
    assert!(count(&after) < count(&before), "fewer findings without the API roles: {before} → {after}");
    app.finish().await;
}

/// `schema.table` as the app percent-encodes it in `#/table/...`.
fn e2e_encode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
