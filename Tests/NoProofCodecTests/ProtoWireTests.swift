import Testing
@testable import NoProofCodec

/// The field walk that `CallFrame` and the import row count use instead of decoding.
@Suite struct ProtoWireTests {
    /// field 1 varint 150; field 2 "hi"; field 3 fixed32; field 4 fixed64; field 5 "abc".
    static let message: [UInt8] = [
        0x08, 0x96, 0x01, 0x12, 0x02, 0x68, 0x69, 0x1D, 1, 2, 3, 4,
        0x21, 1, 2, 3, 4, 5, 6, 7, 8, 0x2A, 0x03, 0x61, 0x62, 0x63,
    ]

    @Test func everyTopLevelFieldWithWhereItsValueLies() {
        var seen: [(UInt64, UInt64, Int, Range<Int>)] = []
        #expect(
            ProtoWire.walk(Self.message) {
                seen.append(($0.number, $0.wireType, $0.start, $0.value)); return true
            })
        #expect(seen.map(\.0) == [1, 2, 3, 4, 5])
        #expect(seen.map(\.1) == [0, 2, 5, 1, 2])
        #expect(seen.map(\.2) == [0, 3, 7, 12, 21])
        #expect(seen.map(\.3) == [1..<3, 5..<7, 8..<12, 13..<21, 23..<26])
    }

    @Test func malformedBytesAndAStoppedWalkReturnFalse() {
        #expect(ProtoWire.walk([]) { _ in true }, "an empty message is well formed")
        #expect(!ProtoWire.walk([0x12, 0x05, 0x61]) { _ in true }, "length past the end")
        #expect(!ProtoWire.walk([0x08]) { _ in true }, "truncated varint")
        #expect(!ProtoWire.walk([0x1D, 1, 2]) { _ in true }, "truncated fixed32")
        #expect(!ProtoWire.walk([0x00, 0x01]) { _ in true }, "field number 0")
        #expect(!ProtoWire.walk([0x0B]) { _ in true }, "a group")
        #expect(!ProtoWire.walk([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]) { _ in true }, "a tag beyond 32 bits")
        var visited = 0
        #expect(
            !ProtoWire.walk(Self.message) { _ in
                visited += 1; return visited < 2
            })
        #expect(visited == 2)
    }
}
