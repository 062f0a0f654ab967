#!/usr/bin/env bash
# Starts the built noproofd in demo mode as a user would and drives it with the noproof CLI:
# health, methods (with and without a credential), JSON output, exit codes, graceful SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/debug
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
log="$data/noproofd.log"
"$bin/noproofd" --demo --port "$port" --data-dir "$data/data" >"$log" 2>&1 &
pid=$!
cleanup() { kill -9 "$pid" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
fail() { echo "smoke-test: FAILED: $*" >&2; echo "--- noproofd log:" >&2; cat "$log" >&2; exit 1; }

export NOPROOF_PORT=$port
for _ in $(seq 1 100); do "$bin/noproof" health >/dev/null 2>&1 && break; sleep 0.1; done
out=$("$bin/noproof" health) || fail "health"
echo "$out" | grep -q "^SERVING" || fail "health said: $out"
"$bin/noproof" health --json | python3 -c 'import json,sys; assert json.load(sys.stdin)["status"]=="SERVING"' || fail "health --json"

set +e
"$bin/noproof" methods >/dev/null 2>"$data/err"; rc=$?
set -e
[ $rc = 16 ] || fail "methods without a credential exited $rc, expected 16 (UNAUTHENTICATED)"
grep -q "UNAUTHENTICATED" "$data/err" || fail "no UNAUTHENTICATED message"
grep -q "hint:" "$data/err" || fail "no hint"

out=$(NOPROOF_CREDENTIAL=demo-taskforce:demo-secret "$bin/noproof" methods) || fail "methods"
echo "$out" | grep -q "/noproof.v1.Health/Check" || fail "methods listing: $out"
NOPROOF_CREDENTIAL=demo-taskforce:demo-secret "$bin/noproof" methods --json \
  | python3 -c 'import json,sys; m=json.load(sys.stdin); assert {x["id"] for x in m} >= {1,2,3}, m' || fail "methods --json"

set +e
NOPROOF_CREDENTIAL=demo-taskforce:wrong "$bin/noproof" methods >/dev/null 2>&1; rc=$?
set -e
[ $rc = 16 ] || fail "wrong secret exited $rc, expected 16"

kill -TERM "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then fail "noproofd did not stop within 10 s of SIGTERM"; fi
wait "$pid" || fail "noproofd exited non-zero after SIGTERM"
set +e
"$bin/noproof" health >/dev/null 2>&1; rc=$?
set -e
[ $rc = 14 ] || fail "health against a stopped server exited $rc, expected 14 (UNAVAILABLE)"
grep -q "stopped" "$log" || fail "no 'stopped' in the log"
echo "smoke-test: noproofd + noproof CLI OK (health, methods, JSON, exit codes, SIGTERM)"
