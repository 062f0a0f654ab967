#!/usr/bin/env bash
# Several noproofd on one PostgreSQL against one noproofd on the embedded SQLite, in one run
# (issue 18's performance targets):
#   1. one noproofd on SQLite, 64 connections x 16 in flight (the baseline);
#   2. one noproofd on PostgreSQL, the same load (what the freshness check costs a cache hit);
#   3. two noproofd on the same PostgreSQL, 32 x 16 on each at once (the aggregate);
#   4. how soon a suspension through one instance is seen by the other (benchmarks/revoke_visibility.py),
#      with the cluster idle, and again under the load of 3.
# Prints one table with the ratios to 1. Everything listens on 127.0.0.1; the throwaway PostgreSQL
# (scripts/postgres-test-server.sh) and the temp folder are removed at the end.
#
#   benchmarks/cluster-compare.sh        # release build of noproofd, noproof-load, noproof; ~3 minutes of runs
#
# Environment:
#   NOPROOF_BENCH_DURATION    seconds measured per run (default 10)
#   NOPROOF_BENCH_WARMUP      seconds of warm-up per run (default 2)
#   NOPROOF_BENCH_PORT        first of two loopback ports (default 17430)
#   NOPROOF_BENCH_ROUNDS      visibility rounds (default 200)
#   NOPROOF_SKIP_MAIN_BUILD=1 use the existing .build/release binaries
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
main="$(cd "$here/.." && pwd)"
duration="${NOPROOF_BENCH_DURATION:-10}"
warmup="${NOPROOF_BENCH_WARMUP:-2}"
port_a="${NOPROOF_BENCH_PORT:-17430}"
port_b=$((port_a + 1))
rounds="${NOPROOF_BENCH_ROUNDS:-200}"
demo_licences=50000
run_limit=$(python3 -c "print(int($duration + $warmup + 60))")

