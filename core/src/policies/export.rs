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
//! - NULL: an empty unquoted CSV field, JSON `null`, an empty psql cell. `qual`/`with_check` that
//!   are empty are NULL too (PostgreSQL never stores an empty expression).

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

const COLUMNS: [Column; 8] =
    [Column::Schemaname, Column::Tablename, Column::Policyname, Column::Permissive, Column::Roles, Column::Cmd, Column::Qual, Column::WithCheck];

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
        Value::Text(t) => parse_array_literal(t),
        _ => Err(String::new()),
    }
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
}

impl Lines {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1));
        Lines { starts }
    }

    /// 1-based line of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }

    fn span(&self, text: &str, start: usize, end: usize) -> Span {
        let start = floor_char_boundary(text, start);
        let end = floor_char_boundary(text, end.max(start));
        let line = self.line_of(start);
        let column = text[self.starts[line - 1]..start].chars().count() + 1;
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

    /// Reads the rows' values; reports an export without rows.
    fn finish(&mut self, raws: &[RawRow], header_end: usize) -> Vec<ExportRow> {
        if raws.is_empty() {
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
            Some((Value::Text(t), _)) => Some((!t.is_empty()).then(|| t.clone())),
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

