//! Canonical text through pg_query's deparser, so equal meaning prints equally.

use crate::model::Expr;
use crate::parse::{PgQueryError, PgQueryProtobuf};
use pg_query::protobuf::{self, node::Node as N};
use std::ffi::{c_char, CStr};

fn node(n: N) -> protobuf::Node {
    protobuf::Node { node: Some(n) }
}

/// Deparses one statement node; `None` if the deparser refuses it.
pub fn statement(n: N) -> Option<String> {
    statement_ref(&node(n))
}

/// [`statement`] of a node held by reference. The `ParseResult` around it is encoded by hand (as
/// prost encodes `ParseResult { version, stmts: [RawStmt { stmt }] }`), so a view's whole query
/// is not cloned just to be wrapped.
fn statement_ref(n: &protobuf::Node) -> Option<String> {
    n.node.as_ref()?;
    deparse_protobuf(&encode_as_parse_result(n))
}

fn encode_as_parse_result(n: &protobuf::Node) -> Vec<u8> {
    use prost::encoding::{encode_key, encode_varint, int32, message, WireType};
    let raw_stmt_len = message::encoded_len(1, n);
    let mut buf = Vec::with_capacity(raw_stmt_len + 16);
    int32::encode(1, &PG_VERSION_NUM, &mut buf);
    encode_key(2, WireType::LengthDelimited, &mut buf);
    encode_varint(raw_stmt_len as u64, &mut buf);
    message::encode(1, n, &mut buf);
    buf
}

/// The `version` pg_query's parser writes into a `ParseResult`.
const PG_VERSION_NUM: i32 = 180000;

#[repr(C)]
struct PgQueryDeparseResult {
    query: *mut c_char,
    error: *mut PgQueryError,
}

extern "C" {
    fn pg_query_deparse_protobuf(parse_tree: PgQueryProtobuf) -> PgQueryDeparseResult;
    fn pg_query_free_deparse_result(result: PgQueryDeparseResult);
}

/// `pg_query::deparse` with default options, of an encoded `ParseResult`.
fn deparse_protobuf(encoded: &[u8]) -> Option<String> {
    // SAFETY: the C side only reads `len` bytes from `data` during the call; the result's
    // strings are copied out before it is freed exactly once.
    unsafe {
        let result = pg_query_deparse_protobuf(PgQueryProtobuf { len: encoded.len(), data: encoded.as_ptr() as *mut c_char });
        let out = result.error.is_null().then(|| CStr::from_ptr(result.query).to_string_lossy().into_owned());
        pg_query_free_deparse_result(result);
        out
    }
}

/// What `expr` gives for an expression the deparser refuses.
pub const UNPRINTABLE_EXPR: &str = "<expression the deparser could not print>";

/// Canonical text of an expression: deparsed as the single target of a SELECT.
pub fn expr(e: &protobuf::Node) -> Expr {
    from_text(expr_text(e))
}

/// An `Expr` from `expr_text`'s result.
/// Keeps the statement's own wording of an expression as `text` (the canonical form stays for
/// comparisons); without it, `text` is the canonical form.
/// (`source` only runs when there is an expression: most statements have none to look for.)
pub fn written(e: Option<Expr>, source: impl FnOnce() -> Option<String>) -> Option<Expr> {
    e.map(|e| match source() {
        Some(text) => Expr { text, canonical: e.canonical },
        None => e,
    })
}

pub fn from_text(text: Option<String>) -> Expr {
    let text = text.unwrap_or_else(|| UNPRINTABLE_EXPR.to_string());
    Expr { canonical: text.clone(), text }
}

/// The deparsed text of an expression; `None` if the deparser refuses it. Common simple shapes
/// are printed in Rust (`format::expr`, byte-identical), the rest by the deparser.
pub fn expr_text(e: &protobuf::Node) -> Option<String> {
    super::format::expr(e).or_else(|| deparse_expr_text(e))
}

/// `expr_text` through pg_query's deparser only.
pub fn deparse_expr_text(e: &protobuf::Node) -> Option<String> {
    let select = protobuf::SelectStmt {
        target_list: vec![node(N::ResTarget(Box::new(protobuf::ResTarget {
            name: String::new(),
            indirection: vec![],
            val: Some(Box::new(e.clone())),
            location: 0,
        })))],
        op: protobuf::SetOperation::SetopNone as i32,
        limit_option: protobuf::LimitOption::Default as i32,
        ..Default::default()
    };
    statement(N::SelectStmt(Box::new(select))).and_then(|s| s.strip_prefix("SELECT ").map(str::to_string))
}

pub fn opt_expr(e: &Option<Box<protobuf::Node>>) -> Option<Expr> {
    e.as_deref().map(expr)
}

/// Canonical text of a whole query (view bodies).
pub fn query(q: &protobuf::Node) -> Expr {
    let text = statement_ref(q).unwrap_or_else(|| "<query the deparser could not print>".to_string());
    Expr { canonical: text.clone(), text }
}

/// The text after a fixed deparsed prefix, e.g. the constraint part of
/// `ALTER TABLE x ADD <constraint>`.
pub fn after_prefix(n: N, prefix: &str) -> Option<String> {
    statement(n).and_then(|s| s.strip_prefix(prefix).map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_target(sql: &str) -> protobuf::Node {
        let stmts = crate::parse::parse_sql(sql).unwrap();
        let Some(N::SelectStmt(s)) = stmts[0].stmt.as_ref().unwrap().node.as_ref() else { panic!() };
        let Some(N::ResTarget(r)) = s.target_list[0].node.as_ref() else { panic!() };
        r.val.as_deref().unwrap().clone()
    }

    #[test]
    fn the_hand_encoded_wrapper_is_prosts_and_deparses_alike() {
        use prost::Message;
        for sql in ["SELECT a, b FROM t WHERE c = 1", "CREATE VIEW v AS SELECT 1", "SELECT 1; SELECT 2"] {
            for raw in crate::parse::parse_sql(sql).unwrap() {
                let n = *raw.stmt.unwrap();
                let tree = protobuf::ParseResult {
                    version: PG_VERSION_NUM,
                    stmts: vec![protobuf::RawStmt { stmt: Some(Box::new(n.clone())), stmt_location: 0, stmt_len: 0 }],
                };
                let by_hand = statement_ref(&n);
                assert_eq!(by_hand, pg_query::deparse(&tree, Default::default()).ok(), "{sql}");
                assert!(by_hand.is_some(), "{sql}");
                assert_eq!(encode_as_parse_result(&n), tree.encode_to_vec(), "{sql}");
            }
        }
        assert_eq!(statement_ref(&protobuf::Node { node: None }), None);
    }

    #[test]
    fn parentheses_do_not_change_canonical_text() {
        let a = expr(&first_target("SELECT (auth.uid() = user_id)"));
        let b = expr(&first_target("SELECT ((auth.uid()) = user_id)"));
        assert_eq!(a.canonical, b.canonical);
        assert_eq!(a.canonical, "auth.uid() = user_id");
    }
}
