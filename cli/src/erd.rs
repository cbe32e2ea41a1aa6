//! `pglens erd`: the ER diagram as a standalone SVG file, drawn by the same core functions as the
//! app's ER page (selection, layout, health overlay, [`erd::render`]), so the file matches the
//! screen.

use crate::input::{emit, usage_error, Args};
use pglens_core::checks;
use pglens_core::erd::{self, Detail, Graph, GraphOptions, Overlay, SvgOptions};
use std::process::ExitCode;

/// What the diagram shows, from the command line.
enum Selection {
    Overview,
    Focus { key: String, hops: u32 },
    Schema(String),
    Path { from: String, to: String },
}

pub fn run(args: &[String]) -> ExitCode {
    let args = match Args::parse_with_flags(
        "erd",
        args,
        &["svg"],
        &["--focus", "--hops", "--schema", "--path", "--detail", "--group", "-o", "--output"],
        &["--views", "--no-overlay"],
    ) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let selection = match selection(&args) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let detail = match args.option("--detail") {
        None => None,
        Some("name") => Some(Detail::Name),
        Some("keys") => Some(Detail::Keys),
        Some("all") => Some(Detail::All),
        Some(s) => return usage_error("erd", &format!("--detail takes name, keys or all, got {s}")),
    };
    let clustering = match args.option("--group") {
        None => None,
        Some("schema") => Some(erd::Clustering::Schema),
        Some("components") => Some(erd::Clustering::Components),
        Some(s) => return usage_error("erd", &format!("--group takes schema or components, got {s}")),
    };
    let (config, loaded) = match args.config_and_load() {
        Ok(x) => x,
        Err(code) => return code,
    };
    let snapshot = &loaded.snapshot;
    let full = Graph::of(snapshot, GraphOptions { views: args.flag("--views") });

    // Names resolved here (the CLI accepts bare names and suggests close ones); the core then
    // selects, trims and lays out exactly as for the app's page.
    let (selection, what) = match &selection {
        Selection::Overview => (erd::Selection::Overview, "overview".to_string()),
        Selection::Focus { key, hops } => {
            let key = match resolve(&full, key) {
                Ok(k) => k,
                Err(code) => return code,
            };
            let what = format!("{key}, {hops} {}", if *hops == 1 { "hop" } else { "hops" });
            (erd::Selection::Neighbourhood { focus: key, hops: *hops }, what)
        }
        Selection::Schema(s) => {
            if !full.nodes.iter().any(|n| &n.schema == s) {
                let mut schemas: Vec<&str> = full.nodes.iter().map(|n| n.schema.as_str()).collect();
                schemas.dedup();
                return usage_error("erd", &format!("no table in schema {s}{}", suggest(s, schemas)));
            }
            (erd::Selection::Schema { schema: s.clone() }, format!("schema {s}"))
        }
        Selection::Path { from, to } => {
            let (from, to) = match (resolve(&full, from), resolve(&full, to)) {
                (Ok(f), Ok(t)) => (f, t),
                (Err(code), _) | (_, Err(code)) => return code,
            };
            let what = erd::path(&full, &from, &to).map(|keys| format!("path {}", keys.join(" → "))).unwrap_or_default();
            (erd::Selection::Path { from, to }, what)
        }
    };
    let marks = !args.flag("--no-overlay");
    let diagram = match erd::Diagram::of(&full, &erd::Request { selection, detail, marks, clustering }) {
        Ok(d) => d,
        Err(why) => {
            // The names are resolved: only a missing path is left.
            eprintln!("pglens erd: {why}");
            return ExitCode::from(1);
        }
    };
    let focus = match &diagram.request.selection {
        erd::Selection::Neighbourhood { focus, .. } => Some(focus.as_str()),
        _ => None,
    };
    let overlay = marks.then(|| {
        let findings = checks::run(snapshot, &config.assumptions_for(snapshot), &config.checks);
        Overlay::of(snapshot, &diagram.graph, &findings)
    });

    let files: Vec<&str> =
        args.paths.iter().map(|p| std::path::Path::new(p).file_name().and_then(|f| f.to_str()).unwrap_or(p.as_str())).collect();
    let title = format!("{} · {what}", files.join(", "));
    let svg = erd::render(
        &diagram.graph,
        &diagram.layout,
        &diagram.options,
        overlay.as_ref(),
        &SvgOptions { title: &title, focus, legend: true },
    );

    if loaded.summary.parse_errors > 0 {
        eprintln!(
            "pglens erd: {} statements failed to parse (see `pglens inspect`): the diagram shows what loaded",
            loaded.summary.parse_errors
        );
    }
    emit(&args, &svg)
}

