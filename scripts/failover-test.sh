#!/usr/bin/env bash
# Fail-over of two noproofd on one PostgreSQL (issue 18): a load of writes against both, one killed
# with -9 mid-load, every acknowledged write read back through the survivor, which keeps serving
# and takes over the deadline scheduler (scripts/failover_test.py). Debug build; PostgreSQL from
# NOPROOF_TEST_POSTGRES_URL (scripts/test.sh sets it), else a throwaway cluster started here.
#
#   scripts/failover-test.sh [--seconds 3] [--seed N] [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/debug
[[ -x "$bin/noproofd" ]] || swift build --product noproofd
scratch=$(mktemp -d -t noproof-failover.XXXXXX)
pgdir=""
cleanup() {
  [[ -n "$pgdir" ]] && scripts/postgres-test-server.sh stop "$pgdir" >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
url=${NOPROOF_TEST_POSTGRES_URL:-}
if [[ -z "$url" ]]; then
  pgdir=$(mktemp -d -t noproof-pg.XXXXXX)
  chmod 755 "$pgdir"
  url=$(scripts/postgres-test-server.sh start "$pgdir")
fi
schema="failover_$(python3 -c 'import secrets; print(secrets.token_hex(6))')"
case "$url" in *\?*) database="$url&schema=$schema" ;; *) database="$url?schema=$schema" ;; esac
python=${PYTHON:-python3}
if ! "$python" -c 'import google.protobuf, cryptography' 2>/dev/null; then
  "$python" -m venv --system-site-packages "$scratch/venv"
  python="$scratch/venv/bin/python"
  "$python" -m pip install --quiet --disable-pip-version-check "protobuf>=4.21,<8" cryptography
fi
# A copy, so that a rebuild cannot change the binary under the test.
cp "$bin/noproofd" "$scratch/noproofd"
PYTHONPATH="clients/python/src${PYTHONPATH:+:$PYTHONPATH}" "$python" scripts/failover_test.py "$scratch/noproofd" --database "$database" "$@"
