//! End-to-end: the ER diagram page.
//! - saas (our fixture): a table's neighbourhood (boxes, rows, no overlap, hops, zoom, pan,
//!   refocus, click to the table page), the health overlay, the schema and overview views, find
//!   path, and both exports: the SVG opened as a standalone file shows the same boxes at the same
//!   places as the screen, the PNG decodes.
//! - GitLab's structure.sql (1,401 tables): the overview and a 2-hop neighbourhood laid out in
//!   the worker, and frame times while panning, read back from requestAnimationFrame timestamps
//!   in a browser whose frame rate is not capped (so a frame's interval is its cost), plus the
//!   long tasks the performance timeline records after the layout. Figures are printed, not
//!   asserted (timings are benchmarks, not tests).
//! - devhunt (a real Supabase dump): screenshots of the three views.

use e2e::*;
use serde_json::json;
use std::collections::BTreeSet;
use std::time::Duration;

const START: Duration = Duration::from_secs(60);
const LOAD: Duration = Duration::from_secs(180);

async fn boxes(app: &App) -> u64 {
    app.js("document.querySelectorAll('#erd-svg g.erd-box').length").await.as_u64().unwrap_or(0)
}

async fn click(app: &App, css: &str) {
    let sel = serde_json::to_string(css).unwrap();
    app.js(&format!("(document.querySelector({sel}).click(), true)")).await;
}

/// Waits until the page's diagram answers the current view (not "Laying out…") and has boxes.
async fn wait_drawn(app: &App, what: &str) {
    app.wait_js(
        what,
        "document.querySelector('#erd-stats')?.dataset.ready === 'true' && document.querySelectorAll('#erd-svg g.erd-box').length > 0",
        LOAD,
    )
    .await;
}

/// Keys of the boxes on screen.
async fn keys_on_screen(app: &App) -> BTreeSet<String> {
    let v = app.js("[...document.querySelectorAll('#erd-svg g.erd-box')].map(g => g.dataset.key)").await;
    v.as_array().unwrap().iter().map(|k| k.as_str().unwrap().to_string()).collect()
}

/// Overlapping pairs of box bodies on screen.
async fn overlaps(app: &App) -> serde_json::Value {
    app.js("(() => { const r = [...document.querySelectorAll('#erd-svg g.erd-box rect.erd-body')].map(e => e.getBoundingClientRect()); \
         let n = 0; for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++) { const a = r[i], b = r[j]; \
         if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) n++; } return n; })()")
        .await
}

