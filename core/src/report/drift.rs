//! Reports of a drift ([`crate::diff::Drift`]) for people and tools: Markdown for a pull-request
//! comment and SARIF 2.1.0 for code scanning. JSON is the serde form of the changes
//! (docs/diff-json.md).
//!
//! Invariants: deterministic (no clock, the engine's order); every string that comes from a dump
//! (keys, reasons that quote names, field values, SQL) is escaped for the target format or sits
//! in a fenced block longer than any backtick run inside it.

use super::markdown::{code_block, escape};
use super::sarif::{uri, SCHEMA};
use crate::checks::Priority;
use crate::diff::text::{line_diff, LineOp};
use crate::diff::{Change, ChangeKind, Drift, Kind, Scope};
use crate::model::Span;
use serde_json::{json, Value};

/// P2 entries shown in full at most; the rest are counted.
const MAX_P2_ENTRIES: usize = 100;
/// GitHub refuses a comment over 65,536 characters: entries stop before the report reaches this.
const MAX_MARKDOWN_CHARS: usize = 60_000;
/// A field value longer than this (or on several lines) is shown as a line diff, not in the table.
const MAX_CELL_CHARS: usize = 80;

fn heading(p: Priority) -> &'static str {
    match p {
        Priority::P0 => "P0: security drift",
        Priority::P1 => "P1: integrity and performance drift",
        Priority::P2 => "P2: other drift",
    }
}

/// What the entry is about: `key`, or `from_key → key` for a rename.
pub fn subject(c: &Change) -> String {
    match &c.from_key {
        Some(from) => format!("{from} → {}", c.key),
        None => c.key.clone(),
    }
}

fn scope_note(d: &Drift) -> Option<&'static str> {
    (d.scope == Scope::Policies).then_some(
        "Only policies were compared: one side holds nothing but `pg_policies` exports, so tables, grants, functions and the rest are not part of this report.",
    )
}

/// The Markdown of one change: a heading line, the reason, the fields, the fix.
fn entry(c: &Change) -> String {
    let mut s =
        format!("#### {} {}: {}\n\n{}\n", c.kind.as_str().replace('_', " "), c.change.as_str(), escape(&subject(c)), escape(&c.reason));
    let (short, long): (Vec<_>, Vec<_>) = c.fields.iter().partition(|f| {
        let fits = |v: &Option<String>| v.as_deref().is_none_or(|v| v.chars().count() <= MAX_CELL_CHARS && !v.contains('\n'));
        fits(&f.a) && fits(&f.b)
    });
    if !short.is_empty() {
        s.push_str("\n| field | A | B |\n|---|---|---|\n");
        for f in short {
            let cell = |v: &Option<String>| v.as_deref().map(escape).unwrap_or_else(|| "*(not set)*".into());
            s.push_str(&format!("| {} | {} | {} |\n", escape(&f.field), cell(&f.a), cell(&f.b)));
        }
    }
    for f in long {
        s.push_str(&format!("\n{} (`-` A, `+` B):\n\n", escape(&f.field)));
        let side = |v: &Option<String>| v.as_deref().unwrap_or("").trim_matches(['\n', '\r']).to_string();
        let lines = line_diff(&side(&f.a), &side(&f.b));
        let text: Vec<String> = lines
            .iter()
            .map(|l| {
                let mark = match l.op {
                    LineOp::Same => ' ',
                    LineOp::Removed => '-',
                    LineOp::Added => '+',
                };
                format!("{mark}{}", l.text)
            })
            .collect();
        s.push_str(&code_block("diff", &text.join("\n")));
    }
    if c.change == ChangeKind::Added && c.priority != Priority::P2 {
        if let Some(def) = &c.b_definition {
            s.push_str("\nIn B:\n\n");
            s.push_str(&code_block("sql", def));
        }
    }
    if let Some(fix) = &c.fix {
        let hazards: Vec<&str> = fix.hazards.iter().map(|h| h.describe()).collect();
        if hazards.is_empty() {
            s.push_str("\nFix (brings B in line with A):\n\n");
        } else {
            s.push_str(&format!("\nFix (brings B in line with A; **hazards**: {}):\n\n", hazards.join("; ")));
        }
        s.push_str(&code_block("sql", &fix.sql));
    }
    s
}

