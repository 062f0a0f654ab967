#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests and CI: a private cluster made with Debian's binaries
# (package `postgresql`, /usr/lib/postgresql/15/bin) in a folder of its own, listening on a free
# loopback port, trust authentication on 127.0.0.1 only (and its own Unix socket in the folder).
#
#   scripts/postgres-test-server.sh start DIR   # makes DIR, starts the cluster, prints its URL
#   scripts/postgres-test-server.sh url DIR     # prints the URL of the cluster running in DIR
#   scripts/postgres-test-server.sh stop DIR    # stops it and removes DIR (idempotent)
#
# The URL is postgres://noproof@127.0.0.1:PORT/noproof_test; the tests read it from
# NOPROOF_TEST_POSTGRES_URL (scripts/test.sh sets it). initdb and postgres refuse to run as root:
# as root (CI) they run as the `postgres` system user the Debian package creates, in a folder it owns.
set -euo pipefail

usage() { echo "usage: $0 start|url|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
command=$1
dir=$2

bindir=${NOPROOF_POSTGRES_BIN:-}
if [ -z "$bindir" ]; then
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && bindir=$candidate
  done
fi

# Runs a PostgreSQL binary as the cluster's owner: the `postgres` user when we are root.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

case "$command" in
  start)
    [ -n "$bindir" ] || { echo "postgres-test-server: no initdb under /usr/lib/postgresql/*/bin: apt-get install postgresql" >&2; exit 1; }
    if [ -f "$dir/url" ] && as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      cat "$dir/url"; exit 0
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || { echo "postgres-test-server: no 'postgres' user (install Debian's postgresql package)" >&2; exit 1; }
      chown postgres: "$dir"
      chmod 0700 "$dir"
      runuser -u postgres -- test -x "$dir" || {
        echo "postgres-test-server: the postgres user cannot reach $dir (a parent folder is private): use a folder under /tmp" >&2; exit 1; }
    fi
    as_owner "$bindir/initdb" -D "$dir/data" --username=noproof --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    cat >"$dir/data/pg_hba.conf" <<'EOF'
# Throwaway test cluster: trust on its own Unix socket and on 127.0.0.1 only.
local all all trust
host  all all 127.0.0.1/32 trust
EOF
    [ "$(id -u)" = 0 ] && chown postgres: "$dir/data/pg_hba.conf"
    started=""
    for _ in 1 2 3 4 5; do
      port=$(free_port)
      if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
           -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=200" \
           start >/dev/null 2>&1; then
        started=$port; break
      fi
    done
    [ -n "$started" ] || { echo "postgres-test-server: postgres did not start:" >&2; cat "$dir/postgres.log" >&2; exit 1; }
    as_owner "$bindir/createdb" -h "$dir" -p "$started" -U noproof noproof_test
    url="postgres://noproof@127.0.0.1:$started/noproof_test"
    echo "$url" >"$dir/url"
    echo "$url"
    ;;
  url)
    [ -f "$dir/url" ] || { echo "postgres-test-server: no cluster in $dir" >&2; exit 1; }
    cat "$dir/url"
    ;;
  stop)
    if [ -d "$dir/data" ] && [ -n "$bindir" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    usage
    ;;
esac
