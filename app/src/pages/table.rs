//! One table: columns, constraints, indexes, policies, triggers, grants, comment and the source
//! lines of each statement that shaped it.

use crate::components::{IndexCoverage, SourceView};
use crate::erd_view::ErdView;
use crate::helpers::Route;
use crate::pages::tables::kind_label;
use crate::state::{use_state, Data};
use leptos::prelude::*;
use pglens_core::model::{ConstraintKind, Expr, Identity, Privilege, Span, Table};
use std::sync::Arc;

#[component]
pub fn TablePage(key: String) -> impl IntoView {
    let state = use_state();
    view! {
        <section class="page detail-page">
            <p class="crumbs"><a href=Route::Tables.href()>"Tables"</a>" / "<span class="mono">{key.clone()}</span></p>
            {move || match state.data.get() {
                None => view! { <super::NoData /> }.into_any(),
                Some(d) if d.loaded.snapshot.tables.contains_key(&key) => view! { <TableDetail data=d key=key.clone() /> }.into_any(),
                Some(_) => view! { <p class="empty">{format!("No table {key} in this snapshot.")}</p> }.into_any(),
            }}
        </section>
    }
}

fn expr_text(e: &Option<Expr>) -> String {
    e.as_ref().map(|e| e.text.clone()).unwrap_or_default()
}

fn constraint_kind(k: ConstraintKind) -> &'static str {
    match k {
        ConstraintKind::PrimaryKey => "primary key",
        ConstraintKind::ForeignKey => "foreign key",
        ConstraintKind::Unique => "unique",
        ConstraintKind::Check => "check",
        ConstraintKind::Exclude => "exclude",
        ConstraintKind::NotNull => "not null",
    }
}

/// A clickable `line N` that shows that statement's source below.
fn line_button(selected: RwSignal<Option<(String, Span)>>, title: String, span: Span) -> impl IntoView {
    let label = if span.line == 0 { "—".to_string() } else { format!("line {}", span.line) };
    view! { <button class="link mono small" title="Show the source" on:click=move |_| selected.set(Some((title.clone(), span)))>{label}</button> }
}

fn section_head(title: &'static str, n: usize) -> impl IntoView {
    view! { <h2>{title}" "<span class="count">{n.to_string()}</span></h2> }
}

fn grants_rows(privs: &[Privilege], column: Option<&str>) -> Vec<AnyView> {
    privs
        .iter()
        .map(|p| {
            view! {
                <tr>
                    <td class="mono">{p.grantee.clone()}</td>
                    <td>{p.privilege.clone()}</td>
                    <td class="mono">{column.unwrap_or("").to_string()}</td>
                    <td>{if p.grantable { "yes" } else { "" }}</td>
                    <td class="mono dim">{p.grantor.clone().unwrap_or_default()}</td>
                </tr>
            }
            .into_any()
        })
        .collect()
}

