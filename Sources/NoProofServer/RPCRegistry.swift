import NIOCore
package import NoProofCodec
package import NoProofProtocol

/// The methods a server offers and their implementations, type-erased to bytes in, frames out.
/// The request bytes an implementation gets are a slice of the CALL frame's buffer (`CallFrame`):
/// decoded once, as the method's request type, never copied on the way.
package struct RPCRegistry: Sendable {
    /// A finished answer: the bytes of the MESSAGE frame(s) to write for the call.
    typealias Answer = ByteBuffer

    enum Implementation: Sendable {
        /// Runs on the event loop, for work that never blocks (cache lookups, listings).
        case inline(@Sendable (_ request: ByteBuffer, _ context: CallContext, _ allocator: ByteBufferAllocator) throws -> Answer)
        /// Starts on the event loop and answers later, from any thread, through the completion
        /// (e.g. after a batched durable write), without a task per call.
        case callback(
            @Sendable (
                _ request: ByteBuffer, _ context: CallContext, _ allocator: ByteBufferAllocator,
                _ complete: @escaping @Sendable (Result<Answer, Error>) -> Void
            ) -> Void)
        /// Runs in a task.
        case unary(@Sendable (_ request: ByteBuffer, _ context: CallContext, _ allocator: ByteBufferAllocator) async throws -> Answer)
        /// Runs in a task and sends any number of messages before its STATUS.
        case serverStreaming(@Sendable (_ request: ByteBuffer, _ context: CallContext, _ sink: StreamSink) async throws -> Void)
    }

    package private(set) var methods = MethodTable()
    var implementations: [UInt32: Implementation] = [:]
    /// The methods whose calls carry `CallStamps` (the per-stage latency breakdown, `StageLatencies`).
    package private(set) var staged: Set<UInt32> = []

    package init() {}

    /// A unary method answered on the event loop. `body` must not block or wait.
    package mutating func inline<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: MethodDescriptor, _ request: Request.Type, _ response: Response.Type,
        _ body: @escaping @Sendable (Request, CallContext) throws -> Response
    ) {
        add(
            method,
            .inline { bytes, context, allocator in
                let answer = try body(try Self.admit(Self.decode(Request.self, from: bytes), context), context)
                return Self.encodeFinal(answer, callID: context.callID, allocator: allocator)
            })
    }

    /// A unary method that starts on the event loop and answers through `respond`, which may be
    /// called from any thread, exactly once. `body` must not block. A thrown error answers at once.
    /// `stages`: its calls carry `CallStamps` (`context.stamps`), marked here once the request is
    /// decoded, by the method at its own hand-offs and by the server once the answer is written.
    package mutating func callback<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: MethodDescriptor, _ request: Request.Type, _ response: Response.Type, stages: Bool = false,
        _ body: @escaping @Sendable (Request, CallContext, _ respond: @escaping @Sendable (Result<Response, Error>) -> Void) throws -> Void
    ) {
        if stages { staged.insert(method.id) }
        add(
            method,
            .callback { bytes, context, allocator, complete in
                do {
                    let decoded = try Self.decode(Request.self, from: bytes)
                    context.stamps?.mark(.decoded)
                    try body(try Self.admit(decoded, context), context) { result in
                        complete(result.map { Self.encodeFinal($0, callID: context.callID, allocator: allocator) })
                    }
                } catch {
                    complete(.failure(error))
                }
            })
    }

    /// A unary method run in its own task (may await storage, other services...). `beforeDecoding`
    /// sees the encoded request first and may refuse it (who may call, how large) before any of it
    /// is decoded.
    package mutating func unary<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: MethodDescriptor, _ request: Request.Type, _ response: Response.Type,
        beforeDecoding: (@Sendable (_ request: [UInt8], CallContext) throws -> Void)? = nil,
        _ body: @escaping @Sendable (Request, CallContext) async throws -> Response
    ) {
        add(
            method,
            .unary { bytes, context, allocator in
                // The only copy of a request, for the few methods that look at the bytes first (imports).
                if let beforeDecoding { try beforeDecoding(Array(bytes.readableBytesView), context) }
                let answer = try await body(try Self.admit(Self.decode(Request.self, from: bytes), context), context)
                return Self.encodeFinal(answer, callID: context.callID, allocator: allocator)
            })
    }

    /// A server-streaming method: `body` sends messages through the writer, then returns (OK) or throws.
    package mutating func serverStreaming<Request: ProtoMessage, Response: ProtoMessage>(
        _ method: MethodDescriptor, _ request: Request.Type, _ response: Response.Type,
        _ body: @escaping @Sendable (Request, CallContext, ServerStreamWriter<Response>) async throws -> Void
    ) {
        precondition(method.kind == .serverStreaming, "\(method.path) is not declared server-streaming")
        add(
            method,
            .serverStreaming { bytes, context, sink in
                try await body(try Self.admit(Self.decode(Request.self, from: bytes), context), context, ServerStreamWriter(sink: sink))
            })
    }

    func implementation(for id: UInt32) -> Implementation? { implementations[id] }

    /// The decoded request if its strings are within their documented lengths (`FieldLimits`):
    /// the `staff` metadata entry and, for a `LengthLimitedRequest`, every capped field. Runs
    /// before the method, so an oversized value never reaches the audit trail or a store.
    static func admit<Request>(_ request: Request, _ context: CallContext) throws(RPCError) -> Request {
        if let staff = context.staff { try FieldLimits.check(staff, "staff", max: FieldLimits.staff) }
        if let limited = request as? any LengthLimitedRequest { try limited.checkLengths() }
        return request
    }

    private mutating func add(_ method: MethodDescriptor, _ implementation: Implementation) {
        methods.add(method)
        implementations[method.id] = implementation
    }

    /// Decodes the request bytes (a slice of the CALL frame) in place.
    static func decode<Request: ProtoMessage>(_ type: Request.Type, from bytes: ByteBuffer) throws -> Request {
        try bytes.withUnsafeReadableBytes { raw in try Request.unpacked(from: raw) }
    }

    static func encodeFinal<M: ProtoMessage>(_ message: M, callID: UInt32, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 64)
        buffer.writeFrame(type: .message, flags: FrameFlags.endOK, callID: callID, message: message)
        return buffer
    }
}
