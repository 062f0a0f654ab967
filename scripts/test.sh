#!/usr/bin/env bash
# The whole test suite, as CI runs it: dependencies, formatting, generated-code freshness, one debug build,
# unit and integration tests (the PostgreSQL store tests against a throwaway cluster,
# scripts/postgres-test-server.sh), two instances on one PostgreSQL with one killed under load, the valgrind leak check of the codec, an end-to-end smoke test, the
# Python client's interoperability tests, the power-cut crash-safety rounds (and their self-test), kill -9 rounds on PostgreSQL, 10,000 idle connections
# and a short fuzz pass. (The overload comparison, scripts/overload.sh, needs a release build and
# is run by hand: docs/RELIABILITY.md.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
echo "== formatting (swift-format, .swift-format)"
scripts/format.sh --check
echo "== generated code"
scripts/gen-protos.sh --check
scripts/gen-swift-messages.py --check   # Swift messages and methods, and the Python method table
clients/python/scripts/gen_protos.sh --check
echo "== build"
swift build --build-tests
echo "== swift test (with a throwaway PostgreSQL for the PostgreSQL store tests)"
pgdir=$(mktemp -d -t noproof-pg.XXXXXX)
trap 'scripts/postgres-test-server.sh stop "$pgdir"' EXIT
NOPROOF_TEST_POSTGRES_URL=$(scripts/postgres-test-server.sh start "$pgdir")
export NOPROOF_TEST_POSTGRES_URL
swift test --skip-build
echo "== noproofd on PostgreSQL (--database)"
scripts/postgres-smoke-test.sh
echo "== fail-over: two noproofd on one PostgreSQL, one killed with -9 under load"
scripts/failover-test.sh
echo "== leak check"
scripts/leak-check.sh
echo "== smoke test"
scripts/smoke-test.sh
echo "== web page (headless Chromium)"
scripts/web-test.sh
echo "== TLS and mutual TLS smoke test"
scripts/tls-smoke-test.sh
echo "== Python client interoperability"
scripts/interop-test.sh -q
echo "== crash safety (kill -9 and a simulated power cut under load)"
scripts/crash-test.sh --rounds 10
echo "== crash safety on PostgreSQL (kill -9 under load, records in the throwaway cluster; no power cut: docs/RELIABILITY.md)"
scripts/crash-test.sh --database "$NOPROOF_TEST_POSTGRES_URL" --rounds 3
echo "== crash test self-test (fsync a no-op: the power cut must lose acknowledged writes, and be seen to)"
scripts/crash-test.sh --self-test
echo "== idle connections (10,000 held within the memory budget, then shed by the idle timeout)"
scripts/idle-connections.sh --count 10000 --idle-timeout 20
echo "== fuzzing (short pass: frame decoder and codec, libFuzzer + ASan)"
scripts/fuzz.sh
echo "== all tests passed"
