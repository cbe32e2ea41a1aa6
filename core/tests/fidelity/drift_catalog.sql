-- The sets of objects drift_real.rs compares between two restored databases, as one JSON
-- document of sorted key lists, each key in the form the drift report uses (model::key):
--   tables     `schema.name`                    pg_class relkind r / p
--   functions  `schema.name(type, type)`        pg_proc prokind f / p, identity argument types
--                                               (proargtypes, format_type, no typmods)
--   types      `schema.name`                    pg_type: enums, domains, ranges, standalone
--                                               composites (relkind c); not arrays, not multiranges
--   policies   `schema.table/name`              pg_policies
-- Non-system schemas only; objects that belong to an extension (pg_depend deptype e) are left out.
-- search_path is emptied so format_type qualifies every type outside pg_catalog.
SET search_path = '';
WITH sys(nsp) AS (VALUES ('pg_catalog'), ('information_schema'), ('pg_toast')),
ext AS (SELECT classid, objid FROM pg_catalog.pg_depend WHERE deptype = 'e')
SELECT pg_catalog.json_build_object(
  'tables', (SELECT coalesce(pg_catalog.json_agg(k ORDER BY k), '[]') FROM (
      SELECT n.nspname || '.' || c.relname AS k
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN (SELECT nsp FROM sys) AND n.nspname NOT LIKE 'pg_temp%'
        AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ext.objid = c.oid)) t),
  'functions', (SELECT coalesce(pg_catalog.json_agg(k ORDER BY k), '[]') FROM (
      SELECT n.nspname || '.' || p.proname || '(' || coalesce((
          SELECT pg_catalog.string_agg(pg_catalog.format_type(a.t, NULL), ', ' ORDER BY a.i)
          FROM pg_catalog.unnest(p.proargtypes::pg_catalog.oid[]) WITH ORDINALITY AS a(t, i)), '') || ')' AS k
      FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE p.prokind IN ('f', 'p') AND n.nspname NOT IN (SELECT nsp FROM sys)
        AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND ext.objid = p.oid)) f),
  'types', (SELECT coalesce(pg_catalog.json_agg(k ORDER BY k), '[]') FROM (
      SELECT n.nspname || '.' || t.typname AS k
      FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname NOT IN (SELECT nsp FROM sys)
        AND (t.typtype IN ('e', 'd', 'r')
             OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c'))
        AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND ext.objid = t.oid)) y),
  'policies', (SELECT coalesce(pg_catalog.json_agg(k ORDER BY k), '[]') FROM (
      SELECT schemaname || '.' || tablename || '/' || policyname AS k FROM pg_catalog.pg_policies
      WHERE schemaname NOT IN (SELECT nsp FROM sys)) p)
);
