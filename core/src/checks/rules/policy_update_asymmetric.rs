//! UPDATE policies whose WITH CHECK lets a row leave the owner or tenant its USING ties it to.
//!
//! ## What it finds
//! An `UPDATE` or `ALL` policy whose `WITH CHECK` does not read a column that its `USING` ties the
//! row to: a column compared with `=` / `IN` to something other than a constant (`owner_id =
//! auth.uid()`, `org_id IN (SELECT ...)`) or passed to a function (`is_member(org_id)`).
//! `WITH CHECK (true)` therefore counts as missing every such column.
//!
//! A policy without `WITH CHECK` is not reported: PostgreSQL then checks the new row against
//! `USING`, which is symmetric. Columns `USING` only compares with constants (`status = 'draft'`)
//! are not required in `WITH CHECK`, since moving a row between states is usually the point of the
//! update; nor are columns it only tests otherwise (`deleted_at IS NULL`). A `WITH CHECK` that reads
//! the column but constrains it more loosely (`owner_id IS NOT NULL`) is beyond this rule. Policies
//! on tables of Supabase's own schemas (except `storage` and `realtime`) are skipped.
//!
//! ## Why it matters
//! `USING` decides which rows a user may update; `WITH CHECK` decides what the rows may become. When
//! the latter does not constrain the owner or tenant column, a user can update one of their rows and
//! set `owner_id` (or `tenant_id`) to someone else's: the row moves into another account, where it
//! can plant data, or the user can hand rows away and escape auditing.
//!
//! ## How to fix
//! Make `WITH CHECK` constrain the same columns, usually by repeating `USING` in it (or by dropping
//! `WITH CHECK`, which makes PostgreSQL reuse `USING`):
//! `ALTER POLICY p ON t WITH CHECK ((owner_id = auth.uid()) AND (...));`
//!
//! ## Assumptions
//! Which roles bypass RLS (Supabase: `service_role`, and the superuser `supabase_admin`): a policy
//! only for them is never consulted and is not reported.

use super::policy_conventions_util::{applies_to_some_role, managed_policy_schema, refs, roles_assumption};
use crate::build::quote_ident;
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use crate::model::{key, PolicyCommand};

pub static RULE: Rule = Rule {
    id: "policy_update_asymmetric",
    category: Category::Security,
    priority: Priority::P1,
    source: include_str!("policy_update_asymmetric.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    for (tkey, t) in cx.tables() {
        if managed_policy_schema(&t.schema) {
            continue;
        }
        for p in t.policies.values() {
            if !matches!(p.command, PolicyCommand::Update | PolicyCommand::All) || !applies_to_some_role(cx, p) {
                continue;
            }
            let (Some(using), Some(with_check)) = (&p.using, &p.with_check) else {
                continue;
            };
            let (Some(u), Some(c)) = (refs(cx, t, &using.canonical), refs(cx, t, &with_check.canonical)) else {
                continue;
            };
            let always_true = cx.expr(&with_check.canonical).is_some_and(|f| f.always_true);
            let missing: Vec<&String> = u.bound.union(&u.func_args).filter(|col| always_true || !c.reads.contains(*col)).collect();
            if missing.is_empty() {
                continue;
            }
            let cols = missing.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ");
            let (them, it) = if missing.len() == 1 { ("it", "it") } else { ("them", "any of them") };
            let check = if always_true { "is true".to_string() } else { format!("does not read {them}") };
            let new_check =
                if always_true { using.canonical.clone() } else { format!("({}) AND ({})", using.canonical, with_check.canonical) };
            out.emit(
                Draft::new(
                    key::member(tkey, &p.name),
                    format!(
                        "policy {} on {tkey} ties the rows a user may update to {cols} in USING, but its WITH CHECK {check}, so an update can set {it} to another owner's or tenant's value",
                        p.name
                    ),
                )
                .fix(format!("ALTER POLICY {} ON {} WITH CHECK ({new_check});", quote_ident(&p.name), qualified(&t.schema, &t.name)))
                .span(p.span)
                .assume(roles_assumption(cx)),
            );
        }
    }
}
