import Logging
import NoProofUnitStore
import Synchronization

/// Writes the access gate's denial records to the unit store in the order they
/// were queued, and lets callers wait until a given record is durable. `close()` stops the queue
/// and waits for everything queued — so no denial is lost when the server stops.
final class DenialWriter: Sendable {
    private struct State {
        var queue: [(ticket: UInt64, record: DenialRecord)] = []
        var lastTicket: UInt64 = 0
        var writtenThrough: UInt64 = 0
        var writing = false
        var closed = false
        var waiters: [(ticket: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let store: any UnitStore
    private let logger: Logger
    private let state = Mutex(State())

    init(store: any UnitStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Queues `record`; returns its ticket (0 when the writer is closed and the record is dropped, logged).
    func enqueue(_ record: DenialRecord) -> UInt64 {
        let (ticket, start): (UInt64, Bool) = state.withLock { state in
            if state.closed { return (0, false) }
            state.lastTicket += 1
            state.queue.append((state.lastTicket, record))
            if state.writing { return (state.lastTicket, false) }
            state.writing = true
            return (state.lastTicket, true)
        }
        if ticket == 0 {
            logger.error("denial not recorded: the server is stopping", metadata: ["unit": "\(record.unitCode)", "reason": "\(record.reason)"])
        }
        if start { Task { await self.drain() } }
        return ticket
    }

    /// Writes what is queued, oldest first, up to `maxBatch` records per transaction (a burst of
    /// refusals costs a few commits, not one each).
    private func drain() async {
        while true {
            let batch: [(ticket: UInt64, record: DenialRecord)] = state.withLock { state in
                if state.queue.isEmpty {
                    state.writing = false
                    return []
                }
                let take = min(state.queue.count, Self.maxBatch)
                let batch = Array(state.queue.prefix(take))
                state.queue.removeFirst(take)
                return batch
            }
            guard let last = batch.last else { return }
            do {
                try await store.appendDenials(batch.map(\.record))
            } catch {
                logger.error("could not record denials", metadata: ["error": "\(error)", "count": "\(batch.count)"])
            }
            let ready: [CheckedContinuation<Void, Never>] = state.withLock { state in
                state.writtenThrough = last.ticket
                let ready = state.waiters.filter { $0.ticket <= last.ticket }.map(\.continuation)
                state.waiters.removeAll { $0.ticket <= last.ticket }
                return ready
            }
            for continuation in ready { continuation.resume() }
        }
    }

    static let maxBatch = 512

    /// Waits until every record up to `ticket` has been written (or failed, logged).
    func written(through ticket: UInt64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state in
                if state.writtenThrough >= ticket { return true }
                state.waiters.append((ticket, continuation))
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Stops taking records and waits for those queued.
    func close() async {
        let last = state.withLock { state in
            state.closed = true
            return state.lastTicket
        }
        await written(through: last)
    }
}
