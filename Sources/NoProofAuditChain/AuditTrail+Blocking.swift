import Dispatch

/// The queue `appendBatchOffThePool` blocks instead of the caller's thread.
private let batchCallers = DispatchQueue(label: "noproof.audit-batch-caller", attributes: .concurrent)

extension AuditTrail {
    /// `appendBatch` for async code (noproofd's start, recording its seal keys): the blocking call
    /// runs on a Dispatch thread, not on the cooperative pool — a trail whose write is itself
    /// async work (PostgreSQL) needs that pool free to make progress.
    package func appendBatchOffThePool(_ records: [AuditRecord]) async throws -> [Int64] {
        try await withCheckedThrowingContinuation { continuation in
            batchCallers.async { continuation.resume(with: Result { try self.appendBatch(records) }) }
        }
    }
}
