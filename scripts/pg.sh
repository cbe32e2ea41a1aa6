#!/usr/bin/env bash
# A scratch PostgreSQL cluster on loopback, for making fixtures and for the fidelity tests.
#
#   scripts/pg.sh start [DIR]   initdb (once) + start on a free 127.0.0.1 port; prints the port.
#                               Idempotent: if DIR's cluster is already running, prints its port.
#   scripts/pg.sh stop  [DIR]   stop the cluster and delete DIR.
#   scripts/pg.sh port  [DIR]   print the port of the running cluster (exit 1 if not running).
#   scripts/pg.sh roles [DIR]   create the roles the fixtures and the corpus dumps need
#                               (fixtures/roles.sql; roles are cluster-wide, dumps do not hold them).
#   scripts/pg.sh psql  [DIR] -- ARGS...   run psql against the cluster as superuser `postgres`.
#   scripts/pg.sh pg_dump [DIR] -- ARGS... run pg_dump against the cluster as superuser `postgres`.
#
# DIR defaults to $PGLENS_PG_DIR or /tmp/pglens-pg. The superuser is always `postgres` (initdb -U
# postgres), auth is trust, and the server listens only on 127.0.0.1 plus a socket in DIR/sock.
# initdb refuses to run as root: as root, the cluster runs as the `postgres` OS user (runuser).
# PG_BIN overrides the binaries' directory (default /usr/lib/postgresql/15/bin, else pg_config).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

if [ -n "${PG_BIN:-}" ]; then
  bin=$PG_BIN
else
  bin=/usr/lib/postgresql/15/bin
  if [ ! -x "$bin/initdb" ] && command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    bin=$(pg_config --bindir)
  fi
fi

die() { echo "pg.sh: $*" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' OS user to run the cluster"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  # Probe from a pseudo-random start so concurrent callers rarely collide; pg_ctl start is retried anyway.
  local base=$(( 20000 + (RANDOM * 7 + $$) % 30000 )) p
  for ((i = 0; i < 400; i++)); do
    p=$(( base + i ))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return 0; fi
  done
  die "no free port found"
}

running() { # DIR -> 0 when the cluster in DIR answers
  [ -f "$1/port" ] && [ -f "$1/data/postmaster.pid" ] && \
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$(cat "$1/port")" >/dev/null 2>&1
}

cmd=${1:-}; shift || true
dir=${PGLENS_PG_DIR:-/tmp/pglens-pg}
if [ $# -gt 0 ] && [ "$1" != "--" ]; then dir=$1; shift; fi
[ "${1:-}" = "--" ] && shift

case "$cmd" in
  start)
    [ -x "$bin/initdb" ] || die "PostgreSQL not found (no initdb in $bin); install postgresql (scripts/setup.sh) or set PG_BIN"
    if running "$dir"; then cat "$dir/port"; exit 0; fi
    mkdir -p "$dir/sock"
    if [ "$(id -u)" = 0 ]; then chown -R postgres "$dir"; chmod 755 "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    fi
    for attempt in 1 2 3 4 5; do
      port=$(free_port)
      if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
           -o "-k $dir/sock -h 127.0.0.1 -p $port -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
           start >/dev/null 2>&1; then
        echo "$port" > "$dir/port"
        [ "$(id -u)" = 0 ] && chown postgres "$dir/port"
        echo "$port"
        exit 0
      fi
    done
    tail -20 "$dir/server.log" >&2 || true
    die "could not start PostgreSQL in $dir"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    case "$dir" in /|"") die "refusing to delete '$dir'" ;; esac
    rm -rf "$dir"
    ;;
  port)
    running "$dir" || die "no cluster running in $dir"
    cat "$dir/port"
    ;;
  roles)
    running "$dir" || die "no cluster running in $dir"
    "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(cat "$dir/port")" -U postgres -d postgres \
      -f "$here/fixtures/roles.sql" >/dev/null
    ;;
  psql)
    running "$dir" || die "no cluster running in $dir"
    exec "$bin/psql" -X -h 127.0.0.1 -p "$(cat "$dir/port")" -U postgres "$@"
    ;;
  pg_dump)
    running "$dir" || die "no cluster running in $dir"
    exec "$bin/pg_dump" -h 127.0.0.1 -p "$(cat "$dir/port")" -U postgres "$@"
    ;;
  *)
    sed -n '2,17p' "$0" >&2; exit 2 ;;
esac
