//! Privileges, comments and owners: compared on every object both sides hold, keyed by the
//! object (`table public.t`, `column public.t.c`, `function public.f(integer)`).

use super::compare::{Collector, Obj};
use super::{ChangeKind, Field, Kind};
use crate::model::*;
use std::collections::{BTreeMap, BTreeSet};

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

struct Entry<'s> {
    target: Target,
    owner: Option<&'s str>,
    comment: Option<&'s str>,
    privileges: &'s [Privilege],
}

fn q(s: &str) -> String {
    crate::build::names::quote_ident(s)
}

fn qq(schema: &str, name: &str) -> String {
    crate::build::names::qualified_ident(schema, name)
}

/// Every object of `s` with its owner, comment and privileges, keyed by its label. Relation keys
/// go through `rename` (A's renamed tables are listed under their name in B).
fn entries<'s>(s: &'s Snapshot, rename: &dyn Fn(&str) -> String) -> BTreeMap<String, Entry<'s>> {
    let mut out = BTreeMap::new();
    let mut add = |target: Target, owner: Option<&'s str>, comment: Option<&'s str>, privileges: &'s [Privilege]| {
        out.insert(target.label(), Entry { target, owner, comment, privileges });
    };
    let t = |word, key: String, sql_kind, sql_name: String, exposure, span: Span| Target { word, key, sql_kind, sql_name, column: None, exposure, span: Some(span) };
    for (k, x) in &s.schemas {
        add(t("schema", k.clone(), "SCHEMA", q(&x.name), Exposure::Schema, x.span), x.owner.as_deref(), x.comment.as_deref(), &x.privileges);
    }
    for (k, x) in &s.tables {
        let key = rename(k);
        let name = qq(&x.schema, &x.name);
        let exposure = if x.rls_enabled { Exposure::RowsByPolicy } else { Exposure::Rows };
        let sql_kind = if x.kind == TableKind::Foreign { "FOREIGN TABLE" } else { "TABLE" };
        add(t("table", key.clone(), sql_kind, name.clone(), exposure, x.span), x.owner.as_deref(), x.comment.as_deref(), &x.privileges);
        for c in &x.columns {
            let target = Target { column: Some(q(&c.name)), ..t("column", format!("{key}.{}", c.name), "COLUMN", name.clone(), exposure, x.span) };
            add(target, None, c.comment.as_deref(), &c.privileges);
        }
        for c in x.constraints.values() {
            let on = format!("{} ON {name}", q(&c.name));
            add(t("constraint", key::member(&key, &c.name), "CONSTRAINT", on, Exposure::Minor, c.span), None, c.comment.as_deref(), &[]);
        }
        for i in x.indexes.values() {
            add(t("index", key::member(&key, &i.name), "INDEX", qq(&x.schema, &i.name), Exposure::Minor, i.span), None, i.comment.as_deref(), &[]);
        }
        for p in x.policies.values() {
            let on = format!("{} ON {name}", q(&p.name));
            add(t("policy", key::member(&key, &p.name), "POLICY", on, Exposure::Minor, p.span), None, p.comment.as_deref(), &[]);
        }
    }
    for x in s.triggers.values().filter(|x| x.cloned_from.is_none()) {
        let table = rename(&x.table);
        let on = format!("{} ON {}", q(&x.name), s.tables.get(&x.table).map(|t| qq(&t.schema, &t.name)).unwrap_or_else(|| x.table.clone()));
        add(t("trigger", key::member(&table, &x.name), "TRIGGER", on, Exposure::Minor, x.span), None, x.comment.as_deref(), &[]);
    }
    for (k, x) in &s.views {
        let (word, sql_kind) = if x.materialized { ("materialized_view", "MATERIALIZED VIEW") } else { ("view", "VIEW") };
        let exposure = if x.security_invoker() && !x.materialized { Exposure::RowsByPolicy } else { Exposure::Rows };
        add(t(word, k.clone(), sql_kind, qq(&x.schema, &x.name), exposure, x.span), x.owner.as_deref(), x.comment.as_deref(), &x.privileges);
        for i in x.indexes.values() {
            add(t("index", key::member(k, &i.name), "INDEX", qq(&x.schema, &i.name), Exposure::Minor, i.span), None, i.comment.as_deref(), &[]);
        }
    }
    for (k, x) in &s.sequences {
        add(t("sequence", k.clone(), "SEQUENCE", qq(&x.schema, &x.name), Exposure::Minor, x.span), x.owner.as_deref(), x.comment.as_deref(), &x.privileges);
    }
    for (k, x) in &s.functions {
        let (word, sql_kind) = if x.is_procedure { ("procedure", "PROCEDURE") } else { ("function", "FUNCTION") };
        let exposure = if x.security_definer { Exposure::Definer } else { Exposure::Function };
        let name = format!("{}({})", qq(&x.schema, &x.name), x.signature);
        add(t(word, k.clone(), sql_kind, name, exposure, x.span), x.owner.as_deref(), x.comment.as_deref(), &x.privileges);
    }
    for (k, x) in &s.types {
        let sql_kind = if matches!(x.kind, TypeKind::Domain { .. }) { "DOMAIN" } else { "TYPE" };
        add(t("type", k.clone(), sql_kind, qq(&x.schema, &x.name), Exposure::Minor, x.span), x.owner.as_deref(), x.comment.as_deref(), &x.privileges);
    }
    for (k, x) in &s.extensions {
        add(t("extension", k.clone(), "EXTENSION", q(&x.name), Exposure::Minor, x.span), None, x.comment.as_deref(), &[]);
    }
    for (k, x) in &s.publications {
        add(t("publication", k.clone(), "PUBLICATION", q(&x.name), Exposure::Minor, x.span), x.owner.as_deref(), x.comment.as_deref(), &[]);
    }
    out
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
    let renamed = c.renamed.clone();
    let ea = entries(c.a, &|k| renamed.get(k).cloned().unwrap_or_else(|| k.to_string()));
    let eb = entries(c.b, &|k| k.to_string());
    for (label, y) in &eb {
        match ea.get(label) {
            Some(x) => both(c, x, y),
            None => added(c, y),
        }
    }
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
                let g = out.entry((d.for_role.clone(), d.schema.clone(), d.object_type.clone(), grantee.clone())).or_insert_with(|| Grants {
                    grantee: grantee.clone(),
                    ..Default::default()
                });
                for p in &d.privileges {
                    let names: Vec<&str> = if p == "ALL" { crate::build::acl::all_of_default(&d.object_type).to_vec() } else { vec![p.as_str()] };
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
        c.push(Kind::Privilege, format!("{} to {grantee}", y.target.label()), ChangeKind::Added, f, None, Some(Obj::Privilege(y.target.clone(), g)));
    }
}

fn both(c: &mut Collector, x: &Entry, y: &Entry) {
    let label = y.target.label();
    if x.owner != y.owner && x.owner.is_some() && y.owner.is_some() {
        let f = vec![Field { field: "owner".into(), a: x.owner.map(str::to_string), b: y.owner.map(str::to_string) }];
        let (oa, ob) = (x.owner.unwrap_or_default().to_string(), y.owner.unwrap_or_default().to_string());
        c.push(Kind::Owner, label.clone(), ChangeKind::Changed, f, Some(Obj::Owner(x.target.clone(), oa)), Some(Obj::Owner(y.target.clone(), ob)));
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
