//! Helpers shared by the policy and conventions batch: which schemas are the platform's rather than
//! the app's, which of a table's columns a policy expression reads or binds, and index SQL.

use crate::build::quote_ident;
use crate::checks::Context;
use crate::model::{ConstraintKind, Index, Policy, PolicyCommand, Table};
use serde_json::Value;
use std::collections::BTreeSet;

pub use crate::checks::context::platform_schema as managed_schema;

/// Tables a framework or migration tool creates and owns (Rails, Knex, Prisma, Flyway, goose,
/// Diesel, Django, Alembic): their names and keys are the tool's, not the app's.
const FRAMEWORK_TABLES: &[&str] = &[
    "schema_migrations",
    "ar_internal_metadata",
    "knex_migrations",
    "knex_migrations_lock",
    "_prisma_migrations",
    "flyway_schema_history",
    "goose_db_version",
    "__diesel_schema_migrations",
    "django_migrations",
    "alembic_version",
];

/// A table the app does not design: in a managed schema, or a framework's bookkeeping table.
pub fn not_the_apps(t: &Table) -> bool {
    managed_schema(&t.schema) || FRAMEWORK_TABLES.contains(&t.name.as_str())
}

/// The singular a table name most likely has (for messages and fixes): `ies` → `y`,
/// `sses` → `ss`, `uses` → `us`, `xes`/`ches`/`shes` lose `es`, `ices` → `ex`, else a final `s` goes.
pub fn singular(name: &str) -> String {
    for (from, to) in [("people", "person"), ("children", "child")] {
        if let Some(stem) = name.strip_suffix(from) {
            return format!("{stem}{to}");
        }
    }
    for (from, to) in [("ies", "y"), ("sses", "ss"), ("uses", "us"), ("xes", "x"), ("ches", "ch"), ("shes", "sh"), ("ices", "ex")] {
        if let Some(stem) = name.strip_suffix(from).filter(|s| !s.is_empty()) {
            return format!("{stem}{to}");
        }
    }
    match name.strip_suffix('s').filter(|s| !s.is_empty() && !name.ends_with("ss")) {
        Some(stem) => stem.to_string(),
        None => name.to_string(),
    }
}

/// Every plausible singular of a table name, the name itself included (`courses`: `courses`,
/// `course`, `cours`).
pub fn singulars(name: &str) -> Vec<String> {
    let mut v = vec![name.to_string(), singular(name)];
    for (from, to) in [("ies", "y"), ("ses", "s"), ("es", ""), ("s", ""), ("ices", "ex"), ("ices", "ix")] {
        if let Some(stem) = name.strip_suffix(from).filter(|s| !s.is_empty()) {
            v.push(format!("{stem}{to}"));
        }
    }
    v.sort();
    v.dedup();
    v
}

/// `name` and its `_`-separated suffixes: `ci_build`, `build`.
pub fn suffixes(name: &str) -> impl Iterator<Item = &str> {
    std::iter::once(name).chain(name.match_indices('_').map(move |(i, _)| &name[i + 1..])).filter(|s| !s.is_empty())
}

/// Which tables a column name such as `source_project_id` or `runner_id` names. The column's stem
/// (`source_project`) and its `_`-suffixes (`project`) are tried longest first; a stem names the
/// tables whose singular is exactly it (`projects`) or, when there is none, ends with `_<stem>`
/// (`ci_runners` for `runner`). A Supabase dump's `auth.users` counts even when the dump leaves it
/// out. Built once per rule run; lookups are by hash.
pub struct TableNames<'a> {
    exact: std::collections::HashMap<String, Vec<&'a str>>,
    suffix: std::collections::HashMap<String, Vec<&'a str>>,
}

