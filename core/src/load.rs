//! Decoding bytes to text and splitting pg_dump output into statements.
//!
//! Invariants:
//! - Never fails: any byte sequence decodes (lossily, with a diagnostic) and splits.
//! - The splitter understands what psql would feed the server: psql meta-commands (`\restrict`,
//!   `\connect`, any `\` line at statement start) are counted, not parsed; `COPY ... FROM stdin;`
//!   data up to `\.` is skipped and counted; quotes, dollar quotes with tags, comments and
//!   `BEGIN ATOMIC ... END` bodies never end a statement early.
//! - Every statement carries its byte range and 1-based line:column, and the pg_dump header comment
//!   (`-- Name: x; Type: T; Schema: s; Owner: o`) that preceded it, if any.
//! - Knows nothing about pg_query or the model.

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Span;
use std::io::Read;

pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// Binary content (a picture, pg_dump's custom format): not worth splitting or parsing.
    pub binary: bool,
}

/// Decodes a file: gzip transparently, UTF-8 with or without BOM, anything else lossily with a
/// diagnostic (UTF-16 with a BOM is decoded properly, since editors on Windows write it).
pub fn decode(name: &str, bytes: &[u8], file: u32, diagnostics: &mut Vec<Diagnostic>) -> Decoded {
    decode_owned(name, bytes.to_vec(), file, diagnostics)
}

/// [`decode`] taking the bytes: valid UTF-8 becomes the text without a copy.
pub fn decode_owned(name: &str, mut bytes: Vec<u8>, file: u32, diagnostics: &mut Vec<Diagnostic>) -> Decoded {
    let at_start = Span { file, line: 1, column: 1, start: 0, end: 0 };
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        let result = flate2::read::MultiGzDecoder::new(&bytes[..]).read_to_end(&mut out);
        drop(bytes);
        match result {
            Ok(_) => {
                let inner = decode_owned(name, out, file, diagnostics);
                return Decoded { encoding: "gzip", ..inner };
            }
            Err(e) => {
                diagnostics.push(Diagnostic::new(
                    Severity::Error,
                    "bad_gzip",
                    format!("the file looks gzip-compressed but cannot be decompressed: {e}; {} bytes were recovered", out.len()),
                    name,
                    at_start,
                ));
                let inner = decode_owned(name, out, file, diagnostics);
                return Decoded { encoding: "gzip (truncated)", ..inner };
            }
        }
    }
    if let Some(rest) = bytes.strip_prefix(&[0xff, 0xfe]).or_else(|| bytes.strip_prefix(&[0xfe, 0xff])) {
        let le = bytes[0] == 0xff;
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| {
                let pair = [c[0], *c.get(1).unwrap_or(&0)];
                if le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            })
            .collect();
        diagnostics.push(Diagnostic::new(
            Severity::Warning,
            "utf16",
            "the file is UTF-16; it was converted to UTF-8 (pg_dump writes the database encoding, usually UTF-8)",
            name,
            at_start,
        ));
        return Decoded { text: String::from_utf16_lossy(&units), encoding: if le { "utf-16le" } else { "utf-16be" }, binary: false };
    }
    let bom = bytes.starts_with(&[0xef, 0xbb, 0xbf]);
    if bom {
        bytes.drain(..3);
    }
    let binary = looks_binary(&bytes);
    match String::from_utf8(bytes) {
        Ok(text) => {
            if binary {
                diagnostics.push(binary_diagnostic(name, at_start));
            }
            Decoded { text, encoding: if bom { UTF8_BOM } else { "utf-8" }, binary }
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let body = e.into_bytes();
            let (line, column) = line_col(&body[..valid]);
            let span = Span { file, line, column, start: valid as u32, end: valid as u32 };
            if binary {
                diagnostics.push(binary_diagnostic(name, at_start));
            } else {
                diagnostics.push(Diagnostic::new(
                    Severity::Warning,
                    "not_utf8",
                    "the file is not valid UTF-8 from here on; invalid bytes were replaced with U+FFFD",
                    name,
                    span,
                ));
            }
            Decoded { text: String::from_utf8_lossy(&body).into_owned(), encoding: "lossy", binary }
        }
    }
}

/// What `text.lines().count()` gives (a last line without `\n` counts, an empty text has none),
/// eight bytes at a time: it runs over the whole file.
pub(crate) fn line_count(text: &str) -> u32 {
    let b = text.as_bytes();
    let newlines = count_byte(b, b'\n');
    (newlines + usize::from(b.last().is_some_and(|&l| l != b'\n'))) as u32
}

