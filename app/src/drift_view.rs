//! The Drift page's pure parts, unit tested natively: its view (kept in the hash:
//! `#/drift?p=P0&kind=policy&q=text&swap=1&entry=<change id>`), the filtering of changes, and
//! the alignment of two definitions into the rows of a side-by-side view.

use crate::helpers::{add_priority, percent_encode, query_pairs};
use pglens_core::checks::Priority;
use pglens_core::diff::text::{line_diff, LineOp};
use pglens_core::diff::{Change, Hazard, Kind};

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct DriftView {
    /// Priorities shown; empty = all.
    pub priorities: Vec<Priority>,
    pub kind: Option<Kind>,
    /// Search in the key (and old key) and the reason.
    pub q: String,
    /// A = the compare snapshot, B = the main one (instead of the other way round).
    pub swap: bool,
    /// The id of the open change.
    pub entry: Option<String>,
}

/// What narrows the list (the view without the open entry and the swap): the list is filtered
/// again only when this changes.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct DriftFilter {
    pub priorities: Vec<Priority>,
    pub kind: Option<Kind>,
    pub q: String,
}

impl DriftView {
    pub fn from_query(query: &str) -> DriftView {
        let mut v = DriftView::default();
        for (k, val) in query_pairs(query) {
            match k.as_str() {
                "p" => add_priority(&mut v.priorities, &val),
                "kind" => v.kind = Kind::parse(&val),
                "q" => v.q = val,
                "swap" => v.swap = val == "1",
                "entry" if !val.is_empty() => v.entry = Some(val),
                _ => {}
            }
        }
        v.priorities.sort();
        v
    }

    pub fn to_query(&self) -> String {
        let mut pairs: Vec<String> = self.priorities.iter().map(|p| format!("p={}", p.as_str())).collect();
        if let Some(k) = self.kind {
            pairs.push(format!("kind={}", k.as_str()));
        }
        if !self.q.is_empty() {
            pairs.push(format!("q={}", percent_encode(&self.q)));
        }
        if self.swap {
            pairs.push("swap=1".into());
        }
        if let Some(e) = &self.entry {
            pairs.push(format!("entry={}", percent_encode(e)));
        }
        pairs.join("&")
    }

    pub fn filter(&self) -> DriftFilter {
        DriftFilter { priorities: self.priorities.clone(), kind: self.kind, q: self.q.clone() }
    }

    pub fn toggled(&self, p: Priority) -> DriftView {
        let mut v = self.clone();
        match v.priorities.iter().position(|x| *x == p) {
            Some(i) => {
                v.priorities.remove(i);
            }
            None => {
                v.priorities.push(p);
                v.priorities.sort();
            }
        }
        v
    }
}

impl DriftFilter {
    /// Indexes of the changes shown, in order (`search`: each change's [`search_text`]).
    pub fn indexes(&self, changes: &[Change], search: &[String]) -> Vec<usize> {
        let q = crate::helpers::Query::new(&self.q);
        let shows = |c: &Change, s: &str| {
            (self.priorities.is_empty() || self.priorities.contains(&c.priority)) && self.kind.is_none_or(|k| k == c.kind) && q.matches(s)
        };
        changes.iter().zip(search).enumerate().filter(|(_, (c, s))| shows(c, s)).map(|(i, _)| i).collect()
    }
}

/// The lowercase text a search looks in: key, old key of a rename, reason.
pub fn search_text(c: &Change) -> String {
    let mut s = c.key.to_lowercase();
    if let Some(f) = &c.from_key {
        s.push('\n');
        s.push_str(&f.to_lowercase());
    }
    s.push('\n');
    s.push_str(&c.reason.to_lowercase());
    s
}

/// The kinds present in a report with their number of changes, in the engine's kind order.
pub fn kind_counts(changes: &[Change]) -> Vec<(Kind, usize)> {
    Kind::ALL.into_iter().map(|k| (k, changes.iter().filter(|c| c.kind == k).count())).filter(|(_, n)| *n > 0).collect()
}

/// A short label for a hazard of a fix.
pub fn hazard_label(h: Hazard) -> &'static str {
    match h {
        Hazard::LosesData => "loses data",
        Hazard::Locks => "takes a lock",
        Hazard::Rewrites => "rewrites or scans the table",
    }
}

/// One line of one side in a side-by-side view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SideLine {
    /// 1-based line number within the side's definition.
    pub no: u32,
    pub text: String,
    /// Only on this side (removed from A, added in B).
    pub changed: bool,
    /// For a changed line paired with one on the other side: the byte range that differs
    /// (common head and tail left out), when the lines share anything at all.
    pub mark: Option<(usize, usize)>,
}

/// One row of a side-by-side view: a line of A beside the line of B it corresponds to. A side is
/// `None` where the other has lines it lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SideRow {
    pub a: Option<SideLine>,
    pub b: Option<SideLine>,
}

