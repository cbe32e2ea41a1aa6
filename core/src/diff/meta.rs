//! Privileges, comments and owners: compared on every object both sides hold, keyed by the
//! object (`table public.t`, `column public.t.c`, `function public.f(integer)`).

use super::compare::{Collector, Obj};
use super::{ChangeKind, Field, Kind};
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What granting on an object exposes: decides how much a new grant matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exposure {
    /// Rows anyone with the privilege reads or writes: a table without row security, a view or
    /// materialized view that reads as its owner.
    Rows,
    /// Rows filtered by policies (row security on, or a security_invoker view).
    RowsByPolicy,
    /// A SECURITY DEFINER function: runs with its owner's rights.
    Definer,
    Function,
    Schema,
    /// Sequences, types: little to expose.
    Minor,
}

/// An object that privileges, a comment or an owner belong to.
#[derive(Clone, Debug)]
pub struct Target {
    /// `table`, `column`, `view`, `function`, ... (the key's prefix).
    pub word: &'static str,
    pub key: String,
    /// The SQL object type for GRANT / COMMENT ON / ALTER ... OWNER (`TABLE`, `MATERIALIZED VIEW`).
    pub sql_kind: &'static str,
    /// The quoted name as those statements take it (`"public"."t"`, `"p" ON "public"."t"`,
    /// `(c) ON TABLE "public"."t"` for a column's GRANT is built from `column`).
    pub sql_name: String,
    /// For a column: its quoted name, while `sql_name` names the table.
    pub column: Option<String>,
    pub exposure: Exposure,
    pub span: Option<Span>,
}

impl Target {
    pub fn label(&self) -> String {
        format!("{} {}", self.word, self.key)
    }
}

/// One grantee's privileges on one object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grants {
    pub grantee: String,
    /// `(privilege, grantable)`.
    pub set: BTreeSet<(String, bool)>,
    /// The first explicit grant's statement, if any.
    pub span: Option<Span>,
}

pub fn show(set: &BTreeSet<(String, bool)>) -> String {
    set.iter().map(|(p, g)| if *g { format!("{p} WITH GRANT OPTION") } else { p.clone() }).collect::<Vec<_>>().join(", ")
}

/// What an object holds besides its definition.
#[derive(Clone, Copy)]
struct Meta<'s> {
    owner: Option<&'s str>,
    comment: Option<&'s str>,
    privileges: &'s [Privilege],
}

fn meta<'s>(owner: &'s Option<String>, comment: &'s Option<String>, privileges: &'s [Privilege]) -> Meta<'s> {
    Meta { owner: owner.as_deref(), comment: comment.as_deref(), privileges }
}

fn schema_meta(s: &Schema) -> Meta<'_> {
    let mut m = meta(&s.owner, &s.comment, &s.privileges);
    // initdb's comment on public: `supabase db dump` writes it, pg_dump leaves it out.
    if s.name == "public" && m.comment == Some("standard public schema") {
        m.comment = None;
    }
    m
}

fn comment_only(comment: &Option<String>) -> Meta<'_> {
    Meta { owner: None, comment: comment.as_deref(), privileges: &[] }
}

/// Equal owner, comment and privileges in the same order: nothing to compare further (the common
/// case, decided without building anything).
fn same(x: &Meta, y: &Meta) -> bool {
    x.owner == y.owner
        && x.comment == y.comment
        && x.privileges.len() == y.privileges.len()
        && x.privileges
            .iter()
            .zip(y.privileges)
            .all(|(p, q)| p.grantee == q.grantee && p.privilege == q.privilege && p.grantable == q.grantable)
}

struct Entry<'s> {
    target: Target,
    owner: Option<&'s str>,
    comment: Option<&'s str>,
    privileges: &'s [Privilege],
}

