import Foundation
import Synchronization

/// Fans correction notices out to the units' watch streams as they are written (issue 16: a unit
/// that fetched a licence's old version is told on its stream, not only when it asks).
///
/// A watcher names its unit, or none (the task force office, every unit's notices). Notices are
/// published after they are durable in the oversight store, so a watcher that reconnects and
/// lists the stored notices misses none.
package final class CorrectionNoticeHub: Sendable {
    private struct Subscriber {
        /// nil: every unit's notices.
        var unit: String?
        var continuation: AsyncStream<CorrectionNotice>.Continuation
    }

    private let subscribers = Mutex<[UInt64: Subscriber]>([:])
    private let nextID = Atomic<UInt64>(1)

    package init() {}

    /// The notices for `unit` (nil: all) from now on; the stream ends when the consumer stops.
    package func subscribe(unit: String?) -> AsyncStream<CorrectionNotice> {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let (stream, continuation) = AsyncStream<CorrectionNotice>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = Subscriber(unit: unit, continuation: continuation) }
        return stream
    }

    /// Number of open watch streams (diagnostics, tests).
    package var subscriberCount: Int { subscribers.withLock { $0.count } }

    /// Pushes each notice to the watchers of its unit and to the watchers of all units.
    package func publish(_ notices: [CorrectionNotice]) {
        guard !notices.isEmpty else { return }
        let targets = subscribers.withLock { Array($0.values) }
        for subscriber in targets {
            for notice in notices where subscriber.unit == nil || subscriber.unit == notice.unit {
                subscriber.continuation.yield(notice)
            }
        }
    }
}
