#!/usr/bin/env bash
# Two noproofd on one PostgreSQL, one command (issue 18): starts a throwaway PostgreSQL
# (scripts/postgres-test-server.sh, Debian's postgresql package; installed if missing), builds if
# needed, starts noproofd --demo on 127.0.0.1:7420 and 127.0.0.1:7421 on the same database, each
# with a data folder of its own (cluster-demo/a, cluster-demo/b; the second gets a copy of the
# first's seals/ folder so both sign with the same keys), shows a lookup on each, and leaves them
# running until Ctrl-C, which stops both and the database.
#
#   scripts/cluster-demo.sh            # a new cluster and data folders each time
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/debug
scripts/install-deps.sh --build
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "cluster-demo: installing PostgreSQL (Debian's postgresql package)"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql
fi
[[ -x "$bin/noproofd" && -x "$bin/noproof" ]] || swift build
work=cluster-demo
rm -rf "$work"
mkdir -p "$work"
pgdir=$(mktemp -d -t noproof-cluster-pg.XXXXXX)
chmod 755 "$pgdir"
pids=()
stop_all() {
  trap - EXIT INT TERM
  echo
  echo "cluster-demo: stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  scripts/postgres-test-server.sh stop "$pgdir" >/dev/null 2>&1 || true
}
trap stop_all EXIT
trap 'exit 130' INT TERM
url=$(scripts/postgres-test-server.sh start "$pgdir")
database="$url?schema=cluster_demo"
echo "cluster-demo: PostgreSQL at $url (schema cluster_demo)"

# start NAME PORT [FLAGS...]: noproofd --demo on the database; waits until it answers health.
start() {
  local name=$1 port=$2
  shift 2
  "$bin/noproofd" --demo --database "$database" --port "$port" --data-dir "$work/$name" "$@" >"$work/$name.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1 1200); do
    NOPROOF_PORT=$port "$bin/noproof" health >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  echo "cluster-demo: noproofd $name did not answer health; its log: $work/$name.log" >&2
  exit 1
}

echo "cluster-demo: starting noproofd a on 127.0.0.1:7420 (generates the demo data in PostgreSQL; a minute on a small machine)"
start a 7420 || { tail -20 "$work/a.log" >&2; exit 1; }
mkdir -p "$work/b"
cp -R "$work/a/seals" "$work/b/seals"
echo "cluster-demo: starting noproofd b on 127.0.0.1:7421 (same database, its own data folder, the same seal keys)"
start b 7421 || { tail -20 "$work/b.log" >&2; exit 1; }

holder=$(head -1 "$work/a/demo-holders.txt" | cut -d' ' -f1)
type=$(head -1 "$work/a/demo-holders.txt" | cut -d' ' -f2)
for port in 7420 7421; do
  echo
  echo "\$ NOPROOF_PORT=$port noproof lookup --holder $holder --type $type --item SW-KH-001 --case CLUSTER-$port"
  NOPROOF_PORT=$port NOPROOF_CREDENTIAL=demo-water:demo-secret NOPROOF_STAFF=agent-0001 \
    "$bin/noproof" lookup --holder "$holder" --type "$type" --item SW-KH-001 --case "CLUSTER-$port" | head -12
done
echo
echo "cluster-demo: two instances on one database, logs in $work/a.log and $work/b.log. In another terminal:"
echo "  export NOPROOF_CREDENTIAL=demo-water:demo-secret NOPROOF_STAFF=agent-0001"
echo "  NOPROOF_PORT=7420 $bin/noproof lookup --holder $holder --type $type --item SW-KH-001 --case C-1"
echo "  NOPROOF_PORT=7421 $bin/noproof lookup --holder $holder --type $type --item SW-KH-001 --case C-2"
echo "  (a revoke through one, e.g. NOPROOF_CREDENTIAL=demo-taskforce:demo-secret NOPROOF_PORT=7420 $bin/noproof status revoke ID --reason R,"
echo "   is refused at once by the other)"
echo "Ctrl-C stops both and the database."
wait
