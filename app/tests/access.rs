//! Tests of the access page's and the policy list's pure parts: hash parameters, role toggling,
//! filters over a real matrix, the `pglens.toml` snippet, reconciliation rows. Run in wasm (Node)
//! with `cargo test -p pglens-app --target wasm32-unknown-unknown`, or natively with
//! `cargo test -p pglens-app`.

use pglens_app::access_data::*;
use pglens_app::helpers::*;
use pglens_app::policy_rows::*;
use pglens_core::access::{matrix, Assumptions, Command, State};
use pglens_core::config::Config;
use pglens_core::{load_files, InputFile, Loaded};
use std::collections::BTreeMap;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::*;

fn load(files: &[(&str, &str)]) -> Loaded {
    load_files(&files.iter().map(|(n, t)| InputFile { name: n.to_string(), bytes: t.as_bytes().to_vec() }).collect::<Vec<_>>())
}

const DUMP: &str = r#"
CREATE SCHEMA auth;
CREATE TABLE public.notes (id bigint, owner_id uuid, published boolean);
ALTER TABLE public.notes OWNER TO postgres;
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY "read published" ON public.notes FOR SELECT TO anon USING (published);
CREATE POLICY "own rows" ON public.notes TO authenticated USING ((auth.uid() = owner_id));
GRANT SELECT ON TABLE public.notes TO anon;
GRANT ALL ON TABLE public.notes TO authenticated;
CREATE TABLE public.open_data (id int);
GRANT SELECT ON public.open_data TO anon;
CREATE TABLE auth.users (id uuid);
CREATE FUNCTION public.hello() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
"#;

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn access_and_policy_routes_round_trip() {
    let full = AccessView {
        schema: Some("odd schema/é".into()),
        roles: vec!["anon".into(), "<script>alert(\"role\")</script>".into(), "a&b=c".into()],
        q: "user  notes".into(),
        rls_only: true,
        all_rows_only: true,
        functions: true,
        cell: Some(CellRef { role: "anon".into(), relation: "public.f(integer, text)".into(), command: Command::Execute }),
    };
    for r in [
        Route::Access(AccessView::default()),
        Route::Access(full),
        Route::Access(AccessView { q: "?#&%".into(), ..Default::default() }),
        Route::Policies(Some(PolicyStatus::Differs)),
        Route::Policies(Some(PolicyStatus::TableNotInDump)),
    ] {
        assert_eq!(Route::parse(&r.href()), r, "{}", r.href());
    }
    assert_eq!(Route::Access(AccessView::default()).href(), "#/access");
    assert_eq!(Route::Policies(None).href(), "#/policies");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn access_links_as_written_by_hand() {
    let Route::Access(v) =
        Route::parse("#/access?schema=public&role=anon&role=authenticated&q=user&rls=1&as=anon&on=public.users&cmd=select")
    else {
        panic!("not the access route")
    };
    assert_eq!(v.schema.as_deref(), Some("public"));
    assert_eq!(v.roles, ["anon", "authenticated"]);
    assert_eq!(v.q, "user");
    assert!(v.rls_only && !v.all_rows_only && !v.functions);
    assert_eq!(v.cell, Some(CellRef { role: "anon".into(), relation: "public.users".into(), command: Command::Select }));
    // A cell needs all three parts and a known command; unknown parameters are ignored.
    let Route::Access(v) = Route::parse("#/access?as=anon&on=public.users&cmd=TRUNCATE&zzz=1&role=&role=anon&role=anon") else { panic!() };
    assert_eq!(v.cell, None);
    assert_eq!(v.roles, ["anon"], "empty and repeated roles are dropped");
    assert_eq!(Route::parse("#/policies?status=nonsense"), Route::Policies(None));
    // The page, without its view parameters, decides whether a page is rebuilt.
    assert_eq!(Route::parse("#/access?q=x").page(), Route::parse("#/access"));
    assert_eq!(Route::parse("#/policies?status=same").page(), Route::Policies(None));
    assert_ne!(Route::Table("a".into()).page(), Route::Table("b".into()).page());
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn toggling_roles_keeps_links_short_and_never_empty() {
    let all: Vec<String> = ["anon", "authenticated", "public"].map(String::from).to_vec();
    let untick = toggle_role(&[], &all, "authenticated");
    assert_eq!(untick, ["anon", "public"]);
    assert_eq!(toggle_role(&untick, &all, "authenticated"), Vec::<String>::new(), "every role again = no list");
    assert_eq!(toggle_role(&["anon".into()], &all, "anon"), ["anon"], "the last role stays");
    assert_eq!(toggle_role(&["public".into()], &all, "anon"), ["anon", "public"], "matrix order");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn filters_select_rows_and_role_columns() {
    let loaded = load(&[("dump.sql", DUMP)]);
    let a = Assumptions::for_snapshot(&loaded.snapshot);
    assert_eq!(a.preset, "supabase");
    let data = AccessData::new(matrix(&loaded.snapshot, &a), 1.0);
    let keys = |view: &AccessView| -> Vec<String> {
        let rows = if view.functions { &data.matrix.functions } else { &data.matrix.relations };
        data.row_indexes(view).into_iter().map(|i| rows[i].key.clone()).collect()
    };
    assert_eq!(data.schemas, ["auth", "public"]);
    assert_eq!(keys(&AccessView::default()), ["auth.users", "public.notes", "public.open_data"]);
    assert_eq!(keys(&AccessView { schema: Some("auth".into()), ..Default::default() }), ["auth.users"]);
    assert_eq!(keys(&AccessView { q: "NOTE".into(), ..Default::default() }), ["public.notes"]);
    assert_eq!(keys(&AccessView { rls_only: true, ..Default::default() }), ["public.notes"]);
    // anon reads every row of open_data only; notes is conditional for it.
    let anon = AccessView { roles: vec!["anon".into()], all_rows_only: true, ..Default::default() };
    assert_eq!(keys(&anon), ["public.open_data"]);
    assert_eq!(data.role_indexes(&anon), [0]);
    assert_eq!(keys(&AccessView { functions: true, ..Default::default() }), ["public.hello()"]);
    // Unknown roles in a link give no column rather than every column.
    assert!(data.role_indexes(&AccessView { roles: vec!["nobody".into()], ..Default::default() }).is_empty());
    // Cells: four per relation, one per function, in the core's order.
    let notes = data.matrix.relations.iter().position(|r| r.key == "public.notes").unwrap();
    let cells = data.cells(false, notes, 0);
    assert_eq!(cells.iter().map(|c| c.command).collect::<Vec<_>>(), Command::TABLE);
    assert_eq!(cells[0].state, State::Conditional);
    assert_eq!(data.cells(true, 0, 0)[0].command, Command::Execute);
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn every_state_has_its_own_symbol_and_label() {
    let states = [State::NoPrivilege, State::RlsDenies, State::AllRows, State::Conditional];
    let mut symbols: Vec<&str> = states.iter().map(|s| state_symbol(*s)).collect();
    let mut labels: Vec<&str> = states.iter().map(|s| state_label(*s)).collect();
    symbols.dedup();
    labels.dedup();
    assert_eq!((symbols.len(), labels.len()), (4, 4));
    assert!(states.iter().all(|s| !state_meaning(*s).is_empty()));
    assert_eq!(command_letter(Command::Delete), "D");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn toml_snippet_reads_back_as_the_same_assumptions() {
    let mut odd = Assumptions::supabase();
    odd.preset = "custom".into();
    odd.roles.push("we\"ird\\role\n<script>".into());
    odd.bypass_rls.push("etl\t".into());
    odd.member_of = BTreeMap::from([
        ("app_writer".to_string(), vec!["app_reader".to_string()]),
        ("odd key.with dots".to_string(), vec!["x\u{1}y".to_string(), "z".to_string()]),
    ]);
    for a in [Assumptions::supabase(), Assumptions::plain(), odd] {
        let text = toml_snippet(&a);
        let config = Config::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let back = config.assumptions_for(&Default::default());
        // The same assumptions, preset name included: the report the app saves and the one
        // `pglens report --config` writes from this text name the same preset.
        assert_eq!(back, a, "{text}");
        assert_eq!(text.contains("preset ="), a.preset != "custom", "{text}");
    }
    assert_eq!(
        toml_snippet(&Assumptions::supabase()),
        "[assumptions]\npreset = \"supabase\"\nroles = [\"anon\", \"authenticated\", \"service_role\"]\nbypass_rls = [\"service_role\"]\nsuperusers = [\"supabase_admin\"]\nmember_of = {}\nexposed_schemas = [\"public\", \"graphql_public\"]\napi_roles = [\"anon\", \"authenticated\"]\n"
    );
}

const EXPORT: &str = "schemaname,tablename,policyname,permissive,roles,cmd,qual,with_check
public,notes,read published,PERMISSIVE,{anon},SELECT,published,
public,notes,own rows,PERMISSIVE,{authenticated},ALL,(auth.uid() <> owner_id),
public,notes,extra,PERMISSIVE,{public},DELETE,false,
public,gone,ghost,PERMISSIVE,{public},SELECT,true,
";

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn policy_rows_carry_the_reconciliation() {
    let loaded = load(&[("dump.sql", DUMP), ("pg_policies.csv", EXPORT)]);
    let rec = loaded.policy_reconciliation.as_ref().expect("a dump and an export were loaded");
    let rows = policy_rows(&loaded.snapshot, Some(rec));
    let got: Vec<(String, String, Option<PolicyStatus>)> = rows.iter().map(|r| (r.table.clone(), r.name.clone(), r.status)).collect();
    assert_eq!(
        got,
        [
            ("public.gone".to_string(), "ghost".to_string(), Some(PolicyStatus::TableNotInDump)),
            ("public.notes".into(), "extra".into(), Some(PolicyStatus::OnlyInExport)),
            ("public.notes".into(), "own rows".into(), Some(PolicyStatus::Differs)),
            ("public.notes".into(), "read published".into(), Some(PolicyStatus::Same)),
        ]
    );
    let differs = &rows[2];
    assert_eq!(differs.differences.iter().map(|d| d.field.as_str()).collect::<Vec<_>>(), ["using"]);
    assert!(differs.dump_span.is_some() && differs.export_span.is_some());
    assert!(rows[3].export_span.is_some(), "a matching row also points at its export line");
    assert!(rows[0].dump_span.is_none() && rows[0].span() == rows[0].export_span.unwrap());
    let counts = status_counts(rec);
    assert_eq!(counts[0], (PolicyStatus::Same, 1));
    assert_eq!(counts.iter().map(|(_, n)| n).sum::<usize>(), 4);
    for s in PolicyStatus::ALL {
        assert_eq!(PolicyStatus::parse(s.as_str()), Some(s));
    }
    // Without an export there is no status at all.
    let plain = load(&[("dump.sql", DUMP)]);
    assert!(policy_rows(&plain.snapshot, None).iter().all(|r| r.status.is_none() && r.export_span.is_none()));
    // An export alone: its rows, not compared.
    let alone = load(&[("pg_policies.csv", EXPORT)]);
    assert_eq!(policy_rows(&alone.snapshot, alone.policy_reconciliation.as_ref()).len(), 4);
}
