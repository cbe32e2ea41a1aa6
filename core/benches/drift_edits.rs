//! The drift benchmarks' B side: GitLab's structure.sql with 50 scattered edits, applied to the
//! text deterministically (no randomness: the same input gives the same edits on every target).
//! Included with `#[path]` by benches/diff.rs (native) and tests/wasm_analysis_bench.rs (browser).
//!
//! Ten kinds of edit, five of each, each on a different ordinary table of schema public spread over
//! the file (the k-th of five taken near k/5 of the way through the candidates of its kind):
//! a column's type (`integer` → `bigint`), a default (`DEFAULT 0` → `DEFAULT 1`), a NOT NULL
//! dropped, a column added, a CHECK's bound (`<= 255` → `<= 256`), a GRANT added, a CREATE INDEX
//! dropped, an index renamed (`index_…` → `idx_…`), a CREATE TRIGGER dropped, and a trigger
//! function's body (`RETURN NEW;` → `RETURN NULL;`). Every edit says which change the drift report
//! should show for it (kind and key), so a benchmark can check the diff found them.
#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};

/// One edit and the change it should cause.
#[derive(Clone, Debug)]
pub struct Edit {
    /// The drift report's kind (`Kind::as_str`).
    pub kind: &'static str,
    /// The key the report should use (in B: the new name of a renamed index).
    pub key: String,
    pub what: String,
}

pub const EDITS_PER_KIND: usize = 5;
/// The role the added GRANTs go to (absent from the input).
pub const GRANTEE: &str = "pglens_bench_reader";

struct Table {
    name: String,
    /// Line of `CREATE TABLE name (` and of its closing `);`.
    start: usize,
    end: usize,
}

fn ident_counts(text: &str) -> HashMap<&str, usize> {
    let mut m = HashMap::new();
    for w in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if !w.is_empty() {
            *m.entry(w).or_insert(0) += 1;
        }
    }
    m
}

/// `CREATE TABLE name (` of an unqualified (schema public) table, else `None`.
fn table_name(line: &str) -> Option<&str> {
    let name = line.strip_prefix("CREATE TABLE ")?.strip_suffix(" (")?;
    name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_').then_some(name)
}

