//! End-to-end: the access matrix page, its drill-down and assumptions editor, and the policies
//! page's reconciliation with a `pg_policies` export. Screenshots land in target/e2e/*.png.

use e2e::*;
use serde_json::json;
use std::time::Duration;

const LOAD: Duration = Duration::from_secs(180);
const START: Duration = Duration::from_secs(60);

/// The `data-state` of the badge for `role` × `relation` × `command`.
async fn badge_state(app: &App, role: &str, relation: &str, command: &str) -> String {
    let prefix = serde_json::to_string(&format!("{role} · {command} on {relation}:")).unwrap();
    let v = app
        .wait_js(
            &format!("the badge {role} {command} {relation}"),
            &format!("(() => {{ const b = [...document.querySelectorAll('#access-grid button.acc')].find(b => b.getAttribute('aria-label').startsWith({prefix})); return b ? b.dataset.state : null; }})()"),
            START,
        )
        .await;
    v.as_str().unwrap_or_default().to_string()
}

async fn click_badge(app: &App, role: &str, relation: &str, command: &str) {
    let prefix = serde_json::to_string(&format!("{role} · {command} on {relation}:")).unwrap();
    app.js(&format!(
        "([...document.querySelectorAll('#access-grid button.acc')].find(b => b.getAttribute('aria-label').startsWith({prefix})).click(), true)"
    ))
    .await;
}

/// Opens the app, waits for the sample, then loads `files` in one upload (`last` names the last).
async fn app_with(files: &[std::path::PathBuf], last: &str) -> App {
    let app = App::open().await;
    app.wait_loaded("saas.sql", START).await;
    app.upload(files).await;
    app.wait_loaded(last, LOAD).await;
    app
}

/// The header cells of the matrix.
async fn grid_heads(app: &App) -> Vec<String> {
    serde_json::from_value(app.js("[...document.querySelectorAll('#access-grid .vhead .vcell')].map(c => c.textContent)").await).unwrap()
}

/// Types into an input as a user would (fires `input` events).
async fn type_into(app: &App, css: &str, text: &str) {
    let el = app.wait_for(css, START).await;
    el.send_keys(text).await.expect("type");
}

