//! Several permissive policies for the same role and command on one table.
//!
//! ## What it finds
//! A table with RLS enabled where more than one permissive policy applies to the same role for the same
//! command (a FOR ALL policy counts for each command; a policy for PUBLIC counts for every role). The
//! roles looked at are the API roles and the roles the table's policies name, leaving out roles that
//! bypass RLS (superusers, BYPASSRLS roles, the table's owner unless RLS is forced); with none of
//! those, PUBLIC ("every role"). One finding per set of overlapping policies, naming the roles and
//! commands it applies to. Same as Supabase's advisor lint `multiple_permissive_policies`, which
//! reports each role and command apart. Policies on Supabase's own tables (`storage.objects`) count
//! too: Supabase ships none, the app writes them.
//!
//! ## Why it matters
//! PostgreSQL ORs the permissive policies together and evaluates each of them for every row a query
//! touches: two policies with sub-selects cost twice, and the planner can rarely use an index for an
//! OR of unrelated conditions. It is also harder to see what a role may do.
//!
//! ## How to fix
//! Merge the policies for a role and command into one (`USING (a OR b)`), or give them disjoint roles
//! or commands (a FOR SELECT policy and separate INSERT / UPDATE / DELETE policies instead of FOR ALL).
//!
//! ## Assumptions
//! The API roles, the roles that bypass RLS and role memberships (pglens.toml `[assumptions]`). For a
//! table the input does not define, RLS is assumed enabled.

use super::security_util::{and_list, policy_tables};
use crate::access::{policy_covers as covers, Command};
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use crate::model::Policy;
use std::collections::BTreeMap;

pub static RULE: Rule = Rule {
    id: "multiple_permissive_policies",
    category: Category::Performance,
    priority: Priority::P2,
    source: include_str!("multiple_permissive_policies.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    let a = cx.assumptions;
    for (key, table, policies) in policy_tables(cx) {
        if table.is_some_and(|t| !t.rls_enabled) {
            continue;
        }
        let permissive: Vec<&Policy> = policies.into_iter().filter(|p| p.permissive).collect();
        if permissive.len() < 2 {
            continue;
        }
        let owner_bypasses = |r: &str| table.is_some_and(|t| !t.rls_forced && t.owner.as_deref() == Some(r));
        let mut roles: Vec<String> = cx.api_roles().to_vec();
        for p in &permissive {
            for r in &p.roles {
                if !roles.contains(r) {
                    roles.push(r.clone());
                }
            }
        }
        roles.retain(|r| r != "public" && !a.is_superuser(r) && !a.bypasses_rls(r) && !owner_bypasses(r));
        if roles.is_empty() {
            roles.push("public".into());
        }
        // (policy set, commands) -> roles.
        let mut groups: BTreeMap<(Vec<&str>, Vec<&str>), Vec<String>> = BTreeMap::new();
        for r in &roles {
            let holders = if r == "public" { Default::default() } else { a.privileges_of(r) };
            let mut by_set: BTreeMap<Vec<&str>, Vec<&str>> = BTreeMap::new();
            for c in Command::TABLE {
                let mut set: Vec<&str> = permissive
                    .iter()
                    .filter(|p| covers(p, c) && p.roles.iter().any(|x| x == "public" || holders.contains(x)))
                    .map(|p| p.name.as_str())
                    .collect();
                if set.len() > 1 {
                    set.sort();
                    by_set.entry(set).or_default().push(c.as_str());
                }
            }
            for (set, commands) in by_set {
                groups.entry((set, commands)).or_default().push(if r == "public" { "every role".into() } else { r.clone() });
            }
        }
        for ((set, commands), roles) in groups {
            let names: Vec<String> = set.iter().map(|n| format!("\"{n}\"")).collect();
            let mut d = Draft::new(
                &key,
                format!(
                    "{key} has {} permissive {} policies for {} ({}), and each is evaluated for every row",
                    set.len(),
                    and_list(&commands),
                    and_list(&roles),
                    names.join(", ")
                ),
            )
            .subject(format!("{}/{}", set.join(","), commands.join(",")));
            if let Some(first) = permissive.iter().find(|p| p.name == set[0]) {
                d = d.span(first.span);
            }
            if table.is_none() {
                d = d.assume([format!("{key} is not in the snapshot: RLS is assumed enabled on it")]);
            }
            if roles.iter().any(|r| r != "every role") {
                d = d.assume(roles.iter().flat_map(|r| a.membership_sentences(r)));
            }
            out.emit(d);
        }
    }
}
