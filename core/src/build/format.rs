//! Canonical text of common definitions printed in Rust, byte for byte as pg_query's deparser
//! (`postgres_deparse.c`) prints the same tree, without its protobuf round trip.
//!
//! Every function returns `None` when the tree has anything it does not print itself; the caller
//! then deparses. The `tests` module checks both paths agree on every constraint and index of
//! the corpus and fixtures.

use pg_query::protobuf::{self, node::Node as N, ConstrType as Ct};

/// Keywords `quote_identifier` quotes: every keyword but the unreserved ones (pg_query's
/// `kwlist.h`, in byte order for `binary_search`).
const QUOTED_KEYWORDS: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "json",
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "merge_action",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

/// PostgreSQL's `quote_identifier` (ruleutils.c), which the deparser uses for every name.
pub fn push_ident(out: &mut String, ident: &str) {
    // Every name printed comes through here: one table lookup per byte.
    const SAFE: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            t[b] = c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_';
            b += 1;
        }
        t
    };
    let safe = ident.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && ident.bytes().all(|b| SAFE[b as usize])
        && !is_quoted_keyword(ident);
    if safe {
        out.push_str(ident);
    } else {
        out.push('"');
        for ch in ident.chars() {
            if ch == '"' {
                out.push('"');
            }
            out.push(ch);
        }
        out.push('"');
    }
}

/// Whether `ident` is in [`QUOTED_KEYWORDS`]. Every name printed goes through here: the search
/// compares bytes inline rather than through `memcmp`, a byte-at-a-time call in the wasm build.
fn is_quoted_keyword(ident: &str) -> bool {
    let ident = ident.as_bytes();
    if !(2..=17).contains(&ident.len()) || !ident[0].is_ascii_lowercase() {
        return false;
    }
    let (from, to) = KEYWORDS_BY_INITIAL[(ident[0] - b'a') as usize];
    QUOTED_KEYWORDS[from as usize..to as usize]
        .binary_search_by(|k| {
            let k = k.as_bytes();
            k.iter().zip(ident).find(|(a, b)| a != b).map_or_else(|| k.len().cmp(&ident.len()), |(a, b)| a.cmp(b))
        })
        .is_ok()
}

/// For each initial `a`..`z`, the range of [`QUOTED_KEYWORDS`] that starts with it.
const KEYWORDS_BY_INITIAL: [(u8, u8); 26] = {
    let mut ranges = [(0u8, 0u8); 26];
    let mut i = 0;
    while i < QUOTED_KEYWORDS.len() {
        let initial = (QUOTED_KEYWORDS[i].as_bytes()[0] - b'a') as usize;
        if ranges[initial].1 == 0 {
            ranges[initial].0 = i as u8;
        }
        ranges[initial].1 = i as u8 + 1;
        i += 1;
    }
    ranges
};

/// `deparseColumnList`: quoted names joined by `, `; `None` if an item is not a String.
fn push_column_list(out: &mut String, cols: &[protobuf::Node]) -> Option<()> {
    for (i, c) in cols.iter().enumerate() {
        let Some(N::String(s)) = c.node.as_ref() else {
            return None;
        };
        if i > 0 {
            out.push_str(", ");
        }
        push_ident(out, &s.sval);
    }
    Some(())
}

/// `deparseRangeVar` without alias.
fn push_range_var(out: &mut String, r: &protobuf::RangeVar) -> Option<()> {
    if r.alias.is_some() || r.relname.is_empty() {
        return None;
    }
    if !r.inh {
        out.push_str("ONLY ");
    }
    for part in [&r.catalogname, &r.schemaname] {
        if !part.is_empty() {
            push_ident(out, part);
            out.push('.');
        }
    }
    push_ident(out, &r.relname);
    Some(())
}

/// A constraint as `deparseConstraint` prints it (the text after `ALTER TABLE x ADD `), for
/// PRIMARY KEY, UNIQUE, FOREIGN KEY and CHECK. `check` is the expression of a CHECK as
/// `canon::expr` printed it (the deparser prints it the same way in both places).
/// The name is printed only `with_name`.
pub fn constraint(c: &protobuf::Constraint, check: Option<&str>, with_name: bool) -> Option<String> {
    let kind = Ct::try_from(c.contype).ok()?;
    if !matches!(kind, Ct::ConstrPrimary | Ct::ConstrUnique | Ct::ConstrForeign | Ct::ConstrCheck)
        || c.without_overlaps
        || c.fk_with_period
        || c.pk_with_period
        || !c.exclusions.is_empty()
        || !c.options.is_empty()
        || !c.fk_del_set_cols.is_empty()
        || c.where_clause.is_some()
        || (kind == Ct::ConstrCheck) != c.raw_expr.is_some()
        || (kind == Ct::ConstrCheck && !c.keys.is_empty())
        || !matches!(c.fk_matchtype.as_str(), "" | "s" | "f")
    {
        return None;
    }
    let mut out = String::with_capacity(64);
    if with_name && !c.conname.is_empty() {
        out.push_str("CONSTRAINT ");
        push_ident(&mut out, &c.conname);
        out.push(' ');
    }
    match kind {
        Ct::ConstrPrimary => out.push_str("PRIMARY KEY "),
        Ct::ConstrUnique => out.push_str(if c.nulls_not_distinct { "UNIQUE NULLS NOT DISTINCT " } else { "UNIQUE " }),
        Ct::ConstrForeign if !c.fk_attrs.is_empty() => out.push_str("FOREIGN KEY "),
        Ct::ConstrCheck => {
            out.push_str("CHECK (");
            out.push_str(check?);
            out.push_str(") ");
        }
        _ => {}
    }
    if !c.keys.is_empty() {
        out.push('(');
        push_column_list(&mut out, &c.keys)?;
        out.push_str(") ");
    }
    if !c.fk_attrs.is_empty() {
        out.push('(');
        push_column_list(&mut out, &c.fk_attrs)?;
        out.push_str(") ");
    }
    if let Some(pk) = &c.pktable {
        out.push_str("REFERENCES ");
        push_range_var(&mut out, pk)?;
        out.push(' ');
        if !c.pk_attrs.is_empty() {
            out.push('(');
            push_column_list(&mut out, &c.pk_attrs)?;
            out.push_str(") ");
        }
    }
    if c.fk_matchtype == "f" {
        out.push_str("MATCH FULL ");
    }
    out.push_str(match c.fk_upd_action.as_str() {
        "r" => "ON UPDATE RESTRICT ",
        "c" => "ON UPDATE CASCADE ",
        "n" => "ON UPDATE SET NULL ",
        "d" => "ON UPDATE SET DEFAULT ",
        _ => "",
    });
    out.push_str(match c.fk_del_action.as_str() {
        "r" => "ON DELETE RESTRICT ",
        "c" => "ON DELETE CASCADE ",
        "n" => "ON DELETE SET NULL ",
        "d" => "ON DELETE SET DEFAULT ",
        _ => "",
    });
    if !c.including.is_empty() {
        out.push_str("INCLUDE (");
        push_column_list(&mut out, &c.including)?;
        out.push_str(") ");
    }
    if !c.indexname.is_empty() {
        out.push_str("USING INDEX ");
        push_ident(&mut out, &c.indexname);
        out.push(' ');
    }
    if !c.indexspace.is_empty() {
        out.push_str("USING INDEX TABLESPACE ");
        push_ident(&mut out, &c.indexspace);
        out.push(' ');
    }
    push_deferral(&mut out, c.deferrable, c.initdeferred);
    if c.is_no_inherit {
        out.push_str("NO INHERIT ");
    }
    if matches!(kind, Ct::ConstrForeign | Ct::ConstrCheck) && !c.is_enforced {
        out.push_str("NOT ENFORCED ");
    }
    if c.skip_validation {
        out.push_str("NOT VALID ");
    }
    out.truncate(out.trim_end_matches(' ').len());
    Some(out)
}

/// How `deparseIndexElem` prints an expression: `Some(true)` bare (function calls that are
/// `c_expr`s), `Some(false)` in parentheses, `None` for XML nodes (left to the deparser).
fn bare_in_index(e: &protobuf::Node) -> Option<bool> {
    match e.node.as_ref()? {
        N::XmlExpr(_) | N::XmlSerialize(_) => None,
        N::FuncCall(_) | N::SqlvalueFunction(_) | N::CoalesceExpr(_) | N::MinMaxExpr(_) => Some(!needs_parens_as_c(e)),
        _ => Some(false),
    }
}

