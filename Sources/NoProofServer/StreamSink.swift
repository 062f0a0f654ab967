import NIOCore

/// Where a streaming call's messages go: the connection handler, on its event loop.
/// Each send completes when the frame has been written to the socket, which is what
/// keeps a slow reader from making the server buffer without bound.
struct StreamSink: Sendable {
    let callID: UInt32
    let allocator: ByteBufferAllocator
    private let handler: NIOLoopBound<ServerConnectionHandler>

    init(callID: UInt32, allocator: ByteBufferAllocator, handler: NIOLoopBound<ServerConnectionHandler>) {
        self.callID = callID
        self.allocator = allocator
        self.handler = handler
    }

    func send(_ frame: ByteBuffer) async throws {
        let handler = self.handler
        let callID = self.callID
        try await handler.eventLoop.flatSubmit {
            handler.value.writeStreamFrame(frame, callID: callID)
        }.get()
    }
}
