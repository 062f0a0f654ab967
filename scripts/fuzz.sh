#!/usr/bin/env bash
# libFuzzer targets for hostile input (issue 8): the codec layer and the frame decoder.
#
#   scripts/fuzz.sh                 short pass (CI): 20,000 executions per target over the corpus
#   scripts/fuzz.sh --runs 200000   more executions per target
#   scripts/fuzz.sh --time 3600     long pass: run each target for 3600 s (no run limit)
#   scripts/fuzz.sh --target codec  only one target (codec | frame)
#   scripts/fuzz.sh --build-only    build the targets, run nothing
#   scripts/fuzz.sh --grow          then rewrite the committed corpus: seeds + the inputs reaching
#                                   the most coverage (at most CORPUS_MAX files, default 150 for
#                                   codec and 45 for frame); review the diff before committing
#
# Builds (only what changed; REBUILD=1 forces it) with swiftc/clang directly, not `swift build`,
# into $FUZZ_DIR (default .build/fuzz, inside this checkout): Sources/CNoProofProtos with clang -fsanitize=fuzzer-no-link,address, Sources/NoProofCodec (with the API messages of Sources/NoProofMessages/Generated for the codec target) and
# Sources/NoProofProtocol with swiftc -sanitize=fuzzer,address. SwiftNIO's NIOCore (and what it
# needs) is compiled from .build/checkouts with -sanitize=address, so the package must have been
# resolved once (`swift package resolve`); set SKIP_FRAME=1 to build only the codec target.
#
# Exits non-zero on any crash, sanitizer report (ASan, leaks via LeakSanitizer) or round-trip
# mismatch; the input that caused it is saved as $FUZZ_DIR/artifacts/<target>/crash-<sha1>.
# Turn it into a regression with: cp that file Tests/Fuzz/regressions/<target>/ (see docs/FUZZING.md).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
FUZZ_DIR="${FUZZ_DIR:-$ROOT/.build/fuzz}"
SWIFT_BIN="${SWIFT_BIN:-$(dirname "$(command -v swiftc || echo /opt/swift/usr/bin/swiftc)")}"
SWIFTC="$SWIFT_BIN/swiftc"
CLANG="$SWIFT_BIN/clang"
RUNS=20000
TIME=""
TARGETS="codec frame"
GROW=0
BUILD_ONLY=0

while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --time) TIME="$2"; shift 2 ;;
        --target) TARGETS="$2"; shift 2 ;;
        --grow) GROW=1; shift ;;
        --build-only) BUILD_ONLY=1; shift ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
[[ "${SKIP_FRAME:-0}" == 1 ]] && TARGETS="${TARGETS//frame/}"

mkdir -p "$FUZZ_DIR"/{obj,modules,nio,artifacts}
cd "$ROOT"
LD=(-use-ld=lld)

