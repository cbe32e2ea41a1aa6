//! pglens-core: bytes in, a PostgreSQL schema model and diagnostics out.
//!
//! Data flows one way: `load` (decode, split) → `parse` (pg_query, one statement at a time) →
//! `build` (apply statements to the model in dump order) → [`Snapshot`].
//!
//! Invariants:
//! - No DOM, no filesystem, no network, no clock: the same bytes give the same result on every target.
//! - Loading never fails as a whole: [`load_files`] returns the model plus [`Diagnostic`]s.
//! - The model is plain serde data; parser types never leave the `parse`/`build` modules.
//! - The app (through its worker) and the CLI call this crate through the functions below only.

pub mod access;
pub mod build;
pub mod checks;
pub mod config;
pub mod coverage;
pub mod diagnostic;
pub mod diff;
pub mod erd;
pub mod load;
pub mod model;
pub mod parse;
pub mod policies;
pub mod report;
pub mod summary;
pub mod typegen;
#[cfg(target_arch = "wasm32")]
mod wasm_shim;

pub use diagnostic::{Diagnostic, Severity};
pub use model::Snapshot;
pub use summary::Summary;

use serde::{Deserialize, Serialize};

/// One input file: its display name and raw bytes (possibly gzip, possibly not UTF-8).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct InputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What loading produced: always a snapshot (possibly empty) and the diagnostics met on the way.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Loaded {
    pub summary: Summary,
    pub diagnostics: Vec<Diagnostic>,
    pub snapshot: Snapshot,
    /// The dump's policies against the `pg_policies` exports, when both were given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_reconciliation: Option<policies::Reconciliation>,
}

/// Progress of a load, reported between statements. The callback returns `false` to cancel; a
/// cancelled load still returns what it built so far, with a diagnostic saying so.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Progress {
    pub file: u32,
    pub done_bytes: u64,
    pub total_bytes: u64,
    pub statements: u64,
}

/// Loads several files into one snapshot, in order (as `psql -f a -f b` would apply them).
pub fn load_files(files: &[InputFile]) -> Loaded {
    load_files_with_progress(files, &mut |_| true)
}

/// Like [`load_files`], calling `progress` every few hundred statements.
pub fn load_files_with_progress(files: &[InputFile], progress: &mut dyn FnMut(Progress) -> bool) -> Loaded {
    let (mut loaded, sources) = load_with_sources(files.to_vec(), progress);
    fingerprint(&mut loaded.snapshot.files, &sources);
    loaded
}

/// The load the app's worker and the CLI use: takes the files (valid UTF-8 becomes the text
/// without a copy) and also returns each file's decoded text, which the spans index into.
///
/// A UTF-8 file's SHA-256 is left for [`fingerprint`] (its text holds the same bytes), so a
/// caller can show the snapshot before hashing; other encodings are hashed here, before their
/// bytes are decoded away.
pub fn load_with_sources(files: Vec<InputFile>, progress: &mut dyn FnMut(Progress) -> bool) -> (Loaded, Vec<String>) {
    let mut builder = build::Builder::new();
    let mut diagnostics = Vec::new();
    let mut sources = Vec::with_capacity(files.len());
    let total: u64 = files.iter().map(|f| f.bytes.len() as u64).sum();
    let mut before = 0u64;
    let mut cancelled = false;
    for (index, file) in files.into_iter().enumerate() {
        let index = index as u32;
        let size = file.bytes.len() as u64;
        let name = file.name;
        let sha256 = (!load::utf8_text_is_the_bytes(&file.bytes)).then(|| load::sha256_hex(&file.bytes));
        let decoded = load::decode_owned(&name, file.bytes, index, &mut diagnostics);
        let source_file = model::SourceFile {
            name: name.clone(),
            size,
            sha256,
            encoding: decoded.encoding.to_string(),
            lines: load::line_count(&decoded.text),
            content: if decoded.binary { model::FileContent::Binary } else { model::FileContent::Sql },
        };
        let export = if decoded.binary { None } else { policies::export::detect(&decoded.text) };
        if let Some(format) = export {
            builder.add_file(model::SourceFile { content: model::FileContent::PolicyExport, ..source_file });
            let rows = policies::import(&decoded.text, &name, index, format, &mut diagnostics);
            builder.add_policy_exports(rows);
        } else {
            builder.add_file(source_file);
        }
        if export.is_none() && !decoded.binary && !cancelled {
            let split = load::split(&decoded.text, index);
            builder.note_split(&split);
            diagnostics.extend(split.diagnostics.iter().cloned().map(|mut d| {
                d.file = name.clone();
                d
            }));
            let scale = size as f64 / decoded.text.len().max(1) as f64;
            let mut parsed = Vec::new().into_iter();
            for (n, stmt) in split.statements.iter().enumerate() {
                if n % 256 == 0 {
                    let p = Progress {
                        file: index,
                        done_bytes: before + (stmt.span.start as f64 * scale) as u64,
                        total_bytes: total,
                        statements: builder.statements(),
                    };
                    if !progress(p) {
                        diagnostics.push(Diagnostic::cancelled(&name, stmt.span));
                        cancelled = true;
                        break;
                    }
                }
                // Parsed a batch at a time (one call into the parser for many statements); a
                // cancellation still stops at a statement between progress reports.
                if n % parse::BATCH == 0 {
                    let batch = &split.statements[n..(n + parse::BATCH).min(split.statements.len())];
                    parsed = parse::parse_batch(&decoded.text, batch).into_iter();
                }
                let (parsed, location_base) = parsed.next().expect("a parse for every statement of the batch");
                builder.apply_at(&decoded.text, stmt, parsed, location_base, &name, &mut diagnostics);
            }
        }
        before += size;
        sources.push(decoded.text);
    }
    let snapshot = builder.finish(&mut diagnostics);
    let summary = Summary::of(&snapshot);
    let policy_reconciliation = policies::reconcile(&snapshot);
    (Loaded { summary, diagnostics, snapshot, policy_reconciliation }, sources)
}

/// Fills in the SHA-256 of files [`load_with_sources`] left unhashed, from their texts.
pub fn fingerprint(files: &mut [model::SourceFile], sources: &[String]) {
    for (f, text) in files.iter_mut().zip(sources) {
        if f.sha256.is_none() {
            f.sha256 = Some(load::sha256_of_utf8_file(text, f.encoding == load::UTF8_BOM));
        }
    }
}
