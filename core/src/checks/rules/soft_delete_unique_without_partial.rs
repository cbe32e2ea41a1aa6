//! Unique indexes on soft-deleted tables that still count the deleted rows.
//!
//! ## What it finds
//! On a table with a `deleted_at` column, a UNIQUE constraint or unique index (the primary key
//! excepted) that is not restricted to live rows: it has no predicate reading `deleted_at` (such as
//! `WHERE deleted_at IS NULL`). An index that has `deleted_at` among its keys is reported too unless
//! it is `NULLS NOT DISTINCT`: NULLs never conflict, so two live rows (both `deleted_at IS NULL`)
//! with the same value pass it. Not reported: indexes with a key column that holds generated
//! identifiers or credentials (type `uuid`, or named like `token`, `secret`, `hash`, `uid`, `*_key`,
//! ...), whose values are never meant to be used again; partitions (the parent's index covers them)
//! and tables of Supabase's own schemas.
//!
//! ## Why it matters
//! A soft-deleted row keeps its value, so the value cannot be used again: delete the user
//! `ann@example.com` and she can never sign up again; archive the project `website` and no new
//! project can take the name. The app then either fails with a unique violation users cannot
//! understand or hard-deletes after all.
//!
//! ## How to fix
//! Re-create the index as a partial index over the live rows:
//! `DROP INDEX public.users_email_key; CREATE UNIQUE INDEX users_email_key ON public.users (email) WHERE deleted_at IS NULL;`
//! (a UNIQUE constraint becomes a partial unique index, since constraints cannot be partial: drop and
//! re-create foreign keys that reference it, or keep both if they must).
//!
//! ## Assumptions
//! None: a `deleted_at` column is taken to mean soft deletion (rows with a value are deleted).

use super::policy_conventions_util::{generated_or_credential, is_plain_unique, keys_sql, managed_schema, replace_unique_sql};
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};

pub static RULE: Rule = Rule {
    id: "soft_delete_unique_without_partial",
    category: Category::Integrity,
    priority: Priority::P1,
    source: include_str!("soft_delete_unique_without_partial.rs"),
    check,
};

const COLUMN: &str = "deleted_at";

fn check(cx: &Context, out: &mut Emitter) {
    for (tkey, t) in cx.tables() {
        if t.partition_of.is_some() || managed_schema(&t.schema) || !t.columns.iter().any(|c| c.name == COLUMN) {
            continue;
        }
        for i in t.indexes.values() {
            if !is_plain_unique(t, i) {
                continue;
            }
            if i.predicate.as_ref().is_some_and(|p| cx.expr(&p.canonical).is_none_or(|f| f.reads(COLUMN))) {
                continue;
            }
            // A generated identifier or credential is never reused: keeping it unique among deleted
            // rows too is right.
            if i.keys.iter().filter_map(|k| k.column.as_deref()).any(|c| generated_or_credential(t, c)) {
                continue;
            }
            let in_keys = i.keys.iter().any(|k| k.column.as_deref() == Some(COLUMN));
            if in_keys && i.nulls_not_distinct {
                continue;
            }
            let what = if i.constraint.is_some() { "unique constraint" } else { "unique index" };
            let message = if in_keys {
                format!("{what} {} on {tkey} has {COLUMN} among its keys, but NULLs never conflict, so two live rows with the same values pass it", i.name)
            } else {
                format!("{what} {} on {tkey} also counts soft-deleted rows, so a deleted row's value cannot be used again", i.name)
            };
            let keys: Vec<String> =
                i.keys.iter().zip(keys_sql(i)).filter(|(k, _)| k.column.as_deref() != Some(COLUMN)).map(|(_, s)| s).collect();
            let predicate = match &i.predicate {
                Some(p) => format!("({}) AND ({COLUMN} IS NULL)", p.canonical),
                None => format!("{COLUMN} IS NULL"),
            };
            let mut d = Draft::new(tkey, message).subject(&i.name).span(i.span);
            if !keys.is_empty() {
                d = d.fix(replace_unique_sql(t, i, &keys, Some(&predicate)));
            }
            out.emit(d);
        }
    }
}
