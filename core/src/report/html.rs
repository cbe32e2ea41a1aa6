//! One self-contained HTML file reporting on a snapshot: summary, findings by priority, the
//! access matrix of the API roles, drift against a second snapshot, inventory tables, the
//! assumptions used, and the input files with their SHA-256. The app's "Download report" and
//! `pglens report` call [`render`] with the same data and get the same bytes.
//!
//! Invariants:
//! - Pure and deterministic: reads the model and results it is given (no parsing, no clock, no
//!   IO), iterates in the model's own order (keys sorted, findings and drift in their engines'
//!   order), so the same input gives byte-identical output on every target.
//! - Standalone and inert: one file, an inline `<style>`, no `<script>`, no URL other than
//!   in-page `#anchors`; a Content-Security-Policy (`default-src 'none'`) forbids scripts and
//!   fetches even if an escape were missed.
//! - Every dump-derived string (names, keys, messages that quote them, expressions, SQL, file
//!   names) goes through [`escape_markup`]: a hostile identifier renders as text. The markup is
//!   also well-formed XML (void elements closed, no named entities beyond XML's), so tests parse
//!   it with an XML parser.
//! - Small enough to attach: long lists are cut at fixed caps, and the report says what was left
//!   out (GitLab's schema gives about 1 MB).
//! - Readable without JavaScript: long parts sit in `<details>`.

use super::{escape_markup as esc, Counts};
use crate::access::{Assumptions, Command, Matrix, State};
use crate::checks::{Category, ChecksConfig, Finding, Priority};
use crate::config::Config;
use crate::diff::{Change, ChangeKind, Drift, Kind, Scope};
use crate::model::{PolicyCommand, Snapshot, Span, TableKind};
use crate::{Loaded, Severity};
use std::fmt::Write;

/// The pglens version the report names.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Findings shown per priority; the rest are counted.
pub const MAX_FINDINGS: usize = 2_000;
/// Relations shown in the access matrix.
pub const MAX_MATRIX_RELATIONS: usize = 1_500;
/// Row filters (conditional cells) listed under the matrix.
pub const MAX_ROW_FILTERS: usize = 400;
/// Drift entries shown per priority.
pub const MAX_DRIFT: usize = 500;
/// Rows of each inventory table.
pub const MAX_INVENTORY_ROWS: usize = 3_000;
/// Statements listed as not modelled, and load diagnostics.
pub const MAX_UNMODELLED: usize = 300;
/// Characters of a not-modelled statement's text, of an expression in a table cell.
const MAX_TEXT: usize = 240;
/// A `<details>` opens by itself when it holds at most this many rows (the matrix: relations).
const OPEN_UP_TO: usize = 60;
const MAX_OPEN_MATRIX: usize = 200;

/// Everything the report shows, already computed: the app holds these, the CLI computes them.
#[derive(Clone, Copy, Debug)]
pub struct HtmlInput<'a> {
    /// The snapshot reported on (A, the reference, when there is a compare snapshot).
    pub main: &'a Loaded,
    /// The snapshot compared with it (B), when there is one.
    pub compare: Option<&'a Loaded>,
    /// `checks::run` on `main`.
    pub findings: &'a [Finding],
    /// `access::matrix` on `main` (every role, or at least the API roles).
    pub matrix: &'a Matrix,
    /// `diff::diff(main, compare)`, when there is a compare snapshot.
    pub drift: Option<&'a Drift>,
    pub assumptions: &'a Assumptions,
    pub checks: &'a ChecksConfig,
    /// A line the caller wants in the header (say a date); `None` keeps the output a function of
    /// the inputs alone.
    pub note: Option<&'a str>,
}

