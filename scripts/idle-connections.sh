#!/usr/bin/env bash
# 10,000 idle connections to a real noproofd: held within a memory budget, a normal client still
# served, then all shed by the idle timeout (scripts/idle_connections.py prints the figures).
# Needs a build (swift build) and Python 3 with the protobuf runtime; raises `ulimit -n`.
#   scripts/idle-connections.sh [--count 10000] [--idle-timeout 20] [--budget-kib 16]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cd "${NOPROOF_BIN:-.build/debug}" && pwd)
# Both ends need a descriptor per connection (the server inherits this limit).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
python=${PYTHON:-python3}
scratch=$(mktemp -d); trap 'rm -rf "$scratch"' EXIT
if ! "$python" -c 'import google.protobuf, cryptography' 2>/dev/null; then
  "$python" -m venv --system-site-packages "$scratch/venv"
  python="$scratch/venv/bin/python"
  "$python" -m pip install --quiet --disable-pip-version-check "protobuf>=4.21,<8" cryptography
fi
PYTHONPATH="clients/python/src${PYTHONPATH:+:$PYTHONPATH}" "$python" scripts/idle_connections.py "$bin/noproofd" "$@"
