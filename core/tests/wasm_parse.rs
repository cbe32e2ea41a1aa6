//! pg_query on wasm32: the real parser runs inside the module, errors come back as `Err`
//! (ereport -> siglongjmp -> WebAssembly exception handling, see core/wasm/README.md), and the
//! instance keeps working afterwards.
//!
//! Run (Node, via wasm-bindgen-test-runner from $PGLENS_TOOLS/bin):
//!   cargo test -p pglens-core --target wasm32-unknown-unknown --test wasm_parse
#![cfg(target_arch = "wasm32")]

use pglens_core::load::split;
use pglens_core::parse::{parse_sql, parse_statement, MAX_NESTING};
use pglens_core::{load_files, InputFile};
use wasm_bindgen_test::wasm_bindgen_test;

const DUMP: &str = r#"--
-- PostgreSQL database dump
--

\restrict 8f3Q2xWvYb

SET statement_timeout = 0;
SELECT pg_catalog.set_config('search_path', '', false);

--
-- Name: accounts; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.accounts (
    id bigint NOT NULL,
    email text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE public.accounts OWNER TO postgres;

--
-- Name: notes; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.notes (
    id bigint NOT NULL,
    account_id bigint NOT NULL,
    body text,
    CONSTRAINT notes_body_check CHECK ((length(body) < 10000))
);

ALTER TABLE ONLY public.accounts
    ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.notes
    ADD CONSTRAINT notes_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.accounts(id);

ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;

CREATE POLICY notes_owner ON public.notes FOR SELECT USING ((account_id = (current_setting('app.account'::text))::bigint));

GRANT SELECT ON TABLE public.notes TO PUBLIC;

\unrestrict 8f3Q2xWvYb
"#;

fn dump(name: &str, text: &str) -> InputFile {
    InputFile { name: name.to_string(), bytes: text.as_bytes().to_vec() }
}

fn parse_errors(loaded: &pglens_core::Loaded) -> Vec<&pglens_core::Diagnostic> {
    loaded.diagnostics.iter().filter(|d| d.code == "parse_error").collect()
}

#[wasm_bindgen_test]
fn load_files_parses_a_small_dump() {
    let loaded = load_files(&[dump("small.sql", DUMP)]);
    assert!(parse_errors(&loaded).is_empty(), "{:#?}", loaded.diagnostics);
    assert_eq!(loaded.snapshot.files.len(), 1);
    assert_eq!(loaded.summary.tables, 2, "{:#?}", loaded.summary);
}

#[wasm_bindgen_test]
fn load_files_reports_a_bad_statement_and_goes_on() {
    let text = DUMP.replace("CREATE TABLE public.notes (", "CREATE TABLE public.notes (( oops");
    let loaded = load_files(&[dump("bad.sql", &text)]);
    let errors = parse_errors(&loaded);
    assert_eq!(errors.len(), 1, "{:#?}", loaded.diagnostics);
    assert!(errors[0].message.contains("syntax error"), "{}", errors[0].message);
    assert_eq!(errors[0].line, 26, "{:#?}", errors[0]);
    // The statements after the bad one were still parsed and applied.
    assert_eq!(loaded.summary.tables, 1, "{:#?}", loaded.summary);
    // And the same instance still loads the good dump.
    let again = load_files(&[dump("small.sql", DUMP)]);
    assert!(parse_errors(&again).is_empty(), "{:#?}", again.diagnostics);
}

#[wasm_bindgen_test]
fn two_hundred_alternating_good_and_bad_statements() {
    let (mut ok, mut err) = (0, 0);
    for i in 0..200 {
        if i % 2 == 0 {
            let stmts = parse_sql(&format!("SELECT {i} AS n, now() FROM t{i} WHERE a = ${}", i + 1))
                .unwrap_or_else(|e| panic!("statement {i}: {e:?}"));
            assert_eq!(stmts.len(), 1);
            ok += 1;
        } else {
            let (message, cursor) = parse_sql(&format!("SELEC {i} FROM t")).unwrap_err();
            assert!(message.contains("syntax error at or near \"SELEC\""), "statement {i}: {message}");
            assert_eq!(cursor, 0);
            err += 1;
        }
    }
    assert_eq!((ok, err), (100, 100));
}

#[wasm_bindgen_test]
fn error_position_is_reported() {
    let (message, cursor) = parse_sql("CREATE TABLE t (id int, oops oops oops)").unwrap_err();
    assert!(message.contains("syntax error at or near \"oops\""), "{message}");
    assert_eq!(cursor, 34);
}

#[wasm_bindgen_test]
fn ten_levels_of_nesting_parse() {
    let ten = format!("SELECT {}1{};", "(".repeat(10), ")".repeat(10));
    assert_eq!(parse_sql(&ten).unwrap().len(), 1);
}

#[wasm_bindgen_test]
fn nesting_up_to_the_cap_does_not_kill_the_instance() {
    // Whatever PostgreSQL answers at the cap (a tree, or "stack depth limit exceeded"), it must be
    // an answer: if the engine's own stack overflowed first the instance would be dead.
    let at_cap = format!("SELECT {}1{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
    let s = split(&at_cap, 0);
    let _ = parse_statement(&at_cap, &s.statements[0]);
    assert!(parse_sql("SELECT 1").is_ok());
}

/// Chains of operators parse to trees as deep as they are long. Up to the depth cap, each one
/// either loads (decoded, deparsed and dropped within the wasm stack) or comes back as
/// PostgreSQL's own "stack depth limit exceeded"; the instance survives either way.
#[wasm_bindgen_test]
fn operator_chains_up_to_the_cap_load_or_fail_cleanly() {
    let mut loaded_depths = Vec::new();
    for n in [50, 100, 200, 400, 600, MAX_NESTING - 2] {
        let chain = vec!["'a'"; n].join(" || ");
        let sql = format!("CREATE VIEW public.v AS SELECT {chain} AS s;\nCREATE TABLE public.t (c text CHECK (c <> {chain}));\n");
        let loaded = load_files(&[dump("chain.sql", &sql)]);
        if loaded.diagnostics.is_empty() {
            assert!(loaded.snapshot.views.contains_key("public.v"));
            assert_eq!(loaded.snapshot.tables["public.t"].constraints.len(), 1);
            loaded_depths.push(n);
        } else {
            assert!(loaded.diagnostics.iter().all(|d| d.message.contains("stack depth limit exceeded")), "{n}: {:?}", loaded.diagnostics);
        }
    }
    // PostgreSQL's own limit (100 kB of C stack) refuses long chains well before our cap; how
    // long depends on the build (an unoptimised parser uses bigger frames).
    assert!(loaded_depths.contains(&50), "loaded: {loaded_depths:?}");
    assert_eq!(parse_sql("SELECT 1").unwrap().len(), 1);
}

#[wasm_bindgen_test]
fn hundred_thousand_levels_come_back_as_err_and_the_instance_survives() {
    let deep = format!("SELECT {}1{}", "(".repeat(100_000), ")".repeat(100_000));
    let s = split(&deep, 0);
    assert_eq!(s.statements.len(), 1);
    let e = parse_statement(&deep, &s.statements[0]).unwrap_err();
    assert!(e.message.contains("nested"), "{}", e.message);
    // Through the public entry point too.
    let loaded = load_files(&[dump("deep.sql", &format!("{deep};\nSELECT 1;\n"))]);
    assert_eq!(parse_errors(&loaded).len(), 1, "{:#?}", loaded.diagnostics);
    assert_eq!(parse_sql("SELECT 1").unwrap().len(), 1);
}

#[wasm_bindgen_test]
fn c_heap_is_reused_across_many_parses() {
    // libpg_query allocates through our malloc/free (wasm_shim.rs); a leak or a header mix-up
    // shows up as growth or a crash over many calls.
    let sql = "CREATE TABLE t (id int PRIMARY KEY, body text CHECK (length(body) < 10))";
    let before = core::arch::wasm32::memory_size(0);
    for _ in 0..2_000 {
        parse_sql(sql).unwrap();
        parse_sql("CREATE TABLE (").unwrap_err();
    }
    let after = core::arch::wasm32::memory_size(0);
    assert!(after - before <= 16, "memory grew by {} pages", after - before);
}