/// (key, transform) of every box in an SVG text (the export), in document order.
fn export_boxes(svg: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in svg.split("<g class=\"erd-box").skip(1) {
        let attr = |name: &str| {
            part.split_once(&format!("{name}=\"")).and_then(|(_, r)| r.split_once('"')).map(|(v, _)| v.to_string()).unwrap_or_default()
        };
        let key =
            attr("data-key").replace("&quot;", "\"").replace("&apos;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        // The legend's swatches are boxes too, without a key.
        if !key.is_empty() {
            out.push((key, attr("transform")));
        }
    }
    out
}

#[tokio::test(flavor = "current_thread")]
async fn saas_erd_views_overlay_path_and_exports() {
    let _serial = serial().await;
    let app = App::open().await;
    app.wait_loaded("saas.sql", START).await;
    app.upload(&[workspace_root().join("fixtures/dumps/saas.sql")]).await;
    app.wait_loaded("saas.sql", LOAD).await;

    // From the table page.
    app.goto_hash("#/table/public.tasks").await;
    let link = app.wait_for("#table-erd-link", START).await;
    assert_eq!(link.attr("href").await.unwrap().as_deref(), Some("#/erd?focus=public.tasks"));

    // The neighbourhood.
    app.goto_hash("#/erd?focus=public.tasks").await;
    wait_drawn(&app, "the neighbourhood of public.tasks").await;
    let one_hop = boxes(&app).await;
    assert!(one_hop > 1);
    println!("saas ERD, public.tasks, 1 hop: {}", app.text("#erd-stats").await);
    assert_eq!(app.js("document.querySelectorAll('#erd-svg g.erd-box.focus').length").await, json!(1));
    assert_eq!(app.text("#erd-svg g.erd-box.focus text.erd-header").await, "public.tasks");
    assert!(app.js("document.querySelectorAll('#erd-svg g.erd-box.focus text.erd-row').length").await.as_u64().unwrap() >= 2);
    let edges = app.js("document.querySelectorAll('#erd-svg g.erd-edge polyline').length").await.as_u64().unwrap();
    assert!(edges >= one_hop - 1, "{edges} edges for {one_hop} boxes");
    assert_eq!(overlaps(&app).await, json!(0));
    // The overlay: every table box says its RLS state; the health checks' marks arrive.
    assert_eq!(
        app.js(
            "[...document.querySelectorAll('#erd-svg g.erd-box')].every(g => /\\brls-(off|on|forced)\\b/.test(g.getAttribute('class')))"
        )
        .await,
        json!(true)
    );
    app.wait_js("finding badges", "document.querySelectorAll('#erd-svg g.erd-badge').length > 0", START).await;
    let tip = app.js("document.querySelector('#erd-svg g.erd-box.focus > title').textContent").await;
    assert!(tip.as_str().unwrap().starts_with("public.tasks · RLS "), "{tip}");
    app.screenshot("80-erd-tasks-1hop").await;

    // Two hops: more tables.
    click(&app, "#erd-hops-2").await;
    app.wait_js("hops=2 in the hash", "location.hash.includes('hops=2')", START).await;
    app.wait_js("more boxes at 2 hops", &format!("document.querySelectorAll('#erd-svg g.erd-box').length > {one_hop}"), START).await;
    println!("saas ERD, public.tasks, 2 hops: {}", app.text("#erd-stats").await);
    assert_eq!(overlaps(&app).await, json!(0));
    app.screenshot("81-erd-tasks-2hops").await;

    // Zoom with the wheel changes the view box.
    let vb0 = app.js("document.querySelector('#erd-viewport').dataset.view").await;
    app.js("(() => { const s = document.querySelector('#erd-viewport'); const r = s.getBoundingClientRect(); \
            s.dispatchEvent(new WheelEvent('wheel', {deltaY: -300, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true})); return true; })()")
        .await;
    app.wait_js("zoomed", &format!("document.querySelector('#erd-viewport').dataset.view !== {vb0}"), START).await;

    // Dragging pans: the view box moves, its size does not.
    let vb1 = app.js("document.querySelector('#erd-viewport').dataset.view").await;
    app.js("(() => { const s = document.querySelector('#erd-viewport'); const r = s.getBoundingClientRect(); \
            const at = (type, dx) => s.dispatchEvent(new PointerEvent(type, {button: 0, clientX: r.left + 100 + dx, clientY: r.top + 100, bubbles: true})); \
            at('pointerdown', 0); at('pointermove', 40); at('pointermove', 120); at('pointerup', 120); return true; })()")
        .await;
    let vb2 = app.wait_js("panned", &format!("(v => v !== {vb1} && v)(document.querySelector('#erd-viewport').dataset.view)"), START).await;
    let (a, b): (Vec<f64>, Vec<f64>) = (
        vb1.as_str().unwrap().split(' ').map(|x| x.parse().unwrap()).collect(),
        vb2.as_str().unwrap().split(' ').map(|x| x.parse().unwrap()).collect(),
    );
    assert!(b[0] < a[0] && (a[2] - b[2]).abs() < 0.2, "pan {vb1} -> {vb2}");

    // ◎ centres the diagram on another table. `press` clicks as a mouse does: pointer down and
    // up where the element is, then the click.
    app.js(
        "(window.press = el => { const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2; \
         for (const t of ['pointerdown', 'pointerup']) el.dispatchEvent(new PointerEvent(t, {button: 0, clientX: x, clientY: y, bubbles: true})); \
         el.dispatchEvent(new MouseEvent('click', {clientX: x, clientY: y, bubbles: true})); }, true)",
    )
    .await;
    app.goto_hash("#/erd?focus=public.tasks").await;
    wait_drawn(&app, "back to 1 hop").await;
    let other = app
        .js("(() => { const g = [...document.querySelectorAll('#erd-svg g.erd-box')].find(g => !g.classList.contains('focus')); \
             press(g.querySelector('text.erd-focus')); return g.dataset.key; })()")
        .await;
    let other = other.as_str().unwrap().to_string();
    app.wait_js("refocused", &format!("decodeURIComponent(location.hash).includes('focus={other}')"), START).await;
    app.wait_js(
        "new focus drawn",
        &format!("(document.querySelector('#erd-svg g.erd-box.focus')||{{}}).dataset?.key === {}", json!(other)),
        START,
    )
    .await;
    app.screenshot("82-erd-refocused").await;
    // Clicking a box opens its table's page.
    app.js(&format!("(press(document.querySelector('#erd-svg g.erd-box[data-key=\"{other}\"] rect.erd-body')), true)")).await;
    app.wait_js("the table page", &format!("decodeURIComponent(location.hash) === '#/table/{other}'"), START).await;

    // The schema view: every table of public.
    app.goto_hash("#/erd?focus=public.tasks").await;
    wait_drawn(&app, "neighbourhood again").await;
    click(&app, "#erd-mode-schema").await;
    app.wait_js("schema in the hash", "location.hash === '#/erd?schema=public'", START).await;
    wait_drawn(&app, "the schema view").await;
    let public = keys_on_screen(&app).await;
    assert!(public.len() as u64 > one_hop && public.iter().all(|k| k.starts_with("public.")), "{public:?}");
    assert_eq!(overlaps(&app).await, json!(0));
    println!("saas ERD, schema public: {}", app.text("#erd-stats").await);
    app.screenshot("83-erd-schema-public").await;

    // The overview: every table, in schema blocks.
    click(&app, "#erd-mode-overview").await;
    app.wait_js("overview in the hash", "location.hash === '#/erd'", START).await;
    wait_drawn(&app, "the overview").await;
    let all = keys_on_screen(&app).await;
    assert!(all.is_superset(&public) && all.len() > public.len(), "{} of {}", public.len(), all.len());
    let clusters = app.js("[...document.querySelectorAll('#erd-svg g.erd-cluster')].map(g => g.dataset.schema)").await;
    let schemas: BTreeSet<String> = all.iter().map(|k| k.split('.').next().unwrap().to_string()).collect();
    // A block per schema that holds most of some connected group of tables (auth.users sits in
    // public's block, with the tables that reference it).
    let blocks: BTreeSet<String> = clusters.as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    assert!(blocks.contains("public") && blocks.is_subset(&schemas), "{blocks:?} for {schemas:?}");
    assert_eq!(overlaps(&app).await, json!(0));
    println!("saas ERD, overview: {}", app.text("#erd-stats").await);
    app.screenshot("84-erd-overview").await;
    // Grouped by connected tables instead: the same boxes, no schema blocks.
    click(&app, "#erd-group-components").await;
    app.wait_js("group in the hash", "location.hash === '#/erd?group=components'", START).await;
    app.wait_js("no schema blocks", "document.querySelectorAll('#erd-svg g.erd-cluster').length === 0", START).await;
    wait_drawn(&app, "the overview by component").await;
    assert_eq!(keys_on_screen(&app).await, all);
    assert_eq!(overlaps(&app).await, json!(0));

    // Find path.
    app.js("(() => { const set = (id, v) => { const i = document.querySelector(id); i.value = v; i.dispatchEvent(new Event('input', {bubbles: true})); }; \
            set('#erd-path-from', 'public.task_labels'); set('#erd-path-to', 'public.plans'); return true; })()")
        .await;
    click(&app, "#erd-path-find").await;
    app.wait_js("path in the hash", "location.hash.startsWith('#/erd?from=public.task_labels&to=public.plans')", START).await;
    wait_drawn(&app, "the path").await;
    let path = keys_on_screen(&app).await;
    assert!(path.contains("public.task_labels") && path.contains("public.plans") && path.len() >= 3, "{path:?}");
    println!("saas ERD, path task_labels → plans: {path:?}");
    app.screenshot("85-erd-path").await;

    // Exports of the neighbourhood at 2 hops: the SVG has the screen's boxes at the screen's
    // places; the PNG decodes to an image.
    app.goto_hash("#/erd?focus=public.tasks&hops=2").await;
    wait_drawn(&app, "2 hops for the export").await;
    app.wait_js("badges", "document.querySelectorAll('#erd-svg g.erd-badge').length > 0", START).await;
    app.capture_downloads().await;
    click(&app, "#erd-export-svg").await;
    let (mime, svg) = app.downloaded(0, true).await;
    assert_eq!(mime, "image/svg+xml");
    let svg = svg.as_str().unwrap().to_string();
    let on_screen =
        app.js("[...document.querySelectorAll('#erd-svg g.erd-box')].map(g => [g.dataset.key, g.getAttribute('transform')])").await;
    let mut screen: Vec<(String, String)> =
        on_screen.as_array().unwrap().iter().map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_str().unwrap().to_string())).collect();
    let mut exported = export_boxes(&svg);
    screen.sort();
    exported.sort();
    assert_eq!(exported, screen, "the exported boxes are the screen's");
    let svg_path = out_dir().join("86-erd-export.svg");
    std::fs::write(&svg_path, &svg).unwrap();
    click(&app, "#erd-export-png").await;
    let (mime, png) = app.downloaded(1, false).await;
    assert_eq!(mime, "image/png");
    let png: Vec<u8> = png.as_array().unwrap().iter().map(|b| b.as_u64().unwrap() as u8).collect();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let (w, h) = (u32::from_be_bytes(png[16..20].try_into().unwrap()), u32::from_be_bytes(png[20..24].try_into().unwrap()));
    println!("saas ERD export: SVG {} bytes, PNG {} bytes, {w} x {h} px", svg.len(), png.len());
    assert!(w > 200 && h > 100);
    std::fs::write(out_dir().join("87-erd-export.png"), &png).unwrap();

    // The SVG alone, from file://: the same boxes, no script, no request.
    let url = format!("file://{}", svg_path.canonicalize().unwrap().display());
    app.client.goto(&url).await.unwrap();
    let standalone =
        app.js("[...document.querySelectorAll('g.erd-box[data-key]')].map(g => [g.dataset.key, g.getAttribute('transform')])").await;
    let mut standalone: Vec<(String, String)> =
        standalone.as_array().unwrap().iter().map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_str().unwrap().to_string())).collect();
    standalone.sort();
    assert_eq!(standalone, screen);
    assert_eq!(app.js("document.scripts.length + performance.getEntriesByType('resource').length").await, json!(0));
    app.screenshot("88-erd-export-standalone").await;
    app.finish().await;
}

