//! psql's table output, pasted from a terminal: `\pset format aligned` (the default) or `wrapped`,
//! `\pset linestyle ascii` or `unicode`, `\pset border` 0, 1 or 2, and `\x` expanded records.
//!
//! How psql lays a table out (print.c), which this reader undoes:
//! - The rule line under the header (`---+---`, `─┼─`) gives every column's width; a cell is its
//!   content padded to that width with one margin character on each side, cells separated by `|`
//!   (border 1 and 2; border 0 has no separators and no left margin).
//! - Widths are terminal cells, not characters: a CJK character or an emoji takes two
//!   ([`width`]). Where our width of a rare character differs from psql's, the reader re-aligns on
//!   the `|` nearest to where it expected one.
//! - A multi-line value goes on over several lines: the right margin holds `+` (`↵` in Unicode
//!   style) when the value goes on with a line break, `.` (`…`) when `wrapped` cut a long line,
//!   and the continuation line's left margin holds `.` (`…`) after a cut. The last column is only
//!   padded when a marker follows it.
//! - The footer `(N rows)` counts the rows, which tells a cut-off copy.
//!
//! Lossy by nature: trailing spaces of a value (or of a line inside it) are indistinguishable from
//! padding and are dropped; psql shows tabs as spaces and control characters as `\xNN`; NULL and
//! '' both print as nothing. A `\pset null` text is taken literally, except in `qual`/`with_check`
//! where the usual ones (`(null)`, `∅`, ...) cannot be an expression and are read as NULL.

use super::width::width;
use super::{columns_of, looks_like_policy_header, Cell, Column, Ctx, ExportRow, HeaderName, RawRow, Value};
use crate::diagnostic::Severity;

const VERTICAL: [char; 3] = ['|', '│', '║'];
const JUNCTION: &str = "+┼┬┴├┤┌┐└┘╪╞╡╤╧╬╠╣╔╗╚╝╦╩";
const HORIZONTAL: &str = "-─═";
/// How far [`sniff`] looks for the header: a pasted prompt or `\pset` echo may come first.
const SNIFF_LINES: usize = 40;

pub(super) fn sniff(head: &str) -> bool {
    let lines: Vec<&str> = head.lines().take(SNIFF_LINES).collect();
    lines.iter().enumerate().any(|(i, line)| {
        if is_record_header(line) {
            return looks_like_policy_header(lines[i + 1..].iter().take(12).map(|l| field_name(l)));
        }
        is_rule(line) && [i.wrapping_sub(1), i + 1].iter().filter_map(|&j| lines.get(j)).any(|h| names_policies(h, line))
    })
}

/// Whether `header` names pg_policies columns in the table `rule` draws. Border 0 has no
/// separators: there the header must be one word a run of dashes, so prose next to a `-- ----`
/// comment line does not pass for a header.
fn names_policies(header: &str, rule: &str) -> bool {
    if rule.contains(|c| JUNCTION.contains(c)) {
        return looks_like_policy_header(header.split(VERTICAL));
    }
    let words: Vec<&str> = header.split_whitespace().collect();
    words.len() == rule.split_whitespace().count() && looks_like_policy_header(words)
}

pub(super) fn read(ctx: &mut Ctx) -> Vec<ExportRow> {
    let lines = split_lines(ctx.text);
    let mut fallback = None;
    for i in 0..lines.len() {
        if is_record_header(lines[i].text) {
            return expanded(ctx, &lines[i..]);
        }
        if let Some(table) = is_rule(lines[i].text).then(|| Table::at(&lines, i)).flatten() {
            let header = header_names(lines[table.header], &table.geometry);
            if looks_like_policy_header(header.iter().map(|h| h.name.as_str())) {
                return aligned(ctx, &lines, &table);
            }
            fallback.get_or_insert(table);
        }
    }
    if let Some(table) = fallback {
        return aligned(ctx, &lines, &table);
    }
    let msg = "this is not psql output of pg_policies: expected a header line, a `---+---` rule line and rows \
               (`select * from pg_policies;`), or `-[ RECORD 1 ]` blocks (`\\x`)";
    ctx.report(Severity::Error, "export_not_policies", msg, 0, 0);
    Vec::new()
}

/// A physical line: where it starts in the text, and its text without the line break.
#[derive(Clone, Copy)]
struct Line<'a> {
    start: usize,
    text: &'a str,
}

