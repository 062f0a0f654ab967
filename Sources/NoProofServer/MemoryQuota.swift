import Synchronization

/// A server-wide budget of bytes for unfinished frames and answers waiting for slow readers
/// (`ServerConfiguration.memoryQuotaBytes`). Each connection reserves what its partial frame
/// will need as soon as the frame's header announces it (before buffering the payload) and
/// what its peer leaves unread past the write high-water mark; a reservation that would pass
/// the quota is refused and the connection is closed with RESOURCE_EXHAUSTED.
package final class MemoryQuota: Sendable {
    /// Partial frames up to this size are not counted: they are bounded by the connection cap
    /// times this, and counting them would put atomics on ordinary reads.
    package static let uncountedBytes = 4096

    package let limit: Int
    private let used = Atomic<Int>(0)

    package init(limit: Int) {
        self.limit = limit
    }

    /// Bytes reserved now, across all connections.
    package var reservedBytes: Int { used.load(ordering: .relaxed) }

    /// Reserves `bytes` more unless that would pass the quota.
    package func tryReserve(_ bytes: Int) -> Bool {
        var current = used.load(ordering: .relaxed)
        while current + bytes <= limit {
            let (exchanged, original) = used.compareExchange(expected: current, desired: current + bytes, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
        return false
    }

    package func release(_ bytes: Int) {
        if bytes > 0 { used.subtract(bytes, ordering: .relaxed) }
    }
}