/// Frame intervals (ms) of `frames` animation frames, each of which pans the view by `step` px
/// (a drag in progress), and the long tasks seen meanwhile.
async fn pan_frames(app: &App, frames: u32, step: f64) -> (Vec<f64>, Vec<f64>) {
    let v = app
        .client
        .execute_async(
            &format!(
                "const done = arguments[arguments.length - 1]; const s = document.querySelector('#erd-viewport'); const r = s.getBoundingClientRect(); \
                 const long = []; const obs = new PerformanceObserver(l => l.getEntries().forEach(e => long.push(e.duration))); \
                 obs.observe({{type: 'longtask'}}); \
                 const x0 = r.left + r.width / 2, y0 = r.top + r.height / 2; \
                 s.dispatchEvent(new PointerEvent('pointerdown', {{button: 0, clientX: x0, clientY: y0, bubbles: true}})); \
                 const t = []; let i = 0; \
                 const frame = ts => {{ t.push(ts); i++; \
                   if (i > {frames}) {{ s.dispatchEvent(new PointerEvent('pointerup', {{bubbles: true}})); \
                     setTimeout(() => {{ obs.disconnect(); done([t.slice(1).map((x, k) => x - t[k]), long]); }}, 300); return; }} \
                   const a = i * {step}; s.dispatchEvent(new PointerEvent('pointermove', {{button: 0, clientX: x0 - a * 0.8, clientY: y0 - a * 0.5, bubbles: true}})); \
                   requestAnimationFrame(frame); }}; \
                 requestAnimationFrame(frame);"
            ),
            vec![],
        )
        .await
        .expect("pan frames");
    let nums = |v: &serde_json::Value| v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect::<Vec<f64>>();
    (nums(&v[0]), nums(&v[1]))
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s[s.len() / 2]
}

