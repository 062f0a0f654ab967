import NIOCore
import NoProofCodec
import Testing
@testable import NoProofProtocol

/// A CALL frame is decoded once: the header by protobuf-c, the request handed on as a slice.
@Suite("CallFrame")
struct CallFrameTests {
    static let header = CallHeader(
        method: "/noproof.v1.Licence/Lookup", methodID: 7, timeoutMicros: 250_000,
        metadata: ["staff": "clerk-1", "trace": "abc"], payload: Array(0..<200).map { UInt8($0) })

    /// The frame payload with `prefix` bytes before it in the buffer (a frame's own header, say).
    static func buffer(_ bytes: [UInt8], prefix: Int = 10) -> ByteBuffer {
        var buffer = ByteBuffer(bytes: [UInt8](repeating: 0xEE, count: prefix) + bytes)
        buffer.moveReaderIndex(forwardBy: prefix)
        return buffer
    }

    @Test func theRequestIsASliceOfTheFrameNotACopy() throws {
        let payload = Self.buffer(ProtoCodec.encode(Self.header))
        let call = try CallFrame(decoding: payload)
        var expected = Self.header
        expected.payload = []
        #expect(call.header == expected)
        #expect(Array(call.request.readableBytesView) == Self.header.payload)
        // Same memory: the request's bytes lie inside the frame's, at the end.
        let frameEnd = payload.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress!) + UInt($0.count) }
        let requestStart = call.request.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress!) }
        #expect(requestStart == frameEnd - UInt(Self.header.payload.count))
    }

    @Test func anEmptyRequestDecodesToNoBytes() throws {
        let call = try CallFrame(decoding: Self.buffer(ProtoCodec.encode(CallHeader(method: "/noproof.v1.Health/Check"))))
        #expect(call.header.method == "/noproof.v1.Health/Check")
        #expect(call.request.readableBytes == 0)
    }

    /// Field 5 before other fields, or twice: protobuf-c decodes the whole header, same answer.
    @Test func otherLayoutsDecodeAsProtobufCDoes() throws {
        let request: [UInt8] = [0x08, 0x01]
        // payload (5) first, then method_id (2) = 9.
        let payloadFirst: [UInt8] = [0x2A, 0x02] + request + [0x10, 0x09]
        var first = try CallFrame(decoding: Self.buffer(payloadFirst))
        #expect(first.header.methodID == 9)
        #expect(Array(first.request.readableBytesView) == request)
        // Twice: the last one wins (proto3), as protobuf-c has it.
        let twice: [UInt8] = [0x10, 0x09, 0x2A, 0x01, 0xFF] + [0x2A, 0x02] + request
        first = try CallFrame(decoding: Self.buffer(twice))
        let whole = try ProtoCodec.decode(CallHeader.self, from: twice)
        #expect(Array(first.request.readableBytesView) == whole.payload)
        #expect(first.header.methodID == whole.methodID)
    }

    /// A bad header is refused with protobuf-c's error, wherever the request field is.
    @Test func aBadHeaderFailsWithTheCodecError() throws {
        let cases: [[UInt8]] = [
            [0x0A, 0x7F, 0x01],  // method: length past the end
            [0x0A, 0x02, 0xC3, 0x28, 0x2A, 0x01, 0x00],  // method: invalid UTF-8, then a request
            [0x0A, 0x02, 0x61, 0x00, 0x2A, 0x01, 0x00],  // method: embedded NUL, then a request
            [0x2A, 0x05, 0x01],  // request: length past the end
        ]
        for bytes in cases {
            let expected = #expect(throws: CodecError.self) { try ProtoCodec.decode(CallHeader.self, from: bytes) }
            let got = #expect(throws: CodecError.self) { try CallFrame(decoding: Self.buffer(bytes)) }
            #expect(got == expected, "\(bytes)")
        }
    }
}
