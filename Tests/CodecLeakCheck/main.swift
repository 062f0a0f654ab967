// Exercises every codec path (encode, decode, refusals) many times so that valgrind can check
// the C memory the codec manages: run by scripts/leak-check.sh; any leak or invalid access fails.
import NoProofCodec

let header = CallHeader(
    method: "/noproof.v1.Health/Check", methodID: 1, timeoutMicros: 5,
    metadata: ["staff": "agent-1", "purpose": "核验"], payload: [1, 2, 3])
let listing = ListMethodsResponse(methods: [
    MethodInfo(path: "/a.B/C", id: 1, kind: .unary, requestType: "x", responseType: "y", requiresAuthentication: true)
])
let malformed: [[UInt8]] = [
    [0x0A, 0x05, 0x61], [0x0B], [0x22, 0x06, 0x0A, 0x01, 0x6B, 0x12, 0x01, 0xFF],
    [0x0A, 0x03, 0x61, 0x00, 0x62], [0x22, 0x02, 0x0A, 0x05],
]
var refused = 0
for _ in 0..<2_000 {
    precondition(try! ProtoCodec.decode(CallHeader.self, from: ProtoCodec.encode(header)) == header)
    precondition(try! ProtoCodec.decode(ListMethodsResponse.self, from: ProtoCodec.encode(listing)) == listing)
    for bytes in malformed {
        do { _ = try ProtoCodec.decode(CallHeader.self, from: bytes) } catch { refused += 1 }
    }
}
precondition(refused == 2_000 * malformed.count, "every malformed input must be refused")
print("codec-leak-check: \(2_000 * 2) round trips, \(refused) refusals")

// Self-test of the checker: with NOPROOF_LEAK_SELFTEST=1 leak on purpose, so that
// scripts/leak-check.sh can prove valgrind would catch a real leak.
import Foundation
if ProcessInfo.processInfo.environment["NOPROOF_LEAK_SELFTEST"] == "1" {
    var leaked = malloc(64)
    leaked = nil
    _ = leaked
}