impl<'a> TableNames<'a> {
    pub fn new(cx: &Context<'a>) -> Self {
        let mut exact: std::collections::HashMap<String, Vec<&'a str>> = std::collections::HashMap::new();
        let mut suffix: std::collections::HashMap<String, Vec<&'a str>> = std::collections::HashMap::new();
        for (key, t) in cx.tables() {
            for s in singulars(&t.name) {
                for (i, x) in suffixes(&s).enumerate() {
                    let map = if i == 0 { &mut exact } else { &mut suffix };
                    let v = map.entry(x.to_string()).or_default();
                    if !v.contains(&key.as_str()) {
                        v.push(key.as_str());
                    }
                }
            }
        }
        // Supabase's `auth.users`, which a project's dump references without defining.
        let supabase = cx.assumptions.preset == "supabase" || cx.snap.schemas.contains_key("auth");
        if supabase && !cx.snap.tables.contains_key("auth.users") {
            exact.entry("user".into()).or_default().push("auth.users");
        }
        TableNames { exact, suffix }
    }

    /// Keys of the tables `column` (ending in `_id`) names, empty when none.
    pub fn named_by(&self, column: &str) -> Vec<&'a str> {
        let Some(stem) = column.strip_suffix("_id") else {
            return vec![];
        };
        for x in suffixes(stem) {
            for map in [&self.exact, &self.suffix] {
                if let Some(v) = map.get(x) {
                    let mut v = v.clone();
                    v.sort();
                    return v;
                }
            }
        }
        vec![]
    }
}

/// A column meant to be unique everywhere and never reused: a credential or a generated
/// identifier (type `uuid`, or named like a token, secret, hash, uid or key).
pub fn generated_or_credential(t: &Table, column: &str) -> bool {
    let n = column.to_ascii_lowercase();
    t.columns.iter().any(|c| c.name == column && c.data_type == "uuid")
        || ["token", "secret", "password", "fingerprint", "digest", "hash", "nonce", "salt", "uuid", "guid"].iter().any(|w| n.contains(w))
        || ["device_code", "user_code", "otp"].contains(&n.as_str())
        || n == "uid"
        || n.ends_with("_uid")
        || n.ends_with("_key")
}

/// A schema whose policies the platform owns: as [`managed_schema`], except `storage` and
/// `realtime`, whose policies (on `storage.objects`, `realtime.messages`) the app writes.
pub fn managed_policy_schema(schema: &str) -> bool {
    managed_schema(schema) && !matches!(schema, "storage" | "realtime")
}

/// Whether the policy is consulted for some role: not every role it names bypasses RLS or is a
/// superuser (`public` always counts).
pub fn applies_to_some_role(cx: &Context, p: &Policy) -> bool {
    p.roles.is_empty()
        || p.roles.iter().any(|r| r.eq_ignore_ascii_case("public") || !(cx.assumptions.bypasses_rls(r) || cx.assumptions.is_superuser(r)))
}

/// The assumption sentence when a policy was judged by the roles it names.
pub fn roles_assumption(cx: &Context) -> Option<String> {
    let mut bypass: Vec<&str> = cx.assumptions.bypass_rls.iter().map(String::as_str).collect();
    bypass.extend(cx.assumptions.superusers.iter().map(String::as_str));
    (!bypass.is_empty()).then(|| format!("roles that bypass RLS: {} (assumed)", bypass.join(", ")))
}

/// The policy's roles as a `TO` list (`PUBLIC` for the pseudo-role).
pub fn roles_sql(p: &Policy) -> String {
    if p.roles.is_empty() {
        return "PUBLIC".into();
    }
    p.roles.iter().map(|r| if r == "public" { "PUBLIC".to_string() } else { quote_ident(r) }).collect::<Vec<_>>().join(", ")
}

/// The assumption sentence behind "tenant key".
pub fn tenant_keys_assumption(cx: &Context) -> String {
    let source = if cx.config.tenant_keys == crate::checks::ChecksConfig::default().tenant_keys { "default" } else { "configured" };
    format!("tenant keys: {} ({source})", cx.config.tenant_keys.join(", "))
}

