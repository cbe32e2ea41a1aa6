//! `pglens report`: one self-contained HTML file (findings, access matrix, drift against
//! `--compare`, inventory, assumptions, the input files' SHA-256), rendered by the same core
//! function as the app's "Download report", so both give the same bytes for the same input.

use crate::diff::{load_side, side_paths};
use crate::input::{finish, usage_error, Args};
use pglens_core::report;
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: &[String]) -> ExitCode {
    // `--compare` takes every file after it up to the next option: they are side B.
    let mut rest = Vec::new();
    let mut compare: Option<Vec<String>> = None;
    let mut in_compare = false;
    for a in args {
        if a == "--compare" {
            in_compare = true;
            compare.get_or_insert_with(Vec::new);
        } else if let Some(v) = a.strip_prefix("--compare=") {
            in_compare = false;
            compare.get_or_insert_with(Vec::new).extend(side_paths(v));
        } else if in_compare && (!a.starts_with('-') || a == "-") {
            compare.get_or_insert_with(Vec::new).extend(side_paths(a));
        } else {
            in_compare = false;
            rest.push(a.clone());
        }
    }
    let args = match Args::parse("report", &rest, &["html"], &["-o", "--output"]) {
        Ok(a) => a,
        Err(code) => return code,
    };
    if let Some(c) = &compare {
        if c.is_empty() {
            return usage_error("report", "--compare needs at least one FILE");
        }
        if args.paths.iter().chain(c).filter(|p| *p == "-").count() > 1 {
            return usage_error("report", "stdin (-) can be read once: give it to one side only");
        }
    }
    let config = match args.config() {
        Ok(c) => c,
        Err(code) => return code,
    };
    let main = match load_side("report", if compare.is_some() { "A" } else { "input" }, &args.paths) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let other = match &compare {
        Some(paths) => match load_side("report", "B", paths) {
            Ok(l) => Some(l),
            Err(code) => return code,
        },
        None => None,
    };
    let html = report::html::report(&main, other.as_ref(), &config);
    match args.option("-o").or(args.option("--output")) {
        Some(path) => match std::fs::write(path, html.as_bytes()) {
            Ok(()) => {
                eprintln!("pglens report: wrote {path} ({} KB)", html.len().div_ceil(1024));
                ExitCode::SUCCESS
            }
            Err(e) => usage_error("report", &format!("cannot write {path}: {e}")),
        },
        None => finish("report", std::io::stdout().lock().write_all(html.as_bytes())),
    }
}
