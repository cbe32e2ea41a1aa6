//! JSON: an array of row objects (`select json_agg(p) from pg_policies p`, an editor's JSON
//! export), `roles` as a JSON array or an array-literal string, `null` for NULL. Also the array
//! wrapped the way a single-column result comes out: `{"json_agg": [...]}`, `[{"json_agg": [...]}]`,
//! or that array as a JSON string inside the wrapper.
//!
//! serde_json checks the document and gives the values; it keeps no positions, so a small scanner
//! over the (then known valid) text finds where each row object starts, for the rows' line numbers.

use super::{columns_of, strip_bom, Cell, Column, Ctx, ExportRow, HeaderName, RawRow, Value};
use crate::diagnostic::Severity;
use serde_json::{Map, Value as Json};

pub(super) fn read(ctx: &mut Ctx) -> Vec<ExportRow> {
    let text = strip_bom(ctx.text);
    let base = ctx.text.len() - text.len();
    if text.trim().is_empty() {
        report_empty(ctx, "the export is empty");
        return Vec::new();
    }
    let doc: Json = match serde_json::from_str(text) {
        Ok(doc) => doc,
        Err(e) => {
            let at = base + error_offset(text, e.line(), e.column());
            let msg =
                format!("invalid JSON: {e}; expected an array of pg_policies rows, as `select json_agg(p) from pg_policies p` writes");
            ctx.report(Severity::Error, "export_bad_json", msg, at, at + 1);
            return Vec::new();
        }
    };
    let (items, starts) = match rows_of(doc, text) {
        Ok(found) => found,
        Err(what) => {
            let msg = format!("this is not a pg_policies export: the JSON is {what}; expected an array of objects with schemaname, tablename, policyname, permissive, roles, cmd, qual, with_check");
            let at = base + (text.len() - text.trim_start().len());
            ctx.report(Severity::Error, "export_not_policies", msg, at, at + 1);
            return Vec::new();
        }
    };
    // One start an item; should the scan and serde_json ever disagree, a row keeps the document's start
    // rather than being dropped.
    let doc_start = base + (text.len() - text.trim_start().len());
    let starts: Vec<usize> = (0..items.len()).map(|i| starts.get(i).map_or(doc_start, |s| s + base)).collect();
    if items.is_empty() {
        report_empty(ctx, "the JSON holds no rows");
        return Vec::new();
    }
    let Some(first) = items.iter().position(Json::is_object) else {
        let msg = "this is not a pg_policies export: no item of the JSON array is an object; expected objects with schemaname, tablename, policyname, ...";
        ctx.report(Severity::Error, "export_not_policies", msg, starts[0], starts[0] + 1);
        return Vec::new();
    };
    let header: Vec<HeaderName> = items[first]
        .as_object()
        .into_iter()
        .flat_map(Map::keys)
        .map(|k| HeaderName { name: k.clone(), start: starts[first], end: starts[first] + 1 })
        .collect();
    if columns_of(ctx, &header).is_none() {
        return Vec::new();
    }
    let raws: Vec<RawRow> = items.iter().zip(&starts).enumerate().filter_map(|(n, (item, &start))| raw_row(ctx, n, item, start)).collect();
    ctx.finish(&raws, items.len(), starts[0])
}

fn report_empty(ctx: &mut Ctx, what: &str) {
    let msg = format!("{what}: no policies (json_agg over no rows gives null); expected an array of pg_policies rows");
    ctx.report(Severity::Warning, "export_empty", msg, 0, 0);
}