/// The app's tables (not partitions, not in a managed schema) that have tenant key columns, with
/// those columns in column order.
pub fn tenant_tables<'a, 'c>(cx: &'c Context<'a>) -> impl Iterator<Item = (&'a String, &'a Table, Vec<&'a str>)> + use<'a, 'c> {
    cx.tables().filter(|(_, t)| t.partition_of.is_none() && !managed_schema(&t.schema)).filter_map(|(k, t)| {
        let keys = tenant_keys_of(cx, t);
        (!keys.is_empty()).then_some((k, t, keys))
    })
}

/// The table's tenant key columns, in column order.
pub fn tenant_keys_of<'a>(cx: &Context, t: &'a Table) -> Vec<&'a str> {
    t.columns.iter().filter(|c| cx.config.tenant_keys.contains(&c.name)).map(|c| c.name.as_str()).collect()
}

/// The table's own columns: not those a partition or an inheritance child gets from its parent
/// (reported once, on the parent).
pub fn own_columns<'a>(cx: &'a Context, t: &'a Table) -> impl Iterator<Item = &'a crate::model::Column> {
    t.columns.iter().filter(move |c| {
        !c.inherited && !t.inherits.iter().any(|p| cx.snap.tables.get(p).is_some_and(|p| p.columns.iter().any(|pc| pc.name == c.name)))
    })
}

/// Whether the policy has a USING part for the commands it covers (INSERT has none).
pub fn has_using(p: &Policy) -> bool {
    p.command != PolicyCommand::Insert && p.using.is_some()
}

/// The columns of one table that a policy expression refers to, as bare names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refs {
    /// Read anywhere the row is in scope: outside sub-selects, as the left side of
    /// `IN (SELECT ...)`, or inside a sub-select when qualified by the table's name (a correlated
    /// reference such as `projects.org_id`).
    pub reads: BTreeSet<String>,
    /// Operands of `=` / `IN` outside sub-selects (`ExprFacts::compared_columns`), and the left side
    /// of `IN (SELECT ...)` / `= ANY (SELECT ...)`.
    pub compared: BTreeSet<String>,
    /// The compared columns whose other operand is not a constant (`owner_id = auth.uid()`,
    /// `org_id IN (SELECT ...)`, but not `status = 'draft'`): what ties a row to a user or tenant.
    pub bound: BTreeSet<String>,
    /// Columns passed straight to a function outside sub-selects (`is_member(org_id)`).
    pub func_args: BTreeSet<String>,
}

/// [`Refs`] of `canonical` (a policy expression of `table`), `None` when it does not parse.
/// Builds on [`crate::checks::expr::ExprFacts`] and adds what the facts leave out: the facts count
/// the left side of `x IN (SELECT ...)` and correlated references as inside a sub-select.
pub fn refs(cx: &Context, table: &Table, canonical: &str) -> Option<Refs> {
    // The walk is shared by every table with the same expression; only the correlated
    // references depend on the table's name.
    let (base, qualified) = cx.memo(canonical, || compute_refs(cx, canonical)).as_ref().clone()?;
    let mut r = base;
    r.reads.extend(qualified.into_iter().filter(|(q, _)| q == &table.name).map(|(_, c)| c));
    Some(r)
}

/// [`Refs`] without the correlated references, and the qualified (qualifier, column) references
/// inside sub-selects from which the caller picks its table's.
type RefsParts = Option<(Refs, Vec<(String, String)>)>;

fn compute_refs(cx: &Context, canonical: &str) -> RefsParts {
    let facts = cx.expr(canonical)?;
    let bare = |c: &String| c.rsplit('.').next().unwrap_or(c).to_string();
    let mut r = Refs {
        reads: facts.columns.iter().map(bare).collect(),
        compared: facts.compared_columns.iter().map(bare).collect(),
        bound: BTreeSet::new(),
        func_args: BTreeSet::new(),
    };
    let v = cx.expr_tree(canonical)?;
    let mut qualified = Vec::new();
    walk(&v, false, &mut qualified, &mut r);
    Some((r, qualified))
}

fn names(list: Option<&Value>) -> Vec<String> {
    list.map(crate::checks::expr::names).unwrap_or_default()
}

