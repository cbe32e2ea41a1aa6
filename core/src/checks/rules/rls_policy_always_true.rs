//! Write policies whose condition is always true, for the API roles.
//!
//! ## What it finds
//! A permissive policy for INSERT, UPDATE, DELETE or ALL on a table with RLS enabled, applying to PUBLIC
//! or an API role (`anon`, `authenticated`; PUBLIC alone under the plain preset), whose USING (for
//! UPDATE and DELETE) or WITH CHECK (for INSERT; USING when there is none) is the constant `true` (or
//! `1 = 1`), and
//! which the access matrix confirms: the role holds the privilege (and USAGE on the schema), and no
//! restrictive policy that applies to it narrows the rows. Same as Supabase's advisor lint
//! `rls_policy_always_true`. SELECT is left out (public read access is often meant), and so is an UPDATE
//! whose USING restricts the rows while WITH CHECK is `true` (`policy_update_asymmetric` covers that).
//! A policy without WITH CHECK for INSERT is not "always true": PostgreSQL then lets no row in.
//! Policies on Supabase's own tables (`storage.objects`) count: Supabase ships none, the app writes them.
//!
//! ## Why it matters
//! The table has RLS, so it looks protected, but for these commands the policy lets every caller
//! insert any row, or change and delete every row, including other users'.
//!
//! ## How to fix
//! Give the policy a condition on the row's owner or tenant, and name the roles it is for:
//! `ALTER POLICY "p" ON public.t TO authenticated USING ((SELECT auth.uid()) = user_id) WITH CHECK ((SELECT auth.uid()) = user_id);`
//! If anyone may really write any row, say so by accepting the finding in the baseline.
//!
//! ## Assumptions
//! The API roles (pglens.toml `[assumptions]`; Supabase: `anon`, `authenticated`). For a table the
//! input does not define (a policy on `storage.objects` in an app-only dump), the roles' privileges
//! are assumed.

use super::security_util::{and_list, policy_key, policy_tables};
use crate::access::{Command, State};
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use crate::model::{Expr, Policy, PolicyCommand};

pub static RULE: Rule = Rule {
    id: "rls_policy_always_true",
    category: Category::Security,
    priority: Priority::P1,
    source: include_str!("rls_policy_always_true.rs"),
    check,
};

fn always_true(cx: &Context, e: Option<&Expr>) -> bool {
    e.is_some_and(|e| e.canonical == "1 = 1" || cx.expr(&e.canonical).is_some_and(|f| f.always_true))
}

/// The expression a policy applies to command `i` of [`Command::TABLE`]: WITH CHECK (or USING) for
/// INSERT, USING for the others.
fn expression_for(p: &Policy, i: usize) -> Option<&Expr> {
    if i == 1 {
        p.with_check.as_ref().or(p.using.as_ref())
    } else {
        p.using.as_ref()
    }
}

/// The write commands (indexes into [`Command::TABLE`]) for which the policy itself allows every row.
fn true_commands(cx: &Context, p: &Policy) -> Vec<usize> {
    let using = always_true(cx, p.using.as_ref());
    let check = always_true(cx, p.with_check.as_ref().or(p.using.as_ref()));
    let mut out = Vec::new();
    let covers = |c: PolicyCommand| p.command == PolicyCommand::All || p.command == c;
    if covers(PolicyCommand::Insert) && check {
        out.push(1);
    }
    if covers(PolicyCommand::Update) && using {
        out.push(2);
    }
    if covers(PolicyCommand::Delete) && using {
        out.push(3);
    }
    out
}

fn check(cx: &Context, out: &mut Emitter) {
    for (key, table, policies) in policy_tables(cx) {
        if table.is_some_and(|t| !t.rls_enabled) {
            continue;
        }
        for p in policies {
            if !p.permissive || p.command == PolicyCommand::Select {
                continue;
            }
            let commands = true_commands(cx, p);
            if commands.is_empty() {
                continue;
            }
            let candidates: Vec<String> = if p.roles.iter().any(|r| r == "public") {
                if cx.api_roles().is_empty() {
                    vec!["public".into()]
                } else {
                    cx.api_roles().to_vec()
                }
            } else {
                p.roles.iter().filter(|r| cx.api_roles().contains(r)).cloned().collect()
            };
            // role -> the commands it may run on every row.
            let mut by_role: Vec<(String, Vec<&str>)> = Vec::new();
            let mut assumptions = Vec::new();
            for r in &candidates {
                let mut cmds = Vec::new();
                for &i in &commands {
                    match table {
                        Some(t) => {
                            let Some(cell) = cx.cells(r, &key).and_then(|c| c.get(i)) else { continue };
                            if matches!(cell.state, State::NoPrivilege | State::RlsDenies) {
                                continue;
                            }
                            // A restrictive policy that applies narrows the rows: not "any row" then.
                            let narrowed = cell
                                .policies
                                .iter()
                                .filter_map(|n| t.policies.get(n))
                                .any(|q| !q.permissive && expression_for(q, i).is_some_and(|e| !always_true(cx, Some(e))));
                            if !narrowed {
                                cmds.push(Command::TABLE[i].as_str());
                                assumptions.extend(cell.assumptions.iter().cloned());
                            }
                        }
                        None => {
                            cmds.push(Command::TABLE[i].as_str());
                            assumptions
                                .push(format!("{key} is not in the snapshot: {r} is assumed to hold the privileges and RLS to be enabled"));
                        }
                    }
                }
                if !cmds.is_empty() {
                    by_role.push((if r == "public" { "every role".to_string() } else { r.clone() }, cmds));
                }
            }
            if by_role.is_empty() {
                continue;
            }
            // Roles with the same commands share a phrase: "anon and authenticated may UPDATE and DELETE".
            let mut phrases: Vec<(Vec<String>, Vec<&str>)> = Vec::new();
            for (r, cmds) in by_role {
                match phrases.iter_mut().find(|(_, c)| *c == cmds) {
                    Some((roles, _)) => roles.push(r),
                    None => phrases.push((vec![r], cmds)),
                }
            }
            let text: Vec<String> =
                phrases.iter().map(|(roles, cmds)| format!("{} may {} any row", and_list(roles), and_list(cmds))).collect();
            // The clauses behind what is reported: USING for UPDATE / DELETE, WITH CHECK (or the USING it
            // falls back to) for INSERT.
            let reported: Vec<&str> = phrases.iter().flat_map(|(_, c)| c.iter().copied()).collect();
            let mut shown: Vec<String> = Vec::new();
            let using = p.using.as_ref().map(|e| format!("USING ({})", e.canonical));
            if reported.iter().any(|c| *c != "INSERT") {
                shown.extend(using.clone());
            }
            if reported.contains(&"INSERT") {
                match &p.with_check {
                    Some(e) => shown.push(format!("WITH CHECK ({})", e.canonical)),
                    None => {
                        if let Some(u) = using.filter(|u| !shown.contains(u)) {
                            shown.push(u);
                        }
                    }
                }
            }
            let clauses = shown.join(" ");
            assumptions.sort();
            assumptions.dedup();
            out.emit(
                Draft::new(policy_key(p), format!("policy \"{}\" on {key} has {clauses}, so {}", p.name, and_list(&text)))
                    .span(p.span)
                    .assume(assumptions),
            );
        }
    }
}
