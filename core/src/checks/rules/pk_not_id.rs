//! Single-column primary keys not named `id`.
//!
//! ## What it finds
//! A primary key on one column whose name is not `id`. Not reported:
//! - composite primary keys: the key of a join table such as `(user_id, group_id)` is its pair of
//!   references, and has no `id` to name;
//! - 1:1 extension tables, whose key is the row they extend: the primary key column is also a
//!   single-column foreign key (`project_settings.project_id` referencing `projects`), or, without
//!   a declared key, is named `<singular>_id` after another table of the dump
//!   (`lfs_object_states.lfs_object_id` next to `lfs_objects`; the same names `fk_naming` accepts);
//! - partitions (the parent's key covers them), tables of Supabase's own schemas and migration
//!   tools' tables (`schema_migrations`, `ar_internal_metadata`, ...).
//!
//! ## Why it matters
//! With every table keyed by `id`, references read `<table>_id → <table>.id`, generic code (APIs,
//! admin tools, ORMs' defaults) works without per-table configuration, and nobody has to remember
//! whether `users` is keyed by `user_id`, `uid` or `email`. A natural key (`code`, `email`) as the
//! primary key also spreads into every referencing table and makes changing it costly.
//!
//! ## How to fix
//! Rename the column (and the code using it): `ALTER TABLE public.t RENAME COLUMN t_id TO id;`
//! (the finding's fix, for a key whose name ends in `id`), or, for a natural key (`code`,
//! `version`), add a surrogate `id` and keep the natural one `UNIQUE`.
//!
//! ## Assumptions
//! None: a naming convention.

use super::policy_conventions_util::{not_the_apps, primary_key, TableNames};
use crate::build::quote_ident;
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use crate::model::ConstraintKind;

pub static RULE: Rule =
    Rule { id: "pk_not_id", category: Category::Conventions, priority: Priority::P2, source: include_str!("pk_not_id.rs"), check };

fn check(cx: &Context, out: &mut Emitter) {
    // Built only when a table needs it.
    let names = std::cell::OnceCell::new();
    for (tkey, t) in cx.tables() {
        if t.partition_of.is_some() || not_the_apps(t) {
            continue;
        }
        let pk_columns = primary_key(t);
        let [col] = pk_columns.as_slice() else {
            continue;
        };
        if col == "id" {
            continue;
        }
        let extension = t.constraints.values().any(|c| c.kind == ConstraintKind::ForeignKey && c.columns.as_slice() == [col.clone()]);
        if extension || names.get_or_init(|| TableNames::new(cx)).named_by(col).iter().any(|k| *k != tkey.as_str()) {
            continue;
        }
        let Some(pk) = t.constraints.values().find(|c| c.kind == ConstraintKind::PrimaryKey) else {
            continue;
        };
        let mut d = Draft::new(tkey, format!("the primary key of {tkey} is {col}, not id")).span(pk.span);
        // A surrogate under another name (`audit_id`, `uuid`) can be renamed; a natural key cannot.
        if col.ends_with("id") && !t.columns.iter().any(|c| c.name == "id") {
            d = d.fix(format!("ALTER TABLE {} RENAME COLUMN {} TO id;", qualified(&t.schema, &t.name), quote_ident(&col)));
        }
        out.emit(d);
    }
}
