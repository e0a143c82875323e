#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster on a free local port, then remove it.
# Usage: tools/with-postgres.sh COMMAND [ARGS...]   (DATABASE_URL is set for the command)
set -euo pipefail
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$PG_BIN" ]; then
  "$(dirname "$0")/ensure-system-packages.sh"
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
WORK=$(mktemp -d /tmp/waypoint-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_db_user() {
  # PostgreSQL refuses to run as root: use the postgres account the Debian package created.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" -eq 0 ]; then chown postgres "$WORK"; fi
cleanup() {
  as_db_user "$PG_BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
as_db_user "$PG_BIN/initdb" -D "$WORK/data" -U waypoint -A trust --no-sync -E UTF8 >/dev/null
as_db_user "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w -o \
  "-p $PORT -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U waypoint waypoint
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on port $PORT"
DATABASE_URL="postgres://waypoint@127.0.0.1:$PORT/waypoint" "$@"
