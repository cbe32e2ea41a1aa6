//! SECURITY DEFINER functions that `anon` (anyone with the anon key) can execute.
//!
//! ## What it finds
//! A SECURITY DEFINER function that the `anon` role may EXECUTE, according to the access matrix: a grant
//! to `anon`, to a role it inherits from, or to PUBLIC, which every function has by default until it is
//! revoked, plus USAGE on the function's schema. Same as
//! Supabase's advisor lint `anon_security_definer_function_executable`, limited to exposed schemas
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
//! row level security), so any visitor who never signed in can run whatever it does, on any row, with
//! whatever arguments they choose.
//!
//! ## How to fix
//! Revoke EXECUTE from PUBLIC and `anon`, and grant it back to the roles that need it:
//! `REVOKE EXECUTE ON FUNCTION public.f(uuid) FROM PUBLIC, anon;`
//! `GRANT EXECUTE ON FUNCTION public.f(uuid) TO authenticated, service_role;`
//! Or make it `SECURITY INVOKER` when it does not need its owner's rights.
//!
//! ## Assumptions
//! The API roles and the exposed schemas (pglens.toml `[assumptions]`; Supabase: `anon`, `authenticated`,
//! `public`); that PUBLIC's default EXECUTE was not revoked outside the dump.

use super::security_util::security_definer_executable;
use crate::checks::{Category, Context, Emitter, Priority, Rule};

pub static RULE: Rule = Rule {
    id: "anon_security_definer_function_executable",
    category: Category::Security,
    priority: Priority::P1,
    source: include_str!("anon_security_definer_function_executable.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    // Revoking from PUBLIC must not take EXECUTE from the other assumed roles.
    let keep: Vec<String> = cx.assumptions.roles.iter().filter(|r| r.as_str() != "anon").cloned().collect();
    security_definer_executable(cx, out, "anon", &keep);
}