/// Occurrences of `needle` in `hay`, a word at a time (the wasm build has no SIMD).
fn count_byte(hay: &[u8], needle: u8) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let pattern = LO * needle as u64;
    let mut chunks = hay.chunks_exact(8);
    let mut n = 0;
    for chunk in &mut chunks {
        let x = u64::from_le_bytes(chunk.try_into().expect("chunks of 8")) ^ pattern;
        // A byte of `x` is zero exactly where `needle` was; this sets the high bit of exactly
        // those bytes (no borrow crosses bytes, unlike the shorter `(x - LO) & !x & HI`).
        let zero = !(((x & !HI) + !HI) | x) & HI;
        n += zero.count_ones() as usize;
    }
    n + chunks.remainder().iter().filter(|&&c| c == needle).count()
}

fn binary_diagnostic(name: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Severity::Error,
        "binary_input",
        "this looks like a binary file, not SQL text (pg_dump's custom format needs `pg_restore -f - --schema-only` first)",
        name,
        span,
    )
}

fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    head.starts_with(b"PGDMP") || head.contains(&0) || head.starts_with(b"\x89PNG")
}

fn line_col(prefix: &[u8]) -> (u32, u32) {
    let line = 1 + prefix.iter().filter(|&&b| b == b'\n').count() as u32;
    let last = prefix.iter().rposition(|&b| b == b'\n').map(|p| p + 1).unwrap_or(0);
    let column = 1 + String::from_utf8_lossy(&prefix[last..]).chars().count() as u32;
    (line, column)
}

pub use crate::model::DumpHeader;

#[derive(Clone, Debug)]
pub struct Statement {
    pub span: Span,
    pub header: Option<DumpHeader>,
}

impl Statement {
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.span.start as usize..self.span.end as usize]
    }
}

#[derive(Debug, Default)]
pub struct Split {
    pub statements: Vec<Statement>,
    pub diagnostics: Vec<Diagnostic>,
    pub meta_commands: u64,
    pub copy_blocks: u64,
    pub copy_rows: u64,
}

/// Tracks line and column while the splitter moves forward, so positions cost O(n) overall.
struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: u32,
    line_start: usize,
    file: u32,
}

impl<'a> Cursor<'a> {
    fn span_at(&self, start: usize) -> Span {
        debug_assert!(start >= self.line_start);
        let column = 1 + self.text[self.line_start..start].chars().count() as u32;
        Span { file: self.file, line: self.line, column, start: start as u32, end: start as u32 }
    }

    /// Moves to `to`, counting newlines on the way.
    fn advance_to(&mut self, to: usize) {
        let to = to.min(self.bytes.len());
        if to > self.pos {
            let passed = &self.bytes[self.pos..to];
            let newlines = count_byte(passed, b'\n');
            if newlines > 0 {
                self.line += newlines as u32;
                self.line_start = self.pos + passed.iter().rposition(|&b| b == b'\n').expect("counted") + 1;
            }
        }
        self.pos = to;
    }

    fn peek(&self, off: usize) -> u8 {
        *self.bytes.get(self.pos + off).unwrap_or(&0)
    }

