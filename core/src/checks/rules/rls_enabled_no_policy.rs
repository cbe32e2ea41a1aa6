//! Tables with row level security enabled and no policy at all.
//!
//! ## What it finds
//! A table with RLS enabled and no policy. Same as Supabase's advisor lint `rls_enabled_no_policy`.
//!
//! ## Why it matters
//! Every role but the owner, superusers and BYPASSRLS roles sees no row: safe, but usually a table
//! someone forgot to finish, or one the app silently cannot read.
//!
//! ## How to fix
//! Add the policies the app needs (`CREATE POLICY ... ON t FOR SELECT TO authenticated USING (...)`), or
//! leave it deny-all on purpose and accept the finding in the baseline.
//!
//! ## Assumptions
//! None.

use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};

pub static RULE: Rule = Rule {
    id: "rls_enabled_no_policy",
    category: Category::Security,
    priority: Priority::P2,
    source: include_str!("rls_enabled_no_policy.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    for (key, t) in cx.tables() {
        if t.rls_enabled && t.policies.is_empty() {
            out.emit(
                Draft::new(key, format!("RLS is enabled on {key} but it has no policy: only its owner and RLS-bypassing roles see rows"))
                    .span(t.span),
            );
        }
    }
}
