-- The cluster's role facts, which a dump does not hold, as one JSON document (read by
-- ../access_fidelity.rs to build the access matrix's assumptions): every role name, the superusers,
-- the roles with BYPASSRLS, and member -> roles whose privileges it inherits. A membership inherits
-- when its grant does (pg_auth_members.inherit_option, PostgreSQL 16+) or, before 16, when the
-- member role is INHERIT (pg_roles.rolinherit).
SELECT json_build_object(
  'roles', (SELECT json_agg(rolname ORDER BY rolname) FROM pg_roles),
  'superusers', (SELECT coalesce(json_agg(rolname ORDER BY rolname), '[]') FROM pg_roles WHERE rolsuper),
  'bypass_rls', (SELECT coalesce(json_agg(rolname ORDER BY rolname), '[]') FROM pg_roles WHERE rolbypassrls),
  'member_of', (SELECT coalesce(json_object_agg(member, member_of), '{}') FROM (
      SELECT m.rolname AS member, json_agg(r.rolname ORDER BY r.rolname) AS member_of
      FROM pg_auth_members a JOIN pg_roles m ON m.oid = a.member JOIN pg_roles r ON r.oid = a.roleid
      WHERE coalesce((to_jsonb(a) ->> 'inherit_option')::boolean, m.rolinherit)
      GROUP BY m.rolname) x)
);
