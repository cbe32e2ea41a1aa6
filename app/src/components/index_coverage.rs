//! The index coverage of one table ([`pglens_core::coverage`]): a grid of its columns × its
//! indexes (key positions, INCLUDE columns, duplicate and redundant indexes marked), then what
//! needs an index, its foreign keys and RLS filter columns, each covered or not with the fix.
//!
//! Computed on this thread with `coverage::with_filters`, which parses nothing (this wasm does
//! not link the parser): the columns RLS policies filter on come with the worker's health
//! checks, computed under the same assumptions, so the view and the Checks page always agree.

use super::FixSql;
use crate::helpers::Route;
use crate::state::{use_state, Data};
use leptos::prelude::*;
use pglens_core::coverage::{self, Cell, Coverage, IndexInfo, Scope};
use pglens_core::model::Span;
use std::collections::BTreeSet;
use std::sync::Arc;

/// `selected` is the table page's source view: an index's name shows its statement there.
#[component]
pub fn IndexCoverage(data: Arc<Data>, key: String, selected: RwSignal<Option<(String, Span)>>) -> impl IntoView {
    let state = use_state();
    move || {
        let findings = state.findings.get();
        let assumptions = findings.as_ref().map(|f| f.assumptions.clone()).unwrap_or_else(|| state.assumptions.get_untracked());
        let none = coverage::FilterColumns::new();
        let filters = findings.as_ref().map_or(&none, |f| &f.rls_filters);
        let Some(c) = coverage::with_filters(&data.loaded.snapshot, &key, &assumptions, filters) else {
            return view! { <p class="empty small">"No such table."</p> }.into_any();
        };
        let checks_done = findings.is_some();
        view! {
            <div class="coverage" id="index-coverage">
                {summary(&c, checks_done)}
                {grid(&c, selected)}
                {foreign_keys(&c)}
                {rls_filters(&c, checks_done)}
                {repeats(&c)}
            </div>
        }
        .into_any()
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn summary(c: &Coverage, checks_done: bool) -> impl IntoView {
    let uncovered_fks = c.foreign_keys.iter().filter(|f| f.covered_by.is_none()).count();
    let mut parts = vec![plural(c.indexes.len(), "index", "indexes")];
    if c.foreign_keys_scope == Scope::Checked {
        parts.push(format!("foreign keys: {} of {} covered", c.foreign_keys.len() - uncovered_fks, c.foreign_keys.len()));
    }
    if checks_done && c.rls_scope == Scope::Checked {
        let uncovered = c.rls_filters.iter().filter(|n| n.covered_by.is_none()).count();
        parts.push(format!("RLS filter columns: {} of {} covered", c.rls_filters.len() - uncovered, c.rls_filters.len()));
    }
    let dups = c.indexes.iter().filter(|i| i.duplicate_of.is_some()).count();
    let redundant = c.indexes.iter().filter(|i| i.redundant_with.is_some()).count();
    parts.push(format!("{}, {redundant} redundant", plural(dups, "duplicate", "duplicates")));
    view! { <p class="cov-summary" id="coverage-summary">{parts.join(" · ")}</p> }
}

/// An index name short enough for the vertical header: a long one loses the table's name that
/// naming conventions put first (`index_projects_on_creator_id` → `…creator_id`), the part
/// every index of the table shares. The header's tooltip keeps the whole name.
fn short_name<'a>(index: &'a str, table: &str) -> std::borrow::Cow<'a, str> {
    if index.chars().count() <= 24 {
        return index.into();
    }
    let prefixes = [format!("index_{table}_on_"), format!("index_{table}_"), format!("idx_{table}_"), format!("{table}_")];
    match prefixes.iter().find_map(|p| index.strip_prefix(p.as_str())).filter(|rest| !rest.is_empty()) {
        Some(rest) => format!("…{rest}").into(),
        None => index.into(),
    }
}

/// The header's badges: (class, label, tooltip).
fn badges(i: &IndexInfo) -> Vec<(&'static str, String, String)> {
    let mut v = Vec::new();
    if i.primary_key {
        v.push(("info", "PK".into(), format!("backs the primary key {}", i.constraint.clone().unwrap_or_default())));
    } else if i.unique {
        v.push((
            "info",
            "unique".into(),
            i.constraint.as_ref().map(|c| format!("backs the constraint {c}")).unwrap_or_else(|| "unique index".into()),
        ));
    }
    if let Some(p) = &i.predicate {
        v.push(("warn", "partial".into(), format!("WHERE {p}")));
    }
    if i.method != "btree" {
        v.push(("", i.method.clone(), format!("access method {}", i.method)));
    }
    if let Some(d) = &i.duplicate_of {
        v.push(("error", "duplicate".into(), format!("same definition as {d}")));
    }
    if let Some(r) = &i.redundant_with {
        v.push(("warn", "redundant".into(), format!("its keys lead {r}, which serves the same queries")));
    }
    v
}

