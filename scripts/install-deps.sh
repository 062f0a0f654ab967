#!/usr/bin/env bash
# Installs the Debian packages NoProof needs to build and test, if any are missing.
# Swift 6.x itself must already be on PATH (https://www.swift.org/install/).
set -euo pipefail
packages=(libprotobuf-c-dev protobuf-c-compiler libsqlite3-dev pkg-config valgrind binutils python3 python3-venv python3-pip protobuf-compiler openssl gcc libc6-dev curl chromium fonts-noto-cjk postgresql)
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
