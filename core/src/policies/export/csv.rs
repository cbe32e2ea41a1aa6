//! CSV as COPY (`\copy ... csv header`), psql (`--csv`) and SQL editors write it: RFC 4180 with a
//! header line, fields quoted when they hold the delimiter, a quote or a line break, quotes
//! doubled inside. COPY writes NULL as an empty unquoted field and '' as `""`; psql `--csv` writes
//! both as an empty field (the row check treats an empty expression as NULL either way).
//!
//! Hand-written rather than a crate so that every record keeps its byte range (for line numbers)
//! and an unterminated quote can be reported where it opened, then read past.

use super::{columns_of, looks_like_policy_header, strip_bom, Cell, Column, Ctx, ExportRow, HeaderName, RawRow, Value};
use crate::diagnostic::Severity;

/// After this many unterminated quotes the rest of the file is not re-read again (each re-read
/// scans to the end of the file, so without a bound a hostile file would cost quadratic time).
const MAX_RESYNCS: usize = 16;

pub(super) fn sniff(head: &str) -> bool {
    let Some(line) = head.lines().find(|l| !l.trim().is_empty()) else { return false };
    let delimiter = delimiter_of(line) as char;
    looks_like_policy_header(line.split(delimiter))
}

pub(super) fn read(ctx: &mut Ctx) -> Vec<ExportRow> {
    let text = ctx.text;
    let mut pos = text.len() - strip_bom(text).len();
    let delimiter = delimiter_of(text[pos..].lines().find(|l| !l.trim().is_empty()).unwrap_or(""));
    let Some(header) = header_record(ctx, &mut pos, delimiter) else { return Vec::new() };
    let names: Vec<HeaderName> = header.fields.iter().map(|f| HeaderName { name: f.text.clone(), start: f.start, end: f.end }).collect();
    let Some(map) = columns_of(ctx, &names) else { return Vec::new() };
    let mut raws = Vec::new();
    let mut seen = 0;
    let mut resyncs = 0;
    loop {
        match next_record(text, &mut pos, delimiter) {
            Next::End => break,
            Next::Record(r) if r.is_blank() => {}
            Next::Record(r) => {
                seen += 1;
                report_stray_text(ctx, &r);
                if r.fields.len() == map.len() {
                    raws.push(raw_row(&r, &map));
                } else {
                    report_field_count(ctx, &r, &map);
                }
            }
            Next::Unterminated { start, quote } => {
                seen += 1;
                resyncs += 1;
                report_unterminated(ctx, start, quote, resyncs <= MAX_RESYNCS);
                if resyncs > MAX_RESYNCS {
                    break;
                }
                // The quote may be a stray one: read on from the line after the broken row's start.
                pos = text[start..].find('\n').map_or(text.len(), |n| start + n + 1);
            }
        }
    }
    ctx.finish(&raws, seen, header.end)
}

/// The first non-blank record; `None` (reported) when there is none or it cannot be read.
fn header_record(ctx: &mut Ctx, pos: &mut usize, delimiter: u8) -> Option<Record> {
    loop {
        match next_record(ctx.text, pos, delimiter) {
            Next::Record(r) if r.is_blank() => {}
            Next::Record(r) => return Some(r),
            Next::End => {
                let msg = "the export is empty; expected a header line naming schemaname, tablename, policyname, ... and one line a policy";
                ctx.report(Severity::Warning, "export_empty", msg, 0, 0);
                return None;
            }
            Next::Unterminated { start, quote } => {
                report_unterminated(ctx, start, quote, false);
                return None;
            }
        }
    }
}

