//! What a dump does not say about a view: its columns' types, and whether it can be written to.
//! PostgreSQL knows both from the analysed query; we read the view's parsed query: a column
//! that selects a table's (or another view's) column has that column's type, a cast has its
//! type, a few common expressions have theirs, anything else is `unknown`. A view is updatable,
//! as PostgreSQL decides for auto-updatable views, when it selects from one relation with no
//! DISTINCT, GROUP BY, HAVING, LIMIT, OFFSET, WITH, set operation, aggregate or window; its plain
//! column references are the updatable columns. INSTEAD OF UPDATE and DELETE triggers make
//! every column writable.

use crate::model::{Snapshot, View};
use crate::parse::parse_sql;
use pg_query::protobuf::{self, node::Node as N};

/// A view's columns: their types (`None`: unknown), and which can be written (`None`: the view
/// cannot be updated).
pub struct ViewShape {
    pub types: Vec<Option<String>>,
    pub updatable: Option<Vec<bool>>,
    /// The table column each view column selects as is (through views on views), when it does:
    /// PostgREST follows foreign keys through such columns.
    pub sources: Vec<Option<(String, String)>>,
}

/// How deep views on views are followed.
const MAX_DEPTH: usize = 8;

pub fn shape(snap: &Snapshot, view: &View) -> ViewShape {
    shape_at(snap, view, 0)
}

fn shape_at(snap: &Snapshot, view: &View, depth: usize) -> ViewShape {
    let unknown = ViewShape { types: vec![None; view.columns.len()], updatable: None, sources: vec![None; view.columns.len()] };
    let Some(select) = parse_select(&view.query.canonical) else {
        return unknown;
    };
    let from = range_entries(&select.from_clause, &view.schema);
    let mut types = Vec::with_capacity(view.columns.len());
    let mut simple = Vec::with_capacity(view.columns.len());
    let mut sources = Vec::with_capacity(view.columns.len());
    for target in &select.target_list {
        let Some(N::ResTarget(rt)) = &target.node else { continue };
        let val = rt.val.as_deref();
        types.push(val.and_then(|v| expr_type(snap, &from, v, depth)));
        simple.push(matches!(val.and_then(|v| v.node.as_ref()), Some(N::ColumnRef(_))));
        sources.push(val.and_then(|v| column_source(snap, &from, v, depth)));
    }
    if types.len() != view.columns.len() {
        return unknown;
    }
    let instead_of =
        |event: &str| view_triggers(snap, view).iter().any(|t| t.timing == "INSTEAD OF" && t.events.iter().any(|e| e.starts_with(event)));
    let updatable = if view.materialized {
        None
    } else if instead_of("UPDATE") && instead_of("DELETE") {
        Some(vec![true; types.len()])
    } else if auto_updatable(snap, &select, &from, depth) {
        Some(simple)
    } else {
        None
    };
    ViewShape { types, updatable, sources }
}

/// The table column a plain column reference selects, following views.
fn column_source(snap: &Snapshot, from: &[Entry], e: &protobuf::Node, depth: usize) -> Option<(String, String)> {
    let Some(N::ColumnRef(c)) = &e.node else { return None };
    let parts = strings(&c.fields);
    let (key, column) = match &parts[..] {
        [column] => {
            let key = from.iter().filter_map(|en| en.key.as_deref()).find(|k| column_type(snap, k, column, depth).is_some())?;
            (key.to_string(), column.clone())
        }
        [.., rel, column] => (from.iter().find(|en| &en.name == rel)?.key.clone()?, column.clone()),
        _ => return None,
    };
    if snap.tables.get(&key).is_some_and(|t| t.columns.iter().any(|c| c.name == column)) {
        return Some((key, column));
    }
    let v = snap.views.get(&key)?;
    if depth >= MAX_DEPTH {
        return None;
    }
    let i = v.columns.iter().position(|c| *c == column)?;
    shape_at(snap, v, depth + 1).sources.get(i).cloned().flatten()
}

fn view_triggers<'a>(snap: &'a Snapshot, view: &View) -> Vec<&'a crate::model::Trigger> {
    let key = format!("{}.{}", view.schema, view.name);
    snap.triggers.values().filter(|t| t.table == key).collect()
}

