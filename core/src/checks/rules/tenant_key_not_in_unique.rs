//! Unique indexes on multi-tenant tables that make a value unique across all tenants.
//!
//! ## What it finds
//! A UNIQUE constraint or unique index on a table with a tenant key column (pglens.toml `[checks]
//! tenant_keys`; default `school_id`, `tenant_id`, `org_id`, `organization_id`, `workspace_id`,
//! `network_id`) whose keys do not include the tenant key. Not reported, because uniqueness across
//! tenants is right or already scoped there:
//! - the primary key, and unique indexes that contain every primary key column (unique anyway);
//! - partial indexes whose predicate reads the tenant key (`WHERE org_id IS NULL`: global rows);
//! - indexes with a key column that points at a row of a tenant-scoped table (`UNIQUE (project_id,
//!   name)`: the project already belongs to one tenant). A tenant-scoped table has a tenant key or a
//!   foreign key to a tenant-scoped table, transitively; a column points at one through a foreign
//!   key, or, without one, by its name (`project_id`, `source_project_id` next to `projects`; the
//!   names `fk_naming` accepts);
//! - indexes on credentials and generated identifiers, which must be unique everywhere: a key column
//!   of type `uuid`, or named like `token`, `secret`, `password`, `fingerprint`, `digest`, `hash`,
//!   `nonce`, `salt`, `uuid`, `guid`, `uid`, `*_uid`, `*_key`, or OAuth's `device_code`,
//!   `user_code`.
//!
//! Partitions (the parent's index covers them) and tables of Supabase's own schemas are skipped.
//!
//! ## Why it matters
//! Two tenants cannot both have a row with the same value (`UNIQUE (email)` on a school's
//! students: a student enrolled at two schools cannot exist), and the unique violation tells one
//! tenant that another tenant has that value, a leak across the tenant boundary.
//!
//! ## How to fix
//! Put the tenant key first in the unique key:
//! `ALTER TABLE t DROP CONSTRAINT t_email_key, ADD CONSTRAINT t_email_key UNIQUE (org_id, email);`
//! (drop and re-create any foreign key that references the old constraint). When the tenant key is
//! nullable, rows without a tenant never conflict in the new key: add `NULLS NOT DISTINCT`
//! (PostgreSQL 15) if they must.
//!
//! ## Assumptions
//! The tenant key names.

use super::policy_conventions_util::{
    generated_or_credential, is_plain_unique, keys_sql, primary_key, replace_unique_sql, tenant_keys_assumption, tenant_keys_of,
    tenant_tables, TableNames,
};
use crate::build::quote_ident;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use crate::model::{ConstraintKind, Index, Table};
use std::collections::BTreeSet;

pub static RULE: Rule = Rule {
    id: "tenant_key_not_in_unique",
    category: Category::Integrity,
    priority: Priority::P1,
    source: include_str!("tenant_key_not_in_unique.rs"),
    check,
};

/// Tables with a tenant key, or a reference (foreign key, or a column named after the table) to
/// such a table, transitively.
fn tenant_scoped<'a>(cx: &Context<'a>, names: &TableNames<'a>) -> BTreeSet<&'a str> {
    let mut scoped: BTreeSet<&'a str> = cx.tables().filter(|(_, t)| !tenant_keys_of(cx, t).is_empty()).map(|(k, _)| k.as_str()).collect();
    let mut edges: Vec<(&'a str, &'a str)> = Vec::new();
    for (k, t) in cx.tables() {
        for c in t.constraints.values() {
            if let Some(fk) = c.foreign_key.as_ref().filter(|_| c.kind == ConstraintKind::ForeignKey) {
                edges.push((k.as_str(), fk.table.as_str()));
            }
        }
        for c in &t.columns {
            edges.extend(names.named_by(&c.name).into_iter().filter(|to| *to != k.as_str()).map(|to| (k.as_str(), to)));
        }
    }
    loop {
        let before = scoped.len();
        for (from, to) in &edges {
            if scoped.contains(to) && !scoped.contains(from) {
                scoped.insert(from);
            }
        }
        if scoped.len() == before {
            return scoped;
        }
    }
}

fn check(cx: &Context, out: &mut Emitter) {
    if cx.config.tenant_keys.is_empty() {
        return;
    }
    let names = TableNames::new(cx);
    let scoped = tenant_scoped(cx, &names);
    for (tkey, t, keys) in tenant_tables(cx) {
        let pk = primary_key(t);
        // Columns that point at a row of a tenant-scoped table.
        let parent_scoped: BTreeSet<&str> = t
            .constraints
            .values()
            .filter_map(|c| c.foreign_key.as_ref().filter(|_| c.kind == ConstraintKind::ForeignKey).map(|fk| (c, fk)))
            .filter(|(_, fk)| scoped.contains(fk.table.as_str()))
            .flat_map(|(c, _)| c.columns.iter().map(String::as_str))
            .chain(
                t.columns
                    .iter()
                    .map(|c| c.name.as_str())
                    .filter(|c| names.named_by(c).iter().any(|k| *k != tkey.as_str() && scoped.contains(k))),
            )
            .collect();
        for i in t.indexes.values() {
            if !is_plain_unique(t, i) || omits(cx, i, &keys, &pk, &parent_scoped, t).is_none() {
                continue;
            }
            let cols = describe(i);
            let tenant = keys[0];
            let mut new_keys = vec![quote_ident(tenant)];
            new_keys.extend(keys_sql(i));
            let fix = replace_unique_sql(t, i, &new_keys, i.predicate.as_ref().map(|p| p.canonical.as_str()));
            let what = if i.constraint.is_some() { "unique constraint" } else { "unique index" };
            out.emit(
                Draft::new(
                    tkey,
                    format!(
                        "{what} {} on {tkey} ({cols}) omits the tenant key {tenant}, so a value can exist only once across all tenants",
                        i.name
                    ),
                )
                .subject(&i.name)
                .span(i.span)
                .fix(fix)
                .assume([tenant_keys_assumption(cx)]),
            );
        }
    }
}

/// `Some(())` when the unique index omits the tenant key and none of the exemptions applies.
fn omits(cx: &Context, i: &Index, keys: &[&str], pk: &[String], parent_scoped: &BTreeSet<&str>, t: &Table) -> Option<()> {
    let columns: Vec<&str> = i.keys.iter().filter_map(|k| k.column.as_deref()).collect();
    let reads_key = |canonical: &str| cx.expr(canonical).is_none_or(|f| keys.iter().any(|k| f.reads(k)));
    if columns.iter().any(|c| keys.contains(c)) || i.keys.iter().filter_map(|k| k.expression.as_ref()).any(|e| reads_key(&e.canonical)) {
        return None;
    }
    if i.predicate.as_ref().is_some_and(|p| reads_key(&p.canonical)) {
        return None;
    }
    if !pk.is_empty() && pk.iter().all(|c| columns.contains(&c.as_str())) {
        return None;
    }
    if columns.iter().any(|c| parent_scoped.contains(c) || generated_or_credential(t, c)) {
        return None;
    }
    Some(())
}

/// The index's keys as written in a message.
fn describe(i: &Index) -> String {
    i.keys
        .iter()
        .map(|k| match (&k.column, &k.expression) {
            (Some(c), _) => c.clone(),
            (None, Some(e)) => e.canonical.clone(),
            _ => "?".into(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}
