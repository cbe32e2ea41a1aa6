//! Pure helpers (no DOM, no signals) so they can be unit tested natively and in wasm:
//! hash routes (with their query parameters), search filtering, virtual-list window arithmetic,
//! source line extraction.

use crate::policy_rows::PolicyStatus;
use pglens_core::access::Command;

/// The views of the app, one per hash route (`#/tables`, `#/table/public.users`, ...).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Route {
    #[default]
    Overview,
    Tables,
    Table(String),
    /// `#/policies?status=differs`: the list, optionally narrowed to one reconciliation status.
    Policies(Option<PolicyStatus>),
    /// `#/access?schema=public&role=anon&q=user`: every filter and the open cell live in the
    /// hash, so a link reopens the same view.
    Access(AccessView),
    /// `#/checks?p=P0&cat=security&rule=x&q=users`: the health checks' findings, filtered.
    Checks(crate::checks_view::ChecksView),
    /// `#/drift?p=P0&kind=policy&q=users&swap=1&entry=<change id>`: the drift between the main
    /// snapshot and a second one, filtered, with the open change.
    Drift(crate::drift_view::DriftView),
    /// `#/erd?focus=public.tasks&hops=2`, `#/erd?schema=s`, `#/erd?from=a&to=b`, `#/erd`: the ER
    /// diagram (see [`crate::erd_view`]).
    Erd(crate::erd_view::ErdView),
    /// `#/types`: the TypeScript types of the snapshot, and the drift of an app's types file.
    Types,
    Functions,
    Views,
    Extensions,
    Unmodelled,
    Diagnostics,
    /// Asks the worker to crash (to exercise the dead-worker path); then shows the overview.
    CrashWorker,
}

/// What the access page shows: its filters and the cell whose drill-down is open.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AccessView {
    pub schema: Option<String>,
    /// Role columns to show, in the order given; empty = every role.
    pub roles: Vec<String>,
    /// Search text on the relation (or function) key.
    pub q: String,
    pub rls_only: bool,
    /// Only rows where a shown role reads every row (SELECT, or EXECUTE for functions).
    pub all_rows_only: bool,
    /// The EXECUTE matrix of functions instead of relations.
    pub functions: bool,
    pub cell: Option<CellRef>,
}

/// One role × relation × command of the matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellRef {
    pub role: String,
    pub relation: String,
    pub command: Command,
}

impl AccessView {
    fn from_query(query: &str) -> AccessView {
        let mut v = AccessView::default();
        let (mut role, mut relation, mut command) = (None, None, None);
        for (k, val) in query_pairs(query) {
            match k.as_str() {
                "schema" if !val.is_empty() => v.schema = Some(val),
                "role" if !val.is_empty() && !v.roles.contains(&val) => v.roles.push(val),
                "q" => v.q = val,
                "rls" => v.rls_only = val == "1",
                "all" => v.all_rows_only = val == "1",
                "show" => v.functions = val == "functions",
                "as" => role = Some(val),
                "on" => relation = Some(val),
                "cmd" => command = Command::parse(&val),
                _ => {}
            }
        }
        if let (Some(role), Some(relation), Some(command)) = (role, relation, command) {
            v.cell = Some(CellRef { role, relation, command });
        }
        v
    }

    fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if let Some(s) = &self.schema {
            pairs.push(("schema", s));
        }
        pairs.extend(self.roles.iter().map(|r| ("role", r.as_str())));
        if !self.q.is_empty() {
            pairs.push(("q", &self.q));
        }
        if self.rls_only {
            pairs.push(("rls", "1"));
        }
        if self.all_rows_only {
            pairs.push(("all", "1"));
        }
        if self.functions {
            pairs.push(("show", "functions"));
        }
        if let Some(c) = &self.cell {
            pairs.extend([("as", c.role.as_str()), ("on", c.relation.as_str()), ("cmd", c.command.as_str())]);
        }
        pairs.iter().map(|(k, v)| format!("{k}={}", percent_encode(v))).collect::<Vec<_>>().join("&")
    }
}

/// `a=1&b=x%20y` as decoded pairs; a key without `=` has an empty value.
pub fn query_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.split('&').filter(|p| !p.is_empty()).map(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        (percent_decode(k), percent_decode(v))
    })
}

fn with_query(path: &str, query: String) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

impl Route {
    /// Parses `location.hash` (with or without the leading `#`). Unknown routes give the overview.
    pub fn parse(hash: &str) -> Route {
        let h = hash.trim_start_matches('#').trim_start_matches('/');
        let (h, query) = h.split_once('?').unwrap_or((h, ""));
        let (head, rest) = match h.split_once('/') {
            Some((a, b)) => (a, Some(b)),
            None => (h, None),
        };
        match (head, rest) {
            ("tables", _) => Route::Tables,
            ("table", Some(k)) if !k.is_empty() => Route::Table(percent_decode(k)),
            ("policies", _) => Route::Policies(query_pairs(query).find(|(k, _)| k == "status").and_then(|(_, v)| PolicyStatus::parse(&v))),
            ("access", _) => Route::Access(AccessView::from_query(query)),
            ("checks", _) => Route::Checks(crate::checks_view::ChecksView::from_query(query)),
            ("drift", _) => Route::Drift(crate::drift_view::DriftView::from_query(query)),
            ("erd", _) => Route::Erd(crate::erd_view::ErdView::from_query(query)),
            ("types", _) => Route::Types,
            ("functions", _) => Route::Functions,
            ("views", _) => Route::Views,
            ("extensions", _) => Route::Extensions,
            ("unmodelled", _) => Route::Unmodelled,
            ("diagnostics", _) => Route::Diagnostics,
            ("debug", Some("crash-worker")) => Route::CrashWorker,
            _ => Route::Overview,
        }
    }

