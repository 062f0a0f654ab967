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
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# The .proto files are compiled as noproof/v1/<name>.proto, the name they are registered under in
# protobuf's default descriptor pool: unique, so an application's own health.proto cannot clash.
# Imports between the files ("licences.proto") are rewritten to that name as well.
staged="$work/src/noproof/v1"
mkdir -p "$staged"
for f in "$protos"/*.proto; do
  sed -E 's|^import "([A-Za-z0-9_]+\.proto)";|import "noproof/v1/\1";|' "$f" > "$staged/$(basename "$f")"
done
protoc --python_out="$work" --pyi_out="$work" -I "$work/src" "$staged"/*.proto
tmp="$work/noproof/v1"
for f in "$tmp"/*_pb2.py "$tmp"/*_pb2.pyi; do
  # The modules live in the package noproof._pb: imports between them are package-relative, and
  # the message classes name the module they are really in (so that pickle finds them).
  sed -i -E 's/^from noproof\.v1 import /from . import /; s/^import ([A-Za-z0-9_]+_pb2) as /from . import \1 as /' "$f"
  sed -i -E "s/(BuildTopDescriptorsAndMessages\(DESCRIPTOR, ')noproof\.v1\.([A-Za-z0-9_]+_pb2)'/\1noproof._pb.\2'/" "$f"
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
