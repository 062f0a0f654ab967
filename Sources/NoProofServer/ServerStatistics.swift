import Synchronization

/// Counters of the server's traffic, shared by all connections (relaxed atomics: cheap on the
/// per-call path, exact enough for operators and the load harness).
package final class ServerStatistics: Sendable {
    private let connectionsOpenCounter = Atomic<Int>(0)
    private let connectionsTotalCounter = Atomic<UInt64>(0)
    private let callsTotalCounter = Atomic<UInt64>(0)
    private let callsFailedCounter = Atomic<UInt64>(0)

    package init() {}

    package var connectionsOpen: Int { connectionsOpenCounter.load(ordering: .relaxed) }
    package var connectionsTotal: UInt64 { connectionsTotalCounter.load(ordering: .relaxed) }
    package var callsTotal: UInt64 { callsTotalCounter.load(ordering: .relaxed) }
    package var callsFailed: UInt64 { callsFailedCounter.load(ordering: .relaxed) }

    func connectionOpened() {
        connectionsOpenCounter.add(1, ordering: .relaxed)
        connectionsTotalCounter.add(1, ordering: .relaxed)
    }

    func connectionClosed() { connectionsOpenCounter.subtract(1, ordering: .relaxed) }
    func callEnded(ok: Bool) {
        callsTotalCounter.add(1, ordering: .relaxed)
        if !ok { callsFailedCounter.add(1, ordering: .relaxed) }
    }
}