/// `CREATE INDEX` as `deparseIndexStmt` prints it, named `name`. `exprs[i]` is the canonical
/// text of the i-th key's expression (if it has one) and `predicate` that of the WHERE clause,
/// both as `canon::expr` printed them.
pub fn index(s: &protobuf::IndexStmt, name: &str, exprs: &[Option<&str>], predicate: Option<&str>) -> Option<String> {
    if !s.exclude_op_names.is_empty() || s.where_clause.is_some() != predicate.is_some() {
        return None;
    }
    let mut out = String::with_capacity(96);
    out.push_str(if s.unique { "CREATE UNIQUE INDEX " } else { "CREATE INDEX " });
    if s.concurrent {
        out.push_str("CONCURRENTLY ");
    }
    if s.if_not_exists {
        out.push_str("IF NOT EXISTS ");
    }
    if !name.is_empty() {
        push_ident(&mut out, name);
        out.push(' ');
    }
    out.push_str("ON ");
    push_range_var(&mut out, s.relation.as_ref()?)?;
    out.push(' ');
    if !s.access_method.is_empty() {
        out.push_str("USING ");
        push_ident(&mut out, &s.access_method);
        out.push(' ');
    }
    out.push('(');
    let mut exprs = exprs.iter();
    for (i, p) in s.index_params.iter().enumerate() {
        let Some(N::IndexElem(e)) = p.node.as_ref() else {
            return None;
        };
        if i > 0 {
            out.push_str(", ");
        }
        let text = exprs.next().copied().flatten();
        index_elem(&mut out, e, text)?;
    }
    out.push_str(") ");
    if !s.index_including_params.is_empty() {
        out.push_str("INCLUDE (");
        for (i, p) in s.index_including_params.iter().enumerate() {
            let Some(N::IndexElem(e)) = p.node.as_ref() else {
                return None;
            };
            if i > 0 {
                out.push_str(", ");
            }
            index_elem(&mut out, e, None)?;
        }
        out.push_str(") ");
    }
    if s.nulls_not_distinct {
        out.push_str("NULLS NOT DISTINCT ");
    }
    if !s.options.is_empty() {
        out.push_str("WITH (");
        push_rel_options(&mut out, &s.options)?;
        out.push_str(") ");
    }
    if !s.table_space.is_empty() {
        out.push_str("TABLESPACE ");
        push_ident(&mut out, &s.table_space);
        out.push(' ');
    }
    if let Some(p) = predicate {
        out.truncate(out.trim_end_matches(' ').len());
        out.push_str(" WHERE ");
        out.push_str(p);
    }
    out.truncate(out.trim_end_matches(' ').len());
    Some(out)
}

/// `deparseRelOptions` inside its parentheses: `name=value` items whose values are numbers or
/// strings (`deparseDefArg`); anything else is left to the deparser.
fn push_rel_options(out: &mut String, options: &[protobuf::Node]) -> Option<()> {
    for (i, o) in options.iter().enumerate() {
        let Some(N::DefElem(d)) = o.node.as_ref() else {
            return None;
        };
        if i > 0 {
            out.push_str(", ");
        }
        if !d.defnamespace.is_empty() {
            push_ident(out, &d.defnamespace);
            out.push('.');
        }
        if !d.defname.is_empty() {
            push_ident(out, &d.defname);
        }
        let Some(arg) = d.arg.as_deref() else {
            continue;
        };
        if !d.defname.is_empty() {
            out.push('=');
        }
        match arg.node.as_ref()? {
            N::Integer(v) => out.push_str(&v.ival.to_string()),
            N::Float(v) => out.push_str(&v.fval),
            N::String(v) => match v.sval.as_str() {
                "none" => out.push_str("NONE"),
                // The only reserved keywords (`isReservedKeyword`) a value is likely to be; other
                // keywords' categories are not listed here.
                "true" | "false" => out.push_str(&v.sval),
                other if is_quoted_keyword(other) => return None,
                other => push_string_literal(out, other),
            },
            _ => return None,
        }
    }
    Some(())
}

/// `deparseIndexElem` for a column or an expression (given as its canonical text), with
/// collation and operator class (without options); no `USING` ordering.
fn index_elem(out: &mut String, e: &protobuf::IndexElem, expr: Option<&str>) -> Option<()> {
    use protobuf::{SortByDir as D, SortByNulls as Nl};
    if !e.opclassopts.is_empty() {
        return None;
    }
    if !e.name.is_empty() {
        push_ident(out, &e.name);
    } else if bare_in_index(e.expr.as_deref()?)? {
        out.push_str(expr?);
    } else {
        out.push('(');
        out.push_str(expr?);
        out.push(')');
    }
    if !e.collation.is_empty() {
        out.push_str(" COLLATE ");
        push_any_name(out, &e.collation)?;
    }
    if !e.opclass.is_empty() {
        out.push(' ');
        push_any_name(out, &e.opclass)?;
    }
    match D::try_from(e.ordering).ok()? {
        D::SortbyDefault => {}
        D::SortbyAsc => out.push_str(" ASC"),
        D::SortbyDesc => out.push_str(" DESC"),
        _ => return None,
    }
    match Nl::try_from(e.nulls_ordering).ok()? {
        Nl::SortbyNullsDefault => {}
        Nl::SortbyNullsFirst => out.push_str(" NULLS FIRST"),
        Nl::SortbyNullsLast => out.push_str(" NULLS LAST"),
        _ => return None,
    }
    Some(())
}

/// `deparsePartitionBoundSpec`: the bound of `PARTITION OF` or `ATTACH PARTITION` (`DEFAULT`,
/// `FOR VALUES IN (...)`, `FOR VALUES FROM (...) TO (...)`, `FOR VALUES WITH (...)`).
pub fn partition_bound(b: &protobuf::PartitionBoundSpec) -> Option<String> {
    if b.is_default {
        return Some("DEFAULT".to_string());
    }
    let mut out = String::with_capacity(48);
    out.push_str("FOR VALUES ");
    match b.strategy.as_str() {
        "h" => {
            out.push_str("WITH (MODULUS ");
            out.push_str(&b.modulus.to_string());
            out.push_str(", REMAINDER ");
            out.push_str(&b.remainder.to_string());
            out.push(')');
        }
        "l" => {
            out.push_str("IN (");
            push_expr_list(&mut out, &b.listdatums, 0)?;
            out.push(')');
        }
        "r" => {
            out.push_str("FROM (");
            push_expr_list(&mut out, &b.lowerdatums, 0)?;
            out.push_str(") TO (");
            push_expr_list(&mut out, &b.upperdatums, 0)?;
            out.push(')');
        }
        _ => return None,
    }
    Some(out)
}

/// `deparsePartitionSpec` after its `PARTITION BY`: `RANGE (created_at)`.
pub fn partition_by(s: &protobuf::PartitionSpec) -> Option<String> {
    use protobuf::PartitionStrategy as S;
    let mut out = String::with_capacity(32);
    out.push_str(match S::try_from(s.strategy).ok()? {
        S::List => "LIST (",
        S::Hash => "HASH (",
        S::Range => "RANGE (",
        S::Undefined => return None,
    });
    for (i, p) in s.part_params.iter().enumerate() {
        let Some(N::PartitionElem(e)) = p.node.as_ref() else {
            return None;
        };
        if i > 0 {
            out.push_str(", ");
        }
        // `deparsePartitionElem`: each part ends in a space that the next part or the final
        // `removeTrailingSpace` takes away.
        let start = out.len();
        if !e.name.is_empty() {
            push_ident(&mut out, &e.name);
            out.push(' ');
        } else if let Some(x) = e.expr.as_deref() {
            out.push('(');
            push_expr(&mut out, x, Ctx::A, 0)?;
            out.push_str(") ");
        }
        if !e.collation.is_empty() {
            out.push_str("COLLATE ");
            push_any_name(&mut out, &e.collation)?;
            out.push(' ');
        }
        push_any_name(&mut out, &e.opclass)?;
        out.truncate(out.trim_end_matches(' ').len());
        if out.len() <= start {
            return None;
        }
    }
    out.push(')');
    Some(out)
}

/// The bits of `CreateTrigStmt.timing` and `.events` (pg_trigger.h's `TRIGGER_TYPE_*`).
pub(crate) mod trigger_type {
    pub const BEFORE: i32 = 1 << 1;
    pub const INSERT: i32 = 1 << 2;
    pub const DELETE: i32 = 1 << 3;
    pub const UPDATE: i32 = 1 << 4;
    pub const TRUNCATE: i32 = 1 << 5;
    pub const INSTEAD: i32 = 1 << 6;
}

/// `DEFERRABLE ` and `INITIALLY DEFERRED `, as constraints and constraint triggers print them.
fn push_deferral(out: &mut String, deferrable: bool, initially_deferred: bool) {
    if deferrable {
        out.push_str("DEFERRABLE ");
    }
    if initially_deferred {
        out.push_str("INITIALLY DEFERRED ");
    }
}

