//! Parsing one statement with PostgreSQL's own grammar (pg_query).
//!
//! Invariants:
//! - One statement at a time, so memory stays flat and an error stays local to its statement.
//! - A parse error is an `Err` with the absolute line:column PostgreSQL points at; it never panics
//!   and never leaves the parser unusable.
//! - Only `parse` and `build` see pg_query types.
//!
//! We call libpg_query's C entry point directly instead of `pg_query::parse` for two reasons: the
//! crate's error drops `cursorpos` (we need the column PostgreSQL points at), and its `ParseResult`
//! walks every node to collect table names we do not use (measurable on a 2.7 MB dump).

use crate::load::Statement;
use crate::model::Span;
use pg_query::protobuf;
use prost::Message;
use std::ffi::{c_char, c_int, CStr};

#[repr(C)]
pub(crate) struct PgQueryError {
    pub(crate) message: *mut c_char,
    funcname: *mut c_char,
    filename: *mut c_char,
    lineno: c_int,
    cursorpos: c_int,
    context: *mut c_char,
}

#[repr(C)]
pub(crate) struct PgQueryProtobuf {
    pub(crate) len: usize,
    pub(crate) data: *mut c_char,
}

#[repr(C)]
struct PgQueryProtobufParseResult {
    parse_tree: PgQueryProtobuf,
    stderr_buffer: *mut c_char,
    error: *mut PgQueryError,
}

extern "C" {
    fn pg_query_parse_protobuf_opts(input: *const c_char, parser_options: c_int) -> PgQueryProtobufParseResult;
    fn pg_query_free_protobuf_parse_result(result: PgQueryProtobufParseResult);
}

/// Nesting beyond this is refused before it reaches the parser: PostgreSQL's own stack-depth check
/// assumes a C stack much larger than a wasm engine gives, so a 100,000-level expression would
/// overflow the engine first and kill the instance.
pub const MAX_NESTING: usize = 1000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    /// Where PostgreSQL points: absolute position in the file.
    pub span: Span,
}

/// The statements pg_query found in one split statement (normally exactly one).
pub type Parsed = Result<Vec<protobuf::RawStmt>, ParseError>;

pub fn parse_statement(source: &str, stmt: &Statement) -> Parsed {
    let text = stmt.text(source);
    if let Some(at) = too_deep(text) {
        return Err(ParseError {
            message: format!("expression nested more than {MAX_NESTING} levels deep (parentheses or a chain of operators); not parsed, to keep the parser within its stack"),
            span: span_within(source, stmt.span, at),
        });
    }
    parse_sql(text).map_err(|(message, cursor)| ParseError { message, span: span_within(source, stmt.span, cursor) })
}

/// Parses SQL text; on error returns PostgreSQL's message and the byte offset it points at.
pub fn parse_sql(text: &str) -> Result<Vec<protobuf::RawStmt>, (String, usize)> {
    INPUT.with_borrow_mut(|input| {
        // One buffer for every statement rather than a CString each: an allocation and a free
        // per statement cost more in the wasm build's allocator than the copy. NULs (which C
        // would take as the end) become spaces.
        input.clear();
        input.extend_from_slice(text.as_bytes());
        if input.contains(&0) {
            input.iter_mut().filter(|b| **b == 0).for_each(|b| *b = b' ');
        }
        input.push(0);
        parse_c_string(text, input)
    })
}

