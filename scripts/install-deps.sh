#!/usr/bin/env bash
# Installs the Debian packages NoProof needs to build and test, if any are missing.
#   scripts/install-deps.sh           what the whole test suite needs (scripts/test.sh, CI)
#   scripts/install-deps.sh --build   only what building and running noproofd needs (scripts/demo.sh):
#                                     no Chromium, no PostgreSQL server, no valgrind
# Swift 6.x itself must already be on PATH (https://www.swift.org/install/).
set -euo pipefail
build=(libprotobuf-c-dev protobuf-c-compiler libsqlite3-dev pkg-config gcc libc6-dev openssl)
if [ "${1:-}" = "--build" ]; then
  packages=("${build[@]}")
else
  packages=("${build[@]}" valgrind binutils python3 python3-venv python3-pip protobuf-compiler curl chromium fonts-noto-cjk postgresql)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
command -v swift >/dev/null || { echo "swift not found on PATH: install Swift 6.3 (https://www.swift.org/install/)" >&2; exit 2; }