/// `deparseCreateTrigStmt`. `when` is the WHEN condition as `canon::expr` printed it.
pub fn trigger(s: &protobuf::CreateTrigStmt, when: Option<&str>) -> Option<String> {
    use trigger_type::*;
    if s.constrrel.is_some() || s.when_clause.is_some() != when.is_some() {
        return None;
    }
    let mut out = String::with_capacity(128);
    out.push_str("CREATE ");
    if s.replace {
        out.push_str("OR REPLACE ");
    }
    if s.isconstraint {
        out.push_str("CONSTRAINT ");
    }
    out.push_str("TRIGGER ");
    push_ident(&mut out, &s.trigname);
    out.push_str(match s.timing {
        BEFORE => " BEFORE ",
        0 => " AFTER ",
        INSTEAD => " INSTEAD OF ",
        _ => return None,
    });
    let mut or = "";
    for (bit, event) in [(INSERT, "INSERT "), (DELETE, "DELETE "), (UPDATE, "UPDATE "), (TRUNCATE, "TRUNCATE ")] {
        if s.events & bit == 0 {
            continue;
        }
        out.push_str(or);
        out.push_str(event);
        if bit == UPDATE && !s.columns.is_empty() {
            out.push_str("OF ");
            push_column_list(&mut out, &s.columns)?;
            out.push(' ');
        }
        or = "OR ";
    }
    out.push_str("ON ");
    push_range_var(&mut out, s.relation.as_ref()?)?;
    out.push(' ');
    if !s.transition_rels.is_empty() {
        out.push_str("REFERENCING ");
        for t in &s.transition_rels {
            let Some(N::TriggerTransition(t)) = t.node.as_ref() else {
                return None;
            };
            out.push_str(if t.is_new { "NEW " } else { "OLD " });
            out.push_str(if t.is_table { "TABLE " } else { "ROW " });
            push_ident(&mut out, &t.name);
            out.push(' ');
        }
    }
    push_deferral(&mut out, s.deferrable, s.initdeferred);
    if s.row {
        out.push_str("FOR EACH ROW ");
    }
    if let Some(w) = when {
        out.push_str("WHEN (");
        out.push_str(w);
        out.push_str(") ");
    }
    out.push_str("EXECUTE FUNCTION ");
    push_any_name(&mut out, &s.funcname)?;
    out.push('(');
    for (i, a) in s.args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_string_literal(&mut out, str_of(a)?);
    }
    out.push(')');
    Some(out)
}

/// An expression as the deparser prints it as the single target of a SELECT (`canon::expr`):
/// `deparseExpr` in an `a_expr` context, for columns, constants, casts, operators (`A_Expr`),
/// AND/OR/NOT, IS [NOT] NULL, IS [NOT] TRUE/FALSE/UNKNOWN, plain function calls, ARRAY[...],
/// COALESCE/GREATEST/LEAST, NULLIF and COLLATE, parenthesised exactly as the deparser's
/// precedence rules (`needsParensForPrecedence`, `needsParensAsBExpr`) do.
pub fn expr(e: &protobuf::Node) -> Option<String> {
    let mut out = String::with_capacity(32);
    push_expr(&mut out, e, Ctx::A, 0)?;
    Some(out)
}

/// Nesting beyond this is left to the deparser (it keeps the Rust recursion shallow).
const MAX_DEPTH: usize = 64;

/// The `DeparseNodeContext` that changes output: `b_expr` operands get parentheses where an
/// `a_expr` would not (`DEPARSE_NODE_CONTEXT_NONE` prints as `A`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    A,
    B,
}

/// `DeparseExprPrec`, lowest to highest.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Or,
    And,
    Not,
    Is,
    Comparison,
    Between,
    Op,
    Add,
    Mul,
    Exp,
    At,
    Collate,
    Uminus,
    Atom,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Right,
}

fn str_of(n: &protobuf::Node) -> Option<&str> {
    match n.node.as_ref() {
        Some(N::String(s)) => Some(s.sval.as_str()),
        _ => None,
    }
}

/// The single name of a one-element operator name list.
fn single_op(name: &[protobuf::Node]) -> Option<&str> {
    match name {
        [n] => str_of(n),
        _ => None,
    }
}

/// `getOperatorPrecedence`.
fn operator_prec(name: &[protobuf::Node]) -> Prec {
    match single_op(name) {
        Some("+" | "-") => Prec::Add,
        Some("*" | "/" | "%") => Prec::Mul,
        Some("^") => Prec::Exp,
        Some("<" | ">" | "=" | "<=" | ">=" | "<>" | "!=") => Prec::Comparison,
        _ => Prec::Op,
    }
}

/// `getSubqueryOperatorPrecedence`.
fn subquery_op_prec(name: &[protobuf::Node]) -> Prec {
    match single_op(name) {
        Some("~~" | "!~~" | "~~*" | "!~~*") => Prec::Between,
        _ => operator_prec(name),
    }
}

fn a_expr_kind(a: &protobuf::AExpr) -> Option<protobuf::AExprKind> {
    protobuf::AExprKind::try_from(a.kind).ok()
}

fn is_sql_syntax_call(f: &protobuf::FuncCall, name: &str) -> bool {
    f.funcformat == protobuf::CoercionForm::CoerceSqlSyntax as i32
        && f.funcname.len() == 2
        && str_of(&f.funcname[0]) == Some("pg_catalog")
        && str_of(&f.funcname[1]) == Some(name)
}

/// `getExprPrecedence`.
fn prec_of(e: &protobuf::Node) -> Prec {
    use protobuf::{AExprKind as K, BoolExprType as B, SubLinkType as S};
    match e.node.as_ref() {
        Some(N::AExpr(a)) => match a_expr_kind(a) {
            Some(K::AexprOp) => {
                let p = operator_prec(&a.name);
                if a.lexpr.is_none() {
                    if p == Prec::Add {
                        Prec::Uminus
                    } else {
                        Prec::Op
                    }
                } else {
                    p
                }
            }
            Some(K::AexprOpAny | K::AexprOpAll) => subquery_op_prec(&a.name).min(Prec::Op),
            Some(K::AexprDistinct | K::AexprNotDistinct) => Prec::Is,
            Some(K::AexprNullif) => Prec::Atom,
            _ => Prec::Between,
        },
        Some(N::BoolExpr(b)) => match B::try_from(b.boolop) {
            Ok(B::AndExpr) => Prec::And,
            Ok(B::NotExpr) => Prec::Not,
            _ => Prec::Or,
        },
        Some(N::NullTest(_) | N::BooleanTest(_) | N::JsonIsPredicate(_)) => Prec::Is,
        Some(N::CollateClause(_)) => Prec::Collate,
        Some(N::XmlExpr(x)) if x.op == protobuf::XmlExprOp::IsDocument as i32 => Prec::Is,
        Some(N::SubLink(s)) => match S::try_from(s.sub_link_type) {
            Ok(S::AnySublink) if s.oper_name.is_empty() => Prec::Between,
            Ok(S::AnySublink | S::AllSublink) => subquery_op_prec(&s.oper_name).min(Prec::Op),
            _ => Prec::Atom,
        },
        Some(N::FuncCall(f)) => {
            if is_sql_syntax_call(f, "timezone") && !f.args.is_empty() && f.args.len() <= 2 {
                Prec::At
            } else if is_sql_syntax_call(f, "is_normalized") {
                Prec::Is
            } else {
                Prec::Atom
            }
        }
        _ => Prec::Atom,
    }
}

/// `isSubqueryComparisonForm`.
fn is_subquery_comparison(e: &protobuf::Node) -> bool {
    use protobuf::{AExprKind as K, SubLinkType as S};
    match e.node.as_ref() {
        Some(N::AExpr(a)) => matches!(a_expr_kind(a), Some(K::AexprOpAny | K::AexprOpAll | K::AexprIn)),
        Some(N::SubLink(s)) => matches!(S::try_from(s.sub_link_type), Ok(S::AnySublink | S::AllSublink)),
        _ => false,
    }
}

/// `needsParensForPrecedence`.
fn needs_parens_for_prec(e: &protobuf::Node, parent: Prec, side: Side) -> bool {
    let p = prec_of(e);
    if side == Side::Left && is_subquery_comparison(e) && p == parent {
        return false;
    }
    if p != parent {
        return p < parent;
    }
    match parent {
        Prec::Is | Prec::Comparison | Prec::Between => true,
        Prec::Not | Prec::Uminus => false,
        _ => side == Side::Right,
    }
}

/// `needsParensAsBExpr`.
fn needs_parens_as_b(e: &protobuf::Node) -> bool {
    use protobuf::AExprKind as K;
    match e.node.as_ref() {
        None => false,
        Some(N::AExpr(a)) => !matches!(a_expr_kind(a), Some(K::AexprOp | K::AexprDistinct | K::AexprNotDistinct | K::AexprNullif)),
        Some(N::XmlExpr(x)) if x.op == protobuf::XmlExprOp::IsDocument as i32 => false,
        Some(N::FuncCall(f)) if is_sql_syntax_call(f, "overlaps") && f.args.len() == 4 => true,
        _ => prec_of(e) != Prec::Atom,
    }
}

/// `needsParensAsCExpr`.
fn needs_parens_as_c(e: &protobuf::Node) -> bool {
    prec_of(e) != Prec::Atom || needs_parens_as_b(e)
}

/// `deparseExprOperand`.
fn push_operand(out: &mut String, e: &protobuf::Node, parent: Prec, side: Side, ctx: Ctx, depth: usize) -> Option<()> {
    let parens = needs_parens_for_prec(e, parent, side) || (ctx == Ctx::B && needs_parens_as_b(e));
    if parens {
        out.push('(');
        push_expr(out, e, Ctx::A, depth)?;
        out.push(')');
        Some(())
    } else {
        push_expr(out, e, ctx, depth)
    }
}

