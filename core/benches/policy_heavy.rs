//! A generated policy-heavy snapshot for the access-matrix benchmarks (native and wasm): N tables,
//! each with RLS, five policies and grants to five roles, written the way pg_dump writes them.
//! Shared by `benches/access.rs` and `tests/wasm_access_bench.rs` through `#[path]`.

use std::fmt::Write;

pub fn sql(tables: usize) -> String {
    let mut s = String::with_capacity(tables * 1600);
    s.push_str("CREATE SCHEMA app;\nALTER SCHEMA app OWNER TO app_owner;\nGRANT USAGE ON SCHEMA app TO anon, authenticated, service_role, editor, admin;\n");
    for i in 0..tables {
        let t = format!("app.t{i:04}");
        let _ = write!(
            s,
            "CREATE TABLE {t} (\n    id bigint NOT NULL,\n    tenant_id uuid NOT NULL,\n    owner_id uuid,\n    published boolean DEFAULT false,\n    body text\n);\n\
             ALTER TABLE {t} OWNER TO app_owner;\n\
             ALTER TABLE ONLY {t} ADD CONSTRAINT t{i:04}_pkey PRIMARY KEY (id);\n\
             ALTER TABLE {t} ENABLE ROW LEVEL SECURITY;\n\
             CREATE POLICY p_read ON {t} FOR SELECT TO anon, authenticated USING (published);\n\
             CREATE POLICY p_own ON {t} TO authenticated USING ((auth.uid() = owner_id)) WITH CHECK ((auth.uid() = owner_id));\n\
             CREATE POLICY p_tenant ON {t} AS RESTRICTIVE TO authenticated USING ((tenant_id = ((auth.jwt() ->> 'tenant_id'::text))::uuid));\n\
             CREATE POLICY p_edit ON {t} FOR INSERT TO editor WITH CHECK ((tenant_id IS NOT NULL));\n\
             CREATE POLICY p_admin ON {t} FOR DELETE TO admin USING (true);\n\
             GRANT SELECT ON TABLE {t} TO anon;\n\
             GRANT ALL ON TABLE {t} TO authenticated;\n\
             GRANT ALL ON TABLE {t} TO service_role;\n\
             GRANT SELECT,INSERT ON TABLE {t} TO editor;\n\
             GRANT SELECT,DELETE ON TABLE {t} TO admin;\n"
        );
    }
    s
}
