//! TypeScript types from a snapshot, in the shape `supabase gen types typescript` writes
//! (supabase/postgres-meta's TypeScript template, formatted by prettier), so a file generated
//! offline from a dump diffs cleanly against one generated from the live database.
//!
//! Invariants:
//! - Pure and deterministic: the snapshot and [`Options`] in, one string out; names sorted as the
//!   generator sorts them ([`order`]), laid out as prettier lays them out ([`ts`]).
//! - What the dump does not state is derived as PostgreSQL would (a view's column types and
//!   updatability from its parsed query, [`views`]); what cannot be derived is `unknown`, as the
//!   generator itself writes for types it does not know.
//!
//! Known differences from the live generator (docs/typegen.md): relationships PostgREST derives
//! through views are not listed; `SETOF` functions are arrays unless declared `ROWS 1` (the dump
//! keeps the row estimate only then); non-ASCII names sort by code point.

pub mod check;
pub mod order;
pub mod read;
pub mod ts;
pub mod types;
pub mod views;

use crate::model::{ConstraintKind, Function, Identity, Snapshot, Table, TypeKind, View};
use order::{locale_cmp, sort_by_name};
use ts::{key_text, print_field, print_string_list, string_literal, Field, Ty};
use types::{split_qualified, unquote, Mapper, PgType, Use};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The schemas to generate, `public` by default (the generator's `--schema`).
    pub schemas: Vec<String>,
    /// The schema the helper types (`Tables<"name">`) default to.
    pub default_schema: String,
    /// When set, `__InternalSupabase: { PostgrestVersion: ".." }` as the newest CLI writes it.
    pub postgrest_version: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options { schemas: vec!["public".into()], default_schema: "public".into(), postgrest_version: None }
    }
}

/// The `database.types.ts` text.
pub fn generate(snap: &Snapshot, options: &Options) -> String {
    let mut schemas: Vec<String> = options.schemas.clone();
    sort_by_name(&mut schemas, |s| s);
    schemas.dedup();
    let m = Mapper { snap, schemas: &schemas };
    let mut out = String::from(JSON_TYPE);
    out.push_str("\nexport type Database = {\n");
    if let Some(v) = &options.postgrest_version {
        out.push_str("  // Allows to automatically instantiate createClient with right options\n");
        out.push_str("  // instead of createClient<Database, { PostgrestVersion: 'XX' }>(URL, KEY)\n");
        out.push_str(&format!("  __InternalSupabase: {{\n    PostgrestVersion: {}\n  }}\n", string_literal(v)));
    }
    for schema in &schemas {
        out.push_str(&format!("  {}: {{\n", key_text(schema, false)));
        let rels = schema_relationships(&m, schema);
        tables(&mut out, &m, schema, &rels);
        views_section(&mut out, &m, schema, &rels);
        functions(&mut out, &m, schema);
        section(&mut out, "Enums", enums(&m, schema));
        section(&mut out, "CompositeTypes", composites(&m, schema));
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    out.push_str(&helpers(&options.default_schema));
    constants(&mut out, &m, &schemas);
    out
}

const JSON_TYPE: &str = "export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]
";

/// A section (`Enums: { ... }`) of one schema, `[_ in never]: never` when empty.
fn section(out: &mut String, name: &str, fields: Vec<Field>) {
    out.push_str(&format!("    {name}: {{\n"));
    if fields.is_empty() {
        out.push_str("      [_ in never]: never\n");
    }
    for f in &fields {
        print_field(out, 6, f);
    }
    out.push_str("    }\n");
}

fn nullable(t: Ty, nullable: bool) -> Ty {
    match &t {
        Ty::Atom(a) if a == "unknown" || a == "any" => t,
        _ if nullable => t.or_null(),
        _ => t,
    }
}

/// A table column may hold null: neither it nor its domain is NOT NULL.
fn column_nullable(m: &Mapper, c: &crate::model::Column) -> bool {
    !(c.not_null || m.domain_not_null(&c.data_type))
}

/// A table column's type in `Row` (and in `Insert` / `Update` when written).
fn column_type(m: &Mapper, c: &crate::model::Column) -> Ty {
    nullable(m.map(&c.data_type, Use::Column), column_nullable(m, c))
}

/// A column only the database writes (identity GENERATED ALWAYS, a generated column): `?: never`
/// in Insert and Update.
fn written_by_the_database(c: &crate::model::Column) -> bool {
    c.identity == Some(Identity::Always) || c.generated.is_some()
}

/// Relations of a schema in the generator's order.
fn tables_of<'a>(snap: &'a Snapshot, schema: &str) -> Vec<&'a Table> {
    let mut v: Vec<&Table> = snap.tables.values().filter(|t| t.schema == schema).collect();
    sort_by_name(&mut v, |t| &t.name);
    v
}

