//! The ER diagram page's view, kept in the hash so a link reopens the same diagram:
//! `#/erd` (the overview), `#/erd?schema=public`, `#/erd?focus=public.tasks&hops=2`,
//! `#/erd?from=public.a&to=public.b` (the shortest foreign-key path), each with an optional
//! `detail=name|keys|all` and `group=schema|components`. Pure, unit tested natively.

use crate::helpers::{percent_encode, query_pairs};
use pglens_core::erd::{Clustering, Detail, Request, Selection};

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum ErdMode {
    #[default]
    Overview,
    Schema(String),
    Focus(String),
    Path(String, String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErdView {
    pub mode: ErdMode,
    /// Foreign-key hops around the focus, 1..=[`ErdView::MAX_HOPS`] (kept when the mode changes,
    /// so going back to a neighbourhood keeps the reader's choice).
    pub hops: u32,
    /// `None`: the selection's default (names for the overview, key columns elsewhere).
    pub detail: Option<Detail>,
    /// How the drawing is grouped; `None`: the selection's default (the overview by schema,
    /// the rest by connected component).
    pub group: Option<Clustering>,
}

impl Default for ErdView {
    fn default() -> Self {
        ErdView { mode: ErdMode::Overview, hops: 1, detail: None, group: None }
    }
}

impl ErdView {
    pub const MAX_HOPS: u32 = 3;

    pub fn focused(key: &str) -> ErdView {
        ErdView { mode: ErdMode::Focus(key.to_string()), ..ErdView::default() }
    }

    pub fn focus(&self) -> Option<&str> {
        match &self.mode {
            ErdMode::Focus(k) => Some(k),
            _ => None,
        }
    }

    /// A path needs both ends; a lone `from` or `to` is a neighbourhood of it, a lone `hops` or
    /// `detail` applies to the overview.
    pub fn from_query(query: &str) -> ErdView {
        let mut v = ErdView::default();
        let (mut focus, mut schema, mut from, mut to) = (None, None, None, None);
        for (k, val) in query_pairs(query) {
            let val = Some(val).filter(|s| !s.is_empty());
            match k.as_str() {
                "focus" => focus = val,
                "schema" => schema = val,
                "from" => from = val,
                "to" => to = val,
                "hops" => {
                    if let Some(h) = val.and_then(|h| h.parse::<u32>().ok()) {
                        v.hops = h.clamp(1, Self::MAX_HOPS);
                    }
                }
                "detail" => v.detail = val.as_deref().and_then(detail_of),
                "group" => v.group = val.as_deref().and_then(group_of),
                _ => {}
            }
        }
        v.mode = match (from, to, focus, schema) {
            (Some(a), Some(b), _, _) => ErdMode::Path(a, b),
            (_, _, Some(k), _) => ErdMode::Focus(k),
            (Some(k), None, None, _) | (None, Some(k), None, _) => ErdMode::Focus(k),
            (_, _, None, Some(s)) => ErdMode::Schema(s),
            _ => ErdMode::Overview,
        };
        v
    }

    pub fn to_query(&self) -> String {
        let mut pairs = Vec::new();
        match &self.mode {
            ErdMode::Overview => {}
            ErdMode::Schema(s) => pairs.push(format!("schema={}", percent_encode(s))),
            ErdMode::Focus(k) => pairs.push(format!("focus={}", percent_encode(k))),
            ErdMode::Path(a, b) => {
                pairs.push(format!("from={}", percent_encode(a)));
                pairs.push(format!("to={}", percent_encode(b)));
            }
        }
        if self.hops != ErdView::default().hops && matches!(self.mode, ErdMode::Focus(_)) {
            pairs.push(format!("hops={}", self.hops));
        }
        if let Some(d) = self.detail {
            pairs.push(format!("detail={}", detail_name(d)));
        }
        if let Some(g) = self.group {
            pairs.push(format!("group={}", group_name(g)));
        }
        pairs.join("&")
    }

    /// What the worker lays out for this view (with room for the health marks).
    pub fn request(&self) -> Request {
        let selection = match &self.mode {
            ErdMode::Overview => Selection::Overview,
            ErdMode::Schema(s) => Selection::Schema { schema: s.clone() },
            ErdMode::Focus(k) => Selection::Neighbourhood { focus: k.clone(), hops: self.hops },
            ErdMode::Path(a, b) => Selection::Path { from: a.clone(), to: b.clone() },
        };
        Request { selection, detail: self.detail, marks: true, clustering: self.group }
    }

    /// A short name for the diagram (export file names, the SVG's title).
    pub fn describe(&self) -> String {
        match &self.mode {
            ErdMode::Overview => "overview".into(),
            ErdMode::Schema(s) => format!("schema {s}"),
            ErdMode::Focus(k) => format!("{k}, {} hop{}", self.hops, if self.hops == 1 { "" } else { "s" }),
            ErdMode::Path(a, b) => format!("path {a} to {b}"),
        }
    }

    /// `describe` made safe as a file name.
    pub fn file_stem(&self) -> String {
        let mut out = String::from("pglens-erd-");
        for c in self.describe().chars() {
            out.push(if c.is_alphanumeric() || c == '.' || c == '-' || c == '_' { c } else { '-' });
        }
        while out.contains("--") {
            out = out.replace("--", "-");
        }
        out.trim_end_matches('-').to_string()
    }
}

pub fn detail_name(d: Detail) -> &'static str {
    match d {
        Detail::Name => "name",
        Detail::Keys => "keys",
        Detail::All => "all",
    }
}

pub fn detail_of(s: &str) -> Option<Detail> {
    [Detail::Name, Detail::Keys, Detail::All].into_iter().find(|d| detail_name(*d) == s)
}

pub fn group_name(g: Clustering) -> &'static str {
    match g {
        Clustering::Schema => "schema",
        Clustering::Components => "components",
    }
}

pub fn group_of(s: &str) -> Option<Clustering> {
    [Clustering::Schema, Clustering::Components].into_iter().find(|g| group_name(*g) == s)
}
