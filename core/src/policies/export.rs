//! Reading a `pg_policies` export into rows: CSV (`\copy ... csv header`, psql `--csv`, an SQL
//! editor's "Download CSV"), JSON (`json_agg`, an editor's JSON export) and psql's aligned output
//! (`aligned`, `wrapped`, ASCII or Unicode lines, border 0/1/2, and `\x` expanded records).
//!
//! Invariants:
//! - The format is sniffed from the content ([`detect`]), never from a file name.
//! - [`read`] never panics and never fails as a whole: unreadable rows are skipped, each with a
//!   diagnostic that names what was expected, at the line and column of the problem.
//! - Every format goes through the same header check ([`columns_of`]) and row check
//!   ([`build_row`]), so a policy reads the same whatever the export it came from.
//! - NULL: an empty unquoted CSV field, JSON `null`, an empty psql cell. `qual`/`with_check` are
//!   also NULL when empty or a NULL marker (`(null)`, `∅`, ... as `\pset null` prints it): no
//!   expression prints as either.
//! - `roles`: the `name[]` text (`{anon,"Mixed Case Role"}`), a JSON array, or a bare list
//!   (`anon,authenticated`, as editors that turn arrays into lists write it).

mod csv;
mod json;
mod psql;
mod width;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Span;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Json,
    PsqlAligned,
}

/// One row of `pg_policies`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRow {
    pub schemaname: String,
    pub tablename: String,
    pub policyname: String,
    pub permissive: bool,
    pub roles: Vec<String>,
    /// ALL, SELECT, INSERT, UPDATE or DELETE.
    pub cmd: String,
    pub qual: Option<String>,
    pub with_check: Option<String>,
    /// 1-based line where the row starts (for `\x` output: its `-[ RECORD n ]` line).
    pub line: u32,
}

/// How much of the text [`detect`] looks at: a header is on the first lines, and a 3 MB dump must
/// not be scanned.
const SNIFF_BYTES: usize = 16 * 1024;

/// Cheap content sniffing: `Some(format)` only when the text looks like a `pg_policies` export
/// (a header naming `policyname`, or `tablename` with a policy column; a JSON document naming
/// `policyname`). A SQL dump or any other text gives `None`. Looks at the first 16 KiB only.
pub fn detect(text: &str) -> Option<ExportFormat> {
    let head = strip_bom(&text[..floor_char_boundary(text, SNIFF_BYTES)]);
    let first = head.trim_start().chars().next()?;
    if first == '[' || first == '{' {
        return (head.contains("policyname") || (head.contains("tablename") && head.contains("with_check"))).then_some(ExportFormat::Json);
    }
    if psql::sniff(head) {
        return Some(ExportFormat::PsqlAligned);
    }
    csv::sniff(head).then_some(ExportFormat::Csv)
}

/// Reads the whole export. Never panics; rows that cannot be read are skipped with a diagnostic
/// (codes `export_*`). Diagnostics carry `file`; their span's `file` index is 0 (the caller knows
/// which file it passed).
pub fn read(text: &str, file: &str, format: ExportFormat) -> (Vec<ExportRow>, Vec<Diagnostic>) {
    let mut ctx = Ctx::new(text, file);
    let rows = match format {
        ExportFormat::Csv => csv::read(&mut ctx),
        ExportFormat::Json => json::read(&mut ctx),
        ExportFormat::PsqlAligned => psql::read(&mut ctx),
    };
    (rows, ctx.diagnostics)
}

// ---------------------------------------------------------------------------------------------
// Shared by the three readers: columns, cells, the row check, positions and diagnostics.

/// The columns of `pg_policies`, in the view's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Schemaname,
    Tablename,
    Policyname,
    Permissive,
    Roles,
    Cmd,
    Qual,
    WithCheck,
}

const COLUMNS: [Column; 8] = [
    Column::Schemaname,
    Column::Tablename,
    Column::Policyname,
    Column::Permissive,
    Column::Roles,
    Column::Cmd,
    Column::Qual,
    Column::WithCheck,
];

const EXPECTED_COLUMNS: &str = "a pg_policies export has schemaname, tablename, policyname, permissive, roles, cmd, qual, with_check";

impl Column {
    fn name(self) -> &'static str {
        match self {
            Column::Schemaname => "schemaname",
            Column::Tablename => "tablename",
            Column::Policyname => "policyname",
            Column::Permissive => "permissive",
            Column::Roles => "roles",
            Column::Cmd => "cmd",
            Column::Qual => "qual",
            Column::WithCheck => "with_check",
        }
    }

    /// Header names as exporters write them: psql centres them, editors may quote or capitalise.
    fn from_name(name: &str) -> Option<Column> {
        let name = name.trim().trim_matches('"').trim();
        COLUMNS.into_iter().find(|c| c.name().eq_ignore_ascii_case(name))
    }

    /// Without these three a row cannot be matched with a dump's policy.
    fn required(self) -> bool {
        matches!(self, Column::Schemaname | Column::Tablename | Column::Policyname)
    }

    /// Columns only `pg_policies` has (`pg_tables` has schemaname and tablename too).
    fn policy_only(self) -> bool {
        !matches!(self, Column::Schemaname | Column::Tablename)
    }

    /// What a row gets when the export lacks this column (said in the warning).
    fn default_said(self) -> &'static str {
        match self {
            Column::Permissive => "every policy is taken as PERMISSIVE",
            Column::Roles => "every policy is taken as applying to {public}",
            Column::Cmd => "every policy is taken as FOR ALL",
            _ => "it is taken as NULL in every row",
        }
    }
}

