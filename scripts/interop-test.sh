#!/usr/bin/env bash
# Interoperability tests of the Python client (clients/python) against the built server and CLI:
# checks the generated Python code is fresh, installs the package into a scratch virtualenv with
# `pip install ./clients/python`, type-checks it (mypy --strict), starts a demo noproofd on a free
# port with a scratch data folder (--no-rate-limits: the suite makes more lookups than the anti-harvesting limits allow; the tests of
# the limits start a small server of their own), waits until it is healthy, runs the pytest suite in
# clients/python/tests, then installs the package into a fresh virtualenv (no system packages: the
# official protobuf runtime from PyPI) and runs every example of clients/python/examples against the
# same server.
#   scripts/interop-test.sh                 after `swift build`; binaries from .build/debug
#   NOPROOF_BIN=DIR scripts/interop-test.sh binaries from DIR
# Extra arguments go to pytest (e.g. -k lookup -x). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bin=$(cd "${NOPROOF_BIN:-.build/debug}" 2>/dev/null && pwd) || { echo "interop-test: no folder ${NOPROOF_BIN:-.build/debug}: run swift build first or set NOPROOF_BIN" >&2; exit 2; }
for b in noproofd noproof; do
  [ -x "$bin/$b" ] || { echo "interop-test: $bin/$b not found: run swift build first or set NOPROOF_BIN" >&2; exit 2; }
done
python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "interop-test: $python is older than 3.11" >&2; exit 2; }

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
apt_install() {
  echo "interop-test: installing $*"
  $sudo apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

echo "== generated Python protobuf code"
command -v protoc >/dev/null || apt_install protobuf-compiler
clients/python/scripts/gen_protos.sh --check

scratch=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

echo "== pip install ./clients/python (scratch virtualenv)"
"$python" -m venv --system-site-packages "$scratch/venv" 2>/dev/null || {
  apt_install python3-venv python3-pip
  rm -rf "$scratch/venv"
  "$python" -m venv --system-site-packages "$scratch/venv"
}
venv_python="$scratch/venv/bin/python"
"$venv_python" -m pip install --quiet --disable-pip-version-check "$root/clients/python[test]"
# Build leftovers of an in-tree build must not end up in commits.
rm -rf "$root/clients/python/build" "$root"/clients/python/src/*.egg-info
(cd "$scratch" && "$venv_python" -c 'import noproof, sys; assert "site-packages" in noproof.__file__, noproof.__file__; print("installed noproof", noproof.__version__, "from", noproof.__file__)')

echo "== mypy --strict clients/python/src"
# Pinned: a new mypy may find new things; bump these together with the fixes.
"$venv_python" -m pip install --quiet --disable-pip-version-check "mypy==2.4.1" "types-protobuf==7.35.1.20260906"
(cd "$root/clients/python" && "$venv_python" -m mypy --cache-dir "$scratch/mypy-cache") || { echo "interop-test: FAILED: mypy --strict" >&2; exit 1; }

echo "== demo noproofd"
port=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data="$scratch/data"
log="$scratch/noproofd.log"
"$bin/noproofd" --demo --demo-licences "${NOPROOF_DEMO_LICENCES:-5000}" --no-rate-limits --port "$port" --data-dir "$data" >"$log" 2>&1 &
pid=$!
fail() { echo "interop-test: FAILED: $*" >&2; echo "--- noproofd log (last 40 lines):" >&2; tail -n 40 "$log" >&2; exit 1; }
healthy=""
for _ in $(seq 1 600); do
  kill -0 "$pid" 2>/dev/null || fail "noproofd exited before it was healthy"
  if NOPROOF_PORT=$port "$bin/noproof" health --timeout 2 >/dev/null 2>&1 && [ -s "$data/demo-holders.txt" ]; then healthy=1; break; fi
  sleep 0.1
done
[ -n "$healthy" ] || fail "noproofd on port $port was not healthy within 60 s"
echo "noproofd pid $pid on 127.0.0.1:$port, data $data"

echo "== pytest clients/python/tests"
status=0
(cd "$scratch" && NOPROOF_BIN="$bin" NOPROOF_TEST_HOST=127.0.0.1 NOPROOF_TEST_PORT="$port" NOPROOF_TEST_DATA_DIR="$data" \
  "$venv_python" -m pytest -p no:cacheprovider -q -c "$root/clients/python/pyproject.toml" --rootdir "$root/clients/python" \
  "$root/clients/python/tests" "$@") || status=$?
if [ $status != 0 ]; then fail "pytest exited with status $status"; fi

echo "== examples (fresh virtualenv: pip install ./clients/python)"
"$python" -m venv "$scratch/fresh" || fail "python3 -m venv"
fresh_python="$scratch/fresh/bin/python"
"$fresh_python" -m pip install --quiet --disable-pip-version-check "$root/clients/python" || fail "pip install ./clients/python in a fresh virtualenv"
rm -rf "$root/clients/python/build" "$root"/clients/python/src/*.egg-info
(cd "$scratch" && "$fresh_python" -c 'import google.protobuf, noproof, noproof.sync; print("fresh venv: noproof", noproof.__version__, "protobuf", google.protobuf.__version__)')
# Demo holders are listed with a licence type they hold; the water company's item SW-KH-001 lists JMSFZ.
read -r holder type _ < "$data/demo-holders.txt"
examples="$root/clients/python/examples"
run_example() {
  local name=$1; shift
  (cd "$scratch" && NOPROOF_HOST=127.0.0.1 NOPROOF_PORT=$port "$fresh_python" "$examples/$name" "$@" >"$scratch/example.out" 2>&1) \
    || { cat "$scratch/example.out" >&2; fail "examples/$name"; }
  echo "example $name: ok ($(tail -n 1 "$scratch/example.out"))"
}
NOPROOF_CREDENTIAL=demo-water/agent-0001:demo-secret run_example lookup_and_verify.py \
  --holder "$holder" --type "$type" --item SW-KH-001 --case CASE-EXAMPLE --out "$scratch/example-proof.bin"
NOPROOF_PORT=$port "$bin/noproof" verify "$scratch/example-proof.bin" >/dev/null || fail "noproof verify of the example's proof"
run_example verification_request.py --holder "$holder"
run_example oversight.py --holder "$holder"
run_example supervision_report.py
run_example who_looked.py --holder "$holder"
echo "== interop tests passed"
