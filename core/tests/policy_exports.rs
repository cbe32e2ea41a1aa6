//! `pg_policies` exports as real tools wrote them read to the same rows whatever their form:
//! the corpus's CSV and JSON (exported from the restored Supabase projects), and the files
//! `scripts/make-policy-exports.sh` made with psql 15 from the fixture dumps (COPY CSV, json_agg,
//! a wrapped json_agg, psql aligned, wrapped, Unicode border 2, and `\x`).
//!
//! Also: reading never panics on mutated copies of those files.

use pglens_core::policies::export::{detect, read, ExportFormat, ExportRow};
use pglens_core::Severity;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn corpus() -> Option<PathBuf> {
    let dir = root().join("../shared/corpus/pg15-restored");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: {} is missing", dir.display());
        None
    }
}

/// Reads a file, sniffing its format; requires no warning or error.
fn rows_of(path: &Path, expected: ExportFormat) -> Vec<ExportRow> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let format = detect(&text);
    assert_eq!(format, Some(expected), "{}: detected format", path.display());
    let (rows, diagnostics) = read(&text, &path.display().to_string(), expected);
    let problems: Vec<String> = diagnostics.iter().filter(|d| d.severity > Severity::Info).map(|d| d.to_string()).collect();
    assert!(problems.is_empty(), "{}: {problems:#?}", path.display());
    rows
}

/// Rows without their line numbers, which differ between forms by design.
fn unlined(rows: &[ExportRow]) -> Vec<ExportRow> {
    rows.iter().cloned().map(|r| ExportRow { line: 0, ..r }).collect()
}

fn assert_same(label: &str, a: &[ExportRow], b: &[ExportRow]) {
    assert_eq!(a.len(), b.len(), "{label}: row counts");
    for (x, y) in unlined(a).iter().zip(unlined(b).iter()) {
        assert_eq!(x, y, "{label}");
    }
}

#[test]
fn corpus_csv_and_json_agree() {
    let Some(corpus) = corpus() else { return };
    for (project, count) in [("bookclub", 13), ("devhunt", 25)] {
        let csv = rows_of(&corpus.join(project).join("pg_policies.csv"), ExportFormat::Csv);
        let json = rows_of(&corpus.join(project).join("pg_policies.json"), ExportFormat::Json);
        assert_eq!(csv.len(), count, "{project}: rows");
        assert_same(project, &csv, &json);
    }
}

#[test]
fn corpus_rows_hold_what_the_files_say() {
    let Some(corpus) = corpus() else { return };
    let rows = rows_of(&corpus.join("devhunt/pg_policies.csv"), ExportFormat::Csv);
    let multi = rows.iter().find(|r| r.tablename == "product_category_product" && r.cmd == "DELETE").expect("the DELETE policy");
    assert_eq!(
        multi.qual.as_deref(),
        Some("(auth.uid() = ( SELECT products.owner_id\n   FROM products\n  WHERE (products.id = product_category_product.product_id)\n LIMIT 1))")
    );
    assert_eq!(multi.with_check, None);
    assert_eq!(multi.roles, ["authenticated"]);
    assert_eq!(multi.line, 10);
    // The row after the four-line one starts on line 14.
    let next = &rows[rows.iter().position(|r| std::ptr::eq(r, multi)).unwrap() + 1];
    assert_eq!(next.line, 14);
    assert!(rows.iter().all(|r| r.permissive));
    assert_eq!(rows.iter().filter(|r| r.schemaname == "storage").count(), 3);
}

/// Every form `scripts/make-policy-exports.sh` writes, with the format it must be detected as.
const FORMS: [(&str, ExportFormat); 10] = [
    (".csv", ExportFormat::Csv),
    (".json", ExportFormat::Json),
    ("-wrapped.json", ExportFormat::Json),
    (".txt", ExportFormat::PsqlAligned),
    ("-wrapped.txt", ExportFormat::PsqlAligned),
    ("-wrapped-unicode.txt", ExportFormat::PsqlAligned),
    ("-unicode.txt", ExportFormat::PsqlAligned),
    ("-border0.txt", ExportFormat::PsqlAligned),
    ("-expanded.txt", ExportFormat::PsqlAligned),
    ("-expanded-wrapped.txt", ExportFormat::PsqlAligned),
];

fn fixture_forms(name: &str) -> Vec<(String, Vec<ExportRow>)> {
    let dir = root().join("fixtures/exports");
    FORMS.iter().map(|(suffix, format)| (format!("{name}{suffix}"), rows_of(&dir.join(format!("{name}{suffix}")), *format))).collect()
}

