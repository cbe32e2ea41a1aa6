//! End-to-end: the Drift page on the fixtures' drift pair (`saas.sql` as prod, A;
//! `saas_staging.sql` as staging, B). The counts are the ones fixtures/src/saas_staging.sql lists
//! (P0: RLS off on invitations and changelog_entries, a widened USING on a projects policy, INSERT
//! granted to anon on changelog_entries; three P1, three P2). An entry opens with its side-by-side
//! view, a link reopens it, swapping A and B turns the RLS entries into P1, and files dropped on
//! the page load as B while elsewhere they replace the main snapshot.

use e2e::*;
use fantoccini::Locator;
use serde_json::json;
use std::time::Duration;

const LOAD: Duration = Duration::from_secs(180);
const START: Duration = Duration::from_secs(60);

/// Waits until the top bar names exactly `names` (the main snapshot) and no load is running.
async fn wait_main(app: &App, names: &str) {
    let n = serde_json::to_string(names).unwrap();
    app.wait_js(
        &format!("main snapshot {names}"),
        &format!("!document.querySelector('#progress') && ((document.querySelector('#loaded-files')||{{}}).textContent||'') === {n}"),
        LOAD,
    )
    .await;
}

async fn count(app: &App, p: &str) -> u64 {
    let t = app.text(&format!("#drift-count-{p} .num")).await;
    t.trim().parse().unwrap_or_else(|_| panic!("drift count {p} shows {t:?}"))
}

/// The selector of the list entry of `kind` on `key`.
fn entry(kind: &str, key: &str) -> String {
    format!("li.drift-entry button[data-kind={kind:?}][data-key={key:?}]")
}

/// Types into an input as a user would (fires `input` events).
async fn type_into(app: &App, css: &str, text: &str) {
    app.wait_for(css, START).await.send_keys(text).await.expect("type");
}

