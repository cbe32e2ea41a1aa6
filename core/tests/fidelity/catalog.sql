-- What PostgreSQL says about the restored database, as one JSON document (read by ../fidelity.rs).
-- System schemas and extension members (pg_depend deptype 'e': the dump holds only CREATE EXTENSION
-- for them) are left out. ACLs are the effective ones (acldefault when the column is NULL), so the
-- owner's implicit privileges and PUBLIC's default EXECUTE/USAGE are visible; the Rust side decides
-- what to compare.
--
-- search_path is emptied first, as pg_dump does, so format_type / pg_get_expr / pg_get_*def qualify
-- every name exactly as the dump does.
SET search_path = '';
WITH
ns AS (
    SELECT oid, nspname FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema')
      AND nspname !~ '^pg_toast' AND nspname !~ '^pg_temp_'
),
ext_member AS (
    SELECT classid, objid FROM pg_depend WHERE deptype = 'e'
),
rel AS (
    SELECT c.oid, c.relname, n.nspname, c.relkind, c.relpersistence, c.relrowsecurity, c.relforcerowsecurity,
           c.relispartition, c.reloptions, c.relacl, c.relowner,
           pg_get_userbyid(c.relowner) AS owner
    FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
      AND NOT EXISTS (SELECT 1 FROM ext_member e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid)
),
acl AS ( -- effective table-level ACL entries
    SELECT r.oid AS relid, a.grantee, a.privilege_type, a.is_grantable,
           CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END AS grantee_name,
           pg_get_userbyid(a.grantor) AS grantor_name
    FROM rel r, aclexplode(coalesce(r.relacl, acldefault(CASE WHEN r.relkind = 'S' THEN 's' ELSE 'r' END::"char", r.relowner))) a
)
SELECT json_build_object(
  'server_version', current_setting('server_version'),
  'schemas', (
    SELECT coalesce(json_agg(json_build_object(
      'name', n.nspname,
      'owner', pg_get_userbyid(s.nspowner),
      'comment', obj_description(n.oid, 'pg_namespace'),
      'privileges', (SELECT coalesce(json_agg(json_build_object(
            'grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
            'privilege', a.privilege_type, 'grantable', a.is_grantable, 'is_owner', a.grantee = s.nspowner,
            'grantor', pg_get_userbyid(a.grantor))), '[]')
          FROM aclexplode(coalesce(s.nspacl, acldefault('n', s.nspowner))) a)
    ) ORDER BY n.nspname), '[]')
    FROM ns n JOIN pg_namespace s ON s.oid = n.oid
    WHERE NOT EXISTS (SELECT 1 FROM ext_member e WHERE e.classid = 'pg_namespace'::regclass AND e.objid = n.oid)
  ),
  'relations', (
    SELECT coalesce(json_agg(json_build_object(
      'schema', r.nspname, 'name', r.relname, 'relkind', r.relkind,
      'unlogged', r.relpersistence = 'u',
      'rls_enabled', r.relrowsecurity, 'rls_forced', r.relforcerowsecurity,
      'owner', r.owner,
      'comment', obj_description(r.oid, 'pg_class'),
      'options', coalesce(to_json(r.reloptions), '[]'),
      'partition_of', (SELECT quote_ident(pn.nspname) || '.' || quote_ident(p.relname) FROM pg_inherits i
                        JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
                        WHERE i.inhrelid = r.oid AND r.relispartition),
      'partition_of_schema', (SELECT pn.nspname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
                        JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE i.inhrelid = r.oid AND r.relispartition),
      'partition_of_name', (SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
                        WHERE i.inhrelid = r.oid AND r.relispartition),
      'partition_bound', (SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_class c WHERE c.oid = r.oid AND r.relispartition),
      'partition_by', CASE WHEN r.relkind = 'p' THEN pg_get_partkeydef(r.oid) END,
      'inherits', (SELECT coalesce(json_agg(json_build_array(pn.nspname, p.relname) ORDER BY i.inhseqno), '[]') FROM pg_inherits i
                    JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
                    WHERE i.inhrelid = r.oid AND NOT r.relispartition),
      'view_definition', CASE WHEN r.relkind IN ('v', 'm') THEN pg_get_viewdef(r.oid) END,
      'privileges', (SELECT coalesce(json_agg(json_build_object('grantee', a.grantee_name, 'privilege', a.privilege_type,
                        'grantable', a.is_grantable, 'grantor', a.grantor_name, 'is_owner', a.grantee = r.relowner)
                        ORDER BY a.grantee_name, a.privilege_type), '[]') FROM acl a WHERE a.relid = r.oid),
      'sequence', (SELECT json_build_object('data_type', format_type(s.seqtypid, NULL), 'start', s.seqstart,
                        'increment', s.seqincrement, 'min', s.seqmin, 'max', s.seqmax, 'cache', s.seqcache, 'cycle', s.seqcycle,
                        'owned_by', (SELECT dn.nspname || '.' || dc.relname || '.' || da.attname FROM pg_depend d
                                       JOIN pg_class dc ON dc.oid = d.refobjid JOIN pg_namespace dn ON dn.oid = dc.relnamespace
                                       JOIN pg_attribute da ON da.attrelid = d.refobjid AND da.attnum = d.refobjsubid
                                       WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid AND d.deptype IN ('a', 'i')
                                         AND d.refclassid = 'pg_class'::regclass LIMIT 1),
                        'identity', EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid AND d.deptype = 'i'))
                    FROM pg_sequence s WHERE s.seqrelid = r.oid),
      'columns', (SELECT coalesce(json_agg(json_build_object(
                    'name', a.attname,
                    'type', format_type(a.atttypid, a.atttypmod),
                    'not_null', a.attnotnull,
                    'default', CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
                    'generated', CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END,
                    'identity', a.attidentity,
                    'collation', CASE WHEN a.attcollation <> t.typcollation THEN (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
                                   FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END,
                    'inherited', NOT a.attislocal,
                    'comment', col_description(r.oid, a.attnum),
                    'privileges', (SELECT coalesce(json_agg(json_build_object(
                        'grantee', CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END,
                        'privilege', x.privilege_type, 'grantable', x.is_grantable,
                        'grantor', pg_get_userbyid(x.grantor))), '[]')
                        FROM aclexplode(a.attacl) x)
                  ) ORDER BY a.attnum), '[]')
                  FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                  WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped),
      'constraints', (SELECT coalesce(json_agg(json_build_object(
                    'name', c.conname, 'type', c.contype, 'definition', pg_get_constraintdef(c.oid),
                    'deferrable', c.condeferrable, 'deferred', c.condeferred, 'validated', c.convalidated,
                    'local', c.conislocal, 'inherited_count', c.coninhcount, 'cloned', c.conparentid <> 0,
                    'comment', obj_description(c.oid, 'pg_constraint')
                  ) ORDER BY c.conname), '[]')
                  FROM pg_constraint c WHERE c.conrelid = r.oid),
      'indexes', (SELECT coalesce(json_agg(json_build_object(
                    'name', ic.relname, 'definition', pg_get_indexdef(i.indexrelid), 'unique', i.indisunique,
                    'primary', i.indisprimary, 'method', am.amname,
                    'constraint', (SELECT c.conname FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = r.oid AND c.contype IN ('p', 'u', 'x')),
                    'attached_to', (SELECT pn.nspname || '.' || p.relname FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent
                                     JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE h.inhrelid = i.indexrelid),
                    'comment', obj_description(i.indexrelid, 'pg_class')
                  ) ORDER BY ic.relname), '[]')
                  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
                  WHERE i.indrelid = r.oid),
      'policies', (SELECT coalesce(json_agg(json_build_object(
                    'name', p.policyname, 'permissive', p.permissive, 'roles', to_json(p.roles), 'cmd', p.cmd,
                    'qual', p.qual, 'with_check', p.with_check,
                    'comment', (SELECT obj_description(po.oid, 'pg_policy') FROM pg_policy po
                                 WHERE po.polrelid = r.oid AND po.polname = p.policyname)
                  ) ORDER BY p.policyname), '[]')
                  FROM pg_policies p WHERE p.schemaname = r.nspname AND p.tablename = r.relname),
      'triggers', (SELECT coalesce(json_agg(json_build_object(
                    'name', t.tgname, 'definition', pg_get_triggerdef(t.oid), 'enabled', t.tgenabled,
                    'cloned', t.tgparentid <> 0, 'constraint', t.tgconstraint <> 0,
                    'comment', obj_description(t.oid, 'pg_trigger')
                  ) ORDER BY t.tgname), '[]')
                  FROM pg_trigger t WHERE t.tgrelid = r.oid AND NOT t.tgisinternal)
    ) ORDER BY r.nspname, r.relname), '[]')
    FROM rel r
  ),
  'functions', (
    SELECT coalesce(json_agg(json_build_object(
      'schema', n.nspname, 'name', p.proname, 'kind', p.prokind,
      'arg_types', (SELECT coalesce(json_agg(format_type(t, NULL) ORDER BY o), '[]') FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS u(t, o)),
      'identity_arguments', pg_get_function_identity_arguments(p.oid),
      'security_definer', p.prosecdef, 'volatility', p.provolatile, 'strict', p.proisstrict,
      'returns_set', p.proretset, 'language', l.lanname, 'owner', pg_get_userbyid(p.proowner),
      'result', pg_get_function_result(p.oid),
      'arguments', pg_get_function_arguments(p.oid),
      -- every argument, structured: mode (proargmodes, 'i' when NULL), name, type, default
      'args', (SELECT coalesce(json_agg(json_build_object(
                  'mode', coalesce(p.proargmodes[o], 'i'),
                  'name', coalesce(p.proargnames[o], ''),
                  'type', format_type(t, NULL),
                  'default', pg_get_function_arg_default(p.oid, o::int)) ORDER BY o), '[]')
               FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY AS u(t, o)),
      'body', p.prosrc,
      'sql_body', CASE WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid) END,
      'comment', obj_description(p.oid, 'pg_proc'),
      'config', coalesce(to_json(p.proconfig), '[]'),
      'privileges', (SELECT coalesce(json_agg(json_build_object(
            'grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
            'privilege', a.privilege_type, 'grantable', a.is_grantable, 'is_owner', a.grantee = p.proowner,
            'grantor', pg_get_userbyid(a.grantor))), '[]')
          FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a)
    ) ORDER BY n.nspname, p.proname, p.oid), '[]')
    FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
    WHERE NOT EXISTS (SELECT 1 FROM ext_member e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid)
      -- range constructors (floatrange(a, b), floatmultirange(...)) are made by CREATE TYPE ... AS RANGE
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i')
  ),
  'types', (
    SELECT coalesce(json_agg(json_build_object(
      'schema', n.nspname, 'name', t.typname, 'typtype', t.typtype,
      'labels', (SELECT coalesce(json_agg(e.enumlabel ORDER BY e.enumsortorder), '[]') FROM pg_enum e WHERE e.enumtypid = t.oid),
      'base', CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END,
      'not_null', t.typnotnull,
      'owner', pg_get_userbyid(t.typowner),
      'comment', obj_description(t.oid, 'pg_type'),
      'attributes', (SELECT coalesce(json_agg(json_build_array(a.attname, format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum), '[]')
                     FROM pg_attribute a WHERE a.attrelid = t.typrelid AND t.typtype = 'c' AND a.attnum > 0 AND NOT a.attisdropped),
      'default', CASE WHEN t.typtype = 'd' THEN pg_get_expr(t.typdefaultbin, 0) END,
      'checks', (SELECT coalesce(json_agg(json_build_array(c.conname, pg_get_constraintdef(c.oid)) ORDER BY c.conname), '[]')
                 FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c')
    ) ORDER BY n.nspname, t.typname), '[]')
    FROM pg_type t JOIN ns n ON n.oid = t.typnamespace
    WHERE (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c')))
      AND NOT EXISTS (SELECT 1 FROM ext_member e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid)
  ),
  'extensions', (
    SELECT coalesce(json_agg(json_build_object('name', x.extname, 'schema', n.nspname,
                                                 'comment', obj_description(x.oid, 'pg_extension')) ORDER BY x.extname), '[]')
    FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname <> 'plpgsql'
  ),
  'event_triggers', (
    SELECT coalesce(json_agg(json_build_object('name', e.evtname, 'event', e.evtevent, 'enabled', e.evtenabled,
                                                 'owner', pg_get_userbyid(e.evtowner), 'comment', obj_description(e.oid, 'pg_event_trigger')) ORDER BY e.evtname), '[]')
    FROM pg_event_trigger e
  ),
  'publications', (
    SELECT coalesce(json_agg(json_build_object('name', p.pubname, 'all_tables', p.puballtables,
      'owner', pg_get_userbyid(p.pubowner), 'comment', obj_description(p.oid, 'pg_publication'),
      'tables', (SELECT coalesce(json_agg(json_build_array(rn.nspname, rc.relname) ORDER BY rn.nspname, rc.relname), '[]')
                 FROM pg_publication_rel pr JOIN pg_class rc ON rc.oid = pr.prrelid JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                 WHERE pr.prpubid = p.oid),
      'schemas', (SELECT coalesce(json_agg(pn.nspname ORDER BY pn.nspname), '[]')
                  FROM pg_publication_namespace pp JOIN pg_namespace pn ON pn.oid = pp.pnnspid WHERE pp.pnpubid = p.oid)
    ) ORDER BY p.pubname), '[]')
    FROM pg_publication p
  ),
  -- ALTER DEFAULT PRIVILEGES, as stored: one row per (role, schema or none, object type); a global
  -- row holds the whole ACL (owner entries included), a per-schema row only what it adds.
  'default_acls', (
    SELECT coalesce(json_agg(json_build_object(
      'role', pg_get_userbyid(d.defaclrole),
      'schema', (SELECT nspname FROM pg_namespace WHERE oid = d.defaclnamespace),
      'objtype', d.defaclobjtype,
      'privileges', (SELECT coalesce(json_agg(json_build_object(
            'grantee', CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END,
            'privilege', a.privilege_type, 'grantable', a.is_grantable)), '[]')
          FROM aclexplode(d.defaclacl) a)
    )), '[]')
    FROM pg_default_acl d
  )
);