/// Markdown for a pull-request comment: counts per priority and kind, then the P0, P1 and P2
/// changes with their fields, line diffs of long values and fix hints. P2 is cut after 100 entries,
/// and every section stops before the comment would outgrow GitHub's limit, saying how many
/// entries were left out.
pub fn markdown(d: &Drift, title: &str) -> String {
    let c = d.counts();
    let mut s = format!("## {title}: {} P0 · {} P1 · {} P2\n\n", c.p0, c.p1, c.p2);
    let names = |files: &[String]| {
        if files.is_empty() {
            "nothing".to_string()
        } else {
            files.iter().map(|f| escape(f)).collect::<Vec<_>>().join(", ")
        }
    };
    s.push_str(&format!(
        "Compared **A** (the reference) {} with **B** {}. Fixes are SQL that would bring B in line with A.\n",
        names(&d.a_files),
        names(&d.b_files)
    ));
    if let Some(note) = scope_note(d) {
        s.push_str(&format!("\n> {note}\n"));
    }
    if d.changes.is_empty() {
        s.push_str("\nNo drift.\n");
        return s;
    }
    s.push_str("\n| kind | P0 | P1 | P2 | total |\n|---|---|---|---|---|\n");
    for kind in Kind::ALL {
        let n = |p: Priority| d.changes.iter().filter(|x| x.kind == kind && x.priority == p).count();
        let (p0, p1, p2) = (n(Priority::P0), n(Priority::P1), n(Priority::P2));
        if p0 + p1 + p2 > 0 {
            s.push_str(&format!("| {} | {p0} | {p1} | {p2} | {} |\n", kind.as_str().replace('_', " "), p0 + p1 + p2));
        }
    }
    s.push_str(&format!("| **all** | **{}** | **{}** | **{}** | **{}** |\n", c.p0, c.p1, c.p2, d.changes.len()));
    for p in [Priority::P0, Priority::P1, Priority::P2] {
        let changes: Vec<&Change> = d.changes.iter().filter(|x| x.priority == p).collect();
        if changes.is_empty() {
            continue;
        }
        blank_line(&mut s);
        s.push_str(&format!("### {} ({})\n\n", heading(p), changes.len()));
        let cap = if p == Priority::P2 { MAX_P2_ENTRIES } else { usize::MAX };
        let mut shown = 0;
        for ch in changes.iter().take(cap) {
            let e = entry(ch);
            if s.len() + e.len() > MAX_MARKDOWN_CHARS {
                break;
            }
            blank_line(&mut s);
            s.push_str(&e);
            shown += 1;
        }
        if shown < changes.len() {
            blank_line(&mut s);
            s.push_str(&format!("…and {} more {} changes (see `pglens diff --format json`).\n", changes.len() - shown, p.as_str()));
        }
    }
    s
}

/// Ends `s` with an empty line (Markdown's block separator), adding no more than needed.
fn blank_line(s: &mut String) {
    while !s.ends_with("\n\n") {
        s.push('\n');
    }
}

fn level(p: Priority) -> &'static str {
    match p {
        Priority::P0 => "error",
        Priority::P1 => "warning",
        Priority::P2 => "note",
    }
}

/// The SARIF rule id of a (kind, change): `drift/policy-changed`, `drift/materialized-view-added`.
pub fn rule_id(kind: Kind, change: ChangeKind) -> String {
    format!("drift/{}-{}", kind.as_str().replace('_', "-"), change.as_str())
}