# ---------------------------------------------------------------------------------------------
# Codec: protobuf-c generated code + noproof_codec.c (clang), NoProofCodec (swiftc).
# ---------------------------------------------------------------------------------------------
build_codec_c() {
    mkdir -p "$FUZZ_DIR/modules/CNoProofProtos"
    cat > "$FUZZ_DIR/modules/CNoProofProtos/module.modulemap" <<EOF
module CNoProofProtos {
    umbrella header "$ROOT/Sources/CNoProofProtos/include/CNoProofProtos.h"
    link "protobuf-c"
    export *
}
EOF
    local f
    for f in Sources/CNoProofProtos/*.c; do
        "$CLANG" -fsanitize=fuzzer-no-link,address -g -O1 -ISources/CNoProofProtos/include \
            -c "$f" -o "$FUZZ_DIR/obj/$(basename "$f" .c).o"
    done
}

CODEC_IMPORTS=(-I "$FUZZ_DIR/modules/CNoProofProtos" -I Sources/CProtobufC)
# The import rules Package.swift gives NoProof's library targets (strictImports): without them a
# module whose files mix `package import` and plain `import` of one module does not compile.
STRICT=(-enable-upcoming-feature InternalImportsByDefault -enable-upcoming-feature MemberImportVisibility)

build_codec_target() {
    echo "== building codec-fuzz"
    "$SWIFTC" -sanitize=fuzzer,address -parse-as-library -O -g "${LD[@]}" \
        -module-name NoProofCodec -package-name NoProof "${STRICT[@]}" "${CODEC_IMPORTS[@]}" \
        $(find Sources/NoProofCodec -name '*.swift' | sort) Sources/NoProofMessages/Generated/*Messages.swift Tests/Fuzz/CodecFuzz.swift \
        "$FUZZ_DIR"/obj/*.o -lprotobuf-c -o "$FUZZ_DIR/codec-fuzz"
}

# ---------------------------------------------------------------------------------------------
# Frame: NIOCore and its dependencies from .build/checkouts (ASan, no coverage), NoProofCodec as
# a module, then NoProofProtocol + FrameFuzz.swift as one module (so `package` API is visible).
# ---------------------------------------------------------------------------------------------
CHECKOUTS="$ROOT/.build/checkouts"
NIO="$FUZZ_DIR/nio"

# c_module NAME SRC_DIR: compiles SRC_DIR's C files, writes a module map for its include/ folder.
c_module() {
    local name="$1" dir="$2" f
    mkdir -p "$NIO/maps/$name"
    if [[ -f "$dir/include/module.modulemap" ]]; then
        cp "$dir/include/module.modulemap" "$NIO/maps/$name/module.modulemap"
        sed -i "s#header \"#header \"$dir/include/#; s#umbrella \"#umbrella \"$dir/include/#" "$NIO/maps/$name/module.modulemap"
    else
        printf 'module %s {\n    umbrella "%s/include"\n    export *\n}\n' "$name" "$dir" > "$NIO/maps/$name/module.modulemap"
    fi
    while IFS= read -r f; do
        "$CLANG" -fsanitize=address -g -O1 -fPIC -D_GNU_SOURCE -I "$dir/include" -c "$f" \
            -o "$NIO/obj-$name-$(basename "$f" .c).o"
    done < <(find "$dir" -name '*.c')
}

# swift_module NAME SRC_DIR [extra swiftc flags...]: an ASan object + .swiftmodule in $NIO.
swift_module() {
    local name="$1" dir="$2" sources; shift 2
    mapfile -t sources < <(find "$dir" -name '*.swift' | sort)
    "$SWIFTC" -sanitize=address -parse-as-library -O -g -module-name "$name" \
        -emit-module -emit-module-path "$NIO/$name.swiftmodule" -wmo \
        -I "$NIO" $(for m in "$NIO"/maps/*/; do printf -- '-Xcc -fmodule-map-file=%smodule.modulemap ' "$m"; done) \
        "$@" -c "${sources[@]}" -o "$NIO/$name.o"
}

# What the cached NIOCore was built from: the checkouts' path (the module maps name it) and each
# checkout's revision. A cache built from another checkout, or another version, is rebuilt.
nio_stamp() {
    local d
    echo "$CHECKOUTS"
    for d in swift-nio swift-collections swift-atomics; do
        printf '%s %s\n' "$d" "$(git -C "$CHECKOUTS/$d" rev-parse HEAD 2>/dev/null || echo unknown)"
    done
}

