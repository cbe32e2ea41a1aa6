//! A rule's documentation is its source file's `//!` comment: a one-line title, then the fixed
//! headings. The app shows it next to a finding; `docs/checks/` is generated from it.

use super::Rule;

/// The headings every rule's comment has, in this order.
pub const HEADINGS: [&str; 4] = ["What it finds", "Why it matters", "How to fix", "Assumptions"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleDocs {
    pub id: String,
    pub title: String,
    /// (heading, markdown body) in source order.
    pub sections: Vec<(String, String)>,
}

impl RuleDocs {
    pub fn parse(id: &str, source: &str) -> RuleDocs {
        let lines: Vec<&str> = source
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| l.trim_start_matches("//!").strip_prefix(' ').unwrap_or(l.trim_start_matches("//!")))
            .collect();
        let mut title = String::new();
        let mut sections: Vec<(String, String)> = Vec::new();
        for line in lines {
            if let Some(h) = line.strip_prefix("## ") {
                sections.push((h.trim().to_string(), String::new()));
            } else if let Some((_, body)) = sections.last_mut() {
                body.push_str(line);
                body.push('\n');
            } else if !line.trim().is_empty() && title.is_empty() {
                title = line.trim().to_string();
            }
        }
        for (_, body) in &mut sections {
            *body = body.trim().to_string();
        }
        RuleDocs { id: id.to_string(), title, sections }
    }

    pub fn section(&self, heading: &str) -> Option<&str> {
        self.sections.iter().find(|(h, _)| h == heading).map(|(_, b)| b.as_str())
    }

    /// What is missing or out of order against [`HEADINGS`].
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.title.is_empty() {
            out.push("no title line".into());
        }
        let found: Vec<&str> = self.sections.iter().map(|(h, _)| h.as_str()).collect();
        if found != HEADINGS {
            out.push(format!("headings are {found:?}, expected {HEADINGS:?}"));
        }
        for (h, b) in &self.sections {
            if b.is_empty() {
                out.push(format!("section `{h}` is empty"));
            }
        }
        out
    }
}

/// `docs/checks/<id>.md`.
pub fn rule_page(rule: &Rule) -> String {
    let d = rule.docs();
    let mut s = format!(
        "# `{}`: {}\n\n| id | category | default priority |\n|---|---|---|\n| `{}` | {} | {} |\n",
        rule.id,
        d.title,
        rule.id,
        rule.category.as_str(),
        rule.priority.as_str()
    );
    for (h, b) in &d.sections {
        s.push_str(&format!("\n## {h}\n\n{b}\n"));
    }
    s.push_str(&format!(
        "\n---\nGenerated from `core/src/checks/rules/{}.rs`; fixtures in `core/src/checks/tests/{}/`.\n",
        rule.id, rule.id
    ));
    s
}

/// `docs/checks/README.md`: every rule, by category then id.
pub fn index_page(rules: &[&Rule]) -> String {
    let mut rules: Vec<&&Rule> = rules.iter().collect();
    rules.sort_by_key(|r| (r.category, r.id));
    let mut s = String::from(
        "# Health checks\n\n`pglens check FILE...` and the app's Checks page run these rules (see \
         [../check-json.md](../check-json.md) for the output). Priorities: P0 fix now, P1 fix soon, P2 hygiene. \
         Disable a rule, change its priority or accept a finding in `pglens.toml` ([../config.md](../config.md)).\n\n\
         | rule | category | priority | finds |\n|---|---|---|---|\n",
    );
    for r in rules {
        s.push_str(&format!("| [`{}`]({}.md) | {} | {} | {} |\n", r.id, r.id, r.category.as_str(), r.priority.as_str(), r.docs().title));
    }
    s.push_str("\n---\nGenerated from the rules' doc comments (`core/src/checks/rules/`).\n");
    s
}