/// Drops a file made of `text` on the page, as dragging it from the desktop would.
async fn drop_file(app: &App, name: &str, text: &str) {
    let (name, text) = (serde_json::to_string(name).unwrap(), serde_json::to_string(text).unwrap());
    app.js(&format!(
        "(() => {{ const dt = new DataTransfer(); dt.items.add(new File([{text}], {name}, {{type: 'application/sql'}})); \
         document.querySelector('.app').dispatchEvent(new DragEvent('drop', {{dataTransfer: dt, bubbles: true, cancelable: true}})); return true; }})()"
    ))
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn saas_drift_counts_side_by_side_deep_link_and_swap() {
    let _serial = serial().await;
    let fixtures = workspace_root().join("fixtures/dumps");
    let app = App::open().await;
    app.wait_loaded("saas.sql", START).await;
    app.upload(&[fixtures.join("saas.sql")]).await;
    wait_main(&app, "saas.sql").await;

    // Without a second snapshot the page explains itself and offers to load B.
    app.goto_hash("#/drift").await;
    app.wait_for("#drift-dropzone #drift-file-input", START).await;
    let zone = app.text("#drift-dropzone").await;
    assert!(zone.contains("Load snapshot B to compare with saas.sql"), "{zone}");
    let input = app.client.find(Locator::Css("#drift-file-input")).await.unwrap();
    input.send_keys(&fixtures.join("saas_staging.sql").canonicalize().unwrap().display().to_string()).await.unwrap();
    app.wait_for("#drift-count-p0", LOAD).await;
    // B went to the compare slot: the main snapshot is still saas.sql.
    assert_eq!(app.text("#loaded-files").await, "saas.sql");
    assert!(app.text("#compare-files").await.contains("saas_staging.sql"));
    assert_eq!((count(&app, "p0").await, count(&app, "p1").await, count(&app, "p2").await), (4, 3, 3), "P0, P1, P2");
    let stats = app.text("#drift-stats").await;
    let ms = app.js("document.querySelector('#drift-stats').dataset.computeMs").await;
    println!("saas drift: {stats} (diff::diff: {ms} ms)");
    assert_eq!(app.js("document.querySelectorAll('li.drift-entry').length").await, json!(10));
    let rls = app.text("#drift-kinds [data-kind=rls] .n").await;
    assert_eq!(rls, "2", "two RLS changes");

    // Name the sides, then open the P0 RLS entry of public.invitations.
    type_into(&app, "#drift-label-a", "prod").await;
    type_into(&app, "#drift-label-b", "staging").await;
    let sel = entry("rls", "public.invitations");
    let button = app.wait_for(&sel, START).await;
    assert_eq!(button.attr("data-priority").await.unwrap().as_deref(), Some("P0"));
    button.click().await.unwrap();
    app.wait_for("#drift-entry #drift-side-by-side", START).await;
    assert_eq!(app.text("#drift-entry-key").await, "public.invitations");
    let removed = app.text("#drift-side-by-side .line.removed").await;
    let added = app.text("#drift-side-by-side .line.added").await;
    assert!(removed.contains("ENABLE ROW LEVEL SECURITY"), "A's line: {removed}");
    assert!(added.contains("DISABLE ROW LEVEL SECURITY"), "B's line: {added}");
    // Removed lines only on A's side (the left column), added ones only on B's.
    let columns = app
        .js("[...document.querySelectorAll('#drift-side-by-side .sbs-grid > *')].map((e, i) => [i % 2, e.classList.contains('removed'), e.classList.contains('added')]).filter(x => (x[1] && x[0] !== 0) || (x[2] && x[0] !== 1)).length")
        .await;
    assert_eq!(columns, json!(0), "removed lines on the left, added on the right");
    let heads = app.text("#drift-side-by-side").await;
    assert!(heads.contains("prod") && heads.contains("staging"), "the side names head the columns: {heads}");
    assert!(heads.contains("saas.sql:") && heads.contains("saas_staging.sql:"), "each side's source location: {heads}");
    let fields = app.text("#drift-fields").await;
    assert!(fields.contains("enabled"), "{fields}");
    let fix = app.text("#drift-fix pre.sql").await;
    assert!(fix.contains("ALTER TABLE public.invitations ENABLE ROW LEVEL SECURITY;"), "{fix}");
    app.screenshot("70-drift-side-by-side").await;

    // The open entry is in the hash: leaving and coming back through that link reopens it.
    let link = app.js("location.hash").await.as_str().unwrap().to_string();
    assert!(link.starts_with("#/drift?entry="), "{link}");
    let id = app.js("document.querySelector('#drift-entry').dataset.entry").await;
    app.goto_hash("#/checks").await;
    app.wait_for(".checks", START).await;
    app.wait_js("the drift page gone", "!document.querySelector('#drift-entry')", START).await;
    app.goto_hash(&link).await;
    app.wait_for("#drift-entry #drift-side-by-side .line.removed", START).await;
    assert_eq!(app.js("document.querySelector('#drift-entry').dataset.entry").await, id);
    assert_eq!(app.js("document.querySelectorAll(\"li.drift-entry button.open\").length").await, json!(1));
    // Escape closes it (and the link with it).
    app.js("(document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true})), true)").await;
    app.wait_js("the entry to close", "!document.querySelector('#drift-entry') && !location.hash.includes('entry=')", START).await;

    // Filters in the hash: priority, kind, text.
    app.goto_hash("#/drift?p=P0").await;
    app.wait_js("four P0 entries", "document.querySelectorAll('li.drift-entry').length === 4", START).await;
    app.goto_hash("#/drift?kind=rls").await;
    app.wait_js("two RLS entries", "document.querySelectorAll('li.drift-entry').length === 2", START).await;
    app.goto_hash("#/drift").await;
    type_into(&app, "#drift-search", "admins").await;
    app.wait_js("q in the hash", "location.hash.includes('q=admins')", START).await;
    app.wait_js("the rename alone", "document.querySelectorAll('li.drift-entry').length === 1", START).await;
    let from = app.text("li.drift-entry .from").await;
    assert!(from.contains("Admins delete tasks"), "a rename says what it was: {from}");
    // The widened policy: its USING clause differs inside one line, and the fix recreates it.
    app.goto_hash("#/drift?kind=policy").await;
    app.wait_for(&entry("policy", "public.projects/Public projects are readable by anyone"), START).await.click().await.unwrap();
    app.wait_for("#drift-entry #drift-side-by-side .line.removed mark", START).await;
    let mark = app.text("#drift-side-by-side .line.removed mark").await;
    assert!(mark.contains("archived_at IS NULL"), "the part only A has is marked: {mark}");
    assert!(app.text("#drift-fix pre.sql").await.contains("CREATE POLICY"));
    app.screenshot("72-drift-policy").await;

    // Swap: B (staging) is now the reference; RLS on in B where A has it off is P1.
    app.goto_hash(&link).await;
    app.wait_for("#drift-entry", START).await;
    app.client.find(Locator::Css("#drift-swap")).await.unwrap().click().await.unwrap();
    app.wait_js("swap in the hash", "location.hash.includes('swap=1')", START).await;
    // Nothing is less safe in prod than in staging: the policy's USING only gains a condition.
    app.wait_js("the swapped counts", "(document.querySelector('#drift-count-p0 .num')||{}).textContent === '0'", START).await;
    let ms = app.js("document.querySelector('#drift-stats').dataset.computeMs").await;
    println!("saas drift swapped: {} (diff::diff: {ms} ms)", app.text("#drift-stats").await);
    let rls_priorities =
        app.js("[...document.querySelectorAll('li.drift-entry button[data-kind=rls]')].map(b => b.dataset.priority)").await;
    assert_eq!(rls_priorities, json!(["P1", "P1"]));
    // The same change stays open, now P1, and the names follow their snapshots.
    app.wait_js("the open entry as P1", "(document.querySelector('#drift-entry .badge.prio')||{}).textContent === 'P1'", START).await;
    assert_eq!(app.js("document.querySelector('#drift-label-a').value").await, json!("staging"));
    assert_eq!(app.js("document.querySelector('#drift-label-b').value").await, json!("prod"));
    let added = app.text("#drift-side-by-side .line.added").await;
    assert!(added.contains("ENABLE ROW LEVEL SECURITY"), "prod's line is now B's: {added}");
    app.screenshot("71-drift-swapped").await;

    // Dropped on the Drift page, files load as B; elsewhere they replace the main snapshot.
    drop_file(&app, "tiny.sql", "CREATE TABLE public.only_here (id int);\n").await;
    app.wait_js(
        "tiny.sql as the compare snapshot",
        "(document.querySelector('#compare-files')||{}).textContent.includes('tiny.sql')",
        LOAD,
    )
    .await;
    assert_eq!(app.text("#loaded-files").await, "saas.sql");
    app.goto_hash("#/tables").await;
    app.wait_for(".vrow", START).await;
    drop_file(&app, "other.sql", "CREATE TABLE public.other (id int);\n").await;
    wait_main(&app, "other.sql").await;
    assert!(app.text("#compare-files").await.contains("tiny.sql"), "the compare snapshot stays");
    app.finish().await;
}

/// GitLab against a Supabase app: thousands of changes. The list is virtualized and the diff's
/// time on the page's thread is printed.
#[tokio::test(flavor = "current_thread")]
async fn gitlab_against_otu_drift_renders_virtualized() {
    let _serial = serial().await;
    let gitlab = shared_dir().join("corpus/gitlab/structure.sql");
    let otu = shared_dir().join("corpus/supabase/otu/dump_2026-01-31.sql");
    assert!(gitlab.is_file() && otu.is_file(), "missing {} or {}", gitlab.display(), otu.display());
    let app = App::open().await;
    app.wait_loaded("saas.sql", START).await;
    app.upload(std::slice::from_ref(&gitlab)).await;
    wait_main(&app, "structure.sql").await;
    app.goto_hash("#/drift").await;
    let input = app.wait_for("#drift-file-input", START).await;
    input.send_keys(&otu.canonicalize().unwrap().display().to_string()).await.unwrap();
    app.wait_for("li.drift-entry", LOAD).await;
    let ms = app.js("document.querySelector('#drift-stats').dataset.computeMs").await;
    println!("gitlab → otu drift: {} (diff::diff: {ms} ms)", app.text("#drift-stats").await);
    let total: u64 = app.text("#drift-shown").await.split_whitespace().nth(2).unwrap().parse().unwrap();
    assert!(total > 1000, "{total} changes");
    let rows = app.js("document.querySelectorAll('li.drift-entry').length").await.as_u64().unwrap();
    assert!(rows > 0 && rows < 120, "{rows} entries in the DOM: the list is not virtualized");
    // Swapping computes the report again (warm code this time).
    app.client.find(Locator::Css("#drift-swap")).await.unwrap().click().await.unwrap();
    app.wait_js(
        "the swapped report",
        "((document.querySelector('#drift-stats')||{}).textContent||'').includes('from A (dump_2026-01-31.sql)')",
        LOAD,
    )
    .await;
    let ms = app.js("document.querySelector('#drift-stats').dataset.computeMs").await;
    println!("otu → gitlab drift: {} (diff::diff: {ms} ms)", app.text("#drift-stats").await);
    app.client.find(Locator::Css("li.drift-entry button")).await.unwrap().click().await.unwrap();
    app.wait_for("#drift-entry #drift-side-by-side", START).await;
    app.screenshot("73-drift-gitlab-otu").await;
    app.finish().await;
}
