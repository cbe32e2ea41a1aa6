//! Indexes that repeat another index on the same table.
//!
//! ## What it finds
//! Two or more indexes on one table or materialized view with the same access method, the same key
//! columns or expressions in the same order (with the same operator classes, collations and sort
//! order), the same INCLUDE columns and the same predicate. One finding per redundant index: the one
//! to keep is, in this order, an index attached to a partitioned parent's index, one backing a
//! constraint (primary key before unique before exclusion), a unique one, then the first by name.
//! Uniqueness is not part of the comparison: a plain index repeating a unique one is redundant.
//! Same as Supabase's advisor lint `duplicate_index`.
//!
//! ## Why it matters
//! Every index is written on every insert and on updates of its columns, takes disk and cache, and
//! adds planning work; a second copy of the same index buys nothing for reads.
//!
//! ## How to fix
//! Drop the redundant one: `DROP INDEX CONCURRENTLY public.t_a_idx;` (plain `DROP INDEX` on a
//! partitioned table), or `ALTER TABLE public.t DROP CONSTRAINT t_a_key;` when both back
//! constraints. A unique index that a foreign key depends on cannot be dropped until the key is
//! recreated against the one you keep.
//!
//! ## Assumptions
//! None. Indexes of a partition that are attached to its parent's indexes are left to the parent's
//! finding (drop the parent's duplicate and the partitions' copies go with it). Supabase's own schemas
//! and schemas that extensions were installed into are skipped.

use super::integrity_batch_util::not_app_schema;
use crate::checks::context::qualified;
use crate::checks::{Category, Context, Draft, Emitter, Priority, Rule};
use crate::model::{ConstraintKind, Index, Table, TableKind};
use std::collections::BTreeMap;

pub static RULE: Rule = Rule {
    id: "duplicate_index",
    category: Category::Performance,
    priority: Priority::P2,
    source: include_str!("duplicate_index.rs"),
    check,
};

/// Each key as SQL: column or expression, collation, opclass, order (the policy and conventions
/// batch's key SQL). Two indexes whose lists are equal order and compare rows alike.
pub(crate) fn keys(i: &Index) -> Vec<String> {
    super::policy_conventions_util::keys_sql(i)
}

/// What two indexes must share to be duplicates, as text.
fn signature(i: &Index) -> String {
    let mut s = format!("{} ({})", i.method, keys(i).join(", "));
    if !i.include.is_empty() {
        s.push_str(&format!(" INCLUDE ({})", i.include.iter().map(|c| crate::build::quote_ident(c)).collect::<Vec<_>>().join(", ")));
    }
    if let Some(p) = &i.predicate {
        s.push_str(&format!(" WHERE {}", p.canonical));
    }
    s
}

/// Whether the rule looks at a relation in `schema` (not the platform's, not an extension's).
pub(crate) fn in_scope(cx: &Context, schema: &str) -> bool {
    !not_app_schema(cx, schema)
}

/// The kind of each of the table's constraints, by name: what decides which duplicate to keep.
pub(crate) fn constraint_kinds(t: &Table) -> BTreeMap<&str, ConstraintKind> {
    t.constraints.values().map(|c| (c.name.as_str(), c.kind)).collect()
}

/// One index the rule reports: `drop` repeats `keep`, both are `signature`.
pub(crate) struct Duplicate<'a> {
    pub drop: &'a Index,
    pub keep: &'a Index,
    pub signature: String,
}

/// The reported duplicates among one relation's indexes, in signature then name order.
pub(crate) fn duplicates<'a>(indexes: &'a BTreeMap<String, Index>, kinds: &BTreeMap<&str, ConstraintKind>) -> Vec<Duplicate<'a>> {
    let mut groups: BTreeMap<String, Vec<&Index>> = BTreeMap::new();
    for i in indexes.values() {
        groups.entry(signature(i)).or_default().push(i);
    }
    let mut out = Vec::new();
    for (sig, mut group) in groups {
        if group.len() < 2 {
            continue;
        }
        let rank = |i: &Index| {
            let constraint = match i.constraint.as_deref().and_then(|c| kinds.get(c)) {
                Some(ConstraintKind::PrimaryKey) => 0,
                Some(ConstraintKind::Unique) => 1,
                Some(_) => 2,
                None if i.constraint.is_some() => 2,
                None => 3,
            };
            (i.attached_to.is_none(), constraint, !i.unique, !i.nulls_not_distinct)
        };
        group.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.name.cmp(&b.name)));
        let keep = group[0];
        // A partition's copy of its parent's index goes with the parent's.
        out.extend(group[1..].iter().filter(|d| d.attached_to.is_none()).map(|drop| Duplicate { drop, keep, signature: sig.clone() }));
    }
    out
}

fn check(cx: &Context, out: &mut Emitter) {
    for (key, t) in cx.tables() {
        if in_scope(cx, &t.schema) {
            let partitioned = t.kind == TableKind::Partitioned;
            relation(out, key, (&t.schema, &t.name), &t.indexes, &constraint_kinds(t), partitioned, "table");
        }
    }
    for (key, v) in &cx.snap.views {
        if v.materialized && in_scope(cx, &v.schema) {
            relation(out, key, (&v.schema, &v.name), &v.indexes, &BTreeMap::new(), false, "materialized view");
        }
    }
}

fn relation(
    out: &mut Emitter,
    key: &str,
    (schema, name): (&str, &str),
    indexes: &BTreeMap<String, Index>,
    kinds: &BTreeMap<&str, ConstraintKind>,
    partitioned: bool,
    kind: &str,
) {
    for Duplicate { drop, keep, signature } in duplicates(indexes, kinds) {
        let what = describe(drop);
        let kept = describe(keep);
        let fix = match &drop.constraint {
            Some(c) => format!("ALTER TABLE {} DROP CONSTRAINT {};", qualified(schema, name), crate::build::quote_ident(c)),
            None if partitioned => format!("DROP INDEX {};", qualified(schema, &drop.name)),
            None => format!("DROP INDEX CONCURRENTLY {};", qualified(schema, &drop.name)),
        };
        out.emit(
            Draft::new(key, format!("{what} on {kind} {key} duplicates {kept}: both are {signature}"))
                .subject(&drop.name)
                .fix(fix)
                .span(drop.span),
        );
    }
}

/// `index x`, `the index of constraint x`, or `index x of constraint y`.
fn describe(i: &Index) -> String {
    match &i.constraint {
        Some(c) if *c == i.name => format!("the index of constraint {c}"),
        Some(c) => format!("index {} of constraint {c}", i.name),
        None => format!("index {}", i.name),
    }
}
