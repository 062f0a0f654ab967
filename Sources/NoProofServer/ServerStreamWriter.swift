import NIOCore
package import NoProofCodec
import NoProofProtocol

/// Sends the messages of a server-streaming call. `send` waits until the message is written,
/// and throws CancellationError once the call is cancelled, past its deadline or disconnected.
package struct ServerStreamWriter<Response: ProtoMessage>: Sendable {
    let sink: StreamSink

    package func send(_ message: Response) async throws {
        try Task.checkCancellation()
        var buffer = sink.allocator.buffer(capacity: 64)
        buffer.writeFrame(type: .message, callID: sink.callID, message: message)
        try await sink.send(buffer)
    }
}
