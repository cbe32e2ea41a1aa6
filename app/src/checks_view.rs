//! The Checks page's filters (kept in the hash: `#/checks?p=P0&p=P1&cat=security&rule=x&q=users`)
//! and the filtering itself: pure, so it is unit tested natively.

use crate::helpers::{add_priority, percent_encode, query_pairs};
use pglens_core::checks::{Category, Finding, Priority};

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ChecksView {
    /// Priorities shown; empty = all.
    pub priorities: Vec<Priority>,
    pub category: Option<Category>,
    pub rule: Option<String>,
    /// Search in object, message and rule.
    pub q: String,
}

const CATEGORIES: [Category; 4] = [Category::Security, Category::Performance, Category::Integrity, Category::Conventions];

pub fn category(s: &str) -> Option<Category> {
    CATEGORIES.into_iter().find(|c| c.as_str() == s)
}

impl ChecksView {
    pub fn from_query(query: &str) -> ChecksView {
        let mut v = ChecksView::default();
        for (k, val) in query_pairs(query) {
            match k.as_str() {
                "p" => add_priority(&mut v.priorities, &val),
                "cat" => v.category = category(&val),
                "rule" if !val.is_empty() => v.rule = Some(val),
                "q" => v.q = val,
                _ => {}
            }
        }
        v.priorities.sort();
        v
    }

    pub fn to_query(&self) -> String {
        let mut pairs: Vec<String> = self.priorities.iter().map(|p| format!("p={}", p.as_str())).collect();
        if let Some(c) = self.category {
            pairs.push(format!("cat={}", c.as_str()));
        }
        if let Some(r) = &self.rule {
            pairs.push(format!("rule={}", percent_encode(r)));
        }
        if !self.q.is_empty() {
            pairs.push(format!("q={}", percent_encode(&self.q)));
        }
        pairs.join("&")
    }

    pub fn shows(&self, f: &Finding) -> bool {
        let q = self.q.to_lowercase();
        (self.priorities.is_empty() || self.priorities.contains(&f.priority))
            && self.category.is_none_or(|c| c == f.category)
            && self.rule.as_ref().is_none_or(|r| r == &f.rule)
            && (q.is_empty() || [&f.object, &f.message, &f.rule].iter().any(|s| s.to_lowercase().contains(&q)))
    }

    pub fn toggled(&self, p: Priority) -> ChecksView {
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

/// The table page a finding's object belongs to (`schema.table`, or the table of a
/// `schema.table/name` key), when the snapshot has that table.
pub fn table_of<'a>(object: &'a str, has_table: impl Fn(&str) -> bool) -> Option<&'a str> {
    let table = object.split_once('/').map(|(t, _)| t).unwrap_or(object);
    has_table(table).then_some(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_round_trip_and_filtering() {
        let v = ChecksView::from_query("p=P1&p=P0&cat=security&rule=guest_grants&q=public%2Eusers&junk=1");
        assert_eq!(v.priorities, [Priority::P0, Priority::P1]);
        assert_eq!(v.category, Some(Category::Security));
        assert_eq!(ChecksView::from_query(&v.to_query()), v);
        assert_eq!(v.toggled(Priority::P0).priorities, [Priority::P1]);
        assert_eq!(ChecksView::default().to_query(), "");
        let f = Finding {
            rule: "guest_grants".into(),
            priority: Priority::P0,
            category: Category::Security,
            object: "public.users".into(),
            message: "anon holds SELECT".into(),
            fix: None,
            location: None,
            span: None,
            assumptions: vec![],
            fingerprint: "0".into(),
            baselined: false,
        };
        assert!(v.shows(&f));
        assert!(!ChecksView { category: Some(Category::Performance), ..v.clone() }.shows(&f));
        assert!(!ChecksView { q: "orders".into(), ..v }.shows(&f));
    }

    #[test]
    fn objects_lead_to_their_table() {
        let has = |t: &str| t == "public.notes";
        assert_eq!(table_of("public.notes/own rows", has), Some("public.notes"));
        assert_eq!(table_of("public.notes", has), Some("public.notes"));
        assert_eq!(table_of("public.f()", has), None);
    }
}
