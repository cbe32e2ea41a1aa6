//! Parsing one statement with PostgreSQL's own grammar (pg_query).
//!
//! Invariants:
//! - A statement, or a batch of `BATCH` consecutive ones (`parse_batch`, what a load uses), at a
//!   time, so memory stays flat; an error stays local to its statement (a batch the parser
//!   rejects is parsed again statement by statement).
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
    match parse_joined(&[text]) {
        Ok((trees, _)) => Ok(trees),
        // cursorpos is 1-based in characters; 0 means "no position".
        Err((message, cursorpos)) => Err((message, char_to_byte(text, (cursorpos.max(1) - 1) as usize))),
    }
}

/// How many statements [`parse_batch`] hands libpg_query in one call. Each call has a fixed cost
/// (a memory context, the protobuf encoder's arena, copies of the result) that is small natively
/// but about 0.6 us in wasm, 9 ms of GitLab's dump; batches of 8 already save most of it, and 32
/// divides the 256 statements between progress reports.
pub(crate) const BATCH: usize = 32;

/// What separates statements parsed together: a `--` comment that ends a statement cannot hide
/// the `;`.
const SEPARATOR: &[u8] = b"\n;\n";

/// [`parse_statement`] of each of `stmts`, with one call into libpg_query for all of them where
/// possible. Each result comes with the offset of its statement in the text parsed: locations in
/// its trees are offsets into that text, so subtract it (for a statement parsed alone it is 0).
/// `stmt_location` and `stmt_len` are made what parsing the statement alone gives. A batch the
/// parser rejects is parsed again a statement at a time, so errors are `parse_statement`'s.
pub(crate) fn parse_batch(source: &str, stmts: &[Statement]) -> Vec<(Parsed, i32)> {
    // Statements too deep for the parser are refused alone, before it sees them.
    let deep: Vec<bool> = stmts.iter().map(|s| too_deep(s.text(source)).is_some()).collect();
    let texts: Vec<&str> = stmts.iter().zip(&deep).filter(|(_, &d)| !d).map(|(s, _)| s.text(source)).collect();
    let mut shares = match texts.len() {
        0 | 1 => None,
        _ => parse_joined(&texts).ok().map(|(trees, offsets)| share_out(trees, &offsets).into_iter().zip(offsets)),
    };
    stmts
        .iter()
        .zip(deep)
        .map(|(stmt, deep)| match shares.as_mut() {
            Some(shares) if !deep => {
                let (trees, offset) = shares.next().expect("a share for each statement parsed together");
                (Ok(trees), offset as i32)
            }
            _ => (parse_statement(source, stmt), 0),
        })
        .collect()
}

/// The trees of statements parsed together, statement by statement (`offsets`: where each
/// statement starts in the text parsed), with `stmt_location` and `stmt_len` as parsing each
/// statement alone gives them.
fn share_out(trees: Vec<protobuf::RawStmt>, offsets: &[usize]) -> Vec<Vec<protobuf::RawStmt>> {
    let mut shares: Vec<Vec<protobuf::RawStmt>> = offsets.iter().map(|_| Vec::new()).collect();
    for mut tree in trees {
        // A tree's location is its first token's.
        let j = offsets.partition_point(|&o| o as i32 <= tree.stmt_location).saturating_sub(1);
        tree.stmt_location -= offsets[j] as i32;
        shares[j].push(tree);
    }
    // Alone, nothing follows a statement's last tree: its length is "to the end" (0).
    for share in &mut shares {
        if let Some(last) = share.last_mut() {
            last.stmt_len = 0;
        }
    }
    shares
}

/// libpg_query's parse of `texts` joined by [`SEPARATOR`] (a single text as it is), with where
/// each text starts; or PostgreSQL's message and its 1-based character position.
fn parse_joined(texts: &[&str]) -> Result<(Vec<protobuf::RawStmt>, Vec<usize>), (String, i32)> {
    INPUT.with_borrow_mut(|input| {
        // One buffer for every call rather than a CString each: an allocation and a free per
        // statement cost more in the wasm build's allocator than the copy. NULs (which C would
        // take as the end) become spaces.
        input.clear();
        let mut offsets = Vec::with_capacity(texts.len());
        for (i, text) in texts.iter().enumerate() {
            if i > 0 {
                input.extend_from_slice(SEPARATOR);
            }
            offsets.push(input.len());
            input.extend_from_slice(text.as_bytes());
        }
        if input.contains(&0) {
            input.iter_mut().filter(|b| **b == 0).for_each(|b| *b = b' ');
        }
        input.push(0);
        let parsed = parse_c_string(input).map(|trees| (trees, offsets));
        // Kept for the next call, unless one huge statement made it huge.
        if input.capacity() > 1 << 20 {
            *input = Vec::new();
        }
        parsed
    })
}