    fn rest_of_line_end(&self, from: usize) -> usize {
        memchr(b'\n', &self.bytes[from..]).map(|p| from + p).unwrap_or(self.bytes.len())
    }
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

/// Splits decoded text into statements (see the module invariants).
pub fn split(text: &str, file: u32) -> Split {
    let mut out = Split::default();
    let mut c = Cursor { text, bytes: text.as_bytes(), pos: 0, line: 1, line_start: 0, file };
    let mut header: Option<DumpHeader> = None;
    loop {
        // Between statements: whitespace, comments (pg_dump headers among them), meta-commands.
        skip_trivia(&mut c, &mut header);
        if c.pos >= c.bytes.len() {
            break;
        }
        if c.peek(0) == b'\\' {
            let end = c.rest_of_line_end(c.pos);
            out.meta_commands += 1;
            c.advance_to(end);
            continue;
        }
        let start = c.pos;
        let start_span = c.span_at(start);
        let errors_before = out.diagnostics.len();
        let end = scan_statement(&mut c, &mut out.diagnostics);
        let terminated = c.bytes.get(c.pos.wrapping_sub(1)) == Some(&b';') && c.pos > end;
        if !terminated && out.diagnostics.len() == errors_before {
            let mut at = start_span;
            at.end = end as u32;
            out.diagnostics.push(Diagnostic::new(
                Severity::Warning,
                "unterminated_statement",
                "the last statement has no terminating semicolon: the file may be truncated",
                "",
                at,
            ));
        }
        let mut span = start_span;
        span.end = end as u32;
        let stmt_text = &text[start..end];
        out.statements.push(Statement { span, header: header.take() });
        if is_copy_from_stdin(stmt_text) {
            skip_copy_data(&mut c, &mut out);
        }
    }
    if out.statements.is_empty() && out.meta_commands == 0 {
        out.diagnostics.push(Diagnostic::new(
            Severity::Warning,
            "no_statements",
            "the file holds no SQL statements",
            "",
            Span { file, line: 1, column: 1, start: 0, end: 0 },
        ));
    }
    out
}

fn skip_trivia(c: &mut Cursor, header: &mut Option<DumpHeader>) {
    loop {
        let ws = c.bytes[c.pos..].iter().take_while(|b| b.is_ascii_whitespace()).count();
        c.advance_to(c.pos + ws);
        if c.peek(0) == b'-' && c.peek(1) == b'-' {
            let end = c.rest_of_line_end(c.pos);
            if let Some(h) = parse_header(&c.text[c.pos + 2..end]) {
                *header = Some(h);
            }
            c.advance_to(end);
            continue;
        }
        if c.peek(0) == b'/' && c.peek(1) == b'*' {
            let end = block_comment_end(c.bytes, c.pos);
            c.advance_to(end);
            continue;
        }
        // A lone `;` is an empty statement: psql sends nothing.
        if c.peek(0) == b';' {
            c.advance_to(c.pos + 1);
            continue;
        }
        break;
    }
}

fn parse_header(line: &str) -> Option<DumpHeader> {
    let line = line.trim();
    let rest = line.strip_prefix("Name: ").or_else(|| line.strip_prefix("Data for Name: "))?;
    let mut h = DumpHeader::default();
    // Fields are `; `-separated; a name may itself contain "; " only when the object is strange,
    // so read the known labels from the right.
    let mut parts: Vec<&str> = rest.split("; ").collect();
    while parts.len() > 1 {
        let last = parts[parts.len() - 1];
        if let Some(v) = last.strip_prefix("Owner: ") {
            h.owner = (v != "-").then(|| v.to_string());
        } else if let Some(v) = last.strip_prefix("Schema: ") {
            h.schema = (v != "-").then(|| v.to_string());
        } else if let Some(v) = last.strip_prefix("Type: ") {
            h.kind = v.to_string();
        } else if last.starts_with("Tablespace: ") {
        } else {
            break;
        }
        parts.pop();
    }
    h.name = parts.join("; ");
    (!h.kind.is_empty()).then_some(h)
}

/// Scans one statement from `c.pos` and returns its end (exclusive, excluding the `;`). The cursor
/// is left after the terminating `;` (or at end of input).
fn scan_statement(c: &mut Cursor, diagnostics: &mut Vec<Diagnostic>) -> usize {
    let bytes = c.bytes;
    let start = c.pos;
    let mut i = c.pos;
    // `BEGIN ATOMIC ... END` (SQL-standard function bodies) contains `;`: track its nesting by
    // keywords at word boundaries, which is what psql's own lexer does.
    let mut atomic_depth = 0u32;
    let mut paren = 0i32;
    let mut prev_word: Option<(usize, usize)> = None;
    while i < bytes.len() {
        let b = bytes[i];
        let class = BYTE_CLASS[b as usize];
        if class & SPECIAL == 0 && class & IDENT_START == 0 {
            i += 1;
            continue;
        }
        if class & IDENT_START != 0 {
            let w_start = i;
            i += 1;
            while i < bytes.len() && BYTE_CLASS[bytes[i] as usize] & IDENT_PART != 0 {
                i += 1;
            }
            let word = &bytes[w_start..i];
            if word.len() == 6 && word.eq_ignore_ascii_case(b"atomic") {
                if let Some((ps, pe)) = prev_word {
                    if bytes[ps..pe].eq_ignore_ascii_case(b"begin") {
                        atomic_depth += 1;
                    }
                }
            } else if atomic_depth > 0 {
                if word.eq_ignore_ascii_case(b"case") {
                    atomic_depth += 1;
                } else if word.eq_ignore_ascii_case(b"end") && paren >= 0 {
                    atomic_depth -= 1;
                }
            }
            prev_word = Some((w_start, i));
            continue;
        }
        match b {
            b';' if atomic_depth == 0 => {
                c.advance_to(i + 1);
                return i;
            }
            b'\'' => i = quoted_end(c, bytes, i, b'\'', start, diagnostics, "string literal"),
            b'"' => i = quoted_end(c, bytes, i, b'"', start, diagnostics, "quoted identifier"),
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = memchr(b'\n', &bytes[i..]).map(|p| i + p).unwrap_or(bytes.len());
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = block_comment_end(bytes, i),
            b'(' => {
                paren += 1;
                i += 1
            }
            b')' => {
                paren -= 1;
                i += 1
            }
            b'$' => {
                if let Some(tag_len) = dollar_tag(bytes, i) {
                    // Dollar quote only when not part of an identifier or a positional parameter.
                    let prev_ident = i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] >= 0x80);
                    if !prev_ident {
                        let tag = &bytes[i..i + tag_len];
                        let body = i + tag_len;
                        match find(&bytes[body..], tag) {
                            Some(p) => i = body + p + tag_len,
                            None => {
                                report_unterminated(c, i, diagnostics, "dollar-quoted string", std::str::from_utf8(tag).unwrap_or("$$"));
                                i = bytes.len();
                            }
                        }
                        continue;
                    }
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    c.advance_to(bytes.len());
    let end = trim_end(bytes, start, bytes.len());
    if atomic_depth > 0 {
        report_unterminated(c, start, diagnostics, "BEGIN ATOMIC block", "END");
    }
    end
}

fn trim_end(bytes: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    end
}

fn is_ident_char(b: u8) -> bool {
    BYTE_CLASS[b as usize] & IDENT_PART != 0
}

// What `scan_statement` does with a byte, looked up once per byte: it sees every byte of the file.
/// Nothing to track.
const OTHER: u8 = 0;
/// Starts a word (letters, `_`, any non-ASCII byte); also `IDENT_PART`.
const IDENT_START: u8 = 1;
/// Continues a word: `IDENT_START` bytes, digits and `$`.
const IDENT_PART: u8 = 2;
/// Quotes, comments, parentheses, dollar quotes, the terminator.
const SPECIAL: u8 = 4;

const BYTE_CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        class[b] = if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            IDENT_START | IDENT_PART
        } else if c.is_ascii_digit() {
            IDENT_PART
        } else {
            match c {
                b';' | b'\'' | b'"' | b'-' | b'/' | b'(' | b')' => SPECIAL,
                b'$' => SPECIAL | IDENT_PART,
                _ => OTHER,
            }
        };
        b += 1;
    }
    class
};

