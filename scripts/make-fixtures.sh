#!/usr/bin/env bash
# Regenerates fixtures/dumps/X.sql from fixtures/src/X.sql with a real PostgreSQL:
# for each source file, a fresh database is created in a scratch cluster (scripts/pg.sh), the roles in
# fixtures/roles.sql are ensured, the file is run with psql -v ON_ERROR_STOP=1, and the database is
# dumped with `pg_dump --schema-only` (genuine output: header, SET preamble, \restrict lines and all).
#
#   scripts/make-fixtures.sh            all fixtures
#   scripts/make-fixtures.sh saas       only fixtures/src/saas.sql
#
# The scratch cluster is started in a private directory and stopped and deleted on exit.
# pg_dump writes a new random \restrict key on every run, so regenerated dumps always differ in
# those two lines even when nothing else changed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$bin/pg_dump" ] || bin=$(pg_config --bindir)

dir=$(mktemp -d /tmp/pglens-fixtures.XXXXXX)
cleanup() { "$here/scripts/pg.sh" stop "$dir" || true; }
trap cleanup EXIT
port=$("$here/scripts/pg.sh" start "$dir")
"$here/scripts/pg.sh" roles "$dir"
echo "scratch PostgreSQL on 127.0.0.1:$port ($("$bin/pg_dump" --version))" >&2

conn=(-h 127.0.0.1 -p "$port" -U postgres)
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in "$here"/fixtures/src/*.sql; do names+=("$(basename "$f" .sql)"); done
fi
mkdir -p "$here/fixtures/dumps"
for name in "${names[@]}"; do
  src="$here/fixtures/src/$name.sql"
  [ -f "$src" ] || { echo "no such fixture: $src" >&2; exit 1; }
  db="fx_$name"
  "$bin/psql" -X -q "${conn[@]}" -d postgres -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS \"$db\"" -c "CREATE DATABASE \"$db\" TEMPLATE template0 ENCODING 'UTF8'"
  "$bin/psql" -X -q "${conn[@]}" -d "$db" -v ON_ERROR_STOP=1 --single-transaction \
    -c "SET client_min_messages = warning" -f "$src" >/dev/null
  "$bin/pg_dump" "${conn[@]}" --schema-only -d "$db" -f "$here/fixtures/dumps/$name.sql"
  echo "fixtures/dumps/$name.sql: $(wc -l < "$here/fixtures/dumps/$name.sql") lines" >&2
done
