#!/usr/bin/env bash
# Regenerates fixtures/exports/: genuine `pg_policies` exports, written by a real PostgreSQL 15 and
# its psql. Each fixture dump (fixtures/dumps/X.sql) is restored into a fresh database of a scratch
# cluster (scripts/pg.sh, roles from fixtures/roles.sql) and its pg_policies exported in every form
# pglens reads (core/src/policies/export.rs):
#
#   X.csv                   \copy (select ...) to 'X.csv' csv header   (COPY's CSV)
#   X.json                  select json_agg(p) ..., psql -At           (json_agg's own layout)
#   X-wrapped.json          psql -At of json_build_object('json_agg', json_agg(p)) (a one-column result)
#   X.txt                   psql's default aligned output (border 1, `+` on continued lines, "(N rows)")
#   X-wrapped.txt           \pset format wrapped, \pset columns 100 (long cells cut, `.` markers)
#   X-wrapped-unicode.txt   the same with \pset linestyle unicode (`…` and `↵` markers)
#   X-unicode.txt           \pset linestyle unicode, \pset border 2 (box-drawing frame)
#   X-border0.txt           \pset border 0 (no separators: columns only by position)
#   X-expanded.txt          \x on (one "-[ RECORD n ]" block a row)
#   X-expanded-wrapped.txt  \x on, \pset format wrapped, \pset columns 60
#
# X is saas, kitchen_sink and hostile, plus `tricky`: not a dump but four rows shaped like
# pg_policies (a VALUES query below) that put pipes and quotes inside cells, role names that need
# quoting, a multi-line last column, and CJK text where psql's wrap falls on a two-column character
# (wrapped at 96 columns, where psql pads that cut with a space). Unit tests in export.rs read it.
#
#   scripts/make-policy-exports.sh              all of the above
#   scripts/make-policy-exports.sh saas         only the saas dump
#
# Every query orders rows the same way, so the files of one X hold the same rows in the same order
# (core/tests/policy_exports.rs checks that they read identically). psql only wraps when the
# headers fit: below about 90 columns (the sum of pg_policies' header widths) it does not wrap at
# all. The cluster is private to this run and stopped and deleted on exit.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$bin/psql" ] || bin=$(pg_config --bindir)

read -r -d '' tricky_rows <<'SQL' || true
select * from (values
  ('public', 'orders', 'p "quoted" | piped', 'PERMISSIVE', '{anon,"Mixed Case Role","a,b","x\"y"}'::name[], 'SELECT',
   E'(EXISTS ( SELECT 1\n   FROM t\n  WHERE ((t.a || \'|\') = \'x | y\')))', NULL),
  ('app', '中文表', '宽字符策略', 'RESTRICTIVE', '{public}'::name[], 'ALL',
   '(name = ''中文字符中文字符中文字符中文字符中文字符中文字符'')', '(note <> ''🚀 launch'')'),
  ('public', 't', 'only check', 'PERMISSIVE', '{authenticated}'::name[], 'INSERT', NULL, E'(a > 0)\nAND (b > 0)'),
  ('public', 't', 'Users can update own profile.', 'PERMISSIVE', '{authenticated,service_role}'::name[], 'UPDATE', 'true', 'true')
) v(schemaname, tablename, policyname, permissive, roles, cmd, qual, with_check)
SQL

dir=$(mktemp -d /tmp/pglens-exports.XXXXXX)
cleanup() { "$here/scripts/pg.sh" stop "$dir" || true; }
trap cleanup EXIT
port=$("$here/scripts/pg.sh" start "$dir")
"$here/scripts/pg.sh" roles "$dir"
echo "scratch PostgreSQL on 127.0.0.1:$port ($("$bin/psql" --version))" >&2

conn=(-h 127.0.0.1 -p "$port" -U postgres)
out=$here/fixtures/exports
mkdir -p "$out"

fresh_db() { # NAME
  "$bin/psql" -X -q "${conn[@]}" -d postgres -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS \"$1\"" -c "CREATE DATABASE \"$1\" TEMPLATE template0 ENCODING 'UTF8'"
}

export_all() { # DB NAME ROWS_QUERY WRAP_COLUMNS
  local db=$1 name=$2 rows=$3 columns=$4
  # -X: no ~/.psqlrc, so every \pset below starts from psql's defaults; -q: no "Output format is ..." echo.
  local q=("$bin/psql" -X -q "${conn[@]}" -d "$db" -v ON_ERROR_STOP=1)
  "${q[@]}" -c "\\copy ($rows) to '$out/$name.csv' csv header"
  "${q[@]}" -At -c "select json_agg(p) from ($rows) p" > "$out/$name.json"
  "${q[@]}" -At -c "select json_build_object('json_agg', json_agg(p)) from ($rows) p" > "$out/$name-wrapped.json"
  "${q[@]}" -c "$rows" > "$out/$name.txt"
  "${q[@]}" -c '\pset format wrapped' -c "\\pset columns $columns" -c "$rows" > "$out/$name-wrapped.txt"
  "${q[@]}" -c '\pset format wrapped' -c "\\pset columns $columns" -c '\pset linestyle unicode' -c "$rows" > "$out/$name-wrapped-unicode.txt"
  "${q[@]}" -c '\pset linestyle unicode' -c '\pset border 2' -c "$rows" > "$out/$name-unicode.txt"
  "${q[@]}" -c '\pset border 0' -c "$rows" > "$out/$name-border0.txt"
  "${q[@]}" -c '\x on' -c "$rows" > "$out/$name-expanded.txt"
  "${q[@]}" -c '\x on' -c '\pset format wrapped' -c '\pset columns 60' -c "$rows" > "$out/$name-expanded-wrapped.txt"
  echo "fixtures/exports/$name*: $("${q[@]}" -At -c "select count(*) from ($rows) r") rows" >&2
}

names=("$@")
[ ${#names[@]} -gt 0 ] || names=(saas kitchen_sink hostile tricky)
policies="select * from pg_policies order by schemaname, tablename, policyname"
for name in "${names[@]}"; do
  db="px_$name"
  fresh_db "$db"
  if [ "$name" = tricky ]; then
    export_all "$db" tricky "$tricky_rows" 96
    continue
  fi
  dump="$here/fixtures/dumps/$name.sql"
  [ -f "$dump" ] || { echo "no such dump: $dump" >&2; exit 1; }
  # The restore's warnings (publications without wal_level=logical) are noise here; errors are shown.
  "$bin/psql" -X -q "${conn[@]}" -d "$db" -v ON_ERROR_STOP=1 --single-transaction -f "$dump" >/dev/null 2>"$dir/restore.log" \
    || { cat "$dir/restore.log" >&2; exit 1; }
  export_all "$db" "$name" "$policies" 100
done
