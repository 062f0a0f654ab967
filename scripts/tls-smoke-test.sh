#!/usr/bin/env bash
# TLS and mutual TLS end to end, as the README walks through them: makes a dev PKI with
# scripts/make-dev-certs.sh, starts the built noproofd in demo mode with a plain loopback port
# and a mutual-TLS port, registers the water company's client certificate as the task force,
# then looks up over mutual TLS with the certificate alone; an unregistered certificate, a
# certificate of another CA and a revoked certificate are refused. (Live sessions ending on
# revocation are shown by Tests/NoProofServicesTests/SecureTransportTests.swift.)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/debug
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
tls_port=$(free_port)
work=$(mktemp -d)
log="$work/noproofd.log"
certs="$work/certs"
scripts/make-dev-certs.sh "$certs" demo-water demo-bank >/dev/null
scripts/make-dev-certs.sh "$work/rogue" demo-water >/dev/null   # another CA altogether
"$bin/noproofd" --demo --demo-licences 2000 --port "$port" --tls-port "$tls_port" --data-dir "$work/data" \
  --tls-cert "$certs/server.pem" --tls-key "$certs/server.key" --tls-client-ca "$certs/ca.pem" --log-level debug >"$log" 2>&1 &
pid=$!
cleanup() { kill -9 "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "tls-smoke-test: FAILED: $*" >&2; echo "--- noproofd log (tail):" >&2; tail -40 "$log" >&2; exit 1; }
N="$bin/noproof"
unset NOPROOF_CREDENTIAL NOPROOF_STAFF NOPROOF_TLS_CA NOPROOF_TLS_CERT NOPROOF_TLS_KEY
export NOPROOF_STAFF=agent-0001   # the water company's system (its certificate) acts for its agent
for _ in $(seq 1 300); do "$N" health --port "$port" >/dev/null 2>&1 && break; sleep 0.1; done
water=(--tls-ca "$certs/ca.pem" --tls-cert "$certs/demo-water.pem" --tls-key "$certs/demo-water.key" --port "$tls_port")

out=$("$N" health --port "$tls_port" --tls-ca "$certs/ca.pem" --tls-cert "$certs/demo-bank.pem" --tls-key "$certs/demo-bank.key" 2>&1) && fail "an unregistered certificate was accepted"
echo "$out" | grep -q "not registered" || fail "an unregistered certificate got: $out"

# Not registered yet: refused with UNAUTHENTICATED naming the fix.
W=91370400MA3C7WX81E
set +e
"$N" lookup --holder 370404199306107807 --type JMSFZ --item SW-KH-001 --case TLS-1 "${water[@]}" >/dev/null 2>"$work/err"; rc=$?
set -e
[ $rc = 16 ] && grep -q "not registered" "$work/err" || fail "an unregistered certificate exited $rc: $(cat "$work/err")"

# The task force registers the certificate (over the plain loopback port, with its secret).
cred=$(NOPROOF_CREDENTIAL=demo-taskforce/supervisor-0001:demo-secret "$N" credential issue "$W" --port "$port" --cert "$certs/demo-water.pem" \
  --label "water mTLS" --staff supervisor-0001 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["credentialID"])') \
  || fail "credential issue --cert"

holder=$(head -1 "$work/data/demo-holders.txt" | cut -d' ' -f1)
out=$("$N" health "${water[@]}") || fail "health over mutual TLS"
echo "$out" | grep -q "^SERVING" || fail "health said: $out"
"$N" lookup --holder "$holder" --type JMSFZ --item SW-KH-001 --case TLS-2 "${water[@]}" --out "$work/proof.bin" >/dev/null \
  || fail "lookup over mutual TLS with the registered certificate"
"$N" verify "$work/proof.bin" "${water[@]}" | grep -q VERIFIED || fail "verify"

# A certificate of another CA is refused at the handshake.
set +e
"$N" health --tls-ca "$certs/ca.pem" --tls-cert "$work/rogue/demo-water.pem" --tls-key "$work/rogue/demo-water.key" \
  --port "$tls_port" >/dev/null 2>"$work/err"; rc=$?
set -e
[ $rc != 0 ] || fail "a certificate of an unknown CA was accepted"
grep -q "TLS handshake failed" "$log" || fail "the handshake failure was not logged at debug"

# Revocation: the certificate stops authenticating at once.
NOPROOF_CREDENTIAL=demo-taskforce/supervisor-0001:demo-secret "$N" credential revoke "$cred" --port "$port" --reason "tls smoke test" \
  --staff supervisor-0001 >/dev/null || fail "revoke"
set +e
"$N" lookup --holder "$holder" --type JMSFZ --item SW-KH-001 --case TLS-3 "${water[@]}" >/dev/null 2>"$work/err"; rc=$?
set -e
[ $rc = 16 ] && grep -q "was revoked" "$work/err" || fail "a revoked certificate exited $rc: $(cat "$work/err")"

# The plain port still serves; the server never logged a resident ID in full.
NOPROOF_CREDENTIAL=demo-water:demo-secret "$N" health --port "$port" >/dev/null || fail "plain health after TLS failures"
! grep -q "$holder" "$log" || fail "a resident ID appears unmasked in the log"
kill -TERM "$pid"
wait "$pid" || fail "noproofd did not stop cleanly"
echo "tls-smoke-test: ok (TLS health, mutual-TLS lookup by certificate, unregistered/unknown-CA/revoked refused)"
