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
    let safe = ident.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && ident.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && QUOTED_KEYWORDS.binary_search(&ident).is_err();
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
    if c.deferrable {
        out.push_str("DEFERRABLE ");
    }
    if c.initdeferred {
        out.push_str("INITIALLY DEFERRED ");
    }
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

/// Whether `deparseIndexElem` prints this expression without wrapping parentheses (function
/// calls); those are left to the deparser.
fn bare_in_index(e: &protobuf::Node) -> bool {
    matches!(
        e.node.as_ref(),
        Some(N::FuncCall(_) | N::SqlvalueFunction(_) | N::CoalesceExpr(_) | N::MinMaxExpr(_) | N::XmlExpr(_) | N::XmlSerialize(_)) | None
    )
}

/// `CREATE INDEX` as `deparseIndexStmt` prints it, named `name`. `exprs[i]` is the canonical
/// text of the i-th key's expression (if it has one) and `predicate` that of the WHERE clause,
/// both as `canon::expr` printed them.
pub fn index(s: &protobuf::IndexStmt, name: &str, exprs: &[Option<&str>], predicate: Option<&str>) -> Option<String> {
    if !s.options.is_empty() || !s.exclude_op_names.is_empty() || s.where_clause.is_some() != predicate.is_some() {
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

/// `deparseIndexElem` for a column, or an expression (given as its canonical text) that the
/// deparser wraps in parentheses; no collation, operator class or `USING` ordering.
fn index_elem(out: &mut String, e: &protobuf::IndexElem, expr: Option<&str>) -> Option<()> {
    use protobuf::{SortByDir as D, SortByNulls as Nl};
    if !e.collation.is_empty() || !e.opclass.is_empty() || !e.opclassopts.is_empty() {
        return None;
    }
    if !e.name.is_empty() {
        push_ident(out, &e.name);
    } else {
        let x = e.expr.as_deref()?;
        if bare_in_index(x) {
            return None;
        }
        out.push('(');
        out.push_str(expr?);
        out.push(')');
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

/// An expression as the deparser prints it as the single target of a SELECT (`canon::expr`),
/// for the shapes column defaults mostly have: constants, constants cast to a plainly named type
/// and plain function calls of those (`nextval('s'::regclass)`, `now()`, `'{}'::jsonb`).
pub fn expr(e: &protobuf::Node) -> Option<String> {
    let mut out = String::with_capacity(32);
    match e.node.as_ref()? {
        N::FuncCall(f) => push_func_call(&mut out, f)?,
        _ => push_simple(&mut out, e)?,
    }
    Some(out)
}

/// A constant or a cast constant (a function argument or a whole expression).
fn push_simple(out: &mut String, e: &protobuf::Node) -> Option<()> {
    match e.node.as_ref()? {
        N::AConst(c) => push_const(out, c),
        N::TypeCast(t) => push_cast(out, t),
        _ => None,
    }
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

/// `deparseTypeCast` of a constant, outside the cases it prints specially or parenthesises.
fn push_cast(out: &mut String, t: &protobuf::TypeCast) -> Option<()> {
    use protobuf::a_const::Val;
    let Some(N::AConst(c)) = t.arg.as_deref()?.node.as_ref() else {
        return None;
    };
    let ty = t.type_name.as_ref()?;
    let names: Vec<&str> = ty
        .names
        .iter()
        .map(|n| match n.node.as_ref() {
            Some(N::String(s)) => Some(s.sval.as_str()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    match (names.as_slice(), c.val.as_ref()) {
        (["pg_catalog", "bpchar"], _) | (["point"], _) => return None,
        (["pg_catalog", "bool"], Some(Val::Sval(s))) if !c.isnull && (s.sval == "t" || s.sval == "f") => {
            out.push_str(if s.sval == "t" { "true" } else { "false" });
            return Some(());
        }
        _ => {}
    }
    match c.val.as_ref() {
        _ if c.isnull => {}
        Some(Val::Fval(_)) => return None,
        Some(Val::Ival(i)) if i.ival < 0 => return None,
        _ => {}
    }
    push_const(out, c)?;
    out.push_str("::");
    push_type_name(out, ty, &names)
}

/// `deparseTypeName` without typmods, `SETOF` or `%TYPE`.
fn push_type_name(out: &mut String, t: &protobuf::TypeName, names: &[&str]) -> Option<()> {
    if t.setof || t.pct_type || !t.typmods.is_empty() {
        return None;
    }
    match names {
        ["pg_catalog", n] => out.push_str(match *n {
            "bool" => "boolean",
            "int2" => "smallint",
            "int4" => "int",
            "int8" => "bigint",
            "float8" => "double precision",
            "varchar" => "varchar",
            "numeric" => "numeric",
            "timestamp" => "timestamp",
            "timestamptz" => "timestamp with time zone",
            "interval" => "interval",
            _ => return None,
        }),
        [n] => push_ident(out, n),
        [s, n] if *s != "pg_catalog" => {
            push_ident(out, s);
            out.push('.');
            push_ident(out, n);
        }
        _ => return None,
    }
    for b in &t.array_bounds {
        match b.node.as_ref() {
            Some(N::Integer(i)) if i.ival == -1 => out.push_str("[]"),
            _ => return None,
        }
    }
    Some(())
}

/// `deparseFuncCall` of a plainly called function whose arguments are constants or casts of them.
fn push_func_call(out: &mut String, f: &protobuf::FuncCall) -> Option<()> {
    if f.funcformat != protobuf::CoercionForm::CoerceExplicitCall as i32
        || !f.agg_order.is_empty()
        || f.agg_filter.is_some()
        || f.over.is_some()
        || f.agg_within_group
        || f.agg_star
        || f.agg_distinct
        || f.func_variadic
        || f.funcname.is_empty()
    {
        return None;
    }
    for (i, n) in f.funcname.iter().enumerate() {
        let Some(N::String(s)) = n.node.as_ref() else {
            return None;
        };
        if i == 0 && s.sval == "pg_catalog" {
            return None;
        }
        if i > 0 {
            out.push('.');
        }
        push_ident(out, &s.sval);
    }
    out.push('(');
    for (i, a) in f.args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_simple(out, a)?;
    }
    out.push(')');
    Some(())
}

/// Both paths over every constraint and index of `../shared/corpus` and `fixtures/dumps`: the
/// Rust text must be byte-identical to the deparser's wherever the Rust path prints one.
#[cfg(test)]
mod tests {
    use super::super::relation::{deparse_constraint_definition, deparse_index_definition};
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

        fn create(&mut self, s: &protobuf::CreateStmt) {
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
            "{} files: {} constraints compared ({} left to the deparser), {} indexes compared ({} left to the deparser), {} expressions compared ({} left to the deparser), {} mismatches",
            counts.files,
            counts.constraints_compared,
            counts.constraints_deparsed,
            counts.indexes_compared,
            counts.indexes_deparsed,
            counts.exprs_compared,
            counts.exprs_deparsed,
            counts.mismatches.len()
        );
        assert!(counts.mismatches.is_empty(), "{}", counts.mismatches.iter().take(20).cloned().collect::<Vec<_>>().join("\n"));
        assert!(counts.constraints_compared > 0 && counts.indexes_compared > 0 && counts.exprs_compared > 0, "no corpus found");
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
        assert!(printed > 20, "{printed}");
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
