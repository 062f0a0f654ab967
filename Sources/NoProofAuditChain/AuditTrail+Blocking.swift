import Dispatch

/// The queue the default `writeBatch` blocks instead of the caller's thread.
private let batchCallers = DispatchQueue(label: "noproof.audit-batch-caller", attributes: .concurrent)

extension AuditTrail {
    /// A trail's batches block on their own I/O unless it says otherwise.
    package var writesAsynchronously: Bool { false }

    /// `writeBatch` for a trail whose `appendBatch` blocks on its own I/O (SQLite's fsync): the
    /// blocking call runs on a Dispatch thread, not on the cooperative pool. A trail whose write is
    /// itself async work (PostgreSQL) implements `writeBatch` directly instead: on Linux Dispatch's
    /// threads and the cooperative pool are one pool, so parking its threads to wait for async work
    /// starves that work (each waiter costs the pool a thread until Dispatch grows it).
    package func writeBatch(_ records: [AuditRecord]) async throws -> [Int64] {
        try await withCheckedThrowingContinuation { continuation in
            batchCallers.async { continuation.resume(with: Result { try self.appendBatch(records) }) }
        }
    }
}