build_nio() {
    [[ -d "$CHECKOUTS/swift-nio" ]] || { echo "no $CHECKOUTS/swift-nio: run 'swift package resolve' first" >&2; return 1; }
    local stamp; stamp="$(nio_stamp)"
    [[ -f "$NIO/NIOCore.swiftmodule" && -f "$NIO/.done" && "$(cat "$NIO/.done")" == "$stamp" ]] && return 0
    echo "== building NIOCore (once; cached in $NIO)"
    rm -rf "$NIO"; mkdir -p "$NIO/maps"
    local nio="$CHECKOUTS/swift-nio/Sources" col="$CHECKOUTS/swift-collections/Sources" at="$CHECKOUTS/swift-atomics/Sources"
    local m
    for m in CNIOAtomics CNIOLinux CNIODarwin CNIOWindows CNIOWASI CNIOOpenBSD CNIOFreeBSD; do c_module "$m" "$nio/$m"; done
    c_module _AtomicsShims "$at/_AtomicsShims"
    local colflags=(-package-name swift_collections -enable-upcoming-feature MemberImportVisibility -enable-experimental-feature BuiltinModule
        -enable-experimental-feature Lifetimes -enable-experimental-feature InoutLifetimeDependence
        -enable-experimental-feature AddressableParameters -enable-experimental-feature AddressableTypes
        -D COLLECTIONS_RANDOMIZED_TESTING)
    local v
    for v in "5.0" "5.1" "5.6" "5.7" "5.8" "5.9" "5.10" "6.0" "6.1" "6.2" "6.3" "6.4" "6.5"; do
        colflags+=(-enable-experimental-feature "AvailabilityMacro=SwiftStdlib $v:macOS 9999")
    done
    swift_module InternalCollectionsUtilities "$col/InternalCollectionsUtilities" "${colflags[@]}"
    swift_module ContainersPreview "$col/ContainersPreview" "${colflags[@]}"
    swift_module DequeModule "$col/DequeModule" "${colflags[@]}"
    swift_module Atomics "$at/Atomics" -package-name swift_atomics -enable-experimental-feature BuiltinModule
    local nioflags=(-package-name swift_nio -enable-experimental-feature Lifetimes)
    swift_module NIOConcurrencyHelpers "$nio/NIOConcurrencyHelpers" "${nioflags[@]}"
    swift_module _NIODataStructures "$nio/_NIODataStructures" "${nioflags[@]}"
    swift_module _NIOBase64 "$nio/_NIOBase64" "${nioflags[@]}"
    swift_module NIOCore "$nio/NIOCore" "${nioflags[@]}"
    printf '%s\n' "$stamp" > "$NIO/.done"
}

