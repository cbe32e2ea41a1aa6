//! The drill-down of one access cell (`access::explain`): the state and its reason, the row
//! filter, the grants that gave the privilege, USAGE on the schema, every policy on the table
//! (applied or not) with its source lines, and the assumptions the answer rests on.

use super::SourceView;
use crate::access_data::{state_label, state_symbol};
use crate::state::{use_state, Data};
use leptos::prelude::*;
use pglens_core::access::{Command, Explanation, GrantUsed, PolicyUsed};
use pglens_core::model::Span;
use std::sync::Arc;

#[component]
pub fn CellDetail(data: Arc<Data>, explanation: Arc<Explanation>, on_close: Callback<()>) -> impl IntoView {
    let state = use_state();
    let escape = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            on_close.run(());
        }
    });
    on_cleanup(move || escape.remove());
    let e = &explanation;
    let c = &e.cell;
    let preset = state.assumptions.with_untracked(|a| a.preset.clone());
    let rows_label = match c.command {
        Command::Insert => "New rows must satisfy (WITH CHECK)",
        Command::Update => "Rows it can update (USING)",
        Command::Delete => "Rows it can delete (USING)",
        _ => "Rows it can read (USING)",
    };
    let filter = |label: &'static str, id: &'static str, text: &Option<String>| {
        text.clone().map(|t| view! { <h3>{label}</h3><pre class="expr" id=id>{t}</pre> })
    };
    let columns = c.columns.clone().map(|cols| view! { <p>"Only on the columns " <span class="mono">{cols.join(", ")}</span> "."</p> });
    let acting = e.acting_as.join(", ");
    let assumptions = if c.assumptions.is_empty() {
        view! { <p class="dim">{format!("No assumed role fact was needed for this cell (preset “{preset}”).")}</p> }.into_any()
    } else {
        let items = c.assumptions.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view();
        view! { <ul class="assumption-list">{items}</ul> }.into_any()
    };
    view! {
        <aside class="drawer" id="cell-detail" aria-label="Why this cell">
            <header class="drawer-head">
                <div>
                    <div class="mono strong">{format!("{} · {}", c.role, c.command.as_str())}</div>
                    <div class="mono dim">{format!("{} ({})", e.relation.key, e.relation.kind)}</div>
                </div>
                <button class="button" id="cell-detail-close" aria-label="Close" on:click=move |_| on_close.run(())>"×"</button>
            </header>
            <p class="cell-state">
                <span class=format!("acc st-{}", c.state.as_str())>{state_symbol(c.state)}</span>
                " "
                <strong id="cell-state" data-state=c.state.as_str()>{state_label(c.state)}</strong>
                ": "
                <span id="cell-reason">{c.reason.clone()}</span>
            </p>
            {columns}
            {filter(rows_label, "cell-predicate", &c.predicate)}
            {(c.command == Command::Update).then(|| filter("New rows must satisfy (WITH CHECK)", "cell-with-check", &c.with_check))}
            <h3>"Privilege"</h3>
            <p>{format!("Privileges held by {} count for: {acting}.", c.role)}</p>
            <Grants data=data.clone() grants=e.grants.clone() id="cell-grants" empty=format!("No {} grant to any of them.", c.command.as_str()) />
            <h3>{format!("USAGE on schema {}", e.relation.schema)}</h3>
            {match e.schema_usage {
                None if c.privilege => view! { <p class="dim">"The schema is not in the snapshot (or the role is a superuser): USAGE assumed."</p> }.into_any(),
                None => view! { <p class="dim">"Not checked: there is no privilege to use it with."</p> }.into_any(),
                Some(false) => view! { <p>"No: none of these roles has USAGE on the schema."</p> }.into_any(),
                Some(true) => view! { <Grants data=data.clone() grants=e.schema_grants.clone() id="cell-schema-grants" empty=String::new() /> }.into_any(),
            }}
            <Policies data=data.clone() explanation=explanation.clone() />
            <h3>"Assumptions"</h3>
            {assumptions}
        </aside>
    }
}

