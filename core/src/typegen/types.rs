//! PostgreSQL types, as the model spells them (`format_type`: `integer`, `character varying(20)[]`,
//! `public.mood`), mapped to TypeScript as the Supabase generator maps them.

use super::ts::Ty;
use crate::model::{Snapshot, TypeKind};

/// A type name split into its base (`pg_type.typname` for built-ins, `schema.name` for the
/// snapshot's own) and its array dimensions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PgType {
    pub base: String,
    pub dims: usize,
}

/// `format_type`'s SQL-standard spellings, to `typname`.
fn builtin(name: &str) -> Option<&'static str> {
    let n = name.trim();
    // `time(3) with time zone`: the typmod sits inside the name.
    let unmod: String = {
        let mut s = String::new();
        let mut depth = 0;
        for c in n.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                c if depth == 0 => s.push(c),
                _ => {}
            }
        }
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    Some(match unmod.as_str() {
        "boolean" | "bool" => "bool",
        "smallint" | "int2" => "int2",
        "integer" | "int" | "int4" => "int4",
        "bigint" | "int8" => "int8",
        "real" | "float4" => "float4",
        "double precision" | "float8" => "float8",
        "numeric" | "decimal" => "numeric",
        "money" => "money",
        "text" => "text",
        "character varying" | "varchar" => "varchar",
        "character" | "char" | "bpchar" => "bpchar",
        "\"char\"" => "char",
        "name" => "name",
        "uuid" => "uuid",
        "bytea" => "bytea",
        "date" => "date",
        "time without time zone" | "time" => "time",
        "time with time zone" | "timetz" => "timetz",
        "timestamp without time zone" | "timestamp" => "timestamp",
        "timestamp with time zone" | "timestamptz" => "timestamptz",
        "json" => "json",
        "jsonb" => "jsonb",
        "void" => "void",
        "record" => "record",
        "trigger" => "trigger",
        "event_trigger" => "event_trigger",
        s if s.starts_with("interval") => "interval",
        _ => return None,
    })
}

impl PgType {
    pub fn parse(data_type: &str) -> PgType {
        let mut s = data_type.trim();
        let mut dims = 0;
        while let Some(rest) = s.strip_suffix("[]") {
            s = rest.trim_end();
            dims += 1;
        }
        let base = match builtin(s) {
            Some(b) => b.to_string(),
            None => s
                .strip_prefix("pg_catalog.")
                .map(|b| builtin(b).map(str::to_string).unwrap_or_else(|| b.to_string()))
                .unwrap_or_else(|| s.to_string()),
        };
        PgType { base, dims }
    }

    /// The name without its schema (`public.citext` → `citext`).
    pub fn short(&self) -> &str {
        split_qualified(&self.base).1
    }
}

/// `schema.name` (names may be quoted) → (schema, name); an unqualified name has schema "".
pub fn split_qualified(s: &str) -> (&str, &str) {
    let mut in_quote = false;
    for (i, c) in s.char_indices() {
        match c {
            '"' => in_quote = !in_quote,
            '.' if !in_quote => return (&s[..i], &s[i + 1..]),
            _ => {}
        }
    }
    ("", s)
}

/// An identifier as written in a qualified type name, unquoted.
pub fn unquote(s: &str) -> String {
    match s.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => s.to_string(),
    }
}

/// Where a type name is used: a column's type resolves a domain to its base type; a function's
/// argument or result does not (the generator looks the domain's own name up, and finds nothing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Use {
    Column,
    Function,
}

/// The context a type is mapped in: the snapshot and the schemas generated.
pub struct Mapper<'a> {
    pub snap: &'a Snapshot,
    pub schemas: &'a [String],
}