/// The column name of a column line inside CREATE TABLE (`    name type ...`), not a constraint.
fn column_of(line: &str) -> Option<&str> {
    let t = line.strip_prefix("    ")?;
    let name = t.split(' ').next()?;
    (!name.is_empty() && name != "CONSTRAINT" && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        .then_some(name)
}

/// Picks `EDITS_PER_KIND` candidates spread over `cands` (the k-th near k/5 of the way through,
/// shifted by `shift`), skipping those whose table is already edited; returns their indexes.
fn spread<T>(cands: &[T], table: impl Fn(&T) -> String, used: &mut BTreeSet<String>, shift: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let n = cands.len();
    if n == 0 {
        return out;
    }
    for k in 0..EDITS_PER_KIND {
        let start = (k * n / EDITS_PER_KIND + shift * n / (EDITS_PER_KIND * 10)) % n;
        for i in (start..n).chain(0..start) {
            let t = table(&cands[i]);
            if !used.contains(&t) {
                used.insert(t);
                out.push(i);
                break;
            }
        }
    }
    out
}

/// Applies the edits to `text` (GitLab's structure.sql); returns B's text and the edits made.
/// Fewer than 50 only if the input lacks candidates of some kind.
pub fn apply(text: &str) -> (String, Vec<Edit>) {
    let counts = ident_counts(text);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut tables = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let Some(name) = table_name(l) else { continue };
        // Ordinary tables only: a partitioned one closes with `)` + `PARTITION BY`.
        let Some(end) = (i + 1..lines.len()).find(|&j| lines[j].starts_with(')')) else { continue };
        if lines[end] == ");" {
            tables.push(Table { name: name.to_string(), start: i, end });
        }
    }
    let by_name: HashMap<&str, usize> = tables.iter().enumerate().map(|(i, t)| (t.name.as_str(), i)).collect();
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut edits = Vec::new();
    // (line, replacement) and lines to delete / text to append after a line, applied at the end.
    let mut replace: Vec<(usize, String)> = Vec::new();
    let mut delete: BTreeSet<usize> = BTreeSet::new();
    let mut after: Vec<(usize, String)> = Vec::new();

    // Column-level edits: candidates are (table index, line) of the first fitting column line.
    let column_edit = |pred: &dyn Fn(&str, &str) -> bool| -> Vec<(usize, usize)> {
        tables
            .iter()
            .enumerate()
            .filter_map(|(ti, t)| (t.start + 1..t.end).find(|&j| column_of(&lines[j]).is_some_and(|c| pred(c, &lines[j]))).map(|j| (ti, j)))
            .collect()
    };
    let type_cands =
        column_edit(&|c, l| c != "id" && (l.ends_with(" integer,") || l.ends_with(" integer") || l.contains(" integer NOT NULL")));
    for i in spread(&type_cands, |x| tables[x.0].name.clone(), &mut used, 0) {
        let (ti, j) = type_cands[i];
        let col = column_of(&lines[j]).unwrap().to_string();
        replace.push((j, lines[j].replacen(" integer", " bigint", 1)));
        edits.push(Edit { kind: "column", key: format!("public.{}.{col}", tables[ti].name), what: "type integer -> bigint".into() });
    }
    let default_cands = column_edit(&|_, l| l.contains(" DEFAULT 0 NOT NULL"));
    for i in spread(&default_cands, |x| tables[x.0].name.clone(), &mut used, 1) {
        let (ti, j) = default_cands[i];
        let col = column_of(&lines[j]).unwrap().to_string();
        replace.push((j, lines[j].replacen(" DEFAULT 0 NOT NULL", " DEFAULT 1 NOT NULL", 1)));
        edits.push(Edit { kind: "column", key: format!("public.{}.{col}", tables[ti].name), what: "default 0 -> 1".into() });
    }
    let not_null_cands =
        column_edit(&|c, l| c != "id" && !l.contains("DEFAULT") && (l.ends_with(" NOT NULL,") || l.ends_with(" NOT NULL")));
    for i in spread(&not_null_cands, |x| tables[x.0].name.clone(), &mut used, 2) {
        let (ti, j) = not_null_cands[i];
        let col = column_of(&lines[j]).unwrap().to_string();
        replace.push((j, lines[j].replacen(" NOT NULL", "", 1)));
        edits.push(Edit { kind: "column", key: format!("public.{}.{col}", tables[ti].name), what: "NOT NULL dropped".into() });
    }
    let all: Vec<usize> = (0..tables.len()).collect();
    for i in spread(&all, |&x| tables[x].name.clone(), &mut used, 3) {
        let t = &tables[all[i]];
        after.push((t.start, "    pglens_bench_added text,".into()));
        edits.push(Edit { kind: "column", key: format!("public.{}.pglens_bench_added", t.name), what: "column added".into() });
    }
    let check_cands: Vec<(usize, usize)> = tables
        .iter()
        .enumerate()
        .filter_map(|(ti, t)| {
            (t.start + 1..t.end)
                .find(|&j| lines[j].trim_start().starts_with("CONSTRAINT check_") && lines[j].contains("<= 255))"))
                .map(|j| (ti, j))
        })
        .collect();
    for i in spread(&check_cands, |x| tables[x.0].name.clone(), &mut used, 4) {
        let (ti, j) = check_cands[i];
        let name = lines[j].trim_start().split(' ').nth(1).unwrap().to_string();
        replace.push((j, lines[j].replacen("<= 255))", "<= 256))", 1)));
        edits.push(Edit { kind: "constraint", key: format!("public.{}/{name}", tables[ti].name), what: "CHECK bound 255 -> 256".into() });
    }
    for i in spread(&all, |&x| tables[x].name.clone(), &mut used, 5) {
        let t = &tables[all[i]];
        after.push((t.end, format!("\nGRANT SELECT ON TABLE {} TO {GRANTEE};", t.name)));
        edits.push(Edit { kind: "privilege", key: format!("table public.{} to {GRANTEE}", t.name), what: "GRANT SELECT added".into() });
    }

    // Statement-level edits: one-line CREATE INDEX / CREATE TRIGGER on an edited-nowhere-else
    // ordinary table, whose name the file mentions only there.
    let statement_cands = |prefix: &str| -> Vec<(usize, String, String)> {
        lines
            .iter()
            .enumerate()
            .filter_map(|(j, l)| {
                let rest = l.strip_prefix(prefix)?;
                let name = rest.split(' ').next()?;
                let on = rest.split(" ON ").nth(1)?.split(' ').next()?;
                (l.ends_with(';') && by_name.contains_key(on) && counts.get(name) == Some(&1))
                    .then(|| (j, name.to_string(), on.to_string()))
            })
            .collect()
    };
    let index_cands = statement_cands("CREATE INDEX ");
    for i in spread(&index_cands, |x| x.2.clone(), &mut used, 6) {
        let (j, name, on) = &index_cands[i];
        delete.insert(*j);
        edits.push(Edit { kind: "index", key: format!("public.{on}/{name}"), what: "CREATE INDEX dropped".into() });
    }
    let rename_cands: Vec<(usize, String, String)> = index_cands
        .iter()
        .filter(|(_, n, _)| n.starts_with("index_") && !counts.contains_key(format!("idx_{}", &n[6..]).as_str()))
        .cloned()
        .collect();
    for i in spread(&rename_cands, |x| x.2.clone(), &mut used, 7) {
        let (j, name, on) = &rename_cands[i];
        let new = format!("idx_{}", &name[6..]);
        replace.push((*j, lines[*j].replacen(name.as_str(), &new, 1)));
        edits.push(Edit { kind: "index", key: format!("public.{on}/{new}"), what: format!("index renamed from {name}") });
    }
    let trigger_cands = statement_cands("CREATE TRIGGER ");
    for i in spread(&trigger_cands, |x| x.2.clone(), &mut used, 8) {
        let (j, name, on) = &trigger_cands[i];
        delete.insert(*j);
        edits.push(Edit { kind: "trigger", key: format!("public.{on}/{name}"), what: "CREATE TRIGGER dropped".into() });
    }

    // Trigger functions: `RETURN NEW;` → `RETURN NULL;` in the body (first occurrence).
    let function_cands: Vec<(usize, String)> = lines
        .iter()
        .enumerate()
        .filter_map(|(j, l)| {
            let name = l.strip_prefix("CREATE FUNCTION ")?.strip_suffix("() RETURNS trigger")?;
            let end = (j + 1..lines.len()).find(|&k| lines[k] == "$$;")?;
            let ret = (j + 1..end).find(|&k| lines[k].trim() == "RETURN NEW;")?;
            Some((ret, name.to_string()))
        })
        .collect();
    for i in spread(&function_cands, |x| format!("function {}", x.1), &mut used, 9) {
        let (j, name) = &function_cands[i];
        replace.push((*j, lines[*j].replacen("RETURN NEW;", "RETURN NULL;", 1)));
        edits.push(Edit { kind: "function", key: format!("public.{name}()"), what: "body: RETURN NEW -> RETURN NULL".into() });
    }

    for (j, l) in replace {
        lines[j] = l;
    }
    let mut extra: HashMap<usize, Vec<String>> = HashMap::new();
    for (j, s) in after {
        extra.entry(j).or_default().push(s);
    }
    let mut out = String::with_capacity(text.len() + 4096);
    for (j, l) in lines.iter().enumerate() {
        if !delete.contains(&j) {
            out.push_str(l);
            out.push('\n');
        }
        for s in extra.get(&j).into_iter().flatten() {
            out.push_str(s);
            out.push('\n');
        }
    }
    (out, edits)
}

/// How the changes a diff found line up with the edits: `(found, missing, unexpected)`, each a
/// list of `kind key`. `changes` are `(kind, key)` pairs from the report.
pub fn check<'a>(edits: &[Edit], changes: impl IntoIterator<Item = (&'a str, &'a str)>) -> (Vec<String>, Vec<String>, Vec<String>) {
    let expected: BTreeSet<String> = edits.iter().map(|e| format!("{} {}", e.kind, e.key)).collect();
    let got: BTreeSet<String> = changes.into_iter().map(|(k, key)| format!("{k} {key}")).collect();
    (
        expected.intersection(&got).cloned().collect(),
        expected.difference(&got).cloned().collect(),
        got.difference(&expected).cloned().collect(),
    )
}
