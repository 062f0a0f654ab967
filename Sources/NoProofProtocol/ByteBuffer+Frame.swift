import NIOCore
import NoProofCodec

extension ByteBuffer {
    /// Writes a frame header; `length` is the payload length that follows.
    package mutating func writeFrameHeader(type: FrameType, flags: UInt8 = 0, callID: UInt32, length: Int) {
        writeInteger(UInt32(length))
        writeInteger(type.rawValue)
        writeInteger(flags)
        writeInteger(callID)
    }

    /// Writes a whole frame whose payload is `payload`'s readable bytes.
    package mutating func writeFrame(type: FrameType, flags: UInt8 = 0, callID: UInt32, payload: ByteBuffer) {
        writeFrameHeader(type: type, flags: flags, callID: callID, length: payload.readableBytes)
        writeImmutableBuffer(payload)
    }

    /// Writes a whole frame whose payload is `message`, packed by protobuf-c straight into this buffer.
    package mutating func writeFrame<M: ProtoMessage>(type: FrameType, flags: UInt8 = 0, callID: UInt32, message: M) {
        ProtoCodec.withPacker(message) { size, pack in
            writeFrameHeader(type: type, flags: flags, callID: callID, length: size)
            if size > 0 {
                writeWithUnsafeMutableBytes(minimumWritableBytes: size) { raw in
                    pack(raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
    }

    /// Decodes the readable bytes as `M`.
    package func readableProto<M: ProtoMessage>(as type: M.Type) throws(CodecError) -> M {
        let result: Result<M, CodecError> = withUnsafeReadableBytes { raw in
            do throws(CodecError) { return .success(try ProtoCodec.decode(type, from: raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