/// Grants, each with the source lines of its GRANT (none for built-in defaults).
#[component]
fn Grants(data: Arc<Data>, grants: Vec<GrantUsed>, id: &'static str, empty: String) -> impl IntoView {
    if grants.is_empty() {
        return view! { <p class="dim" id=id>{empty}</p> }.into_any();
    }
    let rows = grants
        .iter()
        .map(|g| {
            view! {
                <tr>
                    <td class="mono">{g.grantee.clone()}</td>
                    <td>{g.privilege.clone()}</td>
                    <td class="mono">{g.column.clone().unwrap_or_default()}</td>
                    <td class="mono dim">{g.grantor.clone().unwrap_or_default()}</td>
                    <td class="dim small">{if g.span.is_some() { "" } else { "built-in default" }}</td>
                </tr>
            }
        })
        .collect_view();
    let mut spans: Vec<Span> = grants.iter().filter_map(|g| g.span).collect();
    spans.sort_by_key(|s| (s.file, s.start));
    spans.dedup();
    let sources = spans.into_iter().map(|s| view! { <SourceView data=data.clone() span=s title="GRANT" /> }).collect_view();
    view! {
        <table class="grid compact" id=id>
            <thead><tr><th>"Grantee"</th><th>"Privilege"</th><th>"Column"</th><th>"Grantor"</th><th></th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {sources}
    }
    .into_any()
}

/// Every policy on the table. When row level security was not evaluated for this cell (disabled,
/// bypassed, a view), the table's policies are still listed, as not applied, with why.
#[component]
fn Policies(data: Arc<Data>, explanation: Arc<Explanation>) -> impl IntoView {
    let e = &explanation;
    let snapshot_policies: Vec<PolicyUsed> = if e.policies.is_empty() {
        data.loaded
            .snapshot
            .tables
            .get(&e.relation.key)
            .map(|t| {
                t.policies
                    .values()
                    .map(|p| PolicyUsed {
                        name: p.name.clone(),
                        permissive: p.permissive,
                        command: format!("{:?}", p.command).to_uppercase(),
                        roles: p.roles.clone(),
                        using: p.using.as_ref().map(|x| x.canonical.clone()),
                        with_check: p.with_check.as_ref().map(|x| x.canonical.clone()),
                        applies: false,
                        span: p.span,
                    })
                    .collect()
            })
            .unwrap_or_default()
    } else {
        e.policies.clone()
    };
    let evaluated = !e.policies.is_empty();
    let note = match (evaluated, snapshot_policies.is_empty()) {
        (_, true) => Some("No policy on this relation.".to_string()),
        (false, false) => Some(format!("Row level security did not decide this cell ({}), so no policy applies.", e.cell.reason)),
        (true, false) => None,
    };
    let n = snapshot_policies.len();
    let items = snapshot_policies
        .into_iter()
        .map(|p| {
            let exprs = [("USING", &p.using), ("WITH CHECK", &p.with_check)]
                .into_iter()
                .filter_map(|(k, v)| v.clone().map(|v| view! { <div class="mono small"><span class="dim">{k}" "</span>{v}</div> }))
                .collect_view();
            let title = format!("policy {}", p.name);
            view! {
                <div class="policy-used" class:applies=p.applies>
                    <div>
                        <span class=if p.applies { "badge ok" } else { "badge" }>{if p.applies { "applied" } else { "not applied" }}</span>
                        " "<span class="mono strong">{p.name.clone()}</span>
                        <span class="dim">{format!(" {} · {} · to {}", p.command, if p.permissive { "permissive" } else { "restrictive" }, p.roles.join(", "))}</span>
                    </div>
                    {exprs}
                    <SourceView data=data.clone() span=p.span title=title />
                </div>
            }
        })
        .collect_view();
    view! {
        <h3>"Policies "<span class="count">{n.to_string()}</span></h3>
        {note.map(|t| view! { <p class="dim">{t}</p> })}
        <div id="cell-policies">{items}</div>
    }
}
