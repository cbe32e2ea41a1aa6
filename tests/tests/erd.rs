//! End-to-end: the ER diagram page on the saas sample. `#/erd?focus=public.tasks` draws the
//! table and its foreign-key neighbours as SVG boxes with rows and edges, hops widen it, clicking
//! a box refocuses, and the table page links to it.

use e2e::*;
use serde_json::json;
use std::time::Duration;

const START: Duration = Duration::from_secs(60);
const LOAD: Duration = Duration::from_secs(180);

async fn boxes(app: &App) -> u64 {
    app.js("document.querySelectorAll('#erd-svg g.erd-box').length").await.as_u64().unwrap_or(0)
}

#[tokio::test(flavor = "current_thread")]
async fn saas_erd_neighbourhood_of_tasks() {
    let _serial = serial().await;
    let app = App::open().await;
    app.wait_loaded("saas.sql", START).await;
    app.upload(&[workspace_root().join("fixtures/dumps/saas.sql")]).await;
    app.wait_loaded("saas.sql", LOAD).await;

    // From the table page.
    app.goto_hash("#/table/public.tasks").await;
    let link = app.wait_for("#table-erd-link", START).await;
    assert_eq!(link.attr("href").await.unwrap().as_deref(), Some("#/erd?focus=public.tasks"));

    app.goto_hash("#/erd?focus=public.tasks").await;
    app.wait_js("ER boxes drawn", "document.querySelectorAll('#erd-svg g.erd-box').length > 1", START).await;
    let one_hop = boxes(&app).await;
    let stats = app.text("#erd-stats").await;
    println!("saas ERD, public.tasks, 1 hop: {stats}");
    // The focus is drawn, highlighted, with its header and key rows as text.
    assert_eq!(app.js("document.querySelectorAll('#erd-svg g.erd-box.focus').length").await, json!(1));
    let header = app.text("#erd-svg g.erd-box.focus text.erd-header").await;
    assert_eq!(header, "public.tasks");
    assert!(app.js("document.querySelectorAll('#erd-svg g.erd-box.focus text.erd-row').length").await.as_u64().unwrap() >= 2);
    let edges = app.js("document.querySelectorAll('#erd-svg g.erd-edge polyline').length").await.as_u64().unwrap();
    assert!(edges >= one_hop - 1, "{edges} edges for {one_hop} boxes");
    // Boxes do not overlap on screen.
    let overlaps = app
        .js("(() => { const r = [...document.querySelectorAll('#erd-svg g.erd-box rect.erd-body')].map(e => e.getBoundingClientRect()); \
             let n = 0; for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++) { const a = r[i], b = r[j]; \
             if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) n++; } return n; })()")
        .await;
    assert_eq!(overlaps, json!(0));
    app.screenshot("80-erd-tasks-1hop").await;

    // Two hops: more tables.
    app.js("(document.querySelector('#erd-hops-2').click(), true)").await;
    app.wait_js("hops=2 in the hash", "location.hash.includes('hops=2')", START).await;
    app.wait_js("more boxes at 2 hops", &format!("document.querySelectorAll('#erd-svg g.erd-box').length > {one_hop}"), START).await;
    println!("saas ERD, public.tasks, 2 hops: {}", app.text("#erd-stats").await);
    app.screenshot("81-erd-tasks-2hops").await;

    // Zoom with the wheel changes the view box.
    let vb0 = app.js("document.querySelector('#erd-svg').getAttribute('viewBox')").await;
    app.js("(() => { const s = document.querySelector('#erd-svg'); const r = s.getBoundingClientRect(); \
            s.dispatchEvent(new WheelEvent('wheel', {deltaY: -300, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, bubbles: true, cancelable: true})); return true; })()")
        .await;
    app.wait_js("zoomed", &format!("document.querySelector('#erd-svg').getAttribute('viewBox') !== {vb0}"), START).await;

    // Clicking another box refocuses on it.
    let other = app
        .js("(() => { const g = [...document.querySelectorAll('#erd-svg g.erd-box')].find(g => !g.classList.contains('focus')); \
             g.dispatchEvent(new MouseEvent('click', {bubbles: true})); return g.dataset.key; })()")
        .await;
    let other = other.as_str().unwrap().to_string();
    app.wait_js("refocused", &format!("decodeURIComponent(location.hash).includes('focus={other}')"), START).await;
    app.wait_js("new focus drawn", &format!("(document.querySelector('#erd-svg g.erd-box.focus')||{{}}).dataset?.key === {}", json!(other)), START)
        .await;
    app.screenshot("82-erd-refocused").await;

    // Dragging pans: the view box moves, its size does not.
    let vb1 = app.js("document.querySelector('#erd-svg').getAttribute('viewBox')").await;
    app.js("(() => { const s = document.querySelector('#erd-svg'); const r = s.getBoundingClientRect(); \
            const at = (type, dx) => s.dispatchEvent(new PointerEvent(type, {button: 0, clientX: r.left + 100 + dx, clientY: r.top + 100, bubbles: true})); \
            at('pointerdown', 0); at('pointermove', 40); at('pointermove', 120); at('pointerup', 120); return true; })()")
        .await;
    let vb2 = app.wait_js("panned", &format!("(v => v !== {vb1} && v)(document.querySelector('#erd-svg').getAttribute('viewBox'))"), START).await;
    let (a, b): (Vec<f64>, Vec<f64>) = (
        vb1.as_str().unwrap().split(' ').map(|x| x.parse().unwrap()).collect(),
        vb2.as_str().unwrap().split(' ').map(|x| x.parse().unwrap()).collect(),
    );
    assert!(b[0] < a[0] && (a[2] - b[2]).abs() < 0.2, "pan {vb1} -> {vb2}");
    app.finish().await;
}