/// Length of a dollar-quote tag (`$$`, `$body$`) starting at `i`, if there is one.
fn dollar_tag(bytes: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    if bytes.get(j) == Some(&b'$') {
        return Some(2);
    }
    let first = *bytes.get(j)?;
    if !(first.is_ascii_alphabetic() || first == b'_' || first >= 0x80) {
        return None;
    }
    while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_' || bytes[j] >= 0x80) {
        j += 1;
    }
    (bytes.get(j) == Some(&b'$')).then_some(j + 1 - i)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = needle[0];
    let mut from = 0;
    while let Some(p) = memchr(first, &hay[from..]) {
        let at = from + p;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// End of a quoted token starting at `i` (doubled quotes stay inside). Backslash escapes only
/// matter for `E'...'` strings.
fn quoted_end(c: &Cursor, bytes: &[u8], i: usize, q: u8, _stmt_start: usize, diagnostics: &mut Vec<Diagnostic>, what: &str) -> usize {
    let escapes = q == b'\'' && i > 0 && (bytes[i - 1] == b'E' || bytes[i - 1] == b'e') && (i < 2 || !is_ident_char(bytes[i - 2]));
    let mut j = i + 1;
    while j < bytes.len() {
        let b = bytes[j];
        if escapes && b == b'\\' {
            j += 2;
            continue;
        }
        if b == q {
            if bytes.get(j + 1) == Some(&q) {
                j += 2;
                continue;
            }
            return j + 1;
        }
        j += 1;
    }
    report_unterminated(c, i, diagnostics, what, std::str::from_utf8(&[q]).unwrap_or("'"));
    bytes.len()
}

fn block_comment_end(bytes: &[u8], i: usize) -> usize {
    // PostgreSQL block comments nest.
    let mut depth = 0;
    let mut j = i;
    while j + 1 < bytes.len() {
        if bytes[j] == b'/' && bytes[j + 1] == b'*' {
            depth += 1;
            j += 2;
        } else if bytes[j] == b'*' && bytes[j + 1] == b'/' {
            depth -= 1;
            j += 2;
            if depth == 0 {
                return j;
            }
        } else {
            j += 1;
        }
    }
    bytes.len()
}

fn report_unterminated(c: &Cursor, at: usize, diagnostics: &mut Vec<Diagnostic>, what: &str, closer: &str) {
    // The cursor has not moved past `at` yet only if `at` is on the current line; compute fully.
    let prefix = &c.bytes[..at];
    let (line, column) = line_col(prefix);
    let span = Span { file: c.file, line, column, start: at as u32, end: c.bytes.len() as u32 };
    diagnostics.push(Diagnostic::new(
        Severity::Error,
        "unterminated",
        format!("unterminated {what} starting here (no closing {closer} before the end of the file); the file looks truncated"),
        "",
        span,
    ));
}

fn is_copy_from_stdin(stmt: &str) -> bool {
    let head = stmt.trim_start().as_bytes();
    if !head.get(..5).is_some_and(|h| h.eq_ignore_ascii_case(b"copy ")) {
        return false;
    }
    let lower = stmt.to_ascii_lowercase();
    lower.contains("from stdin")
}

/// After `COPY ... FROM stdin;` the data rows follow up to a line `\.`.
fn skip_copy_data(c: &mut Cursor, out: &mut Split) {
    // The data starts on the line after the statement.
    let eol = c.rest_of_line_end(c.pos);
    c.advance_to((eol + 1).min(c.bytes.len()));
    out.copy_blocks += 1;
    while c.pos < c.bytes.len() {
        let end = c.rest_of_line_end(c.pos);
        let line = &c.text[c.pos..end];
        let next = (end + 1).min(c.bytes.len());
        if line.trim_end_matches('\r') == "\\." {
            c.advance_to(next);
            return;
        }
        out.copy_rows += 1;
        c.advance_to(next);
    }
    let span = c.span_at(c.line_start);
    out.diagnostics.push(Diagnostic::new(Severity::Warning, "unterminated_copy", "COPY data has no terminating `\\.` line", "", span));
}

pub const UTF8_BOM: &str = "utf-8 (bom)";

/// Hex SHA-256 of the input bytes (shown in reports so readers can tell which file was analysed).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether [`decode_owned`] will turn these bytes into a text holding the same bytes (UTF-8,
/// possibly after a BOM), so the file can be hashed from its text later.
pub fn utf8_text_is_the_bytes(bytes: &[u8]) -> bool {
    !bytes.starts_with(&[0x1f, 0x8b])
        && !bytes.starts_with(&[0xff, 0xfe])
        && !bytes.starts_with(&[0xfe, 0xff])
        && std::str::from_utf8(bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes)).is_ok()
}

