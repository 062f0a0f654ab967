#!/usr/bin/env bash
# Crash safety: kills a loaded noproofd with SIGKILL in several rounds and checks that every
# acknowledged write survived and that the audit hash chain verifies (scripts/crash_test.py). Needs a build (swift build) and Python 3.11
# with the protobuf runtime; uses the Python client from clients/python/src.
#   scripts/crash-test.sh [--rounds N] [--seed S]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cd "${NOPROOF_BIN:-.build/debug}" && pwd)
scratch=$(mktemp -d); trap 'rm -rf "$scratch"' EXIT
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
PYTHONPATH="clients/python/src${PYTHONPATH:+:$PYTHONPATH}" "$python" scripts/crash_test.py "$scratch/noproofd" ${cli[@]+"${cli[@]}"} "$@"