impl Mapper<'_> {
    fn included(&self, schema: &str) -> bool {
        self.schemas.iter().any(|s| s == schema)
    }

    /// The TypeScript type of a PostgreSQL type.
    pub fn map(&self, data_type: &str, usage: Use) -> Ty {
        let t = PgType::parse(data_type);
        // PostgreSQL does not enforce an array's dimensions, nor does the generator type them.
        let ty = self.map_base(&t.base, usage);
        if t.dims > 0 {
            Ty::array(ty)
        } else {
            ty
        }
    }

    fn map_base(&self, base: &str, usage: Use) -> Ty {
        match base {
            "bool" => return Ty::atom("boolean"),
            "int2" | "int4" | "int8" | "float4" | "float8" | "numeric" => return Ty::atom("number"),
            "bytea" | "bpchar" | "varchar" | "date" | "text" | "time" | "timetz" | "timestamp" | "timestamptz" | "uuid" | "interval" => {
                return Ty::atom("string")
            }
            "json" | "jsonb" => return Ty::atom("Json"),
            "void" => return Ty::atom("undefined"),
            "record" => return Ty::atom("Record<string, unknown>"),
            _ => {}
        }
        let (schema, name) = split_qualified(base);
        let (schema, name) = (unquote(schema), unquote(name));
        // Extension types the generator knows by name, wherever they are installed.
        if matches!(name.as_str(), "citext" | "vector") {
            return Ty::atom("string");
        }
        if schema.is_empty() {
            return Ty::atom("unknown");
        }
        let key = format!("{schema}.{name}");
        if let Some(t) = self.snap.types.get(&key) {
            return match &t.kind {
                TypeKind::Enum { labels } => {
                    if self.included(&schema) {
                        Ty::atom(format!(
                            "Database[{}][\"Enums\"][{}]",
                            super::ts::string_literal(&schema),
                            super::ts::string_literal(&name)
                        ))
                    } else {
                        Ty::Union(labels.iter().map(|l| Ty::literal(l)).collect())
                    }
                }
                TypeKind::Composite { .. } if self.included(&schema) => Ty::atom(format!(
                    "Database[{}][\"CompositeTypes\"][{}]",
                    super::ts::string_literal(&schema),
                    super::ts::string_literal(&name)
                )),
                TypeKind::Domain { base, .. } if usage == Use::Column => self.map(base, usage),
                _ => Ty::atom("unknown"),
            };
        }
        if self.included(&schema) {
            if self.snap.tables.contains_key(&key) {
                return Ty::atom(format!(
                    "Database[{}][\"Tables\"][{}][\"Row\"]",
                    super::ts::string_literal(&schema),
                    super::ts::string_literal(&name)
                ));
            }
            if self.snap.views.get(&key).is_some_and(|v| !v.materialized) {
                return Ty::atom(format!(
                    "Database[{}][\"Views\"][{}][\"Row\"]",
                    super::ts::string_literal(&schema),
                    super::ts::string_literal(&name)
                ));
            }
        }
        Ty::atom("unknown")
    }

    /// Whether a column of this type is NOT NULL through its domain.
    pub fn domain_not_null(&self, data_type: &str) -> bool {
        let t = PgType::parse(data_type);
        if t.dims > 0 {
            return false;
        }
        let (schema, name) = split_qualified(&t.base);
        let key = format!("{}.{}", unquote(schema), unquote(name));
        matches!(self.snap.types.get(&key).map(|t| &t.kind), Some(TypeKind::Domain { not_null: true, .. }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_type_spellings_parse() {
        assert_eq!(PgType::parse("character varying(20)[]"), PgType { base: "varchar".into(), dims: 1 });
        assert_eq!(PgType::parse("time(3) with time zone").base, "timetz");
        assert_eq!(PgType::parse("timestamp(3) without time zone").base, "timestamp");
        assert_eq!(PgType::parse("interval day to second").base, "interval");
        assert_eq!(PgType::parse("numeric(10,2)").base, "numeric");
        assert_eq!(PgType::parse("public.mood[][]"), PgType { base: "public.mood".into(), dims: 2 });
        assert_eq!(PgType::parse("\"char\"").base, "char");
        assert_eq!(split_qualified("\"a.b\".\"c\""), ("\"a.b\"", "\"c\""));
    }
}
