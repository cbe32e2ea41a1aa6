//! Foreign keys into Supabase's `auth` schema that reference a unique key instead of the primary key.
//!
//! ## What it finds
//! A foreign key from an app table to a table in the `auth` schema (usually `auth.users`) whose
//! referenced columns are not that table's primary key: `REFERENCES auth.users(email)`, or any other
//! column backed by a unique constraint or index. Same as Supabase's advisor lint
//! `fkey_to_auth_unique`.
//!
//! ## Why it matters
//! The `auth` schema belongs to Supabase Auth, whose migrations may drop or change its unique
//! constraints (as happened to `users.phone`). A foreign key depending on one of them makes those
//! migrations fail, blocking Auth upgrades; and emails or phone numbers change, so the reference
//! breaks or cascades unexpectedly when a user edits theirs.
//!
//! ## How to fix
//! Reference the primary key instead: add a `user_id uuid REFERENCES auth.users(id)` column, fill it
//! from the old key, then drop the old foreign key:
//! `ALTER TABLE public.t DROP CONSTRAINT t_email_fkey;`
//!
//! ## Assumptions
//! When the referenced auth table is not in the dump (`supabase db dump` leaves `auth` out), its
//! primary key is assumed to be `(id)`, as it is for every Supabase Auth table; the finding says so.

use super::integrity_batch_util::not_app_schema;
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use crate::model::ConstraintKind;

pub static RULE: Rule = Rule {
    id: "fkey_to_auth_unique",
    category: Category::Integrity,
    priority: Priority::P1,
    source: include_str!("fkey_to_auth_unique.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    for (key, t) in cx.tables() {
        if not_app_schema(cx, &t.schema) {
            continue;
        }
        for c in t.constraints.values() {
            let Some(fk) = c.foreign_key.as_ref().filter(|_| c.kind == ConstraintKind::ForeignKey && c.inherited_from.is_none()) else {
                continue;
            };
            // `REFERENCES auth.users` without columns is the primary key.
            if fk.table.split_once('.').map(|x| x.0) != Some("auth") || fk.columns.is_empty() {
                continue;
            }
            let (pk, assumption) = match cx.snap.tables.get(&fk.table) {
                Some(target) => match target.constraints.values().find(|k| k.kind == ConstraintKind::PrimaryKey) {
                    Some(pk) => (pk.columns.clone(), None),
                    None => continue,
                },
                None => (
                    vec!["id".to_string()],
                    Some(format!("{} is not in the dump: its primary key is assumed to be (id), as in Supabase Auth", fk.table)),
                ),
            };
            let mut referenced = fk.columns.clone();
            referenced.sort();
            let mut primary = pk.clone();
            primary.sort();
            if referenced == primary {
                continue;
            }
            let mut d = Draft::new(
                key,
                format!(
                    "foreign key {} on {key} references {}({}), a unique key Supabase Auth may change, instead of its primary key ({})",
                    c.name,
                    fk.table,
                    fk.columns.join(", "),
                    pk.join(", ")
                ),
            )
            .subject(&c.name)
            .fix(format!("ALTER TABLE {} DROP CONSTRAINT {};", qualified(&t.schema, &t.name), crate::build::quote_ident(&c.name)))
            .span(c.span);
            if let Some(a) = assumption {
                d = d.assume([a]);
            }
            out.emit(d);
        }
    }
}
