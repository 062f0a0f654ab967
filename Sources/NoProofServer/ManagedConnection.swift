/// What `ServerConnectionManagementHandler` asks of the connection's call handler
/// (`ServerConnectionHandler`) and tells it, on the connection's event loop: a plain interface
/// instead of pipeline events, so that the clocks cost no handler hop on the path of a frame.
/// The management handler decides *when* (its clocks); the call handler decides *what* the
/// connection says (GOAWAY with the last call id, the statuses of the calls it cuts off).
protocol ManagedConnection: AnyObject {
    /// The client's preface has not arrived yet.
    var isAwaitingPreface: Bool { get }
    /// The connection is closing: the clocks have nothing more to do.
    var isClosing: Bool { get }
    /// Calls started and not yet answered.
    var openCallCount: Int { get }

    /// A clock ran out (`handshakeTimedOut`, `authenticationTimedOut`, `frameTimedOut`,
    /// `keepaliveTimedOut`, `idleTimedOut`): end the connection the way the protocol says.
    /// Returns whether the connection is ending (a frame timeout with no partial frame left is not).
    func clockRanOut(_ timeout: ServerConnectionManagementStateMachine.Action) -> Bool
    /// A periodic tick once the preface is in: the call handler's own checks (unread answers).
    func ticked()
    /// Graceful shutdown: send GOAWAY and take no new calls. Returns whether calls are still
    /// open (the grace period then runs); if not, the connection is closing already.
    func drain() -> Bool
    /// The shutdown grace period ended: cut off the calls still open and close.
    func graceExpired()
}