/// A genuine Supabase dump restored into PostgreSQL 15, with the `pg_policies` export taken from
/// that same database: the two agree, and the matrix shows what the CLI computes natively
/// (`pglens access pg15_schema_only.sql pg_policies.csv --role anon`).
#[tokio::test(flavor = "current_thread")]
async fn bookclub_reconciles_and_the_access_matrix_explains_a_cell() {
    let _serial = serial().await;
    let dir = shared_dir().join("corpus/pg15-restored/bookclub");
    let (sql, csv) = (dir.join("pg15_schema_only.sql"), dir.join("pg_policies.csv"));
    assert!(sql.is_file() && csv.is_file(), "missing the bookclub files in {}", dir.display());
    // One upload of both files: the export is recognised by its content.
    let app = app_with(&[sql, csv], "pg_policies.csv").await;
    let overview = app.wait_for("#reconciliation-overview", START).await;
    println!("overview: {}", overview.text().await.unwrap());
    assert_eq!(app.js("document.querySelector('#reconciliation-overview').dataset.mismatches").await, json!("0"));
    assert_eq!(app.count("policy_same").await, 13, "13 policies match");
    app.screenshot("50-overview-bookclub-export").await;

    app.goto_hash("#/policies").await;
    let summary = app.wait_for("#reconciliation-summary", START).await;
    println!("policies: {}", summary.text().await.unwrap());
    assert_eq!(app.js("document.querySelector('#reconciliation-summary').dataset.mismatches").await, json!("0"));
    app.wait_for("#policy-list .vrow .badge.st-same", START).await;
    assert_eq!(app.js("document.querySelectorAll('#policy-list .vrow .badge.st-differs').length").await, json!(0));
    // The status filter is in the hash: "differs" leaves no row.
    app.goto_hash("#/policies?status=differs").await;
    app.wait_js("no row left", "!document.querySelector('#policy-list .vrow')", START).await;
    app.goto_hash("#/policies").await;
    app.wait_for("#policy-list .vrow .badge.st-same", START).await;
    app.client.find(fantoccini::Locator::Css("#policy-list .vrow .badge.st-same")).await.unwrap().click().await.unwrap();
    app.wait_for("#reconciliation-detail .source", START).await;
    app.screenshot("51-policies-reconciled").await;

    // A table page shows its policies' status too.
    app.goto_hash("#/table/public.channels").await;
    app.wait_for("#table-policies .badge.st-same", START).await;
    assert_eq!(app.js("document.querySelectorAll('#table-policies tbody tr').length").await, json!(4));

    // The access matrix, narrowed to anon by the link.
    app.goto_hash("#/access?role=anon").await;
    app.wait_for("#access-grid .vrow", START).await;
    let heads = grid_heads(&app).await;
    assert_eq!(heads, ["Relation", "anon"]);
    // RLS enabled, anon granted everything, no policy at all: RLS lets no row through.
    assert_eq!(badge_state(&app, "anon", "public.role_permissions", "SELECT").await, "rls_denies");
    // "Allow logged-in read access" (TO public) applies: conditional on its USING.
    assert_eq!(badge_state(&app, "anon", "public.channels", "SELECT").await, "conditional");
    // auth.users: no grant to anon.
    assert_eq!(badge_state(&app, "anon", "auth.users", "SELECT").await, "no_privilege");

    // Drill-down: state, predicate, the GRANT with its source, the policies applied or not.
    click_badge(&app, "anon", "public.channels", "SELECT").await;
    app.wait_for("#cell-detail", START).await;
    let hash = app.js("location.hash").await;
    assert_eq!(hash, json!("#/access?role=anon&as=anon&on=public.channels&cmd=SELECT"), "the open cell is in the hash");
    assert_eq!(app.js("document.querySelector('#cell-state').dataset.state").await, json!("conditional"));
    let predicate = app.text("#cell-predicate").await;
    assert!(predicate.contains("auth.role()"), "predicate: {predicate}");
    let grants = app.text("#cell-grants").await;
    assert!(grants.contains("anon") && grants.contains("SELECT"), "grants: {grants}");
    let grant_source = app.text("#cell-detail .source").await;
    assert!(grant_source.contains("GRANT ALL ON TABLE public.channels TO anon"), "the GRANT's source lines: {grant_source}");
    let policies = app.text("#cell-policies").await;
    assert!(policies.contains("Allow logged-in read access") && policies.contains("applied"), "policies: {policies}");
    assert!(policies.contains("not applied"), "the DELETE / INSERT policies are listed as not applied: {policies}");
    app.screenshot("access").await;

    // Closing and reopening through the hash (a deep link) gives the same panel.
    app.client.find(fantoccini::Locator::Css("#cell-detail-close")).await.unwrap().click().await.unwrap();
    app.wait_js("the drawer to close", "!document.querySelector('#cell-detail')", START).await;
    app.goto_hash("#/access?as=anon&on=public.role_permissions&cmd=SELECT").await;
    app.wait_js("the deep-linked cell", "(document.querySelector('#cell-state') || {dataset: {}}).dataset.state === 'rls_denies'", START)
        .await;
    let reason = app.text("#cell-reason").await;
    assert!(reason.contains("no SELECT policy applies"), "reason: {reason}");
    // Escape closes it too.
    app.js("(document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true})), true)").await;
    app.wait_js("the drawer to close", "!document.querySelector('#cell-detail')", START).await;

    // Ticking a role adds its column (and to the link).
    app.goto_hash("#/access?role=anon").await;
    app.wait_js("the anon column alone", "document.querySelectorAll('#access-grid .vhead .vcell').length === 2", START).await;
    app.js("([...document.querySelectorAll('#access-roles label')].find(l => l.textContent.trim() === 'authenticated').querySelector('input').click(), true)").await;
    app.wait_js("the authenticated column", "document.querySelectorAll('#access-grid .vhead .vcell').length === 3", START).await;
    assert!(app.js("location.hash").await.as_str().unwrap().contains("role=anon&role=authenticated"));
    // Functions: one EXECUTE badge per role.
    app.client.find(fantoccini::Locator::Css("#show-functions")).await.unwrap().click().await.unwrap();
    app.wait_for("#access-grid .vrow button.acc[data-cmd=EXECUTE]", START).await;
    assert_eq!(badge_state(&app, "anon", "auth.uid()", "EXECUTE").await, "all_rows");
    app.client.find(fantoccini::Locator::Css("#show-relations")).await.unwrap().click().await.unwrap();
    app.wait_for("#access-grid .vrow button.acc[data-cmd=SELECT]", START).await;

    // Filters go to the hash as they are typed.
    type_into(&app, "#access-search", "role").await;
    app.wait_js("q in the hash", "location.hash.includes('q=role')", START).await;
    app.wait_js("the filtered rows", "document.querySelectorAll('#access-grid .vrow').length === 2", START).await;
    println!("filtered: {}", app.text("#access-count").await);

    // Assumptions: anon with BYPASSRLS reads every row of role_permissions.
    app.js("(document.querySelector('#assumptions').open = true, true)").await;
    let toml = app.text("#assumptions-toml").await;
    assert!(toml.contains("preset = \"supabase\"") && toml.contains("bypass_rls = [\"service_role\"]"), "toml: {toml}");
    type_into(&app, "#assumed-bypass-new", "anon\u{E007}").await; // Enter
    app.wait_js(
        "the recomputed matrix",
        "[...document.querySelectorAll('#access-grid button.acc')].some(b => b.getAttribute('aria-label').startsWith('anon · SELECT on public.role_permissions:') && b.dataset.state === 'all_rows')",
        START,
    )
    .await;
    let toml = app.text("#assumptions-toml").await;
    assert!(toml.contains("bypass_rls = [\"service_role\", \"anon\"]") && !toml.contains("preset ="), "edited toml: {toml}");
    app.screenshot("52-access-assumptions").await;
    app.finish().await;
}