/// `deparseExpr` for the node types printed here.
fn push_expr(out: &mut String, e: &protobuf::Node, ctx: Ctx, depth: usize) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    let depth = depth + 1;
    match e.node.as_ref()? {
        N::ColumnRef(c) => push_column_ref(out, c),
        N::AConst(c) => push_const(out, c),
        N::TypeCast(t) => push_cast(out, t, depth),
        N::AExpr(a) => push_a_expr(out, a, ctx, depth),
        N::BoolExpr(b) => push_bool_expr(out, b, depth),
        N::NullTest(t) => {
            if t.argisrow {
                return None;
            }
            push_operand(out, t.arg.as_deref()?, Prec::Is, Side::Left, Ctx::A, depth)?;
            out.push_str(match protobuf::NullTestType::try_from(t.nulltesttype).ok()? {
                protobuf::NullTestType::IsNull => " IS NULL",
                protobuf::NullTestType::IsNotNull => " IS NOT NULL",
                _ => return None,
            });
            Some(())
        }
        N::BooleanTest(t) => {
            use protobuf::BoolTestType as T;
            push_operand(out, t.arg.as_deref()?, Prec::Is, Side::Left, Ctx::A, depth)?;
            out.push_str(match T::try_from(t.booltesttype).ok()? {
                T::IsTrue => " IS TRUE",
                T::IsNotTrue => " IS NOT TRUE",
                T::IsFalse => " IS FALSE",
                T::IsNotFalse => " IS NOT FALSE",
                T::IsUnknown => " IS UNKNOWN",
                T::IsNotUnknown => " IS NOT UNKNOWN",
                _ => return None,
            });
            Some(())
        }
        N::FuncCall(f) => push_func_call(out, f, depth),
        N::AArrayExpr(a) => {
            out.push_str("ARRAY[");
            push_expr_list(out, &a.elements, depth)?;
            out.push(']');
            Some(())
        }
        N::CoalesceExpr(c) => {
            out.push_str("COALESCE(");
            push_expr_list(out, &c.args, depth)?;
            out.push(')');
            Some(())
        }
        N::MinMaxExpr(m) => {
            out.push_str(match protobuf::MinMaxOp::try_from(m.op).ok()? {
                protobuf::MinMaxOp::IsGreatest => "GREATEST(",
                protobuf::MinMaxOp::IsLeast => "LEAST(",
                _ => return None,
            });
            push_expr_list(out, &m.args, depth)?;
            out.push(')');
            Some(())
        }
        N::SqlvalueFunction(f) => {
            use protobuf::SqlValueFunctionOp as O;
            out.push_str(match O::try_from(f.op).ok()? {
                O::SvfopCurrentDate => "current_date",
                O::SvfopCurrentTime | O::SvfopCurrentTimeN => "current_time",
                O::SvfopCurrentTimestamp | O::SvfopCurrentTimestampN => "current_timestamp",
                O::SvfopLocaltime | O::SvfopLocaltimeN => "localtime",
                O::SvfopLocaltimestamp | O::SvfopLocaltimestampN => "localtimestamp",
                O::SvfopCurrentRole => "current_role",
                O::SvfopCurrentUser => "current_user",
                O::SvfopUser => "user",
                O::SvfopSessionUser => "session_user",
                O::SvfopCurrentCatalog => "current_catalog",
                O::SvfopCurrentSchema => "current_schema",
                _ => return None,
            });
            if f.typmod != -1 {
                out.push('(');
                out.push_str(&f.typmod.to_string());
                out.push(')');
            }
            Some(())
        }
        N::AIndirection(a) => push_indirection(out, a, depth),
        N::CollateClause(c) => {
            if c.collname.is_empty() {
                return None;
            }
            if let Some(arg) = c.arg.as_deref() {
                push_operand(out, arg, Prec::Collate, Side::Left, Ctx::A, depth)?;
                out.push(' ');
            }
            out.push_str("COLLATE ");
            push_any_name(out, &c.collname)
        }
        _ => None,
    }
}

/// `deparseExprList`: `a_expr`s joined by `, `.
fn push_expr_list(out: &mut String, items: &[protobuf::Node], depth: usize) -> Option<()> {
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_expr(out, x, Ctx::A, depth)?;
    }
    Some(())
}

/// `deparseAnyName`: quoted names joined by `.`.
fn push_any_name(out: &mut String, names: &[protobuf::Node]) -> Option<()> {
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        push_ident(out, str_of(n)?);
    }
    Some(())
}

/// `deparseColumnRef`: names (and `*`) joined by `.`; subscripts are left to the deparser.
fn push_column_ref(out: &mut String, c: &protobuf::ColumnRef) -> Option<()> {
    if c.fields.is_empty() {
        return None;
    }
    for (i, f) in c.fields.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        match f.node.as_ref()? {
            N::String(s) => push_ident(out, &s.sval),
            N::AStar(_) => out.push('*'),
            _ => return None,
        }
    }
    Some(())
}

/// `deparseAIndirection`: subscripts of a column directly after it, anything else in
/// parentheses (parameters and sub-selects are left to the deparser).
fn push_indirection(out: &mut String, a: &protobuf::AIndirection, depth: usize) -> Option<()> {
    let arg = a.arg.as_deref()?;
    let first = a.indirection.first()?;
    let parens = !matches!((arg.node.as_ref()?, first.node.as_ref()?), (N::ColumnRef(_), N::AIndices(_)));
    if matches!(arg.node.as_ref()?, N::ParamRef(_) | N::SubLink(_)) {
        return None;
    }
    if parens {
        out.push('(');
    }
    push_expr(out, arg, Ctx::A, depth)?;
    if parens {
        out.push(')');
    }
    for i in &a.indirection {
        match i.node.as_ref()? {
            N::String(s) => {
                out.push('.');
                push_ident(out, &s.sval);
            }
            N::AStar(_) => out.push_str(".*"),
            N::AIndices(x) => {
                out.push('[');
                if let Some(l) = x.lidx.as_deref() {
                    push_expr(out, l, Ctx::A, depth)?;
                }
                if x.is_slice {
                    out.push(':');
                }
                if let Some(u) = x.uidx.as_deref() {
                    push_expr(out, u, Ctx::A, depth)?;
                }
                out.push(']');
            }
            _ => return None,
        }
    }
    Some(())
}

/// `deparseQualOp`.
fn push_qual_op(out: &mut String, name: &[protobuf::Node]) -> Option<()> {
    match name {
        [n] if is_op(str_of(n)?) => out.push_str(str_of(n)?),
        _ => {
            out.push_str("OPERATOR(");
            push_any_operator(out, name)?;
            out.push(')');
        }
    }
    Some(())
}

/// `deparseSubqueryOp`.
fn push_subquery_op(out: &mut String, name: &[protobuf::Node]) -> Option<()> {
    match single_op(name) {
        Some("~~") => out.push_str("LIKE"),
        Some("!~~") => out.push_str("NOT LIKE"),
        Some("~~*") => out.push_str("ILIKE"),
        Some("!~~*") => out.push_str("NOT ILIKE"),
        _ => return push_qual_op(out, name),
    }
    Some(())
}

/// `deparseAnyOperator`: `op` or `schema.op` (the operator itself unquoted).
fn push_any_operator(out: &mut String, name: &[protobuf::Node]) -> Option<()> {
    match name {
        [op] if is_op(str_of(op)?) => out.push_str(str_of(op)?),
        [schema, op] if is_op(str_of(op)?) => {
            push_ident(out, str_of(schema)?);
            out.push('.');
            out.push_str(str_of(op)?);
        }
        _ => return None,
    }
    Some(())
}

/// `isOp`: only operator characters.
fn is_op(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b"~!@#^&|`?+-*/%<>=".contains(&b))
}

