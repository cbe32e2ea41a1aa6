//! Policies that call `auth.uid()`, `auth.jwt()` or `current_setting()` once per row instead of once per statement.
//!
//! ## What it finds
//! A policy on a table with RLS enabled whose USING or WITH CHECK calls `auth.uid()`, `auth.jwt()`,
//! `auth.role()`, `auth.email()` or `current_setting()` outside any sub-select. Same as Supabase's
//! advisor lint `auth_rls_initplan` (with `current_setting()` added). Policies on Supabase's own tables
//! (`storage.objects`) count: Supabase ships none, the app writes them. A call inside a sub-select
//! (`EXISTS (SELECT 1 FROM members m WHERE m.user_id = auth.uid())`) is not reported.
//!
//! ## Why it matters
//! The planner evaluates a bare function call in a policy for every row the query reads; wrapped in a
//! scalar sub-select, `(SELECT auth.uid())`, it becomes an init plan evaluated once per statement and
//! the comparison can use an index. On large tables the difference is orders of magnitude.
//!
//! ## How to fix
//! Wrap each call in a sub-select (the finding's fix does it for the policy's expressions):
//! `ALTER POLICY "p" ON public.t USING ((SELECT auth.uid()) = user_id);`
//!
//! ## Assumptions
//! None for a table in the dump: the policy's expressions are there. For a table the input does not
//! define (`storage.objects` in an app-only dump), RLS is assumed enabled. The functions are taken to
//! return the same value for the whole statement, as Supabase's `auth.*` helpers and
//! `current_setting()` do.

use super::security_util::{and_list, policy_key, policy_tables, quoted_end, table_sql};
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};

pub static RULE: Rule = Rule {
    id: "auth_rls_initplan",
    category: Category::Performance,
    priority: Priority::P2,
    source: include_str!("auth_rls_initplan.rs"),
    check,
};

const PER_STATEMENT: &[&str] = &["auth.uid", "auth.jwt", "auth.role", "auth.email", "current_setting"];

fn check(cx: &Context, out: &mut Emitter) {
    for (key, table, policies) in policy_tables(cx) {
        if table.is_some_and(|t| !t.rls_enabled) {
            continue;
        }
        for p in policies {
            let mut bare: Vec<String> = Vec::new();
            let mut rewritten: Vec<(&str, Option<String>)> = Vec::new();
            for (clause, e) in [("USING", &p.using), ("WITH CHECK", &p.with_check)] {
                let Some(e) = e else { continue };
                let Some(facts) = cx.expr(&e.canonical) else { continue };
                let calls = facts.bare_calls(PER_STATEMENT);
                if calls.is_empty() {
                    continue;
                }
                for c in calls {
                    if !bare.contains(&c) {
                        bare.push(c);
                    }
                }
                // The fix wraps the calls, and is offered only when the result parses with no bare call left.
                let wrapped = wrap_calls(&e.canonical, PER_STATEMENT);
                let ok = cx.expr(&wrapped).is_some_and(|f| f.bare_calls(PER_STATEMENT).is_empty());
                rewritten.push((clause, ok.then_some(wrapped)));
            }
            if bare.is_empty() {
                continue;
            }
            let calls: Vec<String> = bare.iter().map(|c| format!("{c}()")).collect();
            let mut d = Draft::new(
                policy_key(p),
                format!(
                    "policy \"{}\" on {key} calls {} for every row instead of once per statement (not wrapped in a sub-select)",
                    p.name,
                    and_list(&calls)
                ),
            )
            .span(p.span)
            .assume(table.is_none().then(|| format!("{key} is not in the snapshot: RLS is assumed enabled on it")));
            if rewritten.iter().all(|(_, w)| w.is_some()) {
                let clauses: Vec<String> = rewritten.iter().map(|(c, w)| format!("{c} ({})", w.as_deref().unwrap_or_default())).collect();
                d = d.fix(format!(
                    "ALTER POLICY {} ON {} {};",
                    crate::build::quote_ident(&p.name),
                    table_sql(&key, table),
                    clauses.join(" ")
                ));
            }
            out.emit(d);
        }
    }
}

/// `text` with every call of one of `names` (as a canonical deparse prints it) wrapped as
/// `(SELECT call)`, leaving string literals, quoted identifiers and already wrapped calls alone.
fn wrap_calls(text: &str, names: &[&str]) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len() + 32);
    let mut i = 0;
    let patterns: Vec<String> = names.iter().map(|n| format!("{n}(")).collect();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c == b'.' || c == b'"';
    while i < b.len() {
        let c = b[i];
        if c == b'\'' || c == b'"' {
            // Copy the literal or quoted identifier whole.
            let end = quoted_end(b, i);
            out.push_str(&text[i..end]);
            i = end;
            continue;
        }
        let at_boundary = i == 0 || !ident(b[i - 1]);
        let hit =
            at_boundary.then(|| names.iter().zip(&patterns).find(|(_, p)| text[i..].starts_with(p.as_str())).map(|(n, _)| n)).flatten();
        if let Some(name) = hit {
            if let Some(close) = matching_paren(b, i + name.len()) {
                let call = &text[i..=close];
                let wrapped = out.ends_with("(SELECT ") && b.get(close + 1) == Some(&b')');
                if wrapped {
                    out.push_str(call);
                } else {
                    out.push_str("(SELECT ");
                    out.push_str(call);
                    out.push(')');
                }
                i = close + 1;
                continue;
            }
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// The index of the `)` closing the `(` at `open`, skipping literals.
fn matching_paren(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            b'\'' | b'"' => {
                i = quoted_end(b, i);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{wrap_calls, PER_STATEMENT};

    #[test]
    fn wraps_bare_calls_only() {
        assert_eq!(wrap_calls("auth.uid() = user_id", PER_STATEMENT), "(SELECT auth.uid()) = user_id");
        assert_eq!(wrap_calls("(SELECT auth.uid()) = user_id", PER_STATEMENT), "(SELECT auth.uid()) = user_id");
        assert_eq!(
            wrap_calls("org_id = current_setting('app.org(x)', true)::uuid AND note <> 'auth.uid()'", PER_STATEMENT),
            "org_id = (SELECT current_setting('app.org(x)', true))::uuid AND note <> 'auth.uid()'"
        );
        assert_eq!(wrap_calls("myauth.uid() = x", PER_STATEMENT), "myauth.uid() = x");
    }
}