fn pct(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    s[((s.len() as f64 - 1.0) * p).round() as usize]
}

/// Navigates to `hash` and returns (ms from the navigation to the first frame with the diagram
/// drawn, the worker's layout ms, the stats line).
async fn timed_view(app: &App, hash: &str) -> (f64, String) {
    let h = serde_json::to_string(hash).unwrap();
    let v = app
        .client
        .execute_async(
            &format!(
                "const done = arguments[arguments.length - 1]; const t0 = performance.now(); location.hash = {h}; \
                 const poll = () => {{ const s = document.querySelector('#erd-stats'); \
                   if (s && s.dataset.href === {h} && s.dataset.ready === 'true' && (document.querySelectorAll('#erd-svg g.erd-box').length > 0 || document.querySelector('#erd-missing'))) done(performance.now() - t0); \
                   else requestAnimationFrame(poll); }}; requestAnimationFrame(poll);"
            ),
            vec![],
        )
        .await
        .expect("timed view");
    let stats = app.text("#erd-stats").await;
    let parts =
        app.js("[document.querySelector('#erd-stats').dataset.workerMs, document.querySelector('#erd-stats').dataset.answerMs]").await;
    (
        v.as_f64().unwrap(),
        format!("{stats} (worker {} ms, answer received after {} ms)", parts[0].as_str().unwrap_or("?"), parts[1].as_str().unwrap_or("?")),
    )
}