/// Whether header names say `pg_policies`: `policyname`, or `tablename` with a policy column.
fn looks_like_policy_header<'a>(names: impl IntoIterator<Item = &'a str>) -> bool {
    let columns: Vec<Column> = names.into_iter().filter_map(Column::from_name).collect();
    columns.contains(&Column::Policyname) || (columns.contains(&Column::Tablename) && columns.iter().any(|c| c.policy_only()))
}

/// A name of a header (a CSV header field, a psql header cell, a JSON key) and where it is.
struct HeaderName {
    name: String,
    start: usize,
    end: usize,
}

/// Maps header positions to columns, reporting missing, unknown and repeated columns. `None` when
/// no row can be read: not a policies export at all, or a required column missing.
fn columns_of(ctx: &mut Ctx, header: &[HeaderName]) -> Option<Vec<Option<Column>>> {
    let mut map: Vec<Option<Column>> = Vec::with_capacity(header.len());
    for h in header {
        let column = Column::from_name(&h.name);
        if column.is_some() && map.contains(&column) {
            let msg = format!("column `{}` appears twice; the first one is read, this one is ignored", h.name.trim());
            ctx.report(Severity::Warning, "export_duplicate_column", msg, h.start, h.end);
            map.push(None);
        } else {
            map.push(column);
        }
    }
    let found = |c: Column| map.contains(&Some(c));
    let at = header.first().map_or((0, 0), |h| (h.start, header.last().map_or(h.end, |l| l.end)));
    if !COLUMNS.iter().any(|&c| c.policy_only() && found(c)) {
        let names: Vec<&str> = header.iter().take(12).map(|h| h.name.trim()).collect();
        let msg = format!("this is not a pg_policies export: its columns are {}; {EXPECTED_COLUMNS}", names.join(", "));
        ctx.report(Severity::Error, "export_not_policies", msg, at.0, at.1);
        return None;
    }
    let mut readable = true;
    for c in COLUMNS.into_iter().filter(|&c| !found(c)) {
        let (severity, consequence) =
            if c.required() { (Severity::Error, "no row can be read without it") } else { (Severity::Warning, c.default_said()) };
        readable &= !c.required();
        let msg = format!("missing column `{}`: {EXPECTED_COLUMNS}; {consequence}", c.name());
        ctx.report(severity, "export_missing_column", msg, at.0, at.1);
    }
    for (h, _) in header.iter().zip(&map).filter(|(h, c)| c.is_none() && Column::from_name(&h.name).is_none()) {
        let msg = format!("unknown column `{}` is ignored: {EXPECTED_COLUMNS}", h.name.trim());
        ctx.report(Severity::Info, "export_unknown_column", msg, h.start, h.end);
    }
    readable.then_some(map)
}

/// A cell's value as the format gave it.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Null,
    Text(String),
    /// A JSON array of strings (`roles` from `json_agg`).
    List(Vec<String>),
    /// A JSON value of another kind: what it is, for the message.
    Other(&'static str),
}

#[derive(Clone, Debug)]
struct Cell {
    value: Value,
    start: usize,
    end: usize,
}

/// A row as a reader found it, before its values are checked.
struct RawRow {
    start: usize,
    end: usize,
    cells: [Option<Cell>; 8],
}

impl RawRow {
    fn new(start: usize, end: usize) -> Self {
        RawRow { start, end, cells: Default::default() }
    }

    fn set(&mut self, column: Column, cell: Cell) {
        self.cells[column as usize] = Some(cell);
    }
}

/// Checks a row's values; `None` (with an error) when the row cannot be used.
fn build_row(ctx: &mut Ctx, raw: &RawRow) -> Option<ExportRow> {
    let cell = |c: Column| raw.cells[c as usize].as_ref();
    let schemaname = ctx.name_value(raw, Column::Schemaname)?;
    let tablename = ctx.name_value(raw, Column::Tablename)?;
    let policyname = ctx.name_value(raw, Column::Policyname)?;
    let permissive = match cell(Column::Permissive) {
        None => true,
        Some(c) => ctx.checked(c, "export_bad_permissive", "PERMISSIVE or RESTRICTIVE", permissive_of(&c.value))?,
    };
    let roles = match cell(Column::Roles) {
        None => vec!["public".to_string()],
        Some(c) => ctx.checked(c, "export_bad_roles", "an array of role names like {anon,authenticated}", roles_of(&c.value))?,
    };
    let cmd = match cell(Column::Cmd) {
        None => "ALL".to_string(),
        Some(c) => ctx.checked(c, "export_bad_cmd", "one of ALL, SELECT, INSERT, UPDATE, DELETE", cmd_of(&c.value))?,
    };
    let qual = ctx.expression(cell(Column::Qual))?;
    let with_check = ctx.expression(cell(Column::WithCheck))?;
    let line = ctx.lines.line_of(raw.start) as u32;
    Some(ExportRow { schemaname, tablename, policyname, permissive, roles, cmd, qual, with_check, line })
}

/// How psql (`\pset null`, often set in a psqlrc) and editors print NULL. None of them can be an
/// expression's text: PostgreSQL prints a NULL expression as `NULL::boolean`.
const NULL_MARKERS: [&str; 6] = ["(null)", "NULL", "null", "[NULL]", "∅", "¤"];

/// A value that could not be read, for a message: `NULL`, the text, or the JSON kind.
fn shown(value: &Value) -> String {
    match value {
        Value::Null => "NULL".to_string(),
        Value::Text(t) => format!("`{}`", t.chars().take(80).collect::<String>()),
        Value::List(l) => format!("{l:?}"),
        Value::Other(kind) => format!("a JSON {kind}"),
    }
}

