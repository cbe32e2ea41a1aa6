//! The Checks page: the health checks' findings (computed in the worker under the assumptions in
//! force), counts by priority and category, filters kept in the hash, and for each finding its
//! object, why it matters, the fix with a copy button, its assumptions and its source lines.

use crate::checks_view::{table_of, ChecksView};
use crate::components::fix_sql::FixSql;
use crate::components::source::SourceView;
use crate::helpers::Route;
use crate::state::{use_state, Data, Findings};
use leptos::prelude::*;
use pglens_core::checks::{Category, Finding, Priority, RuleSummary};
use std::sync::Arc;

const PAGE: usize = 100;

#[component]
pub fn Checks() -> impl IntoView {
    let state = use_state();
    // The filters live in the hash; the page stays mounted while they change.
    let view = Memo::new(move |prev: Option<&ChecksView>| match &*state.route.read() {
        Route::Checks(v) => v.clone(),
        _ => prev.cloned().unwrap_or_default(),
    });
    let shown = RwSignal::new(PAGE);
    let body = move || {
        let Some(data) = state.data.get() else {
            return view! { <super::NoData /> }.into_any();
        };
        let Some(findings) = state.findings.get() else {
            return view! { <p class="empty" id="checks-running">"Running the checks…"</p> }.into_any();
        };
        view! { <Results data=data findings=findings view=view.get() shown=shown /> }.into_any()
    };
    view! {
        <section class="page checks">
            <h1>"Health checks"</h1>
            {body}
        </section>
    }
}

fn go(view: ChecksView) {
    use_state().navigate(Route::Checks(view), true);
}

#[component]
fn Results(data: Arc<Data>, findings: Arc<Findings>, view: ChecksView, shown: RwSignal<usize>) -> impl IntoView {
    let all = &findings.findings;
    let count = |p: Priority| all.iter().filter(|f| f.priority == p && !f.baselined).count();
    let cards = [Priority::P0, Priority::P1, Priority::P2]
        .into_iter()
        .map(|p| {
            let n = count(p);
            let on = view.priorities.is_empty() || view.priorities.contains(&p);
            let next = view.toggled(p);
            let label = match p {
                Priority::P0 => "P0 · fix now",
                Priority::P1 => "P1 · fix soon",
                Priority::P2 => "P2 · hygiene",
            };
            view! {
                <button class=format!("card prio {}", p.as_str().to_lowercase()) class:off=!on class:zero=n == 0
                    id=format!("count-{}", p.as_str().to_lowercase()) on:click=move |_| go(next.clone())>
                    <span class="num">{n}</span>
                    <span class="label">{label}</span>
                </button>
            }
        })
        .collect_view();
    let categories = [Category::Security, Category::Performance, Category::Integrity, Category::Conventions]
        .into_iter()
        .map(|c| {
            let n = all.iter().filter(|f| f.category == c && !f.baselined).count();
            let selected = view.category == Some(c);
            view! { <option value=c.as_str() selected=selected>{format!("{} ({n})", c.as_str())}</option> }
        })
        .collect_view();
    let mut rule_ids: Vec<&str> = all.iter().map(|f| f.rule.as_str()).collect();
    rule_ids.dedup();
    rule_ids.sort();
    rule_ids.dedup();
    let rule_options = rule_ids
        .into_iter()
        .map(|r| {
            let selected = view.rule.as_deref() == Some(r);
            let r = r.to_string();
            view! { <option value=r.clone() selected=selected>{r.clone()}</option> }
        })
        .collect_view();
    let on_category = {
        let view = view.clone();
        move |ev| go(ChecksView { category: crate::checks_view::category(&event_target_value(&ev)), ..view.clone() })
    };
    let on_rule = {
        let view = view.clone();
        move |ev| {
            let r = event_target_value(&ev);
            go(ChecksView { rule: (!r.is_empty()).then_some(r), ..view.clone() })
        }
    };
    let on_search = {
        let view = view.clone();
        move |ev| go(ChecksView { q: event_target_value(&ev), ..view.clone() })
    };
    let matching: Vec<Finding> = all.iter().filter(|f| !f.baselined && view.shows(f)).cloned().collect();
    let total = matching.len();
    let matching = Arc::new(matching);
    let list = {
        let data = data.clone();
        let rules = findings.rules.clone();
        let matching = matching.clone();
        move || {
            let n = shown.get().min(matching.len());
            matching[..n].iter().map(|f| view! { <FindingCard data=data.clone() finding=f.clone() rules=rules.clone() /> }).collect_view()
        }
    };
    let more = move || {
        let left = total.saturating_sub(shown.get());
        (left > 0).then(|| view! { <button class="button" id="more-findings" on:click=move |_| shown.update(|n| *n += PAGE)>{format!("Show {} more of {left}", left.min(PAGE))}</button> })
    };
    let preset = findings.assumptions.preset.clone();
    view! {
        <div class="cards prio-cards">{cards}</div>
        <p class="hint">{format!("{} findings under the “{preset}” assumptions (edit them on the Access page); click a count to filter.", all.len())}</p>
        <div class="toolbar">
            <input type="search" placeholder="Search object, message, rule…" prop:value=view.q.clone() on:change=on_search id="checks-search" />
            <select on:change=on_category id="checks-category"><option value="">"All categories"</option>{categories}</select>
            <select on:change=on_rule id="checks-rule"><option value="">"All rules"</option>{rule_options}</select>
            <span class="count">{format!("{total} shown")}</span>
        </div>
        <ol class="findings" id="findings">{list}</ol>
        {more}
    }
}

