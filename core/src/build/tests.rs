//! Builder tests on small hand-written dumps. Fidelity against a real server lives in
//! core/tests/fidelity.rs.

use crate::model::*;
use crate::{load_files, InputFile};

fn load(sql: &str) -> crate::Loaded {
    load_files(&[InputFile { name: "t.sql".into(), bytes: sql.as_bytes().to_vec() }])
}

#[test]
fn pg_dump_style_table_with_constraints_and_rls() {
    let l = load(
        "SET search_path = '';\n\
         CREATE TABLE public.users (id integer NOT NULL, email character varying(255), created_at timestamp with time zone DEFAULT now() NOT NULL, CONSTRAINT users_email_check CHECK ((email <> ''::text)));\n\
         ALTER TABLE public.users OWNER TO postgres;\n\
         ALTER TABLE public.users ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME public.users_id_seq START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1);\n\
         CREATE TABLE public.posts (id bigint NOT NULL, user_id integer);\n\
         ALTER TABLE ONLY public.users ADD CONSTRAINT users_pkey PRIMARY KEY (id);\n\
         ALTER TABLE ONLY public.posts ADD CONSTRAINT posts_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;\n\
         CREATE INDEX posts_user_id_idx ON public.posts USING btree (user_id) WHERE (user_id IS NOT NULL);\n\
         ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;\n\
         CREATE POLICY own ON public.users FOR SELECT TO authenticated, anon USING ((( SELECT auth.uid() AS uid) = id));\n\
         GRANT SELECT ON TABLE public.users TO anon;\n\
         REVOKE ALL ON TABLE public.posts FROM PUBLIC;\n\
         COMMENT ON COLUMN public.users.email IS 'primary contact';\n",
    );
    assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    let s = &l.snapshot;
    let u = &s.tables["public.users"];
    assert_eq!(u.columns[0].data_type, "integer");
    assert_eq!(u.columns[0].identity, Some(Identity::Always));
    assert_eq!(u.columns[1].data_type, "character varying(255)");
    assert_eq!(u.columns[1].comment.as_deref(), Some("primary contact"));
    assert_eq!(u.columns[2].default.as_ref().unwrap().canonical, "now()");
    assert!(u.columns[2].not_null);
    assert_eq!(u.constraints["users_pkey"].definition, "PRIMARY KEY (id)");
    assert_eq!(u.constraints["users_email_check"].kind, ConstraintKind::Check);
    assert!(u.indexes.contains_key("users_pkey"));
    assert!(u.rls_enabled && !u.rls_forced);
    let p = &u.policies["own"];
    assert_eq!(p.roles, vec!["anon", "authenticated"]);
    assert_eq!(p.command, PolicyCommand::Select);
    assert_eq!(p.using.as_ref().unwrap().canonical, "(SELECT auth.uid() AS uid) = id");
    let fk = &s.tables["public.posts"].constraints["posts_user_id_fkey"];
    assert_eq!(fk.foreign_key.as_ref().unwrap().table, "public.users");
    assert_eq!(fk.foreign_key.as_ref().unwrap().on_delete, "c");
    assert!(s.sequences["public.users_id_seq"].identity);
    let grants: Vec<_> = u.privileges.iter().map(|p| (p.grantee.as_str(), p.privilege.as_str())).collect();
    assert!(grants.contains(&("anon", "SELECT")));
    assert!(grants.contains(&("postgres", "TRUNCATE")));
    assert_eq!(s.stats.statements, 13);
    assert_eq!(s.stats.unmodelled, 1, "only SET is unmodelled: {:?}", s.unmodelled);
}

#[test]
fn later_definitions_win_and_placeholders_are_marked() {
    let l = load(
        "CREATE VIEW public.v AS SELECT NULL::integer AS id;\n\
         CREATE OR REPLACE VIEW public.v WITH (security_invoker='true') AS SELECT 1 AS id;\n\
         CREATE FUNCTION public.f(a integer) RETURNS integer LANGUAGE sql AS $$ select 1 $$;\n\
         CREATE OR REPLACE FUNCTION public.f(a integer) RETURNS integer LANGUAGE sql SECURITY DEFINER SET search_path TO '' AS $$ select 2 $$;\n",
    );
    let v = &l.snapshot.views["public.v"];
    assert!(!v.placeholder && v.security_invoker());
    let f = &l.snapshot.functions["public.f(integer)"];
    assert!(f.security_definer);
    assert_eq!(f.search_path(), Some("\"\""));
    assert!(f.body.contains("select 2"));
    assert!(f.privileges.iter().any(|p| p.grantee == "PUBLIC" && p.privilege == "EXECUTE"));
}

