use super::*;
use crate::{load_files, InputFile};

fn snapshot(sql: &str) -> Snapshot {
    load_files(&[InputFile { name: "t.sql".into(), bytes: sql.as_bytes().to_vec() }]).snapshot
}

fn cell<'m>(m: &'m Matrix, role: &str, relation: &str, command: Command) -> &'m Cell {
    m.cells
        .iter()
        .find(|c| c.role == role && c.relation == relation && c.command == command)
        .unwrap_or_else(|| panic!("no cell {role} {relation} {command:?}"))
}

const SUPABASE_LIKE: &str = r#"
CREATE SCHEMA auth;
CREATE TABLE public.notes (id bigint, owner_id uuid, body text, published boolean);
ALTER TABLE public.notes OWNER TO postgres;
ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY "read published" ON public.notes FOR SELECT TO anon, authenticated USING (published);
CREATE POLICY "own rows" ON public.notes TO authenticated USING ((auth.uid() = owner_id));
CREATE POLICY "no banned" ON public.notes AS RESTRICTIVE FOR ALL TO authenticated USING (NOT auth.banned());
GRANT SELECT ON TABLE public.notes TO anon;
GRANT ALL ON TABLE public.notes TO authenticated;
GRANT ALL ON TABLE public.notes TO service_role;
CREATE TABLE public.open (id int);
GRANT SELECT ON public.open TO anon;
CREATE TABLE public.locked (id int);
ALTER TABLE public.locked ENABLE ROW LEVEL SECURITY;
GRANT SELECT ON public.locked TO anon;
CREATE TABLE public.secrets (id int, label text, value text);
GRANT SELECT (id, label) ON public.secrets TO authenticated;
"#;

#[test]
fn supabase_preset_is_chosen_and_roles_come_first() {
    let snap = snapshot(SUPABASE_LIKE);
    let a = Assumptions::for_snapshot(&snap);
    assert_eq!(a.preset, "supabase");
    let m = matrix(&snap, &a);
    assert_eq!(&m.roles[..3], ["anon", "authenticated", "service_role"]);
    assert_eq!(m.roles.last().map(String::as_str), Some("public"));
    assert!(m.roles.contains(&"postgres".to_string()));
}

#[test]
fn permissive_policies_or_and_restrictive_ones_and() {
    let snap = snapshot(SUPABASE_LIKE);
    let m = matrix(&snap, &Assumptions::supabase());
    let c = cell(&m, "authenticated", "public.notes", Command::Select);
    assert_eq!(c.state, State::Conditional);
    assert_eq!(c.predicate.as_deref(), Some("((auth.uid() = owner_id) OR (published)) AND (NOT auth.banned())"));
    assert_eq!(c.policies.len(), 3);
    let anon = cell(&m, "anon", "public.notes", Command::Select);
    assert_eq!((anon.state, anon.predicate.as_deref()), (State::Conditional, Some("published")));
    // INSERT: the FOR ALL policy's USING stands in for its missing WITH CHECK.
    let ins = cell(&m, "authenticated", "public.notes", Command::Insert);
    assert_eq!(ins.with_check.as_deref(), Some("(auth.uid() = owner_id) AND (NOT auth.banned())"));
    assert_eq!(cell(&m, "anon", "public.notes", Command::Insert).state, State::NoPrivilege);
}

#[test]
fn bypass_owner_and_missing_policies() {
    let snap = snapshot(SUPABASE_LIKE);
    let m = matrix(&snap, &Assumptions::supabase());
    let s = cell(&m, "service_role", "public.notes", Command::Delete);
    assert_eq!(s.state, State::AllRows);
    assert!(s.assumptions.iter().any(|a| a.contains("BYPASSRLS")));
    assert_eq!(cell(&m, "postgres", "public.notes", Command::Update).state, State::AllRows);
    assert_eq!(cell(&m, "anon", "public.locked", Command::Select).state, State::RlsDenies);
    assert_eq!(cell(&m, "anon", "public.open", Command::Select).state, State::AllRows);
    assert_eq!(cell(&m, "public", "public.open", Command::Select).state, State::NoPrivilege);
}

#[test]
fn column_privileges_are_reported_as_columns() {
    let snap = snapshot(SUPABASE_LIKE);
    let m = matrix(&snap, &Assumptions::supabase());
    let c = cell(&m, "authenticated", "public.secrets", Command::Select);
    assert!(c.privilege);
    assert_eq!(c.columns.as_deref(), Some(&["id".to_string(), "label".to_string()][..]));
    assert!(!cell(&m, "authenticated", "public.secrets", Command::Update).privilege);
}

#[test]
fn membership_and_public_grants_count() {
    let snap = snapshot(
        "CREATE ROLE x; CREATE TABLE t (a int); ALTER TABLE t OWNER TO app_owner; GRANT SELECT ON t TO app_reader; GRANT INSERT ON t TO PUBLIC;",
    );
    let mut a = Assumptions::plain();
    a.member_of.insert("app_writer".into(), vec!["app_reader".into()]);
    a.roles.push("app_writer".into());
    let m = matrix(&snap, &a);
    let c = cell(&m, "app_writer", "public.t", Command::Select);
    assert!(c.privilege);
    assert!(c.assumptions.iter().any(|s| s.contains("member of app_reader")));
    assert!(cell(&m, "public", "public.t", Command::Insert).privilege);
    assert!(!cell(&m, "public", "public.t", Command::Select).privilege);
    let e = explain(&snap, &a, "app_writer", "public.t", Command::Select).unwrap();
    assert_eq!(e.grants.len(), 1);
    assert_eq!(e.grants[0].grantee, "app_reader");
    assert!(e.grants[0].span.is_some_and(|s| s.line == 1));
}