const CSS: &str = "\
:root{--fg:#1d2330;--mute:#5b6475;--line:#dde1e8;--bg:#ffffff;--soft:#f5f6f8;--p0:#b42318;--p1:#b54708;--p2:#5b6475;--ok:#067647}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}
header,main{max-width:1240px;margin:0 auto;padding:0 24px}
header{padding-top:20px}
h1{font-size:20px;margin:0 0 4px}
h2{font-size:17px;margin:32px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:15px;margin:20px 0 6px}
p{margin:6px 0}
.meta{color:var(--mute);font-size:13px}
nav{position:sticky;top:0;background:var(--bg);border-bottom:1px solid var(--line);padding:6px 0;margin-top:10px;z-index:1}
nav a{color:var(--fg);text-decoration:none;margin-right:16px;font-size:13px;font-weight:600}
nav a:hover{text-decoration:underline}
table{border-collapse:collapse;margin:6px 0 10px;font-size:13px}
th,td{border:1px solid var(--line);padding:3px 7px;text-align:left;vertical-align:top;unicode-bidi:isolate}
th{background:var(--soft);font-weight:600}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.wide{width:100%}
.scroll{overflow-x:auto}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;font-size:12px}
code{overflow-wrap:break-word}
.loc{overflow-wrap:anywhere}
pre{background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:6px 8px;margin:4px 0;white-space:pre-wrap;overflow-wrap:anywhere}
.badge{display:inline-block;min-width:26px;padding:0 6px;border-radius:9px;color:#fff;font-size:12px;font-weight:600;text-align:center}
.P0{background:var(--p0)}.P1{background:var(--p1)}.P2{background:var(--p2)}
.cards{display:flex;gap:10px;flex-wrap:wrap;margin:10px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:6px 12px;min-width:110px;color:inherit;text-decoration:none}
.card b{display:block;font-size:20px}
.card span{color:var(--mute);font-size:12px}
.card.P0{border-color:var(--p0);background:#fef3f2}.card.P0 b{color:var(--p0)}
.card.P1{border-color:var(--p1);background:#fffaeb}.card.P1 b{color:var(--p1)}
.card.P2{background:var(--soft)}
.note{color:var(--mute);font-size:12px}
.assume{color:var(--mute);font-size:12px;margin-top:2px}
details{margin:6px 0}
summary{cursor:pointer;font-weight:600}
details.part>summary{font-size:15px;margin:18px 0 6px}
table.f td:first-child{width:22%;overflow-wrap:anywhere}
table.f td:last-child{white-space:nowrap}
.entry{border:1px solid var(--line);border-left:4px solid var(--p2);border-radius:4px;padding:6px 10px;margin:8px 0}
.entry.e0{border-left-color:var(--p0)}.entry.e1{border-left-color:var(--p1)}
.entry h4{margin:0 0 2px;font-size:14px}
.m td{text-align:center;padding:2px 4px;font-size:12px}
.m td.k{text-align:left}
.m th{text-align:center;font-size:12px}
.m th.k{text-align:left}
td.r,th.r{border-left:2px solid #aab2c0}
td.all{background:#fde2e0}td.where{background:#fff1cc}td.none{background:#e7f5ec}td.cols{background:#e8eefc}td.no{color:#a0a7b4}
.yes{color:var(--p0);font-weight:600}
.ok{color:var(--ok)}
@media print{nav{position:static}details{display:block}}
";

/// What `pglens report` does: the checks, the access matrix and (with `compare`) the drift under
/// `config`'s settings, as `pglens check`, `access` and `diff` compute them, then [`render`]. The
/// checks parse policy expressions, so the app (whose page has no parser) calls [`render`] with
/// the results its worker already computed.
pub fn report(main: &Loaded, compare: Option<&Loaded>, config: &Config) -> String {
    let assumptions = config.assumptions_for(&main.snapshot);
    let findings = crate::checks::run(&main.snapshot, &assumptions, &config.checks);
    let matrix = crate::access::matrix(&main.snapshot, &assumptions);
    // As `pglens diff` does: B's API roles decide which new grants and policies are P0.
    let drift = compare.map(|b| {
        let options = crate::diff::Options { exposed_roles: config.assumptions_for(&b.snapshot).api_roles, ignore: vec![] };
        crate::diff::diff(&main.snapshot, &b.snapshot, &options)
    });
    render(&HtmlInput {
        main,
        compare,
        findings: &findings,
        matrix: &matrix,
        drift: drift.as_ref(),
        assumptions: &assumptions,
        checks: &config.checks,
        note: None,
    })
}

/// The report, one HTML document.
pub fn render(input: &HtmlInput) -> String {
    let mut s = String::with_capacity(64 * 1024);
    let snap = &input.main.snapshot;
    let names = file_names(snap);
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>\n");
    s.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\"/>\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    s.push_str("<meta name=\"referrer\" content=\"no-referrer\"/>\n");
    let _ = writeln!(s, "<meta name=\"generator\" content=\"pglens {}\"/>", esc(VERSION));
    let _ = writeln!(s, "<title>pglens report: {}</title>", esc(&names));
    let _ = writeln!(s, "<style>\n{CSS}</style>\n</head><body>");
    let _ = write!(s, "<header><h1>pglens report: {}</h1>", esc(&names));
    let _ = write!(s, "<p class=\"meta\">pglens {}", esc(VERSION));
    if let Some(c) = input.compare {
        let _ = write!(s, " · compared with {}", esc(&file_names(&c.snapshot)));
    }
    if let Some(note) = input.note {
        let _ = write!(s, " · {}", esc(note));
    }
    s.push_str("</p>\n<nav><a href=\"#summary\">Summary</a><a href=\"#findings\">Findings</a><a href=\"#access\">Access</a>");
    if input.drift.is_some() {
        s.push_str("<a href=\"#drift\">Drift</a>");
    }
    s.push_str(
        "<a href=\"#inventory\">Inventory</a><a href=\"#assumptions\">Assumptions</a><a href=\"#files\">Files</a></nav></header>\n<main>\n",
    );
    summary(&mut s, input);
    findings(&mut s, input);
    access(&mut s, input);
    if let Some(d) = input.drift {
        drift(&mut s, d);
    }
    inventory(&mut s, input.main);
    assumptions(&mut s, input);
    files(&mut s, input);
    let _ = writeln!(
        s,
        "<p class=\"note\">Generated by pglens {} from the files above; no part of this page loads anything.</p>",
        esc(VERSION)
    );
    s.push_str("</main>\n</body></html>\n");
    s
}

fn file_names(snap: &Snapshot) -> String {
    if snap.files.is_empty() {
        return "no file".into();
    }
    snap.files.iter().map(|f| base_name(&f.name)).collect::<Vec<_>>().join(", ")
}

/// A file as the report names it: without its directories. The report does not reveal where the
/// files sat on the disk of whoever made it, and the app (which only knows a dropped file's own
/// name) and `pglens report dumps/prod.sql` write the same bytes.
pub fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// The name of the file a span points into.
fn span_file<'a>(snap: &'a Snapshot, span: &Span) -> &'a str {
    snap.files.get(span.file as usize).map(|f| base_name(&f.name)).unwrap_or("?")
}

/// `file:line` of a span, with the file's name from the snapshot.
fn at(snap: &Snapshot, span: &Span) -> String {
    let file = span_file(snap, span);
    format!("<span class=\"loc\">{}</span>", esc(&format!("{file}:{}", span.line)))
}

fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

fn code(text: &str) -> String {
    format!("<code>{}</code>", esc(text))
}

fn opt_code(text: Option<&str>) -> String {
    text.map(|t| code(&cut(t, MAX_TEXT))).unwrap_or_default()
}

fn badge(p: Priority) -> String {
    format!("<span class=\"badge {0}\">{0}</span>", p.as_str())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A table from already-escaped cells; `numeric` marks right-aligned columns.
fn table(s: &mut String, headers: &[&str], numeric: &[usize], rows: &[Vec<String>]) {
    s.push_str("<div class=\"scroll\"><table>");
    table_body(s, headers, numeric, rows);
}

/// The rows of a table opened by the caller, and its end.
fn table_body(s: &mut String, headers: &[&str], numeric: &[usize], rows: &[Vec<String>]) {
    s.push_str("<thead><tr>");
    for (i, h) in headers.iter().enumerate() {
        let _ = write!(s, "<th{}>{h}</th>", if numeric.contains(&i) { " class=\"n\"" } else { "" });
    }
    s.push_str("</tr></thead><tbody>\n");
    for row in rows {
        s.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            let _ = write!(s, "<td{}>{c}</td>", if numeric.contains(&i) { " class=\"n\"" } else { "" });
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table></div>\n");
}

/// A section part whose heading is the `<details>` summary: `id` is its anchor.
fn part(s: &mut String, id: &str, title: &str, open: bool, body: impl FnOnce(&mut String)) {
    let _ = writeln!(s, "<details class=\"part\" id=\"{id}\"{}><summary>{title}</summary>", if open { " open=\"open\"" } else { "" });
    body(s);
    s.push_str("</details>\n");
}

fn left_out(s: &mut String, shown: usize, total: usize, what: &str) {
    if total > shown {
        let _ = writeln!(s, "<p class=\"note\">{} more {what} not shown (the report keeps the first {shown}).</p>", total - shown);
    }
}

fn summary(s: &mut String, input: &HtmlInput) {
    let c = Counts::of(input.findings);
    let l = input.main;
    s.push_str("<section id=\"summary\"><h2>Summary</h2>\n<div class=\"cards\">");
    for (p, n) in [(Priority::P0, c.p0), (Priority::P1, c.p1), (Priority::P2, c.p2)] {
        let class = if n > 0 { format!("card {}", p.as_str()) } else { "card".into() };
        let _ =
            write!(s, "<a class=\"{class}\" href=\"#{}\"><b>{n}</b><span>{} findings</span></a>", p.as_str().to_lowercase(), p.as_str());
    }
    if c.baselined > 0 {
        let _ = write!(s, "<div class=\"card\"><b>{}</b><span>accepted (baseline)</span></div>", c.baselined);
    }
    if let Some(d) = input.drift {
        let dc = d.counts();
        let _ = write!(
            s,
            "<a class=\"card{}\" href=\"#drift\"><b>{} · {} · {}</b><span>drift P0 · P1 · P2</span></a>",
            if dc.p0 > 0 { " P0" } else { "" },
            dc.p0,
            dc.p1,
            dc.p2
        );
    }
    s.push_str("</div>\n");
    // Findings by category and priority.
    let cats = [Category::Security, Category::Performance, Category::Integrity, Category::Conventions];
    let rows: Vec<Vec<String>> = cats
        .iter()
        .map(|cat| {
            let n = |p: Priority| input.findings.iter().filter(|f| !f.baselined && f.category == *cat && f.priority == p).count();
            let (a, b, d) = (n(Priority::P0), n(Priority::P1), n(Priority::P2));
            vec![cat.as_str().to_string(), a.to_string(), b.to_string(), d.to_string(), (a + b + d).to_string()]
        })
        .collect();
    s.push_str("<h3>Findings by category</h3>\n");
    table(s, &["category", "P0", "P1", "P2", "total"], &[1, 2, 3, 4], &rows);
    let m = &l.summary;
    let errors = l.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let rows = vec![
        vec!["tables".into(), m.tables.to_string(), "RLS enabled".into(), m.rls_enabled_tables.to_string()],
        vec!["policies".into(), m.policies.to_string(), "functions".into(), (m.functions + m.procedures).to_string()],
        vec!["views".into(), (m.views + m.materialized_views).to_string(), "extensions".into(), m.extensions.to_string()],
        vec!["statements".into(), m.statements.to_string(), "not modelled".into(), m.unmodelled_statements.to_string()],
        vec!["parse errors".into(), m.parse_errors.to_string(), "load errors".into(), errors.to_string()],
    ];
    s.push_str("<h3>Snapshot</h3>\n");
    table(s, &["", "count", "", "count"], &[1, 3], &rows);
    if m.parse_errors > 0 {
        let _ = writeln!(
            s,
            "<p class=\"note\">{} did not parse: findings and the matrix cover what loaded (see the load diagnostics under Inventory).</p>",
            plural(m.parse_errors as usize, "statement", "statements")
        );
    }
    s.push_str("</section>\n");
}

fn findings(s: &mut String, input: &HtmlInput) {
    let snap = &input.main.snapshot;
    s.push_str("<section id=\"findings\"><h2>Findings</h2>\n");
    if input.findings.iter().all(|f| f.baselined) {
        s.push_str("<p>No findings.</p>\n");
    }
    for p in [Priority::P0, Priority::P1, Priority::P2] {
        let rows: Vec<&Finding> = input.findings.iter().filter(|f| f.priority == p && !f.baselined).collect();
        let heading = match p {
            Priority::P0 => "P0: fix now",
            Priority::P1 => "P1: fix soon",
            Priority::P2 => "P2: hygiene",
        };
        let title = format!("{} {heading} ({})", badge(p), rows.len());
        // P0 and P1 open; P2 (often long, hygiene) folded.
        part(s, &p.as_str().to_lowercase(), &title, p != Priority::P2 && !rows.is_empty(), |s| {
            if rows.is_empty() {
                s.push_str("<p class=\"note\">None.</p>\n");
            } else {
                finding_table(s, snap, &rows);
            }
        });
    }
    let accepted: Vec<&Finding> = input.findings.iter().filter(|f| f.baselined).collect();
    if !accepted.is_empty() {
        part(s, "baselined", &format!("Accepted in the baseline ({})", accepted.len()), false, |s| finding_table(s, snap, &accepted));
    }
    s.push_str("</section>\n");
}

fn finding_table(s: &mut String, snap: &Snapshot, rows: &[&Finding]) {
    let shown = rows.len().min(MAX_FINDINGS);
    let cells: Vec<Vec<String>> = rows[..shown]
        .iter()
        .map(|f| {
            let mut what = esc(&f.message);
            if let Some(fix) = &f.fix {
                let _ = write!(what, "<pre>{}</pre>", esc(fix.trim_end()));
            }
            if !f.assumptions.is_empty() {
                let _ = write!(what, "<div class=\"assume\">assumes: {}</div>", esc(&f.assumptions.join("; ")));
            }
            let wh = match (&f.location, &f.span) {
                (Some(l), _) => esc(&format!("{}:{}", base_name(&l.file), l.line)),
                (None, Some(span)) => esc(&format!("{}:{}", span_file(snap, span), span.line)),
                _ => String::new(),
            };
            vec![
                format!("{}<div class=\"note\">{}</div>", code(&f.object), esc(&f.rule)),
                what,
                format!("<span class=\"mono loc\">{wh}</span>"),
            ]
        })
        .collect();
    s.push_str("<div class=\"scroll\"><table class=\"wide f\">");
    table_body(s, &["object and rule", "finding and fix", "where"], &[], &cells);
    left_out(s, shown, rows.len(), "findings");
}

fn state_class(state: State, cols: bool) -> (&'static str, &'static str) {
    match state {
        State::NoPrivilege => ("no", "–"),
        State::RlsDenies => ("none", "none"),
        State::AllRows if cols => ("cols", "cols"),
        State::AllRows => ("all", "all"),
        State::Conditional => ("where", "where"),
    }
}

fn access(s: &mut String, input: &HtmlInput) {
    let m = input.matrix;
    s.push_str("<section id=\"access\"><h2>Access matrix</h2>\n");
    let (roles, left) = super::matrix_roles(m, input.assumptions);
    let role_names: Vec<String> = roles.iter().map(|&i| code(&m.roles[i])).collect();
    let _ = writeln!(
        s,
        "<p>What {} can do on each table and view: <b>all</b> rows, the rows a policy allows (<b>where</b>), <b>none</b> (RLS lets no row through), some columns only (<b>cols</b>), or nothing (–, no privilege). From grants, schema USAGE, RLS and policies, under the assumptions below.</p>",
        if role_names.is_empty() { "no role".to_string() } else { role_names.join(", ") }
    );
    if !left.is_empty() {
        let _ =
            writeln!(s, "<p class=\"note\">Other roles not shown here (see <code>pglens access</code>): {}.</p>", esc(&left.join(", ")));
    }
    // Relations where a shown role has some privilege; the others are counted.
    let rels: Vec<usize> = (0..m.relations.len())
        .filter(|&ri| roles.iter().any(|&oi| (0..Command::TABLE.len()).any(|ci| m.relation_cell(ri, oi, ci).state != State::NoPrivilege)))
        .collect();
    let hidden = m.relations.len() - rels.len();
    let shown = rels.len().min(MAX_MATRIX_RELATIONS);
    let title = format!("Relations these roles can reach ({})", rels.len());
    let mut filters = Vec::new();
    part(s, "access-relations", &title, rels.len() <= MAX_OPEN_MATRIX, |s| {
        if rels.is_empty() {
            s.push_str("<p class=\"note\">None: these roles hold no privilege on any table or view.</p>\n");
            return;
        }
        s.push_str("<div class=\"scroll\"><table class=\"m\"><thead><tr><th class=\"k\" rowspan=\"2\">relation</th>");
        for &oi in &roles {
            let _ = write!(s, "<th class=\"r\" colspan=\"4\">{}</th>", esc(&m.roles[oi]));
        }
        s.push_str("</tr><tr>");
        for _ in &roles {
            s.push_str("<th class=\"r\">S</th><th>I</th><th>U</th><th>D</th>");
        }
        s.push_str("</tr></thead><tbody>\n");
        for &ri in &rels[..shown] {
            let rel = &m.relations[ri];
            let rls = match (rel.rls_enabled, rel.rls_forced) {
                (true, true) => " · RLS forced",
                (true, false) => " · RLS",
                _ if rel.kind.contains("table") => " · <span class=\"yes\">no RLS</span>",
                _ => "",
            };
            let _ = write!(s, "<tr><td class=\"k\">{} <span class=\"note\">{}{rls}</span></td>", code(&rel.key), esc(&rel.kind));
            for &oi in &roles {
                for ci in 0..Command::TABLE.len() {
                    let c = m.relation_cell(ri, oi, ci);
                    let (class, text) = state_class(c.state, c.columns.is_some());
                    let first = if ci == 0 { " r" } else { "" };
                    let _ = write!(s, "<td class=\"{class}{first}\">{text}</td>");
                    if c.state == State::Conditional {
                        filters.push(c);
                    }
                }
            }
            s.push_str("</tr>\n");
        }
        s.push_str("</tbody></table></div>\n");
    });
    left_out(s, shown, rels.len(), "relations");
    if hidden > 0 {
        let _ = writeln!(
            s,
            "<p class=\"note\">{} where none of these roles has any privilege left out.</p>",
            plural(hidden, "relation", "relations")
        );
    }
    if !filters.is_empty() {
        let shown_f = filters.len().min(MAX_ROW_FILTERS);
        part(
            s,
            "access-filters",
            &format!("Row filters of the <b>where</b> cells ({})", filters.len()),
            filters.len() <= OPEN_UP_TO,
            |s| {
                let rows: Vec<Vec<String>> = filters[..shown_f]
                    .iter()
                    .map(|c| {
                        let check = c.with_check.as_deref().filter(|w| Some(*w) != c.predicate.as_deref());
                        vec![
                            code(&c.relation),
                            esc(&c.role),
                            c.command.as_str().into(),
                            opt_code(c.predicate.as_deref()),
                            opt_code(check),
                            esc(&c.policies.join(", ")),
                        ]
                    })
                    .collect();
                table(s, &["relation", "role", "command", "rows (USING)", "WITH CHECK", "policies"], &[], &rows);
                left_out(s, shown_f, filters.len(), "row filters");
            },
        );
    }
    // EXECUTE on functions, for the shown roles.
    let funcs: Vec<(usize, Vec<&str>)> = (0..m.functions.len())
        .map(|fi| {
            (fi, roles.iter().filter(|&&oi| m.function_cell(fi, oi).state == State::AllRows).map(|&oi| m.roles[oi].as_str()).collect())
        })
        .filter(|(_, r): &(usize, Vec<&str>)| !r.is_empty())
        .collect();
    if !funcs.is_empty() {
        let shown_fn = funcs.len().min(MAX_MATRIX_RELATIONS);
        part(s, "access-functions", &format!("Functions these roles can EXECUTE ({})", funcs.len()), funcs.len() <= OPEN_UP_TO, |s| {
            let rows: Vec<Vec<String>> =
                funcs[..shown_fn].iter().map(|(fi, r)| vec![code(&m.functions[*fi].key), esc(&r.join(", "))]).collect();
            table(s, &["function", "EXECUTE"], &[], &rows);
            left_out(s, shown_fn, funcs.len(), "functions");
        });
    }
    s.push_str("</section>\n");
}

fn drift(s: &mut String, d: &Drift) {
    let c = d.counts();
    s.push_str("<section id=\"drift\"><h2>Drift</h2>\n");
    let names = |f: &[String]| {
        if f.is_empty() {
            "nothing".to_string()
        } else {
            esc(&f.iter().map(|n| base_name(n)).collect::<Vec<_>>().join(", "))
        }
    };
    let _ = writeln!(
        s,
        "<p>Compared <b>A</b> (the reference) {} with <b>B</b> {}. Fixes are SQL that would bring B in line with A.</p>",
        names(&d.a_files),
        names(&d.b_files)
    );
    if d.scope == Scope::Policies {
        s.push_str("<p class=\"note\">Only policies were compared: one side holds nothing but pg_policies exports.</p>\n");
    }
    if d.changes.is_empty() {
        s.push_str("<p>No drift.</p></section>\n");
        return;
    }
    let mut rows = Vec::new();
    for kind in Kind::ALL {
        let n = |p: Priority| d.changes.iter().filter(|x| x.kind == kind && x.priority == p).count();
        let (a, b, e) = (n(Priority::P0), n(Priority::P1), n(Priority::P2));
        if a + b + e > 0 {
            rows.push(vec![kind.as_str().replace('_', " "), a.to_string(), b.to_string(), e.to_string(), (a + b + e).to_string()]);
        }
    }
    rows.push(vec!["<b>all</b>".into(), c.p0.to_string(), c.p1.to_string(), c.p2.to_string(), d.changes.len().to_string()]);
    table(s, &["kind", "P0", "P1", "P2", "total"], &[1, 2, 3, 4], &rows);
    for p in [Priority::P0, Priority::P1, Priority::P2] {
        let changes: Vec<&Change> = d.changes.iter().filter(|x| x.priority == p).collect();
        if changes.is_empty() {
            continue;
        }
        let heading = match p {
            Priority::P0 => "P0: security drift",
            Priority::P1 => "P1: integrity and performance drift",
            Priority::P2 => "P2: other drift",
        };
        let shown = changes.len().min(MAX_DRIFT);
        let id = format!("drift-{}", p.as_str().to_lowercase());
        part(s, &id, &format!("{} {heading} ({})", badge(p), changes.len()), p != Priority::P2, |s| {
            for ch in &changes[..shown] {
                entry(s, ch);
            }
            left_out(s, shown, changes.len(), "changes");
        });
    }
    s.push_str("</section>\n");
}

fn entry(s: &mut String, c: &Change) {
    let subject = match &c.from_key {
        Some(from) => format!("{from} → {}", c.key),
        None => c.key.clone(),
    };
    let level = match c.priority {
        Priority::P0 => " e0",
        Priority::P1 => " e1",
        Priority::P2 => "",
    };
    let _ = writeln!(
        s,
        "<div class=\"entry{level}\"><h4>{} {} {}</h4><p>{}</p>",
        esc(&c.kind.as_str().replace('_', " ")),
        c.change.as_str(),
        code(&subject),
        esc(&c.reason)
    );
    if !c.fields.is_empty() {
        let rows: Vec<Vec<String>> = c
            .fields
            .iter()
            .map(|f| {
                let v = |x: &Option<String>| {
                    x.as_deref().map(|v| code(&cut(v, MAX_TEXT * 2))).unwrap_or_else(|| "<span class=\"note\">(not set)</span>".into())
                };
                vec![esc(&f.field), v(&f.a), v(&f.b)]
            })
            .collect();
        table(s, &["field", "A", "B"], &[], &rows);
    }
    if c.change == ChangeKind::Added && c.priority != Priority::P2 {
        if let Some(def) = &c.b_definition {
            let _ = write!(s, "<div class=\"note\">In B:</div><pre>{}</pre>", esc(def.trim_end()));
        }
    }
    if let Some(fix) = &c.fix {
        let hazards: Vec<&str> = fix.hazards.iter().map(|h| h.describe()).collect();
        if hazards.is_empty() {
            s.push_str("<div class=\"note\">Fix (brings B in line with A):</div>");
        } else {
            let _ = write!(
                s,
                "<div class=\"note\">Fix (brings B in line with A; <span class=\"yes\">hazards: {}</span>):</div>",
                esc(&hazards.join("; "))
            );
        }
        let _ = write!(s, "<pre>{}</pre>", esc(fix.sql.trim_end()));
    }
    s.push_str("</div>\n");
}

fn inventory(s: &mut String, l: &Loaded) {
    let snap = &l.snapshot;
    s.push_str("<section id=\"inventory\"><h2>Inventory</h2>\n");

    let rows: Vec<Vec<String>> = snap
        .tables
        .iter()
        .take(MAX_INVENTORY_ROWS)
        .map(|(k, t)| {
            let kind = match t.kind {
                TableKind::Ordinary if t.partition_of.is_some() => "partition",
                TableKind::Ordinary => "table",
                TableKind::Partitioned => "partitioned",
                TableKind::Foreign => "foreign",
            };
            let rls = match (t.rls_enabled, t.rls_forced) {
                (true, true) => "<span class=\"ok\">forced</span>",
                (true, false) => "<span class=\"ok\">on</span>",
                _ => "off",
            };
            vec![
                code(k),
                kind.into(),
                rls.into(),
                t.policies.len().to_string(),
                t.columns.len().to_string(),
                t.indexes.len().to_string(),
                esc(t.owner.as_deref().unwrap_or("")),
                at(snap, &t.span),
            ]
        })
        .collect();
    inventory_table(
        s,
        "inv-tables",
        "Tables",
        snap.tables.len(),
        &["table", "kind", "RLS", "policies", "columns", "indexes", "owner", "where"],
        &[3, 4, 5],
        rows,
    );

    let policies: Vec<_> = snap.tables.values().flat_map(|t| t.policies.values()).collect();
    let rows: Vec<Vec<String>> = policies
        .iter()
        .take(MAX_INVENTORY_ROWS)
        .map(|p| {
            let cmd = match p.command {
                PolicyCommand::All => "ALL",
                PolicyCommand::Select => "SELECT",
                PolicyCommand::Insert => "INSERT",
                PolicyCommand::Update => "UPDATE",
                PolicyCommand::Delete => "DELETE",
            };
            vec![
                code(&p.table),
                esc(&p.name),
                cmd.into(),
                if p.permissive { "permissive" } else { "restrictive" }.into(),
                esc(&p.roles.join(", ")),
                opt_code(p.using.as_ref().map(|e| e.canonical.as_str())),
                opt_code(p.with_check.as_ref().map(|e| e.canonical.as_str())),
                at(snap, &p.span),
            ]
        })
        .collect();
    inventory_table(
        s,
        "inv-policies",
        "Policies",
        policies.len(),
        &["table", "policy", "command", "as", "roles", "USING", "WITH CHECK", "where"],
        &[],
        rows,
    );

    let rows: Vec<Vec<String>> = snap
        .functions
        .iter()
        .take(MAX_INVENTORY_ROWS)
        .map(|(k, f)| {
            let definer = if f.security_definer { "<span class=\"yes\">SECURITY DEFINER</span>" } else { "invoker" };
            vec![
                code(k),
                esc(&f.language),
                definer.into(),
                opt_code(f.search_path()),
                esc(&f.volatility),
                esc(f.owner.as_deref().unwrap_or("")),
                at(snap, &f.span),
            ]
        })
        .collect();
    inventory_table(
        s,
        "inv-functions",
        "Functions",
        snap.functions.len(),
        &["function", "language", "security", "search_path", "volatility", "owner", "where"],
        &[],
        rows,
    );

    let rows: Vec<Vec<String>> = snap
        .views
        .iter()
        .take(MAX_INVENTORY_ROWS)
        .map(|(k, v)| {
            vec![
                code(k),
                if v.materialized { "materialized" } else { "view" }.into(),
                if v.materialized {
                    ""
                } else if v.security_invoker() {
                    "invoker"
                } else {
                    "owner"
                }
                .into(),
                esc(&v.reads.join(", ")),
                esc(v.owner.as_deref().unwrap_or("")),
                at(snap, &v.span),
            ]
        })
        .collect();
    inventory_table(s, "inv-views", "Views", snap.views.len(), &["view", "kind", "reads as", "reads", "owner", "where"], &[], rows);

    let rows: Vec<Vec<String>> = snap
        .extensions
        .iter()
        .take(MAX_INVENTORY_ROWS)
        .map(|(k, e)| vec![esc(k), esc(e.schema.as_deref().unwrap_or("")), esc(e.version.as_deref().unwrap_or("")), at(snap, &e.span)])
        .collect();
    inventory_table(s, "inv-extensions", "Extensions", snap.extensions.len(), &["extension", "schema", "version", "where"], &[], rows);

    let rows: Vec<Vec<String>> = snap
        .unmodelled
        .iter()
        .take(MAX_UNMODELLED)
        .map(|u| {
            let name = u.header.as_ref().map(|h| format!("{} {}", h.kind, h.name)).unwrap_or_default();
            vec![esc(&u.kind), esc(&u.reason), esc(&name), code(&cut(u.text.trim(), MAX_TEXT)), at(snap, &u.span)]
        })
        .collect();
    inventory_table(
        s,
        "inv-unmodelled",
        "Not modelled",
        snap.unmodelled.len(),
        &["statement", "why", "pg_dump header", "text", "where"],
        &[],
        rows,
    );

    let diags: Vec<_> = l.diagnostics.iter().filter(|d| d.severity >= Severity::Warning).collect();
    let rows: Vec<Vec<String>> = diags
        .iter()
        .take(MAX_UNMODELLED)
        .map(|d| {
            let sev = if d.severity == Severity::Error { "error" } else { "warning" };
            vec![sev.into(), esc(&d.code), esc(&d.message), esc(&format!("{}:{}:{}", base_name(&d.file), d.line, d.column))]
        })
        .collect();
    inventory_table(
        s,
        "inv-diagnostics",
        "Load diagnostics (warnings and errors)",
        diags.len(),
        &["severity", "code", "message", "where"],
        &[],
        rows,
    );
    s.push_str("</section>\n");
}

fn inventory_table(s: &mut String, id: &str, title: &str, total: usize, headers: &[&str], numeric: &[usize], rows: Vec<Vec<String>>) {
    part(s, id, &format!("{title} ({total})"), total > 0 && total <= OPEN_UP_TO, |s| {
        if total == 0 {
            s.push_str("<p class=\"note\">None.</p>\n");
        } else {
            table(s, headers, numeric, &rows);
            left_out(s, rows.len(), total, "rows");
        }
    });
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "<span class=\"note\">none</span>".into()
    } else {
        items.iter().map(|i| code(i)).collect::<Vec<_>>().join(", ")
    }
}

fn assumptions(s: &mut String, input: &HtmlInput) {
    let a = input.assumptions;
    s.push_str("<section id=\"assumptions\"><h2>Assumptions</h2>\n");
    s.push_str("<p>A dump holds no roles: these role facts come from a preset and <code>pglens.toml</code>, and every finding and matrix cell rests on them.</p>\n");
    let members: Vec<String> = a.member_of.iter().map(|(r, of)| format!("{r} ∈ {}", of.join(", "))).collect();
    let rows = vec![
        vec!["preset".into(), code(&a.preset)],
        vec!["roles".into(), list(&a.roles)],
        vec!["API roles".into(), list(&a.api_roles)],
        vec!["exposed schemas".into(), list(&a.exposed_schemas)],
        vec!["BYPASSRLS".into(), list(&a.bypass_rls)],
        vec!["superusers".into(), list(&a.superusers)],
        vec!["memberships".into(), list(&members)],
    ];
    table(s, &["assumption", "value"], &[], &rows);
    let c = input.checks;
    let overrides: Vec<String> = c.priority.iter().map(|(r, p)| format!("{r} = {}", p.as_str())).collect();
    let rows = vec![
        vec!["disabled rules".into(), list(&c.disable)],
        vec!["priority overrides".into(), list(&overrides)],
        vec!["tenant keys".into(), list(&c.tenant_keys)],
        vec!["sensitive tables".into(), list(&c.sensitive_tables)],
        vec!["baseline".into(), plural(c.baseline.len(), "fingerprint", "fingerprints")],
    ];
    s.push_str("<h3>Checks configuration</h3>\n");
    table(s, &["setting", "value"], &[], &rows);
    let mut used: Vec<&String> = input.findings.iter().flat_map(|f| &f.assumptions).collect();
    used.sort();
    used.dedup();
    if !used.is_empty() {
        part(s, "assumptions-used", &format!("Assumptions the findings rest on ({})", used.len()), used.len() <= OPEN_UP_TO, |s| {
            s.push_str("<ul>");
            for u in used {
                let _ = write!(s, "<li>{}</li>", esc(u));
            }
            s.push_str("</ul>\n");
        });
    }
    s.push_str("</section>\n");
}

fn files(s: &mut String, input: &HtmlInput) {
    s.push_str("<section id=\"files\"><h2>Input files</h2>\n");
    let mut rows = Vec::new();
    let sides: Vec<(&str, &Loaded)> = match input.compare {
        Some(c) => vec![("A", input.main), ("B", c)],
        None => vec![("", input.main)],
    };
    for (side, l) in sides {
        for f in &l.snapshot.files {
            let mut row = vec![
                code(base_name(&f.name)),
                f.size.to_string(),
                f.lines.to_string(),
                esc(&f.encoding),
                format!("<span class=\"mono\">{}</span>", esc(f.sha256.as_deref().unwrap_or("not computed"))),
            ];
            if input.compare.is_some() {
                row.insert(0, side.to_string());
            }
            rows.push(row);
        }
    }
    if input.compare.is_some() {
        table(s, &["side", "file", "bytes", "lines", "encoding", "SHA-256"], &[2, 3], &rows);
    } else {
        table(s, &["file", "bytes", "lines", "encoding", "SHA-256"], &[1, 2], &rows);
    }
    let _ = writeln!(s, "<p class=\"note\">pglens {}.</p>", esc(VERSION));
    s.push_str("</section>\n");
}

#[cfg(test)]
mod tests;
