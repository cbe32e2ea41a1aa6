-- What PostgreSQL answers, for the roles in psql variable `roles` (a JSON array of role names,
-- `public` being the PUBLIC pseudo-role), about every relation, function and schema of the current
-- database: the privilege functions the access matrix must agree with (read by ../access_fidelity.rs).
--
-- relations: "schema.name" -> role -> [
--   has_any_column_privilege SELECT, has_table_privilege SELECT,
--   has_any_column_privilege INSERT, has_table_privilege INSERT,
--   has_any_column_privilege UPDATE, has_table_privilege UPDATE,
--   has_table_privilege DELETE,
--   columns with SELECT, INSERT, UPDATE (has_column_privilege; only when there is no table privilege)]
-- functions: "schema.name(format_type, ...)" (the model's key) -> role -> has_function_privilege EXECUTE
-- schemas: name -> role -> has_schema_privilege USAGE
--
-- System schemas and extension members are left out, as in catalog.sql.
SET search_path = '';
WITH
roles AS (SELECT r FROM json_array_elements_text(:'roles'::json) AS r),
ns AS (
    SELECT oid, nspname FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema')
      AND nspname !~ '^pg_toast' AND nspname !~ '^pg_temp_'
),
ext_member AS (
    SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
),
rel AS (
    SELECT c.oid, n.nspname || '.' || c.relname AS key
    FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm')
      AND NOT EXISTS (SELECT 1 FROM ext_member e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid)
),
fn AS (
    SELECT p.oid, n.nspname || '.' || p.proname || '(' ||
           coalesce((SELECT string_agg(format_type(t, NULL), ', ' ORDER BY o)
                     FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS u(t, o)), '') || ')' AS key
    FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace
    WHERE NOT EXISTS (SELECT 1 FROM ext_member e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid)
      -- range constructors, made by CREATE TYPE ... AS RANGE (as in catalog.sql)
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i')
),
cols AS (
    SELECT a.attrelid, a.attnum, a.attname FROM pg_attribute a JOIN rel ON rel.oid = a.attrelid
    WHERE a.attnum > 0 AND NOT a.attisdropped
)
SELECT json_build_object(
  'relations', (SELECT coalesce(json_object_agg(rel.key, (
      SELECT json_object_agg(roles.r, json_build_array(
          has_any_column_privilege(roles.r, rel.oid, 'SELECT'), has_table_privilege(roles.r, rel.oid, 'SELECT'),
          has_any_column_privilege(roles.r, rel.oid, 'INSERT'), has_table_privilege(roles.r, rel.oid, 'INSERT'),
          has_any_column_privilege(roles.r, rel.oid, 'UPDATE'), has_table_privilege(roles.r, rel.oid, 'UPDATE'),
          has_table_privilege(roles.r, rel.oid, 'DELETE'),
          (SELECT coalesce(json_agg(c.attname ORDER BY c.attnum), '[]') FROM cols c WHERE c.attrelid = rel.oid
             AND NOT has_table_privilege(roles.r, rel.oid, 'SELECT') AND has_column_privilege(roles.r, rel.oid, c.attnum, 'SELECT')),
          (SELECT coalesce(json_agg(c.attname ORDER BY c.attnum), '[]') FROM cols c WHERE c.attrelid = rel.oid
             AND NOT has_table_privilege(roles.r, rel.oid, 'INSERT') AND has_column_privilege(roles.r, rel.oid, c.attnum, 'INSERT')),
          (SELECT coalesce(json_agg(c.attname ORDER BY c.attnum), '[]') FROM cols c WHERE c.attrelid = rel.oid
             AND NOT has_table_privilege(roles.r, rel.oid, 'UPDATE') AND has_column_privilege(roles.r, rel.oid, c.attnum, 'UPDATE'))))
      FROM roles)), '{}') FROM rel),
  'functions', (SELECT coalesce(json_object_agg(fn.key, (
      SELECT json_object_agg(roles.r, has_function_privilege(roles.r, fn.oid, 'EXECUTE')) FROM roles)), '{}') FROM fn),
  'schemas', (SELECT coalesce(json_object_agg(ns.nspname, (
      SELECT json_object_agg(roles.r, has_schema_privilege(roles.r, ns.oid, 'USAGE')) FROM roles)), '{}') FROM ns)
);