fn grid(c: &Coverage, selected: RwSignal<Option<(String, Span)>>) -> AnyView {
    let table = c.table.rsplit_once('.').map(|(_, t)| t).unwrap_or(&c.table);
    if c.indexes.is_empty() {
        return view! { <p class="empty small" id="coverage-no-indexes">"No indexes on this table."</p> }.into_any();
    }
    let uncovered_fk: BTreeSet<&str> =
        c.foreign_keys.iter().filter(|f| f.covered_by.is_none()).flat_map(|f| f.columns.iter().map(String::as_str)).collect();
    let uncovered_rls: BTreeSet<&str> = c.rls_filters.iter().filter(|n| n.covered_by.is_none()).map(|n| n.column.as_str()).collect();
    let repeat = |i: &IndexInfo| {
        if i.duplicate_of.is_some() {
            " cov-dup"
        } else if i.redundant_with.is_some() {
            " cov-red"
        } else {
            ""
        }
    };
    let head = c
        .indexes
        .iter()
        .map(|i| {
            let (title, span) = (format!("index {}", i.name), i.span);
            let show = move |_| {
                selected.set(Some((title.clone(), span)));
                if let Some(e) = document().get_element_by_id("table-source") {
                    e.scroll_into_view();
                }
            };
            let badges = badges(i)
                .into_iter()
                .map(|(class, label, tip)| view! { <span class=format!("badge {class}") title=tip>{label}</span> })
                .collect_view();
            view! {
                <th class=format!("cov-ix{}", repeat(i)) data-index=i.name.clone() title=i.definition.clone()>
                    <div class="cov-ix-head">
                        <button class="link mono cov-ix-name" title=i.name.clone() on:click=show>{short_name(&i.name, table).into_owned()}</button>
                        {badges}
                    </div>
                </th>
            }
        })
        .collect_view();
    let rows = c
        .rows
        .iter()
        .map(|r| {
            let tag = |on: bool, class: &'static str, label: &'static str, tip: &'static str| {
                on.then(|| view! { <span class=format!("tag {class}") title=tip>{label}</span> })
            };
            let fk_bad = uncovered_fk.contains(r.label.as_str());
            let rls_bad = uncovered_rls.contains(r.label.as_str());
            let cells = r
                .cells
                .iter()
                .zip(&c.indexes)
                .map(|(cell, i)| {
                    let (class, text) = match cell {
                        Some(Cell::Key(1)) => ("cov-cell k1", "1".to_string()),
                        Some(Cell::Key(p)) => ("cov-cell kn", p.to_string()),
                        Some(Cell::Include) => ("cov-cell inc", "inc".to_string()),
                        None => ("cov-cell", String::new()),
                    };
                    view! { <td class=format!("{class}{}", repeat(i))>{text}</td> }
                })
                .collect_view();
            view! {
                <tr data-column=r.label.clone() class:cov-expr=r.data_type.is_none()>
                    <th class="cov-col" scope="row" title=r.label.clone()>
                        <span class="mono strong">{r.label.clone()}</span>
                        {tag(r.primary_key, "pk", "PK", "in the primary key")}
                        {tag(r.foreign_key, if fk_bad { "fk bad" } else { "fk" }, "FK", if fk_bad { "in a foreign key no index leads with" } else { "in a foreign key" })}
                        {tag(r.rls_filter, if rls_bad { "rls bad" } else { "rls" }, "RLS", if rls_bad { "filtered by a policy, no index leads with it" } else { "filtered by a policy" })}
                        " "
                        <span class="mono dim small">{r.data_type.clone().unwrap_or_else(|| "expression".into())}</span>
                    </th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="cov-scroll">
            <table class="cov-grid" id="coverage-grid">
                <thead><tr><th class="cov-col cov-corner">"Column"</th>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="dim small cov-legend">"1, 2, …: key position · inc: INCLUDE column · an index name shows its statement below"</p>
    }
    .into_any()
}

/// A need's status badge and, when it has no index, the fix.
fn status(covered_by: &Option<String>, fix: &Option<String>) -> (AnyView, Option<AnyView>) {
    match covered_by {
        Some(i) => (view! { <span class="badge ok">"covered"</span>" by "<span class="mono">{i.clone()}</span> }.into_any(), None),
        None => (
            view! { <span class="badge error">"not covered"</span> }.into_any(),
            fix.clone().map(|sql| view! { <FixSql sql=sql /> }.into_any()),
        ),
    }
}

/// Why a list of needs is empty or partial, when it is.
fn scope_note(scope: &Scope, what: &str) -> Option<AnyView> {
    let text = match scope {
        Scope::Checked => return None,
        Scope::Parent { table } => {
            let link = Route::Table(table.clone()).href();
            return Some(
                view! { <p class="dim small cov-note">"A partition: the indexes of its parent "<a class="mono" href=link>{table.clone()}</a>{format!(" serve it, and its {what} are judged there.")}</p> }
                    .into_any(),
            );
        }
        Scope::RlsDisabled => "Row level security is off on this table: no policy filters its rows.".to_string(),
        Scope::Platform => format!("A table of the platform's schemas: the health checks do not judge its {what}."),
    };
    Some(view! { <p class="dim small cov-note">{text}</p> }.into_any())
}

fn foreign_keys(c: &Coverage) -> impl IntoView {
    let items = c
        .foreign_keys
        .iter()
        .map(|f| {
            let (badge, fix) = status(&f.covered_by, &f.fix);
            let target = format!("{}({})", f.references, f.referenced_columns.join(", "));
            view! {
                <li class="cov-need" class:uncovered=f.covered_by.is_none() data-need=f.name.clone()>
                    <div>
                        "FK "<span class="mono strong">{f.name.clone()}</span>
                        <span class="mono">{format!(" ({}) → ", f.columns.join(", "))}</span>
                        <a class="mono" href=Route::Table(f.references.clone()).href()>{target}</a>
                        " "{badge}
                    </div>
                    {fix}
                </li>
            }
        })
        .collect_view();
    let empty = (c.foreign_keys.is_empty() && c.foreign_keys_scope == Scope::Checked)
        .then(|| view! { <p class="empty small">"No foreign keys."</p> });
    view! {
        <h3>"Foreign keys"</h3>
        {scope_note(&c.foreign_keys_scope, "foreign keys")}
        {empty}
        <ul class="cov-needs" id="coverage-fks">{items}</ul>
    }
}

fn rls_filters(c: &Coverage, checks_done: bool) -> impl IntoView {
    let items = c
        .rls_filters
        .iter()
        .map(|n| {
            let (badge, fix) = status(&n.covered_by, &n.fix);
            let policies = format!(" ({} {})", if n.policies.len() == 1 { "policy" } else { "policies" }, n.policies.join(", "));
            view! {
                <li class="cov-need" class:uncovered=n.covered_by.is_none() data-need=n.column.clone()>
                    <div>"RLS filter on "<span class="mono strong">{n.column.clone()}</span><span class="dim">{policies}</span>" "{badge}</div>
                    {fix}
                </li>
            }
        })
        .collect_view();
    let waiting = !checks_done && c.rls_scope == Scope::Checked;
    let body = if waiting {
        view! { <p class="dim small cov-note">"Waiting for the health checks…"</p> }.into_any()
    } else {
        let none = (c.rls_filters.is_empty() && c.rls_scope == Scope::Checked)
            .then(|| view! { <p class="empty small">"No policy filters on a column of this table."</p> });
        view! { {scope_note(&c.rls_scope, "RLS filters")}{none}<ul class="cov-needs" id="coverage-rls">{items}</ul> }.into_any()
    };
    view! { <h3>"RLS filter columns"</h3>{body} }
}

fn repeats(c: &Coverage) -> Option<impl IntoView> {
    let items: Vec<_> = c
        .indexes
        .iter()
        .filter_map(|i| {
            let (what, other) = match (&i.duplicate_of, &i.redundant_with) {
                (Some(d), _) => (" duplicates ", d),
                (None, Some(r)) => (" is a leading prefix of ", r),
                (None, None) => return None,
            };
            Some(view! { <li data-index=i.name.clone()><span class="mono strong">{i.name.clone()}</span>{what}<span class="mono">{other.clone()}</span></li> })
        })
        .collect();
    if items.is_empty() {
        return None;
    }
    Some(view! {
        <h3>"Duplicate and redundant indexes"</h3>
        <ul class="cov-repeats" id="coverage-repeats">{items}</ul>
        <p class="dim small cov-note">"A duplicate is a health-check finding: drop it. A redundant index serves no query the wider one does not; it may still pay for itself by being smaller."</p>
    })
}

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn long_index_names_lose_the_table_prefix() {
        assert_eq!(short_name("tasks_pkey", "tasks"), "tasks_pkey");
        assert_eq!(short_name("index_projects_on_creator_id_and_created_at", "projects"), "…creator_id_and_created_at");
        assert_eq!(short_name("idx_projects_api_created_at_id_for_archived", "projects"), "…api_created_at_id_for_archived");
        assert_eq!(short_name("index_unrelated_name_that_is_quite_long", "projects"), "index_unrelated_name_that_is_quite_long");
    }
}
