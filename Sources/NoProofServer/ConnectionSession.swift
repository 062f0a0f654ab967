import NIOCore
import NoProofProtocol

/// A Sendable handle that lets a method implementation change its connection's state
/// (today: mark it authenticated) from any task, in order with the call's answer.
final class ConnectionSession: Sendable {
    private let handler: NIOLoopBound<ServerConnectionHandler>

    init(_ handler: NIOLoopBound<ServerConnectionHandler>) {
        self.handler = handler
    }

    /// Marks the connection authenticated. Runs on the event loop before the call's answer is written.
    func authenticated(_ unit: AuthenticatedUnit) {
        let handler = self.handler
        if handler.eventLoop.inEventLoop {
            handler.value.markAuthenticated(unit)
        } else {
            handler.eventLoop.execute { handler.value.markAuthenticated(unit) }
        }
    }
}
