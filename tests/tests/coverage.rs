//! End-to-end: the index coverage section of the table page. On the saas sample, public.tasks
//! draws its five indexes against its columns, marks its foreign keys and RLS filter columns
//! covered or not (the same ones the health checks report), and an index's name shows its
//! statement; a partition without indexes says so and points to its parent. On GitLab's schema, public.projects (54 indexes, 84 columns) scrolls sideways with
//! the column names kept in view, and public.aws_roles marks its duplicate index.

use e2e::*;
use serde_json::json;
use std::time::Duration;

const START: Duration = Duration::from_secs(60);
const LOAD: Duration = Duration::from_secs(240);

/// The texts of the cells of the row of `column`, one per index.
async fn cells(app: &App, column: &str) -> serde_json::Value {
    app.js(&format!("[...document.querySelectorAll('#coverage-grid tr[data-column=\"{column}\"] td')].map(td => td.textContent)")).await
}

async fn wait_checks(app: &App) {
    // The RLS list comes from the worker's findings.
    app.wait_js("the RLS filters from the health checks", "!!document.querySelector('#coverage-rls')", LOAD).await;
}

#[tokio::test(flavor = "current_thread")]
async fn saas_tasks_index_coverage() {
    let _serial = serial().await;
    let app = App::open().await;
    app.wait_loaded("saas.sql", START).await;
    app.goto_hash("#/table/public.tasks").await;
    app.wait_for("#coverage-grid", START).await;
    wait_checks(&app).await;

    let heads = app.js("[...document.querySelectorAll('#coverage-grid th.cov-ix')].map(th => th.dataset.index)").await;
    assert_eq!(
        heads,
        json!(["tasks_pkey", "tasks_tenant_status_idx", "tasks_project_number_key", "tasks_assignee_idx", "tasks_search_idx"])
    );
    let badges = |index: &str| format!("[...document.querySelectorAll('th[data-index=\"{index}\"] .badge')].map(b => b.textContent)");
    assert_eq!(app.js(&badges("tasks_pkey")).await, json!(["PK"]));
    assert_eq!(app.js(&badges("tasks_tenant_status_idx")).await, json!(["partial"]));
    assert_eq!(app.js(&badges("tasks_project_number_key")).await, json!(["unique"]));
    assert_eq!(app.js(&badges("tasks_search_idx")).await, json!(["gin"]));
    assert_eq!(cells(&app, "id").await, json!(["1", "", "", "", ""]));
    assert_eq!(cells(&app, "tenant_id").await, json!(["", "1", "", "", ""]));
    assert_eq!(cells(&app, "status").await, json!(["", "2", "", "", ""]));
    assert_eq!(cells(&app, "due_on").await, json!(["", "", "", "2", ""]));
    assert_eq!(cells(&app, "title").await, json!(["", "", "", "", ""]));
    let tags = |column: &str| format!("[...document.querySelectorAll('tr[data-column=\"{column}\"] .tag')].map(t => t.className)");
    assert_eq!(app.js(&tags("id")).await, json!(["tag pk"]));
    assert_eq!(app.js(&tags("assignee_id")).await, json!(["tag fk", "tag rls"]));
    assert_eq!(app.js(&tags("reporter_id")).await, json!(["tag fk bad", "tag rls bad"]));

    // Foreign keys: a covered one names its index, an uncovered one (its only index is partial)
    // shows the rule's fix.
    let need = |list: &str, name: &str| format!("document.querySelector('#{list} li[data-need=\"{name}\"]')");
    let covered = app.js(&format!("(e => [e.className, e.textContent])({})", need("coverage-fks", "tasks_assignee_id_fkey"))).await;
    assert_eq!(covered[0], json!("cov-need"));
    let text = covered[1].as_str().unwrap();
    assert!(
        text.contains("(assignee_id) →") && text.contains("auth.users(id)") && text.contains("covered by tasks_assignee_idx"),
        "{text}"
    );
    let uncovered = app
        .js(&format!("(e => [e.className, e.querySelector('pre.sql').textContent])({})", need("coverage-fks", "tasks_tenant_id_fkey")))
        .await;
    assert_eq!(uncovered, json!(["cov-need uncovered", "CREATE INDEX CONCURRENTLY ON public.tasks (tenant_id);"]));
    assert_eq!(app.js("document.querySelectorAll('#coverage-fks li.uncovered').length").await, json!(3));

    // RLS filters: the columns policies filter on, covered or not (the two uncovered are what
    // the health checks report), with their policies and fixes.
    let rls = app.js("[...document.querySelectorAll('#coverage-rls li')].map(li => [li.dataset.need, li.className])").await;
    assert_eq!(rls, json!([["tenant_id", "cov-need uncovered"], ["assignee_id", "cov-need"], ["reporter_id", "cov-need uncovered"]]));
    let reporter = app.js(&format!("{}.textContent", need("coverage-rls", "reporter_id"))).await;
    assert!(reporter.as_str().unwrap().contains("policy Assignee or admin updates tasks"), "{reporter}");
    let summary = app.text("#coverage-summary").await;
    assert_eq!(summary, "5 indexes · foreign keys: 2 of 5 covered · RLS filter columns: 1 of 3 covered · 0 duplicates, 0 redundant");

    // An index's name shows its statement in the page's source view.
    app.js("(document.querySelector('th[data-index=\"tasks_assignee_idx\"] button').click(), true)").await;
    app.wait_js(
        "the index's source",
        "(document.querySelector('#table-source .src-title')||{}).textContent === 'index tasks_assignee_idx'",
        START,
    )
    .await;
    let src = app.text("#table-source .src-body").await;
    assert!(src.contains("CREATE INDEX tasks_assignee_idx ON public.tasks"), "{src}");

    // Tall enough for the grid and the needs below it.
    app.client.set_window_size(1400, 1500).await.expect("resize the window");
    app.js("(document.querySelector('#index-coverage').previousElementSibling.scrollIntoView(), true)").await;
    app.screenshot("76-index-coverage").await;
    app.client.set_window_size(1400, 900).await.expect("resize the window");

    // A partition without indexes of its own: says so, and sends the needs to its parent.
    app.upload(&[workspace_root().join("fixtures/dumps/partitions.sql")]).await;
    app.wait_loaded("partitions.sql", LOAD).await;
    app.goto_hash("#/table/metrics.by_day_2024").await;
    let empty = app.wait_for("#coverage-no-indexes", START).await;
    assert_eq!(empty.text().await.unwrap(), "No indexes on this table.");
    let note = app.text("#index-coverage .cov-note").await;
    assert_eq!(note, "A partition: the indexes of its parent metrics.by_day serve it, and its foreign keys are judged there.");
    assert_eq!(app.js("document.querySelector('#index-coverage .cov-note a').getAttribute('href')").await, json!("#/table/metrics.by_day"));
    app.finish().await;
}