fn tables(out: &mut String, m: &Mapper, schema: &str, rels: &std::collections::BTreeMap<String, Vec<Rel>>) {
    let list = tables_of(m.snap, schema);
    out.push_str("    Tables: {\n");
    if list.is_empty() {
        out.push_str("      [_ in never]: never\n");
    }
    for t in list {
        out.push_str(&format!("      {}: {{\n", key_text(&t.name, false)));
        let mut cols: Vec<&crate::model::Column> = t.columns.iter().collect();
        sort_by_name(&mut cols, |c| &c.name);
        let null = |c: &crate::model::Column| column_nullable(m, c);
        let mut row: Vec<Field> = cols.iter().map(|c| Field::new(&c.name, column_type(m, c))).collect();
        row.extend(computed_fields(m, &t.schema, &t.name));
        let insert = cols
            .iter()
            .map(|c| {
                if written_by_the_database(c) {
                    return Field::optional(&c.name, Ty::atom("never"));
                }
                let optional = null(c) || c.identity.is_some() || c.default.is_some();
                Field { key: c.name.clone(), optional, ty: column_type(m, c) }
            })
            .collect();
        let update = cols
            .iter()
            .map(|c| {
                let ty = if written_by_the_database(c) { Ty::atom("never") } else { column_type(m, c) };
                Field::optional(&c.name, ty)
            })
            .collect();
        print_field(out, 8, &Field::new("Row", Ty::expanded(row)));
        print_field(out, 8, &Field::new("Insert", Ty::expanded(insert)));
        print_field(out, 8, &Field::new("Update", Ty::expanded(update)));
        print_relationships(out, rels.get(&t.name));
        out.push_str("      }\n");
    }
    out.push_str("    }\n");
}

/// A `Relationships` entry.
struct Rel {
    name: String,
    columns: Vec<String>,
    one_to_one: bool,
    referenced: String,
    referenced_columns: Vec<String>,
}