/// SHA-256 of a UTF-8 file given its decoded text (and whether a BOM preceded it).
pub fn sha256_of_utf8_file(text: &str, bom: bool) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    if bom {
        h.update([0xef, 0xbb, 0xbf]);
    }
    h.update(text.as_bytes());
    hex(&h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str) -> Vec<String> {
        let s = split(sql, 0);
        s.statements.iter().map(|st| st.text(sql).to_string()).collect()
    }

    #[test]
    fn splits_simple_statements_with_positions() {
        let sql = "SET x = 1;\n\nCREATE TABLE a (id int);\n  SELECT 1;";
        let s = split(sql, 0);
        let t: Vec<_> = s.statements.iter().map(|x| (x.text(sql), x.span.line, x.span.column)).collect();
        assert_eq!(t, vec![("SET x = 1", 1, 1), ("CREATE TABLE a (id int)", 3, 1), ("SELECT 1", 4, 3)]);
    }

    #[test]
    fn meta_commands_are_counted_not_split() {
        let sql = "\\restrict 9abc\nSET a = 1;\n\\connect foo\nSELECT 1;\n\\unrestrict 9abc\n";
        let s = split(sql, 0);
        assert_eq!(s.meta_commands, 3);
        assert_eq!(texts(sql), vec!["SET a = 1", "SELECT 1"]);
    }

    #[test]
    fn dollar_quotes_with_tags_and_nested_dollars() {
        let sql = "CREATE FUNCTION f() RETURNS int AS $_$ select 1; $$ x; $$ $_$ LANGUAGE sql;\nSELECT $1;";
        assert_eq!(texts(sql).len(), 2);
        assert!(texts(sql)[0].ends_with("LANGUAGE sql"));
    }

    #[test]
    fn begin_atomic_bodies_keep_their_semicolons() {
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;\nSELECT 2;";
        let t = texts(sql);
        assert_eq!(t.len(), 2, "{t:?}");
        assert!(t[0].ends_with("END"));
    }

    #[test]
    fn copy_data_is_skipped_and_counted() {
        let sql = "COPY public.t (a, b) FROM stdin;\n1\tx;y\n2\t'\n\\.\nSELECT 1;";
        let s = split(sql, 0);
        assert_eq!((s.copy_blocks, s.copy_rows), (1, 2));
        assert_eq!(texts(sql), vec!["COPY public.t (a, b) FROM stdin", "SELECT 1"]);
    }

    #[test]
    fn headers_attach_to_the_next_statement() {
        let sql = "--\n-- Name: users; Type: TABLE; Schema: public; Owner: postgres\n--\n\nCREATE TABLE public.users (id int);";
        let s = split(sql, 0);
        let h = s.statements[0].header.clone().unwrap();
        assert_eq!(
            (h.name.as_str(), h.kind.as_str(), h.schema.as_deref(), h.owner.as_deref()),
            ("users", "TABLE", Some("public"), Some("postgres"))
        );
    }

    #[test]
    fn truncated_input_reports_and_keeps_the_prefix() {
        let sql = "CREATE TABLE a (id int);\nCREATE FUNCTION f() RETURNS int AS $$ select";
        let s = split(sql, 0);
        assert_eq!(s.statements.len(), 2);
        assert_eq!(s.diagnostics.len(), 1, "{:?}", s.diagnostics);
        assert_eq!((s.diagnostics[0].line, s.diagnostics[0].column), (2, 36));
    }

    #[test]
    fn quotes_and_comments_do_not_end_statements() {
        let sql = "SELECT ';' /* ; /* nested ; */ */ , \"a;b\", E'\\';' -- ;\n FROM t; SELECT 2";
        assert_eq!(texts(sql).len(), 2);
    }

    #[test]
    fn a_missing_final_semicolon_is_reported() {
        let s = split("SELECT 1;\nCREATE TABLE t (id int", 0);
        assert_eq!(s.diagnostics.len(), 1);
        assert_eq!((s.diagnostics[0].code.as_str(), s.diagnostics[0].line), ("unterminated_statement", 2));
        assert!(split("SELECT 1;\n", 0).diagnostics.is_empty());
        assert_eq!(split("  \n-- only a comment\n", 0).diagnostics[0].code, "no_statements");
    }

    #[test]
    fn utf8_files_hash_the_same_from_their_text() {
        for bytes in [&b"SELECT 1;"[..], b"\xef\xbb\xbfSELECT 1;"] {
            assert!(utf8_text_is_the_bytes(bytes));
            let d = decode("f", bytes, 0, &mut Vec::new());
            assert_eq!(sha256_of_utf8_file(&d.text, d.encoding == UTF8_BOM), sha256_hex(bytes));
        }
        assert!(!utf8_text_is_the_bytes(b"\xff\xfeS\0"));
        assert!(!utf8_text_is_the_bytes(b"\x80abc"));
    }

    #[test]
    fn line_count_agrees_with_lines() {
        for text in ["", "\n", "a", "a\n", "a\nb", "a\r\nb\r\n", "\n\n\n", "é\nü\n\n x", &"0123456\n".repeat(37), &"x\n\ny".repeat(11)] {
            assert_eq!(line_count(text), text.lines().count() as u32, "{text:?}");
        }
    }

    #[test]
    fn copy_detection_is_byte_safe() {
        assert_eq!(split("abcdé;", 0).statements.len(), 1);
    }

    #[test]
    fn multibyte_columns_count_characters() {
        let sql = "SELECT 'é'; SELECT 2;";
        let s = split(sql, 0);
        assert_eq!(s.statements[1].span.column, 13);
    }
}
