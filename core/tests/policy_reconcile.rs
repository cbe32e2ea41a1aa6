//! Reconciling a dump's policies with a `pg_policies` export: the genuine exports in
//! ../shared/corpus/pg15-restored agree with their dumps, and every kind of mismatch is found.

use pglens_core::policies::reconcile::{MismatchKind, Reconciliation};
use pglens_core::{load_files, InputFile};
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if root.is_dir() {
        return Some(root);
    }
    assert_eq!(
        std::env::var("PGLENS_SKIP_CORPUS").as_deref(),
        Ok("1"),
        "no corpus at {} (set PGLENS_SKIP_CORPUS=1 to skip)",
        root.display()
    );
    eprintln!("SKIPPED: no corpus");
    None
}

fn file(path: &Path) -> InputFile {
    InputFile { name: path.file_name().unwrap().to_string_lossy().into(), bytes: std::fs::read(path).unwrap() }
}

fn reconcile(files: Vec<InputFile>) -> Reconciliation {
    let loaded = load_files(&files);
    loaded.policy_reconciliation.unwrap_or_else(|| panic!("no reconciliation; diagnostics: {:#?}", loaded.diagnostics))
}

fn kinds(r: &Reconciliation) -> Vec<(MismatchKind, String)> {
    r.mismatches.iter().map(|m| (m.kind, m.key.clone())).collect()
}

#[test]
fn genuine_exports_agree_with_their_dumps() {
    let Some(root) = corpus() else { return };
    for (app, n) in [("bookclub", 13), ("devhunt", 25)] {
        for ext in ["csv", "json"] {
            let dir = root.join("pg15-restored").join(app);
            let r = reconcile(vec![file(&dir.join("pg15_schema_only.sql")), file(&dir.join(format!("pg_policies.{ext}")))]);
            assert_eq!((r.dump_policies, r.export_policies, r.matching), (n, n, n), "{app} {ext}: {:#?}", r.mismatches);
            assert!(r.mismatches.is_empty(), "{app} {ext}: {:#?}", r.mismatches);
        }
    }
}

/// The original Supabase dump has pg_cron's two policies; the export (made after a restore
/// without pg_cron) does not: exactly those two are reported, as only in the dump.
#[test]
fn devhunt_original_dump_has_two_cron_policies_the_export_lacks() {
    let Some(root) = corpus() else { return };
    let r = reconcile(vec![
        file(&root.join("supabase/devhunt/dump_2023-10-02.sql")),
        file(&root.join("pg15-restored/devhunt/pg_policies.csv")),
    ]);
    assert_eq!(
        kinds(&r),
        [
            (MismatchKind::OnlyInDump, "cron.job/cron_job_policy".to_string()),
            (MismatchKind::OnlyInDump, "cron.job_run_details/cron_job_run_details_policy".to_string())
        ]
    );
    assert_eq!(r.matching, 25);
}

const DUMP: &str = "CREATE TABLE public.notes (id int, owner uuid, published boolean);
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON public.notes TO authenticated USING ((auth.uid() = owner));
CREATE POLICY \"read all\" ON public.notes FOR SELECT USING (published);
CREATE POLICY gone ON public.notes FOR DELETE TO service_role USING (true);
";

fn with_export(csv: &str) -> Reconciliation {
    reconcile(vec![
        InputFile { name: "dump.sql".into(), bytes: DUMP.as_bytes().to_vec() },
        InputFile { name: "p.csv".into(), bytes: csv.as_bytes().to_vec() },
    ])
}

#[test]
fn each_kind_of_mismatch_is_reported() {
    let r = with_export(
        "schemaname,tablename,policyname,permissive,roles,cmd,qual,with_check\n\
         public,notes,own,PERMISSIVE,\"{authenticated,anon}\",ALL,(auth.uid() = owner),\n\
         public,notes,read all,RESTRICTIVE,{public},SELECT,published,\n\
         public,notes,extra,PERMISSIVE,{public},SELECT,true,\n\
         public,ghost,g,PERMISSIVE,{public},ALL,true,\n\
         public,ghost,g,PERMISSIVE,{public},ALL,true,\n",
    );
    assert_eq!(
        kinds(&r),
        [
            (MismatchKind::Differs, "public.notes/own".to_string()),
            (MismatchKind::Differs, "public.notes/read all".to_string()),
            (MismatchKind::OnlyInDump, "public.notes/gone".to_string()),
            (MismatchKind::OnlyInExport, "public.notes/extra".to_string()),
            (MismatchKind::TableNotInDump, "public.ghost/g".to_string()),
            (MismatchKind::DuplicateInExport, "public.ghost/g".to_string()),
        ]
    );
    let own = &r.mismatches[0].differences;
    assert_eq!(own.len(), 1, "{own:?}");
    assert_eq!((own[0].field.as_str(), own[0].dump.as_str(), own[0].export.as_str()), ("roles", "authenticated", "anon, authenticated"));
    assert_eq!(r.mismatches[1].differences[0].field, "permissive");
    assert!(r.mismatches[4].export_span.is_some_and(|s| s.line == 5), "{:?}", r.mismatches[4]);
}

#[test]
fn expressions_compare_by_meaning_not_by_text() {
    let r = with_export(
        "schemaname,tablename,policyname,permissive,roles,cmd,qual,with_check\n\
         public,notes,own,PERMISSIVE,{authenticated},ALL,\"((auth.uid()) = owner)\",\n\
         public,notes,read all,PERMISSIVE,{public},SELECT,(published),\n\
         public,notes,gone,PERMISSIVE,{service_role},DELETE,true,\n",
    );
    assert!(r.mismatches.is_empty(), "{:#?}", r.mismatches);
    let r = with_export(
        "schemaname,tablename,policyname,permissive,roles,cmd,qual,with_check\n\
         public,notes,own,PERMISSIVE,{authenticated},ALL,(auth.uid() <> owner),\n\
         public,notes,read all,PERMISSIVE,{public},SELECT,published,published\n\
         public,notes,gone,PERMISSIVE,{service_role},DELETE,true,\n",
    );
    let fields: Vec<(&str, &str)> =
        r.mismatches.iter().flat_map(|m| m.differences.iter().map(|d| (m.policy.as_str(), d.field.as_str()))).collect();
    assert_eq!(fields, [("own", "using"), ("read all", "with_check")]);
}

#[test]
fn an_export_expression_that_does_not_parse_is_a_diagnostic_not_a_failure() {
    let files = [
        InputFile { name: "dump.sql".into(), bytes: DUMP.as_bytes().to_vec() },
        InputFile {
            name: "p.csv".into(),
            bytes: b"schemaname,tablename,policyname,permissive,roles,cmd,qual,with_check\npublic,notes,own,PERMISSIVE,{authenticated},ALL,(auth.uid() = = owner),\n".to_vec(),
        },
    ];
    let loaded = load_files(&files);
    let d = loaded.diagnostics.iter().find(|d| d.code == "export_bad_expression").expect("a diagnostic");
    assert_eq!((d.file.as_str(), d.line), ("p.csv", 2));
    assert_eq!(loaded.policy_reconciliation.unwrap().mismatches.iter().filter(|m| m.kind == MismatchKind::Differs).count(), 1);
}