fn permissive_of(value: &Value) -> Result<bool, String> {
    match value {
        Value::Text(t) if t.trim().eq_ignore_ascii_case("PERMISSIVE") => Ok(true),
        Value::Text(t) if t.trim().eq_ignore_ascii_case("RESTRICTIVE") => Ok(false),
        _ => Err(String::new()),
    }
}

fn cmd_of(value: &Value) -> Result<String, String> {
    let Value::Text(t) = value else { return Err(String::new()) };
    let cmd = t.trim().to_ascii_uppercase();
    if ["ALL", "SELECT", "INSERT", "UPDATE", "DELETE"].contains(&cmd.as_str()) {
        Ok(cmd)
    } else {
        Err(String::new())
    }
}

fn roles_of(value: &Value) -> Result<Vec<String>, String> {
    match value {
        Value::List(roles) => Ok(roles.clone()),
        // Some editors turn name[] into a JSON array even in CSV.
        Value::Text(t) if t.trim_start().starts_with('[') => {
            serde_json::from_str::<Vec<String>>(t).map_err(|e| format!("not a JSON array of strings: {e}"))
        }
        // Editors that turn name[] into a list write it without braces.
        Value::Text(t) if !t.contains(['{', '}', '"']) => bare_list(t),
        Value::Text(t) => parse_array_literal(t),
        _ => Err(String::new()),
    }
}

/// `anon, authenticated`: names separated by commas.
fn bare_list(text: &str) -> Result<Vec<String>, String> {
    let items: Vec<String> = text.split(',').map(|r| r.trim().to_string()).collect();
    if items.iter().any(String::is_empty) {
        return Err("it is neither an array literal nor a list of names".into());
    }
    Ok(items)
}

/// Parses a one-dimensional PostgreSQL array literal of names, as `name[]` prints:
/// `{anon,authenticated}`, `{"Mixed Case Role",public}`, `{"a\"b"}`. The error says what is wrong.
fn parse_array_literal(text: &str) -> Result<Vec<String>, String> {
    let body = text.trim().strip_prefix('{').ok_or("it does not start with `{`")?;
    let body = body.strip_suffix('}').ok_or("it does not end with `}`")?;
    let mut items = Vec::new();
    if body.trim().is_empty() {
        return Ok(items);
    }
    let mut chars = body.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let item = match chars.peek() {
            Some('"') => quoted_element(&mut chars)?,
            Some('{') => return Err("it is a nested array".into()),
            _ => unquoted_element(&mut chars)?,
        };
        items.push(item);
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        match chars.next() {
            None => return Ok(items),
            Some(',') => {}
            Some(c) => return Err(format!("unexpected `{c}` after element {}", items.len())),
        }
    }
}

fn quoted_element(chars: &mut std::iter::Peekable<std::str::Chars>) -> Result<String, String> {
    chars.next();
    let mut item = String::new();
    loop {
        match chars.next() {
            None => return Err("a quoted element is not closed".into()),
            Some('"') => return Ok(item),
            Some('\\') => item.push(chars.next().ok_or("it ends with a backslash")?),
            Some(c) => item.push(c),
        }
    }
}

fn unquoted_element(chars: &mut std::iter::Peekable<std::str::Chars>) -> Result<String, String> {
    let mut item = String::new();
    while let Some(c) = chars.next_if(|&c| c != ',') {
        match c {
            '\\' => item.push(chars.next().ok_or("it ends with a backslash")?),
            '"' | '{' | '}' => return Err(format!("`{c}` inside an unquoted element")),
            c => item.push(c),
        }
    }
    let item = item.trim_end().to_string();
    if item.is_empty() {
        return Err("an element is empty".into());
    }
    if item.eq_ignore_ascii_case("NULL") {
        return Err("an element is NULL".into());
    }
    Ok(item)
}

/// Byte offsets of line starts, to turn byte offsets into 1-based line:column (column in characters).
struct Lines {
    starts: Vec<usize>,
    /// The last position measured (byte offset, its column): diagnostics mostly come in text
    /// order, and a minified JSON line can hold thousands, so columns are counted on from there.
    last: (usize, usize),
}

impl Lines {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        Lines { starts, last: (0, 1) }
    }

    /// 1-based line of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    fn span(&mut self, text: &str, start: usize, end: usize) -> Span {
        let start = floor_char_boundary(text, start);
        let end = floor_char_boundary(text, end.max(start));
        let line = self.line_of(start);
        let line_start = self.starts[line - 1];
        let (from, column) = if (line_start..=start).contains(&self.last.0) { self.last } else { (line_start, 1) };
        let column = column + text[from..start].chars().count();
        self.last = (start, column);
        Span { file: 0, line: line as u32, column: column as u32, start: start as u32, end: end as u32 }
    }
}

