#!/usr/bin/env bash
# Crash safety under simulated power cuts (docs/RELIABILITY.md): kills a loaded noproofd with
# SIGKILL in several rounds while it runs under the power-cut shim (Tests/PowerCut/powercut.c),
# discards every write it had not fsynced (scripts/powercut_restore.py), restarts it and checks
# through its RPCs that every acknowledged write survived and that the audit hash chain verifies
# (scripts/crash_test.py). Needs a build (swift build), a C compiler and Python 3.11 with the
# protobuf runtime; uses the Python client from clients/python/src.
#   scripts/crash-test.sh [--rounds N] [--seed S]
#   scripts/crash-test.sh --self-test [--rounds N]   # fsync made a no-op: the test must report loss
#   scripts/crash-test.sh --database postgres://... [--rounds N] [--seed S]   # records in PostgreSQL
#   scripts/crash-test.sh --postgres [--rounds N] [--seed S]   # the same on a throwaway cluster
# With --database (or --postgres, which starts one with scripts/postgres-test-server.sh and stops it
# at the end) noproofd keeps its records in PostgreSQL, in a fresh schema of that database, and the
# rounds are kill -9 rounds without the shim: PostgreSQL's own durability (synchronous_commit=on) is
# not simulated (docs/RELIABILITY.md); every acknowledged write must be there after each restart.
# NOPROOF_BIN=DIR takes noproofd and noproof from DIR instead of .build/debug.
set -euo pipefail
cd "$(dirname "$0")/.."
self_test=0
database=""
throwaway=0
args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --self-test) self_test=1 ;;
    --postgres) throwaway=1 ;;
    --database) database=${2:?--database takes a postgres:// URL}; shift ;;
    --database=*) database=${1#--database=} ;;
    *) args+=("$1") ;;
  esac
  shift
done
if [[ $self_test == 1 && ( -n "$database" || $throwaway == 1 ) ]]; then
  echo "crash-test: --self-test is the power-cut self-test, of the SQLite default: not with --database or --postgres" >&2; exit 2
fi
bin=$(cd "${NOPROOF_BIN:-.build/debug}" && pwd)
scratch=$(mktemp -d)
pgdir=""
cleanup() {
  if [[ -n "$pgdir" ]]; then scripts/postgres-test-server.sh stop "$pgdir"; fi
  rm -rf "$scratch"
}
trap cleanup EXIT
if [[ $throwaway == 1 ]]; then
  pgdir=$(mktemp -d -t noproof-crash-pg.XXXXXX)
  chmod 755 "$pgdir"
  database=$(scripts/postgres-test-server.sh start "$pgdir")
fi
if [[ -n "$database" ]]; then
  # A fresh schema, so that rounds start from the demo seeding and never touch other records.
  schema="crash_$(python3 -c 'import secrets; print(secrets.token_hex(6))')"
  case "$database" in *\?*) database="$database&schema=$schema" ;; *) database="$database?schema=$schema" ;; esac
fi
# A copy, so that a rebuild cannot change the binary between rounds.
cp "$bin/noproofd" "$scratch/noproofd"
cli=()
if [[ -x "$bin/noproof" ]]; then cp "$bin/noproof" "$scratch/noproof"; cli=("$scratch/noproof"); fi
python=${PYTHON:-python3}
if ! "$python" -c 'import google.protobuf, cryptography' 2>/dev/null; then
  "$python" -m venv --system-site-packages "$scratch/venv"
  python="$scratch/venv/bin/python"
  "$python" -m pip install --quiet --disable-pip-version-check "protobuf>=4.21,<8" cryptography
fi
if [[ -n "$database" ]]; then
  PYTHONPATH="clients/python/src${PYTHONPATH:+:$PYTHONPATH}" "$python" scripts/crash_test.py "$scratch/noproofd" ${cli[@]+"${cli[@]}"} \
    --database "$database" ${args[@]+"${args[@]}"}
  exit
fi
${CC:-$(command -v cc || command -v clang)} -shared -fPIC -O2 -Wall -Wno-format-truncation -o "$scratch/powercut.so" Tests/PowerCut/powercut.c -ldl -lpthread
python3 Tests/PowerCut/shim_check.py "$scratch/powercut.so" scripts/powercut_restore.py
run() {
  PYTHONPATH="clients/python/src${PYTHONPATH:+:$PYTHONPATH}" "$python" scripts/crash_test.py "$scratch/noproofd" ${cli[@]+"${cli[@]}"} \
    --shim "$scratch/powercut.so" --restore scripts/powercut_restore.py "$@"
}
if [[ $self_test == 1 ]]; then
  # Like scripts/leak-check.sh's self-test: with fsync turned into a no-op the power cut must
  # lose acknowledged writes, and the checker must say so (exit 1). If it passes, the test is blind.
  set +e
  run --nosync --rounds 3 ${args[@]+"${args[@]}"} 2>"$scratch/self-test.err"
  code=$?
  set -e
  { grep '^crash-test: [0-9]* problems' "$scratch/self-test.err"; grep '^  ' "$scratch/self-test.err" | head -8
    grep -o '^crash-test: FAILED[^;]*' "$scratch/self-test.err"; } | sed 's/^/  self-test: /' || true
  if [[ $code == 1 ]] && grep -q "crash-test: FAILED" "$scratch/self-test.err"; then
    echo "crash-test self-test: OK: with fsync a no-op, the power cut lost acknowledged writes and the checker reported them"
    exit 0
  fi
  echo "crash-test self-test: FAILED: with fsync a no-op the checker did not report lost writes (exit $code); the crash test is not working" >&2
  exit 1
fi
run ${args[@]+"${args[@]}"}