build_frame_target() {
    build_nio
    echo "== building frame-fuzz"
    local mods="$FUZZ_DIR/swiftmods"; mkdir -p "$mods"
    "$SWIFTC" -sanitize=fuzzer,address -parse-as-library -O -g -module-name NoProofCodec -package-name NoProof "${STRICT[@]}" \
        "${CODEC_IMPORTS[@]}" -emit-module -emit-module-path "$mods/NoProofCodec.swiftmodule" -wmo \
        -c $(find Sources/NoProofCodec -name '*.swift' | sort) -o "$mods/NoProofCodec.o"
    "$SWIFTC" -sanitize=fuzzer,address -parse-as-library -O -g "${LD[@]}" \
        -module-name NoProofProtocol -package-name NoProof "${STRICT[@]}" "${CODEC_IMPORTS[@]}" -I "$mods" -I "$NIO" \
        $(for m in "$NIO"/maps/*/; do printf -- '-Xcc -fmodule-map-file=%smodule.modulemap ' "$m"; done) \
        $(find Sources/NoProofProtocol -name '*.swift' | sort) Tests/Fuzz/FrameFuzz.swift \
        "$mods/NoProofCodec.o" "$NIO"/*.o "$FUZZ_DIR"/obj/*.o -lprotobuf-c -o "$FUZZ_DIR/frame-fuzz"
}

# Rebuild a target only when a source it is built from is newer than the binary.
stale() {
    local bin="$FUZZ_DIR/$1-fuzz"; shift
    [[ ! -x "$bin" || "${REBUILD:-0}" == 1 ]] && return 0
    [[ -n "$(find "$@" "$ROOT/scripts/fuzz.sh" -newer "$bin" -print -quit 2>/dev/null)" ]]
}
CODEC_SOURCES=(Sources/CNoProofProtos Sources/NoProofCodec Sources/NoProofMessages Tests/Fuzz/CodecFuzz.swift)
FRAME_SOURCES=("${CODEC_SOURCES[@]}" Sources/NoProofProtocol Tests/Fuzz/FrameFuzz.swift)

build_codec_c
for t in $TARGETS; do
    case "$t" in
        codec) if stale codec "${CODEC_SOURCES[@]}"; then build_codec_target; fi ;;
        frame) if stale frame "${FRAME_SOURCES[@]}"; then build_frame_target; fi ;;
        *) echo "unknown target: $t" >&2; exit 2 ;;
    esac
done

[[ "$BUILD_ONLY" == 1 ]] && { echo "built: $(for t in $TARGETS; do printf '%s ' "$FUZZ_DIR/$t-fuzz"; done)"; exit 0; }

# ---------------------------------------------------------------------------------------------
# Run: regressions first (must all pass), then the corpus.
# ---------------------------------------------------------------------------------------------
status=0
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
for t in $TARGETS; do
    bin="$FUZZ_DIR/$t-fuzz"
    corpus="$ROOT/Tests/Fuzz/corpus/$t"
    regressions="$ROOT/Tests/Fuzz/regressions/$t"
    art="$FUZZ_DIR/artifacts/$t"; mkdir -p "$art" "$corpus"
    if compgen -G "$regressions/*" > /dev/null; then
        echo "== $t: replaying $(ls "$regressions" | wc -l) regression input(s)"
        if ! "$bin" -artifact_prefix="$art/" "$regressions"/* > "$FUZZ_DIR/$t-regressions.log" 2>&1; then
            echo "!! $t: a regression input fails again; see $FUZZ_DIR/$t-regressions.log" >&2
            tail -40 "$FUZZ_DIR/$t-regressions.log" >&2
            status=1
        fi
    fi
    # Fuzz into a scratch copy so a short run never rewrites the committed corpus.
    work="$FUZZ_DIR/corpus-$t"; rm -rf "$work"; mkdir -p "$work"; cp "$corpus"/* "$work"/ 2>/dev/null || true
    limit=(-runs="$RUNS"); [[ -n "$TIME" ]] && limit=(-max_total_time="$TIME")
    echo "== $t: fuzzing (${limit[*]}) from $(ls "$corpus" | wc -l) corpus file(s)"
    log="$FUZZ_DIR/$t.log"
    start=$(date +%s%N)
    if "$bin" "${limit[@]}" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$art/" "$work" > "$log" 2>&1; then
        ms=$(( ($(date +%s%N) - start) / 1000000 ))
        grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$log" | tail -2 || true
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "   $t: $execs executions in ${ms} ms ($(( execs * 1000 / (ms > 0 ? ms : 1) )) exec/s incl. start-up), peak RSS $(sed -n 's/^stat::peak_rss_mb: *//p' "$log") MB"
    else
        status=1
        echo "!! $t: libFuzzer reported a failure; log: $log" >&2
        grep -A40 -E '^==[0-9]+==ERROR|Fatal error|SUMMARY' "$log" | head -80 >&2 || tail -60 "$log" >&2
        for f in "$art"/*; do
            if [[ -e "$f" ]]; then echo "!! saved input: $f (see docs/FUZZING.md: copy it to Tests/Fuzz/regressions/$t/)" >&2; fi
        done
    fi
    if [[ "$GROW" == 1 && "$status" == 0 ]]; then
        # Candidates: a set-cover merge of the committed corpus and what this run found; then a
        # greedy pick by coverage edges, capped so the committed corpus stays small.
        cap="${CORPUS_MAX:-$([[ "$t" == codec ]] && echo 150 || echo 45)}"
        all="$FUZZ_DIR/grow-$t"; rm -rf "$all" "$all.empty" "$all.ctl"; mkdir -p "$all" "$all.empty"
        "$bin" -merge=1 -set_cover_merge=1 "$all" "$corpus" "$work" > "$FUZZ_DIR/$t-merge.log" 2>&1
        "$bin" -merge=1 -merge_control_file="$all.ctl" "$all.empty" "$all" >> "$FUZZ_DIR/$t-merge.log" 2>&1
        python3 "$ROOT/Tests/Fuzz/trim-corpus.py" "$all.ctl" "$corpus" "$cap"
        echo "== $t: corpus now $(ls "$corpus" | wc -l) files, $(cat "$corpus"/* | wc -c) bytes"
    fi
done
exit $status