/// Every relation's `Relationships` in a schema, by relation name: its foreign keys within the
/// schema, and those PostgREST derives through views that select the keys' columns as they are
/// (a view of the referencing table, of the referenced one, or both).
fn schema_relationships(m: &Mapper, schema: &str) -> std::collections::BTreeMap<String, Vec<Rel>> {
    let snap = m.snap;
    let mut out: std::collections::BTreeMap<String, Vec<Rel>> = Default::default();
    // Each view of the schema: the table columns its columns select.
    let views: Vec<(&View, views::ViewShape)> =
        snap.views.values().filter(|v| v.schema == schema).map(|v| (v, views::shape(snap, v))).collect();
    // The names `relation` offers for `columns` of table `table_key`: its own, then each view's
    // that selects them all.
    let carriers = |table: &Table, columns: &[String]| -> Vec<(String, Vec<String>)> {
        let key = format!("{}.{}", table.schema, table.name);
        let mut v = vec![(table.name.clone(), columns.to_vec())];
        for (view, shape) in &views {
            let mapped: Option<Vec<String>> = columns
                .iter()
                .map(|c| {
                    shape
                        .sources
                        .iter()
                        .position(|s| s.as_ref().is_some_and(|(k, col)| *k == key && col == c))
                        .map(|i| view.columns[i].clone())
                })
                .collect();
            if let Some(cols) = mapped {
                v.push((view.name.clone(), cols));
            }
        }
        v
    };
    for t in snap.tables.values().filter(|t| t.schema == schema) {
        let position = |c: &str| t.columns.iter().position(|x| x.name == c).unwrap_or(usize::MAX);
        let unique_keys: Vec<Vec<String>> = t
            .constraints
            .values()
            .filter(|c| matches!(c.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique))
            .map(|c| {
                let mut cols = c.columns.clone();
                cols.sort_by_key(|c| position(c));
                cols
            })
            .collect();
        for c in t.constraints.values().filter(|c| c.kind == ConstraintKind::ForeignKey && c.inherited_from.is_none()) {
            let Some(fk) = &c.foreign_key else { continue };
            let Some(target) = snap.tables.get(&fk.table).filter(|u| u.schema == schema) else { continue };
            let one_to_one = unique_keys.contains(&c.columns);
            for (from, columns) in carriers(t, &c.columns) {
                for (to, referenced_columns) in carriers(target, &fk.columns) {
                    out.entry(from.clone()).or_default().push(Rel {
                        name: c.name.clone(),
                        columns: columns.clone(),
                        one_to_one,
                        referenced: to,
                        referenced_columns,
                    });
                }
            }
        }
    }
    let json = |v: &[String]| serde_json::to_string(v).unwrap_or_default();
    for rels in out.values_mut() {
        rels.sort_by(|a, b| {
            locale_cmp(&a.name, &b.name)
                .then_with(|| locale_cmp(&a.referenced, &b.referenced))
                .then_with(|| locale_cmp(&json(&a.referenced_columns), &json(&b.referenced_columns)))
        });
    }
    out
}

fn print_relationships(out: &mut String, rels: Option<&Vec<Rel>>) {
    let Some(rels) = rels.filter(|r| !r.is_empty()) else {
        out.push_str("        Relationships: []\n");
        return;
    };
    out.push_str("        Relationships: [\n");
    for r in rels {
        out.push_str("          {\n");
        out.push_str(&format!("            foreignKeyName: {}\n", string_literal(&r.name)));
        print_string_list(out, 12, "            columns:", &r.columns, "");
        out.push_str(&format!("            isOneToOne: {}\n", r.one_to_one));
        out.push_str(&format!("            referencedRelation: {}\n", string_literal(&r.referenced)));
        print_string_list(out, 12, "            referencedColumns:", &r.referenced_columns, "");
        out.push_str("          },\n");
    }
    out.push_str("        ]\n");
}

fn views_section(out: &mut String, m: &Mapper, schema: &str, rels: &std::collections::BTreeMap<String, Vec<Rel>>) {
    let mut list: Vec<&View> = m.snap.views.values().filter(|v| v.schema == schema).collect();
    sort_by_name(&mut list, |v| &v.name);
    out.push_str("    Views: {\n");
    if list.is_empty() {
        out.push_str("      [_ in never]: never\n");
    }
    for v in list {
        let shape = views::shape(m.snap, v);
        let mut cols: Vec<(usize, &String)> = v.columns.iter().enumerate().collect();
        sort_by_name(&mut cols, |(_, c)| c);
        let ty = |i: usize| shape.types[i].as_deref().map_or(Ty::atom("unknown"), |t| nullable(m.map(t, Use::Column), true));
        let mut row: Vec<Field> = cols.iter().map(|&(i, c)| Field::new(c, ty(i))).collect();
        row.extend(computed_fields(m, &v.schema, &v.name));
        out.push_str(&format!("      {}: {{\n", key_text(&v.name, false)));
        print_field(out, 8, &Field::new("Row", Ty::expanded(row)));
        if let Some(writable) = &shape.updatable {
            let fields = |_: ()| -> Vec<Field> {
                cols.iter().map(|&(i, c)| Field::optional(c, if writable[i] { ty(i) } else { Ty::atom("never") })).collect()
            };
            print_field(out, 8, &Field::new("Insert", Ty::expanded(fields(()))));
            print_field(out, 8, &Field::new("Update", Ty::expanded(fields(()))));
        }
        print_relationships(out, rels.get(&v.name));
        out.push_str("      }\n");
    }
    out.push_str("    }\n");
}

