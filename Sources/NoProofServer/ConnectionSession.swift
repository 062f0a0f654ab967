import NIOCore
import NoProofProtocol

/// A Sendable handle that lets a method implementation change its connection's state
/// (mark it authenticated) from any task, in order with the call's answer, and lets a
/// revocation reach the connection (`LiveSessions`).
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

    /// The connection's credential was revoked: GOAWAY with `message`, then close.
    func revoke(_ message: String) {
        let handler = self.handler
        handler.eventLoop.execute { handler.value.credentialRevoked(message) }
    }
}
