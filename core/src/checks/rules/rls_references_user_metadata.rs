//! Policies that trust `user_metadata`, which every user can edit.
//!
//! ## What it finds
//! A policy whose USING or WITH CHECK reads `user_metadata` from the JWT (`auth.jwt() -> 'user_metadata'`,
//! or `current_setting('request.jwt.claims', true)` with `user_metadata`), or reads
//! `raw_user_meta_data`, the `auth.users` column behind it. Same as Supabase's advisor lint
//! `rls_references_user_metadata`, with the `auth.users` column added. Policies on Supabase's own
//! tables (`storage.objects`, `realtime.messages`) count too: Supabase ships none, the app writes them.
//! A policy that reaches `user_metadata` through a function it calls is not seen.
//!
//! ## Why it matters
//! Any signed-in user can set their own `user_metadata` from the client
//! (`supabase.auth.updateUser({ data: { role: 'admin' } })`). A policy that grants rows by a role,
//! team or tenant read from it lets every user grant themselves those rows.
//!
//! ## How to fix
//! Read authorization data from `app_metadata` (only the service role can change it), or from a table
//! of your own that users cannot write:
//! `ALTER POLICY "p" ON public.t USING ((auth.jwt() -> 'app_metadata' ->> 'role') = 'admin');`
//!
//! ## Assumptions
//! None: the policy's expression is in the dump. (The names `auth.jwt`, `user_metadata` and
//! `raw_user_meta_data` are Supabase Auth's.)

use super::security_util::{policy_key, policy_tables};
use crate::checks::expr::ExprFacts;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};

pub static RULE: Rule = Rule {
    id: "rls_references_user_metadata",
    category: Category::Security,
    priority: Priority::P0,
    source: include_str!("rls_references_user_metadata.rs"),
    check,
};

/// What the expression reads of the user-editable metadata, if anything.
fn reads_user_metadata(f: &ExprFacts) -> Option<&'static str> {
    let has = |s: &str| f.strings.iter().any(|x| x == s);
    if f.mentions_column("raw_user_meta_data") {
        return Some("auth.users.raw_user_meta_data");
    }
    if has("user_metadata") {
        if f.calls_any(&["auth.jwt"]) {
            return Some("user_metadata from auth.jwt()");
        }
        if f.calls_any(&["current_setting"]) && f.strings.iter().any(|s| s.starts_with("request.jwt.claim")) {
            return Some("user_metadata from the request's JWT claims");
        }
    }
    None
}

fn check(cx: &Context, out: &mut Emitter) {
    for (_, _, policies) in policy_tables(cx) {
        for p in policies {
            let mut found: Vec<(&str, &str)> = Vec::new();
            for (clause, e) in [("USING", &p.using), ("WITH CHECK", &p.with_check)] {
                let Some(e) = e else { continue };
                if let Some(what) = cx.expr(&e.canonical).as_deref().and_then(reads_user_metadata) {
                    found.push((clause, what));
                }
            }
            if found.is_empty() {
                continue;
            }
            // "X in its USING and WITH CHECK", or "X in its USING and Y in its WITH CHECK".
            let reads = if found.len() == 2 && found[0].1 == found[1].1 {
                format!("{} in its USING and WITH CHECK", found[0].1)
            } else {
                found.iter().map(|(c, w)| format!("{w} in its {c}")).collect::<Vec<_>>().join(" and ")
            };
            out.emit(
                Draft::new(
                    policy_key(p),
                    format!("policy \"{}\" on {} reads {reads}, which any signed-in user can set for themselves", p.name, p.table),
                )
                .span(p.span),
            );
        }
    }
}
