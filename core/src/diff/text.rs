//! Text comparisons that ignore what does not change meaning, and line diffs to show what does.

use crate::model::Expr;
use serde::{Deserialize, Serialize};

/// Equal canonical expressions, or equal once `public.` / `pg_catalog.` qualifiers are dropped
/// (one tool printed them under an empty search_path, the other did not).
pub fn expr_equal(a: &Option<Expr>, b: &Option<Expr>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => x.canonical == y.canonical || unqualified(&x.canonical) == unqualified(&y.canonical),
        _ => false,
    }
}

/// Without `public.` / `pg_catalog.` qualifiers, including a regclass literal's
/// (`nextval('public.t_id_seq'::regclass)` as pg_dump prints it, `nextval('t_id_seq'::regclass)` as
/// written), and without the `::text` the server adds to a string literal (`f('a'::text)` in a
/// dump, `f('a')` in a migration).
pub fn unqualified(text: &str) -> String {
    let text = unquoted_regclass(text);
    crate::policies::unqualified(&text).replace("'public.", "'").replace("'::text", "'")
}

/// `'"public"."t_id_seq"'::regclass` (as `supabase db dump` writes it) read as
/// `'public.t_id_seq'::regclass` (as pg_dump does): quotes dropped from names that need none.
fn unquoted_regclass(text: &str) -> std::borrow::Cow<'_, str> {
    const CAST: &str = "'::regclass";
    if !text.contains("\"'::regclass") {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(end) = rest.find(CAST) {
        let Some(start) = rest[..end].rfind('\'') else { break };
        let name = &rest[start + 1..end];
        let plain = |p: &str| {
            let inner = p.strip_prefix('"').and_then(|p| p.strip_suffix('"')).unwrap_or(p);
            let simple = inner.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
                && inner.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
            if simple {
                inner.to_string()
            } else {
                p.to_string()
            }
        };
        out.push_str(&rest[..=start]);
        out.push_str(&name.split('.').map(plain).collect::<Vec<_>>().join("."));
        out.push_str(CAST);
        rest = &rest[end + CAST.len()..];
    }
    out.push_str(rest);
    out.into()
}

/// The top-level `AND` terms of an expression (outside parentheses, quotes and literals), each
/// trimmed: `a AND (b OR c)` gives `a`, `(b OR c)`. An `OR` at the top binds looser than `AND`
/// (`a OR b AND c` is `a OR (b AND c)`): such an expression is one term.
pub fn conjuncts(text: &str) -> Vec<&str> {
    let b = text.as_bytes();
    let top: Vec<usize> = top_level(b).collect();
    if top.iter().any(|&i| b[i..].starts_with(b" OR ")) {
        return vec![text.trim()];
    }
    let mut out = Vec::new();
    let mut start = 0;
    for &i in &top {
        if i >= start && b[i..].starts_with(b" AND ") {
            out.push(text[start..i].trim());
            start = i + 5;
        }
    }
    out.push(text[start..].trim());
    out
}

/// Byte offsets of `text` at parenthesis depth 0, outside quotes.
fn top_level(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let (mut depth, mut i) = (0i32, 0usize);
    std::iter::from_fn(move || {
        while i < b.len() {
            let at = i;
            match b[i] {
                b'\'' | b'"' => {
                    i = quoted_end(b, i, b[i]);
                    continue;
                }
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth -= 1,
                _ => {}
            }
            i += 1;
            if depth == 0 && !matches!(b[at], b')' | b']') {
                return Some(at);
            }
        }
        None
    })
}

/// B's expression keeps every top-level condition of A's and adds some: it lets fewer rows pass.
pub fn narrower(a: &str, b: &str) -> bool {
    let (a, b) = (unqualified(a), unqualified(b));
    let (x, y) = (conjuncts(&a), conjuncts(&b));
    y.len() > x.len() && x.iter().all(|t| y.contains(t))
}

/// Function bodies compared without comments and without whitespace that does not separate two
/// words. Bodies in C or `internal` name a symbol: compared as written, trimmed.
pub fn body_equal(a: &str, b: &str, language: &str) -> bool {
    if a == b {
        return true;
    }
    if matches!(language, "c" | "internal") {
        return a.trim() == b.trim();
    }
    normalized_body(a) == normalized_body(b)
}

/// The body with comments removed and whitespace reduced to a single space where it separates
/// two word characters, outside string literals, quoted identifiers and dollar quotes.
pub fn normalized_body(body: &str) -> String {
    let b = body.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let mut pending_space = false;
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            pending_space = true;
            i += 1;
            continue;
        }
        if c == b'-' && b.get(i + 1) == Some(&b'-') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            pending_space = true;
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            pending_space = true;
            continue;
        }
        if pending_space && out.last().is_some_and(|&p| word(p)) && word(c) {
            out.push(b' ');
        }
        pending_space = false;
        let end = match c {
            b'\'' | b'"' => quoted_end(b, i, c),
            b'$' => dollar_end(b, i),
            _ => i + 1,
        };
        out.extend_from_slice(&b[i..end]);
        i = end;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// End of a quoted literal or identifier starting at `start` (a doubled quote stays inside).
