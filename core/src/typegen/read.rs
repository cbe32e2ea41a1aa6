//! Reads a `database.types.ts` of the generator's shape (parsed with oxc's TypeScript parser) into
//! plain data: per schema, the relations' Row / Insert / Update fields and relationships, the
//! functions' signatures, the enums' labels and the composite types' fields, each with its line.
//! Types are compared in a canonical spelling: whitespace, quotes, member order and union order
//! do not count.

use oxc_allocator::Allocator;
use oxc_ast::ast::{Declaration, PropertyKey, Statement, TSLiteral, TSSignature, TSTupleElement, TSType};
use oxc_parser::Parser;
use oxc_span::{GetSpan, SourceType};
use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TsDatabase {
    pub schemas: BTreeMap<String, TsSchema>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TsSchema {
    pub line: u32,
    pub tables: BTreeMap<String, TsRelation>,
    pub views: BTreeMap<String, TsRelation>,
    /// A function's overloads, each canonical `{Args;Returns;..}`.
    pub functions: BTreeMap<String, TsEntry>,
    pub enums: BTreeMap<String, TsEnum>,
    pub composites: BTreeMap<String, TsFields>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TsRelation {
    pub line: u32,
    pub row: TsFields,
    pub insert: Option<TsFields>,
    pub update: Option<TsFields>,
    pub relationships: Vec<TsRelationship>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TsFields {
    pub line: u32,
    pub fields: BTreeMap<String, TsField>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TsField {
    /// Canonical type without `null`.
    pub ty: String,
    pub nullable: bool,
    pub optional: bool,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TsEntry {
    pub canonical: String,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TsEnum {
    pub labels: Vec<String>,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TsRelationship {
    pub foreign_key: String,
    pub columns: Vec<String>,
    pub one_to_one: Option<bool>,
    pub referenced: String,
    pub referenced_columns: Vec<String>,
    pub line: u32,
}

/// Why a file cannot be read: a syntax error (with its 1-based line and column) or no `Database`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    pub message: String,
    pub line: u32,
    pub column: u32,
}

struct Reader<'s> {
    src: &'s str,
    /// Byte offsets where lines start.
    lines: Vec<usize>,
}

impl Reader<'_> {
    fn line(&self, offset: u32) -> u32 {
        self.lines.partition_point(|&s| s <= offset as usize) as u32
    }

    fn column(&self, offset: u32) -> u32 {
        let start = self.lines[self.line(offset).saturating_sub(1) as usize];
        self.src[start..offset as usize].chars().count() as u32 + 1
    }

    /// Canonical spelling of a type.
    fn canon(&self, t: &TSType) -> String {
        match t {
            TSType::TSAnyKeyword(_) => "any".into(),
            TSType::TSBooleanKeyword(_) => "boolean".into(),
            TSType::TSNeverKeyword(_) => "never".into(),
            TSType::TSNullKeyword(_) => "null".into(),
            TSType::TSNumberKeyword(_) => "number".into(),
            TSType::TSStringKeyword(_) => "string".into(),
            TSType::TSUndefinedKeyword(_) => "undefined".into(),
            TSType::TSUnknownKeyword(_) => "unknown".into(),
            TSType::TSVoidKeyword(_) => "void".into(),
            TSType::TSArrayType(a) => format!("{}[]", self.canon(&a.element_type)),
            TSType::TSParenthesizedType(p) => self.canon(&p.type_annotation),
            TSType::TSUnionType(u) => {
                let mut parts: Vec<String> = u.types.iter().map(|t| self.canon(t)).collect();
                parts.sort();
                parts.dedup();
                if parts.len() > 1 {
                    format!("({})", parts.join("|"))
                } else {
                    parts.pop().unwrap_or_default()
                }
            }
            TSType::TSLiteralType(l) => match &l.literal {
                TSLiteral::StringLiteral(s) => serde_json::to_string(s.value.as_str()).unwrap_or_default(),
                TSLiteral::BooleanLiteral(b) => b.value.to_string(),
                _ => self.slice(t),
            },
            TSType::TSTypeLiteral(o) => {
                let mut members: Vec<String> = o
                    .members
                    .iter()
                    .map(|m| match m {
                        TSSignature::TSPropertySignature(p) => {
                            let ty = p.type_annotation.as_ref().map(|a| self.canon(&a.type_annotation)).unwrap_or_default();
                            format!("{}{}:{ty}", key(&p.key), if p.optional { "?" } else { "" })
                        }
                        other => self.slice_span(other.span()),
                    })
                    .collect();
                members.sort();
                format!("{{{}}}", members.join(";"))
            }
            TSType::TSTupleType(tu) => {
                let parts: Vec<String> = tu.element_types.iter().map(|e| self.canon_element(e)).collect();
                format!("[{}]", parts.join(","))
            }
            _ => self.slice(t),
        }
    }

    fn canon_element(&self, e: &TSTupleElement) -> String {
        match e.as_ts_type() {
            Some(t) => self.canon(t),
            None => self.slice_span(e.span()),
        }
    }

    fn slice(&self, t: &TSType) -> String {
        self.slice_span(t.span())
    }

    /// Source text without whitespace, single quotes as double.
    fn slice_span(&self, span: oxc_span::Span) -> String {
        self.src[span.start as usize..span.end as usize]
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| if c == '\'' { '"' } else { c })
            .collect()
    }

    fn members<'a, 'b>(&self, t: &'b TSType<'a>) -> Vec<(&'b oxc_ast::ast::TSPropertySignature<'a>, String)> {
        let t = match t {
            TSType::TSParenthesizedType(p) => &p.type_annotation,
            t => t,
        };
        match t {
            TSType::TSTypeLiteral(o) => o
                .members
                .iter()
                .filter_map(|m| match m {
                    TSSignature::TSPropertySignature(p) => Some((&**p, key(&p.key))),
                    _ => None,
                })
                .collect(),
            _ => vec![],
        }
    }

    fn annotation<'a, 'b>(p: &'b oxc_ast::ast::TSPropertySignature<'a>) -> Option<&'b TSType<'a>> {
        p.type_annotation.as_ref().map(|a| &a.type_annotation)
    }

    fn fields(&self, t: &TSType) -> TsFields {
        let mut out = TsFields { line: self.line(t.span().start), fields: BTreeMap::new() };
        for (p, name) in self.members(t) {
            let Some(ty) = Self::annotation(p) else { continue };
            let (ty, nullable) = self.without_null(ty);
            out.fields.insert(name, TsField { ty, nullable, optional: p.optional, line: self.line(p.span.start) });
        }
        out
    }

    /// A type's canonical spelling without `| null`, and whether it had one.
    fn without_null(&self, t: &TSType) -> (String, bool) {
        let t = match t {
            TSType::TSParenthesizedType(p) => &p.type_annotation,
            t => t,
        };
        if let TSType::TSUnionType(u) = t {
            let nullable = u.types.iter().any(|m| matches!(m, TSType::TSNullKeyword(_)));
            let mut parts: Vec<String> = u.types.iter().filter(|m| !matches!(m, TSType::TSNullKeyword(_))).map(|m| self.canon(m)).collect();
            parts.sort();
            parts.dedup();
            let ty = if parts.len() == 1 { parts.pop().unwrap_or_default() } else { format!("({})", parts.join("|")) };
            return (ty, nullable);
        }
        (self.canon(t), false)
    }

    fn strings(&self, t: &TSType) -> Vec<String> {
        match t {
            TSType::TSTupleType(tu) => tu.element_types.iter().filter_map(|e| e.as_ts_type().and_then(string_value)).collect(),
            _ => vec![],
        }
    }

    fn relation(&self, p: &oxc_ast::ast::TSPropertySignature, t: &TSType) -> TsRelation {
        let mut r = TsRelation { line: self.line(p.span.start), ..Default::default() };
        for (m, name) in self.members(t) {
            let Some(ty) = Self::annotation(m) else { continue };
            match name.as_str() {
                "Row" => r.row = self.fields(ty),
                "Insert" => r.insert = Some(self.fields(ty)),
                "Update" => r.update = Some(self.fields(ty)),
                "Relationships" => {
                    if let TSType::TSTupleType(tu) = ty {
                        for e in &tu.element_types {
                            let Some(obj) = e.as_ts_type() else { continue };
                            let mut rel = TsRelationship {
                                foreign_key: String::new(),
                                columns: vec![],
                                one_to_one: None,
                                referenced: String::new(),
                                referenced_columns: vec![],
                                line: self.line(obj.span().start),
                            };
                            for (f, fname) in self.members(obj) {
                                let Some(v) = Self::annotation(f) else { continue };
                                let text = |v: &TSType| match v {
                                    TSType::TSLiteralType(l) => match &l.literal {
                                        TSLiteral::BooleanLiteral(b) => b.value.to_string(),
                                        _ => string_value(v).unwrap_or_default(),
                                    },
                                    _ => String::new(),
                                };
                                match fname.as_str() {
                                    "foreignKeyName" => rel.foreign_key = text(v),
                                    "columns" => rel.columns = self.strings(v),
                                    "isOneToOne" => rel.one_to_one = Some(text(v) == "true"),
                                    "referencedRelation" => rel.referenced = text(v),
                                    "referencedColumns" => rel.referenced_columns = self.strings(v),
                                    _ => {}
                                }
                            }
                            r.relationships.push(rel);
                        }
                    }
                }
                _ => {}
            }
        }
        r
    }
}

/// The value of a string literal type (`"a"`), or `None`.
fn string_value(t: &TSType) -> Option<String> {
    match t {
        TSType::TSLiteralType(l) => match &l.literal {
            TSLiteral::StringLiteral(s) => Some(s.value.to_string()),
            _ => None,
        },
        _ => None,
    }
}

fn key(k: &PropertyKey) -> String {
    k.static_name().map(|c| c.into_owned()).unwrap_or_default()
}

/// Reads the `Database` type of a generated types file.
pub fn read(source: &str) -> Result<TsDatabase, ReadError> {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::ts()).parse();
    let mut lines = vec![0];
    lines.extend(source.match_indices('\n').map(|(i, _)| i + 1));
    let r = Reader { src: source, lines };
    if let Some(e) = parsed.diagnostics.errors().next() {
        let at = e.labels.first().map(|l| l.offset() as u32).unwrap_or(0);
        return Err(ReadError { message: e.message.to_string(), line: r.line(at), column: r.column(at) });
    }
    if parsed.panicked {
        return Err(ReadError { message: "the file could not be parsed as TypeScript".into(), line: 1, column: 1 });
    }
    let mut database: Option<Vec<(&oxc_ast::ast::TSPropertySignature, String)>> = None;
    for stmt in &parsed.program.body {
        let decl = match stmt {
            Statement::ExportDeclaration(e) => Some(&e.declaration),
            other => other.as_declaration(),
        };
        match decl {
            Some(Declaration::TSTypeAliasDeclaration(t)) if t.id.name == "Database" => database = Some(r.members(&t.type_annotation)),
            Some(Declaration::TSInterfaceDeclaration(i)) if i.id.name == "Database" => {
                database = Some(
                    i.body
                        .body
                        .iter()
                        .filter_map(|m| match m {
                            TSSignature::TSPropertySignature(p) => Some((&**p, key(&p.key))),
                            _ => None,
                        })
                        .collect(),
                )
            }
            _ => {}
        }
    }
    let Some(schemas) = database else {
        return Err(ReadError { message: "no `export type Database = { ... }` in the file".into(), line: 1, column: 1 });
    };
    let mut db = TsDatabase::default();
    for (p, schema_name) in schemas {
        if schema_name == "__InternalSupabase" {
            continue;
        }
        let Some(st) = Reader::annotation(p) else { continue };
        let mut schema = TsSchema { line: r.line(p.span.start), ..Default::default() };
        for (section, section_name) in r.members(st) {
            let Some(body) = Reader::annotation(section) else { continue };
            for (entry, name) in r.members(body) {
                let Some(t) = Reader::annotation(entry) else { continue };
                let line = r.line(entry.span.start);
                match section_name.as_str() {
                    "Tables" => {
                        schema.tables.insert(name, r.relation(entry, t));
                    }
                    "Views" => {
                        schema.views.insert(name, r.relation(entry, t));
                    }
                    "Functions" => {
                        schema.functions.insert(name, TsEntry { canonical: r.canon(t), line });
                    }
                    "Enums" => {
                        let labels = match t {
                            TSType::TSUnionType(u) => u.types.iter().filter_map(string_value).collect(),
                            t => string_value(t).into_iter().collect(),
                        };
                        schema.enums.insert(name, TsEnum { labels, line });
                    }
                    "CompositeTypes" => {
                        schema.composites.insert(name, r.fields(t));
                    }
                    _ => {}
                }
            }
        }
        db.schemas.insert(schema_name, schema);
    }
    Ok(db)
}