/// Functions PostgREST exposes as computed fields of `schema.relation`: one unnamed argument of
/// its row type, written as the bare relation name (as `pg_get_function_arguments` prints a type
/// on the generator's `public` search path).
fn computed_fields(m: &Mapper, schema: &str, relation: &str) -> Vec<Field> {
    if schema != "public" {
        return vec![];
    }
    let mut fns: Vec<&Function> = m
        .snap
        .functions
        .values()
        .filter(|f| m.schemas.contains(&f.schema) && !f.is_procedure)
        .filter(|f| match &f.arguments[..] {
            [a] => a.name.is_none() && a.mode == "in" && a.data_type == format!("public.{relation}"),
            _ => false,
        })
        .collect();
    sort_by_name(&mut fns, |f| &f.name);
    fns.iter()
        .map(|f| {
            let r = returns(m, f);
            let r = match r {
                Ty::Array(of) => *of,
                t => t,
            };
            Field::new(&f.name, nullable(r, true))
        })
        .collect()
}

/// The type a function returns (without `SETOF`).
fn return_type(f: &Function) -> &str {
    let r = f.returns.as_deref().unwrap_or("void");
    r.strip_prefix("SETOF ").unwrap_or(r)
}

/// Whether the result is a list: a set-returning function expected to give more than one row.
fn many(f: &Function) -> bool {
    f.returns_set && f.rows.unwrap_or(1000.0) > 1.0
}

/// Arguments the function is called with (`in`, `inout`, `variadic`).
fn in_args(f: &Function) -> Vec<&crate::model::Argument> {
    f.arguments.iter().filter(|a| matches!(a.mode.as_str(), "in" | "inout" | "variadic")).collect()
}

/// What a (non-array) type name names in the snapshot: its schema and name, and whether it is
/// a relation's row type or a composite type.
struct Named {
    schema: String,
    name: String,
    relation: bool,
    composite: bool,
}

fn named(m: &Mapper, data_type: &str) -> Option<Named> {
    let t = PgType::parse(data_type);
    if t.dims > 0 {
        return None;
    }
    let (s, n) = split_qualified(&t.base);
    let (schema, name) = (unquote(s), unquote(n));
    let key = format!("{schema}.{name}");
    let relation = m.snap.tables.contains_key(&key) || m.snap.views.contains_key(&key);
    let composite = matches!(m.snap.types.get(&key).map(|t| &t.kind), Some(TypeKind::Composite { .. }));
    Some(Named { schema, name, relation, composite })
}

fn is_row_type(m: &Mapper, data_type: &str) -> bool {
    named(m, data_type).is_some_and(|n| n.relation || n.composite)
}

/// Whether PostgREST (and so the generator) can call the function.
fn callable(m: &Mapper, f: &Function) -> bool {
    if f.is_procedure || matches!(return_type(f), "trigger" | "event_trigger") {
        return false;
    }
    let args = in_args(f);
    let text_like = |t: &str| matches!(PgType::parse(t).base.as_str(), "json" | "jsonb" | "text") && PgType::parse(t).dims == 0;
    args.iter().all(|a| a.name.is_some())
        || args.iter().filter(|a| a.name.is_none()).all(|a| a.default.is_some() && text_like(&a.data_type))
        || matches!(&args[..], [a] if a.name.is_none() && (text_like(&a.data_type) || is_row_type(m, &a.data_type)))
}

/// The relation (table or view) a type names, when it is one.
fn relation_of(m: &Mapper, data_type: &str) -> Option<(String, String)> {
    named(m, data_type).filter(|n| n.relation).map(|n| (n.schema, n.name))
}

