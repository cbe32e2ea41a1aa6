//! `created_at` / `updated_at` columns without a default.
//!
//! ## What it finds
//! A column named `created_at` or `updated_at`, of a timestamp or date type, with no default (and not
//! generated). Any default is accepted: `now()`, `CURRENT_TIMESTAMP`, `timezone('utc', now())`,
//! `clock_timestamp()`, `statement_timestamp()`, or another the team chose; only a missing one is
//! reported, one finding per table. Columns of partitions and inheritance children are reported
//! once, on the parent; tables of Supabase's own schemas and migration tools' tables
//! (`schema_migrations`, `ar_internal_metadata`, ...) are skipped.
//!
//! ## Why it matters
//! Every writer must then supply the time itself. The ORM does, but a migration, a script, a
//! `psql` fix or the Supabase dashboard does not: their rows get NULL (or fail on NOT NULL), and
//! each writer's clock and zone gives a slightly different "now". A default makes the database the
//! single source of the time. (`updated_at` also needs a trigger to change on update; the default
//! covers the insert.)
//!
//! ## How to fix
//! `ALTER TABLE public.t ALTER COLUMN created_at SET DEFAULT now();`
//!
//! ## Assumptions
//! None: `created_at` and `updated_at` are taken to mean the row's creation and last change.

use super::policy_conventions_util::{not_the_apps, own_columns};
use crate::build::quote_ident;
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};

pub static RULE: Rule = Rule {
    id: "timestamp_default_not_now",
    category: Category::Conventions,
    priority: Priority::P2,
    source: include_str!("timestamp_default_not_now.rs"),
    check,
};

fn check(cx: &Context, out: &mut Emitter) {
    for (tkey, t) in cx.tables() {
        if t.partition_of.is_some() || not_the_apps(t) {
            continue;
        }
        let mut missing: Vec<(&str, &str)> = Vec::new();
        for c in own_columns(cx, t) {
            if !matches!(c.name.as_str(), "created_at" | "updated_at") || c.default.is_some() || c.generated.is_some() {
                continue;
            }
            let now = if c.data_type.starts_with("timestamp") {
                "now()"
            } else if c.data_type == "date" {
                "CURRENT_DATE"
            } else {
                continue;
            };
            missing.push((c.name.as_str(), now));
        }
        if missing.is_empty() {
            continue;
        }
        let (cols, verb) = match missing.as_slice() {
            [(one, _)] => (format!("{tkey}.{one}"), "has"),
            _ => (missing.iter().map(|(c, _)| format!("{tkey}.{c}")).collect::<Vec<_>>().join(" and "), "have"),
        };
        let sets =
            missing.iter().map(|(c, now)| format!("ALTER COLUMN {} SET DEFAULT {now}", quote_ident(c))).collect::<Vec<_>>().join(", ");
        out.emit(
            Draft::new(tkey, format!("{cols} {verb} no default, so every writer must supply the time itself"))
                .fix(format!("ALTER TABLE {} {sets};", qualified(&t.schema, &t.name)))
                .span(t.span),
        );
    }
}
