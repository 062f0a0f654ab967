package import NoProofProtocol

/// Told of every call a method implementation ended (metrics): its method, the status it ended
/// with and how long it ran. Called on the thread that finished the call (an event loop, a task,
/// a writer queue): implementations must be cheap and must not block.
///
/// Installed through `ServerConfiguration.callObserver`; the server then wraps each registered
/// method once (`RPCRegistry.observe(with:)`), so a server without one pays nothing.
package protocol CallObserver: Sendable {
    func callEnded(methodPath: String, status: StatusCode, duration: Duration)

    /// Asked once per method when the server wraps it: what its calls report to. The default
    /// calls `callEnded(methodPath:status:duration:)`; an observer may resolve the method's
    /// instruments here once instead of by path on every call.
    func recorder(forMethod path: String) -> @Sendable (_ status: StatusCode, _ duration: Duration) -> Void

    /// A call refused before its method implementation ran: an unknown method or a malformed CALL
    /// header (`methodPath` nil), not authenticated, over the connection's concurrent calls, or
    /// shed by `maxCallsInProgress`. Called on the connection's event loop. The default does nothing.
    func callRefused(methodPath: String?, status: StatusCode)
}

extension CallObserver {
    package func callRefused(methodPath: String?, status: StatusCode) {}

    package func recorder(forMethod path: String) -> @Sendable (_ status: StatusCode, _ duration: Duration) -> Void {
        { status, duration in self.callEnded(methodPath: path, status: status, duration: duration) }
    }
}