/// The columns of relation `schema.name` as an inline row type, nullable as in its `Row`.
fn row_object(m: &Mapper, schema: &str, name: &str) -> Ty {
    let key = format!("{schema}.{name}");
    let mut fields = Vec::new();
    if let Some(t) = m.snap.tables.get(&key) {
        for c in &t.columns {
            fields.push(Field::new(&c.name, column_type(m, c)));
        }
    } else if let Some(v) = m.snap.views.get(&key) {
        let shape = views::shape(m.snap, v);
        for (i, c) in v.columns.iter().enumerate() {
            let ty = shape.types[i].as_deref().map_or(Ty::atom("unknown"), |t| nullable(m.map(t, Use::Column), true));
            fields.push(Field::new(c, ty));
        }
    }
    sort_by_name(&mut fields, |f| &f.key);
    Ty::expanded(fields)
}

fn returns(m: &Mapper, f: &Function) -> Ty {
    let set = many(f);
    let table_cols: Vec<&crate::model::Argument> = f.arguments.iter().filter(|a| a.mode == "table").collect();
    let base = if !table_cols.is_empty() {
        let mut fields: Vec<Field> =
            table_cols.iter().map(|a| Field::new(a.name.clone().unwrap_or_default(), m.map(&a.data_type, Use::Function))).collect();
        sort_by_name(&mut fields, |f| &f.key);
        Ty::expanded(fields)
    } else {
        let ret = return_type(f);
        match relation_of(m, ret) {
            Some((s, n)) if s == f.schema => row_object(m, &s, &n),
            _ => m.map(ret, Use::Function),
        }
    };
    if set {
        Ty::array(base)
    } else {
        base
    }
}

/// `SetofOptions`: what PostgREST embeds the result as, for functions returning rows of a
/// relation or a composite type.
fn setof_options(m: &Mapper, f: &Function) -> Option<Ty> {
    if f.returns.is_none() || !f.arguments.iter().all(|a| a.mode != "table") {
        return None;
    }
    let Named { name: to, relation, composite, .. } = named(m, return_type(f))?;
    if !relation && !composite {
        return None;
    }
    let from = match &f.arguments[..] {
        [a] if is_row_type(m, &a.data_type) => Some(searched_name(&a.data_type)),
        _ => None,
    };
    let (from, one, setof) = match from {
        Some(from) if !(relation && f.returns_set) => (from, true, false),
        Some(from) => (from, !many(f), true),
        None => ("*".to_string(), !many(f), f.returns_set),
    };
    Some(Ty::expanded(vec![
        Field::new("from", Ty::literal(&from)),
        Field::new("to", Ty::literal(&to)),
        Field::new("isOneToOne", Ty::atom(one.to_string())),
        Field::new("isSetofReturn", Ty::atom(setof.to_string())),
    ]))
}

/// A type as `format_type` prints it on the generator's `public` search path.
fn searched_name(data_type: &str) -> String {
    let t = PgType::parse(data_type);
    let (s, n) = split_qualified(&t.base);
    if unquote(s) == "public" {
        unquote(n)
    } else {
        t.base.clone()
    }
}

fn function_entry(m: &Mapper, f: &Function) -> Ty {
    let mut args: Vec<Field> = in_args(f)
        .iter()
        .map(|a| Field { key: a.name.clone().unwrap_or_default(), optional: a.default.is_some(), ty: m.map(&a.data_type, Use::Function) })
        .collect();
    sort_by_name(&mut args, |a| &a.key);
    let args_ty = if args.is_empty() { Ty::atom("never") } else { Ty::inline(args) };
    let ins = in_args(f);
    let unnamed_row = matches!(&ins[..], [a] if a.name.is_none() && is_row_type(m, &a.data_type));
    let returns_relation = relation_of(m, return_type(f)).is_some() || setof_options(m, f).is_some();
    let returns_ty = if unnamed_row && !returns_relation {
        Ty::Error(format!(
            "the function {}.{} with parameter or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache",
            f.schema, f.name
        ))
    } else {
        returns(m, f)
    };
    let mut fields = vec![Field::new("Args", args_ty), Field::new("Returns", returns_ty)];
    if let Some(o) = setof_options(m, f) {
        fields.push(Field::new("SetofOptions", o));
    }
    Ty::inline(fields)
}

