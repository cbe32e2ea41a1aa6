//! Names and types: reading pg_query name lists, quoting like `quote_ident`, and printing types
//! the way PostgreSQL's `format_type` does, so the model compares equal with the catalog.

use pg_query::protobuf::{self, a_const::Val, node::Node as N};

pub fn str_of(n: &protobuf::Node) -> Option<&str> {
    match n.node.as_ref()? {
        N::String(s) => Some(&s.sval),
        _ => None,
    }
}

pub fn strings(list: &[protobuf::Node]) -> Vec<String> {
    list.iter().filter_map(|n| str_of(n).map(str::to_string)).collect()
}

/// `quote_ident`: the name as PostgreSQL's `quote_identifier` prints it.
pub fn quote_ident(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 2);
    super::format::push_ident(&mut out, name);
    out
}

pub fn qualified_ident(schema: &str, name: &str) -> String {
    format!("{}.{}", quote_ident(schema), quote_ident(name))
}

fn typmod_values(t: &protobuf::TypeName) -> Vec<String> {
    t.typmods
        .iter()
        .filter_map(|m| match m.node.as_ref()? {
            N::AConst(c) => match c.val.as_ref()? {
                Val::Ival(i) => Some(i.ival.to_string()),
                Val::Fval(f) => Some(f.fval.clone()),
                Val::Sval(s) => Some(s.sval.clone()),
                _ => None,
            },
            N::ColumnRef(_) => None,
            _ => None,
        })
        .collect()
}

/// Interval field masks from PostgreSQL's datetime.h, as the grammar stores them in typmods.
fn interval_fields(mask: i64) -> Option<&'static str> {
    const YEAR: i64 = 1 << 2;
    const MONTH: i64 = 1 << 1;
    const DAY: i64 = 1 << 3;
    const HOUR: i64 = 1 << 10;
    const MINUTE: i64 = 1 << 11;
    const SECOND: i64 = 1 << 12;
    Some(match mask {
        m if m == YEAR => " year",
        m if m == MONTH => " month",
        m if m == DAY => " day",
        m if m == HOUR => " hour",
        m if m == MINUTE => " minute",
        m if m == SECOND => " second",
        m if m == YEAR | MONTH => " year to month",
        m if m == DAY | HOUR => " day to hour",
        m if m == DAY | HOUR | MINUTE => " day to minute",
        m if m == DAY | HOUR | MINUTE | SECOND => " day to second",
        m if m == HOUR | MINUTE => " hour to minute",
        m if m == HOUR | MINUTE | SECOND => " hour to second",
        m if m == MINUTE | SECOND => " minute to second",
        _ => return None,
    })
}

/// Prints a type as `format_type(oid, typmod)` would with `search_path = pg_catalog`: built-in
/// types by their SQL names, everything else schema-qualified as written.
pub fn format_type(t: &protobuf::TypeName) -> String {
    format_type_with(t, typmod_values(t))
}

/// A type as routine signatures show it: PostgreSQL drops typmods of arguments and results
/// (`varchar(10)` is stored as `character varying`, `char` as `character`).
pub fn format_type_no_typmod(t: &protobuf::TypeName) -> String {
    let s = format_type_with(t, Vec::new());
    if s == "bpchar" {
        "character".into()
    } else if s == "bpchar[]" {
        "character[]".into()
    } else {
        s
    }
}

fn format_type_with(t: &protobuf::TypeName, mods: Vec<String>) -> String {
    // Borrowed, not `strings`: every column of every table comes through here.
    let mut names = t.names.iter().filter_map(str_of);
    let (schema, name) = match (names.next(), names.next(), names.next(), names.next()) {
        (Some(n), None, _, _) => (None, n),
        (Some(s), Some(n), None, _) => (Some(s), n),
        (Some(_), Some(s), Some(n), None) => (Some(s), n),
        _ => (None, "?"),
    };
    let builtin = schema.is_none_or(|s| s == "pg_catalog");
    let args = if mods.is_empty() { String::new() } else { format!("({})", mods.join(",")) };
    let base = if builtin {
        builtin_type(name, &mods, &args).unwrap_or_else(|| match schema {
            Some(s) if s != "pg_catalog" => format!("{}{args}", qualified_ident(s, name)),
            _ => format!("{}{args}", quote_ident(name)),
        })
    } else {
        format!("{}{args}", qualified_ident(schema.unwrap_or_default(), name))
    };
    let mut out = base;
    if t.pct_type {
        out.push_str("%TYPE");
    }
    if !t.array_bounds.is_empty() {
        out.push_str("[]");
    }
    out
}