/// `a` and `b` aligned by a line diff: common lines side by side, and in each run of changes the
/// removed lines of A beside the added lines of B, in order (the longer side against blanks).
pub fn side_by_side(a: &str, b: &str) -> Vec<SideRow> {
    let lines = line_diff(a, b);
    let mut rows = Vec::with_capacity(lines.len());
    let (mut na, mut nb) = (0u32, 0u32);
    let (mut removed, mut added): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
    let flush = |removed: &mut Vec<String>, added: &mut Vec<String>, rows: &mut Vec<SideRow>, na: &mut u32, nb: &mut u32| {
        let n = removed.len().max(added.len());
        let mut r = std::mem::take(removed).into_iter();
        let mut d = std::mem::take(added).into_iter();
        for _ in 0..n {
            let (x, y) = (r.next(), d.next());
            let marks = match (&x, &y) {
                (Some(x), Some(y)) => inline_marks(x, y),
                _ => None,
            };
            let a = x.map(|text| {
                *na += 1;
                SideLine { no: *na, text, changed: true, mark: marks.map(|m| m.0) }
            });
            let b = y.map(|text| {
                *nb += 1;
                SideLine { no: *nb, text, changed: true, mark: marks.map(|m| m.1) }
            });
            rows.push(SideRow { a, b });
        }
    };
    for l in lines {
        match l.op {
            LineOp::Removed => removed.push(l.text),
            LineOp::Added => added.push(l.text),
            LineOp::Same => {
                flush(&mut removed, &mut added, &mut rows, &mut na, &mut nb);
                na += 1;
                nb += 1;
                let a = SideLine { no: na, text: l.text.clone(), changed: false, mark: None };
                let b = SideLine { no: nb, text: l.text, changed: false, mark: None };
                rows.push(SideRow { a: Some(a), b: Some(b) });
            }
        }
    }
    flush(&mut removed, &mut added, &mut rows, &mut na, &mut nb);
    rows
}

/// The differing middle of two lines as byte ranges of each (their common head and tail left
/// out, on character boundaries); `None` when they share neither head nor tail.
pub fn inline_marks(a: &str, b: &str) -> Option<((usize, usize), (usize, usize))> {
    let head: usize = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).map(|(x, _)| x.len_utf8()).sum();
    let (ra, rb) = (&a[head..], &b[head..]);
    let tail: usize = ra.chars().rev().zip(rb.chars().rev()).take_while(|(x, y)| x == y).map(|(x, _)| x.len_utf8()).sum();
    if head == 0 && tail == 0 {
        return None;
    }
    Some(((head, a.len() - tail), (head, b.len() - tail)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn view_round_trip() {
        let v = DriftView::from_query("p=P1&p=P0&kind=policy&q=public%2Eusers%20x&swap=1&entry=abc123&junk=1");
        assert_eq!(v.priorities, [Priority::P0, Priority::P1]);
        assert_eq!(v.kind, Some(Kind::Policy));
        assert_eq!(v.q, "public.users x");
        assert!(v.swap);
        assert_eq!(v.entry.as_deref(), Some("abc123"));
        assert_eq!(DriftView::from_query(&v.to_query()), v);
        assert_eq!(DriftView::default().to_query(), "");
        assert_eq!(v.toggled(Priority::P0).priorities, [Priority::P1]);
        assert_eq!(DriftView::from_query("kind=nope&swap=0").kind, None);
    }

    #[test]
    fn rows_pair_removed_with_added_lines() {
        let rows = side_by_side("a\nUSING (x AND y);\nc", "a\nUSING (x);\nc\nd");
        assert_eq!(rows.len(), 4);
        assert!(!rows[0].a.as_ref().unwrap().changed);
        let (x, y) = (rows[1].a.as_ref().unwrap(), rows[1].b.as_ref().unwrap());
        assert!(x.changed && y.changed);
        assert_eq!(&x.text[x.mark.unwrap().0..x.mark.unwrap().1], " AND y");
        assert_eq!(y.mark.unwrap().0, y.mark.unwrap().1, "nothing added in B's line");
        assert_eq!((rows[2].a.as_ref().unwrap().no, rows[2].b.as_ref().unwrap().no), (3, 3));
        assert!(rows[3].a.is_none() && rows[3].b.as_ref().unwrap().changed);
        // A side that does not exist: every line is B's alone.
        let rows = side_by_side("", "x\ny");
        assert!(rows.iter().all(|r| r.a.is_none() && r.b.as_ref().is_some_and(|b| b.changed)));
    }

    #[test]
    fn marks_stay_on_char_boundaries() {
        assert_eq!(inline_marks("é1é", "é2é"), Some(((2, 3), (2, 3))));
        assert_eq!(inline_marks("abc", "xyz"), None);
        assert_eq!(inline_marks("same", "same"), Some(((4, 4), (4, 4))));
    }
}
