//! Reports of check results for people and tools: Markdown (a PR comment) and SARIF 2.1.0 (code
//! scanning). JSON is the serde form of the findings (docs/check-json.md). [`drift`] does the same
//! for a drift between two snapshots (docs/diff-json.md).
//!
//! Invariants: strings in, strings out; every piece of dump-derived text (names, messages that quote
//! them, expressions, SQL) is escaped for the target format, so a hostile identifier renders as text.

pub mod access_markdown;
pub mod drift;
pub mod html;
pub mod markdown;
pub mod sarif;

use crate::access::{Assumptions, Matrix};
use crate::checks::{Finding, Priority};

/// Role columns of a report's access matrix when the assumptions name no API role.
pub const MAX_MATRIX_ROLES: usize = 6;

/// The role columns a report's access matrix shows (indexes into `m.roles`): the API roles and
/// PUBLIC, else the first roles; and the roles left out.
pub(crate) fn matrix_roles(m: &Matrix, a: &Assumptions) -> (Vec<usize>, Vec<String>) {
    let api: Vec<usize> =
        m.roles.iter().enumerate().filter(|(_, r)| a.api_roles.contains(r) || r.as_str() == "public").map(|(i, _)| i).collect();
    let chosen: Vec<usize> =
        if a.api_roles.is_empty() || api.len() <= 1 { (0..m.roles.len()).take(MAX_MATRIX_ROLES).collect() } else { api };
    let left: Vec<String> = m.roles.iter().enumerate().filter(|(i, _)| !chosen.contains(i)).map(|(_, r)| r.clone()).collect();
    (chosen, left)
}
use serde::{Deserialize, Serialize};

/// Escapes text for XML and HTML character data and attribute values alike (`& < > " '`): the
/// one escaper of the ER diagram's SVG and of the HTML report. Replaces the characters XML 1.0
/// forbids (controls other than tab, newline and carriage return, U+FFFE, U+FFFF) with U+FFFD,
/// one for one, so the SVG's box widths measured in characters still hold. Tab, newline and
/// carriage return become character references so attribute values keep them (a parser
/// normalises raw ones to spaces) and the app's keys still match; in HTML text they read the same.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Counts by priority, of findings not in the baseline, and of baselined ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    #[serde(rename = "P0")]
    pub p0: usize,
    #[serde(rename = "P1")]
    pub p1: usize,
    #[serde(rename = "P2")]
    pub p2: usize,
    pub baselined: usize,
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            if f.baselined {
                c.baselined += 1;
                continue;
            }
            match f.priority {
                Priority::P0 => c.p0 += 1,
                Priority::P1 => c.p1 += 1,
                Priority::P2 => c.p2 += 1,
            }
        }
        c
    }

    /// Findings at or above `threshold` (baselined ones excluded).
    pub fn at_or_above(&self, threshold: Priority) -> usize {
        match threshold {
            Priority::P0 => self.p0,
            Priority::P1 => self.p0 + self.p1,
            Priority::P2 => self.p0 + self.p1 + self.p2,
        }
    }
}
