//! Pairing objects of A and B: by key first, then, among what is left on both sides, as a rename
//! when exactly one object on each side has the same definition (its signature: everything but
//! the name).

use super::text::unqualified;
use crate::model::*;
use std::collections::{BTreeMap, HashMap};

pub struct Matching<'k, V> {
    pub only_a: Vec<(&'k str, V)>,
    pub only_b: Vec<(&'k str, V)>,
    /// Key in A, object in A, key in B, object in B.
    pub renamed: Vec<(&'k str, V, &'k str, V)>,
    pub both: Vec<(&'k str, V, V)>,
}

type Signature<'s, V> = Option<&'s dyn Fn(&V) -> String>;

/// Pairs `a` and `b` (each sorted by key, as a `BTreeMap` iterates) by key, then by signature (an
/// empty signature never pairs). Keys stay borrowed: most objects match and are never reported.
pub fn pair<'k, V>(
    a: impl IntoIterator<Item = (&'k str, V)>,
    b: impl IntoIterator<Item = (&'k str, V)>,
    signature: Signature<'_, V>,
) -> Matching<'k, V> {
    let mut m = Matching { only_a: vec![], only_b: vec![], renamed: vec![], both: vec![] };
    let mut b = b.into_iter().peekable();
    for (k, x) in a {
        while let Some((kb, _)) = b.peek() {
            if *kb < k {
                m.only_b.push(b.next().expect("peeked"));
            } else {
                break;
            }
        }
        match b.peek() {
            Some((kb, _)) if *kb == k => {
                let (_, y) = b.next().expect("peeked");
                m.both.push((k, x, y));
            }
            _ => m.only_a.push((k, x)),
        }
    }
    m.only_b.extend(b);
    let Some(sig) = signature else { return m };
    if m.only_a.is_empty() || m.only_b.is_empty() {
        return m;
    }
    let mut groups: HashMap<String, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for (i, (_, x)) in m.only_a.iter().enumerate() {
        let s = sig(x);
        if !s.is_empty() {
            groups.entry(s).or_default().0.push(i);
        }
    }
    for (i, (_, y)) in m.only_b.iter().enumerate() {
        if let Some(g) = groups.get_mut(&sig(y)) {
            g.1.push(i);
        }
    }
    let mut pairs: Vec<(usize, usize)> =
        groups.into_values().filter(|(x, y)| x.len() == 1 && y.len() == 1).map(|(x, y)| (x[0], y[0])).collect();
    if pairs.is_empty() {
        return m;
    }
    pairs.sort_unstable();
    let mut a_slots: Vec<Option<(&str, V)>> = m.only_a.into_iter().map(Some).collect();
    let mut b_slots: Vec<Option<(&str, V)>> = m.only_b.into_iter().map(Some).collect();
    for (i, j) in pairs {
        let (ka, x) = a_slots[i].take().expect("each index pairs once");
        let (kb, y) = b_slots[j].take().expect("each index pairs once");
        m.renamed.push((ka, x, kb, y));
    }
    m.only_a = a_slots.into_iter().flatten().collect();
    m.only_b = b_slots.into_iter().flatten().collect();
    m
}

fn entries<T>(m: &BTreeMap<String, T>) -> impl Iterator<Item = (&str, &T)> {
    m.iter().map(|(k, v)| (k.as_str(), v))
}

pub fn by_key<'k, T>(a: &'k BTreeMap<String, T>, b: &'k BTreeMap<String, T>) -> Matching<'k, &'k T> {
    pair(entries(a), entries(b), None)
}

pub fn by_key_filtered<'k, T>(a: &'k BTreeMap<String, T>, b: &'k BTreeMap<String, T>, keep: impl Fn(&T) -> bool) -> Matching<'k, &'k T> {
    pair(entries(a).filter(|(_, v)| keep(v)), entries(b).filter(|(_, v)| keep(v)), None)
}

pub fn matching<'k, T>(a: &'k BTreeMap<String, T>, b: &'k BTreeMap<String, T>, signature: impl Fn(&T) -> String) -> Matching<'k, &'k T> {
    pair(entries(a), entries(b), Some(&|v: &&T| signature(v)))
}

pub fn table_signature(t: &Table) -> String {
    if t.columns.is_empty() {
        return String::new();
    }
    let mut s = format!("{:?}|", t.kind);
    for (i, c) in t.columns.iter().enumerate() {
        s.push_str(&column_signature(i, c));
        s.push_str(&c.name);
        s.push(';');
    }
    let mut cons: Vec<String> = t.constraints.values().filter(|c| c.kind != ConstraintKind::NotNull).map(constraint_signature).collect();
    cons.sort();
    s.push_str(&cons.join(";"));
    s
}

/// A column's definition and position: a renamed column keeps its place, a dropped and re-added
/// one moves to the end.
pub fn column_signature(position: usize, c: &Column) -> String {
    let e = |x: &Option<Expr>| x.as_ref().map(|e| unqualified(&e.canonical)).unwrap_or_default();
    format!("{position}|{}|{}|{}|{:?}|{}|", c.data_type, c.not_null, e(&c.default), c.identity, e(&c.generated))
}

pub fn constraint_signature(c: &Constraint) -> String {
    format!("{:?}|{}|{}", c.kind, c.definition, c.not_valid)
}

/// An index's definition without its name and table.
pub fn index_signature(i: &Index) -> String {
    let mut s = format!("{}|{}|{}|", i.unique, i.method, i.nulls_not_distinct);
    for k in &i.keys {
        match (&k.column, &k.expression) {
            (Some(c), _) => s.push_str(c),
            (None, Some(e)) => s.push_str(&unqualified(&e.canonical)),
            (None, None) => {}
        }
        s.push_str(&format!(" {:?} {:?} {} {:?},", k.opclass, k.collation, k.descending, k.nulls_first));
    }
    s.push('|');
    s.push_str(&i.include.join(","));
    s.push('|');
    if let Some(p) = &i.predicate {
        s.push_str(&unqualified(&p.canonical));
    }
    s
}

/// A policy's definition without its name (and without its table: callers pair within a table,
/// or add the table themselves).
pub fn policy_signature(p: &Policy) -> String {
    let e = |x: &Option<Expr>| x.as_ref().map(|e| unqualified(&e.canonical)).unwrap_or_default();
    let mut roles = p.roles.clone();
    roles.sort();
    format!("{}|{:?}|{}|{}|{}", p.permissive, p.command, roles.join(","), e(&p.using), e(&p.with_check))
}