fn builtin_type(name: &str, mods: &[String], args: &str) -> Option<String> {
    let with_tz = |tz: &str| -> String {
        let p = mods.first().map(|p| format!("({p})")).unwrap_or_default();
        format!("{}{p} {tz} time zone", if name.starts_with("timestamp") { "timestamp" } else { "time" })
    };
    Some(match name {
        "int4" | "integer" | "int" => "integer".into(),
        "int8" | "bigint" => "bigint".into(),
        "int2" | "smallint" => "smallint".into(),
        "float4" | "real" => "real".into(),
        "float8" | "double precision" => "double precision".into(),
        "bool" | "boolean" => "boolean".into(),
        "varchar" => format!("character varying{args}"),
        "bpchar" => {
            if mods.is_empty() {
                "bpchar".into()
            } else {
                format!("character{args}")
            }
        }
        "char" => "\"char\"".into(),
        "numeric" | "decimal" => format!("numeric{args}"),
        "timestamptz" => with_tz("with"),
        "timestamp" => with_tz("without"),
        "timetz" => with_tz("with"),
        "time" => with_tz("without"),
        "interval" => {
            // typmods: [fields mask, precision?]
            let fields = mods.first().and_then(|m| m.parse::<i64>().ok()).filter(|&m| m != 0x7FFF);
            let mut s = "interval".to_string();
            if let Some(f) = fields.and_then(interval_fields) {
                s.push_str(f);
            }
            if let Some(p) = mods.get(1) {
                s.push_str(&format!("({p})"));
            }
            s
        }
        "bit" => format!("bit{args}"),
        "varbit" => format!("bit varying{args}"),
        "text" | "uuid" | "json" | "jsonb" | "date" | "bytea" | "inet" | "cidr" | "macaddr" | "macaddr8" | "money" | "xml" | "oid"
        | "tsvector" | "tsquery" | "point" | "line" | "lseg" | "box" | "path" | "polygon" | "circle" | "regclass" | "regproc"
        | "regtype" | "name" | "void" | "trigger" | "event_trigger" | "record" | "anyelement" | "anyarray" | "int4range" | "int8range"
        | "numrange" | "tsrange" | "tstzrange" | "daterange" | "int4multirange" | "int8multirange" | "nummultirange" | "tsmultirange"
        | "tstzmultirange" | "datemultirange" | "jsonpath" | "pg_lsn" | "txid_snapshot" | "pg_snapshot" | "xid" | "xid8" | "cid"
        | "tid" | "regnamespace" | "regrole" | "regconfig" | "regdictionary" | "regoper" | "regoperator" | "regprocedure"
        | "regcollation" | "anynonarray" | "anyenum" | "anyrange" | "anymultirange" | "anycompatible" | "anycompatiblearray"
        | "internal" | "cstring" | "language_handler" | "fdw_handler" | "index_am_handler" | "table_am_handler" | "tsm_handler"
        | "unknown" | "aclitem" | "refcursor" => [name, args].concat(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(sql_type: &str) -> String {
        let stmts = crate::parse::parse_sql(&format!("CREATE TABLE t (c {sql_type})")).unwrap();
        let Some(N::CreateStmt(c)) = stmts[0].stmt.as_ref().and_then(|s| s.node.as_ref()) else { panic!() };
        let Some(N::ColumnDef(col)) = c.table_elts[0].node.as_ref() else { panic!() };
        format_type(col.type_name.as_ref().unwrap())
    }

    #[test]
    fn formats_like_format_type() {
        for (input, want) in [
            ("int", "integer"),
            ("integer[]", "integer[]"),
            ("int[][]", "integer[]"),
            ("bigint", "bigint"),
            ("varchar(255)", "character varying(255)"),
            ("character varying", "character varying"),
            ("char(3)", "character(3)"),
            ("numeric(10,2)", "numeric(10,2)"),
            ("timestamptz", "timestamp with time zone"),
            ("timestamp(3) without time zone", "timestamp(3) without time zone"),
            ("time with time zone", "time with time zone"),
            ("double precision", "double precision"),
            ("bool", "boolean"),
            ("public.my_enum", "public.my_enum"),
            ("\"My Schema\".\"T\"", "\"My Schema\".\"T\""),
            ("interval day to second(3)", "interval day to second(3)"),
            ("interval", "interval"),
            ("bit varying(4)", "bit varying(4)"),
            ("pg_catalog.\"char\"", "\"char\""),
            ("extensions.citext", "extensions.citext"),
            ("uuid", "uuid"),
        ] {
            assert_eq!(ty(input), want, "{input}");
        }
    }
}
