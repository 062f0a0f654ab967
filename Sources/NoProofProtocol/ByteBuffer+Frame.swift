package import NIOCore
package import NoProofCodec

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

    /// Writes a whole frame whose payload is `message`, packed by protobuf-c straight into this buffer
    /// in one pass: the header's length is filled in once the packed size is known.
    package mutating func writeFrame<M: ProtoMessage>(type: FrameType, flags: UInt8 = 0, callID: UInt32, message: M) {
        ProtoCodec.withPacker(message) { bound, pack in
            let lengthIndex = writerIndex
            writeFrameHeader(type: type, flags: flags, callID: callID, length: 0)
            let size = writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { raw in
                pack(raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            setInteger(UInt32(size), at: lengthIndex)
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
