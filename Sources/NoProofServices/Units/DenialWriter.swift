import Logging
import NoProofAudit
import NoProofUnitStore
import Synchronization

/// Writes the access gate's denial records to the unit store in the order they were queued (group
/// commit through `BatchingWriter`: a burst of refusals costs a few commits, not one each), and lets
/// callers wait until a given record is durable. `close()` stops the queue and waits for everything
/// queued — so no denial is lost when the server stops. A failed write is logged, not retried.
final class DenialWriter: Sendable {
    private struct Tickets {
        var last: UInt64 = 0
        var writtenThrough: UInt64 = 0
        var waiters: [(ticket: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let logger: Logger
    private let writer: BatchingWriter<DenialRecord, Void>
    private let tickets = Mutex(Tickets())

    init(store: any UnitStore, logger: Logger) {
        self.logger = logger
        writer = BatchingWriter(
            label: "noproof.denial-writer", maxBatch: Self.maxBatch,
            write: .async { batch in
                do {
                    try await store.appendDenials(batch)
                } catch {
                    logger.error("could not record denials", metadata: ["error": "\(error)", "count": "\(batch.count)"])
                }
                return Array(repeating: (), count: batch.count)
            })
    }

    /// Queues `record`; returns its ticket (0 when the writer is closed and the record is dropped, logged).
    func enqueue(_ record: DenialRecord) -> UInt64 {
        // The ticket is taken under the same lock as the queueing, so tickets follow queue order.
        let ticket: UInt64 = tickets.withLock { tickets in
            tickets.last += 1
            let ticket = tickets.last
            let accepted = writer.enqueue(record) { _ in self.written(ticket) }
            if !accepted { tickets.last -= 1 }
            return accepted ? ticket : 0
        }
        if ticket == 0 {
            logger.error("denial not recorded: the server is stopping", metadata: ["unit": "\(record.unitCode)", "reason": "\(record.reason)"])
        }
        return ticket
    }

    static let maxBatch = 512

    private func written(_ ticket: UInt64) {
        let ready: [CheckedContinuation<Void, Never>] = tickets.withLock { tickets in
            tickets.writtenThrough = max(tickets.writtenThrough, ticket)
            let through = tickets.writtenThrough
            let ready = tickets.waiters.filter { $0.ticket <= through }.map(\.continuation)
            tickets.waiters.removeAll { $0.ticket <= through }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Waits until every record up to `ticket` has been written (or failed, logged).
    func written(through ticket: UInt64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = tickets.withLock { tickets in
                if tickets.writtenThrough >= ticket { return true }
                tickets.waiters.append((ticket, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Stops taking records and waits for those queued.
    func close() async {
        await writer.close()
    }
}