fn rule_text(kind: Kind, change: ChangeKind) -> String {
    let noun = kind.as_str().replace('_', " ");
    match change {
        ChangeKind::Added => format!("A {noun} only in B (not in the reference A)"),
        ChangeKind::Removed => format!("A {noun} of the reference A missing from B"),
        ChangeKind::Renamed => format!("A {noun} of A under another name in B"),
        ChangeKind::Changed => format!("A {noun} that differs between A and B"),
    }
}

/// Where a change is: B's definition when it has one, else A's; `None` when the span names no
/// file of its side.
fn location(d: &Drift, c: &Change) -> Option<(&'static str, String, Span)> {
    let side = |span: &Option<Span>, files: &[String], name: &'static str| {
        span.and_then(|sp| files.get(sp.file as usize).map(|f| (name, f.clone(), sp)))
    };
    side(&c.b_span, &d.b_files, "b").or_else(|| side(&c.a_span, &d.a_files, "a"))
}

/// SARIF 2.1.0: one run, one rule per (kind, change) that occurs (sorted), one result per change
/// with level `error` (P0), `warning` (P1) or `note` (P2), B's location (A's for a removal), and
/// the change's id as `partialFingerprints["pglens-drift/v1"]`.
pub fn sarif(d: &Drift, version: &str) -> Value {
    let mut rules: Vec<(Kind, ChangeKind)> = d.changes.iter().map(|c| (c.kind, c.change)).collect();
    rules.sort();
    rules.dedup();
    let rule_list: Vec<Value> = rules
        .iter()
        .map(|&(k, ch)| {
            let text = rule_text(k, ch);
            json!({
                "id": rule_id(k, ch),
                "name": rule_id(k, ch),
                "shortDescription": { "text": text },
                "fullDescription": { "text": format!("{text}. Its priority (P0 security, P1 integrity and performance, P2 the rest) depends on what changed: see docs/diff-json.md.") },
                "help": { "text": "Drift between two schema snapshots: A is the reference (say prod), B the one compared with it (say staging). Each result's properties.fix is SQL that would bring B in line with A." },
                "defaultConfiguration": { "level": "warning" },
                "properties": { "kind": k.as_str(), "change": ch.as_str(), "tags": ["drift", k.as_str()] }
            })
        })
        .collect();
    let results: Vec<Value> = d
        .changes
        .iter()
        .map(|c| {
            let index = rules.iter().position(|r| *r == (c.kind, c.change)).unwrap_or(0);
            let mut r = json!({
                "ruleId": rule_id(c.kind, c.change),
                "ruleIndex": index,
                "level": level(c.priority),
                "message": { "text": format!("{} {} {}: {}", c.kind.as_str(), c.change.as_str(), subject(c), c.reason) },
                "partialFingerprints": { "pglens-drift/v1": c.id },
                "properties": { "priority": c.priority.as_str(), "kind": c.kind.as_str(), "change": c.change.as_str(), "key": c.key, "fields": c.fields }
            });
            if let Some(from) = &c.from_key {
                r["properties"]["from_key"] = json!(from);
            }
            if let Some(fix) = &c.fix {
                r["properties"]["fix"] = json!(fix.sql);
                r["properties"]["hazards"] = json!(fix.hazards);
            }
            if let Some((side, file, span)) = location(d, c) {
                r["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&file) },
                        "region": { "startLine": span.line.max(1), "startColumn": span.column.max(1) }
                    },
                    "logicalLocations": [{ "fullyQualifiedName": c.key }]
                }]);
                r["properties"]["side"] = json!(side);
            }
            r
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "pglens",
                "version": version,
                "rules": rule_list
            } },
            "columnKind": "unicodeCodePoints",
            "results": results
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Field, Fix, Hazard};

    fn change(priority: Priority, key: &str, fields: Vec<Field>) -> Change {
        Change {
            kind: Kind::Policy,
            key: key.into(),
            change: ChangeKind::Changed,
            from_key: None,
            fields,
            priority,
            reason: format!("reason about {key}"),
            fix: Some(Fix { sql: "DROP POLICY \"```\" ON t;".into(), hazards: vec![Hazard::Locks] }),
            a_span: Some(Span { file: 0, line: 3, column: 1, start: 0, end: 0 }),
            b_span: None,
            a_definition: None,
            b_definition: None,
            id: "0123456789ab".into(),
        }
    }

    #[test]
    fn hostile_names_stay_text_and_fences_hold() {
        let body_a = "begin\n  return 1;\nend".to_string();
        let body_b = "begin\n  return '````';\nend".to_string();
        let d = Drift {
            a_files: vec!["a.sql".into()],
            b_files: vec!["b <x>.sql".into()],
            changes: vec![change(
                Priority::P0,
                "public.t/<script>alert(1)</script>|`x`",
                vec![
                    Field { field: "roles".into(), a: Some("anon".into()), b: Some("anon, <img onerror=x>".into()) },
                    Field { field: "body".into(), a: Some(body_a), b: Some(body_b) },
                ],
            )],
            ..Drift::default()
        };
        let md = markdown(&d, "pglens diff");
        assert!(md.starts_with("## pglens diff: 1 P0 · 0 P1 · 0 P2\n"), "{md}");
        assert!(md.contains("\n### P0: security drift (1)\n"), "{md}");
        assert!(md.contains("public\\.t/&lt;script&gt;alert\\(1\\)&lt;/script&gt;\\|\\`x\\`"), "{md}");
        assert!(md.contains("| roles | anon | anon, &lt;img onerror\\=x&gt; |"), "{md}");
        assert!(md.contains("`````diff\n begin\n-  return 1;\n+  return '````';\n end\n`````\n"), "{md}");
        assert!(md.contains("````sql\nDROP POLICY \"```\" ON t;\n````\n"), "{md}");
        assert!(md.contains("hazards**: takes a lock that blocks writes"), "{md}");
        assert!(md.contains("b &lt;x&gt;\\.sql"), "{md}");
        assert_eq!(md, markdown(&d, "pglens diff"), "deterministic");
    }

    #[test]
    fn p2_is_capped_and_empty_drift_says_so() {
        let d =
            Drift { changes: (0..150).map(|i| change(Priority::P2, &format!("public.t/p{i:03}"), vec![])).collect(), ..Drift::default() };
        let md = markdown(&d, "t");
        assert_eq!(md.matches("\n#### ").count(), 100);
        assert!(md.contains("…and 50 more P2 changes"), "{md}");
        let empty = markdown(&Drift::default(), "t");
        assert!(empty.contains("No drift."), "{empty}");
    }

    #[test]
    fn sarif_levels_rules_and_locations() {
        let mut b = change(Priority::P1, "public.t/q", vec![]);
        b.b_span = Some(Span { file: 0, line: 9, column: 2, start: 0, end: 0 });
        let d = Drift {
            a_files: vec!["prod dump.sql".into()],
            b_files: vec!["staging.sql".into()],
            changes: vec![change(Priority::P0, "public.t/p", vec![]), b],
            ..Drift::default()
        };
        let v = sarif(&d, "1.2.3");
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 1);
        assert_eq!(run["tool"]["driver"]["rules"][0]["id"], "drift/policy-changed");
        let r = &run["results"];
        assert_eq!((r[0]["level"].as_str(), r[1]["level"].as_str()), (Some("error"), Some("warning")));
        let loc = |i: usize| &r[i]["locations"][0]["physicalLocation"];
        assert_eq!(loc(0)["artifactLocation"]["uri"], "prod%20dump.sql");
        assert_eq!(loc(0)["region"]["startLine"], 3);
        assert_eq!(loc(1)["artifactLocation"]["uri"], "staging.sql");
        assert_eq!((loc(1)["region"]["startLine"].as_u64(), loc(1)["region"]["startColumn"].as_u64()), (Some(9), Some(2)));
        assert_eq!(r[1]["partialFingerprints"]["pglens-drift/v1"], "0123456789ab");
    }
}