#[test]
fn schema_usage_is_required() {
    let snap = snapshot("CREATE SCHEMA private; CREATE TABLE private.t (a int); GRANT SELECT ON private.t TO anon;");
    let m = matrix(&snap, &Assumptions::supabase());
    let c = cell(&m, "anon", "private.t", Command::Select);
    assert!(c.privilege);
    assert_eq!(c.state, State::NoPrivilege);
    assert!(c.reason.contains("USAGE"));
}

#[test]
fn functions_get_execute_cells() {
    let snap = snapshot(
        "CREATE FUNCTION public.f() RETURNS int LANGUAGE sql AS 'select 1';
         CREATE FUNCTION public.g() RETURNS int LANGUAGE sql AS 'select 1';
         REVOKE ALL ON FUNCTION public.g() FROM PUBLIC; GRANT EXECUTE ON FUNCTION public.g() TO service_role;",
    );
    let m = matrix(&snap, &Assumptions::supabase());
    assert_eq!(cell(&m, "anon", "public.f()", Command::Execute).state, State::AllRows);
    assert_eq!(cell(&m, "anon", "public.g()", Command::Execute).state, State::NoPrivilege);
    assert_eq!(cell(&m, "service_role", "public.g()", Command::Execute).state, State::AllRows);
    let fi = m.functions.iter().position(|f| f.key == "public.g()").unwrap();
    let ri = m.roles.iter().position(|r| r == "service_role").unwrap();
    assert!(m.function_cell(fi, ri).privilege);
}

#[test]
fn default_privileges_apply_to_objects_created_after_them() {
    let snap = snapshot(
        "CREATE TABLE before_rule (a int);
         ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO anon;
         ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
         CREATE TABLE after_rule (a int);
         CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1';",
    );
    let m = matrix(&snap, &Assumptions::supabase());
    assert!(!cell(&m, "anon", "public.before_rule", Command::Select).privilege);
    assert!(cell(&m, "anon", "public.after_rule", Command::Select).privilege);
    assert!(!cell(&m, "anon", "public.f()", Command::Execute).privilege);
}

#[test]
fn relation_cells_are_indexed_relation_role_command() {
    let snap = snapshot(SUPABASE_LIKE);
    let m = matrix(&snap, &Assumptions::supabase());
    for (ri, rel) in m.relations.iter().enumerate() {
        for (oi, role) in m.roles.iter().enumerate() {
            for (ci, command) in Command::TABLE.iter().enumerate() {
                let c = m.relation_cell(ri, oi, ci);
                assert_eq!((&c.relation, &c.role, c.command), (&rel.key, role, *command));
            }
        }
    }
}

#[test]
fn views_read_as_their_owner_or_as_the_caller() {
    let snap = snapshot(
        "CREATE SCHEMA auth;
         CREATE TABLE public.notes (id int, owner_id uuid);
         ALTER TABLE public.notes OWNER TO postgres;
         ALTER TABLE public.notes ENABLE ROW LEVEL SECURITY;
         CREATE POLICY own ON public.notes FOR SELECT TO authenticated USING ((owner_id = auth.uid()));
         GRANT SELECT ON public.notes TO authenticated;
         CREATE VIEW public.all_notes AS SELECT id FROM public.notes;
         ALTER VIEW public.all_notes OWNER TO postgres;
         GRANT SELECT ON public.all_notes TO anon, authenticated;
         CREATE VIEW public.my_notes WITH (security_invoker = true) AS SELECT id FROM public.notes;
         ALTER VIEW public.my_notes OWNER TO postgres;
         GRANT SELECT ON public.my_notes TO anon, authenticated;
         CREATE VIEW public.reader_view AS SELECT id FROM public.notes;
         ALTER VIEW public.reader_view OWNER TO app_reader;
         GRANT SELECT ON public.reader_view TO anon;",
    );
    let m = matrix(&snap, &Assumptions::supabase());
    // A definer view owned by the table owner: every row, to anyone who may read the view.
    let c = cell(&m, "anon", "public.all_notes", Command::Select);
    assert_eq!(c.state, State::AllRows, "{c:?}");
    assert!(c.reason.contains("as its owner postgres"), "{}", c.reason);
    // security_invoker: the caller's own rights and policies.
    assert_eq!(cell(&m, "anon", "public.my_notes", Command::Select).state, State::NoPrivilege);
    let c = cell(&m, "authenticated", "public.my_notes", Command::Select);
    assert_eq!((c.state, c.predicate.as_deref()), (State::Conditional, Some("public.notes: owner_id = auth.uid()")));
    assert_eq!(c.policies, ["public.notes/own"]);
    // The owner lacks SELECT on the table: the view fails for everyone.
    assert_eq!(cell(&m, "anon", "public.reader_view", Command::Select).state, State::NoPrivilege);
}
