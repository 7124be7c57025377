#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 for tests, CI and benchmarks:
#   scripts/start-postgres.sh PORT DIR
# Listens on 127.0.0.1:PORT only, trust auth for user "postgres", no fsync (data is disposable),
# socket, data directory and log inside DIR. Idempotent: if DIR already holds a running server
# it is left alone. Stop it with scripts/stop-postgres.sh DIR.
# Prints the connection URL (postgres://postgres@127.0.0.1:PORT/postgres) on stdout.
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 PORT DIR" >&2
  exit 2
fi
PORT="$1"
DIR="$2"
PGBIN="${KUPE_PG_BIN:-/usr/lib/postgresql/15/bin}"

case "$PORT" in
  ''|*[!0-9]*) echo "start-postgres: PORT must be a number, got '$PORT'" >&2; exit 2 ;;
esac

if [ ! -x "$PGBIN/initdb" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "start-postgres: $PGBIN/initdb missing, installing Debian's postgresql package" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2 \
      || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2; }
  fi
  [ -x "$PGBIN/initdb" ] || { echo "start-postgres: no PostgreSQL 15 in $PGBIN" >&2; exit 1; }
fi

# PostgreSQL refuses to run as root: run its tools as the postgres user when we are root.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$DIR"
  chmod 0700 "$DIR"
fi

if [ ! -f "$DIR/data/PG_VERSION" ]; then
  as_pg "$PGBIN/initdb" -D "$DIR/data" -U postgres --auth=trust --no-sync --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
    || { cat "$DIR/initdb.log" >&2; exit 1; }
fi

if as_pg "$PGBIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
  echo "start-postgres: already running in $DIR" >&2
else
  as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 60 \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >&2 || { tail -n 30 "$DIR/log" >&2 || true; exit 1; }
fi

echo "postgres://postgres@127.0.0.1:$PORT/postgres"