log() { printf '[cluster-compare %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/noproof-cluster-compare.XXXXXX")"
chmod 755 "$tmp"
pids=()
stop_servers() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
cleanup() {
  stop_servers
  "$main/scripts/postgres-test-server.sh" stop "$tmp/pg" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in $port_a $port_b; do port_free "$p" || die "port $p is in use (set NOPROOF_BENCH_PORT)"; done

if [[ "${NOPROOF_SKIP_MAIN_BUILD:-0}" != "1" ]]; then
  log "building NoProof (release): noproofd, noproof-load, noproof"
  for product in noproofd noproof-load noproof; do (cd "$main" && swift build -c release --product "$product" >&2); done
fi
mkdir -p "$tmp/bin"
for b in noproofd noproof-load noproof; do
  [[ -x "$main/.build/release/$b" ]] || die "$main/.build/release/$b missing: build the main package (unset NOPROOF_SKIP_MAIN_BUILD)"
  cp "$main/.build/release/$b" "$tmp/bin/"
done
bin="$tmp/bin"

# The Python client for the visibility rounds.
python=python3
if ! python3 -c "import google.protobuf, cryptography" 2>/dev/null; then
  python3 -m venv --system-site-packages "$tmp/venv"
  python="$tmp/venv/bin/python"
  "$python" -m pip install --quiet --disable-pip-version-check "protobuf>=4.21,<8" cryptography
fi

start() { # name port [noproofd options...]
  local name=$1 port=$2; shift 2
  "$bin/noproofd" --demo --no-rate-limits --no-overload-shedding --demo-licences "$demo_licences" \
    --data-dir "$tmp/$name" --port "$port" --log-level warning "$@" >"$tmp/$name.log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  local deadline=$((SECONDS + 600))
  until "$bin/noproof" health --port "$port" --timeout 2 >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || die "noproofd $name exited at start: $(tail -5 "$tmp/$name.log")"
    ((SECONDS < deadline)) || die "noproofd $name not ready after 600 s"
    sleep 0.5
  done
}
load() { # port connections output
  timeout "$run_limit" "$bin/noproof-load" --port "$1" --connections "$2" --in-flight 16 --duration "$duration" --warmup "$warmup" \
    --workload lookup --demo-licences "$demo_licences" --json >"$3" || log "load on port $1 failed (exit $?)"
}

log "1. one noproofd on SQLite (seeds $demo_licences demo licences), 64 x 16"
start sqlite "$port_a"
load "$port_a" 64 "$tmp/sqlite.json"
stop_servers

log "starting a throwaway PostgreSQL"
mkdir -p "$tmp/pg" && chmod 755 "$tmp/pg"
url=$("$main/scripts/postgres-test-server.sh" start "$tmp/pg")

log "2. one noproofd on PostgreSQL (seeds the demo there: about a minute), 64 x 16"
start a "$port_a" --database "$url"
load "$port_a" 64 "$tmp/pg-one.json"

log "3. a second noproofd on the same PostgreSQL (the first's seal keys), 32 x 16 on each at once"
mkdir -p "$tmp/b" && cp -R "$tmp/a/seals" "$tmp/b/seals"
start b "$port_b" --database "$url"
log "4a. suspension visibility, A -> B, cluster idle ($rounds rounds)"
"$python" "$here/revoke_visibility.py" --port-a "$port_a" --port-b "$port_b" --data-dir "$tmp/a" --rounds "$rounds" \
  --json "$tmp/visibility-idle.json" >&2 || die "visibility rounds (idle) failed"
load "$port_a" 32 "$tmp/pg-two-a.json" &
load_a=$!
load "$port_b" 32 "$tmp/pg-two-b.json" &
load_b=$!
sleep "$warmup"
log "4b. suspension visibility under the load of 3"
"$python" "$here/revoke_visibility.py" --port-a "$port_a" --port-b "$port_b" --data-dir "$tmp/a" --rounds "$rounds" \
  --json "$tmp/visibility-load.json" >&2 || log "visibility rounds under load failed"
wait "$load_a" "$load_b"
stop_servers

python3 - "$tmp" "$duration" <<'EOF'
import datetime, json, os, sys
tmp, duration = sys.argv[1], sys.argv[2]
def load(name):
    try:
        with open(os.path.join(tmp, name)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None
base, one, a, b = load("sqlite.json"), load("pg-one.json"), load("pg-two-a.json"), load("pg-two-b.json")
def row(label, rate, p99, ratio):
    print(f"{label:<42} {rate:>10} {p99:>9} {ratio:>8}")
print(f"cluster-compare, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
      f"{duration} s per run, server(s) and load generator(s) on the same machine")
row("shape", "lookups/s", "p99 ms", "vs 1")
print("-" * 72)
b0 = base["callsPerSecond"] if base else None
def fmt(r): return f"{r['callsPerSecond']:,.0f}", f"{r['latencyMicros']['p99'] / 1000:.2f}"
if base: row("1. SQLite, one instance, 64 x 16", *fmt(base), "1.00x")
if one: row("2. PostgreSQL, one instance, 64 x 16", *fmt(one), f"{one['callsPerSecond'] / b0:.2f}x" if b0 else "-")
if a and b:
    total = a["callsPerSecond"] + b["callsPerSecond"]
    p99 = max(a["latencyMicros"]["p99"], b["latencyMicros"]["p99"]) / 1000
    row("3. PostgreSQL, two instances, 2 x 32 x 16", f"{total:,.0f}", f"{p99:.2f}", f"{total / b0:.2f}x" if b0 else "-")
for name, label in (("visibility-idle.json", "idle"), ("visibility-load.json", "under the load of 3")):
    v = load(name)
    if v:
        print(f"suspension on A seen by B ({label}): p50 {v['p50Ms']:.2f} ms, p99 {v['p99Ms']:.2f} ms, max {v['maxMs']:.2f} ms "
              f"over {v['rounds']} rounds; stale answers after A's acknowledgement: {v['staleAnswers']}")
    else:
        print(f"suspension on A seen by B ({label}): no result")
for name, r in (("1", base), ("2", one), ("3a", a), ("3b", b)):
    if r:
        print(f"  {name}: statuses {r.get('statuses')}")
EOF
