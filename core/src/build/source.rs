//! Finding clauses in a statement's own text, so expressions keep the form they were written in
//! beside their canonical form. Quotes, dollar quotes and comments are skipped; keywords match only
//! outside them, case-insensitively, at the parenthesis depth where the search starts.

/// Byte ranges of the statement's significant characters, with their parenthesis depth relative
/// to `from`: yields `(offset, byte, depth)` for everything outside quotes and comments.
struct Significant<'a> {
    text: &'a str,
    i: usize,
    depth: i32,
}

fn significant(text: &str, from: usize) -> Significant<'_> {
    Significant { text, i: from, depth: 0 }
}

impl Significant<'_> {
    /// Moves past the rest of a word. No letter, digit or `_` opens a quote, a comment or a
    /// group, so this only saves yielding them one by one (callers look at words' first bytes).
    fn skip_word(&mut self) {
        let b = self.text.as_bytes();
        while self.i < b.len() && is_word(b[self.i]) {
            self.i += 1;
        }
    }
}

impl Iterator for Significant<'_> {
    type Item = (usize, u8, i32);

    fn next(&mut self) -> Option<Self::Item> {
        let (text, b) = (self.text, self.text.as_bytes());
        let mut i = self.i;
        while i < b.len() {
            let c = b[i];
            match c {
                b'\'' | b'"' => {
                    let q = c;
                    i += 1;
                    while i < b.len() {
                        if b[i] == q {
                            if b.get(i + 1) == Some(&q) {
                                i += 2;
                                continue;
                            }
                            break;
                        }
                        i += 1;
                    }
                    i += 1;
                    continue;
                }
                b'-' if b.get(i + 1) == Some(&b'-') => {
                    i = b[i..].iter().position(|&x| x == b'\n').map_or(b.len(), |p| i + p);
                    continue;
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    i = text[i + 2..].find("*/").map_or(b.len(), |p| i + 2 + p + 2);
                    continue;
                }
                b'$' => {
                    let tag_end = b[i + 1..].iter().position(|&x| !(x.is_ascii_alphanumeric() || x == b'_')).map(|p| i + 1 + p);
                    if let Some(e) = tag_end.filter(|&e| b.get(e) == Some(&b'$') && (e == i + 1 || !b[i + 1].is_ascii_digit())) {
                        let tag = &text[i..=e];
                        i = text[e + 1..].find(tag).map_or(b.len(), |p| e + 1 + p + tag.len());
                        continue;
                    }
                }
                _ => {}
            }
            self.i = i + 1;
            let d = self.depth;
            if c == b'(' {
                self.depth += 1;
            } else if c == b')' {
                self.depth -= 1;
                return Some((i, c, self.depth));
            }
            return Some((i, c, d));
        }
        self.i = i;
        None
    }
}

fn is_word(x: u8) -> bool {
    x.is_ascii_alphanumeric() || x == b'_'
}

/// Offset just after the keyword sequence `words` (e.g. `["WITH", "CHECK"]`) at depth 0 from `from`.
fn after_keywords(text: &str, from: usize, words: &[&str]) -> Option<usize> {
    let b = text.as_bytes();
    let mut chars = significant(text, from);
    while let Some((at, c, depth)) = chars.next() {
        let word_start = depth == 0 && c.is_ascii_alphabetic() && !(at > 0 && is_word(b[at - 1]));
        if is_word(c) {
            chars.skip_word();
        }
        if !word_start {
            continue;
        }
        let mut pos = at;
        let mut ok = true;
        for (n, w) in words.iter().enumerate() {
            if n > 0 {
                let ws = b[pos..].iter().take_while(|x| x.is_ascii_whitespace()).count();
                if ws == 0 {
                    ok = false;
                    break;
                }
                pos += ws;
            }
            let end = pos + w.len();
            if end > b.len() || !b[pos..end].eq_ignore_ascii_case(w.as_bytes()) || b.get(end).is_some_and(|&x| is_word(x)) {
                ok = false;
                break;
            }
            pos = end;
        }
        if ok {
            return Some(pos);
        }
    }
    None
}

/// The text inside the parenthesised group that follows `words` at depth 0, e.g. the expression
/// of `USING (...)` in a `CREATE POLICY`.
pub fn parenthesised_after(text: &str, from: usize, words: &[&str]) -> Option<String> {
    let after = after_keywords(text, from, words)?;
    let open = after + text[after..].bytes().take_while(|x| x.is_ascii_whitespace()).count();
    if text.as_bytes().get(open) != Some(&b'(') {
        return None;
    }
    let mut chars = significant(text, open + 1);
    let close = loop {
        let (at, c, depth) = chars.next()?;
        if c == b')' && depth < 0 {
            break at;
        }
        if is_word(c) {
            chars.skip_word();
        }
    };
    Some(text[open + 1..close].trim().to_string())
}

/// Everything after `words` at depth 0 to the end of the statement (a view's query).
pub fn rest_after(text: &str, from: usize, words: &[&str]) -> Option<String> {
    let after = after_keywords(text, from, words)?;
    let rest = text[after..].trim();
    (!rest.is_empty()).then(|| rest.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_policy_clauses_outside_quotes() {
        let sql = "CREATE POLICY \"using (x)\" ON t FOR ALL TO a USING ((owner = 'WITH CHECK (no)') AND f(x)) WITH CHECK (true)";
        assert_eq!(parenthesised_after(sql, 0, &["USING"]).as_deref(), Some("(owner = 'WITH CHECK (no)') AND f(x)"));
        assert_eq!(parenthesised_after(sql, 0, &["WITH", "CHECK"]).as_deref(), Some("true"));
    }

    #[test]
    fn finds_checks_from_a_constraint_location_and_view_queries() {
        let sql = "CREATE TABLE t (a int, CONSTRAINT c CHECK ((a > 0)), b text CHECK (b <> ''))";
        let at = sql.find("CONSTRAINT").unwrap();
        assert_eq!(parenthesised_after(sql, at, &["CHECK"]).as_deref(), Some("(a > 0)"));
        let v = "CREATE VIEW v WITH (security_invoker='true') AS\n SELECT 1 AS \"as\"";
        assert_eq!(rest_after(v, 0, &["AS"]).as_deref(), Some("SELECT 1 AS \"as\""));
        assert_eq!(parenthesised_after("x USING $$)$$ (a)", 0, &["USING"]), None);
        assert_eq!(parenthesised_after("ON \"ünï\".t ÜSING USING (ü)", 0, &["USING"]).as_deref(), Some("ü"));
    }
}
