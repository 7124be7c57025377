#!/usr/bin/env bash
# Stop a PostgreSQL started by scripts/start-postgres.sh:  scripts/stop-postgres.sh DIR [--remove]
# --remove also deletes DIR afterwards. A server that is not running is not an error.
set -euo pipefail

if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then
  echo "usage: $0 DIR [--remove]" >&2
  exit 2
fi
DIR="$1"
PGBIN="${KUPE_PG_BIN:-/usr/lib/postgresql/15/bin}"

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ -f "$DIR/data/postmaster.pid" ]; then
  as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w -t 60 stop >&2 || true
fi
if [ "${2:-}" = "--remove" ]; then
  rm -rf -- "$DIR"
fi
