//! Pure helpers (no DOM, no signals) so they can be unit tested natively and in wasm:
//! hash routes, search filtering, virtual-list window arithmetic, source line extraction.

/// The views of the app, one per hash route (`#/tables`, `#/table/public.users`, ...).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Route {
    #[default]
    Overview,
    Tables,
    Table(String),
    Policies,
    Functions,
    Views,
    Extensions,
    Unmodelled,
    Diagnostics,
    /// Asks the worker to crash (to exercise the dead-worker path); then shows the overview.
    CrashWorker,
}

impl Route {
    /// Parses `location.hash` (with or without the leading `#`). Unknown routes give the overview.
    pub fn parse(hash: &str) -> Route {
        let h = hash.trim_start_matches('#').trim_start_matches('/');
        let (head, rest) = match h.split_once('/') {
            Some((a, b)) => (a, Some(b)),
            None => (h, None),
        };
        match (head, rest) {
            ("tables", _) => Route::Tables,
            ("table", Some(k)) if !k.is_empty() => Route::Table(percent_decode(k)),
            ("policies", _) => Route::Policies,
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
            Route::Policies => "#/policies".into(),
            Route::Functions => "#/functions".into(),
            Route::Views => "#/views".into(),
            Route::Extensions => "#/extensions".into(),
            Route::Unmodelled => "#/unmodelled".into(),
            Route::Diagnostics => "#/diagnostics".into(),
            Route::CrashWorker => "#/debug/crash-worker".into(),
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