#[test]
fn partitions_and_attached_indexes() {
    let l = load(
        "CREATE TABLE public.m (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);\n\
         CREATE TABLE public.m_2024 (id bigint NOT NULL, at date NOT NULL);\n\
         ALTER TABLE ONLY public.m ATTACH PARTITION public.m_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n\
         ALTER TABLE ONLY public.m ADD CONSTRAINT m_pkey PRIMARY KEY (id, at);\n\
         ALTER TABLE ONLY public.m_2024 ADD CONSTRAINT m_2024_pkey PRIMARY KEY (id, at);\n\
         ALTER INDEX public.m_pkey ATTACH PARTITION public.m_2024_pkey;\n",
    );
    assert!(l.snapshot.unmodelled.is_empty(), "{:?}", l.snapshot.unmodelled);
    let m = &l.snapshot.tables["public.m"];
    assert_eq!(m.kind, TableKind::Partitioned);
    assert_eq!(m.partition_by.as_deref(), Some("RANGE (at)"));
    let c = &l.snapshot.tables["public.m_2024"];
    assert_eq!(c.partition_of.as_ref().unwrap().parent, "public.m");
    assert!(c.partition_of.as_ref().unwrap().bound.starts_with("FOR VALUES FROM"));
    assert_eq!(c.indexes["m_2024_pkey"].attached_to.as_deref(), Some("public.m_pkey"));
}

#[test]
fn references_to_missing_objects_are_unmodelled_not_fatal() {
    let l = load("ALTER TABLE ONLY public.nope ADD CONSTRAINT x PRIMARY KEY (id);\nCREATE POLICY p ON public.nope USING (true);\nCREATE TABLE ok (id int);");
    assert_eq!(l.snapshot.stats.unmodelled, 1);
    assert!(l.snapshot.unmodelled[0].reason.contains("public.nope"));
    assert!(l.snapshot.tables.contains_key("public.ok"));
    // A policy on a table the input lacks (an extension's) is kept apart, not dropped.
    assert!(l.snapshot.external_policies.contains_key("public.nope/p"));
}

#[test]
fn canonical_expression_matches_the_dump_form_and_refuses_more_than_one_expression() {
    let e = super::canonical_expression("((auth.uid()) = user_id)").unwrap();
    assert_eq!(e.canonical, "auth.uid() = user_id");
    assert_eq!(e.text, "((auth.uid()) = user_id)");
    assert!(super::canonical_expression("true; DROP TABLE x").is_err());
    assert!(super::canonical_expression("a FROM t").is_err());
    assert!(super::canonical_expression("a AS b").is_err());
    let (msg, at) = super::canonical_expression("a = = b").unwrap_err();
    assert!(msg.contains("syntax error"), "{msg}");
    assert_eq!(at, 4);
}

#[test]
fn views_know_the_relations_they_read() {
    let l = load(
        "CREATE TABLE a (id int); CREATE SCHEMA auth; CREATE TABLE auth.users (id int);
         CREATE VIEW v AS WITH recent AS (SELECT * FROM a) SELECT r.id FROM recent r JOIN auth.users u ON u.id = r.id
           WHERE EXISTS (SELECT 1 FROM public.a x WHERE x.id = u.id);",
    );
    assert_eq!(l.snapshot.views["public.v"].reads, ["auth.users", "public.a"]);
}

#[test]
fn references_without_columns_mean_the_primary_key() {
    let l = load("CREATE TABLE p (id bigint PRIMARY KEY); CREATE TABLE c (p_id bigint REFERENCES p);");
    let fk = l.snapshot.tables["public.c"].constraints.values().find_map(|c| c.foreign_key.clone()).unwrap();
    assert_eq!((fk.table.as_str(), fk.columns.as_slice()), ("public.p", &["id".to_string()][..]));
}

#[test]
fn key_hash_spreads_similar_names_over_buckets() {
    use std::hash::BuildHasher;
    // hashbrown picks the bucket from the low bits: names that differ in one late byte must not
    // share them.
    let h = super::KeyHash::default();
    let mut buckets = std::collections::HashSet::new();
    for i in 0..4096 {
        buckets.insert(h.hash_one(format!("public.index_merge_requests_on_target_project_id_{i}")) & 4095);
    }
    // 4,096 random values fill about 2,589 of 4,096 buckets.
    assert!(buckets.len() > 2400, "{}", buckets.len());
}
