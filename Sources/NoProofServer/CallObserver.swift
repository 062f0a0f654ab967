import NoProofProtocol

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
}

extension CallObserver {
    package func recorder(forMethod path: String) -> @Sendable (_ status: StatusCode, _ duration: Duration) -> Void {
        { status, duration in self.callEnded(methodPath: path, status: status, duration: duration) }
    }
}