/// The column a `{"node": {"ColumnRef": ...}}` names, bare, when it is one.
fn column_of(node: &Value) -> Option<String> {
    let parts = names(node.pointer("/node/ColumnRef/fields"));
    parts.last().cloned()
}

/// A literal: a constant, a cast of one, or a list / array of them.
fn constant(node: &Value) -> bool {
    let Some(inner) = node.get("node").and_then(Value::as_object) else {
        return false;
    };
    inner.iter().all(|(kind, v)| match kind.as_str() {
        "AConst" => true,
        "TypeCast" => v.get("arg").is_some_and(constant),
        "List" => v.get("items").and_then(Value::as_array).is_some_and(|i| i.iter().all(constant)),
        "AArrayExpr" => v.get("elements").and_then(Value::as_array).is_some_and(|i| i.iter().all(constant)),
        _ => false,
    })
}

fn walk(v: &Value, in_sub: bool, qualified: &mut Vec<(String, String)>, r: &mut Refs) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                match k.as_str() {
                    "SubLink" => {
                        // The tested expression belongs to the outer query; only the sub-select is inside.
                        if let Some(test) = child.get("testexpr") {
                            if !in_sub {
                                if let Some(c) = column_of(test) {
                                    if child.get("sub_link_type").and_then(Value::as_i64) == Some(3) {
                                        r.compared.insert(c.clone());
                                        r.bound.insert(c);
                                    }
                                }
                            }
                            walk(test, in_sub, qualified, r);
                        }
                        if let Some(sub) = child.get("subselect") {
                            walk(sub, true, qualified, r);
                        }
                        continue;
                    }
                    "ColumnRef" => {
                        let parts = names(child.get("fields"));
                        match parts.as_slice() {
                            [.., last] if !in_sub => {
                                r.reads.insert(last.clone());
                            }
                            [.., q, last] => qualified.push((q.clone(), last.clone())),
                            _ => {}
                        }
                    }
                    "FuncCall" if !in_sub => {
                        for a in child.get("args").and_then(Value::as_array).into_iter().flatten() {
                            if let Some(c) = column_of(a) {
                                r.func_args.insert(c);
                            }
                        }
                    }
                    "AExpr" if !in_sub => {
                        let op = names(child.get("name"));
                        let is_in = child.get("kind").and_then(Value::as_i64) == Some(pg_query::protobuf::AExprKind::AexprIn as i64);
                        if op.iter().any(|o| o == "=") || is_in {
                            let (l, rt) = (child.get("lexpr"), child.get("rexpr"));
                            for (side, other) in [(l, rt), (rt, l)] {
                                if let Some(c) = side.and_then(column_of) {
                                    if !other.is_some_and(constant) {
                                        r.bound.insert(c);
                                    }
                                }
                            }
                        }
                    }
                    _ => {}
                }
                walk(child, in_sub, qualified, r);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| walk(i, in_sub, qualified, r)),
        _ => {}
    }
}

/// Whether the index backs the table's primary key.
pub fn is_primary(t: &Table, i: &Index) -> bool {
    i.constraint.as_ref().and_then(|c| t.constraints.get(c)).is_some_and(|c| c.kind == ConstraintKind::PrimaryKey)
}

/// The columns of the table's primary key (empty without one).
pub fn primary_key(t: &Table) -> Vec<String> {
    t.constraints.values().find(|c| c.kind == ConstraintKind::PrimaryKey).map(|c| c.columns.clone()).unwrap_or_default()
}

/// A unique B-tree index or UNIQUE constraint that is not the primary key.
pub fn is_plain_unique(t: &Table, i: &Index) -> bool {
    i.unique && !is_primary(t, i) && i.attached_to.is_none()
}

/// One index key as SQL (`"col"`, `(lower(email))`, with opclass and ordering).
fn key_sql(k: &crate::model::IndexKey) -> String {
    let mut s = match (&k.column, &k.expression) {
        (Some(c), _) => quote_ident(c),
        (None, Some(e)) => format!("({})", e.canonical),
        (None, None) => String::new(),
    };
    if let Some(c) = &k.collation {
        s.push_str(&format!(" COLLATE {}", quote_ident(c)));
    }
    if let Some(o) = &k.opclass {
        s.push_str(&format!(" {o}"));
    }
    if k.descending {
        s.push_str(" DESC");
    }
    match k.nulls_first {
        Some(true) => s.push_str(" NULLS FIRST"),
        Some(false) => s.push_str(" NULLS LAST"),
        None => {}
    }
    s
}

