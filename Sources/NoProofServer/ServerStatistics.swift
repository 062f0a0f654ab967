import Synchronization

/// Counters of the server's traffic, shared by all connections (relaxed atomics: cheap on the
/// per-call path, exact enough for operators and the load harness).
package final class ServerStatistics: Sendable {
    private let connectionsOpenCounter = Atomic<Int>(0)
    private let connectionsTotalCounter = Atomic<UInt64>(0)
    private let callsTotalCounter = Atomic<UInt64>(0)
    private let callsFailedCounter = Atomic<UInt64>(0)
    private let callsInProgressCounter = Atomic<Int>(0)
    private let callsShedCounter = Atomic<UInt64>(0)
    private let pendingAnswerBytesHighWater = Atomic<Int>(0)
    private let closedForNotReadingCounter = Atomic<UInt64>(0)
    private let connectionsRefusedCounter = Atomic<UInt64>(0)
    private let closedForMemoryQuotaCounter = Atomic<UInt64>(0)
    private let closedUnauthenticatedCounter = Atomic<UInt64>(0)
    private let authenticatedOpenCounter = Atomic<Int>(0)
    /// The per-stage latency breakdown of lookups (issue 19).
    package let stages = StageLatencies()

    package init() {}

    package var connectionsOpen: Int { connectionsOpenCounter.load(ordering: .relaxed) }
    /// Open connections that have authenticated (the rest of `connectionsOpen` have not, yet).
    package var connectionsAuthenticated: Int { authenticatedOpenCounter.load(ordering: .relaxed) }
    package var connectionsTotal: UInt64 { connectionsTotalCounter.load(ordering: .relaxed) }
    package var callsTotal: UInt64 { callsTotalCounter.load(ordering: .relaxed) }
    package var callsFailed: UInt64 { callsFailedCounter.load(ordering: .relaxed) }

    /// Unary and callback calls running now, across all connections.
    package var callsInProgress: Int { callsInProgressCounter.load(ordering: .relaxed) }
    /// Calls refused because `maxCallsInProgress` was reached.
    package var callsShed: UInt64 { callsShedCounter.load(ordering: .relaxed) }
    /// The most answer bytes any one connection has had waiting for its peer to read.
    package var maxPendingAnswerBytes: Int { pendingAnswerBytesHighWater.load(ordering: .relaxed) }
    /// Connections closed because their peer did not read its answers.
    package var connectionsClosedForNotReading: UInt64 { closedForNotReadingCounter.load(ordering: .relaxed) }

    /// Connections refused at once by the connection caps (server-wide or per source).
    package var connectionsRefused: UInt64 { connectionsRefusedCounter.load(ordering: .relaxed) }
    /// Connections closed because the server-wide memory quota had no room for their frame or answers.
    package var connectionsClosedForMemoryQuota: UInt64 { closedForMemoryQuotaCounter.load(ordering: .relaxed) }
    /// Connections closed for not authenticating within the authentication timeout.
    package var connectionsClosedUnauthenticated: UInt64 { closedUnauthenticatedCounter.load(ordering: .relaxed) }

    func connectionRefused() { connectionsRefusedCounter.add(1, ordering: .relaxed) }
    func connectionClosedForMemoryQuota() { closedForMemoryQuotaCounter.add(1, ordering: .relaxed) }
    func connectionClosedUnauthenticated() { closedUnauthenticatedCounter.add(1, ordering: .relaxed) }

    /// Takes a place among the calls in progress, unless `limit` are already running.
    func tryStartCall(limit: Int) -> Bool {
        var current = callsInProgressCounter.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = callsInProgressCounter.compareExchange(
                expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    func finishCall() { callsInProgressCounter.subtract(1, ordering: .relaxed) }
    package func callShed() { callsShedCounter.add(1, ordering: .relaxed) }
    func connectionClosedForNotReading() { closedForNotReadingCounter.add(1, ordering: .relaxed) }

    func pendingAnswerBytesSeen(_ bytes: Int) {
        guard bytes > pendingAnswerBytesHighWater.load(ordering: .relaxed) else { return }
        _ = pendingAnswerBytesHighWater.max(bytes, ordering: .relaxed)
    }

    func connectionOpened() {
        connectionsOpenCounter.add(1, ordering: .relaxed)
        connectionsTotalCounter.add(1, ordering: .relaxed)
    }

    func connectionClosed() { connectionsOpenCounter.subtract(1, ordering: .relaxed) }
    func connectionAuthenticated() { authenticatedOpenCounter.add(1, ordering: .relaxed) }
    func authenticatedConnectionClosed() { authenticatedOpenCounter.subtract(1, ordering: .relaxed) }
    func callEnded(ok: Bool) {
        callsTotalCounter.add(1, ordering: .relaxed)
        if !ok { callsFailedCounter.add(1, ordering: .relaxed) }
    }
}
