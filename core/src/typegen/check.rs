//! Type drift: where an app's `database.types.ts` disagrees with a snapshot. The snapshot's own
//! types are generated for the schemas the file names and both are read alike ([`read`]), so the
//! comparison is of meaning, not layout.
//!
//! Priorities, from the app's side:
//! - P0: the app would send what the database rejects, or reads what its types rule out: a
//!   table, view, column, function or enum value the types promise and the database lacks; a
//!   type change; a column the database made NOT NULL (or requires on insert, or generates
//!   always) that the types leave nullable or optional; a changed function signature.
//! - P1: nullability the database widened (the app may read a null it does not expect); an enum
//!   value the database added; a relationship added, removed or changed.
//! - P2: what the types do not mention but cannot break the app (a new table, an optional new
//!   column, a new function), or an insert field the types require although the database has a
//!   default.

use super::read::{read, ReadError, TsDatabase, TsFields, TsRelation, TsSchema};
use super::{generate, Options};
use crate::checks::Priority;
use crate::model::{Snapshot, Span};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TypeChange {
    /// Stable: `kind/object`.
    pub id: String,
    pub priority: Priority,
    pub kind: String,
    /// `schema.relation.column`, `schema.function`, `schema.enum`...
    pub object: String,
    pub message: String,
    /// Line in the types file (where the types say it), when they do.
    pub ts_line: Option<u32>,
    /// Where the dump defines the object, when it does.
    pub dump: Option<Span>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TypeDrift {
    /// The schemas compared: those the types file has.
    pub schemas: Vec<String>,
    pub changes: Vec<TypeChange>,
}

impl TypeDrift {
    pub fn count(&self, p: Priority) -> usize {
        self.changes.iter().filter(|c| c.priority == p).count()
    }

    /// Changes at or above `p`.
    pub fn at_or_above(&self, p: Priority) -> usize {
        self.changes.iter().filter(|c| c.priority <= p).count()
    }
}

/// Compares `types` (the app's file) with what the snapshot gives.
pub fn check(snap: &Snapshot, types: &str) -> Result<TypeDrift, ReadError> {
    let app = read(types)?;
    let schemas: Vec<String> = app.schemas.keys().cloned().collect();
    let generated = generate(snap, &Options { schemas: schemas.clone(), ..Default::default() });
    let db = read(&generated).map_err(|e| ReadError { message: format!("pglens generated unreadable types: {}", e.message), ..e })?;
    let mut c = Compare { snap, out: Vec::new() };
    c.database(&app, &db);
    let mut changes = c.out;
    changes.sort_by(|a, b| a.priority.cmp(&b.priority).then_with(|| a.object.cmp(&b.object)).then_with(|| a.kind.cmp(&b.kind)));
    Ok(TypeDrift { schemas, changes })
}

struct Compare<'a> {
    snap: &'a Snapshot,
    out: Vec<TypeChange>,
}

/// How a section names what it holds.
#[derive(Clone, Copy)]
enum What {
    Table,
    View,
}

impl What {
    fn noun(self) -> &'static str {
        match self {
            What::Table => "table",
            What::View => "view",
        }
    }
}