impl Line<'_> {
    fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let body = piece.strip_suffix('\n').unwrap_or(piece);
        let body = body.strip_suffix('\r').unwrap_or(body);
        let bom = if start == 0 && body.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
        lines.push(Line { start: start + bom, text: &body[bom..] });
        start += piece.len();
    }
    lines
}

fn is_rule(line: &str) -> bool {
    let t = line.trim_end();
    let ruling = |c: char| HORIZONTAL.contains(c) || JUNCTION.contains(c);
    t.chars().nth(2).is_some()
        && t.starts_with(ruling)
        && t.contains(|c| HORIZONTAL.contains(c))
        && t.chars().all(|c| c == ' ' || ruling(c))
}

/// `-[ RECORD 1 ]---`, `+-[ RECORD 1 ]--+`, `─[ RECORD 1 ]───`, `┌─[ RECORD 1 ]──┐`.
fn is_record_header(line: &str) -> bool {
    let t = line.trim_start_matches(|c| JUNCTION.contains(c));
    t.strip_prefix(|c| HORIZONTAL.contains(c)).is_some_and(|rest| rest.starts_with("[ RECORD "))
}

/// `(48 rows)`, `(1 row)`.
fn footer_count(line: &str) -> Option<usize> {
    let inner = line.trim().strip_prefix('(')?.strip_suffix(')')?;
    let (n, word) = inner.split_once(' ')?;
    matches!(word, "row" | "rows").then(|| n.parse().ok()).flatten()
}

/// An expanded record's field name: the text before its first separator (after border 2's frame).
fn field_name(line: &str) -> &str {
    line.trim_start_matches(VERTICAL).split(VERTICAL).next().unwrap_or("")
}

/// What the margin after a cell says about the value's next line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    Done,
    Newline,
    Wrap,
}

fn mark_of(c: char) -> Mark {
    match c {
        '+' | '↵' => Mark::Newline,
        '.' | '…' => Mark::Wrap,
        _ => Mark::Done,
    }
}

/// A character of a line with its byte offset in the text and its display column.
#[derive(Clone, Copy)]
struct Ch {
    at: usize,
    c: char,
    col: usize,
}

fn chars_of(line: Line) -> Vec<Ch> {
    let mut col = 0;
    let mut chars = Vec::with_capacity(line.text.len());
    for (i, c) in line.text.char_indices() {
        chars.push(Ch { at: line.start + i, c, col });
        col += width(c);
    }
    chars
}

/// Characters whose width we may have measured differently from psql: each can shift what follows
/// by one column.
fn unsure(chars: &[Ch]) -> usize {
    chars.iter().filter(|c| !c.c.is_ascii()).count()
}

fn display_width(chars: &[Ch]) -> usize {
    match (chars.first(), chars.last()) {
        (Some(first), Some(last)) => last.col + width(last.c) - first.col,
        _ => 0,
    }
}

/// The part of one line inside one cell.
struct Piece {
    text: String,
    mark: Mark,
    start: usize,
    end: usize,
    /// psql pads a cut before a two-column character that did not fit: the next piece says so.
    first_wide: bool,
}

fn piece_of(content: &[Ch], mark: Mark, at: usize) -> Piece {
    let mut text: String = content.iter().map(|c| c.c).collect();
    if mark != Mark::Wrap {
        text.truncate(text.trim_end_matches(' ').len());
    }
    let start = content.first().map_or(at, |c| c.at);
    let end = content.last().map_or(at, |c| c.at + c.c.len_utf8());
    Piece { text, mark, start, end, first_wide: content.first().is_some_and(|c| width(c.c) == 2) }
}

/// A value being put together from the pieces of its lines.
struct Gathered {
    text: String,
    mark: Mark,
    /// The last piece was cut and ends with a space that may be psql's padding.
    pad: bool,
    start: usize,
    end: usize,
}

impl Gathered {
    fn new(p: Piece) -> Self {
        let pad = p.mark == Mark::Wrap && p.text.ends_with(' ');
        Gathered { text: p.text, mark: p.mark, pad, start: p.start, end: p.end }
    }

    fn append(&mut self, p: Piece) {
        match self.mark {
            Mark::Done => return,
            Mark::Newline => self.text.push('\n'),
            Mark::Wrap if self.pad && p.first_wide => {
                self.text.pop();
            }
            Mark::Wrap => {}
        }
        self.text.push_str(&p.text);
        self.pad = p.mark == Mark::Wrap && p.text.ends_with(' ');
        self.mark = p.mark;
        self.end = self.end.max(p.end);
    }

