#!/usr/bin/env bash
# Overload: drives a release noproofd far past capacity with the load harness, once with overload
# shedding off and once with the defaults, and prints throughput, p99 and the shed count of each
# (docs/RELIABILITY.md). Build first:
#   swift build -c release --product noproof-load --product noproofd
#   scripts/overload.sh [--connections 256] [--in-flight 64] [--duration 10] [--port 20420]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cd "${NOPROOF_BIN:-.build/release}" && pwd)
connections=256 inflight=64 duration=10 port=20420
while [[ $# -gt 0 ]]; do
  case "$1" in
    --connections) connections=$2; shift 2 ;;
    --in-flight) inflight=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
scratch=$(mktemp -d)
server=""
cleanup() { [[ -n "$server" ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$scratch"; }
trap cleanup EXIT

start() { # extra noproofd flags...
  "$bin/noproofd" --demo --no-rate-limits --port "$port" --data-dir "$scratch/data" --log-level warning "$@" \
    >>"$scratch/noproofd.log" 2>&1 &
  server=$!
  for _ in $(seq 1 600); do
    if "$bin/noproof-load" --port "$port" --connections 1 --duration 0.2 --warmup 0 --workload health --json >/dev/null 2>&1; then return; fi
    sleep 0.2
  done
  echo "noproofd did not start; log:" >&2; cat "$scratch/noproofd.log" >&2; exit 1
}
stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

run() { # label, load flags...
  local label=$1; shift
  echo "== $label"
  "$bin/noproof-load" --port "$port" --duration "$duration" --warmup 2 --timeout 60 --allow-shedding "$@" | tee "$scratch/$label.txt"
}

start --no-overload-shedding
run capacity --connections 16 --in-flight 4
run no-shedding --connections "$connections" --in-flight "$inflight"
stop
start
run shedding --connections "$connections" --in-flight "$inflight"
stop