fn parse_select(query: &str) -> Option<protobuf::SelectStmt> {
    let stmts = parse_sql(query).ok()?;
    match stmts.into_iter().next()?.stmt?.node? {
        N::SelectStmt(s) => Some(*s),
        _ => None,
    }
}

/// A FROM item: its name in the query (alias or relation name) and the relation's key.
struct Entry {
    name: String,
    key: Option<String>,
}

fn range_entries(from: &[protobuf::Node], default_schema: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    for n in from {
        collect_entries(n, default_schema, &mut out);
    }
    out
}

fn collect_entries(n: &protobuf::Node, default_schema: &str, out: &mut Vec<Entry>) {
    match &n.node {
        Some(N::RangeVar(r)) => {
            let schema = if r.schemaname.is_empty() { default_schema } else { &r.schemaname };
            let name = r.alias.as_ref().map(|a| a.aliasname.clone()).unwrap_or_else(|| r.relname.clone());
            out.push(Entry { name, key: Some(format!("{schema}.{}", r.relname)) });
        }
        Some(N::JoinExpr(j)) => {
            for side in [&j.larg, &j.rarg].into_iter().flatten() {
                collect_entries(side, default_schema, out);
            }
        }
        Some(N::RangeSubselect(s)) => {
            out.push(Entry { name: s.alias.as_ref().map(|a| a.aliasname.clone()).unwrap_or_default(), key: None });
        }
        Some(N::RangeFunction(f)) => {
            out.push(Entry { name: f.alias.as_ref().map(|a| a.aliasname.clone()).unwrap_or_default(), key: None });
        }
        _ => {}
    }
}

/// The type of column `column` of relation `key` (a table, or a view followed).
fn column_type(snap: &Snapshot, key: &str, column: &str, depth: usize) -> Option<String> {
    if let Some(t) = snap.tables.get(key) {
        return t.columns.iter().find(|c| c.name == column).map(|c| c.data_type.clone());
    }
    let v = snap.views.get(key)?;
    if depth >= MAX_DEPTH {
        return None;
    }
    let i = v.columns.iter().position(|c| c == column)?;
    shape_at(snap, v, depth + 1).types.get(i).cloned().flatten()
}

fn strings(nodes: &[protobuf::Node]) -> Vec<String> {
    nodes
        .iter()
        .filter_map(|n| match &n.node {
            Some(N::String(s)) => Some(s.sval.clone()),
            _ => None,
        })
        .collect()
}

fn type_name(t: &protobuf::TypeName) -> String {
    let names = strings(&t.names);
    let base = match &names[..] {
        [catalog, name] if catalog == "pg_catalog" => name.clone(),
        [schema, name] => format!("{schema}.{name}"),
        [name] => name.clone(),
        _ => names.join("."),
    };
    format!("{base}{}", "[]".repeat(t.array_bounds.len()))
}