#[component]
fn FindingCard(data: Arc<Data>, finding: Finding, rules: Arc<Vec<RuleSummary>>) -> impl IntoView {
    let f = finding;
    let docs = rules.iter().find(|r| r.id == f.rule);
    let section = |h: &str| docs.and_then(|d| d.sections.iter().find(|(x, _)| x == h)).map(|(_, b)| b.clone()).unwrap_or_default();
    let why = section("Why it matters");
    let title = docs.map(|d| d.title.clone()).unwrap_or_default();
    let snap = &data.loaded.snapshot;
    let object_link = match table_of(&f.object, |t| snap.tables.contains_key(t)) {
        Some(t) => view! { <a class="object" href=Route::Table(t.to_string()).href()>{f.object.clone()}</a> }.into_any(),
        None => view! { <span class="object">{f.object.clone()}</span> }.into_any(),
    };
    let fix = f.fix.clone().map(|sql| view! { <FixSql sql=sql /> });
    let assumptions = (!f.assumptions.is_empty()).then(|| {
        let items = f.assumptions.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view();
        view! { <div class="assumes"><span>"Rests on"</span><ul>{items}</ul></div> }
    });
    let source = f.span.map(|s| view! { <SourceView data=data.clone() span=s /> });
    let rule_link = Route::Checks(ChecksView { rule: Some(f.rule.clone()), ..Default::default() }).href();
    view! {
        <li class=format!("finding {}", f.priority.as_str().to_lowercase())>
            <div class="finding-head">
                <span class=format!("badge prio {}", f.priority.as_str().to_lowercase())>{f.priority.as_str()}</span>
                <a class="rule" href=rule_link title=title>{f.rule.clone()}</a>
                {object_link}
                <span class="category">{f.category.as_str()}</span>
            </div>
            <p class="message">{f.message.clone()}</p>
            <details>
                <summary>"Why it matters, fix, source"</summary>
                <p class="why">{why}</p>
                {fix}
                {assumptions}
                {source}
                <p class="fingerprint">"fingerprint " <code>{f.fingerprint.clone()}</code> " (add it to [checks] baseline in pglens.toml to accept)"</p>
            </details>
        </li>
    }
}
