import Synchronization

/// How many requests the access gate refused, by kind (`denial`: the access policy; `breach`: a
/// rate limit) and reason code, since start. Counted as each refusal is recorded (a refusal is
/// rare next to a lookup, so one lock per refusal); read at scrape time.
package final class RefusalCounts: Sendable {
    package struct Key: Hashable, Sendable {
        package var kind: String
        package var reason: String
    }

    private let counts = Mutex<[Key: UInt64]>([:])

    package init() {}

    package func add(kind: String, reason: String) {
        counts.withLock { $0[Key(kind: kind, reason: reason), default: 0] += 1 }
    }

    /// The counts so far.
    package var snapshot: [Key: UInt64] { counts.withLock { $0 } }
}