/// Names from the dump are text, never markup: role names like `<script>alert("role")</script>`.
#[tokio::test(flavor = "current_thread")]
async fn hostile_names_on_the_access_page_stay_text() {
    let _serial = serial().await;
    let hostile = workspace_root().join("fixtures/dumps/hostile.sql");
    let app = app_with(&[hostile], "hostile.sql").await;
    app.goto_hash("#/access").await;
    app.wait_for("#access-grid .vrow", START).await;
    let role = r#"<script>alert("role")</script>"#;
    let heads = grid_heads(&app).await;
    assert!(heads.iter().any(|h| h == role), "the role name is shown as text: {heads:?}");
    let relation = app.js("document.querySelector('#access-grid .vrow .rel-name').getAttribute('title')").await;
    let relation = relation.as_str().unwrap().to_string();
    click_badge(&app, role, &relation, "SELECT").await;
    app.wait_for("#cell-detail", START).await;
    let detail = app.text("#cell-detail").await;
    assert!(detail.contains(role), "the drawer names the role as text: {detail}");
    app.js("(document.querySelector('#assumptions').open = true, true)").await;
    // Nothing from the dump became an element.
    let injected = app.js("document.querySelectorAll('#content script, #content img, #content svg, #content marquee, #content b, #content i, #content u').length").await;
    assert_eq!(injected, json!(0));
    app.screenshot("53-access-hostile").await;
    app.finish().await;
}

/// GitLab's 1,400 tables: the matrix renders (virtualized); its compute time is printed.
#[tokio::test(flavor = "current_thread")]
async fn gitlab_access_matrix_renders() {
    let _serial = serial().await;
    let gitlab = shared_dir().join("corpus/gitlab/structure.sql");
    let app = app_with(&[gitlab], "structure.sql").await;
    let t0 = std::time::Instant::now();
    app.goto_hash("#/access").await;
    app.wait_for("#access-grid .vrow", START).await;
    println!("gitlab #/access: rows shown {:.2?} after navigating", t0.elapsed());
    let stats = app.text("#access-stats").await;
    let ms = app.js("document.querySelector('#access-stats').dataset.computeMs").await;
    println!("gitlab access matrix: {stats} (access::matrix: {ms} ms)");
    let rows = app.js("document.querySelectorAll('#access-grid .vrow').length").await.as_u64().unwrap();
    assert!(rows > 0 && rows < 120, "{rows} rows in the DOM: the matrix is not virtualized");
    app.screenshot("54-access-gitlab").await;
    // The Supabase preset adds role columns: the matrix is computed again.
    app.js("(document.querySelector('#assumptions').open = true, true)").await;
    let select = app.wait_for("#assumptions-preset", START).await;
    select.select_by_value("supabase").await.unwrap();
    app.wait_js("the supabase columns", "document.querySelectorAll('#access-grid .vhead .vcell').length > 2", START).await;
    let ms = app.js("document.querySelector('#access-stats').dataset.computeMs").await;
    println!("gitlab access matrix, supabase preset: {} (access::matrix: {ms} ms)", app.text("#access-stats").await);
    app.screenshot("55-access-gitlab-supabase").await;
    app.finish().await;
}