/// The delimiter the header line uses: COPY and editors write `,`; some locales' spreadsheets `;`,
/// and tab-separated copies exist. The most frequent of the three outside quotes wins.
fn delimiter_of(line: &str) -> u8 {
    let mut counts = [(b',', 0), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in line.bytes() {
        quoted ^= b == b'"';
        if let Some(c) = counts.iter_mut().find(|(d, _)| *d == b && !quoted) {
            c.1 += 1;
        }
    }
    counts.iter().fold((b',', 0), |best, &c| if c.1 > best.1 { c } else { best }).0
}

struct Field {
    text: String,
    quoted: bool,
    start: usize,
    end: usize,
    /// Where text follows a closing quote (`"ab"cd`): kept, but worth a warning.
    stray: Option<usize>,
}

struct Record {
    fields: Vec<Field>,
    start: usize,
    end: usize,
}

impl Record {
    fn is_blank(&self) -> bool {
        matches!(self.fields.as_slice(), [f] if !f.quoted && f.text.trim().is_empty())
    }
}

enum Next {
    Record(Record),
    /// A quoted field opened at `quote` runs to the end of the text; the record began at `start`.
    Unterminated {
        start: usize,
        quote: usize,
    },
    End,
}

fn next_record(text: &str, pos: &mut usize, delimiter: u8) -> Next {
    let bytes = text.as_bytes();
    if *pos >= bytes.len() {
        return Next::End;
    }
    let start = *pos;
    let mut fields = Vec::new();
    loop {
        let field_start = *pos;
        let field = if bytes[*pos..].first() == Some(&b'"') {
            match quoted_field(text, pos, delimiter) {
                Some(f) => f,
                None => return Next::Unterminated { start, quote: field_start },
            }
        } else {
            unquoted_field(text, pos, delimiter)
        };
        fields.push(field);
        match bytes.get(*pos) {
            Some(&b) if b == delimiter => *pos += 1,
            Some(b'\n') => {
                *pos += 1;
                break;
            }
            _ => break,
        }
    }
    Next::Record(Record { fields, start, end: *pos })
}

/// Up to the delimiter or the end of the line (a CR before the LF is not part of the field).
fn field_end(text: &str, from: usize, delimiter: u8) -> usize {
    text.as_bytes()[from..].iter().position(|&b| b == delimiter || b == b'\n').map_or(text.len(), |n| from + n)
}

fn without_cr(text: &str, start: usize, end: usize) -> &str {
    let s = &text[start..end];
    if text.as_bytes().get(end) == Some(&b'\n') {
        s.strip_suffix('\r').unwrap_or(s)
    } else {
        s
    }
}

fn unquoted_field(text: &str, pos: &mut usize, delimiter: u8) -> Field {
    let start = *pos;
    *pos = field_end(text, start, delimiter);
    Field { text: without_cr(text, start, *pos).to_string(), quoted: false, start, end: *pos, stray: None }
}

/// `pos` is at the opening quote; `None` when no closing quote follows.
fn quoted_field(text: &str, pos: &mut usize, delimiter: u8) -> Option<Field> {
    let start = *pos;
    let mut value = String::new();
    let mut i = start + 1;
    loop {
        let q = i + text[i..].find('"')?;
        value.push_str(&text[i..q]);
        if text.as_bytes().get(q + 1) == Some(&b'"') {
            value.push('"');
            i = q + 2;
        } else {
            i = q + 1;
            break;
        }
    }
    *pos = field_end(text, i, delimiter);
    let tail = without_cr(text, i, *pos);
    value.push_str(tail);
    Some(Field { text: value, quoted: true, start, end: *pos, stray: (!tail.is_empty()).then_some(i) })
}

fn raw_row(record: &Record, map: &[Option<Column>]) -> RawRow {
    let mut raw = RawRow::new(record.start, record.end);
    for (f, column) in record.fields.iter().zip(map) {
        if let Some(column) = column {
            let value = if f.text.is_empty() && !f.quoted { Value::Null } else { Value::Text(f.text.clone()) };
            raw.set(*column, Cell { value, start: f.start, end: f.end });
        }
    }
    raw
}

fn report_field_count(ctx: &mut Ctx, record: &Record, map: &[Option<Column>]) {
    let n = record.fields.len();
    // Point at the first field too many, or just after the last field when fields are missing.
    let (start, end) = match (record.fields.get(map.len()), record.fields.last()) {
        (Some(extra), _) => (extra.start, extra.end),
        (None, Some(last)) => (last.end, last.end),
        (None, None) => (record.start, record.start),
    };
    let columns: Vec<&str> = map.iter().map(|c| c.map_or("?", |c| c.name())).collect();
    let msg = format!(
        "row skipped: it has {n} field{}, the header has {} ({}); a field holding the delimiter, a quote or a line break must be quoted",
        if n == 1 { "" } else { "s" },
        map.len(),
        columns.join(", ")
    );
    ctx.bad_row(msg, start, end);
}

fn report_stray_text(ctx: &mut Ctx, record: &Record) {
    for f in &record.fields {
        if let Some(at) = f.stray {
            let msg = "text after a closing quote is kept as part of the field; expected the delimiter or the end of the line";
            ctx.report(Severity::Warning, "export_bad_quote", msg, at, f.end);
        }
    }
}

fn report_unterminated(ctx: &mut Ctx, start: usize, quote: usize, reading_on: bool) {
    let line = ctx.lines.line_of(start);
    let then = if reading_on {
        format!("the row starting on line {line} is skipped and reading goes on from the next line")
    } else {
        "the rest of the file is not read".to_string()
    };
    let msg =
        format!("unterminated quoted field: the `\"` here is never closed (expected a closing `\"` before the end of the file); {then}");
    ctx.report(Severity::Error, "export_unterminated_quote", msg, quote, quote + 1);
}
