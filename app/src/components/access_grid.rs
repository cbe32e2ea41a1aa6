//! The access matrix grid: one virtualized row per relation (or function), one column per role,
//! each cell a badge per command. A badge's colour and symbol both say its state; clicking it
//! opens the drill-down.

use super::VirtualRows;
use crate::access_data::{command_letter, state_label, state_meaning, state_symbol, AccessData};
use crate::helpers::{AccessView, CellRef, Route};
use leptos::prelude::*;
use pglens_core::access::{Cell, Relation, State};
use std::sync::Arc;

/// The name column grows with the room the role columns leave, up to a width where the role
/// columns would drift away from the names they belong to.
const NAME_PX: u32 = 300;
const NAME_MAX_PX: u32 = 600;
const RELATION_ROLE_PX: u32 = 118;
const FUNCTION_ROLE_PX: u32 = 64;

#[component]
pub fn AccessGrid(
    access: Arc<AccessData>,
    view: Memo<AccessView>,
    open: Callback<CellRef>,
    selected: Memo<Option<CellRef>>,
) -> impl IntoView {
    let (functions, roles) = view.with_untracked(|v| (v.functions, access.role_indexes(v)));
    // Opening a cell must not rebuild the rows: they depend on the filters only.
    let filters = Memo::new(move |_| view.with(|v| AccessView { cell: None, ..v.clone() }));
    let items = crate::state::arc_memo({
        let access = access.clone();
        move || Arc::new(filters.with(|v| access.row_indexes(v)))
    });
    let role_px = if functions { FUNCTION_ROLE_PX } else { RELATION_ROLE_PX };
    let columns = format!("minmax({NAME_PX}px, {NAME_MAX_PX}px) repeat({}, {role_px}px)", roles.len());
    let min_width = format!("{}px", NAME_PX + role_px * roles.len() as u32);
    let mut headers = vec![if functions { "Function".to_string() } else { "Relation".to_string() }];
    headers.extend(roles.iter().map(|&r| access.matrix.roles[r].clone()));
    let empty = if roles.is_empty() { "None of the roles in the link is in this matrix." } else { "No relation matches the filters." };
    let row = move |_, i: usize| {
        let rel = if functions { &access.matrix.functions[i] } else { &access.matrix.relations[i] };
        let cells = roles
            .iter()
            .map(|&r| {
                let badges = access.cells(functions, i, r).into_iter().map(|c| badge(c, open, selected)).collect_view();
                view! { <div class="vcell acc-cell">{badges}</div> }
            })
            .collect_view();
        view! {
            {name_cell(rel)}
            {cells}
        }
    };
    view! {
        <VirtualRows
            items=items
            id="access-grid"
            columns=columns
            min_width=min_width
            variant="matrix"
            headers=headers
            empty=empty
            row=row
        />
    }
}

fn name_cell(rel: &Relation) -> impl IntoView {
    let key = rel.key.clone();
    let name = if rel.kind.ends_with("table") {
        view! { <a class="mono" href=Route::Table(key.clone()).href()>{key.clone()}</a> }.into_any()
    } else {
        view! { <span class="mono">{key.clone()}</span> }.into_any()
    };
    let tag = match (rel.rls_enabled, rel.rls_forced, rel.kind.as_str()) {
        (true, true, _) => Some("RLS forced".to_string()),
        (true, false, _) => Some("RLS".to_string()),
        (false, _, "table" | "function") => None,
        (false, _, kind) => Some(kind.to_string()),
    };
    let rls = rel.rls_enabled;
    view! {
        <div class="vcell rel-name" title=key>
            {name}
            {tag.map(|t| view! { <span class="tag" class:rls=rls>{t}</span> })}
        </div>
    }
}

fn badge(c: &Cell, open: Callback<CellRef>, selected: Memo<Option<CellRef>>) -> impl IntoView {
    let target = CellRef { role: c.role.clone(), relation: c.relation.clone(), command: c.command };
    let label = format!("{} · {} on {}: {} — {}", c.role, c.command.as_str(), c.relation, state_label(c.state), c.reason);
    let text = format!("{}{}", command_letter(c.command), state_symbol(c.state));
    let is_selected = {
        let target = target.clone();
        move || selected.with(|s| s.as_ref() == Some(&target))
    };
    view! {
        <button
            class=format!("acc st-{}", c.state.as_str())
            class:sel=is_selected
            title=label.clone()
            aria-label=label
            data-state=c.state.as_str()
            data-cmd=c.command.as_str()
            on:click=move |_| open.run(target.clone())
        >
            {text}
        </button>
    }
}

/// What the badges mean; each state's longer meaning is its tooltip.
#[component]
pub fn Legend() -> impl IntoView {
    let item = |s: State| {
        view! {
            <span class="legend-item" title=state_meaning(s)>
                <span class=format!("acc st-{}", s.as_str())>{state_symbol(s)}</span>
                <span>{state_label(s)}</span>
            </span>
        }
    };
    view! {
        <div class="legend" id="access-legend">
            {item(State::AllRows)}
            {item(State::Conditional)}
            {item(State::RlsDenies)}
            {item(State::NoPrivilege)}
            <span class="legend-item dim">"S I U D = SELECT INSERT UPDATE DELETE · X = EXECUTE · click a badge for why"</span>
        </div>
    }
}
