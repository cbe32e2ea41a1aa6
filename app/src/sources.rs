//! Files named in the page's address, so a link reopens the same snapshots:
//! `?snapshot=<url>&compare=<url>&policies=<url>`. Each may repeat, or list several URLs
//! separated by commas (several files load as one snapshot); `policies` files join the main
//! snapshot (a `pg_policies` export is read beside its dump). The URLs are relative to the page
//! or absolute, and must be on the page's own origin: the page's Content-Security-Policy
//! (`connect-src 'self'`) would block anything else, and the app refuses it first with a message.
//! Pure, unit tested natively; the fetching is in `client`.

use crate::helpers::percent_decode;

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Sources {
    pub snapshot: Vec<String>,
    pub compare: Vec<String>,
    pub policies: Vec<String>,
}

impl Sources {
    /// From `location.search` (with or without its `?`); unknown parameters are ignored.
    pub fn from_search(search: &str) -> Sources {
        let mut s = Sources::default();
        for pair in search.trim_start_matches('?').split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let list = match percent_decode(k).as_str() {
                "snapshot" => &mut s.snapshot,
                "compare" => &mut s.compare,
                "policies" => &mut s.policies,
                _ => continue,
            };
            // Split before decoding: an escaped comma (%2C) belongs to its URL.
            list.extend(v.split(',').map(|u| percent_decode(u.trim())).filter(|u| !u.is_empty()));
        }
        s
    }

    pub fn is_empty(&self) -> bool {
        self.snapshot.is_empty() && self.compare.is_empty() && self.policies.is_empty()
    }

    /// The files of the main snapshot: the dumps, then the policy exports.
    pub fn main(&self) -> Vec<String> {
        self.snapshot.iter().chain(&self.policies).cloned().collect()
    }

    /// The query string that names these files (`""` when none), for a link.
    pub fn to_search(&self) -> String {
        let mut pairs = Vec::new();
        for (name, list) in [("snapshot", &self.snapshot), ("compare", &self.compare), ("policies", &self.policies)] {
            if !list.is_empty() {
                pairs.push(format!("{name}={}", list.iter().map(|u| encode(u)).collect::<Vec<_>>().join(",")));
            }
        }
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }
}

/// The file name shown for a URL: its last path segment, without query or fragment.
pub fn file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or(path);
    percent_decode(last)
}

/// A URL as a query value: only what would end or split it is escaped (`&`, `=`, `,`, `#`, `%`,
/// `+`, spaces, controls, non-ASCII), so `dumps/prod.sql` stays readable in the link.
fn encode(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii_graphic() && !matches!(b, b'&' | b'=' | b',' | b'#' | b'%' | b'+') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
