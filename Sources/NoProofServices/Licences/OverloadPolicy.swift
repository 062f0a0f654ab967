package import NoProofProtocol

/// When the proof issuer's queue says the server is past capacity, and what a shed lookup is told.
///
/// Every lookup ends with a durable audit record written by `ProofIssuer`'s single batching
/// writer, so its queue is where overload shows first: past capacity the queue grows and so does
/// every caller's wait. Instead, a lookup arriving while more than `maxQueueDepth` records are
/// waiting, or while the oldest has waited longer than `maxQueueAge`, is answered UNAVAILABLE at
/// once, before any work is done for it (nothing is looked up, so nothing is released or audited).
package struct OverloadPolicy: Sendable, Equatable {
    /// Audit records waiting or being written; nil: no limit.
    package var maxQueueDepth: Int?
    /// How long the oldest waiting record may have waited; nil: no limit.
    package var maxQueueAge: Duration?

    package init(maxQueueDepth: Int?, maxQueueAge: Duration?) {
        self.maxQueueDepth = maxQueueDepth
        self.maxQueueAge = maxQueueAge
    }

    /// noproofd's defaults: two batches deep (a few hundred ms of audit writing here), a quarter of a second old.
    package static let standard = OverloadPolicy(maxQueueDepth: 1024, maxQueueAge: .milliseconds(250))
    /// Never shed (latency grows with the load instead).
    package static let off = OverloadPolicy(maxQueueDepth: nil, maxQueueAge: nil)

    /// The refusal for a lookup arriving now, or nil to accept it.
    /// - Parameters:
    ///   - depth: records queued or being written.
    ///   - oldestWaitingSince: when the oldest record still waiting (not yet in a batch) was queued.
    package func refusal(depth: Int, oldestWaitingSince: ContinuousClock.Instant?, now: ContinuousClock.Instant) -> RPCError? {
        if let maxQueueDepth, depth >= maxQueueDepth {
            return RPCError(
                .unavailable, "server overloaded: \(depth) lookups waiting for the audit trail (limit \(maxQueueDepth)); retry after 100 ms, with backoff")
        }
        if let maxQueueAge, let oldestWaitingSince, now - oldestWaitingSince > maxQueueAge {
            let waited = (now - oldestWaitingSince).components
            let millis = waited.seconds * 1000 + waited.attoseconds / 1_000_000_000_000_000
            return RPCError(
                .unavailable,
                "server overloaded: lookups are waiting \(millis) ms for the audit trail (limit \(Self.millis(maxQueueAge)) ms); retry after \(max(100, millis)) ms, with backoff"
            )
        }
        return nil
    }

    package static func millis(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
