//! SECURITY DEFINER functions that `authenticated` (any signed-in user) can execute.
//!
//! ## What it finds
//! A SECURITY DEFINER function that the `authenticated` role may EXECUTE, according to the access
//! matrix: a grant to `authenticated`, to a role it inherits from, or to PUBLIC, which every function
//! has by default until it is revoked, plus USAGE on the function's schema. Same as
//! Supabase's advisor lint `authenticated_security_definer_function_executable`, limited to exposed schemas
//! (Supabase: `public`), whose functions the API serves as `/rest/v1/rpc/<name>`.
//!
//! Not reported: functions in schemas the API does not serve (only SQL the role can already run, such
//! as a policy, reaches them: the recommended home of SECURITY DEFINER helpers that policies call, which
//! need EXECUTE for the API roles), procedures and trigger or event-trigger functions (the API cannot
//! call them), and Supabase's own functions (schemas `auth`, `storage`, `extensions`, `graphql`,
//! `pgsodium`, `vault`, `realtime`, `net`, ...).
//!
//! ## Why it matters
//! A SECURITY DEFINER function runs with its owner's privileges (on Supabase, `postgres`, which bypasses
//! row level security): any user who can sign up can call it with arguments of their choosing, so it
//! must check who is calling (`auth.uid()`) and what they may touch, which is easy to forget.
//!
//! ## How to fix
//! If signed-in users must not call it, revoke EXECUTE from PUBLIC and `authenticated`:
//! `REVOKE EXECUTE ON FUNCTION public.f(uuid) FROM PUBLIC, authenticated;`
//! `GRANT EXECUTE ON FUNCTION public.f(uuid) TO service_role;`
//! If they must, make sure it checks the caller itself, or make it `SECURITY INVOKER` and let RLS do
//! it; then accept the finding in the baseline.
//!
//! ## Assumptions
//! The API roles and the exposed schemas (pglens.toml `[assumptions]`; Supabase: `anon`, `authenticated`,
//! `public`); that PUBLIC's default EXECUTE was not revoked outside the dump.

use super::security_util::security_definer_executable;
use crate::checks::{Category, Context, Emitter, Priority, Rule};

pub static RULE: Rule = Rule {
    id: "authenticated_security_definer_function_executable",
    category: Category::Security,
    priority: Priority::P1,
    source: include_str!("authenticated_security_definer_function_executable.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    // Revoking from PUBLIC must not take EXECUTE from the assumed roles that are not API roles
    // (service_role); the API roles are the ones the fix takes it from.
    let keep: Vec<String> = cx.assumptions.roles.iter().filter(|r| !cx.api_roles().contains(r)).cloned().collect();
    security_definer_executable(cx, out, "authenticated", &keep);
}