fn expr_type(snap: &Snapshot, from: &[Entry], e: &protobuf::Node, depth: usize) -> Option<String> {
    match e.node.as_ref()? {
        N::ColumnRef(c) => {
            let parts = strings(&c.fields);
            match &parts[..] {
                [column] => from.iter().filter_map(|en| en.key.as_deref()).find_map(|k| column_type(snap, k, column, depth)),
                [.., rel, column] => {
                    let key = from.iter().find(|en| &en.name == rel)?.key.clone()?;
                    column_type(snap, &key, column, depth)
                }
                _ => None,
            }
        }
        N::TypeCast(c) => c.type_name.as_ref().map(type_name),
        N::AConst(c) => match c.val.as_ref()? {
            protobuf::a_const::Val::Ival(_) => Some("int4".into()),
            protobuf::a_const::Val::Fval(_) => Some("numeric".into()),
            protobuf::a_const::Val::Boolval(_) => Some("bool".into()),
            protobuf::a_const::Val::Sval(_) => Some("text".into()),
            protobuf::a_const::Val::Bsval(_) => None,
        },
        N::FuncCall(f) => {
            let name = strings(&f.funcname).pop()?;
            match name.as_str() {
                "count" => Some("int8".into()),
                "now" => Some("timestamptz".into()),
                "lower" | "upper" | "concat" | "concat_ws" | "trim" | "btrim" | "replace" | "substring" | "initcap" | "format" => {
                    Some("text".into())
                }
                "length" | "char_length" => Some("int4".into()),
                "min" | "max" | "coalesce" => f.args.first().and_then(|a| expr_type(snap, from, a, depth)),
                "array_agg" => f.args.first().and_then(|a| expr_type(snap, from, a, depth)).map(|t| format!("{t}[]")),
                "bool_and" | "bool_or" | "every" => Some("bool".into()),
                "to_jsonb" | "jsonb_build_object" | "jsonb_agg" => Some("jsonb".into()),
                "to_json" | "json_build_object" | "json_agg" => Some("json".into()),
                _ => None,
            }
        }
        N::CoalesceExpr(c) => c.args.iter().find_map(|a| expr_type(snap, from, a, depth)),
        N::CaseExpr(c) => c
            .args
            .iter()
            .find_map(|w| match &w.node {
                Some(N::CaseWhen(cw)) => cw.result.as_deref().and_then(|r| expr_type(snap, from, r, depth)),
                _ => None,
            })
            .or_else(|| c.defresult.as_deref().and_then(|d| expr_type(snap, from, d, depth))),
        N::BoolExpr(_) | N::NullTest(_) | N::BooleanTest(_) => Some("bool".into()),
        N::AExpr(a) => {
            let op = strings(&a.name).pop().unwrap_or_default();
            match op.as_str() {
                "=" | "<>" | "<" | ">" | "<=" | ">=" | "~~" | "!~~" | "~~*" | "!~~*" | "~" | "!~" => Some("bool".into()),
                "||" => Some("text".into()),
                _ => None,
            }
        }
        N::SqlvalueFunction(f) => {
            use protobuf::SqlValueFunctionOp as Op;
            match Op::try_from(f.op).ok()? {
                Op::SvfopCurrentDate => Some("date".into()),
                Op::SvfopCurrentTimestamp | Op::SvfopCurrentTimestampN => Some("timestamptz".into()),
                Op::SvfopLocaltimestamp | Op::SvfopLocaltimestampN => Some("timestamp".into()),
                Op::SvfopCurrentUser | Op::SvfopCurrentRole | Op::SvfopSessionUser | Op::SvfopUser => Some("name".into()),
                _ => None,
            }
        }
        _ => None,
    }
}

fn auto_updatable(snap: &Snapshot, s: &protobuf::SelectStmt, from: &[Entry], depth: usize) -> bool {
    let plain = s.distinct_clause.is_empty()
        && s.group_clause.is_empty()
        && s.having_clause.is_none()
        && s.limit_count.is_none()
        && s.limit_offset.is_none()
        && s.with_clause.is_none()
        && s.window_clause.is_empty()
        && s.values_lists.is_empty()
        && s.larg.is_none()
        && s.from_clause.len() == 1
        && matches!(s.from_clause[0].node, Some(N::RangeVar(_)));
    if !plain || from.len() != 1 {
        return false;
    }
    let aggregate_or_window = s.target_list.iter().any(|t| {
        use pg_query::NodeRef;
        t.node.as_ref().is_some_and(|n| {
            n.nodes().iter().any(|(n, ..)| match n {
                NodeRef::FuncCall(f) => f.over.is_some() || f.agg_star || is_aggregate(&strings(&f.funcname)),
                _ => false,
            })
        })
    });
    if aggregate_or_window {
        return false;
    }
    match from[0].key.as_deref() {
        Some(k) if snap.tables.contains_key(k) => true,
        Some(k) if depth < MAX_DEPTH => snap.views.get(k).is_some_and(|v| shape_at(snap, v, depth + 1).updatable.is_some()),
        _ => false,
    }
}

fn is_aggregate(name: &[String]) -> bool {
    matches!(
        name.last().map(String::as_str),
        Some(
            "count"
                | "sum"
                | "avg"
                | "min"
                | "max"
                | "array_agg"
                | "string_agg"
                | "bool_and"
                | "bool_or"
                | "every"
                | "json_agg"
                | "jsonb_agg"
                | "json_object_agg"
                | "jsonb_object_agg"
        )
    )
}
