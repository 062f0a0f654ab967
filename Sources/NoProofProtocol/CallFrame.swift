package import NIOCore
package import NoProofCodec

/// A CALL frame's payload decoded once: the `CallHeader` (method, deadline, metadata; its
/// `payload` left empty) and the request bytes as a slice of the frame's buffer, not a copy.
///
/// The request is the header's field 5 (`bytes payload`). Every encoder we know of (protobuf-c,
/// our client) writes it last, so the header is the bytes before it: a walk over the top-level
/// fields finds where field 5 starts, protobuf-c decodes (and validates) only what precedes it,
/// and the request is handed on untouched, to be decoded once, as the method's request type.
/// Anything else (field 5 twice, fields after it, an encoding the walk cannot follow) is decoded
/// whole by protobuf-c, as before: same result and same errors, with one copy of the request.
package struct CallFrame: Sendable {
    package var header: CallHeader
    package var request: ByteBuffer

    package init(header: CallHeader, request: ByteBuffer) {
        self.header = header
        self.request = request
    }

    /// Decodes a CALL frame's payload (its readable bytes).
    package init(decoding payload: ByteBuffer) throws(CodecError) {
        let split: (headerEnd: Int, requestStart: Int, requestLength: Int)? = payload.withUnsafeReadableBytes { Self.locateRequest(in: $0) }
        guard let split else {
            var header = try payload.readableProto(as: CallHeader.self)
            request = header.payload.isEmpty ? ByteBuffer() : ByteBuffer(bytes: header.payload)
            header.payload = []
            self.header = header
            return
        }
        let result: Result<CallHeader, CodecError> = payload.withUnsafeReadableBytes { raw in
            do throws(CodecError) {
                return .success(try ProtoCodec.decode(CallHeader.self, from: UnsafeRawBufferPointer(rebasing: raw[..<split.headerEnd])))
            } catch { return .failure(error) }
        }
        header = try result.get()
        request = payload.getSlice(at: payload.readerIndex + split.requestStart, length: split.requestLength)!
    }

    /// Where the request (field 5, length-delimited) starts, if it occurs once and is the last
    /// field: `headerEnd` is the offset of its tag. Nil when absent, repeated, not last, or when
    /// the walk meets anything it does not follow (protobuf-c then decides).
    static func locateRequest(in bytes: UnsafeRawBufferPointer) -> (headerEnd: Int, requestStart: Int, requestLength: Int)? {
        var found: (headerEnd: Int, requestStart: Int, requestLength: Int)?
        let walked = ProtoWire.walk(bytes) { field in
            // A field after the request: not the layout this path takes.
            if found != nil { return false }
            if field.number == 5 {
                guard field.wireType == 2 else { return false }
                found = (field.start, field.value.lowerBound, field.value.count)
            }
            return true
        }
        return walked ? found : nil
    }
}
