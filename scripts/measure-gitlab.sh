#!/usr/bin/env bash
# Restore ../shared/corpus/gitlab/structure.sql into a scratch PostgreSQL (scripts/pg.sh) and count objects
# with catalog queries. The numbers are the constants of core/tests/corpus.rs::gitlab_counts_match_postgres.
#
#   scripts/measure-gitlab.sh [DIR]     DIR: the scratch cluster (default /tmp/pglens-pg-gitlab); it is
#                                       started if needed and left running (scripts/pg.sh stop DIR ends it).
#
# Restore errors (psql without ON_ERROR_STOP) are printed to stderr and saved in DIR/restore-errors.log.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-/tmp/pglens-pg-gitlab}
dump=${GITLAB_DUMP:-$here/../shared/corpus/gitlab/structure.sql}
[ -f "$dump" ] || { echo "measure-gitlab.sh: no dump at $dump (shared/ must sit beside the clone)" >&2; exit 1; }
pg() { "$here/scripts/pg.sh" psql "$dir" -- "$@"; }

"$here/scripts/pg.sh" start "$dir" >/dev/null
pg -q -d postgres -c 'DROP DATABASE IF EXISTS gitlab_measure' -c 'CREATE DATABASE gitlab_measure' >/dev/null
# psql reads the file itself: the dump is world-readable, the server never needs to.
pg -q -d gitlab_measure -v ON_ERROR_STOP=0 -f "$dump" >"$dir/restore.log" 2>"$dir/restore-errors.log" || true
errors=$(grep -c 'ERROR' "$dir/restore-errors.log" || true)
echo "restore: $errors errors (see $dir/restore-errors.log)" >&2
grep 'ERROR' "$dir/restore-errors.log" | head -50 >&2 || true

pg -X -A -t -d gitlab_measure <<'SQL'
\pset fieldsep ' '
WITH sys AS (SELECT oid FROM pg_namespace
             WHERE nspname IN ('pg_catalog', 'information_schema', 'pg_toast') OR nspname LIKE 'pg_temp%' OR nspname LIKE 'pg_toast_temp%'),
     ext AS (SELECT objid FROM pg_depend WHERE deptype = 'e'),
     tbl AS (SELECT c.oid, c.relkind, c.relispartition FROM pg_class c
             WHERE c.relkind IN ('r', 'p') AND c.relnamespace NOT IN (SELECT oid FROM sys) AND c.oid NOT IN (SELECT objid FROM ext))
SELECT 'server_version', current_setting('server_version')
UNION ALL SELECT 'tables', count(*)::text FROM tbl
UNION ALL SELECT 'tables_partitions', count(*)::text FROM tbl WHERE relispartition
UNION ALL SELECT 'tables_partitioned_parents', count(*)::text FROM tbl WHERE relkind = 'p'
UNION ALL SELECT 'indexes', count(*)::text FROM pg_index i WHERE i.indrelid IN (SELECT oid FROM tbl)
UNION ALL SELECT 'indexes_constraint_backed', count(*)::text FROM pg_index i
          WHERE i.indrelid IN (SELECT oid FROM tbl) AND EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype IN ('p','u','x'))
UNION ALL SELECT 'indexes_on_partitions', count(*)::text FROM pg_index i JOIN tbl t ON t.oid = i.indrelid WHERE t.relispartition
UNION ALL SELECT 'indexes_inherited_from_parent_index', count(*)::text FROM pg_index i
          WHERE i.indrelid IN (SELECT oid FROM tbl) AND EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
UNION ALL SELECT 'foreign_keys', count(*)::text FROM pg_constraint k WHERE k.contype = 'f' AND k.conrelid IN (SELECT oid FROM tbl)
UNION ALL SELECT 'foreign_keys_cloned_conparentid', count(*)::text FROM pg_constraint k
          WHERE k.contype = 'f' AND k.conrelid IN (SELECT oid FROM tbl) AND k.conparentid <> 0
UNION ALL SELECT 'foreign_keys_top_level', count(*)::text FROM pg_constraint k
          WHERE k.contype = 'f' AND k.conrelid IN (SELECT oid FROM tbl) AND k.conparentid = 0
UNION ALL SELECT 'triggers', count(*)::text FROM pg_trigger g WHERE NOT g.tgisinternal AND g.tgrelid IN (SELECT oid FROM tbl)
UNION ALL SELECT 'triggers_cloned_tgparentid', count(*)::text FROM pg_trigger g
          WHERE NOT g.tgisinternal AND g.tgrelid IN (SELECT oid FROM tbl) AND g.tgparentid <> 0
UNION ALL SELECT 'triggers_all_relations', count(*)::text FROM pg_trigger g WHERE NOT g.tgisinternal
UNION ALL SELECT 'functions', count(*)::text FROM pg_proc p
          WHERE p.pronamespace NOT IN (SELECT oid FROM sys) AND p.oid NOT IN (SELECT objid FROM ext) AND p.prokind IN ('f','w','a')
UNION ALL SELECT 'procedures', count(*)::text FROM pg_proc p
          WHERE p.pronamespace NOT IN (SELECT oid FROM sys) AND p.oid NOT IN (SELECT objid FROM ext) AND p.prokind = 'p';
SQL