#[component]
fn TableDetail(data: Arc<Data>, key: String) -> impl IntoView {
    let t: &Table = &data.loaded.snapshot.tables[&key];
    let selected = RwSignal::new(Some((format!("CREATE of {key}"), t.span)));

    let mut facts: Vec<(&str, String)> = vec![("kind", kind_label(t).to_string())];
    if let Some(o) = &t.owner {
        facts.push(("owner", o.clone()));
    }
    facts.push((
        "row level security",
        match (t.rls_enabled, t.rls_forced) {
            (true, true) => "enabled, forced".into(),
            (true, false) => "enabled".into(),
            _ => "disabled".into(),
        },
    ));
    if let Some(p) = &t.partition_by {
        facts.push(("partition by", p.clone()));
    }
    if let Some(p) = &t.partition_of {
        facts.push(("partition of", format!("{} {}", p.parent, p.bound)));
    }
    if !t.inherits.is_empty() {
        facts.push(("inherits", t.inherits.join(", ")));
    }
    if t.unlogged {
        facts.push(("unlogged", "yes".into()));
    }
    if !t.options.is_empty() {
        facts.push(("options", t.options.join(", ")));
    }
    facts.push(("defined at", data.location(&t.span)));
    let facts = facts.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd class="mono">{v}</dd> }).collect_view();

    let columns = t
        .columns
        .iter()
        .map(|c| {
            let identity = match c.identity {
                Some(Identity::Always) => "ALWAYS",
                Some(Identity::ByDefault) => "BY DEFAULT",
                None => "",
            };
            view! {
                <tr>
                    <td class="mono strong">{c.name.clone()}{c.inherited.then(|| view! { <span class="dim small">" (inherited)"</span> })}</td>
                    <td class="mono">{c.data_type.clone()}{c.collation.clone().map(|col| format!(" COLLATE {col}"))}</td>
                    <td>{if c.not_null { view! { <span class="badge">"not null"</span> }.into_any() } else { view! { <span class="dim">"null"</span> }.into_any() }}</td>
                    <td class="mono">{expr_text(&c.default)}</td>
                    <td>{identity}</td>
                    <td class="mono">{expr_text(&c.generated)}</td>
                    <td class="dim">{c.comment.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();

    let constraints = t
        .constraints
        .values()
        .map(|c| {
            let title = format!("constraint {}", c.name);
            let mut flags = Vec::new();
            if c.deferrable {
                flags.push(if c.initially_deferred { "deferrable, initially deferred" } else { "deferrable" });
            }
            if c.not_valid {
                flags.push("not valid");
            }
            view! {
                <tr>
                    <td class="mono strong">{c.name.clone()}</td>
                    <td>{constraint_kind(c.kind)}</td>
                    <td class="mono">{c.definition.clone()}</td>
                    <td class="dim">{flags.join(", ")}</td>
                    <td>{line_button(selected, title, c.span)}</td>
                </tr>
            }
        })
        .collect_view();

    let indexes = t
        .indexes
        .values()
        .map(|i| {
            let title = format!("index {}", i.name);
            view! {
                <tr>
                    <td class="mono strong">{i.name.clone()}</td>
                    <td>{if i.unique { "unique " } else { "" }}{i.method.clone()}</td>
                    <td class="mono">{i.definition.clone()}</td>
                    <td class="mono dim">{i.constraint.clone().unwrap_or_default()}</td>
                    <td>{line_button(selected, title, i.span)}</td>
                </tr>
            }
        })
        .collect_view();

    // From the policy list's rows: the same status as on the policies page, and the export-only
    // policies on this table too.
    let reconciled = data.loaded.policy_reconciliation.is_some();
    let table_policies: Vec<_> = data.policy_rows.iter().filter(|p| p.table == key).cloned().collect();
    let policy_count = table_policies.len();
    let policies = table_policies
        .into_iter()
        .map(|p| {
            let title = format!("policy {}", p.name);
            let status = reconciled.then(|| {
                let s = p.status.map(|s| (s.as_str(), s.label())).unwrap_or(("", ""));
                view! { <td><span class=format!("badge recon st-{}", s.0)>{s.1}</span></td> }
            });
            view! {
                <tr>
                    <td class="mono strong">{p.name.clone()}</td>
                    <td>{p.command_label()}</td>
                    <td>{if p.permissive { "permissive" } else { "restrictive" }}</td>
                    <td class="mono">{p.roles.join(", ")}</td>
                    <td class="mono">{p.using.clone().unwrap_or_default()}</td>
                    <td class="mono">{p.with_check.clone().unwrap_or_default()}</td>
                    {status}
                    <td>{line_button(selected, title, p.span())}</td>
                </tr>
            }
        })
        .collect_view();

    let triggers: Vec<_> = data.loaded.snapshot.triggers.values().filter(|tr| tr.table == key).collect();
    let trigger_count = triggers.len();
    let triggers = triggers
        .into_iter()
        .map(|tr| {
            let title = format!("trigger {}", tr.name);
            view! {
                <tr>
                    <td class="mono strong">{tr.name.clone()}</td>
                    <td>{format!("{} {}{}", tr.timing, tr.events.join(" OR "), if tr.for_each_row { " FOR EACH ROW" } else { "" })}</td>
                    <td class="mono">{tr.function.clone()}</td>
                    <td class="dim">{tr.enabled.clone()}</td>
                    <td>{line_button(selected, title, tr.span)}</td>
                </tr>
            }
        })
        .collect_view();

    let mut grants = grants_rows(&t.privileges, None);
    for c in &t.columns {
        grants.extend(grants_rows(&c.privileges, Some(&c.name)));
    }
    let grant_count = grants.len();

    let src = data.clone();
    let empty = |what: &str| view! { <p class="empty small">{format!("No {what}.")}</p> };
    view! {
        <h1 class="mono">{key.clone()}</h1>
        <p class="table-links"><a id="table-erd-link" href=Route::Erd(ErdView::focused(&key)).href()>"ER diagram"</a></p>
        {t.comment.clone().map(|c| view! { <p class="comment">{c}</p> })}
        <dl class="facts">{facts}</dl>

        {section_head("Columns", t.columns.len())}
        {if t.columns.is_empty() { Some(empty("columns")) } else { None }}
        <table class="grid" id="columns" class:hidden=t.columns.is_empty()>
            <thead><tr><th>"Name"</th><th>"Type"</th><th>"Null"</th><th>"Default"</th><th>"Identity"</th><th>"Generated"</th><th>"Comment"</th></tr></thead>
            <tbody>{columns}</tbody>
        </table>

        {section_head("Constraints", t.constraints.len())}
        {if t.constraints.is_empty() { Some(empty("constraints")) } else { None }}
        <table class="grid" class:hidden=t.constraints.is_empty()>
            <thead><tr><th>"Name"</th><th>"Kind"</th><th>"Definition"</th><th>"Flags"</th><th>"Source"</th></tr></thead>
            <tbody>{constraints}</tbody>
        </table>

        {section_head("Indexes", t.indexes.len())}
        {if t.indexes.is_empty() { Some(empty("indexes")) } else { None }}
        <table class="grid" class:hidden=t.indexes.is_empty()>
            <thead><tr><th>"Name"</th><th>"Method"</th><th>"Definition"</th><th>"Backs"</th><th>"Source"</th></tr></thead>
            <tbody>{indexes}</tbody>
        </table>

        <h2>"Index coverage"</h2>
        <IndexCoverage data=data.clone() key=key.clone() selected=selected />

        {section_head("Policies", policy_count)}
        {if policy_count == 0 { Some(empty("policies")) } else { None }}
        <table class="grid" id="table-policies" class:hidden=policy_count == 0>
            <thead><tr><th>"Name"</th><th>"Command"</th><th>"Type"</th><th>"Roles"</th><th>"USING"</th><th>"WITH CHECK"</th>{reconciled.then(|| view! { <th>"Export"</th> })}<th>"Source"</th></tr></thead>
            <tbody>{policies}</tbody>
        </table>

        {section_head("Triggers", trigger_count)}
        {if trigger_count == 0 { Some(empty("triggers")) } else { None }}
        <table class="grid" class:hidden=trigger_count == 0>
            <thead><tr><th>"Name"</th><th>"When"</th><th>"Function"</th><th>"Enabled"</th><th>"Source"</th></tr></thead>
            <tbody>{triggers}</tbody>
        </table>

        {section_head("Grants", grant_count)}
        {if grant_count == 0 { Some(empty("grants")) } else { None }}
        <table class="grid" class:hidden=grant_count == 0>
            <thead><tr><th>"Grantee"</th><th>"Privilege"</th><th>"Column"</th><th>"Grantable"</th><th>"Grantor"</th></tr></thead>
            <tbody>{grants}</tbody>
        </table>

        <h2>"Source"</h2>
        <div id="table-source">
            {move || selected.get().map(|(title, span)| view! { <SourceView data=src.clone() span=span title=title /> })}
        </div>
    }
}