    /// A continuation line came after a line we saw no marker on: psql did mark it, but our width
    /// of that line differed from psql's. The marker is then the value's last character.
    fn recover_mark(&mut self) {
        self.mark = self.text.chars().last().map_or(Mark::Done, mark_of);
        if self.mark == Mark::Done {
            self.mark = Mark::Newline;
        } else {
            self.text.pop();
            if self.mark == Mark::Newline {
                self.text.truncate(self.text.trim_end_matches(' ').len());
            }
        }
    }

    fn cell(&self) -> Cell {
        let value = if self.text.is_empty() { Value::Null } else { Value::Text(self.text.clone()) };
        Cell { value, start: self.start, end: self.end }
    }
}

// ---------------------------------------------------------------------------------------------
// Aligned and wrapped tables.

/// Where a table's header is, where its rows begin, and its columns.
struct Table {
    header: usize,
    data: usize,
    geometry: Geometry,
}

impl Table {
    /// The table whose rule line (the first one, for border 2 the top frame) is `lines[rule]`.
    fn at(lines: &[Line], rule: usize) -> Option<Table> {
        let framed = lines.get(rule + 1).is_some_and(|h| !is_rule(h.text) && h.text.contains(VERTICAL))
            && lines.get(rule + 2).is_some_and(|r| is_rule(r.text));
        if framed {
            return Some(Table { header: rule + 1, data: rule + 3, geometry: Geometry::of(lines[rule + 2].text) });
        }
        let header = rule.checked_sub(1).filter(|&h| !lines[h].text.trim().is_empty())?;
        Some(Table { header, data: rule + 1, geometry: Geometry::of(lines[rule].text) })
    }
}

/// The columns as the rule line draws them: each one's content range in display columns.
struct Geometry {
    border: u8,
    cols: Vec<(usize, usize)>,
}

impl Geometry {
    fn of(rule: &str) -> Geometry {
        let chars: Vec<char> = rule.trim_end().chars().collect();
        let junctions: Vec<usize> = chars.iter().enumerate().filter(|(_, c)| JUNCTION.contains(**c)).map(|(i, _)| i).collect();
        if junctions.is_empty() && chars.contains(&' ') {
            return Geometry { border: 0, cols: dash_runs(&chars) };
        }
        let border = if junctions.first() == Some(&0) { 2 } else { 1 };
        // Each cell runs from just after a separator to the next one (or the end of the line).
        let mut starts: Vec<usize> = junctions.iter().map(|j| j + 1).collect();
        let mut ends = junctions.clone();
        if border == 1 {
            starts.insert(0, 0);
        } else {
            ends.remove(0);
        }
        if starts.len() > ends.len() {
            ends.push(chars.len());
        }
        let cols = starts.iter().zip(&ends).filter(|(s, e)| s < e).map(|(&s, &e)| (s + 1, (e - 1).max(s + 1))).collect();
        Geometry { border, cols }
    }
}

