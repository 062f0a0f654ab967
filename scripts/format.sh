#!/usr/bin/env bash
# swift-format (the toolchain's `swift format`, configuration in .swift-format) over the
# hand-written Swift of Sources/, Tests/, the CLI and load harness (clients/noproof*) and Package.swift; generated code (*/Generated/) stays
# as its generator writes it.
#
#   scripts/format.sh           rewrite the files in place
#   scripts/format.sh --check   change nothing; exit 1 listing each finding (CI runs this)
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find Sources Tests clients/noproof clients/noproof-load -name '*.swift' -not -path '*/Generated/*' | sort)
files+=(Package.swift)
if [[ "${1:-}" == "--check" ]]; then
    out=$(swift format lint --strict --parallel --configuration .swift-format "${files[@]}" 2>&1) || true
    if [[ -n "$out" ]]; then
        echo "$out" | head -50
        echo "swift-format: $(echo "$out" | grep -c 'warning\|error') finding(s); run scripts/format.sh to fix them" >&2
        exit 1
    fi
    echo "swift-format: ${#files[@]} files formatted as .swift-format says"
else
    swift format format --in-place --parallel --configuration .swift-format "${files[@]}"
fi
