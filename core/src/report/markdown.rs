//! Markdown for a pull-request comment: a headline with counts, one table per priority, fixes in
//! fenced blocks. GitHub caps a comment at 65,536 characters, so long lists are cut with a count of
//! what was left out.

use super::Counts;
use crate::checks::{Finding, Priority};

/// Markdown-escapes text from a dump for use in running text or a table cell: punctuation that
/// Markdown or HTML would interpret is backslash-escaped or turned into an entity, line breaks
/// become spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '.' | '!' | '|' | '~' | '"' | '\'' | ':'
            | '@' | '=' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A fenced code block whose fence is longer than any backtick run inside, so the content cannot
/// close it.
pub fn code_block(lang: &str, code: &str) -> String {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat((longest + 1).max(3));
    format!("{fence}{lang}\n{}\n{fence}\n", code.trim_end())
}

const MAX_ROWS_PER_PRIORITY: usize = 50;
const MAX_FIXES: usize = 30;

pub fn report(findings: &[Finding], inputs: &[String], title: &str) -> String {
    let c = Counts::of(findings);
    let mut s = format!("## {title}: {} P0 · {} P1 · {} P2", c.p0, c.p1, c.p2);
    if c.baselined > 0 {
        s.push_str(&format!(" · {} accepted in the baseline", c.baselined));
    }
    s.push_str("\n\n");
    let names: Vec<String> = inputs.iter().map(|i| escape(i)).collect();
    s.push_str(&format!("Checked {}.\n", names.join(", ")));
    if c.p0 + c.p1 + c.p2 == 0 {
        s.push_str("\nNo findings.\n");
    }
    for p in [Priority::P0, Priority::P1, Priority::P2] {
        let rows: Vec<&Finding> = findings.iter().filter(|f| f.priority == p && !f.baselined).collect();
        if rows.is_empty() {
            continue;
        }
        let heading = match p {
            Priority::P0 => "P0: fix now",
            Priority::P1 => "P1: fix soon",
            Priority::P2 => "P2: hygiene",
        };
        s.push_str(&format!("\n### {heading} ({})\n\n| rule | object | finding | where |\n|---|---|---|---|\n", rows.len()));
        for f in rows.iter().take(MAX_ROWS_PER_PRIORITY) {
            let at = f.location.as_ref().map(|l| format!("{}:{}", escape(&l.file), l.line)).unwrap_or_default();
            s.push_str(&format!("| {} | {} | {} | {at} |\n", escape(&f.rule), escape(&f.object), escape(&f.message)));
        }
        if rows.len() > MAX_ROWS_PER_PRIORITY {
            s.push_str(&format!(
                "\n…and {} more {} findings (see `pglens check --format json`).\n",
                rows.len() - MAX_ROWS_PER_PRIORITY,
                p.as_str()
            ));
        }
    }
    let fixes: Vec<&Finding> = findings.iter().filter(|f| !f.baselined && f.fix.is_some() && f.priority != Priority::P2).collect();
    if !fixes.is_empty() {
        s.push_str("\n<details><summary>Suggested fixes (P0 and P1)</summary>\n\n");
        for f in fixes.iter().take(MAX_FIXES) {
            s.push_str(&format!("{} on {}:\n\n", escape(&f.rule), escape(&f.object)));
            s.push_str(&code_block("sql", f.fix.as_deref().unwrap_or_default()));
            s.push('\n');
        }
        if fixes.len() > MAX_FIXES {
            s.push_str(&format!("…and {} more.\n\n", fixes.len() - MAX_FIXES));
        }
        s.push_str("</details>\n");
    }
    let mut assumptions: Vec<&String> = findings.iter().flat_map(|f| &f.assumptions).collect();
    assumptions.sort();
    assumptions.dedup();
    if !assumptions.is_empty() {
        s.push_str("\n<details><summary>Assumptions these findings rest on</summary>\n\n");
        for a in assumptions {
            s.push_str(&format!("- {}\n", escape(a)));
        }
        s.push_str("\n</details>\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_stays_text() {
        let e = escape("<script>alert(\"x\")</script> | `rm` [a](b) \n# h");
        assert!(!e.contains('<') && !e.contains('>') && !e.contains('\n'));
        assert!(e.contains("\\|") && e.contains("\\`") && e.contains("\\[") && e.contains("\\#"));
        let block = code_block("sql", "select '```' ;");
        assert!(block.starts_with("````sql\n") && block.ends_with("\n````\n"), "{block}");
    }
}