    /// The `href` that leads to this route.
    pub fn href(&self) -> String {
        match self {
            Route::Overview => "#/".into(),
            Route::Tables => "#/tables".into(),
            Route::Table(k) => format!("#/table/{}", percent_encode(k)),
            Route::Policies(status) => with_query("#/policies", status.map(|s| format!("status={}", s.as_str())).unwrap_or_default()),
            Route::Access(v) => with_query("#/access", v.to_query()),
            Route::Checks(v) => with_query("#/checks", v.to_query()),
            Route::Drift(v) => with_query("#/drift", v.to_query()),
            Route::Erd(v) => with_query("#/erd", v.to_query()),
            Route::Types => "#/types".into(),
            Route::Functions => "#/functions".into(),
            Route::Views => "#/views".into(),
            Route::Extensions => "#/extensions".into(),
            Route::Unmodelled => "#/unmodelled".into(),
            Route::Diagnostics => "#/diagnostics".into(),
            Route::CrashWorker => "#/debug/crash-worker".into(),
        }
    }

    /// The page this route shows, without its view parameters: moving between two routes with
    /// the same page updates that page in place instead of building it again.
    pub fn page(&self) -> Route {
        match self {
            Route::Policies(_) => Route::Policies(None),
            Route::Access(_) => Route::Access(AccessView::default()),
            Route::Checks(_) => Route::Checks(Default::default()),
            Route::Drift(_) => Route::Drift(Default::default()),
            Route::Erd(_) => Route::Erd(Default::default()),
            r => r.clone(),
        }
    }
}

/// Percent-encodes everything but unreserved characters and `.` (object keys contain quotes,
/// spaces, slashes and parentheses).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Inverse of [`percent_encode`]; malformed escapes are kept literally, invalid UTF-8 lossily.
/// Adds a `p=P0` filter's priority once; unknown values are ignored.
pub fn add_priority(list: &mut Vec<pglens_core::checks::Priority>, value: &str) {
    if let Some(p) = pglens_core::checks::Priority::parse(value).filter(|p| !list.contains(p)) {
        list.push(p);
    }
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A search query split into lowercase terms; an item matches when it contains every term.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    terms: Vec<String>,
}

impl Query {
    pub fn new(q: &str) -> Query {
        Query { terms: q.split_whitespace().map(|t| t.to_lowercase()).collect() }
    }
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
    /// `haystack_lower` must already be lowercase (precompute it once per item).
    pub fn matches(&self, haystack_lower: &str) -> bool {
        self.terms.iter().all(|t| haystack_lower.contains(t.as_str()))
    }
}

/// Indexes of the items whose lowercase search text matches `query`, in order.
pub fn filter_indexes<'a>(items: impl IntoIterator<Item = &'a str>, query: &Query) -> Vec<usize> {
    items.into_iter().enumerate().filter(|(_, s)| query.matches(s)).map(|(i, _)| i).collect()
}

/// Rows `[start, end)` of a virtual list to render: those visible in a viewport of `viewport_px`
/// scrolled to `scroll_px`, plus `overscan` rows on each side, clamped to `total`.
pub fn visible_window(scroll_px: f64, viewport_px: f64, row_px: f64, total: usize, overscan: usize) -> (usize, usize) {
    if total == 0 || row_px <= 0.0 {
        return (0, 0);
    }
    let scroll = if scroll_px.is_finite() { scroll_px.max(0.0) } else { 0.0 };
    let viewport = if viewport_px.is_finite() { viewport_px.max(0.0) } else { 0.0 };
    let first = (scroll / row_px).floor() as usize;
    let visible = (viewport / row_px).ceil() as usize + 1;
    let start = first.saturating_sub(overscan).min(total);
    let end = first.saturating_add(visible).saturating_add(overscan).min(total);
    (start.min(end), end)
}

/// The whole lines covering bytes `[start, end)` of `text`, numbered from `first_line`
/// (the 1-based line of `start`). At most `max_lines` lines; the flag says whether more were cut.
/// Out-of-range or non-boundary offsets are clamped, never a panic.
pub fn source_lines(text: &str, start: usize, end: usize, first_line: u32, max_lines: usize) -> (Vec<(u32, &str)>, bool) {
    let len = text.len();
    let mut s = start.min(len);
    while s > 0 && !text.is_char_boundary(s) {
        s -= 1;
    }
    let mut e = end.clamp(s, len);
    while e < len && !text.is_char_boundary(e) {
        e += 1;
    }
    // Widen to whole lines.
    let line_start = text[..s].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[e..].find('\n').map(|i| e + i).unwrap_or(len);
    let slice = text[line_start..line_end].trim_end_matches(['\n', '\r']);
    let mut out = Vec::new();
    let mut cut = false;
    for (n, line) in slice.split('\n').enumerate() {
        if n == max_lines {
            cut = true;
            break;
        }
        out.push((first_line.max(1) + n as u32, line.trim_end_matches('\r')));
    }
    (out, cut)
}

/// `1.2 MB`, `340 KB`, `12 B`.
pub fn format_bytes(n: u64) -> String {
    const K: f64 = 1024.0;
    let f = n as f64;
    if f >= K * K {
        format!("{:.1} MB", f / (K * K))
    } else if f >= K {
        format!("{:.0} KB", f / K)
    } else {
        format!("{n} B")
    }
}

/// Percentage `0..=100` of `done` over `total`; 0 when total is 0.
pub fn percent(done: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        (done as f64 * 100.0 / total as f64).clamp(0.0, 100.0)
    }
}

/// First line of a statement, for one-line list cells.
pub fn first_line(text: &str) -> &str {
    text.trim_start().lines().next().unwrap_or("")
}