/// `deparseAExpr`; `ctx` is `B` only inside a `b_expr`.
fn push_a_expr(out: &mut String, a: &protobuf::AExpr, ctx: Ctx, depth: usize) -> Option<()> {
    use protobuf::AExprKind as K;
    let rexpr = a.rexpr.as_deref()?;
    let e_prec = match a_expr_kind(a)? {
        K::AexprOp => {
            let p = operator_prec(&a.name);
            match (&a.lexpr, p) {
                (None, Prec::Add) => Prec::Uminus,
                (None, _) => Prec::Op,
                _ => p,
            }
        }
        K::AexprDistinct | K::AexprNotDistinct => Prec::Is,
        _ => Prec::Between,
    };
    fn list(n: &protobuf::Node) -> Option<&[protobuf::Node]> {
        match n.node.as_ref() {
            Some(N::List(l)) => Some(&l.items),
            _ => None,
        }
    }
    match a_expr_kind(a)? {
        K::AexprOp => {
            if let Some(l) = a.lexpr.as_deref() {
                push_operand(out, l, e_prec, Side::Left, ctx, depth)?;
                out.push(' ');
            }
            push_qual_op(out, &a.name)?;
            out.push(' ');
            push_operand(out, rexpr, e_prec, Side::Right, ctx, depth)
        }
        k @ (K::AexprOpAny | K::AexprOpAll) => {
            push_operand(out, a.lexpr.as_deref()?, subquery_op_prec(&a.name), Side::Left, ctx, depth)?;
            out.push(' ');
            push_subquery_op(out, &a.name)?;
            out.push_str(if k == K::AexprOpAny { " ANY(" } else { " ALL(" });
            push_expr(out, rexpr, Ctx::A, depth)?;
            out.push(')');
            Some(())
        }
        k @ (K::AexprDistinct | K::AexprNotDistinct) => {
            if single_op(&a.name) != Some("=") {
                return None;
            }
            push_operand(out, a.lexpr.as_deref()?, e_prec, Side::Left, ctx, depth)?;
            out.push_str(if k == K::AexprDistinct { " IS DISTINCT FROM " } else { " IS NOT DISTINCT FROM " });
            push_operand(out, rexpr, e_prec, Side::Right, ctx, depth)
        }
        K::AexprNullif => {
            if single_op(&a.name) != Some("=") {
                return None;
            }
            out.push_str("NULLIF(");
            push_expr(out, a.lexpr.as_deref()?, ctx, depth)?;
            out.push_str(", ");
            push_expr(out, rexpr, ctx, depth)?;
            out.push(')');
            Some(())
        }
        K::AexprIn => {
            let word = match single_op(&a.name)? {
                "=" => " IN (",
                "<>" => " NOT IN (",
                _ => return None,
            };
            let items = list(rexpr)?;
            push_operand(out, a.lexpr.as_deref()?, e_prec, Side::Left, ctx, depth)?;
            out.push_str(word);
            push_expr_list(out, items, depth)?;
            out.push(')');
            Some(())
        }
        K::AexprLike | K::AexprIlike => {
            let word = match (a_expr_kind(a)?, single_op(&a.name)?) {
                (K::AexprLike, "~~") => " LIKE ",
                (K::AexprLike, "!~~") => " NOT LIKE ",
                (K::AexprIlike, "~~*") => " ILIKE ",
                (K::AexprIlike, "!~~*") => " NOT ILIKE ",
                _ => return None,
            };
            push_operand(out, a.lexpr.as_deref()?, e_prec, Side::Left, ctx, depth)?;
            out.push_str(word);
            push_operand(out, rexpr, e_prec, Side::Right, ctx, depth)
        }
        K::AexprBetween | K::AexprNotBetween | K::AexprBetweenSym | K::AexprNotBetweenSym => {
            let word = single_op(&a.name)?;
            let [low, high] = list(rexpr)? else {
                return None;
            };
            push_operand(out, a.lexpr.as_deref()?, e_prec, Side::Left, ctx, depth)?;
            out.push(' ');
            out.push_str(word);
            out.push(' ');
            push_operand(out, low, e_prec, Side::Right, Ctx::B, depth)?;
            out.push_str(" AND ");
            push_operand(out, high, e_prec, Side::Right, ctx, depth)
        }
        _ => None,
    }
}

/// `deparseBoolExpr`: AND/OR arguments that are AND/OR themselves get parentheses, nothing else.
fn push_bool_expr(out: &mut String, b: &protobuf::BoolExpr, depth: usize) -> Option<()> {
    use protobuf::BoolExprType as B;
    let and_or = |n: &protobuf::Node| match n.node.as_ref() {
        Some(N::BoolExpr(x)) => matches!(B::try_from(x.boolop), Ok(B::AndExpr | B::OrExpr)),
        _ => false,
    };
    let push_arg = |out: &mut String, n: &protobuf::Node| -> Option<()> {
        if and_or(n) {
            out.push('(');
            push_expr(out, n, Ctx::A, depth)?;
            out.push(')');
            Some(())
        } else {
            push_expr(out, n, Ctx::A, depth)
        }
    };
    let sep = match B::try_from(b.boolop).ok()? {
        B::AndExpr => " AND ",
        B::OrExpr => " OR ",
        B::NotExpr => {
            let [arg] = b.args.as_slice() else {
                return None;
            };
            out.push_str("NOT ");
            return push_arg(out, arg);
        }
        _ => return None,
    };
    if b.args.is_empty() {
        return None;
    }
    for (i, a) in b.args.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        push_arg(out, a)?;
    }
    Some(())
}

/// `deparseAConst`.
fn push_const(out: &mut String, c: &protobuf::AConst) -> Option<()> {
    use protobuf::a_const::Val;
    if c.isnull {
        out.push_str("NULL");
        return Some(());
    }
    match c.val.as_ref()? {
        Val::Ival(i) => out.push_str(&i.ival.to_string()),
        Val::Fval(f) => out.push_str(&f.fval),
        Val::Boolval(b) => out.push_str(if b.boolval { "true" } else { "false" }),
        Val::Sval(s) => push_string_literal(out, &s.sval),
        Val::Bsval(_) => return None,
    }
    Some(())
}

/// `deparseStringLiteral`: quotes and backslashes doubled, `E` before it if it has a backslash.
fn push_string_literal(out: &mut String, s: &str) {
    if s.contains('\\') {
        out.push('E');
    }
    out.push('\'');
    for ch in s.chars() {
        if ch == '\'' || ch == '\\' {
            out.push(ch);
        }
        out.push(ch);
    }
    out.push('\'');
}

/// `deparseTypeCast` outside a `func_expr` context: the argument as a `c_expr` (parenthesised
/// otherwise, and for negative or decimal constants), `::`, the type.
fn push_cast(out: &mut String, t: &protobuf::TypeCast, depth: usize) -> Option<()> {
    use protobuf::a_const::Val;
    let arg = t.arg.as_deref()?;
    let ty = t.type_name.as_ref()?;
    let names: Vec<&str> = ty.names.iter().map(str_of).collect::<Option<_>>()?;
    let mut parens = needs_parens_as_c(arg);
    if let Some(N::AConst(c)) = arg.node.as_ref() {
        match (names.as_slice(), c.val.as_ref()) {
            (["pg_catalog", "bpchar"], _) if ty.typmods.is_empty() => return None,
            (["pg_catalog", "bool"], Some(Val::Sval(s))) if !c.isnull && (s.sval == "t" || s.sval == "f") => {
                out.push_str(if s.sval == "t" { "true" } else { "false" });
                return Some(());
            }
            (["point"], _) => return None,
            _ => {}
        }
        match c.val.as_ref() {
            _ if c.isnull => {}
            Some(Val::Fval(_)) => parens = true,
            Some(Val::Ival(i)) if i.ival < 0 => parens = true,
            _ => {}
        }
    }
    if parens {
        out.push('(');
    }
    push_expr(out, arg, Ctx::A, depth)?;
    if parens {
        out.push(')');
    }
    out.push_str("::");
    push_type_name(out, ty, &names)
}

/// `deparseTypeName` without `SETOF`, `%TYPE` or interval typmods.
fn push_type_name(out: &mut String, t: &protobuf::TypeName, names: &[&str]) -> Option<()> {
    use protobuf::a_const::Val;
    if t.setof || t.pct_type || names.is_empty() {
        return None;
    }
    let mut typmods_done = false;
    match names {
        ["pg_catalog", n] => match *n {
            "bpchar" => out.push_str("char"),
            "varchar" => out.push_str("varchar"),
            "numeric" => out.push_str("numeric"),
            "bool" => out.push_str("boolean"),
            "int2" => out.push_str("smallint"),
            "int4" => out.push_str("int"),
            "int8" => out.push_str("bigint"),
            "real" | "float4" => out.push_str("real"),
            "float8" => out.push_str("double precision"),
            "time" => out.push_str("time"),
            "timestamp" => out.push_str("timestamp"),
            "timetz" | "timestamptz" => {
                out.push_str(if *n == "timetz" { "time " } else { "timestamp " });
                if !t.typmods.is_empty() {
                    out.push('(');
                    for (i, m) in t.typmods.iter().enumerate() {
                        let Some(N::AConst(protobuf::AConst { val: Some(Val::Ival(v)), .. })) = m.node.as_ref() else {
                            return None;
                        };
                        if i > 0 {
                            out.push_str(", ");
                        }
                        out.push_str(&v.ival.to_string());
                    }
                    out.push_str(") ");
                }
                out.push_str("with time zone");
                typmods_done = true;
            }
            "interval" if t.typmods.is_empty() => out.push_str("interval"),
            "interval" => return None,
            _ => {
                out.push_str("pg_catalog.");
                out.push_str(n);
            }
        },
        _ => push_any_name(out, &t.names)?,
    }
    if !t.typmods.is_empty() && !typmods_done {
        out.push('(');
        for (i, m) in t.typmods.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            match m.node.as_ref()? {
                N::AConst(c) => push_const(out, c)?,
                N::ColumnRef(c) => push_column_ref(out, c)?,
                _ => return None,
            }
        }
        out.push(')');
    }
    for b in &t.array_bounds {
        match b.node.as_ref() {
            Some(N::Integer(i)) if i.ival == -1 => out.push_str("[]"),
            Some(N::Integer(i)) => {
                out.push('[');
                out.push_str(&i.ival.to_string());
                out.push(']');
            }
            _ => return None,
        }
    }
    Some(())
}