thread_local! {
    static INPUT: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// libpg_query's parse of the NUL-terminated `input`.
fn parse_c_string(input: &[u8]) -> Result<Vec<protobuf::RawStmt>, (String, i32)> {
    debug_assert_eq!(input.last(), Some(&0));
    // SAFETY: libpg_query takes a NUL-terminated string and returns owned buffers that we copy out
    // of and then free exactly once with the matching free function.
    unsafe {
        let result = pg_query_parse_protobuf_opts(input.as_ptr() as *const c_char, 0);
        let out = if !result.error.is_null() {
            let err = &*result.error;
            Err((CStr::from_ptr(err.message).to_string_lossy().into_owned(), err.cursorpos))
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

/// Parses one scalar expression given alone (a `pg_policies.qual`), as the target of a SELECT so
/// that anything more than one expression (a second statement, a FROM clause) is refused.
/// Errors carry the byte offset into `text`.
pub fn parse_expression(text: &str) -> Result<protobuf::Node, (String, usize)> {
    const PREFIX: &str = "SELECT ";
    let sql = format!("{PREFIX}{text}");
    if let Some(at) = too_deep(&sql) {
        return Err((format!("expression nested more than {MAX_NESTING} levels deep; not parsed"), at.saturating_sub(PREFIX.len())));
    }
    let stmts = parse_sql(&sql).map_err(|(m, at)| (m, at.saturating_sub(PREFIX.len())))?;
    let not_one = || ("not a single expression".to_string(), 0);
    let [raw] = stmts.as_slice() else {
        return Err(not_one());
    };
    let Some(protobuf::node::Node::SelectStmt(select)) = raw.stmt.as_ref().and_then(|s| s.node.as_ref()) else {
        return Err(not_one());
    };
    let plain = protobuf::SelectStmt {
        target_list: select.target_list.clone(),
        op: select.op,
        limit_option: select.limit_option,
        ..Default::default()
    };
    if **select != plain || select.target_list.len() != 1 {
        return Err(not_one());
    }
    match select.target_list[0].node.as_ref() {
        Some(protobuf::node::Node::ResTarget(r)) if r.name.is_empty() => r.val.as_deref().cloned().ok_or_else(not_one),
        _ => Err(not_one()),
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

    /// Whether trees parsed together (their statement at `base`) equal trees parsed alone but for
    /// offsets into the parsed text (`location`, `*_location`, `*list_start`, `*list_end`), which
    /// are `base` larger unless unset (0 or -1); `stmt_location` parse_batch made relative.
    fn same_but_offsets(together: &[protobuf::RawStmt], alone: &[protobuf::RawStmt], base: i32) -> bool {
        let (t, a) = (format!("{together:?}"), format!("{alone:?}"));
        let (mut t, mut a) = (t.as_str(), a.as_str());
        loop {
            let (Some(ct), Some(ca)) = (t.find(": "), a.find(": ")) else {
                return t == a;
            };
            if t[..ct] != a[..ca] {
                return false;
            }
            let field = t[..ct].rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or("");
            let offset = field != "stmt_location" && ["location", "list_start", "list_end"].iter().any(|f| field.ends_with(f));
            let number = |s: &str| s.find(|c: char| c != '-' && !c.is_ascii_digit()).unwrap_or(s.len());
            let (nt, na) = (number(&t[ct + 2..]), number(&a[ca + 2..]));
            let (vt, va) = (&t[ct + 2..ct + 2 + nt], &a[ca + 2..ca + 2 + na]);
            if vt != va && !(offset && vt.parse::<i32>().ok().zip(va.parse::<i32>().ok()).is_some_and(|(x, y)| x - base == y)) {
                return false;
            }
            (t, a) = (&t[ct + 2 + nt..], &a[ca + 2 + na..]);
        }
    }

    /// parse_batch against parse_statement, statement by statement; how many were compared and how
    /// many of those were parsed together after another.
    fn assert_batches_parse_alike(source: &str) -> (usize, usize) {
        let split = split(source, 0);
        let (mut compared, mut together) = (0, 0);
        for chunk in split.statements.chunks(BATCH) {
            for ((batched, base), stmt) in parse_batch(source, chunk).into_iter().zip(chunk) {
                let alone = parse_statement(source, stmt);
                match (&batched, &alone) {
                    (Ok(b), Ok(a)) => assert!(same_but_offsets(b, a, base), "{}\n{b:?}\n{a:?}", stmt.text(source)),
                    _ => assert_eq!(batched, alone, "{}", stmt.text(source)),
                }
                compared += 1;
                together += usize::from(base > 0);
            }
        }
        (compared, together)
    }

    #[test]
    fn statements_parsed_together_parse_as_alone() {
        let tricky = [
            "SELECT 1 -- a comment ends this statement",
            "SELECT 'a;b', $$ ; $$, E'\\';'",
            "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END",
            "CREATE TABLE t (a int CHECK (a > 0), CONSTRAINT c CHECK (a < 9))",
            "SELECT\u{0}1",
            "SELEC oops",
            &format!("SELECT {}1{}", "(".repeat(1500), ")".repeat(1500)),
            "SELECT 2 /* a comment */",
            "ALTER TABLE t ADD CONSTRAINT k CHECK ((b IS NOT NULL)) NOT VALID",
        ]
        .join("\n;\n");
        // The error makes its batch fall back; without it the rest parses together.
        assert_eq!(assert_batches_parse_alike(&tricky), (9, 0));
        let fine: String = tricky.split("\n;\n").filter(|s| !s.starts_with("SELEC ")).collect::<Vec<_>>().join("\n;\n");
        // (The statement too deep for the parser is refused alone.)
        assert_eq!(assert_batches_parse_alike(&fine), (8, 6));
    }

    #[test]
    fn the_corpus_parses_alike_together_and_alone() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (mut compared, mut together) = (0, 0);
        for dir in [root.join("../fixtures/dumps"), root.join("../../shared/corpus")] {
            let mut files = vec![dir];
            while let Some(p) = files.pop() {
                if p.is_dir() {
                    files.extend(std::fs::read_dir(&p).into_iter().flatten().flatten().map(|e| e.path()));
                } else if p.extension().is_some_and(|e| e == "sql") {
                    if let Ok(text) = std::fs::read_to_string(&p) {
                        let (c, t) = assert_batches_parse_alike(&text);
                        compared += c;
                        together += t;
                    }
                }
            }
        }
        assert!(compared > 1000 && together > compared / 2, "{compared} compared, {together} parsed together");
    }

    #[test]
    fn parser_survives_errors() {
        for _ in 0..50 {
            assert!(parse_sql("SELEC 1").is_err());
            assert_eq!(parse_sql("SELECT 1").unwrap().len(), 1);
        }
    }
}