fn quoted_end(b: &[u8], start: usize, q: u8) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        if b[i] == q {
            if b.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

/// End of a `$tag$ ... $tag$` string starting at `start`, or just past a `$` that opens none
/// (a positional parameter such as `$1`).
fn dollar_end(b: &[u8], start: usize) -> usize {
    let mut j = start + 1;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
        j += 1;
    }
    if b.get(j) != Some(&b'$') || b[start + 1..j].first().is_some_and(|c| c.is_ascii_digit()) {
        return start + 1;
    }
    let tag = &b[start..=j];
    let mut k = j + 1;
    while k + tag.len() <= b.len() {
        if &b[k..k + tag.len()] == tag {
            return k + tag.len();
        }
        k += 1;
    }
    b.len()
}

/// One line of a line diff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub op: LineOp,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineOp {
    Same,
    /// Only in A.
    Removed,
    /// Only in B.
    Added,
}

/// A line diff from `a` to `b` (longest common subsequence of lines; inputs past a few thousand
/// lines each fall back to trimming the common head and tail).
pub fn line_diff(a: &str, b: &str) -> Vec<Line> {
    let x: Vec<&str> = a.lines().collect();
    let y: Vec<&str> = b.lines().collect();
    let head = x.iter().zip(&y).take_while(|(p, q)| p == q).count();
    let tail = x[head..].iter().rev().zip(y[head..].iter().rev()).take_while(|(p, q)| p == q).count();
    let (xm, ym) = (&x[head..x.len() - tail], &y[head..y.len() - tail]);
    let mut out: Vec<Line> = x[..head].iter().map(|t| Line { op: LineOp::Same, text: t.to_string() }).collect();
    if xm.len().saturating_mul(ym.len()) <= 4_000_000 {
        lcs(xm, ym, &mut out);
    } else {
        out.extend(xm.iter().map(|t| Line { op: LineOp::Removed, text: t.to_string() }));
        out.extend(ym.iter().map(|t| Line { op: LineOp::Added, text: t.to_string() }));
    }
    out.extend(x[x.len() - tail..].iter().map(|t| Line { op: LineOp::Same, text: t.to_string() }));
    out
}

fn lcs(x: &[&str], y: &[&str], out: &mut Vec<Line>) {
    let (n, m) = (x.len(), y.len());
    // lengths[i][j]: LCS of x[i..] and y[j..].
    let mut len = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            len[at(i, j)] = if x[i] == y[j] { len[at(i + 1, j + 1)] + 1 } else { len[at(i + 1, j)].max(len[at(i, j + 1)]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && x[i] == y[j] {
            out.push(Line { op: LineOp::Same, text: x[i].to_string() });
            i += 1;
            j += 1;
        } else if i < n && (j == m || len[at(i + 1, j)] >= len[at(i, j + 1)]) {
            out.push(Line { op: LineOp::Removed, text: x[i].to_string() });
            i += 1;
        } else {
            out.push(Line { op: LineOp::Added, text: y[j].to_string() });
            j += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_equal_up_to_comments_and_layout() {
        let a = "BEGIN\n  -- note\n  RETURN a + 1; /* x /* nested */ */\nEND";
        let b = "begin_x";
        assert!(!body_equal(a, b, "plpgsql"));
        assert!(body_equal(a, "BEGIN RETURN a+1;\nEND", "plpgsql"));
        assert!(!body_equal("SELECT 'a  b'", "SELECT 'a b'", "sql"), "whitespace inside a literal counts");
        assert!(!body_equal("SELECT $x$a  b$x$", "SELECT $x$a b$x$", "sql"));
        assert!(body_equal("SELECT $1 ,  $2", "SELECT $1,$2", "sql"));
        assert!(!body_equal("SELECT a b", "SELECT ab", "sql"));
    }

    #[test]
    fn an_added_condition_narrows() {
        assert_eq!(conjuncts("a AND (b OR c) AND 'x AND y' = d"), vec!["a", "(b OR c)", "'x AND y' = d"]);
        assert!(narrower("is_public", "is_public AND archived_at IS NULL"));
        assert!(!narrower("is_public AND archived_at IS NULL", "is_public"));
        assert!(!narrower("a", "a OR b"));
        assert!(!narrower("c", "a OR b AND c"), "a OR (b AND c): the OR is on top");
        assert!(narrower("(a OR b)", "(a OR b) AND c"));
    }

    #[test]
    fn regclass_literals_compare_without_needless_quotes() {
        assert_eq!(unqualified("nextval('\"public\".\"t_id_seq\"'::regclass)"), "nextval('t_id_seq'::regclass)");
        assert_eq!(unqualified("nextval('public.t_id_seq'::regclass)"), "nextval('t_id_seq'::regclass)");
        assert_eq!(unqualified("nextval('\"public\".\"T\"'::regclass)"), "nextval('\"T\"'::regclass)");
    }

    #[test]
    fn line_diff_marks_changed_lines() {
        let d = line_diff("a\nb\nc\n", "a\nB\nc\nd\n");
        let ops: Vec<(LineOp, &str)> = d.iter().map(|l| (l.op, l.text.as_str())).collect();
        assert_eq!(ops, vec![(LineOp::Same, "a"), (LineOp::Removed, "b"), (LineOp::Added, "B"), (LineOp::Same, "c"), (LineOp::Added, "d")]);
    }
}
