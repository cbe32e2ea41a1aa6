//! Matching objects of A and B and listing what differs, kind by kind.

use super::meta;
use super::renames::{self, Matching};
use super::text::{body_equal, expr_equal};
use super::{fix, priority, Change, ChangeKind, Field, Kind, Options};
use crate::model::*;
use std::collections::BTreeMap;

/// An object of one side, as a change refers to it.
#[derive(Clone, Debug)]
pub enum Obj<'a> {
    Schema(&'a Schema),
    Table(&'a Table),
    Column(&'a Table, &'a Column),
    Constraint(&'a Table, &'a Constraint),
    /// An index and the key of the table or materialized view it is on.
    Index(&'a Index),
    Policy(Policy),
    Rls(&'a Table),
    Function(&'a Function),
    Trigger(&'a Trigger),
    View(&'a View),
    Sequence(&'a Sequence),
    Type(&'a TypeDef),
    Extension(&'a Extension),
    Publication(&'a Publication),
    Privilege(meta::Target, meta::Grants),
    Comment(meta::Target, String),
    Owner(meta::Target, String),
}

impl Obj<'_> {
    pub fn span(&self) -> Option<Span> {
        Some(match self {
            Obj::Schema(o) => o.span,
            Obj::Rls(o) => o.rls_span.unwrap_or(o.span),
            Obj::Table(o) | Obj::Column(o, _) => o.span,
            Obj::Constraint(_, o) => o.span,
            Obj::Index(o) => o.span,
            Obj::Policy(o) => o.span,
            Obj::Function(o) => o.span,
            Obj::Trigger(o) => o.span,
            Obj::View(o) => o.span,
            Obj::Sequence(o) => o.span,
            Obj::Type(o) => o.span,
            Obj::Extension(o) => o.span,
            Obj::Publication(o) => o.span,
            Obj::Privilege(t, g) => return g.span.or(t.span),
            Obj::Comment(t, _) | Obj::Owner(t, _) => return t.span,
        })
    }
}

/// A change before its priority, reason and fix are decided.
pub struct Draft<'a> {
    pub kind: Kind,
    pub key: String,
    pub change: ChangeKind,
    pub from_key: Option<String>,
    pub fields: Vec<Field>,
    pub a: Option<Obj<'a>>,
    pub b: Option<Obj<'a>>,
}

pub struct Collector<'a> {
    pub a: &'a Snapshot,
    pub b: &'a Snapshot,
    pub options: &'a Options,
    drafts: Vec<Draft<'a>>,
    /// Table keys only in A / only in B (after renames), whose members are not reported.
    pub removed_tables: std::collections::BTreeSet<String>,
    pub added_tables: std::collections::BTreeSet<String>,
    /// Renamed relations: key in A → key in B.
    pub renamed: BTreeMap<String, String>,
}

impl<'a> Collector<'a> {
    pub fn new(a: &'a Snapshot, b: &'a Snapshot, options: &'a Options) -> Collector<'a> {
        Collector {
            a,
            b,
            options,
            drafts: Vec::new(),
            removed_tables: Default::default(),
            added_tables: Default::default(),
            renamed: Default::default(),
        }
    }

    pub fn push(&mut self, kind: Kind, key: String, change: ChangeKind, fields: Vec<Field>, a: Option<Obj<'a>>, b: Option<Obj<'a>>) {
        self.drafts.push(Draft { kind, key, change, from_key: None, fields, a, b });
    }

    fn push_renamed(&mut self, kind: Kind, from: String, to: String, fields: Vec<Field>, a: Obj<'a>, b: Obj<'a>) {
        self.drafts.push(Draft { kind, key: to, change: ChangeKind::Renamed, from_key: Some(from), fields, a: Some(a), b: Some(b) });
    }

    /// Added, removed, renamed and changed entries for one kind of keyed object.
    fn keyed<V: Copy>(&mut self, kind: Kind, m: Matching<'_, V>, obj: impl Fn(V) -> Obj<'a>, fields: impl Fn(V, V) -> Vec<Field>) {
        self.keyed2(kind, m, &|k| k.to_string(), &obj, &obj, fields)
    }

    /// [`Self::keyed`] where an object of A and one of B are wrapped differently (a column
    /// with its own side's table).
    /// `key` makes the reported key from the matched one (a member's name → `table/name`).
    fn keyed2<V: Copy>(
        &mut self,
        kind: Kind,
        m: Matching<'_, V>,
        key: &dyn Fn(&str) -> String,
        obj_a: &dyn Fn(V) -> Obj<'a>,
        obj_b: &dyn Fn(V) -> Obj<'a>,
        fields: impl Fn(V, V) -> Vec<Field>,
    ) {
        for (k, x) in m.only_a {
            self.push(kind, key(k), ChangeKind::Removed, vec![], Some(obj_a(x)), None);
        }
        for (k, y) in m.only_b {
            self.push(kind, key(k), ChangeKind::Added, vec![], None, Some(obj_b(y)));
        }
        for (ka, x, kb, y) in m.renamed {
            let f = fields(x, y);
            self.push_renamed(kind, key(ka), key(kb), f, obj_a(x), obj_b(y));
        }
        for (k, x, y) in m.both {
            let f = fields(x, y);
            if !f.is_empty() {
                self.push(kind, key(k), ChangeKind::Changed, f, Some(obj_a(x)), Some(obj_b(y)));
            }
        }
    }

    pub fn finish(self) -> Vec<Change> {
        let mut out = Vec::with_capacity(self.drafts.len());
        for d in &self.drafts {
            let (priority, reason) = priority::judge(d, &self);
            let fix = if priority <= crate::checks::Priority::P1 { fix::hint(d) } else { None };
            out.push(Change {
                kind: d.kind,
                id: super::id(d.kind, d.change, &d.key, d.from_key.as_deref()),
                key: d.key.clone(),
                change: d.change,
                from_key: d.from_key.clone(),
                fields: d.fields.clone(),
                priority,
                reason,
                fix,
                a_span: d.a.as_ref().and_then(Obj::span),
                b_span: d.b.as_ref().and_then(Obj::span),
                a_definition: d.a.as_ref().map(super::render::definition),
                b_definition: d.b.as_ref().map(super::render::definition),
            });
        }
        out
    }
}

/// Builds the list of fields that differ.
#[derive(Default)]
pub struct Fields(pub Vec<Field>);

impl Fields {
    pub fn text(&mut self, name: &str, a: impl AsRef<str>, b: impl AsRef<str>) -> &mut Self {
        let (a, b) = (a.as_ref(), b.as_ref());
        if a != b {
            self.0.push(Field { field: name.into(), a: Some(a.to_string()), b: Some(b.to_string()) });
        }
        self
    }

    pub fn opt(&mut self, name: &str, a: Option<&str>, b: Option<&str>) -> &mut Self {
        if a != b {
            self.0.push(Field { field: name.into(), a: a.map(str::to_string), b: b.map(str::to_string) });
        }
        self
    }

    pub fn expr(&mut self, name: &str, a: &Option<Expr>, b: &Option<Expr>) -> &mut Self {
        if !expr_equal(a, b) {
            self.0.push(Field {
                field: name.into(),
                a: a.as_ref().map(|e| e.canonical.clone()),
                b: b.as_ref().map(|e| e.canonical.clone()),
            });
        }
        self
    }

    pub fn done(&mut self) -> Vec<Field> {
        std::mem::take(&mut self.0)
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

pub fn everything(c: &mut Collector) {
    let (a, b) = (c.a, c.b);
    c.keyed(Kind::Schema, renames::by_key(&a.schemas, &b.schemas), Obj::Schema, |_, _| vec![]);
    c.keyed(Kind::Extension, renames::by_key(&a.extensions, &b.extensions), Obj::Extension, |x, y| {
        Fields::default()
            .opt("schema", x.schema.as_deref(), y.schema.as_deref())
            .opt("version", x.version.as_deref(), y.version.as_deref())
            .done()
    });
    types(c);
    c.keyed(Kind::Sequence, renames::by_key_filtered(&a.sequences, &b.sequences, |s| !s.identity), Obj::Sequence, sequence_fields);
    tables(c);
    views(c);
    c.keyed(Kind::Function, renames::by_key(&a.functions, &b.functions), Obj::Function, |x, y| {
        if same_function(x, y) {
            vec![]
        } else {
            function_fields(x, y)
        }
    });
    c.keyed(Kind::Publication, renames::by_key(&a.publications, &b.publications), Obj::Publication, |x, y| {
        Fields::default()
            .text("all_tables", yes_no(x.all_tables), yes_no(y.all_tables))
            .text("tables", x.tables.join(", "), y.tables.join(", "))
            .text("schemas", x.schemas.join(", "), y.schemas.join(", "))
            .text("options", pairs(&x.options), pairs(&y.options))
            .done()
    });
    policies(
        c,
        a.external_policies.iter().map(|(k, p)| (k.as_str(), p)),
        b.external_policies.iter().map(|(k, p)| (k.as_str(), p)),
        false,
        &|k| k.to_string(),
    );
    meta::compare(c);
}

pub fn policies_only(c: &mut Collector) {
    let (a, b) = (side_policies(c.a), side_policies(c.b));
    policies(c, a.iter().map(|(k, p)| (k.as_str(), p)), b.iter().map(|(k, p)| (k.as_str(), p)), false, &|k| k.to_string());
}

/// Equal definitions (owner, comment and privileges are compared apart).
fn same_function(x: &Function, y: &Function) -> bool {
    x.body == y.body
        && x.arguments == y.arguments
        && x.returns == y.returns
        && x.returns_set == y.returns_set
        && x.language == y.language
        && x.volatility == y.volatility
        && x.strict == y.strict
        && x.security_definer == y.security_definer
        && x.leakproof == y.leakproof
        && x.parallel == y.parallel
        && x.config == y.config
        && x.is_procedure == y.is_procedure
}

/// A side's policies: the dump's when it has SQL, else its pg_policies exports'.
fn side_policies(s: &Snapshot) -> BTreeMap<String, Policy> {
    if super::policies_only(s) {
        s.policy_exports
            .iter()
            .map(|e| {
                let p = Policy {
                    name: e.name.clone(),
                    table: e.table.clone(),
                    permissive: e.permissive,
                    command: e.command,
                    roles: e.roles.clone(),
                    using: e.using.clone(),
                    with_check: e.with_check.clone(),
                    comment: None,
                    span: e.span,
                };
                (key::member(&e.table, &e.name), p)
            })
            .collect()
    } else {
        policy_map(s.tables.values().flat_map(|t| t.policies.values()).chain(s.external_policies.values()))
    }
}

fn policy_map<'p>(it: impl Iterator<Item = &'p Policy>) -> BTreeMap<String, Policy> {
    it.map(|p| (key::member(&p.table, &p.name), p.clone())).collect()
}

fn pairs(v: &[(String, String)]) -> String {
    let mut v: Vec<String> = v.iter().map(|(k, x)| format!("{k}={x}")).collect();
    v.sort();
    v.join(", ")
}

fn types(c: &mut Collector) {
    c.keyed(Kind::Type, renames::by_key(&c.a.types, &c.b.types), Obj::Type, |x, y| {
        let mut f = Fields::default();
        match (&x.kind, &y.kind) {
            (TypeKind::Enum { labels: l }, TypeKind::Enum { labels: m }) => {
                f.text("labels", l.join(", "), m.join(", "));
            }
            (TypeKind::Composite { attributes: l }, TypeKind::Composite { attributes: m }) => {
                let show = |v: &Vec<(String, String)>| v.iter().map(|(n, t)| format!("{n} {t}")).collect::<Vec<_>>().join(", ");
                f.text("attributes", show(l), show(m));
            }
            (
                TypeKind::Domain { base, not_null, default, checks },
                TypeKind::Domain { base: base2, not_null: nn2, default: d2, checks: c2 },
            ) => {
                let show = |v: &Vec<(String, Expr)>| {
                    let mut s: Vec<String> = v.iter().map(|(n, e)| format!("{n}: {}", e.canonical)).collect();
                    s.sort();
                    s.join("; ")
                };
                f.text("base", base, base2).text("not_null", yes_no(*not_null), yes_no(*nn2)).expr("default", default, d2).text(
                    "checks",
                    show(checks),
                    show(c2),
                );
            }
            (TypeKind::Range { subtype }, TypeKind::Range { subtype: s2 }) => {
                f.text("subtype", subtype, s2);
            }
            (TypeKind::Base, TypeKind::Base) => {}
            (k, l) => {
                f.text("kind", type_kind(k), type_kind(l));
            }
        }
        f.done()
    });
}

fn type_kind(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Enum { .. } => "enum",
        TypeKind::Composite { .. } => "composite",
        TypeKind::Domain { .. } => "domain",
        TypeKind::Range { .. } => "range",
        TypeKind::Base => "base",
    }
}

fn sequence_fields(x: &Sequence, y: &Sequence) -> Vec<Field> {
    let n = |v: Option<i64>| v.map(|v| v.to_string());
    Fields::default()
        .opt("data_type", x.data_type.as_deref(), y.data_type.as_deref())
        .opt("start", n(x.start).as_deref(), n(y.start).as_deref())
        .opt("increment", n(x.increment).as_deref(), n(y.increment).as_deref())
        .opt("min_value", n(x.min_value).as_deref(), n(y.min_value).as_deref())
        .opt("max_value", n(x.max_value).as_deref(), n(y.max_value).as_deref())
        .opt("cache", n(x.cache).as_deref(), n(y.cache).as_deref())
        .text("cycle", yes_no(x.cycle), yes_no(y.cycle))
        .opt("owned_by", x.owned_by.as_deref(), y.owned_by.as_deref())
        .done()
}

pub fn function_fields(x: &Function, y: &Function) -> Vec<Field> {
    let args = |f: &Function| {
        f.arguments
            .iter()
            .map(|a| {
                let mut s = format!("{} {} {}", a.mode, a.name.as_deref().unwrap_or("_"), a.data_type);
                if let Some(d) = &a.default {
                    s.push_str(" DEFAULT ");
                    s.push_str(&d.canonical);
                }
                s
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut f = Fields::default();
    f.text("kind", if x.is_procedure { "procedure" } else { "function" }, if y.is_procedure { "procedure" } else { "function" })
        .text("arguments", args(x), args(y))
        .opt("returns", x.returns.as_deref(), y.returns.as_deref())
        .text("returns_set", yes_no(x.returns_set), yes_no(y.returns_set))
        .text("language", &x.language, &y.language)
        .text("volatility", &x.volatility, &y.volatility)
        .text("strict", yes_no(x.strict), yes_no(y.strict))
        .text("security_definer", yes_no(x.security_definer), yes_no(y.security_definer))
        .text("leakproof", yes_no(x.leakproof), yes_no(y.leakproof))
        .text("parallel", &x.parallel, &y.parallel)
        .opt("search_path", x.search_path(), y.search_path());
    let other = |f: &Function| pairs(&f.config.iter().filter(|(k, _)| k != "search_path").cloned().collect::<Vec<_>>());
    f.text("config", other(x), other(y));
    if !body_equal(&x.body, &y.body, &x.language) {
        f.0.push(Field { field: "body".into(), a: Some(x.body.clone()), b: Some(y.body.clone()) });
    }
    f.done()
}

fn tables(c: &mut Collector) {
    let (a, b) = (c.a, c.b);
    let m = renames::matching(&a.tables, &b.tables, renames::table_signature);
    for (k, _) in &m.only_a {
        c.removed_tables.insert(k.to_string());
    }
    for (k, _) in &m.only_b {
        c.added_tables.insert(k.to_string());
    }
    for (ka, _, kb, _) in &m.renamed {
        c.renamed.insert(ka.to_string(), kb.to_string());
    }
    let pairs: Vec<(&Table, &Table)> =
        m.both.iter().map(|(_, x, y)| (*x, *y)).chain(m.renamed.iter().map(|(_, x, _, y)| (*x, *y))).collect();
    let added: Vec<&Table> = m.only_b.iter().map(|(_, t)| *t).collect();
    let removed: Vec<&Table> = m.only_a.iter().map(|(_, t)| *t).collect();
    c.keyed(Kind::Table, m, Obj::Table, |x, y| if same_table(x, y) { vec![] } else { table_fields(x, y) });
    for (x, y) in pairs {
        table_members(c, x, y);
    }
    // A removed table's policies go with it, and are listed (the table's removal explains them).
    for t in removed {
        for p in t.policies.values() {
            c.push(Kind::Policy, key::member(&qualified(t), &p.name), ChangeKind::Removed, vec![], Some(Obj::Policy(p.clone())), None);
        }
    }
    // A new table's policies and row security decide who reads it: they are reported too.
    for t in added {
        for p in t.policies.values() {
            c.push(Kind::Policy, key::member(&qualified(t), &p.name), ChangeKind::Added, vec![], None, Some(Obj::Policy(p.clone())));
        }
    }
    fn trig(s: &Snapshot) -> BTreeMap<String, BTreeMap<String, &Trigger>> {
        let mut out: BTreeMap<String, BTreeMap<String, &Trigger>> = BTreeMap::new();
        for t in s.triggers.values().filter(|t| t.cloned_from.is_none()) {
            out.entry(t.table.clone()).or_default().insert(t.name.clone(), t);
        }
        out
    }
    let (ta, tb) = (trig(a), trig(b));
    let empty = BTreeMap::new();
    let tables: std::collections::BTreeSet<&String> = ta.keys().chain(tb.keys()).collect();
    for table_a in tables {
        // Triggers follow their table through a rename; a removed or added table's go with it.
        let table_b = c.renamed.get(table_a).unwrap_or(table_a).clone();
        if c.removed_tables.contains(table_a) || c.added_tables.contains(&table_b) {
            continue;
        }
        let (x, y) = (ta.get(table_a).unwrap_or(&empty), tb.get(&table_b).unwrap_or(&empty));
        let m = renames::pair(
            x.iter().map(|(k, t)| (k.as_str(), *t)),
            y.iter().map(|(k, t)| (k.as_str(), *t)),
            Some(&|t: &&Trigger| trigger_text(t)),
        );
        c.keyed2(Kind::Trigger, m, &|n| key::member(&table_b, n), &Obj::Trigger, &Obj::Trigger, |x, y| {
            Fields::default().text("definition", trigger_text(x), trigger_text(y)).text("enabled", &x.enabled, &y.enabled).done()
        });
    }
}

/// A trigger's definition without its name and table (which the key holds).
pub fn trigger_text(t: &Trigger) -> String {
    let mut s = format!("{} {}", t.timing, t.events.join(" OR "));
    if t.for_each_row {
        s.push_str(" FOR EACH ROW");
    }
    if let Some(w) = &t.when {
        s.push_str(" WHEN (");
        s.push_str(&w.canonical);
        s.push(')');
    }
    s.push_str(&format!(" EXECUTE FUNCTION {}({})", t.function, t.arguments.join(", ")));
    if t.constraint {
        s.push_str(" (constraint trigger)");
    }
    s
}

fn qualified(t: &Table) -> String {
    key::qualified(&t.schema, &t.name)
}

fn table_fields(x: &Table, y: &Table) -> Vec<Field> {
    let kind = |t: &Table| match t.kind {
        TableKind::Ordinary => "ordinary",
        TableKind::Partitioned => "partitioned",
        TableKind::Foreign => "foreign",
    };
    let part = |t: &Table| t.partition_of.as_ref().map(|p| format!("{} {}", p.parent, p.bound));
    Fields::default()
        .text("kind", kind(x), kind(y))
        .text("unlogged", yes_no(x.unlogged), yes_no(y.unlogged))
        .opt("partition_by", x.partition_by.as_deref(), y.partition_by.as_deref())
        .opt("partition_of", part(x).as_deref(), part(y).as_deref())
        .text("inherits", x.inherits.join(", "), y.inherits.join(", "))
        .text("options", x.options.join(", "), y.options.join(", "))
        .opt("replica_identity", x.replica_identity.as_deref(), y.replica_identity.as_deref())
        .done()
}

pub fn column_fields(x: &Column, y: &Column) -> Vec<Field> {
    let identity = |c: &Column| c.identity.map(|i| if i == Identity::Always { "always" } else { "by default" });
    Fields::default()
        .text("data_type", &x.data_type, &y.data_type)
        .text("not_null", yes_no(x.not_null), yes_no(y.not_null))
        .expr("default", &x.default, &y.default)
        .opt("identity", identity(x), identity(y))
        .expr("generated", &x.generated, &y.generated)
        .opt("collation", x.collation.as_deref(), y.collation.as_deref())
        .done()
}

/// Table-level fields equal (members are compared apart).
fn same_table(x: &Table, y: &Table) -> bool {
    x.kind == y.kind
        && x.unlogged == y.unlogged
        && x.partition_by == y.partition_by
        && x.partition_of == y.partition_of
        && x.inherits == y.inherits
        && x.options == y.options
        && x.replica_identity == y.replica_identity
}

fn same_constraint(p: &Constraint, q: &Constraint) -> bool {
    p.name == q.name
        && p.kind == q.kind
        && p.definition == q.definition
        && p.not_valid == q.not_valid
        && p.deferrable == q.deferrable
        && p.initially_deferred == q.initially_deferred
        && p.inherited_from == q.inherited_from
}

/// Same definition, names aside.
fn same_index_definition(p: &Index, q: &Index) -> bool {
    p.unique == q.unique
        && p.method == q.method
        && p.keys == q.keys
        && p.include == q.include
        && p.predicate == q.predicate
        && p.nulls_not_distinct == q.nulls_not_distinct
}

fn same_index(p: &Index, q: &Index) -> bool {
    p.name == q.name && p.constraint == q.constraint && same_index_definition(p, q)
}

fn same_policy(p: &Policy, q: &Policy) -> bool {
    p.name == q.name
        && p.permissive == q.permissive
        && p.command == q.command
        && p.roles == q.roles
        && p.using == q.using
        && p.with_check == q.with_check
}

fn same_map<T>(a: &BTreeMap<String, T>, b: &BTreeMap<String, T>, same: impl Fn(&T, &T) -> bool) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|((k, x), (l, y))| k == l && same(x, y))
}

/// Columns, constraints, indexes, row security and policies of a table present on both sides.
/// Each group is first compared whole: on most tables nothing differs, and nothing is built.
fn table_members<'a>(c: &mut Collector<'a>, x: &'a Table, y: &'a Table) {
    let tk = qualified(y);
    if x.columns != y.columns {
        let cols = |t: &'a Table| {
            let mut v: Vec<(&'a str, (usize, &'a Column))> =
                t.columns.iter().enumerate().map(|(i, col)| (col.name.as_str(), (i, col))).collect();
            v.sort_unstable_by(|p, q| p.0.cmp(q.0));
            v
        };
        let mut m = renames::pair(cols(x), cols(y), Some(&|(i, col): &(usize, &Column)| renames::column_signature(*i, col)));
        // A column a partition or inheritance child takes from its parent is reported on the parent;
        // one that a detached partition keeps as its own is the same column.
        m.only_a.retain(|(_, (_, col))| !col.inherited);
        m.only_b.retain(|(_, (_, col))| !col.inherited);
        m.both.retain(|(_, (_, p), (_, q))| !(p.inherited && q.inherited));
        c.keyed2(
            Kind::Column,
            m,
            &|n| format!("{tk}.{n}"),
            &|(_, col)| Obj::Column(x, col),
            &|(_, col)| Obj::Column(y, col),
            |(_, p), (_, q)| column_fields(p, q),
        );
    }

    if !same_map(&x.constraints, &y.constraints, same_constraint) {
        let cons = |t: &'a Table| {
            t.constraints
                .iter()
                .filter(|(_, k)| k.kind != ConstraintKind::NotNull && k.inherited_from.is_none())
                .map(|(n, k)| (n.as_str(), k))
        };
        let m = renames::pair(cons(x), cons(y), Some(&|k: &&Constraint| renames::constraint_signature(k)));
        c.keyed2(Kind::Constraint, m, &|n| key::member(&tk, n), &|k| Obj::Constraint(x, k), &|k| Obj::Constraint(y, k), |p, q| {
            Fields::default()
                .text("definition", &p.definition, &q.definition)
                .text("validated", yes_no(!p.not_valid), yes_no(!q.not_valid))
                .text("deferrable", yes_no(p.deferrable), yes_no(q.deferrable))
                .text("initially_deferred", yes_no(p.initially_deferred), yes_no(q.initially_deferred))
                .done()
        });
    }

    if !same_map(&x.indexes, &y.indexes, same_index) {
        indexes(c, &tk, &x.indexes, &y.indexes);
    }

    if (x.rls_enabled, x.rls_forced) != (y.rls_enabled, y.rls_forced) {
        let f = Fields::default()
            .text("enabled", yes_no(x.rls_enabled), yes_no(y.rls_enabled))
            .text("forced", yes_no(x.rls_forced), yes_no(y.rls_forced))
            .done();
        c.push(Kind::Rls, tk.clone(), ChangeKind::Changed, f, Some(Obj::Rls(x)), Some(Obj::Rls(y)));
    }
    if !same_map(&x.policies, &y.policies, same_policy) {
        let named = |t: &'a Table| t.policies.iter().map(|(n, p)| (n.as_str(), p));
        policies(c, named(x), named(y), true, &|n| key::member(&tk, n));
    }
}

fn indexes<'a>(c: &mut Collector<'a>, owner: &str, x: &'a BTreeMap<String, Index>, y: &'a BTreeMap<String, Index>) {
    // An index that backs a constraint is compared as that constraint.
    let own = |m: &'a BTreeMap<String, Index>| m.iter().filter(|(_, i)| i.constraint.is_none()).map(|(n, i)| (n.as_str(), i));
    let m = renames::pair(own(x), own(y), Some(&|i: &&Index| renames::index_signature(i)));
    c.keyed2(Kind::Index, m, &|n| key::member(owner, n), &Obj::Index, &Obj::Index, |p, q| {
        if same_index_definition(p, q) || renames::index_signature(p) == renames::index_signature(q) {
            vec![]
        } else {
            vec![Field { field: "definition".into(), a: Some(p.definition.clone()), b: Some(q.definition.clone()) }]
        }
    });
}

/// `within_table`: all of `a` and `b` are on one table (a rename pairs by definition alone);
/// otherwise a rename must stay on its table. `key` makes the reported key from the matched one.
fn policies<'p>(
    c: &mut Collector,
    a: impl IntoIterator<Item = (&'p str, &'p Policy)>,
    b: impl IntoIterator<Item = (&'p str, &'p Policy)>,
    within_table: bool,
    key: &dyn Fn(&str) -> String,
) {
    let signature = |p: &&Policy| {
        let s = renames::policy_signature(p);
        if within_table {
            s
        } else {
            format!("{}|{s}", p.table)
        }
    };
    let m = renames::pair(a, b, Some(&signature));
    for (k, p) in m.only_a {
        c.push(Kind::Policy, key(k), ChangeKind::Removed, vec![], Some(Obj::Policy(p.clone())), None);
    }
    for (k, p) in m.only_b {
        c.push(Kind::Policy, key(k), ChangeKind::Added, vec![], None, Some(Obj::Policy(p.clone())));
    }
    for (ka, p, kb, q) in m.renamed {
        let f = policy_fields(p, q);
        c.push_renamed(Kind::Policy, key(ka), key(kb), f, Obj::Policy(p.clone()), Obj::Policy(q.clone()));
    }
    for (k, p, q) in m.both {
        let f = policy_fields(p, q);
        if !f.is_empty() {
            c.push(Kind::Policy, key(k), ChangeKind::Changed, f, Some(Obj::Policy(p.clone())), Some(Obj::Policy(q.clone())));
        }
    }
}

pub fn policy_fields(x: &Policy, y: &Policy) -> Vec<Field> {
    let perm = |p: &Policy| if p.permissive { "permissive" } else { "restrictive" };
    let cmd = |p: &Policy| format!("{:?}", p.command).to_ascii_uppercase();
    let roles = |p: &Policy| {
        let mut r = p.roles.clone();
        r.sort();
        r.join(", ")
    };
    Fields::default()
        .text("permissive", perm(x), perm(y))
        .text("command", cmd(x), cmd(y))
        .text("roles", roles(x), roles(y))
        .expr("using", &x.using, &y.using)
        .expr("with_check", &x.with_check, &y.with_check)
        .done()
}

fn views(c: &mut Collector) {
    let (a, b) = (c.a, c.b);
    let m = renames::by_key(&a.views, &b.views);
    let both: Vec<(&View, &View)> = m.both.iter().map(|(_, x, y)| (*x, *y)).collect();
    for (k, v) in &m.only_a {
        c.push(view_kind(v), k.to_string(), ChangeKind::Removed, vec![], Some(Obj::View(v)), None);
    }
    for (k, v) in &m.only_b {
        c.push(view_kind(v), k.to_string(), ChangeKind::Added, vec![], None, Some(Obj::View(v)));
    }
    for (k, x, y) in &m.both {
        let f = view_fields(x, y);
        if !f.is_empty() {
            c.push(view_kind(y), k.to_string(), ChangeKind::Changed, f, Some(Obj::View(x)), Some(Obj::View(y)));
        }
    }
    for (x, y) in both {
        if !same_map(&x.indexes, &y.indexes, same_index) {
            indexes(c, &key::qualified(&y.schema, &y.name), &x.indexes, &y.indexes);
        }
    }
}

fn view_kind(v: &View) -> Kind {
    if v.materialized {
        Kind::MaterializedView
    } else {
        Kind::View
    }
}

pub fn view_fields(x: &View, y: &View) -> Vec<Field> {
    let mut f = Fields::default();
    f.text("materialized", yes_no(x.materialized), yes_no(y.materialized));
    if !expr_equal(&Some(x.query.clone()), &Some(y.query.clone())) {
        f.0.push(Field { field: "query".into(), a: Some(x.query.canonical.clone()), b: Some(y.query.canonical.clone()) });
    }
    f.text("security_invoker", yes_no(x.security_invoker()), yes_no(y.security_invoker()));
    let other = |v: &View| pairs(&v.options.iter().filter(|(k, _)| k != "security_invoker").cloned().collect::<Vec<_>>());
    f.text("options", other(x), other(y)).opt("check_option", x.check_option.as_deref(), y.check_option.as_deref());
    f.done()
}