#[tokio::test(flavor = "current_thread")]
async fn gitlab_erd_overview_neighbourhood_and_pan_frames() {
    let _serial = serial().await;
    // Frames not capped at the display's rate: a frame's interval is what it cost.
    let gitlab = shared_dir().join("corpus/gitlab/structure.sql");
    let app = App::open_with(&["--disable-gpu-vsync", "--disable-frame-rate-limit"]).await;
    app.wait_loaded("(sample)", LOAD).await;
    // The baseline the ERD figures are compared with: loading the same file in the same tab
    // (parse and model in the worker, then shown), timed from the file input to the top bar.
    let t0 = std::time::Instant::now();
    app.upload(std::slice::from_ref(&gitlab)).await;
    app.wait_loaded("structure.sql", LOAD).await;
    let load_ms = t0.elapsed().as_secs_f64() * 1000.0;
    println!("GitLab load in this tab (baseline): {load_ms:.0} ms");
    // The checks' findings first, so the overlay is drawn once.
    app.goto_hash("#/checks").await;
    app.wait_js("findings", "!document.querySelector('#checks-running') && !!document.querySelector('#checks-search')", LOAD).await;

    let (overview_ms, overview_stats) = timed_view(&app, "#/erd").await;
    println!("GitLab ERD overview: {overview_stats}; navigation to drawn {overview_ms:.0} ms ({:.2}x the load)", overview_ms / load_ms);
    let n = boxes(&app).await;
    assert!(n > 900, "{n} boxes in the overview");
    assert_eq!(app.js("document.querySelectorAll('#erd-svg g.erd-cluster').length > 0").await, json!(true));
    app.screenshot("90-erd-gitlab-overview").await;

    // Pan the whole overview (every box in the window), then zoomed in to where texts show.
    let (frames, long) = pan_frames(&app, 120, 4.0).await;
    println!(
        "GitLab overview pan, {} frames: median {:.1} ms, p95 {:.1} ms, max {:.1} ms; long tasks {:?}",
        frames.len(),
        median(&frames),
        pct(&frames, 0.95),
        pct(&frames, 1.0),
        long
    );
    // Wheel in, a notch at a time with a rest after each (the SVG is laid out at the new scale
    // when the wheel rests), until the boxes' texts are drawn; then let the new scale be painted.
    for _ in 0..30 {
        if app.js("document.querySelectorAll('#erd-svg text.erd-header').length > 0").await == json!(true) {
            break;
        }
        // Around public.projects, GitLab's hub.
        app.js("(() => { const s = document.querySelector('#erd-viewport'); const b = document.querySelector('#erd-svg g.erd-box[data-key=\"public.projects\"] rect').getBoundingClientRect(); \
                s.dispatchEvent(new WheelEvent('wheel', {deltaY: -300, clientX: b.left + b.width / 2, clientY: b.top + b.height / 2, bubbles: true, cancelable: true})); return true; })()")
            .await;
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    app.wait_js("texts at this zoom", "document.querySelectorAll('#erd-svg text.erd-header').length > 0", START).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let shown = boxes(&app).await;
    app.screenshot("91-erd-gitlab-overview-zoomed").await;
    let (near, long_near) = pan_frames(&app, 120, 6.0).await;
    println!(
        "GitLab overview zoomed in ({shown} boxes in the cull window) pan, {} frames: median {:.1} ms, p95 {:.1} ms, max {:.1} ms; long tasks {:?}",
        near.len(),
        median(&near),
        pct(&near, 0.95),
        pct(&near, 1.0),
        long_near
    );
    assert!(shown < n, "culling keeps {shown} of {n} boxes when zoomed in");

    let (near_ms, near_stats) = timed_view(&app, "#/erd?focus=public.projects&hops=2").await;
    println!("GitLab ERD public.projects 2 hops: {near_stats}; navigation to drawn {near_ms:.0} ms ({:.2}x the load)", near_ms / load_ms);
    assert_eq!(overlaps(&app).await, json!(0));
    let (one_ms, one_stats) = timed_view(&app, "#/erd?focus=public.projects").await;
    println!("GitLab ERD public.projects 1 hop: {one_stats}; navigation to drawn {one_ms:.0} ms");
    app.screenshot("92-erd-gitlab-projects-1hop").await;
    let (schema_ms, schema_stats) = timed_view(&app, "#/erd?schema=public").await;
    println!("GitLab ERD schema public: {schema_stats}; navigation to drawn {schema_ms:.0} ms");
    app.screenshot("93-erd-gitlab-schema-public").await;
    let (path_ms, path_stats) = timed_view(&app, "#/erd?from=public.approval_merge_request_rules_users&to=public.namespaces").await;
    println!(
        "GitLab ERD path approval_merge_request_rules_users → namespaces: {path_stats}; navigation to drawn {path_ms:.0} ms; {:?}",
        keys_on_screen(&app).await
    );
    app.finish().await;
}

#[tokio::test(flavor = "current_thread")]
async fn devhunt_erd_views() {
    let _serial = serial().await;
    let app = App::open_corpus("supabase/devhunt/dump_2023-10-02.sql", &[], LOAD).await;
    for (hash, shot) in [
        ("#/erd", "95-erd-devhunt-overview"),
        ("#/erd?schema=public", "96-erd-devhunt-schema-public"),
        ("#/erd?focus=public.products&hops=2", "97-erd-devhunt-products-2hops"),
    ] {
        let (ms, stats) = timed_view(&app, hash).await;
        println!("devhunt ERD {hash}: {stats}; drawn in {ms:.0} ms");
        assert_eq!(overlaps(&app).await, json!(0), "{hash}");
        app.screenshot(shot).await;
    }
    app.finish().await;
}