impl Compare<'_> {
    fn push(&mut self, priority: Priority, kind: &'static str, object: String, message: String, ts_line: Option<u32>, dump: Option<Span>) {
        self.out.push(TypeChange { id: format!("{kind}/{object}"), priority, kind: kind.to_string(), object, message, ts_line, dump });
    }

    fn relation_span(&self, key: &str) -> Option<Span> {
        self.snap.tables.get(key).map(|t| t.span).or_else(|| self.snap.views.get(key).map(|v| v.span))
    }

    fn function_span(&self, schema: &str, name: &str) -> Option<Span> {
        self.snap.functions.values().find(|f| f.schema == schema && f.name == name).map(|f| f.span)
    }

    fn type_span(&self, key: &str) -> Option<Span> {
        self.snap.types.get(key).map(|t| t.span)
    }

    fn database(&mut self, app: &TsDatabase, db: &TsDatabase) {
        let empty = TsSchema::default();
        for (name, a) in &app.schemas {
            let d = db.schemas.get(name).unwrap_or(&empty);
            if !self.snap.schemas.contains_key(name) && name != "public" {
                self.push(
                    Priority::P0,
                    "schema_missing",
                    name.clone(),
                    format!("the types have schema {name}; the database has none"),
                    Some(a.line),
                    None,
                );
                continue;
            }
            self.relations(name, What::Table, &a.tables, &d.tables);
            self.relations(name, What::View, &a.views, &d.views);
            self.functions(name, a, d);
            self.enums(name, a, d);
            self.composites(name, a, d);
        }
    }

    fn relations(
        &mut self,
        schema: &str,
        what: What,
        app: &std::collections::BTreeMap<String, TsRelation>,
        db: &std::collections::BTreeMap<String, TsRelation>,
    ) {
        let noun = what.noun();
        for (name, a) in app {
            let key = format!("{schema}.{name}");
            let Some(d) = db.get(name) else {
                self.push(
                    Priority::P0,
                    "relation_missing",
                    key.clone(),
                    format!("the types have {noun} {key}; the database has none"),
                    Some(a.line),
                    None,
                );
                continue;
            };
            let span = self.relation_span(&key);
            self.row(&key, &a.row, &d.row, span);
            if let (Some(ai), Some(di)) = (&a.insert, &d.insert) {
                self.insert(&key, ai, di, span);
            } else if a.insert.is_some() && d.insert.is_none() {
                self.push(
                    Priority::P0,
                    "not_writable",
                    key.clone(),
                    format!("the types let the app insert into {key}; the database cannot update this {noun}"),
                    Some(a.line),
                    span,
                );
            }
            self.relationships(&key, a, d, span);
        }
        for name in db.keys() {
            if !app.contains_key(name) {
                let key = format!("{schema}.{name}");
                let span = self.relation_span(&key);
                self.push(
                    Priority::P2,
                    "relation_untyped",
                    key.clone(),
                    format!("the database has {noun} {key}; the types do not mention it"),
                    None,
                    span,
                );
            }
        }
    }

    fn row(&mut self, key: &str, app: &TsFields, db: &TsFields, span: Option<Span>) {
        for (col, a) in &app.fields {
            let object = format!("{key}.{col}");
            let Some(d) = db.fields.get(col) else {
                self.push(
                    Priority::P0,
                    "column_missing",
                    object.clone(),
                    format!("the types have column {object}; the database has none"),
                    Some(a.line),
                    span,
                );
                continue;
            };
            if a.ty != d.ty {
                self.push(
                    Priority::P0,
                    "column_type",
                    object.clone(),
                    format!("{object} is {} in the types, {} in the database", a.ty, d.ty),
                    Some(a.line),
                    span,
                );
            }
            match (a.nullable, d.nullable) {
                (true, false) => self.push(
                    Priority::P0,
                    "column_not_null",
                    object.clone(),
                    format!("{object} cannot be null in the database; the types let it be null"),
                    Some(a.line),
                    span,
                ),
                (false, true) => self.push(
                    Priority::P1,
                    "column_nullable",
                    object.clone(),
                    format!("{object} can be null in the database; the types say it cannot"),
                    Some(a.line),
                    span,
                ),
                _ => {}
            }
        }
        for col in db.fields.keys().filter(|c| !app.fields.contains_key(*c)) {
            let object = format!("{key}.{col}");
            self.push(
                Priority::P2,
                "column_untyped",
                object.clone(),
                format!("the database has column {object}; the types do not mention it"),
                None,
                span,
            );
        }
    }

    fn insert(&mut self, key: &str, app: &TsFields, db: &TsFields, span: Option<Span>) {
        for (col, d) in &db.fields {
            let object = format!("{key}.{col}");
            match app.fields.get(col) {
                // A column the app does not know, required on insert: every insert fails.
                None if !d.optional && d.ty != "never" => {
                    // Replace the P2 "untyped" entry the Row comparison made.
                    self.out.retain(|c| !(c.kind == "column_untyped" && c.object == object));
                    self.push(
                        Priority::P0,
                        "insert_requires",
                        object.clone(),
                        format!("inserting into {key} requires {col}; the types do not have it"),
                        Some(app.line),
                        span,
                    );
                }
                None => {}
                Some(a) if d.ty == "never" && a.ty != "never" => self.push(
                    Priority::P0,
                    "insert_generated",
                    object.clone(),
                    format!("the database writes {object} (generated always); the types let the app insert it"),
                    Some(a.line),
                    span,
                ),
                Some(a) if a.optional && !d.optional => self.push(
                    Priority::P0,
                    "insert_required",
                    object.clone(),
                    format!("inserting into {key} requires {col}; the types make it optional"),
                    Some(a.line),
                    span,
                ),
                Some(a) if !a.optional && d.optional => self.push(
                    Priority::P2,
                    "insert_optional",
                    object.clone(),
                    format!("{object} has a default (or may be null) in the database; the types require it on insert"),
                    Some(a.line),
                    span,
                ),
                Some(_) => {}
            }
        }
    }

    fn relationships(&mut self, key: &str, a: &TsRelation, d: &TsRelation, span: Option<Span>) {
        let same = |x: &super::read::TsRelationship, y: &super::read::TsRelationship| {
            x.foreign_key == y.foreign_key && x.referenced == y.referenced
        };
        for r in &a.relationships {
            let object = format!("{key}/{}→{}", r.foreign_key, r.referenced);
            match d.relationships.iter().find(|x| same(x, r)) {
                None => self.push(
                    Priority::P1,
                    "relationship_missing",
                    object,
                    format!(
                        "the types have relationship {} from {key} to {}; the database has no such foreign key",
                        r.foreign_key, r.referenced
                    ),
                    Some(r.line),
                    span,
                ),
                Some(x)
                    if x.columns != r.columns
                        || x.referenced_columns != r.referenced_columns
                        || (r.one_to_one.is_some() && x.one_to_one != r.one_to_one) =>
                {
                    self.push(
                        Priority::P1,
                        "relationship_changed",
                        object,
                        format!(
                            "relationship {} from {key} to {}: the types say ({}) → ({}){}, the database ({}) → ({}){}",
                            r.foreign_key,
                            r.referenced,
                            r.columns.join(", "),
                            r.referenced_columns.join(", "),
                            if r.one_to_one == Some(true) { ", one to one" } else { "" },
                            x.columns.join(", "),
                            x.referenced_columns.join(", "),
                            if x.one_to_one == Some(true) { ", one to one" } else { "" },
                        ),
                        Some(r.line),
                        span,
                    )
                }
                Some(_) => {}
            }
        }
        for r in d.relationships.iter().filter(|x| !a.relationships.iter().any(|y| same(x, y))) {
            self.push(
                Priority::P1,
                "relationship_untyped",
                format!("{key}/{}→{}", r.foreign_key, r.referenced),
                format!("the database has relationship {} from {key} to {}; the types do not", r.foreign_key, r.referenced),
                None,
                span,
            );
        }
    }

    fn functions(&mut self, schema: &str, a: &TsSchema, d: &TsSchema) {
        for (name, f) in &a.functions {
            let object = format!("{schema}.{name}");
            let span = self.function_span(schema, name);
            match d.functions.get(name) {
                None => self.push(
                    Priority::P0,
                    "function_missing",
                    object.clone(),
                    format!("the types have function {object}; the database has none"),
                    Some(f.line),
                    None,
                ),
                Some(g) if g.canonical != f.canonical => self.push(
                    Priority::P0,
                    "function_signature",
                    object.clone(),
                    format!("{object} takes or returns other types in the database than in the types"),
                    Some(f.line),
                    span,
                ),
                Some(_) => {}
            }
        }
        for name in d.functions.keys().filter(|n| !a.functions.contains_key(*n)) {
            let object = format!("{schema}.{name}");
            let span = self.function_span(schema, name);
            self.push(
                Priority::P2,
                "function_untyped",
                object.clone(),
                format!("the database has function {object}; the types do not mention it"),
                None,
                span,
            );
        }
    }

    fn enums(&mut self, schema: &str, a: &TsSchema, d: &TsSchema) {
        for (name, e) in &a.enums {
            let object = format!("{schema}.{name}");
            let span = self.type_span(&object);
            let Some(g) = d.enums.get(name) else {
                self.push(
                    Priority::P0,
                    "enum_missing",
                    object.clone(),
                    format!("the types have enum {object}; the database has none"),
                    Some(e.line),
                    None,
                );
                continue;
            };
            for label in e.labels.iter().filter(|l| !g.labels.contains(l)) {
                self.push(
                    Priority::P0,
                    "enum_value_missing",
                    format!("{object}.{label}"),
                    format!("the types allow {label:?} for {object}; the database does not have that value"),
                    Some(e.line),
                    span,
                );
            }
            for label in g.labels.iter().filter(|l| !e.labels.contains(l)) {
                self.push(
                    Priority::P1,
                    "enum_value_untyped",
                    format!("{object}.{label}"),
                    format!("the database has value {label:?} in {object}; the types do not"),
                    Some(e.line),
                    span,
                );
            }
        }
        for name in d.enums.keys().filter(|n| !a.enums.contains_key(*n)) {
            let object = format!("{schema}.{name}");
            let span = self.type_span(&object);
            self.push(
                Priority::P2,
                "enum_untyped",
                object.clone(),
                format!("the database has enum {object}; the types do not mention it"),
                None,
                span,
            );
        }
    }

    fn composites(&mut self, schema: &str, a: &TsSchema, d: &TsSchema) {
        for (name, f) in &a.composites {
            let object = format!("{schema}.{name}");
            let span = self.type_span(&object);
            match d.composites.get(name) {
                None => self.push(
                    Priority::P0,
                    "composite_missing",
                    object.clone(),
                    format!("the types have composite type {object}; the database has none"),
                    Some(f.line),
                    None,
                ),
                Some(g) => self.row(&object, f, g, span),
            }
        }
        for name in d.composites.keys().filter(|n| !a.composites.contains_key(*n)) {
            let object = format!("{schema}.{name}");
            let span = self.type_span(&object);
            self.push(
                Priority::P2,
                "composite_untyped",
                object.clone(),
                format!("the database has composite type {object}; the types do not mention it"),
                None,
                span,
            );
        }
    }
}