/// What a reader carries: the text, the file name for diagnostics, and the diagnostics so far.
struct Ctx<'a> {
    text: &'a str,
    file: &'a str,
    lines: Lines,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    fn new(text: &'a str, file: &'a str) -> Self {
        Ctx { text, file, lines: Lines::new(text), diagnostics: Vec::new() }
    }

    fn report(&mut self, severity: Severity, code: &str, message: impl Into<String>, start: usize, end: usize) {
        let span = self.lines.span(self.text, start, end);
        self.diagnostics.push(Diagnostic::new(severity, code, message, self.file, span));
    }

    fn bad_row(&mut self, message: impl Into<String>, start: usize, end: usize) {
        self.report(Severity::Error, "export_bad_row", message, start, end);
    }

    /// Reads the rows' values; reports an export without rows (`seen`: rows found, readable or not).
    fn finish(&mut self, raws: &[RawRow], seen: usize, header_end: usize) -> Vec<ExportRow> {
        if seen == 0 {
            let msg = "the export has a header but no rows (a database without policies, or a cut-off copy?)";
            self.report(Severity::Warning, "export_header_only", msg, header_end, header_end);
        }
        raws.iter().filter_map(|raw| build_row(self, raw)).collect()
    }

    /// schemaname, tablename, policyname: a non-empty text.
    fn name_value(&mut self, raw: &RawRow, column: Column) -> Option<String> {
        match &raw.cells[column as usize] {
            Some(Cell { value: Value::Text(t), .. }) if !t.is_empty() => Some(t.clone()),
            Some(c) => {
                let msg = format!("row skipped: `{}` is {}; expected a non-empty name", column.name(), shown(&c.value));
                self.bad_row(msg, c.start, c.end);
                None
            }
            None => {
                let msg = format!("row skipped: it has no `{}`; {EXPECTED_COLUMNS}", column.name());
                self.bad_row(msg, raw.start, raw.end);
                None
            }
        }
    }

    /// A checked value, or `None` with an error naming what was expected.
    fn checked<T>(&mut self, cell: &Cell, code: &str, expected: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(why) => {
                let why = if why.is_empty() { String::new() } else { format!(" ({why})") };
                let msg = format!("row skipped: {}{why}; expected {expected}", shown(&cell.value));
                self.report(Severity::Error, code, msg, cell.start, cell.end);
                None
            }
        }
    }

    /// `qual` / `with_check`: a text or NULL; `Some(None)` for NULL, `None` for a bad value.
    fn expression(&mut self, cell: Option<&Cell>) -> Option<Option<String>> {
        match cell.map(|c| (&c.value, c)) {
            None | Some((Value::Null, _)) => Some(None),
            Some((Value::Text(t), _)) => Some((!t.is_empty() && !NULL_MARKERS.contains(&t.as_str())).then(|| t.clone())),
            Some((v, c)) => {
                let msg = format!("row skipped: an expression is {}; expected a text or null", shown(v));
                self.bad_row(msg, c.start, c.end);
                None
            }
        }
    }
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The largest char boundary at or before `i` (clamped to the text).
fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Genuine psql 15 output of four pg_policies-shaped rows (scripts/make-policy-exports.sh).
    macro_rules! tricky {
        ($suffix:literal) => {
            include_str!(concat!("../../../fixtures/exports/tricky", $suffix))
        };
    }

    const TRICKY_FORMS: [(&str, &str, ExportFormat); 10] = [
        ("tricky.csv", tricky!(".csv"), ExportFormat::Csv),
        ("tricky.json", tricky!(".json"), ExportFormat::Json),
        ("tricky-wrapped.json", tricky!("-wrapped.json"), ExportFormat::Json),
        ("tricky.txt", tricky!(".txt"), ExportFormat::PsqlAligned),
        ("tricky-wrapped.txt", tricky!("-wrapped.txt"), ExportFormat::PsqlAligned),
        ("tricky-wrapped-unicode.txt", tricky!("-wrapped-unicode.txt"), ExportFormat::PsqlAligned),
        ("tricky-unicode.txt", tricky!("-unicode.txt"), ExportFormat::PsqlAligned),
        ("tricky-border0.txt", tricky!("-border0.txt"), ExportFormat::PsqlAligned),
        ("tricky-expanded.txt", tricky!("-expanded.txt"), ExportFormat::PsqlAligned),
        ("tricky-expanded-wrapped.txt", tricky!("-expanded-wrapped.txt"), ExportFormat::PsqlAligned),
    ];

    #[allow(clippy::too_many_arguments)]
    fn row(
        schema: &str,
        table: &str,
        name: &str,
        permissive: bool,
        roles: &[&str],
        cmd: &str,
        qual: Option<&str>,
        check: Option<&str>,
    ) -> ExportRow {
        ExportRow {
            schemaname: schema.into(),
            tablename: table.into(),
            policyname: name.into(),
            permissive,
            roles: roles.iter().map(|r| r.to_string()).collect(),
            cmd: cmd.into(),
            qual: qual.map(Into::into),
            with_check: check.map(Into::into),
            line: 0,
        }
    }

    fn tricky_rows() -> Vec<ExportRow> {
        vec![
            row(
                "public",
                "orders",
                "p \"quoted\" | piped",
                true,
                &["anon", "Mixed Case Role", "a,b", "x\"y"],
                "SELECT",
                Some("(EXISTS ( SELECT 1\n   FROM t\n  WHERE ((t.a || '|') = 'x | y')))"),
                None,
            ),
            row(
                "app",
                "中文表",
                "宽字符策略",
                false,
                &["public"],
                "ALL",
                Some("(name = '中文字符中文字符中文字符中文字符中文字符中文字符')"),
                Some("(note <> '🚀 launch')"),
            ),
            row("public", "t", "only check", true, &["authenticated"], "INSERT", None, Some("(a > 0)\nAND (b > 0)")),
            row(
                "public",
                "t",
                "Users can update own profile.",
                true,
                &["authenticated", "service_role"],
                "UPDATE",
                Some("true"),
                Some("true"),
            ),
        ]
    }

    fn unlined(rows: Vec<ExportRow>) -> Vec<ExportRow> {
        rows.into_iter().map(|r| ExportRow { line: 0, ..r }).collect()
    }

    /// Reads `text`, returning the rows and the diagnostics' codes.
    fn read_codes(text: &str, format: ExportFormat) -> (Vec<ExportRow>, Vec<String>) {
        let (rows, diagnostics) = read(text, "t", format);
        (rows, diagnostics.iter().map(|d| d.code.clone()).collect())
    }

    fn only(text: &str, format: ExportFormat, code: &str) -> Diagnostic {
        let (_, diagnostics) = read(text, "t", format);
        let found: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.code == code).collect();
        assert_eq!(found.len(), 1, "one `{code}` expected in {diagnostics:#?}");
        found[0].clone()
    }

    const HEADER: &str = "schemaname,tablename,policyname,permissive,roles,cmd,qual,with_check\n";

    fn csv(rows: &str) -> String {
        format!("{HEADER}{rows}")
    }

    // --- every genuine form ---------------------------------------------------------------------

    #[test]
    fn tricky_reads_the_same_in_every_form() {
        for (name, text, format) in TRICKY_FORMS {
            assert_eq!(detect(text), Some(format), "{name}");
            let (rows, diagnostics) = read(text, name, format);
            assert!(diagnostics.is_empty(), "{name}: {diagnostics:#?}");
            assert_eq!(unlined(rows), tricky_rows(), "{name}");
        }
    }

    #[test]
    fn tricky_rows_start_on_their_lines() {
        let lines = |text: &str, format| read(text, "t", format).0.iter().map(|r| r.line).collect::<Vec<_>>();
        assert_eq!(lines(tricky!(".csv"), ExportFormat::Csv), [2, 5, 6, 8]);
        assert_eq!(lines(tricky!(".json"), ExportFormat::Json), [1, 2, 3, 4]);
        assert_eq!(lines(tricky!(".txt"), ExportFormat::PsqlAligned), [3, 6, 7, 9]);
        assert_eq!(lines(tricky!("-unicode.txt"), ExportFormat::PsqlAligned), [4, 7, 8, 10]);
        assert_eq!(lines(tricky!("-expanded.txt"), ExportFormat::PsqlAligned), [1, 12, 21, 31]);
    }

    // --- CSV --------------------------------------------------------------------------------------

    #[test]
    fn csv_null_empty_and_quoted_fields() {
        let text = csv("s,t,\"p, \"\"one\"\"\",RESTRICTIVE,\"{\"\"Mixed Case Role\"\",public}\",delete,,\"\"\n");
        let (rows, codes) = read_codes(&text, ExportFormat::Csv);
        assert!(codes.is_empty(), "{codes:?}");
        assert_eq!(unlined(rows), [row("s", "t", "p, \"one\"", false, &["Mixed Case Role", "public"], "DELETE", None, None)]);
    }

    #[test]
    fn csv_columns_in_any_order_with_extra_columns() {
        let text = "cmd,policyname,extra,tablename,schemaname,with_check,qual,roles,permissive\nSELECT,p,x,t,s,,true,{anon},PERMISSIVE\n";
        let (rows, diagnostics) = read(text, "t", ExportFormat::Csv);
        assert_eq!(unlined(rows), [row("s", "t", "p", true, &["anon"], "SELECT", Some("true"), None)]);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        let d = &diagnostics[0];
        assert_eq!((d.code.as_str(), d.severity, d.line, d.column), ("export_unknown_column", Severity::Info, 1, 16));
        assert!(d.message.contains("`extra`"), "{}", d.message);
    }

    #[test]
    fn csv_missing_required_column_reads_no_rows() {
        let text = "schemaname,tablename,permissive,roles,cmd,qual,with_check\ns,t,PERMISSIVE,{public},ALL,true,\n";
        let (rows, diagnostics) = read(text, "t", ExportFormat::Csv);
        assert!(rows.is_empty());
        let d = diagnostics.iter().find(|d| d.code == "export_missing_column").expect("missing column");
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(
            d.message,
            "missing column `policyname`: a pg_policies export has schemaname, tablename, policyname, permissive, roles, cmd, qual, with_check; no row can be read without it"
        );
        assert_eq!((d.line, d.column), (1, 1));
    }

    #[test]
    fn csv_missing_optional_columns_take_defaults_with_warnings() {
        let (rows, diagnostics) = read("schemaname,tablename,policyname\ns,t,p\n", "t", ExportFormat::Csv);
        assert_eq!(unlined(rows), [row("s", "t", "p", true, &["public"], "ALL", None, None)]);
        let missing: Vec<&str> =
            diagnostics.iter().filter(|d| d.severity == Severity::Warning).map(|d| d.message.split('`').nth(1).unwrap()).collect();
        assert_eq!(missing, ["permissive", "roles", "cmd", "qual", "with_check"]);
        assert!(diagnostics.iter().all(|d| d.code == "export_missing_column"));
    }

    #[test]
    fn csv_header_only() {
        let (rows, diagnostics) = read(HEADER, "t", ExportFormat::Csv);
        assert!(rows.is_empty());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!((diagnostics[0].code.as_str(), diagnostics[0].severity), ("export_header_only", Severity::Warning));
    }

    #[test]
    fn csv_of_something_else() {
        let text = "schemaname,tablename,tableowner,rowsecurity\npublic,users,postgres,t\n";
        assert_eq!(detect(text), None);
        let d = only(text, ExportFormat::Csv, "export_not_policies");
        assert_eq!(d.severity, Severity::Error);
        assert!(d.message.contains("its columns are schemaname, tablename, tableowner, rowsecurity"), "{}", d.message);
        assert_eq!(read_codes(text, ExportFormat::Csv), (vec![], vec!["export_not_policies".to_string()]));
    }

    #[test]
    fn csv_unterminated_quote_at_the_end() {
        let text = csv("s,t,p1,PERMISSIVE,{public},ALL,true,\ns,t,p2,PERMISSIVE,{public},ALL,\"(a = 1\n");
        let (rows, _) = read(&text, "t", ExportFormat::Csv);
        assert_eq!(rows.iter().map(|r| r.policyname.as_str()).collect::<Vec<_>>(), ["p1"]);
        let d = only(&text, ExportFormat::Csv, "export_unterminated_quote");
        assert_eq!((d.severity, d.line, d.column), (Severity::Error, 3, 32));
        assert!(d.message.contains("expected a closing `\"`"), "{}", d.message);
    }

    #[test]
    fn csv_stray_quote_is_read_past() {
        let text =
            csv("s,t,p1,PERMISSIVE,{public},ALL,\"true,\ns,t,p2,PERMISSIVE,{public},ALL,true,\ns,t,p3,PERMISSIVE,{public},ALL,true,\n");
        let (rows, codes) = read_codes(&text, ExportFormat::Csv);
        assert_eq!(rows.iter().map(|r| (r.policyname.as_str(), r.line)).collect::<Vec<_>>(), [("p2", 3), ("p3", 4)]);
        assert_eq!(codes, ["export_unterminated_quote"]);
    }

    #[test]
    fn csv_row_with_the_wrong_number_of_fields() {
        let text =
            csv("s,t,p1,PERMISSIVE,{public},ALL,true\ns,t,p2,PERMISSIVE,{public},ALL,true,,extra\ns,t,p3,PERMISSIVE,{public},ALL,true,\n");
        let (rows, diagnostics) = read(&text, "t", ExportFormat::Csv);
        assert_eq!(rows.iter().map(|r| r.policyname.as_str()).collect::<Vec<_>>(), ["p3"]);
        let at: Vec<(u32, u32)> = diagnostics.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, [(2, 36), (3, 38)]);
        assert!(diagnostics[0].message.contains("it has 7 fields, the header has 8 (schemaname, tablename"), "{}", diagnostics[0].message);
        assert!(diagnostics.iter().all(|d| d.code == "export_bad_row"));
    }

    #[test]
    fn csv_bad_values_skip_their_rows() {
        let text = csv("s,t,p1,PERMISSIVE,{public,ALL,true,\ns,t,p2,PERMISSIVE,{public},TRUNCATE,true,\ns,t,p3,maybe,{public},ALL,true,\n,t,p4,PERMISSIVE,{public},ALL,true,\ns,t,p5,PERMISSIVE,{public},ALL,true,\n");
        let (rows, diagnostics) = read(&text, "t", ExportFormat::Csv);
        assert_eq!(rows.iter().map(|r| r.policyname.as_str()).collect::<Vec<_>>(), ["p5"]);
        let codes: Vec<&str> = diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["export_bad_roles", "export_bad_cmd", "export_bad_permissive", "export_bad_row"]);
        assert_eq!(
            diagnostics[0].message,
            "row skipped: `{public` (it does not end with `}`); expected an array of role names like {anon,authenticated}"
        );
        assert_eq!((diagnostics[0].line, diagnostics[0].column), (2, 19));
        assert!(
            diagnostics[1].message.contains("`TRUNCATE`; expected one of ALL, SELECT, INSERT, UPDATE, DELETE"),
            "{}",
            diagnostics[1].message
        );
        assert!(diagnostics[3].message.contains("`schemaname` is NULL"), "{}", diagnostics[3].message);
    }

    #[test]
    fn null_markers_and_bare_role_lists() {
        let text = csv("s,t,p,PERMISSIVE,\"anon, authenticated\",ALL,(null),\u{2205}\ns,t,q,PERMISSIVE,public,ALL,\"NULL::boolean\",\n");
        let (rows, codes) = read_codes(&text, ExportFormat::Csv);
        assert!(codes.is_empty(), "{codes:?}");
        assert_eq!(
            unlined(rows),
            [
                row("s", "t", "p", true, &["anon", "authenticated"], "ALL", None, None),
                row("s", "t", "q", true, &["public"], "ALL", Some("NULL::boolean"), None)
            ]
        );
        assert_eq!(read_codes(&csv("s,t,p,PERMISSIVE,\"anon,,x\",ALL,,\n"), ExportFormat::Csv).1, ["export_bad_roles"]);
    }

    #[test]
    fn csv_all_rows_bad_is_not_header_only() {
        let (rows, codes) = read_codes(&csv("s,t\n"), ExportFormat::Csv);
        assert!(rows.is_empty());
        assert_eq!(codes, ["export_bad_row"]);
    }

    #[test]
    fn csv_crlf_bom_and_semicolons() {
        let text = "\u{feff}schemaname;tablename;policyname;permissive;roles;cmd;qual;with_check\r\ns;t;p;PERMISSIVE;{anon};SELECT;\"a\r\nb\";\r\n";
        assert_eq!(detect(text), Some(ExportFormat::Csv));
        let (rows, codes) = read_codes(text, ExportFormat::Csv);
        assert!(codes.is_empty(), "{codes:?}");
        assert_eq!(unlined(rows), [row("s", "t", "p", true, &["anon"], "SELECT", Some("a\r\nb"), None)]);
    }

    #[test]
    fn csv_roles_as_a_json_array_and_lower_case_values() {
        let text = csv("s,t,p,restrictive,\"[\"\"anon\"\",\"\"Mixed Case Role\"\"]\",select,true,\n");
        let (rows, codes) = read_codes(&text, ExportFormat::Csv);
        assert!(codes.is_empty(), "{codes:?}");
        assert_eq!(unlined(rows), [row("s", "t", "p", false, &["anon", "Mixed Case Role"], "SELECT", Some("true"), None)]);
    }

    #[test]
    fn csv_text_after_a_closing_quote_and_duplicate_columns() {
        let text = "schemaname,tablename,policyname,policyname\ns,t,\"p\"x,q\n";
        let (rows, codes) = read_codes(text, ExportFormat::Csv);
        assert_eq!(rows.iter().map(|r| r.policyname.as_str()).collect::<Vec<_>>(), ["px"]);
        assert!(codes.contains(&"export_duplicate_column".to_string()) && codes.contains(&"export_bad_quote".to_string()), "{codes:?}");
    }

    #[test]
    fn csv_empty_file() {
        assert_eq!(read_codes("\n\n", ExportFormat::Csv), (vec![], vec!["export_empty".to_string()]));
    }

    // --- JSON -------------------------------------------------------------------------------------

    const OBJECT: &str = r#"{"schemaname":"s","tablename":"t","policyname":"p","permissive":"PERMISSIVE","roles":["anon"],"cmd":"SELECT","qual":"true","with_check":null}"#;

    #[test]
    fn json_roles_as_array_or_literal() {
        let text =
            format!("[{OBJECT},\n {}]", OBJECT.replace(r#"["anon"]"#, r#""{anon,\"Mixed Case Role\"}""#).replace(r#""p""#, r#""q""#));
        let (rows, codes) = read_codes(&text, ExportFormat::Json);
        assert!(codes.is_empty(), "{codes:?}");
        assert_eq!(rows[1].roles, ["anon", "Mixed Case Role"]);
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(unlined(rows)[0], row("s", "t", "p", true, &["anon"], "SELECT", Some("true"), None));
    }

    #[test]
    fn json_wrappers_are_unwrapped() {
        let escaped = serde_json::to_string(&format!("[{OBJECT}]")).unwrap();
        for text in [
            format!(r#"{{"json_agg" : [{OBJECT}]}}"#),
            format!(r#"[{{"json_agg": [{OBJECT}]}}]"#),
            format!(r#"[{{"json_agg": {escaped}}}]"#),
            format!(r#"{{"rows": {escaped}}}"#),
            OBJECT.to_string(),
        ] {
            assert_eq!(detect(&text), Some(ExportFormat::Json), "{text}");
            let (rows, codes) = read_codes(&text, ExportFormat::Json);
            assert!(codes.is_empty(), "{text}: {codes:?}");
            assert_eq!(rows.len(), 1, "{text}");
            assert_eq!((rows[0].policyname.as_str(), rows[0].line), ("p", 1), "{text}");
        }
    }

    #[test]
    fn json_invalid_says_where() {
        let text = format!("[{OBJECT},\n  {{\"schemaname\": \"s\",, }}]");
        let d = only(&text, ExportFormat::Json, "export_bad_json");
        assert_eq!((d.severity, d.line, d.column), (Severity::Error, 2, 22));
        assert!(d.message.starts_with("invalid JSON: key must be a string at line 2 column 22; expected an array"), "{}", d.message);
    }

    #[test]
    fn json_items_that_are_not_objects() {
        let text = format!("[{OBJECT},\n 42,\n \"x\"]");
        let (rows, diagnostics) = read(&text, "t", ExportFormat::Json);
        assert_eq!(rows.len(), 1);
        let at: Vec<(&str, u32, u32)> = diagnostics.iter().map(|d| (d.code.as_str(), d.line, d.column)).collect();
        assert_eq!(at, [("export_bad_row", 2, 2), ("export_bad_row", 3, 2)]);
        assert!(diagnostics[0].message.starts_with("item 2 skipped: it is a number; expected an object"), "{}", diagnostics[0].message);
    }

    #[test]
    fn json_of_something_else() {
        for text in [r#"{"a": 1, "b": 2}"#, "42", r#"[{"relname": "t", "reltuples": 1}]"#] {
            assert_eq!(read_codes(text, ExportFormat::Json), (vec![], vec!["export_not_policies".to_string()]), "{text}");
        }
        assert_eq!(detect(r#"{"a": 1}"#), None);
    }

    #[test]
    fn json_without_rows() {
        for text in ["", "null\n", "[]"] {
            assert_eq!(read_codes(text, ExportFormat::Json), (vec![], vec!["export_empty".to_string()]), "{text:?}");
        }
    }

    #[test]
    fn json_values_of_the_wrong_kind() {
        let text = format!(
            "[{},\n {},\n {},\n {OBJECT}]",
            OBJECT.replace(r#""SELECT""#, "7"),
            OBJECT.replace(r#","policyname":"p""#, ""),
            OBJECT.replace(r#"["anon"]"#, "[1]")
        );
        let (rows, codes) = read_codes(&text, ExportFormat::Json);
        assert_eq!(rows.len(), 1);
        assert_eq!(codes, ["export_bad_cmd", "export_bad_row", "export_bad_roles"]);
    }

    // --- psql -------------------------------------------------------------------------------------

    /// psql 15's default output (a VALUES query shaped like pg_policies; `|` in a name and in the
    /// second line of a USING), after a pasted prompt. Trailing spaces are psql's.
    const ALIGNED: &str = "app=> select * from pg_policies;
 schemaname | tablename | policyname | permissive |  roles   |  cmd   |     qual     | with_check 
------------+-----------+------------+------------+----------+--------+--------------+------------
 public     | a|b       | p          | PERMISSIVE | {public} | SELECT | (x = 1)     +| 
            |           |            |            |          |        |   OR (y | z) | 
 public     | t         | q          | PERMISSIVE | {anon}   | ALL    |              | true
(2 rows)

";

    #[test]
    fn psql_aligned_after_a_prompt() {
        assert_eq!(detect(ALIGNED), Some(ExportFormat::PsqlAligned));
        let (rows, codes) = read_codes(ALIGNED, ExportFormat::PsqlAligned);
        assert!(codes.is_empty(), "{codes:?}");
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [4, 6]);
        assert_eq!(
            unlined(rows),
            [
                row("public", "a|b", "p", true, &["public"], "SELECT", Some("(x = 1)\n  OR (y | z)"), None),
                row("public", "t", "q", true, &["anon"], "ALL", None, Some("true")),
            ]
        );
    }

    #[test]
    fn psql_footer_that_disagrees() {
        let text = ALIGNED.replace("(2 rows)", "(3 rows)");
        let d = only(&text, ExportFormat::PsqlAligned, "export_row_count");
        assert_eq!((d.severity, d.line, d.column), (Severity::Warning, 7, 1));
        assert!(d.message.contains("(3 rows) but 2 rows"), "{}", d.message);
    }

    #[test]
    fn psql_line_that_does_not_fit() {
        let text = ALIGNED.replace(" public     | t         | q ", " public       t         | q ");
        let (rows, _) = read(&text, "t", ExportFormat::PsqlAligned);
        assert_eq!(rows.len(), 1);
        let d = only(&text, ExportFormat::PsqlAligned, "export_bad_row");
        assert_eq!((d.line, d.column), (6, 1));
        assert!(d.message.contains("expected a `|` under each `+`"), "{}", d.message);
    }

    #[test]
    fn psql_header_only() {
        let text = " schemaname | tablename | policyname | permissive | roles | cmd | qual | with_check \n------------+-----------+------------+------------+-------+-----+------+------------\n(0 rows)\n";
        assert_eq!(read_codes(text, ExportFormat::PsqlAligned), (vec![], vec!["export_header_only".to_string()]));
    }

    /// psql measures `名` as two columns: our reading must agree or the `|` after it is missed.
    /// Here a character we measure as one column (U+0A01, a combining mark psql measures as zero)
    /// shifts the separator by one: the reader re-aligns on the nearest `|`.
    #[test]
    fn psql_width_mismatch_is_realigned() {
        let text = " schemaname | tablename | policyname \n------------+-----------+------------\n public     | t\u{0A01}         | p | q\n public     | 名        | r\n";
        let (rows, codes) = read_codes(text, ExportFormat::PsqlAligned);
        assert_eq!(
            rows.iter().map(|r| (r.tablename.as_str(), r.policyname.as_str())).collect::<Vec<_>>(),
            [("t\u{0A01}", "p | q"), ("名", "r")]
        );
        assert!(codes.iter().all(|c| c == "export_missing_column"), "{codes:?}");
    }

    #[test]
    fn psql_output_of_something_else() {
        let text = " relname | reltuples \n---------+-----------\n t       |         1\n(1 row)\n";
        assert_eq!(detect(text), None);
        assert_eq!(read_codes(text, ExportFormat::PsqlAligned), (vec![], vec!["export_not_policies".to_string()]));
        assert_eq!(read_codes("no table here\n", ExportFormat::PsqlAligned), (vec![], vec!["export_not_policies".to_string()]));
    }

    #[test]
    fn psql_expanded_with_a_wrapped_value() {
        let text = tricky!("-expanded-wrapped.txt");
        let start = text.find("-[ RECORD 2 ]").unwrap();
        let (rows, codes) = read_codes(&text[start..], ExportFormat::PsqlAligned);
        assert!(codes.is_empty(), "{codes:?}");
        assert_eq!(rows[0].qual, tricky_rows()[1].qual, "the cut before a wide character drops psql's padding space");
    }

    // --- detection and literals -------------------------------------------------------------------

    #[test]
    fn detect_is_none_for_a_dump_and_looks_at_the_start_only() {
        let dump = include_str!("../../../fixtures/dumps/saas.sql");
        assert!(dump.contains("POLICY"));
        assert_eq!(detect(dump), None);
        let late = format!("{}\n{HEADER}", "-- padding\n".repeat(SNIFF_BYTES / 10));
        assert_eq!(detect(&late), None);
        assert_eq!(detect(&format!("{HEADER}s,t,p,PERMISSIVE,{{public}},ALL,,\n")), Some(ExportFormat::Csv));
        assert_eq!(detect(""), None);
        // Prose beside a dashed comment line is not a border-0 header.
        assert_eq!(detect("-- policyname and tablename and roles are listed below\n-- ----------\nselect 1;\n"), None);
        assert_eq!(detect(tricky!("-border0.txt")), Some(ExportFormat::PsqlAligned));
    }

    #[test]
    fn array_literals() {
        let ok = |s: &str| parse_array_literal(s).unwrap();
        assert_eq!(ok("{anon,authenticated}"), ["anon", "authenticated"]);
        assert_eq!(ok(r#" { "Mixed Case Role" , public } "#), ["Mixed Case Role", "public"]);
        assert_eq!(ok(r#"{"a\"b","c\\d","e,f"}"#), ["a\"b", "c\\d", "e,f"]);
        assert_eq!(ok("{}"), Vec::<String>::new());
        for (bad, why) in [
            ("anon}", "does not start with `{`"),
            ("{anon", "does not end with `}`"),
            ("{anon,NULL}", "NULL"),
            ("{{a},{b}}", "nested"),
            (r#"{"anon}"#, "not closed"),
            ("{a,,b}", "empty"),
            (r#"{"a"b}"#, "unexpected `b`"),
        ] {
            let err = parse_array_literal(bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn format_names_serialise_in_snake_case() {
        assert_eq!(serde_json::to_string(&ExportFormat::PsqlAligned).unwrap(), "\"psql_aligned\"");
        assert_eq!(serde_json::from_str::<ExportFormat>("\"csv\"").unwrap(), ExportFormat::Csv);
    }
}
