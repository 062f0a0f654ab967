package import NIOCore
package import NoProofCodec
import NoProofProtocol

/// A unary call encoded once — method, metadata, server-side deadline and request, as the
/// `CallHeader` a CALL frame carries — so that a load generator can start it many times with
/// `NoProofClient.startUnary` without encoding anything per call (the call id lives in the frame
/// header, not here).
package struct EncodedCall: Sendable {
    /// The encoded `CallHeader`.
    package let header: ByteBuffer

    /// - Parameter deadline: what the server is told (`timeout_micros`); nil = no deadline.
    package init<Request: ProtoMessage>(_ method: MethodAddress, request: Request, metadata: Metadata = [:], deadline: Duration? = nil) {
        self.init(method, payload: ProtoCodec.encode(request), metadata: metadata, deadline: deadline)
    }

    /// - Parameter payload: the request message's bytes.
    package init(_ method: MethodAddress, payload: [UInt8], metadata: Metadata = [:], deadline: Duration? = nil) {
        var header = CallHeader(metadata: metadata, payload: payload)
        switch method {
        case .path(let path): header.method = path
        case .id(let id): header.methodID = id
        }
        if let deadline {
            header.timeoutMicros = UInt64(max(1, NoProofClient.timeAmount(deadline).nanoseconds / 1000))
        }
        let bytes = ProtoCodec.encode(header)
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        self.header = buffer
    }
}