fn assert_forms_agree(name: &str, count: usize) -> Vec<ExportRow> {
    let forms = fixture_forms(name);
    let (first, reference) = &forms[0];
    assert_eq!(reference.len(), count, "{first}: rows");
    for (label, rows) in &forms[1..] {
        assert_same(&format!("{label} vs {first}"), rows, reference);
    }
    reference.clone()
}

#[test]
fn saas_exports_agree_in_every_form() {
    let rows = assert_forms_agree("saas", 48);
    assert!(rows.iter().any(|r| r.with_check.is_some() && r.qual.is_none()), "an INSERT policy has only WITH CHECK");
    assert!(rows.iter().any(|r| r.qual.as_deref().is_some_and(|q| q.len() > 80)), "long expressions were wrapped in the wrapped form");
}

#[test]
fn kitchen_sink_exports_agree_in_every_form() {
    let rows = assert_forms_agree("kitchen_sink", 11);
    assert!(rows.iter().any(|r| !r.permissive), "RESTRICTIVE policies");
    assert!(rows.iter().any(|r| r.roles == ["Mixed Case Role"]), "a quoted role name");
    assert!(rows.iter().any(|r| r.qual.as_deref().is_some_and(|q| q.contains('\n'))), "a multi-line USING");
}

#[test]
fn hostile_exports_agree_in_every_form() {
    let rows = assert_forms_agree("hostile", 4);
    let markup = rows.iter().find(|r| r.policyname == "<script>alert('policy')</script>").expect("the markup policy");
    assert_eq!(markup.roles, ["\"><img src=x onerror=alert(1)>", "<script>alert(\"role\")</script>"]);
    assert!(rows.iter().any(|r| r.qual.as_deref() == Some("((\"名前\")::text = 'ユーザー'::text)")), "CJK in an aligned cell");
}

/// A deterministic linear congruential generator (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One random edit: truncation, a byte flip, or an inserted quote, pipe, newline, brace or marker.
fn mutate(bytes: &mut Vec<u8>, rng: &mut Lcg) {
    let at = rng.below(bytes.len() + 1);
    match rng.below(6) {
        0 => bytes.truncate(at),
        1 if at < bytes.len() => bytes[at] ^= 1 << rng.below(8),
        2 => bytes.insert(at, b'"'),
        3 => bytes.insert(at, b'|'),
        4 => bytes.insert(at, b'\n'),
        _ => {
            let pick = ["{", "}", "+", "\\", "[", "]", ",", "↵", "…", "中"][rng.below(10)];
            bytes.splice(at..at, pick.bytes());
        }
    }
}

#[test]
fn mutated_exports_never_panic() {
    let dir = root().join("fixtures/exports");
    let mut samples: Vec<PathBuf> =
        FORMS.iter().flat_map(|(suffix, _)| ["saas", "kitchen_sink", "hostile"].map(|n| dir.join(format!("{n}{suffix}")))).collect();
    if let Some(corpus) = corpus() {
        samples
            .extend(["bookclub", "devhunt"].iter().flat_map(|p| ["csv", "json"].map(|e| corpus.join(p).join(format!("pg_policies.{e}")))));
    }
    let mut rng = Lcg(0x5eed_2026);
    let mut reads = 0;
    let mut diagnosed = 0;
    for path in &samples {
        let original = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for round in 0..150 {
            let mut bytes = original.clone();
            for _ in 0..=round % 4 {
                mutate(&mut bytes, &mut rng);
            }
            let text = String::from_utf8_lossy(&bytes);
            let _ = detect(&text);
            for format in [ExportFormat::Csv, ExportFormat::Json, ExportFormat::PsqlAligned] {
                let (rows, diagnostics) = read(&text, "mutated", format);
                reads += 1;
                diagnosed += usize::from(!diagnostics.is_empty());
                for d in &diagnostics {
                    assert!(d.line >= 1 && d.column >= 1, "{}: {d}", path.display());
                    assert!(d.span.end as usize <= text.len() && d.span.start <= d.span.end, "{}: {d:?}", path.display());
                }
                assert!(rows.iter().all(|r| r.line >= 1 && !r.policyname.is_empty()), "{}", path.display());
            }
        }
    }
    // The mutations must have hit something: reading a file in the wrong format alone guarantees it.
    assert!(diagnosed > reads / 2, "{diagnosed} of {reads} reads had diagnostics");
}