/// serde_json counts lines from 1 and columns in bytes from 1 (0 at a line's start).
fn error_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 { 0 } else { text.match_indices('\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1) };
    (line_start + column.saturating_sub(1)).min(text.len())
}

/// The row items and the byte offset where each starts in `text`; `Err` says what the JSON is instead.
fn rows_of(doc: Json, text: &str) -> Result<(Vec<Json>, Vec<usize>), String> {
    let doc_start = text.len() - text.trim_start().len();
    match doc {
        Json::Null => Ok((Vec::new(), Vec::new())),
        Json::Array(items) if items.len() == 1 && items[0].as_object().is_some_and(is_wrapper) => {
            let wrapper_start = element_starts(text, 1).first().copied().unwrap_or(doc_start);
            match items.into_iter().next() {
                Some(Json::Object(wrapper)) => inner_rows(wrapper, text, 3, wrapper_start),
                _ => Err("an array holding one wrapper".into()),
            }
        }
        Json::Array(items) => Ok((items, element_starts(text, 1))),
        Json::Object(map) if map.contains_key("policyname") => Ok((vec![Json::Object(map)], vec![doc_start])),
        Json::Object(map) if is_wrapper(&map) => inner_rows(map, text, 2, doc_start),
        Json::Object(map) => Err(format!("an object with keys {}", map.keys().take(8).cloned().collect::<Vec<_>>().join(", "))),
        other => Err(format!("a {}", kind(&other))),
    }
}

/// An object with one key (not a policy column) holding the rows, as a single-column result
/// comes out: an array, or a string of JSON (an editor's export of a json column).
fn is_wrapper(map: &Map<String, Json>) -> bool {
    let mut entries = map.iter();
    match (entries.next(), entries.next()) {
        (Some((key, value)), None) => {
            let holds_rows = value.is_array() || value.as_str().is_some_and(|s| s.trim_start().starts_with('['));
            Column::from_name(key).is_none() && holds_rows
        }
        _ => false,
    }
}

/// The rows inside a one-key wrapper (starting at `wrapper_start`) whose array sits at nesting
/// `depth` of the text.
fn inner_rows(mut wrapper: Map<String, Json>, text: &str, depth: usize, wrapper_start: usize) -> Result<(Vec<Json>, Vec<usize>), String> {
    let Some((_, value)) = wrapper.iter_mut().next() else { return Err("an empty object".into()) };
    match value.take() {
        Json::Array(items) => Ok((items, element_starts(text, depth))),
        Json::String(inner) => {
            let items: Vec<Json> = serde_json::from_str(&inner).map_err(|e| format!("a string that is not a JSON array ({e})"))?;
            // The rows' own positions are inside the string: every row gets the wrapper's line.
            let starts = vec![wrapper_start; items.len()];
            Ok((items, starts))
        }
        other => Err(format!("an object holding a {}", kind(&other))),
    }
}

fn kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

/// Byte offsets where the items of the first array found at nesting `depth` start (1: the
/// document is that array). `text` must be valid JSON.
fn element_starts(text: &str, depth: usize) -> Vec<usize> {
    let mut starts = Vec::new();
    let (mut level, mut in_string, mut escaped, mut inside, mut expecting) = (0usize, false, false, false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        if b.is_ascii_whitespace() {
            continue;
        }
        if inside && expecting && level == depth && b != b']' {
            starts.push(i);
            expecting = false;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                level += 1;
                if b == b'[' && level == depth && !inside {
                    (inside, expecting) = (true, true);
                }
            }
            b']' | b'}' if inside && level == depth => return starts,
            b']' | b'}' => level = level.saturating_sub(1),
            b',' if inside && level == depth => expecting = true,
            _ => {}
        }
    }
    starts
}

/// A row object's cells, or `None` (reported) for an item that is not an object.
fn raw_row(ctx: &mut Ctx, n: usize, item: &Json, start: usize) -> Option<RawRow> {
    let Some(map) = item.as_object() else {
        let msg = format!("item {} skipped: it is a {}; expected an object with schemaname, tablename, policyname, ...", n + 1, kind(item));
        ctx.bad_row(msg, start, start + 1);
        return None;
    };
    let mut raw = RawRow::new(start, start + 1);
    for (key, value) in map {
        if let Some(column) = Column::from_name(key) {
            raw.set(column, Cell { value: value_of(value), start, end: start + 1 });
        }
    }
    Some(raw)
}

fn value_of(value: &Json) -> Value {
    match value {
        Json::Null => Value::Null,
        Json::String(s) => Value::Text(s.clone()),
        Json::Array(items) => match items.iter().map(|i| i.as_str().map(str::to_string)).collect::<Option<Vec<_>>>() {
            Some(list) => Value::List(list),
            None => Value::Other("array with an item that is not a string"),
        },
        other => Value::Other(kind(other)),
    }
}
