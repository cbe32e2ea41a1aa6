//! The assumptions editor: what a dump cannot say about roles (who is a superuser, who has
//! BYPASSRLS, who inherits from whom, which roles and schemas an API serves), editable, with the `pglens.toml` text that gives CI the
//! same matrix. Any edit makes the preset `custom`; the matrix recomputes from the new value.

use crate::access_data::toml_snippet;
use crate::state::{use_state, AppState};
use leptos::prelude::*;
use pglens_core::access::Assumptions;
use std::time::Duration;

fn edit(state: AppState, f: impl FnOnce(&mut Assumptions)) {
    let mut a = state.assumptions.get_untracked();
    f(&mut a);
    a.preset = "custom".into();
    state.assumptions_override.set(Some(a));
}

/// `label: a, b` for the summary line.
fn listed(label: &str, v: &[String]) -> String {
    if v.is_empty() {
        format!("{label}: none")
    } else {
        format!("{label}: {}", v.join(", "))
    }
}

#[component]
pub fn AssumptionsEditor() -> impl IntoView {
    let state = use_state();
    let summary = move || {
        state.assumptions.with(|a| {
            format!(
                "Assumptions (“{}”) — {} · {} · {} · {} memberships",
                a.preset,
                listed("roles", &a.roles),
                listed("BYPASSRLS", &a.bypass_rls),
                listed("superusers", &a.superusers),
                a.member_of.values().map(Vec::len).sum::<usize>()
            )
        })
    };
    let on_preset = move |ev: leptos::ev::Event| {
        let a = match event_target_value(&ev).as_str() {
            "supabase" => Assumptions::supabase(),
            "plain" => Assumptions::plain(),
            _ => return,
        };
        state.assumptions_override.set(Some(a));
    };
    let preset_is = move |p: &'static str| move || state.assumptions.with(|a| a.preset == p);
    view! {
        <details class="assumptions" id="assumptions">
            <summary>{summary}</summary>
            <p class="dim">
                "A schema dump holds no roles: these facts are assumed, and every cell says which ones it rests on. "
                "Edit them to match your database; the matrix recomputes."
            </p>
            <div class="assumptions-body">
                <div class="assumption-grid">
                    <span class="dim">"Preset"</span>
                    <span>
                        <select id="assumptions-preset" on:change=on_preset>
                            <option value="supabase" selected=preset_is("supabase")>"supabase"</option>
                            <option value="plain" selected=preset_is("plain")>"plain (no role facts)"</option>
                            <option value="custom" disabled=true selected=preset_is("custom")>"custom (edited)"</option>
                        </select>
                        " "
                        <button class="link small" class:hidden=move || state.assumptions_override.with(Option::is_none)
                            on:click=move |_| state.assumptions_override.set(None)>"back to the preset that fits this snapshot"</button>
                    </span>
                    <RoleList label="Roles" id="assumed-roles" get=|a| &a.roles set=|a| &mut a.roles />
                    <RoleList label="BYPASSRLS" id="assumed-bypass" get=|a| &a.bypass_rls set=|a| &mut a.bypass_rls />
                    <RoleList label="Superusers" id="assumed-superusers" get=|a| &a.superusers set=|a| &mut a.superusers />
                    <Memberships />
                    <RoleList label="API roles" id="assumed-api-roles" get=|a| &a.api_roles set=|a| &mut a.api_roles />
                    <RoleList label="Exposed schemas" id="assumed-exposed" placeholder="add a schema…" get=|a| &a.exposed_schemas set=|a| &mut a.exposed_schemas />
                </div>
                <TomlSnippet />
            </div>
        </details>
    }
}