thread_local! {
    static INPUT: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// [`parse_sql`] of `text`, given as the NUL-terminated `input`.
fn parse_c_string(text: &str, input: &[u8]) -> Result<Vec<protobuf::RawStmt>, (String, usize)> {
    debug_assert_eq!(input.last(), Some(&0));
    // SAFETY: libpg_query takes a NUL-terminated string and returns owned buffers that we copy out
    // of and then free exactly once with the matching free function.
    unsafe {
        let result = pg_query_parse_protobuf_opts(input.as_ptr() as *const c_char, 0);
        let out = if !result.error.is_null() {
            let err = &*result.error;
            let message = CStr::from_ptr(err.message).to_string_lossy().into_owned();
            // cursorpos is 1-based in characters; 0 means "no position".
            let cursor = char_to_byte(text, (err.cursorpos.max(1) - 1) as usize);
            Err((message, cursor))
        } else {
            let data = std::slice::from_raw_parts(result.parse_tree.data as *const u8, result.parse_tree.len);
            match protobuf::ParseResult::decode(data) {
                Ok(tree) => Ok(tree.stmts),
                Err(e) => Err((format!("internal: cannot decode parse tree: {e}"), 0)),
            }
        };
        pg_query_free_protobuf_parse_result(result);
        out
    }
}

fn char_to_byte(text: &str, chars: usize) -> usize {
    text.char_indices().nth(chars).map(|(b, _)| b).unwrap_or(text.len())
}

/// Byte offset where the estimated expression depth first exceeds [`MAX_NESTING`], ignoring
/// quoted text and dollar-quoted bodies. The estimate is parenthesis depth plus the length of the
/// current run of symbolic operators (`a || b || c ...` parses to a tree as deep as the chain is
/// long); commas, parentheses and `AND`/`OR`/`WHEN`/`THEN`-like keywords end a run, since lists and
/// boolean chains parse flat.
fn too_deep(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    // Every level costs at least one bracket or operator byte: most statements cannot get there.
    // (A table, not `contains`: this looks at every byte of every long statement.)
    if b.len() <= MAX_NESTING || b.iter().map(|&c| LEVEL_BYTE[c as usize] as usize).sum::<usize>() <= MAX_NESTING {
        return None;
    }
    let mut depth = 0usize;
    let mut run = 0usize;
    let mut i = 0;
    let mut quote = 0u8;
    while i < b.len() {
        let c = b[i];
        if quote != 0 {
            if c == quote {
                quote = 0;
            }
            i += 1;
            continue;
        }
        match c {
            b'\'' | b'"' => quote = c,
            b'$' => {
                // Skip dollar-quoted bodies: a function body may legitimately hold many parentheses.
                if let Some(len) = dollar_tag_len(&b[i..]) {
                    let tag = &b[i..i + len];
                    if let Some(p) = b[i + len..].windows(len).position(|w| w == tag) {
                        i += len + p + len;
                        continue;
                    }
                }
            }
            b'(' | b'[' => {
                depth += 1;
                run = 0;
            }
            b')' | b']' => {
                depth = depth.saturating_sub(1);
                run = 0;
            }
            b',' | b';' => run = 0,
            c if OPERATOR_BYTE[c as usize] => {
                // One operator token, however many characters it has.
                while i + 1 < b.len() && OPERATOR_BYTE[b[i + 1] as usize] {
                    i += 1;
                }
                run += 1;
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while i + 1 < b.len() && (b[i + 1].is_ascii_alphanumeric() || b[i + 1] == b'_') {
                    i += 1;
                }
                let word = &b[start..=i];
                // Only a running chain can be ended; most words need no comparison.
                if run > 0
                    && [&b"and"[..], b"or", b"when", b"then", b"else", b"case", b"end", b"select", b"from", b"where", b"on", b"as"]
                        .iter()
                        .any(|k| word.eq_ignore_ascii_case(k))
                {
                    run = 0;
                }
            }
            _ => {}
        }
        if depth + run > MAX_NESTING {
            return Some(i);
        }
        i += 1;
    }
    None
}

const fn byte_set(members: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < members.len() {
        set[members[i] as usize] = true;
        i += 1;
    }
    set
}

/// Bytes that can start an operator token.
const OPERATOR_BYTE: [bool; 256] = byte_set(b"+-*/%^<>=~!@#&|`?");
/// Bytes that can add a nesting level: an opening bracket or an operator byte.
const LEVEL_BYTE: [bool; 256] = byte_set(b"([+-*/%^<>=~!@#&|`?");

fn dollar_tag_len(b: &[u8]) -> Option<usize> {
    let end = b[1..].iter().position(|&c| !(c.is_ascii_alphanumeric() || c == b'_'))? + 1;
    (b.get(end) == Some(&b'$') && (end == 1 || !b[1].is_ascii_digit())).then_some(end + 1)
}

/// Absolute span of byte `offset` inside a statement.
pub fn span_within(source: &str, stmt: Span, offset: usize) -> Span {
    let start = stmt.start as usize;
    let abs = (start + offset).min(source.len());
    let prefix = &source[start..abs];
    let newlines = prefix.matches('\n').count() as u32;
    let column = match prefix.rfind('\n') {
        Some(p) => 1 + prefix[p + 1..].chars().count() as u32,
        None => stmt.column + prefix.chars().count() as u32,
    };
    Span { file: stmt.file, line: stmt.line + newlines, column, start: abs as u32, end: abs as u32 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::split;

    #[test]
    fn error_points_at_the_offending_token() {
        let src = "SELECT 1;\nCREATE TABLE t (\n  id int,\n  oops oops oops\n);";
        let s = split(src, 0);
        let e = parse_statement(src, &s.statements[1]).unwrap_err();
        assert!(e.message.contains("syntax error"), "{}", e.message);
        assert_eq!((e.span.line, e.span.column), (4, 13));
    }

    #[test]
    fn deep_nesting_is_refused_but_moderate_nesting_parses() {
        let ten = format!("SELECT {}1{};", "(".repeat(10), ")".repeat(10));
        assert!(parse_sql(&ten).is_ok());
        let chain = format!("SELECT {};", vec!["'a'"; 2000].join(" || "));
        let s = split(&chain, 0);
        assert!(parse_statement(&chain, &s.statements[0]).unwrap_err().message.contains("chain of operators"));
        let flat = format!("SELECT {};", vec!["a = 1"; 5000].join(" AND "));
        let s = split(&flat, 0);
        assert!(parse_statement(&flat, &s.statements[0]).is_ok());
        let deep = format!("SELECT {}1{}", "(".repeat(100_000), ")".repeat(100_000));
        let s = split(&deep, 0);
        let e = parse_statement(&deep, &s.statements[0]).unwrap_err();
        assert!(e.message.contains("nested"));
    }

    #[test]
    fn nul_bytes_parse_as_spaces() {
        assert_eq!(parse_sql("SELECT\01").unwrap().len(), 1);
        assert_eq!(parse_sql("SELECT 1").unwrap(), parse_sql("SELECT 1\0").unwrap());
        assert!(parse_sql("SELECT 'a\0b' +").is_err());
    }

    #[test]
    fn parser_survives_errors() {
        for _ in 0..50 {
            assert!(parse_sql("SELEC 1").is_err());
            assert_eq!(parse_sql("SELECT 1").unwrap().len(), 1);
        }
    }
}
