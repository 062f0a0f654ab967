#!/usr/bin/env bash
# Regenerates the swift-protobuf messages and the grpc-swift-2 stubs of the gRPC baseline into
# Sources/LicencesGRPC from ../Protos/licences.proto (NoProof's own messages) and
# Protos/licences_service.proto (the Licences service).
#
# Needs protoc (Debian: protobuf-compiler). The two plugins are built from the packages this
# package depends on, in a scratch folder (.build-plugins) kept out of git: the first build takes
# a few minutes. Set PROTOC_GEN_SWIFT / PROTOC_GEN_GRPC_SWIFT to use plugins you already have.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
out="Sources/LicencesGRPC"

if [[ -z "${PROTOC_GEN_SWIFT:-}" || -z "${PROTOC_GEN_GRPC_SWIFT:-}" ]]; then
  swift package resolve >/dev/null
  swift build --scratch-path .build-plugins --package-path .build/checkouts/grpc-swift-protobuf \
    --product protoc-gen-grpc-swift-2 >&2
  swift build --scratch-path .build-plugins --package-path .build/checkouts/grpc-swift-protobuf \
    --product protoc-gen-swift >&2
  bin="$(swift build --scratch-path .build-plugins --package-path .build/checkouts/grpc-swift-protobuf --show-bin-path)"
  PROTOC_GEN_SWIFT="$bin/protoc-gen-swift"
  PROTOC_GEN_GRPC_SWIFT="$bin/protoc-gen-grpc-swift-2"
fi

mkdir -p "$out"
protoc -I ../Protos -I Protos \
  --plugin=protoc-gen-swift="$PROTOC_GEN_SWIFT" \
  --swift_out="$out" --swift_opt=Visibility=Public \
  licences.proto
protoc -I ../Protos -I Protos \
  --plugin=protoc-gen-swift="$PROTOC_GEN_SWIFT" \
  --plugin=protoc-gen-grpc-swift-2="$PROTOC_GEN_GRPC_SWIFT" \
  --swift_out="$out" --swift_opt=Visibility=Public \
  --grpc-swift-2_out="$out" --grpc-swift-2_opt=Visibility=Public,Client=true,Server=true \
  licences_service.proto
echo "generated: $(ls "$out" | tr '\n' ' ')"