/// SQL that replaces the unique index (or the UNIQUE constraint behind it) by one with `keys`
/// (key SQL texts) and `predicate`, keeping its name, INCLUDE columns and NULLS NOT DISTINCT. A
/// constraint stays a constraint when it can (plain columns, no predicate); otherwise it becomes a
/// unique index.
pub fn replace_unique_sql(t: &Table, i: &Index, keys: &[String], predicate: Option<&str>) -> String {
    let table = crate::checks::context::qualified(&t.schema, &t.name);
    let include = if i.include.is_empty() {
        String::new()
    } else {
        format!(" INCLUDE ({})", i.include.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", "))
    };
    let nnd = if i.nulls_not_distinct { " NULLS NOT DISTINCT" } else { "" };
    let plain = keys.iter().all(|k| !k.starts_with('(') && !k.contains(' '));
    match &i.constraint {
        Some(c) if predicate.is_none() && plain => {
            let c = quote_ident(c);
            return format!("ALTER TABLE {table} DROP CONSTRAINT {c}, ADD CONSTRAINT {c} UNIQUE{nnd} ({}){include};", keys.join(", "));
        }
        _ => {}
    }
    let drop = match &i.constraint {
        Some(c) => format!("ALTER TABLE {table} DROP CONSTRAINT {};", quote_ident(c)),
        None => format!("DROP INDEX {};", crate::checks::context::qualified(&t.schema, &i.name)),
    };
    let wher = predicate.map(|p| format!(" WHERE {p}")).unwrap_or_default();
    format!("{drop} CREATE UNIQUE INDEX {} ON {table} ({}){include}{nnd}{wher};", quote_ident(&i.name), keys.join(", "))
}

/// The index's keys as SQL texts.
pub fn keys_sql(i: &Index) -> Vec<String> {
    i.keys.iter().map(key_sql).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Assumptions;
    use crate::checks::ChecksConfig;
    use crate::model::Snapshot;

    fn refs_of(text: &str) -> Refs {
        let snap = Snapshot::default();
        let a = Assumptions::plain();
        let c = ChecksConfig::default();
        let cx = Context::new(&snap, &a, &c);
        let t = Table { name: "projects".into(), ..Default::default() };
        refs(&cx, &t, text).unwrap()
    }

    fn set(v: &[&str]) -> BTreeSet<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_the_tested_side_of_in_sub_select_and_correlated_references() {
        let r = refs_of("org_id IN (SELECT m.org_id FROM members m WHERE m.user_id = auth.uid())");
        assert_eq!((r.reads.clone(), r.compared.clone(), r.bound.clone()), (set(&["org_id"]), set(&["org_id"]), set(&["org_id"])));
        let r = refs_of("EXISTS (SELECT 1 FROM members m WHERE m.org_id = projects.org_id AND m.user_id = auth.uid())");
        assert_eq!((r.reads, r.compared, r.bound), (set(&["org_id"]), set(&[]), set(&[])));
        let r = refs_of(
            "((SELECT auth.uid()) = user_id) AND status = 'draft'::text AND kind IN ('a', 'b') AND projects.team_id = ANY (ARRAY[1, 2])",
        );
        assert_eq!(r.reads, set(&["kind", "status", "team_id", "user_id"]));
        assert_eq!(r.compared, set(&["kind", "status", "team_id", "user_id"]));
        assert_eq!(r.bound, set(&["user_id"]));
        let r = refs_of("owner_id = created_by AND public.is_member(org_id, auth.uid()) AND (SELECT f(x))");
        assert_eq!(r.bound, set(&["created_by", "owner_id"]));
        assert_eq!(r.func_args, set(&["org_id"]));
    }
}
