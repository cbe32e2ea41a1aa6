//! The grid: rows (columns, then expression keys) × the table's indexes, each cell the key
//! position or INCLUDE; and the marks on indexes (duplicate, redundant) and rows (primary key,
//! foreign key, RLS filter).

use super::{needs, Cell, Coverage, IndexInfo, Row, Scope};
use crate::checks::rules::duplicate_index;
use crate::checks::Context;
use crate::model::{ConstraintKind, Index, Table};
use std::collections::{BTreeMap, BTreeSet};

/// Everything but the RLS filters (the caller adds those, parsed or from findings, then calls
/// [`finish`]).
pub(super) fn base(cx: &Context, key: &str) -> Option<Coverage> {
    let t = cx.snap.tables.get(key)?;
    let mut rows: Vec<Row> = t.columns.iter().map(|c| row(c.name.clone(), Some(c.data_type.clone()))).collect();
    // Expression keys become rows of their own, one per distinct canonical text.
    let mut expressions: Vec<String> = Vec::new();
    for k in t.indexes.values().flat_map(|i| &i.keys) {
        if let (None, Some(e)) = (&k.column, &k.expression) {
            if !expressions.contains(&e.canonical) {
                expressions.push(e.canonical.clone());
                rows.push(row(e.text.clone(), None));
            }
        }
    }
    let row_of = |k: &crate::model::IndexKey| match (&k.column, &k.expression) {
        (Some(c), _) => t.columns.iter().position(|x| &x.name == c),
        (None, Some(e)) => expressions.iter().position(|x| x == &e.canonical).map(|p| t.columns.len() + p),
        (None, None) => None,
    };
    let mut order: Vec<&Index> = t.indexes.values().collect();
    order.sort_by_key(|i| (i.keys.first().and_then(row_of).unwrap_or(usize::MAX), i.keys.len(), &i.name));

    for (n, i) in order.iter().enumerate() {
        for r in &mut rows {
            r.cells.push(None);
        }
        for (p, k) in i.keys.iter().enumerate() {
            if let Some(r) = row_of(k) {
                rows[r].cells[n].get_or_insert(Cell::Key(p as u32 + 1));
            }
        }
        for c in &i.include {
            if let Some(r) = t.columns.iter().position(|x| &x.name == c) {
                rows[r].cells[n].get_or_insert(Cell::Include);
            }
        }
    }

    let kinds = duplicate_index::constraint_kinds(t);
    let duplicates_scope = if duplicate_index::in_scope(cx, &t.schema) { Scope::Checked } else { Scope::Platform };
    let duplicate_of: BTreeMap<&str, &str> = match duplicates_scope {
        Scope::Checked => {
            duplicate_index::duplicates(&t.indexes, &kinds).iter().map(|d| (d.drop.name.as_str(), d.keep.name.as_str())).collect()
        }
        _ => BTreeMap::new(),
    };
    let redundant = match duplicates_scope {
        Scope::Checked => redundant(&order, &duplicate_of),
        _ => BTreeMap::new(),
    };
    let indexes = order
        .iter()
        .map(|i| IndexInfo {
            name: i.name.clone(),
            unique: i.unique,
            primary_key: i.constraint.as_deref().and_then(|c| kinds.get(c)) == Some(&ConstraintKind::PrimaryKey),
            constraint: i.constraint.clone(),
            method: i.method.clone(),
            predicate: i.predicate.as_ref().map(|p| p.text.clone()),
            include: i.include.clone(),
            definition: i.definition.clone(),
            span: i.span,
            attached_to: i.attached_to.clone(),
            duplicate_of: duplicate_of.get(i.name.as_str()).map(|s| s.to_string()),
            redundant_with: redundant.get(i.name.as_str()).map(|s| s.to_string()),
        })
        .collect();

    let (foreign_keys, foreign_keys_scope) = needs::foreign_keys(t);
    let mut c = Coverage {
        table: key.to_string(),
        rows,
        indexes,
        foreign_keys,
        foreign_keys_scope,
        rls_filters: vec![],
        rls_scope: Scope::Checked,
        duplicates_scope,
    };
    let mark = |c: &mut Coverage, cols: &[String], f: fn(&mut Row)| {
        for col in cols {
            if let Some(r) = t.columns.iter().position(|x| &x.name == col) {
                f(&mut c.rows[r]);
            }
        }
    };
    for k in t.constraints.values() {
        match k.kind {
            ConstraintKind::PrimaryKey => mark(&mut c, &k.columns, |r| r.primary_key = true),
            ConstraintKind::ForeignKey => mark(&mut c, &k.columns, |r| r.foreign_key = true),
            _ => {}
        }
    }
    Some(c)
}

/// Marks the rows of the RLS filter columns.
pub(super) fn finish(mut c: Coverage, t: &Table) -> Coverage {
    for n in &c.rls_filters {
        if let Some(r) = t.columns.iter().position(|x| x.name == n.column) {
            c.rows[r].rls_filter = true;
        }
    }
    c
}

fn row(label: String, data_type: Option<String>) -> Row {
    Row { label, data_type, primary_key: false, foreign_key: false, rls_filter: false, cells: vec![] }
}

/// Index name → the index it is redundant with (see [`IndexInfo::redundant_with`]); a reported
/// duplicate is neither redundant nor the index another is redundant with (its twin is).
fn redundant<'a>(indexes: &[&'a Index], duplicate_of: &BTreeMap<&str, &str>) -> BTreeMap<&'a str, &'a str> {
    let keys: Vec<Vec<String>> = indexes.iter().map(|i| duplicate_index::keys(i)).collect();
    let mut out = BTreeMap::new();
    for (a, ka) in indexes.iter().zip(&keys) {
        let droppable = a.method == "btree" && !a.unique && a.constraint.is_none() && a.attached_to.is_none();
        if !droppable || ka.is_empty() || duplicate_of.contains_key(a.name.as_str()) {
            continue;
        }
        let wider = indexes.iter().zip(&keys).filter(|(b, kb)| {
            let held: BTreeSet<&str> =
                b.keys.iter().filter_map(|k| k.column.as_deref()).chain(b.include.iter().map(String::as_str)).collect();
            b.method == "btree"
                && !duplicate_of.contains_key(b.name.as_str())
                && kb.len() > ka.len()
                && kb.starts_with(ka)
                && a.predicate.as_ref().map(|p| &p.canonical) == b.predicate.as_ref().map(|p| &p.canonical)
                && a.include.iter().all(|c| held.contains(c.as_str()))
        });
        if let Some((b, _)) = wider.min_by_key(|(b, kb)| (kb.len(), &b.name)) {
            out.insert(a.name.as_str(), b.name.as_str());
        }
    }
    out
}