/// Border 0 draws each column as a run of dashes, one space between runs.
fn dash_runs(chars: &[char]) -> Vec<(usize, usize)> {
    let mut cols = Vec::new();
    let mut start = None;
    for (i, &c) in chars.iter().chain([' '].iter()).enumerate() {
        match (c == ' ', start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                cols.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    cols
}

/// The pieces of one line, one a column; `None` when the line does not fit the columns.
fn cut(line: Line, geometry: &Geometry) -> Option<Vec<Piece>> {
    let chars = chars_of(line);
    if geometry.border == 0 {
        return Some(geometry.cols.iter().map(|&(c0, c1)| unbordered_piece(&chars, c0, c1, line.end())).collect());
    }
    let mut from = 0;
    if geometry.border == 2 {
        chars.first().filter(|c| VERTICAL.contains(&c.c))?;
        from = 1;
    }
    let mut shift = 0isize;
    let slack = unsure(&chars);
    let n = geometry.cols.len();
    let mut pieces = Vec::with_capacity(n);
    for (k, &(c0, c1)) in geometry.cols.iter().enumerate() {
        let closed = geometry.border == 2 || k + 1 < n;
        let end = if closed {
            let expected = c1 as isize + 1;
            let j = find_separator(&chars, from, expected + shift, slack)?;
            shift = chars[j].col as isize - expected;
            j
        } else {
            chars.len()
        };
        let cell = chars.get(from..end).unwrap_or(&[]);
        pieces.push(bordered_piece(cell, closed, c1 - c0 + 2, line.end()));
        from = end + 1;
    }
    Some(pieces)
}

/// The separator at display column `want`, or the nearest one that the characters of uncertain
/// width before it could have moved there. `slack`: how many such characters the line has at all
/// (no separator further right than `want + slack` can be the one).
fn find_separator(chars: &[Ch], from: usize, want: isize, slack: usize) -> Option<usize> {
    let rest = chars.get(from..)?;
    let limit = want + slack as isize;
    let mut uncertain = 0;
    let mut best: Option<(usize, usize)> = None;
    for (j, ch) in rest.iter().enumerate().take_while(|(_, ch)| ch.col as isize <= limit) {
        if VERTICAL.contains(&ch.c) {
            let distance = (ch.col as isize - want).unsigned_abs();
            if distance <= uncertain && best.is_none_or(|(d, _)| distance < d) {
                best = Some((distance, from + j));
            }
        }
        uncertain += usize::from(!ch.c.is_ascii());
    }
    best.map(|(_, j)| j)
}

/// A cell between separators: margin, content, margin. An unclosed last column has its right
/// margin only when psql padded it for a marker.
fn bordered_piece(cell: &[Ch], closed: bool, full_width: usize, line_end: usize) -> Piece {
    let Some((first, rest)) = cell.split_first() else { return piece_of(&[], Mark::Done, line_end) };
    let right = rest.last().filter(|last| closed || (mark_of(last.c) != Mark::Done && display_width(cell) + unsure(cell) >= full_width));
    match right {
        Some(r) => piece_of(&rest[..rest.len() - 1], mark_of(r.c), first.at),
        None => piece_of(rest, Mark::Done, first.at),
    }
}

/// Border 0: the content is exactly the columns the dashes cover; the marker is just after.
fn unbordered_piece(chars: &[Ch], c0: usize, c1: usize, line_end: usize) -> Piece {
    let start = chars.iter().position(|c| c.col >= c0).unwrap_or(chars.len());
    let end = chars.iter().position(|c| c.col >= c1).unwrap_or(chars.len());
    let mark = chars.get(end).filter(|c| c.col == c1).map_or(Mark::Done, |c| mark_of(c.c));
    piece_of(&chars[start..end.max(start)], mark, chars.get(start).map_or(line_end, |c| c.at))
}

fn header_names(line: Line, geometry: &Geometry) -> Vec<HeaderName> {
    match cut(line, geometry) {
        Some(pieces) => pieces.into_iter().map(|p| HeaderName { name: p.text.trim().to_string(), start: p.start, end: p.end }).collect(),
        None => {
            let mut at = line.start;
            line.text
                .split(VERTICAL)
                .map(|name| {
                    let h = HeaderName { name: name.trim().to_string(), start: at, end: at + name.len() };
                    at += name.len() + 1;
                    h
                })
                .collect()
        }
    }
}

/// A row being put together from its lines.
struct Building {
    start: usize,
    end: usize,
    values: Vec<Gathered>,
}

impl Building {
    fn continues(&self) -> bool {
        self.values.iter().any(|v| v.mark != Mark::Done)
    }

    fn raw(&self, map: &[Option<Column>]) -> RawRow {
        let mut raw = RawRow::new(self.start, self.end);
        for (value, column) in self.values.iter().zip(map) {
            if let Some(column) = column {
                raw.set(*column, value.cell());
            }
        }
        raw
    }
}

fn aligned(ctx: &mut Ctx, lines: &[Line], table: &Table) -> Vec<ExportRow> {
    let header = lines[table.header];
    let Some(map) = columns_of(ctx, &header_names(header, &table.geometry)) else { return Vec::new() };
    let mut raws = Vec::new();
    let mut building: Option<Building> = None;
    let mut started = 0;
    let mut footer = None;
    for &line in lines.get(table.data..).unwrap_or(&[]) {
        let continuing = building.as_ref().is_some_and(Building::continues);
        let count = footer_count(line.text);
        if is_rule(line.text) || count.is_some() || (!continuing && line.text.trim().is_empty()) {
            footer = count.map(|n| (n, line));
            break;
        }
        if !continuing {
            raws.extend(building.take().map(|b| b.raw(&map)));
            started += 1;
        }
        match (cut(line, &table.geometry), building.as_mut()) {
            (Some(pieces), Some(b)) if continuing => {
                b.end = line.end();
                b.values.iter_mut().zip(pieces).for_each(|(v, p)| v.append(p));
            }
            (Some(pieces), _) => {
                building = Some(Building { start: line.start, end: line.end(), values: pieces.into_iter().map(Gathered::new).collect() })
            }
            (None, _) => {
                let msg = "row skipped: this line does not fit the table's columns (expected a `|` under each `+` of the rule line below the header)";
                ctx.bad_row(msg, line.start, line.end());
                building = None;
            }
        }
    }
    raws.extend(building.map(|b| b.raw(&map)));
    if let Some((said, line)) = footer {
        check_count(ctx, said, started, line);
    }
    ctx.finish(&raws, started, header.end())
}

fn check_count(ctx: &mut Ctx, said: usize, found: usize, footer: Line) {
    if said != found {
        let msg =
            format!("psql's footer says ({said} rows) but {found} rows were found above it: lines are missing or were added in this copy");
        ctx.report(Severity::Warning, "export_row_count", msg, footer.start, footer.end());
    }
}

// ---------------------------------------------------------------------------------------------
// Expanded records (`\x`).

/// One `-[ RECORD n ]` block: its fields in order.
struct Record {
    start: usize,
    end: usize,
    border: u8,
    /// Display width of the record line: border 1 puts a field's marker in the column just after.
    width: usize,
    fields: Vec<(HeaderName, Gathered)>,
}

impl Record {
    fn new(line: Line) -> Self {
        let border = if line.text.starts_with(|c| JUNCTION.contains(c)) { 2 } else { 1 };
        let width = display_width(&chars_of(Line { start: line.start, text: line.text.trim_end() }));
        Record { start: line.start, end: line.end(), border, width, fields: Vec::new() }
    }

    /// Adds a field line; `false` when the line is not one (the table has ended).
    fn add(&mut self, line: Line) -> bool {
        let chars = chars_of(line);
        let skip = usize::from(self.border == 2);
        if skip == 1 && !chars.first().is_some_and(|c| VERTICAL.contains(&c.c)) {
            return false;
        }
        let Some(sep) = chars.iter().skip(skip).position(|c| VERTICAL.contains(&c.c)).map(|p| p + skip) else { return false };
        let end = if skip == 1 && chars.len() > sep + 1 && chars.last().is_some_and(|c| VERTICAL.contains(&c.c)) {
            chars.len() - 1
        } else {
            chars.len()
        };
        let piece = self.value_piece(chars.get(sep + 2..end).unwrap_or(&[]), line.end());
        let name: String = chars[skip..sep].iter().map(|c| c.c).collect();
        self.end = line.end();
        match self.fields.last_mut() {
            Some((_, value)) if name.trim().is_empty() => {
                if value.mark == Mark::Done {
                    value.recover_mark();
                }
                value.append(piece);
            }
            _ => {
                let header = HeaderName { name: name.trim().to_string(), start: chars[skip].at, end: chars[sep].at };
                self.fields.push((header, Gathered::new(piece)));
            }
        }
        true
    }

    /// The value part of a field line, after the separator and its margin.
    fn value_piece(&self, rest: &[Ch], line_end: usize) -> Piece {
        let right = rest.last().filter(|last| self.border == 2 || (mark_of(last.c) != Mark::Done && last.col == self.width));
        match right {
            Some(r) => piece_of(&rest[..rest.len() - 1], mark_of(r.c), r.at),
            None => piece_of(rest, Mark::Done, line_end),
        }
    }

    fn raw(&self, known: &[Column]) -> RawRow {
        let mut raw = RawRow::new(self.start, self.end);
        for (name, value) in &self.fields {
            if let Some(column) = Column::from_name(&name.name).filter(|c| known.contains(c)) {
                if raw.cells[column as usize].is_none() {
                    raw.set(column, value.cell());
                }
            }
        }
        raw
    }
}

fn expanded(ctx: &mut Ctx, lines: &[Line]) -> Vec<ExportRow> {
    let mut records: Vec<Record> = Vec::new();
    for &line in lines {
        if is_record_header(line.text) {
            records.push(Record::new(line));
            continue;
        }
        let ends = line.text.trim().is_empty() || is_rule(line.text) || footer_count(line.text).is_some();
        if ends || !records.last_mut().is_some_and(|r| r.add(line)) {
            break;
        }
    }
    let Some(first) = records.first() else { return Vec::new() };
    let names: Vec<HeaderName> =
        first.fields.iter().map(|(h, _)| HeaderName { name: h.name.clone(), start: h.start, end: h.end }).collect();
    let Some(map) = columns_of(ctx, &names) else { return Vec::new() };
    let known: Vec<Column> = map.into_iter().flatten().collect();
    let raws: Vec<RawRow> = records.iter().map(|r| r.raw(&known)).collect();
    ctx.finish(&raws, records.len(), first.end)
}
