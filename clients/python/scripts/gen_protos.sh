#!/usr/bin/env bash
# Regenerates the Python protobuf modules of the noproof package from the repository's Protos/*.proto
# into clients/python/src/noproof/_pb/ (protoc --python_out and --pyi_out).
#   clients/python/scripts/gen_protos.sh          regenerate in place
#   clients/python/scripts/gen_protos.sh --check  fail (exit 1) if the committed modules are stale
# The committed modules were produced by protoc 3.21 (Debian 12: apt-get install protobuf-compiler);
# another protoc version writes slightly different code, which --check reports as stale.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"          # clients/python
root="$(cd "$here/../.." && pwd)"                 # repository root
protos="$root/Protos"
out="$here/src/noproof/_pb"
command -v protoc >/dev/null || { echo "protoc not found: apt-get install protobuf-compiler" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
protoc --python_out="$tmp" --pyi_out="$tmp" -I "$protos" "$protos"/*.proto
# The modules live inside the noproof package: make imports between them package-relative.
for f in "$tmp"/*_pb2.py "$tmp"/*_pb2.pyi; do
  sed -i -E 's/^import ([A-Za-z0-9_]+_pb2) as /from . import \1 as /; s/^from ([A-Za-z0-9_]+_pb2) import /from .\1 import /' "$f"
done
if [ "${1:-}" = "--check" ]; then
  stale=0
  for f in "$tmp"/*; do
    n=$(basename "$f"); cmp -s "$f" "$out/$n" || { echo "stale: $out/$n" >&2; stale=1; }
  done
  for f in "$out"/*_pb2.py "$out"/*_pb2.pyi; do
    [ -e "$f" ] || continue
    [ -e "$tmp/$(basename "$f")" ] || { echo "orphan: $f" >&2; stale=1; }
  done
  if [ $stale != 0 ]; then
    echo "generated Python code is stale (checked with $(protoc --version)): run clients/python/scripts/gen_protos.sh and commit" >&2
    exit 1
  fi
  echo "generated Python protobuf code is up to date"
  exit 0
fi
mkdir -p "$out"
rm -f "$out"/*_pb2.py "$out"/*_pb2.pyi
cp "$tmp"/* "$out"/
echo "regenerated: $(cd "$tmp" && ls | tr '\n' ' ')"