#[tokio::test(flavor = "current_thread")]
async fn gitlab_projects_index_coverage() {
    let _serial = serial().await;
    let dump = shared_dir().join("corpus/gitlab/structure.sql");
    if !dump.is_file() {
        eprintln!("{} not found: GitLab coverage e2e skipped", dump.display());
        return;
    }
    let app = App::open().await;
    app.wait_loaded("saas.sql", START).await;
    app.upload(std::slice::from_ref(&dump)).await;
    app.wait_loaded("structure.sql", LOAD).await;

    // GitLab has no policies: no RLS list, only the note.
    app.goto_hash("#/table/public.projects").await;
    app.wait_for("#coverage-grid", LOAD).await;
    let heads = app.js("document.querySelectorAll('#coverage-grid th.cov-ix').length").await.as_u64().unwrap();
    let rows = app.js("document.querySelectorAll('#coverage-grid tbody tr').length").await.as_u64().unwrap();
    assert_eq!((heads, rows), (54, 84), "indexes × rows of public.projects");
    assert!(app.js("document.querySelectorAll('#coverage-grid th.cov-ix.cov-red').length").await.as_u64().unwrap() >= 1);
    assert_eq!(app.js("document.querySelectorAll('#coverage-fks li.uncovered').length").await, json!(0));
    let summary = app.text("#coverage-summary").await;
    assert!(summary.starts_with("54 indexes · foreign keys: "), "{summary}");

    // Scrolled sideways, the column names stay at the left edge of the grid's box.
    let pinned = app
        .js("(() => { const s = document.querySelector('.cov-scroll'); s.scrollLeft = 600; \
             const left = s.getBoundingClientRect().left; const c = document.querySelector('#coverage-grid tbody .cov-col').getBoundingClientRect().left; \
             return [s.scrollWidth > s.clientWidth, Math.round(c - left)]; })()")
        .await;
    assert_eq!(pinned, json!([true, 1]), "the grid scrolls and the column names stay (1px: the box's border)");
    app.js("(document.querySelector('#index-coverage').previousElementSibling.scrollIntoView(), true)").await;
    app.screenshot("77-index-coverage-gitlab").await;

    // A duplicate of the primary key's index.
    app.goto_hash("#/table/public.aws_roles").await;
    app.wait_for("#coverage-repeats", START).await;
    let dup = app.js("[...document.querySelectorAll('#coverage-grid th.cov-ix.cov-dup')].map(th => th.dataset.index)").await;
    assert_eq!(dup, json!(["index_aws_roles_on_user_id"]));
    let repeat = app.text("#coverage-repeats li").await;
    assert_eq!(repeat, "index_aws_roles_on_user_id duplicates aws_roles_pkey");
    app.finish().await;
}