impl<'s> Entry<'s> {
    fn new(target: Target, m: Meta<'s>) -> Entry<'s> {
        Entry { target, owner: m.owner, comment: m.comment, privileges: m.privileges }
    }
}

/// Compares one object's owner, comment and privileges; `target(in_b)` names it on either side
/// and is called only when something differs.
fn visit(c: &mut Collector, x: Option<Meta>, y: Meta, target: &dyn Fn(bool) -> Target) {
    match x {
        Some(x) if same(&x, &y) => {}
        Some(x) => both(c, &Entry::new(target(false), x), &Entry::new(target(true), y)),
        None if y.privileges.iter().any(|p| p.span.is_some()) => added(c, &Entry::new(target(true), y)),
        None => {}
    }
}

fn q(s: &str) -> String {
    crate::build::names::quote_ident(s)
}

fn qq(schema: &str, name: &str) -> String {
    crate::build::names::qualified_ident(schema, name)
}

fn target(word: &'static str, key: &str, sql_kind: &'static str, sql_name: String, exposure: Exposure, span: Span) -> Target {
    Target { word, key: key.to_string(), sql_kind, sql_name, column: None, exposure, span: Some(span) }
}

fn table_target(t: &Table, key: &str) -> Target {
    let exposure = if t.rls_enabled { Exposure::RowsByPolicy } else { Exposure::Rows };
    let sql_kind = if t.kind == TableKind::Foreign { "FOREIGN TABLE" } else { "TABLE" };
    target("table", key, sql_kind, qq(&t.schema, &t.name), exposure, t.span)
}

fn column_target(t: &Table, table_key: &str, c: &Column) -> Target {
    Target {
        column: Some(q(&c.name)),
        word: "column",
        key: format!("{table_key}.{}", c.name),
        sql_kind: "COLUMN",
        ..table_target(t, table_key)
    }
}

fn member_target(word: &'static str, sql_kind: &'static str, t: &Table, table_key: &str, name: &str, span: Span) -> Target {
    let sql_name = match sql_kind {
        "INDEX" => qq(&t.schema, name),
        _ => format!("{} ON {}", q(name), qq(&t.schema, &t.name)),
    };
    target(word, &key::member(table_key, name), sql_kind, sql_name, Exposure::Minor, span)
}

/// Walks B's objects and their counterparts in A (through renamed tables), comparing owners,
/// comments and privileges.
fn walk(c: &mut Collector) {
    let (a, b) = (c.a, c.b);
    let back: HashMap<String, String> = c.renamed.iter().map(|(ka, kb)| (kb.clone(), ka.clone())).collect();
    for (k, y) in &b.schemas {
        let x = a.schemas.get(k);
        let t = |s: &Schema| target("schema", k, "SCHEMA", q(&s.name), Exposure::Schema, s.span);
        visit(c, x.map(schema_meta), schema_meta(y), &|in_b| t(if in_b { y } else { x.expect("compared") }));
    }
    for (kb, y) in &b.tables {
        let ka = back.get(kb).unwrap_or(kb);
        let x = a.tables.get(ka);
        let pick = |in_b: bool| if in_b { y } else { x.expect("compared") };
        visit(c, x.map(|x| meta(&x.owner, &x.comment, &x.privileges)), meta(&y.owner, &y.comment, &y.privileges), &|in_b| {
            table_target(pick(in_b), kb)
        });
        let Some(x) = x else {
            // A new table's columns: their own grants.
            for col in &y.columns {
                visit(c, None, meta(&None, &col.comment, &col.privileges), &|_| column_target(y, kb, col));
            }
            continue;
        };
        if x.columns != y.columns {
            for col in &y.columns {
                let old = x.columns.iter().find(|o| o.name == col.name);
                visit(c, old.map(|o| meta(&None, &o.comment, &o.privileges)), meta(&None, &col.comment, &col.privileges), &|in_b| {
                    if in_b {
                        column_target(y, kb, col)
                    } else {
                        column_target(x, kb, old.expect("compared"))
                    }
                });
            }
        }
        for (n, k) in &y.constraints {
            if let Some(o) = x.constraints.get(n).filter(|o| o.comment != k.comment) {
                visit(c, Some(comment_only(&o.comment)), comment_only(&k.comment), &|in_b| {
                    let (t, span) = if in_b { (y, k.span) } else { (x, o.span) };
                    member_target("constraint", "CONSTRAINT", t, kb, n, span)
                });
            }
        }
        for (n, i) in &y.indexes {
            if let Some(o) = x.indexes.get(n).filter(|o| o.comment != i.comment) {
                visit(c, Some(comment_only(&o.comment)), comment_only(&i.comment), &|in_b| {
                    let (t, span) = if in_b { (y, i.span) } else { (x, o.span) };
                    member_target("index", "INDEX", t, kb, n, span)
                });
            }
        }
        for (n, p) in &y.policies {
            if let Some(o) = x.policies.get(n).filter(|o| o.comment != p.comment) {
                visit(c, Some(comment_only(&o.comment)), comment_only(&p.comment), &|in_b| {
                    let (t, span) = if in_b { (y, p.span) } else { (x, o.span) };
                    member_target("policy", "POLICY", t, kb, n, span)
                });
            }
        }
    }
    for y in b.triggers.values().filter(|t| t.cloned_from.is_none()) {
        let table_a = back.get(&y.table).unwrap_or(&y.table);
        let Some(x) = a.triggers.get(&key::member(table_a, &y.name)).filter(|x| x.comment != y.comment) else { continue };
        let (Some(tx), Some(ty)) = (a.tables.get(table_a), b.tables.get(&y.table)) else { continue };
        visit(c, Some(comment_only(&x.comment)), comment_only(&y.comment), &|in_b| {
            let (t, span) = if in_b { (ty, y.span) } else { (tx, x.span) };
            member_target("trigger", "TRIGGER", t, &y.table, &y.name, span)
        });
    }
    for (k, y) in &b.views {
        let x = a.views.get(k);
        let t = |v: &View| {
            let (word, sql_kind) = if v.materialized { ("materialized_view", "MATERIALIZED VIEW") } else { ("view", "VIEW") };
            let exposure = if v.security_invoker() && !v.materialized { Exposure::RowsByPolicy } else { Exposure::Rows };
            target(word, k, sql_kind, qq(&v.schema, &v.name), exposure, v.span)
        };
        visit(c, x.map(|x| meta(&x.owner, &x.comment, &x.privileges)), meta(&y.owner, &y.comment, &y.privileges), &|in_b| {
            t(if in_b { y } else { x.expect("compared") })
        });
        if let Some(x) = x {
            for (n, i) in &y.indexes {
                if let Some(o) = x.indexes.get(n).filter(|o| o.comment != i.comment) {
                    visit(c, Some(comment_only(&o.comment)), comment_only(&i.comment), &|in_b| {
                        let span = if in_b { i.span } else { o.span };
                        target("index", &key::member(k, n), "INDEX", qq(&y.schema, n), Exposure::Minor, span)
                    });
                }
            }
        }
    }
    for (k, y) in &b.sequences {
        let x = a.sequences.get(k);
        let t = |s: &Sequence| target("sequence", k, "SEQUENCE", qq(&s.schema, &s.name), Exposure::Minor, s.span);
        visit(c, x.map(|x| meta(&x.owner, &x.comment, &x.privileges)), meta(&y.owner, &y.comment, &y.privileges), &|in_b| {
            t(if in_b { y } else { x.expect("compared") })
        });
    }
    for (k, y) in &b.functions {
        let x = a.functions.get(k);
        let t = |f: &Function| {
            let (word, sql_kind) = if f.is_procedure { ("procedure", "PROCEDURE") } else { ("function", "FUNCTION") };
            let exposure = if f.security_definer { Exposure::Definer } else { Exposure::Function };
            target(word, k, sql_kind, format!("{}({})", qq(&f.schema, &f.name), f.signature), exposure, f.span)
        };
        visit(c, x.map(|x| meta(&x.owner, &x.comment, &x.privileges)), meta(&y.owner, &y.comment, &y.privileges), &|in_b| {
            t(if in_b { y } else { x.expect("compared") })
        });
    }
    for (k, y) in &b.types {
        let x = a.types.get(k);
        let t = |d: &TypeDef| {
            let sql_kind = if matches!(d.kind, TypeKind::Domain { .. }) { "DOMAIN" } else { "TYPE" };
            target("type", k, sql_kind, qq(&d.schema, &d.name), Exposure::Minor, d.span)
        };
        visit(c, x.map(|x| meta(&x.owner, &x.comment, &x.privileges)), meta(&y.owner, &y.comment, &y.privileges), &|in_b| {
            t(if in_b { y } else { x.expect("compared") })
        });
    }
    for (k, y) in &b.extensions {
        if let Some(x) = a.extensions.get(k) {
            let t = |e: &Extension| target("extension", k, "EXTENSION", q(&e.name), Exposure::Minor, e.span);
            visit(c, Some(comment_only(&x.comment)), comment_only(&y.comment), &|in_b| t(if in_b { y } else { x }));
        }
    }
    for (k, y) in &b.publications {
        if let Some(x) = a.publications.get(k) {
            let t = |p: &Publication| target("publication", k, "PUBLICATION", q(&p.name), Exposure::Minor, p.span);
            visit(c, Some(meta(&x.owner, &x.comment, &[])), meta(&y.owner, &y.comment, &[]), &|in_b| t(if in_b { y } else { x }));
        }
    }
}

fn grants(privileges: &[Privilege]) -> BTreeMap<&str, Grants> {
    let mut out: BTreeMap<&str, Grants> = BTreeMap::new();
    for p in privileges {
        let g = out.entry(p.grantee.as_str()).or_insert_with(|| Grants { grantee: p.grantee.clone(), ..Default::default() });
        g.set.insert((p.privilege.clone(), p.grantable));
        if g.span.is_none() {
            g.span = p.span;
        }
    }
    out
}

pub fn compare(c: &mut Collector) {
    walk(c);
    default_privileges(c);
}

/// `ALTER DEFAULT PRIVILEGES`: what objects created from now on will grant, per creator, schema,
/// object type and grantee. Each privilege ends granted or revoked by the last rule naming it.
fn default_privileges(c: &mut Collector) {
    type Rules = BTreeMap<(Option<String>, Option<String>, String, String), Grants>;
    fn rules(s: &Snapshot) -> Rules {
        let mut out: Rules = BTreeMap::new();
        for d in &s.default_privileges {
            for grantee in &d.grantees {
                let g = out
                    .entry((d.for_role.clone(), d.schema.clone(), d.object_type.clone(), grantee.clone()))
                    .or_insert_with(|| Grants { grantee: grantee.clone(), ..Default::default() });
                for p in &d.privileges {
                    let names: Vec<&str> =
                        if p == "ALL" { crate::build::acl::all_of_default(&d.object_type).to_vec() } else { vec![p.as_str()] };
                    for n in names {
                        let word = if d.grant { n.to_string() } else { format!("revoked {n}") };
                        g.set.retain(|(x, _)| x.trim_start_matches("revoked ") != n);
                        g.set.insert((word, d.grant && d.grantable));
                    }
                }
                g.span = Some(d.span);
            }
        }
        out
    }
    let (ra, rb) = (rules(c.a), rules(c.b));
    let keys: BTreeSet<_> = ra.keys().chain(rb.keys()).cloned().collect();
    for k in keys {
        let (x, y) = (ra.get(&k), rb.get(&k));
        if x.map(|g| &g.set) == y.map(|g| &g.set) {
            continue;
        }
        let (for_role, schema, object_type, grantee) = &k;
        let mut scope = String::new();
        if let Some(r) = for_role {
            scope.push_str(&format!("FOR ROLE {}", q(r)));
        }
        if let Some(s) = schema {
            scope.push_str(&format!("{}IN SCHEMA {}", if scope.is_empty() { "" } else { " " }, q(s)));
        }
        let key = format!(
            "for {} in {} on {}",
            for_role.as_deref().unwrap_or("the creating role"),
            schema.as_deref().map(|s| format!("schema {s}")).unwrap_or_else(|| "all schemas".into()),
            object_type.to_ascii_lowercase()
        );
        let target = Target {
            word: "default privileges",
            key,
            sql_kind: "DEFAULT PRIVILEGES",
            sql_name: scope,
            column: Some(object_type.clone()),
            exposure: Exposure::Minor,
            span: y.or(x).and_then(|g| g.span),
        };
        let empty = || Grants { grantee: grantee.clone(), ..Default::default() };
        let change = match (x, y) {
            (None, _) => ChangeKind::Added,
            (_, None) => ChangeKind::Removed,
            _ => ChangeKind::Changed,
        };
        let f = vec![Field { field: "privileges".into(), a: x.map(|g| show(&g.set)), b: y.map(|g| show(&g.set)) }];
        let oa = Obj::Privilege(Target { span: x.and_then(|g| g.span), ..target.clone() }, x.cloned().unwrap_or_else(empty));
        let ob = Obj::Privilege(Target { span: y.and_then(|g| g.span), ..target.clone() }, y.cloned().unwrap_or_else(empty));
        let label = format!("{} to {grantee}", target.label());
        c.push(Kind::Privilege, label, change, f, Some(oa), Some(ob));
    }
}

/// A new object's explicit grants (and those default privileges gave it): who can reach it.
fn added(c: &mut Collector, y: &Entry) {
    let owner = y.owner;
    for (grantee, g) in grants(y.privileges) {
        if g.span.is_none() || Some(grantee) == owner {
            continue;
        }
        let f = vec![Field { field: "privileges".into(), a: None, b: Some(show(&g.set)) }];
        c.push(
            Kind::Privilege,
            format!("{} to {grantee}", y.target.label()),
            ChangeKind::Added,
            f,
            None,
            Some(Obj::Privilege(y.target.clone(), g)),
        );
    }
}

fn both(c: &mut Collector, x: &Entry, y: &Entry) {
    let label = y.target.label();
    if x.owner != y.owner && x.owner.is_some() && y.owner.is_some() {
        let f = vec![Field { field: "owner".into(), a: x.owner.map(str::to_string), b: y.owner.map(str::to_string) }];
        let (oa, ob) = (x.owner.unwrap_or_default().to_string(), y.owner.unwrap_or_default().to_string());
        c.push(
            Kind::Owner,
            label.clone(),
            ChangeKind::Changed,
            f,
            Some(Obj::Owner(x.target.clone(), oa)),
            Some(Obj::Owner(y.target.clone(), ob)),
        );
    }
    if x.comment != y.comment {
        let f = vec![Field { field: "comment".into(), a: x.comment.map(str::to_string), b: y.comment.map(str::to_string) }];
        let change = match (x.comment, y.comment) {
            (None, _) => ChangeKind::Added,
            (_, None) => ChangeKind::Removed,
            _ => ChangeKind::Changed,
        };
        let oa = x.comment.map(|t| Obj::Comment(x.target.clone(), t.to_string()));
        let ob = y.comment.map(|t| Obj::Comment(y.target.clone(), t.to_string()));
        c.push(Kind::Comment, label.clone(), change, f, oa, ob);
    }
    let (ga, gb) = (grants(x.privileges), grants(y.privileges));
    // A new owner's rights come with the ownership, reported on its own.
    let owners_differ = x.owner != y.owner;
    let skip = |g: &str| owners_differ && (Some(g) == x.owner || Some(g) == y.owner);
    let grantees: BTreeSet<&str> = ga.keys().chain(gb.keys()).copied().filter(|g| !skip(g)).collect();
    for g in grantees {
        let (p, r) = (ga.get(g), gb.get(g));
        if p.map(|p| &p.set) == r.map(|r| &r.set) {
            continue;
        }
        let change = match (p, r) {
            (None, _) => ChangeKind::Added,
            (_, None) => ChangeKind::Removed,
            _ => ChangeKind::Changed,
        };
        let f = vec![Field { field: "privileges".into(), a: p.map(|p| show(&p.set)), b: r.map(|r| show(&r.set)) }];
        let empty = |t: &Target| Grants { grantee: g.to_string(), set: BTreeSet::new(), span: t.span.filter(|_| false) };
        let oa = Obj::Privilege(x.target.clone(), p.cloned().unwrap_or_else(|| empty(&x.target)));
        let ob = Obj::Privilege(y.target.clone(), r.cloned().unwrap_or_else(|| empty(&y.target)));
        c.push(Kind::Privilege, format!("{label} to {g}"), change, f, Some(oa), Some(ob));
    }
}