/// `deparseFuncCall` of a plainly called function (no `ORDER BY`, `FILTER`, `WITHIN GROUP` or
/// `OVER`, not one of the SQL-syntax forms).
fn push_func_call(out: &mut String, f: &protobuf::FuncCall, depth: usize) -> Option<()> {
    if f.funcformat != protobuf::CoercionForm::CoerceExplicitCall as i32
        || !f.agg_order.is_empty()
        || f.agg_filter.is_some()
        || f.over.is_some()
        || f.agg_within_group
        || f.funcname.is_empty()
        || (f.agg_star && (!f.args.is_empty() || f.func_variadic))
    {
        return None;
    }
    let names: Vec<&str> = f.funcname.iter().map(str_of).collect::<Option<_>>()?;
    if names.first() == Some(&"pg_catalog") && names.get(1) == Some(&"overlay") {
        return None;
    }
    push_any_name(out, &f.funcname)?;
    out.push('(');
    if f.agg_distinct {
        out.push_str("DISTINCT ");
    }
    if f.agg_star {
        out.push('*');
    }
    for (i, a) in f.args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if f.func_variadic && i + 1 == f.args.len() {
            out.push_str("VARIADIC ");
        }
        match a.node.as_ref()? {
            N::NamedArgExpr(n) => {
                out.push_str(&n.name);
                out.push_str(" := ");
                push_expr(out, n.arg.as_deref()?, Ctx::A, depth)?;
            }
            _ => push_expr(out, a, Ctx::A, depth)?,
        }
    }
    out.push(')');
    Some(())
}

/// Both paths over every constraint and index of `../shared/corpus` and `fixtures/dumps`: the
/// Rust text must be byte-identical to the deparser's wherever the Rust path prints one.
#[cfg(test)]
mod tests {
    use super::super::relation::{deparse_constraint_definition, deparse_index_definition, deparse_partition_bound, deparse_partition_by};
    use super::super::routine::deparse_trigger_definition;
    use super::*;
    use crate::build::canon;
    use std::path::{Path, PathBuf};

