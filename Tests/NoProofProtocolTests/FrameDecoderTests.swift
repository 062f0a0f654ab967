import Foundation
import NIOCore
import NIOTestUtils
import NoProofCodec
import Testing
@testable import NoProofProtocol

/// Wraps FrameDecoder as a ByteToMessageDecoder so NIO's verifier can drive it with every
/// split of the input (byte by byte, in chunks, all at once).
struct FrameByteToMessageDecoder: ByteToMessageDecoder {
    typealias InboundOut = Frame
    let decoder: FrameDecoder

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try decoder.decode(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}

@Suite("FrameDecoder")
struct FrameDecoderTests {
    func frame(_ type: FrameType, flags: UInt8 = 0, callID: UInt32, _ payload: [UInt8]) -> Frame {
        Frame(type: type, flags: flags, callID: callID, payload: ByteBuffer(bytes: payload))
    }

    func bytes(_ frames: [Frame]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for f in frames { buffer.writeFrame(type: f.type, flags: f.flags, callID: f.callID, payload: f.payload) }
        return buffer
    }

    func error(from decoder: inout FrameDecoder) -> ProtocolError? {
        do {
            _ = try decoder.next()
            return nil
        } catch {
            return error
        }
    }

    @Test func headerLayoutIsBigEndianTenBytes() {
        var buffer = ByteBuffer()
        buffer.writeFrame(type: .call, flags: 0x01, callID: 0x0102_0304, payload: ByteBuffer(bytes: [0xAA, 0xBB]))
        #expect(Array(buffer.readableBytesView) == [0, 0, 0, 2, 0x01, 0x01, 1, 2, 3, 4, 0xAA, 0xBB])
    }

    @Test func decodesUnderEverySplitOfTheInput() throws {
        let frames = [
            frame(.call, callID: 1, [1, 2, 3]),
            frame(.ping, callID: 0, [0, 1, 2, 3, 4, 5, 6, 7]),
            frame(.cancel, callID: 1, []),
            frame(.message, flags: FrameFlags.endOK, callID: 9, Array(repeating: 7, count: 300)),
        ]
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(bytes(frames), frames), (bytes([frames[0]]), [frames[0]])],
            decoderFactory: { FrameByteToMessageDecoder(decoder: FrameDecoder(maxPayload: 1024)) }
        )
    }

    @Test func oversizeFrameIsRefusedFromItsHeaderAlone() {
        var decoder = FrameDecoder(maxPayload: 1024)
        var header = ByteBuffer()
        header.writeFrameHeader(type: .call, callID: 1, length: 1025)
        decoder.append(header)
        #expect(error(from: &decoder) == .frameTooLarge(length: 1025, limit: 1024))
        #expect(ProtocolError.frameTooLarge(length: 1025, limit: 1024).status.code == .resourceExhausted)
    }

    @Test func frameAtTheLimitIsAccepted() throws {
        var decoder = FrameDecoder(maxPayload: 16)
        decoder.append(bytes([frame(.call, callID: 1, Array(repeating: 1, count: 16))]))
        #expect(try decoder.next()?.payload.readableBytes == 16)
    }

    @Test func unknownFrameTypeIsRefused() {
        var decoder = FrameDecoder()
        decoder.append(ByteBuffer(bytes: [0, 0, 0, 0, 0x7F, 0, 0, 0, 0, 1]))
        #expect(error(from: &decoder) == .unknownFrameType(0x7F))
    }

    @Test func truncationIsReportedWithWhatWasMissing() throws {
        var decoder = FrameDecoder()
        #expect(decoder.truncation() == nil)
        decoder.append(ByteBuffer(bytes: [0, 0, 0, 5, 0x01, 0, 0, 0, 0, 1, 0xAA]))
        #expect(try decoder.next() == nil)
        #expect(decoder.truncation() == .truncatedFrame(have: 11, need: 15))
        var partialHeader = FrameDecoder()
        partialHeader.append(ByteBuffer(bytes: [0, 0]))
        #expect(partialHeader.truncation() == .truncatedFrame(have: 2, need: 10))
    }
}

@Suite("docs/PROTOCOL.md examples")
struct ProtocolDocumentExampleTests {
    @Test func healthCheckCallBytesMatchTheDocument() {
        var buffer = ByteBuffer()
        buffer.writeFrame(type: .call, callID: 1, message: CallHeader(method: "/noproof.v1.Health/Check"))
        let hex = buffer.readableBytesView.map { String(format: "%02x", $0) }.joined(separator: " ")
        #expect(hex == "00 00 00 1a 01 00 00 00 00 01 0a 18 2f 6e 6f 70 72 6f 6f 66 2e 76 31 2e 48 65 61 6c 74 68 2f 43 68 65 63 6b")
    }

    @Test func listMethodsByIDBytesMatchTheDocument() {
        var buffer = ByteBuffer()
        buffer.writeFrame(type: .call, callID: 2, message: CallHeader(methodID: 2))
        #expect(Array(buffer.readableBytesView) == [0, 0, 0, 2, 1, 0, 0, 0, 0, 2, 0x10, 0x02])
    }
}