/// `pg_get_function_arguments`-like text, to order overloads.
fn arguments_text(f: &Function) -> String {
    f.arguments
        .iter()
        .filter(|a| a.mode != "table")
        .map(|a| match &a.name {
            Some(n) => format!("{n} {}", a.data_type),
            None => a.data_type.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn functions(out: &mut String, m: &Mapper, schema: &str) {
    let mut list: Vec<&Function> = m.snap.functions.values().filter(|f| f.schema == schema && callable(m, f)).collect();
    list.sort_by(|a, b| locale_cmp(&a.name, &b.name).then_with(|| locale_cmp(&arguments_text(a), &arguments_text(b))));
    let mut fields: Vec<Field> = Vec::new();
    for f in list {
        let entry = function_entry(m, f);
        match fields.last_mut() {
            Some(last) if last.key == f.name => {
                last.ty = match std::mem::replace(&mut last.ty, Ty::atom("never")) {
                    Ty::Union(mut v) => {
                        v.push(entry);
                        Ty::Union(v)
                    }
                    one => Ty::Union(vec![one, entry]),
                }
            }
            _ => fields.push(Field::new(&f.name, entry)),
        }
    }
    section(out, "Functions", fields);
}

fn enum_types<'a>(m: &'a Mapper, schema: &str) -> Vec<(&'a str, &'a [String])> {
    let mut v: Vec<(&str, &[String])> = m
        .snap
        .types
        .values()
        .filter(|t| t.schema == schema)
        .filter_map(|t| match &t.kind {
            TypeKind::Enum { labels } => Some((t.name.as_str(), labels.as_slice())),
            _ => None,
        })
        .collect();
    sort_by_name(&mut v, |(n, _)| n);
    v
}

fn enums(m: &Mapper, schema: &str) -> Vec<Field> {
    enum_types(m, schema)
        .into_iter()
        .map(|(name, labels)| {
            let ty = match labels {
                [] => Ty::atom("never"),
                [one] => Ty::literal(one),
                many => Ty::Union(many.iter().map(|l| Ty::literal(l)).collect()),
            };
            Field::new(name, ty)
        })
        .collect()
}

fn composites(m: &Mapper, schema: &str) -> Vec<Field> {
    let mut v: Vec<Field> = m
        .snap
        .types
        .values()
        .filter(|t| t.schema == schema)
        .filter_map(|t| match &t.kind {
            TypeKind::Composite { attributes } => Some(Field::new(
                &t.name,
                Ty::expanded(attributes.iter().map(|(n, ty)| Field::new(n, nullable(m.map(ty, Use::Function), true))).collect()),
            )),
            _ => None,
        })
        .collect();
    sort_by_name(&mut v, |f| &f.key);
    v
}

fn constants(out: &mut String, m: &Mapper, schemas: &[String]) {
    out.push_str("\nexport const Constants = {\n");
    for s in schemas {
        out.push_str(&format!("  {}: {{\n", key_text(s, false)));
        let list = enum_types(m, s);
        if list.is_empty() {
            out.push_str("    Enums: {},\n");
        } else {
            out.push_str("    Enums: {\n");
            for (name, labels) in list {
                print_string_list(out, 6, &format!("      {}:", key_text(name, false)), labels, ",");
            }
            out.push_str("    },\n");
        }
        out.push_str("  },\n");
    }
    out.push_str("} as const\n");
}

/// The helper types, as the generator writes them for `default_schema`.
fn helpers(default_schema: &str) -> String {
    HELPERS.replace("\"public\"", &string_literal(default_schema))
}

const HELPERS: &str = include_str!("helpers.ts.txt");

#[cfg(test)]
mod tests;