    fn sql_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                sql_files(&p, out);
            } else if p.extension().is_some_and(|e| e == "sql") {
                out.push(p);
            }
        }
    }

    #[derive(Default, Debug)]
    struct Counts {
        files: usize,
        constraints_compared: usize,
        constraints_deparsed: usize,
        indexes_compared: usize,
        indexes_deparsed: usize,
        exprs_compared: usize,
        exprs_deparsed: usize,
        partitions_compared: usize,
        partitions_deparsed: usize,
        triggers_compared: usize,
        triggers_deparsed: usize,
        mismatches: Vec<String>,
    }

    impl Counts {
        fn expr(&mut self, e: Option<&protobuf::Node>) {
            let Some(e) = e else { return };
            match expr(e) {
                Some(fast) => {
                    self.exprs_compared += 1;
                    let slow = canon::deparse_expr_text(e);
                    if slow.as_deref() != Some(fast.as_str()) {
                        self.mismatches.push(format!("expression\n  rust:    {fast}\n  deparse: {slow:?}"));
                    }
                }
                None => self.exprs_deparsed += 1,
            }
        }

        fn constraint(&mut self, c: &protobuf::Constraint) {
            self.expr(c.raw_expr.as_deref());
            self.expr(c.where_clause.as_deref());
            let Ok(kind) = Ct::try_from(c.contype) else {
                return;
            };
            if !matches!(kind, Ct::ConstrPrimary | Ct::ConstrUnique | Ct::ConstrForeign | Ct::ConstrCheck | Ct::ConstrExclusion) {
                return;
            }
            let check = c.raw_expr.as_deref().and_then(canon::expr_text);
            match constraint(c, check.as_deref(), false) {
                Some(fast) => {
                    self.constraints_compared += 1;
                    let slow = deparse_constraint_definition(c);
                    if fast != slow {
                        self.mismatches.push(format!("constraint\n  rust:    {fast}\n  deparse: {slow}"));
                    }
                }
                None => self.constraints_deparsed += 1,
            }
        }

        fn index(&mut self, s: &protobuf::IndexStmt) {
            let name = if s.idxname.is_empty() { "generated_idx" } else { &s.idxname };
            let exprs: Vec<Option<String>> = s
                .index_params
                .iter()
                .map(|p| match p.node.as_ref() {
                    Some(N::IndexElem(e)) => e.expr.as_deref().and_then(canon::expr_text),
                    _ => None,
                })
                .collect();
            let exprs: Vec<Option<&str>> = exprs.iter().map(|e| e.as_deref()).collect();
            for p in &s.index_params {
                if let Some(N::IndexElem(e)) = p.node.as_ref() {
                    self.expr(e.expr.as_deref());
                }
            }
            self.expr(s.where_clause.as_deref());
            let predicate = s.where_clause.as_deref().and_then(canon::expr_text);
            match index(s, name, &exprs, predicate.as_deref()) {
                Some(fast) => {
                    self.indexes_compared += 1;
                    let slow = deparse_index_definition(s, name);
                    if fast != slow {
                        self.mismatches.push(format!("index\n  rust:    {fast}\n  deparse: {slow}"));
                    }
                }
                None => self.indexes_deparsed += 1,
            }
        }

        /// One `PARTITION BY` or partition bound: the Rust text against the deparser's.
        fn partition(&mut self, fast: Option<String>, slow: impl FnOnce() -> Option<String>) {
            match fast {
                Some(fast) => {
                    self.partitions_compared += 1;
                    let slow = slow();
                    if slow.as_deref() != Some(fast.as_str()) {
                        self.mismatches.push(format!("partition\n  rust:    {fast}\n  deparse: {slow:?}"));
                    }
                }
                None => self.partitions_deparsed += 1,
            }
        }

        fn bound(&mut self, b: &protobuf::PartitionBoundSpec) {
            self.partition(partition_bound(b), || Some(deparse_partition_bound(b)));
        }

        fn trigger(&mut self, s: &protobuf::CreateTrigStmt) {
            self.expr(s.when_clause.as_deref());
            let when = s.when_clause.as_deref().and_then(canon::expr_text);
            match trigger(s, when.as_deref()) {
                Some(fast) => {
                    self.triggers_compared += 1;
                    let slow = deparse_trigger_definition(s);
                    if fast != slow {
                        self.mismatches.push(format!("trigger\n  rust:    {fast}\n  deparse: {slow}"));
                    }
                }
                None => self.triggers_deparsed += 1,
            }
        }

        fn create(&mut self, s: &protobuf::CreateStmt) {
            if let Some(b) = &s.partbound {
                self.bound(b);
            }
            if let Some(spec) = &s.partspec {
                self.partition(partition_by(spec), || deparse_partition_by(spec));
            }
            for elt in &s.table_elts {
                match elt.node.as_ref() {
                    Some(N::Constraint(c)) => self.constraint(c),
                    Some(N::ColumnDef(cd)) => {
                        self.expr(cd.raw_default.as_deref());
                        for cn in &cd.constraints {
                            let Some(N::Constraint(c)) = cn.node.as_ref() else {
                                continue;
                            };
                            self.constraint(c);
                            // As the builder completes a column constraint with its column.
                            let col = protobuf::Node { node: Some(N::String(protobuf::String { sval: cd.colname.clone() })) };
                            let mut c = (**c).clone();
                            match Ct::try_from(c.contype) {
                                Ok(Ct::ConstrPrimary | Ct::ConstrUnique) if c.keys.is_empty() => c.keys = vec![col],
                                Ok(Ct::ConstrForeign) if c.fk_attrs.is_empty() => c.fk_attrs = vec![col],
                                _ => continue,
                            }
                            self.constraint(&c);
                        }
                    }
                    _ => {}
                }
            }
        }

        fn statement(&mut self, n: &N) {
            match n {
                N::CreateStmt(s) => self.create(s),
                N::CreateForeignTableStmt(s) => {
                    if let Some(b) = &s.base_stmt {
                        self.create(b)
                    }
                }
                N::AlterTableStmt(s) => {
                    for cmd in &s.cmds {
                        let Some(N::AlterTableCmd(cmd)) = cmd.node.as_ref() else {
                            continue;
                        };
                        match cmd.def.as_ref().and_then(|d| d.node.as_ref()) {
                            Some(N::Constraint(c)) => self.constraint(c),
                            Some(N::PartitionCmd(pc)) => {
                                if let Some(b) = &pc.bound {
                                    self.bound(b);
                                }
                            }
                            Some(N::ColumnDef(cd)) => {
                                self.expr(cd.raw_default.as_deref());
                                for cn in &cd.constraints {
                                    if let Some(N::Constraint(c)) = cn.node.as_ref() {
                                        self.constraint(c);
                                    }
                                }
                            }
                            Some(_) => self.expr(cmd.def.as_deref()),
                            None => {}
                        }
                    }
                }
                N::IndexStmt(s) => self.index(s),
                N::CreateTrigStmt(s) => self.trigger(s),
                N::CreatePolicyStmt(s) => {
                    self.expr(s.qual.as_deref());
                    self.expr(s.with_check.as_deref());
                }
                N::CreateDomainStmt(s) => {
                    for cn in &s.constraints {
                        if let Some(N::Constraint(c)) = cn.node.as_ref() {
                            self.expr(c.raw_expr.as_deref());
                        }
                    }
                }
                N::CreateFunctionStmt(s) => {
                    for p in &s.parameters {
                        if let Some(N::FunctionParameter(p)) = p.node.as_ref() {
                            self.expr(p.defexpr.as_deref());
                        }
                    }
                }
                _ => {}
            }
        }
    }

    #[test]
    fn rust_text_equals_deparsed_text_over_corpus_and_fixtures() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        sql_files(&root.join("../../shared/corpus"), &mut files);
        sql_files(&root.join("../fixtures/dumps"), &mut files);
        let mut counts = Counts::default();
        for f in &files {
            let Ok(text) = std::fs::read_to_string(f) else {
                continue;
            };
            counts.files += 1;
            let split = crate::load::split(&text, 0);
            for st in &split.statements {
                let Ok(raws) = crate::parse::parse_sql(st.text(&text)) else {
                    continue;
                };
                for raw in &raws {
                    if let Some(n) = raw.stmt.as_ref().and_then(|s| s.node.as_ref()) {
                        counts.statement(n);
                    }
                }
            }
        }
        eprintln!(
            "{} files: {} constraints compared ({} left to the deparser), {} indexes compared ({} left to the deparser), {} expressions compared ({} left to the deparser), {} partition specs and bounds compared ({} left to the deparser), {} triggers compared ({} left to the deparser), {} mismatches",
            counts.files,
            counts.constraints_compared,
            counts.constraints_deparsed,
            counts.indexes_compared,
            counts.indexes_deparsed,
            counts.exprs_compared,
            counts.exprs_deparsed,
            counts.partitions_compared,
            counts.partitions_deparsed,
            counts.triggers_compared,
            counts.triggers_deparsed,
            counts.mismatches.len()
        );
        assert!(counts.mismatches.is_empty(), "{}", counts.mismatches.iter().take(20).cloned().collect::<Vec<_>>().join("\n"));
        assert!(
            counts.constraints_compared > 0
                && counts.indexes_compared > 0
                && counts.exprs_compared > 0
                && counts.partitions_compared > 0
                && counts.triggers_compared > 0,
            "no corpus found"
        );
    }

    #[test]
    fn edge_case_expressions_match_the_deparser() {
        let mut printed = 0;
        for sql in [
            "1",
            "-1",
            "1.5",
            "-1.5",
            "true",
            "false",
            "NULL",
            "'a''b'",
            "'a\\b'",
            "E'a\\\\b'",
            "'it''s\\'",
            "'é'",
            "NULL::text",
            "'t'::boolean",
            "'f'::bool",
            "'x'::boolean",
            "'1'::int",
            "'1'::int4",
            "'1'::integer",
            "'1'::smallint",
            "'1'::bigint",
            "'1'::float8",
            "'1'::double precision",
            "'1'::real",
            "'1'::numeric",
            "'1'::numeric(3,1)",
            "'x'::varchar",
            "'x'::character varying(3)",
            "'x'::char",
            "'x'::bpchar",
            "'x'::timestamptz",
            "'x'::timestamp",
            "'x'::time with time zone",
            "'x'::interval",
            "'1 day'::interval day",
            "'{}'::bigint[]",
            "'{}'::int[][]",
            "'{}'::text[3]",
            "'x'::\"My Type\"",
            "'x'::s.t",
            "'x'::pg_catalog.text",
            "'(1,2)'::point",
            "-1::int",
            "(-1)::int",
            "1.5::numeric",
            "now()",
            "pg_catalog.now()",
            "public.f(1, 'a'::text)",
            "\"F\"(NULL)",
            "nextval('s'::regclass)",
            "count(*)",
            "count(DISTINCT 1)",
            "f(VARIADIC '{}'::int[])",
            "f(a := 1)",
            "coalesce(1, 2)",
            "f(g())",
            "f(1) OVER ()",
            "b'101'",
            "x'1f'",
            "\"user\"()",
            // Columns, operators and precedence.
            "a",
            "\"A\"",
            "t.a",
            "s.t.\"user\"",
            "t.*",
            "a[1]",
            "a + b * c",
            "(a + b) * c",
            "a - (b - c)",
            "(a - b) - c",
            "a ^ b ^ c",
            "(a = b) = c",
            "a < b AND b <= c",
            "a <> b",
            "a != b",
            "a || b || c",
            "a || (b || c)",
            "a || b = c",
            "(a || b) = c",
            "a @> b",
            "a <@ ARRAY[1, 2]",
            "a ~ 'x'",
            "a !~ 'x'",
            "a ~* 'x'",
            "a !~* 'x'",
            "a ~~ 'x'",
            "a !~~* 'x'",
            "a LIKE 'x%'",
            "a NOT LIKE 'x%'",
            "a ILIKE 'x%'",
            "a NOT ILIKE b || 'x'",
            "a LIKE 'x' ESCAPE '!'",
            "a SIMILAR TO 'x'",
            "- a",
            "-a",
            "- (a + b)",
            "-(-a)",
            "+a",
            "~a",
            "a - -1",
            "a * -1.5",
            "@ a",
            "a OPERATOR(pg_catalog.=) b",
            "a OPERATOR(pg_catalog.+) b * c",
            "a + 1 > b",
            "a IS DISTINCT FROM b",
            "a IS NOT DISTINCT FROM b + 1",
            "(a IS DISTINCT FROM b) IS DISTINCT FROM c",
            "NULLIF(a, b)",
            "NULLIF(a, b) = 1",
            // IN, ANY/ALL, arrays.
            "a IN (1, 2, 3)",
            "a NOT IN ('x', 'y')",
            "(a IN (1)) = true",
            "a IN (1) = true",
            "a + 1 IN (1)",
            "a = ANY (ARRAY[1, 2])",
            "a = ANY (ARRAY['x'::text, 'y'::text])",
            "a <> ALL ('{1,2}'::int[])",
            "a LIKE ANY (ARRAY['x'])",
            "a !~~* ALL (b)",
            "a || b = ANY (c)",
            "(a = ANY (c)) = d",
            "ARRAY[]::text[]",
            "ARRAY[a, b + 1]",
            "ARRAY[ARRAY[1], ARRAY[2]]",
            "array_length(a, 1) > 0",
            "cardinality(a) <= 10",
            "a[1] = 2",
            "(a).b = 2",
            "(a).*",
            "a[1:2]",
            "a[:2]",
            "a[1][2]",
            "t.a[b + 1]",
            "(f(a))[1]",
            "(storage.foldername(name))[1] = 'x'",
            "(a || b)[1]",
            "(a::text[])[1]",
            "((a).b).c",
            "(a[1]).b",
            "$1[1]",
            "(SELECT ARRAY[1])[1]",
            "current_date",
            "current_date + 30",
            "current_time",
            "current_time(3)",
            "current_timestamp",
            "CURRENT_TIMESTAMP(3)",
            "localtime",
            "localtimestamp(3)",
            "current_role",
            "current_user",
            "username = current_user",
            "user",
            "session_user",
            "current_catalog",
            "current_schema",
            // BETWEEN.
            "a BETWEEN 1 AND 2",
            "a NOT BETWEEN 1 AND 2",
            "a BETWEEN SYMMETRIC 1 AND 2",
            "a NOT BETWEEN SYMMETRIC b AND c",
            "a BETWEEN b + 1 AND c * 2",
            "a BETWEEN (b IS NULL) AND c",
            "a BETWEEN (b IS DISTINCT FROM c) AND d",
            "a BETWEEN (NOT b) AND c",
            "a BETWEEN (b IN (1)) AND c",
            "a BETWEEN 1 AND (2 BETWEEN 3 AND 4)",
            // AND, OR, NOT.
            "a AND b",
            "a AND b AND c",
            "a OR b AND c",
            "(a OR b) AND c",
            "a AND (b OR c)",
            "(a AND b) OR (c AND d)",
            "a OR (b OR c)",
            "NOT a",
            "NOT NOT a",
            "NOT (a AND b)",
            "NOT (a OR b)",
            "NOT a = b",
            "(NOT a) = b",
            "NOT a IS NULL",
            "(a AND b) = c",
            "(a OR b) IS NULL",
            "(a AND b) IS TRUE",
            "f(a AND b)",
            "f(a AND b, c OR d)",
            "ARRAY[a AND b]",
            // IS NULL, IS TRUE.
            "a IS NULL",
            "a IS NOT NULL",
            "(a + b) IS NULL",
            "(a = b) IS NULL",
            "a IS NULL IS NULL",
            "(a IS NULL) = (b IS NULL)",
            "f(a) IS NOT NULL",
            "a::text IS NULL",
            "a IS TRUE",
            "a IS NOT TRUE",
            "a IS FALSE",
            "a IS NOT FALSE",
            "a IS UNKNOWN",
            "a IS NOT UNKNOWN",
            "(a IS NULL) IS TRUE",
            "a IS NULL OR b IS NOT NULL",
            "num_nonnulls(a, b) = 1",
            "num_nulls(a, b, c) >= 1",
            // Casts.
            "a::text",
            "(a)::text",
            "(a + b)::text",
            "(a || b)::text[]",
            "(-a)::int",
            "(a IS NULL)::int",
            "(a = b)::int::text",
            "f(a)::date",
            "ARRAY[a]::bigint[]",
            "(ARRAY[a])::bigint[]",
            "'1'::int + 1",
            "-1::int",
            "(-1)::int + (1.5)::numeric",
            "a::character varying(255)",
            "a::varchar(10)[]",
            "a::numeric(10, 2)",
            "a::char(2)",
            "a::bpchar",
            "'x'::char(3)",
            "a::timestamp(3) with time zone",
            "a::time(3) with time zone",
            "a::timestamp(6)",
            "a::interval",
            "a::interval day",
            "a::float4",
            "a::float",
            "a::pg_catalog.text",
            "a::pg_catalog.int4",
            "a::public.my_type",
            "a::\"My Type\"[]",
            "a::int[3]",
            "a::text COLLATE \"C\"",
            "a COLLATE \"C\" = b",
            "(a || b) COLLATE \"C\"",
            "lower(a COLLATE \"C\")",
            "a::regclass::oid",
            "'{}'::jsonb = a",
            "jsonb_typeof(a) = 'object'::text",
            "(a ->> 'x'::text) IS NOT NULL",
            "a -> 'x' = b -> 'y'",
            "a #> '{x}' IS NULL",
            "char_length(a) <= 255",
            "length(btrim(a)) > 0",
            "octet_length(a::text) <= 1024",
            // Functions and other c_exprs.
            "coalesce(a, b) = 1",
            "COALESCE(a, 0) + 1",
            "GREATEST(a, b)",
            "LEAST(a, b, 1)",
            "f(DISTINCT a)",
            "f(*)",
            "f(a := 1, b => 2)",
            "f(VARIADIC ARRAY[1])",
            "pg_catalog.lower(a)",
            "lower(a) = lower(b)",
            "substring(a, 1, 2)",
            "SUBSTRING(a FROM 1 FOR 2)",
            "trim(a)",
            "position('a' IN b)",
            "extract(year FROM a)",
            "a AT TIME ZONE 'UTC'",
            "now() - '1 day'::interval",
            "CURRENT_TIMESTAMP",
            "CASE WHEN a THEN 1 ELSE 2 END",
            "EXISTS (SELECT 1)",
            "a IN (SELECT 1)",
            "a = ANY (SELECT 1)",
            "(SELECT 1)",
            "ROW(a, b)",
            "(a, b) = (c, d)",
            "$1",
            "a IS DOCUMENT",
            "a IS NORMALIZED",
            "(a, b) OVERLAPS (c, d)",
            "\"check\" = 1 AND \"order\" IS NOT NULL",
            "((a))",
            "a * (b + c) / (d - e) % f",
            "a ^ (b ^ c)",
            "(a ^ b) ^ c",
            "(a < b) = (c > d)",
            "a + b = c + d AND e - f <> g OR NOT h",
        ] {
            let stmts = crate::parse::parse_sql(&format!("SELECT {sql}")).unwrap();
            let Some(N::SelectStmt(sel)) = stmts[0].stmt.as_ref().unwrap().node.as_ref() else { panic!() };
            let Some(N::ResTarget(r)) = sel.target_list[0].node.as_ref() else { panic!() };
            let e = r.val.as_deref().unwrap();
            if let Some(fast) = expr(e) {
                printed += 1;
                assert_eq!(Some(fast), canon::deparse_expr_text(e), "{sql}");
            }
        }
        eprintln!("{printed} edge cases printed in Rust");
        assert!(printed > 200, "{printed}");
    }

    #[test]
    fn index_options_match_the_deparser() {
        let counts = compared(&[
            "CREATE INDEX i ON t USING gin (v) WITH (fastupdate='false')",
            "CREATE INDEX i ON t USING gin (v) WITH (fastupdate=false, gin_pending_list_limit=128)",
            "CREATE UNIQUE INDEX i ON t (a) INCLUDE (b) WITH (fillfactor=70) TABLESPACE s WHERE a > 0",
            "CREATE INDEX i ON t (a) WITH (fillfactor='70', deduplicate_items=off)",
            "CREATE INDEX i ON t (a) WITH (x=1.5, y=-2, z='it''s', w=E'a\\\\b', \"Odd\"=TRUE, n=none)",
            "CREATE INDEX i ON t (a) WITH (toast.autovacuum_enabled=true, flag)",
        ]);
        assert!(counts.indexes_compared >= 5, "{counts:?}");
    }

    #[test]
    fn edge_case_partitions_and_triggers_match_the_deparser() {
        let counts = compared(&[
            "CREATE TABLE p (a int, b text) PARTITION BY RANGE (a)",
            "CREATE TABLE p (a int, b text) PARTITION BY LIST (b COLLATE \"C\" text_pattern_ops)",
            "CREATE TABLE p (a int, b text) PARTITION BY HASH (a, (lower(b)), (a + 1) int4_ops)",
            "CREATE TABLE p (a int) PARTITION BY RANGE (\"Order\", \"user\")",
            "CREATE TABLE c PARTITION OF p DEFAULT",
            "CREATE TABLE c PARTITION OF p FOR VALUES IN (1, 2, NULL)",
            "CREATE TABLE c PARTITION OF p FOR VALUES IN ('a', 'it''s', E'back\\\\slash')",
            "CREATE TABLE c PARTITION OF p FOR VALUES FROM (MINVALUE, 0) TO ('2020-01-01', MAXVALUE)",
            "CREATE TABLE c PARTITION OF p FOR VALUES FROM ('2020-01-01 00:00:00+00') TO ('2021-01-01'::timestamptz)",
            "CREATE TABLE c PARTITION OF p FOR VALUES FROM (-1) TO (1 + 1)",
            "CREATE TABLE c PARTITION OF p FOR VALUES WITH (MODULUS 4, REMAINDER 3)",
            "ALTER TABLE ONLY p ATTACH PARTITION c FOR VALUES IN (7)",
            "ALTER TABLE p ATTACH PARTITION c DEFAULT",
            "CREATE TRIGGER t BEFORE INSERT OR UPDATE ON s.x FOR EACH ROW EXECUTE FUNCTION f()",
            "CREATE OR REPLACE TRIGGER \"T\" AFTER DELETE OR TRUNCATE ON x EXECUTE PROCEDURE s.\"F\"('a', 'b''c', 'd\\e', '')",
            "CREATE TRIGGER t AFTER UPDATE OF a, \"B\" ON x FOR EACH ROW WHEN (old.a IS DISTINCT FROM new.a) EXECUTE FUNCTION f(1, x)",
            "CREATE TRIGGER t INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION f()",
            "CREATE TRIGGER t AFTER INSERT OR DELETE OR UPDATE ON x REFERENCING NEW TABLE AS n OLD TABLE AS o FOR EACH STATEMENT EXECUTE FUNCTION f()",
            "CREATE CONSTRAINT TRIGGER t AFTER INSERT ON x DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION f()",
            "CREATE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW WHEN (new.* IS DISTINCT FROM old.*) EXECUTE FUNCTION f()",
        ]);
        assert!(counts.partitions_compared + counts.triggers_compared >= 17, "{counts:?}");
    }

    /// Both paths over each statement, failing at the first that prints differently.
    fn compared(statements: &[&str]) -> Counts {
        let mut counts = Counts::default();
        for sql in statements {
            let stmts = crate::parse::parse_sql(sql).unwrap();
            counts.statement(stmts[0].stmt.as_ref().unwrap().node.as_ref().unwrap());
            assert!(counts.mismatches.is_empty(), "{sql}: {}", counts.mismatches.join("\n"));
        }
        counts
    }

    #[test]
    fn keyword_lookup_finds_every_keyword_and_nothing_else() {
        assert!(QUOTED_KEYWORDS.windows(2).all(|w| w[0] < w[1]), "sorted, for the binary search");
        assert_eq!(QUOTED_KEYWORDS.iter().map(|k| k.len()).max(), Some(17));
        assert_eq!(QUOTED_KEYWORDS.iter().map(|k| k.len()).min(), Some(2));
        for k in QUOTED_KEYWORDS {
            assert!(is_quoted_keyword(k), "{k}");
            for other in [format!("{k}s"), format!("_{k}"), k[..k.len() - 1].to_string()] {
                assert_eq!(is_quoted_keyword(&other), QUOTED_KEYWORDS.contains(&other.as_str()), "{other}");
            }
        }
    }

    #[test]
    fn quotes_like_quote_identifier() {
        let q = |s: &str| {
            let mut o = String::new();
            push_ident(&mut o, s);
            o
        };
        assert_eq!(q("users"), "users");
        assert_eq!(q("user"), "\"user\"");
        assert_eq!(q("type"), "type"); // unreserved
        assert_eq!(q("Users"), "\"Users\"");
        assert_eq!(q("a\"b"), "\"a\"\"b\"");
        assert_eq!(q("1a"), "\"1a\"");
        assert_eq!(q("été"), "\"été\"");
    }
}