/// Role names as removable chips, and a box to add one.
#[component]
fn RoleList(
    label: &'static str,
    id: &'static str,
    #[prop(default = "add a role…")] placeholder: &'static str,
    get: fn(&Assumptions) -> &Vec<String>,
    set: fn(&mut Assumptions) -> &mut Vec<String>,
) -> impl IntoView {
    let state = use_state();
    let chips = move || {
        state.assumptions.with(|a| {
            get(a)
                .iter()
                .map(|r| {
                    let role = r.clone();
                    let remove = move |_| {
                        let role = role.clone();
                        edit(state, move |a| set(a).retain(|x| *x != role));
                    };
                    view! { <span class="chip mono">{r.clone()}<button class="chip-x" aria-label=format!("Remove {r}") on:click=remove>"×"</button></span> }
                })
                .collect_view()
        })
    };
    let add = move |name: String| {
        edit(state, move |a| {
            if !set(a).contains(&name) {
                set(a).push(name);
            }
        })
    };
    view! {
        <span class="dim">{label}</span>
        <span class="chips" id=id>{chips}<AddBox placeholder=placeholder id=format!("{id}-new") on_add=Callback::new(add) /></span>
    }
}

/// A text box that hands its trimmed text to `on_add` on Enter or its button, then clears.
#[component]
fn AddBox(placeholder: &'static str, id: String, on_add: Callback<String>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let submit = move || {
        let t = text.get_untracked().trim().to_string();
        if !t.is_empty() {
            on_add.run(t);
            text.set(String::new());
        }
    };
    view! {
        <input class="add-box mono" type="text" id=id placeholder=placeholder prop:value=move || text.get()
            on:input=move |ev| text.set(event_target_value(&ev))
            on:keydown=move |ev| if ev.key() == "Enter" { submit() } />
        <button class="link small" on:click=move |_| submit()>"add"</button>
    }
}

/// `member → role` pairs: the member inherits the role's privileges.
#[component]
fn Memberships() -> impl IntoView {
    let state = use_state();
    let member = RwSignal::new(String::new());
    let chips = move || {
        state.assumptions.with(|a| {
            a.member_of
                .iter()
                .flat_map(|(m, of)| of.iter().map(move |r| (m.clone(), r.clone())))
                .map(|(m, r)| {
                    let (mm, rr) = (m.clone(), r.clone());
                    let remove = move |_| {
                        let (m, r) = (mm.clone(), rr.clone());
                        edit(state, move |a| {
                            if let Some(of) = a.member_of.get_mut(&m) {
                                of.retain(|x| *x != r);
                                if of.is_empty() {
                                    a.member_of.remove(&m);
                                }
                            }
                        });
                    };
                    let label = format!("{m} → {r}");
                    view! { <span class="chip mono">{label.clone()}<button class="chip-x" aria-label=format!("Remove {label}") on:click=remove>"×"</button></span> }
                })
                .collect_view()
        })
    };
    let add = move |role: String| {
        let m = member.get_untracked().trim().to_string();
        if m.is_empty() {
            return;
        }
        edit(state, move |a| {
            let of = a.member_of.entry(m).or_default();
            if !of.contains(&role) {
                of.push(role);
            }
        });
    };
    view! {
        <span class="dim">"Memberships"</span>
        <span class="chips" id="assumed-members">
            {chips}
            <input class="add-box mono" type="text" id="assumed-members-member" placeholder="member…" prop:value=move || member.get()
                on:input=move |ev| member.set(event_target_value(&ev)) />
            <span class="dim">"inherits from"</span>
            <AddBox placeholder="role…" id="assumed-members-role".to_string() on_add=Callback::new(add) />
        </span>
    }
}

/// The `[assumptions]` of `pglens.toml`, read-only, with a copy button.
#[component]
fn TomlSnippet() -> impl IntoView {
    let state = use_state();
    let text = Memo::new(move |_| state.assumptions.with(toml_snippet));
    let copied = RwSignal::new(false);
    let copy = move |_| {
        let promise = window().navigator().clipboard().write_text(&text.get_untracked());
        leptos::task::spawn_local(async move {
            if wasm_bindgen_futures::JsFuture::from(promise).await.is_ok() {
                copied.set(true);
                set_timeout(move || copied.set(false), Duration::from_secs(2));
            }
        });
    };
    view! {
        <div class="toml">
            <div class="toml-head">
                <span class="dim">"pglens.toml — the same assumptions for " <span class="mono">"pglens access"</span> " in CI"</span>
                <button class="button" id="copy-toml" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy" }}</button>
            </div>
            <pre class="expr" id="assumptions-toml">{move || text.get()}</pre>
        </div>
    }
}