/// The selection options, at most one of them; `--hops` only with `--focus`.
fn selection(args: &Args) -> Result<Selection, ExitCode> {
    let given: Vec<&str> = ["--focus", "--schema", "--path"].into_iter().filter(|o| args.option(o).is_some()).collect();
    if given.len() > 1 {
        return Err(usage_error("erd", &format!("{} select different diagrams: give one", given.join(" and "))));
    }
    let hops = match args.option("--hops") {
        Some(_) if args.option("--focus").is_none() => return Err(usage_error("erd", "--hops goes with --focus")),
        Some(h) => match h.parse::<u32>() {
            Ok(n @ 1..=3) => n,
            _ => return Err(usage_error("erd", &format!("--hops takes 1, 2 or 3, got {h}"))),
        },
        None => 2,
    };
    if let Some(key) = args.option("--focus") {
        return Ok(Selection::Focus { key: key.to_string(), hops });
    }
    if let Some(s) = args.option("--schema") {
        return Ok(Selection::Schema(s.to_string()));
    }
    if let Some(p) = args.option("--path") {
        return match p.split_once(',') {
            Some((from, to)) if !from.trim().is_empty() && !to.trim().is_empty() => {
                Ok(Selection::Path { from: from.trim().to_string(), to: to.trim().to_string() })
            }
            _ => Err(usage_error("erd", &format!("--path takes FROM,TO (two tables), got {p}"))),
        };
    }
    Ok(Selection::Overview)
}

/// A table named on the command line as its key (`schema.name`), or by its name alone when one
/// table of the graph has that name (`public`'s first when several do). Unknown: exit 2, naming
/// it, with the closest keys.
fn resolve(graph: &Graph, name: &str) -> Result<String, ExitCode> {
    if graph.index(name).is_some() {
        return Ok(name.to_string());
    }
    let by_name: Vec<&str> = graph.nodes.iter().filter(|n| n.name == name).map(|n| n.key.as_str()).collect();
    match by_name.as_slice() {
        [one] => return Ok(one.to_string()),
        [] => {}
        several => {
            if let Some(k) = several.iter().find(|k| k.starts_with("public.")) {
                return Ok(k.to_string());
            }
            return Err(usage_error("erd", &format!("{name} names several tables: {}; give schema.name", several.join(", "))));
        }
    }
    let what = if graph.nodes.is_empty() { " (the input has no table)" } else { "" };
    Err(usage_error("erd", &format!("no table {name}{what}{}", suggest(name, graph.nodes.iter().map(|n| n.key.as_str())))))
}

/// `; did you mean a, b?` with up to three names close to `wanted` (by edit distance, or
/// containing it), or nothing.
fn suggest<'a>(wanted: &str, names: impl IntoIterator<Item = &'a str>) -> String {
    let w = wanted.to_lowercase();
    let limit = (w.chars().count() / 3).max(2);
    let mut close: Vec<(usize, &str)> = names
        .into_iter()
        .filter_map(|n| {
            let l = n.to_lowercase();
            let bare = l.split_once('.').map_or(l.as_str(), |(_, b)| b);
            let d = distance(&w, &l).min(distance(&w, bare));
            (d <= limit || (w.len() >= 3 && l.contains(&w))).then_some((d, n))
        })
        .collect();
    close.sort();
    close.dedup();
    if close.is_empty() {
        return String::new();
    }
    format!("; did you mean {}?", close.iter().take(3).map(|(_, n)| *n).collect::<Vec<_>>().join(", "))
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
