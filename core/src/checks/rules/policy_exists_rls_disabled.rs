//! Tables with policies whose row level security is not enabled.
//!
//! ## What it finds
//! A table that has at least one policy while RLS is disabled on it. Same as Supabase's advisor lint
//! `policy_exists_rls_disabled`.
//!
//! ## Why it matters
//! Policies do nothing until RLS is enabled: whoever wrote them believes the table is protected, and it
//! is not. Every role with a privilege sees and changes every row.
//!
//! ## How to fix
//! `ALTER TABLE public.t ENABLE ROW LEVEL SECURITY;` (then check that the policies allow what the app
//! needs: enabling RLS denies everything no policy allows).
//!
//! ## Assumptions
//! None: both facts are in the dump.

use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};

pub static RULE: Rule = Rule {
    id: "policy_exists_rls_disabled",
    category: Category::Security,
    priority: Priority::P0,
    source: include_str!("policy_exists_rls_disabled.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    for (key, t) in cx.tables() {
        if t.rls_enabled || t.policies.is_empty() {
            continue;
        }
        let names: Vec<&str> = t.policies.keys().map(String::as_str).collect();
        out.emit(
            Draft::new(
                key,
                format!(
                    "{key} has {} polic{} ({}) but RLS is disabled, so none of them applies",
                    names.len(),
                    if names.len() == 1 { "y" } else { "ies" },
                    names.join(", ")
                ),
            )
            .fix(format!("ALTER TABLE {} ENABLE ROW LEVEL SECURITY;", qualified(&t.schema, &t.name)))
            .span(t.span),
        );
    }
}
